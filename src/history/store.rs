//! The store itself: one SQLite connection per process, shared by every task.
//!
//! Why one `Arc<Mutex<Connection>>` and not a connection per call: SQLite lets only one
//! writer in at a time anyway, every call here is short (a few milliseconds at most), and a
//! long-lived connection keeps its prepared statements and page cache warm, which is what
//! keeps a history window under a frame. Callers on the async side run store calls through
//! `Store::call` (a blocking-pool thread), so the mutex never blocks the render loop.
//!
//! Several processes (two desks, a desk and `paydesk create`) share the file through WAL
//! mode: readers never wait for the writer. Writers wait through SQLite's busy timeout, and
//! on top of that every call retries `SQLITE_BUSY`/`SQLITE_LOCKED` with a growing pause,
//! so "database is locked" does not reach the user.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

pub use super::outcome::Outcome;
pub use super::query::Query;
use super::query::{self, COLUMNS, SearchPlan};
use super::returning::{self, CustomerKey, ReturningCustomer};
use super::{csv, mask, schema};

/// SQLite's own wait for a lock before it answers "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long our retry loop keeps trying after SQLite gave up, before telling the user.
const BUSY_GIVE_UP: Duration = Duration::from_secs(60);

pub use crate::juspay::types::FINAL_STATUSES;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error("history database {path}: {message}")]
    Open { path: String, message: String },
    #[error("history database: {0}")]
    Sql(String),
    /// Another process held the database for longer than we wait.
    #[error(
        "the history database stayed busy for {} s (another paydesk is writing to it); try again",
        BUSY_GIVE_UP.as_secs()
    )]
    Busy,
    #[error(
        "history database {path} was written by a newer paydesk (schema version {found}, this \
         one knows up to {known}); update paydesk or use another data directory"
    )]
    NewerSchema {
        path: String,
        found: u32,
        known: u32,
    },
    /// Writing an export failed.
    #[error("could not write the export: {0}")]
    Export(String),
    /// A blocking store call could not run (the runtime is shutting down).
    #[error("history task failed: {0}")]
    Task(String),
}

/// What is known about an order before it is sent.
#[derive(Debug, Clone, Default)]
pub struct NewOrder {
    pub environment: String,
    pub base_host: String,
    pub merchant_id: String,
    pub profile: String,
    pub order_id: String,
    pub request_id: String,
    pub amount: String,
    pub currency: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_email: String,
    /// The JSON body as sent (holds no secret).
    pub request_body: String,
}

/// What Juspay said about a created order (from `POST /session` or Order Status).
#[derive(Debug, Clone, Default)]
pub struct CreatedOrder {
    pub juspay_id: Option<String>,
    pub payment_link: Option<String>,
    pub link_expiry: Option<String>,
    pub status: Option<String>,
    /// The raw answer; `clientAuthToken` is masked by the store before it is written.
    pub response_body: Option<String>,
}

/// One history row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderRow {
    pub id: i64,
    pub created_at: String,
    pub environment: String,
    pub base_host: String,
    pub merchant_id: String,
    pub profile: String,
    pub order_id: String,
    pub juspay_id: Option<String>,
    pub request_id: String,
    pub amount: String,
    pub currency: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_email: String,
    pub request_body: String,
    pub response_body: Option<String>,
    pub payment_link: Option<String>,
    pub link_expiry: Option<String>,
    pub status: Option<String>,
    pub status_checked_at: Option<String>,
    pub outcome: Outcome,
    pub error: Option<String>,
}

impl OrderRow {
    /// True when Juspay will not change this order's status any more, or it never existed.
    pub fn is_settled(&self) -> bool {
        match self.outcome {
            Outcome::Rejected => true,
            Outcome::Sending | Outcome::Unknown => false,
            Outcome::Created => self.status.as_deref().is_some_and(is_final_status),
        }
    }
}

/// True for statuses in `FINAL_STATUSES` (case-insensitive).
pub fn is_final_status(status: &str) -> bool {
    FINAL_STATUSES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(status))
}

/// Cheap to clone; safe to use from several tasks and processes.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish()
    }
}

