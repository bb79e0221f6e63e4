//! `App::update(msg) -> effects`: routes each message to the part that handles it (input
//! through `focus.rs`, task answers to `send.rs` and the parts under `parts/`). Plain and
//! synchronous: no IO, no clock reads except through the injected `Clock`, so every
//! behaviour is testable on data. The state itself is in `state.rs`.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::EnvKind;
use crate::session::desk::apply_desk;
use crate::session::{Form, Profile, order_id};

use super::draft::Draft;
use super::effects::Effect;
use super::form_keys::FormEnv;
use super::form_state::{CLIENT_ID_KEY, Editor, FormState, ORDER_ID_KEY, RETURN_URL_KEY};
use super::keymap::Scope;
use super::msg::Msg;
use super::strings;

pub use super::state::*;

pub(crate) const DRAFT_DEBOUNCE: Duration = Duration::from_millis(500);
pub(crate) const TOAST_TIME: Duration = Duration::from_millis(2500);
pub(crate) const SPINNER_TICK: Duration = Duration::from_millis(100);
pub(crate) const COUNTDOWN_TICK: Duration = Duration::from_secs(1);

pub(crate) fn fallback_profile() -> Profile {
    Profile {
        name: "generic".into(),
        description: String::new(),
        tabs: crate::session::Section::ALL.to_vec(),
        required: Default::default(),
        defaults: Default::default(),
        fixed: Default::default(),
        spellings: Default::default(),
        order_id_pattern: "[A-Za-z0-9_-]{1,20}".into(),
        custom_fields: Vec::new(),
        refunds: Default::default(),
        amount_decimals: None,
        fields: Vec::new(),
        choices: Default::default(),
        source: crate::session::profile::ProfileSource::BuiltIn,
    }
}

