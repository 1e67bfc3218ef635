//! What a function's REPORT lines say about it: invocations, errors, cold
//! starts, durations, memory and cost. Pure computation (`lam stats` feeds
//! it log events and prints the [`Summary`]).
//!
//! Lambda writes one REPORT per invocation, in the text log format
//! (`REPORT RequestId: ...\tDuration: 1.23 ms\tBilled Duration: 2 ms\t...`)
//! or, with `[function.logging] format = "JSON"`, as a `platform.report`
//! event (`{"type":"platform.report","record":{"metrics":{...},"status":...}}`).
//! The version comes from the log stream's name (`2026/11/30/[3]abc...`).

use std::collections::BTreeMap;

use serde::Serialize;

/// Prices of Lambda on-demand compute, first tier (the first 6 billion
/// x86_64 or 7.5 billion arm64 GB-seconds of a month), US East (N.
/// Virginia): aws.amazon.com/lambda/pricing, unchanged since arm64's launch
/// (2021) in the 2024 price list this was checked against. Most regions
/// charge the same; a few charge more, so the estimate says which it used.
/// The free tier (1M requests, 400,000 GB-seconds a month) is not deducted.
pub mod prices {
    /// The price list these come from.
    pub const AS_OF: &str = "2024";
    pub const REGION: &str = "us-east-1";
    /// USD per GB-second, x86_64.
    pub const X86_64_GB_SECOND: f64 = 0.000_016_666_7;
    /// USD per GB-second, arm64.
    pub const ARM64_GB_SECOND: f64 = 0.000_013_333_4;
    /// USD per request.
    pub const REQUEST: f64 = 0.20 / 1_000_000.0;
    /// Ephemeral storage above the free 512 MB, USD per GB-second
    /// ("Lambda Ephemeral Storage Pricing").
    pub const EPHEMERAL_GB_SECOND: f64 = 0.000_000_030_9;
    /// Provisioned concurrency, USD per GB-second it is configured, and the
    /// lower duration rate of the invocations it serves (x86_64, arm64).
    pub const PROVISIONED_GB_SECOND: (f64, f64) = (0.000_004_166_7, 0.000_003_333_4);
    pub const PROVISIONED_DURATION_GB_SECOND: (f64, f64) = (0.000_009_722_2, 0.000_007_777_8);
    /// SnapStart (Python, .NET): the snapshot cache, USD per GB-second a
    /// version is active, and each restore, USD per GB restored.
    pub const SNAPSTART_CACHE_GB_SECOND: f64 = 0.000_001_504_6;
    pub const SNAPSTART_RESTORE_GB: f64 = 0.000_139_799_8;
}

/// What else the function is billed for besides on-demand duration and
/// requests, for the charges that depend on its configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Billing {
    /// Ephemeral storage configured, MB (512 is free).
    pub ephemeral_mb: u64,
    /// Provisioned concurrency on the alias.
    pub provisioned: Option<u32>,
    pub snapstart: bool,
    /// The window's length in seconds (what a configured charge runs for).
    pub window_seconds: f64,
}

/// The charges beside duration and requests, each estimated over the window.
#[derive(Debug, Serialize, Default, PartialEq)]
pub struct Extra {
    pub ephemeral_storage_usd: f64,
    /// The configured concurrency's fee, and the saving on the duration of
    /// the invocations it served (all of them, at most: REPORT lines do
    /// not say which ran on provisioned environments).
    pub provisioned_concurrency_usd: f64,
    pub snapstart_usd: f64,
}

impl Extra {
    pub fn total(&self) -> f64 {
        self.ephemeral_storage_usd + self.provisioned_concurrency_usd + self.snapstart_usd
    }
}

