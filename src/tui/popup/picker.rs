//! A pick list (lender profiles, environments, a field's values): ↑/↓ move, Enter asks for
//! the opener's request with the chosen index, Esc closes.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{DrawCtx, Popup, Reply, big, centered, frame_box, list, move_selection, step_of};
use crate::tui::keymap::{Action, Scope};

/// What the opener does with the chosen index.
pub type OnPick<R> = Box<dyn FnOnce(usize) -> R + Send>;

/// A framed pick list. Private state: only its methods change it.
pub struct Picker<R> {
    title: String,
    hint: String,
    items: Vec<String>,
    selected: usize,
    max_width: u16,
    on_pick: Option<OnPick<R>>,
}

impl<R> Picker<R> {
    /// A list titled `title` with `hint` (its keys, from the keymap) on the bottom border,
    /// `selected` highlighted, at most `max_width` cells wide; Enter closes it with
    /// `on_pick(index)`.
    pub fn new(
        title: impl Into<String>,
        hint: String,
        items: Vec<String>,
        selected: usize,
        max_width: u16,
        on_pick: OnPick<R>,
    ) -> Self {
        Picker {
            title: title.into(),
            hint,
            selected: selected.min(items.len().saturating_sub(1)),
            items,
            max_width,
            on_pick: Some(on_pick),
        }
    }

    /// The highlighted entry.
    pub fn selected(&self) -> usize {
        self.selected
    }
}

impl<R: Send + 'static> Popup<R> for Picker<R> {
    fn name(&self) -> &'static str {
        "Picker"
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::List, Scope::Overlay]
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        move_selection(&mut self.selected, step_of(action), self.items.len());
        match action {
            Action::Enter => {
                let request = self.on_pick.take().map(|pick| pick(self.selected));
                Reply::asking(request)
            }
            Action::Back => Reply::closing(),
            Action::Quit => Reply::passing(action, false),
            Action::Send => Reply::passing(action, true),
            _ => Reply::default(),
        }
    }

    /// Centred, as tall as the list (within the frame).
    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let big = big(screen);
        let h = (self.items.len() as u16 + 2).min(big.height);
        let r = centered(screen, big.width.min(self.max_width), h);
        let inner = frame_box(ctx.theme, frame, r, &self.title, &self.hint);
        list(ctx.theme, frame, inner, &self.items, self.selected);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::popup::testing::{ctrl, key, screen};

    fn picker() -> Picker<usize> {
        let items = vec!["generic".to_string(), "travel".into(), "insurance".into()];
        Picker::new(
            "Lender profile",
            "Enter use".into(),
            items,
            0,
            70,
            Box::new(|i| i),
        )
    }

    #[test]
    fn arrows_move_and_enter_asks_with_the_chosen_index() {
        let mut p = picker();
        p.key(&key(KeyCode::Down));
        p.key(&key(KeyCode::Char('j')));
        p.key(&key(KeyCode::Down));
        assert_eq!(p.selected(), 2, "stops at the last entry");
        p.key(&key(KeyCode::Up));
        let shown = screen(&p, 80, 24);
        assert!(shown.contains("Lender profile") && shown.contains("Enter use"));
        assert!(shown.contains(" travel"), "{shown}");
        let reply = p.key(&key(KeyCode::Enter));
        assert!(reply.close);
        assert_eq!(reply.request, Some(1));
    }

    #[test]
    fn esc_closes_quit_is_passed_on_and_send_closes_first() {
        let mut p = picker();
        let quit = p.key(&ctrl('q'));
        assert_eq!((quit.close, quit.propagate), (false, Some(Action::Quit)));
        let send = p.key(&ctrl('s'));
        assert_eq!((send.close, send.propagate), (true, Some(Action::Send)));
        let esc = p.key(&key(KeyCode::Esc));
        assert!(esc.close && esc.request.is_none());
    }
}
