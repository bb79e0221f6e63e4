//! Logging goes to the file in the data directory, filtered by level, and never shows
//! the API key.

use paydesk::logging;
use paydesk::paths::Paths;
use paydesk::secret::ApiKey;

#[test]
fn lines_go_to_the_log_file_filtered_by_level_with_the_key_masked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths::under(dir.path());
    let (dispatch, guard) = logging::dispatch(&paths, "info").expect("logging starts");
    let key = ApiKey::new("sk_live_never_in_logs");
    tracing::dispatcher::with_default(&dispatch, || {
        tracing::info!(?key, "sending with key {key}");
        tracing::debug!("debug_line_hidden_at_info");
        tracing::warn!("warn_line_shown");
    });
    drop(guard); // flushes the non-blocking writer
    let text = std::fs::read_to_string(paths.log_file()).expect("log file");
    assert!(text.contains("sending with key ***"), "{text}");
    assert!(text.contains("warn_line_shown"), "{text}");
    assert!(!text.contains("debug_line_hidden_at_info"), "{text}");
    assert!(!text.contains("sk_live_never_in_logs"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no terminal colour codes in the file: {text:?}"
    );
}

#[test]
fn an_unusable_log_directory_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths::under(dir.path());
    // A plain file where the data directory should be.
    std::fs::write(&paths.data_dir, "not a directory").expect("write");
    let result = logging::dispatch(&paths, "info");
    let message = result.err().unwrap_or_default();
    assert!(
        message.contains("cannot create the log directory"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn the_log_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths::under(dir.path());
    let (_dispatch, _guard) = logging::dispatch(&paths, "debug").expect("logging starts");
    let mode = std::fs::metadata(paths.log_dir())
        .expect("dir")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
}
