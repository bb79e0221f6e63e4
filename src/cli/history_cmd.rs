//! `paydesk history …`: list, show, export, forget and refresh orders in the history.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;
use time::{PrimitiveDateTime, UtcOffset};

use super::context::Context;
use super::{GlobalArgs, HistoryArgs, HistoryCmd, exit, output};
use crate::history::status_filter::StatusFilter;
use crate::history::store::Actor;
use crate::history::{OrderEvent, OrderRow, Outcome, Query, RefundRow};
use crate::juspay::{ApiError, Client};
use crate::ledger::{Ledger, LedgerError};
use crate::orders::{self, OrderContext, Reconciled};

/// Open orders of other places listed (not checked) by `history refresh`, at most.
const REFRESH_MAX: usize = 500;

pub fn run(global: &GlobalArgs, args: &HistoryArgs) -> ExitCode {
    // Only refresh talks to Juspay; the rest must not run a password manager's api_key_cmd.
    let ctx = match args.command {
        Some(HistoryCmd::Refresh { .. }) => Context::load(global),
        _ => Context::load_without_key(global),
    };
    if let Some(code) = super::config_problems(&ctx.settings) {
        return code;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(exit::OTHER, &e.to_string()),
    };
    // The branch ledger when one is set up, else this desk's SQLite history.
    let actor = Actor::new(ctx.settings.operator.clone());
    let store = match runtime.block_on(crate::ledger::open::open(&ctx.settings, actor)) {
        Ok(store) => store,
        Err(e) => return fail(e.exit_code(), &e.to_string()),
    };
    runtime.block_on(async {
        match &args.command {
            None => list(&store, args, ctx.settings.flags.operator.as_deref()).await,
            Some(HistoryCmd::Show { order_id, qr, json }) => {
                show(&store, order_id, *qr, *json).await
            }
            Some(HistoryCmd::Export { csv, force }) => export(&store, csv, *force).await,
            Some(HistoryCmd::Forget { order_id, yes }) => forget(&store, order_id, *yes).await,
            Some(HistoryCmd::Refresh { open }) => refresh(&ctx, &store, *open).await,
        }
    })
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("paydesk: {message}");
    ExitCode::from(code)
}

/// A ledger error as the command's failure (unreachable → the network code).
fn failed(e: &LedgerError) -> ExitCode {
    fail(e.exit_code(), &e.to_string())
}

/// `--status` takes what the desk shows (`paid`, `failed`), a Juspay status (`CHARGED`,
/// `NEW`, …) or one of our outcomes (`sending`, `created`, `rejected`, `unknown`), in any
/// case. `operator` is the global `--operator` flag: for `history` it filters (the
/// config's operator and `PAYDESK_OPERATOR` do not). Errors: an unknown word, with the
/// list of valid ones; a counter name that cannot be one.
fn list_query(args: &HistoryArgs, operator: Option<&str>) -> Result<Query, String> {
    let counter = match args.counter.as_deref() {
        Some(raw) => Some(crate::operator::check_name("counter", raw)?),
        None => None,
    };
    let mut query = Query {
        search: args.search.clone().filter(|s| !s.trim().is_empty()),
        limit: args.limit,
        operator: operator.map(|o| o.trim().to_string()),
        counter,
        ..Query::default()
    };
    if let Some(word) = args.status.as_deref() {
        StatusFilter::parse(word)?.apply(&mut query);
    }
    Ok(query)
}

