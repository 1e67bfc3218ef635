//! `lam deploy`: make AWS match lam.toml.
//!
//! For each function: package it, then read what AWS holds, diff it with
//! what the project asks for, and apply the plan (or, with `--dry-run`,
//! show it). Every step reads first and changes only what differs, so a
//! rerun with nothing changed makes only read calls, and a rerun after an
//! interruption finishes the job.

use futures_util::StreamExt;
use serde::Serialize;

use crate::aws::Aws;
use crate::aws::simulate::{self, Preflight};
use crate::cli::DeployArgs;
use crate::commands::Context;
use crate::config::{Function, Project, rules};
use crate::error::{Error, Kind, Problem, Result};
use crate::package::{self, Package};
use crate::plan::actual::{Actual, Bulk, Scope};
use crate::plan::apply::{Applier, Upload, capitalise};
use crate::plan::desired::{CodeSpec, Desired};
use crate::plan::{Plan, diff::diff, permissions};
use crate::ui::{Ui, format_size};

/// A function's package, and the bucket it goes through when it is too
/// large to upload directly.
struct Packaged {
    pkg: Package,
    bucket: Option<String>,
}

pub async fn run(ctx: &Context<'_>, args: DeployArgs) -> Result<()> {
    let project = desired_project(ctx, args.env_file.as_deref())?;
    project.check_trusted_policies()?;
    project.check_public_wildcard(args.allow_public_wildcard_role)?;
    let functions = project.select(args.function.as_deref())?;
    if let Some(role) = &args.role {
        rules::check_role_arn(role)
            .map_err(|v| Error::usage(format!("--role: {}", v.message)).with_hint(v.hint))?;
    }
    warn_about_settings(ctx, &functions, args.role.is_some());
    // Package everything before the first AWS call: bad code fails fast.
    let mut packages = Vec::new();
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
        packages.push(Packaged { pkg, bucket });
    }

    for (function, packaged) in functions.iter().zip(&packages) {
        check_layer_room(function, &packaged.pkg)?;
    }

    let aws = ctx.aws(Some(&project)).await?;
    // Dependency layers: one per distinct tree, shared by every function
    // (and stage) of the project that has it. Found by content now; one
    // to publish is published only after every check below, since a
    // publish is the deploy's first write.
    let pkgs: Vec<&Package> = packages.iter().map(|p| &p.pkg).collect();
    let mut layers = ensure_layers(
        ctx.ui,
        &aws,
        &project,
        &functions,
        &pkgs,
        args.s3_bucket.as_deref(),
        true,
    )
    .await?;
    // What every function's read shares, read once.
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    let bulk = Bulk::read(&aws, &names).await?;
    // Every function is read, checked and planned first, concurrently.
    let deployer = Deployer {
        ui: ctx.ui,
        aws: &aws,
        project: &project,
        args: &args,
        bulk: &bulk,
    };
    let mut prepared: Vec<Result<Prepared>> =
        futures_util::stream::iter(functions.iter().zip(&packages))
            .map(|(function, packaged)| deployer.prepare(function, packaged, &layers))
            .buffered(args.concurrency as usize)
            .collect()
            .await;
    // Then, before the first change, whether the credentials may make
    // every call the plans will make.
    if !args.dry_run {
        preflight(ctx, &aws, &prepared, &layers).await?;
        publish_layers(
            ctx.ui,
            &aws,
            &project,
            (&functions, &packages, &mut prepared),
            args.s3_bucket.as_deref(),
            &mut layers,
        )
        .await?;
    }
    // Functions deploy concurrently, each on its own; every failure is
    // reported, not only the first.
    let outcomes: Vec<(String, Result<Deployed>)> =
        futures_util::stream::iter(functions.iter().zip(packages).zip(prepared))
            .map(|((function, packaged), prepared)| {
                let deployer = &deployer;
                async move {
                    let outcome = match prepared {
                        Ok(prepared) => deployer.deploy(function, packaged, prepared).await,
                        Err(e) => Err(e),
                    };
                    (function.key.clone(), outcome)
                }
            })
            .buffered(args.concurrency as usize)
            .collect()
            .await;
    // --keep-versions also cleans the project's dependency layers.
    if args.keep_versions.is_some() && !args.dry_run && outcomes.iter().all(|(_, o)| o.is_ok()) {
        super::destroy::prune_layers(ctx.ui, &aws, &project.name).await;
    }
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
        ctx.ui.print_value(&DeployReport {
            project: project.name.clone(),
            stage: project.stage.clone(),
            dry_run: args.dry_run,
            calls: aws.call_count(),
            layers: layers.values().cloned().collect(),
            functions: results,
        });
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

