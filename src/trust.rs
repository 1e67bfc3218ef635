//! Trust decisions: which of lam.toml's settings take effect.
//!
//! lam.toml belongs to the repository it came with, and a repository can
//! come from anyone. Settings that run code on this machine or widen what
//! the user's credentials reach take effect only when something the user
//! controls asked for them: `--trust` on the command line (this run), or a
//! trust record for this exact lam.toml content in the user's own config
//! directory (`lam trust`, as `direnv allow` and `mise trust` record theirs;
//! a changed file asks again). Until then lam says what it left out and how
//! to allow it.
//!
//! What needs trust:
//! - `[build] scripts = true`: npm runs packages' install scripts here;
//! - `[project] interpolate = [...]`: shell variables that look like
//!   credentials are copied into a deployed configuration;
//! - `[[function.policy]]` statements that allow every action of a service
//!   (`"*"`, `"s3:*"`) or on every resource (`"*"`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use crate::config::PolicyStatement;
use crate::error::{Error, Result};

static FLAG: AtomicBool = AtomicBool::new(false);

/// `--trust` was given: this run trusts the project's lam.toml.
pub fn set_flag(on: bool) {
    FLAG.store(on, Ordering::SeqCst);
}

/// One setting that takes effect only when trusted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Grant {
    /// The function it belongs to, or None for the project.
    pub function: Option<String>,
    /// What it lets lam do, in a phrase.
    pub what: String,
}

impl std::fmt::Display for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.function {
            Some(key) => write!(f, "{key}: {}", self.what),
            None => f.write_str(&self.what),
        }
    }
}

/// Whether a statement allows every action of a service, or every
/// resource.
pub fn is_wildcard(statement: &PolicyStatement) -> bool {
    let allows = statement.effect.as_deref().is_none_or(|e| e == "Allow");
    // Any wildcard in an action (`*`, `s3:*`, `iam:Pass*`), and a resource
    // that is every resource or every account's or region's (`*`,
    // `arn:aws:s3:::*`, `arn:aws:iam::*:role/*`); a path within one bucket
    // or table (`arn:aws:s3:::photos/*`) is not.
    allows
        && (statement.actions.iter().any(|a| a.contains('*'))
            || statement
                .resources
                .iter()
                .any(|r| r == "*" || r.contains("::*") || r.contains(":*:")))
}

/// How a statement reads in a message.
pub fn describe(statement: &PolicyStatement) -> String {
    format!(
        "{} on {}",
        statement.actions.join(", "),
        statement.resources.join(", ")
    )
}

/// lam's config directory: $XDG_CONFIG_HOME/lam, else ~/.config/lam.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return Some(dir.join("lam"));
    }
    std::env::home_dir().map(|h| h.join(".config").join("lam"))
}

/// Where the record for the lam.toml at `file` is kept.
fn record_path(file: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let key = crate::package::hex(&Sha256::digest(canonical.to_string_lossy().as_bytes()));
    Some(config_dir()?.join("trust").join(&key[..32]))
}

/// What a record says: the file's path and its content's hash.
fn record_text(file: &Path, text: &str) -> String {
    let canonical = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    format!(
        "{}\n{}\n",
        canonical.display(),
        crate::package::hex(&Sha256::digest(text.as_bytes()))
    )
}

/// Whether this run trusts the lam.toml at `file` whose content is `text`.
pub fn trusted(file: &Path, text: &str) -> bool {
    FLAG.load(Ordering::SeqCst) || recorded(file, text)
}

/// Whether the user's trust record names this exact content.
pub fn recorded(file: &Path, text: &str) -> bool {
    record_path(file)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|r| r == record_text(file, text))
}

/// Records trust in this content of the lam.toml at `file`.
pub fn allow(file: &Path, text: &str) -> Result<PathBuf> {
    let path = record_path(file).ok_or_else(|| {
        Error::local("no config directory for lam's trust records")
            .with_hint("set HOME or XDG_CONFIG_HOME")
    })?;
    let dir = path.parent().unwrap_or(&path);
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let tmp = dir.join(format!(".{}.tmp", std::process::id()));
    std::fs::write(&tmp, record_text(file, text)).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))?;
    Ok(path)
}

/// Removes the trust record of the lam.toml at `file`; whether there was one.
pub fn revoke(file: &Path) -> Result<bool> {
    let Some(path) = record_path(file) else {
        return Ok(false);
    };
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io("remove", &path, e)),
    }
}

/// The hint every "not trusted" message ends with.
pub const HOW_TO_TRUST: &str =
    "read lam.toml, then run `lam trust` to allow it (or pass --trust for this run)";

/// Whether lam.toml at `file` may be read at all: on Unix, only a file the
/// user owns, in a directory the user owns that no one else may write to
/// (as git refuses a repository another user owns: CVE-2022-24765). A
/// lam.toml planted in a shared directory above the project (/tmp) is
/// never taken for the user's own.
pub fn check_ownership(file: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        let dir = file.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let (Ok(f), Ok(d)) = (std::fs::metadata(file), std::fs::metadata(dir)) else {
            return Ok(());
        };
        let refuse = |why: String| {
            Err(Error::config(format!("{} {why}", file.display())).with_hint(
                "lam reads only a lam.toml you own, in a directory only you can write to; run lam in your own copy of the project, or pass -C <dir>",
            ))
        };
        if f.uid() != me {
            return refuse(format!("belongs to another user (uid {})", f.uid()));
        }
        if d.uid() != me {
            return refuse(format!(
                "is in a directory that belongs to another user (uid {})",
                d.uid()
            ));
        }
        if d.mode() & 0o002 != 0 {
            return refuse("is in a directory every user may write to".into());
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(actions: &[&str], resources: &[&str]) -> PolicyStatement {
        PolicyStatement {
            effect: None,
            actions: actions.iter().map(|s| s.to_string()).collect(),
            resources: resources.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn wildcards_are_whole_services_or_every_resource() {
        assert!(is_wildcard(&statement(&["*"], &["arn:aws:s3:::b"])));
        assert!(is_wildcard(&statement(&["s3:*"], &["arn:aws:s3:::b"])));
        assert!(is_wildcard(&statement(&["s3:GetObject"], &["*"])));
        assert!(!is_wildcard(&statement(
            &["s3:GetObject"],
            &["arn:aws:s3:::b/*"]
        )));
        assert!(is_wildcard(&statement(
            &["iam:Pass*"],
            &["arn:aws:iam::1:role/r"]
        )));
        assert!(is_wildcard(&statement(
            &["s3:GetObject"],
            &["arn:aws:s3:::*"]
        )));
        assert!(is_wildcard(&statement(
            &["sts:AssumeRole"],
            &["arn:aws:iam::*:role/x"]
        )));
        let mut deny = statement(&["*"], &["*"]);
        deny.effect = Some("Deny".into());
        assert!(!is_wildcard(&deny));
    }
}
