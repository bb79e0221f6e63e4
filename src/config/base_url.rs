//! Base URL safety: the key travels in a header, so it goes only over TLS, or in the clear
//! to this machine (the emulator).

use reqwest::Url;

use crate::links::is_loopback_host as is_loopback;

/// See `config::normalize_base_url`.
pub(super) fn normalize(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("the base URL is empty; write it like https://sandbox.juspay.in".into());
    }
    // The URL parser silently drops tabs and line breaks; a kept URL must not hold them.
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the base URL {trimmed:?} contains a space, tab or line break; remove it"
        ));
    }
    let url = Url::parse(trimmed).map_err(|e| {
        format!("{trimmed:?} is not a URL ({e}); write it like https://sandbox.juspay.in")
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the base URL must not contain a user name or password; \
                    the API key is sent in a header"
            .into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "the base URL {trimmed:?} must not have a ?query or #fragment; \
             write only scheme, host and optional path, like https://sandbox.juspay.in"
        ));
    }
    let host = url.host_str().unwrap_or_default();
    if host.is_empty() {
        return Err(format!("the base URL {trimmed:?} has no host name"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(format!(
                "the base URL {trimmed:?} uses plain http, which would send the API key \
                 unencrypted; use https:// (plain http:// is allowed only for 127.0.0.1, \
                 ::1 and localhost)"
            ));
        }
        other => {
            return Err(format!(
                "the base URL {trimmed:?} uses {other}://; use https:// \
                 (or http:// for 127.0.0.1, ::1 and localhost)"
            ));
        }
    }
    Ok(trimmed.trim_end_matches('/').to_string())
}

/// `host[:port]` of a URL, `""` when it has none.
pub(super) fn host_of(url: &str) -> String {
    let Ok(url) = Url::parse(url) else {
        return String::new();
    };
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The host of a URL as DNS compares it: lower case (the URL parser does that), without
/// the trailing dot of a fully qualified name and without the port. `""` when none.
pub(super) fn normalized_host(url: &str) -> String {
    let Ok(url) = Url::parse(url.trim()) else {
        return String::new();
    };
    let host = url.host_str().unwrap_or_default();
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// True when `url` is `http(s)` on this machine.
pub(super) fn is_loopback_url(url: &str) -> bool {
    Url::parse(url.trim()).is_ok_and(|u| u.host_str().is_some_and(is_loopback))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        for good in [
            "https://sandbox.juspay.in",
            "https://api.juspay.in/",
            "https://proxy.example.com/juspay",
            "http://127.0.0.1:8080",
            "http://127.9.8.7",
            "http://[::1]:3000",
            "http://localhost:4000/",
            "http://LOCALHOST",
        ] {
            assert!(normalize(good).is_ok(), "{good} should be accepted");
        }
        for bad in [
            "http://sandbox.juspay.in",
            "http://localhost.evil.example",
            "http://128.0.0.1",
            "http://[::2]",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "https://user:pw@api.juspay.in",
            "https://api.juspay.in/?x=1",
            "sandbox.juspay.in",
            "",
            "   ",
            "https://",
            // Found by fuzzing: the parser drops the tab, so the kept URL held it.
            "https://sandbox.juspay.in\t/\n",
            "https://sandbox.juspay.in/a b",
        ] {
            assert!(normalize(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn plain_http_message_says_to_use_https() {
        let message = normalize("http://api.juspay.in").err().unwrap_or_default();
        assert!(message.contains("use https://"), "{message}");
    }

    #[test]
    fn normalizing_drops_trailing_slashes() {
        assert_eq!(
            normalize("https://a.example/x//").ok(),
            Some("https://a.example/x".into())
        );
    }

    #[test]
    fn host_keeps_a_port() {
        assert_eq!(host_of("https://sandbox.juspay.in"), "sandbox.juspay.in");
        assert_eq!(host_of("http://127.0.0.1:4100"), "127.0.0.1:4100");
        assert_eq!(host_of("not a url"), "");
    }
}
