//! The Lambda API calls lam makes, with its eventual-consistency waits:
//! functions here; versions and aliases, function URLs, resource policy
//! permissions and event source mappings in their own modules.

mod layers;
mod mappings;
mod permissions;
mod provisioned;
mod urls;
mod versions;
pub use layers::{
    LayerVersion, Pruned, is_project_layer_version, layer_description, layer_grace, layer_name,
};

pub use mappings::{Mapping, MappingSpec};
pub use permissions::{Grant, Permission};
pub use provisioned::Provisioned;
pub use urls::UrlConfig;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_lambda::Client;
use aws_sdk_lambda::operation::RequestId;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{
    Architecture, Environment, FunctionCode, FunctionConfiguration, InvocationType,
    LastUpdateStatus, LogType, Runtime, State,
};

use base64::Engine;

use super::{Aws, sdk_error};
use crate::error::{Error, Result};
use crate::invocation::Outcome;

const SERVICE: &str = "lambda";

/// What lam compares between lam.toml and the deployed function.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    pub runtime: String,
    pub handler: String,
    pub memory: u32,
    pub timeout: u32,
    /// /tmp in MB.
    pub ephemeral_storage: u32,
    /// TracingConfig Mode: PassThrough or Active.
    pub tracing: String,
    /// LoggingConfig, with AWS's defaults filled in (levels INFO with JSON,
    /// none with Text; the log group /aws/lambda/<name>), so that what was
    /// left unset compares equal to what Lambda reports.
    pub log_format: String,
    pub application_log_level: Option<String>,
    pub system_log_level: Option<String>,
    pub log_group: String,
    /// SnapStart ApplyOn PublishedVersions.
    pub snapstart: bool,
    pub architecture: String,
    pub description: String,
    pub role: String,
    pub env: BTreeMap<String, String>,
    pub layers: Vec<String>,
}

/// Where the code of a create or update comes from.
#[derive(Debug, Clone)]
pub enum Code {
    /// The zip itself, up to 50 MB.
    Zip(Vec<u8>),
    /// An object uploaded before.
    S3 { bucket: String, key: String },
}

impl Code {
    fn function_code(&self) -> FunctionCode {
        match self {
            Code::Zip(bytes) => FunctionCode::builder()
                .zip_file(Blob::new(bytes.clone()))
                .build(),
            Code::S3 { bucket, key } => FunctionCode::builder()
                .s3_bucket(bucket)
                .s3_key(key)
                .build(),
        }
    }
}

/// SnapStart for the runtimes that have it (on or off); nothing for the
/// others, which do not take the setting.
fn snap_start(settings: &Settings) -> Option<aws_sdk_lambda::types::SnapStart> {
    use aws_sdk_lambda::types::{SnapStart, SnapStartApplyOn};
    if !settings.snapstart && !crate::config::rules::snapstart_runtime(&settings.runtime) {
        return None;
    }
    Some(
        SnapStart::builder()
            .apply_on(if settings.snapstart {
                SnapStartApplyOn::PublishedVersions
            } else {
                SnapStartApplyOn::None
            })
            .build(),
    )
}

fn logging_format(c: &FunctionConfiguration) -> String {
    c.logging_config()
        .and_then(|l| l.log_format())
        .map_or_else(|| "Text".to_string(), |f| f.as_str().to_string())
}

fn logging_config(settings: &Settings) -> aws_sdk_lambda::types::LoggingConfig {
    use aws_sdk_lambda::types::{ApplicationLogLevel, LogFormat, SystemLogLevel};
    aws_sdk_lambda::types::LoggingConfig::builder()
        .log_format(LogFormat::from(settings.log_format.as_str()))
        .set_application_log_level(
            settings
                .application_log_level
                .as_deref()
                .map(ApplicationLogLevel::from),
        )
        .set_system_log_level(
            settings
                .system_log_level
                .as_deref()
                .map(SystemLogLevel::from),
        )
        .log_group(&settings.log_group)
        .build()
}

/// /tmp's size (the builder fails only without one, which it always has).
fn ephemeral_storage(settings: &Settings) -> Option<aws_sdk_lambda::types::EphemeralStorage> {
    aws_sdk_lambda::types::EphemeralStorage::builder()
        .size(settings.ephemeral_storage as i32)
        .build()
        .ok()
}

