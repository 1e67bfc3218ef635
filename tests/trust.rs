//! The trust boundary, attacked as an attacker would: a web page in a real
//! browser (headless Chromium), another user of the machine (a process run
//! as `nobody` through setpriv), a client that trickles its request. Each
//! of these succeeded against lam before the boundary was drawn.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::*;
use crate::debug::{Dap, connect, free_port, invoke_debug, python_project, task_root};

/// Runs `script` with /usr/bin/python3 as the user `nobody`; returns what
/// it printed.
fn as_nobody(script: &str) -> String {
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/usr/bin/python3",
            "-c",
            script,
        ])
        .output()
        .expect("setpriv runs (util-linux)");
    assert!(
        out.status.success(),
        "the script as nobody failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A Python client that connects to `port`, sends `request`, and prints
/// how many bytes came back before the connection closed (or 3 s passed).
fn bytes_back(port: u16, request: &[u8]) -> String {
    format!(
        "import socket\ns = socket.create_connection(('127.0.0.1', {port}))\ns.settimeout(3)\ns.sendall(bytes.fromhex('{}'))\nn = 0\ntry:\n    while True:\n        d = s.recv(65536)\n        if not d: break\n        n += len(d)\nexcept OSError:\n    pass\nprint(n)",
        request
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

fn dap_frame(body: &serde_json::Value) -> Vec<u8> {
    let body = body.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// A DAP `evaluate` that leaves a file behind if it runs.
fn evaluate_writing(marker: &Path) -> serde_json::Value {
    json!({"seq": 1, "type": "request", "command": "evaluate",
           "arguments": {"context": "repl",
                         "expression": format!("__import__('pathlib').Path({:?}).write_text('pwned')", marker.display().to_string())}})
}

/// Attaches a real debugger after the attacks, and lets the invocation end:
/// the debug port still serves the user's own debugger.
fn finish_with_a_debugger(dir: &Path, port: u16, child: &mut Child) {
    let mut dap = Dap::new(connect(port, child));
    dap.attach(
        dir,
        &task_root(dir),
        &dir.join("app.py"),
        &[crate::debug::PY_HANDLER_LINE],
    );
    crate::debug::step_python_handler(&mut dap, "Zoë");
    dap.until_ended();
}

/// `lam invoke --local --debug` of a Python handler, its port open and
/// waiting for a debugger; and where a successful attack would write.
fn debug_session_waiting() -> (tempfile::TempDir, std::path::PathBuf, u16, Child) {
    let dir = python_project("");
    let marker = dir.path().join("pwned.txt");
    let port = free_port();
    let mut child = invoke_debug(dir.path(), port, &[]);
    drop(connect(port, &mut child));
    (dir, marker, port, child)
}

#[test]
fn a_web_page_cannot_evaluate_in_a_handler_under_debugpy() {
    let (dir, marker, port, mut child) = debug_session_waiting();
    // The attack the in-process adapter took: a no-cors text/plain POST
    // (no preflight) whose body is a DAP request, twice on one keep-alive
    // connection, and once through a rebound name.
    let body = evaluate_writing(&marker).to_string();
    let page = format!(
        r#"<!doctype html><html><head><title>pending</title></head><body><script>
const results = [];
async function attempt(url) {{
  try {{
    const r = await fetch(url, {{ method: "POST", mode: "no-cors", body: {body:?} }});
    results.push(r.type);
  }} catch (e) {{
    results.push("failed " + e.name);
  }}
}}
(async () => {{
  await attempt("http://127.0.0.1:{port}/");
  await attempt("http://127.0.0.1:{port}/");
  await attempt("http://rebound.test:{port}/");
  document.title = "done " + JSON.stringify(results);
}})();
</script></body></html>"#
    );
    let page_port = crate::browser::serve_page(page);
    let dom = crate::browser::open_page(&format!("http://127.0.0.1:{page_port}/attack.html"));
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !marker.exists(),
        "a web page ran code in the handler's process:\n{dom}"
    );
    finish_with_a_debugger(dir.path(), port, &mut child);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!marker.exists());
}

#[test]
fn another_user_gets_nothing_from_the_debug_port() {
    let (dir, marker, port, mut child) = debug_session_waiting();
    // Well-formed DAP, from another user: closed unread.
    let mut request = dap_frame(
        &json!({"seq": 0, "type": "request", "command": "initialize", "arguments": {"adapterID": "x"}}),
    );
    request.extend(dap_frame(&evaluate_writing(&marker)));
    let answered = as_nobody(&bytes_back(port, &request));
    assert_eq!(answered, "0", "another user was answered");
    // The same bytes from this user, framed as HTTP: closed unread.
    let mut http = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = evaluate_writing(&marker).to_string();
    write!(
        http,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    http.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut back = Vec::new();
    let _ = http.read_to_end(&mut back);
    assert!(back.is_empty(), "{}", String::from_utf8_lossy(&back));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!marker.exists(), "the evaluate ran");
    finish_with_a_debugger(dir.path(), port, &mut child);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(!marker.exists());
}

/// The pids of `pid`'s children.
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        out.extend(
            text.split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok()),
        );
    }
    out
}

