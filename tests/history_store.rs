//! The history store: migrations, windows, search, filters, forget, export, stale rows.

use std::time::Duration;

use paydesk::history::schema;
use paydesk::history::{CreatedOrder, NewOrder, Outcome, Query, Store};
use rusqlite::Connection;

fn order(n: usize, name: &str, phone: &str, email: &str) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        profile: "generic".into(),
        order_id: format!("ORD{n:05}"),
        request_id: format!("req-{n}"),
        amount: format!("{n}.00"),
        currency: "INR".into(),
        customer_id: format!("cust{n}"),
        customer_name: name.into(),
        customer_phone: phone.into(),
        customer_email: email.into(),
        request_body: format!(r#"{{"order_id":"ORD{n:05}"}}"#),
    }
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("nested").join("history.db")).expect("open");
    (dir, store)
}

fn ids(rows: &[paydesk::history::OrderRow]) -> Vec<String> {
    rows.iter().map(|r| r.order_id.clone()).collect()
}

#[test]
fn an_empty_database_migrates_to_the_latest_version() {
    let (dir, store) = temp_store();
    assert_eq!(store.schema_version().expect("version"), schema::LATEST);
    let conn = Connection::open(dir.path().join("nested").join("history.db")).expect("raw");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    // Reopening an up-to-date database changes nothing.
    drop(store);
    let again = Store::open(&dir.path().join("nested").join("history.db")).expect("reopen");
    assert_eq!(again.schema_version().expect("version"), schema::LATEST);
}

#[test]
fn a_version_1_database_migrates_with_its_rows_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    {
        let conn = Connection::open(&path).expect("raw");
        conn.execute_batch(schema::V1).expect("v1 schema");
        conn.execute_batch("PRAGMA user_version = 1")
            .expect("version");
        conn.execute(
            "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
             order_id, request_id, amount, currency, customer_id, customer_name, \
             customer_phone, customer_email, request_body, outcome, status, payment_link) \
             VALUES ('2026-11-01T10:00:00.000Z', 'sandbox', 'sandbox.juspay.in', 'acme', \
             'travel', 'OLD001', 'r1', '30500', 'INR', 'c1', 'Meera Iyer', '9876543210', \
             'meera@example.com', '{}', 'created', 'NEW', 'https://pay/x')",
            [],
        )
        .expect("v1 row");
    }
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), schema::LATEST);
    let row = store
        .latest_by_order_id("OLD001")
        .expect("query")
        .expect("row kept");
    assert_eq!(row.customer_name, "Meera Iyer");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.payment_link.as_deref(), Some("https://pay/x"));
    // The search index added later covers the old row too.
    let found = store.window(&Query {
        search: Some("iyer".into()),
        ..Query::default()
    });
    assert_eq!(ids(&found.expect("search")), ["OLD001"]);
    // And rows written after the migration are searchable as well.
    store
        .insert_sending(&order(2, "Iyer Two", "9000000002", "two@example.com"))
        .expect("new");
    let found = store.window(&Query {
        search: Some("iyer".into()),
        ..Query::default()
    });
    assert_eq!(ids(&found.expect("search")), ["ORD00002", "OLD001"]);
}

#[test]
fn a_database_at_any_earlier_version_migrates_with_its_rows_intact() {
    for version in 1..schema::LATEST {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.db");
        {
            let conn = Connection::open(&path).expect("raw");
            for step in &schema::MIGRATIONS[..version as usize] {
                conn.execute_batch(step.sql).expect("old schema");
                if let Some(then) = step.then {
                    then(&conn).expect("old schema's data step");
                }
            }
            conn.execute_batch(&format!("PRAGMA user_version = {version}"))
                .expect("version");
            conn.execute(
                "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
                 order_id, request_id, amount, currency, customer_id, customer_name, \
                 customer_phone, customer_email, request_body, outcome) \
                 VALUES ('2026-11-01T10:00:00.000Z', 'sandbox', 'sandbox.juspay.in', 'acme', \
                 'generic', 'OLD42', 'r', '1', 'INR', 'c', 'Old Timer', '9000000042', \
                 'old@example.com', '{}', 'sending')",
                [],
            )
            .expect("old row");
            // From version 4 on, the store indexes each row as it writes it.
            if version >= 4 {
                let values = ["OLD42", "Old Timer", "9000000042", "old@example.com"];
                schema::index_order(&conn, conn.last_insert_rowid(), &values)
                    .expect("index the old row");
            }
        }
        let store = Store::open(&path).expect("migrate");
        assert_eq!(store.schema_version().expect("version"), schema::LATEST);
        let search = |q: &str| {
            ids(&store
                .window(&Query {
                    search: Some(q.into()),
                    ..Query::default()
                })
                .expect("q"))
        };
        assert_eq!(search("timer"), ["OLD42"], "from version {version}");
        assert_eq!(search("42"), ["OLD42"], "from version {version}");
        assert_eq!(
            store.forget("OLD42").expect("forget"),
            1,
            "from version {version}"
        );
        assert!(search("timer").is_empty(), "from version {version}");
    }
}

