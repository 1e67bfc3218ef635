//! CloudWatch Logs: reading a function's log events.

use aws_sdk_cloudwatchlogs::Client;

use super::{Aws, sdk_error};
use crate::error::{Error, Result};

const SERVICE: &str = "logs";
/// Pages one read may take (each holds up to 10,000 events or 1 MB).
const MAX_PAGES: usize = 200;

/// One log event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    pub id: String,
    pub timestamp: i64,
    pub stream: String,
    pub message: String,
}

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub group: String,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub pattern: Option<String>,
    pub streams: Vec<String>,
    /// In a log group several functions share (a custom `log_group`), the
    /// function whose streams are wanted: Lambda names them
    /// `YYYY/MM/DD/<function>[<version>]<id>` there ("Configuring
    /// CloudWatch log groups", Lambda guide).
    pub function: Option<String>,
}

impl Query {
    /// Whether an event of `stream` is this query's.
    pub fn owns(&self, stream: &str) -> bool {
        self.function
            .as_deref()
            .is_none_or(|f| stream.contains(&format!("/{f}[")))
    }
}

/// The function whose streams to keep when `group` is not the function's
/// own default group (`/aws/lambda/<name>`), which only it writes to.
pub fn shared_group_function(group: &str, function: &str) -> Option<String> {
    (group != format!("/aws/lambda/{function}")
        && !group.ends_with(&format!(":log-group:/aws/lambda/{function}")))
    .then(|| function.to_string())
}

pub struct Logs {
    aws: Aws,
    client: Client,
}

impl Logs {
    pub fn new(aws: &Aws) -> Logs {
        let mut conf = aws_sdk_cloudwatchlogs::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor());
        if aws.config.endpoint_url().is_some() {
            conf = conf.interceptor(NoHostPrefix);
        }
        let conf = conf.build();
        Logs {
            aws: aws.clone(),
            client: Client::from_conf(conf),
        }
    }

    /// Deletes a log group. Returns false when there was none.
    pub async fn delete_group(&self, group: &str) -> Result<bool> {
        match self
            .client
            .delete_log_group()
            .log_group_name(group)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                Ok(false)
            }
            Err(err) => Err(sdk_error(&self.aws, "logs", "DeleteLogGroup", err)),
        }
    }

    /// Every matching event, across streams and pages, in time order.
    pub async fn filter(&self, query: &Query) -> Result<Vec<LogEvent>> {
        let mut events = Vec::new();
        self.each(query, |e| events.push(e)).await?;
        // Stable: events of one stream keep their order.
        events.sort_by_key(|e| e.timestamp);
        Ok(events)
    }

    /// Hands each matching event to `take`, page by page (memory stays
    /// bounded by one page); each stream's events arrive in order.
    pub async fn each(&self, query: &Query, mut take: impl FnMut(LogEvent)) -> Result<()> {
        let mut token: Option<String> = None;
        // FilterLogEvents may answer an empty page that still carries a token
        // (it searched part of the range): keep going, within a bound.
        for _page in 0..MAX_PAGES {
            let out = self
                .client
                .filter_log_events()
                // A group of another account is named by its ARN
                // (cross-account observability), which only the identifier takes.
                .set_log_group_name((!query.group.starts_with("arn:")).then(|| query.group.clone()))
                .set_log_group_identifier(query.group.starts_with("arn:").then(|| query.group.clone()))
                .start_time(query.start_ms)
                .set_end_time(query.end_ms)
                .set_filter_pattern(query.pattern.clone())
                .set_log_stream_names((!query.streams.is_empty()).then(|| query.streams.clone()))
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|err| {
                    if err.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) {
                        return Error::aws(format!("log group {} does not exist", query.group)).with_hint(
                            "the function has not run yet, or does not exist here (check --stage and --region)",
                        ).with_cause(crate::error::Cause::NotFound);
                    }
                    sdk_error(&self.aws, SERVICE, "FilterLogEvents", err)
                })?;
            for e in out
                .events()
                .iter()
                .filter(|e| query.owns(e.log_stream_name().unwrap_or_default()))
            {
                take(LogEvent {
                    id: e.event_id().unwrap_or_default().to_string(),
                    timestamp: e.timestamp().unwrap_or_default(),
                    stream: e.log_stream_name().unwrap_or_default().to_string(),
                    message: e.message().unwrap_or_default().to_string(),
                });
            }
            match out.next_token() {
                Some(t) if !t.is_empty() && Some(t) != token.as_deref() => {
                    token = Some(t.to_string())
                }
                _ => break,
            }
        }
        Ok(())
    }
}

