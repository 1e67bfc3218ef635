//! `lam dev` end to end against moto: the deployed function switched to
//! lam's relay, the relay's own code run by lam's local runtime with moto's
//! endpoints (as Lambda would run it, with the function's configuration),
//! and `lam dev` on the other side running the project's handler here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Duration;

use crate::common::*;

const APP: &str = r#"import json, time
import boto3

def handler(event, context):
    if event.get("whoami"):
        return {"arn": boto3.client("sts").get_caller_identity()["Arn"]}
    if event.get("fail"):
        raise ValueError("asked to fail")
    if event.get("Records"):
        r = event["Records"]
        return {"source": r[0].get("eventSource"), "count": len(r)}
    if event.get("remaining"):
        return {"ms": context.get_remaining_time_in_millis()}
    if event.get("echo"):
        return {"statusCode": 200, "body": event["echo"]}
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"statusCode": 200, "body": json.dumps({"edition": 1, "path": event.get("path"), "n": event.get("n")})}
"#;

fn toml(name: &str) -> String {
    format!(
        "[project]\nname = \"{name}\"\n[function]\nruntime = \"python3.11\"\nhandler = \"app.handler\"\ntimeout = 2\n"
    )
}

/// `lam dev` started in `dir`: the child, once it said the alias runs here.
fn start_dev(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    std::process::Child,
    std::sync::Arc<std::sync::Mutex<String>>,
) {
    let mut child = lam_process(dir)
        .env("LAM_PYTHON", test_python())
        .envs(env.iter().copied())
        .arg("dev")
        .args(args)
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("now runs here") {
                let _ = tx.send(());
            }
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    if rx.recv_timeout(Duration::from_secs(120)).is_err() {
        let _ = child.kill();
        panic!("lam dev did not start:\n{}", log.lock().unwrap());
    }
    (child, log)
}

/// A project that runs the relay as Lambda runs it: its code is lam's relay
/// (checked to be what was deployed), its environment the function's.
fn relay_project(function: &str, stale_seconds: u32) -> tempfile::TempDir {
    let config = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(function)
            .send(),
    )
    .unwrap();
    assert_eq!(config.handler(), Some(lam::dev::RELAY_HANDLER));
    assert_eq!(
        config.runtime().map(|r| r.as_str()),
        Some(lam::dev::RELAY_RUNTIME)
    );
    assert_eq!(
        config.code_sha256(),
        Some(lam::dev::code_sha256(&lam::dev::relay_zip().unwrap()).as_str()),
        "the deployed code is lam's relay"
    );
    let env = config.environment().unwrap().variables().unwrap();
    let mut toml = "[project]\nname = \"relay\"\n[function]\nruntime = \"python3.11\"\nhandler = \"lam_relay.handler\"\ntimeout = 8\n[function.env]\n".to_string();
    for (k, v) in env {
        if k.starts_with("LAM_DEV_") {
            toml.push_str(&format!("{k} = \"{v}\"\n"));
        }
    }
    toml.push_str(&format!("LAM_DEV_STALE_SECONDS = \"{stale_seconds}\"\n"));
    project(&toml, &[("lam_relay.py", lam::dev::RELAY_SOURCE)])
}

/// The function as deployed, checked to hold its own code and handler
/// again (`sha` is the CodeSha256 it had before the session).
fn put_back(
    function: &str,
    sha: &str,
) -> aws_sdk_lambda::operation::get_function::GetFunctionOutput {
    let got = block_on(
        lambda_client()
            .get_function()
            .function_name(function)
            .send(),
    )
    .unwrap();
    let config = got.configuration().unwrap();
    assert_eq!(config.code_sha256(), Some(sha), "the code is not put back");
    assert_eq!(config.handler(), Some("app.handler"));
    got
}

/// `function`'s `$LATEST` CodeSha256 as deployed now.
fn deployed_sha(function: &str) -> String {
    block_on(
        lambda_client()
            .get_function()
            .function_name(function)
            .send(),
    )
    .unwrap()
    .configuration()
    .unwrap()
    .code_sha256()
    .unwrap()
    .to_string()
}

