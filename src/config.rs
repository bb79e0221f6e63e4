//! Settings, layered: built-in defaults < config file < environment variables < flags.
//! Loading never fails: problems are collected and shown (TUI banner) or printed with
//! exit 2 (headless commands).

use std::path::PathBuf;
use std::time::Duration;

mod base_url;
mod file;
mod key_cmd;
/// Runs a `*_cmd` setting (`api_key_cmd`, the ledger's `password_cmd`) for its secret.
pub(crate) use key_cmd::run as run_secret_cmd;
mod resolve;

use crate::emulator::{DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID};
use crate::paths::Paths;
use crate::secret::ApiKey;

/// `https://sandbox.juspay.in`
pub const SANDBOX_URL: &str = "https://sandbox.juspay.in";
/// `https://api.juspay.in`
pub const PRODUCTION_URL: &str = "https://api.juspay.in";
/// Lender profile used when nothing names one.
pub const DEFAULT_PROFILE: &str = "generic";
/// Theme used when nothing names one.
pub const DEFAULT_THEME: &str = "dark";
/// Name of the environment made from `--base-url`/`JUSPAY_BASE_URL` when demo was selected.
pub const CUSTOM_ENV: &str = "custom";
/// Log filter used when neither `PAYDESK_LOG` nor `log_level` sets one.
pub const DEFAULT_LOG_LEVEL: &str = "info";
pub const DEFAULT_ORDER_PREFIX: &str = "PD";
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 10;
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_POLL_INTERVAL_SECS: u64 = 5;
/// The environments that exist without a config file, in picker order.
pub const BUILTIN_ENVS: &[&str] = &["demo", "sandbox", "production"];
const PRODUCTION_HOST: &str = "api.juspay.in";

/// Which kind of Juspay endpoint an environment talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvKind {
    /// The embedded emulator on loopback.
    Demo,
    Sandbox,
    Production,
    /// A named `[env.NAME]` with its own base_url.
    Custom,
}

/// One resolved environment: where to send, as whom, and with which key.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub kind: EnvKind,
    /// `None` for demo until the emulator has started and picked a port.
    pub base_url: Option<String>,
    pub merchant_id: String,
    /// payment_page_client_id sent with every session.
    pub client_id: String,
    pub return_url: Option<String>,
    /// The environment's default lender profile.
    pub profile: Option<String>,
    /// `None` when no key could be found; see `key_problem`.
    pub api_key: Option<ApiKey>,
    /// Why there is no key, in words for the user (names the three ways to give one).
    pub key_problem: Option<String>,
    /// Where the key came from (shown in help and `config check`, never the key itself).
    pub key_source: KeySource,
}

/// Where an environment's API key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// No key: sending is refused (see `Environment::key_problem`).
    None,
    /// The demo environment's built-in key.
    Demo,
    /// `JUSPAY_API_KEY`.
    EnvVar,
    /// The environment's `api_key_cmd`.
    Command,
    /// `api_key` in a config file readable only by its owner.
    ConfigFile,
}

impl Environment {
    /// The demo environment: built-in credentials, base URL set once the emulator runs.
    pub fn demo() -> Environment {
        Environment {
            name: "demo".into(),
            kind: EnvKind::Demo,
            base_url: None,
            merchant_id: DEMO_MERCHANT_ID.into(),
            client_id: DEMO_CLIENT_ID.into(),
            return_url: None,
            profile: None,
            api_key: Some(ApiKey::new(DEMO_API_KEY)),
            key_problem: None,
            key_source: KeySource::Demo,
        }
    }

    pub fn is_demo(&self) -> bool {
        self.kind == EnvKind::Demo
    }

    /// True for production, and for any environment whose base URL is Juspay's
    /// production host in any spelling (`API.Juspay.IN`, `api.juspay.in.`, any port): the
    /// one decision behind the desk's confirmation before the first send and its warning
    /// colour in the header.
    pub fn is_production(&self) -> bool {
        self.kind == EnvKind::Production
            || self
                .base_url
                .as_deref()
                .is_some_and(|url| base_url::normalized_host(url) == PRODUCTION_HOST)
    }

    /// `host[:port]` of the base URL (for history rows), or `""` when there is none yet.
    pub fn base_host(&self) -> String {
        self.base_url
            .as_deref()
            .map(base_url::host_of)
            .unwrap_or_default()
    }

    /// Upper-case badge text: `DEMO`, `SANDBOX`, `PRODUCTION`, or the custom name.
    pub fn badge(&self) -> String {
        self.name.to_uppercase()
    }