/// The first child of `lam` whose environment has `name`, and its value.
fn runtime_env(lam: u32, name: &str) -> Option<(u32, String)> {
    children(lam).into_iter().find_map(|pid| {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        environ.split(|b| *b == 0).find_map(|entry| {
            let entry = String::from_utf8_lossy(entry);
            let value = entry.strip_prefix(&format!("{name}="))?;
            Some((pid, value.to_string()))
        })
    })
}

/// The loopback ports `pid` listens on (its sockets in /proc/net/tcp, state 0A).
fn listening_ports(pid: u32) -> Vec<u16> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|link| {
            let link = link.to_string_lossy().into_owned();
            Some(
                link.strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f.get(3) == Some(&"0A") && inodes.iter().any(|i| Some(&i.as_str()) == f.get(9)))
                .then(|| u16::from_str_radix(f[1].rsplit_once(':')?.1, 16).ok())?
        })
        .collect()
}

fn http_get(port: u16, head: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut back = Vec::new();
    let mut buf = [0u8; 65536];
    // Read the head and whatever body arrives within the timeout.
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        back.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&back);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            });
            if length.is_some_and(|n| body.len() >= n) {
                break;
            }
        }
    }
    String::from_utf8_lossy(&back).into_owned()
}

#[test]
fn the_node_inspector_is_listed_only_by_lam_and_only_to_this_user() {
    let dir = crate::debug::node_project("");
    let port = free_port();
    let mut child = invoke_debug(dir.path(), port, &[]);
    drop(connect(port, &mut child));
    // lam's front lists the inspector, under its own port. Until node's
    // inspector is up (slow on a loaded machine) the front answers 503
    // after 5 s, as a debugger is asked to retry.
    let deadline = Instant::now() + Duration::from_secs(90);
    let listed = loop {
        let listed = http_get(
            port,
            &format!(
                "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            ),
        );
        let starting = listed.is_empty() || listed.starts_with("HTTP/1.1 503");
        if !starting || Instant::now() > deadline {
            break listed;
        }
    };
    assert!(listed.starts_with("HTTP/1.0 200"), "{listed}");
    let ws = format!("ws://127.0.0.1:{port}/");
    assert!(listed.contains(&ws), "{listed}");
    let id = listed
        .split(&ws)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    // A rebound name, and a web page's WebSocket: refused.
    let rebound = http_get(
        port,
        &format!("GET /json/list HTTP/1.1\r\nHost: rebound.test:{port}\r\n\r\n"),
    );
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    let from_page = http_get(
        port,
        &format!(
            "GET /{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://evil.test\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        ),
    );
    assert!(from_page.starts_with("HTTP/1.1 404"), "{from_page}");
    // Another user: nothing.
    let request = format!("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    assert_eq!(as_nobody(&bytes_back(port, request.as_bytes())), "0");
    // The inspector's own port lists nothing: its address is lam's secret.
    let deadline = Instant::now() + Duration::from_secs(20);
    let node = loop {
        if let Some((pid, _)) = runtime_env(child.id(), "AWS_LAMBDA_RUNTIME_API") {
            break pid;
        }
        assert!(Instant::now() < deadline, "no runtime process");
        std::thread::sleep(Duration::from_millis(50));
    };
    let inner: Vec<u16> = listening_ports(node);
    assert!(!inner.is_empty(), "the inspector listens somewhere");
    for inner in inner {
        let listed = http_get(
            inner,
            &format!("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{inner}\r\n\r\n"),
        );
        assert!(
            !listed.contains(&id),
            "the inspector's port lists its address: {listed}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A Python function run by the official awslambdaric, which speaks the
/// Runtime API over TCP; its handler sleeps so the port stays open.
fn sleeping_ric_invoke() -> (tempfile::TempDir, Child) {
    let dir = project(
        "[project]\nname = \"rt\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 30\n",
        &[
            (
                "app.py",
                "import time\ndef handler(event, context):\n    time.sleep(4)\n    return {'ok': True}\n",
            ),
            ("e.json", "{}"),
        ],
    );
    let child = Command::new(assert_cmd::cargo::cargo_bin("lam"))
        .current_dir(dir.path())
        .args(["invoke", "--local", "--ric", "--event", "e.json"])
        .env("LAM_PYTHON", test_python())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (dir, child)
}

#[test]
fn the_runtime_api_answers_only_the_runtime_lam_started() {
    let (_dir, child) = sleeping_ric_invoke();
    let deadline = Instant::now() + Duration::from_secs(30);
    let api = loop {
        if let Some((_, api)) = runtime_env(child.id(), "AWS_LAMBDA_RUNTIME_API") {
            break api;
        }
        assert!(Instant::now() < deadline, "no runtime process");
        std::thread::sleep(Duration::from_millis(50));
    };
    let port: u16 = api.rsplit_once(':').unwrap().1.parse().unwrap();
    let next = |host: &str, extra: &str| {
        http_get(
            port,
            &format!(
                "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
            ),
        )
    };
    // A rebound page, and a page on loopback (the browser's marks).
    assert!(next(&format!("rebound.test:{port}"), "").starts_with("HTTP/1.1 403"));
    let page = next(
        &api,
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\n",
    );
    assert!(page.starts_with("HTTP/1.1 403"), "{page}");
    // Another user: closed unread.
    let request =
        format!("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {api}\r\n\r\n");
    assert_eq!(as_nobody(&bytes_back(port, request.as_bytes())), "0");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        json!({"ok": true}),
        "{stderr}"
    );
}

/// 300 connections that each declare a body and send one byte used to
/// hold every one of lam serve's slots for ever; now each is cut off when
/// its request has not arrived whole in 30 s, and the server answers again.
#[test]
fn lam_serve_outlasts_clients_that_trickle_their_bodies() {
    let (dir, _marker) = crate::serve::marking_project();
    let serve = crate::serve::Serve::start(dir.path(), &[]);
    let port = serve.port;
    let slow: Vec<TcpStream> = (0..300)
        .filter_map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
            s.write_all(
                format!(
                    "POST /x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 100\r\n\r\n{{"
                )
                .as_bytes(),
            )
            .ok()?;
            Some(s)
        })
        .collect();
    assert!(slow.len() > 256, "{} connections opened", slow.len());
    std::thread::sleep(Duration::from_secs(33));
    let started = Instant::now();
    let answer = http_get(
        port,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert!(answer.starts_with("HTTP/1.1 "), "no answer: {answer:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(slow);
}

/// A cloned lam.toml copies no credential-looking shell variable into a
/// deployed configuration, and grants no wildcard IAM statement, until the
/// user trusts it; both are refused before any AWS call.
#[test]
fn a_cloned_lam_toml_widens_nothing_until_trusted() {
    let interpolating = "[project]\nname = \"cloned\"\ninterpolate = [\"DB_PASSWORD\"]\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.env]\nDB = \"${DB_PASSWORD}\"\n";
    let dir = project(interpolating, &[("app.py", "def h(e, c):\n    return 1\n")]);
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = lam(dir.path());
        cmd.env("HOME", home.path())
            .env("DB_PASSWORD", "hunter2")
            .args(args);
        cmd.assert()
    };
    let refused = run(&["deploy", "--dry-run", "-v"]).code(3);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("lam.toml is not trusted"), "{stderr}");
    assert!(stderr.contains("lam trust"), "{stderr}");
    assert!(
        calls(stderr.as_bytes()).is_empty(),
        "AWS was called: {stderr}"
    );
    run(&["deploy", "--dry-run", "--trust"]).success();

    let wildcard = "[project]\nname = \"cloned\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[[function.policy]]\nactions = [\"s3:*\"]\nresources = [\"arn:aws:s3:::photos/*\"]\n";
    std::fs::write(dir.path().join("lam.toml"), wildcard).unwrap();
    let refused = run(&["deploy", "--dry-run", "-v"]).code(3);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains("give its role wildcard IAM permissions: s3:* on arn:aws:s3:::photos/*"),
        "{stderr}"
    );
    assert!(
        calls(stderr.as_bytes()).is_empty(),
        "AWS was called: {stderr}"
    );
    // Trusted in this content: the plan goes ahead.
    run(&["trust"]).success();
    run(&["deploy", "--dry-run"]).success();
}

/// A lam.toml in a directory others may write to (as /tmp above the
/// project), or owned by another user, is never read.
#[test]
fn a_lam_toml_planted_above_the_project_is_refused() {
    let shared = tempfile::tempdir().unwrap();
    let work = shared.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        shared.path().join("lam.toml"),
        "[project]\nname = \"planted\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[build]\nscripts = true\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    lam_offline(&work)
        .arg("build")
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "is in a directory every user may write to",
        ))
        .stderr(predicates::str::contains(
            "lam reads only a lam.toml you own",
        ));
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Owned by another user (changing an owner takes root, as CI runs).
    if unsafe { libc::geteuid() } == 0 {
        let status = Command::new("chown")
            .arg("65534")
            .arg(shared.path().join("lam.toml"))
            .status()
            .unwrap();
        assert!(status.success());
        lam_offline(&work)
            .arg("build")
            .assert()
            .code(3)
            .stderr(predicates::str::contains(
                "belongs to another user (uid 65534)",
            ));
    }
}

