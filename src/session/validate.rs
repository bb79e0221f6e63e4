//! Field and cross-field rules. Returns every problem, each tied to a field key, in words a
//! counter clerk understands. Works on characters, never byte offsets, so no input (huge,
//! control characters, emoji, right-to-left text) can make it panic.

use serde_json::Value;
use time::Date;

use super::catalogue::{self, FIELDS, Kind, keys};
use super::form::{Form, Member};
use super::normalise::{self, normalise_kind, shorten, show_char};
use super::profile::Profile;
use crate::text;

/// One problem with one field, in words a counter clerk understands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

impl Problem {
    fn new(key: &str, message: impl Into<String>) -> Problem {
        Problem {
            key: key.to_string(),
            message: message.into(),
        }
    }
}

/// Every problem in the form under the profile; empty when it can be sent.
/// Problems come in form order (visible tabs first). Rules that need today's date (a
/// borrower's date of birth) are left to [`validate_at`].
pub fn validate(form: &Form, profile: &Profile) -> Vec<Problem> {
    validate_on(form, profile, None)
}

/// [`validate`] plus the rules that need `today` (the desk's local date): a date of birth
/// in the future, or of a borrower under 18, is a problem.
pub fn validate_at(form: &Form, profile: &Profile, today: Date) -> Vec<Problem> {
    validate_on(form, profile, Some(today))
}

fn validate_on(form: &Form, profile: &Profile, today: Option<Date>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for key in keys_in_order(profile) {
        check_one(form, profile, &key, today, &mut problems);
    }
    check_travel_dates(form, &mut problems);
    // Free keys (e.g. an imported metadata.* the catalogue does not know) only need to be
    // sendable text.
    for (key, value) in &form.values {
        if !profile.knows(key)
            && let Some(message) = check_text(value)
        {
            problems.push(Problem::new(key, message));
        }
    }
    problems
}

/// The problem of a required field left empty under `profile`.
pub fn missing_message(profile: &Profile) -> String {
    format!(
        "required by the {} profile; please fill it in",
        profile.name
    )
}

/// The problem with one field's value on its own (checked when the user leaves it).
/// An empty value is no problem here; `validate` reports missing required fields.
pub fn check_field(key: &str, value: &str, profile: &Profile) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if key == keys::ORDER_ID {
        return check_order_id(value, profile);
    }
    let Some(kind) = profile.kind_of(key) else {
        // A free key (e.g. an imported metadata.* the catalogue does not know).
        return check_text(value);
    };
    match kind {
        Kind::Enum => check_enum(key, value, profile),
        Kind::Text if catalogue::is_plain_udf(key) => {
            check_text(value).or_else(|| check_plain_udf(value))
        }
        _ => check_kind(kind, value),
    }
}

/// Whether `value` is exactly a wire value of `kind` on its own. A value that
/// normalisation would change gets "write it as <wire value>" (the desk normalises when the
/// clerk leaves the field, so it rarely shows); one it refuses gets the refusal. Surrounding
/// spaces in text are legal on the wire and not reported here. `Kind::Enum` and
/// `Kind::MemberList` need more context and only get the text check.
pub fn check_kind(kind: Kind, value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if !matches!(kind, Kind::Text | Kind::Enum | Kind::MemberList | Kind::Url) {
        match normalise_kind(kind, value) {
            Err(message) => return Some(message),
            Ok(n) if n.changed => return Some(format!("write it as {}", n.value)),
            Ok(_) => {}
        }
    }
    match kind {
        Kind::Text | Kind::Enum | Kind::MemberList => check_text(value),
        Kind::Email => check_email(value),
        Kind::Pincode => check_pincode(value),
        Kind::Currency => check_currency(value),
        Kind::Integer => check_integer(value),
        Kind::Boolean => check_boolean(value),
        Kind::Url => check_url(value),
        // Normalisation accepts only real values of these, unchanged only in wire form.
        Kind::Phone | Kind::DateDmy | Kind::DateDMonY | Kind::Amount => None,
    }
}

