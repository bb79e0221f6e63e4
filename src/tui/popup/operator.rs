//! "Who works this desk?", asked at start (`ask_operator = true`): a pick list of the
//! `[[operators]]` the config lists, else a name typed into the one line input.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{DrawCtx, Popup, Reply, big, centered, frame_box, input_line, list, row};
use crate::operator::{self, OperatorEntry};
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::widgets::line_input::LineInput;

/// What the opener does with the chosen or typed name.
pub type OnName<R> = Box<dyn Fn(String) -> R + Send>;

/// The question. Private state: only its methods change it.
pub struct OperatorPrompt<R> {
    /// The clerks to pick from; empty: a name is typed.
    choices: Vec<OperatorEntry>,
    selected: usize,
    input: LineInput,
    /// Why the typed name was refused, until the next key.
    error: Option<String>,
    /// The counter, for the title ("Who works this desk at Counter 2?").
    counter: String,
    /// The config named an operator: Esc keeps that one and closes the question.
    may_close: bool,
    on_name: OnName<R>,
}

impl<R> OperatorPrompt<R> {
    /// Asks who works the desk at `counter`: from `choices` (the one named `current`
    /// selected), or typed (the input holding `current`). Esc closes it only when
    /// `current` is not empty; a good name closes it with `on_name(name)`.
    pub fn new(
        choices: Vec<OperatorEntry>,
        current: &str,
        counter: &str,
        on_name: OnName<R>,
    ) -> Self {
        let selected = choices
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(current))
            .unwrap_or(0);
        let input = LineInput::new(if choices.is_empty() { current } else { "" });
        OperatorPrompt {
            choices,
            selected,
            input,
            error: None,
            counter: counter.to_string(),
            may_close: !current.is_empty(),
            on_name,
        }
    }

    /// Why the typed name was refused, if it was.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn typing(&self) -> bool {
        self.choices.is_empty()
    }

    fn title(&self) -> String {
        if self.counter.is_empty() {
            "Who works this desk?".to_string()
        } else {
            let counter = crate::text::sanitize_line(&self.counter);
            format!("Who works this desk at {counter}?")
        }
    }
}

