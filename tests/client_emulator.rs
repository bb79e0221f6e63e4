//! The Juspay client against the embedded emulator: success and every `ApiError` kind,
//! each fault knob included.

use std::collections::HashSet;
use std::time::Duration;

use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig, Fault};
use paydesk::juspay::client::MAX_RESPONSE_BYTES;
use paydesk::juspay::{ApiError, Client, ClientConfig, OrderState};
use paydesk::secret::ApiKey;
use serde_json::{Map, Value, json};

/// The travel sample of the reference (§3d), with its own order id.
fn travel(order_id: &str) -> Map<String, Value> {
    let value = json!({
        "order_id": order_id,
        "amount": "5000.0",
        "customer_id": "testing-customer-9999999999",
        "customer_email": "juspay@gmail.in",
        "customer_phone": "9999999999",
        "payment_page_client_id": "client_id",
        "action": "paymentPage",
        "return_url": "https://www.google.com/",
        "description": "Complete your payment",
        "customer_first_name": "John",
        "customer_middle_name": "Alex",
        "customer_last_name": "Doe",
        "metadata.origin": "Bangalore",
        "metadata.destination": "Mangalore",
        "metadata.travel_start_date": "29-Dec-2024",
        "metadata.travel_end_date": "31-Dec-2024",
        "metadata.travel_type": "Visa",
        "metadata.agent_email_id": "xyz@gmail.com",
        "metadata.agent_mobile": "9888888888",
        "metadata.agent_name": "Juspay B2C",
        "metadata.brand_name": "Juspay B2C"
    });
    match value {
        Value::Object(map) => map,
        _ => unreachable!("literal object"),
    }
}

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator starts")
}

fn client_with(base_url: &str, key: &str, merchant: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base_url, merchant, ApiKey::new(key));
    config.request_timeout = timeout;
    Client::new(config).expect("client")
}

fn client(emu: &Emulator) -> Client {
    client_with(
        emu.base_url(),
        DEMO_API_KEY,
        DEMO_MERCHANT_ID,
        Duration::from_secs(30),
    )
}

async fn create(
    client: &Client,
    order_id: &str,
) -> Result<paydesk::juspay::SessionResponse, ApiError> {
    client
        .create_session(&travel(order_id), &Client::new_request_id())
        .await
}

#[tokio::test]
async fn create_returns_link_expiry_and_sdk_payload() {
    let emu = emulator().await;
    let session = create(&client(&emu), "TRAVEL_1").await.expect("created");

    assert_eq!(session.status.as_deref(), Some("NEW"));
    assert_eq!(session.order_id.as_deref(), Some("TRAVEL_1"));
    let id = session.id.clone().expect("juspay id");
    let hex = id.strip_prefix("ordv2_").expect("ordv2_ prefix");
    assert!(
        hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(
        session.web_link(),
        Some(format!("{}/payment-page/order/{id}", emu.base_url()).as_str())
    );
    let expiry = session.link_expiry().expect("expiry");
    let expiry =
        time::OffsetDateTime::parse(expiry, &time::format_description::well_known::Rfc3339)
            .expect("ISO-8601");
    let minutes = (expiry - time::OffsetDateTime::now_utc()).whole_minutes();
    assert!((13..=15).contains(&minutes), "link valid for {minutes} min");

    let sdk = session.sdk_payload.as_ref().expect("sdk_payload");
    assert_eq!(sdk["service"], "in.juspay.hyperpay");
    let payload = &sdk["payload"];
    assert_eq!(payload["orderId"], "TRAVEL_1");
    assert_eq!(payload["customerEmail"], "juspay@gmail.in");
    assert_eq!(payload["merchantId"], DEMO_MERCHANT_ID);
    assert!(
        payload["clientAuthToken"]
            .as_str()
            .is_some_and(|t| t.starts_with("tkn_"))
    );

    let masked = session.to_masked_json().to_string();
    assert!(!masked.contains("tkn_"), "{masked}");
}

#[tokio::test]
async fn status_follows_the_order_from_new_to_charged() {
    let emu = emulator().await;
    let client = client(&emu);
    create(&client, "PAYME_1").await.expect("created");

    let status = client.order_status("PAYME_1", None).await.expect("found");
    assert_eq!(status.state(), Some(OrderState::New));
    assert_eq!(status.amount, Some(json!(5000.0)));
    assert_eq!(status.status_id, Some(json!(10)));
    assert_eq!(status.extra_str("customer_email"), Some("juspay@gmail.in"));

    assert_eq!(emu.settle("PAYME_1", true).as_deref(), Some("CHARGED"));
    let status = client.order_status("PAYME_1", None).await.expect("found");
    assert_eq!(status.state(), Some(OrderState::Charged));
    assert_eq!(status.status_id, Some(json!(21)));
    assert_eq!(status.amount_text().as_deref(), Some("5000.0"));
}

#[tokio::test]
async fn missing_and_malformed_fields_are_invalid_with_field_names() {
    let emu = emulator().await;
    let mut body = travel("BAD_1");
    body.remove("customer_email");
    body.insert("customer_phone".into(), json!("+91999999"));
    let err = client(&emu)
        .create_session(&body, "req-1")
        .await
        .expect_err("rejected");
    let ApiError::Invalid { fields, message } = &err else {
        panic!("not Invalid: {err:?}")
    };
    let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ["customer_email", "customer_phone"]);
    assert_eq!(message, "Mandatory fields are missing");
    assert!(!err.order_may_exist());
    assert_eq!(emu.order_count(), 0);
}

