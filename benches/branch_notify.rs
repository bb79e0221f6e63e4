//! How fast a change made at one counter reaches every other desk: notification latency
//! from `WRITERS` writer connections to `LISTENERS` subscriptions over `CHANGES` changes
//! (half new orders, half status changes), each writer writing as fast as it can.
//!
//! Needs `PAYDESK_TEST_PG_URL` (a role that may create databases; the bench makes its own
//! and drops it). `benches/branch.sh` starts a server and runs it. Latency is measured in
//! this one process, from just before the writer's call to the listener receiving the
//! change, so it includes the write's own round trip and commit.
//!
//! ```sh
//! source .ci/postgres-start && cargo bench --bench branch_notify
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use paydesk::history::{CreatedOrder, NewOrder, Outcome};
use paydesk::ledger::live::{ChangeKind, LedgerChange};
use paydesk::ledger::{Ledger, PgLedger};
use paydesk::orders::state::{Evidence, decide};

#[path = "../tests/ledger_support/mod.rs"]
mod support;

const WRITERS: usize = 10;
const LISTENERS: usize = 10;
const CHANGES: usize = 1_000;
/// How long the whole run may take before it counts as failed.
const GUARD: Duration = Duration::from_secs(120);

type Sent = Arc<Mutex<HashMap<(String, ChangeKind), Instant>>>;

fn order(order_id: &str) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "localhost".into(),
        merchant_id: "m1".into(),
        profile: "p".into(),
        order_id: order_id.into(),
        request_id: format!("req-{order_id}"),
        amount: "101.00".into(),
        currency: "INR".into(),
        customer_id: "c".into(),
        customer_name: "Meera Rao".into(),
        customer_phone: "9876500001".into(),
        customer_email: "meera@example.in".into(),
        request_body: "{}".into(),
        routing_id: "c".into(),
        owner: None,
        lease: Duration::from_secs(45),
        operator: "Asha".into(),
        counter: "bench".into(),
    }
}

fn mark(sent: &Sent, order_id: &str, kind: ChangeKind) {
    if let Ok(mut sent) = sent.lock() {
        sent.insert((order_id.to_string(), kind), Instant::now());
    }
}

/// One writer: `n / 2` orders, each inserted then moved to `created`.
async fn write(ledger: Ledger, w: usize, n: usize, sent: Sent) -> Result<(), String> {
    for i in 0..n / 2 {
        let order_id = format!("W{w:02}-{i:04}");
        mark(&sent, &order_id, ChangeKind::OrderInserted);
        let id = ledger
            .insert_sending(&order(&order_id))
            .await
            .map_err(|e| e.to_string())?;
        let created = decide(
            Outcome::Sending,
            Evidence::OrderSeen(CreatedOrder {
                juspay_id: Some(format!("jp_{order_id}")),
                payment_link: None,
                link_expiry: None,
                status: Some("NEW".into()),
                response_body: None,
            }),
        );
        mark(&sent, &order_id, ChangeKind::OrderUpdated);
        ledger
            .apply(id, &created, None)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let Some(db) = support::pg_db().await else {
        return;
    };
    let connect = || async {
        PgLedger::connect(&db.target)
            .await
            .map(Ledger::Postgres)
            .unwrap_or_else(|e| panic!("ledger connect: {e}"))
    };
    let sent: Sent = Arc::default();

    let mut listeners = Vec::new();
    for _ in 0..LISTENERS {
        let ledger = connect().await;
        let mut sub = ledger.subscribe();
        match tokio::time::timeout(GUARD, sub.recv()).await {
            Ok(Some(LedgerChange::Resync)) => {}
            other => panic!("listener did not start: {other:?}"),
        }
        let sent = sent.clone();
        listeners.push(tokio::spawn(async move {
            let _keep = ledger;
            let mut latencies = Vec::with_capacity(CHANGES);
            let mut resyncs = 0;
            while latencies.len() < CHANGES {
                match sub.recv().await {
                    Some(LedgerChange::Changed { kind, order_id, .. }) => {
                        let at = Instant::now();
                        let start = sent
                            .lock()
                            .ok()
                            .and_then(|s| s.get(&(order_id, kind)).copied());
                        if let Some(start) = start {
                            latencies.push(at.duration_since(start));
                        }
                    }
                    Some(LedgerChange::Resync | LedgerChange::Interrupted(_)) => resyncs += 1,
                    None => break,
                }
            }
            (latencies, resyncs)
        }));
    }

    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let ledger = connect().await;
        writers.push(tokio::spawn(write(
            ledger,
            w,
            CHANGES / WRITERS,
            sent.clone(),
        )));
    }
    for writer in writers {
        match writer.await {
            Ok(Ok(())) => {}
            other => panic!("writer failed: {other:?}"),
        }
    }
    let written = started.elapsed();

    let mut all = Vec::new();
    let mut resyncs = 0;
    for listener in listeners {
        match tokio::time::timeout(GUARD, listener).await {
            Ok(Ok((latencies, r))) => {
                assert_eq!(latencies.len(), CHANGES, "a listener missed changes");
                all.extend(latencies);
                resyncs += r;
            }
            other => panic!("listener failed: {other:?}"),
        }
    }
    all.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    let p95 = percentile(&all, 95.0);
    println!(
        "branch_notify: {WRITERS} writers, {LISTENERS} listeners, {CHANGES} changes written \
         in {:.0} ms ({:.0}/s); {} deliveries, {resyncs} resyncs",
        ms(written),
        CHANGES as f64 / written.as_secs_f64(),
        all.len()
    );
    println!(
        "notification latency: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms \
         (target p95 <= 1000 ms)",
        ms(percentile(&all, 50.0)),
        ms(p95),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default())
    );
    db.finish().await;
    assert!(p95 <= Duration::from_secs(1), "p95 above 1 s");
}
