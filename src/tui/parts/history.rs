//! The history part's keys and actions: moving, searching (shared line input), opening,
//! refreshing, reusing and forgetting rows.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};

use crate::history::Outcome;
use crate::session::wire;

use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::form_state::ORDER_ID_KEY;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::layout;
use crate::tui::order_view::OrderView;
use crate::tui::strings;
use crate::tui::widgets::line_input::LineInput;

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

    pub(crate) fn history_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.history.searching {
            match key.code {
                KeyCode::Esc => {
                    self.history.searching = false;
                    self.history.search = LineInput::default();
                    self.history.selected = 0;
                    self.history.top = 0;
                    return self.reload_history();
                }
                KeyCode::Enter | KeyCode::Down | KeyCode::Tab => {
                    self.history.searching = false;
                    return Vec::new();
                }
                _ => {}
            }
            if let Some(edit) = keymap::edit(&key) {
                let before = self.history.search.text().to_string();
                if !self.history.search.apply(edit) {
                    self.dirty = false;
                    return Vec::new();
                }
                if self.history.search.text() == before {
                    return Vec::new();
                }
                self.history.selected = 0;
                self.history.top = 0;
                return self.reload_history();
            }
        }
        let Some(action) = keymap::lookup(&[Scope::History], &key) else {
            self.dirty = false;
            return Vec::new();
        };
        let height = self.history_height();
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End => {
                let page = height.max(1) as isize;
                let delta = match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -page,
                    Action::PageDown => page,
                    Action::Home => -(self.history.total as isize),
                    _ => self.history.total as isize,
                };
                if self.history.move_by(delta, height) {
                    return self.load_history_window();
                }
                Vec::new()
            }
            Action::Search => {
                self.history.searching = true;
                Vec::new()
            }
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
            Action::Reuse => {
                let Some(row) = self.history.selected_row().cloned() else {
                    return Vec::new();
                };
                let profile = self.current_profile().clone();
                match wire::import_str(&row.request_body, &profile) {
                    Ok(mut form) => {
                        form.set(ORDER_ID_KEY, "");
                        self.result = None;
                        self.new_order(form);
                        vec![self.toast(format!("New order copied from {}", row.order_id), false)]
                    }
                    Err(e) => {
                        vec![self.toast(format!("Could not read that order's request: {e}"), true)]
                    }
                }
            }
            Action::Forget => {
                if let Some(row) = self.history.selected_row() {
                    self.overlay = Some(Overlay::Confirm {
                        kind: Confirm::Forget {
                            history_id: row.id,
                            order_id: row.order_id.clone(),
                        },
                        text: strings::forget_confirm(&row.order_id),
                    });
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
}
