//! The branch drill (issue 14): 10 counters at once, each a run of separate `paydesk
//! create` processes with its own config (counter name) and operator, against one
//! PostgreSQL ledger and the emulator. Afterwards the emulator holds exactly as many
//! orders as the ledger has rows, no order id twice, and every row carries the operator
//! and counter of the counter that made it.
//!
//! `cargo test` runs 10 counters × 10 orders; `PAYDESK_BRANCH_DRILL_ORDERS=100` (as
//! `benches/branch.sh` sets) runs the full 10 × 100 = 1,000. Skips without
//! `PAYDESK_TEST_PG_URL` (see `ledger_support`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use paydesk::emulator::{Emulator, EmulatorConfig};
use paydesk::history::{Outcome, Query};
use paydesk::ledger::PgLedger;

mod common;
#[path = "common/ledger_cmd.rs"]
mod ledger_cmd;
#[path = "ledger_support/mod.rs"]
mod support;

const GENERIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/generic.json");
const COUNTERS: usize = 10;

/// Orders per counter: `PAYDESK_BRANCH_DRILL_ORDERS`, else 10.
fn orders_per_counter() -> usize {
    std::env::var("PAYDESK_BRANCH_DRILL_ORDERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10)
}

/// One counter's home: its config names the counter.
fn counter_home(n: usize) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("home");
    std::fs::write(
        home.path().join("paydesk.toml"),
        format!("counter = \"counter-{n}\"\n"),
    )
    .expect("config");
    home
}

/// One `paydesk create` at counter `n` by its operator; the exit code and stderr.
fn create(home: &Path, emulator: &Emulator, url: &str, n: usize, order_id: &str) -> (i32, String) {
    let output = ledger_cmd::paydesk_on_ledger(home, emulator.base_url(), url)
        .timeout(Duration::from_secs(60))
        .arg("--config")
        .arg(home.join("paydesk.toml"))
        .args(["--operator", &format!("clerk-{n}")])
        .args(["create", "--from", GENERIC, "--set"])
        .arg(format!("order_id={order_id}"))
        .output()
        .expect("run paydesk");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn ten_counters_one_ledger_every_order_once_with_its_operator_and_counter() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    let Some(db) = runtime.block_on(support::pg_db()) else {
        return;
    };
    let per_counter = orders_per_counter();
    let started = Instant::now();
    // Each counter is a thread running its processes one after another, as a clerk would.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let counters: Vec<_> = (0..COUNTERS)
            .map(|n| {
                let (emulator, url) = (&emulator, db.url.as_str());
                scope.spawn(move || {
                    let home = counter_home(n);
                    let mut failures = Vec::new();
                    for i in 0..per_counter {
                        let order_id = format!("BR{n:02}X{i:04}");
                        let (code, stderr) = create(home.path(), emulator, url, n, &order_id);
                        if code != 0 {
                            failures.push(format!("{order_id}: exit {code}: {stderr}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        counters
            .into_iter()
            .flat_map(|c| c.join().expect("counter thread"))
            .collect()
    });
    let elapsed = started.elapsed();
    assert!(failures.is_empty(), "{failures:#?}");

    let total = COUNTERS * per_counter;
    let ledger = runtime
        .block_on(PgLedger::connect(&db.target))
        .expect("ledger");
    let query = Query {
        limit: total + 10,
        ..Query::default()
    };
    let rows = runtime.block_on(ledger.window(&query)).expect("rows");
    assert_eq!(rows.len(), total, "one row per order");
    assert_eq!(emulator.order_count(), total, "one order at Juspay per row");
    let ids: BTreeSet<&str> = rows.iter().map(|r| r.order_id.as_str()).collect();
    assert_eq!(ids.len(), total, "no order id twice");
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        assert_eq!(row.outcome, Outcome::Created, "{row:?}");
        // BRnnX…: made at counter nn.
        let n: usize = row.order_id[2..4].parse().expect("counter in the order id");
        assert_eq!(row.counter, format!("counter-{n}"), "{}", row.order_id);
        assert_eq!(row.operator, format!("clerk-{n}"), "{}", row.order_id);
        *per.entry(row.counter.clone()).or_default() += 1;
    }
    assert!(per.values().all(|&c| c == per_counter), "{per:?}");
    println!(
        "branch drill: {COUNTERS} counters × {per_counter} orders = {total} rows in {:.1} s \
         ({:.0} orders/s), 0 duplicates",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    runtime.block_on(db.finish());
}
