//! `lam doctor`: the machine and the project as lam sees them, one finding
//! per line, against a real moto (AWS) and real interpreters; the missing
//! ones are made missing by the test's own PATH.

use crate::common::*;
use serde_json::Value;

const HANDLER: &str = "def lambda_handler(event, context):\n    return {\"ok\": True}\n";

fn toml(project: &str, runtime: &str) -> String {
    format!(
        "[project]\nname = \"{project}\"\n\n[function]\nruntime = \"{runtime}\"\nhandler = \"app.lambda_handler\"\n"
    )
}

/// The findings of `lam doctor --output json`.
fn findings(out: &std::process::Output) -> Vec<Value> {
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    doc["findings"].as_array().unwrap().clone()
}

fn finding<'a>(all: &'a [Value], area: &str, check: &str) -> &'a Value {
    all.iter()
        .find(|f| f["area"] == area && f["check"] == check)
        .unwrap_or_else(|| panic!("no {area}/{check} finding in {all:#?}"))
}

/// The Python of the tests (the CI venv's, with awslambdaric), as the
/// interpreter a local run takes.
fn python() -> String {
    test_python().display().to_string()
}

#[test]
fn inside_a_project_it_names_the_interpreter_the_account_the_region_and_the_clock() {
    let name = unique("doctor");
    let dir = project(&toml(&name, "python3.12"), &[("app.py", HANDLER)]);
    let out = lam(dir.path())
        .env("LAM_PYTHON", python())
        .args(["doctor", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = findings(&out);

    // The interpreter, and why: LAM_PYTHON comes before PATH.
    let py = finding(&all, "runtimes", "python3.12");
    assert!(py["found"].as_str().unwrap().contains("LAM_PYTHON"), "{py}");
    // The CI venv's Python is 3.11: a different version is a warning with
    // the way out, not a failure.
    let version = std::process::Command::new(python())
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    if version == "3.12" {
        assert_eq!(py["level"], "ok", "{py}");
    } else {
        assert_eq!(py["level"], "warn", "{py}");
        assert!(
            py["found"].as_str().unwrap().contains(&format!(
                "local runs install dependencies for Python {version}"
            )),
            "{py}"
        );
        assert!(
            py["hint"].as_str().unwrap().contains("pyenv install 3.12"),
            "{py}"
        );
    }
    // The venv has awslambdaric: --ric can run.
    assert_eq!(finding(&all, "tools", "awslambdaric")["level"], "ok");

    // AWS: where the credentials come from, the caller, the region and
    // its source, and the clock from the Date of moto's answer.
    let creds = finding(&all, "aws", "credentials");
    assert!(
        creds["found"]
            .as_str()
            .unwrap()
            .starts_with("environment variables (AWS_ACCESS_KEY_ID"),
        "{creds}"
    );
    assert!(
        finding(&all, "aws", "identity")["found"]
            .as_str()
            .unwrap()
            .starts_with("account 123456789012, arn:aws:"),
        "{all:#?}"
    );
    assert_eq!(
        finding(&all, "aws", "region")["found"],
        "us-east-1 (AWS_REGION)"
    );
    let clock = finding(&all, "aws", "clock");
    assert_eq!(clock["level"], "ok", "{clock}");

    // The project: lam.toml, the handler found in its file, trust.
    assert_eq!(finding(&all, "project", "lam.toml")["level"], "ok");
    let handler = all
        .iter()
        .find(|f| f["area"] == "project" && f["found"].as_str().unwrap().starts_with("handler"))
        .unwrap();
    assert_eq!(
        handler["found"],
        "handler app.lambda_handler found in app.py"
    );
    assert_eq!(finding(&all, "project", "trust")["level"], "ok");
    // (Its speed is measured by bench/doctor.py, not asserted here.)
}

#[test]
fn a_missing_interpreter_blocks_the_project_and_says_how_to_get_one() {
    let name = unique("doctor-missing");
    let dir = project(&toml(&name, "python3.12"), &[("app.py", HANDLER)]);
    // A PATH with neither Python nor Node.js on it, and no credentials.
    let empty = tempfile::tempdir().unwrap();
    let out = lam_offline(dir.path())
        .env("PATH", empty.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["doctor"])
        .output()
        .unwrap();
    // 5: a local runtime cannot start.
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("FAIL  python3.12") && stdout.contains("no Python interpreter found"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hint: lam looked for")
            && stdout.contains("python3.12 on PATH")
            && stdout.contains("or set LAM_PYTHON"),
        "{stdout}"
    );
    // With no Python, what only a Python could say is not guessed.
    assert!(!stdout.contains("awslambdaric"), "{stdout}");
    // No credentials: a warning with the command that makes them, and
    // not what blocks (local runs need none).
    assert!(
        stdout.contains("warn  credentials") && stdout.contains("`aws configure`"),
        "{stdout}"
    );
    assert!(
        stderr.contains("error: 1 finding above blocks this project's local runs"),
        "{stderr}"
    );
    assert!(stderr.contains("then run `lam doctor` again"), "{stderr}");

    // Outside a project, the same machine is reported, not refused.
    let outside = tempfile::tempdir().unwrap();
    let out = lam_offline(outside.path())
        .env("PATH", empty.path())
        .args(["doctor", "--no-aws", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let all = findings(&out);
    assert_eq!(finding(&all, "runtimes", "python3.12")["level"], "warn");
    assert_eq!(finding(&all, "runtimes", "nodejs22.x")["level"], "warn");
    assert!(
        !all.iter().any(|f| f["area"] == "aws"),
        "--no-aws made AWS checks: {all:#?}"
    );
}

#[test]
fn a_broken_lam_toml_and_a_missing_handler_are_named() {
    let dir = project(
        "[project]\nname = \"x\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nmemory = 64\n",
        &[("app.py", HANDLER)],
    );
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", python())
        .args(["doctor", "--no-aws", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let all = findings(&out);
    let toml = finding(&all, "project", "lam.toml");
    assert_eq!(toml["level"], "fail");
    assert!(
        toml["found"].as_str().unwrap().contains("memory = 64"),
        "{toml}"
    );

    let dir = project(
        &toml_for("x", "app.handler"),
        &[(
            "app.py",
            "def lambda_handler(event, context):\n    return 1\n",
        )],
    );
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", python())
        .args(["doctor", "--no-aws", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let all = findings(&out);
    let handler = all
        .iter()
        .find(|f| f["area"] == "project" && f["found"].as_str().unwrap().contains("defines no"))
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(handler["level"], "warn");
    assert!(
        handler["found"]
            .as_str()
            .unwrap()
            .ends_with("app.py defines no function handler"),
        "{handler}"
    );
}

fn toml_for(project: &str, handler: &str) -> String {
    format!(
        "[project]\nname = \"{project}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"{handler}\"\n"
    )
}

/// A profile named on the command line that no AWS file defines is said as
/// such, with the profiles there; before, the SDK's fallback made it "no
/// AWS region is set" or a "default" profile lam never tried.
#[test]
fn a_profile_that_does_not_exist_is_named_with_the_ones_that_do() {
    let dir = project(&toml("p", "python3.12"), &[("app.py", HANDLER)]);
    std::fs::write(
        dir.path().join("no-aws-config"),
        "[profile work]\nregion = eu-west-1\n",
    )
    .unwrap();
    lam(dir.path())
        .env_remove("AWS_REGION")
        .args(["--profile", "nope", "status"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "error: the AWS profile \"nope\" (--profile) is in neither",
        ))
        .stderr(predicates::str::contains(
            "hint: profiles there: work; pick one, or create it with `aws configure --profile nope`",
        ));
    // AWS_PROFILE is checked the same way when the profile is where the
    // credentials would come from...
    lam(dir.path())
        .env("AWS_PROFILE", "nope")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["status"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("\"nope\" (AWS_PROFILE)"));
    // ...but not when the environment's keys are: the SDK never reads it.
    let out = lam(dir.path())
        .env("AWS_PROFILE", "nope")
        .env("LAM_PYTHON", python())
        .args(["doctor", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("AWS profile"),
        "{out:?}"
    );
    assert_eq!(finding(&findings(&out), "aws", "identity")["level"], "ok");
    // An existing profile: its region is used, and doctor says where from.
    let out = lam(dir.path())
        .env_remove("AWS_REGION")
        .env("LAM_PYTHON", python())
        .args(["--profile", "work", "doctor", "--output", "json"])
        .output()
        .unwrap();
    let all = findings(&out);
    assert_eq!(
        finding(&all, "aws", "region")["found"],
        "eu-west-1 (profile \"work\")"
    );
}

/// An SSO profile whose cached token has expired: every signed call would
/// fail; doctor says so and names `aws sso login`.
#[test]
fn an_expired_sso_token_is_said_with_the_login_command() {
    let dir = project(&toml("sso", "python3.12"), &[("app.py", HANDLER)]);
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("no-aws-config"),
        "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("0123abcd.json"),
        r#"{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "not-printed", "expiresAt": "2020-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let out = lam_offline(dir.path())
        .env("HOME", home.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("LAM_PYTHON", python())
        // Nothing answers here: the SSO check needs no call.
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["--profile", "corp", "doctor", "--output", "json"])
        .output()
        .unwrap();
    let all = findings(&out);
    assert_eq!(
        finding(&all, "aws", "credentials")["found"],
        "profile \"corp\" (--profile): SSO session \"corp\""
    );
    let sso = finding(&all, "aws", "sso");
    assert_eq!(sso["level"], "warn");
    assert_eq!(
        sso["found"],
        "the SSO token expired at 2020-01-01T00:00:00Z"
    );
    assert!(sso["hint"].as_str().unwrap().contains("aws sso login"));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("not-printed"),
        "the token was printed"
    );
}

/// Whether the caller may deploy this project: the same simulation the
/// deploy's pre-flight runs, against a moto IAM user with a narrow policy.
#[test]
fn a_caller_who_may_not_deploy_is_told_which_actions_are_missing() {
    let name = unique("doctor-perm");
    let dir = project(&toml(&name, "python3.12"), &[("app.py", HANDLER)]);
    let (key_id, secret) = iam_user(
        "doctor-user",
        serde_json::json!([
            {"Effect": "Allow", "Action": ["lambda:*", "iam:Get*", "iam:List*", "iam:CreateRole",
                "iam:TagRole", "iam:AttachRolePolicy", "iam:PutRolePolicy",
                "iam:SimulatePrincipalPolicy", "sts:GetCallerIdentity", "ssm:*"],
             "Resource": "*"}]),
    );
    let out = lam(dir.path())
        .env("AWS_ACCESS_KEY_ID", &key_id)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .env("LAM_PYTHON", python())
        .args(["doctor", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let all = findings(&out);
    let deploy = finding(&all, "aws", "deploy");
    assert_eq!(deploy["level"], "warn", "{deploy}");
    let role = format!("arn:aws:iam::123456789012:role/lam-{name}-dev-function");
    assert!(
        deploy["found"]
            .as_str()
            .unwrap()
            .contains(&format!("iam:PassRole on {role}")),
        "{deploy}"
    );
    assert!(
        !deploy["found"]
            .as_str()
            .unwrap()
            .contains("lambda:CreateFunction"),
        "an allowed action was reported: {deploy}"
    );
    // Nothing was created by asking.
    assert!(
        block_on(
            aws_sdk_iam::Client::new(&sdk_config())
                .get_role()
                .role_name(format!("lam-{name}-dev-function"))
                .send()
        )
        .is_err()
    );
}

/// Whether the requirements install for the runtime's platform: known
/// once lam's cache holds them for it; before, doctor says `lam build`
/// installs them (and nothing is installed by asking).
#[test]
fn requirements_are_said_installed_for_the_runtimes_platform_or_not_yet() {
    let dir = project(
        &toml(&unique("doctor-deps"), "python3.12"),
        &[("app.py", HANDLER), ("requirements.txt", "six==1.16.0\n")],
    );
    let deps = |dir: &std::path::Path| {
        let out = lam_offline(dir)
            .env("LAM_PYTHON", python())
            .args(["doctor", "--no-aws", "--output", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        findings(&out)
            .into_iter()
            .find(|f| {
                f["area"] == "project"
                    && f["found"].as_str().unwrap().starts_with("requirements.txt")
            })
            .unwrap_or_else(|| panic!("no requirements finding: {out:?}"))
    };
    let before = deps(dir.path());
    assert_eq!(before["level"], "note", "{before}");
    assert!(
        before["found"]
            .as_str()
            .unwrap()
            .contains("not installed yet for python3.12 on Linux"),
        "{before}"
    );
    assert_eq!(before["hint"], "run `lam build`");
    assert!(
        !dir.path().join(".lam/build").exists(),
        "doctor built something"
    );
    lam_offline(dir.path())
        .env("LAM_PYTHON", python())
        .arg("build")
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    let after = deps(dir.path());
    assert_eq!(after["level"], "ok", "{after}");
    assert!(
        after["found"]
            .as_str()
            .unwrap()
            .contains("installed for python3.12 on Linux"),
        "{after}"
    );
}

/// A cloned repository that ships modules named as the ones doctor asks
/// the interpreter about (pip, debugpy, awslambdaric) and a sitecustomize:
/// doctor only asks, it runs nothing of the repository's.
#[test]
fn a_repository_shipping_pip_py_gets_nothing_run_by_doctor() {
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("ran");
    let payload = format!(
        "open({:?}, 'a').write(__name__ + '\\n')\n__version__ = 'attacker'\n",
        marker.display().to_string()
    );
    let dir = project(
        &toml(&unique("doctor-attack"), "python3.12"),
        &[
            ("app.py", HANDLER),
            ("pip.py", &payload),
            ("debugpy.py", &payload),
            ("awslambdaric.py", &payload),
            ("sitecustomize.py", &payload),
        ],
    );
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", python())
        .args(["doctor", "--no-aws", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        !marker.exists(),
        "doctor ran the repository's {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("attacker"), "{stdout}");
}
