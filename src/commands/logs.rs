//! `lam logs`: the function's CloudWatch logs, once or followed.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use crate::aws::logs::{LogEvent, Logs, Query, Tail};
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
    let mut foreign = false;
    // (label, function, the log group lam.toml names for it)
    #[allow(clippy::type_complexity)]
    let (aws, names): (_, Vec<(Option<String>, String, Option<String>)>) = match &project {
        Some(project) => (
            ctx.aws(Some(project)).await?,
            project
                .functions
                .iter()
                .map(|f| {
                    (
                        Some(f.key.clone()),
                        f.name.clone(),
                        f.logging.log_group.clone(),
                    )
                })
                .collect(),
        ),
        None => {
            let target = ctx.deployed(args.function.as_deref()).await?;
            // Looked up as named (an ARN of another account reads that
            // account's function, never a same-named one of the caller's).
            foreign = target.foreign_account.is_some();
            let configured = target.project.as_ref().and_then(|p| {
                p.functions
                    .iter()
                    .find(|f| f.name == target.name)
                    .and_then(|f| f.logging.log_group.clone())
            });
            (target.aws, vec![(None, target.id, configured)])
        }
    };
    let mut sources = Vec::new();
    for (label, name, configured) in names {
        let (mut group, arn) = log_group_and_arn(&aws, &name, configured.as_deref()).await?;
        // Another account's group is named by its ARN.
        if foreign && let Some(arn) = &arn {
            group = arn.clone();
        }
        let plain = super::Named::parse(&name).map_or(name.clone(), |n| n.name);
        sources.push(Source {
            label,
            arn,
            query: Query {
                function: crate::aws::logs::shared_group_function(&group, &plain),
                group,
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
    let mut follow = Follow::new(&logs, sources, format, ctx.ui.quiet, ctx.ui.stdout_tty);
    tokio::select! {
        result = follow.run(!args.poll) => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// One function's log group, and how its lines are marked.
struct Source {
    label: Option<String>,
    /// The group's ARN, which StartLiveTail asks for (None: not known).
    arn: Option<String>,
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
    Ok(log_group_and_arn(aws, function, None).await?.0)
}

/// The log group to query for `function` (a name or ARN): by its ARN when
/// the function is in another account.
pub async fn log_group_for(
    aws: &crate::aws::Aws,
    function: &str,
    configured: Option<&str>,
    foreign: bool,
) -> Result<String> {
    let (group, arn) = log_group_and_arn(aws, function, configured).await?;
    Ok(match arn {
        Some(arn) if foreign => arn,
        _ => group,
    })
}

/// The function's log group and, when the function exists, the group's ARN
/// (in the function's partition, region and account).
async fn log_group_and_arn(
    aws: &crate::aws::Aws,
    function: &str,
    configured: Option<&str>,
) -> Result<(String, Option<String>)> {
    let deployed = crate::aws::lambda::Lambda::new(aws).get(function).await?;
    let plain = super::Named::parse(function).map_or_else(|_| function.to_string(), |n| n.name);
    // What the function says, else what lam.toml says, else Lambda's default.
    let group = deployed
        .as_ref()
        .and_then(|d| d.log_group.clone())
        .or_else(|| configured.map(str::to_string))
        .unwrap_or_else(|| format!("/aws/lambda/{plain}"));
    // An ARN names the group's account and region even when the caller
    // may not read the function itself.
    let arn = deployed
        .and_then(|d| group_arn(&d.arn, &group))
        .or_else(|| group_arn(function, &group));
    Ok((group, arn))
}

/// `arn:<partition>:logs:<region>:<account>:log-group:<group>` from the
/// function's ARN; without the `:*` that DescribeLogGroups adds, which
/// StartLiveTail refuses.
fn group_arn(function_arn: &str, group: &str) -> Option<String> {
    let parts: Vec<&str> = function_arn.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, "lambda", region, account, "function", ..] => Some(format!(
            "arn:{partition}:logs:{region}:{account}:log-group:{group}"
        )),
        _ => None,
    }
}

/// The log group a Live Tail event names (an ARN, with or without `:*`, or
/// a name).
fn group_of(identifier: &str) -> &str {
    let identifier = identifier.strip_suffix(":*").unwrap_or(identifier);
    match identifier.split_once(":log-group:") {
        Some((_, group)) => group,
        None => identifier,
    }
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
/// Polled events carry ids; Live Tail's do not, so across the two paths an
/// event is known by its stream, time and message, counted: two identical
/// lines in one millisecond are two events, and each path's copy of one
/// event meets the other's once.
#[derive(Default)]
struct Seen {
    ids: HashMap<String, i64>,
    /// Printed from Live Tail, not yet met by polling: count, time.
    live: HashMap<u64, (u32, i64)>,
    /// Printed from polling, not yet met by Live Tail.
    polled: HashMap<u64, (u32, i64)>,
}

impl Seen {
    fn key(e: &LogEvent) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&e.stream, e.timestamp, &e.message).hash(&mut h);
        h.finish()
    }

    /// Takes one from `other`'s count for `key`, or adds one to `mine`.
    fn meet(
        mine: &mut HashMap<u64, (u32, i64)>,
        other: &mut HashMap<u64, (u32, i64)>,
        key: u64,
        ts: i64,
    ) -> bool {
        match other.get_mut(&key) {
            Some((n, _)) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => {
                mine.entry(key).or_insert((0, ts)).0 += 1;
                true
            }
        }
    }

    /// The polled events not printed before (by id, or from Live Tail).
    fn fresh(&mut self, events: Vec<LogEvent>) -> Vec<LogEvent> {
        events
            .into_iter()
            .filter(|e| {
                self.ids.insert(e.id.clone(), e.timestamp).is_none()
                    && Self::meet(&mut self.polled, &mut self.live, Self::key(e), e.timestamp)
            })
            .collect()
    }

    /// The Live Tail events not printed before by polling.
    fn fresh_live(&mut self, events: Vec<LogEvent>) -> Vec<LogEvent> {
        events
            .into_iter()
            .filter(|e| Self::meet(&mut self.live, &mut self.polled, Self::key(e), e.timestamp))
            .collect()
    }

    fn forget_before(&mut self, ms: i64) {
        self.ids.retain(|_, ts| *ts >= ms);
        self.live.retain(|_, (_, ts)| *ts >= ms);
        self.polled.retain(|_, (_, ts)| *ts >= ms);
    }
}

/// What one pass of polling did: how many events it printed, and an AWS
/// error the caller may retry.
struct Polled {
    printed: usize,
    failed: Option<Error>,
}

/// How a Live Tail stopped serving.
enum LiveEnd {
    /// No StartLiveTail at this endpoint, or not for these credentials.
    Unavailable,
    /// The stream ended at once, as an emulator's does: it does not follow.
    NotLive,
}

/// A Live Tail session shorter than this that ends without a timeout is
/// an endpoint that does not stream (AWS sends an update every second
/// for up to three hours).
const SHORTEST_SESSION: Duration = Duration::from_secs(10);

/// `--follow`: the sources' history once, then new events as they come,
/// each printed once, in time order within what arrives together.
struct Follow<'a> {
    logs: &'a Logs,
    sources: Vec<Source>,
    seen: Vec<Seen>,
    waiting_said: Vec<bool>,
    /// Sources whose log group did not exist at the last read.
    missing: Vec<bool>,
    /// All of --since has been read.
    history_read: bool,
    first_start: i64,
    format: LogFormat,
    quiet: bool,
    tty: bool,
    /// Where lines go: stdout, or a buffer in the tests.
    out: Box<dyn Write + Send + 'a>,
}

impl<'a> Follow<'a> {
    fn new(
        logs: &'a Logs,
        sources: Vec<Source>,
        format: LogFormat,
        quiet: bool,
        tty: bool,
    ) -> Follow<'a> {
        Follow {
            logs,
            first_start: sources.first().map_or(0, |s| s.query.start_ms),
            seen: sources.iter().map(|_| Seen::default()).collect(),
            waiting_said: vec![false; sources.len()],
            missing: vec![false; sources.len()],
            history_read: false,
            sources,
            format,
            quiet,
            tty,
            out: Box::new(std::io::stdout()),
        }
    }

    /// Live Tail where the endpoint has it (one session for each ten log
    /// groups; a new one after the three-hour timeout), polling otherwise.
    async fn run(&mut self, live: bool) -> Result<()> {
        let mut failures = 0;
        while let Some(err) = self.poll().await?.failed {
            failures += 1;
            if failures == 5 {
                return Err(err);
            }
            self.retrying(&err);
            tokio::time::sleep(SLOWEST_POLL * failures).await;
        }
        // StartLiveTail needs every group's ARN, and every group to exist:
        // until they do, polling waits for the missing ones, then Live Tail
        // takes over.
        let arns: Vec<String> = self.sources.iter().filter_map(|s| s.arn.clone()).collect();
        if !(live && arns.len() == self.sources.len()) {
            return self.poll_forever(false).await;
        }
        if self.missing.contains(&true) {
            self.poll_forever(true).await?;
        }
        let why = match self.live(&arns).await {
            Ok(LiveEnd::Unavailable) => {
                "StartLiveTail is not available here (endpoint or permissions)".to_string()
            }
            Ok(LiveEnd::NotLive) => "this endpoint's Live Tail does not stream".to_string(),
            Err(err) => format!("Live Tail failed: {}", first_message(&err)),
        };
        if !self.quiet {
            eprintln!("{why}; polling FilterLogEvents instead");
        }
        self.poll_forever(false).await
    }

    fn retrying(&self, err: &Error) {
        if !self.quiet {
            eprintln!("{} (retrying)", first_message(err));
        }
    }

    /// Runs Live Tail sessions until they cannot serve.
    async fn live(&mut self, arns: &[String]) -> Result<LiveEnd> {
        let pattern = self.sources.first().and_then(|s| s.query.pattern.clone());
        loop {
            let (tx, mut rx) = tokio::sync::mpsc::channel(16);
            // Stops the readers however this session is left.
            let mut tasks = AbortOnDrop(Vec::new());
            for chunk in arns.chunks(10) {
                let Some(mut session) = self.logs.live_tail(chunk, pattern.as_deref()).await?
                else {
                    return Ok(LiveEnd::Unavailable);
                };
                let tx = tx.clone();
                tasks.0.push(tokio::spawn(async move {
                    loop {
                        let next = session.next().await;
                        let last = !matches!(next, Ok(Tail::Started | Tail::Events { .. }));
                        if tx.send(next).await.is_err() || last {
                            break;
                        }
                    }
                }));
            }
            drop(tx);
            let opened = std::time::Instant::now();
            let sessions = arns.chunks(10).count();
            let mut started = 0;
            let mut sampled_said = false;
            loop {
                match rx.recv().await {
                    Some(Ok(Tail::Started)) => {
                        started += 1;
                        // Events that came between the last read and the
                        // session's start: read them once more.
                        if started == sessions
                            && let Some(err) = self.poll().await?.failed
                        {
                            return Err(err);
                        }
                    }
                    Some(Ok(Tail::Events { events, sampled })) => {
                        if sampled && !sampled_said && !self.quiet {
                            eprintln!(
                                "over 500 events a second: CloudWatch is sampling what Live Tail shows"
                            );
                            sampled_said = true;
                        }
                        let mut fresh = Vec::new();
                        for (group, event) in events {
                            let group = group_of(&group);
                            // A shared group's event goes to the function
                            // whose stream it is in.
                            if let Some(i) = self.sources.iter().position(|s| {
                                group_of(&s.query.group) == group && s.query.owns(&event.stream)
                            }) {
                                fresh.extend(
                                    self.seen[i]
                                        .fresh_live(vec![event])
                                        .into_iter()
                                        .map(|e| (i, e)),
                                );
                            }
                        }
                        let horizon = clock::now_ms() - 2 * LOOKBACK_MS;
                        for seen in &mut self.seen {
                            seen.forget_before(horizon);
                        }
                        self.print(fresh);
                    }
                    Some(Ok(Tail::TimedOut)) => break,
                    Some(Ok(Tail::Ended)) | None if opened.elapsed() < SHORTEST_SESSION => {
                        return Ok(LiveEnd::NotLive);
                    }
                    Some(Ok(Tail::Ended)) | None => break,
                    Some(Err(err)) => return Err(err),
                }
            }
        }
    }

    /// One FilterLogEvents pass over every source: all of --since until
    /// that has been read once, then a window reaching back LOOKBACK_MS. A
    /// log group that does not exist yet is waited for.
    async fn poll(&mut self) -> Result<Polled> {
        let now = clock::now_ms();
        let mut fresh: Vec<(usize, LogEvent)> = Vec::new();
        let mut failed = None;
        for (i, source) in self.sources.iter_mut().enumerate() {
            if self.history_read {
                source.query.start_ms = self.first_start.max(now - LOOKBACK_MS);
            }
            match self.logs.filter(&source.query).await {
                Ok(events) => {
                    self.missing[i] = false;
                    fresh.extend(self.seen[i].fresh(events).into_iter().map(|e| (i, e)));
                    self.seen[i].forget_before(source.query.start_ms - LOOKBACK_MS);
                }
                Err(err) if err.is(crate::error::Cause::NotFound) => {
                    self.missing[i] = true;
                    if !self.waiting_said[i] && !self.quiet {
                        eprintln!(
                            "waiting for {} to appear (the function has not logged yet)",
                            source.query.group
                        );
                        self.waiting_said[i] = true;
                    }
                }
                Err(err) if err.kind == Kind::Aws => failed = Some(err),
                Err(err) => return Err(err),
            }
        }
        let printed = fresh.len();
        self.print(fresh);
        if failed.is_none() {
            self.history_read = true;
        }
        Ok(Polled { printed, failed })
    }

    fn print(&mut self, mut fresh: Vec<(usize, LogEvent)>) {
        fresh.sort_by_key(|(_, e)| e.timestamp);
        let mut text = String::new();
        for (i, e) in &fresh {
            let line = logview::render_marked(e, self.format, self.sources[*i].label.as_deref());
            text.push_str(&shown(self.tty, &line));
            text.push('\n');
        }
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    /// Polls FilterLogEvents over a sliding window: quickly while events
    /// arrive, more slowly when idle. Transient errors are retried.
    /// With `until_present`, returns once every log group exists.
    async fn poll_forever(&mut self, until_present: bool) -> Result<()> {
        let mut interval = FASTEST_POLL;
        let mut failures = 0u32;
        loop {
            if until_present && !self.missing.contains(&true) {
                return Ok(());
            }
            let polled = self.poll().await?;
            match polled.failed {
                None => failures = 0,
                Some(err) if failures < 5 => {
                    failures += 1;
                    self.retrying(&err);
                }
                Some(err) => return Err(err),
            }
            interval = if failures > 0 {
                SLOWEST_POLL * failures
            } else if polled.printed > 0 {
                FASTEST_POLL
            } else {
                (interval * 3 / 2).min(SLOWEST_POLL)
            };
            tokio::time::sleep(interval).await;
        }
    }
}

/// An error's first line, for a one-line note.
fn first_message(err: &Error) -> &str {
    err.problems.first().map_or("", |p| p.message.as_str())
}

/// Stops the Live Tail readers when the session is left.
struct AbortOnDrop(Vec<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// A log line as printed: escaped on a terminal, exact when piped.
fn shown(tty: bool, line: &str) -> std::borrow::Cow<'_, str> {
    if tty {
        crate::terminal::escape(line)
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

    /// A local endpoint for the Live Tail tests: StartLiveTail answers with
    /// the scripted sessions in turn (event-stream frames over a chunked
    /// HTTP/1.1 response, as CloudWatch sends them), FilterLogEvents with
    /// `history`. Records each request's target and body.
    mod endpoint {
        use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
        use std::sync::{Arc, Mutex};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        pub enum Frame {
            Event(&'static str, String),
            Exception(&'static str),
            /// Keep the stream open.
            Hold,
        }

        pub type Requests = Arc<Mutex<Vec<(String, String)>>>;

        fn frame(kind: &str, name: &str, payload: String) -> Vec<u8> {
            let (type_header, message_type) = if kind == "event" {
                (":event-type", "event")
            } else {
                (":exception-type", "exception")
            };
            let message = Message::new(payload.into_bytes())
                .add_header(Header::new(
                    ":message-type",
                    HeaderValue::String(message_type.to_string().into()),
                ))
                .add_header(Header::new(
                    type_header,
                    HeaderValue::String(name.to_string().into()),
                ))
                .add_header(Header::new(
                    ":content-type",
                    HeaderValue::String("application/json".to_string().into()),
                ));
            let mut out = Vec::new();
            aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
            out
        }

        pub async fn start(
            sessions: Vec<Vec<Frame>>,
            live_tail_error: Option<&'static str>,
            history: String,
        ) -> (String, Requests) {
            start_missing(sessions, live_tail_error, history, 0).await
        }

        /// As `start`, the log group missing for the first `missing` reads.
        pub async fn start_missing(
            sessions: Vec<Vec<Frame>>,
            live_tail_error: Option<&'static str>,
            history: String,
            missing: usize,
        ) -> (String, Requests) {
            let missing = Arc::new(std::sync::atomic::AtomicUsize::new(missing));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let requests: Requests = Arc::default();
            let seen = requests.clone();
            let sessions = Arc::new(Mutex::new(sessions.into_iter()));
            tokio::spawn(async move {
                while let Ok((mut socket, _)) = listener.accept().await {
                    let seen = seen.clone();
                    let sessions = sessions.clone();
                    let history = history.clone();
                    let missing = missing.clone();
                    tokio::spawn(async move {
                        loop {
                            let mut head = Vec::new();
                            while !head.ends_with(b"\r\n\r\n") {
                                let mut byte = [0u8; 1];
                                if socket.read_exact(&mut byte).await.is_err() {
                                    return;
                                }
                                head.push(byte[0]);
                            }
                            let head = String::from_utf8_lossy(&head).to_lowercase();
                            let header = |name: &str| {
                                head.lines()
                                    .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                                    .unwrap_or_default()
                                    .trim()
                                    .to_string()
                            };
                            let mut body = vec![0u8; header("content-length").parse().unwrap_or(0)];
                            socket.read_exact(&mut body).await.unwrap();
                            let target = header("x-amz-target");
                            seen.lock()
                                .unwrap()
                                .push((target.clone(), String::from_utf8_lossy(&body).to_string()));
                            if !target.ends_with("startlivetail")
                                && missing
                                    .fetch_update(
                                        std::sync::atomic::Ordering::SeqCst,
                                        std::sync::atomic::Ordering::SeqCst,
                                        |n| n.checked_sub(1),
                                    )
                                    .is_ok()
                            {
                                let body = r#"{"__type":"ResourceNotFoundException","message":"The specified log group does not exist."}"#;
                                let reply = format!(
                                    "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
                                    body.len()
                                );
                                socket.write_all(reply.as_bytes()).await.unwrap();
                                continue;
                            }
                            if !target.ends_with("startlivetail") {
                                let reply = format!(
                                    "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{history}",
                                    history.len()
                                );
                                socket.write_all(reply.as_bytes()).await.unwrap();
                                continue;
                            }
                            if let Some(code) = live_tail_error {
                                let body = format!(r#"{{"__type":"{code}","message":"no"}}"#);
                                let reply = format!(
                                    "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
                                    body.len()
                                );
                                socket.write_all(reply.as_bytes()).await.unwrap();
                                continue;
                            }
                            let frames = sessions.lock().unwrap().next().unwrap_or_default();
                            socket
                                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\ntransfer-encoding: chunked\r\n\r\n")
                                .await
                                .unwrap();
                            for f in frames {
                                let bytes = match f {
                                    Frame::Event(name, payload) => frame("event", name, payload),
                                    Frame::Exception(name) => {
                                        frame("exception", name, r#"{"message":"over"}"#.into())
                                    }
                                    Frame::Hold => {
                                        tokio::time::sleep(std::time::Duration::from_secs(60))
                                            .await;
                                        return;
                                    }
                                };
                                let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                                chunk.extend_from_slice(&bytes);
                                chunk.extend_from_slice(b"\r\n");
                                if socket.write_all(&chunk).await.is_err() {
                                    return;
                                }
                                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                            }
                            let _ = socket.write_all(b"0\r\n\r\n").await;
                            return;
                        }
                    });
                }
            });
            (url, requests)
        }
    }

    const ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop";

    fn started() -> endpoint::Frame {
        endpoint::Frame::Event(
            "sessionStart",
            format!(r#"{{"requestId":"r","sessionId":"s","logGroupIdentifiers":["{ARN}"]}}"#),
        )
    }

    fn update(messages: &[(&str, i64)]) -> endpoint::Frame {
        let results: Vec<String> = messages
            .iter()
            .map(|(m, ts)| {
                format!(
                    r#"{{"logStreamName":"s","logGroupIdentifier":"{ARN}","message":"{m}","timestamp":{ts},"ingestionTime":{ts}}}"#
                )
            })
            .collect();
        endpoint::Frame::Event(
            "sessionUpdate",
            format!(
                r#"{{"sessionMetadata":{{"sampled":false}},"sessionResults":[{}]}}"#,
                results.join(",")
            ),
        )
    }

    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
        }
    }

    /// Follows with Live Tail until `out` shows `text`, for at most 10 s.
    async fn follow_until(follow: &mut Follow<'_>, out: &Buffer, text: &str) {
        let watch = async {
            while !out.text().contains(text) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::select! {
            r = follow.run(true) => panic!("follow ended: {:?}", r.err()),
            _ = tokio::time::timeout(Duration::from_secs(10), watch) => {}
        }
    }

    fn following<'a>(logs: &'a Logs, out: &Buffer) -> Follow<'a> {
        let source = Source {
            label: None,
            arn: Some(ARN.into()),
            query: Query {
                group: "/aws/lambda/shop".into(),
                start_ms: 0,
                ..Query::default()
            },
        };
        let mut follow = Follow::new(logs, vec![source], LogFormat::Raw, true, false);
        follow.out = Box::new(out.clone());
        follow
    }

    /// The Live Tail path against an endpoint that streams as CloudWatch
    /// does (the StartLiveTail API reference: one LiveTailSessionStart,
    /// then updates, SessionTimeoutException after three hours): the
    /// history is read once, each event is printed once whichever path
    /// brought it, and a timed-out session is followed by a new one. The
    /// request names the group by ARN and reaches the endpoint given,
    /// without the model's `stream-` host prefix.
    #[tokio::test]
    async fn live_tail_prints_each_event_once_and_outlives_its_timeout() {
        use endpoint::Frame;
        // Recent times, as live events are: what was seen is forgotten
        // once it is older than any window lam reads again.
        let now = clock::now_ms();
        let (a, b, c) = (now - 3000, now - 2000, now - 1000);
        let history = format!(
            r#"{{"events":[{{"eventId":"e1","timestamp":{a},"logStreamName":"s","message":"A","ingestionTime":{a}}}]}}"#
        );
        let (url, requests) = endpoint::start(
            vec![
                vec![
                    started(),
                    update(&[("A", a), ("B", b)]),
                    update(&[]),
                    Frame::Exception("SessionTimeoutException"),
                ],
                // A new session brings what was ingested after it began.
                vec![started(), update(&[("C", c)]), Frame::Hold],
            ],
            None,
            history,
        )
        .await;
        let aws = crate::aws::Aws::for_tests(&url);
        let logs = Logs::new(&aws);
        let out = Buffer::default();
        let mut follow = following(&logs, &out);
        follow_until(&mut follow, &out, "C").await;
        assert_eq!(out.text(), "A\nB\nC\n");
        let requests = requests.lock().unwrap().clone();
        let tails: Vec<&(String, String)> = requests
            .iter()
            .filter(|(t, _)| t == "logs_20140328.startlivetail")
            .collect();
        assert_eq!(tails.len(), 2, "{requests:?}");
        let body: serde_json::Value = serde_json::from_str(&tails[0].1).unwrap();
        assert_eq!(body["logGroupIdentifiers"], serde_json::json!([ARN]));
        // History, then a read closing each session's start gap.
        assert_eq!(
            requests
                .iter()
                .filter(|(t, _)| t == "logs_20140328.filterlogevents")
                .count(),
            3,
            "{requests:?}"
        );
    }

    /// Where StartLiveTail is refused as unknown (or not allowed), or its
    /// stream ends at once (moto answers the history and closes), lam polls.
    #[tokio::test]
    async fn no_live_tail_or_a_stream_that_ends_at_once_means_polling() {
        let history = r#"{"events":[]}"#.to_string();
        let (url, _) = endpoint::start(
            Vec::new(),
            Some("UnknownOperationException"),
            history.clone(),
        )
        .await;
        let aws = crate::aws::Aws::for_tests(&url);
        let logs = Logs::new(&aws);
        let out = Buffer::default();
        let mut follow = following(&logs, &out);
        assert!(matches!(
            follow.live(&[ARN.into()]).await,
            Ok(LiveEnd::Unavailable)
        ));

        let (url, _) = endpoint::start(
            vec![vec![started(), update(&[("A", clock::now_ms())])]],
            None,
            history,
        )
        .await;
        let aws = crate::aws::Aws::for_tests(&url);
        let logs = Logs::new(&aws);
        let mut follow = following(&logs, &out);
        assert!(matches!(
            follow.live(&[ARN.into()]).await,
            Ok(LiveEnd::NotLive)
        ));
        assert_eq!(out.text(), "A\n");
    }

    /// A log group that does not exist yet is polled for; once it appears,
    /// Live Tail takes over.
    #[tokio::test]
    async fn live_tail_starts_once_a_missing_group_appears() {
        use endpoint::Frame;
        let now = clock::now_ms();
        let (url, requests) = endpoint::start_missing(
            vec![vec![started(), update(&[("live", now)]), Frame::Hold]],
            None,
            r#"{"events":[]}"#.into(),
            2,
        )
        .await;
        let aws = crate::aws::Aws::for_tests(&url);
        let logs = Logs::new(&aws);
        let out = Buffer::default();
        let mut follow = following(&logs, &out);
        follow_until(&mut follow, &out, "live").await;
        assert_eq!(out.text(), "live\n");
        let targets: Vec<String> = requests
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| t.clone())
            .collect();
        let first_tail = targets
            .iter()
            .position(|t| t == "logs_20140328.startlivetail")
            .expect("a Live Tail session");
        assert!(first_tail >= 3, "after the group appeared: {targets:?}");
    }

    #[test]
    fn log_group_arns_come_from_the_functions_arn() {
        assert_eq!(
            group_arn(
                "arn:aws:lambda:us-east-1:123456789012:function:shop",
                "/aws/lambda/shop"
            )
            .as_deref(),
            Some(ARN)
        );
        assert_eq!(
            group_arn("arn:aws-cn:lambda:cn-north-1:1:function:f:live", "/g").as_deref(),
            Some("arn:aws-cn:logs:cn-north-1:1:log-group:/g")
        );
        assert_eq!(group_arn("f", "/g"), None);
        assert_eq!(group_of(ARN), "/aws/lambda/shop");
        assert_eq!(group_of(&format!("{ARN}:*")), "/aws/lambda/shop");
        assert_eq!(group_of("/aws/lambda/shop"), "/aws/lambda/shop");
    }

    /// A polled event (with its event id) and the same event from Live
    /// Tail (without one) are one event; two identical lines in the same
    /// millisecond are two, whichever path brings them.
    #[test]
    fn both_paths_share_what_was_seen() {
        let mut seen = Seen::default();
        assert_eq!(seen.fresh(vec![e("eventid-1", 10)]).len(), 1);
        assert!(seen.fresh_live(vec![e("", 10)]).is_empty());
        assert!(seen.fresh(vec![e("eventid-1", 10)]).is_empty());

        let mut seen = Seen::default();
        assert_eq!(seen.fresh(vec![e("a", 20), e("b", 20)]).len(), 2);
        assert_eq!(seen.fresh_live(vec![e("", 20), e("", 20)]).len(), 0);
        let mut seen = Seen::default();
        assert_eq!(seen.fresh_live(vec![e("", 30), e("", 30)]).len(), 2);
        assert_eq!(seen.fresh(vec![e("a", 30)]).len(), 0);
        assert_eq!(seen.fresh(vec![e("a", 30), e("b", 30)]).len(), 0);
        assert_eq!(seen.fresh(vec![e("c", 30)]).len(), 1, "a third one is new");
    }
}
