//! `lam status`: what is deployed for the stage, and whether it matches the
//! project here. Drift is a non-empty plan: status reads and diffs exactly
//! as `lam deploy` does, and shows the same typed changes.

use serde::Serialize;

use crate::aws::http_api::HttpApis;
use crate::aws::lambda::Provisioned;
use crate::aws::rest_api::RestApis;
use crate::cli::StatusArgs;
use crate::commands::Context;
use crate::config::{ApiKind, rules};
use crate::error::{Error, Result};
use crate::package;
use crate::plan::actual::{Actual, Bulk, Scope};
use crate::plan::desired::{CodeSpec, Desired};
use crate::plan::{Change, diff::diff};
use crate::ui::format_size;

/// What `lam status --output json` prints.
#[derive(Debug, Serialize)]
struct StatusReport {
    stage: String,
    /// Every function in sync: `status --check` exits 0.
    in_sync: bool,
    functions: Vec<FunctionStatus>,
}

/// One function's status, as `--output json` reports it.
#[derive(Debug, Serialize)]
struct FunctionStatus {
    function: String,
    name: String,
    deployed: bool,
    /// Nothing to change: a deploy now would make read calls only.
    in_sync: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    memory: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    architecture: Option<String>,
    /// /tmp in MB.
    #[serde(skip_serializing_if = "Option::is_none")]
    ephemeral_storage: Option<u32>,
    /// X-Ray: PassThrough or Active.
    #[serde(skip_serializing_if = "Option::is_none")]
    tracing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reserved_concurrency: Option<u32>,
    /// On the alias: requested, allocated, status.
    #[serde(skip_serializing_if = "Option::is_none")]
    provisioned_concurrency: Option<Provisioned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapstart: Option<bool>,
    /// Text or JSON, and where the logs go.
    #[serde(skip_serializing_if = "Option::is_none")]
    log_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    alias: String,
    version: Option<String>,
    url: Option<String>,
    triggers: Vec<String>,
    env_keys: Vec<String>,
    local_code_differs: bool,
    /// False when the dependencies are not installed here: status installs
    /// nothing, so the local code was not compared.
    code_compared: bool,
    configuration_differs: Vec<&'static str>,
    /// The plan `lam deploy` would carry out.
    changes: Vec<Change>,
    /// A `lam dev` session's state, when the function is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    dev: Option<String>,
}

