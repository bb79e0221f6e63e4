//! The result: the QR code of the payment link (black on white, whatever the theme, never
//! clipped), the order's details, its live status, and the action buttons.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::juspay::OrderState;
use crate::qr::QUIET_MIN;
use crate::tui::keymap::Action;
use crate::tui::order_view::{OrderView, countdown, format_amount};
use crate::tui::qr_view::QrCode;
use crate::tui::state::App;
use crate::tui::strings;

use super::{centered, fit, pad};

/// The QR's colours: xterm-256 black (16) on white (231), which themes do not remap.
pub const QR_STYLE: Style = Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(231));
const INFO_MIN: u16 = 30;
const INFO_MAX: u16 = 60;

const BUTTONS: [(&str, &str, Action); 8] = [
    ("c", "copy", Action::Copy),
    ("o", "open", Action::Open),
    ("s", "save QR", Action::SaveQr),
    ("f", "full screen", Action::FullScreen),
    ("p", "payload", Action::Payload),
    ("r", "refresh", Action::Refresh),
    ("n", "new", Action::NewOrder),
    ("N", "same customer", Action::NewSameCustomer),
];

const HM: &[BorrowedFormatItem<'static>] = format_description!("[hour]:[minute]");

fn button_layout(area: Rect) -> Vec<(u16, u16, &'static str, &'static str, Action)> {
    let mut x = area.x;
    let end = area.x + area.width;
    let mut out = Vec::new();
    for (key, words, action) in BUTTONS {
        let width = (key.len() + words.len() + 3) as u16;
        if x + width > end {
            break;
        }
        out.push((x, width, key, words, action));
        x += width + 1;
    }
    out
}

/// Where the QR code goes and its quiet zone, if it fits beside the details.
struct Layout {
    qr: Option<(Rect, usize)>,
    info: Rect,
    /// The row of buttons; none when the QR needs that row too.
    buttons: Option<Rect>,
}

fn layout(view: &OrderView, area: Rect) -> Layout {
    let button_row = Rect {
        y: area.y + area.height.saturating_sub(1),
        height: 1.min(area.height),
        ..area
    };
    let with_buttons = Rect {
        height: area.height.saturating_sub(2),
        ..area
    };
    if let Some(Ok(code)) = &view.qr {
        // First with the button row; without it when that is what makes the code fit
        // (the footer lists the same keys).
        for (body, buttons) in [(with_buttons, Some(button_row)), (area, None)] {
            let room = body.width.saturating_sub(INFO_MIN + 1);
            if let Some(quiet) = code.fit(room, body.height) {
                let (cols, rows) = code.text_size(quiet);
                let qr = Rect {
                    x: body.x,
                    y: body.y,
                    width: cols,
                    height: rows,
                };
                let info_x = body.x + cols + 1;
                let info = Rect {
                    x: info_x,
                    width: (body.x + body.width).saturating_sub(info_x).min(INFO_MAX),
                    ..body
                };
                return Layout {
                    qr: Some((qr, quiet)),
                    info,
                    buttons,
                };
            }
        }
    }
    Layout {
        qr: None,
        info: with_buttons,
        buttons: Some(button_row),
    }
}

pub fn hit(app: &App, area: Rect, x: u16, y: u16) -> Option<Action> {
    let view = app.result.as_ref()?;
    let buttons = layout(view, area).buttons?;
    if y != buttons.y {
        return None;
    }
    button_layout(buttons)
        .into_iter()
        .find(|(bx, w, ..)| x >= *bx && x < bx + w)
        .map(|(.., a)| a)
}

fn draw_qr(frame: &mut Frame, code: &QrCode, quiet: usize, at: Rect) {
    let lines: Vec<Line> = code
        .half_block_lines(quiet)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, QR_STYLE)))
        .collect();
    frame.render_widget(Paragraph::new(lines), at);
}

/// Words and style for the status badge.
fn status_badge(app: &App, view: &OrderView) -> (String, Style) {
    let t = &app.theme;
    match view.status.as_deref() {
        None => ("checking status…".into(), t.status_unknown),
        Some("NOT CREATED") => ("✘ NOT CREATED".into(), t.status_failed),
        Some("UNKNOWN") | Some("SENDING") => ("? OUTCOME UNKNOWN".into(), t.status_unknown),
        Some(s) => match OrderState::parse(&crate::text::sanitize_line(s)) {
            OrderState::Charged => (format!("✔ {}", strings::PAID), t.status_paid),
            OrderState::Failed(s) => (format!("✘ FAILED · {s}"), t.status_failed),
            OrderState::New => ("● NEW · waiting for payment".into(), t.status_pending),
            OrderState::Pending(s) => (format!("● {s} · in progress"), t.status_pending),
            OrderState::Other(s) => (s, t.status_unknown),
        },
    }
}

