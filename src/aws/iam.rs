//! The execution role: the one lam creates per function and stage (trust
//! policy for Lambda, basic execution, an inline policy with exactly the
//! grants lam.toml asks for), and the checks on a role lam.toml names.

use serde_json::{Value, json};

use aws_sdk_iam::Client;
use aws_sdk_iam::types::Tag;

use super::{Aws, sdk_error};
use crate::error::{Error, Result};

const SERVICE: &str = "iam";
/// The name of the inline policy lam writes on the roles it creates.
pub const INLINE_POLICY: &str = "lam";
pub const BASIC_EXECUTION: &str = "policy/service-role/AWSLambdaBasicExecutionRole";

/// A role as IAM returns it.
#[derive(Debug, Clone)]
pub struct Role {
    pub arn: String,
    /// Tagged `managed-by = lam`: lam may change and delete it.
    pub lam_created: bool,
    /// lam's `lam:project` and `lam:stage` tags.
    pub project: Option<String>,
    pub stage: Option<String>,
    /// lam's `lam:regions` tag: the regions whose function runs as this
    /// role (IAM is global; the same project may deploy to several).
    pub regions: Vec<String>,
    trust: Option<Value>,
}

impl Role {
    /// Whether the trust policy lets Lambda assume the role.
    pub fn trusts_lambda(&self) -> bool {
        let Some(doc) = &self.trust else {
            return true; // not readable: let Lambda be the judge
        };
        statements(doc).iter().any(|st| {
            st.get("Effect").and_then(Value::as_str) == Some("Allow")
                && as_list(st.get("Action"))
                    .iter()
                    .any(|a| a == "sts:AssumeRole" || a == "sts:*" || a == "*")
                && st
                    .get("Principal")
                    .and_then(|p| p.get("Service"))
                    .is_some_and(|s| as_list(Some(s)).iter().any(|s| s == "lambda.amazonaws.com"))
        })
    }
}

/// What a lam-created role should look like.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleSpec {
    pub name: String,
    pub project: String,
    pub stage: String,
    pub function: String,
    /// The region whose function it is created for.
    pub region: String,
}

/// A role with what lam compares of it, read in bulk.
#[derive(Debug, Clone)]
pub struct RoleDetail {
    pub name: String,
    pub role: Role,
    pub attached: Vec<String>,
    /// lam's inline policy, parsed.
    pub inline: Option<Value>,
}

pub struct Iam {
    aws: Aws,
    client: Client,
}

impl Iam {
    pub fn new(aws: &Aws) -> Iam {
        let conf = aws_sdk_iam::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        Iam {
            aws: aws.clone(),
            client: Client::from_conf(conf),
        }
    }

