//! `paydesk emulator`, `paydesk create` and `paydesk status` end to end: the real binary
//! against the emulator running as a child process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use assert_cmd::Command;
use paydesk::history::{Outcome, Store};
use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_paydesk");
const TRAVEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/travel.json");
/// Generous: a debug binary on a busy two-core machine.
const STARTUP: Duration = Duration::from_secs(60);

/// `paydesk emulator --port 0 …` as a child; killed when dropped.
struct EmulatorProcess {
    child: Child,
    url: String,
    lines: Receiver<String>,
}

impl EmulatorProcess {
    fn start(extra: &[&str]) -> EmulatorProcess {
        let mut child = StdCommand::new(BIN)
            .args(["emulator", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn paydesk emulator");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        // Drains stdout for as long as the emulator runs, so its log never blocks it.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(STARTUP)
            .expect("the emulator's first line");
        let url = first
            .strip_prefix("paydesk emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        EmulatorProcess { child, url, lines }
    }

    /// The next log line that is a call (skips the banner lines).
    fn next_call(&self) -> String {
        loop {
            let line = self.lines.recv_timeout(STARTUP).expect("a call line");
            if !line.starts_with(' ') {
                return line;
            }
        }
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with a private home and no JUSPAY_*/PAYDESK_* from the outside.
fn paydesk(home: &TempDir) -> Command {
    let mut cmd = Command::new(BIN);
    for (name, _) in std::env::vars() {
        if name.starts_with("JUSPAY_") || name.starts_with("PAYDESK_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .timeout(STARTUP);
    cmd
}

fn history_db(home: &TempDir) -> PathBuf {
    find_history_db(home).expect("a history database under XDG_DATA_HOME")
}

fn find_history_db(home: &TempDir) -> Option<PathBuf> {
    fn find(dir: &Path) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if let Some(found) = find(&path) {
                    return Some(found);
                }
            } else if path.file_name().is_some_and(|n| n == "history.db") {
                return Some(path);
            }
        }
        None
    }
    find(&home.path().join("data"))
}

fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn create_then_pay_turns_status_into_charged() {
    let emu = EmulatorProcess::start(&[]);
    let home = TempDir::new().expect("tempdir");

    let output = paydesk(&home)
        .args(["create", "--base-url", &emu.url, "--from", TRAVEL, "--json"])
        .output()
        .expect("run create");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let session = stdout_json(&output);
    let link = session["payment_links"]["web"]
        .as_str()
        .expect("a payment link");
    assert!(
        link.starts_with(&format!("{}/payment-page/order/ordv2_", emu.url)),
        "{link}"
    );
    assert_eq!(session["order_id"], "test_1");
    assert_eq!(session["sdk_payload"]["payload"]["clientAuthToken"], "***");
    assert!(
        emu.next_call()
            .starts_with("POST /session -> 200 order test_1")
    );

    // The customer pays on the payment page.
    let page = reqwest::Client::new()
        .post(link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("outcome=charged")
        .send()
        .await
        .expect("payment page");
    assert!(page.status().is_success());

    let output = paydesk(&home)
        .args(["status", "test_1", "--base-url", &emu.url])
        .output()
        .expect("run status");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let shown = text(&output.stdout);
    assert!(shown.contains("CHARGED (paid)"), "{shown}");
    assert!(shown.contains("INR 5000.0"), "{shown}");

    let output = paydesk(&home)
        .args(["status", "test_1", "--json", "--base-url", &emu.url])
        .output()
        .expect("run status --json");
    assert_eq!(stdout_json(&output)["status"], "CHARGED");

    // The order was recorded, and the status check wrote CHARGED back to its row.
    let store = Store::open(&history_db(&home)).expect("history");
    let row = store
        .latest_by_order_id("test_1")
        .expect("query")
        .expect("a row");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.status.as_deref(), Some("CHARGED"));
    assert!(row.payment_link.as_deref() == Some(link));
    assert!(!row.response_body.unwrap_or_default().contains("tkn_"));
}

#[test]
fn a_refused_key_exits_3() {
    let emu = EmulatorProcess::start(&[]);
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .env("JUSPAY_API_KEY", "not-the-emulators-key")
        .args(["create", "--base-url", &emu.url, "--from", TRAVEL])
        .output()
        .expect("run create");
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let message = text(&output.stderr);
    assert!(message.contains("refused"), "{message}");
    assert!(
        !message.contains("not-the-emulators-key"),
        "the key must never be shown"
    );
    assert!(emu.next_call().starts_with("POST /session -> 401"));
}

#[test]
fn a_sample_without_customer_email_exits_2_naming_it_and_sends_nothing() {
    let emu = EmulatorProcess::start(&[]);
    let home = TempDir::new().expect("tempdir");
    let mut sample: Value =
        serde_json::from_str(&std::fs::read_to_string(TRAVEL).expect("sample")).expect("JSON");
    sample.as_object_mut().map(|m| m.remove("customer_email"));
    let file = home.path().join("no_email.json");
    std::fs::write(&file, sample.to_string()).expect("write sample");

    let output = paydesk(&home)
        .args(["create", "--base-url", &emu.url, "--from"])
        .arg(&file)
        .output()
        .expect("run create");
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(
        message.lines().any(|l| l.starts_with("customer_email: ")),
        "{message}"
    );

    // Nothing reached the emulator: the next call it sees is this status check.
    paydesk(&home)
        .args(["status", "test_1", "--base-url", &emu.url])
        .assert()
        .code(2);
    let call = emu.next_call();
    assert!(call.starts_with("GET /orders/test_1 -> 400"), "{call}");
}

#[test]
fn dry_run_prints_the_body_and_sends_nothing() {
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .args([
            "create",
            "--dry-run",
            "--from",
            TRAVEL,
            "--set",
            "udf1=desk7",
        ])
        .output()
        .expect("run create --dry-run");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let body = stdout_json(&output);
    assert_eq!(body["order_id"], "test_1");
    assert_eq!(body["metadata.origin"], "Bangalore");
    assert_eq!(body["udf1"], "desk7");

    let output = paydesk(&home)
        .args([
            "create",
            "--dry-run",
            "--from",
            TRAVEL,
            "--set",
            "amount=1.234",
        ])
        .output()
        .expect("run create --dry-run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout_json(&output)["amount"], "1.234");
    assert!(
        text(&output.stderr)
            .lines()
            .any(|l| l.starts_with("amount: "))
    );
    assert_eq!(find_history_db(&home), None, "a dry run records nothing");
}

#[test]
fn a_server_error_says_the_order_may_exist_and_how_to_check() {
    let emu = EmulatorProcess::start(&["--fault", "html500"]);
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .args(["create", "--base-url", &emu.url, "--from", TRAVEL])
        .output()
        .expect("run create");
    assert_eq!(output.status.code(), Some(4));
    let message = text(&output.stderr);
    assert!(message.contains("may have been created"), "{message}");
    assert!(
        message.contains(&format!("paydesk status test_1 --base-url {}", emu.url)),
        "{message}"
    );
    let store = Store::open(&history_db(&home)).expect("history");
    let row = store
        .latest_by_order_id("test_1")
        .expect("query")
        .expect("a row");
    assert_eq!(row.outcome, Outcome::Unknown);
}

#[test]
fn an_unreachable_server_exits_4_and_says_nothing_was_created() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .args([
            "create",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "--from",
            TRAVEL,
        ])
        .output()
        .expect("run create");
    assert_eq!(output.status.code(), Some(4));
    assert!(
        text(&output.stderr).contains("was not created"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_missing_order_id_is_generated_and_demo_runs_its_own_emulator() {
    let home = TempDir::new().expect("tempdir");
    let mut sample: Value =
        serde_json::from_str(&std::fs::read_to_string(TRAVEL).expect("sample")).expect("JSON");
    sample.as_object_mut().map(|m| m.remove("order_id"));
    let file = home.path().join("no_order_id.json");
    std::fs::write(&file, sample.to_string()).expect("write sample");

    let output = paydesk(&home)
        .args(["create", "--env", "demo", "--json", "--from"])
        .arg(&file)
        .output()
        .expect("run create");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let session = stdout_json(&output);
    let order_id = session["order_id"].as_str().expect("order id");
    assert!(
        order_id.starts_with("PD") && order_id.len() <= 20,
        "{order_id}"
    );
    let link = session["payment_links"]["web"].as_str().expect("link");
    assert!(link.starts_with("http://127.0.0.1:"), "{link}");

    // --qr: the link as a QR code in explicit black on white, after the summary.
    let output = paydesk(&home)
        .args(["create", "--env", "demo", "--qr", "--from", TRAVEL])
        .output()
        .expect("run create --qr");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let shown = text(&output.stdout);
    assert!(shown.contains("payment link  http://127.0.0.1:"), "{shown}");
    let qr_lines = shown
        .lines()
        .filter(|l| l.starts_with("\u{1b}[38;5;16;48;5;231m"))
        .count();
    assert!(qr_lines > 10, "{shown}");
}

#[test]
fn status_of_an_unknown_order_exits_2() {
    let emu = EmulatorProcess::start(&[]);
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .args(["status", "NOSUCH_1", "--base-url", &emu.url])
        .output()
        .expect("run status");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no order \"NOSUCH_1\""),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn emulator_rejects_an_unknown_fault() {
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .args(["emulator", "--fault", "gremlins"])
        .output()
        .expect("run emulator");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("slow-drip"));
}

#[cfg(unix)]
#[test]
fn emulator_stops_cleanly_on_sigterm() {
    let mut emu = EmulatorProcess::start(&[]);
    let pid = i32::try_from(emu.child.id()).expect("pid");
    // SAFETY: kill(2) on our own child's pid; no memory is involved.
    let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let deadline = std::time::Instant::now() + STARTUP;
    let status = loop {
        if let Some(status) = emu.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the emulator ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    // The pipe closes with the process, which ends the reader and the channel.
    let rest: Vec<String> = std::iter::from_fn(|| emu.lines.recv_timeout(STARTUP).ok()).collect();
    assert!(
        rest.iter().any(|l| l == "paydesk emulator stopped"),
        "{rest:?}"
    );
}

/// A refund in demo of an order the fresh emulator never saw (made at the desk, say) says
/// why, as `status` does.
#[test]
fn a_demo_refund_of_an_order_the_emulator_never_saw_says_why() {
    let home = TempDir::new().expect("tempdir");
    let output = paydesk(&home)
        .args(["refund", "--env", "demo", "PAIDATDESK1", "--amount", "10"])
        .args(["--reason", "wrong seat"])
        .output()
        .expect("run refund");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("has no order"), "{stderr}");
    assert!(
        stderr.contains("keeps orders only while it runs"),
        "{stderr}"
    );
}
