//! The Lambda Runtime API (`/2018-06-01/runtime/...`) served on loopback,
//! for one runtime process at a time. The process long-polls
//! `invocation/next`; lam hands it events and receives what it posts back as
//! [`RuntimeEvent`]s.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, mpsc};

use crate::error::{Error, Result};

/// An event handed to the runtime.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub request_id: String,
    pub payload: Bytes,
    pub deadline_ms: u128,
    pub function_arn: String,
    pub trace_id: String,
    pub client_context: Option<String>,
    pub cognito_identity: Option<String>,
    pub tenant_id: Option<String>,
}

/// Something the runtime process told lam.
#[derive(Debug)]
pub enum RuntimeEvent {
    /// The first `GET invocation/next`: initialisation is over.
    Ready(Instant),
    /// `POST init/error`.
    InitError {
        error_type: Option<String>,
        body: Bytes,
    },
    /// `POST invocation/{id}/response`: its first bytes and its size.
    Response {
        request_id: String,
        body: Bytes,
        size: usize,
    },
    /// `POST invocation/{id}/error`.
    Error {
        request_id: String,
        error_type: Option<String>,
        body: Bytes,
    },
}

struct Shared {
    next: Mutex<mpsc::Receiver<Invocation>>,
    events: mpsc::UnboundedSender<RuntimeEvent>,
    ready_sent: std::sync::atomic::AtomicBool,
}

/// A running Runtime API server.
pub struct RuntimeApi {
    pub addr: SocketAddr,
    invocations: mpsc::Sender<Invocation>,
    pub events: mpsc::UnboundedReceiver<RuntimeEvent>,
    task: tokio::task::JoinHandle<()>,
    shared: Arc<Shared>,
    /// Connections over pipes (see [`RuntimeApi::pipe`]).
    piped: Vec<tokio::task::JoinHandle<()>>,
}

impl RuntimeApi {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Result<RuntimeApi> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            Error::local(format!(
                "cannot open a loopback port for the Runtime API: {e}"
            ))
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::local(format!("cannot read the Runtime API's address: {e}")))?;
        let (inv_tx, inv_rx) = mpsc::channel(1);
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            next: Mutex::new(inv_rx),
            events: ev_tx,
            ready_sent: std::sync::atomic::AtomicBool::new(false),
        });
        let task = tokio::spawn(serve(listener, shared.clone()));
        Ok(RuntimeApi {
            addr,
            invocations: inv_tx,
            events: ev_rx,
            task,
            shared,
            piped: Vec::new(),
        })
    }

    /// The same API over a pair of pipes, for lam's own Python bootstrap:
    /// it then needs no `_socket` (a shared library, about 0.6 ms of every
    /// cold start) and no TCP handshake. Returns the runtime's ends: the one
    /// it reads responses from and the one it writes requests to.
    #[cfg(unix)]
    pub fn pipe(&mut self) -> Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)> {
        use tokio::net::unix::pipe;
        let fail =
            |e: std::io::Error| Error::local(format!("cannot open pipes for the Runtime API: {e}"));
        let (runtime_reads, lam_writes) = std::io::pipe().map_err(fail)?;
        let (lam_reads, runtime_writes) = std::io::pipe().map_err(fail)?;
        let tx = pipe::Sender::from_owned_fd(lam_writes.into()).map_err(fail)?;
        let rx = pipe::Receiver::from_owned_fd(lam_reads.into()).map_err(fail)?;
        let shared = self.shared.clone();
        self.piped.retain(|t| !t.is_finished());
        self.piped.push(tokio::spawn(async move {
            let service = service_fn(move |req| handle(shared.clone(), req));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(tokio::io::join(rx, tx)), service)
                .await;
        }));
        Ok((runtime_reads.into(), runtime_writes.into()))
    }

    /// Queues an invocation for the runtime's next `GET invocation/next`.
    pub async fn submit(&self, invocation: Invocation) -> Result<()> {
        self.invocations
            .send(invocation)
            .await
            .map_err(|_| Error::local("the Runtime API server stopped"))
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.task.abort();
        for task in &self.piped {
            task.abort();
        }
    }
}

/// Serves the runtime lam started: a connection from another user of the
/// machine (a live socket of theirs) is closed unread, and a request that does not name this server
/// in its Host, or that a web page made, is refused (see [`listener`]).
async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let Ok(local) = listener.local_addr() else {
        return;
    };
    let hosts = Arc::new(super::listener::Hosts::for_server(local, "127.0.0.1"));
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            continue;
        };
        // A live socket of another user is closed unread.
        if super::listener::another_users(local, peer) {
            continue;
        }
        // Without TCP_NODELAY every round trip waits ~40 ms on Nagle + delayed ACK.
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let hosts = hosts.clone();
        connections.spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let shared = shared.clone();
                let refused = refusal(&hosts, &req);
                async move {
                    match refused {
                        Some(why) => Ok(plain(StatusCode::FORBIDDEN, why)),
                        None => handle(shared, req).await,
                    }
                }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Reap finished connections so a long `lam serve` does not accumulate them.
        while connections.try_join_next().is_some() {}
    }
}

const PREFIX: &str = "/2018-06-01/runtime/";