/// Settings that deploy as asked but break something on AWS.
fn warn_about_settings(ctx: &Context<'_>, functions: &[&Function], role_flag: bool) {
    for f in functions {
        if f.tracing == "Active" && (role_flag || f.role.is_some()) {
            ctx.ui.warn(format!(
                "{}: tracing = \"active\" needs xray:PutTraceSegments and xray:PutTelemetryRecords on the role you named (AWSXRayDaemonWriteAccess); lam adds them only to roles it creates",
                f.key
            ));
        }
        if let Some(level) = f
            .logging
            .system_log_level
            .as_deref()
            .filter(|l| !matches!(*l, "DEBUG" | "INFO"))
        {
            ctx.ui.warn(format!(
                "{}: system_log_level = \"{level}\" drops Lambda's REPORT lines, so `lam stats` will find no invocations",
                f.key
            ));
        }
    }
}

/// The project as deploy, status and env diff see it: `${VAR}` filled in
/// from the shell and, with `--env-file`, that file's variables added.
pub(super) fn desired_project(ctx: &Context<'_>, env_file: Option<&str>) -> Result<Project> {
    let mut project = ctx.project_with_env()?;
    if let Some(file) = env_file {
        add_env_file(&mut project, &ctx.resolve(file), file)?;
    }
    Ok(project)
}

/// What `lam deploy --output json` prints.
#[derive(Debug, Serialize)]
pub struct DeployReport {
    pub project: String,
    pub stage: String,
    pub dry_run: bool,
    /// AWS calls made, reads included.
    pub calls: usize,
    /// The dependency layers the functions use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<DepsLayer>,
    pub functions: Vec<Deployed>,
}

/// A dependency layer, as deploy found or published it.
#[derive(Debug, Clone, Serialize)]
pub struct DepsLayer {
    pub name: String,
    /// The version's ARN (None in a dry run that would publish it).
    pub arn: Option<String>,
    pub sha256: String,
    pub size: u64,
    /// Published by this deploy (a dry run: would be).
    pub published: bool,
}

/// Puts the package's dependency layer (found or to publish) in the
/// desired state.
pub(super) fn use_layer(
    desired: &mut Desired,
    pkg: &Package,
    layers: &std::collections::BTreeMap<String, DepsLayer>,
) {
    if let (Some(built), Some(wanted)) = (&pkg.layer, desired.wanted.as_mut())
        && let Some(layer) = layers.get(&built.key)
    {
        wanted.deps_layer = Some(
            layer
                .arn
                .clone()
                .unwrap_or_else(|| format!("{} (to publish)", layer.name)),
        );
        wanted.code.unzipped += built.unzipped_size;
    }
}

/// A function whose dependencies go to a layer needs room for it among
/// its layers.
pub(super) fn check_layer_room(function: &Function, pkg: &Package) -> Result<()> {
    if pkg.layer.is_some() && function.layers.len() >= MAX_LAYERS {
        return Err(Error::config(format!(
            "{} lists {} layers and its dependencies need one more; Lambda takes at most {MAX_LAYERS}",
            function.key,
            function.layers.len()
        ))
        .with_hint("set dependencies = \"zip\" under [build], or drop one of `layers`"));
    }
    Ok(())
}

