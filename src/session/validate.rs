//! Field and cross-field rules. Returns every problem, each tied to a field key, in words a
//! counter clerk understands. Works on characters, never byte offsets, so no input (huge,
//! control characters, emoji, right-to-left text) can make it panic.

use serde_json::Value;

use super::catalogue::{self, FIELDS, Kind, keys};
use super::form::{Form, Member};
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
/// Problems come in form order (visible tabs first).
pub fn validate(form: &Form, profile: &Profile) -> Vec<Problem> {
    let mut problems = Vec::new();
    for key in keys_in_order(profile) {
        check_one(form, profile, &key, &mut problems);
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

/// Whether `value` is well-formed for `kind` on its own. `Kind::Enum` and
/// `Kind::MemberList` need more context and always pass here.
pub fn check_kind(kind: Kind, value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    match kind {
        Kind::Text | Kind::Enum | Kind::MemberList => check_text(value),
        Kind::Email => check_email(value),
        Kind::Phone => check_phone(value),
        Kind::DateDmy => parse_dmy(value).err(),
        Kind::DateDMonY => parse_dmony(value).err(),
        Kind::Amount => check_amount(value),
        Kind::Currency => check_currency(value),
        Kind::Pincode => check_pincode(value),
        Kind::Integer => check_integer(value),
        Kind::Boolean => check_boolean(value),
        Kind::Url => check_url(value),
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
    } else if let Some(p) = check_phone(&member.member_phone) {
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

fn check_one(form: &Form, profile: &Profile, key: &str, problems: &mut Vec<Problem>) {
    let required = profile.is_required(key) && !profile.fixed.contains_key(key);
    let missing = || {
        format!(
            "required by the {} profile; please fill it in",
            profile.name
        )
    };
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

/// At most `max` characters of `text`, with … when cut (for quoting user input).
fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// A character shown in a message: visible ones quoted, invisible ones by code point.
fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("\"{c}\"")
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

fn check_phone(value: &str) -> Option<String> {
    const WANT: &str = "a mobile number has exactly 10 digits, like 9876543210";
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let n = digits.chars().count();
    let only_digits = value.chars().all(|c| c.is_ascii_digit());
    if value.trim_start().starts_with('+') || (n == 12 && digits.starts_with("91")) {
        return Some("enter the 10-digit number without +91 or another country code".to_string());
    }
    if n == 11 && digits.starts_with('0') {
        return Some("enter the 10-digit number without the leading 0".to_string());
    }
    if !only_digits {
        let spacers = value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'));
        if spacers && n == 10 {
            return Some(format!("digits only, without spaces or dashes: {digits}"));
        }
        return Some(WANT.to_string());
    }
    if n != 10 {
        return Some(format!("has {n} digits; {WANT}"));
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

fn check_amount(value: &str) -> Option<String> {
    const LIKE: &str = "like 1500 or 1500.50";
    if value.starts_with('-') {
        return Some("the amount must be more than 0".to_string());
    }
    if value.contains(',') {
        let plain: String = value.chars().filter(|c| *c != ',').collect();
        return Some(format!(
            "write the amount without commas: {}",
            shorten(&plain, 30)
        ));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_digit() || *c == '.')) {
        return Some(format!(
            "write the amount with digits and one dot only, {LIKE} (found {})",
            show_char(c)
        ));
    }
    let mut parts = value.split('.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    if parts.next().is_some() {
        return Some(format!("the amount has more than one dot; write it {LIKE}"));
    }
    if whole.is_empty() || fraction.is_some_and(str::is_empty) {
        return Some(format!(
            "write the amount with digits on both sides of the dot, {LIKE}"
        ));
    }
    if fraction.is_some_and(|f| f.chars().count() > 2) {
        return Some("at most two digits after the dot (paise)".to_string());
    }
    if value.chars().all(|c| c == '0' || c == '.') {
        return Some("the amount must be more than 0".to_string());
    }
    None
}

fn check_currency(value: &str) -> Option<String> {
    let n = value.chars().count();
    if n == 3 && value.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    if n == 3 && value.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(format!(
            "write the currency in capitals: {}",
            value.to_ascii_uppercase()
        ));
    }
    Some("a currency is a 3-letter code, like INR".to_string())
}

fn check_integer(value: &str) -> Option<String> {
    if value.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some("write a whole number, like 2".to_string())
}

fn check_boolean(value: &str) -> Option<String> {
    match value {
        "true" | "false" => None,
        other if other.eq_ignore_ascii_case("true") => {
            Some("write it as true (small letters)".to_string())
        }
        other if other.eq_ignore_ascii_case("false") => {
            Some("write it as false (small letters)".to_string())
        }
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

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks that day/month/year is a real date; the message names the month's length.
fn real_date(day: u32, month: u32, year: u32) -> Result<(u32, u32, u32), String> {
    if !(1900..=2100).contains(&year) {
        return Err(format!("the year {year} looks wrong"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!(
            "there is no month {month}; months go from 01 to 12"
        ));
    }
    let max = days_in_month(year, month);
    let name = MONTH_NAMES
        .get(month as usize - 1)
        .copied()
        .unwrap_or("that month");
    if day == 0 || day > max {
        return Err(format!(
            "{name} {year} has {max} days, so day {day} does not exist"
        ));
    }
    Ok((year, month, day))
}

/// Splits `a-b-c` (also `/` or `.`) into three parts.
fn three_parts(value: &str) -> Option<(&str, &str, &str)> {
    let mut parts = value.split(['-', '/', '.', ' ']);
    let a = parts.next()?;
    let b = parts.next()?;
    let c = parts.next()?;
    parts.next().is_none().then_some((a, b, c))
}

fn number(part: &str, max_len: usize) -> Option<u32> {
    let n = part.chars().count();
    if n == 0 || n > max_len || !part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// `dd-mm-yyyy` to (year, month, day), or a message.
pub(crate) fn parse_dmy(value: &str) -> Result<(u32, u32, u32), String> {
    const LIKE: &str = "write the date as dd-mm-yyyy, like 06-12-1997";
    let (d, m, y) = three_parts(value).ok_or_else(|| LIKE.to_string())?;
    let (Some(day), Some(year)) = (number(d, 2), number(y, 4)) else {
        return Err(LIKE.to_string());
    };
    let month = match number(m, 2) {
        Some(month) => month,
        None => month_from_name(m).ok_or_else(|| LIKE.to_string())?,
    };
    let date = real_date(day, month, year)?;
    let canonical = format!("{day:02}-{month:02}-{year:04}");
    if canonical != value {
        return Err(format!("write it as {canonical} (dd-mm-yyyy)"));
    }
    Ok(date)
}

/// `dd-Mon-yyyy` to (year, month, day), or a message.
pub(crate) fn parse_dmony(value: &str) -> Result<(u32, u32, u32), String> {
    const LIKE: &str = "write the date as dd-Mon-yyyy, like 29-Dec-2024";
    let (d, m, y) = three_parts(value).ok_or_else(|| LIKE.to_string())?;
    let (Some(day), Some(year)) = (number(d, 2), number(y, 4)) else {
        return Err(LIKE.to_string());
    };
    let month = match number(m, 2) {
        Some(month) => month,
        None => month_from_name(m).ok_or_else(|| LIKE.to_string())?,
    };
    let date = real_date(day, month, year)?;
    let mon = MONTHS.get(month as usize - 1).copied().unwrap_or("Jan");
    let canonical = format!("{day:02}-{mon}-{year:04}");
    if canonical != value {
        return Err(format!("write it as {canonical} (dd-Mon-yyyy)"));
    }
    Ok(date)
}

/// `Dec`, `dec`, `December` → 12.
fn month_from_name(text: &str) -> Option<u32> {
    let pos = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(text))
        .or_else(|| {
            MONTH_NAMES
                .iter()
                .position(|m| m.eq_ignore_ascii_case(text))
        })?;
    u32::try_from(pos + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_dmy("29-02-2024"), Ok((2024, 2, 29)));
        assert!(parse_dmy("29-02-2023").is_err_and(|e| e.contains("28 days")));
        assert!(parse_dmy("29-02-1900").is_err());
        assert_eq!(parse_dmy("29-02-2000"), Ok((2000, 2, 29)));
        assert!(parse_dmy("6-12-1997").is_err_and(|e| e.contains("06-12-1997")));
        assert!(parse_dmy("06/12/1997").is_err_and(|e| e.contains("06-12-1997")));
        assert_eq!(parse_dmony("29-Dec-2024"), Ok((2024, 12, 29)));
        assert!(parse_dmony("29-dec-2024").is_err_and(|e| e.contains("29-Dec-2024")));
        assert!(parse_dmony("29-12-2024").is_err_and(|e| e.contains("29-Dec-2024")));
        assert!(parse_dmony("31-Jun-2024").is_err_and(|e| e.contains("30 days")));
    }
}
