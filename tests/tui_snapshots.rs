//! Every screen of the desk as text, at 80×24 and 120×40, with a fixed clock, order id
//! seed and payment link so the snapshots are deterministic.

use crossterm::event::KeyCode;
use paydesk::history::{OrderRow, Outcome};
use paydesk::juspay::{ApiError, SessionResponse};
use paydesk::orders::Submitted;
use paydesk::session::{ProfileSet, Section, wire};
use paydesk::tui::app::{App, Screen, Start};
use paydesk::tui::msg::Msg;
use paydesk::tui::order_view::OrderView;
use paydesk::tui::testing::{self, alt, ctrl, fixed_now, key, render};
use paydesk::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LINK: &str =
    "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1";

struct Fixture {
    app: App,
    _dir: tempfile::TempDir,
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn blank(profile: &str, size: (u16, u16)) -> Fixture {
    let dir = tempdir();
    let app = testing::app(dir.path(), profile, Theme::dark(), Start::Blank, size);
    Fixture { app, _dir: dir }
}

fn sample(profile: &str, size: (u16, u16)) -> Fixture {
    let dir = tempdir();
    let set = ProfileSet::builtin();
    let p = set.get(profile).expect("built-in profile");
    let text = std::fs::read_to_string(format!("assets/samples/{profile}.json")).expect("sample");
    let form = wire::import_str(&text, p).expect("sample imports");
    let app = testing::app(
        dir.path(),
        profile,
        Theme::dark(),
        Start::Import(form),
        size,
    );
    Fixture { app, _dir: dir }
}

fn apply(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    for msg in msgs {
        let _ = app.update(msg);
    }
}

fn go_tab(app: &mut App, section: Section) {
    let i = app
        .form
        .tabs
        .iter()
        .position(|s| *s == section)
        .expect("tab shown");
    apply(app, [alt(char::from(b'1' + i as u8))]);
}

fn screen(app: &App) -> TestBackend {
    render(app).backend().clone()
}

fn snap_all(name: &str, build: impl Fn((u16, u16)) -> Fixture) {
    for size in SIZES {
        let f = build(size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), screen(&f.app));
    }
}

fn response() -> SessionResponse {
    serde_json::from_value(serde_json::json!({
        "status": "NEW",
        "id": "ordv2_80e53a249d0d4c14b57cef3593304cb1",
        "order_id": "test_1",
        "payment_links": { "web": LINK, "expiry": "2026-11-25T10:15:00Z" },
        "sdk_payload": { "requestId": "abc", "payload": { "clientAuthToken": "tkn_secret" } }
    }))
    .expect("response")
}

fn with_result(mut f: Fixture, status: &str) -> Fixture {
    let form = f.app.form.form.clone();
    let mut view = OrderView::from_response(1, form, &response(), Some(1), "req-0001", fixed_now());
    view.status = Some(status.to_string());
    f.app.result = Some(view);
    f.app.screen = Screen::Result;
    f
}

fn rows(n: usize) -> Vec<OrderRow> {
    let statuses = [
        (Outcome::Created, Some("CHARGED")),
        (Outcome::Created, Some("NEW")),
        (Outcome::Unknown, None),
        (Outcome::Created, Some("AUTHORIZATION_FAILED")),
        (Outcome::Rejected, None),
    ];
    (0..n)
        .map(|i| {
            let (outcome, status) = statuses[i % statuses.len()];
            OrderRow {
                id: (n - i) as i64,
                created_at: format!("2026-11-25T09:{:02}:00.000Z", 59 - (i % 60)),
                environment: "demo".into(),
                base_host: "127.0.0.1:4010".into(),
                merchant_id: "paydesk_demo".into(),
                profile: "travel".into(),
                order_id: format!("PD2611250{:03}", n - i),
                juspay_id: Some(format!("ordv2_{i:032}")),
                request_id: format!("req-{i}"),
                amount: format!("{}", 1200 + i * 250),
                currency: "INR".into(),
                customer_id: format!("CUST{i}"),
                customer_name: ["Asha Rao", "Vikram Shah", "Meera Iyer"][i % 3].into(),
                customer_phone: "9876543210".into(),
                customer_email: "asha@example.com".into(),
                request_body: "{}".into(),
                response_body: None,
                payment_link: Some(LINK.into()),
                link_expiry: None,
                status: status.map(str::to_string),
                status_checked_at: None,
                outcome,
                error: None,
                send: Default::default(),
                operator: String::new(),
                counter: String::new(),
            }
        })
        .collect()
}

