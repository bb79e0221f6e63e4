//! The tab row: number, title and the count of problems each tab holds.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::form_ctx::FormCtx;

/// One tab's place on the row: `(x, width, index, title, problems)`.
pub fn layout(ctx: &FormCtx<'_>, area: Rect) -> Vec<(u16, u16, usize, String, usize)> {
    let mut x = area.x;
    let end = area.x + area.width;
    let mut out = Vec::new();
    for (i, section) in ctx.form.tabs.iter().enumerate() {
        let problems = ctx.form.problem_count(*section);
        let title = format!(" {} {} ", i + 1, section.title());
        let extra = if problems > 0 {
            format!("({problems}) ")
        } else {
            String::new()
        };
        let width = (crate::text::width(&title) + crate::text::width(&extra)) as u16;
        if x + width > end {
            break;
        }
        out.push((x, width, i, title, problems));
        x += width + 1;
    }
    out
}

pub fn hit(ctx: &FormCtx<'_>, area: Rect, x: u16, y: u16) -> Option<usize> {
    if y != area.y {
        return None;
    }
    layout(ctx, area)
        .into_iter()
        .find(|(tx, w, ..)| x >= *tx && x < tx + w)
        .map(|(_, _, i, ..)| i)
}

pub fn draw(ctx: &FormCtx<'_>, frame: &mut Frame, area: Rect) {
    let t = &ctx.theme;
    let mut spans = Vec::new();
    let on_form = ctx.shown;
    for (n, (_, _, i, title, problems)) in layout(ctx, area).into_iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(" "));
        }
        let active = i == ctx.form.tab && on_form;
        let style = if active { t.tab_active } else { t.tab };
        spans.push(Span::styled(title, style));
        if problems > 0 {
            let err = if active {
                t.tab_active.patch(t.error)
            } else {
                t.error
            };
            spans.push(Span::styled(format!("({problems}) "), err));
        }
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect { height: 1, ..area },
    );
}
