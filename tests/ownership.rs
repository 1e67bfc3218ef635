//! lam changes only what it made for this project and stage: a function of
//! the same name that lam did not create is refused until `--adopt`, and
//! two projects whose names collide (`shop-prod` + stage `dev`, `shop` +
//! stage `prod-dev`: the same function and role names) never take over each
//! other's function or role.

use crate::common::*;
use predicates::prelude::*;

const HANDLER: &str = "def lambda_handler(event, context):\n    return 1\n";

fn tags(arn: &str) -> std::collections::HashMap<String, String> {
    block_on(lambda_client().list_tags().resource(arn).send())
        .unwrap()
        .tags()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_function_lam_did_not_create_is_refused_until_adopted() {
    let name = unique("theirs");
    let created = block_on(
        lambda_client()
            .create_function()
            .function_name(&name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(ROLE_ARN)
            .handler("app.lambda_handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(zip_of(
                        "app.py",
                        HANDLER.as_bytes(),
                    )))
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let arn = created.function_arn().unwrap().to_string();
    let dir = project(
        &format!(
            "[project]\nname = \"adopt\"\n\n[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nmemory = 256\nrole = \"{ROLE_ARN}\"\n"
        ),
        &[("app.py", HANDLER)],
    );
    let refused = lam(dir.path())
        .args(["deploy", "-v"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not created by lam"))
        .stderr(predicate::str::contains("--adopt"));
    assert_eq!(
        mutating(&calls(&refused.get_output().stderr)),
        Vec::<String>::new(),
        "nothing changed"
    );
    let conf = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&name)
            .send(),
    )
    .unwrap();
    assert_eq!(conf.memory_size(), Some(128));

    lam(dir.path())
        .args(["deploy", "--adopt"])
        .assert()
        .success()
        .stderr(predicate::str::contains("tag function"));
    let tags = tags(&arn);
    assert_eq!(tags.get("managed-by").map(String::as_str), Some("lam"));
    assert_eq!(tags.get("lam:project").map(String::as_str), Some("adopt"));
    assert_eq!(tags.get("lam:stage").map(String::as_str), Some("dev"));
    // Now it is lam's: a plain deploy and status see nothing to do.
    lam(dir.path())
        .args(["status", "--check"])
        .assert()
        .success();
}

#[test]
fn projects_whose_names_collide_keep_their_own_function_and_role() {
    let base = unique("coll");
    let first = project(
        &format!(
            "[project]\nname = \"{base}-prod\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n"
        ),
        &[("app.py", HANDLER)],
    );
    lam(first.path()).arg("deploy").assert().success();
    let function = format!("{base}-prod-dev");
    let before = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&function)
            .send(),
    )
    .unwrap();
    let fn_tags = tags(before.function_arn().unwrap());
    assert_eq!(
        fn_tags.get("lam:project").map(String::as_str),
        Some(format!("{base}-prod").as_str())
    );

    // Project `<base>`, stage `prod-dev`: the same function and role names.
    let second = project(
        &format!(
            "[project]\nname = \"{base}\"\ndefault_stage = \"prod-dev\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\nmemory = 512\n"
        ),
        &[("app.py", "def lambda_handler(e, c):\n    return 2\n")],
    );
    lam(second.path())
        .arg("deploy")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "belongs to lam project {base}-prod, stage dev"
        )));
    let after = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&function)
            .send(),
    )
    .unwrap();
    assert_eq!(after.code_sha256(), before.code_sha256());
    assert_eq!(after.memory_size(), before.memory_size());
    // Its destroy keeps them as well.
    lam(second.path())
        .args(["destroy", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("keeping function"));
    assert!(
        block_on(
            lambda_client()
                .get_function()
                .function_name(&function)
                .send()
        )
        .is_ok()
    );
}
