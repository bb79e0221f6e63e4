//! Every command on the branch ledger (issue 14, items 2, 3 and 6): with
//! `PAYDESK_LEDGER_URL` set, `create`, `status`, `history` (list, show, export, refresh,
//! forget) and `refund` write and read the PostgreSQL ledger, not the SQLite history; a
//! ledger that cannot be reached stops `create` before anything is sent.
//!
//! The real binary against the in-process emulator. The PostgreSQL test skips without
//! `PAYDESK_TEST_PG_URL` (see `ledger_support`); the unreachable one needs no server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use paydesk::emulator::{CallRecord, Emulator, EmulatorConfig};
use paydesk::history::Outcome;
use paydesk::ledger::PgLedger;
use paydesk::orders::refund_state::RefundState;
use serde_json::Value;
use tokio::sync::broadcast::Receiver;

mod common;
#[path = "common/ledger_cmd.rs"]
mod ledger_cmd;
#[path = "ledger_support/mod.rs"]
mod support;

const GENERIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/generic.json");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs paydesk against `emulator` with `ledger_url` (after removing the person's
/// PAYDESK_*, JUSPAY_* and PG* variables).
fn run(home: &Path, emulator: &Emulator, ledger_url: &str, args: &[&str]) -> Run {
    let output = ledger_cmd::paydesk_on_ledger(home, emulator.base_url(), ledger_url)
        .timeout(Duration::from_secs(60))
        .arg("--config")
        .arg(home.join("paydesk.toml"))
        .args(args)
        .output()
        .expect("run paydesk");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A home whose config names the counter.
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("home");
    std::fs::write(
        home.path().join("paydesk.toml"),
        "counter = \"counter-7\"\n",
    )
    .expect("config");
    home
}

/// The SQLite history under `home`, if any command made one.
fn sqlite_history(home: &Path) -> Option<PathBuf> {
    let path = home.join("data").join("paydesk").join("history.db");
    path.exists().then_some(path)
}

/// The calls the emulator finished so far.
fn calls(seen: &mut Receiver<CallRecord>) -> Vec<CallRecord> {
    let mut calls = Vec::new();
    while let Ok(call) = seen.try_recv() {
        calls.push(call);
    }
    calls
}

/// A runtime (its worker threads serve the emulator while the test thread runs the
/// binary) and the emulator.
fn emulator() -> (tokio::runtime::Runtime, Emulator) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    (runtime, emulator)
}

#[test]
fn create_with_an_unreachable_ledger_sends_nothing_and_says_where() {
    let (_runtime, emulator) = emulator();
    let mut seen = emulator.subscribe();
    let home = home();
    let secret = "Hunter2-not-shown";
    // Port 1 on loopback: nothing listens there.
    let url = format!("postgres://paydesk:{secret}@127.0.0.1:1/branch?sslmode=disable");
    let create = ["create", "--from", GENERIC, "--set", "order_id=UNREACH1"];
    let r = run(home.path(), &emulator, &url, &create);
    assert_eq!(r.code, 4, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("postgres://paydesk:***@127.0.0.1:1/branch"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Nothing was sent"), "{}", r.stderr);
    assert!(!r.stderr.contains(secret) && !r.stdout.contains(secret));
    assert_eq!(emulator.order_count(), 0);
    let sessions: Vec<_> = calls(&mut seen)
        .into_iter()
        .filter(|c| c.path.starts_with("/session"))
        .collect();
    assert!(sessions.is_empty(), "the emulator saw {sessions:?}");
    assert_eq!(
        sqlite_history(home.path()),
        None,
        "no fallback to the SQLite history"
    );
}

#[test]
fn every_command_writes_and_reads_the_branch_ledger() {
    let (runtime, emulator) = emulator();
    let Some(db) = runtime.block_on(support::pg_db()) else {
        return;
    };
    let home = home();
    let url = db.url.clone();
    let run = |args: &[&str]| run(home.path(), &emulator, &url, args);
    let ledger = runtime
        .block_on(PgLedger::connect(&db.target))
        .expect("ledger");

    // create: the row is in the ledger, with the operator and the counter.
    let r = run(&[
        "--operator",
        "asha",
        "create",
        "--from",
        GENERIC,
        "--set",
        "order_id=WIRE1",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let row = runtime
        .block_on(ledger.latest_by_order_id("WIRE1"))
        .expect("read")
        .expect("the row is in the branch ledger");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(
        (row.operator.as_str(), row.counter.as_str()),
        ("asha", "counter-7")
    );
    assert_eq!(row.status.as_deref(), Some("NEW"));

    // status: the check is recorded in the ledger's row.
    assert_eq!(emulator.settle("WIRE1", true).as_deref(), Some("CHARGED"));
    let r = run(&["status", "WIRE1"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let row = runtime
        .block_on(ledger.get(row.id))
        .expect("read")
        .expect("row");
    assert_eq!(row.status.as_deref(), Some("CHARGED"));

    // history, history show: read from the ledger.
    let r = run(&["history", "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let listed: Value = serde_json::from_str(&r.stdout).expect("JSON");
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["order_id"], "WIRE1");
    assert_eq!(listed[0]["counter"], "counter-7");
    let r = run(&["history", "show", "WIRE1", "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let shown: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(shown["order"]["status"], "CHARGED");
    assert_eq!(shown["order"]["operator"], "asha");

    // refund: the attempt is written to the ledger first, by its operator.
    let r = run(&[
        "--operator",
        "ravi",
        "refund",
        "WIRE1",
        "--amount",
        "100",
        "--reason",
        "wrong seat",
    ]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let refunds = runtime
        .block_on(ledger.refunds_of("WIRE1"))
        .expect("refunds");
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0].state, RefundState::Pending);
    assert_eq!(refunds[0].operator.as_deref(), Some("ravi"));
    let r = run(&["history", "show", "WIRE1"]);
    assert!(r.stdout.contains("wrong seat"), "{}", r.stdout);

    // history refresh and export go through the ledger too.
    let r = run(&["history", "refresh"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = run(&["history", "export", "--csv", "-"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("WIRE1"), "{}", r.stdout);
    assert!(r.stderr.contains("Exported 1 orders"), "{}", r.stderr);

    // history forget deletes it from the ledger.
    let r = run(&["history", "forget", "WIRE1", "--yes"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        runtime
            .block_on(ledger.latest_by_order_id("WIRE1"))
            .expect("read")
            .is_none()
    );

    assert_eq!(sqlite_history(home.path()), None, "nothing went to SQLite");
    runtime.block_on(db.finish());
}
