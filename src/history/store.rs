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

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

use super::query::{self, COLUMNS, Count, SearchPlan};
pub use super::query::{Query, RefundMark};
use super::returning::{self, CustomerKey, ReturningCustomer};
use super::{csv, events, mask, schema};
use crate::operator::Operator;

/// SQLite's own wait for a lock before it answers "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long our retry loop keeps trying after SQLite gave up, before telling the user.
const BUSY_GIVE_UP: Duration = Duration::from_secs(60);

pub use crate::juspay::types::FINAL_STATUSES;

/// The outcome of a create attempt is decided by the order state machine; the store only
/// keeps it (see `orders::state`).
pub use crate::orders::state::{Outcome, Transition};

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
    /// The `x-routing-id` sent with the create and with every later call for this order
    /// (the customer id, or the order id for a guest).
    pub routing_id: String,
    /// The process sending it; `None` for rows that are not being sent (seeding, tests).
    pub owner: Option<Owner>,
    /// How long after `sent_at` the send may still land: the sender's request timeout
    /// plus a safety margin. `lease_until = sent_at + lease`.
    pub lease: Duration,
    /// The clerk who creates it (`""` when none was named).
    pub operator: String,
    /// The counter it is created at.
    pub counter: String,
}

/// The process that sends an order: a token unique to that process run, its pid and its
/// host name. With the lease it tells other processes whether the send may still land.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub token: String,
    pub pid: u32,
    /// The host name, "" when it could not be read.
    pub host: String,
}

/// Who sent a row and when, and what the last Order Status check found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SendRecord {
    /// The `x-routing-id` of every call for this order.
    pub routing_id: String,
    /// `None` for rows written before version 5 or seeded without one.
    pub owner: Option<Owner>,
    /// When the row was written, inside the write lock, right before the request left
    /// (UTC, stored format).
    pub sent_at: Option<String>,
    /// Until when the send may still land (UTC, stored format).
    pub lease_until: Option<String>,
    /// What the last Order Status check found, in a line.
    pub last_check: Option<String>,
    /// When that check was made (UTC, stored format).
    pub last_check_at: Option<String>,
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
    /// Sender, lease and last check.
    pub send: SendRecord,
    /// The clerk who created it; `""` for rows written before schema version 8.
    pub operator: String,
    /// The counter it was created at; `""` as `operator`.
    pub counter: String,
}

impl OrderRow {
    /// True when Juspay will not change this order's status any more, or it never existed.
    pub fn is_settled(&self) -> bool {
        match self.outcome {
            Outcome::Created => self.status.as_deref().is_some_and(is_final_status),
            other => other.is_final(),
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
    actor: Actor,
}

/// Who this process's store writes events as: the operator and counter stamped on the
/// events of outcome and refund changes (`Store::apply`, `Store::apply_refund`). Rows
/// and their first event carry the operator given with them (`NewOrder`, `NewRefund`).
/// Shared by every clone it was given to, so a desk that learns its operator after the
/// store opened sets it once ([`Actor::set`]).
#[derive(Debug, Clone, Default)]
pub struct Actor(Arc<Mutex<Operator>>);

impl Actor {
    pub fn new(operator: Operator) -> Actor {
        Actor(Arc::new(Mutex::new(operator)))
    }

    /// From now on, events are written as `operator`.
    pub fn set(&self, operator: Operator) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = operator;
    }

    /// The operator events are written as now.
    pub fn get(&self) -> Operator {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
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

/// Column headers of the CSV export: the `COLUMNS` of the row up to `error`, then
/// `routing_id`, `operator`, `counter` and `refunded` (`full`, `partial` or empty: what
/// successful refunds gave back). Documented in the README.
pub const CSV_HEADER: [&str; 27] = [
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
    "routing_id",
    "operator",
    "counter",
    "refunded",
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
        send: SendRecord {
            routing_id: row.get(23)?,
            owner: match (
                row.get::<_, Option<String>>(24)?,
                row.get::<_, Option<u32>>(25)?,
            ) {
                (Some(token), Some(pid)) => Some(Owner {
                    token,
                    pid,
                    host: row.get::<_, Option<String>>(26)?.unwrap_or_default(),
                }),
                _ => None,
            },
            sent_at: row.get(27)?,
            lease_until: row.get(28)?,
            last_check: row.get(29)?,
            last_check_at: row.get(30)?,
        },
        operator: row.get(31)?,
        counter: row.get(32)?,
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
            actor: Actor::default(),
        })
    }

    /// This store writing its events as `actor` (shared: a later [`Actor::set`] counts).
    pub fn with_actor(mut self, actor: Actor) -> Store {
        self.actor = actor;
        self
    }

    /// This store writing its events as `operator` (headless commands: one operator a run).
    pub fn acting_as(self, operator: Operator) -> Store {
        self.with_actor(Actor::new(operator))
    }

