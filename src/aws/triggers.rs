//! `[[function.triggers]]`: S3 notifications, EventBridge schedules, SQS
//! event source mappings and SNS subscriptions, each invoking the alias,
//! each with exactly the permission it needs. Like the endpoint, every
//! trigger is read first and changed only when it differs; lam's own
//! triggers are recognised by name (rules `lam-<function>.schedule-<n>`,
//! S3 notification ids `lam-<function>.<hash>`, permission ids `lam-s3-…`,
//! `lam-sns-…`) or by invoking the alias lam owns (SQS mappings, SNS
//! subscriptions), so a trigger removed from lam.toml is removed, and
//! nothing lam did not make is touched.

use std::collections::BTreeMap;

use aws_sdk_eventbridge::types::{RuleState, Target};
use sha2::{Digest, Sha256};

use super::Aws;
use super::iam::partition;
use super::lambda::{Grant, Lambda, Permission};
use super::s3::{LambdaNotification, S3};
use super::sdk_error;
use crate::config::Trigger;
use crate::error::{Error, Result};

/// What the triggers of one function are built from.
pub struct TriggerSpec<'a> {
    pub function: &'a str,
    pub alias: &'a str,
    /// `<function ARN>:<alias>`.
    pub alias_arn: String,
    pub account: &'a str,
    pub triggers: &'a [Trigger],
}

const S3_SID: &str = "lam-s3-";
const SNS_SID: &str = "lam-sns-";
const SCHEDULE_SID: &str = "lam-schedule-";

/// A name AWS accepts (at most `max` characters), unique for `full`.
fn bounded(full: &str, max: usize) -> String {
    if full.len() <= max {
        return full.to_string();
    }
    let hash: String = Sha256::digest(full.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}-{hash}", &full[..max - 9])
}

/// Rule names start with this; room is left for the number (rule names
/// are at most 64 characters, so a long function name is hashed).
fn rule_prefix(function: &str) -> String {
    let prefix = format!("lam-{function}.schedule-");
    if prefix.len() <= 60 {
        return prefix;
    }
    let hash: String = Sha256::digest(function.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("lam-{hash}.schedule-")
}

/// The queue's ARN from its name, in this region and account.
pub fn queue_arn(region: &str, account: &str, queue: &str) -> String {
    if queue.starts_with("arn:") {
        return queue.to_string();
    }
    format!("arn:{}:sqs:{region}:{account}:{queue}", partition(region))
}

fn topic_arn(aws: &Aws, account: &str, topic: &str) -> String {
    if topic.starts_with("arn:") {
        return topic.to_string();
    }
    format!(
        "arn:{}:sns:{}:{account}:{topic}",
        partition(aws.region()),
        aws.region()
    )
}

/// The ARNs of the queues the function reads, for its role's policy.
pub fn queue_arns(region: &str, account: &str, triggers: &[Trigger]) -> Vec<String> {
    triggers
        .iter()
        .filter_map(|t| match t {
            Trigger::Sqs { queue, .. } => Some(queue_arn(region, account, queue)),
            _ => None,
        })
        .collect()
}

fn sid_for(prefix: &str, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    bounded(&format!("{prefix}{clean}"), 100)
}

pub struct Triggers<'a> {
    aws: &'a Aws,
    lambda: &'a Lambda,
    events: aws_sdk_eventbridge::Client,
    sns: aws_sdk_sns::Client,
}

