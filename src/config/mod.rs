//! lam.toml: the project file. Parsed with serde, merged per stage, and
//! validated against Lambda's rules before any command does anything.
//!
//! Settings have four precedence levels, lowest first:
//! 1. top-level `[env]`, `[secrets]`, `[api]`, `[build]` (shared by every function),
//! 2. `[function]` or `[functions.<key>]`,
//! 3. `[stages.<stage>]` (applies to every function in that stage),
//! 4. `[stages.<stage>.functions.<key>]`.
//!
//! Tables (`env`, `secrets`) merge key by key; every other value is replaced.

pub mod edit;
pub mod interpolate;
mod locate;
pub mod rules;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Kind, Problem, Result};
use locate::Locator;
use rules::Violation;

pub const FILE_NAME: &str = "lam.toml";
pub const DEFAULT_STAGE: &str = "dev";
pub const DEFAULT_MEMORY: u32 = 128;
pub const DEFAULT_TIMEOUT: u32 = 3;
pub const DEFAULT_ALIAS: &str = "live";

// ---------------------------------------------------------------------------
// The file as written.

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    project: Option<RawProject>,
    function: Option<RawSettings>,
    functions: Option<BTreeMap<String, RawSettings>>,
    #[serde(default)]
    stages: BTreeMap<String, RawSettings>,
    #[serde(default)]
    env: BTreeMap<String, EnvValue>,
    #[serde(default)]
    secrets: BTreeMap<String, String>,
    api: Option<ApiConfig>,
    build: Option<BuildConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: Option<String>,
    region: Option<String>,
    default_stage: Option<String>,
    /// Shell variables `${VAR}` may read although their names look like
    /// credentials or secrets.
    #[serde(default)]
    interpolate: Vec<String>,
}

/// `[function.logging]` as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogging {
    format: Option<String>,
    application_log_level: Option<String>,
    system_log_level: Option<String>,
    log_group: Option<String>,
}

/// Lambda's LoggingConfig, as the API spells its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logging {
    /// "Text" or "JSON".
    pub format: String,
    /// With JSON only: TRACE, DEBUG, INFO (AWS's default), WARN, ERROR, FATAL.
    pub application_log_level: Option<String>,
    /// With JSON only: DEBUG, INFO (AWS's default), WARN.
    pub system_log_level: Option<String>,
    /// None: /aws/lambda/<name>.
    pub log_group: Option<String>,
}

impl Default for Logging {
    fn default() -> Logging {
        Logging {
            format: "Text".into(),
            application_log_level: None,
            system_log_level: None,
            log_group: None,
        }
    }
}

/// The settings of a function, or the overrides of a stage. Every field is
/// optional so that the precedence levels can be merged.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    name: Option<String>,
    runtime: Option<String>,
    handler: Option<String>,
    memory: Option<i64>,
    timeout: Option<i64>,
    /// The size of /tmp, in MB.
    ephemeral_storage: Option<i64>,
    /// X-Ray: "active" or "passthrough".
    tracing: Option<String>,
    /// Concurrent executions kept for this function (and its limit).
    reserved_concurrency: Option<i64>,
    /// Execution environments kept initialised for the alias.
    provisioned_concurrency: Option<i64>,
    /// SnapStart on published versions.
    snapstart: Option<bool>,
    architecture: Option<String>,
    description: Option<String>,
    role: Option<String>,
    /// Directory holding the function's code, relative to lam.toml.
    source: Option<String>,
    layers: Option<Vec<String>>,
    /// The alias that deploy points at each new version (default `live`).
    alias: Option<String>,
    /// Extra statements for the role lam creates.
    policy: Option<Vec<PolicyStatement>>,
    /// Event sources lam deploy wires to the function.
    triggers: Option<Vec<Trigger>>,
    #[serde(default)]
    env: BTreeMap<String, EnvValue>,
    #[serde(default)]
    secrets: BTreeMap<String, String>,
    api: Option<ApiConfig>,
    build: Option<BuildConfig>,
    /// `[function.logging]`: Lambda's LoggingConfig.
    logging: Option<RawLogging>,
    /// Only meaningful under `[stages.<stage>]`.
    #[serde(default)]
    functions: BTreeMap<String, RawSettings>,
    /// `[stages.<stage>] protected = true`: `lam deploy --watch` refuses
    /// the stage unless `--force`. Only meaningful under `[stages.<stage>]`.
    protected: Option<bool>,
}

/// Environment values may be written as TOML strings, numbers or booleans;
/// Lambda stores them all as strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum EnvValue {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