async fn list(store: &Ledger, args: &HistoryArgs, operator: Option<&str>) -> ExitCode {
    if args.limit == 0 {
        return fail(exit::INVALID, "--limit must be at least 1");
    }
    let query = match list_query(args, operator) {
        Ok(query) => query,
        Err(message) => return fail(exit::INVALID, &message),
    };
    // A search or filter is counted up to COUNT_CAP past the rows shown ("1050+").
    let cap = (args.limit as u64).saturating_add(crate::history::COUNT_CAP);
    let found = async {
        Ok::<_, LedgerError>((
            store.window(&query).await?,
            store.count_upto(&query, cap).await?,
        ))
    };
    let (rows, total) = match found.await {
        Ok(found) => found,
        Err(e) => return failed(&e),
    };
    if args.json {
        let list: Vec<Value> = rows.iter().map(listed_json).collect();
        output::json_line_out(&Value::Array(list));
        return ExitCode::from(exit::OK);
    }
    let filtered = query.search.is_some()
        || query.status.is_some()
        || !query.statuses.is_empty()
        || query.outcome.is_some()
        || query.refunded.is_some()
        || query.operator.is_some()
        || query.counter.is_some();
    if rows.is_empty() {
        println!(
            "{}",
            if filtered {
                "No orders match."
            } else {
                "No orders in the history yet."
            }
        );
        return ExitCode::from(exit::OK);
    }
    let offset = local_offset();
    print!("{}", table(&rows, offset));
    if total.more() || total.known() > rows.len() as u64 {
        println!(
            "\nShowing the newest {} of {total} orders. Use --limit N to see more, \
             `paydesk history show ORDER_ID` for one in full.",
            rows.len()
        );
    }
    ExitCode::from(exit::OK)
}

/// One row for `--json`: every column except the request and response bodies (see
/// `history show` for those).
fn listed_json(row: &OrderRow) -> Value {
    let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("request_body");
        map.remove("response_body");
    }
    value
}

/// The local UTC offset, or UTC when it cannot be known (times are then marked UTC).
fn local_offset() -> Option<UtcOffset> {
    UtcOffset::current_local_offset().ok()
}

/// A stored time (`2026-11-25T15:02:33.123Z`) as `2026-11-25 20:32` local time, or
/// `2026-11-25 15:02 UTC` when the local offset is unknown.
fn display_time(stored: &str, offset: Option<UtcOffset>) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]Z"
    );
    let shown = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let Ok(at) = PrimitiveDateTime::parse(stored, &format) else {
        return stored.to_string();
    };
    let at = at.assume_utc();
    match offset {
        Some(offset) => at.to_offset(offset).format(&shown).unwrap_or_default(),
        None => format!("{} UTC", at.format(&shown).unwrap_or_default()),
    }
}

/// What the status column says: Juspay's status once created, else our outcome.
fn status_label(row: &OrderRow) -> String {
    match row.outcome {
        Outcome::Created => row.status.clone().unwrap_or_else(|| "created".into()),
        other => other.as_str().replace('_', " "),
    }
}

/// `text` cut to `max` terminal cells, marking the cut with `…`.
fn clip(text: &str, max: usize) -> String {
    crate::text::fit(text, max).into_owned()
}

/// A plain table: a header line and one line per row, columns padded to fit.
fn table(rows: &[OrderRow], offset: Option<UtcOffset>) -> String {
    let created = if offset.is_some() {
        "CREATED"
    } else {
        "CREATED (UTC)"
    };
    let header = [
        created, "ORDER ID", "AMOUNT", "STATUS", "CUSTOMER", "PHONE", "ENV", "OPERATOR", "COUNTER",
    ];
    let lines: Vec<[String; 9]> = rows
        .iter()
        .map(|r| {
            let when = display_time(&r.created_at, offset);
            [
                when.trim_end_matches(" UTC").to_string(),
                clip(&r.order_id, 24),
                // Never cut: an amount is shown whole.
                format!("{} {}", r.amount, r.currency),
                clip(&status_label(r), 22),
                clip(&r.customer_name, 24),
                clip(&r.customer_phone, 16),
                clip(&r.environment, 12),
                clip(&r.operator, 16),
                clip(&r.counter, 16),
            ]
        })
        .collect();
    // Columns are measured and padded in terminal cells, so a wide (CJK) name does not
    // push the columns after it.
    let mut widths = header.map(crate::text::width);
    for line in &lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(crate::text::width(cell));
        }
    }
    let render = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| crate::text::pad_right(cell, width))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = render(&header.map(String::from));
    for line in &lines {
        out.push_str(&render(line));
    }
    out
}

