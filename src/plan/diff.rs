//! `diff(&Desired, &Actual) -> Plan`: pure, no AWS call, so every change
//! kind is unit-tested here without moto.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::actual::{Actual, FoundSecret, full_env};
use super::desired::{ApiWanted, Desired, RoleChoice, Wanted};
use super::{ApiRef, Change, FieldChange, Grant, Plan};
use crate::aws::endpoint::{HTTP_SID, REST_SID, SIDS, URL_INVOKE_SID, URL_SID};
use crate::aws::iam::BASIC_EXECUTION;
use crate::aws::lambda::{Provisioned, Settings};
use crate::aws::rest_api::{PROXY_PATH, preflight_headers};
use crate::aws::s3::LambdaNotification;
use crate::aws::secrets::Store;
use crate::aws::triggers::{
    S3_SID, SCHEDULE_SID, SNS_SID, notification_id, queue_arn, rule_prefix, sid_for, topic_arn,
};
use crate::config::{ApiKind, CorsConfig, Trigger, rules};

/// The changes that make `actual` what `desired` asks for, in the order
/// they must happen.
pub fn diff(desired: &Desired, actual: &Actual) -> Plan {
    let mut changes = Vec::new();
    match &desired.wanted {
        Some(wanted) => deploy(desired, wanted, actual, &mut changes),
        None => destroy(desired, actual, &mut changes),
    }
    Plan {
        function: desired.key.clone(),
        name: desired.name.clone(),
        changes,
    }
}

/// The configuration the function should have, given where the role and
/// secrets are.
pub fn settings(desired: &Desired, wanted: &Wanted, actual: &Actual) -> Settings {
    Settings {
        runtime: wanted.runtime.clone(),
        handler: wanted.handler.clone(),
        memory: wanted.memory,
        timeout: wanted.timeout,
        ephemeral_storage: wanted.ephemeral_storage,
        tracing: wanted.tracing.clone(),
        snapstart: wanted.snapstart,
        log_format: wanted.logging.format.clone(),
        application_log_level: (wanted.logging.format == "JSON").then(|| {
            wanted
                .logging
                .application_log_level
                .clone()
                .unwrap_or_else(|| "INFO".into())
        }),
        system_log_level: (wanted.logging.format == "JSON").then(|| {
            wanted
                .logging
                .system_log_level
                .clone()
                .unwrap_or_else(|| "INFO".into())
        }),
        log_group: wanted
            .logging
            .log_group
            .clone()
            .unwrap_or_else(|| format!("/aws/lambda/{}", desired.name)),
        architecture: wanted.architecture.clone(),
        description: wanted.description.clone(),
        role: match &wanted.role {
            RoleChoice::Named(arn) => arn.clone(),
            RoleChoice::Lam => actual.lam_role_arn(desired),
        },
        env: full_env(&wanted.env, &actual.secrets),
        // The function's own layers first, lam's dependency layer last: a
        // later layer's files win, so requirements.txt wins over what a
        // shared layer ships, as it does with the dependencies in the zip.
        layers: wanted
            .layers
            .iter()
            .chain(&wanted.deps_layer)
            .cloned()
            .collect(),
    }
}

