//! Running handlers on this machine, the way Lambda runs them: a runtime
//! process (lam's bootstrap or the official runtime interface client) talks
//! to lam's Runtime API emulator. No Docker.

mod interpreter;
pub mod runtime_api;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use console::style;
use tokio::process::{Child, Command};

use crate::config::rules::Language;
use crate::config::{Function, Project};
use crate::error::{Error, Result};
use crate::invocation::Outcome;
use runtime_api::{Invocation, RuntimeApi, RuntimeEvent};

/// Lambda's limit on initialisation before the first invoke.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Lambda's limit on a synchronous response.
pub const RESPONSE_LIMIT: usize = 6 * 1024 * 1024;

const PYTHON_BOOTSTRAP: &str = include_str!("bootstrap.py");

/// How a local run is set up, beyond lam.toml.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run the official awslambdaric instead of lam's bootstrap.
    pub ric: bool,
    /// Where the handler's own output goes: shown (false) or discarded (true).
    pub quiet: bool,
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

/// One runtime process with its Runtime API.
pub struct Runtime {
    api: RuntimeApi,
    child: Child,
    function: Function,
    spawned: Instant,
    /// The runtime has asked for its first event.
    ready: bool,
    /// Init Duration, until the first REPORT line has shown it.
    unreported_init: Option<Duration>,
    account_arn_prefix: String,
}

/// The figures of Lambda's REPORT line.
#[derive(Debug, Clone)]
pub struct Report {
    pub request_id: String,
    pub duration: Duration,
    pub init_duration: Option<Duration>,
    pub max_memory_mb: Option<u64>,
    pub memory_size: u32,
}

impl Report {
    pub fn line(&self) -> String {
        let ms = self.duration.as_secs_f64() * 1000.0;
        let billed = ms.ceil().max(1.0) as u64;
        let mut line = format!(
            "REPORT RequestId: {}\tDuration: {:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB\tMax Memory Used: {}",
            self.request_id,
            ms,
            billed,
            self.memory_size,
            self.max_memory_mb
                .map(|m| format!("{m} MB"))
                .unwrap_or_else(|| "unknown".into()),
        );
        if let Some(init) = self.init_duration {
            line.push_str(&format!(
                "\tInit Duration: {:.2} ms",
                init.as_secs_f64() * 1000.0
            ));
        }
        line
    }
}

impl Runtime {
    /// Starts the runtime process for `function` and waits until it asks for
    /// its first event (or fails to initialise).
    pub async fn start(project: &Project, function: &Function, opts: &Options) -> Result<Runtime> {
        let api = RuntimeApi::start().await?;
        let mut command = runtime_command(project, function, opts)?;
        command
            .current_dir(&function.source)
            .env_clear()
            .envs(runtime_env(project, function, opts, &api.addr.to_string()))
            .stdin(Stdio::null())
            .kill_on_drop(true);
        if opts.quiet {
            command.stdout(Stdio::null()).stderr(Stdio::null());
        } else {
            // The handler's prints are logs, not the result: they go to stderr.
            command.stdout(stderr_stdio()).stderr(Stdio::inherit());
        }
        let program = command
            .as_std()
            .get_program()
            .to_string_lossy()
            .into_owned();
        let child = command.spawn().map_err(|e| {
            Error::local(format!(
                "cannot start '{program}': {}",
                crate::error::io_reason(&e)
            ))
            .with_hint("check that the interpreter exists and can run")
        })?;
        Ok(Runtime {
            api,
            child,
            function: function.clone(),
            spawned: Instant::now(),
            ready: false,
            unreported_init: None,
            account_arn_prefix: format!("arn:aws:lambda:{}:123456789012:function:", opts.region),
        })
    }

    /// Sends one event and waits for the answer, enforcing the timeout.
    /// A cold runtime reports its Init Duration once.
    pub async fn invoke(&mut self, payload: Bytes, quiet: bool) -> Result<(Outcome, Report)> {
        if !self.ready {
            if let Some(failure) = self.wait_ready().await? {
                return Ok(failure);
            }
        }
        let request_id = new_request_id();
        let timeout = Duration::from_secs(u64::from(self.function.timeout));
        let deadline_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .saturating_add(timeout)
            .as_millis();
        if !quiet {
            eprintln!(
                "{}",
                style(format!("START RequestId: {request_id} Version: $LATEST")).dim()
            );
        }
        let started = Instant::now();
        self.api
            .submit(Invocation {
                request_id: request_id.clone(),
                payload,
                deadline_ms,
                function_arn: format!("{}{}", self.account_arn_prefix, self.function.name),
                trace_id: format!(
                    "Root=1-{:08x}-{}",
                    deadline_ms / 1000,
                    &request_id.replace('-', "")[..24]
                ),
                client_context: None,
                cognito_identity: None,
            })
            .await?;
        let outcome = tokio::select! {
            outcome = self.wait_result(&request_id) => outcome,
            _ = tokio::time::sleep(timeout) => {
                let _ = self.child.start_kill();
                let message = format!(
                    "{} Task timed out after {:.2} seconds",
                    request_id,
                    timeout.as_secs_f64()
                );
                if !quiet {
                    eprintln!("{}", style(&message).red());
                }
                failure(&request_id, "Sandbox.Timedout", &message)
            }
        };
        let report = Report {
            request_id: request_id.clone(),
            duration: started.elapsed(),
            init_duration: self.unreported_init.take(),
            max_memory_mb: self.child.id().and_then(max_memory_mb),
            memory_size: self.function.memory,
        };
        if !quiet {
            eprintln!("{}", style(format!("END RequestId: {request_id}")).dim());
            eprintln!("{}", style(report.line()).dim());
        }
        Ok((outcome, report))
    }