/// Column headers of the CSV export, in `COLUMNS` order.
pub const CSV_HEADER: [&str; 23] = [
    "id",
    "created_at",
    "environment",
    "base_host",
    "merchant_id",
    "profile",
    "order_id",
    "juspay_id",
    "request_id",
    "amount",
    "currency",
    "customer_id",
    "customer_name",
    "customer_phone",
    "customer_email",
    "request_body",
    "response_body",
    "payment_link",
    "link_expiry",
    "status",
    "status_checked_at",
    "outcome",
    "error",
];

fn row_to_order(row: &Row<'_>) -> rusqlite::Result<OrderRow> {
    let outcome: String = row.get(21)?;
    let outcome = Outcome::parse(&outcome).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            21,
            rusqlite::types::Type::Text,
            format!("unknown outcome {outcome:?}").into(),
        )
    })?;
    Ok(OrderRow {
        id: row.get(0)?,
        created_at: row.get(1)?,
        environment: row.get(2)?,
        base_host: row.get(3)?,
        merchant_id: row.get(4)?,
        profile: row.get(5)?,
        order_id: row.get(6)?,
        juspay_id: row.get(7)?,
        request_id: row.get(8)?,
        amount: row.get(9)?,
        currency: row.get(10)?,
        customer_id: row.get(11)?,
        customer_name: row.get(12)?,
        customer_phone: row.get(13)?,
        customer_email: row.get(14)?,
        request_body: row.get(15)?,
        response_body: row.get(16)?,
        payment_link: row.get(17)?,
        link_expiry: row.get(18)?,
        status: row.get(19)?,
        status_checked_at: row.get(20)?,
        outcome,
        error: row.get(22)?,
    })
}

