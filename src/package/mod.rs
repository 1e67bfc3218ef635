//! Packaging: the function's code and dependencies as a reproducible zip.
//!
//! The same inputs always give the same bytes (entries sorted, timestamps
//! fixed, permissions normalised, no owner ids), so CodeSha256 changes only
//! when the code does and `lam deploy` can skip uploads of unchanged code.
//! Dependencies are installed once per requirement set and kept compressed,
//! so a handler edit rebuilds in milliseconds.

pub mod archive;
pub mod deps;
pub mod select;
pub mod tools;
pub mod witness;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::config::rules::Language;
use crate::config::{DependencyPlacement, Function};
use crate::error::{Error, Result, io_reason};
use crate::ui::{Ui, format_size};
use archive::{Compressed, Input};
pub use select::Selection;

/// Lambda's limit for a zip uploaded directly (ZipFile).
pub const DIRECT_UPLOAD_LIMIT: u64 = 52_428_800;
/// Lambda's limit for unzipped code, layers included.
pub const UNZIPPED_LIMIT: u64 = 262_144_000;

/// A built package.
#[derive(Debug, Clone)]
pub struct Package {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub files: usize,
    pub unzipped_size: u64,
    /// base64 of the SHA-256 of the zip, as Lambda reports CodeSha256.
    pub sha256: String,
    /// "installed" (pip or npm ran now), "cached", or None without dependencies.
    pub dependencies: Option<&'static str>,
    /// What installed the dependencies: "uv (PATH)", "pip", "npm", ...
    pub installer: Option<String>,
    /// The dependencies as a layer of their own (then not in `bytes`).
    pub layer: Option<Layer>,
}

/// The dependency tree packaged as a layer: `python/...` or
/// `nodejs/node_modules/...`, the paths Lambda puts on the runtime's path.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The dependency tree's key (runtime, architecture, requirements):
    /// the layer's name is made from it.
    pub key: String,
    /// The zip, in lam's cache; read only to publish it ([`Layer::bytes`]).
    pub path: PathBuf,
    /// The zip's size.
    pub size: u64,
    /// base64 of the zip's SHA-256, as Lambda reports a layer's CodeSha256.
    pub sha256: String,
    pub unzipped_size: u64,
    pub runtime: String,
    pub architecture: String,
}

impl Layer {
    /// The zip's SHA-256 in hex (an S3 key can hold it).
    pub fn hex_sha256(&self) -> String {
        use base64::Engine;
        hex(&base64::engine::general_purpose::STANDARD
            .decode(&self.sha256)
            .unwrap_or_default())
    }

    /// The zip's bytes, checked against the hash the build recorded (the
    /// cache is not trusted blindly).
    pub fn bytes(&self) -> Result<Vec<u8>> {
        let bytes = std::fs::read(&self.path).map_err(|e| Error::io("read", &self.path, e))?;
        if code_sha256(&bytes) != self.sha256 {
            return Err(Error::config(format!(
                "the cached dependency layer {} changed since it was built",
                self.path.display()
            ))
            .with_hint("delete .lam/deps and build again"));
        }
        Ok(bytes)
    }
}

/// Dependencies above this size go to a layer unless `[build]
/// dependencies = "zip"`: a handler edit then uploads only the code.
pub const LAYER_THRESHOLD: u64 = 5 * 1024 * 1024;

/// Whether installed dependencies of `size` bytes go to a layer.
fn in_a_layer(placement: Option<DependencyPlacement>, size: u64) -> bool {
    match placement {
        Some(DependencyPlacement::Layer) => true,
        Some(DependencyPlacement::Zip) => false,
        None => size > LAYER_THRESHOLD,
    }
}

/// Where a layer's tree goes for each language (Lambda adds /opt/python and
/// /opt/nodejs/node_modules to the runtime's search path).
fn layer_prefix(deps: &deps::Deps) -> &'static str {
    if deps.prefix.is_empty() {
        "python/"
    } else {
        "nodejs/node_modules/"
    }
}

