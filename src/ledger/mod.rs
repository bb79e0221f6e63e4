//! The order ledger behind one interface, on one of two engines: the desk's own SQLite
//! history (`history::Store`, the default, nothing to set up) or a branch ledger on
//! PostgreSQL shared by every counter (`pg::PgLedger`), chosen by `[ledger] url` or
//! `PAYDESK_LEDGER_URL`.
//!
//! `Ledger` is an enum, not a trait object: two engines, known at compile time, and the
//! async methods stay plain `async fn`. SQLite calls run on tokio's blocking pool
//! (`Store::call`), so neither engine blocks the render loop. Both keep the same promises:
//! the row is written before the request leaves; outcomes change only through
//! `orders::state::decide` and only from the outcome the caller decided from.

pub mod import;
pub mod live;
pub mod open;
pub mod pg;
pub mod target;
pub mod tls;

use crate::history::store::Actor;
use crate::history::{
    Count, HistoryError, NewOrder, NewRefund, OrderEvent, OrderRow, Query, RefundBlocked,
    RefundMark, RefundRow, Store, Transition,
};
use crate::orders::refund_state::RefundTransition;
pub use pg::PgLedger;
pub use target::{LedgerTarget, PasswordSources, SslMode, TargetError, mask_url};

/// What went wrong with the ledger. No variant ever holds the password (messages from the
/// server name the user at most; URLs are masked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// The SQLite engine's error.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The URL or the password source.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// The server could not be reached, or the connection broke.
    #[error("the ledger cannot be reached: {0}")]
    Unreachable(String),
    /// The server refused the user or the password (SQLSTATE class 28).
    #[error("the ledger refused the login: {0}")]
    Auth(String),
    /// TLS could not be set up.
    #[error("the ledger's TLS setup failed: {0}")]
    Tls(String),
    /// The server answered a statement with an error.
    #[error("the ledger answered with an error: {0}")]
    Sql(String),
    /// The ledger's schema is newer than this paydesk knows.
    #[error(
        "the ledger was written by a newer paydesk (schema version {found}, this one knows up \
         to {known}); update paydesk on this desk"
    )]
    NewerSchema { found: i32, known: i32 },
}

impl LedgerError {
    /// Classifies a tokio-postgres error: refused login, server error, or unreachable.
    pub fn from_pg(e: &tokio_postgres::Error) -> LedgerError {
        match e.as_db_error() {
            Some(db) if db.code().code().starts_with("28") => {
                LedgerError::Auth(db.message().to_string())
            }
            Some(db) => LedgerError::Sql(format!("{} ({})", db.message(), db.code().code())),
            None => LedgerError::Unreachable(with_causes(e)),
        }
    }

    /// The process exit code for this error (`exit`): unreachable → network, refused
    /// login → auth, bad URL or newer schema → invalid, anything else → other.
    pub fn exit_code(&self) -> u8 {
        match self {
            LedgerError::Unreachable(_) | LedgerError::Tls(_) => crate::exit::NETWORK,
            LedgerError::Auth(_) => crate::exit::AUTH,
            LedgerError::Target(_) | LedgerError::NewerSchema { .. } => crate::exit::INVALID,
            LedgerError::History(_) | LedgerError::Sql(_) => crate::exit::OTHER,
        }
    }
}

/// An error and its causes in one line ("error performing TLS handshake: invalid peer
/// certificate: UnknownIssuer"): the top line alone rarely says what to fix.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(inner) = cause {
        let line = inner.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        cause = inner.source();
    }
    text
}

/// Which orders a desk polls: those of one place. Each `Some` field must match the
/// order row's column; `None` matches anything (the default matches every order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollPlace {
    /// The environment name (the demo's orders are matched by it: each demo run has its
    /// own port).
    pub environment: Option<String>,
    /// The Juspay host (with a non-default port), as `OrderRow::base_host`.
    pub base_host: Option<String>,
    /// The merchant id.
    pub merchant_id: Option<String>,
}

impl PollPlace {
    /// True when `row` is an order of this place.
    pub fn holds(&self, row: &OrderRow) -> bool {
        let is = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        is(&self.environment, &row.environment)
            && is(&self.base_host, &row.base_host)
            && is(&self.merchant_id, &row.merchant_id)
    }
}

