//! Reading `config.toml`: every value keeps its line and column so a problem can point at
//! it. Nothing here fails: problems are collected and the value falls back to its default.

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::ConfigProblem;
use crate::secret::ApiKey;

pub(super) const TOP_KEYS: &[&str] = &[
    "default_env",
    "profile",
    "theme",
    "log_level",
    "order_prefix",
    "connect_timeout_secs",
    "request_timeout_secs",
    "poll_interval_secs",
    "desk",
    "env",
    "operator",
    "counter",
    "operators",
    "ask_operator",
    "ledger",
];

pub(super) const OPERATOR_KEYS: &[&str] = &["name", "display"];

pub(super) const LEDGER_KEYS: &[&str] = &["url", "password_cmd"];

pub(super) const ENV_KEYS: &[&str] = &[
    "base_url",
    "merchant_id",
    "client_id",
    "return_url",
    "profile",
    "api_key_cmd",
    "api_key",
    "desk",
];

/// Words people write for a key we call something else.
const ALIASES: &[(&str, &str)] = &[
    ("environment", "default_env"),
    ("default_environment", "default_env"),
    ("payment_page_client_id", "client_id"),
    ("merchant", "merchant_id"),
    ("key", "api_key"),
    ("juspay_api_key", "api_key"),
    ("api_key_command", "api_key_cmd"),
    ("url", "base_url"),
    ("endpoint", "base_url"),
    ("lender_profile", "profile"),
    ("timeout", "request_timeout_secs"),
    ("clerk", "operator"),
    ("cashier", "operator"),
    ("clerks", "operators"),
    ("till", "counter"),
    ("desk_name", "counter"),
];

/// A value and where it was written.
#[derive(Debug, Clone)]
pub(super) struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

/// One `[env.NAME]` table.
#[derive(Debug, Clone, Default)]
pub(super) struct FileEnv {
    pub line: usize,
    pub column: usize,
    pub base_url: Option<Located<String>>,
    pub merchant_id: Option<Located<String>>,
    pub client_id: Option<Located<String>>,
    pub return_url: Option<Located<String>>,
    pub profile: Option<Located<String>>,
    pub api_key_cmd: Option<Located<String>>,
    pub api_key: Option<Located<ApiKey>>,
    pub desk: Option<FileDesk>,
}

/// A `[desk]` or `[env.NAME.desk]` table: field values by wire key, as written (dotted
/// keys such as `metadata.agent_name = "…"` flattened back to one key), and
/// `customer_id_from` and `auto_advance`. Keys and values are checked in `resolve`.
#[derive(Debug, Clone, Default)]
pub(super) struct FileDesk {
    pub values: Vec<(String, Located<String>)>,
    pub customer_id_from: Option<Located<String>>,
    pub auto_advance: Option<Located<bool>>,
}

/// The `[ledger]` table: the branch ledger on PostgreSQL.
#[derive(Debug, Clone, Default)]
pub(super) struct FileLedger {
    pub url: Option<Located<String>>,
    pub password_cmd: Option<Located<String>>,
}

impl FileEnv {
    pub fn has_key_source(&self) -> bool {
        self.api_key_cmd.is_some() || self.api_key.is_some()
    }
}

/// One `[[operators]]` entry: a clerk who may be picked at the desk's start.
#[derive(Debug, Clone)]
pub(super) struct FileOperator {
    pub name: Located<String>,
    pub display: Option<Located<String>>,
}

/// What the config file said, value by value. Empty when there is no usable file.
#[derive(Debug, Clone, Default)]
pub(super) struct FileConfig {
    /// Not readable or writable by group or others (always true off Unix).
    pub private: bool,
    pub default_env: Option<Located<String>>,
    pub profile: Option<Located<String>>,
    pub theme: Option<Located<String>>,
    pub log_level: Option<Located<String>>,
    pub order_prefix: Option<Located<String>>,
    pub connect_timeout_secs: Option<Located<u64>>,
    pub request_timeout_secs: Option<Located<u64>>,
    pub poll_interval_secs: Option<Located<u64>>,
    pub desk: Option<FileDesk>,
    pub operator: Option<Located<String>>,
    pub counter: Option<Located<String>>,
    /// `[[operators]]`, in file order.
    pub operators: Vec<FileOperator>,
    pub ask_operator: Option<Located<bool>>,
    /// `[env.NAME]` tables, in name order.
    pub envs: Vec<(String, FileEnv)>,
    pub ledger: Option<FileLedger>,
}

impl FileConfig {
    pub fn env(&self, name: &str) -> Option<&FileEnv> {
        self.envs.iter().find(|(n, _)| n == name).map(|(_, e)| e)
    }
}

