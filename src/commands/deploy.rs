//! `lam deploy`: make AWS match lam.toml.
//!
//! For each function: package it, read what is deployed, then create the
//! function or update only what differs (code when CodeSha256 differs,
//! configuration when a field differs). A rerun with nothing changed makes
//! only read calls.

use serde_json::{Value, json};

use crate::aws::lambda::{Lambda, Settings};
use crate::cli::DeployArgs;
use crate::commands::Context;
use crate::config::{Function, Project, rules};
use crate::error::{Error, Result};
use crate::package;
use crate::ui::format_size;

pub async fn run(ctx: &Context<'_>, args: DeployArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    if let Some(role) = &args.role {
        rules::check_role_arn(role)
            .map_err(|v| Error::usage(format!("--role: {}", v.message)).with_hint(v.hint))?;
    }
    // Package everything before the first AWS call: bad code fails fast.
    let mut packages = Vec::new();
    for function in &functions {
        let step = ctx.ui.step(format!("Packaged {}", function.key));
        let pkg = package::build(&project.root, function, ctx.ui)?;
        if pkg.bytes.len() as u64 > package::DIRECT_UPLOAD_LIMIT {
            return Err(Error::config(format!(
                "the package of {} is {}, over Lambda's 50 MB direct-upload limit",
                function.key,
                format_size(pkg.bytes.len() as u64)
            ))
            .with_hint(
                "leave large files out with [build] exclude (uploads through S3 are not built yet)",
            ));
        }
        step.done(format!(
            "{} files, {}",
            pkg.files,
            format_size(pkg.bytes.len() as u64)
        ));
        packages.push(pkg);
    }

    let aws = ctx.aws(Some(&project)).await?;
    let lambda = Lambda::new(&aws);
    let mut results = Vec::new();
    for (function, pkg) in functions.iter().zip(packages) {
        results.push(deploy_one(ctx, &project, &lambda, function, pkg, &args).await?);
    }
    ctx.ui.debug(format!("aws: {} calls", aws.call_count()));

    if ctx.ui.json {
        ctx.ui.print_json(
            &json!({ "project": project.name, "stage": project.stage, "dry_run": args.dry_run, "functions": results }),
        );
    }
    Ok(())
}

async fn deploy_one(
    ctx: &Context<'_>,
    project: &Project,
    lambda: &Lambda,
    function: &Function,
    pkg: package::Package,
    args: &DeployArgs,
) -> Result<Value> {
    let ui = ctx.ui;
    super::warn_unapplied(ui, function);
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
            return Ok(summary(function, "create", None, &pkg, true, &[]));
        }
        let step = ui.step(format!("Created {}", function.name));
        let created = lambda
            .create(&function.name, &settings, pkg.bytes.clone())
            .await?;
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
            &pkg,
            true,
            &[],
        ));
    };

    // An update keeps the deployed role unless one is asked for.
    let role = wanted_role.unwrap_or_else(|| current.settings.role.clone());
    let desired = Settings::from_function(function, &role);
    let code_changed = current.code_sha256 != pkg.sha256;
    let changed = current.settings.changed_fields(&desired);
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
        let action = if code_changed || !changed.is_empty() {
            "update"
        } else {
            "unchanged"
        };
        return Ok(summary(
            function,
            action,
            Some(&current.arn),
            &pkg,
            code_changed,
            &changed,
        ));
    }
    if code_changed {
        let step = ui.step(format!("Uploaded code of {}", function.name));
        lambda
            .update_code(
                &function.name,
                pkg.bytes.clone(),
                function.architecture.as_str(),
            )
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
    let action = if code_changed || !changed.is_empty() {
        "updated"
    } else {
        "unchanged"
    };
    finish(ui, project, function, &current.arn, action);
    Ok(summary(
        function,
        action,
        Some(&current.arn),
        &pkg,
        code_changed,
        &changed,
    ))
}

fn finish(ui: &crate::ui::Ui, project: &Project, function: &Function, arn: &str, action: &str) {
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
    pkg: &package::Package,
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
