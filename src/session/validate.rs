//! Field and cross-field rules. Returns every problem, each tied to a field key.

use super::form::Form;
use super::profile::Profile;

/// One problem with one field, in words a counter clerk understands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

/// Every problem in the form under the profile; empty when it can be sent.
pub fn validate(form: &Form, profile: &Profile) -> Vec<Problem> {
    let _ = (form, profile);
    todo!("session helper")
}

/// The problem with one field's value on its own (checked when the user leaves it).
pub fn check_field(key: &str, value: &str, profile: &Profile) -> Option<String> {
    let _ = (key, value, profile);
    todo!("session helper")
}
