//! `lam invoke --local` runs real handler code through lam's Runtime API,
//! with lam's own bootstrap and with the official awslambdaric.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;

const TOML: &str = "[project]\nname = \"loc\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\ntimeout = 2\n[function.env]\nGREETING = \"Grüß dich\"\n";

/// Both runtime clients: lam's bootstrap, and awslambdaric (--ric).
const CLIENTS: &[&[&str]] = &[&[], &["--ric"]];

fn local(dir: &std::path::Path, client: &[&str]) -> assert_cmd::Command {
    let mut cmd = lam_offline(dir);
    cmd.env("LAM_PYTHON", test_python())
        .args(["invoke", "--local"])
        .args(client);
    cmd
}

#[test]
fn a_handler_result_is_the_payload_and_logs_go_to_stderr() {
    let app = r#"
import json, os
def handler(event, context):
    print("log line from the handler")
    return {
        "greeting": os.environ["GREETING"],
        "echo": event,
        "function": context.function_name,
        "memory": str(context.memory_limit_in_mb),
        "request_id": context.aws_request_id,
        "remaining_ok": 0 < context.get_remaining_time_in_millis() <= 2000,
        "task_root": os.environ["LAMBDA_TASK_ROOT"] == os.getcwd(),
        "region": os.environ["AWS_REGION"],
        "handler_env": os.environ["_HANDLER"],
    }
"#;
    let dir = project(
        TOML,
        &[("app.py", app), ("e.json", "{\"name\": \"Zoë ☃\"}")],
    );
    for client in CLIENTS {
        let out = local(dir.path(), client)
            .args(["--event", "e.json"])
            .assert()
            .success();
        let out = out.get_output();
        let payload: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("payload is JSON");
        assert_eq!(payload["greeting"], "Grüß dich", "{client:?}");
        assert_eq!(payload["echo"]["name"], "Zoë ☃");
        assert_eq!(payload["function"], "loc-dev");
        assert_eq!(payload["memory"], "128");
        assert_eq!(payload["remaining_ok"], true, "{client:?}: {payload}");
        assert_eq!(payload["task_root"], true);
        assert_eq!(payload["region"], "us-east-1");
        assert_eq!(payload["handler_env"], "app.handler");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let id = payload["request_id"].as_str().unwrap();
        assert!(
            stderr.contains(&format!("START RequestId: {id} Version: 1")),
            "{stderr}"
        );
        assert!(stderr.contains("log line from the handler"), "{stderr}");
        assert!(stderr.contains(&format!("END RequestId: {id}")), "{stderr}");
        assert!(
            stderr.contains("Billed Duration:")
                && stderr.contains("Max Memory Used:")
                && stderr.contains("Init Duration:"),
            "{stderr}"
        );
    }
}

/// With `[function.logging] format = "JSON"`, a local run's stderr is what
/// CloudWatch would hold: the application's lines as JSON and lam's START /
/// END / REPORT as platform.start / platform.runtimeDone / platform.report
/// events for the same request, which `lam stats` reads as it reads the
/// deployed function's. `system_log_level = "WARN"` drops those INFO events.
#[test]
fn the_json_log_format_shapes_local_output_as_cloudwatch_holds_it() {
    let app = "import logging\ndef handler(event, context):\n    logging.getLogger().warning('careful')\n    return context.aws_request_id\n";
    let toml = format!("{TOML}[function.logging]\nformat = \"JSON\"\n");
    let dir = project(&toml, &[("app.py", app)]);
    for client in CLIENTS {
        let out = local(dir.path(), client).assert().success();
        let out = out.get_output();
        let id: String = serde_json::from_slice(&out.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let events: Vec<serde_json::Value> = stderr
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let kinds: Vec<&str> = events
            .iter()
            .map(|e| {
                e["type"]
                    .as_str()
                    .or(e["level"].as_str())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "platform.start",
                "WARNING",
                "platform.runtimeDone",
                "platform.report"
            ],
            "{client:?}: {stderr}"
        );
        assert!(
            events.iter().all(|e| {
                e["record"]["requestId"] == id.as_str() || e["requestId"] == id.as_str()
            })
        );
        assert!(!stderr.contains("START RequestId"), "{stderr}");
        let report = stderr
            .lines()
            .find(|l| l.contains("platform.report"))
            .unwrap();
        assert_eq!(events[3]["record"]["metrics"]["memorySizeMB"], 128);
        assert!(events[3]["record"]["metrics"]["initDurationMs"].is_number());
        assert_eq!(events[3]["record"]["status"], "success");
        assert!(lam::stats::parse(report).is_some_and(|r| r.init_ms.is_some()));
    }

    let toml =
        format!("{TOML}[function.logging]\nformat = \"JSON\"\nsystem_log_level = \"WARN\"\n");
    std::fs::write(dir.path().join("lam.toml"), toml).unwrap();
    let out = local(dir.path(), &[]).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains(r#""message": "careful""#), "{stderr}");
    assert!(
        !stderr.contains("platform.") && !stderr.contains("RequestId"),
        "{stderr}"
    );
}

#[test]
fn a_handler_exception_is_a_function_error_with_exit_code_1() {
    let app = "def handler(event, context):\n    raise KeyError('missing thing')\n";
    let dir = project(TOML, &[("app.py", app)]);
    for client in CLIENTS {
        let out = local(dir.path(), client).assert().code(1);
        let out = out.get_output();
        let payload: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("error document on stdout");
        assert_eq!(payload["errorType"], "KeyError", "{client:?}");
        assert!(
            payload["errorMessage"]
                .as_str()
                .unwrap()
                .contains("missing thing")
        );
        let trace = payload["stackTrace"].to_string();
        assert!(trace.contains("app.py"), "{client:?}: {trace}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("error: the function returned an error: KeyError"),
            "{stderr}"
        );
    }
}

#[test]
fn an_import_error_is_runtime_import_module_error() {
    let app = "import no_such_module_here\ndef handler(event, context):\n    return 1\n";
    let dir = project(TOML, &[("app.py", app)]);
    for client in CLIENTS {
        let out = local(dir.path(), client).assert().code(1);
        let out = out.get_output();
        let payload: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("error document");
        assert_eq!(
            payload["errorType"], "Runtime.ImportModuleError",
            "{client:?}"
        );
        assert!(
            payload["errorMessage"]
                .as_str()
                .unwrap()
                .contains("No module named 'no_such_module_here'")
        );
    }
}

#[test]
fn the_timeout_from_lam_toml_is_enforced() {
    let app = "import time\ndef handler(event, context):\n    time.sleep(30)\n";
    let dir = project(
        &TOML.replace("timeout = 2", "timeout = 1"),
        &[("app.py", app)],
    );
    for client in CLIENTS {
        let started = std::time::Instant::now();
        local(dir.path(), client)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "Task timed out after 1.00 seconds",
            ));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{client:?} was not killed in time"
        );
    }
}

