//! `lam build`: reproducible zips with Linux dependencies, limits, listing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::Read;
use std::process::Command;

use crate::common::*;
use predicates::prelude::*;

const TOML: &str =
    "[project]\nname = \"b\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n";
const APP: &str = "import six\nimport markupsafe\n\ndef handler(event, context):\n    return {'escaped': str(markupsafe.escape('<b>')), 'six': six.__name__}\n";

fn build_json(dir: &std::path::Path) -> serde_json::Value {
    let out = lam_offline(dir)
        .env("LAM_PYTHON", test_python())
        .args(["build", "--output", "json"])
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("one JSON object")
}

fn zip_names(path: &std::path::Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .filter_map(|i| {
            archive
                .name_for_index(i)
                .and_then(|n| n.ok())
                .map(|n| n.into_owned())
        })
        .collect()
}

#[test]
fn requirements_are_installed_as_linux_wheels_and_cached() {
    // six is pure Python; markupsafe ships compiled speedups per platform.
    let dir = project(
        TOML,
        &[
            ("app.py", APP),
            ("requirements.txt", "six==1.16.0\nmarkupsafe==3.0.2\n"),
        ],
    );
    let first = build_json(dir.path());
    assert_eq!(first["dependencies"], "installed");
    let zip_path = std::path::PathBuf::from(first["path"].as_str().unwrap());
    let names = zip_names(&zip_path);
    assert!(names.contains(&"app.py".to_string()));
    assert!(names.contains(&"six.py".to_string()), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("markupsafe/_speedups.cpython-312-x86_64-linux-gnu")),
        "no Linux x86_64 CPython 3.12 extension in {names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains("__pycache__") || n.starts_with("bin/")),
        "{names:?}"
    );
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");

    // A handler edit reuses the installed dependencies.
    std::fs::write(dir.path().join("app.py"), APP.replace("'<b>'", "'<i>'")).unwrap();
    let second = build_json(dir.path());
    assert_eq!(second["dependencies"], "cached");
    assert_ne!(first["sha256"], second["sha256"]);
    assert_eq!(first["files"], second["files"]);

    // unzip accepts the archive, and Python imports the handler from it.
    if let Ok(out) = Command::new("unzip").arg("-tq").arg(&zip_path).output() {
        assert!(
            out.status.success(),
            "unzip -t: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let check = Command::new(test_python())
        .args(["-c", "import sys; sys.path.insert(0, sys.argv[1]); import app; print(app.handler({}, None)['six'])"])
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "six");

    // The local runtime sees the same dependency tree.
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local", "-q"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["escaped"], "&lt;i&gt;");
}

#[test]
fn arm64_functions_get_aarch64_wheels() {
    let toml = format!("{TOML}architecture = \"arm64\"\n");
    let dir = project(
        &toml,
        &[("app.py", APP), ("requirements.txt", "markupsafe==3.0.2\n")],
    );
    let doc = build_json(dir.path());
    let names = zip_names(std::path::Path::new(doc["path"].as_str().unwrap()));
    assert!(
        names.iter().any(|n| n.contains("aarch64-linux-gnu")),
        "{names:?}"
    );
}

#[test]
fn a_package_without_a_linux_wheel_is_named() {
    // pyyaml 3.13 only ever shipped sources: no wheel for Lambda.
    let dir = project(
        TOML,
        &[
            ("app.py", "def handler(e, c):\n    return 1\n"),
            ("requirements.txt", "PyYAML==3.13\n"),
        ],
    );
    lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("build")
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no wheel of \"PyYAML==3.13\" for Lambda's platform (CPython 3.12, Linux x86_64)",
        ));
    assert!(!dir.path().join(".lam/build/function.zip").exists());
}

