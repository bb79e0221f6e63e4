//! Drawing. `draw(&App, &mut Frame)` is pure: it reads the state and paints, taking its
//! rectangles from `layout` (as mouse hit-tests do) and focus from `chain`.

pub mod form;
mod form_row;
pub mod header;
pub mod tabs;
pub mod toast;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::chain::Target;
use super::form_ctx::FormCtx;
use super::history_pane::PaneStatus;
use super::order_view::ResultStatus;
use super::popup::DrawCtx;
use super::state::{App, Screen};
use super::strings;
use header::FrameCtx;

// Geometry lives in `layout`; these names stay for the views that use them.
pub use super::layout::{Hit, areas, centered, footer, too_small, wide};

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

/// The draw context of a part: the desk's theme and clock, and whether the part has focus.
fn ctx(app: &App, focused: bool) -> DrawCtx<'_> {
    DrawCtx {
        theme: &app.theme,
        focused,
        now: app.now,
        utc_offset: app.utc_offset,
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
    let target = app.focus_target();
    if target == Target::FullScreen
        && let Some(view) = app.result.as_ref()
    {
        view.draw_full_screen(frame, area, &ctx(app, true));
        return;
    }
    let a = areas(app, area);
    let frame_ctx = FrameCtx {
        theme: &app.theme,
        env: &app.env,
        operator: &app.operator,
        profile: &app.current_profile().name,
        ledger_warning: app.ledger_warning(),
        client_ready: app.client_ready,
        footer: footer(app, area),
        banners: &app.banners,
    };
    header::draw_frame(&frame_ctx, frame, area);
    header::draw_banner(&frame_ctx, frame, a.banner);
    if a.main.width > 0 && a.main.height > 0 {
        match (app.screen, &app.result) {
            (Screen::Form, _) => form::draw(&FormCtx::of(app), frame, a.main),
            (Screen::Result, Some(view)) => {
                let status = ResultStatus {
                    poll_interval: app.poll_interval,
                    demo_offered: app.demo_offered(),
                    terminal: app.size,
                };
                let focused = target == Target::Result;
                view.draw(frame, a.main, &ctx(app, focused), &status);
            }
            (Screen::Result, None) => {}
            (Screen::Part, _) => {
                let focused = target == Target::Screen;
                if let Some(part) = &app.screen_part {
                    part.draw(frame, a.main, &ctx(app, focused));
                }
            }
        }
    }
    if let Some(h) = a.history {
        let status = PaneStatus {
            divider: wide(app.size.0),
            next_check: app.rechecks.due.filter(|_| app.rechecks.open > 0),
        };
        app.history
            .draw(frame, h, &ctx(app, target == Target::History), &status);
    }
    if target == Target::Overlay {
        app.with_popup(|popup| popup.draw(frame, area, &ctx(app, true)));
    }
    toast::draw(app.toast.as_ref(), &app.theme, frame, area);
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
