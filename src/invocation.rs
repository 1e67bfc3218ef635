//! The result of one invocation, remote or local, and how it is shown:
//! the payload on stdout, everything else on stderr.

use std::io::Write;

use base64::Engine;
use console::style;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::ui::Ui;

/// What an invocation returned.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub status: i32,
    /// "Unhandled" (or the runtime's error type) when the function failed.
    pub function_error: Option<String>,
    pub executed_version: Option<String>,
    pub payload: Vec<u8>,
    /// Decoded log tail (remote) or nothing (local logs were streamed live).
    pub log_tail: Option<String>,
    pub request_id: Option<String>,
}

impl Outcome {
    fn payload_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.payload).ok()
    }

    pub fn to_json(&self) -> Value {
        let payload = self.payload_json();
        // An API Gateway-shaped result also comes decoded, as a person reads it.
        let http = payload.as_ref().and_then(http_response).map(|h| {
            json!({
                "status": h.status,
                "headers": h
                    .headers
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect::<serde_json::Map<String, Value>>(),
                "body": h.body,
            })
        });
        json!({
            "status": self.status,
            "function_error": self.function_error,
            "executed_version": self.executed_version,
            "payload": payload.unwrap_or_else(|| Value::String(String::from_utf8_lossy(&self.payload).into_owned())),
            "http": http,
            "log_tail": self.log_tail,
            "request_id": self.request_id,
        })
    }
}

/// Prints the outcome and turns a function error into exit code 1.
pub fn show(ui: &Ui, outcome: &Outcome, local: bool) -> Result<()> {
    if ui.json {
        ui.print_json(&outcome.to_json());
    } else {
        if let Some(tail) = &outcome.log_tail
            && !ui.quiet
        {
            eprint!("{}", stderr_safe(tail));
            if !tail.ends_with('\n') {
                eprintln!();
            }
        }
        if outcome.function_error.is_some() {
            show_function_error(ui, outcome);
        } else {
            show_payload(ui, outcome);
        }
    }
    status(outcome, local)
}

/// Ok, or a function error (exit code 1) naming its type and message.
pub fn status(outcome: &Outcome, local: bool) -> Result<()> {
    match &outcome.function_error {
        None => Ok(()),
        Some(kind) => {
            let message = outcome
                .payload_json()
                .and_then(|v| {
                    let t = v.get("errorType")?.as_str()?.to_string();
                    let m = v
                        .get("errorMessage")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    Some(format!("{t}: {m}"))
                })
                .unwrap_or_else(|| kind.clone());
            let hint = if local {
                "the stack trace is above"
            } else {
                "the stack trace is above; `lam invoke --local` runs the same event on this machine"
            };
            Err(
                Error::function(format!("the function returned an error: {message}"))
                    .with_hint(hint),
            )
        }
    }
}

/// On a terminal: JSON pretty-printed, and an API Gateway response shown as
/// status, headers and decoded body. Otherwise: the bytes exactly as returned.
fn show_payload(ui: &Ui, outcome: &Outcome) {
    let mut out = std::io::stdout().lock();
    if !ui.stdout_tty {
        let _ = out.write_all(&outcome.payload);
        if !outcome.payload.ends_with(b"\n") {
            let _ = out.write_all(b"\n");
        }
        return;
    }
    // On a terminal, what the function returned is escaped.
    let Some(value) = outcome.payload_json() else {
        let text = String::from_utf8_lossy(&outcome.payload);
        let _ = writeln!(out, "{}", crate::terminal::escape(&text));
        return;
    };
    if let Some(http) = http_response(&value) {
        eprintln!("{} {}", style("HTTP").dim(), style(http.status).bold());
        for (k, v) in &http.headers {
            eprintln!(
                "{} {}",
                style(format!("{}:", stderr_safe(k))).dim(),
                stderr_safe(v)
            );
        }
        let _ = writeln!(out, "{}", crate::terminal::escape(&http.body));
        return;
    }
    let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
    let _ = writeln!(out, "{pretty}");
}

