//! The curl command shown in the request preview.

use crate::tui::state::EnvInfo;

/// Quotes a value for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The curl command that sends the same request. The key is left to the shell:
/// `$JUSPAY_API_KEY` is expanded when the command runs, never written here.
pub fn curl_command(env: &EnvInfo, customer_id: &str, json: &str) -> String {
    let base = env
        .base_url
        .as_deref()
        .unwrap_or("https://sandbox.juspay.in")
        .trim_end_matches('/');
    let mut lines = vec![
        format!("curl -sS -X POST {}", sh_quote(&format!("{base}/session"))),
        "  -u \"$JUSPAY_API_KEY:\"".to_string(),
        format!(
            "  -H {}",
            sh_quote(&format!("x-merchantid: {}", env.merchant_id))
        ),
    ];
    if !customer_id.is_empty() {
        lines.push(format!(
            "  -H {}",
            sh_quote(&format!("x-routing-id: {customer_id}"))
        ));
    }
    lines.push("  -H 'Content-Type: application/json'".into());
    lines.push(format!(
        "  -H {}",
        sh_quote(&format!(
            "User-Agent: paydesk/{}",
            env!("CARGO_PKG_VERSION")
        ))
    ));
    lines.push(
        "  -H \"x-request-id: $(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)\"".into(),
    );
    lines.push(format!("  --data-binary {}", sh_quote(json)));
    lines.join(" \\\n")
}
