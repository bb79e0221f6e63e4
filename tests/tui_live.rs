//! The desk live on the branch ledger (issue 14, items 4 to 6): other counters' orders and
//! status changes reach a desk's history pane and order view without it doing anything;
//! one Juspay poller per open order however many desks are open (poll leases); the header
//! says when live updates pause or the ledger cannot be reached, and clears itself.
//!
//! Whole desks (`testing::Desk`, real effects) against one PostgreSQL and the in-process
//! emulator. PostgreSQL cases skip without `PAYDESK_TEST_PG_URL` (see `ledger_support`)
//! and fail with `PAYDESK_REQUIRE_POSTGRES=1`. Waiting is always on a desk's messages with
//! a timeout as the failure guard; no sleep stands in for synchronisation.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use paydesk::emulator::{DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::{CreatedOrder, NewOrder, Outcome};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::ledger::live::{ChangeKind, LedgerChange};
use paydesk::ledger::{Ledger, LedgerTarget, PasswordSources, PgLedger};
use paydesk::operator::Operator;
use paydesk::orders::state::{Evidence, decide};
use paydesk::orders::{self, OrderContext};
use paydesk::secret::ApiKey;
use paydesk::tui::app::{App, Screen, Start};
use paydesk::tui::effects::Effect;
use paydesk::tui::live::{PAUSED, UNREACHABLE};
use paydesk::tui::live_msg::LiveMsg;
use paydesk::tui::msg::Msg;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;
use serde_json::{Map, Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[path = "ledger_support/mod.rs"]
mod support;
use support::{PgDb, pg_db};

/// How long any awaited event may take before the test fails.
const GUARD: Duration = Duration::from_secs(20);
/// A poll interval no test outlasts: after its start-up pass a desk polls nothing by
/// itself, so every Order Status call the emulator counts is one the test caused.
const QUIET: Duration = Duration::from_secs(120);

fn client(emulator: &Emulator) -> Client {
    Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client")
}

/// A desk (generic profile, 160×40) at `counter` on `ledger` against `emulator`, its
/// ledger open, polling every `interval` (its start-up pass runs at once).
fn desk(
    dir: &tempfile::TempDir,
    ledger: PgLedger,
    emulator: &Emulator,
    counter: &str,
    interval: Duration,
) -> Desk {
    let mut settings = testing::settings(dir.path(), "generic");
    settings.operator = Operator::new("asha", counter);
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (160, 40),
    );
    app.env.base_url = Some(emulator.base_url().to_string());
    app.operator = Operator::new("asha", counter);
    app.poll_interval = interval;
    let mut desk = Desk::new(app, settings);
    desk.runner
        .set_services(client(emulator), Ledger::Postgres(ledger));
    desk.send(Msg::StoreReady(Ok(())));
    desk
}

async fn connect(target: &LedgerTarget) -> PgLedger {
    PgLedger::connect(target)
        .await
        .unwrap_or_else(|e| panic!("ledger connect: {e}"))
}

/// Waits until `done` holds for `desk`, or fails with its screen.
async fn wait(desk: &mut Desk, what: &str, done: impl Fn(&App) -> bool) {
    if !desk.settle_until(GUARD, done).await {
        panic!("{what}: not within {GUARD:?}\n{}", desk.screen());
    }
}

