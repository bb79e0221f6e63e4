//! The desk's side of the pop-ups (`crate::tui::popup`): opening one, routing keys,
//! clicks, paste and the wheel to whichever is open, and running what it asks for when
//! done (its opener's `Then`). No arm here names a pop-up: a new one adds nothing.
//! Also what choosing a profile or an environment does, and the request preview's opener.

use crossterm::event::KeyEvent;

use crate::config::Settings;
use crate::session::{Member, wire};
use crate::tui::app::*;
use crate::tui::curl::curl_command;
use crate::tui::effects::Effect;
use crate::tui::form_state::Item;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::popup::picker::Picker;
use crate::tui::popup::text::Preview;
use crate::tui::popup::{Popup, Reply};
use crate::tui::strings;

impl App {
    // ----- the router ----------------------------------------------------------------

    /// Opens `popup` over the screen, in place of any other.
    pub fn open(&mut self, popup: impl Popup<Then>) {
        self.overlay = Some(Box::new(popup));
    }

    /// The open pop-up as a `T`, if it is one (tests, and a task's answer for it).
    pub fn popup_as<T: 'static>(&self) -> Option<&T> {
        self.overlay.as_ref()?.downcast_ref()
    }

    /// The open pop-up as a `T`, if it is one.
    pub fn popup_as_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.overlay.as_mut()?.downcast_mut()
    }

    /// `f` of the open pop-up (drawing, footer, scopes), if one is open.
    pub fn with_popup<T>(&self, f: impl FnOnce(&dyn Popup<Then>) -> T) -> Option<T> {
        self.overlay.as_ref().map(|part| f(part.as_ref()))
    }

    pub(crate) fn popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(mut popup) = self.overlay.take() else {
            return Vec::new();
        };
        let reply = popup.key(&key);
        self.popup_reply(popup, reply)
    }

    /// A click on the footer while a pop-up is open: its own commands go to it; a global
    /// one does what it does elsewhere.
    pub(crate) fn popup_click(&mut self, action: Action) -> Vec<Effect> {
        let own = self.with_popup(|p| p.commands().iter().any(|c| c.action == action));
        if own != Some(true) {
            return if self.screen == Screen::Result {
                self.result_action(action)
            } else {
                self.global_action(action)
            };
        }
        let Some(mut popup) = self.overlay.take() else {
            return Vec::new();
        };
        let reply = popup.act(action);
        self.popup_reply(popup, reply)
    }

    pub(crate) fn popup_paste(&mut self, text: &str) {
        if let Some(mut popup) = self.overlay.take() {
            popup.paste(text);
            self.overlay = Some(popup);
        }
    }

    pub(crate) fn popup_wheel(&mut self, delta: isize) {
        if let Some(mut popup) = self.overlay.take() {
            popup.wheel(delta);
            self.overlay = Some(popup);
        }
    }

    /// Keeps the pop-up unless it closed, then does what it asks: its effects, a toast,
    /// its opener's request, and the global action it passed on (quit, send, suspend).
    fn popup_reply(&mut self, popup: Part, reply: Reply<Then>) -> Vec<Effect> {
        if !reply.close {
            self.overlay = Some(popup);
        }
        self.part_reply(reply)
    }

    /// What a part's reply asks of the desk, the part itself kept or dropped already.
    pub(crate) fn part_reply(&mut self, reply: Reply<Then>) -> Vec<Effect> {
        let Reply {
            mut effects,
            propagate,
            request,
            toast,
            idle,
            ..
        } = reply;
        if let Some(text) = toast {
            effects.push(self.toast(text, false));
        }
        if let Some(then) = request {
            effects.extend(then(self));
        }
        match propagate {
            Some(Action::Quit | Action::QuitLetter) => effects.extend(self.ask_quit()),
            Some(action @ (Action::Send | Action::Suspend)) => {
                effects.extend(self.global_action(action))
            }
            _ => {}
        }
        if idle {
            self.dirty = false;
        }
        effects
    }

    // ----- openers and what they ask for -----------------------------------------------

    /// The allowed values of the focused field (`item`); choosing one sets it.
    pub(crate) fn choice_picker(
        &self,
        item: Item,
        options: Vec<String>,
        selected: usize,
    ) -> Picker<Then> {
        let items: Vec<String> = options
            .iter()
            .map(|o| {
                if o.is_empty() {
                    format!("({})", strings::NOT_SET)
                } else {
                    o.clone()
                }
            })
            .collect();
        let w = items
            .iter()
            .map(|s| crate::text::width(s) as u16)
            .max()
            .unwrap_or(10)
            + 6;
        let label = self.form.focused_field().map(|f| f.label.clone());
        let hint = keymap::hint(&[
            (Scope::List, &[Action::Enter], "choose"),
            (Scope::Overlay, &[Action::Back], "close"),
        ]);
        let pick = move |i: usize| -> Then {
            let value = options.get(i).cloned().unwrap_or_default();
            Box::new(move |app: &mut App| {
                app.form.set_value(item, &value);
                // A free-text field (offered values) shows the pick in its input.
                app.form.load_input();
                app.leave_field();
                Vec::new()
            })
        };
        let title = label.unwrap_or_default();
        Picker::new(title, hint, items, selected, w.max(30), Box::new(pick))
    }

    /// Writes the edited member back (`index`), or adds it at the end and selects it.
    pub(crate) fn save_member(&mut self, index: Option<usize>, name: &str, phone: &str) {
        let members = &mut self.form.form.members;
        let member = Member {
            member_name: name.to_string(),
            member_phone: phone.to_string(),
            extra: index
                .and_then(|i| members.get(i))
                .map(|m| m.extra.clone())
                .unwrap_or_default(),
        };
        match index.and_then(|i| members.get_mut(i)) {
            Some(slot) => *slot = member,
            None => {
                members.push(member);
                self.form.member_sel = members.len() - 1;
            }
        }
        // Every member right now: the list's refusal from the last send goes.
        let fine = (members.iter().enumerate())
            .all(|(i, m)| crate::session::validate::check_member(i + 1, m).is_empty());
        if fine {
            self.form
                .clear_problem(crate::session::keys::INSURED_MEMBER_DETAILS);
        }
        self.form.changed = true;
    }

    pub(crate) fn switch_profile(&mut self, index: usize) -> Vec<Effect> {
        if index == self.profile || index >= self.profiles.profiles.len() {
            return Vec::new();
        }
        self.leave_field();
        self.profile = index;
        let profile = self.current_profile().clone();
        // Defaults fill empty fields; fixed values always apply.
        let blank = profile.new_form();
        for (k, v) in &blank.values {
            if self.form.form.get(k).is_empty() || profile.fixed.contains_key(k) {
                self.form.form.set(k, v.clone());
            }
        }
        self.form.problems.clear();
        self.form.apply_profile(&profile);
        self.form.changed = true;
        vec![self.toast(format!("Lender profile: {}", profile.name), false)]
    }

    pub(crate) fn env_switched(&mut self, settings: Settings) -> Vec<Effect> {
        let env = EnvInfo::from_env(&settings.environment);
        let mut effects = Vec::new();
        // What was said about the environment left behind goes with it: its "sending is
        // off" notice and its client's failure in the banner (`client_failed`).
        self.notice = None;
        let left = self.env.name.clone();
        self.banners
            .retain(|b| !strings::is_client_problem_of(b, &left));
        if let Some(problem) = &env.send_problem {
            self.notice(
                NoticeKind::Warning,
                strings::cannot_send(&env.name, problem),
                Vec::new(),
            );
        }
        self.env_names = settings.env_names.clone();
        self.desk = settings.desk.clone();
        effects.push(self.toast(format!("Environment: {}", env.badge()), false));
        self.env = env;
        self.client_ready = false;
        self.prod_confirmed = false;
        let mut form = self.form.form().clone();
        self.fill_from_env(&mut form);
        self.form.form = form;
        effects.push(Effect::PrepareClient(Box::new(settings)));
        effects
    }

    pub(crate) fn open_preview(&mut self) -> Vec<Effect> {
        self.form.store_input();
        let profile = self.current_profile().clone();
        let body = wire::to_body(self.form.form(), &profile);
        let json =
            serde_json::to_string_pretty(&serde_json::Value::Object(body)).unwrap_or_default();
        let curl = curl_command(
            &self.env,
            self.form.form.get(crate::session::keys::CUSTOMER_ID),
            &json,
        );
        self.open(Preview::new(json, curl));
        Vec::new()
    }
}
