//! The PostgreSQL side of live changes: one connection of its own that `LISTEN`s on the
//! ledger's channel and forwards the triggers' notifications (`ledger::live`).
//!
//! The connection is made like the pool's (same settings, TLS and password, from the
//! `LedgerTarget`) but outside the pool: a listening connection must be driven all the
//! time to receive anything, and must not be handed to a query in between. While it
//! listens, a heartbeat (`SELECT 1` every `HEARTBEAT`) finds a connection that died
//! without a word (a cable pulled, a server frozen). When it breaks, the task sends
//! `Interrupted` once, retries with capped, jittered back-off, and sends `Resync` once
//! listening again. A consumer that fell behind (its queue full) is owed both, in that
//! order, as soon as it makes room: a lagging desk still learns that it missed changes.

use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::{AsyncMessage, Config, Socket};

use crate::ledger::LedgerError;
use crate::ledger::live::{CHANNEL, LedgerChange, QUEUE, Subscription, parse_payload};
use crate::ledger::target::{LedgerTarget, SslMode};
use crate::ledger::tls;

/// How often a listening connection is asked `SELECT 1` to prove it is alive.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How long that answer may take before the connection counts as dead.
const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long connecting may take (when the URL sets no `connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// TCP keepalive idle time of the listening connection.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);

/// How long a subscription waits between attempts to listen again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait before the first attempt after a break; doubled after each failure.
    pub first: Duration,
    /// The longest wait between two attempts.
    pub cap: Duration,
}

impl Default for Backoff {
    /// 250 ms, doubling up to 10 s.
    fn default() -> Self {
        Backoff {
            first: Duration::from_millis(250),
            cap: Duration::from_secs(10),
        }
    }
}

/// Starts listening to `target`'s changes in a task of the current tokio runtime (panics
/// outside one, like `tokio::spawn`). Connection errors are not returned: the
/// subscription reports them as `Interrupted` and keeps trying.
pub fn subscribe(target: &LedgerTarget, backoff: Backoff) -> Subscription {
    let mut config = target.config().clone();
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config.keepalives(true).keepalives_idle(KEEPALIVE_IDLE);
    // Its own name, so an operator (and the tests) can tell the listener in
    // `pg_stat_activity`.
    let name = format!(
        "{}-live",
        config.get_application_name().unwrap_or("paydesk")
    );
    config.application_name(&name);
    let (tx, rx) = mpsc::channel(QUEUE);
    let task = tokio::spawn(run(
        config,
        target.ssl(),
        Outbox {
            tx,
            owed: Owed::default(),
        },
        backoff,
    ));
    Subscription::running(rx, task)
}

/// The consumer's end, with the memory of changes it had to drop.
struct Outbox {
    tx: mpsc::Sender<LedgerChange>,
    owed: Owed,
}

/// What the consumer is owed while its queue is full: a lagging desk must still learn
/// that live updates stopped (`Interrupted`) and that it missed changes (`Resync`).
#[derive(Debug, Default)]
struct Owed {
    /// The connection broke (the latest reason); sent before any owed `Resync`.
    interrupted: Option<String>,
    /// Changes were dropped, or a new session began: reload everything.
    resync: bool,
}

impl Owed {
    fn any(&self) -> bool {
        self.interrupted.is_some() || self.resync
    }

    /// `change` could not be queued: remember what it means.
    fn fold(&mut self, change: LedgerChange) {
        match change {
            LedgerChange::Interrupted(why) => self.interrupted = Some(why),
            _ => self.resync = true,
        }
    }

    /// The next owed message, taken.
    fn take(&mut self) -> Option<LedgerChange> {
        if let Some(why) = self.interrupted.take() {
            return Some(LedgerChange::Interrupted(why));
        }
        std::mem::take(&mut self.resync).then_some(LedgerChange::Resync)
    }
}

/// The consumer dropped its subscription.
struct Gone;

impl Outbox {
    /// Queues `change` without waiting, after whatever is owed. When the queue is full
    /// the change is folded into what is owed: an `Interrupted` is kept, anything else
    /// becomes a `Resync`.
    fn deliver(&mut self, change: LedgerChange) -> Result<(), Gone> {
        self.flush()?;
        if self.owed.any() {
            self.owed.fold(change);
            return Ok(());
        }
        match self.tx.try_send(change) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(change)) => {
                self.owed.fold(change);
                Ok(())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Err(Gone),
        }
    }

    /// Sends what is owed while there is room.
    fn flush(&mut self) -> Result<(), Gone> {
        while let Some(change) = self.owed.take() {
            match self.tx.try_send(change) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(change)) => {
                    // Back in front: an owed Interrupted goes before an owed Resync.
                    let resync = std::mem::take(&mut self.owed.resync);
                    self.owed.fold(change);
                    self.owed.resync |= resync;
                    return Ok(());
                }
                Err(mpsc::error::TrySendError::Closed(_)) => return Err(Gone),
            }
        }
        Ok(())
    }

    /// Sends one owed message through a reserved place in the queue.
    fn send_owed(&mut self, permit: mpsc::Permit<'_, LedgerChange>) {
        if let Some(change) = self.owed.take() {
            permit.send(change);
        }
    }
}

/// How one listening session ended.
enum Ended {
    /// The subscription was dropped.
    Gone,
    /// Could not connect or `LISTEN`.
    Failed(String),
    /// Listened, then the connection broke.
    Broken(String),
}

async fn run(config: Config, ssl: SslMode, mut out: Outbox, backoff: Backoff) {
    let mut delay = backoff.first;
    let mut told = false;
    loop {
        let why = match listen(&config, ssl, &mut out).await {
            Ended::Gone => return,
            Ended::Broken(why) => {
                delay = backoff.first;
                told = false;
                why
            }
            Ended::Failed(why) => why,
        };
        if !told {
            if out.deliver(LedgerChange::Interrupted(why)).is_err() {
                return;
            }
            told = true;
        }
        // While waiting, whatever is owed goes out as the consumer makes room.
        let wait = tokio::time::sleep(jittered(delay));
        tokio::pin!(wait);
        let tx = out.tx.clone();
        loop {
            tokio::select! {
                _ = &mut wait => break,
                _ = tx.closed() => return,
                permit = tx.reserve(), if out.owed.any() => match permit {
                    Ok(permit) => out.send_owed(permit),
                    Err(_) => return,
                },
            }
        }
        delay = delay.saturating_mul(2).min(backoff.cap);
    }
}

/// `delay` shortened by up to a quarter at random, so desks that lost the server together
/// do not all come back in the same instant.
fn jittered(delay: Duration) -> Duration {
    let random = uuid::Uuid::new_v4().as_u128() as u32;
    let quarter = delay / 4;
    delay - quarter.mul_f64(f64::from(random) / f64::from(u32::MAX))
}

async fn listen(config: &Config, ssl: SslMode, out: &mut Outbox) -> Ended {
    match tls::connector(ssl) {
        Ok(Some(tls)) => session(config, tls, out).await,
        Ok(None) => session(config, tokio_postgres::NoTls, out).await,
        Err(e) => Ended::Failed(LedgerError::Tls(e.to_string()).to_string()),
    }
}

/// Aborts the connection's driver when the session ends (closing the connection).
struct Driver(JoinHandle<()>);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn describe(e: &tokio_postgres::Error) -> String {
    LedgerError::from_pg(e).to_string()
}

/// One connection: connect, `LISTEN`, send `Resync`, forward until it breaks.
async fn session<T>(config: &Config, tls: T, out: &mut Outbox) -> Ended
where
    T: MakeTlsConnect<Socket> + Send + 'static,
    T::Stream: Send + 'static,
    T::TlsConnect: Send,
    <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
{
    let (client, mut connection) = match config.connect(tls).await {
        Ok(pair) => pair,
        Err(e) => return Ended::Failed(describe(&e)),
    };
    // The connection must be polled all the time (that is where notifications arrive);
    // its messages and its end come over this channel.
    let (msg_tx, mut messages) = mpsc::unbounded_channel();
    let _driver = Driver(tokio::spawn(async move {
        let mut stream = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        loop {
            let next = match stream.next().await {
                Some(Ok(message)) => Ok(message),
                Some(Err(e)) => Err(describe(&e)),
                None => Err("the server closed the connection".to_string()),
            };
            let end = next.is_err();
            if msg_tx.send(next).is_err() || end {
                return;
            }
        }
    }));
    if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
        return Ended::Failed(describe(&e));
    }
    if out.deliver(LedgerChange::Resync).is_err() {
        return Ended::Gone;
    }
    // The select's output may hold a permit; a sender of its own keeps that borrow apart
    // from `out`.
    let tx = out.tx.clone();
    let mut heartbeat =
        tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Some(Ok(AsyncMessage::Notification(n))) if n.channel() == CHANNEL => {
                    let change = parse_payload(n.payload()).unwrap_or(LedgerChange::Resync);
                    if out.deliver(change).is_err() {
                        return Ended::Gone;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(why)) => return Ended::Broken(why),
                None => return Ended::Broken("the connection's driver stopped".to_string()),
            },
            _ = heartbeat.tick() => {
                match tokio::time::timeout(HEARTBEAT_TIMEOUT, client.simple_query("SELECT 1")).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => return Ended::Broken(describe(&e)),
                    Err(_) => {
                        return Ended::Broken(format!(
                            "the ledger did not answer within {} s",
                            HEARTBEAT_TIMEOUT.as_secs()
                        ));
                    }
                }
            }
            permit = tx.reserve(), if out.owed.any() => match permit {
                Ok(permit) => out.send_owed(permit),
                Err(_) => return Ended::Gone,
            },
            _ = tx.closed() => return Ended::Gone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbox(capacity: usize) -> (Outbox, mpsc::Receiver<LedgerChange>) {
        let (tx, rx) = mpsc::channel(capacity);
        (
            Outbox {
                tx,
                owed: Owed::default(),
            },
            rx,
        )
    }

    fn drain(rx: &mut mpsc::Receiver<LedgerChange>) -> Vec<LedgerChange> {
        let mut out = Vec::new();
        while let Ok(change) = rx.try_recv() {
            out.push(change);
        }
        out
    }

    #[test]
    fn a_lagging_consumer_still_learns_it_was_interrupted_and_must_reload() {
        let (mut out, mut rx) = outbox(1);
        assert!(out.deliver(LedgerChange::Resync).is_ok());
        // The queue is full: a change is dropped, then the connection breaks.
        assert!(out.deliver(LedgerChange::Resync).is_ok());
        let why = "the server closed the connection".to_string();
        assert!(out.deliver(LedgerChange::Interrupted(why.clone())).is_ok());
        assert_eq!(drain(&mut rx), [LedgerChange::Resync]);
        // Listening again: the consumer hears of the break first, then reloads.
        assert!(out.deliver(LedgerChange::Resync).is_ok());
        assert_eq!(drain(&mut rx), [LedgerChange::Interrupted(why)]);
        assert!(out.flush().is_ok());
        assert_eq!(drain(&mut rx), [LedgerChange::Resync]);
        assert!(!out.owed.any());
    }
}
