//! Test support: fixed fixtures and `Desk`, a whole-app harness on `TestBackend` that feeds
//! keys to `update`, runs the effects on the tokio runtime and waits for their answers.
//! Public (hidden) so the integration tests in `tests/` can use it.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::{OffsetDateTime, UtcOffset};
use tokio::sync::mpsc;

use crate::config::Settings;
use crate::paths::Paths;
use crate::session::{Form, Profile, ProfileSet};

use super::effects::{Runner, TermEffect};
use super::msg::Msg;
use super::state::{App, AppInit, Clock, Start};
use super::theme::Theme;
use super::view;

/// 2026-11-25 10:00:00 UTC: the fixed "now" of every snapshot.
pub fn fixed_now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_795_600_800).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Settings for the demo environment with every file under `root`.
pub fn settings(root: &Path, profile: &str) -> Settings {
    let mut settings = Settings::demo_defaults(Paths::under(root));
    settings.profile = profile.into();
    settings.environment.return_url = Some("https://shop.example.com/thanks".into());
    settings
}

pub fn fixture_profile() -> Profile {
    let set = ProfileSet::builtin();
    set.get("generic")
        .or(set.profiles.first())
        .cloned()
        .unwrap_or_else(|| {
            panic!("no built-in profiles");
        })
}

/// A generic order with its customer filled in.
pub fn fixture_form() -> Form {
    let mut form = Form::default();
    for (k, v) in [
        ("order_id", "PD2611250001"),
        ("amount", "30500"),
        ("currency", "INR"),
        ("description", "Bangalore–Mangalore, 2 pax"),
        ("customer_id", "CUST57SDFG"),
        ("customer_email", "asha.rao@example.com"),
        ("customer_phone", "9876543210"),
        ("customer_first_name", "Asha"),
        ("customer_last_name", "Rao"),
    ] {
        form.set(k, v);
    }
    form
}

/// An app in a fixed state for snapshots: fixed clock, seed, UTC, built-in profiles.
pub fn app(root: &Path, profile: &str, theme: Theme, start: Start, size: (u16, u16)) -> App {
    let mut app = App::new(AppInit {
        settings: settings(root, profile),
        profiles: ProfileSet::builtin(),
        problems: Vec::new(),
        theme,
        clock: Clock::fixed(fixed_now()),
        seed: 7,
        utc_offset: UtcOffset::UTC,
        start,
        size,
    });
    app.client_ready = true;
    app.env.base_url = Some("http://127.0.0.1:4010".into());
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

pub fn alt(c: char) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::ALT,
    )))
}

/// Renders an app on a fresh `TestBackend`.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.size;
    let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = terminal.draw(|f| view::draw(app, f)) {
        panic!("{e}");
    }
    terminal
}

/// The whole app on a `TestBackend`, with real effects.
pub struct Desk {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    pub runner: Runner,
    rx: mpsc::UnboundedReceiver<Msg>,
    /// Texts copied to the clipboard (OSC 52), in order.
    pub copied: Vec<String>,
    pub bells: usize,
    /// Times the desk asked to be suspended (Ctrl-Z, SIGTSTP).
    pub suspends: usize,
}

impl Desk {
    /// A desk on the current tokio runtime. The caller installs services with
    /// `runner.set_services` or `runner.prepare_client` / `open_store`.
    pub fn new(mut app: App, settings: Settings) -> Desk {
        let (tx, rx) = mpsc::unbounded_channel();
        let runner = Runner::new(
            tx,
            tokio::runtime::Handle::current(),
            settings,
            Arc::new(|_: &str| None),
        );
        let (w, h) = app.size;
        let terminal = match Terminal::new(TestBackend::new(w, h)) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let mut runner = runner;
        for effect in app.take_pending() {
            runner.run(effect);
        }
        Desk {
            app,
            terminal,
            runner,
            rx,
            copied: Vec::new(),
            bells: 0,
            suspends: 0,
        }
    }

    pub fn send(&mut self, msg: Msg) {
        super::handle(&mut self.app, &mut self.runner, msg);
        for effect in self.runner.term.drain(..) {
            match effect {
                TermEffect::Copy(text) => self.copied.push(text),
                TermEffect::Bell => self.bells += 1,
                TermEffect::Suspend => self.suspends += 1,
            }
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(key(code));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(ctrl(c));
    }

    pub fn type_str(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Fills a valid travel order (Asha Rao, ₹5000.00, Bangalore → Mangalore) field by
    /// field with `fill`, leaving out the keys in `skip`.
    pub fn fill_travel(&mut self, skip: &[&str]) {
        for (key, value) in [
            ("amount", "5000.00"),
            ("customer_id", "CUST-42"),
            ("customer_email", "asha.rao@example.com"),
            ("customer_phone", "9876543210"),
            ("customer_first_name", "Asha"),
            ("customer_last_name", "Rao"),
            ("metadata.origin", "Bangalore"),
            ("metadata.destination", "Mangalore"),
            ("metadata.travel_start_date", "29-Dec-2026"),
            ("metadata.travel_end_date", "31-Dec-2026"),
        ] {
            if !skip.contains(&key) {
                self.fill(key, value);
            }
        }
    }

    /// Moves to `key`'s tab and field the way a person would (Alt-n, then Tab), clears it
    /// and types `value`.
    pub fn fill(&mut self, key: &str, value: &str) {
        let section = self.app.form.section_of(key);
        let Some(tab) = self.app.form.tabs.iter().position(|s| *s == section) else {
            panic!("tab {section:?} not shown");
        };
        let digit = u8::try_from(tab).map_or('1', |t| char::from(b'1'.saturating_add(t)));
        self.send(alt(digit));
        for _ in 0..80 {
            if self.app.form.focused_field().is_some_and(|f| f.key == key) {
                self.ctrl('u');
                self.type_str(value);
                return;
            }
            self.key(KeyCode::Tab);
        }
        panic!("no field {key} on tab {section:?}");
    }

    /// Applies queued task answers until `done` holds or `timeout` passes. Returns
    /// whether `done` held.
    pub async fn settle_until(&mut self, timeout: Duration, done: impl Fn(&App) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if done(&self.app) {
                return true;
            }
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => self.send(msg),
                Ok(None) | Err(_) => return done(&self.app),
            }
        }
    }

    /// Draws and returns the screen as text.
    pub fn screen(&mut self) -> String {
        if let Err(e) = self.terminal.draw(|f| view::draw(&self.app, f)) {
            panic!("{e}");
        }
        self.terminal.backend().to_string()
    }
}
