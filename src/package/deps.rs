//! Dependencies, installed for Lambda's platform (not the host's) and cached
//! by what determines them: the requirement files, the runtime and the
//! architecture. A handler edit never reruns pip or npm.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::config::rules::Language;
use crate::config::{Architecture, Function};
use crate::error::{Error, Result};
use crate::interpreter;

/// Bumped when the way dependencies are installed changes.
const RECIPE: &str = "lam-deps-1";
const COMPLETE: &str = ".lam-complete";

/// Installed dependencies of a function.
#[derive(Debug, Clone)]
pub struct Deps {
    /// The installed tree; its contents go to the zip under `prefix`.
    pub dir: PathBuf,
    /// "" for Python (the zip's root), "node_modules/" for Node.js.
    pub prefix: &'static str,
    /// The cache key (also the directory's name).
    pub key: String,
    /// Installed by this call, not taken from the cache.
    pub installed: bool,
}

/// What a function's dependencies are declared in.
enum Manifest {
    Python {
        requirements: String,
    },
    Node {
        package_json: String,
        lock: Option<String>,
    },
}

fn manifest(function: &Function) -> Result<Option<Manifest>> {
    let src = &function.source;
    match function.language() {
        Language::Python => {
            let req = src.join("requirements.txt");
            if req.is_file() {
                let text = std::fs::read_to_string(&req).map_err(|e| Error::io("read", &req, e))?;
                return Ok(
                    has_requirements(&text).then_some(Manifest::Python { requirements: text })
                );
            }
            let pyproject = src.join("pyproject.toml");
            if pyproject.is_file() {
                let deps = pyproject_dependencies(&pyproject)?;
                return Ok((!deps.is_empty()).then(|| Manifest::Python {
                    requirements: deps.join("\n") + "\n",
                }));
            }
            Ok(None)
        }
        Language::Node => {
            let pkg = src.join("package.json");
            if !pkg.is_file() {
                return Ok(None);
            }
            let text = std::fs::read_to_string(&pkg).map_err(|e| Error::io("read", &pkg, e))?;
            let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                Error::config(format!("package.json:{}:{}: {e}", e.line(), e.column()))
                    .with_hint("fix the JSON")
            })?;
            let has_deps = value
                .get("dependencies")
                .and_then(|d| d.as_object())
                .is_some_and(|d| !d.is_empty());
            if !has_deps {
                return Ok(None);
            }
            let lock = std::fs::read_to_string(src.join("package-lock.json")).ok();
            Ok(Some(Manifest::Node {
                package_json: text,
                lock,
            }))
        }
        Language::Other => Ok(None),
    }
}

/// A requirements file with at least one requirement (not only comments).
fn has_requirements(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    })
}

fn pyproject_dependencies(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| {
        Error::config(format!("pyproject.toml: {}", e.message())).with_hint("fix the TOML")
    })?;
    Ok(value
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Whether lam manages this function's node_modules (so the project's own
/// copy is left out of the zip).
pub fn manages_node_modules(function: &Function) -> bool {
    matches!(manifest(function), Ok(Some(Manifest::Node { .. })))
}

/// Installs (or finds in the cache) the dependencies of `function`.
pub fn prepare(root: &Path, function: &Function, quiet: bool) -> Result<Option<Deps>> {
    prepare_with(root, function, quiet, true)
}

/// With `install` false, only what the cache holds: a tree not installed
/// yet is an error with cause NotFound (`lam status` installs nothing).
pub fn prepare_with(
    root: &Path,
    function: &Function,
    quiet: bool,
    install: bool,
) -> Result<Option<Deps>> {
    let Some(manifest) = manifest(function)? else {
        return Ok(None);
    };
    let mut hasher = Sha256::new();
    hasher.update(RECIPE);
    hasher.update([0]);
    hasher.update(&function.runtime);
    hasher.update([0]);
    hasher.update(function.architecture.as_str());
    match &manifest {
        Manifest::Python { requirements } => hasher.update(requirements),
        Manifest::Node { package_json, lock } => {
            hasher.update(package_json);
            hasher.update([0]);
            hasher.update(lock.as_deref().unwrap_or(""));
            // A tree built with install scripts differs from one without.
            hasher.update(if function.build.scripts {
                "scripts"
            } else {
                ""
            });
        }
    }
    let key: String = hasher
        .finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    let cache = root.join(".lam").join("deps");
    let dir = cache.join(&key);
    let prefix = match manifest {
        Manifest::Python { .. } => "",
        Manifest::Node { .. } => "node_modules/",
    };
    if dir.join(COMPLETE).is_file() {
        return Ok(Some(Deps {
            dir: install_root(&dir, prefix),
            prefix,
            key,
            installed: false,
        }));
    }
    if !install {
        return Err(Error::config(format!(
            "the dependencies of {} are not installed here",
            function.key
        ))
        .with_hint("run `lam build` to install them")
        .with_cause(crate::error::Cause::NotFound));
    }
    std::fs::create_dir_all(&cache).map_err(|e| Error::io("create", &cache, e))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{key}-"))
        .tempdir_in(&cache)
        .map_err(|e| Error::io("write in", &cache, e))?;
    match &manifest {
        Manifest::Python { requirements } => {
            pip_install(root, function, requirements, staging.path(), quiet)?
        }
        Manifest::Node { package_json, lock } => npm_install(
            package_json,
            lock.as_deref(),
            staging.path(),
            function.build.scripts,
            quiet,
        )?,
    }
    std::fs::write(staging.path().join(COMPLETE), RECIPE)
        .map_err(|e| Error::io("write in", staging.path(), e))?;
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, &dir) {
        let _ = std::fs::remove_dir_all(&staged);
        // Another lam finished the same install first: use its result.
        if !dir.join(COMPLETE).is_file() {
            return Err(Error::io("write", &dir, e));
        }
    }
    Ok(Some(Deps {
        dir: install_root(&dir, prefix),
        prefix,
        key,
        installed: true,
    }))
}

