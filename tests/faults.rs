//! Reliability under faults, with a fault-injecting proxy between lam and
//! moto (tests/support/proxy.rs): deploys converge at a 20% fault rate
//! over 50 seeded runs, deploys killed at 20 points converge on rerun, a
//! hung endpoint fails in bounded time, and `logs --follow` loses and
//! repeats nothing. Each run prints its seed and fault counts, so a failure
//! can be replayed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "support/proxy.rs"]
mod proxy;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::common::*;
use proxy::{ALL_FAULTS, Fault, Proxy};
use serde_json::Value;

const HANDLER: &str =
    "def lambda_handler(event, context):\n    return {'statusCode': 200, 'body': 'v1'}\n";

fn upstream() -> String {
    moto().trim_start_matches("http://").to_string()
}

fn toml(project: &str, memory: u32) -> String {
    format!(
        "[project]\nname = \"{project}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nmemory = {memory}\n\n[function.env]\nTABLE = \"orders\"\n\n[function.api]\nkind = \"rest\"\n\n[function.api.cors]\norigins = [\"https://app.example.com\"]\n"
    )
}

/// lam through the proxy, with lam's own retry settings (not the tests' 2 attempts).
fn lam_via(dir: &std::path::Path, proxy: &Proxy) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("lam"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("lam-test-home"))
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("no-aws-credentials"),
        )
        .env("AWS_ENDPOINT_URL", proxy.url())
        .stdin(Stdio::null());
    cmd
}

/// What a converged deploy looks like, read straight from moto.
fn assert_converged(project: &str, memory: u32, code_sha: &str, context: &str) {
    let name = format!("{project}-dev");
    let lambda = lambda_client();
    let latest = block_on(
        lambda
            .get_function_configuration()
            .function_name(&name)
            .send(),
    )
    .unwrap_or_else(|e| panic!("{context}: function missing: {e:?}"));
    assert_eq!(latest.memory_size(), Some(memory as i32), "{context}");
    assert_eq!(latest.code_sha256(), Some(code_sha), "{context}");
    let live = block_on(
        lambda
            .get_function_configuration()
            .function_name(&name)
            .qualifier("live")
            .send(),
    )
    .unwrap_or_else(|e| panic!("{context}: alias missing: {e:?}"));
    assert_eq!(
        live.code_sha256(),
        Some(code_sha),
        "{context}: alias serves the code"
    );
    assert_eq!(
        live.memory_size(),
        Some(memory as i32),
        "{context}: alias serves the configuration"
    );
    let aliases = block_on(lambda.list_aliases().function_name(&name).send()).unwrap();
    assert_eq!(aliases.aliases().len(), 1, "{context}: one alias");

    let iam = aws_sdk_iam::Client::new(&sdk_config());
    let role = format!("lam-{project}-dev-function");
    block_on(iam.get_role().role_name(&role).send())
        .unwrap_or_else(|e| panic!("{context}: role missing: {e:?}"));
    assert_eq!(
        latest.role().map(|r| r.ends_with(&format!("/{role}"))),
        Some(true),
        "{context}"
    );

    let apigw = aws_sdk_apigateway::Client::new(&sdk_config());
    let apis = block_on(apigw.get_rest_apis().limit(500).send()).unwrap();
    let ours: Vec<_> = apis
        .items()
        .iter()
        .filter(|a| a.name() == Some(name.as_str()))
        .collect();
    assert_eq!(ours.len(), 1, "{context}: exactly one REST API");
    let id = ours[0].id().unwrap();
    let resources = block_on(
        apigw
            .get_resources()
            .rest_api_id(id)
            .embed("methods")
            .send(),
    )
    .unwrap();
    for path in ["/", "/{proxy+}"] {
        let r = resources
            .items()
            .iter()
            .find(|r| r.path() == Some(path))
            .unwrap_or_else(|| panic!("{context}: no {path}"));
        let methods = r.resource_methods().unwrap();
        let uri = methods["ANY"]
            .method_integration()
            .and_then(|i| i.uri())
            .unwrap_or_default();
        assert!(
            uri.contains(&format!("{name}:live")),
            "{context}: {path} → {uri}"
        );
        assert!(methods.contains_key("OPTIONS"), "{context}: CORS on {path}");
    }
    block_on(apigw.get_stage().rest_api_id(id).stage_name("dev").send())
        .unwrap_or_else(|e| panic!("{context}: stage missing: {e:?}"));
    let policy = block_on(
        lambda
            .get_policy()
            .function_name(&name)
            .qualifier("live")
            .send(),
    )
    .unwrap_or_else(|e| panic!("{context}: permission missing: {e:?}"));
    let doc: Value = serde_json::from_str(policy.policy().unwrap()).unwrap();
    let sids: Vec<&str> = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    assert_eq!(sids, vec!["lam-rest-api"], "{context}");
}

