//! The shared AWS config files, read the way the SDK reads them, for what
//! the SDK does not say: whether a named profile exists at all (the SDK
//! reports a missing profile as a missing region or missing credentials),
//! and where the credentials of the chain will come from (`lam doctor`).
//!
//! Files: `AWS_CONFIG_FILE` (default `~/.aws/config`, sections
//! `[default]`, `[profile NAME]`, `[sso-session NAME]`) and
//! `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`, sections
//! `[NAME]`). Values are never printed: only key names are looked at.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// One profile's keys (lower-cased) and values, both files merged
/// (credentials win, as in the SDK).
pub type Keys = BTreeMap<String, String>;

/// The profile lam uses, and what chose it.
pub fn selected(flag: Option<&str>) -> (String, &'static str) {
    if let Some(p) = flag {
        return (p.to_string(), "--profile");
    }
    match std::env::var("AWS_PROFILE") {
        Ok(p) if !p.is_empty() => (p, "AWS_PROFILE"),
        _ => ("default".into(), "the default profile"),
    }
}

fn home_file(var: &str, name: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|h| h.join(".aws").join(name)))
}

/// The config file and the credentials file, as paths.
pub fn files() -> (Option<PathBuf>, Option<PathBuf>) {
    (
        home_file("AWS_CONFIG_FILE", "config"),
        home_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    )
}

/// Every section of an INI-like AWS file: (header, keys).
fn sections(text: &str) -> Vec<(String, Keys)> {
    let mut out: Vec<(String, Keys)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((header.trim().to_string(), Keys::new()));
        } else if let (Some((key, value)), Some((_, keys))) = (line.split_once('='), out.last_mut())
        {
            keys.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    out
}

/// The profiles both files define, each with its keys.
pub fn profiles() -> BTreeMap<String, Keys> {
    let (config, credentials) = files();
    let mut out: BTreeMap<String, Keys> = BTreeMap::new();
    if let Some(text) = config.and_then(|p| std::fs::read_to_string(p).ok()) {
        for (header, keys) in sections(&text) {
            let name = match header.split_once(char::is_whitespace) {
                Some(("profile", name)) => name.trim().to_string(),
                Some(_) => continue,
                None if header == "default" => header,
                None => continue,
            };
            out.entry(name).or_default().extend(keys);
        }
    }
    if let Some(text) = credentials.and_then(|p| std::fs::read_to_string(p).ok()) {
        for (header, keys) in sections(&text) {
            out.entry(header).or_default().extend(keys);
        }
    }
    out
}

/// An `[sso-session NAME]` section of the config file.
fn sso_session(name: &str) -> Option<Keys> {
    let text = std::fs::read_to_string(files().0?).ok()?;
    sections(&text).into_iter().find_map(|(header, keys)| {
        let (kind, n) = header.split_once(char::is_whitespace)?;
        (kind == "sso-session" && n.trim() == name).then_some(keys)
    })
}

/// A profile named on the command line or in AWS_PROFILE must exist: the
/// SDK would otherwise go on without it and report "no region" or "no
/// credentials" as if the default profile had been asked for.
pub fn check_selected(flag: Option<&str>, all: &BTreeMap<String, Keys>) -> Result<()> {
    let (name, source) = selected(flag);
    if source == "the default profile" {
        return Ok(());
    }
    // AWS_PROFILE left in a shell whose credentials come from the
    // environment: the SDK never reads the profile for them. Only a
    // profile asked for on the command line must exist.
    let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if source == "AWS_PROFILE" && env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY") {
        return Ok(());
    }
    if all.contains_key(&name) {
        return Ok(());
    }
    let (config, credentials) = files();
    let shown = |p: Option<PathBuf>| p.map_or("-".into(), |p| p.display().to_string());
    let known: Vec<&str> = all.keys().map(String::as_str).collect();
    let hint = if known.is_empty() {
        format!(
            "there is no profile in either file; create it with `aws configure --profile {name}` (or `aws configure sso --profile {name}`)"
        )
    } else {
        format!(
            "profiles there: {}; pick one, or create it with `aws configure --profile {name}`",
            known.join(", ")
        )
    };
    Err(Error::aws(format!(
        "the AWS profile \"{name}\" ({source}) is in neither {} nor {}",
        shown(config),
        shown(credentials)
    ))
    .with_hint(hint))
}

