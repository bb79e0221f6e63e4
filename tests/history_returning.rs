//! Returning customers (issue 13 item 3): the newest non-rejected order of a mobile number
//! or email gives the customer's last details, through an index.

use paydesk::history::returning::lookup_sql;
use paydesk::history::{CustomerKey, NewOrder, Outcome, Store};
use serde_json::json;

fn order(n: usize, phone: &str, email: &str, body: serde_json::Value) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        profile: "travel".into(),
        order_id: format!("ORD{n:05}"),
        request_id: format!("req-{n}"),
        amount: "100.00".into(),
        currency: "INR".into(),
        customer_id: format!("cust{n}"),
        customer_name: "Asha Rao".into(),
        customer_phone: phone.into(),
        customer_email: email.into(),
        request_body: body.to_string(),
    }
}

fn asha(n: usize, city: &str) -> serde_json::Value {
    json!({
        "order_id": format!("ORD{n:05}"),
        "amount": "100.00",
        "customer_id": "CUST-ASHA",
        "customer_first_name": "Asha",
        "customer_last_name": "Rao",
        "customer_email": "asha.rao@example.com",
        "customer_phone": "9876543210",
        "customer_dob": "14-03-1990",
        "customer_city": city,
        "customer_pincode": "560034",
        "customer_employment_type": "SALARIED",
        "metadata.origin": "Bangalore",
        "customer_middle_name": ""
    })
}

#[test]
fn the_newest_accepted_order_of_a_phone_or_email_gives_the_details() {
    let store = Store::open_in_memory().expect("store");
    let other = order(
        1,
        "9000000000",
        "ravi@example.com",
        json!({"customer_first_name": "Ravi"}),
    );
    let old = order(2, "9876543210", "asha.rao@example.com", asha(2, "Mysuru"));
    let new = order(
        3,
        "9876543210",
        "Asha.Rao@Example.com",
        asha(3, "Bengaluru"),
    );
    let rejected = order(
        4,
        "9876543210",
        "asha.rao@example.com",
        asha(4, "Typo City"),
    );
    let ids = store
        .insert_many(&[other, old, new, rejected])
        .expect("seed");
    store
        .record_failed(ids[3], Outcome::Rejected, "bad amount", None)
        .expect("reject");

    let by_phone = store
        .returning_customer(&CustomerKey::Phone("9876543210".into()))
        .expect("lookup")
        .expect("known customer");
    assert_eq!(by_phone.order_id, "ORD00003");
    assert_eq!(by_phone.details["customer_city"], "Bengaluru");
    assert_eq!(by_phone.details["customer_id"], "CUST-ASHA");
    assert!(
        !by_phone.details.contains_key("metadata.origin"),
        "trip data is not the customer's"
    );
    assert!(
        !by_phone.details.contains_key("customer_middle_name"),
        "empty values left out"
    );
    assert_eq!(
        by_phone.summary(),
        "Asha Rao · asha.rao@example.com · born 14-03-1990 · Bengaluru · 560034 · SALARIED"
    );

    let by_email = store
        .returning_customer(&CustomerKey::Email("ASHA.RAO@example.com".into()))
        .expect("lookup")
        .expect("known by email in any case");
    assert_eq!(by_email.order_id, "ORD00003");

    let unknown = store.returning_customer(&CustomerKey::Phone("9111111111".into()));
    assert_eq!(unknown.expect("lookup"), None);
    let empty = store.returning_customer(&CustomerKey::Email(" ".into()));
    assert_eq!(empty.expect("lookup"), None);
}

#[test]
fn lookups_use_the_customer_indexes() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("history.db");
    drop(Store::open(&path).expect("migrate"));
    let conn = rusqlite::Connection::open(&path).expect("raw");
    for (key, index) in [
        (CustomerKey::Phone("1".into()), "orders_by_customer_phone"),
        (CustomerKey::Email("a".into()), "orders_by_customer_email"),
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", lookup_sql(&key)))
            .expect("explain")
            .query_map(["x"], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("rows");
        let plan = plan.join("\n");
        assert!(plan.contains(index), "{key:?}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{key:?} sorts: {plan}");
    }
}
