//! Order-truth drills (issue 10): each race or misleading answer, reproduced with the
//! emulator's race faults and real `paydesk` processes where the process matters.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use paydesk::emulator::{
    CallRecord, DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID, Emulator, EmulatorConfig,
};
use paydesk::history::{OrderRow, Outcome, Store};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::orders::{self, Checker, OrderContext, Recheck, Reconciled};
use paydesk::secret::ApiKey;
use serde_json::{Map, Value, json};

fn db_path(home: &Path) -> PathBuf {
    home.join("data").join("paydesk").join("history.db")
}

fn client(base_url: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base_url, DEMO_MERCHANT_ID, ApiKey::new(DEMO_API_KEY));
    config.request_timeout = timeout;
    config.connect_timeout = Duration::from_secs(2);
    Client::new(config).expect("client")
}

fn body(order_id: &str, customer_id: Option<&str>) -> Map<String, Value> {
    let mut value = json!({
        "order_id": order_id, "amount": "30500.00", "currency": "INR",
        "customer_email": "meera@example.com", "customer_phone": "9876543210",
        "customer_first_name": "Meera", "payment_page_client_id": DEMO_CLIENT_ID,
        "action": "paymentPage", "return_url": "https://shop.example.com/done"
    });
    if let (Some(id), Value::Object(map)) = (customer_id, &mut value) {
        map.insert("customer_id".into(), Value::from(id));
    }
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `paydesk` for `home`, talking to `base_url` with the demo credentials.
fn paydesk(home: &Path, base_url: &str) -> assert_cmd::Command {
    let mut cmd = common::paydesk(home);
    cmd.timeout(Duration::from_secs(90))
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .args(["--base-url", base_url, "--merchant-id", DEMO_MERCHANT_ID]);
    cmd
}

/// A row for `order_id` as a process that died mid-send leaves it: `sending`, no owner.
fn orphan_row(store: &Store, ctx: &OrderContext, order_id: &str) -> i64 {
    let row = orders::new_order(ctx, &body(order_id, Some("CUST1")), "r");
    store.insert_sending(&row).expect("row")
}

fn row(store: &Store, id: i64) -> OrderRow {
    store.get(id).expect("get").expect("row")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

#[test]
fn restart_while_juspay_is_unreachable_then_reachable_settles_at_the_following_start() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let ctx = OrderContext::new("custom", &base, DEMO_MERCHANT_ID, "generic");
    let id = orphan_row(&store, &ctx, "UNREACH1");

    // Nothing listens: the start-up check fails and settles nothing.
    let out = paydesk(home.path(), &base)
        .args(["status", "UNREACH1"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let open = row(&store, id);
    assert!(open.outcome.is_open(), "{open:?}");
    assert!(
        open.send
            .last_check
            .as_deref()
            .is_some_and(|c| c.contains("check failed")),
        "{open:?}"
    );

    // Juspay is back (it had received the order); any later start settles the row.
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig {
            port,
            ..EmulatorConfig::default()
        }))
        .expect("emulator");
    let juspay = client(&base, Duration::from_secs(10));
    runtime
        .block_on(orders::submit(
            None,
            &juspay,
            &ctx,
            body("UNREACH1", Some("CUST1")),
        ))
        .expect("order at Juspay");
    let out = paydesk(home.path(), &base)
        .args(["status", "NOSUCH1"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("UNREACH1"), "{stderr}");
    let settled = row(&store, id);
    assert_eq!(settled.outcome, Outcome::Created, "{settled:?}");
    assert_eq!(settled.status.as_deref(), Some("NEW"));
    drop(emulator);
}

#[test]
fn a_plain_404_during_refresh_keeps_the_row_open_and_says_why() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let id = orphan_row(&store, &ctx, "PROXY1");
    // A proxy (or a wrong path prefix) answers every Order Status call with its own 404.
    emulator.set_plain_404_prefix(Some("/orders"));
    let out = paydesk(home.path(), emulator.base_url())
        .args(["history", "refresh"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("PROXY1  still open, check failed") && stdout.contains("404"),
        "{stdout}"
    );
    let open = row(&store, id);
    assert!(
        open.outcome.is_open(),
        "a plain 404 proves nothing: {open:?}"
    );
    assert!(open.send.last_check_at.is_some());
    drop(emulator);
}

#[test]
fn a_short_timeout_process_leaves_a_slow_in_flight_send_alone() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    // The order is answered after 4 s and only committed 3 s after it arrived.
    emulator.set_latency(Duration::from_secs(4));
    emulator.set_commit_delay(Some(Duration::from_secs(3)));
    let home = tempfile::tempdir().expect("home");
    let config = |name: &str, secs: u64| {
        let path = home.path().join(name);
        std::fs::write(&path, format!("request_timeout_secs = {secs}\n")).expect("config");
        path
    };
    let (slow, hasty) = (config("slow.toml", 30), config("hasty.toml", 1));
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/generic.json");
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("paydesk"));
    first
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .arg("--config")
        .arg(&slow)
        .args([
            "--base-url",
            emulator.base_url(),
            "--merchant-id",
            DEMO_MERCHANT_ID,
        ])
        .arg("create")
        .arg("--from")
        .arg(&sample)
        .args(["--set", "order_id=SLOW1", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let first = first.spawn().expect("first paydesk");
    // The scenario's precondition: the request is at the server, and the row is older
    // than the second process's whole timeout.
    runtime.block_on(async {
        let arrived = async {
            while emulator.pending_count() == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(30), arrived)
            .await
            .expect("the first send reaches the emulator");
        tokio::time::sleep(Duration::from_millis(1200)).await;
    });
    let store = Store::open(&db_path(home.path())).expect("store");
    let id = store
        .latest_by_order_id("SLOW1")
        .expect("q")
        .expect("row before send")
        .id;
    let second = common::paydesk(home.path())
        .timeout(Duration::from_secs(60))
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .arg("--config")
        .arg(&hasty)
        .args([
            "--base-url",
            emulator.base_url(),
            "--merchant-id",
            DEMO_MERCHANT_ID,
        ])
        .args(["history", "refresh"])
        .output()
        .expect("second paydesk");
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("SLOW1  still open: another paydesk process is sending it"),
        "{stdout}"
    );
    assert_eq!(row(&store, id).outcome, Outcome::Sending, "untouched");

    let first = first.wait_with_output().expect("first finishes");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert_eq!(first.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("payment_links"), "{stdout}");
    let recorded = row(&store, id);
    assert_eq!(recorded.outcome, Outcome::Created, "{recorded:?}");
    assert!(recorded.payment_link.is_some());
    drop(emulator);
}

#[test]
fn status_id_records_what_it_learns_in_the_row() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let juspay = client(emulator.base_url(), Duration::from_secs(10));
    runtime
        .block_on(orders::submit(
            None,
            &juspay,
            &ctx,
            body("STAT1", Some("CUST1")),
        ))
        .expect("order at Juspay");
    // Its sender died a moment ago, before recording the answer.
    let id = orphan_row(&store, &ctx, "STAT1");
    let status = |expected: &str| {
        let out = paydesk(home.path(), emulator.base_url())
            .args(["status", "STAT1"])
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(expected), "{stdout}");
        row(&store, id)
    };
    let found = status("NEW");
    assert_eq!(found.outcome, Outcome::Created, "{found:?}");
    assert_eq!(found.status.as_deref(), Some("NEW"));
    assert_eq!(emulator.settle("STAT1", true).as_deref(), Some("CHARGED"));
    let paid = status("CHARGED");
    assert_eq!(paid.status.as_deref(), Some("CHARGED"));
    assert!(paid.send.last_check.is_some_and(|c| c.contains("CHARGED")));
    drop(emulator);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_order_status_call_carries_the_routing_id_of_its_order() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let mut calls = emulator.subscribe();
    let store = Store::open_in_memory().expect("store");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let juspay = client(emulator.base_url(), Duration::from_secs(10));
    let checker = Checker::system();
    let mut expected = Vec::new();
    for (order_id, customer) in [("ROUTE1", Some("CUST7")), ("ROUTE2", Some("CUST8"))] {
        let sent = orders::submit(Some(&store), &juspay, &ctx, body(order_id, customer))
            .await
            .expect("sent");
        let id = sent.history_id.expect("row");
        // Desk polling, a row check, the command's lookup, and the open-row re-check.
        orders::poll(Some(&store), &juspay, Some(id), order_id)
            .await
            .expect("poll");
        let row = row(&store, id);
        orders::check_row(&store, &juspay, &checker, &row)
            .await
            .expect("check");
        let found = orders::row_for(&store, &ctx, order_id).await.expect("row");
        let (answer, _) =
            orders::check_status(Some(&store), &juspay, &checker, order_id, found.as_ref())
                .await
                .expect("status");
        assert!(answer.is_ok(), "{answer:?}");
        expected.extend(std::iter::repeat_n(order_id, 3));
    }
    orders::recheck(&store, &juspay, &ctx, &checker, Recheck::OpenAndUnpaid)
        .await
        .expect("recheck");
    expected.extend(["ROUTE2", "ROUTE1"]);

    let mut seen: Vec<CallRecord> = Vec::new();
    while let Ok(call) = calls.try_recv() {
        seen.push(call);
    }
    let status_calls: Vec<&CallRecord> = seen.iter().filter(|c| c.method == "GET").collect();
    assert_eq!(status_calls.len(), expected.len(), "{seen:#?}");
    for call in status_calls {
        let order_id = call.order_id.as_deref().unwrap_or_default();
        let wanted = if order_id == "ROUTE1" {
            "CUST7"
        } else {
            "CUST8"
        };
        assert_eq!(call.routing_id.as_deref(), Some(wanted), "{call:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_then_a_late_commit_ends_created_and_never_not_created() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    emulator.set_latency(Duration::from_secs(30));
    emulator.set_commit_delay(Some(Duration::from_secs(3600)));
    let store = Store::open_in_memory().expect("store");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let juspay = client(emulator.base_url(), Duration::from_secs(60));
    let send = tokio::spawn({
        let (store, juspay, ctx) = (store.clone(), juspay.clone(), ctx.clone());
        async move { orders::submit(Some(&store), &juspay, &ctx, body("ESC1", Some("C1"))).await }
    });
    let arrived = async {
        while emulator.pending_count() == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), arrived)
        .await
        .expect("the send reaches the emulator");
    // The clerk presses Esc: the desk stops waiting and asks Order Status at once.
    send.abort();
    assert!(send.await.is_err(), "cancelled");
    emulator.set_latency(Duration::ZERO);
    let id = store
        .latest_by_order_id("ESC1")
        .expect("q")
        .expect("row before send")
        .id;
    let checker = Checker::system();
    let (_, found) = orders::reconcile(&store, &juspay, &checker, id)
        .await
        .expect("check")
        .expect("row");
    assert!(
        matches!(found, Reconciled::NotYet),
        "never 'not created' while the send may land: {found:?}"
    );
    assert_eq!(row(&store, id).outcome, Outcome::Unknown);
    assert!(!row(&store, id).outcome.may_resend_safely());

    // Juspay commits it a moment later; the next re-check finds it.
    assert_eq!(emulator.commit_pending(None), 1);
    let report = orders::recheck(&store, &juspay, &ctx, &checker, Recheck::Open)
        .await
        .expect("recheck");
    assert!(
        matches!(report.as_slice(), [(_, Reconciled::Found(_))]),
        "{report:?}"
    );
    assert_eq!(row(&store, id).outcome, Outcome::Created);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_answered_already_exists_shows_the_order_juspay_holds() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    emulator.set_reject_duplicates(true);
    let store = Store::open_in_memory().expect("store");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let juspay = client(emulator.base_url(), Duration::from_secs(10));
    let first = orders::submit(Some(&store), &juspay, &ctx, body("DUP1", Some("C1")))
        .await
        .expect("first");
    let first_id = first.result.as_ref().expect("created").id.clone();
    // The same order sent again (same order id: Juspay's idempotency key).
    let again = orders::submit(Some(&store), &juspay, &ctx, body("DUP1", Some("C1")))
        .await
        .expect("again");
    assert!(again.existing, "{again:?}");
    let shown = again.result.as_ref().expect("shows that order");
    assert_eq!(shown.id, first_id);
    assert!(shown.web_link().is_some());
    assert_eq!(again.outcome, Some(Outcome::Created));
    assert_eq!(emulator.order_count(), 1, "no second order");

    // Another order under a taken id is not that order.
    let mut other = body("DUP1", Some("C1"));
    other.insert("amount".into(), Value::from("99.00"));
    let taken = orders::submit(Some(&store), &juspay, &ctx, other)
        .await
        .expect("taken");
    assert!(taken.result.is_err());
    assert_eq!(taken.outcome, Some(Outcome::Rejected));
}
