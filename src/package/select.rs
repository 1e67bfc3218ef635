//! Which files of a function's source directory go into its zip, and why
//! the others do not.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::config::Function;
use crate::error::{Error, Result};

/// Directory and file names never packaged, at any depth.
const EXCLUDED_NAMES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".lam",
    ".venv",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    ".idea",
    ".vscode",
    ".DS_Store",
    "Thumbs.db",
    ".env",
];

/// Files that may hold credentials: left out even when an include pattern
/// covers their directory (only an include naming the exact path brings
/// one in).
const CREDENTIAL_FILES: &[&str] = &[
    ".env",
    ".envrc",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git",
    ".aws",
    ".ssh",
    ".git-credentials",
    ".pgpass",
    ".docker",
    ".kube",
    ".boto",
    ".gnupg",
];

/// Whether a file or directory named `name` may hold credentials or keys:
/// the names above, SSH keys, Terraform state and variables, credential
/// JSON files and key stores. A `.pem` or `.key` file counts when
/// `private_key` says it holds a private key (None: cannot tell, so it
/// does): a CA bundle such as certifi's cacert.pem is code's data and goes in.
fn holds_credentials(name: &str, is_dir: bool, private_key: impl Fn() -> Option<bool>) -> bool {
    if CREDENTIAL_FILES.contains(&name) || name.starts_with(".env.") {
        return true;
    }
    if is_dir {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    let ssh_key = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| lower.starts_with(k));
    let by_name = ssh_key
        || lower.ends_with(".tfstate")
        || lower.ends_with(".tfstate.backup")
        || lower.ends_with(".tfvars")
        || lower.ends_with(".p12")
        || lower.ends_with(".pfx")
        || lower.ends_with(".jks")
        || (lower.starts_with("credentials") && lower.ends_with(".json"));
    if by_name {
        return true;
    }
    (lower.ends_with(".pem") || lower.ends_with(".key")) && private_key().unwrap_or(true)
}

/// Whether the file at `path` holds a PEM private key (None: unreadable).
fn has_private_key(path: &Path) -> Option<bool> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(text.contains("PRIVATE KEY-----"))
}

/// Names left out only at the top of the source directory: the project's
/// own tests, sample events and lam's files. Deeper down they may be code
/// (a package's `test` module).
const EXCLUDED_AT_ROOT: &[&str] = &[
    "tests",
    "test",
    "events",
    "lam.toml",
    ".lamignore",
    ".gitignore",
];

pub const LAMIGNORE: &str = ".lamignore";

/// A file that goes into the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the zip, '/'-separated.
    pub name: String,
    pub source: PathBuf,
    pub executable: bool,
}

/// A path left out, with the reason (directories end in '/').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Selection {
    /// Sorted by name.
    pub files: Vec<Entry>,
    pub excluded: Vec<Excluded>,
}

/// Why a name is left out by default, or None.
pub fn default_reason(name: &str, is_dir: bool, at_root: bool) -> Option<&'static str> {
    if EXCLUDED_NAMES.contains(&name) || (at_root && EXCLUDED_AT_ROOT.contains(&name)) {
        return Some(if name.starts_with(".env") {
            "local environment file"
        } else {
            "excluded by default"
        });
    }
    if !is_dir && (name.ends_with(".pyc") || name.ends_with(".pyo")) {
        return Some("compiled Python");
    }
    if !is_dir && name.starts_with(".env.") {
        return Some("local environment file");
    }
    if !is_dir && (name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swo")) {
        return Some("editor file");
    }
    None
}

struct Rules {
    /// The source directory, to look inside `.pem` and `.key` files (None
    /// when there is no directory: such a name is then left out).
    root: Option<PathBuf>,
    lamignore: Option<Gitignore>,
    exclude: Gitignore,
    include: Gitignore,
    include_patterns: Vec<String>,
    /// lam installs dependencies itself: the project's own node_modules stays out.
    managed_node_modules: bool,
}

fn matcher(root: &Path, patterns: &[String], what: &str) -> Result<Gitignore> {
    let mut builder = GitignoreBuilder::new(root);
    for p in patterns {
        builder.add_line(None, p).map_err(|e| {
            Error::config(format!("{what} pattern \"{p}\" is not valid: {e}"))
                .with_hint("use gitignore syntax")
        })?;
    }
    builder.build().map_err(|e| {
        Error::config(format!("{what} patterns are not valid: {e}"))
            .with_hint("use gitignore syntax")
    })
}

