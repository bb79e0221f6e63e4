//! Command-line definitions and dispatch. Each command lives in its own file; this one only
//! parses and hands over.

// Every print in the commands below goes through the terminal sanitiser (issue 11, kind 1):
// these shadow the standard macros (`eprint!` is unused) for the modules declared after them. Exact output
// (JSON, CSV, the QR's colours) uses `output::json_out` / `output::stdout_raw` instead.
macro_rules! println {
    () => { $crate::cli::output::stdout_text("\n") };
    ($($arg:tt)*) => { $crate::cli::output::stdout_text(&format!("{}\n", format_args!($($arg)*))) };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::output::stdout_text(&format!($($arg)*)) };
}
macro_rules! eprintln {
    () => { $crate::cli::output::stderr_text("\n") };
    ($($arg:tt)*) => { $crate::cli::output::stderr_text(&format!("{}\n", format_args!($($arg)*))) };
}

mod config_cmd;
mod context;
mod create;
mod emulator_cmd;
mod history_cmd;
mod ledger_cmd;
pub mod output;
mod refund_cmd;
mod session_cmds;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use context::Context;

/// The global flags live in `crate::args` (the desk takes them too).
pub use crate::args::GlobalArgs;
/// Exit codes live in `crate::exit` (the desk uses them too); re-exported for the commands.
pub use crate::exit;

#[derive(Debug, Parser)]
#[command(
    name = "paydesk",
    version,
    about = "Create Juspay payment sessions at a sales desk"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Open the desk with the form filled from a request JSON.
    #[arg(long, value_name = "FILE.json")]
    pub from: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show where paydesk keeps its files, or check the config file.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// List every Session API field, grouped by tab, with the profile's required marks.
    Fields {
        #[arg(long)]
        json: bool,
    },
    /// List the lender profiles and where each came from.
    Profiles {
        #[arg(long)]
        json: bool,
    },
    /// Check a request JSON against the profile: one line per problem.
    Validate {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// Also list every value normalisation changed (`+91 98765 43210` → `9876543210`),
        /// to see exactly what the lender receives; a changed value is then a problem.
        #[arg(long)]
        strict: bool,
    },
    /// Run the Juspay emulator in the foreground.
    Emulator(EmulatorArgs),
    /// Create a payment session without the desk.
    Create(CreateArgs),
    /// Refund a paid order (all that is left, or --amount), recorded before it is sent.
    Refund(RefundArgs),
    /// Show an order's status and its refunds.
    Status {
        order_id: String,
        #[arg(long)]
        json: bool,
    },
    /// List, show, export, refresh or forget orders in the history.
    History(HistoryArgs),
    /// The branch ledger on PostgreSQL (`PAYDESK_LEDGER_URL`): check it, or import this
    /// desk's history into it.
    #[command(subcommand)]
    Ledger(LedgerCmd),
}

