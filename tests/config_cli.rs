//! `paydesk config path|check` run as the real binary, with HOME and XDG dirs in a temp
//! directory and no JUSPAY_*/PAYDESK_* variables from the person running the tests.

use tempfile::TempDir;

mod common;
use common::paydesk;

fn output_text(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_of_a_broken_file_exits_2_and_names_the_line() {
    let home = TempDir::new().expect("temp dir");
    let broken = home.path().join("broken.toml");
    std::fs::write(
        &broken,
        "theme = \"light\"\n\n[env.sandbox\nmerchant_id = \"m\"\n",
    )
    .expect("write");
    let output = paydesk(home.path())
        .env("PAYDESK_CONFIG", &broken)
        .args(["config", "check"])
        .output()
        .expect("run");
    let (_, stderr) = output_text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let location = format!("{}:3:", broken.display());
    assert!(stderr.contains(&location), "no {location} in: {stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
}

#[test]
fn check_reports_every_problem_with_line_and_column() {
    let home = TempDir::new().expect("temp dir");
    let file = home.path().join("c.toml");
    std::fs::write(
        &file,
        "theem = \"light\"\n[env.sandbox]\nbase_url = \"http://sandbox.juspay.in\"\n",
    )
    .expect("write");
    let output = paydesk(home.path())
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .expect("run");
    let (_, stderr) = output_text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:1:1: unknown key `theem`", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `theme`?"), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:3:12:", file.display())),
        "{stderr}"
    );
}

#[test]
fn check_without_a_file_is_ok_and_says_defaults_are_used() {
    let home = TempDir::new().expect("temp dir");
    let output = paydesk(home.path())
        .args(["config", "check"])
        .output()
        .expect("run");
    let (stdout, stderr) = output_text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("no config file at"), "{stdout}");
    assert!(stdout.contains("defaults are used"), "{stdout}");
    assert!(stdout.contains("environment demo"), "{stdout}");
}

#[test]
fn check_of_a_good_file_is_ok_and_never_prints_the_key() {
    let home = TempDir::new().expect("temp dir");
    let dir = home.path().join("config").join("paydesk");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        "default_env = \"sandbox\"\n[env.sandbox]\nmerchant_id = \"acme\"\napi_key_cmd = \"echo sk_test_hidden\"\n",
    )
    .expect("write");
    let output = paydesk(home.path())
        .args(["config", "check"])
        .output()
        .expect("run");
    let (stdout, stderr) = output_text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("config OK: {}", file.display())),
        "{stdout}"
    );
    assert!(stdout.contains("key from api_key_cmd"), "{stdout}");
    assert!(!stdout.contains("sk_test_hidden") && !stderr.contains("sk_test_hidden"));
}

#[test]
fn check_of_an_environment_without_key_exits_2_with_the_three_ways() {
    let home = TempDir::new().expect("temp dir");
    let output = paydesk(home.path())
        .args(["config", "check", "--env", "sandbox"])
        .output()
        .expect("run");
    let (_, stderr) = output_text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("JUSPAY_API_KEY") && stderr.contains("api_key_cmd"),
        "{stderr}"
    );
}

#[test]
fn path_lists_every_place_under_the_platform_dirs() {
    let home = TempDir::new().expect("temp dir");
    let output = paydesk(home.path())
        .args(["config", "path"])
        .output()
        .expect("run");
    let (stdout, stderr) = output_text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let config = home.path().join("config").join("paydesk");
    let data = home.path().join("data").join("paydesk");
    for (label, path) in [
        ("config file:", config.join("config.toml")),
        ("data directory:", data.clone()),
        ("history DB:", data.join("history.db")),
        ("log file:", data.join("logs").join("paydesk.log")),
        ("saved QR codes:", data.join("qr")),
        ("user themes:", config.join("themes")),
        ("user profiles:", config.join("profiles")),
    ] {
        let found = stdout
            .lines()
            .any(|line| line.starts_with(label) && line.contains(&path.display().to_string()));
        assert!(found, "{label} {} missing in:\n{stdout}", path.display());
    }
}

#[test]
fn path_follows_paydesk_config() {
    let home = TempDir::new().expect("temp dir");
    let elsewhere = home.path().join("elsewhere.toml");
    let output = paydesk(home.path())
        .env("PAYDESK_CONFIG", &elsewhere)
        .args(["config", "path"])
        .output()
        .expect("run");
    let (stdout, _) = output_text(&output);
    assert!(
        stdout
            .lines()
            .next()
            .is_some_and(|l| l.contains(&elsewhere.display().to_string())),
        "{stdout}"
    );
}
