//! `lam new`: every template for every runtime generates a project whose own
//! tests pass, and which runs locally.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::Path;
use std::process::Command;

use crate::common::*;
use predicates::prelude::*;

fn generate(parent: &Path, name: &str, runtime: &str, template: &str) -> std::path::PathBuf {
    lam_offline(parent)
        .args(["new", name, "--runtime", runtime, "--template", template])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("Created {name}")));
    parent.join(name)
}

fn run_ok(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every template for every language it offers: generate it, run the
/// project's own tests, and invoke its first sample event locally.
#[test]
fn every_template_passes_its_own_tests_and_runs_locally() {
    let parent = tempfile::tempdir().unwrap();
    let listing = lam_offline(parent.path())
        .args(["new", "--list", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&listing.get_output().stdout).unwrap();
    let templates = doc["templates"].as_array().expect("templates");
    assert!(templates.len() >= 2, "{doc}");
    for t in templates {
        let template = t["name"].as_str().unwrap();
        for language in t["languages"].as_array().unwrap() {
            let (runtime, test_cmd): (&str, Vec<&str>) = match language.as_str().unwrap() {
                "python" => (
                    "python3.12",
                    vec!["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                ),
                "node" => ("nodejs22.x", vec!["--test"]),
                other => panic!("unexpected language {other}"),
            };
            let name = format!("{template}-{}", language.as_str().unwrap());
            let dir = generate(parent.path(), &name, runtime, template);
            let deps_file = if runtime.starts_with("python") {
                "requirements.txt"
            } else {
                "package.json"
            };
            for f in ["lam.toml", "README.md", ".gitignore", deps_file] {
                assert!(dir.join(f).is_file(), "{name}: {f} missing");
            }
            assert!(
                std::fs::read_to_string(dir.join(".gitignore"))
                    .unwrap()
                    .contains(".env"),
                "{name}"
            );
            let program = if runtime.starts_with("python") {
                test_python()
            } else {
                "node".into()
            };
            run_ok(
                Command::new(program).args(&test_cmd).current_dir(&dir),
                &format!("{name}: its own tests"),
            );

            // Every template packages, dependencies installed for Lambda.
            lam_offline(&dir)
                .env("LAM_PYTHON", test_python())
                .arg("build")
                .assert()
                .success();
            if t["needs"].is_string() {
                // Its sample event needs AWS, a database or the network.
                continue;
            }
            let mut events: Vec<_> = std::fs::read_dir(dir.join("events"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            events.sort();
            let event = events
                .first()
                .unwrap_or_else(|| panic!("{name} has no sample event"));
            let out = lam_offline(&dir)
                .env("LAM_PYTHON", test_python())
                .args(["invoke", "--local", "--event"])
                .arg(event)
                .assert()
                .success();
            let payload: serde_json::Value =
                serde_json::from_slice(&out.get_output().stdout).unwrap();
            if payload.get("statusCode").is_some() {
                assert_eq!(payload["statusCode"], 200, "{name}: {payload}");
            }
            // The structured logger wrote JSON lines carrying the request id.
            let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
            if let Some(line) = stderr.lines().find(|l| l.starts_with('{')) {
                let log: serde_json::Value = serde_json::from_str(line).unwrap();
                assert!(
                    log["level"].is_string() && log["message"].is_string(),
                    "{name}: {line}"
                );
                assert!(
                    log["request_id"].as_str().is_some_and(|id| id.len() == 36),
                    "{name}: {line}"
                );
            }
        }
    }
}

#[test]
fn python_hello_answers_the_readme_event() {
    let parent = tempfile::tempdir().unwrap();
    let dir = generate(parent.path(), "hello", "python3.12", "hello");
    let out = lam_offline(&dir)
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local", "--event", "events/hello.json"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["body"], "{\"message\": \"Hello, lam!\"}");
}

#[test]
fn node_hello_declares_its_engine() {
    let parent = tempfile::tempdir().unwrap();
    let dir = generate(parent.path(), "hello-node", "nodejs22.x", "hello");
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    assert_eq!(package["engines"]["node"], ">=22");
    assert_eq!(package["type"], "module");
}

#[test]
fn api_flag_writes_an_api_table() {
    let parent = tempfile::tempdir().unwrap();
    lam_offline(parent.path())
        .args(["new", "web", "--api", "http"])
        .assert()
        .success();
    let toml = std::fs::read_to_string(parent.path().join("web/lam.toml")).unwrap();
    assert!(toml.contains("[api]\nkind = \"http\""), "{toml}");
}

#[test]
fn list_shows_templates_and_languages() {
    let dir = tempfile::tempdir().unwrap();
    lam_offline(dir.path())
        .args(["new", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hello").and(predicate::str::contains("node, python")));
}

#[test]
fn json_output_lists_the_files() {
    let parent = tempfile::tempdir().unwrap();
    let out = lam_offline(parent.path())
        .args(["new", "j", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    // The machine's Python when Lambda supports it.
    assert_eq!(doc["runtime"], default_python_runtime());
    assert!(
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "app.py")
    );
}

#[test]
fn bad_input_to_new() {
    let parent = tempfile::tempdir().unwrap();
    std::fs::create_dir(parent.path().join("taken")).unwrap();
    std::fs::write(parent.path().join("taken/file.txt"), "x").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["new", "taken"], "exists and is not empty"),
        (&["new", "a/b"], "is a path, not a name"),
        (&["new", "../up"], "is a path, not a name"),
        (
            &["new", "x", "--template", "nope"],
            "unknown template \"nope\"",
        ),
        (
            &["new", "x", "--runtime", "python9"],
            "not a Lambda runtime",
        ),
        (
            &["new", "x", "--runtime", "java21"],
            "no templates for java21",
        ),
        (
            &[
                "new",
                "x",
                "--runtime",
                "nodejs22.x",
                "--template",
                "s3-image",
            ],
            "template \"s3-image\" is not offered for nodejs22.x",
        ),
        (&["new"], "pass a NAME argument"),
    ];
    for (args, expected) in cases {
        lam_offline(parent.path())
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*expected))
            .stderr(predicate::str::contains("hint:"));
    }
    // Nothing was written by the failures.
    let mut names: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["taken"]);
    // --force writes into the non-empty directory and keeps what was there.
    lam_offline(parent.path())
        .args(["new", "taken", "--force"])
        .assert()
        .success();
    assert!(parent.path().join("taken/app.py").is_file());
    assert!(parent.path().join("taken/file.txt").is_file());
}

#[test]
fn a_language_name_picks_the_default_runtime() {
    let parent = tempfile::tempdir().unwrap();
    for (lang, runtime) in [
        ("python", default_python_runtime()),
        ("node", "nodejs22.x".to_string()),
    ] {
        lam_offline(parent.path())
            .args(["new", lang, "--runtime", lang, "--template", "hello"])
            .assert()
            .success();
        let toml = std::fs::read_to_string(parent.path().join(lang).join("lam.toml")).unwrap();
        assert!(toml.contains(&format!("runtime = \"{runtime}\"")), "{toml}");
    }
}

#[test]
fn trigger_templates_write_their_trigger_from_flags() {
    let parent = tempfile::tempdir().unwrap();
    lam_offline(parent.path())
        .args([
            "new",
            "pics",
            "--template",
            "s3-image",
            "--bucket",
            "my-photos",
        ])
        .assert()
        .success();
    let toml = std::fs::read_to_string(parent.path().join("pics/lam.toml")).unwrap();
    assert!(
        toml.contains("type = \"s3\"\nbucket = \"my-photos\"\nprefix = \"uploads/\""),
        "{toml}"
    );
    assert!(toml.contains("arn:aws:s3:::my-photos/*"), "{toml}");
    // The generated trigger passes lam's own checks, recursion included.
    lam_offline(&parent.path().join("pics"))
        .args([
            "deploy",
            "--dry-run",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .env("AWS_MAX_ATTEMPTS", "1")
        .assert()
        .code(4);

    lam_offline(parent.path())
        .args([
            "new",
            "job",
            "--template",
            "scheduled",
            "--schedule",
            "cron(0 6 * * ? *)",
        ])
        .assert()
        .success();
    let toml = std::fs::read_to_string(parent.path().join("job/lam.toml")).unwrap();
    assert!(
        toml.contains("expression = \"cron(0 6 * * ? *)\""),
        "{toml}"
    );
    lam_offline(parent.path())
        .args(["new", "job2", "--template", "scheduled"])
        .assert()
        .success();
    let toml = std::fs::read_to_string(parent.path().join("job2/lam.toml")).unwrap();
    assert!(toml.contains("expression = \"rate(15 minutes)\""), "{toml}");

    for (args, expected) in [
        (
            vec![
                "new",
                "x1",
                "--template",
                "scheduled",
                "--schedule",
                "every hour",
            ],
            "--schedule: expression",
        ),
        (
            vec![
                "new",
                "x2",
                "--template",
                "s3-image",
                "--bucket",
                "Bad_Bucket",
            ],
            "--bucket: bucket",
        ),
        (
            vec!["new", "x3", "--template", "hello", "--bucket", "photos"],
            "--bucket is for the s3-image template",
        ),
        // --api is honoured or refused, never ignored.
        (
            vec!["new", "x4", "--template", "scheduled", "--api", "url"],
            "--api is for the api and hello templates, not scheduled",
        ),
        (
            vec!["new", "x5", "--template", "api", "--api", "none"],
            "the api template is an HTTP API",
        ),
    ] {
        lam_offline(parent.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
        assert!(!parent.path().join(args[1]).exists());
    }
}

/// The api template writes the kind --api names (REST without it); hello
/// writes [api] only when asked.
#[test]
fn api_kinds_are_written_as_asked() {
    let parent = tempfile::tempdir().unwrap();
    for (name, template, api, expected) in [
        ("a1", "api", None, Some("rest")),
        ("a2", "api", Some("http"), Some("http")),
        ("a3", "hello", Some("url"), Some("url")),
        ("a4", "hello", None, None),
    ] {
        let mut cmd = lam_offline(parent.path());
        cmd.args(["new", name, "--template", template]);
        if let Some(api) = api {
            cmd.args(["--api", api]);
        }
        cmd.assert().success();
        let toml = std::fs::read_to_string(parent.path().join(name).join("lam.toml")).unwrap();
        match expected {
            Some(kind) => assert!(
                toml.contains(&format!("[api]\nkind = \"{kind}\"")),
                "{name}: {toml}"
            ),
            None => assert!(!toml.contains("[api]"), "{name}: {toml}"),
        }
    }
}

/// An interpreter with no pytest and none of the templates' dependencies,
/// as on a fresh machine: the system's python3 where it has no pytest, else
/// the tests' own.
fn bare_python() -> (std::path::PathBuf, bool) {
    for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] {
        let bare = Command::new(candidate)
            .args(["-c", "import pytest"])
            .output()
            .is_ok_and(|o| !o.status.success());
        if bare {
            return (candidate.into(), true);
        }
    }
    (test_python(), false)
}

/// `lam test` runs a new project's own tests on a fresh machine: with the
/// interpreter local runs use, the requirements installed for it, and
/// pytest installed into lam's cache when the interpreter has none; Node.js
/// projects with `node --test`. A failing test fails the command (exit 1),
/// and nothing is written into the project.
#[test]
fn lam_test_runs_each_templates_tests_without_a_prepared_environment() {
    let parent = tempfile::tempdir().unwrap();
    let (python, bare) = bare_python();
    for (template, runtime) in [
        ("api", "python3.12"),
        ("fanout", "python3.12"),
        ("mysql", "python3.12"),
        ("s3-image", "python3.12"),
        ("api", "nodejs22.x"),
    ] {
        let name = format!("t-{template}-{}", &runtime[..4]);
        let dir = generate(parent.path(), &name, runtime, template);
        let before: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != ".lam")
            .collect();
        let out = lam_offline(&dir)
            .env("LAM_PYTHON", &python)
            .arg("test")
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "lam test in {name}:\n{stdout}\n{stderr}"
        );
        if runtime.starts_with("python") {
            assert!(stdout.contains(" passed"), "{stdout}");
            assert!(stderr.contains("pytest with"), "{stderr}");
        } else {
            assert!(stdout.contains("# pass "), "{stdout}");
        }
        // Nothing but lam's own work directory (.lam, which local runs
        // make too and the template's .gitignore lists).
        let after: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != ".lam")
            .collect();
        assert_eq!(before, after, "lam test wrote into {name}");
    }
    // On an interpreter without pytest, pytest comes into lam's cache (a
    // HOME of its own here, so that the install is this test's).
    if bare {
        let home = tempfile::tempdir().unwrap();
        let dir = parent.path().join("t-api-pyth");
        let out = lam_offline(&dir)
            .env("LAM_PYTHON", &python)
            .env("HOME", home.path())
            .args(["test", "--output", "json"])
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: one JSON document on stdout: {out:?}"));
        assert_eq!(doc["passed"], true, "{doc}");
        assert_eq!(doc["functions"][0]["runner"], "pytest");
        assert!(
            home.path().join(".cache/lam/pytest").is_dir(),
            "pytest was not installed into lam's cache"
        );
        // The runner's report went to stderr.
        assert!(String::from_utf8_lossy(&out.stderr).contains(" passed"));
    }
    // A failing test fails the command, after the runner said which.
    let dir = parent.path().join("t-api-pyth");
    std::fs::write(
        dir.join("tests/test_broken.py"),
        "def test_broken():\n    assert 1 == 2\n",
    )
    .unwrap();
    lam_offline(&dir)
        .env("LAM_PYTHON", &python)
        .args(["test", "--", "-q"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("test_broken"))
        .stderr(predicate::str::contains("error: tests failed: function"));
}
