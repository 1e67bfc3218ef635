//! `lam destroy`: delete what lam created for the stage. It is the plan
//! against nothing: everything lam's tags and names tie to each function is
//! listed, and deleted only after confirmation; a role, API, function or
//! log group that lam did not create is kept and said so.

use serde::Serialize;

use crate::cli::DestroyArgs;
use crate::commands::Context;
use crate::error::Result;
use crate::plan::actual::{Actual, Bulk, Scope};
use crate::plan::apply::Applier;
use crate::plan::desired::Desired;
use crate::plan::{Change, Plan, diff::diff};

/// What `--output json` reports.
#[derive(Debug, Serialize)]
struct Destroyed {
    stage: String,
    /// What was deleted, as listed before the confirmation.
    deleted: Vec<String>,
    /// What lam did not create, and kept.
    kept: Vec<String>,
    /// The plans carried out, as typed changes.
    changes: Vec<Change>,
}

/// Whether a change belongs to the function's triggers (listed as one line).
fn is_trigger(change: &Change) -> bool {
    matches!(
        change,
        Change::PutS3Notifications { .. }
            | Change::RemoveSchedule { .. }
            | Change::DeleteMapping { .. }
            | Change::Unsubscribe { .. }
            | Change::RemovePermission { .. }
    )
}

/// What the confirmation lists for one plan.
fn describe(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let triggers: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| is_trigger(c))
        .map(ToString::to_string)
        .collect();
    if !triggers.is_empty() {
        out.push(format!(
            "triggers of {}: {}",
            plan.name,
            triggers.join(", ")
        ));
    }
    out.extend(
        plan.changes
            .iter()
            .filter(|c| !is_trigger(c) && !c.is_blocked())
            .map(|c| {
                let text = c.to_string();
                text.strip_prefix("delete ")
                    .map(str::to_string)
                    .unwrap_or(text)
            }),
    );
    out
}

