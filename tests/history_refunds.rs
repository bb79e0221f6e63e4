//! Refunds and the order's story in the history (schema version 7): the migration from
//! version 6, the write rules of `insert_refund` (row first, no new id while one is
//! unsettled, never more than is left), the append-only events, the refund marks of
//! `history --status` and `forget`.

use std::time::Duration;

use paydesk::history::schema;
use paydesk::history::status_filter::StatusFilter;
use paydesk::history::{NewOrder, NewRefund, Query, RefundBlocked, Store};
use paydesk::juspay::RefundStatus;
use paydesk::orders::refund_state::{RefundEvidence, RefundState, decide};
use rusqlite::Connection;

fn order(order_id: &str) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        profile: "generic".into(),
        order_id: order_id.into(),
        request_id: "req".into(),
        amount: "100.00".into(),
        currency: "INR".into(),
        request_body: "{}".into(),
        routing_id: "c1".into(),
        ..NewOrder::default()
    }
}

fn refund(order_row_id: i64, order_id: &str, id: &str, paise: Option<u64>) -> NewRefund {
    NewRefund {
        order_row_id: Some(order_row_id),
        environment: "sandbox".into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        order_id: order_id.into(),
        routing_id: "c1".into(),
        unique_request_id: id.into(),
        amount_paise: paise,
        order_amount_paise: Some(10_000),
        reason: "test".into(),
        owner: None,
        lease: Duration::from_secs(150),
        ..NewRefund::default()
    }
}

/// Moves refund `id` as Juspay showing it with `status` would.
fn juspay_says(store: &Store, id: i64, status: RefundStatus) {
    let row = store.refund_row(id).expect("read").expect("row");
    let t = decide(
        row.state,
        RefundEvidence::Seen {
            status,
            amount_paise: row.amount_paise,
            error: None,
        },
    );
    assert!(store.apply_refund(id, &t, Some("seen")).expect("apply"));
}

#[test]
fn a_version_6_history_migrates_to_7_with_its_orders_and_takes_refunds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    {
        let conn = Connection::open(&path).expect("raw");
        for step in &schema::MIGRATIONS[..6] {
            conn.execute_batch(step.sql).expect("v6 schema");
            if let Some(then) = step.then {
                then(&conn).expect("v6 data step");
            }
        }
        conn.execute_batch("PRAGMA user_version = 6")
            .expect("version");
        conn.execute(
            "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
             order_id, request_id, amount, currency, customer_id, customer_name, \
             customer_phone, customer_email, request_body, outcome, status) \
             VALUES ('2026-11-01T10:00:00.000Z', 'sandbox', 'sandbox.juspay.in', 'acme', \
             'generic', 'OLD6', 'r', '100.00', 'INR', 'c', 'Old', '9000000042', \
             'old@example.com', '{}', 'created', 'CHARGED')",
            [],
        )
        .expect("v6 row");
    }
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), schema::LATEST);
    let old = store
        .latest_by_order_id("OLD6")
        .expect("read")
        .expect("the order survives");
    assert_eq!(old.status.as_deref(), Some("CHARGED"));
    assert!(store.refunds_of("OLD6").expect("refunds").is_empty());
    assert!(store.events("OLD6").expect("events").is_empty());
    let id = store
        .insert_refund(&refund(old.id, "OLD6", "r1", Some(2_500)))
        .expect("write")
        .expect("allowed");
    let row = store.refund_row(id).expect("read").expect("row");
    assert_eq!(row.state, RefundState::Sending);
    assert_eq!(row.order_row_id, Some(old.id));
    let events = store.events("OLD6").expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "refund_sending");
    assert!(events[0].detail.contains("25.00"), "{:?}", events[0]);
    // Written by this version: recorded, empty because this refund named no operator.
    assert_eq!(events[0].operator.as_deref(), Some(""));
}

