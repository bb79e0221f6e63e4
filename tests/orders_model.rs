//! Model-based property test of order truth (issue 10), written on proptest: random
//! interleavings of sends, answers, timeouts, kills, late commits, Order Status answers
//! (found, Juspay's not-found, plain 404, 5xx, dropped connection), a second
//! process with a shorter timeout, restarts and the passing of time, against the
//! in-process emulator and one history. Processes are modelled: each has its own owner
//! token, pid, client timeout and liveness; the clock is moved, never waited for.
//!
//! After every step:
//! 1. every order the emulator holds has a row;
//! 2. no row is `not_created` while the emulator holds (or will still commit) its order;
//! 3. a start's re-check takes every open row (none skipped), and reports `InFlight` only
//!    for a row whose sender is alive and within its lease;
//! 4. no step by one process moves a `sending` row whose owner is alive, still waiting
//!    for its answer and within its lease.
//!
//! 256 cases in `cargo test`; `benches/fuzz.sh` runs 10,000 (`PROPTEST_CASES`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use paydesk::emulator::{DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID, Emulator, Fault};
use paydesk::history::{OrderRow, Outcome, Owner, Store};
use paydesk::juspay::{ApiError, Client, ClientConfig, SessionResponse};
use paydesk::orders::send::{self, LEASE_MARGIN, Started};
use paydesk::orders::{Checker, OrderContext, Recheck, Reconciled, recheck};
use paydesk::secret::ApiKey;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Request timeouts of the three process slots: slot 1 is the short-timeout process.
const TIMEOUTS: [u64; 3] = [30, 5, 60];

#[derive(Debug, Clone, Copy)]
enum Server {
    /// Committed and answered 200.
    Answer,
    /// Committed, connection dropped before the answer (like a timeout).
    NoAnswer,
    /// Answered 200 first, committed later.
    AnswerThenCommit,
    /// Connection dropped first, committed later.
    NoAnswerThenCommit,
    /// Never reached the server (connection refused).
    NeverReached,
    /// Rejected with a 400.
    Rejected,
}

#[derive(Debug, Clone, Copy)]
enum StatusAnswer {
    Normal,
    Plain404,
    Html500,
    Drop,
}

#[derive(Debug, Clone)]
enum Op {
    /// Slot writes its row and sends a new order (it waits for the answer until `Finish`).
    Start(usize, Server),
    /// Slot receives and records the answer of its send.
    Finish(usize),
    /// Slot's process dies (its unanswered send is never recorded).
    Kill(usize),
    /// A new process starts in the slot and runs the start-up re-check.
    Restart(usize),
    /// A running process re-checks open rows, Order Status answering this way.
    Check(usize, StatusAnswer),
    /// The server commits every held-back order now.
    CommitLate,
    /// Time passes (seconds); held-back orders commit by their deadline.
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    let slot = 0usize..3;
    let server = prop_oneof![
        Just(Server::Answer),
        Just(Server::NoAnswer),
        Just(Server::AnswerThenCommit),
        Just(Server::NoAnswerThenCommit),
        Just(Server::NeverReached),
        Just(Server::Rejected),
    ];
    let status = prop_oneof![
        Just(StatusAnswer::Normal),
        Just(StatusAnswer::Plain404),
        Just(StatusAnswer::Html500),
        Just(StatusAnswer::Drop),
    ];
    prop_oneof![
        3 => (slot.clone(), server).prop_map(|(p, s)| Op::Start(p, s)),
        3 => slot.clone().prop_map(Op::Finish),
        1 => slot.clone().prop_map(Op::Kill),
        2 => slot.clone().prop_map(Op::Restart),
        3 => (slot, status).prop_map(|(p, s)| Op::Check(p, s)),
        1 => Just(Op::CommitLate),
        2 => prop_oneof![1u64..10, 10u64..200, 200u64..400].prop_map(Op::Advance),
    ]
}

/// A send waiting for its answer: row, request, answer, model time it left.
type Waiting = (
    Started,
    Map<String, Value>,
    Result<SessionResponse, ApiError>,
    i64,
);

