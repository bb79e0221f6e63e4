//! `paydesk ledger check` and `paydesk ledger import`: the branch ledger on PostgreSQL.
//!
//! The ledger is named by `PAYDESK_LEDGER_URL` or `[ledger] url` (see `ledger::target` for the password
//! sources). Every URL printed is masked; the password never reaches the output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Context, GlobalArgs, LedgerCmd, exit};
use crate::config::LedgerSettings;
use crate::ledger::import::{ImportReport, import};
use crate::ledger::{LedgerError, LedgerTarget, PgLedger, target};

/// Runs a `ledger` subcommand.
pub fn run(global: &GlobalArgs, cmd: &LedgerCmd) -> ExitCode {
    let ctx = Context::load_without_key(global);
    if let Some(code) = super::config_problems(&ctx.settings) {
        return code;
    }
    let target = match ledger_target(&ctx.settings.ledger) {
        Ok(target) => target,
        Err((code, message)) => return fail(code, &message),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(exit::OTHER, &e.to_string()),
    };
    let code = match cmd {
        LedgerCmd::Check { json } => runtime.block_on(check(&target, *json)),
        LedgerCmd::Import { from } => {
            let path = from
                .clone()
                .unwrap_or_else(|| ctx.settings.paths.history_db());
            runtime.block_on(import_history(&target, &path))
        }
    };
    ExitCode::from(code)
}

/// The ledger named by `PAYDESK_LEDGER_URL` or `[ledger] url`, password resolved.
fn ledger_target(settings: &LedgerSettings) -> Result<LedgerTarget, (u8, String)> {
    match crate::ledger::open::target(settings) {
        Ok(Some(target)) => Ok(target),
        Ok(None) => Err((
            exit::INVALID,
            format!(
                "no ledger is set up: set {} or [ledger] url in the config to \
                     postgres://USER@HOST/DATABASE (README \"A branch ledger on PostgreSQL\")",
                target::URL_ENV
            ),
        )),
        Err(e) => Err((exit::INVALID, e.to_string())),
    }
}

async fn check(target: &LedgerTarget, json: bool) -> u8 {
    let result = async {
        let ledger = PgLedger::connect_unmigrated(target)?;
        let round_trip = ledger.round_trip().await?;
        let facts = ledger.facts().await?;
        Ok::<_, LedgerError>((round_trip, facts))
    }
    .await;
    let known = crate::ledger::pg::schema::LATEST;
    match result {
        Ok((round_trip, facts)) => {
            let ms = round_trip.as_secs_f64() * 1000.0;
            let too_new = facts.schema_version > known;
            if json {
                let value = serde_json::json!({
                    "ledger": target.masked(),
                    "sslmode": target.ssl().as_str(),
                    "reachable": true,
                    "server_version": facts.server_version,
                    "schema_version": facts.schema_version,
                    "schema_version_known": known,
                    "encrypted": facts.encrypted,
                    "round_trip_ms": (ms * 100.0).round() / 100.0,
                });
                println!("{value}");
            } else {
                println!(
                    "ledger        {} (sslmode={})",
                    target.masked(),
                    target.ssl().as_str()
                );
                println!("reachable     yes");
                println!(
                    "server        PostgreSQL {}",
                    crate::text::sanitize_line(&facts.server_version)
                );
                let note = match facts.schema_version {
                    v if v > known => "written by a newer paydesk: update this one",
                    v if v < known => "brought up to date at first use",
                    _ => "current",
                };
                println!("schema        version {} ({note})", facts.schema_version);
                println!("round trip    {ms:.2} ms");
            }
            if too_new { exit::INVALID } else { exit::OK }
        }
        Err(e) => {
            if json {
                let value = serde_json::json!({
                    "ledger": target.masked(),
                    "sslmode": target.ssl().as_str(),
                    "reachable": !matches!(e, LedgerError::Unreachable(_) | LedgerError::Tls(_)),
                    "error": e.to_string(),
                });
                println!("{value}");
            } else {
                eprintln!("paydesk: ledger {}: {e}", target.masked());
            }
            e.exit_code()
        }
    }
}

async fn import_history(target: &LedgerTarget, path: &Path) -> u8 {
    let origin = origin_of(path);
    let result = async {
        let ledger = PgLedger::connect(target).await?;
        import(&ledger, path, &origin).await
    }
    .await;
    match result {
        Ok(report) => {
            print_report(target, path, &report);
            exit::OK
        }
        Err(e) => {
            eprintln!("paydesk: ledger import into {}: {e}", target.masked());
            e.exit_code()
        }
    }
}

/// The name an import gives a history: this host and the file's full path.
fn origin_of(path: &Path) -> String {
    let full: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!(
        "{}:{}",
        crate::orders::reconcile::this_process().host,
        full.display()
    )
}

fn print_report(target: &LedgerTarget, path: &Path, r: &ImportReport) {
    println!(
        "Imported {} into {}:",
        crate::text::sanitize_line(&path.display().to_string()),
        target.masked()
    );
    println!("  orders   {:>7} ({} new)", r.orders, r.orders_added);
    println!("  refunds  {:>7} ({} new)", r.refunds, r.refunds_added);
    println!("  events   {:>7} ({} new)", r.events, r.events_added);
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("paydesk: {message}");
    ExitCode::from(code)
}
