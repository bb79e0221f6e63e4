//! Drawing. `draw(&App, &mut Frame)` is pure: it reads the state and paints. Layout is a
//! pure function too, so mouse clicks are mapped with the same geometry the screen shows.

pub mod form;
pub mod header;
pub mod help;
pub mod history;
pub mod overlays;
pub mod result;
pub mod tabs;
pub mod toast;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::keymap::Action;
use super::state::{App, Screen};
use super::strings;

/// Terminals at least this wide show the history pane beside the form.
pub const WIDE: u16 = 120;
/// Width of the history pane beside the form.
pub const HISTORY_WIDTH: u16 = 40;
/// Below this size the desk shows "terminal too small" instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

pub fn wide(width: u16) -> bool {
    width >= WIDE
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Where the parts of the screen go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub frame: Rect,
    pub banner: Rect,
    /// The form or the result; empty when the history pane fills a narrow screen.
    pub main: Rect,
    pub history: Option<Rect>,
}

pub fn areas(app: &App, area: Rect) -> Areas {
    let inner = Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    let banner_rows = (app.banners.len() as u16).min(2).min(inner.height / 4);
    let banner = Rect {
        height: banner_rows,
        ..inner
    };
    let body = Rect {
        y: inner.y + banner_rows,
        height: inner.height - banner_rows,
        ..inner
    };
    let (main, history) = if wide(area.width) {
        let hw = HISTORY_WIDTH.min(body.width / 2);
        (
            Rect {
                width: body.width - hw,
                ..body
            },
            Some(Rect {
                x: body.x + body.width - hw,
                width: hw,
                ..body
            }),
        )
    } else if app.history.shown {
        (
            Rect {
                width: 0,
                height: 0,
                ..body
            },
            Some(body),
        )
    } else {
        (body, None)
    };
    Areas {
        frame: area,
        banner,
        main,
        history,
    }
}

/// What is under the mouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tab(usize),
    /// An item of the current tab (index into `FormState::items()`).
    Item(usize),
    /// Absolute index of a history row.
    HistoryRow(usize),
    /// A button or footer entry.
    Button(Action),
}

fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x.saturating_add(r.width) && y >= r.y && y < r.y.saturating_add(r.height)
}

pub fn hit(app: &App, area: Rect, x: u16, y: u16) -> Option<Hit> {
    if too_small(area) {
        return None;
    }
    if app.screen == Screen::Result && app.result.as_ref().is_some_and(|r| r.full_screen) {
        return None;
    }
    let a = areas(app, area);
    if let Some(action) = header::footer_hit(app, area, x, y) {
        return Some(Hit::Button(action));
    }
    if app.overlay.is_some() {
        return None;
    }
    if let Some(h) = a.history
        && contains(h, x, y)
    {
        return history::hit(app, h, x, y).map(Hit::HistoryRow);
    }
    if !contains(a.main, x, y) {
        return None;
    }
    match app.screen {
        Screen::Form => form::hit(app, a.main, x, y),
        Screen::Result => result::hit(app, a.main, x, y).map(Hit::Button),
    }
}

/// Paints the whole screen.
pub fn draw(app: &App, frame: &mut Frame) {
    paint(app, frame);
    guard_cells(frame.buffer_mut());
}

/// The last line of defence of issue 11: no cell may hand a terminal a control or bidi
/// character, whatever text a part drew (server answers and stored rows are sanitised
/// with `text::sanitize_line` where they are drawn; ratatui drops C0/C1 itself but keeps
/// zero-width bidi controls, appending them to the previous cell). Unsafe characters are
/// removed from a cell; a cell left empty shows U+FFFD.
fn guard_cells(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.symbol().chars().any(crate::text::is_unsafe) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|c| !crate::text::is_unsafe(*c))
                .collect();
            if kept.is_empty() {
                cell.set_char(crate::text::REPLACEMENT);
            } else {
                cell.set_symbol(&kept);
            }
        }
    }
}

fn paint(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let t = &app.theme;
    frame.render_widget(Block::new().style(t.base), area);
    if too_small(area) {
        draw_too_small(app, frame, area);
        return;
    }
    if app.screen == Screen::Result
        && let Some(view) = app.result.as_ref().filter(|r| r.full_screen)
    {
        result::draw_full_screen(app, view, frame, area);
        return;
    }
    let a = areas(app, area);
    header::draw_frame(app, frame, area);
    header::draw_banner(app, frame, a.banner);
    if a.main.width > 0 && a.main.height > 0 {
        match app.screen {
            Screen::Form => form::draw(app, frame, a.main),
            Screen::Result => result::draw(app, frame, a.main),
        }
    }
    if let Some(h) = a.history {
        history::draw(app, frame, h);
    }
    if app.overlay.is_some() {
        overlays::draw(app, frame, area);
    }
    toast::draw(app, frame, area);
}

fn draw_too_small(app: &App, frame: &mut Frame, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let lines = vec![
        Line::styled(strings::TOO_SMALL, app.theme.warning),
        Line::raw(strings::too_small_detail(area.width, area.height)),
    ];
    let top = area.height.saturating_sub(2) / 2;
    let r = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}

/// `text` cut to `width` terminal cells, ending with `…` when cut (`text::fit`, owned).
pub fn fit(text: &str, width: usize) -> String {
    crate::text::fit(text, width).into_owned()
}

/// `text` padded with spaces to `width` terminal cells (cut when wider).
pub use crate::text::pad_right as pad;

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod guard_tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn the_cell_guard_removes_bidi_and_controls_a_part_let_through() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 3, 1));
        buffer[(0, 0)].set_symbol("a\u{202E}");
        buffer[(1, 0)].set_symbol("\u{2066}");
        buffer[(2, 0)].set_symbol("\u{1b}");
        super::guard_cells(&mut buffer);
        assert_eq!(buffer[(0, 0)].symbol(), "a");
        assert_eq!(buffer[(1, 0)].symbol(), "\u{FFFD}");
        assert_eq!(buffer[(2, 0)].symbol(), "\u{FFFD}");
    }
}
