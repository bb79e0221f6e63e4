//! The insured-member editor: name and phone, through the one line input and the shared
//! editing keys. Tab (or ↑/↓) moves between them, Enter on the phone saves, Esc cancels.
//! Saving checks as the form's fields do: a name is needed, and the phone is written in
//! wire format (`98765 43210` → `9876543210`) or refused with the reason, in the dialog.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{DrawCtx, Popup, Reply, big, centered, frame_box, input_line, row};
use crate::session::Kind;
use crate::session::normalise::normalise_kind;
use crate::tui::keymap::{self, Action, HintPart, Scope};
use crate::tui::widgets::line_input::LineInput;

/// What the opener does with the saved name and phone (trimmed).
pub type OnSave<R> = Box<dyn FnOnce(String, String) -> R + Send>;

/// The editor. Private state: only its methods change it.
pub struct MemberEditor<R> {
    adding: bool,
    name: LineInput,
    phone: LineInput,
    on_phone: bool,
    on_save: Option<OnSave<R>>,
    /// Why the last save was refused.
    error: Option<String>,
}

const HINT: &[HintPart] = &[
    (Scope::Editor, &[Action::NextField], "next"),
    (Scope::Editor, &[Action::Enter], "save"),
    (Scope::Editor, &[Action::Back], "cancel"),
];

impl<R> MemberEditor<R> {
    /// Edits `name` and `phone` (`adding`: a new row); saving closes it with
    /// `on_save(name, phone)`.
    pub fn new(adding: bool, name: &str, phone: &str, on_save: OnSave<R>) -> Self {
        MemberEditor {
            adding,
            name: LineInput::new(name),
            phone: LineInput::new(phone),
            on_phone: false,
            on_save: Some(on_save),
            error: None,
        }
    }

    /// The name as typed so far.
    pub fn name(&self) -> &str {
        self.name.text()
    }

    /// The phone as typed so far.
    pub fn phone(&self) -> &str {
        self.phone.text()
    }

    fn input(&mut self) -> &mut LineInput {
        if self.on_phone {
            &mut self.phone
        } else {
            &mut self.name
        }
    }
}

