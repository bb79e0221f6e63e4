//! Each order's story: the append-only `order_events` table (schema version 7).
//!
//! Read with `Store::events`. Events are written only by the store's write paths of the two state machines
//! (`Store::insert_sending`, `Store::apply`, `Store::insert_refund`,
//! `Store::apply_refund`), in the same transaction as the change they tell, so the story
//! never disagrees with the rows. Nothing updates an event (a trigger refuses it).

use rusqlite::{Connection, Row, params};
use serde::Serialize;

use crate::operator::Operator;
use crate::orders::state::Transition;

/// Event kinds, as stored in `kind`.
pub mod kind {
    /// The order's row was written and its create request is leaving.
    pub const SENDING: &str = "sending";
    /// A Juspay status of the order seen for the first time (detail: the status).
    pub const STATUS: &str = "status";
    /// A check of the order or of a refund failed (detail: why).
    pub const CHECK_FAILED: &str = "check_failed";
    /// A refund attempt was written and is leaving (detail: id, amount, reason).
    pub const REFUND_SENDING: &str = "refund_sending";
    /// A refund attempt changed state (detail: `refund <id>: <state>` and why).
    pub const REFUND: &str = "refund";
}

/// One event of an order's story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderEvent {
    pub id: i64,
    /// The merchant's order id.
    pub order_id: String,
    /// The order's history row, when the history has it.
    pub order_row_id: Option<i64>,
    /// The refund attempt (`refunds.id`) the event is about, if any.
    pub refund_id: Option<i64>,
    /// When it happened: UTC, the history's stored format (`2026-11-30T10:00:00.000Z`).
    pub at: String,
    /// One of [`kind`], or an order outcome (`created`, `rejected`, `unknown`,
    /// `not_created`) when the order's outcome changed.
    pub kind: String,
    /// What happened, in a line.
    pub detail: String,
    /// Who did it (the clerk of the process that wrote the change); `None` for events
    /// written before operators were recorded.
    pub operator: Option<String>,
    /// At which counter; `None` as `operator`.
    pub counter: Option<String>,
}

/// The detail of the `sending` event of a new order's row (its amount in rupees as
/// written, currency and request id).
pub fn sending_detail(amount: &str, currency: &str, request_id: &str) -> String {
    format!("amount {amount} {currency}, request id {request_id}")
}

/// The events (kind, detail) a written order transition adds to the order's story: a new
/// outcome, a Juspay status not seen before (`old_status`: the row's status before), a
/// failed check. Every store engine writes these, in the transaction of the change.
pub fn of_transition(
    old_status: Option<&str>,
    transition: &Transition,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if transition.changes_outcome() {
        let detail = transition.reason().unwrap_or_default();
        out.push((transition.to().as_str(), detail.to_string()));
    }
    let status = transition.order().and_then(|o| o.status.as_deref());
    if let Some(status) = status
        && !old_status.is_some_and(|old| old.eq_ignore_ascii_case(status))
    {
        out.push((kind::STATUS, status.to_string()));
    }
    if let Some(why) = transition
        .failed_check()
        .filter(|_| !transition.changes_outcome())
    {
        out.push((kind::CHECK_FAILED, why.to_string()));
    }
    out
}

/// Where an event belongs.
#[derive(Debug, Clone, Copy)]
pub(super) struct EventOf<'a> {
    pub order_id: &'a str,
    pub order_row_id: Option<i64>,
    pub refund_id: Option<i64>,
}

/// Appends one event, made by `by`; the caller holds the write transaction of the change
/// it tells.
pub(super) fn append(
    conn: &Connection,
    of: EventOf<'_>,
    by: &Operator,
    at: &str,
    kind: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_events (order_row_id, refund_id, order_id, at, kind, detail, \
         operator, counter) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        of.order_row_id,
        of.refund_id,
        of.order_id,
        at,
        kind,
        detail,
        by.name,
        by.counter
    ])?;
    Ok(())
}

fn row_to_event(row: &Row<'_>) -> rusqlite::Result<OrderEvent> {
    Ok(OrderEvent {
        id: row.get(0)?,
        order_row_id: row.get(1)?,
        refund_id: row.get(2)?,
        order_id: row.get(3)?,
        at: row.get(4)?,
        kind: row.get(5)?,
        detail: row.get(6)?,
        operator: row.get(7)?,
        counter: row.get(8)?,
    })
}

/// Every event of this order id (any environment), oldest first.
pub(super) fn of_order(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, order_row_id, refund_id, order_id, at, kind, detail, operator, counter \
         FROM order_events WHERE order_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([order_id], row_to_event)?;
    rows.collect()
}
