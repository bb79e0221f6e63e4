//! History window listing and search over 100,000 orders (issue 5; target ≤ 10 ms each).
//!
//! The setup seeds a temporary database through the store itself (so the search tables are
//! filled as in real use), with realistic request bodies, then marks most orders created
//! with a mix of statuses. A plain `LIKE` scan of `orders` is measured too, as the baseline
//! the search tables are there to beat.
//!
//! Also the returning-customer lookup by phone and email (issue 13).
//!
//! Run: `cargo bench --bench history`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use paydesk::history::{CustomerKey, NewOrder, Query, Store};

#[path = "common/people.rs"]
mod people;
use people::order;

const ROWS: usize = 100_000;
const WINDOW: usize = 50;

fn seed(path: &Path) -> Store {
    let store = Store::open(path).expect("open the bench database");
    for chunk in (0..ROWS).collect::<Vec<_>>().chunks(5_000) {
        let orders: Vec<NewOrder> = chunk.iter().map(|&n| order(n)).collect();
        store.insert_many(&orders).expect("seed");
    }
    let conn = rusqlite::Connection::open(path).expect("raw connection");
    conn.execute_batch(
        "UPDATE orders SET outcome = 'created', juspay_id = 'ordv2_' || id,
             payment_link = 'https://sandbox.juspay.in/orders/ordv2_' || id || '/payment-page',
             status = CASE id % 10 WHEN 0 THEN 'NEW' WHEN 1 THEN 'PENDING_VBV'
                      WHEN 2 THEN 'AUTHORIZATION_FAILED' ELSE 'CHARGED' END,
             response_body = '{\"status\":\"NEW\",\"id\":\"ordv2_' || id || '\"}'
         WHERE id % 50 <> 0;
         UPDATE orders SET outcome = 'rejected', error = 'Juspay rejected the request'
         WHERE id % 50 = 0;
         ANALYZE;",
    )
    .expect("statuses");
    store
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    let store = seed(&path);
    let query = |search: Option<&str>| people::query(search, WINDOW);
    // Sanity: the searches find what the figures claim they find.
    let count = |q: &Query| store.count(q).expect("count");
    assert_eq!(count(&Query::default()), ROWS as u64);
    assert_eq!(count(&query(Some("ORD20260054321"))), 1);
    assert_eq!(count(&query(Some("qz"))), 0);
    for term in [
        "kumar",
        "asha iyer",
        "900007919",
        "meera.rao5@",
        "ra",
        "zzzz",
    ] {
        eprintln!(
            "{term:?} matches {} of {ROWS} orders",
            count(&query(Some(term)))
        );
    }

    let mut g = c.benchmark_group("history_100k");
    let mut window = |name: &str, q: Query| {
        g.bench_function(name, |b| {
            b.iter(|| black_box(store.window(black_box(&q)).expect("window")))
        });
    };
    window("window_newest_50", query(None));
    window(
        "window_keyset_middle_50",
        Query {
            before_id: Some(50_000),
            ..query(None)
        },
    );
    window(
        "window_offset_50000",
        Query {
            offset: 50_000,
            ..query(None)
        },
    );
    for (name, q) in people::searches("ORD20260054321", WINDOW) {
        window(name, q);
    }

    let mut counts = |name: &str, q: Query| {
        g.bench_function(name, |b| {
            b.iter(|| black_box(store.count(black_box(&q)).expect("count")))
        });
    };
    counts("count_all", query(None));
    counts("count_search_kumar", query(Some("kumar")));
    counts("count_search_short_ra", query(Some("ra")));

    // Returning customers (issue 13): the desk looks a customer up as a number or email is
    // typed, so each lookup must fit well inside a frame.
    let known = order(54_321);
    let lookups = [
        (
            "returning_by_phone",
            CustomerKey::Phone(known.customer_phone),
        ),
        (
            "returning_by_email_any_case",
            CustomerKey::Email(known.customer_email.to_uppercase()),
        ),
        (
            "returning_unknown_phone",
            CustomerKey::Phone("8000000000".into()),
        ),
    ];
    for (name, key) in lookups {
        let found = store.returning_customer(&key).expect("lookup");
        assert_eq!(found.is_some(), name != "returning_unknown_phone", "{name}");
        g.bench_function(name, |b| {
            b.iter(|| black_box(store.returning_customer(black_box(&key)).expect("lookup")))
        });
    }

    // The baseline: what a LIKE scan over the order rows costs for a rare term.
    let conn = rusqlite::Connection::open(&path).expect("raw connection");
    let mut like = conn
        .prepare(
            "SELECT id FROM orders WHERE order_id LIKE ?1 OR customer_name LIKE ?1 \
             OR customer_phone LIKE ?1 OR customer_email LIKE ?1 ORDER BY id DESC LIMIT 50",
        )
        .expect("prepare");
    g.bench_function("baseline_like_scan_rare_phone", |b| {
        b.iter(|| {
            let ids: Vec<i64> = like
                .query_map(["%900007919%"], |r| r.get(0))
                .expect("query")
                .filter_map(Result::ok)
                .collect();
            black_box(ids)
        })
    });
    g.finish();
}

criterion_group!(history, benches);
criterion_main!(history);