fn chunks(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(width.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

fn ago(seconds: i64) -> String {
    match seconds {
        s if s < 2 => "just now".into(),
        s if s < 120 => format!("{s} s ago"),
        s => format!("{} min ago", s / 60),
    }
}

fn info_lines(app: &App, view: &OrderView, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let label_w = 11;
    let value_w = width.saturating_sub(label_w).max(1);
    let row = |label: &str, value: String, style: Style| {
        Line::from(vec![
            Span::styled(pad(label, label_w), t.label),
            // Server and stored values: never a control or bidi character (issue 11).
            Span::styled(fit(&crate::text::sanitize_line(&value), value_w), style),
        ])
    };
    let mut lines = Vec::new();
    match &view.link {
        Some(link) => {
            for (i, part) in chunks(&crate::text::sanitize_line(link), value_w)
                .into_iter()
                .enumerate()
            {
                let label = if i == 0 { "Link" } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(pad(label, label_w), t.label),
                    Span::styled(part, t.link),
                ]));
            }
        }
        None => lines.push(row("Link", strings::NO_LINK.into(), t.warning)),
    }
    lines.push(row("Order ID", view.order_id.clone(), t.value));
    lines.push(row(
        "Juspay ID",
        view.juspay_id.clone().unwrap_or_else(|| "—".into()),
        t.value,
    ));
    lines.push(row(
        "Amount",
        format_amount(&view.amount, &view.currency),
        t.value,
    ));
    match (view.expires_in(app.now), &view.expiry_text) {
        (Some(secs), _) => {
            let at = view
                .expiry
                .map(|e| e.to_offset(app.utc_offset))
                .and_then(|e| e.format(HM).ok())
                .unwrap_or_default();
            let text = if secs <= 0 {
                format!("expired at {at}")
            } else {
                format!("in {} (at {at})", countdown(secs))
            };
            lines.push(row(
                "Expires",
                text,
                if secs <= 0 { t.error } else { t.value },
            ));
        }
        (None, Some(raw)) => lines.push(row("Expires", raw.clone(), t.value)),
        (None, None) => {}
    }
    let status = view.status.clone().unwrap_or_else(|| "—".into());
    lines.push(row("Status", status, t.value));
    if let Some(c) = view.checked_at {
        let live = if view.is_final() { "" } else { " · live" };
        lines.push(row(
            "Checked",
            format!("{}{live}", ago((app.now - c).whole_seconds())),
            t.muted,
        ));
    }
    if let Some(err) = &view.poll_error {
        // A message, not a value: wrapped under the values, never cut.
        let next = view.next_poll(app.poll_interval).as_secs();
        let text = format!("check failed: {err}; retrying in {next} s");
        for part in crate::text::wrap(&crate::text::sanitize_line(&text), value_w, "") {
            lines.push(Line::from(vec![
                Span::styled(pad("", label_w), t.label),
                Span::styled(part, t.warning),
            ]));
        }
    }
    if let Some(id) = &view.request_id {
        lines.push(row("Request ID", id.clone(), t.muted));
    }
    lines.extend(super::order_story::lines(app, view, width));
    if let Some((png, _)) = &view.saved {
        lines.push(row(
            "Saved",
            format!("{} (+ .svg)", png.display()),
            t.success,
        ));
    }
    lines
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(view) = &app.result else { return };
    let t = &app.theme;
    let l = layout(view, area);
    if let (Some((at, quiet)), Some(Ok(code))) = (l.qr, &view.qr) {
        draw_qr(frame, code, quiet, at);
    }
    let info = l.info;
    let width = usize::from(info.width);
    // The status badge: three lines tall so PAID cannot be missed.
    let (words, style) = status_badge(app, view);
    let badge_h = if info.height >= 14 { 3 } else { 1 };
    let mut badge = vec![Line::styled(" ".repeat(width), style); badge_h];
    let mid = badge_h / 2;
    badge[mid] = Line::styled(pad(&format!("  {words}"), width), style);
    frame.render_widget(
        Paragraph::new(badge),
        Rect {
            height: badge_h as u16,
            ..info
        },
    );
    // When no QR fits beside the details: the size that would show it, first when not
    // even full-screen fits (that is why there is no code), else after the details.
    let qr_hint = match (&view.qr, l.qr) {
        (Some(Ok(code)), None) => {
            // The terminal size that shows the code beside these details.
            let (c, r) = code.text_size(QUIET_MIN);
            let (w, h) = app.size;
            let need_w = w.saturating_sub(area.width) + c + INFO_MIN + 1;
            let need_h = h.saturating_sub(area.height) + r;
            let (full_w, full_h) = full_screen_need(code);
            Some(if full_w <= w && full_h <= h {
                (
                    false,
                    format!(
                        "Press f to show the QR code full-screen (here it needs a {need_w}×{need_h} terminal)."
                    ),
                )
            } else {
                (
                    true,
                    format!(
                        "This {w}×{h} terminal is too small for the QR code: it needs {full_w}×{full_h} full-screen (f), or {need_w}×{need_h} beside these details."
                    ),
                )
            })
        }
        _ => None,
    };
    let mut lines = Vec::new();
    lines.push(Line::raw(""));
    if let Some((true, text)) = &qr_hint {
        lines.push(Line::styled(text.clone(), t.warning));
    }
    if app.demo_offered() {
        // How a payment is completed in demo: labelled, and only while one is awaited.
        lines.push(Line::from(vec![
            Span::styled(" DEMO ", t.badge_demo),
            Span::styled(format!(" {}", strings::DEMO_PAY_HINT), t.info),
        ]));
    }
    if let Some(note) = &view.note {
        lines.push(Line::styled(
            crate::text::sanitize(note).into_owned(),
            t.info,
        ));
    }
    lines.extend(info_lines(app, view, width));
    match (&view.qr, qr_hint) {
        (Some(Err(e)), _) => lines.push(Line::styled(format!("No QR code: {e}"), t.error)),
        (_, Some((false, text))) => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(text, t.warning));
        }
        _ => {}
    }
    let rest = Rect {
        y: info.y + badge_h as u16,
        height: info.height.saturating_sub(badge_h as u16),
        ..info
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
    let Some(buttons) = l.buttons else { return };
    let mut spans = Vec::new();
    for (i, (_, _, key, words, _)) in button_layout(buttons).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!("[{key}"), t.key));
        spans.push(Span::styled(format!(" {words}]"), t.text));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), buttons);
}

