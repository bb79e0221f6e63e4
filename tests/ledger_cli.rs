//! `paydesk ledger check` and `paydesk ledger import` as the real binary: exit codes, what
//! they report, and that the ledger's password never appears in anything they print,
//! whichever way it was given (URL, `PGPASSWORD`, `~/.pgpass`, `password_cmd`).

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use paydesk::history::{NewOrder, Store};

mod common;
#[path = "ledger_support/mod.rs"]
mod support;

struct Run {
    code: i32,
    out: String,
}

/// Runs paydesk with `env` (after removing the person's PAYDESK_*, JUSPAY_* and PG*).
fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd: Command = common::paydesk(home);
    for name in ["PGPASSWORD", "PGPASSFILE", "PGUSER", "PGHOST"] {
        cmd.env_remove(name);
    }
    cmd.timeout(Duration::from_secs(60));
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.args(args).output().expect("run paydesk");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn assert_no_secret(run: &Run, secret: &str) {
    assert!(!secret.is_empty());
    assert!(
        !run.out.contains(secret),
        "the password appeared in the output:\n{}",
        run.out
    );
}

#[test]
fn without_a_ledger_url_check_says_how_to_set_one() {
    let home = tempfile::tempdir().expect("home");
    let r = run(home.path(), &["ledger", "check"], &[]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("PAYDESK_LEDGER_URL"), "{}", r.out);
}

#[test]
fn a_bad_url_or_an_unreachable_ledger_never_shows_the_password() {
    let home = tempfile::tempdir().expect("home");
    let secret = "Hunter2-not-shown";
    let bad_mode = format!("postgres://paydesk:{secret}@127.0.0.1:1/x?sslmode=allow");
    let r = run(
        home.path(),
        &["ledger", "check"],
        &[("PAYDESK_LEDGER_URL", &bad_mode)],
    );
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(
        r.out.contains("postgres://paydesk:***@127.0.0.1:1/x"),
        "{}",
        r.out
    );
    assert_no_secret(&r, secret);
    // Port 1 on loopback: nothing listens there.
    let closed = format!("postgres://paydesk:{secret}@127.0.0.1:1/x?sslmode=disable");
    for args in [
        &["ledger", "check"][..],
        &["ledger", "check", "--json"],
        &["ledger", "import"],
    ] {
        let r = run(home.path(), args, &[("PAYDESK_LEDGER_URL", &closed)]);
        assert_eq!(r.code, 4, "{args:?}: {}", r.out);
        assert!(r.out.contains("***"), "{}", r.out);
        assert_no_secret(&r, secret);
    }
}

#[tokio::test]
async fn check_reports_the_server_and_no_password_from_any_source() {
    let Some(db) = support::pg_db().await else {
        return;
    };
    let password = db
        .target
        .config()
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .expect("the test URL has a password");
    let home = tempfile::tempdir().expect("home");
    let without = db.url.replacen(&format!(":{password}@"), "@", 1);
    assert_ne!(without, db.url);
    let pgpass = home.path().join("pgpass");
    std::fs::write(&pgpass, format!("*:*:*:*:{password}\n")).expect("pgpass");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let pgpass = pgpass.display().to_string();
    let cmd = format!("printf '%s\\n' '{password}'");
    let ways: [Vec<(&str, &str)>; 4] = [
        vec![("PAYDESK_LEDGER_URL", &db.url)],
        vec![("PAYDESK_LEDGER_URL", &without), ("PGPASSWORD", &password)],
        vec![("PAYDESK_LEDGER_URL", &without), ("PGPASSFILE", &pgpass)],
        vec![
            ("PAYDESK_LEDGER_URL", &without),
            ("PAYDESK_LEDGER_PASSWORD_CMD", &cmd),
        ],
    ];
    for env in &ways {
        let r = run(home.path(), &["ledger", "check"], env);
        assert_eq!(r.code, 0, "{env:?}: {}", r.out);
        assert!(r.out.contains("reachable     yes"), "{}", r.out);
        assert!(r.out.contains("server        PostgreSQL 1"), "{}", r.out);
        assert!(r.out.contains("round trip"), "{}", r.out);
        assert_no_secret(&r, &password);
    }
    let r = run(home.path(), &["ledger", "check", "--json"], &ways[0]);
    assert_eq!(r.code, 0, "{}", r.out);
    let value: serde_json::Value = serde_json::from_str(r.out.trim()).expect("json");
    assert_eq!(value["reachable"], true);
    assert_eq!(value["schema_version"], 0, "check creates nothing");
    assert!(value["round_trip_ms"].as_f64().is_some_and(|ms| ms >= 0.0));
    assert_no_secret(&r, &password);
    // A ledger written by a newer paydesk: check says so and exits 2.
    paydesk::ledger::PgLedger::connect(&db.target)
        .await
        .expect("migrate");
    let (client, connection) = db
        .target
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("connect");
    let task = tokio::spawn(connection);
    client
        .batch_execute("UPDATE schema_version SET version = version + 1")
        .await
        .expect("bump");
    drop(client);
    let _ = task.await;
    let r = run(home.path(), &["ledger", "check"], &ways[0]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("newer paydesk"), "{}", r.out);
    // A wrong password: refused login, exit 3, neither password shown.
    let wrong = db.url.replacen(&password, "Wrong-Pass-123", 1);
    let r = run(
        home.path(),
        &["ledger", "check"],
        &[("PAYDESK_LEDGER_URL", &wrong)],
    );
    assert_eq!(r.code, 3, "{}", r.out);
    assert_no_secret(&r, &password);
    assert_no_secret(&r, "Wrong-Pass-123");
    db.finish().await;
}

