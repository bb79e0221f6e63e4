//! The history pane: a window of rows around the selection, loaded from the store in a
//! task. Only the window is ever in memory, so 100,000 rows scroll like 10.

use crate::history::{OrderRow, Query};

use super::history_open::OpenFailure;
use super::widgets::line_input::LineInput;

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
    pub fn loaded(&mut self, offset: usize, total: usize, rows: Vec<OrderRow>, height: usize) {
        let chosen = self.selected_row().map(|r| r.id);
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
        pane.loaded(0, 3, vec![row(3), row(2), row(1)], 20);
        pane.selected = 1;
        assert_eq!(pane.selected_row().map(|r| r.id), Some(2));
        // Two orders made at another counter arrive on top.
        pane.loaded(0, 5, vec![row(5), row(4), row(3), row(2), row(1)], 20);
        assert_eq!(pane.selected_row().map(|r| r.id), Some(2));
        assert_eq!(pane.selected, 3);
        // The chosen order is gone (forgotten elsewhere): the place is kept, within bounds.
        pane.loaded(0, 2, vec![row(5), row(4)], 20);
        assert_eq!(pane.selected, 1);
    }

    #[test]
    fn moving_far_asks_for_a_new_window() {
        let mut pane = HistoryPane {
            total: 100_000,
            ..HistoryPane::default()
        };
        let (g, q) = pane.query_around(0);
        assert_eq!((g, q.offset, q.limit), (1, 0, WINDOW));
        pane.loaded(0, 100_000, vec![], 20);
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
}
