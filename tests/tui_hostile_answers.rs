//! Issue 11, the desk's half of the property: for arbitrary Session API and Order Status
//! answers served on 127.0.0.1, nothing the desk draws holds a C0/C1 control other than
//! newline and tab, nor a bidi or zero-width character. Each case runs the real client and
//! the desk's `App::update` and effects (`testing::Desk`) against a loopback server that
//! answers hostile bodies and error bodies, then renders to a `TestBackend` and reads
//! every cell: after the create (form or result, history beside it, 80×24, the full-screen
//! QR and the sdk_payload pop-up) and again after a status poll (the result's `r` and the
//! history's `r`). 256 cases in `cargo test`; `benches/fuzz.sh` runs 100,000.

mod fuzz_support;
#[path = "common/hostile.rs"]
mod hostile;

use std::time::Duration;

use crossterm::event::KeyCode;
use hostile::{Answers, Hostile, hostile_text};
use paydesk::history::Store;
use paydesk::juspay::{Client, ClientConfig};
use paydesk::secret::ApiKey;
use paydesk::text::is_unsafe;
use paydesk::tui::app::{Focus, Start};
use paydesk::tui::msg::Msg;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const KEY: &str = "sk_desk_hostile_key";
const TOKEN: &str = "tkn_desk_must_never_show";
/// Far longer than any answer takes on loopback; only a hang would reach it.
const WAIT: Duration = Duration::from_secs(30);

/// A JSON value where a string is expected: mostly hostile text (sometimes inside an
/// `https://` link, so a QR gets drawn, sometimes 40,000 characters long), else a wrong
/// type.
fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => hostile_text().prop_map(Value::String),
        2 => hostile_text().prop_map(|t| Value::String(format!("https://pay.example.com/{t}"))),
        1 => hostile_text().prop_map(|t| Value::String(format!("{t}\u{1b}[2J").repeat(4_000))),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
        1 => prop::collection::vec(hostile_text().prop_map(Value::String), 0..3)
            .prop_map(Value::Array),
        1 => (hostile_text(), hostile_text())
            .prop_map(|(k, v)| json!({ k: v })),
    ]
}

/// A Session API or Order Status answer body: each field either side might read, present
/// or not, with hostile values, plus a field of any name.
fn hostile_body() -> impl Strategy<Value = Value> {
    const FIELDS: [&str; 14] = [
        "id",
        "order_id",
        "status",
        "amount",
        "currency",
        "order_expiry",
        "date_created",
        "customer_id",
        "error_message",
        "user_message",
        "error_code",
        "status_id",
        "txn_id",
        "refunded",
    ];
    (
        prop::collection::vec(prop::option::weighted(0.7, hostile_value()), FIELDS.len()),
        prop::option::weighted(0.8, (hostile_value(), hostile_value())),
        prop::option::weighted(0.6, (hostile_value(), hostile_value())),
        prop::option::weighted(0.5, (hostile_value(), hostile_value())),
        (hostile_text(), hostile_value()),
    )
        .prop_map(|(values, links, payload, info, (name, extra))| {
            let mut body = Map::new();
            for (field, value) in FIELDS.iter().zip(values) {
                if let Some(value) = value {
                    body.insert((*field).to_string(), value);
                }
            }
            if let Some((web, expiry)) = links {
                body.insert(
                    "payment_links".into(),
                    json!({"web": web, "expiry": expiry}),
                );
            }
            if let Some((order_id, expiry)) = payload {
                body.insert(
                    "sdk_payload".into(),
                    json!({"expiry": expiry, "payload": {
                        "clientAuthToken": TOKEN, "orderId": order_id
                    }}),
                );
            }
            if let Some((fields, message)) = info {
                body.insert(
                    "error_info".into(),
                    json!({"fields": [fields], "user_message": message,
                           "developer_message": message}),
                );
            }
            body.insert(name, extra);
            Value::Object(body)
        })
}

/// An answer with an HTTP status a server might send: a JSON body (mostly 200), bytes that
/// are not JSON, or a body over the client's 1 MiB cap.
fn hostile_answer() -> impl Strategy<Value = (u16, Vec<u8>)> {
    let codes = prop::sample::select(vec![200u16, 200, 200, 200, 400, 401, 404, 500, 502]);
    prop_oneof![
        8 => (codes.clone(), hostile_body()).prop_map(|(code, body)| (code, body.to_string().into_bytes())),
        2 => (codes.clone(), prop::collection::vec(any::<u8>(), 0..300)),
        1 => (codes, hostile_text()).prop_map(|(code, t)| {
            (code, format!("{{\"order_id\":\"{t}\u{1b}[2J").repeat(60_000).into_bytes())
        }),
    ]
}

