//! The history store: migrations, windows, search, filters, forget, export, stale rows.

use paydesk::history::schema;
use paydesk::history::{CreatedOrder, NewOrder, Outcome, Query, Store};
use paydesk::orders::reconcile::settle_now;
use paydesk::orders::state::Evidence;
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
        ..NewOrder::default()
    }
}

/// Records `evidence` on row `id` through the state machine; true when the outcome moved.
fn record(store: &Store, id: i64, evidence: Evidence) -> bool {
    let before = store.get(id).expect("get").expect("row").outcome;
    let after = settle_now(store, id, None, |_| Some(evidence.clone()))
        .expect("settle")
        .expect("row");
    after.outcome != before
}

fn seen(order: &CreatedOrder) -> Evidence {
    Evidence::OrderSeen(order.clone())
}

fn refused(reason: &str) -> Evidence {
    Evidence::CreateRefused {
        reason: reason.into(),
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
fn version_5_reopens_early_not_created_rows_and_keeps_not_sent_ones_settled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    {
        let conn = Connection::open(&path).expect("raw");
        for step in &schema::MIGRATIONS[..4] {
            conn.execute_batch(step.sql).expect("v4 schema");
        }
        conn.execute_batch("PRAGMA user_version = 4")
            .expect("version");
        for (order_id, outcome, error) in [
            (
                "EARLY1",
                "rejected",
                "not created: Juspay has no order with this id",
            ),
            ("NOTSENT1", "rejected", "not sent: could not reach Juspay"),
            ("BAD1", "rejected", "Juspay rejected the request"),
            ("GUEST1", "unknown", "no answer received"),
        ] {
            conn.execute(
                "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
                 order_id, request_id, amount, currency, customer_id, customer_name, \
                 customer_phone, customer_email, request_body, outcome, error) \
                 VALUES ('2026-11-01T10:00:00.000Z', 'sandbox', 'sandbox.juspay.in', 'acme', \
                 'generic', ?1, 'r', '1', 'INR', '', 'N', '9', 'e@x.in', '{}', ?2, ?3)",
                rusqlite::params![order_id, outcome, error],
            )
            .expect("v4 row");
        }
    }
    let store = Store::open(&path).expect("migrate");
    let row = |id: &str| store.latest_by_order_id(id).expect("q").expect("row");
    // A not-found that may have come too early proves nothing: open again, re-checked.
    assert_eq!(row("EARLY1").outcome, Outcome::Unknown);
    assert_eq!(row("NOTSENT1").outcome, Outcome::NotCreated);
    assert_eq!(row("BAD1").outcome, Outcome::Rejected);
    // A guest's routing id is its order id.
    assert_eq!(row("GUEST1").send.routing_id, "GUEST1");
    assert!(row("GUEST1").send.owner.is_none());
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
    let with = |status: &str| CreatedOrder {
        status: Some(status.into()),
        ..Default::default()
    };
    assert!(record(&store, a, seen(&with("NEW"))));
    record(&store, a, seen(&with("CHARGED")));
    assert!(record(&store, b, refused("bad amount")));

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
    assert!(record(&store, id, seen(&created)));
    // A late "unknown" or failure must not downgrade a created order.
    let cancelled = Evidence::NoAnswer {
        reason: "cancelled".into(),
    };
    assert!(!record(&store, id, cancelled));
    assert!(!record(&store, id, refused("x")));
    let row = store.get(id).expect("get").expect("row");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.juspay_id.as_deref(), Some("ordv2_1"));
    // A rejected row is not turned into created by a reconcile that finds an older order.
    let other = store
        .insert_sending(&order(2, "B", "2", "b@x.in"))
        .expect("insert");
    assert!(record(&store, other, refused("duplicate")));
    assert!(!record(&store, other, seen(&created)));
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
    record(&store, id, seen(&created));
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
fn a_transition_applies_only_to_the_outcome_it_was_decided_for() {
    let (_dir, store) = temp_store();
    let id = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("1");
    // Decided while the row was `sending`; another writer made it `created` meanwhile.
    let stale = paydesk::orders::state::decide(Outcome::Sending, refused("late 400"));
    assert!(record(&store, id, seen(&CreatedOrder::default())));
    assert!(!store.apply(id, &stale, None).expect("apply"));
    assert_eq!(
        store.get(id).expect("get").expect("row").outcome,
        Outcome::Created
    );
}

#[test]
fn open_rows_are_sending_and_unknown_newest_first() {
    let (_dir, store) = temp_store();
    let sending = store
        .insert_sending(&order(1, "A", "1", "a@x.in"))
        .expect("1");
    let unknown = store
        .insert_sending(&order(2, "B", "2", "b@x.in"))
        .expect("2");
    let done = store
        .insert_sending(&order(3, "C", "3", "c@x.in"))
        .expect("3");
    let timeout = Evidence::NoAnswer {
        reason: "timeout".into(),
    };
    record(&store, unknown, timeout);
    record(&store, done, seen(&CreatedOrder::default()));
    let rows = store.open_rows(100).expect("open");
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [unknown, sending]
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
    let sending = 5;
    record(&store, new, seen(&with("NEW")));
    record(&store, paid, seen(&with("CHARGED")));
    let timeout = Evidence::NoAnswer {
        reason: "timeout".into(),
    };
    record(&store, unknown, timeout);
    record(&store, rejected, refused("400"));
    let rows = store.non_final(100).expect("non final");
    // Open rows (`sending` included) and unpaid created orders; never final ones.
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [sending, unknown, new]
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
                    record(&store, id, seen(&created));
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
