//! Terminal drills with the real binary in a pseudo-terminal (120×40), configured with a
//! sentinel API key through JUSPAY_API_KEY and a custom environment (JUSPAY_BASE_URL):
//!
//! - a forced panic (`PAYDESK_DRILL=panic`, a hook in `tui::run_terminal` that panics right
//!   after the first frame, with the settings in the message) exits non-zero, leaves the
//!   alternate screen, turns raw mode off (tcgetattr), prints the panic message readably
//!   (each line from column 0) and never shows the key;
//! - a whole session against an emulator that accepts only the sentinel key, with
//!   PAYDESK_LOG=trace (send, result, request preview, quit) writes the key nowhere: not to
//!   the terminal, the history database files or the log.
//!
//! SIGTERM, SIGHUP, SIGINT and SIGQUIT restoring the terminal, and Ctrl-Z, are covered by
//! `tui_e2e::sigterm_sighup_sigint_and_sigquit_restore_the_terminal` and
//! `tui_e2e::ctrl_z_suspends_with_the_terminal_restored_and_resumes_with_a_full_redraw`.

use std::path::{Path, PathBuf};

#[path = "common/pty.rs"]
mod pty;

use base64::Engine as _;
use paydesk::emulator::{Emulator, EmulatorConfig};
use pty::{COLS, rposition, spawn};

const SENTINEL: &str = "sk_live_PTYSENTINEL_0ddba11c4fe";
const MERCHANT: &str = "drill_merchant";

/// The key as is, and as the Basic credentials the client sends.
fn forbidden() -> Vec<Vec<u8>> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{SENTINEL}:"));
    let unpadded = basic.trim_end_matches('=').to_string();
    [SENTINEL.to_string(), basic, unpadded]
        .into_iter()
        .map(String::into_bytes)
        .collect()
}

fn assert_clean(what: &str, bytes: &[u8]) {
    for needle in forbidden() {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
            "the API key leaked into {what}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn a_forced_panic_restores_the_terminal_and_prints_no_key() {
    let mut run = spawn(
        &[],
        &[
            ("JUSPAY_API_KEY", SENTINEL),
            // Nothing listens there: the desk panics before it would send anything.
            ("JUSPAY_BASE_URL", "http://127.0.0.1:9"),
            ("JUSPAY_MERCHANT_ID", MERCHANT),
            ("PAYDESK_LOG", "trace"),
            ("PAYDESK_DRILL", "panic"),
            ("RUST_BACKTRACE", "0"),
        ],
    );
    let status = run.wait_exit();
    assert!(!status.success(), "a panic is a failure: {status:?}");
    assert_eq!(status.exit_code(), 101, "Rust's panic exit code");
    run.assert_raw_mode_off();

    let out = run.final_output();
    let text = String::from_utf8_lossy(&out);
    // The first frame was drawn on the alternate screen, in the custom environment.
    let entered = rposition(&out, b"\x1b[?1049h").expect("entered the alternate screen");
    let left = rposition(&out, b"\x1b[?1049l").expect("left the alternate screen");
    assert!(
        left > entered,
        "left the alternate screen after entering it"
    );
    assert!(text.contains("CUSTOM"), "the first frame was drawn: {text}");
    for mode_off in [&b"\x1b[?1000l"[..], b"\x1b[?2004l", b"\x1b[?25h"] {
        let off = rposition(&out, mode_off).unwrap_or(0);
        assert!(
            off > entered,
            "{:?} after entering",
            String::from_utf8_lossy(mode_off)
        );
    }
    // The message comes after the screen is restored, so it lands on the main screen.
    let message = rposition(&out, b"panicked at").expect("the panic message is printed");
    assert!(
        message > left,
        "the message is printed after leaving the alternate screen"
    );

    let parser = run.parse();
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    assert!(!screen.bracketed_paste());
    // Readable: with output processing back on, every line starts at column 0 (in raw mode
    // each line would start where the previous one ended).
    let rows: Vec<String> = screen.rows(0, COLS).collect();
    let start = rows
        .iter()
        .position(|r| r.starts_with("thread 'main'") && r.contains("panicked at"))
        .unwrap_or_else(|| panic!("no panic line at column 0:\n{}", screen.contents()));
    let contents = screen.contents();
    assert!(
        contents.contains("PAYDESK_DRILL=panic: deliberate panic after the first frame"),
        "{contents}"
    );
    assert!(
        rows.iter().skip(start).any(|r| r.starts_with("note: ")),
        "the note after the message starts at column 0:\n{contents}"
    );
    // The settings are in the message, with the key masked.
    assert!(contents.contains("api_key: Some(***)"), "{contents}");
    assert_clean("the terminal output", &out);
    for file in files_under(run.home.path()) {
        assert_clean(
            &file.display().to_string(),
            &std::fs::read(&file).unwrap_or_default(),
        );
    }
}

#[test]
fn a_whole_session_with_a_real_key_writes_it_nowhere() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig {
            api_key: SENTINEL.into(),
            merchant_id: MERCHANT.into(),
            ..EmulatorConfig::default()
        }))
        .expect("emulator");
    let mut run = spawn(
        &["--from", "assets/samples/travel.json"],
        &[
            ("JUSPAY_API_KEY", SENTINEL),
            ("JUSPAY_BASE_URL", emulator.base_url()),
            ("JUSPAY_MERCHANT_ID", MERCHANT),
            ("PAYDESK_LOG", "trace"),
        ],
    );
    run.wait_for("the form", |s| {
        s.contents().contains("test_1") && s.contents().contains("CUSTOM")
    });
    run.press(b"\x13"); // Ctrl-S
    run.wait_for("the payment link", |s| {
        s.contents().contains("payment-page/order/")
    });
    assert_eq!(
        emulator.order_count(),
        1,
        "the emulator took the sentinel key"
    );
    run.press(b"\x1bOQ"); // F2: the request and its curl command
    run.wait_for("the curl preview", |s| {
        s.contents().contains("JUSPAY_API_KEY")
    });
    run.press(b"\x1b");
    // A key pressed right after Esc would read as Alt-key: wait for the preview to close.
    run.wait_for("the preview closed", |s| {
        !s.contents().contains("Request preview")
    });
    run.press(b"\x11"); // Ctrl-Q
    let status = run.wait_exit();
    assert!(status.success(), "{status:?}");
    run.assert_raw_mode_off();

    assert_clean("the terminal output", &run.final_output());
    let files = files_under(run.home.path());
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for wanted in ["history.db", "paydesk.log"] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
    }
    for file in &files {
        assert_clean(
            &file.display().to_string(),
            &std::fs::read(file).unwrap_or_default(),
        );
    }
    let log = files
        .iter()
        .find(|f| f.ends_with("paydesk.log"))
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .unwrap_or_default();
    assert!(log.contains("TRACE"), "PAYDESK_LOG=trace took effect");
    assert!(log.contains("desk: session created"), "{log}");
}
