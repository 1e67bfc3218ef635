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
}

pub struct Logs {
    aws: Aws,
    client: Client,
}

impl Logs {
    pub fn new(aws: &Aws) -> Logs {
        let conf = aws_sdk_cloudwatchlogs::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
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
                .log_group_name(&query.group)
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
            for e in out.events() {
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