/// The extra charges for `figures` (the whole window) of a function billed
/// as `billing`.
pub fn extra(figures: &Figures, billing: &Billing, arm64: bool) -> Extra {
    let pick = |(x86, arm): (f64, f64)| if arm64 { arm } else { x86 };
    let memory_gb = figures.memory_size_mb as f64 / 1024.0;
    let billed_seconds = if memory_gb > 0.0 {
        figures.billed_gb_seconds / memory_gb
    } else {
        0.0
    };
    let ephemeral_gb = billing.ephemeral_mb.saturating_sub(512) as f64 / 1024.0;
    let ephemeral_storage_usd = ephemeral_gb * billed_seconds * prices::EPHEMERAL_GB_SECOND;
    let provisioned_concurrency_usd = billing.provisioned.map_or(0.0, |n| {
        let fee =
            f64::from(n) * memory_gb * billing.window_seconds * pick(prices::PROVISIONED_GB_SECOND);
        let on_demand = if arm64 {
            prices::ARM64_GB_SECOND
        } else {
            prices::X86_64_GB_SECOND
        };
        let saving =
            figures.billed_gb_seconds * (on_demand - pick(prices::PROVISIONED_DURATION_GB_SECOND));
        fee - saving
    });
    let snapstart_usd = if billing.snapstart {
        memory_gb * billing.window_seconds * prices::SNAPSTART_CACHE_GB_SECOND
            + figures.snapstart_restores as f64 * memory_gb * prices::SNAPSTART_RESTORE_GB
    } else {
        0.0
    };
    Extra {
        ephemeral_storage_usd,
        provisioned_concurrency_usd,
        snapstart_usd,
    }
}

/// One invocation's REPORT.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub duration_ms: f64,
    pub billed_ms: f64,
    pub memory_mb: u64,
    pub max_memory_mb: u64,
    /// Present on a cold start.
    pub init_ms: Option<f64>,
    /// Present on a SnapStart restore (a cold start without init).
    pub restore_ms: Option<f64>,
    /// "timeout", "error", ... when the platform reports a failure.
    pub failure: Option<String>,
}

/// Parses a REPORT line of the text format, or a `platform.report` event of
/// the JSON format. Anything else is None.
pub fn parse(message: &str) -> Option<Report> {
    let message = message.trim_end();
    if message.starts_with('{') {
        parse_json(message)
    } else {
        parse_text(message)
    }
}

fn parse_text(line: &str) -> Option<Report> {
    let rest = line.strip_prefix("REPORT RequestId:")?;
    let mut report = Report {
        duration_ms: 0.0,
        billed_ms: 0.0,
        memory_mb: 0,
        max_memory_mb: 0,
        init_ms: None,
        restore_ms: None,
        failure: None,
    };
    let mut seen_duration = false;
    // Fields are tab-separated, in any order; X-Ray's may follow a newline,
    // and old lines put a space before each tab.
    for field in rest.split(['\t', '\n']) {
        let Some((name, value)) = field.split_once(':') else {
            continue;
        };
        let number = || {
            value
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
        };
        match name.trim() {
            "Duration" => {
                report.duration_ms = number()?;
                seen_duration = true;
            }
            "Billed Duration" => report.billed_ms = number()?,
            "Memory Size" => report.memory_mb = number()? as u64,
            "Max Memory Used" => report.max_memory_mb = number()? as u64,
            "Init Duration" => report.init_ms = number(),
            "Restore Duration" => report.restore_ms = number(),
            "Status" => report.failure = Some(value.trim().to_string()),
            _ => {}
        }
    }
    seen_duration.then_some(report)
}

fn parse_json(line: &str) -> Option<Report> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    if value.get("type")?.as_str()? != "platform.report" {
        return None;
    }
    let record = value.get("record")?;
    let metrics = record.get("metrics")?;
    let number = |key: &str| metrics.get(key).and_then(serde_json::Value::as_f64);
    let status = record.get("status").and_then(serde_json::Value::as_str);
    Some(Report {
        duration_ms: number("durationMs")?,
        billed_ms: number("billedDurationMs").unwrap_or(0.0),
        memory_mb: number("memorySizeMB").unwrap_or(0.0) as u64,
        max_memory_mb: number("maxMemoryUsedMB").unwrap_or(0.0) as u64,
        init_ms: number("initDurationMs"),
        restore_ms: number("restoreDurationMs"),
        failure: status.filter(|s| *s != "success").map(str::to_string),
    })
}

/// Whether a text-format line is the runtime's own report of an unhandled
/// error (Python's `[ERROR] Type: message`, Node.js's `ERROR\tInvoke Error`):
/// the REPORT that follows it in the same stream is a failed invocation.
/// A handler's own `logging.error` line (`[ERROR]\t...`) is not one.
pub fn is_runtime_error(message: &str) -> bool {
    message.starts_with("[ERROR] ")
        || message.contains("\tERROR\tInvoke Error")
        || message.contains("\tERROR\tUncaught Exception")
        || message.contains("\tERROR\tUnhandled Promise Rejection")
}

/// The function version a log stream belongs to: `2026/11/30/[3]abc` is "3".
pub fn stream_version(stream: &str) -> String {
    stream
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(v, _)| v.to_string())
        .unwrap_or_else(|| "?".into())
}