/// Problems with one insured-member row, each a full sentence (`member 2 (Ravi): ...`).
/// `position` is 1-based, as the clerk counts.
pub fn check_member(position: usize, member: &Member) -> Vec<String> {
    let mut out = Vec::new();
    let name = member.member_name.trim();
    let who = if name.is_empty() {
        format!("member {position}")
    } else {
        format!("member {position} ({})", shorten(name, 30))
    };
    if name.is_empty() {
        out.push(format!("{who}: the name is missing"));
    } else if let Some(p) = check_text(&member.member_name) {
        out.push(format!("{who}: the name {p}"));
    }
    if member.member_phone.is_empty() {
        out.push(format!("{who}: the mobile number is missing"));
    } else if let Some(p) = check_kind(Kind::Phone, &member.member_phone) {
        out.push(format!("{who}: {p}"));
    }
    out
}

// ── the walk over the form ─────────────────────────────────────────────────────────────

/// Visible fields in form order, then every other known field (hidden tabs), so a value
/// imported into a hidden tab is still checked.
fn keys_in_order(profile: &Profile) -> Vec<String> {
    let mut out: Vec<String> = profile.form_fields().into_iter().map(|f| f.key).collect();
    let rest = FIELDS
        .iter()
        .map(|f| f.key.to_string())
        .chain(profile.custom_fields.iter().map(|c| c.key.clone()));
    for key in rest {
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

fn check_one(
    form: &Form,
    profile: &Profile,
    key: &str,
    today: Option<Date>,
    problems: &mut Vec<Problem>,
) {
    let required = profile.is_required(key) && !profile.fixed.contains_key(key);
    let missing = || missing_message(profile);
    let passthrough = form.passthrough.get(key).filter(|v| !is_empty_string(v));

    if key == keys::INSURED_MEMBER_DETAILS {
        if !form.members.is_empty() {
            for (i, m) in form.members.iter().enumerate() {
                for message in check_member(i + 1, m) {
                    problems.push(Problem::new(key, message));
                }
            }
        } else if let Some(v) = passthrough {
            for message in check_raw_members(v) {
                problems.push(Problem::new(key, message));
            }
        } else if required {
            problems.push(Problem::new(
                key,
                format!("add at least one insured member; {}", missing()),
            ));
        }
        return;
    }

    if key == keys::IS_PRIMARY_HOLDER && form.is_primary_holder.is_some() {
        return;
    }

    let value = form.get(key);
    if value.is_empty() {
        if let Some(v) = passthrough {
            let expected = if key == keys::IS_PRIMARY_HOLDER {
                "true or false"
            } else {
                "text"
            };
            problems.push(Problem::new(
                key,
                format!("should be {expected}, not {}", describe_json(v)),
            ));
        } else if required {
            problems.push(Problem::new(key, missing()));
        }
        return;
    }
    if let Some(message) = check_field(key, value, profile) {
        problems.push(Problem::new(key, message));
        return;
    }
    if key == keys::CUSTOMER_DOB
        && let Some(today) = today
        && let Some(message) = normalise::check_birth_date(value, today)
    {
        problems.push(Problem::new(key, message));
        return;
    }
    if let Some(fixed) = profile.fixed.get(key)
        && fixed != value
    {
        problems.push(Problem::new(
            key,
            format!(
                "the {} profile always sends {fixed:?} here; clear this field or use another \
                 profile",
                profile.name
            ),
        ));
    }
}

fn check_travel_dates(form: &Form, problems: &mut Vec<Problem>) {
    let start = parse_dmony(form.get(keys::TRAVEL_START_DATE));
    let end = parse_dmony(form.get(keys::TRAVEL_END_DATE));
    if let (Ok(s), Ok(e)) = (start, end)
        && e < s
    {
        problems.push(Problem::new(
            keys::TRAVEL_END_DATE,
            format!(
                "the trip ends before it starts ({}); check both dates",
                shorten(form.get(keys::TRAVEL_START_DATE), 20)
            ),
        ));
    }
}

fn check_raw_members(value: &Value) -> Vec<String> {
    let Value::Array(items) = value else {
        return vec![format!(
            "should be a list of members (name and mobile), not {}",
            describe_json(value)
        )];
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let Value::Object(obj) = item else {
            out.push(format!(
                "member {n} should have member_name and member_phone, but is {}",
                describe_json(item)
            ));
            continue;
        };
        for k in [keys::MEMBER_NAME, keys::MEMBER_PHONE] {
            match obj.get(k) {
                Some(Value::String(_)) => {}
                Some(other) => out.push(format!(
                    "member {n}: {k} should be text, but is {}",
                    describe_json(other)
                )),
                None => out.push(format!("member {n}: {k} is missing")),
            }
        }
        let member = Member {
            member_name: obj
                .get(keys::MEMBER_NAME)
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
            member_phone: obj
                .get(keys::MEMBER_PHONE)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            extra: Default::default(),
        };
        if obj.get(keys::MEMBER_PHONE).is_some_and(Value::is_string) {
            out.extend(
                check_member(n, &member)
                    .into_iter()
                    .filter(|m| !m.contains("name is missing")),
            );
        }
    }
    if items.is_empty() {
        out.push("the list of insured members is empty; add at least one".to_string());
    }
    out
}

fn is_empty_string(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.is_empty())
}

fn describe_json(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

// ── one value ──────────────────────────────────────────────────────────────────────────

/// Text (names, addresses, descriptions) must not hold controls, nor bidi controls or
/// zero-width characters (`text::is_unsafe`): those would be sent to Juspay and stored,
/// and they reorder or hide what a clerk and the customer see (issue 11, kind 1).
fn check_text(value: &str) -> Option<String> {
    let refused = |c: &char| c.is_control() || text::is_unsafe(*c);
    value.chars().find(refused).map(|c| {
        let code = format!("U+{:04X}", u32::from(c));
        let what = match c {
            '\n' | '\r' => "a line break".to_string(),
            '\t' => "a tab".to_string(),
            c if text::is_bidi_control(c) => format!(
                "a bidirectional control character ({code}), which reorders the text \
                 around it on screen"
            ),
            c if c.is_control() => format!("an invisible control character ({code})"),
            _ => format!("an invisible zero-width character ({code})"),
        };
        format!("contains {what}; remove it")
    })
}

fn check_plain_udf(value: &str) -> Option<String> {
    value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == ' '))
        .map(|c| {
            format!(
                "udf1–udf5 take only letters, digits and spaces (found {}); put values with other \
             characters in udf6–udf10",
                show_char(c)
            )
        })
}

