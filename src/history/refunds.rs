//! Refund attempts in the history (`refunds`, schema version 7): one row per attempt,
//! written before its request leaves, changed only through the refund state machine
//! (`orders::refund_state`). Each write adds its event to the order's story.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;
use time::OffsetDateTime;

use super::events::{self, EventOf};
use super::store::{HistoryError, Owner, RefundMark, Store, format_time, now};
use crate::juspay::refund::rupees;
use crate::operator::Operator;
use crate::orders::refund_state::{RefundState, RefundTransition};

/// A refund attempt about to be sent.
#[derive(Debug, Clone, Default)]
pub struct NewRefund {
    /// The order's history row, when the history has the order.
    pub order_row_id: Option<i64>,
    pub environment: String,
    pub base_host: String,
    pub merchant_id: String,
    /// The merchant's order id.
    pub order_id: String,
    /// The `x-routing-id` of the order's calls.
    pub routing_id: String,
    /// Juspay's idempotency key for this attempt (at most 20 letters and digits).
    pub unique_request_id: String,
    /// In paise; `None` asks Juspay for all that is left.
    pub amount_paise: Option<u64>,
    /// The order amount in paise, when known (for what is left, and the history marks).
    pub order_amount_paise: Option<u64>,
    /// Why the money goes back, as the clerk gave it.
    pub reason: String,
    /// The sending process.
    pub owner: Option<Owner>,
    /// How long after writing the send may still land (request timeout plus a margin).
    pub lease: Duration,
    /// The clerk who asks for the refund (`""` when none was named).
    pub operator: String,
    /// The counter it is asked at.
    pub counter: String,
}

/// One refund attempt as the history holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefundRow {
    pub id: i64,
    pub order_row_id: Option<i64>,
    pub environment: String,
    pub base_host: String,
    pub merchant_id: String,
    pub order_id: String,
    pub routing_id: String,
    pub unique_request_id: String,
    /// In paise; `None` until Juspay tells the amount of a "refund all that is left".
    pub amount_paise: Option<u64>,
    pub order_amount_paise: Option<u64>,
    pub reason: String,
    pub state: RefundState,
    /// Why the attempt failed or is still open.
    pub error: Option<String>,
    /// When the row was written, right before the request left (UTC, stored format).
    pub created_at: String,
    pub owner: Option<Owner>,
    /// Until when the send may still land (UTC, stored format).
    pub lease_until: Option<String>,
    /// What the last check found, in a line, and when (UTC, stored format).
    pub last_check: Option<String>,
    pub last_check_at: Option<String>,
    /// The clerk who asked for it and the counter; `None` for rows written before
    /// operators were recorded.
    pub operator: Option<String>,
    pub counter: Option<String>,
}

/// Why a new refund attempt is not written (nothing is sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundBlocked {
    /// An earlier attempt of this order may exist at Juspay unseen (`sending` or
    /// `unknown`): it must be settled (re-sent with its own id) before a new id is used.
    Unsettled { unique_request_id: String },
    /// More than is left: `refundable_paise` is the order amount minus every attempt that
    /// holds (or may hold) money.
    Exceeds { refundable_paise: u64 },
}

impl std::fmt::Display for RefundBlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefundBlocked::Unsettled { unique_request_id } => write!(
                f,
                "an earlier refund of this order (unique_request_id {unique_request_id}) is \
                 not settled yet; paydesk sends it again with the same id before any new \
                 refund (run `paydesk history refresh`)"
            ),
            RefundBlocked::Exceeds {
                refundable_paise: 0,
            } => f.write_str("nothing is left to refund on this order"),
            RefundBlocked::Exceeds { refundable_paise } => write!(
                f,
                "more than is left to refund: at most {} rupees",
                rupees(*refundable_paise)
            ),
        }
    }
}

/// The columns of a `RefundRow`, in `row_to_refund` order (every store engine reads these).
pub(crate) const REFUND_COLUMNS: &str = "id, order_row_id, environment, base_host, merchant_id, \
    order_id, routing_id, unique_request_id, amount_paise, order_amount_paise, reason, state, \
    error, created_at, owner_token, owner_pid, owner_host, lease_until, last_check, \
    last_check_at, operator, counter";

