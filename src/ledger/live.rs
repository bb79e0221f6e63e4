//! Live changes of the ledger: what other counters wrote, pushed as it commits.
//!
//! On PostgreSQL the schema's triggers (`pg::schema::V3`) send a notification on
//! [`CHANNEL`] for every order inserted, updated or deleted and every refund inserted or
//! updated; a [`Subscription`] keeps its own connection that `LISTEN`s there (see
//! `pg::live`) and hands each one over as a [`LedgerChange`]. Notifications sent while that
//! connection is down are lost, so after every (re)connection the subscription sends
//! [`LedgerChange::Resync`]: reload what is shown. On SQLite (one desk per file) a
//! subscription never yields anything, so the caller needs no branch of its own.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The notification channel the ledger's triggers send on.
pub const CHANNEL: &str = "paydesk_ledger";

/// How many changes wait for the consumer at most; past that the subscription drops
/// changes and sends one `Resync` as soon as there is room again.
pub const QUEUE: usize = 1024;

/// What changed, as the trigger saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A new order row (a `sending` row written before its request left).
    OrderInserted,
    /// An order row changed (outcome, status, last check…).
    OrderUpdated,
    /// An order row was deleted (`forget`).
    OrderDeleted,
    /// A new refund attempt.
    RefundInserted,
    /// A refund attempt changed state.
    RefundUpdated,
}

impl ChangeKind {
    /// True for the order kinds (`id` is an order row id), false for refunds (`id` is a
    /// refund id).
    pub fn is_order(self) -> bool {
        matches!(
            self,
            ChangeKind::OrderInserted | ChangeKind::OrderUpdated | ChangeKind::OrderDeleted
        )
    }
}

/// One message of a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerChange {
    /// A row changed and its transaction committed.
    Changed {
        /// What happened to which kind of row.
        kind: ChangeKind,
        /// The order row id (order kinds) or the refund id (refund kinds).
        id: i64,
        /// The order id the row belongs to; empty when it was too long to carry (over 200
        /// bytes): reload by `id` then.
        order_id: String,
    },
    /// The subscription is listening again (or for the first time): changes made before
    /// may have been missed, so reload everything shown. Sent after every successful
    /// (re)connection, and after changes had to be dropped because the consumer fell more
    /// than `QUEUE` behind.
    Resync,
    /// The listening connection broke or could not be made; the subscription retries
    /// with back-off by itself and sends `Resync` once it listens again. The text says
    /// why (never a password). Sent once per outage, not once per attempt.
    Interrupted(String),
}

/// A running subscription to the ledger's changes. Dropping it stops its task and closes
/// its connection.
#[derive(Debug)]
pub struct Subscription {
    rx: mpsc::Receiver<LedgerChange>,
    task: Option<JoinHandle<()>>,
    /// Held by subscriptions that never yield (SQLite), so `recv` waits instead of
    /// reporting the end.
    _idle: Option<mpsc::Sender<LedgerChange>>,
}

impl Subscription {
    /// A subscription fed by `task` through `rx` (the PostgreSQL listener).
    pub(crate) fn running(rx: mpsc::Receiver<LedgerChange>, task: JoinHandle<()>) -> Self {
        Subscription {
            rx,
            task: Some(task),
            _idle: None,
        }
    }

    /// A subscription that never yields: an engine without other writers (SQLite).
    pub fn idle() -> Self {
        let (tx, rx) = mpsc::channel(1);
        Subscription {
            rx,
            task: None,
            _idle: Some(tx),
        }
    }

    /// The next change. Waits until there is one; `None` only if the listening task
    /// ended (it does not end by itself while the subscription lives). Cancel-safe, so it
    /// may sit in a `tokio::select!`.
    pub async fn recv(&mut self) -> Option<LedgerChange> {
        self.rx.recv().await
    }

    /// The next change if one is waiting, without waiting.
    pub fn try_recv(&mut self) -> Option<LedgerChange> {
        self.rx.try_recv().ok()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Reads a trigger's payload (`{"t":"order","op":"UPDATE","id":7,"order_id":"ORD-7"}`);
/// `None` for anything else (the caller then resyncs rather than guess).
pub fn parse_payload(payload: &str) -> Option<LedgerChange> {
    #[derive(serde::Deserialize)]
    struct Payload {
        t: String,
        op: String,
        id: i64,
        order_id: Option<String>,
    }
    let p: Payload = serde_json::from_str(payload).ok()?;
    let kind = match (p.t.as_str(), p.op.as_str()) {
        ("order", "INSERT") => ChangeKind::OrderInserted,
        ("order", "UPDATE") => ChangeKind::OrderUpdated,
        ("order", "DELETE") => ChangeKind::OrderDeleted,
        ("refund", "INSERT") => ChangeKind::RefundInserted,
        ("refund", "UPDATE") => ChangeKind::RefundUpdated,
        _ => return None,
    };
    Some(LedgerChange::Changed {
        kind,
        id: p.id,
        order_id: p.order_id.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_trigger_payloads_and_nothing_else() {
        assert_eq!(
            parse_payload(r#"{"t":"order","op":"UPDATE","id":7,"order_id":"ORD-7"}"#),
            Some(LedgerChange::Changed {
                kind: ChangeKind::OrderUpdated,
                id: 7,
                order_id: "ORD-7".into()
            })
        );
        assert_eq!(
            parse_payload(r#"{"t":"refund","op":"INSERT","id":3,"order_id":null}"#),
            Some(LedgerChange::Changed {
                kind: ChangeKind::RefundInserted,
                id: 3,
                order_id: String::new()
            })
        );
        assert_eq!(
            parse_payload(r#"{"t":"refund","op":"DELETE","id":3}"#),
            None
        );
        assert_eq!(parse_payload("not json"), None);
    }

    #[tokio::test]
    async fn an_idle_subscription_waits_forever() {
        let mut sub = Subscription::idle();
        assert_eq!(sub.try_recv(), None);
        let waited = tokio::time::timeout(std::time::Duration::from_millis(20), sub.recv()).await;
        assert!(waited.is_err(), "recv must wait, not end");
    }
}
