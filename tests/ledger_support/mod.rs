//! A PostgreSQL database of its own for one test (shared by the ledger test files).
//!
//! `PAYDESK_TEST_PG_URL` names a role that may create databases; without it a test prints
//! "skipped: PAYDESK_TEST_PG_URL not set" and passes, unless `PAYDESK_REQUIRE_POSTGRES=1`.

// Each test file uses a part of this module.
#![allow(dead_code)]

use paydesk::ledger::{LedgerTarget, PasswordSources};

/// A PostgreSQL database made for one test, dropped by `finish`.
pub struct PgDb {
    admin: tokio_postgres::Client,
    pub name: String,
    pub target: LedgerTarget,
    /// `PAYDESK_TEST_PG_URL` with this database instead of its own.
    pub url: String,
}

impl PgDb {
    /// A plain connection to this test's database (for SQL the ledger does not offer).
    pub async fn client(&self) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        let (client, connection) = self.target.config().connect(tokio_postgres::NoTls).await?;
        tokio::spawn(connection);
        Ok(client)
    }

    pub async fn finish(self) {
        // Connections of the pool may still be open: force them out.
        let _ = self
            .admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await;
    }
}

/// The test database's target, or `None` (skipped) without `PAYDESK_TEST_PG_URL`.
pub async fn pg_db() -> Option<PgDb> {
    pg_db_named(None).await
}

/// As `pg_db`, but with `Some(name)` the database of that name, made only when missing
/// (a bench keeps its seeded database between runs this way; do not `finish` it).
pub async fn pg_db_named(kept: Option<&str>) -> Option<PgDb> {
    let Some(url) = std::env::var("PAYDESK_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("PAYDESK_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "PAYDESK_REQUIRE_POSTGRES=1 but PAYDESK_TEST_PG_URL is not set"
        );
        println!("skipped: PAYDESK_TEST_PG_URL not set");
        return None;
    };
    let target = LedgerTarget::parse(&url, &PasswordSources::default())
        .unwrap_or_else(|e| panic!("PAYDESK_TEST_PG_URL: {e}"));
    let (admin, connection) = target
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connecting to {}: {e}", target.masked()));
    tokio::spawn(connection);
    let name = match kept {
        Some(name) => name.to_string(),
        None => format!("paydesk_t_{}", uuid::Uuid::new_v4().simple()),
    };
    let exists = kept.is_some()
        && admin
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await
            .unwrap_or_else(|e| panic!("looking for the database: {e}"))
            .is_some();
    if !exists {
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap_or_else(|e| panic!("creating the test database: {e}"));
    }
    let mut target = target;
    target.config_mut().dbname(&name);
    let url = with_database(&url, &name);
    Some(PgDb {
        admin,
        name,
        target,
        url,
    })
}

/// `url` with its path (the database) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = match head[scheme_end..].find('/') {
        Some(slash) => &head[..scheme_end + slash],
        None => head,
    };
    format!("{base}/{name}{query}")
}
