//! Operators and counters (issue 14, item 1): the config (flag > environment > file, the
//! counter's host-name default, `[[operators]]`, `ask_operator`), the V8 migration, rows,
//! refunds and events carrying who and where, the history filters and columns of the CLI
//! and its exports, and the desk (header, history pane, the start-up question).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::KeyCode;
use paydesk::config::{Flags, Settings};
use paydesk::history::{CreatedOrder, NewOrder, NewRefund, OrderRow, Query, Store};
use paydesk::history::{query, schema};
use paydesk::juspay::RefundStatus;
use paydesk::operator::{self, Operator, OperatorEntry};
use paydesk::orders::reconcile::settle_now;
use paydesk::orders::refund_state::{self, RefundEvidence};
use paydesk::orders::state::Evidence;
use paydesk::paths::Paths;
use paydesk::tui::app::{App, AppInit, Clock, Start};
use paydesk::tui::testing::{self, fixed_now, key, render};
use paydesk::tui::theme::Theme;
use rusqlite::Connection;
use tempfile::TempDir;

mod common;

// ---- config ------------------------------------------------------------------------------

fn load(dir: &TempDir, config: &str, vars: &[(&str, &str)], flag: Option<&str>) -> Settings {
    let paths = Paths::under(dir.path());
    if let Some(parent) = paths.config_file.parent() {
        std::fs::create_dir_all(parent).expect("config dir");
    }
    std::fs::write(&paths.config_file, config).expect("config");
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let flags = Flags {
        operator: flag.map(str::to_string),
        ..Flags::default()
    };
    Settings::load_with_paths(&flags, &move |name| vars.get(name).cloned(), paths)
}

fn messages(settings: &Settings) -> String {
    let all: Vec<String> = settings.problems.iter().map(|p| p.to_string()).collect();
    all.join("\n")
}

#[test]
fn the_flag_beats_the_environment_which_beats_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let file = "operator = \"file-op\"\ncounter = \"counter-3\"\n";
    let env = [("PAYDESK_OPERATOR", " env-op ")];
    let s = load(&dir, file, &env, Some("flag-op"));
    assert_eq!(s.operator, Operator::new("flag-op", "counter-3"));
    assert!(s.problems.is_empty(), "{}", messages(&s));
    assert_eq!(load(&dir, file, &env, None).operator.name, "env-op");
    assert_eq!(load(&dir, file, &[], None).operator.name, "file-op");
    // An empty variable counts as unset.
    let empty = load(&dir, file, &[("PAYDESK_OPERATOR", "")], None);
    assert_eq!(empty.operator.name, "file-op");
    // `--operator` survives an environment switch.
    let switched = s.switch_env("sandbox", &|_| None);
    assert_eq!(switched.operator.name, "flag-op");
}

#[test]
fn the_counter_is_the_host_name_unless_configured() {
    let dir = tempfile::tempdir().expect("dir");
    let s = load(&dir, "", &[], None);
    assert_eq!(s.operator.name, "");
    let host = operator::host_name();
    assert_eq!(
        s.operator.counter,
        operator::check_name("counter", &host).unwrap_or_default()
    );
    assert!(!s.ask_operator);
}

#[test]
fn operators_are_listed_and_the_desk_asks_unless_a_flag_named_one() {
    let dir = tempfile::tempdir().expect("dir");
    let file = "ask_operator = true\n\
                [[operators]]\nname = \"asha\"\ndisplay = \"Asha Rao\"\n\
                [[operators]]\nname = \"ravi\"\n";
    let s = load(&dir, file, &[], None);
    assert!(s.problems.is_empty(), "{}", messages(&s));
    assert!(s.ask_operator);
    assert_eq!(
        s.operators,
        vec![
            OperatorEntry {
                name: "asha".into(),
                display: Some("Asha Rao".into()),
            },
            OperatorEntry {
                name: "ravi".into(),
                display: None,
            },
        ]
    );
    assert_eq!(s.operators[0].label(), "Asha Rao (asha)");
    assert!(!load(&dir, file, &[], Some("ravi")).ask_operator);
    assert!(!load(&dir, file, &[("PAYDESK_OPERATOR", "ravi")], None).ask_operator);
}

