//! Mouse input: clicks and wheel, hit-tested by `layout`, the geometry the views draw with.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use crate::tui::app::*;
use crate::tui::chain::Target;
use crate::tui::effects::Effect;
use crate::tui::form_ctx::FormCtx;
use crate::tui::form_state::Editor;
use crate::tui::keymap::Action;
use crate::tui::layout::{self, Hit, Place};
use crate::tui::view;

impl App {
    /// What a click at `(x, y)` lands on, through the focus chain: a full-screen view takes
    /// no clicks, a pop-up only the footer's.
    fn hit(&self, x: u16, y: u16) -> Option<Hit> {
        let place = layout::place(self, layout::screen(self.size), x, y)?;
        match (self.focus_target(), place) {
            (Target::FullScreen, _) => None,
            (_, Place::Footer(action)) => Some(Hit::Button(action)),
            (Target::Overlay, _) => None,
            (_, Place::HistoryRow(i)) => Some(Hit::HistoryRow(i)),
            (_, Place::Main(main)) => match self.screen {
                Screen::Form => view::form::hit(&FormCtx::of(self), main, x, y),
                Screen::Result => self.result.as_ref()?.hit(main, x, y).map(Hit::Button),
                Screen::Part => None,
            },
        }
    }

    // ----- mouse ---------------------------------------------------------------------

    pub(crate) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        let hit = self.hit(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => self.click(hit),
            MouseEventKind::ScrollDown => self.wheel(hit, 3),
            MouseEventKind::ScrollUp => self.wheel(hit, -3),
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// A left click: a tab, a field (a second click on a choice, toggle or button acts as
    /// Enter), a history row (a second click opens it), a button.
    fn click(&mut self, hit: Option<Hit>) -> Vec<Effect> {
        match hit {
            Some(Hit::Tab(i)) => {
                self.leave_field();
                self.screen = Screen::Form;
                self.focus = Focus::Form;
                self.form.set_tab(i);
                Vec::new()
            }
            Some(Hit::Item(i)) => {
                if self.focus == Focus::Form && self.form.focus == i {
                    return match self.form.focused_editor() {
                        Some(Editor::Choice | Editor::Toggle | Editor::Button) => {
                            self.form_action(Action::Enter)
                        }
                        _ => Vec::new(),
                    };
                }
                self.leave_field();
                self.focus = Focus::Form;
                self.form.focus = i;
                self.form.member_sel = 0;
                self.form.load_input();
                Vec::new()
            }
            Some(Hit::HistoryRow(i)) => {
                let again = self.focus == Focus::History && self.history.selected == i;
                self.leave_field();
                self.focus = Focus::History;
                self.history.selected = i.min(self.history.total.saturating_sub(1));
                if again {
                    return self.open_history_row();
                }
                Vec::new()
            }
            Some(Hit::Button(action)) => {
                if self.overlay.is_some() {
                    self.popup_click(action)
                } else if self.screen == Screen::Part {
                    self.screen_click(action)
                } else if self.screen == Screen::Result {
                    self.result_action(action)
                } else {
                    self.global_action(action)
                }
            }
            None => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// The wheel, `delta` lines: scrolls a text pop-up, the history rows, or moves through
    /// the form's fields.
    fn wheel(&mut self, hit: Option<Hit>, delta: isize) -> Vec<Effect> {
        match (&self.overlay, hit) {
            (Some(_), _) => {
                self.popup_wheel(delta);
                Vec::new()
            }
            (None, Some(Hit::HistoryRow(_))) => {
                let h = self.history_height();
                if self.history.move_by(delta, h) {
                    return self.load_history_window();
                }
                Vec::new()
            }
            (None, _) if self.screen == Screen::Form => {
                self.leave_field();
                self.form.move_focus(delta.signum());
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
