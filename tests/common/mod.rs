//! Shared by the integration tests that run the real binary.

use std::path::Path;

use assert_cmd::Command;

/// `paydesk` cut off from the user's files and settings: HOME and the XDG config and data
/// directories live under `home`, and no `JUSPAY_*` / `PAYDESK_*` variable is inherited.
pub fn paydesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("paydesk").expect("paydesk binary");
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("JUSPAY_") || name.starts_with("PAYDESK_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    cmd
}
