//! `lam dev`: the deployed function's real events run the handler on this
//! machine.
//!
//! While `lam dev` runs, the function's alias serves a small relay
//! (`relay.py`, run by the python3.12 runtime) instead of the function's
//! code. The relay sends each event to an SQS queue in the function's own
//! account; `lam dev` long-polls it, runs the event with lam's local runtime
//! (the one `invoke --local` uses) and sends the result to the relay's own
//! reply queue. Everything both ways is signed with HMAC-SHA256 under a key
//! made for the session, which only the function's configuration and this
//! machine hold.
//!
//! Why SQS: it is in the user's account, costs nothing at idle beyond
//! lam dev's own long polls (one request every 20 s, about 130,000 a month:
//! $0.05 at $0.40 a million), needs no connection the dev machine must keep
//! open from outside, and moto stands in for it. AppSync Events and API
//! Gateway WebSockets would push with less latency but need a WebSocket
//! client here, their own API and authorizer to set up, and moto has
//! neither; IoT Core needs device certificates or SigV4 MQTT and an
//! account-wide endpoint. A round trip costs two SQS sends and two long-poll
//! wakes: tens of milliseconds on AWS in one region.
//!
//! What the session changed is kept in a restore point on this machine
//! (lam's cache): the alias's version and `$LATEST`'s runtime, handler,
//! environment and code, so stopping puts back exactly what was there, and
//! `lam deploy` repairs a session that was killed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use hmac::{Mac, digest::KeyInit};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The relay's source, as deployed (file `lam_relay.py`, handler
/// `lam_relay.handler`).
pub const RELAY_SOURCE: &str = include_str!("relay.py");
pub const RELAY_HANDLER: &str = "lam_relay.handler";
/// The runtime the relay runs on (boto3 is the runtime's).
pub const RELAY_RUNTIME: &str = "python3.12";
/// The function tag that says a session is active: `<session> <since>`.
pub const DEV_TAG: &str = "lam:dev";
/// A heartbeat older than this is a lam dev no longer running.
pub const HEARTBEAT_STALE_SECS: u64 = 30;
/// How often lam dev writes its heartbeat.
pub const HEARTBEAT_EVERY_SECS: u64 = 10;

/// The relay zip: one file, fixed time and permissions, so its bytes (and
/// CodeSha256) depend on the relay's source only.
pub fn relay_zip() -> Result<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let fail = |e: &dyn std::fmt::Display| Error::local(format!("cannot write the relay zip: {e}"));
    zip.start_file("lam_relay.py", options)
        .map_err(|e| fail(&e))?;
    zip.write_all(RELAY_SOURCE.as_bytes())
        .map_err(|e| fail(&e))?;
    zip.finish().map_err(|e| fail(&e))?;
    Ok(buf.into_inner())
}

/// Names of what a session of `function` in `region` creates. SQS names are
/// at most 80 characters: the function is named by a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    hash: String,
    pub request_queue: String,
    pub reply_prefix: String,
    pub heartbeat: String,
    pub policy: String,
}

impl Names {
    /// The bucket events and answers above SQS's limit go through: one per
    /// account and region, shared by the sessions there.
    pub fn bucket(account: &str, region: &str) -> String {
        format!("lam-dev-{account}-{region}")
    }

    /// Where a session's spilled events and answers are.
    pub fn spill_prefix(&self, session: &str) -> String {
        format!("{}/{session}/", self.hash)
    }

    pub fn of(function: &str) -> Names {
        let hash: String = Sha256::digest(function.as_bytes())
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect();
        Names {
            hash: hash.clone(),
            request_queue: format!("lam-dev-{hash}"),
            reply_prefix: format!("lam-dev-{hash}-r-"),
            heartbeat: format!("/lam/dev/{function}"),
            policy: "lam-dev".to_string(),
        }
    }
}

/// A fresh session id and key, from the system's random source.
pub fn new_session() -> Result<(String, String)> {
    let mut bytes = [0u8; 40];
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::local(format!("cannot read /dev/urandom for a session key: {e}")))?;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    Ok((hex(&bytes[..8]), hex(&bytes[8..])))
}

