//! `paydesk emulator`: the emulator in the foreground.
//!
//! The first line on stdout is exactly `paydesk emulator listening on http://127.0.0.1:PORT`
//! (scripts and tests read it); then one line per call. Ctrl-C or SIGTERM stops it.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

use super::{EmulatorArgs, exit};
use crate::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID, Emulator, EmulatorConfig, Fault};

pub fn run(args: &EmulatorArgs) -> ExitCode {
    let fault = match args.fault.as_deref().map(str::parse::<Fault>).transpose() {
        Ok(fault) => fault,
        Err(message) => {
            eprintln!("paydesk emulator: {message}");
            return ExitCode::from(exit::INVALID);
        }
    };
    let api_key = match emulator_key(args) {
        Ok(key) => key,
        Err(message) => {
            eprintln!("paydesk emulator: {message}");
            return ExitCode::from(exit::INVALID);
        }
    };
    let own_key = api_key.is_some();
    let config = EmulatorConfig {
        port: args.port,
        api_key: api_key.unwrap_or_else(|| DEMO_API_KEY.to_string()),
        merchant_id: args
            .merchant_id
            .clone()
            .unwrap_or_else(|| DEMO_MERCHANT_ID.to_string()),
        latency: Duration::from_millis(args.latency_ms),
        fault,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("paydesk emulator: cannot start the async runtime: {e}");
            return ExitCode::from(exit::OTHER);
        }
    };
    runtime.block_on(serve(config, own_key))
}

/// Environment variable holding the key `paydesk emulator` accepts.
const KEY_VAR: &str = "PAYDESK_EMULATOR_API_KEY";

/// The key from `--api-key-file`, else from [`KEY_VAR`], else `None` (the demo key).
/// Never from a flag: arguments are visible to every user in `ps`.
fn emulator_key(args: &EmulatorArgs) -> Result<Option<String>, String> {
    if let Some(path) = &args.api_key_file {
        let text = crate::files::read_text(path)
            .map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
        let key = text.trim();
        if key.is_empty() || key.contains('\n') {
            return Err(format!(
                "the key file {} must hold the key on one line",
                path.display()
            ));
        }
        return Ok(Some(key.to_string()));
    }
    Ok(std::env::var(KEY_VAR)
        .ok()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty()))
}

async fn serve(config: EmulatorConfig, own_key: bool) -> ExitCode {
    let emulator = match Emulator::start(config.clone()).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!(
                "paydesk emulator: cannot listen on 127.0.0.1:{}: {e}. Choose another --port (0 picks a free one).",
                config.port
            );
            return ExitCode::from(exit::OTHER);
        }
    };
    let mut calls = emulator.subscribe();
    let stop = stop_signal();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "paydesk emulator listening on {}", emulator.base_url());
    // The key is never printed, not even the emulator's own.
    let key = if own_key {
        "the one from --api-key-file or PAYDESK_EMULATOR_API_KEY"
    } else {
        "the demo key"
    };
    let _ = writeln!(
        out,
        "  merchant id {}, API key {key}, latency {} ms, fault {}",
        config.merchant_id,
        config.latency.as_millis(),
        config.fault.map(Fault::name).unwrap_or("none"),
    );
    let _ = writeln!(
        out,
        "  try: paydesk create --base-url {} --merchant-id {} --from assets/samples/travel.json   (Ctrl-C stops)",
        emulator.base_url(),
        config.merchant_id
    );
    let _ = out.flush();

    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            call = calls.recv() => match call {
                Ok(call) => {
                    let _ = writeln!(out, "{call}");
                    let _ = out.flush();
                }
                Err(RecvError::Lagged(missed)) => {
                    let _ = writeln!(out, "({missed} calls not shown)");
                }
                Err(RecvError::Closed) => break,
            },
        }
    }
    emulator.stop();
    let _ = writeln!(out, "paydesk emulator stopped");
    let _ = out.flush();
    ExitCode::from(exit::OK)
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM. The handlers are registered when this is
/// called, not when first polled, so call it before printing the "listening" line: a
/// script that signals as soon as it has read that line is never missed.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{Signal, SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async fn recv(signal: Option<Signal>) {
            match signal {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        async move {
            tokio::select! {
                _ = recv(term) => {}
                _ = recv(int) => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
