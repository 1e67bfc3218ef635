//! `[[function.triggers]]` on AWS: the names lam gives what it wires, and
//! the reads and changes of EventBridge schedules and SNS subscriptions (S3
//! notifications live in `s3`, SQS mappings in `lambda`). What to change
//! is decided by `plan::diff`; lam's own triggers are recognised by name
//! (rules `lam-<function>.schedule-<n>`, S3 notification ids
//! `lam-<function>.<hash>`, permission ids `lam-s3-…`, `lam-sns-…`) or by
//! invoking the alias lam owns (SQS mappings, SNS subscriptions), so
//! nothing lam did not make is touched.

use aws_sdk_eventbridge::types::{RuleState, Target};
use sha2::{Digest, Sha256};

use super::Aws;
use super::iam::partition;
use super::lambda::Permission;
use super::sdk_error;
use crate::error::{Error, Result};

pub const S3_SID: &str = "lam-s3-";
pub const SNS_SID: &str = "lam-sns-";
pub const SCHEDULE_SID: &str = "lam-schedule-";

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
    format!("{}-{hash}", super::prefix_chars(full, max - 9))
}

/// Rule names start with this; room is left for the number (rule names
/// are at most 64 characters, so a long function name is hashed).
pub fn rule_prefix(function: &str) -> String {
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

/// The topic's ARN from its name, in this region and account.
pub fn topic_arn(region: &str, account: &str, topic: &str) -> String {
    if topic.starts_with("arn:") {
        return topic.to_string();
    }
    format!("arn:{}:sns:{region}:{account}:{topic}", partition(region))
}

/// The ids of lam's S3 notifications for `function` start with this.
pub fn notification_prefix(function: &str) -> String {
    format!("lam-{function}.")
}

/// A notification's id: stable for the same alias, bucket and filter.
pub fn notification_id(
    function: &str,
    alias_arn: &str,
    bucket: &str,
    events: &[String],
    prefix: &Option<String>,
    suffix: &Option<String>,
) -> String {
    let identity = format!("{alias_arn}|{bucket}|{events:?}|{prefix:?}|{suffix:?}");
    let hash: String = Sha256::digest(identity.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    bounded(&format!("{}{hash}", notification_prefix(function)), 255)
}

/// Buckets lam wired before: its permissions name them.
pub fn permitted_buckets(permissions: &[Permission]) -> Vec<String> {
    permissions
        .iter()
        .filter(|p| p.sid.starts_with(S3_SID))
        .filter_map(|p| p.source_arn.as_deref()?.rsplit(":::").next())
        .map(str::to_string)
        .collect()
}

/// Topics lam subscribed the alias to before: its permissions name them.
pub fn permitted_topics(permissions: &[Permission]) -> Vec<String> {
    permissions
        .iter()
        .filter(|p| p.sid.starts_with(SNS_SID))
        .filter_map(|p| p.source_arn.clone())
        .collect()
}

pub fn sid_for(prefix: &str, name: &str) -> String {
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

/// One of lam's schedule rules as EventBridge has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub name: String,
    pub expression: Option<String>,
    pub enabled: bool,
    /// Each target's ARN and constant input (read for the rules lam.toml
    /// still lists).
    pub targets: Vec<(String, Option<String>)>,
}

pub struct Triggers<'a> {
    aws: &'a Aws,
    events: aws_sdk_eventbridge::Client,
}

impl<'a> Triggers<'a> {
    pub fn new(aws: &'a Aws) -> Triggers<'a> {
        let events = aws_sdk_eventbridge::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        Triggers {
            aws,
            events: aws_sdk_eventbridge::Client::from_conf(events),
        }
    }

    /// SNS in the region of `arn` (a topic or subscription): a function may
    /// subscribe to a topic of another region, and SNS answers only there.
    fn sns(&self, arn: &str) -> aws_sdk_sns::Client {
        let mut conf = aws_sdk_sns::config::Builder::from(&self.aws.config)
            .interceptor(self.aws.interceptor());
        if let Some(region) = arn
            .split(':')
            .nth(3)
            .filter(|r| !r.is_empty() && *r != self.aws.region())
        {
            conf = conf.region(aws_sdk_sns::config::Region::new(region.to_string()));
        }
        aws_sdk_sns::Client::from_conf(conf.build())
    }

    /// The rules named `<prefix>…`, every page; the targets of the first
    /// `wanted` (`<prefix>0` … `<prefix>{wanted-1}`) that exist.
    pub async fn rules(&self, prefix: &str, wanted: usize) -> Result<Vec<RuleInfo>> {
        let listed = self.list_rules(prefix).await?;
        self.with_targets(listed, prefix, wanted).await
    }

    /// The rules whose names begin with `prefix`, without their targets.
    pub async fn list_rules(&self, prefix: &str) -> Result<Vec<RuleInfo>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .events
                .list_rules()
                .name_prefix(prefix)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error(self.aws, "events", "ListRules", e))?;
            for r in page.rules() {
                let Some(name) = r.name() else { continue };
                out.push(RuleInfo {
                    name: name.to_string(),
                    expression: r.schedule_expression().map(str::to_string),
                    enabled: r.state() == Some(&RuleState::Enabled),
                    targets: Vec::new(),
                });
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// Of `rules`, the ones of the function whose rule names begin with
    /// `prefix`, with the targets of the `wanted` rules lam.toml still
    /// lists read.
    pub async fn with_targets(
        &self,
        rules: Vec<RuleInfo>,
        prefix: &str,
        wanted: usize,
    ) -> Result<Vec<RuleInfo>> {
        let mut out: Vec<RuleInfo> = rules
            .into_iter()
            .filter(|r| r.name.starts_with(prefix))
            .collect();
        let listed: Vec<String> = (0..wanted).map(|i| format!("{prefix}{i}")).collect();
        let targets = futures_util::future::try_join_all(
            out.iter()
                .filter(|r| listed.contains(&r.name))
                .map(|r| self.targets(&r.name)),
        )
        .await?;
        let mut targets = targets.into_iter();
        for r in out.iter_mut().filter(|r| listed.contains(&r.name)) {
            r.targets = targets.next().unwrap_or_default();
        }
        Ok(out)
    }

    async fn targets(&self, rule: &str) -> Result<Vec<(String, Option<String>)>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .events
                .list_targets_by_rule()
                .rule(rule)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error(self.aws, "events", "ListTargetsByRule", e))?;
            out.extend(
                page.targets()
                    .iter()
                    .map(|t| (t.arn().to_string(), t.input().map(str::to_string))),
            );
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    pub async fn put_rule(&self, name: &str, expression: &str, description: &str) -> Result<()> {
        self.events
            .put_rule()
            .name(name)
            .schedule_expression(expression)
            .state(RuleState::Enabled)
            .description(description)
            .send()
            .await
            .map_err(|e| sdk_error(self.aws, "events", "PutRule", e))?;
        Ok(())
    }

    /// Makes `target` the rule's one target (id `lam`), with `input`.
    pub async fn put_target(&self, rule: &str, target: &str, input: Option<String>) -> Result<()> {
        let target = Target::builder()
            .id("lam")
            .arn(target)
            .set_input(input)
            .build()
            .map_err(|e| Error::local(format!("EventBridge target: {e}")))?;
        let out = self
            .events
            .put_targets()
            .rule(rule)
            .targets(target)
            .send()
            .await
            .map_err(|e| sdk_error(self.aws, "events", "PutTargets", e))?;
        if out.failed_entry_count() > 0 {
            return Err(Error::aws(format!("PutTargets on {rule} failed"))
                .with_hint("run lam deploy again"));
        }
        Ok(())
    }

    /// Removes lam's target, then the rule.
    pub async fn remove_rule(&self, name: &str) -> Result<()> {
        // A rule without the target (an interrupted removal) is fine.
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
        Ok(())
    }

    pub async fn subscribe(&self, topic: &str, endpoint: &str) -> Result<()> {
        self.sns(topic)
            .subscribe()
            .topic_arn(topic)
            .protocol("lambda")
            .endpoint(endpoint)
            .return_subscription_arn(true)
            .send()
            .await
            .map_err(|e| sdk_error(self.aws, "sns", "Subscribe", e))?;
        Ok(())
    }

    pub async fn unsubscribe(&self, subscription: &str) -> Result<()> {
        self.sns(subscription)
            .unsubscribe()
            .subscription_arn(subscription)
            .send()
            .await
            .map_err(|e| sdk_error(self.aws, "sns", "Unsubscribe", e))?;
        Ok(())
    }

    /// The subscriptions of `topic` that deliver to `endpoint`; None when
    /// the topic does not exist.
    pub async fn subscriptions(&self, topic: &str, endpoint: &str) -> Result<Option<Vec<String>>> {
        let sns = self.sns(topic);
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = match sns
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
                    return Ok(None);
                }
                Err(err) => {
                    return Err(sdk_error(self.aws, "sns", "ListSubscriptionsByTopic", err));
                }
            };
            out.extend(
                page.subscriptions()
                    .iter()
                    .filter(|s| s.protocol() == Some("lambda") && s.endpoint() == Some(endpoint))
                    .filter_map(|s| s.subscription_arn().map(str::to_string))
                    .filter(|a| a != "PendingConfirmation"),
            );
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(Some(out));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_keep_their_own_region() {
        assert_eq!(
            topic_arn(
                "eu-west-1",
                "123456789012",
                "arn:aws:sns:us-east-2:123456789012:t"
            ),
            "arn:aws:sns:us-east-2:123456789012:t"
        );
        assert_eq!(
            topic_arn("eu-west-1", "123456789012", "alerts"),
            "arn:aws:sns:eu-west-1:123456789012:alerts"
        );
    }

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
