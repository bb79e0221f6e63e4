//! The form being edited: which fields the profile shows, which one has focus, the text
//! input for it, the free metadata rows, and the problems found so far. Plain data; the
//! catalogue and profile decide everything about a field.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use crate::session::choice::{choice_by_letters, starting_with};
use crate::session::desk::{DeskDefaults, Origin};
use crate::session::entry::normalise_field;
use crate::session::validate::{check_field, missing_message};
use crate::session::{Form, FormField, Kind, Problem, Profile, Section};

use super::widgets::line_input::LineInput;

/// Wire keys with their own slots in `Form` rather than a string value.
pub use crate::session::keys::{
    INSURED_MEMBER_DETAILS as MEMBERS_KEY, IS_PRIMARY_HOLDER as PRIMARY_HOLDER_KEY,
    ORDER_ID as ORDER_ID_KEY, PAYMENT_PAGE_CLIENT_ID as CLIENT_ID_KEY,
    RETURN_URL as RETURN_URL_KEY,
};

/// A free key/value row in the Extras tab (any key the profile does not show).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaRow {
    pub key: String,
    pub value: String,
}

/// One focusable thing on a tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// Index into `FormState::fields`.
    Field(usize),
    MetaKey(usize),
    MetaValue(usize),
    /// The "+ add row" line of the Extras tab.
    AddMeta,
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    Text,
    Choice,
    Toggle,
    Members,
    ReadOnly,
    Button,
}

/// The rest of a choice's name after auto-advance left the choice on its first letters
/// (`emale` after `f` picked Female), expected at the field the cursor moved to, and the
/// keys that matched it so far, held back: dropped when they spell the whole rest,
/// replayed as typed the moment a key does not match. Only letters and digits count:
/// `self-employed`, `self employed` and `selfemployed` all spell SELF_EMPLOYED.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spill {
    /// Where the cursor went: `(tab, focus)`. Anywhere else the spill no longer applies.
    pub at: (usize, usize),
    /// The letters and digits still expected, lower-cased.
    pub rest: Vec<char>,
    /// How many of `rest` the held keys spelt.
    pub matched: usize,
    pub held: Vec<crossterm::event::KeyEvent>,
}

impl Spill {
    /// The spill after `typed` letters picked `chosen`; `None` when nothing is left of it.
    pub fn after(at: (usize, usize), chosen: &str, typed: &str) -> Option<Spill> {
        let letters = |text: &str| -> Vec<char> {
            text.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let mut rest = letters(chosen);
        let rest = rest.split_off(letters(typed).len().min(rest.len()));
        (!rest.is_empty()).then(|| Spill {
            at,
            rest,
            matched: 0,
            held: Vec::new(),
        })
    }

    /// Takes `c` if it goes on spelling the rest (a separator always does); true when it
    /// did.
    pub fn take(&mut self, c: char) -> bool {
        if matches!(c, ' ' | '-' | '_' | '.') {
            return true;
        }
        let next = self.rest.get(self.matched);
        if next.is_some_and(|r| c.to_lowercase().eq(std::iter::once(*r))) {
            self.matched += 1;
            return true;
        }
        false
    }

    /// Every letter of the rest has been typed.
    pub fn spelt(&self) -> bool {
        self.matched == self.rest.len()
    }
}

pub struct FormState {
    pub form: Form,
    /// The fields on screen: those the profile uses, any other that holds a value, or with
    /// `all_fields` every field of the visible tabs. `Item::Field` indexes this.
    pub fields: Vec<FormField>,
    /// Every field of the profile's visible tabs, in form order.
    pub every_field: Vec<FormField>,
    /// Keys of `every_field` the profile uses (`Profile::uses`).
    pub used: BTreeSet<String>,
    /// "All fields" is on: fields the profile does not use are shown too.
    pub all_fields: bool,
    /// Values the profile offers for free-text fields (`[choices]`), by key.
    pub offered: BTreeMap<String, Vec<String>>,
    /// The returning customer the history found for the typed mobile number or email,
    /// offered until the next key.
    pub returning: Option<crate::history::ReturningCustomer>,
    /// The customer to look up in the history (set on leaving the mobile or email field;
    /// the app turns it into an effect).
    pub lookup: Option<crate::history::CustomerKey>,
    /// The last customer looked up, so leaving the field again asks no second time.
    pub looked_up: Option<crate::history::CustomerKey>,
    /// Keys the desk fills itself once it can (a walk-in customer ID from the mobile
    /// number): the next-empty key passes over them.
    pub generates: BTreeSet<String>,
    pub tabs: Vec<Section>,
    pub tab: usize,
    /// Index into `items()` of the current tab.
    pub focus: usize,
    /// First line of the field list on screen.
    pub scroll: usize,
    /// The text input of the focused item (single line).
    pub input: LineInput,
    /// Letters typed in a row on a choice field, and the field: `sa` narrows to SALARIED.
    pub typed_letters: (Option<Item>, String),
    /// After auto-advance left a choice on its first letters: the rest of its name, in
    /// case the clerk goes on typing it (`female`), so the letters do not spill into the
    /// next field.
    pub spill: Option<Spill>,
    /// Problems found locally, by key (one message per key). They stay until the value
    /// changes and its check passes, so a tab's count does not drop on merely leaving.
    pub problems: BTreeMap<String, String>,
    /// The value each problem in `problems` was found for.
    pub problem_values: BTreeMap<String, String>,
    /// Problems the server named in a 400, by key.
    pub server: BTreeMap<String, String>,
    /// "written as …" for fields whose typed value was normalised on leaving them, by key;
    /// dropped when the value changes again.
    pub notes: BTreeMap<String, String>,
    /// Values the clerk did not type (desk settings, a generated customer ID), by key;
    /// dropped when the clerk changes the value. Desk values are skipped by Tab.
    pub origins: BTreeMap<String, Origin>,
    pub meta_rows: Vec<MetaRow>,
    /// Selected row of the insured-members table.
    pub member_sel: usize,
    /// The order id paydesk generated, to mark it "(generated)" while unchanged.
    pub generated_order_id: Option<String>,
    /// After a send attempt with problems: list them all under the form.
    pub show_problem_list: bool,
    /// Set whenever a value changes; the app saves the draft and clears it.
    pub changed: bool,
}

impl std::fmt::Debug for FormState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormState")
            .field("form", &self.form)
            .field("tab", &self.tab)
            .field("focus", &self.focus)
            .field("problems", &self.problems)
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

fn single_line(text: &str) -> LineInput {
    let line: String = text.chars().filter(|c| !c.is_control()).collect();
    LineInput::new(&line)
}

impl FormState {
    pub fn new(profile: &Profile, form: Form, generated_order_id: Option<String>) -> FormState {
        let mut state = FormState {
            form,
            fields: Vec::new(),
            every_field: Vec::new(),
            used: BTreeSet::new(),
            all_fields: false,
            offered: BTreeMap::new(),
            returning: None,
            typed_letters: (None, String::new()),
            spill: None,
            lookup: None,
            looked_up: None,
            generates: BTreeSet::new(),
            tabs: Vec::new(),
            tab: 0,
            focus: 0,
            scroll: 0,
            input: LineInput::default(),
            problems: BTreeMap::new(),
            problem_values: BTreeMap::new(),
            server: BTreeMap::new(),
            notes: BTreeMap::new(),
            origins: BTreeMap::new(),
            meta_rows: Vec::new(),
            member_sel: 0,
            generated_order_id,
            show_problem_list: false,
            changed: false,
        };
        state.apply_profile(profile);
        state
    }