fn tracing_config(settings: &Settings) -> aws_sdk_lambda::types::TracingConfig {
    aws_sdk_lambda::types::TracingConfig::builder()
        .mode(aws_sdk_lambda::types::TracingMode::from(
            settings.tracing.as_str(),
        ))
        .build()
}

/// A function as it exists on AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    pub arn: String,
    pub code_sha256: String,
    pub code_size: i64,
    pub last_modified: String,
    /// The function's own log group, when it is not /aws/lambda/<name>.
    pub log_group: Option<String>,
    /// Tagged `managed-by = lam` (read with the function).
    pub lam_created: bool,
    /// lam's `lam:project` and `lam:stage` tags, where present.
    pub project: Option<String>,
    pub stage: Option<String>,
    pub settings: Settings,
    /// Reserved concurrency (GetFunction's Concurrency), when set.
    pub reserved_concurrency: Option<u32>,
    /// A `lam dev` session's mark (`lam:dev` tag): `<session> <since>`.
    pub dev: Option<String>,
}

impl Deployed {
    fn from_configuration(c: &FunctionConfiguration) -> Deployed {
        Deployed {
            arn: c.function_arn().unwrap_or_default().to_string(),
            code_sha256: c.code_sha256().unwrap_or_default().to_string(),
            code_size: c.code_size(),
            last_modified: c.last_modified().unwrap_or_default().to_string(),
            log_group: c
                .logging_config()
                .and_then(|l| l.log_group())
                .map(str::to_string),
            lam_created: false,
            project: None,
            stage: None,
            reserved_concurrency: None,
            dev: None,
            settings: Settings {
                runtime: c
                    .runtime()
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_default(),
                handler: c.handler().unwrap_or_default().to_string(),
                memory: c.memory_size().unwrap_or(128).max(0) as u32,
                timeout: c.timeout().unwrap_or(3).max(0) as u32,
                ephemeral_storage: c
                    .ephemeral_storage()
                    .map_or(512, |e| e.size().max(0) as u32),
                tracing: c
                    .tracing_config()
                    .and_then(|t| t.mode())
                    .map_or_else(|| "PassThrough".to_string(), |m| m.as_str().to_string()),
                snapstart: c
                    .snap_start()
                    .and_then(|s| s.apply_on())
                    .is_some_and(|a| a.as_str() == "PublishedVersions"),
                log_format: logging_format(c),
                application_log_level: (logging_format(c) == "JSON").then(|| {
                    c.logging_config()
                        .and_then(|l| l.application_log_level())
                        .map_or_else(|| "INFO".to_string(), |l| l.as_str().to_string())
                }),
                system_log_level: (logging_format(c) == "JSON").then(|| {
                    c.logging_config()
                        .and_then(|l| l.system_log_level())
                        .map_or_else(|| "INFO".to_string(), |l| l.as_str().to_string())
                }),
                log_group: c.logging_config().and_then(|l| l.log_group()).map_or_else(
                    || format!("/aws/lambda/{}", c.function_name().unwrap_or_default()),
                    str::to_string,
                ),
                architecture: c
                    .architectures()
                    .first()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_else(|| "x86_64".into()),
                description: c.description().unwrap_or_default().to_string(),
                role: c.role().unwrap_or_default().to_string(),
                env: c
                    .environment()
                    .and_then(|e| e.variables())
                    .map(|vars| vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
                layers: c
                    .layers()
                    .iter()
                    .filter_map(|l| l.arn().map(str::to_string))
                    .collect(),
            },
        }
    }
}

#[derive(Clone)]
pub struct Lambda {
    aws: Aws,
    client: Client,
}

impl Lambda {
    pub fn new(aws: &Aws) -> Lambda {
        let conf = aws_sdk_lambda::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        Lambda {
            aws: aws.clone(),
            client: Client::from_conf(conf),
        }
    }

    fn error<E>(&self, operation: &str, err: aws_sdk_lambda::error::SdkError<E>) -> Error
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        sdk_error(&self.aws, SERVICE, operation, err)
    }

