//! Table tests: for each kind, values that pass and values that fail, and the message a
//! clerk sees. Plus whole-form rules: required fields, members, travel dates, fixed values.

use paydesk::session::validate::{check_kind, check_member};
use paydesk::session::{Form, Kind, Member, Profile, ProfileSet, check_field, keys, validate};

fn profile(name: &str) -> Profile {
    match ProfileSet::builtin().get(name) {
        Some(p) => p.clone(),
        None => panic!("no built-in profile {name}"),
    }
}

/// Asserts each good value passes and each bad value fails with a message containing the
/// given words.
fn table(kind: Kind, good: &[&str], bad: &[(&str, &str)]) {
    for v in good {
        assert_eq!(check_kind(kind, v), None, "{kind:?}: {v:?} should pass");
    }
    for (v, words) in bad {
        match check_kind(kind, v) {
            None => panic!("{kind:?}: {v:?} should fail"),
            Some(m) => assert!(
                m.contains(words),
                "{kind:?}: {v:?} gave {m:?}, wanted {words:?}"
            ),
        }
    }
}

#[test]
fn email() {
    table(
        Kind::Email,
        &[
            "testeml.123@gmail.com",
            "a@b.in",
            "first.last+tag@mail.example.co.in",
            "o'brien@example.com",
            "x!#$%&'*+-/=?^{}~|`y@example.com",
        ],
        &[
            ("asha.example.com", "needs an @"),
            ("a@b@c.com", "exactly one @"),
            ("@example.com", "nothing before"),
            ("asha@", "nothing after"),
            ("asha@gmail", "needs a dot"),
            (".asha@gmail.com", "start or end"),
            ("asha_@gmail.com", "start or end"),
            ("as..ha@gmail.com", "two dots"),
            ("asha rao@gmail.com", "no spaces"),
            ("asha(rao)@gmail.com", "\"(\" is not allowed"),
            ("asha@gm_ail.com", "after the @"),
            ("asha@gmail..com", "not a valid mail domain"),
            ("asha@-gmail.com", "not a valid mail domain"),
            ("asha@gmail.c", "end like .com"),
            ("आशा@gmail.com", "is not allowed"),
        ],
    );
}

#[test]
fn phone() {
    table(
        Kind::Phone,
        &["9876543210", "1234567890"],
        &[
            ("+919876543210", "write it as 9876543210"),
            ("919876543210", "write it as 9876543210"),
            ("+1 415 555 0100", "only Indian mobile numbers"),
            ("09876543210", "write it as 9876543210"),
            ("98765 43210", "write it as 9876543210"),
            ("98765-43210", "write it as 9876543210"),
            ("987654321", "has 9 digits"),
            ("98765432101234", "has 14 digits"),
            ("phone", "has 10 digits, like 9876543210"),
            ("٩٨٧٦٥٤٣٢١٠", "has 10 digits, like 9876543210"),
        ],
    );
}

#[test]
fn pincode() {
    table(
        Kind::Pincode,
        &["560034", "110001"],
        &[
            ("56003", "6 digits"),
            ("5600345", "6 digits"),
            ("56O034", "6 digits"),
            ("012345", "does not start with 0"),
            ("560 034", "write it as 560034"),
        ],
    );
}

#[test]
fn date_dd_mm_yyyy() {
    table(
        Kind::DateDmy,
        &[
            "06-12-1997",
            "29-02-2024",
            "29-02-2000",
            "31-12-2099",
            "01-01-1900",
        ],
        &[
            ("29-02-2023", "February 2023 has 28 days"),
            ("29-02-1900", "February 1900 has 28 days"),
            ("31-04-2020", "April 2020 has 30 days"),
            ("00-01-2020", "day 0 does not exist"),
            ("12-13-2020", "no month 13"),
            ("6-12-1997", "write it as 06-12-1997"),
            ("06/12/1997", "write it as 06-12-1997"),
            ("1997-12-06", "write it as 06-12-1997"),
            ("06-12-97", "year with 4 digits"),
            ("tomorrow", "like 14-03-1990"),
        ],
    );
}

#[test]
fn date_dd_mon_yyyy() {
    table(
        Kind::DateDMonY,
        &["29-Dec-2024", "01-Jan-2025", "29-Feb-2028"],
        &[
            ("29-dec-2024", "write it as 29-Dec-2024"),
            ("29-December-2024", "write it as 29-Dec-2024"),
            ("29-12-2024", "write it as 29-Dec-2024"),
            ("9-Dec-2024", "write it as 09-Dec-2024"),
            ("29-Feb-2025", "February 2025 has 28 days"),
            ("31-Jun-2025", "June 2025 has 30 days"),
            ("29-Dek-2024", "like 20-Jan-2027"),
            ("29 Dec 2024", "write it as 29-Dec-2024"),
        ],
    );
}

