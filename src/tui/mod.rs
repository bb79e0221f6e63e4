//! The desk: terminal setup and restore, the event loop.
//!
//! One queue of `Msg`; a biased `select!` over that queue, terminal input and shutdown
//! signals; `App::update` turns each message into effects that run as tasks and answer with
//! more messages. The screen is drawn only when something changed, and a tick runs only
//! while something moves (a send in flight, an expiry countdown, live status).

pub mod app;
pub mod chain;
pub mod curl;
pub mod draft;
pub mod effects;
mod focus;
pub mod form_ctx;
pub mod form_keys;
pub mod form_state;
pub mod history_open;
pub mod history_pane;
pub mod keymap;
pub mod layout;
pub mod live;
pub mod live_msg;
mod mouse;
pub mod msg;
pub mod order_view;
pub mod parts;
pub mod popup;
pub mod qr_view;
mod refund_desk;
pub mod refund_msgs;
mod refund_tasks;
mod send;
mod start;
pub mod state;
pub mod strings;
pub mod task_error;
pub mod terminal;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod view;
pub mod widgets;

use std::future::Future;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crossterm::event::{Event, EventStream};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType};
use tokio::sync::mpsc;

use crate::args::GlobalArgs;
use crate::config::Settings;
use crate::session::{ProfileSet, wire};

use effects::{Runner, TermEffect};
use msg::Msg;
use state::{App, AppInit, Clock, Start};
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
            ExitCode::from(crate::exit::OTHER)
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

/// Opens the log file off the loop; a failure becomes a banner. Its guard flushes the
/// writer when dropped.
fn start_logging(
    settings: &Settings,
    tx: mpsc::UnboundedSender<Msg>,
) -> tokio::task::JoinHandle<Option<crate::logging::LogGuard>> {
    let (paths, level) = (settings.paths.clone(), settings.log_level.clone());
    tokio::task::spawn_blocking(move || match crate::logging::init(&paths, &level) {
        Ok(guard) => Some(guard),
        Err(e) => {
            let _ = tx.send(Msg::Banner(format!("Logging is off: {e}")));
            None
        }
    })
}

/// Forwards SIGTSTP as a suspend; the returned future ends at the first shutdown signal.
fn watch_signals(
    mut signals: terminal::Signals,
    tx: mpsc::UnboundedSender<Msg>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        loop {
            match signals.next().await {
                terminal::SignalAsk::Shutdown => {
                    let _ = stop.send(());
                    return;
                }
                terminal::SignalAsk::Suspend => {
                    if tx.send(Msg::Suspend).is_err() {
                        return;
                    }
                }
            }
        }
    });
    Box::pin(async move {
        let _ = stopped.await;
    })
}

/// A clean close gives this desk's poll leases up, so the branch's other desks poll its
/// orders at once rather than after the lease period.
async fn release_poll_leases(runner: &Runner) {
    match tokio::time::timeout(RELEASE_WAIT, runner.release_poll_leases()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "desk: could not give the poll leases up"),
        Err(_) => tracing::warn!("desk: giving the poll leases up took too long"),
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
    terminal::install_panic_hook();
    // Watch the signals before the terminal changes, so no signal can leave it raw.
    let signals = {
        let _inside = runtime.enter();
        terminal::Signals::install()
    };
    let mut terminal = terminal::setup()?;
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
        let log_guard = start_logging(&settings, tx.clone());
        let var: effects::VarFn = Arc::new(|k: &str| std::env::var(k).ok());
        let mut runner = Runner::new(
            tx.clone(),
            tokio::runtime::Handle::current(),
            settings.clone(),
            var,
        );
        runner.prepare_client(&settings);
        runner.open_store();
        for effect in app.take_pending() {
            runner.run(effect);
        }
        let mut events = EventStream::new();
        // Shutdown signals end the loop first thing; SIGTSTP queues a suspend like Ctrl-Z.
        let mut shutdown = watch_signals(signals, tx.clone());
        let result = event_loop(
            &mut terminal,
            &mut app,
            &mut runner,
            &mut rx,
            &mut events,
            &mut shutdown,
            &mut terminal::write_effect,
        )
        .await;
        release_poll_leases(&runner).await;
        // Flushes the log writer.
        drop(log_guard.await);
        result
    });
    terminal::restore();
    let _ = terminal.show_cursor();
    // Tasks still running (a poll, the emulator) end with the runtime; do not wait long.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}

/// How long a closing desk waits to give its poll leases up (they expire by themselves).
const RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

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
            let suspend = effect == TermEffect::Suspend;
            term_out(effect);
            if suspend {
                // Back from the shell, which wrote over the screen: clear it and blank
                // both of ratatui's buffers, so the next frame writes every cell.
                // (`Terminal::clear` would ask the terminal for the cursor position, an
                // answer the event stream's reader swallows.)
                terminal
                    .backend_mut()
                    .clear_region(ClearType::All)
                    .map_err(|e| io::Error::other(e.to_string()))?;
                terminal.swap_buffers();
                terminal.swap_buffers();
                app.dirty = true;
            }
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
