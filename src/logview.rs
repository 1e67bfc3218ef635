//! How log events are shown: pretty (condensed Lambda lines, structured
//! logs as level + message + fields), short, json (one object per line) or raw.

use console::style;
use serde_json::{Value, json};

use crate::aws::logs::LogEvent;
use crate::cli::LogFormat;
use crate::clock;

/// The line (without newline) for `event` in `format`.
pub fn render(event: &LogEvent, format: LogFormat) -> String {
    render_marked(event, format, None)
}

/// As [`render`], marked with the function it came from when several are
/// shown together (`lam logs` in a project of several functions).
pub fn render_marked(event: &LogEvent, format: LogFormat, function: Option<&str>) -> String {
    let message = event.message.trim_end_matches('\n');
    let mark = function.map(|f| format!("{f} ")).unwrap_or_default();
    match format {
        LogFormat::Raw => format!("{mark}{message}"),
        LogFormat::Short => format!("{} {mark}{message}", clock::time_of_day(event.timestamp)),
        LogFormat::Json => {
            let mut doc = json!({
                "timestamp": event.timestamp,
                "time": clock::iso(event.timestamp),
                "log_stream": event.stream,
                "event_id": event.id,
                "message": message,
            });
            if let Some(f) = function {
                doc["function"] = json!(f);
            }
            doc.to_string()
        }
        LogFormat::Pretty => format!(
            "{} {}{} {}",
            style(clock::time_of_day(event.timestamp)).dim(),
            style(mark).cyan(),
            style(short_stream(&event.stream)).dim(),
            pretty_message(message)
        ),
    }
}

/// The last 6 characters of a stream's id: enough to tell instances apart.
fn short_stream(stream: &str) -> String {
    let id = stream.rsplit(']').next().unwrap_or(stream);
    let chars: Vec<char> = id.chars().collect();
    chars[chars.len().saturating_sub(6)..].iter().collect()
}

fn pretty_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("START RequestId: ") {
        let id = rest.split_whitespace().next().unwrap_or("");
        return style(format!("▶ START {id}")).cyan().to_string();
    }
    if let Some(rest) = message.strip_prefix("END RequestId: ") {
        return style(format!("■ END {}", rest.trim())).dim().to_string();
    }
    if let Some(rest) = message.strip_prefix("REPORT RequestId: ") {
        return style(condense_report(rest)).cyan().to_string();
    }
    if let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(message) {
        if let Some(text) = platform(&fields) {
            return text;
        }
        if let Some(text) = structured(&fields) {
            return text;
        }
    }
    let lower = message.to_ascii_lowercase();
    if message.contains("[ERROR]")
        || message.starts_with("Traceback")
        || lower.contains("task timed out")
        || lower.starts_with("error")
    {
        return style(message).red().to_string();
    }
    message.to_string()
}

/// The JSON log format's platform events (`{"type": "platform.start",
/// "record": {...}}`, the Lambda telemetry schema) drawn as their text
/// format counterparts are: START, END and REPORT.
fn platform(fields: &serde_json::Map<String, Value>) -> Option<String> {
    let kind = fields.get("type")?.as_str()?.strip_prefix("platform.")?;
    let record = fields.get("record")?;
    let id = record
        .get("requestId")
        .and_then(Value::as_str)
        .unwrap_or("");
    match kind {
        "start" => Some(style(format!("▶ START {id}")).cyan().to_string()),
        "runtimeDone" => Some(style(format!("■ END {id}")).dim().to_string()),
        "report" => {
            let metrics = record.get("metrics")?;
            let number = |k: &str| metrics.get(k).and_then(Value::as_f64);
            let ms = |k: &str| number(k).map_or_else(|| "?".into(), |v| format!("{v:.2} ms"));
            let mut out = format!(
                "● REPORT {id} {} (billed {}) {}/{} MB",
                ms("durationMs"),
                number("billedDurationMs").map_or_else(|| "?".into(), |v| format!("{v} ms")),
                number("maxMemoryUsedMB").map_or_else(|| "?".into(), |v| v.to_string()),
                number("memorySizeMB").map_or_else(|| "?".into(), |v| v.to_string()),
            );
            if number("initDurationMs").is_some() {
                out.push_str(&format!(" init {}", ms("initDurationMs")));
            }
            let status = record.get("status").and_then(Value::as_str);
            if let Some(status) = status.filter(|s| *s != "success") {
                out.push_str(&format!(" {status}"));
                return Some(style(out).red().to_string());
            }
            Some(style(out).cyan().to_string())
        }
        other => Some(style(format!("● {other} {id}")).dim().to_string()),
    }
}

/// "REPORT a1b2 1.23 ms (billed 2 ms) 20/128 MB init 80.00 ms"
fn condense_report(rest: &str) -> String {
    let mut id = "";
    let mut fields = std::collections::HashMap::new();
    for (i, part) in rest.split('\t').enumerate() {
        if i == 0 {
            id = part.trim();
            continue;
        }
        if let Some((k, v)) = part.split_once(": ") {
            fields.insert(k.trim(), v.trim());
        }
    }
    let get = |k: &str| fields.get(k).copied().unwrap_or("?");
    let mut out = format!(
        "● REPORT {id} {} (billed {}) {}/{}",
        get("Duration"),
        get("Billed Duration"),
        get("Max Memory Used").trim_end_matches(" MB"),
        get("Memory Size")
    );
    if let Some(init) = fields.get("Init Duration") {
        out.push_str(&format!(" init {init}"));
    }
    out
}

