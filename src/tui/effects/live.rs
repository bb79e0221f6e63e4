//! The runner's side of the live branch ledger (issue 14, items 4 to 6): a task that
//! holds the ledger's subscription and forwards its changes as `Msg::Live`, the desk's
//! poll-lease identity, and the watch on ledger calls that tells the app when the ledger
//! stops (and starts again) answering. Nothing here blocks the loop.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::ledger::{Ledger, LedgerError};
use crate::tui::live_msg::LiveMsg;
use crate::tui::msg::Msg;

/// How many poll intervals a desk's poll lease lasts: long enough that a desk renews its
/// leases in time, short enough that a dead desk's orders move on soon.
pub const LEASE_INTERVALS: u32 = 3;

/// This desk's name in the branch's poll leases: counter, host, process id and a number
/// for each runner of the process (tests run several desks in one process), e.g.
/// `counter-3@frontdesk#4711.1`. Unique per running desk, as `take_poll_batch` needs.
pub fn desk_id(counter: &str) -> String {
    static RUNNERS: AtomicU64 = AtomicU64::new(0);
    let n = RUNNERS.fetch_add(1, Ordering::Relaxed) + 1;
    let me = crate::orders::this_process();
    format!("{counter}@{}#{}.{n}", me.host, me.pid)
}

/// The lease for `poll_interval`: `LEASE_INTERVALS` intervals.
pub fn lease_for(poll_interval: Duration) -> Duration {
    poll_interval.saturating_mul(LEASE_INTERVALS)
}

/// Follows `ledger`'s changes until the desk closes: on the branch ledger, tells the app
/// it works on one (`LiveMsg::Branch`), then forwards every change of the subscription;
/// on SQLite (nobody else writes) does nothing.
pub async fn follow(ledger: Ledger, tx: mpsc::UnboundedSender<Msg>) {
    let Ledger::Postgres(_) = &ledger else {
        return;
    };
    let place = ledger.place();
    if tx.send(Msg::Live(LiveMsg::Branch { place })).is_err() {
        return;
    }
    let mut changes = ledger.subscribe();
    loop {
        tokio::select! {
            change = changes.recv() => match change {
                Some(change) => {
                    if tx.send(Msg::Live(LiveMsg::Change(change))).is_err() {
                        return;
                    }
                }
                None => return,
            },
            () = tx.closed() => return,
        }
    }
}

/// Watches the outcome of ledger calls: the first call that fails because the branch
/// ledger cannot be reached sends `LiveMsg::Unreachable`, the first that succeeds after
/// that `LiveMsg::Reachable`. Cheap to clone (shared by every task of a runner).
#[derive(Clone)]
pub struct Health {
    tx: mpsc::UnboundedSender<Msg>,
    down: Arc<AtomicBool>,
}

impl Health {
    /// A watch reporting to `tx`.
    pub fn new(tx: mpsc::UnboundedSender<Msg>) -> Health {
        Health {
            tx,
            down: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Notes how a call to `ledger` went (`Ok(())`: it answered). Only the branch
    /// ledger's reachability is followed; the SQLite history is a file.
    pub fn note(&self, ledger: &Ledger, outcome: Result<(), &LedgerError>) {
        if !matches!(ledger, Ledger::Postgres(_)) {
            return;
        }
        match outcome {
            Err(LedgerError::Unreachable(reason)) => {
                if !self.down.swap(true, Ordering::SeqCst) {
                    let _ = self.tx.send(Msg::Live(LiveMsg::Unreachable {
                        place: ledger.place(),
                        reason: reason.clone(),
                    }));
                }
            }
            // Anything the server answered (rows, or an error of its own) proves it there.
            Ok(()) | Err(LedgerError::Sql(_) | LedgerError::History(_)) => {
                if self.down.swap(false, Ordering::SeqCst) {
                    let _ = self.tx.send(Msg::Live(LiveMsg::Reachable));
                }
            }
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_ids_differ_per_runner_and_name_the_counter() {
        let a = desk_id("counter-3");
        let b = desk_id("counter-3");
        assert_ne!(a, b);
        assert!(a.starts_with("counter-3@"), "{a}");
        assert!(a.contains(&format!("#{}.", std::process::id())), "{a}");
    }

    #[test]
    fn the_lease_is_a_few_poll_intervals() {
        assert_eq!(lease_for(Duration::from_secs(5)), Duration::from_secs(15));
    }
}
