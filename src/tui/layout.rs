//! Screen geometry, the one place both `update` (mouse hit-tests, scrolling, which pane is
//! shown) and `draw` take their rectangles from. Pure functions of the state and the
//! terminal size; nothing here draws or changes state.

use ratatui::layout::Rect;

use super::keymap::{self, Action};
use super::state::App;

/// Terminals at least this wide show the history pane beside the form.
pub const WIDE: u16 = 120;
/// Width of the history pane beside the form.
pub const HISTORY_WIDTH: u16 = 40;
/// Below this size the desk shows "terminal too small" instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
// The history pane's inner geometry is the pane's own; the rest of the desk reads it here.
pub use super::history_pane::{HISTORY_HEADER_ROWS, HISTORY_ROW_LINES, history_list};

/// Whether a terminal `width` cells wide shows the history pane beside the form.
pub fn wide(width: u16) -> bool {
    width >= WIDE
}

/// Whether `area` is below the smallest size the desk draws.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The whole terminal for a `(width, height)` size.
pub fn screen(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
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

/// Splits the terminal `area` into banner, main part and history pane.
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

/// What a click lands on.
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

/// Whether the cell `(x, y)` lies inside `r`.
pub fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x.saturating_add(r.width) && y >= r.y && y < r.y.saturating_add(r.height)
}

/// What lies under the cell `(x, y)` of the terminal `area`, by geometry alone (the focus
/// chain, applied by the caller, decides which of these may take the click).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A footer entry on the bottom border.
    Footer(Action),
    /// Absolute index of a history row.
    HistoryRow(usize),
    /// Inside the main part (form or result), whose rectangle is given.
    Main(Rect),
}

/// The place under `(x, y)`; `None` on borders, gaps or a too-small terminal.
pub fn place(app: &App, area: Rect, x: u16, y: u16) -> Option<Place> {
    if too_small(area) {
        return None;
    }
    if let Some(action) = footer_hit(app, area, x, y) {
        return Some(Place::Footer(action));
    }
    let a = areas(app, area);
    if let Some(h) = a.history
        && contains(h, x, y)
    {
        return history_row_at(app, h, y).map(Place::HistoryRow);
    }
    contains(a.main, x, y).then_some(Place::Main(a.main))
}

/// A centred rectangle of at most `w`×`h` inside `area` (the pop-ups' own).
pub use super::popup::centered;

// ----- history pane ------------------------------------------------------------------

/// How many orders fit in the pane (0 when it is not on screen).
pub fn history_rows(app: &App, screen: Rect) -> usize {
    if too_small(screen) {
        return 0;
    }
    match areas(app, screen).history {
        Some(pane) => usize::from(history_list(pane).height / HISTORY_ROW_LINES),
        None => 0,
    }
}

/// Absolute index of the order drawn at row `y` of the history `pane`, if any.
pub fn history_row_at(app: &App, pane: Rect, y: u16) -> Option<usize> {
    let list = history_list(pane);
    if y < list.y {
        return None;
    }
    let index = app.history.top + usize::from((y - list.y) / HISTORY_ROW_LINES);
    (index < app.history.total).then_some(index)
}

// ----- footer --------------------------------------------------------------------------

/// Footer entries: send first, then the bindings of what has focus, then the rest.
pub fn footer_entries(app: &App) -> Vec<(String, &'static str, Action)> {
    let scopes = app.scopes();
    let popup = app
        .with_popup(|p| (p.modal(), p.commands()))
        .or_else(|| app.screen_commands());
    let mut entries = match popup {
        // A pop-up's own commands first, then the global keys; a question (confirm,
        // refund, operator) takes only its own keys and quitting: the other global ones
        // (send, history, profiles) would do nothing there.
        Some((modal, commands)) => {
            let mut own: Vec<_> = commands
                .into_iter()
                .map(|c| (c.key, c.label, c.action))
                .collect();
            let global: Vec<_> = keymap::footer_of(&[keymap::Scope::Global])
                .into_iter()
                .filter(|e| !modal || e.2 == Action::Quit)
                .filter(|e| !own.iter().any(|o| o.2 == e.2))
                .collect();
            own.extend(global);
            own
        }
        None => keymap::footer(&scopes),
    };
    // The tab keys are global (they work in text fields) but only mean something on the
    // form: elsewhere their entry is left out.
    if !scopes.contains(&keymap::Scope::Form) {
        entries.retain(|e| !matches!(e.2, Action::NextTab | Action::PrevTab));
    }
    if let Some(pos) = entries.iter().position(|e| e.2 == Action::Send) {
        let send = entries.remove(pos);
        entries.insert(0, send);
    }
    entries
}

/// One footer entry placed on the bottom border.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterEntry {
    pub x: u16,
    /// Cells taken by `key`, a space and `words`.
    pub width: u16,
    pub key: String,
    pub words: &'static str,
    pub action: Action,
}

/// Footer entries that fit on the bottom border of `area`, left to right.
pub fn footer(app: &App, area: Rect) -> Vec<FooterEntry> {
    let mut x = area.x + 2;
    let end = area.x + area.width.saturating_sub(2);
    let mut out = Vec::new();
    for (key, words, action) in footer_entries(app) {
        let width = (crate::text::width(&key) + 1 + crate::text::width(words)) as u16;
        // The first entry follows the border's leading space; the others " · ".
        let sep = if out.is_empty() { 0 } else { 3 };
        if x + sep + width + 1 > end {
            break;
        }
        x += sep;
        out.push(FooterEntry {
            x,
            width,
            key,
            words,
            action,
        });
        x += width;
    }
    out
}

/// The footer action at `(x, y)`, if the cell is on one.
pub fn footer_hit(app: &App, area: Rect, x: u16, y: u16) -> Option<Action> {
    if y != area.y + area.height.saturating_sub(1) {
        return None;
    }
    footer(app, area)
        .into_iter()
        .find(|e| x >= e.x && x < e.x + e.width)
        .map(|e| e.action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::state::Start;
    use crate::tui::testing;
    use crate::tui::theme::Theme;

    #[test]
    fn history_rows_are_placed_two_lines_each_below_the_pane_header() {
        let dir = std::env::temp_dir();
        let mut app = testing::app(&dir, "generic", Theme::dark(), Start::Blank, (140, 40));
        app.history.total = 2;
        let area = screen(app.size);
        let pane = areas(&app, area)
            .history
            .expect("wide screens show the pane");
        let list = history_list(pane);
        assert_eq!(
            place(&app, area, list.x, list.y),
            Some(Place::HistoryRow(0))
        );
        assert_eq!(
            place(&app, area, list.x, list.y + 3),
            Some(Place::HistoryRow(1))
        );
        // Below the last order: nothing to click.
        assert_eq!(place(&app, area, list.x, list.y + 4), None);
        // The pane's header is not a row.
        assert_eq!(place(&app, area, list.x, pane.y), None);
    }
}
