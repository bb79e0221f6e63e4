//! The values a person entered (or imported), keyed by wire key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::catalogue::keys;

/// One row of `insured_member_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub member_name: String,
    pub member_phone: String,
    /// Keys of an imported member object we do not model, kept verbatim.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// A session request as entered. Scalar fields (catalogue, custom, free `metadata.*`) are
/// strings by wire key; the two non-string fields have their own slots; anything else an
/// import brought in (objects, arrays, numbers) is kept verbatim in `passthrough`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form {
    pub values: BTreeMap<String, String>,
    pub members: Vec<Member>,
    pub is_primary_holder: Option<bool>,
    pub passthrough: Map<String, Value>,
}

impl Form {
    /// The value of a scalar field, `""` when unset.
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    /// Forgets everything the form holds for one key (value, members, flag, passthrough).
    pub fn clear(&mut self, key: &str) {
        self.values.remove(key);
        self.passthrough.remove(key);
        if key == keys::INSURED_MEMBER_DETAILS {
            self.members.clear();
        }
        if key == keys::IS_PRIMARY_HOLDER {
            self.is_primary_holder = None;
        }
    }

    /// Sets a scalar field; an empty value removes it.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() {
            self.values.remove(key);
        } else {
            self.values.insert(key.to_string(), value);
        }
    }
}
