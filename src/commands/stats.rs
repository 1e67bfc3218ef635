//! `lam stats`: where the function stands on cold starts, duration, memory
//! and cost, from the REPORT lines Lambda wrote to CloudWatch Logs.

use std::io::Write;

use crate::aws::logs::{Logs, Query};
use crate::cli::StatsArgs;
use crate::clock;
use crate::commands::Context;
use crate::config::Architecture;
use crate::error::{Error, Result};
use crate::stats::{self, Collector, Figures, Summary};

/// REPORT lines in both log formats, and the runtimes' own error lines
/// (which tell a failed invocation from a good one in the text format).
/// CloudWatch ORs `?` terms; lam checks every event itself as well.
const PATTERN: &str = "?REPORT ?\"platform.report\" ?\"[ERROR]\" ?\"Invoke Error\" ?\"Uncaught Exception\" ?\"Unhandled Promise Rejection\"";

pub async fn run(ctx: &Context<'_>, args: StatsArgs) -> Result<()> {
    let (start, end) = super::logs::window(&args.since, args.until.as_deref(), "1h, 24h, 7d")?;
    let target = ctx.deployed(args.function.as_deref()).await?;
    let aws = &target.aws;
    let name = target.name.as_str();
    // An ARN's qualifier narrows like --qualifier.
    let qualifier = args
        .qualifier
        .clone()
        .or_else(|| target.id.split(':').nth(7).map(str::to_string));
    let version = match &qualifier {
        None => None,
        Some(q) => Some(resolve_qualifier(aws, name, q).await?),
    };
    // What the function is configured with prices it: architecture, and the
    // charges beside duration (storage, provisioned concurrency, SnapStart).
    let lambda = crate::aws::lambda::Lambda::new(aws);
    let deployed = lambda.get(&target.id).await?;
    let arm64 = match &target.project {
        Some(project) => project
            .functions
            .iter()
            .any(|f| f.name == name && f.architecture == Architecture::Arm64),
        None => deployed
            .as_ref()
            .is_some_and(|d| d.settings.architecture == "arm64"),
    };
    let alias = target
        .project
        .as_ref()
        .and_then(|p| p.functions.iter().find(|f| f.name == name))
        .map(|f| f.alias.clone());
    let provisioned = match &alias {
        Some(alias) => match lambda.provisioned(name, alias).await {
            Ok(crate::aws::lambda::Provisioned::Configured { requested, .. }) => Some(requested),
            _ => None,
        },
        None => None,
    };
    let window_end = end.unwrap_or_else(clock::now_ms);
    let billing = stats::Billing {
        ephemeral_mb: deployed
            .as_ref()
            .map_or(512, |d| u64::from(d.settings.ephemeral_storage)),
        provisioned,
        snapstart: deployed.as_ref().is_some_and(|d| d.settings.snapstart),
        window_seconds: (window_end - start).max(0) as f64 / 1000.0,
    };
    let configured = target.project.as_ref().and_then(|p| {
        p.functions
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.logging.log_group.clone())
    });
    let group = super::logs::log_group_for(
        aws,
        &target.id,
        configured.as_deref(),
        target.foreign_account.is_some(),
    )
    .await?;
    let query = Query {
        // In a group other functions write to as well, only this one's
        // REPORT lines count.
        function: crate::aws::logs::shared_group_function(&group, name),
        group,
        start_ms: start,
        end_ms: end,
        pattern: Some(PATTERN.to_string()),
        streams: Vec::new(),
    };
    let mut collector = Collector::default();
    collector.billing = billing;
    Logs::new(aws)
        .each(&query, |event| {
            if version
                .as_deref()
                .is_none_or(|v| stats::stream_version(&event.stream) == v)
            {
                collector.add(&event.stream, &event.message);
            }
        })
        .await?;
    let summary = collector.summary(arm64);
    if ctx.ui.json {
        ctx.ui.print_value(&summary);
        return Ok(());
    }
    let title = format!(
        "{}{} since {}",
        name,
        version.map(|v| format!(" version {v}")).unwrap_or_default(),
        clock::iso(start)
    );
    print(&title, &summary, ctx.ui.stdout_tty);
    // With system logs at WARN or above Lambda writes no platform.report:
    // no REPORT lines says nothing about whether it ran.
    let quiet_system = target.project.as_ref().and_then(|p| {
        p.functions
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.logging.system_log_level.clone())
            .filter(|l| !matches!(l.as_str(), "DEBUG" | "INFO"))
    });
    if summary.total.invocations == 0
        && let Some(level) = quiet_system
    {
        ctx.ui.warn(format!(
            "{name} logs system events at {level}, which drops the REPORT lines lam stats reads; set system_log_level = \"INFO\" under [function.logging] and deploy"
        ));
    }
    Ok(())
}

