//! Opening the ledger the settings name: the branch ledger on PostgreSQL when
//! `PAYDESK_LEDGER_URL` or `[ledger] url` is set, else the desk's own SQLite history
//! (nothing to set up). Every command and the desk open their ledger here.

use super::{Ledger, LedgerError, LedgerTarget, PasswordSources, PgLedger, TargetError};
use crate::config::{LedgerSettings, Settings};
use crate::history::Store;
use crate::history::store::Actor;

/// Why the configured ledger could not be opened. For the branch ledger, `url` is its
/// URL with the password masked (the password itself is never part of an error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(.url.as_deref(), .error))]
pub struct OpenError {
    /// The branch ledger's masked URL; `None` for the SQLite history (its error names
    /// the file).
    pub url: Option<String>,
    /// What went wrong.
    pub error: LedgerError,
}

fn describe(url: Option<&str>, error: &LedgerError) -> String {
    match url {
        Some(url) => format!("branch ledger {url}: {error}"),
        None => error.to_string(),
    }
}

impl OpenError {
    /// The process exit code (`LedgerError::exit_code`: unreachable → network).
    pub fn exit_code(&self) -> u8 {
        self.error.exit_code()
    }

    /// "the branch ledger" or "the history", for sentences about what failed.
    pub fn what(&self) -> &'static str {
        if self.url.is_some() {
            "the branch ledger"
        } else {
            "the history"
        }
    }
}

/// The branch ledger named by `settings` with its password resolved (`PGPASSWORD`, the
/// password file, then `password_cmd`: `PAYDESK_LEDGER_PASSWORD_CMD` over the config's);
/// `None` when no ledger URL is set. Blocking: a `password_cmd` runs here.
pub fn target(settings: &LedgerSettings) -> Result<Option<LedgerTarget>, TargetError> {
    let Some(url) = &settings.url else {
        return Ok(None);
    };
    let mut sources = PasswordSources::from_env();
    if sources.password_cmd.is_none() {
        sources.password_cmd = settings.password_cmd.clone();
    }
    LedgerTarget::parse(url, &sources).map(Some)
}

/// Opens the ledger `settings` name, its events written as `actor`: the branch ledger
/// (connected, schema brought up to date) when a URL is set, else the SQLite history at
/// `settings.paths.history_db()` (created when missing). Errors: the URL or password
/// source is wrong, the server cannot be reached or refuses the login, the schema is
/// newer, or the history file cannot be opened.
pub async fn open(settings: &Settings, actor: Actor) -> Result<Ledger, OpenError> {
    let ledger = settings.ledger.clone();
    let masked = ledger.url.as_deref().map(super::mask_url);
    let failed = |error: LedgerError| OpenError {
        url: masked.clone(),
        error,
    };
    let target = tokio::task::spawn_blocking(move || target(&ledger))
        .await
        .map_err(|e| failed(LedgerError::Unreachable(e.to_string())))?
        .map_err(|e| failed(e.into()))?;
    match target {
        Some(target) => {
            let pg = PgLedger::connect(&target).await.map_err(failed)?;
            Ok(Ledger::Postgres(pg.with_actor(actor)))
        }
        None => {
            let path = settings.paths.history_db();
            let store = tokio::task::spawn_blocking(move || Store::open(&path))
                .await
                .map_err(|e| failed(LedgerError::Unreachable(e.to_string())))?
                .map_err(|e| failed(e.into()))?;
            Ok(Ledger::Sqlite(store.with_actor(actor)))
        }
    }
}
