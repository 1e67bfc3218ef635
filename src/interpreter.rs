//! Finding the interpreter a function runs with locally.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The interpreter for a Python function: the project's `.venv` first
/// (where its dependencies are), then `LAM_PYTHON`, then the runtime's own
/// `python3.X` on PATH or under pyenv, then `python3` / `python` on PATH.
pub fn python(root: &Path, source: &Path) -> Result<PathBuf> {
    python_for(root, source, None)
}

/// As [`python`], preferring the interpreter of `runtime` ("python3.12")
/// over a generic `python3`.
pub fn python_for(root: &Path, source: &Path, runtime: Option<&str>) -> Result<PathBuf> {
    python_choice(root, source, runtime).map(|(path, _)| path)
}

/// As [`python_for`], with why that interpreter was chosen ("the
/// project's .venv", "LAM_PYTHON", "python3.12 on PATH", ...): what `lam
/// doctor` says.
pub fn python_choice(
    root: &Path,
    source: &Path,
    runtime: Option<&str>,
) -> Result<(PathBuf, String)> {
    let mut tried = Vec::new();
    let dirs: &[&Path] = if source == root {
        &[source]
    } else {
        &[source, root]
    };
    for dir in dirs {
        for rel in [".venv/bin/python", ".venv/Scripts/python.exe"] {
            let candidate = dir.join(rel);
            if candidate.is_file() {
                users_own_venv(root, &candidate)?;
                return Ok((candidate, "the project's .venv, which comes first".into()));
            }
            tried.push(candidate.display().to_string());
        }
    }
    python_outside_project(runtime, tried)
}

/// The interpreter a run outside any project takes, and why.
pub fn python_choice_outside(runtime: Option<&str>) -> Result<(PathBuf, String)> {
    python_outside_project(runtime, Vec::new())
}

/// The interpreter that runs an install (pip): never one from inside the
/// project, which is the repository's (see `crate::trust`): `LAM_PYTHON`,
/// then the runtime's `python3.X`, then `python3` / `python`.
pub fn build_python(runtime: Option<&str>) -> Result<PathBuf> {
    python_outside_project(runtime, Vec::new()).map(|(path, _)| path)
}

/// A project's `.venv` interpreter runs only when the venv is the user's
/// own: made by this user (its `pyvenv.cfg` and the `python` link are
/// theirs) and not part of the repository (not tracked by git). A
/// repository that ships `.venv/bin/python` ships code lam would run.
fn users_own_venv(root: &Path, python: &Path) -> Result<()> {
    let venv = python
        .parent()
        .and_then(Path::parent)
        .unwrap_or(root)
        .to_path_buf();
    let refuse = |why: String| {
        Err(Error::local(format!("{} {why}", python.display())).with_hint(
            "lam runs no interpreter a repository ships: recreate the venv yourself (rm -rf .venv && python3 -m venv .venv), or set LAM_PYTHON",
        ))
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        for path in [venv.join("pyvenv.cfg"), python.to_path_buf()] {
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.uid() != me => {
                    return refuse(format!(
                        "belongs to another user ({} is uid {}'s)",
                        path.display(),
                        meta.uid()
                    ));
                }
                Ok(_) => {}
                Err(_) if path.ends_with("pyvenv.cfg") => {
                    return refuse("is not in a venv (no pyvenv.cfg beside it)".into());
                }
                Err(_) => {}
            }
        }
    }
    // git answers "not tracked" for a path under a tracked symlink or in a
    // submodule: a venv that is either came with the repository.
    let bin = python.parent().unwrap_or(&venv);
    for dir in [venv.as_path(), bin] {
        if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return refuse(format!(
                "is in {}, a symbolic link: a venv python -m venv makes is a directory",
                dir.display()
            ));
        }
    }
    if std::fs::symlink_metadata(venv.join(".git")).is_ok() {
        return refuse(format!(
            "is in {}, a git repository of its own (a submodule)",
            venv.display()
        ));
    }
    if tracked_by_git(root, python) {
        return refuse("is tracked by git: it came with the repository".into());
    }
    Ok(())
}

