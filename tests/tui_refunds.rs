//! Refunds at the desk (issue 15, item 4): the refund dialog as a part on its own (keys
//! in, state and effects out, drawn on a `TestBackend`), snapshots of the dialog, the order
//! view with refunds and events, and the history marks; and the real binary in a
//! pseudo-terminal refunding a paid demo order.

#[path = "common/mod.rs"]
mod common;
#[path = "common/pty.rs"]
mod pty;
#[path = "common/qr_screen.rs"]
mod qr_screen;

use std::io::{Read, Write};
use std::net::TcpStream;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID};
use paydesk::history::{OrderEvent, OrderRow, Outcome, RefundMark, RefundRow};
use paydesk::juspay::{Client, ClientConfig, SessionResponse};
use paydesk::orders::refund::OrderKnown;
use paydesk::orders::refund_state::RefundState;
use paydesk::secret::ApiKey;
use paydesk::session::profile::RefundPolicy;
use paydesk::tui::app::{App, Screen, Start};
use paydesk::tui::effects::Effect;
use paydesk::tui::keymap::Scope;
use paydesk::tui::msg::Msg;
use paydesk::tui::order_view::OrderView;
use paydesk::tui::parts::refund::{DrawCtx, REASONS, RefundDialog, Reply};
use paydesk::tui::refund_msgs::{RefundMsg, RefundSend, RefundTarget, RefundTask};
use paydesk::tui::testing::{self, fixed_now, key, render};
use paydesk::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

// ----- the dialog on its own ----------------------------------------------------------

fn target(policy: RefundPolicy, production: bool) -> RefundTarget {
    RefundTarget {
        order_id: "PD2611250001".into(),
        order_paise: 500_000,
        refundable_paise: 125_050,
        policy,
        profile: "generic".into(),
        production,
        env_name: "demo".into(),
    }
}

fn press(dialog: &mut RefundDialog, code: KeyCode) -> Reply {
    dialog.key(&KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_in(dialog: &mut RefundDialog, text: &str) {
    for c in text.chars() {
        let reply = press(dialog, KeyCode::Char(c));
        assert!(reply.effects.is_empty() && !reply.close);
    }
}

fn clear(dialog: &mut RefundDialog) {
    dialog.key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
}

/// The dialog alone on a `TestBackend`, as text.
fn drawn(dialog: &RefundDialog, size: (u16, u16)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    let theme = Theme::dark();
    terminal
        .draw(|f| {
            let ctx = DrawCtx::new(&theme);
            dialog.draw(f, f.area(), &ctx);
        })
        .expect("draw");
    terminal.backend().to_string()
}

fn labels(dialog: &RefundDialog) -> Vec<String> {
    dialog
        .commands()
        .into_iter()
        .map(|c| format!("{} {}", c.key, c.label))
        .collect()
}

/// The one refund the reply asks to send.
fn sent(reply: Reply) -> RefundSend {
    match reply.effects.as_slice() {
        [Effect::Refund(RefundTask::Send(send))] => (**send).clone(),
        other => panic!("expected one refund to send, got {other:?}"),
    }
}

#[test]
fn the_dialog_offers_all_that_is_left_and_confirms_in_digits_and_words() {
    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, false));
    let screen = drawn(&dialog, (80, 24));
    assert!(screen.contains("Amount ₹  1250.50"), "{screen}");
    assert!(screen.contains("Left      ₹1,250.50"), "{screen}");
    assert!(
        screen.contains("Refunded  ₹3,749.50 (done or pending)"),
        "{screen}"
    );
    assert_eq!(dialog.scopes(), [Scope::Refund]);
    assert_eq!(
        labels(&dialog),
        ["Enter continue", "Tab next field", "Esc cancel"]
    );

    let reply = press(&mut dialog, KeyCode::Enter);
    assert!(
        reply.effects.is_empty(),
        "nothing is sent before the confirmation"
    );
    assert_eq!(dialog.scopes(), [Scope::Confirm]);
    assert_eq!(labels(&dialog), ["y refund", "n back"]);
    let screen = drawn(&dialog, (100, 24));
    assert!(
        screen.contains("₹1,250.50 — one thousand two hundred fifty rupees and fifty paise"),
        "{screen}"
    );

    let send = sent(press(&mut dialog, KeyCode::Char('y')));
    assert_eq!(send.ask.order_id, "PD2611250001");
    assert_eq!(send.ask.amount_paise, Some(125_050));
    assert_eq!(send.ask.reason, REASONS[0]);
    assert_eq!(send.policy, RefundPolicy::Any);
    assert_eq!(labels(&dialog), ["Esc close"]);
    assert!(drawn(&dialog, (80, 24)).contains("then sending it to Juspay"));

    dialog.finished(Ok("Refund pending (Juspay queued it)".into()));
    assert!(drawn(&dialog, (80, 24)).contains("Refund pending (Juspay queued it)"));
    assert!(press(&mut dialog, KeyCode::Enter).close);
}