    /// Runs a change, waiting out ResourceConflictException ("an update is in
    /// progress"), which the SDK does not retry: lam waits and tries again,
    /// with jittered backoff, for up to a minute.
    async fn changing<T, E, Fut>(
        &self,
        mut call: impl FnMut() -> Fut,
    ) -> std::result::Result<T, aws_sdk_lambda::error::SdkError<E>>
    where
        Fut: std::future::Future<Output = std::result::Result<T, aws_sdk_lambda::error::SdkError<E>>>,
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
    {
        let mut delay = Duration::from_millis(250);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            match call().await {
                Err(err) if in_progress(&err) && tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(super::jitter(delay)).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
                other => return other,
            }
        }
    }

    /// Runs a call again while Lambda refuses it because IAM has not
    /// propagated yet (`waiting` recognises that refusal: a new role not
    /// assumable, a new grant not usable), with backoff, for up to a minute.
    async fn propagating<T, E, Fut>(
        &self,
        waiting: fn(&aws_sdk_lambda::error::SdkError<E>) -> bool,
        mut call: impl FnMut() -> Fut,
    ) -> std::result::Result<T, aws_sdk_lambda::error::SdkError<E>>
    where
        Fut: std::future::Future<Output = std::result::Result<T, aws_sdk_lambda::error::SdkError<E>>>,
    {
        let mut delay = Duration::from_millis(500);
        let mut waited = Duration::ZERO;
        loop {
            match call().await {
                Err(err) if waiting(&err) && waited < Duration::from_secs(60) => {
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    delay = (delay * 2).min(Duration::from_secs(8));
                }
                other => return other,
            }
        }
    }

    /// The account's unreserved concurrent executions (GetAccountSettings),
    /// or None where the endpoint has no such API.
    pub async fn unreserved_concurrency(&self) -> Result<Option<u32>> {
        match self.client.get_account_settings().send().await {
            Ok(out) => Ok(out
                .account_limit()
                .map(|l| l.unreserved_concurrent_executions().unwrap_or(0).max(0) as u32)),
            Err(err) if crate::aws::operation_missing(&err) => Ok(None),
            Err(err) => Err(self.error("GetAccountSettings", err)),
        }
    }

    /// Sets the function's reserved concurrency, or removes it (None).
    pub async fn set_reserved_concurrency(&self, name: &str, n: Option<u32>) -> Result<()> {
        match n {
            Some(n) => self
                .client
                .put_function_concurrency()
                .function_name(name)
                .reserved_concurrent_executions(n.min(i32::MAX as u32) as i32)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("PutFunctionConcurrency", e)),
            None => self
                .client
                .delete_function_concurrency()
                .function_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("DeleteFunctionConcurrency", e)),
        }
    }

    /// The deployed function, or None when it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<Deployed>> {
        Ok(
            found(self.client.get_function().function_name(name).send().await)
                .map_err(|e| self.error("GetFunction", e))?
                .and_then(|out| {
                    let mut d = out.configuration().map(Deployed::from_configuration)?;
                    let tags = out.tags();
                    let tag = |k: &str| tags.and_then(|t| t.get(k)).cloned();
                    d.lam_created = tag("managed-by").is_some_and(|v| v == "lam");
                    d.project = tag("lam:project");
                    d.stage = tag("lam:stage");
                    d.dev = tag(crate::dev::DEV_TAG);
                    d.reserved_concurrency = out
                        .concurrency()
                        .and_then(|c| c.reserved_concurrent_executions())
                        .map(|n| n.max(0) as u32);
                    Some(d)
                }),
        )
    }

    /// Creates the function. A role created moments ago is not assumable by
    /// Lambda yet; that refusal is retried with backoff.
    pub async fn create(
        &self,
        name: &str,
        settings: &Settings,
        code: &Code,
        tags: &BTreeMap<String, String>,
    ) -> Result<Deployed> {
        let tags: HashMap<String, String> =
            tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut delay = Duration::from_millis(500);
        let mut waited = Duration::ZERO;
        loop {
            let result = self
                .client
                .create_function()
                .function_name(name)
                .runtime(Runtime::from(settings.runtime.as_str()))
                .role(&settings.role)
                .handler(&settings.handler)
                .memory_size(settings.memory as i32)
                .timeout(settings.timeout as i32)
                .set_ephemeral_storage(ephemeral_storage(settings))
                .tracing_config(tracing_config(settings))
                .logging_config(logging_config(settings))
                .set_snap_start(snap_start(settings))
                .description(&settings.description)
                .architectures(Architecture::from(settings.architecture.as_str()))
                .environment(environment(&settings.env))
                .set_layers(Some(settings.layers.clone()))
                .code(code.function_code())
                .set_tags(Some(tags.clone()))
                .customize()
                .config_override(
                    aws_sdk_lambda::config::Builder::default()
                        .timeout_config(super::upload_timeouts()),
                )
                .send()
                .await;
            match result {
                Ok(out) => {
                    let name = out.function_name().unwrap_or(name).to_string();
                    self.wait_until_ready(&name).await?;
                    return self.get(&name).await?.ok_or_else(|| {
                        Error::aws(format!(
                            "function {name} disappeared right after it was created"
                        ))
                    });
                }
                Err(err) if role_not_ready(&err) && waited < Duration::from_secs(60) => {
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    delay = (delay * 2).min(Duration::from_secs(8));
                }
                // Our own create, whose answer was lost and the call retried.
                Err(err) if already_exists(&err) => {
                    self.wait_until_ready(name).await?;
                    return self.get(name).await?.ok_or_else(|| {
                        Error::aws(format!("function {name} exists and yet cannot be read"))
                    });
                }
                Err(err) if in_progress(&err) && waited < Duration::from_secs(60) => {
                    tokio::time::sleep(super::jitter(delay)).await;
                    waited += delay;
                    delay = (delay * 2).min(Duration::from_secs(8));
                }
                Err(err) => return Err(self.error("CreateFunction", err)),
            }
        }
    }

    /// Uploads new code; returns the CodeSha256 Lambda computed.
    pub async fn update_code(&self, name: &str, code: &Code, architecture: &str) -> Result<String> {
        let out = self
            .changing(|| {
                let call = self
                    .client
                    .update_function_code()
                    .function_name(name)
                    .architectures(Architecture::from(architecture));
                let call = match code {
                    Code::Zip(bytes) => call.zip_file(Blob::new(bytes.clone())),
                    Code::S3 { bucket, key } => call.s3_bucket(bucket).s3_key(key),
                };
                call.customize()
                    .config_override(
                        aws_sdk_lambda::config::Builder::default()
                            .timeout_config(super::upload_timeouts()),
                    )
                    .send()
            })
            .await
            .map_err(|e| self.error("UpdateFunctionCode", e))?;
        self.wait_until_ready(name).await?;
        Ok(out.code_sha256().unwrap_or_default().to_string())
    }

    /// A role created moments ago may not be assumable yet, as on create:
    /// that refusal is retried for up to a minute.
    pub async fn update_configuration(&self, name: &str, settings: &Settings) -> Result<()> {
        self.propagating(role_not_ready, || {
            self.changing(|| {
                self.client
                    .update_function_configuration()
                    .function_name(name)
                    .runtime(Runtime::from(settings.runtime.as_str()))
                    .role(&settings.role)
                    .handler(&settings.handler)
                    .memory_size(settings.memory as i32)
                    .timeout(settings.timeout as i32)
                    .set_ephemeral_storage(ephemeral_storage(settings))
                    .tracing_config(tracing_config(settings))
                    .logging_config(logging_config(settings))
                    .set_snap_start(snap_start(settings))
                    .description(&settings.description)
                    .environment(environment(&settings.env))
                    .set_layers(Some(settings.layers.clone()))
                    .send()
            })
        })
        .await
        .map_err(|e| self.error("UpdateFunctionConfiguration", e))?;
        self.wait_until_ready(name).await
    }

    /// Waits until the function is Active and its last update Successful, so
    /// the next update never meets ResourceConflictException.
    pub async fn wait_until_ready(&self, name: &str) -> Result<()> {
        let mut delay = Duration::from_millis(200);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
        loop {
            let out = self
                .client
                .get_function_configuration()
                .function_name(name)
                .send()
                .await
                .map_err(|e| self.error("GetFunctionConfiguration", e))?;
            let pending = out.state() == Some(&State::Pending)
                || out.last_update_status() == Some(&LastUpdateStatus::InProgress);
            if out.last_update_status() == Some(&LastUpdateStatus::Failed)
                || out.state() == Some(&State::Failed)
            {
                let reason = out
                    .last_update_status_reason()
                    .or(out.state_reason())
                    .unwrap_or("no reason given");
                return Err(Error::aws(format!("the update of {name} failed: {reason}"))
                    .with_hint("fix the cause and run `lam deploy` again"));
            }
            if !pending {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(
                    Error::aws(format!("{name} is still updating after 5 minutes")).with_hint(
                        "check the function in the console, then run `lam deploy` again",
                    ),
                );
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(1));
        }
    }

    pub async fn invoke(
        &self,
        name: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
        client_context: Option<String>,
        tenant_id: Option<String>,
        asynchronous: bool,
    ) -> Result<Outcome> {
        let mut call = self
            .client
            .invoke()
            .function_name(name)
            .set_qualifier(qualifier.map(str::to_string))
            .set_client_context(client_context)
            .set_tenant_id(tenant_id)
            .payload(Blob::new(payload));
        call = if asynchronous {
            call.invocation_type(InvocationType::Event)
        } else {
            call.invocation_type(InvocationType::RequestResponse)
                .log_type(LogType::Tail)
        };
        let out = call.send().await.map_err(|e| self.error("Invoke", e))?;
        let log_tail = out.log_result().map(|b64| {
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_else(|_| b64.to_string())
        });
        Ok(Outcome {
            status: out.status_code(),
            function_error: out.function_error().map(str::to_string),
            executed_version: out.executed_version().map(str::to_string),
            payload: out
                .payload()
                .map(|b| b.as_ref().to_vec())
                .unwrap_or_default(),
            log_tail,
            request_id: out.request_id().map(str::to_string),
        })
    }
}

