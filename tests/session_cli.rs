//! `paydesk fields`, `paydesk profiles` and `paydesk validate` run as the real binary, with
//! HOME and the XDG directories in a temporary directory and no JUSPAY_*/PAYDESK_*
//! variables from the person running the tests.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Every wire key of reference §2a–§2e (juspay-session-api.md), written out by hand.
const REFERENCE_KEYS: &[&str] = &[
    // §2a order / payment page
    "order_id",
    "amount",
    "currency",
    "description",
    "payment_page_client_id",
    "action",
    "return_url",
    "options.get_client_auth_token",
    "metadata.sdk_payload",
    "metadata.webhook_url",
    "metadata.source",
    "metadata.JUSPAY:gateway_reference_id",
    "udf1",
    "udf2",
    "udf3",
    "udf4",
    "udf5",
    "udf6",
    "udf7",
    "udf8",
    "udf9",
    "udf10",
    // §2b customer / loan applicant
    "customer_id",
    "customer_email",
    "customer_phone",
    "customer_dob",
    "customer_first_name",
    "customer_middle_name",
    "customer_last_name",
    "first_name",
    "last_name",
    "customer_gender",
    "customer_marital_status",
    "customer_highest_education",
    "customer_address_line1",
    "customer_address_line2",
    "customer_state",
    "customer_pincode",
    "customer_city",
    "customer_annual_income",
    "customer_employment_type",
    "customer_product_name",
    "customer_product_tenure",
    "customer_id_no",
    "customer_id_type",
    "isIncomeConsentGiven",
    "metadata.customerPan",
    // §2c insurance / policy
    "customer_policy_ref_no",
    "metadata.customer_policy_type",
    "metadata.policy_renewal_year",
    "metadata.customer_policy_no",
    "insured_member_details",
    "customer_nominee_name",
    "customer_nominee_phone",
    "is_primary_holder",
    // §2d education (with the university extras)
    "metadata.customer_product_name",
    "metadata.customer_product_payment_type",
    "metadata.student_name",
    "metadata.student_admission_type",
    "metadata.customer_product_specialization",
    "metadata.customer_course_category",
    "metadata.customer_course_year",
    "metadata.customer_course_month",
    "metadata.customer_current_semester",
    "metadata.customer_fee_payment_type",
    "metadata.customer_fee_payment_tenure",
    // §2e travel
    "metadata.origin",
    "metadata.destination",
    "metadata.travel_start_date",
    "metadata.travel_end_date",
    "metadata.travel_type",
    "metadata.agent_email_id",
    "metadata.agent_mobile",
    "metadata.agent_name",
    "metadata.brand_name",
];

struct Desk {
    home: TempDir,
}

impl Desk {
    fn new() -> Desk {
        Desk {
            home: TempDir::new().expect("temp dir"),
        }
    }

    fn profiles_dir(&self) -> PathBuf {
        let dir = self
            .home
            .path()
            .join("config")
            .join("paydesk")
            .join("profiles");
        std::fs::create_dir_all(&dir).expect("profiles dir");
        dir
    }

    fn cmd(&self) -> Command {
        common::paydesk(self.home.path())
    }

    /// Runs and returns (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let output = self.cmd().args(args).output().expect("run paydesk");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).expect("write file");
        path
    }
}