/// StartLiveTail goes to `stream-logs.<region>...`: the SDK puts the
/// model's `stream-` host prefix before the endpoint's host, which turns
/// an --endpoint-url such as http://127.0.0.1:5000 into a host that does
/// not resolve. With an endpoint of the user's choosing the request goes
/// where they said (as botocore's `inject_host_prefix = False` does).
#[derive(Debug)]
struct NoHostPrefix;

impl aws_smithy_runtime_api::client::interceptors::Intercept for NoHostPrefix {
    fn name(&self) -> &'static str {
        "LamNoHostPrefix"
    }

    fn modify_before_serialization(
        &self,
        _context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextMut<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> std::result::Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        cfg.interceptor_state()
            .unset::<aws_smithy_runtime_api::client::endpoint::EndpointPrefix>();
        Ok(())
    }
}

/// What a Live Tail session said next.
#[derive(Debug)]
pub enum Tail {
    /// The session is open (LiveTailSessionStart).
    Started,
    /// One LiveTailSessionUpdate: events with their log group's ARN, and
    /// whether CloudWatch sampled them (over 500 events a second).
    Events {
        events: Vec<(String, LogEvent)>,
        sampled: bool,
    },
    /// SessionTimeoutException: the session ran its three hours.
    TimedOut,
    /// The stream ended without saying why.
    Ended,
}

/// An open Live Tail session.
pub struct LiveTail {
    aws: Aws,
    /// Holds the response stream.
    out: aws_sdk_cloudwatchlogs::operation::start_live_tail::StartLiveTailOutput,
}

impl LiveTail {
    pub async fn next(&mut self) -> Result<Tail> {
        use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream as Stream;
        use aws_sdk_cloudwatchlogs::types::error::StartLiveTailResponseStreamError as StreamError;
        loop {
            let message = match self.out.response_stream.recv().await {
                Ok(Some(message)) => message,
                Ok(None) => return Ok(Tail::Ended),
                Err(err)
                    if matches!(
                        err.as_service_error(),
                        Some(StreamError::SessionTimeoutException(_))
                    ) =>
                {
                    return Ok(Tail::TimedOut);
                }
                Err(err) => return Err(sdk_error(&self.aws, SERVICE, "StartLiveTail", err)),
            };
            match message {
                Stream::SessionStart(_) => return Ok(Tail::Started),
                Stream::SessionUpdate(update) => {
                    let events = update
                        .session_results()
                        .iter()
                        .map(|e| {
                            (
                                e.log_group_identifier().unwrap_or_default().to_string(),
                                LogEvent {
                                    id: String::new(),
                                    timestamp: e.timestamp().unwrap_or_default(),
                                    stream: e.log_stream_name().unwrap_or_default().to_string(),
                                    message: e.message().unwrap_or_default().to_string(),
                                },
                            )
                        })
                        .collect();
                    let sampled = update.session_metadata().is_some_and(|m| m.sampled());
                    return Ok(Tail::Events { events, sampled });
                }
                // A message type newer than this SDK: skip it.
                _ => continue,
            }
        }
    }
}

impl Logs {
    /// Starts a Live Tail session on up to ten log groups (by ARN, as
    /// StartLiveTail requires). None when this endpoint or these
    /// credentials have no Live Tail: the caller polls instead.
    pub async fn live_tail(
        &self,
        group_arns: &[String],
        pattern: Option<&str>,
    ) -> Result<Option<LiveTail>> {
        let result = self
            .client
            .start_live_tail()
            .set_log_group_identifiers(Some(group_arns.to_vec()))
            .set_log_event_filter_pattern(pattern.map(str::to_string))
            .send()
            .await;
        match result {
            Ok(out) => Ok(Some(LiveTail {
                aws: self.aws.clone(),
                out,
            })),
            // No Live Tail at this endpoint, or not for these credentials.
            Err(err)
                if crate::aws::operation_missing(&err)
                    || err.as_service_error().is_some_and(|e| {
                        matches!(
                            aws_smithy_types::error::metadata::ProvideErrorMetadata::code(e),
                            Some("AccessDeniedException" | "UnrecognizedClientException")
                        )
                    }) =>
            {
                Ok(None)
            }
            Err(err) => Err(sdk_error(&self.aws, SERVICE, "StartLiveTail", err)),
        }
    }
}