#[test]
fn zips_are_identical_across_runs_and_touched_files() {
    let files: Vec<(String, String)> = (0..300)
        .map(|i| (format!("pkg/m{i}.py"), format!("X = {i}\n")))
        .collect();
    let mut refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    refs.push(("app.py", "def handler(e, c):\n    return 1\n"));
    let dir = project(TOML, &refs);
    let first = build_json(dir.path());
    let bytes = std::fs::read(first["path"].as_str().unwrap()).unwrap();
    // Touch every file: new mtimes, same contents.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for (name, content) in &refs {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    let second = build_json(dir.path());
    assert_eq!(first["sha256"], second["sha256"]);
    assert_eq!(
        std::fs::read(second["path"].as_str().unwrap()).unwrap(),
        bytes
    );
    assert_eq!(first["files"], 301);
}

#[test]
fn list_shows_files_and_why_others_are_left_out() {
    let dir = project(
        &format!("{TOML}[function.build]\nexclude = [\"*.md\"]\n"),
        &[
            ("app.py", "x"),
            ("README.md", "x"),
            ("big.bin", "x"),
            (".lamignore", "*.bin\n"),
            (".env", "A=1"),
            ("tests/t.py", "x"),
        ],
    );
    lam_offline(dir.path())
        .args(["build", "--list"])
        .assert()
        .success()
        .stdout("app.py\n")
        .stderr(predicate::str::contains(
            "excluded big.bin (.lamignore: *.bin)",
        ))
        .stderr(predicate::str::contains(
            "excluded README.md ([build] exclude: *.md)",
        ))
        .stderr(predicate::str::contains(
            "excluded .env (local environment file)",
        ))
        .stderr(predicate::str::contains(
            "excluded tests/ (excluded by default)",
        ))
        // What the runtime provides is named, not packaged.
        .stderr(predicate::str::contains(
            "not packaged: boto3, botocore, which the python3.12 runtime provides",
        ));
}

#[test]
fn over_fifty_megabytes_is_flagged_for_s3() {
    let dir = project(TOML, &[("app.py", "x")]);
    std::fs::write(dir.path().join("blob.bin"), noise(51 * 1024 * 1024)).unwrap();
    lam_offline(dir.path())
        .arg("build")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "over Lambda's 50 MB limit for direct uploads",
        ));
    let mut f = std::fs::File::open(dir.path().join(".lam/build/function.zip")).unwrap();
    let mut head = [0u8; 2];
    f.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"PK");
}

#[test]
fn node_dependencies_are_installed_without_dev_dependencies() {
    let toml = "[project]\nname = \"n\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n";
    let package = r#"{"name": "n", "version": "1.0.0", "type": "module", "dependencies": {"is-number": "7.0.0"}, "devDependencies": {"is-odd": "3.0.1"}}"#;
    let dir = project(
        toml,
        &[
            (
                "index.mjs",
                "import isNumber from 'is-number';\nexport const handler = async () => isNumber(5);\n",
            ),
            ("package.json", package),
            // A developer's own install is not what goes to Lambda.
            ("node_modules/stale/index.js", "x"),
        ],
    );
    let first = build_json(dir.path());
    assert_eq!(first["dependencies"], "installed");
    let names = zip_names(std::path::Path::new(first["path"].as_str().unwrap()));
    assert!(
        names.contains(&"node_modules/is-number/index.js".to_string()),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains("is-odd") || n.contains("stale")),
        "{names:?}"
    );
    assert!(names.contains(&"package.json".to_string()));
    let second = build_json(dir.path());
    assert_eq!(second["dependencies"], "cached");
    assert_eq!(first["sha256"], second["sha256"]);
}

