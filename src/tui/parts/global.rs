//! The global part: actions that work wherever the focus is (send, quit, help, the
//! pickers, tabs) and Esc, which cancels a send or dismisses what is on top.

use crate::tui::app::{App, Confirm, Focus, NoticeKind, Overlay, Screen, SendPhase};
use crate::tui::effects::Effect;
use crate::tui::keymap::Action;
use crate::tui::strings;

impl App {
    /// Actions that work wherever the focus is.
    pub(crate) fn global_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Suspend => vec![Effect::Suspend],
            Action::Send => self.start_send(),
            Action::Quit | Action::QuitLetter => self.ask_quit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help { scroll: 0 });
                Vec::new()
            }
            Action::Preview => self.open_preview(),
            Action::PickProfile => {
                self.overlay = Some(Overlay::Profiles {
                    selected: self.profile,
                });
                Vec::new()
            }
            Action::PickEnv => {
                let mut options = self.env_names.clone();
                if !options.contains(&self.env.name) {
                    options.push(self.env.name.clone());
                }
                let selected = options
                    .iter()
                    .position(|o| *o == self.env.name)
                    .unwrap_or(0);
                self.overlay = Some(Overlay::Envs { options, selected });
                Vec::new()
            }
            Action::History | Action::HistoryLetter => {
                self.toggle_history(action == Action::HistoryLetter)
            }
            Action::NextTab | Action::PrevTab | Action::GoTab(_) => {
                if self.screen != Screen::Form {
                    return Vec::new();
                }
                self.leave_field();
                let n = self.form.tabs.len();
                let tab = match action {
                    Action::NextTab => (self.form.tab + 1) % n.max(1),
                    Action::PrevTab => (self.form.tab + n.max(1) - 1) % n.max(1),
                    Action::GoTab(i) => usize::from(i).saturating_sub(1),
                    _ => self.form.tab,
                };
                self.form.set_tab(tab);
                self.focus = Focus::Form;
                Vec::new()
            }
            Action::Back => self.back(),
            Action::Refund => self.open_refund(),
            _ => Vec::new(),
        }
    }

    /// Esc: cancel a send, else dismiss what is on top.
    pub(crate) fn back(&mut self) -> Vec<Effect> {
        if let Some(send) = &mut self.send {
            if send.phase == SendPhase::Sending {
                send.phase = SendPhase::Checking;
                let (send_id, order_id) = (send.send_id, send.order_id.clone());
                self.notice(
                    NoticeKind::Warning,
                    strings::cancelled_by_you(&order_id),
                    Vec::new(),
                );
                return vec![Effect::CancelSend { send_id }];
            }
            return Vec::new();
        }
        if self.notice.is_some() {
            self.notice = None;
        } else if self.form.show_problem_list {
            self.form.show_problem_list = false;
        }
        Vec::new()
    }

    pub(crate) fn ask_quit(&mut self) -> Vec<Effect> {
        if self.send.is_some() {
            self.overlay = Some(Overlay::Confirm {
                kind: Confirm::Quit,
                text: strings::QUIT_WHILE_SENDING.into(),
            });
            return Vec::new();
        }
        self.quit = true;
        vec![Effect::Quit]
    }
}
