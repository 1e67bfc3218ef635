//! The documentation as a newcomer uses it: the lam.toml reference deploys
//! as written (its placeholders made to exist first), and every link
//! between the Markdown files leads somewhere.

use crate::common::*;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced blocks of `info` (```toml, ```sh ...) in a Markdown file, in
/// order, each with the line it starts on.
pub(crate) fn fenced(text: &str, info: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut current {
            None => {
                if let Some(rest) = line.strip_prefix("```")
                    && rest.trim() == info
                {
                    current = Some((i + 1, String::new()));
                }
            }
            Some((_, body)) => {
                if line.starts_with("```") {
                    out.push(current.take().unwrap());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    out
}

/// The placeholders docs/reference/lam-toml.md lists, made to exist in
/// moto as a reader makes them in their account.
fn make_placeholders() {
    let sm = aws_sdk_secretsmanager::Client::new(&sdk_config());
    let _ = block_on(
        sm.create_secret()
            .name("shop/dev/DB_PASSWORD")
            .secret_string("placeholder")
            .send(),
    );
    let _ = block_on(s3().create_bucket().bucket("photos").send());
    create_queue("orders");
    let sns = aws_sdk_sns::Client::new(&sdk_config());
    block_on(sns.create_topic().name("alerts").send()).unwrap();
}

/// The reference and the guide both deploy a project named "shop": one
/// at a time.
fn shop_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

#[test]
fn the_lam_toml_reference_deploys_as_written() {
    let _shop = shop_lock();
    let text = std::fs::read_to_string(repo().join("docs/reference/lam-toml.md")).unwrap();
    let blocks = fenced(&text, "toml");
    assert_eq!(blocks.len(), 2, "the reference's toml blocks changed");
    make_placeholders();
    let app = "def lambda_handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n";

    // One function: every key, deployed. moto has no provisioned
    // concurrency API (moto-server.md): the validating proxy checks the
    // request against Lambda's model and answers as Lambda does (202).
    stub(&serde_json::json!({
        "method": "PUT",
        "path": "/2019-09-30/functions/shop-api/provisioned-concurrency",
        "status": 202,
        "body": {"RequestedProvisionedConcurrentExecutions": 5, "Status": "IN_PROGRESS",
                 "LastModified": "2026-12-07T23:00:00.000+0000"}
    }));
    let (line, single) = &blocks[0];
    let dir = project(single, &[("app.py", app)]);
    let out = lam(dir.path())
        .env("DB_HOST", "db.internal")
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "--yes"])
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docs/reference/lam-toml.md:{line}: the block does not deploy:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = function_configuration("shop-api");
    assert_eq!(config.memory_size(), Some(256));
    assert_eq!(config.timeout(), Some(30));
    assert_eq!(
        config.environment().unwrap().variables().unwrap()["DB_URL"],
        "pg://db.internal:5432/shop"
    );
    // The placeholders' note says it: DB_HOST unset is an error, before
    // any call.
    let unset = lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "--yes", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(3), "{unset:?}");
    assert!(
        String::from_utf8_lossy(&unset.stderr).contains("DB_HOST"),
        "{unset:?}"
    );
    // It is removed as the page says (provisioned concurrency is billed).
    lam(dir.path())
        .env("DB_HOST", "db.internal")
        .args(["destroy", "--yes"])
        .assert()
        .success();

    // Several functions, with a stage's per-function override.
    let (line, several) = &blocks[1];
    let dir = project(several, &[("app.py", app)]);
    for stage in ["dev", "prod"] {
        let out = lam(dir.path())
            .env("LAM_PYTHON", test_python())
            .args(["deploy", "--yes", "--stage", stage])
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docs/reference/lam-toml.md:{line} (--stage {stage}): the block does not deploy:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        function_configuration("shop-prod-worker").timeout(),
        Some(300)
    );
    assert_eq!(
        function_configuration("shop-prod-api").memory_size(),
        Some(1024)
    );
    assert_eq!(
        function_configuration("shop-dev-worker").timeout(),
        Some(30)
    );
    for stage in ["dev", "prod"] {
        lam(dir.path())
            .args(["destroy", "--yes", "--stage", stage])
            .assert()
            .success();
    }
}

