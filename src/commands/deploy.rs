//! `lam deploy`: make AWS match lam.toml.
//!
//! For each function: package it, find its secrets, make its role, create
//! the function or update only what differs (code when CodeSha256 differs,
//! configuration when a field differs), publish a version and move the
//! alias when the alias does not already serve exactly that, then make the
//! HTTP endpoint and its permission match `[api]`. Every step reads first
//! and changes only what differs, so a rerun with nothing changed makes only
//! read calls, and a rerun after an interruption finishes the job.

use futures_util::StreamExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::aws::Aws;
use crate::aws::endpoint::{self, ApiSpec};
use crate::aws::iam::{Iam, RoleSpec, role_name};
use crate::aws::lambda::{Code, Deployed, Lambda, Settings};
use crate::aws::s3::S3;
use crate::aws::secrets::{SecretRef, Secrets, Store};
use crate::aws::triggers::{TriggerSpec, Triggers, queue_arns};
use crate::cli::DeployArgs;
use crate::commands::Context;
use crate::config::{ApiKind, Function, Project, rules};
use crate::error::{Error, Kind, Problem, Result};
use crate::package::{self, Package};
use crate::ui::{Ui, format_size};

/// A function's package, and the bucket it goes through when it is too
/// large to upload directly.
struct Upload {
    pkg: Package,
    bucket: Option<String>,
}

pub async fn run(ctx: &Context<'_>, args: DeployArgs) -> Result<()> {
    let mut project = ctx.project_with_env()?;
    if let Some(file) = &args.env_file {
        add_env_file(&mut project, &ctx.resolve(file), file)?;
    }
    let functions = project.select(args.function.as_deref())?;
    if let Some(role) = &args.role {
        rules::check_role_arn(role)
            .map_err(|v| Error::usage(format!("--role: {}", v.message)).with_hint(v.hint))?;
    }
    // Package everything before the first AWS call: bad code fails fast.
    let mut uploads = Vec::new();
    for function in &functions {
        let step = ctx.ui.step(format!("Packaged {}", function.key));
        let pkg = package::build(&project.root, function, ctx.ui)?;
        let size = pkg.bytes.len() as u64;
        let bucket = if size > package::DIRECT_UPLOAD_LIMIT {
            let bucket = args
                .s3_bucket
                .clone()
                .or_else(|| function.build.s3_bucket.clone());
            if bucket.is_none() {
                return Err(Error::config(format!(
                    "the package of {} is {}, over Lambda's 50 MB limit for direct uploads",
                    function.key,
                    format_size(size)
                ))
                .with_hint("set s3_bucket under [build] in lam.toml or pass --s3-bucket BUCKET, or leave files out with .lamignore"));
            }
            bucket
        } else {
            None
        };
        step.done(format!("{} files, {}", pkg.files, format_size(size)));
        uploads.push(Upload { pkg, bucket });
    }

    let aws = ctx.aws(Some(&project)).await?;
    let deployer = Deployer {
        ui: ctx.ui,
        aws: &aws,
        project: &project,
        lambda: Lambda::new(&aws),
        args: &args,
    };
    // Functions deploy concurrently, each on its own; every failure is
    // reported, not only the first.
    let outcomes: Vec<(String, Result<Value>)> =
        futures_util::stream::iter(functions.iter().zip(uploads))
            .map(|(function, upload)| {
                let deployer = &deployer;
                async move {
                    (
                        function.key.clone(),
                        deployer.deploy(function, upload).await,
                    )
                }
            })
            .buffered(args.concurrency as usize)
            .collect()
            .await;
    ctx.ui.debug(format!("aws: {} calls", aws.call_count()));

    let mut results = Vec::new();
    let mut failures: Vec<(String, Error)> = Vec::new();
    for (key, outcome) in outcomes {
        match outcome {
            Ok(v) => results.push(v),
            Err(e) => failures.push((key, e)),
        }
    }
    if ctx.ui.json && failures.is_empty() {
        ctx.ui.print_json(&json!({
            "project": project.name,
            "stage": project.stage,
            "dry_run": args.dry_run,
            "calls": aws.call_count(),
            "functions": results,
        }));
    }
    match failures.len() {
        0 => Ok(()),
        1 if functions.len() == 1 => Err(failures.remove(0).1),
        _ => {
            let kind = failures.first().map(|(_, e)| e.kind).unwrap_or(Kind::Aws);
            let problems = failures
                .into_iter()
                .flat_map(|(key, e)| {
                    e.problems.into_iter().map(move |p| Problem {
                        message: format!("{key}: {}", p.message),
                        hint: p.hint,
                    })
                })
                .collect();
            Err(Error::many(kind, problems))
        }
    }
}