impl<'a> Triggers<'a> {
    pub fn new(aws: &'a Aws, lambda: &'a Lambda) -> Triggers<'a> {
        let events = aws_sdk_eventbridge::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        let sns = aws_sdk_sns::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        Triggers {
            aws,
            lambda,
            events: aws_sdk_eventbridge::Client::from_conf(events),
            sns: aws_sdk_sns::Client::from_conf(sns),
        }
    }

    /// Makes the triggers match `spec` (with `apply`), or lists what would
    /// change. An empty `spec.triggers` removes every trigger lam made.
    /// `alias_exists` false: a function deployed for the first time (on a
    /// dry run), where nothing can be read yet.
    pub async fn ensure(
        &self,
        spec: &TriggerSpec<'_>,
        permissions: Option<&[Permission]>,
        apply: bool,
    ) -> Result<Vec<String>> {
        let mut changes = Vec::new();
        let Some(permissions) = permissions else {
            changes.extend(
                spec.triggers
                    .iter()
                    .map(|t| format!("add trigger {}", t.describe())),
            );
            return Ok(changes);
        };
        let mut grants = Vec::new();
        self.ensure_s3(spec, permissions, apply, &mut changes, &mut grants)
            .await?;
        self.ensure_schedules(spec, apply, &mut changes, &mut grants)
            .await?;
        self.ensure_sqs(spec, apply, &mut changes).await?;
        self.ensure_sns(spec, permissions, apply, &mut changes, &mut grants)
            .await?;

        // Permissions: exactly those the triggers need.
        let ours = |sid: &str| {
            sid.starts_with(S3_SID) || sid.starts_with(SNS_SID) || sid.starts_with(SCHEDULE_SID)
        };
        for p in permissions.iter().filter(|p| ours(&p.sid)) {
            if !grants
                .iter()
                .any(|g: &Grant| g.sid == p.sid && g.source_arn == p.source_arn)
            {
                changes.push(format!("remove permission {}", p.sid));
                if apply {
                    self.lambda
                        .remove_permission(spec.function, spec.alias, &p.sid)
                        .await?;
                }
            }
        }
        for g in &grants {
            if !permissions
                .iter()
                .any(|p| p.sid == g.sid && p.source_arn == g.source_arn)
            {
                changes.push(format!("allow {} to invoke {}", g.principal, spec.alias));
                if apply {
                    // The same statement id with another source: replace it.
                    if permissions.iter().any(|p| p.sid == g.sid) {
                        self.lambda
                            .remove_permission(spec.function, spec.alias, &g.sid)
                            .await?;
                    }
                    self.lambda
                        .add_permission(spec.function, spec.alias, g)
                        .await?;
                }
            }
        }
        Ok(changes)
    }

    async fn ensure_s3(
        &self,
        spec: &TriggerSpec<'_>,
        permissions: &[Permission],
        apply: bool,
        changes: &mut Vec<String>,
        grants: &mut Vec<Grant>,
    ) -> Result<()> {
        let mut wanted: BTreeMap<String, Vec<LambdaNotification>> = BTreeMap::new();
        for t in spec.triggers {
            if let Trigger::S3 {
                bucket,
                events,
                prefix,
                suffix,
            } = t
            {
                let identity = format!(
                    "{}|{}|{events:?}|{prefix:?}|{suffix:?}",
                    spec.alias_arn, bucket
                );
                let hash: String = Sha256::digest(identity.as_bytes())
                    .iter()
                    .take(6)
                    .map(|b| format!("{b:02x}"))
                    .collect();
                wanted
                    .entry(bucket.clone())
                    .or_default()
                    .push(LambdaNotification {
                        id: bounded(&format!("lam-{}.{hash}", spec.function), 255),
                        function_arn: spec.alias_arn.clone(),
                        events: events.clone(),
                        prefix: prefix.clone(),
                        suffix: suffix.clone(),
                    });
            }
        }
        // Buckets wired before: their permissions name them.
        let mut buckets: Vec<String> = wanted.keys().cloned().collect();
        for p in permissions.iter().filter(|p| p.sid.starts_with(S3_SID)) {
            if let Some(bucket) = p.source_arn.as_deref().and_then(|a| a.rsplit(":::").next())
                && !buckets.iter().any(|b| b == bucket)
            {
                buckets.push(bucket.to_string());
            }
        }
        let s3 = S3::new(self.aws);
        let owned = format!("lam-{}.", spec.function);
        for bucket in buckets {
            let want = wanted.get(&bucket).cloned().unwrap_or_default();
            if !want.is_empty() {
                grants.push(Grant {
                    sid: sid_for(S3_SID, &bucket),
                    principal: "s3.amazonaws.com".into(),
                    action: "lambda:InvokeFunction".into(),
                    source_arn: Some(format!(
                        "arn:{}:s3:::{bucket}",
                        partition(self.aws.region())
                    )),
                    url_auth: None,
                });
            }
            // The permission first: S3 checks it can invoke when the notification is written.
            if apply && !want.is_empty() {
                let g = grants.last().cloned();
                if let Some(g) = g.filter(|g| !permissions.iter().any(|p| p.sid == g.sid)) {
                    self.lambda
                        .add_permission(spec.function, spec.alias, &g)
                        .await?;
                }
            }
            let changed = s3
                .merge_notifications(&bucket, &owned, &want, apply)
                .await?;
            if changed {
                changes.push(if want.is_empty() {
                    format!("remove the notification of s3://{bucket}")
                } else {
                    format!(
                        "notify on s3://{bucket} ({} rule{})",
                        want.len(),
                        if want.len() == 1 { "" } else { "s" }
                    )
                });
            }
        }
        Ok(())
    }

    async fn ensure_schedules(
        &self,
        spec: &TriggerSpec<'_>,
        apply: bool,
        changes: &mut Vec<String>,
        grants: &mut Vec<Grant>,
    ) -> Result<()> {
        let prefix = rule_prefix(spec.function);
        let existing = self
            .events
            .list_rules()
            .name_prefix(&prefix)
            .send()
            .await
            .map_err(|e| sdk_error(self.aws, "events", "ListRules", e))?;
        let mut wanted_names = Vec::new();
        let schedules = spec.triggers.iter().filter_map(|t| match t {
            Trigger::Schedule { expression, input } => Some((expression, input)),
            _ => None,
        });
        for (i, (expression, input)) in schedules.enumerate() {
            let name = format!("{prefix}{i}");
            wanted_names.push(name.clone());
            let rule_arn = format!(
                "arn:{}:events:{}:{}:rule/{name}",
                partition(self.aws.region()),
                self.aws.region(),
                spec.account
            );
            grants.push(Grant {
                // Statement ids are [A-Za-z0-9-_] and per function: the index will do.
                sid: format!("{SCHEDULE_SID}{i}"),
                principal: "events.amazonaws.com".into(),
                action: "lambda:InvokeFunction".into(),
                source_arn: Some(rule_arn),
                url_auth: None,
            });
            let input = input.as_ref().map(|v| v.to_string());
            let current = existing
                .rules()
                .iter()
                .find(|r| r.name() == Some(name.as_str()));
            let rule_ok = current.is_some_and(|r| {
                r.schedule_expression() == Some(expression.as_str())
                    && r.state() == Some(&RuleState::Enabled)
            });
            let target_ok = if current.is_some() {
                let targets = self
                    .events
                    .list_targets_by_rule()
                    .rule(&name)
                    .send()
                    .await
                    .map_err(|e| sdk_error(self.aws, "events", "ListTargetsByRule", e))?;
                targets.targets().len() == 1
                    && targets.targets().iter().all(|t| {
                        t.arn() == spec.alias_arn && t.input().map(str::to_string) == input
                    })
            } else {
                false
            };
            if !rule_ok {
                changes.push(format!("schedule {expression} ({name})"));
                if apply {
                    self.events
                        .put_rule()
                        .name(&name)
                        .schedule_expression(expression)
                        .state(RuleState::Enabled)
                        .description(format!(
                            "invokes {}:{} (managed by lam)",
                            spec.function, spec.alias
                        ))
                        .send()
                        .await
                        .map_err(|e| sdk_error(self.aws, "events", "PutRule", e))?;
                }
            }
            if !target_ok {
                changes.push(format!("target {} from {name}", spec.alias));
                if apply {
                    let target = Target::builder()
                        .id("lam")
                        .arn(&spec.alias_arn)
                        .set_input(input.clone())
                        .build()
                        .map_err(|e| Error::local(format!("EventBridge target: {e}")))?;
                    let out = self
                        .events
                        .put_targets()
                        .rule(&name)
                        .targets(target)
                        .send()
                        .await
                        .map_err(|e| sdk_error(self.aws, "events", "PutTargets", e))?;
                    if out.failed_entry_count() > 0 {
                        return Err(Error::aws(format!("PutTargets on {name} failed"))
                            .with_hint("run lam deploy again"));
                    }
                }
            }
        }
        for rule in existing.rules() {
            let Some(name) = rule.name() else { continue };
            if !name.starts_with(&prefix) || wanted_names.iter().any(|w| w == name) {
                continue;
            }
            changes.push(format!("remove schedule {name}"));
            if apply {
                let _ = self
                    .events
                    .remove_targets()
                    .rule(name)
                    .ids("lam")
                    .send()
                    .await;
                self.events
                    .delete_rule()
                    .name(name)
                    .send()
                    .await
                    .map_err(|e| sdk_error(self.aws, "events", "DeleteRule", e))?;
            }
        }
        Ok(())
    }

    async fn ensure_sqs(
        &self,
        spec: &TriggerSpec<'_>,
        apply: bool,
        changes: &mut Vec<String>,
    ) -> Result<()> {
        let mappings = self.lambda.mappings(&spec.alias_arn).await?;
        let mut wanted_arns = Vec::new();
        for t in spec.triggers {
            let Trigger::Sqs {
                queue,
                batch_size,
                report_batch_item_failures,
            } = t
            else {
                continue;
            };
            let arn = queue_arn(self.aws.region(), spec.account, queue);
            wanted_arns.push(arn.clone());
            let current = mappings.iter().find(|m| m.source_arn == arn);
            let same = current.is_some_and(|m| {
                m.batch_size == *batch_size && m.report_failures == *report_batch_item_failures
            });
            if same {
                continue;
            }
            changes.push(match current {
                Some(_) => format!("update the mapping from {queue} (batch {batch_size})"),
                None => format!("read {queue} (batch {batch_size})"),
            });
            if apply {
                self.lambda
                    .put_mapping(
                        &spec.alias_arn,
                        &arn,
                        *batch_size,
                        *report_batch_item_failures,
                        current.map(|m| m.uuid.as_str()),
                    )
                    .await?;
            }
        }
        for m in &mappings {
            if m.source_arn.contains(":sqs:") && !wanted_arns.contains(&m.source_arn) {
                changes.push(format!("stop reading {}", m.source_arn));
                if apply {
                    self.lambda.delete_mapping(&m.uuid).await?;
                }
            }
        }
        Ok(())
    }

    async fn ensure_sns(
        &self,
        spec: &TriggerSpec<'_>,
        permissions: &[Permission],
        apply: bool,
        changes: &mut Vec<String>,
        grants: &mut Vec<Grant>,
    ) -> Result<()> {
        let mut topics: Vec<(String, bool)> = spec
            .triggers
            .iter()
            .filter_map(|t| match t {
                Trigger::Sns { topic } => Some((topic_arn(self.aws, spec.account, topic), true)),
                _ => None,
            })
            .collect();
        // Topics subscribed before: their permissions name them.
        for p in permissions.iter().filter(|p| p.sid.starts_with(SNS_SID)) {
            if let Some(arn) = &p.source_arn
                && !topics.iter().any(|(t, _)| t == arn)
            {
                topics.push((arn.clone(), false));
            }
        }
        for (arn, wanted) in topics {
            let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
            if wanted {
                grants.push(Grant {
                    sid: sid_for(SNS_SID, &name),
                    principal: "sns.amazonaws.com".into(),
                    action: "lambda:InvokeFunction".into(),
                    source_arn: Some(arn.clone()),
                    url_auth: None,
                });
            }
            let subscriptions = self.subscriptions(&arn, spec).await?;
            match (wanted, subscriptions.is_empty()) {
                (true, true) => {
                    changes.push(format!("subscribe to {name}"));
                    if apply {
                        self.sns
                            .subscribe()
                            .topic_arn(&arn)
                            .protocol("lambda")
                            .endpoint(&spec.alias_arn)
                            .return_subscription_arn(true)
                            .send()
                            .await
                            .map_err(|e| sdk_error(self.aws, "sns", "Subscribe", e))?;
                    }
                }
                (false, false) => {
                    changes.push(format!("unsubscribe from {name}"));
                    if apply {
                        for sub in subscriptions {
                            self.sns
                                .unsubscribe()
                                .subscription_arn(&sub)
                                .send()
                                .await
                                .map_err(|e| sdk_error(self.aws, "sns", "Unsubscribe", e))?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The subscriptions of `topic` that deliver to the alias.
    async fn subscriptions(&self, topic: &str, spec: &TriggerSpec<'_>) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = match self
                .sns
                .list_subscriptions_by_topic()
                .topic_arn(topic)
                .set_next_token(token)
                .send()
                .await
            {
                Ok(p) => p,
                Err(err)
                    if err
                        .as_service_error()
                        .is_some_and(|e| e.is_not_found_exception()) =>
                {
                    return Err(Error::config(format!("the SNS topic {topic} of a trigger does not exist"))
                        .with_hint("create it first (aws sns create-topic --name NAME), or fix topic in lam.toml"));
                }
                Err(err) => {
                    return Err(sdk_error(self.aws, "sns", "ListSubscriptionsByTopic", err));
                }
            };
            out.extend(
                page.subscriptions()
                    .iter()
                    .filter(|s| {
                        s.protocol() == Some("lambda")
                            && s.endpoint() == Some(spec.alias_arn.as_str())
                    })
                    .filter_map(|s| s.subscription_arn().map(str::to_string))
                    .filter(|a| a != "PendingConfirmation"),
            );
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_aws_limits_and_stay_unique() {
        assert_eq!(bounded("short", 64), "short");
        let long = rule_prefix(&"f".repeat(64));
        assert!(long.len() + 3 <= 64, "{long}");
        assert_ne!(long, rule_prefix(&"g".repeat(64)));
        assert_eq!(rule_prefix("shop-dev"), "lam-shop-dev.schedule-");
        assert_eq!(bounded(&"x".repeat(120), 100).len(), 100);
        assert_eq!(sid_for(S3_SID, "my.photos"), "lam-s3-my_photos");
    }
}
