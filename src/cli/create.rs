//! `paydesk create` and `paydesk status`: the desk's two calls without the desk.
//!
//! Exit codes (`cli::exit`): 0 created / found (or a valid dry run); 2 invalid input or
//! configuration (local problems, a 400, an unknown order for `status`, a bad base URL);
//! 3 the key was refused, or there is no key for a non-demo environment; 4 network,
//! timeout or server trouble (the message says whether the order may exist and how to
//! check); 1 anything else (unreadable file, history store unavailable).

use std::process::ExitCode;

use serde_json::{Map, Value};

use super::output::{json_out, stderr_raw, stdout_raw, stdout_text as out};
use super::{Context, CreateArgs, GlobalArgs, config_problems, exit};
use crate::history::Outcome;
use crate::history::store::Actor;
use crate::juspay::{ApiError, OrderState, OrderStatus, SessionResponse};
use crate::ledger::Ledger;
use crate::session::{Form, Profile, desk, keys, order_id, validate_at, wire};

pub fn create(global: &GlobalArgs, args: &CreateArgs) -> ExitCode {
    let ctx = Context::load(global);
    if let Some(code) = config_problems(&ctx.settings) {
        return code;
    }
    let profile = match ctx.profile() {
        Ok(profile) => profile,
        Err(message) => return fail(exit::INVALID, &message),
    };
    let form = match build_form(&ctx, profile, args) {
        Ok(form) => form,
        Err((code, message)) => return fail(code, &message),
    };
    let problems = validate_at(&form, profile, super::context::today());
    let body = wire::to_body(&form, profile);

    if args.dry_run {
        json_out(&Value::Object(body));
        for problem in &problems {
            eprintln!("{}: {}", problem.key, problem.message);
        }
        return ExitCode::from(if problems.is_empty() {
            exit::OK
        } else {
            exit::INVALID
        });
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{}: {}", problem.key, problem.message);
        }
        if args.json {
            let fields = problems
                .iter()
                .map(|p| (p.key.as_str(), p.message.as_str()));
            json_error(
                "invalid_input",
                "Nothing was sent: the request has problems.",
                fields,
            );
        }
        return fail(
            exit::INVALID,
            "Nothing was sent: fix the fields above and try again.",
        );
    }
    if let Some(notice) = ctx.settings.demo_fallback_notice() {
        eprintln!("{notice}");
    }

    // The data directory holds the history and the log: private (0700) before either
    // is written.
    if let Some(dir) = ctx.settings.paths.history_db().parent() {
        let _ = crate::files::create_private_dir(dir);
    }
    // Method, path, status, request id and timing go to the log file; never headers.
    let _log = crate::logging::init(&ctx.settings.paths, &ctx.settings.log_level).ok();
    let Some(runtime) = runtime() else {
        return fail(
            exit::OTHER,
            "cannot start the async runtime; nothing was sent",
        );
    };
    // Every order is recorded before it leaves; without the ledger nothing is sent.
    let actor = Actor::new(ctx.settings.operator.clone());
    let ledger = match runtime.block_on(crate::ledger::open::open(&ctx.settings, actor)) {
        Ok(ledger) => ledger,
        Err(e) => {
            return fail(
                e.exit_code(),
                &format!(
                    "paydesk records every order before sending it, and {} could not be \
                     opened: {e}. Nothing was sent.",
                    e.what()
                ),
            );
        }
    };
    let code = runtime.block_on(send(&ctx, global, args, ledger, body));
    ExitCode::from(code)
}

