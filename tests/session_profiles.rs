//! Lender profiles from the user's directory: broken files are reported with file and
//! line, unknown keys get a "did you mean", and a user file replaces a built-in.

use std::path::Path;

use paydesk::session::profile::file::BUILTIN_FILES;
use paydesk::session::{ProfileSet, ProfileSource, Section, keys};
use tempfile::TempDir;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
    path
}

fn temp() -> TempDir {
    TempDir::new().unwrap_or_else(|e| panic!("temp dir: {e}"))
}

#[test]
fn broken_toml_names_the_file_and_line() {
    let dir = temp();
    let path = write(
        dir.path(),
        "acme.toml",
        "name = \"acme\"\ndescription = \"Acme\"\n\ntabs = [\"order\",\n  \"customer\"\nrequired = []\n",
    );
    let (set, errors) = ProfileSet::load(Some(dir.path()));
    assert_eq!(set.names(), ["generic", "insurance", "education", "travel"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, path);
    assert_eq!(errors[0].line, Some(6), "{}", errors[0]);
    let shown = errors[0].to_string();
    assert!(
        shown.starts_with(&format!("{}:6: ", path.display())),
        "{shown}"
    );
}

#[test]
fn a_wrong_value_type_names_the_line() {
    let dir = temp();
    write(
        dir.path(),
        "acme.toml",
        "name = \"acme\"\nrequired = \"order_id\"\n",
    );
    let (_, errors) = ProfileSet::load(Some(dir.path()));
    assert_eq!(errors.first().and_then(|e| e.line), Some(2), "{errors:?}");
}

#[test]
fn unknown_keys_get_a_suggestion_wherever_they_are() {
    let cases = [
        (
            "required = [\"order_id\", \"custmer_phone\"]\n",
            "custmer_phone",
            "customer_phone",
        ),
        (
            "[defaults]\n\"metadata.orign\" = \"Bangalore\"\n",
            "metadata.orign",
            "metadata.origin",
        ),
        ("[fixed]\nacton = \"paymentPage\"\n", "acton", "action"),
        (
            "[spellings.customer_gendr]\nMale = \"male\"\n",
            "customer_gendr",
            "customer_gender",
        ),
        ("descripton = \"x\"\n", "descripton", "description"),
    ];
    for (body, wrong, right) in cases {
        let dir = temp();
        write(dir.path(), "acme.toml", &format!("name = \"acme\"\n{body}"));
        let (set, errors) = ProfileSet::load(Some(dir.path()));
        assert!(set.get("acme").is_none());
        let message = errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        assert!(message.contains(wrong), "{body}: {message}");
        assert!(
            message.contains(&format!("did you mean {right:?}")),
            "{body}: {message}"
        );
        assert!(
            errors.first().and_then(|e| e.line).is_some_and(|l| l >= 2),
            "{errors:?}"
        );
    }
}

#[test]
fn a_key_far_from_any_field_points_to_the_field_list() {
    let dir = temp();
    write(
        dir.path(),
        "acme.toml",
        "required = [\"branch_code_of_lender\"]\n",
    );
    let (_, errors) = ProfileSet::load(Some(dir.path()));
    let message = errors
        .first()
        .map(|e| e.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("paydesk fields") && message.contains("custom_fields"),
        "{message}"
    );
}

#[test]
fn a_user_profile_replaces_the_builtin_of_the_same_name_and_others_are_added() {
    let dir = temp();
    let replaced = write(
        dir.path(),
        "my-travel.toml",
        r#"
name = "travel"
description = "Travel via Acme"
tabs = ["order", "customer", "travel"]
required = ["order_id", "amount", "metadata.acme_agent_code"]
order_id_pattern = "[A-Z0-9]{1,12}"

[[custom_fields]]
key = "metadata.acme_agent_code"
label = "Acme agent code"
section = "travel"
help = "The agent code Acme gave you, e.g. BLR-7"
"#,
    );
    write(
        dir.path(),
        "school.toml",
        "name = \"school\"\ntabs = [\"order\", \"education\"]\n",
    );
    write(dir.path(), "notes.txt", "not a profile");
    let (set, errors) = ProfileSet::load(Some(dir.path()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        set.names(),
        ["generic", "insurance", "education", "travel", "school"]
    );
    let travel = set.get("travel").unwrap_or_else(|| panic!("no travel"));
    assert_eq!(travel.source, ProfileSource::File(replaced));
    assert_eq!(travel.description, "Travel via Acme");
    assert!(travel.is_required("metadata.acme_agent_code"));
    assert!(!travel.is_required(keys::CUSTOMER_EMAIL));
    let travel_tab: Vec<String> = travel
        .tab_fields(Section::Travel)
        .into_iter()
        .map(|f| f.key)
        .collect();
    assert_eq!(
        travel_tab.last().map(String::as_str),
        Some("metadata.acme_agent_code")
    );
    assert!(
        paydesk::session::check_field(keys::ORDER_ID, "order_1", travel).is_some(),
        "the profile's own order_id pattern applies"
    );
}

#[test]
fn two_user_files_with_one_name_are_reported() {
    let dir = temp();
    write(dir.path(), "a.toml", "name = \"acme\"\n");
    let second = write(dir.path(), "b.toml", "name = \"acme\"\n");
    let (set, errors) = ProfileSet::load(Some(dir.path()));
    assert!(set.get("acme").is_some());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, second);
    assert!(
        errors[0].message.contains("already defined"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_missing_directory_is_not_an_error() {
    let dir = temp();
    let (set, errors) = ProfileSet::load(Some(&dir.path().join("nope")));
    assert!(errors.is_empty());
    assert_eq!(set.profiles.len(), BUILTIN_FILES.len());
}

#[test]
fn form_fields_follow_the_visible_tabs_and_carry_the_marks() {
    let set = ProfileSet::builtin();
    let insurance = set
        .get("insurance")
        .unwrap_or_else(|| panic!("no insurance"));
    let fields = insurance.form_fields();
    let sections: Vec<Section> = fields.iter().map(|f| f.section).collect();
    assert!(sections.is_sorted(), "tabs come in order");
    assert!(!sections.contains(&Section::Travel));
    let action = fields
        .iter()
        .find(|f| f.key == keys::ACTION)
        .unwrap_or_else(|| panic!("no action"));
    assert!(action.fixed && action.required);
    let employment = fields
        .iter()
        .find(|f| f.key == keys::CUSTOMER_EMPLOYMENT_TYPE)
        .unwrap_or_else(|| panic!("no employment type"));
    assert_eq!(employment.allowed, ["SALARIED", "SELF_EMPLOYED"]);
    assert_eq!(employment.sent_as, ["SALARIED", "Business"]);
}
