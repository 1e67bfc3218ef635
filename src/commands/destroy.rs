//! `lam destroy`: delete what lam created for the stage. Everything is found
//! by lam's tags and names, listed, and deleted only after confirmation; a
//! role, API or function that lam did not create is never touched.

use serde_json::json;

use super::deploy::{account_of, api_spec};
use crate::aws::http_api::HttpApis;
use crate::aws::iam::{Iam, role_name};
use crate::aws::lambda::Lambda;
use crate::aws::logs::Logs;
use crate::aws::rest_api::RestApis;
use crate::aws::triggers::{TriggerSpec, Triggers};
use crate::cli::DestroyArgs;
use crate::commands::Context;
use crate::error::Result;

/// One thing destroy would delete.
enum Resource {
    /// The triggers lam wired to a function's alias, and what removing them does.
    Triggers {
        function: String,
        alias: String,
        alias_arn: String,
        account: String,
        what: Vec<String>,
    },
    RestApi(String),
    HttpApi(String),
    Function(String),
    Role(String),
    LogGroup(String),
}

impl Resource {
    fn describe(&self) -> String {
        match self {
            Resource::Triggers { function, what, .. } => {
                format!("triggers of {function}: {}", what.join(", "))
            }
            Resource::RestApi(id) => format!("REST API {id}"),
            Resource::HttpApi(id) => format!("HTTP API {id}"),
            Resource::Function(n) => format!("function {n} (with its versions, alias and URL)"),
            Resource::Role(n) => format!("IAM role {n} and its policies"),
            Resource::LogGroup(g) => format!("log group {g}"),
        }
    }
}

pub async fn run(ctx: &Context<'_>, args: DestroyArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    let aws = ctx.aws(Some(&project)).await?;
    let lambda = Lambda::new(&aws);
    let iam = Iam::new(&aws);
    let rest = RestApis::new(&aws);
    let http = HttpApis::new(&aws);

    let step = ctx.ui.step("Found what lam created");
    let mut doomed = Vec::new();
    let mut kept = Vec::new();
    for function in &functions {
        let name = &function.name;
        let deployed = lambda.get(name).await?;
        let account = deployed
            .as_ref()
            .map(|d| account_of(&d.arn))
            .unwrap_or_default();
        // Search by lam's tags only: an API named by id in lam.toml is not lam's.
        let mut spec = api_spec(&project, function, &account, String::new());
        spec.id = None;
        if let Some(api) = rest.find(&spec).await? {
            doomed.push(Resource::RestApi(api.id));
        }
        if let Some(api) = http.find(&spec).await? {
            doomed.push(Resource::HttpApi(api.id));
        }
        if let Some(d) = &deployed
            && lambda.alias_version(name, &function.alias).await?.is_some()
        {
            let spec = TriggerSpec {
                function: name,
                alias: &function.alias,
                alias_arn: format!("{}:{}", d.arn, function.alias),
                account: &account,
                triggers: &[],
            };
            let permissions = lambda.permissions(name, &function.alias).await?;
            let what = Triggers::new(&aws, &lambda)
                .ensure(&spec, Some(&permissions), false)
                .await?;
            if !what.is_empty() {
                doomed.push(Resource::Triggers {
                    function: name.clone(),
                    alias: function.alias.clone(),
                    alias_arn: spec.alias_arn.clone(),
                    account: account.clone(),
                    what,
                });
            }
        }
        if let Some(d) = &deployed {
            if lambda.lam_created(&d.arn).await? {
                doomed.push(Resource::Function(name.clone()));
            } else {
                kept.push(format!("function {name}: not created by lam"));
            }
        }
        let role = role_name(&project.name, &project.stage, &function.key);
        match iam.get(&role).await? {
            Some(r) if r.lam_created => doomed.push(Resource::Role(role)),
            Some(_) => kept.push(format!("role {role}: not created by lam")),
            None => {}
        }
        if args.logs {
            let group = deployed
                .as_ref()
                .and_then(|d| d.log_group.clone())
                .unwrap_or_else(|| format!("/aws/lambda/{name}"));
            doomed.push(Resource::LogGroup(group));
        }
    }
    step.done(format!("{} resources", doomed.len()));
    for k in &kept {
        ctx.ui.info(format!("keeping {k}"));
    }

    if doomed.is_empty() {
        ctx.ui.info(format!(
            "nothing of {} ({} stage) to delete",
            project.name, project.stage
        ));
        if ctx.ui.json {
            ctx.ui
                .print_json(&json!({ "stage": project.stage, "deleted": [] }));
        }
        return Ok(());
    }
    let list: Vec<String> = doomed.iter().map(Resource::describe).collect();
    let question = format!(
        "Delete these from {} ({} stage)?\n  {}\n",
        aws.region(),
        project.stage,
        list.join("\n  ")
    );
    if !ctx.ui.confirm(&question, false)? {
        ctx.ui.info("nothing was deleted");
        return Ok(());
    }

    let logs = Logs::new(&aws);
    let mut deleted = Vec::new();
    for resource in &doomed {
        let step = ctx.ui.step(format!("Deleted {}", resource.describe()));
        let gone = match resource {
            Resource::Triggers {
                function,
                alias,
                alias_arn,
                account,
                ..
            } => {
                let spec = TriggerSpec {
                    function,
                    alias,
                    alias_arn: alias_arn.clone(),
                    account,
                    triggers: &[],
                };
                let permissions = lambda.permissions(function, alias).await?;
                Triggers::new(&aws, &lambda)
                    .ensure(&spec, Some(&permissions), true)
                    .await?;
                true
            }
            Resource::RestApi(id) => rest.delete(id).await.map(|_| true)?,
            Resource::HttpApi(id) => http.delete(id).await.map(|_| true)?,
            Resource::Function(name) => lambda.delete(name).await.map(|_| true)?,
            Resource::Role(name) => iam.delete(name).await.map(|_| true)?,
            Resource::LogGroup(group) => logs.delete_group(group).await?,
        };
        if gone {
            step.done("");
        } else {
            step.skipped("there was none");
        }
        deleted.push(resource.describe());
    }
    if ctx.ui.json {
        ctx.ui
            .print_json(&json!({ "stage": project.stage, "deleted": deleted, "kept": kept }));
    } else {
        ctx.ui.info(format!(
            "Destroyed {} ({} stage): {} resources",
            project.name,
            project.stage,
            deleted.len()
        ));
    }
    Ok(())
}