#[test]
fn more_than_is_left_is_refused_before_anything_is_sent() {
    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, false));
    clear(&mut dialog);
    type_in(&mut dialog, "1,250.51");
    let reply = press(&mut dialog, KeyCode::Enter);
    assert!(reply.effects.is_empty() && !reply.close);
    assert_eq!(dialog.scopes(), [Scope::Refund], "still editing");
    let screen = drawn(&dialog, (80, 24));
    assert!(
        screen.contains("At most ₹1,250.50 is left to refund"),
        "{screen}"
    );

    // Less is fine, and what is typed is what is sent.
    clear(&mut dialog);
    type_in(&mut dialog, "₹1,000.5");
    press(&mut dialog, KeyCode::Enter);
    let send = sent(press(&mut dialog, KeyCode::Char('y')));
    assert_eq!(send.ask.amount_paise, Some(100_050));

    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, false));
    clear(&mut dialog);
    type_in(&mut dialog, "12.345");
    press(&mut dialog, KeyCode::Enter);
    assert!(drawn(&dialog, (80, 24)).contains("Type the amount in rupees"));
}

#[test]
fn a_full_only_lender_refuses_part_of_the_amount() {
    let mut full = target(RefundPolicy::Full, false);
    full.refundable_paise = full.order_paise;
    let mut dialog = RefundDialog::new(full.clone());
    clear(&mut dialog);
    type_in(&mut dialog, "100");
    let reply = press(&mut dialog, KeyCode::Enter);
    assert!(reply.effects.is_empty());
    let screen = drawn(&dialog, (120, 40));
    assert!(screen.contains("allows only a full refund"), "{screen}");
    // The whole amount (the default) goes through.
    let mut dialog = RefundDialog::new(full);
    press(&mut dialog, KeyCode::Enter);
    let send = sent(press(&mut dialog, KeyCode::Char('y')));
    assert_eq!(send.ask.amount_paise, Some(500_000));
}

#[test]
fn the_reason_is_a_pick_plus_free_text_and_other_needs_the_text() {
    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, false));
    press(&mut dialog, KeyCode::Tab);
    assert!(labels(&dialog).contains(&"↓ next reason".to_string()));
    for _ in 0..REASONS.len() - 1 {
        press(&mut dialog, KeyCode::Down);
    }
    press(&mut dialog, KeyCode::Enter);
    assert_eq!(dialog.scopes(), [Scope::Refund]);
    assert!(drawn(&dialog, (80, 24)).contains("Say why the money goes back"));
    // ↓ past the last reason goes on to the details, keeping "Other" picked (it used to
    // wrap round to the first reason).
    press(&mut dialog, KeyCode::Down);
    type_in(&mut dialog, "Bus broke down");
    press(&mut dialog, KeyCode::Enter);
    assert_eq!(
        sent(press(&mut dialog, KeyCode::Char('y'))).ask.reason,
        "Bus broke down"
    );

    // A picked reason with details keeps both.
    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, false));
    press(&mut dialog, KeyCode::Tab);
    press(&mut dialog, KeyCode::Down);
    press(&mut dialog, KeyCode::Tab);
    dialog.paste("moved city");
    press(&mut dialog, KeyCode::Enter);
    assert_eq!(
        sent(press(&mut dialog, KeyCode::Char('y'))).ask.reason,
        format!("{}: moved city", REASONS[1])
    );
}

