//! Shared helpers of the integration tests: a real moto server started once
//! per test process, project directories, and an SDK client to read AWS state.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

pub const ROLE_NAME: &str = "lam-test-role";
pub const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/lam-test-role";

struct Moto {
    endpoint: String,
    // Kept open for the life of the test process; closing it stops moto.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

static MOTO: OnceLock<Result<Moto, String>> = OnceLock::new();

/// The Python that has moto and awslambdaric: LAM_TEST_PYTHON, or the venv
/// that `.ci/run` creates.
pub fn test_python() -> PathBuf {
    if let Some(p) = std::env::var_os("LAM_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".cache/lam-ci/venv/bin/python")
}

/// The runtime `lam new` picks for Python on this machine: the one of the
/// `python3` on PATH when Lambda supports it, else python3.12.
pub fn default_python_runtime() -> String {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys; print('python%d.%d' % sys.version_info[:2])",
        ])
        .output();
    let found = out
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match found {
        Some(r)
            if [
                "python3.10",
                "python3.11",
                "python3.12",
                "python3.13",
                "python3.14",
            ]
            .contains(&r.as_str()) =>
        {
            r
        }
        _ => "python3.12".to_string(),
    }
}

/// A node_modules directory holding the official Node.js runtime client
/// (aws-lambda-ric) of major version `major`: 3 is the reference for
/// nodejs20.x and nodejs22.x, 4 for nodejs24.x. Under LAM_TEST_NODE_RIC_DIR,
/// or where `.ci/run` installs them.
pub fn node_ric_modules(major: u8) -> PathBuf {
    let base = std::env::var_os("LAM_TEST_NODE_RIC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default()
                .join(".cache/lam-ci")
        });
    base.join(format!("node-ric{major}/node_modules"))
}

/// Where the validator in front of moto records every valid request's
/// operation and input (one JSON object a line).
pub fn request_log() -> PathBuf {
    std::env::temp_dir().join(format!("lam-requests-{}.jsonl", std::process::id()))
}

/// The recorded inputs of `service`'s `operation` that satisfy `keep`:
/// what lam sent, where moto keeps nothing to read back.
pub fn sent(
    service: &str,
    operation: &str,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    moto();
    std::fs::read_to_string(request_log())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["service"] == service && r["operation"] == operation)
        .map(|r| r["input"].clone())
        .filter(|input| keep(input))
        .collect()
}

/// Where the model validator in front of moto writes the requests that
/// break a service's published model (tests/support/model_validator.py).
pub fn violations_log() -> PathBuf {
    std::env::temp_dir().join(format!("lam-model-violations-{}.jsonl", std::process::id()))
}

unsafe extern "C" {
    fn atexit(callback: extern "C" fn()) -> i32;
    fn _exit(code: i32) -> !;
}

/// Runs when the test process exits: any request that broke a service's
/// model fails the whole run, even where lam tolerated the error.
extern "C" fn fail_on_model_violations() {
    let log = violations_log();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(request_log());
    if !text.trim().is_empty() {
        eprintln!(
            "\nrequests that AWS would refuse (they break the service's published model):\n{text}"
        );
        // SAFETY: ends the process at exit with a failing status, as intended.
        unsafe { _exit(1) }
    }
}

fn start_moto() -> Result<Moto, String> {
    let python = test_python();
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_runner.py");
    let log = violations_log();
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(request_log());
    // SAFETY: registers a plain function to run at process exit.
    unsafe {
        atexit(fail_on_model_violations);
    }
    let mut child = Command::new(&python)
        .arg(&runner)
        .env("LAM_MODEL_VIOLATIONS", &log)
        .env("LAM_REQUEST_LOG", request_log())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("moto runner: {e}"))?;
    let port: u16 = line
        .trim()
        .parse()
        .map_err(|_| format!("moto runner printed {line:?} instead of a port"))?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let endpoint = format!("http://127.0.0.1:{port}");
    let moto = Moto {
        endpoint,
        _stdin: Mutex::new(stdin),
        _child: Mutex::new(child),
    };
    create_test_role(&moto.endpoint)?;
    Ok(moto)
}

/// The endpoint of the shared moto server. Panics (fails the test loudly,
/// never skips) when moto cannot be started.
pub fn moto() -> &'static str {
    match MOTO.get_or_init(start_moto) {
        Ok(m) => &m.endpoint,
        Err(e) => panic!(
            "the moto server could not be started: {e}\n\
             run `bash .ci/run`, or set LAM_TEST_PYTHON to a Python with moto[server] installed"
        ),
    }
}