impl EnvValue {
    fn into_string(self) -> String {
        match self {
            EnvValue::String(s) => s,
            EnvValue::Integer(i) => i.to_string(),
            EnvValue::Float(f) => f.to_string(),
            EnvValue::Bool(b) => b.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------
// The resolved project.

/// `[api]`: the HTTP endpoint in front of the function.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    pub kind: ApiKind,
    /// For `kind = "url"`: "NONE" (public) or "AWS_IAM".
    pub auth: Option<String>,
    /// For `kind = "http"`: route keys such as "GET /items"; default `$default`.
    pub routes: Option<Vec<String>>,
    /// An existing API to attach to instead of creating one.
    pub id: Option<String>,
    pub cors: Option<CorsConfig>,
    /// For `kind = "rest"`: the content types the API treats as binary
    /// (`image/png`, `image/*`, `*/*`). Deploy sets them on the API, and
    /// `lam serve` applies them as API Gateway does.
    #[serde(default)]
    pub binary_media_types: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKind {
    Rest,
    Http,
    Url,
    None,
}

/// One statement of `[[function.policy]]`, added to the role lam creates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyStatement {
    /// "Allow" (default) or "Deny".
    pub effect: Option<String>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

/// One `[[function.triggers]]` entry: what invokes the function.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Trigger {
    /// An S3 bucket notification.
    S3 {
        bucket: String,
        #[serde(default = "default_s3_events")]
        events: Vec<String>,
        prefix: Option<String>,
        suffix: Option<String>,
    },
    /// An EventBridge schedule rule.
    Schedule {
        expression: String,
        /// A constant event instead of EventBridge's scheduled event.
        input: Option<serde_json::Value>,
    },
    /// An SQS event source mapping.
    Sqs {
        /// Queue name or ARN.
        queue: String,
        #[serde(default = "default_batch_size")]
        batch_size: u32,
        #[serde(default)]
        report_batch_item_failures: bool,
        /// Seconds Lambda gathers messages before invoking (0..=300).
        /// Default: 1 when `batch_size` is over 10 (AWS requires a window
        /// then), else 0.
        batch_window: Option<u32>,
    },
    /// An SNS subscription.
    Sns {
        /// Topic name or ARN.
        topic: String,
    },
}

fn default_s3_events() -> Vec<String> {
    vec!["s3:ObjectCreated:*".to_string()]
}

fn default_batch_size() -> u32 {
    10
}

impl Trigger {
    /// The batching window a SQS trigger deploys with.
    pub fn batch_window(&self) -> u32 {
        match self {
            Trigger::Sqs {
                batch_window: Some(w),
                ..
            } => *w,
            Trigger::Sqs { batch_size, .. } if *batch_size > 10 => 1,
            _ => 0,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::S3 { .. } => "s3",
            Trigger::Schedule { .. } => "schedule",
            Trigger::Sqs { .. } => "sqs",
            Trigger::Sns { .. } => "sns",
        }
    }

    /// A short description for plans and status.
    pub fn describe(&self) -> String {
        match self {
            Trigger::S3 {
                bucket,
                events,
                prefix,
                suffix,
            } => {
                let mut out = format!("s3://{bucket}/{}", prefix.as_deref().unwrap_or(""));
                if let Some(s) = suffix {
                    out.push_str(&format!("*{s}"));
                }
                out.push_str(&format!(" ({})", events.join(", ")));
                out
            }
            Trigger::Schedule { expression, .. } => format!("schedule {expression}"),
            Trigger::Sqs {
                queue, batch_size, ..
            } => format!("sqs {queue} (batch {batch_size})"),
            Trigger::Sns { topic } => format!("sns {topic}"),
        }
    }
}

/// `[api.cors]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CorsConfig {
    #[serde(default)]
    pub origins: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub headers: Vec<String>,
    #[serde(default)]
    pub expose_headers: Vec<String>,
    pub max_age: Option<u32>,
    #[serde(default)]
    pub credentials: bool,
}

/// `[build]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// Extra gitignore-style patterns to package even when excluded by default.
    #[serde(default)]
    pub include: Vec<String>,
    /// Extra gitignore-style patterns to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Bucket for packages over Lambda's 50 MB direct-upload limit.
    pub s3_bucket: Option<String>,
    /// Run npm packages' install scripts (off: `npm --ignore-scripts`, so a
    /// dependency's code does not run on this machine while building).
    #[serde(default)]
    pub scripts: bool,
    /// lam.toml asked for install scripts, but it is not trusted: they are
    /// not run (see `crate::trust`).
    #[serde(skip)]
    pub scripts_withheld: bool,
    /// What installs Python dependencies: uv (found or installed by lam,
    /// pip when there is none) unless set.
    pub installer: Option<Installer>,
    /// Where the dependencies go: in the function's zip, or in a layer of
    /// their own. Unset: a layer when they exceed 5 MB.
    pub dependencies: Option<DependencyPlacement>,
}

/// `[build] installer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    Uv,
    Pip,
}

/// `[build] dependencies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DependencyPlacement {
    /// In the function's own zip.
    Zip,
    /// In a layer named from the tree's content hash.
    Layer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    X86_64,
    Arm64,
}