/// An API Gateway-shaped response, made readable.
#[derive(Debug, PartialEq, Eq)]
pub struct HttpView {
    pub status: i64,
    /// Sorted by name.
    pub headers: Vec<(String, String)>,
    /// Base64 decoded when isBase64Encoded, JSON pretty-printed.
    pub body: String,
}

/// `{statusCode, headers, body}` as an [`HttpView`]; None for other payloads.
pub fn http_response(value: &Value) -> Option<HttpView> {
    let obj = value.as_object()?;
    let status = obj.get("statusCode")?.as_i64()?;
    let mut headers: Vec<(String, String)> = obj
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    headers.sort();
    let raw = obj.get("body").and_then(Value::as_str).unwrap_or("");
    let decoded = if obj.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
        match base64::engine::general_purpose::STANDARD.decode(raw) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => format!("<{} bytes of binary data>", e.into_bytes().len()),
            },
            Err(_) => raw.to_string(),
        }
    } else {
        raw.to_string()
    };
    let body = match serde_json::from_str::<Value>(&decoded) {
        Ok(v) if v.is_object() || v.is_array() => {
            serde_json::to_string_pretty(&v).unwrap_or(decoded)
        }
        _ => decoded,
    };
    Some(HttpView {
        status,
        headers,
        body,
    })
}

fn show_function_error(ui: &Ui, outcome: &Outcome) {
    // The error document is the payload: keep stdout exact for scripts.
    if !ui.stdout_tty {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&outcome.payload);
        let _ = out.write_all(b"\n");
    }
    let Some(value) = outcome.payload_json() else {
        eprintln!(
            "{}",
            stderr_safe(&String::from_utf8_lossy(&outcome.payload))
        );
        return;
    };
    let error_type = value
        .get("errorType")
        .and_then(Value::as_str)
        .unwrap_or("Error");
    let message = value
        .get("errorMessage")
        .and_then(Value::as_str)
        .unwrap_or("");
    eprintln!(
        "{} {}",
        style(format!("{}:", stderr_safe(error_type))).red().bold(),
        stderr_safe(message)
    );
    // Python runtimes say stackTrace, Node.js runtimes say trace.
    let trace = value.get("stackTrace").or_else(|| value.get("trace"));
    if let Some(trace) = trace.and_then(Value::as_array) {
        for frame in trace {
            match frame.as_str() {
                Some(line) => eprint!(
                    "{}{}",
                    stderr_safe(line),
                    if line.ends_with('\n') { "" } else { "\n" }
                ),
                None => eprintln!("{}", stderr_safe(&frame.to_string())),
            }
        }
    }
}

/// Text printed to stderr: escaped when stderr is a terminal.
fn stderr_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::ui::stderr_tty() {
        crate::terminal::escape(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_gateway_responses_are_decoded() {
        let v =
            json!({"statusCode": 201, "headers": {"b": "2", "a": "1"}, "body": "{\"ok\":true}"});
        let view = http_response(&v).unwrap();
        assert_eq!(view.status, 201);
        assert_eq!(
            view.headers,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(view.body, "{\n  \"ok\": true\n}");

        let v = json!({"statusCode": 200, "body": "aGVsbG8=", "isBase64Encoded": true});
        assert_eq!(http_response(&v).unwrap().body, "hello");
        assert!(http_response(&json!({"message": "hi"})).is_none());
    }

    #[test]
    fn json_output_has_stable_fields() {
        let o = Outcome {
            status: 200,
            payload: b"{\"a\":1}".to_vec(),
            request_id: Some("r".into()),
            ..Outcome::default()
        };
        let v = o.to_json();
        assert_eq!(v["payload"]["a"], 1);
        assert_eq!(v["status"], 200);
        assert!(v["function_error"].is_null());
        for key in [
            "status",
            "function_error",
            "executed_version",
            "payload",
            "log_tail",
            "request_id",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
    }
}
