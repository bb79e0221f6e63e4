//! Every Session API field paydesk knows: wire key, label, tab, kind, help, allowed values.

use serde::Serialize;

/// A form tab. Each field belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Order,
    Customer,
    Policy,
    Education,
    Travel,
    Extras,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Order,
        Section::Customer,
        Section::Policy,
        Section::Education,
        Section::Travel,
        Section::Extras,
    ];

    /// Tab title as shown on screen.
    pub fn title(self) -> &'static str {
        match self {
            Section::Order => "Order",
            Section::Customer => "Customer",
            Section::Policy => "Policy",
            Section::Education => "Education",
            Section::Travel => "Travel",
            Section::Extras => "Extras",
        }
    }

    /// Lower-case id used in profile files (`tabs = ["order", ...]`).
    pub fn id(self) -> &'static str {
        match self {
            Section::Order => "order",
            Section::Customer => "customer",
            Section::Policy => "policy",
            Section::Education => "education",
            Section::Travel => "travel",
            Section::Extras => "extras",
        }
    }
}

/// What kind of value a field holds; decides validation and the input widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Email,
    Phone,
    /// `dd-mm-yyyy`
    DateDmy,
    /// `dd-Mon-yyyy`
    DateDMonY,
    Amount,
    Currency,
    Pincode,
    Enum,
    Integer,
    Boolean,
    Url,
    MemberList,
}

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Exact wire key, e.g. `metadata.origin`.
    pub key: &'static str,
    pub label: &'static str,
    pub section: Section,
    pub kind: Kind,
    /// What the field is for, in our words, with an example.
    pub help: &'static str,
    pub example: &'static str,
    /// Canonical allowed values for `Kind::Enum` (profiles map them to wire spellings).
    pub allowed: &'static [&'static str],
}

/// The whole catalogue, in form order.
pub static FIELDS: &[Field] = &[];

/// Looks a field up by its wire key.
pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}
