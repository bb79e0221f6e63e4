//! The desk: terminal setup and restore, the event loop.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::GlobalArgs;

/// Opens the desk. Returns when the user quits.
pub fn run(global: &GlobalArgs, from: Option<&Path>) -> ExitCode {
    let _ = (global, from);
    todo!("tui helper")
}