impl<R: Send + 'static> Popup<R> for OperatorPrompt<R> {
    fn name(&self) -> &'static str {
        "Operator"
    }

    /// The footer's scopes: the list's keys, and Esc only when it may close.
    fn scopes(&self) -> Vec<Scope> {
        let mut scopes = Vec::new();
        if !self.typing() {
            scopes.push(Scope::List);
        }
        if self.may_close {
            scopes.push(Scope::Overlay);
        }
        scopes
    }

    fn modal(&self) -> bool {
        true
    }

    /// Typing: letters are letters (no `q`/`j`/`k` shortcuts), as in the member editor.
    fn key(&mut self, key: &KeyEvent) -> Reply<R> {
        self.error = None;
        let scopes: &[Scope] = if self.typing() {
            &[Scope::Editor]
        } else {
            &[Scope::List, Scope::Overlay]
        };
        match keymap::lookup(scopes, key) {
            Some(action) => self.act(action),
            None if self.typing() => {
                if let Some(edit) = keymap::edit(key) {
                    self.input.apply(edit);
                }
                Reply::default()
            }
            None => Reply::idle(),
        }
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        match action {
            Action::Quit => return Reply::passing(action, false),
            // Esc keeps the operator the config named; without one the question stays.
            Action::Back if self.may_close => return Reply::closing(),
            Action::Enter => {
                let chosen = match self.choices.get(self.selected) {
                    Some(choice) => Ok(choice.name.clone()),
                    None => operator::check_name("operator", self.input.text()),
                };
                match chosen {
                    Ok(name) => return Reply::asking(Some((self.on_name)(name))),
                    Err(why) => self.error = Some(why),
                }
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.choices.len().saturating_sub(1))
            }
            _ if self.typing() => {}
            _ => return Reply::idle(),
        }
        Reply::default()
    }

    fn paste(&mut self, text: &str) {
        if self.typing() {
            self.input.insert_str(text);
        }
    }

    /// The pick list, or the name input with the refusal of a bad name under it.
    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let t = ctx.theme;
        let big = big(screen);
        let title = self.title();
        if self.typing() {
            let error_lines = u16::from(self.error.is_some()) * 2;
            let r = centered(screen, big.width.min(60), 4 + error_lines);
            let hint = keymap::hint(&[
                (Scope::List, &[Action::Enter], "start"),
                (Scope::Global, &[Action::Quit], "quit"),
            ]);
            let inner = frame_box(t, frame, r, &title, &hint);
            input_line(t, frame, row(inner, 0), "Name", &self.input, ctx.focused);
            if let Some(error) = &self.error {
                let line = Line::styled(crate::text::fit(error, usize::from(inner.width)), t.error);
                frame.render_widget(Paragraph::new(line), row(inner, 2));
            }
            return;
        }
        let items: Vec<String> = self
            .choices
            .iter()
            .map(|c| crate::text::sanitize_line(&c.label()).into_owned())
            .collect();
        let h = (items.len() as u16 + 2).min(big.height);
        let r = centered(screen, big.width.min(60), h);
        let hint = keymap::hint(&[
            (Scope::Overlay, &[Action::Up, Action::Down], "choose"),
            (Scope::List, &[Action::Enter], "start"),
        ]);
        let inner = frame_box(t, frame, r, &title, &hint);
        list(t, frame, inner, &items, self.selected);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::popup::testing::{ctrl, drawn, key, screen};

    fn typed(p: &mut OperatorPrompt<String>, text: &str) {
        for c in text.chars() {
            p.key(&key(KeyCode::Char(c)));
        }
    }

    fn entry(name: &str, display: Option<&str>) -> OperatorEntry {
        OperatorEntry {
            name: name.into(),
            display: display.map(str::to_string),
        }
    }

    #[test]
    fn a_typed_name_is_checked_and_letters_are_letters() {
        let mut p = OperatorPrompt::new(Vec::new(), "", "Counter 2", Box::new(|n| n));
        let refused = p.key(&key(KeyCode::Enter));
        assert!(
            !refused.close && p.error().is_some(),
            "an empty name is refused"
        );
        let shown = screen(&p, 80, 24);
        assert!(
            shown.contains("Who works this desk at Counter 2?"),
            "{shown}"
        );
        assert!(shown.contains("Enter start · Ctrl-Q quit"), "{shown}");
        typed(&mut p, "qjk Ravi");
        assert_eq!(p.error(), None, "the refusal goes with the next key");
        let mut term = drawn(&p, 80, 24);
        let cursor = term.get_cursor_position().expect("caret on the name");
        let row: String = (0..80)
            .map(|x| term.backend().buffer()[(x, cursor.y)].symbol().to_string())
            .collect();
        assert!(row.contains("Name    qjk Ravi"), "{row}");
        let esc = p.key(&key(KeyCode::Esc));
        assert!(!esc.close, "no operator named: the question stays");
        let done = p.key(&key(KeyCode::Enter));
        assert!(done.close);
        assert_eq!(done.request.as_deref(), Some("qjk Ravi"));
    }

    #[test]
    fn the_list_selects_the_configured_operator_and_esc_keeps_it() {
        let choices = vec![entry("asha", Some("Asha K")), entry("ravi", None)];
        let mut p = OperatorPrompt::new(choices, "Ravi", "", Box::new(|n| n));
        assert_eq!(Popup::<String>::scopes(&p), [Scope::List, Scope::Overlay]);
        let shown = screen(&p, 80, 24);
        assert!(shown.contains("Asha K (asha)") && shown.contains("Who works this desk?"));
        let quit = p.key(&ctrl('q'));
        assert_eq!((quit.close, quit.propagate), (false, Some(Action::Quit)));
        p.key(&key(KeyCode::Char('k')));
        let chosen = p.key(&key(KeyCode::Enter));
        assert_eq!(chosen.request.as_deref(), Some("asha"));
        let mut p = OperatorPrompt::new(vec![entry("asha", None)], "asha", "", Box::new(|n| n));
        assert!(p.key(&key(KeyCode::Esc)).close);
    }
}