/// Publishes the dependency layers still to publish, for the functions
/// whose checks passed (a function that failed them publishes nothing),
/// and plans those functions again with the published version: a pure
/// diff against what was read, with no new read.
async fn publish_layers(
    ui: &Ui,
    aws: &Aws,
    project: &Project,
    (functions, packages, prepared): (&[&Function], &[Packaged], &mut [Result<Prepared>]),
    s3_bucket: Option<&str>,
    layers: &mut std::collections::BTreeMap<String, DepsLayer>,
) -> Result<()> {
    let mut to_publish: (Vec<&Function>, Vec<&Package>) = (Vec::new(), Vec::new());
    for ((function, packaged), prepared) in functions.iter().zip(packages).zip(prepared.iter()) {
        let pending = packaged
            .pkg
            .layer
            .as_ref()
            .and_then(|l| layers.get(&l.key))
            .is_some_and(|l| l.arn.is_none());
        if pending && prepared.is_ok() {
            to_publish.0.push(function);
            to_publish.1.push(&packaged.pkg);
        }
    }
    if to_publish.0.is_empty() {
        return Ok(());
    }
    let published = ensure_layers(
        ui,
        aws,
        project,
        &to_publish.0,
        &to_publish.1,
        s3_bucket,
        false,
    )
    .await?;
    for (packaged, prepared) in packages.iter().zip(prepared.iter_mut()) {
        let (Some(built), Ok(p)) = (&packaged.pkg.layer, prepared) else {
            continue;
        };
        let Some(layer) = published.get(&built.key) else {
            continue;
        };
        if let Some(wanted) = p.desired.wanted.as_mut() {
            wanted.deps_layer = layer.arn.clone();
        }
        p.plan = diff(&p.desired, &p.actual);
    }
    layers.extend(published);
    Ok(())
}

/// Lambda's limit of layers per function.
const MAX_LAYERS: usize = 5;

/// Finds (by content hash) or publishes each distinct dependency layer.
/// With `dry_run`, publishes nothing (`lam status` and `--dry-run`).
pub(super) async fn ensure_layers(
    ui: &Ui,
    aws: &Aws,
    project: &Project,
    functions: &[&Function],
    packages: &[&Package],
    s3_bucket: Option<&str>,
    dry_run: bool,
) -> Result<std::collections::BTreeMap<String, DepsLayer>> {
    let lambda = crate::aws::lambda::Lambda::new(aws);
    let mut out = std::collections::BTreeMap::new();
    for (function, pkg) in functions.iter().zip(packages) {
        let Some(layer) = &pkg.layer else {
            continue;
        };
        if out.contains_key(&layer.key) {
            continue;
        }
        let name = crate::aws::lambda::layer_name(&project.name, &layer.key);
        let step = ui.step(format!("Layer {name}"));
        let existing = lambda.layer_with_content(&name, &layer.sha256).await?;
        let size = layer.size;
        let found = match existing {
            Some(v) => {
                step.skipped(format!("version {} has these dependencies", v.version));
                DepsLayer {
                    name,
                    arn: Some(v.arn),
                    sha256: layer.sha256.clone(),
                    size,
                    published: false,
                }
            }
            None if dry_run => {
                step.skipped("to publish (after every check)");
                DepsLayer {
                    name,
                    arn: None,
                    sha256: layer.sha256.clone(),
                    size,
                    published: true,
                }
            }
            None => {
                let bucket = s3_bucket
                    .map(str::to_string)
                    .or_else(|| function.build.s3_bucket.clone());
                let code = if size > package::DIRECT_UPLOAD_LIMIT {
                    let Some(bucket) = bucket else {
                        return Err(Error::config(format!(
                            "the dependency layer of {} is {}, over Lambda's 50 MB limit for direct uploads",
                            function.key,
                            format_size(size)
                        ))
                        .with_hint("set s3_bucket under [build] in lam.toml or pass --s3-bucket BUCKET"));
                    };
                    // Named by content: a different zip for the same tree
                    // (unpinned requirements) never meets an old object.
                    let key = format!("lam/layers/{name}/{}.zip", layer.hex_sha256());
                    crate::aws::s3::S3::new(aws)
                        .upload_once(&bucket, &key, layer.bytes()?, None)
                        .await?;
                    crate::aws::lambda::Code::S3 { bucket, key }
                } else {
                    crate::aws::lambda::Code::Zip(layer.bytes()?)
                };
                let (arn, version, sha) = lambda
                    .publish_layer(
                        &name,
                        &code,
                        &layer.sha256,
                        &layer.runtime,
                        &layer.architecture,
                    )
                    .await?;
                if sha != layer.sha256 {
                    // Its description names the hash lam meant: a version
                    // with other content must not be found by it later.
                    let _ = lambda.delete_layer_version(&name, version).await;
                    return Err(Error::aws(format!(
                        "Lambda took the layer {name} with CodeSha256 {sha}, not the package's {}",
                        layer.sha256
                    ))
                    .with_hint(
                        "the uploaded object may have been replaced; run `lam deploy` again",
                    ));
                }
                step.done(format!("published {}", format_size(size)));
                DepsLayer {
                    name,
                    arn: Some(arn),
                    sha256: layer.sha256.clone(),
                    size,
                    published: true,
                }
            }
        };
        out.insert(layer.key.clone(), found);
    }
    Ok(out)
}