/// Adds up REPORTs, per version.
#[derive(Debug, Default)]
pub struct Collector {
    /// The function's configuration that prices extra charges.
    pub billing: Billing,
    versions: BTreeMap<String, Samples>,
    /// Streams whose last line was a runtime error not yet matched to its REPORT.
    pending_error: std::collections::HashSet<String>,
}

#[derive(Debug, Default)]
struct Samples {
    durations: Vec<f32>,
    inits: Vec<f32>,
    memory_used: Vec<u32>,
    memory_size: u64,
    billed_ms: f64,
    billed_gb_seconds: f64,
    errors: u64,
    timeouts: u64,
    restores: u64,
}

impl Collector {
    /// Takes one log event, in each stream's order.
    pub fn add(&mut self, stream: &str, message: &str) {
        let Some(report) = parse(message) else {
            if is_runtime_error(message) {
                self.pending_error.insert(stream.to_string());
            }
            return;
        };
        let errored = self.pending_error.remove(stream);
        let samples = self.versions.entry(stream_version(stream)).or_default();
        samples.durations.push(report.duration_ms as f32);
        if let Some(init) = report.init_ms {
            samples.inits.push(init as f32);
        }
        if report.restore_ms.is_some() {
            samples.restores += 1;
        }
        samples.memory_used.push(report.max_memory_mb as u32);
        samples.memory_size = samples.memory_size.max(report.memory_mb);
        samples.billed_ms += report.billed_ms;
        samples.billed_gb_seconds += report.billed_ms / 1000.0 * report.memory_mb as f64 / 1024.0;
        match report.failure.as_deref() {
            Some(s) if s.starts_with("timeout") => samples.timeouts += 1,
            Some(_) => samples.errors += 1,
            None if errored => samples.errors += 1,
            None => {}
        }
    }

    /// The summary, with prices for `arm64` or x86_64.
    pub fn summary(self, arm64: bool) -> Summary {
        let per_gb_second = if arm64 {
            prices::ARM64_GB_SECOND
        } else {
            prices::X86_64_GB_SECOND
        };
        let mut all = Samples::default();
        let mut versions = Vec::new();
        for (version, samples) in self.versions {
            all.durations.extend_from_slice(&samples.durations);
            all.inits.extend_from_slice(&samples.inits);
            all.memory_used.extend_from_slice(&samples.memory_used);
            all.memory_size = all.memory_size.max(samples.memory_size);
            all.billed_ms += samples.billed_ms;
            all.billed_gb_seconds += samples.billed_gb_seconds;
            all.errors += samples.errors;
            all.timeouts += samples.timeouts;
            all.restores += samples.restores;
            versions.push(samples.figures(Some(version), per_gb_second));
        }
        let histogram = histogram(&all.durations, 10);
        let mut total = all.figures(None, per_gb_second);
        let extra_costs = extra(&total, &self.billing, arm64);
        total.estimated_cost_usd += extra_costs.total();
        Summary {
            total,
            extra_costs,
            versions,
            histogram,
            architecture: if arm64 { "arm64" } else { "x86_64" },
            prices_as_of: prices::AS_OF,
            prices_region: prices::REGION,
        }
    }
}

impl Samples {
    fn figures(mut self, version: Option<String>, per_gb_second: f64) -> Figures {
        self.durations.sort_by(f32::total_cmp);
        self.inits.sort_by(f32::total_cmp);
        self.memory_used.sort_unstable();
        let invocations = self.durations.len() as u64;
        let cold = self.inits.len() as u64 + self.restores;
        let p = |v: &[f32], q: f64| percentile(v, q).map(|x| (x * 100.0).round() / 100.0);
        let cost = self.billed_gb_seconds * per_gb_second + invocations as f64 * prices::REQUEST;
        Figures {
            version,
            invocations,
            errors: self.errors,
            timeouts: self.timeouts,
            cold_starts: cold,
            snapstart_restores: self.restores,
            cold_start_share: share(cold, invocations),
            init_ms: Quantiles {
                p50: p(&self.inits, 0.50),
                p90: p(&self.inits, 0.90),
                p95: p(&self.inits, 0.95),
                p99: p(&self.inits, 0.99),
                max: self.inits.last().map(|x| f64::from(*x)),
            },
            duration_ms: Quantiles {
                p50: p(&self.durations, 0.50),
                p90: p(&self.durations, 0.90),
                p95: p(&self.durations, 0.95),
                p99: p(&self.durations, 0.99),
                max: self.durations.last().map(|x| f64::from(*x)),
            },
            memory_size_mb: self.memory_size,
            max_memory_used_mb: MemoryUse {
                p50: percentile_u32(&self.memory_used, 0.50),
                p99: percentile_u32(&self.memory_used, 0.99),
                max: self.memory_used.last().copied(),
            },
            billed_gb_seconds: (self.billed_gb_seconds * 1000.0).round() / 1000.0,
            estimated_cost_usd: cost,
        }
    }
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[f32], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(f64::from(sorted[rank - 1]))
}

