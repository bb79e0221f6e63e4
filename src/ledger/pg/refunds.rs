//! Refund attempts on the branch ledger, with the same rules as `history::refunds`.
//!
//! A new attempt is checked against the order's other attempts (`refunds::may_add`) under
//! a transaction-scoped advisory lock on the order's place and id, so two counters cannot
//! both start a refund of the same order; a state change locks the attempt's row first.

use time::OffsetDateTime;
use tokio_postgres::Row;

use super::{PgLedger, append_event, pg};
use crate::history::refunds::{self, REFUND_COLUMNS};
use crate::history::store::{format_time, now};
use crate::history::{NewRefund, Owner, RefundBlocked, RefundRow, events};
use crate::ledger::LedgerError;
use crate::operator::Operator;
use crate::orders::refund_state::{RefundState, RefundTransition};

fn paise(paise: Option<u64>) -> Option<i64> {
    paise.and_then(|p| i64::try_from(p).ok())
}

fn read_refund(row: &Row) -> Result<RefundRow, tokio_postgres::Error> {
    let state: String = row.try_get(11)?;
    // The CHECK constraint allows only known words; should one still be unreadable, the
    // honest reading is "not known".
    let state = RefundState::parse(&state).unwrap_or(RefundState::Unknown);
    let paise = |i: usize| -> Result<Option<u64>, tokio_postgres::Error> {
        Ok(row
            .try_get::<_, Option<i64>>(i)?
            .and_then(|v| u64::try_from(v).ok()))
    };
    Ok(RefundRow {
        id: row.try_get(0)?,
        order_row_id: row.try_get(1)?,
        environment: row.try_get(2)?,
        base_host: row.try_get(3)?,
        merchant_id: row.try_get(4)?,
        order_id: row.try_get(5)?,
        routing_id: row.try_get(6)?,
        unique_request_id: row.try_get(7)?,
        amount_paise: paise(8)?,
        order_amount_paise: paise(9)?,
        reason: row.try_get(10)?,
        state,
        error: row.try_get(12)?,
        created_at: row.try_get(13)?,
        owner: match (
            row.try_get::<_, Option<String>>(14)?,
            row.try_get::<_, Option<i64>>(15)?,
        ) {
            (Some(token), Some(pid)) => Some(Owner {
                token,
                pid: u32::try_from(pid).unwrap_or(0),
                host: row.try_get::<_, Option<String>>(16)?.unwrap_or_default(),
            }),
            _ => None,
        },
        lease_until: row.try_get(17)?,
        last_check: row.try_get(18)?,
        last_check_at: row.try_get(19)?,
        operator: row.try_get(20)?,
        counter: row.try_get(21)?,
    })
}

fn refund_rows(rows: &[Row]) -> Result<Vec<RefundRow>, LedgerError> {
    rows.iter().map(|r| read_refund(r).map_err(pg)).collect()
}

