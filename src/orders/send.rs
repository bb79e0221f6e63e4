//! Sending an order: the `sending` row (with its owner and lease) is written before the
//! request leaves, and whatever comes back is recorded through the state machine.
//!
//! A resend is a new attempt with the same order id (Juspay's idempotency key). When
//! Juspay answers that the order id already exists, Order Status is asked and, when it is
//! the same order (same amount), that order is shown instead of an error.

use std::time::Duration;

use serde_json::{Map, Value};

#[cfg(test)]
use super::reconcile::this_process;
use super::reconcile::{self, Checker};
use super::state::{Evidence, Outcome};
use super::{OrderContext, new_order};
use crate::history::{CreatedOrder, Store};
use crate::juspay::{ApiError, Client, OrderStatus, SessionResponse};
use crate::ledger::{LedgerError, ToLedger};

/// Added to the sender's request timeout to make its lease: a server may commit an order
/// a while after the client stopped waiting. Until `sent_at + timeout + LEASE_MARGIN` a
/// not-found from Order Status cannot prove the order will not appear.
pub const LEASE_MARGIN: Duration = Duration::from_secs(120);

/// The result of one create: which row and request id, and what Juspay said.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The row's id in the ledger; `None` only when no ledger was given.
    pub history_id: Option<i64>,
    pub request_id: String,
    /// What Juspay said. When it answered "order id already exists" and Order Status
    /// showed the same order, this is that order (see `existing`).
    pub result: Result<SessionResponse, ApiError>,
    /// True when `result` is an order Juspay already held under this order id (a resend
    /// of an order that had reached Juspay before).
    pub existing: bool,
    /// The row's outcome after the answer was recorded (`None` without a store, or when
    /// recording failed).
    pub outcome: Option<Outcome>,
    /// Recording the answer failed after the request was sent. The row stays `sending`
    /// and is re-checked at the next start; the caller should say so.
    pub record_error: Option<LedgerError>,
}

/// The row as it will be recorded for `result`: created orders from the session answer.
pub(crate) fn created_from_session(response: &SessionResponse) -> CreatedOrder {
    let links = response.payment_links.as_ref();
    CreatedOrder {
        juspay_id: response.id.clone(),
        payment_link: links.and_then(|l| l.web.clone()),
        link_expiry: response.link_expiry().map(str::to_string),
        status: response.created_status().map(str::to_string),
        response_body: Some(response.to_masked_json().to_string()),
    }
}

/// What a failed create proves (reference §5: HTTP status decides, never the body's
/// `status`).
pub fn failure_evidence(error: &ApiError) -> Evidence {
    let reason = error.to_string();
    match error {
        // Nothing left this machine.
        ApiError::Network(_) | ApiError::Config(_) => Evidence::NeverSent {
            reason: format!("not sent: {error}"),
        },
        ApiError::Invalid { fields, .. } if !fields.is_empty() => {
            let fields: Vec<String> = fields.iter().map(|(f, r)| format!("{f}: {r}")).collect();
            Evidence::CreateRefused {
                reason: format!("{error} ({})", fields.join("; ")),
            }
        }
        ApiError::Invalid { .. } | ApiError::Auth { .. } | ApiError::NotFound(_) => {
            Evidence::CreateRefused { reason }
        }
        // Not an answer to a create; kept open, the next check settles it.
        ApiError::OrderNotFound(_) | ApiError::AlreadyExists(_) | ApiError::Refund(_) => {
            Evidence::NoAnswer { reason }
        }
        ApiError::Timeout { .. }
        | ApiError::Server { .. }
        | ApiError::Decode { .. }
        | ApiError::TooLarge { .. }
        | ApiError::Interrupted(_) => Evidence::NoAnswer { reason },
    }
}

/// Writes the `sending` row (owned by this process, leased for the client's request
/// timeout plus `LEASE_MARGIN`) in `ledger`, sends `POST /session`, records the outcome.
/// A ledger write that fails before sending stops the send (an order that cannot be
/// recorded is not sent): the error is that write's, and nothing left this machine.
/// An "order id already exists" answer is checked with Order Status.
pub async fn submit_to<L: ToLedger + ?Sized>(
    ledger: Option<&L>,
    client: &Client,
    ctx: &OrderContext,
    body: Map<String, Value>,
) -> Result<Submitted, LedgerError> {
    let ledger = ledger.map(ToLedger::to_ledger);
    let started = start(ledger.as_ref(), client, ctx, &body, &Checker::system()).await?;
    let result = client.create_session(&body, &started.request_id).await;
    Ok(finish(ledger.as_ref(), client, started, &body, result).await)
}

