//! `lam serve`: a local API Gateway and Lambda Invoke API in front of warm
//! runtime processes.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use bytes::Bytes;
use console::style;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::apigw::{self, EventContext, HttpRequest, HttpResponse, Route};
use super::{Input, LogMode, Options, Runtime, new_request_id};
use crate::config::{ApiKind, CorsConfig, Function, Project};
use crate::error::{Error, Result};
use crate::invocation::Outcome;

/// How `lam serve` listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    pub concurrency: usize,
    pub watch: bool,
    /// The credentials Invoke API requests must be signed with (None: lam
    /// has none, and only the form of the signature is checked).
    pub credentials: Option<super::sigv4::Credentials>,
}

/// Warm runtime processes of one function, up to a concurrency limit.
pub struct Pool {
    /// The function's key in lam.toml and its name.
    key: String,
    name: String,
    /// Replaced when --watch sees lam.toml or .env change.
    setup: Mutex<Arc<Setup>>,
    idle: Mutex<Vec<(u64, Runtime)>>,
    permits: Semaphore,
    /// Requests waiting for a runtime, at most `max_waiting` (Lambda does
    /// not queue a synchronous invocation: it throttles).
    waiting: std::sync::atomic::AtomicUsize,
    max_waiting: usize,
    /// Bumped when files change: older runtimes are replaced.
    generation: Arc<AtomicU64>,
}

/// What a pool starts its runtimes with.
struct Setup {
    project: Project,
    function: Function,
    opts: Options,
}

/// One invocation's result and whether it started a runtime.
pub struct Served {
    pub outcome: Outcome,
    pub cold: bool,
}

impl Pool {
    pub fn new(
        project: &Project,
        function: &Function,
        opts: &Options,
        concurrency: usize,
        generation: Arc<AtomicU64>,
    ) -> Pool {
        Pool {
            key: function.key.clone(),
            name: function.name.clone(),
            setup: Mutex::new(Arc::new(Setup {
                project: project.clone(),
                function: function.clone(),
                opts: opts.clone(),
            })),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(concurrency.max(1)),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            max_waiting: 10 * concurrency.max(1),
            generation,
        }
    }

