//! One generator per event source. Shapes follow what each service sends
//! (checked against the aws_lambda_events types in tests/events.rs).

use serde_json::{Map, Value, json};

use super::{ACCOUNT, Gen, Params, REGION, Source, b64, gzip};

pub static ALL: &[Source] = &[
    Source {
        name: "apigw-rest",
        about: "API Gateway REST API proxy request (payload 1.0)",
        generate: apigw_rest,
    },
    Source {
        name: "apigw-http",
        about: "API Gateway HTTP API request (payload 2.0)",
        generate: apigw_http,
    },
    Source {
        name: "apigw-authorizer-request",
        about: "API Gateway REST request authorizer",
        generate: authorizer_request,
    },
    Source {
        name: "apigw-authorizer-token",
        about: "API Gateway REST token authorizer",
        generate: authorizer_token,
    },
    Source {
        name: "function-url",
        about: "Lambda function URL request",
        generate: function_url,
    },
    Source {
        name: "alb",
        about: "Application Load Balancer target request",
        generate: alb,
    },
    Source {
        name: "websocket-connect",
        about: "API Gateway WebSocket $connect",
        generate: websocket_connect,
    },
    Source {
        name: "websocket-message",
        about: "API Gateway WebSocket message",
        generate: websocket_message,
    },
    Source {
        name: "s3-put",
        about: "S3 ObjectCreated:Put notification",
        generate: s3_put,
    },
    Source {
        name: "s3-delete",
        about: "S3 ObjectRemoved:Delete notification",
        generate: s3_delete,
    },
    Source {
        name: "sqs",
        about: "SQS messages (--count for a batch)",
        generate: sqs,
    },
    Source {
        name: "sns",
        about: "SNS notification",
        generate: sns,
    },
    Source {
        name: "eventbridge-scheduled",
        about: "EventBridge scheduled event",
        generate: eventbridge_scheduled,
    },
    Source {
        name: "eventbridge-custom",
        about: "EventBridge custom event (--body is the detail)",
        generate: eventbridge_custom,
    },
    Source {
        name: "dynamodb",
        about: "DynamoDB stream records (--count)",
        generate: dynamodb,
    },
    Source {
        name: "kinesis",
        about: "Kinesis stream records (--count)",
        generate: kinesis,
    },
    Source {
        name: "cloudwatch-logs",
        about: "CloudWatch Logs subscription (gzip + base64)",
        generate: cloudwatch_logs,
    },
    Source {
        name: "cognito-pre-signup",
        about: "Cognito user pool pre sign-up trigger",
        generate: cognito_pre_signup,
    },
    Source {
        name: "ses",
        about: "SES email receiving",
        generate: ses,
    },
    Source {
        name: "cloudfront",
        about: "CloudFront viewer request (Lambda@Edge)",
        generate: cloudfront,
    },
    Source {
        name: "codecommit",
        about: "CodeCommit repository trigger",
        generate: codecommit,
    },
    Source {
        name: "codepipeline",
        about: "CodePipeline job",
        generate: codepipeline,
    },
    Source {
        name: "config",
        about: "AWS Config rule evaluation",
        generate: config,
    },
    Source {
        name: "kafka",
        about: "Amazon MSK (Kafka) records (--count)",
        generate: kafka,
    },
    Source {
        name: "mq",
        about: "Amazon MQ (ActiveMQ) messages (--count)",
        generate: mq,
    },
    Source {
        name: "secretsmanager-rotation",
        about: "Secrets Manager rotation step",
        generate: secrets_rotation,
    },
    Source {
        name: "iot",
        about: "IoT Core custom authorizer request",
        generate: iot,
    },
    Source {
        name: "lex-v2",
        about: "Lex V2 fulfillment",
        generate: lex_v2,
    },
    Source {
        name: "appsync",
        about: "AppSync direct Lambda resolver",
        generate: appsync,
    },
];

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
}

fn count(p: &Params) -> usize {
    p.count.unwrap_or(1)
}

fn body_or(p: &Params, default: &str) -> String {
    p.body.clone().unwrap_or_else(|| default.to_string())
}

/// The HTTP request the flags describe, with a browser-like default set of headers.
struct Http {
    method: String,
    /// The request's path, with `--path-param` values in place of the
    /// template's `{name}` (`/items/1`).
    path: String,
    /// The path as given, the resource or route it matches (`/items/{id}`).
    template: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    path_params: Vec<(String, String)>,
    body: Option<String>,
}

