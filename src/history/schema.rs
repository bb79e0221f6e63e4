//! The schema and its migrations. `PRAGMA user_version` holds the version a database is at;
//! each migration runs in its own IMMEDIATE transaction together with the version bump, so
//! a crash mid-migration leaves the previous version intact and two processes opening a
//! fresh database at once cannot both migrate it.

use rusqlite::{Connection, TransactionBehavior};

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

/// Version 4: substring search over order id, customer name, phone and email.
///
/// `orders_text` holds the four values folded to lower case (by Rust, so any script folds)
/// in one compact row per order; the FTS5 trigram index `orders_search` over it answers
/// terms of three or more characters, and terms of one or two characters scan the compact
/// table instead of the full order rows. Measured over 100,000 rows: a `LIKE '%q%'` scan of
/// `orders` takes tens of milliseconds; these take about one (see benches/history.rs).
/// The rows are filled by `Store` when it inserts an order, and here for existing rows.
pub const V4: &str = "
DROP TRIGGER orders_search_insert;
DROP TRIGGER orders_search_delete;
DROP TRIGGER orders_search_update;
DROP TABLE orders_search;
CREATE TABLE orders_text (
    id     INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    folded TEXT NOT NULL
);
CREATE VIRTUAL TABLE orders_search USING fts5(
    folded, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE TRIGGER orders_text_insert AFTER INSERT ON orders_text BEGIN
    INSERT INTO orders_search(rowid, folded) VALUES (new.id, new.folded);
END;
CREATE TRIGGER orders_text_delete AFTER DELETE ON orders_text BEGIN
    DELETE FROM orders_search WHERE rowid = old.id;
END;
CREATE TRIGGER orders_text_update AFTER UPDATE ON orders_text BEGIN
    DELETE FROM orders_search WHERE rowid = old.id;
    INSERT INTO orders_search(rowid, folded) VALUES (new.id, new.folded);
END;
";

/// The searchable text of one order: the four values, folded, space-separated (search
/// terms never hold whitespace, so no term matches across two values).
pub fn fold(order_id: &str, name: &str, phone: &str, email: &str) -> String {
    [order_id, name, phone, email].join(" ").to_lowercase()
}

/// Fills `orders_text` for rows written before version 4.
fn backfill_text(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, order_id, customer_name, customer_phone, customer_email FROM orders",
    )?;
    let mut write = conn.prepare("INSERT INTO orders_text (id, folded) VALUES (?1, ?2)")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let folded = fold(
            &row.get::<_, String>(1)?,
            &row.get::<_, String>(2)?,
            &row.get::<_, String>(3)?,
            &row.get::<_, String>(4)?,
        );
        write.execute(rusqlite::params![row.get::<_, i64>(0)?, folded])?;
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
        then: Some(backfill_text),
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
