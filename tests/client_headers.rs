//! What the client puts on the wire, seen by a recording server: auth, merchant, routing,
//! request id, user agent, version, the encoded path; and that a create is never sent twice.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, Uri};
use axum::routing::any;
use base64::Engine as _;
use paydesk::juspay::{ApiError, Client, ClientConfig};
use paydesk::secret::ApiKey;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    uri: String,
    headers: HeaderMap,
    body: String,
}

/// A server that records every request and answers after `delay` with a small order.
async fn recorder(delay: Duration) -> (String, Arc<Mutex<Vec<Seen>>>) {
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
                tokio::time::sleep(delay).await;
                axum::Json(json!({"status": "NEW", "id": "ordv2_x", "order_id": "O1"}))
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn client(url: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(url, "merchant_7", ApiKey::new("sekret_key"));
    config.request_timeout = timeout;
    Client::new(config).unwrap()
}

fn body(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect()
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn create_sends_the_documented_headers_and_the_body_as_json() {
    let (url, seen) = recorder(Duration::ZERO).await;
    let client = client(&url, Duration::from_secs(30));
    let sent = body(&[
        ("order_id", "O1"),
        ("customer_id", "CUST9"),
        ("metadata.origin", "Pune"),
    ]);
    client
        .create_session(&sent, "req-123")
        .await
        .expect("answer");
    client
        .create_session(&body(&[("order_id", "GUEST1")]), "req-124")
        .await
        .expect("answer");

    let seen = seen.lock().unwrap().clone();
    let first = &seen[0];
    assert_eq!(
        (first.method.as_str(), first.uri.as_str()),
        ("POST", "/session")
    );
    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("sekret_key:")
    );
    assert_eq!(header(first, "authorization"), Some(expected_auth.as_str()));
    assert_eq!(header(first, "x-merchantid"), Some("merchant_7"));
    assert_eq!(header(first, "x-routing-id"), Some("CUST9"));
    assert_eq!(header(first, "x-request-id"), Some("req-123"));
    assert_eq!(header(first, "content-type"), Some("application/json"));
    assert_eq!(
        header(first, "user-agent"),
        Some(concat!("paydesk/", env!("CARGO_PKG_VERSION")))
    );
    let decoded: Value = serde_json::from_str(&first.body).expect("JSON body");
    assert_eq!(decoded, Value::Object(sent));
    // A guest (no customer_id) is routed by its order id.
    assert_eq!(header(&seen[1], "x-routing-id"), Some("GUEST1"));
}

#[tokio::test]
async fn status_sends_the_version_and_encodes_the_order_id() {
    let (url, seen) = recorder(Duration::ZERO).await;
    let client = client(&url, Duration::from_secs(30));
    client
        .order_status("A/B C", Some("CUST9"))
        .await
        .expect("answer");
    client.order_status("GUEST1", None).await.expect("answer");
    let seen = seen.lock().unwrap().clone();
    // The routing id stored with the order, else the order id (the guest rule).
    assert_eq!(header(&seen[0], "x-routing-id"), Some("CUST9"));
    assert_eq!(header(&seen[1], "x-routing-id"), Some("GUEST1"));
    assert_ne!(
        header(&seen[0], "x-request-id"),
        header(&seen[1], "x-request-id"),
        "a fresh request id per call"
    );
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].uri, "/orders/A%2FB%20C");
    assert_eq!(header(&seen[0], "version"), Some("2023-06-30"));
    assert_eq!(header(&seen[0], "x-merchantid"), Some("merchant_7"));
    assert!(header(&seen[0], "authorization").is_some_and(|a| a.starts_with("Basic ")));
    assert!(header(&seen[0], "x-request-id").is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn a_create_that_timed_out_was_sent_exactly_once() {
    let (url, seen) = recorder(Duration::from_secs(5)).await;
    let err = client(&url, Duration::from_secs(1))
        .create_session(&body(&[("order_id", "SLOW1")]), "req-1")
        .await
        .expect_err("timeout");
    assert_eq!(err, ApiError::Timeout { seconds: 1 });
    // Any retry would have had to be sent (and time out) before the call returned.
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_key_never_appears_in_errors_or_debug_output() {
    let (url, _) = recorder(Duration::from_secs(5)).await;
    let client = client(&url, Duration::from_secs(1));
    assert!(!format!("{client:?}").contains("sekret_key"));
    let err = client.order_status("O1", None).await.expect_err("timeout");
    assert!(!format!("{err} {err:?}").contains("sekret_key"));
}
