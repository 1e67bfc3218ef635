//! The task root: what `lam build` packages, laid out as Lambda unpacks it
//! in /var/task, and read-only to the handler.
//!
//! The files `lam build` selects are hard-linked (copied across file
//! systems) into `.lam/task/<function>/`, so what runs is the zip's content
//! (a file left out by `.lamignore` is missing here too) and an edit in the
//! project is seen at the next start without copying. On Linux the runtime
//! process gets its own mount namespace in which that directory is a
//! read-only bind mount: a handler that writes beside its code fails with
//! `Read-only file system` (EROFS), as on Lambda, even when lam runs as
//! root; `/tmp` stays writable. Where namespaces are not allowed (some
//! containers) the process runs without that protection.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{Function, Project};
use crate::error::{Error, Result};
use crate::package::select;

/// Brings `.lam/task/<function>/` in line with the package's file list and
/// returns it.
pub fn prepare(project: &Project, function: &Function) -> Result<PathBuf> {
    // Neither .lam/task nor the function's task root may be a link: lam
    // links, writes and prunes files there.
    let dir = crate::package::witness::lam_dir(&project.root, &["task", &function.name])?;
    own_bytecode_cache(project)?;
    // The project's own node_modules is what runs locally (lam installs the
    // zip's tree only when building), so it is linked, not copied.
    let selection = select::select(function, true)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let mut wanted: HashSet<PathBuf> = HashSet::with_capacity(selection.files.len() + 1);
    let mut stamp = std::hash::DefaultHasher::new();
    for entry in &selection.files {
        let target = dir.join(&entry.name);
        let meta = place(&entry.source, &target)?;
        stamp_file(&mut stamp, &entry.name, &meta);
        wanted.insert(target);
    }
    forget_bytecode_if_changed(project, &dir, std::hash::Hasher::finish(&stamp));
    // Node.js runs the tree the zip holds: the one lam installs from
    // package.json's dependencies (for this machine's cpu, when it is not
    // the function's), never devDependencies or whatever the project's own
    // node_modules happens to hold; without dependencies, the project's
    // node_modules, which is then what the zip packages.
    let modules = match node_tree(project, function)? {
        Some(tree) => tree,
        None => function.source.join("node_modules"),
    };
    if modules.is_dir() {
        let target = dir.join("node_modules");
        let modules = modules.canonicalize().unwrap_or(modules);
        if std::fs::read_link(&target).ok().as_deref() != Some(modules.as_path()) {
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                remove(&target);
            }
            let tmp = temporary(&target);
            symlink_dir(&modules, &tmp)?;
            std::fs::rename(&tmp, &target).map_err(|e| Error::io("link", &target, e))?;
        }
        wanted.insert(target);
    }
    prune(&dir, &wanted);
    Ok(dir)
}

/// Where Python caches the compiled form of the code it imports
/// (PYTHONPYCACHEPREFIX): outside the read-only task root, so a cold start
/// does not compile the handler and its dependencies again.
pub fn bytecode_cache(project: &Project) -> PathBuf {
    project.root.join(".lam").join("pycache")
}

/// The dependency tree lam installs for a Node.js function with
/// dependencies, for this machine's cpu (native builds must load here).
pub fn node_tree(project: &Project, function: &Function) -> Result<Option<PathBuf>> {
    if function.language() != crate::config::rules::Language::Node
        || !crate::package::deps::manages_node_modules(function)
    {
        return Ok(None);
    }
    let mut here = function.clone();
    if cfg!(target_arch = "x86_64") {
        here.architecture = crate::config::Architecture::X86_64;
    } else if cfg!(target_arch = "aarch64") {
        here.architecture = crate::config::Architecture::Arm64;
    }
    Ok(crate::package::deps::prepare(&project.root, &here, false)?.map(|d| d.dir))
}

