//! Creating an order the safe way: history row first, then the request, then the outcome.
//! Shared by the desk and `paydesk create`, so both record and reconcile identically.
//!
//! Every store call runs on tokio's blocking pool (`Store::call`), so the async callers (the
//! desk's effect tasks, the CLI's runtime) never block on the disk.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::history::{CreatedOrder, HistoryError, NewOrder, OrderRow, Outcome, Store};
use crate::juspay::{ApiError, Client, OrderStatus, SessionResponse};
use crate::session::keys;

/// Who an order is created for; stored with the row.
#[derive(Debug, Clone, Default)]
pub struct OrderContext {
    /// Environment name (`demo`, `sandbox`, …).
    pub environment: String,
    /// Host of the base URL, e.g. `sandbox.juspay.in`.
    pub base_host: String,
    pub merchant_id: String,
    /// Lender profile name.
    pub profile: String,
}

impl OrderContext {
    /// A context for `base_url` (its host, with the port when it is not the default one, is
    /// what `base_host` holds: see `base_host`).
    pub fn new(environment: &str, base_url: &str, merchant_id: &str, profile: &str) -> Self {
        OrderContext {
            environment: environment.to_string(),
            base_host: base_host(base_url),
            merchant_id: merchant_id.to_string(),
            profile: profile.to_string(),
        }
    }
}

/// The host of a base URL as stored in the history: `sandbox.juspay.in`, or
/// `127.0.0.1:4321` when the port is not the scheme's default (two emulators on one machine
/// are two different places). Text that is not a URL is kept as it is.
pub fn base_host(base_url: &str) -> String {
    match reqwest::Url::parse(base_url) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => base_url.to_string(),
        },
        Err(_) => base_url.to_string(),
    }
}

/// The result of one create: which row and request id, and what Juspay said.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// Local history id; `None` only when no store was given.
    pub history_id: Option<i64>,
    pub request_id: String,
    pub result: Result<SessionResponse, ApiError>,
    /// Recording the answer failed after the request was sent. The row stays `sending`
    /// and is reconciled at the next start; the caller should say so.
    pub record_error: Option<HistoryError>,
}

