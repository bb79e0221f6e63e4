//! The ledger's contract, run against both engines: the embedded SQLite history and the
//! branch ledger on PostgreSQL. Each case runs the same calls on every engine and expects
//! the same rows.
//!
//! PostgreSQL cases need `PAYDESK_TEST_PG_URL` (a role that may create databases; each
//! test makes its own database, so tests run in parallel). Without it they print
//! "skipped: PAYDESK_TEST_PG_URL not set" and only SQLite runs; with
//! `PAYDESK_REQUIRE_POSTGRES=1` (set by `.ci/run`) a missing URL fails.

use std::time::Duration;

use paydesk::history::store::now;
use paydesk::history::{
    Count, CreatedOrder, NewOrder, NewRefund, OrderRow, Outcome, Owner, Query, Store,
};
use paydesk::ledger::{Ledger, LedgerError, PgLedger};
use paydesk::orders::state::{Evidence, decide};

#[path = "ledger_support/mod.rs"]
mod support;
use support::{PgDb, pg_db};

/// Every engine, fresh and empty: SQLite always, PostgreSQL when configured.
async fn engines() -> (Vec<(&'static str, Ledger)>, Option<PgDb>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("history.db")).expect("sqlite store");
    let mut out = vec![("sqlite", Ledger::Sqlite(store))];
    let db = pg_db().await;
    if let Some(db) = &db {
        let pg = PgLedger::connect(&db.target)
            .await
            .unwrap_or_else(|e| panic!("ledger connect: {e}"));
        out.push(("postgresql", Ledger::Postgres(pg)));
    }
    (out, db, dir)
}

fn order(n: usize, name: &str, phone: &str, email: &str) -> NewOrder {
    NewOrder {
        environment: if n.is_multiple_of(3) {
            "sandbox"
        } else {
            "demo"
        }
        .into(),
        base_host: "localhost".into(),
        merchant_id: "m1".into(),
        profile: "p".into(),
        order_id: format!("ORD-{n:04}"),
        request_id: format!("req-{n}"),
        amount: format!("{}.00", 100 + n),
        currency: "INR".into(),
        customer_id: format!("cust{n}"),
        customer_name: name.into(),
        customer_phone: phone.into(),
        customer_email: email.into(),
        request_body: format!("{{\"order_id\":\"ORD-{n:04}\"}}"),
        routing_id: format!("cust{n}"),
        owner: Some(Owner {
            token: "tok".into(),
            pid: 4242,
            host: "counter-3".into(),
        }),
        lease: Duration::from_secs(45),
        operator: if n.is_multiple_of(2) { "Asha" } else { "ravi" }.into(),
        counter: format!("Counter-{}", n % 3),
    }
}

fn seen(status: &str) -> Evidence {
    Evidence::OrderSeen(CreatedOrder {
        juspay_id: Some("jp_1".into()),
        payment_link: Some("https://pay.example/1".into()),
        link_expiry: None,
        status: Some(status.into()),
        response_body: Some(
            r#"{"status":"NEW","sdk_payload":{"payload":{"clientAuthToken":"tkn_SECRET"}}}"#.into(),
        ),
    })
}

/// The row without its engine-given id and times (compared across engines).
fn shape(row: &OrderRow) -> (String, Outcome, [Option<String>; 3], [String; 2]) {
    (
        row.order_id.clone(),
        row.outcome,
        [
            row.status.clone(),
            row.error.clone(),
            row.response_body.clone(),
        ],
        [row.operator.clone(), row.counter.clone()],
    )
}

const PEOPLE: &[(&str, &str, &str)] = &[
    ("Meera Rao", "9876500001", "meera.rao@example.in"),
    ("Arjun Mehta", "9876500002", "arjun@example.in"),
    ("Ravi Kumar", "9876500003", "ravi.k@mail.example"),
    ("ZOË Ångström", "9876500004", "zoe+pay@example.in"),
    ("Priya 50%_off", "9876500005", "priya@example.in"),
    ("Meera Iyer", "9876500006", "iyer@example.in"),
];

async fn seed(ledger: &Ledger) -> Vec<i64> {
    let orders: Vec<NewOrder> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (n, p, e))| order(i + 1, n, p, e))
        .collect();
    ledger.insert_many(&orders).await.expect("seed")
}