    /// Waits for the first `GET next`. Returns an outcome when the runtime
    /// failed to initialise instead.
    async fn wait_ready(&mut self) -> Result<Option<(Outcome, Report)>> {
        let deadline = tokio::time::sleep(INIT_TIMEOUT);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                event = self.api.events.recv() => match event {
                    Some(RuntimeEvent::Ready(at)) => {
                        self.ready = true;
                        self.unreported_init = Some(at.duration_since(self.spawned));
                        return Ok(None);
                    }
                    Some(RuntimeEvent::InitError { error_type, body }) => {
                        let _ = tokio::time::timeout(Duration::from_secs(2), self.child.wait()).await;
                        let outcome = Outcome {
                            status: 200,
                            function_error: Some(error_type.unwrap_or_else(|| "Unhandled".into())),
                            payload: body.to_vec(),
                            ..Outcome::default()
                        };
                        return Ok(Some((outcome, self.init_report())));
                    }
                    Some(_) => continue,
                    None => return Err(Error::local("the Runtime API server stopped")),
                },
                status = self.child.wait() => {
                    let status = status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
                    let hint = if self.function.language() == Language::Python {
                        "the runtime exited before asking for an event; with --ric, install awslambdaric \
                         in the project's interpreter (pip install awslambdaric)"
                    } else {
                        "the runtime exited before asking for an event; its output is above"
                    };
                    return Err(Error::local(format!("the runtime process exited during start-up ({status})"))
                        .with_hint(hint));
                }
                _ = &mut deadline => {
                    let _ = self.child.start_kill();
                    return Err(Error::local(format!(
                        "the runtime did not finish initialising within {} s",
                        INIT_TIMEOUT.as_secs()
                    ))
                    .with_hint("move slow work out of module scope, or check the handler's imports"));
                }
            }
        }
    }

    fn init_report(&self) -> Report {
        Report {
            request_id: String::new(),
            duration: self.spawned.elapsed(),
            init_duration: None,
            max_memory_mb: None,
            memory_size: self.function.memory,
        }
    }

    async fn wait_result(&mut self, request_id: &str) -> Outcome {
        loop {
            tokio::select! {
                event = self.api.events.recv() => match event {
                    Some(RuntimeEvent::Response { request_id: id, body }) if id == request_id => {
                        if body.len() > RESPONSE_LIMIT {
                            return failure(
                                request_id,
                                "Function.ResponseSizeTooLarge",
                                &format!("Response payload size ({} bytes) exceeded maximum allowed payload size ({RESPONSE_LIMIT} bytes).", body.len()),
                            );
                        }
                        return Outcome {
                            status: 200,
                            executed_version: Some("$LATEST".into()),
                            payload: body.to_vec(),
                            request_id: Some(request_id.to_string()),
                            ..Outcome::default()
                        };
                    }
                    Some(RuntimeEvent::Error { request_id: id, error_type, body }) if id == request_id => {
                        return Outcome {
                            status: 200,
                            function_error: Some(error_type.unwrap_or_else(|| "Unhandled".into())),
                            executed_version: Some("$LATEST".into()),
                            payload: body.to_vec(),
                            request_id: Some(request_id.to_string()),
                            ..Outcome::default()
                        };
                    }
                    Some(_) => continue,
                    None => return failure(request_id, "Runtime.ExitError", "the Runtime API server stopped"),
                },
                status = self.child.wait() => {
                    let status = status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
                    return failure(
                        request_id,
                        "Runtime.ExitError",
                        &format!("RequestId: {request_id} Error: Runtime exited with error: {status}"),
                    );
                }
            }
        }
    }

    /// Stops the runtime process.
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

fn failure(request_id: &str, error_type: &str, message: &str) -> Outcome {
    let payload = serde_json::json!({ "errorMessage": message, "errorType": error_type });
    Outcome {
        status: 200,
        function_error: Some("Unhandled".into()),
        executed_version: Some("$LATEST".into()),
        payload: payload.to_string().into_bytes(),
        request_id: Some(request_id.to_string()),
        log_tail: None,
    }
}

