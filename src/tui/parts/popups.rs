//! The pop-ups' keys and actions: help, request preview, pickers, the member editor,
//! sdk_payload, questions; and what choosing a profile or an environment does.

use crossterm::event::{KeyCode, KeyEvent};

use crate::config::Settings;
use crate::session::{Member, wire};
use crate::tui::app::*;
use crate::tui::curl::curl_command;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::strings;

impl App {
    // ----- overlays ------------------------------------------------------------------

    pub(crate) fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
        match overlay {
            Overlay::Member(edit) => self.member_key(*edit, key),
            Overlay::Confirm { kind, text } => self.confirm_key(kind, text, key),
            Overlay::Operator(prompt) => self.operator_key(*prompt, key),
            Overlay::Refund(dialog) => self.refund_key(dialog, key),
            other => self.list_overlay_key(other, key),
        }
    }

    /// The insured member editor: Tab (or ↑/↓) between name and phone, Enter on the phone
    /// saves, Esc cancels, the editing keys edit.
    fn member_key(&mut self, edit: MemberEdit, key: KeyEvent) -> Vec<Effect> {
        let MemberEdit {
            index,
            mut name,
            mut phone,
            mut on_phone,
        } = edit;
        match key.code {
            KeyCode::Esc => return Vec::new(),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => on_phone = !on_phone,
            KeyCode::Enter if !on_phone => on_phone = true,
            KeyCode::Enter => {
                self.save_member(index, name.text().trim(), phone.text().trim());
                return Vec::new();
            }
            _ => {
                if let Some(action) = keymap::lookup(&[], &key)
                    && matches!(action, Action::Quit | Action::Send)
                {
                    return self.global_action(action);
                }
                let input = if on_phone { &mut phone } else { &mut name };
                if let Some(edit) = keymap::edit(&key) {
                    input.apply(edit);
                }
            }
        }
        self.overlay = Some(Overlay::Member(Box::new(MemberEdit {
            index,
            name,
            phone,
            on_phone,
        })));
        Vec::new()
    }

    /// Writes the edited member back (`index`), or adds it at the end and selects it.
    fn save_member(&mut self, index: Option<usize>, name: &str, phone: &str) {
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
        self.form.changed = true;
    }

    /// A question: y does what it asked, n (or Esc) does nothing.
    fn confirm_key(&mut self, kind: Confirm, text: String, key: KeyEvent) -> Vec<Effect> {
        match keymap::lookup(&[Scope::Confirm], &key) {
            Some(Action::Yes) => match kind {
                Confirm::Quit => {
                    self.quit = true;
                    vec![Effect::Quit]
                }
                Confirm::ProductionSend => {
                    self.prod_confirmed = true;
                    let profile = self.current_profile().clone();
                    let form = self.form.form().clone();
                    self.dispatch_send(form, &profile)
                }
                Confirm::Forget {
                    history_id,
                    order_id,
                } => vec![Effect::Forget {
                    history_id,
                    order_id,
                }],
                Confirm::Reuse {
                    order_id,
                    request_body,
                } => self.reuse(&order_id, &request_body),
            },
            Some(Action::No) => Vec::new(),
            Some(Action::Quit) if kind == Confirm::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            _ => {
                self.overlay = Some(Overlay::Confirm { kind, text });
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// Scrolling pop-ups (help, preview, sdk_payload) and pick lists (profiles,
    /// environments, a field's values).
    pub(crate) fn list_overlay_key(&mut self, mut overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
        let scopes = match overlay {
            Overlay::Preview { .. } => vec![Scope::Preview, Scope::Overlay],
            _ => vec![Scope::List, Scope::Overlay],
        };
        let action = keymap::lookup(&scopes, &key);
        let step: i32 = match action {
            Some(Action::Up) => -1,
            Some(Action::Down) => 1,
            Some(Action::PageUp) => -10,
            Some(Action::PageDown) => 10,
            _ => 0,
        };
        let mut effects = Vec::new();
        let keep = match &mut overlay {
            Overlay::Help { scroll } | Overlay::Payload { scroll, .. } => {
                scroll_by(scroll, step);
                true
            }
            Overlay::Preview { json, curl, scroll } => {
                scroll_by(scroll, step);
                let copied = match action {
                    Some(Action::Copy) => Some((json.clone(), strings::COPIED_JSON)),
                    Some(Action::CopyCurl) => Some((curl.clone(), strings::COPIED_CURL)),
                    _ => None,
                };
                if let Some((text, done)) = copied {
                    effects.push(Effect::Copy(text));
                    effects.push(self.toast(done, false));
                }
                true
            }
            other => self.pick(other, action, step, &mut effects),
        };
        if !keep {
            return effects;
        }
        self.close_or_keep(overlay, action, effects)
    }

    /// After a list key: Esc closes, quit asks, Ctrl-S sends; otherwise `overlay` stays.
    fn close_or_keep(
        &mut self,
        overlay: Overlay,
        action: Option<Action>,
        mut effects: Vec<Effect>,
    ) -> Vec<Effect> {
        match action {
            Some(Action::Back) => return effects,
            Some(Action::Quit) => {
                effects.extend(self.ask_quit());
                if self.overlay.is_some() {
                    return effects;
                }
            }
            Some(Action::Send) => return self.global_action(Action::Send),
            _ => {}
        }
        self.overlay = Some(overlay);
        effects
    }

    /// Moves a pick list's selection by `step`; Enter uses the selected entry. False when
    /// the list is done (closed).
    fn pick(
        &mut self,
        overlay: &mut Overlay,
        action: Option<Action>,
        step: i32,
        effects: &mut Vec<Effect>,
    ) -> bool {
        let chosen = action == Some(Action::Enter);
        match overlay {
            Overlay::Profiles { selected } => {
                move_selection(selected, step, self.profiles.profiles.len());
                if chosen {
                    effects.extend(self.switch_profile(*selected));
                    return false;
                }
            }
            Overlay::Envs { options, selected } => {
                move_selection(selected, step, options.len());
                if chosen {
                    if let Some(name) = options.get(*selected).cloned()
                        && name != self.env.name
                    {
                        effects.push(self.toast(format!("Switching to {name}…"), false));
                        effects.push(Effect::SwitchEnv(name));
                    }
                    return false;
                }
            }
            Overlay::Choice {
                item,
                options,
                selected,
            } => {
                move_selection(selected, step, options.len());
                if chosen {
                    let value = options.get(*selected).cloned().unwrap_or_default();
                    self.form.set_value(*item, &value);
                    // A free-text field (offered values) shows the pick in its input.
                    self.form.load_input();
                    self.leave_field();
                    return false;
                }
            }
            _ => {}
        }
        true
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
        self.overlay = Some(Overlay::Preview {
            json,
            curl,
            scroll: 0,
        });
        Vec::new()
    }
}

/// Scrolls a text pop-up by `step` lines (the view keeps the last line at the bottom).
fn scroll_by(scroll: &mut u16, step: i32) {
    *scroll = (i32::from(*scroll) + step).clamp(0, i32::from(u16::MAX)) as u16;
}

/// Moves a list selection by `step`, within `0..len`.
fn move_selection(selected: &mut usize, step: i32, len: usize) {
    let last = len.saturating_sub(1) as i64;
    *selected = (*selected as i64 + i64::from(step)).clamp(0, last) as usize;
}