/// Waits until the desk listens to the ledger, its start-up pass is done and its pane
/// loaded, so nothing it does on its own runs during the test (the next pass is an
/// interval away).
async fn ready(desk: &mut Desk) {
    wait(desk, "listening, first pass done, pane loaded", |a| {
        a.live.branch.is_some()
            && a.live.changes >= 1
            && a.rechecks.passes >= 1
            && !a.history.loading
            && a.live.history.in_flight.is_none()
    })
    .await;
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

fn paid() -> Evidence {
    Evidence::OrderSeen(CreatedOrder {
        juspay_id: Some("jp_live".into()),
        payment_link: None,
        link_expiry: None,
        status: Some("CHARGED".into()),
        response_body: None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_and_its_payment_at_one_desk_show_at_another_without_it_asking() {
    let Some(db) = pg_db().await else { return };
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let mut a = desk(
        &dir_a,
        connect(&db.target).await,
        &emulator,
        "counter-1",
        QUIET,
    );
    let mut b = desk(
        &dir_b,
        connect(&db.target).await,
        &emulator,
        "counter-2",
        QUIET,
    );
    ready(&mut a).await;
    ready(&mut b).await;
    let loads_before = b.app.live.reloads;

    // Counter 1 sends an order; counter 2 only takes in what arrives.
    fill(&mut a, "LIVE-A1");
    a.ctrl('s');
    wait(&mut a, "sent", |app| app.screen == Screen::Result).await;
    wait(&mut b, "the order in B's pane", |app| {
        app.history.rows.iter().any(|r| r.order_id == "LIVE-A1")
    })
    .await;
    assert!(b.app.live.reloads > loads_before, "reloaded for a change");
    assert!(b.screen().contains("LIVE-A1"));

    // Counter 2 opens it (one check of its own, answered NEW by the emulator) …
    b.key(KeyCode::F(6));
    b.key(KeyCode::Home);
    b.key(KeyCode::Enter);
    wait(&mut b, "B's view checked", |app| {
        app.result
            .as_ref()
            .is_some_and(|v| v.order_id == "LIVE-A1" && v.checked_at.is_some())
            && app.send.is_none()
    })
    .await;
    wait(&mut b, "B's view says NEW", |app| {
        app.result.as_ref().and_then(|v| v.status.as_deref()) == Some("NEW")
    })
    .await;
    let bells = b.bells;

    // … and the payment recorded at counter 1 (written straight to the ledger: the
    // emulator still says NEW, so only the ledger's change can tell counter 2).
    let writer = connect(&db.target).await;
    let row = writer
        .latest_by_order_id("LIVE-A1")
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.outcome, Outcome::Created);
    let charged = decide(row.outcome, paid());
    assert!(writer.apply(row.id, &charged, None).await.expect("apply"));
    wait(&mut b, "CHARGED in B's view and pane", |app| {
        app.result.as_ref().and_then(|v| v.status.as_deref()) == Some("CHARGED")
            && app
                .history
                .rows
                .iter()
                .any(|r| r.order_id == "LIVE-A1" && r.status.as_deref() == Some("CHARGED"))
    })
    .await;
    assert_eq!(b.bells, bells + 1, "paid: the bell rings once");
    assert_eq!(
        emulator.status_calls().get("LIVE-A1"),
        Some(&1),
        "B's one check on opening; the payment came from the ledger, not a poll"
    );
    db.finish().await;
}

/// A `sending` row of another merchant (no desk of these tests polls it).
fn elsewhere(order_id: &str) -> NewOrder {
    NewOrder {
        environment: "demo".into(),
        base_host: "elsewhere".into(),
        merchant_id: "another".into(),
        profile: "generic".into(),
        order_id: order_id.into(),
        request_id: format!("req-{order_id}"),
        amount: "1.00".into(),
        currency: "INR".into(),
        customer_id: "c".into(),
        customer_name: "C".into(),
        customer_phone: "9876500001".into(),
        customer_email: "c@example.in".into(),
        request_body: "{}".into(),
        routing_id: "c".into(),
        owner: None,
        lease: Duration::from_secs(45),
        operator: "ravi".into(),
        counter: "counter-1".into(),
    }
}

fn body(order_id: &str) -> Map<String, Value> {
    match json!({
        "order_id": order_id,
        "amount": "500.00",
        "currency": "INR",
        "customer_id": format!("C-{order_id}"),
        "customer_email": "meera@example.com",
        "customer_phone": "9876543210",
        "customer_first_name": "Meera",
        "customer_last_name": "Iyer",
        "payment_page_client_id": DEMO_CLIENT_ID,
        "action": "paymentPage",
        "return_url": "https://shop.example.com/done"
    }) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Runs one re-check pass of `desk` now and waits for its answer.
async fn one_pass(desk: &mut Desk) {
    let passes = desk.app.rechecks.passes;
    let env_name = desk.app.env.name.clone();
    desk.runner.run(Effect::Recheck {
        after: Duration::ZERO,
        env_name,
    });
    wait(desk, "a pass", |a| a.rechecks.passes > passes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_desks_poll_each_open_order_once_per_interval() {
    let Some(db) = pg_db().await else { return };
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    // 50 orders created at Juspay and awaiting payment.
    let ledger = Ledger::Postgres(connect(&db.target).await);
    let ctx = OrderContext::new("demo", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let juspay = client(&emulator);
    let ids: Vec<String> = (0..50).map(|n| format!("OPEN-{n:02}")).collect();
    for id in &ids {
        let sent = orders::submit_to(Some(&ledger), &juspay, &ctx, body(id))
            .await
            .expect("recorded");
        assert!(sent.result.is_ok(), "{id} created");
    }
    // And five open orders of another merchant, which these desks cannot ask about: no
    // desk may take their leases (that would keep the desks that can from polling them).
    for n in 0..5 {
        ledger
            .insert_sending(&elsewhere(&format!("ELSEWHERE-{n}")))
            .await
            .expect("insert");
    }
    let before = emulator.status_calls();
    assert!(before.is_empty(), "{before:?}");

    // Ten desks open at once: each runs its start-up pass at the same moment.
    let dirs: Vec<tempfile::TempDir> = (0..10).map(|_| tempfile::tempdir().expect("dir")).collect();
    let mut desks = Vec::new();
    for (n, dir) in dirs.iter().enumerate() {
        let pg = connect(&db.target).await;
        desks.push(desk(dir, pg, &emulator, &format!("counter-{n}"), QUIET));
    }
    for desk in &mut desks {
        wait(desk, "first pass", |a| a.rechecks.passes >= 1).await;
    }
    let calls = emulator.status_calls();
    let total: u32 = calls.values().sum();
    assert_eq!(
        total, 50,
        "one status call per open order, not ten: {calls:?}"
    );
    assert!(ids.iter().all(|id| calls.get(id) == Some(&1)), "{calls:?}");

    // The next interval: every desk asks again while its leases hold; each order is
    // polled once more, by the desk that holds it.
    for desk in &mut desks {
        one_pass(desk).await;
    }
    let calls = emulator.status_calls();
    assert_eq!(calls.values().sum::<u32>(), 100, "{calls:?}");
    assert!(ids.iter().all(|id| calls.get(id) == Some(&2)), "{calls:?}");

    // A desk that closes cleanly gives its leases up at once.
    let held: u64 = {
        let mut held = 0;
        for desk in &desks {
            held += desk.runner.release_poll_leases().await.expect("release");
        }
        held
    };
    assert_eq!(
        held, 50,
        "every open order of the place was leased by exactly one desk, none elsewhere"
    );
    drop(desks);
    db.finish().await;
}

/// A TCP relay in front of the database that can be cut (every connection dropped, new
/// ones refused) and restored: the ledger out of reach without stopping the server other
/// tests use.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
    task: JoinHandle<()>,
}

impl Relay {
    async fn start(upstream: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links2.lock().expect("links").push(link);
            }
        });
        Relay {
            port,
            up,
            links,
            task,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
        self.task.abort();
    }
}

/// The test database's URL through the relay at `port`.
fn through(db: &PgDb, port: u16) -> LedgerTarget {
    let config = db.target.config();
    let pg_port = config.get_ports().first().copied().expect("a port");
    let url = db
        .url
        .replacen(&format!(":{pg_port}/"), &format!(":{port}/"), 1);
    assert_ne!(url, db.url, "the URL names its port");
    LedgerTarget::parse(&url, &PasswordSources::default()).expect("target")
}

fn password(db: &PgDb) -> String {
    let password = db.target.config().get_password().expect("a password");
    String::from_utf8_lossy(password).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_says_when_live_updates_pause_or_the_ledger_is_out_of_reach() {
    let Some(db) = pg_db().await else { return };
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let pg_port = db
        .target
        .config()
        .get_ports()
        .first()
        .copied()
        .expect("port");
    let relay = Relay::start(SocketAddr::from(([127, 0, 0, 1], pg_port))).await;
    let target = through(&db, relay.port);
    let dir = tempfile::tempdir().expect("dir");
    // Passes every 200 ms: ledger calls go on while nobody touches the desk.
    let mut d = desk(
        &dir,
        connect(&target).await,
        &emulator,
        "counter-1",
        Duration::from_millis(200),
    );
    ready(&mut d).await;
    assert_eq!(d.app.ledger_warning(), None);
    let secret = password(&db);

    // The listening connection dies (its server process ended): paused, then back.
    let (admin, connection) = db
        .target
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("admin");
    tokio::spawn(connection);
    let killed = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = 'paydesk-live'",
            &[],
        )
        .await
        .expect("terminate");
    assert_eq!(killed.len(), 1, "one listener");
    wait(&mut d, "paused", |a| a.live.paused.is_some()).await;
    let screen = d.screen();
    assert!(screen.contains(PAUSED), "{screen}");
    wait(&mut d, "live again", |a| a.live.paused.is_none()).await;
    assert!(!d.screen().contains(PAUSED));

    // The ledger out of reach: the header says so, with the URL's password masked.
    relay.cut();
    wait(&mut d, "unreachable", |a| a.live.unreachable.is_some()).await;
    let screen = d.screen();
    let header = screen.lines().next().unwrap_or_default().to_string();
    assert!(header.contains(UNREACHABLE), "{screen}");
    assert!(
        header.contains("postgres://paydesk:***@127.0.0.1"),
        "{header}"
    );
    assert!(!screen.contains(&secret), "no password on screen");
    // A send now is refused, with the ledger's words, and the form stays.
    fill(&mut d, "LIVE-OUT");
    d.ctrl('s');
    wait(&mut d, "refused", |a| a.send.is_none()).await;
    let notice = d.app.notice.clone().expect("a notice");
    assert_eq!(notice.title, "Not sent");
    assert_eq!(d.app.form.form.get("order_id"), "LIVE-OUT");
    assert_eq!(emulator.order_count(), 0);

    // Back: the first call that succeeds clears it, and live updates resume.
    relay.restore();
    wait(&mut d, "reachable and live", |a| {
        a.live.unreachable.is_none() && a.live.paused.is_none()
    })
    .await;
    let screen = d.screen();
    assert!(
        !screen.contains(UNREACHABLE) && !screen.contains(PAUSED),
        "{screen}"
    );
    drop(d);
    drop(relay);
    db.finish().await;
}

/// A burst of changes costs one reload in flight and one more after it, not one each.
#[test]
fn a_burst_of_changes_reloads_the_pane_twice_not_a_thousand_times() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    app.history.available = true;
    let loads = |effects: &[Effect]| -> Vec<u64> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::LoadHistory { generation, .. } => Some(*generation),
                _ => None,
            })
            .collect()
    };
    let mut asked = Vec::new();
    for n in 0..1000 {
        let change = LedgerChange::Changed {
            kind: ChangeKind::OrderInserted,
            id: n,
            order_id: format!("O-{n}"),
        };
        asked.extend(loads(&app.update(Msg::Live(LiveMsg::Change(change)))));
    }
    assert_eq!(asked.len(), 1, "one reload in flight");
    let first = asked[0];
    let answer = |generation| Msg::HistoryLoaded {
        generation,
        offset: 0,
        total: paydesk::history::Count::Exact(0),
        rows: Vec::new(),
    };
    let again = loads(&app.update(answer(first)));
    assert_eq!(
        again.len(),
        1,
        "one more for the changes that came meanwhile"
    );
    assert!(
        loads(&app.update(answer(again[0]))).is_empty(),
        "then quiet"
    );
    // A resync reloads too, and clears a pause.
    app.update(Msg::Live(LiveMsg::Change(LedgerChange::Interrupted(
        "gone".into(),
    ))));
    assert_eq!(app.ledger_warning().as_deref(), Some(PAUSED));
    let resync = loads(&app.update(Msg::Live(LiveMsg::Change(LedgerChange::Resync))));
    assert_eq!(resync.len(), 1);
    assert_eq!(app.ledger_warning(), None);
}

