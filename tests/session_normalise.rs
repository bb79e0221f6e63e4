//! Forgiving input, exact output (issue 13 item 1): one table of values as clerks write
//! them on paper and the wire value each becomes, and one of values that are really wrong
//! with the message naming the fix. The same tables run through every way a value enters:
//! the field-level function the desk calls, JSON import + `validate`, `create --set` and
//! `validate --strict` of the real binary.

use std::process::Command;

use paydesk::session::entry::normalise_field;
use paydesk::session::normalise::check_birth_date;
use paydesk::session::wire::{import, import_with_changes, set_from_text, to_body};
use paydesk::session::{Profile, ProfileSet, keys, validate};
use serde_json::{Map, Value};
use time::macros::date;

const BIN: &str = env!("CARGO_BIN_EXE_paydesk");
const TRAVEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/travel.json");

/// (field, as typed, wire value) under the travel profile.
const ACCEPTED: &[(&str, &str, &str)] = &[
    (keys::AMOUNT, "45,999.50", "45999.50"),
    (keys::AMOUNT, "₹45999.50", "45999.50"),
    (keys::AMOUNT, "₹ 45,999.50", "45999.50"),
    (keys::AMOUNT, "Rs. 45999.50", "45999.50"),
    (keys::AMOUNT, "rs 45999.50", "45999.50"),
    (keys::AMOUNT, "INR 4,59,999.50", "459999.50"),
    (keys::AMOUNT, "45999.50/-", "45999.50"),
    (keys::AMOUNT, "1,00,000", "100000.00"),
    (keys::AMOUNT, "1,234,567.5", "1234567.50"),
    (keys::AMOUNT, "45 999", "45999.00"),
    // The travel profile's amount_decimals = 2: one format whatever the clerk typed.
    (keys::AMOUNT, "2500", "2500.00"),
    (keys::AMOUNT, "5000.0", "5000.00"),
    (keys::AMOUNT, "45999.50  ", "45999.50"),
    (keys::CUSTOMER_PHONE, "+91 98765 43210", "9876543210"),
    (keys::CUSTOMER_PHONE, "+91-98765-43210", "9876543210"),
    (keys::CUSTOMER_PHONE, "098765 43210", "9876543210"),
    (keys::CUSTOMER_PHONE, "98765-43210", "9876543210"),
    (keys::CUSTOMER_PHONE, "(98765) 43210", "9876543210"),
    (keys::CUSTOMER_PHONE, "919876543210", "9876543210"),
    (keys::CUSTOMER_PHONE, "0091 98765 43210", "9876543210"),
    (keys::CUSTOMER_PHONE, " 9876543210 ", "9876543210"),
    (keys::CUSTOMER_DOB, "14/03/1990", "14-03-1990"),
    (keys::CUSTOMER_DOB, "14.03.1990", "14-03-1990"),
    (keys::CUSTOMER_DOB, "1990-03-14", "14-03-1990"),
    (keys::CUSTOMER_DOB, "14-3-1990", "14-03-1990"),
    (keys::CUSTOMER_DOB, "14 Mar 1990", "14-03-1990"),
    (keys::CUSTOMER_DOB, "14-MARCH-1990", "14-03-1990"),
    (keys::TRAVEL_START_DATE, "20-01-2027", "20-Jan-2027"),
    (keys::TRAVEL_START_DATE, "20-JAN-2027", "20-Jan-2027"),
    (keys::TRAVEL_START_DATE, "20-jan-2027", "20-Jan-2027"),
    (keys::TRAVEL_START_DATE, "20/01/2027", "20-Jan-2027"),
    (keys::TRAVEL_START_DATE, "2027-01-20", "20-Jan-2027"),
    (keys::TRAVEL_START_DATE, "20 January 2027", "20-Jan-2027"),
    (keys::TRAVEL_END_DATE, "27-jan-2027", "27-Jan-2027"),
    (
        keys::CUSTOMER_EMAIL,
        " asha.rao@example.com ",
        "asha.rao@example.com",
    ),
    (keys::CUSTOMER_FIRST_NAME, "Asha  ", "Asha"),
    (keys::CUSTOMER_PINCODE, "560 034", "560034"),
    (keys::CURRENCY, "inr", "INR"),
    (keys::CUSTOMER_GENDER, "female", "Female"),
    (keys::CUSTOMER_GENDER, " FEMALE", "Female"),
    // A travel type the profile offers ([choices]), typed in another case.
    ("metadata.travel_type", "return", "Return"),
    ("metadata.travel_type", "ONE-WAY ", "One-way"),
];