/// Starts a runtime, invokes it once, stops it.
pub async fn invoke_once(
    project: &Project,
    function: &Function,
    payload: Vec<u8>,
    opts: &Options,
) -> Result<Outcome> {
    let mut runtime = Runtime::start(project, function, opts).await?;
    let (outcome, _) = runtime.invoke(Bytes::from(payload), opts.quiet).await?;
    runtime.stop().await;
    Ok(outcome)
}

fn runtime_command(project: &Project, function: &Function, opts: &Options) -> Result<Command> {
    match function.language() {
        Language::Python => {
            let python = interpreter::python(&project.root, &function.source)?;
            let mut cmd = Command::new(python);
            if opts.ric {
                cmd.args(["-m", "awslambdaric", &function.handler]);
            } else {
                let bootstrap = write_bootstrap(&project.root, "bootstrap.py", PYTHON_BOOTSTRAP)?;
                cmd.arg(bootstrap);
            }
            Ok(cmd)
        }
        Language::Node => Err(Error::local(format!(
            "local runs of {} are not implemented yet",
            function.runtime
        ))
        .with_hint("use a Python runtime locally for now, or `lam deploy` and `lam invoke`")),
        Language::Other => Err(Error::local(format!(
            "lam cannot run {} functions locally",
            function.runtime
        ))
        .with_hint("local runs support Python runtimes")),
    }
}

/// Writes the embedded bootstrap under `.lam/runtime/` (once per content).
fn write_bootstrap(root: &Path, name: &str, content: &str) -> Result<PathBuf> {
    let dir = root.join(".lam").join("runtime");
    let path = dir.join(name);
    if std::fs::read_to_string(&path).is_ok_and(|existing| existing == content) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let tmp = dir.join(format!(".{name}.{}", std::process::id()));
    std::fs::write(&tmp, content).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))?;
    Ok(path)
}

/// Variables passed through from lam's own environment.
const PASSED_THROUGH: &[&str] = &[
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "SYSTEMROOT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_CA_BUNDLE",
];

/// The environment Lambda gives a function, plus the function's own.
fn runtime_env(
    project: &Project,
    function: &Function,
    opts: &Options,
    api_addr: &str,
) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| PASSED_THROUGH.contains(&k.as_str()) || k.starts_with("AWS_ENDPOINT_URL_"))
        .collect();
    env.extend(function.env.clone());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let (y, m, d) = crate::clock::civil_date(now);
    let stream_id = new_request_id().replace('-', "");
    let task_root = function.source.to_string_lossy().into_owned();
    let lambda_vars = [
        ("AWS_LAMBDA_RUNTIME_API", api_addr.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", function.name.clone()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_string()),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            function.memory.to_string(),
        ),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            format!("/aws/lambda/{}", function.name),
        ),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            format!("{y:04}/{m:02}/{d:02}/[$LATEST]{stream_id}"),
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_string()),
        (
            "AWS_EXECUTION_ENV",
            format!("AWS_Lambda_{}", function.runtime),
        ),
        ("AWS_REGION", opts.region.clone()),
        ("AWS_DEFAULT_REGION", opts.region.clone()),
        ("LAMBDA_TASK_ROOT", task_root),
        ("_HANDLER", function.handler.clone()),
        ("TZ", ":UTC".to_string()),
        ("LAM_LOCAL", "1".to_string()),
        ("LAM_STAGE", project.stage.clone()),
        ("PYTHONUNBUFFERED", "1".to_string()),
        ("PYTHONDONTWRITEBYTECODE", "1".to_string()),
    ];
    env.extend(lambda_vars.into_iter().map(|(k, v)| (k.to_string(), v)));
    if let Some(profile) = &opts.profile {
        env.insert("AWS_PROFILE".into(), profile.clone());
    }
    if let Some(url) = &opts.endpoint_url {
        env.insert("AWS_ENDPOINT_URL".into(), url.clone());
    }
    env
}

#[cfg(unix)]
fn stderr_stdio() -> Stdio {
    use std::os::fd::AsFd;
    match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::inherit(),
    }
}

#[cfg(not(unix))]
fn stderr_stdio() -> Stdio {
    Stdio::inherit()
}

/// Peak resident memory of a process, from /proc (Linux).
fn max_memory_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.div_ceil(1024))
}

/// A random UUID-shaped request id (version 4 layout).
pub fn new_request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped_and_unique() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn report_line_matches_lambdas_layout() {
        let r = Report {
            request_id: "id".into(),
            duration: Duration::from_micros(1_234),
            init_duration: Some(Duration::from_millis(80)),
            max_memory_mb: Some(20),
            memory_size: 128,
        };
        assert_eq!(
            r.line(),
            "REPORT RequestId: id\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tInit Duration: 80.00 ms"
        );
    }

    #[test]
    fn own_memory_is_readable() {
        assert!(max_memory_mb(std::process::id()).is_some_and(|m| m > 0));
    }
}