/// The first cell, if any, whose symbol holds a character a terminal would act on.
fn unsafe_cell(buffer: &ratatui::buffer::Buffer) -> Option<(u16, u16, String)> {
    let width = buffer.area.width.max(1);
    buffer.content.iter().enumerate().find_map(|(i, cell)| {
        let symbol = cell.symbol();
        symbol.chars().any(is_unsafe).then(|| {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            (i % width, i / width, symbol.escape_unicode().to_string())
        })
    })
}

/// Draws the desk as it is, at 80×24, and (on the result) with the QR full-screen and with
/// the sdk_payload pop-up; fails on the first unsafe cell or a visible secret.
fn check_screens(desk: &mut Desk, stage: &str) -> Result<(), TestCaseError> {
    let mut screens = vec![(
        "as is",
        desk.screen(),
        desk.terminal.backend().buffer().clone(),
    )];
    let size = desk.app.size;
    desk.app.size = (80, 24);
    let narrow = testing::render(&desk.app);
    screens.push((
        "80x24",
        narrow.backend().to_string(),
        narrow.backend().buffer().clone(),
    ));
    desk.app.size = size;
    if desk.app.result.is_some() && desk.app.focus == Focus::Form {
        for (name, open) in [("full screen", 'f'), ("sdk_payload", 'p')] {
            desk.key(KeyCode::Char(open));
            screens.push((
                name,
                desk.screen(),
                desk.terminal.backend().buffer().clone(),
            ));
            desk.key(KeyCode::Esc);
        }
    }
    for (name, text, buffer) in screens {
        prop_assert_eq!(
            unsafe_cell(&buffer),
            None,
            "{} ({}): an unsafe cell:\n{}",
            stage,
            name,
            text
        );
        prop_assert!(
            !text.contains(KEY) && !text.contains(TOKEN),
            "{} ({}): a secret on screen:\n{}",
            stage,
            name,
            text
        );
    }
    Ok(())
}

/// One case: a desk with the fixture order sends it to `server`, which answers `session`
/// to the create and `status` to every status request.
async fn case(
    server: &Hostile,
    session: (u16, Vec<u8>),
    status: (u16, Vec<u8>),
) -> Result<(), TestCaseError> {
    server.set(Answers { session, status });
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = testing::settings(dir.path(), "generic");
    let store = Store::open_in_memory().expect("history");
    let client = Client::new(ClientConfig::new(
        server.url.clone(),
        "m_desk_hostile",
        ApiKey::new(KEY),
    ))
    .expect("client");
    let mut app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Import(testing::fixture_form()),
        (120, 40),
    );
    app.env.base_url = Some(server.url.clone());
    let mut desk = Desk::new(app, settings);
    desk.runner.set_services(client, store);
    desk.send(Msg::StoreReady(Ok(())));

    // The create, and the status check that follows a create that failed midway.
    desk.ctrl('s');
    prop_assert!(
        desk.settle_until(WAIT, |a| a.send.is_none()).await,
        "the send never ended:\n{}",
        desk.screen()
    );
    check_screens(&mut desk, "after the create")?;

    // A status poll from the result screen, when the create gave one.
    if let Some(view) = desk.app.result.as_mut() {
        view.checked_at = None;
        view.poll_error = None;
        desk.key(KeyCode::Char('r'));
        prop_assert!(
            desk.settle_until(WAIT, |a| a
                .result
                .as_ref()
                .is_none_or(|v| v.checked_at.is_some() || v.poll_error.is_some()))
                .await,
            "the result's status poll never answered:\n{}",
            desk.screen()
        );
        check_screens(&mut desk, "after the result's status poll")?;
    }

    // A status check from the history pane (the row is written before the create left).
    desk.key(KeyCode::F(6));
    prop_assert!(
        desk.settle_until(WAIT, |a| a.history.selected_row().is_some())
            .await,
        "no history row:\n{}",
        desk.screen()
    );
    desk.app.toast = None;
    desk.key(KeyCode::Char('r'));
    prop_assert!(
        desk.settle_until(WAIT, |a| a
            .toast
            .as_ref()
            .is_some_and(|t| !t.text.starts_with("Checking ")))
            .await,
        "the history's status check never answered:\n{}",
        desk.screen()
    );
    check_screens(&mut desk, "after the history's status check")?;
    Ok(())
}

proptest! {
    #![proptest_config(fuzz_support::config())]

    #[test]
    fn desk_screens_for_arbitrary_answers_hold_no_terminal_controls(
        session in hostile_answer(),
        status in hostile_answer(),
    ) {
        thread_local! {
            static SERVER: Hostile = Hostile::start(Answers {
                session: (200, b"{}".to_vec()),
                status: (200, b"{}".to_vec()),
            });
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        SERVER.with(|server| runtime.block_on(case(server, session, status)))?;
    }
}
