//! `lam invoke`: run the function with an event, on AWS or (--local) here.

use std::io::Read;

use serde_json::json;

use crate::cli::InvokeArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::invocation;
use crate::local;
use crate::local::RESPONSE_LIMIT;

/// Lambda's limit on an asynchronous (Event) payload.
const ASYNC_LIMIT: usize = 256 * 1024;

pub async fn run(ctx: &Context<'_>, args: InvokeArgs) -> Result<()> {
    // The event is checked before anything else: a bad file costs no AWS call.
    let event = read_event(ctx, args.event.as_deref())?;
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
    let project = ctx.project()?;
    let function = project.one(args.function.as_deref())?;

    if args.local {
        let opts = ctx.local_options(&project, args.ric)?;
        let logs = if ctx.ui.quiet || ctx.ui.json {
            local::LogMode::Discard
        } else {
            local::LogMode::Stream
        };
        let outcome = local::invoke_once(&project, function, event, &opts, logs).await?;
        return invocation::show(ctx.ui, &outcome, true);
    }

    let aws = ctx.aws(Some(&project)).await?;
    let lambda = crate::aws::lambda::Lambda::new(&aws);
    let outcome = lambda
        .invoke(
            &function.name,
            args.qualifier.as_deref(),
            event,
            args.asynchronous,
        )
        .await?;
    if args.asynchronous {
        let id = outcome.request_id.clone().unwrap_or_default();
        if ctx.ui.json {
            ctx.ui
                .print_json(&json!({ "status": outcome.status, "request_id": id }));
        } else {
            ctx.ui
                .info(format!("Queued (HTTP {}), request id:", outcome.status));
            println!("{id}");
        }
        return Ok(());
    }
    invocation::show(ctx.ui, &outcome, false)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_suffix_is_removed() {
        assert_eq!(
            strip_position("expected value at line 1 column 2"),
            "expected value"
        );
        assert_eq!(strip_position("EOF"), "EOF");
    }
}
