//! The global part: actions that work wherever the focus is (send, quit, help, the
//! pickers, tabs) and Esc, which cancels a send or dismisses what is on top.

use crate::tui::app::{App, Focus, NoticeKind, Screen, SendPhase, Then};
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action, HintPart, Scope};
use crate::tui::popup::confirm::Confirm;
use crate::tui::popup::picker::Picker;
use crate::tui::popup::text::Help;
use crate::tui::strings;

const CHOOSE: HintPart = (Scope::Overlay, &[Action::Up, Action::Down], "choose");
const CLOSE: HintPart = (Scope::Overlay, &[Action::Back], "close");

impl App {
    /// Actions that work wherever the focus is.
    pub(crate) fn global_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Suspend => vec![Effect::Suspend],
            Action::Send => self.start_send(),
            Action::Quit | Action::QuitLetter => self.ask_quit(),
            Action::Help => {
                self.open(self.help());
                Vec::new()
            }
            Action::Preview => self.open_preview(),
            Action::PickProfile => {
                self.open(self.profile_picker());
                Vec::new()
            }
            Action::PickEnv => {
                self.open(self.env_picker());
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
            let quit: Then = Box::new(|app: &mut App| {
                app.quit = true;
                vec![Effect::Quit]
            });
            self.open(Confirm::new(strings::QUIT_WHILE_SENDING, quit).quitting());
            return Vec::new();
        }
        self.quit = true;
        vec![Effect::Quit]
    }

    /// The help, with the files this desk uses.
    fn help(&self) -> Help {
        let p = &self.paths;
        let files = vec![
            ("Config file", self.config_file.clone()),
            ("History DB", p.history_db().display().to_string()),
            ("Log file", p.log_file().display().to_string()),
            ("Themes", p.themes_dir().display().to_string()),
            ("Profiles", p.profiles_dir().display().to_string()),
            ("Saved QR codes", p.qr_dir().display().to_string()),
            ("Draft", p.draft_file().display().to_string()),
        ];
        Help::new(files, &self.theme.name, &self.banners)
    }

    /// The lender profiles; choosing one switches to it.
    fn profile_picker(&self) -> Picker<Then> {
        let items = self.profiles.profiles.iter().map(|p| {
            if p.description.is_empty() {
                p.name.clone()
            } else {
                format!("{} — {}", p.name, p.description)
            }
        });
        let hint = keymap::hint(&[CHOOSE, (Scope::List, &[Action::Enter], "use"), CLOSE]);
        let pick = |i: usize| -> Then { Box::new(move |app: &mut App| app.switch_profile(i)) };
        let items = items.collect();
        Picker::new(
            "Lender profile",
            hint,
            items,
            self.profile,
            70,
            Box::new(pick),
        )
    }

    /// The environments; choosing another one switches to it.
    fn env_picker(&self) -> Picker<Then> {
        let mut options = self.env_names.clone();
        if !options.contains(&self.env.name) {
            options.push(self.env.name.clone());
        }
        let selected = options
            .iter()
            .position(|o| *o == self.env.name)
            .unwrap_or(0);
        let items = options.iter().map(|o| env_line(o)).collect();
        let hint = keymap::hint(&[CHOOSE, (Scope::List, &[Action::Enter], "switch"), CLOSE]);
        let pick = move |i: usize| -> Then {
            let name = options.get(i).cloned();
            Box::new(move |app: &mut App| match name {
                Some(name) if name != app.env.name => {
                    let toast = app.toast(format!("Switching to {name}…"), false);
                    vec![toast, Effect::SwitchEnv(name)]
                }
                _ => Vec::new(),
            })
        };
        Picker::new("Environment", hint, items, selected, 70, Box::new(pick))
    }
}

/// An environment as the switcher lists it.
fn env_line(name: &str) -> String {
    match name {
        "demo" => "demo — the built-in emulator, nothing is real".to_string(),
        "sandbox" => "sandbox — Juspay's test system".to_string(),
        "production" => "production — REAL payments (asks before the first send)".to_string(),
        other => other.to_string(),
    }
}
