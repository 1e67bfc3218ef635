//! A fault-injecting HTTP proxy between lam and the moto server, on
//! loopback. Given a rate and a seed it answers some requests itself with
//! the errors AWS really sends (500, 503, 429 TooManyRequestsException,
//! ThrottlingException, ResourceConflictException), drops connections
//! before forwarding (reset) or after (a lost answer: the change happened,
//! the client never hears), or adds latency. Faults are drawn by request
//! count from the seed, so a run is reproducible. It can also kill a
//! process at the Nth request, or accept and never answer.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Status500,
    Status503,
    TooManyRequests,
    Throttling,
    Conflict,
    Reset,
    Lost,
    Latency,
}

pub const ALL_FAULTS: [Fault; 8] = [
    Fault::Status500,
    Fault::Status503,
    Fault::TooManyRequests,
    Fault::Throttling,
    Fault::Conflict,
    Fault::Reset,
    Fault::Lost,
    Fault::Latency,
];

#[derive(Default)]
struct Config {
    rate: f64,
    kinds: Vec<Fault>,
    rng: u64,
    kill_at: Option<usize>,
    victim: Option<Arc<Mutex<Child>>>,
    hang: bool,
}

#[derive(Default)]
pub struct Stats {
    pub requests: AtomicUsize,
    pub injected: AtomicUsize,
    by_kind: Mutex<BTreeMap<Fault, usize>>,
}

impl Stats {
    pub fn by_kind(&self) -> BTreeMap<Fault, usize> {
        self.by_kind.lock().unwrap().clone()
    }
}

pub struct Proxy {
    pub port: u16,
    pub stats: Arc<Stats>,
    config: Arc<Mutex<Config>>,
}

impl Proxy {
    /// A proxy in front of `upstream` (host:port), passing everything through.
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stats = Arc::new(Stats::default());
        let config = Arc::new(Mutex::new(Config::default()));
        let upstream = upstream.to_string();
        let (s, c) = (stats.clone(), config.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (s, c, up) = (s.clone(), c.clone(), upstream.clone());
                std::thread::spawn(move || handle(conn, &up, &s, &c));
            }
        });
        Proxy {
            port,
            stats,
            config,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Inject `kinds` at `rate` (0..1), drawn from `seed`.
    pub fn faults(&self, rate: f64, seed: u64, kinds: &[Fault]) {
        let mut c = self.config.lock().unwrap();
        c.rate = rate;
        c.kinds = kinds.to_vec();
        // Each seed starts at its own, well-mixed point of the sequence.
        let mut start = seed ^ 0x5DEE_CE66_D1CE_4E5B;
        c.rng = next(&mut start);
    }

    pub fn clear(&self) {
        let mut c = self.config.lock().unwrap();
        c.rate = 0.0;
        c.kill_at = None;
        c.victim = None;
        c.hang = false;
    }

    /// Kill `victim` when request number `n` (1-based, counted from now) arrives, before it is forwarded.
    pub fn kill_at(&self, n: usize, victim: Arc<Mutex<Child>>) {
        let mut c = self.config.lock().unwrap();
        c.kill_at = Some(self.stats.requests.load(Ordering::SeqCst) + n);
        c.victim = Some(victim);
    }

    /// Accept, read, never answer.
    pub fn hang(&self) {
        self.config.lock().unwrap().hang = true;
    }
}

