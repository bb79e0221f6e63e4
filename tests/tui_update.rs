//! `App::update` on plain data: keys, mouse, pickers, confirmations and the effects they
//! ask for. No terminal, no network.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use paydesk::history::{OrderRow, Outcome};
use paydesk::session::{ProfileSet, Section, wire};
use paydesk::tui::app::{App, Focus, Screen, Start, Then};
use paydesk::tui::effects::Effect;
use paydesk::tui::msg::Msg;
use paydesk::tui::popup::confirm::Confirm;
use paydesk::tui::popup::picker::Picker;
use paydesk::tui::popup::text::{Help, Preview};
use paydesk::tui::testing::{self, ctrl, key, render};
use paydesk::tui::theme::Theme;

struct Fixture {
    app: App,
    _dir: tempfile::TempDir,
}

fn fixture(profile: &str, size: (u16, u16), from_sample: bool) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let start = if from_sample {
        let set = ProfileSet::builtin();
        let text =
            std::fs::read_to_string(format!("assets/samples/{profile}.json")).expect("sample");
        Start::Import(wire::import_str(&text, set.get(profile).expect("profile")).expect("import"))
    } else {
        Start::Blank
    };
    let app = testing::app(dir.path(), profile, Theme::dark(), start, size);
    Fixture { app, _dir: dir }
}

fn click(app: &mut App, x: u16, y: u16) -> Vec<Effect> {
    app.update(Msg::Input(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })))
}

fn wheel(app: &mut App, down: bool, x: u16, y: u16) -> Vec<Effect> {
    let kind = if down {
        MouseEventKind::ScrollDown
    } else {
        MouseEventKind::ScrollUp
    };
    app.update(Msg::Input(Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })))
}

/// Where `text` is on screen: (x, y) of its first character.
fn find(app: &App, text: &str) -> (u16, u16) {
    let terminal = render(app);
    let buf = terminal.backend().buffer();
    let w = buf.area.width as usize;
    for y in 0..buf.area.height as usize {
        let cells: Vec<&str> = buf.content[y * w..(y + 1) * w]
            .iter()
            .map(|c| c.symbol())
            .collect();
        let row = cells.concat();
        if let Some(byte) = row.find(text) {
            return (row[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{text:?} not on screen:\n{}", terminal.backend());
}

fn sends(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Send { .. }))
        .count()
}

#[test]
fn clicking_tabs_and_fields_moves_the_focus() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), false);
    let (x, y) = find(&app, "Travel");
    click(&mut app, x + 1, y);
    assert_eq!(app.form.section(), Section::Travel);
    let (x, y) = find(&app, "To *");
    click(&mut app, x, y);
    assert_eq!(
        app.form.focused_field().map(|f| f.key.as_str()),
        Some("metadata.destination")
    );
    // Typing goes into the clicked field.
    app.update(key(KeyCode::Char('X')));
    assert_eq!(app.form.form.get("metadata.destination"), "X");
}

#[test]
fn keyboard_tab_switching() {
    let Fixture { mut app, _dir } = fixture("travel", (80, 24), false);
    app.update(testing::alt('3'));
    assert_eq!(app.form.section(), Section::Travel);
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Right,
        KeyModifiers::CONTROL,
    ))));
    assert_eq!(app.form.section(), Section::Extras);
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Right,
        KeyModifiers::CONTROL,
    ))));
    assert_eq!(app.form.section(), Section::Order, "wraps around");
    app.update(key(KeyCode::F(7)));
    assert_eq!(app.form.section(), Section::Extras);
}

#[test]
fn footer_and_result_buttons_are_clickable() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), true);
    let (x, y) = find(&app, "F2 request");
    click(&mut app, x, y);
    assert!(app.popup_as::<Preview>().is_some());
    app.update(key(KeyCode::Esc));
    assert!(app.overlay.is_none());

    let response = serde_json::from_value(serde_json::json!({
        "status": "NEW", "order_id": "test_1",
        "payment_links": { "web": "https://pay.example/x" }
    }))
    .expect("response");
    let view = paydesk::tui::order_view::OrderView::from_response(
        9,
        app.form.form.clone(),
        &response,
        None,
        "r",
        testing::fixed_now(),
    );
    app.result = Some(view);
    app.screen = Screen::Result;
    let (x, y) = find(&app, "[c copy]");
    let effects = click(&mut app, x + 1, y);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Copy(link) if link == "https://pay.example/x"))
    );
    assert!(
        app.toast
            .as_ref()
            .is_some_and(|t| t.text.contains("Sent the payment link") && !t.text.contains("Copied"))
    );
}

fn rows(n: usize) -> Vec<OrderRow> {
    (0..n)
        .map(|i| OrderRow {
            id: (n - i) as i64,
            created_at: "2026-11-25T09:00:00.000Z".into(),
            environment: "demo".into(),
            base_host: "127.0.0.1:1".into(),
            merchant_id: "m".into(),
            profile: "travel".into(),
            order_id: format!("ORD{:05}", n - i),
            juspay_id: None,
            request_id: "r".into(),
            amount: "100".into(),
            currency: "INR".into(),
            customer_id: "c".into(),
            customer_name: "Asha".into(),
            customer_phone: String::new(),
            customer_email: String::new(),
            request_body: "{\"amount\":\"100\",\"customer_first_name\":\"Asha\"}".into(),
            response_body: None,
            payment_link: Some("https://pay.example/x".into()),
            link_expiry: None,
            status: Some("NEW".into()),
            status_checked_at: None,
            outcome: Outcome::Created,
            error: None,
            send: Default::default(),
            operator: String::new(),
            counter: String::new(),
        })
        .collect()
}