pub async fn run(ctx: &Context<'_>, args: StatusArgs) -> Result<()> {
    let project = super::deploy::desired_project(ctx, args.env_file.as_deref())?;
    let functions = project.select(args.function.as_deref())?;
    if let Some(role) = &args.role {
        rules::check_role_arn(role)
            .map_err(|v| Error::usage(format!("--role: {}", v.message)).with_hint(v.hint))?;
    }
    // Nothing is installed to compare: without cached dependencies the
    // code is not compared (and no package manager runs).
    let mut packages = Vec::new();
    for function in &functions {
        packages.push(package::build_cached(&project.root, function, ctx.ui)?);
    }
    let aws = ctx.aws(Some(&project)).await?;
    let (with_pkg, pkgs): (Vec<&crate::config::Function>, Vec<&package::Package>) = functions
        .iter()
        .zip(&packages)
        .filter_map(|(f, p)| Some((*f, p.as_ref()?)))
        .unzip();
    let layers =
        super::deploy::ensure_layers(ctx.ui, &aws, &project, &with_pkg, &pkgs, None, true).await?;
    let project_name = project.name.as_str();
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    let bulk = Bulk::read(&aws, &names).await?;
    let bulk = &bulk;
    let reads = functions.iter().zip(&packages).map(|(function, pkg)| {
        let code = match pkg {
            Some(pkg) => CodeSpec {
                sha256: pkg.sha256.clone(),
                size: pkg.bytes.len() as u64,
                unzipped: pkg.unzipped_size,
            },
            None => CodeSpec {
                sha256: String::new(),
                size: 0,
                unzipped: 0,
            },
        };
        let mut desired = Desired::deploy(&project, function, code, args.role.as_deref());
        if let Some(pkg) = pkg {
            super::deploy::use_layer(&mut desired, pkg, &layers);
        }
        let aws = &aws;
        async move {
            let actual = Actual::read_with(aws, &desired, Scope::All, bulk).await?;
            // Not compared: the code, and lam's dependency layer, count as
            // what is deployed.
            if pkg.is_none()
                && let (Some(w), Some(f)) = (desired.wanted.as_mut(), actual.function.as_ref())
            {
                w.code.sha256 = f.code_sha256.clone();
                w.deps_layer = f
                    .settings
                    .layers
                    .iter()
                    .find(|arn| crate::aws::lambda::is_project_layer_version(arn, project_name))
                    .cloned();
            }
            Ok::<_, Error>((desired, actual))
        }
    });
    let states = crate::plan::actual::read_each(reads)
        .await
        .into_iter()
        .collect::<Result<Vec<_>>>()?;

    let mut report = Vec::new();
    for ((function, (desired, actual)), pkg) in functions.iter().zip(states).zip(&packages) {
        let plan = diff(&desired, &actual);
        let url = match function.api.as_ref().map(|a| a.kind) {
            Some(ApiKind::Rest) => actual
                .rest
                .as_ref()
                .map(|r| RestApis::new(&aws).url(&r.id, &project.stage)),
            Some(ApiKind::Http) => actual
                .http
                .as_ref()
                .map(|h| HttpApis::new(&aws).url(&h.id, h.endpoint.as_deref())),
            Some(ApiKind::Url) => actual.url.as_ref().map(|u| u.url.clone()),
            _ => None,
        };
        let d = actual.function.as_ref();
        let dev = match d.and_then(|d| d.dev.as_deref()) {
            Some(mark) => Some(dev_state(&aws, &function.name, mark).await?),
            None => None,
        };
        let status = FunctionStatus {
            function: function.key.clone(),
            name: function.name.clone(),
            deployed: d.is_some(),
            in_sync: plan.is_empty(),
            arn: d.map(|d| d.arn.clone()),
            runtime: d.map(|d| d.settings.runtime.clone()),
            memory: d.map(|d| d.settings.memory),
            timeout: d.map(|d| d.settings.timeout),
            architecture: d.map(|d| d.settings.architecture.clone()),
            ephemeral_storage: d.map(|d| d.settings.ephemeral_storage),
            tracing: d.map(|d| d.settings.tracing.clone()),
            reserved_concurrency: d.and_then(|d| d.reserved_concurrency),
            provisioned_concurrency: match &actual.provisioned {
                Provisioned::None => None,
                p => Some(p.clone()),
            },
            snapstart: d.map(|d| d.settings.snapstart),
            log_format: d.map(|d| d.settings.log_format.clone()),
            log_group: d.map(|d| d.settings.log_group.clone()),
            code_size: d.map(|d| d.code_size),
            code_sha256: d.map(|d| d.code_sha256.clone()),
            last_modified: d.map(|d| d.last_modified.clone()),
            alias: function.alias.clone(),
            version: actual.alias_version.clone(),
            url,
            triggers: function.triggers.iter().map(|t| t.describe()).collect(),
            env_keys: d
                .map(|d| d.settings.env.keys().cloned().collect())
                .unwrap_or_default(),
            local_code_differs: plan.code_changed(),
            code_compared: pkg.is_some(),
            configuration_differs: plan.configuration_changed(),
            changes: plan.changes.clone(),
            dev,
        };
        if !ctx.ui.json {
            print_human(&status, &project.stage);
        }
        report.push(status);
    }
    let drift = report.iter().any(|s| !s.in_sync);
    if ctx.ui.json {
        ctx.ui.print_value(&StatusReport {
            stage: project.stage.clone(),
            in_sync: !drift,
            functions: report,
        });
    }
    if args.check && drift {
        return Err(
            Error::function("what is deployed differs from the project here")
                .with_hint("run `lam deploy --dry-run` to see the plan, `lam deploy` to apply it"),
        );
    }
    Ok(())
}