fn check_order_id(value: &str, profile: &Profile) -> Option<String> {
    let rule = profile.order_id_rule();
    if let Some(c) = value.chars().find(|c| !rule.allows(*c)) {
        return Some(format!(
            "an order ID may use only {} (found {})",
            rule.describe_chars(),
            show_char(c)
        ));
    }
    let n = value.chars().count();
    if n < rule.min || n > rule.max {
        return Some(format!(
            "an order ID has {} (this one has {n})",
            rule.describe_length()
        ));
    }
    None
}

fn check_enum(key: &str, value: &str, profile: &Profile) -> Option<String> {
    let allowed = profile.allowed(key);
    if allowed.is_empty() {
        return check_text(value);
    }
    let accepted = allowed
        .iter()
        .any(|a| a == value || profile.spelling(key, a) == value);
    if accepted {
        return None;
    }
    let trimmed = value.trim();
    for a in &allowed {
        let spelled = profile.spelling(key, a);
        if a.eq_ignore_ascii_case(trimmed) {
            return Some(format!("write it as {a:?}"));
        }
        if spelled.eq_ignore_ascii_case(trimmed) {
            return Some(format!("write it as {spelled:?}"));
        }
    }
    Some(format!(
        "{:?} is not one of: {}",
        shorten(value, 40),
        allowed.join(", ")
    ))
}

const EMAIL_SPECIALS: &str = "!#$%&'*+-/=?^_.{}~|`";

fn check_email(value: &str) -> Option<String> {
    const LIKE: &str = "like name@example.com";
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!(
            "an email address has no spaces or invisible characters (found {})",
            show_char(c)
        ));
    }
    if value.chars().count() > 254 {
        return Some("this email address is too long (at most 254 characters)".to_string());
    }
    let ats = value.matches('@').count();
    if ats == 0 {
        return Some(format!("an email address needs an @, {LIKE}"));
    }
    if ats > 1 {
        return Some(format!(
            "an email address has exactly one @ (this one has {ats})"
        ));
    }
    let (local, domain) = value.split_once('@')?;
    if local.is_empty() {
        return Some(format!("there is nothing before the @; write it {LIKE}"));
    }
    if local.chars().count() > 64 {
        return Some("the part before the @ is too long (at most 64 characters)".to_string());
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || EMAIL_SPECIALS.contains(*c)))
    {
        return Some(format!(
            "{} is not allowed in an email address",
            show_char(c)
        ));
    }
    if local.starts_with(['.', '_']) || local.ends_with(['.', '_']) {
        return Some("the part before the @ must not start or end with . or _".to_string());
    }
    if local.contains("..") {
        return Some("an email address cannot have two dots in a row".to_string());
    }
    if domain.is_empty() {
        return Some(format!("there is nothing after the @; write it {LIKE}"));
    }
    if let Some(c) = domain
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Some(format!(
            "the part after the @ may only have letters, digits, - and . (found {})",
            show_char(c)
        ));
    }
    if !domain.contains('.') {
        return Some("the part after the @ needs a dot, like gmail.com".to_string());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels
        .iter()
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return Some(format!(
            "{:?} is not a valid mail domain",
            shorten(domain, 40)
        ));
    }
    let tld = labels.last().copied().unwrap_or_default();
    if tld.chars().count() < 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some("the mail domain should end like .com or .in".to_string());
    }
    None
}

