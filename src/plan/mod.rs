//! One desired-state model for deploy, `--dry-run`, status, env diff and
//! destroy.
//!
//! - [`desired::Desired`]: what lam.toml, the package and the flags ask
//!   for, resolved without an AWS call.
//! - [`actual::Actual`]: what AWS holds, read only (independent reads
//!   concurrently), each resource marked lam's, someone else's, or absent.
//! - [`diff::diff`]: a pure function from the two to a [`Plan`], a list of
//!   typed [`Change`]s in the order they must happen.
//! - [`apply::apply`]: the only code that calls the changing functions of
//!   `aws/`.
//!
//! Deploy applies the plan, `--dry-run` and `status` render it (drift is a
//! non-empty plan), `env diff` filters it to the environment, and destroy
//! is the diff against nothing.

pub mod actual;
pub mod apply;
pub mod desired;
pub mod diff;
pub mod permissions;

use std::fmt;

use serde::Serialize;

use crate::aws::s3::LambdaNotification;

/// An API that exists, or the one an earlier change of the same plan creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiRef {
    Existing(String),
    /// Made by the plan's `create_rest_api` / `create_http_api`.
    New,
}

impl fmt::Display for ApiRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiRef::Existing(id) => write!(f, "{id}"),
            ApiRef::New => write!(f, "the new API"),
        }
    }
}

/// One configuration field of the function that differs. Env values are
/// never part of a plan: only the keys added, changed and removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// For env: the shell variables (`${VAR}`) that fill the keys added or
    /// changed.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub from_shell: std::collections::BTreeMap<String, Vec<String>>,
}

impl FieldChange {
    pub fn value(field: &'static str, from: serde_json::Value, to: serde_json::Value) -> Self {
        FieldChange {
            field,
            from: Some(from),
            to: Some(to),
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            from_shell: std::collections::BTreeMap::new(),
        }
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field == "env" {
            let mut parts = Vec::new();
            if !self.added.is_empty() {
                parts.push(format!("+{}", self.added.join(" +")));
            }
            if !self.changed.is_empty() {
                parts.push(format!("~{}", self.changed.join(" ~")));
            }
            if !self.removed.is_empty() {
                parts.push(format!("-{}", self.removed.join(" -")));
            }
            let shell: Vec<String> = self
                .from_shell
                .iter()
                .map(|(k, vars)| format!("{k} from ${}", vars.join(" $")))
                .collect();
            if !shell.is_empty() {
                return write!(f, "env ({}; {})", parts.join(" "), shell.join(", "));
            }
            return write!(f, "env ({})", parts.join(" "));
        }
        let show = |v: &Option<serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) if s.is_empty() => "\"\"".to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => "-".to_string(),
        };
        write!(
            f,
            "{} {} → {}",
            self.field,
            show(&self.from),
            show(&self.to)
        )
    }
}

/// A permission in the alias's resource policy, as a change adds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub sid: String,
    pub principal: String,
    pub action: String,
    /// The invoking resource; for an API not created yet, `source_api`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_api: Option<ApiRef>,
    /// The invoking resource's account (S3 bucket ARNs name none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_account: Option<String>,
    /// `lambda:InvokeFunctionUrl`: the URL's auth type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_auth: Option<String>,
    /// Only through the function URL (`InvokedViaFunctionUrl`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub via_url: bool,
}

