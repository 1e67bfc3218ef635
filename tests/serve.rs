//! `lam serve` over real HTTP: API Gateway events in and out, CORS, warm
//! runtimes, and the Lambda Invoke API as boto3 calls it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::*;

/// A running `lam serve`, stopped when dropped.
pub(crate) struct Serve {
    child: Child,
    pub(crate) port: u16,
    _dir: Option<tempfile::TempDir>,
    /// What the server printed, one line a request.
    pub(crate) log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Serve {
    pub(crate) fn start(dir: &Path, extra: &[&str]) -> Serve {
        Serve::start_with(dir, extra, &[])
    }

    /// With `env` set; without it, lam serve has no AWS credentials at all
    /// (so only the form of the Invoke API's signatures is checked).
    pub(crate) fn start_with(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Serve {
        let none = dir.join("no-aws-files");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("lam"))
            .current_dir(dir)
            .args(["serve", "--port", "0"])
            .args(extra)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE")
            .env("AWS_SHARED_CREDENTIALS_FILE", &none)
            .env("AWS_CONFIG_FILE", &none)
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .env("LAM_PYTHON", test_python())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lam serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut reader = BufReader::new(stderr);
        let mut port = None;
        let mut seen = String::new();
        for _ in 0..50 {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            seen.push_str(&line);
            if let Some(rest) = line.trim().strip_prefix("Listening on http://") {
                port = rest.rsplit(':').next().and_then(|p| p.parse().ok());
                break;
            }
        }
        // Keep draining stderr so the server never blocks on a full pipe.
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let port = port.unwrap_or_else(|| panic!("lam serve did not start:\n{seen}"));
        Serve {
            child,
            port,
            _dir: None,
            log,
        }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let host = format!("127.0.0.1:{}", self.port);
        self.request_as(&host, method, path, headers, body)
    }

    /// A request whose Host header is `host` (what a page using DNS
    /// rebinding would send).
    fn request_as(
        &self,
        host: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let (status, head, body) = exchange(self.port, host, method, path, headers, body);
        Reply {
            status,
            head,
            body: String::from_utf8_lossy(&body).to_string(),
        }
    }
}

/// One request on a fresh connection to `port` (closed after it): the
/// status, the head lower-cased, and the body's bytes.
pub(crate) fn exchange(
    port: u16,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    (status, head, body)
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    /// Status line and headers, lowercased.
    head: String,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn generated(template: &str, runtime: &str) -> tempfile::TempDir {
    let parent = tempfile::tempdir().unwrap();
    lam_offline(parent.path())
        .args(["new", "svc", "--template", template, "--runtime", runtime])
        .assert()
        .success();
    parent
}

fn exercise_api_template(serve: &Serve) {
    let empty = serve.request("GET", "/items", &[], "");
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.json()["items"], serde_json::json!([]));

    let created = serve.request(
        "POST",
        "/items",
        &[("Content-Type", "application/json")],
        "{\"name\": \"pen\"}",
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["name"], "pen");

    // The item is still there: the same warm process, module state kept.
    let got = serve.request("GET", "/items/1", &[], "");
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.json()["name"], "pen");

    let bad = serve.request(
        "POST",
        "/items",
        &[("Content-Type", "application/json")],
        "{oops",
    );
    assert_eq!(bad.status, 400);
    let missing = serve.request("POST", "/items", &[], "");
    assert_eq!(missing.status, 400);

    let preflight = serve.request(
        "OPTIONS",
        "/items",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        "",
    );
    assert_eq!(preflight.status, 204);
    assert!(
        preflight.head.contains("access-control-allow-origin: *"),
        "{}",
        preflight.head
    );
    assert!(
        preflight
            .head
            .contains("access-control-allow-methods: get,post,options"),
        "{}",
        preflight.head
    );
}

#[test]
fn the_python_api_template_answers_over_http() {
    let parent = generated("api", "python3.12");
    let serve = Serve::start(&parent.path().join("svc"), &["--concurrency", "1"]);
    exercise_api_template(&serve);
}

