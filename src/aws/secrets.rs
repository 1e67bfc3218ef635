//! Reading secrets from Secrets Manager and SSM Parameter Store. Values are
//! wrapped so that no Debug or log line can show them.

use super::{Aws, sdk_error};
use crate::error::{Error, Result};

/// A secret value. Its Debug output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: String) -> SecretValue {
        SecretValue(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(<redacted>)")
    }
}

/// Where a secret lives: `name`, an ARN, or `ssm:/path`, each optionally
/// followed by `#jsonkey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub store: Store,
    pub json_key: Option<String>,
    /// As lam.toml writes it.
    pub original: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    SecretsManager(String),
    Ssm(String),
}

/// What storing a secret did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Created,
    /// A new version of an existing secret.
    Updated,
    /// A secret scheduled for deletion, restored with the new value.
    Restored,
}

/// How to create a secret lam.toml names as `key` that does not exist,
/// said the same way by deploy and by local runs: `lam secrets set` when
/// the name is the one it writes (`<project>/<stage>/<KEY>`), else the
/// store's own command for that exact name.
pub fn create_hint(key: &str, reference: &SecretRef, project: &str, stage: &str) -> String {
    match &reference.store {
        Store::SecretsManager(id) if *id == format!("{project}/{stage}/{key}") => format!(
            "create it with `lam secrets set {key}{}`",
            if stage == crate::config::DEFAULT_STAGE {
                String::new()
            } else {
                format!(" --stage {stage}")
            }
        ),
        Store::SecretsManager(id) => format!(
            "create it with `aws secretsmanager create-secret --name {id} --secret-string file://FILE` (the value from a file, not the command line; `lam secrets set {key}` writes {project}/{stage}/{key} instead)"
        ),
        Store::Ssm(path) => format!(
            "create it with `aws ssm put-parameter --name {path} --type SecureString --value file://FILE` (the value from a file, not the command line)"
        ),
    }
}

impl SecretRef {
    pub fn parse(reference: &str) -> SecretRef {
        let (location, key) = match reference.rsplit_once('#') {
            Some((l, k)) if !k.is_empty() => (l, Some(k.to_string())),
            _ => (reference, None),
        };
        let store = match location.strip_prefix("ssm:") {
            Some(path) => Store::Ssm(path.to_string()),
            None => Store::SecretsManager(location.to_string()),
        };
        SecretRef {
            store,
            json_key: key,
            original: reference.to_string(),
        }
    }

    fn describe(&self) -> String {
        match &self.store {
            Store::SecretsManager(id) => format!("secret \"{id}\""),
            Store::Ssm(path) => format!("SSM parameter \"{path}\""),
        }
    }
}

pub struct Secrets {
    aws: Aws,
    secretsmanager: aws_sdk_secretsmanager::Client,
    ssm: aws_sdk_ssm::Client,
}

impl Secrets {
    pub fn new(aws: &Aws) -> Secrets {
        let sm = aws_sdk_secretsmanager::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        let ssm = aws_sdk_ssm::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        Secrets {
            aws: aws.clone(),
            secretsmanager: aws_sdk_secretsmanager::Client::from_conf(sm),
            ssm: aws_sdk_ssm::Client::from_conf(ssm),
        }
    }