async fn show(store: &Ledger, order_id: &str, qr: bool, json: bool) -> ExitCode {
    let row = match store.latest_by_order_id(order_id).await {
        Ok(Some(row)) => row,
        Ok(None) => {
            return fail(
                exit::INVALID,
                &format!(
                    "no order {order_id:?} in the history; `paydesk history --search {order_id}` \
                     finds orders by part of their id, name, phone or email"
                ),
            );
        }
        Err(e) => return failed(&e),
    };
    let (refunds, events) = match orders::refund::story(store, order_id).await {
        Ok(found) => found,
        Err(e) => return failed(&e),
    };
    if json {
        output::json_out(&serde_json::json!({
            "order": serde_json::to_value(&row).unwrap_or(Value::Null),
            "refunds": serde_json::to_value(&refunds).unwrap_or(Value::Null),
            "events": serde_json::to_value(&events).unwrap_or(Value::Null),
        }));
        return ExitCode::from(exit::OK);
    }
    let offset = local_offset();
    print!("{}", details(&row, offset));
    print!("{}", story(&refunds, &events, offset));
    if qr {
        match row.payment_link.as_deref() {
            Some(link) => match crate::links::checked(link)
                .and_then(|link| crate::qr::encode(link).map_err(|e| e.to_string()))
            {
                Ok(code) => {
                    output::stdout_raw(&format!("\n{}\n", code.to_ansi(crate::qr::QUIET_FULL)))
                }
                Err(e) => return fail(exit::OTHER, &e),
            },
            None => eprintln!("\nThis order has no payment link, so there is no QR code."),
        }
    }
    ExitCode::from(exit::OK)
}

/// One order in full, as `label  value` lines, then the bodies.
fn details(row: &OrderRow, offset: Option<UtcOffset>) -> String {
    let time = |t: &Option<String>| t.as_deref().map(|t| display_time(t, offset));
    let status = match (&row.status, time(&row.status_checked_at)) {
        (Some(status), Some(seen)) => Some(format!("{status} (checked {seen})")),
        (status, _) => status.clone(),
    };
    let customer = match (row.customer_name.as_str(), row.customer_id.as_str()) {
        ("", id) => id.to_string(),
        (name, "") => name.to_string(),
        (name, id) => format!("{name} ({id})"),
    };
    let fields: Vec<(&str, Option<String>)> = vec![
        ("Order id", Some(row.order_id.clone())),
        ("Outcome", Some(row.outcome.to_string())),
        ("Status", status),
        ("Amount", Some(format!("{} {}", row.amount, row.currency))),
        ("Customer", Some(customer)),
        ("Phone", Some(row.customer_phone.clone())),
        ("Email", Some(row.customer_email.clone())),
        ("Payment link", row.payment_link.clone()),
        ("Link expires", row.link_expiry.clone()),
        ("Juspay id", row.juspay_id.clone()),
        ("Request id", Some(row.request_id.clone())),
        (
            "Environment",
            Some(format!(
                "{} ({}), merchant {}",
                row.environment, row.base_host, row.merchant_id
            )),
        ),
        ("Profile", Some(row.profile.clone())),
        ("Operator", Some(row.operator.clone())),
        ("Counter", Some(row.counter.clone())),
        ("Created", Some(display_time(&row.created_at, offset))),
        ("Problem", row.error.clone()),
    ];
    let mut out = String::new();
    for (label, value) in fields {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push_str(&format!("{label:<14}{value}\n"));
        }
    }
    out.push_str(&format!("\nRequest body:\n{}\n", pretty(&row.request_body)));
    if let Some(body) = &row.response_body {
        out.push_str(&format!(
            "\nResponse body (clientAuthToken masked):\n{}\n",
            pretty(body)
        ));
    }
    out
}

