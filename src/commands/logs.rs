//! `lam logs`: the function's CloudWatch logs, once or followed.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use crate::aws::logs::{LogEvent, Logs, Query};
use crate::cli::{LogFormat, LogsArgs};
use crate::clock;
use crate::commands::Context;
use crate::error::{Error, Kind, Result};
use crate::logview;

/// How far back each poll of --follow looks again, for events that arrive
/// late (CloudWatch delivers Lambda logs seconds after they happen).
const LOOKBACK_MS: i64 = 120_000;
const FASTEST_POLL: Duration = Duration::from_millis(250);
const SLOWEST_POLL: Duration = Duration::from_secs(2);

pub async fn run(ctx: &Context<'_>, args: LogsArgs) -> Result<()> {
    let now = clock::now_ms();
    let start = clock::parse_when(&args.since, now).map_err(|e| {
        Error::usage(format!("--since: {e}"))
            .with_hint("write e.g. --since 10m, 2h, 1d or 2026-11-26T13:00:00Z")
    })?;
    let end = match &args.until {
        Some(u) => Some(clock::parse_when(u, now).map_err(|e| {
            Error::usage(format!("--until: {e}"))
                .with_hint("write e.g. --until 5m or an ISO-8601 time")
        })?),
        None => None,
    };
    if end.is_some_and(|e| e < start) {
        return Err(Error::usage("--until is before --since").with_hint("swap them"));
    }
    let format = if ctx.ui.json {
        LogFormat::Json
    } else {
        args.format.unwrap_or(if ctx.ui.stdout_tty {
            LogFormat::Pretty
        } else {
            LogFormat::Short
        })
    };
    let target = ctx.deployed(args.function.as_deref()).await?;
    let aws = target.aws;
    let query = Query {
        group: log_group(&aws, &target.name).await?,
        start_ms: start,
        end_ms: end,
        pattern: pattern(args.filter.as_deref(), args.request_id.as_deref()),
        streams: Vec::new(),
    };
    let logs = Logs::new(&aws);
    if !args.follow {
        let events = logs.filter(&query).await?;
        let mut out = std::io::stdout().lock();
        for e in &events {
            let line = logview::render(e, format);
            let _ = writeln!(out, "{}", shown(ctx.ui.stdout_tty, &line));
        }
        if events.is_empty() && !ctx.ui.quiet {
            eprintln!("no events in {} since {}", query.group, clock::iso(start));
        }
        return Ok(());
    }
    if !ctx.ui.quiet && !ctx.ui.json {
        eprintln!("Following {} (Ctrl-C to stop)", query.group);
    }
    tokio::select! {
        result = follow(&logs, query, format, ctx.ui.quiet, ctx.ui.stdout_tty) => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// The function's configured log group, or Lambda's default for its name.
pub async fn log_group(aws: &crate::aws::Aws, function: &str) -> Result<String> {
    let configured = crate::aws::lambda::Lambda::new(aws)
        .get(function)
        .await?
        .and_then(|d| d.log_group);
    Ok(configured.unwrap_or_else(|| format!("/aws/lambda/{function}")))
}

/// CloudWatch filter pattern for --filter and --request-id together.
fn pattern(filter: Option<&str>, request_id: Option<&str>) -> Option<String> {
    match (filter, request_id) {
        (None, None) => None,
        (Some(f), None) => Some(f.to_string()),
        (None, Some(id)) => Some(format!("\"{id}\"")),
        (Some(f), Some(id)) => Some(format!("\"{id}\" {f}")),
    }
}

/// Events already printed, forgotten once they fall out of the window.
#[derive(Default)]
struct Seen {
    ids: HashMap<String, i64>,
}

impl Seen {
    /// The events not printed before, marking them printed.
    fn fresh(&mut self, events: Vec<LogEvent>) -> Vec<LogEvent> {
        events
            .into_iter()
            .filter(|e| self.ids.insert(e.id.clone(), e.timestamp).is_none())
            .collect()
    }

    fn forget_before(&mut self, ms: i64) {
        self.ids.retain(|_, ts| *ts >= ms);
    }
}

/// Polls FilterLogEvents over a sliding window, printing each event once:
/// quickly while events arrive, more slowly when idle. Transient errors are
/// retried; a log group that does not exist yet is waited for.
async fn follow(
    logs: &Logs,
    mut query: Query,
    format: LogFormat,
    quiet: bool,
    tty: bool,
) -> Result<()> {
    let first_start = query.start_ms;
    let mut seen = Seen::default();
    let mut interval = FASTEST_POLL;
    let mut waiting_said = false;
    let mut failures = 0u32;
    let mut first_poll = true;
    loop {
        let now = clock::now_ms();
        // The first read covers all of --since; later ones re-read a window.
        if !first_poll {
            query.start_ms = first_start.max(now - LOOKBACK_MS);
        }
        match logs.filter(&query).await {
            Ok(events) => {
                failures = 0;
                first_poll = false;
                let fresh = seen.fresh(events);
                seen.forget_before(query.start_ms - LOOKBACK_MS);
                let mut out = std::io::stdout().lock();
                for e in &fresh {
                    let line = logview::render(e, format);
                    let _ = writeln!(out, "{}", shown(tty, &line));
                }
                let _ = out.flush();
                interval = if fresh.is_empty() {
                    (interval * 3 / 2).min(SLOWEST_POLL)
                } else {
                    FASTEST_POLL
                };
            }
            Err(err) if err.is(crate::error::Cause::NotFound) => {
                if !waiting_said && !quiet {
                    eprintln!(
                        "waiting for {} to appear (the function has not logged yet)",
                        query.group
                    );
                    waiting_said = true;
                }
                interval = SLOWEST_POLL;
            }
            Err(err) if err.kind == Kind::Aws && failures < 5 => {
                failures += 1;
                if !quiet {
                    eprintln!(
                        "{} (retrying)",
                        err.problems
                            .first()
                            .map(|p| p.message.as_str())
                            .unwrap_or("")
                    );
                }
                interval = SLOWEST_POLL * failures;
            }
            Err(err) => return Err(err),
        }
        tokio::time::sleep(interval).await;
    }
}

/// A log line as printed: escaped on a terminal, exact when piped.
fn shown(tty: bool, line: &str) -> std::borrow::Cow<'_, str> {
    if tty {
        crate::ui::terminal_safe(line)
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(id: &str, ts: i64) -> LogEvent {
        LogEvent {
            id: id.into(),
            timestamp: ts,
            stream: "s".into(),
            message: "m".into(),
        }
    }

    #[test]
    fn patterns_combine_filter_and_request_id() {
        assert_eq!(pattern(None, None), None);
        assert_eq!(pattern(Some("ERROR"), None).as_deref(), Some("ERROR"));
        assert_eq!(pattern(None, Some("abc")).as_deref(), Some("\"abc\""));
        assert_eq!(
            pattern(Some("ERROR"), Some("abc")).as_deref(),
            Some("\"abc\" ERROR")
        );
    }

    #[test]
    fn each_event_is_printed_once_and_memory_is_bounded() {
        let mut seen = Seen::default();
        assert_eq!(seen.fresh(vec![e("1", 10), e("2", 20)]).len(), 2);
        let again = seen.fresh(vec![e("1", 10), e("2", 20), e("3", 5)]);
        assert_eq!(
            again,
            vec![e("3", 5)],
            "a late event with an older timestamp still shows"
        );
        seen.forget_before(15);
        assert_eq!(seen.ids.len(), 1);
    }
}