/// The bytecode cache is lam's only when lam made it here (its witness
/// says so): a repository could ship compiled files that Python would run
/// in place of the sources a reviewer read (an unchecked-hash .pyc is never
/// compared with its source). Any other is removed.
fn own_bytecode_cache(project: &Project) -> Result<()> {
    // Runtimes of one `lam serve` start side by side: one checks at a time.
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE.lock().unwrap_or_else(|p| p.into_inner());
    let cache = crate::package::witness::lam_dir(&project.root, &["pycache"])?;
    let marker = cache.join(".lam-owned");
    // The marker holds a nonce only lam's witness knows: one a repository
    // ships (or a pull brings) cannot match it.
    let ours =
        std::fs::read_to_string(&marker).is_ok_and(|m| crate::package::witness::holds(&marker, &m));
    if ours {
        return Ok(());
    }
    // Moved aside in one step (however its insides are protected), then
    // removed as far as it can be; another lam doing the same finds it gone.
    if std::fs::symlink_metadata(&cache).is_ok() {
        let aside = cache.with_file_name(format!("pycache.foreign-{}", std::process::id()));
        match std::fs::rename(&cache, &aside) {
            Ok(()) => {
                let _ = std::fs::remove_dir_all(&aside);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("move aside", &cache, e)),
        }
    }
    std::fs::create_dir_all(&cache).map_err(|e| Error::io("create", &cache, e))?;
    let mark = crate::package::witness::nonce();
    // Unrecorded (another lam moved the directory aside meanwhile), the
    // next run moves this one aside too: slower, never less safe.
    let _ = crate::package::witness::write(&marker, &mark);
    // Another lam may move the directory aside meanwhile: it then makes its
    // own, and Python makes the directories it writes to again.
    let tmp = cache.join(format!(".lam-owned.{}", std::process::id()));
    if std::fs::write(&tmp, &mark).is_ok() {
        let _ = std::fs::rename(&tmp, &marker);
    }
    Ok(())
}

fn stamp_file(stamp: &mut std::hash::DefaultHasher, name: &str, meta: &std::fs::Metadata) {
    use std::hash::Hash;
    name.hash(stamp);
    meta.len().hash(stamp);
    meta.modified().ok().hash(stamp);
    #[cfg(unix)]
    std::os::unix::fs::MetadataExt::ino(meta).hash(stamp);
}

/// Python checks a cached .pyc against its source's size and mtime in whole
/// seconds, so an edit within the second that keeps the size would run the
/// old code (`lam serve --watch`). When any file of the task root changed
/// since the last start, its cached bytecode is dropped.
fn forget_bytecode_if_changed(project: &Project, dir: &Path, stamp: u64) {
    let file = dir.with_extension("stamp");
    let stamp = format!("{stamp:016x}");
    // A stamp that is a link (a repository's) is replaced, never written through.
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        let _ = std::fs::remove_file(&file);
    }
    if std::fs::read_to_string(&file).is_ok_and(|s| s == stamp) {
        return;
    }
    // The cache mirrors absolute paths below the prefix.
    let mirrored: PathBuf = dir
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    let _ = std::fs::remove_dir_all(bytecode_cache(project).join(mirrored));
    let _ = std::fs::write(&file, stamp);
}

/// Makes `target` the same file as `source`: a hard link when it is not one
/// already, else a copy when the copy is out of date. Replaced atomically, so
/// runtimes starting side by side (`lam serve`) never see a missing file.
/// Returns the source's metadata.
fn place(source: &Path, target: &Path) -> Result<std::fs::Metadata> {
    let src = std::fs::metadata(source).map_err(|e| Error::io("read", source, e))?;
    if let Ok(dst) = std::fs::symlink_metadata(target)
        && up_to_date(&src, &dst)
    {
        return Ok(src);
    }
    let parent = target.parent().unwrap_or(target);
    if let Ok(meta) = std::fs::symlink_metadata(parent)
        && !meta.is_dir()
    {
        // A file became a directory in the project.
        remove(parent);
    }
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        remove(target);
    }
    let tmp = temporary(target);
    if std::fs::hard_link(source, &tmp).is_err() {
        std::fs::copy(source, &tmp).map_err(|e| Error::io("copy", source, e))?;
    }
    std::fs::rename(&tmp, target).map_err(|e| Error::io("write", target, e))?;
    Ok(src)
}