fn row_to_refund(row: &Row<'_>) -> rusqlite::Result<RefundRow> {
    let state: String = row.get(11)?;
    let state = RefundState::parse(&state).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            11,
            rusqlite::types::Type::Text,
            format!("unknown refund state {state:?}").into(),
        )
    })?;
    let paise = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(row
            .get::<_, Option<i64>>(i)?
            .and_then(|v| u64::try_from(v).ok()))
    };
    Ok(RefundRow {
        id: row.get(0)?,
        order_row_id: row.get(1)?,
        environment: row.get(2)?,
        base_host: row.get(3)?,
        merchant_id: row.get(4)?,
        order_id: row.get(5)?,
        routing_id: row.get(6)?,
        unique_request_id: row.get(7)?,
        amount_paise: paise(8)?,
        order_amount_paise: paise(9)?,
        reason: row.get(10)?,
        state,
        error: row.get(12)?,
        created_at: row.get(13)?,
        owner: match (
            row.get::<_, Option<String>>(14)?,
            row.get::<_, Option<u32>>(15)?,
        ) {
            (Some(token), Some(pid)) => Some(Owner {
                token,
                pid,
                host: row.get::<_, Option<String>>(16)?.unwrap_or_default(),
            }),
            _ => None,
        },
        lease_until: row.get(17)?,
        last_check: row.get(18)?,
        last_check_at: row.get(19)?,
        operator: row.get(20)?,
        counter: row.get(21)?,
    })
}

fn paise_param(paise: Option<u64>) -> Option<i64> {
    paise.and_then(|p| i64::try_from(p).ok())
}

/// The attempts of one order at one place, oldest first.
fn attempts(conn: &Connection, refund: &NewRefund) -> rusqlite::Result<Vec<RefundRow>> {
    let sql = format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = ?1 AND environment = ?2 \
         AND base_host = ?3 AND merchant_id = ?4 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            refund.order_id,
            refund.environment,
            refund.base_host,
            refund.merchant_id
        ],
        row_to_refund,
    )?;
    rows.collect()
}

/// Whether `refund` may be written after the order's `earlier` attempts (same order id
/// and place): not while one may exist unseen, and, when the order amount is known, never
/// more than is left. Every store engine checks this inside its write lock.
pub fn may_add(refund: &NewRefund, earlier: &[RefundRow]) -> Result<(), RefundBlocked> {
    if let Some(open) = earlier.iter().find(|a| a.state.may_exist_unseen()) {
        return Err(RefundBlocked::Unsettled {
            unique_request_id: open.unique_request_id.clone(),
        });
    }
    if let Some(order_paise) = refund.order_amount_paise {
        let left = refundable_paise(order_paise, earlier);
        if left == 0 || refund.amount_paise.is_some_and(|a| a > left) {
            return Err(RefundBlocked::Exceeds {
                refundable_paise: left,
            });
        }
    }
    Ok(())
}

/// The detail of a new attempt's `refund_sending` event.
pub fn sending_detail(refund: &NewRefund) -> String {
    let amount = refund
        .amount_paise
        .map_or("all that is left".to_string(), rupees);
    format!(
        "refund {}: amount {amount}, reason: {}",
        refund.unique_request_id, refund.reason
    )
}

/// The event (kind, detail) a written refund transition adds: a new state, or a failed
/// check; `row` is the attempt as written.
pub fn transition_event(
    row: &RefundRow,
    transition: &RefundTransition,
) -> Option<(&'static str, String)> {
    let why = transition
        .reason()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    if transition.changes_state() {
        let detail = format!("refund {}: {}{why}", row.unique_request_id, row.state);
        Some((events::kind::REFUND, detail))
    } else if transition.failed_check() {
        let detail = format!("refund {}{why}", row.unique_request_id);
        Some((events::kind::CHECK_FAILED, detail))
    } else {
        None
    }
}

