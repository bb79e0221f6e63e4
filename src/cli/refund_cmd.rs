//! `paydesk refund ORDER_ID [--amount X] --reason TEXT [--json] [--yes]`: a refund
//! without the desk, through `orders::refund` (row first, same id on a lost answer).
//!
//! Exit codes as `create` (`cli::exit`): 0 Juspay took the refund (PENDING or later);
//! 2 refused before sending (unpaid order, more than is left, lender profile, bad
//! amount or reason, production not confirmed) or by Juspay (a 400); 3 the key was
//! refused; 4 network, timeout or server trouble (the attempt stays open and is sent
//! again with the same id at the next start or `history refresh`); 1 anything else.

use std::io::IsTerminal;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::output::{json_out, stdout_text as out};
use super::{Context, GlobalArgs, RefundArgs, config_problems, exit};
use crate::history::store::Actor;
use crate::juspay::ApiError;
use crate::juspay::refund::{paise_from_rupees, rupees};
use crate::ledger::Ledger;
use crate::orders::refund::{self, RefundAsk, RefundRefused, RefundReport};
use crate::orders::refund_state::RefundState;

/// Longest reason kept, in characters.
const REASON_MAX: usize = 200;

pub fn run(global: &GlobalArgs, args: &RefundArgs) -> ExitCode {
    let ctx = Context::load(global);
    if let Some(code) = config_problems(&ctx.settings) {
        return code;
    }
    let ask = match ask(args) {
        Ok(ask) => ask,
        Err(message) => return fail(exit::INVALID, &message),
    };
    if ctx.settings.environment.is_production() && !args.yes && !confirmed(&ask) {
        return fail(
            exit::INVALID,
            "Nothing was sent: a refund in PRODUCTION moves real money. Confirm it when asked, \
             or pass --yes.",
        );
    }
    // The data directory holds the history and the log: private (0700) before either
    // is written.
    if let Some(dir) = ctx.settings.paths.history_db().parent() {
        let _ = crate::files::create_private_dir(dir);
    }
    let _log = crate::logging::init(&ctx.settings.paths, &ctx.settings.log_level).ok();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(_) => {
            return fail(
                exit::OTHER,
                "cannot start the async runtime; nothing was sent",
            );
        }
    };
    let actor = Actor::new(ctx.settings.operator.clone());
    let store = match runtime.block_on(crate::ledger::open::open(&ctx.settings, actor)) {
        Ok(store) => store,
        Err(e) => {
            return fail(
                e.exit_code(),
                &format!(
                    "paydesk records every refund before sending it, and {} could not be \
                     opened: {e}. Nothing was sent.",
                    e.what()
                ),
            );
        }
    };
    ExitCode::from(runtime.block_on(send(&ctx, &store, &ask, args.json)))
}

/// The refund asked for on the command line. Errors: a bad amount or a missing reason.
fn ask(args: &RefundArgs) -> Result<RefundAsk, String> {
    let order_id = args.order_id.trim().to_string();
    if order_id.is_empty() {
        return Err("give the order id to refund".into());
    }
    let amount_paise = match args.amount.as_deref() {
        None => None,
        Some(text) => {
            let plain: String = text.chars().filter(|c| *c != ',' && *c != ' ').collect();
            match paise_from_rupees(&plain) {
                Some(0) => return Err("--amount must be more than 0".into()),
                Some(paise) => Some(paise),
                None => {
                    return Err(format!(
                        "--amount takes rupees with at most two decimals (e.g. 1500.50), not {:?}",
                        crate::text::sanitize_line(text)
                    ));
                }
            }
        }
    };
    let reason = crate::text::sanitize_line(args.reason.trim())
        .trim()
        .to_string();
    if reason.is_empty() {
        return Err("--reason is required: say why the money goes back".into());
    }
    if reason.chars().count() > REASON_MAX {
        return Err(format!("--reason is longer than {REASON_MAX} characters"));
    }
    Ok(RefundAsk {
        order_id,
        amount_paise,
        reason,
    })
}

/// Asks on the terminal before a production refund; false without a terminal.
fn confirmed(ask: &RefundAsk) -> bool {
    if !std::io::stdin().is_terminal() {
        return false;
    }
    let amount = ask
        .amount_paise
        .map_or("all that is left".to_string(), |p| {
            format!("{} rupees", rupees(p))
        });
    eprintln!(
        "You are about to refund {amount} of order {} in PRODUCTION (real money). Type yes to \
         send it:",
        ask.order_id
    );
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).is_ok() && line.trim().eq_ignore_ascii_case("yes")
}