pub async fn run(ctx: &Context<'_>, args: DestroyArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    let aws = ctx.aws(Some(&project)).await?;

    let step = ctx.ui.step("Found what lam created");
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    let bulk = Bulk::read(&aws, &names).await?;
    let bulk = &bulk;
    let reads = functions.iter().map(|function| {
        let mut desired = Desired::nothing(&project, function);
        desired.delete_logs = args.logs;
        let aws = &aws;
        async move {
            let actual = Actual::read_with(aws, &desired, Scope::All, bulk).await?;
            Ok::<_, crate::error::Error>((desired, actual))
        }
    });
    let states = crate::plan::actual::read_each(reads)
        .await
        .into_iter()
        .collect::<crate::error::Result<Vec<_>>>()?;
    let plans: Vec<Plan> = states.iter().map(|(d, a)| diff(d, a)).collect();
    let kept: Vec<String> = plans
        .iter()
        .flat_map(|p| p.blocked().map(ToString::to_string).collect::<Vec<_>>())
        .collect();
    let mut doomed: Vec<String> = plans.iter().flat_map(describe).collect();
    step.done(format!("{} resources", doomed.len()));
    for k in &kept {
        ctx.ui.info(format!("keeping {k}"));
    }

    if doomed.is_empty() {
        ctx.ui.info(format!(
            "nothing of {} ({} stage) to delete",
            project.name, project.stage
        ));
        // Layers an earlier destroy could not clean up.
        prune_layers(ctx.ui, &aws, &project.name).await;
        if ctx.ui.json {
            ctx.ui.print_value(&Destroyed {
                stage: project.stage.clone(),
                deleted: Vec::new(),
                kept,
                changes: Vec::new(),
            });
        }
        return Ok(());
    }
    ctx.ui.info(format!(
        "To delete from {} ({} stage):\n  {}",
        aws.region(),
        project.stage,
        doomed.join("\n  ")
    ));
    let question = format!(
        "Delete {} resource{}?",
        doomed.len(),
        if doomed.len() == 1 { "" } else { "s" }
    );
    if !ctx.ui.confirm(&question, false)? {
        ctx.ui.info("nothing was deleted");
        return Ok(());
    }

    // A lam dev session's queues, heartbeat and policy go first (the role
    // cannot be deleted with the session's policy on it).
    for ((_, actual), function) in states.iter().zip(&functions) {
        if let Some(f) = actual.function.as_ref().filter(|f| f.dev.is_some()) {
            let dev = crate::aws::dev::DevAws::new(&aws);
            let names = crate::dev::Names::of(&function.name);
            super::dev::cleanup(&dev, &names, Some(f)).await?;
            let account = aws.account().await?;
            crate::dev::RestorePoint::remove(&account, aws.region(), &function.name);
        }
    }
    let mut changes = Vec::new();
    for (plan, (desired, actual)) in plans.iter().zip(&states) {
        let runnable = Plan {
            changes: plan
                .changes
                .iter()
                .filter(|c| !c.is_blocked())
                .cloned()
                .collect(),
            ..plan.clone()
        };
        Applier {
            aws: &aws,
            ui: ctx.ui,
            desired,
            actual,
            upload: None,
        }
        .apply(&runnable)
        .await?;
        changes.extend(runnable.changes);
    }
    // Dependency layers no function uses any more (other stages' functions
    // keep theirs).
    let pruned = prune_layers(ctx.ui, &aws, &project.name).await;
    doomed.extend(
        pruned
            .deleted
            .iter()
            .map(|arn| format!("layer version {arn}")),
    );
    let mut kept = kept;
    kept.extend(
        pruned
            .recent
            .iter()
            .map(|arn| format!("layer version {arn} (published within the grace period)")),
    );
    if ctx.ui.json {
        ctx.ui.print_value(&Destroyed {
            stage: project.stage.clone(),
            deleted: doomed.clone(),
            kept,
            changes,
        });
    } else {
        ctx.ui.info(format!(
            "Destroyed {} ({} stage): {} resources",
            project.name,
            project.stage,
            doomed.len()
        ));
    }
    Ok(())
}

/// Deletes the project's dependency layer versions that no function uses,
/// and says which unused ones it kept (published within the grace period,
/// when another deploy may be attaching them). A failure (the role may not
/// list every function and layer of the account) is a warning: the deploy
/// or destroy itself is done. Returns the deleted and the kept.
pub(super) async fn prune_layers(
    ui: &crate::ui::Ui,
    aws: &crate::aws::Aws,
    project: &str,
) -> crate::aws::lambda::Pruned {
    match crate::aws::lambda::Lambda::new(aws)
        .prune_layers(project)
        .await
    {
        Ok(pruned) => {
            let n = pruned.deleted.len();
            if n > 0 {
                ui.info(format!(
                    "deleted {n} dependency layer version{} no function uses",
                    if n == 1 { "" } else { "s" }
                ));
            }
            let kept = pruned.recent.len();
            if kept > 0 {
                ui.info(format!(
                    "kept {kept} unused dependency layer version{} published in the last {} (another deploy may be attaching {}): {}; the next `lam destroy` or `lam deploy --keep-versions N` after that deletes {}",
                    if kept == 1 { "" } else { "s" },
                    match crate::aws::lambda::layer_grace().as_secs() {
                        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
                        s => format!("{s} s"),
                    },
                    if kept == 1 { "it" } else { "them" },
                    pruned.recent.join(", "),
                    if kept == 1 { "it" } else { "them" },
                ));
            }
            pruned
        }
        Err(e) => {
            ui.warn(format!(
                "could not clean up unused dependency layers: {}",
                e.problems
                    .first()
                    .map(|p| p.message.as_str())
                    .unwrap_or("unknown error")
            ));
            ui.info("hint: it needs lambda:ListLayers, ListLayerVersions, ListFunctions and DeleteLayerVersion");
            crate::aws::lambda::Pruned::default()
        }
    }
}
