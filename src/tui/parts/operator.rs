//! The operator prompt: at start (`ask_operator = true`) the desk asks who works it, from
//! the `[[operators]]` pick list or as a typed name, before anything can be sent.

use crate::operator::{Operator, OperatorEntry};
use crate::tui::app::{App, Then};
use crate::tui::effects::Effect;
use crate::tui::popup::operator::OperatorPrompt;

impl App {
    /// Opens the prompt: a pick list of `choices` (the configured operator selected when
    /// listed), or a name input holding the configured one.
    pub(crate) fn ask_operator(&mut self, choices: Vec<OperatorEntry>) {
        let chosen =
            |name: String| -> Then { Box::new(move |app: &mut App| app.set_operator(name)) };
        let prompt = OperatorPrompt::new(
            choices,
            &self.operator.name,
            &self.operator.counter,
            Box::new(chosen),
        );
        self.open(prompt);
    }

    /// From now on the desk records `name` (at this desk's counter) with what it sends,
    /// and the history's events follow (`Effect::SetOperator`).
    pub(crate) fn set_operator(&mut self, name: String) -> Vec<Effect> {
        self.operator = Operator::new(name, self.operator.counter.clone());
        let toast = self.toast(format!("Operator: {}", self.operator.name), false);
        vec![Effect::SetOperator(self.operator.clone()), toast]
    }
}
