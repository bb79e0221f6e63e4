//! The form part's keys and actions: [`FormState::key`] and [`FormState::act`] turn a key
//! or an action into the form's own change and a [`FormReply`] saying what only the desk
//! can do (a toast, a pop-up, a global key). Moving between fields and tabs, editing
//! through the shared line input, choices by letters, auto-advance (`[desk]
//! auto_advance`), members and metadata rows. No `App` here: the desk builds the
//! [`FormEnv`] and runs the reply (`parts/form.rs`).

use crossterm::event::{KeyCode, KeyEvent};
use time::Date;

use crate::session::Profile;
use crate::session::complete::{Typed, typed};
use crate::session::desk::{CustomerIdRule, Origin, customer_id_by_rule, generate_customer_id};
use crate::session::keys::CUSTOMER_ID;

use super::form_state::{Editor, FormState, Item, Spill};
use super::keymap::{self, Action, Scope};
use super::strings;
use super::widgets::line_input::Edit;

/// What the form needs from the desk to take a key.
pub struct FormEnv<'a> {
    pub profile: &'a Profile,
    /// The desk's local date (the date-of-birth rule).
    pub today: Date,
    /// The keymap scopes in force now (`App::scopes`).
    pub scopes: &'a [Scope],
    /// `[desk] auto_advance`.
    pub auto_advance: bool,
    /// `[desk] customer_id_from`, the order prefix and a random number for a walk-in
    /// customer ID.
    pub customer_id: Option<(CustomerIdRule, &'a str, u64)>,
}

/// A pop-up the form asks the desk to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAsk {
    /// The pick list for `item`: `options` ("" = not set first), `selected`.
    Choice {
        item: Item,
        options: Vec<String>,
        selected: usize,
    },
    /// The member editor for row `index`, or for a new member.
    Member(Option<usize>),
}

/// What a key or an action did to the form, for the desk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FormReply {
    /// A short message for the toast line.
    pub toast: Option<String>,
    pub ask: Option<FormAsk>,
    /// An action the form does not take, for the desk's global keys.
    pub propagate: Option<Action>,
    /// Nothing changed: no redraw needed.
    pub idle: bool,
}

impl FormReply {
    fn merge(mut self, other: FormReply) -> FormReply {
        self.toast = other.toast.or(self.toast);
        self.ask = other.ask.or(self.ask);
        self.propagate = other.propagate.or(self.propagate);
        self.idle = self.idle && other.idle;
        self
    }
}

impl FormState {
    /// A key while the form has the focus.
    pub fn key(&mut self, key: KeyEvent, env: &FormEnv<'_>) -> FormReply {
        if let Some(reply) = self.spill_key(key, env) {
            return reply;
        }
        let editor = self.focused_editor();
        if editor == Some(Editor::Text) && keymap::is_typing(&key) {
            if let KeyCode::Char(c) = key.code {
                self.input.apply(Edit::Insert(c));
                self.store_input();
                self.after_typing(env);
            }
            return FormReply::default();
        }
        if editor == Some(Editor::Choice)
            && keymap::is_typing(&key)
            && let KeyCode::Char(c) = key.code
            && c.is_alphanumeric()
            && (keymap::lookup(env.scopes, &key).is_none() || self.continues_typed_letters(c))
        {
            // A letter jumps to the next option starting with it (`g` → Graduate); letters
            // with a key of their own outside text fields (`h`, `q`) keep it, unless they
            // go on with letters typed on the field (`ph`: Ph.D).
            if self.choose_by_letter(c) && env.auto_advance {
                self.advance_past_choice(env);
            }
            return FormReply::default();
        }
        if editor == Some(Editor::Members) && key.modifiers.is_empty() {
            let n = self.form.members.len();
            match key.code {
                KeyCode::Up if self.member_sel > 0 => {
                    self.member_sel -= 1;
                    return FormReply::default();
                }
                KeyCode::Down if self.member_sel + 1 < n => {
                    self.member_sel += 1;
                    return FormReply::default();
                }
                _ => {}
            }
        }
        match keymap::lookup(env.scopes, &key) {
            Some(action) => self.act(action, env),
            None => FormReply {
                idle: !(editor == Some(Editor::Text) && self.edit_text(key)),
                ..FormReply::default()
            },
        }
    }

    /// Editing keys for the focused text field (the same `keymap::edit` keys as every
    /// other text input); true when the text or the caret changed.
    fn edit_text(&mut self, key: KeyEvent) -> bool {
        match keymap::edit(&key) {
            Some(edit) if self.input.apply(edit) => {
                self.store_input();
                true
            }
            Some(_) => true,
            None => false,
        }
    }

