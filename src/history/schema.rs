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

/// Version 5: order truth. The outcome gains `not_created` (certainly not at Juspay),
/// distinct from `rejected` (Juspay said no), and a row records who sends it and when the
/// request left: `routing_id` (the `x-routing-id` of every call for this order),
/// `owner_token`/`owner_pid`/`owner_host` (the sending process), `sent_at` and
/// `lease_until` (no other process settles the row before then), and the last Order
/// Status check (`last_check`, `last_check_at`). SQLite cannot change a CHECK constraint,
/// so the table is rebuilt (ids and their sequence kept) and the search entries with it.
/// Old `rejected` rows that were called "not created" after a not-found are reopened as
/// `unknown` (that not-found may have come too early); "not sent" ones are `not_created`.
pub const V5: &str = "
DROP TRIGGER orders_text_delete;
DROP TABLE orders_grams;
DROP TABLE orders_text;
CREATE TABLE orders_v5 (
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
        CHECK (outcome IN ('sending', 'unknown', 'created', 'rejected', 'not_created')),
    error             TEXT,
    routing_id        TEXT NOT NULL DEFAULT '',
    owner_token       TEXT,
    owner_pid         INTEGER,
    owner_host        TEXT,
    sent_at           TEXT,
    lease_until       TEXT,
    last_check        TEXT,
    last_check_at     TEXT
);
INSERT INTO orders_v5 (id, created_at, environment, base_host, merchant_id, profile, order_id,
    juspay_id, request_id, amount, currency, customer_id, customer_name, customer_phone,
    customer_email, request_body, response_body, payment_link, link_expiry, status,
    status_checked_at, outcome, error, routing_id, sent_at)
SELECT id, created_at, environment, base_host, merchant_id, profile, order_id, juspay_id,
    request_id, amount, currency, customer_id, customer_name, customer_phone, customer_email,
    request_body, response_body, payment_link, link_expiry, status, status_checked_at,
    CASE
        WHEN outcome = 'rejected' AND error LIKE 'not sent%' THEN 'not_created'
        WHEN outcome = 'rejected' AND error LIKE 'not created%' THEN 'unknown'
        ELSE outcome
    END,
    error,
    CASE WHEN TRIM(customer_id) <> '' THEN TRIM(customer_id) ELSE TRIM(order_id) END,
    created_at
FROM orders;
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'orders')
WHERE name = 'orders_v5';
DROP TABLE orders;
ALTER TABLE orders_v5 RENAME TO orders;
CREATE INDEX orders_by_order_id ON orders(order_id);
CREATE INDEX orders_by_status ON orders(status, id);
CREATE INDEX orders_by_environment ON orders(environment, id);
CREATE INDEX orders_by_outcome ON orders(outcome, created_at);
CREATE INDEX orders_by_created_at ON orders(created_at);
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

/// Returning customers (`returning.rs`): the newest order of a mobile number or email
/// without a scan. `id` last, so `ORDER BY id DESC LIMIT 1` reads one index entry.
pub const V6: &str = "
CREATE INDEX orders_by_customer_phone ON orders(customer_phone, id);
CREATE INDEX orders_by_customer_email ON orders(customer_email COLLATE NOCASE, id);
";

/// Version 7: refunds and each order's story (issue 15).
///
/// `refunds`: one row per refund attempt, written before its request leaves, linked to the
/// order's row when the history has it (`order_row_id`; `NULL` for an order paydesk did
/// not create) and always to its place and `order_id`. `unique_request_id` is Juspay's
/// idempotency key for the attempt; `amount_paise` is `NULL` while a "refund all that is
/// left" has not been answered. `state` is `orders::refund_state::RefundState`. Owner and
/// lease as for orders.
///
/// `order_events`: append-only (an UPDATE is refused by a trigger); deleted only with the
/// order (`history forget`). `at` is UTC in the stored format; `operator` and `counter`
/// are `NULL` in rows written before version 8's code (issue 14).
pub const V7: &str = "
CREATE TABLE refunds (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    order_row_id       INTEGER REFERENCES orders(id) ON DELETE CASCADE,
    environment        TEXT NOT NULL,
    base_host          TEXT NOT NULL,
    merchant_id        TEXT NOT NULL,
    order_id           TEXT NOT NULL,
    routing_id         TEXT NOT NULL DEFAULT '',
    unique_request_id  TEXT NOT NULL,
    amount_paise       INTEGER,
    order_amount_paise INTEGER,
    reason             TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('sending', 'unknown', 'pending',
        'success', 'failure', 'manual_review', 'rejected', 'not_sent')),
    error              TEXT,
    created_at         TEXT NOT NULL,
    owner_token        TEXT,
    owner_pid          INTEGER,
    owner_host         TEXT,
    lease_until        TEXT,
    last_check         TEXT,
    last_check_at      TEXT,
    operator           TEXT,
    counter            TEXT,
    UNIQUE (order_id, unique_request_id)
);
CREATE INDEX refunds_by_order_row ON refunds(order_row_id, id);
CREATE INDEX refunds_by_order_id ON refunds(order_id, id);
CREATE INDEX refunds_by_state ON refunds(state, id);
CREATE TABLE order_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    order_row_id INTEGER REFERENCES orders(id) ON DELETE CASCADE,
    refund_id    INTEGER REFERENCES refunds(id) ON DELETE CASCADE,
    order_id     TEXT NOT NULL,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    operator     TEXT,
    counter      TEXT
);
CREATE INDEX order_events_by_order_id ON order_events(order_id, id);
CREATE INDEX order_events_by_order_row ON order_events(order_row_id, id);
CREATE TRIGGER order_events_append_only BEFORE UPDATE ON order_events BEGIN
    SELECT RAISE(ABORT, 'order events are append-only');
END;
";

/// Version 8: who created each order and where (issue 14). `operator` is the clerk and
/// `counter` the counter (see `crate::operator`); rows written before stay `''`. The
/// indexes end in `id` like the other filters' and compare without ASCII case, as
/// `history --operator/--counter` do. PostgreSQL's ledger uses the same column names.
pub const V8: &str = "
ALTER TABLE orders ADD COLUMN operator TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN counter TEXT NOT NULL DEFAULT '';
CREATE INDEX orders_by_operator ON orders(operator COLLATE NOCASE, id);
CREATE INDEX orders_by_counter ON orders(counter COLLATE NOCASE, id);
";

/// Writes the search entries (`orders_text`, `orders_grams`) of one order.
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
        then: Some(backfill_search),
    },
    Migration {
        sql: V6,
        then: None,
    },
    Migration {
        sql: V7,
        then: None,
    },
    Migration {
        sql: V8,
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
