//! The desk's state and `update(msg) -> effects`. Plain and synchronous: no IO, no clock
//! reads except through the injected `Clock`, so every behaviour is testable on data.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use time::{OffsetDateTime, UtcOffset};

use crate::config::{EnvKind, Environment, Settings};
use crate::history::Outcome;
use crate::juspay::ApiError;
use crate::orders::{OrderContext, Reconciled, Submitted};
use crate::paths::Paths;
use crate::session::{Form, Member, Profile, ProfileSet, order_id, validate, wire};

use super::draft::Draft;
use super::effects::Effect;
use super::form_state::{CLIENT_ID_KEY, Editor, FormState, Item, ORDER_ID_KEY, RETURN_URL_KEY};
use super::history_pane::HistoryPane;
use super::keymap::{self, Action, Scope};
use super::msg::Msg;
use super::order_view::OrderView;
use super::strings;
use super::theme::Theme;
use super::view;
use super::widgets::line_input::{Edit, LineInput};

const DRAFT_DEBOUNCE: Duration = Duration::from_millis(500);
const TOAST_TIME: Duration = Duration::from_millis(2500);
const SPINNER_TICK: Duration = Duration::from_millis(100);
const COUNTDOWN_TICK: Duration = Duration::from_secs(1);

/// The environment as the desk shows it. Holds no key: only whether there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvInfo {
    pub name: String,
    pub kind: EnvKind,
    pub merchant_id: String,
    pub client_id: String,
    pub return_url: Option<String>,
    pub base_url: Option<String>,
    /// Why nothing may be sent from here (no key, no merchant id, no base URL).
    pub send_problem: Option<String>,
    /// Production, or a base URL on Juspay's production host: confirm before sending.
    pub production: bool,
}

impl EnvInfo {
    pub fn from_env(env: &Environment) -> EnvInfo {
        EnvInfo {
            name: env.name.clone(),
            kind: env.kind,
            merchant_id: env.merchant_id.clone(),
            client_id: env.client_id.clone(),
            return_url: env.return_url.clone(),
            base_url: env.base_url.clone(),
            send_problem: env.send_problem(),
            production: env.is_production(),
        }
    }

    /// DEMO, SANDBOX, PRODUCTION, or the custom environment's name.
    pub fn badge(&self) -> String {
        self.name.to_uppercase()
    }
}

/// Where time comes from: the system, or a fixed time that tests move by hand.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed(Arc<Mutex<OffsetDateTime>>),
}

impl Clock {
    pub fn fixed(at: OffsetDateTime) -> Clock {
        Clock::Fixed(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(t) => t.lock().map(|t| *t).unwrap_or(OffsetDateTime::UNIX_EPOCH),
        }
    }

    /// Moves a fixed clock forward (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Clock::Fixed(t) = self
            && let Ok(mut t) = t.lock()
        {
            *t += by;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Form,
    Result,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Form,
    History,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    Quit,
    ProductionSend,
    Forget { history_id: i64, order_id: String },
}

/// The insured-member editor's two inputs.
pub struct MemberEdit {
    /// The row being edited; `None` adds a new one.
    pub index: Option<usize>,
    pub name: LineInput,
    pub phone: LineInput,
    pub on_phone: bool,
}

/// A pop-up over the screen; it takes the keys while open.
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Preview {
        json: String,
        curl: String,
        scroll: u16,
    },
    Profiles {
        selected: usize,
    },
    Envs {
        options: Vec<String>,
        selected: usize,
    },
    Choice {
        item: Item,
        options: Vec<String>,
        selected: usize,
    },
    Member(Box<MemberEdit>),
    Payload {
        text: String,
        scroll: u16,
    },
    Confirm {
        kind: Confirm,
        text: String,
    },
}

impl std::fmt::Debug for Overlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Overlay::Help { .. } => "Help",
            Overlay::Preview { .. } => "Preview",
            Overlay::Profiles { .. } => "Profiles",
            Overlay::Envs { .. } => "Envs",
            Overlay::Choice { .. } => "Choice",
            Overlay::Member(_) => "Member",
            Overlay::Payload { .. } => "Payload",
            Overlay::Confirm { .. } => "Confirm",
        };
        f.write_str(name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
    pub error: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Error,
    Warning,
    Info,
}

/// A message under the form that stays until dismissed (Esc) or replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendPhase {
    Sending,
    /// Cancelled or timed out: asking Order Status what happened.
    Checking,
}

#[derive(Debug, Clone)]
pub struct SendState {
    pub send_id: u64,
    pub order_id: String,
    pub started: OffsetDateTime,
    pub phase: SendPhase,
    /// The form as sent, for the result view.
    pub form: Form,
}

/// What the form starts with.
#[derive(Debug, Clone)]
pub enum Start {
    Blank,
    Draft(Draft),
    /// From `--from FILE.json`.
    Import(Form),
    /// `--from` could not be read: the message, and a blank form.
    ImportFailed(String),
}

/// Everything the desk is built from; tests construct it by hand.
pub struct AppInit {
    pub settings: Settings,
    pub profiles: ProfileSet,
    /// Problems loading profiles, themes, `--from`, … shown in the banner.
    pub problems: Vec<String>,
    pub theme: Theme,
    pub clock: Clock,
    /// Seeds generated order ids (random in the app, fixed in tests).
    pub seed: u64,
    pub utc_offset: UtcOffset,
    pub start: Start,
    pub size: (u16, u16),
}