impl Rules {
    fn new(function: &Function, managed_node_modules: bool) -> Result<Rules> {
        let root = &function.source;
        let lamignore_path = root.join(LAMIGNORE);
        let lamignore = if lamignore_path.is_file() {
            let mut builder = GitignoreBuilder::new(root);
            if let Some(err) = builder.add(&lamignore_path) {
                return Err(
                    Error::config(format!("{LAMIGNORE}: {err}")).with_hint("use gitignore syntax")
                );
            }
            Some(builder.build().map_err(|e| {
                Error::config(format!("{LAMIGNORE}: {e}")).with_hint("use gitignore syntax")
            })?)
        } else {
            None
        };
        Ok(Rules {
            root: Some(root.to_path_buf()),
            lamignore,
            exclude: matcher(root, &function.build.exclude, "[build] exclude")?,
            include: matcher(root, &function.build.include, "[build] include")?,
            include_patterns: function.build.include.clone(),
            managed_node_modules,
        })
    }

    /// An include pattern reaches inside directory `rel`.
    fn includes_inside(&self, rel: &str) -> bool {
        self.include_patterns
            .iter()
            .any(|p| p.trim_start_matches('/').starts_with(&format!("{rel}/")))
    }

    /// Why `rel` is left out, or None when it goes in. `inherited` is the
    /// reason its excluded parent directory was entered anyway (for includes).
    fn reason(
        &self,
        rel: &str,
        name: &str,
        is_dir: bool,
        at_root: bool,
        inherited: Option<&str>,
    ) -> Option<String> {
        let credential = holds_credentials(name, is_dir, || {
            self.root
                .as_ref()
                .and_then(|r| has_private_key(&r.join(rel)))
        });
        if credential
            && !self
                .include_patterns
                .iter()
                .any(|p| p.trim_start_matches('/') == rel)
        {
            return Some(if name.starts_with(".env") {
                "local environment file".into()
            } else {
                "may hold credentials or keys".into()
            });
        }
        if self
            .include
            .matched_path_or_any_parents(rel, is_dir)
            .is_ignore()
        {
            return None;
        }
        if let Some(reason) = inherited {
            return (!(is_dir && self.includes_inside(rel))).then(|| reason.to_string());
        }
        if let Some(reason) = default_reason(name, is_dir, at_root) {
            return Some(reason.to_string());
        }
        if is_dir && at_root && name == "node_modules" && self.managed_node_modules {
            return Some("dependencies are installed by lam".into());
        }
        if let Some(m) = &self.lamignore {
            let matched = m.matched(rel, is_dir);
            if matched.is_ignore() {
                let pattern = matched
                    .inner()
                    .map(|g| g.original().to_string())
                    .unwrap_or_default();
                return Some(format!("{LAMIGNORE}: {pattern}"));
            }
        }
        let matched = self.exclude.matched(rel, is_dir);
        if matched.is_ignore() {
            let pattern = matched
                .inner()
                .map(|g| g.original().to_string())
                .unwrap_or_default();
            return Some(format!("[build] exclude: {pattern}"));
        }
        None
    }
}

/// Why each of `paths` (relative, with whether it is a directory) would be
/// left out under `.lamignore` text and `[build]` patterns: the same rules
/// as `select`, without a directory to walk (for fuzzing and tests).
pub fn reasons(
    root: &Path,
    lamignore: &str,
    include: &[String],
    exclude: &[String],
    paths: &[(&str, bool)],
) -> Result<Vec<Option<String>>> {
    let ignore = matcher(
        root,
        &lamignore.lines().map(str::to_string).collect::<Vec<_>>(),
        LAMIGNORE,
    )?;
    let rules = Rules {
        root: None,
        lamignore: Some(ignore),
        exclude: matcher(root, exclude, "[build] exclude")?,
        include: matcher(root, include, "[build] include")?,
        include_patterns: include.to_vec(),
        managed_node_modules: false,
    };
    Ok(paths
        .iter()
        .map(|(rel, is_dir)| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            rules.reason(rel, name, *is_dir, !rel.contains('/'), None)
        })
        .collect())
}

