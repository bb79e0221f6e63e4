//! Issue 13, the result side: the demo's "pay / fail as the customer" keys through the
//! embedded emulator and the status poll, the too-small result that names the size it
//! needs, `y` in the history asking before it replaces unsent edits, and long messages
//! wrapped rather than cut.

use std::time::Duration;

use crossterm::event::KeyCode;
use paydesk::config::EnvKind;
use paydesk::juspay::{OrderState, SessionResponse};
use paydesk::tui::app::{App, Screen, Start};
use paydesk::tui::effects::Effect;
use paydesk::tui::testing::{self, Desk, fixed_now, key, render};
use paydesk::tui::theme::Theme;

const WAIT: Duration = Duration::from_secs(20);
const LINK: &str =
    "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1";

fn response() -> SessionResponse {
    serde_json::from_value(serde_json::json!({
        "status": "NEW",
        "id": "ordv2_80e53a249d0d4c14b57cef3593304cb1",
        "order_id": "PD2611250001",
        "payment_links": { "web": LINK, "expiry": "2026-11-25T10:15:00Z" }
    }))
    .expect("response")
}

/// An app on the result of a NEW order (no tasks run).
fn on_result(dir: &tempfile::TempDir, size: (u16, u16)) -> App {
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Import(testing::fixture_form()),
        size,
    );
    let form = app.form.form().clone();
    let view = paydesk::tui::order_view::OrderView::from_response(
        1,
        form,
        &response(),
        Some(1),
        "req-1",
        fixed_now(),
    );
    app.result = Some(view);
    app.screen = Screen::Result;
    app
}

fn words(screen: &str) -> String {
    let cleaned: String = screen
        .chars()
        .map(|c| if c == '│' || c == '"' { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ── 3. demo that teaches ───────────────────────────────────────────────────────────────

/// A demo desk with the embedded emulator started the way the desk starts it, the status
/// poll far away (so only the demo key's own status check can change the order), and the
/// fixture order sent.
async fn demo_desk_with_a_new_order(dir: &tempfile::TempDir) -> Desk {
    let settings = testing::settings(dir.path(), "generic");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Import(testing::fixture_form()),
        (120, 40),
    );
    app.client_ready = false;
    app.poll_interval = Duration::from_secs(3600);
    let mut desk = Desk::new(app, settings.clone());
    desk.runner.prepare_client(&settings);
    desk.runner.open_store();
    assert!(
        desk.settle_until(WAIT, |a| a.client_ready).await,
        "the demo emulator did not start"
    );
    desk.ctrl('s');
    assert!(
        desk.settle_until(WAIT, |a| a.result.is_some() && a.send.is_none())
            .await,
        "no result:\n{}",
        desk.screen()
    );
    assert_eq!(
        desk.app.result.as_ref().and_then(|v| v.state()),
        Some(OrderState::New)
    );
    desk
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_pay_key_pays_through_the_emulator_and_the_status_poll() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut desk = demo_desk_with_a_new_order(&dir).await;
    let screen = words(&desk.screen());
    assert!(
        screen.contains("DEMO no real money. P pay as") && screen.contains("F fail as the"),
        "the result says how to pay in demo:\n{screen}"
    );

    desk.key(KeyCode::Char('P'));
    // The key only asks the emulator; the order is not PAID until Order Status says so.
    assert_eq!(
        desk.app.result.as_ref().and_then(|v| v.state()),
        Some(OrderState::New)
    );
    assert!(
        desk.settle_until(WAIT, |a| a
            .result
            .as_ref()
            .is_some_and(|v| v.state() == Some(OrderState::Charged)))
            .await,
        "not paid:\n{}",
        desk.screen()
    );
    let screen = words(&desk.screen());
    assert!(screen.contains("✔ PAID"), "{screen}");
    assert!(
        !screen.contains("P pay as"),
        "a paid order offers no demo keys:\n{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_fail_key_fails_through_the_emulator_and_the_status_poll() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut desk = demo_desk_with_a_new_order(&dir).await;
    desk.key(KeyCode::Char('F'));
    assert!(
        desk.settle_until(WAIT, |a| a
            .result
            .as_ref()
            .is_some_and(|v| matches!(v.state(), Some(OrderState::Failed(_)))))
            .await,
        "not failed:\n{}",
        desk.screen()
    );
    assert!(words(&desk.screen()).contains("✘ FAILED"));
}

#[test]
fn demo_keys_are_not_offered_outside_demo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = on_result(&dir, (120, 40));
    assert!(app.demo_offered());
    app.env.kind = EnvKind::Sandbox;
    assert!(!app.demo_offered());
    let screen = words(&render(&app).backend().to_string());
    assert!(!screen.contains("no real money"), "{screen}");
    for k in ['P', 'F'] {
        // (The order view's first update also asks for its refund story: not a demo effect.)
        let effects = app.update(key(KeyCode::Char(k)));
        assert!(
            !effects
                .iter()
                .any(|e| matches!(e, Effect::DemoSettle { .. })),
            "{k} does nothing outside demo: {effects:?}"
        );
    }
    assert_eq!(
        app.result.as_ref().and_then(|v| v.state()),
        Some(OrderState::New)
    );
}

// ── 4. too small for any QR ────────────────────────────────────────────────────────────

/// The two numbers of the first `W×H` after `marker` in `text`.
fn size_after(text: &str, marker: &str) -> (u16, u16) {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} not in {text}"));
    let rest = &text[at + marker.len()..];
    let size: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '×')
        .collect();
    let (w, h) = size
        .split_once('×')
        .unwrap_or_else(|| panic!("no size in {rest}"));
    (w.parse().expect("width"), h.parse().expect("height"))
}

