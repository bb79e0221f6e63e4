//! The schema and its migrations. `PRAGMA user_version` holds the version a database is at;
//! each migration runs in its own IMMEDIATE transaction together with the version bump, so
//! a crash mid-migration leaves the previous version intact and two processes opening a
//! fresh database at once cannot both migrate it.

use rusqlite::{Connection, TransactionBehavior};

use super::search;

/// Version 1: the first schema. Kept verbatim: tests build a v1 database from it.
pub const V1: &str = "
CREATE TABLE orders (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        TEXT NOT NULL,
    environment       TEXT NOT NULL,
    base_host         TEXT NOT NULL,
    merchant_id       TEXT NOT NULL,
    profile           TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    juspay_id         TEXT,
    request_id        TEXT NOT NULL,
    amount            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    customer_id       TEXT NOT NULL,
    customer_name     TEXT NOT NULL,
    customer_phone    TEXT NOT NULL,
    customer_email    TEXT NOT NULL,
    request_body      TEXT NOT NULL,
    response_body     TEXT,
    payment_link      TEXT,
    link_expiry       TEXT,
    status            TEXT,
    status_checked_at TEXT,
    outcome           TEXT NOT NULL
        CHECK (outcome IN ('sending', 'created', 'rejected', 'unknown')),
    error             TEXT
);
CREATE INDEX orders_by_order_id ON orders(order_id);
";

/// Version 2: indexes for the filters (status, environment, outcome, date). Each ends in
/// `id` so a filtered window is read newest-first straight from the index.
pub const V2: &str = "
CREATE INDEX orders_by_status ON orders(status, id);
CREATE INDEX orders_by_environment ON orders(environment, id);
CREATE INDEX orders_by_outcome ON orders(outcome, created_at);
CREATE INDEX orders_by_created_at ON orders(created_at);
";

/// Version 3: a first FTS5 trigram index over `orders` itself. Replaced by version 4 (kept
/// because databases at version 3 exist; a migration once released is never edited).
pub const V3: &str = "
CREATE VIRTUAL TABLE orders_search USING fts5(
    order_id, customer_name, customer_phone, customer_email,
    content = 'orders', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO orders_search(orders_search) VALUES ('rebuild');
CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_search(rowid, order_id, customer_name, customer_phone, customer_email)
    VALUES (new.id, new.order_id, new.customer_name, new.customer_phone, new.customer_email);
END;
CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_search(orders_search, rowid, order_id, customer_name, customer_phone,
                              customer_email)
    VALUES ('delete', old.id, old.order_id, old.customer_name, old.customer_phone,
            old.customer_email);
END;
CREATE TRIGGER orders_search_update
AFTER UPDATE OF order_id, customer_name, customer_phone, customer_email ON orders BEGIN
    INSERT INTO orders_search(orders_search, rowid, order_id, customer_name, customer_phone,
                              customer_email)
    VALUES ('delete', old.id, old.order_id, old.customer_name, old.customer_phone,
            old.customer_email);
    INSERT INTO orders_search(rowid, order_id, customer_name, customer_phone, customer_email)
    VALUES (new.id, new.order_id, new.customer_name, new.customer_phone, new.customer_email);
END;
";

/// Version 4: substring search over order id, customer name, phone and email without
/// scanning the orders (see `search`): the folded text in the small `orders_text` table and
/// every one- to three-character piece of it in the contentless FTS5 index `orders_grams`.
/// Both are written by `Store` when it inserts an order (the searchable values never change
/// afterwards) and filled here for existing rows; deleting an order deletes both.
pub const V4: &str = "
DROP TRIGGER orders_search_insert;
DROP TRIGGER orders_search_delete;
DROP TRIGGER orders_search_update;
DROP TABLE orders_search;
CREATE TABLE orders_text (
    id     INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    folded TEXT NOT NULL
);
CREATE VIRTUAL TABLE orders_grams USING fts5(
    grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
);
CREATE TRIGGER orders_text_delete AFTER DELETE ON orders_text BEGIN
    DELETE FROM orders_grams WHERE rowid = old.id;
END;
";

/// Writes the search entries (`orders_text`, `orders_grams`) of one order.
/// Returning customers (`returning.rs`): the newest order of a mobile number or email
/// without a scan. `id` last, so `ORDER BY id DESC LIMIT 1` reads one index entry.
pub const V5: &str = "
CREATE INDEX orders_by_customer_phone ON orders(customer_phone, id);
CREATE INDEX orders_by_customer_email ON orders(customer_email COLLATE NOCASE, id);
";

pub fn index_order(conn: &Connection, id: i64, values: &[&str; 4]) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO orders_text (id, folded) VALUES (?1, ?2)")?
        .execute(rusqlite::params![id, search::fold(values)])?;
    conn.prepare_cached("INSERT INTO orders_grams (rowid, grams) VALUES (?1, ?2)")?
        .execute(rusqlite::params![id, search::gram_document(values)])?;
    Ok(())
}

/// Fills the search entries for rows written before version 4.
fn backfill_search(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, order_id, customer_name, customer_phone, customer_email FROM orders",
    )?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let values: [String; 4] = [row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?];
        let [a, b, c, d] = &values;
        index_order(conn, row.get(0)?, &[a, b, c, d])?;
    }
    Ok(())
}

/// One step: its SQL, then optional Rust for what SQL cannot do (Unicode folding).
pub struct Migration {
    pub sql: &'static str,
    pub then: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

/// Every migration in order; index 0 takes a database from version 0 to 1.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        then: None,
    },
    Migration {
        sql: V2,
        then: None,
    },
    Migration {
        sql: V3,
        then: None,
    },
    Migration {
        sql: V4,
        then: Some(backfill_search),
    },
    Migration {
        sql: V5,
        then: None,
    },
];

/// The version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Why the schema could not be brought up to date.
#[derive(Debug)]
pub enum MigrateError {
    /// The database was written by a newer paydesk.
    TooNew {
        found: u32,
    },
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

/// The version the database is at.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the database to `LATEST`, one transaction per migration. Safe to call from
/// several processes at once: the version is re-read inside each write transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    // The common case (already current) needs no write lock.
    if version(conn)? == LATEST {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = version(&tx)?;
        if current > LATEST {
            return Err(MigrateError::TooNew { found: current });
        }
        let Some(step) = MIGRATIONS.get(current as usize) else {
            return Ok(());
        };
        tx.execute_batch(step.sql)?;
        if let Some(then) = step.then {
            then(&tx)?;
        }
        // PRAGMA takes no bound parameters; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", current + 1))?;
        tx.commit()?;
    }
}
