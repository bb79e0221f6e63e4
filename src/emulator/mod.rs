//! The embedded Juspay emulator (axum on 127.0.0.1 only), with fault knobs. It stands in
//! for Juspay in `--demo`, the tests and the drills; it never shares the client's code.

use std::time::Duration;

/// Credentials the demo environment uses against the embedded emulator.
pub const DEMO_API_KEY: &str = "demo_key_paydesk";
pub const DEMO_MERCHANT_ID: &str = "paydesk_demo";
pub const DEMO_CLIENT_ID: &str = "paydesk_demo_client";

/// A misbehaviour the emulator can be told to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 500 with an HTML body.
    Html500,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// 200 with an empty body.
    EmptyBody,
    /// The connection is closed without an answer.
    DropConnection,
    /// The body drips out slower than any sane timeout.
    SlowDrip,
    /// A 10 MB body.
    HugeBody,
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub api_key: String,
    pub merchant_id: String,
    pub latency: Duration,
    pub fault: Option<Fault>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            api_key: DEMO_API_KEY.to_string(),
            merchant_id: DEMO_MERCHANT_ID.to_string(),
            latency: Duration::ZERO,
            fault: None,
        }
    }
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    base_url: String,
}

impl Emulator {
    /// Binds 127.0.0.1 and serves on the current tokio runtime.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let _ = config;
        todo!("juspay helper")
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn set_latency(&self, latency: Duration) {
        let _ = latency;
        todo!("juspay helper")
    }

    pub fn set_fault(&self, fault: Option<Fault>) {
        let _ = fault;
        todo!("juspay helper")
    }
}
