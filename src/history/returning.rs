//! Returning customers: the details a customer gave on their last order, found by mobile
//! number or email through the history's indexes (`schema::V5`), so the desk can offer
//! them when a known number or address is typed.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use crate::session::catalogue::{self, Section, keys};

/// How a customer is looked up: by the wire value the desk holds (a 10-digit mobile
/// number, or an email address, compared without regard to case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerKey {
    Phone(String),
    Email(String),
}

/// What the history knows of a customer from their newest order that was not rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturningCustomer {
    /// The order the details come from.
    pub order_id: String,
    /// When that order was created (RFC 3339, UTC).
    pub created_at: String,
    /// Customer-tab fields, `customer_id` included (wire key → value as sent); empty
    /// values left out.
    pub details: BTreeMap<String, String>,
}

impl ReturningCustomer {
    /// One line for the desk's suggestion: name, email, date of birth, city and PIN,
    /// employment; absent parts left out. Not sanitised: the desk passes it through
    /// `text::sanitize_line` like any stored text.
    pub fn summary(&self) -> String {
        let get = |k: &str| self.details.get(k).map(String::as_str).unwrap_or("");
        let name = [
            keys::CUSTOMER_FIRST_NAME,
            keys::CUSTOMER_MIDDLE_NAME,
            keys::CUSTOMER_LAST_NAME,
        ]
        .iter()
        .map(|k| get(k))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        let dob = get(keys::CUSTOMER_DOB);
        let born = (!dob.is_empty()).then(|| format!("born {dob}"));
        let parts = [
            Some(name),
            Some(get(keys::CUSTOMER_EMAIL).to_string()),
            born,
            Some(get("customer_city").to_string()),
            Some(get(keys::CUSTOMER_PINCODE).to_string()),
            Some(get(keys::CUSTOMER_EMPLOYMENT_TYPE).to_string()),
        ];
        parts
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

const BY_PHONE: &str = "SELECT order_id, created_at, request_body FROM orders \
     WHERE customer_phone = ?1 AND outcome <> 'rejected' ORDER BY id DESC LIMIT 1";
const BY_EMAIL: &str = "SELECT order_id, created_at, request_body FROM orders \
     WHERE customer_email = ?1 COLLATE NOCASE AND outcome <> 'rejected' \
     ORDER BY id DESC LIMIT 1";

/// The SQL a lookup runs (for the query-plan test).
pub fn lookup_sql(key: &CustomerKey) -> &'static str {
    match key {
        CustomerKey::Phone(_) => BY_PHONE,
        CustomerKey::Email(_) => BY_EMAIL,
    }
}

/// The newest non-rejected order of this customer, with its customer details.
pub(super) fn last_details(
    conn: &Connection,
    key: &CustomerKey,
) -> rusqlite::Result<Option<ReturningCustomer>> {
    let value = match key {
        CustomerKey::Phone(v) | CustomerKey::Email(v) => v.trim(),
    };
    if value.is_empty() {
        return Ok(None);
    }
    conn.prepare_cached(lookup_sql(key))?
        .query_row([value], |row| {
            let body: String = row.get(2)?;
            Ok(ReturningCustomer {
                order_id: row.get(0)?,
                created_at: row.get(1)?,
                details: customer_details(&body),
            })
        })
        .optional()
}

/// Customer-tab text values of a stored request body (a body that is not a JSON object
/// gives none).
pub(crate) fn customer_details(body: &str) -> BTreeMap<String, String> {
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) else {
        return BTreeMap::new();
    };
    catalogue::fields_in(Section::Customer)
        .map(|f| f.key)
        .filter_map(|k| text(&obj, k).map(|v| (k.to_string(), v)))
        .collect()
}

fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}
