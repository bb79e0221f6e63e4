//! Full-frame render of the desk at 120×40 (issue 7; target ≤ 1 ms per frame).
//!
//! Each screen is built with the `tui::testing` fixtures (fixed clock, built-in profiles,
//! the travel sample) and drawn with the same `view::draw` the desk uses:
//!
//! - `paint`: `Terminal::draw` on a `TestBackend` whose screen already shows this frame —
//!   every widget is laid out and painted, the diff finds nothing to send. This is the
//!   cost of a redraw after a small change.
//! - `full`: the previous frame is cleared first, so every cell is diffed and written to
//!   the `TestBackend` — the cost of the first frame or a resize.
//! - `full_to_ansi`: as `full`, but through `CrosstermBackend` into a byte buffer, so the
//!   escape sequences a real terminal would receive are produced too (their size is
//!   printed once).
//!
//! Screens: the travel form (history pane beside it, empty), the form beside a window of
//! 120 history rows out of 100,000, the result with its QR code (and the history window),
//! and the QR code full screen.
//!
//! Run: `cargo bench --bench render`

use std::cell::RefCell;
use std::hint::black_box;
use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use paydesk::history::{OrderRow, Outcome};
use paydesk::juspay::SessionResponse;
use paydesk::session::{ProfileSet, wire};
use paydesk::tui::app::{App, Screen, Start};
use paydesk::tui::history_pane::WINDOW;
use paydesk::tui::order_view::OrderView;
use paydesk::tui::testing::{self, fixed_now, key};
use paydesk::tui::theme::Theme;
use paydesk::tui::view;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const SIZE: (u16, u16) = (120, 40);
const TOTAL_ROWS: usize = 100_000;
/// A 110-character payment link, as the emulator and Juspay sandbox return.
const LINK: &str = "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1?lang=en&v=2";

fn travel_app(dir: &std::path::Path) -> App {
    let set = ProfileSet::builtin();
    let profile = set.get("travel").expect("built-in travel profile");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/travel.json");
    let text = std::fs::read_to_string(path).expect("travel sample");
    let form = wire::import_str(&text, profile).expect("the travel sample imports");
    testing::app(dir, "travel", Theme::dark(), Start::Import(form), SIZE)
}