impl<R: Send + 'static> Popup<R> for MemberEditor<R> {
    fn name(&self) -> &'static str {
        "Member"
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Editor]
    }

    /// An action of the keymap, else an edit of the input in focus (the same editing keys
    /// as the form's fields and the history search).
    fn key(&mut self, key: &KeyEvent) -> Reply<R> {
        match keymap::lookup(&self.scopes(), key) {
            Some(action) => self.act(action),
            None => {
                if let Some(edit) = keymap::edit(key) {
                    self.input().apply(edit);
                }
                Reply::default()
            }
        }
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        match action {
            Action::Back => return Reply::closing(),
            Action::NextField | Action::PrevField | Action::Up | Action::Down => {
                self.on_phone = !self.on_phone
            }
            Action::Enter if !self.on_phone => self.on_phone = true,
            Action::Enter => {
                let name = self.name.text().trim().to_string();
                let phone = normalise_kind(Kind::Phone, self.phone.text());
                let phone = match (name.is_empty(), phone) {
                    (true, _) => Err("the name is missing".to_string()),
                    (false, Ok(p)) if p.value.is_empty() => {
                        Err("the mobile number is missing".to_string())
                    }
                    (false, phone) => phone.map(|p| p.value),
                };
                match phone {
                    Ok(phone) => {
                        let request = self.on_save.take().map(|save| save(name, phone));
                        return Reply::asking(request);
                    }
                    Err(why) => {
                        self.on_phone = !name.is_empty();
                        self.error = Some(why);
                    }
                }
            }
            Action::Quit | Action::Send => return Reply::passing(action, true),
            _ => {}
        }
        Reply::default()
    }

    fn paste(&mut self, text: &str) {
        self.input().insert_str(text);
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let t = ctx.theme;
        let r = centered(screen, big(screen).width.min(60), 6);
        let title = if self.adding {
            "Add insured member"
        } else {
            "Edit insured member"
        };
        let inner = frame_box(t, frame, r, title, &keymap::hint(HINT));
        let on = ctx.focused;
        input_line(
            t,
            frame,
            row(inner, 0),
            "Name",
            &self.name,
            on && !self.on_phone,
        );
        input_line(
            t,
            frame,
            row(inner, 2),
            "Phone",
            &self.phone,
            on && self.on_phone,
        );
        if let Some(why) = &self.error {
            let text = crate::text::sanitize_line(why);
            let line = ratatui::text::Line::styled(
                crate::text::fit(&format!("↳ {text}"), usize::from(inner.width)).into_owned(),
                t.error,
            );
            frame.render_widget(ratatui::widgets::Paragraph::new(line), row(inner, 3));
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::popup::testing::{ctrl, drawn, key};

    fn editor() -> MemberEditor<(String, String)> {
        MemberEditor::new(true, "", "", Box::new(|n, p| (n, p)))
    }

    fn typed(e: &mut MemberEditor<(String, String)>, text: &str) {
        for c in text.chars() {
            e.key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn letters_type_tab_moves_and_enter_on_the_phone_saves() {
        let mut e = editor();
        // q, j and k are letters here, not shortcuts.
        typed(&mut e, "jq k");
        e.key(&key(KeyCode::Tab));
        typed(&mut e, "98765");
        e.key(&key(KeyCode::BackTab));
        e.key(&key(KeyCode::Backspace));
        assert_eq!((e.name(), e.phone()), ("jq ", "98765"));
        let term = drawn(&e, 80, 24);
        let shown = term.backend().to_string();
        assert!(
            shown.contains("Add insured member")
                && shown.contains("Tab next · Enter save · Esc cancel")
        );
        assert!(
            shown.contains("Name    jq") && shown.contains("Phone   98765"),
            "{shown}"
        );
        let enter = e.key(&key(KeyCode::Enter));
        assert!(!enter.close, "Enter on the name moves to the phone");
        // Five digits are no mobile number: refused in the dialog, which stays.
        let refused = e.key(&key(KeyCode::Enter));
        assert!(!refused.close && refused.request.is_none());
        let shown = drawn(&e, 80, 24).backend().to_string();
        assert!(shown.contains("↳ has 5 digits"), "{shown}");
        typed(&mut e, " 43210");
        let save = e.key(&key(KeyCode::Enter));
        assert!(save.close);
        // Written as on paper, saved in wire format, as the form's fields are.
        assert_eq!(save.request, Some(("jq".into(), "9876543210".into())));
    }

    #[test]
    fn a_member_needs_a_name_and_a_mobile_number() {
        let mut e = editor();
        e.key(&key(KeyCode::Tab));
        typed(&mut e, "+91 98111 22233");
        let reply = e.key(&key(KeyCode::Enter));
        assert!(!reply.close);
        let shown = drawn(&e, 80, 24).backend().to_string();
        assert!(shown.contains("the name is missing"), "{shown}");
        // The name gets the caret back.
        typed(&mut e, "Ravi");
        assert_eq!(e.name(), "Ravi");
        e.key(&key(KeyCode::Tab));
        let saved = e.key(&key(KeyCode::Enter));
        assert_eq!(saved.request, Some(("Ravi".into(), "9811122233".into())));
    }

    #[test]
    fn the_caret_sits_after_wide_text_in_cells() {
        let mut e = editor();
        typed(&mut e, "陈伟😀abc");
        let mut term = drawn(&e, 80, 24);
        let cursor = term.get_cursor_position().expect("caret");
        let buffer = term.backend().buffer().clone();
        let start = (0..80)
            .find(|x| buffer[(*x, cursor.y)].symbol() == "陈")
            .expect("name drawn");
        assert_eq!(cursor.x - start, 9);
    }

    #[test]
    fn esc_cancels_and_quit_or_send_close_it_and_pass_on() {
        let mut e = editor();
        let esc = e.key(&key(KeyCode::Esc));
        assert!(esc.close && esc.request.is_none());
        let quit = editor().key(&ctrl('q'));
        assert_eq!((quit.close, quit.propagate), (true, Some(Action::Quit)));
        let send = editor().key(&ctrl('s'));
        assert_eq!((send.close, send.propagate), (true, Some(Action::Send)));
    }
}
