//! Finding the interpreter a function runs with locally.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The project's `.venv` first (where its dependencies are), then `LAM_PYTHON`,
/// then `python3` / `python` on PATH.
pub fn python(root: &Path, source: &Path) -> Result<PathBuf> {
    let mut tried = Vec::new();
    for dir in [source, root] {
        for rel in [".venv/bin/python", ".venv/Scripts/python.exe"] {
            let candidate = dir.join(rel);
            if candidate.is_file() {
                return Ok(candidate);
            }
            tried.push(candidate.display().to_string());
        }
    }
    if let Some(configured) = std::env::var_os("LAM_PYTHON") {
        let p = PathBuf::from(&configured);
        if let Some(found) = on_path(&p) {
            return Ok(found);
        }
        return Err(Error::local(format!(
            "LAM_PYTHON points at '{}', which does not exist",
            p.display()
        ))
        .with_hint("set LAM_PYTHON to a Python 3 interpreter, or unset it"));
    }
    for name in ["python3", "python"] {
        if let Some(found) = on_path(Path::new(name)) {
            return Ok(found);
        }
        tried.push(format!("{name} on PATH"));
    }
    Err(
        Error::local("no Python interpreter found").with_hint(format!(
            "lam looked for {}; install Python 3, create .venv, or set LAM_PYTHON",
            tried.join(", ")
        )),
    )
}

/// `LAM_NODE`, then `node` on PATH.
pub fn node() -> Result<PathBuf> {
    if let Some(configured) = std::env::var_os("LAM_NODE") {
        let p = PathBuf::from(&configured);
        return on_path(&p).ok_or_else(|| {
            Error::local(format!(
                "LAM_NODE points at '{}', which does not exist",
                p.display()
            ))
            .with_hint("set LAM_NODE to a Node.js binary, or unset it")
        });
    }
    on_path(Path::new("node")).ok_or_else(|| {
        Error::local("no Node.js interpreter found")
            .with_hint("lam looked for `node` on PATH; install Node.js or set LAM_NODE")
    })
}

/// `npm` on PATH, for installing Node.js dependencies.
pub fn npm() -> Result<PathBuf> {
    on_path(Path::new("npm")).ok_or_else(|| {
        Error::local("npm not found")
            .with_hint("install Node.js with npm to package Node.js dependencies")
    })
}

/// `name` itself when it is a path to a file, else the first match on PATH.
fn on_path(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 {
        return name.is_file().then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_venv_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".venv/bin")).unwrap();
        std::fs::write(dir.path().join(".venv/bin/python"), "").unwrap();
        assert_eq!(
            python(dir.path(), dir.path()).unwrap(),
            dir.path().join(".venv/bin/python")
        );
    }

    #[test]
    fn absolute_paths_are_checked() {
        assert!(on_path(Path::new("/nonexistent/python3")).is_none());
        assert!(on_path(Path::new("sh")).is_some());
    }
}
