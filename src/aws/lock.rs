//! A lock AWS holds while one stage deploys: two machines (a developer and
//! CI) deploying the same stage would otherwise interleave their changes.
//!
//! The lock is an SSM parameter per function, `/lam/locks/<function>`,
//! taken only by a deploy that has something to change, created
//! with `Overwrite=false`, which SSM refuses when it exists
//! (ParameterAlreadyExists): a conditional write AWS arbitrates. Its value
//! names the holder and when it was taken. It is deleted when the deploy
//! ends; one older than [`STALE`] (a killed deploy) is taken over, and
//! said so. Where the credentials may not write SSM parameters, lam says
//! so and deploys without it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Aws;
use crate::error::{Error, Result};

/// A lock older than this is a deploy that died: taken over.
pub const STALE: Duration = Duration::from_secs(15 * 60);

pub struct Lock {
    client: aws_sdk_ssm::Client,
    name: String,
    value: String,
    taken: std::time::Instant,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The parameter that locks deploys of the function `name` (a function
/// name is a valid parameter name component: letters, digits, - and _).
pub fn lock_name(name: &str) -> String {
    format!("/lam/locks/{name}")
}

/// `<holder> since <epoch seconds> token <n>`.
fn parse(value: &str) -> Option<(&str, u64)> {
    let (holder, rest) = value.split_once(" since ")?;
    let since = rest.split_whitespace().next()?.parse().ok()?;
    Some((holder, since))
}

/// Takes the lock of the function `function`, or says who holds it.
/// `warn` is told when the lock is taken over or cannot be had.
pub async fn acquire(aws: &Aws, function: &str, warn: &dyn Fn(String)) -> Result<Option<Lock>> {
    let conf = aws_sdk_ssm::config::Builder::from(&aws.config)
        .interceptor(aws.interceptor())
        .build();
    let client = aws_sdk_ssm::Client::from_conf(conf);
    let name = lock_name(function);
    let user = std::env::var("USER").unwrap_or_else(|_| "someone".into());
    let host = this_host();
    let value = format!(
        "{user}@{host} (lam deploy, pid {}) since {} token {:x}",
        std::process::id(),
        now_secs(),
        std::hash::BuildHasher::hash_one(
            &std::collections::hash_map::RandomState::new(),
            now_secs()
        )
    );
    let put = |overwrite: bool| {
        client
            .put_parameter()
            .name(&name)
            .value(&value)
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .description("lam deploy holds this while it changes the stage")
            .overwrite(overwrite)
            .send()
    };
    match put(false).await {
        Ok(_) => {
            return Ok(Some(Lock {
                client,
                name,
                value,
                taken: std::time::Instant::now(),
            }));
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_parameter_already_exists()) => {}
        Err(e) if denied(&e) => {
            warn(format!(
                "cannot take the deploy lock {name} (ssm:PutParameter is not allowed): deploying without it"
            ));
            return Ok(None);
        }
        Err(e) => return Err(super::sdk_error(aws, "ssm", "PutParameter", e)),
    }
    let held = client
        .get_parameter()
        .name(&name)
        .send()
        .await
        .map_err(|e| super::sdk_error(aws, "ssm", "GetParameter", e))?;
    let held = held
        .parameter()
        .and_then(|p| p.value())
        .unwrap_or_default()
        .to_string();
    // Our own write, whose answer was lost and whose retry met it.
    if held == value {
        return Ok(Some(Lock {
            client,
            name,
            value,
            taken: std::time::Instant::now(),
        }));
    }
    let (holder, since) = parse(&held).unwrap_or(("someone", 0));
    let age = now_secs().saturating_sub(since);
    // A deploy on this machine that is no longer running (killed, or its
    // terminal closed) holds nothing.
    let gone = holder_pid_on(holder, &host).is_some_and(|pid| !alive(pid));
    if age < STALE.as_secs() && !gone {
        return Err(Error::aws(format!(
            "another deploy of {function} is under way: {} for {age} s",
            crate::terminal::escape(holder)
        ))
        .with_hint(format!(
            "wait for it to finish and deploy again; a lock older than {} minutes is taken over (SSM parameter {name})",
            STALE.as_secs() / 60
        )));
    }
    // Deleted, then created again only if no one else did meanwhile: two
    // deploys taking over the same stale lock cannot both have it.
    client
        .delete_parameter()
        .name(&name)
        .send()
        .await
        .map_err(|e| super::sdk_error(aws, "ssm", "DeleteParameter", e))?;
    match put(false).await {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_parameter_already_exists()) =>
        {
            return Err(Error::aws(format!(
                "another deploy of {function} took over the stale lock first"
            ))
            .with_hint(format!(
                "wait for it to finish and deploy again (SSM parameter {name})"
            )));
        }
        Err(e) => return Err(super::sdk_error(aws, "ssm", "PutParameter", e)),
    }
    warn(format!(
        "took over the deploy lock {name} from {} ({age} s old; that deploy {})",
        crate::terminal::escape(holder),
        if gone {
            "is no longer running"
        } else {
            "stopped without releasing it"
        }
    ));
    Ok(Some(Lock {
        client,
        name,
        value,
        taken: std::time::Instant::now(),
    }))
}

/// This machine as a lock names it: the hostname, and on Linux the pid
/// namespace (`host/pidns:[4026531836]`). Two containers may share a
/// hostname (CI runners often do) while each has its own pids: a pid is
/// only looked up where it means the same process.
fn this_host() -> String {
    let name = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "a machine".into());
    match std::fs::read_link("/proc/self/ns/pid") {
        Ok(ns) => format!("{name}/{}", ns.display()),
        Err(_) => name,
    }
}