/// "dev mode active since <time>, lam dev running" (or not running): the
/// function's mark and the session's heartbeat.
async fn dev_state(aws: &crate::aws::Aws, function: &str, mark: &str) -> Result<String> {
    let names = crate::dev::Names::of(function);
    let (session, since) = mark.split_once(' ').unwrap_or((mark, "0"));
    let since: u64 = since.parse().unwrap_or_default();
    let beat = crate::aws::dev::DevAws::new(aws)
        .last_heartbeat(&names)
        .await?;
    // A session of this machine whose process is gone is not running,
    // however fresh its last heartbeat.
    let account = aws.account().await?;
    let here = crate::dev::RestorePoint::load(&account, aws.region(), function)
        .ok()
        .flatten()
        .filter(|p| p.session == session);
    let gone_here = here.is_some_and(|p| !crate::aws::lock::alive(p.pid));
    let running = !gone_here
        && beat.is_some_and(|(s, age)| s == session && age <= crate::dev::HEARTBEAT_STALE_SECS);
    Ok(format!(
        "dev mode active since {}, lam dev {}; the session's resources: queues {}*, parameter {}, inline policy {} on the role, objects under s3://{}/{}",
        crate::clock::iso(since as i64 * 1000),
        if running {
            "running"
        } else {
            "not running (lam dev --stop, or lam deploy, puts the code back)"
        },
        names.request_queue,
        names.heartbeat,
        names.policy,
        crate::dev::Names::bucket(&account, aws.region()),
        // The session id is read back from the function's tag: the human
        // output escapes it (terminal::print), JSON encodes it.
        names.spill_prefix(session)
    ))
}

fn print_human(s: &FunctionStatus, stage: &str) {
    let Some(arn) = &s.arn else {
        crate::terminal::print(format!("{}  not deployed (stage {stage})", s.name));
        for c in &s.changes {
            crate::terminal::print(format!("  would {c}"));
        }
        return;
    };
    let local = match (s.local_code_differs, s.configuration_differs.is_empty()) {
        _ if s.in_sync => "matches local code and lam.toml".to_string(),
        (false, true) => "lam.toml differs".to_string(),
        (true, true) => "local code differs".to_string(),
        (false, false) => format!("lam.toml differs: {}", s.configuration_differs.join(", ")),
        (true, false) => format!(
            "local code and lam.toml differ: {}",
            s.configuration_differs.join(", ")
        ),
    };
    crate::terminal::print(format!("{arn}  {local}"));
    if let Some(dev) = &s.dev {
        crate::terminal::print(format!("  {dev}"));
    }
    if !s.code_compared {
        crate::terminal::print(
            "  local code not compared: its dependencies are not installed here (`lam build` installs them)",
        );
    }
    crate::terminal::print(format!(
        "  {}  {} MB  {} s  {}  code {} ({})",
        s.runtime.as_deref().unwrap_or_default(),
        s.memory.unwrap_or_default(),
        s.timeout.unwrap_or_default(),
        s.architecture.as_deref().unwrap_or_default(),
        format_size(s.code_size.unwrap_or_default().max(0) as u64),
        s.code_sha256.as_deref().unwrap_or_default()
    ));
    crate::terminal::print(format!(
        "  alias {} → {}",
        s.alias,
        s.version
            .as_deref()
            .unwrap_or("(none: not deployed by lam deploy)")
    ));
    crate::terminal::print(format!(
        "  /tmp {} MB  tracing {}  reserved concurrency {}  SnapStart {}",
        s.ephemeral_storage.unwrap_or(512),
        s.tracing.as_deref().unwrap_or("PassThrough"),
        s.reserved_concurrency
            .map_or_else(|| "none".to_string(), |n| n.to_string()),
        if s.snapstart == Some(true) {
            "on"
        } else {
            "off"
        }
    ));
    match &s.provisioned_concurrency {
        Some(Provisioned::Configured {
            requested,
            allocated,
            status,
            reason,
            ..
        }) => crate::terminal::print(format!(
            "  provisioned concurrency {requested} on {}: {allocated} allocated ({status}){}",
            s.alias,
            reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        )),
        Some(Provisioned::Unsupported) => crate::terminal::print(
            "  provisioned concurrency: unknown (this endpoint has no such API)",
        ),
        _ => {}
    }
    if let (Some(format), Some(group)) = (&s.log_format, &s.log_group) {
        crate::terminal::print(format!("  logs {format} to {group}"));
    }
    if let Some(url) = &s.url {
        crate::terminal::print(format!("  endpoint {url}"));
    }
    for t in &s.triggers {
        crate::terminal::print(format!("  trigger {t}"));
    }
    crate::terminal::print(format!(
        "  last modified {}",
        s.last_modified.as_deref().unwrap_or_default()
    ));
    crate::terminal::print(format!(
        "  env: {}",
        if s.env_keys.is_empty() {
            "(none)".to_string()
        } else {
            s.env_keys.join(", ")
        }
    ));
    if !s.changes.is_empty() {
        crate::terminal::print("  lam deploy would:");
        for c in &s.changes {
            crate::terminal::print(format!("    {c}"));
        }
    }
}