/// A name beside `target` that no other preparer (another lam, or another
/// runtime of this one) uses at the same time.
fn temporary(target: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let tmp = format!(".{name}{TEMPORARY}{}-{n}", std::process::id());
    let tmp = target.with_file_name(tmp);
    let _ = std::fs::remove_file(&tmp);
    tmp
}

/// Marks the names of [`temporary`] files, which pruning leaves alone.
const TEMPORARY: &str = ".lam-tmp-";

/// A [`temporary`] file young enough to belong to a preparer still at work
/// (an older one was left by a process that died).
fn in_use(item: &std::fs::DirEntry) -> bool {
    item.file_name().to_string_lossy().contains(TEMPORARY)
        && item
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().unwrap_or_default() < std::time::Duration::from_secs(60))
}

#[cfg(unix)]
fn up_to_date(src: &std::fs::Metadata, dst: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    if !dst.is_file() {
        return false;
    }
    if src.dev() == dst.dev() {
        // Same file system: a hard link to the very file, or out of date
        // (an editor that saves by rename leaves the old inode behind).
        return src.ino() == dst.ino();
    }
    // A copy (another file system): as new as the source, and as long.
    dst.len() == src.len() && dst.mtime() >= src.mtime() && dst.mode() == src.mode()
}

#[cfg(not(unix))]
fn up_to_date(src: &std::fs::Metadata, dst: &std::fs::Metadata) -> bool {
    dst.is_file()
        && dst.len() == src.len()
        && matches!((src.modified(), dst.modified()), (Ok(s), Ok(d)) if d >= s)
}

#[cfg(unix)]
fn symlink_dir(target: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link).map_err(|e| Error::io("link", link, e))
}

#[cfg(windows)]
fn symlink_dir(target: &Path, link: &Path) -> Result<()> {
    std::os::windows::fs::symlink_dir(target, link).map_err(|e| Error::io("link", link, e))
}