/// One typed change, in lam's terms. `Serialize` gives `{"kind": ..., fields}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    // The execution role lam makes.
    CreateRole {
        role: String,
    },
    AttachBasicExecution {
        role: String,
    },
    PutRolePolicy {
        role: String,
        /// The statement ids (or actions) the inline policy grants.
        statements: Vec<String>,
        replaces: bool,
    },
    DeleteRolePolicy {
        role: String,
    },
    /// Records which regions' functions run as lam's role (IAM is global).
    TagRoleRegions {
        role: String,
        regions: Vec<String>,
    },

    // The function, its versions and alias.
    /// lam's tags put on a function: one lam did not create (`--adopt`),
    /// or one an older lam tagged only `managed-by`.
    TagFunction {
        function: String,
        tags: std::collections::BTreeMap<String, String>,
    },
    CreateFunction {
        function: String,
        runtime: String,
        memory: u32,
        timeout: u32,
        architecture: String,
    },
    UploadCode {
        function: String,
        sha256: String,
        size: u64,
        /// Set with the code: an architecture change.
        #[serde(skip_serializing_if = "Option::is_none")]
        architecture: Option<FieldChange>,
    },
    UpdateConfiguration {
        function: String,
        fields: Vec<FieldChange>,
    },
    Publish {
        function: String,
        alias: String,
        /// The version the alias serves now.
        from: Option<String>,
    },
    DeleteVersions {
        function: String,
        versions: Vec<u64>,
    },
    /// `reserved_concurrency`: set (PutFunctionConcurrency) or removed
    /// (DeleteFunctionConcurrency). The function's, not a version's.
    SetReservedConcurrency {
        function: String,
        from: Option<u32>,
        to: Option<u32>,
    },
    /// `provisioned_concurrency`: set on the alias
    /// (PutProvisionedConcurrencyConfig) or removed
    /// (DeleteProvisionedConcurrencyConfig), after the alias has moved.
    SetProvisionedConcurrency {
        function: String,
        alias: String,
        from: Option<u32>,
        to: Option<u32>,
    },

    // `[api] kind = "rest"`.
    CreateRestApi {
        name: String,
    },
    AddProxyResource {
        api: ApiRef,
    },
    SetBinaryMediaTypes {
        api: ApiRef,
        add: Vec<String>,
        remove: Vec<String>,
    },
    IntegrateRestMethod {
        api: ApiRef,
        path: String,
    },
    PutRestPreflight {
        api: ApiRef,
        path: String,
    },
    RemoveRestPreflight {
        api: ApiRef,
        path: String,
    },
    DeployRestStage {
        api: ApiRef,
        stage: String,
        /// A hash of what the stage will serve (integration, preflight),
        /// recorded in the stage so that a deploy that failed before the
        /// stage was deployed is finished by the next one.
        shape: String,
    },

    // `[api] kind = "http"`.
    CreateHttpApi {
        name: String,
    },
    SetHttpCors {
        api: ApiRef,
    },
    RemoveHttpCors {
        api: ApiRef,
    },
    IntegrateHttpApi {
        api: ApiRef,
        /// An integration to the alias that exists with other settings.
        #[serde(skip_serializing_if = "Option::is_none")]
        update: Option<String>,
    },
    AddRoute {
        api: ApiRef,
        route: String,
    },
    PointRoute {
        api: ApiRef,
        route: String,
        route_id: String,
    },
    RemoveRoute {
        api: ApiRef,
        route: String,
        route_id: String,
    },
    CreateHttpStage {
        api: ApiRef,
    },
    /// An API named by id whose `$default` stage does not auto-deploy.
    DeployHttpStage {
        api: ApiRef,
    },

    // `[api] kind = "url"`.
    PutUrl {
        function: String,
        alias: String,
        auth: String,
        exists: bool,
    },
    RemoveUrl {
        function: String,
        alias: String,
    },

    // The alias's resource policy.
    AddPermission {
        function: String,
        alias: String,
        grant: Grant,
    },
    RemovePermission {
        function: String,
        alias: String,
        sid: String,
    },

    // `[[function.triggers]]`.
    PutS3Notifications {
        bucket: String,
        /// lam's notifications for this function; empty removes them.
        notifications: Vec<LambdaNotification>,
    },
    PutScheduleRule {
        rule: String,
        expression: String,
    },
    PutScheduleTarget {
        rule: String,
        target: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        input: Option<String>,
    },
    RemoveSchedule {
        rule: String,
    },
    PutMapping {
        function_arn: String,
        queue_arn: String,
        batch_size: u32,
        report_failures: bool,
        /// Seconds to gather messages (MaximumBatchingWindowInSeconds).
        batch_window: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        uuid: Option<String>,
    },
    DeleteMapping {
        uuid: String,
        queue_arn: String,
    },
    Subscribe {
        topic_arn: String,
        endpoint: String,
    },
    Unsubscribe {
        topic_arn: String,
        subscriptions: Vec<String>,
    },

    // What destroy deletes.
    DeleteRestApi {
        id: String,
    },
    DeleteHttpApi {
        id: String,
    },
    DeleteFunction {
        function: String,
    },
    DeleteRole {
        role: String,
    },
    DeleteLogGroup {
        group: String,
    },

    /// Something the plan may not change: a resource lam did not create,
    /// or a rule AWS would refuse. Deploy stops before any change; destroy
    /// keeps the resource.
    Blocked {
        resource: String,
        reason: String,
        hint: String,
    },
}