    fn error<E>(&self, operation: &str, err: aws_sdk_iam::error::SdkError<E>) -> Error
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        sdk_error(&self.aws, SERVICE, operation, err)
    }

    /// Every role of the account with its tags, attached policies and lam's
    /// inline policy, from GetAccountAuthorizationDetails: one listing (1,000
    /// roles a page) instead of three calls per role, for a deploy or status
    /// of many functions. None when the caller may not make it (another
    /// action than GetRole: `iam:GetAccountAuthorizationDetails`), and the
    /// roles are then read one by one.
    pub async fn all_roles(&self) -> Result<Option<Vec<RoleDetail>>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = match self
                .client
                .get_account_authorization_details()
                .filter(aws_sdk_iam::types::EntityType::Role)
                .max_items(1000)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("GetAccountAuthorizationDetails", e))
            {
                Ok(page) => page,
                Err(e) if e.is(crate::error::Cause::AccessDenied) => return Ok(None),
                Err(e) => return Err(e),
            };
            for r in page.role_detail_list() {
                let (Some(name), Some(arn)) = (r.role_name(), r.arn()) else {
                    continue;
                };
                let tag = |k: &str| {
                    r.tags()
                        .iter()
                        .find(|t| t.key() == k)
                        .map(|t| t.value().to_string())
                };
                out.push(RoleDetail {
                    name: name.to_string(),
                    role: Role {
                        arn: arn.to_string(),
                        lam_created: tag("managed-by").is_some_and(|v| v == "lam"),
                        project: tag("lam:project"),
                        stage: tag("lam:stage"),
                        regions: regions_of(r.tags()),
                        trust: r
                            .assume_role_policy_document()
                            .and_then(|d| serde_json::from_str(&percent_decode(d)).ok()),
                    },
                    attached: r
                        .attached_managed_policies()
                        .iter()
                        .filter_map(|p| p.policy_arn().map(str::to_string))
                        .collect(),
                    inline: r
                        .role_policy_list()
                        .iter()
                        .find(|p| p.policy_name() == Some(INLINE_POLICY))
                        .and_then(|p| p.policy_document())
                        .and_then(|d| serde_json::from_str(&percent_decode(d)).ok()),
                });
            }
            marker = page.marker().map(str::to_string);
            if !page.is_truncated() || marker.is_none() {
                return Ok(Some(out));
            }
        }
    }

    /// IAM's policy simulator for the principal `source`: every action of
    /// `actions` on every resource of `resources`, one decision per action
    /// and resource where the answer gives them.
    pub async fn simulate(
        &self,
        source: &str,
        actions: &[&str],
        resources: &[&str],
    ) -> Result<Vec<super::simulate::Decision>> {
        use aws_sdk_iam::types::PolicyEvaluationDecisionType as D;
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .simulate_principal_policy()
                .policy_source_arn(source)
                .set_action_names(Some(actions.iter().map(|a| a.to_string()).collect()))
                .set_resource_arns(Some(resources.iter().map(|r| r.to_string()).collect()))
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("SimulatePrincipalPolicy", e))?;
            for r in page.evaluation_results() {
                let action = r.eval_action_name().to_string();
                let needs_context = !r.missing_context_values().is_empty();
                let decide =
                    |resource: &str, d: &D, needs_context: bool| super::simulate::Decision {
                        action: action.clone(),
                        resource: resource.to_string(),
                        allowed: d == &D::Allowed,
                        explicit: d == &D::ExplicitDeny,
                        needs_context: needs_context && d != &D::Allowed,
                    };
                for specific in r.resource_specific_results() {
                    out.push(decide(
                        specific.eval_resource_name(),
                        specific.eval_resource_decision(),
                        !specific.missing_context_values().is_empty(),
                    ));
                }
                let resource = match r.eval_resource_name() {
                    Some(name) if r.resource_specific_results().is_empty() => name,
                    _ => "*",
                };
                out.push(decide(resource, r.eval_decision(), needs_context));
            }
            marker = page.marker().map(str::to_string);
            if !page.is_truncated() || marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// The role, or None when it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<Role>> {
        match self.client.get_role().role_name(name).send().await {
            Ok(out) => Ok(out.role().map(|r| Role {
                arn: r.arn().to_string(),
                lam_created: r
                    .tags()
                    .iter()
                    .any(|t| t.key() == "managed-by" && t.value() == "lam"),
                project: r
                    .tags()
                    .iter()
                    .find(|t| t.key() == "lam:project")
                    .map(|t| t.value().to_string()),
                stage: r
                    .tags()
                    .iter()
                    .find(|t| t.key() == "lam:stage")
                    .map(|t| t.value().to_string()),
                regions: regions_of(r.tags()),
                trust: r
                    .assume_role_policy_document()
                    .and_then(|d| serde_json::from_str(&percent_decode(d)).ok()),
            })),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
            {
                Ok(None)
            }
            Err(err) => Err(self.error("GetRole", err)),
        }
    }

    /// Records the regions whose function runs as `role`: one tag per
    /// region (`lam:region/<region>`), added or removed on its own, so two
    /// regions deploying at once cannot drop each other's (a single tag
    /// listing them all was read, changed and written back). `before` is
    /// what was read; the older single `lam:regions` tag is folded into the
    /// per-region ones and removed.
    pub async fn set_regions(
        &self,
        role: &str,
        regions: &[String],
        before: &[String],
    ) -> Result<()> {
        let added: Vec<Tag> = regions
            .iter()
            .filter_map(|r| {
                Tag::builder()
                    .key(region_tag(r))
                    .value("runs-here")
                    .build()
                    .ok()
            })
            .collect();
        if !added.is_empty() {
            self.client
                .tag_role()
                .role_name(role)
                .set_tags(Some(added))
                .send()
                .await
                .map_err(|e| self.error("TagRole", e))?;
        }
        let mut removed: Vec<String> = before
            .iter()
            .filter(|r| !regions.contains(r))
            .map(|r| region_tag(r))
            .collect();
        removed.push(LEGACY_REGIONS_TAG.to_string());
        self.client
            .untag_role()
            .role_name(role)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.error("UntagRole", e))
    }

    /// Checks a role that lam.toml names: it exists and Lambda may assume it.
    /// Without permission to read roles, the check is left to Lambda.
    pub async fn check_named(&self, arn: &str) -> Result<()> {
        let name = arn.rsplit('/').next().unwrap_or(arn);
        match self.get(name).await {
            Ok(Some(role)) if !role.trusts_lambda() => Err(Error::config(format!(
                "the role {arn} does not let Lambda assume it"
            ))
            .with_hint(
                "add lambda.amazonaws.com as a trusted service in the role's trust policy, \
                 or remove `role` from lam.toml and let lam create one",
            )),
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(
                Error::config(format!("the role {arn} does not exist")).with_hint(
                    "check the ARN in lam.toml / --role, or remove `role` and let lam create one",
                ),
            ),
            Err(e) if e.is(crate::error::Cause::AccessDenied) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Creates lam's role with the Lambda trust policy and lam's tags;
    /// returns its ARN. A role made by an earlier, interrupted run (or an
    /// attempt whose answer was lost) is found instead.
    pub async fn create(&self, spec: &RoleSpec) -> Result<String> {
        let created = self
            .client
            .create_role()
            .role_name(&spec.name)
            .assume_role_policy_document(trust_policy().to_string())
            .description(format!(
                "Execution role of {} ({} stage), managed by lam",
                spec.function, spec.stage
            ))
            .set_tags(Some(tags(spec)))
            .send()
            .await;
        match created {
            Ok(r) => r
                .role()
                .map(|r| r.arn().to_string())
                .ok_or_else(|| Error::aws("CreateRole answered without a role")),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_entity_already_exists_exception()) =>
            {
                self.get(&spec.name).await?.map(|r| r.arn).ok_or_else(|| {
                    Error::aws(format!("role {} exists and yet cannot be read", spec.name))
                })
            }
            Err(err) => Err(self.error("CreateRole", err)),
        }
    }

    pub async fn attach(&self, role: &str, policy_arn: &str) -> Result<()> {
        self.client
            .attach_role_policy()
            .role_name(role)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| self.error("AttachRolePolicy", e))?;
        Ok(())
    }

    /// Writes lam's inline policy on the role.
    pub async fn put_inline(&self, role: &str, document: &Value) -> Result<()> {
        self.client
            .put_role_policy()
            .role_name(role)
            .policy_name(INLINE_POLICY)
            .policy_document(document.to_string())
            .send()
            .await
            .map_err(|e| self.error("PutRolePolicy", e))?;
        Ok(())
    }

    /// The managed policies attached to the role, every page.
    pub async fn attached(&self, role: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_attached_role_policies()
                .role_name(role)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListAttachedRolePolicies", e))?;
            out.extend(
                page.attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_string)),
            );
            marker = page.marker().map(str::to_string);
            if !page.is_truncated() || marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// lam's inline policy on the role, parsed.
    pub async fn inline_policy(&self, role: &str) -> Result<Option<Value>> {
        match self
            .client
            .get_role_policy()
            .role_name(role)
            .policy_name(INLINE_POLICY)
            .send()
            .await
        {
            Ok(out) => Ok(serde_json::from_str(&percent_decode(out.policy_document())).ok()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
            {
                Ok(None)
            }
            Err(err) => Err(self.error("GetRolePolicy", err)),
        }
    }

    pub async fn delete_inline(&self, role: &str) -> Result<()> {
        match self
            .client
            .delete_role_policy()
            .role_name(role)
            .policy_name(INLINE_POLICY)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
            {
                Ok(())
            }
            Err(err) => Err(self.error("DeleteRolePolicy", err)),
        }
    }

    /// Deletes a role lam created: its inline policies, attached policies,
    /// then the role. Gone already counts as done.
    pub async fn delete(&self, name: &str) -> Result<()> {
        let mut inline = Vec::new();
        let mut marker = None;
        loop {
            match self
                .client
                .list_role_policies()
                .role_name(name)
                .set_marker(marker)
                .send()
                .await
            {
                Ok(out) => {
                    inline.extend(out.policy_names().iter().cloned());
                    marker = out.marker().map(str::to_string);
                    if !out.is_truncated() || marker.is_none() {
                        break;
                    }
                }
                Err(err)
                    if err
                        .as_service_error()
                        .is_some_and(|e| e.is_no_such_entity_exception()) =>
                {
                    return Ok(());
                }
                Err(err) => return Err(self.error("ListRolePolicies", err)),
            }
        }
        for policy in inline {
            self.client
                .delete_role_policy()
                .role_name(name)
                .policy_name(&policy)
                .send()
                .await
                .map_err(|e| self.error("DeleteRolePolicy", e))?;
        }
        for arn in self.attached(name).await? {
            self.client
                .detach_role_policy()
                .role_name(name)
                .policy_arn(&arn)
                .send()
                .await
                .map_err(|e| self.error("DetachRolePolicy", e))?;
        }
        match self.client.delete_role().role_name(name).send().await {
            Ok(_) => Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
            {
                Ok(())
            }
            Err(err) => Err(self.error("DeleteRole", err)),
        }
    }
}

