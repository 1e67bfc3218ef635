//! `lam deploy`, `status`, `rollback` and `destroy` against a real moto
//! server: the role, versions and alias, the three kinds of HTTP endpoint
//! with CORS and permissions, reruns that change nothing, and bad input.
//! Every check reads the resulting state back with the SDK.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;
use serde_json::Value;

const HANDLER: &str = "def lambda_handler(event, context):\n    return {\"ok\": True}\n";

fn toml(project: &str, extra: &str) -> String {
    format!(
        "[project]\nname = \"{project}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n{extra}"
    )
}

/// lam's inline policy of `role`, read back and parsed.
fn inline_policy(role: &str) -> Value {
    let inline = block_on(
        iam()
            .get_role_policy()
            .role_name(role)
            .policy_name("lam")
            .send(),
    )
    .unwrap();
    serde_json::from_str(&lam::aws::iam::percent_decode(inline.policy_document())).unwrap()
}

fn iam() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config())
}

/// `lam status --output json` in `dir`.
fn status_json(dir: &std::path::Path) -> Value {
    let out = lam(dir)
        .args(["status", "--output", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("one JSON document")
}

fn deploy_json(dir: &std::path::Path, extra: &[&str]) -> Value {
    let out = lam(dir)
        .args(["deploy", "--output", "json"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("one JSON document")
}

/// `lam deploy` refuses lam.toml with a configuration error (exit 3)
/// saying `says`, and makes no AWS call.
fn refused_before_any_call(dir: &std::path::Path, says: &str) {
    let out = lam(dir).args(["deploy", "-v"]).assert().code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains(says), "{stderr}");
    assert!(
        calls(&out.get_output().stderr).is_empty(),
        "no AWS call: {stderr}"
    );
}

fn rerun_calls(dir: &std::path::Path) -> Vec<String> {
    let out = lam(dir).args(["deploy", "-v"]).assert().success();
    calls(&out.get_output().stderr)
}

fn policy_statements(name: &str, qualifier: &str) -> Vec<Value> {
    let out = block_on(
        lambda_client()
            .get_policy()
            .function_name(name)
            .qualifier(qualifier)
            .send(),
    )
    .expect("policy exists");
    let doc: Value = serde_json::from_str(out.policy().unwrap()).unwrap();
    doc["Statement"].as_array().cloned().unwrap_or_default()
}

#[test]
fn first_deploy_creates_role_function_version_and_alias_and_a_rerun_only_reads() {
    let project_name = unique("first");
    // A secret the function reads, created as `lam secrets set` would.
    let secret_name = format!("{project_name}/dev/DB_PASSWORD");
    let sm = aws_sdk_secretsmanager::Client::new(&sdk_config());
    let secret = block_on(
        sm.create_secret()
            .name(&secret_name)
            .secret_string("hunter2-not-in-config")
            .send(),
    )
    .unwrap();
    let secret_arn = secret.arn().unwrap().to_string();
    let extra = format!(
        "memory = 256\n\n[function.env]\nTABLE = \"orders\"\n\n[function.secrets]\nDB_PASSWORD = \"{secret_name}\"\n\n[[function.policy]]\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::photos/*\"]\n"
    );
    let dir = project(&toml(&project_name, &extra), &[("app.py", HANDLER)]);

    let doc = deploy_json(dir.path(), &[]);
    let f = &doc["functions"][0];
    let name = f["name"].as_str().unwrap().to_string();
    assert_eq!(f["action"], "created");
    assert_eq!(f["version"], "1");
    assert_eq!(f["alias"], "live");

    // The role: Lambda trust policy, basic execution, lam's tags, and an
    // inline policy granting exactly the listed secret plus the statement.
    let role_name = format!("lam-{project_name}-dev-function");
    let role = block_on(iam().get_role().role_name(&role_name).send()).unwrap();
    let role = role.role().unwrap();
    assert_eq!(f["role"], role.arn());
    let trust: Value = serde_json::from_str(&lam::aws::iam::percent_decode(
        role.assume_role_policy_document().unwrap(),
    ))
    .unwrap();
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    assert!(
        role.tags()
            .iter()
            .any(|t| t.key() == "managed-by" && t.value() == "lam")
    );
    let attached = block_on(
        iam()
            .list_attached_role_policies()
            .role_name(&role_name)
            .send(),
    )
    .unwrap();
    assert!(
        attached
            .attached_policies()
            .iter()
            .any(|p| p.policy_name() == Some("AWSLambdaBasicExecutionRole"))
    );
    let policy = inline_policy(&role_name);
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2, "{policy}");
    assert_eq!(
        statements[0]["Action"],
        serde_json::json!(["secretsmanager:GetSecretValue"])
    );
    assert_eq!(statements[0]["Resource"], serde_json::json!([secret_arn]));
    assert_eq!(statements[1]["Action"], serde_json::json!(["s3:GetObject"]));

    // The function: the role, the env with a reference to the secret and
    // never its value.
    let conf = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&name)
            .send(),
    )
    .unwrap();
    assert_eq!(conf.role(), Some(role.arn()));
    assert_eq!(conf.memory_size(), Some(256));
    let vars = conf.environment().unwrap().variables().unwrap();
    assert_eq!(vars["DB_PASSWORD_SECRET_ARN"], secret_arn);
    assert_eq!(vars["TABLE"], "orders");
    assert!(!format!("{vars:?}").contains("hunter2"));
    assert_eq!(alias_version(&name, "live"), "1");

    // A rerun with nothing changed makes read calls only.
    let rerun = rerun_calls(dir.path());
    assert!(!rerun.is_empty());
    assert_eq!(mutating(&rerun), Vec::<String>::new(), "{rerun:?}");
    assert_eq!(alias_version(&name, "live"), "1");

    // status reports version and alias.
    let status = status_json(dir.path());
    assert_eq!(status["functions"][0]["version"], "1");
    assert_eq!(status["functions"][0]["alias"], "live");
    assert_eq!(status["functions"][0]["local_code_differs"], false);
}

#[test]
fn config_and_code_changes_publish_versions_and_rollback_moves_the_alias() {
    let project_name = unique("ver");
    let dir = project(
        &toml(&project_name, "memory = 128\n"),
        &[("app.py", HANDLER)],
    );
    let first = deploy_json(dir.path(), &[]);
    let name = first["functions"][0]["name"].as_str().unwrap().to_string();
    let sha = first["functions"][0]["code_sha256"].clone();

    // Configuration only: no code upload, a new version.
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, "memory = 512\n"),
    )
    .unwrap();
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    let second_calls = calls(&out.get_output().stderr);
    assert!(
        second_calls
            .iter()
            .any(|c| c.ends_with("UpdateFunctionConfiguration"))
    );
    assert!(
        !second_calls
            .iter()
            .any(|c| c.ends_with("UpdateFunctionCode"))
    );
    assert_eq!(alias_version(&name, "live"), "2");

    // Code: uploaded, version 3.
    std::fs::write(
        dir.path().join("app.py"),
        "def lambda_handler(event, context):\n    return 3\n",
    )
    .unwrap();
    let third = deploy_json(dir.path(), &[]);
    assert_eq!(third["functions"][0]["code_changed"], true);
    assert_ne!(third["functions"][0]["code_sha256"], sha);
    assert_eq!(third["functions"][0]["version"], "3");
    assert_eq!(alias_version(&name, "live"), "3");

    // rollback: back one, then forward to a chosen version; unknown versions are refused.
    lam(dir.path())
        .arg("rollback")
        .assert()
        .success()
        .stderr(predicate::str::contains("version 3 → 2"));
    assert_eq!(alias_version(&name, "live"), "2");
    lam(dir.path())
        .args(["rollback", "--to", "1"])
        .assert()
        .success();
    assert_eq!(alias_version(&name, "live"), "1");
    lam(dir.path())
        .args(["rollback", "--to", "99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no version 99"))
        .stderr(predicate::str::contains("published versions: 1, 2, 3"));
    assert_eq!(alias_version(&name, "live"), "1");

    // A deploy after a rollback puts the current code back behind the alias,
    // and --keep-versions deletes unaliased older versions.
    let doc = deploy_json(dir.path(), &["--keep-versions", "1"]);
    let v = doc["functions"][0]["version"].as_str().unwrap().to_string();
    assert_eq!(alias_version(&name, "live"), v);
    let versions = block_on(
        lambda_client()
            .list_versions_by_function()
            .function_name(&name)
            .send(),
    )
    .unwrap();
    let numbered: Vec<&str> = versions
        .versions()
        .iter()
        .filter_map(|c| c.version())
        .filter(|v| *v != "$LATEST")
        .collect();
    assert_eq!(
        numbered,
        vec![v.as_str()],
        "only the aliased version is left"
    );
}

