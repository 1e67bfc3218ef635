//! `lam stats` against moto: REPORT lines written with put_log_events, in
//! the text and the JSON log formats, cold and warm, over two versions, are
//! summarised exactly; --qualifier narrows to one version.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;

fn function_with_group(memory: u32, architecture: &str) -> (tempfile::TempDir, String) {
    let name = unique("stats");
    let dir = project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\nmemory = {memory}\narchitecture = \"{architecture}\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    let group = format!("/aws/lambda/{name}");
    create_log_group(&group);
    (dir, group)
}

fn report(
    id: &str,
    duration: f64,
    billed: u64,
    memory: u32,
    used: u32,
    init: Option<f64>,
) -> String {
    let mut line = format!(
        "REPORT RequestId: {id}\tDuration: {duration:.2} ms\tBilled Duration: {billed} ms\tMemory Size: {memory} MB\tMax Memory Used: {used} MB\t"
    );
    if let Some(init) = init {
        line.push_str(&format!("Init Duration: {init:.2} ms\t"));
    }
    line
}

fn stats_json(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let out = lam(dir)
        .args(["stats", "--since", "10m", "--output", "json"])
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// Text format: version 1 has a cold start, two warm invocations (one failed
/// with the runtime's error line, one after a handler's own logged error)
/// and a timeout; version 2 one cold start. Old events outside --since and
/// START/END lines do not count.
#[test]
fn text_reports_over_two_versions_are_summarised_exactly() {
    let (dir, group) = function_with_group(256, "x86_64");
    let t = now_ms() - 60_000;
    let v1 = "2026/11/30/[1]0a1b2c3d";
    put_logs(
        &group,
        v1,
        &[
            (t, "START RequestId: a Version: 1".into()),
            (t + 1, report("a", 120.5, 121, 256, 80, Some(310.25))),
            (
                t + 2,
                "[ERROR]\t2026-11-30T10:00:00.000Z\tb\tlogged by the handler".into(),
            ),
            (t + 3, report("b", 10.0, 10, 256, 82, None)),
            (
                t + 4,
                "[ERROR] ValueError: boom\rTraceback (most recent call last):".into(),
            ),
            (t + 5, report("c", 4.0, 4, 256, 82, None)),
            (
                t + 6,
                format!(
                    "{}Status: timeout",
                    report("d", 3000.0, 3000, 256, 90, None)
                ),
            ),
        ],
    );
    put_logs(
        &group,
        "2026/11/30/[2]9f8e7d6c",
        &[(t + 10, report("e", 50.0, 50, 256, 100, Some(290.0)))],
    );
    put_logs(
        &group,
        "2026/11/29/[1]old",
        &[(
            t - 3_600_000,
            report("z", 9999.0, 9999, 256, 200, Some(1.0)),
        )],
    );

    let s = stats_json(dir.path(), &[]);
    let total = &s["total"];
    assert_eq!(total["invocations"], 5, "{s}");
    assert_eq!(total["errors"], 1, "{s}");
    assert_eq!(total["timeouts"], 1);
    assert_eq!(total["cold_starts"], 2);
    assert_eq!(total["cold_start_share"], 0.4);
    assert_eq!(total["init_ms"]["p50"], 290.0);
    assert_eq!(total["init_ms"]["max"], 310.25);
    assert_eq!(total["duration_ms"]["p50"], 50.0);
    assert_eq!(total["duration_ms"]["max"], 3000.0);
    assert_eq!(total["memory_size_mb"], 256);
    assert_eq!(total["max_memory_used_mb"]["max"], 100);
    // (121 + 10 + 4 + 3000 + 50) ms at 256 MB = 0.79625 GB-s.
    assert_eq!(total["billed_gb_seconds"], 0.796);
    let cost = 0.79625 * 0.000_016_666_7 + 5.0 * 0.2 / 1e6;
    assert!(
        (total["estimated_cost_usd"].as_f64().unwrap() - cost).abs() < 1e-12,
        "{s}"
    );
    assert_eq!(s["architecture"], "x86_64");
    let versions: Vec<(&str, u64)> = s["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_str().unwrap(),
                v["invocations"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(versions, [("1", 4), ("2", 1)]);

    let only2 = stats_json(dir.path(), &["--qualifier", "2"]);
    assert_eq!(only2["total"]["invocations"], 1);
    assert_eq!(only2["total"]["cold_start_share"], 1.0);

    // The human form names the figures; no bars without a terminal.
    let out = lam(dir.path())
        .args(["stats", "--since", "10m"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for expected in [
        "invocations  5  errors 1  timeouts 1",
        "cold starts  2 (40.0%)",
        "init         p50 290.00 ms  p95 310.25 ms  max 310.25 ms",
        "duration     p50 50.00 ms",
        "memory       p50 82 MB  p99 100 MB  of 256 MB",
        "0.796 GB-s billed",
        "per version",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains('▕'), "{text}");
}

/// JSON format (`[function.logging] format = "JSON"`): platform.report
/// events as the Lambda telemetry schema gives them, with a failed and a
/// timed-out invocation; prices for arm64.
#[test]
fn json_platform_reports_are_summarised() {
    let (dir, group) = function_with_group(1024, "arm64");
    let t = now_ms() - 30_000;
    let event = |id: &str, ms: f64, used: u32, init: Option<f64>, status: &str| {
        let init = init
            .map(|i| format!(",\"initDurationMs\":{i}"))
            .unwrap_or_default();
        let error = if status == "error" {
            ",\"errorType\":\"Runtime.ExitError\""
        } else {
            ""
        };
        format!(
            "{{\"time\":\"2026-11-30T10:00:00.000Z\",\"type\":\"platform.report\",\"record\":{{\"requestId\":\"{id}\",\"metrics\":{{\"durationMs\":{ms},\"billedDurationMs\":{},\"memorySizeMB\":1024,\"maxMemoryUsedMB\":{used}{init}}},\"status\":\"{status}\"{error}}}}}",
            ms.ceil() as u64
        )
    };
    put_logs(
        &group,
        "2026/11/30/[3]abcdef",
        &[
            (t, r#"{"time":"2026-11-30T10:00:00.000Z","type":"platform.start","record":{"requestId":"a","version":"3"}}"#.into()),
            (t + 1, event("a", 200.0, 90, Some(500.5), "success")),
            (t + 2, event("b", 20.0, 95, None, "error")),
            (t + 3, event("c", 3000.0, 96, None, "timeout")),
            (t + 4, event("d", 10.0, 97, None, "success")),
        ],
    );
    let s = stats_json(dir.path(), &[]);
    let total = &s["total"];
    assert_eq!(total["invocations"], 4, "{s}");
    assert_eq!(total["errors"], 1);
    assert_eq!(total["timeouts"], 1);
    assert_eq!(total["cold_starts"], 1);
    assert_eq!(total["init_ms"]["max"], 500.5);
    assert_eq!(total["max_memory_used_mb"]["p99"], 97);
    assert_eq!(s["architecture"], "arm64");
    // 3230 ms at 1 GB.
    let cost = 3.23 * 0.000_013_333_4 + 4.0 * 0.2 / 1e6;
    assert!(
        (total["estimated_cost_usd"].as_f64().unwrap() - cost).abs() < 1e-12,
        "{s}"
    );
    // Far below the memory configured: said, with the numbers.
    let out = lam(dir.path())
        .args(["stats", "--since", "10m"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("p99 97 MB of 1024 MB configured") && text.contains("CPU scales with memory"),
        "{text}"
    );
}

#[test]
fn an_unknown_alias_or_bad_time_is_refused() {
    let (dir, _group) = function_with_group(128, "x86_64");
    lam(dir.path())
        .args(["stats", "--qualifier", "nosuch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has no alias 'nosuch'"));
    lam(dir.path())
        .args(["stats", "--since", "soon"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--since"));
}

/// Outside a project, `lam stats`, `lam logs` and `lam invoke` work on any
/// deployed function named by its AWS name or ARN, as `aws lambda invoke`
/// does; a name that cannot be one is refused before any call.
#[test]
fn functions_outside_a_project_are_named_by_aws_name_or_arn() {
    // The function is deployed from its project, then reached from elsewhere.
    let name = unique("outside");
    let proj = project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\narchitecture = \"arm64\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return {'ok': True}\n")],
    );
    lam(proj.path()).arg("deploy").assert().success();
    let group = format!("/aws/lambda/{name}");
    create_log_group(&group);
    let t = now_ms() - 20_000;
    put_logs(
        &group,
        "2026/11/30/[1]feedface",
        &[
            (t, "START RequestId: a Version: 1".into()),
            (t + 1, report("a", 30.0, 30, 128, 50, Some(200.0))),
            (t + 2, report("b", 10.0, 10, 128, 51, None)),
        ],
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let arn = format!("arn:aws:lambda:us-east-1:123456789012:function:{name}");
    for id in [name.as_str(), arn.as_str()] {
        let s = stats_json(elsewhere.path(), &[id]);
        assert_eq!(s["total"]["invocations"], 2, "{id}: {s}");
        // The deployed configuration says arm64.
        assert_eq!(s["architecture"], "arm64", "{id}");
    }
    lam(elsewhere.path())
        .args(["logs", &name, "--since", "10m", "--format", "raw"])
        .assert()
        .success()
        .stdout(predicates::str::contains("START RequestId: a Version: 1"));
    {
        let _serial = invoke_lock();
        queue_invoke_result(r#"{"ok": true}"#);
        lam(elsewhere.path())
            .args(["invoke", &arn])
            .assert()
            .success()
            .stdout("{\"ok\": true}\n");
    }
    let calls = sent("lambda", "Invoke", |input| {
        input["FunctionName"] == arn.as_str()
    });
    assert_eq!(calls.len(), 1, "{calls:?}");
    for bad in ["has space", "arn:aws:s3:::bucket"] {
        lam(elsewhere.path())
            .args(["stats", bad])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("is not a function name or ARN"));
    }
}

/// Ephemeral storage above the free 512 MB is priced with the duration it
/// was billed for ("Lambda Ephemeral Storage Pricing"), as read from the
/// deployed configuration, and shown apart.
#[test]
fn ephemeral_storage_is_priced_from_the_deployed_configuration() {
    let name = unique("storage");
    let dir = project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\nmemory = 1024\nephemeral_storage = 1536\nrole = \"{ROLE_ARN}\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    lam(dir.path()).arg("deploy").assert().success();
    let group = format!("/aws/lambda/{name}");
    create_log_group(&group);
    let t = now_ms() - 60_000;
    put_logs(
        &group,
        "2026/12/07/[1]abc",
        &[
            (t, report("r1", 999.0, 1000, 1024, 100, None)),
            (t + 1, report("r2", 999.0, 1000, 1024, 100, None)),
        ],
    );
    let doc = stats_json(dir.path(), &[]);
    // 2 s at 1 GB above 512 MB.
    let storage = doc["extra_costs"]["ephemeral_storage_usd"]
        .as_f64()
        .unwrap();
    assert!(
        (storage - 2.0 * lam::stats::prices::EPHEMERAL_GB_SECOND).abs() < 1e-15,
        "{doc}"
    );
    let base = 2.0 * lam::stats::prices::X86_64_GB_SECOND + 2.0 * lam::stats::prices::REQUEST;
    let total = doc["total"]["estimated_cost_usd"].as_f64().unwrap();
    assert!((total - (base + storage)).abs() < 1e-12, "{doc}");
}

/// Two functions logging to one group (a custom log_group): Lambda names
/// their streams `YYYY/MM/DD/<function>[<version>]<id>` there ("Configuring
/// CloudWatch log groups"). lam stats counts only the function's own
/// REPORT lines, and lam logs prints each event once, marked with the
/// function that wrote it.
#[test]
fn a_shared_log_group_is_split_by_stream_name() {
    let project_name = unique("shared");
    let group = format!("/shop/{project_name}");
    let dir = project(
        &format!(
            "[project]\nname = \"{project_name}\"\n[functions.api]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[functions.api.logging]\nlog_group = \"{group}\"\n[functions.worker]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[functions.worker.logging]\nlog_group = \"{group}\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    create_log_group(&group);
    let t = now_ms() - 60_000;
    let api = format!("2026/12/07/{project_name}-dev-api[1]aaa");
    let worker = format!("2026/12/07/{project_name}-dev-worker[1]bbb");
    put_logs(
        &group,
        &api,
        &[
            (t, report("a1", 10.0, 10, 128, 50, Some(100.0))),
            (t + 1, "api says hi".to_string()),
        ],
    );
    put_logs(
        &group,
        &worker,
        &[
            (t + 2, report("w1", 10.0, 10, 128, 50, None)),
            (t + 3, report("w2", 10.0, 10, 128, 50, None)),
            (t + 4, "worker says hi".to_string()),
        ],
    );
    let api_stats = stats_json(dir.path(), &["api"]);
    assert_eq!(api_stats["total"]["invocations"], 1, "{api_stats}");
    let worker_stats = stats_json(dir.path(), &["worker"]);
    assert_eq!(worker_stats["total"]["invocations"], 2, "{worker_stats}");
    let out = lam(dir.path())
        .args(["logs", "--since", "10m", "--format", "json"])
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let said: Vec<(String, String)> = lines
        .iter()
        .filter(|l| l["message"].as_str().unwrap_or("").contains("says hi"))
        .map(|l| {
            (
                l["function"].as_str().unwrap_or("").to_string(),
                l["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("api".to_string(), "api says hi".to_string()),
            ("worker".to_string(), "worker says hi".to_string())
        ],
        "{lines:?}"
    );
}
