//! Reading lender profile files: TOML with line-numbered errors, the built-ins compiled in,
//! the user's directory, and the set of profiles by name. Values in `defaults` and `fixed`
//! are checked with the same rules as the form (`validate::check_field`), which is why this
//! lives apart from the `Profile` type that `validate` itself uses.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{CustomField, MAX_AMOUNT_DECIMALS, Profile, ProfileSource, RefundPolicy};
use crate::session::catalogue::{self, FIELDS, Kind, Section};
use crate::session::normalise::normalise_kind;
use crate::session::order_id::{DEFAULT_PATTERN, Pattern};
use crate::session::{suggest, validate};

impl Profile {
    /// Parses one profile file. `source` names the file in errors.
    pub fn from_toml(text: &str, source: ProfileSource) -> Result<Profile, ProfileError> {
        // Some editors save a byte-order mark, which TOML does not allow.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let path = match &source {
            ProfileSource::BuiltIn => PathBuf::from("<built-in profile>"),
            ProfileSource::File(p) => p.clone(),
        };
        let err = |span: Option<Range<usize>>, message: String| ProfileError {
            path: path.clone(),
            line: span.map(|s| line_of(text, s.start)),
            message,
        };
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let mut message = e.message().trim().to_string();
            if let Some(hint) = unknown_top_level_hint(&message) {
                message.push_str(&hint);
            }
            err(e.span(), message)
        })?;
        build(raw, source, &path).map_err(|(span, message)| err(span, message))
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let upto = text.get(..offset.min(text.len())).unwrap_or(text);
    upto.matches('\n').count() + 1
}

const TOP_LEVEL_KEYS: [&str; 13] = [
    "name",
    "description",
    "tabs",
    "required",
    "fields",
    "choices",
    "order_id_pattern",
    "refunds",
    "amount_decimals",
    "defaults",
    "fixed",
    "spellings",
    "custom_fields",
];

const CUSTOM_FIELD_KEYS: [&str; 7] = [
    "key", "label", "kind", "section", "help", "required", "allowed",
];

/// Adds "did you mean" to toml's "unknown field `x`, expected one of …".
fn unknown_top_level_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (word, _) = rest.split_once('`')?;
    let hint = suggest::hint(word, TOP_LEVEL_KEYS.into_iter().chain(CUSTOM_FIELD_KEYS));
    (!hint.is_empty()).then_some(hint)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
    tabs: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    required: Vec<Spanned<String>>,
    order_id_pattern: Option<Spanned<String>>,
    refunds: Option<Spanned<String>>,
    amount_decimals: Option<Spanned<i64>>,
    #[serde(default)]
    defaults: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    fixed: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    spellings: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    custom_fields: Vec<Spanned<RawCustomField>>,
    #[serde(default)]
    fields: Vec<Spanned<String>>,
    #[serde(default)]
    choices: BTreeMap<Spanned<String>, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustomField {
    key: Spanned<String>,
    label: Option<String>,
    kind: Option<Spanned<String>>,
    section: Option<Spanned<String>>,
    #[serde(default)]
    help: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    allowed: Vec<String>,
}

type BuildError = (Option<Range<usize>>, String);

fn at<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

