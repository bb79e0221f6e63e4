//! The whole desk on a TestBackend with scripted keys, against the in-process emulator and
//! a temporary history database: fill, send, see the result; cancel mid-send; a 400 marks
//! the right fields; the status turns PAID; the history pane re-opens an order.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::{NewOrder, Outcome, Query, Store};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::secret::ApiKey;
use paydesk::session::Section;
use paydesk::tui::app::{Focus, Screen, SendPhase, Start};
use paydesk::tui::msg::Msg;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;

const WAIT: Duration = Duration::from_secs(10);

struct Rig {
    desk: Desk,
    emulator: Emulator,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn rig(profile: &str, size: (u16, u16)) -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let settings = testing::settings(dir.path(), profile);
    let store = Store::open(&settings.paths.history_db()).expect("history db");
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let mut app = testing::app(dir.path(), profile, Theme::dark(), Start::Blank, size);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fill_send_see_the_result_and_watch_it_turn_paid() {
    let Rig {
        mut desk,
        emulator,
        store,
        _dir,
    } = rig("travel", (120, 40)).await;
    desk.fill_travel(&[]);
    // Typing q, h and ? into a text field types them (no quit, no help, no history).
    desk.fill("description", "q h ?");
    assert!(!desk.app.quit && desk.app.overlay.is_none());
    assert_eq!(desk.app.form.form.get("description"), "q h ?");

    desk.ctrl('s');
    assert!(desk.app.send.is_some(), "valid form: the send starts");
    assert!(
        desk.settle_until(WAIT, |a| a.screen == Screen::Result)
            .await,
        "{}",
        desk.screen()
    );
    let order_id = desk
        .app
        .result
        .as_ref()
        .map(|r| r.order_id.clone())
        .expect("result");
    let link = desk
        .app
        .result
        .as_ref()
        .and_then(|r| r.link.clone())
        .expect("a payment link");
    assert!(link.starts_with(emulator.base_url()), "{link}");
    let screen = desk.screen();
    assert!(screen.contains("NEW"), "{screen}");
    assert!(screen.contains(&order_id), "{screen}");
    assert!(screen.contains('█'), "the QR code is drawn: {screen}");

    // The order was recorded before it was sent and is `created` now.
    let row = store
        .latest_by_order_id(&order_id)
        .expect("query")
        .expect("row");
    assert_eq!(row.outcome, Outcome::Created);
    assert_eq!(row.payment_link.as_deref(), Some(link.as_str()));

    // Copy goes out as OSC 52 and says only that it was sent.
    desk.key(KeyCode::Char('c'));
    assert_eq!(desk.copied, vec![link.clone()]);
    let screen = desk.screen();
    assert!(screen.contains("Sent the payment link"), "{screen}");
    assert!(!screen.contains("Copied"), "{screen}");

    // Pay it; the next status poll shows PAID and rings the bell once.
    desk.app.poll_interval = Duration::from_millis(50);
    desk.key(KeyCode::Char('r'));
    assert_eq!(emulator.settle(&order_id, true).as_deref(), Some("CHARGED"));
    assert!(
        desk.settle_until(WAIT, |a| a
            .result
            .as_ref()
            .and_then(|r| r.status.as_deref())
            == Some("CHARGED"))
            .await
    );
    let screen = desk.screen();
    assert!(screen.contains("PAID"), "{screen}");
    assert_eq!(desk.bells, 1);
    let row = store
        .latest_by_order_id(&order_id)
        .expect("query")
        .expect("row");
    assert_eq!(
        row.status.as_deref(),
        Some("CHARGED"),
        "status written back"
    );

    // n: a new blank order with a fresh id; the draft was cleared.
    desk.key(KeyCode::Char('n'));
    assert_eq!(desk.app.screen, Screen::Form);
    assert_ne!(desk.app.form.form.get("order_id"), order_id);
    assert_eq!(desk.app.form.form.get("customer_id"), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_mid_send_marks_the_order_unknown_and_checks_it() {
    let Rig {
        mut desk,
        emulator,
        store,
        _dir,
    } = rig("travel", (120, 40)).await;
    desk.fill_travel(&[]);
    emulator.set_latency(Duration::from_secs(30));
    desk.ctrl('s');
    let order_id = desk.app.form.form.get("order_id").to_string();
    // Wait until the request has reached the emulator (it records, then stalls).
    let deadline = tokio::time::Instant::now() + WAIT;
    while emulator.order_count() == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the request never arrived"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Navigation keeps working while the send is in flight.
    desk.key(KeyCode::Tab);
    assert!(desk.app.send.is_some());
    emulator.set_latency(Duration::ZERO);
    desk.key(KeyCode::Esc);
    assert_eq!(
        desk.app.send.as_ref().map(|s| s.phase),
        Some(SendPhase::Checking)
    );
    let screen = desk.screen();
    assert!(screen.contains("Outcome of"), "{screen}");
    // Order Status finds it: the desk shows it as created after all.
    assert!(
        desk.settle_until(WAIT, |a| a.send.is_none()).await,
        "{}",
        desk.screen()
    );
    let screen = desk.screen();
    assert_eq!(desk.app.screen, Screen::Result, "{screen}");
    let note = desk
        .app
        .result
        .as_ref()
        .and_then(|r| r.note.clone())
        .unwrap_or_default();
    assert!(note.contains("created after all"), "{note}");
    let row = store
        .latest_by_order_id(&order_id)
        .expect("query")
        .expect("row");
    assert_eq!(row.outcome, Outcome::Created, "reconciled from unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_400_marks_the_fields_juspay_names() {
    let Rig {
        mut desk,
        store,
        _dir,
        emulator: _emu,
    } = rig("travel", (120, 40)).await;
    // This lender does not ask for an email, so local validation lets it through; Juspay
    // (the emulator) still insists on one.
    for p in &mut desk.app.profiles.profiles {
        p.required.remove("customer_email");
    }
    let profile = desk.app.current_profile().clone();
    desk.app.form.apply_profile(&profile);
    desk.fill_travel(&["customer_email"]);
    desk.ctrl('s');
    assert!(desk.app.send.is_some(), "local validation passed");
    assert!(desk.settle_until(WAIT, |a| a.send.is_none()).await);
    assert_eq!(desk.app.screen, Screen::Form);
    let screen = desk.screen();
    assert!(
        desk.app.form.server.contains_key("customer_email"),
        "{:?} {screen}",
        desk.app.notice
    );
    assert_eq!(
        desk.app.form.section(),
        Section::Customer,
        "focus moved to the field"
    );
    assert_eq!(
        desk.app.form.focused_field().map(|f| f.key.as_str()),
        Some("customer_email")
    );
    let screen = desk.screen();
    assert!(
        screen.contains("Juspay: Mandatory fields are missing"),
        "{screen}"
    );
    assert!(screen.contains("Customer (1)"), "{screen}");
    // Nothing typed was lost.
    assert_eq!(desk.app.form.form.get("metadata.origin"), "Bangalore");
    // The row says why.
    let rows = store
        .window(&Query {
            limit: 5,
            ..Query::default()
        })
        .expect("window");
    assert_eq!(rows.first().map(|r| r.outcome), Some(Outcome::Rejected));
    // Typing the email clears the server's mark for it.
    desk.fill("customer_email", "asha@example.com");
    assert!(!desk.app.form.server.contains_key("customer_email"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_form_jumps_to_the_first_problem_and_sends_nothing() {
    let Rig {
        mut desk,
        emulator,
        _dir,
        ..
    } = rig("travel", (80, 24)).await;
    desk.fill("customer_phone", "12345");
    desk.ctrl('s');
    assert!(desk.app.send.is_none());
    assert_eq!(emulator.order_count(), 0);
    assert_eq!(
        desk.app.form.focused_field().map(|f| f.key.as_str()),
        Some("amount")
    );
    assert!(desk.app.form.problems.contains_key("customer_phone"));
    assert!(desk.screen().contains("problems"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_pane_reopens_an_order_and_copies_it_into_a_new_one() {
    let Rig {
        mut desk,
        _dir,
        emulator: _emu,
        ..
    } = rig("travel", (120, 40)).await;
    desk.fill_travel(&[]);
    desk.ctrl('s');
    let sent = desk
        .settle_until(WAIT, |a| a.screen == Screen::Result)
        .await;
    assert!(sent, "{}", desk.screen());
    let order_id = desk
        .app
        .result
        .as_ref()
        .map(|r| r.order_id.clone())
        .expect("result");
    assert!(
        desk.settle_until(WAIT, |a| a.history.total == 1
            && a.history.rows.first().map(|r| r.outcome) == Some(Outcome::Created))
            .await
    );
    desk.key(KeyCode::Char('n'));
    // F6 moves into the pane; Enter re-opens the order with its QR.
    desk.key(KeyCode::F(6));
    assert_eq!(desk.app.focus, Focus::History);
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.screen, Screen::Result);
    assert_eq!(
        desk.app.result.as_ref().map(|r| r.order_id.as_str()),
        Some(order_id.as_str())
    );
    assert!(desk.screen().contains('█'));
    // y: a new order with the same details and a new order id.
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Char('y'));
    assert_eq!(desk.app.screen, Screen::Form);
    assert_eq!(desk.app.form.form.get("metadata.origin"), "Bangalore");
    assert_ne!(desk.app.form.form.get("order_id"), order_id);
    // Search narrows the list; a search for nothing empties it.
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Char('/'));
    desk.type_str("zzz-no-such");
    assert!(
        desk.settle_until(WAIT, |a| a.history.total == 0 && !a.history.loading)
            .await
    );
    assert!(desk.screen().contains("No order matches"));
    // d forgets, after a question.
    desk.key(KeyCode::Esc);
    assert!(
        desk.settle_until(WAIT, |a| a.history.total == 1 && !a.history.loading)
            .await
    );
    desk.key(KeyCode::Char('d'));
    assert!(desk.screen().contains("Forget order"));
    desk.key(KeyCode::Char('y'));
    assert!(
        desk.settle_until(WAIT, |a| a.history.total == 0 && !a.history.loading)
            .await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_draft_is_saved_as_you_type_and_restored() {
    let Rig {
        mut desk,
        _dir,
        emulator: _emu,
        ..
    } = rig("travel", (120, 40)).await;
    desk.fill("customer_first_name", "Asha");
    let path = desk.app.paths.draft_file();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        // Answers (the debounce timer) arrive through the queue.
        desk.settle_until(Duration::from_millis(50), |_| false)
            .await;
        if let Some(draft) = paydesk::tui::draft::read(&path) {
            assert_eq!(draft.form.get("customer_first_name"), "Asha");
            assert_eq!(draft.profile, "travel");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no draft written");
    }
    // A new desk from that draft has the value back.
    let draft = paydesk::tui::draft::read(&path).expect("draft");
    let app = testing::app(
        _dir.path(),
        "generic",
        Theme::dark(),
        Start::Draft(draft),
        (120, 40),
    );
    assert_eq!(app.current_profile().name, "travel");
    assert_eq!(app.form.form.get("customer_first_name"), "Asha");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_asks_only_while_a_send_is_in_flight() {
    let Rig {
        mut desk,
        emulator,
        _dir,
        ..
    } = rig("travel", (120, 40)).await;
    desk.fill_travel(&[]);
    emulator.set_latency(Duration::from_secs(30));
    desk.ctrl('s');
    desk.ctrl('q');
    assert!(!desk.app.quit, "asks first");
    assert!(desk.screen().contains("Quit anyway"));
    desk.key(KeyCode::Char('n'));
    assert!(!desk.app.quit && desk.app.overlay.is_none());
    desk.send(Msg::Input(crossterm::event::Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    ))));
    desk.key(KeyCode::Char('y'));
    assert!(desk.app.quit);

    let Rig {
        mut desk,
        _dir,
        emulator: _emu,
        ..
    } = rig("travel", (120, 40)).await;
    desk.ctrl('q');
    assert!(desk.app.quit, "nothing in flight: quits at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_pane_pages_through_many_rows_a_window_at_a_time() {
    // 30,000 rows keep the debug-build test quick; the window logic is the same at any
    // size (the history benches time 100,000).
    const N: usize = 30_000;
    let Rig {
        mut desk,
        store,
        _dir,
        emulator: _emu,
    } = rig("travel", (120, 40)).await;
    let orders: Vec<NewOrder> = (0..N)
        .map(|i| NewOrder {
            environment: "demo".into(),
            order_id: format!("BULK{i:06}"),
            request_id: format!("r{i}"),
            amount: "100".into(),
            currency: "INR".into(),
            customer_name: format!("Customer {i}"),
            request_body: "{}".into(),
            ..NewOrder::default()
        })
        .collect();
    store.insert_many(&orders).expect("seed the rows");
    desk.send(Msg::StoreReady(Ok(())));
    assert!(
        desk.settle_until(WAIT, |a| a.history.total == N && !a.history.loading)
            .await
    );
    assert!(desk.app.history.rows.len() <= paydesk::tui::history_pane::WINDOW);
    assert!(
        desk.screen().contains(&format!("BULK{:06}", N - 1)),
        "newest first"
    );
    // To the oldest row: only the window around it is fetched.
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::End);
    assert!(
        desk.settle_until(WAIT, |a| !a.history.loading
            && a.history.selected_row().is_some())
            .await
    );
    assert_eq!(
        desk.app.history.selected_row().map(|r| r.order_id.as_str()),
        Some("BULK000000")
    );
    assert!(desk.app.history.rows.len() <= paydesk::tui::history_pane::WINDOW);
    assert!(desk.screen().contains("BULK000000"));
    // Page back up a few screens.
    for _ in 0..5 {
        desk.key(KeyCode::PageUp);
    }
    assert!(
        desk.settle_until(WAIT, |a| !a.history.loading
            && a.history.selected_row().is_some())
            .await
    );
    let selected = desk.app.history.selected;
    let expected = format!("BULK{:06}", N - 1 - selected);
    assert_eq!(
        desk.app.history.selected_row().map(|r| r.order_id.clone()),
        Some(expected.clone())
    );
    assert!(desk.screen().contains(&expected));
    // Search across all rows still answers with a window.
    desk.key(KeyCode::Char('/'));
    desk.type_str("BULK02000");
    assert!(
        desk.settle_until(WAIT, |a| !a.history.loading && a.history.total == 10)
            .await,
        "{}",
        desk.app.history.total
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_to_an_environment_without_a_key_refuses_to_send() {
    let Rig {
        mut desk,
        emulator,
        _dir,
        ..
    } = rig("travel", (120, 40)).await;
    desk.fill_travel(&[]);
    desk.key(KeyCode::F(4));
    let sandbox = desk
        .app
        .env_names
        .iter()
        .position(|n| n == "sandbox")
        .expect("sandbox offered");
    for _ in 0..sandbox {
        desk.key(KeyCode::Down);
    }
    desk.key(KeyCode::Enter);
    assert!(desk.settle_until(WAIT, |a| a.env.name == "sandbox").await);
    let screen = desk.screen();
    assert!(screen.contains("SANDBOX"), "{screen}");
    assert!(desk.app.env.send_problem.is_some());
    desk.ctrl('s');
    assert!(desk.app.send.is_none(), "nothing is sent without a key");
    let screen = desk.screen();
    assert!(screen.contains("Sending is off in sandbox"), "{screen}");
    assert_eq!(emulator.order_count(), 0);
    // Nothing typed was lost on the way.
    assert_eq!(desk.app.form.form.get("metadata.origin"), "Bangalore");
}

/// Every text the desk tells the clerk right now: the notice, the toast, the result's note.
fn clerk_texts(app: &paydesk::tui::app::App) -> Vec<String> {
    let mut texts = Vec::new();
    if let Some(n) = &app.notice {
        texts.push(n.title.clone());
        texts.extend(n.lines.iter().cloned());
    }
    texts.extend(app.toast.as_ref().map(|t| t.text.clone()));
    texts.extend(app.result.as_ref().and_then(|r| r.note.clone()));
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_then_a_late_commit_ends_created_and_never_says_nothing_was_charged() {
    let Rig {
        mut desk,
        emulator,
        store,
        _dir,
    } = rig("travel", (120, 40)).await;
    desk.app.poll_interval = Duration::from_millis(50);
    desk.fill_travel(&[]);
    // Juspay answers late and commits the order later still.
    emulator.set_latency(Duration::from_secs(30));
    emulator.set_commit_delay(Some(Duration::from_secs(3600)));
    desk.ctrl('s');
    let order_id = desk.app.form.form.get("order_id").to_string();
    let deadline = tokio::time::Instant::now() + WAIT;
    while emulator.pending_count() == 0 {
        assert!(tokio::time::Instant::now() < deadline, "never arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    emulator.set_latency(Duration::ZERO);
    desk.key(KeyCode::Esc);

    // Every text shown on the way is recorded: none may say nothing was charged.
    let said = std::sync::Mutex::new(Vec::<String>::new());
    let record = |a: &paydesk::tui::app::App| {
        if let Ok(mut said) = said.lock() {
            said.extend(clerk_texts(a));
        }
    };
    assert!(
        desk.settle_until(WAIT, |a| {
            record(a);
            a.send.is_none()
        })
        .await,
        "{}",
        desk.screen()
    );
    let screen = desk.screen();
    assert!(screen.contains("keeps checking"), "{screen}");
    let row = store
        .latest_by_order_id(&order_id)
        .expect("q")
        .expect("row");
    assert!(row.outcome.is_open(), "{:?}", row.outcome);

    // Juspay commits it; the open desk's next re-check finds it with no key pressed.
    assert_eq!(emulator.commit_pending(None), 1);
    assert!(
        desk.settle_until(WAIT, |a| {
            record(a);
            a.history
                .rows
                .iter()
                .any(|r| r.order_id == order_id && r.outcome == Outcome::Created)
        })
        .await,
        "{}",
        desk.screen()
    );
    let row = store
        .latest_by_order_id(&order_id)
        .expect("q")
        .expect("row");
    assert_eq!(row.outcome, Outcome::Created);
    let screen = desk.screen();
    assert!(screen.contains("created after all"), "{screen}");
    record(&desk.app);
    let said = said.into_inner().unwrap_or_default();
    assert!(
        !said
            .iter()
            .any(|t| t.to_lowercase().contains("nothing was charged")),
        "{said:#?}"
    );
    assert!(
        !screen.to_lowercase().contains("nothing was charged"),
        "{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_desk_rechecks_an_open_row_until_it_settles() {
    let Rig {
        mut desk,
        emulator,
        store,
        _dir,
    } = rig("travel", (120, 40)).await;
    desk.app.poll_interval = Duration::from_millis(50);
    // An order Juspay holds whose row a killed process left open, and Order Status
    // behind a proxy that answers plain 404s: the first check settles nothing.
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let serde_json::Value::Object(body) = serde_json::json!({
        "order_id": "OPEN1", "amount": "100.00", "currency": "INR",
        "customer_id": "CUST-OPEN", "customer_email": "a@example.com",
        "customer_phone": "9876543210", "payment_page_client_id": "paydesk",
        "action": "paymentPage", "return_url": "https://shop.example.com/done"
    }) else {
        unreachable!()
    };
    client
        .create_session(&body, "req-open1")
        .await
        .expect("created at Juspay");
    emulator.set_plain_404_prefix(Some("/orders"));
    let id = store
        .insert_sending(&NewOrder {
            environment: "demo".into(),
            merchant_id: DEMO_MERCHANT_ID.into(),
            order_id: "OPEN1".into(),
            request_id: "req-open1".into(),
            amount: "100.00".into(),
            currency: "INR".into(),
            request_body: "{}".into(),
            routing_id: "CUST-OPEN".into(),
            ..NewOrder::default()
        })
        .expect("open row");
    desk.send(Msg::StoreReady(Ok(())));
    let checked = |s: &Store| {
        s.get(id)
            .ok()
            .flatten()
            .and_then(|r| r.send.last_check)
            .is_some()
    };
    assert!(desk.settle_until(WAIT, |_| checked(&store)).await);
    let row = store.get(id).expect("q").expect("row");
    assert!(
        row.outcome.is_open(),
        "a plain 404 settles nothing: {row:?}"
    );

    // The proxy is fixed; no key is pressed: a later pass settles the row and the
    // history pane shows it.
    emulator.set_plain_404_prefix(None);
    assert!(
        desk.settle_until(WAIT, |a| a
            .history
            .rows
            .iter()
            .any(|r| r.id == id && r.outcome == Outcome::Created))
            .await,
        "{}",
        desk.screen()
    );
    assert!(desk.app.rechecks.passes >= 2, "{:?}", desk.app.rechecks);
    assert_eq!(
        store.get(id).expect("q").expect("row").outcome,
        Outcome::Created
    );
    assert_eq!(desk.app.rechecks.open, 0, "nothing open: no more re-checks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_answered_already_exists_shows_the_order_not_an_error() {
    let Rig {
        mut desk,
        emulator,
        store,
        _dir,
    } = rig("travel", (120, 40)).await;
    desk.fill_travel(&[]);
    let order_id = desk.app.form.form.get("order_id").to_string();
    // An earlier send of this order id reached Juspay; Juspay now answers duplicates
    // with "already exists".
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let serde_json::Value::Object(body) = serde_json::json!({
        "order_id": order_id, "amount": "5000.00", "currency": "INR",
        "customer_id": "CUST-42", "customer_email": "asha.rao@example.com",
        "customer_phone": "9876543210", "payment_page_client_id": "paydesk",
        "action": "paymentPage", "return_url": "https://shop.example.com/done"
    }) else {
        unreachable!()
    };
    client
        .create_session(&body, "req-earlier")
        .await
        .expect("earlier send");
    emulator.set_reject_duplicates(true);
    desk.ctrl('s');
    assert!(
        desk.settle_until(WAIT, |a| a.send.is_none()).await,
        "{}",
        desk.screen()
    );
    let screen = desk.screen();
    assert_eq!(desk.app.screen, Screen::Result, "{screen}");
    let note = desk.app.result.as_ref().and_then(|r| r.note.clone());
    assert!(
        note.as_deref().is_some_and(|n| n.contains("already held")),
        "{note:?}"
    );
    let row = store
        .latest_by_order_id(&order_id)
        .expect("q")
        .expect("row");
    assert_eq!(row.outcome, Outcome::Created);
}