fn percentile_u32(sorted: &[u32], q: f64) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 1000.0).round() / 1000.0
    }
}

/// Durations in `buckets` equal ranges from the smallest to the p99 (the
/// last bucket takes the rest).
fn histogram(durations: &[f32], buckets: usize) -> Vec<Bucket> {
    let mut sorted = durations.to_vec();
    sorted.sort_by(f32::total_cmp);
    let (Some(&low), Some(high)) = (sorted.first(), percentile(&sorted, 0.99)) else {
        return Vec::new();
    };
    let low = f64::from(low);
    let width = ((high - low) / buckets as f64).max(0.01);
    let mut counts = vec![0u64; buckets];
    for d in &sorted {
        let i = ((f64::from(*d) - low) / width) as usize;
        counts[i.min(buckets - 1)] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bucket {
            from_ms: ((low + width * i as f64) * 100.0).round() / 100.0,
            count,
        })
        .collect()
}

/// What `lam stats` shows.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub total: Figures,
    /// Charges beside duration and requests (storage, provisioned
    /// concurrency, SnapStart), included in total.estimated_cost_usd.
    pub extra_costs: Extra,
    /// Per version, when several served.
    pub versions: Vec<Figures>,
    pub histogram: Vec<Bucket>,
    pub architecture: &'static str,
    pub prices_as_of: &'static str,
    pub prices_region: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Figures {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub invocations: u64,
    pub errors: u64,
    pub timeouts: u64,
    pub cold_starts: u64,
    /// Cold starts that were SnapStart restores (no Init Duration).
    pub snapstart_restores: u64,
    pub cold_start_share: f64,
    pub init_ms: Quantiles,
    pub duration_ms: Quantiles,
    pub memory_size_mb: u64,
    pub max_memory_used_mb: MemoryUse,
    pub billed_gb_seconds: f64,
    pub estimated_cost_usd: f64,
}