fn deploy(desired: &Desired, wanted: &Wanted, actual: &Actual, changes: &mut Vec<Change>) {
    let name = &desired.name;
    let want = settings(desired, wanted, actual);
    if let Err(v) = rules::check_env_size(rules::env_size(&want.env)) {
        changes.push(Change::Blocked {
            resource: name.clone(),
            reason: v.message,
            hint: v.hint,
        });
    }
    limits(desired, wanted, actual, changes);
    if wanted.role == RoleChoice::Lam {
        role(desired, wanted, actual, changes);
    }

    // The function: lam's for this project and stage, or taken over.
    if let Some(f) = &actual.function {
        if !f.lam_created {
            if desired.adopt {
                changes.push(Change::TagFunction {
                    function: name.clone(),
                    tags: desired.tags(),
                });
            } else {
                changes.push(Change::Blocked {
                    resource: format!("function {name}"),
                    reason: "exists and was not created by lam".into(),
                    hint: "pass --adopt to take it over (lam tags it and manages it from then on), or give the function another `name`".into(),
                });
            }
        } else if let Some(owner) = desired.other_owner(&f.project, &f.stage) {
            changes.push(Change::Blocked {
                resource: format!("function {name}"),
                reason: format!("belongs to {owner}"),
                hint: "two projects or stages name the same function: set another `name`, or rename the project or stage".into(),
            });
        } else if f.project.is_none() {
            // Made by an older lam, tagged only managed-by.
            changes.push(Change::TagFunction {
                function: name.clone(),
                tags: desired.tags(),
            });
        }
    }

    // The function: created, or its code and configuration updated.
    let mut updated = false;
    match &actual.function {
        None => {
            changes.push(Change::CreateFunction {
                function: name.clone(),
                runtime: want.runtime.clone(),
                memory: want.memory,
                timeout: want.timeout,
                architecture: want.architecture.clone(),
            });
            updated = true;
        }
        Some(current) => {
            let have = &current.settings;
            let architecture = (have.architecture != want.architecture).then(|| {
                FieldChange::value(
                    "architecture",
                    json!(have.architecture),
                    json!(want.architecture),
                )
            });
            if current.code_sha256 != wanted.code.sha256 || architecture.is_some() {
                changes.push(Change::UploadCode {
                    function: name.clone(),
                    sha256: wanted.code.sha256.clone(),
                    size: wanted.code.size,
                    architecture,
                });
                updated = true;
            }
            let fields = configuration_changes(have, &want, &wanted.env_sources);
            if !fields.is_empty() {
                changes.push(Change::UpdateConfiguration {
                    function: name.clone(),
                    fields,
                });
                updated = true;
            }
        }
    }

    // Provisioned concurrency belongs to the alias and follows it to the
    // version the alias serves. Raised or set: after the alias has moved.
    // Lowered or removed: first, before a lower reserved concurrency
    // (which must hold it) and before the alias moves to a version that may
    // not take it (SnapStart does not). A FAILED allocation is put again;
    // an endpoint without the API (moto) has none to remove.
    let provisioned_now = match &actual.provisioned {
        Provisioned::Configured { status, .. } if status == "FAILED" => None,
        p => p.requested(),
    };
    let provisioned = (provisioned_now != wanted.provisioned_concurrency).then(|| {
        Change::SetProvisionedConcurrency {
            function: name.clone(),
            alias: desired.alias.clone(),
            from: actual.provisioned.requested(),
            to: wanted.provisioned_concurrency,
        }
    });
    let lowering = match (
        actual.provisioned.requested(),
        wanted.provisioned_concurrency,
    ) {
        (Some(_), None) => true,
        (Some(now), Some(to)) => to < now,
        _ => false,
    };
    if let Some(change) = provisioned.clone().filter(|_| lowering) {
        changes.push(change);
    }

    // Reserved concurrency belongs to the function, not to a version.
    let reserved_now = actual
        .function
        .as_ref()
        .and_then(|f| f.reserved_concurrency);
    // AWS keeps at least 100 executions unreserved in an account ("Lambda
    // function scaling", reserved concurrency): a reservation that would
    // leave fewer is refused by PutFunctionConcurrency after $LATEST was
    // updated; refused here, before any change.
    if let (Some(want), Some(unreserved)) = (wanted.reserved_concurrency, actual.unreserved) {
        let most = (unreserved + reserved_now.unwrap_or(0)).saturating_sub(UNRESERVED_MINIMUM);
        if want > most {
            changes.push(Change::Blocked {
                resource: format!("function {name}"),
                reason: format!(
                    "reserved_concurrency = {want} would leave fewer than {UNRESERVED_MINIMUM} unreserved executions in the account ({unreserved} unreserved now)"
                ),
                hint: format!(
                    "reserve at most {most}, or ask AWS for a higher concurrency quota (Service Quotas, Lambda: Concurrent executions)"
                ),
            });
        }
    }
    if reserved_now != wanted.reserved_concurrency {
        changes.push(Change::SetReservedConcurrency {
            function: name.clone(),
            from: reserved_now,
            to: wanted.reserved_concurrency,
        });
    }

    // The version the alias serves: published again unless it already is
    // exactly this code and configuration.
    let serves = !updated
        && actual
            .served
            .as_ref()
            .is_some_and(|d| d.code_sha256 == wanted.code.sha256 && d.settings == want);
    if !serves {
        changes.push(Change::Publish {
            function: name.clone(),
            alias: desired.alias.clone(),
            from: actual.alias_version.clone(),
        });
    }

    if let Some(change) = provisioned.filter(|_| !lowering) {
        changes.push(change);
    }
    if let (Some(keep), Some(versions)) = (desired.keep_versions, &actual.versions) {
        let publishing = !serves;
        // Lambda makes a version only when $LATEST differs from the newest.
        let same_as_newest = versions
            .newest
            .as_ref()
            .is_some_and(|n| n.code_sha256 == wanted.code.sha256 && n.settings == want);
        let new_version = publishing && (updated || !same_as_newest);
        let total = versions.published.len() + usize::from(new_version);
        let cut = total
            .saturating_sub(keep as usize)
            .min(versions.published.len());
        let mut aliased: Vec<u64> = versions
            .aliases
            .iter()
            .filter(|(alias, _)| !(publishing && alias == &desired.alias))
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        if publishing && !new_version {
            // The alias moves to the newest version: it stays.
            aliased.extend(versions.published.last());
        }
        let doomed: Vec<u64> = versions.published[..cut]
            .iter()
            .copied()
            .filter(|v| !aliased.contains(v))
            .collect();
        if !doomed.is_empty() {
            changes.push(Change::DeleteVersions {
                function: name.clone(),
                versions: doomed,
            });
        }
    }

    endpoint(desired, &wanted.api, actual, changes);
    triggers(desired, &wanted.triggers, actual, changes);
}

