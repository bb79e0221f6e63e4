//! The orders the history benches seed: order `n` has one of 16 × 12 names, a phone and
//! an email made from `n`, and a travel-sized request body (shared by `benches/history.rs`
//! and `benches/ledger_pg.rs`, so SQLite and PostgreSQL are measured on the same rows),
//! and the window and search queries both measure.

use paydesk::history::{NewOrder, Query};

pub const FIRST: &[&str] = &[
    "Asha", "Ravi", "Meera", "Arjun", "Priya", "Vikram", "Sneha", "Rahul", "Anita", "Karthik",
    "Divya", "Suresh", "Lakshmi", "Manoj", "Pooja", "Ganesh",
];
pub const LAST: &[&str] = &[
    "Rao", "Kumar", "Iyer", "Sharma", "Patel", "Reddy", "Nair", "Singh", "Das", "Menon", "Gupta",
    "Joshi",
];

pub fn order(n: usize) -> NewOrder {
    let first = FIRST[n % FIRST.len()];
    let last = LAST[(n / FIRST.len()) % LAST.len()];
    let order_id = format!("ORD2026{n:07}");
    NewOrder {
        environment: if n.is_multiple_of(10) {
            "production"
        } else {
            "sandbox"
        }
        .into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        profile: "travel".into(),
        request_id: format!("{n:032x}"),
        amount: format!("{}.00", 500 + n % 50_000),
        currency: "INR".into(),
        customer_id: format!("CUST{}", n % 7_000),
        customer_name: format!("{first} {last}"),
        customer_phone: format!("9{:09}", (n as u64 * 7_919) % 1_000_000_000),
        customer_email: format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            n % 97
        ),
        // About the size of a travel-profile body.
        request_body: format!(
            r#"{{"order_id":"{order_id}","amount":"{n}.00","currency":"INR","customer_id":"CUST{n}","customer_email":"x@example.com","customer_phone":"9000000000","customer_first_name":"{first}","customer_last_name":"{last}","payment_page_client_id":"acme_client","action":"paymentPage","return_url":"https://shop.example.com/return","description":"Bangalore to Mangalore, 2 passengers, return","metadata.origin":"Bangalore","metadata.destination":"Mangalore","metadata.travel_start_date":"01-Dec-2026","metadata.travel_end_date":"05-Dec-2026","metadata.brand_name":"Acme Travels","udf1":"desk-3","udf2":"counter-7"}}"#
        ),
        order_id,
        ..NewOrder::default()
    }
}

/// A window of `limit` newest rows, searched for `search` when given.
pub fn query(search: Option<&str>, limit: usize) -> Query {
    Query {
        search: search.map(String::from),
        limit,
        ..Query::default()
    }
}

/// The filters and searches both benches time, by name: `full_order_id` is one order's id
/// (the benches seed different numbers of rows).
pub fn searches(full_order_id: &str, limit: usize) -> Vec<(&'static str, Query)> {
    let q = |search: Option<&str>| query(search, limit);
    vec![
        (
            "filter_status_pending",
            Query {
                status: Some("PENDING_VBV".into()),
                ..q(None)
            },
        ),
        (
            "filter_env_production",
            Query {
                environment: Some("production".into()),
                ..q(None)
            },
        ),
        ("search_common_name_kumar", q(Some("kumar"))),
        ("search_two_terms_asha_iyer", q(Some("asha iyer"))),
        ("search_rare_phone", q(Some("900007919"))),
        ("search_full_order_id", q(Some(full_order_id))),
        ("search_email_part", q(Some("meera.rao5@"))),
        ("search_no_match", q(Some("zzzz"))),
        ("search_short_common_ra", q(Some("ra"))),
        ("search_short_no_match_qz", q(Some("qz"))),
        (
            "search_kumar_and_status_new",
            Query {
                status: Some("NEW".into()),
                ..q(Some("kumar"))
            },
        ),
    ]
}
