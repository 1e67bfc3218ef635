//! What AWS holds for one function, read only. Independent reads run
//! concurrently: first what needs only names (the function, its alias,
//! lam's role, the secrets, the API), then what needs the account or the
//! alias (the served version, the policy, the URL, the triggers).

use std::collections::BTreeMap;

use serde_json::Value;

use super::desired::{Desired, RoleChoice};
use crate::aws::Aws;
use crate::aws::endpoint::ApiSpec;
use crate::aws::http_api::{HttpApis, HttpState};
use crate::aws::iam::{Iam, Role, partition};
use crate::aws::lambda::{Deployed, Lambda, Mapping, Permission, Provisioned, UrlConfig};
use crate::aws::rest_api::{RestApis, RestState};
use crate::aws::s3::{LambdaNotification, S3};
use crate::aws::secrets::{Secrets, Store};
use crate::aws::triggers::{self, RuleInfo, Triggers};
use crate::config::{ApiKind, Trigger};
use crate::error::{Error, Kind, Problem, Result};

/// lam's role as IAM has it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleState {
    pub arn: String,
    pub lam_created: bool,
    /// lam's `lam:project` and `lam:stage` tags.
    pub project: Option<String>,
    pub stage: Option<String>,
    pub attached: Vec<String>,
    /// lam's inline policy, parsed.
    pub inline: Option<Value>,
    /// The regions whose function runs as it (its `lam:region/<region>`
    /// tags, or an older lam's `lam:regions` list).
    pub regions: Vec<String>,
}

/// A `[secrets]` entry as found: the environment variable that names it and
/// the resource the role may read. Its value is never read.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundSecret {
    pub env_key: String,
    pub env_value: String,
    pub store: Store,
    pub resource: String,
}

/// A bucket lam notifies (or did): lam's notifications for this function.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketState {
    pub bucket: String,
    pub notifications: Vec<LambdaNotification>,
}

/// A topic lam subscribes the alias to (or did).
#[derive(Debug, Clone, PartialEq)]
pub struct TopicState {
    pub arn: String,
    /// Subscriptions delivering to the alias.
    pub subscriptions: Vec<String>,
}

/// The triggers as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriggerState {
    pub buckets: Vec<BucketState>,
    pub rules: Vec<RuleInfo>,
    pub mappings: Vec<Mapping>,
    pub topics: Vec<TopicState>,
}

/// A queue a SQS trigger reads: its visibility timeout, None when the
/// queue does not exist.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueState {
    pub arn: String,
    pub visibility_timeout: Option<u32>,
}

/// A layer the function lists: its zipped size, None when it does not exist.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerState {
    pub arn: String,
    pub size: Option<i64>,
}

/// Published versions and the aliases pointing at them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Versions {
    pub published: Vec<u64>,
    pub aliases: Vec<(String, String)>,
    /// The newest version: PublishVersion answers with it, instead of
    /// making another, when `$LATEST` has not changed since.
    pub newest: Option<Deployed>,
}

/// Everything the diff compares against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actual {
    pub region: String,
    pub account: String,
    /// The function's `$LATEST`.
    pub function: Option<Deployed>,
    /// The version the alias points at.
    pub alias_version: Option<String>,
    /// That version's configuration.
    pub served: Option<Deployed>,
    /// The alias's provisioned concurrency.
    pub provisioned: Provisioned,
    pub secrets: Vec<FoundSecret>,
    /// lam's role for the function.
    pub role: Option<RoleState>,
    /// Read with `--keep-versions`.
    pub versions: Option<Versions>,
    /// The alias's resource policy.
    pub permissions: Vec<Permission>,
    pub url: Option<UrlConfig>,
    pub rest: Option<RestState>,
    pub http: Option<HttpState>,
    pub triggers: TriggerState,
    /// The queues SQS triggers read.
    pub queues: Vec<QueueState>,
    /// The layers the function lists.
    pub layers: Vec<LayerState>,
    /// The account's unreserved concurrent executions, read when the plan
    /// would reserve more for the function (None: not read, or the
    /// endpoint has no GetAccountSettings).
    pub unreserved: Option<u32>,
}