/// AWS rules that need what was read: the queues of SQS triggers and the
/// layers' sizes.
fn limits(desired: &Desired, wanted: &Wanted, actual: &Actual, changes: &mut Vec<Change>) {
    for q in &actual.queues {
        let queue = q.arn.rsplit(':').next().unwrap_or(&q.arn);
        match q.visibility_timeout {
            None => changes.push(Change::Blocked {
                resource: format!("queue {queue}"),
                reason: "of an sqs trigger does not exist".into(),
                hint: "create it first (aws sqs create-queue --queue-name NAME), or fix queue in lam.toml".into(),
            }),
            // CreateEventSourceMapping refuses a queue whose visibility
            // timeout is shorter than the function's timeout (Lambda
            // developer guide, "Using Lambda with Amazon SQS").
            Some(v) if v < wanted.timeout => changes.push(Change::Blocked {
                resource: format!("queue {queue}"),
                reason: format!(
                    "has a visibility timeout of {v} s, shorter than {}'s timeout of {} s",
                    desired.name, wanted.timeout
                ),
                hint: format!(
                    "raise the queue's visibility timeout to at least {} s (AWS recommends six times the function's timeout), or lower timeout in lam.toml",
                    wanted.timeout
                ),
            }),
            Some(_) => {}
        }
    }
    let mut layers: u64 = 0;
    for l in &actual.layers {
        match l.size {
            None => changes.push(Change::Blocked {
                resource: format!("layer {}", l.arn),
                reason: "does not exist (or this account may not use it)".into(),
                hint: "check the layer version ARN in layers = [...]".into(),
            }),
            Some(size) => layers += size.max(0) as u64,
        }
    }
    // The function and its layers share Lambda's 250 MB unzipped. A layer's
    // unzipped size is not reported; its zipped size is a lower bound.
    let total = wanted.code.unzipped + layers;
    if !actual.layers.is_empty() && total > crate::package::UNZIPPED_LIMIT {
        changes.push(Change::Blocked {
            resource: desired.name.clone(),
            reason: format!(
                "the package ({}) and its layers (at least {}) are over Lambda's 250 MB unzipped",
                crate::ui::format_size(wanted.code.unzipped),
                crate::ui::format_size(layers)
            ),
            hint: "drop a layer, or leave files out of the package with .lamignore".into(),
        });
    }
}

