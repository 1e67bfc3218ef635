//! `--debug` driven by real debuggers: a Debug Adapter Protocol client
//! speaks to debugpy, a Chrome DevTools Protocol client to Node.js's
//! inspector. Each sets breakpoints before the first event, is stopped at
//! module scope during init and inside the handler, reads a local
//! variable, holds the handler past its timeout (which stands still while
//! a debugger is attached), and lets it finish.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::*;

/// A port nothing listens on now.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Connects to `port` once something listens there (debugpy may first be
/// installed into lam's cache, which takes a few seconds once).
pub(crate) fn connect(port: u16, child: &mut Child) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            return stream;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("lam exited ({status}) before the debugger port opened");
        }
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// --- Debug Adapter Protocol -------------------------------------------------

/// A DAP client over TCP: Content-Length framed JSON messages.
pub(crate) struct Dap {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    seq: i64,
    /// Messages read while waiting for another one.
    pending: Vec<Value>,
}

impl Dap {
    pub(crate) fn new(stream: TcpStream) -> Dap {
        Dap {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
            seq: 0,
            pending: Vec::new(),
        }
    }

    pub(crate) fn send(&mut self, command: &str, arguments: Value) -> i64 {
        self.seq += 1;
        let body =
            json!({"seq": self.seq, "type": "request", "command": command, "arguments": arguments})
                .to_string();
        write!(self.writer, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.seq
    }

    pub(crate) fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "debugpy closed the connection"
            );
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length:") {
                length = n.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        if std::env::var_os("LAM_TEST_TRACE").is_some() {
            eprintln!("dap <- {}", String::from_utf8_lossy(&body));
        }
        serde_json::from_slice(&body).unwrap()
    }

    /// The first message (read before or now) that `matches`.
    pub(crate) fn wait(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&matches) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "no {what}: {:?}", self.pending);
            let message = self.read();
            if matches(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    /// Reads until debugpy says the session ended or closes the connection.
    pub(crate) fn until_ended(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line.contains("\"terminated\"") => return,
                Ok(_) => {}
            }
        }
        panic!("the debug session did not end");
    }

    pub(crate) fn response(&mut self, seq: i64) -> Value {
        let r = self.wait(&format!("response to {seq}"), |m| {
            m["type"] == "response" && m["request_seq"] == seq
        });
        assert_eq!(r["success"], true, "{r}");
        r
    }

    pub(crate) fn call(&mut self, command: &str, arguments: Value) -> Value {
        let seq = self.send(command, arguments);
        self.response(seq)
    }

    /// Waits for the next stop; returns its thread and top frame.
    pub(crate) fn stopped(&mut self) -> (i64, Value) {
        let event = self.wait("stopped event", |m| m["event"] == "stopped");
        let thread = event["body"]["threadId"].as_i64().unwrap();
        let trace = self.call("stackTrace", json!({"threadId": thread}));
        (thread, trace["body"]["stackFrames"][0].clone())
    }

    pub(crate) fn local(&mut self, frame: &Value, name: &str) -> String {
        let scopes = self.call("scopes", json!({"frameId": frame["id"]}));
        let locals = scopes["body"]["scopes"][0]["variablesReference"].clone();
        let vars = self.call("variables", json!({"variablesReference": locals}));
        vars["body"]["variables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {vars}"))["value"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub(crate) fn evaluate(&mut self, frame: &Value, expression: &str) -> String {
        let r = self.call(
            "evaluate",
            json!({"expression": expression, "frameId": frame["id"], "context": "repl"}),
        );
        r["body"]["result"].as_str().unwrap().to_string()
    }

    /// Attaches as an editor does: breakpoints in the project's file,
    /// mapped to the task root the code runs from.
    pub(crate) fn attach(&mut self, project: &Path, task_root: &Path, file: &Path, lines: &[u32]) {
        self.call(
            "initialize",
            json!({"clientID": "lam-tests", "adapterID": "debugpy", "pathFormat": "path",
                   "linesStartAt1": true, "columnsStartAt1": true}),
        );
        let attach = self.send(
            "attach",
            json!({"justMyCode": false,
                   "pathMappings": [{"localRoot": project, "remoteRoot": task_root}]}),
        );
        self.wait("initialized event", |m| m["event"] == "initialized");
        let set = self.call(
            "setBreakpoints",
            json!({"source": {"path": file},
                   "breakpoints": lines.iter().map(|l| json!({"line": l})).collect::<Vec<_>>()}),
        );
        assert_eq!(
            set["body"]["breakpoints"].as_array().unwrap().len(),
            lines.len(),
            "{set}"
        );
        self.call("configurationDone", json!({}));
        self.response(attach);
    }
}