    /// Who events are written as.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// Runs `op` with the connection, retrying while another process holds the lock.
    pub(super) fn with_conn<T>(
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

    /// Writes the `sending` row before a request leaves; returns its local id. The time
    /// (`created_at`, `sent_at`, and `lease_until` from it) is taken once the write lock
    /// is held, so a wait for another writer never ages the row.
    pub fn insert_sending(&self, order: &NewOrder) -> Result<i64, HistoryError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = insert_row(&tx, OffsetDateTime::now_utc(), order)?;
            tx.commit()?;
            Ok(id)
        })
    }

    /// Writes a transition decided by `orders::state::decide`: the only way an outcome
    /// changes. Applies only while the row still has `transition.from()` (another process
    /// may have moved it meanwhile: then nothing is written and the answer is false, and
    /// the caller decides again from the row as it is now). With `check`, the line is
    /// recorded as the last Order Status check, with the time.
    pub fn apply(
        &self,
        id: i64,
        transition: &Transition,
        check: Option<&str>,
    ) -> Result<bool, HistoryError> {
        let order = transition.order();
        let body = order
            .and_then(|o| o.response_body.as_deref())
            .map(mask::masked_body);
        let seen = now();
        let status_seen = order.and_then(|o| o.status.as_ref()).map(|_| seen.clone());
        let reason = transition.reason();
        // An unchanged outcome keeps its reason unless the transition gives a new one.
        let keep_reason = !transition.changes_outcome() && reason.is_none();
        let checked_at = check.map(|_| seen.clone());
        let by = self.actor.get();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let before: Option<(String, Option<String>)> = tx
                .prepare_cached("SELECT order_id, status FROM orders WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let changed = tx
                .prepare_cached(
                    "UPDATE orders SET outcome = ?3, \
                     error = CASE WHEN ?4 THEN error ELSE ?5 END, \
                     juspay_id = COALESCE(?6, juspay_id), \
                     payment_link = COALESCE(?7, payment_link), \
                     link_expiry = COALESCE(?8, link_expiry), status = COALESCE(?9, status), \
                     status_checked_at = COALESCE(?10, status_checked_at), \
                     response_body = COALESCE(?11, response_body), \
                     last_check = COALESCE(?12, last_check), \
                     last_check_at = COALESCE(?13, last_check_at) \
                     WHERE id = ?1 AND outcome = ?2",
                )?
                .execute(params![
                    id,
                    transition.from().as_str(),
                    transition.to().as_str(),
                    keep_reason,
                    reason,
                    order.and_then(|o| o.juspay_id.clone()),
                    order.and_then(|o| o.payment_link.clone()),
                    order.and_then(|o| o.link_expiry.clone()),
                    order.and_then(|o| o.status.clone()),
                    status_seen,
                    body,
                    check,
                    checked_at,
                ])?;
            if changed > 0
                && let Some((order_id, old_status)) = before
            {
                let of = events::EventOf {
                    order_id: &order_id,
                    order_row_id: Some(id),
                    refund_id: None,
                };
                order_events(&tx, of, &by, old_status.as_deref(), transition, &seen)?;
            }
            tx.commit()?;
            Ok(changed > 0)
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

    /// How many rows match, counted up to `cap` (ignores paging): a query for every row
    /// (`Query::is_everything`) exactly, any other up to `cap`, then `Count::MoreThan(cap)`.
    pub fn count_upto(&self, query: &Query, cap: u64) -> Result<Count, HistoryError> {
        if query.is_everything() {
            return self.count(query).map(Count::Exact);
        }
        self.with_conn(|conn| {
            let plan = plan_search(conn, query)?;
            let Some(sql) = query::count_upto(query, &plan, cap) else {
                return Ok(Count::Exact(0));
            };
            let mut stmt = conn.prepare_cached(&sql.sql)?;
            let n: i64 = stmt.query_row(rusqlite::params_from_iter(&sql.params), |r| r.get(0))?;
            Ok(Count::capped(u64::try_from(n).unwrap_or(0), cap))
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

    /// Every event of this order id's story (any environment), oldest first.
    pub fn events(&self, order_id: &str) -> Result<Vec<events::OrderEvent>, HistoryError> {
        self.with_conn(|conn| events::of_order(conn, order_id))
    }

    /// Deletes every row of this order id; returns how many went (0: none was there).
    pub fn forget(&self, order_id: &str) -> Result<usize, HistoryError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Refunds and events of the order go with it (by link, and by order id for a
            // refund of an order paydesk did not create).
            tx.execute("DELETE FROM refunds WHERE order_id = ?1", [order_id])?;
            tx.execute("DELETE FROM order_events WHERE order_id = ?1", [order_id])?;
            let n = tx.execute("DELETE FROM orders WHERE order_id = ?1", [order_id])?;
            tx.commit()?;
            Ok(n)
        })
    }

    /// Deletes one row by local id; false when it was not there.
    pub fn forget_id(&self, id: i64) -> Result<bool, HistoryError> {
        self.with_conn(|conn| Ok(conn.execute("DELETE FROM orders WHERE id = ?1", [id])? > 0))
    }

    /// Open rows (`sending`, `unknown`), newest first, at most `limit`.
    pub fn open_rows(&self, limit: usize) -> Result<Vec<OrderRow>, HistoryError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE outcome IN ('sending', 'unknown') \
             ORDER BY id DESC LIMIT ?1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([limit], row_to_order)?;
            rows.collect()
        })
    }

    /// Rows that are not settled, newest first, at most `limit`: every open row
    /// (`sending`, `unknown`) and created orders whose payment status is not final. Which
    /// of them may be checked now (owner, lease, place) is `orders::reconcile`'s call.
    pub fn non_final(&self, limit: usize) -> Result<Vec<OrderRow>, HistoryError> {
        let finals = FINAL_STATUSES
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>();
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE outcome IN ('sending', 'unknown') \
             OR (outcome = 'created' \
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
            let (page, marks) = self.with_conn(|conn| {
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows = stmt.query_map(params![after, PAGE], row_to_order)?;
                let page = rows.collect::<rusqlite::Result<Vec<_>>>()?;
                let marks = match (page.first(), page.last()) {
                    (Some(first), Some(last)) => refund_marks(conn, first.id, last.id)?,
                    _ => HashMap::new(),
                };
                Ok((page, marks))
            })?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for row in &page {
                let mark = marks.get(&row.id).copied();
                csv::write_record(out, &csv_fields(row, mark)).map_err(export)?;
                written += 1;
            }
        }
        out.flush().map_err(export)?;
        Ok(written)
    }

    /// Inserts several `sending` rows in one transaction (bulk seeding: tests, benches).
    pub fn insert_many(&self, orders: &[NewOrder]) -> Result<Vec<i64>, HistoryError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let at = OffsetDateTime::now_utc();
            let ids = orders
                .iter()
                .map(|order| insert_row(&tx, at, order))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            tx.commit()?;
            Ok(ids)
        })
    }
}

