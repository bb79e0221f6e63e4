//! The branch ledger on PostgreSQL: the same rows and the same promises as the SQLite
//! history, for every counter of a branch at once.
//!
//! Connections come from a deadpool pool over tokio-postgres (TLS by rustls, see
//! `ledger::tls`). Every write that moves an order runs in one transaction; an outcome
//! change first locks the order's row (`SELECT … FOR UPDATE`), so two counters settling
//! the same order are serialised and the second decides from what the first wrote.

pub mod live;
mod poll;
mod query;
mod refunds;
mod returning;
pub mod schema;
mod search;

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use time::OffsetDateTime;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::LedgerError;
use super::target::LedgerTarget;
use crate::history::events::{self, OrderEvent};
use crate::history::store::{Actor, CSV_HEADER, csv_fields, format_time};
use crate::history::{
    Count, FINAL_STATUSES, HistoryError, NewOrder, OrderRow, Outcome, Owner, Query, RefundMark,
    SendRecord, Transition, csv, mask,
};
use crate::operator::Operator;

/// Connections one desk keeps open at most: the desk's reads, a send and a poll at once.
const POOL_SIZE: usize = 4;
/// How long a new connection may take before the ledger counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a call waits for a free pooled connection before giving up (never forever).
const WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// The columns read for an `OrderRow`, in `row_to_order` order; statements name
/// `orders AS o`.
pub(crate) const COLUMNS: &str = crate::history::query::COLUMNS;

/// A pool of connections to one ledger. Cheap to clone.
#[derive(Clone)]
pub struct PgLedger {
    pool: Pool,
    masked: String,
    /// Who later changes' events are written as (a new row's first event is its own
    /// operator's), as `Store`'s actor.
    actor: Actor,
    /// Where the pool connects: a subscription makes its own connection the same way.
    target: std::sync::Arc<LedgerTarget>,
    /// Where a search's id-order walk ends and the index takes over (`search`).
    spans: search::Spans,
}

impl std::fmt::Debug for PgLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgLedger")
            .field("url", &self.masked)
            .finish()
    }
}

/// What `ledger check` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerFacts {
    /// `server_version` as the server reports it, e.g. `15.14 (Debian 15.14-0+deb12u1)`.
    pub server_version: String,
    /// The ledger's schema version (`schema_version`).
    pub schema_version: i32,
    /// Whether this connection is encrypted (the server's `pg_stat_ssl`).
    pub encrypted: bool,
}

impl PgLedger {
    /// Connects to the ledger and brings its schema up to date (refusing a newer one).
    pub async fn connect(target: &LedgerTarget) -> Result<PgLedger, LedgerError> {
        let ledger = PgLedger::connect_unmigrated(target)?;
        let mut client = ledger.client().await?;
        schema::migrate(&mut client).await.map_err(|e| match e {
            schema::MigrateError::TooNew { found } => LedgerError::NewerSchema {
                found,
                known: schema::LATEST,
            },
            schema::MigrateError::Sql(e) => LedgerError::from_pg(&e),
        })?;
        Ok(ledger)
    }

    /// A pool without touching the server yet (`ledger check` reports what it finds).
    pub fn connect_unmigrated(target: &LedgerTarget) -> Result<PgLedger, LedgerError> {
        let mut config = target.config().clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match super::tls::connector(target.ssl())
            .map_err(|e| LedgerError::Tls(e.to_string()))?
        {
            Some(tls) => Manager::from_config(config, tls, manager_config),
            None => Manager::from_config(config, tokio_postgres::NoTls, manager_config),
        };
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(WAIT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| LedgerError::Unreachable(e.to_string()))?;
        Ok(PgLedger {
            pool,
            masked: target.masked().to_string(),
            actor: Actor::new(Operator::default()),
            target: std::sync::Arc::new(target.clone()),
            spans: search::Spans::default(),
        })
    }

