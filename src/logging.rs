//! File logging with `tracing`. Never to the terminal while the TUI runs; never headers or
//! secrets (the API key type prints `***`, and the client logs no header values).

use crate::paths::Paths;

/// Keeps the non-blocking writer alive; drop it last in `main` or lines are lost.
pub struct LogGuard(pub Option<tracing_appender::non_blocking::WorkerGuard>);

/// Starts logging to `paths.log_file()` at `level` (an env-filter string such as `info`).
/// A failure to open the log directory is returned, not fatal: paydesk runs without logs.
pub fn init(paths: &Paths, level: &str) -> Result<LogGuard, String> {
    let _ = (paths, level);
    todo!("config helper")
}
