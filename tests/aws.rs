//! lam against a real moto server: deploy creates and updates functions,
//! invoke sends exactly the event and renders what comes back. State is read
//! back with the SDK.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;
use serde_json::Value;

const HANDLER: &str = "def lambda_handler(event, context):\n    return {\"ok\": True}\n";

fn lam_toml(name: &str, extra: &str) -> String {
    format!(
        "[project]\nname = \"proj\"\n\n[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nrole = \"{ROLE_ARN}\"\n{extra}"
    )
}

#[test]
fn deploy_creates_the_function_with_the_configured_settings() {
    let name = unique("create");
    let extra = "memory = 256\ntimeout = 30\ndescription = \"made by a test\"\n\n[function.env]\nTABLE = \"orders\"\nRETRIES = 3\n";
    let dir = project(&lam_toml(&name, extra), &[("app.py", HANDLER)]);

    lam(dir.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("Created {name}")));

    let conf = function_configuration(&name);
    assert_eq!(conf.runtime().map(|r| r.as_str()), Some("python3.12"));
    assert_eq!(conf.handler(), Some("app.lambda_handler"));
    assert_eq!(conf.memory_size(), Some(256));
    assert_eq!(conf.timeout(), Some(30));
    assert_eq!(conf.description(), Some("made by a test"));
    assert_eq!(conf.role(), Some(ROLE_ARN));
    let vars = conf
        .environment()
        .and_then(|e| e.variables())
        .cloned()
        .unwrap_or_default();
    assert_eq!(vars.get("TABLE").map(String::as_str), Some("orders"));
    assert_eq!(vars.get("RETRIES").map(String::as_str), Some("3"));
    assert_eq!(vars.len(), 2);

    // The deployed code is exactly the zip lam built.
    let zip = std::fs::read(dir.path().join(".lam/build/function.zip")).expect("zip written");
    use base64::Engine;
    use sha2::Digest;
    let sha = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&zip));
    assert_eq!(conf.code_sha256(), Some(sha.as_str()));
}