#[test]
fn the_node_api_template_answers_over_http() {
    let parent = generated("api", "nodejs22.x");
    let serve = Serve::start(&parent.path().join("svc"), &["--concurrency", "1"]);
    exercise_api_template(&serve);
}

const ECHO: &str = r#"
import base64, json, os
CALLS = 0
def handler(event, context):
    global CALLS
    CALLS += 1
    print("handling call", CALLS)
    return {"statusCode": 200, "headers": {"X-Calls": str(CALLS)}, "cookies": ["sid=1"],
            "body": json.dumps({"event": event, "calls": CALLS, "pid": os.getpid()})}
"#;

#[test]
fn http_api_events_routes_and_cors_from_lam_toml() {
    let toml = "[project]\nname = \"h\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n\
                [api]\nkind = \"http\"\nroutes = [\"GET /items/{id}\", \"POST /items\"]\n\
                [api.cors]\norigins = [\"https://app.example\"]\nmethods = [\"GET\", \"POST\"]\nmax_age = 300\n";
    let dir = project(toml, &[("app.py", ECHO)]);
    let serve = Serve::start(dir.path(), &["--concurrency", "1"]);

    let reply = serve.request(
        "GET",
        "/items/42?x=1&x=2",
        &[("Origin", "https://app.example"), ("Cookie", "a=1; b=2")],
        "",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let doc = reply.json();
    let event = &doc["event"];
    assert_eq!(event["version"], "2.0");
    assert_eq!(event["routeKey"], "GET /items/{id}");
    assert_eq!(event["pathParameters"]["id"], "42");
    assert_eq!(event["rawQueryString"], "x=1&x=2");
    assert_eq!(event["queryStringParameters"]["x"], "1,2");
    assert_eq!(event["cookies"], serde_json::json!(["a=1", "b=2"]));
    assert!(reply.head.contains("set-cookie: sid=1"), "{}", reply.head);
    assert!(
        reply
            .head
            .contains("access-control-allow-origin: https://app.example"),
        "{}",
        reply.head
    );

    // A second request reuses the warm process.
    let again = serve.request(
        "POST",
        "/items",
        &[("Content-Type", "application/octet-stream")],
        "\u{1}bin",
    );
    let doc2 = again.json();
    assert_eq!(doc2["calls"], 2);
    assert_eq!(doc2["pid"], doc["pid"]);
    assert_eq!(doc2["event"]["isBase64Encoded"], true);

    // Preflight is answered by lam from [api.cors], without calling the function.
    let pre = serve.request(
        "OPTIONS",
        "/items",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        "",
    );
    assert_eq!(pre.status, 204);
    assert!(
        pre.head.contains("access-control-max-age: 300"),
        "{}",
        pre.head
    );
    let third = serve.request("GET", "/items/1", &[], "");
    assert_eq!(third.json()["calls"], 3);

    assert_eq!(serve.request("DELETE", "/items", &[], "").status, 404);
}

#[test]
fn awslambdaric_serves_warm_requests_too() {
    let dir = project(
        "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", ECHO)],
    );
    let serve = Serve::start(dir.path(), &["--ric", "--concurrency", "1"]);
    let first = serve.request("GET", "/one", &[], "").json();
    let second = serve.request("GET", "/two", &[], "").json();
    assert_eq!(first["event"]["path"], "/one");
    assert_eq!(
        (first["calls"].as_i64(), second["calls"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(first["pid"], second["pid"]);
}

#[test]
fn rest_events_and_function_errors() {
    let app = "def handler(event, context):\n    if event['path'] == '/fail':\n        raise ValueError('boom')\n    return {'statusCode': 200, 'body': event['httpMethod'] + ' ' + event['resource']}\n";
    let dir = project(
        "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", app)],
    );
    let serve = Serve::start(dir.path(), &[]);
    let ok = serve.request("PUT", "/a/b", &[], "");
    assert_eq!((ok.status, ok.body.as_str()), (200, "PUT /{proxy+}"));
    let root = serve.request("GET", "/", &[], "");
    assert_eq!(root.body, "GET /");
    let failed = serve.request("GET", "/fail", &[], "");
    assert_eq!(failed.status, 502);
    assert_eq!(failed.json()["message"], "Internal server error");
}