/// (field, as typed, words the refusal must contain).
const REFUSED: &[(&str, &str, &str)] = &[
    (keys::AMOUNT, "45,99", "not in thousands or lakhs"),
    (keys::AMOUNT, "45999,50", "not in thousands or lakhs"),
    (keys::AMOUNT, "1e5", "like 45999.50"),
    (keys::AMOUNT, "-100", "more than 0"),
    (keys::AMOUNT, "₹0", "more than 0"),
    (keys::AMOUNT, "100.123", "at most two digits"),
    (keys::AMOUNT, "1.2.3", "more than one dot"),
    (
        keys::CUSTOMER_PHONE,
        "+1 415 555 0100",
        "only Indian mobile numbers",
    ),
    (
        keys::CUSTOMER_PHONE,
        "+91 98765 4321",
        "after +91 come 10 digits",
    ),
    (keys::CUSTOMER_PHONE, "98765 4321", "has 9 digits"),
    // 91 without its + before a number that is no mobile: twelve digits, not 91 and ten.
    (keys::CUSTOMER_PHONE, "91234 5678931", "has 12 digits"),
    (keys::CUSTOMER_PHONE, "phone", "like 9876543210"),
    (keys::CUSTOMER_DOB, "03/14/1990", "the day comes first"),
    (keys::CUSTOMER_DOB, "14/03/90", "year with 4 digits"),
    (
        keys::CUSTOMER_DOB,
        "31/02/1990",
        "February 1990 has 28 days",
    ),
    (keys::CUSTOMER_DOB, "yesterday", "like 14-03-1990"),
    (keys::TRAVEL_START_DATE, "20-Jnu-2027", "like 20-Jan-2027"),
];

fn travel() -> Profile {
    match ProfileSet::builtin().get("travel") {
        Some(p) => p.clone(),
        None => panic!("no built-in travel profile"),
    }
}

/// The desk's field: what `normalise_field` makes of the typed value.
#[test]
fn the_field_function_turns_each_spelling_into_the_wire_value() {
    let p = travel();
    for (key, typed, wire) in ACCEPTED {
        match normalise_field(key, typed, &p, None) {
            Ok(n) => {
                assert_eq!(n.value, *wire, "{key}: {typed:?}");
                assert!(n.changed, "{key}: {typed:?} should count as changed");
                assert_eq!(n.note(), Some(format!("written as {wire}")));
            }
            Err(m) => panic!("{key}: {typed:?} refused: {m}"),
        }
        // The wire value is a fixed point.
        let again = normalise_field(key, wire, &p, None).map(|n| (n.value, n.changed));
        assert_eq!(again, Ok((wire.to_string(), false)), "{key}: {wire:?}");
    }
    for (key, typed, words) in REFUSED {
        match normalise_field(key, typed, &p, None) {
            Ok(n) => panic!("{key}: {typed:?} accepted as {:?}", n.value),
            Err(m) => assert!(m.contains(words), "{key}: {typed:?} gave {m:?}"),
        }
    }
}