/// `{"level": "INFO", "message": "...", ...}` as `INFO message k=v ...`.
fn structured(fields: &serde_json::Map<String, Value>) -> Option<String> {
    let level = ["level", "levelname", "type", "severity"]
        .iter()
        .find_map(|k| fields.get(*k).and_then(Value::as_str))?;
    let message = ["message", "msg"]
        .iter()
        .find_map(|k| fields.get(*k))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })?;
    let skip = [
        "level",
        "levelname",
        "type",
        "severity",
        "message",
        "msg",
        "timestamp",
        "time",
    ];
    let extras: Vec<String> = fields
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect();
    let upper = level.to_ascii_uppercase();
    let level_text = match upper.as_str() {
        "ERROR" | "CRITICAL" | "FATAL" => style(format!("{upper:<5}")).red().bold().to_string(),
        "WARN" | "WARNING" => style(format!("{upper:<5}")).yellow().to_string(),
        "DEBUG" | "TRACE" => style(format!("{upper:<5}")).dim().to_string(),
        _ => style(format!("{upper:<5}")).green().to_string(),
    };
    let mut out = format!("{level_text} {message}");
    if !extras.is_empty() {
        out.push_str(&format!(" {}", style(extras.join(" ")).dim()));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(message: &str) -> LogEvent {
        LogEvent {
            id: "1".into(),
            timestamp: 1_795_651_200_123,
            stream: "2026/11/26/[$LATEST]0123456789abcdef".into(),
            message: message.into(),
        }
    }

    #[test]
    fn formats() {
        console::set_colors_enabled(false);
        let e = event("hello\n");
        assert_eq!(render(&e, LogFormat::Raw), "hello");
        assert_eq!(render(&e, LogFormat::Short), "00:00:00.123 hello");
        assert_eq!(render(&e, LogFormat::Pretty), "00:00:00.123 abcdef hello");
        let j: Value = serde_json::from_str(&render(&e, LogFormat::Json)).unwrap();
        assert_eq!(j["message"], "hello");
        assert_eq!(j["timestamp"], 1_795_651_200_123i64);
        assert_eq!(j["log_stream"], e.stream);
    }

    #[test]
    fn lambda_lines_are_condensed() {
        console::set_colors_enabled(false);
        let report = event(
            "REPORT RequestId: abc\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tInit Duration: 80.00 ms\t\n",
        );
        assert!(
            render(&report, LogFormat::Pretty)
                .ends_with("● REPORT abc 1.23 ms (billed 2 ms) 20/128 MB init 80.00 ms")
        );
        assert!(
            render(
                &event("START RequestId: abc Version: $LATEST"),
                LogFormat::Pretty
            )
            .ends_with("▶ START abc")
        );
    }

    /// The JSON log format's platform events read as the text format's
    /// START / END / REPORT (shapes from the Lambda telemetry schema).
    #[test]
    fn json_format_platform_events_are_drawn_as_text_ones() {
        console::set_colors_enabled(false);
        let pretty = |m: &str| render(&event(m), LogFormat::Pretty);
        assert!(
            pretty(r#"{"time":"2026-11-30T10:00:00.000Z","type":"platform.start","record":{"requestId":"abc","version":"3"}}"#)
                .ends_with("▶ START abc")
        );
        assert!(
            pretty(r#"{"time":"2026-11-30T10:00:00.000Z","type":"platform.runtimeDone","record":{"requestId":"abc","status":"success"}}"#)
                .ends_with("■ END abc")
        );
        let report = pretty(
            r#"{"time":"2026-11-30T10:00:00.000Z","type":"platform.report","record":{"requestId":"abc","metrics":{"durationMs":1.234,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":20,"initDurationMs":80.0},"status":"success"}}"#,
        );
        assert!(
            report.ends_with("● REPORT abc 1.23 ms (billed 2 ms) 20/128 MB init 80.00 ms"),
            "{report}"
        );
        let failed = pretty(
            r#"{"type":"platform.report","record":{"requestId":"abc","metrics":{"durationMs":3000,"billedDurationMs":3000,"memorySizeMB":128,"maxMemoryUsedMB":20},"status":"timeout"}}"#,
        );
        assert!(failed.ends_with("20/128 MB timeout"), "{failed}");
        // An application's JSON line is still a structured log line.
        assert!(
            pretty(r#"{"timestamp":"2026-11-30T10:00:00Z","level":"INFO","message":"hi","requestId":"abc"}"#)
                .contains("hi")
        );
    }

    #[test]
    fn structured_logs_become_level_message_fields() {
        console::set_colors_enabled(false);
        let e = event(
            r#"{"timestamp": "x", "level": "INFO", "message": "order stored", "order_id": 7, "request_id": "r"}"#,
        );
        assert!(
            render(&e, LogFormat::Pretty).ends_with("INFO  order stored order_id=7 request_id=r"),
            "{}",
            render(&e, LogFormat::Pretty)
        );
    }
}