#[test]
fn production_asks_once_more_and_no_goes_back_to_the_fields() {
    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, true));
    press(&mut dialog, KeyCode::Enter);
    press(&mut dialog, KeyCode::Char('n'));
    assert_eq!(
        dialog.scopes(),
        [Scope::Refund],
        "n goes back to the fields"
    );
    press(&mut dialog, KeyCode::Enter);
    let reply = press(&mut dialog, KeyCode::Char('y'));
    assert!(reply.effects.is_empty(), "production asks a second time");
    let screen = drawn(&dialog, (80, 24));
    assert!(screen.contains("PRODUCTION"), "{screen}");
    sent(press(&mut dialog, KeyCode::Char('y')));

    let mut dialog = RefundDialog::new(target(RefundPolicy::Any, true));
    let reply = press(&mut dialog, KeyCode::Esc);
    assert!(reply.close && reply.effects.is_empty());
}

/// The embedded emulator's base URL, from the payment link on screen.
fn base_url(screen: &vt100::Screen) -> Option<String> {
    let link = qr_screen::link_text(screen);
    let rest = link.strip_prefix("http://127.0.0.1:")?;
    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!port.is_empty()).then(|| format!("http://127.0.0.1:{port}"))
}

/// Pays `order_id` as the customer would: the payment page's Pay button (a form POST).
fn pay(base: &str, order_id: &str) {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to the emulator");
    let body = "outcome=charged";
    let request = format!(
        "POST /payment-page/order/{order_id} HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("send the payment");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("payment answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("CHARGED"), "{answer}");
}

#[test]
fn the_desk_refunds_a_paid_demo_order_and_the_history_and_juspay_agree() {
    let mut run = pty::spawn(&["--demo", "--from", "assets/samples/travel.json"], &[]);
    run.wait_for("the form", |s| {
        s.contents().contains("test_1") && s.contents().contains("DEMO")
    });
    // Send, then pay as the customer and let the desk see it (r checks now).
    run.press(b"\x13");
    let parser = run.wait_for("the payment link", |s| {
        qr_screen::link_text(s).contains("/payment-page/order/")
    });
    let base = base_url(parser.screen())
        .unwrap_or_else(|| panic!("no emulator address:\n{}", parser.screen().contents()));
    pay(&base, "test_1");
    run.press(b"r");
    run.wait_for("the order paid", |s| s.contents().contains("PAID"));

    // R opens the dialog with all that is refundable; Enter confirms with the first
    // reason; y sends.
    run.press(b"R");
    run.wait_for("the refund dialog", |s| {
        s.contents().contains("Refund test_1") && s.contents().contains("5000.00")
    });
    run.press(b"\r");
    run.wait_for("the confirmation", |s| {
        s.contents().contains("₹5,000.00 — five thousand rupees")
    });
    run.press(b"y");
    run.wait_for("Juspay's answer", |s| {
        s.contents().contains("Refund pending")
    });
    run.press(b"\x1b");
    // The order view follows the refund until Juspay settles it.
    // and the history pane marks the order refunded.
    run.wait_for("the refund settled", |s| {
        s.contents().contains("₹5,000.00 SUCCESS") && s.contents().contains("REFUNDED")
    });

    // Juspay (the emulator) holds exactly one refund of the order.
    let client = Client::new(ClientConfig::new(
        base.clone(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let status = runtime
        .block_on(client.order_status("test_1", None))
        .expect("order status");
    let refunds = status.refunds();
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0].status.as_deref(), Some("SUCCESS"));

    run.press(b"\x11");
    assert!(run.wait_exit().success());

    // The history holds the refund, settled, with its reason.
    let out = common::paydesk(run.home.path())
        .args(["history", "show", "test_1", "--json"])
        .output()
        .expect("history show");
    assert!(out.status.success(), "{out:?}");
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let refunds = shown["refunds"].as_array().expect("refunds");
    assert_eq!(refunds.len(), 1, "{shown}");
    assert_eq!(refunds[0]["state"], "success");
    assert_eq!(refunds[0]["amount_paise"], 500_000);
    assert_eq!(refunds[0]["reason"], "Trip or course cancelled");
}

// ----- the desk around it -------------------------------------------------------------

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LINK: &str =
    "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1";

struct Fixture {
    app: App,
    _dir: tempfile::TempDir,
}

fn response() -> SessionResponse {
    serde_json::from_value(serde_json::json!({
        "status": "NEW",
        "id": "ordv2_80e53a249d0d4c14b57cef3593304cb1",
        "order_id": "test_1",
        "payment_links": { "web": LINK, "expiry": "2026-11-25T10:15:00Z" }
    }))
    .expect("response")
}

/// The result screen of order test_1 (₹30,500.00) with `status`.
fn result(status: &str, size: (u16, u16)) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = testing::app(dir.path(), "generic", Theme::dark(), Start::Blank, size);
    let form = testing::fixture_form();
    let mut view = OrderView::from_response(1, form, &response(), Some(1), "req-0001", fixed_now());
    view.status = Some(status.to_string());
    view.story_asked = true;
    app.result = Some(view);
    app.screen = Screen::Result;
    Fixture { app, _dir: dir }
}

