//! Desk defaults: values that never change at one counter (agent name, email and mobile,
//! brand, source, return URL), set in the config's `[desk]` section, and the customer ID a
//! walk-in customer gets. Filled into a new form and marked, so the desk can show them
//! dimmed ("from desk settings", "generated") and skip them with Tab.

use std::collections::BTreeMap;

use super::catalogue::{self, FIELDS, keys};
use super::form::Form;
use super::normalise::normalise_kind;
use super::profile::Profile;
use super::suggest;
use super::validate::check_kind;

/// How a walk-in customer (no customer ID on paper) gets one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerIdRule {
    /// The customer's 10-digit mobile number: the same customer gets the same id again.
    Phone,
    /// The desk prefix (`order_prefix`) and 8 random letters and digits.
    Random,
}

impl CustomerIdRule {
    /// The words the config accepts (`customer_id_from = "phone"`).
    pub const WORDS: [&'static str; 2] = ["phone", "random"];

    /// Parses a config word, in any case.
    pub fn parse(word: &str) -> Option<CustomerIdRule> {
        match word.trim().to_ascii_lowercase().as_str() {
            "phone" => Some(CustomerIdRule::Phone),
            "random" => Some(CustomerIdRule::Random),
            _ => None,
        }
    }
}

/// The resolved `[desk]` settings (the environment's `[env.NAME.desk]` over the top-level
/// `[desk]`, key by key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskDefaults {
    /// Wire key → value, already in wire format.
    pub values: BTreeMap<String, String>,
    /// How a walk-in customer's ID is made; `None`: the clerk types one.
    pub customer_id: Option<CustomerIdRule>,
    /// `auto_advance = true`: the cursor starts at the first empty required field and
    /// leaves a field as soon as its value is complete (`complete::typed`, a choice
    /// picked by a letter only one option starts with), as data-entry terminals'
    /// auto-skip fields do. Off by default: a clerk must know the desk moves by itself.
    pub auto_advance: bool,
}

/// Where a value the clerk did not type came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    DeskSettings,
    Generated,
}

impl Origin {
    /// The words the desk shows next to the value.
    pub fn label(self) -> &'static str {
        match self {
            Origin::DeskSettings => "from desk settings",
            Origin::Generated => "generated",
        }
    }
}

/// A `[desk]` entry checked: the wire value (normalised as the desk would), or why it
/// cannot be used. Keys are catalogue fields, or `metadata.*` keys a profile may add as
/// custom fields; a key close to a catalogue field is taken for a typo of it.
pub fn check_desk_entry(key: &str, value: &str) -> Result<String, String> {
    let Some(field) = catalogue::field(key) else {
        let near = suggest::did_you_mean(key, FIELDS.iter().map(|f| f.key));
        return match near {
            Some(near) => Err(format!("`{key}` is not a field; did you mean `{near}`?")),
            None if key.starts_with("metadata.") => Ok(value.trim().to_string()),
            None => Err(format!(
                "`{key}` is not a field paydesk knows (`paydesk fields` lists them)"
            )),
        };
    };
    if key == keys::ORDER_ID || key == keys::CUSTOMER_ID {
        return Err(format!(
            "`{key}` differs for every order, so it cannot be a desk default{}",
            if key == keys::CUSTOMER_ID {
                "; to make one for walk-in customers, write customer_id_from = \"phone\" or \
                 \"random\""
            } else {
                ""
            }
        ));
    }
    let wire = normalise_kind(field.kind, value)
        .map(|n| n.value)
        .map_err(|message| format!("`{key}`: {message}"))?;
    match check_kind(field.kind, &wire) {
        Some(message) => Err(format!("`{key}`: {message}")),
        None => Ok(wire),
    }
}

/// Fills the desk's values into a (new) form where it has none and the profile does not
/// fix the key; returns the keys filled, for the desk to mark "from desk settings".
pub fn apply_desk(form: &mut Form, desk: &DeskDefaults, profile: &Profile) -> Vec<String> {
    let mut filled = Vec::new();
    for (key, value) in &desk.values {
        if form.get(key).is_empty() && !profile.fixed.contains_key(key) {
            form.set(key, value.clone());
            filled.push(key.clone());
        }
    }
    filled
}