fn deploy_sha(output: &std::process::Output, context: &str) -> String {
    assert!(
        output.status.success(),
        "{context}: deploy failed\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    doc["functions"][0]["code_sha256"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Runs `work` for each seed on `threads` threads.
fn in_parallel(seeds: Vec<u64>, threads: usize, work: impl Fn(u64) + Send + Sync + 'static) {
    let queue = Arc::new(Mutex::new(seeds));
    let work = Arc::new(work);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (queue, work) = (queue.clone(), work.clone());
            std::thread::spawn(move || {
                loop {
                    let Some(seed) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    work(seed);
                }
            })
        })
        .collect();
    let mut failed = 0;
    for h in handles {
        if h.join().is_err() {
            failed += 1;
        }
    }
    assert_eq!(failed, 0, "some runs did not converge (see above)");
}

#[test]
fn deploys_converge_under_a_20_percent_fault_rate_in_50_seeded_runs() {
    let totals = Arc::new(Mutex::new((
        0usize,
        0usize,
        std::collections::BTreeMap::<String, usize>::new(),
    )));
    let t = totals.clone();
    let started = Instant::now();
    in_parallel((1..=50).collect(), 6, move |seed| {
        let project = unique(&format!("fault{seed}"));
        let dir = project_with(&project, 256);
        let proxy = Proxy::start(&upstream());
        proxy.faults(0.2, seed, &ALL_FAULTS);
        let context = format!("seed {seed}");

        // First deploy: role, function, version, alias, REST API.
        let out = lam_via(dir.path(), &proxy)
            .args(["deploy", "--output", "json"])
            .output()
            .unwrap();
        let sha = deploy_sha(&out, &format!("{context}, first deploy"));
        assert_converged(&project, 256, &sha, &format!("{context}, first deploy"));

        // Update: code and configuration.
        std::fs::write(dir.path().join("app.py"), HANDLER.replace("v1", "v2")).unwrap();
        std::fs::write(dir.path().join("lam.toml"), toml(&project, 512)).unwrap();
        let out = lam_via(dir.path(), &proxy)
            .args(["deploy", "--output", "json"])
            .output()
            .unwrap();
        let sha2 = deploy_sha(&out, &format!("{context}, update"));
        assert_ne!(sha, sha2);
        assert_converged(&project, 512, &sha2, &format!("{context}, update"));

        let mut t = t.lock().unwrap();
        t.0 += proxy.stats.requests.load(Ordering::SeqCst);
        t.1 += proxy.stats.injected.load(Ordering::SeqCst);
        for (k, v) in proxy.stats.by_kind() {
            *t.2.entry(format!("{k:?}")).or_default() += v;
        }
    });
    let t = totals.lock().unwrap();
    println!(
        "fault runs: 50 seeds × 2 deploys converged in {:.1} s; {} requests, {} faults injected: {:?}",
        started.elapsed().as_secs_f64(),
        t.0,
        t.1,
        t.2
    );
    assert!(
        t.1 as f64 > t.0 as f64 * 0.15,
        "the fault rate was really applied"
    );
}

