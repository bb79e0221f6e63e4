//! The binary: parse the command line, then open the desk (no command) or run one command.

use std::process::ExitCode;

use clap::Parser;
use paydesk::cli::Cli;
use paydesk::exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with exit 0, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::INVALID
            } else {
                exit::OK
            });
        }
    };
    match cli.command {
        None => paydesk::tui::run(&cli.global, cli.from.as_deref()),
        Some(command) => paydesk::cli::run(&cli.global, command),
    }
}
