//! Form + profile -> the flat JSON body Juspay expects, and back.
//!
//! The body is one flat object: keys such as `metadata.origin` are literal keys with dots;
//! `insured_member_details` is a JSON array of `{member_name, member_phone, ...}`;
//! `is_primary_holder` a JSON boolean; every other value a string.
//!
//! Import normalises every text value as a person would have typed it
//! (`session::normalise`: `+91 98765 43210` becomes `9876543210`, surrounding spaces go).
//!
//! Round trip: for a request JSON in wire format whose enum values use the profile's
//! spellings, `to_body(import(json))` equals `json` key for key and value for value. Explicitly empty
//! strings (`"customer_middle_name": ""`), numbers, objects and arrays the form does not
//! model are kept in `Form::passthrough` and sent back unchanged; a known text field sent as
//! a number or true/false is turned into text (Juspay wants strings).

use serde_json::{Map, Value};

use super::catalogue::{FIELDS, Kind, keys};
use super::entry::normalise_field;
use super::form::{Form, Member};
use super::normalise::Change;
use super::profile::{Profile, parse_bool};

/// Why a JSON document could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("a session request is a JSON object, this is {0}")]
    NotObject(&'static str),
}

/// The exact body to POST: dotted keys literal, members an array, is_primary_holder a
/// boolean, everything else strings; empty optional fields left out. Keys come in
/// catalogue order, then custom fields, then free keys, then passthrough.
pub fn to_body(form: &Form, profile: &Profile) -> Map<String, Value> {
    let mut body = Map::new();
    let known = FIELDS
        .iter()
        .map(|f| f.key)
        .chain(profile.custom_fields.iter().map(|c| c.key.as_str()));
    for key in known {
        if let Some(v) = wire_value(form, profile, key) {
            body.insert(key.to_string(), v);
        }
    }
    for key in form.values.keys() {
        if !body.contains_key(key)
            && let Some(v) = wire_value(form, profile, key)
        {
            body.insert(key.clone(), v);
        }
    }
    for (key, v) in &form.passthrough {
        if !body.contains_key(key) {
            body.insert(key.clone(), v.clone());
        }
    }
    body
}

/// `to_body` as pretty-printed JSON text.
pub fn to_body_string(form: &Form, profile: &Profile) -> String {
    serde_json::to_string_pretty(&Value::Object(to_body(form, profile))).unwrap_or_default()
}

/// The wire value of one key, or `None` when it is left out.
fn wire_value(form: &Form, profile: &Profile, key: &str) -> Option<Value> {
    if key == keys::INSURED_MEMBER_DETAILS && !form.members.is_empty() {
        return Some(Value::Array(
            form.members.iter().map(member_to_json).collect(),
        ));
    }
    if key == keys::IS_PRIMARY_HOLDER {
        let flag = form.is_primary_holder.or_else(|| {
            let text = profile
                .fixed
                .get(key)
                .map(String::as_str)
                .unwrap_or(form.get(key));
            parse_bool(text)
        });
        if let Some(b) = flag {
            return Some(Value::Bool(b));
        }
    }
    let value = profile
        .fixed
        .get(key)
        .map(String::as_str)
        .unwrap_or_else(|| form.get(key));
    if !value.is_empty() {
        return Some(Value::String(profile.spelling(key, value).to_string()));
    }
    form.passthrough.get(key).cloned()
}

fn member_to_json(m: &Member) -> Value {
    let mut obj = Map::new();
    obj.insert(
        keys::MEMBER_NAME.into(),
        Value::String(m.member_name.clone()),
    );
    obj.insert(
        keys::MEMBER_PHONE.into(),
        Value::String(m.member_phone.clone()),
    );
    for (k, v) in &m.extra {
        if !obj.contains_key(k) {
            obj.insert(k.clone(), v.clone());
        }
    }
    Value::Object(obj)
}

/// A request JSON (sample or pasted) into a form, losing no key.
///
/// - a non-empty string goes into `values`, normalised (`session::normalise`; a profile
///   spelling becomes its canonical value); a value normalisation refuses is kept as it is,
///   for validation to report;
/// - `insured_member_details` as an array of `{member_name: text, member_phone: text, ...}`
///   goes into `members`; any other shape is kept in `passthrough` for validation to report;
/// - `is_primary_holder` as `true`/`false` (or the text "true"/"false") goes into
///   `is_primary_holder`;
/// - a number or true/false under a known text field becomes text;
/// - everything else (empty strings, null, objects, arrays, numbers under unknown keys)
///   is kept verbatim in `passthrough`.
pub fn import(value: &Value, profile: &Profile) -> Result<Form, ImportError> {
    import_with_changes(value, profile).map(|(form, _)| form)
}