/// Whether git tracks `path` in the repository around `root`. git runs
/// with the repository's fsmonitor and hooks off; no git, or no
/// repository, is "not tracked".
fn tracked_by_git(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "--no-pager",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "ls-files",
            "--error-unmatch",
            "--",
        ])
        .arg(rel)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn python_outside_project(
    runtime: Option<&str>,
    mut tried: Vec<String>,
) -> Result<(PathBuf, String)> {
    if let Some(configured) = std::env::var_os("LAM_PYTHON") {
        let p = PathBuf::from(&configured);
        if let Some(found) = on_path(&p) {
            return Ok((found, "LAM_PYTHON".into()));
        }
        return Err(Error::local(format!(
            "LAM_PYTHON points at '{}', which does not exist",
            p.display()
        ))
        .with_hint("set LAM_PYTHON to a Python 3 interpreter, or unset it"));
    }
    if let Some(name) = runtime.and_then(|r| r.strip_prefix("python")) {
        let exact = format!("python{name}");
        // A pyenv shim for a version that is not selected fails when run
        // ("pyenv: python3.12: command not found"): pyenv's own copy of the
        // version is taken instead.
        if let Some(found) = on_path(Path::new(&exact)).filter(|p| !is_pyenv_shim(p)) {
            return Ok((found, format!("{exact} on PATH, the runtime's own")));
        }
        tried.push(format!("{exact} on PATH"));
        if let Some(found) = pyenv_python(name) {
            return Ok((found, format!("pyenv's newest {name}")));
        }
    }
    for name in ["python3", "python"] {
        if let Some(found) = on_path(Path::new(name)) {
            let why = match runtime {
                Some(r) => format!("{name} on PATH: no {r} on PATH or under pyenv"),
                None => format!("{name} on PATH"),
            };
            return Ok((found, why));
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

fn is_pyenv_shim(path: &Path) -> bool {
    path.parent()
        .is_some_and(|dir| dir.ends_with("shims") && dir.to_string_lossy().contains("pyenv"))
}

/// pyenv's newest installed `version` ("3.12" matches 3.12.x).
fn pyenv_python(version: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))?;
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(root.join("versions"))
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let patch = name
                .strip_prefix(version)?
                .strip_prefix('.')?
                .parse()
                .ok()?;
            let bin = entry.path().join("bin").join(format!("python{version}"));
            bin.is_file().then_some((patch, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The `major.minor` version of a Python interpreter: read from its name or
/// venv when that says, else asked of the interpreter itself (a pyenv shim
/// says nothing until run).
pub fn python_version_probed(python: &Path) -> Option<String> {
    if let Some(version) = python_version(python) {
        return Some(version);
    }
    // Isolated, from a directory of no project's: nothing there is imported.
    let out = std::process::Command::new(python)
        .args([
            "-I",
            "-c",
            "import sys; print('%d.%d' % sys.version_info[:2])",
        ])
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && version.split('.').all(|p| p.parse::<u32>().is_ok()))
        .then_some(version)
}

/// The `major.minor` version of a Python interpreter, read without running
/// it (that would cost a cold start's worth of milliseconds): from the name
/// its symlinks resolve to (`python3.11`), else the `pyvenv.cfg` of the
/// virtual environment it belongs to.
pub fn python_version(python: &Path) -> Option<String> {
    let from_name = |path: &Path| {
        let name = path.file_name()?.to_str()?;
        let v = name.strip_prefix("python")?;
        let (major, minor) = v.split_once('.')?;
        (major.parse::<u32>().is_ok() && minor.parse::<u32>().is_ok()).then(|| v.to_string())
    };
    if let Some(v) = std::fs::canonicalize(python)
        .ok()
        .as_deref()
        .and_then(from_name)
    {
        return Some(v);
    }
    let venv = python.parent()?.parent()?;
    let cfg = std::fs::read_to_string(venv.join("pyvenv.cfg")).ok()?;
    cfg.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        let key = key.trim();
        (key == "version" || key == "version_info").then(|| {
            let mut parts = value.trim().split('.');
            format!(
                "{}.{}",
                parts.next().unwrap_or(""),
                parts.next().unwrap_or("")
            )
        })
    })
}

/// Whether `python` can import `module`: asked isolated (`-I`) from `/`,
/// so that no module of a project's directory answers for it.
pub fn python_has_module(python: &Path, module: &str) -> bool {
    std::process::Command::new(python)
        .args(["-I", "-c", &format!("import {module}")])
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What `node --version` says ("v22.11.0"); None when it does not run.
pub fn node_version(node: &Path) -> Option<String> {
    let out = std::process::Command::new(node)
        .arg("--version")
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !version.is_empty()).then_some(version)
}

/// `LAM_NODE`, then `node` on PATH.
pub fn node() -> Result<PathBuf> {
    node_choice().map(|(path, _)| path)
}

/// As [`node`], with why ("LAM_NODE" or "node on PATH").
pub fn node_choice() -> Result<(PathBuf, &'static str)> {
    if let Some(configured) = std::env::var_os("LAM_NODE") {
        let p = PathBuf::from(&configured);
        return on_path(&p).map(|p| (p, "LAM_NODE")).ok_or_else(|| {
            Error::local(format!(
                "LAM_NODE points at '{}', which does not exist",
                p.display()
            ))
            .with_hint("set LAM_NODE to a Node.js binary, or unset it")
        });
    }
    on_path(Path::new("node"))
        .map(|p| (p, "node on PATH"))
        .ok_or_else(|| {
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
pub fn on_path(name: &Path) -> Option<PathBuf> {
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
    fn the_users_own_project_venv_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".venv/bin")).unwrap();
        std::fs::write(dir.path().join(".venv/bin/python"), "").unwrap();
        // A .venv/bin/python with no venv around it is not the user's venv.
        let err = python(dir.path(), dir.path()).unwrap_err();
        assert!(err.to_string().contains("no pyvenv.cfg"), "{err}");
        std::fs::write(dir.path().join(".venv/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
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

    #[test]
    fn pyenv_shims_are_recognised() {
        assert!(is_pyenv_shim(Path::new("/root/.pyenv/shims/python3.12")));
        assert!(!is_pyenv_shim(Path::new("/usr/bin/python3.12")));
        assert!(!is_pyenv_shim(Path::new(
            "/root/.pyenv/versions/3.12.1/bin/python3.12"
        )));
    }

    #[test]
    fn versions_come_from_names_and_venv_configs() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let real = bin.join("python3.11");
        std::fs::write(&real, "").unwrap();
        assert_eq!(python_version(&real).as_deref(), Some("3.11"));
        let venv_python = bin.join("python");
        std::fs::write(&venv_python, "").unwrap();
        std::fs::write(
            dir.path().join("pyvenv.cfg"),
            "home = /usr/bin\nversion = 3.13.1\n",
        )
        .unwrap();
        assert_eq!(python_version(&venv_python).as_deref(), Some("3.13"));
        assert_eq!(python_version(&dir.path().join("nothing")), None);
    }
}
