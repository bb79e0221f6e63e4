//! Where paydesk keeps its files. Everything hangs off `directories::ProjectDirs`, which
//! follows XDG_* and HOME, so tests point it at a temporary directory.

use std::path::PathBuf;

/// Every path paydesk reads or writes. Built once at start-up; nothing else guesses paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The config file in use (may not exist).
    pub config_file: PathBuf,
    /// Directory holding user `themes/` and `profiles/`.
    pub config_dir: PathBuf,
    /// Directory holding the history DB, saved QR codes, the draft and logs.
    pub data_dir: PathBuf,
}

impl Paths {
    /// Paths from the platform directories; `config_override` (from `--config` or
    /// `PAYDESK_CONFIG`) replaces only the config file.
    /// Errors when no home directory can be found.
    pub fn discover(config_override: Option<PathBuf>) -> Result<Paths, String> {
        let dirs = directories::ProjectDirs::from("", "", "paydesk").ok_or_else(|| {
            "no home directory found, so paydesk cannot tell where to keep its config and \
             history; set HOME (or XDG_CONFIG_HOME and XDG_DATA_HOME) and try again"
                .to_string()
        })?;
        let config_dir = dirs.config_dir().to_path_buf();
        let config_file = config_override.unwrap_or_else(|| config_dir.join("config.toml"));
        Ok(Paths {
            config_file,
            config_dir,
            data_dir: dirs.data_dir().to_path_buf(),
        })
    }

    /// Paths rooted in one directory (tests, `--data-dir` style overrides).
    pub fn under(root: &std::path::Path) -> Paths {
        Paths {
            config_file: root.join("config").join("config.toml"),
            config_dir: root.join("config"),
            data_dir: root.join("data"),
        }
    }

    pub fn history_db(&self) -> PathBuf {
        self.data_dir.join("history.db")
    }
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }
    pub fn log_file(&self) -> PathBuf {
        self.log_dir().join("paydesk.log")
    }
    pub fn qr_dir(&self) -> PathBuf {
        self.data_dir.join("qr")
    }
    pub fn draft_file(&self) -> PathBuf {
        self.data_dir.join("draft.json")
    }
    pub fn themes_dir(&self) -> PathBuf {
        self.config_dir.join("themes")
    }
    pub fn profiles_dir(&self) -> PathBuf {
        self.config_dir.join("profiles")
    }
}