/// `submit_to` on the desk's SQLite history (`None`: no record at all), for callers that
/// opened the `Store` themselves.
pub async fn submit(
    store: Option<&Store>,
    client: &Client,
    ctx: &OrderContext,
    body: Map<String, Value>,
) -> Result<Submitted, LedgerError> {
    submit_to(store, client, ctx, body).await
}

/// A send whose row is written and whose request may now leave.
#[derive(Debug, Clone)]
pub struct Started {
    /// The row's id in the ledger; `None` only when no ledger was given.
    pub history_id: Option<i64>,
    /// The `x-request-id` to send with it.
    pub request_id: String,
}

/// First half of a send: the `sending` row, owned by `checker.me` and leased for the
/// client's request timeout plus `LEASE_MARGIN`. Nothing may be sent if this fails.
pub async fn start<L: ToLedger + ?Sized>(
    ledger: Option<&L>,
    client: &Client,
    ctx: &OrderContext,
    body: &Map<String, Value>,
    checker: &Checker,
) -> Result<Started, LedgerError> {
    let request_id = Client::new_request_id();
    let history_id = match ledger {
        Some(ledger) => {
            let mut row = new_order(ctx, body, &request_id);
            row.owner = Some(checker.me.clone());
            row.lease = client.config().request_timeout + LEASE_MARGIN;
            Some(ledger.to_ledger().insert_sending(&row).await?)
        }
        None => None,
    };
    Ok(Started {
        history_id,
        request_id,
    })
}

/// Second half of a send: records what `result` (the answer to `POST /session`) proves.
/// "Order id already exists" is checked with Order Status first.
pub async fn finish<L: ToLedger + ?Sized>(
    ledger: Option<&L>,
    client: &Client,
    started: Started,
    body: &Map<String, Value>,
    mut result: Result<SessionResponse, ApiError>,
) -> Submitted {
    let Started {
        history_id,
        request_id,
    } = started;
    let mut existing = false;
    let evidence = match &result {
        Ok(response) => Evidence::OrderSeen(created_from_session(response)),
        Err(ApiError::AlreadyExists(message)) => {
            let order_id = super::text(body, crate::session::keys::ORDER_ID);
            let routing = crate::juspay::client::routing_id(body).map(str::to_string);
            let amount = super::text(body, crate::session::keys::AMOUNT);
            let check = client.order_status(&order_id, routing.as_deref()).await;
            let (evidence, shown) = already_exists(message, &amount, check);
            if let Some(shown) = shown {
                existing = true;
                result = Ok(shown);
            }
            evidence
        }
        Err(error) => failure_evidence(error),
    };
    let (outcome, record_error) = match (ledger, history_id) {
        (Some(ledger), Some(id)) => {
            match reconcile::settle(ledger, id, None, move |_| Some(evidence.clone())).await {
                Ok(row) => (row.map(|r| r.outcome), None),
                Err(e) => (None, Some(e)),
            }
        }
        _ => (None, None),
    };
    if let Some(e) = &record_error {
        tracing::warn!(history_id, error = %e, "could not record the answer to a create");
    }
    Submitted {
        history_id,
        request_id,
        result,
        existing,
        outcome,
        record_error,
    }
}

/// What "order id already exists" plus an Order Status check prove, and the order to show
/// when it is this one.
fn already_exists(
    message: &str,
    amount: &str,
    check: Result<OrderStatus, ApiError>,
) -> (Evidence, Option<SessionResponse>) {
    match check {
        Ok(status) if reconcile::same_amount(amount, status.amount_text().as_deref()) => {
            let shown = SessionResponse {
                status: status.status.clone(),
                id: status.id.clone(),
                order_id: status.order_id.clone(),
                payment_links: status.payment_links.clone(),
                ..SessionResponse::default()
            };
            (
                Evidence::OrderSeen(reconcile::created_from_status(&status)),
                Some(shown),
            )
        }
        Ok(status) => (
            Evidence::IdTakenByOtherOrder {
                reason: reconcile::id_taken_reason(status.amount_text().as_deref()),
            },
            None,
        ),
        Err(error) => (
            Evidence::NoAnswer {
                reason: format!("{message}; the Order Status check failed: {error}"),
            },
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_request_that_never_left_is_certainly_not_created() {
        let never = failure_evidence(&ApiError::Network("refused".into()));
        assert!(matches!(never, Evidence::NeverSent { .. }));
        let timeout = failure_evidence(&ApiError::Timeout { seconds: 30 });
        assert!(matches!(timeout, Evidence::NoAnswer { .. }));
        let plain_404 = failure_evidence(&ApiError::NotFound("404".into()));
        assert!(matches!(plain_404, Evidence::CreateRefused { .. }));
    }

    #[test]
    fn the_process_owner_is_stable_within_a_run() {
        assert_eq!(this_process(), this_process());
        assert_eq!(this_process().pid, std::process::id());
    }
}
