//! Packaging: the function's code as a reproducible zip.
//!
//! The same files always give the same bytes: entries sorted, timestamps
//! fixed, permissions normalised, no owner ids. So CodeSha256 changes only
//! when the code does, and `lam deploy` can skip uploads of unchanged code.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::config::Function;
use crate::config::rules::Language;
use crate::error::{Error, Result, io_reason};

/// Lambda's limit for a zip uploaded directly (ZipFile).
pub const DIRECT_UPLOAD_LIMIT: u64 = 52_428_800;
/// Lambda's limit for unzipped code, layers included.
pub const UNZIPPED_LIMIT: u64 = 262_144_000;

/// Directory and file names never packaged.
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
    "tests",
    "test",
    ".DS_Store",
    "Thumbs.db",
    ".env",
    "lam.toml",
    ".lamignore",
    ".gitignore",
    "events",
];

/// A file that goes into the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the zip, '/'-separated.
    pub name: String,
    pub source: PathBuf,
    pub executable: bool,
}

/// A built package.
#[derive(Debug, Clone)]
pub struct Package {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub files: usize,
    pub unzipped_size: u64,
    /// base64 of the SHA-256 of the zip, as Lambda reports CodeSha256.
    pub sha256: String,
}

/// Why a path is left out, or None when it goes in.
pub fn exclusion_reason(name: &str, is_dir: bool) -> Option<&'static str> {
    if EXCLUDED_NAMES.contains(&name) {
        return Some(if is_dir {
            "excluded directory"
        } else {
            "excluded file"
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

/// The files of `function`'s source directory that go into its zip, sorted.
pub fn collect(function: &Function) -> Result<Vec<Entry>> {
    let root = &function.source;
    let canonical_root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let mut entries = Vec::new();
    walk(&canonical_root, root, "", &mut entries)?;
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

fn walk(canonical_root: &Path, dir: &Path, prefix: &str, out: &mut Vec<Entry>) -> Result<()> {
    let read = std::fs::read_dir(dir).map_err(|e| Error::io("read directory", dir, e))?;
    for item in read {
        let item = item.map_err(|e| Error::io("read directory", dir, e))?;
        let path = item.path();
        let Some(name) = item.file_name().to_str().map(str::to_string) else {
            return Err(Error::config(format!(
                "'{}' has a name that is not UTF-8",
                path.display()
            ))
            .with_hint("rename it, or exclude it from the package"));
        };
        let link_meta =
            std::fs::symlink_metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        let meta = if link_meta.file_type().is_symlink() {
            let target = path
                .canonicalize()
                .map_err(|e| Error::io("follow the link", &path, e))?;
            if !target.starts_with(canonical_root) {
                return Err(Error::config(format!(
                    "'{}' links to '{}', outside the project",
                    path.display(),
                    target.display()
                ))
                .with_hint("copy the file into the project, or exclude the link"));
            }
            std::fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?
        } else {
            link_meta
        };
        if exclusion_reason(&name, meta.is_dir()).is_some() {
            continue;
        }
        let zip_name = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if meta.is_dir() {
            walk(canonical_root, &path, &zip_name, out)?;
        } else if meta.is_file() {
            out.push(Entry {
                name: zip_name,
                source: path,
                executable: is_executable(&meta),
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}

/// The file the handler setting points at must be in the package.
pub fn check_handler_file(function: &Function, entries: &[Entry]) -> Result<()> {
    let Some((module, _)) = function.handler.rsplit_once('.') else {
        return Ok(());
    };
    let candidates: Vec<String> = match function.language() {
        Language::Python => vec![format!("{module}.py"), format!("{module}/__init__.py")],
        Language::Node => ["js", "mjs", "cjs"]
            .iter()
            .map(|ext| format!("{module}.{ext}"))
            .collect(),
        Language::Other => return Ok(()),
    };
    if entries.iter().any(|e| candidates.contains(&e.name)) {
        return Ok(());
    }
    Err(Error::config(format!(
        "handler = \"{}\" needs {}, which is not in the package",
        function.handler, candidates[0]
    ))
    .with_hint(format!(
        "create {} in '{}', or fix `handler` in lam.toml",
        candidates[0],
        function.source.display()
    )))
}

/// Builds the zip for `function` into `<root>/.lam/build/<key>.zip`.
pub fn build(root: &Path, function: &Function) -> Result<Package> {
    let entries = collect(function)?;
    check_handler_file(function, &entries)?;
    let (bytes, unzipped_size) = zip_entries(&entries)?;
    if unzipped_size > UNZIPPED_LIMIT {
        return Err(Error::config(format!(
            "the unzipped code is {unzipped_size} bytes, over Lambda's limit of {UNZIPPED_LIMIT}"
        ))
        .with_hint("leave large files out with [build] exclude, or move them to S3 or a layer"));
    }
    let dir = root.join(".lam").join("build");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let path = dir.join(format!("{}.zip", function.key));
    write_atomically(&dir, &path, &bytes)?;
    Ok(Package {
        path,
        files: entries.len(),
        unzipped_size,
        sha256: code_sha256(&bytes),
        bytes,
    })
}

/// Writes through a temporary file in the same directory, then renames, so
/// an interrupted build never leaves a half-written zip.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("write in", dir, e))?;
    tmp.write_all(bytes)
        .map_err(|e| Error::io("write", path, e))?;
    tmp.persist(path).map_err(|e| {
        Error::config(format!(
            "cannot write '{}': {}",
            path.display(),
            io_reason(&e.error)
        ))
    })?;
    Ok(())
}

/// Zips the entries in order with fixed metadata. Returns the bytes and the
/// total unzipped size.
pub fn zip_entries(entries: &[Entry]) -> Result<(Vec<u8>, u64)> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let mut unzipped = 0u64;
    let zip_err = |e: zip::result::ZipError| Error::local(format!("cannot write the zip: {e}"));
    for entry in entries {
        let data = std::fs::read(&entry.source).map_err(|e| Error::io("read", &entry.source, e))?;
        unzipped += data.len() as u64;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(if entry.executable { 0o755 } else { 0o644 });
        writer
            .start_file(entry.name.as_str(), options)
            .map_err(zip_err)?;
        writer
            .write_all(&data)
            .map_err(|e| Error::local(format!("cannot write the zip: {e}")))?;
    }
    let cursor = writer.finish().map_err(zip_err)?;
    Ok((cursor.into_inner(), unzipped))
}

pub fn code_sha256(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Project;

    fn project_in(dir: &Path) -> Project {
        std::fs::write(
            dir.join("lam.toml"),
            "[project]\nname = \"t\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        )
        .unwrap();
        Project::discover(dir, None).unwrap()
    }

    #[test]
    fn same_files_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("app.py"),
            "def handler(e, c):\n    return 1\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("lib")).unwrap();
        std::fs::write(dir.path().join("lib/util.py"), "X = 1\n").unwrap();
        let project = project_in(dir.path());
        let a = build(&project.root, &project.functions[0]).unwrap();
        // Touch a file: a new mtime must not change the bytes.
        std::fs::write(dir.path().join("lib/util.py"), "X = 1\n").unwrap();
        let b = build(&project.root, &project.functions[0]).unwrap();
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.files, 2);
        assert_eq!(std::fs::read(&a.path).unwrap(), a.bytes);
    }

    #[test]
    fn default_excludes_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["app.py", ".env", ".env.prod", "x.pyc", "notes.txt~"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        for d in [".git", "__pycache__", "tests", ".venv"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
            std::fs::write(dir.path().join(d).join("f.py"), "x").unwrap();
        }
        let project = project_in(dir.path());
        let names: Vec<String> = collect(&project.functions[0])
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, vec!["app.py"]);
    }

    #[test]
    fn missing_handler_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("other.py"), "x").unwrap();
        let project = project_in(dir.path());
        let err = build(&project.root, &project.functions[0]).unwrap_err();
        assert!(
            err.to_string()
                .contains("needs app.py, which is not in the package"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_outside_the_project_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), "x").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("link.txt"),
        )
        .unwrap();
        let project = project_in(dir.path());
        let err = build(&project.root, &project.functions[0]).unwrap_err();
        assert!(err.to_string().contains("outside the project"), "{err}");
    }

    #[test]
    fn code_sha256_is_base64_of_sha256() {
        assert_eq!(
            code_sha256(b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }
}