/// Selects the files of `function`'s source directory. Links are followed
/// only when they stay inside the project.
pub fn select(function: &Function, managed_node_modules: bool) -> Result<Selection> {
    let root = &function.source;
    let canonical_root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let rules = Rules::new(function, managed_node_modules)?;
    let mut selection = Selection::default();
    walk(&canonical_root, root, "", None, &rules, &mut selection)?;
    selection.files.sort_by(|a, b| a.name.cmp(&b.name));
    selection.excluded.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(selection)
}

fn walk(
    canonical_root: &Path,
    dir: &Path,
    prefix: &str,
    inherited: Option<&str>,
    rules: &Rules,
    out: &mut Selection,
) -> Result<()> {
    let read = std::fs::read_dir(dir).map_err(|e| Error::io("read directory", dir, e))?;
    for item in read {
        let item = item.map_err(|e| Error::io("read directory", dir, e))?;
        let path = item.path();
        let Some(name) = item.file_name().to_str().map(str::to_string) else {
            return Err(Error::config(format!(
                "'{}' has a name that is not UTF-8",
                path.display()
            ))
            .with_hint("rename it, or add it to .lamignore"));
        };
        let link_meta =
            std::fs::symlink_metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let meta = if link_meta.file_type().is_symlink() {
            let target = path
                .canonicalize()
                .map_err(|e| Error::io("follow the link", &path, e))?;
            if !target.starts_with(canonical_root) {
                // An excluded link never matters.
                if rules
                    .reason(&rel, &name, target.is_dir(), prefix.is_empty(), inherited)
                    .is_some()
                {
                    continue;
                }
                return Err(Error::config(format!(
                    "'{}' links to '{}', outside the project",
                    path.display(),
                    target.display()
                ))
                .with_hint("copy the file into the project, or add the link to .lamignore"));
            }
            // A link is packaged only when what it points at would be:
            // `config.py -> .env` must not carry the .env into the zip.
            if let Some(why) = target_reason(rules, canonical_root, &target) {
                out.excluded.push(Excluded {
                    path: rel,
                    reason: format!("links to a file left out ({why})"),
                });
                continue;
            }
            std::fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?
        } else {
            link_meta
        };
        if let Some(reason) = rules.reason(&rel, &name, meta.is_dir(), prefix.is_empty(), inherited)
        {
            if meta.is_dir() && rules.includes_inside(&rel) {
                // Excluded, but [build] include reaches inside: enter it and
                // keep only what the include patterns name.
                walk(canonical_root, &path, &rel, Some(&reason), rules, out)?;
                continue;
            }
            let shown = if meta.is_dir() {
                format!("{rel}/")
            } else {
                rel
            };
            out.excluded.push(Excluded {
                path: shown,
                reason,
            });
            continue;
        }
        if meta.is_dir() {
            walk(canonical_root, &path, &rel, inherited, rules, out)?;
        } else if meta.is_file() {
            out.files.push(Entry {
                name: rel,
                source: path,
                executable: is_executable(&meta),
            });
        }
    }
    Ok(())
}

/// Why the file or directory `target` (inside `canonical_root`) would be
/// left out, itself or through a directory it is in.
fn target_reason(rules: &Rules, canonical_root: &Path, target: &Path) -> Option<String> {
    let rel = target.strip_prefix(canonical_root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut prefix = String::new();
    for (i, part) in parts.iter().enumerate() {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        let is_dir = i + 1 < parts.len() || target.is_dir();
        if let Some(why) = rules.reason(&prefix, part, is_dir, i == 0, None) {
            return Some(format!("{prefix}: {why}"));
        }
    }
    None
}

#[cfg(unix)]
pub fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
pub fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}

/// The selected files that the project's `.gitignore` files ignore (those
/// of the project root and of the function's source directory): often
/// local-only or generated, and worth a warning when packaged.
pub fn git_ignored(root: &Path, function: &Function, selection: &Selection) -> Vec<String> {
    let source = &function.source;
    let mut builder = GitignoreBuilder::new(source);
    let mut any = false;
    for dir in [root, source.as_path()] {
        let file = dir.join(".gitignore");
        if file.is_file() && builder.add(&file).is_none() {
            any = true;
        }
    }
    if !any {
        return Vec::new();
    }
    let Ok(gitignore) = builder.build() else {
        return Vec::new();
    };
    selection
        .files
        .iter()
        .filter(|e| {
            gitignore
                .matched_path_or_any_parents(source.join(&e.name), false)
                .is_ignore()
        })
        .map(|e| e.name.clone())
        .collect()
}