fn row(index: usize) -> OrderRow {
    let statuses = [
        (Outcome::Created, Some("CHARGED")),
        (Outcome::Created, Some("NEW")),
        (Outcome::Created, Some("PENDING_VBV")),
        (Outcome::Created, Some("AUTHORIZATION_FAILED")),
        (Outcome::Rejected, None),
        (Outcome::Unknown, None),
    ];
    let (outcome, status) = statuses[index % statuses.len()];
    let names = ["Asha Rao", "Vikram Shah", "Meera Iyer", "Karthik Nair"];
    let id = (TOTAL_ROWS - index) as i64;
    OrderRow {
        id,
        created_at: format!(
            "2026-11-25T09:{:02}:{:02}.000Z",
            59 - index % 60,
            index % 60
        ),
        environment: "demo".into(),
        base_host: "127.0.0.1:4010".into(),
        merchant_id: "paydesk_demo".into(),
        profile: "travel".into(),
        order_id: format!("PD26112{id:07}"),
        juspay_id: Some(format!("ordv2_{index:032x}")),
        request_id: format!("req-{index}"),
        amount: format!("{}.00", 1200 + index * 250),
        currency: "INR".into(),
        customer_id: format!("CUST{index}"),
        customer_name: names[index % names.len()].into(),
        customer_phone: "9876543210".into(),
        customer_email: "asha.rao@example.com".into(),
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
}

/// The pane as it is after a window query in the middle of 100,000 rows.
fn with_history_window(app: &mut App) {
    let offset = TOTAL_ROWS / 2;
    let h = &mut app.history;
    h.available = true;
    h.loaded_once = true;
    h.total = TOTAL_ROWS;
    h.window_offset = offset;
    h.rows = (offset..offset + WINDOW).map(row).collect();
    h.selected = offset + WINDOW / 3;
    h.top = offset + WINDOW / 3 - 5;
}

fn response() -> SessionResponse {
    serde_json::from_value(serde_json::json!({
        "status": "NEW",
        "id": "ordv2_80e53a249d0d4c14b57cef3593304cb1",
        "order_id": "PD2611250001",
        "payment_links": { "web": LINK, "expiry": "2026-11-25T10:15:00Z" },
        "sdk_payload": { "requestId": "abc", "payload": { "clientAuthToken": "tkn_secret" } }
    }))
    .expect("response")
}

fn with_result(app: &mut App) {
    let form = app.form.form.clone();
    let view = OrderView::from_response(1, form, &response(), Some(1), "req-0001", fixed_now());
    assert!(
        matches!(view.qr, Some(Ok(_))),
        "the result carries its QR code"
    );
    app.result = Some(view);
    app.screen = Screen::Result;
}

fn screens(dir: &std::path::Path) -> Vec<(&'static str, App, &'static str)> {
    let form = travel_app(dir);

    let mut form_history = travel_app(dir);
    with_history_window(&mut form_history);

    let mut result = travel_app(dir);
    with_history_window(&mut result);
    with_result(&mut result);

    let mut qr_full = travel_app(dir);
    with_result(&mut qr_full);
    let _ = qr_full.update(key(KeyCode::Char('f')));

    // Each screen names a text it must show, so a bench never measures an empty frame.
    vec![
        ("form_travel", form, "Order"),
        ("form_with_history_window", form_history, "PD261120049965"),
        ("result_qr_with_history", result, "Juspay ID"),
        ("qr_full_screen", qr_full, "█"),
    ]
}

fn test_terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("test terminal")
}

/// Terminal output kept in memory, shared so the bench can read and clear it.
#[derive(Clone, Default)]
struct Output(Rc<RefCell<Vec<u8>>>);

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A crossterm terminal writing into memory, with a fixed 120×40 viewport (no size query).
fn ansi_terminal(out: Output) -> Terminal<CrosstermBackend<Output>> {
    Terminal::with_options(
        CrosstermBackend::new(out),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, SIZE.0, SIZE.1)),
        },
    )
    .expect("ansi terminal")
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = c.benchmark_group("render_120x40");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    for (name, app, must_show) in screens(dir.path()) {
        let mut terminal = test_terminal();
        terminal.draw(|f| view::draw(&app, f)).expect("first draw");
        let text = terminal.backend().to_string();
        assert!(
            text.contains(must_show),
            "{name} does not show {must_show:?}:\n{text}"
        );

        g.bench_function(format!("{name}/paint"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| view::draw(black_box(&app), f))
                    .expect("draw");
            })
        });
        g.bench_function(format!("{name}/full"), |b| {
            b.iter(|| {
                terminal.clear().expect("clear");
                terminal
                    .draw(|f| view::draw(black_box(&app), f))
                    .expect("draw");
            })
        });

        let out = Output::default();
        let mut ansi = ansi_terminal(out.clone());
        ansi.draw(|f| view::draw(&app, f)).expect("ansi draw");
        eprintln!(
            "{name}: a full frame is {} bytes of terminal output",
            out.0.borrow().len()
        );
        g.bench_function(format!("{name}/full_to_ansi"), |b| {
            b.iter(|| {
                out.0.borrow_mut().clear();
                // Both buffers blank (as after a clear, which would query the terminal):
                // the next draw sends every non-blank cell.
                ansi.swap_buffers();
                ansi.draw(|f| view::draw(black_box(&app), f)).expect("draw");
                black_box(out.0.borrow().len());
            })
        });
    }
    g.finish();
}

criterion_group!(render, benches);
criterion_main!(render);
