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
    let (start, end) = window(&args.since, args.until.as_deref(), "10m, 2h, 1d")?;
    let format = if ctx.ui.json {
        LogFormat::Json
    } else {
        args.format.unwrap_or(if ctx.ui.stdout_tty {
            LogFormat::Pretty
        } else {
            LogFormat::Short
        })
    };
    // Several functions in the project and none named: all of them, in one
    // stream, each line marked with its function.
    let project = match args.function {
        None => ctx.project().ok().filter(|p| p.functions.len() > 1),
        Some(_) => None,
    };
    let (aws, names): (_, Vec<(Option<String>, String)>) = match &project {
        Some(project) => (
            ctx.aws(Some(project)).await?,
            project
                .functions
                .iter()
                .map(|f| (Some(f.key.clone()), f.name.clone()))
                .collect(),
        ),
        None => {
            let target = ctx.deployed(args.function.as_deref()).await?;
            (target.aws, vec![(None, target.name)])
        }
    };
    let mut sources = Vec::new();
    for (label, name) in names {
        sources.push(Source {
            label,
            query: Query {
                group: log_group(&aws, &name).await?,
                start_ms: start,
                end_ms: end,
                pattern: pattern(args.filter.as_deref(), args.request_id.as_deref()),
                streams: Vec::new(),
            },
        });
    }
    let logs = Logs::new(&aws);
    let several = sources.len() > 1;
    if !args.follow {
        let mut events: Vec<(Option<&str>, LogEvent)> = Vec::new();
        for source in &sources {
            match logs.filter(&source.query).await {
                Ok(found) => events.extend(found.into_iter().map(|e| (source.label.as_deref(), e))),
                // One function that has not run yet does not hide the others.
                Err(e) if several && e.is(crate::error::Cause::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        // Stable: events of one stream keep their order.
        events.sort_by_key(|(_, e)| e.timestamp);
        let mut out = std::io::stdout().lock();
        for (label, e) in &events {
            let line = logview::render_marked(e, format, *label);
            let _ = writeln!(out, "{}", shown(ctx.ui.stdout_tty, &line));
        }
        if events.is_empty() && !ctx.ui.quiet {
            let groups: Vec<&str> = sources.iter().map(|s| s.query.group.as_str()).collect();
            eprintln!(
                "no events in {} since {}",
                groups.join(", "),
                clock::iso(start)
            );
        }
        return Ok(());
    }
    if !ctx.ui.quiet && !ctx.ui.json {
        let groups: Vec<&str> = sources.iter().map(|s| s.query.group.as_str()).collect();
        eprintln!("Following {} (Ctrl-C to stop)", groups.join(", "));
    }
    tokio::select! {
        result = follow(&logs, sources, format, ctx.ui.quiet, ctx.ui.stdout_tty) => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// One function's log group, and how its lines are marked.
struct Source {
    label: Option<String>,
    query: Query,
}

/// The `--since` / `--until` window in epoch ms, checked before any call;
/// `examples` are the durations the hint suggests.
pub(super) fn window(
    since: &str,
    until: Option<&str>,
    examples: &str,
) -> Result<(i64, Option<i64>)> {
    let now = clock::now_ms();
    let start = clock::parse_when(since, now).map_err(|e| {
        Error::usage(format!("--since: {e}")).with_hint(format!(
            "write e.g. --since {examples} or 2026-11-26T13:00:00Z"
        ))
    })?;
    let end = match until {
        Some(u) => Some(clock::parse_when(u, now).map_err(|e| {
            Error::usage(format!("--until: {e}"))
                .with_hint("write e.g. --until 5m or an ISO-8601 time")
        })?),
        None => None,
    };
    if end.is_some_and(|e| e < start) {
        return Err(Error::usage("--until is before --since").with_hint("swap them"));
    }
    Ok((start, end))
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

/// Polls FilterLogEvents over a sliding window, for each source, printing
/// each event once in time order: quickly while events arrive, more slowly
/// when idle. Transient errors are retried; a log group that does not exist
/// yet is waited for.
async fn follow(
    logs: &Logs,
    mut sources: Vec<Source>,
    format: LogFormat,
    quiet: bool,
    tty: bool,
) -> Result<()> {
    let first_start = sources.first().map_or(0, |s| s.query.start_ms);
    let mut seen: Vec<Seen> = sources.iter().map(|_| Seen::default()).collect();
    let mut waiting_said = vec![false; sources.len()];
    let mut interval = FASTEST_POLL;
    let mut failures = 0u32;
    let mut first_poll = true;
    loop {
        let now = clock::now_ms();
        let mut fresh: Vec<(usize, LogEvent)> = Vec::new();
        let mut failed = None;
        for (i, source) in sources.iter_mut().enumerate() {
            // The first read covers all of --since; later ones re-read a window.
            if !first_poll {
                source.query.start_ms = first_start.max(now - LOOKBACK_MS);
            }
            match logs.filter(&source.query).await {
                Ok(events) => {
                    fresh.extend(seen[i].fresh(events).into_iter().map(|e| (i, e)));
                    seen[i].forget_before(source.query.start_ms - LOOKBACK_MS);
                }
                Err(err) if err.is(crate::error::Cause::NotFound) => {
                    if !waiting_said[i] && !quiet {
                        eprintln!(
                            "waiting for {} to appear (the function has not logged yet)",
                            source.query.group
                        );
                        waiting_said[i] = true;
                    }
                }
                Err(err) => failed = Some(err),
            }
        }
        first_poll = false;
        match failed {
            None => failures = 0,
            Some(err) if err.kind == Kind::Aws && failures < 5 => {
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
            }
            Some(err) => return Err(err),
        }
        fresh.sort_by_key(|(_, e)| e.timestamp);
        let mut out = std::io::stdout().lock();
        for (i, e) in &fresh {
            let line = logview::render_marked(e, format, sources[*i].label.as_deref());
            let _ = writeln!(out, "{}", shown(tty, &line));
        }
        let _ = out.flush();
        drop(out);
        interval = if failures > 0 {
            SLOWEST_POLL * failures
        } else if fresh.is_empty() {
            (interval * 3 / 2).min(SLOWEST_POLL)
        } else {
            FASTEST_POLL
        };
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