#[test]
fn a_timed_out_runtime_is_replaced() {
    let app = "import time\ndef handler(event, context):\n    if event.get('path') == '/slow':\n        time.sleep(30)\n    return {'statusCode': 200, 'body': 'fast'}\n";
    let dir = project(
        "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 1\n",
        &[("app.py", app)],
    );
    let serve = Serve::start(dir.path(), &["--concurrency", "1"]);
    assert_eq!(serve.request("GET", "/slow", &[], "").status, 502);
    let next = serve.request("GET", "/fast", &[], "");
    assert_eq!((next.status, next.body.as_str()), (200, "fast"));
}

#[test]
fn boto3_invokes_a_local_function_through_the_invoke_api() {
    let dir = project(
        "[project]\nname = \"b3\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", ECHO)],
    );
    let serve = Serve::start(dir.path(), &[]);
    let script = format!(
        r#"
import base64, json, boto3
client = boto3.client("lambda", endpoint_url="http://127.0.0.1:{port}", region_name="us-east-1",
                      aws_access_key_id="x", aws_secret_access_key="x")
r = client.invoke(FunctionName="b3-dev", Payload=json.dumps({{"hello": "boto3"}}), LogType="Tail")
body = json.loads(json.loads(r["Payload"].read())["body"])
log = base64.b64decode(r["LogResult"]).decode()
assert r["StatusCode"] == 200, r
assert "FunctionError" not in r, r
assert body["event"] == {{"hello": "boto3"}}, body
assert "START RequestId" in log and "handling call" in log and "REPORT RequestId" in log, log
assert client.invoke(FunctionName="b3-dev", InvocationType="Event", Payload=b"{{}}")["StatusCode"] == 202
assert client.invoke(FunctionName="b3-dev", InvocationType="DryRun")["StatusCode"] == 204
try:
    client.invoke(FunctionName="nope", Payload=b"{{}}")
    raise SystemExit("expected ResourceNotFoundException")
except client.exceptions.ResourceNotFoundException:
    pass
print("ok")
"#,
        port = serve.port
    );
    run_boto3(&script, "boto3 against the Invoke API");
}

/// Through the Invoke API, with lam's bootstrap and with awslambdaric:
/// module globals survive warm invokes, the client context and tenant id
/// reach the handler, every function error is `X-Amz-Function-Error:
/// Unhandled` with status 200, and a runtime that exits answers
/// Runtime.ExitError and is replaced by a cold one.
#[test]
fn the_invoke_api_passes_context_and_keeps_warm_state_with_both_clients() {
    let app = "import os\nCALLS = 0\ndef handler(e, c):\n    global CALLS\n    CALLS += 1\n    if e.get('fail'):\n        raise ValueError('boom')\n    if e.get('exit'):\n        os._exit(3)\n    cc = c.client_context\n    return {'calls': CALLS, 'pid': os.getpid(), 'custom': cc.custom if cc else None, 'tenant': c.tenant_id}\n";
    let dir = project(
        "[project]\nname = \"ctx\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", app)],
    );
    for client in [&[][..], &["--ric"][..]] {
        let mut args = vec!["--concurrency", "1"];
        args.extend_from_slice(client);
        let serve = Serve::start(dir.path(), &args);
        let script = format!(
            r#"
import base64, json, boto3
client = boto3.client("lambda", endpoint_url="http://127.0.0.1:{port}", region_name="us-east-1",
                      aws_access_key_id="x", aws_secret_access_key="x")
def call(event, **kw):
    r = client.invoke(FunctionName="ctx-dev", Payload=json.dumps(event), **kw)
    return r, json.loads(r["Payload"].read())
cc = base64.b64encode(json.dumps({{"custom": {{"user": "zoë"}}}}).encode()).decode()
r1, first = call({{}}, ClientContext=cc)
assert first["calls"] == 1 and first["custom"] == {{"user": "zoë"}} and first["tenant"] is None, first
r2, second = call({{}}, TenantId="acme-1")
assert second == {{"calls": 2, "pid": first["pid"], "custom": None, "tenant": "acme-1"}}, second
r3, failed = call({{"fail": True}})
assert r3["StatusCode"] == 200 and r3["FunctionError"] == "Unhandled", r3
assert failed["errorType"] == "ValueError" and failed["errorMessage"] == "boom", failed
r4, exited = call({{"exit": True}})
assert r4["StatusCode"] == 200 and r4["FunctionError"] == "Unhandled", r4
assert exited["errorType"] == "Runtime.ExitError", exited
assert exited["errorMessage"].endswith("Error: Runtime exited with error: exit status 3"), exited
r5, cold = call({{}})
assert cold["calls"] == 1 and cold["pid"] != first["pid"], cold
print("ok")
"#,
            port = serve.port
        );
        run_boto3(&script, &format!("{client:?}"));
    }
}

