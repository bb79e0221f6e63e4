//! `paydesk fields`, `paydesk profiles`, `paydesk validate`.

use std::path::Path;
use std::process::ExitCode;

use super::GlobalArgs;

pub fn fields(global: &GlobalArgs, json: bool) -> ExitCode {
    let _ = (global, json);
    todo!("session helper")
}

pub fn profiles(global: &GlobalArgs, json: bool) -> ExitCode {
    let _ = (global, json);
    todo!("session helper")
}

pub fn validate(global: &GlobalArgs, file: &Path) -> ExitCode {
    let _ = (global, file);
    todo!("session helper")
}
