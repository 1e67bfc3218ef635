//! `lam deploy`: make AWS match lam.toml.
//!
//! For each function: package it, read what is deployed, then create the
//! function or update only what differs (code when CodeSha256 differs,
//! configuration when a field differs). A rerun with nothing changed makes
//! only read calls.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::aws::Aws;
use crate::aws::lambda::{Code, Lambda, Settings};
use crate::aws::s3::S3;
use crate::cli::DeployArgs;
use crate::commands::Context;
use crate::config::{Function, Project, rules};
use crate::error::{Error, Result};
use crate::package::{self, Package};
use crate::ui::{Ui, format_size};

/// A function's package, and the bucket it goes through when it is too
/// large to upload directly.
struct Upload {
    pkg: Package,
    bucket: Option<String>,
}

pub async fn run(ctx: &Context<'_>, args: DeployArgs) -> Result<()> {
    let project = ctx.project()?;
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
    let lambda = Lambda::new(&aws);
    let mut results = Vec::new();
    for (function, upload) in functions.iter().zip(uploads) {
        results.push(deploy_one(ctx.ui, &aws, &project, &lambda, function, upload, &args).await?);
    }
    ctx.ui.debug(format!("aws: {} calls", aws.call_count()));

    if ctx.ui.json {
        ctx.ui.print_json(&json!({
            "project": project.name,
            "stage": project.stage,
            "dry_run": args.dry_run,
            "functions": results,
        }));
    }
    Ok(())
}

/// The code to send: the zip itself, or an S3 object uploaded first.
async fn code_source(ui: &Ui, aws: &Aws, function: &Function, upload: &Upload) -> Result<Code> {
    let Some(bucket) = &upload.bucket else {
        return Ok(Code::Zip(upload.pkg.bytes.clone()));
    };
    let hex: String = Sha256::digest(&upload.pkg.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let key = format!("lam/{}/{hex}.zip", function.name);
    let step = ui.step(format!("Uploaded package to s3://{bucket}/{key}"));
    let uploaded = S3::new(aws)
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

async fn deploy_one(
    ui: &Ui,
    aws: &Aws,
    project: &Project,
    lambda: &Lambda,
    function: &Function,
    upload: Upload,
    args: &DeployArgs,
) -> Result<Value> {
    super::warn_unapplied(ui, function);
    let pkg = &upload.pkg;
    let step = ui.step(format!("Read {}", function.name));
    let deployed = lambda.get(&function.name).await?;
    step.done(if deployed.is_some() {
        "exists"
    } else {
        "not deployed yet"
    });

    let wanted_role = args.role.clone().or_else(|| function.role.clone());
    let Some(current) = deployed else {
        let Some(role) = wanted_role else {
            return Err(Error::config(format!("{} does not exist yet and has no IAM role", function.name))
                .with_hint("set `role` under [function] in lam.toml, or pass --role arn:aws:iam::ACCOUNT:role/NAME"));
        };
        let settings = Settings::from_function(function, &role);
        if args.dry_run {
            ui.info(format!(
                "would create {} ({}, {} MB, {} s)",
                function.name, function.runtime, function.memory, function.timeout
            ));
            return Ok(summary(function, "create", None, pkg, true, &[]));
        }
        let code = code_source(ui, aws, function, &upload).await?;
        let step = ui.step(format!("Created {}", function.name));
        let created = lambda.create(&function.name, &settings, &code).await?;
        step.done(format!(
            "{}, {}",
            function.runtime,
            format_size(pkg.bytes.len() as u64)
        ));
        finish(ui, project, function, &created.arn, "created");
        return Ok(summary(
            function,
            "created",
            Some(&created.arn),
            pkg,
            true,
            &[],
        ));
    };

    // An update keeps the deployed role unless one is asked for.
    let role = wanted_role.unwrap_or_else(|| current.settings.role.clone());
    let desired = Settings::from_function(function, &role);
    // The architecture is set with the code (UpdateFunctionCode), not the configuration.
    let code_changed =
        current.code_sha256 != pkg.sha256 || current.settings.architecture != desired.architecture;
    let changed = current.settings.changed_fields(&desired);
    let action = if code_changed || !changed.is_empty() {
        "updated"
    } else {
        "unchanged"
    };
    if args.dry_run {
        let code = if code_changed {
            "code changed"
        } else {
            "code unchanged"
        };
        let fields = if changed.is_empty() {
            "no configuration change".to_string()
        } else {
            format!("configuration: {}", changed.join(", "))
        };
        ui.info(format!("would update {}: {code}; {fields}", function.name));
        let planned = if action == "updated" {
            "update"
        } else {
            action
        };
        return Ok(summary(
            function,
            planned,
            Some(&current.arn),
            pkg,
            code_changed,
            &changed,
        ));
    }
    if code_changed {
        let code = code_source(ui, aws, function, &upload).await?;
        let step = ui.step(format!("Uploaded code of {}", function.name));
        lambda
            .update_code(&function.name, &code, function.architecture.as_str())
            .await?;
        step.done(format_size(pkg.bytes.len() as u64));
    } else {
        ui.step(format!("Code of {}", function.name))
            .skipped("unchanged, not uploaded");
    }
    if changed.is_empty() {
        ui.step(format!("Configuration of {}", function.name))
            .skipped("unchanged");
    } else {
        let step = ui.step(format!("Updated configuration of {}", function.name));
        lambda
            .update_configuration(&function.name, &desired)
            .await?;
        step.done(changed.join(", "));
    }
    finish(ui, project, function, &current.arn, action);
    Ok(summary(
        function,
        action,
        Some(&current.arn),
        pkg,
        code_changed,
        &changed,
    ))
}

fn finish(ui: &Ui, project: &Project, function: &Function, arn: &str, action: &str) {
    if !ui.json {
        ui.info(format!(
            "{} {} ({} stage): {arn}",
            capitalise(action),
            function.name,
            project.stage
        ));
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn summary(
    function: &Function,
    action: &str,
    arn: Option<&str>,
    pkg: &Package,
    code_changed: bool,
    changed: &[&str],
) -> Value {
    json!({
        "function": function.key,
        "name": function.name,
        "action": action,
        "arn": arn,
        "code_sha256": pkg.sha256,
        "code_size": pkg.bytes.len(),
        "code_changed": code_changed,
        "configuration_changed": changed,
    })
}
