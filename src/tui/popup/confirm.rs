//! "Please confirm": a question, `y` asks for what it was opened for, `n` (or Esc) closes.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{DrawCtx, Popup, Reply, big, centered, frame_box};
use crate::tui::keymap::{self, Action, Scope};

/// A yes/no question. Private state: only its methods change it.
pub struct Confirm<R> {
    text: String,
    on_yes: Option<R>,
    /// The question is "quit?": the quit key answers yes.
    quit_says_yes: bool,
}

impl<R> Confirm<R> {
    /// Asks `text`; `y` closes it with `on_yes`.
    pub fn new(text: impl Into<String>, on_yes: R) -> Self {
        Confirm {
            text: text.into(),
            on_yes: Some(on_yes),
            quit_says_yes: false,
        }
    }

    /// The question is whether to quit: pressing the quit key again answers yes.
    pub fn quitting(mut self) -> Self {
        self.quit_says_yes = true;
        self
    }

    /// The question asked.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl<R: Send + 'static> Popup<R> for Confirm<R> {
    fn name(&self) -> &'static str {
        "Confirm"
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Confirm]
    }

    fn modal(&self) -> bool {
        true
    }

    fn key(&mut self, key: &KeyEvent) -> Reply<R> {
        match keymap::lookup(&self.scopes(), key) {
            Some(action) => self.act(action),
            None => Reply::idle(),
        }
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        match action {
            Action::Yes => Reply::asking(self.on_yes.take()),
            Action::Quit if self.quit_says_yes => Reply::asking(self.on_yes.take()),
            Action::No => Reply::closing(),
            _ => Reply::idle(),
        }
    }

    /// The question wrapped, then the two answers; tall enough for both.
    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let t = ctx.theme;
        let big = big(screen);
        let w = big.width.min(64);
        let question = crate::text::wrap(&self.text, usize::from(w.saturating_sub(2)), "");
        // Borders, the question, a blank line and the answers.
        let h = question.len() as u16 + 4;
        let r = centered(screen, w, h.min(big.height));
        let hint = keymap::hint(&[
            (Scope::Confirm, &[Action::Yes], "yes"),
            (Scope::Confirm, &[Action::No], "no"),
        ]);
        let inner = frame_box(t, frame, r, "Please confirm", &hint);
        let mut body: Vec<Line> = question
            .into_iter()
            .map(|l| Line::styled(l, t.text))
            .collect();
        body.push(Line::raw(""));
        let answer = |action, word| {
            let key = keymap::key_for(Scope::Confirm, action);
            Span::styled(format!("[{key}] {word}"), t.key)
        };
        body.push(Line::from(vec![
            answer(Action::Yes, "yes"),
            Span::raw("   "),
            answer(Action::No, "no"),
        ]));
        frame.render_widget(Paragraph::new(body), inner);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::popup::testing::{ctrl, key, screen};

    #[test]
    fn y_asks_for_what_it_was_opened_for_and_n_closes() {
        let mut q = Confirm::new("Forget PD1?", "forget");
        let shown = screen(&q, 80, 24);
        assert!(shown.contains("Please confirm") && shown.contains("Forget PD1?"));
        assert!(
            shown.contains("[y] yes") && shown.contains("y yes · n no"),
            "{shown}"
        );
        let other = q.key(&key(KeyCode::Char('x')));
        assert!(other.idle && !other.close && other.request.is_none());
        let yes = q.key(&key(KeyCode::Char('y')));
        assert!(yes.close);
        assert_eq!(yes.request, Some("forget"));

        let mut q = Confirm::new("Forget PD1?", "forget");
        let no = q.key(&key(KeyCode::Esc));
        assert!(no.close && no.request.is_none());
    }

    #[test]
    fn the_quit_key_answers_a_quit_question_only() {
        let mut q = Confirm::new("Quit?", 1).quitting();
        assert_eq!(q.key(&ctrl('q')).request, Some(1));
        let mut q = Confirm::new("Send to production?", 2);
        let r = q.key(&ctrl('q'));
        assert!(!r.close && r.request.is_none() && r.propagate.is_none());
    }
}
