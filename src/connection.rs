//! The one place a Juspay client is built from settings, for the desk and every command.
//! For the demo environment it also starts the embedded emulator (on loopback) first.

use crate::config::{EnvKind, Settings};
use crate::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use crate::juspay::Client;
use crate::orders::OrderContext;
use crate::secret::ApiKey;

/// Where requests go. For demo it may own the embedded emulator, which stops when this
/// (or the emulator taken out of it) is dropped.
pub struct Connection {
    pub client: Client,
    /// Stored with each history row (environment, host, merchant, profile).
    pub order_context: OrderContext,
    /// The emulator started for this connection, if one was.
    pub emulator: Option<Emulator>,
}

/// Why no client could be built. Each maps to an exit code (`exit_code`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// No API key for a non-demo environment: exit 3, like a refused key, because the
    /// fix is the same (give paydesk the right key).
    #[error("{0}")]
    NoKey(String),
    /// No usable base URL or merchant id: exit 2 (configuration).
    #[error("{0}")]
    Config(String),
    /// The embedded emulator did not start: exit 1.
    #[error("{0}")]
    Emulator(String),
}

impl ConnectError {
    /// The process exit code for this error (`crate::exit`).
    pub fn exit_code(&self) -> u8 {
        match self {
            ConnectError::NoKey(_) => crate::exit::AUTH,
            ConnectError::Config(_) => crate::exit::INVALID,
            ConnectError::Emulator(_) => crate::exit::OTHER,
        }
    }
}

/// A client for the environment in `settings`. For demo without a base URL, the emulator
/// at `running` (a base URL; the desk keeps one across environment switches) is used, or
/// else one is started on the current tokio runtime with the environment's demo
/// credentials, so call this inside a runtime.
pub async fn connect(
    settings: &Settings,
    running: Option<&str>,
) -> Result<Connection, ConnectError> {
    let mut settings = settings.clone();
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
        match running {
            Some(base) => env.base_url = Some(base.to_string()),
            None => {
                let started = Emulator::start(config).await.map_err(|e| {
                    ConnectError::Emulator(format!(
                        "the demo emulator could not start on 127.0.0.1: {e}"
                    ))
                })?;
                env.base_url = Some(started.base_url().to_string());
                emulator = Some(started);
            }
        }
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
    )
    .by(settings.operator.clone());
    let client = Client::new(config).map_err(|e| ConnectError::Config(e.to_string()))?;
    Ok(Connection {
        client,
        order_context,
        emulator,
    })
}
