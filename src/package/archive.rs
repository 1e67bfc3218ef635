//! Reproducible zips, compressed on every core.
//!
//! Files are compressed in parallel into one in-memory archive per worker,
//! then copied raw (without recompressing) into the final archive in sorted
//! name order. Every entry gets the same timestamp (1980-01-01) and
//! normalised permissions, so the bytes depend only on names and contents,
//! not on the machine, the number of cores or file times.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use indicatif::ProgressBar;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::error::{Error, Result};

/// A file to put in an archive.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub source: PathBuf,
    pub executable: bool,
}

type Archive = ZipArchive<Cursor<Vec<u8>>>;

/// Compressed entries ready to be copied: archives and where each name is.
pub struct Compressed {
    archives: Vec<Archive>,
    /// name → (archive, index in it)
    index: BTreeMap<String, (usize, usize)>,
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::local(format!("cannot write the zip: {e}"))
}

impl Compressed {
    /// Loads an archive written earlier (a cached dependency archive).
    /// An archive read back from lam's cache: its entry names are checked
    /// before anything of it goes into a package.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Compressed> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
        let index = names_of(&archive, 0)?;
        if let Some(bad) = index.keys().find(|n| !safe_entry_name(n)) {
            return Err(crate::error::Error::config(format!(
                "the cached dependency archive holds an entry named \"{bad}\""
            ))
            .with_hint("delete .lam/deps and build again"));
        }
        Ok(Compressed {
            archives: vec![archive],
            index,
        })
    }
}

/// A relative, '/'-separated name without "..", "." or empty parts.
pub fn safe_entry_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && name
            .trim_end_matches('/')
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Each entry's name → (archive number, index in the archive).
fn names_of(archive: &Archive, number: usize) -> Result<BTreeMap<String, (usize, usize)>> {
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        if let Some(name) = archive.name_for_index(i) {
            out.insert(name.map_err(zip_error)?.into_owned(), (number, i));
        }
    }
    Ok(out)
}

/// Compresses `inputs` on `threads` workers.
pub fn compress(
    inputs: &[Input],
    threads: usize,
    progress: Option<&ProgressBar>,
) -> Result<Compressed> {
    let threads = threads.clamp(1, 16).min(inputs.len().max(1));
    // Workers take the next file as they finish one, largest files first,
    // so the cores stay busy to the end whatever the sizes. Which worker
    // compresses a file does not matter: `assemble` orders entries by name.
    let mut order: Vec<(u64, usize)> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let size = std::fs::metadata(&input.source)
                .map(|m| m.len())
                .unwrap_or(0);
            (size, i)
        })
        .collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Vec<u8>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (order, next) = (&order, &next);
                scope.spawn(move || {
                    let take = std::iter::from_fn(|| {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        order.get(n).map(|&(_, i)| &inputs[i])
                    });
                    compress_files(take, progress)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::local("a compression worker crashed")))
            })
            .collect()
    });
    let mut archives = Vec::new();
    let mut index = BTreeMap::new();
    for bytes in results {
        let archive = ZipArchive::new(Cursor::new(bytes?)).map_err(zip_error)?;
        index.extend(names_of(&archive, archives.len())?);
        archives.push(archive);
    }
    Ok(Compressed { archives, index })
}