    /// Listens to every counter's changes on a connection of its own (outside the pool),
    /// reconnecting with `backoff` when it breaks; see `ledger::live`. Call within a tokio
    /// runtime.
    pub fn subscribe_with(&self, backoff: live::Backoff) -> crate::ledger::live::Subscription {
        live::subscribe(&self.target, backoff)
    }

    /// This ledger writing its events as `actor` (shared with the desk, which changes it
    /// when the operator changes).
    pub fn with_actor(mut self, actor: Actor) -> PgLedger {
        self.actor = actor;
        self
    }

    /// This ledger walking `first` ids newest first before weighing the search indexes
    /// (default 4,000; 0 asks the indexes at once). The answers are the same whatever
    /// the span, only their cost differs: tests use it to take each path.
    pub fn with_search_span(mut self, first: i64) -> PgLedger {
        self.spans = search::Spans { first };
        self
    }

    /// Who later changes' events are written as.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The ledger's URL, password masked.
    pub fn masked_url(&self) -> &str {
        &self.masked
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, LedgerError> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => LedgerError::from_pg(&e),
            other => LedgerError::Unreachable(other.to_string()),
        })
    }

    /// Server version and schema version.
    pub async fn facts(&self) -> Result<ServerFacts, LedgerError> {
        let client = self.client().await?;
        let server_version: String = client
            .query_one("SHOW server_version", &[])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| LedgerError::from_pg(&e))?;
        let schema_version = schema::version(&client)
            .await
            .map_err(|e| LedgerError::from_pg(&e))?;
        let encrypted: bool = client
            .query_opt(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .map_err(pg)?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(pg)?
            .unwrap_or(false);
        Ok(ServerFacts {
            server_version,
            schema_version,
            encrypted,
        })
    }

    /// One round trip (`SELECT 1`) on a pooled connection.
    pub async fn round_trip(&self) -> Result<Duration, LedgerError> {
        let client = self.client().await?;
        let start = Instant::now();
        client
            .simple_query("SELECT 1")
            .await
            .map_err(|e| LedgerError::from_pg(&e))?;
        Ok(start.elapsed())
    }

    /// The schema version of the ledger.
    pub async fn schema_version(&self) -> Result<i32, LedgerError> {
        let client = self.client().await?;
        schema::version(&client)
            .await
            .map_err(|e| LedgerError::from_pg(&e))
    }

    /// Writes the `sending` row (and its `sending` event) before a request leaves;
    /// returns its ledger id. Same times as the SQLite store: `created_at = sent_at` now,
    /// `lease_until = sent_at + lease`.
    pub async fn insert_sending(&self, order: &NewOrder) -> Result<i64, LedgerError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let id = insert_row(&tx, OffsetDateTime::now_utc(), order).await?;
        tx.commit().await.map_err(pg)?;
        Ok(id)
    }

    /// Writes a transition decided by `orders::state::decide`, as `Store::apply` does:
    /// only while the row still has `transition.from()`. The row is locked first, so a
    /// second counter waits and then finds the outcome already moved (answer: false).
    pub async fn apply(
        &self,
        id: i64,
        transition: &Transition,
        check: Option<&str>,
    ) -> Result<bool, LedgerError> {
        let order = transition.order();
        let body = order
            .and_then(|o| o.response_body.as_deref())
            .map(mask::masked_body);
        let seen = crate::history::store::now();
        let status_seen = order.and_then(|o| o.status.as_ref()).map(|_| seen.clone());
        let reason = transition.reason();
        let keep_reason = !transition.changes_outcome() && reason.is_none();
        let checked_at = check.map(|_| seen.clone());
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let before = tx
            .query_opt(
                "SELECT order_id, status, outcome FROM orders WHERE id = $1 FOR UPDATE",
                &[&id],
            )
            .await
            .map_err(pg)?;
        let Some(before) = before else {
            return Ok(false);
        };
        let order_id: String = before.try_get(0).map_err(pg)?;
        let old_status: Option<String> = before.try_get(1).map_err(pg)?;
        let outcome: String = before.try_get(2).map_err(pg)?;
        if outcome != transition.from().as_str() {
            return Ok(false);
        }
        let juspay_id = order.and_then(|o| o.juspay_id.clone());
        let link = order.and_then(|o| o.payment_link.clone());
        let expiry = order.and_then(|o| o.link_expiry.clone());
        let status = order.and_then(|o| o.status.clone());
        tx.execute(
            "UPDATE orders SET outcome = $2, \
             error = CASE WHEN $3 THEN error ELSE $4 END, \
             juspay_id = COALESCE($5, juspay_id), \
             payment_link = COALESCE($6, payment_link), \
             link_expiry = COALESCE($7, link_expiry), status = COALESCE($8, status), \
             status_checked_at = COALESCE($9, status_checked_at), \
             response_body = COALESCE($10, response_body), \
             last_check = COALESCE($11, last_check), \
             last_check_at = COALESCE($12, last_check_at) \
             WHERE id = $1",
            &[
                &id,
                &transition.to().as_str(),
                &keep_reason,
                &reason,
                &juspay_id,
                &link,
                &expiry,
                &status,
                &status_seen,
                &body,
                &check,
                &checked_at,
            ],
        )
        .await
        .map_err(pg)?;
        let by = self.actor.get();
        for (kind, detail) in events::of_transition(old_status.as_deref(), transition) {
            let of = EventRef::order(id, &order_id);
            append_event(&tx, of, &by, &seen, kind, &detail).await?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(true)
    }

    /// The row with this ledger id.
    pub async fn get(&self, id: i64) -> Result<Option<OrderRow>, LedgerError> {
        let sql = format!("SELECT {COLUMNS} FROM orders AS o WHERE id = $1");
        let client = self.client().await?;
        let row = client.query_opt(&sql, &[&id]).await.map_err(pg)?;
        row.as_ref().map(row_to_order).transpose()
    }

    /// The newest row with this order id (any environment).
    pub async fn latest_by_order_id(
        &self,
        order_id: &str,
    ) -> Result<Option<OrderRow>, LedgerError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE order_id = $1 ORDER BY id DESC LIMIT 1"
        );
        let client = self.client().await?;
        let row = client.query_opt(&sql, &[&order_id]).await.map_err(pg)?;
        row.as_ref().map(row_to_order).transpose()
    }

    /// One window of rows, newest first (same semantics as `Store::window`). A search
    /// takes the path `search` chooses; filters alone are one statement.
    pub async fn window(&self, query: &Query) -> Result<Vec<OrderRow>, LedgerError> {
        if !has_terms(query) {
            let sql = query::window(query);
            return self.rows(&sql.sql, &sql.params()).await;
        }
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let ids = search::window_ids(&tx, query, self.spans).await?;
        let sql = query::rows_by_id(ids);
        let rows = tx.query(&sql.sql, &sql.params()).await.map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        rows.iter().map(row_to_order).collect()
    }

    /// How many rows match, exactly (ignores `offset`, `limit` and `before_id`). Every row:
    /// the totals the triggers keep; a search or filter: every match is read, so prefer
    /// `count_upto` where "more than" will do.
    pub async fn count(&self, query: &Query) -> Result<u64, LedgerError> {
        let client = self.client().await?;
        let row = if query.is_everything() {
            client.query_one(query::TOTAL, &[]).await
        } else {
            let sql = query::count(query);
            client.query_one(&sql.sql, &sql.params()).await
        };
        let n: i64 = row.and_then(|r| r.try_get(0)).map_err(pg)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// How many rows match, as `Store::count_upto`: every row exactly (the kept totals),
    /// a search or filter up to `cap`, then `Count::MoreThan(cap)`.
    pub async fn count_upto(&self, query: &Query, cap: u64) -> Result<Count, LedgerError> {
        if query.is_everything() {
            return self.count(query).await.map(Count::Exact);
        }
        let need = cap.saturating_add(1);
        let mut client = self.client().await?;
        let n = if has_terms(query) {
            let tx = client.transaction().await.map_err(pg)?;
            let n = search::count(&tx, query, self.spans, need).await?;
            tx.commit().await.map_err(pg)?;
            n
        } else {
            let sql = query::count_upto(query, cap);
            let n: i64 = client
                .query_one(&sql.sql, &sql.params())
                .await
                .and_then(|r| r.try_get(0))
                .map_err(pg)?;
            u64::try_from(n).unwrap_or(0)
        };
        Ok(Count::capped(n, cap))
    }

    /// Open rows (`sending`, `unknown`), newest first, at most `limit`: the refresh
    /// selection of the desk.
    pub async fn open_rows(&self, limit: usize) -> Result<Vec<OrderRow>, LedgerError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE outcome IN ('sending', 'unknown') \
             ORDER BY id DESC LIMIT $1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.rows(&sql, &[&limit]).await
    }

    /// Rows that are not settled, newest first, at most `limit`: open rows and created
    /// orders whose payment status is not final (as `Store::non_final`).
    pub async fn non_final(&self, limit: usize) -> Result<Vec<OrderRow>, LedgerError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE outcome IN ('sending', 'unknown') \
             OR (outcome = 'created' AND (status IS NULL OR UPPER(status) <> ALL($2))) \
             ORDER BY id DESC LIMIT $1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let finals: Vec<String> = FINAL_STATUSES.iter().map(|s| s.to_string()).collect();
        self.rows(&sql, &[&limit, &finals]).await
    }

    /// Writes every row as CSV (BOM, header, then oldest first) to `out`, read in pages;
    /// the same columns and format as `Store::export_csv`. Returns how many rows.
    pub async fn export_csv(&self, out: &mut (dyn Write + Send)) -> Result<usize, LedgerError> {
        const PAGE: i64 = 500;
        let export = |e: std::io::Error| LedgerError::from(HistoryError::Export(e.to_string()));
        csv::write_bom(out).map_err(export)?;
        csv::write_record(out, &CSV_HEADER).map_err(export)?;
        let sql = format!("SELECT {COLUMNS} FROM orders AS o WHERE id > $1 ORDER BY id LIMIT $2");
        let mut after = 0_i64;
        let mut written = 0;
        loop {
            let page = self.rows(&sql, &[&after, &PAGE]).await?;
            let (Some(first), Some(last)) = (page.first(), page.last()) else {
                break;
            };
            let marks = self.refund_marks(first.id, last.id).await?;
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

    /// The refund marks of the orders with ledger ids `from..=to` that have successful
    /// refunds (as `Store`'s export and the `refunded` filter count them).
    pub(crate) async fn refund_marks(
        &self,
        from: i64,
        to: i64,
    ) -> Result<HashMap<i64, RefundMark>, LedgerError> {
        self.marks_where("order_row_id BETWEEN $1 AND $2", &[&from, &to])
            .await
    }

    /// The refund marks of exactly the orders `ids` (the desk's window: rows may lie far
    /// apart after a search, so no id range).
    pub(crate) async fn refund_marks_of(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, RefundMark>, LedgerError> {
        self.marks_where("order_row_id = ANY($1)", &[&ids]).await
    }

    async fn marks_where(
        &self,
        rows_sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<HashMap<i64, RefundMark>, LedgerError> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT order_row_id, SUM(amount_paise) >= MAX(order_amount_paise) FROM refunds \
             WHERE {rows_sql} AND state = 'success' GROUP BY order_row_id"
        );
        let rows = client.query(&sql, params).await.map_err(pg)?;
        rows.iter()
            .map(|r| {
                let full: Option<bool> = r.try_get(1)?;
                let mark = if full == Some(true) {
                    RefundMark::Full
                } else {
                    RefundMark::Partial
                };
                Ok((r.try_get::<_, i64>(0)?, mark))
            })
            .collect::<Result<_, tokio_postgres::Error>>()
            .map_err(pg)
    }

    /// Every event of this order id's story (any environment), oldest first.
    pub async fn events(&self, order_id: &str) -> Result<Vec<OrderEvent>, LedgerError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, order_row_id, refund_id, order_id, at, kind, detail, operator, \
                 counter FROM order_events WHERE order_id = $1 ORDER BY id",
                &[&order_id],
            )
            .await
            .map_err(pg)?;
        rows.iter()
            .map(|r| {
                Ok(OrderEvent {
                    id: r.try_get(0)?,
                    order_row_id: r.try_get(1)?,
                    refund_id: r.try_get(2)?,
                    order_id: r.try_get(3)?,
                    at: r.try_get(4)?,
                    kind: r.try_get(5)?,
                    detail: r.try_get(6)?,
                    operator: r.try_get(7)?,
                    counter: r.try_get(8)?,
                })
            })
            .collect::<Result<_, tokio_postgres::Error>>()
            .map_err(pg)
    }

    /// Deletes every row of this order id with its refunds and events; returns how many
    /// order rows went.
    pub async fn forget(&self, order_id: &str) -> Result<usize, LedgerError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        for sql in [
            "DELETE FROM refunds WHERE order_id = $1",
            "DELETE FROM order_events WHERE order_id = $1",
        ] {
            tx.execute(sql, &[&order_id]).await.map_err(pg)?;
        }
        let n = tx
            .execute("DELETE FROM orders WHERE order_id = $1", &[&order_id])
            .await
            .map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Inserts several `sending` rows in one transaction (tests, benches).
    pub async fn insert_many(&self, orders: &[NewOrder]) -> Result<Vec<i64>, LedgerError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let at = OffsetDateTime::now_utc();
        let mut ids = Vec::with_capacity(orders.len());
        for order in orders {
            ids.push(insert_row(&tx, at, order).await?);
        }
        tx.commit().await.map_err(pg)?;
        Ok(ids)
    }

    async fn rows(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<OrderRow>, LedgerError> {
        let client = self.client().await?;
        let rows = client.query(sql, params).await.map_err(pg)?;
        rows.iter().map(row_to_order).collect()
    }

    /// A connection for `ledger import` (one transaction per page).
    pub(crate) async fn import_client(&self) -> Result<deadpool_postgres::Object, LedgerError> {
        self.client().await
    }
}