#[derive(Debug, Serialize)]
pub struct Quantiles {
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct MemoryUse {
    pub p50: Option<u32>,
    pub p99: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Bucket {
    pub from_ms: f64,
    pub count: u64,
}

/// A sentence about memory when what is used is far from what is
/// configured (never a change: CPU scales with memory, so less memory can
/// mean longer, not cheaper, invocations).
pub fn memory_advice(f: &Figures) -> Option<String> {
    let used = f.max_memory_used_mb.p99?;
    let size = f.memory_size_mb;
    if size == 0 {
        return None;
    }
    let used_share = f64::from(used) / size as f64;
    if used_share >= 0.9 {
        Some(format!(
            "memory: p99 {used} MB of {size} MB is close to the limit; a function over it is killed. \
             More memory also brings more CPU."
        ))
    } else if used_share <= 0.4 && size > 128 {
        Some(format!(
            "memory: p99 {used} MB of {size} MB configured. A smaller size costs less per ms, \
             but CPU scales with memory, so invocations may take longer: try a smaller size and \
             compare the durations."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLD: &str = "REPORT RequestId: 3f1c\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.67 ms\t\n";
    const WARM: &str = "REPORT RequestId: 3f1d\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\t";
    const TIMEOUT: &str = "REPORT RequestId: 3f1e\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tStatus: timeout";
    const JSON_COLD: &str = r#"{"time":"2026-11-30T10:00:00.000Z","type":"platform.report","record":{"requestId":"a","metrics":{"durationMs":12.5,"billedDurationMs":13,"memorySizeMB":256,"maxMemoryUsedMB":80,"initDurationMs":300.25},"status":"success"}}"#;
    const JSON_ERROR: &str = r#"{"time":"2026-11-30T10:00:01.000Z","type":"platform.report","record":{"requestId":"b","metrics":{"durationMs":5.0,"billedDurationMs":5,"memorySizeMB":256,"maxMemoryUsedMB":81},"status":"error","errorType":"Runtime.ExitError"}}"#;

    #[test]
    fn text_and_json_reports_parse() {
        let cold = parse(COLD).unwrap();
        assert_eq!(cold.duration_ms, 102.25);
        assert_eq!(cold.billed_ms, 103.0);
        assert_eq!((cold.memory_mb, cold.max_memory_mb), (128, 70));
        assert_eq!(cold.init_ms, Some(150.67));
        assert_eq!(parse(WARM).unwrap().init_ms, None);
        assert_eq!(parse(TIMEOUT).unwrap().failure.as_deref(), Some("timeout"));
        let json = parse(JSON_COLD).unwrap();
        assert_eq!((json.duration_ms, json.init_ms), (12.5, Some(300.25)));
        assert_eq!(json.failure, None);
        assert_eq!(parse(JSON_ERROR).unwrap().failure.as_deref(), Some("error"));
        assert!(parse("START RequestId: x Version: 1").is_none());
        assert!(parse(r#"{"type":"platform.start"}"#).is_none());
        assert!(parse("REPORT RequestId: x\tBilled Duration: 3 ms").is_none());
        // X-Ray on a line of its own, and the old form with spaces before tabs.
        let xray = parse("REPORT RequestId: r\tDuration: 9.10 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\tInit Duration: 423.98 ms\t\nXRAY TraceId: 1-5e8c-1\tSegmentId: 2\tSampled: true").unwrap();
        assert_eq!((xray.duration_ms, xray.init_ms), (9.1, Some(423.98)));
        let old = parse("REPORT RequestId: r\tDuration: 1.07 ms\tBilled Duration: 100 ms \tMemory Size: 192 MB\tMax Memory Used: 60 MB\t").unwrap();
        assert_eq!((old.billed_ms, old.memory_mb), (100.0, 192));
        let oom = parse("REPORT RequestId: r\tDuration: 80.00 ms\tBilled Duration: 80 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory").unwrap();
        assert_eq!(oom.failure.as_deref(), Some("error"));
        // SnapStart: a restore, no init.
        let restored = parse("REPORT RequestId: r\tDuration: 5.00 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tRestore Duration: 220.13 ms\tBilled Restore Duration: 120 ms").unwrap();
        assert_eq!(
            (restored.init_ms, restored.restore_ms),
            (None, Some(220.13))
        );
    }

    #[test]
    fn versions_come_from_stream_names() {
        assert_eq!(stream_version("2026/11/30/[3]0123abcd"), "3");
        assert_eq!(stream_version("2026/11/30/[$LATEST]0123"), "$LATEST");
        assert_eq!(stream_version("odd"), "?");
    }

    #[test]
    fn extra_charges_follow_the_configuration() {
        // 1,000 invocations of 1 s at 1,024 MB: 1,000 GB-s over an hour.
        let figures = Figures {
            version: None,
            invocations: 1000,
            errors: 0,
            timeouts: 0,
            cold_starts: 10,
            snapstart_restores: 10,
            cold_start_share: 0.01,
            init_ms: Quantiles {
                p50: None,
                p90: None,
                p95: None,
                p99: None,
                max: None,
            },
            duration_ms: Quantiles {
                p50: None,
                p90: None,
                p95: None,
                p99: None,
                max: None,
            },
            memory_size_mb: 1024,
            max_memory_used_mb: MemoryUse {
                p50: None,
                p99: None,
                max: None,
            },
            billed_gb_seconds: 1000.0,
            estimated_cost_usd: 0.0,
        };
        let none = extra(
            &figures,
            &Billing {
                window_seconds: 3600.0,
                ..Billing::default()
            },
            false,
        );
        assert_eq!(none, Extra::default());
        let storage = extra(
            &figures,
            &Billing {
                ephemeral_mb: 1536,
                window_seconds: 3600.0,
                ..Billing::default()
            },
            false,
        );
        // 1 GB above the free 512 MB for 1,000 seconds.
        assert!(
            (storage.ephemeral_storage_usd - 1000.0 * prices::EPHEMERAL_GB_SECOND).abs() < 1e-12
        );
        let provisioned = extra(
            &figures,
            &Billing {
                provisioned: Some(2),
                window_seconds: 3600.0,
                ..Billing::default()
            },
            false,
        );
        let fee = 2.0 * 1.0 * 3600.0 * prices::PROVISIONED_GB_SECOND.0;
        let saving = 1000.0 * (prices::X86_64_GB_SECOND - prices::PROVISIONED_DURATION_GB_SECOND.0);
        assert!((provisioned.provisioned_concurrency_usd - (fee - saving)).abs() < 1e-12);
        let snap = extra(
            &figures,
            &Billing {
                snapstart: true,
                window_seconds: 3600.0,
                ..Billing::default()
            },
            true,
        );
        let expected =
            3600.0 * prices::SNAPSTART_CACHE_GB_SECOND + 10.0 * prices::SNAPSTART_RESTORE_GB;
        assert!((snap.snapstart_usd - expected).abs() < 1e-12);
    }

    #[test]
    fn a_collector_counts_cold_starts_errors_and_cost_per_version() {
        let mut c = Collector::default();
        let v1 = "2026/11/30/[1]aa";
        let v2 = "2026/11/30/[2]bb";
        c.add(v1, "START RequestId: 3f1c Version: 1");
        c.add(v1, COLD);
        c.add(v1, "[ERROR]\t2026-11-30T10:00:00Z\t3f1d\thandled, logged");
        c.add(v1, WARM);
        c.add(
            v1,
            "[ERROR] ValueError: boom\rTraceback (most recent call last):",
        );
        c.add(v1, WARM);
        c.add(v2, TIMEOUT);
        let s = c.summary(false);
        assert_eq!(s.total.invocations, 4);
        assert_eq!(s.total.cold_starts, 1);
        assert_eq!(s.total.cold_start_share, 0.25);
        assert_eq!(s.total.errors, 1, "only the runtime's error line counts");
        assert_eq!(s.total.timeouts, 1);
        assert_eq!(s.versions.len(), 2);
        assert_eq!(s.versions[0].version.as_deref(), Some("1"));
        assert_eq!(s.versions[0].invocations, 3);
        assert_eq!(s.total.duration_ms.p50, Some(2.5));
        assert_eq!(s.total.duration_ms.max, Some(3000.0));
        assert_eq!(s.total.init_ms.p50, Some(150.67));
        assert_eq!(s.total.max_memory_used_mb.max, Some(71));
        // (103 + 3 + 3 + 3000) ms at 128 MB.
        let gb_s: f64 = 3109.0 / 1000.0 * 0.125;
        assert!((s.total.billed_gb_seconds - (gb_s * 1000.0).round() / 1000.0).abs() < 1e-9);
        let cost = gb_s * prices::X86_64_GB_SECOND + 4.0 * prices::REQUEST;
        assert!((s.total.estimated_cost_usd - cost).abs() < 1e-12);
        let arm = {
            let mut c = Collector::default();
            c.add(v1, COLD);
            c.summary(true)
        };
        assert_eq!(arm.architecture, "arm64");
        assert!(
            (arm.total.estimated_cost_usd
                - (0.103 * 0.125 * prices::ARM64_GB_SECOND + prices::REQUEST))
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v: Vec<f32> = (1..=100).map(|x| x as f32).collect();
        assert_eq!(percentile(&v, 0.5), Some(50.0));
        assert_eq!(percentile(&v, 0.99), Some(99.0));
        assert_eq!(percentile(&v, 1.0), Some(100.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn the_histogram_spans_smallest_to_p99() {
        let v: Vec<f32> = (0..100).map(|x| x as f32).collect();
        let h = histogram(&v, 10);
        assert_eq!(h.len(), 10);
        assert_eq!(h.iter().map(|b| b.count).sum::<u64>(), 100);
        assert_eq!(h[0].from_ms, 0.0);
        assert!(histogram(&[], 10).is_empty());
    }

    #[test]
    fn memory_advice_names_the_numbers() {
        let mut c = Collector::default();
        c.add(
            "[1]",
            &WARM.replace("Memory Size: 128", "Memory Size: 1024"),
        );
        let s = c.summary(false);
        let advice = memory_advice(&s.total).unwrap();
        assert!(advice.contains("71 MB of 1024 MB"), "{advice}");
        assert!(advice.contains("CPU scales with memory"), "{advice}");
        let mut c = Collector::default();
        c.add(
            "[1]",
            &WARM.replace("Max Memory Used: 71", "Max Memory Used: 125"),
        );
        let advice = memory_advice(&c.summary(false).total).unwrap();
        assert!(advice.contains("close to the limit"), "{advice}");
    }
}
