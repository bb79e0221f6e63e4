//! Opening the history at start (the configured ledger: the branch ledger on PostgreSQL
//! or this desk's SQLite file), and saying in words why it could not be opened. The
//! runner keeps retrying (a lock held by another program, a disk briefly read-only or
//! full, a ledger server down or out of reach), so the cause going away is enough: no
//! restart.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::Settings;
use crate::history::store::Actor;
use crate::history::{HistoryError, Store};
use crate::ledger::Ledger;

/// First pause before opening the history again; it doubles up to `RETRY_MAX`.
pub const RETRY_FIRST: Duration = Duration::from_secs(1);
/// Longest pause between two attempts.
pub const RETRY_MAX: Duration = Duration::from_secs(15);

/// Why the history could not be opened, as far as the desk can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The file system is mounted read-only.
    ReadOnly,
    /// No space left on the device.
    Full,
    /// Another program holds the database.
    Locked,
    /// This user may not write in the directory.
    NotAllowed,
    /// Anything else, in the store's own words.
    Other(String),
    /// The branch ledger could not be opened (`ledger::open::OpenError`'s text: its
    /// masked URL and why; never the password).
    Ledger(String),
}

/// The history could not be opened: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFailure {
    /// The directory the database lives in.
    pub dir: PathBuf,
    pub reason: Reason,
}

impl fmt::Display for OpenFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        match &self.reason {
            Reason::ReadOnly => write!(f, "{dir} is on a read-only disk"),
            Reason::Full => write!(f, "the disk holding {dir} is full"),
            Reason::Locked => write!(f, "another program has locked the history in {dir}"),
            Reason::NotAllowed => write!(f, "paydesk may not write in {dir}"),
            Reason::Other(message) => write!(f, "{dir}: {message}"),
            Reason::Ledger(message) => write!(f, "{message}"),
        }
    }
}

/// The reason an I/O error stands for, if it is one of the named ones.
pub fn reason_of_io(kind: io::ErrorKind) -> Option<Reason> {
    match kind {
        io::ErrorKind::ReadOnlyFilesystem => Some(Reason::ReadOnly),
        io::ErrorKind::StorageFull => Some(Reason::Full),
        io::ErrorKind::PermissionDenied => Some(Reason::NotAllowed),
        _ => None,
    }
}

/// Works out why opening `db` failed with `error`. SQLite's messages do not say which
/// of read-only, full or not allowed it was, so the directory is probed by creating (and
/// removing) a small file in it; a directory that takes the file points at a lock. Disk
/// work: call it from a blocking task.
pub fn diagnose(db: &Path, error: &HistoryError) -> OpenFailure {
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let reason = if matches!(error, HistoryError::Busy) {
        Reason::Locked
    } else {
        let probe = dir.join(format!(".paydesk-probe-{}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
            .and_then(|mut f| io::Write::write_all(&mut f, &[0u8; 4096]))
        {
            Ok(()) => {
                let _ = std::fs::remove_file(&probe);
                locked_or_other(error)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&probe);
                reason_of_io(e.kind()).unwrap_or_else(|| locked_or_other(error))
            }
        }
    };
    OpenFailure { dir, reason }
}

fn locked_or_other(error: &HistoryError) -> Reason {
    let message = match error {
        HistoryError::Open { message, .. } => message.clone(),
        other => other.to_string(),
    };
    let lower = message.to_ascii_lowercase();
    if lower.contains("locked") || lower.contains("busy") {
        Reason::Locked
    } else {
        Reason::Other(message)
    }
}

/// One attempt at opening the ledger `settings` name, its events written as `actor`: the
/// branch ledger when a URL is set, else the SQLite history (a failure diagnosed on the
/// blocking pool).
pub async fn open_once(settings: &Settings, actor: Actor) -> Result<Ledger, OpenFailure> {
    if settings.ledger.url.is_some() {
        return crate::ledger::open::open(settings, actor)
            .await
            .map_err(|e| OpenFailure {
                dir: PathBuf::new(),
                reason: Reason::Ledger(e.to_string()),
            });
    }
    let path = settings.paths.history_db();
    let at = path.clone();
    tokio::task::spawn_blocking(move || {
        Store::open(&at)
            .map(|store| Ledger::Sqlite(store.with_actor(actor)))
            .map_err(|e| diagnose(&at, &e))
    })
    .await
    .unwrap_or_else(|e| {
        Err(OpenFailure {
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            reason: Reason::Other(e.to_string()),
        })
    })
}

/// The pause after `pause`: doubled, at most `RETRY_MAX`.
pub fn next_pause(pause: Duration) -> Duration {
    (pause * 2).min(RETRY_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_names_the_directory_and_the_cause() {
        let dir = PathBuf::from("/var/lib/paydesk");
        let say = |reason| {
            OpenFailure {
                dir: dir.clone(),
                reason,
            }
            .to_string()
        };
        assert_eq!(
            say(Reason::ReadOnly),
            "/var/lib/paydesk is on a read-only disk"
        );
        assert_eq!(
            say(Reason::Full),
            "the disk holding /var/lib/paydesk is full"
        );
        assert!(say(Reason::Locked).contains("locked the history in /var/lib/paydesk"));
    }

    #[test]
    fn io_errors_map_to_reasons() {
        assert_eq!(
            reason_of_io(io::ErrorKind::ReadOnlyFilesystem),
            Some(Reason::ReadOnly)
        );
        assert_eq!(reason_of_io(io::ErrorKind::StorageFull), Some(Reason::Full));
        assert_eq!(reason_of_io(io::ErrorKind::NotFound), None);
    }

    #[test]
    fn a_writable_directory_with_a_busy_database_is_a_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("history.db");
        let error = HistoryError::Open {
            path: db.display().to_string(),
            message: "database is locked".into(),
        };
        let failure = diagnose(&db, &error);
        assert_eq!(failure.reason, Reason::Locked);
        assert_eq!(failure.dir, dir.path());
        assert_eq!(diagnose(&db, &HistoryError::Busy).reason, Reason::Locked);
        // The probe leaves nothing behind.
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    }

    #[test]
    fn pauses_double_up_to_the_cap() {
        assert_eq!(next_pause(RETRY_FIRST), Duration::from_secs(2));
        assert_eq!(next_pause(Duration::from_secs(10)), RETRY_MAX);
    }
}
