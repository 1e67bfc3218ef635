//! `lam deploy --watch`: deploy, then keep `$LATEST` in step with the
//! project until Ctrl-C.
//!
//! - a code edit: the package is rebuilt and UpdateFunctionCode sends it
//!   to `$LATEST` (no version published, the alias stays);
//! - a requirement edit: the dependencies are installed again, their layer
//!   published, and `$LATEST` pointed at it (code and layers only);
//! - a lam.toml edit: the full diff deploy, as `lam deploy` runs it.
//!
//! Files are polled (stat only) every 100 ms; a change is synced once the
//! files have stood still for 50 ms, so an editor's burst of writes, or
//! changes made while a sync runs, become one sync.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::aws::Aws;
use crate::aws::lambda::{Code, Lambda};
use crate::cli::{DeployArgs, LogsArgs};
use crate::commands::Context;
use crate::config::{Function, Project};
use crate::error::{Error, Result};
use crate::package::{self, Package};
use crate::plan::actual::{Actual, Scope};
use crate::plan::apply::{Applier, Upload};
use crate::plan::desired::{CodeSpec, Desired};
use crate::plan::{Change, Plan, diff::diff};
use crate::ui::format_size;

const POLL: Duration = Duration::from_millis(100);
const SETTLE: Duration = Duration::from_millis(50);

pub async fn run(ctx: &Context<'_>, args: DeployArgs) -> Result<()> {
    let project = super::deploy::desired_project(ctx, args.env_file.as_deref())?;
    project.check_trusted_policies()?;
    project.check_public_wildcard(args.allow_public_wildcard_role)?;
    if project.protected && !args.force {
        return Err(Error::usage(format!(
            "stage {} is protected: lam deploy --watch does not sync it",
            project.stage
        ))
        .with_hint("deploy it with `lam deploy`, or pass --force to watch it all the same"));
    }
    let once = DeployArgs {
        watch: false,
        ..args.clone()
    };
    let mut watch = Watch::new(ctx, project, once.clone()).await?;
    // Seen before the first deploy: an edit made while it runs is synced
    // after it.
    let seen = watch.snapshot();
    super::deploy::run(ctx, once).await?;
    watch.remember_deployed().await;

    // The first Ctrl-C stops watching once a sync under way has finished;
    // a second one exits at once.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("interrupted again: exiting now");
                std::process::exit(130);
            }
        }
    });
    ctx.ui.info(format!(
        "Watching {} for changes (Ctrl-C to stop). Code and requirement edits go to $LATEST only: the {} alias keeps serving the last published version until a full deploy (`lam deploy`, or an edit of lam.toml here).",
        watch.project.root.display(),
        watch
            .functions()
            .first()
            .map(|f| f.alias.as_str())
            .unwrap_or("live"),
    ));
    let logs = async {
        if !args.logs {
            return Ok(());
        }
        let logs = LogsArgs {
            function: args.function.clone(),
            follow: true,
            poll: false,
            since: "1m".into(),
            until: None,
            filter: None,
            request_id: None,
            format: None,
        };
        super::logs::run(ctx, logs).await
    };
    let (watched, followed) = tokio::join!(watch.run(&stop, seen), logs);
    watched?;
    followed?;
    ctx.ui.info(format!(
        "Stopped watching after {} sync{}; run `lam deploy` to publish them to the alias.",
        watch.syncs,
        if watch.syncs == 1 { "" } else { "s" }
    ));
    Ok(())
}

/// A file's size and modification time: what tells a change.
type Stamp = (u64, Option<SystemTime>);

/// What a changed file means. The order is the order syncs look at them:
/// a function's requirements before its code (a sync of the requirements
/// sends the code too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// lam.toml or the --env-file.
    Project,
    /// The function's requirement files (index into the selected functions).
    Requirements(usize),
    /// The function's code.
    Code(usize),
}

#[derive(Default, PartialEq)]
struct Snapshot {
    stamps: BTreeMap<PathBuf, Stamp>,
    kinds: BTreeMap<PathBuf, Vec<Kind>>,
}