#[test]
fn a_database_from_a_newer_paydesk_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    Connection::open(&path)
        .expect("raw")
        .execute_batch(&format!("PRAGMA user_version = {}", schema::LATEST + 1))
        .expect("version");
    let error = Store::open(&path).expect_err("must refuse");
    assert!(error.to_string().contains("newer paydesk"), "{error}");
}

#[test]
fn windows_are_newest_first_and_page_without_overlap() {
    let (_dir, store) = temp_store();
    for n in 1..=25 {
        store
            .insert_sending(&order(n, "A", "1", "a@x.in"))
            .expect("insert");
    }
    let first = store
        .window(&Query {
            limit: 10,
            ..Query::default()
        })
        .expect("window");
    assert_eq!(first.first().map(|r| r.order_id.as_str()), Some("ORD00025"));
    assert_eq!(first.len(), 10);
    let second = store.window(&Query {
        limit: 10,
        offset: 10,
        ..Query::default()
    });
    let second = second.expect("window");
    assert_eq!(
        second.first().map(|r| r.order_id.as_str()),
        Some("ORD00015")
    );
    let keyset = store
        .window(&Query {
            limit: 10,
            before_id: first.last().map(|r| r.id),
            ..Query::default()
        })
        .expect("window");
    assert_eq!(ids(&keyset), ids(&second));
    assert_eq!(store.count(&Query::default()).expect("count"), 25);
}

#[test]
fn search_matches_id_name_phone_and_email_case_insensitively() {
    let (_dir, store) = temp_store();
    store
        .insert_sending(&order(1, "Asha Rao", "9876500001", "asha@bank.in"))
        .expect("1");
    store
        .insert_sending(&order(2, "Ravi Kumar", "9123400002", "ravi@mail.com"))
        .expect("2");
    store
        .insert_sending(&order(3, "Ünal Öz", "9000000003", "100%_done@x.in"))
        .expect("3");
    let search = |q: &str| {
        ids(&store
            .window(&Query {
                search: Some(q.into()),
                ..Query::default()
            })
            .expect("q"))
    };
    assert_eq!(search("ASHA"), ["ORD00001"]);
    assert_eq!(search("91234"), ["ORD00002"]);
    assert_eq!(search("MAIL.COM"), ["ORD00002"]);
    assert_eq!(search("ord00003"), ["ORD00003"]);
    assert_eq!(search("ra"), ["ORD00002", "ORD00001"]);
    assert_eq!(search("ravi kumar"), ["ORD00002"]);
    assert_eq!(search("kumar asha"), Vec::<String>::new());
    // LIKE wildcards and FTS syntax are taken literally.
    assert_eq!(search("%"), ["ORD00003"]);
    assert_eq!(search("_d"), ["ORD00003"]);
    assert_eq!(search("%_done"), ["ORD00003"]);
    assert_eq!(search("\"a OR b"), Vec::<String>::new());
    assert_eq!(search("ünal"), ["ORD00003"]);
    let count = store.count(&Query {
        search: Some("ra".into()),
        ..Query::default()
    });
    assert_eq!(count.expect("count"), 2);
}