/// JSON import stores the wire value, `validate` finds nothing wrong with it, the body
/// sends it; a refused value is kept as it was and `validate` names the field and the fix.
#[test]
fn json_import_and_validate_agree_with_the_table() {
    let p = travel();
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(TRAVEL).expect("sample"))
        .expect("sample JSON");
    let with = |key: &str, typed: &str| {
        let mut obj: Map<String, Value> = sample.as_object().cloned().unwrap_or_default();
        obj.insert(key.to_string(), Value::from(typed));
        // Keep the trip in order whatever start date a row uses.
        if key == keys::TRAVEL_START_DATE {
            obj.insert(keys::TRAVEL_END_DATE.into(), Value::from("31-Dec-2099"));
        }
        Value::Object(obj)
    };
    for (key, typed, wire) in ACCEPTED {
        let (form, changes) = import_with_changes(&with(key, typed), &p).expect("object");
        assert_eq!(form.get(key), *wire, "{key}: {typed:?}");
        assert!(
            changes
                .iter()
                .any(|c| c.key == *key && c.from == *typed && c.to == *wire),
            "{key}: {typed:?} not reported: {changes:?}"
        );
        let problems = validate(&form, &p);
        assert!(problems.is_empty(), "{key}: {typed:?}: {problems:?}");
        let body = to_body(&form, &p);
        let sent = body.get(*key).and_then(Value::as_str).unwrap_or_default();
        assert_eq!(sent, p.spelling(key, wire), "{key}: {typed:?}");
    }
    for (key, typed, words) in REFUSED {
        let form = import(&with(key, typed), &p).expect("object");
        assert_eq!(
            form.get(key),
            *typed,
            "a refused value is kept for the report"
        );
        let problems = validate(&form, &p);
        assert!(
            problems
                .iter()
                .any(|pr| pr.key == *key && pr.message.contains(words)),
            "{key}: {typed:?}: {problems:?}"
        );
    }
}

/// `set_from_text` (what `--set` and a pasted value use) normalises the same way.
#[test]
fn set_from_text_normalises_and_reports_the_change() {
    let p = travel();
    for (key, typed, wire) in ACCEPTED {
        let mut form = p.new_form();
        let change = set_from_text(&mut form, key, typed, &p);
        assert_eq!(form.get(key), *wire, "{key}: {typed:?}");
        assert_eq!(change.map(|c| c.to), Some(wire.to_string()));
    }
}

#[test]
fn a_borrower_born_in_the_future_or_under_18_is_refused() {
    let p = travel();
    let today = date!(2026 - 11 - 30);
    let dob = |typed: &str| normalise_field(keys::CUSTOMER_DOB, typed, &p, Some(today));
    assert!(dob("01/01/2030").is_err_and(|m| m.contains("cannot be in the future")));
    assert!(dob("01-12-2008").is_err_and(|m| m.contains("18 or older") && m.contains("17")));
    assert_eq!(dob("30/11/2008").map(|n| n.value), Ok("30-11-2008".into()));
    assert_eq!(check_birth_date("14-03-1990", today), None);
    // Born on 29 February: 18 on 1 March of a common year.
    assert!(check_birth_date("29-02-2008", date!(2026 - 02 - 28)).is_some());
    assert_eq!(check_birth_date("29-02-2008", date!(2026 - 03 - 01)), None);
    // Without today (import, the pure check) the date alone decides.
    assert!(normalise_field(keys::CUSTOMER_DOB, "01-01-2030", &p, None).is_ok());
}

fn paydesk(home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(BIN);
    for (name, _) in std::env::vars() {
        if name.starts_with("JUSPAY_") || name.starts_with("PAYDESK_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"));
    cmd
}

