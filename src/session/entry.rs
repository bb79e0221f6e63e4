//! A value entered into one field under a lender profile: normalised by the field's kind
//! (`session::normalise`), enum values matched to the profile's canonical values, and the
//! borrower's date-of-birth rule. What the desk's field, JSON import and `--set` call.

use time::Date;

use super::catalogue::{Kind, keys};
use super::form::Form;
use super::normalise::{Change, Normalised, check_birth_date, normalise_kind};
use super::profile::Profile;

/// Normalises one value of a field under a profile: by the field's kind, enum values
/// matched in any case (and by the profile's wire spelling) to their canonical value,
/// order ids and free keys trimmed. With `today` (the desk's local date), a date of birth
/// in the future or under 18 years is refused, since the customer is the borrower.
///
/// Errors: a message in a counter clerk's words with an example, for the field `key`.
/// Empty (or all-space) input is `Ok("")`: missing values are `validate`'s business.
pub fn normalise_field(
    key: &str,
    value: &str,
    profile: &Profile,
    today: Option<Date>,
) -> Result<Normalised, String> {
    let Some(kind) = profile.kind_of(key) else {
        return Ok(Normalised::from(value, value.trim().to_string()));
    };
    if kind == Kind::Enum {
        return Ok(Normalised::from(value, enum_value(key, value, profile)));
    }
    let out = normalise_kind(kind, value)?;
    if key == keys::CUSTOMER_DOB
        && let Some(today) = today
        && let Some(problem) = check_birth_date(&out.value, today)
    {
        return Err(problem);
    }
    Ok(out)
}

/// Normalises every scalar value of a form in place (as [`normalise_field`]); values
/// that are refused, or all spaces, stay as they were, for `validate` to report (as JSON
/// import does). Returns what changed.
pub fn normalise_form(form: &mut Form, profile: &Profile, today: Option<Date>) -> Vec<Change> {
    let mut changes = Vec::new();
    let keys: Vec<String> = form.values.keys().cloned().collect();
    for key in keys {
        let from = form.get(&key).to_string();
        if let Ok(n) = normalise_field(&key, &from, profile, today)
            && n.changed
            && !n.value.is_empty()
        {
            form.set(&key, n.value.clone());
            changes.push(Change {
                key,
                from,
                to: n.value,
            });
        }
    }
    changes
}

/// The canonical value for a typed enum value: exact, then any case, then the profile's
/// wire spelling in any case; anything else unchanged (trimmed) for `validate` to report.
fn enum_value(key: &str, value: &str, profile: &Profile) -> String {
    let trimmed = value.trim();
    let allowed = profile.allowed(key);
    if allowed.iter().any(|a| a == trimmed) {
        return trimmed.to_string();
    }
    if let Some(c) = profile.canonical(key, trimmed) {
        return c.to_string();
    }
    allowed
        .iter()
        .find(|a| {
            a.eq_ignore_ascii_case(trimmed)
                || profile.spelling(key, a).eq_ignore_ascii_case(trimmed)
        })
        .cloned()
        .unwrap_or_else(|| trimmed.to_string())
}