fn refund_row(id: i64, state: RefundState, paise: u64, reason: &str) -> RefundRow {
    RefundRow {
        id,
        order_row_id: Some(1),
        environment: "demo".into(),
        base_host: "127.0.0.1:4010".into(),
        merchant_id: "paydesk_demo".into(),
        order_id: "test_1".into(),
        routing_id: "CUST57SDFG".into(),
        unique_request_id: format!("a1b2c3d4e5f6a7b8c9d{id}"),
        amount_paise: Some(paise),
        order_amount_paise: Some(3_050_000),
        reason: reason.into(),
        state,
        error: None,
        created_at: "2026-11-25T09:30:00.000Z".into(),
        owner: None,
        lease_until: None,
        last_check: None,
        last_check_at: None,
        operator: None,
        counter: None,
    }
}

fn event(id: i64, at: &str, kind: &str, detail: &str) -> OrderEvent {
    OrderEvent {
        id,
        order_id: "test_1".into(),
        order_row_id: Some(1),
        refund_id: None,
        at: at.into(),
        kind: kind.into(),
        detail: detail.into(),
        operator: None,
        counter: None,
    }
}

fn refund_effects(effects: &[Effect]) -> Vec<&RefundTask> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Refund(task) => Some(task),
            _ => None,
        })
        .collect()
}

