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
            Overlay::Member(edit) => {
                let MemberEdit {
                    index,
                    mut name,
                    mut phone,
                    mut on_phone,
                } = *edit;
                match key.code {
                    KeyCode::Esc => return Vec::new(),
                    KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                        on_phone = !on_phone
                    }
                    KeyCode::Enter if !on_phone => on_phone = true,
                    KeyCode::Enter => {
                        let member = Member {
                            member_name: name.text().trim().to_string(),
                            member_phone: phone.text().trim().to_string(),
                            extra: index
                                .and_then(|i| self.form.form.members.get(i))
                                .map(|m| m.extra.clone())
                                .unwrap_or_default(),
                        };
                        match index.and_then(|i| self.form.form.members.get_mut(i)) {
                            Some(slot) => *slot = member,
                            None => {
                                self.form.form.members.push(member);
                                self.form.member_sel = self.form.form.members.len() - 1;
                            }
                        }
                        self.form.changed = true;
                        return Vec::new();
                    }
                    _ => {
                        if let Some(action) =
                            keymap::lookup(&[], &key).filter(|a| *a != Action::Back)
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
            Overlay::Confirm { kind, text } => match keymap::lookup(&[Scope::Confirm], &key) {
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
            },
            Overlay::Operator(prompt) => self.operator_key(*prompt, key),
            Overlay::Refund(dialog) => self.refund_key(dialog, key),
            other => self.list_overlay_key(other, key),
        }
    }

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
        let mut keep = true;
        match &mut overlay {
            Overlay::Help { scroll } | Overlay::Payload { scroll, .. } => {
                *scroll = (i32::from(*scroll) + step).clamp(0, i32::from(u16::MAX)) as u16;
            }
            Overlay::Preview { json, curl, scroll } => {
                *scroll = (i32::from(*scroll) + step).clamp(0, i32::from(u16::MAX)) as u16;
                match action {
                    Some(Action::Copy) => {
                        effects.push(Effect::Copy(json.clone()));
                        effects.push(self.toast(strings::COPIED_JSON, false));
                    }
                    Some(Action::CopyCurl) => {
                        effects.push(Effect::Copy(curl.clone()));
                        effects.push(self.toast(strings::COPIED_CURL, false));
                    }
                    _ => {}
                }
            }
            Overlay::Profiles { selected } => {
                let n = self.profiles.profiles.len();
                *selected = (*selected as i32 + step).clamp(0, n.saturating_sub(1) as i32) as usize;
                if action == Some(Action::Enter) {
                    let chosen = *selected;
                    keep = false;
                    effects.extend(self.switch_profile(chosen));
                }
            }
            Overlay::Envs { options, selected } => {
                *selected = (*selected as i32 + step)
                    .clamp(0, options.len().saturating_sub(1) as i32)
                    as usize;
                if action == Some(Action::Enter) {
                    keep = false;
                    if let Some(name) = options.get(*selected).cloned()
                        && name != self.env.name
                    {
                        effects.push(self.toast(format!("Switching to {name}…"), false));
                        effects.push(Effect::SwitchEnv(name));
                    }
                }
            }
            Overlay::Choice {
                item,
                options,
                selected,
            } => {
                *selected = (*selected as i32 + step)
                    .clamp(0, options.len().saturating_sub(1) as i32)
                    as usize;
                if action == Some(Action::Enter) {
                    keep = false;
                    let value = options.get(*selected).cloned().unwrap_or_default();
                    let item = *item;
                    self.form.set_value(item, &value);
                    // A free-text field (offered values) shows the pick in its input.
                    self.form.load_input();
                    self.leave_field();
                }
            }
            Overlay::Member(_)
            | Overlay::Confirm { .. }
            | Overlay::Operator(_)
            | Overlay::Refund(_) => {}
        }
        match action {
            Some(Action::Back) => keep = false,
            Some(Action::Quit) => {
                effects.extend(self.ask_quit());
                if self.overlay.is_some() {
                    return effects;
                }
            }
            Some(Action::Send) => {
                return self.global_action(Action::Send);
            }
            _ => {}
        }
        if keep {
            self.overlay = Some(overlay);
        }
        effects
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