    /// Why nothing may be sent from this environment (no key, no merchant id, no usable
    /// base URL), or `None` when sending is allowed. Demo with no base URL yet counts as
    /// sendable: the caller starts the emulator and sets `base_url`.
    pub fn send_problem(&self) -> Option<String> {
        let name = &self.name;
        if self.base_url.is_none() && !self.is_demo() {
            return Some(format!(
                "environment {name:?} has no usable base URL, so nothing will be sent; \
                 set base_url = \"https://…\" under [env.{name}] in the config file \
                 (`paydesk config check` shows what is wrong)"
            ));
        }
        if self.api_key.is_none() {
            return Some(
                self.key_problem
                    .clone()
                    .unwrap_or_else(|| format!("no API key for environment {name:?}")),
            );
        }
        if self.merchant_id.trim().is_empty() {
            return Some(format!(
                "no merchant id for environment {name:?}, so nothing will be sent; set \
                 JUSPAY_MERCHANT_ID, pass --merchant-id, or add merchant_id under \
                 [env.{name}] in the config file"
            ));
        }
        None
    }
}

/// Checks that a base URL is safe to send a key to: `https://`, or `http://` only for
/// loopback (127.0.0.0/8, `::1`, `localhost`). The message says what to write instead.
pub fn check_base_url(url: &str) -> Result<(), String> {
    normalize_base_url(url).map(|_| ())
}

/// `check_base_url`, returning the URL without trailing slashes.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    base_url::normalize(url)
}

/// Prints every problem to stderr, one block each (`path:line:column: message`, then the
/// hint). Headless commands call this and exit 2 when the list is not empty.
pub fn print_problems(problems: &[ConfigProblem]) {
    for problem in problems {
        // Problems quote the file; it may hold anything.
        eprintln!("{}", crate::text::sanitize(&problem.to_string()));
    }
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A problem found while loading settings, with its place when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// Whether loading settings may run the environment's `api_key_cmd` (which may prompt
/// for a passphrase). Commands that never send skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPolicy {
    /// Run `api_key_cmd` when it is the key's source (the desk, `create`, `config check`).
    Resolve,
    /// Do not run it: `key_source` still says `Command`, `api_key` stays `None` and
    /// `key_problem` says why (`fields`, `profiles`, `validate`).
    Skip,
}

/// Command-line flags that take part in the layering.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub env: Option<String>,
    pub base_url: Option<String>,
    pub merchant_id: Option<String>,
    pub profile: Option<String>,
    pub theme: Option<String>,
    pub demo: bool,
    /// `--operator NAME`: the clerk, over `PAYDESK_OPERATOR` and `operator = "…"`.
    pub operator: Option<String>,
}

/// Everything paydesk runs with. `Debug` is safe to print: the key shows as `***`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    /// Effective lender profile name.
    pub profile: String,
    pub theme: String,
    pub log_level: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// How often the desk polls a fresh order's status.
    pub poll_interval: Duration,
    /// Prefix of generated order ids.
    pub order_prefix: String,
    pub paths: Paths,
    /// Non-fatal problems (bad file, bad value): defaults were used instead.
    pub problems: Vec<ConfigProblem>,
    /// True when paydesk fell back to demo because there was no config and no key.
    pub demo_fallback: bool,
    /// Every environment that can be picked: demo, sandbox, production, then the
    /// config file's `[env.NAME]` ones.
    pub env_names: Vec<String>,
    /// Fixed field values and the walk-in customer ID rule of this desk (`[desk]`, with
    /// `[env.NAME.desk]` over it); `session::desk` applies them to a new form.
    pub desk: crate::session::desk::DeskDefaults,
    /// Who works this desk and where: the clerk from `--operator`, `PAYDESK_OPERATOR` or
    /// `operator = "…"` (`""` when none gave one), and the counter from `counter = "…"`,
    /// else the host name (`operator::host_name`).
    pub operator: crate::operator::Operator,
    /// `[[operators]]`: the clerks the desk's start prompt offers, in file order.
    pub operators: Vec<crate::operator::OperatorEntry>,
    /// The desk asks for the operator at start: `ask_operator = true`, unless
    /// `--operator` or `PAYDESK_OPERATOR` already named one.
    pub ask_operator: bool,
    /// The branch ledger on PostgreSQL (`[ledger]`, `PAYDESK_LEDGER_URL`); none: the
    /// desk's own SQLite history.
    pub ledger: LedgerSettings,
    /// The flags this was loaded with (kept so `switch_env` can re-resolve).
    pub flags: Flags,
}

/// The environment variable naming the branch ledger (over `[ledger] url`).
pub const LEDGER_URL_ENV: &str = "PAYDESK_LEDGER_URL";

/// Where the branch ledger is (see `ledger::target`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerSettings {
    /// `PAYDESK_LEDGER_URL`, else `[ledger] url`: `postgres://USER[:PASSWORD]@HOST/DB`.
    /// May hold a password: show it only through `ledger::mask_url`.
    pub url: Option<String>,
    /// `[ledger] password_cmd`: a command printing the password (like `api_key_cmd`).
    pub password_cmd: Option<String>,
}

impl Settings {
    /// Loads the layers. `var` looks up environment variables (injected for tests).
    /// Paths come from the platform directories (`Paths::discover`).
    pub fn load(flags: &Flags, var: &dyn Fn(&str) -> Option<String>) -> Settings {
        Settings::load_with_policy(flags, var, KeyPolicy::Resolve)
    }

