//! The command surface without AWS: help, completions, bad input, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;

const SUBCOMMANDS: &[&str] = &[
    "new",
    "build",
    "deploy",
    "invoke",
    "logs",
    "serve",
    "env",
    "secrets",
    "events",
    "status",
    "destroy",
    "completions",
];

#[test]
fn every_command_has_complete_help() {
    let dir = tempfile::tempdir().unwrap();
    let top = lam_offline(dir.path())
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let top = String::from_utf8(top).unwrap();
    for global in [
        "--profile",
        "--region",
        "--endpoint-url",
        "--stage",
        "--output",
        "--yes",
        "--verbose",
        "--quiet",
        "--no-color",
        "-C <DIR>",
    ] {
        assert!(top.contains(global), "lam --help lacks {global}");
    }
    for sub in SUBCOMMANDS {
        assert!(
            top.lines()
                .any(|l| l.trim_start().starts_with(&format!("{sub} "))),
            "lam --help does not list {sub}"
        );
        let help = lam_offline(dir.path())
            .args([sub, "--help"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let help = String::from_utf8(help).unwrap();
        assert!(
            help.lines().next().is_some_and(|l| l.len() > 10),
            "`lam {sub} --help` has no description"
        );
        assert!(
            help.contains("Usage: lam"),
            "`lam {sub} --help` has no usage line"
        );
    }
}

#[test]
fn version_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    lam_offline(dir.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "lam {}",
            env!("CARGO_PKG_VERSION")
        )));
}