/// The form: imported from `--from` (under the profile) or the profile's new form with the
/// desk defaults, then `--set`, then what the environment supplies, then a generated
/// customer id (when the desk makes them for walk-ins) and order id.
fn build_form(ctx: &Context, profile: &Profile, args: &CreateArgs) -> Result<Form, (u8, String)> {
    let mut blank = profile.new_form();
    desk::apply_desk(&mut blank, &ctx.settings.desk, profile);
    let mut form = match &args.from {
        None => blank.clone(),
        Some(path) => {
            let text = crate::files::read_text(path)
                .map_err(|e| (exit::OTHER, format!("cannot read {}: {e}", path.display())))?;
            let mut form = wire::import_str(&text, profile)
                .map_err(|e| (exit::INVALID, format!("{}: {e}", path.display())))?;
            // The profile's defaults and fixed values fill what the file leaves empty.
            for (key, value) in &blank.values {
                if form.get(key).is_empty() && !form.passthrough.contains_key(key) {
                    form.set(key, value.clone());
                }
            }
            if form.is_primary_holder.is_none() {
                form.is_primary_holder = blank.is_primary_holder;
            }
            form
        }
    };
    for assignment in &args.set {
        let Some((key, value)) = assignment.split_once('=') else {
            return Err((
                exit::INVALID,
                format!("--set expects KEY=VALUE (e.g. --set amount=100.00), got {assignment:?}"),
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err((
                exit::INVALID,
                format!("--set {assignment:?} names no field"),
            ));
        }
        form.passthrough.remove(key);
        if key == "is_primary_holder" {
            form.is_primary_holder = match value.trim().to_ascii_lowercase().as_str() {
                "" => None,
                "true" | "yes" => Some(true),
                "false" | "no" => Some(false),
                _ => {
                    return Err((
                        exit::INVALID,
                        format!("is_primary_holder: use true or false, not {value:?}"),
                    ));
                }
            };
        } else {
            // Normalised as the desk does: `--set amount=45,999.50` sends 45999.50.
            wire::set_from_text(&mut form, key, value, profile);
        }
    }
    if form.get(keys::PAYMENT_PAGE_CLIENT_ID).is_empty() {
        form.set(keys::PAYMENT_PAGE_CLIENT_ID, ctx.client_id());
    }
    if form.get(keys::RETURN_URL).is_empty()
        && let Some(url) = &ctx.settings.environment.return_url
    {
        form.set(keys::RETURN_URL, url.clone());
    }
    if let Some(rule) = ctx.settings.desk.customer_id {
        let salt = uuid::Uuid::new_v4().as_u64_pair().1;
        let prefix = &ctx.settings.order_prefix;
        if let Some(id) = desk::generate_customer_id(&form, rule, prefix, salt) {
            form.set(keys::CUSTOMER_ID, id);
        }
    }
    if form.get(keys::ORDER_ID).is_empty() {
        let now = time::OffsetDateTime::now_utc();
        let salt = uuid::Uuid::new_v4().as_u64_pair().0;
        let prefix = &ctx.settings.order_prefix;
        let id = order_id::generate_matching(&profile.order_id_rule(), prefix, now, salt)
            .unwrap_or_else(|| order_id::generate(prefix, now, salt));
        form.set(keys::ORDER_ID, id);
    }
    Ok(form)
}

async fn send(
    ctx: &Context,
    global: &GlobalArgs,
    args: &CreateArgs,
    ledger: Ledger,
    body: Map<String, Value>,
) -> u8 {
    let order_id = body
        .get(keys::ORDER_ID)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let connection = match ctx.connect().await {
        Ok(connection) => connection,
        Err(e) => {
            eprintln!("{}. Nothing was sent.", e.to_string().trim_end_matches('.'));
            return e.exit_code();
        }
    };
    // Re-check earlier open orders (a process killed mid-send, a check that failed).
    super::history_cmd::reconcile_at_start(&ledger, &connection.client, &connection.order_context)
        .await;
    let submitted = match crate::orders::submit_to(
        Some(&ledger),
        &connection.client,
        &connection.order_context,
        body,
    )
    .await
    {
        Ok(submitted) => submitted,
        Err(e) => {
            eprintln!(
                "The order was not sent: it could not be recorded in {} first ({e}).",
                ledger.place()
            );
            return e.exit_code();
        }
    };
    if let Some(e) = &submitted.record_error {
        eprintln!(
            "warning: Juspay's answer could not be written to the history ({e}); the row \
             stays 'sending' and is checked the next time paydesk starts."
        );
    }
    match &submitted.result {
        Ok(session) => {
            if submitted.existing {
                eprintln!(
                    "Juspay already had order {order_id} (sent before with this order id): \
                     showing that order; no second order was created."
                );
            }
            if submitted.outcome == Some(Outcome::Rejected) {
                eprintln!(
                    "warning: the history already recorded {order_id} as rejected by Juspay."
                );
            }
            print_created(session, &order_id, &submitted.request_id, args);
            exit::OK
        }
        Err(e) => {
            if args.json {
                json_api_error(e);
            }
            create_failed(e, &order_id, &check_command(global, &order_id), ctx)
        }
    }
}

fn print_created(session: &SessionResponse, order_id: &str, request_id: &str, args: &CreateArgs) {
    let link = session.web_link();
    if args.json {
        json_out(&session.to_masked_json());
    } else {
        let order_id = session.order_id.as_deref().unwrap_or(order_id);
        let mut text = String::new();
        let mut line = |label: &str, value: &str| text.push_str(&format!("{label:<13} {value}\n"));
        line("order id", order_id);
        line("status", session.created_status().unwrap_or("(not given)"));
        line("payment link", link.unwrap_or("(none in the answer)"));
        line(
            "link expires",
            session.link_expiry().unwrap_or("(not given)"),
        );
        line("juspay id", session.id.as_deref().unwrap_or("(not given)"));
        line("request id", request_id);
        out(&text);
    }
    if args.qr {
        let qr = match link {
            Some(link) => crate::links::checked(link).and_then(|link| {
                crate::qr::encode(link)
                    .map(|code| code.to_ansi(crate::qr::QUIET_FULL))
                    .map_err(|e| e.to_string())
            }),
            None => Err("the answer has no payment link".to_string()),
        };
        match qr {
            // With --json stdout stays pure JSON; the QR goes to stderr.
            Ok(qr) if args.json => stderr_raw(&qr),
            Ok(qr) => stdout_raw(&qr),
            Err(e) => eprintln!("cannot draw the QR code: {e}"),
        }
    }
}

/// Says what failed, whether the order may exist and how to check; gives the exit code.
fn create_failed(error: &ApiError, order_id: &str, check: &str, ctx: &Context) -> u8 {
    match error {
        ApiError::Invalid { message, fields } => {
            eprintln!("Juspay rejected order {order_id}: {message}");
            for (field, reason) in fields {
                eprintln!("{field}: {reason}");
            }
            eprintln!("Nothing was created. Fix the fields and send again.");
            exit::INVALID
        }
        ApiError::Auth { .. } => {
            eprintln!("{error}");
            exit::AUTH
        }
        ApiError::NotFound(_) | ApiError::Config(_) => {
            eprintln!("{error}");
            exit::INVALID
        }
        ApiError::AlreadyExists(_) => {
            eprintln!("{error}");
            eprintln!(
                "Its status could not be checked, so paydesk keeps order {order_id} open and \
                 checks it again at the next start. Check it now: {check}"
            );
            exit::NETWORK
        }
        ApiError::Network(_) => {
            eprintln!("{error}");
            eprintln!("Order {order_id} was not created.");
            exit::NETWORK
        }
        _ => {
            eprintln!("{error}");
            if ctx.settings.environment.kind == crate::config::EnvKind::Demo {
                eprintln!(
                    "Order {order_id} may have been created in the demo emulator, which stopped \
                     with this command."
                );
            } else {
                eprintln!(
                    "Order {order_id} may have been created. Check before sending it again: {check}"
                );
            }
            exit::NETWORK
        }
    }
}

/// `paydesk status ORDER_ID` with the flags that chose this environment.
fn check_command(global: &GlobalArgs, order_id: &str) -> String {
    let mut command = format!("paydesk status {}", shell_word(order_id));
    let flags = [
        (
            "--config",
            global.config.as_ref().map(|p| p.display().to_string()),
        ),
        ("--env", global.env.clone()),
        ("--base-url", global.base_url.clone()),
        ("--merchant-id", global.merchant_id.clone()),
    ];
    for (flag, value) in flags {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {}", shell_word(&value)));
        }
    }
    command
}

fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

pub fn status(global: &GlobalArgs, order_id: &str, json: bool) -> ExitCode {
    let ctx = Context::load(global);
    if let Some(code) = config_problems(&ctx.settings) {
        return code;
    }
    // Method, path, status, request id and timing go to the log file; never headers.
    let _log = crate::logging::init(&ctx.settings.paths, &ctx.settings.log_level).ok();
    let Some(runtime) = runtime() else {
        return fail(exit::OTHER, "cannot start the async runtime");
    };
    ExitCode::from(runtime.block_on(check_status(&ctx, order_id, json)))
}

async fn check_status(ctx: &Context, order_id: &str, json: bool) -> u8 {
    let connection = match ctx.connect().await {
        Ok(connection) => connection,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    // A desk without a history yet gets none from a status check; a branch ledger is
    // always there to record it.
    let has_ledger = ctx.settings.ledger.url.is_some() || ctx.settings.paths.history_db().exists();
    let store = if has_ledger {
        let actor = Actor::new(ctx.settings.operator.clone());
        match crate::ledger::open::open(&ctx.settings, actor).await {
            Ok(ledger) => Some(ledger),
            Err(e) => {
                eprintln!(
                    "warning: {} could not be opened to record this status: {e}",
                    e.what()
                );
                None
            }
        }
    } else {
        None
    };
    if let Some(store) = &store {
        // Re-check earlier open orders first (this one included if it is open).
        super::history_cmd::reconcile_at_start(
            store,
            &connection.client,
            &connection.order_context,
        )
        .await;
    }
    let answer = status_and_record(store.as_ref(), &connection, order_id).await;
    match answer {
        Ok(status) => {
            if json {
                json_out(&status.to_masked_json());
            } else {
                out(&status_text(order_id, &status));
            }
            exit::OK
        }
        Err(e) => {
            if json {
                json_api_error(&e);
            }
            status_failed(&e, order_id, ctx)
        }
    }
}

fn status_text(order_id: &str, status: &OrderStatus) -> String {
    let state = status.state();
    let word = state.as_ref().map_or("(not given)", OrderState::as_str);
    let meaning = match &state {
        Some(OrderState::Charged) => "paid",
        Some(OrderState::New) => "not paid yet",
        Some(OrderState::Pending(_)) => "payment in progress, not paid yet",
        Some(OrderState::Failed(_)) => "payment failed, not paid",
        Some(OrderState::Other(_)) | None => "not paid",
    };
    let amount = match (status.currency.as_deref(), status.amount_text()) {
        (Some(currency), Some(amount)) => format!("{currency} {amount}"),
        (None, Some(amount)) => amount,
        _ => "(not given)".to_string(),
    };
    let mut text = String::new();
    let mut line = |label: &str, value: &str| text.push_str(&format!("{label:<13} {value}\n"));
    line("order id", status.order_id.as_deref().unwrap_or(order_id));
    line("status", &format!("{word} ({meaning})"));
    line(
        "paid",
        if state.as_ref().is_some_and(OrderState::is_paid) {
            "yes"
        } else {
            "no"
        },
    );
    line("amount", &amount);
    if let Some(id) = &status.id {
        line("juspay id", id);
    }
    if let Some(created) = &status.date_created {
        line("created", created);
    }
    if let Some(link) = status.payment_links.as_ref().and_then(|l| l.web.as_deref()) {
        line("payment link", link);
    }
    if let Some(refunded) = status.amount_refunded_paise().filter(|p| *p > 0) {
        line("refunded", &crate::juspay::refund::rupees(refunded));
    }
    for refund in status.refunds() {
        let amount = refund.amount_paise().map_or(
            "(amount not given)".to_string(),
            crate::juspay::refund::rupees,
        );
        let id = refund.unique_request_id.as_deref().unwrap_or("(no id)");
        let state = refund.status.as_deref().unwrap_or("(no status)");
        line("refund", &format!("{id}  {amount}  {state}"));
    }
    text
}

/// Asks Order Status (with the routing id stored on this order's row, when there is a
/// row for this host and merchant) and records what it proves in that row, through the
/// state machine: a created row gets the status, an open row settles or stays open.
async fn status_and_record(
    store: Option<&Ledger>,
    connection: &super::context::Connection,
    order_id: &str,
) -> Result<OrderStatus, ApiError> {
    let client = &connection.client;
    let row = match store {
        Some(store) => {
            match crate::orders::row_for(store, &connection.order_context, order_id).await {
                Ok(row) => row,
                Err(e) => {
                    eprintln!("warning: the history could not be read: {e}");
                    None
                }
            }
        }
        None => None,
    };
    let checker = crate::orders::Checker::system();
    match crate::orders::check_status(store, client, &checker, order_id, row.as_ref()).await {
        Ok((answer, found)) => {
            if let (Some(row), Some(found)) = (&row, &found) {
                note_recorded(row, found);
            }
            answer
        }
        Err(e) => {
            eprintln!("warning: the status could not be written to the history: {e}");
            client
                .order_status(order_id, row.as_ref().map(|r| r.send.routing_id.as_str()))
                .await
        }
    }
}

/// Tells on stderr when the check changed what the history says about the order.
fn note_recorded(row: &crate::history::OrderRow, found: &crate::orders::Reconciled) {
    use crate::orders::Reconciled;
    let id = &row.order_id;
    match found {
        Reconciled::Found(_) if row.outcome == Outcome::NotCreated => eprintln!(
            "history: {id}: {}",
            crate::orders::state::FOUND_AFTER_NOT_CREATED
        ),
        Reconciled::Found(_) if row.outcome.is_open() => {
            eprintln!("history: {id} recorded as created")
        }
        Reconciled::NotFound if row.outcome.is_open() => {
            eprintln!("history: {id} recorded as not created")
        }
        Reconciled::NotYet => eprintln!(
            "history: {id} stays open: {}",
            crate::orders::state::NOT_AT_JUSPAY_YET
        ),
        Reconciled::InFlight => {
            eprintln!("history: {id} is being sent by another paydesk process right now")
        }
        _ => {}
    }
}

/// Why an order made at the desk (or by an earlier command) is unknown to a headless
/// command in demo.
pub(crate) const DEMO_KEEPS_NO_ORDERS: &str = "The demo emulator keeps orders only while it \
     runs, and it started afresh for this command. Use `paydesk emulator` and --base-url to \
     keep orders.";

fn status_failed(error: &ApiError, order_id: &str, ctx: &Context) -> u8 {
    match error {
        ApiError::NotFound(_) => {
            eprintln!("{error}");
            exit::INVALID
        }
        ApiError::OrderNotFound(_) | ApiError::AlreadyExists(_) => {
            eprintln!("{error}");
            if ctx.settings.environment.kind == crate::config::EnvKind::Demo {
                eprintln!("{DEMO_KEEPS_NO_ORDERS}");
            }
            exit::INVALID
        }
        // `Refund` never comes from Order Status; listed so the match stays exhaustive.
        ApiError::Invalid { .. } | ApiError::Config(_) | ApiError::Refund(_) => {
            eprintln!("{error}");
            exit::INVALID
        }
        ApiError::Auth { .. } => {
            eprintln!("{error}");
            exit::AUTH
        }
        ApiError::Network(_) => {
            eprintln!("{error}");
            exit::NETWORK
        }
        ApiError::Timeout { seconds } => {
            eprintln!(
                "Juspay did not answer within {seconds} s, so the status of {order_id} is \
                 unknown. Try again in a moment."
            );
            exit::NETWORK
        }
        ApiError::Server { status, snippet } => {
            eprintln!(
                "Juspay had a server error (HTTP {status}: {snippet}), so the status of \
                 {order_id} is unknown. Try again in a moment."
            );
            exit::NETWORK
        }
        ApiError::Interrupted(_) | ApiError::Decode { .. } | ApiError::TooLarge { .. } => {
            let reason = match error {
                ApiError::Interrupted(detail) => format!("the connection broke ({detail})"),
                ApiError::Decode { status, snippet } => {
                    format!("the answer (HTTP {status}) could not be read: {snippet}")
                }
                _ => "the answer was too large".to_string(),
            };
            eprintln!("The status of {order_id} is unknown: {reason}. Try again in a moment.");
            exit::NETWORK
        }
    }
}

/// The error object `--json` prints on stdout when a command fails (stderr still has the
/// sentences, and the exit code is the same): `{"kind": "invalid", "message": "…",
/// "fields": [{"field": "customer_email", "reason": "…"}]}`. `kind` is
/// `ApiError::kind` (`invalid`, `auth`, `timeout`, …) or `invalid_input` for problems found
/// before sending.
fn json_error<'a>(kind: &str, message: &str, fields: impl Iterator<Item = (&'a str, &'a str)>) {
    let fields: Vec<Value> = fields
        .map(|(field, reason)| serde_json::json!({"field": field, "reason": reason}))
        .collect();
    json_out(&serde_json::json!({"kind": kind, "message": message, "fields": fields}));
}

fn json_api_error(error: &ApiError) {
    let fields: &[(String, String)] = match error {
        ApiError::Invalid { fields, .. } => fields,
        _ => &[],
    };
    let pairs = fields.iter().map(|(f, r)| (f.as_str(), r.as_str()));
    json_error(error.kind(), &error.to_string(), pairs);
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(code)
}