#[test]
fn rest_api_is_created_once_with_cors_and_a_scoped_permission() {
    let project_name = unique("rest");
    let extra = "\n[function.api]\nkind = \"rest\"\n\n[function.api.cors]\norigins = [\"https://app.example.com\"]\nmax_age = 600\n";
    let dir = project(&toml(&project_name, extra), &[("app.py", HANDLER)]);
    let doc = deploy_json(dir.path(), &[]);
    let f = &doc["functions"][0];
    let name = f["name"].as_str().unwrap().to_string();
    let api_id = f["api_id"].as_str().expect("api id").to_string();
    let url = f["url"].as_str().unwrap();
    assert!(url.contains(&api_id) && url.contains("/dev/"), "{url}");

    let apigw = aws_sdk_apigateway::Client::new(&sdk_config());
    let resources = block_on(apigw.get_resources().rest_api_id(&api_id).send()).unwrap();
    let alias_arn = format!("{}:live", f["arn"].as_str().unwrap());
    for path in ["/", "/{proxy+}"] {
        let resource = resources
            .items()
            .iter()
            .find(|r| r.path() == Some(path))
            .unwrap_or_else(|| panic!("resource {path}"));
        let integration = block_on(
            apigw
                .get_integration()
                .rest_api_id(&api_id)
                .resource_id(resource.id().unwrap())
                .http_method("ANY")
                .send(),
        )
        .unwrap();
        assert_eq!(
            integration.r#type(),
            Some(&aws_sdk_apigateway::types::IntegrationType::AwsProxy)
        );
        assert!(integration.uri().unwrap().contains(&alias_arn));
        let preflight = block_on(
            apigw
                .get_integration_response()
                .rest_api_id(&api_id)
                .resource_id(resource.id().unwrap())
                .http_method("OPTIONS")
                .status_code("200")
                .send(),
        )
        .unwrap();
        let params = preflight.response_parameters().unwrap();
        assert_eq!(
            params["method.response.header.Access-Control-Allow-Origin"],
            "'https://app.example.com'"
        );
        assert_eq!(
            params["method.response.header.Access-Control-Max-Age"],
            "'600'"
        );
    }
    block_on(
        apigw
            .get_stage()
            .rest_api_id(&api_id)
            .stage_name("dev")
            .send(),
    )
    .expect("stage dev deployed");

    // The permission lets only this API invoke the alias.
    let statements = policy_statements(&name, "live");
    let st = statements
        .iter()
        .find(|s| s["Sid"] == "lam-rest-api")
        .expect("permission");
    assert_eq!(st["Principal"]["Service"], "apigateway.amazonaws.com");
    let source = st["Condition"]["ArnLike"]["AWS:SourceArn"]
        .as_str()
        .unwrap();
    assert!(source.contains(&format!(":{api_id}/")), "{source}");

    // A rerun reuses the API and changes nothing.
    let rerun = rerun_calls(dir.path());
    assert_eq!(mutating(&rerun), Vec::<String>::new(), "{rerun:?}");
    let apis = block_on(apigw.get_rest_apis().limit(500).send()).unwrap();
    let named = apis
        .items()
        .iter()
        .filter(|a| a.name() == Some(name.as_str()))
        .count();
    assert_eq!(named, 1);

    // status shows the endpoint.
    lam(dir.path())
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains(&api_id));
}

#[test]
fn http_api_gets_routes_cors_an_auto_deployed_stage_and_a_permission() {
    let project_name = unique("http");
    let extra = "\n[function.api]\nkind = \"http\"\nroutes = [\"GET /items\", \"POST /items\"]\n\n[function.api.cors]\norigins = [\"https://a.example.com\", \"https://b.example.com\"]\nmethods = [\"GET\", \"POST\"]\ncredentials = true\n";
    let dir = project(&toml(&project_name, extra), &[("app.py", HANDLER)]);
    let doc = deploy_json(dir.path(), &[]);
    let f = &doc["functions"][0];
    let name = f["name"].as_str().unwrap().to_string();
    let api_id = f["api_id"].as_str().unwrap().to_string();
    let alias_arn = format!("{}:live", f["arn"].as_str().unwrap());

    let v2 = aws_sdk_apigatewayv2::Client::new(&sdk_config());
    let api = block_on(v2.get_api().api_id(&api_id).send()).unwrap();
    let cors = api.cors_configuration().unwrap();
    assert_eq!(cors.allow_origins().len(), 2);
    assert_eq!(cors.allow_credentials(), Some(true));
    let integrations = block_on(v2.get_integrations().api_id(&api_id).send()).unwrap();
    let integration = &integrations.items()[0];
    assert_eq!(integrations.items().len(), 1);
    assert_eq!(integration.integration_uri(), Some(alias_arn.as_str()));
    assert_eq!(integration.payload_format_version(), Some("2.0"));
    let routes = block_on(v2.get_routes().api_id(&api_id).send()).unwrap();
    let mut keys: Vec<&str> = routes
        .items()
        .iter()
        .filter_map(|r| r.route_key())
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["GET /items", "POST /items"]);
    let stages = block_on(v2.get_stages().api_id(&api_id).send()).unwrap();
    let stage = &stages.items()[0];
    assert_eq!(stage.stage_name(), Some("$default"));
    assert_eq!(stage.auto_deploy(), Some(true));
    assert!(
        policy_statements(&name, "live")
            .iter()
            .any(|s| s["Sid"] == "lam-http-api")
    );

    // Rerun: reads only. Then a route removed from lam.toml is removed.
    let rerun = rerun_calls(dir.path());
    assert_eq!(mutating(&rerun), Vec::<String>::new(), "{rerun:?}");
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, &extra.replace(", \"POST /items\"", "")),
    )
    .unwrap();
    lam(dir.path()).arg("deploy").assert().success();
    let routes = block_on(v2.get_routes().api_id(&api_id).send()).unwrap();
    let keys: Vec<&str> = routes
        .items()
        .iter()
        .filter_map(|r| r.route_key())
        .collect();
    assert_eq!(keys, vec!["GET /items"]);
}

