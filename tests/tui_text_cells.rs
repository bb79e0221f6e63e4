//! The one line input measured in terminal cells, and the same editing keys in every text
//! box of the desk: form fields, the member editor and the history search.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paydesk::history::{OrderRow, Outcome};
use paydesk::tui::app::{App, Focus, Start, Then};
use paydesk::tui::msg::Msg;
use paydesk::tui::popup::member::MemberEditor;
use paydesk::tui::task_error::{TaskError, Unavailable};
use paydesk::tui::testing::{self, alt, ctrl, key, render};
use paydesk::tui::theme::Theme;
use proptest::prelude::*;

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
        operator: String::new(),
        counter: String::new(),
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
    let mut app = testing::app(
        dir.path(),
        "insurance",
        Theme::dark(),
        Start::Blank,
        (100, 30),
    );
    // `a` on the insured members list opens the editor to add one.
    assert!(app.form.focus_key("insured_member_details"));
    send(&mut app, [key(KeyCode::Char('a'))]);
    check_editing_keys(&mut app, |a| match a.popup_as::<MemberEditor<Then>>() {
        Some(editor) => editor.name().to_string(),
        None => panic!("member editor closed: {:?}", a.overlay),
    });
    // Tab to the phone, Enter saves the row to the form.
    send(&mut app, typed("Asha"));
    send(&mut app, [key(KeyCode::Tab)]);
    send(&mut app, typed("9876543210"));
    send(&mut app, [key(KeyCode::Enter)]);
    assert!(app.overlay.is_none());
    let saved = app
        .form
        .form
        .members
        .last()
        .map(|m| (m.member_name.as_str(), m.member_phone.as_str()));
    assert_eq!(saved, Some(("Asha", "9876543210")));
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

// ── issue 11, desk half: server and stored text never reaches a cell as a control ─────

/// The first cell holding a C0/C1 control, a bidi control or a zero-width character.
fn unsafe_cell(app: &App) -> Option<String> {
    let terminal = render(app);
    terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol().to_string())
        .find(|s| s.chars().any(paydesk::text::is_unsafe))
}

/// The desk after a send answered with `session` (text from the server in every field),
/// with its history holding `row`.
fn desk_after_answer(dir: &tempfile::TempDir, session: &serde_json::Value, row: OrderRow) -> App {
    let mut app = app(dir, (120, 40));
    app.send = Some(paydesk::tui::app::SendState {
        send_id: 1,
        order_id: "PD1".into(),
        started: testing::fixed_now(),
        phase: paydesk::tui::app::SendPhase::Sending,
        form: testing::fixture_form(),
    });
    let session: paydesk::juspay::SessionResponse = match serde_json::from_value(session.clone()) {
        Ok(s) => s,
        Err(e) => panic!("the answer must parse to test its drawing: {e}"),
    };
    send(
        &mut app,
        [Msg::SendDone {
            send_id: 1,
            result: Ok(paydesk::orders::Submitted {
                history_id: Some(1),
                request_id: "req-1".into(),
                result: Ok(session),
                existing: false,
                outcome: Some(Outcome::Created),
                record_error: None,
            }),
        }],
    );
    let h = &mut app.history;
    h.shown = true;
    h.available = true;
    h.loaded_once = true;
    h.rows = vec![row];
    h.total = 1;
    app
}

fn hostile_row(text: &str) -> OrderRow {
    let mut row = cjk_row("100");
    row.order_id = text.into();
    row.customer_name = text.into();
    row.status = Some(text.into());
    row.error = Some(text.into());
    row
}

#[test]
fn a_hostile_order_id_is_drawn_sanitised_on_the_result_and_in_the_history() {
    let hostile = "E1\u{1b}]0;X\u{7}\u{1b}[2J";
    let dir = tempfile::tempdir().expect("temp dir");
    let answer = serde_json::json!({
        "status": "NEW", "id": "ordv2_1", "order_id": hostile,
        "payment_links": {"web": "https://pay.example.com/x"}
    });
    let app = desk_after_answer(&dir, &answer, hostile_row(hostile));
    assert_eq!(app.screen, paydesk::tui::app::Screen::Result);
    let screen = render(&app).backend().to_string();
    // Each escape and the BEL shown as U+FFFD, the rest as written: twice (result, history).
    let shown = "E1\u{FFFD}]0;X\u{FFFD}\u{FFFD}[2J";
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Order ID") && l.contains(shown)),
        "result screen: {screen}"
    );
    assert!(
        screen.contains(&format!("09:59 {shown}")),
        "history: {screen}"
    );
    assert_eq!(unsafe_cell(&app), None);
}

fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\u{1b}]0;X\u{7}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{200B}".to_string()),
        Just("\r".to_string()),
        Just("\u{7f}".to_string()),
        "[a-z0-9 ]{0,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// For arbitrary answers (create, Order Status, a 400, a failed check) and stored
    /// rows, no cell of the desk holds a control or bidi character.
    #[test]
    fn no_cell_the_desk_draws_holds_a_terminal_control(
        [id, order_id, status, link, message, field] in prop::array::uniform6(hostile_text())
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let answer = serde_json::json!({
            "status": status, "id": id, "order_id": order_id,
            "payment_links": {"web": link, "expiry": field},
        });
        let mut app = desk_after_answer(&dir, &answer, hostile_row(&message));
        prop_assert_eq!(unsafe_cell(&app), None);
        // The next Order Status answer on the result screen.
        let view_id = app.result.as_ref().map(|r| r.view_id);
        let polled: Result<paydesk::juspay::OrderStatus, _> = serde_json::from_value(answer.clone());
        prop_assert!(polled.is_ok(), "{:?}", polled);
        let polled = polled.unwrap_or_default();
        send(&mut app, [Msg::StatusPolled { view_id, order_id: order_id.clone(), result: Ok(polled) }]);
        prop_assert_eq!(unsafe_cell(&app), None);
        send(&mut app, [Msg::StatusPolled {
            view_id, order_id: order_id.clone(),
            result: Err(paydesk::juspay::ApiError::Network(message.clone())),
        }]);
        prop_assert_eq!(unsafe_cell(&app), None);
        // A 400 naming fields, and a failed check, on the form.
        app.screen = paydesk::tui::app::Screen::Form;
        app.send = Some(paydesk::tui::app::SendState {
            send_id: 2,
            order_id: order_id.clone(),
            started: testing::fixed_now(),
            phase: paydesk::tui::app::SendPhase::Sending,
            form: testing::fixture_form(),
        });
        send(&mut app, [Msg::SendDone { send_id: 2, result: Ok(paydesk::orders::Submitted {
            history_id: Some(2), request_id: id.clone(),
            result: Err(paydesk::juspay::ApiError::Invalid {
                message: message.clone(), fields: vec![(field.clone(), message.clone())],
            }),
            existing: false, outcome: Some(Outcome::Rejected), record_error: None,
        })}]);
        prop_assert_eq!(unsafe_cell(&app), None);
        send(&mut app, [Msg::Reconciled {
            send_id: None, order_id: order_id.clone(), history_id: None,
            result: Err(TaskError::Unavailable(Unavailable::Client(message.clone()))),
        }, Msg::Banner(message.clone())]);
        prop_assert_eq!(unsafe_cell(&app), None);
    }
}
