//! Where the branch ledger is: the `postgres://` URL, its TLS mode and the password.
//!
//! The URL comes from `PAYDESK_LEDGER_URL` or `[ledger] url` in the config. `sslmode` is
//! read here, not by tokio-postgres, because tokio-postgres knows `disable`, `prefer` and
//! `require` but not `verify-full`. The password is taken, like libpq does, from the URL,
//! then `PGPASSWORD`, then the password file (`PGPASSFILE` or `~/.pgpass`), and last from
//! `password_cmd` (run like `api_key_cmd`). It is never part of a message: every URL shown
//! goes through `mask_url`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use tokio_postgres::config::Host;

/// The environment variable naming the ledger (overrides `[ledger] url`).
pub const URL_ENV: &str = crate::config::LEDGER_URL_ENV;

/// How the connection is encrypted (`?sslmode=` in the URL, `require` when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP (a ledger on the same machine or a private network).
    Disable,
    /// TLS, without checking the server's certificate (libpq's `require`).
    Require,
    /// TLS, the certificate checked against the system's roots and the host name.
    VerifyFull,
}

impl SslMode {
    /// The word used in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Require => "require",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// Why the ledger's place could not be understood; no variant holds the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("the ledger URL must start with postgres:// or postgresql:// (got {0})")]
    Scheme(String),
    #[error("the ledger URL {url} is not valid: {why}")]
    Invalid { url: String, why: String },
    #[error("the ledger URL {url} has sslmode={mode}; use disable, require or verify-full")]
    SslMode { url: String, mode: String },
    #[error("the ledger password_cmd failed: {0}")]
    PasswordCmd(String),
}

/// A parsed ledger URL with its password resolved. `Debug` shows only the masked URL.
#[derive(Clone)]
pub struct LedgerTarget {
    config: tokio_postgres::Config,
    ssl: SslMode,
    masked: String,
}

impl std::fmt::Debug for LedgerTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerTarget")
            .field("url", &self.masked)
            .field("ssl", &self.ssl)
            .finish()
    }
}

/// Where else a password may come from, after the URL.
#[derive(Debug, Clone, Default)]
pub struct PasswordSources {
    /// `PGPASSWORD`.
    pub env_password: Option<String>,
    /// The password file: `PGPASSFILE`, else `~/.pgpass`.
    pub pgpass: Option<PathBuf>,
    /// `[ledger] password_cmd` or `PAYDESK_LEDGER_PASSWORD_CMD`: prints the password.
    pub password_cmd: Option<String>,
}

impl PasswordSources {
    /// The sources this process has: `PGPASSWORD`, `PGPASSFILE` or `~/.pgpass`,
    /// `PAYDESK_LEDGER_PASSWORD_CMD` (a config's `password_cmd` is set by the caller).
    pub fn from_env() -> PasswordSources {
        let pgpass = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")));
        PasswordSources {
            env_password: std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()),
            pgpass,
            password_cmd: std::env::var("PAYDESK_LEDGER_PASSWORD_CMD")
                .ok()
                .filter(|c| !c.trim().is_empty()),
        }
    }
}

impl LedgerTarget {
    /// Parses `url` (`postgres://user[:password]@host[:port]/database[?sslmode=…]`) and
    /// resolves the password from `sources` when the URL has none.
    pub fn parse(url: &str, sources: &PasswordSources) -> Result<LedgerTarget, TargetError> {
        let masked = mask_url(url);
        let trimmed = url.trim();
        if !(trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://")) {
            return Err(TargetError::Scheme(masked));
        }
        let (rest, ssl) = take_sslmode(trimmed).map_err(|mode| TargetError::SslMode {
            url: masked.clone(),
            mode,
        })?;
        // tokio-postgres's messages name the option, never its value; still, they are
        // reduced to their kind so no part of the URL can leak through them.
        let mut config =
            tokio_postgres::Config::from_str(&rest).map_err(|e| TargetError::Invalid {
                url: masked.clone(),
                why: reason(&e.to_string()),
            })?;
        config.ssl_mode(match ssl {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Require | SslMode::VerifyFull => tokio_postgres::config::SslMode::Require,
        });
        if config.get_application_name().is_none() {
            config.application_name("paydesk");
        }
        if config.get_password().is_none()
            && let Some(password) = find_password(&config, sources)?
        {
            config.password(password);
        }
        Ok(LedgerTarget {
            config,
            ssl,
            masked,
        })
    }

    /// The URL with its password replaced by `***`: the only form ever shown.
    pub fn masked(&self) -> &str {
        &self.masked
    }

    /// The TLS mode.
    pub fn ssl(&self) -> SslMode {
        self.ssl
    }

    /// True when a password was found (in the URL or elsewhere).
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// The connection settings for tokio-postgres.
    pub fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    /// Mutable settings (tests point a target at their own database).
    pub fn config_mut(&mut self) -> &mut tokio_postgres::Config {
        &mut self.config
    }
}

/// A tokio-postgres parse message without anything quoted from the input.
fn reason(message: &str) -> String {
    let head = message.split(':').next().unwrap_or(message).trim();
    if head.contains('`') || head.contains('"') || head.contains('\'') {
        "it could not be parsed".to_string()
    } else {
        head.to_string()
    }
}

