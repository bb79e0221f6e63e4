//! A short message in the bottom-right corner ("Copied", "Saved …") that goes by itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::state::App;

use super::fit;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(toast) = &app.toast else { return };
    if area.height < 3 || area.width < 8 {
        return;
    }
    let t = &app.theme;
    let max = usize::from(area.width.saturating_sub(4));
    let text = format!(" {} ", fit(&toast.text, max.saturating_sub(2)));
    let width = text.chars().count() as u16;
    let r = Rect {
        x: area.x + area.width.saturating_sub(width + 2),
        y: area.y + area.height.saturating_sub(2),
        width,
        height: 1,
    };
    let style = if toast.error {
        t.status_failed
    } else {
        t.toast
    };
    frame.render_widget(Clear, r);
    frame.render_widget(Paragraph::new(Line::styled(text, style)), r);
}