#[test]
fn unknown_keys_and_bad_names_get_clear_problems() {
    let dir = tempfile::tempdir().expect("dir");
    let file = "operater = \"asha\"\ncounter = \"front\\u0007desk\"\nask_operator = \"yes\"\n\
                [[operators]]\nnmae = \"asha\"\n\
                [[operators]]\nname = \"   \"\n\
                [[operators]]\nname = \"Ravi\"\n\
                [[operators]]\nname = \"ravi\"\n";
    let s = load(&dir, file, &[], Some(&"x".repeat(65)));
    let all = messages(&s);
    assert!(all.contains("did you mean `operator`?"), "{all}");
    assert!(all.contains("did you mean `name`?"), "{all}");
    assert!(all.contains("control or invisible character"), "{all}");
    assert!(
        all.contains("`ask_operator` must be true or false"),
        "{all}"
    );
    assert!(
        all.contains("--operator: the operator name is 65 characters long"),
        "{all}"
    );
    assert!(all.contains("the operator name is empty"), "{all}");
    assert!(all.contains("listed twice"), "{all}");
    assert_eq!(s.operator.name, "", "no valid operator was given");
    assert_eq!(s.operators.len(), 1);
    assert!(!s.ask_operator);
}

// ---- the store -----------------------------------------------------------------------------

fn new_order(order_id: &str, operator: &str, counter: &str) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        profile: "travel".into(),
        order_id: order_id.into(),
        request_id: format!("req-{order_id}"),
        amount: "100.00".into(),
        currency: "INR".into(),
        customer_id: "c1".into(),
        customer_name: "Meera Iyer".into(),
        request_body: "{}".into(),
        routing_id: "c1".into(),
        operator: operator.into(),
        counter: counter.into(),
        ..NewOrder::default()
    }
}

fn created(n: u32) -> Evidence {
    Evidence::OrderSeen(CreatedOrder {
        juspay_id: Some(format!("ordv2_{n}")),
        payment_link: Some(format!("https://sandbox.juspay.in/pay/{n}")),
        status: Some("CHARGED".into()),
        ..CreatedOrder::default()
    })
}

#[test]
fn a_v7_history_migrates_and_old_rows_have_no_operator() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("history.db");
    {
        let conn = Connection::open(&path).expect("raw");
        for step in &schema::MIGRATIONS[..7] {
            conn.execute_batch(step.sql).expect("v7 schema");
            if let Some(then) = step.then {
                then(&conn).expect("v7 data step");
            }
        }
        conn.execute_batch("PRAGMA user_version = 7")
            .expect("version");
        conn.execute(
            "INSERT INTO orders (created_at, environment, base_host, merchant_id, profile, \
             order_id, request_id, amount, currency, customer_id, customer_name, \
             customer_phone, customer_email, request_body, outcome, status) \
             VALUES ('2026-11-01T10:00:00.000Z', 'sandbox', 'sandbox.juspay.in', 'acme', \
             'generic', 'OLD7', 'r', '100.00', 'INR', 'c', 'Old', '9000000042', \
             'old@example.com', '{}', 'created', 'CHARGED')",
            [],
        )
        .expect("v7 row");
    }
    assert_eq!(schema::LATEST, 8);
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), 8);
    let old = store
        .latest_by_order_id("OLD7")
        .expect("read")
        .expect("the order survives");
    assert_eq!((old.operator.as_str(), old.counter.as_str()), ("", ""));
    assert_eq!(old.status.as_deref(), Some("CHARGED"));
    // New rows beside it carry theirs; the filters see both kinds correctly.
    store
        .insert_sending(&new_order("NEW8", "asha", "c1"))
        .expect("insert");
    let by_asha = Query {
        operator: Some("ASHA".into()),
        ..Query::default()
    };
    let rows = store.window(&by_asha).expect("window");
    assert_eq!(ids(&rows), ["NEW8"]);
}

fn ids(rows: &[OrderRow]) -> Vec<&str> {
    rows.iter().map(|r| r.order_id.as_str()).collect()
}