fn check_pincode(value: &str) -> Option<String> {
    let all_digits = value.chars().all(|c| c.is_ascii_digit());
    let n = value.chars().count();
    if !all_digits || n != 6 {
        return Some("a PIN code is 6 digits, like 560034".to_string());
    }
    if value.starts_with('0') {
        return Some("a PIN code does not start with 0".to_string());
    }
    None
}

/// After normalisation, so a lower-case code has already been turned into capitals.
fn check_currency(value: &str) -> Option<String> {
    let n = value.chars().count();
    if n == 3 && value.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some("a currency is a 3-letter code, like INR".to_string())
}

fn check_integer(value: &str) -> Option<String> {
    if value.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some("write a whole number, like 2".to_string())
}

/// After normalisation, so `TRUE`, `yes` and `no` have already been turned into words.
fn check_boolean(value: &str) -> Option<String> {
    match value {
        "true" | "false" => None,
        _ => Some("write true or false".to_string()),
    }
}

fn check_url(value: &str) -> Option<String> {
    const LIKE: &str = "like https://shop.example.com/thanks";
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!(
            "a web address cannot contain spaces or invisible characters (found {})",
            show_char(c)
        ));
    }
    let lower = value.to_ascii_lowercase();
    let rest_start = if lower.starts_with("https://") {
        "https://".len()
    } else if lower.starts_with("http://") {
        "http://".len()
    } else {
        return Some(format!(
            "a web address starts with https:// (or http://), {LIKE}"
        ));
    };
    // The scheme is ASCII, so this offset is a character boundary.
    let rest = value.get(rest_start..).unwrap_or_default();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if host_port.starts_with('[') {
        match host_port.split_once(']') {
            Some((h, p)) => (h.trim_start_matches('['), p.strip_prefix(':')),
            None => return Some("the address in [ ] is not closed".to_string()),
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Some(format!("there is no site name after the https://, {LIKE}"));
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '.' | ':')))
    {
        return Some(format!("{} is not allowed in a site name", show_char(c)));
    }
    if let Some(p) = port
        && (p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.parse::<u16>().is_err())
    {
        return Some("the port after : must be a number from 1 to 65535".to_string());
    }
    None
}

// ── dates ──────────────────────────────────────────────────────────────────────────────

/// A `dd-Mon-yyyy` wire date to (year, month, day), or a message ("write it as …" when it
/// is a date in another spelling).
pub(crate) fn parse_dmony(value: &str) -> Result<(u32, u32, u32), String> {
    parse_exact(Kind::DateDMonY, value)
}

fn parse_exact(kind: Kind, value: &str) -> Result<(u32, u32, u32), String> {
    match check_kind(kind, value) {
        Some(message) => Err(message),
        None => normalise::date(value, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(check_kind(Kind::DateDmy, "29-02-2024"), None);
        let dmy = |v| check_kind(Kind::DateDmy, v).unwrap_or_default();
        assert!(dmy("29-02-2023").contains("28 days"));
        assert!(dmy("29-02-1900").contains("28 days"));
        assert!(dmy("6-12-1997").contains("06-12-1997"));
        assert!(dmy("06/12/1997").contains("06-12-1997"));
        assert_eq!(parse_dmony("29-Dec-2024"), Ok((2024, 12, 29)));
        assert!(parse_dmony("29-dec-2024").is_err_and(|e| e.contains("29-Dec-2024")));
        assert!(parse_dmony("29-12-2024").is_err_and(|e| e.contains("29-Dec-2024")));
        assert!(parse_dmony("31-Jun-2024").is_err_and(|e| e.contains("30 days")));
    }
}
