//! Issue 11: bad input and hostile answers, kind by kind, through the real binary against
//! a loopback server that answers whatever a test sets (`Hostile`). The last test is the
//! property: for arbitrary answers nothing the CLI writes holds a C0/C1 control other
//! than newline and tab, nor a bidi or zero-width character (`benches/fuzz.sh` runs it at
//! 100,000 cases).

mod common;
#[path = "common/hostile.rs"]
mod hostile;

use std::path::Path;

use paydesk::config::{EnvKind, Environment};
use paydesk::juspay::SessionResponse;
use paydesk::text::is_unsafe;
use proptest::prelude::*;
use serde_json::{Value, json};
use tempfile::TempDir;

use hostile::{Answers, Hostile, hostile_text};

const TRAVEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/travel.json");
const KEY: &str = "sk_hostile_test_key";
const TOKEN: &str = "tkn_must_never_show";
/// Escapes that retitle the window and clear the screen.
const TITLE_AND_CLEAR: &str = "\u{1b}]0;X\u{7}\u{1b}[2J";

fn ok(body: Value) -> (u16, Vec<u8>) {
    (200, body.to_string().into_bytes())
}

fn session_answer(order_id: &str, link: &str) -> Value {
    json!({
        "status": "NEW",
        "id": "ordv2_1",
        "order_id": order_id,
        "payment_links": {"web": link, "expiry": "2026-12-01T10:00:00Z"},
        "sdk_payload": {"payload": {"clientAuthToken": TOKEN}}
    })
}

fn status_answer(order_id: &str, status: &str, link: &str) -> Value {
    json!({"id": "ordv2_1", "order_id": order_id, "status": status, "amount": 100,
           "currency": "INR", "payment_links": {"web": link}})
}