impl Lambda {
    /// The zipped size of a layer version (GetLayerVersion, by the layer's
    /// ARN and the version number its ARN ends with); None when it does not
    /// exist. Lambda reports no unzipped size for layers.
    pub async fn layer_size(&self, arn: &str) -> Result<Option<i64>> {
        let Some((layer, version)) = arn
            .rsplit_once(':')
            .and_then(|(l, v)| Some((l, v.parse::<i64>().ok()?)))
        else {
            return Ok(None);
        };
        Ok(found(
            self.client
                .get_layer_version()
                .layer_name(layer)
                .version_number(version)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetLayerVersion", e))?
        .map(|out| out.content().map(|c| c.code_size()).unwrap_or(0)))
    }

    /// Adds tags to the function (lam's, when it takes a function over).
    pub async fn tag(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<()> {
        let tags: HashMap<String, String> =
            tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        self.changing(|| {
            self.client
                .tag_resource()
                .resource(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await
        .map_err(|e| self.error("TagResource", e))?;
        Ok(())
    }

    /// Removes the tag `key` from the function.
    pub async fn untag(&self, arn: &str, key: &str) -> Result<()> {
        self.changing(|| {
            self.client
                .untag_resource()
                .resource(arn)
                .tag_keys(key)
                .send()
        })
        .await
        .map_err(|e| self.error("UntagResource", e))?;
        Ok(())
    }

    /// Deletes the function with its versions, aliases, URL and permissions.
    pub async fn delete(&self, name: &str) -> Result<()> {
        found(
            self.client
                .delete_function()
                .function_name(name)
                .send()
                .await,
        )
        .map_err(|e| self.error("DeleteFunction", e))?;
        Ok(())
    }
}

fn environment(vars: &BTreeMap<String, String>) -> Environment {
    let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    Environment::builder().set_variables(Some(map)).build()
}

/// Lambda's ResourceNotFoundException as None: for reads of what may not
/// exist, and for deletes of what may be gone already.
fn found<T, E, R>(
    result: std::result::Result<T, aws_smithy_runtime_api::client::result::SdkError<E, R>>,
) -> std::result::Result<Option<T>, aws_smithy_runtime_api::client::result::SdkError<E, R>>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    match result {
        Ok(v) => Ok(Some(v)),
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.code() == Some("ResourceNotFoundException")) =>
        {
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// ResourceConflictException for an update in progress (not "already
/// exists"), and ResourceInUseException for an event source mapping that is
/// still Creating or Updating.
fn in_progress<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error().is_some_and(|e| {
        (e.code() == Some("ResourceConflictException")
            && !e.message().is_some_and(|m| m.contains("already exist")))
            || e.code() == Some("ResourceInUseException")
    })
}

/// ResourceConflictException because the thing exists (a lost answer to
/// our own earlier create, retried).
fn already_exists<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error().is_some_and(|e| {
        matches!(
            e.code(),
            Some("ResourceConflictException" | "ConflictException")
        ) && e.message().is_some_and(|m| m.contains("already exist"))
    })
}

fn role_not_ready<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error().is_some_and(|e| {
        // A new role, or one that just gained X-Ray's actions, takes
        // seconds to reach Lambda: "... does not have permissions to call
        // PutTraceSegments on XRAY".
        e.code() == Some("InvalidParameterValueException")
            && e.message().is_some_and(|m| {
                m.contains("cannot be assumed") || m.contains("does not have permissions to call")
            })
    })
}