/// The function's own files: what goes in and what is left out, with reasons.
pub fn selection(function: &Function) -> Result<Selection> {
    select::select(function, deps::manages_node_modules(function))
}

/// The file the handler setting points at must be in the package.
pub fn check_handler_file<'a>(
    function: &Function,
    mut names: impl Iterator<Item = &'a str>,
) -> Result<()> {
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
    if names.any(|n| candidates.iter().any(|c| c == n)) {
        return Ok(());
    }
    Err(Error::config(format!(
        "handler = \"{}\" needs {}, which is not in the package",
        function.handler, candidates[0]
    ))
    .with_hint(format!(
        "create {} in '{}', fix `handler` in lam.toml, or check .lamignore",
        candidates[0],
        function.source.display()
    )))
}

/// Builds the zip for `function` into `<root>/.lam/build/<key>.zip`.
pub fn build(root: &Path, function: &Function, ui: &Ui) -> Result<Package> {
    build_with(root, function, ui, true)
}

/// The dependency files a package holds, as `lam build --list` shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DependencyFiles {
    /// Their names in the zip (or, in a layer, the layer's zip).
    pub files: Vec<String>,
    /// In the dependency layer rather than the function's zip.
    pub in_layer: bool,
    /// What installed them.
    pub installer: String,
}

/// The installed dependencies of `function` from lam's cache (nothing is
/// installed): Ok(None) without dependency files; Err NotFound when they
/// are not installed yet.
pub fn dependency_files(root: &Path, function: &Function) -> Result<Option<DependencyFiles>> {
    let Some(deps) = deps::prepare_with(root, function, true, false)? else {
        return Ok(None);
    };
    let mut inputs = tree_inputs(&deps.dir, deps.prefix)?;
    let size: u64 = inputs
        .iter()
        .map(|i| std::fs::metadata(&i.source).map(|m| m.len()).unwrap_or(0))
        .sum();
    let in_layer = in_a_layer(function.build.dependencies, size);
    if in_layer {
        for input in &mut inputs {
            let rest = input.name.strip_prefix(deps.prefix).unwrap_or(&input.name);
            input.name = format!("{}{rest}", layer_prefix(&deps));
        }
    }
    let mut files: Vec<String> = inputs.into_iter().map(|i| i.name).collect();
    files.sort();
    Ok(Some(DependencyFiles {
        files,
        in_layer,
        installer: deps.installer,
    }))
}

