//! Settings, layered: built-in defaults < config file < environment variables < flags.
//! Loading never fails: problems are collected and shown (TUI banner) or printed with
//! exit 2 (headless commands).

use std::path::PathBuf;
use std::time::Duration;

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
        todo!("config helper")
    }

    pub fn is_demo(&self) -> bool {
        self.kind == EnvKind::Demo
    }

    /// True for production, and for any environment whose base URL is Juspay's
    /// production host: the desk asks once before the first send.
    pub fn is_production(&self) -> bool {
        todo!("config helper")
    }

    /// `host[:port]` of the base URL (for history rows), or `""` when there is none yet.
    pub fn base_host(&self) -> String {
        todo!("config helper")
    }

    /// Upper-case badge text: `DEMO`, `SANDBOX`, `PRODUCTION`, or the custom name.
    pub fn badge(&self) -> String {
        self.name.to_uppercase()
    }

    /// Why nothing may be sent from this environment (no key, no merchant id, no usable
    /// base URL), or `None` when sending is allowed. Demo with no base URL yet counts as
    /// sendable: the caller starts the emulator and sets `base_url`.
    pub fn send_problem(&self) -> Option<String> {
        todo!("config helper")
    }
}

/// Checks that a base URL is safe to send a key to: `https://`, or `http://` only for
/// loopback (127.0.0.0/8, `::1`, `localhost`). The message says what to write instead.
pub fn check_base_url(url: &str) -> Result<(), String> {
    normalize_base_url(url).map(|_| ())
}

/// `check_base_url`, returning the URL without trailing slashes.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let _ = url;
    todo!("config helper")
}

/// Prints every problem to stderr, one block each (`path:line:column: message`, then the
/// hint). Headless commands call this and exit 2 when the list is not empty.
pub fn print_problems(problems: &[ConfigProblem]) {
    for problem in problems {
        eprintln!("{problem}");
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
    /// The flags this was loaded with (kept so `switch_env` can re-resolve).
    pub flags: Flags,
}

impl Settings {
    /// Loads the layers. `var` looks up environment variables (injected for tests).
    /// Paths come from the platform directories (`Paths::discover`).
    pub fn load(flags: &Flags, var: &dyn Fn(&str) -> Option<String>) -> Settings {
        let _ = (flags, var);
        todo!("config helper")
    }

    /// Like `load` with explicit paths (tests). `--config`/`PAYDESK_CONFIG` still replace
    /// `paths.config_file`.
    pub fn load_with_paths(
        flags: &Flags,
        var: &dyn Fn(&str) -> Option<String>,
        paths: Paths,
    ) -> Settings {
        let _ = (flags, var, paths);
        todo!("config helper")
    }

    /// Built-in defaults in demo mode, no file read, no problems (tests and fallbacks).
    pub fn demo_defaults(paths: Paths) -> Settings {
        let _ = paths;
        todo!("config helper")
    }

    /// The same settings for another environment (the desk's environment picker).
    /// Keeps `--config`, `--profile` and `--theme`; drops `--env`, `--demo`,
    /// `--base-url` and `--merchant-id`. May run the environment's `api_key_cmd`, so call
    /// it off the render loop.
    pub fn switch_env(&self, name: &str, var: &dyn Fn(&str) -> Option<String>) -> Settings {
        let _ = (name, var);
        todo!("config helper")
    }

    /// The plain-words notice for the desk and headless commands when `demo_fallback`.
    pub fn demo_fallback_notice(&self) -> Option<String> {
        todo!("config helper")
    }

    /// A client configuration for the selected environment, or why sending is refused.
    pub fn client_config(&self) -> Result<crate::juspay::ClientConfig, String> {
        todo!("config helper")
    }
}
