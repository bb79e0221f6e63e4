//! Latency drill: the emulator answers after 3 s. The desk's real event loop
//! (`paydesk::tui::event_loop`) runs on a backend that records every frame it draws, with
//! scripted keys and the system clock. While the send is in flight the loop keeps drawing
//! (the spinner and the elapsed time move with no key pressed), the tabs and fields still
//! answer, and Esc cancels: the order is checked through Order Status (also 3 s late) and
//! the screen and the history say it was created after all.
//!
//! Frames are read from the recorder, which the loop fills itself, so the checks do not
//! depend on how quickly this test gets scheduled; waits poll with a deadline.

use std::collections::BTreeSet;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::{Outcome, Store};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::secret::ApiKey;
use paydesk::tui::app::{Clock, Screen, Start};
use paydesk::tui::effects::Runner;
use paydesk::tui::msg::Msg;
use paydesk::tui::testing;
use paydesk::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

const LATENCY: Duration = Duration::from_secs(3);
const WAIT: Duration = Duration::from_secs(30);
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

type Frames = Arc<Mutex<Vec<String>>>;

/// A `TestBackend` that keeps a copy of the screen after every frame (at `flush`).
struct Recorder {
    inner: TestBackend,
    frames: Frames,
}

impl Backend for Recorder {
    type Error = std::convert::Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        if let Ok(mut frames) = self.frames.lock() {
            frames.push(self.inner.to_string());
        }
        Ok(())
    }
}

/// The frames drawn so far, from index `from` on.
fn frames_since(frames: &Frames, from: usize) -> Vec<String> {
    frames
        .lock()
        .map(|f| f.iter().skip(from).cloned().collect())
        .unwrap_or_default()
}

/// Polls the recorded frames (from index `from`) until one satisfies `done`; returns the
/// index just past it. Panics with the last frame after `WAIT`.
async fn wait_frame(
    frames: &Frames,
    from: usize,
    what: &str,
    done: impl Fn(&str) -> bool,
) -> usize {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let seen = frames_since(frames, from);
        if let Some(i) = seen.iter().position(|f| done(f)) {
            return from + i + 1;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no frame with {what}; last frame:\n{}",
            seen.last().map(String::as_str).unwrap_or("(none)")
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The line of a frame that holds `needle`.
fn line_with<'a>(frame: &'a str, needle: &str) -> Option<&'a str> {
    frame.lines().find(|l| l.contains(needle))
}

/// The spinner glyph on the progress line of a frame.
fn spinner(frame: &str, needle: &str) -> Option<char> {
    line_with(frame, needle).and_then(|l| l.chars().find(|c| SPINNER.contains(c)))
}

/// "1.2" from "… Sending order X to DEMO … 1.2 s · Esc cancels".
fn elapsed_text(line: &str) -> Option<String> {
    let after = line.rsplit('…').next()?;
    let secs = after.trim_start().split(' ').next()?;
    secs.parse::<f64>().ok().map(|_| secs.to_string())
}