/// HMAC-SHA256 under `key` (hex) of `parts`, each length-prefixed (as the
/// relay computes it), in hex.
pub fn mac(key: &str, parts: &[&[u8]]) -> String {
    let key: Vec<u8> = (0..key.len() / 2)
        .filter_map(|i| u8::from_str_radix(key.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect();
    let Ok(mut h) = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&key) else {
        return String::new();
    };
    for p in parts {
        h.update(&(p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn verify(key: &str, parts: &[&[u8]], given: &str) -> bool {
    let want = mac(key, parts);
    // Equal lengths, compared without an early exit.
    want.len() == given.len()
        && want
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// An invocation the relay sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Request {
    pub v: u32,
    pub session: String,
    pub id: String,
    pub reply: String,
    pub deadline_ms: u64,
    /// The event, base64.
    pub event: String,
    pub mac: String,
}

impl Request {
    /// Parses a queue message and checks it is this session's, signed
    /// with its key. Anything else is refused with why.
    pub fn open(body: &str, session: &str, key: &str) -> std::result::Result<Request, String> {
        let r: Request =
            serde_json::from_str(body).map_err(|e| format!("not a lam dev request: {e}"))?;
        if r.v != 1 || r.session != session {
            return Err("a request of another session".into());
        }
        let deadline = r.deadline_ms.to_string();
        let parts: [&[u8]; 5] = [
            r.session.as_bytes(),
            r.id.as_bytes(),
            r.reply.as_bytes(),
            deadline.as_bytes(),
            r.event.as_bytes(),
        ];
        if !verify(key, &parts, &r.mac) {
            return Err("a request whose signature does not hold".into());
        }
        Ok(r)
    }

    /// The event: inline (base64), or spilled to the session's bucket.
    pub fn event(&self) -> std::result::Result<Payload, String> {
        use base64::Engine;
        if let Some(spilled) = Spilled::parse(&self.event) {
            return Ok(Payload::Spilled(spilled));
        }
        base64::engine::general_purpose::STANDARD
            .decode(&self.event)
            .map(Payload::Inline)
            .map_err(|e| format!("an event that is not base64: {e}"))
    }
}

/// Above this, an event or answer goes through the session's S3 bucket
/// (SQS's message limit is 256 KiB; base64 and the envelope take their
/// share).
pub const MESSAGE_LIMIT: usize = 200 * 1024;

/// An event or answer as a message carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Inline(Vec<u8>),
    Spilled(Spilled),
}

/// `s3:<key>:<sha256 hex>`: an object of the session's bucket, and the
/// SHA-256 its bytes must have (the message's signature covers it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spilled {
    pub key: String,
    pub sha256: String,
}

impl Spilled {
    pub fn parse(field: &str) -> Option<Spilled> {
        let rest = field.strip_prefix("s3:")?;
        let (key, sha256) = rest.rsplit_once(':')?;
        Some(Spilled {
            key: key.to_string(),
            sha256: sha256.to_string(),
        })
    }

    pub fn field(&self) -> String {
        format!("s3:{}:{}", self.key, self.sha256)
    }

    /// Whether `bytes` are what was signed.
    pub fn holds(&self, bytes: &[u8]) -> bool {
        let got: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        got == self.sha256
    }

    pub fn of(key: String, bytes: &[u8]) -> Spilled {
        Spilled {
            key,
            sha256: Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }
}

/// How a local run ended, as the relay reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Ok,
    Error,
    Timeout,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Ok => "ok",
            Kind::Error => "error",
            Kind::Timeout => "timeout",
        }
    }
}

/// A payload as an answer carries it inline (base64).
pub fn inline(payload: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(payload)
}

/// The signed answer to a request: `payload` is the inline form or a
/// spilled object's field.
pub fn answer(session: &str, key: &str, id: &str, kind: Kind, payload: &str) -> String {
    let mac = mac(
        key,
        &[
            session.as_bytes(),
            id.as_bytes(),
            kind.as_str().as_bytes(),
            payload.as_bytes(),
        ],
    );
    serde_json::json!({
        "v": 1, "session": session, "id": id, "kind": kind, "payload": payload, "mac": mac,
    })
    .to_string()
}

/// What a session changed, to be put back. Kept per account, region and
/// function: the same project and stage deployed to two accounts never
/// share one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestorePoint {
    pub function: String,
    pub account: String,
    pub region: String,
    pub session: String,
    pub since: u64,
    pub alias: String,
    /// The version the alias served.
    pub alias_version: String,
    /// The relay's version, deleted on stop.
    pub relay_version: Option<String>,
    pub runtime: String,
    pub handler: String,
    pub env: BTreeMap<String, String>,
    /// `$LATEST`'s CodeSha256 (base64), which the saved zip has.
    pub code_sha256: String,
    /// This process, on this machine (pid namespace included).
    pub pid: u32,
}