#[test]
fn completion_scripts_in_the_repository_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("LAM_UPDATE_COMPLETIONS").is_some();
    for (shell, file) in [
        ("bash", "lam.bash"),
        ("zsh", "_lam"),
        ("fish", "lam.fish"),
        ("powershell", "_lam.ps1"),
        ("elvish", "lam.elv"),
    ] {
        let generated = lam_offline(dir.path())
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert!(
            generated.len() > 500,
            "{shell} script is suspiciously short"
        );
        let path = root.join(file);
        if update {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let stored = std::fs::read(&path).unwrap_or_default();
        assert!(
            stored == generated,
            "completions/{file} is stale: run `LAM_UPDATE_COMPLETIONS=1 cargo test --test suite cli::completion` and commit it"
        );
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    lam_offline(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

/// Bad input: each case gives one clear error with a hint and its exit code,
/// never a panic. (args, lam.toml or None, files, exit code, expected text)
#[test]
fn bad_input_gets_a_clear_error_and_exit_code() {
    const OK_TOML: &str = "[project]\nname = \"bad\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nrole = \"arn:aws:iam::123456789012:role/r\"\n";
    const APP: (&str, &str) = ("app.py", "def lambda_handler(e, c):\n    return e\n");
    type Case<'a> = (
        Vec<&'a str>,
        Option<String>,
        Vec<(&'a str, &'a str)>,
        i32,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (vec!["deploy"], None, vec![], 3, "no lam.toml in"),
        // Outside a project, the missing project is the news, not the event file.
        (vec!["invoke", "--local", "--event", "missing.json"], None, vec![], 3, "no lam.toml in"),
        // A name Lambda refuses is said as such, not as secret-looking.
        (vec!["env", "set", "bad-key=1"], Some(OK_TOML.into()), vec![APP], 3, "environment variable name \"bad-key\" is not valid"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\ncolour = 1\n".into()), vec![], 3, "lam.toml:4:1: unknown key `colour`"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nmemory = \"lots\"\n".into()), vec![], 3, "lam.toml:4:10: invalid type"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nmemory = 64\n".into()), vec![], 3, "lam.toml:4:10: memory = 64 is below Lambda's minimum of 128 MB"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\ntimeout = 901\n".into()), vec![], 3, "timeout = 901 is outside"),
        (vec!["build"], Some("[function]\nruntime = \"python2.7\"\nhandler = \"app.h\"\n".into()), vec![], 3, "deprecated"),
        (vec!["build"], Some("[function]\nruntime = \"rust1\"\nhandler = \"app.h\"\n".into()), vec![], 3, "not a Lambda runtime"),
        (vec!["build"], Some("[function]\nname = \"a b\"\nruntime = \"python3.12\"\nhandler = \"app.h\"\n".into()), vec![], 3, "function name \"a b\" is not valid"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.env]\nAWS_REGION = \"x\"\n".into()), vec![], 3, "AWS_REGION is reserved"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.env]\n\"BAD-KEY\" = \"x\"\n".into()), vec![], 3, "\"BAD-KEY\" is not valid"),
        (vec!["build"], Some(format!("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.env]\nBIG = \"{}\"\n", "x".repeat(5000))), vec![], 3, "over Lambda's limit of 4096 bytes"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n".into()), vec![], 3, "needs app.py, which is not in the package"),
        (vec!["build", "--stage", "prod"], Some(OK_TOML.into()), vec![APP], 2, "stage \"prod\" is not defined"),
        (vec!["invoke", "--event", "missing.json"], Some(OK_TOML.into()), vec![APP], 3, "cannot read event file 'missing.json'"),
        (vec!["invoke", "--event", "bad.json"], Some(OK_TOML.into()), vec![APP, ("bad.json", "{\n  \"a\": 1,\n  oops\n}")], 3, "bad.json:3:3: the event is not valid JSON"),
        (vec!["invoke", "--event", "events"], Some(OK_TOML.into()), vec![APP, ("events/x.json", "{}")], 3, "is a directory"),
        (vec!["invoke", "nope"], Some(OK_TOML.into()), vec![APP], 2, "no function \"nope\" in lam.toml"),
        (vec!["-C", "does-not-exist", "build"], None, vec![], 2, "no such directory"),
        (vec!["deploy", "--role", "not-an-arn"], Some(OK_TOML.into()), vec![APP], 2, "--role: role = \"not-an-arn\" is not an IAM role ARN"),
        (vec!["deploy", "--endpoint-url", "localhost:1"], Some(OK_TOML.into()), vec![APP], 2, "is not an http(s) URL"),
        (vec!["deploy", "--bogus"], Some(OK_TOML.into()), vec![APP], 2, "unexpected argument"),
        // lam.toml: deploy settings, checked before any call.
        (vec!["deploy"], Some(format!("{OK_TOML}alias = \"12\"\n")), vec![APP], 3, "alias = \"12\" is not a valid Lambda alias"),
        (vec!["deploy"], Some(format!("{OK_TOML}[[function.policy]]\nactions = [\"GetObject\"]\nresources = [\"*\"]\n")), vec![APP], 3, "is not service:Operation"),
        (vec!["deploy"], Some(format!("{OK_TOML}[[function.policy]]\nactions = [\"s3:GetObject\"]\nresources = [\"photos\"]\n")), vec![APP], 3, "is not an ARN"),
        (vec!["deploy"], Some(format!("{OK_TOML}[function.api]\nkind = \"url\"\nauth = \"IAM\"\n")), vec![APP], 3, "auth = \"IAM\" is neither"),
        (vec!["deploy"], Some(format!("{OK_TOML}[function.api]\nkind = \"rest\"\nroutes = [\"GET /x\"]\n")), vec![APP], 3, "routes are only for kind = \"http\""),
        (vec!["deploy"], Some(format!("{OK_TOML}[function.api]\nkind = \"http\"\nroutes = [\"FETCH /x\"]\n")), vec![APP], 3, "is not METHOD /path"),
        (vec!["deploy"], Some(format!("{OK_TOML}[function.api]\nkind = \"http\"\n[function.api.cors]\norigins = [\"*\"]\ncredentials = true\n")), vec![APP], 3, "credentials = true with origin"),
        (vec!["deploy"], Some(format!("{OK_TOML}[function.api]\nkind = \"graphql\"\n")), vec![APP], 3, "unknown variant `graphql`"),
        (vec!["deploy"], Some(format!("{OK_TOML}[function.env]\nURL = \"${{LAM_TEST_SURELY_UNSET}}\"\n")), vec![APP], 3, "uses ${LAM_TEST_SURELY_UNSET}, which is not set"),
        (vec!["deploy", "--env-file", "nope.env"], Some(OK_TOML.into()), vec![APP], 3, "cannot read 'nope.env'"),
        (vec!["deploy", "--env-file", "bad.env"], Some(OK_TOML.into()), vec![APP, ("bad.env", "JUST A LINE\n")], 3, "bad.env:1: expected KEY=VALUE"),
        (vec!["deploy", "--env-file", "reserved.env"], Some(OK_TOML.into()), vec![APP, ("reserved.env", "AWS_LAMBDA_X=1\n")], 3, "is reserved"),
        (vec!["deploy", "--concurrency", "0"], Some(OK_TOML.into()), vec![APP], 2, "--concurrency"),
        (vec!["rollback", "--to", "latest"], Some(OK_TOML.into()), vec![APP], 2, "invalid value 'latest'"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app\"\n".into()), vec![], 3, "handler"),
        (vec!["build"], Some("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[functions.x]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n".into()), vec![], 3, "both [function] and [functions.*]"),
        (vec!["build"], Some("[project]\nname = \"x\"\n".into()), vec![], 3, "defines no function"),
        (vec!["build"], Some("[function\nruntime = 1\n".into()), vec![], 3, "lam.toml:1:"),
        (vec!["build"], Some(format!("{OK_TOML}source = \"..\"\n")), vec![APP], 3, "is outside the project"),
        // ${VAR} does not copy credentials from the shell into a deploy.
        (vec!["deploy", "--dry-run"], Some(format!("{OK_TOML}[function.env]\nCOPY = \"${{AWS_SECRET_ACCESS_KEY}}\"\n")), vec![APP], 3, "looks like a credential or secret"),
        // "Configuring CloudWatch log groups": Lambda cannot use aws/...
        (vec!["deploy", "--dry-run"], Some(format!("{OK_TOML}[function.logging]\nlog_group = \"aws/shop\"\n")), vec![APP], 3, "begins with aws/"),
        // Keys become parts of names and paths: no separators, no "..".
        (vec!["build"], Some("[functions.\"../up\"]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n".into()), vec![APP], 3, "function key \"../up\" is not valid"),
        (vec!["build"], Some(format!("{OK_TOML}[function.secrets]\n\"a/b\" = \"x\"\n")), vec![APP], 3, "\"a/b\" is not valid"),
        (vec!["build"], Some(format!("{OK_TOML}[[function.triggers]]\ntype = \"schedule\"\nexpression = \"rate(5\\nminutes)\"\n")), vec![APP], 3, "control character"),
        (vec!["build"], Some(OK_TOML.into()), vec![APP], 3, "has a name that is not UTF-8"),
        // Events, invoke, logs, serve, env, secrets, new, completions.
        (vec!["events", "generate", "kafka-ish"], None, vec![], 2, "kafka-ish"),
        (vec!["events", "generate", "apigw-rest", "--body", "@nope.json"], None, vec![], 3, "nope.json"),
        (vec!["invoke", "--event-source", "nope"], Some(OK_TOML.into()), vec![APP], 2, "nope"),
        (vec!["invoke", "--client-context", "[1]"], Some(OK_TOML.into()), vec![APP], 2, "the client context is not a JSON object"),
        (vec!["invoke", "--client-context", "{oops"], Some(OK_TOML.into()), vec![APP], 2, "the client context is not JSON"),
        (vec!["invoke", "--tenant-id", "a|b"], Some(OK_TOML.into()), vec![APP], 2, "tenant id \"a|b\" is not one Lambda accepts"),
        (vec!["invoke", "--event", "big.json"], Some(OK_TOML.into()), vec![APP], 3, "send a smaller event"),
        (vec!["logs", "--since", "yesterdayish"], Some(OK_TOML.into()), vec![APP], 2, "yesterdayish"),
        (vec!["serve", "--port", "http"], Some(OK_TOML.into()), vec![APP], 2, "invalid value 'http'"),
        (vec!["env", "set", "NOVALUE"], Some(OK_TOML.into()), vec![APP], 2, "KEY=VALUE"),
        (vec!["env", "set", "AWS_REGION=x"], Some(OK_TOML.into()), vec![APP], 3, "AWS_REGION is reserved"),
        (vec!["secrets", "set", "bad-name"], Some(OK_TOML.into()), vec![APP], 2, "bad-name"),
        (vec!["secrets", "set", "TOKEN", "--from-file", "missing.txt"], Some(OK_TOML.into()), vec![APP], 3, "missing.txt"),
        (vec!["new", "a/b"], None, vec![], 2, "is a path, not a name"),
        (vec!["new", "x", "--template", "nope"], None, vec![], 2, "unknown template \"nope\""),
        (vec!["completions", "tcsh"], None, vec![], 2, "invalid value 'tcsh'"),
    ];
    // An endpoint that counts connections: validation must come before any call.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(conn);
        }
    });
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (args, toml, files, code, expected) in cases {
        let dir = match &toml {
            Some(t) => project(t, &files),
            None => tempfile::tempdir().unwrap(),
        };
        if args.contains(&"big.json") {
            let big = format!("{{\"data\": \"{}\"}}", "x".repeat(7 * 1024 * 1024));
            std::fs::write(dir.path().join("big.json"), big).unwrap();
        }
        if expected.contains("not UTF-8") {
            // A file whose name is not UTF-8: refused with its name and a fix.
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"bad\xffname.py");
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let before = tree(dir.path());
        let assert = lam_offline(dir.path())
            .env("AWS_ENDPOINT_URL", &endpoint)
            .args(&args)
            .assert();
        let out = assert.get_output();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(code),
            "lam {args:?}: wrong exit code\n{stderr}"
        );
        assert!(
            stderr.contains(expected),
            "lam {args:?}: expected {expected:?} in\n{stderr}"
        );
        assert!(
            stderr.contains("error:"),
            "lam {args:?}: no error line\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "lam {args:?} panicked\n{stderr}"
        );
        assert!(stderr.contains("hint:"), "lam {args:?}: no hint\n{stderr}");
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error:")).count(),
            stderr.lines().filter(|l| l.starts_with("hint:")).count(),
            "lam {args:?}: each error has its hint\n{stderr}"
        );
        assert_eq!(
            connections.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "lam {args:?} called AWS before failing"
        );
        // Nothing half-written is left behind.
        assert_eq!(tree(dir.path()), before, "lam {args:?} left files behind");
    }
}