#[test]
fn no_new_refund_id_while_an_earlier_attempt_is_unsettled_nor_more_than_is_left() {
    let store = Store::open_in_memory().expect("store");
    let order_id = store.insert_sending(&order("O1")).expect("order");
    let first = store
        .insert_refund(&refund(order_id, "O1", "r1", Some(6_000)))
        .expect("write")
        .expect("allowed");
    // Still `sending`: it may exist at Juspay, so no second id yet.
    assert_eq!(
        store.insert_refund(&refund(order_id, "O1", "r2", Some(1_000))),
        Ok(Err(RefundBlocked::Unsettled {
            unique_request_id: "r1".into()
        }))
    );
    let lost = decide(
        RefundState::Sending,
        RefundEvidence::NoAnswer {
            reason: "timeout".into(),
        },
    );
    assert!(store.apply_refund(first, &lost, None).expect("apply"));
    assert!(matches!(
        store.insert_refund(&refund(order_id, "O1", "r2", Some(1_000))),
        Ok(Err(RefundBlocked::Unsettled { .. }))
    ));
    juspay_says(&store, first, RefundStatus::Pending);
    // Pending holds its 60.00: 40.00 is left.
    assert_eq!(
        store.insert_refund(&refund(order_id, "O1", "r2", Some(4_001))),
        Ok(Err(RefundBlocked::Exceeds {
            refundable_paise: 4_000
        }))
    );
    let second = store
        .insert_refund(&refund(order_id, "O1", "r2", None))
        .expect("write")
        .expect("all that is left");
    juspay_says(&store, second, RefundStatus::Failure);
    // A failed refund gives its amount back to what is left.
    let third = store
        .insert_refund(&refund(order_id, "O1", "r3", Some(4_000)))
        .expect("write")
        .expect("allowed");
    juspay_says(&store, third, RefundStatus::Success);
    assert_eq!(
        store.insert_refund(&refund(order_id, "O1", "r4", Some(1))),
        Ok(Err(RefundBlocked::Exceeds {
            refundable_paise: 0
        }))
    );
}

#[test]
fn the_story_is_append_only_and_tells_each_refund_state() {
    let store = Store::open_in_memory().expect("store");
    let order_id = store.insert_sending(&order("O2")).expect("order");
    let id = store
        .insert_refund(&refund(order_id, "O2", "r1", Some(1_000)))
        .expect("write")
        .expect("allowed");
    juspay_says(&store, id, RefundStatus::Pending);
    juspay_says(&store, id, RefundStatus::Pending);
    let failed = decide(
        RefundState::Pending,
        RefundEvidence::CheckFailed {
            reason: "HTTP 502".into(),
        },
    );
    assert!(store.apply_refund(id, &failed, None).expect("apply"));
    juspay_says(&store, id, RefundStatus::Success);
    let events = store.events("O2").expect("events");
    let told: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.kind.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(told[0].0, "sending");
    assert_eq!(told[1].0, "refund_sending");
    assert_eq!(told[2], ("refund", "refund r1: pending"));
    // The same status seen again adds nothing; the failed check is told.
    assert_eq!(
        told[3],
        ("check_failed", "refund r1 (check failed: HTTP 502)")
    );
    assert_eq!(told[4], ("refund", "refund r1: success"));
    assert_eq!(told.len(), 5, "{told:?}");
    assert!(events.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(events.iter().all(|e| e.at.ends_with('Z')));
    // Nothing rewrites the story, not even a raw connection.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("h.db");
    let on_disk = Store::open(&file).expect("store");
    on_disk.insert_sending(&order("O3")).expect("order");
    let conn = Connection::open(&file).expect("raw");
    let err = conn
        .execute("UPDATE order_events SET detail = 'rewritten'", [])
        .expect_err("append-only");
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn refunded_and_partially_refunded_orders_are_found_and_forget_takes_their_refunds() {
    let store = Store::open_in_memory().expect("store");
    let full = store.insert_sending(&order("FULL")).expect("order");
    let part = store.insert_sending(&order("PART")).expect("order");
    store.insert_sending(&order("NONE")).expect("order");
    let a = store
        .insert_refund(&refund(full, "FULL", "a", Some(4_000)))
        .expect("write")
        .expect("ok");
    juspay_says(&store, a, RefundStatus::Success);
    let b = store
        .insert_refund(&refund(full, "FULL", "b", Some(6_000)))
        .expect("write")
        .expect("ok");
    juspay_says(&store, b, RefundStatus::Success);
    let c = store
        .insert_refund(&refund(part, "PART", "c", Some(1_000)))
        .expect("write")
        .expect("ok");
    juspay_says(&store, c, RefundStatus::Success);
    let found = |word: &str| {
        let mut query = Query::default();
        StatusFilter::parse(word).expect("word").apply(&mut query);
        let rows = store.window(&query).expect("window");
        assert_eq!(store.count(&query).expect("count"), rows.len() as u64);
        rows.into_iter().map(|r| r.order_id).collect::<Vec<_>>()
    };
    assert_eq!(found("refunded"), ["FULL"]);
    assert_eq!(found("partially-refunded"), ["PART"]);
    assert_eq!(store.forget("FULL").expect("forget"), 1);
    assert!(store.refunds_of("FULL").expect("refunds").is_empty());
    assert!(store.events("FULL").expect("events").is_empty());
    assert!(found("refunded").is_empty());
    assert_eq!(store.refunds_of("PART").expect("refunds").len(), 1);
}
