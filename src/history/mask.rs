//! Masking `clientAuthToken` before a response body is stored. The store applies this to
//! every body it is given, whoever the caller is, so no unmasked token reaches the file.
//! JSON goes through the client's own `mask_client_auth_token`; text that is not JSON
//! cannot be masked reliably, so a text body that mentions a token is not kept at all.

use serde_json::Value;

use crate::juspay::types::mask_client_auth_token;

/// Stored instead of a body that is not JSON but looks like it carries a token: we cannot
/// mask it reliably, so we do not keep it.
pub const UNMASKABLE: &str = "[response not stored: it mentions clientAuthToken and is not JSON]";

/// A body safe to store: JSON with every token masked, text without any token, or
/// `UNMASKABLE`.
pub fn masked_body(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) => {
            mask_client_auth_token(&mut value);
            value.to_string()
        }
        Err(_) => {
            let lower = body.to_ascii_lowercase();
            if lower.contains("clientauthtoken") || lower.contains("client_auth_token") {
                UNMASKABLE.to_string()
            } else {
                body.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_nested_tokens_and_keeps_the_rest() {
        let body = r#"{"id":"ordv2_1","sdk_payload":{"payload":{"clientAuthToken":"tkn_secret",
            "clientAuthTokenExpiry":"2026-01-01T00:00:00Z"}},"list":[{"client_auth_token":"x"}]}"#;
        let masked = masked_body(body);
        assert!(!masked.contains("tkn_secret"));
        assert!(!masked.contains("\"x\""));
        assert!(masked.contains("2026-01-01T00:00:00Z"));
        assert!(masked.contains("ordv2_1"));
    }

    #[test]
    fn text_bodies_with_a_token_are_not_kept() {
        assert_eq!(
            masked_body("clientAuthToken=tkn_secret; garbage"),
            UNMASKABLE
        );
        assert_eq!(masked_body("<html>oops</html>"), "<html>oops</html>");
    }
}
