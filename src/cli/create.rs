//! `paydesk create` and `paydesk status`.

use std::process::ExitCode;

use super::{CreateArgs, GlobalArgs};

pub fn create(global: &GlobalArgs, args: &CreateArgs) -> ExitCode {
    let _ = (global, args);
    todo!("juspay helper")
}

pub fn status(global: &GlobalArgs, order_id: &str, json: bool) -> ExitCode {
    let _ = (global, order_id, json);
    todo!("juspay helper")
}
