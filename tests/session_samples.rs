//! The four published samples: each round-trips exactly through import -> to_body (the
//! amount in its profile's two-decimal format) and validates under its own profile with
//! no problems.

use paydesk::session::wire::{import, import_str, to_body};
use paydesk::session::{ProfileSet, keys, validate};
use serde_json::Value;

const SAMPLES: [(&str, &str); 4] = [
    ("generic", include_str!("../assets/samples/generic.json")),
    (
        "insurance",
        include_str!("../assets/samples/insurance.json"),
    ),
    (
        "education",
        include_str!("../assets/samples/education.json"),
    ),
    ("travel", include_str!("../assets/samples/travel.json")),
];

fn parse(text: &str) -> serde_json::Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(obj)) => obj,
        other => panic!("sample is not a JSON object: {other:?}"),
    }
}

#[test]
fn samples_round_trip_exactly() {
    let set = ProfileSet::builtin();
    for (name, text) in SAMPLES {
        let profile = set.get(name).unwrap_or_else(|| panic!("no profile {name}"));
        let sample = parse(text);
        let form = import(&Value::Object(sample.clone()), profile)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let body = to_body(&form, profile);
        assert_eq!(body.len(), sample.len(), "{name}: key count");
        // The samples are Juspay's, verbatim ("30500", "5000.0"); every built-in profile
        // sends amounts with two decimals (`amount_decimals = 2`), all else unchanged.
        let mut want_body = sample.clone();
        if let Some(Value::String(amount)) = want_body.get_mut(keys::AMOUNT) {
            let (whole, fraction) = amount.split_once('.').unwrap_or((amount.as_str(), ""));
            *amount = format!("{whole}.{fraction:0<2}");
        }
        assert_eq!(profile.amount_decimals, Some(2), "{name}");
        for (key, want) in &want_body {
            assert_eq!(body.get(key), Some(want), "{name}: {key}");
        }
        assert_eq!(body, want_body, "{name}");
    }
}

#[test]
fn samples_validate_under_their_profiles() {
    let set = ProfileSet::builtin();
    for (name, text) in SAMPLES {
        let profile = set.get(name).unwrap_or_else(|| panic!("no profile {name}"));
        let form = import_str(text, profile).unwrap_or_else(|e| panic!("{name}: {e}"));
        let problems = validate(&form, profile);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

#[test]
fn samples_use_canonical_values_in_the_form_and_the_profile_spelling_on_the_wire() {
    let set = ProfileSet::builtin();
    let Some(education) = set.get("education") else {
        panic!("no education profile")
    };
    let form = import_str(SAMPLES[2].1, education).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(form.get(keys::CUSTOMER_GENDER), "Male");
    assert_eq!(form.get(keys::CUSTOMER_MARITAL_STATUS), "Single");
    assert_eq!(form.get(keys::CUSTOMER_EMPLOYMENT_TYPE), "SALARIED");
    let body = to_body(&form, education);
    assert_eq!(body.get(keys::CUSTOMER_GENDER), Some(&Value::from("male")));

    let Some(insurance) = set.get("insurance") else {
        panic!("no insurance profile")
    };
    let form = import_str(SAMPLES[1].1, insurance).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(form.members.len(), 1);
    assert_eq!(form.is_primary_holder, Some(true));
    assert_eq!(form.get(keys::CUSTOMER_EMPLOYMENT_TYPE), "SELF_EMPLOYED");
    let body = to_body(&form, insurance);
    assert_eq!(body.get(keys::IS_PRIMARY_HOLDER), Some(&Value::Bool(true)));
    assert!(
        body.get(keys::INSURED_MEMBER_DETAILS)
            .is_some_and(Value::is_array)
    );
}