fn frame_total(frames: &Frames) -> usize {
    frames.lock().map(|f| f.len()).unwrap_or(0)
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, modifiers)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_juspay_keeps_the_desk_drawing_navigable_and_cancellable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let settings = testing::settings(dir.path(), "generic");
    let store = Store::open(&settings.paths.history_db()).expect("history db");
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Import(testing::fixture_form()),
        (120, 40),
    );
    // Real time, so the spinner and the elapsed seconds move as they do for a person.
    app.clock = Clock::System;
    app.env.base_url = Some(emulator.base_url().to_string());
    let order_id = app.form.form().get("order_id").to_string();

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(
        tx.clone(),
        tokio::runtime::Handle::current(),
        settings,
        Arc::new(|_: &str| None),
    );
    runner.set_services(client, store.clone());
    tx.send(Msg::StoreReady(Ok(()))).expect("queue");

    let frames: Frames = Arc::default();
    let mut terminal = Terminal::new(Recorder {
        inner: TestBackend::new(120, 40),
        frames: frames.clone(),
    })
    .expect("terminal");
    let (keys, mut events) = futures::channel::mpsc::unbounded::<io::Result<Event>>();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut shutdown = Box::pin(async move {
        let _ = stopped.await;
    });

    let mut term_out = |_| {};
    let desk = paydesk::tui::event_loop(
        &mut terminal,
        &mut app,
        &mut runner,
        &mut rx,
        &mut events,
        &mut shutdown,
        &mut term_out,
    );
    let press = |code: KeyCode, modifiers: KeyModifiers| {
        keys.unbounded_send(key(code, modifiers))
            .expect("the desk takes keys");
    };

    let drill = async {
        let at = wait_frame(&frames, 0, "the form", |f| f.contains("Order ID")).await;

        emulator.set_latency(LATENCY);
        press(KeyCode::Char('s'), KeyModifiers::CONTROL);
        let sending = format!("Sending order {order_id}");
        let at = wait_frame(&frames, at, "the progress line", |f| f.contains(&sending)).await;
        // The request has reached the emulator, which recorded it and now waits 3 s.
        let deadline = tokio::time::Instant::now() + WAIT;
        while emulator.order_count() == 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the request never arrived"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }

        // Navigable: another tab, then the next field, each drawn while still sending.
        press(KeyCode::Char('2'), KeyModifiers::ALT);
        let at = wait_frame(&frames, at, "the Customer tab while sending", |f| {
            f.contains(&sending) && f.contains("Customer ID")
        })
        .await;
        let focused = |f: &str| {
            f.lines()
                .find(|l| l.contains('▶'))
                .map(|l| {
                    l.split_whitespace()
                        .skip(1)
                        .take(2)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default()
        };
        let before = frames_since(&frames, at - 1)
            .first()
            .map(|f| focused(f))
            .unwrap_or_default();
        press(KeyCode::Tab, KeyModifiers::NONE);
        let at = wait_frame(&frames, at, "the focus moved while sending", |f| {
            f.contains(&sending) && !focused(f).is_empty() && focused(f) != before
        })
        .await;

        // No key for a while: the elapsed time on the progress line keeps moving.
        let quiet = at;
        let elapsed_values = |from: usize| -> BTreeSet<String> {
            frames_since(&frames, from)
                .iter()
                .filter_map(|f| line_with(f, &sending).and_then(elapsed_text))
                .collect()
        };
        let deadline = tokio::time::Instant::now() + WAIT;
        while elapsed_values(quiet).len() < 3 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the elapsed time stopped while sending: {:?}",
                elapsed_values(quiet)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let at = frame_total(&frames);

        // Cancel. Juspay's status answer is 3 s late too: no key is pressed meanwhile, and
        // the frames keep coming.
        press(KeyCode::Esc, KeyModifiers::NONE);
        let checking = format!("Outcome of {order_id} unknown");
        let at = wait_frame(&frames, at, "the cancel notice", |f| {
            f.contains(&checking) && f.contains(&format!("Cancelled sending {order_id}"))
        })
        .await;
        // The note beside the QR code wraps; its first words fit on one line.
        let created = format!("Order {order_id} was created");
        let done = wait_frame(&frames, at, "the result", |f| f.contains(&created)).await;

        let all = frames_since(&frames, 0);
        let checking_frames: Vec<&String> = all[at..done - 1]
            .iter()
            .filter(|f| f.contains(&checking))
            .collect();
        let glyphs: BTreeSet<char> = checking_frames
            .iter()
            .filter_map(|f| spinner(f, &checking))
            .collect();
        assert!(
            glyphs.len() >= 3,
            "the spinner kept turning for the 3 s status check with no key pressed: {glyphs:?} in {} frames",
            checking_frames.len()
        );

        let _ = stop.send(());
    };

    let (ended, ()) = tokio::join!(desk, drill);
    ended.expect("the loop ends cleanly");
    assert_eq!(app.screen, Screen::Result);
    assert!(app.send.is_none());
    let note = app
        .result
        .as_ref()
        .and_then(|r| r.note.clone())
        .unwrap_or_default();
    assert!(note.contains("created after all"), "{note}");
    let row = store
        .latest_by_order_id(&order_id)
        .expect("query")
        .expect("a history row");
    assert_eq!(row.outcome, Outcome::Created, "reconciled: {row:?}");
}