#[tokio::test]
async fn wrong_key_or_merchant_is_auth() {
    let emu = emulator().await;
    let timeout = Duration::from_secs(30);
    for client in [
        client_with(emu.base_url(), "not-the-key", DEMO_MERCHANT_ID, timeout),
        client_with(emu.base_url(), DEMO_API_KEY, "someone_else", timeout),
    ] {
        let err = create(&client, "AUTH_1").await.expect_err("refused");
        assert!(matches!(err, ApiError::Auth { .. }), "{err:?}");
        let err = client
            .order_status("AUTH_1", None)
            .await
            .expect_err("refused");
        let ApiError::Auth { user_message, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(user_message, "Unauthorized.");
    }
    let err = create(
        &client_with(emu.base_url(), "x", DEMO_MERCHANT_ID, timeout),
        "A",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("Invalid API Key"), "{err}");
    assert_eq!(emu.order_count(), 0);
}

#[tokio::test]
async fn unknown_order_and_wrong_base_path_are_not_found() {
    let emu = emulator().await;
    let err = client(&emu)
        .order_status("NOPE/../x?y", None)
        .await
        .expect_err("unknown");
    assert!(matches!(err, ApiError::OrderNotFound(_)), "{err:?}");
    assert!(err.to_string().contains("NOPE/../x?y"), "{err}");

    let wrong_base = format!("{}/v9", emu.base_url());
    let wrong = client_with(
        &wrong_base,
        DEMO_API_KEY,
        DEMO_MERCHANT_ID,
        Duration::from_secs(30),
    );
    let err = create(&wrong, "NF_1").await.expect_err("no such route");
    assert!(matches!(err, ApiError::NotFound(_)), "{err:?}");
    assert!(err.to_string().contains("base URL"), "{err}");
}

#[tokio::test]
async fn same_order_again_is_idempotent_and_a_new_amount_is_refused() {
    let emu = emulator().await;
    let client = client(&emu);
    let first = create(&client, "TWICE_1").await.expect("created");
    let mut same = travel("TWICE_1");
    same.insert("amount".into(), json!("5000"));
    let again = client
        .create_session(&same, "req-2")
        .await
        .expect("same order");
    assert_eq!(first.id, again.id);
    assert_eq!(first.web_link(), again.web_link());

    let mut more = travel("TWICE_1");
    more.insert("amount".into(), json!("5000.01"));
    let err = client
        .create_session(&more, "req-3")
        .await
        .expect_err("different amount");
    let ApiError::Invalid { fields, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(fields.first().map(|(f, _)| f.as_str()), Some("amount"));
    assert_eq!(emu.order_count(), 1);
}

#[tokio::test]
async fn html_500_is_a_server_error_with_a_plain_snippet() {
    let emu = emulator().await;
    emu.set_fault(Some(Fault::Html500));
    let client = client(&emu);
    let err = create(&client, "FAULT_500").await.expect_err("500");
    let ApiError::Server { status, snippet } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 500);
    assert!(snippet.contains("500 Internal Server Error"), "{snippet}");
    assert!(!snippet.contains('<'), "{snippet}");
    assert!(snippet.chars().count() <= 201);
    assert!(err.order_may_exist());
    // The fault spoiled the answer, not the work: the order is there.
    emu.set_fault(None);
    assert!(client.order_status("FAULT_500", None).await.is_ok());

    emu.set_fault(Some(Fault::Html500));
    let err = client
        .order_status("FAULT_500", None)
        .await
        .expect_err("500 on status too");
    assert!(
        matches!(err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_and_empty_bodies_are_decode_errors() {
    let emu = emulator().await;
    let client = client(&emu);
    emu.set_fault(Some(Fault::MalformedJson));
    let err = create(&client, "FAULT_JSON").await.expect_err("malformed");
    let ApiError::Decode { status, snippet } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert!(snippet.starts_with("{\"status\": \"NEW\""), "{snippet}");
    assert!(err.order_may_exist());

    emu.set_fault(Some(Fault::EmptyBody));
    let err = create(&client, "FAULT_EMPTY").await.expect_err("empty");
    assert!(
        matches!(&err, ApiError::Decode { status: 200, snippet } if snippet.contains("empty")),
        "{err:?}"
    );
}

#[tokio::test]
async fn dropped_connection_is_interrupted_and_the_order_may_exist() {
    let emu = emulator().await;
    emu.set_fault(Some(Fault::DropConnection));
    let client = client(&emu);
    let err = create(&client, "FAULT_DROP").await.expect_err("dropped");
    assert!(matches!(err, ApiError::Interrupted(_)), "{err:?}");
    assert!(err.order_may_exist());
    assert_eq!(emu.order_status("FAULT_DROP").as_deref(), Some("NEW"));
    // The client is still usable afterwards.
    emu.set_fault(None);
    assert!(client.order_status("FAULT_DROP", None).await.is_ok());
}

#[tokio::test]
async fn slow_drip_times_out_and_the_order_may_exist() {
    let emu = emulator().await;
    emu.set_fault(Some(Fault::SlowDrip));
    let client = client_with(
        emu.base_url(),
        DEMO_API_KEY,
        DEMO_MERCHANT_ID,
        Duration::from_secs(1),
    );
    let err = create(&client, "FAULT_SLOW").await.expect_err("too slow");
    assert_eq!(err, ApiError::Timeout { seconds: 1 });
    assert!(err.order_may_exist());
    assert_eq!(emu.order_status("FAULT_SLOW").as_deref(), Some("NEW"));
}

#[tokio::test]
async fn latency_beyond_the_timeout_leaves_a_real_order_behind() {
    let emu = emulator().await;
    emu.set_latency(Duration::from_secs(5));
    let client = client_with(
        emu.base_url(),
        DEMO_API_KEY,
        DEMO_MERCHANT_ID,
        Duration::from_secs(1),
    );
    let err = create(&client, "LATE_1").await.expect_err("too late");
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    // Recorded before the delay: reconciliation will find it.
    assert_eq!(emu.order_status("LATE_1").as_deref(), Some("NEW"));
}

#[tokio::test]
async fn huge_body_is_refused() {
    let emu = emulator().await;
    emu.set_fault(Some(Fault::HugeBody));
    let err = create(&client(&emu), "FAULT_HUGE")
        .await
        .expect_err("too large");
    assert_eq!(
        err,
        ApiError::TooLarge {
            limit: MAX_RESPONSE_BYTES
        }
    );
    assert!(err.order_may_exist());
}

#[tokio::test]
async fn closed_port_is_a_network_error_and_nothing_was_sent() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = client_with(
        &format!("http://127.0.0.1:{port}"),
        "k",
        "m",
        Duration::from_secs(5),
    );
    let err = create(&client, "NET_1").await.expect_err("refused");
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
    assert!(!err.order_may_exist());
    assert!(err.to_string().contains("Nothing was sent"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_creates_lose_nothing() {
    let emu = emulator().await;
    let client = client(&emu);
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { create(&client, &format!("MANY_{i:03}")).await })
        })
        .collect();
    let mut ids = HashSet::new();
    for task in tasks {
        let session = task.await.expect("task").expect("created");
        ids.insert(session.id.expect("id"));
    }
    assert_eq!(ids.len(), 100);
    assert_eq!(emu.order_count(), 100);
    for i in 0..100 {
        let status = client
            .order_status(&format!("MANY_{i:03}"), None)
            .await
            .expect("retrievable");
        assert_eq!(status.order_id, Some(format!("MANY_{i:03}")));
    }
}