async fn send(ctx: &Context, store: &Ledger, ask: &RefundAsk, json: bool) -> u8 {
    let connection = match ctx.connect().await {
        Ok(connection) => connection,
        Err(e) => {
            eprintln!("{}. Nothing was sent.", e.to_string().trim_end_matches('.'));
            return e.exit_code();
        }
    };
    let client = &connection.client;
    let order_ctx = &connection.order_context;
    super::history_cmd::reconcile_at_start(store, client, order_ctx).await;
    // The lender of the order (its row's profile), else the profile in effect.
    let known = match refund::known(store, order_ctx, &ask.order_id).await {
        Ok(known) => known,
        Err(e) => return fail_code(e.exit_code(), &e.to_string()),
    };
    let profile = known
        .row
        .as_ref()
        .and_then(|r| ctx.profiles.get(&r.profile))
        .map_or_else(|| ctx.profile(), Ok);
    let profile = match profile {
        Ok(profile) => profile,
        Err(message) => return fail_code(exit::INVALID, &message),
    };
    let policy = (profile.refunds, profile.name.as_str());
    let report = match refund::refund(store, client, order_ctx, policy, ask).await {
        Ok(report) => report,
        Err(refused) => {
            let code = match &refused {
                RefundRefused::History(e) => e.exit_code(),
                _ => exit::INVALID,
            };
            if json {
                json_out(&json!({"kind": "refused", "message": refused.to_string()}));
            }
            return fail_code(code, &format!("Nothing was sent: {refused}."));
        }
    };
    print_report(&report, json);
    let code = outcome_code(&report);
    if ctx.settings.environment.kind == crate::config::EnvKind::Demo
        && matches!(
            report.answer,
            Some(Err(ApiError::NotFound(_) | ApiError::OrderNotFound(_)))
        )
    {
        eprintln!("{}", super::create::DEMO_KEEPS_NO_ORDERS);
    }
    code
}

fn print_report(report: &RefundReport, json: bool) {
    let refund = &report.refund;
    if json {
        let order = match &report.answer {
            Some(Ok(status)) => status.to_masked_json(),
            _ => Value::Null,
        };
        json_out(&json!({
            "refund": serde_json::to_value(refund).unwrap_or(Value::Null),
            "order": order,
        }));
        return;
    }
    let amount = refund
        .amount_paise
        .map_or("all that was left".to_string(), rupees);
    let mut text = String::new();
    let mut line = |label: &str, value: &str| text.push_str(&format!("{label:<18} {value}\n"));
    line("order id", &refund.order_id);
    line("unique request id", &refund.unique_request_id);
    line("amount", &amount);
    line("state", &refund.state.described());
    line("reason", &refund.reason);
    if let Some(error) = &refund.error {
        line("note", error);
    }
    out(&text);
}

/// The exit code for what the attempt came to.
fn outcome_code(report: &RefundReport) -> u8 {
    let error = match &report.answer {
        Some(Err(e)) => Some(e),
        _ => None,
    };
    match report.refund.state {
        RefundState::Pending
        | RefundState::Success
        | RefundState::ManualReview
        | RefundState::Failure => exit::OK,
        RefundState::Rejected => {
            eprintln!(
                "Juspay refused the refund: {}",
                report.refund.error.as_deref().unwrap_or("no reason given")
            );
            match error {
                Some(ApiError::Auth { .. }) => exit::AUTH,
                _ => exit::INVALID,
            }
        }
        RefundState::NotSent => {
            eprintln!(
                "The refund was not sent ({}): nothing was refunded. Try again.",
                report.refund.error.as_deref().unwrap_or("no connection")
            );
            exit::NETWORK
        }
        RefundState::Sending | RefundState::Unknown => {
            eprintln!(
                "The refund's answer did not come back ({}). paydesk sends it again with the \
                 same unique_request_id at the next start or `paydesk history refresh`, so it \
                 can never be made twice.",
                report.refund.error.as_deref().unwrap_or("no answer")
            );
            exit::NETWORK
        }
    }
}

fn fail(code: u8, message: &str) -> ExitCode {
    ExitCode::from(fail_code(code, message))
}

fn fail_code(code: u8, message: &str) -> u8 {
    eprintln!("{message}");
    code
}