    /// Shows the form under another profile; no value is lost (keys the new profile does
    /// not show become Extras rows).
    pub fn apply_profile(&mut self, profile: &Profile) {
        self.sync_meta();
        self.every_field = profile.form_fields();
        self.used = self
            .every_field
            .iter()
            .filter(|f| profile.uses(&f.key))
            .map(|f| f.key.clone())
            .collect();
        self.offered = self
            .every_field
            .iter()
            .filter(|f| f.allowed.is_empty())
            .map(|f| (f.key.clone(), profile.choices(&f.key)))
            .filter(|(_, c)| !c.is_empty())
            .collect();
        self.refresh_fields();
        let known = self.known_keys();
        // Keep rows the user is still typing (empty key or value), then every value the
        // profile does not show.
        let mut rows: Vec<MetaRow> = self
            .meta_rows
            .iter()
            .filter(|r| r.key.trim().is_empty() || r.value.is_empty())
            .cloned()
            .collect();
        for (key, value) in &self.form.values {
            if !known.contains(key.as_str()) {
                rows.push(MetaRow {
                    key: key.clone(),
                    value: value.clone(),
                });
            }
        }
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        self.meta_rows = rows;
        let mut tabs = profile.tabs.clone();
        if tabs.is_empty() {
            tabs = Section::ALL.to_vec();
        }
        if !self.meta_rows.is_empty() && !tabs.contains(&Section::Extras) {
            tabs.push(Section::Extras);
        }
        // Tabs always appear in catalogue order.
        tabs.sort();
        tabs.dedup();
        self.tabs = tabs;
        self.tab = self.tab.min(self.tabs.len().saturating_sub(1));
        self.focus = 0;
        self.scroll = 0;
        self.load_input();
    }

    /// Recomputes the fields on screen from `every_field` (see `fields`).
    fn refresh_fields(&mut self) {
        let shown: Vec<FormField> = self
            .every_field
            .iter()
            .filter(|f| self.all_fields || self.used.contains(&f.key) || self.has_value(&f.key))
            .cloned()
            .collect();
        self.fields = shown;
    }

    /// Whether the form holds a value for a field's key (a hidden field with a value is
    /// shown, so nothing is sent that the clerk cannot see).
    fn has_value(&self, key: &str) -> bool {
        match key {
            PRIMARY_HOLDER_KEY => self.form.is_primary_holder.is_some(),
            MEMBERS_KEY => !self.form.members.is_empty(),
            _ => !self.form.get(key).is_empty(),
        }
    }

