//! File logging with `tracing`. Never to the terminal while the TUI runs; never headers or
//! secrets (the API key type prints `***`, and the client logs no header values).

use std::path::Path;

use tracing_subscriber::EnvFilter;

use crate::paths::Paths;

/// Log lines queued for the writer thread before new ones are dropped.
const LOG_QUEUE_LINES: usize = 2_048;

/// Keeps the non-blocking writer alive; drop it last in `main` or lines are lost.
pub struct LogGuard(pub Option<tracing_appender::non_blocking::WorkerGuard>);

/// Starts logging to `paths.log_file()` at `level` (an env-filter string such as `info`).
/// A failure to open the log directory is returned, not fatal: paydesk runs without logs.
/// Call it once per process; a second call reports that logging is already set up.
pub fn init(paths: &Paths, level: &str) -> Result<LogGuard, String> {
    let (filter, writer, guard) = file_writer(paths, level)?;
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| format!("logging is already set up: {e}"))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "paydesk started");
    Ok(LogGuard(Some(guard)))
}

/// Like `init`, but returns a dispatcher instead of installing it globally (tests, or a
/// caller that scopes logging with `tracing::dispatcher::with_default`).
pub fn dispatch(paths: &Paths, level: &str) -> Result<(tracing::Dispatch, LogGuard), String> {
    let (filter, writer, guard) = file_writer(paths, level)?;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .finish();
    Ok((tracing::Dispatch::new(subscriber), LogGuard(Some(guard))))
}

type Parts = (
    EnvFilter,
    tracing_appender::non_blocking::NonBlocking,
    tracing_appender::non_blocking::WorkerGuard,
);

fn file_writer(paths: &Paths, level: &str) -> Result<Parts, String> {
    let dir = paths.log_dir();
    create_private_dir(&dir)
        .map_err(|e| format!("cannot create the log directory {}: {e}", dir.display()))?;
    let file_name = paths.log_file();
    let file_name = file_name.file_name().unwrap_or("paydesk.log".as_ref());
    // Opening the file here surfaces a permission problem now rather than on first write.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(file_name))
        .map_err(|e| format!("cannot open the log file in {}: {e}", dir.display()))?;
    let appender = tracing_appender::rolling::never(&dir, file_name);
    // The default queue holds 128,000 lines and is allocated (and touched) up front: 4 MiB
    // of resident memory for a desk that logs a few lines a minute. A full queue drops lines
    // rather than block the caller.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .lossy(true)
        .finish(appender);
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    Ok((filter, writer, guard))
}

/// Logs may name customers, so only the owner may read them.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