/// Makes a walk-in customer's ID by the rule, when the form has none: from the form's
/// mobile number (once it holds a wire value), or `prefix` plus 8 characters from `salt`
/// (the caller's random number). `None` when the form has an ID or the rule cannot make
/// one yet. The desk marks the field "generated".
pub fn generate_customer_id(
    form: &Form,
    rule: CustomerIdRule,
    prefix: &str,
    salt: u64,
) -> Option<String> {
    if !form.get(keys::CUSTOMER_ID).is_empty() {
        return None;
    }
    customer_id_by_rule(form, rule, prefix, salt)
}

/// The walk-in customer ID `rule` makes from `form` now, whatever ID the form holds (for
/// the desk to follow a corrected mobile number with the ID it generated from it).
pub fn customer_id_by_rule(
    form: &Form,
    rule: CustomerIdRule,
    prefix: &str,
    salt: u64,
) -> Option<String> {
    match rule {
        CustomerIdRule::Phone => {
            let phone = form.get(keys::CUSTOMER_PHONE);
            let wire = phone.len() == 10 && phone.chars().all(|c| c.is_ascii_digit());
            wire.then(|| phone.to_string())
        }
        CustomerIdRule::Random => {
            // Crockford base 32: no I, L, O or U to misread at the counter.
            const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
            let tail: String = (0..8)
                .map(|i| ALPHABET[((salt >> (i * 5)) & 31) as usize] as char)
                .collect();
            Some(format!("{prefix}{tail}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::ProfileSet;

    #[test]
    fn entries_are_checked_and_normalised() {
        assert_eq!(
            check_desk_entry("metadata.agent_mobile", "+91 98888 88888"),
            Ok("9888888888".into())
        );
        assert!(
            check_desk_entry("metadata.agent_mobil", "9888888888")
                .is_err_and(|m| m.contains("did you mean `metadata.agent_mobile`"))
        );
        assert!(check_desk_entry("colour", "red").is_err_and(|m| m.contains("paydesk fields")));
        assert_eq!(
            check_desk_entry("metadata.acme_branch", " BLR01 "),
            Ok("BLR01".into())
        );
        assert!(
            check_desk_entry("customer_id", "X").is_err_and(|m| m.contains("customer_id_from"))
        );
        assert!(check_desk_entry("return_url", "shop").is_err_and(|m| m.contains("https://")));
    }

    #[test]
    fn desk_values_fill_only_empty_unfixed_fields() {
        let set = ProfileSet::builtin();
        let Some(p) = set.get("travel") else {
            panic!("travel profile");
        };
        let mut form = p.new_form();
        form.set(keys::SOURCE, "typed");
        let desk = DeskDefaults {
            values: [
                (keys::SOURCE, "desk"),
                (keys::ACTION, "other"),
                ("metadata.agent_name", "Ravi"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            customer_id: None,
            auto_advance: false,
        };
        let filled = apply_desk(&mut form, &desk, p);
        assert_eq!(filled, ["metadata.agent_name"]);
        assert_eq!(form.get(keys::SOURCE), "typed");
        assert_eq!(form.get(keys::ACTION), "paymentPage");
        assert_eq!(Origin::DeskSettings.label(), "from desk settings");
    }

    #[test]
    fn walk_in_customer_ids() {
        let mut form = Form::default();
        assert_eq!(
            generate_customer_id(&form, CustomerIdRule::Phone, "D7", 1),
            None
        );
        form.set(keys::CUSTOMER_PHONE, "9876543210");
        assert_eq!(
            generate_customer_id(&form, CustomerIdRule::Phone, "D7", 1),
            Some("9876543210".into())
        );
        let a = generate_customer_id(&form, CustomerIdRule::Random, "D7-", 0x1234_5678_9abc);
        let b = generate_customer_id(&form, CustomerIdRule::Random, "D7-", 0x1234_5678_9abd);
        assert_eq!(a.as_deref().map(str::len), Some(11));
        assert!(a.as_deref().is_some_and(|id| id.starts_with("D7-")));
        assert_ne!(a, b);
        form.set(keys::CUSTOMER_ID, "C1");
        assert_eq!(
            generate_customer_id(&form, CustomerIdRule::Random, "D7", 1),
            None
        );
        assert_eq!(
            CustomerIdRule::parse(" Phone "),
            Some(CustomerIdRule::Phone)
        );
        assert_eq!(CustomerIdRule::parse("uuid"), None);
    }
}
