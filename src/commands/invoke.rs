//! `lam invoke`: run the function with an event, on AWS or (--local) here.

use std::io::Read;

use crate::cli::InvokeArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::invocation;
use crate::local;
use crate::local::RESPONSE_LIMIT;

/// Lambda's limit on an asynchronous (Event) payload: 1 MB ("For
/// asynchronous invocations, the maximum payload size is 1 MB",
/// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
const ASYNC_LIMIT: usize = 1024 * 1024;

/// `invoke --async --output json`: the queued invocation.
#[derive(serde::Serialize)]
struct Queued<'a> {
    status: i32,
    request_id: &'a str,
}

pub async fn run(ctx: &Context<'_>, args: InvokeArgs) -> Result<()> {
    // A local run needs a project: said first, before the event file
    // (outside a project, "no lam.toml here" is the news, not the file).
    if args.local {
        ctx.project()?;
    }
    // The event is checked before anything else: a bad file costs no AWS call.
    let event = match &args.event_source {
        Some(source) => {
            let params = super::events::params(ctx, &args.event_args)?;
            crate::events::generate(source, &params)?
                .to_string()
                .into_bytes()
        }
        None => read_event(ctx, args.event.as_deref())?,
    };
    let limit = if args.asynchronous {
        ASYNC_LIMIT
    } else {
        RESPONSE_LIMIT
    };
    if event.len() > limit {
        return Err(Error::config(format!(
            "the event is {} bytes, over Lambda's {} limit of {limit} bytes",
            event.len(),
            if args.asynchronous {
                "asynchronous"
            } else {
                "synchronous"
            }
        ))
        .with_hint("send a smaller event, e.g. a reference to an object in S3"));
    }
    let client_context = args
        .client_context
        .as_deref()
        .map(|json| local::client_context_base64(json).map(|b64| (json.to_string(), b64)))
        .transpose()?;
    if let Some(tenant) = &args.tenant_id {
        local::check_tenant_id(tenant)?;
    }
    if args.local {
        let project = ctx.project_with_env()?;
        let function = project.one(args.function.as_deref())?;
        let mut opts = ctx.local_options(&project, &[function], args.ric).await?;
        if args.profile_init {
            if !matches!(
                function.language(),
                crate::config::rules::Language::Python | crate::config::rules::Language::Node
            ) {
                return Err(Error::usage(format!(
                    "--profile-init profiles Python and Node.js handlers; {} is {}",
                    function.name, function.runtime
                ))
                .with_hint("profile the runtime's own start with its tools"));
            }
            opts.profile_init = true;
        }
        if args.debug {
            opts.debug = Some(debug_session(
                &project,
                function,
                args.debug_port,
                !args.no_wait,
            )?);
        }
        let logs = if ctx.ui.quiet || ctx.ui.json {
            local::LogMode::Discard
        } else {
            local::LogMode::Stream
        };
        let input = local::Input {
            payload: event.into(),
            client_context: client_context.map(|(json, _)| json),
            tenant_id: args.tenant_id.clone(),
            deadline: None,
        };
        if args.profile_init {
            let (outcome, profile) =
                local::invoke_profiled(&project, function, input, &opts, logs).await?;
            if ctx.ui.json {
                ctx.ui.print_value(&serde_json::json!({
                    "result": outcome.to_json(),
                    "init_profile": profile,
                }));
                return invocation::status(&outcome, true);
            }
            let shown = invocation::show(ctx.ui, &outcome, true);
            match profile {
                Some(profile) => eprint!("{}", profile.render()),
                None => eprintln!("no Init Duration: the runtime did not initialise"),
            }
            return shown;
        }
        let outcome = local::invoke_once(&project, function, input, &opts, logs).await?;
        return invocation::show(ctx.ui, &outcome, true);
    }

    // On AWS: the project's function, or any function by name or ARN.
    let target = ctx.deployed(args.function.as_deref()).await?;
    let aws = &target.aws;
    let lambda = crate::aws::lambda::Lambda::new(aws);
    let started = crate::clock::now_ms();
    let mut outcome = lambda
        .invoke(
            &target.id,
            args.qualifier.as_deref(),
            event,
            client_context.map(|(_, b64)| b64),
            args.tenant_id.clone(),
            args.asynchronous,
        )
        .await?;
    if args.asynchronous {
        let id = outcome.request_id.clone().unwrap_or_default();
        if ctx.ui.json {
            ctx.ui.print_value(&Queued {
                status: outcome.status,
                request_id: &id,
            });
        } else {
            ctx.ui
                .info(format!("Queued (HTTP {}), request id:", outcome.status));
            println!("{id}");
        }
        return Ok(());
    }
    if args.tail
        && let Some(id) = outcome.request_id.clone()
    {
        // The full log replaces the 4 KB tail.
        outcome.log_tail = None;
        let shown = invocation::show(ctx.ui, &outcome, false);
        tail(ctx, aws, &target.name, &id, started).await?;
        return shown;
    }
    invocation::show(ctx.ui, &outcome, false)
}

