//! Local listeners: the rules every port lam listens on follows (the
//! Runtime API, the debugger fronts, `lam serve`).
//!
//! Bytes that arrive on a port are untrusted. Each listener checks, before
//! it reads a byte of a request:
//! - **who connected**: on Linux the kernel's socket table names the user
//!   that owns the peer socket of a loopback connection; a connection from
//!   another user of the machine is closed unread ([`peer_uid`]);
//! - **what it was addressed to**: a `Host` that does not name this server
//!   is a DNS-rebinding page ([`Hosts`]);
//! - **whether a web page sent it**: browsers mark their requests with
//!   `Origin` and `Sec-Fetch-*` ([`from_browser`]);
//! - **how much and how long**: bodies are read up to a bound, requests
//!   within a deadline ([`read_bounded`]).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

/// The uid that owns the socket at `peer` connected to `local`, read from
/// /proc/net/tcp and tcp6. None where the table has no such connection (it
/// closed already) or the system has no such table.
pub fn peer_uid(local: SocketAddr, peer: SocketAddr) -> Option<u32> {
    peer_owner(local, peer).map(|(uid, _)| uid)
}

/// The peer socket's owner and inode (0: orphaned, its process gone).
fn peer_owner(local: SocketAddr, peer: SocketAddr) -> Option<(u32, u64)> {
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .find_map(|table| {
            let text = std::fs::read_to_string(table).ok()?;
            owner_in_table(&text, local, peer)
        })
}

/// The peer's entry is the socket whose local end is `peer` and whose
/// remote end is `local`.
#[cfg(test)]
fn uid_in_table(table: &str, local: SocketAddr, peer: SocketAddr) -> Option<u32> {
    owner_in_table(table, local, peer).map(|(uid, _)| uid)
}

fn same(a: SocketAddr, b: SocketAddr) -> bool {
    let plain = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    a.port() == b.port() && plain(a.ip()) == plain(b.ip())
}

/// `0100007F:162E` (IPv4) or 32 hex digits and a port (IPv6): each 32-bit
/// word of the address is in the kernel's byte order.
fn parse_proc_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |hex: &str| u32::from_str_radix(hex, 16).ok().map(u32::to_ne_bytes);
    let ip = match ip.len() {
        8 => IpAddr::from(word(ip)?),
        32 => {
            let mut octets = [0u8; 16];
            for i in 0..4 {
                octets[i * 4..i * 4 + 4].copy_from_slice(&word(ip.get(i * 8..i * 8 + 8)?)?);
            }
            IpAddr::from(octets)
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// Whether the peer of a loopback connection is, for certain, a live
/// socket of another user (Linux). A peer that has already closed (its
/// entry orphaned, inode 0, or gone) is not known to be anyone's: the
/// Runtime API takes its request, since a runtime posts its init error and
/// exits at once, and nothing but a live connection can read an event.
pub fn another_users(local: SocketAddr, peer: SocketAddr) -> bool {
    #[cfg(target_os = "linux")]
    {
        if !peer.ip().is_loopback() && !is_mapped_loopback(peer.ip()) {
            return false;
        }
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        peer_owner(local, peer).is_some_and(|(uid, inode)| inode != 0 && uid != me)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (local, peer);
        false
    }
}

/// The peer entry's owner and inode.
fn owner_in_table(table: &str, local: SocketAddr, peer: SocketAddr) -> Option<(u32, u64)> {
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let here = parse_proc_addr(fields.get(1)?)?;
        let there = parse_proc_addr(fields.get(2)?)?;
        if !(same(here, peer) && same(there, local)) {
            return None;
        }
        Some((fields.get(7)?.parse().ok()?, fields.get(9)?.parse().ok()?))
    })
}

/// Whether a connection from `peer` to `local` may be served: on Linux,
/// a loopback connection only from lam's own user; a connection from
/// another machine (with --allow-remote) is not a local user's.
pub fn same_user(local: SocketAddr, peer: SocketAddr) -> bool {
    #[cfg(target_os = "linux")]
    {
        if !peer.ip().is_loopback() && !is_mapped_loopback(peer.ip()) {
            return true;
        }
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        peer_uid(local, peer) == Some(me)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (local, peer);
        true
    }
}