/// The order ledger on one engine. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Ledger {
    /// The desk's own SQLite history.
    Sqlite(Store),
    /// The branch ledger on PostgreSQL.
    Postgres(PgLedger),
}

impl Ledger {
    /// "sqlite" or "postgresql".
    pub fn engine(&self) -> &'static str {
        match self {
            Ledger::Sqlite(_) => "sqlite",
            Ledger::Postgres(_) => "postgresql",
        }
    }

    /// Writes the `sending` row before the request leaves; returns its id.
    pub async fn insert_sending(&self, order: &NewOrder) -> Result<i64, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let order = order.clone();
                Ok(store.call(move |s| s.insert_sending(&order)).await?)
            }
            Ledger::Postgres(pg) => pg.insert_sending(order).await,
        }
    }

    /// Writes a transition decided by `orders::state::decide`, only while the row still
    /// has `transition.from()`; false when another writer moved it first.
    pub async fn apply(
        &self,
        id: i64,
        transition: &Transition,
        check: Option<&str>,
    ) -> Result<bool, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let transition = transition.clone();
                let check = check.map(str::to_string);
                Ok(store
                    .call(move |s| s.apply(id, &transition, check.as_deref()))
                    .await?)
            }
            Ledger::Postgres(pg) => pg.apply(id, transition, check).await,
        }
    }

    /// The row with this id.
    pub async fn get(&self, id: i64) -> Result<Option<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => Ok(store.call(move |s| s.get(id)).await?),
            Ledger::Postgres(pg) => pg.get(id).await,
        }
    }

    /// The newest row with this order id (any environment).
    pub async fn latest_by_order_id(
        &self,
        order_id: &str,
    ) -> Result<Option<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let order_id = order_id.to_string();
                Ok(store.call(move |s| s.latest_by_order_id(&order_id)).await?)
            }
            Ledger::Postgres(pg) => pg.latest_by_order_id(order_id).await,
        }
    }

    /// One window of rows, newest first.
    pub async fn window(&self, query: &Query) -> Result<Vec<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let query = query.clone();
                Ok(store.call(move |s| s.window(&query)).await?)
            }
            Ledger::Postgres(pg) => pg.window(query).await,
        }
    }

    /// How many rows match, ignoring paging.
    pub async fn count(&self, query: &Query) -> Result<u64, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let query = query.clone();
                Ok(store.call(move |s| s.count(&query)).await?)
            }
            Ledger::Postgres(pg) => pg.count(query).await,
        }
    }

    /// How many rows match, ignoring paging: a query for every row exactly, a search or
    /// filter up to `cap` (then `Count::MoreThan(cap)`), the same on both engines.
    pub async fn count_upto(&self, query: &Query, cap: u64) -> Result<Count, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let query = query.clone();
                Ok(store.call(move |s| s.count_upto(&query, cap)).await?)
            }
            Ledger::Postgres(pg) => pg.count_upto(query, cap).await,
        }
    }

    /// Open rows (`sending`, `unknown`), newest first, at most `limit`.
    pub async fn open_rows(&self, limit: usize) -> Result<Vec<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => Ok(store.call(move |s| s.open_rows(limit)).await?),
            Ledger::Postgres(pg) => pg.open_rows(limit).await,
        }
    }

    /// Rows that are not settled (open, or created with a status that is not final),
    /// newest first, at most `limit`: what a refresh re-checks.
    pub async fn non_final(&self, limit: usize) -> Result<Vec<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => Ok(store.call(move |s| s.non_final(limit)).await?),
            Ledger::Postgres(pg) => pg.non_final(limit).await,
        }
    }

    /// Writes every row as CSV (BOM, header, oldest first) to `out` and gives it back
    /// with the number of rows written.
    pub async fn export_csv<W>(&self, mut out: W) -> Result<(usize, W), LedgerError>
    where
        W: std::io::Write + Send + 'static,
    {
        match self {
            Ledger::Sqlite(store) => Ok(store
                .call(move |s| {
                    let n = s.export_csv(&mut out)?;
                    Ok((n, out))
                })
                .await?),
            Ledger::Postgres(pg) => {
                let n = pg.export_csv(&mut out).await?;
                Ok((n, out))
            }
        }
    }

    /// Every event of this order id's story, oldest first.
    pub async fn events(&self, order_id: &str) -> Result<Vec<OrderEvent>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let order_id = order_id.to_string();
                Ok(store.call(move |s| s.events(&order_id)).await?)
            }
            Ledger::Postgres(pg) => pg.events(order_id).await,
        }
    }

    /// Deletes every row of this order id (with its refunds and events); how many went.
    pub async fn forget(&self, order_id: &str) -> Result<usize, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let order_id = order_id.to_string();
                Ok(store.call(move |s| s.forget(&order_id)).await?)
            }
            Ledger::Postgres(pg) => pg.forget(order_id).await,
        }
    }

    /// Writes a refund attempt before its request leaves; `Ok(Err(_))` when the order's
    /// other attempts forbid it (one may exist unseen, or more than is left).
    pub async fn insert_refund(
        &self,
        refund: &NewRefund,
    ) -> Result<Result<i64, RefundBlocked>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let refund = refund.clone();
                Ok(store.call(move |s| s.insert_refund(&refund)).await?)
            }
            Ledger::Postgres(pg) => pg.insert_refund(refund).await,
        }
    }

    /// Writes a refund transition decided by `orders::refund_state::decide`, only while
    /// the attempt is still in `transition.from()`.
    pub async fn apply_refund(
        &self,
        id: i64,
        transition: &RefundTransition,
        check: Option<&str>,
    ) -> Result<bool, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let transition = transition.clone();
                let check = check.map(str::to_string);
                Ok(store
                    .call(move |s| s.apply_refund(id, &transition, check.as_deref()))
                    .await?)
            }
            Ledger::Postgres(pg) => pg.apply_refund(id, transition, check).await,
        }
    }

    /// Every refund attempt of this order id, oldest first.
    pub async fn refunds_of(&self, order_id: &str) -> Result<Vec<RefundRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let order_id = order_id.to_string();
                Ok(store.call(move |s| s.refunds_of(&order_id)).await?)
            }
            Ledger::Postgres(pg) => pg.refunds_of(order_id).await,
        }
    }

    /// Open refund attempts, newest first, at most `limit`.
    pub async fn open_refunds(&self, limit: usize) -> Result<Vec<RefundRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => Ok(store.call(move |s| s.open_refunds(limit)).await?),
            Ledger::Postgres(pg) => pg.open_refunds(limit).await,
        }
    }

    /// Inserts several `sending` rows in one transaction (tests, benches).
    pub async fn insert_many(&self, orders: &[NewOrder]) -> Result<Vec<i64>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let orders = orders.to_vec();
                Ok(store.call(move |s| s.insert_many(&orders)).await?)
            }
            Ledger::Postgres(pg) => pg.insert_many(orders).await,
        }
    }

    /// Every counter's changes as they commit (see `live`): on PostgreSQL a listening
    /// connection of its own, which sends `Resync` once listening and after every
    /// reconnection; on SQLite a subscription that never yields. Call within a tokio
    /// runtime.
    pub fn subscribe(&self) -> live::Subscription {
        match self {
            Ledger::Sqlite(_) => live::Subscription::idle(),
            Ledger::Postgres(pg) => pg.subscribe_with(pg::live::Backoff::default()),
        }
    }

    /// The orders this desk should poll at Juspay now, at most `limit`, newest first: on
    /// PostgreSQL the unsettled orders whose poll lease is free, expired or already
    /// `desk`'s, claimed for `desk` for `lease` (`PgLedger::take_poll_batch`; `desk` must
    /// be unique per running desk); on SQLite, where this desk is the only one, simply
    /// `non_final(limit)`.
    pub async fn take_poll_batch(
        &self,
        desk: &str,
        lease: std::time::Duration,
        limit: usize,
    ) -> Result<Vec<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(_) => self.non_final(limit).await,
            Ledger::Postgres(pg) => pg.take_poll_batch(desk, lease, limit).await,
        }
    }

    /// `take_poll_batch` for the orders of one place only (`PollPlace`; on SQLite,
    /// `non_final` filtered the same way).
    pub async fn take_poll_batch_at(
        &self,
        desk: &str,
        lease: std::time::Duration,
        limit: usize,
        place: &PollPlace,
    ) -> Result<Vec<OrderRow>, LedgerError> {
        match self {
            Ledger::Sqlite(_) => Ok(self
                .non_final(usize::MAX)
                .await?
                .into_iter()
                .filter(|row| place.holds(row))
                .take(limit)
                .collect()),
            Ledger::Postgres(pg) => pg.take_poll_batch_at(desk, lease, limit, place).await,
        }
    }

    /// Gives up `desk`'s poll leases (a desk closing cleanly) so other desks poll its
    /// orders at once; how many were held. Nothing to do on SQLite (0).
    pub async fn release_poll_leases(&self, desk: &str) -> Result<u64, LedgerError> {
        match self {
            Ledger::Sqlite(_) => Ok(0),
            Ledger::Postgres(pg) => pg.release_poll_leases(desk).await,
        }
    }

    /// Extends `desk`'s poll leases of `ids` by `lease` from now
    /// (`PgLedger::renew_poll_leases`); SQLite has no leases (0).
    pub async fn renew_poll_leases(
        &self,
        desk: &str,
        lease: std::time::Duration,
        ids: &[i64],
    ) -> Result<u64, LedgerError> {
        match self {
            Ledger::Sqlite(_) => Ok(0),
            Ledger::Postgres(pg) => pg.renew_poll_leases(desk, lease, ids).await,
        }
    }
}