fn with_history(mut f: Fixture, total: usize) -> Fixture {
    let h = &mut f.app.history;
    h.available = true;
    h.loaded_once = true;
    h.rows = rows(total.min(40));
    h.total = total;
    f
}

#[test]
fn form_tabs() {
    snap_all("order_tab_blank", |s| blank("generic", s));
    snap_all("customer_tab", |s| {
        let mut f = sample("generic", s);
        go_tab(&mut f.app, Section::Customer);
        f
    });
    snap_all("policy_tab_with_members", |s| {
        let mut f = sample("insurance", s);
        go_tab(&mut f.app, Section::Policy);
        f
    });
    snap_all("education_tab", |s| {
        let mut f = sample("education", s);
        go_tab(&mut f.app, Section::Education);
        f
    });
    snap_all("travel_tab", |s| {
        let mut f = sample("travel", s);
        go_tab(&mut f.app, Section::Travel);
        f
    });
    snap_all("extras_tab_with_metadata_rows", |s| {
        let mut f = sample("generic", s);
        go_tab(&mut f.app, Section::Extras);
        // Add a free metadata row and type its key and value.
        apply(&mut f.app, [ctrl('n')]);
        apply(&mut f.app, "branch".chars().map(|c| key(KeyCode::Char(c))));
        apply(&mut f.app, [key(KeyCode::Tab)]);
        apply(&mut f.app, "MG Road".chars().map(|c| key(KeyCode::Char(c))));
        f
    });
}

#[test]
fn validation_problems_are_listed_and_counted_on_tabs() {
    snap_all("validation_problems", |s| {
        let mut f = blank("travel", s);
        apply(&mut f.app, [key(KeyCode::Tab)]);
        apply(
            &mut f.app,
            "12.345"
                .chars()
                .map(|c| key(KeyCode::Char(c)))
                .collect::<Vec<_>>(),
        );
        apply(&mut f.app, [ctrl('s')]);
        f
    });
}

#[test]
fn a_400_marks_the_fields_juspay_named() {
    snap_all("server_rejected_fields", |s| {
        let mut f = sample("travel", s);
        apply(&mut f.app, [ctrl('s')]);
        let send_id = f.app.send.as_ref().expect("sending").send_id;
        let result = Ok(Submitted {
            history_id: Some(1),
            request_id: "req-400".into(),
            result: Err(ApiError::Invalid {
                message: "Invalid input data".into(),
                fields: vec![("customer_email".into(), "Invalid email address".into())],
            }),
            existing: false,
            outcome: Some(paydesk::history::Outcome::Rejected),
            record_error: None,
        });
        apply(&mut f.app, [Msg::SendDone { send_id, result }]);
        f
    });
}

#[test]
fn sending_shows_a_spinner_with_elapsed_time() {
    snap_all("sending", |s| {
        let mut f = sample("travel", s);
        apply(&mut f.app, [ctrl('s')]);
        f.app.clock.advance(std::time::Duration::from_millis(1200));
        apply(&mut f.app, [Msg::Tick]);
        f
    });
}

