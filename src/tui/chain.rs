//! The one focus chain: which part of the desk gets the next key, paste, click and the
//! focused look when drawn. Decided here only, in the order full-screen view → pop-up →
//! focused pane → screen; global keys are what the chosen part does not consume.

use super::layout;
use super::state::{App, Focus, Screen};

/// The part that has focus now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The result's full-screen QR code: any key closes it, clicks do nothing.
    FullScreen,
    /// A pop-up (`App::overlay`) over everything else.
    Overlay,
    /// The history pane, focused and on screen.
    History,
    /// The result screen.
    Result,
    /// The form.
    Form,
    /// A screen given as a part (`App::screen_part`).
    Screen,
}

impl App {
    /// The part that has focus now; keys, paste, mouse and drawing all ask this.
    pub fn focus_target(&self) -> Target {
        if self.screen == Screen::Result && self.result.as_ref().is_some_and(|r| r.full_screen) {
            return Target::FullScreen;
        }
        if self.overlay.is_some() {
            return Target::Overlay;
        }
        if self.focus == Focus::History && self.history_visible() {
            return Target::History;
        }
        match self.screen {
            Screen::Result => Target::Result,
            Screen::Form => Target::Form,
            Screen::Part => Target::Screen,
        }
    }

    /// Whether the history pane is on screen.
    pub fn history_visible(&self) -> bool {
        layout::wide(self.size.0) || self.history.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::state::Start;
    use crate::tui::testing;
    use crate::tui::theme::Theme;

    fn app(size: (u16, u16)) -> App {
        let dir = std::env::temp_dir();
        testing::app(&dir, "generic", Theme::dark(), Start::Blank, size)
    }

    #[test]
    fn overlay_comes_before_the_focused_history_pane() {
        let mut app = app((140, 40));
        app.focus = Focus::History;
        assert_eq!(app.focus_target(), Target::History);
        app.open(crate::tui::popup::text::Help::new(Vec::new(), "dark", &[]));
        assert_eq!(app.focus_target(), Target::Overlay);
    }

    #[test]
    fn hidden_history_pane_does_not_take_focus() {
        let mut app = app((80, 30));
        app.focus = Focus::History;
        app.history.shown = false;
        assert_eq!(app.focus_target(), Target::Form);
    }
}