#[test]
fn large_payloads_pass_through() {
    let app = "def handler(event, context):\n    return {'size': len(event['data']), 'back': event['data']}\n";
    let data = "x".repeat(5 * 1024 * 1024 - 100);
    let event = format!("{{\"data\": \"{data}\"}}");
    let dir = project(TOML, &[("app.py", app), ("big.json", &event)]);
    for client in CLIENTS {
        let out = local(dir.path(), client)
            .args(["--event", "big.json", "-q"])
            .assert()
            .success();
        let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(payload["size"], data.len(), "{client:?}");
    }
}

#[test]
fn responses_over_six_megabytes_are_refused_like_lambda() {
    let app = "def handler(event, context):\n    return 'y' * (7 * 1024 * 1024)\n";
    let dir = project(TOML, &[("app.py", app)]);
    local(dir.path(), &[])
        .arg("-q")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Function.ResponseSizeTooLarge"));
}

#[test]
fn a_missing_handler_function_is_reported() {
    let dir = project(
        TOML,
        &[("app.py", "def other(event, context):\n    return 1\n")],
    );
    local(dir.path(), &[])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Runtime.HandlerNotFound"));
}

#[test]
fn a_missing_interpreter_names_what_was_tried() {
    let dir = project(TOML, &[("app.py", "def handler(e, c):\n    return 1\n")]);
    lam_offline(dir.path())
        .env("LAM_PYTHON", "/nonexistent/python3")
        .args(["invoke", "--local"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "LAM_PYTHON points at '/nonexistent/python3'",
        ));
    lam_offline(dir.path())
        .env("PATH", "/nonexistent")
        .args(["invoke", "--local"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("no Python interpreter found"))
        .stderr(predicate::str::contains("python3 on PATH"));
}

#[test]
fn json_output_wraps_the_result() {
    let dir = project(
        TOML,
        &[("app.py", "def handler(e, c):\n    return {'n': 1}\n")],
    );
    let out = local(dir.path(), &[])
        .args(["--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["payload"]["n"], 1);
    assert_eq!(doc["status"], 200);
    assert!(doc["function_error"].is_null());
    assert_eq!(doc["executed_version"], "1");
}

const NODE_TOML: &str = "[project]\nname = \"nd\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\ntimeout = 1\n";

#[test]
fn node_async_and_callback_handlers() {
    let async_handler = "export const handler = async (event, context) => ({ echo: event, fn: context.functionName, left: context.getRemainingTimeInMillis() > 0, id: context.awsRequestId });\n";
    let dir = project(
        NODE_TOML,
        &[
            ("index.mjs", async_handler),
            ("e.json", "{\"name\": \"Zoë\"}"),
        ],
    );
    let out = lam_offline(dir.path())
        .args(["invoke", "--local", "--event", "e.json"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["echo"]["name"], "Zoë");
    assert_eq!(payload["fn"], "nd-dev");
    assert_eq!(payload["left"], true);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains(&format!(
            "END RequestId: {}",
            payload["id"].as_str().unwrap()
        )),
        "{stderr}"
    );

    // CommonJS with a callback.
    let callback = "exports.handler = function (event, context, callback) { setTimeout(() => callback(null, { via: 'callback' }), 5); };\n";
    let dir = project(NODE_TOML, &[("index.js", callback)]);
    lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .success()
        .stdout("{\"via\":\"callback\"}\n");
}

#[test]
fn node_errors_timeouts_and_import_failures() {
    let throws = "export const handler = async () => { throw new TypeError('bad input'); };\n";
    let dir = project(NODE_TOML, &[("index.mjs", throws)]);
    let out = lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .code(1);
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["errorType"], "TypeError");
    assert_eq!(payload["errorMessage"], "bad input");
    assert!(
        payload["trace"].to_string().contains("index.mjs"),
        "{payload}"
    );

    // A pending timer keeps the event loop busy past the timeout. (A promise
    // that merely never settles answers null when the loop drains, as
    // aws-lambda-ric does: tests/conformance.rs.)
    let slow = "export const handler = () => new Promise((r) => setTimeout(r, 5000));\n";
    let dir = project(NODE_TOML, &[("index.mjs", slow)]);
    lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Task timed out after 1.00 seconds",
        ));

    // Only a missing CommonJS module is Runtime.ImportModuleError; an ES
    // import of a missing file stays Error [ERR_MODULE_NOT_FOUND], as with
    // aws-lambda-ric (tests/conformance.rs).
    let broken = "const nothing = require('./missing');\nexports.handler = async () => 1;\n";
    let dir = project(NODE_TOML, &[("index.js", broken)]);
    let out = lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .code(1);
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        payload["errorType"], "Runtime.ImportModuleError",
        "{payload}"
    );

    let dir = project(NODE_TOML, &[("index.mjs", "export const other = 1;\n")]);
    let out = lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .code(1);
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["errorType"], "Runtime.HandlerNotFound", "{payload}");
}