#[tokio::test]
async fn a_row_is_written_before_the_send_and_reads_back_the_same() {
    let (engines, db, _dir) = engines().await;
    let mut shapes = Vec::new();
    for (name, ledger) in &engines {
        let before = now();
        let new = order(7, "Meera Rao", "9876500001", "meera@example.in");
        let id = ledger.insert_sending(&new).await.expect("insert");
        let row = ledger.get(id).await.expect("get").expect("row is there");
        assert_eq!(row.outcome, Outcome::Sending, "{name}");
        assert_eq!(row.order_id, "ORD-0007", "{name}");
        assert_eq!(row.amount, "107.00", "{name}");
        assert!(
            row.created_at >= before,
            "{name}: {} < {before}",
            row.created_at
        );
        assert_eq!(
            row.send.sent_at.as_deref(),
            Some(row.created_at.as_str()),
            "{name}"
        );
        assert!(row.send.lease_until > row.send.sent_at, "{name}");
        assert_eq!(row.send.owner, new.owner, "{name}");
        assert_eq!(row.send.routing_id, "cust7", "{name}");
        let story = ledger.events("ORD-0007").await.expect("events");
        let kinds: Vec<(&str, &str, Option<&str>, Option<&str>)> = story
            .iter()
            .map(|e| {
                let by = (e.operator.as_deref(), e.counter.as_deref());
                (e.kind.as_str(), e.detail.as_str(), by.0, by.1)
            })
            .collect();
        assert_eq!(
            kinds,
            [(
                "sending",
                "amount 107.00 INR, request id req-7",
                Some("ravi"),
                Some("Counter-1")
            )],
            "{name}"
        );
        let latest = ledger.latest_by_order_id("ORD-0007").await.expect("latest");
        assert_eq!(latest.map(|r| r.id), Some(id), "{name}");
        let mut row = row;
        row.id = 0;
        row.created_at.clear();
        row.send.sent_at = None;
        row.send.lease_until = None;
        shapes.push(row);
    }
    assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{shapes:#?}");
    if let Some(db) = db {
        db.finish().await;
    }
}

#[tokio::test]
async fn outcomes_follow_the_state_machine_and_a_stale_decision_writes_nothing() {
    let (engines, db, _dir) = engines().await;
    let mut results = Vec::new();
    for (name, ledger) in &engines {
        let id = ledger
            .insert_sending(&order(1, "A", "1", "a@x"))
            .await
            .expect("insert");
        let no_answer = decide(
            Outcome::Sending,
            Evidence::NoAnswer {
                reason: "timed out".into(),
            },
        );
        assert!(
            ledger.apply(id, &no_answer, None).await.expect("apply"),
            "{name}"
        );
        // Decided from `sending`, but the row is `unknown` now: nothing is written.
        let stale = decide(Outcome::Sending, seen("CHARGED"));
        assert!(
            !ledger.apply(id, &stale, None).await.expect("apply"),
            "{name}"
        );
        let row = ledger.get(id).await.expect("get").expect("row");
        assert_eq!(row.outcome, Outcome::Unknown, "{name}");
        assert_eq!(row.error.as_deref(), Some("timed out"), "{name}");
        let created = decide(Outcome::Unknown, seen("NEW"));
        assert!(
            ledger
                .apply(id, &created, Some("Order Status: NEW"))
                .await
                .expect("apply"),
            "{name}"
        );
        let paid = decide(Outcome::Created, seen("CHARGED"));
        assert!(
            ledger.apply(id, &paid, None).await.expect("apply"),
            "{name}"
        );
        let row = ledger.get(id).await.expect("get").expect("row");
        assert_eq!(row.outcome, Outcome::Created, "{name}");
        assert_eq!(row.status.as_deref(), Some("CHARGED"), "{name}");
        assert_eq!(row.juspay_id.as_deref(), Some("jp_1"), "{name}");
        assert_eq!(
            row.send.last_check.as_deref(),
            Some("Order Status: NEW"),
            "{name}"
        );
        let body = row.response_body.clone().unwrap_or_default();
        assert!(!body.contains("tkn_SECRET"), "{name}: token stored: {body}");
        assert!(row.is_settled(), "{name}");
        let story: Vec<(String, String, Option<String>)> = ledger
            .events("ORD-0001")
            .await
            .expect("events")
            .into_iter()
            .map(|e| (e.kind, e.detail, e.operator))
            .collect();
        results.push((shape(&row), story));
    }
    let story = &results[0].1;
    let kinds: Vec<&str> = story.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["sending", "unknown", "created", "status", "status"]);
    assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:#?}");
    if let Some(db) = db {
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_counters_never_settle_one_order_differently() {
    let (engines, db, _dir) = engines().await;
    for (name, ledger) in &engines {
        for round in 0..10 {
            let id = ledger
                .insert_sending(&order(round, "A", "1", "a@x"))
                .await
                .expect("insert");
            // Both counters decided from `sending`, with different evidence.
            let created = decide(Outcome::Sending, seen("NEW"));
            let refused = decide(
                Outcome::Sending,
                Evidence::CreateRefused {
                    reason: "400".into(),
                },
            );
            let (a, b) = (ledger.clone(), ledger.clone());
            let one = tokio::spawn(async move { a.apply(id, &created, None).await });
            let two = tokio::spawn(async move { b.apply(id, &refused, None).await });
            let one = one.await.expect("join").expect("apply");
            let two = two.await.expect("join").expect("apply");
            assert!(
                one ^ two,
                "{name}: exactly one counter writes ({one}, {two})"
            );
            let row = ledger.get(id).await.expect("get").expect("row");
            let want = if one {
                Outcome::Created
            } else {
                Outcome::Rejected
            };
            assert_eq!(row.outcome, want, "{name}");
            let changes = ledger
                .events(&row.order_id)
                .await
                .expect("events")
                .into_iter()
                .filter(|e| e.order_row_id == Some(id) && e.kind != "sending")
                .filter(|e| e.kind != "status")
                .count();
            assert_eq!(changes, 1, "{name}: one outcome event");
        }
    }
    if let Some(db) = db {
        db.finish().await;
    }
}

/// Order ids of a window, newest first.
async fn ids(ledger: &Ledger, query: Query) -> Vec<String> {
    ledger
        .window(&query)
        .await
        .expect("window")
        .into_iter()
        .map(|r| r.order_id)
        .collect()
}

fn search(q: &str) -> Query {
    Query {
        search: Some(q.into()),
        ..Query::default()
    }
}

#[tokio::test]
async fn search_filters_windows_and_counts_agree() {
    let (engines, db, _dir) = engines().await;
    // (query, expected order ids newest first)
    let cases: Vec<(Query, Vec<&str>)> = vec![
        (
            Query::default(),
            vec![
                "ORD-0006", "ORD-0005", "ORD-0004", "ORD-0003", "ORD-0002", "ORD-0001",
            ],
        ),
        (search("meera"), vec!["ORD-0006", "ORD-0001"]),
        (search("MEERA rao"), vec!["ORD-0001"]),
        (search("me"), vec!["ORD-0006", "ORD-0002", "ORD-0001"]),
        (search("ångström"), vec!["ORD-0004"]),
        (search("zoë"), vec!["ORD-0004"]),
        (search("+pay@"), vec!["ORD-0004"]),
        (search("50%_"), vec!["ORD-0005"]),
        (search("%"), vec!["ORD-0005"]),
        (search("_"), vec!["ORD-0005"]),
        (search("0%_o"), vec!["ORD-0005"]),
        (search("raorav"), vec![]),
        (search("meera arjun"), vec![]),
        (search("ord-0003"), vec!["ORD-0003"]),
        (search("500003"), vec!["ORD-0003"]),
        (
            search("example.in"),
            vec!["ORD-0006", "ORD-0005", "ORD-0004", "ORD-0002", "ORD-0001"],
        ),
        (search("zzzz"), vec![]),
        // One- and two-character terms: exact pieces of words (schema V5's index).
        (search("qz"), vec![]),
        (search("q"), vec![]),
        (search("ë"), vec!["ORD-0004"]),
        (search("öm"), vec!["ORD-0004"]),
        (search("k"), vec!["ORD-0003"]),
        (search("me iyer"), vec!["ORD-0006"]),
        (search("me qz"), vec![]),
        // Long terms that share every trigram with rows they do not match.
        (search("rao.rao"), vec![]),
        (search("ravi.k@"), vec!["ORD-0003"]),
        (
            search("ORD-000"),
            vec![
                "ORD-0006", "ORD-0005", "ORD-0004", "ORD-0003", "ORD-0002", "ORD-0001",
            ],
        ),
        (search("ord-0006"), vec!["ORD-0006"]),
        (
            search("98765000"),
            vec![
                "ORD-0006", "ORD-0005", "ORD-0004", "ORD-0003", "ORD-0002", "ORD-0001",
            ],
        ),
        (
            Query {
                limit: 2,
                offset: 1,
                ..search("example.in")
            },
            vec!["ORD-0005", "ORD-0004"],
        ),
        (
            Query {
                status: Some("CHARGED".into()),
                ..search("ar")
            },
            vec!["ORD-0002"],
        ),
        (
            Query {
                operator: Some("ASHA".into()),
                ..Query::default()
            },
            vec!["ORD-0006", "ORD-0004", "ORD-0002"],
        ),
        (
            Query {
                counter: Some("counter-1".into()),
                operator: Some("Ravi".into()),
                ..Query::default()
            },
            vec!["ORD-0001"],
        ),
        (
            Query {
                operator: Some("As".into()),
                ..Query::default()
            },
            vec![],
        ),
        (
            Query {
                environment: Some("sandbox".into()),
                ..Query::default()
            },
            vec!["ORD-0006", "ORD-0003"],
        ),
        (
            Query {
                status: Some("CHARGED".into()),
                ..Query::default()
            },
            vec!["ORD-0002"],
        ),
        (
            Query {
                statuses: vec!["CHARGED".into(), "NEW".into()],
                ..Query::default()
            },
            vec!["ORD-0004", "ORD-0002"],
        ),
        (
            Query {
                outcome: Some(Outcome::Sending),
                ..search("example")
            },
            vec!["ORD-0006", "ORD-0005", "ORD-0003", "ORD-0001"],
        ),
        (
            Query {
                limit: 2,
                offset: 1,
                ..Query::default()
            },
            vec!["ORD-0005", "ORD-0004"],
        ),
        (
            Query {
                since: Some("2000-01-01".into()),
                until: Some("2999-01-01".into()),
                ..search("arjun")
            },
            vec!["ORD-0002"],
        ),
        (
            Query {
                until: Some("2000-01-01".into()),
                ..Query::default()
            },
            vec![],
        ),
    ];
    for (name, ledger) in &engines {
        let seeded = seed(ledger).await;
        let by_n = |n: usize| seeded[n - 1];
        ledger
            .apply(by_n(2), &decide(Outcome::Sending, seen("CHARGED")), None)
            .await
            .expect("apply");
        ledger
            .apply(by_n(4), &decide(Outcome::Sending, seen("NEW")), None)
            .await
            .expect("apply");
        // PostgreSQL finds search matches by walking the newest ids, by its indexes, or
        // both (`PgLedger::with_search_span`): every split gives the same answers.
        let variants: Vec<(String, Ledger)> = match ledger {
            Ledger::Postgres(pg) => [4_000, 0, 1, 2, 3, 5]
                .into_iter()
                .map(|span| {
                    let pg = pg.clone().with_search_span(span);
                    (format!("{name} span {span}"), Ledger::Postgres(pg))
                })
                .collect(),
            Ledger::Sqlite(_) => vec![(name.to_string(), ledger.clone())],
        };
        for (name, ledger) in &variants {
            for (query, want) in &cases {
                assert_eq!(&ids(ledger, query.clone()).await, want, "{name}: {query:?}");
                let n = ledger.count(query).await.expect("count");
                let expect_count = if query.limit == 0 && query.offset == 0 {
                    want.len()
                } else if query.search.is_some() {
                    5
                } else {
                    6
                };
                assert_eq!(n as usize, expect_count, "{name}: count {query:?}");
                // Counted up to a cap: exact below it, "more than" past it, except the
                // count of every row, which is always exact.
                for cap in [0, 1, 2, 3, 100] {
                    let got = ledger.count_upto(query, cap).await.expect("count_upto");
                    let want = if query.is_everything() || n <= cap {
                        Count::Exact(n)
                    } else {
                        Count::MoreThan(cap)
                    };
                    assert_eq!(got, want, "{name}: count_upto {cap} {query:?}");
                }
            }
            // Keyset paging from the third-newest row, alone and with a search.
            let before = Query {
                before_id: Some(by_n(4)),
                ..Query::default()
            };
            assert_eq!(
                ids(ledger, before).await,
                ["ORD-0003", "ORD-0002", "ORD-0001"],
                "{name}"
            );
            let before = Query {
                before_id: Some(by_n(4)),
                ..search("me")
            };
            assert_eq!(
                ids(ledger, before).await,
                ["ORD-0002", "ORD-0001"],
                "{name}"
            );
        }
        let open: Vec<String> = ledger
            .open_rows(10)
            .await
            .expect("open")
            .into_iter()
            .map(|r| r.order_id)
            .collect();
        assert_eq!(
            open,
            ["ORD-0006", "ORD-0005", "ORD-0003", "ORD-0001"],
            "{name}"
        );
    }
    if let Some(db) = db {
        db.finish().await;
    }
}

#[tokio::test]
async fn forget_removes_the_order_and_its_story() {
    let (engines, db, _dir) = engines().await;
    for (name, ledger) in &engines {
        seed(ledger).await;
        assert_eq!(
            ledger.forget("ORD-0003").await.expect("forget"),
            1,
            "{name}"
        );
        assert_eq!(
            ledger.forget("ORD-0003").await.expect("forget"),
            0,
            "{name}"
        );
        assert!(
            ledger.events("ORD-0003").await.expect("events").is_empty(),
            "{name}"
        );
        assert!(
            ledger
                .latest_by_order_id("ORD-0003")
                .await
                .expect("get")
                .is_none()
        );
        assert!(ids(ledger, search("ravi")).await.is_empty(), "{name}");
        assert_eq!(
            ledger.count(&Query::default()).await.expect("count"),
            5,
            "{name}"
        );
    }
    if let Some(db) = db {
        db.finish().await;
    }
}

#[tokio::test]
async fn a_ledger_written_by_a_newer_paydesk_is_refused() {
    let Some(db) = pg_db().await else { return };
    let ledger = PgLedger::connect(&db.target).await.expect("connect");
    assert_eq!(
        ledger.schema_version().await.expect("version"),
        paydesk::ledger::pg::schema::LATEST
    );
    let (client, connection) = db
        .target
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("connect");
    let task = tokio::spawn(connection);
    client
        .batch_execute("UPDATE schema_version SET version = version + 1")
        .await
        .expect("bump");
    drop(client);
    let _ = task.await;
    match PgLedger::connect(&db.target).await {
        Err(LedgerError::NewerSchema { found, known }) => {
            assert_eq!(found, known + 1);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    drop(ledger);
    db.finish().await;
}

/// Version 5 on a ledger that already holds orders: the totals start from the orders
/// there, then follow every insert, forget and truncate; short terms use the new index.
#[tokio::test]
async fn version_5_counts_the_orders_already_there_and_keeps_counting() {
    let Some(db) = pg_db().await else { return };
    let ledger = PgLedger::connect(&db.target).await.expect("connect");
    let orders: Vec<NewOrder> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (n, p, e))| order(i + 1, n, p, e))
        .collect();
    ledger.insert_many(&orders[..3]).await.expect("seed");
    // Back to version 4, as a ledger written before it.
    let client = db.client().await.expect("client");
    client
        .batch_execute(
            "DROP TRIGGER orders_count_insert ON orders;
             DROP TRIGGER orders_count_delete ON orders;
             DROP TRIGGER orders_count_truncate ON orders;
             DROP FUNCTION paydesk_count_orders();
             DROP TABLE order_totals;
             DROP INDEX orders_short_grams;
             DROP FUNCTION paydesk_short_grams(text);
             UPDATE schema_version SET version = 4;",
        )
        .await
        .expect("back to version 4");
    drop(ledger);
    let ledger = Ledger::Postgres(PgLedger::connect(&db.target).await.expect("migrate"));
    let every = Query::default();
    let total = |n: u64| Count::Exact(n);
    assert_eq!(ledger.count_upto(&every, 1).await.expect("count"), total(3));
    let version: i32 = client
        .query_one("SELECT version FROM schema_version", &[])
        .await
        .expect("version")
        .get(0);
    assert_eq!(version, 5);
    ledger.insert_many(&orders[3..]).await.expect("more");
    assert_eq!(ledger.count(&every).await.expect("count"), 6);
    assert_eq!(ledger.forget("ORD-0002").await.expect("forget"), 1);
    assert_eq!(ledger.count(&every).await.expect("count"), 5);
    assert_eq!(ids(&ledger, search("öm")).await, ["ORD-0004"]);
    let indexed: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_short_grams'",
            &[],
        )
        .await
        .expect("index")
        .get(0);
    assert_eq!(indexed, 1);
    client
        .batch_execute("TRUNCATE orders CASCADE")
        .await
        .expect("truncate");
    assert_eq!(ledger.count(&every).await.expect("count"), 0);
    drop(client);
    db.finish().await;
}

/// A SQLite history with `n` orders in every outcome, a refund and their stories.
fn sqlite_history(path: &std::path::Path, n: usize) -> Store {
    let store = Store::open(path).expect("open");
    let orders: Vec<NewOrder> = (0..n)
        .map(|i| {
            let (name, phone, email) = PEOPLE[i % PEOPLE.len()];
            order(i, name, phone, email)
        })
        .collect();
    let ids = store.insert_many(&orders).expect("seed");
    for (i, id) in ids.iter().enumerate() {
        let transition = match i % 4 {
            0 => decide(Outcome::Sending, seen("CHARGED")),
            1 => decide(
                Outcome::Sending,
                Evidence::NoAnswer {
                    reason: "timeout".into(),
                },
            ),
            2 => decide(
                Outcome::Sending,
                Evidence::CreateRefused {
                    reason: "400 bad".into(),
                },
            ),
            _ => continue,
        };
        store
            .apply(*id, &transition, Some("checked"))
            .expect("apply");
    }
    if let Some(first) = ids.first() {
        let refund = NewRefund {
            order_row_id: Some(*first),
            environment: "sandbox".into(),
            base_host: "localhost".into(),
            merchant_id: "m1".into(),
            order_id: "ORD-0000".into(),
            routing_id: "cust0".into(),
            unique_request_id: "r1".into(),
            amount_paise: Some(5_000),
            order_amount_paise: Some(10_000),
            reason: "returned".into(),
            owner: None,
            lease: Duration::from_secs(30),
            operator: "Asha".into(),
            counter: "counter-2".into(),
        };
        store
            .insert_refund(&refund)
            .expect("refund")
            .expect("not blocked");
    }
    store
}

/// Every row of a ledger, oldest first, without the engine's own id.
async fn all_rows(ledger: &Ledger) -> Vec<OrderRow> {
    let query = Query {
        limit: 1_000_000,
        ..Query::default()
    };
    let mut rows = ledger.window(&query).await.expect("window");
    rows.reverse();
    for row in &mut rows {
        row.id = 0;
    }
    rows
}

#[tokio::test]
async fn import_twice_keeps_every_value_and_adds_nothing() {
    let Some(db) = pg_db().await else { return };
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("desk.db");
    let store = sqlite_history(&path, 300);
    let source = Ledger::Sqlite(store);
    let pg = PgLedger::connect(&db.target).await.expect("connect");
    let first = paydesk::ledger::import::import(&pg, &path, "desk-a:/h.db")
        .await
        .expect("import");
    assert_eq!((first.orders, first.orders_added), (300, 300));
    assert_eq!((first.refunds, first.refunds_added), (1, 1));
    assert_eq!(first.events, first.events_added);
    assert!(first.events > 300, "{first:?}");
    let ledger = Ledger::Postgres(pg.clone());
    let after_first = all_rows(&ledger).await;
    let second = paydesk::ledger::import::import(&pg, &path, "desk-a:/h.db")
        .await
        .expect("import again");
    assert_eq!((second.orders, second.orders_added), (300, 0));
    assert_eq!((second.refunds_added, second.events_added), (0, 0));
    let after_second = all_rows(&ledger).await;
    assert_eq!(after_first.len(), 300);
    assert_eq!(after_first, after_second, "a second import changed values");
    // Same values as the desk's history: ids, outcomes, statuses, times, owners.
    assert_eq!(all_rows(&source).await, after_second);
    for order_id in ["ORD-0000", "ORD-0001", "ORD-0002"] {
        let want: Vec<_> = source.events(order_id).await.expect("events");
        let got: Vec<_> = ledger.events(order_id).await.expect("events");
        let strip =
            |e: &paydesk::history::OrderEvent| (e.kind.clone(), e.detail.clone(), e.at.clone());
        assert_eq!(
            want.iter().map(strip).collect::<Vec<_>>(),
            got.iter().map(strip).collect::<Vec<_>>(),
            "{order_id}"
        );
        assert!(
            got.iter().all(|e| e.order_row_id.is_some()),
            "{order_id}: links mapped"
        );
    }
    // Imported rows are found by the ledger's search.
    assert_eq!(ledger.count(&search("ord-0000")).await.expect("count"), 1);
    drop(ledger);
    drop(pg);
    db.finish().await;
}

/// 10,000 rows: `cargo test --release --test ledger_contract -- --ignored`.
#[tokio::test]
#[ignore = "slow: 10,000 rows"]
async fn import_twice_over_ten_thousand_rows() {
    let Some(db) = pg_db().await else { return };
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("desk.db");
    let store = sqlite_history(&path, 10_000);
    let pg = PgLedger::connect(&db.target).await.expect("connect");
    let start = std::time::Instant::now();
    let first = paydesk::ledger::import::import(&pg, &path, "big")
        .await
        .expect("import");
    let took = start.elapsed();
    let second = paydesk::ledger::import::import(&pg, &path, "big")
        .await
        .expect("again");
    println!("imported {first:?} in {took:?}; second run {second:?}");
    assert_eq!((first.orders_added, second.orders_added), (10_000, 0));
    let ledger = Ledger::Postgres(pg);
    assert_eq!(
        all_rows(&Ledger::Sqlite(store)).await,
        all_rows(&ledger).await
    );
    drop(ledger);
    db.finish().await;
}

#[tokio::test]
async fn refresh_selection_and_export_agree() {
    let (engines, db, _dir) = engines().await;
    let mut exports = Vec::new();
    for (name, ledger) in &engines {
        let ids = seed(ledger).await;
        let apply = |i: usize, evidence: Evidence| {
            let ledger = ledger.clone();
            let id = ids[i - 1];
            async move {
                let t = decide(Outcome::Sending, evidence);
                ledger.apply(id, &t, None).await.expect("apply")
            }
        };
        assert!(apply(1, seen("CHARGED")).await);
        assert!(apply(2, seen("PENDING_VBV")).await);
        assert!(
            apply(
                3,
                Evidence::CreateRefused {
                    reason: "400".into()
                }
            )
            .await
        );
        assert!(
            apply(
                4,
                Evidence::NoAnswer {
                    reason: "timeout".into()
                }
            )
            .await
        );
        let selected: Vec<String> = ledger
            .non_final(100)
            .await
            .expect("non_final")
            .into_iter()
            .map(|r| r.order_id)
            .collect();
        // Paid (1) and refused (3) are settled; pending, unknown and sending are not.
        assert_eq!(
            selected,
            ["ORD-0006", "ORD-0005", "ORD-0004", "ORD-0002"],
            "{name}"
        );
        let (n, bytes) = ledger.export_csv(Vec::new()).await.expect("export");
        assert_eq!(n, 6, "{name}");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.starts_with('\u{feff}'), "{name}: BOM first");
        assert!(!text.contains("tkn_SECRET"), "{name}: token exported");
        // Without the engine's own id and the times, every line is the same.
        let lines: Vec<String> = text
            .lines()
            .skip(1)
            .map(|line| without_times(line.split_once(',').map_or(line, |(_, rest)| rest)))
            .collect();
        exports.push(lines);
    }
    assert!(exports.windows(2).all(|w| w[0] == w[1]), "{exports:#?}");
    if let Some(db) = db {
        db.finish().await;
    }
}