pub struct App {
    pub env: EnvInfo,
    /// Environments the picker offers.
    pub env_names: Vec<String>,
    /// The environment's client is ready (demo: the emulator is up).
    pub client_ready: bool,
    pub paths: Paths,
    pub config_file: String,
    pub poll_interval: Duration,
    pub order_prefix: String,
    pub profiles: ProfileSet,
    pub profile: usize,
    pub form: FormState,
    pub screen: Screen,
    pub focus: Focus,
    pub result: Option<OrderView>,
    pub overlay: Option<Overlay>,
    pub send: Option<SendState>,
    pub notice: Option<Notice>,
    pub history: HistoryPane,
    pub toast: Option<Toast>,
    pub banners: Vec<String>,
    pub theme: Theme,
    pub clock: Clock,
    pub now: OffsetDateTime,
    pub utc_offset: UtcOffset,
    pub size: (u16, u16),
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// The user confirmed sending to production once this run.
    pub prod_confirmed: bool,
    next_id: u64,
    seed: u64,
    draft_gen: u64,
    /// Effects from construction, for the loop to run once it has a runner.
    pending: Vec<Effect>,
}

fn fallback_profile() -> Profile {
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
        source: crate::session::profile::ProfileSource::BuiltIn,
    }
}

impl App {
    pub fn new(init: AppInit) -> App {
        let AppInit {
            settings,
            mut profiles,
            problems,
            theme,
            clock,
            seed,
            utc_offset,
            start,
            size,
        } = init;
        // An explicit --profile wins over a restored draft's profile; the typed values stay.
        let profile_chosen = settings.flags.profile.is_some();
        let mut banners = Vec::new();
        if let Some(notice) = settings.demo_fallback_notice() {
            banners.push(notice);
        }
        for p in &settings.problems {
            let place = match (&p.path, p.line) {
                (Some(path), Some(line)) => format!("{} line {line}: ", path.display()),
                (Some(path), None) => format!("{}: ", path.display()),
                _ => String::new(),
            };
            let hint = p
                .hint
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            banners.push(format!("Config: {place}{}{hint}", p.message));
        }
        banners.extend(problems);
        if profiles.profiles.is_empty() {
            profiles.profiles.push(fallback_profile());
        }
        let profile = match profiles
            .profiles
            .iter()
            .position(|p| p.name == settings.profile)
        {
            Some(i) => i,
            None => {
                if let Err(unknown) = profiles.get_or_explain(&settings.profile) {
                    let fallback = profiles.profiles.first().map_or("", |p| p.name.as_str());
                    banners.push(format!("{unknown} Using {fallback}."));
                }
                0
            }
        };
        let env = EnvInfo::from_env(&settings.environment);
        if let Some(problem) = &env.send_problem {
            banners.push(strings::cannot_send(&env.name, problem));
        }
        let now = clock.now();
        let first = fallback_profile();
        let placeholder = FormState::new(
            profiles.profiles.get(profile).unwrap_or(&first),
            Form::default(),
            None,
        );
        let mut app = App {
            env,
            env_names: settings.env_names.clone(),
            client_ready: false,
            paths: settings.paths.clone(),
            config_file: settings.paths.config_file.display().to_string(),
            poll_interval: settings.poll_interval,
            order_prefix: settings.order_prefix.clone(),
            profiles,
            profile,
            form: placeholder,
            screen: Screen::Form,
            focus: Focus::Form,
            result: None,
            overlay: None,
            send: None,
            notice: None,
            history: HistoryPane::default(),
            toast: None,
            banners,
            theme,
            clock,
            now,
            utc_offset,
            size,
            quit: false,
            dirty: true,
            prod_confirmed: false,
            next_id: 0,
            seed,
            draft_gen: 0,
            pending: Vec::new(),
        };
        match start {
            Start::Blank => app.new_order(Form::default()),
            Start::Draft(draft) => {
                if let Some(i) = app
                    .profiles
                    .profiles
                    .iter()
                    .position(|p| p.name == draft.profile)
                    .filter(|_| !profile_chosen)
                {
                    app.profile = i;
                }
                let mut form = draft.form;
                app.fill_from_env(&mut form);
                app.form = FormState::new(app.current_profile(), form, draft.generated_order_id);
                let expire = app.toast("Restored the unsent form from last time (draft)", false);
                app.pending.push(expire);
            }
            Start::Import(form) => {
                let mut form = form;
                app.fill_from_env(&mut form);
                let mut generated = None;
                if form.get(ORDER_ID_KEY).is_empty() {
                    let id = app.generate_order_id();
                    form.set(ORDER_ID_KEY, id.clone());
                    generated = Some(id);
                }
                app.form = FormState::new(app.current_profile(), form, generated);
            }
            Start::ImportFailed(message) => {
                app.banners.push(message);
                app.new_order(Form::default());
            }
        }
        app.form.changed = false;
        app
    }

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

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn generate_order_id(&mut self) -> String {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        order_id::generate(&self.order_prefix, self.now, self.seed)
    }

