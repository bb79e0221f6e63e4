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
        self.profiles.get_or_explain(&self.settings.profile)
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
use crate::emulator::DEMO_CLIENT_ID;

pub use crate::connection::{ConnectError, Connection};

impl Context {
    /// A client for the environment in effect (`connection::connect`); for demo it starts
    /// the embedded emulator on the current tokio runtime, so call it inside one.
    pub async fn connect(&self) -> Result<Connection, ConnectError> {
        crate::connection::connect(&self.settings, None).await
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
