//! One runtime process and its Runtime API: start it, hand it events, read
//! back results, enforce the timeout, measure what Lambda's REPORT line shows.

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use console::style;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;

use super::runtime_api::{Invocation, RuntimeApi, RuntimeEvent};
use super::{Options, new_request_id, process, task};
use crate::config::rules::Language;
use crate::config::{Function, Project};
use crate::error::{Error, Result};
use crate::invocation::Outcome;

/// Lambda's limit on initialisation before the first invoke.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Lambda's limit on a synchronous response.
pub const RESPONSE_LIMIT: usize = 6 * 1024 * 1024;
/// Lambda's LogResult holds the last 4 KB of the log.
const LOG_TAIL_BYTES: usize = 4 * 1024;
/// How much captured output a runtime keeps between invocations.
const CAPTURE_LIMIT: usize = 64 * 1024;

/// Where the handler's stdout and stderr go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogMode {
    /// Straight to lam's stderr, in order with lam's own lines.
    Stream,
    /// Discarded (`-q`, `--output json`).
    Discard,
    /// Forwarded to lam's stderr line by line and kept, so that an invoke can
    /// return its log tail (the Invoke API's X-Amz-Log-Result).
    Capture,
}

/// One invocation's input: the event, and what the Invoke API carries
/// beside it.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub payload: Bytes,
    /// The client context as JSON text (the Invoke API's ClientContext,
    /// decoded from base64), handed to the runtime as Lambda does.
    pub client_context: Option<String>,
    /// The tenant of a multi-tenant function (the Invoke API's TenantId).
    pub tenant_id: Option<String>,
    /// When the caller stops waiting, if that is before the function's
    /// own timeout would end the run (lam dev: the deployed relay's
    /// remaining time). Not under a debugger, whose clock stands still.
    pub deadline: Option<SystemTime>,
}

impl From<Bytes> for Input {
    fn from(payload: Bytes) -> Input {
        Input {
            payload,
            ..Input::default()
        }
    }
}

/// Checks a tenant id against the Invoke API's model: 1 to 256 characters
/// matching `[a-zA-Z0-9\._:\/=+\-@ ]+`.
pub fn check_tenant_id(tenant: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._:/=+-@ ".contains(c);
    if (1..=256).contains(&tenant.len()) && tenant.chars().all(allowed) {
        return Ok(());
    }
    Err(
        Error::usage(format!("tenant id {tenant:?} is not one Lambda accepts"))
            .with_hint("use 1 to 256 letters, digits, spaces or ._:/=+-@"),
    )
}

/// The Invoke API's limit on ClientContext, in base64 bytes
/// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
pub const CLIENT_CONTEXT_LIMIT: usize = 3583;

/// Checks a client context given as JSON text: a JSON object whose base64
/// form fits the Invoke API. Returns the base64 form.
pub fn client_context_base64(json: &str) -> Result<String> {
    use base64::Engine;
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        Error::usage(format!("the client context is not JSON: {e}"))
            .with_hint("pass a JSON object, e.g. --client-context '{\"custom\": {\"k\": \"v\"}}'")
    })?;
    if !value.is_object() {
        return Err(
            Error::usage("the client context is not a JSON object").with_hint(
                "pass an object such as {\"custom\": {...}, \"env\": {...}, \"client\": {...}}",
            ),
        );
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(json.as_bytes());
    if encoded.len() > CLIENT_CONTEXT_LIMIT {
        return Err(Error::usage(format!(
            "the client context is {} bytes in base64, over Lambda's limit of {CLIENT_CONTEXT_LIMIT}",
            encoded.len()
        ))
        .with_hint("send less in the client context; put large data in the event"));
    }
    Ok(encoded)
}

/// The figures of Lambda's REPORT line.
#[derive(Debug, Clone)]
pub struct Report {
    pub request_id: String,
    pub duration: Duration,
    pub init_duration: Option<Duration>,
    pub max_memory_mb: Option<u64>,
    pub memory_size: u32,
    /// Lambda's Status field, when the invocation did not end normally
    /// ("timeout", or "error" with its error type).
    pub status: Option<String>,
}

/// How Lambda writes its own lines (START, END, REPORT) for this
/// function: as text, as the JSON log format's platform events, or not at
/// all (JSON with `system_log_level = "WARN"`: these events are INFO).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemLog {
    Text,
    Json,
    Hidden,
}

impl SystemLog {
    pub fn of(logging: &crate::config::Logging) -> SystemLog {
        if !logging.format.eq_ignore_ascii_case("JSON") {
            SystemLog::Text
        } else if logging.system_log_level.as_deref() == Some("WARN") {
            SystemLog::Hidden
        } else {
            SystemLog::Json
        }
    }

    /// `{"time":…,"type":"platform.<kind>","record":{…}}` with the keys in
    /// the order CloudWatch shows them with the JSON log format; `record`
    /// is the record's members, already JSON.
    fn event(kind: &str, record: &str) -> String {
        format!(
            r#"{{"time":"{}","type":"platform.{kind}","record":{{{record}}}}}"#,
            crate::clock::iso(crate::clock::now_ms())
        )
    }