#[test]
fn function_url_with_cors_and_public_permission_then_switch_to_none() {
    let project_name = unique("url");
    let extra = "\n[function.api]\nkind = \"url\"\nauth = \"NONE\"\n\n[function.api.cors]\norigins = [\"*\"]\nmethods = [\"GET\"]\n";
    let dir = project(&toml(&project_name, extra), &[("app.py", HANDLER)]);
    let doc = deploy_json(dir.path(), &[]);
    let f = &doc["functions"][0];
    let name = f["name"].as_str().unwrap().to_string();
    let url = block_on(
        lambda_client()
            .get_function_url_config()
            .function_name(&name)
            .qualifier("live")
            .send(),
    )
    .unwrap();
    assert_eq!(f["url"].as_str(), Some(url.function_url()));
    assert_eq!(url.auth_type().as_str(), "NONE");
    assert_eq!(url.cors().unwrap().allow_origins(), ["*"]);
    let statements = policy_statements(&name, "live");
    let st = statements.iter().find(|s| s["Sid"] == "lam-url").unwrap();
    assert_eq!(st["Action"], "lambda:InvokeFunctionUrl");
    // What lam sent, checked against the Lambda model by the validator in
    // front of moto (moto does not keep the conditions): since October 2025
    // a public URL needs both lambda:InvokeFunctionUrl with
    // FunctionUrlAuthType and lambda:InvokeFunction with
    // InvokedViaFunctionUrl (docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
    let grant = |sid: &str| {
        let found = sent("lambda", "AddPermission", |i| {
            i["FunctionName"] == name.as_str() && i["StatementId"] == sid
        });
        assert_eq!(found.len(), 1, "{sid}: {found:?}");
        found[0].clone()
    };
    let url_grant = grant("lam-url");
    assert_eq!(url_grant["Action"], "lambda:InvokeFunctionUrl");
    assert_eq!(url_grant["Principal"], "*");
    assert_eq!(url_grant["FunctionUrlAuthType"], "NONE");
    assert_eq!(url_grant["Qualifier"], "live");
    let invoke_grant = grant("lam-url-invoke");
    assert_eq!(invoke_grant["Action"], "lambda:InvokeFunction");
    assert_eq!(invoke_grant["Principal"], "*");
    assert_eq!(invoke_grant["InvokedViaFunctionUrl"], true);

    let rerun = rerun_calls(dir.path());
    assert_eq!(mutating(&rerun), Vec::<String>::new(), "{rerun:?}");

    // [api] removed: the URL and its permission go.
    std::fs::write(dir.path().join("lam.toml"), toml(&project_name, "")).unwrap();
    lam(dir.path()).arg("deploy").assert().success();
    assert!(
        block_on(
            lambda_client()
                .get_function_url_config()
                .function_name(&name)
                .qualifier("live")
                .send()
        )
        .is_err()
    );
}

#[test]
fn dry_run_on_a_deployed_function_lists_changes_and_mutates_nothing() {
    let project_name = unique("dryrun");
    let dir = project(
        &toml(&project_name, "[function.env]\nAA = \"1\"\nBB = \"2\"\n"),
        &[("app.py", HANDLER)],
    );
    let first = deploy_json(dir.path(), &[]);
    let name = first["functions"][0]["name"].as_str().unwrap().to_string();
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(
            &project_name,
            "memory = 1024\n[function.env]\nAA = \"changed-value\"\nCC = \"3\"\n[function.api]\nkind = \"rest\"\n",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "def lambda_handler(e, c):\n    return 1\n",
    )
    .unwrap();
    let out = lam(dir.path())
        .args(["deploy", "--dry-run", "-v"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(
        mutating(&calls(out.get_output().stderr.as_slice())),
        Vec::<String>::new()
    );
    assert!(stderr.contains("upload code"), "{stderr}");
    assert!(stderr.contains("memory"), "{stderr}");
    assert!(
        stderr.contains("+CC") && stderr.contains("~AA") && stderr.contains("-BB"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("changed-value"),
        "values stay hidden: {stderr}"
    );
    assert!(stderr.contains("create REST API"), "{stderr}");
    let conf = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&name)
            .send(),
    )
    .unwrap();
    assert_eq!(conf.memory_size(), Some(128));
    assert_eq!(alias_version(&name, "live"), "1");
}

#[test]
fn destroy_deletes_what_lam_created_and_keeps_the_rest() {
    let project_name = unique("destroy");
    let dir = project(
        &toml(&project_name, "[function.api]\nkind = \"http\"\n"),
        &[("app.py", HANDLER)],
    );
    let doc = deploy_json(dir.path(), &[]);
    let name = doc["functions"][0]["name"].as_str().unwrap().to_string();
    let api_id = doc["functions"][0]["api_id"].as_str().unwrap().to_string();
    let role_name = format!("lam-{project_name}-dev-function");
    // A foreign API with the same name, not made by lam.
    let v2 = aws_sdk_apigatewayv2::Client::new(&sdk_config());
    let foreign = block_on(
        v2.create_api()
            .name(&name)
            .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
            .send(),
    )
    .unwrap();

    // Without a terminal and without --yes nothing is deleted.
    lam(dir.path())
        .arg("destroy")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert!(block_on(lambda_client().get_function().function_name(&name).send()).is_ok());

    lam(dir.path())
        .args(["destroy", "--yes", "--logs"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("function {name}")))
        .stderr(predicate::str::contains(format!("IAM role {role_name}")));
    assert!(block_on(lambda_client().get_function().function_name(&name).send()).is_err());
    assert!(block_on(iam().get_role().role_name(&role_name).send()).is_err());
    assert!(block_on(v2.get_api().api_id(&api_id).send()).is_err());
    assert!(block_on(v2.get_api().api_id(foreign.api_id().unwrap()).send()).is_ok());
    // The shared test role was never lam's.
    assert!(block_on(iam().get_role().role_name(ROLE_NAME).send()).is_ok());

    // Nothing left: a second destroy says so.
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing"));
}

#[test]
fn destroy_keeps_a_function_lam_did_not_create() {
    let name = unique("foreign");
    let zip = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file("app.py", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, HANDLER.as_bytes()).unwrap();
        w.finish().unwrap();
        buf.into_inner()
    };
    block_on(
        lambda_client()
            .create_function()
            .function_name(&name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(ROLE_ARN)
            .handler("app.lambda_handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(zip))
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let dir = project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nrole = \"{ROLE_ARN}\"\n"
        ),
        &[("app.py", HANDLER)],
    );
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("not created by lam"));
    assert!(block_on(lambda_client().get_function().function_name(&name).send()).is_ok());
}

#[test]
fn bad_roles_api_ids_and_secrets_fail_before_any_change() {
    let project_name = unique("bad");
    let cases: Vec<(String, &str)> = vec![
        (
            "role = \"arn:aws:iam::123456789012:role/no-such-role\"\n".to_string(),
            "does not exist",
        ),
        (
            "[function.api]\nkind = \"rest\"\nid = \"nosuchapi1\"\n".to_string(),
            "does not exist",
        ),
        (
            "[function.api]\nkind = \"http\"\nid = \"nosuchapi2\"\n".to_string(),
            "does not exist",
        ),
        (
            "[function.secrets]\nAPI_KEY = \"nowhere/API_KEY\"\n".to_string(),
            "lam secrets set API_KEY",
        ),
    ];
    for (extra, expected) in cases {
        let dir = project(&toml(&project_name, &extra), &[("app.py", HANDLER)]);
        lam(dir.path())
            .arg("deploy")
            .assert()
            .code(3)
            .stderr(predicate::str::contains(expected))
            .stderr(predicate::str::contains("hint:"));
        // Found out before anything was created.
        let name = format!("{project_name}-dev");
        assert!(
            block_on(lambda_client().get_function().function_name(&name).send()).is_err(),
            "{extra}"
        );
        let role = format!("lam-{project_name}-dev-function");
        assert!(
            block_on(iam().get_role().role_name(&role).send()).is_err(),
            "{extra}"
        );
    }

    // A role Lambda may not assume.
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let ec2_role = block_on(
        iam()
            .create_role()
            .role_name(unique("ec2-role"))
            .assume_role_policy_document(trust)
            .send(),
    )
    .unwrap();
    let dir = project(
        &toml(
            &unique("ec2"),
            &format!("role = \"{}\"\n", ec2_role.role().unwrap().arn()),
        ),
        &[("app.py", HANDLER)],
    );
    lam(dir.path())
        .arg("deploy")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("does not let Lambda assume it"));

    // A stage not in lam.toml.
    lam(dir.path())
        .args(["deploy", "--stage", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stage \"nope\" is not defined"));
}