#[test]
fn amount() {
    table(
        Kind::Amount,
        &["30500", "100.15", "35000.0", "19999.00", "1", "0.01"],
        &[
            ("0", "more than 0"),
            ("0.00", "more than 0"),
            ("-100", "more than 0"),
            ("100.1532", "at most two digits after the dot"),
            ("1,500", "write it as 1500"),
            ("₹1500", "write it as 1500"),
            ("1500 ", "write it as 1500"),
            ("1.2.3", "more than one dot"),
            ("100.", "both sides of the dot"),
            (".5", "both sides of the dot"),
            ("1e5", "write the amount with digits"),
        ],
    );
}

#[test]
fn currency() {
    table(
        Kind::Currency,
        &["INR", "USD", "XAF"],
        &[
            ("inr", "write it as INR"),
            ("RUPEE", "3-letter code"),
            ("₹", "write it as INR"),
        ],
    );
}

#[test]
fn integer_and_boolean() {
    table(
        Kind::Integer,
        &["2", "0", "2026"],
        &[
            ("two", "whole number"),
            ("-1", "whole number"),
            ("1.5", "whole number"),
        ],
    );
    table(
        Kind::Boolean,
        &["true", "false"],
        &[
            ("TRUE", "write it as true"),
            ("False", "write it as false"),
            ("yes", "write it as true"),
            ("maybe", "true or false"),
        ],
    );
}

#[test]
fn url() {
    table(
        Kind::Url,
        &[
            "https://merchant.returnurl.com/#thankyoupage",
            "http://127.0.0.1:8080/return",
            "https://shop.example.com",
            "HTTPS://SHOP.EXAMPLE.COM/x?y=1",
            "http://[::1]:3000/",
        ],
        &[
            ("shop.example.com", "starts with https://"),
            ("ftp://shop.example.com", "starts with https://"),
            ("https://", "no site name"),
            ("https:///path", "no site name"),
            ("https://shop example.com", "cannot contain spaces"),
            ("https://shop.example.com:port/", "port"),
            ("https://shop.example.com:99999/", "port"),
            ("https://sh!op.com", "not allowed in a site name"),
        ],
    );
}

#[test]
fn text_rejects_control_characters_but_not_unicode() {
    table(
        Kind::Text,
        &["Asha Rao", "आशा राव", "محمد", "🙂 ok", ">20 Lakhs"],
        &[
            ("line\nbreak", "line break"),
            ("tab\there", "a tab"),
            ("bell\u{7}", "U+0007"),
            ("Ram\u{202E}esh", "bidirectional control character (U+202E)"),
            ("a\u{2066}b", "U+2066"),
            ("zero\u{200B}width", "zero-width character (U+200B)"),
        ],
    );
}

#[test]
fn enums_accept_canonical_values_and_the_profile_spelling() {
    let generic = profile("generic");
    let education = profile("education");
    let k = keys::CUSTOMER_EMPLOYMENT_TYPE;
    assert_eq!(check_field(k, "SALARIED", &generic), None);
    assert_eq!(check_field(k, "salaried", &generic), None);
    assert_eq!(check_field(k, "Salaried", &education), None);
    let m = check_field(k, "Salaried", &generic).unwrap_or_default();
    assert!(m.contains("write it as \"SALARIED\""), "{m}");
    let m = check_field(k, "self_employed", &generic).unwrap_or_default();
    assert!(m.contains("write it as \"SELF_EMPLOYED\""), "{m}");
    let m = check_field(k, "Business", &generic).unwrap_or_default();
    assert!(m.contains("not one of: SALARIED, SELF_EMPLOYED"), "{m}");
    let m = check_field(keys::CUSTOMER_GENDER, "MALE", &education).unwrap_or_default();
    assert!(m.contains("write it as \"Male\""), "{m}");
    assert_eq!(
        check_field(keys::CUSTOMER_MARITAL_STATUS, "Unmarried", &education),
        None
    );
    assert!(check_field(keys::CUSTOMER_MARITAL_STATUS, "Unmarried", &generic).is_some());
    assert_eq!(check_field(keys::ACTION, "quickPay", &generic), None);
}

