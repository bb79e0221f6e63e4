//! The HTTP surface: `POST /session`, `GET /orders/{order_id}`,
//! `POST /orders/{order_id}/refunds`, the payment page, and a middleware that reports
//! every call.
//!
//! Wire compatibility: Juspay's Node SDK (`expresscheckout-nodejs` 1.0.0) sends
//! `Authorization: Basic base64(key)` without the colon, `version: 2019-05-07`, and for
//! Order Status a `GET /orders/{id}?order_id={id}` with a form content type and no
//! body; paydesk sends `base64(key + ":")`. Both are accepted. A missing or wrong
//! `x-merchantid` (or `x-merchant-id`) is a 401, like a wrong key: the two together are
//! the credentials.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Form, Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::listener::ConnHandle;
use super::refunds::RefundTarget;
use super::state::{Created, LINK_LIFETIME, Order, Shared, Status};
use super::{CallRecord, Fault, page, rules};

type AppState = Arc<Shared>;

/// Added to a response so the call log can say what happened.
#[derive(Debug, Clone, Default)]
struct CallNote {
    order_id: Option<String>,
    fault: Option<Fault>,
}

pub(crate) fn router(shared: AppState) -> Router {
    Router::new()
        .route("/session", post(create_session))
        .route("/orders/{order_id}", get(order_status))
        .route("/orders/{order_id}/refunds", post(refund_order))
        .route("/payment-page/order/{id}", get(show_page).post(settle_page))
        .fallback(no_route)
        .layer(middleware::from_fn_with_state(shared.clone(), plain_404))
        .layer(middleware::from_fn_with_state(shared.clone(), log_calls))
        .with_state(shared)
}

async fn log_calls(State(shared): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    // Not a secret: the customer id or order id, logged so drills can check every call.
    let routing_id = header_text(request.headers(), "x-routing-id");
    let started = Instant::now();
    let response = next.run(request).await;
    let note = response
        .extensions()
        .get::<CallNote>()
        .cloned()
        .unwrap_or_default();
    let record = CallRecord {
        method,
        path,
        status: response.status().as_u16(),
        elapsed: started.elapsed(),
        order_id: note.order_id,
        fault: note.fault,
        routing_id,
    };
    // Nobody listening is fine.
    let _ = shared.calls.send(record);
    response
}

/// The plain-404 fault: paths under the configured prefix answer like a proxy or a wrong
/// path prefix would, with an HTML page and no Juspay error body.
async fn plain_404(State(shared): State<AppState>, request: Request, next: Next) -> Response {
    match shared.plain_404_prefix() {
        Some(prefix) if request.uri().path().starts_with(&prefix) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>\n",
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

async fn create_session(
    State(shared): State<AppState>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (status, json, order_id) = match check_credentials(&shared, &headers) {
        Err(denied) => (StatusCode::UNAUTHORIZED, denied, None),
        Ok(()) => create(&shared, &headers, &body),
    };
    api_reply(&shared, &conn, status, json, order_id).await
}

/// Auth is checked; parse, validate and record the order.
fn create(
    shared: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, Value, Option<String>) {
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        _ => {
            let fields = vec![("body".to_string(), "must be a JSON object".to_string())];
            return (
                StatusCode::BAD_REQUEST,
                bad_request("Invalid input data", &fields),
                None,
            );
        }
    };
    let checked = match rules::check(&map) {
        Ok(checked) => checked,
        Err(fields) => {
            let order_id = map
                .get("order_id")
                .and_then(Value::as_str)
                .map(str::to_string);
            let headline = if fields.iter().any(|(_, r)| r == rules::MISSING) {
                rules::MISSING
            } else {
                "Invalid input data"
            };
            return (
                StatusCode::BAD_REQUEST,
                bad_request(headline, &fields),
                order_id,
            );
        }
    };
    let now = OffsetDateTime::now_utc();
    let order = Order {
        juspay_id: format!("ordv2_{}", uuid::Uuid::new_v4().simple()),
        order_id: checked.order_id.clone(),
        amount_cents: checked.amount_cents,
        amount_text: checked.amount_text,
        currency: checked.currency,
        fields: map.into_iter().filter(|(_, v)| v.is_string()).collect(),
        status: Status::New,
        payments: 0,
        date_created: now,
        link_expiry: now + LINK_LIFETIME,
        client_auth_token: format!("tkn_{}", uuid::Uuid::new_v4().simple()),
        sdk_request_id: header_text(headers, "x-request-id")
            .map(|id| id.replace('-', ""))
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()),
    };
    let order_id = Some(checked.order_id.clone());
    let delay = shared.commit_delay();
    match shared.create(order, delay.is_some()) {
        Created::New(order) => {
            if let Some(delay) = delay {
                commit_later(shared, &order.order_id, delay);
            }
            (StatusCode::OK, shared.session_body(&order), order_id)
        }
        Created::Existing(_) if shared.reject_duplicates() => (
            StatusCode::BAD_REQUEST,
            already_exists(&checked.order_id),
            order_id,
        ),
        Created::Existing(order) => (StatusCode::OK, shared.session_body(&order), order_id),
        Created::Conflict { existing_amount } => {
            let reason = format!(
                "order {} already exists with amount {existing_amount}; send the same amount or use a new order_id",
                checked.order_id
            );
            let body = json!({
                "status": "Bad Request",
                "error_code": "INVALID_REQUEST",
                "error_message": "Order already exists with a different amount",
                "error_info": {
                    "category": "USER_ERROR",
                    "developer_message": reason,
                    "user_message": "Order already exists with a different amount",
                    "code": "ALREADY_EXISTS",
                    "fields": [{"field_name": "amount", "reason": reason}],
                }
            });
            (StatusCode::BAD_REQUEST, body, order_id)
        }
    }
}

