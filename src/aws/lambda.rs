//! The Lambda API calls lam makes, with its eventual-consistency waits.

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
use crate::config::Function;
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
    pub architecture: String,
    pub description: String,
    pub role: String,
    pub env: BTreeMap<String, String>,
    pub layers: Vec<String>,
}

impl Settings {
    pub fn from_function(f: &Function, role: &str) -> Settings {
        Settings {
            runtime: f.runtime.clone(),
            handler: f.handler.clone(),
            memory: f.memory,
            timeout: f.timeout,
            architecture: f.architecture.as_str().to_string(),
            description: f.description.clone(),
            role: role.to_string(),
            env: f.env.clone(),
            layers: f.layers.clone(),
        }
    }

    /// Names of the fields that differ from `other`.
    pub fn changed_fields(&self, other: &Settings) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |name, differs: bool| {
            if differs {
                out.push(name)
            }
        };
        check("runtime", self.runtime != other.runtime);
        check("handler", self.handler != other.handler);
        check("memory", self.memory != other.memory);
        check("timeout", self.timeout != other.timeout);
        check("architecture", self.architecture != other.architecture);
        check("description", self.description != other.description);
        check("role", self.role != other.role);
        check("env", self.env != other.env);
        check("layers", self.layers != other.layers);
        out
    }
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
    pub settings: Settings,
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
            settings: Settings {
                runtime: c
                    .runtime()
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_default(),
                handler: c.handler().unwrap_or_default().to_string(),
                memory: c.memory_size().unwrap_or(128).max(0) as u32,
                timeout: c.timeout().unwrap_or(3).max(0) as u32,
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

    /// The deployed function, or None when it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<Deployed>> {
        Ok(
            found(self.client.get_function().function_name(name).send().await)
                .map_err(|e| self.error("GetFunction", e))?
                .and_then(|out| {
                    let mut d = out.configuration().map(Deployed::from_configuration)?;
                    d.lam_created = out
                        .tags()
                        .is_some_and(|t| t.get("managed-by").is_some_and(|v| v == "lam"));
                    Some(d)
                }),
        )
    }

    /// Creates the function. A role created moments ago is not assumable by
    /// Lambda yet; that refusal is retried with backoff.
    pub async fn create(&self, name: &str, settings: &Settings, code: &Code) -> Result<Deployed> {
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
                .description(&settings.description)
                .architectures(Architecture::from(settings.architecture.as_str()))
                .environment(environment(&settings.env))
                .set_layers(Some(settings.layers.clone()))
                .code(code.function_code())
                .tags("managed-by", "lam")
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

    pub async fn update_code(&self, name: &str, code: &Code, architecture: &str) -> Result<()> {
        self.changing(|| {
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
        self.wait_until_ready(name).await
    }

    pub async fn update_configuration(&self, name: &str, settings: &Settings) -> Result<()> {
        self.changing(|| {
            self.client
                .update_function_configuration()
                .function_name(name)
                .runtime(Runtime::from(settings.runtime.as_str()))
                .role(&settings.role)
                .handler(&settings.handler)
                .memory_size(settings.memory as i32)
                .timeout(settings.timeout as i32)
                .description(&settings.description)
                .environment(environment(&settings.env))
                .set_layers(Some(settings.layers.clone()))
                .send()
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
        asynchronous: bool,
    ) -> Result<Outcome> {
        let mut call = self
            .client
            .invoke()
            .function_name(name)
            .set_qualifier(qualifier.map(str::to_string))
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

/// A function URL's settings, as compared by deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlConfig {
    pub url: String,
    pub auth: String,
    pub cors: Option<crate::config::CorsConfig>,
}

/// One statement of a function's resource policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    pub sid: String,
    pub principal: String,
    pub action: String,
    pub source_arn: Option<String>,
}

/// A permission lam wants in a function's resource policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub sid: String,
    pub principal: String,
    pub action: String,
    pub source_arn: Option<String>,
    /// For `lambda:InvokeFunctionUrl`: the URL's auth type.
    pub url_auth: Option<String>,
}

impl Lambda {
    /// The version an alias points at, or None when the alias does not exist.
    pub async fn alias_version(&self, name: &str, alias: &str) -> Result<Option<String>> {
        Ok(found(
            self.client
                .get_alias()
                .function_name(name)
                .name(alias)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetAlias", e))?
        .and_then(|out| out.function_version().map(str::to_string)))
    }

    /// One published version (or alias) of the function.
    pub async fn version(&self, name: &str, qualifier: &str) -> Result<Option<Deployed>> {
        Ok(found(
            self.client
                .get_function()
                .function_name(name)
                .qualifier(qualifier)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetFunction", e))?
        .and_then(|out| out.configuration().map(Deployed::from_configuration)))
    }

    /// Publishes $LATEST as a version. The CodeSha256 guard makes Lambda
    /// refuse when someone else changed the code in between.
    pub async fn publish_version(&self, name: &str, code_sha256: &str) -> Result<String> {
        let out = self
            .changing(|| {
                self.client
                    .publish_version()
                    .function_name(name)
                    .code_sha256(code_sha256)
                    .send()
            })
            .await
            .map_err(|e| self.error("PublishVersion", e))?;
        out.version()
            .map(str::to_string)
            .ok_or_else(|| Error::aws("PublishVersion answered without a version number"))
    }

    /// Points the alias at `version`, creating it when `exists` is false.
    pub async fn point_alias(
        &self,
        name: &str,
        alias: &str,
        version: &str,
        exists: bool,
    ) -> Result<()> {
        if !exists {
            let created = self
                .changing(|| {
                    self.client
                        .create_alias()
                        .function_name(name)
                        .name(alias)
                        .function_version(version)
                        .description("managed by lam: the version lam deploy published last")
                        .send()
                })
                .await;
            match created {
                Ok(_) => return Ok(()),
                // Created by a retry of ours whose first answer was lost: update it.
                Err(err) if already_exists(&err) => {}
                Err(err) => return Err(self.error("CreateAlias", err)),
            }
        }
        self.changing(|| {
            self.client
                .update_alias()
                .function_name(name)
                .name(alias)
                .function_version(version)
                .send()
        })
        .await
        .map_err(|e| self.error("UpdateAlias", e))?;
        Ok(())
    }

    /// Published version numbers, oldest first ($LATEST left out).
    pub async fn versions(&self, name: &str) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_versions_by_function()
                .function_name(name)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListVersionsByFunction", e))?;
            out.extend(
                page.versions()
                    .iter()
                    .filter_map(|v| v.version().and_then(|v| v.parse::<u64>().ok())),
            );
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Aliases and the version each points at.
    pub async fn aliases(&self, name: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_aliases()
                .function_name(name)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListAliases", e))?;
            out.extend(
                page.aliases().iter().filter_map(|a| {
                    Some((a.name()?.to_string(), a.function_version()?.to_string()))
                }),
            );
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        Ok(out)
    }

    /// Deletes one published version. Gone already counts as done.
    pub async fn delete_version(&self, name: &str, version: u64) -> Result<()> {
        found(
            self.changing(|| {
                self.client
                    .delete_function()
                    .function_name(name)
                    .qualifier(version.to_string())
                    .send()
            })
            .await,
        )
        .map_err(|e| self.error("DeleteFunction", e))?;
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

    /// The function URL of `qualifier`, if any.
    pub async fn url(&self, name: &str, qualifier: &str) -> Result<Option<UrlConfig>> {
        let out = found(
            self.client
                .get_function_url_config()
                .function_name(name)
                .qualifier(qualifier)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetFunctionUrlConfig", e))?;
        Ok(out.map(|out| UrlConfig {
            url: out.function_url().to_string(),
            auth: out.auth_type().as_str().to_string(),
            cors: out.cors().map(cors_from_sdk),
        }))
    }

    /// Creates or updates the function URL of `qualifier`; returns its URL.
    pub async fn put_url(
        &self,
        name: &str,
        qualifier: &str,
        auth: &str,
        cors: Option<&crate::config::CorsConfig>,
        exists: bool,
    ) -> Result<String> {
        let auth = aws_sdk_lambda::types::FunctionUrlAuthType::from(auth);
        let cors = cors.map(cors_to_sdk);
        if !exists {
            let created = self
                .changing(|| {
                    self.client
                        .create_function_url_config()
                        .function_name(name)
                        .qualifier(qualifier)
                        .auth_type(auth.clone())
                        .set_cors(cors.clone())
                        .send()
                })
                .await;
            match created {
                Ok(out) => return Ok(out.function_url().to_string()),
                Err(err) if already_exists(&err) => {}
                Err(err) => return Err(self.error("CreateFunctionUrlConfig", err)),
            }
        }
        let out = self
            .changing(|| {
                self.client
                    .update_function_url_config()
                    .function_name(name)
                    .qualifier(qualifier)
                    .auth_type(auth.clone())
                    .set_cors(Some(cors.clone().unwrap_or_else(|| {
                        aws_sdk_lambda::types::Cors::builder().build()
                    })))
                    .send()
            })
            .await
            .map_err(|e| self.error("UpdateFunctionUrlConfig", e))?;
        Ok(out.function_url().to_string())
    }

    pub async fn delete_url(&self, name: &str, qualifier: &str) -> Result<()> {
        found(
            self.changing(|| {
                self.client
                    .delete_function_url_config()
                    .function_name(name)
                    .qualifier(qualifier)
                    .send()
            })
            .await,
        )
        .map_err(|e| self.error("DeleteFunctionUrlConfig", e))?;
        Ok(())
    }

    /// The statements of the resource policy of `qualifier`.
    pub async fn permissions(&self, name: &str, qualifier: &str) -> Result<Vec<Permission>> {
        let Some(out) = found(
            self.client
                .get_policy()
                .function_name(name)
                .qualifier(qualifier)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetPolicy", e))?
        else {
            return Ok(Vec::new());
        };
        let doc: serde_json::Value = out
            .policy()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let statements = match doc.get("Statement") {
            Some(serde_json::Value::Array(list)) => list.clone(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        };
        Ok(statements
            .iter()
            .map(|st| {
                let text = |v: Option<&serde_json::Value>| match v {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Object(o)) => o
                        .values()
                        .next()
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    _ => String::new(),
                };
                Permission {
                    sid: text(st.get("Sid")),
                    principal: text(st.get("Principal")),
                    action: text(st.get("Action")),
                    source_arn: st
                        .pointer("/Condition/ArnLike/AWS:SourceArn")
                        .and_then(|v| v.as_str())
                        .map(str::to_string),
                }
            })
            .collect())
    }

    /// Adds a permission. Lambda refuses a statement id twice, but not every
    /// stand-in does; so a call whose answer was lost is not repeated by the
    /// SDK: lam reads the policy and only tries again when the statement is
    /// still missing.
    pub async fn add_permission(&self, name: &str, qualifier: &str, grant: &Grant) -> Result<()> {
        let mut call = self
            .client
            .add_permission()
            .function_name(name)
            .qualifier(qualifier)
            .statement_id(&grant.sid)
            .principal(&grant.principal)
            .action(&grant.action)
            .set_source_arn(grant.source_arn.clone());
        if let Some(auth) = &grant.url_auth {
            call = call.function_url_auth_type(aws_sdk_lambda::types::FunctionUrlAuthType::from(
                auth.as_str(),
            ));
        }
        let mut delay = Duration::from_millis(500);
        for attempt in 1.. {
            let result = self
                .changing(|| {
                    call.clone()
                        .customize()
                        .config_override(
                            aws_sdk_lambda::config::Builder::default()
                                .retry_config(aws_smithy_types::retry::RetryConfig::disabled()),
                        )
                        .send()
                })
                .await;
            match result {
                Ok(_) => return Ok(()),
                // Added by an interrupted run after we read the policy.
                Err(err) if already_exists(&err) => return Ok(()),
                Err(err) if super::is_transient(&err) && attempt < super::MAX_ATTEMPTS => {
                    tokio::time::sleep(super::jitter(delay)).await;
                    delay *= 2;
                    let present = self
                        .permissions(name, qualifier)
                        .await?
                        .iter()
                        .any(|p| p.sid == grant.sid);
                    if present {
                        return Ok(());
                    }
                }
                Err(err) => return Err(self.error("AddPermission", err)),
            }
        }
        Ok(())
    }

    pub async fn remove_permission(&self, name: &str, qualifier: &str, sid: &str) -> Result<()> {
        found(
            self.changing(|| {
                self.client
                    .remove_permission()
                    .function_name(name)
                    .qualifier(qualifier)
                    .statement_id(sid)
                    .send()
            })
            .await,
        )
        .map_err(|e| self.error("RemovePermission", e))?;
        Ok(())
    }
}

/// An event source mapping, as deploy compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub uuid: String,
    pub source_arn: String,
    pub batch_size: u32,
    pub report_failures: bool,
}

impl Lambda {
    /// The event source mappings that invoke `function_arn` (qualified).
    pub async fn mappings(&self, function_arn: &str) -> Result<Vec<Mapping>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_event_source_mappings()
                .function_name(function_arn)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListEventSourceMappings", e))?;
            out.extend(page.event_source_mappings().iter().filter_map(|m| {
                Some(Mapping {
                    uuid: m.uuid()?.to_string(),
                    source_arn: m.event_source_arn()?.to_string(),
                    batch_size: m.batch_size().unwrap_or(10).max(0) as u32,
                    report_failures: m.function_response_types().iter().any(|t| {
                        t == &aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures
                    }),
                })
            }));
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// Creates a mapping, or updates the one `uuid` names.
    pub async fn put_mapping(
        &self,
        function_arn: &str,
        source_arn: &str,
        batch_size: u32,
        report_failures: bool,
        uuid: Option<&str>,
    ) -> Result<()> {
        let types = if report_failures {
            vec![aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures]
        } else {
            Vec::new()
        };
        match uuid {
            Some(uuid) => {
                self.changing(|| {
                    self.client
                        .update_event_source_mapping()
                        .uuid(uuid)
                        .batch_size(batch_size as i32)
                        .set_function_response_types(Some(types.clone()))
                        .send()
                })
                .await
                .map_err(|e| self.error("UpdateEventSourceMapping", e))?;
            }
            None => {
                self.changing(|| {
                    self.client
                        .create_event_source_mapping()
                        .function_name(function_arn)
                        .event_source_arn(source_arn)
                        .batch_size(batch_size as i32)
                        .set_function_response_types(Some(types.clone()))
                        .enabled(true)
                        .send()
                })
                .await
                .map_err(|e| self.error("CreateEventSourceMapping", e))?;
            }
        }
        Ok(())
    }

    pub async fn delete_mapping(&self, uuid: &str) -> Result<()> {
        found(
            self.changing(|| self.client.delete_event_source_mapping().uuid(uuid).send())
                .await,
        )
        .map_err(|e| self.error("DeleteEventSourceMapping", e))?;
        Ok(())
    }
}

fn cors_to_sdk(c: &crate::config::CorsConfig) -> aws_sdk_lambda::types::Cors {
    aws_sdk_lambda::types::Cors::builder()
        .set_allow_origins(Some(c.origins.clone()))
        .set_allow_methods(Some(c.methods.clone()))
        .set_allow_headers(Some(c.headers.clone()))
        .set_expose_headers(Some(c.expose_headers.clone()))
        .set_max_age(c.max_age.map(|a| a as i32))
        .allow_credentials(c.credentials)
        .build()
}

fn cors_from_sdk(c: &aws_sdk_lambda::types::Cors) -> crate::config::CorsConfig {
    crate::config::CorsConfig {
        origins: c.allow_origins().to_vec(),
        methods: c.allow_methods().to_vec(),
        headers: c.allow_headers().to_vec(),
        expose_headers: c.expose_headers().to_vec(),
        max_age: c.max_age().map(|a| a.max(0) as u32),
        credentials: c.allow_credentials().unwrap_or(false),
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

/// ResourceConflictException for an update in progress (not "already exists").
fn in_progress<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error().is_some_and(|e| {
        e.code() == Some("ResourceConflictException")
            && !e.message().is_some_and(|m| m.contains("already exist"))
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
        e.code() == Some("InvalidParameterValueException")
            && e.message().is_some_and(|m| m.contains("cannot be assumed"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            runtime: "python3.12".into(),
            handler: "app.h".into(),
            memory: 128,
            timeout: 3,
            architecture: "x86_64".into(),
            description: String::new(),
            role: "arn:aws:iam::123456789012:role/r".into(),
            env: BTreeMap::new(),
            layers: vec![],
        }
    }

    #[test]
    fn changed_fields_lists_only_differences() {
        let a = settings();
        assert!(a.changed_fields(&a.clone()).is_empty());
        let mut b = a.clone();
        b.memory = 256;
        b.env.insert("A".into(), "1".into());
        assert_eq!(a.changed_fields(&b), vec!["memory", "env"]);
    }
}