struct Deployer<'a> {
    ui: &'a Ui,
    aws: &'a Aws,
    project: &'a Project,
    lambda: Lambda,
    args: &'a DeployArgs,
}

/// A `[secrets]` entry as deployed: the environment variable that names it
/// and the resource the role may read.
struct SecretGrant {
    env_key: String,
    env_value: String,
    store: Store,
    resource: String,
}

impl Deployer<'_> {
    async fn deploy(&self, function: &Function, upload: Upload) -> Result<Value> {
        let apply = !self.args.dry_run;
        let name = &function.name;
        let pkg = &upload.pkg;
        let mut changes: Vec<String> = Vec::new();

        let step = self.ui.step(format!("Read {name}"));
        let deployed = self.lambda.get(name).await?;
        step.done(if deployed.is_some() {
            "exists"
        } else {
            "not deployed yet"
        });

        // Secrets, and an API named by id, must exist before anything changes.
        let secrets = self.locate_secrets(function).await?;
        let early = api_spec(self.project, function, "", String::new());
        endpoint::check_named_api(self.aws, function.api.as_ref(), &early).await?;

        // The role: the one lam.toml names, or lam's own.
        let explicit_role = self.args.role.clone().or_else(|| function.role.clone());
        let role_arn = match &explicit_role {
            Some(arn) => {
                let differs = deployed.as_ref().is_none_or(|d| &d.settings.role != arn);
                if differs {
                    Iam::new(self.aws).check_named(arn).await?;
                }
                let reads_queues = function.triggers.iter().any(|t| t.kind() == "sqs");
                if !secrets.is_empty() || !function.policy.is_empty() || reads_queues {
                    self.ui.warn(format!(
                        "{name} uses the role {arn}, which lam does not change: grant it what [secrets], policy and sqs triggers need yourself"
                    ));
                }
                Some(arn.clone())
            }
            None => {
                self.ensure_role(function, &secrets, apply, &mut changes)
                    .await?
            }
        };

        let mut env = function.env.clone();
        for s in &secrets {
            env.insert(s.env_key.clone(), s.env_value.clone());
        }
        if let Err(v) = rules::check_env_size(rules::env_size(&env)) {
            return Err(Error::config(format!("{name}: {}", v.message)).with_hint(v.hint));
        }
        let placeholder = "(role to be created)".to_string();
        let mut desired =
            Settings::from_function(function, role_arn.as_ref().unwrap_or(&placeholder));
        desired.env = env;

        // The function itself.
        let (current, action, code_changed, changed) = match deployed {
            None => {
                changes.push(format!("create function {name}"));
                if !apply {
                    self.ui.info(format!(
                        "would create {name} ({}, {} MB, {} s)",
                        function.runtime, function.memory, function.timeout
                    ));
                    return Ok(self.plan_new(function, pkg, changes).await);
                }
                let code = self.code_source(function, &upload).await?;
                let step = self.ui.step(format!("Created {name}"));
                let created = self.lambda.create(name, &desired, &code).await?;
                step.done(format!(
                    "{}, {}",
                    function.runtime,
                    format_size(pkg.bytes.len() as u64)
                ));
                (created, "created", true, Vec::new())
            }
            Some(current) => {
                // The architecture is set with the code (UpdateFunctionCode).
                let code_changed = current.code_sha256 != pkg.sha256
                    || current.settings.architecture != desired.architecture;
                let changed: Vec<&'static str> = current.settings.changed_fields(&desired);
                if code_changed {
                    changes.push("upload code".into());
                    if apply {
                        let code = self.code_source(function, &upload).await?;
                        let step = self.ui.step(format!("Uploaded code of {name}"));
                        self.lambda
                            .update_code(name, &code, function.architecture.as_str())
                            .await?;
                        step.done(format_size(pkg.bytes.len() as u64));
                    }
                } else if apply {
                    self.ui
                        .step(format!("Code of {name}"))
                        .skipped("unchanged, not uploaded");
                }
                if !changed.is_empty() {
                    changes.push(format!(
                        "update configuration: {}",
                        self.describe_changes(&current, &desired, &changed)
                    ));
                    if apply {
                        let step = self.ui.step(format!("Updated configuration of {name}"));
                        self.lambda.update_configuration(name, &desired).await?;
                        step.done(changed.join(", "));
                    }
                } else if apply {
                    self.ui
                        .step(format!("Configuration of {name}"))
                        .skipped("unchanged");
                }
                let action = if code_changed || !changed.is_empty() {
                    "updated"
                } else {
                    "unchanged"
                };
                (current, action, code_changed, changed)
            }
        };

        // The version the alias serves.
        let alias = &function.alias;
        let serving = self.lambda.alias_version(name, alias).await?;
        let serves_latest = match &serving {
            Some(v) if !code_changed && changed.is_empty() => self
                .lambda
                .version(name, v)
                .await?
                .is_some_and(|d| d.code_sha256 == pkg.sha256 && d.settings == desired),
            _ => false,
        };
        let mut version = serving.clone();
        if serves_latest {
            if apply {
                self.ui
                    .step(format!("Alias {alias} of {name}"))
                    .skipped(format!(
                        "serves version {}",
                        serving.as_deref().unwrap_or("?")
                    ));
            }
        } else {
            changes.push(format!("publish a version and point {alias} at it"));
            if apply {
                let step = self.ui.step(format!("Published {name}"));
                let v = self.lambda.publish_version(name, &pkg.sha256).await?;
                self.lambda
                    .point_alias(name, alias, &v, serving.is_some())
                    .await?;
                step.done(format!("version {v}, alias {alias}"));
                version = Some(v);
            }
        }
        if let (Some(keep), true) = (self.args.keep_versions, apply) {
            let removed = self.prune_versions(name, keep).await?;
            if !removed.is_empty() {
                changes.push(format!("delete versions {}", join(&removed)));
            }
        }

        // The HTTP endpoint and its permission.
        let account = account_of(&current.arn);
        let alias_arn = format!("{}:{alias}", current.arn);
        let spec = api_spec(self.project, function, &account, alias_arn);
        // The alias's resource policy, read once for the endpoint and the triggers
        // (each manages its own statement ids).
        let permissions = match &version {
            Some(_) => Some(self.lambda.permissions(name, alias).await?),
            None => None,
        };
        let step = self.ui.step(format!("Endpoint of {name}"));
        let endpoint = endpoint::ensure(
            self.aws,
            &self.lambda,
            function.api.as_ref(),
            &spec,
            alias,
            permissions.as_deref(),
            apply,
        )
        .await?;
        if endpoint.changes.is_empty() {
            match &endpoint.url {
                Some(_) => step.skipped("unchanged"),
                None => step.skipped("none ([api] not set)"),
            }
        } else {
            step.done(endpoint.changes.join(", "));
        }
        changes.extend(endpoint.changes.iter().cloned());

        // What invokes the function besides the endpoint.
        let trigger_spec = TriggerSpec {
            function: name,
            alias,
            alias_arn: spec.target_arn.clone(),
            account: &account,
            triggers: &function.triggers,
        };
        let step = self.ui.step(format!("Triggers of {name}"));
        let trigger_changes = Triggers::new(self.aws, &self.lambda)
            .ensure(&trigger_spec, permissions.as_deref(), apply)
            .await?;
        if trigger_changes.is_empty() {
            step.skipped(if function.triggers.is_empty() {
                "none".to_string()
            } else {
                format!("{} in place", function.triggers.len())
            });
        } else {
            step.done(trigger_changes.join(", "));
        }
        changes.extend(trigger_changes);

        if !apply {
            self.ui.info(if changes.is_empty() {
                format!("{name}: nothing to change")
            } else {
                format!("would change {name}:\n  {}", changes.join("\n  "))
            });
        } else if !self.ui.json {
            let mut line = format!(
                "{} {name} ({} stage): version {} as {alias}, code {}",
                capitalise(action),
                self.project.stage,
                version.as_deref().unwrap_or("-"),
                format_size(pkg.bytes.len() as u64)
            );
            line.push_str(&format!("\n  arn:     {}", current.arn));
            if let Some(url) = &endpoint.url {
                line.push_str(&format!("\n  url:     {url}"));
            }
            if !changes.is_empty() {
                line.push_str(&format!("\n  changed: {}", changes.join("; ")));
            }
            self.ui.info(line);
        }
        Ok(json!({
            "function": function.key,
            "name": name,
            "action": if apply { action } else if changes.is_empty() { "unchanged" } else { "update" },
            "arn": current.arn,
            "role": role_arn,
            "version": version,
            "alias": alias,
            "url": endpoint.url,
            "api_id": endpoint.id,
            "code_sha256": pkg.sha256,
            "code_size": pkg.bytes.len(),
            "code_changed": code_changed,
            "configuration_changed": changed,
            "changes": changes,
        }))
    }

    /// The dry-run plan of a function that does not exist yet.
    async fn plan_new(
        &self,
        function: &Function,
        pkg: &Package,
        mut changes: Vec<String>,
    ) -> Value {
        changes.push(format!("publish version 1 as {}", function.alias));
        if let Some(api) = function.api.as_ref().filter(|a| a.kind != ApiKind::None) {
            changes.push(format!("create the {} endpoint", kind_name(api.kind)));
        }
        changes.extend(
            function
                .triggers
                .iter()
                .map(|t| format!("add trigger {}", t.describe())),
        );
        self.ui.info(format!(
            "would change {}:\n  {}",
            function.name,
            changes.join("\n  ")
        ));
        json!({
            "function": function.key,
            "name": function.name,
            "action": "create",
            "arn": null,
            "alias": function.alias,
            "code_sha256": pkg.sha256,
            "code_size": pkg.bytes.len(),
            "code_changed": true,
            "configuration_changed": [],
            "changes": changes,
        })
    }

    /// Field names, and for env the keys added, changed and removed (values hidden).
    fn describe_changes(&self, current: &Deployed, desired: &Settings, changed: &[&str]) -> String {
        changed
            .iter()
            .map(|field| {
                if *field != "env" {
                    return field.to_string();
                }
                let (have, want) = (&current.settings.env, &desired.env);
                let mut parts = Vec::new();
                let added: Vec<&str> = want
                    .keys()
                    .filter(|k| !have.contains_key(*k))
                    .map(String::as_str)
                    .collect();
                let removed: Vec<&str> = have
                    .keys()
                    .filter(|k| !want.contains_key(*k))
                    .map(String::as_str)
                    .collect();
                let modified: Vec<&str> = want
                    .iter()
                    .filter(|(k, v)| have.get(*k).is_some_and(|h| h != *v))
                    .map(|(k, _)| k.as_str())
                    .collect();
                if !added.is_empty() {
                    parts.push(format!("+{}", added.join(" +")));
                }
                if !modified.is_empty() {
                    parts.push(format!("~{}", modified.join(" ~")));
                }
                if !removed.is_empty() {
                    parts.push(format!("-{}", removed.join(" -")));
                }
                format!("env ({})", parts.join(" "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Finds each `[secrets]` entry without reading its value. A missing one
    /// stops the deploy before anything changes.
    async fn locate_secrets(&self, function: &Function) -> Result<Vec<SecretGrant>> {
        if function.secrets.is_empty() {
            return Ok(Vec::new());
        }
        let store = Secrets::new(self.aws);
        let mut out = Vec::new();
        let mut missing = Vec::new();
        for (key, reference) in &function.secrets {
            let parsed = SecretRef::parse(reference);
            match store.locate(&parsed).await? {
                None => missing.push(Problem {
                    message: format!("{}: secret {key} (\"{reference}\") does not exist", function.name),
                    hint: Some(match &parsed.store {
                        Store::SecretsManager(_) => format!(
                            "create it with `lam secrets set {key}{}`",
                            if self.project.stage == crate::config::DEFAULT_STAGE {
                                String::new()
                            } else {
                                format!(" --stage {}", self.project.stage)
                            }
                        ),
                        Store::Ssm(path) => format!(
                            "create it with `aws ssm put-parameter --name {path} --type SecureString --value ...`"
                        ),
                    }),
                }),
                Some(found) => {
                    let suffix = parsed
                        .json_key
                        .as_ref()
                        .map(|k| format!("#{k}"))
                        .unwrap_or_default();
                    let env_value = match &parsed.store {
                        Store::SecretsManager(_) => format!("{found}{suffix}"),
                        Store::Ssm(path) => format!("ssm:{path}{suffix}"),
                    };
                    out.push(SecretGrant {
                        env_key: format!("{key}_SECRET_ARN"),
                        env_value,
                        store: parsed.store.clone(),
                        resource: found,
                    });
                }
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(Error::many(Kind::Config, missing))
        }
    }

    async fn ensure_role(
        &self,
        function: &Function,
        secrets: &[SecretGrant],
        apply: bool,
        changes: &mut Vec<String>,
    ) -> Result<Option<String>> {
        let name = role_name(&self.project.name, &self.project.stage, &function.key);
        let spec = RoleSpec {
            name: name.clone(),
            project: self.project.name.clone(),
            stage: self.project.stage.clone(),
            function: function.name.clone(),
        };
        let policy =
            |account: &str| execution_policy(self.aws.region(), account, secrets, function);
        let step = self.ui.step(format!("Role {name}"));
        let outcome = Iam::new(self.aws).ensure(&spec, &policy, apply).await?;
        if outcome.changes.is_empty() {
            step.skipped("unchanged");
        } else {
            step.done(outcome.changes.join(", "));
        }
        changes.extend(outcome.changes);
        Ok(outcome.arn)
    }

    async fn prune_versions(&self, name: &str, keep: u32) -> Result<Vec<u64>> {
        let versions = self.lambda.versions(name).await?;
        let aliased: Vec<u64> = self
            .lambda
            .aliases(name)
            .await?
            .iter()
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        let cut = versions.len().saturating_sub(keep as usize);
        let doomed: Vec<u64> = versions[..cut]
            .iter()
            .copied()
            .filter(|v| !aliased.contains(v))
            .collect();
        if doomed.is_empty() {
            return Ok(doomed);
        }
        let step = self.ui.step(format!("Deleted old versions of {name}"));
        for v in &doomed {
            self.lambda.delete_version(name, *v).await?;
        }
        step.done(join(&doomed));
        Ok(doomed)
    }

    /// The code to send: the zip itself, or an S3 object uploaded first.
    async fn code_source(&self, function: &Function, upload: &Upload) -> Result<Code> {
        let Some(bucket) = &upload.bucket else {
            return Ok(Code::Zip(upload.pkg.bytes.clone()));
        };
        let hex: String = Sha256::digest(&upload.pkg.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let key = format!("lam/{}/{hex}.zip", function.name);
        let step = self
            .ui
            .step(format!("Uploaded package to s3://{bucket}/{key}"));
        let uploaded = S3::new(self.aws)
            .upload_once(bucket, &key, upload.pkg.bytes.clone())
            .await?;
        if uploaded {
            step.done(format_size(upload.pkg.bytes.len() as u64));
        } else {
            step.skipped("already there");
        }
        Ok(Code::S3 {
            bucket: bucket.clone(),
            key,
        })
    }
}

/// `--env-file`: its variables under each function's own env (which wins).
fn add_env_file(project: &mut Project, path: &std::path::Path, label: &str) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io("read", std::path::Path::new(label), e))?;
    let vars = crate::dotenv::parse(&text, label)?;
    let mut problems = Vec::new();
    for key in vars.keys() {
        if let Err(v) = rules::check_env_key(key) {
            problems.push(Problem {
                message: format!("{label}: {}", v.message),
                hint: Some(v.hint),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(Kind::Config, problems));
    }
    for f in &mut project.functions {
        let mut env = vars.clone();
        env.extend(std::mem::take(&mut f.env));
        f.env = env;
    }
    Ok(())
}

/// What the endpoint of `function` is built from.
pub(super) fn api_spec<'a>(
    project: &'a Project,
    function: &'a Function,
    account: &'a str,
    alias_arn: String,
) -> ApiSpec<'a> {
    let api = function.api.as_ref();
    ApiSpec {
        function: &function.name,
        project: &project.name,
        stage: &project.stage,
        account,
        id: api.and_then(|a| a.id.as_deref()),
        target_arn: alias_arn,
        cors: api.and_then(|a| a.cors.as_ref()),
        routes: api
            .and_then(|a| a.routes.clone())
            .unwrap_or_else(|| vec!["$default".to_string()]),
    }
}

/// The inline policy of lam's role: read access to exactly the listed
/// secrets and parameters, plus `[[function.policy]]`.
fn execution_policy(
    region: &str,
    account: &str,
    secrets: &[SecretGrant],
    function: &Function,
) -> Option<Value> {
    let partition = crate::aws::iam::partition(region);
    let mut statements = Vec::new();
    let mut sm: Vec<&str> = secrets
        .iter()
        .filter(|s| matches!(s.store, Store::SecretsManager(_)))
        .map(|s| s.resource.as_str())
        .collect();
    sm.sort_unstable();
    sm.dedup();
    if !sm.is_empty() {
        statements.push(json!({
            "Sid": "LamSecrets",
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": sm,
        }));
    }
    let mut ssm: Vec<String> = secrets
        .iter()
        .filter_map(|s| match &s.store {
            Store::Ssm(path) => Some(format!(
                "arn:{partition}:ssm:{region}:{account}:parameter/{}",
                path.trim_start_matches('/')
            )),
            Store::SecretsManager(_) => None,
        })
        .collect();
    ssm.sort_unstable();
    ssm.dedup();
    if !ssm.is_empty() {
        statements.push(json!({
            "Sid": "LamParameters",
            "Effect": "Allow",
            "Action": ["ssm:GetParameter"],
            "Resource": ssm,
        }));
    }
    let queues = queue_arns(region, account, &function.triggers);
    if !queues.is_empty() {
        statements.push(json!({
            "Sid": "LamQueues",
            "Effect": "Allow",
            "Action": [
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility"
            ],
            "Resource": queues,
        }));
    }
    for st in &function.policy {
        statements.push(json!({
            "Effect": st.effect.as_deref().unwrap_or("Allow"),
            "Action": st.actions,
            "Resource": st.resources,
        }));
    }
    (!statements.is_empty()).then(|| json!({ "Version": "2012-10-17", "Statement": statements }))
}

/// The account id in an ARN (`arn:aws:lambda:REGION:ACCOUNT:...`).
pub(super) fn account_of(arn: &str) -> String {
    arn.split(':').nth(4).unwrap_or_default().to_string()
}

fn kind_name(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Rest => "REST API",
        ApiKind::Http => "HTTP API",
        ApiKind::Url => "function URL",
        ApiKind::None => "no",
    }
}

fn join(versions: &[u64]) -> String {
    versions
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_come_from_arns() {
        assert_eq!(
            account_of("arn:aws:lambda:us-east-1:123456789012:function:f"),
            "123456789012"
        );
        assert_eq!(
            account_of("arn:aws:iam::210987654321:role/r"),
            "210987654321"
        );
    }
}
