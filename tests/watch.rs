//! `lam deploy --watch` against moto: code edits go to $LATEST only,
//! requirement edits publish a layer and repoint, lam.toml edits run the
//! full deploy, bursts coalesce, protected stages are refused, and Ctrl-C
//! ends it cleanly. Every sync is read back with the SDK.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;
use serde_json::Value;

const APP: &str = "import six\n\ndef lambda_handler(event, context):\n    return {\"v\": 1}\n";

fn toml(name: &str, extra: &str) -> String {
    format!(
        "[project]\nname = \"{name}\"\n\n[build]\ndependencies = \"layer\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n{extra}\n[stages.dev]\n\n[stages.prod]\nprotected = true\n"
    )
}

struct Watching {
    child: std::process::Child,
    lines: mpsc::Receiver<Value>,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Watching {
    fn start(dir: &std::path::Path) -> Watching {
        Watching::start_with(dir, &[])
    }

    fn start_with(dir: &std::path::Path, extra: &[&str]) -> Watching {
        let mut child = lam_process(dir)
            .args(["deploy", "--watch", "--output", "json"])
            .args(extra)
            .env("LAM_PYTHON", test_python())
            .spawn()
            .unwrap();
        // A stream of JSON documents: the deploy reports, then one line
        // per sync.
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            let docs = serde_json::Deserializer::from_reader(stdout).into_iter::<Value>();
            for doc in docs.map_while(Result::ok) {
                if tx.send(doc).is_err() {
                    break;
                }
            }
        });
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = stderr.clone();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Watching {
            child,
            lines,
            stderr,
        }
    }

    fn next(&self, what: &str) -> Value {
        self.lines
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no {what}; stderr: {}", self.stderr()))
    }

    /// Ctrl-C, as a terminal sends it; the exit status.
    fn interrupt(self) -> (std::process::ExitStatus, String) {
        let Watching {
            mut child, stderr, ..
        } = self;
        let status = interrupt(&mut child);
        std::thread::sleep(Duration::from_millis(100));
        let text = stderr.lock().unwrap().clone();
        (status, text)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until stderr says `text` (the watcher is ready).
    fn wait_for(&self, text: &str) {
        let until = std::time::Instant::now() + Duration::from_secs(60);
        while !self.stderr().contains(text) {
            assert!(std::time::Instant::now() < until, "{}", self.stderr());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn edits_sync_to_latest_by_kind_and_ctrl_c_ends_cleanly() {
    let project_name = unique("watch");
    let dir = project(
        &toml(&project_name, ""),
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let w = Watching::start(dir.path());
    let deployed = w.next("the first deploy's report");
    let name = deployed["functions"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let first_layer = deployed["layers"][0]["arn"].as_str().unwrap().to_string();
    w.wait_for("Watching");
    assert!(
        w.stderr()
            .contains("the live alias keeps serving the last published version"),
        "{}",
        w.stderr()
    );
    assert_eq!(alias_version(&name, "live"), "1");

    // A handler edit: UpdateFunctionCode on $LATEST, nothing else, kilobytes.
    std::fs::write(
        dir.path().join("app.py"),
        APP.replace("\"v\": 1", "\"v\": 2"),
    )
    .unwrap();
    let sync = w.next("the code sync");
    assert_eq!(changes(&sync), ["UpdateFunctionCode"], "{sync}");
    assert_eq!(sync["changed"], serde_json::json!(["app.py"]));
    let built = std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap();
    assert!(built.len() < 2_000, "{} bytes", built.len());
    assert_eq!(
        function_configuration(&name).code_sha256().unwrap(),
        lam_sha256(&built),
        "$LATEST has the edit"
    );
    assert_eq!(alias_version(&name, "live"), "1", "the alias did not move");

    // A requirement edit: a new layer, $LATEST pointed at it.
    std::fs::write(dir.path().join("requirements.txt"), "six==1.17.0\n").unwrap();
    let sync = w.next("the requirements sync");
    let calls: Vec<&str> = sync["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(calls.contains(&"PublishLayerVersion"), "{sync}");
    assert!(calls.contains(&"UpdateFunctionConfiguration"), "{sync}");
    assert!(
        !calls.contains(&"PublishVersion") && !calls.contains(&"UpdateAlias"),
        "{sync}"
    );
    let layers: Vec<String> = function_configuration(&name)
        .layers()
        .iter()
        .map(|l| l.arn().unwrap().to_string())
        .collect();
    assert_eq!(layers.len(), 1);
    assert_ne!(layers[0], first_layer);
    assert_eq!(alias_version(&name, "live"), "1");

    // A burst of writes is one sync.
    for v in 3..6 {
        std::fs::write(
            dir.path().join("app.py"),
            APP.replace("\"v\": 1", &format!("\"v\": {v}")),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    let sync = w.next("the burst's sync");
    assert_eq!(changes(&sync), ["UpdateFunctionCode"], "{sync}");
    assert!(
        w.lines.recv_timeout(Duration::from_millis(1500)).is_err(),
        "one sync for the burst"
    );

    // Code and requirements saved together (a git pull): one sync that
    // sends both. Back to the first tree, whose layer exists: no publish,
    // $LATEST points at it again.
    std::fs::write(dir.path().join("requirements.txt"), "six==1.16.0\n").unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        APP.replace("\"v\": 1", "\"v\": 7"),
    )
    .unwrap();
    let sync = w.next("the code and requirements sync");
    let done = changes(&sync);
    assert!(
        done.contains(&"UpdateFunctionCode".to_string())
            && done.contains(&"UpdateFunctionConfiguration".to_string())
            && !done.contains(&"PublishLayerVersion".to_string()),
        "{sync}"
    );
    let conf = function_configuration(&name);
    let layers: Vec<&str> = conf.layers().iter().map(|l| l.arn().unwrap()).collect();
    assert_eq!(layers, [first_layer.as_str()]);
    let built = std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap();
    assert_eq!(conf.code_sha256().unwrap(), lam_sha256(&built));
    assert!(
        w.lines.recv_timeout(Duration::from_millis(1000)).is_err(),
        "one sync for both files"
    );

    // lam.toml: the full diff deploy, which publishes and moves the alias.
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, "memory = 256\n"),
    )
    .unwrap();
    let report = w.next("the full deploy's report");
    assert_eq!(report["functions"][0]["version"], "2", "{report}");
    let sync = w.next("the lam.toml sync");
    assert_eq!(sync["changed"], serde_json::json!(["lam.toml"]));
    assert_eq!(function_configuration(&name).memory_size(), Some(256));
    assert_eq!(alias_version(&name, "live"), "2");

    // Ctrl-C: a clean exit that says what it did.
    let (status, stderr) = w.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(
        stderr.contains("Stopped watching after 5 syncs"),
        "{stderr}"
    );
}

#[test]
fn logs_print_beside_the_syncs() {
    let dir = project(
        &toml(&unique("watchlogs"), ""),
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let w = Watching::start_with(dir.path(), &["--logs"]);
    let deployed = w.next("the first deploy's report");
    let name = deployed["functions"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    w.wait_for("Watching");
    let group = format!("/aws/lambda/{name}");
    create_log_group(&group);
    put_logs(
        &group,
        "2026/11/30/[$LATEST]watch",
        &[(now_ms(), "hello from the function")],
    );
    // The logs arrive as `lam logs --follow --output json` prints them.
    let until = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let remaining = until.saturating_duration_since(std::time::Instant::now());
        let doc = w
            .lines
            .recv_timeout(remaining)
            .unwrap_or_else(|_| panic!("no log event; stderr: {}", w.stderr()));
        if doc.to_string().contains("hello from the function") {
            break;
        }
    }
    // A code edit still syncs while the logs are followed.
    std::fs::write(
        dir.path().join("app.py"),
        APP.replace("\"v\": 1", "\"v\": 9"),
    )
    .unwrap();
    loop {
        let doc = w.next("the code sync");
        if doc.get("calls").is_some() {
            assert_eq!(changes(&doc), ["UpdateFunctionCode"], "{doc}");
            break;
        }
    }
    assert!(w.interrupt().0.success());
}

#[test]
fn protected_stages_are_refused_unless_forced() {
    let dir = project(&toml(&unique("prot"), ""), &[("app.py", APP)]);
    let out = lam(dir.path())
        .args(["deploy", "--watch", "--stage", "prod", "-v"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("stage prod is protected: lam deploy --watch does not sync it"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(calls(&out.get_output().stderr).is_empty(), "{stderr}");
    // --force watches it all the same.
    let w = Watching::start_with(dir.path(), &["--stage", "prod", "--force"]);
    let deployed = w.next("the forced deploy's report");
    assert_eq!(deployed["stage"], "prod");
    w.wait_for("Watching");
    assert!(w.interrupt().0.success());
    // `--logs` and `--force` belong to --watch.
    lam(dir.path()).args(["deploy", "--force"]).assert().code(2);
}

/// The calls of a sync that change something (Lambda's waits read).
fn changes(sync: &Value) -> Vec<String> {
    sync["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .filter(|c| !c.starts_with("Get") && !c.starts_with("List"))
        .collect()
}

/// base64 of the SHA-256, as Lambda reports CodeSha256.
fn lam_sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}
