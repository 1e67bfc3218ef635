//! Tools lam runs but does not ship: uv for Python dependencies, debugpy
//! for `--debug`. Each is found where the developer already has it, or
//! installed once, pinned, into lam's cache from the package index.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// The uv lam installs when the project and PATH have none.
pub const UV_VERSION: &str = "0.13.9";

/// lam's cache directory: $XDG_CACHE_HOME/lam, else ~/.cache/lam.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("lam"));
    }
    std::env::home_dir()
        .map(|h| h.join(".cache").join("lam"))
        .ok_or_else(|| {
            Error::local("no home directory for lam's cache").with_hint("set XDG_CACHE_HOME")
        })
}

/// Installs `requirement` (pinned) with `python`'s pip into `dir`, unless
/// `ready(dir)` says it is there already. Staged and renamed, so an
/// interrupted install is never taken for a finished one.
pub fn pip_install_into(
    python: &Path,
    requirement: &str,
    dir: &Path,
    ready: impl Fn(&Path) -> bool,
    quiet: bool,
) -> Result<PathBuf> {
    if ready(dir) {
        return Ok(dir.to_path_buf());
    }
    if !quiet {
        eprintln!(
            "Installing {} into {} (once)",
            requirement.replace("==", " "),
            dir.display()
        );
    }
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".install-")
        .tempdir_in(parent)
        .map_err(|e| Error::io("write in", parent, e))?;
    let mut pip = crate::subprocess::pip_install(python)?;
    pip.command()
        .args(["--only-binary=:all:", "--target"])
        .arg(staging.path())
        .args(requirement.split_whitespace());
    let out = pip.output().map_err(|e| {
        Error::local(format!(
            "cannot run {}: {}",
            python.display(),
            crate::error::io_reason(&e)
        ))
        .with_hint("set LAM_PYTHON to a Python 3 with pip")
    })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(Error::local(format!(
            "pip could not install {requirement}: {}",
            stderr
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("no output")
        ))
        .with_hint("check your network and pip's index settings, then try again"));
    }
    let staged = staging.keep();
    if std::fs::rename(&staged, dir).is_err() {
        let _ = std::fs::remove_dir_all(&staged);
        // Another lam finished the same install first.
        if !ready(dir) {
            return Err(
                Error::local(format!("cannot move {requirement} into {}", dir.display()))
                    .with_hint("check that lam's cache directory is writable (XDG_CACHE_HOME)"),
            );
        }
    }
    Ok(dir.to_path_buf())
}

/// A uv executable and where lam found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Uv {
    pub path: PathBuf,
    /// "LAM_UV", "PATH" or "lam's cache".
    pub from: &'static str,
}

impl Uv {
    pub fn describe(&self) -> String {
        format!("uv ({})", self.from)
    }
}

/// uv, looked for in order: `LAM_UV`, PATH, lam's cache. None when none
/// is there. Never one from inside the project (`.venv/bin/uv`): that is
/// the repository's, and would run with the user's files.
pub fn find_uv() -> Option<Uv> {
    if let Some(p) = std::env::var_os("LAM_UV").filter(|p| !p.is_empty()) {
        return Some(Uv {
            path: PathBuf::from(p),
            from: "LAM_UV",
        });
    }
    if let Some(found) = crate::interpreter::on_path(Path::new("uv")) {
        return Some(Uv {
            path: found,
            from: "PATH",
        });
    }
    let cached = uv_cache_dir().ok()?.join("bin").join("uv");
    cached.is_file().then_some(Uv {
        path: cached,
        from: "lam's cache",
    })
}

fn uv_cache_dir() -> Result<PathBuf> {
    Ok(cache_dir()?.join("uv").join(UV_VERSION))
}

/// Installs uv `UV_VERSION` into lam's cache with `python`'s pip.
pub fn install_uv(python: &Path, quiet: bool) -> Result<Uv> {
    let dir = uv_cache_dir()?;
    let dir = pip_install_into(
        python,
        &format!("uv=={UV_VERSION}"),
        &dir,
        |d| d.join("bin").join("uv").is_file(),
        quiet,
    )?;
    Ok(Uv {
        path: dir.join("bin").join("uv"),
        from: "lam's cache",
    })
}

/// The oldest uv lam drives: `--python-platform <arch>-manylinux_2_34`
/// and `--no-progress` are needed.
pub const UV_MINIMUM: (u32, u32) = (0, 6);

/// uv's version (`uv 0.13.9 (...)`), or None when it does not run (a copy
/// for another platform, a broken link).
pub fn version(uv: &Uv) -> Option<(u32, u32, u32)> {
    let mut cmd = Command::new(&uv.path);
    cmd.arg("--version");
    crate::subprocess::scrub_environment(&mut cmd);
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    parse_version(&String::from_utf8_lossy(&out.stdout))
}

fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let v = text.split_whitespace().nth(1)?;
    let mut parts = v.split(['.', '-', '+']).map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn uv_versions() {
        assert_eq!(
            super::parse_version("uv 0.13.9 (x86_64-unknown-linux-gnu)\n"),
            Some((0, 13, 9))
        );
        assert_eq!(super::parse_version("uv 0.5.0-rc1"), Some((0, 5, 0)));
        assert_eq!(super::parse_version("nonsense"), None);
    }
}
