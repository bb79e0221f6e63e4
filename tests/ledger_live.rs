//! The branch ledger live: changes pushed to every counter (`LISTEN/NOTIFY`), and one
//! status poller per open order for the whole branch (poll leases).
//!
//! PostgreSQL cases need `PAYDESK_TEST_PG_URL` (see `ledger_support`); without it they
//! print "skipped" and pass, unless `PAYDESK_REQUIRE_POSTGRES=1`. Waiting is always on an
//! event (a channel message, a lease seen expired by the server) with a timeout as the
//! failure guard, never a sleep standing in for synchronisation.

use std::collections::BTreeSet;
use std::time::Duration;

use paydesk::history::{CreatedOrder, NewOrder, NewRefund, OrderRow, Outcome, Store};
use paydesk::ledger::live::{ChangeKind, LedgerChange, Subscription};
use paydesk::ledger::pg::live::Backoff;
use paydesk::ledger::{Ledger, PgLedger};
use paydesk::orders::state::{Evidence, decide};
use paydesk::orders::{Checker, OrderContext, PollLease};

#[path = "ledger_support/mod.rs"]
mod support;
use support::{PgDb, pg_db};

/// How long any awaited event may take before the test fails.
const GUARD: Duration = Duration::from_secs(10);

fn order(n: usize) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "localhost".into(),
        merchant_id: "m1".into(),
        profile: "p".into(),
        order_id: format!("LIVE-{n:04}"),
        request_id: format!("req-{n}"),
        amount: "101.00".into(),
        currency: "INR".into(),
        customer_id: format!("cust{n}"),
        customer_name: "Meera Rao".into(),
        customer_phone: "9876500001".into(),
        customer_email: "meera@example.in".into(),
        request_body: "{}".into(),
        routing_id: format!("cust{n}"),
        owner: None,
        lease: Duration::from_secs(45),
        operator: "Asha".into(),
        counter: "counter-1".into(),
    }
}

fn seen(status: &str) -> Evidence {
    Evidence::OrderSeen(CreatedOrder {
        juspay_id: Some("jp_1".into()),
        payment_link: Some("https://pay.example/1".into()),
        link_expiry: None,
        status: Some(status.into()),
        response_body: None,
    })
}

async fn connect(db: &PgDb) -> PgLedger {
    PgLedger::connect(&db.target)
        .await
        .unwrap_or_else(|e| panic!("ledger connect: {e}"))
}

/// A plain connection to the test database, for what the ledger does not offer.
async fn raw(db: &PgDb) -> tokio_postgres::Client {
    db.client()
        .await
        .unwrap_or_else(|e| panic!("raw connect: {e}"))
}

/// The next message, or a failure after `GUARD`.
async fn next(sub: &mut Subscription) -> LedgerChange {
    match tokio::time::timeout(GUARD, sub.recv()).await {
        Ok(Some(change)) => change,
        Ok(None) => panic!("the subscription ended"),
        Err(_) => panic!("no change within {GUARD:?}"),
    }
}

fn changed(kind: ChangeKind, id: i64, order_id: &str) -> LedgerChange {
    LedgerChange::Changed {
        kind,
        id,
        order_id: order_id.into(),
    }
}