impl Architecture {
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

/// One function, with every precedence level for the chosen stage merged and validated.
#[derive(Debug, Clone)]
pub struct Function {
    /// The key in lam.toml (`function` for a single `[function]`).
    pub key: String,
    /// The name on AWS: `name`, or `<project>-<stage>[-<key>]`.
    pub name: String,
    pub runtime: String,
    pub handler: String,
    pub memory: u32,
    pub timeout: u32,
    /// The size of /tmp in MB (512 unless set).
    pub ephemeral_storage: u32,
    /// X-Ray tracing mode as the Lambda API spells it: PassThrough or Active.
    pub tracing: String,
    /// Concurrent executions reserved for the function; None: the
    /// account's unreserved pool.
    pub reserved_concurrency: Option<u32>,
    /// Execution environments Lambda keeps initialised for the alias deploy
    /// moves (PutProvisionedConcurrencyConfig); None: none.
    pub provisioned_concurrency: Option<u32>,
    /// `[function.logging]`.
    pub logging: Logging,
    /// SnapStart on the versions deploy publishes.
    pub snapstart: bool,
    pub architecture: Architecture,
    pub description: String,
    pub role: Option<String>,
    /// The alias deploy moves to each new version.
    pub alias: String,
    /// Statements added to the role lam creates.
    pub policy: Vec<PolicyStatement>,
    /// What invokes the function, wired up by deploy.
    pub triggers: Vec<Trigger>,
    /// Absolute directory of the function's code.
    pub source: PathBuf,
    pub layers: Vec<String>,
    pub env: BTreeMap<String, String>,
    /// The shell variables each env value reads (`${VAR}`), for the plan.
    pub env_sources: BTreeMap<String, Vec<String>>,
    pub secrets: BTreeMap<String, String>,
    pub api: Option<ApiConfig>,
    pub build: BuildConfig,
}

impl Function {
    pub fn language(&self) -> rules::Language {
        rules::language(&self.runtime)
    }
}

/// A loaded lam.toml.
#[derive(Debug, Clone)]
pub struct Project {
    /// Directory holding lam.toml.
    pub root: PathBuf,
    pub name: String,
    pub stage: String,
    pub region: Option<String>,
    pub functions: Vec<Function>,
    /// `[project] interpolate`: variables `${VAR}` may read although they
    /// look like credentials.
    pub interpolate: Vec<String>,
    /// The stage is marked `protected = true` (for prod).
    pub protected: bool,
    /// Settings that need trust (see `crate::trust`) and did not take
    /// effect, because this lam.toml is not trusted.
    pub withheld: Vec<crate::trust::Grant>,
    /// `[project] interpolate` as written, when it did not take effect.
    pub interpolate_withheld: Vec<String>,
}

impl Project {
    /// Finds lam.toml in `dir` or its nearest ancestor, then loads it.
    pub fn discover(dir: &Path, stage: Option<&str>) -> Result<Project> {
        let file = find_file(dir)?;
        crate::trust::check_ownership(&file)?;
        let text = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
        let root = file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let label = display_path(&file, dir);
        let project = Project::parse(&text, &label, &root, stage)?;
        Ok(
            if project.needs_trust().is_empty() || crate::trust::trusted(&file, &text) {
                project
            } else {
                project.untrusted()
            },
        )
    }

    /// The settings of this lam.toml that take effect only when it is
    /// trusted (see `crate::trust`).
    pub fn needs_trust(&self) -> Vec<crate::trust::Grant> {
        use crate::trust::Grant;
        let mut out = Vec::new();
        if !self.interpolate.is_empty() {
            out.push(Grant {
                function: None,
                what: format!(
                    "copy the shell's {} into deployed env ([project] interpolate)",
                    self.interpolate.join(", ")
                ),
            });
        }
        for f in &self.functions {
            if f.build.scripts {
                out.push(Grant {
                    function: Some(f.key.clone()),
                    what:
                        "run npm packages' install scripts on this machine ([build] scripts = true)"
                            .into(),
                });
            }
            for st in f.policy.iter().filter(|st| crate::trust::is_wildcard(st)) {
                out.push(Grant {
                    function: Some(f.key.clone()),
                    what: format!(
                        "give its role wildcard IAM permissions: {}",
                        crate::trust::describe(st)
                    ),
                });
            }
        }
        out
    }

    /// Without the settings that need trust: no install scripts, no
    /// interpolated credentials; wildcard policies stay, for deploy to
    /// refuse (leaving a statement out would deploy something else).
    fn untrusted(mut self) -> Project {
        self.withheld = self.needs_trust();
        self.interpolate_withheld = std::mem::take(&mut self.interpolate);
        for f in &mut self.functions {
            if f.build.scripts {
                f.build.scripts = false;
                f.build.scripts_withheld = true;
            }
        }
        self
    }

