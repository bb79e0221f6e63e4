//! `paydesk` on a branch ledger against an emulator (shared by the ledger command tests
//! and the branch drills).

use std::path::Path;

use assert_cmd::Command;
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID};

/// `paydesk` (cut off from the person's settings, as `common::paydesk`, and from their PG*
/// variables) on the ledger at `ledger_url`, talking to the emulator at `base_url` with the
/// demo merchant and key. The caller adds the timeout and the arguments.
pub fn paydesk_on_ledger(home: &Path, base_url: &str, ledger_url: &str) -> Command {
    let mut cmd = crate::common::paydesk(home);
    for name in ["PGPASSWORD", "PGPASSFILE", "PGUSER", "PGHOST"] {
        cmd.env_remove(name);
    }
    cmd.env("PAYDESK_LEDGER_URL", ledger_url)
        .env("JUSPAY_API_KEY", DEMO_API_KEY)
        .args(["--base-url", base_url, "--merchant-id", DEMO_MERCHANT_ID]);
    cmd
}
