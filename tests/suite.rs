//! Every integration test in one test binary: one compile and link of the
//! AWS SDK stack and one moto server for all of them. Each module is one
//! area (`cargo test --test suite deploy::` runs one).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

mod aws;
mod browser;
mod build;
mod cli;
mod conformance;
mod debug;
mod deploy;
mod dev;
mod docs;
mod doctor;
mod env;
mod events;
mod faults;
mod frameworks;
mod fuzz_smoke;
mod layers;
mod leaks;
mod local;
mod logs;
mod new;
mod newcomer;
mod ownership;
mod plan;
mod prompts;
mod secrets;
mod serve;
mod stats;
mod triggers;
mod trust;
mod validator;
mod watch;
