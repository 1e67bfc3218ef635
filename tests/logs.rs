//! `lam logs` against moto: events written with put_log_events come back in
//! time order, filtered, followed once each, and as round-tripping JSON.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;

/// A project whose function has a log group, and the group's name.
fn function_with_group() -> (tempfile::TempDir, String) {
    let name = unique("logs");
    let dir = project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    let group = format!("/aws/lambda/{name}");
    create_log_group(&group);
    (dir, group)
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn events_of_two_streams_come_out_in_time_order_and_round_trip_as_json() {
    let (dir, group) = function_with_group();
    let t = now_ms() - 60_000;
    put_logs(
        &group,
        "2026/11/26/[$LATEST]aaaa",
        &[
            (t, "START RequestId: r1 Version: $LATEST"),
            (t + 20, "one"),
            (t + 40, "REPORT RequestId: r1\tDuration: 1 ms"),
        ],
    );
    put_logs(
        &group,
        "2026/11/26/[$LATEST]bbbb",
        &[
            (t + 10, "START RequestId: r2 Version: $LATEST"),
            (t + 30, "two"),
        ],
    );
    let out = lam(dir.path())
        .args(["logs", "--since", "5m", "--format", "json"])
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    let messages: Vec<&str> = lines
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "START RequestId: r1 Version: $LATEST",
            "START RequestId: r2 Version: $LATEST",
            "one",
            "two",
            "REPORT RequestId: r1\tDuration: 1 ms"
        ]
    );
    assert_eq!(lines[0]["timestamp"], t);
    assert_eq!(lines[1]["log_stream"], "2026/11/26/[$LATEST]bbbb");
    assert!(lines.iter().all(|l| l["event_id"].is_string()));

    // short and raw are one line per event too.
    let raw = lam(dir.path())
        .args(["logs", "--since", "5m", "--format", "raw"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&raw.get_output().stdout)
            .lines()
            .nth(2),
        Some("one")
    );
}

