//! Creating an order the safe way: history row first, then the request, then the outcome.
//! Shared by the desk and `paydesk create`, so both record and reconcile identically.

use serde_json::{Map, Value};

use crate::history::{HistoryError, Store};
use crate::juspay::{ApiError, Client, OrderStatus, SessionResponse};

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

/// The result of one create: which row and request id, and what Juspay said.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// Local history id; `None` only when no store was given.
    pub history_id: Option<i64>,
    pub request_id: String,
    pub result: Result<SessionResponse, ApiError>,
}

/// Writes the `sending` row, sends `POST /session`, records the outcome. A history write
/// that fails before sending stops the send (an order that cannot be recorded is not sent).
pub async fn submit(
    store: Option<&Store>,
    client: &Client,
    ctx: &OrderContext,
    body: Map<String, Value>,
) -> Result<Submitted, HistoryError> {
    let _ = (store, client, ctx, body);
    todo!("history helper")
}

/// What reconciling one order found out.
#[derive(Debug, Clone)]
pub enum Reconciled {
    /// Juspay knows the order; the row is now `created` with this status.
    Found(OrderStatus),
    /// Juspay does not know it; the row is now `rejected` ("not created").
    NotFound,
    /// The check itself failed; the row stays `unknown`.
    Failed(ApiError),
}

/// Marks a row `unknown` (cancelled or timed out) and asks Order Status what happened.
pub async fn reconcile(
    store: &Store,
    client: &Client,
    history_id: i64,
    order_id: &str,
) -> Result<Reconciled, HistoryError> {
    let _ = (store, client, history_id, order_id);
    todo!("history helper")
}