/// The package from what is on disk and in the cache, installing nothing
/// and running no package manager; None when dependencies would have to be
/// installed first.
pub fn build_cached(root: &Path, function: &Function, ui: &Ui) -> Result<Option<Package>> {
    match build_with(root, function, ui, false) {
        Ok(p) => Ok(Some(p)),
        Err(e) if e.is(crate::error::Cause::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

fn build_with(root: &Path, function: &Function, ui: &Ui, install: bool) -> Result<Package> {
    let selection = selection(function)?;
    check_handler_file(function, selection.files.iter().map(|e| e.name.as_str()))?;
    let ignored = select::git_ignored(root, function, &selection);
    if !ignored.is_empty() && !ui.quiet {
        let shown: Vec<&str> = ignored.iter().take(8).map(String::as_str).collect();
        let more = ignored.len().saturating_sub(shown.len());
        ui.warn(format!(
            "{} packages files that .gitignore ignores: {}{}; leave them out with .lamignore if they are local-only",
            function.key,
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let deps = deps::prepare_with(root, function, ui.quiet || ui.json, install)?;

    let mut inputs: Vec<Input> = selection
        .files
        .iter()
        .map(|e| Input {
            name: e.name.clone(),
            source: e.source.clone(),
            executable: e.executable,
        })
        .collect();
    let mut deps_inputs = match &deps {
        Some(d) => tree_inputs(&d.dir, d.prefix)?,
        None => Vec::new(),
    };
    let size_of = |i: &Input| std::fs::metadata(&i.source).map(|m| m.len()).unwrap_or(0);
    let deps_sizes: Vec<u64> = deps_inputs.iter().map(size_of).collect();
    let deps_size: u64 = deps_sizes.iter().sum();
    let layered = deps.is_some() && in_a_layer(function.build.dependencies, deps_size);
    let deps_zip = deps.as_ref().map(|d| {
        let name = if layered {
            format!("{}.layer.zip", d.key)
        } else {
            format!("{}.zip", d.key)
        };
        root.join(".lam").join("deps").join(name)
    });
    if deps_zip.is_some() {
        witness::lam_dir(root, &["deps"])?;
    }
    if let (true, Some(d)) = (layered, &deps) {
        for input in &mut deps_inputs {
            let rest = input.name.strip_prefix(d.prefix).unwrap_or(&input.name);
            input.name = format!("{}{rest}", layer_prefix(d));
        }
    }
    // A cached archive going into the package is used only when it still
    // has the hash lam recorded when it wrote it. A cached layer is not
    // read at all (a handler edit must not hash tens of megabytes): its
    // recorded hash names it, and its bytes are checked when published.
    let cached: Option<Cached> = deps_zip
        .as_ref()
        .and_then(|z| if layered { recorded(z) } else { intact(z) });

    // Sizes are known before anything is compressed: fail fast on the limit
    // (a layer counts with the code).
    let sizes: Vec<(String, u64)> = inputs
        .iter()
        .map(|i| (i.name.clone(), size_of(i)))
        .chain(
            deps_inputs
                .iter()
                .zip(&deps_sizes)
                .map(|(i, s)| (i.name.clone(), *s)),
        )
        .collect();
    check_unzipped(&sizes)?;

    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let to_compress = inputs.len()
        + if cached.is_some() {
            0
        } else {
            deps_inputs.len()
        };
    let bar = progress(ui, to_compress as u64);
    let mut parts: Vec<Compressed> = vec![archive::compress(&inputs, threads, bar.as_ref())?];
    let mut layer = None;
    if let (Some(zip), Some(d)) = (&deps_zip, &deps) {
        let found = match cached {
            Some(c) => c,
            None => {
                let mut fresh = archive::compress(&deps_inputs, threads, bar.as_ref())?;
                let assembled = archive::assemble(&mut [&mut fresh])?;
                let digest: [u8; 32] = Sha256::digest(&assembled.bytes).into();
                write_atomically(zip, &assembled.bytes)?;
                write_atomically(&record_path(zip), hex(&digest).as_bytes())?;
                witness::write(&record_path(zip), &hex(&digest))?;
                Cached {
                    size: assembled.bytes.len() as u64,
                    bytes: Some(assembled.bytes),
                    digest,
                }
            }
        };
        if layered {
            layer = Some(Layer {
                key: d.key.clone(),
                path: zip.clone(),
                size: found.size,
                sha256: base64::engine::general_purpose::STANDARD.encode(found.digest),
                unzipped_size: deps_size,
                runtime: function.runtime.clone(),
                architecture: function.architecture.as_str().to_string(),
            });
        } else if let Some(bytes) = found.bytes {
            parts.push(Compressed::from_bytes(bytes)?);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    inputs.clear();
    let mut refs: Vec<&mut Compressed> = parts.iter_mut().collect();
    let assembled = archive::assemble(&mut refs)?;

    let dir = witness::lam_dir(root, &["build"])?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let path = dir.join(format!("{}.zip", function.key));
    write_atomically(&path, &assembled.bytes)?;
    let unzipped_size = assembled.sizes.iter().map(|(_, s)| s).sum();
    Ok(Package {
        path,
        files: assembled.sizes.len(),
        unzipped_size,
        sha256: code_sha256(&assembled.bytes),
        bytes: assembled.bytes,
        dependencies: deps
            .as_ref()
            .map(|d| if d.installed { "installed" } else { "cached" }),
        installer: deps.map(|d| d.installer),
        layer,
    })
}

/// Where the hash of a cached archive is recorded.
fn record_path(zip: &Path) -> std::path::PathBuf {
    zip.with_extension("zip.sha256")
}

/// Lower-case hex of bytes (digests in records, names and keys).
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cached dependency archive: its hash, size and (when read) bytes.
struct Cached {
    digest: [u8; 32],
    size: u64,
    bytes: Option<Vec<u8>>,
}

/// The archive and its record, read and checked against each other (a
/// changed or unrecorded one is built again from the installed tree).
fn intact(zip: &Path) -> Option<Cached> {
    let bytes = std::fs::read(zip).ok()?;
    let record = std::fs::read_to_string(record_path(zip)).ok()?;
    if !witness::holds(&record_path(zip), &record) {
        return None;
    }
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    (hex(&digest) == record.trim()).then_some(Cached {
        digest,
        size: bytes.len() as u64,
        bytes: Some(bytes),
    })
}

/// The archive's recorded hash, without reading the archive.
fn recorded(zip: &Path) -> Option<Cached> {
    let size = std::fs::metadata(zip).ok()?.len();
    let record = std::fs::read_to_string(record_path(zip)).ok()?;
    if !witness::holds(&record_path(zip), &record) {
        return None;
    }
    let record = record.trim();
    if record.len() != 64 {
        return None;
    }
    let mut digest = [0u8; 32];
    for (i, byte) in digest.iter_mut().enumerate() {
        *byte = u8::from_str_radix(record.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(Cached {
        digest,
        size,
        bytes: None,
    })
}

fn progress(ui: &Ui, total: u64) -> Option<ProgressBar> {
    if !ui.stderr_tty || ui.quiet || total < 200 {
        return None;
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner:.cyan} Compressing {pos}/{len} files {bar:30.cyan/dim} {elapsed:.dim}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Every file under `dir` (an installed dependency tree), named under `prefix`.
fn tree_inputs(dir: &Path, prefix: &str) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), prefix.to_string())];
    while let Some((d, p)) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| Error::io("read directory", &d, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read directory", &d, e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if name == "__pycache__"
                || name.ends_with(".pyc")
                || name == ".bin"
                || name == ".package-lock.json"
            {
                continue;
            }
            let path = entry.path();
            // An installed tree holds no links: one there was put there by
            // someone else, and could pull any file of this machine in.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::config(format!(
                    "the dependency cache holds a link: {}",
                    path.display()
                ))
                .with_hint("delete .lam/deps and build again"));
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let rel = format!("{p}{name}");
            if meta.is_dir() {
                if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                    stack.push((path, format!("{rel}/")));
                }
            } else if meta.is_file() {
                out.push(Input {
                    name: rel,
                    source: path,
                    executable: select::is_executable(&meta),
                });
            }
        }
    }
    Ok(out)
}

/// Lambda refuses more than 250 MB of unzipped code: say which directories
/// take the space.
fn check_unzipped(sizes: &[(String, u64)]) -> Result<()> {
    let total: u64 = sizes.iter().map(|(_, s)| s).sum();
    if total <= UNZIPPED_LIMIT {
        return Ok(());
    }
    let mut by_dir: BTreeMap<String, u64> = BTreeMap::new();
    for (name, size) in sizes {
        let parts: Vec<&str> = name.split('/').collect();
        let dir = match parts.len() {
            1 => ".".to_string(),
            2 => parts[0].to_string(),
            _ => format!("{}/{}", parts[0], parts[1]),
        };
        *by_dir.entry(dir).or_default() += size;
    }
    let mut largest: Vec<(String, u64)> = by_dir.into_iter().collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let list: Vec<String> = largest
        .iter()
        .take(10)
        .map(|(d, s)| format!("{d} ({})", format_size(*s)))
        .collect();
    Err(Error::config(format!(
        "the unzipped package is {}, over Lambda's limit of 250 MB; largest directories: {}",
        format_size(total),
        list.join(", ")
    ))
    .with_hint(
        "leave files out with .lamignore or [build] exclude, or move large dependencies to a layer",
    ))
}

/// Writes through a temporary file in the same directory, then renames, so
/// an interrupted build never leaves a half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
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

pub fn code_sha256(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests;