/// Whether the query searches (some folded term).
fn has_terms(query: &Query) -> bool {
    !crate::history::search::fold(&[query.search.as_deref().unwrap_or("")]).is_empty()
}

fn pg(e: tokio_postgres::Error) -> LedgerError {
    LedgerError::from_pg(&e)
}

/// Inserts an order row, its `sending` event and its search text in `tx`; returns the id.
async fn insert_row(
    tx: &deadpool_postgres::Transaction<'_>,
    at: OffsetDateTime,
    order: &NewOrder,
) -> Result<i64, LedgerError> {
    let created_at = format_time(at);
    let lease = time::Duration::try_from(order.lease).unwrap_or(time::Duration::MAX);
    let lease_until = format_time(at.checked_add(lease).unwrap_or(at));
    let owner = order.owner.as_ref();
    let search_text = search_text(
        &order.order_id,
        &order.customer_name,
        &order.customer_phone,
        &order.customer_email,
    );
    let row = tx
        .query_one(
            "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
             order_id, request_id, amount, currency, customer_id, customer_name, \
             customer_phone, customer_email, request_body, outcome, routing_id, owner_token, \
             owner_pid, owner_host, sent_at, lease_until, search_text, operator, counter) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'sending', \
             $15, $16, $17, $18, $1, $19, $20, $21, $22) RETURNING id",
            &[
                &created_at,
                &order.environment,
                &order.base_host,
                &order.merchant_id,
                &order.profile,
                &order.order_id,
                &order.request_id,
                &order.amount,
                &order.currency,
                &order.customer_id,
                &order.customer_name,
                &order.customer_phone,
                &order.customer_email,
                &order.request_body,
                &order.routing_id,
                &owner.map(|o| o.token.as_str()),
                &owner.map(|o| i64::from(o.pid)),
                &owner.map(|o| o.host.as_str()),
                &lease_until,
                &search_text,
                &order.operator,
                &order.counter,
            ],
        )
        .await
        .map_err(pg)?;
    let id: i64 = row.try_get(0).map_err(pg)?;
    let detail = events::sending_detail(&order.amount, &order.currency, &order.request_id);
    let by = Operator::new(order.operator.as_str(), order.counter.as_str());
    append_event(
        tx,
        EventRef::order(id, &order.order_id),
        &by,
        &created_at,
        events::kind::SENDING,
        &detail,
    )
    .await?;
    Ok(id)
}