/// How much to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything a deploy, status or destroy compares.
    All,
    /// The function's configuration and secrets only (`env diff`).
    Function,
}

impl Actual {
    pub fn partition(&self) -> &'static str {
        partition(&self.region)
    }

    /// `<function ARN>:<alias>`.
    pub fn alias_arn(&self, desired: &Desired) -> String {
        format!("{}:{}", self.function_arn(desired), desired.alias)
    }

    pub fn function_arn(&self, desired: &Desired) -> String {
        match &self.function {
            Some(f) => f.arn.clone(),
            None => format!(
                "arn:{}:lambda:{}:{}:function:{}",
                self.partition(),
                self.region,
                self.account,
                desired.name
            ),
        }
    }

    /// The ARN of lam's role (as it is, or as it will be once created).
    pub fn lam_role_arn(&self, desired: &Desired) -> String {
        match &self.role {
            Some(r) => r.arn.clone(),
            None => format!(
                "arn:{}:iam::{}:role/{}",
                self.partition(),
                self.account,
                desired.lam_role
            ),
        }
    }

    /// Reads what `desired` is compared against.
    pub async fn read(aws: &Aws, desired: &Desired, scope: Scope) -> Result<Actual> {
        Self::read_with(aws, desired, scope, &Bulk::default()).await
    }

    /// Reads what `desired` is compared against, taking what `bulk` holds
    /// from it instead of asking again.
    pub async fn read_with(
        aws: &Aws,
        desired: &Desired,
        scope: Scope,
        bulk: &Bulk,
    ) -> Result<Actual> {
        let lambda = Lambda::new(aws);
        let iam = Iam::new(aws);
        let name = desired.name.as_str();
        let wanted = desired.wanted.as_ref();
        let full = scope == Scope::All;
        let spec = api_spec(desired, wanted.and_then(|w| w.api.id.clone()));

        // First: what needs only names.
        let (function, served, secrets, role, (rest, http)) = tokio::try_join!(
            lambda.get(name),
            async {
                if full {
                    lambda.served(name, &desired.alias).await
                } else {
                    Ok(None)
                }
            },
            locate_secrets(aws, desired),
            async {
                match (&bulk.roles, full) {
                    (_, false) => Ok(None),
                    (Some(roles), true) => Ok(roles.get(&desired.lam_role).cloned()),
                    (None, true) => read_role(&iam, &desired.lam_role).await,
                }
            },
            async {
                if full {
                    read_apis(aws, desired, &spec).await
                } else {
                    Ok((None, None))
                }
            },
        )?;

        let account = match (&function, &role, wanted.map(|w| &w.role)) {
            (Some(f), _, _) => account_of(&f.arn),
            (None, Some(r), _) => account_of(&r.arn),
            (None, None, Some(RoleChoice::Named(arn))) => account_of(arn),
            _ => aws.account().await?,
        };
        let (alias_version, served) = match served {
            Some((version, config)) => (Some(version), Some(config)),
            None => (None, None),
        };
        let mut actual = Actual {
            region: aws.region().to_string(),
            account,
            function,
            alias_version,
            served,
            secrets,
            role,
            rest,
            http,
            ..Actual::default()
        };
        if !full {
            return Ok(actual);
        }

        // A role lam.toml names must exist and trust Lambda before it is used.
        if let Some(RoleChoice::Named(arn)) = wanted.map(|w| &w.role)
            && actual
                .function
                .as_ref()
                .is_none_or(|f| &f.settings.role != arn)
        {
            iam.check_named(arn).await?;
        }

        // Reserving more takes from the account's unreserved executions:
        // read them before any change (AWS keeps at least 100 unreserved).
        let reserved_now = actual
            .function
            .as_ref()
            .and_then(|f| f.reserved_concurrency);
        if let Some(want) = wanted.and_then(|w| w.reserved_concurrency)
            && want > reserved_now.unwrap_or(0)
        {
            actual.unreserved = lambda.unreserved_concurrency().await?;
        }

        // Then: what needs the alias or the account.
        let alias_exists = actual.alias_version.is_some();
        let alias_arn = actual.alias_arn(desired);
        let (versions, permissions, url, provisioned) = tokio::try_join!(
            async {
                match (desired.keep_versions, &actual.function) {
                    (Some(_), Some(_)) => {
                        let (published, aliases) =
                            tokio::try_join!(lambda.versions(name), lambda.aliases(name))?;
                        let newest = match published.last() {
                            Some(v) => lambda.version(name, &v.to_string()).await?,
                            None => None,
                        };
                        Ok(Some(Versions {
                            published,
                            aliases,
                            newest,
                        }))
                    }
                    _ => Ok(None),
                }
            },
            async {
                if alias_exists {
                    lambda.permissions(name, &desired.alias).await
                } else {
                    Ok(Vec::new())
                }
            },
            async {
                if alias_exists {
                    lambda.url(name, &desired.alias).await
                } else {
                    Ok(None)
                }
            },
            async {
                if alias_exists {
                    lambda.provisioned(name, &desired.alias).await
                } else {
                    Ok(Provisioned::None)
                }
            },
        )?;
        actual.provisioned = provisioned;
        actual.versions = versions;
        actual.permissions = permissions;
        actual.url = url;
        let queue_arns: Vec<String> = desired
            .triggers()
            .iter()
            .filter_map(|t| match t {
                Trigger::Sqs { queue, .. } => {
                    Some(triggers::queue_arn(&actual.region, &actual.account, queue))
                }
                _ => None,
            })
            .collect();
        let layer_arns: Vec<String> = wanted.map(|w| w.layers.clone()).unwrap_or_default();
        let sqs = crate::aws::sqs::Queues::new(aws);
        let (queues, layers) = tokio::try_join!(
            futures_util::future::try_join_all(queue_arns.iter().map(|arn| {
                let sqs = &sqs;
                async move {
                    Ok::<_, Error>(QueueState {
                        arn: arn.clone(),
                        visibility_timeout: sqs.visibility_timeout(arn).await?,
                    })
                }
            })),
            futures_util::future::try_join_all(layer_arns.iter().map(|arn| {
                let lambda = &lambda;
                async move {
                    Ok::<_, Error>(LayerState {
                        arn: arn.clone(),
                        size: lambda.layer_size(arn).await?,
                    })
                }
            })),
        )?;
        actual.queues = queues;
        actual.layers = layers;
        actual.triggers = read_triggers(aws, &lambda, desired, &actual, &alias_arn, bulk).await?;
        Ok(actual)
    }
}

