//! Drills with real processes: a `paydesk create` killed mid-request is reconciled at the
//! next start, and two processes creating at once lose nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig};
use paydesk::history::{Outcome, Query, Store};

/// How long any wait here may take before the drill fails.
const DEADLINE: Duration = Duration::from_secs(90);

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("paydesk")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/generic.json")
}

/// `cmd` with HOME and the XDG directories under `home` and none of the person's
/// JUSPAY_*/PAYDESK_* variables.
fn isolated(mut cmd: Command, home: &Path) -> Command {
    for name in [
        "JUSPAY_API_KEY",
        "JUSPAY_MERCHANT_ID",
        "JUSPAY_BASE_URL",
        "JUSPAY_CLIENT_ID",
        "PAYDESK_ENV",
        "PAYDESK_LOG",
        "PAYDESK_CONFIG",
    ] {
        cmd.env_remove(name);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    cmd
}

fn paydesk(home: &Path) -> Command {
    isolated(Command::new(binary()), home)
}

fn db_path(home: &Path) -> PathBuf {
    home.join("data").join("paydesk").join("history.db")
}

/// Polls `check` every 20 ms until it returns `Some`, failing after `DEADLINE`.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(start.elapsed() < DEADLINE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_create_killed_mid_request_is_reconciled_at_the_next_start() {
    let home = tempfile::tempdir().expect("home");
    // Every answer, Order Status included, comes 3 s late; the order is recorded first.
    // In this process, so the test can see when the request has arrived.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    emulator.set_latency(Duration::from_secs(3));
    let url = emulator.base_url().to_string();

    let mut create = paydesk(home.path())
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .args([
            "create",
            "--base-url",
            &url,
            "--merchant-id",
            DEMO_MERCHANT_ID,
        ])
        .arg("--from")
        .arg(sample())
        .args(["--set", "order_id=CRASH001"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start paydesk create");

    // The row is written before the request leaves; once the request has reached Juspay
    // (and waits for its answer), kill the process. Killing it before the request leaves
    // would be another drill: that order is rightly "not created".
    let db = db_path(home.path());
    wait_for("the request at the emulator", || {
        emulator.order_status("CRASH001")
    });
    let row = wait_for("the sending row", || {
        let store = db.exists().then(|| Store::open(&db).ok()).flatten()?;
        store.latest_by_order_id("CRASH001").ok().flatten()
    });
    create.kill().expect("SIGKILL the create");
    let _ = create.wait();
    let store = Store::open(&db).expect("store");
    let row = store
        .get(row.id)
        .expect("get")
        .expect("row survives the kill");
    assert_eq!(
        row.outcome,
        Outcome::Sending,
        "killed before the answer: {row:?}"
    );

    // The next start, with a request timeout of 6 s (longer than the emulator's 3 s, so
    // the status check gets its answer): once the row is older than that, it is
    // reconciled. Run until it is.
    let config = home.path().join("short-timeout.toml");
    std::fs::write(&config, "request_timeout_secs = 6\n").expect("config");
    let reconciled = wait_for("reconciliation", || {
        let status = paydesk(home.path())
            .env("JUSPAY_API_KEY", DEMO_API_KEY)
            .arg("--config")
            .arg(&config)
            .args(["--base-url", &url, "--merchant-id", DEMO_MERCHANT_ID])
            .args(["history", "refresh"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        assert!(status.success(), "history refresh failed: {status}");
        let now = store.get(row.id).ok().flatten()?;
        (now.outcome != Outcome::Sending).then_some(now)
    });
    assert_eq!(reconciled.outcome, Outcome::Created, "{reconciled:?}");
    assert_eq!(reconciled.status.as_deref(), Some("NEW"));
    assert!(reconciled.juspay_id.is_some() && reconciled.payment_link.is_some());
}

#[test]
fn two_processes_creating_200_orders_each_lose_nothing() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    let home = tempfile::tempdir().expect("home");
    // Each desk is a shell loop of 200 `paydesk create` runs; both run at once.
    let script = r#"for i in $(seq 1 200); do
        "$PAYDESK" create --base-url "$URL" --merchant-id "$MERCHANT" --from "$SAMPLE" \
            --set "order_id=$DESK-$i" >/dev/null || exit 1
    done"#;
    let desks: Vec<_> = ["DESKA", "DESKB"]
        .into_iter()
        .map(|desk| {
            isolated(Command::new("sh"), home.path())
                .env("JUSPAY_API_KEY", DEMO_API_KEY)
                .env("PAYDESK", binary())
                .env("URL", emulator.base_url())
                .env("MERCHANT", DEMO_MERCHANT_ID)
                .env("SAMPLE", sample())
                .env("DESK", desk)
                .args(["-c", script])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a desk")
        })
        .collect();
    for desk in desks {
        let output = desk.wait_with_output().expect("desk finished");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "a create failed: {stderr}");
        assert!(!stderr.to_lowercase().contains("locked"), "{stderr}");
        assert!(!stderr.to_lowercase().contains("busy"), "{stderr}");
    }
    let store = Store::open(&db_path(home.path())).expect("store");
    assert_eq!(store.count(&Query::default()).expect("count"), 400);
    let created = Query {
        outcome: Some(Outcome::Created),
        ..Query::default()
    };
    assert_eq!(store.count(&created).expect("count"), 400);
    assert_eq!(emulator.order_count(), 400);
}
