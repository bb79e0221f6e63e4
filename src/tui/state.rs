//! The desk's state: `App` and the types its fields hold. Data only; `app.rs` routes
//! messages, the files under `parts/` handle each part's keys and actions, `send.rs` the
//! send workflow. Views read this, never `app.rs`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::{OffsetDateTime, UtcOffset};

use crate::config::{EnvKind, Environment, Settings};
use crate::paths::Paths;
use crate::session::{Form, ProfileSet};
use crate::tui::draft::Draft;
use crate::tui::effects::Effect;
use crate::tui::form_state::FormState;
use crate::tui::history_pane::HistoryPane;
use crate::tui::order_view::OrderView;
use crate::tui::popup::Popup;
use crate::tui::theme::Theme;

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
    /// A screen given as a part (`App::screen_part`, opened with `App::show`): a new
    /// screen is a new part, not a new variant.
    Part,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Form,
    History,
}

/// What a pop-up the desk opened asks for when it is done (a choice made, a question
/// answered): the opener's own code, run by the desk (`App::popup_reply`). The pop-up
/// parts never see `App`; only this type names it.
pub type Then = Box<dyn FnOnce(&mut App) -> Vec<Effect> + Send>;

/// A pop-up part as the desk holds it.
pub type Part = Box<dyn Popup<Then>>;

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

/// The open desk's re-check of open history rows (issue 10): every poll interval, with
/// back-off while nothing settles, as long as open rows exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rechecks {
    /// A re-check task is scheduled or running (at most one at a time).
    pub scheduled: bool,
    /// When the scheduled one is due (the app's clock).
    pub due: Option<OffsetDateTime>,
    /// Rows still open after the last pass (not settled, or in flight elsewhere).
    pub open: usize,
    /// Passes in a row that settled nothing (the back-off exponent).
    pub quiet: u32,
    /// Passes finished this run.
    pub passes: u64,
    /// A follow of the place's open refunds is scheduled or running (issue 15).
    pub refunds: bool,
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
    /// This desk's fixed values and walk-in customer ID rule (`[desk]`).
    pub desk: crate::session::desk::DeskDefaults,
    /// Who works the desk and at which counter: recorded with every order and refund
    /// the desk sends, shown in the header. Changed only through `App::set_operator`.
    pub operator: crate::operator::Operator,
    pub profiles: ProfileSet,
    pub profile: usize,
    pub form: FormState,
    /// The form as a new order, an import or a send that created its order left it: the
    /// form holds unsent edits while it differs (`None` for a restored draft, never sent).
    /// `y` in the history asks before replacing unsent edits.
    pub clean_form: Option<crate::session::Form>,
    pub screen: Screen,
    pub focus: Focus,
    pub result: Option<OrderView>,
    pub overlay: Option<Part>,
    /// The screen shown while `screen` is `Screen::Part`: a part drawn in the main area,
    /// routed to like a pop-up (`parts/screens.rs`).
    pub screen_part: Option<Part>,
    pub send: Option<SendState>,
    pub rechecks: Rechecks,
    /// The branch ledger's liveness: live updates, reachability, coalesced reloads.
    pub live: crate::tui::live_msg::LiveState,
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
    pub(crate) next_id: u64,
    pub(crate) seed: u64,
    pub(crate) draft_gen: u64,
    /// Generation of the newest returning-customer lookup; older answers are ignored.
    pub(crate) lookup_gen: u64,
    /// Effects from construction, for the loop to run once it has a runner.
    pub(crate) pending: Vec<Effect>,
}