#[test]
fn result_views() {
    snap_all("result_new", |s| with_result(sample("travel", s), "NEW"));
    snap_all("result_paid", |s| {
        with_result(sample("travel", s), "CHARGED")
    });
    snap_all("result_failed", |s| {
        with_result(sample("travel", s), "AUTHORIZATION_FAILED")
    });
    snap_all("qr_full_screen", |s| {
        let mut f = with_result(sample("travel", s), "NEW");
        apply(&mut f.app, [key(KeyCode::Char('f'))]);
        f
    });
    snap_all("sdk_payload_masked", |s| {
        let mut f = with_result(sample("travel", s), "NEW");
        apply(&mut f.app, [key(KeyCode::Char('p'))]);
        f
    });
}

#[test]
fn full_screen_qr_turns_paid() {
    // The clerk shows the customer the full-screen code; the payment lands meanwhile.
    let mut f = with_result(sample("travel", (120, 40)), "NEW");
    apply(&mut f.app, [key(KeyCode::Char('f'))]);
    assert!(!screen(&f.app).to_string().contains("PAID"));
    if let Some(view) = f.app.result.as_mut() {
        view.status = Some("CHARGED".into());
    }
    let text = screen(&f.app).to_string();
    assert!(text.contains("PAID"), "{text}");
    insta::assert_snapshot!("qr_full_screen_paid_120x40", text);
}

#[test]
fn qr_never_clips_on_a_small_terminal() {
    // Full screen on 40×12: too small for the code, so the link and the size needed.
    let mut f = with_result(sample("travel", (40, 12)), "NEW");
    apply(&mut f.app, [key(KeyCode::Char('f'))]);
    let text = screen(&f.app).to_string();
    assert!(text.contains("needs a terminal of at least"), "{text}");
    insta::assert_snapshot!("qr_full_screen_too_small_40x12", text);
}

#[test]
fn result_too_small_for_any_qr_says_the_size_it_needs() {
    // 40×12 shows no QR even full-screen: the result says so, with both sizes.
    let f = with_result(sample("travel", (40, 12)), "NEW");
    let text = screen(&f.app).to_string();
    assert!(
        text.contains("This 40×12 terminal is too small for"),
        "{text}"
    );
    insta::assert_snapshot!("result_too_small_for_qr_40x12", text);
}

#[test]
fn tiny_terminals_say_so() {
    for (w, h) in [(20, 5), (39, 11), (1, 1)] {
        let f = blank("generic", (w, h));
        let text = screen(&f.app).to_string();
        if w >= 20 {
            assert!(text.contains("Terminal too small"), "{text}");
            insta::assert_snapshot!(format!("too_small_{w}x{h}"), text);
        }
    }
}

#[test]
fn help_overlay_lists_keys_and_paths() {
    snap_all("help", |s| {
        let mut f = blank("generic", s);
        apply(&mut f.app, [key(KeyCode::F(1))]);
        f
    });
    let mut f = blank("generic", (120, 60));
    apply(&mut f.app, [key(KeyCode::F(1))]);
    let mut text = screen(&f.app).to_string();
    for _ in 0..20 {
        apply(&mut f.app, [key(KeyCode::PageDown)]);
        text.push_str(&screen(&f.app).to_string());
    }
    for expected in [
        "Ctrl-S",
        "F2",
        "history.db",
        "paydesk.log",
        "themes",
        "Config file",
    ] {
        assert!(text.contains(expected), "help lacks {expected}: {text}");
    }
}

#[test]
fn request_preview_shows_body_and_curl_without_the_key() {
    snap_all("request_preview", |s| {
        let mut f = sample("travel", s);
        apply(&mut f.app, [key(KeyCode::F(2))]);
        f
    });
}

#[test]
fn pickers_and_questions() {
    snap_all("profile_picker", |s| {
        let mut f = blank("generic", s);
        apply(&mut f.app, [key(KeyCode::F(3))]);
        f
    });
    snap_all("env_picker", |s| {
        let mut f = blank("generic", s);
        apply(&mut f.app, [key(KeyCode::F(4))]);
        f
    });
    snap_all("member_editor", |s| {
        let mut f = sample("insurance", s);
        go_tab(&mut f.app, Section::Policy);
        assert!(f.app.form.focus_key("insured_member_details"));
        apply(&mut f.app, [key(KeyCode::Char('a'))]);
        apply(&mut f.app, "Ravi".chars().map(|c| key(KeyCode::Char(c))));
        f
    });
}

