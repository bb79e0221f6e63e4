//! A short message in the bottom-right corner ("Copied", "Saved …") that goes by itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::state::Toast;
use crate::tui::theme::Theme;

use crate::text;

/// Draws `toast`, if any, over the bottom-right corner of `area`.
pub fn draw(toast: Option<&Toast>, t: &Theme, frame: &mut Frame, area: Rect) {
    let Some(toast) = toast else { return };
    if area.height < 3 || area.width < 8 {
        return;
    }
    // Wrapped, not cut, on as many rows as it needs (a toast taller than the screen
    // keeps its first rows; it goes by in any case).
    let max = usize::from(area.width.saturating_sub(4));
    let mut lines = crate::text::wrap(&toast.text, max.saturating_sub(2), "");
    lines.truncate(usize::from(area.height.saturating_sub(2)));
    let width = lines.iter().map(|l| text::width(l)).max().unwrap_or(0) + 2;
    let width = u16::try_from(width).unwrap_or(area.width);
    let height = u16::try_from(lines.len()).unwrap_or(1);
    let r = Rect {
        x: area.x + area.width.saturating_sub(width + 2),
        y: area.y + area.height.saturating_sub(1 + height),
        width,
        height,
    };
    let style = if toast.error {
        t.status_failed
    } else {
        t.toast
    };
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            Line::styled(
                format!(" {} ", text::pad_right(&l, usize::from(width) - 2)),
                style,
            )
        })
        .collect();
    frame.render_widget(Clear, r);
    frame.render_widget(Paragraph::new(lines), r);
}
