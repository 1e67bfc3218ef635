//! `lam rollback`: point the function's alias back at an earlier version.
//! Versions are immutable, so this is instant and undone by `lam deploy`
//! (which publishes the current code again) or `lam rollback --to N`.

use serde::Serialize;

use crate::aws::lambda::Lambda;
use crate::cli::RollbackArgs;
use crate::commands::Context;
use crate::error::{Error, Result};

/// What `lam rollback --output json` prints.
#[derive(Debug, Serialize)]
struct RolledBack<'a> {
    function: &'a str,
    name: &'a str,
    alias: &'a str,
    from: String,
    to: String,
}

pub async fn run(ctx: &Context<'_>, args: RollbackArgs) -> Result<()> {
    let project = ctx.project()?;
    let function = project.one(args.function.as_deref())?;
    let name = &function.name;
    let alias = &function.alias;
    let aws = ctx.aws(Some(&project)).await?;
    let lambda = Lambda::new(&aws);

    let Some(current) = lambda.alias_version(name, alias).await? else {
        return Err(
            Error::aws(format!("{name} has no alias {alias}")).with_hint(
                "deploy it first with `lam deploy`; rollback moves the alias lam deploy creates",
            ),
        );
    };
    let current_n: Option<u64> = current.parse().ok();
    let versions = lambda.versions(name).await?;
    let target = match args.to {
        Some(v) if versions.contains(&v) => v,
        Some(v) => {
            return Err(Error::usage(format!("{name} has no version {v}"))
                .with_hint(format!("published versions: {}", list(&versions))));
        }
        None => {
            let earlier = versions
                .iter()
                .rev()
                .find(|v| current_n.is_none_or(|c| **v < c))
                .copied();
            earlier.ok_or_else(|| {
                Error::usage(format!(
                    "{name} has no version before {current} to roll back to"
                ))
                .with_hint(format!("published versions: {}", list(&versions)))
            })?
        }
    };
    if current_n == Some(target) {
        ctx.ui
            .info(format!("{alias} of {name} already serves version {target}"));
    } else {
        let step = ctx.ui.step(format!("Moved {alias} of {name}"));
        lambda
            .point_alias(name, alias, &target.to_string(), true)
            .await?;
        step.done(format!("version {current} → {target}"));
    }
    if ctx.ui.json {
        ctx.ui.print_value(&RolledBack {
            function: &function.key,
            name,
            alias,
            from: current.clone(),
            to: target.to_string(),
        });
    } else {
        ctx.ui.info(format!(
            "{alias} of {name} now serves version {target}; `lam deploy` publishes the current code again"
        ));
    }
    Ok(())
}

fn list(versions: &[u64]) -> String {
    if versions.is_empty() {
        return "none".into();
    }
    versions
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