impl App {
    /// Effects `new` could not return (e.g. a start-up message's timer).
    pub fn take_pending(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    pub fn current_profile(&self) -> &Profile {
        self.profiles
            .profiles
            .get(self.profile)
            .or(self.profiles.profiles.first())
            .unwrap_or_else(|| {
                // `new` guarantees at least one profile; this arm is never taken.
                static FALLBACK: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
                FALLBACK.get_or_init(fallback_profile)
            })
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn generate_order_id(&mut self) -> String {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        order_id::generate(&self.order_prefix, self.now, self.seed)
    }

    /// payment_page_client_id and return_url from the environment when empty. Demo has no
    /// shop to return to, so it gets a placeholder page.
    pub(crate) fn fill_from_env(&self, form: &mut Form) {
        if form.get(CLIENT_ID_KEY).is_empty() && !self.env.client_id.is_empty() {
            form.set(CLIENT_ID_KEY, self.env.client_id.clone());
        }
        let return_url = match (&self.env.return_url, self.env.kind) {
            (Some(url), _) => Some(url.as_str()),
            (None, EnvKind::Demo) => Some(strings::DEMO_RETURN_URL),
            (None, _) => None,
        };
        if let (true, Some(url)) = (form.get(RETURN_URL_KEY).is_empty(), return_url) {
            form.set(RETURN_URL_KEY, url);
        }
    }

    /// A new order: the profile's blank form, `keep`'s values on top, a fresh order id.
    pub(crate) fn new_order(&mut self, keep: Form) {
        // A copy (`y`, `N`) holds the clerk's data: saved as the draft like typed values.
        let copied = !keep.values.is_empty() || !keep.members.is_empty();
        let mut form = self.current_profile().new_form();
        for (k, v) in keep.values {
            form.set(&k, v);
        }
        if !keep.members.is_empty() {
            form.members = keep.members;
        }
        if keep.is_primary_holder.is_some() {
            form.is_primary_holder = keep.is_primary_holder;
        }
        let id = self.generate_order_id();
        form.set(ORDER_ID_KEY, id.clone());
        self.load_form(form, Some(id));
        // A draft save still pending for the previous form must not write this one.
        self.draft_gen += 1;
        self.clean_form = Some(self.form.form().clone());
        self.form.changed = copied;
        self.screen = Screen::Form;
        self.focus = Focus::Form;
        self.notice = None;
    }

    /// Puts `form` on the desk (a new order, a draft, `--from`): the environment's values
    /// and the desk's where it has none (marked "from desk settings"), then a walk-in
    /// customer ID by the desk's rule; with `auto_advance`, the cursor on the first empty
    /// required field. `generated_order_id` is the id paydesk made, if any.
    pub(crate) fn load_form(&mut self, mut form: Form, generated_order_id: Option<String>) {
        self.fill_from_env(&mut form);
        apply_desk(&mut form, &self.desk, self.current_profile());
        // A returning-customer answer still due was for the form this one replaces.
        self.lookup_gen += 1;
        self.form = FormState::new(self.current_profile(), form, generated_order_id);
        self.form.mark_desk(&self.desk);
        if self.desk.customer_id.is_some() {
            self.form
                .generates
                .insert(crate::session::keys::CUSTOMER_ID.to_string());
        }
        self.generate_customer_id();
        if self.desk.auto_advance {
            // The cursor starts where the clerk must type.
            self.form.next_empty();
        }
    }

    /// Whether the form holds edits that no send has taken (see `clean_form`). `&mut`:
    /// reading the form stores the input being typed first.
    pub fn has_unsent_edits(&mut self) -> bool {
        self.clean_form.as_ref() != Some(self.form.form())
    }

    pub(crate) fn toast(&mut self, text: impl Into<String>, error: bool) -> Effect {
        let id = self.next_id();
        // Toasts and notices quote order ids and Juspay's words: sanitised here, once.
        self.toast = Some(Toast {
            id,
            text: crate::text::sanitize_line(&text.into()).into_owned(),
            error,
        });
        Effect::After {
            after: TOAST_TIME,
            msg: Box::new(Msg::ToastExpired(id)),
        }
    }

    pub(crate) fn notice(
        &mut self,
        kind: NoticeKind,
        title: impl Into<String>,
        lines: Vec<String>,
    ) {
        self.notice = Some(Notice {
            kind,
            title: crate::text::sanitize_line(&title.into()).into_owned(),
            lines: lines
                .iter()
                .map(|l| crate::text::sanitize(l).into_owned())
                .collect(),
        });
    }

    /// How often the loop should tick, if at all (only while something moves).
    pub fn tick_period(&self) -> Option<Duration> {
        if self.send.is_some() {
            return Some(SPINNER_TICK);
        }
        if self.screen == Screen::Result && self.result.as_ref().is_some_and(|r| !r.is_final()) {
            return Some(COUNTDOWN_TICK);
        }
        // The history pane counts down to the next re-check of open rows.
        if self.rechecks.open > 0 {
            return Some(COUNTDOWN_TICK);
        }
        None
    }

    /// Scopes whose bindings apply now (for lookup and the footer).
    pub fn scopes(&self) -> Vec<Scope> {
        if let Some(scopes) = self.with_popup(|p| p.scopes()) {
            return scopes;
        }
        if self.focus == Focus::History && self.history_visible() {
            return vec![Scope::History];
        }
        if self.screen == Screen::Part
            && let Some(part) = &self.screen_part
        {
            return part.scopes();
        }
        if self.screen == Screen::Result {
            if self.demo_offered() {
                return vec![Scope::Result, Scope::Demo];
            }
            return vec![Scope::Result];
        }
        let extras = self.form.section() == crate::session::Section::Extras;
        let mut scopes = Vec::new();
        if self.form.returning.is_some() {
            scopes.push(Scope::Returning);
        }
        if self.form.focused_offers().is_some() {
            scopes.push(Scope::Offered);
        }
        scopes.extend(match self.form.focused_editor() {
            Some(Editor::Text) => vec![Scope::TextField],
            Some(Editor::Choice | Editor::Toggle) => vec![Scope::Choice],
            Some(Editor::Members) => vec![Scope::Members],
            _ => vec![],
        });
        if extras {
            scopes.push(Scope::Extras);
        }
        scopes.push(Scope::Form);
        scopes
    }

    // ----- update -------------------------------------------------------------------

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        self.now = self.clock.now();
        self.dirty = true;
        let mut effects = self.route(msg);
        if self.focus != Focus::History && !crate::tui::layout::wide(self.size.0) {
            // A narrow screen's history pane covers the form: it goes with the keys, or
            // typing would land in a field nobody sees (Alt-1 from the pane did that).
            self.history.shown = false;
        }
        if let Some(key) = self.form.lookup.take() {
            self.lookup_gen += 1;
            effects.push(Effect::LookupCustomer {
                generation: self.lookup_gen,
                key,
            });
        }
        if self.form.changed {
            self.form.changed = false;
            self.draft_gen += 1;
            effects.push(Effect::After {
                after: DRAFT_DEBOUNCE,
                msg: Box::new(Msg::DraftDue(self.draft_gen)),
            });
        }
        effects.extend(self.story_due());
        self.keep_in_view();
        effects
    }

    /// Hands `msg` to the part it is for.
    fn route(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Input(event) => self.on_event(event),
            Msg::Tick => Vec::new(),
            Msg::DraftDue(generation) => self.draft_due(generation),
            Msg::ToastExpired(id) => {
                if self.toast.as_ref().is_some_and(|t| t.id == id) {
                    self.toast = None;
                }
                Vec::new()
            }
            Msg::ClientReady { env_name, base_url } => self.on_client_ready(env_name, base_url),
            Msg::ClientFailed { env_name, message } => self.client_failed(env_name, message),
            Msg::EnvSwitched(settings) => self.env_switched(*settings),
            Msg::StoreReady(result) => {
                let opened = result.is_ok();
                let mut effects = self.store_ready(result);
                if opened {
                    effects.extend(self.follow_open_refunds(Duration::ZERO));
                }
                effects
            }
            Msg::SendDone { send_id, result } => self.send_done(send_id, result),
            Msg::Reconciled {
                send_id,
                order_id,
                history_id,
                result,
            } => self.reconciled(send_id, order_id, history_id, result),
            Msg::StatusPolled {
                view_id,
                order_id,
                result,
            } => self.status_polled(view_id, order_id, result),
            Msg::DemoSettled { order_id, result } => self.demo_settled(order_id, result),
            Msg::Rechecked(result) => self.rechecked(result),
            Msg::Refreshed {
                order_id,
                was,
                result,
            } => self.refreshed(order_id, was, result),
            Msg::HistoryLoaded {
                generation,
                offset,
                total,
                rows,
            } => {
                let mut effects = self.history_loaded(generation, offset, total, rows);
                effects.extend(self.marks_due());
                effects.extend(self.history_answered(generation));
                effects
            }
            Msg::HistoryFailed {
                generation,
                message,
            } => self.history_failed(generation, message),
            Msg::Live(msg) => self.live_msg(msg),
            Msg::Refund(answer) => self.refund_msg(*answer),
            Msg::Forgotten { order_id, result } => self.forgotten(order_id, result),
            Msg::QrSaved(result) => self.qr_saved(result),
            Msg::DraftFailed(message) => {
                vec![self.toast(format!("Could not save the draft: {message}"), true)]
            }
            Msg::OpenFailed(message) => self.open_failed(&message),
            Msg::Banner(text) => {
                self.banners.push(text);
                Vec::new()
            }
            Msg::Shutdown => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Msg::Suspend => vec![Effect::Suspend],
            Msg::CustomerFound { generation, found } => {
                self.customer_found(generation, found);
                Vec::new()
            }
        }
    }