#[test]
fn a_result_too_small_for_any_qr_names_the_sizes_it_needs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = on_result(&dir, (40, 12));
    let screen = words(&render(&app).backend().to_string());
    assert!(
        screen.contains("This 40×12 terminal is too small for the QR code"),
        "{screen}"
    );
    let full = size_after(&screen, "it needs");
    let beside = size_after(&screen, "full-screen (f), or");
    assert!(
        full.0 <= beside.0 && full.1 <= beside.1 && full != beside,
        "full-screen {full:?} needs less than beside {beside:?}"
    );
    // The full-screen view asks for the same size, and that size is enough.
    let _ = app.update(key(KeyCode::Char('f')));
    let full_view = words(&render(&app).backend().to_string());
    assert_eq!(size_after(&full_view, "needs a terminal of at least"), full);
    app.size = full;
    let fits = render(&app).backend().to_string();
    assert!(
        fits.contains('█') && !fits.contains("needs a terminal"),
        "{fits}"
    );
    // Beside the details, the size named shows the code.
    let _ = app.update(key(KeyCode::Esc));
    app.size = beside;
    let fits = words(&render(&app).backend().to_string());
    assert!(fits.contains('█') && !fits.contains("too small"), "{fits}");

    // Where full-screen fits, the result only points to it.
    let app = on_result(&dir, (80, 24));
    let screen = words(&render(&app).backend().to_string());
    assert!(
        screen.contains("Press f to show the QR code full-screen"),
        "{screen}"
    );
    assert!(!screen.contains("too small"), "{screen}");
}

// ── 5. `y` asks before replacing unsent edits ──────────────────────────────────────────

fn history_row() -> paydesk::history::OrderRow {
    paydesk::history::OrderRow {
        id: 1,
        created_at: "2026-11-25T09:59:00.000Z".into(),
        environment: "demo".into(),
        base_host: "127.0.0.1:4010".into(),
        merchant_id: "paydesk_demo".into(),
        profile: "generic".into(),
        order_id: "PD2611250009".into(),
        juspay_id: None,
        request_id: "req-9".into(),
        amount: "100.00".into(),
        currency: "INR".into(),
        customer_id: "CUST9".into(),
        customer_name: "Reuse Me".into(),
        customer_phone: "9876543210".into(),
        customer_email: "reuse@example.com".into(),
        request_body: r#"{"order_id":"PD2611250009","amount":"100.00","customer_id":"CUST9","customer_email":"reuse@example.com"}"#.into(),
        response_body: None,
        payment_link: None,
        link_expiry: None,
        status: Some("NEW".into()),
        status_checked_at: None,
        outcome: paydesk::history::Outcome::Created,
        error: None,
        send: Default::default(),
        operator: String::new(),
        counter: String::new(),
    }
}

/// A fresh form (nothing typed) with one order in the history pane, which has focus.
fn with_history(dir: &tempfile::TempDir) -> App {
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    let h = &mut app.history;
    h.shown = true;
    h.available = true;
    h.loaded_once = true;
    h.rows = vec![history_row()];
    h.total = 1;
    app
}

fn send_keys(app: &mut App, keys: &[KeyCode]) {
    for k in keys {
        let _ = app.update(key(*k));
    }
}