/// A string value of the body (numbers and booleans as written), or "".
fn text(body: &Map<String, Value>, key: &str) -> String {
    match body.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The customer's name as one line: `customer_first/middle/last_name`, else the generic
/// `first_name`/`last_name` some samples use.
fn customer_name(body: &Map<String, Value>) -> String {
    let join = |keys: &[&str]| {
        keys.iter()
            .map(|k| text(body, k))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name = join(&[
        keys::CUSTOMER_FIRST_NAME,
        keys::CUSTOMER_MIDDLE_NAME,
        keys::CUSTOMER_LAST_NAME,
    ]);
    if name.is_empty() {
        join(&[keys::FIRST_NAME, keys::LAST_NAME])
    } else {
        name
    }
}

/// The row written before sending `body`.
pub fn new_order(ctx: &OrderContext, body: &Map<String, Value>, request_id: &str) -> NewOrder {
    let currency = text(body, keys::CURRENCY);
    NewOrder {
        environment: ctx.environment.clone(),
        base_host: ctx.base_host.clone(),
        merchant_id: ctx.merchant_id.clone(),
        profile: ctx.profile.clone(),
        order_id: text(body, keys::ORDER_ID),
        request_id: request_id.to_string(),
        amount: text(body, keys::AMOUNT),
        // Juspay's default when the body names none.
        currency: if currency.is_empty() {
            "INR".to_string()
        } else {
            currency
        },
        customer_id: text(body, keys::CUSTOMER_ID),
        customer_name: customer_name(body),
        customer_phone: text(body, keys::CUSTOMER_PHONE),
        customer_email: text(body, keys::CUSTOMER_EMAIL),
        // The body holds no secret: the key travels only in the Authorization header.
        request_body: Value::Object(body.clone()).to_string(),
    }
}

/// What a failed create means for the row: its outcome and a one-line summary.
pub fn failure_outcome(error: &ApiError) -> (Outcome, String) {
    if error.order_may_exist() {
        return (Outcome::Unknown, error.to_string());
    }
    let summary = match error {
        ApiError::Network(_) => format!("not sent: {error}"),
        ApiError::Invalid { fields, .. } if !fields.is_empty() => {
            let fields: Vec<String> = fields.iter().map(|(f, r)| format!("{f}: {r}")).collect();
            format!("{error} ({})", fields.join("; "))
        }
        _ => error.to_string(),
    };
    (Outcome::Rejected, summary)
}

fn created_from_session(response: &SessionResponse) -> CreatedOrder {
    let links = response.payment_links.as_ref();
    CreatedOrder {
        juspay_id: response.id.clone(),
        payment_link: links.and_then(|l| l.web.clone()),
        link_expiry: response.link_expiry().map(str::to_string),
        status: response.created_status().map(str::to_string),
        response_body: Some(response.to_masked_json().to_string()),
    }
}

fn created_from_status(status: &OrderStatus) -> CreatedOrder {
    let links = status.payment_links.as_ref();
    CreatedOrder {
        juspay_id: status.id.clone(),
        payment_link: links.and_then(|l| l.web.clone()),
        link_expiry: links.and_then(|l| l.expiry.clone()),
        status: status.status.clone(),
        response_body: Some(status.to_masked_json().to_string()),
    }
}

/// Writes the `sending` row, sends `POST /session`, records the outcome. A history write
/// that fails before sending stops the send (an order that cannot be recorded is not sent).
pub async fn submit(
    store: Option<&Store>,
    client: &Client,
    ctx: &OrderContext,
    body: Map<String, Value>,
) -> Result<Submitted, HistoryError> {
    let request_id = Client::new_request_id();
    let history_id = match store {
        Some(store) => {
            let row = new_order(ctx, &body, &request_id);
            Some(store.call(move |s| s.insert_sending(&row)).await?)
        }
        None => None,
    };
    let result = client.create_session(&body, &request_id).await;
    let record_error = match (store, history_id) {
        (Some(store), Some(id)) => record_answer(store, id, &result).await.err(),
        _ => None,
    };
    if let Some(e) = &record_error {
        tracing::warn!(history_id, error = %e, "could not record the answer to a create");
    }
    Ok(Submitted {
        history_id,
        request_id,
        result,
        record_error,
    })
}

async fn record_answer(
    store: &Store,
    id: i64,
    result: &Result<SessionResponse, ApiError>,
) -> Result<(), HistoryError> {
    match result {
        Ok(response) => {
            let created = created_from_session(response);
            store.call(move |s| s.record_created(id, &created)).await?;
        }
        Err(error) => {
            let (outcome, summary) = failure_outcome(error);
            store
                .call(move |s| s.record_failed(id, outcome, &summary, None))
                .await?;
        }
    }
    Ok(())
}

/// What reconciling one order found out.
// Made once per order checked; boxing `Found` would only make callers' matches noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Reconciled {
    /// Juspay knows the order; the row is now `created` with this status.
    Found(OrderStatus),
    /// Juspay does not know it; the row is now `rejected` ("not created").
    NotFound,
    /// The check itself failed; the row stays `unknown`.
    Failed(ApiError),
}

/// The error summary of a row Juspay turned out not to know.
pub const NOT_CREATED: &str = "not created: Juspay has no order with this id";

/// Marks a row `unknown` (cancelled or timed out) and asks Order Status what happened.
/// Only a `sending` or `unknown` row changes outcome; a created row gets its status
/// refreshed, a rejected one is left as it is.
pub async fn reconcile(
    store: &Store,
    client: &Client,
    history_id: i64,
    order_id: &str,
) -> Result<Reconciled, HistoryError> {
    let id = history_id;
    store
        .call(move |s| s.mark_unknown(id, "no answer received: checking Order Status"))
        .await?;
    match client.order_status(order_id).await {
        Ok(status) => {
            let created = created_from_status(&status);
            store.call(move |s| s.record_created(id, &created)).await?;
            Ok(Reconciled::Found(status))
        }
        Err(ApiError::NotFound(_)) => {
            store
                .call(move |s| s.record_failed(id, Outcome::Rejected, NOT_CREATED, None))
                .await?;
            Ok(Reconciled::NotFound)
        }
        Err(error) => {
            let summary = format!("outcome unknown; the status check failed: {error}");
            store
                .call(move |s| s.record_failed(id, Outcome::Unknown, &summary, None))
                .await?;
            Ok(Reconciled::Failed(error))
        }
    }
}

/// The environment name of the embedded emulator.
const DEMO: &str = "demo";

/// Start-up reconciliation: `sending` rows of this host and merchant older than
/// `older_than` (the request timeout: their process died or gave up) become `unknown` and
/// are reconciled through Order Status, oldest first. In demo every run's emulator has a
/// new port and starts empty, so there the rows of any earlier demo run are taken (and
/// come out "not created": their emulator is gone).
pub async fn reconcile_stale(
    store: &Store,
    client: &Client,
    ctx: &OrderContext,
    older_than: Duration,
) -> Result<Vec<(OrderRow, Reconciled)>, HistoryError> {
    let (host, merchant) = (ctx.base_host.clone(), ctx.merchant_id.clone());
    let demo = ctx.environment == DEMO;
    let stale = store
        .call(move |s| {
            if demo {
                s.stale_sending_in_environment(older_than, DEMO, &merchant)
            } else {
                s.stale_sending(older_than, &host, &merchant)
            }
        })
        .await?;
    let mut done = Vec::with_capacity(stale.len());
    for row in stale {
        let found = reconcile(store, client, row.id, &row.order_id).await?;
        done.push((row, found));
    }
    Ok(done)
}

/// Re-checks one row whose status may still change: an `unknown` row is reconciled, a
/// created one gets its current status written back.
pub async fn refresh(
    store: &Store,
    client: &Client,
    row: &OrderRow,
) -> Result<Reconciled, HistoryError> {
    if row.outcome != Outcome::Created {
        return reconcile(store, client, row.id, &row.order_id).await;
    }
    match client.order_status(&row.order_id).await {
        Ok(status) => {
            write_status(store, row.id, &status).await?;
            Ok(Reconciled::Found(status))
        }
        Err(ApiError::NotFound(_)) => Ok(Reconciled::NotFound),
        Err(error) => Ok(Reconciled::Failed(error)),
    }
}

/// Writes a status seen by polling or refresh back to the row, with the time it was seen.
/// An answer without a status changes nothing.
pub async fn write_status(
    store: &Store,
    history_id: i64,
    status: &OrderStatus,
) -> Result<(), HistoryError> {
    if let Some(status) = status.status.clone() {
        store
            .call(move |s| s.update_status(history_id, &status))
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base_host_keeps_only_non_default_ports() {
        assert_eq!(base_host("https://sandbox.juspay.in"), "sandbox.juspay.in");
        assert_eq!(base_host("https://api.juspay.in:443/"), "api.juspay.in");
        assert_eq!(base_host("http://127.0.0.1:4321"), "127.0.0.1:4321");
        assert_eq!(base_host("not a url"), "not a url");
    }

    #[test]
    fn new_order_reads_the_body() {
        let body = json!({
            "order_id": "ORD1", "amount": "100.50", "customer_id": "c1",
            "customer_first_name": "Asha", "customer_middle_name": "",
            "customer_last_name": "Rao", "customer_phone": "9876543210",
            "customer_email": "asha@example.com"
        });
        let Value::Object(body) = body else {
            unreachable!()
        };
        let ctx = OrderContext::new("sandbox", "https://sandbox.juspay.in", "m1", "travel");
        let row = new_order(&ctx, &body, "req-1");
        assert_eq!(row.customer_name, "Asha Rao");
        assert_eq!(row.currency, "INR");
        assert_eq!(row.base_host, "sandbox.juspay.in");
        assert_eq!(row.amount, "100.50");
        assert!(row.request_body.contains("\"order_id\":\"ORD1\""));
    }

    #[test]
    fn generic_names_are_used_when_customer_names_are_missing() {
        let Value::Object(body) = json!({"first_name": "Ravi", "last_name": "K"}) else {
            unreachable!()
        };
        assert_eq!(customer_name(&body), "Ravi K");
    }
}