/// The order's refunds (one line each) and its events, oldest first.
fn story(refunds: &[RefundRow], events: &[OrderEvent], offset: Option<UtcOffset>) -> String {
    let mut out = String::new();
    if !refunds.is_empty() {
        out.push_str("\nRefunds:\n");
        for r in refunds {
            let amount = r.amount_paise.map_or(
                "all that was left".to_string(),
                crate::juspay::refund::rupees,
            );
            out.push_str(&format!(
                "  {}  {}  {amount}  {}  reason: {}{}{}\n",
                display_time(&r.created_at, offset),
                r.unique_request_id,
                r.state.described(),
                r.reason,
                r.error
                    .as_deref()
                    .map(|e| format!("  ({e})"))
                    .unwrap_or_default(),
                by(r.operator.as_deref(), r.counter.as_deref())
            ));
        }
    }
    if !events.is_empty() {
        out.push_str("\nStory:\n");
        for e in events {
            let detail = if e.detail.is_empty() {
                String::new()
            } else {
                format!("  {}", e.detail)
            };
            out.push_str(&format!(
                "  {}  {}{detail}{}\n",
                display_time(&e.at, offset),
                e.kind,
                by(e.operator.as_deref(), e.counter.as_deref())
            ));
        }
    }
    out
}

/// `  — by asha at counter-3` (either part alone when the other is unknown), or "".
fn by(operator: Option<&str>, counter: Option<&str>) -> String {
    let operator = operator.filter(|o| !o.is_empty());
    let counter = counter.filter(|c| !c.is_empty());
    match (operator, counter) {
        (Some(o), Some(c)) => format!("  — by {o} at {c}"),
        (Some(o), None) => format!("  — by {o}"),
        (None, Some(c)) => format!("  — at {c}"),
        (None, None) => String::new(),
    }
}

/// Indented JSON (escaped like `--json` output), or the text as it is when it is not JSON.
fn pretty(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .map(|v| output::json_text(&v))
        .unwrap_or_else(|| body.to_string())
}

async fn export(store: &Ledger, path: &Path, force: bool) -> ExitCode {
    let to_stdout = path.as_os_str() == "-";
    let result = if to_stdout {
        let out: Box<dyn Write + Send> = Box::new(std::io::stdout());
        write_csv(store, out).await
    } else {
        match crate::files::create_private(path, force) {
            Ok(file) => write_csv(store, Box::new(file)).await,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return fail(
                    exit::INVALID,
                    &format!(
                        "{} already exists; nothing was written. Add --force to overwrite it.",
                        path.display()
                    ),
                );
            }
            Err(e) => {
                return fail(
                    exit::OTHER,
                    &format!("cannot write {}: {e}", path.display()),
                );
            }
        }
    };
    match result {
        Ok(n) if to_stdout => {
            eprintln!("Exported {n} orders.");
            ExitCode::from(exit::OK)
        }
        Ok(n) => {
            println!("Exported {n} orders to {}.", path.display());
            ExitCode::from(exit::OK)
        }
        Err(e) => failed(&e),
    }
}

/// Every row as CSV into `out` (buffered, flushed at the end); how many rows.
async fn write_csv(store: &Ledger, out: Box<dyn Write + Send>) -> Result<usize, LedgerError> {
    let (n, mut out) = store.export_csv(std::io::BufWriter::new(out)).await?;
    out.flush()
        .map_err(|e| crate::history::HistoryError::Export(e.to_string()))?;
    Ok(n)
}

async fn forget(store: &Ledger, order_id: &str, yes: bool) -> ExitCode {
    if !yes {
        return fail(
            exit::INVALID,
            &format!(
                "this deletes order {order_id:?} from the history for good (Juspay keeps it). \
                 To confirm, run: paydesk history forget {order_id} --yes"
            ),
        );
    }
    match store.forget(order_id).await {
        Ok(0) => fail(
            exit::INVALID,
            &format!("no order {order_id:?} in the history; nothing was deleted"),
        ),
        Ok(1) => {
            println!("Forgot order {order_id}.");
            ExitCode::from(exit::OK)
        }
        Ok(n) => {
            println!("Forgot order {order_id} ({n} attempts).");
            ExitCode::from(exit::OK)
        }
        Err(e) => failed(&e),
    }
}

