//! `lam env`: list with masking, set / unset keeping lam.toml's comments,
//! and diff against the deployed function.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;

fn toml(name: &str) -> String {
    format!(
        "# the shop\n[function]\nname = \"{name}\"\nruntime = \"python3.12\" # keep me\nhandler = \"app.handler\"\nrole = \"{ROLE_ARN}\"\n\n[function.env]\n# how much to log\nLOG_LEVEL = \"INFO\"\nDB_PASSWORD = \"hunter2\"\n"
    )
}

#[test]
fn list_masks_secret_looking_values() {
    let dir = project(&toml("envlist"), &[("app.py", "x")]);
    lam_offline(dir.path())
        .args(["env", "list"])
        .assert()
        .success()
        .stdout("DB_PASSWORD=********\nLOG_LEVEL=INFO\n");
    lam_offline(dir.path())
        .args(["env", "list", "--show-values"])
        .assert()
        .success()
        .stdout(predicate::str::contains("DB_PASSWORD=hunter2"));
}

#[test]
fn set_and_unset_keep_comments_and_validate() {
    let dir = project(&toml("envset"), &[("app.py", "x")]);
    lam_offline(dir.path())
        .args([
            "env",
            "set",
            "TABLE=orders",
            "LOG_LEVEL=DEBUG",
            "URL=https://x?a=b",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Set TABLE, LOG_LEVEL, URL in [function.env] of lam.toml",
        ));
    let text = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
    assert!(
        text.contains("# the shop")
            && text.contains("# keep me")
            && text.contains("# how much to log"),
        "{text}"
    );
    assert!(
        text.contains("LOG_LEVEL = \"DEBUG\"")
            && text.contains("TABLE = \"orders\"")
            && text.contains("URL = \"https://x?a=b\""),
        "{text}"
    );

    lam_offline(dir.path())
        .args(["env", "unset", "TABLE"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
    assert!(!text.contains("TABLE") && text.contains("# keep me"));

    // Invalid edits are refused and the file is left as it was.
    let before = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
    lam_offline(dir.path())
        .args(["env", "set", "AWS_REGION=eu-west-1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("AWS_REGION is reserved"));
    let big = format!("BIG={}", "x".repeat(5000));
    lam_offline(dir.path())
        .args(["env", "set", &big])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("4096 bytes"))
        // The edit was not written: no line of it is named.
        .stderr(predicate::str::contains(
            "error: lam.toml was not changed: environment variables take",
        ));
    lam_offline(dir.path())
        .args(["env", "set", "novalue"])
        .assert()
        .code(2);
    lam_offline(dir.path())
        .args(["env", "unset", "NOPE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NOPE is not set"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lam.toml")).unwrap(),
        before
    );

    // A stage gets its own table, and only that stage sees it.
    lam_offline(dir.path())
        .args(["env", "set", "LOG_LEVEL=WARN", "--stage", "prod"])
        .assert()
        .success();
    lam_offline(dir.path())
        .args(["env", "list", "--stage", "prod"])
        .assert()
        .success()
        .stdout(predicate::str::contains("LOG_LEVEL=WARN"));
    lam_offline(dir.path())
        .args(["env", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("LOG_LEVEL=DEBUG"));
}

#[test]
fn diff_and_remote_list_compare_with_the_deployed_function() {
    let name = unique("envdiff");
    let dir = project(
        &toml(&name),
        &[("app.py", "def handler(e, c):\n    return 1\n")],
    );
    lam(dir.path()).arg("deploy").assert().success();
    lam(dir.path())
        .args(["env", "diff"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("no difference"));

    lam_offline(dir.path())
        .args(["env", "set", "TABLE=orders", "LOG_LEVEL=DEBUG"])
        .assert()
        .success();
    lam_offline(dir.path())
        .args(["env", "unset", "DB_PASSWORD"])
        .assert()
        .success();
    lam(dir.path())
        .args(["env", "diff"])
        .assert()
        .success()
        .stdout("+ TABLE=orders\n~ LOG_LEVEL: INFO -> DEBUG\n- DB_PASSWORD\n");
    let out = lam(dir.path())
        .args(["env", "list", "--remote", "--output", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["functions"][0]["env"]["DB_PASSWORD"], "********");
    assert_eq!(doc["functions"][0]["env"]["LOG_LEVEL"], "INFO");
}

#[test]
fn env_set_keeps_secrets_out_of_lam_toml_and_reads_stdin() {
    let dir = project(
        "[project]\nname = \"plain\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n",
        &[("app.py", "def h(e, c):\n    return 1\n")],
    );
    lam_offline(dir.path())
        .args(["env", "set", "STRIPE_API_KEY=sk_live_x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("lam secrets set STRIPE_API_KEY"));
    let text = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
    assert!(!text.contains("sk_live_x"), "{text}");
    // --plain when it is not a secret after all; KEY=- reads stdin, so the
    // value is on no command line.
    lam_offline(dir.path())
        .args(["env", "set", "--plain", "PUBLIC_KEY_ID=kid-1"])
        .assert()
        .success();
    lam_offline(dir.path())
        .args(["env", "set", "WELCOME=-"])
        .write_stdin("from stdin\n")
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
    assert!(text.contains("PUBLIC_KEY_ID = \"kid-1\""), "{text}");
    assert!(text.contains("WELCOME = \"from stdin\""), "{text}");
    // A URL's password is refused, and with --plain, masked by env list.
    lam_offline(dir.path())
        .args(["env", "set", "DATABASE_URL=pg://app:hunter2@db/x"])
        .assert()
        .code(2);
    lam_offline(dir.path())
        .args([
            "env",
            "set",
            "--plain",
            "DATABASE_URL=pg://app:hunter2@db/x",
        ])
        .assert()
        .success();
    lam_offline(dir.path())
        .args(["env", "list"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "DATABASE_URL=pg://app:********@db/x",
        ))
        .stdout(predicates::str::contains("hunter2").not());
}

#[test]
fn passwords_in_urls_and_short_secret_names_are_refused_without_plain() {
    let dir = project(&toml("envurl"), &[("app.py", "x")]);
    for pair in [
        "DATABASE_URL=postgres://app:hunter2@db:5432/shop",
        "MYSQL_PWD=hunter2",
        "SMTP_PASS=hunter2",
        "GITHUB_PAT=ghp_x",
    ] {
        lam_offline(dir.path())
            .args(["env", "set", pair])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("lam secrets set"));
    }
    let text = std::fs::read_to_string(dir.path().join("lam.toml")).unwrap();
    assert!(
        !text.contains("hunter2\"\nMYSQL") && !text.contains("postgres://"),
        "{text}"
    );
    // A URL without a password is configuration.
    lam_offline(dir.path())
        .args(["env", "set", "DATABASE_URL=postgres://app@db:5432/shop"])
        .assert()
        .success();
    lam_offline(dir.path())
        .args(["env", "set", "--plain", "SMTP_PASS=not-a-secret"])
        .assert()
        .success();
}

/// `lam env list` shows what a local run would get, and a value whose
/// `${VAR}` is not set in this shell as lam.toml writes it, with a note,
/// instead of failing the whole listing; a credential-looking variable is
/// never read from the shell into the listing.
#[test]
fn env_list_shows_unset_variables_as_written() {
    let dir = project(
        "[project]\nname = \"vars\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.env]\nDB_URL = \"pg://${DB_HOST}:${DB_PORT:-5432}/shop\"\nREGION_NAME = \"${HOME_REGION}\"\nPLAIN = \"x\"\nLEAKY = \"${AWS_SECRET_ACCESS_KEY}\"\n",
        &[("app.py", "")],
    );
    let out = lam_offline(dir.path())
        .env("HOME_REGION", "eu-west-1")
        .args(["env", "list"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stdout.contains("DB_URL=pg://${DB_HOST}:${DB_PORT:-5432}/shop"),
        "{stdout}"
    );
    assert!(stdout.contains("REGION_NAME=eu-west-1"), "{stdout}");
    assert!(stdout.contains("PLAIN=x"), "{stdout}");
    // The shell has AWS_SECRET_ACCESS_KEY (the tests' fake one): never read
    // into the listing.
    assert!(
        stdout.contains("LEAKY=${AWS_SECRET_ACCESS_KEY}") && !stdout.contains("testing"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "note: LEAKY is shown as lam.toml writes it: lam does not read ${AWS_SECRET_ACCESS_KEY}"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: DB_URL is shown as lam.toml writes it: ${DB_HOST} is not set"),
        "{stderr}"
    );
    lam_offline(dir.path())
        .env("DB_HOST", "db.internal")
        .args(["env", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "DB_URL=pg://db.internal:5432/shop",
        ));
}
