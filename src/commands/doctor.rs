//! `lam doctor`: what this machine (and, inside a project, the project)
//! gives lam, one finding per line with what to do about it. The steps:
//! 1. the project, when there is one: lam.toml, its runtimes;
//! 2. for each runtime: the interpreter a local run takes and why, its
//!    version against the runtime's;
//! 3. the tools: uv / pip / npm, debugpy, awslambdaric, Linux namespaces;
//! 4. AWS (unless `--no-aws`): credentials' source, the caller, the
//!    region, the clock against AWS's, the deploy's permissions;
//! 5. the project's handlers, dependency files and trust.
//!
//! Only what blocks the project's own runtimes (no interpreter for one,
//! a lam.toml lam cannot read) makes the exit code non-zero.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::commands::Context;
use crate::config::rules::{Language, language};
use crate::config::{Function, Project, find_file};
use crate::error::{Error, Kind, Result};
use crate::terminal::escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Ok,
    Note,
    Warn,
    Fail,
}

impl Level {
    fn label(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Note => "note",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        }
    }
}

/// One line of the report.
#[derive(Debug, Serialize)]
struct Finding {
    /// "runtimes", "tools", "aws" or "project".
    area: &'static str,
    /// What was checked: a runtime, a tool, "credentials", a function.
    check: String,
    level: Level,
    /// What was found.
    found: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
    /// The exit code a failure makes (3: lam.toml, 5: a runtime).
    #[serde(skip)]
    blocks: Option<Kind>,
}

#[derive(Debug, Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, area: &'static str, check: impl Into<String>, level: Level, found: String) {
        self.0.push(Finding {
            area,
            check: check.into(),
            level,
            found,
            hint: None,
            blocks: None,
        });
    }

    fn hint(&mut self, hint: impl Into<String>) {
        if let Some(last) = self.0.last_mut() {
            last.hint = Some(hint.into());
        }
    }

    fn blocks(&mut self, kind: Kind) {
        if let Some(last) = self.0.last_mut() {
            last.blocks = Some(kind);
        }
    }
}

/// What `lam doctor --output json` prints.
#[derive(Debug, Serialize)]
struct Report<'a> {
    /// lam.toml's path, inside a project.
    project: Option<String>,
    /// Whether something blocks the project's own runtimes.
    blocking: bool,
    findings: &'a [Finding],
}

pub async fn run(ctx: &Context<'_>, args: DoctorArgs) -> Result<()> {
    let mut out = Findings::default();
    let file = find_file(&ctx.cwd).ok();
    let project = match &file {
        Some(file) => read_project(ctx, file, &mut out),
        None => None,
    };

    runtimes(project.as_ref(), &mut out);
    tools(project.as_ref(), &mut out);
    if !args.no_aws {
        aws(ctx, project.as_ref(), &mut out).await;
    }
    if let Some(project) = &project {
        project_checks(project, &mut out);
    }

    // Stable: within an area, in the order found.
    out.0.sort_by_key(|f| area_rank(f.area));
    print(ctx, file.as_deref(), &out.0);
    let blocking: Vec<&Finding> = out.0.iter().filter(|f| f.blocks.is_some()).collect();
    match blocking.first().and_then(|f| f.blocks) {
        None => Ok(()),
        Some(kind) => Err(Error::new(
            kind,
            format!(
                "{} finding{} above block{} this project's local runs",
                blocking.len(),
                if blocking.len() == 1 { "" } else { "s" },
                if blocking.len() == 1 { "s" } else { "" },
            ),
        )
        .with_hint("fix the lines marked FAIL (each says how), then run `lam doctor` again")),
    }
}

fn read_project(ctx: &Context<'_>, file: &Path, out: &mut Findings) -> Option<Project> {
    match ctx.project() {
        Ok(project) => {
            let n = project.functions.len();
            out.add(
                "project",
                "lam.toml",
                Level::Ok,
                format!(
                    "{} is valid: project {}, stage {}, {n} function{}",
                    file.display(),
                    project.name,
                    project.stage,
                    if n == 1 { "" } else { "s" }
                ),
            );
            Some(project)
        }
        Err(e) => {
            let n = e.problems.len();
            let first = e
                .problems
                .first()
                .map(|p| p.message.clone())
                .unwrap_or_default();
            let more = if n > 1 {
                format!(" (and {} more)", n - 1)
            } else {
                String::new()
            };
            out.add("project", "lam.toml", Level::Fail, format!("{first}{more}"));
            out.hint(
                first_hint(&e)
                    .unwrap_or_else(|| "fix lam.toml (`lam build` says each problem)".into()),
            );
            out.blocks(Kind::Config);
            None
        }
    }
}

