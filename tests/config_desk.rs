//! `[desk]` defaults (issue 13 item 2, item 4): fixed field values per desk and per
//! environment, checked key by key with a did-you-mean, shown by `config check`, and
//! applied to a new form with their origin.

use std::process::Command;

use paydesk::config::{Flags, Settings};
use paydesk::paths::Paths;
use paydesk::session::desk::{CustomerIdRule, apply_desk};
use paydesk::session::{ProfileSet, keys};
use tempfile::TempDir;

const CONFIG: &str = r#"
default_env = "demo"
order_prefix = "D7"

[desk]
"metadata.agent_name" = "Ravi Kumar"
metadata.agent_mobile = "+91 98888 88888"
metadata.brand_name = "Acme Travels"
"metadata.agent_emial_id" = "ravi@acme.example"
customer_id_from = "random"
auto_advance = true

[env.demo.desk]
"metadata.brand_name" = "Acme Demo"
return_url = "https://acme.example/thanks"

[env.sandbox.desk]
"metadata.brand_name" = "Acme Sandbox"
auto_advance = false
"#;

fn load(home: &TempDir) -> Settings {
    let paths = Paths::under(home.path());
    if let Some(dir) = paths.config_file.parent() {
        std::fs::create_dir_all(dir).expect("config dir");
    }
    std::fs::write(&paths.config_file, CONFIG).expect("write config");
    Settings::load_with_paths(&Flags::default(), &|_| None, paths)
}

#[test]
fn desk_values_resolve_per_environment_with_problems_named() {
    let home = TempDir::new().expect("tempdir");
    let settings = load(&home);
    let desk = &settings.desk;
    let get = |k: &str| desk.values.get(k).map(String::as_str);
    assert_eq!(get("metadata.agent_name"), Some("Ravi Kumar"));
    // Written as on paper, kept in wire format.
    assert_eq!(get("metadata.agent_mobile"), Some("9888888888"));
    // The environment's own desk table wins, key by key.
    assert_eq!(get("metadata.brand_name"), Some("Acme Demo"));
    assert_eq!(get(keys::RETURN_URL), Some("https://acme.example/thanks"));
    assert_eq!(get("metadata.agent_emial_id"), None);
    assert_eq!(desk.customer_id, Some(CustomerIdRule::Random));
    assert!(desk.auto_advance);

    let typo: Vec<_> = settings
        .problems
        .iter()
        .filter(|p| p.message.contains("metadata.agent_emial_id"))
        .collect();
    assert_eq!(typo.len(), 1, "{:?}", settings.problems);
    assert!(
        typo[0]
            .message
            .contains("did you mean `metadata.agent_email_id`?")
    );
    assert_eq!(typo[0].line, Some(9));

    // A new form gets them, each marked as coming from the desk settings.
    let set = ProfileSet::builtin();
    let Some(travel) = set.get("travel") else {
        panic!("travel profile");
    };
    let mut form = travel.new_form();
    let filled = apply_desk(&mut form, desk, travel);
    assert_eq!(form.get("metadata.agent_mobile"), "9888888888");
    assert!(filled.contains(&"metadata.brand_name".to_string()));
    assert_eq!(filled.len(), desk.values.len());
}

#[test]
fn config_check_reports_bad_desk_keys_and_lists_the_defaults() {
    let home = TempDir::new().expect("tempdir");
    let file = home.path().join("c.toml");
    let run = |text: &str| {
        std::fs::write(&file, text).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_paydesk"))
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env_remove("PAYDESK_CONFIG")
            .env_remove("JUSPAY_API_KEY")
            .args(["config", "check", "--config"])
            .arg(&file)
            .output()
            .expect("run config check");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = run(CONFIG);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:9:29: desk default `metadata.agent_emial_id` is not a field; did you mean \
             `metadata.agent_email_id`?",
            file.display()
        )),
        "{stderr}"
    );

    let good = CONFIG.replace("\"metadata.agent_emial_id\"", "\"metadata.agent_email_id\"");
    let (code, stdout, stderr) = run(&good);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("desk default metadata.agent_mobile = 9888888888\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("desk default metadata.brand_name = Acme Demo\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("walk-in customer ID: generated as D7<8 random letters and digits>"),
        "{stdout}"
    );

    assert!(
        stdout.contains("auto_advance: the cursor leaves a field once its value is complete"),
        "{stdout}"
    );
    // The sandbox desk's own table turns it off again.
    let sandbox = good.replace("default_env = \"demo\"", "default_env = \"sandbox\"");
    let (_, stdout, _) = run(&sandbox);
    assert!(!stdout.contains("auto_advance"), "{stdout}");

    let (code, _, stderr) = run("default_env = \"demo\"\n[desk]\ncustomer_id_from = \"uuid\"\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("use one of: phone, random"), "{stderr}");
    let (code, _, stderr) = run("default_env = \"demo\"\n[desk]\nauto_advance = \"yes\"\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`auto_advance` must be true or false, not a string"),
        "{stderr}"
    );
}

/// `create` fills the desk defaults into a new order and gives a walk-in customer an id.
#[test]
fn create_uses_the_desk_defaults_and_makes_walk_in_ids() {
    let home = TempDir::new().expect("tempdir");
    let file = home.path().join("c.toml");
    let config = "default_env = \"demo\"\n[desk]\n\"metadata.agent_mobile\" = \"+91 98888 \
                  88888\"\n\"metadata.brand_name\" = \"Acme\"\ncustomer_id_from = \"phone\"\n";
    std::fs::write(&file, config).expect("write");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/travel.json");
    let mut request: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(sample).expect("sample")).expect("JSON");
    for key in [
        "customer_id",
        "metadata.agent_mobile",
        "metadata.brand_name",
        "metadata.agent_name",
    ] {
        request.remove(key);
    }
    let walk_in = home.path().join("walk-in.json");
    std::fs::write(&walk_in, serde_json::Value::Object(request).to_string()).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_paydesk"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("PAYDESK_CONFIG")
        .env_remove("JUSPAY_API_KEY")
        .args(["create", "--dry-run", "--profile", "travel", "--config"])
        .arg(&file)
        .arg("--from")
        .arg(&walk_in)
        .args(["--set", "customer_phone=+91 90000 12345"])
        .args(["--set", "metadata.agent_name=Meena"])
        .output()
        .expect("run create");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).expect("body");
    assert_eq!(
        body["customer_id"], "9000012345",
        "made from the mobile number"
    );
    assert_eq!(body["metadata.agent_mobile"], "9888888888");
    assert_eq!(body["metadata.brand_name"], "Acme");
    assert_eq!(
        body["metadata.agent_name"], "Meena",
        "what the order sets wins"
    );
}
