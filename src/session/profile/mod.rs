//! Lender profiles: which tabs show, which fields are required, defaults, fixed values,
//! enum spellings, the order_id pattern and custom fields. Data, not code.
//!
//! A profile is a TOML file:
//!
//! ```toml
//! name = "acme-insurance"
//! description = "Acme Insurance via HyperCredit"
//! tabs = ["order", "customer", "policy", "extras"]
//! required = ["order_id", "amount", "customer_id", "customer_email", "customer_phone",
//!             "payment_page_client_id", "action", "return_url", "metadata.acme_branch"]
//! order_id_pattern = "[A-Za-z0-9_-]{1,20}"
//! refunds = "full"         # "none" | "full" | "any" (the default): see `RefundPolicy`
//! amount_decimals = 2      # amounts sent with exactly 2 decimals ("2500" → "2500.00");
//!                          # 0, 1 or 2; left out: sent with the decimals as typed
//!
//! [defaults]
//! currency = "INR"
//!
//! [fixed]
//! action = "paymentPage"
//!
//! [spellings.customer_employment_type]   # canonical value = what this lender is sent
//! SALARIED = "Salaried"
//!
//! fields = ["order_id", "amount", ...]   # optional: the fields shown; others behind
//!                                       # "all fields" (required and fixed always shown)
//!
//! [choices]                # optional: offered values of a text field; free text allowed
//! "metadata.travel_type" = ["Visa", "One-way", "Return"]
//!
//! [[custom_fields]]
//! key = "metadata.acme_branch"
//! label = "Branch code"
//! kind = "text"            # any kind except member_list; "enum" needs `allowed`
//! section = "extras"
//! help = "Acme's branch code, e.g. BLR01"
//! ```
//!
//! The four built-ins live in `assets/profiles/` and are compiled in; a file in the user's
//! `profiles/` directory adds a profile or replaces the built-in of the same name.
//! This file holds the `Profile` type and its queries; `file` reads and checks the files.

pub mod file;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::catalogue::{self, Kind, Section, keys};
use super::form::Form;
use super::order_id::Pattern;

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    BuiltIn,
    File(PathBuf),
}

impl ProfileSource {
    /// "built-in" or the file path, for listings.
    pub fn describe(&self) -> String {
        match self {
            ProfileSource::BuiltIn => "built-in".to_string(),
            ProfileSource::File(p) => p.display().to_string(),
        }
    }
}

/// Which refunds a lender allows on its orders: `refunds = "none" | "full" | "any"` in a
/// profile file, `"any"` when left out. A refund of a loan order may mean cancelling the
/// loan at the lender, and what each lender allows is not documented (reference
/// juspay-refunds.md, "Consequences for paydesk"), so each profile says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefundPolicy {
    /// No refunds from paydesk: the lender cancels the loan on its side.
    None,
    /// Only one refund of the whole order amount (the loan is cancelled as a whole).
    Full,
    /// Any amount up to what is left, as Juspay itself allows.
    #[default]
    Any,
}

impl RefundPolicy {
    pub const ALL: [RefundPolicy; 3] = [RefundPolicy::None, RefundPolicy::Full, RefundPolicy::Any];