#[test]
fn a_second_deploy_updates_only_what_changed() {
    let name = unique("update");
    let dir = project(&lam_toml(&name, "memory = 128\n"), &[("app.py", HANDLER)]);
    lam(dir.path()).arg("deploy").assert().success();
    let first = function_configuration(&name);

    // Nothing changed: no upload, no configuration update.
    let out = lam(dir.path())
        .args(["deploy", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
    assert_eq!(doc["functions"][0]["action"], "unchanged");
    assert_eq!(doc["functions"][0]["code_changed"], false);
    let unchanged = function_configuration(&name);
    assert_eq!(unchanged.last_modified(), first.last_modified());
    assert_eq!(unchanged.code_sha256(), first.code_sha256());

    // A configuration-only change updates the configuration, not the code.
    std::fs::write(
        dir.path().join("lam.toml"),
        lam_toml(&name, "memory = 512\n[function.env]\nMODE = \"fast\"\n"),
    )
    .unwrap();
    let out = lam(dir.path())
        .args(["deploy", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["functions"][0]["action"], "updated");
    assert_eq!(doc["functions"][0]["code_changed"], false);
    assert_eq!(
        doc["functions"][0]["configuration_changed"],
        serde_json::json!(["memory", "env"])
    );
    let conf = function_configuration(&name);
    assert_eq!(conf.memory_size(), Some(512));
    assert_eq!(conf.code_sha256(), first.code_sha256());

    // A code change uploads new code.
    std::fs::write(
        dir.path().join("app.py"),
        "def lambda_handler(event, context):\n    return 2\n",
    )
    .unwrap();
    let out = lam(dir.path())
        .args(["deploy", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["functions"][0]["code_changed"], true);
    assert_eq!(
        doc["functions"][0]["configuration_changed"],
        serde_json::json!([])
    );
    let conf = function_configuration(&name);
    assert_ne!(conf.code_sha256(), first.code_sha256());
    assert_eq!(conf.memory_size(), Some(512));
}

#[test]
fn dry_run_changes_nothing() {
    let name = unique("dry");
    let dir = project(&lam_toml(&name, ""), &[("app.py", HANDLER)]);
    lam(dir.path())
        .args(["deploy", "--dry-run"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("create function {name}")));
    let err = block_on(lambda_client().get_function().function_name(&name).send()).unwrap_err();
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception())
    );
}

#[test]
fn stage_overrides_reach_the_deployed_function() {
    let toml = format!(
        "[project]\nname = \"{}\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nrole = \"{ROLE_ARN}\"\n[stages.prod]\nmemory = 1024\n",
        unique("stg")
    );
    let dir = project(&toml, &[("app.py", HANDLER)]);
    let out = lam(dir.path())
        .args(["deploy", "--stage", "prod", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let name = doc["functions"][0]["name"]
        .as_str()
        .expect("name")
        .to_string();
    assert!(name.ends_with("-prod"), "{name}");
    assert_eq!(function_configuration(&name).memory_size(), Some(1024));
}

#[test]
fn invoke_sends_the_event_and_prints_the_payload() {
    let name = unique("inv");
    let dir = project(
        &lam_toml(&name, ""),
        &[
            ("app.py", HANDLER),
            ("events/e.json", "{\"hello\": [1, 2, 3]}"),
        ],
    );
    lam(dir.path()).arg("deploy").assert().success();
    let _serial = invoke_lock();

    // moto's Docker-less invoke echoes the payload: exactly what lam sent.
    lam(dir.path())
        .args(["invoke", "--event", "events/e.json"])
        .assert()
        .success()
        .stdout("{\"hello\": [1, 2, 3]}\n");

    // From stdin.
    lam(dir.path())
        .args(["invoke", "--event", "-"])
        .write_stdin("{\"from\": \"stdin\"}")
        .assert()
        .success()
        .stdout("{\"from\": \"stdin\"}\n");

    // A client context goes as base64 JSON and a tenant id as the Invoke
    // API's TenantId; the model validator checks both against Lambda's model.
    lam(dir.path())
        .args([
            "invoke",
            "--client-context",
            "{\"custom\": {\"k\": \"v\"}}",
            "--tenant-id",
            "acme-1",
        ])
        .assert()
        .success();
    let calls = sent("lambda", "Invoke", |input| input["TenantId"] == "acme-1");
    assert_eq!(calls.len(), 1, "{calls:?}");
    use base64::Engine;
    let context = base64::engine::general_purpose::STANDARD
        .decode(calls[0]["ClientContext"].as_str().unwrap())
        .unwrap();
    assert_eq!(context, b"{\"custom\": {\"k\": \"v\"}}");
}

#[test]
fn invoke_renders_queued_responses_and_json_output() {
    let name = unique("stub");
    let dir = project(&lam_toml(&name, ""), &[("app.py", HANDLER)]);
    lam(dir.path()).arg("deploy").assert().success();
    let _serial = invoke_lock();
    queue_invoke_result(r#"{"statusCode": 200, "body": "{\"answer\": 42}"}"#);
    let out = lam(dir.path())
        .args(["invoke", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("JSON document");
    assert_eq!(doc["status"], 200);
    assert_eq!(doc["payload"]["statusCode"], 200);
    assert!(doc["function_error"].is_null());
    assert!(doc["request_id"].is_string());
    // The API Gateway response is also given decoded.
    assert_eq!(doc["http"]["status"], 200);
    assert_eq!(doc["http"]["body"], "{\n  \"answer\": 42\n}");

    queue_invoke_result(
        r#"{"statusCode": 201, "headers": {"Content-Type": "text/plain"}, "body": "aGVsbG8gd29ybGQ=", "isBase64Encoded": true}"#,
    );
    let out = lam(dir.path())
        .args(["invoke", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("JSON document");
    assert_eq!(doc["http"]["status"], 201);
    assert_eq!(doc["http"]["headers"]["Content-Type"], "text/plain");
    assert_eq!(doc["http"]["body"], "hello world");
    assert_eq!(
        doc["payload"]["body"], "aGVsbG8gd29ybGQ=",
        "the payload itself is untouched"
    );
}

#[test]
fn unreachable_endpoint_is_an_aws_error_naming_it() {
    let dir = project(&lam_toml(&unique("unreach"), ""), &[("app.py", HANDLER)]);
    // Nothing listens on port 9 of loopback.
    lam_offline(dir.path())
        .args(["invoke", "--endpoint-url", "http://127.0.0.1:9"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("cannot reach http://127.0.0.1:9"))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn missing_credentials_say_where_lam_looked() {
    let dir = project(&lam_toml(&unique("nocreds"), ""), &[("app.py", HANDLER)]);
    lam(dir.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .arg("invoke")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no AWS credentials found"))
        .stderr(predicate::str::contains("AWS_ACCESS_KEY_ID"));
}

#[test]
fn missing_region_is_explained() {
    let dir = project(&lam_toml(&unique("noregion"), ""), &[("app.py", HANDLER)]);
    lam(dir.path())
        .env_remove("AWS_REGION")
        .arg("invoke")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no AWS region is set"))
        .stderr(predicate::str::contains("--region"));
}

#[test]
fn packages_over_50_megabytes_go_through_s3() {
    let name = unique("big");
    let bucket = unique("lam-artifacts").to_lowercase();
    let (status, text) = http(
        moto(),
        "PUT",
        &format!("/{bucket}"),
        "application/xml",
        Some("s3"),
        "",
    )
    .expect("moto answers");
    assert_eq!(status, 200, "CreateBucket: {text}");

    let dir = project(&lam_toml(&name, ""), &[("app.py", HANDLER)]);
    std::fs::write(dir.path().join("model.bin"), noise(51 * 1024 * 1024)).unwrap();

    // Without a bucket: refused before any AWS call, with the fix.
    lam_offline(dir.path())
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .arg("deploy")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "over Lambda's 50 MB limit for direct uploads",
        ))
        .stderr(predicate::str::contains("--s3-bucket"));

    let out = lam(dir.path())
        .args(["deploy", "--s3-bucket", &bucket, "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["functions"][0]["action"], "created");
    let conf = function_configuration(&name);
    assert_eq!(
        conf.code_sha256(),
        doc["functions"][0]["code_sha256"].as_str()
    );

    // The object is in the bucket under a content-addressed key.
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk_config())
            .force_path_style(true)
            .build(),
    );
    let listed = block_on(s3.list_objects_v2().bucket(&bucket).send()).expect("list");
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with(&format!("lam/{name}/")), "{keys:?}");

    // Unchanged: nothing uploaded again.
    let out = lam(dir.path())
        .args(["deploy", "--s3-bucket", &bucket, "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["functions"][0]["action"], "unchanged");
}

#[test]
fn status_shows_what_is_deployed_and_whether_it_drifted() {
    let name = unique("status");
    let dir = project(
        &lam_toml(&name, "memory = 256\n[function.env]\nTABLE = \"t\"\n"),
        &[("app.py", HANDLER)],
    );
    let status = |args: &[&str]| {
        let out = lam(dir.path())
            .args(["status", "--output", "json"])
            .args(args)
            .assert();
        let code = out.get_output().status.code();
        let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
        (code, doc)
    };
    let (code, doc) = status(&["--check"]);
    assert_eq!(code, Some(1), "not deployed counts as drift");
    assert_eq!(doc["functions"][0]["deployed"], false);

    lam(dir.path()).arg("deploy").assert().success();
    let (code, doc) = status(&["--check"]);
    assert_eq!(code, Some(0));
    let f = &doc["functions"][0];
    assert_eq!(f["deployed"], true);
    assert_eq!(f["memory"], 256);
    assert_eq!(f["env_keys"], serde_json::json!(["TABLE"]));
    assert_eq!(f["local_code_differs"], false);

    std::fs::write(
        dir.path().join("app.py"),
        "def lambda_handler(e, c):\n    return 3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("lam.toml"),
        lam_toml(&name, "memory = 512\n[function.env]\nTABLE = \"t\"\n"),
    )
    .unwrap();
    let (code, doc) = status(&["--check"]);
    assert_eq!(code, Some(1));
    assert_eq!(doc["functions"][0]["local_code_differs"], true);
    assert_eq!(
        doc["functions"][0]["configuration_differs"],
        serde_json::json!(["memory"])
    );
}

#[test]
fn async_invoke_prints_the_request_id() {
    let name = unique("async");
    let dir = project(&lam_toml(&name, ""), &[("app.py", HANDLER)]);
    lam(dir.path()).arg("deploy").assert().success();
    let _serial = invoke_lock();
    let out = lam(dir.path())
        .args(["invoke", "--async", "--output", "json"])
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["status"], 202);
    assert!(
        doc["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{doc}"
    );
    let out = lam(dir.path())
        .args(["invoke", "--async"])
        .assert()
        .success();
    assert!(
        !String::from_utf8_lossy(&out.get_output().stdout)
            .trim()
            .is_empty()
    );
}
