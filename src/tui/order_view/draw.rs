//! Drawing the result from the order view's own state and a `DrawCtx` (never from `App`):
//! the QR code of the payment link (black on white, whatever the theme, never clipped),
//! the order's details, its live status, and the action buttons (keys from the keymap).

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::juspay::OrderState;
use crate::qr::QUIET_MIN;
use crate::text::pad_right as pad;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::popup::{DrawCtx, centered};
use crate::tui::qr_view::QrCode;
use crate::tui::strings;
use crate::tui::theme::Theme;

use super::{OrderView, countdown, format_amount, story};

fn fit(text: &str, width: usize) -> String {
    crate::text::fit(text, width).into_owned()
}

/// What the result shows that is not the order view's own: how often it is checked,
/// whether the demo's pay keys apply, the terminal's size (for the QR hints).
#[derive(Debug, Clone, Copy)]
pub struct ResultStatus {
    /// How often the order's status is checked (the retry countdown).
    pub poll_interval: std::time::Duration,
    /// A demo order still waiting for payment: the demo keys are offered.
    pub demo_offered: bool,
    /// The whole terminal, `(columns, rows)`.
    pub terminal: (u16, u16),
}

/// The QR's colours: xterm-256 black (16) on white (231), which themes do not remap.
pub const QR_STYLE: Style = Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(231));
const INFO_MIN: u16 = 30;
const INFO_MAX: u16 = 60;

/// The result's buttons: what each does; the key is the keymap's (`Scope::Result`).
const BUTTONS: [(&str, Action); 8] = [
    ("copy", Action::Copy),
    ("open", Action::Open),
    ("save QR", Action::SaveQr),
    ("full screen", Action::FullScreen),
    ("payload", Action::Payload),
    ("refresh", Action::Refresh),
    ("new", Action::NewOrder),
    ("same customer", Action::NewSameCustomer),
];

const HM: &[BorrowedFormatItem<'static>] = format_description!("[hour]:[minute]");

fn button_layout(area: Rect) -> Vec<(u16, u16, String, &'static str, Action)> {
    let mut x = area.x;
    let end = area.x + area.width;
    let mut out = Vec::new();
    for (words, action) in BUTTONS {
        let key = keymap::key_for(Scope::Result, action);
        let width = (crate::text::width(&key) + crate::text::width(words) + 3) as u16;
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

impl OrderView {
    /// The button at `(x, y)` of the result drawn in `area`, if any.
    pub fn hit(&self, area: Rect, x: u16, y: u16) -> Option<Action> {
        let view = self;
        let buttons = layout(view, area).buttons?;
        if y != buttons.y {
            return None;
        }
        button_layout(buttons)
            .into_iter()
            .find(|(bx, w, ..)| x >= *bx && x < bx + w)
            .map(|(.., a)| a)
    }
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
fn status_badge(t: &Theme, view: &OrderView) -> (String, Style) {
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

/// The label column of the details, in cells.
const LABEL_W: usize = 11;

/// "Label      value" with the value sanitised and cut to `value_w` cells.
fn detail(t: &Theme, label: &str, value: &str, style: Style, value_w: usize) -> Line<'static> {
    Line::from(vec![
        Span::styled(pad(label, LABEL_W), t.label),
        // Server and stored values: never a control or bidi character (issue 11).
        Span::styled(fit(&crate::text::sanitize_line(value), value_w), style),
    ])
}

/// `parts` under the value column, the first labelled `label` (a link or a message is
/// wrapped, never cut).
fn wrapped_detail(t: &Theme, label: &str, parts: Vec<String>, style: Style) -> Vec<Line<'static>> {
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let label = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(pad(label, LABEL_W), t.label),
                Span::styled(part, style),
            ])
        })
        .collect()
}