#[tokio::test]
async fn a_change_made_at_one_counter_reaches_a_subscriber_on_another_connection() {
    let Some(db) = pg_db().await else { return };
    let writer = Ledger::Postgres(connect(&db).await);
    let reader = Ledger::Postgres(connect(&db).await);
    let mut sub = reader.subscribe();
    assert_eq!(next(&mut sub).await, LedgerChange::Resync, "listening");

    let id = writer.insert_sending(&order(1)).await.expect("insert");
    assert_eq!(
        next(&mut sub).await,
        changed(ChangeKind::OrderInserted, id, "LIVE-0001")
    );
    let created = decide(Outcome::Sending, seen("NEW"));
    assert!(writer.apply(id, &created, None).await.expect("apply"));
    assert_eq!(
        next(&mut sub).await,
        changed(ChangeKind::OrderUpdated, id, "LIVE-0001")
    );

    // Taking and renewing poll leases changes no order: nobody is told.
    let batch = writer
        .take_poll_batch("desk-a", Duration::from_secs(30), 10)
        .await
        .expect("lease");
    assert_eq!(batch.len(), 1);
    let refund = NewRefund {
        order_row_id: Some(id),
        environment: "sandbox".into(),
        base_host: "localhost".into(),
        merchant_id: "m1".into(),
        order_id: "LIVE-0001".into(),
        routing_id: "cust1".into(),
        unique_request_id: "r1".into(),
        amount_paise: Some(5_000),
        order_amount_paise: Some(10_100),
        reason: "returned".into(),
        owner: None,
        lease: Duration::from_secs(30),
        operator: "Asha".into(),
        counter: "counter-1".into(),
    };
    let refund_id = writer
        .insert_refund(&refund)
        .await
        .expect("refund")
        .expect("not blocked");
    assert_eq!(
        next(&mut sub).await,
        changed(ChangeKind::RefundInserted, refund_id, "LIVE-0001")
    );

    // A status check that finds nothing new writes only its time: nobody is told.
    let admin = raw(&db).await;
    admin
        .batch_execute(&format!(
            "UPDATE orders SET last_check_at = '2026-11-30T10:00:00.000Z', \
             status_checked_at = '2026-11-30T10:00:00.000Z' WHERE id = {id}"
        ))
        .await
        .expect("a check's time");

    // A change rolled back is never announced: the next message is the one after it.
    admin
        .batch_execute(&format!(
            "BEGIN; UPDATE orders SET status = 'CHARGED' WHERE id = {id}; ROLLBACK"
        ))
        .await
        .expect("rolled back");
    assert_eq!(writer.forget("LIVE-0001").await.expect("forget"), 1);
    assert_eq!(
        next(&mut sub).await,
        changed(ChangeKind::OrderDeleted, id, "LIVE-0001")
    );
    db.finish().await;
}

#[tokio::test]
async fn the_subscriber_survives_the_server_closing_its_connection() {
    let Some(db) = pg_db().await else { return };
    let writer = connect(&db).await;
    let reader = connect(&db).await;
    let mut sub = reader.subscribe_with(Backoff {
        first: Duration::from_millis(50),
        cap: Duration::from_millis(500),
    });
    assert_eq!(next(&mut sub).await, LedgerChange::Resync, "listening");

    let admin = raw(&db).await;
    let killed = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = 'paydesk-live'",
            &[],
        )
        .await
        .expect("terminate");
    assert_eq!(killed.len(), 1, "one listener");
    // A change made while it is down is lost to it; the Resync says so.
    let lost = writer.insert_sending(&order(1)).await.expect("insert");

    match next(&mut sub).await {
        LedgerChange::Interrupted(why) => assert!(!why.contains("password"), "{why}"),
        other => panic!("expected Interrupted, got {other:?}"),
    }
    assert_eq!(
        next(&mut sub).await,
        LedgerChange::Resync,
        "listening again"
    );
    let id = writer.insert_sending(&order(2)).await.expect("insert");
    assert!(id > lost);
    assert_eq!(
        next(&mut sub).await,
        changed(ChangeKind::OrderInserted, id, "LIVE-0002")
    );
    db.finish().await;
}

/// Orders 1..=n, with every third one settled (paid) and every fifth refused at create.
/// Returns the ids that stay open.
async fn seed(ledger: &Ledger, n: usize) -> BTreeSet<i64> {
    let orders: Vec<NewOrder> = (1..=n).map(order).collect();
    let ids = ledger.insert_many(&orders).await.expect("seed");
    let mut open = BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        let evidence = if i % 3 == 0 {
            seen("CHARGED")
        } else if i % 5 == 0 {
            Evidence::CreateRefused {
                reason: "bad amount".into(),
            }
        } else if i % 2 == 0 {
            seen("NEW")
        } else {
            // Still `sending`: open, polled too.
            open.insert(*id);
            continue;
        };
        let transition = decide(Outcome::Sending, evidence);
        assert!(ledger.apply(*id, &transition, None).await.expect("apply"));
        let row = ledger.get(*id).await.expect("get").expect("row");
        if row.outcome == Outcome::Created && row.status.as_deref() == Some("NEW") {
            open.insert(*id);
        }
    }
    open
}

