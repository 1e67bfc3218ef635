//! Attacks on `lam serve` the way a web page makes them, through a real
//! browser (Debian's headless Chromium): a page on another origin tries
//! the no-cors POST to the Invoke API (a text/plain body needs no
//! preflight), a JSON POST that needs one, and a request through a name
//! that resolves to loopback (DNS rebinding, with Chromium's
//! --host-resolver-rules). The handler, which runs with the user's AWS
//! credentials, must never run.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

use crate::serve::{Serve, marking_project};

/// Serves `page` for every request, on a loopback port of its own (another
/// origin than lam serve); returns the port.
pub(crate) fn serve_page(page: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

fn chromium() -> &'static str {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(candidate).exists() {
            return candidate;
        }
    }
    panic!(
        "Chromium is not installed: run `bash .ci/run` (it installs Debian's chromium) or `apt-get install chromium`"
    );
}

/// Loads `url` in headless Chromium until its script sets the title to
/// "done ..."; returns the DOM.
pub(crate) fn open_page(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP rebound.test 127.0.0.1",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("<title>done "),
        "the page did not finish:\n{dom}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

#[test]
fn a_web_page_cannot_run_a_handler_through_lam_serve() {
    let (dir, marker) = marking_project();
    let serve = Serve::start(dir.path(), &[]);
    let target = serve.port;
    let page = format!(
        r#"<!doctype html><html><head><title>pending</title></head><body><script>
const results = {{}};
async function attempt(name, url, options) {{
  try {{
    const r = await fetch(url, options);
    results[name] = r.type + " " + r.status;
  }} catch (e) {{
    results[name] = "blocked " + e.name;
  }}
}}
(async () => {{
  const invoke = "http://127.0.0.1:{target}/2015-03-31/functions/function/invocations";
  await attempt("no_cors_invoke", invoke, {{ method: "POST", mode: "no-cors", body: "{{}}" }});
  await attempt("json_invoke", invoke, {{ method: "POST", headers: {{ "Content-Type": "application/json" }}, body: "{{}}" }});
  await attempt("rebound_get", "http://rebound.test:{target}/", {{ mode: "no-cors" }});
  await attempt("rebound_invoke", "http://rebound.test:{target}/2015-03-31/functions/function/invocations", {{ method: "POST", mode: "no-cors", body: "{{}}" }});
  document.title = "done " + JSON.stringify(results);
}})();
</script></body></html>"#
    );
    let page_port = serve_page(page);
    let dom = open_page(&format!("http://127.0.0.1:{page_port}/attack.html"));
    // Give lam serve's log a moment to catch up with the last request.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = serve.log.lock().unwrap().clone();
    // The browser did reach lam serve, and lam refused each attempt.
    assert!(
        log.contains("/2015-03-31/functions/function/invocations 403"),
        "the no-cors POST reached lam and was refused:\n{log}\n{dom}"
    );
    assert!(
        log.contains("(refused: Host)"),
        "the rebound requests reached lam and were refused:\n{log}\n{dom}"
    );
    assert!(
        !marker.exists(),
        "the handler ran for a web page:\n{log}\n{dom}"
    );
}

/// What a page on another origin may read from `lam serve`, for each
/// `[api]` kind, must be what the deployed API would let it read: a JSON
/// POST with an Authorization header (so the browser sends a preflight),
/// without and with credentials.
///
/// - No `[api.cors]` and a handler that sends no CORS headers: blocked.
/// - `[api.cors]` naming the page: an HTTP API and a function URL add the
///   CORS headers themselves, so the page reads the answer (with
///   credentials only when `credentials = true`); a REST API answers the
///   preflight (lam deploy's MOCK OPTIONS) but passes the function's
///   response as it is, so a handler that sends no CORS headers stays
///   unreadable, as on AWS ("CORS for REST APIs in API Gateway": with a
///   proxy integration the backend returns the CORS headers,
///   docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html).
/// - A handler that answers OPTIONS and sends its own CORS headers works
///   behind every kind.
#[test]
fn what_a_page_can_read_follows_each_apis_cors() {
    let page = r#"<!doctype html><html><head><title>pending</title></head><body><script>
const target = new URLSearchParams(location.search).get("target");
const results = {};
async function attempt(name, extra) {
  try {
    const r = await fetch("http://127.0.0.1:" + target + "/items", Object.assign({
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer t" },
      body: "{}",
    }, extra));
    results[name] = "read " + r.status + " " + (await r.text());
  } catch (e) {
    results[name] = "blocked";
  }
}
(async () => {
  await attempt("plain", {});
  await attempt("credentials", { credentials: "include" });
  document.title = "done " + JSON.stringify(results);
})();
</script></body></html>"#;
    let page_port = serve_page(page.to_string());
    let origin = format!("http://127.0.0.1:{page_port}");
    let handler = |own_cors: bool| {
        format!(
            r#"import json
OWN = {own}
def handler(event, context):
    method = event.get("httpMethod") or event["requestContext"]["http"]["method"]
    headers = {{"Content-Type": "application/json"}}
    if OWN:
        sent = {{k.lower(): v for k, v in (event.get("headers") or {{}}).items()}}
        headers.update({{
            "Access-Control-Allow-Origin": sent.get("origin", "*"),
            "Access-Control-Allow-Headers": "content-type,authorization",
            "Access-Control-Allow-Methods": "POST,OPTIONS",
            "Access-Control-Allow-Credentials": "true",
        }})
        if method == "OPTIONS":
            return {{"statusCode": 204, "headers": headers, "body": ""}}
    return {{"statusCode": 200, "headers": headers, "body": json.dumps({{"ok": True}})}}
"#,
            own = if own_cors { "True" } else { "False" }
        )
    };
    let read = r#"read 200 {\"ok\": true}"#;
    let blocked = "blocked";
    for kind in ["rest", "http", "url"] {
        let cors = |credentials: bool| {
            format!(
                "[api.cors]\norigins = [\"{origin}\"]\nmethods = [\"POST\"]\nheaders = [\"content-type\", \"authorization\"]\ncredentials = {credentials}\n"
            )
        };
        let gateway_adds_cors = kind != "rest";
        // (what lam.toml adds, whether the handler sends CORS itself,
        //  expected plain fetch, expected credentialed fetch)
        let cases = [
            (
                "no [api.cors]".to_string(),
                String::new(),
                false,
                blocked,
                blocked,
            ),
            (
                "[api.cors]".to_string(),
                cors(false),
                false,
                if gateway_adds_cors { read } else { blocked },
                blocked,
            ),
            (
                "[api.cors] with credentials".to_string(),
                cors(true),
                false,
                if gateway_adds_cors { read } else { blocked },
                if gateway_adds_cors { read } else { blocked },
            ),
            (
                "the handler's own CORS".to_string(),
                String::new(),
                true,
                read,
                read,
            ),
        ];
        for (what, cors_toml, own, plain, credentialed) in cases {
            let toml = format!(
                "[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n[api]\nkind = \"{kind}\"\n{cors_toml}"
            );
            let dir = crate::common::project(&toml, &[("app.py", &handler(own))]);
            let serve = Serve::start(dir.path(), &[]);
            let dom = open_page(&format!("{origin}/page.html?target={}", serve.port));
            let expect = |name: &str, outcome: &str| {
                let wanted = format!("\"{name}\":\"{outcome}\"");
                assert!(
                    dom.contains(&wanted),
                    "{kind}, {what}: expected {wanted} in\n{dom}\n{}",
                    serve.log.lock().unwrap()
                );
            };
            expect("plain", plain);
            expect("credentials", credentialed);
        }
    }
}