#[test]
fn dotenv_values_reach_local_runs_and_lam_toml_wins() {
    let app = "import os\ndef handler(e, c):\n    return [os.environ.get('FROM_DOTENV'), os.environ.get('GREETING'), os.environ.get('STAGE_ONLY')]\n";
    let dir = project(
        TOML,
        &[
            ("app.py", app),
            (".env", "FROM_DOTENV=yes\nGREETING=overridden\n"),
            (".env.dev", "STAGE_ONLY=dev\n"),
        ],
    );
    let out = local(dir.path(), &[]).assert().success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload, serde_json::json!(["yes", "Grüß dich", "dev"]));
    // .env never goes into the package.
    lam_offline(dir.path())
        .args(["build", "--list"])
        .assert()
        .success()
        .stdout("app.py\n");
}

#[test]
fn node_large_payloads_pass_through() {
    let handler = "export const handler = async (event) => ({ size: event.data.length, tail: event.data.slice(-3) });\n";
    let data = "é".repeat(2 * 1024 * 1024) + "end";
    let event = format!("{{\"data\": \"{data}\"}}");
    let dir = project(NODE_TOML, &[("index.mjs", handler), ("big.json", &event)]);
    let out = lam_offline(dir.path())
        .args(["invoke", "--local", "-q", "--event", "big.json"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["size"], 2 * 1024 * 1024 + 3);
    assert_eq!(payload["tail"], "end");
}

/// A function over its memory is killed as Lambda kills it: the invocation
/// fails as a killed runtime, Runtime.ExitError "Runtime exited with error:
/// signal: killed" (what out-of-memory kills show in CloudWatch, e.g.
/// smplogs.com/guides/lambda-memory-errors), and the REPORT line says
/// `Error Type: Runtime.OutOfMemory`; the same handler with more memory runs.
#[test]
fn memory_over_the_functions_limit_is_killed_as_on_lambda() {
    let python = "import time\ndef handler(e, c):\n    block = b'x' * (200 * 1024 * 1024)\n    time.sleep(0.3)\n    return len(block)\n";
    let node = "export const handler = async () => { const block = Buffer.alloc(200 * 1024 * 1024, 1); await new Promise((r) => setTimeout(r, 300)); return block.length; };\n";
    for (runtime, handler, file, code) in [
        ("python3.12", "app.handler", "app.py", python),
        ("nodejs22.x", "index.handler", "index.mjs", node),
    ] {
        for (memory, fits) in [(128, false), (512, true)] {
            let toml = format!(
                "[project]\nname = \"mem\"\n[function]\nruntime = \"{runtime}\"\nhandler = \"{handler}\"\nmemory = {memory}\ntimeout = 10\n"
            );
            let dir = project(&toml, &[(file, code)]);
            let out = local(dir.path(), &[]).output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if fits {
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{runtime} {memory}: {stdout}\n{stderr}"
                );
                assert_eq!(stdout.trim(), "209715200");
                continue;
            }
            assert_eq!(
                out.status.code(),
                Some(1),
                "{runtime} {memory}: {stdout}\n{stderr}"
            );
            let doc: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
            assert_eq!(doc["errorType"], "Runtime.ExitError", "{doc}");
            assert!(
                doc["errorMessage"]
                    .as_str()
                    .unwrap()
                    .ends_with("Error: Runtime exited with error: signal: killed"),
                "{doc}"
            );
            assert!(
                stderr.contains("Memory Size: 128 MB\tMax Memory Used: 128 MB")
                    && stderr.contains("Status: error\tError Type: Runtime.OutOfMemory"),
                "{stderr}"
            );
        }
    }
}