#[test]
fn filters_match_whole_names_ignoring_case() {
    let store = Store::open_in_memory().expect("store");
    for (id, op, counter) in [
        ("A1", "asha", "counter-1"),
        ("A2", "Asha", "counter-2"),
        ("R1", "ravi", "counter-1"),
        ("X1", "ashanti", "counter-10"),
        ("N1", "", ""),
    ] {
        store
            .insert_sending(&new_order(id, op, counter))
            .expect("insert");
    }
    let query = |operator: Option<&str>, counter: Option<&str>| Query {
        operator: operator.map(str::to_string),
        counter: counter.map(str::to_string),
        ..Query::default()
    };
    let q = query(Some("ASHA"), None);
    assert_eq!(ids(&store.window(&q).expect("window")), ["A2", "A1"]);
    assert_eq!(store.count(&q).expect("count"), 2);
    let q = query(None, Some("Counter-1"));
    assert_eq!(ids(&store.window(&q).expect("window")), ["R1", "A1"]);
    let q = query(Some("asha"), Some("counter-2"));
    assert_eq!(ids(&store.window(&q).expect("window")), ["A2"]);
    // With a search, the filters still apply.
    let q = Query {
        search: Some("meera".into()),
        ..query(Some("ravi"), None)
    };
    assert_eq!(ids(&store.window(&q).expect("window")), ["R1"]);
    assert_eq!(store.count(&query(Some("nobody"), None)).expect("count"), 0);
}

#[test]
fn the_operator_and_counter_filters_read_their_indexes() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("h.db");
    let store = Store::open(&path).expect("store");
    store
        .insert_sending(&new_order("I1", "asha", "c1"))
        .expect("insert");
    let conn = Connection::open(&path).expect("raw");
    for (query, index) in [
        (
            Query {
                operator: Some("Asha".into()),
                ..Query::default()
            },
            "orders_by_operator",
        ),
        (
            Query {
                counter: Some("C1".into()),
                ..Query::default()
            },
            "orders_by_counter",
        ),
    ] {
        let sql = query::window(&query, &query::SearchPlan::default()).expect("sql");
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", sql.sql))
            .expect("plan");
        let details: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(&sql.params), |r| r.get(3))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("plan rows");
        assert!(
            details.iter().any(|d| d.contains(index)),
            "{index} not used: {details:?}"
        );
    }
}

#[test]
fn rows_refunds_and_events_carry_operator_and_counter() {
    let dir = tempfile::tempdir().expect("dir");
    // The process works as ravi at counter-2; the order itself was created by asha.
    let store = Store::open(&dir.path().join("h.db"))
        .expect("store")
        .acting_as(Operator::new("ravi", "counter-2"));
    let id = store
        .insert_sending(&new_order("OP1", "asha", "counter-1"))
        .expect("insert");
    settle_now(&store, id, None, |_| Some(created(1)))
        .expect("settle")
        .expect("row");
    let row = store.get(id).expect("read").expect("row");
    assert_eq!(
        (row.operator.as_str(), row.counter.as_str()),
        ("asha", "counter-1")
    );

    let refund = NewRefund {
        order_row_id: Some(id),
        environment: "sandbox".into(),
        base_host: "sandbox.juspay.in".into(),
        merchant_id: "acme".into(),
        order_id: "OP1".into(),
        routing_id: "c1".into(),
        unique_request_id: "RF1".into(),
        amount_paise: Some(4_000),
        order_amount_paise: Some(10_000),
        reason: "seat not used".into(),
        lease: Duration::from_secs(150),
        operator: "meera".into(),
        counter: "counter-3".into(),
        ..NewRefund::default()
    };
    let refund_id = store
        .insert_refund(&refund)
        .expect("insert refund")
        .expect("not blocked");
    let written = store.refund_row(refund_id).expect("read").expect("refund");
    assert_eq!(written.operator.as_deref(), Some("meera"));
    assert_eq!(written.counter.as_deref(), Some("counter-3"));
    let t = refund_state::decide(
        written.state,
        RefundEvidence::Seen {
            status: RefundStatus::Success,
            amount_paise: Some(4_000),
            error: None,
        },
    );
    assert!(
        store
            .apply_refund(refund_id, &t, Some("seen"))
            .expect("apply")
    );

    let events = store.events("OP1").expect("events");
    let who: Vec<(&str, Option<&str>, Option<&str>)> = events
        .iter()
        .map(|e| (e.kind.as_str(), e.operator.as_deref(), e.counter.as_deref()))
        .collect();
    assert_eq!(
        who,
        [
            ("sending", Some("asha"), Some("counter-1")),
            ("created", Some("ravi"), Some("counter-2")),
            ("status", Some("ravi"), Some("counter-2")),
            ("refund_sending", Some("meera"), Some("counter-3")),
            ("refund", Some("ravi"), Some("counter-2")),
        ]
    );
}