/// Reads and checks the file at `path`. A missing file is fine unless it was named
/// explicitly (`--config`, `PAYDESK_CONFIG`).
pub(super) fn load(path: &Path, explicit: bool, problems: &mut Vec<ConfigProblem>) -> FileConfig {
    let text = match read_limited(path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            if explicit {
                problems.push(ConfigProblem {
                    path: Some(path.to_path_buf()),
                    line: None,
                    column: None,
                    message: "this config file does not exist; built-in defaults are used".into(),
                    hint: Some(
                        "check the path given with --config or PAYDESK_CONFIG \
                         (`paydesk config path` shows the default place)"
                            .into(),
                    ),
                });
            }
            return FileConfig::default();
        }
        Err(message) => {
            problems.push(ConfigProblem {
                path: Some(path.to_path_buf()),
                line: None,
                column: None,
                message: format!(
                    "cannot read the config file: {message}; built-in defaults are used"
                ),
                hint: Some("make it a readable UTF-8 text file, or remove it".into()),
            });
            return FileConfig::default();
        }
    };
    let mut config = parse(&text, path, problems);
    config.private = is_private(path);
    config
}

/// `Ok(None)` when the file does not exist.
fn read_limited(path: &Path) -> Result<Option<String>, String> {
    match crate::files::read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(crate::files::ReadError::NotFound) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(unix)]
fn is_private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn is_private(_path: &Path) -> bool {
    true
}

/// Parses TOML text. A syntax error makes the whole file unusable (every error is
/// reported); wrong types and unknown keys drop only that value.
pub(super) fn parse(text: &str, path: &Path, problems: &mut Vec<ConfigProblem>) -> FileConfig {
    let mut sink = Sink {
        text,
        lines: LineIndex::new(text),
        path,
        problems,
    };
    let mut config = FileConfig::default();
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        report_syntax_errors(&mut sink, &errors);
        return config;
    }
    for (key, value) in table.get_ref().iter() {
        let name = key.get_ref().as_ref();
        let offset = key.span().start;
        match name {
            "default_env" => config.default_env = sink.string(name, value),
            "profile" => config.profile = sink.string(name, value),
            "theme" => config.theme = sink.string(name, value),
            "log_level" => config.log_level = sink.string(name, value),
            "order_prefix" => config.order_prefix = sink.string(name, value),
            "connect_timeout_secs" => {
                config.connect_timeout_secs = sink.seconds(name, value, 1, 120)
            }
            "request_timeout_secs" => {
                config.request_timeout_secs = sink.seconds(name, value, 1, 600)
            }
            "poll_interval_secs" => config.poll_interval_secs = sink.seconds(name, value, 1, 3600),
            "env" => config.envs = sink.envs(value),
            "desk" => config.desk = sink.desk("[desk]", value),
            "operator" => config.operator = sink.string(name, value),
            "counter" => config.counter = sink.string(name, value),
            "operators" => config.operators = sink.operators(value),
            "ask_operator" => config.ask_operator = sink.boolean(name, value),
            "ledger" => config.ledger = sink.ledger(value),
            _ => sink.unknown(offset, name, "at the top level", TOP_KEYS),
        }
    }
    config
}

