//! When a typed value is complete, so a desk that moves on by itself (`[desk]
//! auto_advance = true`, as data-entry terminals' auto-skip fields) may leave the field
//! without a Tab. Only values whose end is certain count: a clerk still typing must never
//! be moved on.

use super::catalogue::Kind;
use super::entry::normalise_field;
use super::profile::Profile;
use super::validate::check_kind;

/// Whether `value` (as typed) is a complete value of the field `key` under `profile`:
///
/// - a mobile number, a date or a PIN code that is accepted and that no one or two more
///   digits would leave acceptable: `98765 43210`, `+91 98765 43210`, `14/03/1990`,
///   `20-jan-2027`, `560 034` are complete; `1990-03-1` is not (`1990-03-14` may follow),
///   nor `9187654321` (`91 87654321 xx` may follow), nor `0987654321`;
/// - a value the profile offers for a free-text field (`[choices]`, such as travel types)
///   typed in full, in any case, when no other offer starts with it (`return`).
///
/// Everything else (names, amounts, which may end in `/-`, emails) is never complete.
pub fn is_complete(key: &str, value: &str, profile: &Profile) -> bool {
    let Some(kind) = profile.kind_of(key) else {
        return false;
    };
    let typed = value.trim();
    if typed.is_empty() || typed.len() != value.trim_start().len() {
        // Nothing typed, or a space after the value: the clerk may go on writing.
        return false;
    }
    if matches!(
        kind,
        Kind::Phone | Kind::DateDmy | Kind::DateDMonY | Kind::Pincode
    ) {
        let accepted = |text: &str| {
            normalise_field(key, text, profile, None)
                .is_ok_and(|n| check_kind(kind, &n.value).is_none())
        };
        let more = (0..110u32).map(|n| match n {
            0..=9 => format!("{typed}{n}"),
            _ => format!("{typed}{:02}", n - 10),
        });
        return accepted(typed) && !more.clone().any(|longer| accepted(&longer));
    }
    let Some(offers) = profile.choices.get(key) else {
        return false;
    };
    let lower = typed.to_lowercase();
    let mut starting = offers
        .iter()
        .filter(|o| o.to_lowercase().starts_with(&lower));
    matches!(
        (starting.next(), starting.next()),
        (Some(only), None) if only.eq_ignore_ascii_case(typed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::keys;
    use crate::session::profile::file::ProfileSet;

    fn travel() -> Profile {
        let set = ProfileSet::builtin();
        set.get("travel").cloned().expect("the travel profile")
    }

    #[test]
    fn only_values_whose_end_is_certain_are_complete() {
        let p = travel();
        let complete = [
            (keys::CUSTOMER_PHONE, "98765 43210"),
            (keys::CUSTOMER_PHONE, "+91 98765 43210"),
            (keys::CUSTOMER_PHONE, "098765 43210"),
            (keys::CUSTOMER_PHONE, "98765-43210"),
            (keys::CUSTOMER_DOB, "14/03/1990"),
            (keys::CUSTOMER_DOB, "14.03.1990"),
            (keys::CUSTOMER_DOB, "1990-03-14"),
            (keys::CUSTOMER_PINCODE, "560 034"),
            (keys::CUSTOMER_PINCODE, "560034"),
            (keys::TRAVEL_START_DATE, "20-jan-2027"),
            (keys::TRAVEL_START_DATE, "20/01/2027"),
            (keys::TRAVEL_TYPE, "return"),
            (keys::TRAVEL_TYPE, "VISA"),
        ];
        for (key, value) in complete {
            assert!(is_complete(key, value, &p), "{key} = {value:?} is complete");
        }
        let open = [
            // Still being typed.
            (keys::CUSTOMER_PHONE, "98765 4321"),
            (keys::CUSTOMER_PHONE, "+91 98765 4321"),
            // 10 digits that may be 91 and ten more, or 0 and ten more.
            (keys::CUSTOMER_PHONE, "9187654321"),
            (keys::CUSTOMER_PHONE, "0987654321"),
            (keys::CUSTOMER_DOB, "14/03/199"),
            (keys::CUSTOMER_DOB, "1990-03-1"),
            (keys::CUSTOMER_DOB, "14/03/1990 "),
            (keys::CUSTOMER_PINCODE, "56003"),
            (keys::TRAVEL_START_DATE, "20-jan-202"),
            (keys::TRAVEL_TYPE, "ret"),
            (keys::TRAVEL_TYPE, "Returning"),
            // Kinds whose end is never certain.
            (keys::AMOUNT, "45,999.50"),
            (keys::CUSTOMER_EMAIL, "asha@example.com"),
            (keys::CUSTOMER_FIRST_NAME, "Asha"),
            (keys::ORIGIN, "Bangalore"),
            (keys::CUSTOMER_PHONE, ""),
        ];
        for (key, value) in open {
            assert!(
                !is_complete(key, value, &p),
                "{key} = {value:?} is not complete"
            );
        }
    }
}