    /// Runtimes started from now on get `opts` (credentials renewed); the
    /// running ones are replaced at their next turn.
    pub fn set_options(&self, opts: Options) {
        let mut setup = self.setup.lock().unwrap_or_else(|p| p.into_inner());
        *setup = Arc::new(Setup {
            project: setup.project.clone(),
            function: setup.function.clone(),
            opts,
        });
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Whether another request would have to be refused (429).
    fn full(&self) -> bool {
        self.permits.available_permits() == 0
            && self.waiting.load(Ordering::SeqCst) >= self.max_waiting
    }

    fn setup(&self) -> Arc<Setup> {
        self.setup.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn take_idle(&self, generation: u64) -> (Option<Runtime>, Vec<Runtime>) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let mut stale = Vec::new();
        while let Some((g, mut runtime)) = idle.pop() {
            if g == generation && runtime.reusable() {
                return (Some(runtime), stale);
            }
            stale.push(runtime);
        }
        (None, stale)
    }

    /// Invokes on a warm runtime when one is idle, else starts one.
    pub async fn invoke(&self, input: impl Into<Input>, log_tail: bool) -> Result<Served> {
        let input = input.into();
        if self.full() {
            return Err(Error::local(format!(
                "{} has {} requests waiting for a runtime already",
                self.key, self.max_waiting
            ))
            .with_hint("raise --concurrency, or send fewer requests at once")
            .with_cause(crate::error::Cause::Throttled));
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _permit = permit.map_err(|_| Error::local("the server is shutting down"))?;
        let generation = self.generation.load(Ordering::SeqCst);
        let (warm, stale) = self.take_idle(generation);
        for runtime in stale {
            runtime.stop().await;
        }
        let cold = warm.is_none();
        let mut runtime = match warm {
            Some(r) => r,
            None => {
                let setup = self.setup();
                Runtime::start(
                    &setup.project,
                    &setup.function,
                    &setup.opts,
                    LogMode::Capture,
                )
                .await?
            }
        };
        let (outcome, _) = runtime.invoke(input, false, log_tail).await?;
        if runtime.reusable() {
            self.idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((generation, runtime));
        } else {
            runtime.stop().await;
        }
        Ok(Served { outcome, cold })
    }
}

/// A function reachable over HTTP, with its routes.
struct HttpFunction {
    pool: Arc<Pool>,
    kind: ApiKind,
    routes: Vec<Route>,
    cors: Option<CorsConfig>,
    binary_media_types: Vec<String>,
}

struct Server {
    pools: Vec<Arc<Pool>>,
    http: Vec<HttpFunction>,
    stage: String,
    /// The Host values that name this server; any other is refused before
    /// a handler runs (a web page using DNS rebinding sends its own name).
    /// Empty when listening on every interface (--host 0.0.0.0 or ::, which
    /// needs --allow-remote): then any name this machine has may be used.
    hosts: super::listener::Hosts,
    credentials: Option<super::sigv4::Credentials>,
    /// The port lam serve listens on.
    port: u16,
}

/// API Gateway refuses request bodies over 10 MB; Lambda's Invoke API
/// payloads over 6 MB (synchronous) and 1 MB (Event; API_Invoke.html).
const API_BODY_LIMIT: usize = 10 * 1024 * 1024;
const INVOKE_BODY_LIMIT: usize = 6 * 1024 * 1024;
const ASYNC_BODY_LIMIT: usize = 1024 * 1024;
/// Open connections at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 256;
/// A client has this long to send its request headers...
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// ...and this long for the whole request, body included.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections from one remote address at once (--allow-remote).
const MAX_CONNECTIONS_PER_CLIENT: usize = 64;

/// Why a request to the Invoke API is refused: one a web page made (the
/// browser says so in Origin or Sec-Fetch-Site), or one that is not signed
/// as every AWS SDK and the AWS CLI sign their requests.
fn invoke_api_refusal(
    req: &HttpRequest,
    credentials: Option<&super::sigv4::Credentials>,
) -> Option<String> {
    if super::listener::from_browser(|name| req.header(name)) {
        return Some("the Invoke API does not take requests from web pages".into());
    }
    let signed = req
        .header("authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 "));
    if !signed {
        return Some(
            "the Invoke API takes requests signed with AWS Signature V4, as the AWS SDKs and CLI send them".into(),
        );
    }
    // With credentials, the signature itself must hold.
    let creds = credentials?;
    super::sigv4::verify(
        &super::sigv4::Signed {
            method: &req.method,
            path: &req.path,
            query: &req.query,
            headers: &req.headers,
            body: &req.body,
        },
        creds,
        SystemTime::now(),
    )
}

/// Runs the server until Ctrl-C.
pub async fn serve(project: Project, opts: Options, serve: ServeOptions) -> Result<()> {
    let addr = format!("{}:{}", serve.host, serve.port);
    let listener = TcpListener::bind(&addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::local(format!(
                "port {} on {} is already in use",
                serve.port, serve.host
            ))
            .with_hint("stop the other server, or pass --port <PORT>")
        } else {
            Error::local(format!(
                "cannot listen on {addr}: {}",
                crate::error::io_reason(&e)
            ))
            .with_hint("check --host and --port")
        }
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::local(format!("cannot read the server's address: {e}")))?;
    if !local.ip().is_loopback() {
        eprintln!(
            "{} listening on {local}, which other machines can reach",
            style("warning:").yellow().bold()
        );
    }