struct Proc {
    checker: Checker,
    alive: Arc<AtomicBool>,
    client: Client,
    /// The send waiting for its answer: row, request, answer, model time it left.
    waiting: Option<Waiting>,
}

struct World {
    emulator: Emulator,
    _dir: tempfile::TempDir,
    /// A second connection to the history, to age its times when the clock moves.
    raw: rusqlite::Connection,
    store: Store,
    ctx: OrderContext,
    /// Model seconds passed. The history's own times are aged by as much when the clock
    /// moves (`age`), so every process reads the real clock.
    offset: Arc<AtomicI64>,
    /// Pids of live processes.
    alive: Arc<std::sync::Mutex<BTreeSet<u32>>>,
    procs: Vec<Proc>,
    next_pid: u32,
    next_order: usize,
    /// Orders answered but held back by the server: order id -> commit deadline (model s).
    pending: BTreeMap<String, i64>,
}

fn client(base: &str, timeout: u64) -> Client {
    let mut config = ClientConfig::new(base, DEMO_MERCHANT_ID, ApiKey::new(DEMO_API_KEY));
    config.request_timeout = Duration::from_secs(timeout);
    config.connect_timeout = Duration::from_secs(2);
    Client::new(config).expect("client")
}

fn body(order_id: &str, amount: &str) -> Map<String, Value> {
    let value = json!({
        "order_id": order_id, "amount": amount, "currency": "INR",
        "customer_id": "CUST1", "customer_email": "meera@example.com",
        "customer_phone": "9876543210", "customer_first_name": "Meera",
        "payment_page_client_id": DEMO_CLIENT_ID, "action": "paymentPage",
        "return_url": "https://shop.example.com/done"
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl World {
    async fn new() -> World {
        let emulator = Emulator::start(Default::default()).await.expect("emulator");
        // On tmpfs when there is one: every step writes, and fsyncs would dominate.
        let dir = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .expect("temp dir");
        let path = dir.path().join("history.db");
        let store = Store::open(&path).expect("store");
        let raw = rusqlite::Connection::open(&path).expect("raw");
        raw.busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        let ctx = OrderContext::new("custom", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
        let mut world = World {
            emulator,
            _dir: dir,
            raw,
            store,
            ctx,
            offset: Arc::new(AtomicI64::new(0)),
            alive: Arc::default(),
            procs: Vec::new(),
            next_pid: 100,
            next_order: 0,
            pending: BTreeMap::new(),
        };
        for slot in 0..3 {
            let proc = world.spawn(slot);
            world.procs.push(proc);
        }
        world
    }

    fn now(&self) -> i64 {
        self.offset.load(Ordering::SeqCst)
    }

    /// A new process for `slot`: new token and pid, the model clock and liveness.
    fn spawn(&mut self, slot: usize) -> Proc {
        self.next_pid += 1;
        let pid = self.next_pid;
        self.alive.lock().expect("alive").insert(pid);
        let alive = self.alive.clone();
        let checker = Checker {
            me: Owner {
                token: format!("proc-{pid}"),
                pid,
                host: "model-host".into(),
            },
            now: Arc::new(time::OffsetDateTime::now_utc),
            pid_alive: Arc::new(move |pid| Some(alive.lock().expect("alive").contains(&pid))),
        };
        Proc {
            checker,
            alive: Arc::new(AtomicBool::new(true)),
            client: client(self.emulator.base_url(), TIMEOUTS[slot]),
            waiting: None,
        }
    }

    fn kill(&mut self, slot: usize) {
        let proc = &mut self.procs[slot];
        proc.alive.store(false, Ordering::SeqCst);
        proc.waiting = None;
        self.alive
            .lock()
            .expect("alive")
            .remove(&proc.checker.me.pid);
    }

    fn rows(&self) -> Vec<OrderRow> {
        self.store
            .window(&paydesk::history::Query {
                limit: 10_000,
                ..Default::default()
            })
            .expect("rows")
    }

    /// `secs` pass: every stored time moves that far into the past.
    fn age(&mut self, secs: i64) {
        let shift = format!("-{secs} seconds");
        for column in ["created_at", "sent_at", "lease_until"] {
            self.raw
                .execute(
                    &format!(
                        "UPDATE orders SET {column} = strftime('%Y-%m-%dT%H:%M:%fZ', {column}, ?1) \
                         WHERE {column} IS NOT NULL"
                    ),
                    [&shift],
                )
                .expect("age the history");
        }
        self.offset.fetch_add(secs, Ordering::SeqCst);
    }

    fn commit_due(&mut self, until: i64) {
        let due: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, deadline)| **deadline <= until)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            self.emulator.commit_pending(Some(&id));
            self.pending.remove(&id);
        }
    }

    async fn start(&mut self, slot: usize, server: Server) {
        let proc = &self.procs[slot];
        if !proc.alive.load(Ordering::SeqCst) || proc.waiting.is_some() {
            return;
        }
        self.next_order += 1;
        let order_id = format!("M{:04}", self.next_order);
        let amount = if matches!(server, Server::Rejected) {
            "-5"
        } else {
            "100.00"
        };
        let body = body(&order_id, amount);
        let started = send::start(
            Some(&self.store),
            &proc.client,
            &self.ctx,
            &body,
            &proc.checker,
        )
        .await
        .expect("row before send");
        let (fault, later) = match server {
            Server::Answer | Server::Rejected | Server::NeverReached => (None, false),
            Server::NoAnswer => (Some(Fault::DropConnection), false),
            Server::AnswerThenCommit => (None, true),
            Server::NoAnswerThenCommit => (Some(Fault::DropConnection), true),
        };
        let result = if matches!(server, Server::NeverReached) {
            // What the client answers when no connection opens (its own retries included);
            // the drills run the real thing.
            Err(ApiError::Network("connection refused".into()))
        } else {
            self.emulator.set_fault(fault);
            self.emulator
                .set_commit_delay(later.then_some(Duration::from_secs(3600)));
            let result = proc.client.create_session(&body, &started.request_id).await;
            self.emulator.set_fault(None);
            self.emulator.set_commit_delay(None);
            result
        };
        let now = self.now();
        if later {
            // The server commits while the send may still land: before the lease ends.
            let deadline = now + (TIMEOUTS[slot] + LEASE_MARGIN.as_secs() / 2) as i64;
            self.pending.insert(order_id, deadline);
        }
        self.procs[slot].waiting = Some((started, body, result, now));
    }

    async fn finish(&mut self, slot: usize) {
        let Some((started, body, result, _)) = self.procs[slot].waiting.take() else {
            return;
        };
        let client = self.procs[slot].client.clone();
        let submitted = send::finish(Some(&self.store), &client, started, &body, result).await;
        assert!(submitted.record_error.is_none(), "{submitted:?}");
    }

    /// Runs the one re-check as `slot` would, with Order Status answering `answer`;
    /// checks invariant 3 on its report.
    async fn check(&mut self, slot: usize, answer: StatusAnswer) {
        let proc = &self.procs[slot];
        if !proc.alive.load(Ordering::SeqCst) {
            return;
        }
        let client = proc.client.clone();
        match answer {
            StatusAnswer::Plain404 => self.emulator.set_plain_404_prefix(Some("/orders")),
            StatusAnswer::Html500 => self.emulator.set_fault(Some(Fault::Html500)),
            StatusAnswer::Drop => self.emulator.set_fault(Some(Fault::DropConnection)),
            StatusAnswer::Normal => {}
        }
        let open_before: BTreeSet<i64> = self
            .rows()
            .iter()
            .filter(|r| r.outcome.is_open())
            .map(|r| r.id)
            .collect();
        let checker = proc.checker.clone();
        let report = recheck(&self.store, &client, &self.ctx, &checker, Recheck::Open)
            .await
            .expect("recheck");
        self.emulator.set_plain_404_prefix(None);
        self.emulator.set_fault(None);
        let taken: BTreeSet<i64> = report.iter().map(|(r, _)| r.id).collect();
        assert_eq!(taken, open_before, "every open row is taken by a re-check");
        for (row, found) in &report {
            if matches!(found, Reconciled::InFlight) {
                let owner = row
                    .send
                    .owner
                    .as_ref()
                    .expect("in flight rows have an owner");
                let live = self.alive.lock().expect("alive").contains(&owner.pid);
                assert!(live, "InFlight only for a live sender: {row:?}");
                assert!(checker.in_flight(row));
            }
        }
    }

    /// Rows that a live, waiting sender owns within its lease: nobody else may move them.
    fn protected(&self) -> BTreeMap<i64, usize> {
        let now = self.now();
        let mut out = BTreeMap::new();
        for (slot, proc) in self.procs.iter().enumerate() {
            if let Some((started, _, _, sent)) = &proc.waiting {
                let within = now - sent < (TIMEOUTS[slot] + LEASE_MARGIN.as_secs()) as i64 - 1;
                if let (Some(id), true) = (started.history_id, within) {
                    out.insert(id, slot);
                }
            }
        }
        out
    }

    fn check_invariants(
        &self,
        before: &[OrderRow],
        protected: &BTreeMap<i64, usize>,
        actor: Option<usize>,
    ) {
        let rows = self.rows();
        let by_order: BTreeMap<&str, &OrderRow> =
            rows.iter().map(|r| (r.order_id.as_str(), r)).collect();
        for n in 1..=self.next_order {
            let order_id = format!("M{n:04}");
            if self.emulator.order_status(&order_id).is_some() {
                // 1. Every order the emulator holds has a row.
                let row = by_order.get(order_id.as_str());
                assert!(row.is_some(), "{order_id} held by Juspay without a row");
            }
        }
        for row in &rows {
            if row.outcome == Outcome::NotCreated {
                // 2. "Not created" only for orders the server does not and will not hold.
                assert!(
                    self.emulator.order_status(&row.order_id).is_none()
                        && !self.pending.contains_key(&row.order_id),
                    "not created while Juspay holds it: {row:?}"
                );
            }
        }
        // 4. Nobody but the owner moved a protected `sending` row.
        for old in before.iter().filter(|r| r.outcome == Outcome::Sending) {
            if let Some(owner_slot) = protected.get(&old.id)
                && actor != Some(*owner_slot)
            {
                let now = rows.iter().find(|r| r.id == old.id).expect("row kept");
                assert_eq!(
                    now.outcome,
                    Outcome::Sending,
                    "moved under a live sender: {now:?}"
                );
            }
        }
    }

    async fn step(&mut self, op: &Op) {
        let before = self.rows();
        let protected = self.protected();
        let actor = match op {
            Op::Start(slot, server) => {
                self.start(*slot, *server).await;
                Some(*slot)
            }
            Op::Finish(slot) => {
                self.finish(*slot).await;
                Some(*slot)
            }
            Op::Kill(slot) => {
                self.kill(*slot);
                None
            }
            Op::Restart(slot) => {
                self.kill(*slot);
                let proc = self.spawn(*slot);
                self.procs[*slot] = proc;
                self.check(*slot, StatusAnswer::Normal).await;
                Some(*slot)
            }
            Op::Check(slot, answer) => {
                self.check(*slot, *answer).await;
                Some(*slot)
            }
            Op::CommitLate => {
                self.emulator.commit_pending(None);
                self.pending.clear();
                None
            }
            Op::Advance(secs) => {
                let until = self.now() + *secs as i64;
                self.commit_due(until);
                self.age(*secs as i64);
                None
            }
        };
        self.check_invariants(&before, &protected, actor);
    }
}

proptest! {
    #[test]
    fn no_timing_404_or_second_process_fools_the_history(ops in proptest::collection::vec(op(), 1..24)) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let mut world = World::new().await;
            for op in &ops {
                world.step(op).await;
            }
            // A final start with Juspay reachable: every open row whose send can no longer
            // land settles, and none stays `not_created` while Juspay holds its order.
            world.commit_due(i64::MAX);
            world.age(100_000);
            for slot in 0..3 {
                world.kill(slot);
            }
            let proc = world.spawn(0);
            world.procs[0] = proc;
            world.check(0, StatusAnswer::Normal).await;
            world.check_invariants(&[], &BTreeMap::new(), Some(0));
            for row in world.rows() {
                assert!(!row.outcome.is_open(), "still open after the final start: {row:?}");
            }
        });
    }
}