#[test]
fn several_functions_deploy_concurrently_and_every_failure_is_reported() {
    let project_name = unique("multi");
    let body = format!(
        "[project]\nname = \"{project_name}\"\n\n[functions.one]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[functions.two]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[functions.three]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n"
    );
    let dir = project(&body, &[("app.py", HANDLER)]);
    let doc = deploy_json(dir.path(), &[]);
    let names: Vec<&str> = doc["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3);
    for name in &names {
        assert_eq!(alias_version(name, "live"), "1");
    }
    // Two broken, one fine: both failures named.
    let broken = body
        .replace(
            "[functions.one]\n",
            "[functions.one]\nrole = \"arn:aws:iam::123456789012:role/missing-one\"\n",
        )
        .replace(
            "[functions.three]\n",
            "[functions.three]\nrole = \"arn:aws:iam::123456789012:role/missing-three\"\n",
        );
    std::fs::write(dir.path().join("lam.toml"), broken).unwrap();
    lam(dir.path())
        .arg("deploy")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("one: the role"))
        .stderr(predicate::str::contains("three: the role"));
}

#[test]
fn env_values_are_filled_from_the_shell_and_env_files_only_when_asked() {
    let project_name = unique("interp");
    let extra = "[function.env]\nDB_URL = \"pg://${INTERP_HOST}:${INTERP_PORT:-5432}/shop\"\nLITERAL = \"$${NOT_A_VAR}\"\n";
    let dir = project(
        &toml(&project_name, extra),
        &[
            ("app.py", HANDLER),
            (".env", "FROM_DOTENV=never-deployed\n"),
            ("prod.env", "FROM_FILE=deployed\nLITERAL=lam.toml-wins\n"),
        ],
    );
    // An unset variable stops the deploy before any call, naming it.
    lam(dir.path())
        .args(["deploy", "-v"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "uses ${INTERP_HOST}, which is not set",
        ))
        .stderr(predicate::str::contains("aws:").not());

    let doc = {
        let out = lam(dir.path())
            .env("INTERP_HOST", "db.internal")
            .args(["deploy", "--env-file", "prod.env", "--output", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<Value>(&out).unwrap()
    };
    let name = doc["functions"][0]["name"].as_str().unwrap();
    let conf = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(name)
            .send(),
    )
    .unwrap();
    let vars = conf.environment().unwrap().variables().unwrap();
    assert_eq!(vars["DB_URL"], "pg://db.internal:5432/shop");
    assert_eq!(vars["LITERAL"], "${NOT_A_VAR}");
    assert_eq!(vars["FROM_FILE"], "deployed");
    assert!(
        !vars.contains_key("FROM_DOTENV"),
        ".env is for local runs only"
    );

    // env diff sees no difference once the same inputs are given.
    lam(dir.path())
        .env("INTERP_HOST", "db.internal")
        .args(["env", "diff"])
        .assert()
        .success()
        .stdout(predicate::str::contains("DB_URL").not());
}

/// `ephemeral_storage` and `tracing` are validated before any call, created
/// with the function, shown by status, and removable: back to 512 MB and
/// PassThrough through UpdateFunctionConfiguration. (moto keeps what
/// CreateFunction sets but ignores these two in UpdateFunctionConfiguration,
/// moto-server.md: the update is checked in what lam sent.)
#[test]
fn ephemeral_storage_and_tracing_round_trip_and_are_removable() {
    let project_name = unique("tmpsize");
    for (bad, says) in [
        (
            "ephemeral_storage = 256\n",
            "ephemeral_storage = 256 is outside",
        ),
        (
            "tracing = \"on\"\n",
            "tracing = \"on\" is not an X-Ray tracing mode",
        ),
    ] {
        let dir = project(&toml(&project_name, bad), &[("app.py", HANDLER)]);
        refused_before_any_call(dir.path(), says);
    }

    let dir = project(
        &toml(
            &project_name,
            "ephemeral_storage = 2048\ntracing = \"active\"\n",
        ),
        &[("app.py", HANDLER)],
    );
    let doc = deploy_json(dir.path(), &[]);
    let name = doc["functions"][0]["name"].as_str().unwrap().to_string();
    let conf = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&name)
            .send(),
    )
    .unwrap();
    assert_eq!(conf.ephemeral_storage().map(|e| e.size()), Some(2048));
    assert_eq!(
        conf.tracing_config()
            .and_then(|t| t.mode())
            .map(|m| m.as_str()),
        Some("Active")
    );
    assert!(
        mutating(&rerun_calls(dir.path())).is_empty(),
        "a rerun only reads"
    );
    let status = status_json(dir.path());
    assert_eq!(
        status["functions"][0]["ephemeral_storage"], 2048,
        "{status}"
    );
    assert_eq!(status["functions"][0]["tracing"], "Active");

    // Removed from lam.toml: the defaults are sent.
    std::fs::write(dir.path().join("lam.toml"), toml(&project_name, "")).unwrap();
    let out = lam(dir.path())
        .args(["deploy", "--dry-run"])
        .assert()
        .success();
    let plan = String::from_utf8_lossy(&out.get_output().stdout).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        plan.contains("ephemeral_storage 2048 → 512")
            && plan.contains("tracing Active → PassThrough"),
        "{plan}"
    );
    lam(dir.path()).arg("deploy").assert().success();
    let updates = sent("lambda", "UpdateFunctionConfiguration", |input| {
        input["FunctionName"] == name.as_str()
            && input["EphemeralStorage"]["Size"] == 512
            && input["TracingConfig"]["Mode"] == "PassThrough"
    });
    assert_eq!(updates.len(), 1, "{updates:?}");
}

/// `reserved_concurrency` is set with PutFunctionConcurrency (no new
/// version), read back, shown by status, and removed with
/// DeleteFunctionConcurrency when lam.toml drops it.
#[test]
fn reserved_concurrency_is_set_read_back_and_removed() {
    let project_name = unique("reserved");
    let dir = project(
        &toml(&project_name, "reserved_concurrency = -1\n"),
        &[("app.py", HANDLER)],
    );
    refused_before_any_call(dir.path(), "reserved_concurrency = -1");
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, "reserved_concurrency = 5\n"),
    )
    .unwrap();
    let doc = deploy_json(dir.path(), &[]);
    let name = doc["functions"][0]["name"].as_str().unwrap().to_string();
    let reserved = || {
        block_on(
            lambda_client()
                .get_function_concurrency()
                .function_name(&name)
                .send(),
        )
        .unwrap()
        .reserved_concurrent_executions()
    };
    assert_eq!(reserved(), Some(5));
    assert!(
        mutating(&rerun_calls(dir.path())).is_empty(),
        "a rerun only reads"
    );
    let status = status_json(dir.path());
    assert_eq!(
        status["functions"][0]["reserved_concurrency"], 5,
        "{status}"
    );

    std::fs::write(dir.path().join("lam.toml"), toml(&project_name, "")).unwrap();
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    let changed = mutating(&calls(&out.get_output().stderr));
    assert!(
        changed
            .iter()
            .any(|c| c.contains("DeleteFunctionConcurrency"))
            && !changed.iter().any(|c| c.contains("PublishVersion")),
        "{changed:?}"
    );
    assert_eq!(reserved(), None);
}

