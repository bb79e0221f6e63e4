//! The history part's keys and actions: moving, searching (shared line input), opening,
//! refreshing, reusing and forgetting rows.

use std::time::Duration;

use crossterm::event::KeyEvent;

use crate::history::{OrderRow, Outcome};
use crate::session::wire;
use crate::tui::history_open::OpenFailure;
use crate::tui::task_error::TaskError;

use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::form_state::ORDER_ID_KEY;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::order_view::OrderView;
use crate::tui::popup::confirm::Confirm;
use crate::tui::strings;

impl App {
    // ----- history -------------------------------------------------------------------

    pub(crate) fn reload_history(&mut self) -> Vec<Effect> {
        if !self.history.available {
            return Vec::new();
        }
        let (generation, query) = self.history.query_around(self.history.top);
        vec![Effect::LoadHistory { generation, query }]
    }

    pub(crate) fn load_history_window(&mut self) -> Vec<Effect> {
        self.reload_history()
    }

    /// A key for the focused pane: the pane moves and searches by itself
    /// (`HistoryPane::key`); what it passes on is done here.
    pub(crate) fn history_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let reply = self.history.key(&key, self.history_height());
        if reply.idle {
            self.dirty = false;
        }
        let mut effects = if reply.window_due {
            self.reload_history()
        } else {
            Vec::new()
        };
        if let Some(action) = reply.propagate {
            effects.extend(self.history_action(action));
        }
        effects
    }

    /// An action the pane passed on: open, refresh, reuse or forget the selected order,
    /// leave the pane, or a global key.
    fn history_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Enter => self.open_history_row(),
            Action::Refresh => match self.history.selected_row() {
                Some(row) => {
                    let effect = Effect::RefreshRow(Box::new(row.clone()));
                    vec![
                        effect,
                        self.toast(format!("Checking {}…", row.order_id), false),
                    ]
                }
                None => Vec::new(),
            },
            Action::Reuse => self.reuse_selected(),
            Action::Forget => {
                if let Some(row) = self.history.selected_row() {
                    let text = strings::forget_confirm(&row.order_id, self.live.branch.is_some());
                    let (history_id, order_id) = (row.id, row.order_id.clone());
                    let forget: Then = Box::new(move |_: &mut App| {
                        vec![Effect::Forget {
                            history_id,
                            order_id,
                        }]
                    });
                    self.open(Confirm::new(text, forget));
                }
                Vec::new()
            }
            Action::Back => {
                self.focus = Focus::Form;
                if !layout::wide(self.size.0) {
                    self.history.shown = false;
                }
                Vec::new()
            }
            Action::HistoryLetter => self.toggle_history(true),
            other => self.global_action(other),
        }
    }

    /// `y`: the selected order copied into a new one, asking first when the form holds
    /// edits that were not sent.
    fn reuse_selected(&mut self) -> Vec<Effect> {
        let Some(row) = self.history.selected_row() else {
            return Vec::new();
        };
        let (order_id, request_body) = (row.order_id.clone(), row.request_body.clone());
        if self.has_unsent_edits() {
            let text = strings::reuse_confirm(&order_id);
            let reuse: Then = Box::new(move |app: &mut App| app.reuse(&order_id, &request_body));
            self.open(Confirm::new(text, reuse));
            return Vec::new();
        }
        self.reuse(&order_id, &request_body)
    }

    /// A new order copied from a history order's request (its order id left to generate).
    pub(crate) fn reuse(&mut self, order_id: &str, request_body: &str) -> Vec<Effect> {
        let profile = self.current_profile().clone();
        match wire::import_str(request_body, &profile) {
            Ok(mut form) => {
                form.set(ORDER_ID_KEY, "");
                self.result = None;
                self.new_order(form);
                vec![self.toast(format!("New order copied from {order_id}"), false)]
            }
            Err(e) => vec![self.toast(format!("Could not read that order's request: {e}"), true)],
        }
    }

    pub(crate) fn open_history_row(&mut self) -> Vec<Effect> {
        let Some(row) = self.history.selected_row().cloned() else {
            return Vec::new();
        };
        let profile = self.current_profile().clone();
        let form = wire::import_str(&row.request_body, &profile).unwrap_or_default();
        let view_id = self.next_id();
        let view = OrderView::from_row(view_id, &row, form);
        if !view.is_final() && row.outcome == Outcome::Created {
            let effects = self.show_result(view);
            // Check now rather than after a full interval: the row may be old.
            return effects
                .into_iter()
                .map(|e| match e {
                    Effect::PollStatus {
                        view_id,
                        history_id,
                        order_id,
                        ..
                    } => Effect::PollStatus {
                        view_id,
                        history_id,
                        order_id,
                        after: Duration::ZERO,
                    },
                    other => other,
                })
                .collect();
        }
        let mut view = view;
        view.status = view.status.or_else(|| Some("UNKNOWN".into()));
        self.result = Some(view);
        self.screen = Screen::Result;
        self.focus = Focus::Form;
        if !layout::wide(self.size.0) {
            self.history.shown = false;
        }
        Vec::new()
    }

    pub(crate) fn history_height(&self) -> usize {
        layout::history_rows(self, layout::screen(self.size))
    }

    pub(crate) fn toggle_history(&mut self, letter: bool) -> Vec<Effect> {
        if layout::wide(self.size.0) {
            if self.focus == Focus::History {
                self.focus = Focus::Form;
            } else {
                self.focus = Focus::History;
            }
        } else if self.history.shown && (letter || self.focus == Focus::History) {
            self.history.shown = false;
            self.focus = Focus::Form;
        } else {
            self.history.shown = true;
            self.focus = Focus::History;
        }
        if self.focus == Focus::History {
            self.leave_field();
            if !self.history.loaded_once
                || !self.history.covers(self.history.top, self.history_height())
            {
                return self.load_history_window();
            }
        }
        Vec::new()
    }

    // ----- task answers -----------------------------------------------------------

    /// The history database opened (after retries, perhaps) or failed again.
    pub(crate) fn store_ready(&mut self, result: Result<(), OpenFailure>) -> Vec<Effect> {
        match result {
            Ok(()) => {
                self.history.available = true;
                // Opened after all (a retry): the banner about it goes.
                if let Some(old) = self.history.open_failure.take() {
                    let old = strings::history_unavailable(&old);
                    self.banners.retain(|b| *b != old);
                    self.history.error = None;
                }
                // The start-up re-check of open rows (it waits for the client).
                let mut effects = self.reload_history();
                effects.extend(self.schedule_recheck(Duration::ZERO));
                effects
            }
            Err(failure) => {
                if let Some(old) = &self.history.open_failure {
                    let old = strings::history_unavailable(old);
                    self.banners.retain(|b| *b != old);
                }
                self.history.error = Some(failure.to_string());
                self.banners.push(strings::history_unavailable(&failure));
                self.history.open_failure = Some(failure);
                Vec::new()
            }
        }
    }

    /// A window of history rows arrived; stale generations are ignored.
    pub(crate) fn history_loaded(
        &mut self,
        generation: u64,
        offset: usize,
        total: crate::history::Count,
        rows: Vec<OrderRow>,
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        if generation == self.history.generation {
            let height = self.history_height();
            self.history.more = total.more();
            let known = usize::try_from(total.known()).unwrap_or(usize::MAX);
            let follow = self.focus != Focus::History;
            self.history.loaded(offset, known, rows, height, follow);
            // Open rows on screen (from this run, another process, or a check that
            // failed) are re-checked while the desk is open.
            if self.history.rows.iter().any(|r| r.outcome.is_open()) {
                self.rechecks.open = self.rechecks.open.max(1);
                let pause = self.recheck_pause();
                effects.extend(self.schedule_recheck(pause));
            }
            if !self.history.covers(self.history.top, height) && self.history.total > 0 {
                effects.extend(self.load_history_window());
            }
        }
        effects
    }

    /// A row was forgotten (or could not be).
    pub(crate) fn forgotten(
        &mut self,
        order_id: String,
        result: Result<(), TaskError>,
    ) -> Vec<Effect> {
        let text = match &result {
            Ok(()) => format!("Forgot order {order_id}"),
            Err(e) => format!("Could not forget {order_id}: {e}"),
        };
        let mut effects = vec![self.toast(text, result.is_err())];
        effects.extend(self.reload_history());
        effects
    }
}
