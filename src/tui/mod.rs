//! The desk: terminal setup and restore, the event loop.
//!
//! One queue of `Msg`; a biased `select!` over that queue, terminal input and shutdown
//! signals; `App::update` turns each message into effects that run as tasks and answer with
//! more messages. The screen is drawn only when something changed, and a tick runs only
//! while something moves (a send in flight, an expiry countdown, live status).

pub mod app;
pub mod draft;
pub mod effects;
pub mod form_state;
pub mod history_pane;
pub mod keymap;
pub mod msg;
pub mod order_view;
pub mod qr_view;
pub mod strings;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod view;

use std::future::Future;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use tokio::sync::mpsc;

use crate::cli::GlobalArgs;
use crate::config::Settings;
use crate::session::{ProfileSet, wire};

use app::{App, AppInit, Clock, Start};
use effects::{Runner, TermEffect};
use msg::Msg;
use theme::Theme;

/// Opens the desk. Returns when the user quits.
pub fn run(global: &GlobalArgs, from: Option<&Path>) -> ExitCode {
    // The local UTC offset can only be read safely before other threads exist.
    let utc_offset = time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC);
    let var = |k: &str| std::env::var(k).ok();
    let settings = Settings::load(&global.flags(), &var);
    let init = prepare(settings.clone(), from, &var, utc_offset);
    match run_terminal(init, settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paydesk: {e}");
            ExitCode::from(crate::cli::exit::OTHER)
        }
    }
}

/// Builds the desk's starting state: profiles, theme, the form (from `--from`, the draft,
/// or blank). Problems become banner lines, never errors.
fn prepare(
    settings: Settings,
    from: Option<&Path>,
    var: &dyn Fn(&str) -> Option<String>,
    utc_offset: time::UtcOffset,
) -> AppInit {
    let mut problems: Vec<String> = Vec::new();
    let (profiles, errors) = ProfileSet::load(Some(&settings.paths.profiles_dir()));
    problems.extend(errors.iter().map(|e| format!("Profile skipped: {e}")));
    let (mut theme, theme_problem) =
        Theme::load(&settings.theme, Some(&settings.paths.themes_dir()));
    if let Some(p) = theme_problem {
        problems.push(format!("{p}; using the dark theme"));
    }
    if theme::no_color(var) {
        theme = theme.without_colors();
    }
    if let Err(e) = profiles.get_or_explain(&settings.profile) {
        let fallback = profiles
            .profiles
            .first()
            .map_or("none", |p| p.name.as_str());
        problems.push(format!("{e} Using {fallback}."));
    }
    let profile = profiles
        .get(&settings.profile)
        .or(profiles.profiles.first())
        .cloned();
    let start = match (from, profile) {
        (Some(path), Some(profile)) => match crate::files::read_text(path) {
            Ok(text) => match wire::import_str(&text, &profile) {
                Ok(form) => Start::Import(form),
                Err(e) => Start::ImportFailed(format!(
                    "Could not use {}: {e}. Starting with a blank form.",
                    path.display()
                )),
            },
            Err(e) => Start::ImportFailed(format!(
                "Could not read {}: {e}. Starting with a blank form.",
                path.display()
            )),
        },
        _ => match draft::read(&settings.paths.draft_file()) {
            Some(d) => Start::Draft(d),
            None => Start::Blank,
        },
    };
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let seed = uuid::Uuid::new_v4().as_u64_pair().0;
    AppInit {
        settings,
        profiles,
        problems,
        theme,
        clock: Clock::System,
        seed,
        utc_offset,
        start,
        size,
    }
}