fn http(p: &Params) -> Http {
    let mut headers = vec![
        ("Accept".to_string(), "application/json".to_string()),
        (
            "Host".to_string(),
            "abc123.execute-api.us-east-1.amazonaws.com".to_string(),
        ),
        ("User-Agent".to_string(), "curl/8.5.0".to_string()),
    ];
    for (k, v) in &p.headers {
        headers.retain(|(hk, _)| !hk.eq_ignore_ascii_case(k));
        headers.push((k.clone(), v.clone()));
    }
    if p.body.is_some()
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    Http {
        method: p
            .method
            .clone()
            .unwrap_or_else(|| "GET".into())
            .to_ascii_uppercase(),
        path: fill_path(p.path.as_deref().unwrap_or("/"), &p.path_params),
        template: p.path.clone().unwrap_or_else(|| "/".into()),
        query: p.query.clone(),
        headers,
        path_params: p.path_params.clone(),
        body: p.body.clone(),
    }
}

/// `template` with each `{name}` (or greedy `{name+}`) that `params` names
/// replaced by its value: the path a client requested.
fn fill_path(template: &str, params: &[(String, String)]) -> String {
    let mut path = template.to_string();
    for (name, value) in params {
        path = path
            .replace(&format!("{{{name}+}}"), value)
            .replace(&format!("{{{name}}}"), value);
    }
    path
}

fn single(pairs: &[(String, String)]) -> Value {
    if pairs.is_empty() {
        return Value::Null;
    }
    Value::Object(pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

fn multi(pairs: &[(String, String)]) -> Value {
    if pairs.is_empty() {
        return Value::Null;
    }
    let mut m: Map<String, Value> = Map::new();
    for (k, v) in pairs {
        match m.get_mut(k).and_then(Value::as_array_mut) {
            Some(list) => list.push(json!(v)),
            None => {
                m.insert(k.clone(), json!([v]));
            }
        }
    }
    Value::Object(m)
}

fn joined(pairs: &[(String, String)], lowercase: bool) -> Map<String, Value> {
    let mut m: Map<String, Value> = Map::new();
    for (k, v) in pairs {
        let key = if lowercase {
            k.to_ascii_lowercase()
        } else {
            k.clone()
        };
        let value = match m.get(&key).and_then(Value::as_str) {
            Some(existing) => format!("{existing},{v}"),
            None => v.clone(),
        };
        m.insert(key, json!(value));
    }
    m
}

fn raw_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn request_time(g: &Gen) -> String {
    crate::clock::request_time(g.now_ms())
}

fn apigw_rest(g: &mut Gen, p: &Params) -> Value {
    let h = http(p);
    let resource = if h.path_params.is_empty() {
        "/{proxy+}".to_string()
    } else {
        h.template.clone()
    };
    let path_params = if h.path_params.is_empty() && h.path != "/" {
        json!({ "proxy": h.path.trim_start_matches('/') })
    } else {
        single(&h.path_params)
    };
    let request_id = g.uuid();
    json!({
        "resource": resource,
        "path": h.path,
        "httpMethod": h.method,
        "headers": single(&h.headers),
        "multiValueHeaders": multi(&h.headers),
        "queryStringParameters": single(&h.query),
        "multiValueQueryStringParameters": multi(&h.query),
        "pathParameters": path_params,
        "stageVariables": null,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "extendedRequestId": format!("{}=", g.alnum(15)),
            "httpMethod": h.method,
            "identity": { "sourceIp": "203.0.113.10", "userAgent": "curl/8.5.0", "accountId": null, "caller": null, "user": null, "userArn": null },
            "path": format!("/prod{}", h.path),
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTime": request_time(g),
            "requestTimeEpoch": g.now_ms(),
            "resourceId": g.alnum(6).to_lowercase(),
            "resourcePath": resource,
            "stage": "prod",
        },
        "body": h.body,
        "isBase64Encoded": false,
    })
}

fn apigw_http(g: &mut Gen, p: &Params) -> Value {
    let h = http(p);
    let route = if h.path_params.is_empty() {
        "$default".to_string()
    } else {
        format!("{} {}", h.method, h.template)
    };
    let mut event = json!({
        "version": "2.0",
        "routeKey": route,
        "rawPath": h.path,
        "rawQueryString": raw_query(&h.query),
        "headers": joined(&h.headers, true),
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": { "method": h.method, "path": h.path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.10", "userAgent": "curl/8.5.0" },
            "requestId": format!("{}=", g.alnum(15)),
            "routeKey": route,
            "stage": "$default",
            "time": request_time(g),
            "timeEpoch": g.now_ms(),
        },
        "isBase64Encoded": false,
    });
    if let Some(obj) = event.as_object_mut() {
        if !h.query.is_empty() {
            obj.insert(
                "queryStringParameters".into(),
                Value::Object(joined(&h.query, false)),
            );
        }
        if !h.path_params.is_empty() {
            obj.insert("pathParameters".into(), single(&h.path_params));
        }
        if let Some(b) = h.body {
            obj.insert("body".into(), json!(b));
        }
    }
    event
}

