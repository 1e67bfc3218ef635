//! Local runs resolve [secrets] with the developer's credentials (or .env)
//! and hand them to the handler's helper without leaking them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;

const HELPER: &str = include_str!("../templates/_shared/python/lam_secrets.py");
const APP: &str = "from lam_secrets import get\n\ndef handler(event, context):\n    return {'password': get('DB_PASSWORD'), 'user': get('DB_USER')}\n";

fn create_secret(name: &str, value: &str) {
    let client = aws_sdk_secretsmanager::Client::new(&sdk_config());
    block_on(
        client
            .create_secret()
            .name(name)
            .secret_string(value)
            .send(),
    )
    .expect("create secret");
}

fn put_parameter(name: &str, value: &str) {
    let client = aws_sdk_ssm::Client::new(&sdk_config());
    block_on(
        client
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
            .send(),
    )
    .expect("put parameter");
}

fn project_with_secrets(secret: &str, parameter: &str) -> tempfile::TempDir {
    let toml = format!(
        "[project]\nname = \"sec\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n\
         [function.secrets]\nDB_PASSWORD = \"{secret}#password\"\nDB_USER = \"ssm:{parameter}\"\n"
    );
    project(&toml, &[("app.py", APP), ("lam_secrets.py", HELPER)])
}

#[test]
fn local_invoke_resolves_secrets_and_never_shows_them() {
    let secret = unique("app/dev/db");
    let parameter = format!("/{}", unique("app-db-user"));
    let password = "s3cr3t-Pa55-value";
    create_secret(&secret, &format!("{{\"password\": \"{password}\"}}"));
    put_parameter(&parameter, "app_user");
    let dir = project_with_secrets(&secret, &parameter);

    let out = lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local", "-vv"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["password"], password);
    assert_eq!(payload["user"], "app_user");

    // The value is the result here (the handler returned it), but lam itself
    // never prints it: not on stderr at -vv, not in lam.toml, not under .lam/.
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("GetSecretValue") && stderr.contains("GetParameter"),
        "-v lists the calls: {stderr}"
    );
    assert!(
        !stderr.contains(password),
        "a secret leaked to stderr:\n{stderr}"
    );
    assert!(
        !std::fs::read_to_string(dir.path().join("lam.toml"))
            .unwrap()
            .contains(password)
    );
    for entry in files_under(&dir.path().join(".lam")) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(password),
            "{} holds the secret",
            entry.display()
        );
    }
    // Nor in the package.
    lam(dir.path()).arg("build").assert().success();
    let zip = std::fs::read(dir.path().join(".lam/build/function.zip")).unwrap();
    assert!(
        !zip.windows(password.len())
            .any(|w| w == password.as_bytes())
    );
}

#[test]
fn dotenv_values_win_and_need_no_aws() {
    let dir = project_with_secrets("does/not/exist", "/nor/this");
    std::fs::write(
        dir.path().join(".env"),
        "DB_PASSWORD=from-dotenv\nDB_USER=dotenv_user\n",
    )
    .unwrap();
    let out = lam_offline(dir.path())
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local", "-q"])
        .assert()
        .success();
    let payload: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(payload["password"], "from-dotenv");
    assert_eq!(payload["user"], "dotenv_user");
}

#[test]
fn a_missing_secret_is_named_with_the_fix() {
    let dir = project_with_secrets(&unique("missing/secret"), "/missing/param");
    lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("does not exist"))
        .stderr(predicate::str::contains("hint: create it"));
}

