//! Every change kind of the diff, without AWS: a desired state, an actual
//! state built by hand, and the exact plan expected.

use super::*;
use crate::aws::http_api::{HttpState, Integration, Route};
use crate::aws::lambda::{Deployed, Mapping, Permission, UrlConfig};
use crate::aws::rest_api::{OptionsState, ResourceState, RestState};
use crate::aws::secrets::SecretRef;
use crate::aws::triggers::RuleInfo;
use crate::plan::actual::{BucketState, RoleState, TopicState, TriggerState, Versions};
use crate::plan::desired::CodeSpec;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const NAME: &str = "shop-dev";
const FN_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev";
const ALIAS_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev:live";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/lam-shop-dev-function";
const BASIC: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

fn desired() -> Desired {
    Desired {
        key: "function".into(),
        name: NAME.into(),
        alias: "live".into(),
        project: "shop".into(),
        stage: "dev".into(),
        lam_role: "lam-shop-dev-function".into(),
        wanted: Some(Wanted {
            runtime: "python3.12".into(),
            handler: "app.handler".into(),
            memory: 128,
            timeout: 3,
            ephemeral_storage: 512,
            tracing: "PassThrough".into(),
            reserved_concurrency: None,
            provisioned_concurrency: None,
            logging: crate::config::Logging::default(),
            snapstart: false,
            architecture: "x86_64".into(),
            description: String::new(),
            deps_layer: None,
            layers: Vec::new(),
            env: BTreeMap::from([("TABLE".to_string(), "orders".to_string())]),
            env_sources: BTreeMap::new(),
            secrets: Vec::new(),
            role: RoleChoice::Lam,
            policy: Vec::new(),
            code: CodeSpec {
                sha256: "c0de".into(),
                size: 1000,
                unzipped: 4000,
            },
            api: ApiWanted {
                kind: ApiKind::None,
                id: None,
                cors: None,
                routes: vec!["$default".into()],
                auth: "NONE".into(),
                binary_media_types: Vec::new(),
            },
            triggers: Vec::new(),
        }),
        keep_versions: None,
        adopt: false,
        delete_logs: false,
    }
}

fn wanted(d: &mut Desired) -> &mut Wanted {
    d.wanted.as_mut().unwrap()
}

/// The function exactly as `desired()` wants it.
fn deployed() -> Deployed {
    Deployed {
        reserved_concurrency: None,
        dev: None,
        arn: FN_ARN.into(),
        code_sha256: "c0de".into(),
        code_size: 1000,
        last_modified: "2026-11-30T00:00:00.000+0000".into(),
        log_group: None,
        lam_created: true,
        project: Some("shop".into()),
        stage: Some("dev".into()),
        settings: Settings {
            runtime: "python3.12".into(),
            handler: "app.handler".into(),
            memory: 128,
            timeout: 3,
            ephemeral_storage: 512,
            tracing: "PassThrough".into(),
            snapstart: false,
            log_format: "Text".into(),
            application_log_level: None,
            system_log_level: None,
            log_group: format!("/aws/lambda/{NAME}"),
            architecture: "x86_64".into(),
            description: String::new(),
            role: ROLE_ARN.into(),
            env: BTreeMap::from([("TABLE".to_string(), "orders".to_string())]),
            layers: Vec::new(),
        },
    }
}

/// AWS right after a clean deploy of `desired()`.
fn in_sync() -> Actual {
    Actual {
        region: REGION.into(),
        account: ACCOUNT.into(),
        function: Some(deployed()),
        alias_version: Some("1".into()),
        served: Some(deployed()),
        role: Some(RoleState {
            arn: ROLE_ARN.into(),
            lam_created: true,
            project: Some("shop".into()),
            stage: Some("dev".into()),
            attached: vec![BASIC.into()],
            inline: None,
            regions: vec![REGION.into()],
        }),
        ..Actual::default()
    }
}

/// Nothing exists yet.
fn empty() -> Actual {
    Actual {
        region: REGION.into(),
        account: ACCOUNT.into(),
        ..Actual::default()
    }
}