fn info_lines(
    ctx: &DrawCtx<'_>,
    status: &ResultStatus,
    view: &OrderView,
    width: usize,
) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let value_w = width.saturating_sub(LABEL_W).max(1);
    let row = |label: &str, value: &str, style: Style| detail(t, label, value, style, value_w);
    let mut lines = match &view.link {
        Some(link) => {
            let parts = chunks(&crate::text::sanitize_line(link), value_w);
            wrapped_detail(t, "Link", parts, t.link)
        }
        None => vec![row("Link", strings::NO_LINK, t.warning)],
    };
    lines.push(row("Order ID", &view.order_id, t.value));
    lines.push(row(
        "Juspay ID",
        view.juspay_id.as_deref().unwrap_or("—"),
        t.value,
    ));
    let amount = format_amount(&view.amount, &view.currency);
    lines.push(row("Amount", &amount, t.value));
    if let Some((text, style)) = expiry(ctx, view) {
        lines.push(row("Expires", &text, style));
    }
    lines.push(row(
        "Status",
        view.status.as_deref().unwrap_or("—"),
        t.value,
    ));
    if let Some(c) = view.checked_at {
        let live = if view.is_final() { "" } else { " · live" };
        let text = format!("{}{live}", ago((ctx.now - c).whole_seconds()));
        lines.push(row("Checked", &text, t.muted));
    }
    if let Some(err) = &view.poll_error {
        // A message, not a value: wrapped under the values, never cut.
        let next = view.next_poll(status.poll_interval).as_secs();
        let text = format!("check failed: {err}; retrying in {next} s");
        let parts = crate::text::wrap(&crate::text::sanitize_line(&text), value_w, "");
        lines.extend(wrapped_detail(t, "", parts, t.warning));
    }
    if let Some(id) = &view.request_id {
        lines.push(row("Request ID", id, t.muted));
    }
    lines.extend(story::lines(ctx, view, width));
    if let Some((png, _)) = &view.saved {
        let text = format!("{} (+ .svg)", png.display());
        lines.push(row("Saved", &text, t.success));
    }
    lines
}

/// When the link expires, in local time with the time left, or as Juspay wrote it when it
/// could not be read. Nothing once the order is final.
fn expiry(ctx: &DrawCtx<'_>, view: &OrderView) -> Option<(String, Style)> {
    if view.is_final() {
        // A paid or failed order's link is done with; a countdown would say otherwise.
        return None;
    }
    let t = ctx.theme;
    match (view.expires_in(ctx.now), &view.expiry_text) {
        (Some(secs), _) => {
            let at = view
                .expiry
                .map(|e| e.to_offset(ctx.utc_offset))
                .and_then(|e| e.format(HM).ok())
                .unwrap_or_default();
            Some(if secs <= 0 {
                (format!("expired at {at}"), t.error)
            } else {
                (format!("in {} (at {at})", countdown(secs)), t.value)
            })
        }
        (None, Some(raw)) => Some((raw.clone(), t.value)),
        (None, None) => None,
    }
}

impl OrderView {
    /// Draws the result in `area` (the screen below the header).
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &DrawCtx<'_>, status: &ResultStatus) {
        let view = self;
        let t = ctx.theme;
        let l = layout(view, area);
        if let (Some((at, quiet)), Some(Ok(code))) = (l.qr, &view.qr) {
            draw_qr(frame, code, quiet, at);
        }
        let info = l.info;
        let width = usize::from(info.width);
        let badge_h = draw_badge(t, view, frame, info);
        let qr_hint = match (&view.qr, l.qr) {
            (Some(Ok(code)), None) => Some(qr_hint(status.terminal, code, area)),
            _ => None,
        };
        let mut lines = vec![Line::raw("")];
        // Not even full-screen fits: that is why there is no code, so it comes first.
        if let Some(QrHint::TooSmall(text)) = &qr_hint {
            lines.push(Line::styled(text.clone(), t.warning));
        }
        if status.demo_offered {
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
        lines.extend(info_lines(ctx, status, view, width));
        match (&view.qr, qr_hint) {
            (Some(Err(e)), _) => lines.push(Line::styled(format!("No QR code: {e}"), t.error)),
            (_, Some(QrHint::FullScreen(text))) => {
                lines.push(Line::raw(""));
                lines.push(Line::styled(text, t.warning));
            }
            _ => {}
        }
        let rest = Rect {
            y: info.y + badge_h,
            height: info.height.saturating_sub(badge_h),
            ..info
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
        if let Some(buttons) = l.buttons {
            draw_buttons(t, frame, buttons);
        }
    }
}

/// The status badge at the top of the details, three lines tall (when there is room) so
/// PAID cannot be missed; its height.
fn draw_badge(t: &Theme, view: &OrderView, frame: &mut Frame, info: Rect) -> u16 {
    let width = usize::from(info.width);
    let (words, style) = status_badge(t, view);
    let badge_h: u16 = if info.height >= 14 { 3 } else { 1 };
    let mut badge = vec![Line::styled(" ".repeat(width), style); usize::from(badge_h)];
    badge[usize::from(badge_h / 2)] = Line::styled(pad(&format!("  {words}"), width), style);
    let area = Rect {
        height: badge_h,
        ..info
    };
    frame.render_widget(Paragraph::new(badge), area);
    badge_h
}

/// Why no QR code is beside the details, and the terminal size that would show it.
enum QrHint {
    /// Full-screen shows it: the key, and the size that shows it beside the details.
    FullScreen(String),
    /// Not even full-screen fits: both sizes.
    TooSmall(String),
}

fn qr_hint(terminal: (u16, u16), code: &QrCode, area: Rect) -> QrHint {
    let (c, r) = code.text_size(QUIET_MIN);
    let (w, h) = terminal;
    let need_w = w.saturating_sub(area.width) + c + INFO_MIN + 1;
    let need_h = h.saturating_sub(area.height) + r;
    let (full_w, full_h) = full_screen_need(code);
    let key = keymap::key_for(Scope::Result, Action::FullScreen);
    if full_w <= w && full_h <= h {
        QrHint::FullScreen(format!(
            "Press {key} to show the QR code full-screen (here it needs a {need_w}×{need_h} terminal)."
        ))
    } else {
        QrHint::TooSmall(format!(
            "This {w}×{h} terminal is too small for the QR code: it needs {full_w}×{full_h} full-screen ({key}), or {need_w}×{need_h} beside these details."
        ))
    }
}

/// The result's buttons, `[key words]`, each key as the keymap binds it.
fn draw_buttons(t: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for (i, (_, _, key, words, _)) in button_layout(area).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!("[{key}"), t.key));
        spans.push(Span::styled(format!(" {words}]"), t.text));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The smallest terminal that shows `code` full-screen: the code with its smallest quiet