    let generation = Arc::new(AtomicU64::new(0));
    // --debug: one runtime per function, each with its own port, started
    // now so a debugger can attach before the first request.
    let debugging = opts.debug.is_some();
    let concurrency = if debugging { 1 } else { serve.concurrency };
    let pools: Vec<Arc<Pool>> = project
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut opts = opts.clone();
            opts.debug = opts
                .debug
                .as_ref()
                .filter(|_| f.language() != crate::config::rules::Language::Other)
                .map(|d| d.on_port(super::debug::port_for(&project, i, Some(d.port))));
            Arc::new(Pool::new(
                &project,
                f,
                &opts,
                concurrency,
                generation.clone(),
            ))
        })
        .collect();
    if debugging {
        for pool in &pools {
            let setup = pool.setup();
            let Some(debug) = &setup.opts.debug else {
                continue;
            };
            if std::net::TcpListener::bind(("127.0.0.1", debug.port)).is_err() {
                return Err(Error::local(format!(
                    "port {} on 127.0.0.1 is already in use",
                    debug.port
                ))
                .with_hint("stop what holds it (an earlier --debug run?), or pass --debug-port"));
            }
            eprintln!(
                "{}: {}",
                pool.key,
                debug.describe(setup.function.language())
            );
            let runtime = Runtime::start(
                &setup.project,
                &setup.function,
                &setup.opts,
                LogMode::Capture,
            )
            .await?;
            pool.idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((0, runtime));
        }
    }
    let http = http_functions(&project, &pools);
    let server = Arc::new(Server {
        pools,
        http,
        stage: project.stage.clone(),
        hosts: super::listener::Hosts::for_server(local, &serve.host),
        port: local.port(),
        credentials: serve.credentials.clone(),
    });

    eprintln!("Listening on http://{local}");
    for f in &server.http {
        let routes: Vec<String> = f.routes.iter().map(Route::key).collect();
        eprintln!(
            "  {} ({}): {}",
            f.pool.key,
            kind_name(f.kind),
            routes.join(", ")
        );
    }
    eprintln!("  Lambda Invoke API: http://{local}/2015-03-31/functions/<name>/invocations");
    eprintln!("Press Ctrl-C to stop.");

    if serve.watch {
        tokio::spawn(watch(
            server.clone(),
            project.root.clone(),
            project.stage.clone(),
            generation,
        ));
    }

    let mut connections = tokio::task::JoinSet::new();
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let per_client = Arc::new(PerClient::default());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, remote) = match accepted {
                    Ok(conn) => conn,
                    // Out of file descriptors and the like: wait, do not spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Another user of this machine gets nothing (Linux).
                if !super::listener::same_user(local, remote) {
                    continue;
                }
                // Loopback clients are this user's own; a remote one
                // (--allow-remote) holds at most its share.
                let client = if remote.ip().is_loopback() {
                    None
                } else {
                    match per_client.enter(remote.ip(), MAX_CONNECTIONS_PER_CLIENT) {
                        Some(slot) => Some(slot),
                        None => continue,
                    }
                };
                let Ok(permit) = open.clone().acquire_owned().await else { break };
                let _ = stream.set_nodelay(true);
                let server = server.clone();
                connections.spawn(async move {
                    let _permit = permit;
                    let _client = client;
                    let heads = Arc::new(Mutex::new(Heads::default()));
                    let recorder = HeadRecorder { inner: stream, heads: heads.clone() };
                    let service = service_fn(move |req| handle(server.clone(), req, remote, heads.clone()));
                    let _ = http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_READ_TIMEOUT)
                        .serve_connection(TokioIo::new(recorder), service)
                        .await;
                });
                while connections.try_join_next().is_some() {}
            }
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    connections.abort_all();
    for pool in &server.pools {
        let (_, all) = pool.take_idle(u64::MAX);
        for runtime in all {
            runtime.stop().await;
        }
    }
    eprintln!("Stopped.");
    Ok(())
}

/// Connections open per client address.
#[derive(Default)]
struct PerClient(Mutex<std::collections::HashMap<std::net::IpAddr, usize>>);

/// One open connection of a client; counted down when dropped.
struct ClientSlot(Arc<PerClient>, std::net::IpAddr);

impl PerClient {
    fn enter(self: &Arc<Self>, ip: std::net::IpAddr, most: usize) -> Option<ClientSlot> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(ip).or_default();
        if *n >= most {
            return None;
        }
        *n += 1;
        Some(ClientSlot(self.clone(), ip))
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = (self.0).0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.1);
            }
        }
    }
}

fn kind_name(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Rest => "REST API, payload 1.0",
        ApiKind::Http => "HTTP API, payload 2.0",
        ApiKind::Url => "function URL, payload 2.0",
        ApiKind::None => "no API",
    }
}

/// Functions with an `[api]`, or the only function as a REST API when none
/// has one (the classic API Gateway proxy).
fn http_functions(project: &Project, pools: &[Arc<Pool>]) -> Vec<HttpFunction> {
    let mut out = Vec::new();
    for pool in pools {
        let setup = pool.setup();
        let f = &setup.function;
        let (kind, routes, cors, binary_media_types) = match &f.api {
            Some(api) if api.kind == ApiKind::None => continue,
            Some(api) => (
                api.kind,
                api.routes.as_deref(),
                api.cors.clone(),
                api.binary_media_types.clone(),
            ),
            None if project.functions.len() == 1 => (ApiKind::Rest, None, None, Vec::new()),
            None => continue,
        };
        out.push(HttpFunction {
            pool: pool.clone(),
            kind,
            routes: apigw::routes_for(kind, routes),
            cors,
            binary_media_types,
        });
    }
    out
}