#[test]
fn order_id_follows_the_profile_pattern() {
    let generic = profile("generic");
    assert_eq!(
        check_field(keys::ORDER_ID, "ORDER4567TGHk875", &generic),
        None
    );
    assert_eq!(
        check_field(keys::ORDER_ID, "testing-order_22", &generic),
        None
    );
    let m = check_field(keys::ORDER_ID, "ORD#1", &generic).unwrap_or_default();
    assert!(
        m.contains("only letters, digits, _ and -") && m.contains("\"#\""),
        "{m}"
    );
    let m = check_field(keys::ORDER_ID, "ORD12345678901234567890", &generic).unwrap_or_default();
    assert!(m.contains("at most 20 characters (this one has 23)"), "{m}");
    let m = check_field(keys::ORDER_ID, "ORD 1", &generic).unwrap_or_default();
    assert!(m.contains("U+0020"), "{m}");

    let strict = Profile::from_toml(
        "name = \"strict\"\norder_id_pattern = \"[0-9]{8}\"\n",
        paydesk::session::ProfileSource::BuiltIn,
    );
    let Ok(strict) = strict else {
        panic!("{strict:?}")
    };
    assert_eq!(check_field(keys::ORDER_ID, "12345678", &strict), None);
    let m = check_field(keys::ORDER_ID, "1234567", &strict).unwrap_or_default();
    assert!(m.contains("exactly 8 characters"), "{m}");
    let m = check_field(keys::ORDER_ID, "A2345678", &strict).unwrap_or_default();
    assert!(m.contains("only digits"), "{m}");
}

#[test]
fn plain_udfs_take_no_special_characters() {
    let p = profile("generic");
    assert_eq!(check_field("udf1", "user5349", &p), None);
    assert!(check_field("udf1", "user_5349", &p).is_some_and(|m| m.contains("udf6")));
    assert_eq!(check_field("udf6", "user_5349", &p), None);
}

#[test]
fn empty_values_are_not_checked_alone() {
    let p = profile("generic");
    assert_eq!(check_field(keys::CUSTOMER_EMAIL, "", &p), None);
}

fn keys_of(problems: &[paydesk::session::Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.key.as_str()).collect()
}

#[test]
fn a_new_form_lists_every_required_field_in_form_order() {
    let p = profile("generic");
    let problems = validate(&p.new_form(), &p);
    assert_eq!(
        keys_of(&problems),
        [
            keys::ORDER_ID,
            keys::AMOUNT,
            keys::PAYMENT_PAGE_CLIENT_ID,
            keys::RETURN_URL,
            keys::CUSTOMER_ID,
            keys::CUSTOMER_EMAIL,
            keys::CUSTOMER_PHONE,
        ]
    );
    assert!(
        problems
            .iter()
            .all(|p| p.message.contains("required by the generic profile"))
    );
}

fn filled(profile: &Profile) -> Form {
    let mut form = profile.new_form();
    form.set(keys::ORDER_ID, "PD2611250ABCK2Q");
    form.set(keys::AMOUNT, "1500.50");
    form.set(keys::PAYMENT_PAGE_CLIENT_ID, "acme");
    form.set(keys::RETURN_URL, "https://shop.example.com/thanks");
    form.set(keys::CUSTOMER_ID, "C1");
    form.set(keys::CUSTOMER_EMAIL, "asha@example.com");
    form.set(keys::CUSTOMER_PHONE, "9876543210");
    form.set(keys::CUSTOMER_FIRST_NAME, "Asha");
    form.set(keys::CUSTOMER_LAST_NAME, "Rao");
    form
}

#[test]
fn members_must_be_complete() {
    let p = profile("insurance");
    let mut form = filled(&p);
    form.set("customer_policy_ref_no", "POL1");
    form.set("customer_product_name", "Family Floater");
    assert_eq!(validate(&form, &p), []);
    form.members = vec![
        Member {
            member_name: "Ravi".into(),
            member_phone: "9876543210".into(),
            ..Member::default()
        },
        Member {
            member_name: "".into(),
            member_phone: "+919876543210".into(),
            ..Member::default()
        },
        Member {
            member_name: "Meena".into(),
            member_phone: "".into(),
            ..Member::default()
        },
    ];
    let problems = validate(&form, &p);
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "member 2: the name is missing",
            "member 2: write it as 9876543210",
            "member 3 (Meena): the mobile number is missing",
        ]
    );
    assert!(
        problems
            .iter()
            .all(|p| p.key == keys::INSURED_MEMBER_DETAILS)
    );
    assert!(check_member(1, &form.members[0]).is_empty());
}

#[test]
fn travel_end_may_not_come_before_start() {
    let p = profile("travel");
    let mut form = filled(&p);
    form.set(keys::ORIGIN, "Bangalore");
    form.set(keys::DESTINATION, "Mangalore");
    form.set(keys::TRAVEL_START_DATE, "31-Dec-2024");
    form.set(keys::TRAVEL_END_DATE, "31-Dec-2024");
    assert_eq!(validate(&form, &p), []);
    form.set(keys::TRAVEL_END_DATE, "29-Dec-2024");
    let problems = validate(&form, &p);
    assert_eq!(keys_of(&problems), [keys::TRAVEL_END_DATE]);
    assert!(
        problems[0].message.contains("ends before it starts"),
        "{problems:?}"
    );
    form.set(keys::TRAVEL_END_DATE, "01-Jan-2025");
    assert_eq!(validate(&form, &p), []);
}

