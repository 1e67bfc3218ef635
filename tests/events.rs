//! `lam events`: every source generates an event that deserializes into the
//! matching aws_lambda_events type (the schema the Rust runtime uses).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::Read;

use crate::common::*;
use aws_lambda_events::event;
use predicates::prelude::*;
use serde_json::Value;

fn generate(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = lam_offline(dir.path())
        .args(["events", "generate"])
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("a JSON event")
}

fn check<T: serde::de::DeserializeOwned>(source: &str, value: &Value) {
    // From text, as the Rust runtime reads an event (some types borrow from it).
    if let Err(e) = serde_json::from_str::<T>(&value.to_string()) {
        panic!(
            "{source} does not match {}: {e}\n{value:#}",
            std::any::type_name::<T>()
        );
    }
}

#[test]
fn every_source_matches_its_aws_lambda_events_type() {
    let dir = tempfile::tempdir().unwrap();
    let out = lam_offline(dir.path())
        .args(["events", "list", "--output", "json"])
        .assert()
        .success();
    let list: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let sources: Vec<String> = list["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert!(sources.len() >= 25, "{sources:?}");
    for source in &sources {
        let v = generate(&[source, "--seed", "1"]);
        match source.as_str() {
            "apigw-rest" => check::<event::apigw::ApiGatewayProxyRequest>(source, &v),
            "apigw-http" => check::<event::apigw::ApiGatewayV2httpRequest>(source, &v),
            "apigw-authorizer-request" => {
                check::<event::apigw::ApiGatewayCustomAuthorizerRequestTypeRequest>(source, &v)
            }
            "apigw-authorizer-token" => {
                check::<event::apigw::ApiGatewayCustomAuthorizerRequest>(source, &v)
            }
            "function-url" => {
                check::<event::lambda_function_urls::LambdaFunctionUrlRequest>(source, &v)
            }
            "alb" => check::<event::alb::AlbTargetGroupRequest>(source, &v),
            "websocket-connect" | "websocket-message" => {
                check::<event::apigw::ApiGatewayWebsocketProxyRequest>(source, &v)
            }
            "s3-put" | "s3-delete" => check::<event::s3::S3Event>(source, &v),
            "sqs" => check::<event::sqs::SqsEvent>(source, &v),
            "sns" => check::<event::sns::SnsEvent>(source, &v),
            "eventbridge-scheduled" | "eventbridge-custom" => {
                check::<event::eventbridge::EventBridgeEvent>(source, &v)
            }
            "dynamodb" => check::<event::dynamodb::Event>(source, &v),
            "kinesis" => check::<event::kinesis::KinesisEvent>(source, &v),
            "cloudwatch-logs" => check::<event::cloudwatch_logs::LogsEvent>(source, &v),
            "cognito-pre-signup" => {
                check::<event::cognito::CognitoEventUserPoolsPreSignup>(source, &v)
            }
            "ses" => check::<event::ses::SimpleEmailEvent>(source, &v),
            "codecommit" => check::<event::code_commit::CodeCommitEvent>(source, &v),
            "codepipeline" => check::<event::codepipeline_job::CodePipelineJobEvent>(source, &v),
            "config" => check::<event::config::ConfigEvent>(source, &v),
            "kafka" => check::<event::kafka::KafkaEvent>(source, &v),
            "mq" => check::<event::activemq::ActiveMqEvent>(source, &v),
            "secretsmanager-rotation" => {
                check::<event::secretsmanager::SecretsManagerSecretRotationEvent>(source, &v)
            }
            "iot" => check::<event::iot::IoTCoreCustomAuthorizerRequest>(source, &v),
            "appsync" => check::<event::appsync::AppSyncDirectResolverEvent>(source, &v),
            // aws_lambda_events has no CloudFront or Lex V2 type: check their shape here.
            "cloudfront" => {
                assert_eq!(
                    v["Records"][0]["cf"]["config"]["eventType"],
                    "viewer-request"
                );
                assert_eq!(v["Records"][0]["cf"]["request"]["uri"], "/");
            }
            "lex-v2" => {
                assert_eq!(v["sessionState"]["intent"]["name"], "OrderPizza");
                assert_eq!(v["bot"]["localeId"], "en_US");
            }
            other => panic!("no type check for source {other}"),
        }
    }
}

#[test]
fn http_flags_shape_the_request() {
    let v = generate(&[
        "apigw-rest",
        "--method",
        "post",
        "--path",
        "/items/42",
        "--query",
        "a=1",
        "--query",
        "a=2",
        "--header",
        "X-Trace=t1",
        "--path-param",
        "id=42",
        "--body",
        "{\"name\":\"pen\"}",
    ]);
    let e: event::apigw::ApiGatewayProxyRequest = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(e.http_method.as_str(), "POST");
    assert_eq!(e.path.as_deref(), Some("/items/42"));
    assert_eq!(e.path_parameters.get("id").map(String::as_str), Some("42"));
    assert_eq!(
        v["multiValueQueryStringParameters"]["a"],
        serde_json::json!(["1", "2"])
    );
    assert_eq!(v["headers"]["X-Trace"], "t1");
    assert_eq!(e.body.as_deref(), Some("{\"name\":\"pen\"}"));

    // A templated path: the request's path has the value, the resource
    // (and an HTTP API's route) the template; a header as it is sent.
    let v = generate(&[
        "apigw-rest",
        "--path",
        "/items/{id}",
        "--path-param",
        "id=7",
        "--header",
        "X-Foo: bar",
    ]);
    assert_eq!(v["path"], "/items/7");
    assert_eq!(v["resource"], "/items/{id}");
    assert_eq!(v["requestContext"]["path"], "/prod/items/7");
    assert_eq!(v["headers"]["X-Foo"], "bar");
    let v = generate(&[
        "apigw-http",
        "--path",
        "/items/{id}",
        "--path-param",
        "id=7",
    ]);
    assert_eq!(v["rawPath"], "/items/7");
    assert_eq!(v["routeKey"], "GET /items/{id}");

    let v2 = generate(&[
        "apigw-http",
        "--path",
        "/x",
        "--query",
        "q=1",
        "--query",
        "q=2",
    ]);
    assert_eq!(v2["rawQueryString"], "q=1&q=2");
    assert_eq!(v2["queryStringParameters"]["q"], "1,2");
}

#[test]
fn s3_and_batch_flags() {
    let v = generate(&[
        "s3-put",
        "--bucket",
        "photos",
        "--key",
        "uploads/cat.jpg",
        "--size",
        "52000",
    ]);
    let e: event::s3::S3Event = serde_json::from_value(v).unwrap();
    let r = &e.records[0];
    assert_eq!(r.s3.bucket.name.as_deref(), Some("photos"));
    assert_eq!(r.s3.object.key.as_deref(), Some("uploads/cat.jpg"));
    assert_eq!(r.s3.object.size, Some(52000));
    assert_eq!(r.event_name.as_deref(), Some("ObjectCreated:Put"));

    let v = generate(&["sqs", "--count", "3", "--body", "hello"]);
    let e: event::sqs::SqsEvent = serde_json::from_value(v).unwrap();
    assert_eq!(e.records.len(), 3);
    assert!(e.records.iter().all(|m| m.body.as_deref() == Some("hello")));
    let ids: std::collections::BTreeSet<_> =
        e.records.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 3, "message ids are distinct");
}