/// `create --set` of the real binary sends the wire value, or names the field and the fix.
#[test]
fn create_set_sends_the_wire_value() {
    let home = tempfile::TempDir::new().expect("tempdir");
    let run = |key: &str, typed: &str| {
        let mut cmd = paydesk(&home);
        cmd.args([
            "create",
            "--dry-run",
            "--profile",
            "travel",
            "--from",
            TRAVEL,
        ])
        .arg("--set")
        .arg(format!("{key}={typed}"));
        if key == keys::TRAVEL_START_DATE {
            cmd.args(["--set", "metadata.travel_end_date=31-Dec-2099"]);
        }
        cmd.output().expect("run paydesk create --dry-run")
    };
    for (key, typed, wire) in ACCEPTED {
        let out = run(key, typed);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{key}={typed:?}: {stderr}");
        let body: Value = serde_json::from_slice(&out.stdout).expect("body JSON");
        let p = travel();
        assert_eq!(body[*key], p.spelling(key, wire), "{key}={typed:?}");
    }
    for (key, typed, words) in REFUSED {
        let out = run(key, typed);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}={typed:?}");
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("{key}: ")) && l.contains(words)),
            "{key}={typed:?}: {stderr}"
        );
    }
}

/// `validate` accepts a file written as on paper; `--strict` lists each changed value.
#[test]
fn validate_strict_reports_every_normalised_value() {
    let home = tempfile::TempDir::new().expect("tempdir");
    let mut obj: Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(TRAVEL).expect("sample")).expect("JSON");
    obj.insert(keys::AMOUNT.into(), Value::from("₹45,999.50"));
    obj.insert(keys::CUSTOMER_PHONE.into(), Value::from("+91 98765 43210"));
    obj.insert(keys::TRAVEL_END_DATE.into(), Value::from("31-dec-2099"));
    let file = home.path().join("paper.json");
    std::fs::write(&file, Value::Object(obj).to_string()).expect("write");

    let out = paydesk(&home)
        .args(["validate", "--profile", "travel"])
        .arg(&file)
        .output()
        .expect("run validate");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = paydesk(&home)
        .args(["validate", "--strict", "--profile", "travel"])
        .arg(&file)
        .output()
        .expect("run validate --strict");
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines.contains(&"amount: written as 45999.50 (the file has \"₹45,999.50\")"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("customer_phone: written as 9876543210"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("metadata.travel_end_date: written as 31-Dec-2099"))
    );

    // An amount without the profile's two decimals is reported with them.
    let plain = home.path().join("plain.json");
    let mut obj: Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(TRAVEL).expect("sample")).expect("JSON");
    obj.insert(keys::AMOUNT.into(), Value::from("2500"));
    obj.insert(keys::TRAVEL_END_DATE.into(), Value::from("31-Dec-2099"));
    std::fs::write(&plain, Value::Object(obj).to_string()).expect("write");
    let out = paydesk(&home)
        .args(["validate", "--strict", "--profile", "travel"])
        .arg(&plain)
        .output()
        .expect("run validate --strict");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("amount: written as 2500.00 (the file has \"2500\")"),
        "{stdout}"
    );

    // An enum is reported as the lender receives it: in the profile's spelling.
    let generic = home.path().join("generic.json");
    let request = serde_json::json!({"customer_employment_type": "Salaried"});
    std::fs::write(&generic, request.to_string()).expect("write");
    let out = paydesk(&home)
        .args(["validate", "--strict", "--profile", "generic"])
        .arg(&generic)
        .output()
        .expect("run validate --strict");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("customer_employment_type: written as salaried (the file has \"Salaried\")"),
        "{stdout}"
    );
}

/// `create` and `validate` apply the borrower's age rule with today's date.
#[test]
fn the_cli_refuses_a_borrower_under_18() {
    let home = tempfile::TempDir::new().expect("tempdir");
    let child = time::OffsetDateTime::now_utc().year() - 10;
    let out = paydesk(&home)
        .args([
            "create",
            "--dry-run",
            "--profile",
            "travel",
            "--from",
            TRAVEL,
        ])
        .arg("--set")
        .arg(format!("customer_dob=01/06/{child}"))
        .output()
        .expect("run create");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("customer_dob: the borrower must be 18 or older")),
        "{stderr}"
    );
}
