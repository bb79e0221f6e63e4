//! Commands that never send (`fields`, `profiles`, `validate`) must not run `api_key_cmd`:
//! a password manager would prompt for nothing. `config check` does run it, because it
//! reports where the key comes from and whether the command works.
//!
//! The key command here writes a marker file, so "was it run?" is a file check.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use paydesk::config::{Flags, KeyPolicy, KeySource, Settings};
use paydesk::paths::Paths;
use tempfile::TempDir;

const KEY: &str = "sk_test_policy_7731";

/// A config selecting sandbox whose key command leaves `marker` behind.
fn write_config(dir: &Path, marker: &Path) -> PathBuf {
    let file = dir.join("paydesk.toml");
    let text = format!(
        "default_env = \"sandbox\"\n\n[env.sandbox]\nmerchant_id = \"acme\"\n\
         api_key_cmd = \"touch '{}' && echo {KEY}\"\n",
        marker.display()
    );
    std::fs::write(&file, text).expect("write config");
    file
}

mod common;

fn paydesk(home: &Path, config: &Path) -> Command {
    let mut cmd = common::paydesk(home);
    cmd.env("PAYDESK_CONFIG", config);
    cmd
}

fn no_vars(_: &str) -> Option<String> {
    None
}

#[test]
fn skip_policy_reports_the_command_as_source_without_running_it() {
    let home = TempDir::new().expect("temp dir");
    let marker = home.path().join("ran");
    let config = write_config(home.path(), &marker);
    let flags = Flags {
        config: Some(config),
        ..Flags::default()
    };
    let paths = Paths::under(home.path());

    let light =
        Settings::load_with_paths_and_policy(&flags, &no_vars, paths.clone(), KeyPolicy::Skip);
    assert!(!marker.exists(), "api_key_cmd ran under KeyPolicy::Skip");
    let env = &light.environment;
    assert_eq!(env.name, "sandbox");
    assert_eq!(env.key_source, KeySource::Command);
    assert!(env.api_key.is_none());
    assert!(
        env.key_problem
            .as_deref()
            .is_some_and(|p| p.contains("was not run")),
        "{:?}",
        env.key_problem
    );
    assert!(light.problems.is_empty(), "{:?}", light.problems);

    let full = Settings::load_with_paths(&flags, &no_vars, paths);
    assert!(
        marker.exists(),
        "api_key_cmd did not run under load_with_paths"
    );
    assert_eq!(full.environment.key_source, KeySource::Command);
    assert_eq!(
        full.environment.api_key.as_ref().map(|k| k.expose()),
        Some(KEY)
    );
}

#[test]
fn env_var_key_wins_under_either_policy() {
    let home = TempDir::new().expect("temp dir");
    let marker = home.path().join("ran");
    let config = write_config(home.path(), &marker);
    let flags = Flags {
        config: Some(config),
        ..Flags::default()
    };
    let var = |name: &str| (name == "JUSPAY_API_KEY").then(|| "sk_from_env".to_string());
    let light = Settings::load_with_paths_and_policy(
        &flags,
        &var,
        Paths::under(home.path()),
        KeyPolicy::Skip,
    );
    assert_eq!(light.environment.key_source, KeySource::EnvVar);
    assert!(light.environment.api_key.is_some());
    assert!(!marker.exists());
}

#[test]
fn fields_profiles_and_validate_do_not_run_the_key_command() {
    let home = TempDir::new().expect("temp dir");
    let marker = home.path().join("ran");
    let config = write_config(home.path(), &marker);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/travel.json");

    let runs: [&[&str]; 4] = [
        &["fields"],
        &["fields", "--json"],
        &["profiles"],
        &["validate", "--profile", "travel"],
    ];
    for args in runs {
        let mut cmd = paydesk(home.path(), &config);
        cmd.args(args);
        if args[0] == "validate" {
            cmd.arg(&sample);
        }
        let output = cmd.output().expect("run");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !marker.exists(),
            "`paydesk {}` ran api_key_cmd",
            args.join(" ")
        );
    }
}

#[test]
fn config_check_runs_the_key_command_and_names_its_source_not_the_key() {
    let home = TempDir::new().expect("temp dir");
    let marker = home.path().join("ran");
    let config = write_config(home.path(), &marker);
    let output = paydesk(home.path(), &config)
        .args(["config", "check"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(marker.exists(), "config check did not run api_key_cmd");
    assert!(stdout.contains("environment sandbox"), "{stdout}");
    assert!(stdout.contains("key from api_key_cmd"), "{stdout}");
    assert!(!stdout.contains(KEY) && !stderr.contains(KEY), "key leaked");
}

#[test]
fn config_check_with_a_failing_key_command_exits_2() {
    let home = TempDir::new().expect("temp dir");
    let file = home.path().join("paydesk.toml");
    std::fs::write(
        &file,
        format!(
            "default_env = \"sandbox\"\n[env.sandbox]\nmerchant_id = \"acme\"\n\
             api_key_cmd = \"echo {KEY}; exit 5\"\n"
        ),
    )
    .expect("write config");
    let output = paydesk(home.path(), &file)
        .args(["config", "check"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exit status 5"), "{stderr}");
    assert!(!stderr.contains(KEY), "key command output leaked: {stderr}");
    // A command that never sends still works with the same file, and says nothing of it.
    let fields = paydesk(home.path(), &file)
        .arg("fields")
        .output()
        .expect("run");
    assert_eq!(fields.status.code(), Some(0));
}
