//! When a typed value is complete, so a desk that moves on by itself (`[desk]
//! auto_advance = true`, as data-entry terminals' auto-skip fields) may leave the field
//! without a Tab. Only values whose end is certain count: a clerk still typing must never
//! be moved on.

use super::catalogue::Kind;
use super::choice::starting_with;
use super::entry::normalise_field;
use super::normalise::date_parts;
use super::profile::Profile;
use super::validate::check_kind;

/// What a value typed so far is, for a desk that moves on by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// More may still come (or the kind never ends by itself).
    Open,
    /// Complete: leave the field.
    Complete,
    /// Refused, and nothing more typed could mend it (`31/02/1990`, a seventh PIN digit):
    /// say so now, without waiting for Tab.
    Refused,
}

/// What `value` (as typed) is for the field `key` under `profile`. Complete:
///
/// - a mobile number, a date or a PIN code that is accepted and that no one or two more
///   digits would leave acceptable: `98765 43210`, `+91 98765 43210`, `14/03/1990`,
///   `20-jan-2027`, `560 034` are complete; `1990-03-1` is not (`1990-03-14` may follow),
///   nor `9187654321` (`91 87654321 xx` may follow), nor `0987654321`;
/// - a value the profile offers for a free-text field (`[choices]`, such as travel types)
///   typed in full, in any case, when no other offer starts with it (`return`).
///
/// Everything else (names, amounts, which may end in `/-`, emails) is never complete.
/// Refused: a date with its year written (`31/02/1990`), or a mobile number or PIN code
/// with its digits, that is refused whatever digits follow.
pub fn typed(key: &str, value: &str, profile: &Profile) -> Typed {
    let Some(kind) = profile.kind_of(key) else {
        return Typed::Open;
    };
    let text = value.trim();
    if text.is_empty() || text.len() != value.trim_start().len() {
        // Nothing typed, or a space after the value: the clerk may go on writing.
        return Typed::Open;
    }
    let accepted = |text: &str| {
        normalise_field(key, text, profile, None)
            .is_ok_and(|n| check_kind(kind, &n.value).is_none())
    };
    match kind {
        Kind::Phone | Kind::DateDmy | Kind::DateDMonY | Kind::Pincode => {
            let mut more = (0..110u32).map(|n| match n {
                0..=9 => format!("{text}{n}"),
                _ => format!("{text}{:02}", n - 10),
            });
            if accepted(text) {
                if more.any(|longer| accepted(&longer)) {
                    Typed::Open
                } else {
                    Typed::Complete
                }
            } else if beyond_mending(kind, text, &accepted) {
                Typed::Refused
            } else {
                Typed::Open
            }
        }
        _ => offered_in_full(key, text, profile),
    }
}

/// A refused value nothing typed after it can mend. Dates: once the year (or, for ISO,
/// the day) is written in full. Mobile numbers: once they hold ten digits and up to four
/// more do not help (only the count and the leading digits decide, so zeros stand for any
/// digits). PIN codes: past six digits.
fn beyond_mending(kind: Kind, text: &str, accepted: &dyn Fn(&str) -> bool) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    match kind {
        Kind::DateDmy | Kind::DateDMonY => {
            let parts = date_parts(text);
            let digits_of =
                |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
            match parts.as_slice() {
                [a, _, c] if digits_of(a, 4) => c.len() == 2,
                [_, _, c] => digits_of(c, 4),
                _ => false,
            }
        }
        Kind::Phone if digits >= 10 => {
            (1..=4).all(|k| !accepted(&format!("{text}{}", "0".repeat(k))))
        }
        Kind::Pincode => digits > 6,
        _ => false,
    }
}

/// Complete when `text` is, in any case, a value the profile offers for `key` and no
/// other offer starts with it.
fn offered_in_full(key: &str, text: &str, profile: &Profile) -> Typed {
    let Some(offers) = profile.choices.get(key) else {
        return Typed::Open;
    };
    let whole = offers.iter().any(|o| o.eq_ignore_ascii_case(text));
    if whole && starting_with(offers, text) == 1 {
        Typed::Complete
    } else {
        Typed::Open
    }
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
            // No mobile number follows a 91 with a 2: nothing more can come.
            (keys::CUSTOMER_PHONE, "91234 56789"),
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
            assert_eq!(
                typed(key, value, &p),
                Typed::Complete,
                "{key} = {value:?} is complete"
            );
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
            assert_eq!(typed(key, value, &p), Typed::Open, "{key} = {value:?}");
        }
    }

    #[test]
    fn a_value_nothing_can_mend_is_refused_at_once() {
        let p = travel();
        for (key, value) in [
            (keys::CUSTOMER_DOB, "31/02/1990"),
            (keys::CUSTOMER_DOB, "14/13/1990"),
            (keys::CUSTOMER_DOB, "1990-02-31"),
            (keys::TRAVEL_START_DATE, "31-feb-2027"),
            (keys::CUSTOMER_PHONE, "98765 432101"),
            (keys::CUSTOMER_PINCODE, "5600341"),
        ] {
            assert_eq!(typed(key, value, &p), Typed::Refused, "{key} = {value:?}");
        }
        // Still being typed: refused now, but more may mend it.
        for (key, value) in [
            (keys::CUSTOMER_DOB, "31/02/19"),
            (keys::CUSTOMER_DOB, "3/1/2"),
            (keys::CUSTOMER_DOB, "3/"),
            (keys::CUSTOMER_PHONE, "+91 9"),
            (keys::CUSTOMER_PHONE, "9876"),
            (keys::CUSTOMER_PINCODE, "5600"),
        ] {
            assert_eq!(typed(key, value, &p), Typed::Open, "{key} = {value:?}");
        }
    }
}