fn project_with(project: &str, memory: u32) -> tempfile::TempDir {
    crate::common::project(&toml(project, memory), &[("app.py", HANDLER)])
}

#[test]
fn deploys_killed_at_20_points_converge_on_rerun() {
    // A first deploy makes about 40 calls; kill before call 1, 3, 5, ... 39.
    in_parallel((0..20).map(|i| 1 + 2 * i).collect(), 4, |kill_at| {
        let project = unique(&format!("kill{kill_at}"));
        let dir = project_with(&project, 256);
        let proxy = Proxy::start(&upstream());
        let child = lam_via(dir.path(), &proxy)
            .args(["deploy", "--output", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let child = Arc::new(Mutex::new(child));
        proxy.kill_at(kill_at as usize, child.clone());
        // Wait for the kill (or the end, when the deploy needed fewer calls).
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if child.lock().unwrap().try_wait().unwrap().is_some() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "kill at {kill_at}: lam did not end"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        proxy.clear();
        let out = lam_via(dir.path(), &proxy)
            .args(["deploy", "--output", "json"])
            .output()
            .unwrap();
        let context = format!("killed before call {kill_at}, then rerun");
        let sha = deploy_sha(&out, &context);
        assert_converged(&project, 256, &sha, &context);
        // And the rerun of a converged deploy changes nothing.
        let again = lam_via(dir.path(), &proxy)
            .args(["deploy", "--output", "json"])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&again.stdout).unwrap();
        assert_eq!(
            doc["functions"][0]["changes"],
            serde_json::json!([]),
            "{context}"
        );
    });
}

#[test]
fn a_hung_endpoint_fails_in_bounded_time_naming_it() {
    let dir = project_with(&unique("hung"), 128);
    let proxy = Proxy::start(&upstream());
    proxy.hang();
    let started = Instant::now();
    let out = lam_via(dir.path(), &proxy)
        .env("AWS_MAX_ATTEMPTS", "1")
        .arg("deploy")
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains(&proxy.url()),
        "names the endpoint: {stderr}"
    );
    assert!(stderr.contains("did not answer"), "{stderr}");
    // ATTEMPT_TIMEOUT is 20 s (README: "AWS access").
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(took >= Duration::from_secs(19), "gave up early: {took:?}");
}

#[test]
fn logs_follow_survives_faults_without_losing_or_repeating_events() {
    let name = unique("flogs");
    let dir = crate::common::project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk_config());
    let group = format!("/aws/lambda/{name}");
    block_on(logs.create_log_group().log_group_name(&group).send()).unwrap();
    block_on(
        logs.create_log_stream()
            .log_group_name(&group)
            .log_stream_name("s")
            .send(),
    )
    .unwrap();
    let proxy = Proxy::start(&upstream());
    proxy.faults(
        0.3,
        7,
        &[
            Fault::Status500,
            Fault::Status503,
            Fault::Throttling,
            Fault::Reset,
            Fault::Lost,
            Fault::Latency,
        ],
    );
    let mut child = lam_via(dir.path(), &proxy)
        .args(["logs", "--follow", "--since", "5m", "--format", "raw"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    };
    let mut expected = Vec::new();
    for batch in 0..6 {
        let events: Vec<_> = (0..5)
            .map(|i| {
                let message = format!("event {batch}-{i}");
                expected.push(message.clone());
                aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                    .timestamp(now() + i)
                    .message(message)
                    .build()
                    .unwrap()
            })
            .collect();
        block_on(
            logs.put_log_events()
                .log_group_name(&group)
                .log_stream_name("s")
                .set_log_events(Some(events))
                .send(),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(700));
    }
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while seen.len() < expected.len() && Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
            seen.push(line);
        }
    }
    // Anything printed twice would arrive now.
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(3)) {
        seen.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut sorted = seen.clone();
    sorted.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(
        sorted,
        want,
        "every event exactly once (faults injected: {})",
        proxy.stats.injected.load(Ordering::SeqCst)
    );
    assert!(proxy.stats.injected.load(Ordering::SeqCst) > 0);
}