fn authorizer_request(g: &mut Gen, p: &Params) -> Value {
    let h = http(p);
    json!({
        "type": "REQUEST",
        "methodArn": format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:abc123/prod/{}{}", h.method, h.path),
        "resource": h.template,
        "path": h.path,
        "httpMethod": h.method,
        "headers": single(&h.headers),
        "multiValueHeaders": multi(&h.headers),
        "queryStringParameters": single(&h.query),
        "multiValueQueryStringParameters": multi(&h.query),
        "pathParameters": single(&h.path_params),
        "stageVariables": {},
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "httpMethod": h.method,
            "path": format!("/prod{}", h.path),
            "requestId": g.uuid(),
            "resourceId": g.alnum(6).to_lowercase(),
            "resourcePath": h.template,
            "stage": "prod",
            "identity": { "sourceIp": "203.0.113.10", "userAgent": "curl/8.5.0" },
        },
    })
}

fn authorizer_token(g: &mut Gen, p: &Params) -> Value {
    let h = http(p);
    let token = p
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| format!("Bearer {}", g.alnum(32)));
    json!({
        "type": "TOKEN",
        "authorizationToken": token,
        "methodArn": format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:abc123/prod/{}{}", h.method, h.path),
    })
}

fn function_url(g: &mut Gen, p: &Params) -> Value {
    let mut event = apigw_http(g, p);
    let url_id = g.hex(32);
    if let Some(ctx) = event
        .get_mut("requestContext")
        .and_then(Value::as_object_mut)
    {
        ctx.insert("accountId".into(), json!("anonymous"));
        ctx.insert("apiId".into(), json!(url_id));
        ctx.insert(
            "domainName".into(),
            json!(format!("{url_id}.lambda-url.{REGION}.on.aws")),
        );
        ctx.insert("domainPrefix".into(), json!(url_id));
        ctx.insert("routeKey".into(), json!("$default"));
    }
    if let Some(obj) = event.as_object_mut() {
        obj.insert("routeKey".into(), json!("$default"));
        obj.remove("pathParameters");
    }
    event
}