/// Runs a Python script (boto3 against lam serve) with the test venv's
/// interpreter; it must exit 0.
fn run_boto3(script: &str, what: &str) {
    let out = Command::new(test_python())
        .arg("-c")
        .arg(script)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what}: the script failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = project(
        "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", ECHO)],
    );
    lam_offline(dir.path())
        .args(["serve", "--port", &port])
        .assert()
        .code(5)
        .stderr(predicates::str::contains(format!(
            "port {port} on 127.0.0.1 is already in use"
        )))
        .stderr(predicates::str::contains("--port"));
}

#[test]
fn watch_restarts_runtimes_after_a_file_change() {
    let app = "import os\nVERSION = 'one'\ndef handler(event, context):\n    return {'statusCode': 200, 'body': VERSION + ' ' + os.environ.get('GREETING', '-')}\n";
    let toml = "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[function.env]\nGREETING = \"hi\"\n";
    let dir = project(toml, &[("app.py", app)]);
    let serve = Serve::start(dir.path(), &["--watch", "--concurrency", "1"]);
    assert_eq!(serve.request("GET", "/", &[], "").body, "one hi");
    let wait_for = |expected: &str| {
        let mut body = String::new();
        for _ in 0..40 {
            std::thread::sleep(Duration::from_millis(250));
            body = serve.request("GET", "/", &[], "").body;
            if body == expected {
                break;
            }
        }
        assert_eq!(body, expected, "the change was not picked up");
    };
    // Code changes restart the runtime.
    std::fs::write(dir.path().join("app.py"), app.replace("'one'", "'two'")).unwrap();
    wait_for("two hi");
    // lam.toml is read again as well.
    std::fs::write(
        dir.path().join("lam.toml"),
        toml.replace("\"hi\"", "\"hello\""),
    )
    .unwrap();
    wait_for("two hello");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_its_runtimes() {
    let app = "import os\ndef handler(event, context):\n    return {'statusCode': 200, 'body': str(os.getpid())}\n";
    let dir = project(
        "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", app)],
    );
    let mut serve = Serve::start(dir.path(), &[]);
    let pid: i32 = serve
        .request("GET", "/", &[], "")
        .body
        .parse()
        .expect("runtime pid");
    let alive = |pid: i32| std::path::Path::new(&format!("/proc/{pid}")).exists();
    assert!(alive(pid));
    Command::new("kill")
        .args(["-INT", &serve.child.id().to_string()])
        .status()
        .unwrap();
    let status = serve.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "lam serve exits cleanly on Ctrl-C");
    for _ in 0..20 {
        if !alive(pid) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!alive(pid), "runtime process {pid} outlived lam serve");
}

