//! `paydesk ledger import`: copying a desk's SQLite history into the branch ledger.
//!
//! Orders, refunds and order events are copied with their values as they are (order ids,
//! outcomes, statuses, times, owners, leases, bodies), oldest first, one transaction per
//! page. Each copied order and event keeps where it came from (`origin`: the desk's host
//! and the history file; `origin_id`: its SQLite id), unique in the ledger, and refunds
//! are unique by `(order_id, unique_request_id)` as in SQLite; so a second import adds
//! nothing and changes nothing. A row already in the ledger is left as the ledger has
//! it: once a desk has moved to the branch, the ledger is the truth. Links between rows
//! (a refund's order, an event's order and refund) are mapped to the ledger's ids.
//!
//! Run by `paydesk ledger import` on its own runtime: the SQLite reads block, so this is
//! not for the desk's render loop. Each page's inserts are sent together (tokio-postgres
//! pipelines them), which is what keeps 10,000 orders to seconds rather than minutes.

use std::collections::HashMap;
use std::path::Path;

use futures::future::try_join_all;
use rusqlite::{Connection, OpenFlags, types::Value};
use tokio_postgres::types::ToSql;

use super::LedgerError;
use super::pg::{PgLedger, search_text};
use crate::history::{HistoryError, Store};

/// Rows per transaction.
const PAGE: i64 = 500;

/// What an import found and added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub orders: u64,
    pub orders_added: u64,
    pub refunds: u64,
    pub refunds_added: u64,
    pub events: u64,
    pub events_added: u64,
}

/// The columns copied from `orders`, in this order, after `id`. `operator` and `counter`
/// are added when the history has them (schema version 8).
const ORDER_COLUMNS: &[&str] = &[
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
    "owner_token",
    "owner_pid",
    "owner_host",
    "sent_at",
    "lease_until",
    "last_check",
    "last_check_at",
];

const REFUND_COLUMNS: &[&str] = &[
    "environment",
    "base_host",
    "merchant_id",
    "order_id",
    "routing_id",
    "unique_request_id",
    "amount_paise",
    "order_amount_paise",
    "reason",
    "state",
    "error",
    "created_at",
    "owner_token",
    "owner_pid",
    "owner_host",
    "lease_until",
    "last_check",
    "last_check_at",
    "operator",
    "counter",
];

const EVENT_COLUMNS: &[&str] = &["order_id", "at", "kind", "detail", "operator", "counter"];

/// A SQLite value as a PostgreSQL parameter: text stays text, integers are `BIGINT`.
#[derive(Debug)]
enum Param {
    Text(Option<String>),
    Int(Option<i64>),
}

/// Columns that are integers in both engines; every other copied column is text.
const INT_COLUMNS: &[&str] = &[
    "owner_pid",
    "amount_paise",
    "order_amount_paise",
    "order_row_id",
    "refund_id",
];

impl Param {
    /// The value of `column` as PostgreSQL wants it (SQLite's types are per value).
    fn from_sqlite(column: &str, value: Value) -> Param {
        if INT_COLUMNS.contains(&column) {
            return Param::Int(match value {
                Value::Integer(n) => Some(n),
                Value::Text(s) => s.trim().parse().ok(),
                Value::Real(f) => Some(f as i64),
                Value::Blob(_) | Value::Null => None,
            });
        }
        Param::Text(match value {
            Value::Integer(n) => Some(n.to_string()),
            Value::Text(s) => Some(s),
            Value::Real(f) => Some(f.to_string()),
            Value::Blob(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Value::Null => None,
        })
    }

    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Param::Text(v) => v,
            Param::Int(v) => v,
        }
    }

    fn text(&self) -> &str {
        match self {
            Param::Text(Some(s)) => s,
            _ => "",
        }
    }
}