/// zone, and a line below it for the hint. `(columns, rows)`.
fn full_screen_need(code: &QrCode) -> (u16, u16) {
    let (c, r) = code.text_size(QUIET_MIN);
    (c, r.saturating_add(1))
}

impl OrderView {
    /// The QR code alone on the whole terminal; when even that is too small, the link and
    /// the size needed.
    pub fn draw_full_screen(&self, frame: &mut Frame, area: Rect, ctx: &DrawCtx<'_>) {
        let view = self;
        let t = ctx.theme;
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
                                let (words, style) = status_badge(t, view);
                                Line::styled(format!(" {words} · {hint} "), style)
                            }
                            _ => Line::styled(hint, t.muted),
                        };
                        frame.render_widget(
                            Paragraph::new(line).alignment(Alignment::Center),
                            below,
                        );
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
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::session::Form;

    fn view(status: &str) -> OrderView {
        let mut view = OrderView::blank(1, "PD2611250001".into(), Form::default());
        view.link = Some("https://pay.example.com/o/abc".into());
        view.amount = "12500".into();
        view.currency = "INR".into();
        view.status = Some(status.into());
        view.refresh_qr();
        view
    }

    fn status(terminal: (u16, u16), demo_offered: bool) -> ResultStatus {
        ResultStatus {
            poll_interval: std::time::Duration::from_secs(5),
            demo_offered,
            terminal,
        }
    }

    /// The view drawn alone on a `w`×`h` screen, as text.
    fn drawn(view: &OrderView, w: u16, h: u16, full_screen: bool) -> String {
        let theme = Theme::dark();
        let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
            Ok(t) => t,
            Err(e) => panic!("test terminal: {e}"),
        };
        let ctx = DrawCtx::new(&theme);
        let result = terminal.draw(|f| {
            if full_screen {
                view.draw_full_screen(f, f.area(), &ctx);
            } else {
                view.draw(f, f.area(), &ctx, &status((w, h), true));
            }
        });
        if let Err(e) = result {
            panic!("draw: {e}");
        }
        terminal.backend().to_string()
    }

    #[test]
    fn the_result_draws_its_details_qr_and_buttons_from_its_own_state() {
        let v = view("NEW");
        let screen = drawn(&v, 120, 38, false);
        for expected in [
            "● NEW · waiting for payment",
            "PD2611250001",
            "₹12,500.00",
            "https://pay.example.com/o/abc",
            "[c copy] [o open]",
            "DEMO",
        ] {
            assert!(screen.contains(expected), "{expected}: {screen}");
        }
        assert!(
            screen.contains('▀') || screen.contains('▄'),
            "the QR code: {screen}"
        );
        // The buttons' row is where a click finds them.
        let area = Rect::new(0, 0, 120, 38);
        let row = screen.lines().position(|l| l.contains("[c copy]"));
        let y = row.map(|r| r as u16).unwrap_or(0);
        let x = screen
            .lines()
            .nth(usize::from(y))
            .and_then(|l| l.chars().position(|c| c == '['))
            .map(|x| x as u16)
            .unwrap_or(0);
        assert_eq!(v.hit(area, x + 1, y), Some(Action::Copy));
        assert_eq!(v.hit(area, x + 1, 0), None);
    }

    #[test]
    fn full_screen_says_paid_the_moment_it_is_known() {
        let waiting = drawn(&view("NEW"), 100, 50, true);
        assert!(waiting.contains("any key returns") && !waiting.contains("PAID"));
        let paid = drawn(&view("CHARGED"), 100, 50, true);
        assert!(paid.contains(strings::PAID), "{paid}");
    }
}