/// A runtime must not outlive its Runtime API: when lam serve is killed
/// outright (no chance to stop its runtimes), each runtime ends on its own
/// once it finds the API gone, Python and Node.js alike.
#[test]
fn runtimes_end_when_lam_is_killed() {
    let python = "import os\ndef handler(event, context):\n    return {'statusCode': 200, 'body': str(os.getpid())}\n";
    let node =
        "export const handler = async () => ({ statusCode: 200, body: String(process.pid) });\n";
    for (runtime, handler, file, code) in [
        ("python3.12", "app.handler", "app.py", python),
        ("nodejs22.x", "index.handler", "index.mjs", node),
    ] {
        let toml = format!("[function]\nruntime = \"{runtime}\"\nhandler = \"{handler}\"\n");
        let dir = project(&toml, &[(file, code)]);
        let mut serve = Serve::start(dir.path(), &[]);
        let pid: i32 = serve
            .request("GET", "/", &[], "")
            .body
            .parse()
            .expect("runtime pid");
        // Running, not a zombie waiting to be reaped.
        let alive = |pid: i32| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rsplit(')')
                    .next()
                    .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
            })
        };
        assert!(alive(pid));
        serve.child.kill().unwrap();
        serve.child.wait().unwrap();
        for _ in 0..50 {
            if !alive(pid) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            !alive(pid),
            "{runtime}: runtime process {pid} outlived a killed lam serve"
        );
    }
}

#[test]
fn a_rest_api_treats_bodies_by_its_binary_media_types() {
    // The handler answers with a base64 body, and says how it got its own.
    let handler = concat!(
        "import base64\n",
        "def lambda_handler(event, context):\n",
        "    got = 'base64' if event['isBase64Encoded'] else 'text'\n",
        "    body = base64.b64encode(b'hi').decode()\n",
        "    return {'statusCode': 200, 'headers': {'X-Got': got}, 'body': body, 'isBase64Encoded': True}\n",
    );
    let dir = project(
        "[project]\nname = \"bin\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[function.api]\nkind = \"rest\"\nbinary_media_types = [\"image/png\"]\n",
        &[("app.py", handler)],
    );
    let serve = Serve::start(dir.path(), &[]);
    // Accept names a binary type first: the body comes back decoded.
    let png = serve.request(
        "POST",
        "/up",
        &[("Content-Type", "image/png"), ("Accept", "image/png")],
        "PNG",
    );
    assert_eq!((png.status, png.body.as_str()), (200, "hi"), "{}", png.head);
    assert!(png.head.contains("x-got: base64"), "{}", png.head);
    // Otherwise API Gateway hands the client the base64 text, and a text
    // request body reaches the handler as text.
    let json = serve.request(
        "POST",
        "/up",
        &[
            ("Content-Type", "text/plain"),
            ("Accept", "application/json"),
        ],
        "hello",
    );
    assert_eq!((json.status, json.body.as_str()), (200, "aGk="));
    assert!(json.head.contains("x-got: text"), "{}", json.head);
}

/// A function's Content-Length is the function's idea of its body; what
/// goes out is API Gateway's. A REST API that does not decode a base64 body
/// sends 5,464 bytes where the function said 4,096: the stated length is
/// remapped to x-amzn-Remapped-Content-Length ("Amazon API Gateway important
/// notes"), the connection's own hop-by-hop headers are dropped, and a
/// second request on the same connection still gets a whole, separate
/// answer, for each kind of front door.
#[test]
fn content_length_is_the_bodys_and_keep_alive_survives_every_response() {
    let handler = concat!(
        "import base64\n",
        "def lambda_handler(event, context):\n",
        "    if event.get('rawPath', event.get('path')) == '/binary':\n",
        "        body = base64.b64encode(bytes(range(256)) * 16).decode()\n",
        "        return {'statusCode': 200, 'isBase64Encoded': True, 'body': body,\n",
        "                'headers': {'Content-Type': 'application/octet-stream', 'Content-Length': '4096',\n",
        "                            'Connection': 'close', 'Transfer-Encoding': 'chunked', 'WWW-Authenticate': 'Basic'}}\n",
        "    return {'statusCode': 200, 'body': 'second'}\n",
    );
    for (kind, decoded) in [("rest", false), ("http", true), ("url", true)] {
        let dir = project(
            &format!(
                "[project]\nname = \"len\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[function.api]\nkind = \"{kind}\"\n"
            ),
            &[("app.py", handler)],
        );
        let serve = Serve::start(dir.path(), &[]);
        let port = serve.port;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        let request = |path: &str| {
            format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n"
            )
        };
        // Both requests at once, on one keep-alive connection.
        std::io::Write::write_all(
            &mut stream,
            format!("{}{}", request("/binary"), request("/second")).as_bytes(),
        )
        .unwrap();
        let mut reader = std::io::BufReader::new(stream);
        let mut answers = Vec::new();
        for _ in 0..2 {
            let mut head = String::new();
            loop {
                let mut line = String::new();
                std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
                head.push_str(&line);
                if line == "\r\n" || line.is_empty() {
                    break;
                }
            }
            let lower = head.to_ascii_lowercase();
            let length: usize = lower
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or_else(|| panic!("{kind}: no content-length: {head}"));
            let mut body = vec![0u8; length];
            std::io::Read::read_exact(&mut reader, &mut body).unwrap();
            answers.push((head, body));
        }
        let (head, body) = &answers[0];
        let lower = head.to_ascii_lowercase();
        let expected = if decoded { 4096 } else { 5464 };
        assert_eq!(body.len(), expected, "{kind}: {head}");
        // Hop-by-hop headers are the connection's, never the function's
        // (a REST API keeps the function's Connection as x-amzn-Remapped-Connection).
        assert!(
            !lower.lines().any(|l| l.starts_with("transfer-encoding:")),
            "{kind}: {head}"
        );
        assert!(
            !lower.lines().any(|l| l.starts_with("connection: close")),
            "{kind}: {head}"
        );
        if !decoded {
            assert!(
                lower.contains("x-amzn-remapped-content-length: 4096"),
                "{kind}: {head}"
            );
        }
        if kind != "http" {
            assert!(
                lower.contains("x-amzn-remapped-www-authenticate: basic"),
                "{kind}: {head}"
            );
        }
        assert_eq!(answers[1].1, b"second", "{kind}: {}", answers[1].0);
    }
}