/// A minimal HTTP/1.1 request to moto (which checks no signatures).
/// `service` names the AWS service in a dummy Authorization header, which is
/// how moto routes requests that carry no service-specific host name.
pub fn http(
    endpoint: &str,
    method: &str,
    path: &str,
    content_type: &str,
    service: Option<&str>,
    body: &str,
) -> Result<(u16, String), String> {
    let addr = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let auth = service
        .map(|s| {
            format!(
                "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{s}/aws4_request, SignedHeaders=host, Signature=0\r\n"
            )
        })
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad response: {response}"))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn create_test_role(endpoint: &str) -> Result<(), String> {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={ROLE_NAME}&AssumeRolePolicyDocument={}",
        url_encode(policy)
    );
    let (status, text) = http(
        endpoint,
        "POST",
        "/",
        "application/x-www-form-urlencoded",
        Some("iam"),
        &body,
    )?;
    if status != 200 || !text.contains("<CreateRoleResult>") {
        return Err(format!("CreateRole answered {status}: {text}"));
    }
    Ok(())
}

/// moto's queue of stubbed Invoke answers is shared by the whole server:
/// tests that invoke remotely hold this lock so that none takes another's answer.
pub fn invoke_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Queues an answer for moto's Docker-less Invoke (a FIFO per account and region).
pub fn queue_invoke_result(result: &str) {
    let body = serde_json::json!({ "results": [result], "region": "us-east-1" }).to_string();
    let (status, text) = http(
        moto(),
        "POST",
        "/moto-api/static/lambda-simple/response",
        "application/json",
        None,
        &body,
    )
    .expect("moto answers");
    assert_eq!(status, 201, "queueing a stub response failed: {text}");
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A name no other test in this run uses.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The `lam` binary with an environment that reaches only moto.
pub fn lam(dir: &Path) -> assert_cmd::Command {
    let mut cmd = lam_offline(dir);
    cmd.env("AWS_ENDPOINT_URL", moto());
    cmd
}

/// The environment lam runs with in the tests: a clean one, fake
/// credentials, no AWS endpoint (callers add one), no AWS files.
pub fn lam_environment(dir: &Path) -> Vec<(String, std::ffi::OsString)> {
    let mut env: Vec<(String, std::ffi::OsString)> = vec![
        ("PATH".into(), std::env::var_os("PATH").unwrap_or_default()),
        // Not the project directory: tools such as pip write caches under HOME.
        (
            "HOME".into(),
            std::env::temp_dir().join("lam-test-home").into(),
        ),
        ("NO_COLOR".into(), "1".into()),
        ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ("AWS_MAX_ATTEMPTS".into(), "2".into()),
        // Layer versions are pruned at once (tests/layers.rs checks the grace).
        ("LAM_LAYER_GRACE_SECONDS".into(), "0".into()),
        ("AWS_CONFIG_FILE".into(), dir.join("no-aws-config").into()),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            dir.join("no-aws-credentials").into(),
        ),
    ];
    env.extend(tls_roots());
    env
}

/// The `lam` binary with a clean environment and no AWS endpoint.
pub fn lam_offline(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("lam").expect("lam is built");
    cmd.current_dir(dir)
        .env_clear()
        .envs(lam_environment(dir))
        .timeout(Duration::from_secs(120));
    cmd
}

/// The function's `$LATEST` configuration, read with the SDK.
pub fn function_configuration(
    name: &str,
) -> aws_sdk_lambda::operation::get_function_configuration::GetFunctionConfigurationOutput {
    block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(name)
            .send(),
    )
    .expect("function exists")
}

/// The version `alias` of the function points at.
pub fn alias_version(name: &str, alias: &str) -> String {
    block_on(
        lambda_client()
            .get_alias()
            .function_name(name)
            .name(alias)
            .send(),
    )
    .expect("alias exists")
    .function_version()
    .expect("a version")
    .to_string()
}

/// `lam` as a long-running child process (`deploy --watch`, `logs
/// --follow`), with the environment `lam()` gives and pipes for both streams.
pub fn lam_process(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("lam"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("lam-test-home"))
        .envs(tls_roots())
        .env("AWS_ENDPOINT_URL", moto())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// Ctrl-C to a long-running `lam`, as a terminal sends it; its exit status.
pub fn interrupt(child: &mut std::process::Child) -> std::process::ExitStatus {
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    child.wait().expect("lam exits")
}

/// The machine's certificate settings (a proxy in front of the package
/// index may need them; pip reads its own from pip.conf, uv these).
pub fn tls_roots() -> Vec<(String, std::ffi::OsString)> {
    ["SSL_CERT_FILE", "SSL_CERT_DIR"]
        .iter()
        .filter_map(|k| std::env::var_os(k).map(|v| (k.to_string(), v)))
        .collect()
}

/// A project directory with lam.toml and the given files.
pub fn project(lam_toml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("lam.toml"), lam_toml).expect("write lam.toml");
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(path, content).expect("write file");
    }
    dir
}

