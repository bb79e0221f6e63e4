//! `paydesk history …`.

use std::process::ExitCode;

use super::{GlobalArgs, HistoryArgs};

pub fn run(global: &GlobalArgs, args: &HistoryArgs) -> ExitCode {
    let _ = (global, args);
    todo!("history helper")
}