/// A client for the current environment and the matching order context, or why none.
fn client_for(ctx: &Context) -> Result<(Client, OrderContext), String> {
    let settings = &ctx.settings;
    let env = &settings.environment;
    if env.is_demo() {
        if let Some(notice) = settings.demo_fallback_notice() {
            eprintln!("{notice}");
        }
        return Err(
            "`history refresh` checks orders with Juspay, and demo orders live only \
             inside the desk's own emulator. Choose an environment with --env sandbox, \
             --env production or --base-url URL."
                .into(),
        );
    }
    let config = settings.client_config()?;
    let order_ctx = OrderContext {
        environment: env.name.clone(),
        base_host: orders::base_host(&config.base_url),
        merchant_id: config.merchant_id.clone(),
        profile: settings.profile.clone(),
        operator: settings.operator.clone(),
    };
    let client = Client::new(config).map_err(|e| e.to_string())?;
    Ok((client, order_ctx))
}

/// The exit code a failed check asks for.
fn failure_code(error: &ApiError) -> u8 {
    match error {
        ApiError::Auth { .. } => exit::AUTH,
        ApiError::Config(_) | ApiError::Invalid { .. } => exit::INVALID,
        _ => exit::NETWORK,
    }
}

/// One line about what a check found: settled, still open and why, or check failed.
fn describe(row: &OrderRow, found: &Reconciled) -> String {
    let was = status_label(row);
    let id = &row.order_id;
    match found {
        Reconciled::Found(status) => {
            let now = status.status.as_deref().unwrap_or("created");
            if row.outcome == Outcome::Rejected {
                format!("{id}  rejected (Juspay shows an order with this id from another attempt)")
            } else if row.outcome == Outcome::NotCreated {
                format!(
                    "{id}  {was} -> {now}: {}",
                    orders::state::FOUND_AFTER_NOT_CREATED
                )
            } else if now.eq_ignore_ascii_case(&was) {
                format!("{id}  {now} (no change)")
            } else {
                format!("{id}  {was} -> {now}")
            }
        }
        Reconciled::NotFound if row.outcome == Outcome::Created => {
            format!("{id}  Juspay does not know this order now (kept as created)")
        }
        Reconciled::NotFound => format!("{id}  {was} -> not created (settled)"),
        Reconciled::NotYet => format!("{id}  still open: {}", orders::state::NOT_AT_JUSPAY_YET),
        Reconciled::InFlight => {
            format!("{id}  still open: another paydesk process is sending it right now")
        }
        Reconciled::IdTaken(why) => format!("{id}  {was} -> rejected: {why}"),
        Reconciled::Failed(e) if row.outcome.is_open() => {
            format!("{id}  still open, check failed: {e}")
        }
        Reconciled::Failed(e) => format!("{id}  check failed: {e}"),
    }
}

async fn refresh(ctx: &Context, store: &Ledger, open: bool) -> ExitCode {
    let (client, order_ctx) = match client_for(ctx) {
        Ok(found) => found,
        Err(message) => return fail(exit::INVALID, &message),
    };
    let checker = orders::Checker::system();
    {
        let mut worst = exit::OK;
        // The one re-check (the same the desk and start-up use): open rows and unpaid
        // orders of this place, rows in flight in a live process left alone.
        let results = match orders::recheck(
            store,
            &client,
            &order_ctx,
            &checker,
            orders::Recheck::OpenAndUnpaid,
        )
        .await
        {
            Ok(results) => results,
            Err(e) => return failed(&e),
        };
        if results.is_empty() {
            println!(
                "No open orders in {} to check: every order there is paid, failed, rejected \
                 or not created.",
                order_ctx.environment
            );
        }
        let mut to_open = Vec::new();
        for (row, found) in &results {
            println!("{}", describe(row, found));
            match found {
                Reconciled::Failed(e) => worst = worst.max(failure_code(e)),
                Reconciled::Found(status) => {
                    let open_now = status.state().is_none_or(|state| !state.is_final());
                    let link = status.payment_links.as_ref().and_then(|l| l.web.clone());
                    if let Some(link) = link.or_else(|| row.payment_link.clone())
                        && open_now
                    {
                        to_open.push((row.order_id.clone(), link));
                    }
                }
                _ => {}
            }
        }
        worst = worst.max(follow_refunds(store, &client, &order_ctx, &checker, false).await);
        let others = match store.non_final(REFRESH_MAX).await {
            Ok(rows) => rows
                .into_iter()
                .filter(|r| !orders::reconcile::at_place(r, &order_ctx))
                .collect::<Vec<_>>(),
            Err(e) => return failed(&e),
        };
        report_others(&others);
        if results.len() >= orders::reconcile::RECHECK_MAX {
            println!(
                "Only the newest {} open orders were checked; run again for older ones.",
                orders::reconcile::RECHECK_MAX
            );
        }
        if open {
            for (order_id, link) in to_open {
                match crate::links::open(&link) {
                    Ok(()) => println!("Opened {order_id}: {link}"),
                    Err(e) => eprintln!("warning: {order_id}: {e}"),
                }
            }
        }
        let _ = std::io::stdout().flush();
        ExitCode::from(worst)
    }
}