#[test]
fn filters_by_status_outcome_environment_and_date() {
    let (_dir, store) = temp_store();
    let a = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("1");
    let b = store
        .insert_sending(&order(2, "B", "2", "b@x.in"))
        .expect("2");
    let mut prod = order(3, "C", "3", "c@x.in");
    prod.environment = "production".into();
    store.insert_sending(&prod).expect("3");
    store
        .record_created(
            a,
            &CreatedOrder {
                status: Some("NEW".into()),
                ..Default::default()
            },
        )
        .expect("created");
    store.update_status(a, "CHARGED").expect("status");
    store
        .record_failed(b, Outcome::Rejected, "bad amount", None)
        .expect("rejected");

    let q = |query: Query| ids(&store.window(&query).expect("window"));
    assert_eq!(
        q(Query {
            status: Some("CHARGED".into()),
            ..Query::default()
        }),
        ["ORD00001"]
    );
    assert_eq!(
        q(Query {
            outcome: Some(Outcome::Rejected),
            ..Query::default()
        }),
        ["ORD00002"]
    );
    assert_eq!(
        q(Query {
            environment: Some("production".into()),
            ..Query::default()
        }),
        ["ORD00003"]
    );
    assert_eq!(
        q(Query {
            since: Some("2000-01-01".into()),
            ..Query::default()
        })
        .len(),
        3
    );
    assert!(
        q(Query {
            until: Some("2000-01-01".into()),
            ..Query::default()
        })
        .is_empty()
    );
    let row = store.get(a).expect("get").expect("row");
    assert!(row.status_checked_at.is_some());
}

#[test]
fn outcomes_only_move_forward() {
    let (_dir, store) = temp_store();
    let id = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("insert");
    let created = CreatedOrder {
        juspay_id: Some("ordv2_1".into()),
        payment_link: Some("https://pay/1".into()),
        status: Some("NEW".into()),
        ..Default::default()
    };
    assert!(store.record_created(id, &created).expect("created"));
    // A late "unknown" or failure must not downgrade a created order.
    assert!(!store.mark_unknown(id, "cancelled").expect("unknown"));
    assert!(
        !store
            .record_failed(id, Outcome::Rejected, "x", None)
            .expect("failed")
    );
    let row = store.get(id).expect("get").expect("row");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.juspay_id.as_deref(), Some("ordv2_1"));
    // A rejected row is not turned into created by a reconcile that finds an older order.
    let other = store
        .insert_sending(&order(2, "B", "2", "b@x.in"))
        .expect("insert");
    store
        .record_failed(other, Outcome::Rejected, "duplicate", None)
        .expect("failed");
    assert!(!store.record_created(other, &created).expect("created"));
}

#[test]
fn response_bodies_are_stored_with_the_token_masked() {
    let (_dir, store) = temp_store();
    let id = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("insert");
    let body = r#"{"id":"ordv2_1","sdk_payload":{"payload":{"clientAuthToken":"tkn_SECRET"}}}"#;
    let created = CreatedOrder {
        response_body: Some(body.into()),
        ..Default::default()
    };
    store.record_created(id, &created).expect("created");
    let row = store.get(id).expect("get").expect("row");
    let stored = row.response_body.expect("body");
    assert!(!stored.contains("tkn_SECRET"), "{stored}");
    assert!(stored.contains("ordv2_1"));
}

#[test]
fn forget_removes_the_order_and_its_search_entry() {
    let (_dir, store) = temp_store();
    store
        .insert_sending(&order(1, "Zed Forgettable", "1", "z@x.in"))
        .expect("1");
    let keep = store
        .insert_sending(&order(2, "Zed Keeper", "2", "k@x.in"))
        .expect("2");
    assert_eq!(store.forget("ORD00001").expect("forget"), 1);
    assert_eq!(store.forget("ORD00001").expect("again"), 0);
    assert!(store.latest_by_order_id("ORD00001").expect("get").is_none());
    let found = store.window(&Query {
        search: Some("zed".into()),
        ..Query::default()
    });
    assert_eq!(ids(&found.expect("search")), ["ORD00002"]);
    assert!(store.forget_id(keep).expect("forget id"));
    assert_eq!(store.count(&Query::default()).expect("count"), 0);
}