/// A version number as it is; an alias as the version it points to.
async fn resolve_qualifier(aws: &crate::aws::Aws, function: &str, q: &str) -> Result<String> {
    if q == "$LATEST" || q.chars().all(|c| c.is_ascii_digit()) {
        return Ok(q.to_string());
    }
    crate::aws::lambda::Lambda::new(aws)
        .alias_version(function, q)
        .await?
        .ok_or_else(|| {
            Error::usage(format!("{function} has no alias '{q}'"))
                .with_hint("name a version number, $LATEST or an alias `lam status` shows")
        })
}

fn print(title: &str, s: &Summary, tty: bool) {
    let mut out = std::io::stdout().lock();
    let t = &s.total;
    let _ = writeln!(out, "{title}");
    if t.invocations == 0 {
        let _ = writeln!(
            out,
            "no REPORT lines: the function did not run in this window"
        );
        return;
    }
    let _ = writeln!(
        out,
        "invocations  {}  errors {}  timeouts {}",
        t.invocations, t.errors, t.timeouts
    );
    let restores = if t.snapstart_restores > 0 {
        format!(", {} SnapStart restores", t.snapstart_restores)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "cold starts  {} ({:.1}%{restores}){}",
        t.cold_starts,
        t.cold_start_share * 100.0,
        if tty {
            format!("  {}", bar(t.cold_start_share, 20))
        } else {
            String::new()
        }
    );
    if t.init_ms.p50.is_some() {
        let _ = writeln!(
            out,
            "init         p50 {}  p95 {}  max {}",
            ms(t.init_ms.p50),
            ms(t.init_ms.p95),
            ms(t.init_ms.max)
        );
    }
    let _ = writeln!(
        out,
        "duration     p50 {}  p90 {}  p99 {}  max {}",
        ms(t.duration_ms.p50),
        ms(t.duration_ms.p90),
        ms(t.duration_ms.p99),
        ms(t.duration_ms.max)
    );
    let _ = writeln!(
        out,
        "memory       p50 {} MB  p99 {} MB  of {} MB",
        t.max_memory_used_mb.p50.unwrap_or(0),
        t.max_memory_used_mb.p99.unwrap_or(0),
        t.memory_size_mb
    );
    let _ = writeln!(
        out,
        "cost         {} GB-s billed, about ${:.4} ({} prices of {}, {}; free tier not deducted)",
        t.billed_gb_seconds, t.estimated_cost_usd, s.prices_region, s.prices_as_of, s.architecture
    );
    let x = &s.extra_costs;
    let parts: Vec<String> = [
        ("ephemeral storage", x.ephemeral_storage_usd),
        ("provisioned concurrency", x.provisioned_concurrency_usd),
        ("SnapStart cache and restores", x.snapstart_usd),
    ]
    .iter()
    .filter(|(_, usd)| *usd != 0.0)
    .map(|(what, usd)| format!("{what} ${usd:.4}"))
    .collect();
    if !parts.is_empty() {
        let _ = writeln!(out, "             of which {}", parts.join(", "));
    }
    if s.versions.len() > 1 {
        let _ = writeln!(out, "per version");
        for v in &s.versions {
            let _ = writeln!(out, "  {}", version_line(v));
        }
    }
    if tty && !s.histogram.is_empty() {
        let _ = writeln!(out, "duration histogram (last bucket: to the max)");
        let most = s
            .histogram
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(1)
            .max(1);
        for b in &s.histogram {
            let _ = writeln!(
                out,
                "  {:>10} {} {}",
                ms(Some(b.from_ms)),
                bar(b.count as f64 / most as f64, 30),
                b.count
            );
        }
    }
    if let Some(advice) = stats::memory_advice(t) {
        let _ = writeln!(out, "{advice}");
    }
}

fn version_line(v: &Figures) -> String {
    format!(
        "{:>8}  {} invocations  {} cold ({:.1}%)  p50 {}  p99 {}  errors {}",
        v.version.as_deref().unwrap_or("?"),
        v.invocations,
        v.cold_starts,
        v.cold_start_share * 100.0,
        ms(v.duration_ms.p50),
        ms(v.duration_ms.p99),
        v.errors + v.timeouts
    )
}

fn ms(value: Option<f64>) -> String {
    match value {
        None => "-".into(),
        Some(v) if v >= 1000.0 => format!("{:.2} s", v / 1000.0),
        Some(v) => format!("{v:.2} ms"),
    }
}

/// A bar of `width` cells filled to `share` (0..=1), in eighths.
fn bar(share: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (share.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    format!("{s:<width$}▕")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths() {
        assert_eq!(bar(0.0, 4), "    ▕");
        assert_eq!(bar(1.0, 4), "████▕");
        assert_eq!(bar(0.5, 4), "██  ▕");
        assert_eq!(bar(1.0 / 32.0, 4), "▏   ▕");
    }

    #[test]
    fn durations_read_in_ms_or_seconds() {
        assert_eq!(ms(Some(2.5)), "2.50 ms");
        assert_eq!(ms(Some(3000.0)), "3.00 s");
        assert_eq!(ms(None), "-");
    }
}
