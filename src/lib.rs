//! lam as a library: every module of the `lam` binary, so that fuzz
//! targets (`fuzz/`) and benchmarks can reach the code they exercise. The
//! command-line tool is the product; this is not a stable API.

pub mod aws;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod dev;
pub mod dotenv;
pub mod error;
pub mod events;
pub mod fuzzing;
pub mod interpreter;
pub mod invocation;
pub mod local;
pub mod logview;
pub mod package;
pub mod plan;
pub mod stats;
pub mod subprocess;
pub mod templates;
pub mod terminal;
pub mod trust;
pub mod ui;