impl Ledger {
    /// The refund attempt with this id.
    pub async fn refund_row(&self, id: i64) -> Result<Option<RefundRow>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => Ok(store.call(move |s| s.refund_row(id)).await?),
            Ledger::Postgres(pg) => pg.refund_row(id).await,
        }
    }

    /// For the desk's history marks: which of the order rows `ids` their successful
    /// refunds give back in full or in part (rows without one are left out).
    pub async fn refund_marks(&self, ids: &[i64]) -> Result<Vec<(i64, RefundMark)>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let ids = ids.to_vec();
                Ok(store.call(move |s| s.refund_marks(&ids)).await?)
            }
            Ledger::Postgres(pg) => {
                let marks = pg.refund_marks_of(ids).await?;
                Ok(ids
                    .iter()
                    .filter_map(|id| marks.get(id).map(|mark| (*id, *mark)))
                    .collect())
            }
        }
    }

    /// Who later changes' events are written as (shared with every clone; the desk sets
    /// it when the operator changes).
    pub fn actor(&self) -> &Actor {
        match self {
            Ledger::Sqlite(store) => store.actor(),
            Ledger::Postgres(pg) => pg.actor(),
        }
    }

    /// Where the ledger is, for messages: the branch ledger's URL with the password
    /// masked, or the history file's path ("in memory" for a test store).
    pub fn place(&self) -> String {
        match self {
            Ledger::Sqlite(store) => store.path().map_or_else(
                || "the history in memory".to_string(),
                |p| format!("the history {}", p.display()),
            ),
            Ledger::Postgres(pg) => format!("the branch ledger {}", pg.masked_url()),
        }
    }
}

