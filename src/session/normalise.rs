//! Forgiving input, exact output: a value written the way people write it on paper
//! (`₹45,999.50`, `+91 98765 43210`, `14/03/1990`, `20-jan-2027`, trailing spaces) becomes
//! the one wire format of its field, or a refusal naming what is wrong with an example.
//!
//! Only a value that is really wrong or ambiguous is refused: `45,99` (a decimal comma or a
//! mistyped group?), `03/14/1990` (month first), a two-digit year. Whatever this module
//! accepts is a wire value `validate` accepts too; `validate` reports a value that still
//! needs normalising as "write it as …", so a form can never send an unnormalised value.
//!
//! Pure: no clock, no profile. Rules that need today's date (a date of birth) take it as an
//! argument; `session::entry` applies this to a field under a lender profile.

use time::{Date, Month};

use super::catalogue::Kind;

/// A value in its wire format, and whether that differs from what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    /// The wire value (for `Kind::Enum`: the canonical value the form holds).
    pub value: String,
    /// True when `value` differs from the input (the desk shows "written as …").
    pub changed: bool,
}

impl Normalised {
    pub(crate) fn from(input: &str, value: String) -> Normalised {
        Normalised {
            changed: value != input,
            value,
        }
    }

    /// `written as 45999.50` when the value changed, for the field's help line.
    pub fn note(&self) -> Option<String> {
        self.changed.then(|| format!("written as {}", self.value))
    }
}

/// One value that normalisation changed (what `validate --strict` lists).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub key: String,
    /// As typed or imported.
    pub from: String,
    /// As sent (for an enum: the canonical value, which the profile may spell differently).
    pub to: String,
}

/// Normalises a value of one kind (see the module doc for what each kind accepts).
/// `Kind::Enum` and `Kind::MemberList` are only trimmed here.
pub fn normalise_kind(kind: Kind, value: &str) -> Result<Normalised, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(Normalised::from(value, String::new()));
    }
    let out = match kind {
        Kind::Amount => amount(trimmed)?,
        Kind::Phone => phone(trimmed)?,
        Kind::DateDmy => {
            let (y, m, d) = date(trimmed, DMY_LIKE)?;
            format!("{d:02}-{m:02}-{y:04}")
        }
        Kind::DateDMonY => {
            let (y, m, d) = date(trimmed, DMONY_LIKE)?;
            let mon = MONTHS.get(m as usize - 1).copied().unwrap_or("Jan");
            format!("{d:02}-{mon}-{y:04}")
        }
        Kind::Email => email(trimmed),
        Kind::Pincode => pincode(trimmed)?,
        Kind::Currency => currency(trimmed),
        Kind::Boolean => boolean(trimmed),
        Kind::Integer => trimmed.replace(',', ""),
        Kind::Text | Kind::Enum | Kind::Url | Kind::MemberList => trimmed.to_string(),
    };
    Ok(Normalised::from(value, out))
}

/// Why a (wire-format) date of birth cannot be a borrower's on `today`, if it cannot.
pub fn check_birth_date(value: &str, today: Date) -> Option<String> {
    let (y, m, d) = date(value, DMY_LIKE).ok()?;
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    let born =
        Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()?;
    if born > today {
        return Some("a date of birth cannot be in the future; check the year".to_string());
    }
    // 18th birthday; someone born on 29 February turns 18 on 1 March in a common year.
    let year18 = born.year() + 18;
    let birthday18 = Date::from_calendar_date(year18, born.month(), born.day())
        .or_else(|_| Date::from_calendar_date(year18, Month::March, 1))
        .ok()?;
    if birthday18 > today {
        return Some(format!(
            "the borrower must be 18 or older; this date of birth makes them {} years old",
            age_in_years(born, today)
        ));
    }
    None
}

fn age_in_years(born: Date, today: Date) -> i32 {
    let mut age = today.year() - born.year();
    if (today.month() as u8, today.day()) < (born.month() as u8, born.day()) {
        age -= 1;
    }
    age.max(0)
}

// ── amounts ────────────────────────────────────────────────────────────────────────────

const AMOUNT_LIKE: &str = "like 45999.50 (₹, Rs, commas and /- are fine)";

