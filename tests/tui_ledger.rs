//! The desk on the branch ledger (issue 14, items 3 and 6): its send writes the row to the
//! PostgreSQL ledger before the request leaves and its history pane reads from there; with
//! the ledger out of reach a send is refused, nothing reaches Juspay and the form stays.
//!
//! The whole desk on a TestBackend against the in-process emulator. The PostgreSQL test
//! skips without `PAYDESK_TEST_PG_URL` (see `ledger_support`); the other needs no server.

use std::time::Duration;

use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::Outcome;
use paydesk::juspay::{Client, ClientConfig};
use paydesk::ledger::{Ledger, LedgerTarget, PasswordSources, PgLedger};
use paydesk::operator::Operator;
use paydesk::secret::ApiKey;
use paydesk::tui::app::{Screen, Start};
use paydesk::tui::msg::Msg;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;

#[path = "ledger_support/mod.rs"]
mod support;

const WAIT: Duration = Duration::from_secs(10);

/// A desk (generic profile) on `ledger` against a fresh emulator, worked by asha at
/// counter-3.
async fn desk(dir: &tempfile::TempDir, ledger: Ledger) -> (Desk, Emulator) {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let settings = testing::settings(dir.path(), "generic");
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    app.env.base_url = Some(emulator.base_url().to_string());
    app.operator = Operator::new("asha", "counter-3");
    let mut desk = Desk::new(app, settings);
    desk.runner.set_services(client, ledger);
    desk.send(Msg::StoreReady(Ok(())));
    (desk, emulator)
}

fn fill(desk: &mut Desk, order_id: &str) {
    for (key, value) in [
        ("order_id", order_id),
        ("amount", "1250.00"),
        ("customer_id", "CUST-7"),
        ("customer_email", "ravi@example.com"),
        ("customer_phone", "9876543210"),
        ("customer_first_name", "Ravi"),
        ("customer_last_name", "K"),
    ] {
        desk.fill(key, value);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_with_the_branch_ledger_out_of_reach_is_refused_and_keeps_the_form() {
    let dir = tempfile::tempdir().expect("dir");
    let secret = "Hunter2-not-shown";
    // Port 1 on loopback: nothing listens there. The pool connects only when used.
    let url = format!("postgres://paydesk:{secret}@127.0.0.1:1/branch?sslmode=disable");
    let target = LedgerTarget::parse(&url, &PasswordSources::default()).expect("target");
    let ledger = PgLedger::connect_unmigrated(&target).expect("pool");
    let (mut desk, emulator) = desk(&dir, Ledger::Postgres(ledger)).await;
    let mut calls = emulator.subscribe();
    fill(&mut desk, "OUT1");

    desk.ctrl('s');
    assert!(desk.app.send.is_some(), "valid form: the send starts");
    assert!(
        desk.settle_until(WAIT, |a| a.send.is_none()).await,
        "{}",
        desk.screen()
    );
    let notice = desk.app.notice.clone().expect("a notice");
    assert_eq!(notice.title, "Not sent");
    let said = notice.lines.join("\n");
    assert!(
        said.contains("postgres://paydesk:***@127.0.0.1:1/branch"),
        "{said}"
    );
    assert!(said.contains("cannot be reached"), "{said}");
    assert_eq!(desk.app.screen, Screen::Form);
    assert_eq!(
        desk.app.form.form.get("amount"),
        "1250.00",
        "the form stays"
    );
    let screen = desk.screen();
    assert!(!screen.contains(secret) && !said.contains(secret));
    assert_eq!(emulator.order_count(), 0);
    assert!(calls.try_recv().is_err(), "Juspay saw no call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_writes_and_reads_the_branch_ledger() {
    let Some(db) = support::pg_db().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let ledger = PgLedger::connect(&db.target).await.expect("ledger");
    let (mut desk, _emulator) = desk(&dir, Ledger::Postgres(ledger.clone())).await;
    fill(&mut desk, "DESK1");

    desk.ctrl('s');
    assert!(
        desk.settle_until(WAIT, |a| a.screen == Screen::Result)
            .await,
        "{}",
        desk.screen()
    );
    let row = ledger
        .latest_by_order_id("DESK1")
        .await
        .expect("read")
        .expect("the row is in the branch ledger");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(
        (row.operator.as_str(), row.counter.as_str()),
        ("asha", "counter-3")
    );
    // The history pane lists it from the ledger.
    assert!(
        desk.settle_until(WAIT, |a| a
            .history
            .rows
            .iter()
            .any(|r| r.order_id == "DESK1"))
            .await,
        "{}",
        desk.screen()
    );
    let sqlite = testing::settings(dir.path(), "generic").paths.history_db();
    assert!(!sqlite.exists(), "nothing went to SQLite");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_whose_branch_ledger_is_down_at_start_says_so_and_keeps_trying() {
    let dir = tempfile::tempdir().expect("dir");
    let secret = "Hunter2-not-shown";
    let mut settings = testing::settings(dir.path(), "generic");
    settings.ledger.url = Some(format!(
        "postgres://paydesk:{secret}@127.0.0.1:1/branch?sslmode=disable"
    ));
    let sqlite = settings.paths.history_db();
    let app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    let mut desk = Desk::new(app, settings);
    desk.runner.open_store();
    assert!(
        desk.settle_until(WAIT, |a| !a.banners.is_empty()).await,
        "{}",
        desk.screen()
    );
    let banner = desk.app.banners.join("\n");
    assert!(
        banner.contains("postgres://paydesk:***@127.0.0.1:1/branch"),
        "{banner}"
    );
    assert!(banner.contains("Trying again"), "{banner}");
    assert!(!desk.app.history.available);
    let screen = desk.screen();
    assert!(!screen.contains(secret) && !banner.contains(secret));
    assert!(!sqlite.exists(), "no fallback to the SQLite history");
}