/// The runtimes to check: the project's, or one of each language lam
/// runs outside a project.
fn runtimes(project: Option<&Project>, out: &mut Findings) {
    let mut wanted: Vec<(String, Option<&Function>)> = Vec::new();
    match project {
        Some(p) => {
            for f in &p.functions {
                if !wanted.iter().any(|(r, _)| r == &f.runtime) {
                    wanted.push((f.runtime.clone(), Some(f)));
                }
            }
        }
        None => {
            wanted.push((super::new::DEFAULT_PYTHON.to_string(), None));
            wanted.push((super::new::DEFAULT_NODE.to_string(), None));
        }
    }
    for (runtime, function) in wanted {
        let in_project = function.is_some();
        let missing = if in_project { Level::Fail } else { Level::Warn };
        match language(&runtime) {
            Language::Python => {
                let dirs = match (project, function) {
                    (Some(p), Some(f)) => Some((p.root.clone(), p.root.join(&f.source))),
                    _ => None,
                };
                python_runtime(&runtime, dirs, missing, out);
            }
            Language::Node => node_runtime(&runtime, missing, out),
            _ => {
                out.add(
                    "runtimes",
                    runtime.clone(),
                    Level::Note,
                    "lam does not run this runtime locally (deploys only)".into(),
                );
            }
        }
        if in_project && out.0.last().is_some_and(|f| f.level == Level::Fail) {
            out.blocks(Kind::Local);
        }
    }
}

fn python_runtime(
    runtime: &str,
    dirs: Option<(PathBuf, PathBuf)>,
    missing: Level,
    out: &mut Findings,
) {
    let wanted = runtime.trim_start_matches("python");
    let chosen = match &dirs {
        Some((root, source)) => crate::interpreter::python_choice(root, source, Some(runtime)),
        None => crate::interpreter::python_choice_outside(Some(runtime)),
    };
    // doctor runs no project code: a project venv's interpreter is read
    // (its name, its pyvenv.cfg), never run, even after the checks that let
    // local runs use it.
    let in_project = |python: &Path| {
        dirs.as_ref()
            .is_some_and(|(root, _)| python.starts_with(root))
    };
    let version_of = |python: &Path| {
        if in_project(python) {
            crate::interpreter::python_version(python)
        } else {
            crate::interpreter::python_version_probed(python)
        }
    };
    match chosen {
        Ok((python, why)) => match version_of(&python) {
            Some(v) if v == wanted => out.add(
                "runtimes",
                runtime,
                Level::Ok,
                format!("{} (Python {v}): {why}", python.display()),
            ),
            Some(v) => {
                out.add(
                    "runtimes",
                    runtime,
                    Level::Warn,
                    format!(
                        "{} is Python {v}, not {wanted} ({why}): local runs install dependencies for Python {v}; `lam build` still packages for {runtime}",
                        python.display()
                    ),
                );
                out.hint(format!(
                    "install python{wanted} (or `pyenv install {wanted}`), or set LAM_PYTHON to one"
                ));
            }
            None if in_project(&python) => {
                out.add(
                    "runtimes",
                    runtime,
                    Level::Warn,
                    format!(
                        "{} ({why}): its version is not in its name or pyvenv.cfg, and doctor runs no project code",
                        python.display()
                    ),
                );
            }
            None => {
                out.add(
                    "runtimes",
                    runtime,
                    missing,
                    format!("{} does not run ({why})", python.display()),
                );
                out.hint("set LAM_PYTHON to a working Python 3");
            }
        },
        Err(e) => {
            out.add("runtimes", runtime, missing, first_message(&e));
            out.hint(first_hint(&e).unwrap_or_else(|| "install Python 3 or set LAM_PYTHON".into()));
        }
    }
}

