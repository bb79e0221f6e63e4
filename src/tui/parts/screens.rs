//! Screens given as parts (`Screen::Part`): the desk shows one with `App::show` and routes
//! keys, paste and footer clicks to it as it does to a pop-up; it draws in the main area.
//! When it closes the form comes back. A new screen is a new part (a file declared by
//! the one that opens it) and no change here, in the focus chain or in the views.

use crossterm::event::KeyEvent;

use crate::tui::app::*;
use crate::tui::chain::Target;
use crate::tui::effects::Effect;
use crate::tui::keymap::Action;
use crate::tui::popup::{Command, Popup, Reply};

impl App {
    /// Shows `part` as the screen (the form's state stays as it is).
    pub fn show(&mut self, part: impl Popup<Then>) {
        self.leave_field();
        self.screen_part = Some(Box::new(part));
        self.screen = Screen::Part;
        self.focus = Focus::Form;
    }

    /// The shown screen part as a `T`, if it is one.
    pub fn screen_as<T: 'static>(&self) -> Option<&T> {
        self.screen_part.as_deref().and_then(|p| p.downcast_ref())
    }

    /// The footer of the shown screen part while it has the focus: `(modal, commands)`.
    pub fn screen_commands(&self) -> Option<(bool, Vec<Command>)> {
        if self.focus_target() != Target::Screen {
            return None;
        }
        let part = self.screen_part.as_ref()?;
        Some((part.modal(), part.commands()))
    }

    pub(crate) fn screen_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(mut part) = self.screen_part.take() else {
            self.screen = Screen::Form;
            return Vec::new();
        };
        let reply = part.key(&key);
        self.screen_reply(part, reply)
    }

    /// A footer click while a screen part has the focus: its own commands go to it.
    pub(crate) fn screen_click(&mut self, action: Action) -> Vec<Effect> {
        let own = self
            .screen_commands()
            .is_some_and(|(_, commands)| commands.iter().any(|c| c.action == action));
        match self.screen_part.take() {
            Some(mut part) if own => {
                let reply = part.act(action);
                self.screen_reply(part, reply)
            }
            other => {
                self.screen_part = other;
                self.global_action(action)
            }
        }
    }

    pub(crate) fn screen_paste(&mut self, text: &str) {
        if let Some(part) = &mut self.screen_part {
            part.paste(text);
        }
    }

    /// Keeps the screen unless it closed (then the form comes back), then does what the
    /// reply asks; a global action it passes on does what it does on any screen.
    fn screen_reply(&mut self, part: Part, mut reply: Reply<Then>) -> Vec<Effect> {
        if reply.close {
            self.screen = Screen::Form;
        } else {
            self.screen_part = Some(part);
        }
        let global = reply.propagate.take_if(|a| {
            !matches!(
                a,
                Action::Quit | Action::QuitLetter | Action::Send | Action::Suspend
            )
        });
        let mut effects = self.part_reply(reply);
        if let Some(action) = global {
            effects.extend(self.global_action(action));
        }
        effects
    }
}

#[cfg(test)]
mod tests {
    //! A screen added the way a new one is: the part below and `App::show`, no other
    //! change to the desk.

    use crossterm::event::KeyCode;
    use ratatui::Frame;
    use ratatui::layout::Rect;
    use ratatui::widgets::Paragraph;

    use super::*;
    use crate::tui::keymap::Scope;
    use crate::tui::popup::DrawCtx;
    use crate::tui::popup::text::Help;
    use crate::tui::testing::{self, key, render};
    use crate::tui::theme::Theme;

    /// A screen that counts ↑ presses; Esc goes back.
    struct Tally(u32);

    impl Popup<Then> for Tally {
        fn name(&self) -> &'static str {
            "Tally"
        }

        fn scopes(&self) -> Vec<Scope> {
            vec![Scope::Overlay]
        }

        fn act(&mut self, action: Action) -> Reply<Then> {
            match action {
                Action::Up => self.0 += 1,
                Action::Back => return Reply::closing(),
                other => return Reply::passing(other, false),
            }
            Reply::default()
        }

        fn draw(&self, frame: &mut Frame, area: Rect, ctx: &DrawCtx<'_>) {
            let text = format!("tally: {} (focused: {})", self.0, ctx.focused);
            frame.render_widget(Paragraph::new(text).style(ctx.theme.text), area);
        }
    }

    #[test]
    fn a_new_screen_is_shown_routed_to_and_closed_without_touching_the_desk() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = testing::app(
            dir.path(),
            "generic",
            Theme::dark(),
            Start::Blank,
            (100, 30),
        );
        app.show(Tally(0));
        assert_eq!(app.focus_target(), Target::Screen);
        app.update(key(KeyCode::Up));
        app.update(key(KeyCode::Char('k')));
        assert_eq!(app.screen_as::<Tally>().map(|t| t.0), Some(2));
        let screen = render(&app).backend().to_string();
        assert!(screen.contains("tally: 2 (focused: true)"), "{screen}");
        assert!(
            screen.contains("Esc close") && screen.contains("F1 help"),
            "{screen}"
        );
        // A global key it passes on works over it; the pop-up goes first in the chain.
        app.update(key(KeyCode::F(1)));
        assert!(app.popup_as::<Help>().is_some());
        app.update(key(KeyCode::Esc));
        assert_eq!(app.focus_target(), Target::Screen);
        app.update(key(KeyCode::Esc));
        assert_eq!(app.screen, Screen::Form);
        assert!(!render(&app).backend().to_string().contains("tally"));
    }
}
