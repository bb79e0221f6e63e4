//! Fills a history database with realistic orders, for the start-up figures with a large
//! history (`benches/startup.sh`).
//!
//! ```text
//! seed_history [--rows N] [--db PATH]
//! ```
//! Without `--db` the rows go to the history database paydesk itself would open, found
//! from HOME / XDG_DATA_HOME — so point those at a temporary directory first. The rows are
//! inserted through `paydesk::history::Store` (so the search tables are filled as in real
//! use), as demo orders with travel-sized request bodies; then most are marked created with
//! a mix of statuses, 1 in 50 rejected, and their times spread over the last 100 days.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use paydesk::history::{NewOrder, Store};
use paydesk::paths::Paths;

const FIRST: &[&str] = &[
    "Asha", "Ravi", "Meera", "Arjun", "Priya", "Vikram", "Sneha", "Rahul", "Anita", "Karthik",
    "Divya", "Suresh", "Lakshmi", "Manoj", "Pooja", "Ganesh",
];
const LAST: &[&str] = &[
    "Rao", "Kumar", "Iyer", "Sharma", "Patel", "Reddy", "Nair", "Singh", "Das", "Menon", "Gupta",
    "Joshi",
];
const ROUTES: &[(&str, &str)] = &[
    ("Bangalore", "Mangalore"),
    ("Chennai", "Madurai"),
    ("Mumbai", "Pune"),
    ("Delhi", "Jaipur"),
    ("Hyderabad", "Vijayawada"),
];

fn order(n: usize) -> NewOrder {
    let first = FIRST.get(n % FIRST.len()).copied().unwrap_or("Asha");
    let last = LAST
        .get((n / FIRST.len()) % LAST.len())
        .copied()
        .unwrap_or("Rao");
    let (from, to) = ROUTES
        .get(n % ROUTES.len())
        .copied()
        .unwrap_or(("Bangalore", "Mangalore"));
    let order_id = format!("PD2026{n:07}");
    let amount = format!("{}.00", 500 + (n * 37) % 50_000);
    let customer_id = format!("CUST{}", n % 7_000);
    let phone = format!("9{:09}", (n as u64 * 7_919) % 1_000_000_000);
    let email = format!(
        "{}.{}{}@example.com",
        first.to_lowercase(),
        last.to_lowercase(),
        n % 97
    );
    let body = serde_json::json!({
        "order_id": order_id,
        "amount": amount,
        "currency": "INR",
        "customer_id": customer_id,
        "customer_email": email,
        "customer_phone": phone,
        "customer_first_name": first,
        "customer_last_name": last,
        "payment_page_client_id": "paydesk_demo",
        "action": "paymentPage",
        "return_url": "https://shop.example.com/return",
        "description": format!("{from} to {to}, 2 passengers, return"),
        "metadata.origin": from,
        "metadata.destination": to,
        "metadata.travel_start_date": "01-Dec-2026",
        "metadata.travel_end_date": "05-Dec-2026",
        "udf1": "desk-3",
    });
    NewOrder {
        environment: "demo".into(),
        base_host: "127.0.0.1".into(),
        merchant_id: "paydesk_demo".into(),
        profile: "travel".into(),
        request_id: format!("{n:032x}"),
        amount,
        currency: "INR".into(),
        customer_id,
        customer_name: format!("{first} {last}"),
        customer_phone: phone,
        customer_email: email,
        request_body: body.to_string(),
        order_id,
        ..NewOrder::default()
    }
}

fn parse_args() -> Result<(usize, Option<PathBuf>), String> {
    let mut rows = 100_000;
    let mut db = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rows" => {
                rows = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--rows needs a number")?;
            }
            "--db" => db = Some(PathBuf::from(args.next().ok_or("--db needs a path")?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((rows, db))
}

fn run() -> Result<(), String> {
    let (rows, db) = parse_args()?;
    let path = match db {
        Some(p) => p,
        None => Paths::discover(None)?.history_db(),
    };
    let started = Instant::now();
    let store = Store::open(&path).map_err(|e| e.to_string())?;
    let all: Vec<usize> = (0..rows).collect();
    for chunk in all.chunks(5_000) {
        let orders: Vec<NewOrder> = chunk.iter().map(|&n| order(n)).collect();
        store.insert_many(&orders).map_err(|e| e.to_string())?;
    }
    drop(store);
    // Outcomes as the desk would have recorded them; times one every ~86 s going back from
    // now, so the newest row is the last inserted.
    let conn = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
    conn.execute_batch(&format!(
        "UPDATE orders SET
             created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (({rows} - id) * 86) || ' seconds'),
             outcome = 'created', juspay_id = 'ordv2_' || lower(hex(randomblob(16))),
             payment_link = 'https://sandbox.assets.juspay.in/payment-page/order/ordv2_' || id,
             link_expiry = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+15 minutes'),
             status = CASE id % 10 WHEN 0 THEN 'NEW' WHEN 1 THEN 'PENDING_VBV'
                      WHEN 2 THEN 'AUTHORIZATION_FAILED' ELSE 'CHARGED' END,
             status_checked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
             response_body = '{{\"status\":\"NEW\",\"id\":\"ordv2_' || id || '\"}}'
         WHERE id % 50 <> 0;
         UPDATE orders SET outcome = 'rejected', error = 'Juspay rejected the request',
             created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (({rows} - id) * 86) || ' seconds')
         WHERE id % 50 = 0;
         ANALYZE;
         PRAGMA wal_checkpoint(TRUNCATE);"
    ))
    .map_err(|e| e.to_string())?;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "seeded {rows} orders into {} ({:.1} MiB) in {:.1} s",
        path.display(),
        size as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seed_history: {e}");
            ExitCode::FAILURE
        }
    }
}