#[test]
fn since_filter_and_request_id_select_events() {
    let (dir, group) = function_with_group();
    let now = now_ms();
    put_logs(
        &group,
        "s1",
        &[
            (now - 3 * 3_600_000, "old ERROR"),
            (now - 60_000, "recent ERROR r-77"),
            (now - 50_000, "recent INFO r-77"),
            (now - 40_000, "other INFO r-88"),
        ],
    );
    let messages = |args: &[&str]| -> Vec<String> {
        let out = lam(dir.path())
            .args(["logs", "--format", "raw"])
            .args(args)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(messages(&["--since", "10m"]).len(), 3);
    assert_eq!(messages(&["--since", "4h"]).len(), 4);
    assert_eq!(
        messages(&["--since", "4h", "--filter", "ERROR"]),
        ["old ERROR", "recent ERROR r-77"]
    );
    assert_eq!(
        messages(&["--since", "10m", "--request-id", "r-77"]),
        ["recent ERROR r-77", "recent INFO r-77"]
    );
    assert_eq!(messages(&["--since", "4h", "--until", "2h"]), ["old ERROR"]);
}

#[test]
fn a_missing_log_group_says_the_function_has_not_run() {
    let dir = project(
        &format!(
            "[function]\nname = \"{}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n",
            unique("nolog")
        ),
        &[("app.py", "x")],
    );
    lam(dir.path())
        .arg("logs")
        .assert()
        .code(4)
        .stderr(predicates::str::contains("does not exist"))
        .stderr(predicates::str::contains("has not run yet"));
    lam(dir.path())
        .args(["logs", "--since", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--since"));
}

/// `lam logs --follow --since 5m --format raw` in `dir`, and its stdout
/// line by line.
fn follow_raw(dir: &std::path::Path) -> (std::process::Child, mpsc::Receiver<String>) {
    follow_raw_to(dir, Stdio::null())
}

/// `follow_raw`, with its stderr going to `stderr`.
fn follow_raw_to(
    dir: &std::path::Path,
    stderr: impl Into<Stdio>,
) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = lam_process(dir)
        .args(["logs", "--follow", "--since", "5m", "--format", "raw"])
        .stderr(stderr)
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
    (child, rx)
}

#[test]
fn follow_prints_new_events_once_including_late_ones_in_new_streams() {
    let (dir, group) = function_with_group();
    let before = now_ms() - 30_000;
    put_logs(&group, "first", &[(before, "already there")]);
    let (mut child, rx) = follow_raw(dir.path());
    let next = |what: &str| {
        rx.recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no line for {what}"))
    };
    assert_eq!(next("existing event"), "already there");

    put_logs(&group, "first", &[(now_ms(), "new in first")]);
    assert_eq!(next("new event"), "new in first");
    // Written later, with an older timestamp, into a stream that did not exist.
    put_logs(&group, "second", &[(now_ms() - 20_000, "late in second")]);
    assert_eq!(next("late event"), "late in second");
    // Nothing is printed twice.
    assert!(
        rx.recv_timeout(Duration::from_secs(3)).is_err(),
        "an event was printed twice"
    );

    let status = interrupt(&mut child);
    assert_eq!(status.code(), Some(0), "Ctrl-C ends --follow cleanly");
}

/// `--follow` opens a Live Tail session first. moto has StartLiveTail but
/// answers with what the group already holds and closes the stream, where
/// AWS streams an update every second for up to three hours (StartLiveTail
/// API reference): lam prints nothing twice, says it falls back, and polls.
/// The request is held to CloudWatch Logs' model by the validating proxy
/// (group ARNs without `:*`). `--poll` skips Live Tail.
#[test]
fn follow_tries_live_tail_then_polls_where_the_stream_ends_at_once() {
    let name = unique("tail");
    let dir = project(
        &format!(
            "[project]\nname = \"{name}\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    lam(dir.path()).arg("deploy").assert().success();
    let function = format!("{name}-dev");
    let group = format!("/aws/lambda/{function}");
    create_log_group(&group);
    put_logs(
        &group,
        "2026/11/30/[1]aaaa",
        &[(now_ms() - 1_000, "already there")],
    );

    let errors = dir.path().join("follow.err");
    let (mut child, rx) = follow_raw_to(dir.path(), std::fs::File::create(&errors).unwrap());
    let next = |what: &str| {
        rx.recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no line for {what}"))
    };
    assert_eq!(next("the existing event"), "already there");
    put_logs(
        &group,
        "2026/11/30/[1]aaaa",
        &[(now_ms(), "after the fallback")],
    );
    assert_eq!(next("a new event"), "after the fallback");
    assert!(
        rx.recv_timeout(Duration::from_secs(2)).is_err(),
        "an event was printed twice"
    );
    interrupt(&mut child);
    let stderr = std::fs::read_to_string(&errors).unwrap();
    assert!(
        stderr
            .contains("this endpoint's Live Tail does not stream; polling FilterLogEvents instead"),
        "{stderr}"
    );
    let arn = format!("arn:aws:logs:us-east-1:123456789012:log-group:{group}");
    let tails = sent("logs", "StartLiveTail", |input| {
        input["logGroupIdentifiers"] == serde_json::json!([arn])
    });
    assert_eq!(tails.len(), 1, "one session, then polling: {tails:?}");

    // --poll: no session at all.
    let out = lam(dir.path())
        .args(["logs", "--follow", "--poll", "--since", "1s", "-v"])
        .timeout(Duration::from_secs(3))
        .assert()
        .interrupted();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("FilterLogEvents") && !stderr.contains("StartLiveTail"),
        "{stderr}"
    );
}

/// In a project of several functions, `lam logs` shows all of them in one
/// stream, in time order, each line marked with its function; naming one
/// narrows it; a function that has not logged yet does not hide the others.
#[test]
fn several_functions_interleave_in_time_order_marked_with_their_function() {
    let api = unique("api");
    let worker = unique("worker");
    let idle = unique("idle");
    let dir = project(
        &format!(
            "[project]\nname = \"multi\"\n[functions.api]\nname = \"{api}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[functions.worker]\nname = \"{worker}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[functions.idle]\nname = \"{idle}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    for name in [&api, &worker] {
        create_log_group(&format!("/aws/lambda/{name}"));
    }
    let t = now_ms() - 60_000;
    put_logs(
        &format!("/aws/lambda/{api}"),
        "2026/11/30/[1]aaaa",
        &[(t, "api first"), (t + 20, "api third")],
    );
    put_logs(
        &format!("/aws/lambda/{worker}"),
        "2026/11/30/[1]bbbb",
        &[(t + 10, "worker second"), (t + 30, "worker fourth")],
    );
    let out = lam(dir.path())
        .args(["logs", "--since", "5m", "--format", "json"])
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    let seen: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["function"].as_str().unwrap(),
                l["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("api", "api first"),
            ("worker", "worker second"),
            ("api", "api third"),
            ("worker", "worker fourth"),
        ]
    );
    lam(dir.path())
        .args(["logs", "--since", "5m", "--format", "raw"])
        .assert()
        .success()
        .stdout("api api first\nworker worker second\napi api third\nworker worker fourth\n");
    // Named: only that one, unmarked.
    lam(dir.path())
        .args(["logs", "worker", "--since", "5m", "--format", "raw"])
        .assert()
        .success()
        .stdout("worker second\nworker fourth\n");

    // Followed: one stream for all three, the idle one joining when its
    // group appears.
    let (mut child, rx) = follow_raw(dir.path());
    let next = |what: &str| {
        rx.recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no line for {what}"))
    };
    for expected in [
        "api api first",
        "worker worker second",
        "api api third",
        "worker worker fourth",
    ] {
        assert_eq!(next(expected), expected);
    }
    put_logs(
        &format!("/aws/lambda/{worker}"),
        "2026/11/30/[1]bbbb",
        &[(now_ms(), "worker new")],
    );
    assert_eq!(next("a new event"), "worker worker new");
    create_log_group(&format!("/aws/lambda/{idle}"));
    put_logs(
        &format!("/aws/lambda/{idle}"),
        "2026/11/30/[1]cccc",
        &[(now_ms(), "idle wakes")],
    );
    assert_eq!(next("the late group"), "idle idle wakes");
    assert!(
        rx.recv_timeout(Duration::from_secs(2)).is_err(),
        "an event was printed twice"
    );
    assert_eq!(interrupt(&mut child).code(), Some(0));
}

/// An ARN of another account is used as given: lam says which account it
/// reads from which, and asks CloudWatch for that account's group by its
/// ARN (never the caller's group of the same name, which holds a secret
/// line here). The other forms of a function name the model takes are
/// accepted too.
#[test]
fn an_arn_of_another_account_reads_that_account() {
    let (dir, group) = function_with_group();
    let name = group.trim_start_matches("/aws/lambda/").to_string();
    put_logs(
        &group,
        "2026/12/07/[$LATEST]abc",
        &[(now_ms(), "the caller's own line")],
    );
    let foreign = format!("arn:aws:lambda:us-east-1:210987654321:function:{name}");
    let out = lam(dir.path())
        .args(["logs", &foreign, "--since", "1h"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{name} is in account 210987654321; you are signed in to account 123456789012"
        )),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("the caller's own line"));
    let asked = sent("logs", "FilterLogEvents", |i| {
        i["logGroupIdentifier"]
            == format!("arn:aws:logs:us-east-1:210987654321:log-group:/aws/lambda/{name}")
    });
    assert!(
        !asked.is_empty(),
        "FilterLogEvents was not asked by the group's ARN"
    );
    // The caller's own function by its other names.
    for id in [
        format!("123456789012:function:{name}"),
        format!("us-east-1:123456789012:function:{name}"),
    ] {
        lam(dir.path())
            .args(["logs", &id, "--since", "1h"])
            .assert()
            .success()
            .stdout(predicates::str::contains("the caller's own line"));
    }
}

/// `--since` holds for `--follow` whichever way events come: polling
/// FilterLogEvents, or Live Tail falling back to it (moto's session
/// answers with what the group already holds), and with `--poll`.
#[test]
fn follow_keeps_to_since_with_and_without_live_tail() {
    let (dir, group) = function_with_group();
    let stream = "2026/12/07/[1]bbbb";
    put_logs(
        &group,
        stream,
        &[
            (now_ms() - 300_000, "five minutes ago"),
            (now_ms() - 20_000, "twenty seconds ago"),
        ],
    );
    for poll in [false, true] {
        let mut cmd = lam_process(dir.path());
        cmd.args(["logs", "--follow", "--since", "1m", "--format", "raw"]);
        if poll {
            cmd.arg("--poll");
        }
        let mut child = cmd.stderr(Stdio::null()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(30)).unwrap(),
            "twenty seconds ago",
            "--poll: {poll}"
        );
        // Nothing from before --since, however long it runs.
        assert!(
            rx.recv_timeout(Duration::from_secs(3)).is_err(),
            "an event older than --since was printed (--poll: {poll})"
        );
        interrupt(&mut child);
    }
}