#[test]
fn history_pane() {
    // Beside the form on wide terminals.
    let f = with_history(blank("travel", (120, 40)), 1234);
    insta::assert_snapshot!("history_beside_form_120x40", screen(&f.app));
    // Toggled with h on narrow ones (focus not in a text field: move to a choice first).
    let mut f = with_history(blank("travel", (80, 24)), 1234);
    apply(&mut f.app, [key(KeyCode::F(6))]);
    insta::assert_snapshot!("history_toggled_80x24", screen(&f.app));
    // Empty history.
    let f = with_history(blank("generic", (120, 40)), 0);
    let text = screen(&f.app).to_string();
    assert!(text.contains("No orders yet"), "{text}");
}

/// Text plus the colours of a few telling cells, for theme snapshots.
fn colour_of(backend: &TestBackend, needle: &str) -> (Option<Color>, Option<Color>) {
    let buf = backend.buffer();
    let width = buf.area.width as usize;
    let text: Vec<String> = buf.content.iter().map(|c| c.symbol().to_string()).collect();
    for y in 0..buf.area.height as usize {
        let row: String = text[y * width..(y + 1) * width].concat();
        if let Some(byte) = row.find(needle) {
            let x = row[..byte].chars().count();
            let cell = &buf.content[y * width + x];
            return (Some(cell.fg), Some(cell.bg));
        }
    }
    (None, None)
}

#[test]
fn light_theme() {
    for size in SIZES {
        let dir = tempdir();
        let (theme, problem) = Theme::load("light", None);
        assert!(problem.is_none());
        let mut app = testing::app(dir.path(), "travel", theme, Start::Blank, size);
        apply(&mut app, [ctrl('s')]);
        let backend = screen(&app);
        insta::assert_snapshot!(format!("light_theme_{}x{}", size.0, size.1), backend);
        // The badge and errors use the light theme's colours, not the dark one's.
        let dark = Theme::dark();
        let light = Theme::load("light", None).0;
        assert_eq!(colour_of(&backend, "DEMO").1, light.badge_demo.bg);
        assert_ne!(light.badge_demo.bg, dark.badge_demo.bg);
    }
}