/// A local npm package whose install script writes the AWS secret key it
/// can see (or "none") and what it reads from `dir/home/.aws/credentials`
/// by absolute path to `marker`, packed as npm packs packages.
fn package_with_install_script(
    dir: &std::path::Path,
    marker: &std::path::Path,
) -> std::path::PathBuf {
    let pkg = dir.join("evil-src/package");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("package.json"),
        r#"{"name": "evil", "version": "1.0.0", "scripts": {"postinstall": "node install.js"}}"#,
    )
    .unwrap();
    std::fs::write(
        pkg.join("install.js"),
        format!(
            "const fs = require('fs');\nlet file = 'unreadable';\ntry {{ file = fs.readFileSync({:?}, 'utf8'); }} catch (e) {{}}\nfs.writeFileSync({:?}, 'ran, secret key: ' + (process.env.AWS_SECRET_ACCESS_KEY || 'none') + ', credentials file: ' + file);\n",
            dir.join("home/.aws/credentials").display().to_string(),
            marker.display().to_string()
        ),
    )
    .unwrap();
    let tarball = dir.join("evil-1.0.0.tgz");
    let status = std::process::Command::new("tar")
        .arg("czf")
        .arg(&tarball)
        .arg("-C")
        .arg(dir.join("evil-src"))
        .arg("package")
        .status()
        .unwrap();
    assert!(status.success());
    tarball
}

#[test]
fn npm_install_scripts_do_not_run_unless_asked_and_never_see_credentials() {
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("ran.txt");
    let tarball = package_with_install_script(outside.path(), &marker);
    let toml = |scripts: &str| {
        format!(
            "[project]\nname = \"scripts\"\n\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n\n[build]\n{scripts}"
        )
    };
    // The package ships inside the project (a local dependency outside it
    // is refused).
    let package_json = "{\"name\": \"app\", \"version\": \"1.0.0\", \"dependencies\": {\"evil\": \"file:vendor/evil-1.0.0.tgz\"}}";
    let dir = project(
        &toml(""),
        &[
            ("index.js", "exports.handler = async () => 1;\n"),
            ("package.json", package_json),
        ],
    );
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    std::fs::copy(&tarball, dir.path().join("vendor/evil-1.0.0.tgz")).unwrap();
    // The credentials are in the environment of lam build itself.
    lam_offline(dir.path())
        .arg("build")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "did not run the install scripts of evil",
        ));
    assert!(
        !marker.exists(),
        "an install script ran without scripts = true"
    );

    // The user's home, with AWS credentials in it.
    let home = outside.path().join("home");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[default]\naws_secret_access_key = SEKRIT\n",
    )
    .unwrap();
    let lam_at_home = || {
        let mut cmd = lam_offline(dir.path());
        cmd.env("HOME", &home);
        cmd
    };
    // A cloned lam.toml that asks for scripts: not trusted, not run.
    std::fs::write(dir.path().join("lam.toml"), toml("scripts = true\n")).unwrap();
    lam_at_home()
        .arg("build")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "lam.toml asks for them, but it is not trusted",
        ))
        .stderr(predicates::str::contains("lam trust"));
    assert!(
        !marker.exists(),
        "an untrusted lam.toml ran install scripts"
    );

    lam_at_home()
        .arg("trust")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "run npm packages' install scripts",
        ));
    lam_at_home().arg("build").assert().success();
    let seen = std::fs::read_to_string(&marker).expect("a trusted scripts = true runs it");
    assert_eq!(
        seen, "ran, secret key: none, credentials file: unreadable",
        "the build handed over credentials"
    );

    // A changed lam.toml asks again.
    std::fs::write(
        dir.path().join("lam.toml"),
        toml("scripts = true\ninclude = [\"extra/**\"]\n"),
    )
    .unwrap();
    lam_at_home()
        .args(["trust", "--check"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is not trusted in this content"));
    lam_at_home().arg("trust").assert().success();
    lam_at_home().args(["trust", "--check"]).assert().success();
    lam_at_home().args(["trust", "--revoke"]).assert().success();
    lam_at_home().args(["trust", "--check"]).assert().code(1);
}

#[test]
fn keys_and_credential_files_stay_out_of_the_package() {
    let dir = project(
        "[project]\nname = \"keys\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n",
        &[
            ("app.py", "def lambda_handler(e, c):\n    return 1\n"),
            (
                "server.pem",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
            ),
            (
                "tls/site.key",
                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            ),
            (
                "certifi/cacert.pem",
                "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n",
            ),
            ("id_ed25519", "key"),
            (".ssh/config", "Host *"),
            ("prod.tfvars", "db_password = \"x\""),
            ("infra/terraform.tfstate", "{}"),
            ("credentials-prod.json", "{}"),
            ("lib/.kube/config", "apiVersion: v1"),
            ("lib/.docker/config.json", "{}"),
        ],
    );
    let out = lam_offline(dir.path())
        .args(["build", "--list", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        doc["runtime_provides"],
        serde_json::json!(["boto3", "botocore"]),
        "{doc}"
    );
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(files, ["app.py", "certifi/cacert.pem"], "{doc}");
    let excluded = doc["excluded"].as_array().unwrap();
    for path in [
        "server.pem",
        "tls/site.key",
        "id_ed25519",
        ".ssh/",
        "prod.tfvars",
        "infra/terraform.tfstate",
        "credentials-prod.json",
        "lib/.kube/",
        "lib/.docker/",
    ] {
        let entry = excluded
            .iter()
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("{path} not listed: {doc}"));
        assert_eq!(entry["reason"], "may hold credentials or keys", "{path}");
    }
}

#[test]
fn packaged_files_that_gitignore_ignores_are_named() {
    let dir = project(
        "[project]\nname = \"gi\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n",
        &[
            ("app.py", "def lambda_handler(e, c):\n    return 1\n"),
            (".gitignore", "local-notes.txt\n*.sqlite\n"),
            ("local-notes.txt", "todo"),
            ("dev.sqlite", "db"),
        ],
    );
    lam_offline(dir.path())
        .arg("build")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "packages files that .gitignore ignores: dev.sqlite, local-notes.txt",
        ));
}