/// [`import`], also returning each value normalisation changed (for `validate --strict`).
pub fn import_with_changes(
    value: &Value,
    profile: &Profile,
) -> Result<(Form, Vec<Change>), ImportError> {
    let obj = match value {
        Value::Object(obj) => obj,
        Value::Null => return Err(ImportError::NotObject("null")),
        Value::Bool(_) => return Err(ImportError::NotObject("true/false")),
        Value::Number(_) => return Err(ImportError::NotObject("a number")),
        Value::String(_) => return Err(ImportError::NotObject("text")),
        Value::Array(_) => return Err(ImportError::NotObject("a list")),
    };
    let mut form = Form::default();
    let changes = obj
        .iter()
        .filter_map(|(key, v)| import_entry(&mut form, key, v, profile))
        .collect();
    Ok((form, changes))
}

/// Puts one key of a request JSON into the form (the rules of [`import`]); returns the
/// change when normalisation changed the value.
fn import_entry(form: &mut Form, key: &str, v: &Value, profile: &Profile) -> Option<Change> {
    if key == keys::INSURED_MEMBER_DETAILS
        && let Some(members) = members_from_json(v)
    {
        form.members = members;
        return None;
    }
    if key == keys::IS_PRIMARY_HOLDER {
        let flag = match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) => parse_bool(s),
            _ => None,
        };
        if flag.is_some() {
            form.is_primary_holder = flag;
            return None;
        }
    }
    let is_text_field = profile.kind_of(key).is_some_and(|k| k != Kind::MemberList)
        && key != keys::IS_PRIMARY_HOLDER;
    match v {
        Value::String(s) if !s.is_empty() && key != keys::INSURED_MEMBER_DETAILS => {
            // The profile's wire spelling of an enum value is its canonical value, no change.
            let typed = profile.canonical(key, s).unwrap_or(s);
            let normalised = normalise_field(key, typed, profile, None)
                .ok()
                .filter(|n| !n.value.is_empty());
            let Some(n) = normalised else {
                form.values.insert(key.to_string(), typed.to_string());
                return None;
            };
            form.values.insert(key.to_string(), n.value.clone());
            return n.changed.then(|| Change {
                key: key.to_string(),
                from: s.clone(),
                to: n.value,
            });
        }
        Value::Number(n) if is_text_field => {
            form.values.insert(key.to_string(), n.to_string());
        }
        Value::Bool(b) if is_text_field => {
            form.values.insert(key.to_string(), b.to_string());
        }
        other => {
            form.passthrough.insert(key.to_string(), other.clone());
        }
    }
    None
}

/// Sets one field from text typed by a person (`paydesk create --set key=value`, a pasted
/// value), replacing whatever the form held for that key; empty text unsets it. Follows
/// the rules of [`import`]: a profile spelling becomes its canonical value,
/// `is_primary_holder` takes `true`/`false`, and `insured_member_details` takes a JSON
/// array such as `[{"member_name":"Ravi","member_phone":"9876543210"}]`. Text is
/// normalised (`45,999.50` becomes `45999.50`, returned as the change); text that fits none
/// of these is kept for validation to report.
pub fn set_from_text(form: &mut Form, key: &str, text: &str, profile: &Profile) -> Option<Change> {
    form.clear(key);
    if text.is_empty() {
        return None;
    }
    let value = if key == keys::INSURED_MEMBER_DETAILS {
        serde_json::from_str::<Value>(text)
            .ok()
            .filter(Value::is_array)
            .unwrap_or_else(|| Value::String(text.to_string()))
    } else {
        Value::String(text.to_string())
    };
    import_entry(form, key, &value, profile)
}

/// Members when every element has exactly the shape we model; `None` otherwise.
fn members_from_json(v: &Value) -> Option<Vec<Member>> {
    let items = v.as_array()?;
    if items.is_empty() {
        return None;
    }
    items
        .iter()
        .map(|item| {
            let obj = item.as_object()?;
            let name = obj.get(keys::MEMBER_NAME)?.as_str()?.to_string();
            let phone = obj.get(keys::MEMBER_PHONE)?.as_str()?.to_string();
            let extra: Map<String, Value> = obj
                .iter()
                .filter(|(k, _)| *k != keys::MEMBER_NAME && *k != keys::MEMBER_PHONE)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Some(Member {
                member_name: name,
                member_phone: phone,
                extra,
            })
        })
        .collect()
}

/// `import` from text.
pub fn import_str(text: &str, profile: &Profile) -> Result<Form, ImportError> {
    import_str_with_changes(text, profile).map(|(form, _)| form)
}

/// `import_with_changes` from text.
pub fn import_str_with_changes(
    text: &str,
    profile: &Profile,
) -> Result<(Form, Vec<Change>), ImportError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    import_with_changes(&value, profile)
}