/// The timestamp format of every stored time: fixed width, UTC, so text order is time order.
pub fn format_time(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Now, in the stored format.
pub fn now() -> String {
    format_time(OffsetDateTime::now_utc())
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Runs `op`, retrying while the database is busy; `BUSY_GIVE_UP` later it gives up.
fn retry_busy<T>(mut op: impl FnMut() -> rusqlite::Result<T>) -> Result<T, HistoryError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match op() {
            Err(e) if is_busy(&e) => {
                if start.elapsed() >= BUSY_GIVE_UP {
                    return Err(HistoryError::Busy);
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            Err(e) => return Err(HistoryError::Sql(e.to_string())),
            Ok(value) => return Ok(value),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the history database at `path`, creating its directory,
    /// and brings the schema up to date.
    pub fn open(path: &Path) -> Result<Store, HistoryError> {
        let open_error = |message: String| HistoryError::Open {
            path: path.display().to_string(),
            message,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::files::create_private_dir(parent)
                .map_err(|e| open_error(format!("cannot create {}: {e}", parent.display())))?;
        }
        let existed = path.exists();
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        if !existed {
            restrict_permissions(path);
        }
        Store::setup(conn, Some(path.to_path_buf())).map_err(|e| match e {
            HistoryError::Sql(message) => open_error(message),
            other => other,
        })
    }

    /// A private in-memory store (tests, benches, a desk without a data directory).
    pub fn open_in_memory() -> Result<Store, HistoryError> {
        let conn = Connection::open_in_memory().map_err(|e| HistoryError::Sql(e.to_string()))?;
        Store::setup(conn, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store, HistoryError> {
        retry_busy(|| conn.busy_timeout(BUSY_TIMEOUT))?;
        retry_busy(|| {
            // Returns the mode in effect ("memory" for in-memory databases).
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
            conn.pragma_update(None, "foreign_keys", true)
        })?;
        conn.set_prepared_statement_cache_capacity(32);
        let shown = path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let start = Instant::now();
        loop {
            match schema::migrate(&mut conn) {
                Ok(()) => break,
                Err(schema::MigrateError::TooNew { found }) => {
                    return Err(HistoryError::NewerSchema {
                        path: shown,
                        found,
                        known: schema::LATEST,
                    });
                }
                Err(schema::MigrateError::Sql(e)) if is_busy(&e) => {
                    if start.elapsed() >= BUSY_GIVE_UP {
                        return Err(HistoryError::Busy);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(schema::MigrateError::Sql(e)) => return Err(HistoryError::Sql(e.to_string())),
            }
        }
        Ok(Store {
            inner: Arc::new(Inner {
                conn: Mutex::new(conn),
                path,
            }),
        })
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// Runs `op` with the connection, retrying while another process holds the lock.
    fn with_conn<T>(
        &self,
        mut op: impl FnMut(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HistoryError> {
        // A panic in another call cannot leave the connection half-used: every statement
        // is finished or rolled back when its guard drops, so a poisoned lock is safe.
        let mut conn = self
            .inner
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        retry_busy(|| op(&mut conn))
    }

    /// Runs a blocking store call on tokio's blocking pool, for async callers.
    pub async fn call<T, F>(&self, op: F) -> Result<T, HistoryError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, HistoryError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || op(&store))
            .await
            .map_err(|e| HistoryError::Task(e.to_string()))?
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, HistoryError> {
        self.with_conn(|conn| schema::version(conn))
    }

    /// Writes the `sending` row before a request leaves; returns its local id.
    pub fn insert_sending(&self, order: &NewOrder) -> Result<i64, HistoryError> {
        let created_at = now();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = insert_row(&tx, &created_at, order)?;
            tx.commit()?;
            Ok(id)
        })
    }

    /// Juspay created the order: outcome `created`, with what it said. A `rejected` row is
    /// left alone (a reconcile that finds the order id means an earlier order with the same
    /// id, not this one). False when nothing changed.
    pub fn record_created(&self, id: i64, order: &CreatedOrder) -> Result<bool, HistoryError> {
        let body = order.response_body.as_deref().map(mask::masked_body);
        let checked_at = order.status.as_ref().map(|_| now());
        self.with_conn(|conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE orders SET outcome = 'created', juspay_id = COALESCE(?2, juspay_id), \
                 payment_link = COALESCE(?3, payment_link), \
                 link_expiry = COALESCE(?4, link_expiry), status = COALESCE(?5, status), \
                 status_checked_at = COALESCE(?6, status_checked_at), \
                 response_body = COALESCE(?7, response_body), error = NULL \
                 WHERE id = ?1 AND outcome <> 'rejected'",
                )?
                .execute(params![
                    id,
                    order.juspay_id,
                    order.payment_link,
                    order.link_expiry,
                    order.status,
                    checked_at,
                    body,
                ])?;
            Ok(changed > 0)
        })
    }

    /// The request failed: `Rejected` (Juspay said no, or it was never sent) or `Unknown`
    /// (it may have been created), with a one-line reason and the body if there was one.
    /// Only a `sending` or `unknown` row changes: a created order is never downgraded.
    pub fn record_failed(
        &self,
        id: i64,
        outcome: Outcome,
        error: &str,
        response_body: Option<&str>,
    ) -> Result<bool, HistoryError> {
        let body = response_body.map(mask::masked_body);
        self.with_conn(|conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE orders SET outcome = ?2, error = ?3, \
                     response_body = COALESCE(?4, response_body) \
                     WHERE id = ?1 AND outcome IN ('sending', 'unknown')",
                )?
                .execute(params![id, outcome.as_str(), error, body])?;
            Ok(changed > 0)
        })
    }

    /// A request whose answer will not come (cancelled, timed out, process died): outcome
    /// `unknown`. Only a `sending` or `unknown` row changes, so an answer that arrived in
    /// the meantime is never overwritten. True when the row changed.
    pub fn mark_unknown(&self, id: i64, reason: &str) -> Result<bool, HistoryError> {
        self.with_conn(|conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE orders SET outcome = 'unknown', error = ?2 \
                     WHERE id = ?1 AND outcome IN ('sending', 'unknown')",
                )?
                .execute(params![id, reason])?;
            Ok(changed > 0)
        })
    }

    /// A status seen by polling or refresh, with the time it was seen.
    pub fn update_status(&self, id: i64, status: &str) -> Result<bool, HistoryError> {
        let seen = now();
        self.with_conn(|conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE orders SET status = ?2, status_checked_at = ?3 WHERE id = ?1",
                )?
                .execute(params![id, status, seen])?;
            Ok(changed > 0)
        })
    }

    /// Like `update_status`, for every created row of `order_id` at this host and merchant.
    /// Returns how many rows changed.
    pub fn update_status_for_order(
        &self,
        order_id: &str,
        base_host: &str,
        merchant_id: &str,
        status: &str,
    ) -> Result<usize, HistoryError> {
        let seen = now();
        self.with_conn(|conn| {
            conn.prepare_cached(
                "UPDATE orders SET status = ?4, status_checked_at = ?5 \
                 WHERE order_id = ?1 AND base_host = ?2 AND merchant_id = ?3 \
                 AND outcome = 'created'",
            )?
            .execute(params![order_id, base_host, merchant_id, status, seen])
        })
    }

    /// One window of rows, newest first.
    pub fn window(&self, query: &Query) -> Result<Vec<OrderRow>, HistoryError> {
        self.with_conn(|conn| {
            let plan = plan_search(conn, query)?;
            let Some(sql) = query::window(query, &plan) else {
                return Ok(Vec::new());
            };
            let mut stmt = conn.prepare_cached(&sql.sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(&sql.params), row_to_order)?;
            rows.collect()
        })
    }

    /// How many rows match (ignores `offset`, `limit` and `before_id`).
    pub fn count(&self, query: &Query) -> Result<u64, HistoryError> {
        self.with_conn(|conn| {
            let plan = plan_search(conn, query)?;
            let Some(sql) = query::count(query, &plan) else {
                return Ok(0);
            };
            let mut stmt = conn.prepare_cached(&sql.sql)?;
            let n: i64 = stmt.query_row(rusqlite::params_from_iter(&sql.params), |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    /// The row with this local id.
    pub fn get(&self, id: i64) -> Result<Option<OrderRow>, HistoryError> {
        let sql = format!("SELECT {COLUMNS} FROM orders AS o WHERE id = ?1");
        self.with_conn(|conn| {
            conn.prepare_cached(&sql)?
                .query_row([id], row_to_order)
                .optional()
        })
    }

    /// The newest row with this order id (any environment).
    pub fn latest_by_order_id(&self, order_id: &str) -> Result<Option<OrderRow>, HistoryError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE order_id = ?1 ORDER BY id DESC LIMIT 1"
        );
        self.with_conn(|conn| {
            conn.prepare_cached(&sql)?
                .query_row([order_id], row_to_order)
                .optional()
        })
    }

    /// The details a customer gave on their newest order that was not rejected (see
    /// `returning`); `None` for a customer the history does not know. Indexed, so cheap
    /// enough for every keystroke, but blocking: the desk calls it through [`Store::call`].
    pub fn returning_customer(
        &self,
        key: &CustomerKey,
    ) -> Result<Option<ReturningCustomer>, HistoryError> {
        self.with_conn(|conn| returning::last_details(conn, key))
    }

    /// Deletes every row of this order id; returns how many went (0: none was there).
    pub fn forget(&self, order_id: &str) -> Result<usize, HistoryError> {
        self.with_conn(|conn| conn.execute("DELETE FROM orders WHERE order_id = ?1", [order_id]))
    }

    /// Deletes one row by local id; false when it was not there.
    pub fn forget_id(&self, id: i64) -> Result<bool, HistoryError> {
        self.with_conn(|conn| Ok(conn.execute("DELETE FROM orders WHERE id = ?1", [id])? > 0))
    }

    /// `sending` rows created more than `older_than` ago at this host and merchant: their
    /// process died or gave up mid-request. Oldest first.
    pub fn stale_sending(
        &self,
        older_than: Duration,
        base_host: &str,
        merchant_id: &str,
    ) -> Result<Vec<OrderRow>, HistoryError> {
        self.stale_where("base_host", base_host, merchant_id, older_than)
    }

    /// Like `stale_sending`, for every host of a named environment (demo: each run's
    /// emulator listens on a new port).
    pub fn stale_sending_in_environment(
        &self,
        older_than: Duration,
        environment: &str,
        merchant_id: &str,
    ) -> Result<Vec<OrderRow>, HistoryError> {
        self.stale_where("environment", environment, merchant_id, older_than)
    }

    fn stale_where(
        &self,
        column: &str,
        value: &str,
        merchant_id: &str,
        older_than: Duration,
    ) -> Result<Vec<OrderRow>, HistoryError> {
        let older_than = time::Duration::try_from(older_than).unwrap_or(time::Duration::MAX);
        let cutoff = OffsetDateTime::now_utc()
            .checked_sub(older_than)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let cutoff = format_time(cutoff);
        // `column` is one of our two literals, never input.
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE outcome = 'sending' AND created_at <= ?1 \
             AND {column} = ?2 AND merchant_id = ?3 ORDER BY id"
        );
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![cutoff, value, merchant_id], row_to_order)?;
            rows.collect()
        })
    }

    /// Rows whose status may still change, newest first, at most `limit`: created orders
    /// whose status is not final, and `unknown` ones still to be reconciled. (`sending`
    /// rows are left to `stale_sending`: their request may still be in flight.)
    pub fn non_final(&self, limit: usize) -> Result<Vec<OrderRow>, HistoryError> {
        let finals = FINAL_STATUSES
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>();
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE outcome = 'unknown' OR (outcome = 'created' \
             AND (status IS NULL OR UPPER(status) NOT IN ({}))) ORDER BY id DESC LIMIT ?1",
            finals.join(", ")
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([limit], row_to_order)?;
            rows.collect()
        })
    }

    /// Writes every row as CSV (header first, oldest first) to `out`, streaming: rows are
    /// read in pages, never all at once. Returns how many rows were written.
    pub fn export_csv(&self, out: &mut dyn Write) -> Result<usize, HistoryError> {
        const PAGE: i64 = 500;
        let export = |e: std::io::Error| HistoryError::Export(e.to_string());
        csv::write_bom(out).map_err(export)?;
        csv::write_record(out, &CSV_HEADER).map_err(export)?;
        let sql = format!("SELECT {COLUMNS} FROM orders AS o WHERE id > ?1 ORDER BY id LIMIT ?2");
        let mut after = 0_i64;
        let mut written = 0;
        loop {
            let page = self.with_conn(|conn| {
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows = stmt.query_map(params![after, PAGE], row_to_order)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for row in &page {
                csv::write_record(out, &csv_fields(row)).map_err(export)?;
                written += 1;
            }
        }
        out.flush().map_err(export)?;
        Ok(written)
    }

    /// Inserts several `sending` rows in one transaction (bulk seeding: tests, benches).
    pub fn insert_many(&self, orders: &[NewOrder]) -> Result<Vec<i64>, HistoryError> {
        let created_at = now();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let ids = orders
                .iter()
                .map(|order| insert_row(&tx, &created_at, order))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            tx.commit()?;
            Ok(ids)
        })
    }
}