/// GitHub's anchor for a heading: lower-cased, punctuation but '-' and
/// '_' dropped, spaces made '-'.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn every_link_between_the_docs_leads_somewhere() {
    let root = repo();
    let mut files = vec![root.join("README.md"), root.join("SECURITY.md")];
    markdown_files(&root.join("docs"), &mut files);
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut in_fence = false;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with("```") {
                in_fence = !in_fence;
            }
            if in_fence {
                continue;
            }
            for cap in link.captures_iter(line) {
                let target = &cap[1];
                if target.starts_with("http://") || target.starts_with("https://") {
                    continue;
                }
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target, None),
                };
                let dest = if path.is_empty() {
                    file.clone()
                } else {
                    file.parent().unwrap().join(path)
                };
                let shown = format!(
                    "{}:{}: {target}",
                    file.strip_prefix(&root).unwrap().display(),
                    n + 1
                );
                if !dest.exists() {
                    broken.push(format!("{shown} (no such file)"));
                    continue;
                }
                if let Some(anchor) = anchor
                    && dest.extension().is_some_and(|e| e == "md")
                    && !anchors(&std::fs::read_to_string(&dest).unwrap())
                        .iter()
                        .any(|a| a == anchor)
                {
                    broken.push(format!("{shown} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The README stays a landing page.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.lines().count() <= 160,
        "README.md has {} lines: move reference material into docs/",
        readme.lines().count()
    );
}

/// One step of docs/guide.md, in order.
#[derive(Debug)]
enum Step {
    /// A ```sh block, run to completion.
    Run(usize, String),
    /// A ```sh background block, started and left running.
    Background(usize, String),
    /// `<!-- guide-test: invoke-answer {json} -->`: moto's answer to the
    /// next remote invoke (moto runs no deployed code).
    InvokeAnswer(String),
    /// `<!-- guide-test: report-lines NAME -->`: what Lambda would have
    /// logged for one invocation of NAME.
    ReportLines(String),
}

fn guide_steps(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        if let Some(hook) = line
            .trim()
            .strip_prefix("<!-- guide-test:")
            .and_then(|h| h.strip_suffix("-->"))
        {
            let hook = hook.trim();
            match hook.split_once(' ') {
                Some(("invoke-answer", json)) => steps.push(Step::InvokeAnswer(json.trim().into())),
                Some(("report-lines", name)) => steps.push(Step::ReportLines(name.trim().into())),
                _ => panic!("docs/guide.md:{}: unknown hook {hook}", i + 1),
            }
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let info = info.trim().to_string();
        let mut body = String::new();
        for (_, l) in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        match info.as_str() {
            "sh" => steps.push(Step::Run(i + 1, body)),
            "sh background" => steps.push(Step::Background(i + 1, body)),
            _ => {}
        }
    }
    steps
}

/// Kills a background step's whole process group when dropped.
struct Background(std::process::Child, PathBuf);

impl Drop for Background {
    fn drop(&mut self) {
        // SAFETY: kill on a process group this test made.
        unsafe {
            libc::kill(-(self.0.id() as i32), libc::SIGTERM);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        // SAFETY: as above.
        unsafe {
            libc::kill(-(self.0.id() as i32), libc::SIGKILL);
        }
        let _ = self.0.wait();
    }
}

/// docs/guide.md, run as a reader runs it: every ```sh block in order, in
/// one directory that carries from block to block, against moto for AWS,
/// with lam, python3 (the CI venv's), node, curl and the AWS CLI on PATH.
#[test]
fn the_guide_runs_as_written() {
    use std::os::unix::process::CommandExt;
    let _shop = shop_lock();
    let _invoke = invoke_lock();
    let text = std::fs::read_to_string(repo().join("docs/guide.md")).unwrap();
    let steps = guide_steps(&text);
    assert!(
        steps.iter().filter(|s| matches!(s, Step::Run(..))).count() >= 10,
        "the guide runs almost nothing: {steps:?}"
    );
    let work = tempfile::tempdir().unwrap();
    let cwd_file = work.path().join(".guide-cwd");
    let start = work.path().join("guide");
    std::fs::create_dir(&start).unwrap();
    std::fs::write(&cwd_file, start.display().to_string()).unwrap();
    let path = reader_path();
    let command = |body: &str| {
        let mut cmd = std::process::Command::new("bash");
        cmd.arg("-c")
            .arg(format!(
                "set -euo pipefail\ncd \"$(cat '{cwd}')\"\n{body}\npwd > '{cwd}'\n",
                cwd = cwd_file.display()
            ))
            .env_clear()
            .envs(lam_environment(work.path()))
            .env("PATH", &path)
            .env("AWS_ENDPOINT_URL", moto())
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .stdin(std::process::Stdio::null());
        cmd
    };
    let mut background = Vec::new();
    for step in steps {
        match step {
            Step::InvokeAnswer(json) => queue_invoke_result(&json),
            Step::ReportLines(name) => {
                let group = format!("/aws/lambda/{name}");
                lambda_logged_one_invocation(&group);
            }
            Step::Background(line, body) => {
                let log = work.path().join(format!("background-{line}.log"));
                let file = std::fs::File::create(&log).unwrap();
                let child = command(&body)
                    .stdout(file.try_clone().unwrap())
                    .stderr(file)
                    .process_group(0)
                    .spawn()
                    .unwrap();
                background.push(Background(child, log));
            }
            Step::Run(line, body) => {
                // Files, not pipes: a block's output is not read while it runs.
                let out_path = work.path().join(format!("block-{line}.out"));
                let err_path = work.path().join(format!("block-{line}.err"));
                let mut child = command(&body)
                    .stdout(std::fs::File::create(&out_path).unwrap())
                    .stderr(std::fs::File::create(&err_path).unwrap())
                    .process_group(0)
                    .spawn()
                    .unwrap();
                let started = std::time::Instant::now();
                let status = loop {
                    if let Some(status) = child.try_wait().unwrap() {
                        break Some(status);
                    }
                    if started.elapsed() > std::time::Duration::from_secs(300) {
                        // SAFETY: kill on the process group this test made.
                        unsafe {
                            libc::kill(-(child.id() as i32), libc::SIGKILL);
                        }
                        break None;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                };
                let _ = child.wait();
                if status.is_none_or(|s| !s.success()) {
                    let logs: Vec<String> = background
                        .iter()
                        .map(|b| {
                            format!(
                                "--- {}:\n{}",
                                b.1.display(),
                                std::fs::read_to_string(&b.1).unwrap_or_default()
                            )
                        })
                        .collect();
                    panic!(
                        "docs/guide.md:{line}: the block failed ({status:?}):\n{body}\n--- stdout:\n{}\n--- stderr:\n{}\n{}",
                        std::fs::read_to_string(&out_path).unwrap_or_default(),
                        std::fs::read_to_string(&err_path).unwrap_or_default(),
                        logs.join("\n")
                    );
                }
            }
        }
    }
}

/// The README's five-minute tour, pasted as a reader pastes it, against
/// moto: every line runs, in order, in one shell. What needs a terminal
/// of its own (`lam serve`, `lam logs --follow`) runs in the background
/// (serve on a free port, which the curls then use); the one line with a
/// placeholder URL of the reader's own API is the only one left out.
#[test]
fn the_readme_tour_runs_as_pasted() {
    let _shop = shop_lock();
    let _invoke = invoke_lock();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let tour: Vec<String> = readme
        .split("## A five-minute tour")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the README has its tour")
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .map(|l| match l.find("  #") {
            Some(at) => l[..at].trim_end().to_string(),
            None => l.trim_end().to_string(),
        })
        .collect();
    assert!(tour.len() >= 10, "{tour:?}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut script =
        String::from("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
    let mut ran = 0;
    for line in &tour {
        if line.contains('<') {
            // `curl https://<api-id>.execute-api...`: the reader's own URL.
            continue;
        }
        let line = if line == "lam serve" {
            format!(
                "lam serve --port {port} &\ncurl -s --retry 30 --retry-connrefused --retry-delay 1 -o /dev/null localhost:{port}/items"
            )
        } else if line.starts_with("lam logs --follow") {
            format!("{line} &")
        } else {
            line.replace("localhost:3000", &format!("localhost:{port}"))
        };
        script.push_str(&line);
        script.push('\n');
        ran += 1;
    }
    assert!(ran >= 12, "{script}");
    // moto runs no deployed code: the remote invoke's answer, and the log
    // lines Lambda writes for it (which `lam stats` reads).
    queue_invoke_result(r#"{"statusCode": 200, "body": "{\"items\": []}"}"#);
    let group = "/aws/lambda/shop-dev";
    lambda_logged_one_invocation(group);
    let work = tempfile::tempdir().unwrap();
    let path = reader_path();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(work.path())
        .env_clear()
        .envs(lam_environment(work.path()))
        .env("PATH", path)
        .env("AWS_ENDPOINT_URL", moto())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the README's tour failed:\n{script}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
    );
    // The POST reached the local API, and the deploy made the REST API.
    assert!(stdout.contains("\"pen\""), "{stdout}");
    assert!(stderr.contains("Created shop-dev"), "{stderr}");
    assert!(stdout.contains("cold starts  1"), "{stdout}");
    lam(&work.path().join("shop"))
        .args(["destroy", "--yes"])
        .assert()
        .success();
}

/// A reader's PATH: lam, then the tests' Python (python3, pytest, the AWS
/// CLI), then the machine's.
fn reader_path() -> std::ffi::OsString {
    let lam_bin = assert_cmd::cargo::cargo_bin("lam");
    std::env::join_paths(
        [
            lam_bin.parent().unwrap().to_path_buf(),
            test_python().parent().unwrap().to_path_buf(),
        ]
        .into_iter()
        .chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap()
}

/// What Lambda writes into `group` for one cold invocation (moto runs no
/// deployed code): INIT_START, START, a JSON log line, END, REPORT.
fn lambda_logged_one_invocation(group: &str) {
    create_log_group(group);
    let t = now_ms() - 5_000;
    put_logs(
        group,
        "2026/12/07/[1]0a1b2c3d4e5f",
        &[
            (t, "INIT_START Runtime Version: python:3.12.v40".to_string()),
            (t + 1, "START RequestId: 7f1c Version: 1".to_string()),
            (
                t + 2,
                r#"{"level": "INFO", "message": "listed items", "count": 2}"#.to_string(),
            ),
            (t + 3, "END RequestId: 7f1c".to_string()),
            (
                t + 4,
                "REPORT RequestId: 7f1c\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 41 MB\tInit Duration: 180.50 ms\t".to_string(),
            ),
        ],
    );
}