fn is_mapped_loopback(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()))
}

/// A parsed request head's headers, names in the case the client sent
/// them, values as text (a byte that is not UTF-8 becomes U+FFFD).
pub fn header_pairs(headers: &[httparse::Header<'_>]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect()
}

/// The `Host` values a request to a server may carry.
#[derive(Debug, Clone)]
pub struct Hosts(Vec<String>);

impl Hosts {
    /// The loopback names with and without the port, and `given` (the
    /// --host a server was started with). Listening on every interface,
    /// any Host is taken (the machine has names lam cannot know).
    pub fn for_server(local: SocketAddr, given: &str) -> Hosts {
        if local.ip().is_unspecified() {
            return Hosts(Vec::new());
        }
        let port = local.port();
        let mut names = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        let given = if given.contains(':') && !given.starts_with('[') {
            format!("[{given}]")
        } else {
            given.to_string()
        };
        if !given.is_empty() && !names.contains(&given) {
            names.push(given);
        }
        // With the port, or without it (a client may leave it out; a page on
        // another name cannot make the browser send one of these names).
        let mut out: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
        out.extend(names);
        Hosts(out.iter().map(|h| h.to_ascii_lowercase()).collect())
    }

    /// Whether `host` (the request's Host header, None when absent) names
    /// this server. HTTP/1.1 requires a Host: a request without one is
    /// refused where names are checked.
    pub fn allows(&self, host: Option<&str>) -> bool {
        match host {
            _ if self.0.is_empty() => true,
            Some(h) => self.0.contains(&h.trim().to_ascii_lowercase()),
            None => false,
        }
    }
}

/// Whether a browser sent the request: browsers add `Origin` to every
/// cross-origin request and POST, and `Sec-Fetch-Site` to every request
/// (Fetch Metadata); no SDK, runtime client or debugger does.
pub fn from_browser<'a>(mut header: impl FnMut(&str) -> Option<&'a str>) -> bool {
    header("origin").is_some()
        || header("sec-fetch-site").is_some_and(|s| s != "none")
        || header("sec-fetch-mode").is_some_and(|m| m != "navigate")
}

/// A body read up to a bound: the first `keep` bytes, and how many came.
pub struct Bounded {
    pub bytes: Bytes,
    pub total: usize,
}

/// Why a body was not read whole.
#[derive(Debug, PartialEq)]
pub enum Unread {
    /// More than the hard bound: the connection is to be closed.
    TooLarge,
    /// The client stopped sending before the deadline.
    TimedOut,
    /// The connection broke.
    Broken,
}

/// Reads `body` within `deadline`, keeping its first `keep` bytes and
/// counting (not keeping) the rest up to `hard`.
pub async fn read_bounded<B>(
    mut body: B,
    keep: usize,
    hard: usize,
    deadline: Duration,
) -> Result<Bounded, Unread>
where
    B: hyper::body::Body<Data = Bytes> + Unpin,
{
    let read = async {
        let mut kept = BytesMut::new();
        let mut total = 0usize;
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return Err(Unread::Broken);
            };
            if let Ok(data) = frame.into_data() {
                total = total.saturating_add(data.len());
                if total > hard {
                    return Err(Unread::TooLarge);
                }
                let room = keep.saturating_sub(kept.len());
                kept.extend_from_slice(&data[..data.len().min(room)]);
            }
        }
        Ok(Bounded {
            bytes: kept.freeze(),
            total,
        })
    };
    tokio::time::timeout(deadline, read)
        .await
        .unwrap_or(Err(Unread::TimedOut))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:162E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:162E 0100007F:B5A2 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:B5A2 0100007F:162E 01 00000000:00000000 00:00000000 00000000 65534        0 3 1 0000000000000000 20 4 30 10 -1
