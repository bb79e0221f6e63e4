//! The desk's live view of the branch ledger (issue 14, items 4 to 6), as data: the
//! messages the runner's live task and ledger calls send (`LiveMsg`), and what the app
//! keeps about them (`LiveState`). The app's handling is in `live.rs`, the runner's tasks
//! in `effects/live.rs`.

use crate::history::OrderRow;
use crate::ledger::live::LedgerChange;

/// A message about the ledger as a whole (not the answer to one task).
#[derive(Debug, Clone, PartialEq)]
pub enum LiveMsg {
    /// The ledger is the branch ledger on PostgreSQL (`place`: its masked URL, as
    /// `Ledger::place` says it): other counters write to it, so the desk listens for their
    /// changes and polls open orders under a lease. Sent once the ledger is open; never
    /// for the desk's own SQLite history.
    Branch {
        /// "the branch ledger postgres://user:***@host/db".
        place: String,
    },
    /// A change from the ledger's subscription (`Ledger::subscribe`).
    Change(LedgerChange),
    /// A ledger call failed because the ledger could not be reached (`reason`: the
    /// error's text, which never holds a password). Sent when calls start failing, not
    /// for every failed call.
    Unreachable {
        /// "the branch ledger postgres://user:***@host/db".
        place: String,
        /// Why, in the ledger error's words.
        reason: String,
    },
    /// A ledger call succeeded after `Unreachable`.
    Reachable,
    /// The order view's row, read again after a change to its order (`view_id` as in
    /// `OrderView`); `None` when the row is gone or could not be read.
    Row {
        view_id: u64,
        row: Option<Box<OrderRow>>,
    },
}

/// At most one reload of something in flight, and whether another change came in
/// meanwhile (then exactly one more follows the answer): a burst of 1,000 changes costs
/// two reloads, not 1,000.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coalesce {
    /// A reload is in flight: for the history pane, the window generation it asked for
    /// (any answer of that generation or newer ends it); for the order view, its view id.
    pub in_flight: Option<u64>,
    /// A change arrived while it was in flight.
    pub again: bool,
}

/// What the desk knows about the ledger's liveness.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveState {
    /// The branch ledger (its masked place) when the desk works on one; `None` on the
    /// desk's own SQLite history.
    pub branch: Option<String>,
    /// Live updates are paused (the listening connection broke): why. Cleared by the next
    /// `Resync`.
    pub paused: Option<String>,
    /// Ledger calls fail as unreachable: the ledger's masked place. Cleared by the next
    /// call that succeeds.
    pub unreachable: Option<String>,
    /// The history pane's reloads for changes.
    pub history: Coalesce,
    /// The order view's re-reads for changes to its order.
    pub view: Coalesce,
    /// Changes received this run (tests and the latency bench count them).
    pub changes: u64,
    /// History reloads asked for because of changes this run.
    pub reloads: u64,
}