/// `provisioned_concurrency` goes on the alias with
/// PutProvisionedConcurrencyConfig once the alias points at the new
/// version. moto has no provisioned concurrency API (it answers a bare 404,
/// moto-server.md), so AWS's acceptance is checked on the request: the
/// validating proxy holds it to Lambda's model (Qualifier, at least 1
/// execution) before moto refuses it, and lam reports that refusal in two
/// lines. Combinations AWS refuses are refused before any call.
#[test]
fn provisioned_concurrency_is_put_on_the_alias_after_it_moves() {
    let project_name = unique("provisioned");
    let dir = project(
        &toml(&project_name, "provisioned_concurrency = 0\n"),
        &[("app.py", HANDLER)],
    );
    refused_before_any_call(dir.path(), "provisioned_concurrency = 0");
    let write = |extra: &str| {
        std::fs::write(dir.path().join("lam.toml"), toml(&project_name, extra)).unwrap()
    };
    write("provisioned_concurrency = 6\nreserved_concurrency = 5\n");
    refused_before_any_call(dir.path(), "more than reserved_concurrency = 5");
    write("provisioned_concurrency = 2\nsnapstart = true\n");
    refused_before_any_call(dir.path(), "snapstart = true with provisioned_concurrency");

    write("provisioned_concurrency = 2\n");
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("PutProvisionedConcurrencyConfig")
            && stderr.contains("has no provisioned concurrency API"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let order = calls(&out.get_output().stderr);
    let at = |op: &str| order.iter().position(|c| c.contains(op));
    assert!(
        at("CreateAlias").is_some() && at("CreateAlias") < at("PutProvisionedConcurrencyConfig"),
        "the alias exists before its provisioned concurrency: {order:?}"
    );
    let name = format!("{project_name}-dev");
    let puts = sent("lambda", "PutProvisionedConcurrencyConfig", |input| {
        input["FunctionName"] == name.as_str()
            && input["Qualifier"] == "live"
            && input["ProvisionedConcurrentExecutions"] == 2
    });
    assert_eq!(puts.len(), 1, "{puts:?}");

    // Without the key, an endpoint that has no such API has nothing to
    // remove: deploy goes through and status says the state is unknown.
    write("");
    lam(dir.path()).arg("deploy").assert().success();
    let status = lam(dir.path()).arg("status").assert().success();
    let text = String::from_utf8_lossy(&status.get_output().stdout).to_string();
    assert!(text.contains("provisioned concurrency: unknown"), "{text}");
}

/// `[function.logging]`: levels without the JSON format are refused before
/// any call; with JSON, CreateFunction carries the LoggingConfig (the
/// request is checked against Lambda's model by the validating proxy).
/// moto drops LoggingConfig (moto-server.md), so AWS's side is not read back.
#[test]
fn logging_config_is_validated_and_sent() {
    let project_name = unique("logcfg");
    let dir = project(
        &toml(
            &project_name,
            "[function.logging]\napplication_log_level = \"DEBUG\"\n",
        ),
        &[("app.py", HANDLER)],
    );
    refused_before_any_call(dir.path(), "only for JSON logs");

    std::fs::write(
        dir.path().join("lam.toml"),
        toml(
            &project_name,
            "[function.logging]\nformat = \"json\"\napplication_log_level = \"debug\"\nlog_group = \"/shop/orders\"\n",
        ),
    )
    .unwrap();
    let doc = deploy_json(dir.path(), &[]);
    let name = doc["functions"][0]["name"].as_str().unwrap().to_string();
    let created = sent("lambda", "CreateFunction", |input| {
        input["FunctionName"] == name.as_str()
    });
    assert_eq!(created.len(), 1, "{created:?}");
    let config = &created[0]["LoggingConfig"];
    assert_eq!(config["LogFormat"], "JSON", "{config}");
    assert_eq!(config["ApplicationLogLevel"], "DEBUG");
    assert_eq!(config["SystemLogLevel"], "INFO");
    assert_eq!(config["LogGroup"], "/shop/orders");
}

/// `snapstart = true` is refused for a runtime without SnapStart and with
/// more than 512 MB of /tmp, before any call; otherwise CreateFunction asks
/// for it on published versions (moto reports SnapStart off whatever it is
/// given, so the request is what is checked, against Lambda's model too).
#[test]
fn snapstart_is_validated_and_sent() {
    let project_name = unique("snap");
    for (extra, says) in [
        (
            "snapstart = true\nephemeral_storage = 1024\n",
            "SnapStart allows at most 512 MB",
        ),
        (
            "snapstart = true\nruntime = \"nodejs22.x\"\n",
            "no SnapStart for nodejs22.x",
        ),
    ] {
        let toml_text = toml(&project_name, extra).replace(
            "runtime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nsnapstart = true\nruntime = \"nodejs22.x\"\n",
            "runtime = \"nodejs22.x\"\nhandler = \"index.handler\"\nsnapstart = true\n",
        );
        let dir = project(
            &toml_text,
            &[
                ("app.py", HANDLER),
                ("index.mjs", "export const handler = async () => 1;\n"),
            ],
        );
        refused_before_any_call(dir.path(), says);
    }
    let dir = project(
        &toml(&project_name, "snapstart = true\n"),
        &[("app.py", HANDLER)],
    );
    let doc = deploy_json(dir.path(), &[]);
    let name = doc["functions"][0]["name"].as_str().unwrap().to_string();
    let created = sent("lambda", "CreateFunction", |input| {
        input["FunctionName"] == name.as_str()
    });
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["SnapStart"]["ApplyOn"], "PublishedVersions");
}

/// `tracing = "active"` needs X-Ray's two actions on the execution role
/// ("Using AWS Lambda with AWS X-Ray", Lambda guide: AWSXRayDaemonWriteAccess):
/// lam's role gets them; a named role gets a warning. System logs at WARN
/// drop REPORT lines: deploy says so.
#[test]
fn active_tracing_gets_its_permissions_and_quiet_system_logs_a_warning() {
    let project_name = unique("traced");
    let dir = project(
        &format!(
            "[project]\nname = \"{project_name}\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\ntracing = \"active\"\n[function.logging]\nformat = \"JSON\"\nsystem_log_level = \"WARN\"\n"
        ),
        &[("app.py", "def h(e, c):\n    return 1\n")],
    );
    lam(dir.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "system_log_level = \"WARN\" drops Lambda's REPORT lines",
        ));
    let role_name = format!("lam-{project_name}-dev-function");
    let policy = inline_policy(&role_name);
    let tracing = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "LamTracing")
        .unwrap_or_else(|| panic!("no X-Ray statement: {policy}"));
    assert_eq!(
        tracing["Action"],
        serde_json::json!(["xray:PutTraceSegments", "xray:PutTelemetryRecords"])
    );
    // lam stats then finds no REPORT lines, and says why.
    create_log_group(&format!("/aws/lambda/{project_name}-dev"));
    lam(dir.path())
        .args(["stats", "--since", "1h"])
        .assert()
        .success()
        .stdout(predicates::str::contains("no REPORT lines"))
        .stderr(predicates::str::contains(
            "logs system events at WARN, which drops the REPORT lines lam stats reads",
        ));
    // A role of the user's own: lam cannot add them, and says so.
    lam(dir.path())
        .args(["deploy", "--dry-run", "--role", ROLE_ARN])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "needs xray:PutTraceSegments and xray:PutTelemetryRecords on the role you named",
        ));
}