fn compress_files<'a>(
    inputs: impl Iterator<Item = &'a Input>,
    progress: Option<&ProgressBar>,
) -> Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for input in inputs {
        let data = std::fs::read(&input.source).map_err(|e| Error::io("read", &input.source, e))?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(if input.executable { 0o755 } else { 0o644 })
            .large_file(data.len() as u64 >= u64::from(u32::MAX));
        writer
            .start_file(input.name.as_str(), options)
            .map_err(zip_error)?;
        writer
            .write_all(&data)
            .map_err(|e| Error::local(format!("cannot write the zip: {e}")))?;
        if let Some(p) = progress {
            p.inc(1);
        }
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// An archive's bytes and the unzipped size of each entry, in order.
pub struct Assembled {
    pub bytes: Vec<u8>,
    pub sizes: Vec<(String, u64)>,
}

/// The final archive: every name of every part, sorted; a name in an earlier
/// part wins over the same name in a later one.
pub fn assemble(parts: &mut [&mut Compressed]) -> Result<Assembled> {
    let mut order: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for (p, part) in parts.iter().enumerate() {
        for (name, &(a, i)) in &part.index {
            order.entry(name.clone()).or_insert((p, a, i));
        }
    }
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let mut sizes = Vec::with_capacity(order.len());
    for (name, (p, a, i)) in &order {
        let file = parts[*p].archives[*a].by_index_raw(*i).map_err(zip_error)?;
        sizes.push((name.clone(), file.size()));
        writer.raw_copy_file(file).map_err(zip_error)?;
    }
    let bytes = writer.finish().map_err(zip_error)?.into_inner();
    Ok(Assembled { bytes, sizes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(dir: &std::path::Path, n: usize) -> Vec<Input> {
        (0..n)
            .map(|i| {
                let path = dir.join(format!("f{i}.txt"));
                std::fs::write(&path, format!("file {i}\n").repeat(i + 1)).unwrap();
                Input {
                    name: format!("d/f{i:03}.txt"),
                    source: path,
                    executable: i % 7 == 0,
                }
            })
            .collect()
    }

    #[test]
    fn cached_entry_names_must_stay_inside_the_package() {
        assert!(safe_entry_name("python/requests/__init__.py"));
        assert!(safe_entry_name("node_modules/x/"));
        for bad in [
            "../evil",
            "/etc/passwd",
            "a/../../b",
            "a\\b",
            "",
            "a//b",
            "./x",
        ] {
            assert!(!safe_entry_name(bad), "{bad}");
        }
    }

    #[test]
    fn bytes_do_not_depend_on_the_number_of_workers() {
        let dir = tempfile::tempdir().unwrap();
        let files = inputs(dir.path(), 40);
        let one = assemble(&mut [&mut compress(&files, 1, None).unwrap()]).unwrap();
        let four = assemble(&mut [&mut compress(&files, 4, None).unwrap()]).unwrap();
        assert_eq!(one.bytes, four.bytes);
        assert_eq!(one.sizes, four.sizes);
        assert_eq!(one.sizes.len(), 40);
    }

    #[test]
    fn archives_are_sorted_valid_and_earlier_parts_win() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, "from code").unwrap();
        let b = dir.path().join("b");
        std::fs::write(&b, "from deps").unwrap();
        let code = vec![
            Input {
                name: "z.py".into(),
                source: a.clone(),
                executable: false,
            },
            Input {
                name: "lib.py".into(),
                source: a,
                executable: true,
            },
        ];
        let deps = vec![
            Input {
                name: "lib.py".into(),
                source: b.clone(),
                executable: false,
            },
            Input {
                name: "dep/x.py".into(),
                source: b,
                executable: false,
            },
        ];
        let mut code_part = compress(&code, 2, None).unwrap();
        let deps_bytes = assemble(&mut [&mut compress(&deps, 2, None).unwrap()])
            .unwrap()
            .bytes;
        let mut deps_part = Compressed::from_bytes(deps_bytes).unwrap();
        let assembled = assemble(&mut [&mut code_part, &mut deps_part]).unwrap();
        assert_eq!(assembled.sizes.len(), 3);
        let mut archive = ZipArchive::new(Cursor::new(assembled.bytes)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .filter_map(|i| {
                archive
                    .name_for_index(i)
                    .and_then(|n| n.ok())
                    .map(|n| n.into_owned())
            })
            .collect();
        assert_eq!(names, ["dep/x.py", "lib.py", "z.py"]);
        let mut content = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("lib.py").unwrap(), &mut content)
            .unwrap();
        assert_eq!(content, "from code");
        assert_eq!(
            archive
                .by_name("lib.py")
                .unwrap()
                .unix_mode()
                .map(|m| m & 0o777),
            Some(0o755)
        );
        assert_eq!(
            archive
                .by_name("z.py")
                .unwrap()
                .unix_mode()
                .map(|m| m & 0o777),
            Some(0o644)
        );
    }
}
