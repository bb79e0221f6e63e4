//! The Refund API: the client against the emulator for each documented answer and
//! error (reference juspay-refunds.md), the wire the client sends, and the emulator's
//! refund knobs (clock, delay, faults, pay again). The emulator's clock is frozen and
//! moved by hand: no test sleeps.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, Uri};
use axum::routing::any;
use paydesk::emulator::{
    DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig, Fault, HeldRefund,
};
use paydesk::juspay::{
    ApiError, Client, ClientConfig, OrderStatus, RefundRefusal, RefundRequest, RefundStatus,
};
use paydesk::secret::ApiKey;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

const CUSTOMER: &str = "cust-42";

struct Desk {
    emu: Emulator,
    client: Client,
}

impl Desk {
    /// An emulator with its clock frozen, refunds settling after 60 s, and a client.
    async fn start() -> Desk {
        let emu = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator starts");
        emu.freeze_clock(OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000));
        emu.set_refund_delay(Duration::from_secs(60));
        let client = client_with(emu.base_url(), DEMO_API_KEY, Duration::from_secs(30));
        Desk { emu, client }
    }

    /// A 5000.00 order, paid when `paid`.
    async fn order(&self, order_id: &str, paid: bool) {
        let body: Map<String, Value> = match json!({
            "order_id": order_id,
            "amount": "5000.00",
            "customer_id": CUSTOMER,
            "customer_email": "juspay@gmail.in",
            "customer_phone": "9999999999",
            "payment_page_client_id": "client_id",
            "action": "paymentPage",
            "return_url": "https://example.com/",
        }) {
            Value::Object(map) => map,
            _ => unreachable!("literal object"),
        };
        self.client
            .create_session(&body, &Client::new_request_id())
            .await
            .expect("order created");
        if paid {
            assert_eq!(self.emu.settle(order_id, true).as_deref(), Some("CHARGED"));
        }
    }

    async fn refund(
        &self,
        order_id: &str,
        unique_request_id: &str,
        amount_paise: Option<u64>,
    ) -> Result<OrderStatus, ApiError> {
        self.client
            .refund(&RefundRequest {
                order_id,
                unique_request_id,
                amount_paise,
                routing_id: Some(CUSTOMER),
            })
            .await
    }

    fn held(&self, order_id: &str) -> Vec<(String, u64, &'static str)> {
        self.emu
            .refunds(order_id)
            .into_iter()
            .map(
                |HeldRefund {
                     unique_request_id,
                     amount_paise,
                     status,
                 }| (unique_request_id, amount_paise, status),
            )
            .collect()
    }
}

fn client_with(base_url: &str, key: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base_url, DEMO_MERCHANT_ID, ApiKey::new(key));
    config.request_timeout = timeout;
    Client::new(config).expect("client")
}