/// `line` with every stored time (`2026-11-30T21:59:36.324Z`) replaced by `T`.
fn without_times(line: &str) -> String {
    let is_time = |s: &str| {
        s.len() == 24
            && s.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                10 => b == b'T',
                13 | 16 => b == b':',
                19 => b == b'.',
                23 => b == b'Z',
                _ => b.is_ascii_digit(),
            })
    };
    let mut out = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        if rest.get(..24).is_some_and(is_time) {
            out.push('T');
            rest = &rest[24..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn refund(order_row_id: i64, id: &str, paise: Option<u64>) -> NewRefund {
    NewRefund {
        order_row_id: Some(order_row_id),
        environment: "demo".into(),
        base_host: "localhost".into(),
        merchant_id: "m1".into(),
        order_id: "ORD-0001".into(),
        routing_id: "cust1".into(),
        unique_request_id: id.into(),
        amount_paise: paise,
        order_amount_paise: Some(10_100),
        reason: "returned".into(),
        owner: None,
        lease: Duration::from_secs(30),
        operator: "Meera".into(),
        counter: "counter-1".into(),
    }
}

#[tokio::test]
async fn refunds_follow_the_same_rules_and_tell_the_same_story() {
    use paydesk::history::RefundBlocked;
    use paydesk::juspay::refund::RefundStatus;
    use paydesk::orders::refund_state::{self, RefundEvidence, RefundState};
    let (engines, db, _dir) = engines().await;
    let mut stories = Vec::new();
    for (name, ledger) in &engines {
        let order = seed(ledger).await[0];
        let paid = decide(Outcome::Sending, seen("CHARGED"));
        assert!(ledger.apply(order, &paid, None).await.expect("apply"));
        let first = ledger
            .insert_refund(&refund(order, "r1", Some(4_000)))
            .await
            .expect("insert")
            .expect("allowed");
        // While r1 may exist unseen, no second attempt.
        let blocked = ledger
            .insert_refund(&refund(order, "r2", Some(1_000)))
            .await
            .expect("insert");
        assert!(
            matches!(blocked, Err(RefundBlocked::Unsettled { ref unique_request_id }) if unique_request_id == "r1"),
            "{name}: {blocked:?}"
        );
        let success = refund_state::decide(
            RefundState::Sending,
            RefundEvidence::Seen {
                status: RefundStatus::Success,
                amount_paise: Some(4_000),
                error: None,
            },
        );
        assert!(
            ledger
                .apply_refund(first, &success, Some("Order Status"))
                .await
                .expect("apply")
        );
        assert!(
            !ledger
                .apply_refund(first, &success, None)
                .await
                .expect("stale"),
            "{name}"
        );
        // 101.00 rupees paid, 40.00 back: 61.00 is left, 70.00 is too much.
        let too_much = ledger
            .insert_refund(&refund(order, "r2", Some(7_000)))
            .await
            .expect("insert");
        assert_eq!(
            too_much,
            Err(RefundBlocked::Exceeds {
                refundable_paise: 6_100
            }),
            "{name}"
        );
        let second = ledger
            .insert_refund(&refund(order, "r2", None))
            .await
            .expect("insert")
            .expect("all that is left");
        let open: Vec<i64> = ledger
            .open_refunds(10)
            .await
            .expect("open")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(open, [second], "{name}");
        let attempts = ledger.refunds_of("ORD-0001").await.expect("refunds");
        let states: Vec<(String, RefundState, Option<u64>)> = attempts
            .iter()
            .map(|r| (r.unique_request_id.clone(), r.state, r.amount_paise))
            .collect();
        assert_eq!(
            states,
            [
                ("r1".into(), RefundState::Success, Some(4_000)),
                ("r2".into(), RefundState::Sending, None)
            ],
            "{name}"
        );
        assert_eq!(
            attempts[0].last_check.as_deref(),
            Some("Order Status"),
            "{name}"
        );
        let partial = Query {
            refunded: Some(paydesk::history::RefundMark::Partial),
            ..Query::default()
        };
        assert_eq!(ids(ledger, partial).await, ["ORD-0001"], "{name}");
        // The desk's marks for a window: only the rows asked for, none for the others.
        let marks = ledger
            .refund_marks(&[order, order + 1000])
            .await
            .expect("marks");
        assert_eq!(
            marks,
            [(order, paydesk::history::RefundMark::Partial)],
            "{name}"
        );
        assert!(ledger.refund_marks(&[]).await.expect("marks").is_empty());
        let story: Vec<(String, String, bool, Option<String>)> = ledger
            .events("ORD-0001")
            .await
            .expect("events")
            .into_iter()
            .map(|e| (e.kind, e.detail, e.refund_id.is_some(), e.operator))
            .collect();
        stories.push(story);
    }
    assert_eq!(
        stories[0]
            .iter()
            .map(|(k, _, _, _)| k.as_str())
            .collect::<Vec<_>>(),
        [
            "sending",
            "created",
            "status",
            "refund_sending",
            "refund",
            "refund_sending"
        ]
    );
    assert!(stories.windows(2).all(|w| w[0] == w[1]), "{stories:#?}");
    if let Some(db) = db {
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_counters_never_start_two_refunds_of_one_order_at_once() {
    let (engines, db, _dir) = engines().await;
    for (name, ledger) in &engines {
        for round in 0..20 {
            let order = ledger
                .insert_sending(&order(1, "A", "1", "a@x"))
                .await
                .expect("insert");
            let paid = decide(Outcome::Sending, seen("CHARGED"));
            assert!(ledger.apply(order, &paid, None).await.expect("apply"));
            // Four counters refund the same order at once, each with its own id.
            let tasks: Vec<_> = (0..4)
                .map(|counter| {
                    let ledger = ledger.clone();
                    let mut new = refund(order, &format!("r{round}c{counter}"), Some(100));
                    new.order_id = format!("ORD-R{round}");
                    tokio::spawn(async move { ledger.insert_refund(&new).await })
                })
                .collect();
            let mut written = 0;
            for task in tasks {
                if task.await.expect("join").expect("insert").is_ok() {
                    written += 1;
                }
            }
            assert_eq!(written, 1, "{name}: round {round}");
        }
    }
    if let Some(db) = db {
        db.finish().await;
    }
}

/// A returning customer is found by mobile number or by email in any case, from their
/// newest order that was not rejected, with the same details on both engines.
#[tokio::test]
async fn returning_customers_are_found_by_phone_or_email() {
    use paydesk::history::CustomerKey;
    let (engines, db, _dir) = engines().await;
    let mut answers = Vec::new();
    for (name, ledger) in &engines {
        let body = |first: &str| {
            format!(
                r#"{{"order_id":"x","customer_first_name":"{first}","customer_email":"meera@example.in","customer_phone":"9876500001","customer_city":"Pune"}}"#
            )
        };
        let mut older = order(1, "Meera Rao", "9876500001", "meera@example.in");
        older.request_body = body("Meera");
        let mut newer = order(2, "Meera Rao", "9876500001", "Meera@Example.in");
        newer.request_body = body("Meera K");
        let mut refused = order(3, "Meera Rao", "9876500001", "meera@example.in");
        refused.request_body = body("Wrong");
        let ids = ledger
            .insert_many(&[older, newer, refused])
            .await
            .expect("insert");
        let refusal = Evidence::CreateRefused {
            reason: "bad".into(),
        };
        let transition = decide(Outcome::Sending, refusal);
        assert!(
            ledger
                .apply(ids[2], &transition, None)
                .await
                .expect("apply")
        );
        let by_phone = ledger
            .returning_customer(&CustomerKey::Phone("9876500001".into()))
            .await
            .expect("lookup")
            .expect("known by phone");
        assert_eq!(
            by_phone.order_id, "ORD-0002",
            "{name}: the newest not rejected"
        );
        assert_eq!(by_phone.details["customer_first_name"], "Meera K", "{name}");
        assert_eq!(by_phone.details["customer_city"], "Pune", "{name}");
        let by_email = ledger
            .returning_customer(&CustomerKey::Email("MEERA@example.IN".into()))
            .await
            .expect("lookup")
            .expect("known by email in any case");
        assert_eq!(by_email.order_id, "ORD-0002", "{name}");
        let unknown = ledger
            .returning_customer(&CustomerKey::Phone("8000000000".into()))
            .await
            .expect("lookup");
        assert!(unknown.is_none(), "{name}");
        answers.push((by_phone.order_id, by_phone.details, by_email.details));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    if let Some(db) = db {
        db.finish().await;
    }
}