fn install_root(dir: &Path, prefix: &str) -> PathBuf {
    if prefix.is_empty() {
        dir.join("python")
    } else {
        dir.join("node_modules")
    }
}

/// The platform tags Lambda's Linux accepts for the runtime's architecture.
fn python_platforms(function: &Function) -> Vec<String> {
    let arch = match function.architecture {
        Architecture::X86_64 => "x86_64",
        Architecture::Arm64 => "aarch64",
    };
    let mut tags = vec![
        format!("manylinux2014_{arch}"),
        format!("manylinux_2_28_{arch}"),
    ];
    // Python 3.12 and later run on Amazon Linux 2023 (glibc 2.34).
    if python_version(&function.runtime).is_some_and(|(_, minor)| minor >= 12) {
        tags.push(format!("manylinux_2_34_{arch}"));
    }
    tags
}

fn python_version(runtime: &str) -> Option<(u32, u32)> {
    let v = runtime.strip_prefix("python")?;
    let (major, minor) = v.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

fn pip_install(
    root: &Path,
    function: &Function,
    requirements: &str,
    staging: &Path,
    quiet: bool,
) -> Result<()> {
    let python = interpreter::python(root, &function.source)?;
    let (major, minor) = python_version(&function.runtime).ok_or_else(|| {
        Error::config(format!(
            "cannot tell the Python version of {}",
            function.runtime
        ))
    })?;
    let req_file = staging.join("requirements.txt");
    std::fs::write(&req_file, requirements).map_err(|e| Error::io("write", &req_file, e))?;
    let target = staging.join("python");
    let mut cmd = pip_command(&python);
    cmd.arg("--target")
        .arg(&target)
        .args([
            "--implementation",
            "cp",
            "--python-version",
            &format!("{major}.{minor}"),
        ])
        .args(["--only-binary=:all:", "--upgrade", "--no-compile"])
        .arg("-r")
        .arg(&req_file)
        .current_dir(staging);
    for tag in python_platforms(function) {
        cmd.args(["--platform", &tag]);
    }
    if !quiet {
        eprintln!(
            "Installing Python dependencies for {} ({})",
            function.runtime,
            function.architecture.as_str()
        );
    }
    let out = cmd.output().map_err(|e| {
        Error::local(format!(
            "cannot run {}: {}",
            python.display(),
            crate::error::io_reason(&e)
        ))
        .with_hint("install Python 3 with pip, or set LAM_PYTHON")
    })?;
    if out.status.success() {
        // pip's console scripts are of no use in a Lambda package.
        let _ = std::fs::remove_dir_all(target.join("bin"));
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(pip_failure(&stderr, function))
}

/// pip's failure in lam's words: which package has no wheel for Lambda.
fn pip_failure(stderr: &str, function: &Function) -> Error {
    let platform = format!(
        "CPython {}, Linux {}",
        function.runtime.trim_start_matches("python"),
        function.architecture.as_str()
    );
    if stderr.contains("No module named pip") {
        return Error::local("pip is not available to the Python lam found").with_hint(
            "create a venv with `python3 -m venv .venv` (it includes pip), or set LAM_PYTHON",
        );
    }
    let missing = stderr.lines().find_map(|l| {
        l.split_once("No matching distribution found for ")
            .or_else(|| l.split_once("satisfies the requirement "))
            .map(|(_, rest)| rest.split_whitespace().next().unwrap_or(rest).to_string())
    });
    let last_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(3)
        .collect();
    let said = last_lines.into_iter().rev().collect::<Vec<_>>().join(" / ");
    match missing {
        Some(pkg) => Error::config(format!("no wheel of \"{pkg}\" for Lambda's platform ({platform})"))
            .with_hint(format!(
                "pick a version that publishes manylinux wheels for it, or provide it in a layer; pip said: {said}"
            )),
        None => Error::local(format!("pip could not install the dependencies: {said}"))
            .with_hint("check requirements.txt and your network, then run `lam build` again"),
    }
}

/// Names of variables a build subprocess does not get: AWS credentials and
/// settings, lam's secrets, and anything that looks like a secret or token,
/// except package registries' own settings (PIP_*, NPM_*, npm_config_*, ...)
/// that an install from a private index needs.
pub fn withheld_from_builds(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("AWS_") || upper.starts_with("LAM_SECRET_") {
        return true;
    }
    let registry = ["PIP_", "NPM_", "UV_", "YARN_", "PNPM_"]
        .iter()
        .any(|p| upper.starts_with(p));
    !registry && crate::config::rules::looks_secret(name)
}

/// pip and npm run without the user's AWS credentials (variables and
/// files) or tokens: a dependency's code must not be handed them.
/// `python -m pip install`, quiet and without prompts: isolated (-I) from
/// PYTHON* variables and the user's site-packages, and without the
/// credentials and secrets lam withholds from builds.
pub(crate) fn pip_command(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.args([
        "-I",
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
    ]);
    scrub_environment(&mut cmd);
    cmd
}

fn scrub_environment(cmd: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if withheld_from_builds(&name) {
            cmd.env_remove(&name);
        }
    }
    cmd.env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true");
}

/// The packages under `node_modules` that declare install scripts.
fn packages_with_install_scripts(node_modules: &Path) -> Vec<String> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(node_modules)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('@') {
            for scoped in std::fs::read_dir(entry.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                dirs.push(scoped.path());
            }
        } else if !name.starts_with('.') {
            dirs.push(entry.path());
        }
    }
    let mut out: Vec<String> = dirs
        .iter()
        .filter_map(|d| {
            let text = std::fs::read_to_string(d.join("package.json")).ok()?;
            let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
            let scripts = doc.get("scripts")?;
            ["preinstall", "install", "postinstall"]
                .iter()
                .any(|s| scripts.get(s).is_some())
                .then(|| doc["name"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    out.sort();
    out
}

fn npm_install(
    package_json: &str,
    lock: Option<&str>,
    staging: &Path,
    scripts: bool,
    quiet: bool,
) -> Result<()> {
    std::fs::write(staging.join("package.json"), package_json)
        .map_err(|e| Error::io("write in", staging, e))?;
    let mut cmd = Command::new(interpreter::npm()?);
    match lock {
        Some(lock) => {
            std::fs::write(staging.join("package-lock.json"), lock)
                .map_err(|e| Error::io("write in", staging, e))?;
            cmd.args(["ci", "--omit=dev"]);
        }
        None => {
            cmd.args(["install", "--omit=dev", "--no-package-lock"]);
        }
    }
    cmd.args(["--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(staging);
    if !scripts {
        cmd.arg("--ignore-scripts");
    }
    scrub_environment(&mut cmd);
    if !quiet {
        eprintln!("Installing Node.js dependencies");
    }
    let out = cmd.output().map_err(|e| {
        Error::local(format!("cannot run npm: {}", crate::error::io_reason(&e)))
            .with_hint("install Node.js with npm")
    })?;
    if out.status.success() {
        let skipped = if scripts {
            Vec::new()
        } else {
            packages_with_install_scripts(&staging.join("node_modules"))
        };
        if !skipped.is_empty() && !quiet {
            eprintln!(
                "warning: did not run the install scripts of {} (set scripts = true under [build] to run them)",
                skipped.join(", ")
            );
        }
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .collect();
    Err(Error::local(format!(
        "npm could not install the dependencies: {}",
        said.join(" / ")
    ))
    .with_hint("check package.json (and package-lock.json), then run `lam build` again"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_only_requirements_install_nothing() {
        assert!(!has_requirements("# nothing\n\n   # still nothing\n"));
        assert!(has_requirements("# deps\nrequests==2.32.3\n"));
    }

    #[test]
    fn python_versions_and_platforms() {
        assert_eq!(python_version("python3.12"), Some((3, 12)));
        assert_eq!(python_version("nodejs22.x"), None);
    }

    #[test]
    fn pip_errors_name_the_package() {
        let project = crate::config::Project::parse(
            "[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\narchitecture = \"arm64\"\n",
            "lam.toml",
            Path::new("/tmp"),
            None,
        )
        .unwrap();
        let f = &project.functions[0];
        assert_eq!(
            python_platforms(f),
            [
                "manylinux2014_aarch64",
                "manylinux_2_28_aarch64",
                "manylinux_2_34_aarch64"
            ]
        );
        let err = pip_failure(
            "ERROR: Could not find a version that satisfies the requirement nosuchpkg==1.0 (from versions: none)\nERROR: No matching distribution found for nosuchpkg==1.0\n",
            f,
        );
        let text = err.to_string();
        assert!(
            text.contains(
                "no wheel of \"nosuchpkg==1.0\" for Lambda's platform (CPython 3.12, Linux arm64)"
            ),
            "{text}"
        );
    }
}