/// Turns the parsed file into a checked profile; the first problem wins.
fn build(raw: RawProfile, source: ProfileSource, path: &Path) -> Result<Profile, BuildError> {
    let name = match &raw.name {
        Some(n) => {
            let v = n.get_ref().trim();
            if v.is_empty()
                || !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err((
                    at(n),
                    format!(
                        "the profile name {v:?} may use only letters, digits, - and _ (it is \
                         typed after --profile)"
                    ),
                ));
            }
            v.to_string()
        }
        None => {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if stem.is_empty() {
                return Err((
                    None,
                    "the profile has no name; add name = \"...\"".to_string(),
                ));
            }
            stem.to_string()
        }
    };

    let tabs = match &raw.tabs {
        None => Section::ALL.to_vec(),
        Some(list) => {
            let mut tabs = BTreeSet::new();
            for t in list {
                let id = t.get_ref().trim();
                let section = Section::from_id(id).ok_or_else(|| {
                    (
                        at(t),
                        format!(
                            "unknown tab {id:?}{} (tabs: order, customer, policy, education, \
                             travel, extras)",
                            suggest::hint(id, Section::ALL.map(Section::id))
                        ),
                    )
                })?;
                tabs.insert(section);
            }
            if tabs.is_empty() {
                return Err((None, "tabs is empty; list at least \"order\"".to_string()));
            }
            tabs.into_iter().collect::<Vec<_>>()
        }
    };

    let order_id_pattern = match &raw.order_id_pattern {
        None => DEFAULT_PATTERN.to_string(),
        Some(p) => {
            Pattern::parse(p.get_ref()).map_err(|e| (at(p), format!("order_id_pattern: {e}")))?;
            p.get_ref().trim().to_string()
        }
    };

    let amount_decimals = match &raw.amount_decimals {
        None => None,
        Some(d) => Some(
            u8::try_from(*d.get_ref())
                .ok()
                .filter(|d| *d <= MAX_AMOUNT_DECIMALS)
                .ok_or_else(|| {
                    (
                        at(d),
                        format!(
                            "amount_decimals = {} is not 0, 1 or 2 (Juspay takes rupees with                              at most two decimals)",
                            d.get_ref()
                        ),
                    )
                })?,
        ),
    };

    let refunds = match &raw.refunds {
        None => RefundPolicy::default(),
        Some(r) => {
            let id = r.get_ref();
            RefundPolicy::from_id(id).ok_or_else(|| {
                let ids = RefundPolicy::ALL.map(RefundPolicy::id);
                (
                    at(r),
                    format!(
                        "refunds = {id:?} is not a refund policy{} (choose one of: {})",
                        suggest::hint(id.trim(), ids),
                        ids.join(", ")
                    ),
                )
            })?
        }
    };

    // Custom fields first: the other tables may refer to them.
    let mut custom_fields: Vec<CustomField> = Vec::new();
    for spanned in &raw.custom_fields {
        let c = spanned.get_ref();
        let key = c.key.get_ref().trim().to_string();
        if key.is_empty() || key.chars().any(|ch| ch.is_control() || ch.is_whitespace()) {
            return Err((
                at(&c.key),
                format!("custom field key {key:?} must be a non-empty key without spaces"),
            ));
        }
        if catalogue::field(&key).is_some() {
            return Err((
                at(&c.key),
                format!(
                    "{key:?} is already a known field; use required/defaults/fixed for it \
                     instead of declaring it again"
                ),
            ));
        }
        if custom_fields.iter().any(|o| o.key == key) {
            return Err((
                at(&c.key),
                format!("custom field {key:?} is declared twice"),
            ));
        }
        let kind = match &c.kind {
            None if !c.allowed.is_empty() => Kind::Enum,
            None => Kind::Text,
            Some(k) => {
                let id = k.get_ref().trim();
                let kind = Kind::from_id(id).ok_or_else(|| {
                    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.id()).collect();
                    (
                        at(k),
                        format!(
                            "unknown kind {id:?}{} (kinds: {})",
                            suggest::hint(id, names.iter().copied()),
                            names.join(", ")
                        ),
                    )
                })?;
                if kind == Kind::MemberList {
                    return Err((
                        at(k),
                        "only insured_member_details can be a member list".to_string(),
                    ));
                }
                kind
            }
        };
        if kind == Kind::Enum && c.allowed.is_empty() {
            return Err((
                at(spanned),
                format!("custom field {key:?} is an enum; list its values in allowed = [...]"),
            ));
        }
        if kind != Kind::Enum && kind != Kind::Currency && !c.allowed.is_empty() {
            return Err((
                at(spanned),
                format!("custom field {key:?} has allowed values, so its kind must be \"enum\""),
            ));
        }
        let section = match &c.section {
            None => Section::Extras,
            Some(s) => {
                let id = s.get_ref().trim();
                Section::from_id(id).ok_or_else(|| {
                    (
                        at(s),
                        format!(
                            "unknown section {id:?}{}",
                            suggest::hint(id, Section::ALL.map(Section::id))
                        ),
                    )
                })?
            }
        };
        custom_fields.push(CustomField {
            label: c
                .label
                .clone()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| key.clone()),
            key,
            section,
            kind,
            help: c.help.clone(),
            required: c.required,
            allowed: c.allowed.clone(),
        });
    }

    let custom_keys: Vec<String> = custom_fields.iter().map(|c| c.key.clone()).collect();
    let known = |key: &Spanned<String>, table: &str| -> Result<String, BuildError> {
        let k = key.get_ref();
        if catalogue::field(k).is_some() || custom_keys.contains(k) {
            return Ok(k.clone());
        }
        let candidates = FIELDS
            .iter()
            .map(|f| f.key)
            .chain(custom_keys.iter().map(String::as_str));
        let hint = suggest::hint(k, candidates);
        let advice = if hint.is_empty() {
            "; `paydesk fields` lists every key, and [[custom_fields]] declares a new one"
        } else {
            ""
        };
        Err((
            at(key),
            format!("unknown field key {k:?} in {table}{hint}{advice}"),
        ))
    };

    let mut required = BTreeSet::new();
    for key in &raw.required {
        required.insert(known(key, "required")?);
    }
    for c in &custom_fields {
        if c.required {
            required.insert(c.key.clone());
        }
    }

    let mut fields = Vec::new();
    for key in &raw.fields {
        let k = known(key, "fields")?;
        if !fields.contains(&k) {
            fields.push(k);
        }
    }
    let mut choices = BTreeMap::new();
    for (key, values) in &raw.choices {
        let k = known(key, "choices")?;
        if catalogue::field(&k).is_none_or(|f| f.kind != Kind::Text) {
            return Err((
                at(key),
                format!("choices are for text fields; {k} is not one (enums list `allowed`)"),
            ));
        }
        let values: Vec<String> = values
            .iter()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        choices.insert(k, values);
    }

    let mut spellings: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (key, map) in &raw.spellings {
        let k = known(key, "spellings")?;
        let allowed: Vec<String> = match catalogue::field(&k) {
            Some(f) if f.kind == Kind::Enum => f.allowed.iter().map(|s| s.to_string()).collect(),
            Some(_) => Vec::new(),
            None => custom_fields
                .iter()
                .find(|c| c.key == k && c.kind == Kind::Enum)
                .map(|c| c.allowed.clone())
                .unwrap_or_default(),
        };
        if allowed.is_empty() {
            return Err((
                at(key),
                format!("{k:?} has no fixed list of values, so it has no spellings"),
            ));
        }
        let mut entries: Vec<(&Spanned<String>, &Spanned<String>)> = map.iter().collect();
        entries.sort_by_key(|(c, _)| c.span().start);
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for (canonical, wire) in entries {
            let c = canonical.get_ref();
            if !allowed.contains(c) {
                return Err((
                    at(canonical),
                    format!(
                        "{c:?} is not a value of {k}{} (its values: {})",
                        suggest::hint(c, allowed.iter().map(String::as_str)),
                        allowed.join(", ")
                    ),
                ));
            }
            let w = wire.get_ref();
            if w.trim().is_empty() || w.chars().any(char::is_control) {
                return Err((
                    at(wire),
                    format!("the spelling of {c} for {k} is empty or has control characters"),
                ));
            }
            if allowed.iter().any(|a| a == w && a != c) {
                return Err((
                    at(wire),
                    format!("{w:?} is itself a value of {k}; spell {c} differently"),
                ));
            }
            if let Some((other, _)) = out.iter().find(|(_, spelled)| *spelled == w) {
                return Err((
                    at(wire),
                    format!("{other} and {c} of {k} are both spelled {w:?}"),
                ));
            }
            out.insert(c.clone(), w.clone());
        }
        spellings.insert(k, out);
    }

    let mut profile = Profile {
        name,
        description: raw.description.trim().to_string(),
        tabs,
        required,
        defaults: BTreeMap::new(),
        fixed: BTreeMap::new(),
        spellings,
        order_id_pattern,
        custom_fields,
        refunds,
        amount_decimals,
        fields,
        choices,
        source,
    };

    for (table, raw_map) in [("defaults", &raw.defaults), ("fixed", &raw.fixed)] {
        let mut entries: Vec<_> = raw_map.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            let k = known(key, table)?;
            let text = match value.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                _ => {
                    return Err((
                        at(value),
                        format!("the value of {k} in {table} must be text"),
                    ));
                }
            };
            let kind = profile.kind_of(&k);
            if kind == Some(Kind::MemberList) {
                return Err((at(key), format!("{k} cannot be set in {table}")));
            }
            // Kept as it will be sent (the normaliser the desk, `--set` and import use), so
            // a fresh form goes out and comes back unchanged; a refused value stays as
            // written for `check_field` to report.
            let text = normalise_kind(kind.unwrap_or(Kind::Text), &text)
                .map(|n| n.value)
                .unwrap_or(text);
            if let Some(problem) = validate::check_field(&k, &text, &profile) {
                return Err((at(value), format!("{table}.{k} = {text:?}: {problem}")));
            }
            out.insert(k, text);
        }
        if table == "defaults" {
            profile.defaults = out;
        } else {
            profile.fixed = out;
        }
    }

    // A required field must be fillable: on a visible tab or fixed by the profile.
    for key in &profile.required {
        let section = catalogue::field(key)
            .map(|f| f.section)
            .or_else(|| profile.custom_field(key).map(|c| c.section));
        if let Some(section) = section
            && !profile.tabs.contains(&section)
            && !profile.fixed.contains_key(key)
        {
            let span = raw
                .required
                .iter()
                .find(|r| r.get_ref() == key)
                .and_then(at);
            return Err((
                span,
                format!(
                    "{key} is required but its tab {:?} is not in tabs; add it to tabs",
                    section.id()
                ),
            ));
        }
    }
    Ok(profile)
}

