//! Mouse input: clicks and wheel, hit-tested through the same geometry the views draw.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::form_state::Editor;
use crate::tui::keymap::Action;
use crate::tui::view;

impl App {
    // ----- mouse ---------------------------------------------------------------------

    pub(crate) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        let hit = view::hit(self, area, mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => match hit {
                Some(view::Hit::Tab(i)) => {
                    self.leave_field();
                    self.screen = Screen::Form;
                    self.focus = Focus::Form;
                    self.form.set_tab(i);
                    Vec::new()
                }
                Some(view::Hit::Item(i)) => {
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
                Some(view::Hit::HistoryRow(i)) => {
                    let again = self.focus == Focus::History && self.history.selected == i;
                    self.leave_field();
                    self.focus = Focus::History;
                    self.history.selected = i.min(self.history.total.saturating_sub(1));
                    if again {
                        return self.open_history_row();
                    }
                    Vec::new()
                }
                Some(view::Hit::Button(action)) => {
                    if self.screen == Screen::Result {
                        self.result_action(action)
                    } else {
                        self.global_action(action)
                    }
                }
                None => {
                    self.dirty = false;
                    Vec::new()
                }
            },
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta: isize = if mouse.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                match (&mut self.overlay, hit) {
                    (
                        Some(
                            Overlay::Help { scroll }
                            | Overlay::Payload { scroll, .. }
                            | Overlay::Preview { scroll, .. },
                        ),
                        _,
                    ) => {
                        *scroll = (*scroll as isize + delta).clamp(0, u16::MAX as isize) as u16;
                        Vec::new()
                    }
                    (Some(_), _) => Vec::new(),
                    (None, Some(view::Hit::HistoryRow(_))) => {
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
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }
}