fn toast(app: &App) -> String {
    app.toast
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

fn press_r(app: &mut App) -> Vec<Effect> {
    app.update(key(KeyCode::Char('R')))
}

/// R on the paid order, and the history's answer: `attempts` made before.
fn open_dialog(app: &mut App, attempts: Vec<RefundRow>) -> Vec<Effect> {
    let effects = press_r(app);
    let target = match refund_effects(&effects).as_slice() {
        [RefundTask::Known(target)] => target.clone(),
        other => panic!("expected the history to be asked, got {other:?}"),
    };
    let known = OrderKnown {
        row: None,
        attempts,
    };
    app.update(Msg::Refund(Box::new(RefundMsg::Known {
        target,
        result: Ok(Box::new(known)),
    })))
}

#[test]
fn the_refund_key_explains_unpaid_orders_and_lenders_that_allow_none() {
    let mut f = result("NEW", (120, 40));
    let effects = press_r(&mut f.app);
    assert!(refund_effects(&effects).is_empty());
    assert!(f.app.overlay.is_none());
    assert_eq!(
        toast(&f.app),
        "Order test_1 is not paid (status NEW): there is nothing to refund"
    );

    let mut f = result("CHARGED", (120, 40));
    for profile in &mut f.app.profiles.profiles {
        profile.refunds = RefundPolicy::None;
    }
    let effects = press_r(&mut f.app);
    assert!(refund_effects(&effects).is_empty());
    assert!(
        toast(&f.app).starts_with("Refunds are not allowed for this lender (profile generic)"),
        "{}",
        toast(&f.app)
    );
}

#[test]
fn the_refund_dialog_opens_with_what_is_left_and_sends_through_a_task() {
    for size in SIZES {
        let mut f = result("CHARGED", size);
        let earlier = refund_row(1, RefundState::Success, 50_000, "Customer withdrew");
        open_dialog(&mut f.app, vec![earlier]);
        assert!(f.app.popup_as::<RefundDialog>().is_some());
        assert_eq!(f.app.scopes(), [Scope::Refund]);
        insta::assert_snapshot!(
            format!("refund_dialog_{}x{}", size.0, size.1),
            render(&f.app).backend()
        );
        let effects = f.app.update(key(KeyCode::Enter));
        assert!(refund_effects(&effects).is_empty());
        insta::assert_snapshot!(
            format!("refund_confirm_{}x{}", size.0, size.1),
            render(&f.app).backend()
        );
        let effects = f.app.update(key(KeyCode::Char('y')));
        match refund_effects(&effects).as_slice() {
            [RefundTask::Send(send)] => {
                assert_eq!(send.ask.amount_paise, Some(3_000_000));
                assert_eq!(send.env_name, "demo");
            }
            other => panic!("expected a send, got {other:?}"),
        }
        // Juspay's refusal shows in the dialog; the order's story is read again.
        let refused = paydesk::orders::refund::RefundRefused::NotPaid {
            order_id: "test_1".into(),
            status: "NEW".into(),
        };
        let effects = f.app.update(Msg::Refund(Box::new(RefundMsg::Sent {
            order_id: "test_1".into(),
            result: Err(refused),
        })));
        assert!(
            refund_effects(&effects)
                .iter()
                .any(|t| matches!(t, RefundTask::Story { follow: false, .. }))
        );
        let screen = render(&f.app).backend().to_string();
        assert!(
            screen.contains("Not refunded: order test_1 is not paid"),
            "{screen}"
        );
        f.app.update(key(KeyCode::Esc));
        assert!(f.app.overlay.is_none());
    }
}

#[test]
fn footer_clicks_reach_the_dialog_and_quitting_still_works_over_it() {
    let mut f = result("CHARGED", (120, 40));
    open_dialog(&mut f.app, Vec::new());
    let area = paydesk::tui::layout::screen(f.app.size);
    let entries = paydesk::tui::layout::footer(&f.app, area);
    let cancel = entries
        .iter()
        .find(|e| e.words == "cancel")
        .unwrap_or_else(|| panic!("no cancel in the footer: {entries:?}"));
    let click = |x: u16, y: u16| {
        Msg::Input(crossterm::event::Event::Mouse(
            crossterm::event::MouseEvent {
                kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            },
        ))
    };
    f.app.update(click(cancel.x, area.y + area.height - 1));
    assert!(f.app.overlay.is_none(), "the click closed the dialog");
    assert_eq!(f.app.screen, Screen::Result, "and nothing else");

    open_dialog(&mut f.app, Vec::new());
    f.app.update(testing::ctrl('q'));
    assert!(f.app.quit, "Ctrl-Q quits over the dialog");
}

#[test]
fn an_unsettled_earlier_refund_keeps_the_dialog_closed() {
    let mut f = result("CHARGED", (120, 40));
    open_dialog(
        &mut f.app,
        vec![refund_row(1, RefundState::Unknown, 50_000, "x")],
    );
    assert!(f.app.overlay.is_none());
    assert!(
        toast(&f.app).contains("is not settled yet"),
        "{}",
        toast(&f.app)
    );

    let mut f = result("CHARGED", (120, 40));
    let all = refund_row(1, RefundState::Pending, 3_050_000, "x");
    open_dialog(&mut f.app, vec![all]);
    assert!(f.app.overlay.is_none());
    assert_eq!(toast(&f.app), "Nothing is left to refund on this order");
}

#[test]
fn the_order_view_shows_refunds_live_and_the_story() {
    for size in SIZES {
        let mut f = result("CHARGED", size);
        let refunds = vec![
            refund_row(1, RefundState::Success, 50_000, "Customer withdrew"),
            refund_row(2, RefundState::Pending, 100_000, "Wrong amount charged"),
        ];
        let events = vec![
            event(
                1,
                "2026-11-25T09:20:00.000Z",
                "sending",
                "create request leaving",
            ),
            event(2, "2026-11-25T09:21:00.000Z", "status", "CHARGED"),
            event(
                3,
                "2026-11-25T09:30:00.000Z",
                "refund",
                "refund a1b2c3: success",
            ),
            event(
                4,
                "2026-11-25T09:40:00.000Z",
                "refund_sending",
                "refund a1b2c4: amount 1000.00",
            ),
        ];
        let effects = f.app.update(Msg::Refund(Box::new(RefundMsg::Story {
            view_id: 1,
            follow: false,
            result: Ok((refunds.clone(), events.clone())),
        })));
        // A pending refund is followed, one follow at a time.
        let follows = |effects: &[Effect]| {
            refund_effects(effects)
                .iter()
                .filter(|t| matches!(t, RefundTask::Story { follow: true, .. }))
                .count()
        };
        assert_eq!(follows(&effects), 1);
        let again = f.app.update(Msg::Refund(Box::new(RefundMsg::Story {
            view_id: 1,
            follow: false,
            result: Ok((refunds.clone(), events.clone())),
        })));
        assert_eq!(follows(&again), 0);
        insta::assert_snapshot!(
            format!("order_view_with_refunds_{}x{}", size.0, size.1),
            render(&f.app).backend()
        );
        // The follow's answer: settled, so no further follow, and the marks are asked.
        let mut settled = refunds;
        settled[1].state = RefundState::Success;
        let effects = f.app.update(Msg::Refund(Box::new(RefundMsg::Story {
            view_id: 1,
            follow: true,
            result: Ok((settled, events)),
        })));
        assert_eq!(follows(&effects), 0);
        let screen = render(&f.app).backend().to_string();
        assert!(screen.contains("₹1,000.00 SUCCESS"), "{screen}");
    }
}

fn history_row(id: i64, order_id: &str, status: &str, amount: &str) -> OrderRow {
    OrderRow {
        id,
        created_at: format!("2026-11-25T09:{:02}:00.000Z", 50 - id),
        environment: "demo".into(),
        base_host: "127.0.0.1:4010".into(),
        merchant_id: "paydesk_demo".into(),
        profile: "travel".into(),
        order_id: order_id.into(),
        juspay_id: None,
        request_id: format!("req-{id}"),
        amount: amount.into(),
        currency: "INR".into(),
        customer_id: String::new(),
        customer_name: "Asha Rao".into(),
        customer_phone: String::new(),
        customer_email: String::new(),
        request_body: "{}".into(),
        response_body: None,
        payment_link: None,
        link_expiry: None,
        status: Some(status.into()),
        status_checked_at: None,
        outcome: Outcome::Created,
        error: None,
        send: Default::default(),
        operator: String::new(),
        counter: String::new(),
    }
}

#[test]
fn the_history_marks_refunded_orders_and_refunds_from_the_pane() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    let h = &mut app.history;
    h.available = true;
    h.loaded_once = true;
    h.rows = vec![
        history_row(3, "PD2611250003", "CHARGED", "1200"),
        history_row(2, "PD2611250002", "CHARGED", "30500"),
        history_row(1, "PD2611250001", "CHARGED", "999"),
    ];
    h.total = 3;
    h.generation = 4;
    let marks = vec![(3, RefundMark::Full), (2, RefundMark::Partial)];
    app.update(Msg::Refund(Box::new(RefundMsg::Marks {
        generation: 3,
        marks: marks.clone(),
    })));
    assert!(
        app.history.refund_marks.is_empty(),
        "a stale answer is dropped"
    );
    app.update(Msg::Refund(Box::new(RefundMsg::Marks {
        generation: 4,
        marks,
    })));
    insta::assert_snapshot!("history_refund_marks_120x40", render(&app).backend());

    // R in the pane refunds the selected row, by its lender profile (travel: full only).
    app.update(key(KeyCode::F(6)));
    app.update(key(KeyCode::Down));
    let effects = press_r(&mut app);
    match refund_effects(&effects).as_slice() {
        [RefundTask::Known(target)] => {
            assert_eq!(target.order_id, "PD2611250002");
            assert_eq!(target.order_paise, 3_050_000);
            assert_eq!(target.policy, RefundPolicy::Full);
            assert_eq!(target.profile, "travel");
        }
        other => panic!("expected the history to be asked, got {other:?}"),
    }
}