/// The trust policy of `role` as IAM holds it, parsed.
fn trust_policy(role: &str) -> serde_json::Value {
    let doc = block_on(
        aws_sdk_iam::Client::new(&sdk_config())
            .get_role()
            .role_name(role)
            .send(),
    )
    .unwrap()
    .role
    .unwrap()
    .assume_role_policy_document
    .unwrap_or_default();
    serde_json::from_str(&lam::aws::iam::percent_decode(&doc)).unwrap()
}

/// The queues a session of `function` left (request and reply queues).
fn dev_queues(function: &str) -> aws_sdk_sqs::operation::list_queues::ListQueuesOutput {
    block_on(
        aws_sdk_sqs::Client::new(&sdk_config())
            .list_queues()
            .queue_name_prefix(lam::dev::Names::of(function).request_queue)
            .send(),
    )
    .unwrap()
}

/// One invocation of the relay, as Lambda would make it: exit code and
/// payload.
fn through_relay(relay: &Path, event: &serde_json::Value) -> (i32, serde_json::Value) {
    through_relay_with(relay, event, &[])
}

/// The same, with `client` (`["--ric"]`: the relay under awslambdaric, the
/// official client Lambda's python runtime uses).
fn through_relay_with(
    relay: &Path,
    event: &serde_json::Value,
    client: &[&str],
) -> (i32, serde_json::Value) {
    let file = relay.join(format!("e-{}.json", unique("ev")));
    std::fs::write(&file, event.to_string()).unwrap();
    let out = lam(relay)
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local"])
        .args(client)
        .arg("--event")
        .arg(&file)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let payload = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "no payload: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), payload)
}

fn body(payload: &serde_json::Value) -> serde_json::Value {
    serde_json::from_str(payload["body"].as_str().unwrap()).unwrap()
}