fn remove(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Removes what the package no longer holds, and directories left empty.
/// Returns whether `dir` is now empty.
fn prune(dir: &Path, wanted: &HashSet<PathBuf>) -> bool {
    let Ok(read) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut empty = true;
    for item in read.flatten() {
        let path = item.path();
        if wanted.contains(&path) || in_use(&item) {
            empty = false;
            continue;
        }
        let is_dir = item.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !prune(&path, wanted) {
            empty = false;
            continue;
        }
        if is_dir {
            let _ = std::fs::remove_dir(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
    empty
}

/// What the child does before it runs the interpreter: a mount namespace
/// of its own in which the task root (and the dependency tree beside it) is
/// a read-only bind mount.
#[cfg(target_os = "linux")]
pub struct ReadOnly {
    /// The directories, each with the mount flags a remount must keep.
    dirs: Vec<(std::ffi::CString, libc::c_ulong)>,
    /// The working directory, entered again once it is read-only.
    cwd: std::ffi::CString,
    namespace: crate::subprocess::PrivateMounts,
    /// Directories the process must not see (an empty tmpfs on each).
    hidden: Vec<std::ffi::CString>,
}

#[cfg(target_os = "linux")]
impl ReadOnly {
    /// Also hides `dirs` (those that exist) from the process: the project's
    /// own node_modules above the task root, which Node.js would otherwise
    /// find by walking up, where /var/task on Lambda has none.
    pub fn hiding(mut self, dirs: &[PathBuf]) -> ReadOnly {
        use std::os::unix::ffi::OsStrExt;
        self.hidden = dirs
            .iter()
            .filter(|d| d.is_dir())
            .filter_map(|d| std::ffi::CString::new(d.as_os_str().as_bytes()).ok())
            .collect();
        self
    }

    /// `dirs[0]` is the working directory.
    pub fn new(dirs: &[&Path]) -> Option<ReadOnly> {
        use std::os::unix::ffi::OsStrExt;
        let mut kept = Vec::new();
        for dir in dirs {
            let dir = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
            // SAFETY: statvfs on a valid, NUL-terminated path.
            let flags = unsafe {
                let mut stat: libc::statvfs = std::mem::zeroed();
                if libc::statvfs(dir.as_ptr(), &mut stat) != 0 {
                    return None;
                }
                stat.f_flag
            };
            // A remount must keep the flags the mount already has (the
            // kernel locks them inside a user namespace).
            let keep = [
                (libc::ST_NOSUID, libc::MS_NOSUID),
                (libc::ST_NODEV, libc::MS_NODEV),
                (libc::ST_NOEXEC, libc::MS_NOEXEC),
                (libc::ST_NOATIME, libc::MS_NOATIME),
                (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
                (libc::ST_RELATIME, libc::MS_RELATIME),
            ]
            .iter()
            .filter(|(st, _)| flags & st == *st)
            .fold(0, |acc, (_, ms)| acc | ms);
            kept.push((dir, keep));
        }
        let cwd = kept.first()?.0.clone();
        Some(ReadOnly {
            dirs: kept,
            cwd,
            namespace: crate::subprocess::PrivateMounts::new(),
            hidden: Vec::new(),
        })
    }

    /// Runs in the forked child, before exec: only system calls, no
    /// allocation. Every failure leaves the child as it was (writable).
    pub fn apply(&self) {
        // SAFETY: system calls on strings built before the fork.
        unsafe {
            // Nothing mounted here may reach the host's namespace.
            if !self.namespace.enter() {
                return;
            }
            let none = std::ptr::null::<libc::c_char>();
            for (dir, keep) in &self.dirs {
                let dir = dir.as_ptr();
                if libc::mount(dir, dir, none, libc::MS_BIND, std::ptr::null()) == 0 {
                    libc::mount(
                        none,
                        dir,
                        none,
                        libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | keep,
                        std::ptr::null(),
                    );
                }
            }
            for dir in &self.hidden {
                libc::mount(
                    c"lam-hidden".as_ptr(),
                    dir.as_ptr(),
                    c"tmpfs".as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV | libc::MS_RDONLY,
                    c"size=4k,mode=0555".as_ptr().cast(),
                );
            }
            // The working directory was entered before the mount: enter it
            // again to stand on the read-only one.
            libc::chdir(self.cwd.as_ptr());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn prune_keeps_wanted_files_and_drops_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("pkg/keep.py");
        write(&keep, "x");
        write(&dir.path().join("pkg/old.py"), "x");
        write(&dir.path().join("gone/deep/file.py"), "x");
        let wanted = HashSet::from([keep.clone()]);
        assert!(!prune(dir.path(), &wanted));
        assert!(keep.is_file());
        assert!(!dir.path().join("pkg/old.py").exists());
        assert!(!dir.path().join("gone").exists());
    }

    #[cfg(unix)]
    #[test]
    fn place_links_once_and_relinks_a_replaced_file() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("app.py");
        let target = dir.path().join("task/app.py");
        write(&source, "one");
        place(&source, &target).unwrap();
        let ino = std::fs::metadata(&target).unwrap().ino();
        assert_eq!(ino, std::fs::metadata(&source).unwrap().ino());
        place(&source, &target).unwrap();
        assert_eq!(std::fs::metadata(&target).unwrap().ino(), ino);
        // An editor that saves by rename gives the source a new inode.
        let new = dir.path().join("app.py.new");
        write(&new, "two");
        std::fs::rename(&new, &source).unwrap();
        place(&source, &target).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "two");
    }
}
