//! Typed errors of the desk's background tasks, so the app can branch on what went wrong
//! instead of reading words. Their `Display` is the text the desk shows.

use super::history_open::OpenFailure;
use crate::history::HistoryError;
use crate::ledger::LedgerError;

/// Why a shared service (the API client or the history database) is not there for a task.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// The desk is closing; the task was abandoned.
    #[error("paydesk is shutting down")]
    ShuttingDown,
    /// The history database cannot be opened (retried in the background).
    #[error("the history cannot be opened: {0}")]
    History(OpenFailure),
    /// The client for the environment could not be built (`connection::connect`'s error
    /// text; it names no secret).
    #[error("{0}")]
    Client(String),
}

/// Why a history task (re-check, forget, window load) did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// The history database answered with an error.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The ledger (the history, or the branch ledger) answered with an error or could not
    /// be reached.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The order's history row was forgotten while the task ran.
    #[error("the history row is gone")]
    RowGone,
}

/// Why a send stopped before its request left: nothing was sent, nothing needs checking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The order cannot be recorded first, so it is not sent.
    #[error(
        "the history database is not available ({0}); nothing was sent, because an order that cannot be recorded is not sent"
    )]
    NoHistory(Unavailable),
    /// No client for the environment.
    #[error("nothing was sent: {0}")]
    NoClient(Unavailable),
    /// Writing the order's row failed (the history, or the branch ledger could not be
    /// reached). `place` is `Ledger::place`: the history's path or the branch ledger's
    /// masked URL.
    #[error("nothing was sent: {place} could not record the order first ({error})")]
    NotRecorded { place: String, error: LedgerError },
}