/// `paydesk` with a private home, a key and a merchant id, sending to `server`.
fn paydesk(home: &TempDir, server: &Hostile) -> assert_cmd::Command {
    let mut cmd = common::paydesk(home.path());
    cmd.env("JUSPAY_API_KEY", KEY)
        .env("JUSPAY_MERCHANT_ID", "m_hostile")
        .env("JUSPAY_CLIENT_ID", "c_hostile")
        .args(["--base-url", &server.url]);
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().expect("run paydesk");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The first character a terminal would act on, if any (outside the QR's own colours).
fn unsafe_char(text: &str) -> Option<char> {
    text.chars().find(|c| is_unsafe(*c))
}

fn assert_terminal_safe(run: &Run) {
    assert_eq!(unsafe_char(&run.stdout), None, "stdout {:?}", run.stdout);
    assert_eq!(unsafe_char(&run.stderr), None, "stderr {:?}", run.stderr);
}

fn create(home: &TempDir, server: &Hostile, extra: &[&str]) -> Run {
    let mut args = vec!["create", "--from", TRAVEL];
    args.extend_from_slice(extra);
    run(&mut paydesk(home, server), &args)
}

fn answers(session: (u16, Vec<u8>), status: (u16, Vec<u8>)) -> Answers {
    Answers { session, status }
}

// ── kind 1: server text written raw ────────────────────────────────────────────────────

#[test]
fn kind1_create_status_and_history_print_server_text_sanitised() {
    let hostile_id = format!("E1{TITLE_AND_CLEAR}");
    let link = format!("https://pay.test/{TITLE_AND_CLEAR}\u{202E}x");
    let server = Hostile::start(answers(
        ok(session_answer(&hostile_id, &link)),
        ok(status_answer(&hostile_id, "NEW\u{9b}2J", &link)),
    ));
    let home = TempDir::new().expect("home");
    let created = create(&home, &server, &[]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert_terminal_safe(&created);
    assert!(
        created.stdout.contains("E1\u{FFFD}]0;X\u{FFFD}\u{FFFD}[2J"),
        "{}",
        created.stdout
    );

    let status = run(&mut paydesk(&home, &server), &["status", "E1"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert_terminal_safe(&status);
    assert!(status.stdout.contains("NEW\u{FFFD}2J"), "{}", status.stdout);

    // The stored link comes back out of the history sanitised too.
    for args in [
        &["history"][..],
        &["history", "show", "E1"][..],
        &["history", "refresh"][..],
    ] {
        let listed = run(&mut paydesk(&home, &server), args);
        assert_terminal_safe(&listed);
    }
    let order_id = stored_order_id(&home, &server);
    let shown = run(
        &mut paydesk(&home, &server),
        &["history", "show", &order_id],
    );
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert_terminal_safe(&shown);
    assert!(
        shown.stdout.contains("https://pay.test/\u{FFFD}]0;X"),
        "{}",
        shown.stdout
    );
}

/// The order id paydesk generated for the one row in the history.
fn stored_order_id(home: &TempDir, server: &Hostile) -> String {
    let listed = run(&mut paydesk(home, server), &["history", "--json"]);
    let rows: Value = serde_json::from_str(&listed.stdout).expect("history --json");
    rows[0]["order_id"].as_str().expect("order id").to_string()
}

#[test]
fn kind1_json_output_keeps_data_exact_with_escapes() {
    let hostile_id = format!("E1{TITLE_AND_CLEAR}\u{202E}");
    let server = Hostile::start(answers(
        ok(session_answer(&hostile_id, "https://pay.test/x")),
        ok(status_answer(&hostile_id, "NEW", "https://pay.test/x")),
    ));
    let home = TempDir::new().expect("home");
    let created = create(&home, &server, &["--json"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert_terminal_safe(&created);
    let value: Value = serde_json::from_str(&created.stdout).expect("JSON");
    assert_eq!(value["order_id"], hostile_id.as_str());
    assert!(!created.stdout.contains(TOKEN));
}

#[test]
fn kind1_names_with_bidi_controls_are_refused() {
    let home = TempDir::new().expect("home");
    let mut request: Value =
        serde_json::from_str(&std::fs::read_to_string(TRAVEL).expect("sample")).expect("json");
    request["customer_first_name"] = json!("Ram\u{202E}esh");
    request["description"] = json!("zero\u{200B}width");
    let file = home.path().join("bidi.json");
    std::fs::write(&file, request.to_string()).expect("write");
    let out = common::paydesk(home.path())
        .args(["--profile", "travel", "validate"])
        .arg(&file)
        .output()
        .expect("validate");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("customer_first_name: contains a bidirectional control character (U+202E)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("description: contains an invisible zero-width character (U+200B)"),
        "{stdout}"
    );
    assert_eq!(unsafe_char(&stdout), None);
}

// ── kind 2: links handed to the opener ─────────────────────────────────────────────────

#[cfg(unix)]
#[test]
fn kind2_refresh_open_opens_only_https_and_the_opener_lacks_the_key() {
    use std::os::unix::fs::PermissionsExt;
    let server = Hostile::start(answers(
        ok(session_answer("x", "https://pay.test/ok")),
        ok(status_answer("x", "NEW", "file:///etc/passwd")),
    ));
    let home = TempDir::new().expect("home");
    assert_eq!(create(&home, &server, &[]).code, 0);
    assert_eq!(create(&home, &server, &[]).code, 0);
    // A fake xdg-open that records its argument and whether it saw the key.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let log = home.path().join("opened.log");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\necho \"$1 key=${{JUSPAY_API_KEY:-none}}\" >> {}\n",
            log.display()
        ),
    )
    .expect("opener");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!("{}:/usr/bin:/bin", bin.display());

    let refused = run(
        paydesk(&home, &server).env("PATH", &path),
        &["history", "refresh", "--open"],
    );
    assert!(
        refused.stderr.contains("neither opened nor drawn"),
        "{}",
        refused.stderr
    );
    assert!(!log.exists(), "the opener ran for a file:// link");

    server.set(answers(
        ok(session_answer("x", "https://pay.test/ok")),
        ok(status_answer("x", "NEW", "https://pay.test/ok")),
    ));
    let opened = run(
        paydesk(&home, &server).env("PATH", &path),
        &["history", "refresh", "--open"],
    );
    assert!(opened.stdout.contains("Opened"), "{}", opened.stdout);
    let seen = std::fs::read_to_string(&log).expect("the opener ran");
    assert!(seen.starts_with("https://pay.test/ok key=none"), "{seen}");
    assert!(!seen.contains(KEY));
}

#[test]
fn kind2_create_qr_is_not_drawn_for_a_javascript_link() {
    let server = Hostile::start(answers(
        ok(session_answer("x", "javascript:alert(1)")),
        ok(status_answer("x", "NEW", "javascript:alert(1)")),
    ));
    let home = TempDir::new().expect("home");
    let created = create(&home, &server, &["--qr"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(
        created
            .stderr
            .contains("neither opened nor drawn as a QR code"),
        "{}",
        created.stderr
    );
    assert!(!created.stdout.contains('▀') && !created.stdout.contains('█'));
}

// ── kind 3: secrets inside error text ──────────────────────────────────────────────────

#[test]
fn kind3_tokens_in_unreadable_and_5xx_answers_are_masked_everywhere() {
    let truncated =
        format!(r#"{{"status":"NEW","sdk_payload":{{"payload":{{"clientAuthToken":"{TOKEN}","#);
    let server = Hostile::start(answers(
        (200, truncated.into_bytes()),
        (
            502,
            format!("<html>clientAuthToken: {TOKEN}</html>").into_bytes(),
        ),
    ));
    let home = TempDir::new().expect("home");
    let created = create(&home, &server, &[]);
    assert_eq!(created.code, 4, "{}", created.stderr);
    assert!(
        created.stderr.contains("clientAuthToken"),
        "{}",
        created.stderr
    );
    assert!(!created.stderr.contains(TOKEN), "{}", created.stderr);

    let status = run(&mut paydesk(&home, &server), &["status", "x"]);
    assert_eq!(status.code, 4);
    assert!(!status.stderr.contains(TOKEN), "{}", status.stderr);
    // The history row's error column (shown as "Problem").
    let order_id = stored_order_id(&home, &server);
    let shown = run(
        &mut paydesk(&home, &server),
        &["history", "show", &order_id],
    );
    assert!(shown.stdout.contains("Problem"), "{}", shown.stdout);
    assert!(!shown.stdout.contains(TOKEN), "{}", shown.stdout);
    let db = std::fs::read(find_file(&home.path().join("data"), "history.db").expect("db"))
        .expect("read db");
    assert!(!String::from_utf8_lossy(&db).contains(TOKEN));
}

fn find_file(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

#[test]
fn kind3_the_emulator_takes_its_key_from_a_file_not_a_flag() {
    let home = TempDir::new().expect("home");
    let out = common::paydesk(home.path())
        .args(["emulator", "--api-key", "sk_visible"])
        .output()
        .expect("emulator");
    assert_eq!(
        out.status.code(),
        Some(2),
        "--api-key is no longer accepted"
    );
    let missing = common::paydesk(home.path())
        .args(["emulator", "--api-key-file"])
        .arg(home.path().join("none"))
        .output()
        .expect("emulator");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("cannot read the key file"), "{stderr}");
}

// ── kinds 4 and 8: unbounded reads, encodings ──────────────────────────────────────────

#[cfg(unix)]
#[test]
fn kind4_devices_are_refused_by_validate_create_and_the_key_file() {
    let home = TempDir::new().expect("home");
    for args in [
        &["validate", "/dev/zero"][..],
        &["create", "--dry-run", "--from", "/dev/zero"][..],
        &["emulator", "--api-key-file", "/dev/zero"][..],
    ] {
        let out = common::paydesk(home.path())
            .args(args)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    }
}

#[test]
fn kind8_bom_and_crlf_are_accepted_and_utf16_is_named() {
    let home = TempDir::new().expect("home");
    let sample = std::fs::read_to_string(TRAVEL).expect("sample");
    let bom = home.path().join("bom.json");
    std::fs::write(&bom, format!("\u{feff}{}", sample.replace('\n', "\r\n"))).expect("write");
    let valid = common::paydesk(home.path())
        .args(["--profile", "travel", "validate"])
        .arg(&bom)
        .output()
        .expect("validate");
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let dry = common::paydesk(home.path())
        .args(["--profile", "travel", "create", "--dry-run", "--from"])
        .arg(&bom)
        .output()
        .expect("create");
    assert_eq!(
        dry.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );

    let utf16 = home.path().join("utf16.json");
    let bytes: Vec<u8> = format!("\u{feff}{sample}")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(&utf16, bytes).expect("write");
    let refused = common::paydesk(home.path())
        .arg("validate")
        .arg(&utf16)
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("UTF-16"));
    // The config file goes through the same reader.
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        b"\xEF\xBB\xBFprofile = \"travel\"\r\ntheme = \"light\"\r\n",
    )
    .expect("write");
    let check = common::paydesk(home.path())
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .output()
        .expect("check");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

// ── kind 6: production recognised ──────────────────────────────────────────────────────

#[test]
fn kind6_production_is_decided_from_the_normalised_host() {
    let custom = |url: &str| Environment {
        name: "mine".into(),
        kind: EnvKind::Custom,
        base_url: Some(url.into()),
        ..Environment::demo()
    };
    for url in [
        "https://api.juspay.in./",
        "https://API.Juspay.IN",
        "https://api.juspay.in:443/v2",
    ] {
        assert!(custom(url).is_production(), "{url}");
    }
    for url in [
        "https://sandbox.juspay.in",
        "https://api.juspay.in.evil.test",
        "http://127.0.0.1:1",
    ] {
        assert!(!custom(url).is_production(), "{url}");
    }
}

// ── kind 7: a broken config is never ignored ───────────────────────────────────────────

#[test]
fn kind7_every_command_reports_a_broken_config_and_exits_2() {
    let home = TempDir::new().expect("home");
    let config = home.path().join("broken.toml");
    std::fs::write(&config, "profile = \"travel\nthis is not toml = = \n").expect("write");
    for args in [
        &["validate", TRAVEL][..],
        &["fields"][..],
        &["profiles"][..],
        &["history"][..],
        &["create", "--dry-run", "--from", TRAVEL][..],
    ] {
        let out = common::paydesk(home.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("broken.toml"), "{args:?}: {stderr}");
    }
}

#[test]
fn kind7_config_check_names_unknown_theme_and_profile_with_did_you_mean() {
    let home = TempDir::new().expect("home");
    let config = home.path().join("typos.toml");
    std::fs::write(&config, "theme = \"drak\"\nprofile = \"travle\"\n").expect("write");
    let out = common::paydesk(home.path())
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .output()
        .expect("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean \"dark\"?"), "{stderr}");
    assert!(stderr.contains("did you mean \"travel\"?"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("config OK"));
}

// ── kind 9: personal data in files others can read ─────────────────────────────────────

#[cfg(unix)]
#[test]
fn kind9_exports_are_0600_and_never_overwritten_without_force() {
    use std::os::unix::fs::PermissionsExt;
    let server = Hostile::start(answers(
        ok(session_answer("x", "https://pay.test/ok")),
        ok(status_answer("x", "NEW", "https://pay.test/ok")),
    ));
    let home = TempDir::new().expect("home");
    assert_eq!(create(&home, &server, &[]).code, 0);
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let db = find_file(&home.path().join("data"), "history.db").expect("db");
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().expect("dir")), 0o700);

    let csv = home.path().join("orders.csv");
    let export = |extra: &[&str]| {
        common::paydesk(home.path())
            .args(["history", "export", "--csv"])
            .arg(&csv)
            .args(extra)
            .output()
            .expect("export")
    };
    assert_eq!(export(&[]).status.code(), Some(0));
    assert_eq!(mode(&csv), 0o600);
    std::fs::write(&csv, "keep me").expect("write");
    let refused = export(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&csv).expect("csv"), "keep me");
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(export(&["--force"]).status.code(), Some(0));
    assert_eq!(mode(&csv), 0o600);
    assert!(
        std::fs::read_to_string(&csv)
            .expect("csv")
            .contains("order_id")
    );
}

// ── kind 10: values silently changed ───────────────────────────────────────────────────

#[test]
fn kind10_a_ten_character_prefix_is_kept_in_generated_ids() {
    let home = TempDir::new().expect("home");
    let config = home.path().join("prefix.toml");
    std::fs::write(&config, "order_prefix = \"ACME_DESK1\"\n").expect("write");
    let out = common::paydesk(home.path())
        .arg("--config")
        .arg(&config)
        .args([
            "--profile",
            "travel",
            "create",
            "--dry-run",
            "--from",
            TRAVEL,
            "--set",
            "order_id=",
        ])
        .output()
        .expect("dry run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body: Value = serde_json::from_slice(&out.stdout).expect("body");
    let id = body["order_id"].as_str().expect("order id");
    assert!(id.starts_with("ACME_DESK1"), "{id}");
    assert!(id.len() <= 20, "{id}");
}

// ── kind 11: answer fields that exist elsewhere ────────────────────────────────────────

#[test]
fn kind11_expiry_falls_back_and_a_create_answer_never_says_paid() {
    let parse = |v: Value| serde_json::from_value::<SessionResponse>(v).expect("decode");
    let top = parse(
        json!({"status": "CHARGED", "payment_links": {"web": "https://p.test"},
                           "order_expiry": "2026-12-01T10:00:00Z"}),
    );
    assert_eq!(top.link_expiry(), Some("2026-12-01T10:00:00Z"));
    assert_eq!(top.created_status(), None);
    let sdk = parse(
        json!({"status": "NEW", "sdk_payload": {"payload": {"expiry": "2026-12-02T00:00:00Z",
                           "clientAuthTokenExpiry": "2026-11-30T00:15:00Z"}}}),
    );
    assert_eq!(sdk.link_expiry(), Some("2026-12-02T00:00:00Z"));
    assert_eq!(sdk.created_status(), Some("NEW"));
    let token_only = parse(json!({"sdk_payload": {"payload": {"clientAuthTokenExpiry": "x"}}}));
    assert_eq!(token_only.link_expiry(), None);

    // Through the CLI and the history: shown, stored, and never CHARGED.
    let server = Hostile::start(answers(
        ok(
            json!({"status": "CHARGED", "id": "ordv2_1", "order_id": "x",
                  "payment_links": {"web": "https://pay.test/x"},
                  "order_expiry": "2026-12-01T10:00:00Z"}),
        ),
        ok(status_answer("x", "NEW", "https://pay.test/x")),
    ));
    let home = TempDir::new().expect("home");
    let created = create(&home, &server, &[]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(
        created.stdout.contains("2026-12-01T10:00:00Z"),
        "{}",
        created.stdout
    );
    assert!(!created.stdout.contains("CHARGED"), "{}", created.stdout);
    let listed = run(&mut paydesk(&home, &server), &["history", "--json"]);
    let rows: Value = serde_json::from_str(&listed.stdout).expect("json");
    assert_ne!(rows[0]["status"], "CHARGED");
    assert_eq!(rows[0]["link_expiry"], "2026-12-01T10:00:00Z");
}

// ── kind 15: machine-readable errors ───────────────────────────────────────────────────

#[test]
fn kind15_create_and_status_json_print_an_error_object() {
    let rejected = json!({"status": "Bad Request", "error_code": "Mandatory fields are missing",
                          "error_message": "Mandatory fields are missing",
                          "error_info": {"fields": ["customer_email"]}});
    let server = Hostile::start(answers(
        (400, rejected.to_string().into_bytes()),
        (401, b"{\"error_message\":\"bad key\"}".to_vec()),
    ));
    let home = TempDir::new().expect("home");
    let created = create(&home, &server, &["--json"]);
    assert_eq!(created.code, 2, "{}", created.stderr);
    let error: Value = serde_json::from_str(&created.stdout).expect("a JSON error object");
    assert_eq!(error["kind"], "invalid");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(error["fields"].is_array());

    let status = run(&mut paydesk(&home, &server), &["status", "x", "--json"]);
    assert_eq!(status.code, 3);
    let error: Value = serde_json::from_str(&status.stdout).expect("a JSON error object");
    assert_eq!(error["kind"], "auth");

    // Problems found before sending too.
    let local = create(&home, &server, &["--json", "--set", "amount=abc"]);
    assert_eq!(local.code, 2);
    let error: Value = serde_json::from_str(&local.stdout).expect("a JSON error object");
    assert_eq!(error["kind"], "invalid_input");
    assert_eq!(error["fields"][0]["field"], "amount");
}

// ── the property: nothing written to a terminal holds a control ─────────────────────────

/// A status answer with hostile text in every field the CLI prints, or a body that is
/// not JSON at all, with an HTTP status a server might send.
fn hostile_answer() -> impl Strategy<Value = (u16, Vec<u8>)> {
    let json_answer = (
        prop::array::uniform6(hostile_text()),
        prop::sample::select(vec![200u16, 400, 401, 404, 500, 502]),
    )
        .prop_map(|([id, order_id, status, link, message, field], code)| {
            let body = json!({
                "id": id, "order_id": order_id, "status": status, "currency": message,
                "amount": 1, "date_created": field,
                "payment_links": {"web": link, "expiry": field},
                "error_message": message, "user_message": message,
                "error_info": {"fields": [field]}
            });
            (code, body.to_string().into_bytes())
        });
    let raw = (
        prop::collection::vec(any::<u8>(), 0..200),
        prop::sample::select(vec![200u16, 400, 401, 500]),
    )
        .prop_map(|(bytes, code)| (code, bytes));
    prop_oneof![3 => json_answer, 1 => raw]
}

/// Cases per run: `PROPTEST_CASES` (benches/fuzz.sh sets 100,000), else 16 — each case
/// runs the binary, so a plain `cargo test` keeps it short.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn cli_output_for_arbitrary_answers_holds_no_terminal_controls(answer in hostile_answer()) {
        thread_local! {
            static SERVER: (Hostile, TempDir) = (
                Hostile::start(answers(ok(json!({})), ok(json!({})))),
                TempDir::new().expect("home"),
            );
        }
        SERVER.with(|(server, home)| {
            server.set(answers(answer.clone(), answer.clone()));
            for args in [&["status", "ORD1"][..], &["status", "ORD1", "--json"][..]] {
                let out = run(&mut paydesk(home, server), args);
                prop_assert_eq!(unsafe_char(&out.stdout), None, "stdout {:?}", out.stdout);
                prop_assert_eq!(unsafe_char(&out.stderr), None, "stderr {:?}", out.stderr);
                prop_assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
            }
            Ok(())
        })?;
    }
}
