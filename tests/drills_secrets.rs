//! Secrets drill: a sentinel API key, configured the way a person would (JUSPAY_API_KEY with
//! a custom `[env.NAME]` pointing at an emulator that accepts only that key), never leaves
//! the process. The whole desk runs every screen it has (each tab of each profile, help,
//! request preview and its curl command, pickers, problems, sending, cancel, quit question,
//! result, full-screen QR, sdk_payload, history, a fault's notice, too small) with
//! PAYDESK_LOG=trace; then every rendered screen, everything copied, the history database
//! (db, -wal, -shm) and the log files are searched for the key and for its Basic
//! Authorization form.
//!
//! The output of a forced panic is checked by the PTY drill in `drills_terminal.rs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use crossterm::event::KeyCode;
use paydesk::config::{EnvKind, Flags, Settings};
use paydesk::emulator::{Emulator, EmulatorConfig, Fault};
use paydesk::paths::Paths;
use paydesk::session::ProfileSet;
use paydesk::tui::app::{App, AppInit, Clock, Focus, Screen, Start};
use paydesk::tui::popup::text::Preview;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;

/// The key: long and unlike anything else on screen or on disk.
const SENTINEL: &str = "sk_live_DRILLSENTINEL_5c0ffee9d3a1b7";
const MERCHANT: &str = "drill_merchant";
const WAIT: Duration = Duration::from_secs(20);

/// Every form in which the key could leak: as is, and as the Basic credentials the client
/// sends (`base64(key + ":")`, with and without padding).
fn forbidden() -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{SENTINEL}:"));
    let unpadded = basic.trim_end_matches('=').to_string();
    vec![SENTINEL.to_string(), basic, unpadded]
}

fn assert_clean(what: &str, text: &str) {
    for needle in forbidden() {
        assert!(
            !text.contains(&needle),
            "the API key leaked into {what}:\n{text}"
        );
    }
}

fn assert_clean_bytes(what: &Path, bytes: &[u8]) {
    for needle in forbidden() {
        let needle = needle.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the API key leaked into {}",
            what.display()
        );
    }
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
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

/// Screens seen so far, each at the desk's size and at 80×24, plus every too-small size.
struct Screens(Vec<(String, String)>);

impl Screens {
    fn take(&mut self, desk: &mut Desk, what: &str) {
        self.0.push((format!("{what} (120x40)"), desk.screen()));
        let size = desk.app.size;
        for small in [(80, 24), (39, 11), (20, 5)] {
            desk.app.size = small;
            let screen = testing::render(&desk.app).backend().to_string();
            self.0
                .push((format!("{what} ({}x{})", small.0, small.1), screen));
        }
        desk.app.size = size;
    }
}