/// A profile file that could not be used, with its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ProfileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

/// The built-in profile files, compiled in.
pub const BUILTIN_FILES: [(&str, &str); 4] = [
    (
        "generic.toml",
        include_str!("../../../assets/profiles/generic.toml"),
    ),
    (
        "insurance.toml",
        include_str!("../../../assets/profiles/insurance.toml"),
    ),
    (
        "education.toml",
        include_str!("../../../assets/profiles/education.toml"),
    ),
    (
        "travel.toml",
        include_str!("../../../assets/profiles/travel.toml"),
    ),
];

/// Built-in profiles plus the user's, by name.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    pub profiles: Vec<Profile>,
}

impl ProfileSet {
    /// The four built-ins compiled into the binary.
    pub fn builtin() -> ProfileSet {
        let profiles = BUILTIN_FILES
            .iter()
            // The built-ins are checked by tests; a broken one would be skipped, not fatal.
            .filter_map(|(_, text)| Profile::from_toml(text, ProfileSource::BuiltIn).ok())
            .collect();
        ProfileSet { profiles }
    }

    /// Built-ins, then every `*.toml` in `user_dir` (adds new ones, replaces a built-in
    /// of the same name). Broken files are skipped and reported. A missing directory is
    /// not a problem.
    pub fn load(user_dir: Option<&Path>) -> (ProfileSet, Vec<ProfileError>) {
        let mut set = ProfileSet::builtin();
        let mut errors = Vec::new();
        let Some(dir) = user_dir else {
            return (set, errors);
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (set, errors),
            Err(e) => {
                errors.push(ProfileError {
                    path: dir.to_path_buf(),
                    line: None,
                    message: format!("cannot read the profiles directory: {e}"),
                });
                return (set, errors);
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.is_dir())
            .collect();
        files.sort();
        let mut from_user: BTreeMap<String, PathBuf> = BTreeMap::new();
        for path in files {
            let text = match crate::files::read_text(&path) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(ProfileError {
                        path: path.clone(),
                        line: None,
                        message: format!("cannot read this profile: {e}"),
                    });
                    continue;
                }
            };
            match Profile::from_toml(&text, ProfileSource::File(path.clone())) {
                Ok(profile) => {
                    if let Some(first) = from_user.get(&profile.name) {
                        errors.push(ProfileError {
                            path: path.clone(),
                            line: None,
                            message: format!(
                                "profile {:?} is already defined in {}; rename one of them",
                                profile.name,
                                first.display()
                            ),
                        });
                        continue;
                    }
                    from_user.insert(profile.name.clone(), path.clone());
                    set.insert(profile);
                }
                Err(e) => errors.push(e),
            }
        }
        (set, errors)
    }

    /// Adds a profile, replacing one of the same name in place.
    pub fn insert(&mut self, profile: Profile) {
        match self.profiles.iter_mut().find(|p| p.name == profile.name) {
            Some(slot) => *slot = profile,
            None => self.profiles.push(profile),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.profiles.iter().map(|p| p.name.as_str()).collect()
    }

    /// The profile, or a message naming the known ones (with a "did you mean").
    pub fn get_or_explain(&self, name: &str) -> Result<&Profile, String> {
        self.get(name).ok_or_else(|| {
            let names = self.names();
            format!(
                "no lender profile named {name:?}{} Known profiles: {}.",
                suggest::hint(name, names.iter().copied()),
                names.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::catalogue::keys;
    use crate::session::profile::CORE_REQUIRED;

    fn parse(text: &str) -> Result<Profile, ProfileError> {
        Profile::from_toml(text, ProfileSource::File(PathBuf::from("p/acme.toml")))
    }

    #[test]
    fn builtins_all_load() {
        for (file, text) in BUILTIN_FILES {
            let p = Profile::from_toml(text, ProfileSource::BuiltIn);
            assert!(p.is_ok(), "{file}: {p:?}");
        }
        let set = ProfileSet::builtin();
        assert_eq!(set.names(), ["generic", "insurance", "education", "travel"]);
        for p in &set.profiles {
            for key in CORE_REQUIRED {
                assert!(p.is_required(key), "{} misses {key}", p.name);
            }
            assert_eq!(
                p.fixed.get(keys::ACTION).map(String::as_str),
                Some("paymentPage")
            );
            let form = p.new_form();
            assert_eq!(form.get(keys::CURRENCY), "INR");
            assert_eq!(form.get(keys::ACTION), "paymentPage");
        }
    }

    #[test]
    fn builtins_choose_their_refund_policy() {
        let set = ProfileSet::builtin();
        let policies: Vec<(&str, RefundPolicy)> = set
            .profiles
            .iter()
            .map(|p| (p.name.as_str(), p.refunds))
            .collect();
        assert_eq!(
            policies,
            [
                ("generic", RefundPolicy::Any),
                ("insurance", RefundPolicy::Full),
                ("education", RefundPolicy::Any),
                ("travel", RefundPolicy::Full),
            ]
        );
    }

    #[test]
    fn amount_decimals_are_read_and_checked() {
        let decimals = |text: &str| {
            parse(text)
                .map(|p| p.amount_decimals)
                .map_err(|e| e.message)
        };
        assert_eq!(decimals(""), Ok(None));
        assert_eq!(decimals("amount_decimals = 2"), Ok(Some(2)));
        assert_eq!(decimals("amount_decimals = 0"), Ok(Some(0)));
        for bad in ["amount_decimals = 3", "amount_decimals = -1"] {
            assert!(
                decimals(bad).is_err_and(|m| m.contains("not 0, 1 or 2")),
                "{bad}"
            );
        }
        assert!(decimals("amount_decimals = \"2\"").is_err());
        let built_in: Vec<Option<u8>> = ProfileSet::builtin()
            .profiles
            .iter()
            .map(|p| p.amount_decimals)
            .collect();
        assert_eq!(built_in, [Some(2); 4]);
    }

    #[test]
    fn refund_policy_is_read_and_checked() {
        let policy = |text: &str| parse(text).map(|p| p.refunds).map_err(|e| e.message);
        assert_eq!(policy(""), Ok(RefundPolicy::Any));
        assert_eq!(policy("refunds = \"none\""), Ok(RefundPolicy::None));
        assert_eq!(policy("refunds = \"full\""), Ok(RefundPolicy::Full));
        let bad = policy("refunds = \"ful\"").unwrap_err();
        assert!(bad.contains("did you mean \"full\""), "{bad}");
        assert!(policy("refunds = true").is_err());

        let order = 500_000;
        assert!(RefundPolicy::Any.check("p", Some(1), order, 10).is_ok());
        assert!(RefundPolicy::None.check("p", None, order, 0).is_err());
        assert!(RefundPolicy::Full.check("p", None, order, 0).is_ok());
        assert!(RefundPolicy::Full.check("p", Some(order), order, 0).is_ok());
        let partial = RefundPolicy::Full.check("travel", Some(order - 1), order, 0);
        assert!(partial.is_err_and(|m| m.contains("\"travel\"")));
        assert!(RefundPolicy::Full.check("p", None, order, 1).is_err());
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        assert!(parse("\u{feff}name = \"acme\"\n").is_ok());
    }

    #[test]
    fn minimal_profile_takes_its_name_from_the_file() {
        let p = parse("").map_err(|e| e.to_string());
        let p = p
            .as_ref()
            .map(|p| (p.name.as_str(), p.tabs.len(), p.order_id_pattern.as_str()));
        assert_eq!(p, Ok(("acme", 6, DEFAULT_PATTERN)));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("name = \"acme\"\n\nrequired = [\"order_id\",\n  \"custmer_email\"]\n");
        let e = e.err().map(|e| (e.line, e.message));
        let Some((line, message)) = e else {
            panic!("expected an error")
        };
        assert_eq!(line, Some(4));
        assert!(
            message.contains("did you mean \"customer_email\""),
            "{message}"
        );
    }

    #[test]
    fn defaults_are_kept_as_they_will_be_sent() {
        let text = r#"
name = "acme"
[defaults]
customer_first_name = "Asha "
amount = "45,999.50"
"#;
        let p = parse(text);
        assert!(p.is_ok(), "{p:?}");
        let Ok(p) = p else { return };
        let form = p.new_form();
        assert_eq!(form.get("customer_first_name"), "Asha");
        assert_eq!(form.get("amount"), "45999.50");
    }

    #[test]
    fn custom_fields_can_be_required_and_have_defaults() {
        let text = r#"
name = "acme"
tabs = ["order", "extras"]
required = ["order_id"]
[defaults]
"metadata.acme_branch" = "BLR01"
[spellings."metadata.acme_tier"]
GOLD = "gold"
[[custom_fields]]
key = "metadata.acme_branch"
label = "Branch"
required = true
[[custom_fields]]
key = "metadata.acme_tier"
allowed = ["GOLD", "SILVER"]
"#;
        let p = parse(text);
        assert!(p.is_ok(), "{p:?}");
        let Ok(p) = p else { return };
        assert!(p.is_required("metadata.acme_branch"));
        assert_eq!(p.new_form().get("metadata.acme_branch"), "BLR01");
        assert_eq!(p.spelling("metadata.acme_tier", "GOLD"), "gold");
        assert_eq!(p.canonical("metadata.acme_tier", "gold"), Some("GOLD"));
        let keys: Vec<String> = p
            .tab_fields(Section::Extras)
            .into_iter()
            .map(|f| f.key)
            .collect();
        assert!(keys.ends_with(&["metadata.acme_branch".into(), "metadata.acme_tier".into()]));
        let tier = p.form_field("metadata.acme_tier");
        assert_eq!(
            tier.map(|f| (f.kind, f.sent_as)),
            Some((Kind::Enum, vec!["gold".into(), "SILVER".into()]))
        );
    }

    #[test]
    fn semantic_mistakes_are_errors() {
        let cases = [
            (
                "tabs = [\"order\", \"custmer\"]",
                "did you mean \"customer\"",
            ),
            ("name = \"a b\"", "only letters"),
            ("order_id_pattern = \"[A-Z]{0,3}\"", "order_id_pattern"),
            ("[defaults]\ncurrency = \"dollars\"", "defaults.currency"),
            ("[fixed]\naction = \"pay\"", "fixed.action"),
            (
                "[spellings.customer_gender]\nmale = \"m\"",
                "did you mean \"Male\"",
            ),
            (
                "[spellings.customer_gender]\nMale = \"Female\"",
                "itself a value",
            ),
            (
                "[spellings.customer_gender]\nMale = \"x\"\nFemale = \"x\"",
                "both spelled",
            ),
            ("[spellings.amount]\nX = \"y\"", "no fixed list"),
            (
                "tabs = [\"order\"]\nrequired = [\"customer_email\"]",
                "not in tabs",
            ),
            (
                "[[custom_fields]]\nkey = \"amount\"",
                "already a known field",
            ),
            (
                "[[custom_fields]]\nkey = \"x\"\nkind = \"emial\"",
                "did you mean \"email\"",
            ),
            ("[[custom_fields]]\nkey = \"x\"\nkind = \"enum\"", "allowed"),
            (
                "[[custom_fields]]\nkey = \"x\"\nkind = \"member_list\"",
                "member list",
            ),
            ("requird = []", "did you mean \"required\""),
            ("name = ", ""),
        ];
        for (text, needle) in cases {
            match parse(text) {
                Ok(_) => panic!("{text:?} should be an error"),
                Err(e) => {
                    assert!(e.message.contains(needle), "{text:?}: {}", e.message);
                    assert!(e.line.is_some(), "{text:?}: no line in {e}");
                }
            }
        }
    }
}