async fn handle(
    server: Arc<Server>,
    req: Request<Incoming>,
    remote: SocketAddr,
    heads: Arc<Mutex<Heads>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    // The headers as the client sent them: names in their own case, in
    // order (API Gateway passes them so). hyper's lowercased map is the
    // fallback when the recorded head is not this request's.
    let recorded = lock_heads(&heads).take(&method, req.uri());
    let headers = recorded.unwrap_or_else(|| {
        req.headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    });
    let log = |status: u16, note: &str| {
        // The method and path are the client's bytes (UTF-8 may carry a
        // C1 control such as U+009B).
        eprintln!(
            "{} {} {} {} {}",
            crate::terminal::escape(&method),
            crate::terminal::escape(&path),
            status_style(status),
            crate::ui::format_duration(started.elapsed()),
            style(note).dim()
        );
    };
    // Only requests addressed to this server reach a handler.
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.to_ascii_lowercase());
    if !server.hosts.allows(host.as_deref()) {
        let host = crate::terminal::escape(host.as_deref().unwrap_or_default()).into_owned();
        log(403, "(refused: Host)");
        return Ok(to_hyper(HttpResponse::json(
            403,
            &json!({ "message": format!("Forbidden: Host '{host}' does not name this server") }),
        )));
    }
    let invoke = invoke_api_target(&path);
    let limit = if invoke.is_some() {
        INVOKE_BODY_LIMIT
    } else {
        API_BODY_LIMIT
    };
    // The whole request within REQUEST_READ_TIMEOUT of its first byte: a
    // client that declares a body and trickles it is cut off.
    let left = REQUEST_READ_TIMEOUT.saturating_sub(started.elapsed());
    let body = match super::listener::read_bounded(req.into_body(), limit, limit, left).await {
        Ok(read) => read.bytes.to_vec(),
        Err(super::listener::Unread::TimedOut | super::listener::Unread::Broken) => {
            log(408, "(refused: request not sent in time)");
            let mut resp = to_hyper(HttpResponse::json(
                408,
                &json!({ "message": "Request Timeout" }),
            ));
            resp.headers_mut().insert(
                hyper::header::CONNECTION,
                hyper::header::HeaderValue::from_static("close"),
            );
            return Ok(resp);
        }
        Err(super::listener::Unread::TooLarge) => {
            log(413, "(refused: body too large)");
            let resp = if invoke.is_some() {
                aws_error(
                    413,
                    "RequestTooLargeException",
                    &format!(
                        "Request must be smaller than {INVOKE_BODY_LIMIT} bytes for the InvokeFunction operation"
                    ),
                )
            } else {
                HttpResponse::json(413, &json!({ "message": "Request Too Long" }))
            };
            return Ok(to_hyper(resp));
        }
    };
    // The body is in: what the connection reads next is the next head.
    lock_heads(&heads).arm();
    let request = HttpRequest {
        method: method.clone(),
        path: path.clone(),
        query,
        headers,
        body,
        source_ip: remote.ip().to_string(),
    };
    let (response, note) = if let Some(name) = invoke {
        if let Some(why) = invoke_api_refusal(&request, server.credentials.as_ref()) {
            log(403, "(refused)");
            return Ok(to_hyper(aws_error(403, "AccessDeniedException", &why)));
        }
        let event = request
            .header("x-amz-invocation-type")
            .is_some_and(|t| t.eq_ignore_ascii_case("Event"));
        if event && request.body.len() > ASYNC_BODY_LIMIT {
            log(413, "(refused: body too large)");
            return Ok(to_hyper(aws_error(
                413,
                "RequestTooLargeException",
                &format!(
                    "Request must be smaller than {ASYNC_BODY_LIMIT} bytes for the InvokeFunction operation"
                ),
            )));
        }
        invoke_api(&server, &name, request).await
    } else {
        api_request(&server, request).await
    };
    log(response.status, note);
    Ok(to_hyper(response))
}

fn status_style(status: u16) -> String {
    let text = status.to_string();
    match status {
        200..=399 => style(text).green().to_string(),
        400..=499 => style(text).yellow().to_string(),
        _ => style(text).red().to_string(),
    }
}

/// The request heads a connection has read, parsed from the bytes as they
/// arrived.
#[derive(Default)]
struct Heads {
    /// Bytes of the head being read; recording stops at its end (the body
    /// follows) and starts again once the handler has read the body.
    partial: Vec<u8>,
    paused: bool,
    /// Each complete head, oldest first.
    complete: std::collections::VecDeque<Head>,
}

/// A request head as sent: method, target and headers in order.
type Head = (String, String, Vec<(String, String)>);

/// Heads larger than this are left to hyper (which refuses them).
const MAX_HEAD: usize = 64 * 1024;