/// The late-commit fault: the order becomes visible `delay` after it was answered (or
/// at `Emulator::commit_pending`, whichever comes first; never after shutdown).
fn commit_later(shared: &AppState, order_id: &str, delay: Duration) {
    let shared = shared.clone();
    let order_id = order_id.to_string();
    tokio::spawn(async move {
        tokio::select! {
            _ = shared.shutdown.cancelled() => {}
            _ = tokio::time::sleep(delay) => {
                shared.commit_pending(Some(&order_id));
            }
        }
    });
}

/// A create with an order id Juspay already holds (reference §5c: `error_info.code`
/// `ALREADY_EXISTS`, a USER_ERROR), sent with HTTP 400.
fn already_exists(order_id: &str) -> Value {
    json!({
        "status": "ERROR",
        "status_id": -1,
        "error_code": "INVALID_REQUEST",
        "error_message": format!("Order with order_id {order_id} already exists"),
        "error_info": {
            "category": "USER_ERROR",
            "developer_message": format!("Order with order_id {order_id} already exists"),
            "user_message": "Order already exists",
            "code": "ALREADY_EXISTS",
        }
    })
}

async fn order_status(
    State(shared): State<AppState>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    shared.count_status_call(&order_id);
    let (status, json) = match check_credentials(&shared, &headers) {
        Err(denied) => (StatusCode::UNAUTHORIZED, denied),
        Ok(()) => match shared.get(&order_id) {
            Some(order) => (StatusCode::OK, shared.status_body(&order)),
            None => (StatusCode::BAD_REQUEST, not_found(&order_id)),
        },
    };
    api_reply(&shared, &conn, status, json, Some(order_id)).await
}

/// Refund Order (reference juspay-refunds.md): the order's status body once the refund
/// is recorded; an unknown order reads as in Order Status.
async fn refund_order(
    State(shared): State<AppState>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (status, json) = match check_credentials(&shared, &headers) {
        Err(denied) => (StatusCode::UNAUTHORIZED, denied),
        Ok(()) => match shared.get(&order_id) {
            None => (StatusCode::BAD_REQUEST, not_found(&order_id)),
            Some(order) => {
                let target = RefundTarget {
                    order_id: &order.order_id,
                    amount_paise: order.amount_cents,
                    status: order.status.name(),
                };
                let outcome = Fault::refund_outcome(shared.fault());
                match shared.refunds.request(&target, &body, outcome) {
                    Ok(()) => (StatusCode::OK, shared.status_body(&order)),
                    Err(refused) => refused,
                }
            }
        },
    };
    api_reply(&shared, &conn, status, json, Some(order_id)).await
}

/// Latency after the work is done and before the answer, then the fault if one is set.
async fn api_reply(
    shared: &Shared,
    conn: &ConnHandle,
    status: StatusCode,
    json: Value,
    order_id: Option<String>,
) -> Response {
    let latency = shared.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let spoiled = shared.fault().and_then(|fault| {
        Some((
            fault,
            super::faults::respond(fault, conn, &shared.shutdown)?,
        ))
    });
    let fault = spoiled.as_ref().map(|(fault, _)| *fault);
    let mut response = match spoiled {
        Some((_, response)) => response,
        None => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            json.to_string(),
        )
            .into_response(),
    };
    response
        .extensions_mut()
        .insert(CallNote { order_id, fault });
    response
}

async fn show_page(State(shared): State<AppState>, Path(id): Path<String>) -> Response {
    match shared.find(&id) {
        Some(order) => with_order(Html(page::order_page(&order, None)).into_response(), &order),
        None => unknown_order_page(&id),
    }
}