    /// Creates the secret, or stores a new version when it exists.
    /// Returns true when it was created.
    pub async fn put(&self, name: &str, value: &SecretValue) -> Result<Put> {
        // A secret scheduled for deletion (`lam secrets rm` without
        // --force) keeps its name for the recovery window: AWS refuses
        // both CreateSecret and PutSecretValue on it (the service model's
        // InvalidRequestException: "The secret is scheduled for deletion";
        // tests/secrets.rs reads it there, moto accepts the value), so it
        // is restored first, which is what setting it again means.
        let described = self
            .secretsmanager
            .describe_secret()
            .secret_id(name)
            .send()
            .await;
        match described {
            Ok(d) if d.deleted_date().is_some() => {
                self.secretsmanager
                    .restore_secret()
                    .secret_id(name)
                    .send()
                    .await
                    .map_err(|e| sdk_error(&self.aws, "secretsmanager", "RestoreSecret", e))?;
                self.put_value(name, value).await?;
                return Ok(Put::Restored);
            }
            Ok(_) => {
                self.put_value(name, value).await?;
                return Ok(Put::Updated);
            }
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) => {}
            // A policy that allows writing but not describing: create or
            // put, as before (a deleted secret is then AWS's refusal).
            Err(err)
                if err
                    .as_service_error()
                    .and_then(aws_smithy_types::error::metadata::ProvideErrorMetadata::code)
                    .is_some_and(|c| c.contains("AccessDenied")) => {}
            Err(err) => {
                return Err(sdk_error(
                    &self.aws,
                    "secretsmanager",
                    "DescribeSecret",
                    err,
                ));
            }
        }
        let created = self
            .secretsmanager
            .create_secret()
            .name(name)
            .secret_string(value.expose())
            .tags(
                aws_sdk_secretsmanager::types::Tag::builder()
                    .key("managed-by")
                    .value("lam")
                    .build(),
            )
            .send()
            .await;
        match created {
            Ok(_) => Ok(Put::Created),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_exists_exception()) =>
            {
                self.put_value(name, value).await?;
                Ok(Put::Updated)
            }
            Err(err) => Err(sdk_error(&self.aws, "secretsmanager", "CreateSecret", err)),
        }
    }

    async fn put_value(&self, name: &str, value: &SecretValue) -> Result<()> {
        self.secretsmanager
            .put_secret_value()
            .secret_id(name)
            .secret_string(value.expose())
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, "secretsmanager", "PutSecretValue", e))?;
        Ok(())
    }

    /// Names under `prefix` and when each last changed (never values).
    pub async fn list(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .secretsmanager
                .list_secrets()
                .filters(
                    aws_sdk_secretsmanager::types::Filter::builder()
                        .key(aws_sdk_secretsmanager::types::FilterNameStringType::Name)
                        .values(prefix)
                        .build(),
                )
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error(&self.aws, "secretsmanager", "ListSecrets", e))?;
            for s in page.secret_list() {
                let name = s.name().unwrap_or_default();
                if name.starts_with(prefix) {
                    let changed = s
                        .last_changed_date()
                        .or(s.created_date())
                        .map(|d| crate::clock::iso(d.secs() * 1000))
                        .unwrap_or_default();
                    out.push((name.to_string(), changed));
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        out.sort();
        Ok(out)
    }

    /// Deletes the secret: with a recovery window, or at once with `force`.
    pub async fn delete(&self, name: &str, force: bool) -> Result<()> {
        let call = self.secretsmanager.delete_secret().secret_id(name);
        let call = if force {
            call.force_delete_without_recovery(true)
        } else {
            call.recovery_window_in_days(30)
        };
        call.send().await.map_err(|err| {
            if err
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception())
            {
                return Error::aws(format!("secret \"{name}\" does not exist"))
                    .with_hint("`lam secrets list` shows the secrets of this stage");
            }
            sdk_error(&self.aws, "secretsmanager", "DeleteSecret", err)
        })?;
        Ok(())
    }

    /// Where a reference points, without reading the value: the secret's
    /// full ARN, or the parameter's name. None when it does not exist.
    pub async fn locate(&self, reference: &SecretRef) -> Result<Option<String>> {
        match &reference.store {
            Store::SecretsManager(id) => {
                match self
                    .secretsmanager
                    .describe_secret()
                    .secret_id(id)
                    .send()
                    .await
                {
                    Ok(out) if out.deleted_date().is_some() => Ok(None),
                    Ok(out) => Ok(Some(out.arn().unwrap_or(id).to_string())),
                    Err(err)
                        if err
                            .as_service_error()
                            .is_some_and(|e| e.is_resource_not_found_exception()) =>
                    {
                        Ok(None)
                    }
                    Err(err) => Err(sdk_error(
                        &self.aws,
                        "secretsmanager",
                        "DescribeSecret",
                        err,
                    )),
                }
            }
            Store::Ssm(path) => {
                let filter = aws_sdk_ssm::types::ParameterStringFilter::builder()
                    .key("Name")
                    .option("Equals")
                    .values(path)
                    .build()
                    .map_err(|e| Error::local(format!("SSM filter: {e}")))?;
                let out = self
                    .ssm
                    .describe_parameters()
                    .parameter_filters(filter)
                    .send()
                    .await
                    .map_err(|e| sdk_error(&self.aws, "ssm", "DescribeParameters", e))?;
                Ok(out
                    .parameters()
                    .iter()
                    .any(|p| p.name() == Some(path.as_str()))
                    .then(|| path.clone()))
            }
        }
    }

    /// The value `reference` points at (the JSON key of it, with `#key`).
    pub async fn value(&self, reference: &SecretRef) -> Result<SecretValue> {
        let raw = match &reference.store {
            Store::SecretsManager(id) => {
                let out = self.secretsmanager.get_secret_value().secret_id(id).send().await.map_err(|err| {
                    if err.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) {
                        return Error::aws(format!("{} does not exist", reference.describe()))
                            .with_hint(format!(
                                "create it (`aws secretsmanager create-secret --name {id} --secret-string file://FILE`), \
                                 or set its value in .env for local runs"
                            ))
                            .with_cause(crate::error::Cause::NotFound);
                    }
                    sdk_error(&self.aws, "secretsmanager", "GetSecretValue", err)
                })?;
                match out.secret_string() {
                    Some(s) => s.to_string(),
                    None => {
                        return Err(Error::aws(format!(
                            "{} holds binary data, not a string",
                            reference.describe()
                        ))
                        .with_hint("store the secret as a string (or JSON)"));
                    }
                }
            }
            Store::Ssm(path) => {
                let out = self
                    .ssm
                    .get_parameter()
                    .name(path)
                    .with_decryption(true)
                    .send()
                    .await
                    .map_err(|err| {
                        if err.as_service_error().is_some_and(|e| e.is_parameter_not_found()) {
                            return Error::aws(format!("{} does not exist", reference.describe())).with_hint(format!(
                                "create it (e.g. `aws ssm put-parameter --name {path} --type SecureString --value file://FILE`)"
                            )).with_cause(crate::error::Cause::NotFound);
                        }
                        sdk_error(&self.aws, "ssm", "GetParameter", err)
                    })?;
                out.parameter()
                    .and_then(|p| p.value())
                    .unwrap_or_default()
                    .to_string()
            }
        };
        let Some(key) = &reference.json_key else {
            return Ok(SecretValue(raw));
        };
        let doc: serde_json::Value = serde_json::from_str(&raw).map_err(|_| {
            Error::config(format!(
                "{} is not JSON, so it has no key \"{key}\"",
                reference.describe()
            ))
            .with_hint("drop #key from the reference, or store the secret as a JSON object")
        })?;
        match doc.get(key) {
            Some(serde_json::Value::String(s)) => Ok(SecretValue(s.clone())),
            Some(other) => Ok(SecretValue(other.to_string())),
            None => Err(
                Error::config(format!("{} has no key \"{key}\"", reference.describe()))
                    .with_hint("check the #key part of the reference in [secrets]"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            SecretRef::parse("myapp/prod/DB"),
            SecretRef {
                store: Store::SecretsManager("myapp/prod/DB".into()),
                json_key: None,
                original: "myapp/prod/DB".into(),
            }
        );
        assert_eq!(
            SecretRef::parse("ssm:/myapp/db#password"),
            SecretRef {
                store: Store::Ssm("/myapp/db".into()),
                json_key: Some("password".into()),
                original: "ssm:/myapp/db#password".into(),
            }
        );
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf#user";
        assert_eq!(SecretRef::parse(arn).json_key.as_deref(), Some("user"));
    }

    #[test]
    fn values_never_show_in_debug_output() {
        let v = SecretValue("hunter2".into());
        assert!(!format!("{v:?}").contains("hunter2"));
        assert_eq!(v.expose(), "hunter2");
    }
}