    /// Turns "all fields" on or off, keeping focus on the same field when it stays shown.
    pub fn toggle_all_fields(&mut self) {
        self.store_input();
        let key = self.focused().and_then(|i| self.item_key(i));
        self.all_fields = !self.all_fields;
        self.refresh_fields();
        self.member_sel = 0;
        match key {
            Some(key) if self.focus_key(&key) => {}
            _ => {
                self.focus = self.focus.min(self.items().len().saturating_sub(1));
                self.load_input();
            }
        }
    }

    fn known_keys(&self) -> BTreeSet<&str> {
        let mut known: BTreeSet<&str> = self.every_field.iter().map(|f| f.key.as_str()).collect();
        known.insert(MEMBERS_KEY);
        known.insert(PRIMARY_HOLDER_KEY);
        known
    }

    /// Writes the meta rows into the form: every non-field key is replaced by the rows.
    pub fn sync_meta(&mut self) {
        if self.every_field.is_empty() {
            return;
        }
        let known: BTreeSet<String> = self.known_keys().into_iter().map(str::to_string).collect();
        self.form.values.retain(|k, _| known.contains(k));
        for row in &self.meta_rows {
            let key = row.key.trim();
            if !key.is_empty() && !known.contains(key) && !row.value.is_empty() {
                self.form.values.insert(key.to_string(), row.value.clone());
            }
        }
    }

    pub fn section(&self) -> Section {
        self.tabs.get(self.tab).copied().unwrap_or(Section::Order)
    }

    /// Focusable items of a tab, in screen order.
    pub fn items_for(&self, section: Section) -> Vec<Item> {
        let mut items: Vec<Item> = self
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.section == section)
            .map(|(i, _)| Item::Field(i))
            .collect();
        if section == Section::Extras {
            for i in 0..self.meta_rows.len() {
                items.push(Item::MetaKey(i));
                items.push(Item::MetaValue(i));
            }
            items.push(Item::AddMeta);
        }
        items
    }

    pub fn items(&self) -> Vec<Item> {
        self.items_for(self.section())
    }

    pub fn focused(&self) -> Option<Item> {
        self.items().get(self.focus).copied()
    }

    pub fn field(&self, item: Item) -> Option<&FormField> {
        match item {
            Item::Field(i) => self.fields.get(i),
            _ => None,
        }
    }

    pub fn focused_field(&self) -> Option<&FormField> {
        self.focused().and_then(|i| self.field(i))
    }

    pub fn editor(&self, item: Item) -> Editor {
        match item {
            Item::MetaKey(_) | Item::MetaValue(_) => Editor::Text,
            Item::AddMeta => Editor::Button,
            Item::Field(i) => match self.fields.get(i) {
                None => Editor::ReadOnly,
                Some(f) if f.fixed => Editor::ReadOnly,
                Some(f) => match f.kind {
                    Kind::MemberList => Editor::Members,
                    Kind::Boolean => Editor::Toggle,
                    Kind::Enum if !f.allowed.is_empty() => Editor::Choice,
                    _ => Editor::Text,
                },
            },
        }
    }

    pub fn focused_editor(&self) -> Option<Editor> {
        self.focused().map(|i| self.editor(i))
    }

    /// True when printable keys go into a text input.
    pub fn is_typing(&self) -> bool {
        self.focused_editor() == Some(Editor::Text)
    }

    /// The key an item's problems are filed under.
    pub fn item_key(&self, item: Item) -> Option<String> {
        match item {
            Item::Field(i) => self.fields.get(i).map(|f| f.key.clone()),
            Item::MetaKey(i) | Item::MetaValue(i) => {
                self.meta_rows.get(i).map(|r| r.key.trim().to_string())
            }
            Item::AddMeta => None,
        }
    }

    /// The text shown for an item.
    pub fn value(&self, item: Item) -> String {
        match item {
            Item::Field(i) => match self.fields.get(i) {
                Some(f) if f.key == PRIMARY_HOLDER_KEY => match self.form.is_primary_holder {
                    Some(true) => "true".into(),
                    Some(false) => "false".into(),
                    None => String::new(),
                },
                Some(f) => self.form.get(&f.key).to_string(),
                None => String::new(),
            },
            Item::MetaKey(i) => self
                .meta_rows
                .get(i)
                .map(|r| r.key.clone())
                .unwrap_or_default(),
            Item::MetaValue(i) => self
                .meta_rows
                .get(i)
                .map(|r| r.value.clone())
                .unwrap_or_default(),
            Item::AddMeta => String::new(),
        }
    }

    /// Puts the focused item's value into the text input.
    pub fn load_input(&mut self) {
        let text = match self.focused() {
            Some(item) if self.editor(item) == Editor::Text => self.value(item),
            _ => String::new(),
        };
        self.input = single_line(&text);
    }