/// Puts the terminal back: raw mode off, main screen, mouse and paste modes off, cursor on.
/// Safe to call more than once (panic hook, signals, normal exit).
pub fn restore_terminal() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn setup_terminal() -> io::Result<Terminal<CrosstermBackend<io::Stdout>>> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    ) {
        restore_terminal();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Restores the terminal before the panic message is printed, so it is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Drill hook for tests/drills_terminal.rs: with `PAYDESK_DRILL=panic` (that exact value;
/// nothing else reads the variable) the desk panics right after its first frame, to prove
/// that the panic hook restores the terminal and that a panic message holding the settings
/// shows no API key. Without the variable this does nothing.
fn drill_panic(settings: &Settings) {
    if std::env::var_os("PAYDESK_DRILL").is_some_and(|v| v == "panic") {
        panic!(
            "PAYDESK_DRILL=panic: deliberate panic after the first frame; settings: {settings:?}"
        );
    }
}

/// Writes copy and bell requests to the real terminal.
fn write_term_effect(effect: TermEffect) {
    let mut out = io::stdout();
    match effect {
        TermEffect::Copy(text) => {
            let _ = execute!(
                out,
                crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
            );
        }
        TermEffect::Bell => {
            let _ = out.write_all(b"\x07");
            let _ = out.flush();
        }
    }
}

fn run_terminal(init: AppInit, settings: Settings) -> io::Result<()> {
    // One worker: the loop runs on this thread, the tasks (client, emulator, polls) are
    // small and async, and store calls go to the blocking pool. A second worker only added
    // its stack and malloc arena (~0.6 MiB of peak RSS).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    install_panic_hook();
    // Watch SIGTERM/SIGHUP before the terminal changes, so no signal can leave it raw.
    let signals = {
        let _inside = runtime.enter();
        ShutdownSignals::install()
    };
    let mut terminal = setup_terminal()?;
    let result = runtime.block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut app = App::new(init);
        // First frame before any slow work: the emulator and the store start after it.
        terminal
            .draw(|f| view::draw(&app, f))
            .map_err(io::Error::other)?;
        app.dirty = false;
        drill_panic(&settings);
        // Logging starts after the first frame (opening the file and building the filter
        // is the slowest part of start-up); the guard lives until the loop ends.
        let (paths, level, log_tx) = (
            settings.paths.clone(),
            settings.log_level.clone(),
            tx.clone(),
        );
        let log_guard =
            tokio::task::spawn_blocking(move || match crate::logging::init(&paths, &level) {
                Ok(guard) => Some(guard),
                Err(e) => {
                    let _ = log_tx.send(Msg::Banner(format!("Logging is off: {e}")));
                    None
                }
            });
        let var: effects::VarFn = Arc::new(|k: &str| std::env::var(k).ok());
        let mut runner = Runner::new(
            tx.clone(),
            tokio::runtime::Handle::current(),
            settings.clone(),
            var,
        );
        runner.prepare_client(&settings);
        runner.open_store(&settings);
        for effect in app.take_pending() {
            runner.run(effect);
        }
        let mut events = EventStream::new();
        let mut shutdown = Box::pin(signals.recv());
        let result = event_loop(
            &mut terminal,
            &mut app,
            &mut runner,
            &mut rx,
            &mut events,
            &mut shutdown,
            &mut write_term_effect,
        )
        .await;
        // Flushes the log writer.
        drop(log_guard.await);
        result
    });
    restore_terminal();
    let _ = terminal.show_cursor();
    // Tasks still running (a poll, the emulator) end with the runtime; do not wait long.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}

/// SIGTERM and SIGHUP, watched from before the first frame so an early signal still
/// restores the terminal (tokio's handlers replace the default "die at once").
struct ShutdownSignals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl ShutdownSignals {
    /// Installs the handlers; call inside the runtime.
    fn install() -> ShutdownSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = match (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) {
                (Ok(term), Ok(hup)) => Some((term, hup)),
                _ => None,
            };
            ShutdownSignals { streams }
        }
        #[cfg(not(unix))]
        ShutdownSignals {}
    }

    /// Resolves when one of the signals arrives (never, where they cannot be watched).
    async fn recv(self) {
        #[cfg(unix)]
        if let Some((mut term, mut hup)) = self.streams {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
        std::future::pending::<()>().await
    }
}

/// Applies one message and runs the effects it asks for.
pub fn handle(app: &mut App, runner: &mut Runner, msg: Msg) {
    for effect in app.update(msg) {
        runner.run(effect);
    }
}

/// The loop. Generic over the backend and the input stream, so whole-app tests can drive
/// it with a `TestBackend` and scripted events.
pub async fn event_loop<B, E, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    runner: &mut Runner,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    events: &mut E,
    shutdown: &mut S,
    term_out: &mut dyn FnMut(TermEffect),
) -> io::Result<()>
where
    B: Backend,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: Future<Output = ()> + Unpin,
{
    loop {
        for effect in runner.term.drain(..) {
            term_out(effect);
        }
        if app.quit || runner.quit {
            return Ok(());
        }
        if app.dirty {
            terminal
                .draw(|f| view::draw(app, f))
                .map_err(|e| io::Error::other(e.to_string()))?;
            app.dirty = false;
        }
        let period = app.tick_period();
        let tick = async move {
            match period {
                Some(p) => tokio::time::sleep(p).await,
                None => std::future::pending::<()>().await,
            }
        };
        let msg = tokio::select! {
            biased;
            _ = &mut *shutdown => Msg::Shutdown,
            Some(msg) = rx.recv() => msg,
            event = events.next() => match event {
                Some(Ok(event)) => Msg::Input(event),
                Some(Err(e)) => return Err(e),
                None => Msg::Shutdown,
            },
            _ = tick => Msg::Tick,
        };
        handle(app, runner, msg);
        // Draw only once the queue is empty: a burst of messages costs one frame.
        while let Ok(msg) = rx.try_recv() {
            handle(app, runner, msg);
        }
    }
}
