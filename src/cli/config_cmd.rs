//! `paydesk config path|check`.

use std::process::ExitCode;

use super::{ConfigCmd, GlobalArgs};

pub fn run(cmd: &ConfigCmd, global: &GlobalArgs) -> ExitCode {
    let _ = (cmd, global);
    todo!("config helper")
}