/// A project whose handler leaves a mark when it runs.
pub(crate) fn marking_project() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran.txt");
    std::fs::write(
        dir.path().join("lam.toml"),
        format!(
            "[project]\nname = \"mark\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[function.env]\nMARKER = \"{}\"\n",
            marker.display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        concat!(
            "import os\n",
            "def lambda_handler(event, context):\n",
            "    with open(os.environ['MARKER'], 'a') as f:\n",
            "        f.write('ran\\n')\n",
            "    return {'statusCode': 200, 'body': 'ran'}\n",
        ),
    )
    .unwrap();
    (dir, marker)
}

#[test]
fn requests_a_web_page_could_make_never_reach_a_handler() {
    let (dir, marker) = marking_project();
    let serve = Serve::start(dir.path(), &[]);
    let invoke = "/2015-03-31/functions/function/invocations";
    // DNS rebinding: the page's own name in Host.
    let rebound = serve.request_as(&format!("evil.example:{}", serve.port), "GET", "/", &[], "");
    assert_eq!(rebound.status, 403, "{}", rebound.body);
    // A no-cors POST: text/plain, no signature, no preflight.
    let no_cors = serve.request("POST", invoke, &[("Content-Type", "text/plain")], "{}");
    assert_eq!(no_cors.status, 403, "{}", no_cors.body);
    assert!(no_cors.body.contains("Signature V4"), "{}", no_cors.body);
    // Signed-looking, but from a page: the browser names the origin.
    let auth = "AWS4-HMAC-SHA256 Credential=x/20261130/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0";
    for headers in [
        vec![("Authorization", auth), ("Origin", "https://evil.example")],
        vec![("Authorization", auth), ("Sec-Fetch-Site", "cross-site")],
    ] {
        let r = serve.request("POST", invoke, &headers, "{}");
        assert_eq!(r.status, 403, "{headers:?}: {}", r.body);
    }
    assert!(!marker.exists(), "a refused request ran the handler");

    // The API routes stay callable, from the server's own name.
    let ok = serve.request("GET", "/", &[], "");
    assert_eq!((ok.status, ok.body.as_str()), (200, "ran"));
    let localhost = serve.request_as(&format!("localhost:{}", serve.port), "GET", "/", &[], "");
    assert_eq!(localhost.status, 200);
}