/// A repository that ships `.venv/bin/python` and `.venv/bin/uv` has lam
/// run neither: builds use the user's own tools, and a local run refuses a
/// venv that git tracks.
#[test]
fn a_repository_s_own_interpreter_and_uv_never_run() {
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("ran.txt");
    let dir = project(
        "[project]\nname = \"shipped\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[build]\ndependencies = \"zip\"\n",
        &[
            ("app.py", "def h(e, c):\n    return 1\n"),
            ("requirements.txt", "six==1.17.0\n"),
            ("e.json", "{}"),
            (".venv/pyvenv.cfg", "home = /usr/bin\n"),
        ],
    );
    use std::os::unix::fs::PermissionsExt;
    for tool in ["python", "uv"] {
        let path = dir.path().join(".venv/bin").join(tool);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho {tool} >> {}\nexit 1\n", marker.display()),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for args in [&["init", "-q"][..], &["add", "-A"][..]] {
        let status = Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .status()
            .unwrap();
        assert!(status.success());
    }
    lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("build")
        .assert()
        .success();
    assert!(!marker.exists(), "lam ran the repository's tool");
    lam_offline(dir.path())
        .args(["invoke", "--local", "--event", "e.json"])
        .assert()
        .code(5)
        .stderr(predicates::str::contains("is tracked by git"))
        .stderr(predicates::str::contains(
            "lam runs no interpreter a repository ships",
        ));
    assert!(!marker.exists(), "lam ran the repository's interpreter");
}

