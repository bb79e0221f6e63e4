//! Refunds at the desk (issue 15, item 4): the refund dialog as a part on its own (keys
//! in, state and effects out, drawn on a `TestBackend`), snapshots of the dialog, the order
//! view with refunds and events, and the history marks; and the real binary in a
//! pseudo-terminal refunding a paid demo order.

#[path = "common/mod.rs"]
mod common;
#[path = "common/pty.rs"]
mod pty;

use std::io::{Read, Write};
use std::net::TcpStream;

use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID};
use paydesk::juspay::{Client, ClientConfig};
use paydesk::secret::ApiKey;

/// The embedded emulator's base URL, from the payment link on screen.
fn base_url(screen: &vt100::Screen) -> Option<String> {
    let link = pty::link_text(screen);
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
        pty::link_text(s).contains("/payment-page/order/")
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
    run.wait_for("the refund settled", |s| {
        s.contents().contains("SUCCESS ₹5,000.00")
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