#[test]
fn the_dependency_cache_is_not_trusted_blindly() {
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("unused.txt");
    let tarball = package_with_install_script(outside.path(), &marker);
    let package_json = "{\"name\": \"app\", \"version\": \"1.0.0\", \"dependencies\": {\"evil\": \"file:vendor/evil-1.0.0.tgz\"}}";
    let dir = project(
        "[project]\nname = \"cache\"\n\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n",
        &[
            ("index.js", "exports.handler = async () => 1;\n"),
            ("package.json", package_json),
        ],
    );
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    std::fs::copy(&tarball, dir.path().join("vendor/evil-1.0.0.tgz")).unwrap();
    let first = build_json(dir.path());
    let deps = dir.path().join(".lam/deps");
    let cached_zip = std::fs::read_dir(&deps)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "zip"))
        .expect("a cached dependency archive");
    // An archive changed behind lam's back is not used: the tree is packed again.
    std::fs::write(&cached_zip, b"PK\x05\x06 not what lam wrote").unwrap();
    let second = build_json(dir.path());
    assert_eq!(second["sha256"], first["sha256"]);
    // A link put into an installed tree is refused.
    let tree = cached_zip.with_extension("");
    std::os::unix::fs::symlink("/etc/passwd", tree.join("node_modules/evil/passwd")).unwrap();
    std::fs::remove_file(&cached_zip).unwrap();
    lam_offline(dir.path())
        .arg("build")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "the dependency cache holds a link",
        ));
}