/// Every distinct syntax error (at most 10), with a hint for the likeliest mistake.
fn report_syntax_errors(sink: &mut Sink<'_>, errors: &[toml::de::Error]) {
    // `env = "sandbox"` next to `[env.sandbox]` is a clash people make; say so.
    let env_clash = sink.text.lines().any(|line| {
        line.trim_start()
            .strip_prefix("env")
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    let hint = if env_clash {
        "`env = \"…\"` clashes with the [env.NAME] sections: to choose the environment \
         paydesk starts in, write default_env = \"sandbox\" instead"
    } else {
        "strings need double quotes (theme = \"dark\"), sections look like \
         [env.sandbox], one key = value per line"
    };
    let mut seen: Vec<(usize, String)> = Vec::new();
    for error in errors {
        let offset = error.span().map(|s| s.start).unwrap_or(0);
        let place = (offset, error.message().to_string());
        if seen.contains(&place) {
            continue;
        }
        seen.push(place);
        sink.at(
            offset,
            format!(
                "TOML syntax error: {}; the whole file is ignored",
                error.message()
            ),
            hint,
        );
        if seen.len() == 10 {
            break;
        }
    }
}

/// Collects problems with positions in one file.
struct Sink<'a> {
    text: &'a str,
    lines: LineIndex,
    path: &'a Path,
    problems: &'a mut Vec<ConfigProblem>,
}

impl Sink<'_> {
    fn at(&mut self, offset: usize, message: String, hint: &str) {
        let (line, column) = self.lines.locate(self.text, offset);
        self.problems.push(ConfigProblem {
            path: Some(self.path.to_path_buf()),
            line: Some(line),
            column: Some(column),
            message,
            hint: Some(hint.to_string()),
        });
    }

    fn locate<T>(&self, value: T, offset: usize) -> Located<T> {
        let (line, column) = self.lines.locate(self.text, offset);
        Located {
            value,
            line,
            column,
        }
    }

    fn unknown(&mut self, offset: usize, name: &str, place: &str, known: &[&str]) {
        let hint = match suggest(name, known) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known keys here: {}", known.join(", ")),
        };
        self.at(
            offset,
            format!("unknown key `{name}` {place}; it is ignored"),
            &hint,
        );
    }

    fn string(&mut self, name: &str, value: &Spanned<DeValue<'_>>) -> Option<Located<String>> {
        let offset = value.span().start;
        match value.get_ref() {
            DeValue::String(s) => Some(self.locate(s.to_string(), offset)),
            other => {
                self.at(
                    offset,
                    format!(
                        "`{name}` must be a string, not {}; it is ignored",
                        article(other.type_str())
                    ),
                    &format!("put the value in double quotes: {name} = \"…\""),
                );
                None
            }
        }
    }

    fn boolean(&mut self, name: &str, value: &Spanned<DeValue<'_>>) -> Option<Located<bool>> {
        let offset = value.span().start;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(self.locate(*b, offset)),
            other => {
                self.at(
                    offset,
                    format!(
                        "`{name}` must be true or false, not {}; it is ignored",
                        article(other.type_str())
                    ),
                    &format!("write it without quotes: {name} = true"),
                );
                None
            }
        }
    }

    /// `[[operators]]`: an array of tables with `name` (required) and `display`.
    fn operators(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<FileOperator> {
        let hint = "list each clerk as its own section:\n[[operators]]\nname = \"asha\"\n\
                    display = \"Asha Rao\"";
        let DeValue::Array(items) = value.get_ref() else {
            self.at(
                value.span().start,
                "`operators` must be a list of [[operators]] sections; it is ignored".into(),
                hint,
            );
            return Vec::new();
        };
        let mut operators = Vec::new();
        for item in items {
            let offset = item.span().start;
            let DeValue::Table(table) = item.get_ref() else {
                self.at(
                    offset,
                    "each entry of `operators` must be a section with a name; it is ignored".into(),
                    hint,
                );
                continue;
            };
            let mut name = None;
            let mut display = None;
            for (key, value) in table.iter() {
                let key_name = key.get_ref().as_ref();
                match key_name {
                    "name" => name = self.string(key_name, value),
                    "display" => display = self.string(key_name, value),
                    _ => self.unknown(
                        key.span().start,
                        key_name,
                        "in [[operators]]",
                        OPERATOR_KEYS,
                    ),
                }
            }
            match name {
                Some(name) => operators.push(FileOperator { name, display }),
                None => self.at(
                    offset,
                    "an [[operators]] entry has no name; it is ignored".into(),
                    hint,
                ),
            }
        }
        operators
    }

    fn seconds(
        &mut self,
        name: &str,
        value: &Spanned<DeValue<'_>>,
        min: u64,
        max: u64,
    ) -> Option<Located<u64>> {
        let offset = value.span().start;
        let hint = format!(
            "write a whole number of seconds from {min} to {max}, without quotes: {name} = {min}"
        );
        let DeValue::Integer(int) = value.get_ref() else {
            self.at(
                offset,
                format!(
                    "`{name}` must be a whole number of seconds, not {}; the default is used",
                    article(value.get_ref().type_str())
                ),
                &hint,
            );
            return None;
        };
        match u64::from_str_radix(int.as_str(), int.radix()) {
            Ok(n) if (min..=max).contains(&n) => Some(self.locate(n, offset)),
            _ => {
                self.at(
                    offset,
                    format!(
                        "`{name}` is out of range ({min} to {max} seconds); the default is used"
                    ),
                    &hint,
                );
                None
            }
        }
    }

    fn envs(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<(String, FileEnv)> {
        let DeValue::Table(table) = value.get_ref() else {
            self.at(
                value.span().start,
                "`env` holds the environment tables ([env.sandbox], [env.NAME]), \
                 not a single value; it is ignored"
                    .into(),
                "to choose the environment paydesk starts in, write default_env = \"sandbox\"",
            );
            return Vec::new();
        };
        let mut envs = Vec::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().to_string();
            if let Some(env) = self.env(&name, value) {
                envs.push((name, env));
            }
        }
        envs
    }

    fn env(&mut self, env_name: &str, value: &Spanned<DeValue<'_>>) -> Option<FileEnv> {
        let offset = value.span().start;
        let DeValue::Table(table) = value.get_ref() else {
            self.at(
                offset,
                format!("`env.{env_name}` must be a table of settings; it is ignored"),
                &format!("write it as a section:\n[env.{env_name}]\nbase_url = \"https://…\""),
            );
            return None;
        };
        let (line, column) = self.lines.locate(self.text, offset);
        let mut env = FileEnv {
            line,
            column,
            ..FileEnv::default()
        };
        let place = format!("in [env.{env_name}]");
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "base_url" => env.base_url = self.string(name, value),
                "merchant_id" => env.merchant_id = self.string(name, value),
                "client_id" => env.client_id = self.string(name, value),
                "return_url" => env.return_url = self.string(name, value),
                "profile" => env.profile = self.string(name, value),
                "api_key_cmd" => env.api_key_cmd = self.string(name, value),
                "api_key" => {
                    env.api_key = self.string(name, value).map(|l| Located {
                        value: ApiKey::new(l.value.trim()),
                        line: l.line,
                        column: l.column,
                    })
                }
                "desk" => env.desk = self.desk(&format!("[env.{env_name}.desk]"), value),
                _ => self.unknown(key.span().start, name, &place, ENV_KEYS),
            }
        }
        Some(env)
    }

    fn ledger(&mut self, value: &Spanned<DeValue<'_>>) -> Option<FileLedger> {
        let DeValue::Table(table) = value.get_ref() else {
            self.at(
                value.span().start,
                "`ledger` must be a section; it is ignored".into(),
                "write it as a section:\n[ledger]\nurl = \"postgres://USER@HOST/DATABASE\"",
            );
            return None;
        };
        let mut ledger = FileLedger::default();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "url" => ledger.url = self.string(name, value),
                "password_cmd" => ledger.password_cmd = self.string(name, value),
                _ => self.unknown(key.span().start, name, "in [ledger]", LEDGER_KEYS),
            }
        }
        Some(ledger)
    }

    fn desk(&mut self, place: &str, value: &Spanned<DeValue<'_>>) -> Option<FileDesk> {
        let DeValue::Table(table) = value.get_ref() else {
            self.at(
                value.span().start,
                format!("`{place}` must be a section of field values; it is ignored"),
                &format!("write it as a section:\n{place}\n\"metadata.agent_name\" = \"…\""),
            );
            return None;
        };
        let mut desk = FileDesk::default();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "customer_id_from" => desk.customer_id_from = self.string(name, value),
                "auto_advance" => desk.auto_advance = self.boolean(name, value),
                _ => self.desk_values(name, value, &mut desk.values),
            }
        }
        Some(desk)
    }

    /// One desk value; a table (from `metadata.agent_name = …` without quotes) is walked
    /// with its keys joined by dots.
    fn desk_values(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        out: &mut Vec<(String, Located<String>)>,
    ) {
        match value.get_ref() {
            DeValue::Table(table) => {
                for (inner, value) in table.iter() {
                    let joined = format!("{key}.{}", inner.get_ref());
                    self.desk_values(&joined, value, out);
                }
            }
            _ => {
                if let Some(text) = self.string(key, value) {
                    out.push((key.to_string(), text));
                }
            }
        }
    }
}