/// AWS keeps at least 100 executions unreserved per account ("Lambda
/// function scaling"): a reservation that would leave fewer is refused
/// before any change, from GetAccountSettings (stubbed: moto has no such
/// API), not after `$LATEST` was updated.
#[test]
fn a_reservation_beyond_the_accounts_headroom_is_refused_before_any_change() {
    for path in [
        "/2016-08-19/account-settings/",
        "/2016-08-19/account-settings",
    ] {
        let stub = serde_json::json!({
            "method": "GET", "path": path, "status": 200,
            "body": {"AccountLimit": {"ConcurrentExecutions": 1000, "UnreservedConcurrentExecutions": 150},
                     "AccountUsage": {"FunctionCount": 1}}
        });
        crate::common::stub(&stub);
    }
    let project_name = unique("headroom");
    let dir = project(
        &toml(&project_name, "reserved_concurrency = 60\n"),
        &[("app.py", HANDLER)],
    );
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("reserved_concurrency = 60 would leave fewer than 100 unreserved executions in the account (150 unreserved now)"),
        "{stderr}"
    );
    assert!(stderr.contains("reserve at most 50"), "{stderr}");
    let calls = calls(out.get_output().stderr.as_slice());
    assert!(
        calls.iter().any(|c| c == "Lambda.GetAccountSettings"),
        "{calls:?}"
    );
    assert!(mutating(&calls).is_empty(), "changed something: {calls:?}");
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, "reserved_concurrency = 50\n"),
    )
    .unwrap();
    lam(dir.path()).arg("deploy").assert().success();
}

/// With SnapStart a published version is Pending while its snapshot is
/// taken and serves nothing until Active; it may end Failed ("Lambda
/// SnapStart and function states", Lambda guide). moto makes every version
/// Active at once, so the version's states are stubbed: the alias moves
/// only once the version is Active, and a Failed one leaves it where it
/// was, with the reason.
#[test]
fn a_snapstart_version_is_served_only_once_it_is_active() {
    let project_name = unique("snapwait");
    let name = format!("{project_name}-dev");
    let stub = |version: &str, states: &[(&str, &str, &str)]| {
        let bodies: Vec<Value> = states
            .iter()
            .map(|(state, code, reason)| {
                serde_json::json!({"FunctionName": name, "Version": version, "State": state,
                                   "StateReasonCode": code, "StateReason": reason})
            })
            .collect();
        let stub = serde_json::json!({
            "method": "GET",
            "path": format!("/2015-03-31/functions/{name}/configuration?Qualifier={version}"),
            "status": 200, "bodies": bodies,
        });
        crate::common::stub(&stub);
    };
    stub(
        "1",
        &[
            ("Pending", "Creating", "taking the snapshot"),
            ("Pending", "Creating", "taking the snapshot"),
            ("Active", "Idle", ""),
        ],
    );
    let dir = project(
        &toml(&project_name, "snapstart = true\n"),
        &[("app.py", HANDLER)],
    );
    lam(dir.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "Waiting for SnapStart to snapshot version 1 of {name} before live moves to it"
        )));
    assert_eq!(alias_version(&name, "live"), "1");

    stub(
        "2",
        &[(
            "Failed",
            "FunctionError",
            "the snapshot's init raised ValueError",
        )],
    );
    std::fs::write(dir.path().join("app.py"), format!("{HANDLER}\n# changed\n")).unwrap();
    lam(dir.path())
        .arg("deploy")
        .assert()
        .code(4)
        .stderr(predicate::str::contains(format!(
            "version 2 of {name} did not become Active: FunctionError: the snapshot's init raised ValueError"
        )))
        .stderr(predicate::str::contains("the alias stays on the version it served"));
    assert_eq!(
        alias_version(&name, "live"),
        "1",
        "a failed snapshot is never served"
    );
}

/// A version the alias routes part of its traffic to (a weighted alias, as
/// a canary deploy leaves it) is served: --keep-versions never deletes it.
#[test]
fn keep_versions_spares_a_version_the_alias_routes_to() {
    let project_name = unique("weights");
    let name = format!("{project_name}-dev");
    let dir = project(&toml(&project_name, ""), &[("app.py", HANDLER)]);
    for i in 0..3 {
        std::fs::write(dir.path().join("app.py"), format!("{HANDLER}# {i}\n")).unwrap();
        deploy_json(dir.path(), &[]);
    }
    assert_eq!(alias_version(&name, "live"), "3");
    // Someone shifts a tenth of live's traffic back to version 1.
    block_on(
        lambda_client()
            .update_alias()
            .function_name(&name)
            .name("live")
            .routing_config(
                aws_sdk_lambda::types::AliasRoutingConfiguration::builder()
                    .additional_version_weights("1", 0.1)
                    .build(),
            )
            .send(),
    )
    .unwrap();
    std::fs::write(dir.path().join("app.py"), format!("{HANDLER}# 3\n")).unwrap();
    deploy_json(dir.path(), &["--keep-versions", "1"]);
    let versions: Vec<String> = block_on(
        lambda_client()
            .list_versions_by_function()
            .function_name(&name)
            .send(),
    )
    .unwrap()
    .versions()
    .iter()
    .filter_map(|v| v.version().map(str::to_string))
    .collect();
    assert!(
        versions.contains(&"1".to_string()),
        "the weighted version was deleted: {versions:?}"
    );
    assert!(!versions.contains(&"2".to_string()), "{versions:?}");
    assert!(versions.contains(&"4".to_string()), "{versions:?}");
}

/// One deploy of a function at a time, whichever machine runs it: the lock
/// is an SSM parameter per function created only when it does not exist (a conditional
/// write SSM arbitrates), taken only when there is something to change. A deploy elsewhere holding it stops this one
/// before any change; one older than 15 minutes, or of a process of this
/// machine that is no longer running, is taken over and said so; the lock
/// is gone when the deploy ends.
#[test]
fn a_deploy_lock_keeps_two_deploys_of_a_stage_apart() {
    let project_name = unique("locked");
    let dir = project(&toml(&project_name, ""), &[("app.py", HANDLER)]);
    let name = format!("/lam/locks/{project_name}-dev");
    let ssm = aws_sdk_ssm::Client::new(&sdk_config());
    let hold = |holder: &str, age: u64| {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            - age;
        block_on(
            ssm.put_parameter()
                .name(&name)
                .value(format!("{holder} since {since} token 1"))
                .r#type(aws_sdk_ssm::types::ParameterType::String)
                .overwrite(true)
                .send(),
        )
        .unwrap();
    };
    let exists = || block_on(ssm.get_parameter().name(&name).send()).is_ok();
    // CI, elsewhere, deploying now.
    hold("ci@runner-7 (lam deploy, pid 4242)", 30);
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().code(4);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!(
            "another deploy of {project_name}-dev is under way: ci@runner-7 (lam deploy, pid 4242)"
        )),
        "{stderr}"
    );
    assert!(
        !calls(out.get_output().stderr.as_slice())
            .iter()
            .any(|c| c.starts_with("Lambda.Create") || c.starts_with("IAM.Create")),
        "changed something: {stderr}"
    );
    assert!(exists(), "the other deploy's lock stays");
    // The same holder, 20 minutes on: a deploy that died.
    hold("ci@runner-7 (lam deploy, pid 4242)", 20 * 60);
    lam(dir.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicate::str::contains("took over the deploy lock"))
        .stderr(predicate::str::contains("stopped without releasing it"));
    assert!(!exists(), "released when the deploy ended");
    // Nothing to change: no lock call at all (an unchanged deploy is no
    // slower for the lock).
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    assert!(!String::from_utf8_lossy(&out.get_output().stderr).contains("deploy lock"));
    assert!(
        !calls(&out.get_output().stderr)
            .iter()
            .any(|c| c.starts_with("SSM.")),
        "an unchanged deploy took the lock"
    );
    assert!(!exists());
    // A change, without another deploy: taken and released, said nothing.
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, "memory = 256\n"),
    )
    .unwrap();
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    assert!(!String::from_utf8_lossy(&out.get_output().stderr).contains("deploy lock"));
    let made = calls(&out.get_output().stderr);
    assert_eq!(
        made.iter().filter(|c| *c == "SSM.PutParameter").count(),
        1,
        "{made:?}"
    );
    assert!(!exists());
}