/// One sync, as `--output json` prints it (one object per line).
#[derive(Debug, Serialize)]
struct Synced {
    changed: Vec<String>,
    function: Option<String>,
    calls: Vec<String>,
    ms: u128,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

struct Watch<'a> {
    ctx: &'a Context<'a>,
    project: Project,
    args: DeployArgs,
    aws: Aws,
    /// The CodeSha256 `$LATEST` has, by function key.
    synced: BTreeMap<String, String>,
    /// Functions whose last sync failed: the next one goes through the
    /// plan (code, layers and configuration), not code alone.
    dirty: BTreeSet<String>,
    syncs: usize,
}

impl<'a> Watch<'a> {
    async fn new(ctx: &'a Context<'a>, project: Project, args: DeployArgs) -> Result<Watch<'a>> {
        let aws = ctx.aws(Some(&project)).await?;
        Ok(Watch {
            ctx,
            project,
            args,
            aws,
            synced: BTreeMap::new(),
            dirty: BTreeSet::new(),
            syncs: 0,
        })
    }

    fn functions(&self) -> Vec<&Function> {
        self.project
            .select(self.args.function.as_deref())
            .unwrap_or_default()
    }

    /// The CodeSha256 `$LATEST` holds after a deploy, as Lambda reports it
    /// (not what the files build now: they may have changed meanwhile).
    async fn remember_deployed(&mut self) {
        let lambda = Lambda::new(&self.aws);
        let mut synced = BTreeMap::new();
        for f in self.functions() {
            if let Ok(Some(deployed)) = lambda.version(&f.name, "$LATEST").await {
                synced.insert(f.key.clone(), deployed.code_sha256);
            }
        }
        self.synced = synced;
    }

    fn snapshot(&self) -> Snapshot {
        let mut snap = Snapshot::default();
        let add = |snap: &mut Snapshot, path: PathBuf, kind: Kind| {
            let stamp = std::fs::metadata(&path)
                .map(|m| (m.len(), m.modified().ok()))
                .unwrap_or((0, None));
            snap.stamps.insert(path.clone(), stamp);
            snap.kinds.entry(path).or_default().push(kind);
        };
        add(&mut snap, self.project.root.join("lam.toml"), Kind::Project);
        if let Some(file) = &self.args.env_file {
            add(&mut snap, self.ctx.resolve(file), Kind::Project);
        }
        for (i, f) in self.functions().iter().enumerate() {
            for manifest in package::deps::MANIFESTS {
                add(&mut snap, f.source.join(manifest), Kind::Requirements(i));
            }
            if let Ok(selection) = package::selection(f) {
                for file in selection.files {
                    if package::deps::MANIFESTS.contains(&file.name.as_str()) {
                        continue;
                    }
                    add(&mut snap, file.source, Kind::Code(i));
                }
            }
        }
        snap
    }

    async fn run(&mut self, stop: &AtomicBool, mut seen: Snapshot) -> Result<()> {
        let stopped = || stop.load(Ordering::SeqCst);
        while !stopped() {
            tokio::time::sleep(POLL).await;
            if stopped() {
                break;
            }
            let mut now = self.snapshot();
            if now == seen {
                continue;
            }
            let started = Instant::now();
            // Wait for the writes to stop: one sync for a burst.
            loop {
                tokio::time::sleep(SETTLE).await;
                if stopped() {
                    return Ok(());
                }
                let again = self.snapshot();
                if again == now {
                    break;
                }
                now = again;
            }
            let changes = changed(&seen, &now);
            seen = now;
            self.sync(changes, started).await;
            // What changed while the sync ran is picked up by the next pass.
        }
        Ok(())
    }

    /// Syncs one batch of changes; a failure is reported and watching goes on.
    async fn sync(&mut self, changes: BTreeMap<Kind, Vec<String>>, started: Instant) {
        self.syncs += 1;
        let before = self.aws.call_count();
        let project_changed = changes.contains_key(&Kind::Project);
        let mut lines = Vec::new();
        if project_changed {
            let files = changes[&Kind::Project].clone();
            let result = self.full_deploy().await;
            lines.push((files, None, result));
        } else {
            // Per function: requirements first (they rebuild the code too).
            let mut done = BTreeSet::new();
            for (kind, files) in &changes {
                let (i, requirements) = match kind {
                    Kind::Requirements(i) => (*i, true),
                    Kind::Code(i) => (*i, false),
                    Kind::Project => continue,
                };
                if !done.insert(i) {
                    continue;
                }
                let mut files = files.clone();
                if requirements && let Some(code) = changes.get(&Kind::Code(i)) {
                    files.extend(code.iter().cloned());
                }
                let Some(function) = self.functions().get(i).map(|f| (*f).clone()) else {
                    continue;
                };
                let result = self.sync_function(&function, requirements).await;
                if result.is_err() {
                    // What $LATEST holds is not known now.
                    self.synced.remove(&function.key);
                    self.dirty.insert(function.key.clone());
                }
                lines.push((files, Some(function.key.clone()), result));
            }
        }
        let calls = self.aws.calls_since(before);
        for (files, function, result) in lines {
            let ms = started.elapsed().as_millis();
            let (said, error) = match result {
                Ok(said) => (said, None),
                Err(e) => (String::new(), Some(e.to_string().replace('\n', " / "))),
            };
            if self.ctx.ui.json {
                // One object per line, whatever stdout is.
                let synced = Synced {
                    changed: files,
                    function: function.clone(),
                    calls: calls.clone(),
                    ms,
                    error: error.clone(),
                };
                if let Ok(line) = serde_json::to_string(&synced) {
                    println!("{line}");
                }
                continue;
            }
            let clock = crate::clock::time_of_day(crate::clock::now_ms());
            let who = function.map(|f| format!("{f}: ")).unwrap_or_default();
            let files = files.join(", ");
            match error {
                None => self
                    .ctx
                    .ui
                    .info(format!("{clock} {who}{files} changed → {said} in {ms} ms")),
                Some(e) => self.ctx.ui.warn(format!(
                    "{clock} {who}{files} changed → not synced ({e}); fix it and save again"
                )),
            }
        }
    }

    /// lam.toml changed: the project is read again and deployed as
    /// `lam deploy` would.
    async fn full_deploy(&mut self) -> Result<String> {
        let project = super::deploy::desired_project(self.ctx, self.args.env_file.as_deref())?;
        if project.protected && !self.args.force {
            return Err(
                Error::usage(format!("stage {} is now protected", project.stage))
                    .with_hint("restart with --force to keep watching it"),
            );
        }
        self.project = project;
        super::deploy::run(self.ctx, self.args.clone()).await?;
        self.remember_deployed().await;
        self.dirty.clear();
        Ok("full deploy (a version published, the alias moved)".into())
    }

    /// Code (and, with `requirements`, the dependencies) to `$LATEST`.
    async fn sync_function(&mut self, function: &Function, requirements: bool) -> Result<String> {
        let quiet = crate::ui::Ui::quiet_like(self.ctx.ui);
        let pkg = package::build(&self.project.root, function, &quiet)?;
        let small = (pkg.bytes.len() as u64) <= package::DIRECT_UPLOAD_LIMIT;
        if !requirements && small && !self.dirty.contains(&function.key) {
            if self.synced.get(&function.key) == Some(&pkg.sha256) {
                return Ok("code unchanged, nothing sent".into());
            }
            let sha = Lambda::new(&self.aws)
                .update_code(
                    &function.name,
                    &Code::Zip(pkg.bytes.clone()),
                    function.architecture.as_str(),
                )
                .await?;
            if sha != pkg.sha256 {
                return Err(Error::aws(format!(
                    "Lambda took code with CodeSha256 {sha}, not the package's {}",
                    pkg.sha256
                ))
                .with_hint("save the file again to send it once more"));
            }
            self.synced.insert(function.key.clone(), sha);
            return Ok(format!(
                "UpdateFunctionCode ({})",
                format_size(pkg.bytes.len() as u64)
            ));
        }
        self.sync_through_plan(function, &pkg).await
    }

    /// The deploy plan's code and configuration changes only: no version,
    /// no alias move. Publishes the dependency layer when it is new.
    async fn sync_through_plan(&mut self, function: &Function, pkg: &Package) -> Result<String> {
        super::deploy::check_layer_room(function, pkg)?;
        let mut said = Vec::new();
        let layers = super::deploy::ensure_layers(
            self.ctx.ui,
            &self.aws,
            &self.project,
            &[function],
            &[pkg],
            self.args.s3_bucket.as_deref(),
            false,
        )
        .await?;
        for layer in layers.values().filter(|l| l.published) {
            said.push(format!(
                "layer {} published ({})",
                layer.name,
                format_size(layer.size)
            ));
        }
        let code = CodeSpec {
            sha256: pkg.sha256.clone(),
            size: pkg.bytes.len() as u64,
            unzipped: pkg.unzipped_size,
        };
        let mut desired = Desired::deploy(&self.project, function, code, self.args.role.as_deref());
        super::deploy::use_layer(&mut desired, pkg, &layers);
        let actual = Actual::read(&self.aws, &desired, Scope::All).await?;
        let plan = diff(&desired, &actual);
        if let Some(err) = plan.blocked_error() {
            return Err(err);
        }
        let plan = Plan {
            changes: plan
                .changes
                .into_iter()
                .filter(|c| {
                    matches!(
                        c,
                        Change::UploadCode { .. } | Change::UpdateConfiguration { .. }
                    )
                })
                .collect(),
            ..plan
        };
        let bucket = if pkg.bytes.len() as u64 > package::DIRECT_UPLOAD_LIMIT {
            self.args
                .s3_bucket
                .clone()
                .or_else(|| function.build.s3_bucket.clone())
        } else {
            None
        };
        Applier {
            aws: &self.aws,
            ui: self.ctx.ui,
            desired: &desired,
            actual: &actual,
            upload: Some(Upload {
                bytes: &pkg.bytes,
                bucket: bucket.as_deref(),
            }),
        }
        .apply(&plan)
        .await?;
        for c in &plan.changes {
            said.push(match c {
                Change::UploadCode { size, .. } => {
                    format!("UpdateFunctionCode ({})", format_size(*size))
                }
                Change::UpdateConfiguration { fields, .. } => format!(
                    "UpdateFunctionConfiguration ({})",
                    fields
                        .iter()
                        .map(|f| f.field)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                other => other.to_string(),
            });
        }
        self.synced.insert(function.key.clone(), pkg.sha256.clone());
        self.dirty.remove(&function.key);
        if said.is_empty() {
            said.push("nothing to change".into());
        }
        Ok(said.join(", "))
    }
}