";

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    /// The peer (port 0xB5A2 = 46498) is owned by uid 65534; lam's end
    /// (port 0x162E = 5678) by 1000.
    #[test]
    fn the_peer_socket_names_its_owner() {
        let local = addr("127.0.0.1:5678");
        let peer = addr("127.0.0.1:46498");
        assert_eq!(uid_in_table(TABLE, local, peer), Some(65534));
        assert_eq!(uid_in_table(TABLE, peer, local), Some(1000));
        assert_eq!(uid_in_table(TABLE, local, addr("127.0.0.1:1")), None);
        assert_eq!(owner_in_table(TABLE, local, peer), Some((65534, 3)));
    }

    #[test]
    fn ipv6_and_mapped_addresses_parse() {
        // ::1 as the kernel prints it, and ::ffff:127.0.0.1.
        assert_eq!(
            parse_proc_addr("00000000000000000000000001000000:1F90"),
            Some(addr("[::1]:8080"))
        );
        let mapped = parse_proc_addr("0000000000000000FFFF00000100007F:1F90").unwrap();
        assert!(same(mapped, addr("127.0.0.1:8080")));
    }

    /// A live connection from this process is this user's.
    #[test]
    fn a_connection_of_our_own_is_ours() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let local = listener.local_addr().unwrap();
        let _client = std::net::TcpStream::connect(local).unwrap();
        let (_served, peer) = listener.accept().unwrap();
        if cfg!(target_os = "linux") {
            let me = unsafe { libc::geteuid() };
            assert_eq!(peer_uid(local, peer), Some(me));
        }
        assert!(same_user(local, peer));
    }

    #[test]
    fn hosts_name_this_server_unless_it_listens_everywhere() {
        let hosts = Hosts::for_server(addr("127.0.0.1:3000"), "127.0.0.1");
        assert!(hosts.allows(Some("127.0.0.1:3000")));
        assert!(hosts.allows(Some("LOCALHOST:3000")));
        assert!(hosts.allows(Some("[::1]:3000")));
        assert!(!hosts.allows(Some("evil.example:3000")));
        assert!(!hosts.allows(Some("127.0.0.1:3001")));
        let everywhere = Hosts::for_server(addr("0.0.0.0:3000"), "0.0.0.0");
        assert!(everywhere.allows(Some("my-laptop.local:3000")));
    }

    #[test]
    fn browsers_say_so() {
        let headers = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
        };
        assert!(from_browser(headers(&[("origin", "null")])));
        assert!(from_browser(headers(&[("sec-fetch-site", "same-origin")])));
        assert!(from_browser(headers(&[("sec-fetch-mode", "no-cors")])));
        assert!(!from_browser(headers(&[("sec-fetch-site", "none")])));
        assert!(!from_browser(headers(&[("user-agent", "curl/8")])));
    }

    #[tokio::test]
    async fn bodies_are_bounded_in_size_and_time() {
        use http_body_util::{Full, StreamBody};
        let body = Full::new(Bytes::from(vec![7u8; 100]));
        let read = read_bounded(body, 10, 1000, Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!((read.bytes.len(), read.total), (10, 100));
        let body = Full::new(Bytes::from(vec![7u8; 100]));
        let read = read_bounded(body, 10, 50, Duration::from_secs(1)).await;
        assert_eq!(read.err(), Some(Unread::TooLarge));
        // A body that never ends.
        let (_tx, rx) = tokio::sync::mpsc::channel::<
            Result<hyper::body::Frame<Bytes>, std::convert::Infallible>,
        >(1);
        let stream = StreamBody::new(tokio_stream_from(rx));
        let read = read_bounded(stream, 10, 50, Duration::from_millis(100)).await;
        assert_eq!(read.err(), Some(Unread::TimedOut));
    }

    fn tokio_stream_from<T>(
        mut rx: tokio::sync::mpsc::Receiver<T>,
    ) -> impl futures_util::Stream<Item = T> + Unpin {
        Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
    }
}