    /// Refuses a public endpoint (a function URL without IAM auth, a REST
    /// or HTTP API, which lam deploys without an authorizer) in front of a
    /// role lam.toml grants wildcard permissions: anyone on the internet
    /// would then act with them through the handler's bugs.
    pub fn check_public_wildcard(&self, allowed: bool) -> Result<()> {
        if allowed {
            return Ok(());
        }
        let problems: Vec<Problem> = self
            .functions
            .iter()
            .filter(|f| f.role.is_none())
            .filter_map(|f| {
                let api = f.api.as_ref()?;
                let public = api.kind != ApiKind::Url
                    || api.auth.as_deref().is_none_or(|a| a != "AWS_IAM");
                let wildcard: Vec<String> = f
                    .policy
                    .iter()
                    .filter(|st| crate::trust::is_wildcard(st))
                    .map(crate::trust::describe)
                    .collect();
                (public && !wildcard.is_empty()).then(|| Problem {
                    message: format!(
                        "{} would put a public endpoint in front of a role with wildcard permissions ({})",
                        f.key,
                        wildcard.join("; ")
                    ),
                    hint: Some(
                        "narrow the statements to the actions and resources the handler uses, set auth = \"AWS_IAM\" on a function URL, or pass --allow-public-wildcard-role".into(),
                    ),
                })
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::many(Kind::Config, problems))
        }
    }

    /// Refuses when lam.toml asks for wildcard IAM permissions it is not
    /// trusted to grant; called before any AWS call that would grant them.
    pub fn check_trusted_policies(&self) -> Result<()> {
        let refused: Vec<&crate::trust::Grant> = self
            .withheld
            .iter()
            .filter(|g| g.what.starts_with("give its role wildcard"))
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        Err(Error::many(
            Kind::Config,
            refused
                .into_iter()
                .map(|g| Problem {
                    message: format!("lam.toml is not trusted to {g}"),
                    hint: Some(crate::trust::HOW_TO_TRUST.into()),
                })
                .collect(),
        ))
    }

    /// Parses and validates lam.toml's text. `label` names the file in errors;
    /// `root` is the directory it lives in.
    pub fn parse(text: &str, label: &str, root: &Path, stage: Option<&str>) -> Result<Project> {
        let locator = Locator::new(text, label);
        let raw: RawFile = locate::deserialize_all(&locator, text)?;
        Resolver {
            raw,
            locator,
            root,
            problems: Vec::new(),
        }
        .resolve(stage)
    }