/// IAM is global: the same project deployed to several regions runs as
/// one role. Each region that runs it has its own tag on it
/// (`lam:region/<region>`, added or removed alone: two regions deploying
/// at once cannot drop each other's, as the single `lam:regions` list an
/// older lam wrote could). Destroying one region keeps the role the other
/// regions' functions run as, and the last destroy deletes it; the inline
/// policy names every region's parameter, so the regions' deploys write
/// the same policy instead of rewriting it in turn.
#[test]
fn a_role_regions_share_outlives_one_regions_destroy() {
    let project_name = unique("regions");
    let dir = project(&toml(&project_name, ""), &[("app.py", HANDLER)]);
    let role = format!("lam-{project_name}-dev-function");
    let tags = || -> Option<Vec<(String, String)>> {
        let out = block_on(iam().list_role_tags().role_name(&role).send()).ok()?;
        let mut tags: Vec<(String, String)> = out
            .tags()
            .iter()
            .filter(|t| t.key().starts_with("lam:region"))
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        tags.sort();
        Some(tags)
    };
    let regions = || -> Vec<String> {
        match tags() {
            Some(tags) => tags
                .into_iter()
                .filter_map(|(k, _)| k.strip_prefix("lam:region/").map(str::to_string))
                .collect(),
            None => vec!["(deleted)".to_string()],
        }
    };
    let deploy = |region: &str| {
        lam(dir.path())
            .env("AWS_REGION", region)
            .arg("deploy")
            .assert()
            .success();
    };
    deploy("us-east-1");
    // As an older lam left it: one tag listing the regions.
    block_on(
        iam()
            .untag_role()
            .role_name(&role)
            .tag_keys("lam:region/us-east-1")
            .send(),
    )
    .unwrap();
    block_on(
        iam()
            .tag_role()
            .role_name(&role)
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key("lam:regions")
                    .value("us-east-1")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    deploy("us-west-2");
    assert_eq!(
        regions(),
        ["us-east-1", "us-west-2"],
        "folded into per-region tags"
    );
    assert!(
        !tags().unwrap().iter().any(|(k, _)| k == "lam:regions"),
        "the old list is gone"
    );
    // Two regions deploying at once, each having read the same role.
    std::thread::scope(|s| {
        s.spawn(|| deploy("eu-west-1"));
        s.spawn(|| deploy("ap-south-1"));
    });
    assert_eq!(
        regions(),
        ["ap-south-1", "eu-west-1", "us-east-1", "us-west-2"]
    );
    for region in ["us-east-1", "eu-west-1", "ap-south-1"] {
        lam(dir.path())
            .env("AWS_REGION", region)
            .args(["destroy", "--yes"])
            .assert()
            .success();
    }
    assert_eq!(
        regions(),
        ["us-west-2"],
        "us-west-2's function still runs as it"
    );
    lam(dir.path())
        .env("AWS_REGION", "us-west-2")
        .args(["destroy", "--yes"])
        .assert()
        .success();
    assert_eq!(regions(), ["(deleted)"]);
}

/// A project of many functions is read in bulk: lam's roles with their
/// policies in one IAM GetAccountAuthorizationDetails listing, the
/// region's event source mappings and lam's schedule rules in one listing
/// each, instead of three IAM calls, one ListEventSourceMappings and one
/// ListRules per function. What the bulk reads hold must be what the
/// per-function reads held: an unchanged deploy changes nothing and takes
/// no lock; a change to one function takes that function's lock only; a
/// removed SQS trigger is still found and its mapping deleted; destroy
/// finds every role. (Moto lists a mapping made on an alias under the
/// version it resolves to, AWS under the alias: both are read.)
#[test]
fn many_functions_are_read_in_bulk_with_the_same_plan() {
    let project_name = unique("bulk");
    let queue = unique("bulkq");
    let queue_arn = create_queue(&queue);
    let fn_toml = |memory_c: u32, with_queue: bool| {
        let mut t = format!("[project]\nname = \"{project_name}\"\n");
        for key in ["a", "b", "c", "d", "e"] {
            t.push_str(&format!(
                "\n[functions.{key}]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n"
            ));
            match key {
                "a" if with_queue => t.push_str(&format!(
                    "[[functions.a.triggers]]\ntype = \"sqs\"\nqueue = \"{queue}\"\n"
                )),
                "b" => t.push_str(
                    "[[functions.b.triggers]]\ntype = \"schedule\"\nexpression = \"rate(5 minutes)\"\n",
                ),
                "c" => t.push_str(&format!("memory = {memory_c}\n")),
                "e" => t.push_str("[functions.e.api]\nkind = \"url\"\n"),
                _ => {}
            }
        }
        t
    };
    let dir = project(&fn_toml(256, true), &[("app.py", HANDLER)]);
    let count = |calls: &[String], op: &str| calls.iter().filter(|c| *c == op).count();
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    let first = calls(&out.get_output().stderr);
    assert_eq!(
        count(&first, "IAM.GetAccountAuthorizationDetails"),
        1,
        "{first:?}"
    );
    assert_eq!(count(&first, "IAM.GetRole"), 0, "{first:?}");
    assert_eq!(
        count(&first, "STS.GetCallerIdentity"),
        1,
        "asked once: {first:?}"
    );
    let mapped = |fname: &str| {
        block_on(lambda_client().list_event_source_mappings().send())
            .unwrap()
            .event_source_mappings()
            .iter()
            .filter(|m| {
                m.function_arn()
                    .is_some_and(|f| f.contains(&format!(":function:{fname}:")))
                    && m.event_source_arn() == Some(queue_arn.as_str())
            })
            .count()
    };
    let a = format!("{project_name}-dev-a");
    assert_eq!(mapped(&a), 1);

    // Unchanged: reads only, in bulk, and no lock.
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    let again = calls(&out.get_output().stderr);
    assert!(
        again.iter().all(|c| ["Get", "List"].iter().any(|r| c
            .split('.')
            .nth(1)
            .unwrap()
            .starts_with(r))),
        "an unchanged deploy wrote: {again:?}"
    );
    assert!(!again.iter().any(|c| c.starts_with("SSM.")), "{again:?}");
    assert_eq!(count(&again, "IAM.GetAccountAuthorizationDetails"), 1);
    assert_eq!(
        count(&again, "IAM.GetRole") + count(&again, "IAM.GetRolePolicy"),
        0
    );
    assert_eq!(count(&again, "EventBridge.ListRules"), 1, "{again:?}");
    // The listing of all, then the alias's own for the one function that
    // has a mapping.
    assert_eq!(
        count(&again, "Lambda.ListEventSourceMappings"),
        2,
        "{again:?}"
    );
    assert_eq!(count(&again, "Lambda.GetAlias"), 0, "{again:?}");
    assert_eq!(mapped(&a), 1, "no second mapping");
    let status = status_json(dir.path());
    assert_eq!(status["in_sync"], true, "{status}");

    // One function changed: its lock only, and only it is updated.
    std::fs::write(dir.path().join("lam.toml"), fn_toml(512, true)).unwrap();
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    let changed = calls(&out.get_output().stderr);
    assert_eq!(count(&changed, "SSM.PutParameter"), 1, "{changed:?}");
    assert_eq!(
        count(&changed, "Lambda.UpdateFunctionConfiguration"),
        1,
        "{changed:?}"
    );
    let c = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(format!("{project_name}-dev-c"))
            .send(),
    )
    .unwrap();
    assert_eq!(c.memory_size(), Some(512));

    // The SQS trigger removed: found through the bulk listing, deleted.
    std::fs::write(dir.path().join("lam.toml"), fn_toml(512, false)).unwrap();
    lam(dir.path()).arg("deploy").assert().success();
    assert_eq!(mapped(&a), 0, "the removed trigger's mapping is gone");

    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
    for key in ["a", "b", "c", "d", "e"] {
        let role = format!("lam-{project_name}-dev-{key}");
        assert!(
            block_on(iam().get_role().role_name(&role).send()).is_err(),
            "{role} was left"
        );
    }
}

