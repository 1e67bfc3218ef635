//! The frameworks handlers are written with, as a user would bring them in
//! (requirements.txt / package.json, installed by lam's build), through
//! `lam serve` and `lam invoke --local`, and with the official runtime
//! client (`--ric`) for the same event, which must answer the same.
//!
//! - Powertools for AWS Lambda (Python): REST event handler with CORS,
//!   Logger with the Lambda context, Metrics as EMF;
//! - FastAPI with Mangum on an HTTP API: path and query parameters, JSON,
//!   cookies both ways, a binary response byte for byte, URL-encoded path
//!   segments, validation errors;
//! - Express with serverless-http, on a REST and an HTTP API.
//!
//! The projects live under the system's temporary directory between runs
//! (`lam-test-frameworks/`), so their dependency installs (`.lam/deps`)
//! are made once per machine, as the runtime clients are.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;
use crate::serve::Serve;

/// A project directory kept between runs (its `.lam/deps` is the cache),
/// with `files` written afresh.
fn kept_project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join("lam-test-frameworks").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

/// A response as bytes: status, lower-cased head, body.
struct Raw {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Raw {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// Every value of header `name`.
    fn headers(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }
}

fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Raw {
    let host = format!("127.0.0.1:{port}");
    let (status, head, body) = crate::serve::exchange(port, &host, method, path, headers, body);
    Raw { status, head, body }
}

/// `lam invoke --local` of `event` (a file in `dir`), with `client` (`[]`
/// or `["--ric"]`): the payload, and what the function logged.
fn invoke(dir: &Path, event: &str, client: &[&str]) -> (serde_json::Value, String) {
    let out = lam_offline(dir)
        .env("LAM_PYTHON", test_python())
        .args(["invoke", "--local", "--event", event])
        .args(client)
        .timeout(Duration::from_secs(600))
        .assert()
        .success();
    let output = out.get_output();
    let payload = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (
        payload,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The same event through lam's bootstrap and the official client: the
/// same payload.
fn both_clients(dir: &Path, event: &str) -> (serde_json::Value, String) {
    let (ours, logs) = invoke(dir, event, &[]);
    let (theirs, _) = invoke(dir, event, &["--ric"]);
    assert_eq!(
        ours, theirs,
        "lam's bootstrap and the official client differ"
    );
    (ours, logs)
}

fn rest_event(
    method: &str,
    path: &str,
    query: serde_json::Value,
    headers: serde_json::Value,
) -> String {
    serde_json::json!({
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": headers.as_object().map(|h| h.iter().map(|(k, v)| (k.clone(), serde_json::json!([v]))).collect::<serde_json::Map<_, _>>()),
        "queryStringParameters": query,
        "multiValueQueryStringParameters": query.as_object().map(|q| q.iter().map(|(k, v)| (k.clone(), serde_json::json!([v]))).collect::<serde_json::Map<_, _>>()),
        "pathParameters": {"proxy": path.trim_start_matches('/')},
        "stageVariables": null,
        "requestContext": {
            "resourcePath": "/{proxy+}", "httpMethod": method, "path": format!("/dev{path}"),
            "stage": "dev", "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "accountId": "123456789012", "apiId": "abcdef1234", "protocol": "HTTP/1.1",
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "test"},
            "requestTimeEpoch": 1_700_000_000_000_i64
        },
        "body": null,
        "isBase64Encoded": false
    })
    .to_string()
}

fn http_event(
    method: &str,
    raw_path: &str,
    raw_query: &str,
    headers: serde_json::Value,
    cookies: &[&str],
) -> String {
    let mut event = serde_json::json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012", "apiId": "abcdef1234", "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "test"},
            "requestId": "JKJaXmPLvHcESHA=", "routeKey": "$default", "stage": "$default",
            "time": "07/Dec/2026:20:00:00 +0000", "timeEpoch": 1_700_000_000_000_i64
        },
        "isBase64Encoded": false
    });
    if !cookies.is_empty() {
        event["cookies"] = serde_json::json!(cookies);
    }
    event.to_string()
}

const POWERTOOLS_APP: &str = r#"from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="orders")
metrics = Metrics(namespace="Shop", service="orders")
app = APIGatewayRestResolver(cors=CORSConfig(allow_origin="https://app.example.com", max_age=300))


@app.get("/orders/<order_id>")
def get_order(order_id: str):
    metrics.add_metric(name="OrderRead", unit=MetricUnit.Count, value=1)
    logger.info("reading an order", extra={"order_id": order_id})
    return {"id": order_id, "q": app.current_event.get_query_string_value("q")}


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event, context):
    return app.resolve(event, context)
"#;

