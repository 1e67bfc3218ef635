//! Dependencies, installed for Lambda's platform (not the host's) and cached
//! by what determines them: the requirement files, the runtime and the
//! architecture. A handler edit never reruns pip or npm.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::tools::{self, Uv};
use crate::config::rules::Language;
use crate::config::{Architecture, Function, Installer};
use crate::error::{Error, Result};
use crate::interpreter;
use base64::Engine;

/// Bumped when the way dependencies are installed changes.
const RECIPE: &str = "lam-deps-2";
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
    /// What installed it: "uv (PATH)", "pip", "npm", ...
    pub installer: String,
}

/// The files a function's dependencies are declared in.
pub const MANIFESTS: [&str; 4] = [
    "requirements.txt",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
];

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
                check_requirements(&text, "requirements.txt")?;
                return Ok(
                    has_requirements(&text).then_some(Manifest::Python { requirements: text })
                );
            }
            let pyproject = src.join("pyproject.toml");
            if pyproject.is_file() {
                let deps = pyproject_dependencies(&pyproject)?;
                check_requirements(&deps.join("\n"), "pyproject.toml's dependencies")?;
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
                package_json: local_packages_in_project(value, src)?,
                lock,
            }))
        }
        Language::Other => Ok(None),
    }
}

/// Removes a cache entry lam did not write (a link is removed, never
/// followed).
fn remove_foreign(path: &Path) -> Result<()> {
    let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    let removed = if is_dir {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    removed.map_err(|e| Error::io("remove", path, e))
}

/// Refuses requirements that name files instead of packages: another
/// requirements or constraints file (`-r /home/me/.aws/credentials` would
/// have pip echo its lines in an error), an editable or local path, a
/// `file:` URL, a find-links directory. lam installs from package indexes.
fn check_requirements(text: &str, label: &str) -> Result<()> {
    const FILE_OPTIONS: &[&str] = &[
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-f",
        "--find-links",
    ];
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split([' ', '=']).next().unwrap_or("");
        let option = FILE_OPTIONS.iter().any(|o| {
            first == *o || (o.len() == 2 && first.starts_with(o) && !first.starts_with("--"))
        });
        // A direct reference (`name @ <where>`) to a path is local too.
        let direct_path = line
            .split_once('@')
            .is_some_and(|(_, at)| at.trim_start().starts_with(['/', '.', '~']));
        let local = line.starts_with(['/', '.', '~'])
            || line.contains("file:")
            || line.starts_with("\\")
            || direct_path;
        if option || local {
            problems.push(crate::error::Problem {
                message: format!(
                    "{label}:{}: names a file or directory, not a package from an index",
                    i + 1
                ),
                hint: Some(
                    "list packages by name (pinned); for private packages use an index (PIP_INDEX_URL or pip.conf)".into(),
                ),
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::many(crate::error::Kind::Config, problems))
    }
}

/// package.json with each local dependency (`file:`, `link:`) pointed at
/// its absolute place, which must be inside the project: npm installs in
/// a staging directory, and a repository must not name `~/.ssh`.
fn local_packages_in_project(mut value: serde_json::Value, src: &Path) -> Result<String> {
    let canonical_src = src.canonicalize().map_err(|e| Error::io("read", src, e))?;
    // The project may keep shared packages beside the function's source.
    let boundary = find_project_root(&canonical_src);
    for section in ["dependencies", "optionalDependencies"] {
        let Some(deps) = value.get_mut(section).and_then(|d| d.as_object_mut()) else {
            continue;
        };
        for (name, spec) in deps.iter_mut() {
            let Some(text) = spec.as_str() else {
                continue;
            };
            // npm takes a bare path (`../x`, `/abs`, `~/x`) as file: too;
            // a git repository on this machine is refused outright.
            if text.starts_with("git+file:") {
                return Err(Error::config(format!(
                    "package.json: dependency {name} is {text}, a repository on this machine"
                ))
                .with_hint("copy the package into the project (file:vendor/...), or publish it to a registry"));
            }
            let Some((scheme, path)) = text
                .strip_prefix("file:")
                .map(|p| ("file:", p))
                .or_else(|| text.strip_prefix("link:").map(|p| ("link:", p)))
                .or_else(|| text.starts_with(['.', '/', '~']).then_some(("file:", text)))
            else {
                continue;
            };
            let resolved = canonical_src.join(path).canonicalize().ok();
            match resolved {
                Some(p) if p.starts_with(&boundary) => {
                    *spec = serde_json::Value::String(format!("{scheme}{}", p.display()));
                }
                _ => {
                    return Err(Error::config(format!(
                        "package.json: dependency {name} is {text}, which is not inside the project"
                    ))
                    .with_hint("copy the package into the project (file:vendor/...), or publish it to a registry"));
                }
            }
        }
    }
    serde_json::to_string_pretty(&value)
        .map_err(|e| Error::config(format!("package.json: {e}")).with_hint("fix the JSON"))
}

/// The directory holding lam.toml above `dir` (or `dir` itself).
fn find_project_root(dir: &Path) -> PathBuf {
    crate::config::find_file(dir)
        .ok()
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| dir.to_path_buf())
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
    let cache = super::witness::lam_dir(root, &["deps"])?;
    let dir = cache.join(&key);
    let prefix = match manifest {
        Manifest::Python { .. } => "",
        Manifest::Node { .. } => "node_modules/",
    };
    // A tree counts as installed only when lam installed it here (a
    // repository can ship a .lam/deps of its own); any other is replaced.
    // COMPLETE holds the installer's name and a nonce only lam's witness
    // knows: a marker a repository ships cannot match it.
    let marked = std::fs::read_to_string(dir.join(COMPLETE)).ok();
    let installed = marked
        .filter(|m| super::witness::holds(&dir.join(COMPLETE), m))
        .map(|m| m.lines().next().unwrap_or_default().to_string());
    if installed.is_none() && std::fs::symlink_metadata(&dir).is_ok() {
        if !install {
            return Err(Error::config(format!(
                "the dependencies of {} in .lam/deps were not installed by lam here",
                function.key
            ))
            .with_hint("run `lam build` to install them")
            .with_cause(crate::error::Cause::NotFound));
        }
        remove_foreign(&dir)?;
    }
    if let Some(installer) = installed {
        if function.build.scripts_withheld && !quiet {
            eprintln!(
                "warning: did not run install scripts for {}: lam.toml asks for them, but it is not trusted: {}",
                function.key,
                crate::trust::HOW_TO_TRUST
            );
        }
        return Ok(Some(Deps {
            dir: install_root(&dir, prefix),
            prefix,
            key,
            installed: false,
            installer,
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
    let installer = match &manifest {
        Manifest::Python { requirements } => {
            python_install(function, requirements, staging.path(), quiet)?
        }
        Manifest::Node { package_json, lock } => {
            npm_install(
                package_json,
                lock.as_deref(),
                staging.path(),
                function.build.scripts,
                function.build.scripts_withheld,
                function.architecture,
                quiet,
            )?;
            "npm".to_string()
        }
    };
    // The marker names what installed the tree; the witness outside the
    // project says lam put it there.
    let marker = format!("{installer}\n{}", super::witness::nonce());
    std::fs::write(staging.path().join(COMPLETE), &marker)
        .map_err(|e| Error::io("write in", staging.path(), e))?;
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, &dir) {
        let _ = std::fs::remove_dir_all(&staged);
        // Another lam finished the same install first: use its result.
        if !dir.join(COMPLETE).is_file() {
            return Err(Error::io("write", &dir, e));
        }
    }
    // Another lam that finished first wrote its own marker: that one is
    // recorded.
    let written = std::fs::read_to_string(dir.join(COMPLETE)).unwrap_or(marker);
    super::witness::write(&dir.join(COMPLETE), &written)?;
    Ok(Some(Deps {
        dir: install_root(&dir, prefix),
        prefix,
        key,
        installed: true,
        installer,
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
/// Python 3.12 and later run on Amazon Linux 2023 (glibc 2.34); earlier
/// runtimes on Amazon Linux 2 (glibc 2.26), which takes manylinux2014
/// (glibc 2.17) wheels but not manylinux_2_28 ones.
fn python_platforms(function: &Function) -> Vec<String> {
    let arch = arch_name(function);
    let mut tags = vec![format!("manylinux2014_{arch}")];
    if on_al2023(function) {
        tags.push(format!("manylinux_2_28_{arch}"));
        tags.push(format!("manylinux_2_34_{arch}"));
    }
    tags
}

/// The same platform for uv's `--python-platform` (which includes every
/// older manylinux tag).
fn uv_platform(function: &Function) -> String {
    let arch = arch_name(function);
    if on_al2023(function) {
        format!("{arch}-manylinux_2_34")
    } else {
        format!("{arch}-manylinux2014")
    }
}

fn arch_name(function: &Function) -> &'static str {
    match function.architecture {
        Architecture::X86_64 => "x86_64",
        Architecture::Arm64 => "aarch64",
    }
}

fn on_al2023(function: &Function) -> bool {
    python_version(&function.runtime).is_some_and(|(_, minor)| minor >= 12)
}

fn python_version(runtime: &str) -> Option<(u32, u32)> {
    let v = runtime.strip_prefix("python")?;
    let (major, minor) = v.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Installs the requirements into `staging/python` with uv (unless
/// `installer = "pip"`), or pip when there is no uv, and returns what
/// installed them. Both select the same wheels, and the tree is
/// normalised after either, so the zip's bytes do not depend on which ran.
fn python_install(
    function: &Function,
    requirements: &str,
    staging: &Path,
    quiet: bool,
) -> Result<String> {
    let python = interpreter::build_python(Some(&function.runtime))?;
    let version = python_version(&function.runtime).ok_or_else(|| {
        Error::config(format!(
            "cannot tell the Python version of {}",
            function.runtime
        ))
    })?;
    let req_file = staging.join("requirements.txt");
    std::fs::write(&req_file, requirements).map_err(|e| Error::io("write", &req_file, e))?;
    let target = staging.join("python");
    let choice = function.build.installer;
    let uv = match choice {
        Some(Installer::Pip) => None,
        _ => match usable_uv(&python, quiet) {
            Ok(uv) => Some(uv),
            Err(e) if choice == Some(Installer::Uv) => return Err(e),
            Err(e) => {
                warn_pip_instead(e.problems.first().map(|p| p.message.as_str()), quiet);
                None
            }
        },
    };
    let python_version = format!("{}.{}", version.0, version.1);
    if let Some(uv) = uv {
        let pip_settings = pip_index_settings(&python);
        let used = if pip_settings.env.is_empty() {
            uv.describe()
        } else {
            format!("{} and pip's index settings", uv.describe())
        };
        say_installing(function, &used, quiet);
        let mut uv_install = crate::subprocess::Isolated::new(&uv.path)?;
        let cmd = uv_install.command();
        cmd.args(["pip", "install", "--quiet", "--no-progress", "--target"])
            .arg(&target)
            .arg("--python")
            .arg(&python)
            .args(["--python-platform", &uv_platform(function)])
            .args(["--python-version", &python_version])
            .args(["--only-binary", ":all:", "-r"])
            .arg(&req_file)
            // Index URLs may hold a login: in the environment, never on
            // the command line (which `ps` shows every user).
            .envs(pip_settings.env.iter().map(|(k, v)| (k, v)))
            .env("UV_PYTHON_DOWNLOADS", "never")
            .current_dir(staging);
        if let Some(cert) = &pip_settings.cert {
            cmd.env("SSL_CERT_FILE", cert);
        }
        let out = run(uv_install, &uv.path)?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.success() {
            true => {
                normalise_python_tree(&target)?;
                return Ok(used);
            }
            // uv reads no pip.conf: an index or certificate set up only
            // for pip is reached by pip.
            false if choice.is_none() && unreachable_index(&stderr) => {
                warn_pip_instead(Some("uv could not reach the package index"), quiet);
                let _ = std::fs::remove_dir_all(&target);
            }
            false => return Err(install_failure(&stderr, requirements, function, &used)),
        }
    }
    say_installing(function, "pip", quiet);
    let mut pip = crate::subprocess::pip_install(&python)?;
    let cmd = pip.command();
    cmd.arg("--target")
        .arg(&target)
        .args([
            "--implementation",
            "cp",
            "--python-version",
            &python_version,
        ])
        .args(["--only-binary=:all:", "--upgrade", "--no-compile"])
        .arg("-r")
        .arg(&req_file)
        .current_dir(staging);
    for tag in python_platforms(function) {
        cmd.args(["--platform", &tag]);
    }
    let out = run(pip, &python)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(install_failure(&stderr, requirements, function, "pip"));
    }
    normalise_python_tree(&target)?;
    Ok("pip".to_string())
}

fn say_installing(function: &Function, with: &str, quiet: bool) {
    if !quiet {
        eprintln!(
            "Installing Python dependencies for {} ({}) with {with}",
            function.runtime,
            function.architecture.as_str()
        );
    }
}

fn warn_pip_instead(why: Option<&str>, quiet: bool) {
    if !quiet {
        eprintln!(
            "warning: {} (installing with pip instead)",
            why.unwrap_or("no uv")
        );
    }
}

/// uv's words for an index it could not connect to or whose certificate
/// it does not trust.
fn unreachable_index(stderr: &str) -> bool {
    [
        "client error (Connect)",
        "invalid peer certificate",
        "dns error",
    ]
    .iter()
    .any(|m| stderr.contains(m))
}

fn run(cmd: crate::subprocess::Isolated, program: &Path) -> Result<std::process::Output> {
    cmd.output().map_err(|e| {
        Error::local(format!(
            "cannot run {}: {}",
            program.display(),
            crate::error::io_reason(&e)
        ))
        .with_hint("install Python 3 with pip, or set LAM_PYTHON")
    })
}

/// pip's own index settings, for uv, which reads neither PIP_* variables
/// nor pip.conf: without them uv would resolve a private package against
/// the public index (where someone else may publish the same name).
#[derive(Debug, Default, PartialEq)]
struct PipIndex {
    /// uv's variables for `--index-url`, `--extra-index-url`,
    /// `--find-links`, `--no-index`.
    env: Vec<(String, String)>,
    /// pip's `cert`: the bundle a proxy in front of the index needs.
    cert: Option<String>,
}

/// From PIP_* variables, else from pip's configuration files; nothing when
/// uv has index settings of its own.
fn pip_index_settings(python: &Path) -> PipIndex {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let uv_configured = [
        "UV_INDEX",
        "UV_INDEX_URL",
        "UV_DEFAULT_INDEX",
        "UV_EXTRA_INDEX_URL",
        "UV_FIND_LINKS",
        "UV_NO_INDEX",
    ]
    .iter()
    .any(|k| var(k).is_some());
    if uv_configured {
        return PipIndex::default();
    }
    let mut settings: Vec<(String, String)> = [
        ("PIP_INDEX_URL", "index-url"),
        ("PIP_EXTRA_INDEX_URL", "extra-index-url"),
        ("PIP_FIND_LINKS", "find-links"),
        ("PIP_NO_INDEX", "no-index"),
        ("PIP_CERT", "cert"),
    ]
    .iter()
    .filter_map(|(env, key)| var(env).map(|v| (key.to_string(), v)))
    .collect();
    if settings.iter().all(|(k, _)| k == "cert") {
        settings.extend(pip_config(python));
    }
    pip_index_from(&settings, var("SSL_CERT_FILE").is_some())
}

/// `python -m pip config list`: `global.index-url='https://...'` lines.
fn pip_config(python: &Path) -> Vec<(String, String)> {
    // pip itself reads the user's configuration here (no package code runs).
    let mut cmd = Command::new(python);
    cmd.args(["-I", "-m", "pip", "config", "list"]);
    crate::subprocess::scrub_environment(&mut cmd);
    let Ok(out) = cmd.output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (key, value) = l.split_once('=')?;
            let (section, key) = key.split_once('.')?;
            if !matches!(section, "global" | "install") {
                return None;
            }
            let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
            Some((key.to_string(), value.to_string()))
        })
        .collect()
}

fn pip_index_from(settings: &[(String, String)], have_cert_file: bool) -> PipIndex {
    let mut out = PipIndex::default();
    let mut extra: Vec<&str> = Vec::new();
    let mut links: Vec<&str> = Vec::new();
    for (key, value) in settings {
        match key.as_str() {
            "index-url" => out.env.push(("UV_INDEX_URL".into(), value.clone())),
            "extra-index-url" => extra.extend(value.split_whitespace()),
            "find-links" => links.extend(value.split_whitespace()),
            "no-index"
                if matches!(
                    value.to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes" | "on"
                ) =>
            {
                out.env.push(("UV_NO_INDEX".into(), "1".into()));
            }
            "cert" if !have_cert_file && out.cert.is_none() => out.cert = Some(value.clone()),
            _ => {}
        }
    }
    // uv reads UV_EXTRA_INDEX_URL space-separated, UV_FIND_LINKS
    // comma-separated.
    if !extra.is_empty() {
        out.env.push(("UV_EXTRA_INDEX_URL".into(), extra.join(" ")));
    }
    if !links.is_empty() {
        out.env.push(("UV_FIND_LINKS".into(), links.join(",")));
    }
    out
}

/// uv that runs: the one found (LAM_UV, the project's, PATH, lam's
/// cache), else one installed into lam's cache with pip. A uv found but
/// older than lam needs is passed over for lam's pinned one.
fn usable_uv(python: &Path, quiet: bool) -> Result<Uv> {
    let found = tools::find_uv();
    if let Some(uv) = &found {
        match tools::version(uv) {
            Some((major, minor, _)) if (major, minor) >= tools::UV_MINIMUM => return Ok(uv.clone()),
            Some((major, minor, patch)) if uv.from != "LAM_UV" => {
                if !quiet {
                    eprintln!(
                        "note: uv {major}.{minor}.{patch} ({}) is older than lam needs ({}.{}); using uv {}",
                        uv.from,
                        tools::UV_MINIMUM.0,
                        tools::UV_MINIMUM.1,
                        tools::UV_VERSION
                    );
                }
            }
            Some((major, minor, patch)) => {
                return Err(Error::local(format!(
                    "the uv at {} (LAM_UV) is {major}.{minor}.{patch}, older than lam needs ({}.{})",
                    uv.path.display(),
                    tools::UV_MINIMUM.0,
                    tools::UV_MINIMUM.1
                ))
                .with_hint("point LAM_UV at a newer uv, or unset it to use lam's"));
            }
            None => {
                return Err(Error::local(format!(
                    "the uv at {} ({}) does not run",
                    uv.path.display(),
                    uv.from
                ))
                .with_hint("fix or remove it, or set installer = \"pip\" under [build]"));
            }
        }
    }
    let uv = tools::install_uv(python, quiet)
        .map_err(|e| e.with_hint("check your network, or set installer = \"pip\" under [build]"))?;
    if tools::version(&uv).is_some() {
        Ok(uv)
    } else {
        Err(Error::local(format!(
            "the uv installed in {} does not run",
            uv.path.display()
        ))
        .with_hint(
            "delete that directory and build again, or set installer = \"pip\" under [build]",
        ))
    }
}

/// What differs between uv's and pip's trees, made the same: no console
/// scripts (of no use in a Lambda package), no uv lock file, no
/// `REQUESTED` markers (uv marks every package, pip only those named),
/// `INSTALLER` says lam, and `RECORD` (LF line ends, as uv writes it)
/// lists what is left, with INSTALLER's new hash.
fn normalise_python_tree(target: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(target.join("bin"));
    let _ = std::fs::remove_file(target.join(".lock"));
    let Ok(entries) = std::fs::read_dir(target) else {
        return Ok(());
    };
    const INSTALLER: &str = "lam\n";
    let installer_hash = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(INSTALLER.as_bytes()));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".dist-info") || !entry.path().is_dir() {
            continue;
        }
        let dist = entry.path();
        let _ = std::fs::remove_file(dist.join("REQUESTED"));
        let installer = dist.join("INSTALLER");
        std::fs::write(&installer, INSTALLER).map_err(|e| Error::io("write", &installer, e))?;
        let record = dist.join("RECORD");
        let Ok(text) = std::fs::read_to_string(&record) else {
            continue;
        };
        let own = format!("{name}/INSTALLER,");
        let requested = format!("{name}/REQUESTED,");
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| {
                !l.is_empty()
                    && !l.starts_with("bin/")
                    && !l.starts_with("../")
                    && !l.starts_with(&requested)
            })
            .map(|l| {
                if l.starts_with(&own) {
                    format!("{own}sha256={installer_hash},{}", INSTALLER.len())
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&record, lines.join("\n") + "\n")
            .map_err(|e| Error::io("write", &record, e))?;
    }
    Ok(())
}

/// pip's or uv's failure in lam's words: which package has no wheel for
/// Lambda, spelt as the requirements spell it.
fn install_failure(stderr: &str, requirements: &str, function: &Function, used: &str) -> Error {
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
    let missing = stderr
        .lines()
        .find_map(|l| {
            l.split_once("No matching distribution found for ")
                .or_else(|| l.split_once("satisfies the requirement "))
                .or_else(|| l.split_once("you require "))
                .map(|(_, rest)| {
                    rest.split_whitespace()
                        .next()
                        .unwrap_or(rest)
                        .trim_end_matches([',', '.'])
                        .to_string()
                })
        })
        .map(|pkg| as_written(requirements, &pkg));
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
                "pick a version that publishes manylinux wheels for it, or provide it in a layer; {used} said: {said}"
            )),
        None => Error::local(format!("{used} could not install the dependencies: {said}"))
            .with_hint("check requirements.txt and your network, then run `lam build` again"),
    }
}

/// The requirement as requirements.txt writes it (uv lowercases names).
fn as_written(requirements: &str, pkg: &str) -> String {
    let squash = |s: &str| s.to_ascii_lowercase().replace([' ', '_', '.'], "-");
    requirements
        .lines()
        .map(str::trim)
        .find(|l| squash(l) == squash(pkg))
        .unwrap_or(pkg)
        .to_string()
}

/// The package directories under `node_modules` (scoped ones included),
/// each with its parsed package.json.
fn installed_packages(node_modules: &Path) -> Vec<(PathBuf, serde_json::Value)> {
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
    dirs.sort();
    dirs.into_iter()
        .filter_map(|d| {
            let text = std::fs::read_to_string(d.join("package.json")).ok()?;
            let doc = serde_json::from_str(&text).ok()?;
            Some((d, doc))
        })
        .collect()
}

/// The packages installed for Lambda's platform (linux, `cpu`) that hold
/// no build for it, each with why:
/// - a package whose native builds are optional dependencies named by
///   platform (sharp's `@img/sharp-linux-x64`, `@esbuild/linux-arm64`,
///   `@swc/core-linux-x64-gnu`), none of which npm installed for linux
///   and `cpu`: it ships none for Lambda and fails there at require time;
/// - a package that compiles an addon (`binding.gyp`) whose install
///   scripts ran on a machine of another OS or CPU than Lambda's: the
///   addon was built for this machine.
fn platform_gaps(node_modules: &Path, cpu: &str, scripts_ran: bool) -> Vec<(String, String)> {
    let host_cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let host_matches = std::env::consts::OS == "linux" && host_cpu == cpu;
    let installed = installed_packages(node_modules);
    let names: std::collections::BTreeSet<String> = installed
        .iter()
        .filter_map(|(_, doc)| doc["name"].as_str().map(str::to_string))
        .collect();
    let is_platform_name = |n: &str| {
        let n = n.to_ascii_lowercase();
        ["linux", "darwin", "win32", "windows", "freebsd", "android"]
            .iter()
            .any(|os| n.contains(os))
    };
    let mut out = Vec::new();
    for (dir, doc) in &installed {
        let name = doc["name"].as_str().unwrap_or_default();
        let optional: Vec<&String> = doc["optionalDependencies"]
            .as_object()
            .map(|o| o.keys().filter(|k| is_platform_name(k)).collect())
            .unwrap_or_default();
        // Builds for linux listed, none of them installed. (A package whose
        // platform helpers are all for other systems has a fallback on
        // linux, as fsevents-style helpers do.)
        let for_linux = optional
            .iter()
            .any(|o| o.to_ascii_lowercase().contains("linux"));
        let cpu_names: &[&str] = if cpu == "arm64" {
            &["arm64", "aarch64"]
        } else {
            &["x64", "x86_64", "amd64"]
        };
        let for_target = |o: &str| {
            let o = o.to_ascii_lowercase();
            o.contains("linux") && cpu_names.iter().any(|c| o.contains(c))
        };
        if for_linux && !optional.iter().any(|o| names.contains(*o) && for_target(o)) {
            out.push((
                name.to_string(),
                format!(
                    "none of its platform builds for linux-{cpu} was installed (it lists {})",
                    optional
                        .iter()
                        .take(4)
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if scripts_ran && !host_matches && dir.join("binding.gyp").is_file() {
            out.push((
                name.to_string(),
                format!(
                    "its native addon (binding.gyp) was compiled for this machine ({}-{host_cpu}), not for linux-{cpu}",
                    std::env::consts::OS
                ),
            ));
        }
    }
    out
}

/// The refusal of `gaps`: names and reasons come from the installed
/// packages' package.json files, so both are escaped.
fn platform_problems(gaps: &[(String, String)], cpu: &str) -> Vec<crate::error::Problem> {
    gaps.iter()
        .enumerate()
        .map(|(i, (name, why))| crate::error::Problem {
            message: format!(
                "{} has no build for Lambda's platform: {}",
                crate::terminal::escape(name),
                crate::terminal::escape(why)
            ),
            hint: (i + 1 == gaps.len()).then(|| {
                format!("use a version that publishes a linux-{cpu} (glibc) build, set architecture to match one it has, or build on a linux-{cpu} machine")
            }),
        })
        .collect()
}

/// The packages under `node_modules` that declare install scripts.
fn packages_with_install_scripts(node_modules: &Path) -> Vec<String> {
    let mut out: Vec<String> = installed_packages(node_modules)
        .into_iter()
        .filter_map(|(_, doc)| {
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
    scripts_withheld: bool,
    architecture: Architecture,
    quiet: bool,
) -> Result<()> {
    std::fs::write(staging.join("package.json"), package_json)
        .map_err(|e| Error::io("write in", staging, e))?;
    let mut npm = crate::subprocess::Isolated::new(interpreter::npm()?)?;
    let cmd = npm.command();
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
    // For Lambda's platform, not this machine's: packages with native
    // builds (sharp, esbuild, @swc) pick theirs by os, cpu and libc.
    let cpu = match architecture {
        Architecture::Arm64 => "arm64",
        Architecture::X86_64 => "x64",
    };
    cmd.args(["--no-audit", "--no-fund", "--loglevel=error"])
        .args(["--os=linux", &format!("--cpu={cpu}"), "--libc=glibc"])
        .current_dir(staging);
    if !scripts {
        cmd.arg("--ignore-scripts");
    }
    if !quiet {
        eprintln!("Installing Node.js dependencies");
    }
    let out = npm.output().map_err(|e| {
        Error::local(format!("cannot run npm: {}", crate::error::io_reason(&e)))
            .with_hint("install Node.js with npm")
    })?;
    if out.status.success() {
        let gaps = platform_gaps(&staging.join("node_modules"), cpu, scripts);
        if !gaps.is_empty() {
            return Err(Error::many(
                crate::error::Kind::Config,
                platform_problems(&gaps, cpu),
            ));
        }
        let skipped = if scripts {
            Vec::new()
        } else {
            packages_with_install_scripts(&staging.join("node_modules"))
        };
        if !skipped.is_empty() && !quiet {
            let how = if scripts_withheld {
                format!(
                    "lam.toml asks for them, but it is not trusted: {}",
                    crate::trust::HOW_TO_TRUST
                )
            } else {
                "set scripts = true under [build] to run them".to_string()
            };
            eprintln!(
                "warning: did not run the install scripts of {} ({how})",
                skipped.join(", ")
            );
        }
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    // npm checks a required dependency's os and cpu against this machine
    // (--os/--cpu choose among optional ones only).
    if stderr.contains("EBADPLATFORM") {
        let which = stderr
            .lines()
            .find_map(|l| l.split_once("Unsupported platform for ").map(|(_, r)| r))
            .and_then(|r| r.split(':').next())
            .unwrap_or("a dependency");
        let valid: Vec<&str> = stderr
            .lines()
            .filter_map(|l| l.split_once("notsup Valid ").map(|(_, r)| r.trim()))
            .collect();
        return Err(Error::config(format!(
            "{which} cannot be installed here: it supports only {} (Lambda runs linux, {cpu})",
            if valid.is_empty() { "other platforms".to_string() } else { valid.join(", ") }
        ))
        .with_hint(
            "packages that ship native builds list them as optionalDependencies, which lam installs for Lambda's platform; for a required one, build on a machine of that platform",
        ));
    }
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

    /// node_modules as npm leaves it with `--os=linux --cpu=arm64`: sharp's
    /// linux-arm64 build installed beside it; a package whose platform
    /// builds stop at linux-x64 with none installed; one with darwin-only
    /// helpers (a fallback on linux); and an addon compiled by its install
    /// script on this machine.
    /// A package that names itself (and its builds) with terminal
    /// escapes, as a crafted dependency would: the refusal shows them
    /// escaped.
    #[test]
    fn a_crafted_package_name_reaches_no_terminal_raw() {
        let root = tempfile::tempdir().unwrap();
        let nm = root.path().join("node_modules/evil");
        std::fs::create_dir_all(&nm).unwrap();
        std::fs::write(
            nm.join("package.json"),
            r#"{"name": "evil\u001b]0;pwned\u0007", "optionalDependencies": {"evil-linux-x64\u001b[2J": "1.0.0"}}"#,
        )
        .unwrap();
        let gaps = platform_gaps(&root.path().join("node_modules"), "arm64", false);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        for p in platform_problems(&gaps, "arm64") {
            assert!(
                !p.message.contains('\u{1b}') && !p.message.contains('\u{7}'),
                "{}",
                p.message
            );
            assert!(p.message.contains("evil"), "{}", p.message);
        }
    }

    #[test]
    fn packages_without_a_build_for_lambdas_platform_are_found() {
        let root = tempfile::tempdir().unwrap();
        let nm = root.path().join("node_modules");
        let put = |dir: &str, json: &str| {
            std::fs::create_dir_all(nm.join(dir)).unwrap();
            std::fs::write(nm.join(dir).join("package.json"), json).unwrap();
        };
        put(
            "sharp",
            r#"{"name": "sharp", "optionalDependencies": {"@img/sharp-linux-arm64": "0.34.1", "@img/sharp-linux-x64": "0.34.1", "@img/sharp-darwin-arm64": "0.34.1"}}"#,
        );
        put(
            "@img/sharp-linux-arm64",
            r#"{"name": "@img/sharp-linux-arm64"}"#,
        );
        put(
            "oldtool",
            r#"{"name": "oldtool", "optionalDependencies": {"oldtool-linux-x64": "1.0.0", "oldtool-darwin-x64": "1.0.0"}}"#,
        );
        put(
            "watcher",
            r#"{"name": "watcher", "optionalDependencies": {"watcher-darwin": "1.0.0"}}"#,
        );
        put(
            "addon",
            r#"{"name": "addon", "scripts": {"install": "node-gyp rebuild"}}"#,
        );
        std::fs::write(nm.join("addon/binding.gyp"), "{}").unwrap();

        let names = |gaps: Vec<(String, String)>| -> Vec<String> {
            gaps.into_iter().map(|(n, _)| n).collect()
        };
        let gaps = platform_gaps(&nm, "arm64", false);
        assert_eq!(names(gaps.clone()), ["oldtool"], "{gaps:?}");
        assert!(gaps[0].1.contains("linux-arm64"), "{gaps:?}");
        // The addon counts only when its scripts ran on another platform.
        let host_is_lambda_x64 =
            std::env::consts::OS == "linux" && std::env::consts::ARCH == "x86_64";
        let gaps = names(platform_gaps(&nm, "x64", true));
        if host_is_lambda_x64 {
            // Neither has its linux-x64 build installed in this tree.
            assert_eq!(gaps, ["oldtool", "sharp"]);
        } else {
            assert!(gaps.contains(&"addon".to_string()), "{gaps:?}");
        }
        let gaps = names(platform_gaps(&nm, "arm64", true));
        if std::env::consts::ARCH != "aarch64" {
            assert_eq!(gaps, ["addon", "oldtool"]);
        }
    }

    #[test]
    fn comment_only_requirements_install_nothing() {
        assert!(!has_requirements("# nothing\n\n   # still nothing\n"));
        assert!(has_requirements("# deps\nrequests==2.32.3\n"));
    }

    #[test]
    fn pip_index_settings_become_uv_variables() {
        let s = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let got = pip_index_from(
            &s(&[
                ("index-url", "https://pypi.example.com/simple"),
                ("extra-index-url", "https://a/simple https://b/simple"),
                ("find-links", "/wheels"),
                ("no-index", "true"),
                ("cert", "/etc/ca.pem"),
                ("timeout", "60"),
            ]),
            false,
        );
        let env = |k: &str| {
            got.env
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(env("UV_INDEX_URL"), Some("https://pypi.example.com/simple"));
        assert_eq!(
            env("UV_EXTRA_INDEX_URL"),
            Some("https://a/simple https://b/simple")
        );
        assert_eq!(env("UV_FIND_LINKS"), Some("/wheels"));
        assert_eq!(env("UV_NO_INDEX"), Some("1"));
        assert_eq!(got.env.len(), 4);
        assert_eq!(got.cert.as_deref(), Some("/etc/ca.pem"));
        // SSL_CERT_FILE set: it is uv's already.
        assert_eq!(
            pip_index_from(&s(&[("cert", "/etc/ca.pem")]), true),
            PipIndex::default()
        );
        assert!(
            pip_index_from(&s(&[("no-index", "0")]), false)
                .env
                .is_empty()
        );
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
        let err = install_failure(
            "ERROR: Could not find a version that satisfies the requirement nosuchpkg==1.0 (from versions: none)\nERROR: No matching distribution found for nosuchpkg==1.0\n",
            "nosuchpkg==1.0\n",
            f,
            "pip",
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