#[test]
fn result_qr_is_black_on_white_in_every_theme() {
    for name in ["dark", "light", "high-contrast"] {
        let dir = tempdir();
        let (theme, _) = Theme::load(name, None);
        for theme in [theme.clone(), theme.without_colors()] {
            let mut app = testing::app(dir.path(), "travel", theme, Start::Blank, (120, 40));
            let view = OrderView::from_response(
                1,
                app.form.form.clone(),
                &response(),
                None,
                "r",
                fixed_now(),
            );
            app.result = Some(view);
            app.screen = Screen::Result;
            let backend = screen(&app);
            let buf = backend.buffer();
            let qr_cells: Vec<_> = buf
                .content
                .iter()
                .filter(|c| matches!(c.symbol(), "▀" | "▄" | "█"))
                .collect();
            assert!(qr_cells.len() > 200, "{name}: QR drawn");
            for c in qr_cells {
                assert_eq!(
                    (c.fg, c.bg),
                    (Color::Indexed(16), Color::Indexed(231)),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn every_size_draws_without_panicking() {
    type Setup = Box<dyn Fn(&mut App)>;
    let states: Vec<Setup> = vec![
        Box::new(|_| {}),
        Box::new(|app| apply(app, [ctrl('s')])),
        Box::new(|app| apply(app, [key(KeyCode::F(1))])),
        Box::new(|app| apply(app, [key(KeyCode::F(6))])),
        Box::new(|app| {
            let view = OrderView::from_response(
                1,
                app.form.form.clone(),
                &response(),
                None,
                "r",
                fixed_now(),
            );
            app.result = Some(view);
            app.screen = Screen::Result;
        }),
        Box::new(|app| {
            let view = OrderView::from_response(
                1,
                app.form.form.clone(),
                &response(),
                None,
                "r",
                fixed_now(),
            );
            app.result = Some(view);
            app.screen = Screen::Result;
            apply(app, [key(KeyCode::Char('f'))]);
        }),
    ];
    for (i, state) in states.iter().enumerate() {
        let mut f = with_history(sample("insurance", (120, 40)), 500);
        f.app
            .banners
            .push("a banner line that is rather long and must be cut to fit".into());
        state(&mut f.app);
        for w in (0..=130).step_by(7) {
            for h in (0..=45).step_by(4) {
                apply(
                    &mut f.app,
                    [Msg::Input(crossterm::event::Event::Resize(w, h))],
                );
                let backend = screen(&f.app);
                // (TestBackend cannot print a zero-width screen; drawing it must still work.)
                if w > 0 && h > 0 {
                    assert_eq!(
                        backend.to_string().lines().count(),
                        usize::from(h),
                        "state {i} at {w}x{h}"
                    );
                }
            }
        }
    }
}

/// Issue 13: a travel form shows only the fields the travel profile uses (no loan-only
/// fields, no generic name fields), says how many more "all fields" would show, and
/// offers the travel types; the all-fields key shows the rest.
#[test]
fn travel_form_shows_only_its_profiles_fields() {
    snap_all("travel_customer_profile_fields", |s| {
        let mut f = blank("travel", s);
        go_tab(&mut f.app, Section::Customer);
        f
    });
    let mut f = blank("travel", (120, 40));
    go_tab(&mut f.app, Section::Customer);
    let text = screen(&f.app).to_string();
    assert!(!text.contains("First name (generic)"), "{text}");
    assert!(!text.contains("Loan tenure"), "{text}");
    apply(&mut f.app, [key(KeyCode::F(9))]);
    let text = screen(&f.app).to_string();
    assert!(text.contains("First name (generic)"), "{text}");
    assert!(text.contains("Loan tenure"), "{text}");
    snap_all("travel_trip_offers_travel_types", |s| {
        let mut f = blank("travel", s);
        go_tab(&mut f.app, Section::Travel);
        f
    });
}

/// Issue 13: the returning customer's last details offered in one line.
#[test]
fn a_returning_customer_is_offered_in_one_line() {
    use paydesk::history::ReturningCustomer;
    snap_all("returning_customer_offer", |s| {
        let mut f = blank("travel", s);
        go_tab(&mut f.app, Section::Customer);
        assert!(f.app.form.focus_key("customer_phone"));
        apply(
            &mut f.app,
            "+91 98765 43210".chars().map(|c| key(KeyCode::Char(c))),
        );
        let generation = f
            .app
            .update(key(KeyCode::Tab))
            .into_iter()
            .find_map(|e| match e {
                paydesk::tui::effects::Effect::LookupCustomer { generation, .. } => {
                    Some(generation)
                }
                _ => None,
            })
            .expect("leaving the mobile number looks the customer up");
        let details = [
            ("customer_id", "9876543210"),
            ("customer_first_name", "Asha"),
            ("customer_last_name", "Rao"),
            ("customer_email", "asha.rao@example.com"),
            ("customer_dob", "14-03-1990"),
            ("customer_city", "Bengaluru"),
            ("customer_pincode", "560034"),
            ("customer_employment_type", "Salaried"),
        ];
        let found = ReturningCustomer {
            order_id: "PD2611250040".into(),
            created_at: "2026-11-25T09:59:00Z".into(),
            details: details
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        apply(
            &mut f.app,
            [Msg::CustomerFound {
                generation,
                found: Some(found),
            }],
        );
        assert!(f.app.form.returning.is_some(), "offer shown");
        f
    });
}