    /// The START line, or None when it is not written.
    pub fn start(self, request_id: &str) -> Option<String> {
        match self {
            SystemLog::Text => Some(format!(
                "START RequestId: {request_id} Version: {}",
                super::VERSION
            )),
            SystemLog::Json => Some(Self::event(
                "start",
                &format!(
                    r#""requestId":{},"version":"{}""#,
                    json(request_id),
                    super::VERSION
                ),
            )),
            SystemLog::Hidden => None,
        }
    }

    /// END (text) or platform.runtimeDone (JSON), which carries the
    /// invocation's status and duration.
    pub fn end(self, report: &Report) -> Option<String> {
        match self {
            SystemLog::Text => Some(format!("END RequestId: {}", report.request_id)),
            SystemLog::Json => Some(Self::event(
                "runtimeDone",
                &format!(
                    r#""requestId":{},"status":{},"metrics":{{"durationMs":{}}}"#,
                    json(&report.request_id),
                    json(report.json_status().0),
                    report.duration_ms()
                ),
            )),
            SystemLog::Hidden => None,
        }
    }

    pub fn report(self, report: &Report) -> Option<String> {
        match self {
            SystemLog::Text => Some(report.line()),
            SystemLog::Json => Some(Self::event("report", &report.record())),
            SystemLog::Hidden => None,
        }
    }
}