    /// The spelling in a profile file.
    pub fn id(self) -> &'static str {
        match self {
            RefundPolicy::None => "none",
            RefundPolicy::Full => "full",
            RefundPolicy::Any => "any",
        }
    }

    pub fn from_id(id: &str) -> Option<RefundPolicy> {
        RefundPolicy::ALL.into_iter().find(|p| p.id() == id.trim())
    }

    /// Whether this policy allows a refund of `amount_paise` (`None`: all that is left)
    /// on an order of `order_paise` of which `refunded_paise` is already refunded or
    /// pending. `Err` is a sentence for the clerk naming the profile. Juspay's own
    /// limit (never more than is left) is not checked here.
    pub fn check(
        self,
        profile: &str,
        amount_paise: Option<u64>,
        order_paise: u64,
        refunded_paise: u64,
    ) -> Result<(), String> {
        match self {
            RefundPolicy::Any => Ok(()),
            RefundPolicy::None => Err(format!(
                "the lender profile {profile:?} allows no refunds from paydesk: ask the lender \
                 to cancel the loan"
            )),
            RefundPolicy::Full if refunded_paise > 0 => Err(format!(
                "the lender profile {profile:?} allows only one full refund, and part of this \
                 order is already refunded"
            )),
            RefundPolicy::Full if amount_paise.is_some_and(|a| a != order_paise) => Err(format!(
                "the lender profile {profile:?} allows only a full refund of the whole order \
                 amount"
            )),
            RefundPolicy::Full => Ok(()),
        }
    }
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
    /// Visible tabs, in `Section` order.
    pub tabs: Vec<Section>,
    /// Required keys, custom fields marked `required` included.
    pub required: BTreeSet<String>,
    pub defaults: BTreeMap<String, String>,
    pub fixed: BTreeMap<String, String>,
    /// key -> canonical value -> spelling sent on the wire.
    pub spellings: BTreeMap<String, BTreeMap<String, String>>,
    /// e.g. `[A-Za-z0-9_-]{1,20}`.
    pub order_id_pattern: String,
    pub custom_fields: Vec<CustomField>,
    /// Which refunds this lender allows.
    pub refunds: RefundPolicy,
    /// How many decimals every amount is sent with (rupees: `2` sends `2500` as
    /// `2500.00`), so one lender always receives one format; `None` keeps the decimals as
    /// typed. At most [`MAX_AMOUNT_DECIMALS`]. Applied wherever values are normalised
    /// (`entry::normalise_field`: the desk, `validate`, `--set`, JSON import).
    pub amount_decimals: Option<u8>,
    /// The fields this lender uses, shown on the form; the rest of the visible tabs is
    /// behind "all fields". Empty: every field of the visible tabs.
    pub fields: Vec<String>,
    /// Values offered for a text field (wire key → values); other text is still allowed.
    pub choices: BTreeMap<String, Vec<String>>,
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
    /// Canonical values, as the form shows them (for `Kind::Currency`: suggestions).
    pub allowed: Vec<String>,
    /// For each of `allowed`, the spelling this profile sends (same length).
    pub sent_as: Vec<String>,
    pub required: bool,
    /// Set by the profile; shown read-only.
    pub fixed: bool,
    /// True for a lender-specific field from the profile's `custom_fields`.
    pub custom: bool,
}

/// Juspay's amounts are rupees with at most two decimals (paise).
pub const MAX_AMOUNT_DECIMALS: u8 = 2;

/// The core required set of every built-in (reference §7.2).
pub const CORE_REQUIRED: [&str; 8] = [
    keys::ORDER_ID,
    keys::AMOUNT,
    keys::CUSTOMER_ID,
    keys::CUSTOMER_EMAIL,
    keys::CUSTOMER_PHONE,
    keys::PAYMENT_PAGE_CLIENT_ID,
    keys::ACTION,
    keys::RETURN_URL,
];

impl Profile {
    /// The fields of the visible tabs, in form order, custom fields included.
    pub fn form_fields(&self) -> Vec<FormField> {
        self.tabs
            .iter()
            .flat_map(|tab| self.tab_fields(*tab))
            .collect()
    }

    /// Whether this lender uses the field: listed in `fields` (or no list), required, fixed
    /// or one of its custom fields.
    pub fn uses(&self, key: &str) -> bool {
        self.fields.is_empty()
            || self.fields.iter().any(|k| k == key)
            || self.required.contains(key)
            || self.fixed.contains_key(key)
            || self.custom_field(key).is_some()
    }

    /// The fields the form shows: those the profile uses, or with `all_fields` every field
    /// of the visible tabs (`form_fields`).
    pub fn shown_fields(&self, all_fields: bool) -> Vec<FormField> {
        let mut fields = self.form_fields();
        if !all_fields {
            fields.retain(|f| self.uses(&f.key));
        }
        fields
    }

    /// Values to offer for a field: an enum's allowed values, else the profile's
    /// `[choices]` (free text still allowed); empty when the field is free.
    pub fn choices(&self, key: &str) -> Vec<String> {
        let allowed = self.allowed(key);
        if !allowed.is_empty() {
            return allowed;
        }
        self.choices.get(key).cloned().unwrap_or_default()
    }