impl Change {
    pub fn is_blocked(&self) -> bool {
        matches!(self, Change::Blocked { .. })
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::CreateRole { role } => write!(f, "create role {role}"),
            Change::AttachBasicExecution { role } => {
                write!(f, "attach AWSLambdaBasicExecutionRole to {role}")
            }
            Change::PutRolePolicy {
                role,
                statements,
                replaces,
            } => write!(
                f,
                "{} the inline policy of {role} ({})",
                if *replaces { "update" } else { "write" },
                statements.join(", ")
            ),
            Change::DeleteRolePolicy { role } => write!(f, "remove the inline policy of {role}"),
            Change::TagRoleRegions { role, regions } => {
                write!(
                    f,
                    "record that the functions of {} run as {role}",
                    regions.join(", ")
                )
            }
            Change::TagFunction { function, tags } => write!(
                f,
                "tag function {function} as lam's (project {}, stage {})",
                tags.get("lam:project").map(String::as_str).unwrap_or("?"),
                tags.get("lam:stage").map(String::as_str).unwrap_or("?")
            ),
            Change::CreateFunction {
                function,
                runtime,
                memory,
                timeout,
                architecture,
            } => write!(
                f,
                "create function {function} ({runtime}, {memory} MB, {timeout} s, {architecture})"
            ),
            Change::UploadCode {
                sha256,
                size,
                architecture,
                ..
            } => {
                write!(
                    f,
                    "upload code ({}, sha256 {})",
                    crate::ui::format_size(*size),
                    sha256
                )?;
                if let Some(a) = architecture {
                    write!(f, " with {a}")?;
                }
                Ok(())
            }
            Change::UpdateConfiguration { fields, .. } => write!(
                f,
                "update configuration: {}",
                fields
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Change::Publish { alias, from, .. } => match from {
                Some(v) => write!(
                    f,
                    "publish a version and move {alias} from version {v} to it"
                ),
                None => write!(f, "publish a version and point {alias} at it"),
            },
            Change::SetReservedConcurrency { from, to, .. } => {
                let show = |v: &Option<u32>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
                match to {
                    Some(_) => write!(f, "reserved concurrency {} → {}", show(from), show(to)),
                    None => write!(f, "remove reserved concurrency {}", show(from)),
                }
            }
            Change::SetProvisionedConcurrency {
                alias, from, to, ..
            } => {
                let show = |v: &Option<u32>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
                match to {
                    Some(_) => write!(
                        f,
                        "provisioned concurrency on {alias} {} → {}",
                        show(from),
                        show(to)
                    ),
                    None => write!(
                        f,
                        "remove provisioned concurrency {} from {alias}",
                        show(from)
                    ),
                }
            }
            Change::DeleteVersions { versions, .. } => write!(
                f,
                "delete versions {}",
                versions
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Change::CreateRestApi { name } => write!(f, "create REST API {name}"),
            Change::AddProxyResource { .. } => write!(f, "add resource /{{proxy+}}"),
            Change::SetBinaryMediaTypes { add, remove, .. } => {
                let mut parts: Vec<String> = add.iter().map(|t| format!("+{t}")).collect();
                parts.extend(remove.iter().map(|t| format!("-{t}")));
                write!(f, "set binary media types ({})", parts.join(" "))
            }
            Change::IntegrateRestMethod { path, .. } => {
                write!(f, "send ANY {path} to the function")
            }
            Change::PutRestPreflight { path, .. } => write!(f, "answer CORS preflight on {path}"),
            Change::RemoveRestPreflight { path, .. } => {
                write!(f, "remove CORS preflight on {path}")
            }
            Change::DeployRestStage { stage, .. } => write!(f, "deploy stage {stage}"),
            Change::CreateHttpApi { name } => write!(f, "create HTTP API {name}"),
            Change::SetHttpCors { .. } => write!(f, "set the API's CORS configuration"),
            Change::RemoveHttpCors { .. } => write!(f, "remove the API's CORS configuration"),
            Change::IntegrateHttpApi { update, .. } => match update {
                Some(_) => write!(f, "set the integration to Lambda proxy, payload 2.0"),
                None => write!(f, "integrate the function (payload 2.0)"),
            },
            Change::AddRoute { route, .. } => write!(f, "add route {route}"),
            Change::PointRoute { route, .. } => write!(f, "point route {route} at the function"),
            Change::RemoveRoute { route, .. } => write!(f, "remove route {route}"),
            Change::CreateHttpStage { .. } => write!(f, "create the $default stage (auto-deploy)"),
            Change::DeployHttpStage { .. } => {
                write!(f, "deploy the $default stage (it does not auto-deploy)")
            }
            Change::PutUrl { auth, exists, .. } => {
                if *exists {
                    write!(f, "update the function URL ({auth})")
                } else {
                    write!(f, "create a function URL ({auth})")
                }
            }
            Change::RemoveUrl { .. } => write!(f, "remove the function URL"),
            Change::AddPermission { alias, grant, .. } => {
                let who = match grant.principal.as_str() {
                    "*" => "the public URL",
                    "apigateway.amazonaws.com" => "API Gateway",
                    other => other,
                };
                write!(f, "allow {who} to invoke {alias} ({})", grant.sid)
            }
            Change::RemovePermission { sid, .. } => write!(f, "remove permission {sid}"),
            Change::PutS3Notifications {
                bucket,
                notifications,
            } => {
                if notifications.is_empty() {
                    write!(f, "remove the notification of s3://{bucket}")
                } else {
                    write!(
                        f,
                        "notify on s3://{bucket} ({})",
                        plural(notifications.len(), "rule", "rules")
                    )
                }
            }
            Change::PutScheduleRule { rule, expression } => {
                write!(f, "schedule {expression} ({rule})")
            }
            Change::PutScheduleTarget { rule, .. } => write!(f, "target the alias from {rule}"),
            Change::RemoveSchedule { rule } => write!(f, "remove schedule {rule}"),
            Change::PutMapping {
                queue_arn,
                batch_size,
                uuid,
                ..
            } => {
                let queue = queue_arn.rsplit(':').next().unwrap_or(queue_arn);
                match uuid {
                    Some(_) => write!(f, "update the mapping from {queue} (batch {batch_size})"),
                    None => write!(f, "read {queue} (batch {batch_size})"),
                }
            }
            Change::DeleteMapping { queue_arn, .. } => write!(f, "stop reading {queue_arn}"),
            Change::Subscribe { topic_arn, .. } => write!(
                f,
                "subscribe to {}",
                topic_arn.rsplit(':').next().unwrap_or(topic_arn)
            ),
            Change::Unsubscribe { topic_arn, .. } => write!(
                f,
                "unsubscribe from {}",
                topic_arn.rsplit(':').next().unwrap_or(topic_arn)
            ),
            Change::DeleteRestApi { id } => write!(f, "delete REST API {id}"),
            Change::DeleteHttpApi { id } => write!(f, "delete HTTP API {id}"),
            Change::DeleteFunction { function } => write!(
                f,
                "delete function {function} (with its versions, alias and URL)"
            ),
            Change::DeleteRole { role } => write!(f, "delete IAM role {role} and its policies"),
            Change::DeleteLogGroup { group } => write!(f, "delete log group {group}"),
            Change::Blocked {
                resource, reason, ..
            } => write!(f, "{resource}: {reason}"),
        }
    }
}

/// The changes that make one function's part of AWS match the project.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    /// The function's key in lam.toml.
    pub function: String,
    /// Its name on AWS.
    pub name: String,
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn blocked(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.is_blocked())
    }

    /// Whether new code is uploaded (or the function created).
    pub fn code_changed(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, Change::UploadCode { .. } | Change::CreateFunction { .. }))
    }

    /// The configuration fields that change, in order.
    pub fn configuration_changed(&self) -> Vec<&'static str> {
        self.changes
            .iter()
            .flat_map(|c| match c {
                Change::UpdateConfiguration { fields, .. } => {
                    fields.iter().map(|f| f.field).collect()
                }
                _ => Vec::new(),
            })
            .collect()
    }

    /// The environment part of the plan: the env field of a configuration
    /// update (for a function not created yet, every key is added).
    pub fn env_change(&self) -> Option<&FieldChange> {
        self.changes.iter().find_map(|c| match c {
            Change::UpdateConfiguration { fields, .. } => fields.iter().find(|f| f.field == "env"),
            _ => None,
        })
    }

    /// The plan's blocked changes as one error (None when nothing is blocked).
    pub fn blocked_error(&self) -> Option<crate::error::Error> {
        let problems: Vec<crate::error::Problem> = self
            .blocked()
            .filter_map(|c| match c {
                Change::Blocked {
                    resource,
                    reason,
                    hint,
                } => Some(crate::error::Problem {
                    message: format!("{resource}: {reason}"),
                    hint: Some(hint.clone()),
                }),
                _ => None,
            })
            .collect();
        (!problems.is_empty())
            .then(|| crate::error::Error::many(crate::error::Kind::Config, problems))
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return write!(f, "{}: nothing to change", self.name);
        }
        write!(f, "{}:", self.name)?;
        for c in &self.changes {
            write!(f, "\n  {c}")?;
        }
        Ok(())
    }
}