const PY_APP: &str = "import time\nGREETING = 'hi'\nCALLS = []\ndef handler(event, context):\n    name = event.get('name', 'world')\n    CALLS.append(name)\n    return {'msg': GREETING + ' ' + name, 'calls': len(CALLS), 'remaining': context.get_remaining_time_in_millis()}\n";
/// Module scope (init) and the handler's `CALLS.append` line.
pub(crate) const PY_INIT_LINE: u32 = 2;
pub(crate) const PY_HANDLER_LINE: u32 = 6;

pub(crate) fn python_project(extra: &str) -> tempfile::TempDir {
    project(
        &format!(
            "[project]\nname = \"dbg\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 2\n{extra}"
        ),
        &[("app.py", PY_APP), ("e.json", r#"{"name": "Zoë"}"#)],
    )
}

pub(crate) fn task_root(dir: &Path) -> PathBuf {
    dir.join(".lam").join("task").join("dbg-dev")
}

pub(crate) fn invoke_debug(dir: &Path, port: u16, extra: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("lam"))
        .current_dir(dir)
        .args([
            "invoke",
            "--local",
            "--event",
            "e.json",
            "--debug",
            "--debug-port",
        ])
        .arg(port.to_string())
        .args(extra)
        .env("LAM_PYTHON", test_python())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Steps one invocation through debugpy: stopped at the handler line,
/// `name` read, held past the 2 s timeout, continued.
pub(crate) fn step_python_handler(dap: &mut Dap, name: &str) {
    let (thread, frame) = dap.stopped();
    assert_eq!(frame["line"], PY_HANDLER_LINE, "{frame}");
    assert_eq!(dap.local(&frame, "name"), format!("'{name}'"));
    let remaining: u64 = dap
        .evaluate(&frame, "context.get_remaining_time_in_millis()")
        .parse()
        .unwrap();
    assert!(
        remaining > 3_600_000,
        "the timeout is suspended: {remaining}"
    );
    std::thread::sleep(Duration::from_secs(3));
    // The invocation may end, and the process with it, before debugpy
    // answers: the caller waits for the session's end instead.
    dap.send("continue", json!({"threadId": thread}));
}

fn python_invoke_under_debugpy(extra: &[&str]) {
    let dir = python_project("");
    let port = free_port();
    let mut child = invoke_debug(dir.path(), port, extra);
    let mut dap = Dap::new(connect(port, &mut child));
    let file = dir.path().join("app.py");
    dap.attach(
        dir.path(),
        &task_root(dir.path()),
        &file,
        &[PY_INIT_LINE, PY_HANDLER_LINE],
    );
    // Init: module scope, in the project's own file (mapped back).
    let (thread, frame) = dap.stopped();
    assert_eq!(frame["line"], PY_INIT_LINE, "{frame}");
    assert_eq!(
        frame["source"]["path"].as_str().map(PathBuf::from),
        Some(file.clone()),
        "{frame}"
    );
    dap.call("continue", json!({"threadId": thread}));
    step_python_handler(&mut dap, "Zoë");
    // The runtime ends with the invocation, and with it the session.
    dap.until_ended();
    drop(dap);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let payload: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(payload["msg"], "hi Zoë", "{stderr}");
    assert!(
        stderr.contains(&format!(
            "debugpy on 127.0.0.1:{port} (waiting for a debugger"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("Task timed out"), "{stderr}");
}

#[test]
fn debugpy_stops_at_init_and_in_the_handler_and_the_timeout_waits() {
    python_invoke_under_debugpy(&[]);
}

/// The official client under debugpy: the same session.
#[test]
fn debugpy_debugs_awslambdaric_too() {
    python_invoke_under_debugpy(&["--ric"]);
}

/// Without a debugger attached the timeout applies as usual, and
/// `--no-wait` runs at once; debugpy never enters the package.
#[test]
fn without_a_debugger_the_timeout_applies_and_debugpy_is_not_packaged() {
    let dir = project(
        "[project]\nname = \"dbg\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 1\n",
        &[(
            "app.py",
            "import time\ndef handler(e, c):\n    time.sleep(3)\n    return 1\n",
        )],
    );
    let port = free_port();
    // An empty cache: lam installs debugpy there, once, from the package index.
    let cache = tempfile::tempdir().unwrap();
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .env("XDG_CACHE_HOME", cache.path())
        .args(["invoke", "--local", "--debug", "--no-wait", "--debug-port"])
        .arg(port.to_string())
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("Task timed out after 1.00 seconds"),
        "{stderr}"
    );
    assert!(stderr.contains("Installing debugpy 1.8.22"), "{stderr}");
    let installed = std::fs::read_dir(cache.path().join("lam/debugpy"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.path().join("debugpy/__init__.py").is_file());
    assert!(installed, "debugpy is in lam's cache");
    lam_offline(dir.path()).args(["build"]).assert().success();
    let list = lam_offline(dir.path())
        .args(["build", "--list"])
        .assert()
        .success();
    let listed = String::from_utf8_lossy(&list.get_output().stdout).to_string();
    assert!(!listed.contains("debugpy"), "{listed}");
}

// --- Chrome DevTools Protocol ----------------------------------------------

/// A WebSocket client (RFC 6455: masked text frames out, unmasked in).
struct Cdp {
    stream: TcpStream,
    id: i64,
    pending: Vec<Value>,
}

impl Cdp {
    fn open(port: u16, child: &mut Child) -> Cdp {
        // The inspector's target list names its WebSocket URL.
        let mut list = connect(port, child);
        write!(
            list,
            "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        // The inspector keeps the connection open: read by Content-Length.
        let mut reader = BufReader::new(list);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let targets: Value = serde_json::from_slice(&body).unwrap();
        let url = targets[0]["webSocketDebuggerUrl"]
            .as_str()
            .unwrap()
            .to_string();
        let path = url.split_once(&format!("{port}")).unwrap().1.to_string();
        let mut stream = connect(port, child);
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        assert!(
            head.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&head)
        );
        Cdp {
            stream,
            id: 0,
            pending: Vec::new(),
        }
    }

    fn send(&mut self, method: &str, params: Value) -> i64 {
        self.id += 1;
        let payload = json!({"id": self.id, "method": method, "params": params}).to_string();
        let bytes = payload.as_bytes();
        let mut frame = vec![0x81u8];
        match bytes.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n <= 0xFFFF => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        frame.extend_from_slice(&mask);
        frame.extend(bytes.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).unwrap();
        self.id
    }

    fn read(&mut self) -> Value {
        let mut message = Vec::new();
        loop {
            let mut head = [0u8; 2];
            self.stream.read_exact(&mut head).unwrap();
            let fin = head[0] & 0x80 != 0;
            let opcode = head[0] & 0x0F;
            let mut len = u64::from(head[1] & 0x7F);
            if len == 126 {
                let mut b = [0u8; 2];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from(u16::from_be_bytes(b));
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from_be_bytes(b);
            }
            let mut payload = vec![0u8; len as usize];
            self.stream.read_exact(&mut payload).unwrap();
            assert_ne!(opcode, 8, "the inspector closed the connection");
            if opcode == 1 || opcode == 0 {
                message.extend_from_slice(&payload);
                if fin {
                    return serde_json::from_slice(&message).unwrap();
                }
            }
        }
    }

    fn wait(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&matches) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "no {what}");
            let message = self.read();
            if matches(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let r = self.wait(method, |m| m["id"] == id);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r
    }

    fn paused(&mut self) -> Value {
        let event = self.wait("Debugger.paused", |m| m["method"] == "Debugger.paused");
        event["params"]["callFrames"][0].clone()
    }

    fn evaluate(&mut self, frame: &Value, expression: &str) -> Value {
        let r = self.call(
            "Debugger.evaluateOnCallFrame",
            json!({"callFrameId": frame["callFrameId"], "expression": expression, "returnByValue": true}),
        );
        r["result"]["result"]["value"].clone()
    }
}

const NODE_APP: &str = "const GREETING = 'hi';\nconst calls = [];\nexport const handler = async (event, context) => {\n  const name = event.name;\n  calls.push(name);\n  return { msg: `${GREETING} ${name}`, calls: calls.length, remaining: context.getRemainingTimeInMillis() };\n};\n";
/// 0-based, as CDP counts: module scope, and `calls.push`.
const NODE_INIT_LINE: u32 = 0;
const NODE_HANDLER_LINE: u32 = 4;

pub(crate) fn node_project(extra: &str) -> tempfile::TempDir {
    project(
        &format!(
            "[project]\nname = \"dbg\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\ntimeout = 2\n{extra}"
        ),
        &[("index.mjs", NODE_APP), ("e.json", r#"{"name": "Zoë"}"#)],
    )
}

/// Breakpoints by URL before the module is parsed, then the runtime is let go.
fn node_breakpoints(cdp: &mut Cdp) {
    cdp.call("Runtime.enable", json!({}));
    cdp.call("Debugger.enable", json!({}));
    for line in [NODE_INIT_LINE, NODE_HANDLER_LINE] {
        cdp.call(
            "Debugger.setBreakpointByUrl",
            json!({"lineNumber": line, "urlRegex": "/\\.lam/task/dbg-dev/index\\.mjs$"}),
        );
    }
    cdp.call("Runtime.runIfWaitingForDebugger", json!({}));
}

fn step_node_handler(cdp: &mut Cdp, name: &str) {
    let frame = cdp.paused();
    assert_eq!(
        frame["location"]["lineNumber"], NODE_HANDLER_LINE,
        "{frame}"
    );
    assert_eq!(cdp.evaluate(&frame, "name"), json!(name));
    let remaining = cdp.evaluate(&frame, "context.getRemainingTimeInMillis()");
    assert!(
        remaining.as_f64().is_some_and(|r| r > 3_600_000.0),
        "the timeout is suspended: {remaining}"
    );
    std::thread::sleep(Duration::from_secs(3));
    // The process may end before the inspector answers.
    cdp.send("Debugger.resume", json!({}));
}

#[test]
fn the_node_inspector_stops_at_init_and_in_the_handler_and_the_timeout_waits() {
    node_invoke_under_the_inspector(&[]);
}

/// aws-lambda-ric under the inspector: the same session.
#[test]
fn the_node_inspector_debugs_aws_lambda_ric_too() {
    node_invoke_under_the_inspector(&["--ric"]);
}

fn node_invoke_under_the_inspector(extra: &[&str]) {
    let dir = node_project("");
    if extra.contains(&"--ric") {
        let modules = node_ric_modules(3);
        assert!(
            modules.join("aws-lambda-ric/package.json").is_file(),
            "aws-lambda-ric is not installed in {} (bash .ci/run installs it)",
            modules.display()
        );
        std::os::unix::fs::symlink(&modules, dir.path().join("node_modules")).unwrap();
    }
    let port = free_port();
    let mut child = invoke_debug(dir.path(), port, extra);
    let mut cdp = Cdp::open(port, &mut child);
    node_breakpoints(&mut cdp);
    let frame = cdp.paused();
    assert_eq!(frame["location"]["lineNumber"], NODE_INIT_LINE, "{frame}");
    // The script is the read-only copy the runtime runs from.
    let script = frame["location"]["scriptId"].clone();
    let parsed = cdp.wait("its Debugger.scriptParsed", |m| {
        m["method"] == "Debugger.scriptParsed" && m["params"]["scriptId"] == script
    });
    assert!(
        parsed["params"]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/.lam/task/dbg-dev/index.mjs")),
        "{parsed}"
    );
    cdp.call("Debugger.resume", json!({}));
    step_node_handler(&mut cdp, "Zoë");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let payload: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(payload["msg"], "hi Zoë", "{stderr}");
    assert!(!stderr.contains("Task timed out"), "{stderr}");
}

// --- lam serve --debug -------------------------------------------------------

/// `lam serve --debug` on an HTTP API, and a request sent in the background
/// (it waits while the handler is stopped).
fn serve_debug(dir: &Path, port: u16) -> (Child, u16) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lam"))
        .current_dir(dir)
        .args(["serve", "--port", "0", "--debug", "--debug-port"])
        .arg(port.to_string())
        .env("LAM_PYTHON", test_python())
        .env("NO_COLOR", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let http = loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "lam serve ended:\n{seen}"
        );
        seen.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("Listening on http://") {
            break rest.rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    assert!(seen.contains(&format!("127.0.0.1:{port}")), "{seen}");
    std::thread::spawn(move || for _ in reader.lines() {});
    (child, http)
}

fn get(port: u16, path: &str) -> std::thread::JoinHandle<Value> {
    let path = path.to_string();
    std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(90)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap()
    })
}

const API: &str = "[function.api]\nkind = \"http\"\n";
const PY_API_APP: &str = "import json\nCALLS = []\ndef handler(event, context):\n    name = event['queryStringParameters']['name']\n    CALLS.append(name)\n    return {'statusCode': 200, 'body': json.dumps({'name': name, 'calls': len(CALLS), 'remaining': context.get_remaining_time_in_millis()})}\n";

/// Two requests reach the same debug session, held past the timeout;
/// module state survives between them as in a warm Lambda environment.
#[test]
fn lam_serve_debug_keeps_one_session_for_two_requests_with_debugpy() {
    let dir = project(
        &format!(
            "[project]\nname = \"dbg\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 2\n{API}"
        ),
        &[("app.py", PY_API_APP)],
    );
    let port = free_port();
    let (mut child, http) = serve_debug(dir.path(), port);
    let mut dap = Dap::new(connect(port, &mut child));
    dap.attach(
        dir.path(),
        &task_root(dir.path()),
        &dir.path().join("app.py"),
        &[5],
    );
    for (i, name) in ["ann", "bob"].iter().enumerate() {
        let reply = get(http, &format!("/?name={name}"));
        let (thread, frame) = dap.stopped();
        assert_eq!(frame["line"], 5, "{frame}");
        assert_eq!(dap.local(&frame, "name"), format!("'{name}'"));
        std::thread::sleep(Duration::from_secs(3));
        dap.call("continue", json!({"threadId": thread}));
        let body = reply.join().unwrap();
        assert_eq!(body["name"], *name);
        assert_eq!(body["calls"], i + 1, "warm state survives: {body}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

const NODE_API_APP: &str = "let calls = 0;\nexport const handler = async (event, context) => {\n  const name = event.queryStringParameters.name;\n  calls += 1;\n  return { statusCode: 200, body: JSON.stringify({ name, calls }) };\n};\n";

#[test]
fn lam_serve_debug_keeps_one_session_for_two_requests_with_the_inspector() {
    let dir = project(
        &format!(
            "[project]\nname = \"dbg\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\ntimeout = 2\n{API}"
        ),
        &[("index.mjs", NODE_API_APP)],
    );
    let port = free_port();
    let (mut child, http) = serve_debug(dir.path(), port);
    let mut cdp = Cdp::open(port, &mut child);
    cdp.call("Runtime.enable", json!({}));
    cdp.call("Debugger.enable", json!({}));
    cdp.call(
        "Debugger.setBreakpointByUrl",
        json!({"lineNumber": 3, "urlRegex": "/\\.lam/task/dbg-dev/index\\.mjs$"}),
    );
    cdp.call("Runtime.runIfWaitingForDebugger", json!({}));
    for (i, name) in ["ann", "bob"].iter().enumerate() {
        let reply = get(http, &format!("/?name={name}"));
        let frame = cdp.paused();
        assert_eq!(frame["location"]["lineNumber"], 3, "{frame}");
        assert_eq!(cdp.evaluate(&frame, "name"), json!(name));
        std::thread::sleep(Duration::from_secs(3));
        cdp.call("Debugger.resume", json!({}));
        let body = reply.join().unwrap();
        assert_eq!(body["name"], *name);
        assert_eq!(body["calls"], i + 1, "warm state survives: {body}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// `lam debug-config vscode` writes attach configurations whose ports and
/// path mappings match what `--debug` uses, beside what launch.json holds.
#[test]
fn debug_config_writes_matching_attach_configurations() {
    let dir = project(
        "[project]\nname = \"dbg\"\n[functions.api]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[functions.web]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n",
        &[("app.py", PY_APP), ("index.mjs", NODE_APP)],
    );
    std::fs::create_dir_all(dir.path().join(".vscode")).unwrap();
    std::fs::write(
        dir.path().join(".vscode/launch.json"),
        "{\n  // mine\n  \"version\": \"0.2.0\",\n  \"configurations\": [\n    {\"name\": \"Mine\", \"type\": \"node\", \"request\": \"launch\"},\n  ]\n}\n",
    )
    .unwrap();
    lam_offline(dir.path())
        .args(["debug-config", "vscode"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join(".vscode/launch.json")).unwrap();
    assert!(
        text.contains("// mine") && text.contains("\"Mine\""),
        "{text}"
    );
    let printed = lam_offline(dir.path())
        .args(["debug-config", "vscode", "--print"])
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&printed.get_output().stdout).unwrap();
    let configs = doc["configurations"].as_array().unwrap();
    assert_eq!(configs[0]["type"], "debugpy");
    assert_eq!(configs[0]["connect"]["port"], 5678);
    assert_eq!(
        configs[0]["pathMappings"][0]["remoteRoot"],
        dir.path()
            .join(".lam/task/dbg-dev-api")
            .to_string_lossy()
            .as_ref()
    );
    assert_eq!(configs[1]["type"], "node");
    assert_eq!(configs[1]["port"], 5679, "the second function's port");
    for c in configs {
        assert!(text.contains(c["name"].as_str().unwrap()), "{text}");
    }
    // Run again: nothing is added twice.
    lam_offline(dir.path())
        .args(["debug-config", "vscode"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".vscode/launch.json")).unwrap(),
        text
    );
}