/// The variables Lambda sets beside the reserved ones ("Defined runtime
/// environment variables" in the Lambda developer guide), with this
/// machine's directories for /var/runtime and /var/task.
#[test]
fn the_environment_is_lambdas() {
    let python = "import os\ndef handler(e, c):\n    return {k: os.environ.get(k) for k in ['LANG', 'LAMBDA_RUNTIME_DIR', 'LD_LIBRARY_PATH', 'AWS_XRAY_CONTEXT_MISSING', 'AWS_XRAY_DAEMON_ADDRESS', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'TZ', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE', 'PYTHONPYCACHEPREFIX', 'LAMBDA_TASK_ROOT']}\n";
    let dir = project(TOML, &[("app.py", python)]);
    let out = local(dir.path(), &[]).assert().success();
    let env: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let root = env["LAMBDA_TASK_ROOT"].as_str().unwrap();
    let runtime = env["LAMBDA_RUNTIME_DIR"].as_str().unwrap();
    assert_eq!(env["LANG"], "en_US.UTF-8");
    assert!(runtime.ends_with(".lam/runtime"), "{env}");
    assert!(
        env["LD_LIBRARY_PATH"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{runtime}:{runtime}/lib:{root}:{root}/lib")),
        "{env}"
    );
    assert_eq!(env["AWS_XRAY_CONTEXT_MISSING"], "LOG_ERROR");
    assert_eq!(env["AWS_XRAY_DAEMON_ADDRESS"], "169.254.79.129:2000");
    assert_eq!(env["AWS_LAMBDA_INITIALIZATION_TYPE"], "on-demand");
    assert_eq!(env["TZ"], ":UTC");
    assert!(env["PYTHONUNBUFFERED"].is_null(), "{env}");
    // lam's one addition: compiled code is cached outside the task root.
    assert!(env["PYTHONDONTWRITEBYTECODE"].is_null(), "{env}");
    assert!(
        env["PYTHONPYCACHEPREFIX"]
            .as_str()
            .unwrap()
            .ends_with(".lam/pycache"),
        "{env}"
    );

    let node = "export const handler = async () => process.env.NODE_PATH.split(':');\n";
    let dir = project(NODE_TOML, &[("index.mjs", node)]);
    let out = lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .success();
    let path: Vec<String> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(path[0], "/opt/nodejs/node_modules");
    assert!(path[1].ends_with(".lam/runtime/node_modules"), "{path:?}");
}

/// A python3.12 function on a machine whose Python is another version:
/// wheels built for 3.12 would not load (a compiled extension such as
/// markupsafe's _speedups fails to import), so local runs use the same
/// requirements installed for the interpreter that runs, in a cache entry of
/// their own, and lam says so once; `lam build` still packages for 3.12.
#[test]
fn a_different_local_python_gets_dependencies_built_for_it() {
    let version = std::process::Command::new(test_python())
        .args([
            "-c",
            "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')",
        ])
        .output()
        .unwrap();
    let local_version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let runtime = if local_version == "3.12" {
        "python3.13"
    } else {
        "python3.12"
    };
    let toml = format!(
        "[project]\nname = \"wheels\"\n[function]\nruntime = \"{runtime}\"\nhandler = \"app.handler\"\n"
    );
    // The dependency tree is read-only to the handler, as in /var/task.
    let app = "import os\nfrom markupsafe import _speedups\ndef handler(e, c):\n    try:\n        open(os.path.join(os.path.dirname(_speedups.__file__), 'x'), 'w')\n        written = 'written'\n    except OSError as err:\n        written = err.errno\n    return [_speedups.__name__, written]\n";
    let dir = project(
        &toml,
        &[("app.py", app), ("requirements.txt", "markupsafe==3.0.2\n")],
    );
    let out = local(dir.path(), &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "[\"markupsafe._speedups\", 30]"
    );
    assert!(
        stderr.contains(&format!("runs on Python {local_version} here"))
            && stderr.contains(&format!("`lam build` still packages for {runtime}")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    // The package is still built for the runtime's Python.
    lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .arg("build")
        .assert()
        .success();
    let zip = std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap();
    let tag = format!(
        "_speedups.cpython-{}-",
        runtime.trim_start_matches("python").replace('.', "")
    );
    assert!(
        zip.windows(tag.len()).any(|w| w == tag.as_bytes()),
        "the zip has no {tag} extension"
    );
}

/// Lambda unpacks the zip in /var/task, read-only; only /tmp is writable
/// ("Lambda execution environment": the function's code directory is
/// read-only). Local runs use the package's files (a file the package
/// leaves out is missing) from a directory the handler cannot write, even
/// when lam runs as root, and the handler keeps lam's uid.
#[cfg(target_os = "linux")]
#[test]
fn the_code_runs_from_a_read_only_copy_of_the_package() {
    use std::os::unix::fs::MetadataExt;
    let python = r##"
import os
def handler(e, c):
    out = {"root": os.environ["LAMBDA_TASK_ROOT"], "cwd": os.getcwd(), "uid": os.getuid()}
    out["files"] = sorted(os.listdir(".")) + sorted("data/" + f for f in os.listdir("data"))
    out["data"] = open("data/greeting.txt").read()
    try:
        open("written.txt", "w").write("x")
        out["beside"] = "written"
    except OSError as err:
        out["beside"] = [err.errno, err.strerror]
    try:
        with open(os.path.join(out["root"], "app.py"), "a") as f:
            f.write("# changed")
        out["own"] = "changed"
    except OSError as err:
        out["own"] = err.errno
    path = "/tmp/" + c.aws_request_id
    with open(path, "w") as f:
        f.write("tmp ok")
    out["tmp"] = open(path).read()
    os.remove(path)
    return out
"##;
    let dir = project(
        TOML,
        &[
            ("app.py", python),
            ("data/greeting.txt", "hi"),
            ("notes/secret.txt", "local only"),
            (".lamignore", "notes/\n"),
        ],
    );
    let uid = std::fs::metadata(dir.path().join("app.py")).unwrap().uid();
    for client in CLIENTS {
        let out = local(dir.path(), client).assert().success();
        let seen: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let root = seen["root"].as_str().unwrap();
        assert!(root.ends_with(".lam/task/loc-dev"), "{client:?}: {seen}");
        assert_eq!(seen["cwd"], root, "{client:?}");
        assert_eq!(
            seen["files"],
            serde_json::json!(["app.py", "data", "data/greeting.txt"]),
            "{client:?}: only what the zip holds"
        );
        assert_eq!(seen["data"], "hi");
        assert_eq!(
            seen["beside"],
            serde_json::json!([30, "Read-only file system"]),
            "{client:?}"
        );
        assert_eq!(seen["own"], 30, "{client:?}");
        assert_eq!(seen["tmp"], "tmp ok");
        assert_eq!(seen["uid"], uid, "{client:?}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        python
    );
    assert!(!dir.path().join("written.txt").exists());

    // An edit, a new file and a removed one are there at the next run.
    std::fs::write(
        dir.path().join("app.py"),
        "import os\ndef handler(e, c):\n    return sorted(os.listdir('.'))\n",
    )
    .unwrap();
    std::fs::remove_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("extra.py"), "").unwrap();
    local(dir.path(), &[])
        .assert()
        .success()
        .stdout("[\"app.py\", \"extra.py\"]\n");

    let node = "import fs from 'node:fs';\nexport const handler = async () => {\n  try { fs.writeFileSync('written.txt', 'x'); return 'written'; }\n  catch (e) { return [e.code, fs.readFileSync('/tmp/' + process.pid + '.txt', { flag: 'w+' }).length]; }\n};\n";
    let dir = project(NODE_TOML, &[("index.mjs", node)]);
    lam_offline(dir.path())
        .args(["invoke", "--local"])
        .assert()
        .success()
        .stdout("[\"EROFS\",0]\n");
}

/// Compiled handler code is cached (PYTHONPYCACHEPREFIX), and Python trusts
/// a .pyc whose source has the same size and the same mtime in whole
/// seconds: an edit within that second (`lam serve --watch`, an editor that
/// saves twice) must still run, so lam drops the cache when a file changed.
#[test]
fn an_edit_in_the_same_second_is_not_hidden_by_cached_bytecode() {
    let dir = project(
        TOML,
        &[("app.py", "def handler(e, c):\n    return 'aaa'\n")],
    );
    let app = dir.path().join("app.py");
    let second = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_790_000_000);
    let set_mtime = |at: std::time::SystemTime| {
        std::fs::File::options()
            .write(true)
            .open(&app)
            .unwrap()
            .set_modified(at)
            .unwrap();
    };
    set_mtime(second + std::time::Duration::from_millis(100));
    local(dir.path(), &[])
        .assert()
        .success()
        .stdout("\"aaa\"\n");
    assert!(
        files_under(&dir.path().join(".lam/pycache"))
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pyc")),
        "the handler's bytecode is cached"
    );
    // Same size, same inode, same second.
    std::fs::write(&app, "def handler(e, c):\n    return 'bbb'\n").unwrap();
    set_mtime(second + std::time::Duration::from_millis(200));
    local(dir.path(), &[])
        .assert()
        .success()
        .stdout("\"bbb\"\n");
}

/// `--profile-init` takes Init Duration apart: a slow import at module scope
/// and slow module-level code show with their cost and share, slowest
/// first, and the parts add up to Init Duration.
#[test]
fn profile_init_shows_where_the_cold_start_goes() {
    let dir = project(
        TOML,
        &[
            (
                "app.py",
                "import slowdep\nimport time\ntime.sleep(0.1)\ndef handler(e, c):\n    return 1\n",
            ),
            ("slowdep.py", "import time\ntime.sleep(0.3)\n"),
        ],
    );
    let out = local(dir.path(), &[])
        .args(["--profile-init", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["result"]["payload"], 1, "{doc}");
    let profile = &doc["init_profile"];
    assert_eq!(profile["module"], "app", "{doc}");
    let parts = profile["parts"].as_array().unwrap();
    let ms = |what: &str| part_ms(&doc, what);
    assert!(ms("import slowdep") >= 300.0, "{doc}");
    let own = ms("module-level code of app");
    assert!((100.0..300.0).contains(&own), "{doc}");
    assert_eq!(parts[0]["what"], "import slowdep", "slowest first: {doc}");
    let init = profile["init_ms"].as_f64().unwrap();
    let sum: f64 = parts.iter().map(|p| p["ms"].as_f64().unwrap()).sum();
    assert!(
        (sum - init).abs() < 1.0,
        "parts {sum} vs init {init}: {doc}"
    );
    assert!(parts[0]["share"].as_f64().unwrap() > 0.5, "{doc}");

    // The text form, on stderr; the handler never sees lam's variable.
    let out = local(dir.path(), &["--profile-init"]).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("handler module app:") && stderr.contains("import slowdep"),
        "{stderr}"
    );
    assert!(!stderr.contains("import time:"), "{stderr}");

    local(dir.path(), &["--ric", "--profile-init"])
        .assert()
        .code(2);
}

/// The milliseconds `--profile-init --output json` gives the part `what`.
fn part_ms(doc: &serde_json::Value, what: &str) -> f64 {
    doc["init_profile"]["parts"]
        .as_array()
        .and_then(|parts| parts.iter().find(|p| p["what"] == what))
        .and_then(|p| p["ms"].as_f64())
        .unwrap_or_else(|| panic!("no {what} in {doc}"))
}

/// A busy loop of `ms` milliseconds of CPU, as a module's top-level code.
fn busy(ms: u32) -> String {
    format!(
        "const t = Date.now(); let x = 0; while (Date.now() - t < {ms}) {{ x += Math.sqrt(x + 1); }}\nmodule.exports = {{ x }};\n"
    )
}

/// `--profile-init` for Node.js: a CPU profile of the handler's import
/// charges each package under node_modules (scoped ones by scope/name),
/// each project file and the handler's own module-level code; CommonJS and
/// ES modules alike. The handler still answers.
#[test]
fn node_profile_init_charges_packages_files_and_module_code() {
    let pkg = |name: &str| format!(r#"{{"name":"{name}","main":"index.js"}}"#);
    let files = [
        ("node_modules/heavy/package.json", pkg("heavy")),
        ("node_modules/heavy/index.js", busy(150)),
        ("node_modules/@acme/light/package.json", pkg("@acme/light")),
        ("node_modules/@acme/light/index.js", busy(20)),
        ("lib/db.js", busy(40)),
        (
            "index.js",
            format!(
                "const heavy = require('heavy');\nconst light = require('@acme/light');\nconst db = require('./lib/db');\n{}exports.handler = async () => heavy.x > 0 && light.x > 0 && db.x > 0;\n",
                busy(60).replace("module.exports = { x };\n", "")
            ),
        ),
        (
            "esm.mjs",
            "import heavy from 'heavy';\nexport const handler = async () => heavy.x > 0;\n".into(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    let dir = project(NODE_TOML, &files);
    let profile = |dir: &std::path::Path| {
        let out = lam_offline(dir)
            .args(["invoke", "--local", "--profile-init", "--output", "json"])
            .assert()
            .success();
        let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(doc["result"]["payload"], true, "{doc}");
        doc
    };
    let doc = profile(dir.path());
    let parts = doc["init_profile"]["parts"].as_array().unwrap().clone();
    let ms = |what: &str| part_ms(&doc, what);
    assert!(ms("import heavy") >= 75.0, "{doc}");
    assert!(ms("import heavy") > ms("import @acme/light"), "{doc}");
    assert!(ms("import lib/db.js") > 0.0, "{doc}");
    assert!(ms("module-level code of index") >= 30.0, "{doc}");
    let init = doc["init_profile"]["init_ms"].as_f64().unwrap();
    let sum: f64 = parts.iter().map(|p| p["ms"].as_f64().unwrap()).sum();
    assert!(
        (sum - init).abs() < 1.0,
        "parts {sum} vs init {init}: {doc}"
    );

    // An ES module's static imports are charged the same way.
    let toml = NODE_TOML.replace("index.handler", "esm.handler");
    std::fs::write(dir.path().join("lam.toml"), toml).unwrap();
    let doc = profile(dir.path());
    assert!(part_ms(&doc, "import heavy") >= 75.0, "{doc}");
}

/// A Node.js run uses the tree the zip holds: a project that never ran
/// `npm install` works, and a package in the project's own node_modules
/// that package.json's dependencies do not name (a devDependency, one
/// installed by hand) is missing, as on Lambda.
#[test]
fn node_runs_the_dependency_tree_the_zip_holds() {
    let outside = tempfile::tempdir().unwrap();
    let dir = project(
        "[project]\nname = \"tree\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n",
        &[
            (
                "index.mjs",
                "import { createRequire } from 'node:module';\nimport greet from 'greet';\nconst require = createRequire(import.meta.url);\nexport const handler = async () => {\n  let dev = 'missing';\n  try { require('devtool'); dev = 'found'; } catch (e) {}\n  return { greet: greet(), devtool: dev };\n};\n",
            ),
            (
                "package.json",
                r#"{"name": "app", "version": "1.0.0", "type": "module", "dependencies": {"greet": "file:vendor/greet-1.0.0.tgz"}}"#,
            ),
            ("e.json", "{}"),
        ],
    );
    let pkg = outside.path().join("greet/package");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("package.json"),
        r#"{"name": "greet", "version": "1.0.0", "main": "index.js"}"#,
    )
    .unwrap();
    std::fs::write(
        pkg.join("index.js"),
        "module.exports = () => 'hello from the zip';\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    let status = std::process::Command::new("tar")
        .arg("czf")
        .arg(dir.path().join("vendor/greet-1.0.0.tgz"))
        .arg("-C")
        .arg(outside.path().join("greet"))
        .arg("package")
        .status()
        .unwrap();
    assert!(status.success());
    // A tool the developer installed by hand; no `greet` there.
    let dev = dir.path().join("node_modules/devtool");
    std::fs::create_dir_all(&dev).unwrap();
    std::fs::write(
        dev.join("package.json"),
        r#"{"name": "devtool", "version": "1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(dev.join("index.js"), "module.exports = 1;\n").unwrap();
    let out = lam_offline(dir.path())
        .args(["invoke", "--local", "--event", "e.json"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        payload,
        serde_json::json!({"greet": "hello from the zip", "devtool": "missing"})
    );
}

/// The boto3 a Python runtime provides is there for a local run, after the
/// function's own packages (as /var/runtime is on Lambda): a handler that
/// imports boto3 without listing it runs against moto with an interpreter
/// that lacks it, and one that pins its own version gets that version.
#[test]
fn the_runtimes_boto3_is_there_unless_the_function_brings_its_own() {
    let venv = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(test_python())
        .args(["-m", "venv"])
        .arg(venv.path())
        .status()
        .unwrap();
    assert!(status.success());
    let python = venv.path().join("bin/python");
    let bare = std::process::Command::new(&python)
        .args(["-c", "import boto3"])
        .output()
        .unwrap();
    assert!(!bare.status.success(), "the new venv has no boto3");
    let app = "import boto3\ndef h(e, c):\n    names = [b['Name'] for b in boto3.client('s3').list_buckets()['Buckets']]\n    return {'boto3': boto3.__version__, 'listed': isinstance(names, list)}\n";
    let runtime = "python3.12";
    let (provided, _) = lam::local::sdk::python_sdk(runtime).unwrap();
    let dir = project(
        &format!(
            "[project]\nname = \"sdk\"\n[function]\nruntime = \"{runtime}\"\nhandler = \"app.h\"\n"
        ),
        &[("app.py", app), ("e.json", "{}")],
    );
    let run = |dir: &std::path::Path| -> serde_json::Value {
        let out = lam(dir)
            .env("LAM_PYTHON", &python)
            .args(["invoke", "--local", "--event", "e.json"])
            .timeout(std::time::Duration::from_secs(300))
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    assert_eq!(
        run(dir.path()),
        serde_json::json!({"boto3": provided, "listed": true})
    );
    // The function's own boto3 comes first.
    std::fs::write(dir.path().join("requirements.txt"), "boto3==1.35.0\n").unwrap();
    assert_eq!(run(dir.path())["boto3"], "1.35.0");
}

/// The AWS SDK for JavaScript v3 a Node.js runtime provides is there for a
/// local run, as /var/runtime/node_modules is on Lambda: a nodejs22.x
/// handler that requires `@aws-sdk/client-s3` without listing it (and with
/// no node_modules of its own) lists moto's buckets; one that brings its
/// own version gets that one.
#[test]
fn the_runtimes_aws_sdk_is_there_for_node_unless_the_function_brings_its_own() {
    let bucket = unique("nodesdk");
    block_on(s3().create_bucket().bucket(&bucket).send()).unwrap();
    let index = "const { S3Client, ListBucketsCommand } = require('@aws-sdk/client-s3');\n\
        const version = require('@aws-sdk/client-s3/package.json').version;\n\
        exports.handler = async () => {\n\
          const out = await new S3Client({ forcePathStyle: true }).send(new ListBucketsCommand({}));\n\
          return { version, names: out.Buckets.map((b) => b.Name) };\n\
        };\n";
    let dir = project(
        "[project]\nname = \"nodesdk\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\ntimeout = 30\n",
        &[("index.js", index), ("e.json", "{}")],
    );
    let run = |dir: &std::path::Path| -> serde_json::Value {
        let out = lam(dir)
            .args(["invoke", "--local", "--event", "e.json"])
            .timeout(std::time::Duration::from_secs(300))
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let got = run(dir.path());
    assert_eq!(got["version"], lam::local::sdk::NODE_SDK, "{got}");
    assert!(
        got["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == bucket.as_str()),
        "{got}"
    );
    assert!(!dir.path().join("node_modules").exists());
    // The function's own version comes first, as on Lambda.
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"name": "nodesdk", "version": "1.0.0", "dependencies": {"@aws-sdk/client-s3": "3.700.0"}}"#,
    )
    .unwrap();
    assert_eq!(run(dir.path())["version"], "3.700.0");
}

/// The seed's S3-triggered resize, end to end on a machine whose Python is
/// not the runtime's: the s3-image template (Pillow, and boto3 from what
/// the runtime provides) resizes a real upload in moto's S3 through
/// `lam invoke --local`, with the version warning said once.
#[test]
fn the_s3_image_template_resizes_an_upload_with_another_python() {
    let python = test_python();
    let version = std::process::Command::new(&python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    // A runtime that is not this interpreter's.
    let runtime = if version == "3.12" {
        "python3.13"
    } else {
        "python3.12"
    };
    let parent = tempfile::tempdir().unwrap();
    let bucket = unique("photos");
    lam_offline(parent.path())
        .args([
            "new",
            "pics",
            "--template",
            "s3-image",
            "--runtime",
            runtime,
            "--bucket",
            &bucket,
        ])
        .assert()
        .success();
    let dir = parent.path().join("pics");
    let image = dir.join("cat.png");
    let made = std::process::Command::new(&python)
        .arg("-c")
        .arg(format!(
            "from PIL import Image; Image.new('RGB', (1024, 768), 'red').save({:?})",
            image.display().to_string()
        ))
        .status()
        .unwrap();
    assert!(made.success());
    block_on(s3().create_bucket().bucket(&bucket).send()).unwrap();
    block_on(
        s3().put_object()
            .bucket(&bucket)
            .key("uploads/cat.png")
            .body(std::fs::read(&image).unwrap().into())
            .send(),
    )
    .unwrap();
    let event = lam_offline(&dir)
        .args([
            "events",
            "generate",
            "s3-put",
            "--bucket",
            &bucket,
            "--key",
            "uploads/cat.png",
        ])
        .assert()
        .success();
    std::fs::write(dir.join("upload.json"), &event.get_output().stdout).unwrap();
    let out = lam(&dir)
        .env("LAM_PYTHON", &python)
        .args(["invoke", "--local", "--event", "upload.json"])
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr
            .matches(&format!("runs on Python {version} here"))
            .count(),
        1,
        "{stderr}"
    );
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        payload["processed"][0],
        serde_json::json!({"key": "uploads/cat.png", "output": "thumbnails/uploads/cat.png", "size": [512, 384]}),
        "{stderr}"
    );
    let thumbnail = block_on(
        s3().get_object()
            .bucket(&bucket)
            .key("thumbnails/uploads/cat.png")
            .send(),
    )
    .unwrap();
    assert_eq!(thumbnail.content_type(), Some("image/png"));
}

/// What a newcomer's machine lacks is said as such: `--ric` on an
/// interpreter without awslambdaric is a local problem (exit 5, with the
/// install command), not the function's error; a Node.js of another major
/// version than the runtime's is warned about, as Python's is.
#[test]
fn a_missing_runtime_client_and_another_node_version_are_said() {
    let venv = tempfile::tempdir().unwrap();
    assert!(
        std::process::Command::new(test_python())
            .args(["-m", "venv"])
            .arg(venv.path())
            .status()
            .unwrap()
            .success()
    );
    let python = venv.path().join("bin/python");
    let dir = project(
        TOML,
        &[
            ("app.py", "def handler(e, c):\n    return 1\n"),
            ("e.json", "{}"),
        ],
    );
    lam_offline(dir.path())
        .env("LAM_PYTHON", &python)
        .args(["invoke", "--local", "--ric", "--event", "e.json"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("--ric needs awslambdaric"))
        .stderr(predicate::str::contains("-m pip install awslambdaric"));

    let here = std::process::Command::new("node")
        .arg("--version")
        .output()
        .unwrap();
    let here = String::from_utf8_lossy(&here.stdout).trim().to_string();
    let runtime = if here.starts_with("v22.") {
        "nodejs20.x"
    } else {
        "nodejs22.x"
    };
    let dir = project(
        &format!(
            "[project]\nname = \"nv\"\n[function]\nruntime = \"{runtime}\"\nhandler = \"index.handler\"\n"
        ),
        &[
            ("index.js", "exports.handler = async () => 1;\n"),
            ("e.json", "{}"),
        ],
    );
    lam_offline(dir.path())
        .args(["invoke", "--local", "--event", "e.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "runs on Node.js {here} here"
        )));
}
