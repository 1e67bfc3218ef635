//! HTTP requests as API Gateway events, and handler results back as HTTP
//! responses: REST API (payload format 1.0), HTTP API (2.0) and function
//! URLs (2.0), with CORS as API Gateway applies it.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{Map, Value, json};

use crate::config::{ApiKind, CorsConfig};

/// An HTTP request as lam serve received it.
#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, without '?'.
    pub query: String,
    /// Header names as sent, in order; repeated headers appear repeatedly.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub source_ip: String,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP response to send back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(status: u16, value: &Value) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: value.to_string().into_bytes(),
        }
    }

    #[cfg(test)]
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A route such as `GET /items/{id}`, `ANY /{proxy+}` or `$default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// "GET", or None for any method.
    pub method: Option<String>,
    /// "/items/{id}"; None for `$default`.
    pub pattern: Option<String>,
}

impl Route {
    pub fn parse(key: &str) -> Option<Route> {
        let key = key.trim();
        if key == "$default" {
            return Some(Route {
                method: None,
                pattern: None,
            });
        }
        let (method, path) = key.split_once(' ')?;
        if !path.starts_with('/') {
            return None;
        }
        let method = method.to_ascii_uppercase();
        Some(Route {
            method: (method != "ANY").then_some(method),
            pattern: Some(path.trim().to_string()),
        })
    }

    /// The route key as API Gateway writes it.
    pub fn key(&self) -> String {
        match &self.pattern {
            None => "$default".into(),
            Some(p) => format!("{} {p}", self.method.as_deref().unwrap_or("ANY")),
        }
    }

    /// How specific the route is, for choosing among several that match, as
    /// API Gateway does: literal segments over parameters over greedy
    /// `{proxy+}`, a named method over ANY, and `$default` last.
    pub fn specificity(&self) -> (bool, usize, bool, usize, bool) {
        let Some(pattern) = &self.pattern else {
            return (false, 0, false, 0, false);
        };
        let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        let greedy = segments.iter().any(|s| s.ends_with("+}"));
        let params = segments.iter().filter(|s| s.starts_with('{')).count();
        (
            true,
            segments.len() - params,
            !greedy,
            params,
            self.method.is_some(),
        )
    }

    /// Path parameters when `method` and `path` match this route, as they
    /// appear in the path (percent-encoded); [`to_event`] decodes them where
    /// API Gateway does.
    pub fn matches(&self, method: &str, path: &str) -> Option<BTreeMap<String, String>> {
        if self
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(method))
        {
            return None;
        }
        let Some(pattern) = &self.pattern else {
            return Some(BTreeMap::new());
        };
        let mut params = BTreeMap::new();
        let want: Vec<&str> = pattern
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let got: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for (i, segment) in want.iter().enumerate() {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
                if i >= got.len() {
                    return None;
                }
                params.insert(name.to_string(), got[i..].join("/"));
                return Some(params);
            }
            let actual = got.get(i)?;
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    params.insert(name.to_string(), actual.to_string());
                }
                None if segment == actual => {}
                None => return None,
            }
        }
        (want.len() == got.len()).then_some(params)
    }
}

/// The routes a function answers: its configured ones, or what lam deploy
/// creates by default (REST: `/` and `/{proxy+}`; HTTP API and URL: `$default`).
pub fn routes_for(kind: ApiKind, configured: Option<&[String]>) -> Vec<Route> {
    if let Some(keys) = configured {
        let parsed: Vec<Route> = keys.iter().filter_map(|k| Route::parse(k)).collect();
        if !parsed.is_empty() {
            return parsed;
        }
    }
    match kind {
        ApiKind::Rest => vec![
            Route {
                method: None,
                pattern: Some("/".into()),
            },
            Route {
                method: None,
                pattern: Some("/{proxy+}".into()),
            },
        ],
        _ => vec![Route {
            method: None,
            pattern: None,
        }],
    }
}

/// Request details that do not come from the HTTP request itself.
#[derive(Debug, Clone)]
pub struct EventContext {
    pub request_id: String,
    pub stage: String,
    pub host: String,
    pub epoch_ms: u128,
    /// A REST API's `binary_media_types`.
    pub binary_media_types: Vec<String>,
    /// The port the request came in on, for X-Forwarded-Port.
    pub port: u16,
}

/// The headers API Gateway adds to every request it forwards: the client's
/// address appended to X-Forwarded-For, the port and scheme it was reached
/// on, and an X-Ray trace id when the client sent none.
fn forwarded_headers(req: &HttpRequest, ctx: &EventContext) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| {
            !["x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"]
                .iter()
                .any(|n| k.eq_ignore_ascii_case(n))
        })
        .cloned()
        .collect();
    let forwarded_for = match req.header("x-forwarded-for") {
        Some(chain) => format!("{chain}, {}", req.source_ip),
        None => req.source_ip.clone(),
    };
    headers.push(("X-Forwarded-For".into(), forwarded_for));
    headers.push(("X-Forwarded-Port".into(), ctx.port.to_string()));
    headers.push(("X-Forwarded-Proto".into(), "http".into()));
    if req.header("x-amzn-trace-id").is_none() {
        let hex = ctx.request_id.replace('-', "");
        let root = format!(
            "Root=1-{:08x}-{}",
            ctx.epoch_ms / 1000,
            &hex[..hex.len().min(24)]
        );
        headers.push(("X-Amzn-Trace-Id".into(), root));
    }
    headers
}

/// Whether `content_type` (parameters ignored) is one of `types`, which may
/// hold wildcards (`image/*`, `*/*`), as API Gateway matches them.
pub fn media_type_matches(content_type: &str, types: &[String]) -> bool {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, sub)) = ct.split_once('/') else {
        return false;
    };
    types.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        let Some((tk, ts)) = t.split_once('/') else {
            return false;
        };
        (tk == "*" || tk == kind) && (ts == "*" || ts == sub)
    })
}

/// What decides whether a REST API turns a base64 result back into bytes:
/// its `binary_media_types` and the first media type of the request's
/// Accept header (API Gateway developer guide, "Binary media types for REST
/// APIs": it "uses the first Accept header from clients").
#[derive(Debug, Default, Clone, Copy)]
pub struct Binary<'a> {
    pub types: &'a [String],
    pub accept: Option<&'a str>,
}

impl Binary<'_> {
    fn decodes(&self) -> bool {
        self.accept
            .and_then(|a| a.split(',').next())
            .is_some_and(|first| media_type_matches(first, self.types))
    }
}

/// The event a handler behind `kind` receives for `req` on `route`.
pub fn to_event(
    kind: ApiKind,
    req: &HttpRequest,
    route: &Route,
    params: &BTreeMap<String, String>,
    ctx: &EventContext,
) -> Value {
    let (body, is_base64) = encode_body(kind, req, &ctx.binary_media_types);
    let sent = forwarded_headers(req, ctx);
    let query = parse_query(&req.query);
    let time = crate::clock::request_time(ctx.epoch_ms as i64);
    let user_agent = req.header("user-agent").unwrap_or("").to_string();
    match kind {
        ApiKind::Rest | ApiKind::None => {
            let mut headers = Map::new();
            let mut multi_headers: Map<String, Value> = Map::new();
            // Names as the client sent them: a REST API does not change them.
            for (k, v) in &sent {
                headers.insert(k.clone(), json!(v));
                push_multi(&mut multi_headers, k, v);
            }
            let mut single_query = Map::new();
            let mut multi_query: Map<String, Value> = Map::new();
            for (k, v) in &query {
                single_query.insert(k.clone(), json!(v));
                push_multi(&mut multi_query, k, v);
            }
            let resource = route.pattern.clone().unwrap_or_else(|| "/".into());
            let nullable = |m: Map<String, Value>| {
                if m.is_empty() {
                    Value::Null
                } else {
                    Value::Object(m)
                }
            };
            // A REST API passes path parameters, `path` and the context's
            // path as sent, percent-encoded: `/{proxy+}` of
            // `/capture/space%20value` is "capture/space%20value" in events
            // captured on AWS (github.com/hotsock/voker, testdata/
            // apigwv1-request.json; serverless/serverless#5037).
            let path_params: Map<String, Value> =
                params.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            json!({
                "resource": resource,
                "path": req.path,
                "httpMethod": req.method,
                "headers": nullable(headers),
                "multiValueHeaders": nullable(multi_headers),
                "queryStringParameters": nullable(single_query),
                "multiValueQueryStringParameters": nullable(multi_query),
                "pathParameters": nullable(path_params),
                "stageVariables": null,
                "requestContext": {
                    "accountId": "123456789012",
                    "apiId": "lamlocal",
                    "domainName": ctx.host,
                    "domainPrefix": ctx.host.split(['.', ':']).next().unwrap_or("localhost"),
                    "extendedRequestId": ctx.request_id,
                    "httpMethod": req.method,
                    "identity": {
                        "sourceIp": req.source_ip,
                        "userAgent": user_agent,
                        "accountId": null, "caller": null, "cognitoIdentityId": null, "user": null, "userArn": null,
                    },
                    "path": format!("/{}{}", ctx.stage, req.path),
                    "protocol": "HTTP/1.1",
                    "requestId": ctx.request_id,
                    "requestTime": time,
                    "requestTimeEpoch": ctx.epoch_ms,
                    "resourceId": "lamlocal",
                    "resourcePath": resource,
                    "stage": ctx.stage,
                },
                "body": body,
                "isBase64Encoded": is_base64,
            })
        }
        ApiKind::Http | ApiKind::Url => {
            let mut headers: Map<String, Value> = Map::new();
            let mut cookies = Vec::new();
            for (k, v) in &sent {
                let key = k.to_ascii_lowercase();
                if key == "cookie" {
                    cookies.extend(
                        v.split(';')
                            .map(|c| c.trim().to_string())
                            .filter(|c| !c.is_empty()),
                    );
                    continue;
                }
                let joined = match headers.get(&key).and_then(Value::as_str) {
                    Some(existing) => format!("{existing},{v}"),
                    None => v.clone(),
                };
                headers.insert(key, json!(joined));
            }
            let mut query_map: Map<String, Value> = Map::new();
            for (k, v) in &query {
                let joined = match query_map.get(k).and_then(Value::as_str) {
                    Some(existing) => format!("{existing},{v}"),
                    None => v.clone(),
                };
                query_map.insert(k.clone(), json!(joined));
            }
            let route_key = if kind == ApiKind::Url {
                "$default".to_string()
            } else {
                route.key()
            };
            // An HTTP API decodes the path: rawPath, http.path and the path
            // parameters of `/capture/space%20value` read "space value"
            // (captured on AWS: github.com/hotsock/voker, testdata/
            // apigwv2-request.json). A function URL keeps rawPath as sent
            // and decodes only http.path.
            let decoded = percent_decode(&req.path);
            let raw_path = if kind == ApiKind::Http {
                decoded.clone()
            } else {
                req.path.clone()
            };
            let mut event = json!({
                "version": "2.0",
                "routeKey": route_key,
                "rawPath": raw_path,
                "rawQueryString": req.query,
                "headers": headers,
                "requestContext": {
                    "accountId": if kind == ApiKind::Url { "anonymous" } else { "123456789012" },
                    "apiId": "lamlocal",
                    "domainName": ctx.host,
                    "domainPrefix": ctx.host.split(['.', ':']).next().unwrap_or("localhost"),
                    "http": {
                        "method": req.method,
                        "path": decoded,
                        "protocol": "HTTP/1.1",
                        "sourceIp": req.source_ip,
                        "userAgent": user_agent,
                    },
                    "requestId": ctx.request_id,
                    "routeKey": route_key,
                    "stage": "$default",
                    "time": time,
                    "timeEpoch": ctx.epoch_ms,
                },
                "isBase64Encoded": is_base64,
            });
            if let Some(obj) = event.as_object_mut() {
                if !cookies.is_empty() {
                    obj.insert("cookies".into(), json!(cookies));
                }
                if !query_map.is_empty() {
                    obj.insert("queryStringParameters".into(), Value::Object(query_map));
                }
                if !params.is_empty() && kind == ApiKind::Http {
                    let decoded: Map<String, Value> = params
                        .iter()
                        .map(|(k, v)| (k.clone(), json!(percent_decode(v))))
                        .collect();
                    obj.insert("pathParameters".into(), Value::Object(decoded));
                }
                if let Some(b) = body {
                    obj.insert("body".into(), json!(b));
                }
            }
            event
        }
    }
}

fn push_multi(map: &mut Map<String, Value>, key: &str, value: &str) {
    match map.get_mut(key).and_then(Value::as_array_mut) {
        Some(list) => list.push(json!(value)),
        None => {
            map.insert(key.to_string(), json!([value]));
        }
    }
}

/// The body as API Gateway passes it. A REST API base64-encodes exactly the
/// content types of its `binary_media_types` and passes everything else as
/// text; an HTTP API or function URL passes text as is and anything else
/// base64.
fn encode_body(kind: ApiKind, req: &HttpRequest, binary: &[String]) -> (Option<String>, bool) {
    if req.body.is_empty() {
        return (None, false);
    }
    if matches!(kind, ApiKind::Rest | ApiKind::None) {
        let content_type = req.header("content-type").unwrap_or("");
        return if media_type_matches(content_type, binary) {
            (
                Some(base64::engine::general_purpose::STANDARD.encode(&req.body)),
                true,
            )
        } else {
            (Some(String::from_utf8_lossy(&req.body).into_owned()), false)
        };
    }
    let content_type = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let textual = content_type.is_empty()
        || content_type.starts_with("text/")
        || [
            "json",
            "xml",
            "javascript",
            "x-www-form-urlencoded",
            "graphql",
            "yaml",
        ]
        .iter()
        .any(|t| content_type.contains(t));
    match std::str::from_utf8(&req.body) {
        Ok(text) if textual => (Some(text.to_string()), false),
        _ => (
            Some(base64::engine::general_purpose::STANDARD.encode(&req.body)),
            true,
        ),
    }
}

/// `a=1&b=x%20y&a=2` as ordered pairs, percent-decoded.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What API Gateway answers when the function fails or answers something
/// it cannot use: a REST API 502 {"message": "Internal server error"} (the
/// Lambda guide, "Handling Lambda errors with an API Gateway API"), an HTTP
/// API 500 {"message":"Internal Server Error"} (the API Gateway guide,
/// "Troubleshooting issues with HTTP API Lambda integrations"), a function
/// URL 502 with the plain text "Internal Server Error" (LocalStack's
/// AWS-validated test_lambda_url_invocation_exception).
pub fn function_failed(kind: ApiKind) -> HttpResponse {
    match kind {
        ApiKind::Rest | ApiKind::None => {
            HttpResponse::json(502, &json!({ "message": "Internal server error" }))
        }
        ApiKind::Http => HttpResponse::json(500, &json!({ "message": "Internal Server Error" })),
        ApiKind::Url => HttpResponse {
            status: 502,
            headers: vec![("content-type".into(), "text/plain; charset=utf-8".into())],
            body: b"Internal Server Error".to_vec(),
        },
    }
}

/// How long API Gateway waits for the function before it answers 504:
/// 29 s for a REST API, 30 s for an HTTP API; a function URL waits for the
/// function's own timeout.
pub fn integration_timeout(kind: ApiKind) -> Option<std::time::Duration> {
    match kind {
        ApiKind::Rest | ApiKind::None => Some(std::time::Duration::from_secs(29)),
        ApiKind::Http => Some(std::time::Duration::from_secs(30)),
        ApiKind::Url => None,
    }
}

/// API Gateway's answer when the integration timeout passes: a REST API's
/// INTEGRATION_TIMEOUT gateway response is 504 "Endpoint request timed out"
/// ("Gateway response types" in the API Gateway guide); an HTTP API answers
/// 503 {"message":"Service Unavailable"} (serverless/serverless#11222,
/// cortexlabs/cortex#1225 show it from AWS).
pub fn timed_out(kind: ApiKind) -> HttpResponse {
    match kind {
        ApiKind::Http => HttpResponse::json(503, &json!({ "message": "Service Unavailable" })),
        _ => HttpResponse::json(504, &json!({ "message": "Endpoint request timed out" })),
    }
}

/// The HTTP response for a handler's result. `None` payload means the
/// function failed.
pub fn from_result(kind: ApiKind, payload: Option<&[u8]>, binary: Binary<'_>) -> HttpResponse {
    let Some(payload) = payload else {
        return function_failed(kind);
    };
    let Ok(value) = serde_json::from_slice::<Value>(payload) else {
        return function_failed(kind);
    };
    let v2 = matches!(kind, ApiKind::Http | ApiKind::Url);
    let Some(obj) = value.as_object().filter(|o| o.contains_key("statusCode")) else {
        // Payload format 2.0 infers a 200 JSON response from any other value.
        return if v2 {
            HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: payload.to_vec(),
            }
        } else {
            function_failed(kind)
        };
    };
    // A status code given as a numeric string ("200") is accepted too.
    let Some(status) = obj
        .get("statusCode")
        .and_then(|s| s.as_u64().or_else(|| s.as_str()?.trim().parse().ok()))
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
    else {
        return function_failed(kind);
    };
    let mut headers = Vec::new();
    // Payload format 2.0 has no multiValueHeaders: an HTTP API or function
    // URL ignores them.
    let multi = obj
        .get("multiValueHeaders")
        .and_then(Value::as_object)
        .filter(|_| !v2);
    if let Some(h) = obj.get("headers").and_then(Value::as_object) {
        for (k, v) in h {
            // API Gateway merges the two; multiValueHeaders win for a name in both.
            if multi.is_some_and(|m| m.keys().any(|mk| mk.eq_ignore_ascii_case(k))) {
                continue;
            }
            headers.push((k.clone(), scalar(v)));
        }
    }
    if let Some(h) = multi {
        for (k, values) in h {
            for v in values.as_array().into_iter().flatten() {
                headers.push((k.clone(), scalar(v)));
            }
        }
    }
    if v2 {
        for cookie in obj
            .get("cookies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            headers.push(("set-cookie".into(), scalar(cookie)));
        }
    }
    let body_text = match obj.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) if v2 => other.to_string(),
        Some(_) => return function_failed(kind),
    };
    // HTTP APIs and URLs always decode; a REST API only for a client whose
    // first Accept type is one of its binary media types.
    let decode = v2 || binary.decodes();
    let body = if decode && obj.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
        match base64::engine::general_purpose::STANDARD.decode(body_text.as_bytes()) {
            Ok(bytes) => bytes,
            Err(_) => return function_failed(kind),
        }
    } else {
        body_text.into_bytes()
    };
    let mut headers = owned_headers(kind, headers, body.len());
    // A REST API answers application/json when the function names no
    // Content-Type.
    if !v2
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// What the front door does with the headers it owns, on the function's
/// response. The body that goes out is the front door's to measure: a
/// function's Content-Length that is not the body's length (a base64 body
/// a REST API does not decode, a handler's mistake) never goes out as
/// Content-Length, or clients cut the body short and keep-alive corrupts
/// the next response.
///
/// - REST API ("Amazon API Gateway important notes", REST APIs: response
///   headers of Lambda integrations): Authorization, Connection,
///   Content-MD5, Max-Forwards, User-Agent and WWW-Authenticate are
///   remapped to `x-amzn-Remapped-<name>`; Date and Server are remapped and
///   set by API Gateway; Expect, Host, Proxy-Authenticate, TE,
///   Transfer-Encoding, Trailer, Upgrade and Via are dropped.
///   Content-Length passes through when it is the body's; otherwise it is
///   remapped, as observed of API Gateway's proxy integrations.
/// - HTTP API: the guide lists these as reserved ("Transform API requests
///   and responses for HTTP APIs", Reserved headers) and documents nothing
///   more: the hop-by-hop ones (Connection, Keep-Alive, TE, Trailer(s),
///   Transfer-Encoding, Upgrade) are dropped, and a Content-Length that is
///   not the body's is remapped.
/// - Function URL ("Invoking Lambda function URLs" is silent): the same,
///   and WWW-Authenticate remapped, as reported of function URLs.
pub fn owned_headers(
    kind: ApiKind,
    headers: Vec<(String, String)>,
    body_len: usize,
) -> Vec<(String, String)> {
    const HOP_BY_HOP: &[&str] = &[
        "connection",
        "keep-alive",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    ];
    let mut out = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        let remap = |out: &mut Vec<(String, String)>| {
            out.push((format!("x-amzn-Remapped-{name}"), value.clone()));
        };
        if lower == "content-length" {
            if value.trim().parse::<usize>().ok() == Some(body_len) {
                out.push((name, value));
            } else {
                remap(&mut out);
            }
            continue;
        }
        match kind {
            ApiKind::Rest => match lower.as_str() {
                "authorization" | "connection" | "content-md5" | "max-forwards" | "user-agent"
                | "www-authenticate" | "date" | "server" => remap(&mut out),
                "expect" | "host" | "proxy-authenticate" | "te" | "transfer-encoding"
                | "trailer" | "upgrade" | "via" => {}
                _ => out.push((name, value)),
            },
            ApiKind::Http | ApiKind::Url | ApiKind::None => {
                if HOP_BY_HOP.contains(&lower.as_str()) {
                    continue;
                }
                if kind == ApiKind::Url && lower == "www-authenticate" {
                    remap(&mut out);
                } else {
                    out.push((name, value));
                }
            }
        }
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)
/// answered as API Gateway does when CORS is configured: without calling the
/// function.
/// The preflight a deployed REST API gives: lam deploy answers OPTIONS on
/// every resource with a MOCK integration whose response headers are
/// fixed (`rest_api::preflight_headers`: the first origin, not the
/// request's), status 200, for any OPTIONS request.
pub fn rest_preflight(cors: &CorsConfig) -> HttpResponse {
    let mut headers: Vec<(String, String)> = crate::aws::rest_api::preflight_headers(cors)
        .into_iter()
        .map(|(k, v)| {
            let name = k
                .strip_prefix("method.response.header.")
                .unwrap_or(&k)
                .to_string();
            (name, v.trim_matches('\'').to_string())
        })
        .collect();
    headers.sort();
    headers.push(("content-type".into(), "application/json".into()));
    HttpResponse {
        status: 200,
        headers,
        body: Vec::new(),
    }
}

/// The preflight of an HTTP API or function URL, whose CORS API Gateway and
/// Lambda apply themselves: answered for an allowed origin.
pub fn preflight(cors: &CorsConfig, req: &HttpRequest) -> Option<HttpResponse> {
    if !req.method.eq_ignore_ascii_case("OPTIONS")
        || req.header("access-control-request-method").is_none()
    {
        return None;
    }
    let origin = req.header("origin")?;
    let mut resp = HttpResponse {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let Some(allowed) = allowed_origin(cors, origin) else {
        return Some(resp);
    };
    resp.headers
        .push(("access-control-allow-origin".into(), allowed));
    let methods = if cors.methods.is_empty() {
        "*".to_string()
    } else {
        cors.methods.join(",")
    };
    resp.headers
        .push(("access-control-allow-methods".into(), methods));
    let headers = if cors.headers.is_empty() {
        req.header("access-control-request-headers")
            .unwrap_or("*")
            .to_string()
    } else {
        cors.headers.join(",")
    };
    resp.headers
        .push(("access-control-allow-headers".into(), headers));
    if let Some(age) = cors.max_age {
        resp.headers
            .push(("access-control-max-age".into(), age.to_string()));
    }
    if cors.credentials {
        resp.headers
            .push(("access-control-allow-credentials".into(), "true".into()));
    }
    Some(resp)
}

/// Adds CORS headers to an actual response, unless the function set them.
///
/// As on API Gateway with CORS configured, the configuration wins: the
/// function's own `access-control-*` headers are dropped.
/// The CORS headers an HTTP API or function URL puts on a response (they
/// replace the function's own). A REST API adds none: with a proxy
/// integration the function's response is passed as it is.
pub fn add_cors(cors: &CorsConfig, req: &HttpRequest, resp: &mut HttpResponse) {
    resp.headers
        .retain(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control-"));
    let Some(origin) = req.header("origin") else {
        return;
    };
    if let Some(allowed) = allowed_origin(cors, origin) {
        resp.headers
            .push(("access-control-allow-origin".into(), allowed));
        if !cors.expose_headers.is_empty() {
            resp.headers.push((
                "access-control-expose-headers".into(),
                cors.expose_headers.join(","),
            ));
        }
        if cors.credentials {
            resp.headers
                .push(("access-control-allow-credentials".into(), "true".into()));
        }
    }
}

fn allowed_origin(cors: &CorsConfig, origin: &str) -> Option<String> {
    if cors.origins.iter().any(|o| o == origin) {
        Some(origin.to_string())
    } else if cors.origins.iter().any(|o| o == "*") {
        // With credentials a wildcard is not allowed: echo the origin.
        Some(if cors.credentials {
            origin.to_string()
        } else {
            "*".to_string()
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, query: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            headers: vec![
                ("Host".into(), "127.0.0.1:3000".into()),
                ("X-Multi".into(), "a".into()),
                ("X-Multi".into(), "b".into()),
                ("Cookie".into(), "s=1; t=2".into()),
            ],
            body: b"{\"x\":1}".to_vec(),
            source_ip: "127.0.0.1".into(),
        }
    }

    fn ctx() -> EventContext {
        EventContext {
            request_id: "rid".into(),
            stage: "dev".into(),
            host: "127.0.0.1:3000".into(),
            epoch_ms: 1_795_651_200_000,
            binary_media_types: Vec::new(),
            port: 3000,
        }
    }

    #[test]
    fn routes_match_parameters_and_greedy_paths() {
        let r = Route::parse("GET /items/{id}").unwrap();
        assert_eq!(r.matches("GET", "/items/42").unwrap()["id"], "42");
        assert!(r.matches("POST", "/items/42").is_none());
        assert!(r.matches("GET", "/items/42/x").is_none());
        let proxy = Route::parse("ANY /{proxy+}").unwrap();
        assert_eq!(proxy.matches("DELETE", "/a/b/c").unwrap()["proxy"], "a/b/c");
        assert!(proxy.matches("GET", "/").is_none());
        assert_eq!(Route::parse("$default").unwrap().key(), "$default");
        assert_eq!(Route::parse("any /x").unwrap().key(), "ANY /x");
        assert!(Route::parse("GET items").is_none());
    }

    /// As events captured on AWS show them (github.com/hotsock/voker,
    /// testdata/apigwv1-request.json and apigwv2-request.json): a REST API
    /// passes the path and its parameters percent-encoded, an HTTP API
    /// decodes both, a function URL decodes only requestContext.http.path.
    #[test]
    fn path_parameters_are_decoded_as_each_kind_of_api_decodes_them() {
        let req = request("POST", "/capture/space%20value", "");
        let route = Route::parse("ANY /{proxy+}").unwrap();
        let params = route.matches("POST", &req.path).unwrap();
        let rest = to_event(ApiKind::Rest, &req, &route, &params, &ctx());
        assert_eq!(rest["pathParameters"]["proxy"], "capture/space%20value");
        assert_eq!(rest["path"], "/capture/space%20value");
        assert_eq!(rest["requestContext"]["path"], "/dev/capture/space%20value");

        let item = Route::parse("GET /items/{id}").unwrap();
        let req = request("GET", "/items/a%20b%40c", "");
        let params = item.matches("GET", &req.path).unwrap();
        let rest = to_event(ApiKind::Rest, &req, &item, &params, &ctx());
        assert_eq!(rest["pathParameters"]["id"], "a%20b%40c");
        let http = to_event(ApiKind::Http, &req, &item, &params, &ctx());
        assert_eq!(http["pathParameters"]["id"], "a b@c");
        assert_eq!(http["rawPath"], "/items/a b@c");
        assert_eq!(http["requestContext"]["http"]["path"], "/items/a b@c");

        let any = Route::parse("$default").unwrap();
        let url = to_event(ApiKind::Url, &req, &any, &BTreeMap::new(), &ctx());
        assert_eq!(url["rawPath"], "/items/a%20b%40c");
        assert_eq!(url["requestContext"]["http"]["path"], "/items/a b@c");
        assert!(url.get("pathParameters").is_none());
    }

    #[test]
    fn more_specific_routes_rank_higher() {
        let key = |k: &str| Route::parse(k).unwrap().specificity();
        assert!(key("GET /health") > key("ANY /{proxy+}"));
        assert!(key("GET /items/{id}") > key("ANY /items/{id}"));
        assert!(key("ANY /items/{id}") > key("GET /{proxy+}"));
        assert!(key("ANY /{proxy+}") > key("$default"));
    }

    #[test]
    fn rest_events_have_multi_value_fields() {
        let route = Route::parse("ANY /{proxy+}").unwrap();
        let params = route.matches("GET", "/items/1").unwrap();
        let e = to_event(
            ApiKind::Rest,
            &request("GET", "/items/1", "a=1&a=2&b=x%20y"),
            &route,
            &params,
            &ctx(),
        );
        assert_eq!(e["httpMethod"], "GET");
        assert_eq!(e["resource"], "/{proxy+}");
        assert_eq!(e["pathParameters"]["proxy"], "items/1");
        assert_eq!(e["queryStringParameters"]["a"], "2");
        assert_eq!(e["multiValueQueryStringParameters"]["a"], json!(["1", "2"]));
        assert_eq!(e["queryStringParameters"]["b"], "x y");
        assert_eq!(e["multiValueHeaders"]["X-Multi"], json!(["a", "b"]));
        assert_eq!(e["headers"]["X-Multi"], "b");
        assert_eq!(e["body"], "{\"x\":1}");
        assert_eq!(e["isBase64Encoded"], false);
        assert_eq!(e["requestContext"]["stage"], "dev");
        assert_eq!(
            e["requestContext"]["requestTime"],
            "26/Nov/2026:00:00:00 +0000"
        );
        let bare = to_event(
            ApiKind::Rest,
            &request("GET", "/", ""),
            &route,
            &BTreeMap::new(),
            &ctx(),
        );
        assert!(bare["queryStringParameters"].is_null());
        assert!(bare["pathParameters"].is_null());
    }

    #[test]
    fn http_api_events_are_version_2() {
        let route = Route::parse("GET /items/{id}").unwrap();
        let params = route.matches("GET", "/items/7").unwrap();
        let e = to_event(
            ApiKind::Http,
            &request("GET", "/items/7", "q=1&q=2"),
            &route,
            &params,
            &ctx(),
        );
        assert_eq!(e["version"], "2.0");
        assert_eq!(e["routeKey"], "GET /items/{id}");
        assert_eq!(e["rawQueryString"], "q=1&q=2");
        assert_eq!(e["queryStringParameters"]["q"], "1,2");
        assert_eq!(e["headers"]["x-multi"], "a,b");
        assert_eq!(e["cookies"], json!(["s=1", "t=2"]));
        assert!(e["headers"].get("cookie").is_none());
        assert_eq!(e["pathParameters"]["id"], "7");
        assert_eq!(e["requestContext"]["http"]["method"], "GET");
    }

    #[test]
    fn binary_bodies_are_base64() {
        let mut req = request("POST", "/", "");
        req.headers
            .push(("Content-Type".into(), "image/png".into()));
        req.body = vec![0x89, b'P', b'N', b'G', 0xff];
        let route = Route::parse("$default").unwrap();
        let e = to_event(ApiKind::Http, &req, &route, &BTreeMap::new(), &ctx());
        assert_eq!(e["isBase64Encoded"], true);
        assert_eq!(e["body"], "iVBOR/8=");
    }

    #[test]
    fn rest_apis_follow_their_binary_media_types() {
        let route = Route::parse("ANY /{proxy+}").unwrap();
        let mut req = request("POST", "/up", "");
        req.headers
            .push(("Content-Type".into(), "image/png".into()));
        req.body = vec![0x89, b'P', b'N', b'G'];
        // Without binary media types a REST API passes the body as text.
        let e = to_event(ApiKind::Rest, &req, &route, &BTreeMap::new(), &ctx());
        assert_eq!(e["isBase64Encoded"], false);
        let mut binary_ctx = ctx();
        binary_ctx.binary_media_types = vec!["image/*".into()];
        let e = to_event(ApiKind::Rest, &req, &route, &BTreeMap::new(), &binary_ctx);
        assert_eq!(
            (e["isBase64Encoded"].as_bool(), e["body"].as_str()),
            (Some(true), Some("iVBORw=="))
        );

        // A base64 result is decoded only for a client whose first Accept
        // type is binary; otherwise the client gets the base64 text.
        let result = br#"{"statusCode": 200, "body": "aGk=", "isBase64Encoded": true}"#;
        let types = vec!["image/png".to_string()];
        let wants_png = Binary {
            types: &types,
            accept: Some("image/png, */*"),
        };
        assert_eq!(
            from_result(ApiKind::Rest, Some(result), wants_png).body,
            b"hi"
        );
        let wants_json = Binary {
            types: &types,
            accept: Some("application/json, image/png"),
        };
        assert_eq!(
            from_result(ApiKind::Rest, Some(result), wants_json).body,
            b"aGk="
        );
        assert_eq!(
            from_result(ApiKind::Rest, Some(result), Binary::default()).body,
            b"aGk="
        );
        assert!(media_type_matches("image/png; q=1", &["*/*".to_string()]));
        assert!(!media_type_matches("text/html", &["image/*".to_string()]));
    }

    #[test]
    fn results_become_responses() {
        let r = from_result(
            ApiKind::Rest,
            Some(br#"{"statusCode": 201, "headers": {"X-A": "1"}, "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": "hi"}"#),
            Binary::default(),
        );
        assert_eq!(r.status, 201);
        assert_eq!(r.body, b"hi");
        assert!(r.headers.contains(&("Set-Cookie".into(), "b=2".into())));
        let b64 = from_result(ApiKind::Http, Some(br#"{"statusCode": 200, "body": "aGk=", "isBase64Encoded": true, "cookies": ["c=3"]}"#), Binary::default());
        assert_eq!(b64.body, b"hi");
        assert!(b64.headers.contains(&("set-cookie".into(), "c=3".into())));
        // Format 2.0 infers a JSON response; 1.0 refuses it like API Gateway.
        let inferred = from_result(
            ApiKind::Http,
            Some(br#"{"hello": "world"}"#),
            Binary::default(),
        );
        assert_eq!(
            (inferred.status, inferred.body.as_slice()),
            (200, br#"{"hello": "world"}"#.as_slice())
        );
        assert_eq!(
            from_result(ApiKind::Rest, Some(br#"{"hello": 1}"#), Binary::default()).status,
            502
        );
        assert_eq!(
            from_result(ApiKind::Rest, None, Binary::default()).status,
            502
        );
        assert_eq!(
            from_result(ApiKind::Rest, Some(b"not json"), Binary::default()).status,
            502
        );
    }

    #[test]
    fn cors_preflight_and_headers() {
        let cors = CorsConfig {
            origins: vec!["https://app.example".into()],
            methods: vec!["GET".into(), "POST".into()],
            headers: vec!["content-type".into()],
            max_age: Some(600),
            ..CorsConfig::default()
        };
        let mut req = request("OPTIONS", "/items", "");
        req.headers
            .push(("Origin".into(), "https://app.example".into()));
        req.headers
            .push(("Access-Control-Request-Method".into(), "POST".into()));
        let resp = preflight(&cors, &req).unwrap();
        assert_eq!(resp.status, 204);
        assert!(resp.headers.contains(&(
            "access-control-allow-origin".into(),
            "https://app.example".into()
        )));
        assert!(
            resp.headers
                .contains(&("access-control-allow-methods".into(), "GET,POST".into()))
        );
        assert!(
            resp.headers
                .contains(&("access-control-max-age".into(), "600".into()))
        );

        let mut other = req.clone();
        other.headers.retain(|(k, _)| k != "Origin");
        other
            .headers
            .push(("Origin".into(), "https://evil.example".into()));
        let denied = preflight(&cors, &other).unwrap();
        assert!(denied.header("access-control-allow-origin").is_none());

        let mut resp = HttpResponse::json(200, &json!({}));
        let mut get = request("GET", "/items", "");
        get.headers
            .push(("Origin".into(), "https://app.example".into()));
        add_cors(&cors, &get, &mut resp);
        assert_eq!(
            resp.header("access-control-allow-origin"),
            Some("https://app.example")
        );
        assert!(preflight(&cors, &get).is_none());
    }

    #[test]
    fn rest_events_keep_header_names_as_sent_and_v2_lowercases_them() {
        let mut req = request("GET", "/", "");
        req.headers = vec![
            ("authorization".into(), "Bearer t".into()),
            ("X-Custom-ID".into(), "7".into()),
        ];
        let route = Route::parse("$default").unwrap();
        let e = to_event(ApiKind::Rest, &req, &route, &BTreeMap::new(), &ctx());
        assert_eq!(e["headers"]["authorization"], "Bearer t");
        assert_eq!(e["headers"]["X-Custom-ID"], "7");
        assert!(e["headers"]["Authorization"].is_null());
        let v2 = to_event(ApiKind::Http, &req, &route, &BTreeMap::new(), &ctx());
        assert_eq!(v2["headers"]["x-custom-id"], "7");
    }

    #[test]
    fn v2_ignores_multi_value_headers_and_rest_defaults_the_content_type() {
        let result = br#"{"statusCode": 200, "headers": {"X-A": "1"}, "multiValueHeaders": {"X-B": ["2"]}, "body": "x"}"#;
        let v2 = from_result(ApiKind::Http, Some(result), Binary::default());
        assert_eq!(v2.header("x-a"), Some("1"));
        assert_eq!(v2.header("x-b"), None);
        assert_eq!(v2.header("content-type"), None);
        let rest = from_result(ApiKind::Rest, Some(result), Binary::default());
        assert_eq!(rest.header("x-b"), Some("2"));
        assert_eq!(rest.header("content-type"), Some("application/json"));
        let string_status = from_result(
            ApiKind::Rest,
            Some(br#"{"statusCode": "404", "body": ""}"#),
            Binary::default(),
        );
        assert_eq!(string_status.status, 404);
        let nonsense = from_result(
            ApiKind::Rest,
            Some(br#"{"statusCode": "abc"}"#),
            Binary::default(),
        );
        assert_eq!(nonsense.status, 502);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
