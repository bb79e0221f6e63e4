//! Everything a headless command writes to a terminal goes through here.
//!
//! Text (tables, messages, errors) passes through `text::sanitize`, so a server answer or a
//! stored row can never retitle the window, clear the screen or reorder columns
//! (issue 11, kind 1). `cli/mod.rs` shadows `println!`, `print!`, `eprintln!` and
//! `eprint!` with macros that call [`stdout_text`] / [`stderr_text`], so a new print site
//! cannot forget. JSON keeps the data exact: [`json_text`] escapes the same characters as
//! `\uXXXX`, which any JSON reader turns back into the original. The QR's own colour
//! sequences go out through [`stdout_raw`] / [`stderr_raw`], the only unsanitised paths.

use std::io::Write;

use serde_json::Value;

use crate::text;

/// Writes sanitised text to stdout; a closed pipe (`paydesk history | head`) is not an error.
pub fn stdout_text(s: &str) {
    stdout_raw(&text::sanitize(s));
}

/// Writes sanitised text to stderr.
pub fn stderr_text(s: &str) {
    stderr_raw(&text::sanitize(s));
}

/// Writes `s` to stdout exactly: only for bytes paydesk made itself (QR colours, JSON from
/// [`json_text`], CSV).
pub fn stdout_raw(s: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(s.as_bytes());
    let _ = stdout.flush();
}

/// Writes `s` to stderr exactly (see [`stdout_raw`]).
pub fn stderr_raw(s: &str) {
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}

/// Pretty JSON whose strings hold no character a terminal would act on: C0/C1 controls,
/// DEL, bidi controls and invisible characters (`text::is_unsafe`) are written as `\uXXXX`
/// escapes. Parsing the output gives back exactly `value`.
pub fn json_text(value: &Value) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    escape_unsafe_in_json(&pretty)
}

/// One line of compact JSON, escaped like [`json_text`], on stdout.
pub fn json_line_out(value: &Value) {
    stdout_raw(&format!("{}\n", escape_unsafe_in_json(&value.to_string())));
}

/// Pretty JSON from [`json_text`] and a newline on stdout.
pub fn json_out(value: &Value) {
    stdout_raw(&format!("{}\n", json_text(value)));
}

/// Every unsafe character of serialised JSON as a `\uXXXX` escape. Outside strings JSON
/// is plain ASCII, and unsafe characters are all in the Basic Multilingual Plane, so one
/// escape per character is always valid. Newline and tab only occur as indentation here:
/// serde_json escapes them inside strings.
fn escape_unsafe_in_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if text::is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_keeps_data_exact_and_escapes_what_a_terminal_acts_on() {
        let value =
            json!({"order_id": "E1\u{1b}]0;X\u{7}\u{9b}2J", "name": "Ram\u{202E}esh\u{200B}"});
        let out = json_text(&value);
        assert!(!out.chars().any(text::is_unsafe), "{out:?}");
        assert!(out.contains("Ram\\u202eesh\\u200b"), "{out}");
        assert!(out.contains("\\u009b"), "{out}");
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, value);
    }
}