/// Removes `sslmode=…` from the query string and reads it.
fn take_sslmode(url: &str) -> Result<(String, SslMode), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), SslMode::Require));
    };
    let mut ssl = SslMode::Require;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", mode)) => {
                ssl = match mode {
                    "disable" => SslMode::Disable,
                    "require" => SslMode::Require,
                    "verify-full" => SslMode::VerifyFull,
                    other => return Err(crate::text::sanitize_line(other).into_owned()),
                }
            }
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, ssl))
}

/// `postgres://paydesk:secret@host/db` → `postgres://paydesk:***@host/db`; a
/// `password=` query parameter is masked too. Text that is not a URL is shown by its
/// scheme only, as it may be a password pasted in the wrong place.
pub fn mask_url(url: &str) -> String {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(not a URL)".to_string();
    };
    let (authority_end, _) = rest
        .char_indices()
        .find(|(_, c)| *c == '/' || *c == '?')
        .unwrap_or((rest.len(), ' '));
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some(("password", _)) => "password=***".to_string(),
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    crate::text::sanitize_line(&format!("{scheme}://{authority}{tail}")).into_owned()
}

/// `PGPASSWORD`, then the password file, then `password_cmd`.
fn find_password(
    config: &tokio_postgres::Config,
    sources: &PasswordSources,
) -> Result<Option<String>, TargetError> {
    if let Some(password) = &sources.env_password {
        return Ok(Some(password.clone()));
    }
    if let Some(path) = &sources.pgpass
        && let Some(password) = pgpass_lookup(path, config)
    {
        return Ok(Some(password));
    }
    if let Some(cmd) = &sources.password_cmd {
        let secret = crate::config::run_secret_cmd(cmd).map_err(TargetError::PasswordCmd)?;
        return Ok(Some(secret.expose().to_string()));
    }
    Ok(None)
}

/// The password of the first matching line of a libpq password file
/// (`host:port:database:username:password`, `*` matches anything, `\:` and `\\` escape).
/// Like libpq, a file others may read is ignored.
fn pgpass_lookup(path: &Path, config: &tokio_postgres::Config) -> Option<String> {
    if !is_private(path) {
        return None;
    }
    let text = crate::files::read_text(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) | None => "localhost".to_string(),
        #[cfg(not(unix))]
        None => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let database = config.get_dbname().unwrap_or(&user).to_string();
    let wanted = [host, port, database, user];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            let [h, p, d, u, password] = <[String; 5]>::try_from(fields).ok()?;
            let matches = [h, p, d, u]
                .iter()
                .zip(&wanted)
                .all(|(field, want)| field == "*" || field == want);
            matches.then_some(password)
        })
}

/// Splits a password-file line on unescaped `:`.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(field) = fields.last_mut()
                {
                    field.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
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

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> PasswordSources {
        PasswordSources::default()
    }

    #[test]
    fn masks_the_password_and_keeps_the_rest() {
        assert_eq!(
            mask_url("postgres://paydesk:s3cr:et@db.branch:5433/ledger?sslmode=require"),
            "postgres://paydesk:***@db.branch:5433/ledger?sslmode=require"
        );
        assert_eq!(
            mask_url("postgres://paydesk@db/ledger?password=hunter2&sslmode=disable"),
            "postgres://paydesk@db/ledger?password=***&sslmode=disable"
        );
        assert_eq!(mask_url("hunter2"), "(not a URL)");
    }

    #[test]
    fn reads_sslmode_and_refuses_unknown_modes() {
        let t = LedgerTarget::parse("postgres://u:p@h/db?sslmode=verify-full", &none());
        assert_eq!(t.map(|t| t.ssl()), Ok(SslMode::VerifyFull));
        let t = LedgerTarget::parse("postgres://u@h/db", &none());
        assert_eq!(t.map(|t| t.ssl()), Ok(SslMode::Require));
        let t = LedgerTarget::parse("postgres://u:hunter2@h/db?sslmode=allow", &none());
        let message = t
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("sslmode=allow"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
        let t = LedgerTarget::parse("mysql://u:hunter2@h/db", &none());
        let message = t
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            !message.contains("hunter2") && message.contains("***"),
            "{message}"
        );
    }

    #[test]
    fn password_comes_from_the_url_then_pgpassword_then_the_file() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:wrong\ndb.branch:5432:ledger:pay\\:desk:from-file\n",
        )
        .ok();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).ok();
        }
        let password = |url: &str, sources: &PasswordSources| {
            LedgerTarget::parse(url, sources)
                .ok()
                .and_then(|t| t.config().get_password().map(|p| p.to_vec()))
        };
        let file_only = PasswordSources {
            pgpass: Some(file.clone()),
            ..none()
        };
        let url = "postgres://pay%3Adesk@db.branch/ledger";
        assert_eq!(password(url, &file_only), Some(b"from-file".to_vec()));
        let with_env = PasswordSources {
            env_password: Some("from-env".into()),
            ..file_only.clone()
        };
        assert_eq!(password(url, &with_env), Some(b"from-env".to_vec()));
        let in_url = "postgres://pay%3Adesk:from-url@db.branch/ledger";
        assert_eq!(password(in_url, &with_env), Some(b"from-url".to_vec()));
        assert_eq!(password("postgres://x@elsewhere/ledger", &file_only), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).ok();
            assert_eq!(
                password(url, &file_only),
                None,
                "a readable file is ignored"
            );
        }
    }

    #[test]
    fn debug_shows_only_the_masked_url() {
        let t = LedgerTarget::parse("postgres://u:hunter2@h/db", &none());
        let text = format!("{t:?}");
        assert!(!text.contains("hunter2") && text.contains("***"), "{text}");
    }
}