/// The whole loop: real events reach the local handler through the relay
/// and come back as Lambda's; edits apply at the next invocation; errors
/// and timeouts come back as the local run had them; 20 at once; Ctrl-C
/// puts the deployed code and alias back exactly; a session killed with
/// SIGKILL is reported by `lam status`, answered at once by the relay, and
/// repaired by `lam deploy`.
#[test]
fn lam_dev_runs_the_deployed_functions_invocations_here() {
    let name = unique("dev");
    let function = format!("{name}-dev");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let original_sha = deployed_sha(&function);
    let original_version = alias_version(&function, "live");

    let (mut child, log) = start_dev(dir.path(), &[], &[]);
    assert_ne!(
        alias_version(&function, "live"),
        original_version,
        "the alias serves the relay"
    );
    let relay = relay_project(&function, 30);
    // The handler runs as the function's role (moto lets anyone assume it).
    let role = format!("lam-{name}-dev-function");
    assert!(
        log.lock()
            .unwrap()
            .contains("The handler runs as the function's role")
    );
    let (code, payload) = through_relay(relay.path(), &serde_json::json!({"whoami": true}));
    assert_eq!(code, 0, "{payload}");
    assert!(
        payload["arn"]
            .as_str()
            .unwrap()
            .contains(&format!(":assumed-role/{role}/lam-dev-")),
        "{payload}"
    );

    // An API Gateway proxy event runs the local handler.
    let event = serde_json::json!({"httpMethod": "GET", "path": "/orders/7", "n": 1});
    let (code, payload) = through_relay(relay.path(), &event);
    assert_eq!(code, 0, "{payload}\n{}", log.lock().unwrap());
    assert_eq!(payload["statusCode"], 200);
    assert_eq!(
        body(&payload),
        serde_json::json!({"edition": 1, "path": "/orders/7", "n": 1})
    );
    // An S3 notification and an SQS batch, as those services send them.
    let s3_event = serde_json::json!({"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3",
        "awsRegion": "us-east-1", "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": "photos", "arn": "arn:aws:s3:::photos"},
               "object": {"key": "uploads/cat.png", "size": 1024}}}]});
    let (code, payload) = through_relay(relay.path(), &s3_event);
    assert_eq!(code, 0, "{payload}");
    assert_eq!(payload, serde_json::json!({"source": "aws:s3", "count": 1}));
    let record = |n: u32| {
        serde_json::json!({"messageId": format!("m{n}"), "receiptHandle": "h", "body": format!("order {n}"),
            "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders", "awsRegion": "us-east-1"})
    };
    let (code, payload) = through_relay(
        relay.path(),
        &serde_json::json!({"Records": (0..3).map(record).collect::<Vec<_>>()}),
    );
    assert_eq!(code, 0, "{payload}");
    assert_eq!(
        payload,
        serde_json::json!({"source": "aws:sqs", "count": 3})
    );
    // An edit applies at the next invocation, without a deploy.
    std::fs::write(
        dir.path().join("app.py"),
        APP.replace("\"edition\": 1", "\"edition\": 2"),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    let (_, payload) = through_relay(relay.path(), &event);
    assert_eq!(body(&payload)["edition"], 2, "{payload}");
    // An error comes back as the same error.
    let (code, payload) = through_relay(relay.path(), &serde_json::json!({"fail": true}));
    assert_eq!(code, 1);
    assert_eq!(payload["errorType"], "ValueError", "{payload}");
    assert_eq!(payload["errorMessage"], "asked to fail");
    // The relay under awslambdaric, the client Lambda's python3.12 runs it
    // with: the same error, as that client reports it.
    let (code, theirs) =
        through_relay_with(relay.path(), &serde_json::json!({"fail": true}), &["--ric"]);
    assert_eq!(code, 1);
    assert_eq!(theirs["errorType"], "ValueError", "{theirs}");
    assert_eq!(theirs["errorMessage"], "asked to fail");
    // A local timeout (2 s) becomes the invocation's own timeout.
    let (code, payload) = through_relay(relay.path(), &serde_json::json!({"sleep": 3}));
    assert_eq!(code, 1);
    assert_eq!(payload["errorType"], "Sandbox.Timedout", "{payload}");
    assert!(
        payload["errorMessage"]
            .as_str()
            .unwrap()
            .contains("Task timed out after 8.00 seconds"),
        "{payload}"
    );
    // 5 MB each way, over SQS's message limit: through the session's bucket.
    let big = "x".repeat(5_000_000);
    let (code, payload) = through_relay(relay.path(), &serde_json::json!({"echo": big}));
    assert_eq!(
        code,
        0,
        "{}",
        payload
            .get("errorMessage")
            .unwrap_or(&serde_json::Value::Null)
    );
    assert_eq!(payload["body"].as_str().map(str::len), Some(5_000_000));
    // 20 at once.
    let results: Vec<(i32, serde_json::Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|n| {
                let relay = relay.path();
                s.spawn(move || through_relay(relay, &serde_json::json!({"path": "/c", "n": n})))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut seen: Vec<i64> = results
        .iter()
        .map(|(code, p)| {
            assert_eq!(*code, 0, "{p}");
            body(p)["n"].as_i64().unwrap()
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        (0..20).collect::<Vec<_>>(),
        "each caller got its own answer"
    );
    // A forged answer or request: someone able to write to the queues
    // without the session's key is ignored (the relay drops bad answers;
    // lam dev drops unsigned requests and says so).
    let queue_url = block_on(
        aws_sdk_sqs::Client::new(&sdk_config())
            .get_queue_url()
            .queue_name(lam::dev::Names::of(&function).request_queue)
            .send(),
    )
    .unwrap()
    .queue_url()
    .unwrap()
    .to_string();
    block_on(
        aws_sdk_sqs::Client::new(&sdk_config())
            .send_message()
            .queue_url(&queue_url)
            .message_body(r#"{"v":1,"session":"x","id":"forged","reply":"r","deadline_ms":1,"event":"e30=","mac":"00"}"#)
            .send(),
    )
    .unwrap();

    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !log.lock().unwrap().contains("dropped a message") {
        assert!(
            std::time::Instant::now() < deadline,
            "the forged request was not refused:\n{}",
            log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // Ctrl-C: the code and the alias exactly as they were.
    let status = interrupt(&mut child);
    let log = log.lock().unwrap().clone();
    assert!(status.success(), "{log}");
    let after = put_back(&function, &original_sha);
    assert_eq!(alias_version(&function, "live"), original_version);
    assert!(
        !after.tags().is_some_and(|t| t.contains_key("lam:dev")),
        "the mark is gone"
    );
    let queues = dev_queues(&function);
    assert!(
        queues.queue_urls().is_empty(),
        "queues left: {:?}",
        queues.queue_urls()
    );

    // SIGKILL: status says so, the relay answers at once, deploy repairs.
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    // This session is a developer's IAM user's, with --as-role: the role's
    // trust policy names the user while it runs.
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    let user = unique("devuser");
    block_on(iam.create_user().user_name(&user).send()).unwrap();
    let key = block_on(iam.create_access_key().user_name(&user).send())
        .unwrap()
        .access_key
        .unwrap();
    let trust = || -> String {
        let doc = block_on(iam.get_role().role_name(&role).send())
            .unwrap()
            .role
            .unwrap()
            .assume_role_policy_document;
        lam::aws::iam::percent_decode(&doc.unwrap_or_default())
    };
    let (mut child, _log) = start_dev(
        dir.path(),
        &["--as-role"],
        &[
            ("AWS_ACCESS_KEY_ID", key.access_key_id()),
            ("AWS_SECRET_ACCESS_KEY", key.secret_access_key()),
        ],
    );
    assert!(
        trust().contains("LamDevCaller") && trust().contains(&format!(":user/{user}")),
        "{}",
        trust()
    );
    let relay = relay_project(&function, 1);
    child.kill().unwrap();
    child.wait().unwrap();
    let out = lam(dir.path()).arg("status").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("dev mode active since"), "{text}");
    std::thread::sleep(Duration::from_secs(2));
    let started = std::time::Instant::now();
    let (code, payload) = through_relay(relay.path(), &event);
    assert_eq!(code, 1);
    assert!(
        payload["errorMessage"]
            .as_str()
            .unwrap()
            .contains("lam dev is not running"),
        "{payload}"
    );
    // Failed before waiting for an answer: a wait would have ended in the
    // relay's own timeout (Sandbox.Timedout) instead. (The wall time is
    // the local run's start-up too, which a loaded machine stretches.)
    assert_eq!(payload["errorType"], "LamDevNotRunning", "{payload}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "not answered at once"
    );
    let out = lam(dir.path()).arg("status").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("lam dev not running"), "{text}");
    lam(dir.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "ended the lam dev session left running",
        ));
    let repaired = put_back(&function, &original_sha);
    assert!(!repaired.tags().is_some_and(|t| t.contains_key("lam:dev")));
    assert!(
        !trust().contains("LamDevCaller"),
        "the session's trust statement is gone"
    );
    let env = repaired.configuration().unwrap().environment();
    assert!(
        !env.and_then(|e| e.variables())
            .is_some_and(|v| v.keys().any(|k| k.starts_with("LAM_DEV_"))),
        "the session's variables are gone"
    );

    // Killed again, then destroyed: what the session made goes with the
    // rest (the role cannot be deleted with the session's policy on it).
    let (mut child, _log) = start_dev(dir.path(), &[], &[]);
    child.kill().unwrap();
    child.wait().unwrap();
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
    assert!(
        block_on(
            lambda_client()
                .get_function()
                .function_name(&function)
                .send()
        )
        .is_err()
    );
    assert!(
        block_on(
            aws_sdk_iam::Client::new(&sdk_config())
                .get_role()
                .role_name(&role)
                .send()
        )
        .is_err()
    );
    let queues = dev_queues(&function);
    assert!(queues.queue_urls().is_empty());
}

/// Refused before any change: a protected stage without --force, and a
/// function that is not deployed.
#[test]
fn lam_dev_refuses_what_it_may_not_take_over() {
    let name = unique("devno");
    let dir = project(
        &format!("{}[stages.dev]\nprotected = true\n", toml(&name)),
        &[("app.py", APP)],
    );
    let out = lam(dir.path()).arg("dev").assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("is protected"));
    let dir = project(&toml(&name), &[("app.py", APP)]);
    let out = lam(dir.path()).arg("dev").assert().code(2);
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr).contains("is not deployed"),
        "{}",
        String::from_utf8_lossy(&out.get_output().stderr)
    );
}

