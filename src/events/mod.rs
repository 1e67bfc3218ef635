//! Sample trigger events, generated offline: realistic shapes, ids and ARNs
//! consistent within an event (one region, one account), reproducible with
//! a seed.

mod sources;

use std::io::Write;

use base64::Engine;
use serde_json::Value;

use crate::error::{Error, Result};

pub const REGION: &str = "us-east-1";
pub const ACCOUNT: &str = "123456789012";
/// 2026-01-01T00:00:00Z: the clock of seeded events.
const SEEDED_EPOCH_MS: i64 = 1_767_225_600_000;

/// What the user asked for, from `--method`, `--path`, `--bucket`, ...
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub method: Option<String>,
    pub path: Option<String>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub path_params: Vec<(String, String)>,
    pub body: Option<String>,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub size: Option<u64>,
    pub count: Option<usize>,
    pub seed: Option<u64>,
}

/// One event source lam can generate.
#[derive(serde::Serialize)]
pub struct Source {
    pub name: &'static str,
    pub about: &'static str,
    #[serde(skip)]
    generate: fn(&mut Gen, &Params) -> Value,
}

/// Every source, in the order `lam events list` shows them.
pub fn sources() -> &'static [Source] {
    sources::ALL
}

/// The event of `source` for `params`.
pub fn generate(source: &str, params: &Params) -> Result<Value> {
    let Some(s) = sources().iter().find(|s| s.name == source) else {
        let names: Vec<&str> = sources().iter().map(|s| s.name).collect();
        return Err(
            Error::usage(format!("unknown event source \"{source}\"")).with_hint(format!(
                "use one of: {} (see `lam events list`)",
                names.join(", ")
            )),
        );
    };
    if params.count == Some(0) {
        return Err(Error::usage("--count must be at least 1").with_hint("pass e.g. --count 10"));
    }
    let mut rng = Gen::new(params.seed);
    Ok((s.generate)(&mut rng, params))
}

/// `k=v` pairs as given to --query, --header and --path-param.
pub fn parse_pairs(flag: &str, values: &[String]) -> Result<Vec<(String, String)>> {
    values
        .iter()
        .map(|v| {
            // A header may be written as it is sent (`X-Foo: bar`), when
            // its name comes before any `=`.
            let colon = v.find(':');
            let header_form = flag == "--header"
                && colon.is_some_and(|c| c > 0 && v.find('=').is_none_or(|e| c < e));
            if header_form && let Some((k, val)) = v.split_once(':') {
                return Ok((k.trim().to_string(), val.trim().to_string()));
            }
            match v.split_once('=') {
                Some((k, val)) if !k.is_empty() => Ok((k.to_string(), val.to_string())),
                _ => Err(
                    Error::usage(format!("{flag} \"{v}\" is not KEY=VALUE")).with_hint(
                        if flag == "--header" {
                            "write e.g. --header 'X-Foo: bar' or --header X-Foo=bar".to_string()
                        } else {
                            format!("write e.g. {flag} name=value")
                        },
                    ),
                ),
            }
        })
        .collect()
}

/// `--body @file` reads the file; anything else is the body itself.
pub fn read_body(body: Option<&str>, cwd: &std::path::Path) -> Result<Option<String>> {
    match body {
        Some(b) if b.starts_with('@') => {
            let path = cwd.join(&b[1..]);
            std::fs::read_to_string(&path)
                .map(Some)
                .map_err(|e| Error::io("read", &path, e))
        }
        other => Ok(other.map(str::to_string)),
    }
}

/// Random values for events: reproducible with a seed, fresh without.
pub struct Gen {
    state: u64,
    now_ms: i64,
}

impl Gen {
    fn new(seed: Option<u64>) -> Gen {
        let (state, now_ms) = match seed {
            Some(s) => (s ^ 0x9e37_79b9_7f4a_7c15, SEEDED_EPOCH_MS),
            None => {
                let now = crate::clock::now_ms();
                (now as u64 ^ u64::from(std::process::id()) << 32, now)
            }
        };
        Gen {
            state: state.max(1),
            now_ms,
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(len);
        s
    }

    pub fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }

    pub fn digits(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }

    pub fn alnum(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| CHARS[(self.next() % CHARS.len() as u64) as usize] as char)
            .collect()
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    pub fn iso(&self) -> String {
        crate::clock::iso(self.now_ms)
    }

    /// "2026-01-01T00:00:00Z" (second precision, as several services write it).
    pub fn iso_seconds(&self) -> String {
        let mut s = crate::clock::iso(self.now_ms);
        s.truncate(19);
        s.push('Z');
        s
    }
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// gzip, as CloudWatch Logs subscriptions deliver their data.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_make_events_reproducible() {
        let p = Params {
            seed: Some(7),
            ..Params::default()
        };
        for s in sources() {
            assert_eq!(
                generate(s.name, &p).unwrap(),
                generate(s.name, &p).unwrap(),
                "{}",
                s.name
            );
        }
        let other = Params {
            seed: Some(8),
            ..Params::default()
        };
        assert_ne!(
            generate("sqs", &p).unwrap(),
            generate("sqs", &other).unwrap()
        );
    }

    #[test]
    fn there_are_many_sources_with_unique_names() {
        let mut names: Vec<&str> = sources().iter().map(|s| s.name).collect();
        assert!(names.len() >= 25, "{}", names.len());
        names.sort();
        names.dedup();
        assert_eq!(names.len(), sources().len());
    }

    #[test]
    fn bad_input() {
        assert!(
            generate("nope", &Params::default())
                .unwrap_err()
                .to_string()
                .contains("unknown event source \"nope\"")
        );
        assert_eq!(
            parse_pairs(
                "--header",
                &[
                    "X-Foo: bar".into(),
                    "Authorization: Bearer a=b".into(),
                    "k=v:w".into()
                ]
            )
            .unwrap(),
            [
                ("X-Foo".to_string(), "bar".to_string()),
                ("Authorization".to_string(), "Bearer a=b".to_string()),
                ("k".to_string(), "v:w".to_string())
            ]
        );
        assert!(
            parse_pairs("--query", &["a".into()])
                .unwrap_err()
                .to_string()
                .contains("--query \"a\" is not KEY=VALUE")
        );
        assert_eq!(
            parse_pairs("--query", &["a=1=2".into()]).unwrap(),
            vec![("a".to_string(), "1=2".to_string())]
        );
        let p = Params {
            count: Some(0),
            ..Params::default()
        };
        assert!(generate("sqs", &p).is_err());
    }
}