/// Copies the history at `path` into `ledger`; `origin` names the history (host and
/// file) so a second import of it adds nothing.
pub async fn import(
    ledger: &PgLedger,
    path: &Path,
    origin: &str,
) -> Result<ImportReport, LedgerError> {
    if !path.exists() {
        return Err(HistoryError::Open {
            path: path.display().to_string(),
            message: "no history file there".into(),
        }
        .into());
    }
    // Bring the history to the schema this build knows, then read it without writing.
    let owned = path.to_path_buf();
    tokio::task::spawn_blocking(move || Store::open(&owned).map(|_| ()))
        .await
        .map_err(|e| HistoryError::Task(e.to_string()))??;
    let source = Source::open(path)?;
    let mut report = ImportReport::default();
    let mut order_ids: HashMap<i64, i64> = HashMap::new();
    let mut client = ledger.import_client().await?;
    let pg = |e: tokio_postgres::Error| LedgerError::from_pg(&e);

    // Orders.
    let has_people = source.has_columns("orders", &["operator", "counter"])?;
    let mut columns: Vec<&str> = ORDER_COLUMNS.to_vec();
    if has_people {
        columns.extend(["operator", "counter"]);
    }
    let insert = insert_sql(
        "orders",
        &columns,
        &["search_text", "origin", "origin_id"],
        "ON CONFLICT (origin, origin_id) DO UPDATE SET origin = EXCLUDED.origin",
    );
    let mut after = 0_i64;
    loop {
        let page = source.page("orders", &columns, after)?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        let tx = client.transaction().await.map_err(pg)?;
        let stmt = tx.prepare(&insert).await.map_err(pg)?;
        let searches: Vec<String> = page
            .iter()
            .map(|(_, values)| {
                let text = |name: &str| {
                    columns
                        .iter()
                        .position(|c| *c == name)
                        .and_then(|i| values.get(i))
                        .map_or("", Param::text)
                };
                search_text(
                    text("order_id"),
                    text("customer_name"),
                    text("customer_phone"),
                    text("customer_email"),
                )
            })
            .collect();
        let params: Vec<Vec<&(dyn ToSql + Sync)>> = page
            .iter()
            .zip(&searches)
            .map(|((id, values), search)| {
                let mut params: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(Param::as_sql).collect();
                params.extend([search as &(dyn ToSql + Sync), &origin, id]);
                params
            })
            .collect();
        // Sent together: tokio-postgres pipelines them on the one connection.
        let rows = try_join_all(params.iter().map(|p| tx.query_one(&stmt, p)))
            .await
            .map_err(pg)?;
        for ((id, _), row) in page.iter().zip(rows) {
            order_ids.insert(*id, row.try_get(0).map_err(pg)?);
            report.orders += 1;
            if row.try_get::<_, bool>(1).map_err(pg)? {
                report.orders_added += 1;
            }
        }
        tx.commit().await.map_err(pg)?;
    }

    // Refunds, linked to the ledger's order ids.
    let mut refund_ids: HashMap<i64, i64> = HashMap::new();
    let mut columns: Vec<&str> = REFUND_COLUMNS.to_vec();
    columns.push("order_row_id");
    let insert = insert_sql(
        "refunds",
        &columns[..columns.len() - 1],
        &["order_row_id"],
        "ON CONFLICT (order_id, unique_request_id) DO UPDATE SET order_id = EXCLUDED.order_id",
    );
    let mut after = 0_i64;
    loop {
        let page = source.page("refunds", &columns, after)?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        let tx = client.transaction().await.map_err(pg)?;
        let stmt = tx.prepare(&insert).await.map_err(pg)?;
        for (id, values) in &page {
            let (link, values) = values
                .split_last()
                .map_or((None, &values[..]), |(l, v)| (Some(l), v));
            let order_row = mapped(link, &order_ids);
            let mut params: Vec<&(dyn ToSql + Sync)> = values.iter().map(Param::as_sql).collect();
            params.push(&order_row);
            let row = tx.query_one(&stmt, &params).await.map_err(pg)?;
            refund_ids.insert(*id, row.try_get(0).map_err(pg)?);
            report.refunds += 1;
            if row.try_get::<_, bool>(1).map_err(pg)? {
                report.refunds_added += 1;
            }
        }
        tx.commit().await.map_err(pg)?;
    }

    // Events: append-only, so a conflict leaves the ledger's copy untouched.
    let mut columns: Vec<&str> = EVENT_COLUMNS.to_vec();
    columns.extend(["order_row_id", "refund_id"]);
    let mut insert = insert_sql(
        "order_events",
        EVENT_COLUMNS,
        &["order_row_id", "refund_id", "origin", "origin_id"],
        "ON CONFLICT (origin, origin_id) DO NOTHING",
    );
    insert = insert.replace(" RETURNING id, (xmax = 0)", "");
    let mut after = 0_i64;
    loop {
        let page = source.page("order_events", &columns, after)?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        let tx = client.transaction().await.map_err(pg)?;
        let stmt = tx.prepare(&insert).await.map_err(pg)?;
        let n = EVENT_COLUMNS.len();
        let links: Vec<(Option<i64>, Option<i64>)> = page
            .iter()
            .map(|(_, values)| {
                (
                    mapped(values.get(n), &order_ids),
                    mapped(values.get(n + 1), &refund_ids),
                )
            })
            .collect();
        let params: Vec<Vec<&(dyn ToSql + Sync)>> = page
            .iter()
            .zip(&links)
            .map(|((id, values), (order_row, refund))| {
                let mut params: Vec<&(dyn ToSql + Sync)> =
                    values.iter().take(n).map(Param::as_sql).collect();
                params.extend([order_row as &(dyn ToSql + Sync), refund, &origin, id]);
                params
            })
            .collect();
        let added = try_join_all(params.iter().map(|p| tx.execute(&stmt, p)))
            .await
            .map_err(pg)?;
        report.events += page.len() as u64;
        report.events_added += added.iter().sum::<u64>();
        tx.commit().await.map_err(pg)?;
    }
    Ok(report)
}

