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
#[derive(Debug, Clone)]
pub struct Deployed {
    pub arn: String,
    pub code_sha256: String,
    pub code_size: i64,
    pub last_modified: String,
    /// The function's own log group, when it is not /aws/lambda/<name>.
    pub log_group: Option<String>,
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

    /// The deployed function, or None when it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<Deployed>> {
        match self.client.get_function().function_name(name).send().await {
            Ok(out) => Ok(out.configuration().map(Deployed::from_configuration)),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                Ok(None)
            }
            Err(err) => Err(self.error("GetFunction", err)),
        }
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
                Err(err) => return Err(self.error("CreateFunction", err)),
            }
        }
    }

    pub async fn update_code(&self, name: &str, code: &Code, architecture: &str) -> Result<()> {
        let call = self
            .client
            .update_function_code()
            .function_name(name)
            .architectures(Architecture::from(architecture));
        let call = match code {
            Code::Zip(bytes) => call.zip_file(Blob::new(bytes.clone())),
            Code::S3 { bucket, key } => call.s3_bucket(bucket).s3_key(key),
        };
        call.send()
            .await
            .map_err(|e| self.error("UpdateFunctionCode", e))?;
        self.wait_until_ready(name).await
    }

    pub async fn update_configuration(&self, name: &str, settings: &Settings) -> Result<()> {
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

fn environment(vars: &BTreeMap<String, String>) -> Environment {
    let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    Environment::builder().set_variables(Some(map)).build()
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