/// `lam-<project>-<stage>-<function>`, within IAM's 64 characters (a long
/// name is cut and keeps a hash of the whole, so it stays unique).
pub fn role_name(project: &str, stage: &str, function: &str) -> String {
    let full = format!("lam-{project}-{stage}-{function}");
    if full.len() <= 64 {
        return full;
    }
    use sha2::{Digest, Sha256};
    let hash: String = Sha256::digest(full.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}-{hash}", crate::aws::prefix_chars(&full, 55))
}

/// The AWS partition of a region.
pub fn partition(region: &str) -> &'static str {
    PARTITIONS
        .iter()
        .find(|(prefix, _, _)| region.starts_with(prefix))
        .map(|(_, partition, _)| *partition)
        .unwrap_or("aws")
}

/// The DNS suffix of a region's partition (endpoints and execute-api URLs).
pub fn dns_suffix(region: &str) -> &'static str {
    PARTITIONS
        .iter()
        .find(|(prefix, _, _)| region.starts_with(prefix))
        .map(|(_, _, suffix)| *suffix)
        .unwrap_or("amazonaws.com")
}

/// Region prefix, partition and DNS suffix, as the SDKs' partitions.json
/// lists them; every other region is in `aws` (amazonaws.com).
const PARTITIONS: &[(&str, &str, &str)] = &[
    ("cn-", "aws-cn", "amazonaws.com.cn"),
    ("us-gov-", "aws-us-gov", "amazonaws.com"),
    ("us-isob-", "aws-iso-b", "sc2s.sgov.gov"),
    ("us-isof-", "aws-iso-f", "csp.hci.ic.gov"),
    ("us-iso-", "aws-iso", "c2s.ic.gov"),
    ("eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"),
];

