//! Form + profile -> the flat JSON body Juspay expects, and back.

use serde_json::{Map, Value};

use super::form::Form;
use super::profile::Profile;

/// Why a JSON document could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("a session request is a JSON object, this is {0}")]
    NotObject(&'static str),
}

/// The exact body to POST: dotted keys literal, members an array, is_primary_holder a
/// boolean, everything else strings; empty optional fields left out.
pub fn to_body(form: &Form, profile: &Profile) -> Map<String, Value> {
    let _ = (form, profile);
    todo!("session helper")
}

/// A request JSON (sample or pasted) into a form, losing no key.
pub fn import(value: &Value, profile: &Profile) -> Result<Form, ImportError> {
    let _ = (value, profile);
    todo!("session helper")
}

/// `import` from text.
pub fn import_str(text: &str, profile: &Profile) -> Result<Form, ImportError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    import(&value, profile)
}