/// One function's deploy, as `--output json` reports it.
#[derive(Debug, Serialize)]
pub struct Deployed {
    pub function: String,
    pub name: String,
    /// created, updated or unchanged (a dry run: create, update or unchanged).
    pub action: &'static str,
    pub arn: Option<String>,
    pub role: Option<String>,
    pub version: Option<String>,
    pub alias: String,
    pub url: Option<String>,
    pub api_id: Option<String>,
    pub code_sha256: String,
    pub code_size: u64,
    pub code_changed: bool,
    pub configuration_changed: Vec<&'static str>,
    /// The plan: typed changes, as `lam status` and `--dry-run` show them.
    pub changes: Vec<crate::plan::Change>,
}

/// A function's desired state, what AWS holds, and the plan between them.
struct Prepared {
    desired: Desired,
    actual: Actual,
    plan: Plan,
}

struct Deployer<'a> {
    ui: &'a Ui,
    aws: &'a Aws,
    project: &'a Project,
    args: &'a DeployArgs,
    bulk: &'a Bulk,
}

impl Deployer<'_> {
    /// Reads what AWS holds for `function` and plans the changes.
    /// `layers`: the dependency layers by tree key, found or to publish.
    async fn prepare(
        &self,
        function: &Function,
        packaged: &Packaged,
        layers: &std::collections::BTreeMap<String, DepsLayer>,
    ) -> Result<Prepared> {
        let pkg = &packaged.pkg;
        let code = CodeSpec {
            sha256: pkg.sha256.clone(),
            size: pkg.bytes.len() as u64,
            unzipped: pkg.unzipped_size,
        };
        let mut desired = Desired::deploy(self.project, function, code, self.args.role.as_deref());
        desired.keep_versions = self.args.keep_versions;
        desired.adopt = self.args.adopt;
        use_layer(&mut desired, pkg, layers);

        let step = self.ui.step(format!("Read {}", function.name));
        let actual = Actual::read_with(self.aws, &desired, Scope::All, self.bulk).await?;
        let plan = diff(&desired, &actual);
        step.done(match (&actual.function, plan.is_empty()) {
            (None, _) => "not deployed yet".to_string(),
            (Some(_), true) => "up to date".to_string(),
            (Some(_), false) => format!("{} to make", plural(plan.changes.len())),
        });
        if let Some(err) = plan.blocked_error() {
            return Err(err);
        }
        if let crate::plan::desired::RoleChoice::Named(arn) = desired
            .wanted
            .as_ref()
            .map(|w| &w.role)
            .unwrap_or(&crate::plan::desired::RoleChoice::Lam)
        {
            let reads_queues = function.triggers.iter().any(|t| t.kind() == "sqs");
            if !function.secrets.is_empty() || !function.policy.is_empty() || reads_queues {
                self.ui.warn(format!(
                    "{} uses the role {arn}, which lam does not change: grant it what [secrets], policy and sqs triggers need yourself",
                    function.name
                ));
            }
        }

        Ok(Prepared {
            desired,
            actual,
            plan,
        })
    }

    /// Carries a prepared plan out.
    async fn deploy(
        &self,
        function: &Function,
        packaged: Packaged,
        prepared: Prepared,
    ) -> Result<Deployed> {
        let Prepared {
            desired,
            actual,
            plan,
        } = prepared;
        if plan.is_empty() || self.args.dry_run {
            return self
                .apply(function, &packaged, &desired, &actual, &plan)
                .await;
        }
        // One deploy of a function at a time, whichever machine runs it:
        // taken only when there is something to change, so an unchanged
        // deploy makes no lock call. An update reads again under the lock,
        // since another deploy may have changed the function meanwhile; a
        // create needs no second look (AWS refuses to create what another
        // deploy created first).
        let lock =
            crate::aws::lock::acquire(self.aws, &function.name, &|w| self.ui.warn(w)).await?;
        let outcome = async {
            let (actual, plan) = if actual.function.is_some() && lock.is_some() {
                let actual = Actual::read(self.aws, &desired, Scope::All).await?;
                let plan = diff(&desired, &actual);
                if let Some(err) = plan.blocked_error() {
                    return Err(err);
                }
                (actual, plan)
            } else {
                (actual, plan)
            };
            self.apply(function, &packaged, &desired, &actual, &plan)
                .await
        }
        .await;
        if let Some(lock) = lock {
            lock.release().await;
        }
        outcome
    }

    async fn apply(
        &self,
        function: &Function,
        packaged: &Packaged,
        desired: &Desired,
        actual: &Actual,
        plan: &Plan,
    ) -> Result<Deployed> {
        let pkg = &packaged.pkg;
        let action = match (&actual.function, plan.is_empty()) {
            (None, _) => "create",
            (Some(_), false) => "update",
            (Some(_), true) => "unchanged",
        };
        if self.args.dry_run {
            self.ui.info(if plan.is_empty() {
                format!("{}: nothing to change", function.name)
            } else {
                format!("would change {plan}")
            });
            return Ok(self.report(function, pkg, plan, action, None, actual, desired));
        }

        let applier = Applier {
            aws: self.aws,
            ui: self.ui,
            desired,
            actual,
            upload: Some(Upload {
                bytes: &pkg.bytes,
                bucket: packaged.bucket.as_deref(),
            }),
        };
        let applied = applier.apply(plan).await?;
        // A lam dev session that was killed left the relay in place: the
        // plan above put the function back; what the session made goes.
        if actual.function.as_ref().is_some_and(|f| f.dev.is_some()) {
            let dev = crate::aws::dev::DevAws::new(self.aws);
            let names = crate::dev::Names::of(&function.name);
            let now = dev.lambda.get(&function.name).await?;
            super::dev::cleanup(&dev, &names, now.as_ref()).await?;
            let account = self.aws.account().await?;
            crate::dev::RestorePoint::remove(&account, self.aws.region(), &function.name);
            self.ui.info(format!(
                "{}: ended the lam dev session left running",
                function.name
            ));
        }
        let action = match action {
            "create" => "created",
            "update" => "updated",
            other => other,
        };
        if !self.ui.json {
            let mut line = format!(
                "{} {} ({} stage): version {} as {}, code {}",
                capitalise(action),
                function.name,
                self.project.stage,
                applied.version.as_deref().unwrap_or("-"),
                function.alias,
                format_size(pkg.bytes.len() as u64)
            );
            line.push_str(&format!("\n  arn:     {}", applied.function_arn));
            if let Some(url) = &applied.url {
                line.push_str(&format!("\n  url:     {url}"));
            }
            if !plan.is_empty() {
                let changes: Vec<String> = plan.changes.iter().map(ToString::to_string).collect();
                line.push_str(&format!("\n  changed: {}", changes.join("; ")));
            }
            self.ui.info(line);
        }
        Ok(self.report(function, pkg, plan, action, Some(&applied), actual, desired))
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        function: &Function,
        pkg: &Package,
        plan: &Plan,
        action: &'static str,
        applied: Option<&crate::plan::apply::Applied>,
        actual: &Actual,
        desired: &Desired,
    ) -> Deployed {
        Deployed {
            function: function.key.clone(),
            name: function.name.clone(),
            action,
            arn: applied
                .map(|a| a.function_arn.clone())
                .or_else(|| actual.function.as_ref().map(|f| f.arn.clone())),
            role: applied.and_then(|a| a.role_arn.clone()).or_else(|| {
                desired
                    .wanted
                    .as_ref()
                    .map(|w| crate::plan::diff::settings(desired, w, actual).role)
            }),
            version: applied
                .and_then(|a| a.version.clone())
                .or_else(|| actual.alias_version.clone()),
            alias: function.alias.clone(),
            url: applied.and_then(|a| a.url.clone()),
            api_id: applied.and_then(|a| a.api_id.clone()),
            code_sha256: pkg.sha256.clone(),
            code_size: pkg.bytes.len() as u64,
            code_changed: plan.code_changed(),
            configuration_changed: plan.configuration_changed(),
            changes: plan.changes.clone(),
        }
    }
}

