//! Refund drills (issue 15): a `paydesk refund` killed mid-request and restarted, a
//! refund whose answer times out, over-refunds (refused by the history before sending,
//! by Juspay otherwise) and a refund of an unpaid order. The emulator runs in this test
//! process; `paydesk` runs as a child process against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::Store;
use paydesk::juspay::{Client, ClientConfig};
use paydesk::orders::OrderContext;
use paydesk::orders::refund::{self, RefundAsk};
use paydesk::orders::refund_state::RefundState;
use paydesk::secret::ApiKey;
use paydesk::session::profile::RefundPolicy;
use serde_json::{Map, Value, json};

/// How long any wait here may take before the drill fails.
const DEADLINE: Duration = Duration::from_secs(90);

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/generic.json")
}

/// `paydesk` with HOME and the XDG directories under `home`, none of the person's
/// JUSPAY_*/PAYDESK_* variables, and the emulator's key.
fn paydesk(home: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("paydesk"));
    for name in [
        "JUSPAY_API_KEY",
        "JUSPAY_MERCHANT_ID",
        "JUSPAY_BASE_URL",
        "JUSPAY_CLIENT_ID",
        "PAYDESK_ENV",
        "PAYDESK_LOG",
        "PAYDESK_CONFIG",
    ] {
        cmd.env_remove(name);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("JUSPAY_API_KEY", DEMO_API_KEY);
    cmd
}

fn db_path(home: &Path) -> PathBuf {
    home.join("data").join("paydesk").join("history.db")
}

struct Drill {
    runtime: tokio::runtime::Runtime,
    emu: Emulator,
    home: tempfile::TempDir,
}

impl Drill {
    fn new() -> Drill {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let emu = runtime
            .block_on(Emulator::start(EmulatorConfig::default()))
            .expect("emulator");
        // Refunds stay PENDING while the drill runs.
        emu.set_refund_delay(Duration::from_secs(3600));
        Drill {
            runtime,
            emu,
            home: tempfile::tempdir().expect("home"),
        }
    }

    fn cmd(&self) -> Command {
        let mut cmd = paydesk(self.home.path());
        cmd.args([
            "--base-url",
            self.emu.base_url(),
            "--merchant-id",
            DEMO_MERCHANT_ID,
        ]);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("paydesk runs")
    }

    /// A 30500.00 order created through `paydesk create` (so the history has it), paid
    /// when `paid`.
    fn order(&self, order_id: &str, paid: bool) {
        let out = self
            .cmd()
            .arg("create")
            .arg("--from")
            .arg(sample())
            .args(["--set", &format!("order_id={order_id}")])
            .output()
            .expect("create");
        assert!(out.status.success(), "create: {}", text(&out.stderr));
        if paid {
            assert_eq!(self.emu.settle(order_id, true).as_deref(), Some("CHARGED"));
        }
    }