fn node_runtime(runtime: &str, missing: Level, out: &mut Findings) {
    let wanted = runtime
        .trim_start_matches("nodejs")
        .trim_end_matches(".x")
        .to_string();
    match crate::interpreter::node_choice() {
        Ok((node, why)) => {
            let version = crate::interpreter::node_version(&node).unwrap_or_default();
            let major = version.trim_start_matches('v').split('.').next();
            if version.is_empty() {
                out.add(
                    "runtimes",
                    runtime,
                    missing,
                    format!("{} does not run ({why})", node.display()),
                );
                out.hint("install Node.js, or set LAM_NODE to a working node");
            } else if major == Some(wanted.as_str()) {
                out.add(
                    "runtimes",
                    runtime,
                    Level::Ok,
                    format!("{} (Node.js {version}): {why}", node.display()),
                );
            } else {
                out.add(
                    "runtimes",
                    runtime,
                    Level::Warn,
                    format!(
                        "{} is Node.js {version}, not {wanted} ({why}): local runs behave as that version",
                        node.display()
                    ),
                );
                out.hint(format!(
                    "install Node.js {wanted} (e.g. `nvm install {wanted}`), or set LAM_NODE to one"
                ));
            }
        }
        Err(e) => {
            out.add("runtimes", runtime, missing, first_message(&e));
            out.hint("install Node.js (https://nodejs.org), or set LAM_NODE");
        }
    }
}

/// A command's trimmed stdout, when it runs and succeeds within 5 s.
fn run_for_output(program: &Path, args: &[&str]) -> Option<String> {
    // From a directory of no project's: nothing there is imported or run.
    let mut child = Command::new(program)
        .args(args)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if std::time::Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut text).ok()?;
    Some(text.trim().to_string())
}

fn tools(project: Option<&Project>, out: &mut Findings) {
    let languages: Vec<Language> = match project {
        Some(p) => p.functions.iter().map(|f| language(&f.runtime)).collect(),
        None => vec![Language::Python, Language::Node],
    };
    let python_used = languages.contains(&Language::Python);
    let node_used = languages.contains(&Language::Node);

    if python_used {
        // The interpreter installs run with: never the project's.
        let runtime = project
            .and_then(|p| {
                p.functions
                    .iter()
                    .find(|f| language(&f.runtime) == Language::Python)
            })
            .map(|f| f.runtime.as_str());
        let build_python = crate::interpreter::build_python(runtime).ok();
        // Three probes of the interpreter, at once.
        let (pip, debugpy, ric) = match &build_python {
            Some(py) => std::thread::scope(|s| {
                // -I: isolated, so no module of the project's is imported.
                let probe = |code: &'static str| {
                    let py = py.clone();
                    s.spawn(move || run_for_output(&py, &["-I", "-c", code]))
                };
                let pip = probe("import pip; print(pip.__version__)");
                let debugpy = probe("import debugpy; print(debugpy.__version__)");
                let ric = probe("import awslambdaric; print('yes')");
                (
                    pip.join().ok().flatten(),
                    debugpy.join().ok().flatten(),
                    ric.join().ok().flatten(),
                )
            }),
            None => (None, None, None),
        };
        match crate::package::tools::find_uv() {
            Some(uv) => out.add(
                "tools",
                "uv",
                Level::Ok,
                format!(
                    "{} ({}): installs Python dependencies",
                    uv.path.display(),
                    uv.from
                ),
            ),
            None if pip.is_some() => {
                out.add(
                    "tools",
                    "uv",
                    Level::Note,
                    "not found: lam installs it into its cache with pip on the first Python dependency install".into(),
                );
            }
            None => {
                out.add(
                    "tools",
                    "uv",
                    Level::Warn,
                    "not found, and no pip to install it with: Python dependencies cannot be installed".into(),
                );
                out.hint("install uv (https://docs.astral.sh/uv/) or pip (python3 -m ensurepip)");
            }
        }
        match (&build_python, &pip) {
            (Some(py), Some(v)) => out.add(
                "tools",
                "pip",
                Level::Ok,
                format!("pip {v} in {}", py.display()),
            ),
            (Some(py), None) => {
                out.add(
                    "tools",
                    "pip",
                    Level::Note,
                    format!("{} has no pip (uv installs without it)", py.display()),
                );
            }
            (None, _) => {}
        }
        match (&build_python, &debugpy) {
            (None, _) => {}
            (_, Some(v)) => out.add(
                "tools",
                "debugpy",
                Level::Ok,
                format!("debugpy {v}: `--debug` uses it"),
            ),
            (_, None) => out.add(
                "tools",
                "debugpy",
                Level::Note,
                format!(
                    "not installed: the first `--debug` run installs debugpy {} into lam's cache",
                    crate::local::debug::DEBUGPY_VERSION
                ),
            ),
        }
        match (&build_python, &ric) {
            (None, _) => {}
            (_, Some(_)) => out.add(
                "tools",
                "awslambdaric",
                Level::Ok,
                "installed: `lam invoke --local --ric` can run the official runtime client".into(),
            ),
            (_, None) => out.add(
                "tools",
                "awslambdaric",
                Level::Note,
                "not installed: only `--ric` needs it (pip install awslambdaric); lam's own bootstrap runs without it".into(),
            ),
        }
    }
    if node_used {
        match crate::interpreter::npm() {
            Ok(npm) => out.add(
                "tools",
                "npm",
                Level::Ok,
                format!("{}: installs Node.js dependencies", npm.display()),
            ),
            Err(_) => {
                out.add(
                    "tools",
                    "npm",
                    Level::Warn,
                    "not found: Node.js dependencies (package.json) cannot be installed".into(),
                );
                out.hint("install Node.js with npm");
            }
        }
    }
    namespaces(out);
}