impl RestorePoint {
    fn dir() -> Result<PathBuf> {
        Ok(crate::package::tools::cache_dir()?.join("dev"))
    }

    fn stem(account: &str, region: &str, function: &str) -> String {
        format!("{account}-{region}-{function}")
    }

    pub fn zip_path(account: &str, region: &str, function: &str) -> Result<PathBuf> {
        Ok(Self::dir()?.join(format!("{}.zip", Self::stem(account, region, function))))
    }

    /// Saves the point and the code, readable by this user only.
    pub fn save(&self, zip: Option<&[u8]>) -> Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = Self::dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        let write = |path: PathBuf, bytes: &[u8]| -> Result<()> {
            let tmp = path.with_extension("tmp");
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(|e| Error::io("write", &tmp, e))?;
            f.write_all(bytes)
                .map_err(|e| Error::io("write", &tmp, e))?;
            std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))
        };
        if let Some(zip) = zip {
            write(
                Self::zip_path(&self.account, &self.region, &self.function)?,
                zip,
            )?;
        }
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::local(format!("cannot write the restore point: {e}")))?;
        write(
            dir.join(format!(
                "{}.json",
                Self::stem(&self.account, &self.region, &self.function)
            )),
            &json,
        )
    }

    pub fn load(account: &str, region: &str, function: &str) -> Result<Option<RestorePoint>> {
        let path = Self::dir()?.join(format!("{}.json", Self::stem(account, region, function)));
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::local(format!(
                    "the restore point {} is damaged: {e}",
                    path.display()
                ))
                .with_hint("run lam deploy to put the function back from lam.toml")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("read", &path, e)),
        }
    }

    pub fn remove(account: &str, region: &str, function: &str) {
        if let Ok(dir) = Self::dir() {
            let stem = Self::stem(account, region, function);
            let _ = std::fs::remove_file(dir.join(format!("{stem}.json")));
            let _ = std::fs::remove_file(dir.join(format!("{stem}.zip")));
        }
    }
}

/// CodeSha256 as Lambda writes it: base64 of the SHA-256.
pub fn code_sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_opens_only_with_its_sessions_key() {
        let (session, key) = new_session().unwrap();
        assert_eq!(key.len(), 64);
        let sign = |key: &str| {
            let mac = mac(
                key,
                &[
                    session.as_bytes(),
                    b"r1",
                    b"https://q/r",
                    b"1700000000000",
                    b"e30=",
                ],
            );
            serde_json::json!({"v": 1, "session": session, "id": "r1", "reply": "https://q/r",
                "deadline_ms": 1_700_000_000_000_u64, "event": "e30=", "mac": mac})
            .to_string()
        };
        let r = Request::open(&sign(&key), &session, &key).unwrap();
        assert_eq!(r.event().unwrap(), Payload::Inline(b"{}".to_vec()));
        let spilled = Spilled::of("p/s/r1.event".into(), b"big");
        assert_eq!(Spilled::parse(&spilled.field()), Some(spilled.clone()));
        assert!(spilled.holds(b"big") && !spilled.holds(b"bug"));
        let (_, other) = new_session().unwrap();
        assert!(Request::open(&sign(&other), &session, &key).is_err());
        let tampered = sign(&key).replace("e30=", "e319");
        assert!(Request::open(&tampered, &session, &key).is_err());
        assert!(Request::open(&sign(&key), "another", &key).is_err());
    }

    #[test]
    fn names_fit_sqs_and_the_relay_zip_is_reproducible() {
        let n = Names::of(&"f".repeat(64));
        assert!(n.request_queue.len() <= 80 && n.reply_prefix.len() + 12 <= 80);
        assert_eq!(relay_zip().unwrap(), relay_zip().unwrap());
    }

    /// The relay computes the same signature (relay.py's _mac).
    #[test]
    fn the_relay_signs_as_lam_does() {
        assert!(RELAY_SOURCE.contains("h.update(len(data).to_bytes(8, \"big\"))"));
        assert_eq!(mac("00", &[b"a", b"bc"]), mac("00", &[b"a", b"bc"]),);
        assert_ne!(mac("00", &[b"ab", b"c"]), mac("00", &[b"a", b"bc"]));
    }
}