fn alb(g: &mut Gen, p: &Params) -> Value {
    let h = http(p);
    json!({
        "requestContext": { "elb": { "targetGroupArn": format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/lambda-tg/{}", g.hex(16)) } },
        "httpMethod": h.method,
        "path": h.path,
        "queryStringParameters": Value::Object(joined(&h.query, false)),
        "headers": Value::Object(joined(&h.headers, true)),
        "body": h.body.unwrap_or_default(),
        "isBase64Encoded": false,
    })
}

fn websocket(g: &mut Gen, p: &Params, route: &str, event_type: &str) -> Value {
    let connection = format!("{}=", g.alnum(15));
    let mut event = json!({
        "headers": { "Host": "ws123.execute-api.us-east-1.amazonaws.com", "Sec-WebSocket-Version": "13" },
        "multiValueHeaders": { "Host": ["ws123.execute-api.us-east-1.amazonaws.com"], "Sec-WebSocket-Version": ["13"] },
        "requestContext": {
            "routeKey": route,
            "eventType": event_type,
            "extendedRequestId": format!("{}=", g.alnum(15)),
            "requestTime": request_time(g),
            "messageDirection": "IN",
            "stage": "prod",
            "connectedAt": g.now_ms(),
            "requestTimeEpoch": g.now_ms(),
            "identity": { "sourceIp": "203.0.113.10" },
            "requestId": format!("{}=", g.alnum(15)),
            "domainName": "ws123.execute-api.us-east-1.amazonaws.com",
            "connectionId": connection,
            "apiId": "ws123",
        },
        "isBase64Encoded": false,
    });
    if event_type == "MESSAGE"
        && let Some(obj) = event.as_object_mut()
    {
        obj.insert(
            "body".into(),
            json!(body_or(p, r#"{"action":"sendmessage","data":"hello"}"#)),
        );
        if let Some(ctx) = obj.get_mut("requestContext").and_then(Value::as_object_mut) {
            ctx.insert("messageId".into(), json!(format!("{}=", g.alnum(15))));
        }
    }
    event
}

fn websocket_connect(g: &mut Gen, p: &Params) -> Value {
    websocket(g, p, "$connect", "CONNECT")
}

fn websocket_message(g: &mut Gen, p: &Params) -> Value {
    websocket(g, p, "sendmessage", "MESSAGE")
}

fn s3(g: &mut Gen, p: &Params, event_name: &str) -> Value {
    let bucket = p.bucket.clone().unwrap_or_else(|| "example-bucket".into());
    let key = p.key.clone().unwrap_or_else(|| "uploads/photo.jpg".into());
    let mut object = json!({ "key": key, "sequencer": g.hex(18).to_uppercase() });
    if event_name.starts_with("ObjectCreated")
        && let Some(o) = object.as_object_mut()
    {
        o.insert("size".into(), json!(p.size.unwrap_or(1024)));
        o.insert("eTag".into(), json!(g.hex(32)));
        o.insert("versionId".into(), json!(""));
    }
    json!({
        "Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": REGION,
            "eventTime": g.iso(),
            "eventName": event_name,
            "userIdentity": { "principalId": format!("AWS:{}", g.alnum(21).to_uppercase()) },
            "requestParameters": { "sourceIPAddress": "203.0.113.10" },
            "responseElements": { "x-amz-request-id": g.hex(16).to_uppercase(), "x-amz-id-2": g.alnum(64) },
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "lam-trigger",
                "bucket": { "name": bucket, "ownerIdentity": { "principalId": g.alnum(14).to_uppercase() }, "arn": format!("arn:aws:s3:::{bucket}") },
                "object": object,
            },
        }],
    })
}

fn s3_put(g: &mut Gen, p: &Params) -> Value {
    s3(g, p, "ObjectCreated:Put")
}

fn s3_delete(g: &mut Gen, p: &Params) -> Value {
    s3(g, p, "ObjectRemoved:Delete")
}

fn sqs(g: &mut Gen, p: &Params) -> Value {
    let records: Vec<Value> = (0..count(p))
        .map(|i| {
            let body = body_or(p, &format!(r#"{{"orderId": {}}}"#, 1000 + i));
            json!({
                "messageId": g.uuid(),
                "receiptHandle": g.alnum(64),
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": (g.now_ms() + i as i64).to_string(),
                    "SenderId": g.alnum(21).to_uppercase(),
                    "ApproximateFirstReceiveTimestamp": (g.now_ms() + i as i64 + 5).to_string(),
                },
                "messageAttributes": {},
                "md5OfBody": g.hex(32),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn("sqs", "orders"),
                "awsRegion": REGION,
            })
        })
        .collect();
    json!({ "Records": records })
}

fn sns(g: &mut Gen, p: &Params) -> Value {
    let topic = arn("sns", "alerts");
    json!({
        "Records": [{
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": format!("{topic}:{}", g.uuid()),
            "Sns": {
                "Type": "Notification",
                "MessageId": g.uuid(),
                "TopicArn": topic,
                "Subject": "Alert",
                "Message": body_or(p, r#"{"alarm": "HighErrorRate"}"#),
                "Timestamp": g.iso(),
                "SignatureVersion": "1",
                "Signature": b64(g.hex(64).as_bytes()),
                "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
                "UnsubscribeUrl": format!("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={topic}"),
                "MessageAttributes": {},
            },
        }],
    })
}

fn eventbridge_scheduled(g: &mut Gen, _p: &Params) -> Value {
    json!({
        "version": "0",
        "id": g.uuid(),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": g.iso_seconds(),
        "region": REGION,
        "resources": [arn("events", "rule/nightly-job")],
        "detail": {},
    })
}

fn eventbridge_custom(g: &mut Gen, p: &Params) -> Value {
    let detail: Value = p
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_else(|| json!({ "orderId": "1001", "status": "PLACED" }));
    json!({
        "version": "0",
        "id": g.uuid(),
        "detail-type": "OrderPlaced",
        "source": "com.example.orders",
        "account": ACCOUNT,
        "time": g.iso_seconds(),
        "region": REGION,
        "resources": [],
        "detail": detail,
    })
}

fn dynamodb(g: &mut Gen, p: &Params) -> Value {
    let records: Vec<Value> = (0..count(p))
        .map(|i| {
            json!({
                "eventID": g.hex(32),
                "eventName": "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "dynamodb": {
                    "ApproximateCreationDateTime": g.now_ms() / 1000,
                    "Keys": { "pk": { "S": format!("order#{}", 1000 + i) } },
                    "NewImage": { "pk": { "S": format!("order#{}", 1000 + i) }, "total": { "N": "42.5" }, "paid": { "BOOL": true } },
                    "SequenceNumber": g.digits(21),
                    "SizeBytes": 59,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
                "eventSourceARN": arn("dynamodb", "table/orders/stream/2026-01-01T00:00:00.000"),
            })
        })
        .collect();
    json!({ "Records": records })
}

fn kinesis(g: &mut Gen, p: &Params) -> Value {
    let records: Vec<Value> = (0..count(p))
        .map(|i| {
            let data = body_or(p, &format!(r#"{{"reading": {i}}}"#));
            json!({
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": format!("sensor-{i}"),
                    "sequenceNumber": g.digits(56),
                    "data": b64(data.as_bytes()),
                    "approximateArrivalTimestamp": g.now_ms() as f64 / 1000.0,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": format!("shardId-000000000000:{}", g.digits(56)),
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": format!("arn:aws:iam::{ACCOUNT}:role/lambda-kinesis"),
                "awsRegion": REGION,
                "eventSourceARN": arn("kinesis", "stream/readings"),
            })
        })
        .collect();
    json!({ "Records": records })
}

fn cloudwatch_logs(g: &mut Gen, p: &Params) -> Value {
    let events: Vec<Value> = (0..count(p).max(2))
        .map(|i| json!({ "id": g.digits(56), "timestamp": g.now_ms() + i as i64, "message": body_or(p, &format!("[ERROR] something failed {i}")) }))
        .collect();
    let data = json!({
        "messageType": "DATA_MESSAGE",
        "owner": ACCOUNT,
        "logGroup": "/aws/lambda/orders-prod",
        "logStream": format!("2026/01/01/[$LATEST]{}", g.hex(32)),
        "subscriptionFilters": ["errors"],
        "logEvents": events,
    });
    json!({ "awslogs": { "data": b64(&gzip(data.to_string().as_bytes())) } })
}

fn cognito_pre_signup(g: &mut Gen, _p: &Params) -> Value {
    json!({
        "version": "1",
        "triggerSource": "PreSignUp_SignUp",
        "region": REGION,
        "userPoolId": format!("{REGION}_{}", g.alnum(9)),
        "userName": "ada",
        "callerContext": { "awsSdkVersion": "aws-sdk-js-3.600.0", "clientId": g.alnum(26).to_lowercase() },
        "request": { "userAttributes": { "email": "ada@example.com", "name": "Ada" }, "validationData": {} },
        "response": { "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false },
    })
}

fn ses(g: &mut Gen, _p: &Params) -> Value {
    let message_id = g.alnum(32).to_lowercase();
    let verdict = json!({ "status": "PASS" });
    json!({
        "Records": [{
            "eventSource": "aws:ses",
            "eventVersion": "1.0",
            "ses": {
                "mail": {
                    "commonHeaders": { "from": ["Ada <ada@example.com>"], "to": ["orders@example.net"], "returnPath": "ada@example.com", "messageId": format!("<{message_id}@example.com>"), "date": "Thu, 1 Jan 2026 00:00:00 +0000", "subject": "New order" },
                    "source": "ada@example.com",
                    "timestamp": g.iso(),
                    "destination": ["orders@example.net"],
                    "headers": [{ "name": "From", "value": "Ada <ada@example.com>" }, { "name": "Subject", "value": "New order" }],
                    "headersTruncated": false,
                    "messageId": message_id,
                },
                "receipt": {
                    "recipients": ["orders@example.net"],
                    "timestamp": g.iso(),
                    "spamVerdict": verdict, "dkimVerdict": verdict, "dmarcVerdict": verdict, "spfVerdict": verdict, "virusVerdict": verdict,
                    "processingTimeMillis": 412,
                    "action": { "type": "Lambda", "invocationType": "Event", "functionArn": arn("lambda", "function:orders-mail") },
                },
            },
        }],
    })
}

fn cloudfront(g: &mut Gen, p: &Params) -> Value {
    let h = http(p);
    let mut headers: Map<String, Value> = Map::new();
    for (k, v) in &h.headers {
        headers.insert(k.to_ascii_lowercase(), json!([{ "key": k, "value": v }]));
    }
    json!({
        "Records": [{
            "cf": {
                "config": { "distributionDomainName": "d111111abcdef8.cloudfront.net", "distributionId": g.alnum(14).to_uppercase(), "eventType": "viewer-request", "requestId": g.alnum(56) },
                "request": { "clientIp": "203.0.113.10", "headers": headers, "method": h.method, "querystring": raw_query(&h.query), "uri": h.path },
            },
        }],
    })
}

fn codecommit(g: &mut Gen, _p: &Params) -> Value {
    json!({
        "Records": [{
            "awsRegion": REGION,
            "codecommit": { "references": [{ "commit": g.hex(40), "ref": "refs/heads/main" }] },
            "customData": null,
            "eventId": g.uuid(),
            "eventName": "ReferenceChanges",
            "eventPartNumber": 1,
            "eventSource": "aws:codecommit",
            "eventSourceARN": arn("codecommit", "my-repo"),
            "eventTime": g.iso(),
            "eventTotalParts": 1,
            "eventTriggerConfigId": g.uuid(),
            "eventTriggerName": "lam-trigger",
            "eventVersion": "1.0",
            "userIdentityARN": format!("arn:aws:iam::{ACCOUNT}:user/ada"),
        }],
    })
}

fn codepipeline(g: &mut Gen, _p: &Params) -> Value {
    json!({
        "CodePipeline.job": {
            "id": g.uuid(),
            "accountId": ACCOUNT,
            "data": {
                "actionConfiguration": { "configuration": { "FunctionName": "deploy-check", "UserParameters": "{\"stage\":\"prod\"}" } },
                "inputArtifacts": [{ "name": "BuildOutput", "revision": null, "location": { "type": "S3", "s3Location": { "bucketName": "codepipeline-artifacts", "objectKey": format!("pipeline/BuildOutput/{}", g.alnum(7)) } } }],
                "outputArtifacts": [],
                "artifactCredentials": { "accessKeyId": format!("ASIA{}", g.alnum(16).to_uppercase()), "secretAccessKey": g.alnum(40), "sessionToken": g.alnum(80) },
                "continuationToken": g.uuid(),
            },
        },
    })
}

fn config(g: &mut Gen, _p: &Params) -> Value {
    let item = json!({
        "configurationItem": {
            "configurationItemCaptureTime": g.iso(),
            "configurationItemStatus": "OK",
            "resourceType": "AWS::S3::Bucket",
            "resourceId": "example-bucket",
            "ARN": "arn:aws:s3:::example-bucket",
            "awsRegion": REGION,
            "configuration": { "name": "example-bucket" },
        },
        "messageType": "ConfigurationItemChangeNotification",
    });
    json!({
        "version": "1.0",
        "invokingEvent": item.to_string(),
        "ruleParameters": "{\"requiredEncryption\":\"AES256\"}",
        "resultToken": g.alnum(64),
        "eventLeftScope": false,
        "executionRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/config-role"),
        "configRuleArn": arn("config", &format!("config-rule/config-rule-{}", g.alnum(6).to_lowercase())),
        "configRuleName": "s3-encryption",
        "configRuleId": format!("config-rule-{}", g.alnum(6).to_lowercase()),
        "accountId": ACCOUNT,
    })
}

fn kafka(g: &mut Gen, p: &Params) -> Value {
    let cluster = arn("kafka", &format!("cluster/orders/{}", g.uuid()));
    let records: Vec<Value> = (0..count(p))
        .map(|i| {
            json!({
                "topic": "orders",
                "partition": 0,
                "offset": 15 + i,
                "timestamp": g.now_ms(),
                "timestampType": "CREATE_TIME",
                "key": b64(format!("order-{i}").as_bytes()),
                "value": b64(body_or(p, &format!(r#"{{"orderId": {i}}}"#)).as_bytes()),
                "headers": [],
            })
        })
        .collect();
    json!({
        "eventSource": "aws:kafka",
        "eventSourceArn": cluster,
        "bootstrapServers": "b-1.orders.abc123.c2.kafka.us-east-1.amazonaws.com:9092",
        "records": { "orders-0": records },
    })
}

fn mq(g: &mut Gen, p: &Params) -> Value {
    let messages: Vec<Value> = (0..count(p))
        .map(|i| {
            json!({
                "messageID": format!("ID:b-{}-1.mq.us-east-1.amazonaws.com-{}", g.uuid(), i),
                "messageType": "jms/text-message",
                "timestamp": g.now_ms(),
                "deliveryMode": 1,
                "correlationID": "",
                "replyTo": "null",
                "destination": { "physicalName": "orders" },
                "redelivered": false,
                "type": "",
                "expiration": 0,
                "priority": 4,
                "data": b64(body_or(p, "ABC:AAAA").as_bytes()),
                "brokerInTime": g.now_ms(),
                "brokerOutTime": g.now_ms() + 1,
                "properties": { "index": i.to_string() },
            })
        })
        .collect();
    json!({
        "eventSource": "aws:mq",
        "eventSourceArn": arn("mq", &format!("broker:orders:b-{}", g.uuid())),
        "messages": messages,
    })
}

fn secrets_rotation(g: &mut Gen, _p: &Params) -> Value {
    json!({
        "SecretId": arn("secretsmanager", &format!("secret:myapp/prod/DB_PASSWORD-{}", g.alnum(6))),
        "ClientRequestToken": g.uuid(),
        "Step": "createSecret",
    })
}

fn iot(g: &mut Gen, _p: &Params) -> Value {
    json!({
        "token": g.alnum(32),
        "signatureVerified": true,
        "protocols": ["tls", "mqtt"],
        "protocolData": {
            "tls": { "serverName": "abc123-ats.iot.us-east-1.amazonaws.com" },
            "mqtt": { "username": "sensor-7", "password": b64(b"s3cr3t"), "clientId": "sensor-7" },
        },
        "connectionMetadata": { "id": g.uuid() },
    })
}

fn lex_v2(g: &mut Gen, p: &Params) -> Value {
    let text = body_or(p, "I want to order a pizza");
    json!({
        "messageVersion": "1.0",
        "invocationSource": "FulfillmentCodeHook",
        "inputMode": "Text",
        "responseContentType": "text/plain; charset=utf-8",
        "sessionId": g.digits(12),
        "inputTranscript": text,
        "bot": { "id": g.alnum(10).to_uppercase(), "name": "OrderBot", "aliasId": "TSTALIASID", "aliasName": "TestBotAlias", "localeId": "en_US", "version": "DRAFT" },
        "interpretations": [{ "intent": { "name": "OrderPizza", "slots": {}, "state": "ReadyForFulfillment", "confirmationState": "None" }, "nluConfidence": 0.95 }],
        "proposedNextState": null,
        "requestAttributes": {},
        "sessionState": {
            "sessionAttributes": {},
            "intent": { "name": "OrderPizza", "slots": {}, "state": "ReadyForFulfillment", "confirmationState": "None" },
            "originatingRequestId": g.uuid(),
        },
        "transcriptions": [{ "transcription": text, "transcriptionConfidence": 1.0 }],
    })
}

fn appsync(g: &mut Gen, p: &Params) -> Value {
    let arguments: Value = p
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_else(|| json!({ "id": "1001" }));
    json!({
        "arguments": arguments,
        "identity": null,
        "source": null,
        "request": { "headers": { "host": "abc123.appsync-api.us-east-1.amazonaws.com", "x-api-key": format!("da2-{}", g.alnum(26).to_lowercase()) }, "domainName": null },
        "prev": null,
        "info": { "selectionSetList": ["id", "status"], "selectionSetGraphQL": "{ id status }", "parentTypeName": "Query", "fieldName": "getOrder", "variables": {} },
        "stash": {},
    })
}