impl Heads {
    fn record(&mut self, bytes: &[u8]) {
        if self.paused {
            return;
        }
        self.partial.extend_from_slice(bytes);
        let Some(end) = self.partial.windows(4).position(|w| w == b"\r\n\r\n") else {
            if self.partial.len() > MAX_HEAD {
                self.partial.clear();
                self.paused = true;
            }
            return;
        };
        let mut fields = [httparse::EMPTY_HEADER; 128];
        let mut parsed = httparse::Request::new(&mut fields);
        if let Ok(httparse::Status::Complete(_)) = parsed.parse(&self.partial[..end + 4]) {
            let headers = super::listener::header_pairs(parsed.headers);
            self.complete.push_back((
                parsed.method.unwrap_or_default().to_string(),
                parsed.path.unwrap_or_default().to_string(),
                headers,
            ));
        }
        self.partial.clear();
        self.paused = true;
    }

    /// The recorded headers of the request hyper handed over, when the
    /// oldest recorded head is that request.
    fn take(&mut self, method: &str, uri: &hyper::Uri) -> Option<Vec<(String, String)>> {
        let (m, target, headers) = self.complete.pop_front()?;
        let same_target = uri.path_and_query().is_some_and(|pq| pq.as_str() == target);
        (m == method && same_target).then_some(headers)
    }

    fn arm(&mut self) {
        self.partial.clear();
        self.paused = false;
    }
}

fn lock_heads(heads: &Mutex<Heads>) -> std::sync::MutexGuard<'_, Heads> {
    heads.lock().unwrap_or_else(|p| p.into_inner())
}

/// A connection that shows every byte it reads to [`Heads`].
struct HeadRecorder {
    inner: tokio::net::TcpStream,
    heads: Arc<Mutex<Heads>>,
}

impl tokio::io::AsyncRead for HeadRecorder {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        if let std::task::Poll::Ready(Ok(())) = &polled {
            let fresh = &buf.filled()[before..];
            if !fresh.is_empty() {
                lock_heads(&self.heads).record(fresh);
            }
        }
        polled
    }
}