/// An SDK configuration pointing at moto, for reading state back.
pub fn sdk_config() -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(moto())
        .http_client(http)
        .credentials_provider(aws_sdk_lambda::config::SharedCredentialsProvider::new(
            aws_sdk_lambda::config::Credentials::new("testing", "testing", None, None, "test"),
        ))
        .build()
}

pub fn lambda_client() -> aws_sdk_lambda::Client {
    aws_sdk_lambda::Client::new(&sdk_config())
}

/// Runs a future to completion on a fresh runtime (tests are synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// Incompressible bytes (xorshift), for packages that must stay large when zipped.
pub fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut out = vec![0u8; len];
    for chunk in out.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
    out
}

/// The AWS calls of a `-v` run, as "Service.Operation" (`aws: SERVICE.OP STATUS TIME`).
pub fn calls(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("aws: "))
        .filter_map(|l| {
            let (service, rest) = l.split_once('.')?;
            let op = rest.split_whitespace().next()?;
            Some(format!("{service}.{op}"))
        })
        .collect()
}

pub fn mutating(calls: &[String]) -> Vec<String> {
    const READS: [&str; 4] = ["Get", "List", "Describe", "Simulate"];
    calls
        .iter()
        .filter(|c| {
            let op = c.rsplit('.').next().unwrap_or_default();
            // The deploy lock (an SSM parameter, the only one lam writes)
            // is taken and released by every deploy that changes
            // something: bookkeeping, not a change to the stage.
            let lock = matches!(op, "PutParameter" | "DeleteParameter");
            !READS.iter().any(|r| op.starts_with(r)) && !lock
        })
        .cloned()
        .collect()
}

/// Every file under `dir`, recursively (directories left out).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// An S3 client for moto (path-style addressing).
pub fn s3() -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(&sdk_config())
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// Creates a SQS queue in moto; returns its ARN.
/// Has the validator in front of moto answer a request moto cannot (see
/// model_validator.py's stubs): `stub` is {"method", "path", "status",
/// "body" | "bodies"}; the request is still checked against the model.
pub fn stub(stub: &serde_json::Value) {
    let (status, body) = http(
        moto(),
        "POST",
        "/lam-test/stub",
        "application/json",
        None,
        &stub.to_string(),
    )
    .expect("the validator takes the stub");
    assert_eq!(status, 204, "{body}");
}

pub fn create_queue(name: &str) -> String {
    let (status, body) = http(
        moto(),
        "POST",
        "/",
        "application/x-www-form-urlencoded",
        Some("sqs"),
        &format!("Action=CreateQueue&QueueName={name}&Version=2012-11-05"),
    )
    .expect("CreateQueue");
    assert_eq!(status, 200, "{body}");
    format!("arn:aws:sqs:us-east-1:123456789012:{name}")
}

/// A zip holding one file.
pub fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    w.start_file(name, zip::write::SimpleFileOptions::default())
        .expect("zip entry");
    w.write_all(content).expect("zip write");
    w.finish().expect("zip finish");
    buf.into_inner()
}

pub fn logs_client() -> aws_sdk_cloudwatchlogs::Client {
    aws_sdk_cloudwatchlogs::Client::new(&sdk_config())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Creates the log group `group`, as Lambda does at a function's first
/// log; one that exists already (moto's Lambda may have made it) is kept.
pub fn create_log_group(group: &str) {
    match block_on(
        logs_client()
            .create_log_group()
            .log_group_name(group)
            .send(),
    ) {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_already_exists_exception()) => {}
        Err(e) => panic!("create group {group}: {e:?}"),
    }
}

/// Writes log events into `stream` of `group` (made if missing), as Lambda
/// would have.
pub fn put_logs<M: AsRef<str>>(group: &str, stream: &str, events: &[(i64, M)]) {
    let client = logs_client();
    block_on(async {
        let _ = client
            .create_log_stream()
            .log_group_name(group)
            .log_stream_name(stream)
            .send()
            .await;
        let batch: Vec<_> = events
            .iter()
            .map(|(ts, m)| {
                aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                    .timestamp(*ts)
                    .message(m.as_ref())
                    .build()
                    .unwrap()
            })
            .collect();
        client
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .set_log_events(Some(batch))
            .send()
            .await
            .expect("put_log_events");
    });
}

/// A moto IAM user whose one inline policy is `statements`, and its access
/// key: a deployer with exactly these permissions (the validating proxy's
/// policy simulator reads them).
pub fn iam_user(prefix: &str, statements: serde_json::Value) -> (String, String) {
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    let user = unique(prefix);
    block_on(iam.create_user().user_name(&user).send()).expect("CreateUser");
    let key = block_on(iam.create_access_key().user_name(&user).send())
        .expect("CreateAccessKey")
        .access_key
        .expect("an access key");
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
    block_on(
        iam.put_user_policy()
            .user_name(&user)
            .policy_name("deploy")
            .policy_document(policy.to_string())
            .send(),
    )
    .expect("PutUserPolicy");
    (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    )
}
