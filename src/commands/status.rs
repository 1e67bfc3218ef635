//! `lam status`: what is deployed for the stage, and whether it matches the
//! project here.

use serde_json::json;

use super::deploy::{account_of, api_spec};
use crate::aws::endpoint;
use crate::aws::lambda::{Lambda, Settings};
use crate::cli::StatusArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::package;
use crate::ui::format_size;

pub async fn run(ctx: &Context<'_>, args: StatusArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    let mut packages = Vec::new();
    for function in &functions {
        packages.push(package::build(&project.root, function, ctx.ui)?);
    }
    let aws = ctx.aws(Some(&project)).await?;
    let lambda = Lambda::new(&aws);
    let mut report = Vec::new();
    let mut drift = false;
    for (function, pkg) in functions.iter().zip(&packages) {
        let deployed = lambda.get(&function.name).await?;
        let entry = match &deployed {
            None => {
                drift = true;
                if !ctx.ui.json {
                    println!("{}  not deployed (stage {})", function.name, project.stage);
                }
                json!({ "function": function.key, "name": function.name, "deployed": false })
            }
            Some(d) => {
                let role = function
                    .role
                    .clone()
                    .unwrap_or_else(|| d.settings.role.clone());
                let changed = d
                    .settings
                    .changed_fields(&Settings::from_function(function, &role));
                let code_differs = d.code_sha256 != pkg.sha256;
                drift |= code_differs || !changed.is_empty();
                let env_keys: Vec<&String> = d.settings.env.keys().collect();
                let alias = &function.alias;
                let version = lambda.alias_version(&function.name, alias).await?;
                let account = account_of(&d.arn);
                let spec = api_spec(&project, function, &account, format!("{}:{alias}", d.arn));
                let triggers = match version {
                    Some(_) if !function.triggers.is_empty() => {
                        let spec = crate::aws::triggers::TriggerSpec {
                            function: &function.name,
                            alias,
                            alias_arn: format!("{}:{alias}", d.arn),
                            account: &account,
                            triggers: &function.triggers,
                        };
                        let permissions = lambda.permissions(&function.name, alias).await?;
                        crate::aws::triggers::Triggers::new(&aws, &lambda)
                            .ensure(&spec, Some(&permissions), false)
                            .await?
                    }
                    _ => function
                        .triggers
                        .iter()
                        .map(|t| format!("add trigger {}", t.describe()))
                        .collect(),
                };
                drift |= !triggers.is_empty();
                let url = match version {
                    Some(_) => {
                        endpoint::current_url(&aws, &lambda, function.api.as_ref(), &spec, alias)
                            .await?
                    }
                    None => None,
                };
                if !ctx.ui.json {
                    let local = match (code_differs, changed.is_empty()) {
                        (false, true) => "matches local code and lam.toml".to_string(),
                        (true, true) => "local code differs".to_string(),
                        (false, false) => format!("lam.toml differs: {}", changed.join(", ")),
                        (true, false) => {
                            format!("local code and lam.toml differ: {}", changed.join(", "))
                        }
                    };
                    println!("{}  {local}", d.arn);
                    println!(
                        "  {}  {} MB  {} s  {}  code {} ({})",
                        d.settings.runtime,
                        d.settings.memory,
                        d.settings.timeout,
                        d.settings.architecture,
                        format_size(d.code_size.max(0) as u64),
                        d.code_sha256
                    );
                    println!(
                        "  alias {alias} → {}",
                        version
                            .as_deref()
                            .unwrap_or("(none: not deployed by lam deploy)")
                    );
                    if let Some(url) = &url {
                        println!("  endpoint {url}");
                    }
                    for t in &function.triggers {
                        println!("  trigger {}", t.describe());
                    }
                    if !triggers.is_empty() {
                        println!("  triggers differ: {}", triggers.join(", "));
                    }
                    println!("  last modified {}", d.last_modified);
                    let keys: Vec<&str> = env_keys.iter().map(|k| k.as_str()).collect();
                    println!(
                        "  env: {}",
                        if keys.is_empty() {
                            "(none)".to_string()
                        } else {
                            keys.join(", ")
                        }
                    );
                }
                json!({
                    "function": function.key,
                    "name": function.name,
                    "deployed": true,
                    "arn": d.arn,
                    "runtime": d.settings.runtime,
                    "memory": d.settings.memory,
                    "timeout": d.settings.timeout,
                    "architecture": d.settings.architecture,
                    "code_size": d.code_size,
                    "code_sha256": d.code_sha256,
                    "last_modified": d.last_modified,
                    "alias": alias,
                    "version": version,
                    "url": url,
                    "triggers": function.triggers.iter().map(|t| t.describe()).collect::<Vec<_>>(),
                    "triggers_differ": triggers,
                    "env_keys": env_keys,
                    "local_code_differs": code_differs,
                    "configuration_differs": changed,
                })
            }
        };
        report.push(entry);
    }
    if ctx.ui.json {
        ctx.ui
            .print_json(&json!({ "stage": project.stage, "functions": report }));
    }
    if args.check && drift {
        return Err(
            Error::function("what is deployed differs from the project here")
                .with_hint("run `lam deploy` to bring it up to date"),
        );
    }
    Ok(())
}
