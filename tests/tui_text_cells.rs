//! The one line input measured in terminal cells, and the same editing keys in every text
//! box of the desk: form fields, the member editor and the history search.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paydesk::history::{OrderRow, Outcome};
use paydesk::tui::app::{App, Focus, MemberEdit, Overlay, Start};
use paydesk::tui::msg::Msg;
use paydesk::tui::testing::{self, alt, ctrl, key, render};
use paydesk::tui::theme::Theme;
use paydesk::tui::widgets::line_input::LineInput;

fn app(dir: &tempfile::TempDir, size: (u16, u16)) -> App {
    testing::app(dir.path(), "generic", Theme::dark(), Start::Blank, size)
}

fn send(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    for msg in msgs {
        let _ = app.update(msg);
    }
}

fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

fn alt_key(code: KeyCode) -> Msg {
    Msg::Input(crossterm::event::Event::Key(KeyEvent::new(
        code,
        KeyModifiers::ALT,
    )))
}

/// Where the caret sits after typing `text` into the focused form field, and where the
/// first character of `text` was drawn: (caret x, first character x).
fn caret_after(text: &str) -> (u16, u16) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&dir, (100, 30));
    send(&mut app, [ctrl('u')]);
    send(&mut app, typed(text));
    assert_eq!(app.form.input.text(), text);
    let mut terminal = render(&app);
    let cursor = terminal.get_cursor_position().expect("cursor");
    let first = text.chars().next().expect("text").to_string();
    let buffer = terminal.backend().buffer().clone();
    let start = (0..buffer.area.width)
        .find(|x| buffer[(*x, cursor.y)].symbol() == first)
        .expect("typed text on the caret's line");
    (cursor.x, start)
}

#[test]
fn caret_after_wide_characters_and_emoji_sits_right_after_the_last_one() {
    let (caret, start) = caret_after("陈伟😀abc");
    // 陈 伟 😀 take two cells each, a b c one each.
    assert_eq!(caret - start, 9);
}

#[test]
fn caret_after_a_combining_mark_sits_right_after_the_last_character() {
    let (caret, start) = caret_after("Zoe\u{308}");
    assert_eq!(caret - start, 3);
}

fn cjk_row(amount: &str) -> OrderRow {
    OrderRow {
        id: 1,
        created_at: "2026-11-25T09:59:00.000Z".into(),
        environment: "demo".into(),
        base_host: "127.0.0.1:4010".into(),
        merchant_id: "paydesk_demo".into(),
        profile: "generic".into(),
        order_id: "PD2611250001".into(),
        juspay_id: None,
        request_id: "req-1".into(),
        amount: amount.into(),
        currency: "INR".into(),
        customer_id: "CUST1".into(),
        customer_name: "陈伟陈伟陈伟陈伟陈伟陈伟".into(),
        customer_phone: "9876543210".into(),
        customer_email: String::new(),
        request_body: "{}".into(),
        response_body: None,
        payment_link: None,
        link_expiry: None,
        status: Some("NEW".into()),
        status_checked_at: None,
        outcome: Outcome::Created,
        error: None,
        send: Default::default(),
    }
}

#[test]
fn a_history_row_with_a_wide_name_keeps_the_amount_whole() {
    for size in [(80, 24), (120, 40)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = app(&dir, size);
        let h = &mut app.history;
        h.shown = true;
        h.available = true;
        h.loaded_once = true;
        h.rows = vec![cjk_row("12500")];
        h.total = 1;
        let screen = render(&app).backend().to_string();
        assert!(
            screen.contains("₹12,500.00"),
            "{size:?}: amount cut or missing:\n{screen}"
        );
    }
}

/// Types "Ramesh Kumar" through `keys`, then checks the shared editing keys on `text()`.
fn check_editing_keys(app: &mut App, text: impl Fn(&App) -> String) {
    send(app, typed("Ramesh Kumar"));
    assert_eq!(text(app), "Ramesh Kumar");
    send(app, [ctrl('w')]);
    assert_eq!(
        text(app),
        "Ramesh ",
        "Ctrl-W deletes the word before the caret"
    );
    send(app, [alt('z')]);
    assert_eq!(text(app), "Ramesh Kumar", "Alt-Z undoes");
    send(app, [alt_key(KeyCode::Left), ctrl('k')]);
    assert_eq!(
        text(app),
        "Ramesh ",
        "Alt-Left then Ctrl-K deletes to the end"
    );
    send(app, [ctrl('a'), key(KeyCode::Delete)]);
    assert_eq!(text(app), "amesh ", "Ctrl-A then Delete");
    send(app, [ctrl('e'), key(KeyCode::Backspace)]);
    assert_eq!(text(app), "amesh", "Ctrl-E then Backspace");
    send(app, [ctrl('u')]);
    assert_eq!(text(app), "", "Ctrl-U clears");
}

#[test]
fn the_same_editing_keys_work_in_a_form_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&dir, (100, 30));
    // The customer tab's first text field.
    send(&mut app, [alt('2'), ctrl('u')]);
    assert!(app.form.is_typing());
    check_editing_keys(&mut app, |a| a.form.input.text().to_string());
}

#[test]
fn the_same_editing_keys_work_in_the_member_editor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&dir, (100, 30));
    app.overlay = Some(Overlay::Member(Box::new(MemberEdit {
        index: None,
        name: LineInput::default(),
        phone: LineInput::default(),
        on_phone: false,
    })));
    check_editing_keys(&mut app, |a| match &a.overlay {
        Some(Overlay::Member(edit)) => edit.name.text().to_string(),
        other => panic!("member editor closed: {other:?}"),
    });
}

#[test]
fn the_same_editing_keys_work_in_the_history_search() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&dir, (120, 40));
    app.history.shown = true;
    app.history.available = true;
    app.focus = Focus::History;
    send(&mut app, [key(KeyCode::Char('/'))]);
    assert!(app.history.searching);
    check_editing_keys(&mut app, |a| a.history.search.text().to_string());
}