    /// No browser could be opened: logged, and the clerk told how to get the link instead.
    fn open_failed(&mut self, message: &str) -> Vec<Effect> {
        tracing::warn!(error = %message, "desk: could not open a browser");
        let copy = crate::tui::keymap::key_for(
            crate::tui::keymap::Scope::Result,
            crate::tui::keymap::Action::Copy,
        );
        vec![self.toast(
            format!("No browser could be opened here; press {copy} to copy the link instead"),
            true,
        )]
    }

    /// The history window could not be read: said in the pane when it is the newest load.
    fn history_failed(&mut self, generation: u64, message: String) -> Vec<Effect> {
        if generation == self.history.generation {
            self.history.loading = false;
            self.history.error = Some(message);
        }
        self.history_answered(generation)
    }

    /// The debounced draft save is due: write it unless a newer change is pending.
    fn draft_due(&mut self, generation: u64) -> Vec<Effect> {
        if generation == self.draft_gen && self.screen == Screen::Form {
            let draft = Draft {
                profile: self.current_profile().name.clone(),
                form: self.form.form().clone(),
                generated_order_id: self.form.generated_order_id.clone(),
            };
            vec![Effect::WriteDraft(draft.to_json())]
        } else {
            Vec::new()
        }
    }

    /// The QR code was saved as PNG and SVG (or could not be).
    fn qr_saved(&mut self, result: Result<(PathBuf, PathBuf), String>) -> Vec<Effect> {
        match result {
            Ok((png, svg)) => {
                let text = format!("Saved {} and .svg", png.display());
                if let Some(view) = &mut self.result {
                    view.saved = Some((png, svg));
                }
                vec![self.toast(text, false)]
            }
            Err(e) => vec![self.toast(format!("Could not save the QR code: {e}"), true)],
        }
    }

