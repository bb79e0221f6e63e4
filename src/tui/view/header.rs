//! The frame around everything: header (environment badge, merchant, profile, help) on the
//! top border, the key footer on the bottom border, and the banner for config problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::config::EnvKind;
use crate::operator::Operator;
use crate::tui::layout::FooterEntry;
use crate::tui::state::EnvInfo;
use crate::tui::strings;
use crate::tui::theme::Theme;

use super::fit;

/// What the frame and the banner are drawn from (built by the router from the desk's
/// state; never the whole ctx).
pub struct FrameCtx<'a> {
    pub theme: &'a Theme,
    pub env: &'a EnvInfo,
    pub operator: &'a Operator,
    pub profile: &'a str,
    /// The branch ledger's trouble, if any (`App::ledger_warning`).
    pub ledger_warning: Option<String>,
    /// The demo's emulator has answered its first start-up call.
    pub client_ready: bool,
    /// The footer's entries, placed (`layout::footer`).
    pub footer: Vec<FooterEntry>,
    /// Config and start-up problems, one line each.
    pub banners: &'a [String],
}

fn badge_style(ctx: &FrameCtx<'_>) -> Style {
    let t = &ctx.theme;
    match ctx.env.kind {
        EnvKind::Demo => t.badge_demo,
        EnvKind::Sandbox => t.badge_sandbox,
        EnvKind::Production => t.badge_production,
        EnvKind::Custom if ctx.env.production => t.badge_production,
        EnvKind::Custom => t.badge_custom,
    }
}

/// The border: a warning colour all round in production, so it cannot be mistaken.
fn border_style(ctx: &FrameCtx<'_>) -> Style {
    let t = &ctx.theme;
    if ctx.env.production {
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
fn operator_words(ctx: &FrameCtx<'_>) -> Option<(&'static str, String)> {
    let shown = |s: &str| fit(&crate::text::sanitize_line(s), 24);
    let op = &ctx.operator;
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

pub fn draw_frame(ctx: &FrameCtx<'_>, frame: &mut Frame, area: Rect) {
    let t = &ctx.theme;
    let border = border_style(ctx);
    let badge = format!(" {} ", ctx.env.badge());
    let mut left = vec![
        Span::styled(" ", border),
        Span::styled(strings::APP, t.title),
        Span::styled(" ─ ", border),
        Span::styled(badge, badge_style(ctx)),
    ];
    let merchant = if ctx.env.merchant_id.is_empty() {
        "(no merchant id)"
    } else {
        ctx.env.merchant_id.as_str()
    };
    // A named operator comes first (a narrow header drops the merchant and profile before
    // it); a counter alone, the host name by default, comes last.
    let mut details = vec![
        ("merchant ", merchant.to_string()),
        ("profile ", ctx.profile.to_string()),
    ];
    match operator_words(ctx) {
        Some(who) if ctx.operator.name.is_empty() => details.push(who),
        Some(who) => details.insert(0, who),
        None => {}
    }
    let help = format!(" {} ", strings::help_hint());
    let budget = usize::from(area.width)
        .saturating_sub(strings::APP.len() + ctx.env.badge().len() + help.len() + 12);
    let mut used = 0;
    // The ledger's trouble comes before everything else (live updates paused, the branch
    // ledger out of reach): a clerk must not trust a stale pane.
    if let Some(warning) = ctx.ledger_warning.as_ref().filter(|_| budget > 8) {
        let text = format!("⚠ {}", crate::text::sanitize_line(warning));
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
    if !ctx.client_ready && ctx.env.kind == EnvKind::Demo && used + 14 < budget {
        left.push(Span::styled(" ─ starting…", t.muted));
    }
    left.push(Span::styled(" ", border));
    let footer: Vec<Span> = {
        let mut spans = vec![Span::styled(" ", border)];
        for (i, entry) in ctx.footer.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", t.muted));
            }
            spans.push(Span::styled(entry.key.clone(), t.key));
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

pub fn draw_banner(ctx: &FrameCtx<'_>, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let t = &ctx.theme;
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    let n = ctx.banners.len();
    for (i, text) in ctx.banners.iter().enumerate() {
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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    fn env(kind: EnvKind, production: bool) -> EnvInfo {
        EnvInfo {
            name: "production".into(),
            kind,
            merchant_id: "acme_travels".into(),
            client_id: String::new(),
            return_url: None,
            base_url: None,
            send_problem: None,
            production,
        }
    }

    fn screen(ctx: &FrameCtx<'_>, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| {
                let area = frame.area();
                draw_frame(ctx, frame, area);
                draw_banner(
                    ctx,
                    frame,
                    Rect {
                        y: 1,
                        height: 1,
                        ..area
                    },
                );
            })
            .expect("draw");
        terminal.backend().to_string()
    }

    /// The frame alone, from its context: badge, operator before merchant and profile, the
    /// ledger's warning before all of them, the banner, and the footer it is handed.
    #[test]
    fn the_frame_draws_alone_from_its_context() {
        let theme = Theme::dark();
        let env = env(EnvKind::Production, true);
        let operator = Operator {
            name: "asha".into(),
            counter: "counter-3".into(),
        };
        let banners = vec!["profile \"loan\" not found; using generic".to_string()];
        let footer = vec![FooterEntry {
            x: 2,
            width: 12,
            key: "Ctrl-S".into(),
            words: "send",
            action: crate::tui::keymap::Action::Send,
        }];
        let ctx = FrameCtx {
            theme: &theme,
            env: &env,
            operator: &operator,
            profile: "travel",
            ledger_warning: None,
            client_ready: true,
            footer,
            banners: &banners,
        };
        let text = screen(&ctx, 120, 6);
        assert!(text.contains(" PRODUCTION "), "{text}");
        assert!(text.contains("operator asha @ counter-3"), "{text}");
        assert!(text.contains("merchant acme_travels"), "{text}");
        assert!(text.contains("profile travel"), "{text}");
        assert!(text.contains("⚠ profile \"loan\" not found"), "{text}");
        assert!(text.contains("Ctrl-S send"), "{text}");
        let warned = FrameCtx {
            ledger_warning: Some("branch ledger unreachable".into()),
            ..ctx
        };
        let text = screen(&warned, 80, 6);
        let top = text.lines().next().unwrap_or_default();
        assert!(top.contains("⚠ branch ledger unreachable"), "{top}");
        assert!(!top.contains("merchant"), "the warning goes first:\n{top}");
    }
}
