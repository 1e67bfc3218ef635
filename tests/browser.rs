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
fn serve_page(page: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
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
        .arg(format!("http://127.0.0.1:{page_port}/attack.html"))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<title>done "),
        "the page did not finish:\n{dom}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