/// The same interpreter shipped where `git ls-files` cannot see it: behind
/// a tracked symlink (`.venv -> tools/env`) or in a submodule-like nested
/// repository. Neither `lam doctor` nor a local run executes it; doctor
/// runs no project interpreter at all, even one it could not refuse.
#[test]
fn an_interpreter_shipped_behind_a_link_or_in_a_submodule_never_runs() {
    use std::os::unix::fs::PermissionsExt;
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("ran.txt");
    let script = format!("#!/bin/sh\necho ran >> {}\nexit 1\n", marker.display());
    let git = |dir: &Path, args: &[&str]| {
        let status = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    let toml =
        "[project]\nname = \"linked\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n";
    let files = [("app.py", "def h(e, c):\n    return 1\n"), ("e.json", "{}")];
    let write_env = |env: &Path| {
        std::fs::create_dir_all(env.join("bin")).unwrap();
        // No version in pyvenv.cfg or the name: only running it would tell.
        std::fs::write(env.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::write(env.join("bin/python"), &script).unwrap();
        std::fs::set_permissions(
            env.join("bin/python"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    };

    // A tracked symlink.
    let linked = project(toml, &files);
    write_env(&linked.path().join("tools/env"));
    std::os::unix::fs::symlink("tools/env", linked.path().join(".venv")).unwrap();
    git(linked.path(), &["init", "-q"]);
    git(linked.path(), &["add", "-A"]);
    // A nested repository (what a submodule checks out).
    let nested = project(toml, &files);
    write_env(&nested.path().join(".venv"));
    git(&nested.path().join(".venv"), &["init", "-q"]);
    git(&nested.path().join(".venv"), &["add", "-A"]);
    git(nested.path(), &["init", "-q"]);

    for (dir, says) in [
        (&linked, "a symbolic link"),
        (&nested, "a git repository of its own"),
    ] {
        let doctor = lam_offline(dir.path())
            .args(["doctor", "--no-aws"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&doctor.stdout).into_owned()
            + &String::from_utf8_lossy(&doctor.stderr);
        assert!(text.contains(says), "{text}");
        lam_offline(dir.path())
            .args(["invoke", "--local", "--event", "e.json"])
            .assert()
            .code(5)
            .stderr(predicates::str::contains(says));
        assert!(!marker.exists(), "lam ran the repository's interpreter");
    }
    // A venv lam cannot refuse (untracked, no git at all: an unpacked
    // archive looks like this): local runs take it, doctor only reads it.
    let plain = project(toml, &files);
    write_env(&plain.path().join(".venv"));
    let doctor = lam_offline(plain.path())
        .args(["doctor", "--no-aws"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&doctor.stdout).contains("doctor runs no project code"),
        "{}",
        String::from_utf8_lossy(&doctor.stdout)
    );
    assert!(!marker.exists(), "lam doctor ran the project's interpreter");
}

/// Runs `lam ARGS` in `dir` on a pseudo-terminal (script(1)), against moto,
/// and returns what the terminal received.
fn on_a_terminal(dir: &Path, args: &str) -> String {
    let lam = assert_cmd::cargo::cargo_bin("lam");
    let out = Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!("{} {args}", lam.display()))
        .arg("/dev/null")
        .current_dir(dir)
        .env_clear()
        .envs(lam_environment(dir))
        .env("TERM", "xterm")
        .env("AWS_ENDPOINT_URL", moto())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "`lam {args}` failed:\n{text}");
    text
}

/// Values read back from AWS are shown escaped by every command that
/// prints them: an env value, a log line, a plan's change. A pipe
/// gets `secrets get --reveal`'s exact bytes.
#[test]
fn remote_text_reaches_no_terminal_unescaped() {
    let name = unique("escapes");
    let toml = format!(
        "[project]\nname = \"escapes\"\n[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\nrole = \"{ROLE_ARN}\"\n[function.env]\nGREETING = \"hi\"\n"
    );
    let dir = project(&toml, &[("app.py", "def handler(e, c):\n    return 1\n")]);
    lam(dir.path()).arg("deploy").assert().success();
    // Someone with access to the account rewrites the configuration.
    let evil = "hi\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}txt.exe";
    block_on(
        lambda_client()
            .update_function_configuration()
            .function_name(&name)
            .environment(
                aws_sdk_lambda::types::Environment::builder()
                    .variables("GREETING", evil)
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let group = format!("/aws/lambda/{name}");
    create_log_group(&group);
    put_logs(
        &group,
        "2026/12/07/[$LATEST]abc",
        &[(now_ms(), format!("line {evil}"))],
    );

    // What the attacker's value would do if it reached the terminal raw.
    let raw = |text: &str| {
        text.contains("\u{1b}]0;owned") || text.contains('\u{9b}') || text.contains('\u{202e}')
    };
    // Each command, and whether it shows the value (status and the plan
    // name the key only), run on a terminal (a pseudo-terminal by script(1)).
    for (args, shows) in [
        ("env list --remote --show-values", true),
        ("env diff", true),
        ("status", false),
        ("deploy --dry-run", false),
        ("logs --since 1h", true),
    ] {
        let out = on_a_terminal(dir.path(), args);
        assert!(!raw(&out), "`lam {args}` printed raw control text:\n{out}");
        assert!(
            !shows || out.contains("\\x1b]0;owned"),
            "`lam {args}` shows the value escaped:\n{out}"
        );
    }

    // A secret's exact bytes through a pipe.
    let secret = "escapes/dev/TOKEN";
    block_on(
        aws_sdk_secretsmanager::Client::new(&sdk_config())
            .create_secret()
            .name(secret)
            .secret_string(evil)
            .send(),
    )
    .unwrap();
    let out = lam(dir.path())
        .args(["secrets", "get", "TOKEN", "--reveal"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{evil}\n"));
}

/// Requirement files name packages, not the user's files: a requirements
/// line that reads ~/.aws/credentials (pip would echo its lines in an
/// error) and a package.json dependency on a directory outside the
/// project are refused before anything is installed.
#[test]
fn requirement_files_cannot_reach_files_outside_the_project() {
    let outside = tempfile::tempdir().unwrap();
    let credentials = outside.path().join("credentials");
    std::fs::write(&credentials, "aws_secret_access_key = SEKRIT\n").unwrap();
    for line in [
        format!("-r {}", credentials.display()),
        format!("--constraint={}", credentials.display()),
        format!("-e {}", outside.path().display()),
        format!("secret @ file://{}", credentials.display()),
        format!("secret @ {}", outside.path().display()),
        "./local-package".to_string(),
    ] {
        let dir = project(
            "[project]\nname = \"reqs\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n",
            &[
                ("app.py", "def h(e, c):\n    return 1\n"),
                ("requirements.txt", &format!("six==1.17.0\n{line}\n")),
            ],
        );
        let out = lam_offline(dir.path())
            .env("LAM_PYTHON", test_python())
            .arg("build")
            .assert()
            .code(3);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("requirements.txt:2: names a file or directory"),
            "{line}: {stderr}"
        );
        assert!(!stderr.contains("SEKRIT"), "{stderr}");
    }
    let dir = project(
        "[project]\nname = \"pkgs\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n",
        &[
            ("index.js", "exports.handler = async () => 1;\n"),
            (
                "package.json",
                &format!(
                    "{{\"name\": \"app\", \"dependencies\": {{\"keys\": \"file:{}\"}}}}",
                    outside.path().display()
                ),
            ),
        ],
    );
    lam_offline(dir.path())
        .arg("build")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("which is not inside the project"));
    // A bare path is a file: dependency to npm.
    std::fs::write(
        dir.path().join("package.json"),
        format!(
            "{{\"name\": \"app\", \"dependencies\": {{\"keys\": \"{}\"}}}}",
            outside.path().display()
        ),
    )
    .unwrap();
    lam_offline(dir.path())
        .arg("build")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("which is not inside the project"));
}

/// A repository that ships a `.lam/deps` (a dependency tree marked
/// complete, with a backdoored module) gets it replaced: lam uses only what
/// it installed itself, as its witness outside the project says; a `.lam`
/// that links elsewhere is refused.
#[test]
fn a_shipped_dependency_cache_is_not_used() {
    let files = [
        ("app.py", "import six\ndef h(e, c):\n    return 1\n"),
        ("requirements.txt", "six==1.17.0\n"),
    ];
    let toml = "[project]\nname = \"shipped-cache\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[build]\ndependencies = \"zip\"\n";
    let build = |dir: &Path| {
        lam_offline(dir)
            .env("LAM_PYTHON", test_python())
            .arg("build")
            .assert()
            .success();
    };
    // The attacker's own build, with the tree edited afterwards.
    let theirs = project(toml, &files);
    build(theirs.path());
    let deps = theirs.path().join(".lam/deps");
    let tree = std::fs::read_dir(&deps)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    // A new file, as a clone makes it (an installer may have hard-linked
    // the old one to its own cache).
    std::fs::remove_file(tree.join("python/six.py")).unwrap();
    std::fs::write(tree.join("python/six.py"), "BACKDOOR = True\n").unwrap();
    for entry in std::fs::read_dir(&deps).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::remove_file(path).unwrap();
        }
    }
    // The clone: the same files, with their .lam/deps.
    let mine = project(toml, &files);
    let status = Command::new("cp")
        .arg("-a")
        .arg(theirs.path().join(".lam"))
        .arg(mine.path())
        .status()
        .unwrap();
    assert!(status.success());
    build(mine.path());
    let zip = std::fs::read(mine.path().join(".lam/build/function.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut six = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("six.py").unwrap(), &mut six).unwrap();
    assert!(!six.contains("BACKDOOR"), "the shipped tree was packaged");
    assert!(six.contains("Utilities for writing code that runs on Python 2 and 3"));

    // A later checkout that brings a marker of the old form (the installer's
    // name alone) into the tree lam installed at that path: refused too.
    let tree = std::fs::read_dir(mine.path().join(".lam/deps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    std::fs::remove_file(tree.join("python/six.py")).unwrap();
    std::fs::write(tree.join("python/six.py"), "BACKDOOR = True\n").unwrap();
    std::fs::write(tree.join(".lam-complete"), "uv").unwrap();
    for entry in std::fs::read_dir(mine.path().join(".lam/deps")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::remove_file(path).unwrap();
        }
    }
    build(mine.path());
    let zip = std::fs::read(mine.path().join(".lam/build/function.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut six = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("six.py").unwrap(), &mut six).unwrap();
    assert!(
        !six.contains("BACKDOOR"),
        "a forged marker was taken for lam's"
    );

    // .lam linking elsewhere.
    let linked = project(toml, &files);
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), linked.path().join(".lam")).unwrap();
    lam_offline(linked.path())
        .env("LAM_PYTHON", test_python())
        .arg("build")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("is not a directory of lam's own"));
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// A public endpoint in front of a role with wildcard permissions is
/// refused even from a trusted lam.toml, unless asked for by name.
#[test]
fn a_public_endpoint_before_a_wildcard_role_needs_its_own_flag() {
    let toml = |auth: &str| {
        format!(
            "[project]\nname = \"open\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.api]\nkind = \"url\"\n{auth}[[function.policy]]\nactions = [\"dynamodb:*\"]\nresources = [\"*\"]\n"
        )
    };
    let dir = project(&toml(""), &[("app.py", "def h(e, c):\n    return 1\n")]);
    lam(dir.path())
        .args(["deploy", "--dry-run", "--trust", "-v"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "would put a public endpoint in front of a role with wildcard permissions (dynamodb:* on *)",
        ))
        .stderr(predicates::str::contains("--allow-public-wildcard-role"));
    lam(dir.path())
        .args([
            "deploy",
            "--dry-run",
            "--trust",
            "--allow-public-wildcard-role",
        ])
        .assert()
        .success();
    std::fs::write(dir.path().join("lam.toml"), toml("auth = \"AWS_IAM\"\n")).unwrap();
    lam(dir.path())
        .args(["deploy", "--dry-run", "--trust"])
        .assert()
        .success();
}

/// A repository can ship compiled files for the tree lam installs at a
/// predictable path: an unchecked-hash .pyc is never compared with its
/// source, so Python would run it in place of the package a reviewer read.
/// A bytecode cache lam did not make is removed before a local run.
#[test]
fn a_shipped_bytecode_cache_is_not_run() {
    let python = test_python();
    let probe = Command::new(&python)
        .args(["-c", "import sys; print('python%d.%d %s' % (sys.version_info[0], sys.version_info[1], sys.implementation.cache_tag))"])
        .output()
        .unwrap();
    let probe = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    let (runtime, tag) = probe.split_once(' ').unwrap();
    let dir = project(
        &format!(
            "[project]\nname = \"pyc\"\n[function]\nruntime = \"{runtime}\"\nhandler = \"app.h\"\n[build]\ndependencies = \"zip\"\n"
        ),
        &[
            (
                "app.py",
                "import six\ndef h(e, c):\n    return getattr(six, 'PWNED', 'clean')\n",
            ),
            ("requirements.txt", "six==1.17.0\n"),
            ("e.json", "{}"),
        ],
    );
    let invoke = || {
        let out = lam_offline(dir.path())
            .env("LAM_PYTHON", &python)
            .args(["invoke", "--local", "--event", "e.json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(invoke(), "\"clean\"");
    // What a clone would bring: a compiled six for the tree's path, in a
    // cache without lam's witness.
    let root = dir.path().canonicalize().unwrap();
    let six = std::fs::read_dir(root.join(".lam/deps"))
        .unwrap()
        .map(|e| e.unwrap().path().join("python/six.py"))
        .find(|p| p.is_file())
        .unwrap();
    let cache = root.join(".lam/pycache");
    std::fs::remove_dir_all(&cache).unwrap();
    let mirrored = cache
        .join(six.parent().unwrap().strip_prefix("/").unwrap())
        .join(format!("six.{tag}.pyc"));
    std::fs::create_dir_all(mirrored.parent().unwrap()).unwrap();
    let evil = root.join("evil_six.py");
    std::fs::write(&evil, "PWNED = 'pwned'\n").unwrap();
    let status = Command::new(&python)
        .arg("-c")
        .arg(format!(
            "import py_compile; py_compile.compile({:?}, cfile={:?}, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)",
            evil.display().to_string(),
            mirrored.display().to_string()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(invoke(), "\"clean\"", "the shipped bytecode ran");
}

/// A request path is the client's bytes: lam serve's request log shows a
/// C1 control in it (UTF-8 for U+009B, the one-character CSI) escaped.
#[test]
fn lam_serves_request_log_escapes_the_clients_bytes() {
    let (dir, _marker) = crate::serve::marking_project();
    let serve = crate::serve::Serve::start(dir.path(), &[]);
    let port = serve.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            &[
                &b"GET /a\xc2\x9b2J HTTP/1.1\r\nHost: 127.0.0.1:"[..],
                port.to_string().as_bytes(),
                b"\r\nConnection: close\r\n\r\n",
            ]
            .concat(),
        )
        .unwrap();
    let mut answer = Vec::new();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.read_to_end(&mut answer);
    std::thread::sleep(Duration::from_millis(300));
    let log = serve.log.lock().unwrap().clone();
    assert!(!log.contains('\u{9b}'), "{log}");
    assert!(log.contains("/a\\x9b2J"), "{log}");
}