/// The smallest terminal that shows `code` full-screen: the code with its smallest quiet
/// zone, and a line below it for the hint. `(columns, rows)`.
fn full_screen_need(code: &QrCode) -> (u16, u16) {
    let (c, r) = code.text_size(QUIET_MIN);
    (c, r.saturating_add(1))
}

/// The QR code alone on the whole terminal; when even that is too small, the link and the
/// size needed.
pub fn draw_full_screen(app: &App, view: &OrderView, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let hint = "any key returns";
    match &view.qr {
        Some(Ok(code)) => {
            let room = Rect {
                height: area.height.saturating_sub(1),
                ..area
            };
            if let Some(quiet) = code.fit(room.width, room.height) {
                let (cols, rows) = code.text_size(quiet);
                let at = centered(room, cols, rows);
                draw_qr(frame, code, quiet, at);
                let below = Rect {
                    y: at.y + rows,
                    height: 1,
                    ..area
                };
                if below.y < area.y + area.height {
                    // PAID or FAILED replaces the hint the moment it is known: the clerk
                    // may be watching only this screen.
                    let line = match view.state() {
                        Some(OrderState::Charged | OrderState::Failed(_)) => {
                            let (words, style) = status_badge(app, view);
                            Line::styled(format!(" {words} · {hint} "), style)
                        }
                        _ => Line::styled(hint, t.muted),
                    };
                    frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), below);
                }
                return;
            }
            let (c, r) = full_screen_need(code);
            let mut lines = vec![
                Line::styled(
                    format!("The QR code needs a terminal of at least {c}×{r}."),
                    t.warning,
                ),
                Line::raw(format!(
                    "This one is {}×{}. The link:",
                    area.width, area.height
                )),
            ];
            if let Some(link) = &view.link {
                lines.push(Line::styled(link.clone(), t.link));
            }
            lines.push(Line::styled(hint, t.muted));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        }
        Some(Err(e)) => {
            frame.render_widget(
                Paragraph::new(format!("No QR code: {e}")).wrap(Wrap { trim: false }),
                area,
            );
        }
        None => {
            frame.render_widget(Paragraph::new(strings::NO_LINK), area);
        }
    }
}