async fn settle_page(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let charged = match form
        .get("outcome")
        .map(|s| s.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("charged") => true,
        Some("failed") => false,
        Some("again") => return pay_again_page(&shared, &id),
        _ => {
            let html = page::message_page(
                "Unknown outcome",
                "Send outcome=charged, outcome=failed or (on a paid order) outcome=again.",
            );
            return (StatusCode::BAD_REQUEST, Html(html)).into_response();
        }
    };
    match shared.settle(&id, charged) {
        Some((order, true)) => {
            with_order(Html(page::order_page(&order, None)).into_response(), &order)
        }
        Some((order, false)) => {
            let note = format!(
                "This order was already settled: it is {}. Nothing changed.",
                order.status.name()
            );
            let response = (
                StatusCode::CONFLICT,
                Html(page::order_page(&order, Some(&note))),
            )
                .into_response();
            with_order(response, &order)
        }
        None => unknown_order_page(&id),
    }
}

/// The duplicate-payment demo: a CHARGED order takes one more payment.
fn pay_again_page(shared: &Shared, id: &str) -> Response {
    match (shared.pay_again(id), shared.find(id)) {
        (Some(order), _) => {
            with_order(Html(page::order_page(&order, None)).into_response(), &order)
        }
        (None, Some(order)) => {
            let note = format!(
                "Only a paid order can be paid again: this one is {}. Nothing changed.",
                order.status.name()
            );
            let response = (
                StatusCode::CONFLICT,
                Html(page::order_page(&order, Some(&note))),
            )
                .into_response();
            with_order(response, &order)
        }
        (None, None) => unknown_order_page(id),
    }
}

fn with_order(mut response: Response, order: &Order) -> Response {
    response.extensions_mut().insert(CallNote {
        order_id: Some(order.order_id.clone()),
        fault: None,
    });
    response
}

fn unknown_order_page(id: &str) -> Response {
    let html = page::message_page(
        "Order not found",
        &format!("The emulator has no order {id:?}."),
    );
    (StatusCode::NOT_FOUND, Html(html)).into_response()
}

async fn no_route(method: Method) -> Response {
    let body = json!({
        "status": "error",
        "error_code": "not_found",
        "error_message": format!("The emulator has no {method} route here; it serves POST /session, GET /orders/ORDER_ID, POST /orders/ORDER_ID/refunds and the payment page."),
    });
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The API key (Basic auth username, password empty or absent) and the merchant id.
fn check_credentials(shared: &Shared, headers: &HeaderMap) -> Result<(), Value> {
    let request_id =
        header_text(headers, "x-request-id").unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let key_ok = header_text(headers, header::AUTHORIZATION.as_str())
        .and_then(|value| basic_username(&value))
        .is_some_and(|user| user == shared.api_key);
    if !key_ok {
        return Err(access_denied(
            &request_id,
            "Invalid API Key. Please pass a valid and active api key.",
        ));
    }
    let merchant =
        header_text(headers, "x-merchantid").or_else(|| header_text(headers, "x-merchant-id"));
    match merchant {
        Some(m) if m == shared.merchant_id => Ok(()),
        Some(_) => Err(access_denied(
            &request_id,
            "The x-merchantid header does not match the merchant of this API key.",
        )),
        None => Err(access_denied(
            &request_id,
            "The x-merchantid header is missing. Send the merchant id with the API key.",
        )),
    }
}

fn basic_username(value: &str) -> Option<String> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    Some(
        text.split_once(':')
            .map(|(user, _)| user.to_string())
            .unwrap_or(text),
    )
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(|s| s.trim().to_string())
}

/// 401 (reference §5b).
fn access_denied(request_id: &str, developer_message: &str) -> Value {
    json!({
        "status": "error",
        "error_code": "access_denied",
        "error_info": {
            "category": "USER_ERROR",
            "request_id": request_id,
            "developer_message": developer_message,
            "user_message": "Unauthorized.",
            "code": "UNAUTHORIZED",
        }
    })
}

/// 400 (reference §5b), one `fields` entry per problem.
fn bad_request(headline: &str, fields: &[(String, String)]) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|(name, reason)| json!({"field_name": name, "reason": reason}))
        .collect();
    json!({
        "status": "Bad Request",
        "error_code": headline,
        "error_message": headline,
        "error_info": {
            "developer_message": "Invalid input data",
            "user_message": "Invalid input data",
            "code": "INVALID_INPUT",
            "fields": fields,
        }
    })
}

/// Order Status for an unknown order (reference §5c), sent with HTTP 400.
fn not_found(order_id: &str) -> Value {
    json!({
        "status": "NOT_FOUND",
        "error_info": {
            "user_message": "Order Not Found",
            "developer_message": "Order Not Found",
            "code": "RESOURCE_NOT_FOUND",
            "category": "USER_ERROR",
        },
        "status_id": 40,
        "order_id": order_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_with_and_without_colon() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert_eq!(
            basic_username(&format!("Basic {}", b64("key:"))).as_deref(),
            Some("key")
        );
        assert_eq!(
            basic_username(&format!("basic {}", b64("key"))).as_deref(),
            Some("key")
        );
        assert_eq!(basic_username(&format!("Bearer {}", b64("key"))), None);
        assert_eq!(basic_username("Basic !!!"), None);
    }
}
