//! Handlers under a debugger: debugpy for Python, Node.js's inspector.
//!
//! A debug port hands whoever speaks to it the handler's process, with the
//! user's credentials in its environment. So the runtime never listens on
//! TCP itself: lam listens on the debug port (a [`Front`]) and passes on
//! only what a debugger sends, from the user's own processes:
//! - **Python**: debugpy's in-process adapter listens on a Unix socket in a
//!   directory only the user can enter; lam's front takes a connection
//!   only from the same user (Linux's socket table) and only DAP framing
//!   (`Content-Length:` headers and a JSON body, message after message), so
//!   a web page's HTTP request never reaches the adapter.
//! - **Node.js**: the inspector listens on a port of its own choosing and
//!   does not list its WebSocket address (`--inspect-publish-uid=stderr`):
//!   without the random id in that address, a connection to it gets
//!   nothing. lam's front answers `/json` itself (to the same user, with a
//!   Host that names it) and passes the WebSocket on.
//!
//! lam waits for a debugger before the handler's module is imported
//! (unless told not to), so breakpoints set before the first event are hit
//! during init too. While a debugger is attached through the front, the
//! function's timeout stands still.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::config::rules::Language;
use crate::error::{Error, Result};

/// The debugpy lam installs when the project's interpreter has none.
pub const DEBUGPY_VERSION: &str = "1.8.22";

/// What the handler's remaining time says while a debugger is attached.
pub const SUSPENDED_DEADLINE: Duration = Duration::from_secs(12 * 3600);

/// `--debug`: the port the runtime listens on, and whether it waits for a
/// debugger before the handler's import.
#[derive(Debug, Clone)]
pub struct Debug {
    pub port: u16,
    pub wait: bool,
    /// A debugger has been attached at some point (then waiting is over).
    ever_attached: Arc<AtomicBool>,
    /// Debuggers attached through the front now.
    sessions: Arc<AtomicUsize>,
}