#[test]
fn bodies_over_api_gateway_and_lambda_limits_are_refused() {
    let (dir, marker) = marking_project();
    let serve = Serve::start(dir.path(), &[]);
    let big = "x".repeat(10 * 1024 * 1024 + 1);
    let r = serve.request("POST", "/", &[("Content-Type", "text/plain")], &big);
    assert_eq!(r.status, 413, "{}", r.body);
    let auth = "AWS4-HMAC-SHA256 Credential=x/20261130/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0";
    // Event invocations take up to 1 MB (API_Invoke.html).
    let event = format!("{{\"data\": \"{}\"}}", "x".repeat(1024 * 1024));
    let r = serve.request(
        "POST",
        "/2015-03-31/functions/function/invocations",
        &[("Authorization", auth), ("X-Amz-Invocation-Type", "Event")],
        &event,
    );
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(
        r.head.contains("requesttoolargeexception"),
        "{}\n{}",
        r.head,
        r.body
    );
    assert!(!marker.exists());
}

#[test]
fn a_host_other_than_loopback_needs_allow_remote() {
    let (dir, _) = marking_project();
    lam_offline(dir.path())
        .args(["serve", "--host", "0.0.0.0", "--port", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--allow-remote"));
    lam_offline(dir.path())
        .args(["serve", "--concurrency", "0"])
        .assert()
        .code(2);
}

#[test]
fn requests_beyond_concurrency_and_its_queue_are_throttled_as_lambda_does() {
    let dir = project(
        "[project]\nname = \"busy\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n",
        &[(
            "app.py",
            "import time\ndef lambda_handler(event, context):\n    time.sleep(0.3)\n    return {'statusCode': 200, 'body': 'done'}\n",
        )],
    );
    let serve = std::sync::Arc::new(Serve::start(dir.path(), &["--concurrency", "1"]));
    let auth = "AWS4-HMAC-SHA256 Credential=x/20261130/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0";
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let serve = serve.clone();
            std::thread::spawn(move || {
                serve
                    .request(
                        "POST",
                        "/2015-03-31/functions/function/invocations",
                        &[("Authorization", auth)],
                        "{}",
                    )
                    .status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    let served = statuses.iter().filter(|s| **s == 200).count();
    // One runs, ten wait, the rest are refused at once.
    assert!(throttled >= 9, "{statuses:?}");
    assert_eq!(served + throttled, 20, "{statuses:?}");
}

#[test]
fn the_invoke_api_verifies_signatures_with_the_users_credentials() {
    let dir = project(
        "[project]\nname = \"sig\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
        &[("app.py", ECHO)],
    );
    let serve = Serve::start_with(
        dir.path(),
        &[],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDLAMSERVE"),
            ("AWS_SECRET_ACCESS_KEY", "the-users-secret"),
        ],
    );
    let script = format!(
        r#"
import json, boto3, botocore
def client(secret):
    return boto3.client("lambda", endpoint_url="http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="AKIDLAMSERVE", aws_secret_access_key=secret,
                        config=botocore.config.Config(retries={{"max_attempts": 1}}))
ok = client("the-users-secret").invoke(FunctionName="sig-dev", Payload=json.dumps({{"q": "a b/c"}}))
assert ok["StatusCode"] == 200, ok
try:
    client("a-guessed-secret").invoke(FunctionName="sig-dev", Payload=b"{{}}")
    raise SystemExit("a wrong signature was accepted")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "AccessDeniedException", e.response
    assert "does not match" in e.response["Error"]["Message"], e.response
print("ok")
"#,
        port = serve.port
    );
    run_boto3(&script, "signatures");
}

#[test]
fn idle_and_slow_connections_are_closed() {
    let (dir, _) = marking_project();
    let serve = Serve::start(dir.path(), &[]);
    // A client that never finishes its headers, and one that stays idle
    // after a request: both are closed within the 10 s header timeout.
    let mut slow = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let mut idle = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let started = std::time::Instant::now();
    for (name, stream) in [("slow", &mut slow), ("idle", &mut idle)] {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut all = Vec::new();
        let closed = stream.read_to_end(&mut all).is_ok();
        assert!(closed, "{name}: still open after 20 s");
    }
    assert!(started.elapsed() < Duration::from_secs(15));
}

/// lam serve passes a request as API Gateway would: header names as the
/// client sent them to a REST API (lowercased for payload 2.0), with
/// X-Forwarded-For/Port/Proto and X-Amzn-Trace-Id added; a failing
/// function is 502 behind a REST API, 500 behind an HTTP API and a plain
/// 502 from a function URL; a status code given as a string is accepted.
#[test]
fn requests_and_errors_look_as_api_gateway_makes_them() {
    let app = "import json\ndef handler(event, context):\n    if event.get('path', event.get('rawPath')) == '/fail':\n        raise ValueError('boom')\n    return {'statusCode': '201', 'body': json.dumps(event['headers'])}\n";
    for (kind, failed) in [("rest", 502), ("http", 500), ("url", 502)] {
        let toml = format!(
            "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[api]\nkind = \"{kind}\"\n"
        );
        let dir = project(&toml, &[("app.py", app)]);
        let serve = Serve::start(dir.path(), &[]);
        let r = serve.request(
            "GET",
            "/items",
            &[("X-Custom-ID", "7"), ("authorization", "Bearer t")],
            "",
        );
        assert_eq!(r.status, 201, "{kind}: {}", r.body);
        let headers = r.json();
        if kind == "rest" {
            assert_eq!(headers["X-Custom-ID"], "7", "{headers}");
            assert_eq!(headers["authorization"], "Bearer t", "{headers}");
            assert_eq!(headers["Host"], format!("127.0.0.1:{}", serve.port));
            assert_eq!(headers["X-Forwarded-For"], "127.0.0.1");
            assert_eq!(headers["X-Forwarded-Port"], serve.port.to_string());
            assert_eq!(headers["X-Forwarded-Proto"], "http");
            assert!(
                headers["X-Amzn-Trace-Id"]
                    .as_str()
                    .unwrap()
                    .starts_with("Root=1-")
            );
        } else {
            assert_eq!(headers["x-custom-id"], "7", "{headers}");
            assert_eq!(headers["x-forwarded-for"], "127.0.0.1");
            assert!(headers["x-amzn-trace-id"].is_string());
        }
        let r = serve.request("GET", "/fail", &[], "");
        assert_eq!(r.status, failed, "{kind}: {}", r.body);
        match kind {
            "rest" => assert_eq!(r.json()["message"], "Internal server error"),
            "http" => assert_eq!(r.json()["message"], "Internal Server Error"),
            _ => assert_eq!(r.body, "Internal Server Error"),
        }
    }
}

/// API Gateway stops waiting at its integration timeout while the function
/// runs on: a REST API after 29 s with 504 "Endpoint request timed out", an
/// HTTP API after 30 s with 503 "Service Unavailable" (as AWS answers:
/// serverless/serverless#11222). Both run side by side, so the suite waits
/// 30 s once.
#[test]
fn api_gateway_gives_up_at_its_integration_timeout() {
    let app = "import time\ndef handler(event, context):\n    if event.get('path', event.get('rawPath')) == '/slow':\n        time.sleep(32)\n    return {'statusCode': 200, 'body': 'fast'}\n";
    let cases = [
        ("rest", 504, "Endpoint request timed out", 29),
        ("http", 503, "Service Unavailable", 30),
    ];
    std::thread::scope(|scope| {
        for (kind, status, message, seconds) in cases {
            scope.spawn(move || {
                let dir = project(
                    &format!("[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 60\n[api]\nkind = \"{kind}\"\n"),
                    &[("app.py", app)],
                );
                let serve = Serve::start(dir.path(), &["--concurrency", "2"]);
                let started = std::time::Instant::now();
                let r = serve.request("GET", "/slow", &[], "");
                let waited = started.elapsed();
                assert_eq!(r.status, status, "{kind}: {}", r.body);
                assert_eq!(r.json()["message"], message, "{kind}");
                let limit = Duration::from_secs(seconds);
                assert!(
                    waited >= limit && waited < limit + Duration::from_secs(2),
                    "{kind}: {waited:?}"
                );
                assert_eq!(serve.request("GET", "/fast", &[], "").body, "fast");
            });
        }
    });
}