    /// An action while the form has the focus (a key, or a click on a button).
    pub fn act(&mut self, action: Action, env: &FormEnv<'_>) -> FormReply {
        let item = self.focused();
        let editor = self.focused_editor();
        let mut reply = FormReply::default();
        match action {
            Action::NextField | Action::PrevField | Action::PageDown | Action::PageUp => {
                self.leave(env);
                self.step(action);
            }
            Action::NextEmpty => {
                self.leave(env);
                if !self.next_empty() {
                    reply.toast = Some(strings::all_required_filled());
                }
            }
            Action::AllFields => {
                self.leave(env);
                self.toggle_all_fields();
                reply.toast = Some(if self.all_fields {
                    strings::ALL_FIELDS_SHOWN.to_string()
                } else {
                    strings::only_used_fields(&env.profile.name)
                });
            }
            Action::OfferedList => {
                if let (Some(item), Some(offers)) = (item, self.focused_offers()) {
                    let offers = offers.to_vec();
                    let current = self.input.text().trim().to_string();
                    reply.ask = Some(choice(item, offers, &current));
                }
            }
            Action::ClearField => {
                self.input.apply(Edit::Clear);
                self.store_input();
            }
            Action::ChoiceNext | Action::ChoicePrev => match editor {
                Some(Editor::Choice) => {
                    self.cycle_choice(if action == Action::ChoiceNext { 1 } else { -1 })
                }
                Some(Editor::Toggle) => self.toggle(),
                _ => {}
            },
            Action::Enter => reply.ask = self.enter(editor, item, env),
            Action::AddRow | Action::EditRow | Action::RemoveRow => {
                reply.ask = self.row_action(action, editor, env)
            }
            other => reply.propagate = Some(other),
        }
        reply
    }

    /// Leaves the focused field as Tab does: normalised and checked, a returning customer
    /// looked up, a walk-in customer ID made or brought up to date.
    pub fn leave(&mut self, env: &FormEnv<'_>) {
        self.store_input();
        self.check_focused(env.profile, env.today);
        self.ask_returning();
        if let Some((rule, prefix, salt)) = env.customer_id {
            self.make_customer_id(rule, prefix, salt);
        }
    }

    /// A walk-in customer's ID by the desk's rule, once the form can make one (the phone
    /// rule needs the mobile number), marked "generated". An ID made from the mobile
    /// number follows it when the number is corrected, and goes when it is no longer one.
    pub fn make_customer_id(&mut self, rule: CustomerIdRule, prefix: &str, salt: u64) {
        if rule == CustomerIdRule::Phone
            && self.origins.get(CUSTOMER_ID) == Some(&Origin::Generated)
        {
            match customer_id_by_rule(&self.form, rule, prefix, salt) {
                Some(id) if id != self.form.get(CUSTOMER_ID) => {
                    self.set_generated(CUSTOMER_ID, &id)
                }
                Some(_) => {}
                None => {
                    // Empty again: the next valid number makes a new one.
                    self.set_generated(CUSTOMER_ID, "");
                    self.origins.remove(CUSTOMER_ID);
                }
            }
            return;
        }
        if let Some(id) = generate_customer_id(&self.form, rule, prefix, salt) {
            self.set_generated(CUSTOMER_ID, &id);
        }
    }

    /// Tab / Shift-Tab (on across tabs) or five fields up or down (PgUp / PgDn).
    fn step(&mut self, action: Action) {
        let step: isize = match action {
            Action::PageDown => 5,
            Action::PageUp => -5,
            _ => {
                self.tab_focus(action == Action::NextField);
                return;
            }
        };
        let last = self.items().len().saturating_sub(1) as isize;
        self.focus = (self.focus as isize + step).clamp(0, last) as usize;
        self.load_input();
    }

    /// Enter on the focused item: the pick list of a choice, a toggle, the member editor,
    /// a new extra row, or on to the next field.
    fn enter(
        &mut self,
        editor: Option<Editor>,
        item: Option<Item>,
        env: &FormEnv<'_>,
    ) -> Option<FormAsk> {
        match (editor, item) {
            (Some(Editor::Choice), Some(item)) => {
                let allowed = self.field(item).map(|f| f.allowed.clone());
                let current = self.value(item);
                return Some(choice(item, allowed.unwrap_or_default(), &current));
            }
            (Some(Editor::Toggle), _) => self.toggle(),
            (Some(Editor::Members), _) => return self.row_action(Action::EditRow, editor, env),
            (Some(Editor::Button), _) => {
                self.leave(env);
                self.add_meta_row();
            }
            _ => {
                self.leave(env);
                self.tab_focus(true);
            }
        }
        None
    }

    /// Add, edit or remove an insured member (on the member list) or an extra row.
    fn row_action(
        &mut self,
        action: Action,
        editor: Option<Editor>,
        env: &FormEnv<'_>,
    ) -> Option<FormAsk> {
        let members = editor == Some(Editor::Members);
        match action {
            Action::AddRow if members => return Some(FormAsk::Member(None)),
            Action::AddRow if self.section() == crate::session::Section::Extras => {
                self.leave(env);
                self.add_meta_row();
            }
            Action::EditRow if members => {
                let row = (!self.form.members.is_empty()).then_some(self.member_sel);
                return Some(FormAsk::Member(row));
            }
            Action::RemoveRow if members => {
                let i = self.member_sel;
                if i < self.form.members.len() {
                    self.form.members.remove(i);
                    self.member_sel = i.min(self.form.members.len().saturating_sub(1));
                    self.changed = true;
                }
            }
            Action::RemoveRow => {
                self.remove_meta_row();
            }
            _ => {}
        }
        None
    }

