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
