//! The real terminal: setup and restore on every way the desk ends (normal exit, panic,
//! SIGTERM, SIGHUP, SIGINT, SIGQUIT), suspend and resume (Ctrl-Z, SIGTSTP), and the
//! writes the loop makes itself (clipboard, bell).

use std::io::{self, Write};

use base64::Engine as _;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::effects::TermEffect;

/// Puts the terminal back: raw mode off, main screen, mouse and paste modes off, cursor on.
/// Safe to call more than once (panic hook, signals, suspend, normal exit).
pub fn restore() {
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

/// Raw mode, alternate screen, mouse and bracketed paste; undone on failure.
fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    if let Err(e) = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    ) {
        restore();
        return Err(e);
    }
    Ok(())
}

/// Lets the desk's colours through under `NO_COLOR`. The theme already drops its own
/// colours for NO_COLOR; what is left is the QR's black-on-white, which a scanner needs
/// on a dark terminal. crossterm would drop that too (it honours NO_COLOR itself).
pub fn force_colours() {
    crossterm::style::force_color_output(true);
}

/// Sets the terminal up for the desk.
pub fn setup() -> io::Result<Terminal<CrosstermBackend<io::Stdout>>> {
    force_colours();
    enter()?;
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

/// Restores the terminal before the panic message is printed, so it is readable.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Hands the terminal back to the shell and stops the process (Ctrl-Z); returns once the
/// shell resumes it (`fg`, SIGCONT) with the terminal set up again. The caller redraws
/// the whole screen: the shell wrote over it meanwhile.
pub fn suspend() -> io::Result<()> {
    restore();
    #[cfg(unix)]
    // SAFETY: raise only sends a signal to this process. SIGSTOP (not SIGTSTP, which the
    // desk watches) cannot be caught, so the stop cannot loop back into the handler.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    enter()
}

/// The OSC 52 sequence that puts `text` on the clipboard. Inside tmux (`in_tmux`) it is
/// wrapped in tmux's DCS passthrough, with every ESC doubled, so tmux hands it on to the
/// outer terminal when `allow-passthrough` is on; with tmux's defaults nothing may arrive,
/// which is why the desk's notice only says the text was sent.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let plain = format!("\x1b]52;c;{encoded}\x07");
    if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b"))
    } else {
        plain
    }
}

/// Writes copy and bell requests to the real terminal.
pub fn write_effect(effect: TermEffect) {
    let mut out = io::stdout();
    match effect {
        TermEffect::Copy(text) => {
            let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
            let _ = out.write_all(osc52(&text, in_tmux).as_bytes());
        }
        TermEffect::Bell => {
            let _ = out.write_all(b"\x07");
        }
        TermEffect::Suspend => {
            // A failed setup has already put the terminal back; the desk carries on drawing
            // and the log says why the screen may look wrong.
            if let Err(e) = suspend() {
                tracing::warn!("could not set the terminal up after resuming: {e}");
            }
        }
    }
    let _ = out.flush();
}

/// What a watched signal asks of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalAsk {
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT: end with the terminal restored.
    Shutdown,
    /// SIGTSTP: suspend like Ctrl-Z.
    Suspend,
}

/// The signals the desk handles itself, watched from before the first frame so an early
/// signal still restores the terminal (tokio's handlers replace the default "die at once").
pub struct Signals {
    #[cfg(unix)]
    shutdown: Vec<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    suspend: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Installs the handlers; call inside the runtime.
    pub fn install() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let shutdown = [
                SignalKind::terminate(),
                SignalKind::hangup(),
                SignalKind::interrupt(),
                SignalKind::quit(),
            ]
            .into_iter()
            .filter_map(|kind| signal(kind).ok())
            .collect();
            let suspend = signal(SignalKind::from_raw(libc::SIGTSTP)).ok();
            Signals { shutdown, suspend }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// Resolves with the next signal (never, where none can be watched).
    pub async fn next(&mut self) -> SignalAsk {
        #[cfg(unix)]
        {
            let (shutdown, suspend) = (&mut self.shutdown, &mut self.suspend);
            let suspend = async {
                match suspend {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            if shutdown.is_empty() {
                suspend.await;
                return SignalAsk::Suspend;
            }
            // select_all panics on an empty list, hence the check above.
            let shutdown =
                futures::future::select_all(shutdown.iter_mut().map(|s| Box::pin(s.recv())));
            tokio::select! {
                _ = shutdown => SignalAsk::Shutdown,
                _ = suspend => SignalAsk::Suspend,
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_plain_outside_tmux_and_wrapped_with_doubled_escapes_inside() {
        let plain = osc52("https://x.test/p", false);
        assert_eq!(plain, "\x1b]52;c;aHR0cHM6Ly94LnRlc3QvcA==\x07");
        let wrapped = osc52("https://x.test/p", true);
        assert_eq!(
            wrapped,
            "\x1bPtmux;\x1b\x1b]52;c;aHR0cHM6Ly94LnRlc3QvcA==\x07\x1b\\"
        );
    }
}