/// `₹45,999.50`, `Rs. 45999.50`, `INR 4,59,999`, `45999.50/-` → `45999.50`.
/// Rupees with at most two decimals; the fraction is kept as written.
fn amount(text: &str) -> Result<String, String> {
    let mut rest = text.trim();
    let lower = rest.to_ascii_lowercase();
    for prefix in ["₹", "rs.", "rs", "inr"] {
        if lower.starts_with(prefix) {
            // The prefixes are ASCII or `₹`, identical in `lower`, so the length is a
            // boundary in `rest` too.
            rest = rest.get(prefix.len()..).unwrap_or_default().trim_start();
            break;
        }
    }
    for suffix in ["/-", "/="] {
        if let Some(r) = rest.strip_suffix(suffix) {
            rest = r.trim_end();
        }
    }
    if let Some(r) = rest
        .strip_suffix("only")
        .or_else(|| rest.strip_suffix("Only"))
    {
        rest = r.trim_end();
    }
    if rest.starts_with('-') {
        return Err("the amount must be more than 0".to_string());
    }
    let compact: String = rest.chars().filter(|c| *c != ' ').collect();
    if let Some(c) = compact
        .chars()
        .find(|c| !(c.is_ascii_digit() || *c == '.' || *c == ','))
    {
        return Err(format!(
            "write the amount with digits, {AMOUNT_LIKE} (found {})",
            show_char(c)
        ));
    }
    let mut parts = compact.split('.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    if parts.next().is_some() {
        return Err(format!(
            "the amount has more than one dot; write it {AMOUNT_LIKE}"
        ));
    }
    if fraction.is_some_and(|f| f.contains(',')) {
        return Err(format!(
            "a comma after the dot is unclear; write it {AMOUNT_LIKE}"
        ));
    }
    let whole = ungroup(whole).ok_or_else(|| {
        format!(
            "the commas in {:?} are not in thousands or lakhs; if it is a decimal comma, \
             write a dot: {AMOUNT_LIKE}",
            shorten(text, 30)
        )
    })?;
    if whole.is_empty() || fraction.is_some_and(str::is_empty) {
        return Err(format!(
            "write the amount with digits on both sides of the dot, {AMOUNT_LIKE}"
        ));
    }
    if fraction.is_some_and(|f| f.len() > 2) {
        return Err("at most two digits after the dot (paise)".to_string());
    }
    let out = match fraction {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    };
    if out.chars().all(|c| c == '0' || c == '.') {
        return Err("the amount must be more than 0".to_string());
    }
    Ok(out)
}

/// Digits with commas in Western (`1,234,567`) or Indian (`12,34,567`) grouping → digits;
/// `None` when the commas fit neither (e.g. `45,99`, which may be a decimal comma).
fn ungroup(whole: &str) -> Option<String> {
    if !whole.contains(',') {
        return Some(whole.to_string());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let (first, rest) = groups.split_first()?;
    let (last, middle) = rest.split_last()?;
    let first_ok = (1..=3).contains(&first.len());
    let last_ok = last.len() == 3;
    let western = first_ok && middle.iter().all(|g| g.len() == 3);
    let indian = (1..=2).contains(&first.len()) && middle.iter().all(|g| g.len() == 2);
    (last_ok && (western || indian)).then(|| groups.concat())
}

// ── phones ─────────────────────────────────────────────────────────────────────────────

const PHONE_LIKE: &str = "a mobile number has 10 digits, like 9876543210";

/// `+91 98765 43210`, `098765 43210`, `(98765)-43210`, `0091 9876543210` → `9876543210`.
fn phone(text: &str) -> Result<String, String> {
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+')))
    {
        return Err(format!("{PHONE_LIKE} (found {})", show_char(c)));
    }
    let plus = text.starts_with('+');
    if text.chars().skip(1).any(|c| c == '+') {
        return Err(format!("a + goes only at the start; {PHONE_LIKE}"));
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = if plus || digits.starts_with("00") {
        let international = digits.trim_start_matches("00");
        match international.strip_prefix("91") {
            Some(rest) if rest.len() == 10 => rest,
            Some(_) => return Err(format!("after +91 come 10 digits; {PHONE_LIKE}")),
            None => {
                return Err(
                    "only Indian mobile numbers (+91) can be used; write the 10 digits, like \
                     9876543210"
                        .to_string(),
                );
            }
        }
    } else if digits.len() == 12
        && digits.starts_with("91")
        && digits
            .get(2..3)
            .is_some_and(|d| matches!(d, "6" | "7" | "8" | "9"))
    {
        // 91 written without its +: only before a mobile number (those start with 6–9),
        // so `91234 56789` and two more digits typed by mistake is refused, not cut.
        digits.get(2..).unwrap_or_default()
    } else if digits.len() == 11 && digits.starts_with('0') {
        digits.get(1..).unwrap_or_default()
    } else {
        digits.as_str()
    };
    if national.len() != 10 {
        return Err(format!("has {} digits; {PHONE_LIKE}", national.len()));
    }
    Ok(national.to_string())
}

// ── small kinds ────────────────────────────────────────────────────────────────────────

/// Trims; the domain part is lower-cased (domains ignore case, the part before @ may not).
fn email(text: &str) -> String {
    match text.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_ascii_lowercase()),
        None => text.to_string(),
    }
}