/// Every function of the stage at once, one session each; Ctrl-C puts
/// them all back.
#[test]
fn lam_dev_takes_every_function_of_the_stage() {
    let name = unique("devmany");
    let toml = format!(
        "[project]\nname = \"{name}\"\n[functions.a]\nruntime = \"python3.11\"\nhandler = \"app.handler\"\n[functions.b]\nruntime = \"python3.11\"\nhandler = \"app.handler\"\n"
    );
    let dir = project(&toml, &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let handler = |key: &str| {
        block_on(
            lambda_client()
                .get_function_configuration()
                .function_name(format!("{name}-dev-{key}"))
                .send(),
        )
        .unwrap()
        .handler
        .unwrap()
    };
    let mut child = lam_process(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("dev")
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = 0;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("now runs here") {
                seen += 1;
                if seen == 2 {
                    let _ = tx.send(());
                }
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("both sessions started");
    assert_eq!(handler("a"), lam::dev::RELAY_HANDLER);
    assert_eq!(handler("b"), lam::dev::RELAY_HANDLER);
    assert!(interrupt(&mut child).success());
    assert_eq!(handler("a"), "app.handler");
    assert_eq!(handler("b"), "app.handler");
}

/// `lam dev --debug`: the real invocation runs under the debugger front
/// `lam serve --debug` uses, on the port given (here without waiting for
/// an attach, so the invocation answers).
#[test]
fn lam_dev_runs_real_invocations_under_the_debugger() {
    let name = unique("devdbg");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port_arg = port.to_string();
    let (mut child, log) = start_dev(
        dir.path(),
        &["--debug", "--debug-port", &port_arg, "--no-wait"],
        &[],
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !log
        .lock()
        .unwrap()
        .contains(&format!("debugger on 127.0.0.1:{port}"))
    {
        assert!(std::time::Instant::now() < deadline, "no debugger line");
        std::thread::sleep(Duration::from_millis(100));
    }
    let relay = relay_project(&format!("{name}-dev"), 30);
    let (code, payload) = through_relay(
        relay.path(),
        &serde_json::json!({"path": "/debugged", "n": 5}),
    );
    assert_eq!(code, 0, "{payload}");
    assert_eq!(body(&payload)["n"], 5);
    // The warm runtime's debugger front listens for this user.
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "nothing on the debug port"
    );
    // Killed, then `lam dev --stop`: put back from the restore point.
    child.kill().unwrap();
    child.wait().unwrap();
    let function = format!("{name}-dev");
    lam(dir.path()).args(["dev", "--stop"]).assert().success();
    let config = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&function)
            .send(),
    )
    .unwrap();
    assert_eq!(config.handler(), Some("app.handler"));
    assert_eq!(
        config.code_sha256(),
        Some(
            lam::dev::code_sha256(
                &std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap()
            )
            .as_str()
        )
    );
    assert!(dev_queues(&function).queue_urls().is_empty());
}

/// The `lam:dev` tag is read back from AWS: someone who may tag the
/// function writes terminal escapes into it, as an attacker would, and
/// `lam status` shows them escaped.
#[test]
fn a_crafted_dev_tag_reaches_no_terminal_raw() {
    let name = unique("devtag");
    let function = format!("{name}-dev");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let arn = block_on(
        lambda_client()
            .get_function()
            .function_name(&function)
            .send(),
    )
    .unwrap()
    .configuration()
    .unwrap()
    .function_arn()
    .unwrap()
    .to_string();
    block_on(
        lambda_client()
            .tag_resource()
            .resource(&arn)
            .tags("lam:dev", "\u{1b}]0;pwned\u{7}\u{1b}[2J 1700000000")
            .send(),
    )
    .unwrap();
    let out = lam(dir.path()).arg("status").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("dev mode active since"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "raw escapes reached the terminal: {stdout:?}"
    );
}

/// A session killed on this machine, then a deploy from elsewhere (CI,
/// another cache): stopping the old session afterwards leaves the
/// deploy's code and version as they are. A second `lam dev` of the same
/// function while one runs here is refused and leaves that one running.
#[test]
fn a_stale_session_never_undoes_a_later_deploy() {
    let name = unique("devstale");
    let function = format!("{name}-dev");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();

    let (mut child, _log) = start_dev(dir.path(), &[], &[]);
    let relay_version = alias_version(&function, "live");
    lam_process(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("dev")
        .output()
        .map(|out| {
            assert!(!out.status.success());
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("in a lam dev session of this machine already"),
                "{err}"
            );
        })
        .unwrap();
    assert_eq!(
        alias_version(&function, "live"),
        relay_version,
        "the running session was left alone"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    // Another machine deploys new code: the session ends there.
    std::fs::write(
        dir.path().join("app.py"),
        APP.replace("\"edition\": 1", "\"edition\": 2"),
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    lam(dir.path())
        .env("XDG_CACHE_HOME", elsewhere.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "ended the lam dev session left running",
        ));
    let new_sha = deployed_sha(&function);
    let new_version = alias_version(&function, "live");

    // This machine still holds the killed session's restore point.
    lam(dir.path())
        .args(["dev", "--stop"])
        .assert()
        .success()
        .stderr(predicates::str::contains("not in this session any more"));
    put_back(&function, &new_sha);
    assert_eq!(
        alias_version(&function, "live"),
        new_version,
        "the deploy's version stays"
    );
    lam(dir.path())
        .args(["dev", "--stop"])
        .assert()
        .success()
        .stderr(predicates::str::contains("nothing to put back"));
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
}

/// Ctrl-C while lam dev is still switching the function to the relay (its
/// lam:dev mark is set, the relay not yet served): the function is put
/// back as it was, not left on a relay no one answers.
#[test]
fn ctrl_c_while_starting_puts_the_function_back() {
    let name = unique("devint");
    let function = format!("{name}-dev");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let sha = deployed_sha(&function);
    let version = alias_version(&function, "live");
    let mut child = lam_process(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("dev")
        .spawn()
        .unwrap();
    // Interrupted as soon as the session has marked the function.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let tags = block_on(
            lambda_client()
                .get_function()
                .function_name(&function)
                .send(),
        )
        .unwrap()
        .tags()
        .cloned()
        .unwrap_or_default();
        if tags.contains_key("lam:dev") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "lam dev never marked the function"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = interrupt(&mut child);
    assert!(
        matches!(status.code(), Some(0 | 130)),
        "ended by the signal itself: {status:?}"
    );
    let back = put_back(&function, &sha);
    assert!(!back.tags().is_some_and(|t| t.contains_key("lam:dev")));
    assert_eq!(alias_version(&function, "live"), version);
    assert!(dev_queues(&function).queue_urls().is_empty());
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
}

/// A role whose trust policy holds its one statement as an object (IAM
/// accepts either form): --as-role adds lam dev's statement beside
/// Lambda's and removes only its own on stop.
#[test]
fn as_role_keeps_a_single_statement_trust_policy() {
    let name = unique("devtrust");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let role = format!("lam-{name}-dev-function");
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    block_on(
        iam.update_assume_role_policy()
            .role_name(&role)
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}"#,
            )
            .send(),
    )
    .unwrap();
    let trust = || trust_policy(&role);
    let statements = |doc: &serde_json::Value| -> Vec<serde_json::Value> {
        match &doc["Statement"] {
            serde_json::Value::Array(all) => all.clone(),
            one => vec![one.clone()],
        }
    };
    let lambdas = |doc: &serde_json::Value| {
        statements(doc)
            .iter()
            .filter(|s| s["Principal"]["Service"] == "lambda.amazonaws.com")
            .count()
    };
    // A developer's IAM user (IAM cannot name moto's default caller).
    let (id, secret) = iam_user(
        "devtrust",
        serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
    );
    let (mut child, _log) = start_dev(
        dir.path(),
        &["--as-role"],
        &[
            ("AWS_ACCESS_KEY_ID", &id),
            ("AWS_SECRET_ACCESS_KEY", &secret),
        ],
    );
    let during = trust();
    assert_eq!(lambdas(&during), 1, "{during}");
    assert!(
        statements(&during)
            .iter()
            .any(|s| s["Sid"] == "LamDevCaller"),
        "{during}"
    );
    interrupt(&mut child);
    let after = trust();
    assert_eq!(lambdas(&after), 1, "{after}");
    assert!(
        !statements(&after)
            .iter()
            .any(|s| s["Sid"] == "LamDevCaller"),
        "{after}"
    );
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
}