    /// `load` without running `api_key_cmd`, for commands that never send (`fields`,
    /// `profiles`, `validate`): a password manager must not prompt for them.
    pub fn load_without_key(flags: &Flags, var: &dyn Fn(&str) -> Option<String>) -> Settings {
        Settings::load_with_policy(flags, var, KeyPolicy::Skip)
    }

    /// `load` with an explicit key policy.
    pub fn load_with_policy(
        flags: &Flags,
        var: &dyn Fn(&str) -> Option<String>,
        policy: KeyPolicy,
    ) -> Settings {
        let config_override = resolve::config_override(flags, var);
        match Paths::discover(config_override) {
            Ok(paths) => Settings::load_with_paths_and_policy(flags, var, paths, policy),
            Err(message) => {
                // Still run: keep files in the temp directory and say so.
                let paths = Paths::under(&std::env::temp_dir().join("paydesk"));
                let mut settings = Settings::load_with_paths_and_policy(flags, var, paths, policy);
                settings.problems.insert(
                    0,
                    ConfigProblem {
                        path: None,
                        line: None,
                        column: None,
                        message,
                        hint: Some(format!(
                            "until then history and logs go to {}",
                            settings.paths.data_dir.display()
                        )),
                    },
                );
                settings
            }
        }
    }

    /// Like `load` with explicit paths (tests). `--config`/`PAYDESK_CONFIG` still replace
    /// `paths.config_file`.
    pub fn load_with_paths(
        flags: &Flags,
        var: &dyn Fn(&str) -> Option<String>,
        paths: Paths,
    ) -> Settings {
        resolve::load(flags, var, paths, KeyPolicy::Resolve)
    }

    /// `load_with_paths` with an explicit key policy (tests, fuzzing).
    pub fn load_with_paths_and_policy(
        flags: &Flags,
        var: &dyn Fn(&str) -> Option<String>,
        paths: Paths,
        policy: KeyPolicy,
    ) -> Settings {
        resolve::load(flags, var, paths, policy)
    }

    /// Built-in defaults in demo mode, no file read, no problems (tests and fallbacks).
    pub fn demo_defaults(paths: Paths) -> Settings {
        Settings {
            environment: Environment::demo(),
            profile: DEFAULT_PROFILE.into(),
            theme: DEFAULT_THEME.into(),
            log_level: DEFAULT_LOG_LEVEL.into(),
            connect_timeout: Duration::from_secs(DEFAULT_CONNECT_TIMEOUT_SECS),
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECS),
            poll_interval: Duration::from_secs(DEFAULT_POLL_INTERVAL_SECS),
            order_prefix: DEFAULT_ORDER_PREFIX.into(),
            paths,
            problems: Vec::new(),
            demo_fallback: false,
            env_names: BUILTIN_ENVS.iter().map(|s| s.to_string()).collect(),
            desk: Default::default(),
            operator: crate::operator::Operator::default(),
            operators: Vec::new(),
            ask_operator: false,
            ledger: LedgerSettings::default(),
            flags: Flags {
                demo: true,
                ..Flags::default()
            },
        }
    }

    /// The same settings for another environment (the desk's environment picker).
    /// Keeps `--config`, `--profile`, `--theme` and `--operator`; drops `--env`, `--demo`,
    /// `--base-url` and `--merchant-id`. May run the environment's `api_key_cmd`, so call
    /// it off the render loop.
    pub fn switch_env(&self, name: &str, var: &dyn Fn(&str) -> Option<String>) -> Settings {
        let flags = Flags {
            config: self.flags.config.clone(),
            env: Some(name.to_string()),
            profile: self.flags.profile.clone(),
            theme: self.flags.theme.clone(),
            operator: self.flags.operator.clone(),
            ..Flags::default()
        };
        Settings::load_with_paths(&flags, var, self.paths.clone())
    }

    /// The plain-words notice for the desk and headless commands when `demo_fallback`.
    pub fn demo_fallback_notice(&self) -> Option<String> {
        self.demo_fallback.then(|| {
            format!(
                "DEMO MODE: no API key was found, so paydesk is using its built-in Juspay \
                 emulator and nothing reaches Juspay. To use the sandbox, set JUSPAY_API_KEY \
                 and JUSPAY_MERCHANT_ID, or add an [env.sandbox] section to {}. A demo \
                 payment is completed as the customer would: Pay or Fail on the link's page, \
                 or P / F on the desk's result screen.",
                self.paths.config_file.display()
            )
        })
    }

    /// A client configuration for the selected environment, or why sending is refused.
    pub fn client_config(&self) -> Result<crate::juspay::ClientConfig, String> {
        let env = &self.environment;
        if let Some(problem) = env.send_problem() {
            return Err(problem);
        }
        let base_url = env.base_url.clone().ok_or_else(|| {
            "the demo emulator has not started yet, so there is nowhere to send".to_string()
        })?;
        let api_key = env
            .api_key
            .clone()
            .ok_or_else(|| format!("no API key for {:?}", env.name))?;
        Ok(crate::juspay::ClientConfig {
            base_url,
            merchant_id: env.merchant_id.clone(),
            api_key,
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
        })
    }
}