/// Powertools on a REST API: routing, CORS from its resolver, the Logger's
/// Lambda context fields and the Metrics' EMF blob in the function's logs.
#[test]
fn powertools_answers_a_rest_api_with_cors_logs_and_metrics() {
    let dir = kept_project(
        "powertools",
        &[
            (
                "lam.toml",
                "[project]\nname = \"pt\"\n[function]\nruntime = \"python3.11\"\nhandler = \"app.handler\"\ntimeout = 30\n[function.api]\nkind = \"rest\"\n",
            ),
            ("app.py", POWERTOOLS_APP),
            ("requirements.txt", "aws-lambda-powertools==3.4.0\n"),
            (
                "order.json",
                &rest_event(
                    "GET",
                    "/orders/42",
                    serde_json::json!({"q": "fast"}),
                    serde_json::json!({"Origin": "https://app.example.com", "Host": "abcdef1234.execute-api.us-east-1.amazonaws.com"}),
                ),
            ),
        ],
    );
    let (payload, logs) = both_clients(&dir, "order.json");
    assert_eq!(payload["statusCode"], 200, "{payload}");
    let body: serde_json::Value = serde_json::from_str(payload["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"id": "42", "q": "fast"}));
    // The Logger's line carries the Lambda context lam gave the handler.
    let line = logs
        .lines()
        .find(|l| l.contains("reading an order"))
        .unwrap_or_else(|| panic!("no Logger line:\n{logs}"));
    let line: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(line["function_name"], "pt-dev", "{line}");
    assert_eq!(line["order_id"], "42");
    assert!(
        line["function_request_id"]
            .as_str()
            .is_some_and(|r| r.len() == 36),
        "{line}"
    );
    assert!(line["cold_start"].is_boolean(), "{line}");
    // Metrics: one EMF document CloudWatch would turn into a metric.
    let emf = logs
        .lines()
        .find(|l| l.contains("CloudWatchMetrics"))
        .unwrap_or_else(|| panic!("no EMF line:\n{logs}"));
    let emf: serde_json::Value = serde_json::from_str(emf.trim()).unwrap();
    assert_eq!(emf["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Shop");
    assert_eq!(emf["OrderRead"], serde_json::json!([1.0]));

    // Through lam serve: the same route, and CORS as Powertools answers it.
    let serve = Serve::start(&dir, &[]);
    let r = request(
        serve.port,
        "GET",
        "/orders/7?q=x",
        &[("Origin", "https://app.example.com")],
        "",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json(), serde_json::json!({"id": "7", "q": "x"}));
    assert_eq!(
        r.headers("access-control-allow-origin"),
        ["https://app.example.com"]
    );
    let r = request(serve.port, "GET", "/nothing-here", &[], "");
    assert_eq!(r.status, 404);
}

const FASTAPI_APP: &str = r#"from typing import Optional

from fastapi import Cookie, FastAPI, Response
from mangum import Mangum
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str
    price: float


@app.get("/items/{item_id}")
def read_item(item_id: str, q: Optional[str] = None, session: Optional[str] = Cookie(default=None)):
    return {"item_id": item_id, "q": q, "session": session}


@app.post("/items", status_code=201)
def create_item(item: Item):
    return {"created": item.name, "price": item.price}


@app.get("/login")
def login(response: Response):
    response.set_cookie("session", "s3cr3t", httponly=True)
    response.set_cookie("theme", "dark")
    return {"ok": True}


@app.get("/image")
def image():
    return Response(content=bytes(range(256)) * 8, media_type="image/png")


handler = Mangum(app, lifespan="off")
"#;

/// FastAPI behind Mangum on an HTTP API: parameters, JSON in and out,
/// cookies both ways, bytes out exactly, encoded path segments and a
/// validation error.
#[test]
fn fastapi_with_mangum_answers_an_http_api() {
    let dir = kept_project(
        "fastapi",
        &[
            (
                "lam.toml",
                "[project]\nname = \"fa\"\n[function]\nruntime = \"python3.11\"\nhandler = \"app.handler\"\ntimeout = 30\n[function.api]\nkind = \"http\"\n",
            ),
            ("app.py", FASTAPI_APP),
            ("requirements.txt", "fastapi==0.115.6\nmangum==0.19.0\n"),
            (
                "item.json",
                &http_event(
                    "GET",
                    "/items/a%20b",
                    "q=1",
                    serde_json::json!({"host": "abcdef1234.execute-api.us-east-1.amazonaws.com"}),
                    &["session=s1"],
                ),
            ),
        ],
    );
    let (payload, _) = both_clients(&dir, "item.json");
    assert_eq!(payload["statusCode"], 200, "{payload}");
    let body: serde_json::Value = serde_json::from_str(payload["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"item_id": "a b", "q": "1", "session": "s1"})
    );

    let serve = Serve::start(&dir, &[]);
    let port = serve.port;
    let r = request(
        port,
        "GET",
        "/items/caf%C3%A9%20x?q=2",
        &[("Cookie", "session=s2; theme=light")],
        "",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.json(),
        serde_json::json!({"item_id": "café x", "q": "2", "session": "s2"})
    );
    let r = request(
        port,
        "POST",
        "/items",
        &[("Content-Type", "application/json")],
        r#"{"name": "pen", "price": 1.5}"#,
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        r.json(),
        serde_json::json!({"created": "pen", "price": 1.5})
    );
    let r = request(
        port,
        "POST",
        "/items",
        &[("Content-Type", "application/json")],
        r#"{"name": "pen"}"#,
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["detail"][0]["loc"],
        serde_json::json!(["body", "price"])
    );
    // Two cookies set: two Set-Cookie headers (HTTP API's `cookies`).
    let r = request(port, "GET", "/login", &[], "");
    assert_eq!(r.status, 200);
    let mut cookies = r.headers("set-cookie");
    cookies.sort();
    assert_eq!(cookies.len(), 2, "{}", r.head);
    assert!(
        cookies[0].starts_with("session=s3cr3t") && cookies[0].contains("httponly"),
        "{cookies:?}"
    );
    assert!(cookies[1].starts_with("theme=dark"), "{cookies:?}");
    // Bytes out, exactly.
    let r = request(port, "GET", "/image", &[("Accept", "image/png")], "");
    assert_eq!(r.status, 200);
    assert_eq!(r.headers("content-type"), ["image/png"]);
    let expected: Vec<u8> = (0..8).flat_map(|_| 0..=255u8).collect();
    assert_eq!(r.body, expected);
}

const EXPRESS_APP: &str = r#"const express = require('express');
const serverless = require('serverless-http');

const app = express();
app.use(express.json());
app.get('/hello/:name', (req, res) => res.json({ name: req.params.name, q: req.query.q || null }));
app.post('/echo', (req, res) => res.status(201).set('x-echo', 'yes').json(req.body));
app.use((req, res) => res.status(404).json({ missing: req.path }));

module.exports.handler = serverless(app);
"#;

/// Express with serverless-http on both API kinds.
#[test]
fn express_with_serverless_http_answers_both_api_kinds() {
    for kind in ["rest", "http"] {
        let dir = kept_project(
            &format!("express-{kind}"),
            &[
                (
                    "lam.toml",
                    &format!(
                        "[project]\nname = \"ex\"\n[function]\nruntime = \"nodejs22.x\"\nhandler = \"index.handler\"\ntimeout = 30\n[function.api]\nkind = \"{kind}\"\n"
                    ),
                ),
                ("index.js", EXPRESS_APP),
                (
                    "package.json",
                    r#"{"name": "ex", "version": "1.0.0", "dependencies": {"express": "4.21.2", "serverless-http": "3.2.0"}}"#,
                ),
                (
                    "hello.json",
                    &if kind == "rest" {
                        rest_event(
                            "GET",
                            "/hello/ana",
                            serde_json::json!({"q": "hi"}),
                            serde_json::json!({"Host": "abcdef1234.execute-api.us-east-1.amazonaws.com"}),
                        )
                    } else {
                        http_event(
                            "GET",
                            "/hello/ana",
                            "q=hi",
                            serde_json::json!({"host": "abcdef1234.execute-api.us-east-1.amazonaws.com"}),
                            &[],
                        )
                    },
                ),
            ],
        );
        // The official client lives in the project's node_modules (lam's
        // own runs use the tree the zip holds).
        let modules = node_ric_modules(3);
        assert!(
            modules.join("aws-lambda-ric/package.json").is_file(),
            "aws-lambda-ric is not installed in {} (bash .ci/run installs it)",
            modules.display()
        );
        let link = dir.join("node_modules");
        if link.symlink_metadata().is_err() {
            std::os::unix::fs::symlink(&modules, &link).unwrap();
        }
        let (payload, _) = both_clients(&dir, "hello.json");
        assert_eq!(payload["statusCode"], 200, "{kind}: {payload}");
        let body: serde_json::Value =
            serde_json::from_str(payload["body"].as_str().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"name": "ana", "q": "hi"}),
            "{kind}"
        );

        let serve = Serve::start(&dir, &[]);
        let r = request(serve.port, "GET", "/hello/bo%20b?q=x", &[], "");
        assert_eq!(
            r.status,
            200,
            "{kind}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            r.json(),
            serde_json::json!({"name": "bo b", "q": "x"}),
            "{kind}"
        );
        let r = request(
            serve.port,
            "POST",
            "/echo",
            &[("Content-Type", "application/json")],
            r#"{"a": [1, 2]}"#,
        );
        assert_eq!(r.status, 201, "{kind}");
        assert_eq!(r.headers("x-echo"), ["yes"], "{kind}");
        assert_eq!(r.json(), serde_json::json!({"a": [1, 2]}), "{kind}");
        let r = request(serve.port, "GET", "/nope", &[], "");
        assert_eq!(r.status, 404, "{kind}");
        assert_eq!(r.json(), serde_json::json!({"missing": "/nope"}), "{kind}");
    }
}