#[test]
fn history_rows_click_and_scroll() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), false);
    app.history.available = true;
    app.history.rows = rows(50);
    app.history.total = 50;
    let (x, y) = find(&app, "ORD00048");
    click(&mut app, x, y);
    assert_eq!(app.focus, Focus::History);
    assert_eq!(app.history.selected, 2);
    // The wheel moves the selection; the window is in memory, so no query.
    let effects = wheel(&mut app, true, x, y);
    assert_eq!(app.history.selected, 5);
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::LoadHistory { .. }))
    );
    // A second click on the selected row opens it, polling its status at once.
    let (x, y) = find(&app, "ORD00040");
    click(&mut app, x, y);
    let effects = click(&mut app, x, y);
    assert_eq!(app.screen, Screen::Result);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::PollStatus { after, .. } if after.is_zero()))
    );
    // Moving far beyond the window asks the store for the rows there, not for all rows.
    app.history.total = 100_000;
    app.focus = Focus::History;
    let effects = app.update(key(KeyCode::End));
    assert_eq!(app.history.selected, 99_999);
    let query = effects.iter().find_map(|e| match e {
        Effect::LoadHistory { query, .. } => Some(query.clone()),
        _ => None,
    });
    let query = query.expect("a window query");
    assert!(query.offset > 99_000 && query.limit <= 200, "{query:?}");
}

#[test]
fn production_asks_once_before_the_first_send() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), true);
    app.env.production = true;
    let effects = app.update(ctrl('s'));
    assert_eq!(sends(&effects), 0);
    let question = app
        .popup_as::<Confirm<Then>>()
        .map(|q| q.text().to_string());
    assert_eq!(
        question.as_deref(),
        Some(paydesk::tui::strings::PRODUCTION_CONFIRM)
    );
    assert!(render(&app).backend().to_string().contains("PRODUCTION"));
    let effects = app.update(key(KeyCode::Char('n')));
    assert_eq!(sends(&effects), 0);
    app.update(ctrl('s'));
    let effects = app.update(key(KeyCode::Char('y')));
    assert_eq!(sends(&effects), 1);
    // Once confirmed, later sends of the run go without asking.
    app.send = None;
    let effects = app.update(ctrl('s'));
    assert_eq!(sends(&effects), 1);
    assert!(app.overlay.is_none());
}

#[test]
fn an_environment_without_a_key_refuses_to_send_and_says_why() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), true);
    app.env.send_problem = Some("no API key: set JUSPAY_API_KEY".into());
    let effects = app.update(ctrl('s'));
    assert_eq!(sends(&effects), 0);
    let text = render(&app).backend().to_string();
    assert!(text.contains("set JUSPAY_API_KEY"), "{text}");
}

#[test]
fn esc_during_a_send_cancels_it_and_keeps_the_form() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), true);
    let effects = app.update(ctrl('s'));
    assert_eq!(sends(&effects), 1);
    assert!(
        app.tick_period().is_some(),
        "the spinner ticks while sending"
    );
    let effects = app.update(key(KeyCode::Esc));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::CancelSend { .. }))
    );
    assert_eq!(app.form.form.get("metadata.origin"), "Bangalore");
    // A second Ctrl-S while the cancelled one is being checked does not send.
    assert_eq!(sends(&app.update(ctrl('s'))), 0);
}

#[test]
fn idle_desk_does_not_tick() {
    let Fixture { app, _dir } = fixture("travel", (120, 40), false);
    assert_eq!(app.tick_period(), None);
}

#[test]
fn switching_profile_keeps_what_was_typed() {
    let Fixture { mut app, _dir } = fixture("generic", (120, 40), false);
    app.update(key(KeyCode::Tab));
    for c in "250.50".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::F(3)));
    let travel = app
        .profiles
        .profiles
        .iter()
        .position(|p| p.name == "travel")
        .expect("travel");
    for _ in 0..travel.saturating_sub(app.profile) {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    assert_eq!(app.current_profile().name, "travel");
    assert!(app.form.tabs.contains(&Section::Travel));
    assert_eq!(app.form.form.get("amount"), "250.50");
}

#[test]
fn choice_fields_cycle_and_pick_from_a_list() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), false);
    assert!(app.form.focus_key("customer_gender"));
    app.update(key(KeyCode::Char('h')));
    assert!(
        app.history.shown || app.focus == Focus::History,
        "h outside text fields: history"
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(app.focus, Focus::Form);
    app.update(key(KeyCode::Right));
    assert_eq!(app.form.form.get("customer_gender"), "Male");
    app.update(key(KeyCode::Enter));
    assert!(app.popup_as::<Picker<Then>>().is_some());
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.form.form.get("customer_gender"), "Female");
    // ? outside text fields: help.
    app.update(key(KeyCode::Char('?')));
    assert!(app.popup_as::<Help>().is_some());
}

#[test]
fn pasting_into_a_field_strips_newlines() {
    let Fixture { mut app, _dir } = fixture("travel", (120, 40), false);
    app.update(key(KeyCode::Tab));
    app.update(Msg::Input(Event::Paste("1234.5\n".into())));
    assert_eq!(app.form.form.get("amount"), "1234.5");
}