/// `lam build` in `dir` with `envs` (and the test's Python), which must
/// succeed; its stderr.
fn build_saying(dir: &std::path::Path, envs: &[(&str, &str)]) -> String {
    let mut cmd = lam_offline(dir);
    cmd.env("LAM_PYTHON", test_python())
        .arg("build")
        .timeout(std::time::Duration::from_secs(300));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.assert().success();
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// PATH with the test's Python and the system's directories only (no uv
/// there), after `first`.
fn path_without_uv(first: &str) -> String {
    let python_dir = std::path::Path::new(&test_python())
        .parent()
        .unwrap()
        .to_path_buf();
    assert!(
        !python_dir.join("uv").exists() && !std::path::Path::new("/usr/bin/uv").exists(),
        "the test needs a PATH without uv"
    );
    format!("{first}{}:/usr/bin:/bin", python_dir.display())
}

/// A project whose dependencies are installed by `installer` (lam.toml).
fn installed_with(
    installer: &str,
    extra_env: &[(&str, &str)],
) -> (tempfile::TempDir, serde_json::Value, std::process::Output) {
    let toml = format!("{TOML}[build]\ninstaller = \"{installer}\"\n");
    let dir = project(
        &toml,
        &[
            ("app.py", APP),
            (
                "requirements.txt",
                "six==1.16.0\nmarkupsafe==3.0.2\nrequests==2.32.3\n",
            ),
        ],
    );
    let mut cmd = lam_offline(dir.path());
    cmd.env("LAM_PYTHON", test_python())
        .args(["build", "--output", "json"])
        .timeout(std::time::Duration::from_secs(300));
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.assert().success().get_output().clone();
    let doc = serde_json::from_slice(&out.stdout).expect("one JSON object");
    (dir, doc, out)
}

#[test]
fn uv_and_pip_build_the_same_zip() {
    // uv is found or installed into lam's cache; pip is the reference.
    let (_a, uv, _) = installed_with("uv", &[]);
    let (_b, pip, _) = installed_with("pip", &[]);
    assert!(
        uv["installer"].as_str().unwrap().starts_with("uv ("),
        "{uv}"
    );
    assert_eq!(pip["installer"], "pip");
    // Same wheels, same normalised tree, same bytes.
    let names = zip_names(std::path::Path::new(uv["path"].as_str().unwrap()));
    assert!(
        names.iter().any(|n| n == "requests/__init__.py"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("bin/") || n == ".lock"),
        "{names:?}"
    );
    assert_eq!(
        names,
        zip_names(std::path::Path::new(pip["path"].as_str().unwrap()))
    );
    assert_eq!(uv["sha256"], pip["sha256"], "uv's and pip's zips differ");

    // What importlib.metadata reads stays consistent: INSTALLER says lam and
    // RECORD's hash of it is right.
    let check = Command::new(test_python())
        .args([
            "-c",
            "import sys, base64, hashlib; sys.path.insert(0, sys.argv[1]); from importlib import metadata as m; d = m.distribution('requests'); print(d.read_text('INSTALLER').strip()); f = [p for p in d.files if p.name == 'INSTALLER'][0]; print(f.hash.value == base64.urlsafe_b64encode(hashlib.sha256(f.read_binary()).digest()).rstrip(b'=').decode())",
        ])
        .arg(uv["path"].as_str().unwrap())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&check.stdout).trim(),
        "lam\nTrue",
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_uv_that_does_not_run_falls_back_to_pip_unless_uv_is_required() {
    let dir = project(
        TOML,
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let stderr = build_saying(dir.path(), &[("LAM_UV", "/bin/false")]);
    assert!(
        stderr.contains("the uv at /bin/false (LAM_UV) does not run (installing with pip instead)")
            && stderr.contains("dependencies installed by pip"),
        "{stderr}"
    );

    // uv reads no pip.conf: an index only pip can reach is reached by pip.
    std::fs::write(dir.path().join("requirements.txt"), "six==1.17.0\n").unwrap();
    let stderr = build_saying(
        dir.path(),
        &[
            ("UV_DEFAULT_INDEX", "https://127.0.0.1:9/simple"),
            ("UV_NO_CACHE", "1"),
        ],
    );
    assert!(
        stderr.contains("with uv (")
            && stderr
                .contains("uv could not reach the package index (installing with pip instead)")
            && stderr.contains("dependencies installed by pip"),
        "{stderr}"
    );

    std::fs::write(
        dir.path().join("lam.toml"),
        format!("{TOML}[build]\ninstaller = \"uv\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "six==1.16.0\nidna==3.10\n",
    )
    .unwrap();
    lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .env("LAM_UV", "/bin/false")
        .arg("build")
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "the uv at /bin/false (LAM_UV) does not run",
        ))
        .stderr(predicate::str::contains("installer = \"pip\""));
}

#[test]
fn lam_installs_a_pinned_uv_into_its_cache_when_there_is_none() {
    let cache = tempfile::tempdir().unwrap();
    let dir = project(
        TOML,
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let stderr = build_saying(
        dir.path(),
        &[
            ("XDG_CACHE_HOME", cache.path().to_str().unwrap()),
            ("PATH", &path_without_uv("")),
        ],
    );
    assert!(
        stderr.contains("Installing uv 0.13.9 into")
            && stderr.contains("with uv (lam's cache)")
            && stderr.contains("dependencies installed by uv (lam's cache)"),
        "{stderr}"
    );
    let uv = cache.path().join("lam/uv/0.13.9/bin/uv");
    let version = Command::new(&uv).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("uv 0.13.9"));
    // uv never enters the package.
    let names = zip_names(&dir.path().join(".lam/build/function.zip"));
    assert!(!names.iter().any(|n| n.starts_with("uv")), "{names:?}");
}

/// A pure-Python wheel named `name` 1.0, written into `dir`: a package only
/// a private index (here a find-links directory) has.
fn private_wheel(dir: &std::path::Path, name: &str) {
    use base64::Engine;
    use sha2::Digest;
    use std::io::Write;
    let info = format!("{name}-1.0.dist-info");
    let files = [
        (
            format!("{name}/__init__.py"),
            "VALUE = 'private'\n".to_string(),
        ),
        (
            format!("{info}/METADATA"),
            format!("Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"),
        ),
        (
            format!("{info}/WHEEL"),
            "Wheel-Version: 1.0\nGenerator: lam-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .to_string(),
        ),
    ];
    let mut record = String::new();
    for (path, body) in &files {
        let hash = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(body.as_bytes()));
        record.push_str(&format!("{path},sha256={hash},{}\n", body.len()));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    let file = std::fs::File::create(dir.join(format!("{name}-1.0-py3-none-any.whl"))).unwrap();
    let mut w = zip::ZipWriter::new(file);
    for (path, body) in files.iter().chain([&(format!("{info}/RECORD"), record)]) {
        w.start_file(path.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn uv_installs_from_the_index_pip_is_configured_with() {
    // uv reads neither PIP_* variables nor pip.conf: lam hands pip's index
    // settings to it, so a private package is not looked up on the public
    // index (where anyone could publish the same name).
    let wheels = tempfile::tempdir().unwrap();
    let name = format!("lamprivate{}", std::process::id());
    private_wheel(wheels.path(), &name);
    let toml = format!("{TOML}[build]\ninstaller = \"uv\"\n");
    let dir = project(
        &toml,
        &[
            ("app.py", "def handler(e, c):\n    return 1\n"),
            ("requirements.txt", &format!("{name}==1.0\n")),
        ],
    );
    let stderr = build_saying(
        dir.path(),
        &[
            ("PIP_FIND_LINKS", wheels.path().to_str().unwrap()),
            ("PIP_NO_INDEX", "1"),
        ],
    );
    assert!(stderr.contains("and pip's index settings"), "{stderr}");
    let names = zip_names(&dir.path().join(".lam/build/function.zip"));
    assert!(names.contains(&format!("{name}/__init__.py")), "{names:?}");
}

#[test]
fn an_old_uv_on_path_is_passed_over_for_lams_pinned_one() {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("uv");
    std::fs::write(&fake, "#!/bin/sh\necho 'uv 0.4.0'\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = project(
        TOML,
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let first = format!("{}:", bin.path().display());
    let stderr = build_saying(dir.path(), &[("PATH", &path_without_uv(&first))]);
    assert!(
        stderr.contains("note: uv 0.4.0 (PATH) is older than lam needs (0.6); using uv 0.13.9")
            && stderr.contains("dependencies installed by uv (lam's cache)"),
        "{stderr}"
    );
}

/// Node.js dependencies install for Lambda's platform, not this machine's:
/// a package's native builds come as optional dependencies, one per os and
/// cpu (as esbuild, sharp and @swc publish them), and the one for the
/// function's architecture is the one installed, whatever the host.
#[test]
fn node_dependencies_install_for_lambdas_platform() {
    let outside = tempfile::tempdir().unwrap();
    let dir = project(
        "[project]\nname = \"native\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\narchitecture = \"arm64\"\n",
        &[
            ("index.js", "exports.handler = async () => 1;\n"),
            (
                "package.json",
                r#"{"name": "app", "version": "1.0.0", "dependencies": {"left-pad-local": "file:vendor/left-pad-local-1.0.0.tgz"}, "optionalDependencies": {"native-linux-arm64": "file:vendor/native-linux-arm64-1.0.0.tgz", "native-linux-x64": "file:vendor/native-linux-x64-1.0.0.tgz"}}"#,
            ),
        ],
    );
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    for (name, extra) in [
        ("left-pad-local", ""),
        (
            "native-linux-arm64",
            r#", "os": ["linux"], "cpu": ["arm64"]"#,
        ),
        ("native-linux-x64", r#", "os": ["linux"], "cpu": ["x64"]"#),
    ] {
        let pkg = outside.path().join(name).join("package");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            pkg.join("package.json"),
            format!(r#"{{"name": "{name}", "version": "1.0.0"{extra}}}"#),
        )
        .unwrap();
        std::fs::write(pkg.join("index.js"), "module.exports = 1;\n").unwrap();
        let status = std::process::Command::new("tar")
            .arg("czf")
            .arg(dir.path().join(format!("vendor/{name}-1.0.0.tgz")))
            .arg("-C")
            .arg(outside.path().join(name))
            .arg("package")
            .status()
            .unwrap();
        assert!(status.success());
    }
    let installed = |arch: &str| -> Vec<String> {
        let toml = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
        let toml = toml
            .replace("\"arm64\"", &format!("\"{arch}\""))
            .replace("\"x86_64\"", &format!("\"{arch}\""));
        std::fs::write(dir.path().join("lam.toml"), toml).unwrap();
        lam_offline(dir.path()).arg("build").assert().success();
        let zip = std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap();
        let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .filter(|n| n.starts_with("node_modules/native-") && n.ends_with("/index.js"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        installed("arm64"),
        ["node_modules/native-linux-arm64/index.js"]
    );
    assert_eq!(
        installed("x86_64"),
        ["node_modules/native-linux-x64/index.js"]
    );
}

/// `lam build --list` names everything the zip holds, the installed
/// dependencies too (from lam's cache: listing installs nothing), and says
/// when they are not installed yet.
#[test]
fn list_names_the_dependency_files_the_package_holds() {
    let dir = project(
        "[project]\nname = \"deplist\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[
            (
                "app.py",
                "import six\n\ndef handler(e, c):\n    return six.__name__\n",
            ),
            ("requirements.txt", "six==1.16.0\n"),
        ],
    );
    let listed = |dir: &std::path::Path| -> serde_json::Value {
        let out = lam_offline(dir)
            .env("LAM_PYTHON", test_python())
            .args(["build", "--list", "--output", "json"])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let before = listed(dir.path());
    assert_eq!(before["dependencies"], serde_json::Value::Null, "{before}");
    assert_eq!(before["dependencies_not_installed"], true);
    assert!(
        !dir.path().join(".lam/build").exists(),
        "--list built something"
    );

    lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("build")
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    let after = listed(dir.path());
    let files: Vec<&str> = after["dependencies"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(files.contains(&"six.py"), "{files:?}");
    assert_eq!(after["dependencies"]["in_layer"], false);
    // The zip holds exactly the listed files (sources and dependencies).
    let zip = std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut in_zip: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| !n.ends_with('/'))
        .collect();
    in_zip.sort();
    let mut named: Vec<String> = after["files"]
        .as_array()
        .unwrap()
        .iter()
        .chain(after["dependencies"]["files"].as_array().unwrap())
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    named.sort();
    assert_eq!(named, in_zip);
    // As text: the same files on stdout, the count on stderr.
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["build", "--list"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.lines().any(|l| l == "six.py"), "{stdout}");
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr)
            .contains("dependency files (installed with"),
        "{out:?}"
    );
}
