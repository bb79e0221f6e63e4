//! `paydesk emulator`: the emulator in the foreground.

use std::process::ExitCode;

use super::EmulatorArgs;

pub fn run(args: &EmulatorArgs) -> ExitCode {
    let _ = args;
    todo!("juspay helper")
}