impl PgLedger {
    /// Writes a refund attempt (`sending`) and its event before its request leaves, as
    /// `Store::insert_refund`: `Ok(Err(_))` when the order's other attempts forbid it.
    pub async fn insert_refund(
        &self,
        refund: &NewRefund,
    ) -> Result<Result<i64, RefundBlocked>, LedgerError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let key = format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}",
            refund.environment, refund.base_host, refund.merchant_id, refund.order_id
        );
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&key],
        )
        .await
        .map_err(pg)?;
        let earlier = tx
            .query(
                &format!(
                    "SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = $1 \
                     AND environment = $2 AND base_host = $3 AND merchant_id = $4 ORDER BY id"
                ),
                &[
                    &refund.order_id,
                    &refund.environment,
                    &refund.base_host,
                    &refund.merchant_id,
                ],
            )
            .await
            .map_err(pg)?;
        if let Err(blocked) = refunds::may_add(refund, &refund_rows(&earlier)?) {
            return Ok(Err(blocked));
        }
        let at = OffsetDateTime::now_utc();
        let created_at = format_time(at);
        let lease = time::Duration::try_from(refund.lease).unwrap_or(time::Duration::MAX);
        let lease_until = format_time(at.checked_add(lease).unwrap_or(at));
        let owner = refund.owner.as_ref();
        let row = tx
            .query_one(
                "INSERT INTO refunds (order_row_id, environment, base_host, merchant_id, \
                 order_id, routing_id, unique_request_id, amount_paise, order_amount_paise, \
                 reason, state, created_at, owner_token, owner_pid, owner_host, lease_until, \
                 operator, counter) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'sending', $11, $12, $13, \
                 $14, $15, $16, $17) RETURNING id",
                &[
                    &refund.order_row_id,
                    &refund.environment,
                    &refund.base_host,
                    &refund.merchant_id,
                    &refund.order_id,
                    &refund.routing_id,
                    &refund.unique_request_id,
                    &paise(refund.amount_paise),
                    &paise(refund.order_amount_paise),
                    &refund.reason,
                    &created_at,
                    &owner.map(|o| o.token.as_str()),
                    &owner.map(|o| i64::from(o.pid)),
                    &owner.map(|o| o.host.as_str()),
                    &lease_until,
                    &refund.operator,
                    &refund.counter,
                ],
            )
            .await
            .map_err(pg)?;
        let id: i64 = row.try_get(0).map_err(pg)?;
        let event = super::EventRef {
            order_row_id: refund.order_row_id,
            refund_id: Some(id),
            order_id: &refund.order_id,
        };
        let detail = refunds::sending_detail(refund);
        let by = Operator::new(refund.operator.as_str(), refund.counter.as_str());
        append_event(
            &tx,
            event,
            &by,
            &created_at,
            events::kind::REFUND_SENDING,
            &detail,
        )
        .await?;
        tx.commit().await.map_err(pg)?;
        Ok(Ok(id))
    }

    /// Writes a transition decided by `orders::refund_state::decide`, only while the
    /// attempt is still in `transition.from()` (the row is locked first), with its event.
    pub async fn apply_refund(
        &self,
        id: i64,
        transition: &RefundTransition,
        check: Option<&str>,
    ) -> Result<bool, LedgerError> {
        let at = now();
        let keep_reason = !transition.changes_state() && transition.reason().is_none();
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let state: Option<String> = tx
            .query_opt("SELECT state FROM refunds WHERE id = $1 FOR UPDATE", &[&id])
            .await
            .map_err(pg)?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(pg)?;
        if state.as_deref() != Some(transition.from().as_str()) {
            return Ok(false);
        }
        let row = tx
            .query_one(
                &format!(
                    "UPDATE refunds SET state = $2, \
                     error = CASE WHEN $3 THEN error ELSE $4 END, \
                     amount_paise = COALESCE($5, amount_paise), \
                     last_check = COALESCE($6, last_check), \
                     last_check_at = CASE WHEN $6::text IS NULL THEN last_check_at ELSE $7 END \
                     WHERE id = $1 RETURNING {REFUND_COLUMNS}"
                ),
                &[
                    &id,
                    &transition.to().as_str(),
                    &keep_reason,
                    &transition.reason(),
                    &paise(transition.amount_paise()),
                    &check,
                    &at,
                ],
            )
            .await
            .map_err(pg)?;
        let row = read_refund(&row).map_err(pg)?;
        if let Some((kind, detail)) = refunds::transition_event(&row, transition) {
            let event = super::EventRef {
                order_row_id: row.order_row_id,
                refund_id: Some(id),
                order_id: &row.order_id,
            };
            append_event(&tx, event, &self.actor.get(), &at, kind, &detail).await?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(true)
    }

    /// Every refund attempt of this order id (any place), oldest first.
    pub async fn refunds_of(&self, order_id: &str) -> Result<Vec<RefundRow>, LedgerError> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = $1 ORDER BY id"),
                &[&order_id],
            )
            .await
            .map_err(pg)?;
        refund_rows(&rows)
    }

    /// Open refund attempts (`sending`, `unknown`, `pending`), newest first, at most
    /// `limit`.
    pub async fn open_refunds(&self, limit: usize) -> Result<Vec<RefundRow>, LedgerError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {REFUND_COLUMNS} FROM refunds \
                     WHERE state IN ('sending', 'unknown', 'pending') ORDER BY id DESC LIMIT $1"
                ),
                &[&limit],
            )
            .await
            .map_err(pg)?;
        refund_rows(&rows)
    }

    /// The refund attempt with this ledger id.
    pub async fn refund_row(&self, id: i64) -> Result<Option<RefundRow>, LedgerError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg)?;
        row.as_ref().map(read_refund).transpose().map_err(pg)
    }
}