impl Debug {
    pub fn new(port: u16, wait: bool) -> Debug {
        Debug {
            port,
            wait,
            ever_attached: Arc::new(AtomicBool::new(false)),
            sessions: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The conventional port: debugpy's for Python, the inspector's for Node.js.
    pub fn default_port(language: Language) -> u16 {
        match language {
            Language::Node => 9229,
            _ => 5678,
        }
    }

    /// The same settings on another port, for the next function of `lam serve`.
    pub fn on_port(&self, port: u16) -> Debug {
        Debug::new(port, self.wait)
    }

    /// For a newly started process: it waits for a debugger of its own.
    pub fn fresh(&self) -> Debug {
        self.on_port(self.port)
    }

    /// The same process started again: it waits for a debugger again.
    pub fn restart(&self) {
        self.ever_attached.store(false, Ordering::SeqCst);
    }

    /// Whether a debugger is attached now (through the front: a DAP
    /// `attach` or an inspector WebSocket, never a mere connection).
    pub fn attached(&self) -> bool {
        self.sessions.load(Ordering::SeqCst) > 0
    }

    /// Counts a debugger in until the returned guard is dropped.
    fn session(&self) -> Session {
        self.sessions.fetch_add(1, Ordering::SeqCst);
        self.ever_attached.store(true, Ordering::SeqCst);
        Session(self.sessions.clone())
    }

    /// Whether the clock runs: not while a debugger is connected, nor while
    /// the runtime waits for the first one.
    fn counting(&self) -> bool {
        let attached = self.attached();
        !(attached || (self.wait && !self.ever_attached.load(Ordering::SeqCst)))
    }

    /// Resolves once `limit` has passed on the clock that stops while a
    /// debugger is attached (or awaited).
    pub async fn expire(&self, limit: Duration) {
        const TICK: Duration = Duration::from_millis(50);
        let mut spent = Duration::ZERO;
        let mut last = tokio::time::Instant::now();
        while spent < limit {
            tokio::time::sleep(TICK.min(limit - spent)).await;
            let now = tokio::time::Instant::now();
            if self.counting() {
                spent += now - last;
            }
            last = now;
        }
    }

    /// How to attach, for the line lam prints.
    pub fn describe(&self, language: Language) -> String {
        let what = match language {
            Language::Node => "Node.js inspector",
            _ => "debugpy",
        };
        let waiting = if self.wait {
            "waiting for a debugger to attach"
        } else {
            "running without waiting"
        };
        format!(
            "{what} on 127.0.0.1:{} ({waiting}; `lam debug-config vscode` writes the editor's set-up)",
            self.port
        )
    }
}

/// Where `import debugpy` resolves for `python`: None when the interpreter
/// has it already; otherwise lam's cache, installed there once per
/// interpreter version (never into the project or its package).
pub fn debugpy_path(python: &Path, quiet: bool) -> Result<Option<PathBuf>> {
    let probe = Command::new(python)
        .args([
            "-I",
            "-c",
            "import sys\ntry:\n import debugpy\n print('have')\nexcept ImportError:\n print(sys.implementation.cache_tag)",
        ])
        .output()
        .map_err(|e| {
            Error::local(format!("cannot run {}: {e}", python.display()))
                .with_hint("set LAM_PYTHON to a working Python")
        })?;
    let answer = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    if answer == "have" {
        return Ok(None);
    }
    let tag = if answer.is_empty() { "python" } else { &answer };
    let dir = crate::package::tools::cache_dir()?
        .join("debugpy")
        .join(format!("{DEBUGPY_VERSION}-{tag}"));
    crate::package::tools::pip_install_into(
        python,
        &format!("debugpy=={DEBUGPY_VERSION}"),
        &dir,
        |d| d.join("debugpy").join("__init__.py").is_file(),
        quiet,
    )
    .map(Some)
    .map_err(|e| {
        e.with_hint("install it yourself in the project's environment: pip install debugpy")
    })
}

/// Keeps a debugger counted in while it is attached.
struct Session(Arc<AtomicUsize>);

impl Drop for Session {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The largest DAP message lam passes on (a `setBreakpoints` of a large
/// file is a few KB; an `evaluate` of pasted text, more).
const DAP_MESSAGE_LIMIT: usize = 16 * 1024 * 1024;
/// A DAP header block or an HTTP request head, at most.
const HEAD_LIMIT: usize = 8 * 1024;
/// How long a new connection has for its first message.
const FIRST_MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// What listens on the debug port for one runtime process, and the private
/// directory where the runtime's own end is (see the module's comment).
pub struct Front {
    /// Removed with the front (its contents are the runtime's end).
    _dir: tempfile::TempDir,
    /// The runtime's end: debugpy's socket, or the inspector's address file.
    inner: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Front {
    /// Binds the debug port and starts passing debuggers on.
    pub async fn start(debug: &Debug, language: Language) -> Result<Front> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", debug.port))
            .await
            .map_err(|e| {
                Error::local(format!(
                    "port {} on 127.0.0.1 is already in use: {e}",
                    debug.port
                ))
                .with_hint("stop what holds it (an earlier --debug run?), or pass --debug-port")
            })?;
        let dir = private_dir()?;
        let inner = dir.path().join(match language {
            Language::Node => "inspector-url",
            _ => "dap.sock",
        });
        let debug = debug.clone();
        let runtime_end = inner.clone();
        let task = tokio::spawn(async move {
            let Ok(local) = listener.local_addr() else {
                return;
            };
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                // Another user of the machine: closed unread.
                if !super::listener::same_user(local, peer) {
                    continue;
                }
                let _ = stream.set_nodelay(true);
                let (inner, debug) = (inner.clone(), debug.clone());
                connections.spawn(async move {
                    match language {
                        Language::Node => inspector_client(stream, local, &inner, &debug).await,
                        _ => dap_client(stream, &inner, &debug).await,
                    }
                });
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(Front {
            _dir: dir,
            inner: runtime_end,
            task,
        })
    }

    /// `_LAM_DEBUG` for the runtime: where its end is, and whether it
    /// waits for a debugger.
    pub fn runtime_setting(&self, debug: &Debug) -> String {
        let wait = if debug.wait { "wait" } else { "" };
        format!("{},{wait}", self.inner.display())
    }

    /// The runtime process is started again: the old one's end (an
    /// inspector address nothing listens on now) is forgotten, so a
    /// debugger waits for the new one's.
    pub fn runtime_restarted(&self) {
        let _ = std::fs::remove_file(&self.inner);
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A directory only this user can enter, for the runtime's end of the
/// debugger connection.
fn private_dir() -> Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("lam-debug-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir().map_err(|e| {
        Error::local(format!(
            "cannot create a private directory for --debug: {e}"
        ))
    })
}

/// One DAP message's body: its header block checked to be DAP's (only
/// `Content-Length` and `Content-Type` fields), its body a JSON object.
/// None for anything else: an HTTP request line, a header DAP has not, a
/// body that is not JSON.
async fn read_dap_message<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Vec<u8>> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let mut head = Vec::new();
    let mut length = None;
    loop {
        let mut line = Vec::new();
        let n = (&mut *reader)
            .take((HEAD_LIMIT - head.len().min(HEAD_LIMIT)) as u64)
            .read_until(b'\n', &mut line)
            .await
            .ok()?;
        if n == 0 || !line.ends_with(b"\r\n") {
            return None;
        }
        head.extend_from_slice(&line);
        let text = std::str::from_utf8(&line[..line.len() - 2]).ok()?;
        if text.is_empty() {
            break;
        }
        let (name, value) = text.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            let n: usize = value.trim().parse().ok()?;
            if n > DAP_MESSAGE_LIMIT || length.replace(n).is_some() {
                return None;
            }
        } else if !name.eq_ignore_ascii_case("content-type") {
            return None;
        }
    }
    let mut body = vec![0u8; length?];
    reader.read_exact(&mut body).await.ok()?;
    let parsed: serde_json::Value = serde_json::from_slice(&body).ok()?;
    parsed.get("type")?.as_str()?;
    Some(body)
}

/// A DAP message as lam passes it on: pydevd reads `Content-Length:` in
/// this exact case, and treats a line before it as a command of its older
/// protocol; lam writes the header itself.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Whether a DAP message is the request that attaches a debugger.
fn attaches(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|m| {
        m["type"] == "request" && (m["command"] == "attach" || m["command"] == "launch")
    })
}

/// Passes a debugger's DAP messages to debugpy's Unix socket, message by
/// message, and its answers back; closes the connection at the first
/// thing that is not a DAP message.
#[cfg(unix)]
async fn dap_client(stream: tokio::net::TcpStream, socket: &Path, debug: &Debug) {
    use tokio::io::AsyncWriteExt;
    let (read, mut write) = stream.into_split();
    let mut reader = tokio::io::BufReader::new(read);
    let Ok(Some(first)) =
        tokio::time::timeout(FIRST_MESSAGE_TIMEOUT, read_dap_message(&mut reader)).await
    else {
        return;
    };
    // The runtime may still be starting: its socket appears when debugpy
    // listens.
    let mut inner = None;
    for _ in 0..200 {
        if let Ok(s) = tokio::net::UnixStream::connect(socket).await {
            inner = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let Some(inner) = inner else {
        return;
    };
    let (mut from_runtime, mut to_runtime) = inner.into_split();
    let mut session = None;
    let upstream = async {
        let mut message = first;
        loop {
            if session.is_none() && attaches(&message) {
                session = Some(debug.session());
            }
            if to_runtime.write_all(&framed(&message)).await.is_err() {
                return;
            }
            match read_dap_message(&mut reader).await {
                Some(next) => message = next,
                None => return,
            }
        }
    };
    let downstream = async {
        let _ = tokio::io::copy(&mut from_runtime, &mut write).await;
        let _ = write.shutdown().await;
    };
    tokio::select! {
        _ = upstream => {}
        _ = downstream => {}
    }
}

#[cfg(not(unix))]
async fn dap_client(_: tokio::net::TcpStream, _: &Path, _: &Debug) {}

/// The head of an HTTP request: its request line and headers.
struct Head {
    raw: Vec<u8>,
    path: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

async fn read_http_head<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Head> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let mut raw = Vec::new();
    loop {
        let n = (&mut *reader)
            .take((HEAD_LIMIT - raw.len().min(HEAD_LIMIT)) as u64)
            .read_until(b'\n', &mut raw)
            .await
            .ok()?;
        if n == 0 {
            return None;
        }
        if raw.ends_with(b"\r\n\r\n") {
            break;
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(_) = req.parse(&raw).ok()? else {
        return None;
    };
    if req.method? != "GET" {
        return None;
    }
    let path = req.path?.to_string();
    let headers = super::listener::header_pairs(req.headers);
    Some(Head { raw, path, headers })
}

/// The inspector's address, as its preload wrote it: ws://127.0.0.1:PORT/UUID.
fn inspector_address(file: &Path) -> Option<(String, String)> {
    let url = std::fs::read_to_string(file).ok()?;
    let rest = url.trim().strip_prefix("ws://")?;
    let (addr, id) = rest.split_once('/')?;
    Some((addr.to_string(), id.to_string()))
}

/// Answers a debugger's discovery (`/json`, `/json/list`, `/json/version`)
/// and passes its WebSocket on to the inspector, to a request whose Host
/// names this port; anything else is refused.
async fn inspector_client(
    stream: tokio::net::TcpStream,
    local: std::net::SocketAddr,
    url_file: &Path,
    debug: &Debug,
) {
    use tokio::io::AsyncWriteExt;
    let (read, mut write) = stream.into_split();
    let mut reader = tokio::io::BufReader::new(read);
    let Ok(Some(head)) =
        tokio::time::timeout(FIRST_MESSAGE_TIMEOUT, read_http_head(&mut reader)).await
    else {
        return;
    };
    let hosts = super::listener::Hosts::for_server(local, "127.0.0.1");
    if !hosts.allows(head.header("host")) {
        let _ = write
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return;
    }
    // The inspector may still be starting.
    let mut address = None;
    for _ in 0..100 {
        address = inspector_address(url_file);
        if address.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let Some((inner, id)) = address else {
        let _ = write
            .write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return;
    };
    let path = head.path.split('?').next().unwrap_or("/");
    let json = match path {
        "/json" | "/json/" | "/json/list" | "/json/list/" => {
            let ws = format!("127.0.0.1:{}/{id}", local.port());
            Some(serde_json::json!([{
                "description": "node.js instance",
                "devtoolsFrontendUrl": format!("devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws={ws}"),
                "devtoolsFrontendUrlCompat": format!("devtools://devtools/bundled/inspector.html?experiments=true&v8only=true&ws={ws}"),
                "faviconUrl": "https://nodejs.org/static/images/favicons/favicon.ico",
                "id": id,
                "title": "lam",
                "type": "node",
                "url": "file://",
                "webSocketDebuggerUrl": format!("ws://{ws}"),
            }]))
        }
        "/json/version" | "/json/version/" => Some(serde_json::json!({
            "Browser": "node.js",
            "Protocol-Version": "1.1",
        })),
        _ => None,
    };
    if let Some(json) = json {
        let body = json.to_string();
        let _ = write
            .write_all(
                format!(
                    "HTTP/1.0 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\nCache-Control: no-cache\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            )
            .await;
        return;
    }
    // A web page's WebSocket carries its origin (browsers do not apply CORS
    // to WebSockets); debuggers send none, or DevTools' own.
    let web_page = head
        .header("origin")
        .is_some_and(|o| o.starts_with("http://") || o.starts_with("https://") || o == "null");
    if path.trim_start_matches('/') != id
        || web_page
        || !head
            .header("upgrade")
            .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
    {
        let _ = write
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return;
    }
    let Ok(upstream) = tokio::net::TcpStream::connect(&inner).await else {
        return;
    };
    let _ = upstream.set_nodelay(true);
    // The inspector checks Host too: it is given its own address.
    let text = String::from_utf8_lossy(&head.raw);
    let mut rewritten = String::with_capacity(text.len());
    for line in text.split_inclusive("\r\n") {
        if line
            .split_once(':')
            .is_some_and(|(name, _)| name.eq_ignore_ascii_case("host"))
        {
            rewritten.push_str(&format!("Host: {inner}\r\n"));
        } else {
            rewritten.push_str(line);
        }
    }
    let (mut from_inspector, mut to_inspector) = upstream.into_split();
    if to_inspector.write_all(rewritten.as_bytes()).await.is_err() {
        return;
    }
    let _session = debug.session();
    let up = async {
        let _ = tokio::io::copy(&mut reader, &mut to_inspector).await;
    };
    let down = async {
        let _ = tokio::io::copy(&mut from_inspector, &mut write).await;
        let _ = write.shutdown().await;
    };
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}

/// Python's launcher for `--debug`: debugpy's in-process adapter, on a Unix
/// socket in lam's private directory (never a TCP port), waits for a
/// debugger unless told not to, then runs the runtime client as
/// `python <script>` or `python -m <module>` would.
pub const PYTHON_LAUNCHER: &str = include_str!("debug_launcher.py");

/// Node.js's preload for `--debug`: opens the inspector on a port of its
/// own choosing, tells lam its address through a file in lam's private
/// directory, and waits for a debugger unless told not to.
pub const NODE_PRELOAD: &str = r#"// Written by lam for `lam invoke --local --debug` and `lam serve --debug`.
const inspector = require("node:inspector");
const fs = require("node:fs");
const setting = process.env._LAM_DEBUG || "";
delete process.env._LAM_DEBUG;
const comma = setting.lastIndexOf(",");
const file = setting.slice(0, comma), wait = setting.slice(comma + 1);
inspector.open(0, "127.0.0.1", false);
fs.writeFileSync(file + ".tmp", inspector.url(), { mode: 0o600 });
fs.renameSync(file + ".tmp", file);
if (wait === "wait") inspector.waitForDebugger();
"#;

/// The debugger port of the project's `index`th function: `base` (or the
/// first function's conventional port) plus its place in lam.toml, so
/// `lam serve --debug`, `lam invoke --local --debug` and
/// `lam debug-config` agree.
pub fn port_for(project: &crate::config::Project, index: usize, base: Option<u16>) -> u16 {
    let first = project
        .functions
        .first()
        .map_or(Language::Python, |f| f.language());
    base.unwrap_or_else(|| Debug::default_port(first))
        .saturating_add(index.min(u16::MAX as usize) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_dap_messages_pass() {
        let ok =
            b"Content-Length: 45\r\n\r\n{\"seq\":1,\"type\":\"request\",\"command\":\"attach\"}";
        let mut reader = tokio::io::BufReader::new(&ok[..]);
        let message = read_dap_message(&mut reader).await.unwrap();
        assert!(attaches(&message));
        // A web page's POST whose body is a DAP message.
        let http = b"POST / HTTP/1.1\r\nHost: 127.0.0.1:5678\r\nContent-Type: text/plain\r\nContent-Length: 45\r\n\r\n{\"seq\":1,\"type\":\"request\",\"command\":\"attach\"}";
        let mut reader = tokio::io::BufReader::new(&http[..]);
        assert!(read_dap_message(&mut reader).await.is_none());
        // DAP framing with a header DAP has not, or a body that is not JSON.
        for bad in [
            &b"Content-Length: 2\r\nHost: x\r\n\r\n{}"[..],
            &b"Content-Length: 2\r\n\r\nab"[..],
            &b"Content-Length: 99999999999\r\n\r\n{}"[..],
            &b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"[..],
        ] {
            let mut reader = tokio::io::BufReader::new(bad);
            assert!(read_dap_message(&mut reader).await.is_none());
        }
        let initialize = b"Content-Length: 49\r\n\r\n{\"seq\":1,\"type\":\"request\",\"command\":\"initialize\"}";
        let mut reader = tokio::io::BufReader::new(&initialize[..]);
        assert!(!attaches(&read_dap_message(&mut reader).await.unwrap()));
    }

    #[tokio::test]
    async fn the_clock_stops_while_waiting_for_the_first_debugger() {
        // Nothing listens on this port: never attached.
        let waiting = Debug::new(1, true);
        let started = std::time::Instant::now();
        let expired = tokio::time::timeout(
            Duration::from_millis(300),
            waiting.expire(Duration::from_millis(100)),
        )
        .await;
        assert!(expired.is_err(), "waiting for a debugger does not count");
        let running = Debug::new(1, false);
        running.expire(Duration::from_millis(100)).await;
        assert!(started.elapsed() >= Duration::from_millis(400));
    }
}