fn kinds(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| {
            serde_json::to_value(c).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn permission(sid: &str, source: Option<&str>, action: &str) -> Permission {
    Permission {
        sid: sid.into(),
        principal: String::new(),
        action: action.into(),
        source_arn: source.map(str::to_string),
        source_account: None,
    }
}

#[test]
fn a_deployed_function_that_matches_plans_nothing() {
    let plan = diff(&desired(), &in_sync());
    assert_eq!(plan.changes, Vec::new());
    assert_eq!(plan.to_string(), "shop-dev: nothing to change");
}

#[test]
fn a_first_deploy_makes_the_role_the_function_and_the_alias() {
    let plan = diff(&desired(), &empty());
    assert_eq!(
        plan.changes,
        vec![
            Change::CreateRole {
                role: "lam-shop-dev-function".into()
            },
            Change::AttachBasicExecution {
                role: "lam-shop-dev-function".into()
            },
            Change::CreateFunction {
                function: NAME.into(),
                runtime: "python3.12".into(),
                memory: 128,
                timeout: 3,
                architecture: "x86_64".into(),
            },
            Change::Publish {
                function: NAME.into(),
                alias: "live".into(),
                from: None,
            },
        ]
    );
    // The role it will run as is named from the account, not a placeholder.
    let w = desired();
    assert_eq!(
        settings(&w, w.wanted.as_ref().unwrap(), &empty()).role,
        ROLE_ARN
    );
}

#[test]
fn configuration_changes_name_fields_and_env_keys_never_values() {
    let mut d = desired();
    let w = wanted(&mut d);
    w.memory = 512;
    w.env = BTreeMap::from([
        ("TABLE".to_string(), "secret-looking-value".to_string()),
        ("MODE".to_string(), "fast".to_string()),
    ]);
    let mut actual = in_sync();
    actual
        .function
        .as_mut()
        .unwrap()
        .settings
        .env
        .insert("OLD".into(), "x".into());
    let plan = diff(&d, &actual);
    assert_eq!(kinds(&plan), ["update_configuration", "publish"]);
    assert_eq!(plan.configuration_changed(), ["memory", "env"]);
    let env = plan.env_change().unwrap();
    assert!(env.from_shell.is_empty());
    assert_eq!(env.added, ["MODE"]);
    assert_eq!(env.changed, ["TABLE"]);
    assert_eq!(env.removed, ["OLD"]);
    let json = serde_json::to_string(&plan).unwrap();
    assert!(!json.contains("secret-looking-value"), "{json}");
    assert!(!plan.to_string().contains("secret-looking-value"));
    assert!(plan.to_string().contains("memory 128 → 512"), "{plan}");
    assert!(
        plan.to_string().contains("env (+MODE ~TABLE -OLD)"),
        "{plan}"
    );
    assert_eq!(
        plan.changes[1],
        Change::Publish {
            function: NAME.into(),
            alias: "live".into(),
            from: Some("1".into())
        }
    );
}

/// /tmp's size and X-Ray tracing go through the same diff, and removing
/// them from lam.toml (back to 512 MB and PassThrough) is a change too.
#[test]
fn ephemeral_storage_and_tracing_are_diffed_and_removable() {
    let mut d = desired();
    let w = wanted(&mut d);
    w.ephemeral_storage = 2048;
    w.tracing = "Active".into();
    let plan = diff(&d, &in_sync());
    // Active tracing needs X-Ray's actions on lam's role, granted first.
    assert_eq!(
        kinds(&plan),
        ["put_role_policy", "update_configuration", "publish"]
    );
    assert!(plan.to_string().contains("LamTracing"), "{plan}");
    assert_eq!(
        plan.configuration_changed(),
        ["ephemeral_storage", "tracing"]
    );
    assert!(
        plan.to_string().contains("ephemeral_storage 512 → 2048"),
        "{plan}"
    );

    // Deployed with them; lam.toml no longer says so.
    let mut actual = in_sync();
    let settings = &mut actual.function.as_mut().unwrap().settings;
    settings.ephemeral_storage = 2048;
    settings.tracing = "Active".into();
    let plan = diff(&desired(), &actual);
    assert_eq!(
        plan.configuration_changed(),
        ["ephemeral_storage", "tracing"]
    );
    assert!(
        plan.to_string().contains("tracing Active → PassThrough"),
        "{plan}"
    );
}

/// Reserved concurrency is the function's: set, changed and removed
/// without publishing a version.
#[test]
fn reserved_concurrency_is_set_changed_and_removed_without_a_version() {
    let mut d = desired();
    wanted(&mut d).reserved_concurrency = Some(5);
    let plan = diff(&d, &in_sync());
    assert_eq!(kinds(&plan), ["set_reserved_concurrency"]);
    assert!(
        plan.to_string().contains("reserved concurrency - → 5"),
        "{plan}"
    );

    let mut actual = in_sync();
    actual.function.as_mut().unwrap().reserved_concurrency = Some(5);
    assert!(diff(&d, &actual).is_empty());
    let plan = diff(&desired(), &actual);
    assert_eq!(
        plan.changes,
        [Change::SetReservedConcurrency {
            function: NAME.into(),
            from: Some(5),
            to: None
        }]
    );
    assert!(
        plan.to_string().contains("remove reserved concurrency 5"),
        "{plan}"
    );
}

/// Provisioned concurrency is the alias's: put after the alias has moved
/// (so a first deploy provisions the version it just published), changed,
/// and removed; an endpoint without the API has none to remove.
#[test]
fn provisioned_concurrency_follows_the_alias() {
    use crate::aws::lambda::Provisioned;
    let mut d = desired();
    wanted(&mut d).provisioned_concurrency = Some(3);
    let plan = diff(&d, &empty());
    let k = kinds(&plan);
    let publish = k.iter().position(|k| k == "publish").unwrap();
    let provision = k
        .iter()
        .position(|k| k == "set_provisioned_concurrency")
        .unwrap();
    assert!(publish < provision, "{k:?}");

    let plan = diff(&d, &in_sync());
    assert_eq!(
        plan.changes,
        [Change::SetProvisionedConcurrency {
            function: NAME.into(),
            alias: "live".into(),
            from: None,
            to: Some(3),
        }]
    );
    assert!(
        plan.to_string()
            .contains("provisioned concurrency on live - → 3"),
        "{plan}"
    );

    let configured = |n| Actual {
        provisioned: Provisioned::Configured {
            requested: n,
            allocated: 0,
            available: 0,
            status: "IN_PROGRESS".into(),
            reason: None,
        },
        ..in_sync()
    };
    assert!(diff(&d, &configured(3)).is_empty());
    assert_eq!(
        kinds(&diff(&d, &configured(1))),
        ["set_provisioned_concurrency"]
    );
    let plan = diff(&desired(), &configured(3));
    assert!(
        plan.to_string()
            .contains("remove provisioned concurrency 3 from live"),
        "{plan}"
    );

    // Lowered (or removed) before a lower reserved concurrency and before
    // the alias moves; a FAILED allocation is put again.
    let mut lower = desired();
    wanted(&mut lower).provisioned_concurrency = Some(2);
    wanted(&mut lower).reserved_concurrency = Some(2);
    wanted(&mut lower).memory = 256;
    let mut reserved = configured(3);
    reserved.function.as_mut().unwrap().reserved_concurrency = Some(5);
    let k = kinds(&diff(&lower, &reserved));
    let at = |kind: &str| k.iter().position(|x| x == kind).unwrap();
    assert!(
        at("set_provisioned_concurrency") < at("set_reserved_concurrency")
            && at("set_provisioned_concurrency") < at("publish"),
        "{k:?}"
    );
    let failed = Actual {
        provisioned: Provisioned::Configured {
            requested: 3,
            allocated: 0,
            available: 0,
            status: "FAILED".into(),
            reason: Some("no capacity".into()),
        },
        ..in_sync()
    };
    assert_eq!(kinds(&diff(&d, &failed)), ["set_provisioned_concurrency"]);

    let unsupported = Actual {
        provisioned: Provisioned::Unsupported,
        ..in_sync()
    };
    assert!(diff(&desired(), &unsupported).is_empty());
    assert_eq!(
        kinds(&diff(&d, &unsupported)),
        ["set_provisioned_concurrency"]
    );
}

/// `[function.logging]` compares with AWS's defaults filled in (levels
/// INFO with JSON, the /aws/lambda/<name> group), so an unset level or
/// group never shows as drift; a change is named field by field.
#[test]
fn logging_is_compared_with_awss_defaults_filled_in() {
    let mut d = desired();
    wanted(&mut d).logging.format = "JSON".into();
    let plan = diff(&d, &in_sync());
    assert_eq!(
        plan.configuration_changed(),
        ["log_format", "application_log_level", "system_log_level"]
    );
    // Deployed as JSON, levels and group as AWS reports them by default.
    let mut actual = in_sync();
    let s = &mut actual.function.as_mut().unwrap().settings;
    s.log_format = "JSON".into();
    s.application_log_level = Some("INFO".into());
    s.system_log_level = Some("INFO".into());
    actual.served.as_mut().unwrap().settings = s.clone();
    assert!(diff(&d, &actual).is_empty(), "{}", diff(&d, &actual));
    let w = wanted(&mut d);
    w.logging.application_log_level = Some("DEBUG".into());
    w.logging.log_group = Some("/shop/orders".into());
    let plan = diff(&d, &actual);
    assert_eq!(
        plan.configuration_changed(),
        ["application_log_level", "log_group"]
    );
    assert!(
        plan.to_string().contains("log_group /aws/lambda/"),
        "{plan}"
    );
}

#[test]
fn the_plan_names_the_shell_variables_that_fill_env() {
    let mut d = desired();
    let w = wanted(&mut d);
    w.env.insert("GREETING".into(), "hello".into());
    w.env_sources = BTreeMap::from([("GREETING".to_string(), vec!["SHELL_GREETING".to_string()])]);
    let plan = diff(&d, &in_sync());
    let env = plan.env_change().unwrap();
    assert_eq!(env.from_shell["GREETING"], ["SHELL_GREETING"]);
    assert!(
        plan.to_string().contains("GREETING from $SHELL_GREETING"),
        "{plan}"
    );
}

#[test]
fn new_code_is_uploaded_and_published() {
    let mut d = desired();
    wanted(&mut d).code.sha256 = "new".into();
    let plan = diff(&d, &in_sync());
    assert_eq!(kinds(&plan), ["upload_code", "publish"]);
    assert!(plan.code_changed());
    assert!(plan.configuration_changed().is_empty());
}

#[test]
fn an_architecture_change_goes_with_the_code_only() {
    let mut d = desired();
    wanted(&mut d).architecture = "arm64".into();
    let plan = diff(&d, &in_sync());
    assert_eq!(kinds(&plan), ["upload_code", "publish"]);
    let Change::UploadCode { architecture, .. } = &plan.changes[0] else {
        panic!("{plan}")
    };
    assert_eq!(architecture.as_ref().unwrap().field, "architecture");
}

#[test]
fn an_alias_moved_back_by_rollback_is_published_again() {
    let mut actual = in_sync();
    actual.alias_version = Some("1".into());
    // $LATEST matches; the version the alias serves has older code.
    actual.served.as_mut().unwrap().code_sha256 = "old".into();
    let plan = diff(&desired(), &actual);
    assert_eq!(kinds(&plan), ["publish"]);
    // A served version with other settings is published again too.
    let mut actual = in_sync();
    actual.served.as_mut().unwrap().settings.memory = 1024;
    assert_eq!(kinds(&diff(&desired(), &actual)), ["publish"]);
    // No alias at all.
    let mut actual = in_sync();
    actual.alias_version = None;
    actual.served = None;
    assert_eq!(kinds(&diff(&desired(), &actual)), ["publish"]);
}

#[test]
fn a_role_lam_did_not_create_blocks_the_plan() {
    let mut actual = empty();
    actual.role = Some(RoleState {
        arn: ROLE_ARN.into(),
        lam_created: false,
        project: Some("shop".into()),
        stage: Some("dev".into()),
        attached: Vec::new(),
        inline: None,
        regions: Vec::new(),
    });
    let plan = diff(&desired(), &actual);
    assert_eq!(kinds(&plan)[0], "blocked");
    let err = plan.blocked_error().unwrap();
    assert_eq!(err.kind, crate::error::Kind::Config);
    assert!(err.problems[0].message.contains("not created by lam"));
}

#[test]
fn functions_and_roles_of_others_are_refused_or_adopted() {
    // Not lam's: refused, unless --adopt, which tags it first.
    let mut foreign = in_sync();
    foreign.function.as_mut().unwrap().lam_created = false;
    foreign.function.as_mut().unwrap().project = None;
    let plan = diff(&desired(), &foreign);
    assert_eq!(kinds(&plan), ["blocked"]);
    assert!(
        plan.blocked_error().unwrap().problems[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("--adopt")
    );
    let mut d = desired();
    d.adopt = true;
    let plan = diff(&d, &foreign);
    let Change::TagFunction { tags, .. } = &plan.changes[0] else {
        panic!("{plan}")
    };
    assert_eq!(tags["managed-by"], "lam");
    assert_eq!(
        (tags["lam:project"].as_str(), tags["lam:stage"].as_str()),
        ("shop", "dev")
    );
    assert_eq!(kinds(&plan), ["tag_function"]);

    // lam's, but another project's or stage's: refused, even with --adopt.
    let mut other = in_sync();
    other.function.as_mut().unwrap().project = Some("shop-prod".into());
    assert!(plan_blocked(
        &diff(&d, &other),
        "belongs to lam project shop-prod"
    ));
    // Roles whose names collide across projects: `shop-prod` + `dev` and
    // `shop` + `prod-dev` both make lam-shop-prod-dev-function.
    let mut collide = in_sync();
    collide.role.as_mut().unwrap().project = Some("shop-prod".into());
    assert!(plan_blocked(
        &diff(&desired(), &collide),
        "belongs to lam project shop-prod"
    ));
    // Destroy keeps them too.
    let mut nothing = desired();
    nothing.wanted = None;
    assert_eq!(
        kinds(&diff(&nothing, &collide)),
        ["delete_function", "blocked"]
    );

    // Made by an older lam (managed-by only): tagged, nothing else.
    let mut older = in_sync();
    older.function.as_mut().unwrap().project = None;
    older.function.as_mut().unwrap().stage = None;
    assert_eq!(kinds(&diff(&desired(), &older)), ["tag_function"]);
}

fn plan_blocked(plan: &Plan, reason: &str) -> bool {
    plan.changes
        .iter()
        .any(|c| matches!(c, Change::Blocked { reason: r, .. } if r.contains(reason)))
}

#[test]
fn the_inline_policy_follows_secrets_and_policy_statements() {
    let mut d = desired();
    wanted(&mut d).secrets = vec![("DB".into(), SecretRef::parse("shop/dev/DB"))];
    let mut actual = in_sync();
    let secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/dev/DB-AbCdEf";
    actual.secrets = vec![FoundSecret {
        env_key: "DB_SECRET_ARN".into(),
        env_value: secret_arn.into(),
        store: Store::SecretsManager("shop/dev/DB".into()),
        resource: secret_arn.into(),
    }];
    // The env gains DB_SECRET_ARN: configuration, publish; the role gets the policy.
    let plan = diff(&d, &actual);
    assert_eq!(
        kinds(&plan),
        ["put_role_policy", "update_configuration", "publish"]
    );
    let Change::PutRolePolicy {
        statements,
        replaces,
        ..
    } = &plan.changes[0]
    else {
        panic!("{plan}")
    };
    assert_eq!(statements, &["LamSecrets"]);
    assert!(!replaces);
    let policy = execution_policy(&actual, &actual.secrets, d.wanted.as_ref().unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"], json!([secret_arn]));

    // Deployed as wanted: nothing. Edited out of band: written again.
    let mut deployed_state = actual.clone();
    let env = full_env(&d.wanted.as_ref().unwrap().env, &actual.secrets);
    for f in [&mut deployed_state.function, &mut deployed_state.served] {
        f.as_mut().unwrap().settings.env = env.clone();
    }
    deployed_state.role.as_mut().unwrap().inline = Some(policy.clone());
    assert_eq!(diff(&d, &deployed_state).changes, Vec::new());
    let mut edited = deployed_state.clone();
    edited.role.as_mut().unwrap().inline = Some(json!({"Version": "2012-10-17", "Statement": []}));
    let plan = diff(&d, &edited);
    assert_eq!(kinds(&plan), ["put_role_policy"]);
    assert!(matches!(
        plan.changes[0],
        Change::PutRolePolicy { replaces: true, .. }
    ));

    // Nothing to grant any more: removed. Basic execution detached: attached again.
    let mut gone = in_sync();
    gone.role.as_mut().unwrap().inline = Some(policy);
    gone.role.as_mut().unwrap().attached.clear();
    assert_eq!(
        kinds(&diff(&desired(), &gone)),
        ["attach_basic_execution", "delete_role_policy"]
    );
}

#[test]
fn an_inline_policy_over_iams_limit_is_blocked() {
    let mut d = desired();
    wanted(&mut d).policy = (0..200)
        .map(|i| crate::config::PolicyStatement {
            effect: None,
            actions: vec!["s3:GetObject".into()],
            resources: vec![format!("arn:aws:s3:::bucket-number-{i}/*")],
        })
        .collect();
    let plan = diff(&d, &in_sync());
    assert_eq!(kinds(&plan)[0], "blocked");
    assert!(
        plan.to_string().contains("over IAM's limit of 10240"),
        "{plan}"
    );
}

#[test]
fn queues_and_layers_are_checked_before_any_change() {
    use crate::plan::actual::{LayerState, QueueState};
    let queue = "arn:aws:sqs:us-east-1:123456789012:orders";
    let mut d = desired();
    wanted(&mut d).timeout = 60;
    let mut actual = in_sync();
    actual.function.as_mut().unwrap().settings.timeout = 60;
    actual.served.as_mut().unwrap().settings.timeout = 60;
    // A visibility timeout shorter than the function's: refused, naming both.
    actual.queues = vec![QueueState {
        arn: queue.into(),
        visibility_timeout: Some(30),
    }];
    let plan = diff(&d, &actual);
    assert!(
        plan_blocked(
            &plan,
            "visibility timeout of 30 s, shorter than shop-dev's timeout of 60 s"
        ),
        "{plan}"
    );
    actual.queues[0].visibility_timeout = Some(360);
    assert!(diff(&d, &actual).blocked_error().is_none());
    actual.queues[0].visibility_timeout = None;
    assert!(plan_blocked(&diff(&d, &actual), "does not exist"));
    actual.queues.clear();

    // Layers count towards the 250 MB with the package.
    let layer = "arn:aws:lambda:us-east-1:123456789012:layer:deps:3";
    wanted(&mut d).layers = vec![layer.into()];
    actual.layers = vec![LayerState {
        arn: layer.into(),
        size: Some(200 * 1024 * 1024),
    }];
    wanted(&mut d).code.unzipped = 60 * 1024 * 1024;
    assert!(plan_blocked(
        &diff(&d, &actual),
        "over Lambda's 250 MB unzipped"
    ));
    wanted(&mut d).code.unzipped = 10 * 1024 * 1024;
    assert!(diff(&d, &actual).blocked_error().is_none());
    actual.layers[0].size = None;
    assert!(plan_blocked(&diff(&d, &actual), "does not exist"));
}

#[test]
fn a_named_role_is_never_changed() {
    let mut d = desired();
    let named = "arn:aws:iam::123456789012:role/theirs";
    wanted(&mut d).role = RoleChoice::Named(named.into());
    let mut actual = in_sync();
    actual.role = None;
    let plan = diff(&d, &actual);
    assert_eq!(kinds(&plan), ["update_configuration", "publish"]);
    assert_eq!(
        plan.changes[0],
        Change::UpdateConfiguration {
            function: NAME.into(),
            fields: vec![FieldChange::value("role", json!(ROLE_ARN), json!(named))]
        }
    );
}

#[test]
fn an_environment_over_4_kb_is_blocked() {
    let mut d = desired();
    wanted(&mut d).env = BTreeMap::from([("BIG".to_string(), "x".repeat(5000))]);
    let plan = diff(&d, &in_sync());
    assert_eq!(kinds(&plan)[0], "blocked");
    assert!(plan.blocked_error().is_some());
}

#[test]
fn keep_versions_deletes_old_unaliased_versions() {
    let mut d = desired();
    d.keep_versions = Some(2);
    let mut actual = in_sync();
    actual.alias_version = Some("4".into());
    actual.versions = Some(Versions {
        published: vec![1, 2, 3, 4],
        aliases: vec![("live".into(), "4".into()), ("beta".into(), "2".into())],
        newest: Some(deployed()),
    });
    // In sync: versions 1 and 2 are past the two kept; 2 has an alias.
    let plan = diff(&d, &actual);
    assert_eq!(
        plan.changes,
        vec![Change::DeleteVersions {
            function: NAME.into(),
            versions: vec![1]
        }]
    );
    // Publishing makes a fifth: 1..3 go, except beta's, and live moves off 4.
    let mut new_code = d.clone();
    wanted(&mut new_code).code.sha256 = "new".into();
    let plan = diff(&new_code, &actual);
    assert_eq!(
        plan.changes.last(),
        Some(&Change::DeleteVersions {
            function: NAME.into(),
            versions: vec![1, 3]
        })
    );

    // After a rollback to 1, $LATEST is still version 4: publishing answers
    // 4 again, no fifth is made; of the two past the two kept, 2 is beta's.
    let mut rolled_back = actual.clone();
    rolled_back.alias_version = Some("1".into());
    rolled_back.served.as_mut().unwrap().code_sha256 = "old".into();
    rolled_back.versions.as_mut().unwrap().aliases[0].1 = "1".into();
    let plan = diff(&d, &rolled_back);
    assert_eq!(
        plan.changes,
        vec![
            Change::Publish {
                function: NAME.into(),
                alias: "live".into(),
                from: Some("1".into())
            },
            Change::DeleteVersions {
                function: NAME.into(),
                versions: vec![1]
            }
        ]
    );
    // Keeping none still keeps what aliases serve, 4 included.
    d.keep_versions = Some(0);
    let plan = diff(&d, &rolled_back);
    assert!(
        matches!(plan.changes.last(), Some(Change::DeleteVersions { versions, .. }) if versions == &[1, 3]),
        "{plan}"
    );
}

fn rest_api(d: &mut Desired, cors: Option<CorsConfig>) {
    let w = wanted(d);
    w.api.kind = ApiKind::Rest;
    w.api.cors = cors;
}

fn rest_uri() -> String {
    format!("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ALIAS_ARN}/invocations")
}

fn rest_state(cors: Option<&CorsConfig>) -> RestState {
    let resource = |id: &str| ResourceState {
        id: id.into(),
        any_exists: true,
        any_uri: Some(rest_uri()),
        options: cors.map(|c| OptionsState {
            mock: true,
            params: Some(preflight_headers(c)),
        }),
    };
    RestState {
        id: "abc123".into(),
        root: Some(resource("root")),
        proxy: Some(resource("proxy")),
        stage_exists: true,
        stage_shape: Some(rest_shape(&rest_uri(), cors, &[])),
        binary_media_types: Vec::new(),
    }
}

#[test]
fn a_new_rest_api_is_built_then_permitted() {
    let mut d = desired();
    rest_api(&mut d, Some(CorsConfig::default()));
    let plan = diff(&d, &in_sync());
    assert_eq!(
        kinds(&plan),
        [
            "create_rest_api",
            "add_proxy_resource",
            "integrate_rest_method",
            "put_rest_preflight",
            "integrate_rest_method",
            "put_rest_preflight",
            "deploy_rest_stage",
            "add_permission"
        ]
    );
    let Change::AddPermission { grant, .. } = plan.changes.last().unwrap() else {
        panic!()
    };
    assert_eq!(grant.source_api, Some(ApiRef::New));
    assert_eq!(grant.source_arn, None);
    let json = serde_json::to_value(&plan.changes[1]).unwrap();
    assert_eq!(json, json!({"kind": "add_proxy_resource", "api": "new"}));
}

#[test]
fn an_existing_rest_api_is_compared_piece_by_piece() {
    let cors = CorsConfig {
        origins: vec!["https://app.example.com".into()],
        ..CorsConfig::default()
    };
    let mut d = desired();
    rest_api(&mut d, Some(cors.clone()));
    let mut actual = in_sync();
    actual.rest = Some(rest_state(Some(&cors)));
    let grant_arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/*";
    actual.permissions = vec![permission(
        REST_SID,
        Some(grant_arn),
        "lambda:InvokeFunction",
    )];
    assert_eq!(diff(&d, &actual).changes, Vec::new());

    // The permission removed out of band comes back, scoped to the API.
    let mut no_permission = actual.clone();
    no_permission.permissions.clear();
    let plan = diff(&d, &no_permission);
    assert_eq!(kinds(&plan), ["add_permission"]);
    let Change::AddPermission { grant, .. } = &plan.changes[0] else {
        panic!()
    };
    assert_eq!(grant.source_arn.as_deref(), Some(grant_arn));

    // CORS removed from lam.toml: the preflights go and the stage is redeployed.
    rest_api(&mut d, None);
    let plan = diff(&d, &actual);
    assert_eq!(
        kinds(&plan),
        [
            "remove_rest_preflight",
            "remove_rest_preflight",
            "deploy_rest_stage"
        ]
    );
    // A stage that is missing is deployed even when nothing else changed.
    rest_api(&mut d, Some(cors.clone()));
    let mut no_stage = actual.clone();
    no_stage.rest.as_mut().unwrap().stage_exists = false;
    assert_eq!(kinds(&diff(&d, &no_stage)), ["deploy_rest_stage"]);
    // A stage still serving an older shape (the last deploy's
    // CreateDeployment failed after its other changes): deployed again.
    let mut stale = actual.clone();
    stale.rest.as_mut().unwrap().stage_shape = Some("0123456789abcdef".into());
    assert_eq!(kinds(&diff(&d, &stale)), ["deploy_rest_stage"]);
    // Binary media types: patched on the API, and the stage redeployed.
    let mut binary = d.clone();
    wanted(&mut binary).api.binary_media_types = vec!["image/png".into()];
    let plan = diff(&binary, &actual);
    assert_eq!(
        kinds(&plan),
        ["set_binary_media_types", "deploy_rest_stage"]
    );
    assert!(plan.to_string().contains("+image/png"), "{plan}");
    // The integration pointing elsewhere is pointed back.
    let mut moved = actual.clone();
    moved.rest.as_mut().unwrap().proxy.as_mut().unwrap().any_uri = Some("elsewhere".into());
    assert_eq!(
        kinds(&diff(&d, &moved)),
        ["integrate_rest_method", "deploy_rest_stage"]
    );
}

fn http_state(routes: Vec<Route>) -> HttpState {
    HttpState {
        id: "h77".into(),
        endpoint: Some("https://h77.execute-api.us-east-1.amazonaws.com".into()),
        cors: None,
        integrations: vec![Integration {
            id: "i1".into(),
            uri: Some(ALIAS_ARN.into()),
            payload_format: Some("2.0".into()),
            proxy: true,
        }],
        routes,
        lam: true,
        default_stage: true,
        auto_deploy: true,
    }
}

fn route(id: &str, key: &str, target: &str) -> Route {
    Route {
        id: id.into(),
        key: key.into(),
        target: Some(target.into()),
    }
}

#[test]
fn http_api_routes_follow_lam_toml() {
    let mut d = desired();
    wanted(&mut d).api.kind = ApiKind::Http;
    let plan = diff(&d, &in_sync());
    assert_eq!(
        kinds(&plan),
        [
            "create_http_api",
            "integrate_http_api",
            "add_route",
            "create_http_stage",
            "add_permission"
        ]
    );

    let mut actual = in_sync();
    actual.rest = None;
    actual.http = Some(http_state(vec![route("r1", "$default", "integrations/i1")]));
    actual.permissions = vec![permission(
        HTTP_SID,
        Some("arn:aws:execute-api:us-east-1:123456789012:h77/*"),
        "lambda:InvokeFunction",
    )];
    assert_eq!(diff(&d, &actual).changes, Vec::new());

    // Routes listed now: a stale one removed, a foreign target pointed back, a new one added.
    wanted(&mut d).api.routes = vec!["GET /items".into(), "POST /items".into()];
    actual.http = Some(http_state(vec![
        route("r1", "$default", "integrations/i1"),
        route("r2", "GET /items", "integrations/other"),
        route("r3", "GET /theirs", "integrations/other"),
    ]));
    let plan = diff(&d, &actual);
    assert_eq!(plan.to_string().lines().count(), 4, "{plan}");
    assert_eq!(kinds(&plan), ["point_route", "add_route", "remove_route"]);
    assert!(matches!(&plan.changes[2], Change::RemoveRoute { route, .. } if route == "$default"));

    // CORS set, and an integration with the wrong payload version corrected.
    wanted(&mut d).api.routes = vec!["$default".into()];
    wanted(&mut d).api.cors = Some(CorsConfig {
        origins: vec!["*".into()],
        ..CorsConfig::default()
    });
    let mut old = http_state(vec![route("r1", "$default", "integrations/i1")]);
    old.integrations[0].payload_format = Some("1.0".into());
    actual.http = Some(old);
    assert_eq!(
        kinds(&diff(&d, &actual)),
        ["set_http_cors", "integrate_http_api"]
    );

    // On an API lam did not create (named by id): CORS and routes are never
    // removed, and a stage that does not auto-deploy is deployed.
    let mut theirs = http_state(vec![
        route("r1", "$default", "integrations/i1"),
        route("r9", "GET /old", "integrations/i1"),
    ]);
    theirs.lam = false;
    theirs.auto_deploy = false;
    theirs.cors = Some(CorsConfig {
        origins: vec!["https://theirs.example.com".into()],
        ..CorsConfig::default()
    });
    let mut not_ours = actual.clone();
    not_ours.http = Some(theirs);
    let mut no_cors = d.clone();
    wanted(&mut no_cors).api.cors = None;
    assert_eq!(kinds(&diff(&no_cors, &not_ours)), ["deploy_http_stage"]);

    // CORS taken out of lam.toml: removed from the API.
    wanted(&mut d).api.cors = None;
    let mut with_cors = http_state(vec![route("r1", "$default", "integrations/i1")]);
    with_cors.cors = Some(CorsConfig {
        origins: vec!["*".into()],
        ..CorsConfig::default()
    });
    actual.http = Some(with_cors);
    assert_eq!(kinds(&diff(&d, &actual)), ["remove_http_cors"]);
}

#[test]
fn function_urls_and_their_permission() {
    let mut d = desired();
    wanted(&mut d).api.kind = ApiKind::Url;
    let plan = diff(&d, &in_sync());
    // A public URL needs both statements: InvokeFunctionUrl, and
    // InvokeFunction only through the URL.
    assert_eq!(
        kinds(&plan),
        ["put_url", "add_permission", "add_permission"]
    );
    let Change::AddPermission { grant, .. } = &plan.changes[2] else {
        panic!()
    };
    assert_eq!(
        (
            grant.action.as_str(),
            grant.via_url,
            grant.principal.as_str()
        ),
        ("lambda:InvokeFunction", true, "*")
    );
    let mut actual = in_sync();
    actual.url = Some(UrlConfig {
        url: "https://x.lambda-url.us-east-1.on.aws/".into(),
        auth: "NONE".into(),
        cors: None,
    });
    actual.permissions = vec![permission(URL_SID, None, "lambda:InvokeFunctionUrl")];
    // The URL of an older lam, with one statement: the second is added.
    assert_eq!(kinds(&diff(&d, &actual)), ["add_permission"]);
    actual
        .permissions
        .push(permission(URL_INVOKE_SID, None, "lambda:InvokeFunction"));
    assert_eq!(diff(&d, &actual).changes, Vec::new());
    // An empty CORS configuration as read back is the same as none.
    actual.url.as_mut().unwrap().cors = Some(CorsConfig::default());
    assert_eq!(diff(&d, &actual).changes, Vec::new());

    // [api] removed: the URL and its permission go.
    let plan = diff(&desired(), &actual);
    assert_eq!(
        kinds(&plan),
        ["remove_url", "remove_permission", "remove_permission"]
    );
    // An IAM-authenticated URL needs neither public statement.
    wanted(&mut d).api.auth = "AWS_IAM".into();
    actual.url.as_mut().unwrap().auth = "AWS_IAM".into();
    assert_eq!(
        kinds(&diff(&d, &actual)),
        ["remove_permission", "remove_permission"]
    );
}

#[test]
fn s3_triggers_are_permitted_before_the_notification() {
    let mut d = desired();
    let trigger = Trigger::S3 {
        bucket: "photos".into(),
        events: vec!["s3:ObjectCreated:*".into()],
        prefix: Some("in/".into()),
        suffix: None,
    };
    wanted(&mut d).triggers = vec![trigger];
    let plan = diff(&d, &in_sync());
    assert_eq!(kinds(&plan), ["add_permission", "put_s3_notifications"]);
    let Change::PutS3Notifications { notifications, .. } = &plan.changes[1] else {
        panic!()
    };
    assert_eq!(notifications[0].function_arn, ALIAS_ARN);
    assert!(notifications[0].id.starts_with("lam-shop-dev."));

    // The permission names the account: a bucket ARN does not.
    let Change::AddPermission { grant, .. } = &plan.changes[0] else {
        panic!()
    };
    assert_eq!(grant.source_account.as_deref(), Some(ACCOUNT));

    // Wired: nothing to do.
    let mut actual = in_sync();
    let mut s3_permission = permission(
        "lam-s3-photos",
        Some("arn:aws:s3:::photos"),
        "lambda:InvokeFunction",
    );
    s3_permission.source_account = Some(ACCOUNT.into());
    actual.permissions = vec![s3_permission.clone()];
    actual.triggers.buckets = vec![BucketState {
        bucket: "photos".into(),
        notifications: notifications.clone(),
    }];
    assert_eq!(diff(&d, &actual).changes, Vec::new());

    // A permission of an older lam, without SourceAccount, is replaced.
    let mut older = actual.clone();
    older.permissions[0].source_account = None;
    assert_eq!(
        kinds(&diff(&d, &older)),
        ["remove_permission", "add_permission"]
    );

    // Removed from lam.toml: the permission and lam's notifications go.
    let plan = diff(&desired(), &actual);
    assert_eq!(kinds(&plan), ["remove_permission", "put_s3_notifications"]);
    assert!(
        matches!(&plan.changes[1], Change::PutS3Notifications { notifications, .. } if notifications.is_empty())
    );
}

#[test]
fn schedules_sqs_and_sns_triggers() {
    let mut d = desired();
    wanted(&mut d).triggers = vec![
        Trigger::Schedule {
            expression: "rate(5 minutes)".into(),
            input: None,
        },
        Trigger::Sqs {
            queue: "orders".into(),
            batch_size: 10,
            report_batch_item_failures: false,
            batch_window: None,
        },
        Trigger::Sns {
            topic: "alerts".into(),
        },
    ];
    let plan = diff(&d, &in_sync());
    // The role may read the queue.
    assert_eq!(
        kinds(&plan),
        [
            "put_role_policy",
            "add_permission",
            "add_permission",
            "put_schedule_rule",
            "put_schedule_target",
            "put_mapping",
            "subscribe"
        ]
    );
    let queue = "arn:aws:sqs:us-east-1:123456789012:orders";
    let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    let rule = "lam-shop-dev.schedule-0";

    let mut actual = in_sync();
    let policy = execution_policy(&actual, &[], d.wanted.as_ref().unwrap()).unwrap();
    // Every region's queue of that name: the role may serve the project in
    // several regions (IAM is global), and each deploy writes the same.
    assert_eq!(
        policy["Statement"][0]["Resource"],
        json!(["arn:aws:sqs:*:123456789012:orders"])
    );
    actual.role.as_mut().unwrap().inline = Some(policy);
    actual.permissions = vec![
        permission(
            "lam-schedule-0",
            Some(&format!(
                "arn:aws:events:us-east-1:123456789012:rule/{rule}"
            )),
            "lambda:InvokeFunction",
        ),
        permission("lam-sns-alerts", Some(topic), "lambda:InvokeFunction"),
    ];
    actual.triggers = TriggerState {
        buckets: Vec::new(),
        rules: vec![RuleInfo {
            name: rule.into(),
            expression: Some("rate(5 minutes)".into()),
            enabled: true,
            targets: vec![(ALIAS_ARN.into(), None)],
        }],
        mappings: vec![Mapping {
            uuid: "u-1".into(),
            source_arn: queue.into(),
            batch_size: 10,
            report_failures: false,
            batch_window: 0,
        }],
        topics: vec![TopicState {
            arn: topic.into(),
            subscriptions: vec![format!("{topic}:sub-1")],
        }],
    };
    assert_eq!(diff(&d, &actual).changes, Vec::new());

    // A batch size changed: the mapping is updated in place.
    if let Some(Trigger::Sqs { batch_size, .. }) = wanted(&mut d).triggers.get_mut(1) {
        *batch_size = 5;
    }
    let plan = diff(&d, &actual);
    assert_eq!(
        plan.changes,
        vec![Change::PutMapping {
            function_arn: ALIAS_ARN.into(),
            queue_arn: queue.into(),
            batch_size: 5,
            report_failures: false,
            batch_window: 0,
            uuid: Some("u-1".into())
        }]
    );
    // A batch over 10 gets the one-second window AWS requires.
    if let Some(Trigger::Sqs { batch_size, .. }) = wanted(&mut d).triggers.get_mut(1) {
        *batch_size = 100;
    }
    assert!(matches!(
        diff(&d, &actual).changes.as_slice(),
        [Change::PutMapping {
            batch_size: 100,
            batch_window: 1,
            ..
        }]
    ));

    // All three removed from lam.toml (and the queue from the role).
    let plan = diff(&desired(), &actual);
    assert_eq!(
        kinds(&plan),
        [
            "delete_role_policy",
            "remove_permission",
            "remove_permission",
            "remove_schedule",
            "delete_mapping",
            "unsubscribe"
        ]
    );
}

#[test]
fn destroy_is_the_diff_against_nothing() {
    let mut d = desired();
    d.wanted = None;
    d.delete_logs = true;
    let mut actual = in_sync();
    actual.rest = Some(rest_state(None));
    actual.triggers.rules = vec![RuleInfo {
        name: "lam-shop-dev.schedule-0".into(),
        expression: Some("rate(1 hour)".into()),
        enabled: true,
        targets: Vec::new(),
    }];
    let plan = diff(&d, &actual);
    assert_eq!(
        kinds(&plan),
        [
            "remove_schedule",
            "delete_rest_api",
            "delete_function",
            "delete_role",
            "delete_log_group"
        ]
    );

    // An HTTP API lam's tags tie to the function goes too.
    let mut with_http = in_sync();
    with_http.http = Some(http_state(Vec::new()));
    d.delete_logs = false;
    assert_eq!(
        kinds(&diff(&d, &with_http)),
        ["delete_http_api", "delete_function", "delete_role"]
    );
    d.delete_logs = true;

    // What lam did not create is kept, and said so.
    let mut foreign = in_sync();
    foreign.function.as_mut().unwrap().lam_created = false;
    foreign.role.as_mut().unwrap().lam_created = false;
    let plan = diff(&d, &foreign);
    assert_eq!(kinds(&plan), ["blocked", "blocked"]);
    assert!(
        plan.to_string()
            .contains("function shop-dev: not created by lam")
    );

    // A custom log group may be shared: kept.
    let mut custom = in_sync();
    custom.function.as_mut().unwrap().log_group = Some("/shared/logs".into());
    let plan = diff(&d, &custom);
    assert_eq!(kinds(&plan), ["delete_function", "delete_role", "blocked"]);

    // Nothing there: nothing to do but look for the log group.
    assert_eq!(kinds(&diff(&d, &empty())), ["delete_log_group"]);
    d.delete_logs = false;
    assert_eq!(diff(&d, &empty()).changes, Vec::new());
}

#[test]
fn changes_serialize_as_typed_objects() {
    let mut d = desired();
    wanted(&mut d).memory = 256;
    let plan = diff(&d, &in_sync());
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(
        json["changes"][0],
        json!({
            "kind": "update_configuration",
            "function": NAME,
            "fields": [{"field": "memory", "from": 128, "to": 256}]
        })
    );
    assert_eq!(
        json["changes"][1],
        json!({"kind": "publish", "function": NAME, "alias": "live", "from": "1"})
    );
}

/// IAM is global: the project deployed to a second region runs as the same
/// role. Deploy records each region on it (an older role, without the tag,
/// gets it at its next deploy); destroy in one region keeps a role another
/// region's function still runs as, and deletes it with the last.
#[test]
fn a_role_serving_two_regions_is_kept_until_the_last_one_goes() {
    let mut actual = in_sync();
    if let Some(r) = actual.role.as_mut() {
        r.regions = Vec::new();
    }
    let plan = diff(&desired(), &actual);
    assert!(
        plan.changes.contains(&Change::TagRoleRegions {
            role: desired().lam_role,
            regions: vec![REGION.into()]
        }),
        "{plan}"
    );
    // Already recorded: nothing to do.
    assert!(!kinds(&diff(&desired(), &in_sync())).contains(&"tag_role_regions".to_string()));
}