    /// Fills in `${VAR}` / `${VAR:-default}` in every function's env from
    /// the shell's environment. Every unset variable is reported.
    pub fn expand_env(mut self) -> Result<Project> {
        let lookup = |name: &str| std::env::var(name).ok();
        let mut problems = Vec::new();
        for f in &mut self.functions {
            // Credentials and secrets are not copied from the shell into a
            // configuration that lam deploys.
            for (key, vars) in interpolate::references(&f.env) {
                for var in vars {
                    if self.interpolate_withheld.contains(&var)
                        && rules::is_credential_variable(&var)
                    {
                        problems.push(Problem {
                            message: format!(
                                "env {key} of {} reads ${{{var}}}, which lam.toml's [project] interpolate allows, but lam.toml is not trusted",
                                f.key
                            ),
                            hint: Some(crate::trust::HOW_TO_TRUST.into()),
                        });
                        continue;
                    }
                    if rules::is_credential_variable(&var) && !self.interpolate.contains(&var) {
                        problems.push(Problem {
                            message: format!(
                                "env {key} of {} reads ${{{var}}} from the shell, which looks like a credential or secret",
                                f.key
                            ),
                            hint: Some(format!(
                                "keep secrets in [secrets] (lam secrets set); if {var} is not one, list it under [project] interpolate = [\"{var}\"]"
                            )),
                        });
                    }
                }
            }
            f.env_sources = interpolate::references(&f.env);
            match interpolate::expand_all(&f.env, &lookup) {
                Ok(env) => f.env = env,
                Err(unset) => problems.extend(unset.into_iter().map(|u| Problem {
                    message: format!(
                        "env {} of {} uses ${{{}}}, which is not set",
                        u.key, f.key, u.var
                    ),
                    hint: Some(format!(
                        "export {0}=... before running lam, or give a default: ${{{0}:-value}}",
                        u.var
                    )),
                })),
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(Error::many(Kind::Config, problems))
        }
    }

    /// The functions a command acts on: the one named, or all of them.
    pub fn select(&self, key: Option<&str>) -> Result<Vec<&Function>> {
        match key {
            None => Ok(self.functions.iter().collect()),
            Some(key) => self.function(key).map(|f| vec![f]),
        }
    }

    /// The single function a command acts on: the one named, or the only one.
    pub fn one(&self, key: Option<&str>) -> Result<&Function> {
        match key {
            Some(key) => self.function(key),
            None => match self.functions.as_slice() {
                [only] => Ok(only),
                many => Err(Error::usage(format!(
                    "lam.toml defines {} functions: {}",
                    many.len(),
                    self.keys()
                ))
                .with_hint("name the one you mean, e.g. `lam invoke <function>`")),
            },
        }
    }

    fn function(&self, key: &str) -> Result<&Function> {
        self.functions
            .iter()
            .find(|f| f.key == key || f.name == key)
            .ok_or_else(|| {
                Error::usage(format!("no function \"{key}\" in lam.toml"))
                    .with_hint(format!("functions defined: {}", self.keys()))
            })
    }

    fn keys(&self) -> String {
        self.functions
            .iter()
            .map(|f| f.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A project name from a directory name: letters, digits, '-' and '_' kept,
/// anything else turned into '-', at most 40 characters.
fn name_from_directory(dir: &str) -> String {
    let cleaned: String = dir
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed: String = cleaned.trim_matches('-').chars().take(40).collect();
    if trimmed.is_empty() {
        "lam".to_string()
    } else {
        trimmed
    }
}

/// The lam.toml that `dir` belongs to: in it or its nearest ancestor.
pub fn find_file(start: &Path) -> Result<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(candidate);
        }
        if candidate.exists() {
            return Err(
                Error::config(format!("'{}' is not a file", candidate.display()))
                    .with_hint("lam.toml must be a regular file"),
            );
        }
        dir = d.parent();
    }
    Err(Error::config(format!(
        "no {FILE_NAME} in '{}' or any parent directory",
        start.display()
    ))
    .with_hint("create a project with `lam new <name>`, or pass -C <dir>"))
}

/// The path as the user would write it: relative to where lam was started.
pub fn display_path(file: &Path, start: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_else(|_| start.to_path_buf());
    file.strip_prefix(&cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string()
}

// ---------------------------------------------------------------------------
// Merging and validation.

/// Where a function's precedence levels live in the file (not Lambda layers).
struct Levels<'a> {
    function_path: Vec<String>,
    function: &'a RawSettings,
    stage_path: Option<Vec<String>>,
    stage: Option<&'a RawSettings>,
    stage_function_path: Option<Vec<String>>,
    stage_function: Option<&'a RawSettings>,
}

impl Levels<'_> {
    /// Settings tables from highest precedence to lowest, with their paths.
    fn by_precedence(&self) -> Vec<(&Vec<String>, &RawSettings)> {
        let mut out = Vec::new();
        if let (Some(p), Some(s)) = (&self.stage_function_path, self.stage_function) {
            out.push((p, s));
        }
        if let (Some(p), Some(s)) = (&self.stage_path, self.stage) {
            out.push((p, s));
        }
        out.push((&self.function_path, self.function));
        out
    }

    /// The highest-precedence value of a field, with the path it was set at.
    fn pick<T: Clone>(
        &self,
        field: &str,
        get: impl Fn(&RawSettings) -> Option<T>,
    ) -> Option<(T, Vec<String>)> {
        self.by_precedence()
            .into_iter()
            .find_map(|(path, s)| get(s).map(|v| (v, child(path, field))))
    }
}

fn child(path: &[String], key: &str) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(key.to_string());
    p
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

struct Resolver<'a> {
    raw: RawFile,
    locator: Locator<'a>,
    root: &'a Path,
    problems: Vec<(Option<usize>, Problem)>,
}