#[derive(Debug, Subcommand)]
pub enum LedgerCmd {
    /// Reachability, server version, schema version and round-trip time. Exit 0 when
    /// usable, 2 for a bad URL or a newer schema, 3 for a refused login, 4 unreachable.
    Check {
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy a desk's SQLite history (orders, refunds, events) into the ledger. Run twice,
    /// it adds nothing.
    Import {
        /// The history file (default: this desk's history).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the config file, data directory, log file and user themes/profiles directories.
    Path,
    /// Validate the config file; exit 2 when there is a problem.
    Check,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// File holding the API key the emulator accepts (one line). The key can also come
    /// from PAYDESK_EMULATOR_API_KEY; it is never a flag, so it never shows in `ps`.
    #[arg(long, value_name = "FILE")]
    pub api_key_file: Option<PathBuf>,
    /// Merchant id the emulator accepts.
    #[arg(long, value_name = "M")]
    pub merchant_id: Option<String>,
    /// Added latency on every API call, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// Misbehave: html500, malformed-json, empty-body, drop-connection, slow-drip, huge-body;
    /// or end new refunds in FAILURE or MANUAL_REVIEW: refund-failure, refund-manual-review.
    #[arg(long, value_name = "KIND")]
    pub fault: Option<String>,
    /// Race: answer a new order at once and commit it this many milliseconds later.
    #[arg(long, value_name = "N")]
    pub commit_delay_ms: Option<u64>,
    /// Answer a plain HTML 404 for every path starting with this (e.g. /orders).
    #[arg(long, value_name = "PREFIX")]
    pub plain_404_prefix: Option<String>,
    /// Answer a create with a known order id with Juspay's "already exists" 400.
    #[arg(long)]
    pub reject_duplicates: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Start from this request JSON.
    #[arg(long, value_name = "FILE.json")]
    pub from: Option<PathBuf>,
    /// Set one field, e.g. --set amount=100.00 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print the response JSON (clientAuthToken masked).
    #[arg(long)]
    pub json: bool,
    /// Also print the QR code of the payment link.
    #[arg(long)]
    pub qr: bool,
    /// Validate and print the exact body that would be sent; send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RefundArgs {
    /// The merchant's order id.
    pub order_id: String,
    /// Rupees to refund (at most two decimals); all that is left when not given.
    #[arg(long, value_name = "X")]
    pub amount: Option<String>,
    /// Why the money goes back (required; recorded with the refund).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Print the refund and the order as JSON.
    #[arg(long)]
    pub json: bool,
    /// Confirm a refund in production without being asked.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCmd>,
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Search order id, customer name, phone and email.
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Only orders with this status, in any case: as the desk shows it (paid, failed, new),
    /// a Juspay status (CHARGED, PENDING_VBV, …), an outcome (sending, created, rejected,
    /// unknown), or refunded / partially_refunded.
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Only orders created at this counter (the whole name, ignoring case). Orders of one
    /// clerk: the global --operator NAME, which for `history` filters.
    #[arg(long, value_name = "NAME")]
    pub counter: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCmd {
    /// One order in full, with its refunds and its story (every event).
    Show {
        order_id: String,
        #[arg(long)]
        qr: bool,
        /// Print the order, its refunds and its events as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write every row to a CSV file (0600: it holds customer data), or `-` for stdout.
    Export {
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        /// Overwrite FILE when it exists.
        #[arg(long)]
        force: bool,
    },
    /// Delete one order from the history.
    Forget {
        order_id: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// Re-check orders whose status is not final, and follow open refunds.
    Refresh {
        /// Also open their payment links in the browser.
        #[arg(long)]
        open: bool,
    },
}

/// Prints configuration problems; `Some(exit 2)` when there were any. Every headless
/// command that reads the config calls this first (README "Configuration"): a broken
/// config is never silently replaced by defaults.
fn config_problems(settings: &crate::config::Settings) -> Option<ExitCode> {
    if settings.problems.is_empty() {
        return None;
    }
    crate::config::print_problems(&settings.problems);
    eprintln!("Fix the configuration first (`paydesk config check` shows the details).");
    Some(ExitCode::from(exit::INVALID))
}

/// Runs one headless command; the process exit code comes back. The desk (no command) is
/// `tui::run`, chosen by `main.rs`.
pub fn run(global: &GlobalArgs, command: Command) -> ExitCode {
    match command {
        Command::Config(cmd) => config_cmd::run(&cmd, global),
        Command::Fields { json } => session_cmds::fields(global, json),
        Command::Profiles { json } => session_cmds::profiles(global, json),
        Command::Validate { file, strict } => session_cmds::validate(global, &file, strict),
        Command::Emulator(args) => emulator_cmd::run(&args),
        Command::Create(args) => create::create(global, &args),
        Command::Refund(args) => refund_cmd::run(global, &args),
        Command::Status { order_id, json } => create::status(global, &order_id, json),
        Command::History(args) => history_cmd::run(global, &args),
        Command::Ledger(cmd) => ledger_cmd::run(global, &cmd),
    }
}
