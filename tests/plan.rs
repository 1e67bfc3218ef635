//! One desired-state model: right after a deploy, `lam status --check`
//! exits 0 and `lam deploy --dry-run` plans nothing, for every template,
//! every `[api]` kind and every trigger type; after each change made behind
//! lam's back, both report the same typed change, and a deploy repairs it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::Path;

use crate::common::*;
use serde_json::Value;

const HANDLER: &str = "def lambda_handler(event, context):\n    return {'ok': True}\n";

fn create_secret(name: &str) {
    let sm = aws_sdk_secretsmanager::Client::new(&sdk_config());
    block_on(
        sm.create_secret()
            .name(name)
            .secret_string("not-a-real-secret")
            .send(),
    )
    .unwrap();
}

fn json_of(out: &std::process::Output, what: &str) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: {e}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `lam deploy` with the given environment; the JSON report.
fn deploy(dir: &Path, env: &[(&str, &str)]) -> Value {
    let out = lam(dir)
        .env("LAM_PYTHON", test_python())
        .envs(env.iter().copied())
        .args(["deploy", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "deploy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(&out, "deploy")
}

/// The plans of `status --check` and `deploy --dry-run`, which must agree,
/// and whether status said it drifted (exit 1).
fn plans(dir: &Path, env: &[(&str, &str)]) -> (Value, bool) {
    let status = lam(dir)
        .env("LAM_PYTHON", test_python())
        .envs(env.iter().copied())
        .args(["status", "--check", "--output", "json"])
        .output()
        .unwrap();
    let code = status.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "status: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let status = json_of(&status, "status");
    let dry = lam(dir)
        .env("LAM_PYTHON", test_python())
        .envs(env.iter().copied())
        .args(["deploy", "--dry-run", "--output", "json", "-v"])
        .output()
        .unwrap();
    assert!(dry.status.success());
    assert_eq!(
        mutating(&calls(&dry.stderr)),
        Vec::<String>::new(),
        "a dry run only reads"
    );
    let dry = json_of(&dry, "dry run");
    let from_status = status["functions"][0]["changes"].clone();
    let from_dry_run = dry["functions"][0]["changes"].clone();
    assert_eq!(from_status, from_dry_run, "status and --dry-run disagree");
    assert_eq!(
        status["functions"][0]["in_sync"].as_bool(),
        Some(from_status.as_array().unwrap().is_empty())
    );
    (from_status, code == Some(1))
}

fn kinds(changes: &Value) -> Vec<String> {
    changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

fn assert_in_sync(dir: &Path, env: &[(&str, &str)], context: &str) {
    let (changes, drifted) = plans(dir, env);
    assert_eq!(changes, serde_json::json!([]), "{context}");
    assert!(!drifted, "{context}: status --check exits 0");
}

#[test]
fn out_of_band_changes_show_the_same_in_status_and_dry_run() {
    let project_name = unique("drift");
    let name = format!("{project_name}-dev");
    let role = format!("lam-{project_name}-dev-function");
    let bucket = format!("in-{}", project_name.to_lowercase());
    let queue = format!("q-{project_name}");
    let topic = format!("t-{project_name}");
    block_on(s3().create_bucket().bucket(&bucket).send()).unwrap();
    create_queue(&queue);
    let sns = aws_sdk_sns::Client::new(&sdk_config());
    block_on(sns.create_topic().name(&topic).send()).unwrap();
    create_secret(&format!("{project_name}/dev/DB"));

    // Secrets, ${VAR}, $$ and an HTTP API with routes: what status used to
    // get wrong right after a deploy.
    let toml = format!(
        "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n\
         [function.env]\nGREETING = \"${{LAM_TEST_GREETING:-hi}}\"\nPRICE = \"$$5\"\n\n\
         [function.secrets]\nDB = \"{project_name}/dev/DB\"\n\n\
         [function.api]\nkind = \"http\"\nroutes = [\"GET /items\", \"POST /items\"]\n\n\
         [[function.triggers]]\ntype = \"s3\"\nbucket = \"{bucket}\"\nprefix = \"in/\"\n\n\
         [[function.triggers]]\ntype = \"schedule\"\nexpression = \"rate(1 hour)\"\n\n\
         [[function.triggers]]\ntype = \"sqs\"\nqueue = \"{queue}\"\n\n\
         [[function.triggers]]\ntype = \"sns\"\ntopic = \"{topic}\"\n"
    );
    let dir = project(&toml, &[("app.py", HANDLER)]);
    let env = [("LAM_TEST_GREETING", "hello")];
    let doc = deploy(dir.path(), &env);
    let api_id = doc["functions"][0]["api_id"].as_str().unwrap().to_string();
    assert_in_sync(dir.path(), &env, "right after a deploy");
    // The shell fills ${VAR} in: another value is a change of env.
    let (changes, drifted) = plans(dir.path(), &[("LAM_TEST_GREETING", "bye")]);
    assert!(drifted);
    assert_eq!(kinds(&changes), ["update_configuration", "publish"]);
    assert_eq!(
        changes[0]["fields"][0]["changed"],
        serde_json::json!(["GREETING"])
    );

    let lambda = lambda_client();
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    let events = aws_sdk_eventbridge::Client::new(&sdk_config());
    let v2 = aws_sdk_apigatewayv2::Client::new(&sdk_config());

    // Each change behind lam's back, the kinds both must plan, and the
    // field or key they name.
    type Change<'a> = (&'a str, Box<dyn Fn() + 'a>, Vec<&'a str>);
    let cases: Vec<Change> = vec![
        (
            "memory",
            Box::new(|| {
                block_on(
                    lambda
                        .update_function_configuration()
                        .function_name(&name)
                        .memory_size(512)
                        .send(),
                )
                .unwrap();
            }),
            vec!["update_configuration", "publish"],
        ),
        (
            "env",
            Box::new(|| {
                let mut vars = block_on(
                    lambda
                        .get_function_configuration()
                        .function_name(&name)
                        .send(),
                )
                .unwrap()
                .environment()
                .unwrap()
                .variables()
                .unwrap()
                .clone();
                vars.insert("EXTRA".into(), "1".into());
                block_on(
                    lambda
                        .update_function_configuration()
                        .function_name(&name)
                        .environment(
                            aws_sdk_lambda::types::Environment::builder()
                                .set_variables(Some(vars))
                                .build(),
                        )
                        .send(),
                )
                .unwrap();
            }),
            vec!["update_configuration", "publish"],
        ),
        (
            "code",
            Box::new(|| {
                let zip = zip_of("app.py", b"def lambda_handler(e, c):\n    return 0\n");
                block_on(
                    lambda
                        .update_function_code()
                        .function_name(&name)
                        .zip_file(aws_sdk_lambda::primitives::Blob::new(zip))
                        .send(),
                )
                .unwrap();
            }),
            vec!["upload_code", "publish"],
        ),
        (
            "alias moved back by rollback",
            Box::new(|| {
                // New code deployed, then the alias moved back to the old.
                std::fs::write(
                    dir.path().join("app.py"),
                    format!("{HANDLER}# version two\n"),
                )
                .unwrap();
                deploy(dir.path(), &env);
                lam(dir.path()).arg("rollback").assert().success();
            }),
            vec!["publish"],
        ),
        (
            "role policy edited",
            Box::new(|| {
                block_on(
                    iam.put_role_policy()
                        .role_name(&role)
                        .policy_name("lam")
                        .policy_document(
                            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
                        )
                        .send(),
                )
                .unwrap();
            }),
            vec!["put_role_policy"],
        ),
        (
            "permission removed",
            Box::new(|| {
                block_on(
                    lambda
                        .remove_permission()
                        .function_name(&name)
                        .qualifier("live")
                        .statement_id("lam-http-api")
                        .send(),
                )
                .unwrap();
            }),
            vec!["add_permission"],
        ),
        (
            "trigger removed",
            Box::new(|| {
                let rule = format!("lam-{name}.schedule-0");
                block_on(events.remove_targets().rule(&rule).ids("lam").send()).unwrap();
                block_on(events.delete_rule().name(&rule).send()).unwrap();
            }),
            vec!["put_schedule_rule", "put_schedule_target"],
        ),
        (
            "API route removed",
            Box::new(|| {
                let routes = block_on(v2.get_routes().api_id(&api_id).send()).unwrap();
                let route = routes
                    .items()
                    .iter()
                    .find(|r| r.route_key() == Some("POST /items"))
                    .unwrap();
                block_on(
                    v2.delete_route()
                        .api_id(&api_id)
                        .route_id(route.route_id().unwrap())
                        .send(),
                )
                .unwrap();
            }),
            vec!["add_route"],
        ),
    ];
    for (what, change, expected) in cases {
        change();
        let (changes, drifted) = plans(dir.path(), &env);
        assert!(drifted, "{what}: status --check exits 1");
        assert_eq!(kinds(&changes), expected, "{what}: {changes:#}");
        // Deploy puts it back; then both agree nothing is left.
        deploy(dir.path(), &env);
        assert_in_sync(dir.path(), &env, &format!("after repairing {what}"));
    }
}

#[test]
fn every_api_kind_settles_after_one_deploy() {
    for api in [
        "[function.api]\nkind = \"rest\"\n",
        "[function.api]\nkind = \"rest\"\n[function.api.cors]\norigins = [\"https://app.example.com\"]\n",
        "[function.api]\nkind = \"http\"\n[function.api.cors]\norigins = [\"*\"]\nheaders = [\"content-type\"]\n",
        "[function.api]\nkind = \"url\"\n",
        "[function.api]\nkind = \"url\"\nauth = \"AWS_IAM\"\n[function.api.cors]\norigins = [\"*\"]\n",
    ] {
        let project_name = unique("kinds");
        let toml = format!(
            "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n{api}"
        );
        let dir = project(&toml, &[("app.py", HANDLER)]);
        deploy(dir.path(), &[]);
        assert_in_sync(dir.path(), &[], api);
    }
}

#[test]
fn every_template_deploys_and_settles() {
    let parent = tempfile::tempdir().unwrap();
    let listing = lam_offline(parent.path())
        .args(["new", "--list", "--output", "json"])
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&listing.get_output().stdout).unwrap();
    for t in doc["templates"].as_array().unwrap() {
        let template = t["name"].as_str().unwrap();
        for language in t["languages"].as_array().unwrap() {
            let language = language.as_str().unwrap();
            let name = unique(&format!("{template}-{language}")).to_lowercase();
            let mut new = lam_offline(parent.path());
            new.args(["new", &name, "--runtime", language, "--template", template]);
            let bucket = format!("b-{name}");
            match template {
                "s3-image" => {
                    block_on(s3().create_bucket().bucket(&bucket).send()).unwrap();
                    new.args(["--bucket", &bucket]);
                }
                "scheduled" => {
                    new.args(["--schedule", "rate(1 hour)"]);
                }
                _ => {}
            }
            new.assert().success();
            let dir = parent.path().join(&name);
            // The secrets the template reads, per stage, as `lam secrets set` makes them.
            let project = lam_toml_secrets(&dir);
            for secret in project {
                create_secret(&secret);
            }
            deploy(&dir, &[]);
            assert_in_sync(&dir, &[], &format!("{template} ({language})"));
        }
    }
}

/// The secret names a generated lam.toml references.
fn lam_toml_secrets(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("lam.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    doc.get("function")
        .and_then(|f| f.get("secrets"))
        .and_then(|s| s.as_table())
        .map(|s| {
            s.values()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_rest_stage_left_behind_is_deployed_again() {
    let project_name = unique("stage");
    let toml = format!(
        "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[function.api]\nkind = \"rest\"\n"
    );
    let dir = project(&toml, &[("app.py", HANDLER)]);
    let doc = deploy(dir.path(), &[]);
    let api_id = doc["functions"][0]["api_id"].as_str().unwrap().to_string();
    assert_in_sync(dir.path(), &[], "after the first deploy");
    // As if a deploy had changed the API and then failed at
    // CreateDeployment: the stage serves a deployment lam did not record.
    let apigw = aws_sdk_apigateway::Client::new(&sdk_config());
    block_on(
        apigw
            .create_deployment()
            .rest_api_id(&api_id)
            .stage_name("dev")
            .send(),
    )
    .unwrap();
    let (changes, drifted) = plans(dir.path(), &[]);
    assert!(drifted);
    assert_eq!(kinds(&changes), ["deploy_rest_stage"]);
    deploy(dir.path(), &[]);
    assert_in_sync(dir.path(), &[], "after the stage was deployed again");
}

#[test]
fn binary_media_types_are_sent_as_api_gateway_documents_them() {
    // moto neither keeps binaryMediaTypes from CreateRestApi nor reads the
    // documented patch path, so this checks what lam sends (recorded by the
    // validator in front of moto) against the API Gateway developer guide,
    // "Enabling binary support using the API Gateway REST API":
    // {"op": "add", "path": "/binaryMediaTypes/image~1jpeg"}.
    let project_name = unique("binary");
    let toml = |types: &str| {
        format!(
            "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[function.api]\nkind = \"rest\"\nbinary_media_types = [{types}]\n"
        )
    };
    let dir = project(&toml("\"image/png\""), &[("app.py", HANDLER)]);
    let name = format!("{project_name}-dev");
    let doc = deploy(dir.path(), &[]);
    let api_id = doc["functions"][0]["api_id"].as_str().unwrap().to_string();
    let created = sent("apigateway", "CreateRestApi", |i| {
        i["name"] == name.as_str()
    });
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(
        created[0]["binaryMediaTypes"],
        serde_json::json!(["image/png"])
    );

    // As AWS would hold it after that create: the type is on the API.
    let apigw = aws_sdk_apigateway::Client::new(&sdk_config());
    block_on(
        apigw
            .update_rest_api()
            .rest_api_id(&api_id)
            .patch_operations(
                aws_sdk_apigateway::types::PatchOperation::builder()
                    .op(aws_sdk_apigateway::types::Op::Add)
                    .path("/binaryMediaTypes/image~1png")
                    .value("image/png")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    std::fs::write(dir.path().join("lam.toml"), toml("\"image/jpeg\"")).unwrap();
    let (changes, _) = plans(dir.path(), &[]);
    assert_eq!(
        kinds(&changes),
        ["set_binary_media_types", "deploy_rest_stage"]
    );
    assert_eq!(changes[0]["add"], serde_json::json!(["image/jpeg"]));
    assert_eq!(changes[0]["remove"], serde_json::json!(["image/png"]));
}

#[test]
fn layers_are_checked_and_settle() {
    let lambda = lambda_client();
    let zip = zip_of("python/helper.py", b"X = 1\n");
    let layer = block_on(
        lambda
            .publish_layer_version()
            .layer_name(unique("deps"))
            .content(
                aws_sdk_lambda::types::LayerVersionContentInput::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(zip))
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let arn = layer.layer_version_arn().unwrap().to_string();
    let project_name = unique("layers");
    let toml = |layers: &str| {
        format!(
            "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nlayers = [{layers}]\n"
        )
    };
    let dir = project(&toml(&format!("\"{arn}\"")), &[("app.py", HANDLER)]);
    deploy(dir.path(), &[]);
    assert_in_sync(dir.path(), &[], "with a layer");
    // A layer version that does not exist is refused before any change.
    let missing = format!("{}:999", arn.rsplit_once(':').unwrap().0);
    std::fs::write(dir.path().join("lam.toml"), toml(&format!("\"{missing}\""))).unwrap();
    lam(dir.path())
        .arg("deploy")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("does not exist"));
}

#[test]
fn status_installs_nothing_to_compare() {
    // A project whose dependencies come from npm.
    let outside = tempfile::tempdir().unwrap();
    let pkg = outside.path().join("src/package");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("package.json"),
        r#"{"name": "dep", "version": "1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(pkg.join("index.js"), "module.exports = 1;\n").unwrap();
    let tarball = outside.path().join("dep-1.0.0.tgz");
    assert!(
        std::process::Command::new("tar")
            .arg("czf")
            .arg(&tarball)
            .arg("-C")
            .arg(outside.path().join("src"))
            .arg("package")
            .status()
            .unwrap()
            .success()
    );
    let project_name = unique("noinstall");
    let dir = project(
        &format!(
            "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n"
        ),
        &[
            (
                "index.js",
                "exports.handler = async () => require('dep');\n",
            ),
            (
                "package.json",
                "{\"name\": \"app\", \"version\": \"1.0.0\", \"dependencies\": {\"dep\": \"file:vendor/dep-1.0.0.tgz\"}}",
            ),
        ],
    );
    // A local package lives inside the project (one outside is refused).
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    std::fs::copy(&tarball, dir.path().join("vendor/dep-1.0.0.tgz")).unwrap();
    deploy(dir.path(), &[]);
    assert_in_sync(dir.path(), &[], "with the dependencies installed");
    // Without the cache, status compares the rest and installs nothing.
    std::fs::remove_dir_all(dir.path().join(".lam")).unwrap();
    let out = lam(dir.path())
        .args(["status", "--check", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["functions"][0]["code_compared"], false);
    assert!(
        !dir.path().join(".lam/deps").exists(),
        "status installed dependencies"
    );
}