pub fn trust_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "lambda.amazonaws.com" },
            "Action": "sts:AssumeRole"
        }]
    })
}

/// The tags that say which regions' functions run as lam's role: one per
/// region, `lam:region/<region>`.
pub const REGION_TAG_PREFIX: &str = "lam:region/";
/// What an older lam wrote instead: one tag listing them, space-separated.
pub const LEGACY_REGIONS_TAG: &str = "lam:regions";

pub fn region_tag(region: &str) -> String {
    format!("{REGION_TAG_PREFIX}{region}")
}

/// The regions a role's tags name, in either form, sorted.
fn regions_of(tags: &[Tag]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        if let Some(region) = t.key().strip_prefix(REGION_TAG_PREFIX) {
            out.push(region.to_string());
        } else if t.key() == LEGACY_REGIONS_TAG {
            out.extend(t.value().split_whitespace().map(str::to_string));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn tags(spec: &RoleSpec) -> Vec<Tag> {
    [
        ("managed-by", "lam"),
        ("lam:project", spec.project.as_str()),
        ("lam:stage", spec.stage.as_str()),
        ("lam:function", spec.function.as_str()),
        (&region_tag(&spec.region), "runs-here"),
    ]
    .into_iter()
    .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
    .collect()
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

fn as_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// IAM returns policy documents URL-encoded.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_fit_iam() {
        assert_eq!(role_name("shop", "dev", "api"), "lam-shop-dev-api");
        let long = role_name(&"p".repeat(40), "production", &"f".repeat(40));
        assert_eq!(long.len(), 64);
        assert_ne!(
            long,
            role_name(&"p".repeat(40), "production", &"g".repeat(40))
        );
    }

    #[test]
    fn long_multibyte_names_are_cut_on_a_character_boundary() {
        // 'é' is two bytes: byte 55 falls inside one.
        let name = role_name("p", &"é".repeat(40), "f");
        assert!(name.len() <= 64, "{name}");
        assert!(name.starts_with("lam-p-é"));
    }

    #[test]
    fn partitions_and_dns_suffixes() {
        assert_eq!(partition("eu-west-1"), "aws");
        assert_eq!(partition("cn-north-1"), "aws-cn");
        assert_eq!(dns_suffix("cn-northwest-1"), "amazonaws.com.cn");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
        assert_eq!(dns_suffix("us-gov-west-1"), "amazonaws.com");
        assert_eq!(partition("us-iso-east-1"), "aws-iso");
        assert_eq!(partition("us-isob-east-1"), "aws-iso-b");
        assert_eq!(dns_suffix("us-isob-east-1"), "sc2s.sgov.gov");
    }

    #[test]
    fn policy_documents_are_decoded() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(percent_decode("{\"a\":1}"), "{\"a\":1}");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn trust_policies_are_read() {
        let role = |doc: Value| Role {
            arn: "arn".into(),
            lam_created: false,
            project: None,
            stage: None,
            regions: Vec::new(),
            trust: Some(doc),
        };
        assert!(role(trust_policy()).trusts_lambda());
        let ec2 = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        assert!(!role(ec2).trusts_lambda());
        let listed = json!({"Statement": {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}});
        assert!(role(listed).trusts_lambda());
    }
}