fn next(rng: &mut u64) -> u64 {
    // splitmix64
    *rng = rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *rng;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Request {
    head: String,
    body: Vec<u8>,
}

impl Request {
    fn method(&self) -> &str {
        self.head.split(' ').next().unwrap_or("")
    }
    fn path(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or("")
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn read_request(conn: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end - 4]).to_string();
    let mut body = buf[head_end..].to_vec();
    let req = Request {
        head,
        body: Vec::new(),
    };
    if let Some(len) = req
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        while body.len() < len {
            let n = conn.read(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if req
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        while !body.ends_with(b"0\r\n\r\n") {
            let n = conn.read(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    Some(Request { body, ..req })
}

/// Same request with `Connection: close`, so one request is one connection.
fn closing(head: &str) -> String {
    let mut lines: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    lines.join("\r\n") + "\r\n\r\n"
}

fn forward(req: &Request, upstream: &str) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).ok()?;
    up.write_all(closing(&req.head).as_bytes()).ok()?;
    up.write_all(&req.body).ok()?;
    let mut resp = Vec::new();
    up.read_to_end(&mut resp).ok()?;
    // Tell the client this connection ends here too.
    let head_end = resp.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&resp[..head_end]).to_string();
    let mut out = closing(&head).into_bytes();
    out.extend_from_slice(&resp[head_end + 4..]);
    Some(out)
}

/// The error as the service would send it, in its protocol.
fn error_response(req: &Request, fault: Fault) -> Vec<u8> {
    let lambda_change = req.path().starts_with("/20") && req.method() != "GET";
    let (status, code, message) = match fault {
        Fault::Status500 => (500, "InternalFailure", "We encountered an internal error."),
        Fault::Status503 => (503, "ServiceUnavailable", "Service is unavailable."),
        Fault::TooManyRequests => (429, "TooManyRequestsException", "Rate exceeded"),
        Fault::Throttling => (400, "ThrottlingException", "Rate exceeded"),
        Fault::Conflict if lambda_change => (
            409,
            "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource.",
        ),
        _ => (503, "ServiceUnavailable", "Service is unavailable."),
    };
    let reason = match status {
        400 => "Bad Request",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    };
    let form = req
        .header("content-type")
        .is_some_and(|c| c.contains("x-www-form-urlencoded"));
    let (content_type, body) = if form {
        // Query protocol (IAM): XML, and IAM calls throttling "Throttling".
        let code = if code.contains("Throttling") || code == "TooManyRequestsException" {
            "Throttling"
        } else {
            code
        };
        (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
            ),
        )
    } else if req.header("x-amz-target").is_some() {
        (
            "application/x-amz-json-1.1",
            format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
        )
    } else {
        (
            "application/json",
            format!("{{\"message\":\"{message}\",\"Type\":\"Service\"}}"),
        )
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nx-amzn-ErrorType: {code}\r\nx-amzn-RequestId: proxy\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn handle(mut conn: TcpStream, upstream: &str, stats: &Stats, config: &Mutex<Config>) {
    let Some(req) = read_request(&mut conn) else {
        return;
    };
    let n = stats.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let (fault, victim, hang) = {
        let mut c = config.lock().unwrap();
        let victim = match c.kill_at {
            Some(k) if n >= k => c.victim.take(),
            _ => None,
        };
        let fault = if c.rate > 0.0 && !c.kinds.is_empty() {
            let roll = next(&mut c.rng);
            let hit = (roll % 10_000) as f64 / 10_000.0 < c.rate;
            let pick = next(&mut c.rng) as usize % c.kinds.len();
            hit.then(|| c.kinds[pick])
        } else {
            None
        };
        (fault, victim, c.hang)
    };
    if let Some(victim) = victim {
        let _ = victim.lock().unwrap().kill();
        let _ = conn.shutdown(Shutdown::Both);
        return;
    }
    if hang {
        std::thread::sleep(Duration::from_secs(600));
        return;
    }
    if let Some(f) = fault {
        stats.injected.fetch_add(1, Ordering::SeqCst);
        *stats.by_kind.lock().unwrap().entry(f).or_default() += 1;
    }
    match fault {
        Some(Fault::Reset) => {
            let _ = conn.shutdown(Shutdown::Both);
        }
        Some(Fault::Lost) => {
            let _ = forward(&req, upstream);
            let _ = conn.shutdown(Shutdown::Both);
        }
        Some(Fault::Latency) | None => {
            if fault.is_some() {
                std::thread::sleep(Duration::from_millis(20 + (n as u64 * 37) % 130));
            }
            match forward(&req, upstream) {
                Some(resp) => {
                    let _ = conn.write_all(&resp);
                }
                None => {
                    let _ = conn.shutdown(Shutdown::Both);
                }
            }
        }
        Some(f) => {
            let _ = conn.write_all(&error_response(&req, f));
        }
    }
}
