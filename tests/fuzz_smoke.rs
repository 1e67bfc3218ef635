//! The fuzz targets' entry points (`fuzz/`, run with `cargo +nightly fuzz`)
//! on their seeds and a few thousand deterministic mutations of them, so
//! that CI without nightly still catches a parser that panics. A crash
//! found by the real fuzzer is added to `fuzz/seeds/<target>/` and so
//! becomes a regression test here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

const MUTATIONS: usize = 3_000;

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds for {target}");
    out.push(Vec::new());
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Byte flips, insertions of interesting bytes, deletions, duplications
/// and splices of two seeds.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    const INTERESTING: &[&[u8]] = &[
        b"\0",
        b"\xff",
        b"\"",
        b"'",
        b"[",
        b"]",
        b"{",
        b"}",
        b"=",
        b"\n",
        b"${",
        b"}",
        b"%",
        b"%zz",
        b"/",
        b"..",
        b"**",
        b"!",
        b"#",
        b"\\",
        b"{proxy+}",
        b"$default",
        b"\xf0\x9f\x98\x80",
        b"99999999999999999999",
        b"-1",
        b"[[function.policy]]",
        b"[stages.prod]",
    ];
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(data.len() + 1);
        match rng.below(5) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                data.splice(at..at, piece.iter().copied());
            }
            2 if !data.is_empty() => {
                let end = (at + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 if !data.is_empty() => {
                let start = rng.below(data.len());
                let end = (start + rng.below(32)).min(data.len());
                let copy = data[start..end].to_vec();
                data.splice(at..at, copy);
            }
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[cut..]);
            }
        }
    }
    data
}

fn run(target: &str, f: fn(&[u8])) {
    let seeds = seeds(target);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
    let inputs = seeds
        .iter()
        .cloned()
        .chain((0..MUTATIONS).map(|_| mutate(&mut rng, &seeds)));
    for input in inputs {
        let result = catch_unwind(AssertUnwindSafe(|| f(&input)));
        assert!(
            result.is_ok(),
            "{target} panicked on input (save it under fuzz/seeds/{target}/): {:?}",
            String::from_utf8_lossy(&input)
        );
    }
}

#[test]
fn lam_toml() {
    run("lam_toml", lam::fuzzing::lam_toml);
}

#[test]
fn event_params() {
    run("event_params", lam::fuzzing::event_params);
}

#[test]
fn lamignore() {
    run("lamignore", lam::fuzzing::lamignore);
}

#[test]
fn http_event() {
    run("http_event", lam::fuzzing::http_event);
}
