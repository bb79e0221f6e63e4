//! Running `api_key_cmd`: a command (e.g. a password manager) whose trimmed stdout is the
//! key. Its output is never echoed, not even in an error.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::secret::ApiKey;

/// A password manager may ask for a passphrase; give the person time, then give up.
const TIMEOUT: Duration = Duration::from_secs(60);
/// More than this on stdout is not a key.
const MAX_OUTPUT: u64 = 64 * 1024;

/// Runs `cmd` with `sh -c` (stdin and the terminal stay available for a passphrase
/// prompt; stderr is discarded because it might echo what it printed). The error says
/// what happened without the command's output. The command does not inherit
/// `JUSPAY_API_KEY` (`links::SECRET_ENV_VARS`): it is there to find the key, not to see one.
pub(crate) fn run(cmd: &str) -> Result<ApiKey, String> {
    let mut command = shell(cmd);
    for name in crate::links::SECRET_ENV_VARS {
        command.env_remove(name);
    }
    let mut child = command
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start it ({e})"))?;
    let Some(mut stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Err("could not read its output".into());
    };
    // Read on a thread so a command that writes a lot cannot block on a full pipe while
    // we wait for it to exit.
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = (&mut stdout).take(MAX_OUTPUT + 1).read_to_end(&mut bytes);
        bytes
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "it did not finish within {} seconds and was stopped",
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("could not wait for it ({e})")),
        }
    };
    let bytes = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(match status.code() {
            Some(code) => format!("it failed with exit status {code}"),
            None => "it was stopped by a signal".into(),
        });
    }
    if bytes.len() as u64 > MAX_OUTPUT {
        return Err("it printed far more than a key".into());
    }
    let text = String::from_utf8(bytes).map_err(|_| "it printed something that is not text")?;
    let key = text.trim();
    if key.is_empty() {
        return Err("it printed nothing".into());
    }
    if key.contains(['\n', '\r']) {
        return Err("it printed more than one line; it must print only the key".into());
    }
    Ok(ApiKey::new(key))
}

#[cfg(unix)]
fn shell(cmd: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(cmd);
    command
}

#[cfg(not(unix))]
fn shell(cmd: &str) -> Command {
    let mut command = Command::new("cmd");
    command.arg("/C").arg(cmd);
    command
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn trimmed_stdout_is_the_key() {
        let key = run("printf '  sk_test_123 \\n'").map(|k| k.expose().to_string());
        assert_eq!(key, Ok("sk_test_123".to_string()));
    }

    #[test]
    fn failure_and_empty_output_are_errors_that_do_not_echo_output() {
        let failed = run("echo sk_secret_1; exit 3").map(|_| ());
        assert_eq!(failed, Err("it failed with exit status 3".to_string()));
        assert_eq!(
            run("true").map(|_| ()),
            Err("it printed nothing".to_string())
        );
        let many = run("printf 'a\\nb\\n'").map(|_| ());
        assert_eq!(
            many,
            Err("it printed more than one line; it must print only the key".to_string())
        );
    }
}
