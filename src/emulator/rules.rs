//! The emulator's own field rules for `POST /session`: the core mandatory fields and
//! their formats, as a Juspay server would check them. Written here on purpose (not
//! shared with paydesk's local validation), so a gap in paydesk's rules shows up as a
//! 400 from the "server".

use serde_json::{Map, Value};

/// Juspay's wording for a missing field.
pub(crate) const MISSING: &str = "Mandatory fields are missing";

const REQUIRED: [&str; 7] = [
    "order_id",
    "amount",
    "customer_id",
    "customer_email",
    "customer_phone",
    "payment_page_client_id",
    "action",
];

/// The checked core of a session request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Checked {
    pub order_id: String,
    pub amount_cents: u64,
    pub amount_text: String,
    pub currency: String,
}

/// Every problem as `(field_name, reason)`, or the checked core.
pub(crate) fn check(body: &Map<String, Value>) -> Result<Checked, Vec<(String, String)>> {
    let mut problems = Vec::new();
    for key in REQUIRED {
        let reason = match body.get(key) {
            None | Some(Value::Null) => Some(MISSING.to_string()),
            Some(Value::String(s)) if s.trim().is_empty() => Some(MISSING.to_string()),
            Some(Value::String(s)) => format_problem(key, s),
            Some(Value::Number(n)) if key == "amount" => format_problem(key, &n.to_string()),
            Some(_) => Some("must be a string".to_string()),
        };
        if let Some(reason) = reason {
            problems.push((key.to_string(), reason));
        }
    }
    if let Some(currency) = body.get("currency") {
        match currency.as_str() {
            Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) => {}
            _ => problems.push((
                "currency".into(),
                "must be a three-letter ISO code such as INR".into(),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = |key: &str| match body.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let amount_text = text("amount");
    Ok(Checked {
        order_id: text("order_id"),
        amount_cents: amount_cents(&amount_text).unwrap_or(0),
        amount_text,
        currency: body
            .get("currency")
            .and_then(Value::as_str)
            .unwrap_or("INR")
            .to_string(),
    })
}

fn format_problem(key: &str, value: &str) -> Option<String> {
    let value = value.trim();
    match key {
        "order_id" if !valid_order_id(value) => {
            Some("must be 1 to 20 characters: letters, digits, '-' or '_'".into())
        }
        "amount" => match amount_cents(value) {
            None => Some("must be a number with at most two decimals, e.g. 100 or 100.15".into()),
            Some(0) => Some("must be more than 0".into()),
            Some(_) => None,
        },
        "customer_phone" if !(value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit())) => {
            Some("must be a 10-digit number without +91 or a leading 0".into())
        }
        "customer_email" if !valid_email(value) => {
            Some("must be an email address such as name@example.com".into())
        }
        _ => None,
    }
}

pub(crate) fn valid_order_id(id: &str) -> bool {
    (1..=20).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `"100"`, `"100.1"`, `"100.15"` -> cents; anything else (signs, exponents, three
/// decimals, absurd sizes) -> `None`.
pub(crate) fn amount_cents(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || whole.len() > 12 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) || text.ends_with('.') {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let fraction: u64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

/// The HyperCheckout rule: allowed characters, one `@`, a dotted domain, and no `.` or
/// `_` at either end of the local part.
pub(crate) fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with(['.', '_'])
        && !local.ends_with(['.', '_'])
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_.{}~|`".contains(c));
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts() {
        assert_eq!(amount_cents("5000.0"), Some(500_000));
        assert_eq!(amount_cents("30500"), Some(3_050_000));
        assert_eq!(amount_cents("100.15"), Some(10_015));
        for bad in [
            "",
            ".5",
            "1.",
            "1.234",
            "-1",
            "1e3",
            "abc",
            "1,000",
            "9999999999999",
        ] {
            assert_eq!(amount_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(valid_email("juspay@gmail.in"));
        assert!(valid_email("testeml.123@gmail.com"));
        for bad in [
            "", "a", "a@b", ".a@b.c", "a_@b.c", "a b@c.d", "a@b..c", "a@@b.c",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn one_problem_per_field() {
        let body = json!({"order_id": "has space", "amount": "0", "customer_phone": "+919999999999",
            "customer_email": "x", "payment_page_client_id": "c", "action": 5});
        let Value::Object(map) = body else {
            unreachable!()
        };
        let problems = check(&map).unwrap_err();
        let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "order_id",
                "amount",
                "customer_id",
                "customer_email",
                "customer_phone",
                "action"
            ]
        );
        assert_eq!(problems[2].1, MISSING);
    }
}