    /// payment_page_client_id and return_url from the environment when empty. Demo has no
    /// shop to return to, so it gets a placeholder page.
    fn fill_from_env(&self, form: &mut Form) {
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
    fn new_order(&mut self, keep: Form) {
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
        self.fill_from_env(&mut form);
        let id = self.generate_order_id();
        form.set(ORDER_ID_KEY, id.clone());
        self.form = FormState::new(self.current_profile(), form, Some(id));
        // A draft save still pending for the previous form must not write this one.
        self.draft_gen += 1;
        self.screen = Screen::Form;
        self.focus = Focus::Form;
        self.notice = None;
    }

    fn toast(&mut self, text: impl Into<String>, error: bool) -> Effect {
        let id = self.next_id();
        self.toast = Some(Toast {
            id,
            text: text.into(),
            error,
        });
        Effect::After {
            after: TOAST_TIME,
            msg: Box::new(Msg::ToastExpired(id)),
        }
    }

    fn notice(&mut self, kind: NoticeKind, title: impl Into<String>, lines: Vec<String>) {
        self.notice = Some(Notice {
            kind,
            title: title.into(),
            lines,
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
        None
    }

    /// Whether the history pane is on screen.
    pub fn history_visible(&self) -> bool {
        view::wide(self.size.0) || self.history.shown
    }

    /// Scopes whose bindings apply now (for lookup and the footer).
    pub fn scopes(&self) -> Vec<Scope> {
        if let Some(overlay) = &self.overlay {
            return match overlay {
                Overlay::Confirm { .. } => vec![Scope::Confirm],
                Overlay::Preview { .. } => vec![Scope::Preview, Scope::Overlay],
                Overlay::Profiles { .. } | Overlay::Envs { .. } | Overlay::Choice { .. } => {
                    vec![Scope::List, Scope::Overlay]
                }
                _ => vec![Scope::Overlay],
            };
        }
        if self.focus == Focus::History && self.history_visible() {
            return vec![Scope::History];
        }
        if self.screen == Screen::Result {
            return vec![Scope::Result];
        }
        let extras = self.form.section() == crate::session::Section::Extras;
        let mut scopes = match self.form.focused_editor() {
            Some(Editor::Text) => vec![Scope::TextField],
            Some(Editor::Choice | Editor::Toggle) => vec![Scope::Choice],
            Some(Editor::Members) => vec![Scope::Members],
            _ => vec![],
        };
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
        let mut effects = match msg {
            Msg::Input(event) => self.on_event(event),
            Msg::Tick => Vec::new(),
            Msg::DraftDue(generation) => {
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
            Msg::ToastExpired(id) => {
                if self.toast.as_ref().is_some_and(|t| t.id == id) {
                    self.toast = None;
                }
                Vec::new()
            }
            Msg::ClientReady { env_name, base_url } => {
                if env_name == self.env.name {
                    self.client_ready = true;
                    self.env.base_url = Some(base_url);
                }
                Vec::new()
            }
            Msg::ClientFailed { env_name, message } => {
                if env_name == self.env.name {
                    self.client_ready = false;
                    self.banners.push(format!("{env_name}: {message}"));
                }
                Vec::new()
            }
            Msg::EnvSwitched(settings) => self.env_switched(*settings),
            Msg::StoreReady(result) => match result {
                Ok(()) => {
                    self.history.available = true;
                    // Opened after all (a retry): the banner about it goes.
                    if let Some(old) = self.history.open_failure.take() {
                        let old = strings::history_unavailable(&old);
                        self.banners.retain(|b| *b != old);
                        self.history.error = None;
                    }
                    self.reload_history()
                }
                Err(failure) => {
                    if let Some(old) = &self.history.open_failure {
                        let old = strings::history_unavailable(old);
                        self.banners.retain(|b| *b != old);
                    }
                    self.history.error = Some(failure.to_string());
                    self.banners.push(strings::history_unavailable(&failure));
                    self.history.open_failure = Some(failure);
                    Vec::new()
                }
            },
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
            Msg::StaleReconciled(n) => {
                let text = if n == 1 {
                    "Checked 1 order left unfinished last time: see the history".to_string()
                } else {
                    format!("Checked {n} orders left unfinished last time: see the history")
                };
                let mut effects = vec![self.toast(text, false)];
                effects.extend(self.reload_history());
                effects
            }
            Msg::Refreshed { order_id, result } => {
                let text = match &result {
                    Ok(Reconciled::Found(s)) => {
                        format!("{order_id}: {}", s.status.as_deref().unwrap_or("found"))
                    }
                    Ok(Reconciled::NotFound) => {
                        format!("{order_id}: not created (Juspay does not know it)")
                    }
                    Ok(Reconciled::Failed(e)) => format!("{order_id}: could not check: {e}"),
                    Err(e) => format!("{order_id}: could not check: {e}"),
                };
                let failed = !matches!(result, Ok(Reconciled::Found(_) | Reconciled::NotFound));
                // A settled order's earlier "could not check" warning no longer holds.
                if !failed
                    && self
                        .notice
                        .as_ref()
                        .is_some_and(|n| n.title.contains(order_id.as_str()))
                {
                    self.notice = None;
                }
                let mut effects = vec![self.toast(text, failed)];
                effects.extend(self.reload_history());
                effects
            }
            Msg::HistoryLoaded {
                generation,
                offset,
                total,
                rows,
            } => {
                if generation == self.history.generation {
                    let height = self.history_height();
                    self.history.loaded(offset, total, rows, height);
                    if !self.history.covers(self.history.top, height) && self.history.total > 0 {
                        return self.load_history_window();
                    }
                }
                Vec::new()
            }
            Msg::HistoryFailed {
                generation,
                message,
            } => {
                if generation == self.history.generation {
                    self.history.loading = false;
                    self.history.error = Some(message);
                }
                Vec::new()
            }
            Msg::Forgotten { order_id, result } => {
                let text = match &result {
                    Ok(()) => format!("Forgot order {order_id}"),
                    Err(e) => format!("Could not forget {order_id}: {e}"),
                };
                let mut effects = vec![self.toast(text, result.is_err())];
                effects.extend(self.reload_history());
                effects
            }
            Msg::DraftFailed(message) => {
                vec![self.toast(format!("Could not save the draft: {message}"), true)]
            }
            Msg::QrSaved(result) => match result {
                Ok((png, svg)) => {
                    let text = format!("Saved {} and .svg", png.display());
                    if let Some(view) = &mut self.result {
                        view.saved = Some((png, svg));
                    }
                    vec![self.toast(text, false)]
                }
                Err(e) => vec![self.toast(format!("Could not save the QR code: {e}"), true)],
            },
            Msg::OpenFailed(message) => {
                tracing::warn!(error = %message, "desk: could not open a browser");
                vec![self.toast(
                    "No browser could be opened here; press c to copy the link instead",
                    true,
                )]
            }
            Msg::Banner(text) => {
                self.banners.push(text);
                Vec::new()
            }
            Msg::Shutdown => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Msg::Suspend => vec![Effect::Suspend],
        };
        if self.form.changed {
            self.form.changed = false;
            self.draft_gen += 1;
            effects.push(Effect::After {
                after: DRAFT_DEBOUNCE,
                msg: Box::new(Msg::DraftDue(self.draft_gen)),
            });
        }
        self.keep_in_view();
        effects
    }

    /// Keeps the focused field and the selected history row on screen.
    fn keep_in_view(&mut self) {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        if let Some((focus_top, focus_bottom, height)) = view::form::focus_lines(self, area) {
            if focus_top < self.form.scroll {
                self.form.scroll = focus_top;
            } else if focus_bottom > self.form.scroll + height {
                self.form.scroll = focus_bottom.saturating_sub(height);
            }
        }
        let h = self.history_height();
        self.history.scroll_to_selection(h);
    }

    fn history_height(&self) -> usize {
        view::history::visible_rows(self, Rect::new(0, 0, self.size.0, self.size.1))
    }

    // ----- input --------------------------------------------------------------------

    fn on_event(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Paste(text) => self.on_paste(&text),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(w, h) => {
                self.size = (w, h);
                if view::wide(w) {
                    self.history.shown = false;
                }
                if self.history.available && self.history_visible() {
                    let h = self.history_height();
                    if !self.history.covers(self.history.top, h) {
                        return self.load_history_window();
                    }
                }
                Vec::new()
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.screen == Screen::Result
            && let Some(view) = &mut self.result
            && view.full_screen
        {
            view.full_screen = false;
            return Vec::new();
        }
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, key);
        }
        if self.focus == Focus::History && self.history_visible() {
            return self.history_key(key);
        }
        match self.screen {
            Screen::Result => self.result_key(key),
            Screen::Form => self.form_key(key),
        }
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let clean = clean.trim();
        match &mut self.overlay {
            Some(Overlay::Member(edit)) => {
                let input = if edit.on_phone {
                    &mut edit.phone
                } else {
                    &mut edit.name
                };
                input.insert_str(clean);
                return Vec::new();
            }
            Some(_) => return Vec::new(),
            None => {}
        }
        if self.focus == Focus::History && self.history.searching {
            self.history.search.insert_str(clean);
            return self.reload_history();
        }
        if self.screen == Screen::Form && self.form.is_typing() {
            self.form.input.insert_str(clean);
            self.form.store_input();
        }
        Vec::new()
    }

    /// Actions that work wherever the focus is.
    fn global_action(&mut self, action: Action) -> Vec<Effect> {
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
            _ => Vec::new(),
        }
    }

    /// Esc: cancel a send, else dismiss what is on top.
    fn back(&mut self) -> Vec<Effect> {
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

    fn ask_quit(&mut self) -> Vec<Effect> {
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

    fn toggle_history(&mut self, letter: bool) -> Vec<Effect> {
        if view::wide(self.size.0) {
            if self.focus == Focus::History {
                self.focus = Focus::Form;
            } else {
                self.focus = Focus::History;
            }
        } else if self.history.shown && (letter || self.focus == Focus::History) {
            self.history.shown = false;
            self.focus = Focus::Form;
        } else {
            self.history.shown = true;
            self.focus = Focus::History;
        }
        if self.focus == Focus::History {
            self.leave_field();
            if !self.history.loaded_once
                || !self.history.covers(self.history.top, self.history_height())
            {
                return self.load_history_window();
            }
        }
        Vec::new()
    }

    fn leave_field(&mut self) {
        self.form.store_input();
        let profile = self.profiles.profiles.get(self.profile).cloned();
        if let Some(profile) = profile {
            self.form.check_focused(&profile);
        }
    }

    // ----- the form ------------------------------------------------------------------

    fn form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let editor = self.form.focused_editor();
        if editor == Some(Editor::Text) && keymap::is_typing(&key) {
            if let KeyCode::Char(c) = key.code {
                self.form.input.apply(Edit::Insert(c));
                self.form.store_input();
            }
            return Vec::new();
        }
        if editor == Some(Editor::Members) {
            let n = self.form.form.members.len();
            match key.code {
                KeyCode::Up if key.modifiers.is_empty() && self.form.member_sel > 0 => {
                    self.form.member_sel -= 1;
                    return Vec::new();
                }
                KeyCode::Down if key.modifiers.is_empty() && self.form.member_sel + 1 < n => {
                    self.form.member_sel += 1;
                    return Vec::new();
                }
                _ => {}
            }
        }
        let scopes = self.scopes();
        match keymap::lookup(&scopes, &key) {
            Some(action) => self.form_action(action),
            None => {
                if editor == Some(Editor::Text) {
                    self.edit_text(key);
                } else {
                    self.dirty = false;
                }
                Vec::new()
            }
        }
    }

    /// Editing keys for the focused text field (the same `keymap::edit` keys as every
    /// other text input).
    fn edit_text(&mut self, key: KeyEvent) {
        match keymap::edit(&key) {
            Some(edit) if self.form.input.apply(edit) => self.form.store_input(),
            Some(_) => {}
            None => self.dirty = false,
        }
    }

    fn form_action(&mut self, action: Action) -> Vec<Effect> {
        let item = self.form.focused();
        let editor = self.form.focused_editor();
        match action {
            Action::NextField | Action::PrevField | Action::PageDown | Action::PageUp => {
                self.leave_field();
                let delta = match action {
                    Action::NextField => 1,
                    Action::PrevField => -1,
                    Action::PageDown => 5,
                    _ => -5,
                };
                if matches!(action, Action::PageDown | Action::PageUp) {
                    let n = self.form.items().len();
                    self.form.focus = (self.form.focus as isize + delta)
                        .clamp(0, n.saturating_sub(1) as isize)
                        as usize;
                    self.form.load_input();
                } else {
                    self.form.move_focus(delta);
                }
                Vec::new()
            }
            Action::ClearField => {
                self.form.input.apply(Edit::Clear);
                self.form.store_input();
                Vec::new()
            }
            Action::ChoiceNext | Action::ChoicePrev => {
                match editor {
                    Some(Editor::Choice) => self
                        .form
                        .cycle_choice(if action == Action::ChoiceNext { 1 } else { -1 }),
                    Some(Editor::Toggle) => self.form.toggle(),
                    _ => {}
                }
                Vec::new()
            }
            Action::Enter => {
                match (editor, item) {
                    (Some(Editor::Choice), Some(item)) => {
                        let mut options = vec![String::new()];
                        if let Some(f) = self.form.field(item) {
                            options.extend(f.allowed.iter().cloned());
                        }
                        let current = self.form.value(item);
                        let selected = options.iter().position(|o| *o == current).unwrap_or(0);
                        self.overlay = Some(Overlay::Choice {
                            item,
                            options,
                            selected,
                        });
                    }
                    (Some(Editor::Toggle), _) => self.form.toggle(),
                    (Some(Editor::Members), _) => return self.form_action(Action::EditRow),
                    (Some(Editor::Button), _) => {
                        self.leave_field();
                        self.form.add_meta_row();
                    }
                    _ => {
                        self.leave_field();
                        self.form.move_focus(1);
                    }
                }
                Vec::new()
            }
            Action::AddRow => {
                if editor == Some(Editor::Members) {
                    self.open_member(None);
                } else if self.form.section() == crate::session::Section::Extras {
                    self.leave_field();
                    self.form.add_meta_row();
                }
                Vec::new()
            }
            Action::EditRow => {
                if editor == Some(Editor::Members) {
                    if self.form.form.members.is_empty() {
                        self.open_member(None);
                    } else {
                        self.open_member(Some(self.form.member_sel));
                    }
                }
                Vec::new()
            }
            Action::RemoveRow => {
                if editor == Some(Editor::Members) {
                    let i = self.form.member_sel;
                    if i < self.form.form.members.len() {
                        self.form.form.members.remove(i);
                        self.form.member_sel =
                            i.min(self.form.form.members.len().saturating_sub(1));
                        self.form.changed = true;
                    }
                } else {
                    self.form.remove_meta_row();
                }
                Vec::new()
            }
            other => self.global_action(other),
        }
    }

    fn open_member(&mut self, index: Option<usize>) {
        let member = index
            .and_then(|i| self.form.form.members.get(i))
            .cloned()
            .unwrap_or_default();
        let name = LineInput::new(&member.member_name);
        let phone = LineInput::new(&member.member_phone);
        self.overlay = Some(Overlay::Member(Box::new(MemberEdit {
            index,
            name,
            phone,
            on_phone: false,
        })));
    }

    // ----- send ----------------------------------------------------------------------

    fn order_context(&self) -> OrderContext {
        OrderContext::new(
            &self.env.name,
            self.env.base_url.as_deref().unwrap_or(""),
            &self.env.merchant_id,
            &self.current_profile().name,
        )
    }

    fn start_send(&mut self) -> Vec<Effect> {
        if self.send.is_some() {
            return vec![self.toast(strings::ALREADY_SENDING, true)];
        }
        if self.screen != Screen::Form {
            self.screen = Screen::Form;
        }
        self.leave_field();
        self.form.server.clear();
        let profile = self.current_profile().clone();
        let form = self.form.form().clone();
        let problems = validate(&form, &profile);
        if !problems.is_empty() {
            self.form.set_problems(&problems);
            self.form.show_problem_list = true;
            self.notice = None;
            self.focus = Focus::Form;
            if let Some(first) = problems.first() {
                self.form.focus_key(&first.key);
            }
            return Vec::new();
        }
        self.form.problems.clear();
        self.form.show_problem_list = false;
        if let Some(problem) = &self.env.send_problem {
            let text = strings::cannot_send(&self.env.name, problem);
            self.notice(NoticeKind::Error, text, Vec::new());
            return Vec::new();
        }
        if self.env.production && !self.prod_confirmed {
            self.overlay = Some(Overlay::Confirm {
                kind: Confirm::ProductionSend,
                text: strings::PRODUCTION_CONFIRM.into(),
            });
            return Vec::new();
        }
        self.dispatch_send(form, &profile)
    }

    fn dispatch_send(&mut self, form: Form, profile: &Profile) -> Vec<Effect> {
        let body = wire::to_body(&form, profile);
        let send_id = self.next_id();
        let order_id = form.get(ORDER_ID_KEY).to_string();
        self.send = Some(SendState {
            send_id,
            order_id,
            started: self.now,
            phase: SendPhase::Sending,
            form,
        });
        self.notice = None;
        vec![Effect::Send {
            send_id,
            ctx: self.order_context(),
            body,
        }]
    }

    fn send_done(&mut self, send_id: u64, result: Result<Submitted, String>) -> Vec<Effect> {
        let Some(send) = self.send.take_if(|s| s.send_id == send_id) else {
            return Vec::new();
        };
        let mut effects = self.reload_history();
        let submitted = match result {
            Ok(s) => s,
            Err(message) => {
                self.notice(
                    NoticeKind::Error,
                    "Not sent",
                    vec![
                        message,
                        "Nothing was lost: the form is as you left it.".into(),
                    ],
                );
                return effects;
            }
        };
        let request = format!(
            "Request id {} (give it to Juspay support if you ask them).",
            submitted.request_id
        );
        if let Some(e) = &submitted.record_error {
            effects.push(self.toast(
                format!("The history could not record Juspay's answer ({e}); paydesk checks this order again at the next start"),
                true,
            ));
        }
        match submitted.result {
            Ok(response) => {
                let view_id = self.next_id();
                let view = OrderView::from_response(
                    view_id,
                    send.form,
                    &response,
                    submitted.history_id,
                    &submitted.request_id,
                    self.now,
                );
                effects.extend(self.show_result(view));
                self.draft_gen += 1;
                effects.push(Effect::ClearDraft);
            }
            Err(ApiError::Invalid { message, fields }) => {
                for (field, reason) in &fields {
                    self.form.server.insert(field.clone(), reason.clone());
                }
                let mut lines = Vec::new();
                if fields.is_empty() {
                    lines.push(
                        "Juspay did not say which field; check the values and send again."
                            .to_string(),
                    );
                } else {
                    lines.push(format!(
                        "Juspay marked {} field(s) in the form; fix them and press Ctrl-S again.",
                        fields.len()
                    ));
                }
                lines.push(request);
                self.notice(
                    NoticeKind::Error,
                    format!("Juspay rejected the request: {message}"),
                    lines,
                );
                self.form.show_problem_list = !fields.is_empty();
                if let Some((first, _)) = fields.first() {
                    self.form.focus_key(first);
                }
            }
            Err(e @ ApiError::Auth { .. }) => {
                self.notice(
                    NoticeKind::Error,
                    e.to_string(),
                    vec![
                        format!("Nothing was created. Check the API key and merchant id for {} (F1 shows the config file).", self.env.name),
                        request,
                    ],
                );
            }
            Err(e @ ApiError::Network(_)) => {
                self.notice(
                    NoticeKind::Error,
                    e.to_string(),
                    vec![
                        "Check the network connection, then press Ctrl-S again; the form is kept."
                            .into(),
                        request,
                    ],
                );
            }
            Err(e) => {
                // Timeout, server error, unreadable answer: the order may exist. Ask.
                let may_exist = e.order_may_exist();
                self.notice(
                    NoticeKind::Warning,
                    e.to_string(),
                    vec![
                        if may_exist {
                            "The order may have been created: checking its status with Juspay…"
                                .into()
                        } else {
                            "Nothing was created; press Ctrl-S to try again.".into()
                        },
                        request,
                    ],
                );
                if may_exist {
                    self.send = Some(SendState {
                        phase: SendPhase::Checking,
                        ..send
                    });
                    effects.push(Effect::Reconcile {
                        send_id: Some(send_id),
                        history_id: submitted.history_id,
                        order_id: self
                            .send
                            .as_ref()
                            .map(|s| s.order_id.clone())
                            .unwrap_or_default(),
                    });
                }
            }
        }
        effects
    }

    fn reconciled(
        &mut self,
        send_id: Option<u64>,
        order_id: String,
        history_id: Option<i64>,
        result: Result<Reconciled, String>,
    ) -> Vec<Effect> {
        let send = match send_id {
            Some(id) => match self.send.take_if(|s| s.send_id == id) {
                Some(s) => Some(s),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut effects = self.reload_history();
        match result {
            Ok(Reconciled::Found(status)) => {
                let view_id = self.next_id();
                let form = send
                    .map(|s| s.form)
                    .unwrap_or_else(|| self.form.form().clone());
                let mut view = OrderView::from_status(view_id, form, &status, history_id, self.now);
                view.note = Some(format!(
                    "Order {order_id} was created after all (found by checking its status)."
                ));
                effects.extend(self.show_result(view));
                effects.push(Effect::ClearDraft);
            }
            Ok(Reconciled::NotFound) => {
                self.notice(
                    NoticeKind::Info,
                    format!("Order {order_id} was not created."),
                    vec![
                        "Nothing was charged. Press Ctrl-S to send it again; the form is kept."
                            .into(),
                    ],
                );
            }
            Ok(Reconciled::Failed(e)) => {
                self.notice(
                    NoticeKind::Warning,
                    format!("Could not check order {order_id}: {e}"),
                    vec![
                        "It is marked 'unknown' in the history. Before sending again, select it in the history and press r to check its status.".into(),
                    ],
                );
            }
            Err(message) => {
                self.notice(
                    NoticeKind::Warning,
                    format!("Could not check order {order_id}: {message}"),
                    vec!["It stays 'unknown' in the history; paydesk checks it again at the next start.".into()],
                );
            }
        }
        effects
    }

    fn show_result(&mut self, view: OrderView) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !view.is_final() {
            effects.push(Effect::PollStatus {
                view_id: Some(view.view_id),
                history_id: view.history_id,
                order_id: view.order_id.clone(),
                after: self.poll_interval,
            });
        }
        self.result = Some(view);
        self.screen = Screen::Result;
        self.focus = Focus::Form;
        self.notice = None;
        self.overlay = None;
        effects
    }

    fn status_polled(
        &mut self,
        view_id: Option<u64>,
        order_id: String,
        result: Result<crate::juspay::OrderStatus, ApiError>,
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        let Some(view_id) = view_id else {
            // A refresh from the history pane.
            let text = match &result {
                Ok(s) => format!("{order_id}: {}", s.status.as_deref().unwrap_or("no status")),
                Err(e) => format!("{order_id}: {e}"),
            };
            effects.push(self.toast(text, result.is_err()));
            effects.extend(self.reload_history());
            return effects;
        };
        let now = self.now;
        let interval = self.poll_interval;
        let Some(view) = self.result.as_mut().filter(|v| v.view_id == view_id) else {
            return effects;
        };
        match result {
            Ok(status) => view.apply_status(&status, now),
            Err(e) => {
                view.poll_failures += 1;
                view.poll_error = Some(e.to_string());
            }
        }
        if view.state() == Some(crate::juspay::OrderState::Charged) && !view.bell_rung {
            view.bell_rung = true;
            effects.push(Effect::Bell);
        }
        if !view.is_final() {
            effects.push(Effect::PollStatus {
                view_id: Some(view.view_id),
                history_id: view.history_id,
                order_id: view.order_id.clone(),
                after: view.next_poll(interval),
            });
        }
        effects.extend(self.reload_history());
        effects
    }

    // ----- result --------------------------------------------------------------------

    fn result_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match keymap::lookup(&[Scope::Result], &key) {
            Some(action) => self.result_action(action),
            None => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    fn result_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = &mut self.result else {
            self.screen = Screen::Form;
            return Vec::new();
        };
        let link = view.link.clone();
        match action {
            Action::Copy => match link {
                Some(link) => vec![Effect::Copy(link), self.toast(strings::COPIED, false)],
                None => vec![self.toast(strings::NO_LINK, true)],
            },
            Action::Open => match link {
                Some(link) => vec![
                    Effect::OpenBrowser(link),
                    self.toast(strings::OPENING, false),
                ],
                None => vec![self.toast(strings::NO_LINK, true)],
            },
            Action::SaveQr => match link {
                Some(link) => {
                    let order_id = view.order_id.clone();
                    vec![
                        Effect::SaveQr { order_id, link },
                        self.toast(strings::SAVING_QR, false),
                    ]
                }
                None => vec![self.toast(strings::NO_LINK, true)],
            },
            Action::FullScreen => {
                view.full_screen = true;
                Vec::new()
            }
            Action::Payload => {
                let text = match &view.sdk_payload {
                    Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
                    None => "This order has no sdk_payload (ask for it with metadata.sdk_payload = true).".into(),
                };
                self.overlay = Some(Overlay::Payload { text, scroll: 0 });
                Vec::new()
            }
            Action::Refresh => {
                view.poll_failures = 0;
                vec![Effect::PollStatus {
                    view_id: Some(view.view_id),
                    history_id: view.history_id,
                    order_id: view.order_id.clone(),
                    after: Duration::ZERO,
                }]
            }
            Action::NewOrder => {
                self.result = None;
                self.new_order(Form::default());
                Vec::new()
            }
            Action::NewSameCustomer => {
                let keep = view.customer_form(&self.form.fields);
                self.result = None;
                self.new_order(keep);
                Vec::new()
            }
            Action::Back => {
                self.screen = Screen::Form;
                Vec::new()
            }
            Action::Help => self.global_action(Action::Help),
            other => self.global_action(other),
        }
    }

    // ----- history -------------------------------------------------------------------

    fn reload_history(&mut self) -> Vec<Effect> {
        if !self.history.available {
            return Vec::new();
        }
        let (generation, query) = self.history.query_around(self.history.top);
        vec![Effect::LoadHistory { generation, query }]
    }

    fn load_history_window(&mut self) -> Vec<Effect> {
        self.reload_history()
    }

    fn history_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.history.searching {
            match key.code {
                KeyCode::Esc => {
                    self.history.searching = false;
                    self.history.search = LineInput::default();
                    self.history.selected = 0;
                    self.history.top = 0;
                    return self.reload_history();
                }
                KeyCode::Enter | KeyCode::Down | KeyCode::Tab => {
                    self.history.searching = false;
                    return Vec::new();
                }
                _ => {}
            }
            if let Some(edit) = keymap::edit(&key) {
                let before = self.history.search.text().to_string();
                if !self.history.search.apply(edit) {
                    self.dirty = false;
                    return Vec::new();
                }
                if self.history.search.text() == before {
                    return Vec::new();
                }
                self.history.selected = 0;
                self.history.top = 0;
                return self.reload_history();
            }
        }
        let Some(action) = keymap::lookup(&[Scope::History], &key) else {
            self.dirty = false;
            return Vec::new();
        };
        let height = self.history_height();
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End => {
                let page = height.max(1) as isize;
                let delta = match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -page,
                    Action::PageDown => page,
                    Action::Home => -(self.history.total as isize),
                    _ => self.history.total as isize,
                };
                if self.history.move_by(delta, height) {
                    return self.load_history_window();
                }
                Vec::new()
            }
            Action::Search => {
                self.history.searching = true;
                Vec::new()
            }
            Action::Enter => self.open_history_row(),
            Action::Refresh => match self.history.selected_row() {
                Some(row) => {
                    let effect = Effect::RefreshRow(Box::new(row.clone()));
                    vec![
                        effect,
                        self.toast(format!("Checking {}…", row.order_id), false),
                    ]
                }
                None => Vec::new(),
            },
            Action::Reuse => {
                let Some(row) = self.history.selected_row().cloned() else {
                    return Vec::new();
                };
                let profile = self.current_profile().clone();
                match wire::import_str(&row.request_body, &profile) {
                    Ok(mut form) => {
                        form.set(ORDER_ID_KEY, "");
                        self.result = None;
                        self.new_order(form);
                        vec![self.toast(format!("New order copied from {}", row.order_id), false)]
                    }
                    Err(e) => {
                        vec![self.toast(format!("Could not read that order's request: {e}"), true)]
                    }
                }
            }
            Action::Forget => {
                if let Some(row) = self.history.selected_row() {
                    self.overlay = Some(Overlay::Confirm {
                        kind: Confirm::Forget {
                            history_id: row.id,
                            order_id: row.order_id.clone(),
                        },
                        text: strings::forget_confirm(&row.order_id),
                    });
                }
                Vec::new()
            }
            Action::Back => {
                self.focus = Focus::Form;
                if !view::wide(self.size.0) {
                    self.history.shown = false;
                }
                Vec::new()
            }
            Action::HistoryLetter => self.toggle_history(true),
            other => self.global_action(other),
        }
    }

    fn open_history_row(&mut self) -> Vec<Effect> {
        let Some(row) = self.history.selected_row().cloned() else {
            return Vec::new();
        };
        let profile = self.current_profile().clone();
        let form = wire::import_str(&row.request_body, &profile).unwrap_or_default();
        let view_id = self.next_id();
        let view = OrderView::from_row(view_id, &row, form);
        if !view.is_final() && row.outcome == Outcome::Created {
            let effects = self.show_result(view);
            // Check now rather than after a full interval: the row may be old.
            return effects
                .into_iter()
                .map(|e| match e {
                    Effect::PollStatus {
                        view_id,
                        history_id,
                        order_id,
                        ..
                    } => Effect::PollStatus {
                        view_id,
                        history_id,
                        order_id,
                        after: Duration::ZERO,
                    },
                    other => other,
                })
                .collect();
        }
        let mut view = view;
        view.status = view.status.or_else(|| Some("UNKNOWN".into()));
        self.result = Some(view);
        self.screen = Screen::Result;
        self.focus = Focus::Form;
        if !view::wide(self.size.0) {
            self.history.shown = false;
        }
        Vec::new()
    }

    // ----- overlays ------------------------------------------------------------------

    fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
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
            other => self.list_overlay_key(other, key),
        }
    }

    fn list_overlay_key(&mut self, mut overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
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
                    self.leave_field();
                }
            }
            Overlay::Member(_) | Overlay::Confirm { .. } => {}
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

    fn switch_profile(&mut self, index: usize) -> Vec<Effect> {
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

    fn env_switched(&mut self, settings: Settings) -> Vec<Effect> {
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

    fn open_preview(&mut self) -> Vec<Effect> {
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

    // ----- mouse ---------------------------------------------------------------------

    fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
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

/// Quotes a value for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The curl command that sends the same request. The key is left to the shell:
/// `$JUSPAY_API_KEY` is expanded when the command runs, never written here.
pub fn curl_command(env: &EnvInfo, customer_id: &str, json: &str) -> String {
    let base = env
        .base_url
        .as_deref()
        .unwrap_or("https://sandbox.juspay.in")
        .trim_end_matches('/');
    let mut lines = vec![
        format!("curl -sS -X POST {}", sh_quote(&format!("{base}/session"))),
        "  -u \"$JUSPAY_API_KEY:\"".to_string(),
        format!(
            "  -H {}",
            sh_quote(&format!("x-merchantid: {}", env.merchant_id))
        ),
    ];
    if !customer_id.is_empty() {
        lines.push(format!(
            "  -H {}",
            sh_quote(&format!("x-routing-id: {customer_id}"))
        ));
    }
    lines.push("  -H 'Content-Type: application/json'".into());
    lines.push(format!(
        "  -H {}",
        sh_quote(&format!(
            "User-Agent: paydesk/{}",
            env!("CARGO_PKG_VERSION")
        ))
    ));
    lines.push(
        "  -H \"x-request-id: $(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)\"".into(),
    );
    lines.push(format!("  --data-binary {}", sh_quote(json)));
    lines.join(" \\\n")
}