/// The configuration fields that differ (the architecture goes with the code).
fn configuration_changes(
    have: &Settings,
    want: &Settings,
    sources: &BTreeMap<String, Vec<String>>,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let env = env_change(&have.env, &want.env);
    let mut value = |field, from: Value, to: Value| {
        if from != to {
            out.push(FieldChange::value(field, from, to));
        }
    };
    value("runtime", json!(have.runtime), json!(want.runtime));
    value("handler", json!(have.handler), json!(want.handler));
    value("memory", json!(have.memory), json!(want.memory));
    value("timeout", json!(have.timeout), json!(want.timeout));
    value(
        "ephemeral_storage",
        json!(have.ephemeral_storage),
        json!(want.ephemeral_storage),
    );
    value("tracing", json!(have.tracing), json!(want.tracing));
    value("snapstart", json!(have.snapstart), json!(want.snapstart));
    value("log_format", json!(have.log_format), json!(want.log_format));
    value(
        "application_log_level",
        json!(have.application_log_level),
        json!(want.application_log_level),
    );
    value(
        "system_log_level",
        json!(have.system_log_level),
        json!(want.system_log_level),
    );
    value("log_group", json!(have.log_group), json!(want.log_group));
    value(
        "description",
        json!(have.description),
        json!(want.description),
    );
    value("role", json!(have.role), json!(want.role));
    out.extend(env.map(|mut e| {
        e.from_shell = sources
            .iter()
            .filter(|(k, _)| e.added.contains(k) || e.changed.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        e
    }));
    if have.layers != want.layers {
        out.push(FieldChange::value(
            "layers",
            json!(have.layers),
            json!(want.layers),
        ));
    }
    out
}

/// The keys added, changed and removed; values never appear.
pub fn env_change(
    have: &BTreeMap<String, String>,
    want: &BTreeMap<String, String>,
) -> Option<FieldChange> {
    let added: Vec<String> = want
        .keys()
        .filter(|k| !have.contains_key(*k))
        .cloned()
        .collect();
    let changed: Vec<String> = want
        .iter()
        .filter(|(k, v)| have.get(*k).is_some_and(|h| h != *v))
        .map(|(k, _)| k.clone())
        .collect();
    let removed: Vec<String> = have
        .keys()
        .filter(|k| !want.contains_key(*k))
        .cloned()
        .collect();
    if added.is_empty() && changed.is_empty() && removed.is_empty() {
        return None;
    }
    Some(FieldChange {
        field: "env",
        from: None,
        to: None,
        added,
        changed,
        removed,
        from_shell: BTreeMap::new(),
    })
}

/// IAM's limit on a role's inline policies, in characters.
const INLINE_POLICY_MAX: usize = 10_240;

fn role(desired: &Desired, wanted: &Wanted, actual: &Actual, changes: &mut Vec<Change>) {
    let role = &desired.lam_role;
    let basic = format!("arn:{}:iam::aws:{BASIC_EXECUTION}", actual.partition());
    let policy = execution_policy(actual, &actual.secrets, wanted);
    let statements = |p: &Value| -> Vec<String> {
        p["Statement"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|s| match s.get("Sid").and_then(Value::as_str) {
                        Some(sid) => sid.to_string(),
                        None => s["Action"]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // IAM: a role's inline policies add up to at most 10,240 characters,
    // white space not counted (IAM and STS quotas).
    if let Some(p) = &policy {
        let size = p.to_string().chars().filter(|c| !c.is_whitespace()).count();
        if size > INLINE_POLICY_MAX {
            changes.push(Change::Blocked {
                resource: format!("role {role}"),
                reason: format!(
                    "its inline policy would take {size} characters, over IAM's limit of {INLINE_POLICY_MAX}"
                ),
                hint: "grant with wildcards (a secret prefix, a bucket's ARN/*) or fewer [[function.policy]] statements, or name a role of your own with `role`".into(),
            });
        }
    }
    let role_owner = actual
        .role
        .as_ref()
        .and_then(|r| desired.other_owner(&r.project, &r.stage));
    match (&actual.role, role_owner) {
        (Some(r), _) if !r.lam_created => changes.push(Change::Blocked {
            resource: format!("role {role}"),
            reason: "exists but was not created by lam".into(),
            hint: "set `role` in lam.toml to use it, or delete or rename that role".into(),
        }),
        // `shop-prod` + stage `dev` and `shop` + stage `prod-dev` name the
        // same role: the second must not take the first one's role over.
        (Some(_), Some(owner)) => changes.push(Change::Blocked {
            resource: format!("role {role}"),
            reason: format!("belongs to {owner}"),
            hint:
                "the two projects' role names collide: rename this project or stage, or set `role`"
                    .into(),
        }),
        (Some(r), None) => {
            if !r.attached.contains(&basic) {
                changes.push(Change::AttachBasicExecution { role: role.clone() });
            }
            // IAM is global: the same project deployed to another region
            // runs as the same role, which destroy must then keep.
            if !r.regions.contains(&actual.region) {
                let mut regions = r.regions.clone();
                regions.push(actual.region.clone());
                regions.sort();
                changes.push(Change::TagRoleRegions {
                    role: role.clone(),
                    regions,
                });
            }
            match (&r.inline, &policy) {
                (Some(have), Some(want)) if have == want => {}
                (None, None) => {}
                (have, Some(want)) => changes.push(Change::PutRolePolicy {
                    role: role.clone(),
                    statements: statements(want),
                    replaces: have.is_some(),
                }),
                (Some(_), None) => changes.push(Change::DeleteRolePolicy { role: role.clone() }),
            }
        }
        (None, _) => {
            changes.push(Change::CreateRole { role: role.clone() });
            changes.push(Change::AttachBasicExecution { role: role.clone() });
            if let Some(want) = &policy {
                changes.push(Change::PutRolePolicy {
                    role: role.clone(),
                    statements: statements(want),
                    replaces: false,
                });
            }
        }
    }
}

/// Unreserved concurrent executions AWS keeps in every account.
pub const UNRESERVED_MINIMUM: u32 = 100;

/// The inline policy of lam's role: read access to exactly the listed
/// secrets and parameters and the queues the function reads, plus
/// `[[function.policy]]`.
pub fn execution_policy(
    actual: &Actual,
    secrets: &[FoundSecret],
    wanted: &Wanted,
) -> Option<Value> {
    let (partition, account) = (actual.partition(), &actual.account);
    let mut statements = Vec::new();
    let mut sm: Vec<&str> = secrets
        .iter()
        .filter(|s| matches!(s.store, Store::SecretsManager(_)))
        .map(|s| s.resource.as_str())
        .collect();
    sm.sort_unstable();
    sm.dedup();
    if !sm.is_empty() {
        statements.push(json!({
            "Sid": "LamSecrets",
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": sm,
        }));
    }
    let mut ssm: Vec<String> = secrets
        .iter()
        .filter_map(|s| match &s.store {
            // Every region's: the role may serve the same project's
            // function in several regions, and each deploy writes the same
            // policy (IAM is global).
            Store::Ssm(path) => Some(format!(
                "arn:{partition}:ssm:*:{account}:parameter/{}",
                path.trim_start_matches('/')
            )),
            Store::SecretsManager(_) => None,
        })
        .collect();
    ssm.sort_unstable();
    ssm.dedup();
    if !ssm.is_empty() {
        statements.push(json!({
            "Sid": "LamParameters",
            "Effect": "Allow",
            "Action": ["ssm:GetParameter"],
            "Resource": ssm,
        }));
    }
    let queues: Vec<String> = wanted
        .triggers
        .iter()
        .filter_map(|t| match t {
            Trigger::Sqs { queue, .. } => Some(queue_arn("*", account, queue)),
            _ => None,
        })
        .collect();
    if !queues.is_empty() {
        statements.push(json!({
            "Sid": "LamQueues",
            "Effect": "Allow",
            "Action": [
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility"
            ],
            "Resource": queues,
        }));
    }
    // Active tracing sends segments to X-Ray: Lambda refuses the function
    // unless its role may (AWSXRayDaemonWriteAccess's two actions; "Using
    // AWS Lambda with AWS X-Ray", Lambda guide).
    if wanted.tracing.eq_ignore_ascii_case("Active") {
        statements.push(json!({
            "Sid": "LamTracing",
            "Effect": "Allow",
            "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            "Resource": "*",
        }));
    }
    for st in &wanted.policy {
        statements.push(json!({
            "Effect": st.effect.as_deref().unwrap_or("Allow"),
            "Action": st.actions,
            "Resource": st.resources,
        }));
    }
    (!statements.is_empty()).then(|| json!({ "Version": "2012-10-17", "Statement": statements }))
}

/// CORS as the services compare it: empty is none, and header names and
/// methods are case-insensitive (HTTP APIs and function URLs store header
/// names lower-cased, so a literal comparison would change CORS on every
/// deploy).
fn non_empty(cors: &Option<CorsConfig>) -> Option<CorsConfig> {
    cors.clone()
        .filter(|c| c != &CorsConfig::default())
        .map(|c| CorsConfig {
            methods: c.methods.iter().map(|m| m.to_ascii_uppercase()).collect(),
            headers: c.headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
            expose_headers: c
                .expose_headers
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            ..c
        })
}

/// A short hash of what a REST API stage serves: the integration and the
/// CORS preflight.
pub fn rest_shape(uri: &str, cors: Option<&CorsConfig>, binary_media_types: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let preflight: BTreeMap<String, String> = cors
        .map(|c| preflight_headers(c).into_iter().collect())
        .unwrap_or_default();
    let mut binary = binary_media_types.to_vec();
    binary.sort();
    let text = format!("{uri}\n{}\n{}", json!(preflight), binary.join(","));
    Sha256::digest(text.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The execute-api ARN an API's invoke permission is scoped to.
fn execute_api_arn(actual: &Actual, id: &str) -> String {
    format!(
        "arn:{}:execute-api:{}:{}:{id}/*",
        actual.partition(),
        actual.region,
        actual.account
    )
}

fn endpoint(desired: &Desired, api: &ApiWanted, actual: &Actual, changes: &mut Vec<Change>) {
    let alias_arn = actual.alias_arn(desired);
    let mut grants: Vec<Grant> = Vec::new();
    let api_grant = |sid: &str, api: &ApiRef| Grant {
        sid: sid.to_string(),
        principal: "apigateway.amazonaws.com".into(),
        action: "lambda:InvokeFunction".into(),
        source_arn: match api {
            ApiRef::Existing(id) => Some(execute_api_arn(actual, id)),
            ApiRef::New => None,
        },
        source_api: (api == &ApiRef::New).then_some(ApiRef::New),
        source_account: None,
        url_auth: None,
        via_url: false,
    };
    match api.kind {
        ApiKind::Rest => {
            let uri = format!(
                "arn:{}:apigateway:{}:lambda:path/2015-03-31/functions/{alias_arn}/invocations",
                actual.partition(),
                actual.region
            );
            let cors = api.cors.as_ref();
            let before = changes.len();
            let (api_ref, stage_exists) = match &actual.rest {
                None => {
                    changes.push(Change::CreateRestApi {
                        name: desired.name.clone(),
                    });
                    (ApiRef::New, false)
                }
                Some(s) => (ApiRef::Existing(s.id.clone()), s.stage_exists),
            };
            // A new API is created with its types; an existing one is patched.
            if let Some(s) = &actual.rest {
                let add: Vec<String> = api
                    .binary_media_types
                    .iter()
                    .filter(|t| !s.binary_media_types.contains(t))
                    .cloned()
                    .collect();
                let remove: Vec<String> = s
                    .binary_media_types
                    .iter()
                    .filter(|t| !api.binary_media_types.contains(t))
                    .cloned()
                    .collect();
                if !add.is_empty() || !remove.is_empty() {
                    changes.push(Change::SetBinaryMediaTypes {
                        api: api_ref.clone(),
                        add,
                        remove,
                    });
                }
            }
            let resources = actual
                .rest
                .as_ref()
                .map(|s| (s.root.as_ref(), s.proxy.as_ref()));
            let (root, proxy) = resources.unwrap_or((None, None));
            if proxy.is_none() {
                changes.push(Change::AddProxyResource {
                    api: api_ref.clone(),
                });
            }
            for (resource, path) in [(root, "/"), (proxy, PROXY_PATH)] {
                if resource.is_none_or(|r| r.any_uri.as_deref() != Some(uri.as_str())) {
                    changes.push(Change::IntegrateRestMethod {
                        api: api_ref.clone(),
                        path: path.to_string(),
                    });
                }
                let options = resource.and_then(|r| r.options.as_ref());
                match cors {
                    Some(c) => {
                        if options.and_then(|o| o.params.as_ref()) != Some(&preflight_headers(c)) {
                            changes.push(Change::PutRestPreflight {
                                api: api_ref.clone(),
                                path: path.to_string(),
                            });
                        }
                    }
                    None => {
                        if options.is_some_and(|o| o.mock) {
                            changes.push(Change::RemoveRestPreflight {
                                api: api_ref.clone(),
                                path: path.to_string(),
                            });
                        }
                    }
                }
            }
            let shape = rest_shape(&uri, cors, &api.binary_media_types);
            let served = actual.rest.as_ref().and_then(|s| s.stage_shape.as_deref());
            if changes.len() > before || !stage_exists || served != Some(shape.as_str()) {
                changes.push(Change::DeployRestStage {
                    api: api_ref.clone(),
                    stage: desired.stage.clone(),
                    shape,
                });
            }
            grants.push(api_grant(REST_SID, &api_ref));
        }
        ApiKind::Http => {
            let cors = non_empty(&api.cors);
            let api_ref = match &actual.http {
                None => {
                    changes.push(Change::CreateHttpApi {
                        name: desired.name.clone(),
                    });
                    ApiRef::New
                }
                Some(s) => {
                    let id = ApiRef::Existing(s.id.clone());
                    if non_empty(&s.cors) != cors {
                        match cors {
                            Some(_) => changes.push(Change::SetHttpCors { api: id.clone() }),
                            // Never removed from an API lam did not create.
                            None if s.lam => {
                                changes.push(Change::RemoveHttpCors { api: id.clone() })
                            }
                            None => {}
                        }
                    }
                    id
                }
            };
            let state = actual.http.as_ref();
            let integration = state.and_then(|s| {
                s.integrations
                    .iter()
                    .find(|i| i.uri.as_deref() == Some(alias_arn.as_str()))
            });
            match integration {
                Some(i) if i.payload_format.as_deref() == Some("2.0") && i.proxy => {}
                Some(i) => changes.push(Change::IntegrateHttpApi {
                    api: api_ref.clone(),
                    update: Some(i.id.clone()),
                }),
                None => changes.push(Change::IntegrateHttpApi {
                    api: api_ref.clone(),
                    update: None,
                }),
            }
            let target = integration.map(|i| format!("integrations/{}", i.id));
            let routes = state.map(|s| s.routes.as_slice()).unwrap_or_default();
            for key in &api.routes {
                match routes.iter().find(|r| &r.key == key) {
                    Some(r) if target.is_some() && r.target == target => {}
                    Some(r) => changes.push(Change::PointRoute {
                        api: api_ref.clone(),
                        route: key.clone(),
                        route_id: r.id.clone(),
                    }),
                    None => changes.push(Change::AddRoute {
                        api: api_ref.clone(),
                        route: key.clone(),
                    }),
                }
            }
            // Routes to this function that lam.toml no longer lists (never
            // on an API lam did not create).
            let owned = state.is_none_or(|s| s.lam);
            for r in routes {
                if owned && target.is_some() && r.target == target && !api.routes.contains(&r.key) {
                    changes.push(Change::RemoveRoute {
                        api: api_ref.clone(),
                        route: r.key.clone(),
                        route_id: r.id.clone(),
                    });
                }
            }
            match state {
                Some(s) if s.default_stage && !s.auto_deploy => {
                    changes.push(Change::DeployHttpStage {
                        api: api_ref.clone(),
                    });
                }
                Some(s) if s.default_stage => {}
                _ => changes.push(Change::CreateHttpStage {
                    api: api_ref.clone(),
                }),
            }
            grants.push(api_grant(HTTP_SID, &api_ref));
        }
        ApiKind::Url | ApiKind::None => {}
    }

    // The function URL lives on the alias.
    if api.kind == ApiKind::Url {
        let matches = actual
            .url
            .as_ref()
            .is_some_and(|u| u.auth == api.auth && non_empty(&u.cors) == non_empty(&api.cors));
        if !matches {
            changes.push(Change::PutUrl {
                function: desired.name.clone(),
                alias: desired.alias.clone(),
                auth: api.auth.clone(),
                exists: actual.url.is_some(),
            });
        }
        if api.auth == "NONE" {
            // A public URL needs both statements since October 2025 (Lambda
            // developer guide, "Control access to Lambda function URLs"):
            // without lambda:InvokeFunction every request answers 403.
            grants.push(Grant {
                sid: URL_SID.into(),
                principal: "*".into(),
                action: "lambda:InvokeFunctionUrl".into(),
                source_arn: None,
                source_api: None,
                source_account: None,
                url_auth: Some("NONE".into()),
                via_url: false,
            });
            grants.push(Grant {
                sid: URL_INVOKE_SID.into(),
                principal: "*".into(),
                action: "lambda:InvokeFunction".into(),
                source_arn: None,
                source_api: None,
                source_account: None,
                url_auth: None,
                via_url: true,
            });
        }
    } else if actual.url.is_some() {
        changes.push(Change::RemoveUrl {
            function: desired.name.clone(),
            alias: desired.alias.clone(),
        });
    }

    permissions(desired, actual, &grants, |sid| SIDS.contains(&sid), changes);
}

/// Makes the alias's statements that `ours` claims exactly `grants`:
/// stale ones removed first (a statement id given a new source is removed
/// and added again), then the missing ones added.
fn permissions(
    desired: &Desired,
    actual: &Actual,
    grants: &[Grant],
    ours: impl Fn(&str) -> bool,
    changes: &mut Vec<Change>,
) {
    let same = |g: &Grant, p: &crate::aws::lambda::Permission| {
        g.sid == p.sid
            && g.source_arn == p.source_arn
            && g.action == p.action
            && g.source_account == p.source_account
    };
    for p in actual.permissions.iter().filter(|p| ours(&p.sid)) {
        if !grants.iter().any(|g| same(g, p)) {
            changes.push(Change::RemovePermission {
                function: desired.name.clone(),
                alias: desired.alias.clone(),
                sid: p.sid.clone(),
            });
        }
    }
    for g in grants {
        if !actual.permissions.iter().any(|p| same(g, p)) {
            changes.push(Change::AddPermission {
                function: desired.name.clone(),
                alias: desired.alias.clone(),
                grant: g.clone(),
            });
        }
    }
}

fn triggers(desired: &Desired, wanted: &[Trigger], actual: &Actual, changes: &mut Vec<Change>) {
    let alias_arn = actual.alias_arn(desired);
    let (region, account, partition) = (&actual.region, &actual.account, actual.partition());
    let state = &actual.triggers;
    let mut grants: Vec<Grant> = Vec::new();
    let mut wiring: Vec<Change> = Vec::new();
    let grant = |sid: String, principal: &str, source: String| Grant {
        sid,
        principal: principal.to_string(),
        action: "lambda:InvokeFunction".into(),
        source_arn: Some(source),
        source_api: None,
        source_account: None,
        url_auth: None,
        via_url: false,
    };

    // S3: lam's notifications on each bucket, next to everyone else's.
    let mut buckets: BTreeMap<String, Vec<LambdaNotification>> = BTreeMap::new();
    for t in wanted {
        if let Trigger::S3 {
            bucket,
            events,
            prefix,
            suffix,
        } = t
        {
            buckets
                .entry(bucket.clone())
                .or_default()
                .push(LambdaNotification {
                    id: notification_id(&desired.name, &alias_arn, bucket, events, prefix, suffix),
                    function_arn: alias_arn.clone(),
                    events: events.clone(),
                    prefix: prefix.clone(),
                    suffix: suffix.clone(),
                });
        }
    }
    for b in &state.buckets {
        buckets.entry(b.bucket.clone()).or_default();
    }
    for (bucket, mut want) in buckets {
        let mut have = state
            .buckets
            .iter()
            .find(|b| b.bucket == bucket)
            .map(|b| b.notifications.clone())
            .unwrap_or_default();
        have.sort_by(|a, b| a.id.cmp(&b.id));
        want.sort_by(|a, b| a.id.cmp(&b.id));
        if !want.is_empty() {
            // A bucket ARN names no account: SourceAccount keeps a bucket of
            // the same name in another account from invoking the function
            // (Lambda developer guide, "Using Lambda with Amazon S3").
            let mut g = grant(
                sid_for(S3_SID, &bucket),
                "s3.amazonaws.com",
                format!("arn:{partition}:s3:::{bucket}"),
            );
            g.source_account = Some(account.clone());
            grants.push(g);
        }
        if have != want {
            wiring.push(Change::PutS3Notifications {
                bucket,
                notifications: want,
            });
        }
    }

    // Schedules: rules `<prefix><n>` targeting the alias.
    let prefix = rule_prefix(&desired.name);
    let mut rule_names = Vec::new();
    let schedules = wanted.iter().filter_map(|t| match t {
        Trigger::Schedule { expression, input } => Some((expression, input)),
        _ => None,
    });
    for (i, (expression, input)) in schedules.enumerate() {
        let rule = format!("{prefix}{i}");
        rule_names.push(rule.clone());
        grants.push(grant(
            format!("{SCHEDULE_SID}{i}"),
            "events.amazonaws.com",
            format!("arn:{partition}:events:{region}:{account}:rule/{rule}"),
        ));
        let input = input.as_ref().map(Value::to_string);
        let current = state.rules.iter().find(|r| r.name == rule);
        if !current.is_some_and(|r| r.expression.as_deref() == Some(expression) && r.enabled) {
            wiring.push(Change::PutScheduleRule {
                rule: rule.clone(),
                expression: expression.clone(),
            });
        }
        let target_ok = current.is_some_and(|r| {
            r.targets.len() == 1
                && r.targets
                    .iter()
                    .all(|(arn, have)| arn == &alias_arn && have == &input)
        });
        if !target_ok {
            wiring.push(Change::PutScheduleTarget {
                rule,
                target: alias_arn.clone(),
                input,
            });
        }
    }
    for r in &state.rules {
        if r.name.starts_with(&prefix) && !rule_names.contains(&r.name) {
            wiring.push(Change::RemoveSchedule {
                rule: r.name.clone(),
            });
        }
    }

    // SQS: one mapping per queue.
    let mut queues = Vec::new();
    for t in wanted {
        let Trigger::Sqs {
            queue,
            batch_size,
            report_batch_item_failures,
            ..
        } = t
        else {
            continue;
        };
        let arn = queue_arn(region, account, queue);
        queues.push(arn.clone());
        let window = t.batch_window();
        let current = state.mappings.iter().find(|m| m.source_arn == arn);
        let same = current.is_some_and(|m| {
            m.batch_size == *batch_size
                && m.report_failures == *report_batch_item_failures
                && m.batch_window == window
        });
        if !same {
            wiring.push(Change::PutMapping {
                function_arn: alias_arn.clone(),
                queue_arn: arn,
                batch_size: *batch_size,
                report_failures: *report_batch_item_failures,
                batch_window: window,
                uuid: current.map(|m| m.uuid.clone()),
            });
        }
    }
    for m in &state.mappings {
        if !queues.contains(&m.source_arn) {
            wiring.push(Change::DeleteMapping {
                uuid: m.uuid.clone(),
                queue_arn: m.source_arn.clone(),
            });
        }
    }

    // SNS: the alias subscribed to each topic.
    let mut topics: Vec<String> = Vec::new();
    for t in wanted {
        if let Trigger::Sns { topic } = t {
            let arn = topic_arn(region, account, topic);
            if !topics.contains(&arn) {
                topics.push(arn);
            }
        }
    }
    for arn in &topics {
        let name = arn.rsplit(':').next().unwrap_or(arn);
        grants.push(grant(
            sid_for(SNS_SID, name),
            "sns.amazonaws.com",
            arn.clone(),
        ));
        let subscribed = state
            .topics
            .iter()
            .any(|t| &t.arn == arn && !t.subscriptions.is_empty());
        if !subscribed {
            wiring.push(Change::Subscribe {
                topic_arn: arn.clone(),
                endpoint: alias_arn.clone(),
            });
        }
    }
    for t in &state.topics {
        if !topics.contains(&t.arn) && !t.subscriptions.is_empty() {
            wiring.push(Change::Unsubscribe {
                topic_arn: t.arn.clone(),
                subscriptions: t.subscriptions.clone(),
            });
        }
    }

    // Permissions first: S3 checks it may invoke when the notification is written.
    let ours = |sid: &str| {
        sid.starts_with(S3_SID) || sid.starts_with(SNS_SID) || sid.starts_with(SCHEDULE_SID)
    };
    permissions(desired, actual, &grants, ours, changes);
    changes.extend(wiring);
}

fn destroy(desired: &Desired, actual: &Actual, changes: &mut Vec<Change>) {
    triggers(desired, &[], actual, changes);
    if let Some(api) = &actual.rest {
        changes.push(Change::DeleteRestApi { id: api.id.clone() });
    }
    if let Some(api) = &actual.http {
        changes.push(Change::DeleteHttpApi { id: api.id.clone() });
    }
    let default_group = format!("/aws/lambda/{}", desired.name);
    // Deleted when it is lam's for this project and stage; kept, and said
    // so, when lam did not create it or made it for another.
    let owned = |resource: String,
                 lam_created: bool,
                 project: &Option<String>,
                 stage: &Option<String>,
                 delete: Change|
     -> Change {
        let reason = if !lam_created {
            Some("not created by lam".to_string())
        } else {
            desired
                .other_owner(project, stage)
                .map(|owner| format!("belongs to {owner}"))
        };
        match reason {
            None => delete,
            Some(reason) => Change::Blocked {
                resource,
                reason,
                hint: "lam only deletes what it created for this project and stage".into(),
            },
        }
    };
    if let Some(f) = &actual.function {
        changes.push(owned(
            format!("function {}", desired.name),
            f.lam_created,
            &f.project,
            &f.stage,
            Change::DeleteFunction {
                function: desired.name.clone(),
            },
        ));
    }
    if let Some(r) = &actual.role {
        // Another region's function still runs as it: kept, without this
        // region in its tag.
        let others: Vec<String> = r
            .regions
            .iter()
            .filter(|g| **g != actual.region)
            .cloned()
            .collect();
        let change = if others.is_empty() {
            Change::DeleteRole {
                role: desired.lam_role.clone(),
            }
        } else {
            Change::TagRoleRegions {
                role: desired.lam_role.clone(),
                regions: others,
            }
        };
        changes.push(owned(
            format!("role {}", desired.lam_role),
            r.lam_created,
            &r.project,
            &r.stage,
            change,
        ));
    }
    if desired.delete_logs {
        match &actual.function {
            // A log group the function was pointed at may be shared: kept.
            Some(f) if f.log_group.as_ref().is_some_and(|g| g != &default_group) => {
                changes.push(Change::Blocked {
                    resource: format!("log group {}", f.log_group.as_deref().unwrap_or_default()),
                    reason: "a custom log group, maybe shared with other functions".into(),
                    hint: "delete it yourself if nothing else writes to it".into(),
                });
            }
            Some(f) if !f.lam_created => {}
            _ => changes.push(Change::DeleteLogGroup {
                group: default_group,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