#[test]
fn set_get_list_rm_round_trip_without_showing_the_value() {
    let project_name = unique("vault");
    let dir = project(
        &format!(
            "[project]\nname = \"{project_name}\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n"
        ),
        &[("app.py", "x")],
    );
    let value = "correct horse battery staple";
    let full = format!("{project_name}/dev/API_TOKEN");

    let out = lam(dir.path())
        .args(["secrets", "set", "API_TOKEN", "-vv"])
        .write_stdin(format!("{value}\n"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains(&format!("Created {full}")), "{stderr}");
    assert!(!stderr.contains(value));
    // Stored as given, without the newline a shell adds.
    let client = aws_sdk_secretsmanager::Client::new(&sdk_config());
    let stored = block_on(client.get_secret_value().secret_id(&full).send()).unwrap();
    assert_eq!(stored.secret_string(), Some(value));

    // Masked, and not even read: only DescribeSecret, never GetSecretValue.
    let masked = lam(dir.path())
        .args(["secrets", "get", "API_TOKEN", "-v"])
        .assert()
        .success()
        .stdout("********\n");
    let made = calls(&masked.get_output().stderr);
    assert!(
        made.iter().any(|c| c.ends_with(".DescribeSecret")),
        "{made:?}"
    );
    assert!(
        !made.iter().any(|c| c.ends_with(".GetSecretValue")),
        "{made:?}"
    );
    lam(dir.path())
        .args(["secrets", "get", "API_TOKEN", "--reveal"])
        .assert()
        .success()
        .stdout(format!("{value}\n"));

    // A second set stores a new version.
    std::fs::write(dir.path().join("v2.txt"), "second value\n").unwrap();
    lam(dir.path())
        .args(["secrets", "set", "API_TOKEN", "--from-file", "v2.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Stored a new version"));
    lam(dir.path())
        .args(["secrets", "get", "API_TOKEN", "--reveal"])
        .assert()
        .success()
        .stdout("second value\n");

    let out = lam(dir.path())
        .args(["secrets", "list", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["secrets"].as_array().unwrap().len(), 1);
    assert_eq!(doc["secrets"][0]["name"], full);
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("second value"));

    // Deleting asks first; without a terminal --yes is required.
    lam(dir.path())
        .args(["secrets", "rm", "API_TOKEN"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    lam(dir.path())
        .args(["secrets", "rm", "API_TOKEN", "--force", "--yes"])
        .assert()
        .success();
    lam(dir.path())
        .args(["secrets", "get", "API_TOKEN"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("does not exist"));

    // Values never come from arguments; an empty one is refused.
    lam(dir.path())
        .args(["secrets", "set", "EMPTY"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no value for EMPTY"));
    lam(dir.path())
        .args(["secrets", "set", "bad-name"])
        .write_stdin("x")
        .assert()
        .code(2);
}

/// A missing secret gets the same hint from a deploy and from a local run:
/// `lam secrets set KEY` when lam.toml names it as that command writes it
/// (`<project>/<stage>/<KEY>`), the store's own command for any other name.
#[test]
fn a_missing_secret_gets_one_hint_from_deploy_and_local_runs() {
    let project_name = unique("hints");
    for (reference, expected) in [
        (
            format!("{project_name}/dev/API_KEY"),
            "create it with `lam secrets set API_KEY`".to_string(),
        ),
        (
            "elsewhere/api-key".to_string(),
            "create it with `aws secretsmanager create-secret --name elsewhere/api-key --secret-string file://FILE`".to_string(),
        ),
    ] {
        let dir = project(
            &format!(
                "[project]\nname = \"{project_name}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n\n[function.secrets]\nAPI_KEY = \"{reference}\"\n"
            ),
            &[("app.py", "def handler(event, context):\n    return 1\n")],
        );
        let deploy = lam(dir.path()).arg("deploy").assert().code(3);
        let local = lam(dir.path())
            .env("LAM_PYTHON", test_python())
            .args(["invoke", "--local"])
            .assert()
            .code(4);
        for out in [deploy.get_output(), local.get_output()] {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(&format!("hint: {expected}")), "{stderr}");
        }
        let local = String::from_utf8_lossy(&local.get_output().stderr).into_owned();
        assert!(
            local.contains("or set API_KEY in .env for local runs"),
            "{local}"
        );
    }
}

/// `lam secrets rm` without --force schedules the deletion (30-day
/// recovery window) and the name stays taken: AWS refuses CreateSecret and
/// PutSecretValue on it. Setting it again restores it with the new value,
/// as a reader redoing a tutorial expects, instead of a success that left
/// the secret deleted.
#[test]
fn setting_a_secret_scheduled_for_deletion_restores_it() {
    let project_name = unique("restore");
    let dir = project(
        &format!(
            "[project]\nname = \"{project_name}\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    let set = |value: &str| {
        lam(dir.path())
            .args(["secrets", "set", "TOKEN", "-v"])
            .write_stdin(value)
            .assert()
            .success()
    };
    set("first");
    lam(dir.path())
        .args(["secrets", "rm", "TOKEN", "--yes"])
        .assert()
        .success();
    let again = set("second");
    assert!(
        String::from_utf8_lossy(&again.get_output().stderr).contains("Restored")
            && String::from_utf8_lossy(&again.get_output().stderr)
                .contains("which was scheduled for deletion, with the new value"),
        "{again:?}"
    );
    let made = calls(&again.get_output().stderr);
    assert!(
        made.contains(&"Secrets Manager.RestoreSecret".to_string()),
        "{made:?}"
    );
    lam(dir.path())
        .args(["secrets", "get", "TOKEN", "--reveal"])
        .assert()
        .success()
        .stdout("second\n");
    let listed = lam(dir.path())
        .args(["secrets", "list", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&listed.get_output().stdout).unwrap();
    assert_eq!(doc["secrets"].as_array().unwrap().len(), 1, "{doc}");
}

/// The rule `lam secrets set` restores by, read from the reference (the
/// Secrets Manager service model botocore ships), not from moto: moto
/// takes a new value for a secret scheduled for deletion, AWS refuses it
/// with InvalidRequestException ("The secret is scheduled for deletion"),
/// on CreateSecret and PutSecretValue alike, and DescribeSecret shows the
/// DeletedDate lam looks for.
#[test]
fn the_service_model_says_a_secret_scheduled_for_deletion_takes_no_value() {
    let script = r#"
import botocore.session
m = botocore.session.get_session().get_service_model("secretsmanager")
for op in ("CreateSecret", "PutSecretValue"):
    assert "InvalidRequestException" in [e.name for e in m.operation_model(op).error_shapes], op
doc = m.shape_for("InvalidRequestException").documentation
assert "scheduled for deletion" in doc, doc
assert "DeletedDate" in m.operation_model("DescribeSecret").output_shape.members
assert m.operation_model("RestoreSecret") is not None
print("ok")
"#;
    let out = std::process::Command::new(test_python())
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