// ---- the command line ----------------------------------------------------------------------

const TRAVEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/travel.json");

fn db_path(home: &Path) -> PathBuf {
    home.join("data").join("paydesk").join("history.db")
}

fn write_config(home: &Path, text: &str) {
    let dir = home.join("config").join("paydesk");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.toml"), text).expect("config");
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = common::paydesk(home);
    cmd.timeout(Duration::from_secs(60));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.args(args).output().expect("run paydesk");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// An order id, extra flags, environment variables, and the operator expected on the row.
type CreateCase<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn create_records_the_operator_from_flag_environment_or_config() {
    let home = tempfile::tempdir().expect("home");
    write_config(
        home.path(),
        "operator = \"cfg-op\"\ncounter = \"front-desk\"\n",
    );
    let cases: [CreateCase; 3] = [
        ("OPCFG1", &[], &[], "cfg-op"),
        ("OPENV1", &[], &[("PAYDESK_OPERATOR", "env-op")], "env-op"),
        (
            "OPFLAG1",
            &["--operator", "flag-op"],
            &[("PAYDESK_OPERATOR", "env-op")],
            "flag-op",
        ),
    ];
    for (order_id, flags, env, _) in &cases {
        let set = format!("order_id={order_id}");
        let mut args = vec!["create", "--demo", "--from", TRAVEL, "--set", &set];
        args.extend_from_slice(flags);
        let r = run(home.path(), &args, env);
        assert_eq!(r.code, 0, "{order_id}: {}\n{}", r.stderr, r.stdout);
    }
    let store = Store::open(&db_path(home.path())).expect("store");
    for (order_id, _, _, expected) in &cases {
        let row = store
            .latest_by_order_id(order_id)
            .expect("read")
            .expect("row");
        assert_eq!(row.operator, *expected, "{order_id}");
        assert_eq!(row.counter, "front-desk", "{order_id}");
        let events = store.events(order_id).expect("events");
        assert!(
            events
                .iter()
                .all(|e| e.operator.as_deref() == Some(*expected)),
            "{events:?}"
        );
    }
    // A name that cannot be one stops the command before anything is sent.
    let r = run(
        home.path(),
        &["create", "--demo", "--from", TRAVEL, "--operator", "  "],
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("the operator name is empty"),
        "{}",
        r.stderr
    );
}

/// Three orders: A1 by asha at c1 (refunded in part), R1 by ravi at c2, O1 from before
/// operators were recorded.
fn seeded_history() -> TempDir {
    let home = tempfile::tempdir().expect("home");
    let store = Store::open(&db_path(home.path())).expect("store");
    let a1 = store
        .insert_sending(&new_order("A1", "asha", "c1"))
        .expect("a1");
    settle_now(&store, a1, None, |_| Some(created(1)))
        .expect("settle")
        .expect("row");
    store
        .insert_sending(&new_order("R1", "ravi", "c2"))
        .expect("r1");
    store.insert_sending(&new_order("O1", "", "")).expect("o1");
    let refund = NewRefund {
        order_row_id: Some(a1),
        order_id: "A1".into(),
        unique_request_id: "RF1".into(),
        amount_paise: Some(1_000),
        order_amount_paise: Some(10_000),
        reason: "test".into(),
        operator: "asha".into(),
        counter: "c1".into(),
        ..NewRefund::default()
    };
    let id = store
        .insert_refund(&refund)
        .expect("refund")
        .expect("allowed");
    let row = store.refund_row(id).expect("read").expect("refund");
    let t = refund_state::decide(
        row.state,
        RefundEvidence::Seen {
            status: RefundStatus::Success,
            amount_paise: Some(1_000),
            error: None,
        },
    );
    assert!(store.apply_refund(id, &t, None).expect("apply"));
    home
}

#[test]
fn history_filters_and_shows_operators_and_counters() {
    let home = seeded_history();
    let h = home.path();
    let r = run(h, &["history"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = r.stdout.lines().next().unwrap_or_default();
    assert!(
        header.contains("OPERATOR") && header.contains("COUNTER"),
        "{header}"
    );
    let a1 = r
        .stdout
        .lines()
        .find(|l| l.contains("A1"))
        .unwrap_or_default();
    assert!(a1.contains("asha") && a1.contains("c1"), "{a1}");

    let r = run(h, &["history", "--operator", "ASHA"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("A1") && !r.stdout.contains("R1"),
        "{}",
        r.stdout
    );
    let r = run(h, &["history", "--counter", "C2", "--json"], &[]);
    let listed: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(listed[0]["order_id"], "R1", "{listed}");
    assert_eq!(listed[0]["operator"], "ravi");
    assert_eq!(listed[0]["counter"], "c2");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    // The configured operator does not filter the list; only the flag does.
    let r = run(h, &["history"], &[("PAYDESK_OPERATOR", "ravi")]);
    assert!(
        r.stdout.contains("A1") && r.stdout.contains("O1"),
        "{}",
        r.stdout
    );
    let r = run(h, &["history", "--operator", "nobody"], &[]);
    assert!(r.stdout.contains("No orders match."), "{}", r.stdout);
    let r = run(h, &["history", "--counter", "bad\u{1b}name"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);

    let r = run(h, &["history", "show", "A1"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Operator      asha"), "{}", r.stdout);
    assert!(r.stdout.contains("Counter       c1"), "{}", r.stdout);
    assert!(r.stdout.contains("— by asha at c1"), "{}", r.stdout);
    let r = run(h, &["history", "show", "A1", "--json"], &[]);
    let shown: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(shown["order"]["operator"], "asha");
    assert_eq!(shown["refunds"][0]["operator"], "asha");
    assert_eq!(shown["events"][0]["counter"], "c1");
}

#[test]
fn the_csv_export_has_routing_operator_counter_and_refund_marks() {
    let home = seeded_history();
    let r = run(home.path(), &["history", "export", "--csv", "-"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout.trim_start_matches('\u{feff}');
    let mut reader = csv_lines(text);
    let header = reader.remove(0);
    let tail: Vec<&str> = header
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(tail, ["routing_id", "operator", "counter", "refunded"]);
    let column = |name: &str| header.iter().position(|h| h == name).expect("column");
    let by_id = |id: &str| {
        reader
            .iter()
            .find(|r| r.get(column("order_id")).map(String::as_str) == Some(id))
            .cloned()
            .unwrap_or_default()
    };
    let a1 = by_id("A1");
    assert_eq!(a1[column("operator")], "asha");
    assert_eq!(a1[column("counter")], "c1");
    assert_eq!(a1[column("routing_id")], "c1");
    assert_eq!(a1[column("refunded")], "partial");
    let o1 = by_id("O1");
    assert_eq!(o1[column("operator")], "");
    assert_eq!(o1[column("refunded")], "");
}

/// Splits simple CSV (quoted fields, doubled quotes, no newlines inside quotes in these rows).
fn csv_lines(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let mut fields = Vec::new();
            let mut field = String::new();
            let mut quoted = false;
            let mut chars = line.trim_end_matches('\r').chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        field.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => fields.push(std::mem::take(&mut field)),
                    (c, _) => field.push(c),
                }
            }
            fields.push(field);
            fields
        })
        .collect()
}

// ---- the desk ------------------------------------------------------------------------------

fn desk_app(dir: &TempDir, configure: impl FnOnce(&mut Settings), size: (u16, u16)) -> App {
    let mut settings = testing::settings(dir.path(), "generic");
    configure(&mut settings);
    let mut app = App::new(AppInit {
        settings,
        profiles: paydesk::session::ProfileSet::builtin(),
        problems: Vec::new(),
        theme: Theme::dark(),
        clock: Clock::fixed(fixed_now()),
        seed: 7,
        utc_offset: time::UtcOffset::UTC,
        start: Start::Blank,
        size,
    });
    app.client_ready = true;
    app
}

fn top_line(app: &App) -> String {
    let backend = render(app).backend().clone();
    backend
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_header_shows_the_operator_and_counter() {
    let dir = tempfile::tempdir().expect("dir");
    for size in [(80, 24), (120, 40)] {
        let app = desk_app(
            &dir,
            |s| s.operator = Operator::new("asha", "counter-3"),
            size,
        );
        insta::assert_snapshot!(
            format!("operator_header_{}x{}", size.0, size.1),
            top_line(&app)
        );
    }
    // Before anyone is named the counter alone is shown; a hostile name is drawn safely.
    let app = desk_app(
        &dir,
        |s| s.operator = Operator::new("", "counter-3"),
        (120, 40),
    );
    assert!(
        top_line(&app).contains("counter counter-3"),
        "{}",
        top_line(&app)
    );
    let app = desk_app(
        &dir,
        |s| s.operator = Operator::new("a\u{1b}]0;x\u{7}b", "c"),
        (120, 40),
    );
    assert!(!top_line(&app).contains('\u{1b}'));
}

#[test]
fn the_history_pane_has_an_operator_column_that_narrow_panes_drop() {
    let dir = tempfile::tempdir().expect("dir");
    let row = |width| {
        let mut app = desk_app(&dir, |_| {}, (width, 40));
        app.history.shown = true;
        let store = Store::open_in_memory().expect("store");
        store
            .insert_sending(&new_order("PANE1", "asha-from-the-front-desk", "c1"))
            .expect("insert");
        app.history.rows = store.window(&Query::default()).expect("rows");
        app.history.total = 1;
        app.history.available = true;
        app.history.loaded_once = true;
        render(&app).backend().to_string()
    };
    let wide = row(120);
    assert!(wide.contains("asha-fr…"), "cut to 8 cells:\n{wide}");
    let narrow = row(40);
    assert!(narrow.contains("PANE1"), "{narrow}");
    assert!(
        !narrow.contains("asha"),
        "narrow panes drop the operator:\n{narrow}"
    );
}

#[test]
fn the_desk_asks_for_the_operator_from_the_pick_list() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = desk_app(
        &dir,
        |s| {
            s.operator = Operator::new("", "counter-3");
            s.ask_operator = true;
            s.operators = vec![
                OperatorEntry {
                    name: "asha".into(),
                    display: Some("Asha Rao".into()),
                },
                OperatorEntry {
                    name: "ravi".into(),
                    display: None,
                },
            ];
        },
        (100, 30),
    );
    let screen = render(&app).backend().to_string();
    assert!(
        screen.contains("Who works this desk at counter-3?"),
        "{screen}"
    );
    assert!(
        screen.contains("Asha Rao (asha)") && screen.contains("ravi"),
        "{screen}"
    );
    // Esc does not skip the question while nobody is named, so nothing offers it;
    // Ctrl-S sends nothing.
    let footer = screen.lines().last().unwrap_or_default().to_string();
    assert!(!footer.contains("Esc"), "the footer offers Esc: {footer}");
    let _ = app.update(key(KeyCode::Esc));
    let _ = app.update(testing::ctrl('s'));
    assert!(app.overlay.is_some() && app.send.is_none());
    let _ = app.update(key(KeyCode::Down));
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.overlay.is_none());
    assert_eq!(app.operator, Operator::new("ravi", "counter-3"));
    assert!(
        format!("{effects:?}").contains("SetOperator(Operator { name: \"ravi\""),
        "{effects:?}"
    );
    assert!(top_line(&app).contains("operator ravi @ counter-3"));
}

#[test]
fn without_a_list_the_desk_asks_for_a_typed_name() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = desk_app(
        &dir,
        |s| {
            s.operator = Operator::new("", "c1");
            s.ask_operator = true;
        },
        (100, 30),
    );
    let _ = app.update(key(KeyCode::Enter));
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("the operator name is empty"), "{screen}");
    // q and j are letters here, not shortcuts.
    for c in "  Raj q".chars() {
        let _ = app.update(key(KeyCode::Char(c)));
    }
    assert!(!app.quit);
    let _ = app.update(key(KeyCode::Enter));
    assert!(app.overlay.is_none());
    assert_eq!(app.operator.name, "Raj q");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_records_the_operator_it_was_given_at_start() {
    use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
    use paydesk::juspay::{Client, ClientConfig};
    use paydesk::secret::ApiKey;
    use paydesk::tui::app::Screen;
    use paydesk::tui::msg::Msg;
    use paydesk::tui::testing::Desk;

    let dir = tempfile::tempdir().expect("dir");
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let mut settings = testing::settings(dir.path(), "travel");
    settings.operator = Operator::new("", "counter-7");
    settings.ask_operator = true;
    let store = Store::open(&settings.paths.history_db()).expect("history db");
    let client = Client::new(ClientConfig::new(
        emulator.base_url(),
        DEMO_MERCHANT_ID,
        ApiKey::new(DEMO_API_KEY),
    ))
    .expect("client");
    let mut app = App::new(AppInit {
        settings: settings.clone(),
        profiles: paydesk::session::ProfileSet::builtin(),
        problems: Vec::new(),
        theme: Theme::dark(),
        clock: Clock::fixed(fixed_now()),
        seed: 7,
        utc_offset: time::UtcOffset::UTC,
        start: Start::Blank,
        size: (120, 40),
    });
    app.client_ready = true;
    app.env.base_url = Some(emulator.base_url().to_string());
    let mut desk = Desk::new(app, settings);
    desk.runner.set_services(client, store.clone());
    desk.send(Msg::StoreReady(Ok(())));
    desk.type_str("Meera");
    desk.key(KeyCode::Enter);
    assert!(desk.app.overlay.is_none(), "{}", desk.screen());
    desk.fill_travel(&[]);
    desk.ctrl('s');
    assert!(
        desk.settle_until(Duration::from_secs(10), |a| a.screen == Screen::Result)
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
    let row = store
        .latest_by_order_id(&order_id)
        .expect("read")
        .expect("row");
    assert_eq!(
        (row.operator.as_str(), row.counter.as_str()),
        ("Meera", "counter-7")
    );
    // The answer was recorded by the desk's store, which writes as the chosen operator.
    let events = store.events(&order_id).expect("events");
    assert!(events.len() >= 2, "{events:?}");
    for e in &events {
        assert_eq!(e.operator.as_deref(), Some("Meera"), "{e:?}");
        assert_eq!(e.counter.as_deref(), Some("counter-7"), "{e:?}");
    }

    // A refund from the desk's dialog is recorded as the same operator at the same counter.
    assert_eq!(emulator.settle(&order_id, true).as_deref(), Some("CHARGED"));
    let paid = desk
        .settle_until(Duration::from_secs(10), |a| {
            a.result
                .as_ref()
                .is_some_and(|r| r.status.as_deref() == Some("CHARGED"))
        })
        .await;
    assert!(paid, "{}", desk.screen());
    desk.key(KeyCode::Char('R'));
    let opened = desk
        .settle_until(Duration::from_secs(10), |a| a.overlay.is_some())
        .await;
    assert!(opened, "{}", desk.screen());
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Char('y'));
    let sent = desk
        .settle_until(Duration::from_secs(10), |_| {
            !store.refunds_of(&order_id).unwrap_or_default().is_empty()
        })
        .await;
    assert!(sent, "{}", desk.screen());
    let refunds = store.refunds_of(&order_id).expect("refunds");
    assert_eq!(
        (
            refunds[0].operator.as_deref(),
            refunds[0].counter.as_deref()
        ),
        (Some("Meera"), Some("counter-7")),
        "{refunds:?}"
    );
}