/// The ledger id of a linked SQLite row (`None` when unlinked or not copied).
fn mapped(link: Option<&Param>, ids: &HashMap<i64, i64>) -> Option<i64> {
    match link {
        Some(Param::Int(Some(id))) => ids.get(id).copied(),
        _ => None,
    }
}

/// `INSERT INTO table (columns…, extra…) VALUES ($1…) conflict RETURNING id, inserted`.
fn insert_sql(table: &str, columns: &[&str], extra: &[&str], conflict: &str) -> String {
    let names: Vec<&str> = columns.iter().chain(extra).copied().collect();
    let slots: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) {conflict} RETURNING id, (xmax = 0)",
        names.join(", "),
        slots.join(", ")
    )
}

/// The SQLite history, read-only.
struct Source {
    conn: Connection,
}

impl Source {
    fn open(path: &Path) -> Result<Source, LedgerError> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sql_error(path, &e))?;
        Ok(Source { conn })
    }

    fn has_columns(&self, table: &str, names: &[&str]) -> Result<bool, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .map_err(history)?;
        let present = stmt
            .query_map([table], |r| r.get::<_, String>(0))
            .map_err(history)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(history)?;
        Ok(names.iter().all(|n| present.iter().any(|p| p == n)))
    }

    /// Up to `PAGE` rows with `id > after`, by id: (id, values in `columns` order).
    /// Table and column names are ours, never input.
    fn page(
        &self,
        table: &str,
        columns: &[&str],
        after: i64,
    ) -> Result<Vec<(i64, Vec<Param>)>, LedgerError> {
        let sql = format!(
            "SELECT id, {} FROM {table} WHERE id > ?1 ORDER BY id LIMIT ?2",
            columns.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql).map_err(history)?;
        let rows = stmt
            .query_map([after, PAGE], |row| {
                let id: i64 = row.get(0)?;
                let values = columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| row.get::<_, Value>(i + 1).map(|v| Param::from_sqlite(c, v)))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((id, values))
            })
            .map_err(history)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(history)
    }
}

fn history(e: rusqlite::Error) -> LedgerError {
    HistoryError::Sql(e.to_string()).into()
}

fn sql_error(path: &Path, e: &rusqlite::Error) -> LedgerError {
    HistoryError::Open {
        path: path.display().to_string(),
        message: e.to_string(),
    }
    .into()
}
