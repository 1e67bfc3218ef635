//! The IAM actions a plan will call, on the resources it will call them
//! on: what the pre-flight check (`aws::simulate`) asks IAM's policy
//! simulator about before the first change, so that a deploy never stops
//! half-way for a missing permission.
//!
//! Action names and resource types follow the Service Authorization
//! Reference (Lambda, IAM, API Gateway, EventBridge, SNS, S3, CloudWatch
//! Logs). Where a policy may name a function either by its plain ARN or by
//! a qualified one, both are given and either allowing it is enough: a
//! check that refuses what AWS would allow is worse than none.

use super::actual::Actual;
use super::desired::Desired;
use super::{ApiRef, Change, Plan};

/// One action the plan calls, and the resources any one of which, if the
/// action is allowed on it, lets the call through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub action: &'static str,
    pub resources: Vec<String>,
}

/// Adds `more` to `needs`, without repeats: the needs of several plans.
pub fn merge(needs: &mut Vec<Need>, more: Vec<Need>) {
    for need in more {
        if !needs.contains(&need) {
            needs.push(need);
        }
    }
}

/// Every action `plan` will call, without repeats.
pub fn needed(plan: &Plan, desired: &Desired, actual: &Actual) -> Vec<Need> {
    let p = actual.partition();
    let r = actual.region.as_str();
    let a = actual.account.as_str();
    let function = actual.function_arn(desired);
    let qualified = actual.alias_arn(desired);
    let fns = || vec![function.clone(), qualified.clone()];
    let role = |name: &str| vec![format!("arn:{p}:iam::{a}:role/{name}")];
    let runs_as = || {
        let arn = desired
            .wanted
            .as_ref()
            .map(|w| super::diff::settings(desired, w, actual).role)
            .unwrap_or_else(|| actual.lam_role_arn(desired));
        vec![arn]
    };
    let rest = |api: &ApiRef| {
        let id = match api {
            ApiRef::Existing(id) => id.as_str(),
            ApiRef::New => "*",
        };
        vec![
            format!("arn:{p}:apigateway:{r}::/restapis/{id}"),
            format!("arn:{p}:apigateway:{r}::/restapis/{id}/*"),
        ]
    };
    let http = |api: &ApiRef| {
        let id = match api {
            ApiRef::Existing(id) => id.as_str(),
            ApiRef::New => "*",
        };
        vec![
            format!("arn:{p}:apigateway:{r}::/apis/{id}"),
            format!("arn:{p}:apigateway:{r}::/apis/{id}/*"),
        ]
    };
    let rule = |name: &str| vec![format!("arn:{p}:events:{r}:{a}:rule/{name}")];
    let mapping = |uuid: &str| {
        vec![format!(
            "arn:{p}:lambda:{r}:{a}:event-source-mapping:{uuid}"
        )]
    };

    let mut out: Vec<Need> = Vec::new();
    let mut add = |action: &'static str, resources: Vec<String>| {
        let need = Need { action, resources };
        if !out.contains(&need) {
            out.push(need);
        }
    };
    for change in &plan.changes {
        match change {
            Change::CreateRole { role: name } => {
                add("iam:CreateRole", role(name));
                // CreateRole with tags also needs TagRole (IAM User Guide,
                // "Permissions required to tag IAM resources").
                add("iam:TagRole", role(name));
            }
            Change::AttachBasicExecution { role: name } => add("iam:AttachRolePolicy", role(name)),
            Change::PutRolePolicy { role: name, .. } => add("iam:PutRolePolicy", role(name)),
            Change::DeleteRolePolicy { role: name } => add("iam:DeleteRolePolicy", role(name)),
            Change::TagRoleRegions { role: name, .. } => add("iam:TagRole", role(name)),
            Change::TagFunction { .. } => add("lambda:TagResource", fns()),
            Change::CreateFunction { .. } => {
                add("lambda:CreateFunction", fns());
                add("iam:PassRole", runs_as());
            }
            Change::UploadCode { .. } => add("lambda:UpdateFunctionCode", fns()),
            Change::UpdateConfiguration { fields, .. } => {
                add("lambda:UpdateFunctionConfiguration", fns());
                if fields.iter().any(|f| f.field == "role") {
                    add("iam:PassRole", runs_as());
                }
            }
            Change::Publish { from, .. } => {
                add("lambda:PublishVersion", fns());
                let alias = if from.is_some() {
                    "lambda:UpdateAlias"
                } else {
                    "lambda:CreateAlias"
                };
                add(alias, fns());
            }
            Change::DeleteVersions { .. } => add("lambda:DeleteFunction", fns()),
            Change::SetReservedConcurrency { to, .. } => add(
                if to.is_some() {
                    "lambda:PutFunctionConcurrency"
                } else {
                    "lambda:DeleteFunctionConcurrency"
                },
                fns(),
            ),
            Change::SetProvisionedConcurrency { to, .. } => add(
                if to.is_some() {
                    "lambda:PutProvisionedConcurrencyConfig"
                } else {
                    "lambda:DeleteProvisionedConcurrencyConfig"
                },
                fns(),
            ),
            Change::CreateRestApi { .. } => add(
                "apigateway:POST",
                vec![format!("arn:{p}:apigateway:{r}::/restapis")],
            ),
            Change::AddProxyResource { api } => add("apigateway:POST", rest(api)),
            Change::SetBinaryMediaTypes { api, .. } => add("apigateway:PATCH", rest(api)),
            Change::IntegrateRestMethod { api, .. } | Change::PutRestPreflight { api, .. } => {
                add("apigateway:PUT", rest(api))
            }
            Change::RemoveRestPreflight { api, .. } => add("apigateway:DELETE", rest(api)),
            Change::DeployRestStage { api, .. } => {
                add("apigateway:POST", rest(api));
                add("apigateway:PATCH", rest(api));
            }
            Change::CreateHttpApi { .. } => add(
                "apigateway:POST",
                vec![format!("arn:{p}:apigateway:{r}::/apis")],
            ),
            Change::SetHttpCors { api } | Change::PointRoute { api, .. } => {
                add("apigateway:PATCH", http(api))
            }
            Change::RemoveHttpCors { api } | Change::RemoveRoute { api, .. } => {
                add("apigateway:DELETE", http(api))
            }
            Change::IntegrateHttpApi { api, update } => add(
                if update.is_some() {
                    "apigateway:PATCH"
                } else {
                    "apigateway:POST"
                },
                http(api),
            ),
            Change::AddRoute { api, .. }
            | Change::CreateHttpStage { api }
            | Change::DeployHttpStage { api } => add("apigateway:POST", http(api)),
            Change::PutUrl { exists, .. } => add(
                if *exists {
                    "lambda:UpdateFunctionUrlConfig"
                } else {
                    "lambda:CreateFunctionUrlConfig"
                },
                fns(),
            ),
            Change::RemoveUrl { .. } => add("lambda:DeleteFunctionUrlConfig", fns()),
            Change::AddPermission { .. } => add("lambda:AddPermission", fns()),
            Change::RemovePermission { .. } => add("lambda:RemovePermission", fns()),
            Change::PutS3Notifications { bucket, .. } => add(
                "s3:PutBucketNotification",
                vec![format!("arn:{p}:s3:::{bucket}")],
            ),
            Change::PutScheduleRule { rule: name, .. } => add("events:PutRule", rule(name)),
            Change::PutScheduleTarget { rule: name, .. } => add("events:PutTargets", rule(name)),
            Change::RemoveSchedule { rule: name } => {
                add("events:RemoveTargets", rule(name));
                add("events:DeleteRule", rule(name));
            }
            Change::PutMapping { uuid, .. } => match uuid {
                // CreateEventSourceMapping has no resource to scope it to.
                None => add("lambda:CreateEventSourceMapping", vec!["*".to_string()]),
                Some(uuid) => add("lambda:UpdateEventSourceMapping", mapping(uuid)),
            },
            Change::DeleteMapping { uuid, .. } => {
                add("lambda:DeleteEventSourceMapping", mapping(uuid))
            }
            Change::Subscribe { topic_arn, .. } => add("sns:Subscribe", vec![topic_arn.clone()]),
            Change::Unsubscribe { topic_arn, .. } => {
                add("sns:Unsubscribe", vec![topic_arn.clone()])
            }
            Change::DeleteRestApi { id } => {
                add("apigateway:DELETE", rest(&ApiRef::Existing(id.clone())))
            }
            Change::DeleteHttpApi { id } => {
                add("apigateway:DELETE", http(&ApiRef::Existing(id.clone())))
            }
            Change::DeleteFunction { .. } => add("lambda:DeleteFunction", fns()),
            Change::DeleteRole { role: name } => {
                add("iam:DetachRolePolicy", role(name));
                add("iam:DeleteRole", role(name));
            }
            Change::DeleteLogGroup { group } => add(
                "logs:DeleteLogGroup",
                vec![
                    format!("arn:{p}:logs:{r}:{a}:log-group:{group}"),
                    format!("arn:{p}:logs:{r}:{a}:log-group:{group}:*"),
                ],
            ),
            Change::Blocked { .. } => {}
        }
    }
    out
}