    /// Sets an item's value (text, choice or toggle) and marks the form changed.
    pub fn set_value(&mut self, item: Item, value: &str) {
        match item {
            Item::Field(i) => {
                let Some(key) = self.fields.get(i).map(|f| f.key.clone()) else {
                    return;
                };
                if key == PRIMARY_HOLDER_KEY {
                    self.form.is_primary_holder = match value {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => None,
                    };
                } else {
                    if self.form.get(&key) == value {
                        return;
                    }
                    self.form.set(&key, value);
                }
                self.notes.remove(&key);
                self.origins.remove(&key);
                self.server.remove(&key);
            }
            Item::MetaKey(i) => {
                if let Some(row) = self.meta_rows.get_mut(i) {
                    let old = std::mem::replace(&mut row.key, value.to_string());
                    self.server.remove(old.trim());
                    self.problems.remove(old.trim());
                }
                self.sync_meta();
            }
            Item::MetaValue(i) => {
                if let Some(row) = self.meta_rows.get_mut(i) {
                    row.value = value.to_string();
                    let key = row.key.trim().to_string();
                    self.server.remove(&key);
                }
                self.sync_meta();
            }
            Item::AddMeta => return,
        }
        self.changed = true;
    }

    /// Copies the text input back into the form (after every edit).
    pub fn store_input(&mut self) {
        let Some(item) = self.focused() else { return };
        if self.editor(item) != Editor::Text {
            return;
        }
        let text = self.input.text().to_string();
        self.set_value(item, &text);
    }

    /// Checks the focused item on its own (when the user leaves it). A typed field is first
    /// normalised to its wire format (`normalise_field`, with `today` the desk's local date
    /// for the date-of-birth rule): a changed value is stored and noted "written as …"; a
    /// refusal becomes the field's problem.
    pub fn check_focused(&mut self, profile: &Profile, today: Date) {
        let Some(item) = self.focused() else { return };
        match item {
            Item::Field(i) => {
                let Some(field) = self.fields.get(i) else {
                    return;
                };
                if matches!(field.kind, Kind::MemberList) || field.key == PRIMARY_HOLDER_KEY {
                    return;
                }
                let key = field.key.clone();
                let required = field.required;
                let mut value = self.form.get(&key).to_string();
                if self.problems.contains_key(&key) && self.problem_values.get(&key) == Some(&value)
                {
                    // Left without a change: the problem (maybe one only a full check
                    // finds, such as travel dates out of order) stands.
                    return;
                }
                if self.editor(item) == Editor::Text {
                    match normalise_field(&key, &value, profile, Some(today)) {
                        Ok(n) => {
                            let note = n.note();
                            if n.changed {
                                self.set_value(item, &n.value);
                                self.load_input();
                                value = n.value;
                            }
                            if let Some(note) = note.filter(|_| !value.is_empty()) {
                                self.notes.insert(key.clone(), note);
                            }
                        }
                        Err(message) => {
                            self.add_problem(&key, message);
                            return;
                        }
                    }
                }
                match check_field(&key, &value, profile) {
                    Some(message) => self.add_problem(&key, message),
                    None if value.is_empty() && required && self.problems.contains_key(&key) => {
                        self.add_problem(&key, missing_message(profile));
                    }
                    None => {
                        self.clear_problem(&key);
                    }
                }
            }
            Item::MetaKey(i) | Item::MetaValue(i) => {
                let Some(row) = self.meta_rows.get(i) else {
                    return;
                };
                let key = row.key.trim().to_string();
                if key.is_empty() {
                    return;
                }
                if self.every_field.iter().any(|f| f.key == key) {
                    self.problems.insert(
                        key,
                        "this key is a field of the form; enter it there".into(),
                    );
                } else {
                    self.problems.remove(&key);
                }
            }
            Item::AddMeta => {}
        }
    }

    /// Replaces the problem list with a full validation's result.
    pub fn set_problems(&mut self, problems: &[Problem]) {
        self.problems.clear();
        self.problem_values.clear();
        for p in problems {
            if !self.problems.contains_key(&p.key) {
                self.add_problem(&p.key, p.message.clone());
            }
        }
    }

    /// Files a problem for `key` with the value it was found for.
    fn add_problem(&mut self, key: &str, message: String) {
        let value = self.form.get(key).to_string();
        self.problems.insert(key.to_string(), message);
        self.problem_values.insert(key.to_string(), value);
    }

