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
/// a value the profile offers for a free-text field (`[choices]`) matched in any case to
/// its spelling, order ids and free keys trimmed; an amount gets the profile's
/// `amount_decimals`. With `today` (the desk's local date), a date of birth
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
    let mut out = normalise_kind(kind, value)?;
    if kind == Kind::Amount
        && let Some(decimals) = profile.amount_decimals
        && !out.value.is_empty()
    {
        out = Normalised::from(value, with_decimals(&out.value, decimals)?);
    }
    if let Some(offered) = profile
        .choices
        .get(key)
        .and_then(|c| c.iter().find(|c| c.eq_ignore_ascii_case(&out.value)))
    {
        // A value the profile offers, typed in another case (`return`): its spelling.
        return Ok(Normalised::from(value, offered.clone()));
    }
    if key == keys::CUSTOMER_DOB
        && let Some(today) = today
        && let Some(problem) = check_birth_date(&out.value, today)
    {
        return Err(problem);
    }
    Ok(out)
}

/// A wire amount (`2500`, `5000.5`) with exactly `decimals` decimals (`2500.00`,
/// `5000.50`). Errors when that would drop a digit that is not 0 (`45.50` with 0
/// decimals), naming the lender's format.
fn with_decimals(amount: &str, decimals: u8) -> Result<String, String> {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let wanted = usize::from(decimals);
    let kept = fraction.trim_end_matches('0');
    if kept.len() > wanted {
        return Err(if wanted == 0 {
            "this lender takes whole rupees: no paise".to_string()
        } else {
            format!("this lender takes at most {wanted} digit(s) after the dot")
        });
    }
    if wanted == 0 {
        return Ok(whole.to_string());
    }
    Ok(format!("{whole}.{kept:0<wanted$}"))
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

#[cfg(test)]
mod tests {
    use super::with_decimals;

    #[test]
    fn amounts_get_the_lenders_decimals() {
        assert_eq!(with_decimals("2500", 2), Ok("2500.00".into()));
        assert_eq!(with_decimals("5000.0", 2), Ok("5000.00".into()));
        assert_eq!(with_decimals("45999.5", 2), Ok("45999.50".into()));
        assert_eq!(with_decimals("45999.50", 1), Ok("45999.5".into()));
        assert_eq!(with_decimals("45999.00", 0), Ok("45999".into()));
        assert!(with_decimals("45999.50", 0).is_err_and(|m| m.contains("whole rupees")));
        assert!(with_decimals("45999.55", 1).is_err_and(|m| m.contains("at most 1")));
    }
}
