//! What lam itself wrote into a project's `.lam/`, recorded outside the
//! project.
//!
//! `.lam/` is inside the project, so a repository can ship one: an
//! installed dependency tree marked complete, an archive with a record of
//! its hash. Nothing there is used because it is there: a cache entry
//! counts only when lam's own cache directory holds a witness that lam
//! wrote that entry, at that path, with that record.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Where the witness of `file` is kept: named by the file's absolute path.
fn path(file: &Path) -> Option<PathBuf> {
    let parent = file.parent()?.canonicalize().ok()?;
    let full = parent.join(file.file_name()?);
    let name = crate::package::hex(&Sha256::digest(full.to_string_lossy().as_bytes()));
    Some(
        super::tools::cache_dir()
            .ok()?
            .join("witness")
            .join(&name[..40]),
    )
}

/// A value no repository can guess, for a marker whose content is
/// otherwise fixed (a witness of a constant proves nothing once a later
/// checkout brings the same constant to the same path).
pub fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for _ in 0..2 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// Records that lam wrote `record` as the content of `file`.
pub fn write(file: &Path, record: &str) -> Result<()> {
    let Some(path) = path(file) else {
        return Err(Error::local(format!("cannot record {}", file.display()))
            .with_hint("check that lam's cache directory is writable (XDG_CACHE_HOME)"));
    };
    let dir = path.parent().unwrap_or(&path);
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let tmp = dir.join(format!(".{}.tmp", std::process::id()));
    std::fs::write(&tmp, record).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))
}

/// Whether lam wrote `file` with this content (false for anything a
/// repository brought along).
pub fn holds(file: &Path, record: &str) -> bool {
    path(file)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|w| w == record)
}

/// `root/.lam/<parts>`, refused when `.lam` or any part of it is a link:
/// lam writes its caches and builds only into directories of its own (a
/// repository's `.lam -> ~/.ssh` would have it write there).
pub fn lam_dir(root: &Path, parts: &[&str]) -> Result<PathBuf> {
    let mut dir = root.join(".lam");
    let check = |d: &Path| match std::fs::symlink_metadata(d) {
        Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => Err(Error::config(format!(
            "{} is not a directory of lam's own (a link or a file)",
            d.display()
        ))
        .with_hint("remove it (lam keeps only caches and builds in .lam/), then run lam again")),
        _ => Ok(()),
    };
    check(&dir)?;
    for part in parts {
        dir.push(part);
        check(&dir)?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_linked_lam_dir_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(lam_dir(dir.path(), &["build"]).is_ok());
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".lam")).unwrap();
        let err = lam_dir(dir.path(), &["build"]).unwrap_err();
        assert!(
            err.to_string().contains("not a directory of lam's own"),
            "{err}"
        );
        std::fs::remove_file(dir.path().join(".lam")).unwrap();
        std::fs::create_dir(dir.path().join(".lam")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".lam/deps")).unwrap();
        assert!(lam_dir(dir.path(), &["deps"]).is_err());
        assert!(lam_dir(dir.path(), &["build"]).is_ok());
    }
}
