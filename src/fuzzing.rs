//! Entry points for the fuzz targets in `fuzz/` (and their regression
//! tests): each takes arbitrary bytes, drives one of lam's parsers with
//! them, and must return without panicking. Errors are fine; crashes are
//! bugs.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{ApiKind, CorsConfig, Project};
use crate::events::{self, Params};
use crate::local::apigw::{self, EventContext, HttpRequest, Route};
use crate::package::select;

/// Splits fuzz input into fields on NUL bytes, as lossy UTF-8.
fn fields(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

fn field(fields: &[String], i: usize) -> Option<String> {
    fields.get(i).filter(|f| !f.is_empty()).cloned()
}

/// lam.toml parsing, layering and validation, for the default stage and
/// for a stage named by the input; then `${VAR}` expansion.
pub fn lam_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let root = Path::new("/nonexistent-lam-fuzz");
    for stage in [None, Some("prod"), Some("dev")] {
        if let Ok(project) = Project::parse(&text, "lam.toml", root, stage) {
            let _ = project.expand_env();
        }
    }
}

/// Event generation for every source with parameters taken from the input.
pub fn event_params(data: &[u8]) {
    let f = fields(data);
    let pairs = |i: usize| -> Vec<(String, String)> {
        field(&f, i)
            .map(|s| {
                s.split('&')
                    .filter_map(|p| {
                        p.split_once('=')
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let number = |i: usize| field(&f, i).and_then(|s| s.trim().parse::<u64>().ok());
    let params = Params {
        method: field(&f, 0),
        path: field(&f, 1),
        query: pairs(2),
        headers: pairs(3),
        path_params: pairs(4),
        body: field(&f, 5),
        bucket: field(&f, 6),
        key: field(&f, 7),
        size: number(8),
        // Bounded: a huge count is a legitimate request, not a fuzz finding.
        count: number(9).map(|c| (c % 64) as usize),
        seed: number(10),
    };
    for source in events::sources() {
        if let Ok(event) = events::generate(source.name, &params) {
            let _ = serde_json::to_string(&event);
        }
    }
    let _ = events::parse_pairs("--query", &f);
}

/// `.lamignore` text (first field) and `[build]` patterns matched against
/// paths from the input.
pub fn lamignore(data: &[u8]) {
    let f = fields(data);
    let text = f.first().cloned().unwrap_or_default();
    let include: Vec<String> = field(&f, 1)
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let exclude: Vec<String> = field(&f, 2)
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let mut paths: Vec<(&str, bool)> = f
        .iter()
        .skip(3)
        .flat_map(|s| s.lines())
        // lam only ever matches paths relative to the project.
        .filter(|p| !p.is_empty() && !p.starts_with('/'))
        .map(|p| (p, p.ends_with('/')))
        .collect();
    paths.extend([
        ("app.py", false),
        ("src", true),
        ("src/lib/x.py", false),
        (".env", false),
    ]);
    let _ = select::reasons(Path::new("/project"), &text, &include, &exclude, &paths);
}

/// The local API Gateway: an HTTP request (fields: method, path, query,
/// headers as `k: v` lines, body, route keys, function result) turned into
/// each kind of event, routed, and the function's result turned back into
/// HTTP, with CORS.
pub fn http_event(data: &[u8]) {
    let f = fields(data);
    let headers: Vec<(String, String)> = field(&f, 3)
        .map(|s| {
            s.lines()
                .filter_map(|l| {
                    l.split_once(':')
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    let req = HttpRequest {
        method: field(&f, 0).unwrap_or_else(|| "GET".into()),
        path: field(&f, 1).unwrap_or_else(|| "/".into()),
        query: field(&f, 2).unwrap_or_default(),
        headers,
        body: f.get(4).map(|s| s.as_bytes().to_vec()).unwrap_or_default(),
        source_ip: "127.0.0.1".into(),
    };
    let ctx = EventContext {
        request_id: "fuzz".into(),
        stage: "dev".into(),
        host: "localhost".into(),
        epoch_ms: 1_700_000_000_000,
        // The binary media types come from the input too, so both REST paths run.
        binary_media_types: field(&f, 7)
            .map(|s| s.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        port: 3000,
    };
    let configured: Option<Vec<String>> =
        field(&f, 5).map(|s| s.lines().map(str::to_string).collect());
    let cors = CorsConfig {
        origins: vec!["https://app.example.com".into(), "*".into()],
        ..Default::default()
    };
    let result = f.get(6).map(|s| s.as_bytes());
    for kind in [ApiKind::Rest, ApiKind::Http, ApiKind::Url, ApiKind::None] {
        let routes = apigw::routes_for(kind, configured.as_deref());
        for route in &routes {
            if let Some(params) = route.matches(&req.method, &req.path) {
                let _ = apigw::to_event(kind, &req, route, &params, &ctx);
            }
        }
        let any = Route::parse("$default").unwrap_or(Route {
            method: None,
            pattern: None,
        });
        let _ = apigw::to_event(kind, &req, &any, &BTreeMap::new(), &ctx);
        let accept = req.header("accept");
        let binary = apigw::Binary {
            types: &ctx.binary_media_types,
            accept,
        };
        let mut resp = apigw::from_result(kind, result, binary);
        apigw::add_cors(&cors, &req, &mut resp);
        let _ = apigw::preflight(&cors, &req);
    }
}
