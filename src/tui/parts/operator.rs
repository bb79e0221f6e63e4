//! The operator prompt: at start (`ask_operator = true`) the desk asks who works it, from
//! the `[[operators]]` pick list or as a typed name, before anything can be sent.

use crossterm::event::{KeyCode, KeyEvent};

use crate::operator::{self, Operator, OperatorEntry};
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::widgets::line_input::LineInput;

impl App {
    /// Opens the prompt: a pick list of `choices` (the configured operator selected when
    /// listed), or a name input holding the configured one.
    pub(crate) fn ask_operator(&mut self, choices: Vec<OperatorEntry>) {
        let current = &self.operator.name;
        let selected = choices
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(current))
            .unwrap_or(0);
        let input = LineInput::new(if choices.is_empty() { current } else { "" });
        self.overlay = Some(Overlay::Operator(Box::new(OperatorPrompt {
            choices,
            selected,
            input,
            error: None,
        })));
    }

    pub(crate) fn operator_key(
        &mut self,
        mut prompt: OperatorPrompt,
        key: KeyEvent,
    ) -> Vec<Effect> {
        prompt.error = None;
        let typing = prompt.choices.is_empty();
        // Typing: letters are letters (no `q`/`j`/`k` shortcuts), as in the member editor.
        let action = match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Enter),
            _ if typing => keymap::lookup(&[], &key).filter(|a| *a == Action::Quit),
            _ => keymap::lookup(&[Scope::List, Scope::Overlay], &key),
        };
        match action {
            Some(Action::Quit) => {
                self.overlay = Some(Overlay::Operator(Box::new(prompt)));
                return self.ask_quit();
            }
            // Esc keeps the operator the config named; without one the question stays.
            Some(Action::Back) if !self.operator.name.is_empty() => return Vec::new(),
            Some(Action::Enter) => {
                let chosen = match prompt.choices.get(prompt.selected) {
                    Some(choice) => Ok(choice.name.clone()),
                    None => operator::check_name("operator", prompt.input.text()),
                };
                match chosen {
                    Ok(name) => return self.set_operator(name),
                    Err(why) => prompt.error = Some(why),
                }
            }
            Some(Action::Up) => prompt.selected = prompt.selected.saturating_sub(1),
            Some(Action::Down) => {
                prompt.selected = (prompt.selected + 1).min(prompt.choices.len().saturating_sub(1))
            }
            _ if typing => {
                if let Some(edit) = keymap::edit(&key) {
                    prompt.input.apply(edit);
                }
            }
            _ => self.dirty = false,
        }
        self.overlay = Some(Overlay::Operator(Box::new(prompt)));
        Vec::new()
    }

    /// From now on the desk records `name` (at this desk's counter) with what it sends,
    /// and the history's events follow (`Effect::SetOperator`).
    pub(crate) fn set_operator(&mut self, name: String) -> Vec<Effect> {
        self.operator = Operator::new(name, self.operator.counter.clone());
        let toast = self.toast(format!("Operator: {}", self.operator.name), false);
        vec![Effect::SetOperator(self.operator.clone()), toast]
    }
}