fn refusal(result: Result<OrderStatus, ApiError>) -> RefundRefusal {
    match result {
        Err(ApiError::Refund(refusal)) => refusal,
        other => panic!("expected a refund refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_partial_refund_starts_pending_and_settles_after_the_delay() {
    let desk = Desk::start().await;
    desk.order("RF_PART", true).await;

    let order = desk
        .refund("RF_PART", "rfa1", Some(120_050))
        .await
        .expect("refund accepted");
    assert_eq!(order.order_id.as_deref(), Some("RF_PART"));
    assert_eq!(order.status.as_deref(), Some("CHARGED"));
    assert_eq!(order.amount_paise(), Some(500_000));
    assert_eq!(order.amount_refunded_paise(), Some(120_050));
    assert_eq!(order.refunded(), Some(false));
    let refunds = order.refunds();
    assert_eq!(refunds.len(), 1);
    let refund = &refunds[0];
    assert_eq!(refund.unique_request_id.as_deref(), Some("rfa1"));
    assert_eq!(refund.amount_paise(), Some(120_050));
    assert_eq!(refund.state(), Some(RefundStatus::Pending));
    assert_eq!(refund.sent_to_gateway(), Some(false));

    // Order Status carries the same array, and follows the refund to SUCCESS.
    desk.emu.advance_clock(Duration::from_secs(59));
    let status = desk
        .client
        .order_status("RF_PART", None)
        .await
        .expect("status");
    assert_eq!(
        status.refund_by_request_id("rfa1").and_then(|r| r.state()),
        Some(RefundStatus::Pending)
    );
    desk.emu.advance_clock(Duration::from_secs(1));
    let status = desk
        .client
        .order_status("RF_PART", None)
        .await
        .expect("status");
    let refund = status.refund_by_request_id("rfa1").expect("listed");
    assert_eq!(refund.state(), Some(RefundStatus::Success));
    assert_eq!(refund.sent_to_gateway(), Some(true));
    assert_eq!(status.amount_refunded_paise(), Some(120_050));
}

#[tokio::test]
async fn no_amount_refunds_all_that_is_left() {
    let desk = Desk::start().await;
    desk.order("RF_REST", true).await;
    desk.refund("RF_REST", "rfb1", Some(100_000))
        .await
        .expect("first");
    let order = desk.refund("RF_REST", "rfb2", None).await.expect("rest");
    assert_eq!(order.amount_refunded_paise(), Some(500_000));
    assert_eq!(order.refunded(), Some(true));
    assert_eq!(
        desk.held("RF_REST"),
        [
            ("rfb1".to_string(), 100_000, "PENDING"),
            ("rfb2".to_string(), 400_000, "PENDING")
        ]
    );
}

#[tokio::test]
async fn the_same_unique_request_id_is_refused_and_holds_one_refund() {
    let desk = Desk::start().await;
    desk.order("RF_DUP", true).await;
    desk.refund("RF_DUP", "rfc1", Some(10_000))
        .await
        .expect("first");
    // A retry after a lost answer: same id, even with another amount or much later.
    desk.emu.advance_clock(Duration::from_secs(3600));
    for amount in [Some(10_000), Some(20_000), None] {
        assert_eq!(
            refusal(desk.refund("RF_DUP", "rfc1", amount).await),
            RefundRefusal::RequestIdUsed
        );
    }
    assert_eq!(
        desk.held("RF_DUP"),
        [("rfc1".to_string(), 10_000, "SUCCESS")]
    );
}

#[tokio::test]
async fn the_same_amount_within_five_seconds_is_refused() {
    let desk = Desk::start().await;
    desk.order("RF_FIVE", true).await;
    desk.refund("RF_FIVE", "rfd1", Some(10_000))
        .await
        .expect("first");
    desk.emu.advance_clock(Duration::from_millis(4_999));
    assert_eq!(
        refusal(desk.refund("RF_FIVE", "rfd2", Some(10_000)).await),
        RefundRefusal::SameAmountInProgress
    );
    // Another amount is fine at once; the same amount once 5 s have passed.
    desk.refund("RF_FIVE", "rfd3", Some(10_001))
        .await
        .expect("another amount");
    desk.emu.advance_clock(Duration::from_millis(1));
    desk.refund("RF_FIVE", "rfd4", Some(10_000))
        .await
        .expect("after 5 s");
    assert_eq!(desk.held("RF_FIVE").len(), 3);
}

#[tokio::test]
async fn more_than_is_left_is_refused() {
    let desk = Desk::start().await;
    desk.order("RF_OVER", true).await;
    assert_eq!(
        refusal(desk.refund("RF_OVER", "rfe1", Some(500_001)).await),
        RefundRefusal::AmountExceeded
    );
    desk.refund("RF_OVER", "rfe2", Some(300_000))
        .await
        .expect("part");
    // A pending refund counts against what is left.
    assert_eq!(
        refusal(desk.refund("RF_OVER", "rfe3", Some(200_001)).await),
        RefundRefusal::AmountExceeded
    );
    desk.refund("RF_OVER", "rfe4", Some(200_000))
        .await
        .expect("exactly the rest");
    desk.emu.advance_clock(Duration::from_secs(10));
    assert_eq!(
        refusal(desk.refund("RF_OVER", "rfe5", None).await),
        RefundRefusal::AmountExceeded
    );
    assert_eq!(desk.held("RF_OVER").len(), 2);
}

#[tokio::test]
async fn a_zero_amount_is_invalid() {
    let desk = Desk::start().await;
    desk.order("RF_ZERO", true).await;
    let error = desk.refund("RF_ZERO", "rff1", Some(0)).await.unwrap_err();
    assert_eq!(error, ApiError::Refund(RefundRefusal::InvalidAmount));
    assert_eq!(error.kind(), "refund_refused");
    assert!(!error.order_may_exist());
    assert!(desk.held("RF_ZERO").is_empty());
}

#[tokio::test]
async fn a_missing_unique_request_id_is_refused() {
    let desk = Desk::start().await;
    desk.order("RF_MISS", true).await;
    let error = desk.refund("RF_MISS", "", None).await.unwrap_err();
    assert_eq!(error, ApiError::Refund(RefundRefusal::MissingFields));
    assert!(error.to_string().contains("unique_request_id"), "{error}");
    assert!(desk.held("RF_MISS").is_empty());
}

#[tokio::test]
async fn a_malformed_unique_request_id_names_the_field() {
    let desk = Desk::start().await;
    desk.order("RF_BADID", true).await;
    for id in ["has-dash", "abcdefghijklmnopqrstu"] {
        match desk.refund("RF_BADID", id, None).await {
            Err(ApiError::Invalid { fields, .. }) => {
                assert_eq!(fields[0].0, "unique_request_id", "{id}")
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    desk.refund("RF_BADID", "abcdefghijklmnopqrst", None)
        .await
        .expect("20 letters are fine");
}

#[tokio::test]
async fn an_unknown_order_is_not_found() {
    let desk = Desk::start().await;
    match desk.refund("NO_SUCH", "rfg1", None).await {
        Err(ApiError::NotFound(message)) => {
            assert!(message.contains("NO_SUCH"), "{message}");
            assert!(message.contains("nothing was refunded"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unpaid_order_is_refused_with_a_clear_message() {
    let desk = Desk::start().await;
    desk.order("RF_NEW", false).await;
    match desk.refund("RF_NEW", "rfh1", None).await {
        Err(ApiError::Invalid { message, .. }) => {
            assert!(message.contains("Only CHARGED orders"), "{message}");
            assert!(message.contains("NEW"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(desk.held("RF_NEW").is_empty());
}

#[tokio::test]
async fn a_wrong_key_is_an_auth_error() {
    let desk = Desk::start().await;
    desk.order("RF_AUTH", true).await;
    let client = client_with(desk.emu.base_url(), "wrong", Duration::from_secs(30));
    let result = client
        .refund(&RefundRequest {
            order_id: "RF_AUTH",
            unique_request_id: "rfi1",
            amount_paise: None,
            routing_id: None,
        })
        .await;
    assert!(matches!(result, Err(ApiError::Auth { .. })), "{result:?}");
    assert!(desk.held("RF_AUTH").is_empty());
}

#[tokio::test]
async fn the_refund_faults_end_refunds_in_failure_or_manual_review() {
    let desk = Desk::start().await;
    desk.order("RF_FAULT", true).await;
    desk.emu
        .set_fault(Some("refund-failure".parse().expect("a fault")));
    let order = desk
        .refund("RF_FAULT", "rfj1", Some(100_000))
        .await
        .expect("answers are untouched");
    assert_eq!(
        order.refund_by_request_id("rfj1").and_then(|r| r.state()),
        Some(RefundStatus::Pending)
    );
    desk.emu.set_fault(Some(Fault::RefundManualReview));
    desk.refund("RF_FAULT", "rfj2", Some(200_000))
        .await
        .expect("accepted");
    desk.emu.set_fault(None);
    desk.refund("RF_FAULT", "rfj3", Some(50_000))
        .await
        .expect("accepted");

    desk.emu.advance_clock(Duration::from_secs(60));
    let status = desk
        .client
        .order_status("RF_FAULT", None)
        .await
        .expect("status");
    let states: Vec<_> = status
        .refunds()
        .iter()
        .map(|r| (r.unique_request_id.clone().unwrap_or_default(), r.state()))
        .collect();
    assert_eq!(
        states,
        [
            ("rfj1".to_string(), Some(RefundStatus::Failure)),
            ("rfj2".to_string(), Some(RefundStatus::ManualReview)),
            ("rfj3".to_string(), Some(RefundStatus::Success)),
        ]
    );
    let failed = status.refund_by_request_id("rfj1").expect("listed");
    assert_eq!(failed.error_code.as_deref(), Some("REFUND_FAILED"));
    // A failed refund holds no money: it is not in amount_refunded.
    assert_eq!(status.amount_refunded_paise(), Some(250_000));
}

#[tokio::test]
async fn a_lost_answer_is_retried_with_the_same_id_and_juspay_holds_one_refund() {
    let desk = Desk::start().await;
    desk.order("RF_LOST", true).await;
    let impatient = client_with(
        desk.emu.base_url(),
        DEMO_API_KEY,
        Duration::from_millis(300),
    );
    desk.emu.set_latency(Duration::from_secs(5));
    let lost = impatient
        .refund(&RefundRequest {
            order_id: "RF_LOST",
            unique_request_id: "rfk1",
            amount_paise: Some(70_000),
            routing_id: Some(CUSTOMER),
        })
        .await;
    assert!(
        matches!(&lost, Err(e @ ApiError::Timeout { .. }) if e.order_may_exist()),
        "{lost:?}"
    );
    desk.emu.set_latency(Duration::ZERO);
    assert_eq!(
        refusal(desk.refund("RF_LOST", "rfk1", Some(70_000)).await),
        RefundRefusal::RequestIdUsed
    );
    let status = desk
        .client
        .order_status("RF_LOST", None)
        .await
        .expect("status");
    assert_eq!(status.refunds().len(), 1);
    assert_eq!(
        status
            .refund_by_request_id("rfk1")
            .and_then(|r| r.amount_paise()),
        Some(70_000)
    );
}

#[tokio::test]
async fn the_payment_page_can_take_a_second_payment() {
    let desk = Desk::start().await;
    desk.order("RF_TWICE", false).await;
    assert_eq!(desk.emu.pay_again("RF_TWICE"), None, "not paid yet");
    let page = format!("{}/payment-page/order/RF_TWICE", desk.emu.base_url());
    let http = reqwest::Client::new();
    let pay = |outcome: &'static str| {
        http.post(&page)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("outcome={outcome}"))
            .send()
    };
    let first = pay("charged").await.expect("page answers");
    let html = first.text().await.expect("html");
    assert!(html.contains("Pay again"), "{html}");
    let second = pay("again").await.expect("page answers");
    assert_eq!(second.status(), reqwest::StatusCode::OK);
    let html = second.text().await.expect("html");
    assert!(html.contains("Paid 2 times"), "{html}");
    assert_eq!(desk.emu.pay_again("RF_TWICE"), Some(3));
    // Still one order, CHARGED, refundable as usual.
    assert_eq!(
        desk.emu.order_status("RF_TWICE").as_deref(),
        Some("CHARGED")
    );
    desk.refund("RF_TWICE", "rfl1", None).await.expect("refund");
}

/// What the client put on the wire, seen by a server that records and answers an order.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    uri: String,
    headers: HeaderMap,
    body: String,
}

#[tokio::test]
async fn the_request_carries_every_header_and_a_form_body() {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(any(
        move |method: axum::http::Method, uri: Uri, headers: HeaderMap, body: String| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push(Seen {
                    method: method.to_string(),
                    uri: uri.to_string(),
                    headers,
                    body,
                });
                axum::Json(json!({"order_id": "O 1", "status": "CHARGED", "refunds": []}))
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::new(ClientConfig::new(
        &url,
        "merchant_7",
        ApiKey::new("sekret_key"),
    ))
    .unwrap();
    for amount in [Some(150_050), None] {
        client
            .refund(&RefundRequest {
                order_id: "O 1",
                unique_request_id: "abc123",
                amount_paise: amount,
                routing_id: Some("cust-9"),
            })
            .await
            .expect("answer");
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "never sent twice");
    let first = &seen[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.uri, "/orders/O%201/refunds");
    assert_eq!(first.body, "unique_request_id=abc123&amount=1500.50");
    assert_eq!(seen[1].body, "unique_request_id=abc123");
    let header = |s: &Seen, name: &str| {
        s.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(
        header(first, "authorization").as_deref(),
        Some("Basic c2VrcmV0X2tleTo=")
    );
    assert_eq!(header(first, "x-merchantid").as_deref(), Some("merchant_7"));
    assert_eq!(header(first, "x-routing-id").as_deref(), Some("cust-9"));
    assert_eq!(header(first, "version").as_deref(), Some("2023-06-30"));
    assert_eq!(
        header(first, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let ids: Vec<_> = seen.iter().map(|s| header(s, "x-request-id")).collect();
    assert!(
        ids[0].is_some() && ids[0] != ids[1],
        "fresh x-request-id: {ids:?}"
    );
}
