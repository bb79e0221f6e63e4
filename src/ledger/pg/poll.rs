//! One status poller per open order for the whole branch: poll leases.
//!
//! Each desk, at its poll interval, asks for a batch of the orders it should check at
//! Juspay. An order is handed to one desk at a time: the statement locks the candidate
//! order rows with `FOR NO KEY UPDATE SKIP LOCKED` (a desk asking at the same moment
//! skips them instead of waiting) and writes the lease (`poll_leases`: desk and expiry) in
//! the same statement. A desk keeps its orders by asking again before its leases expire
//! (its own leases are renewed); a desk that dies stops renewing, and after one lease
//! period its orders go to whoever asks next.
//!
//! The lease is only ever taken where it is free, expired or already this desk's: the
//! `ON CONFLICT … WHERE` re-checks the lease row as committed by now, so a desk whose
//! snapshot predates another's claim still cannot take it over.

use std::time::Duration;

use super::{COLUMNS, PgLedger, pg, row_to_order};
use crate::history::{FINAL_STATUSES, OrderRow};
use crate::ledger::{LedgerError, PollPlace};

impl PgLedger {
    /// Claims for `desk`, until the server's now + `lease`, up to `limit` orders that are
    /// not settled (the same selection as `non_final`) and whose poll lease is free,
    /// expired or already `desk`'s; returns them newest first. Orders another desk holds
    /// (or is claiming at this very moment) are left out.
    ///
    /// `desk` must be unique per running desk (e.g. counter, host and process id), not
    /// per counter: two processes with one name would share their leases. `lease` should
    /// be a few poll intervals, so a desk renews in time and a dead desk's orders move on
    /// soon; it is rounded to milliseconds. `desk`'s leases of orders settled since its
    /// last ask are dropped in the same statement.
    pub async fn take_poll_batch(
        &self,
        desk: &str,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<OrderRow>, LedgerError> {
        self.take_poll_batch_at(desk, lease, limit, &PollPlace::default())
            .await
    }

    /// `take_poll_batch` for the orders of one place only (`PollPlace`): a desk claims
    /// no lease on an order it cannot ask its Juspay about (another merchant or host),
    /// which would keep the desks that can from polling it.
    pub async fn take_poll_batch_at(
        &self,
        desk: &str,
        lease: Duration,
        limit: usize,
        place: &PollPlace,
    ) -> Result<Vec<OrderRow>, LedgerError> {
        let sql = format!(
            "WITH candidates AS ( \
                 SELECT o.id FROM orders AS o \
                 LEFT JOIN poll_leases AS l ON l.order_row_id = o.id \
                 WHERE (o.outcome IN ('sending', 'unknown') \
                     OR (o.outcome = 'created' AND (o.status IS NULL \
                         OR UPPER(o.status) <> ALL($4::text[])))) \
                   AND (l.order_row_id IS NULL OR l.leased_until <= now() \
                     OR l.leased_by = $1::text) \
                   AND ($5::text IS NULL OR o.environment = $5::text) \
                   AND ($6::text IS NULL OR o.base_host = $6::text) \
                   AND ($7::text IS NULL OR o.merchant_id = $7::text) \
                 ORDER BY o.id DESC LIMIT $3::bigint \
                 FOR NO KEY UPDATE OF o SKIP LOCKED \
             ), settled AS ( \
                 DELETE FROM poll_leases AS p USING orders AS o \
                 WHERE p.leased_by = $1::text AND o.id = p.order_row_id \
                   AND NOT (o.outcome IN ('sending', 'unknown') \
                     OR (o.outcome = 'created' AND (o.status IS NULL \
                         OR UPPER(o.status) <> ALL($4::text[])))) \
             ), claimed AS ( \
                 INSERT INTO poll_leases (order_row_id, leased_by, leased_until) \
                 SELECT id, $1::text, now() + $2::float8 * INTERVAL '1 millisecond' FROM candidates \
                 ON CONFLICT (order_row_id) DO UPDATE \
                     SET leased_by = EXCLUDED.leased_by, leased_until = EXCLUDED.leased_until \
                     WHERE poll_leases.leased_until <= now() \
                         OR poll_leases.leased_by = EXCLUDED.leased_by \
                 RETURNING order_row_id \
             ) \
             SELECT {COLUMNS} FROM orders AS o JOIN claimed AS c ON c.order_row_id = o.id \
             ORDER BY o.id DESC"
        );
        let millis = f64::from(u32::try_from(lease.as_millis()).unwrap_or(u32::MAX));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let finals: Vec<String> = FINAL_STATUSES.iter().map(|s| s.to_string()).collect();
        let client = self.client().await?;
        let rows = client
            .query(
                &sql,
                &[
                    &desk,
                    &millis,
                    &limit,
                    &finals,
                    &place.environment,
                    &place.base_host,
                    &place.merchant_id,
                ],
            )
            .await
            .map_err(pg)?;
        rows.iter().map(row_to_order).collect()
    }

    /// Extends `desk`'s poll leases of the orders `ids` to the server's now + `lease`
    /// (rounded to milliseconds): a desk whose checks of a batch take longer than a lease
    /// keeps the orders it is still checking. Leases another desk holds by now are left
    /// alone. Returns how many were extended.
    pub async fn renew_poll_leases(
        &self,
        desk: &str,
        lease: Duration,
        ids: &[i64],
    ) -> Result<u64, LedgerError> {
        let millis = f64::from(u32::try_from(lease.as_millis()).unwrap_or(u32::MAX));
        let client = self.client().await?;
        client
            .execute(
                "UPDATE poll_leases \
                 SET leased_until = now() + $2::float8 * INTERVAL '1 millisecond' \
                 WHERE leased_by = $1::text AND order_row_id = ANY($3::bigint[])",
                &[&desk, &millis, &ids],
            )
            .await
            .map_err(pg)
    }

    /// Gives up every poll lease `desk` holds (a desk closing cleanly), so other desks
    /// take its orders at once instead of after the lease period. Returns how many.
    pub async fn release_poll_leases(&self, desk: &str) -> Result<u64, LedgerError> {
        let client = self.client().await?;
        client
            .execute("DELETE FROM poll_leases WHERE leased_by = $1", &[&desk])
            .await
            .map_err(pg)
    }
}