/// "a string", "an integer".
fn article(type_name: &str) -> String {
    let an = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if an { "an" } else { "a" })
}

/// 1-based line and column (in characters) of a byte offset.
#[cfg(test)]
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).locate(text, offset)
}

/// Where each line starts, so locating a problem does not rescan the file: a file with
/// 100,000 unknown keys would otherwise take minutes (each lookup counted from the top).
struct LineIndex {
    /// Byte offset of each line's first byte; the first is 0.
    starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte count.
    ascii: Vec<bool>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = starts
            .iter()
            .enumerate()
            .map(|(n, &start)| {
                let end = starts.get(n + 1).copied().unwrap_or(text.len());
                text.get(start..end).is_some_and(str::is_ascii)
            })
            .collect();
        LineIndex { starts, ascii }
    }

    /// 1-based line and column (in characters) of a byte offset in `text`.
    fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= end).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = if self.ascii.get(line - 1).copied().unwrap_or(false) {
            end - start
        } else {
            text.get(start..end).map_or(0, |s| s.chars().count())
        };
        (line, column + 1)
    }
}

/// The known word closest to `word`, if it is close enough to be a typo (or an alias).
pub(crate) fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase().replace('-', "_");
    if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == lower)
        && let Some(k) = known.iter().find(|k| *k == target)
    {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = if ca == *cb { diagonal } else { diagonal + 1 };
            let best = cost
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_lines_and_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(text, 9), (2, 3));
        assert_eq!(line_column(text, 10_000), (3, 1));
    }

    #[test]
    fn suggests_typos_and_aliases_but_not_strangers() {
        assert_eq!(suggest("merchnt_id", ENV_KEYS), Some("merchant_id"));
        assert_eq!(
            suggest("payment_page_client_id", ENV_KEYS),
            Some("client_id")
        );
        assert_eq!(suggest("log-level", TOP_KEYS), Some("log_level"));
        assert_eq!(suggest("colour_scheme", TOP_KEYS), None);
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