/// Settings as `paydesk` would load them: a config file naming the custom environment
/// (no key in it) and the key in JUSPAY_API_KEY, logging at trace level.
fn drill_settings(root: &Path, base_url: &str) -> Settings {
    let paths = Paths::under(root);
    std::fs::create_dir_all(&paths.config_dir).expect("config dir");
    std::fs::write(
        &paths.config_file,
        format!(
            "default_env = \"drill\"\n\n[env.drill]\nbase_url = \"{base_url}\"\n\
             merchant_id = \"{MERCHANT}\"\nclient_id = \"drill_client\"\n\
             return_url = \"https://shop.example.com/thanks\"\n"
        ),
    )
    .expect("config file");
    let var = |name: &str| match name {
        "JUSPAY_API_KEY" => Some(SENTINEL.to_string()),
        "PAYDESK_LOG" => Some("trace".to_string()),
        _ => None,
    };
    Settings::load_with_paths(&Flags::default(), &var, paths)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_key_never_reaches_a_screen_the_history_or_the_logs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = Emulator::start(EmulatorConfig {
        api_key: SENTINEL.into(),
        merchant_id: MERCHANT.into(),
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let settings = drill_settings(dir.path(), emulator.base_url());
    assert_eq!(settings.environment.kind, EnvKind::Custom, "{settings:?}");
    assert_eq!(
        settings.environment.api_key.as_ref().map(|k| k.expose()),
        Some(SENTINEL)
    );
    assert_eq!(settings.log_level, "trace");
    assert!(settings.problems.is_empty(), "{:?}", settings.problems);
    let log_guard =
        paydesk::logging::init(&settings.paths, &settings.log_level).expect("logging starts");

    let app = App::new(AppInit {
        settings: settings.clone(),
        profiles: ProfileSet::builtin(),
        problems: Vec::new(),
        theme: Theme::dark(),
        clock: Clock::fixed(testing::fixed_now()),
        seed: 7,
        utc_offset: time::UtcOffset::UTC,
        start: Start::Import(testing::fixture_form()),
        size: (120, 40),
    });
    let mut desk = Desk::new(app, settings.clone());
    // The real start-up path: the client is built from the settings (key and all).
    desk.runner.prepare_client(&settings);
    desk.runner.open_store();
    assert!(
        desk.settle_until(WAIT, |a| a.client_ready && a.history.available)
            .await,
        "{}",
        desk.screen()
    );
    let mut screens = Screens(Vec::new());
    screens.take(&mut desk, "start");

    // Every tab of every profile.
    let profiles = desk.app.profiles.profiles.len();
    for p in 0..profiles {
        desk.key(KeyCode::F(3));
        screens.take(&mut desk, "profile picker");
        for _ in 0..profiles {
            desk.key(KeyCode::Up);
        }
        for _ in 0..p {
            desk.key(KeyCode::Down);
        }
        desk.key(KeyCode::Enter);
        for tab in 0..desk.app.form.tabs.len() {
            desk.send(testing::alt(char::from(b'1' + tab as u8)));
            let name = format!(
                "profile {} tab {}",
                desk.app.current_profile().name,
                tab + 1
            );
            screens.take(&mut desk, &name);
        }
    }
    desk.key(KeyCode::F(3));
    for _ in 0..profiles {
        desk.key(KeyCode::Up);
    }
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.current_profile().name, "generic");

    // Help (with the config, key source and log paths), the environment picker.
    desk.key(KeyCode::F(1));
    screens.take(&mut desk, "help");
    for _ in 0..6 {
        desk.key(KeyCode::PageDown);
        screens.take(&mut desk, "help, scrolled");
    }
    desk.key(KeyCode::Esc);
    desk.key(KeyCode::F(4));
    screens.take(&mut desk, "environment picker");
    desk.key(KeyCode::Esc);

    // The request preview and its curl command, shown and copied.
    desk.key(KeyCode::F(2));
    let Some(preview) = desk.app.popup_as::<Preview>() else {
        panic!("F2 opens the preview: {:?}", desk.app.overlay);
    };
    let (curl, json) = (preview.curl().to_string(), preview.json().to_string());
    assert!(curl.contains("$JUSPAY_API_KEY"), "{curl}");
    assert_clean("the curl preview", &curl);
    assert_clean("the JSON preview", &json);
    screens.take(&mut desk, "request preview");
    for _ in 0..6 {
        desk.key(KeyCode::PageDown);
        screens.take(&mut desk, "request preview, scrolled");
    }
    desk.key(KeyCode::Char('c'));
    desk.key(KeyCode::Char('u'));
    assert_eq!(desk.copied.len(), 2, "JSON and curl copied");
    desk.key(KeyCode::Esc);

    // Problems.
    desk.fill("amount", "");
    desk.ctrl('s');
    assert!(desk.app.form.problems.contains_key("amount"));
    screens.take(&mut desk, "validation problems");
    desk.fill("amount", "30500");

    // Send: the result, full-screen QR, sdk_payload, saved QR files, copied link.
    desk.ctrl('s');
    assert!(
        desk.settle_until(WAIT, |a| a.screen == Screen::Result)
            .await,
        "the emulator accepted the sentinel key:\n{}",
        desk.screen()
    );
    screens.take(&mut desk, "result");
    desk.key(KeyCode::Char('f'));
    screens.take(&mut desk, "full-screen QR");
    desk.key(KeyCode::Char('x'));
    desk.key(KeyCode::Char('p'));
    screens.take(&mut desk, "sdk_payload");
    desk.key(KeyCode::Esc);
    desk.key(KeyCode::Char('s'));
    assert!(
        desk.settle_until(WAIT, |a| a
            .result
            .as_ref()
            .is_some_and(|r| r.saved.is_some()))
            .await
    );
    screens.take(&mut desk, "QR saved");
    desk.key(KeyCode::Char('c'));

    // History: focus, search, re-open.
    desk.key(KeyCode::F(6));
    assert_eq!(desk.app.focus, Focus::History);
    screens.take(&mut desk, "history");
    desk.key(KeyCode::Char('/'));
    desk.type_str("PD");
    assert!(desk.settle_until(WAIT, |a| !a.history.loading).await);
    screens.take(&mut desk, "history search");
    desk.key(KeyCode::Esc);
    assert!(desk.settle_until(WAIT, |a| !a.history.loading).await);
    desk.key(KeyCode::Enter);
    screens.take(&mut desk, "history re-opened");

    // A fault's notice, on a copy of the order.
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Char('y'));
    assert_eq!(desk.app.screen, Screen::Form);
    emulator.set_fault(Some(Fault::Html500));
    desk.ctrl('s');
    assert!(desk.settle_until(WAIT, |a| a.send.is_none()).await);
    assert!(desk.app.notice.is_some());
    screens.take(&mut desk, "fault notice");
    emulator.set_fault(None);

    // Sending, the quit question, cancel.
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Char('y'));
    emulator.set_latency(Duration::from_secs(30));
    desk.ctrl('s');
    assert!(desk.app.send.is_some());
    screens.take(&mut desk, "sending");
    desk.ctrl('q');
    screens.take(&mut desk, "quit question");
    desk.key(KeyCode::Char('n'));
    emulator.set_latency(Duration::ZERO);
    desk.key(KeyCode::Esc);
    screens.take(&mut desk, "cancelled");
    assert!(desk.settle_until(WAIT, |a| a.send.is_none()).await);
    screens.take(&mut desk, "after the cancel");

    // The screens.
    assert!(screens.0.len() > 100, "{} screens", screens.0.len());
    for (what, screen) in &screens.0 {
        assert_clean(what, screen);
    }
    for copied in &desk.copied {
        assert_clean("the clipboard", copied);
    }

    // The files: history (db, -wal, -shm) while open and after, logs, draft, QR codes.
    let data = settings.paths.data_dir.clone();
    let db = settings.paths.history_db();
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert!(db.exists() && wal.exists(), "the history is in WAL mode");
    let scan = |when: &str| {
        let files = files_under(&data);
        assert!(!files.is_empty(), "{when}: no files");
        for file in files {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert_clean_bytes(&file, &bytes);
        }
    };
    scan("while open");
    drop(desk);
    drop(log_guard);
    scan("after closing");

    let log = std::fs::read_to_string(settings.paths.log_file()).expect("log file");
    assert!(log.contains("desk: sending a session"), "{log}");
    assert!(log.contains("TRACE"), "trace level was on");
    assert!(
        log.contains("juspay call ok"),
        "the client's calls are logged"
    );
    assert_clean("the log", &log);
}