impl tokio::io::AsyncWrite for HeadRecorder {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

fn to_hyper(resp: HttpResponse) -> Response<Full<Bytes>> {
    let mut out = Response::new(Full::new(Bytes::from(resp.body)));
    *out.status_mut() =
        hyper::StatusCode::from_u16(resp.status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    for (k, v) in resp.headers {
        // The body's length and the connection are lam's to state (hyper
        // measures the body): a stated length that is not the body's would
        // cut it short and corrupt the next response on the connection.
        if ["content-length", "transfer-encoding", "connection"]
            .iter()
            .any(|h| k.eq_ignore_ascii_case(h))
        {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            hyper::header::HeaderValue::from_str(&v),
        ) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

fn cold_note(cold: bool) -> &'static str {
    if cold { "(cold)" } else { "(warm)" }
}

/// An HTTP request through the API Gateway emulation.
/// The answer to an OPTIONS request when the API has `[api.cors]`: a REST
/// API's MOCK answers every OPTIONS; HTTP APIs and URLs answer preflights.
fn preflight_for(kind: ApiKind, cors: &CorsConfig, req: &HttpRequest) -> Option<HttpResponse> {
    match kind {
        ApiKind::Rest | ApiKind::None => req
            .method
            .eq_ignore_ascii_case("OPTIONS")
            .then(|| apigw::rest_preflight(cors)),
        ApiKind::Http | ApiKind::Url => apigw::preflight(cors, req),
    }
}

/// Whether API Gateway (HTTP API) or Lambda (function URL) adds CORS headers
/// to the function's responses; a REST API proxy passes them as they are:
/// "a proxy integration doesn't return an integration response", so the
/// function must send Access-Control-Allow-Origin itself ("CORS for REST
/// APIs in API Gateway", docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html).
fn adds_cors(kind: ApiKind) -> bool {
    matches!(kind, ApiKind::Http | ApiKind::Url)
}

async fn api_request(server: &Server, req: HttpRequest) -> (HttpResponse, &'static str) {
    let Some((target, route, params)) = best_route(server, &req.method, &req.path) else {
        // A CORS preflight is answered for the function that owns the path
        // for the method it asks about.
        let asked = req
            .header("access-control-request-method")
            .unwrap_or("")
            .to_string();
        if let Some((owner, _, _)) = best_route(server, &asked, &req.path)
            && let Some(resp) = owner
                .cors
                .as_ref()
                .and_then(|c| preflight_for(owner.kind, c, &req))
        {
            return (resp, "(preflight)");
        }
        return (
            HttpResponse::json(404, &json!({ "message": "Not Found" })),
            "(no route)",
        );
    };
    if let Some(resp) = target
        .cors
        .as_ref()
        .and_then(|c| preflight_for(target.kind, c, &req))
    {
        return (resp, "(preflight)");
    }
    let ctx = EventContext {
        request_id: new_request_id(),
        stage: server.stage.clone(),
        host: req.header("host").unwrap_or("localhost").to_string(),
        epoch_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
        binary_media_types: target.binary_media_types.clone(),
        port: server.port,
    };
    let event = apigw::to_event(target.kind, &req, &route, &params, &ctx);
    let payload = Bytes::from(event.to_string().into_bytes());
    // The function keeps running after API Gateway gives up on it.
    let pool = target.pool.clone();
    let call = tokio::spawn(async move { pool.invoke(payload, false).await });
    // Under --debug the integration timeout stands still while a debugger
    // is attached, as the function's own timeout does.
    let debug = target
        .pool
        .setup()
        .opts
        .debug
        .as_ref()
        .map(super::debug::Debug::fresh);
    let answered = match (apigw::integration_timeout(target.kind), debug) {
        (Some(limit), Some(debug)) => {
            tokio::pin!(call);
            tokio::select! {
                done = &mut call => Some(done),
                _ = debug.expire(limit) => None,
            }
        }
        (Some(limit), None) => tokio::time::timeout(limit, call).await.ok(),
        (None, _) => Some(call.await),
    };
    let Some(answered) = answered else {
        let mut resp = apigw::timed_out(target.kind);
        if let Some(cors) = target.cors.as_ref().filter(|_| adds_cors(target.kind)) {
            apigw::add_cors(cors, &req, &mut resp);
        }
        return (resp, "(integration timeout)");
    };
    let answered =
        answered.unwrap_or_else(|e| Err(Error::local(format!("the invocation failed: {e}"))));
    let (mut resp, note) = match answered {
        Ok(served) => {
            let ok = served.outcome.function_error.is_none();
            let payload = ok.then_some(served.outcome.payload.as_slice());
            (
                apigw::from_result(
                    target.kind,
                    payload,
                    apigw::Binary {
                        types: &target.binary_media_types,
                        accept: req.header("accept"),
                    },
                ),
                cold_note(served.cold),
            )
        }
        // A throttled Lambda behind a proxy integration: API Gateway
        // answers 500 (re:Post, "API Gateway proxy integration does not
        // forward Lambda throttling (HTTP 429)").
        Err(err) if err.is(crate::error::Cause::Throttled) => (
            HttpResponse::json(500, &json!({ "message": "Internal server error" })),
            "(throttled)",
        ),
        Err(err) => {
            eprintln!("{err}");
            (apigw::function_failed(target.kind), "(runtime failed)")
        }
    };
    if let Some(cors) = target.cors.as_ref().filter(|_| adds_cors(target.kind)) {
        apigw::add_cors(cors, &req, &mut resp);
    }
    (resp, note)
}

/// The most specific route of any function that matches, with its path
/// parameters.
fn best_route<'a>(
    server: &'a Server,
    method: &str,
    path: &str,
) -> Option<(&'a HttpFunction, Route, BTreeMap<String, String>)> {
    server
        .http
        .iter()
        .flat_map(|f| f.routes.iter().map(move |r| (f, r)))
        .filter_map(|(f, r)| r.matches(method, path).map(|p| (f, r.clone(), p)))
        .max_by_key(|(_, r, _)| r.specificity())
}

/// `/2015-03-31/functions/{name}/invocations` → the function's name.
fn invoke_api_target(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/2015-03-31/functions/")?;
    let name = rest.strip_suffix("/invocations")?;
    let name = apigw::percent_decode(name);
    // A full ARN names the function after ":function:"; drop any qualifier.
    let name = match name.split_once(":function:") {
        Some((_, tail)) => tail.split(':').next().unwrap_or(tail).to_string(),
        None => name,
    };
    Some(name)
}

fn aws_error(status: u16, code: &str, message: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-amzn-errortype".into(), code.into()),
            ("x-amzn-requestid".into(), new_request_id()),
        ],
        body: json!({ "Type": "User", "message": message })
            .to_string()
            .into_bytes(),
    }
}

