//! `paydesk history …` run as the real binary, with HOME and the XDG directories in a
//! temporary directory and no JUSPAY_*/PAYDESK_* variables from the person running tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use paydesk::emulator::{DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::{CreatedOrder, NewOrder, Outcome, Store};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::orders::reconcile::settle_now;
use paydesk::orders::state::Evidence;
use paydesk::orders::{self, OrderContext};
use paydesk::secret::ApiKey;
use serde_json::{Map, Value, json};
use tempfile::TempDir;

mod common;

fn paydesk(home: &Path) -> Command {
    let mut cmd = common::paydesk(home);
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// Where the binary keeps its history under `home` (checked by the first test).
fn db_path(home: &Path) -> PathBuf {
    home.join("data").join("paydesk").join("history.db")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(home: &Path, args: &[&str]) -> Run {
    let output = paydesk(home).args(args).output().expect("run paydesk");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn new_order(order_id: &str, name: &str, env: &str, host: &str) -> NewOrder {
    NewOrder {
        environment: env.into(),
        base_host: host.into(),
        merchant_id: "acme".into(),
        profile: "travel".into(),
        order_id: order_id.into(),
        request_id: format!("req-{order_id}"),
        amount: "30500.00".into(),
        currency: "INR".into(),
        customer_id: "c1".into(),
        customer_name: name.into(),
        customer_phone: "9876543210".into(),
        customer_email: "someone@example.com".into(),
        request_body: format!(r#"{{"order_id":"{order_id}","amount":"30500.00"}}"#),
        ..NewOrder::default()
    }
}

/// Records `evidence` on row `id` through the order state machine.
fn record(store: &Store, id: i64, evidence: Evidence) {
    settle_now(store, id, None, |_| Some(evidence.clone()))
        .expect("settle")
        .expect("row");
}

/// Three orders: PAID1 (created, CHARGED), BAD1 (rejected), NEW1 (created, NEW; newest).
fn seeded() -> (TempDir, Store) {
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let sandbox = |id: &str, name: &str| new_order(id, name, "sandbox", "sandbox.juspay.in");
    let paid = store
        .insert_sending(&sandbox("PAID1", "Meera Iyer"))
        .expect("paid");
    let bad = store
        .insert_sending(&sandbox("BAD1", "Ravi Kumar"))
        .expect("bad");
    let new = store
        .insert_sending(&sandbox("NEW1", "Asha Rao"))
        .expect("new");
    let created = |status: &str, n: u32| CreatedOrder {
        juspay_id: Some(format!("ordv2_{n}")),
        payment_link: Some(format!("https://sandbox.juspay.in/pay/{n}")),
        link_expiry: Some("2026-12-01T00:00:00Z".into()),
        status: Some(status.into()),
        response_body: Some(format!(
            r#"{{"id":"ordv2_{n}","sdk_payload":{{"payload":{{"clientAuthToken":"tkn_SECRET{n}"}}}}}}"#
        )),
    };
    record(&store, paid, Evidence::OrderSeen(created("NEW", 1)));
    record(&store, paid, Evidence::OrderSeen(created("CHARGED", 1)));
    let refused = Evidence::CreateRefused {
        reason: "Juspay rejected the request".into(),
    };
    record(&store, bad, refused);
    record(&store, new, Evidence::OrderSeen(created("NEW", 3)));
    (home, store)
}

#[test]
fn a_fresh_history_is_empty_and_lives_in_the_data_directory() {
    let home = tempfile::tempdir().expect("home");
    let r = run(home.path(), &["history"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("No orders in the history yet."),
        "{}",
        r.stdout
    );
    assert!(
        db_path(home.path()).exists(),
        "history.db in the data directory"
    );
}

#[test]
fn the_list_is_newest_first_with_status_and_customer() {
    let (home, _store) = seeded();
    let r = run(home.path(), &["history"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].contains("ORDER ID") && lines[0].contains("STATUS"),
        "{}",
        r.stdout
    );
    assert!(lines[1].contains("NEW1") && lines[1].contains("NEW") && lines[1].contains("Asha Rao"));
    assert!(lines[2].contains("BAD1") && lines[2].contains("rejected"));
    assert!(lines[3].contains("PAID1") && lines[3].contains("CHARGED"));
    assert!(lines[3].contains("30500.00 INR") && lines[3].contains("sandbox"));
}

/// Columns are measured in terminal cells: a long CJK name (two cells a character) is cut
/// to its column in cells and the columns after it stay in line; an amount is never cut.
#[test]
fn the_table_keeps_its_columns_with_wide_names_and_whole_amounts() {
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let wide = "陈伟陈伟陈伟陈伟陈伟陈伟陈伟陈伟";
    let mut big = new_order("BIG1", "Asha Rao", "sandbox", "sandbox.juspay.in");
    big.amount = "12345678901234567890.00".into();
    store.insert_sending(&big).expect("big");
    store
        .insert_sending(&new_order("WIDE1", wide, "sandbox", "sandbox.juspay.in"))
        .expect("wide");
    let r = run(home.path(), &["history"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    // Where PHONE starts, in cells, on every line.
    let phone_at = |line: &str| {
        let at = line.find("9876543210").or_else(|| line.find("PHONE"));
        paydesk::text::width(&line[..at.expect("a phone column")])
    };
    assert_eq!(phone_at(lines[1]), phone_at(lines[0]), "{}", r.stdout);
    assert_eq!(phone_at(lines[2]), phone_at(lines[0]), "{}", r.stdout);
    assert!(
        lines[1].contains("陈伟陈伟") && lines[1].contains('…'),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("12345678901234567890.00 INR"),
        "{}",
        r.stdout
    );
}

#[test]
fn json_lists_the_documented_fields_without_bodies() {
    let (home, _store) = seeded();
    let r = run(home.path(), &["history", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).expect("JSON");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 3);
    let first = &list[0];
    for key in [
        "order_id",
        "juspay_id",
        "amount",
        "currency",
        "status",
        "outcome",
        "payment_link",
        "created_at",
        "customer_name",
        "customer_phone",
        "environment",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["order_id"], "NEW1");
    assert_eq!(first["outcome"], "created");
    assert_eq!(first["payment_link"], "https://sandbox.juspay.in/pay/3");
    assert!(first.get("response_body").is_none());
    assert!(!r.stdout.contains("tkn_SECRET"));
}

#[test]
fn search_status_and_limit_narrow_the_list() {
    let (home, _store) = seeded();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["history", "--json"];
        all.extend_from_slice(args);
        let r = run(home.path(), &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let list: Vec<Value> = serde_json::from_str(&r.stdout).expect("JSON");
        list.iter()
            .filter_map(|o| o["order_id"].as_str().map(String::from))
            .collect()
    };
    assert_eq!(ids(&["--search", "IYER"]), ["PAID1"]);
    assert_eq!(ids(&["--search", "1"]).len(), 3);
    assert_eq!(ids(&["--status", "charged"]), ["PAID1"]);
    assert_eq!(ids(&["--status", "rejected"]), ["BAD1"]);
    // What the desk shows, in any case (issue 13).
    for word in ["paid", "PAID", "Charged"] {
        assert_eq!(ids(&["--status", word]), ["PAID1"], "{word}");
    }
    assert_eq!(ids(&["--status", "New"]), ["NEW1"]);
    assert!(ids(&["--status", "failed"]).is_empty());
    let r = run(home.path(), &["history", "--status", "payed"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown status \"payed\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("paid, failed, sending, unknown, created, rejected, not_created"),
        "{}",
        r.stderr
    );
    assert_eq!(ids(&["--limit", "1"]), ["NEW1"]);
    let r = run(home.path(), &["history", "--limit", "1"]);
    assert!(
        r.stdout.contains("Showing the newest 1 of 3 orders"),
        "{}",
        r.stdout
    );
    let r = run(home.path(), &["history", "--search", "nobody"]);
    assert!(r.stdout.contains("No orders match."), "{}", r.stdout);
    let r = run(home.path(), &["history", "--limit", "0"]);
    assert_eq!(r.code, 2);
}

#[test]
fn show_prints_one_order_in_full_with_the_token_masked() {
    let (home, _store) = seeded();
    let r = run(home.path(), &["history", "show", "PAID1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for expected in [
        "PAID1",
        "CHARGED",
        "https://sandbox.juspay.in/pay/1",
        "ordv2_1",
        "req-PAID1",
    ] {
        assert!(
            r.stdout.contains(expected),
            "missing {expected}: {}",
            r.stdout
        );
    }
    assert!(
        r.stdout.contains("\"clientAuthToken\": \"***\""),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("tkn_SECRET"));

    let r = run(home.path(), &["history", "show", "PAID1", "--qr"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\u{1b}[38;5;16;48;5;231m") || r.stdout.contains("48;5;231"));

    let r = run(home.path(), &["history", "show", "NOPE"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no order \"NOPE\""), "{}", r.stderr);
}

#[test]
fn export_writes_a_csv_file_of_every_order() {
    let (home, _store) = seeded();
    let file = home.path().join("orders.csv");
    let r = run(
        home.path(),
        &["history", "export", "--csv", file.to_str().expect("utf-8")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Exported 3 orders"), "{}", r.stdout);
    let text = std::fs::read_to_string(&file).expect("csv");
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[1].contains(",PAID1,"));
    assert!(!text.contains("tkn_SECRET"));
}

#[test]
fn forget_needs_yes_and_then_deletes() {
    let (home, store) = seeded();
    let r = run(home.path(), &["history", "forget", "BAD1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("paydesk history forget BAD1 --yes"),
        "{}",
        r.stderr
    );
    assert!(store.latest_by_order_id("BAD1").expect("get").is_some());

    let r = run(home.path(), &["history", "forget", "BAD1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Forgot order BAD1"));
    assert!(store.latest_by_order_id("BAD1").expect("get").is_none());

    let r = run(home.path(), &["history", "forget", "BAD1", "--yes"]);
    assert_eq!(r.code, 2);
}

#[test]
fn refresh_in_demo_says_which_environment_to_use() {
    let (home, _store) = seeded();
    let r = run(home.path(), &["--demo", "history", "refresh"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--env sandbox"), "{}", r.stderr);
}

fn body(order_id: &str) -> Map<String, Value> {
    match json!({
        "order_id": order_id, "amount": "100.00", "customer_id": "c9",
        "customer_email": "c9@example.com", "customer_phone": "9000000009",
        "payment_page_client_id": DEMO_CLIENT_ID, "action": "paymentPage"
    }) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[test]
fn refresh_reconciles_stale_rows_and_writes_statuses_back() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emu");
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let config = ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    );
    let client = Client::new(config).expect("client");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");

    let (paid, open, stale) = runtime.block_on(async {
        let paid = orders::submit(Some(&store), &client, &ctx, body("REF1"))
            .await
            .expect("1");
        let open = orders::submit(Some(&store), &client, &ctx, body("REF2"))
            .await
            .expect("2");
        // REF3 reached the emulator, but its process died before recording the answer.
        orders::submit(None, &client, &ctx, body("REF3"))
            .await
            .expect("3");
        let stale = store.insert_sending(&orders::new_order(&ctx, &body("REF3"), "r3"));
        (paid.history_id, open.history_id, stale.expect("stale"))
    });
    rusqlite::Connection::open(db_path(home.path()))
        .expect("raw")
        .execute(
            "UPDATE orders SET created_at = '2000-01-01T00:00:00.000Z' WHERE id = ?1",
            [stale],
        )
        .expect("age the row");
    store
        .insert_sending(&new_order("OTHER1", "X", "sandbox", "sandbox.juspay.in"))
        .expect("o");
    let other = store
        .latest_by_order_id("OTHER1")
        .expect("get")
        .expect("row");
    let cancelled = Evidence::NoAnswer {
        reason: "cancelled".into(),
    };
    record(&store, other.id, cancelled);
    assert_eq!(emulator.settle("REF1", true).as_deref(), Some("CHARGED"));

    let output = paydesk(home.path())
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .args([
            "--base-url",
            emulator.base_url(),
            "--merchant-id",
            DEMO_MERCHANT_ID,
        ])
        .args(["history", "refresh"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("REF1  NEW -> CHARGED"), "{stdout}");
    assert!(stdout.contains("REF2  NEW (no change)"), "{stdout}");
    assert!(stdout.contains("REF3  sending -> NEW"), "{stdout}");
    assert!(stdout.contains("belong to environment sandbox"), "{stdout}");

    let row = |id: Option<i64>| store.get(id.expect("id")).expect("get").expect("row");
    assert_eq!(row(paid).status.as_deref(), Some("CHARGED"));
    assert_eq!(row(open).status.as_deref(), Some("NEW"));
    let stale = row(Some(stale));
    assert_eq!(stale.outcome, Outcome::Created);
    assert_eq!(stale.status.as_deref(), Some("NEW"));
    assert_eq!(
        row(Some(other.id)).outcome,
        Outcome::Unknown,
        "other places are not touched"
    );
    drop(emulator);
}

#[test]
fn create_and_status_reconcile_interrupted_sends_first() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emu");
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let config = ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    );
    let client = Client::new(config).expect("client");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    // Two sends that reached the emulator. LOST1's process died before recording; LOST2
    // is owned by a live process (this test) whose lease still runs.
    let mut stale = Vec::new();
    for order_id in ["LOST1", "LOST2"] {
        runtime
            .block_on(orders::submit(None, &client, &ctx, body(order_id)))
            .expect("sent");
        let mut row = orders::new_order(&ctx, &body(order_id), "r");
        if order_id == "LOST2" {
            row.owner = Some(orders::this_process());
            row.lease = Duration::from_secs(3600);
        }
        stale.push(store.insert_sending(&row).expect("row"));
    }
    let raw = rusqlite::Connection::open(db_path(home.path())).expect("raw");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/generic.json");
    let base = [
        "--base-url",
        emulator.base_url(),
        "--merchant-id",
        DEMO_MERCHANT_ID,
    ];

    let output = paydesk(home.path())
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .args(base)
        .arg("create")
        .arg("--from")
        .arg(&sample)
        .args(["--set", "order_id=FRESH1", "--json"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("An earlier order was still open: LOST1  sending -> NEW"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        serde_json::from_str::<Value>(&stdout).is_ok(),
        "stdout stays JSON: {stdout}"
    );
    let row = |id: i64| store.get(id).expect("get").expect("row");
    assert_eq!(row(stale[0]).outcome, Outcome::Created);
    assert_eq!(
        row(stale[1]).outcome,
        Outcome::Sending,
        "a live sender within its lease is left alone"
    );

    raw.execute(
        "UPDATE orders SET lease_until = '2000-01-01T00:00:00.000Z' WHERE id = ?1",
        [stale[1]],
    )
    .expect("end the lease");
    let output = paydesk(home.path())
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .args(base)
        .args(["status", "FRESH1"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("LOST2  sending -> NEW"), "{stderr}");
    assert_eq!(row(stale[1]).outcome, Outcome::Created);
    drop(emulator);
}