/// Prints the invocation's log lines, from its START line to its REPORT
/// line, waiting up to 30 s for CloudWatch to deliver them.
async fn tail(
    ctx: &Context<'_>,
    aws: &crate::aws::Aws,
    function: &str,
    request_id: &str,
    started: i64,
) -> Result<()> {
    use crate::aws::logs::{Logs, Query};
    let logs = Logs::new(aws);
    let group = super::logs::log_group(aws, function).await?;
    let format = if ctx.ui.stderr_tty {
        crate::cli::LogFormat::Pretty
    } else {
        crate::cli::LogFormat::Short
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let marked = Query {
            group: group.clone(),
            start_ms: started - 5_000,
            pattern: Some(format!("\"{request_id}\"")),
            ..Query::default()
        };
        let found = match logs.filter(&marked).await {
            Ok(events) => events,
            Err(e) if e.is(crate::error::Cause::NotFound) => Vec::new(),
            Err(e) => return Err(e),
        };
        if let Some(start) = found
            .iter()
            .find(|e| e.message.starts_with("START RequestId: "))
        {
            let stream_events = logs
                .filter(&Query {
                    group: group.clone(),
                    start_ms: start.timestamp,
                    streams: vec![start.stream.clone()],
                    ..Query::default()
                })
                .await?;
            if let Some(lines) = invocation_lines(&stream_events, request_id) {
                for e in lines {
                    let line = crate::logview::render(e, format);
                    eprintln!("{}", stderr_safe(&line));
                }
                return Ok(());
            }
        }
        if tokio::time::Instant::now() > deadline {
            ctx.ui.warn(format!("the log of {request_id} did not reach CloudWatch within 30 s; try `lam logs --request-id {request_id}`"));
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// The events from this request's START line to its REPORT line, once the
/// REPORT line has arrived.
fn invocation_lines<'a>(
    events: &'a [crate::aws::logs::LogEvent],
    request_id: &str,
) -> Option<&'a [crate::aws::logs::LogEvent]> {
    let start = events.iter().position(|e| {
        e.message
            .starts_with(&format!("START RequestId: {request_id}"))
    })?;
    let report = events[start..].iter().position(|e| {
        e.message
            .starts_with(&format!("REPORT RequestId: {request_id}"))
    })?;
    Some(&events[start..=start + report])
}

/// The event as bytes: from a file, stdin (`-`), or `{}` when none is given.
/// It must be JSON; errors name the line and column.
fn read_event(ctx: &Context, source: Option<&str>) -> Result<Vec<u8>> {
    let (label, bytes) = match source {
        None => return Ok(b"{}".to_vec()),
        Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Error::config(format!("cannot read the event from stdin: {e}")))?;
            ("<stdin>".to_string(), buf)
        }
        Some(path) => {
            let full = ctx.resolve(path);
            if full.is_dir() {
                return Err(Error::config(format!("event file '{path}' is a directory"))
                    .with_hint("pass a JSON file, or - to read stdin"));
            }
            let bytes = std::fs::read(&full).map_err(|e| {
                Error::config(format!(
                    "cannot read event file '{path}': {}",
                    crate::error::io_reason(&e)
                ))
                .with_hint("pass an existing JSON file, or - to read stdin")
            })?;
            (path.to_string(), bytes)
        }
    };
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        return Err(Error::config(format!(
            "{label}:{}:{}: the event is not valid JSON: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ))
        .with_hint("fix the JSON; a Lambda event is a JSON document"));
    }
    Ok(bytes)
}

/// serde_json appends " at line L column C"; lam puts the position first.
fn strip_position(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map(|(m, _)| m)
        .unwrap_or(message)
}

/// Text printed to stderr: escaped when stderr is a terminal.
fn stderr_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::ui::stderr_tty() {
        crate::terminal::escape(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `--debug`: the port the function's runtime listens on for a debugger,
/// announced on stderr.
pub(super) fn debug_session(
    project: &crate::config::Project,
    function: &crate::config::Function,
    base: Option<u16>,
    wait: bool,
) -> Result<crate::local::debug::Debug> {
    use crate::config::rules::Language;
    if !matches!(function.language(), Language::Python | Language::Node) {
        return Err(Error::usage(format!(
            "--debug runs Python and Node.js handlers under a debugger; {} is {}",
            function.key, function.runtime
        ))
        .with_hint("leave --debug out for this function"));
    }
    if !cfg!(target_os = "linux") {
        return Err(Error::usage("--debug needs Linux here").with_hint(
            "lam keeps other users off the debug port by reading Linux's socket table; see SECURITY.md",
        ));
    }
    let index = project
        .functions
        .iter()
        .position(|f| f.key == function.key)
        .unwrap_or(0);
    let port = crate::local::debug::port_for(project, index, base);
    if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
        return Err(
            Error::local(format!("port {port} on 127.0.0.1 is already in use"))
                .with_hint("stop what holds it (an earlier --debug run?), or pass --debug-port"),
        );
    }
    let debug = crate::local::debug::Debug::new(port, wait);
    eprintln!("{}: {}", function.key, debug.describe(function.language()));
    Ok(debug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invocation_runs_from_start_to_report() {
        let ev = |m: &str| crate::aws::logs::LogEvent {
            id: m.into(),
            timestamp: 0,
            stream: "s".into(),
            message: m.into(),
        };
        let events = vec![
            ev("END RequestId: old"),
            ev("START RequestId: r1 Version: 1"),
            ev("hello"),
            ev("END RequestId: r1"),
            ev("REPORT RequestId: r1\tDuration: 1 ms"),
            ev("START RequestId: r2 Version: 1"),
        ];
        let lines = invocation_lines(&events, "r1").unwrap();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1].message, "hello");
        assert!(
            invocation_lines(&events[..4], "r1").is_none(),
            "no REPORT yet"
        );
    }

    #[test]
    fn position_suffix_is_removed() {
        assert_eq!(
            strip_position("expected value at line 1 column 2"),
            "expected value"
        );
        assert_eq!(strip_position("EOF"), "EOF");
    }
}