#[test]
fn y_in_the_history_asks_before_replacing_unsent_edits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = with_history(&dir);
    // Type into the form: the description on the first tab.
    let _ = app.update(testing::alt('1'));
    for _ in 0..40 {
        if app
            .form
            .focused_field()
            .is_some_and(|f| f.key == "description")
        {
            break;
        }
        send_keys(&mut app, &[KeyCode::Tab]);
    }
    for c in "typed by hand".chars() {
        send_keys(&mut app, &[KeyCode::Char(c)]);
    }
    assert!(app.has_unsent_edits());
    let typed = app.form.form().clone();

    send_keys(&mut app, &[KeyCode::F(6), KeyCode::Char('y')]);
    let screen = words(&render(&app).backend().to_string());
    assert!(
        screen.contains("The form has changes that were not sent"),
        "{screen}"
    );
    assert!(
        screen.contains("[y] yes [n] no"),
        "the answers show: {screen}"
    );
    assert_eq!(
        app.form.form(),
        &typed,
        "nothing replaced before the answer"
    );
    send_keys(&mut app, &[KeyCode::Char('n')]);
    assert!(app.overlay.is_none());
    assert_eq!(app.form.form(), &typed, "No keeps the form");

    send_keys(&mut app, &[KeyCode::Char('y'), KeyCode::Char('y')]);
    assert_eq!(app.form.form().get("customer_email"), "reuse@example.com");
    assert_eq!(app.form.form().get("description"), "");
    assert!(!app.has_unsent_edits(), "the copy is a new order");
}

/// Every question shows its answers, however short it is (the pop-up's height counts the
/// wrapped question in cells).
#[test]
fn a_short_question_still_shows_its_answers() {
    for size in [(120, 40), (80, 24), (40, 12)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = with_history(&dir);
        app.size = size;
        send_keys(&mut app, &[KeyCode::F(6), KeyCode::Char('d')]);
        assert!(app.overlay.is_some(), "d asks first");
        let screen = words(&render(&app).backend().to_string());
        assert!(screen.contains("Forget"), "{size:?}: {screen}");
        assert!(screen.contains("[y] yes"), "{size:?}: {screen}");
    }
}

/// The history pane's footer names its keys, refunding included.
#[test]
fn the_history_footer_offers_refund() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = with_history(&dir);
    send_keys(&mut app, &[KeyCode::F(6)]);
    let screen = render(&app).backend().to_string();
    let footer = screen.lines().last().unwrap_or_default().to_string();
    assert!(footer.contains("R refund"), "{footer}");
}

/// The forget question says what it removes: this desk's history, or on a branch ledger
/// the order for every counter.
#[test]
fn forget_says_what_it_removes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = with_history(&dir);
    send_keys(&mut app, &[KeyCode::F(6), KeyCode::Char('d')]);
    let screen = words(&render(&app).backend().to_string());
    assert!(screen.contains("this desk's history only"), "{screen}");
    send_keys(&mut app, &[KeyCode::Char('n')]);
    app.live.branch = Some("the branch ledger postgres://u:***@db/paydesk".into());
    send_keys(&mut app, &[KeyCode::Char('d')]);
    let screen = words(&render(&app).backend().to_string());
    assert!(screen.contains("for every counter"), "{screen}");
    assert!(!screen.contains("this desk's history only"), "{screen}");
}

#[test]
fn y_in_the_history_replaces_an_untouched_form_without_asking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = with_history(&dir);
    assert!(!app.has_unsent_edits());
    send_keys(&mut app, &[KeyCode::F(6), KeyCode::Char('y')]);
    assert!(
        app.overlay.is_none(),
        "no question for a form with nothing typed"
    );
    assert_eq!(app.form.form().get("customer_email"), "reuse@example.com");
}

// ── 6. long messages wrap, never cut ───────────────────────────────────────────────────

/// A message of numbered words, about three times the width of a 40-column line.
fn long_message(tag: &str) -> String {
    (1..=16)
        .map(|i| format!("{tag}{i:02}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_whole(screen: &str, message: &str, what: &str) {
    for word in message.split(' ') {
        assert!(
            screen
                .split_whitespace()
                .any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == word),
            "{what}: {word:?} cut from the screen:\n{screen}"
        );
    }
}

#[test]
fn long_notices_and_toasts_wrap_at_80x24_and_40x12() {
    for size in [(80, 24), (40, 12)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = testing::app(dir.path(), "generic", Theme::dark(), Start::Blank, size);
        let (title, line) = (long_message("notice"), long_message("next"));
        app.notice = Some(paydesk::tui::app::Notice {
            kind: paydesk::tui::app::NoticeKind::Warning,
            title: title.clone(),
            lines: vec![line.clone()],
        });
        let screen = render(&app).backend().to_string();
        assert_whole(&screen, &title, &format!("{size:?} notice title"));
        assert_whole(&screen, &line, &format!("{size:?} notice line"));

        app.notice = None;
        let toast = long_message("toast");
        app.toast = Some(paydesk::tui::app::Toast {
            id: 1,
            text: toast.clone(),
            error: true,
        });
        let screen = render(&app).backend().to_string();
        assert_whole(&screen, &toast, &format!("{size:?} toast"));
    }
}

#[test]
fn a_long_status_check_error_on_the_result_wraps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = on_result(&dir, (80, 24));
    let error = long_message("error");
    if let Some(view) = app.result.as_mut() {
        view.poll_error = Some(error.clone());
    }
    let screen = render(&app).backend().to_string();
    assert_whole(&screen, &error, "status check error");
}