/// Before the first change, IAM's policy simulator is asked about every
/// call the plan will make (SimulatePrincipalPolicy, for the caller's own
/// principal), so that a deploy never stops half-way for a missing
/// permission. moto has no simulator: the validating proxy stands in for
/// it over moto's IAM state (tests/support/policy_simulator.py), and checks
/// lam's request against IAM's model like any other. The deployer here is
/// a moto IAM user with a narrow policy, as a CI user would be.
#[test]
fn a_deploy_missing_a_permission_is_refused_before_any_change() {
    let project_name = unique("preflight");
    let user = unique("deployer");
    let dir = project(
        &toml(&project_name, "\n[function.api]\nkind = \"url\"\n"),
        &[("app.py", HANDLER)],
    );
    let iam = iam();
    block_on(iam.create_user().user_name(&user).send()).unwrap();
    let key = block_on(iam.create_access_key().user_name(&user).send())
        .unwrap()
        .access_key
        .unwrap();
    let policy = |statements: Value| {
        block_on(
            iam.put_user_policy()
                .user_name(&user)
                .policy_name("deploy")
                .policy_document(
                    serde_json::json!({"Version": "2012-10-17", "Statement": statements})
                        .to_string(),
                )
                .send(),
        )
        .unwrap();
    };
    let deploy = |args: &[&str]| {
        lam(dir.path())
            .env("AWS_ACCESS_KEY_ID", key.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", key.secret_access_key())
            .args(["deploy", "-v"])
            .args(args)
            .assert()
    };
    // Everything a deploy calls but iam:PassRole, and the URL's permission
    // explicitly denied.
    let narrow = serde_json::json!([
        {"Effect": "Allow", "Action": ["lambda:*", "iam:Get*", "iam:List*", "iam:CreateRole",
            "iam:TagRole", "iam:AttachRolePolicy", "iam:PutRolePolicy",
            "iam:SimulatePrincipalPolicy", "sts:GetCallerIdentity", "ssm:*", "events:*"],
         "Resource": "*"},
        {"Effect": "Deny", "Action": "lambda:AddPermission", "Resource": "*"}
    ]);
    policy(narrow.clone());
    let out = deploy(&[]).code(4);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let role = format!("arn:aws:iam::123456789012:role/lam-{project_name}-dev-function");
    assert!(
        stderr.contains(&format!(
            "error: the credentials may not call iam:PassRole on {role}\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("the credentials may not call lambda:AddPermission on arn:aws:lambda:us-east-1:123456789012:function:")
            && stderr.contains("(an explicit Deny)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "nothing was changed; grant arn:aws:iam::123456789012:user/{user} these actions"
        )),
        "{stderr}"
    );
    let made = calls(&out.get_output().stderr);
    assert!(
        made.contains(&"IAM.SimulatePrincipalPolicy".to_string()),
        "{made:?}"
    );
    assert!(mutating(&made).is_empty(), "changed something: {made:?}");
    assert!(
        !stderr.contains("lambda:CreateFunction on"),
        "an allowed action was reported: {stderr}"
    );

    // Granted: the deploy goes through.
    let mut granted = narrow.as_array().unwrap()[..1].to_vec();
    granted
        .push(serde_json::json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": role}));
    policy(Value::Array(granted.clone()));
    deploy(&[]).success();

    // A caller who may not simulate: said, and the deploy goes on.
    granted[0]["Action"] = serde_json::json!([
        "lambda:*",
        "iam:Get*",
        "iam:List*",
        "iam:PutRolePolicy",
        "sts:GetCallerIdentity",
        "ssm:*",
        "events:*"
    ]);
    policy(Value::Array(granted));
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(
            &project_name,
            "memory = 256\n\n[function.api]\nkind = \"url\"\n",
        ),
    )
    .unwrap();
    deploy(&[]).success().stderr(predicate::str::contains(
        "note: permissions not checked before the first change: the credentials may not call iam:SimulatePrincipalPolicy",
    ));
    // Nothing to change: nothing to ask.
    let out = deploy(&[]).success();
    assert!(!calls(&out.get_output().stderr).contains(&"IAM.SimulatePrincipalPolicy".to_string()));
}

/// What the plan's read says in words: "2 changes to make" (it once said
/// "3 changes to change"), and "up to date"; the singular is unit-tested.
#[test]
fn the_read_step_counts_changes_in_plain_words() {
    let project_name = unique("words");
    let dir = project(&toml(&project_name, ""), &[("app.py", HANDLER)]);
    lam(dir.path()).arg("deploy").assert().success();
    lam(dir.path())
        .arg("deploy")
        .assert()
        .success()
        .stderr(predicate::str::contains("(up to date)"));
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(&project_name, "memory = 256\n"),
    )
    .unwrap();
    lam(dir.path())
        .args(["deploy", "--dry-run"])
        .assert()
        .success()
        // The configuration update, and the version it is published as.
        .stderr(predicate::str::contains("(2 changes to make)"));
    std::fs::write(
        dir.path().join("lam.toml"),
        toml(
            &project_name,
            "memory = 256\ntimeout = 9\n[function.env]\nA_KEY = \"1\"\n",
        ),
    )
    .unwrap();
    let out = lam(dir.path())
        .args(["deploy", "--dry-run"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        regex::Regex::new(r"\(\d+ changes to make\)")
            .unwrap()
            .is_match(&stderr),
        "{stderr}"
    );
    assert!(!stderr.contains("changes to change"), "{stderr}");
}

/// Lambda's control-plane quotas (15 requests a second for GetPolicy and
/// for most other reads and writes, per account) are met in the validator
/// for access keys that begin with LAMQUOTA. A project of twelve functions
/// with URLs deploys, reads back in sync, and is destroyed with lam's own
/// retry settings, though AWS would refuse many of those calls at first.
#[test]
fn deploy_status_and_destroy_keep_within_lambdas_control_plane_quotas() {
    let project_name = unique("quota");
    let key = format!("LAMQUOTA{}", unique("k").replace('-', ""));
    let mut text = format!("[project]\nname = \"{project_name}\"\n\n[api]\nkind = \"url\"\n");
    for i in 0..12 {
        text.push_str(&format!(
            "\n[functions.f{i:02}]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nmemory = {}\n",
            128 + i
        ));
    }
    let dir = project(&text, &[("app.py", HANDLER)]);
    let quota = |args: &[&str]| {
        let mut cmd = lam(dir.path());
        // lam's own retry settings, as a user has them.
        cmd.env_remove("AWS_MAX_ATTEMPTS")
            .env("AWS_ACCESS_KEY_ID", &key)
            .args(args);
        cmd
    };
    quota(&["deploy", "--yes"]).assert().success();
    let out = quota(&["status", "--check", "--output", "json"])
        .assert()
        .success();
    let status: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(status["in_sync"], true, "{status}");
    assert_eq!(status["functions"].as_array().unwrap().len(), 12);
    for f in status["functions"].as_array().unwrap() {
        assert!(
            f["url"].as_str().is_some_and(|u| u.starts_with("https://")),
            "{f}"
        );
    }
    let throttled = std::fs::read_to_string(request_log())
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&key) && l.contains("\"throttled\""))
        .count();
    assert!(throttled > 0, "the quota stand-in never refused a call");
    quota(&["destroy", "--yes"]).assert().success();
    let left = block_on(lambda_client().list_functions().send()).unwrap();
    assert!(
        !left.functions().iter().any(|f| f
            .function_name()
            .is_some_and(|n| n.starts_with(&project_name))),
        "destroy left functions"
    );
}