/// What is left to refund of `order_paise` after `attempts`: every attempt that holds
/// (or may hold) money counts, one of unknown amount as all that was left.
pub fn refundable_paise(order_paise: u64, attempts: &[RefundRow]) -> u64 {
    attempts
        .iter()
        .filter(|a| a.state.holds_money())
        .fold(order_paise, |left, a| {
            left.saturating_sub(a.amount_paise.unwrap_or(left))
        })
}

impl Store {
    /// Writes a refund attempt (state `sending`) before its request leaves, with its
    /// event, in one write transaction that first checks the order's other attempts: no
    /// new attempt while an earlier one may exist unseen, and, when the order amount is
    /// known, never more than is left. `Ok(Err(_))`: not written, nothing may be sent.
    pub fn insert_refund(
        &self,
        refund: &NewRefund,
    ) -> Result<Result<i64, RefundBlocked>, HistoryError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let earlier = attempts(&tx, refund)?;
            if let Err(blocked) = may_add(refund, &earlier) {
                return Ok(Err(blocked));
            }
            let at = OffsetDateTime::now_utc();
            let created_at = format_time(at);
            let lease = time::Duration::try_from(refund.lease).unwrap_or(time::Duration::MAX);
            let lease_until = format_time(at.checked_add(lease).unwrap_or(at));
            let owner = refund.owner.as_ref();
            tx.prepare_cached(
                "INSERT INTO refunds (order_row_id, environment, base_host, merchant_id, \
                 order_id, routing_id, unique_request_id, amount_paise, order_amount_paise, \
                 reason, state, created_at, owner_token, owner_pid, owner_host, lease_until, \
                 operator, counter) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'sending', ?11, ?12, ?13, \
                 ?14, ?15, ?16, ?17)",
            )?
            .execute(params![
                refund.order_row_id,
                refund.environment,
                refund.base_host,
                refund.merchant_id,
                refund.order_id,
                refund.routing_id,
                refund.unique_request_id,
                paise_param(refund.amount_paise),
                paise_param(refund.order_amount_paise),
                refund.reason,
                created_at,
                owner.map(|o| o.token.as_str()),
                owner.map(|o| o.pid),
                owner.map(|o| o.host.as_str()),
                lease_until,
                refund.operator,
                refund.counter,
            ])?;
            let id = tx.last_insert_rowid();
            let detail = sending_detail(refund);
            let of = EventOf {
                order_id: &refund.order_id,
                order_row_id: refund.order_row_id,
                refund_id: Some(id),
            };
            let by = Operator::new(refund.operator.as_str(), refund.counter.as_str());
            events::append(
                &tx,
                of,
                &by,
                &created_at,
                events::kind::REFUND_SENDING,
                &detail,
            )?;
            tx.commit()?;
            Ok(Ok(id))
        })
    }

    /// Writes a transition decided by `orders::refund_state::decide`, only while the row
    /// is still in `transition.from()` (false otherwise: decide again from the row as it
    /// is now), with its events (a new state, a failed check). With `check`, the line is
    /// recorded as the last check, with the time.
    pub fn apply_refund(
        &self,
        id: i64,
        transition: &RefundTransition,
        check: Option<&str>,
    ) -> Result<bool, HistoryError> {
        let at = now();
        let keep_reason = !transition.changes_state() && transition.reason().is_none();
        let by = self.actor().get();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx
                .prepare_cached(
                    "UPDATE refunds SET state = ?3, \
                     error = CASE WHEN ?4 THEN error ELSE ?5 END, \
                     amount_paise = COALESCE(?6, amount_paise), \
                     last_check = COALESCE(?7, last_check), \
                     last_check_at = CASE WHEN ?7 IS NULL THEN last_check_at ELSE ?8 END \
                     WHERE id = ?1 AND state = ?2",
                )?
                .execute(params![
                    id,
                    transition.from().as_str(),
                    transition.to().as_str(),
                    keep_reason,
                    transition.reason(),
                    paise_param(transition.amount_paise()),
                    check,
                    at,
                ])?;
            if changed > 0 {
                let row = tx
                    .prepare_cached(&format!(
                        "SELECT {REFUND_COLUMNS} FROM refunds WHERE id = ?1"
                    ))?
                    .query_row([id], row_to_refund)?;
                let of = EventOf {
                    order_id: &row.order_id,
                    order_row_id: row.order_row_id,
                    refund_id: Some(id),
                };
                if let Some((kind, detail)) = transition_event(&row, transition) {
                    events::append(&tx, of, &by, &at, kind, &detail)?;
                }
            }
            tx.commit()?;
            Ok(changed > 0)
        })
    }

    /// The refund attempt with this local id.
    pub fn refund_row(&self, id: i64) -> Result<Option<RefundRow>, HistoryError> {
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE id = ?1");
        self.with_conn(|conn| {
            conn.prepare_cached(&sql)?
                .query_row([id], row_to_refund)
                .optional()
        })
    }

    /// Every refund attempt of this order id (any place), oldest first.
    pub fn refunds_of(&self, order_id: &str) -> Result<Vec<RefundRow>, HistoryError> {
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = ?1 ORDER BY id");
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([order_id], row_to_refund)?;
            rows.collect()
        })
    }

    /// For the desk's history marks: which of the order rows `ids` their successful
    /// refunds give back in full or in part (the same rule as `history --status
    /// refunded`). Rows with no successful refund are left out.
    pub fn refund_marks(&self, ids: &[i64]) -> Result<Vec<(i64, RefundMark)>, HistoryError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT order_row_id, SUM(amount_paise), MAX(order_amount_paise) FROM refunds \
             WHERE state = 'success' AND order_row_id IN ({list}) GROUP BY order_row_id"
        );
        self.with_conn(|conn| {
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(ids), |row| {
                let id: i64 = row.get(0)?;
                let refunded: Option<i64> = row.get(1)?;
                let amount: Option<i64> = row.get(2)?;
                Ok((id, refunded.unwrap_or(0), amount))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, refunded, amount) = row?;
                if refunded <= 0 {
                    continue;
                }
                let mark = match amount {
                    Some(amount) if refunded >= amount => RefundMark::Full,
                    _ => RefundMark::Partial,
                };
                out.push((id, mark));
            }
            Ok(out)
        })
    }

    /// Open refund attempts (`sending`, `unknown`, `pending`), newest first, at most
    /// `limit`. Which of them may be checked now is `orders::refund`'s call.
    pub fn open_refunds(&self, limit: usize) -> Result<Vec<RefundRow>, HistoryError> {
        let sql = format!(
            "SELECT {REFUND_COLUMNS} FROM refunds \
             WHERE state IN ('sending', 'unknown', 'pending') ORDER BY id DESC LIMIT ?1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([limit], row_to_refund)?;
            rows.collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(state: RefundState, amount: Option<u64>) -> RefundRow {
        RefundRow {
            id: 1,
            order_row_id: None,
            environment: String::new(),
            base_host: String::new(),
            merchant_id: String::new(),
            order_id: "O".into(),
            routing_id: String::new(),
            unique_request_id: "r".into(),
            amount_paise: amount,
            order_amount_paise: Some(1000),
            reason: String::new(),
            state,
            error: None,
            created_at: String::new(),
            owner: None,
            lease_until: None,
            last_check: None,
            last_check_at: None,
            operator: None,
            counter: None,
        }
    }

    #[test]
    fn what_is_left_counts_every_attempt_that_may_hold_money() {
        let attempts = [
            attempt(RefundState::Success, Some(300)),
            attempt(RefundState::Failure, Some(500)),
            attempt(RefundState::Pending, Some(200)),
            attempt(RefundState::Rejected, Some(900)),
        ];
        assert_eq!(refundable_paise(1000, &attempts), 500);
        let all = [attempt(RefundState::ManualReview, None)];
        assert_eq!(refundable_paise(1000, &all), 0);
    }
}
