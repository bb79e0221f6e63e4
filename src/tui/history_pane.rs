//! The history pane: a window of rows around the selection, loaded from the store in a
//! task. Only the window is ever in memory, so 100,000 rows scroll like 10.

mod draw;

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::history::{OrderRow, Query};

use super::history_open::OpenFailure;
use super::keymap::{self, Action, Scope};
use super::widgets::line_input::LineInput;

pub use draw::PaneStatus;

/// Rows above the list in the history pane (title and search).
pub const HISTORY_HEADER_ROWS: u16 = 2;
/// Terminal rows each order takes in the history pane.
pub const HISTORY_ROW_LINES: u16 = 2;

/// The order list inside the history pane (below its title and search line).
pub fn history_list(pane: Rect) -> Rect {
    Rect {
        x: pane.x + 2,
        y: pane.y + HISTORY_HEADER_ROWS,
        width: pane.width.saturating_sub(3),
        height: pane.height.saturating_sub(HISTORY_HEADER_ROWS),
    }
}

/// What a key did to the pane, for the desk.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PaneReply {
    /// The rows to show are not all in memory, or the search changed: a window query is
    /// due (the desk runs it, `App::reload_history`).
    pub window_due: bool,
    /// An action of the pane's keymap it does not handle alone (open, refresh, reuse,
    /// forget, leave the pane, global keys), for the desk.
    pub propagate: Option<Action>,
    /// Nothing changed: no redraw needed.
    pub idle: bool,
}

impl PaneReply {
    fn window_due() -> PaneReply {
        PaneReply {
            window_due: true,
            ..PaneReply::default()
        }
    }

    fn idle() -> PaneReply {
        PaneReply {
            idle: true,
            ..PaneReply::default()
        }
    }
}

/// Rows fetched per window; several screens' worth, so scrolling rarely waits.
pub const WINDOW: usize = 120;

#[derive(Debug, Default)]
pub struct HistoryPane {
    /// On narrow terminals the pane is toggled; wide ones always show it.
    pub shown: bool,
    /// The store is open and can be queried.
    pub available: bool,
    pub rows: Vec<OrderRow>,
    /// Absolute index of `rows[0]`.
    pub window_offset: usize,
    /// Rows known to match (all of them unless `more`).
    pub total: usize,
    /// More rows match than `total`: the count stopped there (shown as "1120+ orders");
    /// a window further down counts further.
    pub more: bool,
    /// Absolute index of the selected row.
    pub selected: usize,
    /// Absolute index of the first row on screen.
    pub top: usize,
    pub search: LineInput,
    /// The search line takes typed keys.
    pub searching: bool,
    /// Bumped per query; answers for older ones are dropped.
    pub generation: u64,
    pub loading: bool,
    pub error: Option<String>,
    /// Why the history could not be opened, while the runner keeps trying.
    pub open_failure: Option<OpenFailure>,
    /// The window was requested at least once.
    pub loaded_once: bool,
    /// Rows of the window refunded in full or in part (by local id), for the marks.
    pub refund_marks: std::collections::HashMap<i64, crate::history::RefundMark>,
}