/// `560 034` → `560034`.
fn pincode(text: &str) -> Result<String, String> {
    // Any whitespace, not only spaces: a dash removed next to another space (U+2000)
    // must not leave it at the edge, or normalising again would change the value.
    Ok(text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect())
}

/// `inr`, `₹`, `Rs` → `INR`; other codes upper-cased.
fn currency(text: &str) -> String {
    let lower = text.to_lowercase();
    match lower.as_str() {
        "₹" | "rs" | "rs." | "rupees" => "INR".to_string(),
        _ if text.chars().all(|c| c.is_ascii_alphabetic()) => text.to_ascii_uppercase(),
        _ => text.to_string(),
    }
}

/// `TRUE`, `yes`, `Y` → `true`; `no`, `N` → `false`; anything else unchanged.
fn boolean(text: &str) -> String {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" => "true".to_string(),
        "false" | "no" | "n" => "false".to_string(),
        _ => text.to_string(),
    }
}

// ── dates ──────────────────────────────────────────────────────────────────────────────

pub(crate) const DMY_LIKE: &str = "write the date day first, like 14-03-1990 or 14/03/1990";
pub(crate) const DMONY_LIKE: &str = "write the date day first, like 20-Jan-2027 or 20/01/2027";

pub(crate) const MONTHS: [&str; 12] = [
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

/// The parts of a written date, between `/ . -`, spaces and commas (`14/03/1990`,
/// `20 Jan, 2027`).
pub(crate) fn date_parts(text: &str) -> Vec<&str> {
    text.split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect()
}

/// A date written day first (`14/03/1990`, `14.3.1990`, `14 Mar 1990`, `20-JAN-2027`) or
/// ISO (`1990-03-14`), with `/ . -` or spaces, month as a number or a name in any case, to
/// (year, month, day). Refuses two-digit years and month-first dates; `like` is the
/// field's example.
pub(crate) fn date(text: &str, like: &str) -> Result<(u32, u32, u32), String> {
    let parts = date_parts(text);
    let [a, b, c] = parts.as_slice() else {
        return Err(like.to_string());
    };
    let (day, month, year) = if a.len() == 4 && number(a, 4).is_some() {
        // ISO: year first, then month, then day.
        (*c, *b, *a)
    } else {
        (*a, *b, *c)
    };
    let month_number = number(month, 2);
    let month = match month_number {
        Some(m) => m,
        None => month_from_name(month).ok_or_else(|| like.to_string())?,
    };
    let Some(day) = number(day, 2) else {
        return Err(like.to_string());
    };
    if year.len() == 2 && number(year, 2).is_some() {
        return Err(format!("write the year with 4 digits; {like}"));
    }
    let Some(year) = number(year, 4).filter(|_| year.len() == 4) else {
        return Err(like.to_string());
    };
    if month_number.is_some() && month > 12 && day <= 12 {
        let name = MONTH_NAMES.get(day as usize - 1).copied().unwrap_or("");
        return Err(format!(
            "there is no month {month}; the day comes first, so {month} {name} {year} is \
             written {month:02}-{day:02}-{year}"
        ));
    }
    real_date(day, month, year)
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

fn number(part: &str, max_len: usize) -> Option<u32> {
    let n = part.chars().count();
    if n == 0 || n > max_len || !part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// `Dec`, `dec`, `DEC`, `December`, `Sept` → 12 / 9.
fn month_from_name(text: &str) -> Option<u32> {
    let text = if text.eq_ignore_ascii_case("sept") {
        "sep"
    } else {
        text
    };
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

/// At most `max` characters of `text`, with … when cut (for quoting user input).
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// A character shown in a message: visible ones quoted, invisible ones by code point.
pub(crate) fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("\"{c}\"")
    }
}