fn json(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

impl Report {
    /// Billed Duration: the duration rounded up to the millisecond (at
    /// least 1), the same in both log formats.
    fn billed_ms(&self) -> u64 {
        (self.duration.as_secs_f64() * 1000.0).ceil().max(1.0) as u64
    }

    fn duration_ms(&self) -> f64 {
        (self.duration.as_secs_f64() * 100_000.0).round() / 100.0
    }

    /// The status and error type of the JSON format's records, from the
    /// text format's `Status: …` / `Error Type: …` fields.
    fn json_status(&self) -> (&str, Option<&str>) {
        match self.status.as_deref() {
            None => ("success", None),
            Some(status) => match status.split_once("\tError Type: ") {
                Some((status, error_type)) => (status, Some(error_type)),
                None => (status, None),
            },
        }
    }

    /// The members of a `platform.report` record (the Lambda telemetry
    /// schema, in CloudWatch's order: requestId, metrics in ms and MB, status).
    pub fn record(&self) -> String {
        let ms = self.duration_ms();
        let mut metrics = format!(
            r#""durationMs":{ms},"billedDurationMs":{},"memorySizeMB":{}"#,
            self.billed_ms(),
            self.memory_size
        );
        if let Some(mb) = self.max_memory_mb {
            metrics.push_str(&format!(r#","maxMemoryUsedMB":{mb}"#));
        }
        if let Some(init) = self.init_duration {
            let init = (init.as_secs_f64() * 100_000.0).round() / 100.0;
            metrics.push_str(&format!(r#","initDurationMs":{init}"#));
        }
        let (status, error_type) = self.json_status();
        let mut record = format!(
            r#""requestId":{},"metrics":{{{metrics}}},"status":{}"#,
            json(&self.request_id),
            json(status)
        );
        if let Some(error_type) = error_type {
            record.push_str(&format!(r#","errorType":{}"#, json(error_type)));
        }
        record
    }

    pub fn line(&self) -> String {
        let ms = self.duration.as_secs_f64() * 1000.0;
        let billed = self.billed_ms();
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
        if let Some(status) = &self.status {
            line.push_str(&format!("\tStatus: {status}"));
        }
        line
    }
}

/// A running runtime process with its own Runtime API.
pub struct Runtime {
    api: RuntimeApi,
    child: Child,
    /// How to start the process again (an init over 10 s is retried).
    launch: Launch,
    /// When a timed-out init was started again, until the invocation that
    /// waited for it has charged the time to its timeout.
    retried_init: Option<Instant>,
    function: Function,
    spawned: Instant,
    /// The runtime has asked for its first event.
    ready: bool,
    /// Init Duration, until the first REPORT line has shown it.
    unreported_init: Option<Duration>,
    /// Timed out or crashed: must not serve another event.
    broken: bool,
    captured: Option<Arc<Mutex<VecDeque<u8>>>>,
    function_arn: String,
    /// `--debug`: the timeouts stand still while a debugger is attached.
    debug: Option<super::debug::Debug>,
    /// What listens on the debug port for this process.
    front: Option<super::debug::Front>,
}

impl Runtime {
    /// Starts the runtime process for `function`. It initialises in the
    /// background; the first `invoke` waits for it.
    pub async fn start(
        project: &Project,
        function: &Function,
        opts: &Options,
        logs: LogMode,
    ) -> Result<Runtime> {
        let mut api = RuntimeApi::start().await?;
        let command = process::command(project, function, opts)?;
        let task_root = task::prepare(project, function)?;
        let mut env =
            process::environment(project, function, opts, &api.addr.to_string(), &task_root);
        let interpreter = std::path::PathBuf::from(command.as_std().get_program());
        let deps = process::python_deps(project, function, &interpreter)?;
        if let Some(deps) = &deps {
            // The same dependency tree that goes into the zip.
            env.insert("PYTHONPATH".into(), deps.to_string_lossy().into_owned());
        }
        // The boto3 the runtime provides, after the function's own packages
        // (as /var/runtime is on Lambda).
        if function.language() == crate::config::rules::Language::Python
            && let Some(sdk) = super::sdk::python_sdk_path(
                &interpreter,
                &function.runtime,
                logs == LogMode::Discard,
            )
        {
            let sdk = sdk.to_string_lossy().into_owned();
            let path = match env.get("PYTHONPATH") {
                Some(p) => format!("{p}:{sdk}"),
                None => sdk,
            };
            env.insert("PYTHONPATH".into(), path);
        }
        // The AWS SDK the Node.js runtime provides, after the layers' and
        // before the task root's own lookup (/var/runtime/node_modules).
        if function.language() == crate::config::rules::Language::Node
            && let Some(sdk) = super::sdk::node_sdk_path(&task_root, logs == LogMode::Discard)
        {
            let sdk = sdk.to_string_lossy().into_owned();
            let path = match env.get("NODE_PATH") {
                Some(p) => match p.split_once(':') {
                    Some((layers, rest)) => format!("{layers}:{sdk}:{rest}"),
                    None => format!("{p}:{sdk}"),
                },
                None => sdk,
            };
            env.insert("NODE_PATH".into(), path);
        }
        // Each runtime process has a debugger front of its own.
        let debug = opts.debug.as_ref().map(super::debug::Debug::fresh);
        let mut front = None;
        if let Some(debug) = &debug {
            let started = super::debug::Front::start(debug, function.language()).await?;
            env.insert("_LAM_DEBUG".into(), started.runtime_setting(debug));
            front = Some(started);
            // debugpy from lam's cache, after the package's own tree: it is
            // never part of what `lam build` packages.
            if function.language() == crate::config::rules::Language::Python
                && let Some(dir) =
                    super::debug::debugpy_path(&interpreter, logs == LogMode::Discard)?
            {
                let dir = dir.to_string_lossy().into_owned();
                let path = match env.get("PYTHONPATH") {
                    Some(p) => format!("{p}:{dir}"),
                    None => dir,
                };
                env.insert("PYTHONPATH".into(), path);
            }
        }
        // lam's own Python bootstrap speaks the Runtime API over pipes.
        let piped = cfg!(target_os = "linux")
            && function.language() == crate::config::rules::Language::Python
            && !opts.ric;
        if piped {
            env.insert("_LAM_RUNTIME_FDS".into(), "3,4".into());
        }
        let std = command.as_std();
        // On a terminal a handler's output passes through lam, which shows
        // its control characters escaped; otherwise it goes straight out.
        let through_lam = logs == LogMode::Stream && crate::ui::stderr_tty();
        // Import timings arrive on stderr: the output passes through lam,
        // which sets them apart.
        let imports = opts.profile_init.then(|| Arc::new(Mutex::new(Vec::new())));
        if opts.profile_init {
            let module = function.handler.rsplit_once('.').map_or("", |(m, _)| m);
            env.insert("_LAM_PROFILE_INIT".into(), module.to_string());
        }
        let through_lam = through_lam || (imports.is_some() && logs == LogMode::Stream);
        let launch = Launch {
            program: std.get_program().to_os_string(),
            args: std.get_args().map(|a| a.to_os_string()).collect(),
            env,
            #[cfg(target_os = "linux")]
            read_only: task::ReadOnly::new(
                &std::iter::once(task_root.as_path())
                    .chain(deps.as_deref())
                    .collect::<Vec<_>>(),
            )
            .map(|r| {
                // With lam's tree in the task root, the project's own
                // node_modules above it is not there (as on Lambda).
                // (Not under --ric: the official client may live there.)
                let managed = function.language() == crate::config::rules::Language::Node
                    && !opts.ric
                    && crate::package::deps::manages_node_modules(function);
                if managed {
                    r.hiding(&[
                        project.root.join("node_modules"),
                        function.source.join("node_modules"),
                    ])
                } else {
                    r
                }
            })
            .map(Arc::new),
            cwd: task_root,
            piped,
            logs,
            through_lam,
            buffer: (logs == LogMode::Capture || through_lam)
                .then(|| Arc::new(Mutex::new(VecDeque::new()))),
            imports,
        };
        let child = launch.spawn(&mut api)?;
        // Streamed through lam: nothing is kept for a log tail.
        let captured = launch.buffer.clone().filter(|_| logs == LogMode::Capture);
        Ok(Runtime {
            api,
            child,
            launch,
            retried_init: None,
            function: function.clone(),
            spawned: Instant::now(),
            ready: false,
            unreported_init: None,
            broken: false,
            captured,
            debug,
            front,
            // Invoked through the alias, as API Gateway invokes it.
            function_arn: format!(
                "arn:aws:lambda:{}:123456789012:function:{}:{}",
                opts.region, function.name, function.alias
            ),
        })
    }

    /// Whether this runtime can take another event.
    pub fn reusable(&mut self) -> bool {
        !self.broken && matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends one event and waits for the answer, enforcing the timeout. A
    /// cold runtime reports its Init Duration once. With `report_lines`,
    /// prints Lambda's START / END / REPORT lines on stderr; with `log_tail`
    /// (and captured logs) the outcome carries the invocation's log.
    pub async fn invoke(
        &mut self,
        input: Input,
        report_lines: bool,
        log_tail: bool,
    ) -> Result<(Outcome, Report)> {
        let request_id = new_request_id();
        if !self.ready
            && let Some(failure) = self.wait_ready(&request_id, report_lines).await?
        {
            return Ok(failure);
        }
        // After an init retried in this invocation, the retry used part of
        // the function's timeout (not under --debug, whose clock stood still
        // at the init's breakpoints).
        let retried = self.retried_init.take().filter(|_| self.debug.is_none());
        let mut timeout = Duration::from_secs(u64::from(self.function.timeout))
            .saturating_sub(retried.map(|at| at.elapsed()).unwrap_or_default());
        if let Some(deadline) = input.deadline.filter(|_| self.debug.is_none()) {
            let left = deadline
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            timeout = timeout.min(left);
        }
        // Under a debugger the handler's remaining time says the timeout is
        // suspended.
        let remaining = match &self.debug {
            Some(debug) if debug.attached() => super::debug::SUSPENDED_DEADLINE,
            _ => timeout,
        };
        let deadline_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .saturating_add(remaining)
            .as_millis();
        let system = SystemLog::of(&self.function.logging);
        let start_line = system.start(&request_id);
        if let Some(line) = start_line.as_ref().filter(|_| report_lines) {
            eprintln!("{}", style(line).dim());
        }
        if let Some(buffer) = &self.captured {
            lock(buffer).clear();
        }
        let started = Instant::now();
        self.api
            .submit(Invocation {
                request_id: request_id.clone(),
                payload: input.payload,
                deadline_ms,
                function_arn: self.function_arn.clone(),
                trace_id: format!(
                    "Root=1-{:08x}-{};Sampled=0",
                    deadline_ms / 1000,
                    &request_id.replace('-', "")[..24]
                ),
                client_context: input.client_context,
                cognito_identity: None,
                tenant_id: input.tenant_id,
            })
            .await?;
        let pid = self.child.id();
        let limit_mb = u64::from(self.function.memory);
        let mut status = None;
        let mut oom = false;
        let debug = self.debug.clone();
        let mut outcome = tokio::select! {
            outcome = self.wait_result(&request_id) => outcome,
            _ = expire(debug, timeout) => {
                self.broken = true;
                let _ = self.child.start_kill();
                let message = timed_out(&request_id, self.function.timeout);
                eprintln!("{}", style(&message).red());
                status = Some("timeout".to_string());
                failure(&request_id, "Sandbox.Timedout", &message)
            }
            _ = memory_exceeded(pid, limit_mb) => {
                oom = true;
                self.out_of_memory(&request_id)
            }
        };
        let peak = pid.and_then(process::max_memory_mb);
        // A handler that went over its memory between two looks, then
        // answered, would have been killed on Lambda all the same.
        if peak.is_some_and(|mb| mb > limit_mb) && !self.broken {
            oom = true;
            outcome = self.out_of_memory(&request_id);
        }
        if oom {
            status = Some("error\tError Type: Runtime.OutOfMemory".to_string());
        }
        let report = Report {
            request_id: request_id.clone(),
            duration: started.elapsed(),
            init_duration: self.unreported_init.take(),
            max_memory_mb: if oom {
                Some(limit_mb)
            } else {
                peak.map(|mb| mb.min(limit_mb))
            },
            memory_size: self.function.memory,
            status,
        };
        let end_line = system.end(&report);
        let report_line = system.report(&report);
        if report_lines {
            for line in [&end_line, &report_line].into_iter().flatten() {
                eprintln!("{}", style(line).dim());
            }
        }
        if let Some(buffer) = self.captured.as_ref().filter(|_| log_tail) {
            // The handler wrote its logs before it posted the result; let the
            // forwarding tasks read what is already in the pipes.
            tokio::time::sleep(Duration::from_millis(1)).await;
            let logs: Vec<u8> = lock(buffer).drain(..).collect();
            let line =
                |l: &Option<String>| l.as_ref().map(|l| format!("{l}\n")).unwrap_or_default();
            let text = format!(
                "{}{}{}{}",
                line(&start_line),
                String::from_utf8_lossy(&logs),
                line(&end_line),
                line(&report_line)
            );
            outcome.log_tail = Some(tail(&text, LOG_TAIL_BYTES).to_string());
        }
        Ok((outcome, report))
    }

    /// Lambda kills a function that goes over its memory: the process ends
    /// and the invocation fails as any killed runtime does, Runtime.ExitError
    /// "Runtime exited with error: signal: killed"; only the REPORT line
    /// says `Error Type: Runtime.OutOfMemory`. In the Runtime Interface
    /// Emulator (aws/aws-lambda-runtime-interface-emulator) a runtime's exit
    /// is Runtime.ExitError on the on-demand path
    /// (internal/lambda/rapid/handlers.go); Runtime.OutOfMemory is an
    /// invoke error only for Lambda Managed Instances.
    fn out_of_memory(&mut self, request_id: &str) -> Outcome {
        self.broken = true;
        let _ = self.child.start_kill();
        let message =
            format!("RequestId: {request_id} Error: Runtime exited with error: signal: killed");
        eprintln!(
            "{}",
            style(format!(
                "{message} (over the function's memory of {} MB)",
                self.function.memory
            ))
            .red()
        );
        failure(request_id, "Runtime.ExitError", &message)
    }

    /// Waits for the first `GET next`. Returns an outcome when the runtime
    /// failed to initialise instead: its init error, or `Runtime.ExitError`
    /// when it exited, answered to the invocation `request_id` with status
    /// 200 as Lambda does.
    async fn wait_ready(
        &mut self,
        request_id: &str,
        report_lines: bool,
    ) -> Result<Option<(Outcome, Report)>> {
        let debug = self.debug.clone();
        let deadline = expire(debug.clone(), INIT_TIMEOUT);
        tokio::pin!(deadline);
        let mut retried = false;
        loop {
            tokio::select! {
                event = self.api.events.recv() => match event {
                    Some(RuntimeEvent::Ready(at)) => {
                        self.ready = true;
                        self.unreported_init = Some(at.duration_since(self.spawned));
                        return Ok(None);
                    }
                    Some(RuntimeEvent::InitError { body, .. }) => {
                        self.broken = true;
                        let _ = tokio::time::timeout(Duration::from_secs(2), self.child.wait()).await;
                        let outcome = Outcome {
                            status: 200,
                            function_error: Some("Unhandled".into()),
                            payload: body.to_vec(),
                            ..Outcome::default()
                        };
                        return Ok(Some((outcome, self.init_report())));
                    }
                    Some(_) => continue,
                    None => return Err(Error::local("the Runtime API server stopped")),
                },
                status = self.child.wait() => {
                    self.broken = true;
                    let status = status.map_err(|e| {
                        Error::local(format!("cannot wait for the runtime process: {e}"))
                    })?;
                    // A runtime may post its init error and exit at once
                    // (Node.js ends on the rejection): the post, still on
                    // its way through the Runtime API, is the answer, as
                    // on Lambda.
                    let posted = tokio::time::timeout(Duration::from_millis(250), async {
                        loop {
                            match self.api.events.recv().await {
                                Some(RuntimeEvent::InitError { body, .. }) => return Some(body),
                                Some(_) => continue,
                                None => return None,
                            }
                        }
                    })
                    .await
                    .ok()
                    .flatten();
                    if let Some(body) = posted {
                        let outcome = Outcome {
                            status: 200,
                            function_error: Some("Unhandled".into()),
                            payload: body.to_vec(),
                            ..Outcome::default()
                        };
                        return Ok(Some((outcome, self.init_report())));
                    }
                    if report_lines {
                        let hint = if self.function.language() == Language::Python {
                            " (with --ric, awslambdaric must be installed in the project's interpreter)"
                        } else {
                            ""
                        };
                        eprintln!(
                            "{}",
                            style(format!("the runtime exited during init: its output is above{hint}")).dim()
                        );
                    }
                    let outcome = exit_error(request_id, status);
                    return Ok(Some((outcome, self.init_report())));
                }
                _ = &mut deadline => {
                    if retried {
                        self.broken = true;
                        let _ = self.child.start_kill();
                        let message = timed_out(request_id, self.function.timeout);
                        eprintln!("{}", style(&message).red());
                        let outcome = failure(request_id, "Sandbox.Timedout", &message);
                        return Ok(Some((outcome, self.init_report())));
                    }
                    // Lambda limits init to 10 s, then retries it at the
                    // first invocation with the function's timeout (the
                    // execution environment lifecycle, "Init phase":
                    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
                    let _ = self.child.start_kill();
                    let _ = self.child.wait().await;
                    if report_lines {
                        eprintln!(
                            "{}",
                            style(format!(
                                "INIT_REPORT Init Duration: {:.2} ms\tPhase: init\tStatus: timeout",
                                self.spawned.elapsed().as_secs_f64() * 1000.0
                            ))
                            .dim()
                        );
                    }
                    if let Some(front) = &self.front {
                        front.runtime_restarted();
                    }
                    self.child = self.launch.spawn(&mut self.api)?;
                    if let Some(debug) = &self.debug {
                        debug.restart();
                    }
                    self.spawned = Instant::now();
                    self.retried_init = Some(self.spawned);
                    retried = true;
                    let timeout = Duration::from_secs(u64::from(self.function.timeout));
                    deadline.set(expire(debug.clone(), timeout));
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
            status: None,
        }
    }

    async fn wait_result(&mut self, request_id: &str) -> Outcome {
        loop {
            tokio::select! {
                event = self.api.events.recv() => match event {
                    Some(RuntimeEvent::Response { request_id: id, body, size }) if id == request_id => {
                        if size > RESPONSE_LIMIT {
                            return failure(
                                request_id,
                                "Function.ResponseSizeTooLarge",
                                &format!(
                                    "Response payload size ({size} bytes) exceeded maximum allowed payload size ({RESPONSE_LIMIT} bytes).",
                                ),
                            );
                        }
                        return Outcome {
                            status: 200,
                            executed_version: Some(super::VERSION.into()),
                            payload: body.to_vec(),
                            request_id: Some(request_id.to_string()),
                            ..Outcome::default()
                        };
                    }
                    Some(RuntimeEvent::Error { request_id: id, body, .. }) if id == request_id => {
                        // Lambda answers every runtime-reported error as Unhandled.
                        return Outcome {
                            status: 200,
                            function_error: Some("Unhandled".into()),
                            executed_version: Some(super::VERSION.into()),
                            payload: body.to_vec(),
                            request_id: Some(request_id.to_string()),
                            ..Outcome::default()
                        };
                    }
                    Some(_) => continue,
                    None => return failure(request_id, "Runtime.ExitError", "the Runtime API server stopped"),
                },
                status = self.child.wait() => {
                    self.broken = true;
                    return match status {
                        Ok(status) => exit_error(request_id, status),
                        Err(e) => failure(request_id, "Runtime.ExitError", &format!("RequestId: {request_id} Error: {e}")),
                    };
                }
            }
        }
    }

    /// The `-X importtime` lines the runtime has written (--profile-init).
    pub fn import_lines(&self) -> Vec<String> {
        self.launch
            .imports
            .as_ref()
            .map(|i| lock(i).clone())
            .unwrap_or_default()
    }

    /// Stops the runtime process.
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// Stops the runtime process as lam is about to exit: killed, and
    /// waited for only when its output passes through lam (the rest of its
    /// log must be read). Otherwise the kernel tears it down while lam
    /// prints and exits, which a one-off `lam invoke --local` would
    /// otherwise wait a millisecond or two for.
    pub async fn finish(mut self) {
        let _ = self.child.start_kill();
        if self.launch.buffer.is_some() {
            let _ = self.child.wait().await;
        }
    }
}

/// Moves the runtime's pipe ends to descriptors above 4 (close-on-exec), so
/// that putting them on 3 and 4 in the child cannot overwrite one with the
/// other.
#[cfg(target_os = "linux")]
fn high_fds(
    (reads, writes): (std::os::fd::OwnedFd, std::os::fd::OwnedFd),
) -> Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)> {
    use std::os::fd::{AsRawFd, FromRawFd};
    let high = |fd: &std::os::fd::OwnedFd| {
        // SAFETY: F_DUPFD_CLOEXEC on a descriptor we own returns a new one
        // (or -1), which the OwnedFd then owns alone.
        let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 5) };
        if new < 0 {
            return Err(Error::local(format!(
                "cannot pass the Runtime API's pipes: {}",
                std::io::Error::last_os_error()
            )));
        }
        // SAFETY: `new` is a fresh descriptor nothing else owns.
        Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(new) })
    };
    Ok((high(&reads)?, high(&writes)?))
}

/// The runtime process's command line, environment and output wiring.
struct Launch {
    program: std::ffi::OsString,
    args: Vec<std::ffi::OsString>,
    env: std::collections::BTreeMap<String, String>,
    cwd: std::path::PathBuf,
    /// Makes `cwd`, the task root, read-only to the process.
    #[cfg(target_os = "linux")]
    read_only: Option<Arc<task::ReadOnly>>,
    /// The Runtime API reaches the process over pipes on fds 3 and 4.
    piped: bool,
    logs: LogMode,
    /// Output passes through lam (on a terminal, or to keep a log tail).
    through_lam: bool,
    buffer: Option<Arc<Mutex<VecDeque<u8>>>>,
    /// `-X importtime` lines, kept apart from the logs (--profile-init).
    imports: Option<Arc<Mutex<Vec<String>>>>,
}

impl Launch {
    /// Starts the process; with `buffer`, its output passes through lam
    /// into the buffer (and on to stderr).
    fn spawn(&self, api: &mut RuntimeApi) -> Result<Child> {
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(&self.args)
            .current_dir(&self.cwd)
            .env_clear()
            .envs(&self.env)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        // The runtime's pipe ends, kept open until the process has them.
        #[cfg(target_os = "linux")]
        let pipes = if self.piped {
            Some(high_fds(api.pipe()?)?)
        } else {
            None
        };
        #[cfg(not(target_os = "linux"))]
        let _ = (api, self.piped);
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let read_only = self.read_only.clone();
            let fds = pipes.as_ref().map(|(r, w)| (r.as_raw_fd(), w.as_raw_fd()));
            if read_only.is_some() || fds.is_some() {
                // SAFETY: only system calls (mount, chdir, dup2) between fork
                // and exec.
                unsafe {
                    command.pre_exec(move || {
                        if let Some(read_only) = &read_only {
                            read_only.apply();
                        }
                        if let Some((reads, writes)) = fds
                            && (libc::dup2(reads, 3) < 0 || libc::dup2(writes, 4) < 0)
                        {
                            return Err(std::io::Error::last_os_error());
                        }
                        Ok(())
                    });
                }
            }
        }
        match self.logs {
            LogMode::Stream if self.through_lam => {
                command.stdout(Stdio::piped()).stderr(Stdio::piped())
            }
            LogMode::Stream => command
                .stdout(process::stderr_stdio())
                .stderr(Stdio::inherit()),
            // Import timings are still wanted from a runtime whose logs are not.
            LogMode::Discard if self.imports.is_some() => {
                command.stdout(Stdio::null()).stderr(Stdio::piped())
            }
            LogMode::Discard => command.stdout(Stdio::null()).stderr(Stdio::null()),
            LogMode::Capture => command.stdout(Stdio::piped()).stderr(Stdio::piped()),
        };
        let mut child = command.spawn().map_err(|e| {
            Error::local(format!(
                "cannot start '{}': {}",
                self.program.to_string_lossy(),
                crate::error::io_reason(&e)
            ))
            .with_hint("check that the interpreter exists and can run")
        })?;
        if let Some(buffer) = &self.buffer {
            if let Some(out) = child.stdout.take() {
                tokio::spawn(forward(out, buffer.clone(), None));
            }
            if let Some(err) = child.stderr.take() {
                tokio::spawn(forward(err, buffer.clone(), self.imports.clone()));
            }
        } else if let (Some(imports), Some(err)) = (&self.imports, child.stderr.take()) {
            tokio::spawn(keep_imports(err, imports.clone()));
        }
        Ok(child)
    }
}

fn lock<T>(buffer: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    buffer
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Copies a child's output to lam's stderr line by line and keeps the most
/// recent part for the next log tail.
/// Output that is not UTF-8 is passed on as it is, and never stops the copy
/// (a closed pipe would break the handler's next print).
async fn forward(
    stream: impl AsyncRead + Unpin,
    buffer: Arc<Mutex<VecDeque<u8>>>,
    imports: Option<Arc<Mutex<Vec<String>>>>,
) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if let Some(imports) = &imports
            && line.starts_with(b"import time:")
        {
            lock(imports).push(String::from_utf8_lossy(&line).trim_end().to_string());
            continue;
        }
        {
            let mut err = std::io::stderr().lock();
            // On a terminal a handler's control characters are shown escaped.
            if crate::ui::stderr_tty() {
                let text = String::from_utf8_lossy(&line);
                let safe = crate::terminal::escape(&text);
                let _ = std::io::Write::write_all(&mut err, safe.as_bytes());
            } else {
                let _ = std::io::Write::write_all(&mut err, &line);
            }
            if !line.ends_with(b"\n") {
                let _ = std::io::Write::write_all(&mut err, b"\n");
            }
        }
        let mut buf = lock(&buffer);
        buf.extend(&line);
        if !line.ends_with(b"\n") {
            buf.push_back(b'\n');
        }
        let excess = buf.len().saturating_sub(CAPTURE_LIMIT);
        buf.drain(..excess);
    }
}

/// Keeps the `import time:` lines of a stream whose other lines are
/// discarded.
async fn keep_imports(stream: impl AsyncRead + Unpin, imports: Arc<Mutex<Vec<String>>>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.starts_with("import time:") {
            lock(&imports).push(line);
        }
    }
}

/// The last `max` bytes of `text`, cut at a character boundary.
fn tail(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// What Lambda answers when the runtime process ends without posting a
/// result, in its words: "Runtime exited without providing a reason" for a
/// clean exit, else "Runtime exited with error: exit status 1" or
/// "signal: killed" (the wording of Go's os.ProcessState, which Lambda's
/// init process uses).
fn exit_error(request_id: &str, status: std::process::ExitStatus) -> Outcome {
    let reason = match (status.code(), exit_signal(status)) {
        (Some(0), _) => "Runtime exited without providing a reason".to_string(),
        (Some(code), _) => format!("Runtime exited with error: exit status {code}"),
        (None, Some(signal)) => format!("Runtime exited with error: signal: {signal}"),
        (None, None) => "Runtime exited with error".to_string(),
    };
    failure(
        request_id,
        "Runtime.ExitError",
        &format!("RequestId: {request_id} Error: {reason}"),
    )
}

/// The name Go gives the signal that ended a process.
#[cfg(unix)]
fn exit_signal(status: std::process::ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    let signal = status.signal()?;
    Some(
        match signal {
            6 => "aborted",
            9 => "killed",
            11 => "segmentation fault",
            15 => "terminated",
            2 => "interrupt",
            _ => return Some(format!("signal {signal}")),
        }
        .to_string(),
    )
}

#[cfg(not(unix))]
fn exit_signal(_: std::process::ExitStatus) -> Option<String> {
    None
}

/// Resolves when the process's peak resident memory passes `limit_mb`
/// (checked every 10 ms; never without a process id).
async fn memory_exceeded(pid: Option<u32>, limit_mb: u64) {
    let Some(pid) = pid else {
        return std::future::pending().await;
    };
    loop {
        if process::max_memory_mb(pid).is_some_and(|mb| mb > limit_mb) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Resolves after `limit`; with `--debug`, on a clock that stands still
/// while a debugger is attached.
async fn expire(debug: Option<super::debug::Debug>, limit: Duration) {
    match debug {
        Some(debug) => debug.expire(limit).await,
        None => tokio::time::sleep(limit).await,
    }
}

/// Lambda's words for an invocation that ran out of time.
fn timed_out(request_id: &str, timeout_s: u32) -> String {
    format!("{request_id} Task timed out after {timeout_s}.00 seconds")
}

/// An error outcome lam itself produces (timeout, crash, oversized response).
fn failure(request_id: &str, error_type: &str, message: &str) -> Outcome {
    let payload = serde_json::json!({ "errorMessage": message, "errorType": error_type });
    Outcome {
        status: 200,
        function_error: Some("Unhandled".into()),
        executed_version: Some(super::VERSION.into()),
        payload: payload.to_string().into_bytes(),
        request_id: Some(request_id.to_string()),
        log_tail: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cold invocation of 1.234 ms that used 20 of 128 MB.
    fn report(status: Option<&str>) -> Report {
        Report {
            request_id: "id".into(),
            duration: Duration::from_micros(1_234),
            init_duration: Some(Duration::from_millis(80)),
            max_memory_mb: Some(20),
            memory_size: 128,
            status: status.map(str::to_string),
        }
    }

    #[test]
    fn report_line_matches_lambdas_layout() {
        let r = report(None);
        assert_eq!(
            r.line(),
            "REPORT RequestId: id\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tInit Duration: 80.00 ms"
        );
    }

    /// With `format = "JSON"` the three lines are the platform events
    /// CloudWatch holds (time, type, record; the shapes of captured logs,
    /// e.g. alexcasalboni/aws-lambda-power-tuning's test fixtures), and
    /// both forms read the same in lam stats.
    #[test]
    fn json_platform_events_carry_what_the_text_lines_do() {
        let r = report(Some("error\tError Type: Runtime.OutOfMemory"));
        let json = SystemLog::Json;
        let start: serde_json::Value = serde_json::from_str(&json.start("id").unwrap()).unwrap();
        assert_eq!(start["type"], "platform.start");
        assert_eq!(start["record"]["version"], super::super::VERSION);
        let done = json.end(&r).unwrap();
        assert!(
            done.starts_with(r#"{"time":""#)
                && done.contains(r#"Z","type":"platform.runtimeDone","record":{"requestId":"id","status":"error","metrics":{"durationMs":1.23}}}"#),
            "{done}"
        );
        let report = json.report(&r).unwrap();
        assert!(
            report.ends_with(r#""type":"platform.report","record":{"requestId":"id","metrics":{"durationMs":1.23,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":20,"initDurationMs":80},"status":"error","errorType":"Runtime.OutOfMemory"}}"#),
            "{report}"
        );
        let from_json = crate::stats::parse(&report).unwrap();
        let from_text = crate::stats::parse(&r.line()).unwrap();
        assert_eq!(format!("{from_json:?}"), format!("{from_text:?}"));

        let hidden = SystemLog::of(&crate::config::Logging {
            format: "JSON".into(),
            system_log_level: Some("WARN".into()),
            ..crate::config::Logging::default()
        });
        assert!(hidden.start("id").is_none() && hidden.report(&r).is_none());
        assert_eq!(
            SystemLog::of(&crate::config::Logging::default()).start("id"),
            Some("START RequestId: id Version: 1".into())
        );
    }

    #[test]
    fn tails_cut_at_character_boundaries() {
        assert_eq!(tail("abcdef", 3), "def");
        assert_eq!(tail("ab", 3), "ab");
        assert_eq!(tail("aé", 1), "");
        assert_eq!(tail("aéb", 2), "b");
    }
}