/// Where the standard chain will find credentials, in the chain's order,
/// said without reading a secret: the first source that is configured.
pub fn credential_source(flag: Option<&str>) -> Source {
    let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let (name, chosen_by) = selected(flag);
    // An explicit profile comes before environment keys in the SDK's chain
    // only for region; for credentials the environment wins.
    if env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY") {
        return Source::plain(format!(
            "environment variables (AWS_ACCESS_KEY_ID{})",
            if env("AWS_SESSION_TOKEN") {
                ", with AWS_SESSION_TOKEN"
            } else {
                ""
            }
        ));
    }
    if let Some(keys) = profiles().get(&name) {
        let label = format!("profile \"{name}\" ({chosen_by})");
        if keys.contains_key("aws_access_key_id") {
            return Source::plain(format!("{label}: access keys"));
        }
        if let Some(session) = keys.get("sso_session") {
            let start = sso_session(session).and_then(|k| k.get("sso_start_url").cloned());
            return Source::sso(format!("{label}: SSO session \"{session}\""), start);
        }
        if let Some(start) = keys.get("sso_start_url") {
            return Source::sso(format!("{label}: SSO (legacy)"), Some(start.clone()));
        }
        if keys.contains_key("role_arn") {
            return Source::plain(format!("{label}: an assumed role"));
        }
        if keys.contains_key("credential_process") {
            return Source::plain(format!("{label}: credential_process"));
        }
        if keys.contains_key("web_identity_token_file") {
            return Source::plain(format!("{label}: web identity"));
        }
    }
    if env("AWS_WEB_IDENTITY_TOKEN_FILE") {
        return Source::plain("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)".into());
    }
    if env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || env("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        return Source::plain("container credentials (ECS, EKS Pod Identity)".into());
    }
    if std::env::var("AWS_EC2_METADATA_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true")) {
        return Source::none();
    }
    Source {
        imds: true,
        ..Source::plain("instance metadata (IMDS), if this is an EC2 instance".into())
    }
}

/// What [`credential_source`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Said to the user; None when nothing is configured.
    pub description: Option<String>,
    /// An SSO session's cached token: when it expires (RFC 3339), if found.
    pub sso_expires: Option<String>,
    pub sso: bool,
    /// Nothing is configured: only instance metadata is left to try.
    pub imds: bool,
}

impl Source {
    fn plain(description: String) -> Source {
        Source {
            description: Some(description),
            sso_expires: None,
            sso: false,
            imds: false,
        }
    }

    fn none() -> Source {
        Source {
            description: None,
            sso_expires: None,
            sso: false,
            imds: false,
        }
    }

    fn sso(description: String, start_url: Option<String>) -> Source {
        Source {
            description: Some(description),
            sso_expires: start_url.and_then(|url| sso_token_expiry(&url)),
            sso: true,
            imds: false,
        }
    }
}

/// The `expiresAt` of the newest cached SSO token for `start_url`
/// (`~/.aws/sso/cache/*.json`, written by `aws sso login`); the token
/// itself is not read into anything that is printed.
fn sso_token_expiry(start_url: &str) -> Option<String> {
    let dir = std::env::home_dir()?.join(".aws").join("sso").join("cache");
    let mut newest: Option<String> = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if doc.get("startUrl").and_then(|v| v.as_str()) != Some(start_url) {
            continue;
        }
        if let Some(expires) = doc.get("expiresAt").and_then(|v| v.as_str())
            && newest.as_deref().is_none_or(|n| expires > n)
        {
            newest = Some(expires.to_string());
        }
    }
    newest
}

/// Where the region comes from: the flag, the environment, the profile,
/// lam.toml; None when nothing sets one.
pub fn region_source(
    flag: Option<&str>,
    profile_flag: Option<&str>,
    project: Option<&str>,
) -> Option<(String, String)> {
    if let Some(r) = flag {
        return Some((r.to_string(), "--region".into()));
    }
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Ok(r) = std::env::var(var)
            && !r.is_empty()
        {
            return Some((r, var.into()));
        }
    }
    let (name, _) = selected(profile_flag);
    if let Some(r) = profiles().get(&name).and_then(|k| k.get("region")) {
        return Some((r.clone(), format!("profile \"{name}\"")));
    }
    project.map(|r| (r.to_string(), "lam.toml [project] region".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_read_as_the_sdk_reads_them() {
        let text = "# comment\n[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = corp\nRegion=us-east-2\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n";
        let s = sections(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].0, "default");
        assert_eq!(s[1].0, "profile dev");
        assert_eq!(s[1].1.get("region").map(String::as_str), Some("us-east-2"));
        assert_eq!(s[2].0, "sso-session corp");
    }
}