/// Start-up re-check for headless commands that have a client (`create`, `status`): every
/// open row of this place not in flight in a live process is checked first, one line each
/// on stderr (so `--json` output stays clean). A problem here is a warning; it never
/// stops the command.
pub(super) async fn reconcile_at_start(store: &Ledger, client: &Client, ctx: &OrderContext) {
    let checker = orders::Checker::system();
    match orders::recheck(store, client, ctx, &checker, orders::Recheck::Open).await {
        Ok(done) => {
            for (row, found) in &done {
                if !matches!(found, Reconciled::InFlight) {
                    eprintln!("An earlier order was still open: {}", describe(row, found));
                }
            }
        }
        Err(e) => eprintln!("warning: open earlier orders could not be checked: {e}"),
    }
    follow_refunds(store, client, ctx, &checker, true).await;
}

/// Follows every open refund of this place (`orders::refund::follow_open`): one line
/// each (on stderr at start-up, so `--json` output stays clean). Returns the worst exit
/// code a failed follow asks for.
async fn follow_refunds(
    store: &Ledger,
    client: &Client,
    ctx: &OrderContext,
    checker: &orders::Checker,
    at_start: bool,
) -> u8 {
    let done = match orders::refund::follow_open(store, client, ctx, checker).await {
        Ok(done) => done,
        Err(e) => {
            eprintln!("warning: open refunds could not be followed: {e}");
            return exit::OTHER;
        }
    };
    let mut worst = exit::OK;
    for (before, report) in &done {
        let Some(answer) = &report.answer else {
            continue;
        };
        if let Err(e) = answer {
            worst = worst.max(failure_code(e));
        }
        let after = &report.refund;
        let how = if report.resent {
            " (sent again with the same unique_request_id)"
        } else {
            ""
        };
        let line = format!(
            "refund {} of {}: {} -> {}{how}",
            after.unique_request_id,
            after.order_id,
            before.state,
            after.state.described()
        );
        if at_start {
            eprintln!("An earlier refund was still open: {line}");
        } else {
            println!("{line}");
        }
    }
    worst
}

/// Open orders that belong to another environment cannot be checked with this key.
fn report_others(others: &[OrderRow]) {
    let mut by_env: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in others {
        *by_env
            .entry((row.environment.clone(), row.base_host.clone()))
            .or_default() += 1;
    }
    for ((env, host), n) in by_env {
        let orders = if n == 1 { "order" } else { "orders" };
        if env == "demo" {
            println!(
                "{n} open demo {orders} were not checked: demo orders live only inside the \
                 desk's own emulator."
            );
            continue;
        }
        println!(
            "{n} open {orders} belong to environment {env} ({host}) and were not checked; \
             run `paydesk --env {env} history refresh` to check them."
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_in_the_given_offset() {
        let ist = UtcOffset::from_hms(5, 30, 0).ok();
        assert_eq!(
            display_time("2026-11-25T15:02:33.123Z", ist),
            "2026-11-25 20:32"
        );
        assert_eq!(
            display_time("2026-11-25T15:02:33.123Z", None),
            "2026-11-25 15:02 UTC"
        );
        assert_eq!(display_time("garbage", None), "garbage");
    }

    #[test]
    fn clip_marks_the_cut() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }
}