/// Appends the events of a written order transition (`events::of_transition`).
fn order_events(
    conn: &Connection,
    of: events::EventOf<'_>,
    by: &Operator,
    old_status: Option<&str>,
    transition: &Transition,
    at: &str,
) -> rusqlite::Result<()> {
    for (kind, detail) in events::of_transition(old_status, transition) {
        events::append(conn, of, by, at, kind, &detail)?;
    }
    Ok(())
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
fn insert_row(conn: &Connection, at: OffsetDateTime, order: &NewOrder) -> rusqlite::Result<i64> {
    let created_at = format_time(at);
    let lease = time::Duration::try_from(order.lease).unwrap_or(time::Duration::MAX);
    let lease_until = format_time(at.checked_add(lease).unwrap_or(at));
    let owner = order.owner.as_ref();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
         order_id, request_id, amount, currency, customer_id, customer_name, customer_phone, \
         customer_email, request_body, outcome, routing_id, owner_token, owner_pid, \
         owner_host, sent_at, lease_until, operator, counter) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'sending', ?15, \
         ?16, ?17, ?18, ?1, ?19, ?20, ?21)",
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
        order.routing_id,
        owner.map(|o| o.token.as_str()),
        owner.map(|o| o.pid),
        owner.map(|o| o.host.as_str()),
        lease_until,
        order.operator,
        order.counter,
    ])?;
    let id = conn.last_insert_rowid();
    let of = events::EventOf {
        order_id: &order.order_id,
        order_row_id: Some(id),
        refund_id: None,
    };
    let detail = events::sending_detail(&order.amount, &order.currency, &order.request_id);
    let by = Operator::new(order.operator.as_str(), order.counter.as_str());
    events::append(conn, of, &by, &created_at, events::kind::SENDING, &detail)?;
    let values = [
        order.order_id.as_str(),
        &order.customer_name,
        &order.customer_phone,
        &order.customer_email,
    ];
    schema::index_order(conn, id, &values)?;
    Ok(id)
}

/// The refund marks of the orders with local ids `from..=to` that have successful
/// refunds (as the `refunded` filter counts them: against the stored order amount).
fn refund_marks(
    conn: &Connection,
    from: i64,
    to: i64,
) -> rusqlite::Result<HashMap<i64, RefundMark>> {
    let mut stmt = conn.prepare_cached(
        "SELECT order_row_id, SUM(amount_paise) >= MAX(order_amount_paise) FROM refunds \
         WHERE order_row_id BETWEEN ?1 AND ?2 AND state = 'success' GROUP BY order_row_id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        let full: Option<bool> = r.get(1)?;
        let mark = if full == Some(true) {
            RefundMark::Full
        } else {
            RefundMark::Partial
        };
        Ok((r.get::<_, i64>(0)?, mark))
    })?;
    rows.collect()
}

/// One row as CSV fields, in `CSV_HEADER` order (every store engine exports the same).
pub(crate) fn csv_fields(row: &OrderRow, refunded: Option<RefundMark>) -> [String; 27] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let refunded = match refunded {
        Some(RefundMark::Full) => "full",
        Some(RefundMark::Partial) => "partial",
        None => "",
    };
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
        row.send.routing_id.clone(),
        row.operator.clone(),
        row.counter.clone(),
        refunded.to_string(),
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