/// Latency of the live pane: a row inserted at counter 1 until counter 2's pane lists it,
/// over 100 changes (p50, p95). Run with
/// `cargo test --test tui_live -- --ignored --nocapture live_pane_latency`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run by hand (see the README)"]
async fn live_pane_latency() {
    let Some(db) = pg_db().await else { return };
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let dir = tempfile::tempdir().expect("dir");
    let mut b = desk(
        &dir,
        connect(&db.target).await,
        &emulator,
        "counter-2",
        QUIET,
    );
    ready(&mut b).await;
    let writer = Ledger::Postgres(connect(&db.target).await);
    let mut took = Vec::new();
    for n in 0..100 {
        let order_id = format!("LAT-{n:03}");
        let order = elsewhere(&order_id);
        let started = Instant::now();
        writer.insert_sending(&order).await.expect("insert");
        wait(&mut b, "listed", |a| {
            a.history
                .rows
                .first()
                .is_some_and(|r| r.order_id == order_id)
        })
        .await;
        took.push(started.elapsed());
    }
    took.sort();
    let p50 = took[took.len() / 2];
    let p95 = took[took.len() * 95 / 100];
    println!(
        "live pane latency over {} changes: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        took.len(),
        p50.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0,
        took.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );
    assert!(p95 <= Duration::from_secs(1), "target p95 ≤ 1 s");
    db.finish().await;
}