#[test]
fn the_open_desk_follows_open_refunds_from_the_start_while_some_stay_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    let follows = |effects: &[Effect]| -> Vec<std::time::Duration> {
        refund_effects(effects)
            .iter()
            .filter_map(|t| match t {
                RefundTask::FollowOpen { after, env_name } => {
                    assert_eq!(env_name, "demo");
                    Some(*after)
                }
                _ => None,
            })
            .collect()
    };
    let effects = app.update(Msg::StoreReady(Ok(())));
    assert_eq!(follows(&effects), [std::time::Duration::ZERO]);
    // One follow at a time.
    assert!(follows(&app.update(Msg::StoreReady(Ok(())))).is_empty());
    let answer = |open, changed| Msg::Refund(Box::new(RefundMsg::FollowedOpen { open, changed }));
    let interval = app.poll_interval;
    assert_eq!(follows(&app.update(answer(1, 0))), [interval]);
    // All settled: the follow stops until a new refund is sent.
    assert!(follows(&app.update(answer(0, 1))).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_left_pending_is_followed_to_success_when_the_desk_opens() {
    use paydesk::emulator::{Emulator, EmulatorConfig};
    use paydesk::history::Store;
    use paydesk::orders::OrderContext;
    use paydesk::orders::refund::{RefundAsk, refund};

    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let settings = testing::settings(dir.path(), "generic");
    let store = Store::open(&settings.paths.history_db()).expect("history db");
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let body = serde_json::json!({
        "order_id": "RF_DESK",
        "amount": "5000.00",
        "customer_id": "CUST-42",
        "customer_email": "asha.rao@example.com",
        "customer_phone": "9876543210",
        "payment_page_client_id": "paydesk_demo_client",
        "action": "paymentPage",
        "return_url": "https://example.com/",
    });
    let body = body.as_object().cloned().expect("object");
    client
        .create_session(&body, &Client::new_request_id())
        .await
        .expect("order created");
    assert_eq!(emulator.settle("RF_DESK", true).as_deref(), Some("CHARGED"));

    // A refund an earlier run sent: recorded, and PENDING at Juspay.
    emulator.set_refund_delay(std::time::Duration::from_secs(60));
    let ctx = OrderContext::new("demo", emulator.base_url(), DEMO_MERCHANT_ID, "generic");
    let ask = RefundAsk {
        order_id: "RF_DESK".into(),
        amount_paise: Some(100_000),
        reason: "Customer withdrew".into(),
    };
    let report = refund(&store, &client, &ctx, (RefundPolicy::Any, "generic"), &ask)
        .await
        .expect("refund sent");
    assert_eq!(report.refund.state, RefundState::Pending);
    emulator.advance_clock(std::time::Duration::from_secs(61));

    // The desk opens: its follow of open refunds settles the row from Juspay's answer.
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    app.env.base_url = Some(emulator.base_url().to_string());
    let mut desk = testing::Desk::new(app, settings);
    desk.runner.set_services(client, store.clone());
    desk.send(Msg::StoreReady(Ok(())));
    assert!(desk.app.rechecks.refunds, "a follow is scheduled at start");
    let followed = desk
        .settle_until(std::time::Duration::from_secs(10), |app| {
            !app.rechecks.refunds
        })
        .await;
    assert!(followed, "the follow answered");
    let rows = store.refunds_of("RF_DESK").expect("refunds");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, RefundState::Success);
    assert_eq!(emulator.refunds("RF_DESK").len(), 1, "one refund at Juspay");
}
