//! The frame around everything: header (environment badge, merchant, profile, help) on the
//! top border, the key footer on the bottom border, and the banner for config problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::config::EnvKind;
use crate::tui::layout;
use crate::tui::state::App;
use crate::tui::strings;

use super::fit;

fn badge_style(app: &App) -> Style {
    let t = &app.theme;
    match app.env.kind {
        EnvKind::Demo => t.badge_demo,
        EnvKind::Sandbox => t.badge_sandbox,
        EnvKind::Production => t.badge_production,
        EnvKind::Custom if app.env.production => t.badge_production,
        EnvKind::Custom => t.badge_custom,
    }
}

/// The border: a warning colour all round in production, so it cannot be mistaken.
fn border_style(app: &App) -> Style {
    let t = &app.theme;
    if app.env.production {
        let colour = t.badge_production.bg.or(t.badge_production.fg);
        let mut s = Style::new().add_modifier(Modifier::BOLD);
        if let Some(c) = colour {
            s = s.fg(c);
        }
        s
    } else {
        t.border
    }
}

/// `("operator ", "asha @ counter-3")`, `("counter ", "counter-3")` before anyone is named,
/// or `None` when neither is known. Names are sanitised and fitted to 24 cells each.
fn operator_words(app: &App) -> Option<(&'static str, String)> {
    let shown = |s: &str| fit(&crate::text::sanitize_line(s), 24);
    let op = &app.operator;
    match (op.name.is_empty(), op.counter.is_empty()) {
        (true, true) => None,
        (true, false) => Some(("counter ", shown(&op.counter))),
        (false, true) => Some(("operator ", shown(&op.name))),
        (false, false) => Some((
            "operator ",
            format!("{} @ {}", shown(&op.name), shown(&op.counter)),
        )),
    }
}

pub fn draw_frame(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let border = border_style(app);
    let profile = app.current_profile();
    let badge = format!(" {} ", app.env.badge());
    let mut left = vec![
        Span::styled(" ", border),
        Span::styled(strings::APP, t.title),
        Span::styled(" ─ ", border),
        Span::styled(badge, badge_style(app)),
    ];
    let merchant = if app.env.merchant_id.is_empty() {
        "(no merchant id)"
    } else {
        app.env.merchant_id.as_str()
    };
    // A named operator comes first (a narrow header drops the merchant and profile before
    // it); a counter alone, the host name by default, comes last.
    let mut details = vec![
        ("merchant ", merchant.to_string()),
        ("profile ", profile.name.clone()),
    ];
    match operator_words(app) {
        Some(who) if app.operator.name.is_empty() => details.push(who),
        Some(who) => details.insert(0, who),
        None => {}
    }
    let help = format!(" {} ", strings::help_hint());
    let budget = usize::from(area.width)
        .saturating_sub(strings::APP.len() + app.env.badge().len() + help.len() + 12);
    let mut used = 0;
    // The ledger's trouble comes before everything else (live updates paused, the branch
    // ledger out of reach): a clerk must not trust a stale pane.
    if let Some(warning) = app.ledger_warning().filter(|_| budget > 8) {
        let text = format!("⚠ {}", crate::text::sanitize_line(&warning));
        let text = fit(&text, budget);
        used += crate::text::width(&text) + 3;
        left.push(Span::styled(" ─ ", border));
        left.push(Span::styled(text, t.error));
    }
    for (label, value) in details {
        let len = label.len() + crate::text::width(&value) + 3;
        if used + len > budget {
            break;
        }
        used += len;
        left.push(Span::styled(" ─ ", border));
        left.push(Span::styled(label, t.muted));
        left.push(Span::styled(value, t.text));
    }
    if !app.client_ready && app.env.kind == EnvKind::Demo && used + 14 < budget {
        left.push(Span::styled(" ─ starting…", t.muted));
    }
    left.push(Span::styled(" ", border));
    let footer: Vec<Span> = {
        let mut spans = vec![Span::styled(" ", border)];
        for (i, entry) in layout::footer(app, area).into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", t.muted));
            }
            spans.push(Span::styled(entry.key, t.key));
            spans.push(Span::styled(format!(" {}", entry.words), t.text));
        }
        spans.push(Span::styled(" ", border));
        spans
    };
    let block = Block::bordered()
        .border_style(border)
        .title_top(Line::from(left))
        .title_top(
            Line::from(vec![Span::styled(help, t.key), Span::styled("─", border)]).right_aligned(),
        )
        .title_bottom(Line::from(footer));
    frame.render_widget(block, area);
}

pub fn draw_banner(app: &App, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let t = &app.theme;
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    let n = app.banners.len();
    for (i, text) in app.banners.iter().enumerate() {
        if lines.len() + 1 == usize::from(area.height) && i + 1 < n {
            let more = format!(" ⚠ {} more messages: see F1 help ", n - i);
            lines.push(Line::styled(super::pad(&more, width), t.banner));
            break;
        }
        lines.push(Line::styled(
            super::pad(
                &format!(
                    " ⚠ {}",
                    fit(&crate::text::sanitize_line(text), width.saturating_sub(3))
                ),
                width,
            ),
            t.banner,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