fn ids(rows: &[OrderRow]) -> BTreeSet<i64> {
    rows.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn desks_asking_at_once_share_the_open_orders_without_overlap() {
    let Some(db) = pg_db().await else { return };
    let mut desks = Vec::new();
    for _ in 0..4 {
        desks.push(Ledger::Postgres(connect(&db).await));
    }
    let open = seed(&desks[0], 120).await;
    assert!(open.len() > 40, "{}", open.len());
    let lease = Duration::from_secs(60);

    for round in 0..3 {
        // All four at once, each on its own connection; then again (renewals).
        let batches = futures::future::join_all(desks.iter().enumerate().map(|(i, d)| {
            let name = format!("desk-{i}");
            async move { d.take_poll_batch(&name, lease, 1_000).await }
        }))
        .await;
        let mut union = BTreeSet::new();
        let mut total = 0;
        for batch in batches {
            let batch = ids(&batch.expect("take"));
            total += batch.len();
            union.extend(batch);
        }
        assert_eq!(
            total,
            union.len(),
            "round {round}: an order went to two desks"
        );
        assert_eq!(
            union, open,
            "round {round}: every open order, nothing settled"
        );
    }
    db.finish().await;
}

#[tokio::test]
async fn a_desk_keeps_its_orders_and_loses_them_when_it_stops_renewing() {
    let Some(db) = pg_db().await else { return };
    let a = Ledger::Postgres(connect(&db).await);
    let b = Ledger::Postgres(connect(&db).await);
    let open = seed(&a, 30).await;
    let long = Duration::from_secs(60);

    assert_eq!(
        ids(&a.take_poll_batch("a", long, 100).await.expect("a")),
        open
    );
    assert!(
        b.take_poll_batch("b", long, 100)
            .await
            .expect("b")
            .is_empty()
    );
    assert_eq!(
        ids(&a.take_poll_batch("a", long, 100).await.expect("a")),
        open,
        "a renews its own"
    );

    // An order settled meanwhile is not handed out again, and its lease goes.
    let Some(&paid) = open.iter().next() else {
        panic!("no open order")
    };
    let row = a.get(paid).await.expect("get").expect("row");
    assert!(
        a.apply(paid, &decide(row.outcome, seen("CHARGED")), None)
            .await
            .expect("settle")
    );
    let mut open = open;
    open.remove(&paid);
    assert_eq!(
        ids(&a.take_poll_batch("a", long, 100).await.expect("a")),
        open
    );
    let admin = raw(&db).await;
    let leases: i64 = admin
        .query_one("SELECT count(*) FROM poll_leases", &[])
        .await
        .and_then(|r| r.try_get(0))
        .expect("count");
    assert_eq!(leases, open.len() as i64, "the settled order's lease went");

    // Desk a dies: its leases run out (moved into the past rather than waited for).
    admin
        .execute(
            "UPDATE poll_leases SET leased_until = now() - INTERVAL '1 second' \
             WHERE leased_by = 'a'",
            &[],
        )
        .await
        .expect("expire");
    assert_eq!(
        ids(&b.take_poll_batch("b", long, 100).await.expect("b")),
        open
    );
    assert!(
        a.take_poll_batch("a", long, 100)
            .await
            .expect("a")
            .is_empty()
    );

    // A desk closing cleanly hands its orders on at once.
    assert_eq!(
        b.release_poll_leases("b").await.expect("release"),
        open.len() as u64
    );
    assert_eq!(
        ids(&a.take_poll_batch("a", long, 100).await.expect("a")),
        open
    );
    db.finish().await;
}

#[tokio::test]
async fn a_lease_committed_while_a_desk_is_claiming_is_not_taken_over() {
    let Some(db) = pg_db().await else { return };
    let b = Ledger::Postgres(connect(&db).await);
    let open = seed(&b, 10).await;
    let Some(&contested) = open.iter().next_back() else {
        panic!("no open order")
    };
    // Desk x is claiming the newest open order: its lease row is written, not committed.
    let x = raw(&db).await;
    x.batch_execute(&format!(
        "BEGIN; INSERT INTO poll_leases VALUES ({contested}, 'x', now() + INTERVAL '1 minute')"
    ))
    .await
    .expect("x claims");
    // Desk b asks meanwhile: its snapshot cannot see x's lease, so it must wait for x and
    // then respect what x committed.
    let asking =
        tokio::spawn(async move { b.take_poll_batch("b", Duration::from_secs(60), 100).await });
    let admin = raw(&db).await;
    let deadline = tokio::time::Instant::now() + GUARD;
    loop {
        let waiting: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND wait_event_type = 'Lock' AND query LIKE 'WITH candidates%'",
                &[],
            )
            .await
            .and_then(|r| r.try_get(0))
            .expect("activity");
        if waiting == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "b never waited for x"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    x.batch_execute("COMMIT").await.expect("x commits");
    let got = match tokio::time::timeout(GUARD, asking).await {
        Ok(Ok(got)) => ids(&got.expect("b")),
        other => panic!("b did not answer: {other:?}"),
    };
    let mut rest = open.clone();
    rest.remove(&contested);
    assert_eq!(got, rest, "b takes every open order but the one x holds");
    let holder: String = admin
        .query_one(
            "SELECT leased_by FROM poll_leases WHERE order_row_id = $1",
            &[&contested],
        )
        .await
        .and_then(|r| r.try_get(0))
        .expect("lease");
    assert_eq!(holder, "x");
    db.finish().await;
}

#[tokio::test]
async fn an_order_locked_by_another_counter_is_skipped_not_waited_for() {
    let Some(db) = pg_db().await else { return };
    let b = Ledger::Postgres(connect(&db).await);
    let open = seed(&b, 10).await;
    let Some(&busy) = open.iter().next() else {
        panic!("no open order")
    };
    // Another counter is recording an outcome of this order (`apply` locks its row).
    let other = raw(&db).await;
    other
        .batch_execute(&format!(
            "BEGIN; SELECT 1 FROM orders WHERE id = {busy} FOR UPDATE"
        ))
        .await
        .expect("lock");
    let got = tokio::time::timeout(GUARD, b.take_poll_batch("b", Duration::from_secs(60), 100))
        .await
        .unwrap_or_else(|_| panic!("take_poll_batch waited for a locked order"))
        .expect("b");
    let mut rest = open.clone();
    rest.remove(&busy);
    assert_eq!(ids(&got), rest);
    other.batch_execute("COMMIT").await.expect("unlock");
    let got = b.take_poll_batch("b", Duration::from_secs(60), 100).await;
    assert_eq!(ids(&got.expect("b")), open, "taken at the next ask");
    db.finish().await;
}

#[tokio::test]
async fn a_short_lease_moves_on_after_one_lease_period() {
    let Some(db) = pg_db().await else { return };
    let a = Ledger::Postgres(connect(&db).await);
    let b = Ledger::Postgres(connect(&db).await);
    let open = seed(&a, 10).await;
    let lease = Duration::from_millis(500);
    assert_eq!(
        ids(&a.take_poll_batch("a", lease, 100).await.expect("a")),
        open
    );
    let admin = raw(&db).await;
    let until: std::time::SystemTime = admin
        .query_one("SELECT max(leased_until) FROM poll_leases", &[])
        .await
        .and_then(|r| r.try_get(0))
        .expect("lease end");
    // Ask as a desk would at its poll interval until the orders move (guarded).
    let deadline = tokio::time::Instant::now() + GUARD;
    loop {
        let got = b.take_poll_batch("b", lease, 100).await.expect("b");
        if !got.is_empty() {
            assert_eq!(ids(&got), open, "all of a's orders at once");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never moved to b");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // By the server's clock, b took the orders only once a's lease had run out.
    let after_expiry: bool = admin
        .query_one(
            "SELECT bool_and(leased_until - INTERVAL '500 milliseconds' >= $1) \
             FROM poll_leases WHERE leased_by = 'b'",
            &[&until],
        )
        .await
        .and_then(|r| r.try_get(0))
        .expect("b's leases");
    assert!(after_expiry, "b took orders before a's lease ran out");
    db.finish().await;
}

#[tokio::test]
async fn sqlite_polls_every_unsettled_order_and_never_hears_of_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("history.db")).expect("sqlite store");
    let ledger = Ledger::Sqlite(store);
    let open = seed(&ledger, 12).await;
    let mut sub = ledger.subscribe();
    let batch = ledger
        .take_poll_batch("desk", Duration::from_secs(1), 100)
        .await
        .expect("batch");
    assert_eq!(ids(&batch), open);
    assert_eq!(
        ledger.release_poll_leases("desk").await.expect("release"),
        0
    );
    ledger.insert_sending(&order(99)).await.expect("insert");
    assert_eq!(sub.try_recv(), None);
}

/// Needs a server with TLS on (`.ci/postgres-start` sets `PAYDESK_TEST_PG_TLS=1`).
#[tokio::test]
async fn the_listener_connects_like_the_pool_with_tls() {
    let Some(db) = pg_db().await else { return };
    if std::env::var("PAYDESK_TEST_PG_TLS").as_deref() != Ok("1") {
        println!("skipped: PAYDESK_TEST_PG_TLS not set (the server has no TLS)");
        db.finish().await;
        return;
    }
    let url = db.url.replace("sslmode=disable", "sslmode=require");
    let target = paydesk::ledger::LedgerTarget::parse(&url, &Default::default())
        .unwrap_or_else(|e| panic!("target: {e}"));
    let ledger = PgLedger::connect(&target)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    let mut sub = ledger.subscribe_with(Backoff::default());
    assert_eq!(next(&mut sub).await, LedgerChange::Resync, "listening");
    let admin = raw(&db).await;
    let encrypted: bool = admin
        .query_one(
            "SELECT bool_and(s.ssl) FROM pg_stat_activity AS a \
             JOIN pg_stat_ssl AS s USING (pid) \
             WHERE a.datname = current_database() AND a.application_name = 'paydesk-live'",
            &[],
        )
        .await
        .and_then(|r| r.try_get::<_, Option<bool>>(0))
        .expect("ssl")
        .unwrap_or(false);
    assert!(encrypted, "the listener's connection is encrypted");
    let id = ledger.insert_sending(&order(1)).await.expect("insert");
    assert_eq!(
        next(&mut sub).await,
        changed(ChangeKind::OrderInserted, id, "LIVE-0001")
    );
    db.finish().await;
}

/// A batch whose status checks outlast one poll lease keeps its orders: the desk renews
/// its leases while it checks, so when the batch ends they are still its own and no other
/// desk has started polling them meanwhile.
#[tokio::test]
async fn a_poll_batch_that_outlasts_its_lease_keeps_its_orders() {
    use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
    use paydesk::juspay::{Client, ClientConfig};

    let Some(db) = pg_db().await else { return };
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let ledger = Ledger::Postgres(connect(&db).await);
    // Eight open orders at the emulator's place; each answer takes 400 ms and four are
    // asked at a time, so the batch takes twice the 400 ms lease.
    let orders: Vec<NewOrder> = (1..=8)
        .map(|n| NewOrder {
            environment: ctx.environment.clone(),
            base_host: ctx.base_host.clone(),
            merchant_id: ctx.merchant_id.clone(),
            ..order(n)
        })
        .collect();
    // Created, waiting for payment: polled by status, one call each.
    for id in ledger.insert_many(&orders).await.expect("seed") {
        let created = decide(Outcome::Sending, seen("NEW"));
        assert!(ledger.apply(id, &created, None).await.expect("apply"));
    }
    emulator.set_latency(Duration::from_millis(400));
    let mut config = ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        paydesk::secret::ApiKey::new(DEMO_API_KEY),
    );
    config.request_timeout = Duration::from_secs(10);
    let client = Client::new(config).expect("client");
    let lease = PollLease {
        desk: "desk-a".into(),
        lease: Duration::from_millis(400),
    };
    let started = std::time::Instant::now();
    let checker = Checker::system();
    let recheck = paydesk::orders::recheck_polled(&ledger, &client, &ctx, &checker, &lease);
    let checked = tokio::time::timeout(GUARD, recheck)
        .await
        .expect("the batch ends")
        .expect("recheck");
    assert_eq!(checked.len(), 8);
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "the batch outlasted its lease"
    );
    let admin = raw(&db).await;
    let held: i64 = admin
        .query_one(
            "SELECT count(*) FROM poll_leases \
             WHERE leased_by = 'desk-a' AND leased_until > clock_timestamp()",
            &[],
        )
        .await
        .expect("leases")
        .get(0);
    assert_eq!(held, 8, "every order of the batch is still this desk's");
    db.finish().await;
}