fn order(n: usize) -> NewOrder {
    NewOrder {
        environment: "sandbox".into(),
        base_host: "localhost".into(),
        merchant_id: "m1".into(),
        profile: "p".into(),
        order_id: format!("ORD-{n}"),
        request_id: format!("req-{n}"),
        amount: "10.00".into(),
        currency: "INR".into(),
        customer_name: format!("Customer {n}"),
        request_body: "{}".into(),
        ..NewOrder::default()
    }
}

#[tokio::test]
async fn import_twice_from_the_command_line_adds_nothing_the_second_time() {
    let Some(db) = support::pg_db().await else {
        return;
    };
    let home = tempfile::tempdir().expect("home");
    let file = home.path().join("desk.db");
    let store = Store::open(&file).expect("store");
    let orders: Vec<NewOrder> = (0..250).map(order).collect();
    store.insert_many(&orders).expect("seed");
    drop(store);
    let from = file.display().to_string();
    let env = [("PAYDESK_LEDGER_URL", db.url.as_str())];
    let first = run(home.path(), &["ledger", "import", "--from", &from], &env);
    assert_eq!(first.code, 0, "{}", first.out);
    assert!(
        first.out.contains("orders       250 (250 new)"),
        "{}",
        first.out
    );
    let second = run(home.path(), &["ledger", "import", "--from", &from], &env);
    assert_eq!(second.code, 0, "{}", second.out);
    assert!(
        second.out.contains("orders       250 (0 new)"),
        "{}",
        second.out
    );
    assert!(
        second.out.contains("events       250 (0 new)"),
        "{}",
        second.out
    );
    let password = db
        .target
        .config()
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .unwrap_or_default();
    assert_no_secret(&second, &password);
    let missing = home.path().join("nope.db").display().to_string();
    let r = run(home.path(), &["ledger", "import", "--from", &missing], &env);
    assert_ne!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("no history file there"), "{}", r.out);
    db.finish().await;
}

/// The config file of a home made by `common::paydesk`.
fn config_file(home: &Path) -> std::path::PathBuf {
    let dir = home.join("config").join("paydesk");
    std::fs::create_dir_all(&dir).expect("config dir");
    dir.join("config.toml")
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn a_password_in_a_readable_config_file_is_refused_and_not_shown() {
    let home = tempfile::tempdir().expect("home");
    let file = config_file(home.path());
    let secret = "In-File-Secret-9";
    std::fs::write(
        &file,
        format!("[ledger]\nurl = \"postgres://paydesk:{secret}@127.0.0.1:1/x?sslmode=disable\"\n"),
    )
    .expect("config");
    chmod(&file, 0o644);
    let r = run(home.path(), &["ledger", "check"], &[]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("refuses to use it"), "{}", r.out);
    assert_no_secret(&r, secret);
    // The same file kept private is used (and the ledger there is unreachable: exit 4).
    chmod(&file, 0o600);
    let r = run(home.path(), &["ledger", "check"], &[]);
    assert_eq!(r.code, 4, "{}", r.out);
    assert_no_secret(&r, secret);
    // An unknown key in [ledger] is named.
    std::fs::write(&file, "[ledger]\nulr = \"postgres://x@h/db\"\n").expect("config");
    let r = run(home.path(), &["ledger", "check"], &[]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("ulr"), "{}", r.out);
}

#[cfg(unix)]
#[tokio::test]
async fn the_config_file_names_the_ledger_and_its_password_cmd() {
    let Some(db) = support::pg_db().await else {
        return;
    };
    let password = db
        .target
        .config()
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .unwrap_or_default();
    let home = tempfile::tempdir().expect("home");
    let without = db.url.replacen(&format!(":{password}@"), "@", 1);
    let file = config_file(home.path());
    std::fs::write(
        &file,
        format!("[ledger]\nurl = \"{without}\"\npassword_cmd = \"printf '%s' '{password}'\"\n"),
    )
    .expect("config");
    chmod(&file, 0o644);
    let r = run(home.path(), &["ledger", "check"], &[]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert_no_secret(&r, &password);
    db.finish().await;
}

/// Needs a server with TLS on (`.ci/postgres-start` sets `PAYDESK_TEST_PG_TLS=1`).
#[tokio::test]
async fn require_encrypts_and_verify_full_refuses_an_unknown_certificate() {
    let Some(db) = support::pg_db().await else {
        return;
    };
    if std::env::var("PAYDESK_TEST_PG_TLS").as_deref() != Ok("1") {
        println!("skipped: PAYDESK_TEST_PG_TLS not set (the server has no TLS)");
        db.finish().await;
        return;
    }
    let home = tempfile::tempdir().expect("home");
    let with_mode = |mode: &str| {
        db.url
            .replace("sslmode=disable", &format!("sslmode={mode}"))
    };
    let r = run(
        home.path(),
        &["ledger", "check", "--json"],
        &[("PAYDESK_LEDGER_URL", &with_mode("require"))],
    );
    assert_eq!(r.code, 0, "{}", r.out);
    let value: serde_json::Value = serde_json::from_str(r.out.trim()).expect("json");
    assert_eq!(value["encrypted"], true, "{}", r.out);
    let r = run(
        home.path(),
        &["ledger", "check", "--json"],
        &[("PAYDESK_LEDGER_URL", &with_mode("disable"))],
    );
    let value: serde_json::Value = serde_json::from_str(r.out.trim()).expect("json");
    assert_eq!(value["encrypted"], false, "{}", r.out);
    // The test server's certificate is self-signed: not in the system's roots.
    let r = run(
        home.path(),
        &["ledger", "check"],
        &[("PAYDESK_LEDGER_URL", &with_mode("verify-full"))],
    );
    assert_eq!(r.code, 4, "{}", r.out);
    assert!(
        r.out.contains("TLS") && r.out.contains("certificate"),
        "{}",
        r.out
    );
    db.finish().await;
}