/// The handler run here has the deployed caller's time left, not its own
/// longer timeout: the relay (8 s in this test) stops waiting first.
#[test]
fn the_local_run_ends_with_the_relays_wait() {
    let name = unique("devdeadline");
    let function = format!("{name}-dev");
    let toml = toml(&name).replace("timeout = 2", "timeout = 60");
    let dir = project(&toml, &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let (mut child, _log) = start_dev(dir.path(), &[], &[]);
    let relay = relay_project(&function, 30);
    let (code, payload) = through_relay(relay.path(), &serde_json::json!({"remaining": true}));
    assert_eq!(code, 0, "{payload}");
    let ms = payload["ms"].as_i64().unwrap();
    assert!(
        ms > 0 && ms <= 8000,
        "the relay's 8 s, not the function's 60: {ms}"
    );
    interrupt(&mut child);
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
}

/// A developer signed in through a role (SSO, a CI role): --as-role names
/// the role in the trust policy, held to this session's aws:userid, so
/// other sessions of the same role are not let in.
#[test]
fn as_role_from_a_role_session_lets_in_only_that_session() {
    let name = unique("devsso");
    let dir = project(&toml(&name), &[("app.py", APP)]);
    lam(dir.path()).arg("deploy").assert().success();
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    let developer = unique("AWSReservedSSO_Dev");
    let created = block_on(
        iam.create_role()
            .role_name(&developer)
            .assume_role_policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#,
            )
            .send(),
    )
    .unwrap();
    let developer_arn = created.role().unwrap().arn().to_string();
    let sts = aws_sdk_sts::Client::new(&sdk_config());
    let creds = block_on(
        sts.assume_role()
            .role_arn(&developer_arn)
            .role_session_name("alice")
            .send(),
    )
    .unwrap()
    .credentials
    .unwrap();
    let (mut child, _log) = start_dev(
        dir.path(),
        &["--as-role"],
        &[
            ("AWS_ACCESS_KEY_ID", creds.access_key_id()),
            ("AWS_SECRET_ACCESS_KEY", creds.secret_access_key()),
            ("AWS_SESSION_TOKEN", creds.session_token()),
        ],
    );
    let role = format!("lam-{name}-dev-function");
    let doc = trust_policy(&role);
    let ours = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "LamDevCaller")
        .cloned()
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(ours["Principal"]["AWS"], developer_arn.as_str(), "{ours}");
    let user_id = ours["Condition"]["StringEquals"]["aws:userid"]
        .as_str()
        .unwrap_or_else(|| panic!("not held to the session: {ours}"));
    assert!(user_id.ends_with(":alice"), "{user_id}");
    interrupt(&mut child);
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
}