/// How many functions' reads run at once in status, destroy, env and
/// doctor: a deploy's default `--concurrency`. Each function's read is
/// itself about five calls at once. Reading all functions together made
/// `lam status` of 50 functions take 1.3 s against moto instead of 0.5 s
/// (hundreds of connections opened at once, some answered only after the
/// kernel's one-second SYN retry), and asks AWS for more at once than its
/// control-plane quotas allow: GetPolicy and every other Lambda read but
/// GetFunction, 15 requests per second per account and region
/// (<https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html#api-requests>).
pub const FUNCTIONS_READ_AT_ONCE: usize = 4;

/// Runs `reads` (one per function), at most [`FUNCTIONS_READ_AT_ONCE`]
/// at a time, and returns their results in the order given.
pub async fn read_each<T, F>(reads: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T>,
{
    use futures_util::StreamExt;
    futures_util::stream::iter(reads)
        .buffered(FUNCTIONS_READ_AT_ONCE)
        .collect()
        .await
}

/// From this many functions on, a deploy, status or destroy reads lam's
/// roles, the region's event source mappings and lam's schedule rules
/// once for all of them ([`Bulk`]). Below it, reading each function's own
/// is fewer bytes and as few round trips.
pub const BULK_FROM: usize = 4;

/// What several functions' reads share, read once: every role with its
/// policies (IAM GetAccountAuthorizationDetails), every event source
/// mapping of the region, and the schedule rules under the functions'
/// common prefix. A part left None is read function by function.
#[derive(Debug, Clone, Default)]
pub struct Bulk {
    roles: Option<BTreeMap<String, RoleState>>,
    mappings: Option<Vec<(String, Mapping)>>,
    rules: Option<Vec<RuleInfo>>,
}

impl Bulk {
    /// Reads in bulk for `functions` (lam's function names), when there
    /// are [`BULK_FROM`] of them or more.
    pub async fn read(aws: &Aws, functions: &[&str]) -> Result<Bulk> {
        if functions.len() < BULK_FROM {
            return Ok(Bulk::default());
        }
        let iam = Iam::new(aws);
        let lambda = Lambda::new(aws);
        let t = Triggers::new(aws);
        let prefixes: Vec<String> = functions.iter().map(|f| triggers::rule_prefix(f)).collect();
        let common = common_prefix(&prefixes);
        let (roles, mappings, rules) = tokio::try_join!(
            iam.all_roles(),
            lambda.all_mappings(),
            t.list_rules(&common)
        )?;
        Ok(Bulk {
            roles: roles.map(|list| {
                list.into_iter()
                    .map(|d| {
                        let state = role_state(d.role, d.attached, d.inline);
                        (d.name, state)
                    })
                    .collect()
            }),
            mappings: Some(mappings),
            rules: Some(rules),
        })
    }
}

/// The longest prefix every string of `all` begins with (on a character
/// boundary).
fn common_prefix(all: &[String]) -> String {
    let Some(first) = all.first() else {
        return String::new();
    };
    let mut end = first.len();
    for s in &all[1..] {
        end = first
            .char_indices()
            .zip(s.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_string()
}

/// What the API of `desired` is found by.
pub fn api_spec(desired: &Desired, id: Option<String>) -> ApiSpec {
    ApiSpec {
        function: desired.name.clone(),
        project: desired.project.clone(),
        stage: desired.stage.clone(),
        id,
    }
}

/// The account id in an ARN (`arn:aws:lambda:REGION:ACCOUNT:...`).
pub fn account_of(arn: &str) -> String {
    arn.split(':').nth(4).unwrap_or_default().to_string()
}

async fn read_role(iam: &Iam, name: &str) -> Result<Option<RoleState>> {
    let Some(role) = iam.get(name).await? else {
        return Ok(None);
    };
    if !role.lam_created {
        return Ok(Some(role_state(role, Vec::new(), None)));
    }
    let (attached, inline) = tokio::try_join!(iam.attached(name), iam.inline_policy(name))?;
    Ok(Some(role_state(role, attached, inline)))
}

/// A role as compared: the policies of a role lam did not create are not
/// lam's to compare.
fn role_state(role: Role, attached: Vec<String>, inline: Option<Value>) -> RoleState {
    let lam_created = role.lam_created;
    RoleState {
        arn: role.arn,
        lam_created,
        project: role.project,
        stage: role.stage,
        attached: if lam_created { attached } else { Vec::new() },
        inline: if lam_created { inline } else { None },
        regions: role.regions,
    }
}

/// For deploy: the API of the wanted kind (named by id, or found by lam's
/// tags). For destroy: every API lam's tags tie to the function.
async fn read_apis(
    aws: &Aws,
    desired: &Desired,
    spec: &ApiSpec,
) -> Result<(Option<RestState>, Option<HttpState>)> {
    match desired.wanted.as_ref().map(|w| w.api.kind) {
        Some(ApiKind::Rest) => Ok((RestApis::new(aws).read(spec).await?, None)),
        Some(ApiKind::Http) => Ok((None, HttpApis::new(aws).read(spec).await?)),
        Some(ApiKind::Url | ApiKind::None) => Ok((None, None)),
        None => {
            let tagged = ApiSpec {
                id: None,
                ..spec.clone()
            };
            let rest = RestApis::new(aws);
            let http = HttpApis::new(aws);
            tokio::try_join!(rest.read(&tagged), http.read(&tagged))
        }
    }
}

/// Finds each `[secrets]` entry without reading its value. A missing one
/// stops everything before any change.
async fn locate_secrets(aws: &Aws, desired: &Desired) -> Result<Vec<FoundSecret>> {
    let Some(wanted) = desired.wanted.as_ref().filter(|w| !w.secrets.is_empty()) else {
        return Ok(Vec::new());
    };
    let store = Secrets::new(aws);
    let found = futures_util::future::try_join_all(
        wanted
            .secrets
            .iter()
            .map(|(_, reference)| store.locate(reference)),
    )
    .await?;
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for ((key, parsed), found) in wanted.secrets.iter().zip(found) {
        match found {
            None => missing.push(Problem {
                message: format!(
                    "{}: secret {key} (\"{}\") does not exist",
                    desired.name, parsed.original
                ),
                hint: Some(crate::aws::secrets::create_hint(
                    key,
                    parsed,
                    &desired.project,
                    &desired.stage,
                )),
            }),
            Some(found) => {
                let suffix = parsed
                    .json_key
                    .as_ref()
                    .map(|k| format!("#{k}"))
                    .unwrap_or_default();
                let env_value = match &parsed.store {
                    Store::SecretsManager(_) => format!("{found}{suffix}"),
                    Store::Ssm(path) => format!("ssm:{path}{suffix}"),
                };
                out.push(FoundSecret {
                    env_key: format!("{key}_SECRET_ARN"),
                    env_value,
                    store: parsed.store.clone(),
                    resource: found,
                });
            }
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(Error::many(Kind::Config, missing))
    }
}

async fn read_triggers(
    aws: &Aws,
    lambda: &Lambda,
    desired: &Desired,
    actual: &Actual,
    alias_arn: &str,
    bulk: &Bulk,
) -> Result<TriggerState> {
    let t = Triggers::new(aws);
    let s3 = S3::new(aws);
    let wanted = desired.triggers();
    let alias_exists = actual.alias_version.is_some();
    let permissions = &actual.permissions;

    // Buckets: the ones lam.toml lists, and the ones lam's permissions name.
    let mut buckets: Vec<(String, bool)> = Vec::new();
    for t in wanted {
        if let Trigger::S3 { bucket, .. } = t
            && !buckets.iter().any(|(b, _)| b == bucket)
        {
            buckets.push((bucket.clone(), true));
        }
    }
    for b in triggers::permitted_buckets(permissions) {
        if !buckets.iter().any(|(have, _)| have == &b) {
            buckets.push((b, false));
        }
    }
    // Topics likewise.
    let mut topics: Vec<(String, bool)> = Vec::new();
    for tr in wanted {
        if let Trigger::Sns { topic } = tr {
            let arn = triggers::topic_arn(&actual.region, &actual.account, topic);
            if !topics.iter().any(|(have, _)| have == &arn) {
                topics.push((arn, true));
            }
        }
    }
    for arn in triggers::permitted_topics(permissions) {
        if !topics.iter().any(|(have, _)| have == &arn) {
            topics.push((arn, false));
        }
    }
    let prefix = triggers::rule_prefix(&desired.name);
    let schedules = wanted
        .iter()
        .filter(|t| matches!(t, Trigger::Schedule { .. }))
        .count();
    let owned = triggers::notification_prefix(&desired.name);

    let (bucket_states, rules, mappings, topic_states) = tokio::try_join!(
        futures_util::future::try_join_all(buckets.iter().map(|(bucket, listed)| {
            let s3 = &s3;
            let owned = &owned;
            async move {
                match s3.lambda_notifications(bucket, owned).await? {
                    Some(notifications) => Ok(Some(BucketState {
                        bucket: bucket.clone(),
                        notifications,
                    })),
                    None if *listed => Err(Error::config(format!(
                        "the bucket {bucket} of an s3 trigger does not exist"
                    ))
                    .with_hint(
                        "create it first (aws s3 mb s3://BUCKET), or fix bucket in lam.toml",
                    )),
                    // Gone since lam wired it: nothing left to remove there.
                    None => Ok(None),
                }
            }
        })),
        async {
            match &bulk.rules {
                Some(listed) => t.with_targets(listed.clone(), &prefix, schedules).await,
                None => t.rules(&prefix, schedules).await,
            }
        },
        async {
            // The listing of every mapping names the ones that invoke some
            // qualifier of the function; only then is the alias's own
            // listing asked for (moto lists a mapping made on an alias
            // under the version it resolves to, AWS under the alias).
            let function_arn = alias_arn.rsplit_once(':').map_or(alias_arn, |(f, _)| f);
            let any = bulk.mappings.as_ref().is_none_or(|all| {
                all.iter().any(|(f, _)| {
                    f.strip_prefix(function_arn)
                        .is_some_and(|q| q.starts_with(':'))
                })
            });
            if alias_exists && any {
                lambda.mappings(alias_arn).await
            } else {
                Ok(Vec::new())
            }
        },
        futures_util::future::try_join_all(topics.iter().map(|(arn, listed)| {
            let t = &t;
            async move {
                let subs = if alias_exists || *listed {
                    t.subscriptions(arn, alias_arn).await?
                } else {
                    Some(Vec::new())
                };
                match subs {
                    Some(subscriptions) => Ok(Some(TopicState {
                        arn: arn.clone(),
                        subscriptions,
                    })),
                    None if *listed => Err(Error::config(format!(
                        "the SNS topic {arn} of a trigger does not exist"
                    ))
                    .with_hint(
                        "create it first (aws sns create-topic --name NAME), or fix topic in lam.toml",
                    )),
                    None => Ok(None),
                }
            }
        })),
    )?;
    Ok(TriggerState {
        buckets: bucket_states.into_iter().flatten().collect(),
        rules,
        mappings: mappings
            .into_iter()
            .filter(|m| m.source_arn.contains(":sqs:"))
            .collect(),
        topics: topic_states.into_iter().flatten().collect(),
    })
}

/// The env of a function as deployed, with `<NAME>_SECRET_ARN` set.
pub fn full_env(
    env: &BTreeMap<String, String>,
    secrets: &[FoundSecret],
) -> BTreeMap<String, String> {
    let mut out = env.clone();
    for s in secrets {
        out.insert(s.env_key.clone(), s.env_value.clone());
    }
    out
}

#[cfg(test)]
mod bulk_tests {
    use super::{FUNCTIONS_READ_AT_ONCE, common_prefix, read_each};
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn functions_are_read_a_few_at_a_time_in_the_order_given() {
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let reads = (0..40u64).map(|i| {
            let (running, most) = (&running, &most);
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Later functions answer sooner: order must still hold.
                tokio::time::sleep(std::time::Duration::from_millis(40 - i)).await;
                running.fetch_sub(1, Ordering::SeqCst);
                i
            }
        });
        let out = read_each(reads).await;
        assert_eq!(out, (0..40).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), FUNCTIONS_READ_AT_ONCE);
    }

    #[test]
    fn the_rule_listing_prefix_is_what_every_function_shares() {
        let p = |v: &[&str]| common_prefix(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            p(&["lam-shop-dev-a.schedule-", "lam-shop-dev-b.schedule-"]),
            "lam-shop-dev-"
        );
        assert_eq!(p(&["lam-x.schedule-"]), "lam-x.schedule-");
        assert_eq!(p(&["lam-é1", "lam-é2"]), "lam-é");
        assert_eq!(p(&["lam-éa", "lam-è"]), "lam-");
        assert_eq!(p(&[]), "");
    }
}
