use super::*;
use crate::config::Project;

fn project_in(dir: &Path, extra: &str) -> Project {
    std::fs::write(
        dir.join("lam.toml"),
        format!("[project]\nname = \"t\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n{extra}"),
    )
    .unwrap();
    Project::discover(dir, None).unwrap()
}

fn names(project: &Project) -> Vec<String> {
    selection(&project.functions[0])
        .unwrap()
        .files
        .into_iter()
        .map(|e| e.name)
        .collect()
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
    let project = project_in(dir.path(), "");
    let ui = Ui::plain();
    let a = build(&project.root, &project.functions[0], &ui).unwrap();
    // Rewrite a file with the same content: a new mtime must not change the bytes.
    std::fs::write(dir.path().join("lib/util.py"), "X = 1\n").unwrap();
    let b = build(&project.root, &project.functions[0], &ui).unwrap();
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(a.files, 2);
    assert_eq!(std::fs::read(&a.path).unwrap(), a.bytes);
}

#[test]
fn default_excludes_are_left_out_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["app.py", ".env", ".env.prod", "x.pyc", "notes.txt~"] {
        std::fs::write(dir.path().join(f), "x").unwrap();
    }
    for d in [".git", "__pycache__", "tests", ".venv"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
        std::fs::write(dir.path().join(d).join("f.py"), "x").unwrap();
    }
    let project = project_in(dir.path(), "");
    std::fs::create_dir_all(dir.path().join("lib/test")).unwrap();
    std::fs::write(dir.path().join("lib/test/helpers.py"), "x").unwrap();
    // Only the project's own tests/ is left out; a package's test module is code.
    assert_eq!(names(&project), vec!["app.py", "lib/test/helpers.py"]);
    let excluded = selection(&project.functions[0]).unwrap().excluded;
    let find = |p: &str| {
        excluded
            .iter()
            .find(|e| e.path == p)
            .map(|e| e.reason.clone())
    };
    assert_eq!(find("tests/").as_deref(), Some("excluded by default"));
    assert_eq!(find(".env.prod").as_deref(), Some("local environment file"));
    assert_eq!(find("x.pyc").as_deref(), Some("compiled Python"));
}

#[test]
fn lamignore_and_build_patterns() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "app.py",
        "big.bin",
        "keep.bin",
        "docs/a.md",
        "data/x.csv",
        "tests/fixtures/f.json",
        "tests/t.py",
    ] {
        let p = dir.path().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x").unwrap();
    }
    std::fs::write(dir.path().join(".lamignore"), "*.bin\n!keep.bin\ndocs/\n").unwrap();
    let project = project_in(
        dir.path(),
        "[function.build]\nexclude = [\"data/\"]\ninclude = [\"tests/fixtures/**\"]\n",
    );
    assert_eq!(
        names(&project),
        vec!["app.py", "keep.bin", "tests/fixtures/f.json"]
    );
    let excluded = selection(&project.functions[0]).unwrap().excluded;
    let reason = |p: &str| {
        excluded
            .iter()
            .find(|e| e.path == p)
            .map(|e| e.reason.clone())
            .unwrap_or_default()
    };
    assert_eq!(reason("big.bin"), ".lamignore: *.bin");
    assert_eq!(reason("docs/"), ".lamignore: docs/");
    assert_eq!(reason("data/"), "[build] exclude: data/");
    assert_eq!(reason("tests/t.py"), "excluded by default");
}

#[test]
fn missing_handler_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("other.py"), "x").unwrap();
    let project = project_in(dir.path(), "");
    let err = build(&project.root, &project.functions[0], &Ui::plain()).unwrap_err();
    assert!(
        err.to_string()
            .contains("needs app.py, which is not in the package"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn links_outside_the_project_are_refused_and_inside_ones_copied() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "real").unwrap();
    std::os::unix::fs::symlink(dir.path().join("app.py"), dir.path().join("alias.py")).unwrap();
    let project = project_in(dir.path(), "");
    let pkg = build(&project.root, &project.functions[0], &Ui::plain()).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(pkg.bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("alias.py").unwrap(), &mut text).unwrap();
    assert_eq!(text, "real");

    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("link.txt"),
    )
    .unwrap();
    let err = build(&project.root, &project.functions[0], &Ui::plain()).unwrap_err();
    assert!(err.to_string().contains("outside the project"), "{err}");
    assert!(err.to_string().contains("link.txt"), "{err}");
}