    /// The client for `env_name` is ready; answers for an environment left since are ignored.
    fn on_client_ready(&mut self, env_name: String, base_url: String) -> Vec<Effect> {
        if env_name == self.env.name {
            self.client_ready = true;
            self.env.base_url = Some(base_url);
        }
        Vec::new()
    }

    /// The client for `env_name` could not be prepared: say so in the banner.
    fn client_failed(&mut self, env_name: String, message: String) -> Vec<Effect> {
        if env_name == self.env.name {
            self.client_ready = false;
            self.banners
                .push(strings::client_problem(&env_name, &message));
        }
        Vec::new()
    }

    /// Leaves the focused field as Tab does (`FormState::leave`).
    pub(crate) fn leave_field(&mut self) {
        self.with_form(Vec::new(), |form, env| form.leave(env));
    }

    /// A walk-in customer's ID by the desk's rule (`FormState::make_customer_id`).
    pub(crate) fn generate_customer_id(&mut self) {
        self.with_form(Vec::new(), |form, env| {
            if let Some((rule, prefix, salt)) = env.customer_id {
                form.make_customer_id(rule, prefix, salt);
            }
        });
    }

    /// Runs `f` on the form part with what it needs from the desk (`FormEnv`), `scopes`
    /// the keymap scopes in force (empty where no key is looked up). The random number
    /// for a walk-in customer ID moves on only while the form has none.
    pub(crate) fn with_form<T>(
        &mut self,
        scopes: Vec<Scope>,
        f: impl FnOnce(&mut FormState, &FormEnv<'_>) -> T,
    ) -> T {
        let rule = self.desk.customer_id;
        if rule.is_some()
            && self
                .form
                .form
                .get(crate::session::keys::CUSTOMER_ID)
                .is_empty()
        {
            self.seed = self
                .seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
        }
        let profile = self.current_profile().clone();
        let env = FormEnv {
            profile: &profile,
            today: self.today(),
            scopes: &scopes,
            auto_advance: self.desk.auto_advance,
            customer_id: rule.map(|rule| (rule, self.order_prefix.as_str(), self.seed)),
        };
        f(&mut self.form, &env)
    }

    /// The desk's local date, from the clock reading of the message being handled.
    pub(crate) fn today(&self) -> time::Date {
        self.now.to_offset(self.utc_offset).date()
    }
}
