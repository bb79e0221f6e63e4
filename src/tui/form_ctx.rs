//! The form part's draw context: what `view::form` draws from and what its geometry
//! (`hit`, `focus_lines`) reads, built from the app's state by the router, so the form's
//! drawing never reads `App`.

use crate::tui::form_state::FormState;
use crate::tui::state::{App, Focus, Notice, Screen, SendPhase};
use crate::tui::strings;
use crate::tui::theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What the form is drawn from: its own state and a small context, never the whole
/// app (built by [`FormCtx::of`] from the app's state). The same context serves the
/// geometry the update side needs (`hit`, `focus_lines`).
pub struct FormCtx<'a> {
    pub form: &'a FormState,
    pub theme: &'a Theme,
    /// The form is the screen shown (not the result).
    pub shown: bool,
    /// The focused field takes keys: no pop-up, the form shown and focused.
    pub focused: bool,
    /// The sending line, spinner frame first, while a send runs.
    pub sending: Option<String>,
    /// The message under the form (a send's outcome, a ledger refusal).
    pub notice: Option<&'a Notice>,
}

impl<'a> FormCtx<'a> {
    /// The form's context in `app`'s current state.
    pub fn of(app: &'a App) -> FormCtx<'a> {
        let shown = app.screen == Screen::Form;
        FormCtx {
            form: &app.form,
            theme: &app.theme,
            shown,
            focused: shown && app.focus == Focus::Form && app.overlay.is_none(),
            sending: app.send.as_ref().map(|send| {
                let elapsed = (app.now - send.started).as_seconds_f64().max(0.0);
                let frame = SPINNER[((elapsed * 10.0) as usize) % SPINNER.len()];
                let text = match send.phase {
                    SendPhase::Sending => {
                        strings::sending(&send.order_id, &app.env.badge(), elapsed)
                    }
                    SendPhase::Checking => strings::cancelled(&send.order_id),
                };
                format!("{frame} {text}")
            }),
            notice: app.notice.as_ref(),
        }
    }
}