#[test]
fn a_value_other_than_the_fixed_one_is_reported() {
    let p = profile("generic");
    let mut form = filled(&p);
    form.set(keys::ACTION, "quickPay");
    let problems = validate(&form, &p);
    assert_eq!(keys_of(&problems), [keys::ACTION]);
    assert!(
        problems[0].message.contains("always sends \"paymentPage\""),
        "{problems:?}"
    );
}

#[test]
fn wrongly_typed_imports_are_reported_not_lost() {
    let p = profile("insurance");
    let json = serde_json::json!({
        "order_id": "A1", "amount": 100, "customer_id": {"id": 1},
        "customer_email": "a@b.in", "customer_phone": "9876543210",
        "payment_page_client_id": "x", "return_url": "https://x.in",
        "customer_first_name": "A", "customer_last_name": "B",
        "customer_policy_ref_no": "P", "customer_product_name": "F",
        "metadata.customer_policy_type": "NEW",
        "insured_member_details": "Ravi", "is_primary_holder": 1
    });
    let form = paydesk::session::wire::import(&json, &p).unwrap_or_default();
    assert_eq!(form.get(keys::AMOUNT), "100");
    let problems = validate(&form, &p);
    assert_eq!(
        keys_of(&problems),
        [
            keys::CUSTOMER_ID,
            keys::INSURED_MEMBER_DETAILS,
            keys::IS_PRIMARY_HOLDER
        ]
    );
    assert!(
        problems[0]
            .message
            .contains("should be text, not an object")
    );
    assert!(problems[1].message.contains("should be a list of members"));
    assert!(problems[2].message.contains("should be true or false"));
    let body = paydesk::session::wire::to_body(&form, &p);
    assert_eq!(body.get(keys::CUSTOMER_ID), json.get(keys::CUSTOMER_ID));
    assert_eq!(
        body.get(keys::INSURED_MEMBER_DETAILS),
        json.get(keys::INSURED_MEMBER_DETAILS)
    );
}

#[test]
fn hidden_tab_values_are_still_checked() {
    let p = profile("generic");
    let mut form = filled(&p);
    form.set(keys::TRAVEL_START_DATE, "31-02-2024");
    assert_eq!(keys_of(&validate(&form, &p)), [keys::TRAVEL_START_DATE]);
}

#[test]
fn set_from_text_routes_typed_values_to_the_right_slot() {
    use paydesk::session::wire::{set_from_text, to_body};
    let p = profile("education");
    let mut form = filled(&p);
    set_from_text(&mut form, keys::CUSTOMER_GENDER, "male", &p);
    assert_eq!(form.get(keys::CUSTOMER_GENDER), "Male");
    set_from_text(&mut form, keys::IS_PRIMARY_HOLDER, "true", &p);
    assert_eq!(form.is_primary_holder, Some(true));
    set_from_text(
        &mut form,
        keys::INSURED_MEMBER_DETAILS,
        r#"[{"member_name":"Ravi","member_phone":"9876543210"}]"#,
        &p,
    );
    assert_eq!(form.members.len(), 1);
    let body = to_body(&form, &p);
    assert_eq!(
        body.get(keys::IS_PRIMARY_HOLDER),
        Some(&serde_json::Value::Bool(true))
    );
    assert_eq!(
        body.get(keys::CUSTOMER_GENDER),
        Some(&serde_json::Value::from("male"))
    );

    set_from_text(
        &mut form,
        keys::INSURED_MEMBER_DETAILS,
        "Ravi 9876543210",
        &p,
    );
    assert!(form.members.is_empty());
    let problems = validate(&form, &p);
    assert!(
        problems
            .iter()
            .any(|pr| pr.key == keys::INSURED_MEMBER_DETAILS
                && pr.message.contains("should be a list of members")),
        "{problems:?}"
    );
    set_from_text(&mut form, keys::INSURED_MEMBER_DETAILS, "", &p);
    set_from_text(&mut form, keys::IS_PRIMARY_HOLDER, "", &p);
    assert_eq!(form.is_primary_holder, None);
    assert!(!to_body(&form, &p).contains_key(keys::INSURED_MEMBER_DETAILS));
}

#[test]
fn free_keys_must_be_sendable_text() {
    let p = profile("generic");
    let mut form = filled(&p);
    form.set("metadata.lender_note", "ok");
    assert_eq!(validate(&form, &p), []);
    form.set("metadata.lender_note", "bad\u{0}");
    assert_eq!(keys_of(&validate(&form, &p)), ["metadata.lender_note"]);
}
