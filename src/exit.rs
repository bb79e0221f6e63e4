//! Process exit codes, shared by the headless commands and the desk (neither imports the
//! other; `main.rs` picks one and turns its answer into the exit code).

/// Success.
pub const OK: u8 = 0;
/// Anything else (unreadable file, internal error, a terminal the desk cannot use).
pub const OTHER: u8 = 1;
/// Invalid input or configuration: local validation, a 400, a bad config.
pub const INVALID: u8 = 2;
/// The API key was refused.
pub const AUTH: u8 = 3;
/// Network, timeout or server error.
pub const NETWORK: u8 = 4;
