//! `orders::submit`, `reconcile`, `recheck` and `check_row` against the in-process
//! emulator, with the history in a temporary file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use paydesk::emulator::{
    DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID, Emulator, EmulatorConfig, Fault,
};
use paydesk::history::{OrderRow, Outcome, Store};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::orders::{self, Checker, OrderContext, Recheck, Reconciled};
use paydesk::secret::ApiKey;
use serde_json::{Map, Value, json};

struct Desk {
    _dir: tempfile::TempDir,
    db: PathBuf,
    store: Store,
    emulator: Emulator,
    client: Client,
    ctx: OrderContext,
}

async fn desk() -> Desk {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("data").join("history.db");
    let store = Store::open(&db).expect("store");
    let client = client(emulator.base_url(), DEMO_API_KEY, Duration::from_secs(10));
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    Desk {
        _dir: dir,
        db,
        store,
        emulator,
        client,
        ctx,
    }
}

fn client(base_url: &str, key: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base_url, DEMO_MERCHANT_ID, ApiKey::new(key));
    config.request_timeout = timeout;
    config.connect_timeout = Duration::from_secs(2);
    Client::new(config).expect("client")
}

fn body(order_id: &str) -> Map<String, Value> {
    let value = json!({
        "order_id": order_id,
        "amount": "30500.00",
        "currency": "INR",
        "customer_id": "CUST1",
        "customer_email": "meera@example.com",
        "customer_phone": "9876543210",
        "customer_first_name": "Meera",
        "customer_last_name": "Iyer",
        "payment_page_client_id": DEMO_CLIENT_ID,
        "action": "paymentPage",
        "options.get_client_auth_token": "true",
        "return_url": "https://shop.example.com/done"
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn row(store: &Store, id: Option<i64>) -> OrderRow {
    store
        .get(id.expect("history id"))
        .expect("get")
        .expect("row exists")
}

/// Every byte of the database and its WAL/shared-memory files.
fn db_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        if let Ok(content) = std::fs::read(PathBuf::from(path)) {
            bytes.extend(content);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_created_order_is_recorded_without_the_key_or_the_client_auth_token() {
    let d = desk().await;
    let submitted = orders::submit(Some(&d.store), &d.client, &d.ctx, body("HIST001"))
        .await
        .expect("recorded");
    let response = submitted.result.clone().expect("created");
    assert!(submitted.record_error.is_none());
    let token = response
        .sdk_payload
        .as_ref()
        .and_then(|p| p.pointer("/payload/clientAuthToken"))
        .and_then(Value::as_str)
        .expect("the emulator sends a clientAuthToken")
        .to_string();
    assert!(token.len() >= 8, "a real token to look for: {token}");

    let row = row(&d.store, submitted.history_id);
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.order_id, "HIST001");
    assert_eq!(row.request_id, submitted.request_id);
    assert_eq!(row.juspay_id, response.id);
    assert_eq!(row.payment_link.as_deref(), response.web_link());
    assert!(row.link_expiry.is_some());
    assert_eq!(row.status.as_deref(), Some("NEW"));
    assert_eq!(row.customer_name, "Meera Iyer");
    assert_eq!(row.base_host, orders::base_host(d.emulator.base_url()));
    assert!(
        row.response_body
            .as_deref()
            .is_some_and(|b| b.contains("***"))
    );

    let bytes = db_bytes(&d.db);
    assert!(
        contains(&bytes, "HIST001"),
        "the check reads the real files"
    );
    assert!(
        !contains(&bytes, DEMO_API_KEY),
        "the API key is in the history files"
    );
    assert!(
        !contains(&bytes, &token),
        "an unmasked clientAuthToken is in the history files"
    );
}

#[tokio::test]
async fn a_400_is_recorded_as_rejected_with_the_fields() {
    let d = desk().await;
    let mut bad = body("HIST002");
    bad.remove("customer_email");
    let submitted = orders::submit(Some(&d.store), &d.client, &d.ctx, bad)
        .await
        .expect("ok");
    assert!(submitted.result.is_err());
    let row = row(&d.store, submitted.history_id);
    assert_eq!(row.outcome, Outcome::Rejected);
    assert!(
        row.error
            .as_deref()
            .is_some_and(|e| e.contains("customer_email")),
        "{row:?}"
    );
}

#[tokio::test]
async fn a_refused_key_is_recorded_as_rejected() {
    let d = desk().await;
    let wrong = client(
        d.emulator.base_url(),
        "not-the-key",
        Duration::from_secs(10),
    );
    let submitted = orders::submit(Some(&d.store), &wrong, &d.ctx, body("HIST003")).await;
    let submitted = submitted.expect("ok");
    assert_eq!(
        row(&d.store, submitted.history_id).outcome,
        Outcome::Rejected
    );
    assert!(!contains(&db_bytes(&d.db), "not-the-key"));
}

#[tokio::test]
async fn a_request_that_never_left_is_certainly_not_created() {
    let d = desk().await;
    // A port nobody listens on: bind, note it, close it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let nowhere = client(
        &format!("http://127.0.0.1:{port}"),
        DEMO_API_KEY,
        Duration::from_secs(5),
    );
    let submitted = orders::submit(Some(&d.store), &nowhere, &d.ctx, body("HIST004")).await;
    let row = row(&d.store, submitted.expect("ok").history_id);
    assert_eq!(row.outcome, Outcome::NotCreated);
    assert!(
        row.error
            .as_deref()
            .is_some_and(|e| e.starts_with("not sent")),
        "{row:?}"
    );
}

/// This process, with the clock `ahead` of now (past every lease with an hour).
fn checker_ahead(ahead: Duration) -> Checker {
    let mut checker = Checker::system();
    let ahead = time::Duration::try_from(ahead).expect("duration");
    checker.now = std::sync::Arc::new(move || time::OffsetDateTime::now_utc() + ahead);
    checker
}

#[tokio::test]
async fn a_timeout_is_unknown_and_reconciles_to_created() {
    let d = desk().await;
    d.emulator.set_latency(Duration::from_millis(1500));
    let hasty = client(
        d.emulator.base_url(),
        DEMO_API_KEY,
        Duration::from_millis(300),
    );
    let submitted = orders::submit(Some(&d.store), &hasty, &d.ctx, body("HIST005")).await;
    let submitted = submitted.expect("ok");
    assert!(
        submitted
            .result
            .as_ref()
            .is_err_and(|e| e.order_may_exist())
    );
    assert_eq!(
        row(&d.store, submitted.history_id).outcome,
        Outcome::Unknown
    );

    d.emulator.set_latency(Duration::ZERO);
    let id = submitted.history_id.expect("id");
    let (_, found) = orders::reconcile(&d.store, &d.client, &Checker::system(), id)
        .await
        .expect("ok")
        .expect("row");
    assert!(matches!(found, Reconciled::Found(_)), "{found:?}");
    let row = row(&d.store, Some(id));
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.status.as_deref(), Some("NEW"));
    assert!(
        row.juspay_id.is_some() && row.payment_link.is_some(),
        "{row:?}"
    );
    assert!(row.error.is_none());
    assert!(row.send.last_check_at.is_some(), "{row:?}");
}

#[tokio::test]
async fn juspays_not_found_settles_only_a_send_that_can_no_longer_land() {
    let d = desk().await;
    // Sent by this process, which stopped waiting (Esc): its lease still runs.
    let mut new = orders::new_order(&d.ctx, &body("HIST006"), "req-6");
    new.owner = Some(orders::this_process());
    new.lease = Duration::from_secs(60);
    let id = d.store.insert_sending(&new).expect("insert");
    let (_, found) = orders::reconcile(&d.store, &d.client, &Checker::system(), id)
        .await
        .expect("ok")
        .expect("row");
    assert!(matches!(found, Reconciled::NotYet), "{found:?}");
    let open = row(&d.store, Some(id));
    assert_eq!(
        open.outcome,
        Outcome::Unknown,
        "not at Juspay yet: still open"
    );

    // After the lease, the same answer is proof.
    let later = checker_ahead(Duration::from_secs(3600));
    let found = orders::check_row(&d.store, &d.client, &later, &open)
        .await
        .expect("ok");
    assert!(matches!(found, Reconciled::NotFound), "{found:?}");
    let row = row(&d.store, Some(id));
    assert_eq!(row.outcome, Outcome::NotCreated);
    assert!(
        row.error
            .as_deref()
            .is_some_and(|e| e.starts_with("not created"))
    );
}

#[tokio::test]
async fn a_failed_status_check_leaves_the_row_open_with_the_reason() {
    let d = desk().await;
    let new = orders::new_order(&d.ctx, &body("HIST007"), "req-7");
    let id = d.store.insert_sending(&new).expect("insert");
    d.emulator.set_fault(Some(Fault::Html500));
    let later = checker_ahead(Duration::from_secs(3600));
    let open = row(&d.store, Some(id));
    let found = orders::check_row(&d.store, &d.client, &later, &open)
        .await
        .expect("ok");
    assert!(matches!(found, Reconciled::Failed(_)), "{found:?}");
    let row = row(&d.store, Some(id));
    assert_eq!(row.outcome, Outcome::Unknown);
    assert!(
        row.error
            .as_deref()
            .is_some_and(|e| e.contains("check failed")),
        "{row:?}"
    );
}

#[tokio::test]
async fn a_history_that_cannot_record_stops_the_send() {
    let d = desk().await;
    rusqlite::Connection::open(&d.db)
        .expect("raw")
        .execute_batch("DROP TABLE orders_text; DROP TABLE orders;")
        .expect("break the history");
    let result = orders::submit(Some(&d.store), &d.client, &d.ctx, body("HIST008")).await;
    assert!(result.is_err());
    assert_eq!(
        d.emulator.order_count(),
        0,
        "nothing may be sent without a row"
    );
}

#[tokio::test]
async fn open_rows_of_this_place_are_rechecked_at_start() {
    let d = desk().await;
    // HIST009 reached Juspay but its process died before recording the answer.
    let created = orders::submit(None, &d.client, &d.ctx, body("HIST009"))
        .await
        .expect("ok");
    assert!(created.result.is_ok());
    let died = d
        .store
        .insert_sending(&orders::new_order(&d.ctx, &body("HIST009"), "r9"));
    let died = died.expect("insert");
    // HIST010 never reached Juspay.
    let lost = d
        .store
        .insert_sending(&orders::new_order(&d.ctx, &body("HIST010"), "r10"));
    let lost = lost.expect("insert");
    // A row of another place is not touched.
    let mut elsewhere_ctx = d.ctx.clone();
    elsewhere_ctx.base_host = "sandbox.juspay.in".into();
    let elsewhere = d
        .store
        .insert_sending(&orders::new_order(&elsewhere_ctx, &body("X1"), "x"));
    let elsewhere = elsewhere.expect("insert");

    let checker = Checker::system();
    let done = orders::recheck(&d.store, &d.client, &d.ctx, &checker, Recheck::Open).await;
    let done = done.expect("ok");
    assert_eq!(
        done.iter().map(|(r, _)| r.id).collect::<Vec<_>>(),
        [lost, died]
    );
    assert_eq!(row(&d.store, Some(died)).outcome, Outcome::Created);
    assert_eq!(row(&d.store, Some(lost)).outcome, Outcome::NotCreated);
    assert_eq!(row(&d.store, Some(elsewhere)).outcome, Outcome::Sending);
}

#[tokio::test]
async fn refresh_writes_a_paid_status_back_with_the_time_seen() {
    let d = desk().await;
    let submitted = orders::submit(Some(&d.store), &d.client, &d.ctx, body("HIST011")).await;
    let id = submitted.expect("ok").history_id;
    let before = row(&d.store, id);
    assert_eq!(
        d.emulator.settle("HIST011", true).as_deref(),
        Some("CHARGED")
    );
    let found = orders::check_row(&d.store, &d.client, &Checker::system(), &before)
        .await
        .expect("ok");
    assert!(matches!(found, Reconciled::Found(_)));
    let after = row(&d.store, id);
    assert_eq!(after.status.as_deref(), Some("CHARGED"));
    assert!(after.status_checked_at >= before.status_checked_at);
    assert!(after.is_settled());
    assert!(d.store.non_final(10).expect("non final").is_empty());
}

#[tokio::test]
async fn in_demo_open_rows_of_earlier_emulators_come_out_not_created() {
    let d = desk().await;
    let demo = OrderContext::new("demo", d.emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    // A row from an earlier demo run, whose emulator listened on another port.
    let mut earlier = demo.clone();
    earlier.base_host = "127.0.0.1:1".into();
    let id = d
        .store
        .insert_sending(&orders::new_order(&earlier, &body("DEMO1"), "r"));
    let id = id.expect("insert");
    let checker = Checker::system();
    let done = orders::recheck(&d.store, &d.client, &demo, &checker, Recheck::Open).await;
    assert_eq!(done.expect("ok").len(), 1);
    let row = row(&d.store, Some(id));
    assert_eq!(row.outcome, Outcome::NotCreated);
    assert!(
        row.error
            .as_deref()
            .is_some_and(|e| e.starts_with("not created"))
    );
}
