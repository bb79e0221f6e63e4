//! The draft: the form as last typed, saved (debounced) as JSON and restored at the next
//! start, so a crash or a closed window loses nothing.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::session::Form;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub profile: String,
    pub form: Form,
    #[serde(default)]
    pub generated_order_id: Option<String>,
}

impl Draft {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Reads the draft; a missing, empty or unreadable draft is simply no draft.
pub fn read(path: &Path) -> Option<Draft> {
    let text = crate::files::read_text(path).ok()?;
    let draft: Draft = serde_json::from_str(&text).ok()?;
    let empty = draft.form.values.is_empty()
        && draft.form.members.is_empty()
        && draft.form.is_primary_holder.is_none();
    (!empty).then_some(draft)
}

/// Writes atomically (temp file + rename) so a crash mid-write keeps the old draft. The
/// draft holds a customer's name, phone, email, date of birth and address: the file is
/// 0600 in a 0700 directory (`files::create_private`).
pub fn write(path: &Path, json: &str) -> Result<(), String> {
    use std::io::Write;
    let dir = path.parent().ok_or("the draft path has no directory")?;
    crate::files::create_private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = path.with_extension("json.tmp");
    crate::files::create_private(&tmp, true)
        .and_then(|mut file| file.write_all(json.as_bytes()))
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_and_junk_is_ignored() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let path = dir.path().join("data").join("draft.json");
        let mut form = Form::default();
        form.set("amount", "12.50");
        form.is_primary_holder = Some(true);
        let draft = Draft {
            profile: "travel".into(),
            form,
            generated_order_id: Some("PD1".into()),
        };
        assert_eq!(write(&path, &draft.to_json()), Ok(()));
        assert_eq!(read(&path), Some(draft));

        assert_eq!(write(&path, "{not json"), Ok(()));
        assert_eq!(read(&path), None);
        let blank = Draft {
            profile: "generic".into(),
            form: Form::default(),
            generated_order_id: None,
        };
        assert_eq!(write(&path, &blank.to_json()), Ok(()));
        assert_eq!(read(&path), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_draft_is_private_and_read_with_a_bom() {
        use std::os::unix::fs::PermissionsExt;
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let data = dir.path().join("data");
        let path = data.join("draft.json");
        let mut form = Form::default();
        form.set("customer_first_name", "Asha");
        let draft = Draft {
            profile: "generic".into(),
            form,
            generated_order_id: None,
        };
        assert_eq!(
            write(&path, &format!("\u{feff}{}", draft.to_json())),
            Ok(())
        );
        let mode = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode(&path).ok(), Some(0o600));
        assert_eq!(mode(&data).ok(), Some(0o700));
        assert_eq!(read(&path), Some(draft));
    }
}