    fn store(&self) -> Store {
        Store::open(&db_path(self.home.path())).expect("store")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Polls `check` every 20 ms until it returns `Some`, failing after `DEADLINE`.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(start.elapsed() < DEADLINE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_refund_killed_mid_request_is_sent_again_with_the_same_id_and_made_once() {
    let drill = Drill::new();
    drill.order("KILLREF1", true);
    // Every answer now comes 3 s late; the emulator records the refund first.
    drill.emu.set_latency(Duration::from_secs(3));
    let mut child = drill
        .cmd()
        .args([
            "refund",
            "KILLREF1",
            "--amount",
            "100.00",
            "--reason",
            "trip cancelled",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start paydesk refund");
    let db = db_path(drill.home.path());
    // The row is written before the request leaves; once Juspay holds the refund and the
    // answer is still on its way, kill the process.
    let row = wait_for("the refund at the emulator", || {
        let store = Store::open(&db).ok()?;
        let rows = store.refunds_of("KILLREF1").ok()?;
        let row = rows.first()?.clone();
        (!drill.emu.refunds("KILLREF1").is_empty()).then_some(row)
    });
    child.kill().expect("SIGKILL the refund");
    let _ = child.wait();
    let store = drill.store();
    let killed = store
        .refund_row(row.id)
        .expect("read")
        .expect("the row survives the kill");
    assert_eq!(killed.state, RefundState::Sending, "{killed:?}");
    assert_eq!(killed.amount_paise, Some(10_000));
    assert_eq!(killed.reason, "trip cancelled");

    // Restart: `history refresh` follows the open refund, sending it again with its id.
    drill.emu.set_latency(Duration::ZERO);
    let out = drill.run(&["history", "refresh"]);
    assert!(out.status.success(), "refresh: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "refund {} of KILLREF1: sending -> pending",
            killed.unique_request_id
        )) && stdout.contains("sent again with the same unique_request_id"),
        "{stdout}"
    );
    let held = drill.emu.refunds("KILLREF1");
    assert_eq!(held.len(), 1, "exactly one refund at Juspay: {held:?}");
    assert_eq!(held[0].unique_request_id, killed.unique_request_id);
    assert_eq!(held[0].amount_paise, 10_000);
    let after = store.refund_row(row.id).expect("read").expect("row");
    assert_eq!(after.state, RefundState::Pending, "{after:?}");
    assert_eq!(store.refunds_of("KILLREF1").expect("rows").len(), 1);

    // The order's story tells it, and `history show --json` exports it.
    let out = drill.run(&["history", "show", "KILLREF1", "--json"]);
    assert!(out.status.success());
    let shown: Value = serde_json::from_slice(&out.stdout).expect("json");
    let kinds: Vec<&str> = shown["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for kind in ["sending", "created", "refund_sending", "refund"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(
        shown["refunds"][0]["unique_request_id"],
        json!(killed.unique_request_id)
    );
    let out = drill.run(&["history", "show", "KILLREF1"]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("Refunds:")
            && shown.contains(&killed.unique_request_id)
            && shown.contains("reason: trip cancelled")
            && shown.contains("Story:"),
        "{shown}"
    );
    // `paydesk status` lists the refund as Juspay holds it.
    let out = drill.run(&["status", "KILLREF1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status = text(&out.stdout);
    assert!(
        status.contains(&format!("{}  100.00  PENDING", killed.unique_request_id)),
        "{status}"
    );
}

fn client(base_url: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(
        base_url.to_string(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY.to_string()),
    );
    config.request_timeout = timeout;
    Client::new(config).expect("client")
}

#[test]
fn a_refund_whose_answer_times_out_is_sent_again_with_the_same_id() {
    let drill = Drill::new();
    let store = Store::open_in_memory().expect("store");
    let ctx = OrderContext::new("sandbox", drill.emu.base_url(), DEMO_MERCHANT_ID, "generic");
    let quick = client(drill.emu.base_url(), Duration::from_secs(1));
    let body: Map<String, Value> = match json!({
        "order_id": "TIMEREF1", "amount": "500.00", "customer_id": "c1",
        "customer_email": "a@example.com", "customer_phone": "9999999999",
        "payment_page_client_id": "client_id", "action": "paymentPage",
        "return_url": "https://example.com/"
    }) {
        Value::Object(map) => map,
        _ => unreachable!("literal object"),
    };
    drill.runtime.block_on(async {
        let sent = paydesk::orders::submit(Some(&store), &quick, &ctx, body)
            .await
            .expect("recorded");
        assert!(sent.result.is_ok(), "{:?}", sent.result);
    });
    assert_eq!(
        drill.emu.settle("TIMEREF1", true).as_deref(),
        Some("CHARGED")
    );
    let ask = RefundAsk {
        order_id: "TIMEREF1".into(),
        amount_paise: Some(20_000),
        reason: "paid twice".into(),
    };
    // The refund lands, its answer comes after the client stopped waiting.
    let report = drill.runtime.block_on(async {
        let known = refund::known(&store, &ctx, "TIMEREF1")
            .await
            .expect("known");
        let checker = paydesk::orders::Checker::system();
        let row = refund::start(&store, &quick, &ctx, &known, &ask, &checker)
            .await
            .expect("recorded")
            .expect("allowed");
        drill.emu.set_latency(Duration::from_secs(3));
        refund::send(&store, &quick, &row).await.expect("recorded")
    });
    assert_eq!(report.refund.state, RefundState::Unknown, "{report:?}");
    assert!(matches!(
        report.answer,
        Some(Err(paydesk::juspay::ApiError::Timeout { .. }))
    ));
    let first_id = report.refund.unique_request_id.clone();
    // A new refund is refused while the lost one may exist unseen.
    drill.emu.set_latency(Duration::ZERO);
    let blocked = drill.runtime.block_on(refund::refund(
        &store,
        &quick,
        &ctx,
        (RefundPolicy::Any, "generic"),
        &ask,
    ));
    assert!(
        matches!(&blocked, Err(refund::RefundRefused::NotAllowed(m)) if m.contains(&first_id)),
        "{blocked:?}"
    );
    // The next start follows it: same id again, Juspay answers duplicate.call, Order
    // Status shows the one refund.
    let followed = drill.runtime.block_on(async {
        let checker = paydesk::orders::Checker::system();
        refund::follow_open(&store, &quick, &ctx, &checker)
            .await
            .expect("followed")
    });
    assert_eq!(followed.len(), 1);
    let (_, after) = &followed[0];
    assert!(after.resent);
    assert_eq!(after.refund.unique_request_id, first_id);
    assert_eq!(after.refund.state, RefundState::Pending, "{after:?}");
    let held = drill.emu.refunds("TIMEREF1");
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0].unique_request_id, first_id);
}

#[test]
fn an_over_refund_is_refused_before_sending_when_the_history_knows_the_order() {
    let drill = Drill::new();
    drill.order("OVERREF1", true);
    let out = drill.run(&[
        "refund", "OVERREF1", "--amount", "30500.01", "--reason", "too much",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Nothing was sent") && stderr.contains("at most 30500.00 rupees"),
        "{stderr}"
    );
    assert!(drill.emu.refunds("OVERREF1").is_empty());
    assert!(
        drill
            .store()
            .refunds_of("OVERREF1")
            .expect("rows")
            .is_empty()
    );

    // A partial refund, then all that is left, then nothing is left.
    let out = drill.run(&["refund", "OVERREF1", "--amount", "500", "--reason", "part"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = drill.run(&["refund", "OVERREF1", "--reason", "the rest", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(answer["refund"]["amount_paise"], json!(3_000_000));
    let out = drill.run(&["refund", "OVERREF1", "--amount", "1", "--reason", "more"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nothing is left to refund"));
    let held = drill.emu.refunds("OVERREF1");
    assert_eq!(
        held.iter().map(|r| r.amount_paise).sum::<u64>(),
        3_050_000,
        "{held:?}"
    );
}

#[test]
fn an_over_refund_of_an_order_the_history_does_not_know_is_refused_by_juspay() {
    let drill = Drill::new();
    // Created by another till: this history has no row for it.
    let other = client(drill.emu.base_url(), Duration::from_secs(30));
    let body: Map<String, Value> = match json!({
        "order_id": "ELSEWHERE1", "amount": "100.00", "customer_id": "c9",
        "customer_email": "b@example.com", "customer_phone": "9999999998",
        "payment_page_client_id": "client_id", "action": "paymentPage",
        "return_url": "https://example.com/"
    }) {
        Value::Object(map) => map,
        _ => unreachable!("literal object"),
    };
    drill
        .runtime
        .block_on(other.create_session(&body, &Client::new_request_id()))
        .expect("created elsewhere");
    assert_eq!(
        drill.emu.settle("ELSEWHERE1", true).as_deref(),
        Some("CHARGED")
    );
    let out = drill.run(&[
        "refund",
        "ELSEWHERE1",
        "--amount",
        "150",
        "--reason",
        "too much",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("invalid.amount.exceeded"),
        "{}",
        text(&out.stderr)
    );
    assert!(drill.emu.refunds("ELSEWHERE1").is_empty());
    let rows = drill.store().refunds_of("ELSEWHERE1").expect("rows");
    assert_eq!(rows.len(), 1, "the attempt is recorded: {rows:?}");
    assert_eq!(rows[0].state, RefundState::Rejected);
}

#[test]
fn a_refund_of_an_unpaid_order_is_refused_with_a_clear_message() {
    let drill = Drill::new();
    drill.order("UNPAID1", false);
    let out = drill.run(&["refund", "UNPAID1", "--reason", "changed mind"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("order UNPAID1 is not paid (status NEW): there is nothing to refund"),
        "{stderr}"
    );
    assert!(drill.emu.refunds("UNPAID1").is_empty());
    assert!(
        drill
            .store()
            .refunds_of("UNPAID1")
            .expect("rows")
            .is_empty()
    );
}

#[test]
fn the_lender_profile_of_the_order_restricts_refunds_and_a_reason_is_required() {
    let drill = Drill::new();
    let profiles = drill.home.path().join("config/paydesk/profiles");
    std::fs::create_dir_all(&profiles).expect("profiles dir");
    std::fs::write(
        profiles.join("noref.toml"),
        "name = \"noref\"\nrefunds = \"none\"\n",
    )
    .expect("profile");
    std::fs::write(
        profiles.join("whole.toml"),
        "name = \"whole\"\nrefunds = \"full\"\n",
    )
    .expect("profile");
    for (order_id, profile) in [("POLICY1", "noref"), ("POLICY2", "whole")] {
        let out = drill
            .cmd()
            .args(["--profile", profile, "create", "--from"])
            .arg(sample())
            .args(["--set", &format!("order_id={order_id}")])
            .output()
            .expect("create");
        assert!(out.status.success(), "create: {}", text(&out.stderr));
        assert_eq!(drill.emu.settle(order_id, true).as_deref(), Some("CHARGED"));
    }
    let out = drill.run(&["refund", "POLICY1", "--reason", "   "]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--reason is required"));
    // The order's own lender decides, whichever profile is in effect now.
    let out = drill.run(&["refund", "POLICY1", "--reason", "cancel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("allows no refunds from paydesk"),
        "{}",
        text(&out.stderr)
    );
    let out = drill.run(&["refund", "POLICY2", "--amount", "10", "--reason", "part"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("allows only a full refund"));
    assert!(drill.emu.refunds("POLICY1").is_empty());
    assert!(drill.emu.refunds("POLICY2").is_empty());
    let out = drill.run(&["refund", "POLICY2", "--reason", "cancel the loan"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(drill.emu.refunds("POLICY2")[0].amount_paise, 3_050_000);
}