    /// The fields of one tab (catalogue first, then custom), whether or not it is visible.
    pub fn tab_fields(&self, tab: Section) -> Vec<FormField> {
        let catalogue = catalogue::fields_in(tab).filter_map(|f| self.form_field(f.key));
        let custom = self
            .custom_fields
            .iter()
            .filter(|c| c.section == tab)
            .filter_map(|c| self.form_field(&c.key));
        catalogue.chain(custom).collect()
    }

    /// One field as shown under this profile; `None` for a key that is neither in the
    /// catalogue nor a custom field of this profile.
    pub fn form_field(&self, key: &str) -> Option<FormField> {
        let mut ff = if let Some(f) = catalogue::field(key) {
            FormField {
                key: f.key.to_string(),
                label: f.label.to_string(),
                section: f.section,
                kind: f.kind,
                help: f.help.to_string(),
                example: f.example.to_string(),
                allowed: f.allowed.iter().map(|s| s.to_string()).collect(),
                sent_as: Vec::new(),
                required: false,
                fixed: false,
                custom: false,
            }
        } else {
            let c = self.custom_field(key)?;
            FormField {
                key: c.key.clone(),
                label: c.label.clone(),
                section: c.section,
                kind: c.kind,
                help: c.help.clone(),
                example: c.allowed.first().cloned().unwrap_or_default(),
                allowed: c.allowed.clone(),
                sent_as: Vec::new(),
                required: false,
                fixed: false,
                custom: true,
            }
        };
        ff.sent_as = ff
            .allowed
            .iter()
            .map(|v| self.spelling(key, v).to_string())
            .collect();
        ff.required = self.is_required(key);
        ff.fixed = self.fixed.contains_key(key);
        Some(ff)
    }

    pub fn custom_field(&self, key: &str) -> Option<&CustomField> {
        self.custom_fields.iter().find(|c| c.key == key)
    }

    /// The kind of a catalogue or custom field.
    pub fn kind_of(&self, key: &str) -> Option<Kind> {
        catalogue::field(key)
            .map(|f| f.kind)
            .or_else(|| self.custom_field(key).map(|c| c.kind))
    }

    /// Canonical allowed values of a catalogue or custom field (empty when free).
    pub fn allowed(&self, key: &str) -> Vec<String> {
        match catalogue::field(key) {
            Some(f) => f.allowed.iter().map(|s| s.to_string()).collect(),
            None => self
                .custom_field(key)
                .map(|c| c.allowed.clone())
                .unwrap_or_default(),
        }
    }

    /// Whether a key is in the catalogue or is one of this profile's custom fields.
    pub fn knows(&self, key: &str) -> bool {
        catalogue::field(key).is_some() || self.custom_field(key).is_some()
    }

    /// The spelling sent on the wire for a canonical value (the value itself if unmapped).
    pub fn spelling<'a>(&'a self, key: &str, canonical: &'a str) -> &'a str {
        self.spellings
            .get(key)
            .and_then(|m| m.get(canonical))
            .map(String::as_str)
            .unwrap_or(canonical)
    }

    /// The canonical value for a wire spelling of this profile, if it is one.
    pub fn canonical(&self, key: &str, wire: &str) -> Option<&str> {
        self.spellings
            .get(key)?
            .iter()
            .find(|(_, spelled)| spelled.as_str() == wire)
            .map(|(canonical, _)| canonical.as_str())
    }

    /// The order_id rule in effect (the default one if the stored text does not parse,
    /// which a loaded profile never has).
    pub fn order_id_rule(&self) -> Pattern {
        Pattern::parse(&self.order_id_pattern).unwrap_or_default()
    }

    pub fn is_required(&self, key: &str) -> bool {
        self.required.contains(key)
    }

    /// A blank form with this profile's defaults and fixed values filled in.
    pub fn new_form(&self) -> Form {
        let mut form = Form::default();
        for (key, value) in self.defaults.iter().chain(self.fixed.iter()) {
            if key == keys::IS_PRIMARY_HOLDER {
                form.is_primary_holder = parse_bool(value);
            } else {
                form.set(key, value.clone());
            }
        }
        form
    }
}

/// "true"/"false" (any case) to a bool.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}
