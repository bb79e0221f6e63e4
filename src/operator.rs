//! Who works the desk and where: the operator (the clerk) and the counter (issue 14).
//!
//! A leaf module: the config resolves an [`Operator`], the history stores it with every
//! order, refund and event, the desk shows it. Names are checked once, here, so every path
//! in (config file, `--operator`, `PAYDESK_OPERATOR`, the desk's start prompt) says the same.

use serde::Serialize;

/// Longest operator or counter name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// The clerk and the counter an order, refund or event is recorded for. Both are `""` when
/// unknown (rows written before schema version 8, or no operator configured).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Operator {
    /// The clerk's name as configured or typed (trimmed), e.g. `asha`.
    pub name: String,
    /// The counter's name: `counter = "…"` in the config, else this machine's host name.
    pub counter: String,
}

impl Operator {
    /// An operator at a counter; both names are taken as they are (check them first with
    /// [`check_name`]).
    pub fn new(name: impl Into<String>, counter: impl Into<String>) -> Operator {
        Operator {
            name: name.into(),
            counter: counter.into(),
        }
    }
}

/// One `[[operators]]` entry of the config: a clerk the desk offers at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorEntry {
    /// What is recorded with orders (checked with [`check_name`]).
    pub name: String,
    /// How the pick list shows the clerk, when it differs from the name.
    pub display: Option<String>,
}

impl OperatorEntry {
    /// The words the pick list shows: `display (name)`, or the name alone.
    pub fn label(&self) -> String {
        match &self.display {
            Some(display) if display != &self.name => format!("{display} ({})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// A name for an operator or a counter, trimmed, or why it cannot be one: empty after
/// trimming, longer than [`MAX_NAME_CHARS`], or holding a control, bidi or invisible
/// character (see `text::is_unsafe`; a tab or newline counts too). `what` names the value
/// in the message (`"operator"`, `"counter"`).
pub fn check_name(what: &str, raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(format!(
            "the {what} name is empty; give a name such as \"asha\""
        ));
    }
    if name
        .chars()
        .any(|c| crate::text::is_unsafe(c) || c.is_control())
    {
        return Err(format!(
            "the {what} name {:?} holds a control or invisible character; use letters, \
             digits, spaces and punctuation only",
            crate::text::sanitize_line(name)
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "the {what} name is {chars} characters long; at most {MAX_NAME_CHARS} are allowed"
        ));
    }
    Ok(name.to_string())
}

/// This machine's host name: from the kernel (Linux), else `/etc/hostname`, else the
/// `HOSTNAME` variable, else `""`. The one place paydesk reads it: the owner of a sending
/// row (`orders::this_process`) and the default counter name both come from here.
pub fn host_name() -> String {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    read("/proc/sys/kernel/hostname")
        .or_else(|| read("/etc/hostname"))
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(check_name("operator", "  Asha Rao "), Ok("Asha Rao".into()));
        assert!(check_name("operator", "   ").is_err());
        assert!(check_name("operator", "as\u{1b}[2Jha").is_err());
        assert!(check_name("operator", "as\u{202e}ha").is_err());
        assert!(check_name("counter", "a\tb").is_err());
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        let why = check_name("counter", &long).err().unwrap_or_default();
        assert!(why.contains("at most 64"), "{why}");
        assert!(check_name("counter", &"é".repeat(MAX_NAME_CHARS)).is_ok());
    }
}
