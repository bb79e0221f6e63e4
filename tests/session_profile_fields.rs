//! Profile field lists and choices (issue 13 item 5): a travel form shows only the fields
//! a travel lender uses (the rest behind "all fields"); travel type offers the known
//! values and still takes free text.

use paydesk::session::choice::choice_by_letters;
use paydesk::session::{Kind, Profile, ProfileSet, ProfileSource, keys, validate::check_kind};

fn builtin(name: &str) -> Profile {
    match ProfileSet::builtin().get(name) {
        Some(p) => p.clone(),
        None => panic!("no built-in profile {name}"),
    }
}

#[test]
fn the_travel_form_shows_only_travel_fields() {
    let p = builtin("travel");
    let shown: Vec<String> = p.shown_fields(false).into_iter().map(|f| f.key).collect();
    for loan_only in [
        "customer_product_name",
        "customer_product_tenure",
        "customer_id_type",
        keys::FIRST_NAME,
        keys::LAST_NAME,
        "udf1",
    ] {
        assert!(!shown.iter().any(|k| k == loan_only), "{loan_only} shown");
    }
    for used in [
        keys::AMOUNT,
        keys::CUSTOMER_PHONE,
        keys::CUSTOMER_DOB,
        "customer_city",
        keys::TRAVEL_TYPE,
        "metadata.agent_mobile",
        "metadata.brand_name",
    ] {
        assert!(shown.iter().any(|k| k == used), "{used} hidden");
    }
    // Every required field is shown, and "all fields" shows the whole visible tabs.
    assert!(p.required.iter().all(|k| shown.contains(k)));
    let all = p.shown_fields(true);
    assert_eq!(all, p.form_fields());
    assert!(all.len() > shown.len());
    // A profile without a list shows everything, as before.
    let generic = builtin("generic");
    assert_eq!(generic.shown_fields(false), generic.form_fields());
}

#[test]
fn travel_type_offers_choices_and_takes_free_text() {
    let p = builtin("travel");
    let choices = p.choices(keys::TRAVEL_TYPE);
    assert_eq!(choices, ["Visa", "One-way", "Return"]);
    assert_eq!(choice_by_letters(&choices, "o", None), Some(1));
    assert_eq!(check_kind(Kind::Text, "Hotel package"), None);
    // An enum's choices are its allowed values.
    assert!(
        p.choices(keys::CUSTOMER_GENDER)
            .contains(&"Female".to_string())
    );
    assert!(p.choices("customer_city").is_empty());
}

#[test]
fn field_lists_and_choices_are_checked() {
    let parse = |extra: &str| {
        Profile::from_toml(
            &format!("name = \"x\"\ntabs = [\"order\", \"customer\"]\n{extra}"),
            ProfileSource::BuiltIn,
        )
    };
    let err = parse("fields = [\"amount\", \"customer_phnoe\"]\n").expect_err("typo");
    assert!(
        err.message.contains("did you mean \"customer_phone\""),
        "{}",
        err.message
    );
    assert_eq!(err.line, Some(3));
    let err = parse("[choices]\n\"customer_gender\" = [\"M\"]\n").expect_err("enum");
    assert!(
        err.message.contains("choices are for text fields"),
        "{}",
        err.message
    );
    let ok = parse("fields = [\"amount\"]\n[choices]\ndescription = [\"Tickets\", \" \"]\n")
        .expect("valid");
    assert_eq!(ok.fields, ["amount"]);
    assert_eq!(ok.choices(keys::DESCRIPTION), ["Tickets"]);
}