    /// After a character typed at the end of a text field: a value nothing can mend any
    /// more is refused at once (`31/02/1990`), and with `[desk] auto_advance` a complete
    /// one is left (`session::complete::typed`).
    fn after_typing(&mut self, env: &FormEnv<'_>) {
        if self.input.caret() != self.input.text().len() {
            return;
        }
        let Some(key) = self.focused_field().map(|f| f.key.clone()) else {
            return;
        };
        match typed(&key, self.input.text(), env.profile) {
            Typed::Complete => {
                // Mended: a refusal shown while typing goes (leaving checks it again).
                self.clear_problem(&key);
                if env.auto_advance {
                    self.advance(env);
                }
            }
            Typed::Refused => self.check_focused(env.profile, env.today),
            Typed::Open => {}
        }
    }

    /// On to the next field, as Tab (auto-advance).
    fn advance(&mut self, env: &FormEnv<'_>) {
        self.leave(env);
        self.step(Action::NextField);
    }

    /// Auto-advance from a choice its letters settled, expecting the rest of its name.
    fn advance_past_choice(&mut self, env: &FormEnv<'_>) {
        let typed = self.typed_letters.1.clone();
        let chosen = self
            .focused()
            .map(|item| self.value(item))
            .unwrap_or_default();
        self.advance(env);
        self.spill = Spill::after((self.tab, self.focus), &chosen, &typed);
    }

    /// A key while a spill is pending (see `Spill`): held back while it goes on spelling
    /// the choice's name; otherwise the held keys are replayed, then this one.
    fn spill_key(&mut self, key: KeyEvent, env: &FormEnv<'_>) -> Option<FormReply> {
        let mut spill = self.spill.take()?;
        if spill.at != (self.tab, self.focus) {
            return None;
        }
        if let KeyCode::Char(c) = key.code
            && keymap::is_typing(&key)
            && spill.take(c)
        {
            spill.held.push(key);
            if !spill.spelt() {
                self.spill = Some(spill);
            }
            return Some(FormReply::default());
        }
        let mut reply = FormReply::default();
        for held in spill.held {
            reply = reply.merge(self.key(held, env));
        }
        Some(reply.merge(self.key(key, env)))
    }
}

/// The pick list for `item`: "not set" first, then `values`, `current` selected.
fn choice(item: Item, values: Vec<String>, current: &str) -> FormAsk {
    let mut options = vec![String::new()];
    options.extend(values);
    let selected = options.iter().position(|o| o == current).unwrap_or(0);
    FormAsk::Choice {
        item,
        options,
        selected,
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;
    use crate::session::{Form, ProfileSet, keys};
    use crate::tui::testing::fixed_now;

    fn travel() -> Profile {
        ProfileSet::builtin()
            .get("travel")
            .cloned()
            .expect("the travel profile")
    }

    fn press(form: &mut FormState, env: &FormEnv<'_>, code: KeyCode) -> FormReply {
        form.key(KeyEvent::new(code, KeyModifiers::NONE), env)
    }

    fn type_text(form: &mut FormState, env: &FormEnv<'_>, text: &str) {
        for c in text.chars() {
            press(form, env, KeyCode::Char(c));
        }
    }

    /// The form part alone: keys in, its own state and its reply out; no desk.
    #[test]
    fn the_form_takes_keys_alone_and_asks_the_desk_only_for_what_it_cannot_do() {
        let profile = travel();
        let scopes = [Scope::Choice, Scope::Form, Scope::Global];
        let env = FormEnv {
            profile: &profile,
            today: fixed_now().date(),
            scopes: &scopes,
            auto_advance: true,
            customer_id: Some((CustomerIdRule::Phone, "PD", 7)),
        };
        let mut form = FormState::new(&profile, Form::default(), None);
        assert!(form.focus_key(keys::CUSTOMER_PHONE));
        form.load_input();
        // Typed as on paper, left by itself once complete: wire format, an ID made from it.
        type_text(&mut form, &env, "+91 98765 43210");
        assert_eq!(form.form.get(keys::CUSTOMER_PHONE), "9876543210");
        assert_eq!(form.form.get(keys::CUSTOMER_ID), "9876543210");
        assert!(form.lookup.is_some(), "a returning customer is looked up");
        // Enter on a choice asks the desk for its pick list.
        assert!(form.focus_key(keys::CUSTOMER_GENDER));
        let reply = press(&mut form, &env, KeyCode::Enter);
        assert!(matches!(
            reply.ask,
            Some(FormAsk::Choice { ref options, .. }) if options.len() == 4
        ));
        // A key the form does not take goes back to the desk.
        let reply = form.key(
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
            &env,
        );
        assert_eq!(reply.propagate, Some(Action::Send));
        // F5 goes on to an empty required field; no toast while there is one.
        let reply = press(&mut form, &env, KeyCode::F(5));
        assert!(reply.toast.is_none());
        // A key with no meaning here changes nothing.
        assert!(form.focus_key(keys::CUSTOMER_GENDER));
        assert!(press(&mut form, &env, KeyCode::F(12)).idle);
    }
}