/// The files that differ between two snapshots, by what they mean.
fn changed(before: &Snapshot, after: &Snapshot) -> BTreeMap<Kind, Vec<String>> {
    let mut out: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
    let paths: BTreeSet<&PathBuf> = before.stamps.keys().chain(after.stamps.keys()).collect();
    for path in paths {
        if before.stamps.get(path) == after.stamps.get(path) {
            continue;
        }
        let kinds = after.kinds.get(path).or_else(|| before.kinds.get(path));
        for kind in kinds.into_iter().flatten() {
            out.entry(*kind).or_default().push(shown(path));
        }
    }
    out
}

fn shown(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(files: &[(&str, u64, Kind)]) -> Snapshot {
        let mut s = Snapshot::default();
        for (name, len, kind) in files {
            s.stamps.insert(PathBuf::from(name), (*len, None));
            s.kinds.entry(PathBuf::from(name)).or_default().push(*kind);
        }
        s
    }

    #[test]
    fn changes_are_sorted_by_what_they_mean() {
        let before = snap(&[
            ("/p/lam.toml", 1, Kind::Project),
            ("/p/app.py", 1, Kind::Code(0)),
            ("/p/requirements.txt", 1, Kind::Requirements(0)),
            ("/p/gone.py", 1, Kind::Code(0)),
        ]);
        let after = snap(&[
            ("/p/lam.toml", 1, Kind::Project),
            ("/p/app.py", 2, Kind::Code(0)),
            ("/p/requirements.txt", 2, Kind::Requirements(0)),
            ("/p/new.py", 1, Kind::Code(0)),
        ]);
        let c = changed(&before, &after);
        assert_eq!(
            c.get(&Kind::Code(0)).unwrap(),
            &["app.py", "gone.py", "new.py"]
        );
        assert_eq!(
            c.get(&Kind::Requirements(0)).unwrap(),
            &["requirements.txt"]
        );
        assert!(!c.contains_key(&Kind::Project));
        assert!(changed(&after, &after).is_empty());
    }
}
