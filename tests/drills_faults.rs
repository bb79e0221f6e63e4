//! Fault drills: each emulator misbehaviour (500 with HTML, malformed JSON, empty body,
//! dropped connection, a slow drip past the client's timeout, a 10 MB body) met by the
//! whole desk. Each must end with a clear message on screen (does the order exist? what to
//! do next?) and nothing lost: the history row says `unknown`, the typed form is intact,
//! and re-checking the status from the history pane reconciles the row (the emulator
//! records the order before it misbehaves, as a real outage after the write would).

use std::time::Duration;

use crossterm::event::KeyCode;
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig, Fault};
use paydesk::history::{Outcome, Store};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::secret::ApiKey;
use paydesk::tui::app::{Focus, Screen, SendPhase, Start};
use paydesk::tui::msg::Msg;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;

const WAIT: Duration = Duration::from_secs(20);
/// Short enough that the slow drip (one byte every 200 ms for two minutes) passes it.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(2);
/// Typed by hand into the form; must survive every fault.
const TYPED: &str = "Drill: typed by hand";

struct Rig {
    desk: Desk,
    emulator: Emulator,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let settings = testing::settings(dir.path(), "generic");
    let store = Store::open(&settings.paths.history_db()).expect("history db");
    let mut config = ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    );
    config.request_timeout = CLIENT_TIMEOUT;
    let client = Client::new(config).expect("client");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Import(testing::fixture_form()),
        (120, 40),
    );
    app.env.base_url = Some(emulator.base_url().to_string());
    let mut desk = Desk::new(app, settings);
    desk.runner.set_services(client, store.clone());
    desk.send(Msg::StoreReady(Ok(())));
    Rig {
        desk,
        emulator,
        store,
        _dir: dir,
    }
}

/// Moves to the description field with Tab, clears it and types `value`.
fn type_description(desk: &mut Desk, value: &str) {
    desk.send(testing::alt('1'));
    for _ in 0..40 {
        if desk
            .app
            .form
            .focused_field()
            .is_some_and(|f| f.key == "description")
        {
            desk.ctrl('u');
            desk.type_str(value);
            return;
        }
        desk.key(KeyCode::Tab);
    }
    panic!("no description field on the first tab");
}

/// The screen's text with every run of spaces and box-drawing characters folded to one
/// space, so phrases can be searched for.
fn words(screen: &str) -> String {
    let cleaned: String = screen
        .chars()
        .map(|c| match c {
            '"' | '│' | '─' | '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' => {
                ' '
            }
            c => c,
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words that say what went wrong, per fault.
fn what_happened(fault: Fault) -> &'static str {
    match fault {
        Fault::Html500 => "Juspay had a server error (HTTP 500)",
        Fault::MalformedJson | Fault::EmptyBody => "unexpected answer from Juspay (HTTP 200)",
        Fault::DropConnection => "the connection broke after the request was sent",
        Fault::SlowDrip => "no answer within 2 s",
        Fault::HugeBody => "the answer was larger than 1048576 bytes and was refused",
        Fault::RefundFailure | Fault::RefundManualReview => {
            unreachable!("the refund faults leave answers alone; no drill uses them")
        }
    }
}

/// The desk's screen as words, at its own size (120×40, history beside the form) and at
/// 80×24 (form only): the message must be whole at both.
fn screens(desk: &mut Desk) -> Vec<String> {
    let wide = words(&desk.screen());
    let size = desk.app.size;
    desk.app.size = (80, 24);
    let narrow = words(&testing::render(&desk.app).backend().to_string());
    desk.app.size = size;
    vec![wide, narrow]
}

async fn drill(fault: Fault) {
    let Rig {
        mut desk,
        emulator,
        store,
        _dir,
    } = rig().await;
    type_description(&mut desk, TYPED);
    let form_before = desk.app.form.form().clone();
    let order_id = form_before.get("order_id").to_string();

    emulator.set_fault(Some(fault));
    desk.ctrl('s');
    assert!(desk.app.send.is_some(), "{fault}: the send starts");

    // The create fails; the desk says the order may exist and checks its status.
    assert!(
        desk.settle_until(WAIT, |a| a
            .send
            .as_ref()
            .is_none_or(|s| s.phase == SendPhase::Checking))
            .await,
        "{fault}: the send never ended:\n{}",
        desk.screen()
    );
    let said = what_happened(fault);
    for text in screens(&mut desk) {
        for phrase in [
            said,
            "The order may have been created: checking its status with Juspay",
            &format!("Outcome of {order_id} unknown"),
        ] {
            assert!(text.contains(phrase), "{fault}: {phrase:?} not in:\n{text}");
        }
        assert!(
            !text.contains("Cancelled"),
            "{fault}: nobody cancelled:\n{text}"
        );
    }

    // The status check meets the same fault: the row stays unknown and the desk says so
    // and what to do about it.
    assert!(
        desk.settle_until(WAIT, |a| a.send.is_none()).await,
        "{fault}: the status check never ended:\n{}",
        desk.screen()
    );
    for text in screens(&mut desk) {
        for phrase in [
            &format!("Could not check order {order_id}"),
            "It stays 'unknown' in the history: paydesk keeps checking; sending it again now \
             could create a second order.",
        ] {
            assert!(text.contains(phrase), "{fault}: {phrase:?} not in:\n{text}");
        }
    }

    // Nothing lost: the form as typed, the row unknown, the order real at the emulator.
    assert_eq!(desk.app.screen, Screen::Form, "{fault}");
    assert_eq!(
        desk.app.form.form(),
        &form_before,
        "{fault}: the form is intact"
    );
    let row = store
        .latest_by_order_id(&order_id)
        .expect("query")
        .expect("a history row");
    assert_eq!(row.outcome, Outcome::Unknown, "{fault}: {row:?}");
    assert_eq!(emulator.order_status(&order_id).as_deref(), Some("NEW"));

    // The fault is over: r in the history pane re-checks the order and reconciles it.
    emulator.set_fault(None);
    desk.key(KeyCode::F(6));
    assert_eq!(desk.app.focus, Focus::History, "{fault}");
    assert!(
        desk.settle_until(WAIT, |a| a
            .history
            .selected_row()
            .is_some_and(|r| r.order_id == order_id))
            .await
    );
    desk.key(KeyCode::Char('r'));
    assert!(
        desk.settle_until(WAIT, |a| a
            .toast
            .as_ref()
            .is_some_and(|t| t.text.starts_with(&format!("{order_id}:"))))
            .await,
        "{fault}: no answer to the re-check:\n{}",
        desk.screen()
    );
    let row = store
        .latest_by_order_id(&order_id)
        .expect("query")
        .expect("a history row");
    assert_eq!(
        row.outcome,
        Outcome::Created,
        "{fault}: reconciled: {row:?}"
    );
    let screen = desk.screen();
    assert!(
        screen.contains(&format!("{order_id}: NEW")),
        "{fault}: {screen}"
    );
    // The settled order's earlier warning is gone rather than contradicting the toast.
    assert!(
        !screen.contains(&format!("Could not check order {order_id}")),
        "{fault}: stale warning: {screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_500() {
    drill(Fault::Html500).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json() {
    drill(Fault::MalformedJson).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_body() {
    drill(Fault::EmptyBody).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connection() {
    drill(Fault::DropConnection).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_drip_past_the_timeout() {
    drill(Fault::SlowDrip).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_body() {
    drill(Fault::HugeBody).await;
}