    /// The tab a key belongs to (keys the profile does not show live in Extras).
    pub fn section_of(&self, key: &str) -> Section {
        self.every_field
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.section)
            .unwrap_or(Section::Extras)
    }

    /// The label of a key for messages.
    pub fn label_of(&self, key: &str) -> String {
        self.every_field
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label.clone())
            .unwrap_or_else(|| key.to_string())
    }

    /// Problems (local and server) on one tab.
    pub fn problem_count(&self, section: Section) -> usize {
        let keys: BTreeSet<&String> = self.problems.keys().chain(self.server.keys()).collect();
        keys.into_iter()
            .filter(|k| self.section_of(k) == section)
            .count()
    }

    /// Every problem in form order: `(key, message)`; the server's reason wins.
    pub fn all_problems(&self) -> Vec<(String, String)> {
        let mut keys: Vec<&String> = self.problems.keys().chain(self.server.keys()).collect();
        keys.sort_by_key(|k| {
            (
                self.section_of(k),
                self.every_field.iter().position(|f| &f.key == *k),
            )
        });
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let msg = self
                    .server
                    .get(k)
                    .map(|m| format!("Juspay: {m}"))
                    .or_else(|| self.problems.get(k).cloned())
                    .unwrap_or_default();
                (k.clone(), msg)
            })
            .collect()
    }

    /// Drops the local problem of `key` (its check passes now, or will run again on
    /// leaving the field).
    pub fn clear_problem(&mut self, key: &str) {
        self.problems.remove(key);
        self.problem_values.remove(key);
    }

    /// The problem shown under an item, if any.
    pub fn problem_for(&self, item: Item) -> Option<String> {
        let key = self.item_key(item)?;
        if key.is_empty() {
            return None;
        }
        if matches!(item, Item::MetaKey(_)) {
            return None;
        }
        self.server
            .get(&key)
            .map(|m| format!("Juspay: {m}"))
            .or_else(|| self.problems.get(&key).cloned())
    }

    /// Moves focus to the tab and item holding `key`. Returns false when no item holds it.
    pub fn focus_key(&mut self, key: &str) -> bool {
        if !self.all_fields
            && !self.fields.iter().any(|f| f.key == key)
            && self.every_field.iter().any(|f| f.key == key)
        {
            // A hidden field asked for by name (a problem on it): show every field.
            self.all_fields = true;
            self.refresh_fields();
        }
        let section = self.section_of(key);
        let Some(tab) = self.tabs.iter().position(|s| *s == section) else {
            return false;
        };
        self.tab = tab;
        let items = self.items();
        let pos = items.iter().position(|item| match item {
            Item::Field(i) => self.fields.get(*i).is_some_and(|f| f.key == key),
            Item::MetaValue(i) => self.meta_rows.get(*i).is_some_and(|r| r.key.trim() == key),
            _ => false,
        });
        self.focus = pos.unwrap_or(0);
        self.load_input();
        pos.is_some()
    }

    /// Moves focus by `delta` items within the tab (wrapping).
    pub fn move_focus(&mut self, delta: isize) {
        let n = self.items().len();
        if n == 0 {
            return;
        }
        let next = (self.focus as isize + delta).rem_euclid(n as isize) as usize;
        self.focus = next;
        self.member_sel = 0;
        self.load_input();
    }

    /// Marks the form's values that are the desk's settings ("from desk settings").
    pub fn mark_desk(&mut self, desk: &DeskDefaults) {
        for (key, value) in &desk.values {
            if !value.is_empty() && self.form.get(key) == value {
                self.origins.insert(key.clone(), Origin::DeskSettings);
            }
        }
    }

    /// Sets a value paydesk generated (a walk-in customer ID), marked "generated".
    pub fn set_generated(&mut self, key: &str, value: &str) {
        self.form.set(key, value);
        self.origins.insert(key.to_string(), Origin::Generated);
        self.changed = true;
        if self.focused().and_then(|i| self.item_key(i)).as_deref() == Some(key) {
            self.input = single_line(value);
        }
    }

    /// True for an item Tab passes over: a value from the desk's settings.
    fn skipped_by_tab(&self, section: Section, pos: usize) -> bool {
        match self.items_for(section).get(pos) {
            Some(Item::Field(i)) => self
                .fields
                .get(*i)
                .is_some_and(|f| self.origins.get(&f.key) == Some(&Origin::DeskSettings)),
            _ => false,
        }
    }

    /// Tab and Shift-Tab (and the arrows bound with them), passing over values from the
    /// desk's settings (a click still reaches them); stays put when every item is one.
    pub fn tab_focus(&mut self, forward: bool) {
        let start = (self.tab, self.focus);
        let total: usize = self.tabs.iter().map(|s| self.items_for(*s).len()).sum();
        for _ in 0..total {
            self.step_focus(forward);
            if !self.skipped_by_tab(self.section(), self.focus) {
                return;
            }
        }
        (self.tab, self.focus) = start;
        self.load_input();
    }

    /// Tab and Shift-Tab: one item forward (`forward`) or back; past the last item of a
    /// tab to the first item of the next tab the form shows, before the first to the last
    /// item of the previous one (wrapping round the tabs), skipping empty tabs.
    pub fn step_focus(&mut self, forward: bool) {
        let n = self.items().len();
        let inside = if forward {
            self.focus + 1 < n
        } else {
            self.focus > 0 && n > 0
        };
        if inside {
            self.move_focus(if forward { 1 } else { -1 });
            return;
        }
        let tabs = self.tabs.len();
        for step in 1..=tabs {
            let tab = if forward {
                (self.tab + step) % tabs
            } else {
                (self.tab + tabs - step) % tabs
            };
            let Some(section) = self.tabs.get(tab).copied() else {
                return;
            };
            let count = self.items_for(section).len();
            if count > 0 {
                self.tab = tab;
                self.focus = if forward { 0 } else { count - 1 };
                self.scroll = 0;
                self.member_sel = 0;
                self.load_input();
                return;
            }
        }
    }

    pub fn set_tab(&mut self, tab: usize) {
        if tab < self.tabs.len() && tab != self.tab {
            self.tab = tab;
            self.focus = 0;
            self.scroll = 0;
            self.load_input();
        }
    }

    /// Adds an empty `metadata.` row and focuses its key.
    pub fn add_meta_row(&mut self) {
        self.meta_rows.push(MetaRow {
            key: "metadata.".into(),
            value: String::new(),
        });
        let idx = self.meta_rows.len() - 1;
        if let Some(pos) = self.items().iter().position(|i| *i == Item::MetaKey(idx)) {
            self.focus = pos;
        }
        self.load_input();
        self.changed = true;
    }

    /// Removes the meta row in focus.
    pub fn remove_meta_row(&mut self) -> bool {
        let idx = match self.focused() {
            Some(Item::MetaKey(i) | Item::MetaValue(i)) => i,
            _ => return false,
        };
        if idx >= self.meta_rows.len() {
            return false;
        }
        let row = self.meta_rows.remove(idx);
        self.problems.remove(row.key.trim());
        self.server.remove(row.key.trim());
        self.sync_meta();
        self.focus = self.focus.min(self.items().len().saturating_sub(1));
        self.load_input();
        self.changed = true;
        true
    }

    /// The values the profile offers for the focused free-text field, if it offers any.
    pub fn focused_offers(&self) -> Option<&Vec<String>> {
        let item = self.focused()?;
        if self.editor(item) != Editor::Text {
            return None;
        }
        self.offered.get(&self.field(item)?.key)
    }

    /// Moves focus to the next required field still empty, after the focused one and
    /// round all the tabs the form shows (a key the desk `generates` does not count).
    /// False (focus unchanged) when there is none.
    pub fn next_empty(&mut self) -> bool {
        let mut spots: Vec<(usize, usize, Item)> = Vec::new();
        for (tab, section) in self.tabs.iter().enumerate() {
            for (pos, item) in self.items_for(*section).into_iter().enumerate() {
                spots.push((tab, pos, item));
            }
        }
        let here = spots
            .iter()
            .position(|(tab, pos, _)| (*tab, *pos) == (self.tab, self.focus))
            .unwrap_or(0);
        let n = spots.len();
        for step in 1..=n {
            let Some(&(tab, pos, item)) = spots.get((here + step) % n) else {
                continue;
            };
            if self.is_empty_required(item) {
                self.tab = tab;
                self.focus = pos;
                self.scroll = 0;
                self.member_sel = 0;
                self.load_input();
                return true;
            }
        }
        false
    }

    /// A required field the clerk can fill that holds nothing.
    fn is_empty_required(&self, item: Item) -> bool {
        let Some(field) = self.field(item) else {
            return false;
        };
        if !field.required || field.fixed || self.generates.contains(&field.key) {
            return false;
        }
        !self.has_value(&field.key)
    }

    /// On leaving the mobile number or email field with a valid value: asks (once per
    /// value) for the history's returning customer of it, through `lookup`.
    pub fn ask_returning(&mut self) {
        use crate::history::CustomerKey;
        use crate::session::keys;
        let Some(key) = self.focused().and_then(|i| self.item_key(i)) else {
            return;
        };
        let value = self.form.get(&key).to_string();
        if value.is_empty() || self.problems.contains_key(&key) {
            return;
        }
        let wanted = match key.as_str() {
            keys::CUSTOMER_PHONE => CustomerKey::Phone(value),
            keys::CUSTOMER_EMAIL => CustomerKey::Email(value),
            _ => return,
        };
        if self.looked_up.as_ref() != Some(&wanted) {
            self.looked_up = Some(wanted.clone());
            self.lookup = Some(wanted);
        }
    }

    /// Whether the returning customer's details would fill anything in this form.
    pub fn offers_something(&self, details: &BTreeMap<String, String>) -> bool {
        details
            .iter()
            .any(|(k, v)| self.fillable(k) && self.form.get(k) != v.as_str())
    }

    /// A customer field a returning customer's detail may fill: empty, or generated.
    fn fillable(&self, key: &str) -> bool {
        self.every_field.iter().any(|f| f.key == key && !f.fixed)
            && (self.form.get(key).is_empty() || self.origins.get(key) == Some(&Origin::Generated))
    }

    /// Fills a returning customer's details (wire values, as last sent) into the empty
    /// fields (and a generated customer ID), as canonical values under `profile`; typed
    /// values are kept. Returns how many fields were filled.
    pub fn fill_returning(
        &mut self,
        details: &BTreeMap<String, String>,
        profile: &Profile,
    ) -> usize {
        self.store_input();
        let mut filled = 0;
        for (key, value) in details {
            if !self.fillable(key) {
                continue;
            }
            let value = normalise_field(key, value, profile, None)
                .map(|n| n.value)
                .unwrap_or_else(|_| value.clone());
            self.form.set(key, value);
            self.origins.remove(key);
            self.notes.remove(key);
            self.problems.remove(key);
            filled += 1;
        }
        if filled > 0 {
            self.changed = true;
            let key = self.focused().and_then(|i| self.item_key(i));
            self.refresh_fields();
            if let Some(key) = key {
                self.focus_key(&key);
            }
            self.load_input();
        }
        filled
    }

    /// Cycles a choice field through its allowed values (and back to empty).
    pub fn cycle_choice(&mut self, delta: isize) {
        let Some(item) = self.focused() else { return };
        let Some(field) = self.field(item) else {
            return;
        };
        let mut options: Vec<String> = vec![String::new()];
        options.extend(field.allowed.iter().cloned());
        let current = self.value(item);
        let pos = options.iter().position(|o| *o == current).unwrap_or(0) as isize;
        let next = (pos + delta).rem_euclid(options.len() as isize) as usize;
        let value = options.get(next).cloned().unwrap_or_default();
        self.set_value(item, &value);
    }

    /// Whether `letter` goes on with the letters already typed on the focused choice
    /// (`h` after `p`: Ph.D), so it is taken as a letter even where it has a key of its
    /// own (`h` opens the history).
    pub fn continues_typed_letters(&self, letter: char) -> bool {
        let Some(item) = self.focused() else {
            return false;
        };
        let (Some(on), typed) = &self.typed_letters else {
            return false;
        };
        if *on != item || typed.is_empty() {
            return false;
        }
        let longer = format!("{typed}{letter}");
        self.field(item)
            .is_some_and(|f| starting_with(&f.allowed, &longer) > 0)
    }

    /// Picks an allowed value of the focused choice field by typed letters (any case):
    /// letters typed in a row on the field narrow it (`s` SALARIED, then `e` SELF_EMPLOYED);
    /// a letter that continues no option starts again from itself, so pressing the same
    /// letter again cycles through the options starting with it. Nothing happens when no
    /// option matches.
    ///
    /// Returns true when the letters settle the choice: they picked an option and no other
    /// option starts with them (`f` → Female; `s` picks SALARIED, but SELF_EMPLOYED too
    /// starts with s, so more may be meant).
    pub fn choose_by_letter(&mut self, letter: char) -> bool {
        let Some(item) = self.focused() else {
            return false;
        };
        let Some(field) = self.field(item) else {
            return false;
        };
        let options = field.allowed.clone();
        let current = self.value(item);
        let at = options.iter().position(|o| *o == current);
        let mut typed = match &self.typed_letters {
            (Some(on), letters) if *on == item => letters.clone(),
            _ => String::new(),
        };
        typed.push(letter);
        if typed.chars().count() > 1 && starting_with(&options, &typed) == 0 {
            typed = letter.to_string();
        }
        let Some(pick) = choice_by_letters(&options, &typed, at).and_then(|i| options.get(i))
        else {
            self.typed_letters = (Some(item), String::new());
            return false;
        };
        self.set_value(item, pick);
        let settled = starting_with(&options, &typed) == 1;
        self.typed_letters = (Some(item), typed);
        settled
    }

    /// Toggles a yes/no field: not set → true → false → not set.
    pub fn toggle(&mut self) {
        let Some(item) = self.focused() else { return };
        let next = match self.value(item).as_str() {
            "" => "true",
            "true" => "false",
            _ => "",
        };
        self.set_value(item, next);
    }

    /// The form as it will be sent (meta rows merged in).
    pub fn form(&mut self) -> &Form {
        self.sync_meta();
        &self.form
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing::{fixture_form, fixture_profile};

    #[test]
    fn extras_keep_keys_the_profile_does_not_show() {
        let profile = fixture_profile();
        let mut form = fixture_form();
        form.set("metadata.branch", "MG Road");
        let mut state = FormState::new(&profile, form, None);
        assert_eq!(
            state.meta_rows,
            vec![MetaRow {
                key: "metadata.branch".into(),
                value: "MG Road".into()
            }]
        );
        assert!(state.tabs.contains(&Section::Extras));
        // Renaming the key moves the value; nothing else changes.
        state.set_value(Item::MetaKey(0), "metadata.counter");
        assert_eq!(state.form().get("metadata.counter"), "MG Road");
        assert_eq!(state.form().get("metadata.branch"), "");
        assert_eq!(state.form().get("amount"), "30500");
    }

    #[test]
    fn choice_cycles_through_allowed_values_and_empty() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        assert!(state.focus_key("customer_gender"));
        assert_eq!(state.focused_editor(), Some(Editor::Choice));
        state.cycle_choice(1);
        assert_eq!(state.form.get("customer_gender"), "Male");
        state.cycle_choice(-1);
        assert_eq!(state.form.get("customer_gender"), "");
        state.cycle_choice(-1);
        assert_eq!(state.form.get("customer_gender"), "Others");
    }

    #[test]
    fn problems_are_counted_on_their_tab() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        state.set_problems(&[
            Problem {
                key: "amount".into(),
                message: "required".into(),
            },
            Problem {
                key: "customer_email".into(),
                message: "bad".into(),
            },
            Problem {
                key: "customer_phone".into(),
                message: "bad".into(),
            },
        ]);
        state
            .server
            .insert("customer_email".into(), "invalid".into());
        assert_eq!(state.problem_count(Section::Order), 1);
        assert_eq!(state.problem_count(Section::Customer), 2);
        let all = state.all_problems();
        assert_eq!(all.first().map(|p| p.0.as_str()), Some("amount"));
        assert!(
            all.iter()
                .any(|(k, m)| k == "customer_email" && m == "Juspay: invalid")
        );
    }

    fn leave_with(state: &mut FormState, profile: &Profile, key: &str, typed: &str) {
        assert!(state.focus_key(key), "{key} is on the form");
        state.input = LineInput::new(typed);
        state.store_input();
        let today = time::macros::date!(2026 - 11 - 30);
        state.check_focused(profile, today);
    }

    #[test]
    fn leaving_a_field_writes_it_in_wire_format_and_says_so() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        leave_with(&mut state, &profile, "amount", "Rs. 45,999.50/-");
        assert_eq!(state.form.get("amount"), "45999.50");
        assert_eq!(state.input.text(), "45999.50");
        assert_eq!(
            state.notes.get("amount").map(String::as_str),
            Some("written as 45999.50")
        );
        assert!(!state.problems.contains_key("amount"));
        leave_with(&mut state, &profile, "customer_phone", "+91 98765 43210");
        assert_eq!(state.form.get("customer_phone"), "9876543210");
        // Typing again drops the note until the field is left again.
        state.focus_key("amount");
        state.input = LineInput::new("100");
        state.store_input();
        assert!(!state.notes.contains_key("amount"));
    }

    #[test]
    fn a_refused_value_is_the_fields_problem_and_stays_as_typed() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        leave_with(&mut state, &profile, "customer_dob", "14/03/2020");
        assert_eq!(state.form.get("customer_dob"), "14/03/2020");
        let problem = state
            .problems
            .get("customer_dob")
            .cloned()
            .unwrap_or_default();
        assert!(problem.contains("18 or older"), "{problem}");
        assert!(!state.notes.contains_key("customer_dob"));
    }

    #[test]
    fn tab_past_the_last_field_goes_to_the_next_tab_and_back() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        assert!(state.tabs.len() > 1);
        let first_tab = state.tab;
        let last = state.items().len() - 1;
        state.focus = last;
        state.step_focus(true);
        assert_eq!(state.tab, first_tab + 1);
        assert_eq!(state.focus, 0);
        state.step_focus(false);
        assert_eq!(state.tab, first_tab);
        assert_eq!(state.focus, last);
        // Inside a tab, one field at a time.
        state.focus = 0;
        state.step_focus(true);
        assert_eq!((state.tab, state.focus), (first_tab, 1));
    }

    #[test]
    fn desk_values_are_marked_and_tab_passes_over_them() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        let section = state.section();
        let keys: Vec<String> = state
            .items_for(section)
            .iter()
            .filter_map(|i| state.field(*i).map(|f| f.key.clone()))
            .collect();
        assert!(keys.len() >= 3, "{keys:?}");
        // The second field of the first tab comes from the desk.
        let mut desk = DeskDefaults::default();
        desk.values.insert(keys[1].clone(), "x".into());
        state.form.set(&keys[1], "x");
        state.mark_desk(&desk);
        assert_eq!(state.origins.get(&keys[1]), Some(&Origin::DeskSettings));
        state.focus = 0;
        state.tab_focus(true);
        assert_eq!(state.focus, 2);
        state.tab_focus(false);
        assert_eq!(state.focus, 0);
        // Typing over it makes it the clerk's value.
        state.set_value(
            Item::Field(
                state
                    .fields
                    .iter()
                    .position(|f| f.key == keys[1])
                    .unwrap_or(0),
            ),
            "y",
        );
        assert!(!state.origins.contains_key(&keys[1]));
    }

    #[test]
    fn a_typed_letter_picks_the_choice_starting_with_it() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        assert!(state.focus_key("customer_gender"));
        state.choose_by_letter('f');
        assert_eq!(state.form.get("customer_gender"), "Female");
        state.choose_by_letter('M');
        assert_eq!(state.form.get("customer_gender"), "Male");
        state.choose_by_letter('z');
        assert_eq!(state.form.get("customer_gender"), "Male");
    }
    #[test]
    fn letters_typed_in_a_row_narrow_the_choice_and_say_when_it_is_settled() {
        let profile = fixture_profile();
        let mut state = FormState::new(&profile, Form::default(), None);
        let key = "customer_employment_type";
        assert!(state.focus_key(key));
        // `s` starts both SALARIED and SELF_EMPLOYED: picked, not settled.
        assert!(!state.choose_by_letter('s'));
        assert_eq!(state.form.get(key), "SALARIED");
        // `se` only SELF_EMPLOYED.
        assert!(state.choose_by_letter('e'));
        assert_eq!(state.form.get(key), "SELF_EMPLOYED");
        // A letter that continues nothing starts again: `s` cycles.
        assert!(!state.choose_by_letter('s'));
        assert_eq!(state.form.get(key), "SALARIED");
        assert!(!state.choose_by_letter('s'));
        assert_eq!(state.form.get(key), "SELF_EMPLOYED");
        assert!(state.choose_by_letter('a'));
        assert_eq!(state.form.get(key), "SALARIED");
        // Another field starts afresh: `g` alone settles Graduate.
        assert!(state.focus_key("customer_highest_education"));
        assert!(state.choose_by_letter('g'));
        assert_eq!(state.form.get("customer_highest_education"), "Graduate");
    }
}