/// Every path under `dir`, sorted.
fn tree(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn build_writes_a_reproducible_zip() {
    let dir = project(
        "[project]\nname = \"zip\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n",
        &[
            ("app.py", "def lambda_handler(e, c):\n    return 1\n"),
            ("lib/util.py", "X = 1\n"),
            ("tests/test_app.py", ""),
        ],
    );
    let first = lam_offline(dir.path())
        .args(["build", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let first: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(first["files"], 2);
    let zip_path = dir.path().join(".lam/build/function.zip");
    let bytes = std::fs::read(&zip_path).unwrap();
    let second = lam_offline(dir.path())
        .args(["build", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let second: serde_json::Value = serde_json::from_slice(&second).unwrap();
    assert_eq!(first["sha256"], second["sha256"]);
    assert_eq!(std::fs::read(&zip_path).unwrap(), bytes);

    // The archive is valid and holds exactly the code.
    let listing = std::process::Command::new("unzip")
        .arg("-Z1")
        .arg(&zip_path)
        .output();
    if let Ok(listing) = listing {
        assert_eq!(
            String::from_utf8_lossy(&listing.stdout),
            "app.py\nlib/util.py\n"
        );
    }
    lam_offline(dir.path())
        .args(["build", "--list"])
        .assert()
        .success()
        .stdout("app.py\nlib/util.py\n");
}

/// lam(1) and one page per subcommand (lam-deploy(1), lam-env-set(1), ...),
/// generated from the clap definitions into man/, beside completions/:
/// this fails when they are stale.
#[test]
fn man_pages_are_current() {
    use clap::CommandFactory;
    let update = std::env::var_os("LAM_UPDATE_MANPAGES").is_some();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    fn render(cmd: &clap::Command, name: String, out: &mut Vec<(String, Vec<u8>)>) {
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        let cmd = cmd.clone().name(leaked).bin_name(name.replace('-', " "));
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd.clone())
            .date("2026-12-07")
            .render(&mut buf)
            .unwrap();
        out.push((format!("{name}.1"), buf));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            render(sub, format!("{name}-{}", sub.get_name()), out);
        }
    }
    let mut cmd = lam::cli::Cli::command();
    cmd.build();
    render(&cmd, "lam".into(), &mut pages);
    assert!(pages.len() > 20, "{} pages", pages.len());
    if update {
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        for (name, bytes) in &pages {
            std::fs::write(root.join(name), bytes).unwrap();
        }
        return;
    }
    let mut stored: Vec<String> = std::fs::read_dir(&root)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    stored.sort();
    let mut wanted: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
    wanted.sort();
    assert_eq!(
        stored, wanted,
        "man/ is stale: run `LAM_UPDATE_MANPAGES=1 cargo test --test suite cli::man_pages` and commit it"
    );
    for (name, bytes) in &pages {
        assert!(
            std::fs::read(root.join(name)).unwrap_or_default() == *bytes,
            "man/{name} is stale: run `LAM_UPDATE_MANPAGES=1 cargo test --test suite cli::man_pages` and commit it"
        );
    }
}