#[test]
fn cloudwatch_logs_data_is_really_gzip_and_base64() {
    use base64::Engine;
    let v = generate(&["cloudwatch-logs", "--seed", "3"]);
    let data = base64::engine::general_purpose::STANDARD
        .decode(v["awslogs"]["data"].as_str().unwrap())
        .unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(data.as_slice())
        .read_to_string(&mut text)
        .unwrap();
    let inner: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(inner["messageType"], "DATA_MESSAGE");
    assert_eq!(inner["logEvents"].as_array().unwrap().len(), 2);
}

#[test]
fn seeds_reproduce_and_bodies_come_from_files() {
    assert_eq!(
        generate(&["kinesis", "--seed", "9"]),
        generate(&["kinesis", "--seed", "9"])
    );
    assert_ne!(
        generate(&["kinesis", "--seed", "9"]),
        generate(&["kinesis", "--seed", "10"])
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("msg.json"), "{\"from\":\"file\"}").unwrap();
    let out = lam_offline(dir.path())
        .args(["events", "generate", "sns", "--body", "@msg.json"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["Records"][0]["Sns"]["Message"], "{\"from\":\"file\"}");
}

#[test]
fn bad_event_flags_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    lam_offline(dir.path())
        .args(["events", "generate", "carrier-pigeon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown event source \"carrier-pigeon\"",
        ))
        .stderr(predicate::str::contains("hint: use one of: apigw-rest"));
    lam_offline(dir.path())
        .args(["events", "generate", "apigw-rest", "--query", "novalue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--query \"novalue\" is not KEY=VALUE",
        ));
    lam_offline(dir.path())
        .args(["events", "generate", "sns", "--body", "@missing.json"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("missing.json"));
}

#[test]
fn invoke_sends_a_generated_event_exactly() {
    let name = unique("gen");
    let dir = project(
        &format!(
            "[function]\nname = \"{name}\"\nruntime = \"python3.12\"\nhandler = \"app.handler\"\nrole = \"{ROLE_ARN}\"\n"
        ),
        &[("app.py", "def handler(e, c):\n    return e\n")],
    );
    lam(dir.path()).arg("deploy").assert().success();
    let expected = generate(&["apigw-rest", "--path", "/orders", "--seed", "5"]);
    let _serial = invoke_lock();
    // moto's Docker-less invoke echoes the payload it received.
    let out = lam(dir.path())
        .args([
            "invoke",
            "--event-source",
            "apigw-rest",
            "--path",
            "/orders",
            "--seed",
            "5",
        ])
        .assert()
        .success();
    let sent: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(sent, expected);
    // And locally the handler receives it too.
    let out = lam_offline(dir.path())
        .env("LAM_PYTHON", test_python())
        .args([
            "invoke",
            "--local",
            "-q",
            "--event-source",
            "sqs",
            "--count",
            "2",
            "--seed",
            "5",
        ])
        .assert()
        .success();
    let echoed: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(echoed["Records"].as_array().unwrap().len(), 2);
}