/// Whether a child may have a mount namespace of its own: how local runs
/// make the task root read-only, as /var/task is on Lambda.
fn namespaces(out: &mut Findings) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let mounts = crate::subprocess::PrivateMounts::new();
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", ":"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: `enter` makes raw system calls only, as pre_exec requires.
        unsafe {
            cmd.pre_exec(move || {
                if mounts.enter() {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        match cmd.status() {
            Ok(s) if s.success() => out.add(
                "tools",
                "namespaces",
                Level::Ok,
                "Linux mount namespaces: local runs see the task root read-only, as on Lambda"
                    .into(),
            ),
            Ok(_) | Err(_) => {
                out.add(
                    "tools",
                    "namespaces",
                    Level::Note,
                    "Linux mount namespaces are not allowed here: local runs can write to the task root, which Lambda's /var/task refuses".into(),
                );
                out.hint("allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or AppArmor's userns rule) for the read-only task root");
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    out.add(
        "tools",
        "namespaces",
        Level::Note,
        "not Linux: local runs can write to the task root, which Lambda's /var/task refuses".into(),
    );
}

async fn aws(ctx: &Context<'_>, project: Option<&Project>, out: &mut Findings) {
    let global = ctx.global;
    // Credentials: where the chain will find them.
    let source = crate::aws::profile::credential_source(global.profile.as_deref());
    match &source.description {
        Some(d) if source.imds => out.add(
            "aws",
            "credentials",
            Level::Note,
            format!("none configured here: the chain will try {d}"),
        ),
        Some(d) => out.add("aws", "credentials", Level::Ok, d.clone()),
        None => {
            out.add("aws", "credentials", Level::Warn, "none configured: no AWS_ACCESS_KEY_ID, no credentials in the profile, and instance metadata is off".into());
            out.hint("run `aws configure` (or `aws configure sso`), or pass --profile; local runs need none");
        }
    }
    if let Some(expires) = &source.sso_expires {
        let now = jiff::Timestamp::now();
        match expires.parse::<jiff::Timestamp>() {
            Ok(t) if t <= now => {
                out.add(
                    "aws",
                    "sso",
                    Level::Warn,
                    format!("the SSO token expired at {expires}"),
                );
                out.hint("run `aws sso login` (with the same --profile)");
            }
            Ok(_) => out.add(
                "aws",
                "sso",
                Level::Ok,
                format!("the SSO token is valid until {expires}"),
            ),
            Err(_) => {}
        }
    } else if source.sso {
        out.add(
            "aws",
            "sso",
            Level::Warn,
            "no cached SSO token for this session".into(),
        );
        out.hint("run `aws sso login` (with the same --profile)");
    }

    // Region and its source.
    let project_region = project.and_then(|p| p.region.as_deref());
    match crate::aws::profile::region_source(
        global.region.as_deref(),
        global.profile.as_deref(),
        project_region,
    ) {
        Some((region, from)) => out.add("aws", "region", Level::Ok, format!("{region} ({from})")),
        None => {
            out.add("aws", "region", Level::Warn, "none set".into());
            out.hint("pass --region, set AWS_REGION, add `region` to your AWS profile, or set region under [project] in lam.toml");
        }
    }

    // The caller, and the clock against AWS's.
    let aws = match ctx.aws(project).await {
        Ok(aws) => aws,
        // No region: said above.
        Err(_)
            if out
                .0
                .last()
                .is_some_and(|f| f.check == "region" && f.level == Level::Warn) =>
        {
            return;
        }
        Err(e) => {
            out.add("aws", "connect", Level::Warn, first_message(&e));
            if let Some(h) = first_hint(&e) {
                out.hint(h);
            }
            return;
        }
    };
    let caller = tokio::time::timeout(Duration::from_secs(3), aws.caller()).await;
    let known = matches!(caller, Ok(Ok(_)));
    match caller {
        Ok(Ok((account, arn))) => out.add(
            "aws",
            "identity",
            Level::Ok,
            format!("account {}, {}", escape(&account), escape(&arn)),
        ),
        Ok(Err(e)) => {
            out.add("aws", "identity", Level::Warn, first_message(&e));
            if let Some(h) = first_hint(&e) {
                out.hint(h);
            }
        }
        Err(_) => {
            out.add(
                "aws",
                "identity",
                Level::Warn,
                "STS GetCallerIdentity did not answer within 3 s".into(),
            );
            out.hint("check the network, --endpoint-url and AWS_ENDPOINT_URL");
        }
    }
    clock(&aws, out);
    if let (Some(project), true) = (project, known) {
        deploy_permissions(&aws, project, out).await;
    }
}

/// This machine's clock against the `Date` of AWS's last answer: SigV4
/// refuses requests signed more than 5 minutes off.
fn clock(aws: &crate::aws::Aws, out: &mut Findings) {
    let Some(offset) = aws
        .server_date()
        .and_then(|(date, at)| crate::clock::offset(&date, at))
    else {
        return;
    };
    let (level, found, hint) = clock_finding(offset);
    out.add("aws", "clock", level, found);
    if let Some(hint) = hint {
        out.hint(hint);
    }
}

fn clock_finding(offset: f64) -> (Level, String, Option<&'static str>) {
    let words = if offset >= 0.0 { "ahead of" } else { "behind" };
    let shown = format!(
        "{:.0} s {words} AWS's (the Date of its last answer)",
        offset.abs()
    );
    if offset.abs() > 300.0 {
        (
            Level::Warn,
            format!("{shown}: SigV4 refuses requests signed more than 5 minutes off"),
            Some("set the time: `sudo timedatectl set-ntp true` (or your system's clock settings)"),
        )
    } else if offset.abs() > 60.0 {
        (
            Level::Warn,
            format!("{shown}: within SigV4's 5 minutes, but drifting"),
            Some("turn on time sync: `sudo timedatectl set-ntp true`"),
        )
    } else {
        (Level::Ok, format!("within a minute: {shown}"), None)
    }
}

/// IAM's policy simulator on the calls a deploy of this project makes now
/// (the same pre-flight `lam deploy` runs), when the caller may simulate.
async fn deploy_permissions(aws: &crate::aws::Aws, project: &Project, out: &mut Findings) {
    use crate::aws::simulate::{self, Preflight};
    use crate::plan::actual::{Actual, Bulk, Scope};
    use crate::plan::desired::{CodeSpec, Desired};
    let functions: Vec<&Function> = project.functions.iter().collect();
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    let bulk = match Bulk::read(aws, &names).await {
        Ok(b) => b,
        Err(e) => {
            out.add(
                "aws",
                "deploy",
                Level::Note,
                format!("not checked: {}", first_message(&e)),
            );
            return;
        }
    };
    // Every function read at once, as a deploy reads them.
    let bulk = &bulk;
    let reads = functions.iter().map(|function| async move {
        // The code counts as changed: a deploy usually uploads it.
        let code = CodeSpec {
            sha256: "lam-doctor".into(),
            size: 1,
            unzipped: 1,
        };
        let desired = Desired::deploy(project, function, code, None);
        Actual::read_with(aws, &desired, Scope::All, bulk)
            .await
            .map(|actual| (desired, actual))
            .map_err(|e| (function.name.clone(), e))
    });
    let mut needs = Vec::new();
    for read in crate::plan::actual::read_each(reads).await {
        match read {
            Ok((desired, actual)) => {
                let plan = crate::plan::diff::diff(&desired, &actual);
                crate::plan::permissions::merge(
                    &mut needs,
                    crate::plan::permissions::needed(&plan, &desired, &actual),
                );
            }
            Err((name, e)) => {
                out.add(
                    "aws",
                    "deploy",
                    Level::Note,
                    format!("not checked: reading {name} failed: {}", first_message(&e)),
                );
                return;
            }
        }
    }
    match simulate::check(aws, &needs).await {
        Preflight::Allowed => out.add(
            "aws",
            "deploy",
            Level::Ok,
            format!(
                "IAM's policy simulator allows the {} call{} a deploy of this project makes",
                needs.len(),
                if needs.len() == 1 { "" } else { "s" }
            ),
        ),
        Preflight::Missing(missing) => {
            let list: Vec<String> = missing
                .iter()
                .map(|(action, resource, explicit)| {
                    format!(
                        "{action} on {}{}",
                        escape(resource),
                        if *explicit { " (explicit Deny)" } else { "" }
                    )
                })
                .collect();
            out.add(
                "aws",
                "deploy",
                Level::Warn,
                format!(
                    "a deploy would be refused: the credentials may not call {}",
                    list.join(", ")
                ),
            );
            out.hint("grant these actions, or deploy with credentials that have them");
        }
        Preflight::Denied => out.add(
            "aws",
            "deploy",
            Level::Note,
            "not checked: the credentials may not call iam:SimulatePrincipalPolicy".into(),
        ),
        Preflight::Unchecked(why) => {
            out.add("aws", "deploy", Level::Note, format!("not checked: {why}"))
        }
    }
}

fn project_checks(project: &Project, out: &mut Findings) {
    for function in &project.functions {
        let source = project.root.join(&function.source);
        match handler_found(&source, &function.runtime, &function.handler) {
            Ok(file) => out.add(
                "project",
                function.key.clone(),
                Level::Ok,
                format!(
                    "handler {} found in {}",
                    function.handler,
                    file.strip_prefix(&project.root).unwrap_or(&file).display()
                ),
            ),
            Err((level, why)) => {
                out.add("project", function.key.clone(), level, why);
                out.hint(format!(
                    "set `handler` in lam.toml to FILE.FUNCTION (now \"{}\")",
                    function.handler
                ));
            }
        }
        dependency_file(project, function, &source, out);
    }
    // Trust: what this lam.toml asks that takes effect only when trusted.
    let grants = project.needs_trust();
    if let Ok(file) = find_file(&project.root) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if grants.is_empty() {
            out.add(
                "project",
                "trust",
                Level::Ok,
                "lam.toml asks for nothing that needs `lam trust`".into(),
            );
        } else if crate::trust::trusted(&file, &text) {
            out.add(
                "project",
                "trust",
                Level::Ok,
                format!(
                    "trusted as it is now: {}",
                    grants
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
        } else {
            out.add(
                "project",
                "trust",
                Level::Warn,
                format!(
                    "not trusted, so these do not take effect: {}",
                    grants
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
            out.hint("read lam.toml, then run `lam trust`");
        }
    }
}

/// The file holding the handler, when it defines the function; else the
/// level and why. The file is read, never run.
fn handler_found(
    source: &Path,
    runtime: &str,
    handler: &str,
) -> std::result::Result<PathBuf, (Level, String)> {
    let Some((module, name)) = handler.rsplit_once('.') else {
        return Err((
            Level::Warn,
            format!("handler \"{handler}\" is not FILE.FUNCTION"),
        ));
    };
    let candidates: Vec<PathBuf> = match language(runtime) {
        Language::Python => vec![source.join(format!("{}.py", module.replace('.', "/")))],
        Language::Node => ["js", "mjs", "cjs"]
            .iter()
            .map(|ext| source.join(format!("{module}.{ext}")))
            .collect(),
        Language::Other => {
            return Err((
                Level::Note,
                format!("{runtime}: the handler is not checked"),
            ));
        }
    };
    // Inside the source directory only, whatever the handler says.
    let candidates: Vec<PathBuf> = candidates
        .into_iter()
        .filter(|c| {
            c.strip_prefix(source).is_ok_and(|rel| {
                rel.components()
                    .all(|part| matches!(part, std::path::Component::Normal(_)))
            })
        })
        .collect();
    let Some(file) = candidates.iter().find(|c| c.is_file()) else {
        let names: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
        return Err((
            Level::Warn,
            format!("no handler file: {} not found", names.join(" or ")),
        ));
    };
    let text = if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
        std::fs::read_to_string(file).unwrap_or_default()
    } else {
        String::new()
    };
    let defines = match language(runtime) {
        // At module level (no indentation): a def, an assignment, or an
        // import that binds the name.
        Language::Python => text.lines().any(|l| {
            l.starts_with(&format!("def {name}("))
                || l.starts_with(&format!("async def {name}("))
                || l.starts_with(&format!("{name} ="))
                || l.starts_with(&format!("{name}="))
                || ((l.starts_with("from ") || l.starts_with("import "))
                    && l.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .any(|w| w == name))
        }),
        _ => {
            text.contains(&format!("exports.{name}"))
                || text.contains(&format!("export const {name}"))
                || text.contains(&format!("export async function {name}"))
                || text.contains(&format!("export function {name}"))
                || text.contains(&format!("export let {name}"))
                || (text.contains("module.exports") && text.contains(name))
                || text.contains(&format!("export {{ {name}"))
                || text.contains(&format!("as {name} }}"))
        }
    };
    if defines {
        Ok(file.clone())
    } else {
        Err((
            Level::Warn,
            format!("{} defines no function {name}", file.display()),
        ))
    }
}

/// requirements.txt / package.json: found, and the installer for them.
fn dependency_file(project: &Project, function: &Function, source: &Path, out: &mut Findings) {
    let key = function.key.clone();
    let declared = match language(&function.runtime) {
        Language::Python => "requirements.txt",
        Language::Node => "package.json",
        Language::Other => return,
    };
    let file = source.join(declared);
    // A regular file only: the project is untrusted (a FIFO would hang).
    if !std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
        return;
    }
    let shown = file
        .strip_prefix(&project.root)
        .unwrap_or(&file)
        .display()
        .to_string();
    let target = format!(
        "{} on Linux {}",
        function.runtime,
        function.architecture.as_str()
    );
    // Installable for the runtime's platform is known once it was
    // installed: lam's cache holds the tree for exactly that platform.
    match crate::package::dependency_files(&project.root, function) {
        Ok(Some(d)) => out.add(
            "project",
            key,
            Level::Ok,
            format!(
                "{shown}: installed for {target} ({} files{}, with {})",
                d.files.len(),
                if d.in_layer { ", in a layer" } else { "" },
                d.installer
            ),
        ),
        Ok(None) => {}
        Err(e) if e.is(crate::error::Cause::NotFound) => {
            out.add(
                "project",
                key,
                Level::Note,
                format!(
                    "{shown}: not installed yet for {target}; `lam build` installs it for that platform and names any package that has no build for it"
                ),
            );
            out.hint("run `lam build`");
        }
        Err(e) => {
            out.add(
                "project",
                key,
                Level::Warn,
                format!("{shown}: {}", first_message(&e)),
            );
            if let Some(h) = first_hint(&e) {
                out.hint(h);
            }
        }
    }
    if language(&function.runtime) == Language::Node && !source.join("package-lock.json").is_file()
    {
        out.add(
            "project",
            function.key.clone(),
            Level::Note,
            "package.json without package-lock.json: dependency versions are not pinned".into(),
        );
        out.hint("run `npm install` once and commit package-lock.json");
    }
}

fn print(ctx: &Context<'_>, file: Option<&Path>, findings: &[Finding]) {
    if ctx.ui.json {
        ctx.ui.print_value(&Report {
            project: file.map(|f| f.display().to_string()),
            blocking: findings.iter().any(|f| f.blocks.is_some()),
            findings,
        });
        return;
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let mut area = "";
    let width = findings.iter().map(|f| f.check.len()).max().unwrap_or(8);
    for f in findings {
        if f.area != area {
            area = f.area;
            let title = match area {
                "runtimes" => "Runtimes (local runs)",
                "tools" => "Tools",
                "aws" => "AWS",
                _ => "Project",
            };
            let _ = writeln!(
                stdout,
                "{}{title}",
                if f.area == findings[0].area { "" } else { "\n" }
            );
        }
        let padded = format!("{:<4}", f.level.label());
        let label = match f.level {
            Level::Ok => console::style(padded).green(),
            Level::Note => console::style(padded).dim(),
            Level::Warn => console::style(padded).yellow(),
            Level::Fail => console::style(padded).red().bold(),
        };
        let _ = writeln!(
            stdout,
            "  {label}  {:<width$}  {}",
            escape(&f.check),
            escape(&f.found)
        );
        if let Some(hint) = &f.hint {
            let _ = writeln!(
                stdout,
                "  {:<4}  {:<width$}  hint: {}",
                "",
                "",
                escape(hint)
            );
        }
    }
}

fn first_hint(e: &Error) -> Option<String> {
    e.problems.iter().find_map(|p| p.hint.clone())
}

fn first_message(e: &Error) -> String {
    e.problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_default()
}

/// The order areas are printed in.
fn area_rank(area: &str) -> usize {
    ["runtimes", "tools", "aws", "project"]
        .iter()
        .position(|a| *a == area)
        .unwrap_or(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_is_measured_against_the_date_aws_sends() {
        let date = "Mon, 07 Dec 2026 22:45:12 GMT";
        let at =
            |secs: i64| std::time::UNIX_EPOCH + Duration::from_secs((1_796_683_512 + secs) as u64);
        // 1_796_683_512 is that Date.
        assert_eq!(crate::clock::offset(date, at(0)), Some(0.0));
        assert_eq!(crate::clock::offset(date, at(-600)), Some(-600.0));
        assert_eq!(crate::clock::offset("not a date", at(0)), None);

        let (level, found, hint) = clock_finding(-600.0);
        assert_eq!(level, Level::Warn);
        assert!(found.starts_with("600 s behind AWS's"), "{found}");
        assert!(found.contains("SigV4 refuses"), "{found}");
        assert!(hint.unwrap().contains("timedatectl"));
        assert_eq!(clock_finding(120.0).0, Level::Warn);
        assert_eq!(clock_finding(0.4).0, Level::Ok);
    }

    #[test]
    fn handlers_are_found_by_reading_the_file_not_running_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("app.py"),
            "import json\n\nasync def handler(event, context):\n    pass\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("index.mjs"),
            "export const handler = async (event) => ({ statusCode: 200 });\n",
        )
        .unwrap();
        assert!(handler_found(dir.path(), "python3.12", "app.handler").is_ok());
        assert!(handler_found(dir.path(), "nodejs22.x", "index.handler").is_ok());
        // Bound by an import at module level; not by an indented assignment.
        std::fs::write(
            dir.path().join("reexport.py"),
            "from handlers.orders import handler\n\nclass X:\n    main = 1\n",
        )
        .unwrap();
        assert!(handler_found(dir.path(), "python3.12", "reexport.handler").is_ok());
        assert!(handler_found(dir.path(), "python3.12", "reexport.main").is_err());
        let (level, why) = handler_found(dir.path(), "python3.12", "app.main").unwrap_err();
        assert_eq!(level, Level::Warn);
        assert!(why.ends_with("app.py defines no function main"), "{why}");
        let (_, why) = handler_found(dir.path(), "python3.12", "missing.handler").unwrap_err();
        assert!(why.starts_with("no handler file:"), "{why}");
        // A handler that names a path outside the source is not read there.
        let outside = tempfile::Builder::new()
            .prefix("lamout")
            .tempdir_in("/tmp")
            .unwrap();
        for file in ["x.py", "x.mjs"] {
            std::fs::write(
                outside.path().join(file),
                "def handler(e, c):\n    pass\nexport const handler = 1\n",
            )
            .unwrap();
        }
        let absolute = outside.path().display().to_string();
        // `.tmp.lamoutXXXX.x` reads as /tmp/lamoutXXXX/x.py.
        let dotted = format!("{}.x.handler", absolute.replace('/', "."));
        assert!(handler_found(dir.path(), "python3.12", &dotted).is_err());
        let up = "../".repeat(dir.path().components().count());
        let relative = format!("{up}{}/x.handler", absolute.trim_start_matches('/'));
        assert!(handler_found(dir.path(), "nodejs22.x", &relative).is_err());
    }
}
