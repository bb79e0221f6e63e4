//! Lender profiles: which tabs show, which fields are required, defaults, fixed values,
//! enum spellings, the order_id pattern and custom fields. Data, not code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::catalogue::{Kind, Section};
use super::form::Form;

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    BuiltIn,
    File(PathBuf),
}

/// A lender-specific field the catalogue does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomField {
    pub key: String,
    pub label: String,
    pub section: Section,
    pub kind: Kind,
    pub help: String,
    pub required: bool,
    pub allowed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub tabs: Vec<Section>,
    pub required: BTreeSet<String>,
    pub defaults: BTreeMap<String, String>,
    pub fixed: BTreeMap<String, String>,
    /// key -> canonical value -> spelling sent on the wire.
    pub spellings: BTreeMap<String, BTreeMap<String, String>>,
    /// e.g. `[A-Za-z0-9_-]{1,20}`.
    pub order_id_pattern: String,
    pub custom_fields: Vec<CustomField>,
    pub source: ProfileSource,
}

/// A field as the form shows it under a profile (catalogue entry or custom field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub key: String,
    pub label: String,
    pub section: Section,
    pub kind: Kind,
    pub help: String,
    pub example: String,
    pub allowed: Vec<String>,
    pub required: bool,
    /// Set by the profile; shown read-only.
    pub fixed: bool,
}

impl Profile {
    /// The fields of the visible tabs, in form order, custom fields included.
    pub fn form_fields(&self) -> Vec<FormField> {
        todo!("session helper")
    }

    pub fn is_required(&self, key: &str) -> bool {
        self.required.contains(key)
    }

    /// A blank form with this profile's defaults and fixed values filled in.
    pub fn new_form(&self) -> Form {
        todo!("session helper")
    }
}

/// A profile file that could not be used, with its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ProfileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

/// Built-in profiles plus the user's, by name.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    pub profiles: Vec<Profile>,
}

impl ProfileSet {
    /// The four built-ins compiled into the binary.
    pub fn builtin() -> ProfileSet {
        todo!("session helper")
    }

    /// Built-ins, then every `*.toml` in `user_dir` (adds new ones, replaces a built-in
    /// of the same name). Broken files are skipped and reported.
    pub fn load(user_dir: Option<&std::path::Path>) -> (ProfileSet, Vec<ProfileError>) {
        let _ = user_dir;
        todo!("session helper")
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }
}