/// The pid a holder on `host` names (`user@host (lam deploy, pid N)`).
fn holder_pid_on(holder: &str, host: &str) -> Option<u32> {
    let (who, rest) = holder.split_once(" (lam deploy, pid ")?;
    if who.rsplit_once('@').map(|(_, h)| h) != Some(host) {
        return None;
    }
    rest.strip_suffix(')')?.parse().ok()
}

/// Whether a process of this machine is running.
pub fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Unknown: never taken for gone.
        true
    }
}

fn denied<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error()
        .is_some_and(|e| matches!(e.code(), Some("AccessDeniedException" | "AccessDenied")))
}

impl Lock {
    /// Releases the lock, when it is still this deploy's.
    pub async fn release(self) {
        // Younger than STALE, and this process alive: no one can have
        // taken it over, so it is deleted without a look (one call less).
        if self.taken.elapsed() < STALE {
            let _ = self.client.delete_parameter().name(&self.name).send().await;
            return;
        }
        let ours = self
            .client
            .get_parameter()
            .name(&self.name)
            .send()
            .await
            .ok()
            .and_then(|o| {
                o.parameter()
                    .and_then(|p| p.value())
                    .map(|v| v == self.value)
            })
            .unwrap_or(false);
        if ours {
            let _ = self.client.delete_parameter().name(&self.name).send().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_values_name_their_holder_and_time() {
        assert_eq!(lock_name("shop-prod"), "/lam/locks/shop-prod");
        assert_eq!(
            parse("ana@laptop (lam deploy, pid 7) since 1700000000 token ab"),
            Some(("ana@laptop (lam deploy, pid 7)", 1_700_000_000))
        );
        assert_eq!(parse("garbage"), None);
        assert_eq!(
            holder_pid_on("ana@laptop (lam deploy, pid 7)", "laptop"),
            Some(7)
        );
        assert_eq!(holder_pid_on("ana@ci (lam deploy, pid 7)", "laptop"), None);
        // The same hostname in another pid namespace (another container):
        // its pid 7 is not this machine's.
        assert_eq!(
            holder_pid_on(
                "ana@ci/pid:[4026532001] (lam deploy, pid 7)",
                "ci/pid:[4026531836]"
            ),
            None
        );
        assert!(
            this_host().contains(
                &std::fs::read_to_string("/etc/hostname")
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            )
        );
        assert!(alive(std::process::id()));
    }
}