/// The folded searchable text of an order (`history::search::fold`).
pub(crate) fn search_text(order_id: &str, name: &str, phone: &str, email: &str) -> String {
    crate::history::search::fold(&[order_id, name, phone, email])
}

/// Which order (and refund) an event tells about.
struct EventRef<'a> {
    order_row_id: Option<i64>,
    refund_id: Option<i64>,
    order_id: &'a str,
}

impl<'a> EventRef<'a> {
    fn order(id: i64, order_id: &'a str) -> EventRef<'a> {
        EventRef {
            order_row_id: Some(id),
            refund_id: None,
            order_id,
        }
    }
}

/// Appends one event, made by `by`, in the transaction of the change it tells.
async fn append_event(
    tx: &deadpool_postgres::Transaction<'_>,
    of: EventRef<'_>,
    by: &Operator,
    at: &str,
    kind: &str,
    detail: &str,
) -> Result<(), LedgerError> {
    tx.execute(
        "INSERT INTO order_events (order_row_id, refund_id, order_id, at, kind, detail, \
         operator, counter) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &of.order_row_id,
            &of.refund_id,
            &of.order_id,
            &at,
            &kind,
            &detail,
            &by.name,
            &by.counter,
        ],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

/// Reads one `COLUMNS` row.
pub(crate) fn row_to_order(row: &Row) -> Result<OrderRow, LedgerError> {
    read_order(row).map_err(pg)
}

fn read_order(row: &Row) -> Result<OrderRow, tokio_postgres::Error> {
    let outcome: String = row.try_get(21)?;
    // The CHECK constraint allows only known words; should one still be unreadable, the
    // honest reading is "not known".
    let outcome = Outcome::parse(&outcome).unwrap_or(Outcome::Unknown);
    let owner = match (
        row.try_get::<_, Option<String>>(24)?,
        row.try_get::<_, Option<i64>>(25)?,
    ) {
        (Some(token), Some(pid)) => Some(Owner {
            token,
            pid: u32::try_from(pid).unwrap_or(0),
            host: row.try_get::<_, Option<String>>(26)?.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(OrderRow {
        id: row.try_get(0)?,
        created_at: row.try_get(1)?,
        environment: row.try_get(2)?,
        base_host: row.try_get(3)?,
        merchant_id: row.try_get(4)?,
        profile: row.try_get(5)?,
        order_id: row.try_get(6)?,
        juspay_id: row.try_get(7)?,
        request_id: row.try_get(8)?,
        amount: row.try_get(9)?,
        currency: row.try_get(10)?,
        customer_id: row.try_get(11)?,
        customer_name: row.try_get(12)?,
        customer_phone: row.try_get(13)?,
        customer_email: row.try_get(14)?,
        request_body: row.try_get(15)?,
        response_body: row.try_get(16)?,
        payment_link: row.try_get(17)?,
        link_expiry: row.try_get(18)?,
        status: row.try_get(19)?,
        status_checked_at: row.try_get(20)?,
        outcome,
        error: row.try_get(22)?,
        send: SendRecord {
            routing_id: row.try_get(23)?,
            owner,
            sent_at: row.try_get(27)?,
            lease_until: row.try_get(28)?,
            last_check: row.try_get(29)?,
            last_check_at: row.try_get(30)?,
        },
        operator: row.try_get(31)?,
        counter: row.try_get(32)?,
    })
}
