//! `[[function.triggers]]` against moto: S3 notifications merged beside
//! foreign ones, EventBridge schedules, SQS mappings and SNS subscriptions,
//! each with a scoped permission; reruns that only read; removal; destroy;
//! and the refusals (recursive prefix, bad expressions, unknown types).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;
use predicates::prelude::*;
use serde_json::Value;

const HANDLER: &str = "def lambda_handler(event, context):\n    return {'ok': True}\n";

fn lam_toml(project: &str, triggers: &str) -> String {
    format!(
        "[project]\nname = \"{project}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n\n{triggers}"
    )
}

fn deploy(dir: &std::path::Path) -> Value {
    let out = lam(dir)
        .args(["deploy", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn permissions(name: &str) -> Vec<(String, String)> {
    match block_on(
        lambda_client()
            .get_policy()
            .function_name(name)
            .qualifier("live")
            .send(),
    ) {
        Ok(out) => {
            let doc: Value = serde_json::from_str(out.policy().unwrap()).unwrap();
            doc["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["Sid"].as_str().unwrap_or_default().to_string(),
                        s["Condition"]["ArnLike"]["AWS:SourceArn"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    )
                })
                .collect()
        }
        Err(_) => Vec::new(),
    }
}

#[test]
fn triggers_are_wired_reused_removed_and_destroyed_leaving_foreign_ones() {
    let project = unique("trig");
    let name = format!("{project}-dev");
    let bucket = format!("photos-{}", project.to_lowercase());
    let queue = format!("orders-{project}");
    let topic_name = format!("alerts-{project}");
    let queue_arn = create_queue(&queue);
    let sns = aws_sdk_sns::Client::new(&sdk_config());
    let topic = block_on(sns.create_topic().name(&topic_name).send()).unwrap();
    let topic_arn = topic.topic_arn().unwrap().to_string();
    block_on(s3().create_bucket().bucket(&bucket).send()).unwrap();

    // Someone else's notification on the bucket, which must survive.
    let foreign_target = format!("arn:aws:lambda:us-east-1:123456789012:function:{project}-other");
    let foreign = aws_sdk_s3::types::LambdaFunctionConfiguration::builder()
        .id("someone-else")
        .lambda_function_arn(&foreign_target)
        .events(aws_sdk_s3::types::Event::from("s3:ObjectRemoved:*"))
        .build()
        .unwrap();
    block_on(
        s3().put_bucket_notification_configuration()
            .bucket(&bucket)
            .notification_configuration(
                aws_sdk_s3::types::NotificationConfiguration::builder()
                    .lambda_function_configurations(foreign)
                    .build(),
            )
            .send(),
    )
    .unwrap();

    let all = format!(
        "[[function.triggers]]\ntype = \"s3\"\nbucket = \"{bucket}\"\nprefix = \"uploads/\"\nsuffix = \".jpg\"\n\n\
         [[function.triggers]]\ntype = \"schedule\"\nexpression = \"rate(5 minutes)\"\ninput = {{ job = \"nightly\" }}\n\n\
         [[function.triggers]]\ntype = \"sqs\"\nqueue = \"{queue}\"\nbatch_size = 25\nreport_batch_item_failures = true\n\n\
         [[function.triggers]]\ntype = \"sns\"\ntopic = \"{topic_name}\"\n"
    );
    let dir = project_dir(&project, &all);
    let doc = deploy(dir.path());
    let alias_arn = format!("{}:live", doc["functions"][0]["arn"].as_str().unwrap());

    // S3: lam's entry beside the foreign one.
    let notes = block_on(
        s3().get_bucket_notification_configuration()
            .bucket(&bucket)
            .send(),
    )
    .unwrap();
    let lambdas = notes.lambda_function_configurations();
    assert_eq!(lambdas.len(), 2, "{lambdas:?}");
    assert!(lambdas.iter().any(|c| c.id() == Some("someone-else")));
    let ours = lambdas
        .iter()
        .find(|c| {
            c.id()
                .is_some_and(|i| i.starts_with(&format!("lam-{name}.")))
        })
        .expect("lam's notification");
    assert_eq!(ours.lambda_function_arn(), alias_arn);
    let rules: Vec<(String, String)> = ours
        .filter()
        .and_then(|f| f.key())
        .map(|k| {
            k.filter_rules()
                .iter()
                .map(|r| {
                    (
                        r.name().unwrap().as_str().to_lowercase(),
                        r.value().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        rules.contains(&("prefix".into(), "uploads/".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("suffix".into(), ".jpg".into())),
        "{rules:?}"
    );

    // Schedule: the rule, its expression, the alias as target with the input.
    let events = aws_sdk_eventbridge::Client::new(&sdk_config());
    let rule_name = format!("lam-{name}.schedule-0");
    let rule = block_on(events.describe_rule().name(&rule_name).send()).unwrap();
    assert_eq!(rule.schedule_expression(), Some("rate(5 minutes)"));
    let targets = block_on(events.list_targets_by_rule().rule(&rule_name).send()).unwrap();
    assert_eq!(targets.targets()[0].arn(), alias_arn);
    let input: Value = serde_json::from_str(targets.targets()[0].input().unwrap()).unwrap();
    assert_eq!(input["job"], "nightly");

    // SQS: the mapping with its batch size; the role may read the queue.
    let mappings = block_on(
        lambda_client()
            .list_event_source_mappings()
            .function_name(&alias_arn)
            .send(),
    )
    .unwrap();
    let mapping = &mappings.event_source_mappings()[0];
    assert_eq!(mapping.event_source_arn(), Some(queue_arn.as_str()));
    assert_eq!(mapping.batch_size(), Some(25));
    let uuid = mapping.uuid().unwrap().to_string();
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    let policy = block_on(
        iam.get_role_policy()
            .role_name(format!("lam-{project}-dev-function"))
            .policy_name("lam")
            .send(),
    )
    .unwrap();
    assert!(
        policy.policy_document().contains("sqs%3AReceiveMessage")
            || policy.policy_document().contains("sqs:ReceiveMessage")
    );
    assert!(policy.policy_document().contains(&queue));

    // SNS: subscribed.
    let subs = block_on(
        sns.list_subscriptions_by_topic()
            .topic_arn(&topic_arn)
            .send(),
    )
    .unwrap();
    assert!(
        subs.subscriptions()
            .iter()
            .any(|s| s.endpoint() == Some(alias_arn.as_str()) && s.protocol() == Some("lambda"))
    );

    // Each permission is scoped to its source.
    let perms = permissions(&name);
    let rule_arn = format!("arn:aws:events:us-east-1:123456789012:rule/{rule_name}");
    for (sid, source) in [
        (format!("lam-s3-{bucket}"), format!("arn:aws:s3:::{bucket}")),
        ("lam-schedule-0".to_string(), rule_arn),
        (format!("lam-sns-{topic_name}"), topic_arn.clone()),
    ] {
        assert!(
            perms.contains(&(sid.clone(), source.clone())),
            "{sid} → {source} in {perms:?}"
        );
    }
    // What lam sent, as the Lambda model checked it (moto keeps neither
    // field): a bucket ARN names no account, so the S3 grant carries
    // SourceAccount; a standard queue with batch_size > 10 needs a batching
    // window of at least 1 s (CreateEventSourceMapping, BatchSize).
    let s3_grant = sent("lambda", "AddPermission", |i| {
        i["StatementId"] == format!("lam-s3-{bucket}").as_str()
    });
    assert_eq!(s3_grant.len(), 1, "{s3_grant:?}");
    assert_eq!(s3_grant[0]["SourceAccount"], "123456789012");
    let created = sent("lambda", "CreateEventSourceMapping", |i| {
        i["EventSourceArn"] == queue_arn.as_str()
    });
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["BatchSize"], 25);
    assert_eq!(created[0]["MaximumBatchingWindowInSeconds"], 1);

    // A rerun with nothing changed: reads only.
    let out = lam(dir.path()).args(["deploy", "-v"]).assert().success();
    assert_eq!(
        mutating(&calls(&out.get_output().stderr)),
        Vec::<String>::new()
    );
    lam(dir.path())
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("trigger sqs {queue}")))
        .stdout(predicate::str::contains("triggers differ").not());

    // A changed batch size updates the mapping in place; a dry run first changes nothing.
    std::fs::write(
        dir.path().join("lam.toml"),
        lam_toml(&project, &all.replace("batch_size = 25", "batch_size = 50")),
    )
    .unwrap();
    lam(dir.path())
        .args(["deploy", "--dry-run"])
        .assert()
        .success()
        .stderr(predicate::str::contains("update the mapping"));
    let same = block_on(
        lambda_client()
            .get_event_source_mapping()
            .uuid(&uuid)
            .send(),
    )
    .unwrap();
    assert_eq!(same.batch_size(), Some(25));
    deploy(dir.path());
    let updated = block_on(
        lambda_client()
            .get_event_source_mapping()
            .uuid(&uuid)
            .send(),
    )
    .unwrap();
    assert_eq!(updated.batch_size(), Some(50));

    // Schedule and SNS removed from lam.toml: removed from AWS, with their permissions.
    let fewer = format!(
        "[[function.triggers]]\ntype = \"s3\"\nbucket = \"{bucket}\"\nprefix = \"uploads/\"\nsuffix = \".jpg\"\n\n\
         [[function.triggers]]\ntype = \"sqs\"\nqueue = \"{queue}\"\nbatch_size = 50\nreport_batch_item_failures = true\n"
    );
    std::fs::write(dir.path().join("lam.toml"), lam_toml(&project, &fewer)).unwrap();
    deploy(dir.path());
    assert!(block_on(events.describe_rule().name(&rule_name).send()).is_err());
    let subs = block_on(
        sns.list_subscriptions_by_topic()
            .topic_arn(&topic_arn)
            .send(),
    )
    .unwrap();
    assert!(
        !subs
            .subscriptions()
            .iter()
            .any(|s| s.endpoint() == Some(alias_arn.as_str()))
    );
    let perms = permissions(&name);
    assert!(
        !perms
            .iter()
            .any(|(sid, _)| sid.starts_with("lam-sns-") || sid == "lam-schedule-0"),
        "{perms:?}"
    );
    assert!(perms.iter().any(|(sid, _)| sid.starts_with("lam-s3-")));

    // destroy: lam's notification and mapping go, the foreign notification stays.
    lam(dir.path())
        .args(["destroy", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("triggers of {name}")));
    let notes = block_on(
        s3().get_bucket_notification_configuration()
            .bucket(&bucket)
            .send(),
    )
    .unwrap();
    let ids: Vec<&str> = notes
        .lambda_function_configurations()
        .iter()
        .filter_map(|c| c.id())
        .collect();
    assert_eq!(ids, vec!["someone-else"]);
    assert!(
        block_on(
            lambda_client()
                .get_event_source_mapping()
                .uuid(&uuid)
                .send()
        )
        .is_err()
    );
}

fn project_dir(project: &str, triggers: &str) -> tempfile::TempDir {
    crate::common::project(&lam_toml(project, triggers), &[("app.py", HANDLER)])
}

#[test]
fn bad_triggers_are_refused_before_any_call() {
    let cases = [
        (
            "[[function.triggers]]\ntype = \"kinesis\"\nstream = \"x\"\n",
            "unknown variant `kinesis`",
        ),
        (
            "[[function.triggers]]\ntype = \"schedule\"\nexpression = \"every 5 minutes\"\n",
            "is not a schedule",
        ),
        (
            "[[function.triggers]]\ntype = \"schedule\"\nexpression = \"rate(5 minute)\"\n",
            "use the plural",
        ),
        (
            "[[function.triggers]]\ntype = \"sqs\"\nqueue = \"orders\"\nbatch_size = 0\n",
            "batch_size = 0 is outside",
        ),
        (
            "[[function.triggers]]\ntype = \"s3\"\nbucket = \"photos\"\nevents = [\"ObjectCreated\"]\n",
            "is not an S3 event",
        ),
        (
            "[[function.triggers]]\ntype = \"s3\"\n",
            "missing field `bucket`",
        ),
        // The s3-image trap: output written under OUTPUT_PREFIX in the same bucket.
        (
            "[function.env]\nOUTPUT_PREFIX = \"thumbnails/\"\n\n[[function.triggers]]\ntype = \"s3\"\nbucket = \"photos\"\n",
            "would also fire for the objects this function writes",
        ),
    ];
    for (triggers, expected) in cases {
        let dir = project_dir(&unique("badtrig"), triggers);
        lam_offline(dir.path())
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .args(["deploy", "--dry-run"])
            .assert()
            .code(3)
            .stderr(predicate::str::contains(expected))
            .stderr(predicate::str::contains("hint:"));
    }
}

#[test]
fn an_sns_topic_of_another_region_is_subscribed_there() {
    let project = unique("xregion");
    let name = format!("{project}-dev");
    let west = aws_sdk_sns::config::Builder::from(&sdk_config())
        .region(aws_sdk_sns::config::Region::new("us-west-2"))
        .build();
    let sns = aws_sdk_sns::Client::from_conf(west);
    let topic = block_on(sns.create_topic().name(format!("t-{project}")).send()).unwrap();
    let topic_arn = topic.topic_arn().unwrap().to_string();
    assert!(topic_arn.contains(":us-west-2:"), "{topic_arn}");
    let dir = crate::common::project(
        &lam_toml(
            &project,
            &format!("[[function.triggers]]\ntype = \"sns\"\ntopic = \"{topic_arn}\"\n"),
        ),
        &[("app.py", HANDLER)],
    );
    deploy(dir.path());
    let alias_arn = format!("arn:aws:lambda:us-east-1:123456789012:function:{name}:live");
    let subs = block_on(
        sns.list_subscriptions_by_topic()
            .topic_arn(&topic_arn)
            .send(),
    )
    .unwrap();
    assert!(
        subs.subscriptions()
            .iter()
            .any(|s| s.endpoint() == Some(alias_arn.as_str())),
        "{subs:?}"
    );
    // Settled: a rerun only reads.
    lam(dir.path())
        .args(["status", "--check"])
        .assert()
        .success();
}

#[test]
fn a_queue_whose_visibility_timeout_is_too_short_is_refused_before_any_change() {
    let project = unique("vis");
    let queue = format!("short-{project}");
    let (status, body) = http(
        moto(),
        "POST",
        "/",
        "application/x-www-form-urlencoded",
        Some("sqs"),
        &format!(
            "Action=CreateQueue&QueueName={queue}&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=20&Version=2012-11-05"
        ),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let dir = crate::common::project(
        &format!(
            "[project]\nname = \"{project}\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\ntimeout = 60\n\n[[function.triggers]]\ntype = \"sqs\"\nqueue = \"{queue}\"\n"
        ),
        &[("app.py", HANDLER)],
    );
    let out = lam(dir.path())
        .args(["deploy", "-v"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "visibility timeout of 20 s, shorter than",
        ))
        .stderr(predicates::str::contains("timeout of 60 s"));
    assert_eq!(
        mutating(&calls(&out.get_output().stderr)),
        Vec::<String>::new()
    );
}
