//! What headless commands share: settings, profiles and the history store, loaded once.

use crate::cli::GlobalArgs;
use crate::config::Settings;
use crate::session::{Profile, ProfileSet};

/// Settings and profiles for one command run.
pub struct Context {
    pub settings: Settings,
    pub profiles: ProfileSet,
}

impl Context {
    /// Loads settings (real environment) and profiles. Problems are returned for the
    /// caller to print; a headless command exits 2 on them.
    pub fn load(global: &GlobalArgs) -> Context {
        let settings = Settings::load(&global.flags(), &|name| std::env::var(name).ok());
        let (profiles, _errors) = ProfileSet::load(Some(&settings.paths.profiles_dir()));
        Context { settings, profiles }
    }

    /// `load` without running `api_key_cmd`: for commands that never send (listing or
    /// exporting history), so a password manager does not prompt for nothing.
    pub fn load_without_key(global: &GlobalArgs) -> Context {
        let settings =
            Settings::load_without_key(&global.flags(), &|name| std::env::var(name).ok());
        let (profiles, _errors) = ProfileSet::load(Some(&settings.paths.profiles_dir()));
        Context { settings, profiles }
    }

    /// The profile in effect, or an error naming the ones that exist.
    pub fn profile(&self) -> Result<&Profile, String> {
        let name = &self.settings.profile;
        self.profiles.get(name).ok_or_else(|| {
            let names: Vec<&str> = self
                .profiles
                .profiles
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            format!(
                "no lender profile named {name:?}; known profiles: {}",
                names.join(", ")
            )
        })
    }
}

/// Today's date at the desk, for rules such as a borrower's age: local time, or UTC when
/// the local offset cannot be read (the `time` crate refuses once threads are running).
pub fn today() -> time::Date {
    time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date()
}

// ---- Sending ----------------------------------------------------------------------------

use crate::config::EnvKind;
use crate::emulator::{DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use crate::juspay::Client;
use crate::orders::OrderContext;
use crate::secret::ApiKey;

/// Where a headless command sends. For `--env demo` it owns the embedded emulator, which
/// stops when this is dropped.
pub struct Connection {
    pub client: Client,
    /// Stored with each history row (environment, host, merchant, profile).
    pub order_context: OrderContext,
    pub emulator: Option<Emulator>,
}

/// Why a command cannot send. Each maps to an exit code (`exit_code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// No API key for a non-demo environment: exit 3, like a refused key, because the
    /// fix is the same (give paydesk the right key).
    NoKey(String),
    /// No usable base URL or merchant id: exit 2 (configuration).
    Config(String),
    /// The embedded emulator did not start: exit 1.
    Emulator(String),
}

impl ConnectError {
    pub fn exit_code(&self) -> u8 {
        match self {
            ConnectError::NoKey(_) => crate::cli::exit::AUTH,
            ConnectError::Config(_) => crate::cli::exit::INVALID,
            ConnectError::Emulator(_) => crate::cli::exit::OTHER,
        }
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::NoKey(m) | ConnectError::Config(m) | ConnectError::Emulator(m) => {
                f.write_str(m)
            }
        }
    }
}

impl Context {
    /// A client for the environment in effect. For demo, starts the embedded emulator
    /// (with the environment's demo credentials) on the current tokio runtime first, so
    /// call this inside the command's runtime.
    pub async fn connect(&self) -> Result<Connection, ConnectError> {
        let mut settings = self.settings.clone();
        let env = &mut settings.environment;
        let mut emulator = None;
        if env.kind == EnvKind::Demo && env.base_url.is_none() {
            let config = EmulatorConfig {
                api_key: env
                    .api_key
                    .as_ref()
                    .map_or(DEMO_API_KEY, |k| k.expose())
                    .to_string(),
                merchant_id: if env.merchant_id.trim().is_empty() {
                    DEMO_MERCHANT_ID.to_string()
                } else {
                    env.merchant_id.clone()
                },
                ..EmulatorConfig::default()
            };
            env.merchant_id = config.merchant_id.clone();
            env.api_key = Some(ApiKey::new(config.api_key.clone()));
            let started = Emulator::start(config).await.map_err(|e| {
                ConnectError::Emulator(format!(
                    "the demo emulator could not start on 127.0.0.1: {e}"
                ))
            })?;
            env.base_url = Some(started.base_url().to_string());
            emulator = Some(started);
        }
        let no_key = env.api_key.is_none();
        let config = settings.client_config().map_err(|problem| {
            if no_key {
                ConnectError::NoKey(problem)
            } else {
                ConnectError::Config(problem)
            }
        })?;
        let env = &settings.environment;
        let order_context = OrderContext::new(
            &env.name,
            &config.base_url,
            &config.merchant_id,
            &settings.profile,
        );
        let client = Client::new(config).map_err(|e| ConnectError::Config(e.to_string()))?;
        Ok(Connection {
            client,
            order_context,
            emulator,
        })
    }

    /// The `payment_page_client_id` for a form that has none.
    pub fn client_id(&self) -> String {
        let env = &self.settings.environment;
        if env.client_id.trim().is_empty() && env.kind == EnvKind::Demo {
            DEMO_CLIENT_ID.to_string()
        } else {
            env.client_id.clone()
        }
    }
}