fn sample_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/samples")
        .join(format!("{name}.json"))
        .display()
        .to_string()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn fields_json_lists_every_reference_key_with_its_description() {
    let desk = Desk::new();
    let (code, stdout, stderr) = desk.run(&["fields", "--json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let list = json(&stdout);
    let list = list.as_array().expect("an array");
    let listed: Vec<&str> = list.iter().filter_map(|f| f["key"].as_str()).collect();
    for key in REFERENCE_KEYS {
        assert!(listed.contains(key), "fields --json misses {key}");
    }
    for f in list {
        for attr in [
            "key", "label", "section", "kind", "required", "allowed", "help",
        ] {
            assert!(f.get(attr).is_some(), "{f} has no {attr}");
        }
    }
    let gender = list
        .iter()
        .find(|f| f["key"] == "customer_gender")
        .expect("gender");
    assert_eq!(gender["kind"], "enum");
    assert_eq!(
        gender["allowed"],
        serde_json::json!(["Male", "Female", "Others"])
    );
    let members = list
        .iter()
        .find(|f| f["key"] == "insured_member_details")
        .expect("members");
    assert_eq!(members["kind"], "member_list");
    assert_eq!(members["section"], "policy");
}

#[test]
fn fields_marks_what_the_chosen_profile_requires() {
    let desk = Desk::new();
    let required = |profile: &str| -> Vec<String> {
        let (code, stdout, stderr) = desk.run(&["fields", "--json", "--profile", profile]);
        assert_eq!(code, Some(0), "{stderr}");
        let list = json(&stdout);
        list.as_array()
            .expect("array")
            .iter()
            .filter(|f| f["required"] == true)
            .filter_map(|f| f["key"].as_str().map(String::from))
            .collect()
    };
    let generic = required("generic");
    assert!(generic.contains(&"customer_email".to_string()));
    assert!(!generic.contains(&"customer_policy_ref_no".to_string()));
    assert!(required("insurance").contains(&"customer_policy_ref_no".to_string()));

    let (code, stdout, _) = desk.run(&["fields", "--profile", "education"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("Fields under the education profile"),
        "{stdout}"
    );
    assert!(stdout.contains("* metadata.student_name"), "{stdout}");
    assert!(stdout.contains("= action"), "{stdout}");
    assert!(stdout.contains("Male (sent as \"male\")"), "{stdout}");
    assert!(
        stdout.contains("Travel  (tab hidden by this profile)"),
        "{stdout}"
    );
}

#[test]
fn fields_with_an_unknown_profile_exits_2_with_a_suggestion() {
    let desk = Desk::new();
    let (code, _, stderr) = desk.run(&["fields", "--profile", "insurence"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean \"insurance\""), "{stderr}");
}

#[test]
fn each_sample_validates_under_its_profile() {
    let desk = Desk::new();
    for name in ["generic", "insurance", "education", "travel"] {
        let (code, stdout, stderr) = desk.run(&["validate", &sample_path(name), "--profile", name]);
        assert_eq!(code, Some(0), "{name}: {stdout}{stderr}");
        assert_eq!(stdout, "", "{name}");
        assert!(stderr.contains("valid under the"), "{stderr}");
    }
}

#[test]
fn a_missing_required_field_exits_2_and_is_named() {
    let desk = Desk::new();
    let text = std::fs::read_to_string(sample_path("insurance")).expect("sample");
    let mut request = json(&text);
    let obj = request.as_object_mut().expect("object");
    obj.remove("customer_email");
    obj.remove("customer_policy_ref_no");
    obj.insert("customer_phone".into(), Value::from("+1 415 555 0100"));
    let file = desk.write("broken.json", &request.to_string());
    let (code, stdout, stderr) = desk.run(&[
        "validate",
        file.to_str().expect("utf-8 path"),
        "--profile",
        "insurance",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("customer_email: required by the insurance profile"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("customer_phone: only Indian mobile numbers (+91)"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("customer_policy_ref_no: required"),
        "{stdout}"
    );
    assert!(
        stderr.contains("3 problems under the insurance profile"),
        "{stderr}"
    );
}

#[test]
fn unreadable_or_non_json_files_exit_1() {
    let desk = Desk::new();
    let missing = desk.home.path().join("nope.json");
    let (code, _, stderr) = desk.run(&["validate", missing.to_str().expect("utf-8")]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("cannot read"), "{stderr}");

    let garbage = desk.write("garbage.json", "<html>500</html>");
    let (code, _, stderr) = desk.run(&["validate", garbage.to_str().expect("utf-8")]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("is not JSON"), "{stderr}");

    let list = desk.write("list.json", "[1, 2]");
    let (code, _, stderr) = desk.run(&["validate", list.to_str().expect("utf-8")]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("a session request is a JSON object"),
        "{stderr}"
    );
}

#[test]
fn profiles_lists_builtins_user_files_and_broken_files() {
    let desk = Desk::new();
    let (code, stdout, stderr) = desk.run(&["profiles"]);
    assert_eq!(code, Some(0), "{stderr}");
    for name in ["generic", "insurance", "education", "travel"] {
        assert!(stdout.contains(name), "{stdout}");
    }
    assert!(stdout.contains("from built-in"), "{stdout}");

    let dir = desk.profiles_dir();
    let mine = dir.join("insurance.toml");
    std::fs::write(
        &mine,
        "name = \"insurance\"\ndescription = \"Acme Insurance\"\nrequired = [\"order_id\", \"udf1\"]\n",
    )
    .expect("write profile");
    let acme = dir.join("acme.toml");
    std::fs::write(
        &acme,
        "description = \"Acme travel\"\ntabs = [\"order\", \"travel\"]\n",
    )
    .expect("write profile");
    let broken = dir.join("broken.toml");
    std::fs::write(
        &broken,
        "name = \"broken\"\n\n[defaults]\ncustomer_emial = \"a@b.in\"\n",
    )
    .expect("write profile");

    let (code, stdout, stderr) = desk.run(&["profiles"]);
    assert_eq!(
        code,
        Some(2),
        "broken profile files make the listing exit 2"
    );
    assert!(stdout.contains("Acme Insurance"), "{stdout}");
    assert!(
        stdout.contains(&format!("{} (replaces the built-in)", mine.display())),
        "{stdout}"
    );
    assert!(stdout.contains(&acme.display().to_string()), "{stdout}");
    let place = format!("{}:4:", broken.display());
    assert!(stderr.contains(&place), "no {place} in {stderr}");
    assert!(
        stderr.contains("did you mean \"customer_email\""),
        "{stderr}"
    );

    let (_, stdout, _) = desk.run(&["profiles", "--json"]);
    let listing = json(&stdout);
    let names: Vec<&str> = listing["profiles"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["generic", "insurance", "education", "travel", "acme"]
    );
    assert_eq!(listing["profiles"][1]["replaces_builtin"], true);
    assert_eq!(listing["profiles"][0]["active"], true);
    assert_eq!(listing["errors"][0]["line"], 4);

    // The replacement is the one `validate` uses.
    let (code, stdout, _) =
        desk.run(&["validate", &sample_path("travel"), "--profile", "insurance"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stdout,
        "udf1: required by the insurance profile; please fill it in\n"
    );
}