/// The JSON text of an X-Amz-Client-Context header, when it is base64 of a
/// JSON object within the Invoke API's limit.
fn decode_client_context(b64: &str) -> Option<String> {
    if b64.len() > super::CLIENT_CONTEXT_LIMIT {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()?
        .is_object()
        .then_some(text)
}

/// The Lambda Invoke API, as the AWS CLI, boto3 and the SDKs call it.
async fn invoke_api(server: &Server, name: &str, req: HttpRequest) -> (HttpResponse, &'static str) {
    if req.method != "POST" {
        return (
            aws_error(405, "MethodNotAllowed", "use POST"),
            "(invoke api)",
        );
    }
    let Some(pool) = server
        .pools
        .iter()
        .find(|p| p.name == name || p.key == name)
    else {
        let message =
            format!("Function not found: arn:aws:lambda:local:123456789012:function:{name}");
        return (
            aws_error(404, "ResourceNotFoundException", &message),
            "(invoke api)",
        );
    };
    if req.body.len() > super::RESPONSE_LIMIT {
        return (
            aws_error(
                413,
                "RequestTooLargeException",
                "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
            ),
            "(invoke api)",
        );
    }
    let invocation_type = req
        .header("x-amz-invocation-type")
        .unwrap_or("RequestResponse")
        .to_string();
    let log_tail = req
        .header("x-amz-log-type")
        .is_some_and(|v| v.eq_ignore_ascii_case("Tail"));
    // X-Amz-Client-Context: base64 of a JSON object, as the SDKs send it.
    let client_context = match req.header("x-amz-client-context") {
        None => None,
        Some(b64) => match decode_client_context(b64) {
            Some(json) => Some(json),
            None => {
                return (
                    aws_error(
                        400,
                        "InvalidRequestContentException",
                        "Client context must be a valid Base64-encoded JSON object.",
                    ),
                    "(invoke api)",
                );
            }
        },
    };
    let tenant_id = req.header("x-amz-tenant-id").map(str::to_string);
    if let Some(tenant) = &tenant_id
        && super::check_tenant_id(tenant).is_err()
    {
        return (
            aws_error(
                400,
                "InvalidParameterValueException",
                "TenantId must be 1 to 256 characters of letters, digits and ._:/=+-@ or space.",
            ),
            "(invoke api)",
        );
    }
    let payload = if req.body.is_empty() {
        Bytes::from_static(b"{}")
    } else {
        Bytes::from(req.body)
    };
    if serde_json::from_slice::<serde::de::IgnoredAny>(&payload).is_err() {
        return (
            aws_error(
                400,
                "InvalidRequestContentException",
                "Could not parse request body into json",
            ),
            "(invoke api)",
        );
    }
    let input = Input {
        payload,
        client_context,
        tenant_id,
        deadline: None,
    };
    let request_id = new_request_id();
    match invocation_type.as_str() {
        "DryRun" => (
            HttpResponse {
                status: 204,
                headers: vec![("x-amzn-requestid".into(), request_id)],
                body: Vec::new(),
            },
            "(dry run)",
        ),
        "Event" if pool.full() => (
            aws_error(429, "TooManyRequestsException", "Rate Exceeded."),
            "(throttled)",
        ),
        "Event" => {
            let pool = pool.clone();
            tokio::spawn(async move {
                if let Err(err) = pool.invoke(input, false).await {
                    eprintln!("{err}");
                }
            });
            (
                HttpResponse {
                    status: 202,
                    headers: vec![("x-amzn-requestid".into(), request_id)],
                    body: Vec::new(),
                },
                "(event)",
            )
        }
        _ => match pool.invoke(input, log_tail).await {
            Ok(served) => {
                let o = served.outcome;
                let mut headers = vec![
                    ("content-type".into(), "application/json".into()),
                    (
                        "x-amzn-requestid".into(),
                        o.request_id.clone().unwrap_or(request_id),
                    ),
                    ("x-amz-executed-version".into(), super::VERSION.into()),
                ];
                if let Some(kind) = &o.function_error {
                    headers.push(("x-amz-function-error".into(), kind.clone()));
                }
                if let Some(tail) = &o.log_tail {
                    headers.push((
                        "x-amz-log-result".into(),
                        base64::engine::general_purpose::STANDARD.encode(tail),
                    ));
                }
                (
                    HttpResponse {
                        status: 200,
                        headers,
                        body: o.payload,
                    },
                    cold_note(served.cold),
                )
            }
            Err(err) if err.is(crate::error::Cause::Throttled) => (
                aws_error(429, "TooManyRequestsException", "Rate Exceeded."),
                "(throttled)",
            ),
            Err(err) => {
                eprintln!("{err}");
                (
                    aws_error(
                        502,
                        "ServiceException",
                        "the runtime failed to start; see lam's output",
                    ),
                    "(runtime failed)",
                )
            }
        },
    }
}

/// Polls the project's files; a change makes every pool start fresh runtimes.
/// lam.toml and .env are read again too, so a changed setting or variable
/// reaches the next runtime; a lam.toml that no longer parses is reported
/// and the previous one kept. (Changed [api] routes need a restart.)
async fn watch(server: Arc<Server>, root: PathBuf, stage: String, generation: Arc<AtomicU64>) {
    let mut last = fingerprint(&root);
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = fingerprint(&root);
        if now != last {
            last = now;
            match Project::discover(&root, Some(&stage)).and_then(Project::expand_env) {
                Ok(project) => {
                    let dotenv =
                        crate::dotenv::load(&project.root, &project.stage).unwrap_or_default();
                    for pool in &server.pools {
                        let Some(function) = project.functions.iter().find(|f| f.key == pool.key)
                        else {
                            continue;
                        };
                        let mut opts = pool.setup().opts.clone();
                        opts.dotenv = dotenv.clone();
                        *pool.setup.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(Setup {
                            project: project.clone(),
                            function: function.clone(),
                            opts,
                        });
                    }
                }
                Err(err) => eprintln!("{err}\n(keeping the previous lam.toml)"),
            }
            generation.fetch_add(1, Ordering::SeqCst);
            eprintln!(
                "{}",
                style("Files changed: the next requests start fresh runtimes.").cyan()
            );
        }
    }
}