/// Why a request over TCP is not the runtime's: a Host that names another
/// server (DNS rebinding) or a browser's marks.
fn refusal(hosts: &super::listener::Hosts, req: &Request<Incoming>) -> Option<&'static str> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if !hosts.allows(header("host")) {
        return Some("the Host does not name this Runtime API");
    }
    if super::listener::from_browser(header) {
        return Some("the Runtime API does not take requests from web pages");
    }
    None
}

/// What the runtime may post: a response as large as Lambda takes one is
/// kept (a larger one is measured, to say its size); past `HARD_LIMIT` the
/// connection is closed.
const KEEP_LIMIT: usize = super::RESPONSE_LIMIT + 1;
const HARD_LIMIT: usize = 64 * 1024 * 1024;
/// A posted body must arrive whole within this.
const BODY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return Ok(plain(StatusCode::NOT_FOUND, "unknown path"));
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let error_type = req
        .headers()
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match (method, parts.as_slice()) {
        (Method::GET, ["invocation", "next"]) => Ok(next(&shared).await),
        (Method::POST, ["invocation", id, "response"]) => {
            let request_id = id.to_string();
            let (read, refused) = match read_body(req).await {
                Ok(read) => (read, None),
                // Past what lam reads: still answered as Lambda answers a
                // response over its limit (Function.ResponseSizeTooLarge).
                Err(super::listener::Unread::TooLarge) => (
                    super::listener::Bounded {
                        bytes: Bytes::new(),
                        total: HARD_LIMIT + 1,
                    },
                    Some(unread(super::listener::Unread::TooLarge)),
                ),
                Err(other) => return Ok(unread(other)),
            };
            let _ = shared.events.send(RuntimeEvent::Response {
                request_id,
                body: read.bytes,
                size: read.total,
            });
            Ok(refused.unwrap_or_else(accepted))
        }
        (Method::POST, ["invocation", id, "error"]) => {
            let request_id = id.to_string();
            let body = match read_body(req).await {
                Ok(read) => read.bytes,
                Err(why) => return Ok(unread(why)),
            };
            let _ = shared.events.send(RuntimeEvent::Error {
                request_id,
                error_type,
                body,
            });
            Ok(accepted())
        }
        (Method::POST, ["init", "error"]) => {
            let body = match read_body(req).await {
                Ok(read) => read.bytes,
                Err(why) => return Ok(unread(why)),
            };
            let _ = shared
                .events
                .send(RuntimeEvent::InitError { error_type, body });
            Ok(accepted())
        }
        _ => Ok(plain(StatusCode::NOT_FOUND, "unknown Runtime API call")),
    }
}

async fn next(shared: &Shared) -> Response<Full<Bytes>> {
    if !shared
        .ready_sent
        .swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        let _ = shared.events.send(RuntimeEvent::Ready(Instant::now()));
    }
    let invocation = {
        let mut rx = shared.next.lock().await;
        rx.recv().await
    };
    let Some(inv) = invocation else {
        return plain(StatusCode::GONE, "shutting down");
    };
    let mut headers: HashMap<&str, String> = HashMap::from([
        ("lambda-runtime-aws-request-id", inv.request_id),
        ("lambda-runtime-deadline-ms", inv.deadline_ms.to_string()),
        ("lambda-runtime-invoked-function-arn", inv.function_arn),
        ("lambda-runtime-trace-id", inv.trace_id),
        ("content-type", "application/json".to_string()),
    ]);
    if let Some(cc) = inv.client_context {
        headers.insert("lambda-runtime-client-context", cc);
    }
    if let Some(ci) = inv.cognito_identity {
        headers.insert("lambda-runtime-cognito-identity", ci);
    }
    if let Some(tenant) = inv.tenant_id {
        headers.insert("lambda-runtime-aws-tenant-id", tenant);
    }
    let mut resp = Response::new(Full::new(inv.payload));
    // Values may hold UTF-8 (a client context's JSON): sent as bytes.
    for (k, v) in headers {
        if let Ok(value) = HeaderValue::from_bytes(v.as_bytes()) {
            resp.headers_mut().insert(k, value);
        }
    }
    resp
}

async fn read_body(
    req: Request<Incoming>,
) -> std::result::Result<super::listener::Bounded, super::listener::Unread> {
    super::listener::read_bounded(req.into_body(), KEEP_LIMIT, HARD_LIMIT, BODY_DEADLINE).await
}

/// The answer to a body lam did not read whole.
fn unread(why: super::listener::Unread) -> Response<Full<Bytes>> {
    match why {
        super::listener::Unread::TooLarge => plain(StatusCode::PAYLOAD_TOO_LARGE, "body too large"),
        super::listener::Unread::TimedOut | super::listener::Unread::Broken => {
            plain(StatusCode::REQUEST_TIMEOUT, "body not received in time")
        }
    }
}

fn accepted() -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from_static(b"{\"status\":\"OK\"}")));
    *resp.status_mut() = StatusCode::ACCEPTED;
    resp
}

fn plain(status: StatusCode, message: &'static str) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from_static(message.as_bytes())));
    *resp.status_mut() = status;
    resp
}