/// A repository's link to a file the package leaves out (`.env`, a key,
/// anything under `.git/`) is left out too, not packaged under its own name.
#[cfg(unix)]
#[test]
fn links_to_left_out_files_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "real").unwrap();
    std::fs::write(dir.path().join(".env"), "DB_PASSWORD=hunter2\n").unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/config"), "[credential]\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join(".env"), dir.path().join("config.py")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join(".git/config"),
        dir.path().join("settings.ini"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join(".git"), dir.path().join("vendor")).unwrap();
    let project = project_in(dir.path(), "");
    let pkg = build(&project.root, &project.functions[0], &Ui::plain()).unwrap();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(pkg.bytes)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    assert_eq!(names, ["app.py"], "{names:?}");
    let selection = crate::package::select::select(&project.functions[0], false).unwrap();
    let why: Vec<String> = selection
        .excluded
        .iter()
        .filter(|e| ["config.py", "settings.ini", "vendor"].contains(&e.path.as_str()))
        .map(|e| format!("{}: {}", e.path, e.reason))
        .collect();
    assert_eq!(why.len(), 3, "{why:?}");
    assert!(
        why[0].contains("links to a file left out (.env: local environment file)"),
        "{why:?}"
    );
}

#[test]
fn over_250_megabytes_unzipped_lists_the_largest_directories() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "x").unwrap();
    std::fs::create_dir_all(dir.path().join("models/big")).unwrap();
    let project = project_in(dir.path(), "");
    let good = build(&project.root, &project.functions[0], &Ui::plain()).unwrap();
    // A sparse file: 260 MB on paper, nothing on disk.
    let f = std::fs::File::create(dir.path().join("models/big/weights.bin")).unwrap();
    f.set_len(260 * 1024 * 1024).unwrap();
    let err = build(&project.root, &project.functions[0], &Ui::plain())
        .unwrap_err()
        .to_string();
    assert!(err.contains("over Lambda's limit of 250 MB"), "{err}");
    assert!(
        err.contains("largest directories: models/big (260.0 MB)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&good.path).unwrap(),
        good.bytes,
        "the last good zip is left as it was"
    );
}

#[test]
fn code_sha256_is_base64_of_sha256() {
    assert_eq!(
        code_sha256(b""),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
}

#[test]
fn dependencies_over_five_megabytes_go_to_a_layer_unless_told() {
    use crate::config::DependencyPlacement::{Layer, Zip};
    assert!(!in_a_layer(None, LAYER_THRESHOLD));
    assert!(in_a_layer(None, LAYER_THRESHOLD + 1));
    assert!(!in_a_layer(Some(Zip), 200 * 1024 * 1024));
    assert!(in_a_layer(Some(Layer), 1));
}

#[test]
fn a_cached_layer_is_checked_against_its_recorded_hash_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.layer.zip");
    std::fs::write(&path, b"the zip lam built").unwrap();
    let layer = Layer {
        key: "k".into(),
        path: path.clone(),
        size: 17,
        sha256: code_sha256(b"the zip lam built"),
        unzipped_size: 0,
        runtime: "python3.12".into(),
        architecture: "x86_64".into(),
    };
    assert_eq!(layer.bytes().unwrap(), b"the zip lam built");
    std::fs::write(&path, b"something else").unwrap();
    let err = layer.bytes().unwrap_err().to_string();
    assert!(err.contains("changed since it was built"), "{err}");
    // The record is read without the archive: its hash, and the size on
    // disk; only when lam's witness outside the project says lam wrote it.
    let record = format!("{}\n", hex(&[7u8; 32]));
    std::fs::write(record_path(&path), &record).unwrap();
    assert!(recorded(&path).is_none(), "a record lam did not write");
    super::witness::write(&record_path(&path), &record).unwrap();
    let cached = recorded(&path).unwrap();
    assert_eq!((cached.digest, cached.size), ([7u8; 32], 14));
    std::fs::write(record_path(&path), "not a hash").unwrap();
    assert!(recorded(&path).is_none());
}