impl Resolver<'_> {
    fn report(&mut self, at: &[String], v: Violation) {
        let (offset, message) = self.locator.locate(at, &v.message);
        self.problems.push((
            offset,
            Problem {
                message,
                hint: Some(v.hint),
            },
        ));
    }

    fn report_msg(&mut self, at: &[String], message: String, hint: impl Into<String>) {
        self.report(
            at,
            Violation {
                message,
                hint: hint.into(),
            },
        );
    }

    fn check(&mut self, at: &[String], result: rules::Check) {
        if let Err(v) = result {
            self.report(at, v);
        }
    }

    fn resolve(mut self, stage: Option<&str>) -> Result<Project> {
        let project = self.raw.project.take().unwrap_or_default();
        let name = match project.name {
            Some(n) => n,
            None => self
                .root
                .canonicalize()
                .ok()
                .and_then(|p| {
                    p.file_name()
                        .map(|n| name_from_directory(&n.to_string_lossy()))
                })
                .unwrap_or_else(|| "lam".to_string()),
        };
        self.check(
            &path(&["project", "name"]),
            rules::check_identifier("project name", &name),
        );

        let default_stage = project
            .default_stage
            .unwrap_or_else(|| DEFAULT_STAGE.to_string());
        let stage = stage.map(str::to_string).unwrap_or(default_stage.clone());
        if let Err(v) = rules::check_identifier("stage", &stage) {
            return Err(Error::usage(v.message).with_hint(v.hint));
        }
        if stage != default_stage && !self.raw.stages.contains_key(&stage) {
            let known: Vec<&str> = std::iter::once(default_stage.as_str())
                .chain(self.raw.stages.keys().map(String::as_str))
                .collect();
            return Err(
                Error::usage(format!("stage \"{stage}\" is not defined in lam.toml")).with_hint(
                    format!(
                        "use one of: {} (or add a [stages.{stage}] table)",
                        known.join(", ")
                    ),
                ),
            );
        }

        let protected = self
            .raw
            .stages
            .get(&stage)
            .and_then(|s| s.protected)
            .unwrap_or(false);
        let functions = self.collect_functions(&name, &stage);
        if !self.problems.is_empty() {
            let mut problems = std::mem::take(&mut self.problems);
            problems.sort_by_key(|(offset, _)| offset.unwrap_or(usize::MAX));
            return Err(Error::many(
                Kind::Config,
                problems.into_iter().map(|(_, p)| p).collect(),
            ));
        }
        Ok(Project {
            root: self.root.to_path_buf(),
            name,
            stage,
            interpolate: project.interpolate,
            region: project.region,
            functions,
            protected,
            withheld: Vec::new(),
            interpolate_withheld: Vec::new(),
        })
    }

    fn collect_functions(&mut self, project: &str, stage: &str) -> Vec<Function> {
        let single = self.raw.function.take();
        let several = self.raw.functions.take();
        // Names derived for [functions.*] carry the key; a lone [function] does not.
        let multi = several.is_some();
        let entries: Vec<(String, Vec<String>, RawSettings)> = match (single, several) {
            (Some(_), Some(_)) => {
                self.report_msg(
                    &path(&["functions"]),
                    "lam.toml has both [function] and [functions.*]".into(),
                    "use [function] for one function, or [functions.<name>] for several",
                );
                return Vec::new();
            }
            (None, None) => {
                self.report_msg(
                    &[],
                    "lam.toml defines no function".into(),
                    "add a [function] table with runtime and handler (see `lam new`)",
                );
                return Vec::new();
            }
            (Some(f), None) => vec![("function".into(), path(&["function"]), f)],
            (None, Some(map)) => {
                if map.is_empty() {
                    self.report_msg(
                        &path(&["functions"]),
                        "[functions] is empty".into(),
                        "add a [functions.<name>] table with runtime and handler",
                    );
                }
                // A key becomes part of function, role and rule names.
                for k in map.keys() {
                    self.check(
                        &path(&["functions", k]),
                        rules::check_identifier("function key", k),
                    );
                }
                map.into_iter()
                    .map(|(k, f)| (k.clone(), path(&["functions", &k]), f))
                    .collect()
            }
        };
        let stages = std::mem::take(&mut self.raw.stages);
        for (s, settings) in &stages {
            self.check(&path(&["stages", s]), rules::check_identifier("stage", s));
            if let Some(nested) = settings
                .functions
                .keys()
                .find(|k| !entries.iter().any(|e| &e.0 == *k))
            {
                self.report_msg(
                    &path(&["stages", s, "functions", nested]),
                    format!(
                        "[stages.{s}.functions.{nested}] overrides a function that is not defined"
                    ),
                    "define it under [functions.<name>], or fix the name",
                );
            }
            if multi && settings.name.is_some() {
                self.report_msg(
                    &path(&["stages", s, "name"]),
                    format!("name under [stages.{s}] would give every function the same name"),
                    format!("set it under [stages.{s}.functions.<name>] instead"),
                );
            }
        }
        for (_, fpath, settings) in &entries {
            if !settings.functions.is_empty() {
                self.report_msg(
                    &child(fpath, "functions"),
                    "functions cannot be nested in a function".into(),
                    "nested [functions] tables are only allowed under [stages.<stage>]",
                );
            }
            if settings.protected.is_some() {
                self.report_msg(
                    &child(fpath, "protected"),
                    "protected marks a stage, not a function".into(),
                    "set it under [stages.<stage>]",
                );
            }
        }

        let stage_settings = stages.get(stage);
        let mut out = Vec::new();
        for (key, fpath, settings) in &entries {
            let stage_fn = stage_settings.and_then(|s| s.functions.get(key));
            let levels = Levels {
                function_path: fpath.clone(),
                function: settings,
                stage_path: stage_settings.map(|_| path(&["stages", stage])),
                stage: stage_settings,
                stage_function_path: stage_fn.map(|_| path(&["stages", stage, "functions", key])),
                stage_function: stage_fn,
            };
            if let Some(f) = self.resolve_function(project, stage, key, multi, &levels) {
                out.push(f);
            }
        }

        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut duplicates = Vec::new();
        for f in &out {
            if let Some(other) = seen.insert(&f.name, &f.key) {
                duplicates.push((f.key.clone(), other.to_string(), f.name.clone()));
            }
        }
        for (a, b, name) in duplicates {
            self.report_msg(
                &path(&["functions", &a, "name"]),
                format!("functions \"{b}\" and \"{a}\" would both be named \"{name}\""),
                "give each function its own name",
            );
        }
        out
    }

    fn resolve_function(
        &mut self,
        project: &str,
        stage: &str,
        key: &str,
        multi: bool,
        levels: &Levels,
    ) -> Option<Function> {
        let fpath = &levels.function_path;
        let before = self.problems.len();

        let name = match levels.pick("name", |s| s.name.clone()) {
            Some((n, at)) => {
                self.check(&at, rules::check_function_name(&n));
                n
            }
            None => {
                let derived = if multi {
                    format!("{project}-{stage}-{key}")
                } else {
                    format!("{project}-{stage}")
                };
                if let Err(v) = rules::check_function_name(&derived) {
                    self.report_msg(
                        fpath,
                        format!(
                            "the derived function name \"{derived}\" is not valid: {}",
                            v.message
                        ),
                        "set `name` for the function explicitly",
                    );
                }
                derived
            }
        };

        let runtime = match levels.pick("runtime", |s| s.runtime.clone()) {
            Some((r, at)) => {
                self.check(&at, rules::check_runtime(&r));
                r
            }
            None => {
                self.report_msg(
                    fpath,
                    format!("[{}] has no runtime", fpath.join(".")),
                    "add e.g. runtime = \"python3.12\"",
                );
                String::new()
            }
        };

        let handler = match levels.pick("handler", |s| s.handler.clone()) {
            Some((h, at)) => {
                if !runtime.is_empty() {
                    self.check(&at, rules::check_handler(&h, &runtime));
                }
                h
            }
            None => {
                self.report_msg(
                    fpath,
                    format!("[{}] has no handler", fpath.join(".")),
                    "add e.g. handler = \"app.lambda_handler\" (Python) or \"index.handler\" (Node.js)",
                );
                String::new()
            }
        };

        let memory = match levels.pick("memory", |s| s.memory) {
            Some((m, at)) => {
                self.check(&at, rules::check_memory(m));
                m
            }
            None => i64::from(DEFAULT_MEMORY),
        };
        let timeout = match levels.pick("timeout", |s| s.timeout) {
            Some((t, at)) => {
                self.check(&at, rules::check_timeout(t));
                t
            }
            None => i64::from(DEFAULT_TIMEOUT),
        };
        let ephemeral_storage = match levels.pick("ephemeral_storage", |s| s.ephemeral_storage) {
            Some((m, at)) => {
                self.check(&at, rules::check_ephemeral_storage(m));
                m
            }
            None => rules::EPHEMERAL_MIN,
        };
        let tracing = match levels.pick("tracing", |s| s.tracing.clone()) {
            Some((t, at)) => match rules::check_tracing(&t) {
                Ok(mode) => mode,
                Err(v) => {
                    self.check(&at, Err(v));
                    "PassThrough"
                }
            },
            None => "PassThrough",
        };
        let reserved_concurrency = levels
            .pick("reserved_concurrency", |s| s.reserved_concurrency)
            .map(|(n, at)| {
                self.check(&at, rules::check_reserved_concurrency(n));
                n.clamp(0, i64::from(u32::MAX)) as u32
            });
        let snapstart = match levels.pick("snapstart", |s| s.snapstart) {
            Some((true, at)) => {
                self.check(&at, rules::check_snapstart(&runtime, ephemeral_storage));
                true
            }
            _ => false,
        };
        let provisioned_concurrency = levels
            .pick("provisioned_concurrency", |s| s.provisioned_concurrency)
            .map(|(n, at)| {
                self.check(
                    &at,
                    rules::check_provisioned_concurrency(n, reserved_concurrency, snapstart),
                );
                n.clamp(0, i64::from(u32::MAX)) as u32
            });
        let logging = match levels.pick("logging", |s| s.logging.clone()) {
            Some((raw, at)) => match rules::check_logging(
                raw.format.as_deref(),
                raw.application_log_level.as_deref(),
                raw.system_log_level.as_deref(),
                raw.log_group.as_deref(),
            ) {
                Ok((format, app, system)) => Logging {
                    format: format.to_string(),
                    application_log_level: app.map(str::to_string),
                    system_log_level: system.map(str::to_string),
                    log_group: raw.log_group.clone(),
                },
                Err(v) => {
                    self.check(&at, Err(v));
                    Logging::default()
                }
            },
            None => Logging::default(),
        };
        let architecture = match levels.pick("architecture", |s| s.architecture.clone()) {
            Some((a, at)) => {
                self.check(&at, rules::check_architecture(&a));
                if a == "arm64" {
                    Architecture::Arm64
                } else {
                    Architecture::X86_64
                }
            }
            None => Architecture::X86_64,
        };
        let role = levels.pick("role", |s| s.role.clone()).map(|(r, at)| {
            self.check(&at, rules::check_role_arn(&r));
            r
        });
        let description = levels
            .pick("description", |s| s.description.clone())
            .map(|(d, _)| d)
            .unwrap_or_default();
        if description.chars().count() > 256 {
            let at = levels
                .pick("description", |s| s.description.clone())
                .map(|(_, at)| at)
                .unwrap_or_default();
            self.report_msg(
                &at,
                "description is longer than Lambda's 256 characters".into(),
                "shorten it",
            );
        }
        let layers_list = levels
            .pick("layers", |s| s.layers.clone())
            .map(|(l, _)| l)
            .unwrap_or_default();
        let source_rel = levels.pick("source", |s| s.source.clone());
        let source = match &source_rel {
            Some((dir, at)) => {
                let p = self.root.join(dir);
                if !p.is_dir() {
                    self.report_msg(
                        at,
                        format!("source = \"{dir}\" is not a directory"),
                        "point source at the directory holding the handler's code",
                    );
                } else {
                    // Packaging a directory outside the project (a home
                    // directory, say) could ship anything on the machine.
                    let inside = match (p.canonicalize(), self.root.canonicalize()) {
                        (Ok(src), Ok(root)) => src.starts_with(root),
                        _ => true,
                    };
                    if !inside {
                        self.report_msg(
                            at,
                            format!("source = \"{dir}\" is outside the project"),
                            "keep the code in the project's directory (where lam.toml is)",
                        );
                    }
                }
                p
            }
            None => self.root.to_path_buf(),
        };

        // Tables merge key by key, lowest level first.
        let mut env_with_paths: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for (k, v) in &self.raw.env {
            env_with_paths.insert(k.clone(), (v.clone().into_string(), path(&["env", k])));
        }
        let mut secrets: BTreeMap<String, String> = self.raw.secrets.clone();
        for (p, s) in levels.by_precedence().into_iter().rev() {
            for (k, v) in &s.env {
                let mut at = child(p, "env");
                at.push(k.clone());
                env_with_paths.insert(k.clone(), (v.clone().into_string(), at));
            }
            secrets.extend(s.secrets.clone());
        }
        let mut env = BTreeMap::new();
        for (k, (v, at)) in env_with_paths {
            self.check(&at, rules::check_env_key(&k));
            env.insert(k, v);
        }
        // A [secrets] key names an environment variable (<KEY>_SECRET_ARN)
        // and a secret (<project>/<stage>/<KEY>): no separators, no "..".
        for k in secrets.keys() {
            let at = if self.locator.has(&child(fpath, "secrets")) {
                child(fpath, "secrets")
            } else {
                path(&["secrets"])
            };
            self.check(&at, rules::check_env_key(k));
        }
        if let Err(v) = rules::check_env_size(rules::env_size(&env)) {
            let at = if self.locator.has(&child(fpath, "env")) {
                child(fpath, "env")
            } else {
                path(&["env"])
            };
            self.report(&at, v);
        }

        let api = match levels.pick("api", |s| s.api.clone()) {
            Some((a, at)) => Some((a, at)),
            None => self.raw.api.clone().map(|a| (a, path(&["api"]))),
        };
        if let Some((a, at)) = &api {
            for (field, v) in rules::check_api(a) {
                self.report(&child(at, field), v);
            }
        }
        let api = api.map(|(a, _)| a);
        let alias = match levels.pick("alias", |s| s.alias.clone()) {
            Some((a, at)) => {
                self.check(&at, rules::check_alias(&a));
                a
            }
            None => DEFAULT_ALIAS.to_string(),
        };
        let policy = match levels.pick("policy", |s| s.policy.clone()) {
            Some((statements, at)) => {
                for (i, st) in statements.iter().enumerate() {
                    let mut at = at.clone();
                    at.push(i.to_string());
                    self.check(&at, rules::check_policy_statement(st));
                }
                statements
            }
            None => Vec::new(),
        };
        let build = levels
            .pick("build", |s| s.build.clone())
            .map(|(b, _)| b)
            .or_else(|| self.raw.build.clone())
            .unwrap_or_default();
        let triggers = match levels.pick("triggers", |s| s.triggers.clone()) {
            Some((list, at)) => {
                for (i, t) in list.iter().enumerate() {
                    let mut at = at.clone();
                    at.push(i.to_string());
                    self.check(&at, rules::check_trigger(t, &env));
                }
                list
            }
            None => Vec::new(),
        };

        if self.problems.len() > before {
            return None;
        }
        Some(Function {
            key: key.to_string(),
            name,
            runtime,
            handler,
            memory: memory as u32,
            timeout: timeout as u32,
            ephemeral_storage: ephemeral_storage as u32,
            tracing: tracing.to_string(),
            reserved_concurrency,
            provisioned_concurrency,
            logging,
            snapstart,
            architecture,
            description,
            role,
            alias,
            policy,
            triggers,
            source,
            layers: layers_list,
            env,
            env_sources: BTreeMap::new(),
            secrets,
            api,
            build,
        })
    }
}

#[cfg(test)]
mod tests;