/// Paths, sizes and modification times of the files that make up the code.
pub fn fingerprint(root: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    const SKIP: &[&str] = &[
        ".git",
        ".lam",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        "target",
    ];
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if SKIP.iter().any(|s| name == *s) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                out.insert(
                    entry.path(),
                    (meta.len(), meta.modified().unwrap_or(UNIX_EPOCH)),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_heads_keep_header_case_across_a_connection() {
        let mut heads = Heads::default();
        // A head arriving in two reads, then its body (not recorded).
        heads.record(b"POST /a?x=1 HTTP/1.1\r\nHost: h\r\nX-Custom-ID: 7\r\n");
        heads.record(b"content-type: text/plain\r\n\r\nbody");
        heads.record(b"more body\r\n\r\n");
        let uri: hyper::Uri = "/a?x=1".parse().unwrap();
        let got = heads.take("POST", &uri).unwrap();
        let names: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Host", "X-Custom-ID", "content-type"]);
        // The next request on the connection, once the body was read.
        heads.arm();
        heads.record(b"GET /b HTTP/1.1\r\nAccept: */*\r\n\r\n");
        let b: hyper::Uri = "/b".parse().unwrap();
        assert_eq!(heads.take("GET", &b).unwrap()[0].0, "Accept");
        // A head that is not this request's is not used.
        heads.arm();
        heads.record(b"GET /c HTTP/1.1\r\n\r\n");
        assert!(heads.take("GET", &b).is_none());
    }

    #[test]
    fn a_client_holds_at_most_its_share_of_connections() {
        let clients = Arc::new(PerClient::default());
        let ip: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let held: Vec<ClientSlot> = (0..3).filter_map(|_| clients.enter(ip, 3)).collect();
        assert_eq!(held.len(), 3);
        assert!(clients.enter(ip, 3).is_none());
        let other: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        assert!(clients.enter(other, 3).is_some());
        drop(held);
        assert!(clients.enter(ip, 3).is_some());
    }

    #[test]
    fn invoke_api_paths_name_the_function() {
        assert_eq!(
            invoke_api_target("/2015-03-31/functions/hello/invocations").as_deref(),
            Some("hello")
        );
        assert_eq!(
            invoke_api_target("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ahello%3Alive/invocations").as_deref(),
            Some("hello")
        );
        assert!(invoke_api_target("/items").is_none());
    }

    #[test]
    fn fingerprints_change_with_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), "a").unwrap();
        let before = fingerprint(dir.path());
        std::fs::write(dir.path().join("app.py"), "ab").unwrap();
        assert_ne!(before, fingerprint(dir.path()));
        std::fs::create_dir(dir.path().join(".lam")).unwrap();
        std::fs::write(dir.path().join(".lam/x"), "ignored").unwrap();
        let after = fingerprint(dir.path());
        std::fs::write(dir.path().join(".lam/x"), "changed").unwrap();
        assert_eq!(after, fingerprint(dir.path()));
    }
}