/// The pre-flight permission check over every plan: refused with the
/// exact missing actions before anything changes; said and skipped when
/// the simulator cannot be asked.
async fn preflight(
    ctx: &Context<'_>,
    aws: &Aws,
    prepared: &[Result<Prepared>],
    layers: &std::collections::BTreeMap<String, DepsLayer>,
) -> Result<()> {
    let mut needs: Vec<permissions::Need> = Vec::new();
    for p in prepared.iter().flatten() {
        permissions::merge(
            &mut needs,
            permissions::needed(&p.plan, &p.desired, &p.actual),
        );
    }
    // The dependency layers still to publish: the deploy's first write
    // (Service Authorization Reference: PublishLayerVersion on a `layer`).
    if let Some(actual) = prepared.iter().flatten().map(|p| &p.actual).next() {
        for layer in layers.values().filter(|l| l.arn.is_none()) {
            needs.push(permissions::Need {
                action: "lambda:PublishLayerVersion",
                resources: vec![format!(
                    "arn:{}:lambda:{}:{}:layer:{}",
                    actual.partition(),
                    actual.region,
                    actual.account,
                    layer.name
                )],
            });
        }
    }
    match simulate::check(aws, &needs).await {
        Preflight::Allowed => Ok(()),
        Preflight::Denied => {
            ctx.ui.info(
                "note: permissions not checked before the first change: the credentials may not call iam:SimulatePrincipalPolicy",
            );
            Ok(())
        }
        Preflight::Unchecked(why) => {
            ctx.ui
                .debug(format!("permissions not checked beforehand: {why}"));
            Ok(())
        }
        Preflight::Missing(missing) => {
            let principal = aws.caller().await.map(|(_, arn)| arn).unwrap_or_default();
            let n = missing.len();
            let problems = missing
                .into_iter()
                .enumerate()
                .map(|(i, (action, resource, explicit))| Problem {
                    message: format!(
                        "the credentials may not call {action} on {resource}{}",
                        if explicit { " (an explicit Deny)" } else { "" }
                    ),
                    hint: (i + 1 == n).then(|| {
                        format!(
                            "nothing was changed; grant {} {} (IAM's policy simulator found {n} missing), or deploy with credentials that have them",
                            crate::terminal::escape(&principal),
                            if n == 1 { "this action" } else { "these actions" },
                        )
                    }),
                })
                .collect();
            Err(Error::many(Kind::Aws, problems))
        }
    }
}

fn plural(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
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

#[cfg(test)]
mod words_tests {
    #[test]
    fn one_change_is_singular() {
        assert_eq!(super::plural(1), "1 change");
        assert_eq!(super::plural(3), "3 changes");
    }
}