/// The search part of a query: which grams to ask the index for (see `query::search_plan`).
fn plan_search(conn: &Connection, query: &Query) -> rusqlite::Result<SearchPlan> {
    if query.search.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Ok(SearchPlan::default());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT COUNT(*) FROM (SELECT 1 FROM orders_grams WHERE orders_grams MATCH ?1 LIMIT ?2)",
    )?;
    query::search_plan(query, &mut |token, cap| {
        let cap = i64::try_from(cap).unwrap_or(i64::MAX);
        let n: i64 = stmt.query_row(params![query::match_expression(&[token]), cap], |r| {
            r.get(0)
        })?;
        Ok(usize::try_from(n).unwrap_or(0))
    })
}

/// Inserts the order and its search text; the caller holds a write transaction.
fn insert_row(conn: &Connection, created_at: &str, order: &NewOrder) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
         order_id, request_id, amount, currency, customer_id, customer_name, customer_phone, \
         customer_email, request_body, outcome) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'sending')",
    )?;
    stmt.execute(params![
        created_at,
        order.environment,
        order.base_host,
        order.merchant_id,
        order.profile,
        order.order_id,
        order.request_id,
        order.amount,
        order.currency,
        order.customer_id,
        order.customer_name,
        order.customer_phone,
        order.customer_email,
        order.request_body,
    ])?;
    let id = conn.last_insert_rowid();
    let values = [
        order.order_id.as_str(),
        &order.customer_name,
        &order.customer_phone,
        &order.customer_email,
    ];
    schema::index_order(conn, id, &values)?;
    Ok(id)
}

fn csv_fields(row: &OrderRow) -> [String; 23] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        row.id.to_string(),
        row.created_at.clone(),
        row.environment.clone(),
        row.base_host.clone(),
        row.merchant_id.clone(),
        row.profile.clone(),
        row.order_id.clone(),
        opt(&row.juspay_id),
        row.request_id.clone(),
        row.amount.clone(),
        row.currency.clone(),
        row.customer_id.clone(),
        row.customer_name.clone(),
        row.customer_phone.clone(),
        row.customer_email.clone(),
        row.request_body.clone(),
        opt(&row.response_body),
        opt(&row.payment_link),
        opt(&row.link_expiry),
        opt(&row.status),
        opt(&row.status_checked_at),
        row.outcome.as_str().to_string(),
        opt(&row.error),
    ]
}

/// The history holds customers' names and phone numbers: keep a new file to its owner.
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}
