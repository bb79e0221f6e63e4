//! Which links paydesk hands to the system opener or draws as a QR code (issue 11, kind 2).
//!
//! A payment link comes from Juspay's answer or the history, so it is server-controlled
//! text. The opener (`xdg-open`, `open`, `start`) would run `file:///…`, `javascript:…`,
//! a local program path or an option such as `--help` just as readily as a web page. Only
//! `https://` links are opened or drawn, and `http://` on this machine (the demo
//! emulator); anything else is shown as text with the reason.

use std::net::IpAddr;
use std::process::{Command, Stdio};

use reqwest::Url;

/// Environment variables a child process must not inherit: the opener and the browser it
/// starts have no business with the API key.
pub const SECRET_ENV_VARS: &[&str] = &["JUSPAY_API_KEY"];

/// `link` when it may be opened or drawn as a QR code: an absolute `https://` URL with a
/// host, or `http://` on 127.0.0.0/8, ::1 or localhost. Otherwise a sentence saying why
/// not (quoting the link; sanitise it before printing).
pub fn checked(link: &str) -> Result<&str, String> {
    let refuse = |why: &str| {
        Err(format!(
            "the link {link:?} {why}, so it is neither opened nor drawn as a QR code"
        ))
    };
    if link.is_empty() {
        return refuse("is empty");
    }
    // The URL parser silently drops tabs and line breaks and trims spaces; a link holding
    // them is not what it looks like.
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("contains a space or control character");
    }
    let Ok(url) = Url::parse(link) else {
        return refuse("is not a web address");
    };
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "https" if !host.is_empty() => Ok(link),
        "http" if is_loopback_host(host) => Ok(link),
        "http" => refuse("uses plain http:// to another machine (only https:// is opened)"),
        _ => refuse("is not an https:// address"),
    }
}

/// 127.0.0.0/8, ::1 or `localhost` (as the URL parser gives the host, brackets allowed).
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// Opens a [`checked`] link in the browser, without [`SECRET_ENV_VARS`] in the opener's
/// environment. Blocks until the opener returns (it starts the browser and exits), so call
/// it off the render loop. The error is a sentence.
pub fn open(link: &str) -> Result<(), String> {
    let link = checked(link)?;
    let mut last = String::from("no program to open links was found");
    for mut command in open::commands(link) {
        for name in SECRET_ENV_VARS {
            command.env_remove(name);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match run(command) {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn run(mut command: Command) -> Result<(), String> {
    let program = command.get_program().to_string_lossy().into_owned();
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{program} failed ({status})")),
        Err(e) => Err(format!("{program} could not run: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_and_loopback_http_pass() {
        for good in [
            "https://sandbox.juspay.in/pay/ord_1",
            "HTTPS://pay.example.com/x?y=1",
            "http://127.0.0.1:8080/pay/1",
            "http://localhost/pay",
            "http://[::1]:3000/p",
        ] {
            assert_eq!(checked(good), Ok(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "/usr/bin/id",
            "--help",
            "http://pay.example.com/x",
            "https://",
            "data:text/html,<script>",
            "https://ok.test/\na",
            " https://ok.test/",
            "",
        ] {
            let refused = checked(bad);
            assert!(refused.is_err(), "{bad:?} passed");
            assert!(
                refused.unwrap_err().contains("neither opened nor drawn"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_refused_link_never_reaches_an_opener() {
        assert!(open("file:///etc/passwd").is_err());
        assert!(open("--help").is_err());
    }
}
