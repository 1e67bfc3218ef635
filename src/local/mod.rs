//! Running handlers on this machine, the way Lambda runs them: a runtime
//! process (lam's bootstrap or the official runtime interface client) talks
//! to lam's Runtime API emulator. No Docker.

pub mod apigw;
pub mod debug;
pub mod initprofile;
pub mod listener;
mod process;
mod runtime;
pub mod runtime_api;
pub mod sdk;
pub mod serve;
pub mod sigv4;
mod task;

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::{Function, Project};
use crate::error::Result;
use crate::invocation::Outcome;
pub use process::{python_deps, stderr_stdio};
pub use runtime::{
    CLIENT_CONTEXT_LIMIT, Input, LogMode, RESPONSE_LIMIT, Runtime, check_tenant_id,
    client_context_base64,
};
pub use task::node_tree;

/// The version a local run reports (AWS_LAMBDA_FUNCTION_VERSION, the
/// context's function version, START lines, the log stream's `[1]`). API
/// Gateway reaches a deployed function through its alias (`live`), and a
/// function invoked through an alias reports the version the alias points
/// to, with the alias-qualified ARN as invoked ARN (the Python context
/// object page of the Lambda guide); locally that is the version a first
/// deploy publishes. Code that tests for `$LATEST` behaves as deployed.
pub const VERSION: &str = "1";

/// How a local run is set up, beyond lam.toml.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run the official awslambdaric instead of lam's bootstrap.
    pub ric: bool,
    /// Record where init goes (`python -X importtime`), compiling from
    /// source as Lambda does.
    pub profile_init: bool,
    /// `--debug`: under a debugger, on this port.
    pub debug: Option<debug::Debug>,
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Variables from `.env` / `.env.<stage>`; lam.toml's win over them.
    pub dotenv: BTreeMap<String, String>,
    /// Values of `[secrets]`, by reference, resolved once for the session.
    pub secrets: BTreeMap<String, crate::aws::secrets::SecretValue>,
    /// Credentials the handler runs with instead of the developer's (the
    /// function's role, assumed by `lam dev`).
    pub credentials: Option<RoleCredentials>,
}

/// Temporary credentials of an assumed role.
#[derive(Clone)]
pub struct RoleCredentials {
    pub role_arn: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

impl std::fmt::Debug for RoleCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret parts.
        write!(f, "RoleCredentials({})", self.role_arn)
    }
}

/// Starts a runtime, invokes it once, stops it.
pub async fn invoke_once(
    project: &Project,
    function: &Function,
    input: Input,
    opts: &Options,
    logs: LogMode,
) -> Result<Outcome> {
    let mut runtime = Runtime::start(project, function, opts, logs).await?;
    let (outcome, _) = runtime
        .invoke(input, logs == LogMode::Stream, false)
        .await?;
    runtime.finish().await;
    Ok(outcome)
}

/// Starts a runtime with `profile_init`, invokes it once, and returns the
/// outcome with the import timings and the Init Duration.
pub async fn invoke_profiled(
    project: &Project,
    function: &Function,
    input: Input,
    opts: &Options,
    logs: LogMode,
) -> Result<(Outcome, Option<initprofile::Profile>)> {
    let mut runtime = Runtime::start(project, function, opts, logs).await?;
    let (outcome, report) = runtime
        .invoke(input, logs == LogMode::Stream, false)
        .await?;
    // The lines travel through a pipe of their own: let the last arrive.
    let mut lines = runtime.import_lines();
    for _ in 0..40 {
        if lines
            .iter()
            .any(|l| l.starts_with("import time: lam handler end"))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        lines = runtime.import_lines();
    }
    runtime.stop().await;
    let profile = report.init_duration.map(|init| {
        let mut profile = initprofile::Profile::from_importtime(
            &lines,
            &function.handler,
            init.as_secs_f64() * 1000.0,
        );
        profile.node = function.language() == crate::config::rules::Language::Node;
        profile
    });
    Ok((outcome, profile))
}

/// A random UUID-shaped request id (version 4 layout).
pub fn new_request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped_and_unique() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        assert_eq!(&a[14..15], "4");
    }
}