impl HistoryPane {
    /// A key while the pane has focus and `height` rows fit: moving, the search line (the
    /// shared editing keys), else the action for the desk.
    pub fn key(&mut self, key: &KeyEvent, height: usize) -> PaneReply {
        if self.searching
            && let Some(reply) = self.search_key(key)
        {
            return reply;
        }
        match keymap::lookup(&[Scope::History], key) {
            None => PaneReply::idle(),
            Some(
                action @ (Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End),
            ) => {
                let page = height.max(1) as isize;
                let total = self.total as isize;
                let delta = match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -page,
                    Action::PageDown => page,
                    Action::Home => -total,
                    _ => total,
                };
                PaneReply {
                    window_due: self.move_by(delta, height),
                    ..PaneReply::default()
                }
            }
            Some(Action::Search) => {
                self.searching = true;
                PaneReply::default()
            }
            Some(other) => PaneReply {
                propagate: Some(other),
                ..PaneReply::default()
            },
        }
    }

    /// A key while the search line is being typed: Esc drops the search, Enter (↓, Tab)
    /// keeps it and goes to the rows, the editing keys edit it. `None` for any other key,
    /// which the pane's keymap then handles.
    fn search_key(&mut self, key: &KeyEvent) -> Option<PaneReply> {
        match keymap::lookup(&[Scope::Editor], key) {
            Some(Action::Back) => {
                self.searching = false;
                self.search = LineInput::default();
                self.selected = 0;
                self.top = 0;
                return Some(PaneReply::window_due());
            }
            Some(Action::Enter | Action::Down | Action::NextField) => {
                self.searching = false;
                return Some(PaneReply::default());
            }
            _ => {}
        }
        let edit = keymap::edit(key)?;
        let before = self.search.text().to_string();
        if !self.search.apply(edit) {
            return Some(PaneReply::idle());
        }
        if self.search.text() == before {
            return Some(PaneReply::default());
        }
        self.selected = 0;
        self.top = 0;
        Some(PaneReply::window_due())
    }

    pub fn selected_row(&self) -> Option<&OrderRow> {
        self.selected
            .checked_sub(self.window_offset)
            .and_then(|i| self.rows.get(i))
    }

    pub fn row(&self, index: usize) -> Option<&OrderRow> {
        index
            .checked_sub(self.window_offset)
            .and_then(|i| self.rows.get(i))
    }

    /// A query for the window around the selection (new generation).
    pub fn query_around(&mut self, index: usize) -> (u64, Query) {
        self.generation += 1;
        self.loading = true;
        self.loaded_once = true;
        let offset = index.saturating_sub(WINDOW / 3);
        let search = self.search.text().trim();
        let query = Query {
            search: (!search.is_empty()).then(|| search.to_string()),
            offset,
            limit: WINDOW,
            ..Query::default()
        };
        (self.generation, query)
    }

    /// Whether rows `top..top+height` are all in memory.
    pub fn covers(&self, top: usize, height: usize) -> bool {
        let end = (top + height).min(self.total);
        top >= self.window_offset && end <= self.window_offset + self.rows.len()
    }

    /// Moves the selection by `delta` rows and keeps it on screen. Returns true when the
    /// visible rows are not all loaded (a window query is due).
    pub fn move_by(&mut self, delta: isize, height: usize) -> bool {
        if self.total == 0 {
            return false;
        }
        let max = self.total - 1;
        let next = (self.selected as isize + delta).clamp(0, max as isize) as usize;
        self.selected = next;
        self.scroll_to_selection(height);
        !self.covers(self.top, height.max(1))
    }

    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + height {
            self.top = self.selected + 1 - height;
        }
        let max_top = self.total.saturating_sub(height);
        self.top = self.top.min(max_top);
    }

    /// Takes in a window answer. The selection stays on the same order when the new
    /// window still holds it (orders added above it at another counter move it down),
    /// so a key pressed next (forget, refund, open) acts on the order the clerk chose.
    /// But a pane that does not have the keys (`follow`) and sits on the newest order
    /// keeps showing the newest: a clerk watching the branch sees what just came in.
    pub fn loaded(
        &mut self,
        offset: usize,
        total: usize,
        rows: Vec<OrderRow>,
        height: usize,
        follow: bool,
    ) {
        let chosen = (!follow || self.selected > 0)
            .then(|| self.selected_row().map(|r| r.id))
            .flatten();
        self.loading = false;
        self.error = None;
        self.window_offset = offset;
        self.total = total;
        self.rows = rows;
        if self.total == 0 {
            self.selected = 0;
            self.top = 0;
            return;
        }
        let same_order = chosen.and_then(|id| self.rows.iter().position(|r| r.id == id));
        self.selected = match same_order {
            Some(i) => offset + i,
            None => self.selected.min(self.total - 1),
        };
        self.scroll_to_selection(height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> OrderRow {
        OrderRow {
            id,
            created_at: String::new(),
            environment: "demo".into(),
            base_host: String::new(),
            merchant_id: String::new(),
            profile: String::new(),
            order_id: format!("PD{id}"),
            juspay_id: None,
            request_id: String::new(),
            amount: "1.00".into(),
            currency: "INR".into(),
            customer_id: String::new(),
            customer_name: String::new(),
            customer_phone: String::new(),
            customer_email: String::new(),
            request_body: String::new(),
            response_body: None,
            payment_link: None,
            link_expiry: None,
            status: None,
            status_checked_at: None,
            outcome: crate::history::Outcome::Created,
            error: None,
            send: Default::default(),
            operator: String::new(),
            counter: String::new(),
        }
    }

    #[test]
    fn a_reload_keeps_the_selection_on_the_same_order() {
        let mut pane = HistoryPane::default();
        pane.loaded(0, 3, vec![row(3), row(2), row(1)], 20, false);
        pane.selected = 1;
        assert_eq!(pane.selected_row().map(|r| r.id), Some(2));
        // Two orders made at another counter arrive on top.
        pane.loaded(
            0,
            5,
            vec![row(5), row(4), row(3), row(2), row(1)],
            20,
            false,
        );
        assert_eq!(pane.selected_row().map(|r| r.id), Some(2));
        assert_eq!(pane.selected, 3);
        // The chosen order is gone (forgotten elsewhere): the place is kept, within bounds.
        pane.loaded(0, 2, vec![row(5), row(4)], 20, false);
        assert_eq!(pane.selected, 1);
    }

    #[test]
    fn a_pane_without_the_keys_on_the_newest_order_follows_the_newest() {
        let mut pane = HistoryPane::default();
        pane.loaded(0, 2, vec![row(2), row(1)], 20, true);
        assert_eq!(pane.selected, 0);
        pane.loaded(0, 4, vec![row(4), row(3), row(2), row(1)], 20, true);
        assert_eq!(pane.selected_row().map(|r| r.id), Some(4));
        // With the keys, the clerk's order stays chosen.
        pane.loaded(
            0,
            5,
            vec![row(5), row(4), row(3), row(2), row(1)],
            20,
            false,
        );
        assert_eq!(pane.selected_row().map(|r| r.id), Some(4));
        // Not on the newest: the chosen order stays too.
        pane.loaded(
            0,
            6,
            vec![row(6), row(5), row(4), row(3), row(2), row(1)],
            20,
            true,
        );
        assert_eq!(pane.selected_row().map(|r| r.id), Some(4));
    }

    #[test]
    fn moving_far_asks_for_a_new_window() {
        let mut pane = HistoryPane {
            total: 100_000,
            ..HistoryPane::default()
        };
        let (g, q) = pane.query_around(0);
        assert_eq!((g, q.offset, q.limit), (1, 0, WINDOW));
        pane.loaded(0, 100_000, vec![], 20, false);
        // Nothing loaded at all: any move needs a window.
        assert!(pane.move_by(1, 20));
        pane.selected = 0;
        pane.top = 0;
        pane.rows = Vec::new();
        pane.total = 100_000;
        pane.move_by(50_000, 20);
        assert_eq!(pane.selected, 50_000);
        assert_eq!(pane.top, 50_000 - 19);
        let (_, q) = pane.query_around(pane.top);
        assert_eq!(q.offset, pane.top - WINDOW / 3);
        // Never past the last row.
        pane.move_by(1_000_000, 20);
        assert_eq!(pane.selected, 99_999);
    }

    // ----- the pane alone on a TestBackend: keys in, state and buffer out ------------

    use crossterm::event::{KeyCode, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::tui::popup::DrawCtx;
    use crate::tui::theme::Theme;

    fn press(pane: &mut HistoryPane, code: KeyCode) -> PaneReply {
        pane.key(&KeyEvent::new(code, KeyModifiers::NONE), 10)
    }

    fn with_mods(pane: &mut HistoryPane, code: KeyCode, mods: KeyModifiers) -> PaneReply {
        pane.key(&KeyEvent::new(code, mods), 10)
    }

    fn named(id: i64, name: &str, amount: &str) -> OrderRow {
        OrderRow {
            customer_name: name.into(),
            amount: amount.into(),
            created_at: "2026-11-25T09:59:00.000Z".into(),
            ..row(id)
        }
    }

    fn loaded(rows: Vec<OrderRow>) -> HistoryPane {
        let mut pane = HistoryPane {
            shown: true,
            available: true,
            ..HistoryPane::default()
        };
        let total = rows.len();
        pane.loaded(0, total, rows, 10, false);
        pane
    }

    /// The pane drawn alone in a `width`×24 area: the screen as text.
    fn drawn(pane: &HistoryPane, width: u16, status: &PaneStatus) -> String {
        let theme = Theme::dark();
        let mut terminal = match Terminal::new(TestBackend::new(width, 24)) {
            Ok(t) => t,
            Err(e) => panic!("test terminal: {e}"),
        };
        let mut ctx = DrawCtx::new(&theme);
        ctx.now = time::macros::datetime!(2026-11-25 10:00 UTC);
        if let Err(e) = terminal.draw(|f| pane.draw(f, f.area(), &ctx, status)) {
            panic!("draw: {e}");
        }
        terminal.backend().to_string()
    }

    #[test]
    fn keys_move_the_selection_and_pass_on_what_the_desk_does() {
        let mut pane = loaded(vec![named(3, "Asha", "100"), named(2, "Ravi", "200")]);
        assert_eq!(press(&mut pane, KeyCode::Char('j')), PaneReply::default());
        assert_eq!(pane.selected_row().map(|r| r.id), Some(2));
        let screen = drawn(&pane, 40, &PaneStatus::default());
        assert!(screen.contains("History · 2 orders"), "{screen}");
        assert!(
            screen.contains("09:59 PD2") && screen.contains("Ravi"),
            "{screen}"
        );
        press(&mut pane, KeyCode::Up);
        assert_eq!(pane.selected, 0);
        let open = press(&mut pane, KeyCode::Enter);
        assert_eq!(open.propagate, Some(Action::Enter));
        assert!(
            press(&mut pane, KeyCode::F(12)).idle,
            "an unbound key changes nothing"
        );
    }

    #[test]
    fn the_search_line_edits_with_the_shared_keys_and_asks_for_a_window() {
        let mut pane = loaded(vec![named(1, "Asha", "100")]);
        press(&mut pane, KeyCode::Char('/'));
        assert!(pane.searching);
        for c in "ravi kumar".chars() {
            assert!(press(&mut pane, KeyCode::Char(c)).window_due);
        }
        with_mods(&mut pane, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(pane.search.text(), "ravi ");
        with_mods(&mut pane, KeyCode::Char('z'), KeyModifiers::ALT);
        assert_eq!(pane.search.text(), "ravi kumar");
        let screen = drawn(&pane, 40, &PaneStatus::default());
        assert!(screen.contains("/ ravi kumar▏"), "{screen}");
        // Enter keeps the search and goes back to the rows; Esc there is the desk's.
        assert_eq!(press(&mut pane, KeyCode::Enter), PaneReply::default());
        assert!(!pane.searching);
        assert_eq!(press(&mut pane, KeyCode::Esc).propagate, Some(Action::Back));
        // Esc while typing drops the search.
        press(&mut pane, KeyCode::Char('/'));
        assert!(press(&mut pane, KeyCode::Esc).window_due);
        assert_eq!((pane.searching, pane.search.text()), (false, ""));
    }

    #[test]
    fn a_wide_customer_name_never_cuts_the_amount() {
        let pane = loaded(vec![named(1, "陈伟陈伟陈伟陈伟陈伟陈伟", "12500")]);
        for width in [40, 80] {
            let screen = drawn(&pane, width, &PaneStatus::default());
            assert!(screen.contains("₹12,500.00"), "{width}: {screen}");
        }
    }

    #[test]
    fn the_title_counts_down_to_the_next_check_of_open_rows() {
        let pane = loaded(vec![named(1, "Asha", "100")]);
        let status = PaneStatus {
            divider: true,
            next_check: Some(time::macros::datetime!(2026-11-25 10:00:42 UTC)),
        };
        let screen = drawn(&pane, 60, &status);
        assert!(screen.contains("open: next check in 42 s"), "{screen}");
        assert!(screen.starts_with("\"│"), "the divider: {screen}");
    }
}
