//! The emulator on the wire, without paydesk's client: the exact bodies of the reference
//! (§5b 400/401, §5c NOT_FOUND, §6 Order Status) and the payment page.

use base64::Engine as _;
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig, Fault};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn basic(credentials: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    )
}

fn sample(order_id: &str) -> Value {
    json!({
        "order_id": order_id,
        "amount": "5000.0",
        "customer_id": "testing-customer-9999999999",
        "customer_email": "juspay@gmail.in",
        "customer_phone": "9999999999",
        "payment_page_client_id": "client_id",
        "action": "paymentPage",
        "return_url": "https://www.google.com/",
        "description": "Complete your payment <script>alert(1)</script>",
        "customer_first_name": "John",
        "customer_last_name": "Doe",
        "udf3": "desk-7",
    })
}

struct Wire {
    emu: Emulator,
    http: reqwest::Client,
}

impl Wire {
    async fn start() -> Wire {
        let emu = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        Wire {
            emu,
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    async fn post_session(
        &self,
        auth: &str,
        merchant: Option<&str>,
        body: String,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .post(self.url("/session"))
            .header("authorization", auth)
            .header("content-type", "application/json")
            .header("x-request-id", "req-42")
            .body(body);
        if let Some(m) = merchant {
            request = request.header("x-merchantid", m);
        }
        let response = request.send().await.expect("answer");
        let status = response.status();
        (status, response.json().await.expect("JSON body"))
    }

    async fn get_status(&self, order_id: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(self.url(&format!("/orders/{order_id}")))
            .header("authorization", basic(&format!("{DEMO_API_KEY}:")))
            .header("x-merchantid", DEMO_MERCHANT_ID)
            .header("version", "2023-06-30")
            .send()
            .await
            .expect("answer");
        let status = response.status();
        (status, response.json().await.expect("JSON body"))
    }

    async fn create(&self, order_id: &str) -> Value {
        let auth = basic(&format!("{DEMO_API_KEY}:"));
        let (status, body) = self
            .post_session(&auth, Some(DEMO_MERCHANT_ID), sample(order_id).to_string())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn page(&self, id: &str) -> (StatusCode, String) {
        let response = self
            .http
            .get(self.url(&format!("/payment-page/order/{id}")))
            .send()
            .await
            .expect("page");
        (response.status(), response.text().await.expect("html"))
    }

    async fn pay(&self, id: &str, outcome: &str) -> (StatusCode, String) {
        let response = self
            .http
            .post(self.url(&format!("/payment-page/order/{id}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("outcome={outcome}"))
            .send()
            .await
            .expect("page");
        (response.status(), response.text().await.expect("html"))
    }
}

#[tokio::test]
async fn bad_key_gets_the_401_body_of_the_reference() {
    let wire = Wire::start().await;
    let (status, body) = wire
        .post_session(
            &basic("wrong:"),
            Some(DEMO_MERCHANT_ID),
            sample("A1").to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({
            "status": "error",
            "error_code": "access_denied",
            "error_info": {
                "category": "USER_ERROR",
                "request_id": "req-42",
                "developer_message": "Invalid API Key. Please pass a valid and active api key.",
                "user_message": "Unauthorized.",
                "code": "UNAUTHORIZED"
            }
        })
    );
    // A missing merchant header is refused the same way, with its own developer message.
    let (status, body) = wire
        .post_session(
            &basic(&format!("{DEMO_API_KEY}:")),
            None,
            sample("A1").to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_code"], "access_denied");
    assert!(
        body["error_info"]["developer_message"]
            .as_str()
            .unwrap_or("")
            .contains("x-merchantid")
    );
}

#[tokio::test]
async fn the_node_sdk_spelling_of_basic_auth_is_accepted() {
    let wire = Wire::start().await;
    // expresscheckout-nodejs sends base64(key) without the colon.
    let (status, body) = wire
        .post_session(
            &basic(DEMO_API_KEY),
            Some(DEMO_MERCHANT_ID),
            sample("NODE1").to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn invalid_fields_get_the_400_body_of_the_reference() {
    let wire = Wire::start().await;
    let mut body = sample("has space");
    body.as_object_mut().map(|m| m.remove("customer_email"));
    let auth = basic(&format!("{DEMO_API_KEY}:"));
    let (status, answer) = wire
        .post_session(&auth, Some(DEMO_MERCHANT_ID), body.to_string())
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer,
        json!({
            "status": "Bad Request",
            "error_code": "Mandatory fields are missing",
            "error_message": "Mandatory fields are missing",
            "error_info": {
                "developer_message": "Invalid input data",
                "user_message": "Invalid input data",
                "code": "INVALID_INPUT",
                "fields": [
                    {"field_name": "order_id", "reason": "must be 1 to 20 characters: letters, digits, '-' or '_'"},
                    {"field_name": "customer_email", "reason": "Mandatory fields are missing"}
                ]
            }
        })
    );

    for not_an_object in ["[1,2]", "<xml/>", ""] {
        let (status, answer) = wire
            .post_session(&auth, Some(DEMO_MERCHANT_ID), not_an_object.into())
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{not_an_object}");
        assert_eq!(answer["error_info"]["code"], "INVALID_INPUT");
    }
}

#[tokio::test]
async fn unknown_order_gets_the_not_found_body_with_http_400() {
    let wire = Wire::start().await;
    let (status, body) = wire.get_status("173824171").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({
            "status": "NOT_FOUND",
            "error_info": {
                "user_message": "Order Not Found",
                "developer_message": "Order Not Found",
                "code": "RESOURCE_NOT_FOUND",
                "category": "USER_ERROR"
            },
            "status_id": 40,
            "order_id": "173824171"
        })
    );
}

#[tokio::test]
async fn order_status_has_the_reference_shape() {
    let wire = Wire::start().await;
    let created = wire.create("SHAPE_1").await;
    let (status, body) = wire.get_status("SHAPE_1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], created["id"]);
    assert_eq!(body["order_id"], "SHAPE_1");
    assert_eq!(body["status"], "NEW");
    assert_eq!(body["status_id"], 10);
    assert!(body["amount"].is_number(), "{body}");
    assert_eq!(body["amount"], json!(5000.0));
    assert_eq!(body["currency"], "INR");
    assert_eq!(body["customer_id"], "testing-customer-9999999999");
    assert_eq!(body["customer_phone"], "9999999999");
    assert_eq!(body["merchant_id"], DEMO_MERCHANT_ID);
    assert_eq!(body["return_url"], "https://www.google.com/");
    assert_eq!(body["udf3"], "desk-7");
    for n in 1..=10 {
        assert!(body[format!("udf{n}")].is_string(), "udf{n}");
    }
    for null_key in ["error_code", "error_message", "user_message"] {
        assert_eq!(body.get(null_key), Some(&Value::Null), "{null_key}");
    }
    assert_eq!(
        body["payment_links"]["web"],
        created["payment_links"]["web"]
    );
    let created_at = body["date_created"].as_str().expect("date_created");
    assert!(
        time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
            .is_ok()
    );
}

#[tokio::test]
async fn payment_page_shows_the_order_and_settles_it() {
    let wire = Wire::start().await;
    let created = wire.create("PAGE_1").await;
    let juspay_id = created["id"].as_str().expect("id").to_string();

    for reference in [juspay_id.as_str(), "PAGE_1"] {
        let (status, html) = wire.page(reference).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("PAGE_1") && html.contains(&juspay_id),
            "{html}"
        );
        assert!(html.contains("INR 5000.00"));
        assert!(html.contains(">Pay</button>") && html.contains(">Fail</button>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
    }

    // Faults spoil the API, never the page.
    wire.emu.set_fault(Some(Fault::Html500));
    let (status, html) = wire.pay(&juspay_id, "charged").await;
    wire.emu.set_fault(None);
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("CHARGED"), "{html}");
    assert!(!html.contains(">Pay</button>"));
    let (_, body) = wire.get_status("PAGE_1").await;
    assert_eq!(body["status"], "CHARGED");
    assert_eq!(body["status_id"], 21);

    let (status, html) = wire.pay("PAGE_1", "failed").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("already settled"));
    assert_eq!(wire.emu.order_status("PAGE_1").as_deref(), Some("CHARGED"));
}

#[tokio::test]
async fn failing_a_payment_and_bad_page_requests() {
    let wire = Wire::start().await;
    wire.create("PAGE_2").await;
    let (status, _) = wire.pay("PAGE_2", "maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, html) = wire.pay("PAGE_2", "failed").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("AUTHORIZATION_FAILED"));
    let (_, body) = wire.get_status("PAGE_2").await;
    assert_eq!(body["status_id"], 27);

    let (status, _) = wire.page("ordv2_unknown").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(wire.emu.settle("nobody", true), None);
}

#[tokio::test]
async fn every_call_is_reported_without_secrets() {
    let wire = Wire::start().await;
    let mut calls = wire.emu.subscribe();
    wire.create("LOG_1").await;
    let record = calls.recv().await.expect("a record");
    assert_eq!(
        (record.method.as_str(), record.path.as_str(), record.status),
        ("POST", "/session", 200)
    );
    assert_eq!(record.order_id.as_deref(), Some("LOG_1"));
    let line = record.to_string();
    assert!(
        line.starts_with("POST /session -> 200 order LOG_1"),
        "{line}"
    );
    assert!(!line.contains(DEMO_API_KEY));
}