impl From<Store> for Ledger {
    fn from(store: Store) -> Ledger {
        Ledger::Sqlite(store)
    }
}

impl From<PgLedger> for Ledger {
    fn from(pg: PgLedger) -> Ledger {
        Ledger::Postgres(pg)
    }
}

/// What the order functions (`orders::*`) take as their ledger: a `Ledger`, or a bare
/// SQLite `Store` (callers and tests that opened the history themselves). Cheap: a clone
/// of a handle.
pub trait ToLedger: Send + Sync {
    /// This as a `Ledger`.
    fn to_ledger(&self) -> Ledger;
}

impl ToLedger for Ledger {
    fn to_ledger(&self) -> Ledger {
        self.clone()
    }
}

impl ToLedger for Store {
    fn to_ledger(&self) -> Ledger {
        Ledger::Sqlite(self.clone())
    }
}

impl ToLedger for PgLedger {
    fn to_ledger(&self) -> Ledger {
        Ledger::Postgres(self.clone())
    }
}

impl Ledger {
    /// The details a customer gave on their newest order that was not rejected, by mobile
    /// number or email (any case); `None` for a customer this ledger does not know.
    pub async fn returning_customer(
        &self,
        key: &crate::history::CustomerKey,
    ) -> Result<Option<crate::history::ReturningCustomer>, LedgerError> {
        match self {
            Ledger::Sqlite(store) => {
                let key = key.clone();
                Ok(store.call(move |s| s.returning_customer(&key)).await?)
            }
            Ledger::Postgres(pg) => pg.returning_customer(key).await,
        }
    }
}