#[test]
fn export_writes_every_row_as_safe_csv() {
    let (_dir, store) = temp_store();
    let plain: Vec<NewOrder> = (1..=1200)
        .map(|n| order(n, "Plain", "1", "p@x.in"))
        .collect();
    store.insert_many(&plain).expect("insert");
    store
        .insert_sending(&order(
            9999,
            "=HYPERLINK(\"evil\")",
            "+91 98765",
            "a,b@x.in",
        ))
        .expect("x");
    let mut out = Vec::new();
    let written = store.export_csv(&mut out).expect("export");
    assert_eq!(written, 1201);
    let text = String::from_utf8(out).expect("utf-8");
    let text = text.strip_prefix('\u{feff}').expect("BOM first");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1202, "header plus every row");
    assert!(lines[0].starts_with("id,created_at,environment"));
    assert!(
        lines[1].contains(",ORD00001,"),
        "oldest first: {}",
        lines[1]
    );
    let last = lines[1201];
    assert!(last.contains(",\"'=HYPERLINK(\"\"evil\"\")\","), "{last}");
    assert!(last.contains(",'+91 98765,"), "{last}");
    assert!(last.contains(",\"a,b@x.in\","), "{last}");
}

#[test]
fn stale_sending_rows_are_found_by_age_host_and_merchant() {
    let (_dir, store) = temp_store();
    let mine = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("1");
    let mut elsewhere = order(2, "B", "2", "b@x.in");
    elsewhere.base_host = "api.juspay.in".into();
    store.insert_sending(&elsewhere).expect("2");
    let done = store
        .insert_sending(&order(3, "C", "3", "c@x.in"))
        .expect("3");
    store
        .record_created(done, &CreatedOrder::default())
        .expect("created");

    // Not old enough yet.
    let fresh = store.stale_sending(Duration::from_secs(3600), "sandbox.juspay.in", "acme");
    assert!(fresh.expect("stale").is_empty());
    let stale = store.stale_sending(Duration::ZERO, "sandbox.juspay.in", "acme");
    let stale = stale.expect("stale");
    assert_eq!(stale.iter().map(|r| r.id).collect::<Vec<_>>(), [mine]);
    assert!(
        store
            .stale_sending(Duration::ZERO, "sandbox.juspay.in", "other")
            .expect("s")
            .is_empty()
    );
}

#[test]
fn non_final_rows_are_the_ones_refresh_rechecks() {
    let (_dir, store) = temp_store();
    let new = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("1");
    let paid = store
        .insert_sending(&order(2, "B", "2", "b@x.in"))
        .expect("2");
    let unknown = store
        .insert_sending(&order(3, "C", "3", "c@x.in"))
        .expect("3");
    let rejected = store
        .insert_sending(&order(4, "D", "4", "d@x.in"))
        .expect("4");
    store
        .insert_sending(&order(5, "E", "5", "e@x.in"))
        .expect("5 stays sending");
    let with = |s: &str| CreatedOrder {
        status: Some(s.into()),
        ..Default::default()
    };
    store.record_created(new, &with("NEW")).expect("new");
    store.record_created(paid, &with("CHARGED")).expect("paid");
    store.mark_unknown(unknown, "timeout").expect("unknown");
    store
        .record_failed(rejected, Outcome::Rejected, "400", None)
        .expect("rejected");
    let rows = store.non_final(100).expect("non final");
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [unknown, new]
    );
}

#[test]
fn a_store_clone_is_usable_from_other_threads() {
    let (_dir, store) = temp_store();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for n in 0..50 {
                    store
                        .insert_sending(&order(t * 100 + n, "T", "1", "t@x.in"))
                        .expect("insert");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    assert_eq!(store.count(&Query::default()).expect("count"), 200);
}

#[test]
fn two_connections_writing_at_once_lose_nothing() {
    // Two `Store`s are two connections, as two processes would have.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let store = Store::open(&path).expect("open");
                for n in 0..200 {
                    let id = store.insert_sending(&order(w * 1000 + n, "W", "1", "w@x.in"));
                    let id = id.expect("insert");
                    let created = CreatedOrder {
                        status: Some("NEW".into()),
                        ..Default::default()
                    };
                    store.record_created(id, &created).expect("record");
                    store
                        .window(&Query {
                            limit: 20,
                            ..Query::default()
                        })
                        .expect("read");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let store = Store::open(&path).expect("open");
    let created = Query {
        outcome: Some(Outcome::Created),
        ..Query::default()
    };
    assert_eq!(store.count(&created).expect("count"), 400);
}
