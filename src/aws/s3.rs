//! S3, for packages over Lambda's 50 MB direct-upload limit.

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;

use super::{Aws, sdk_error};
use crate::error::Result;

const SERVICE: &str = "s3";

pub struct S3 {
    aws: Aws,
    client: Client,
}

impl S3 {
    pub fn new(aws: &Aws) -> S3 {
        let conf = aws_sdk_s3::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            // Custom endpoints (moto, MinIO, LocalStack) want path-style addressing.
            .force_path_style(aws.config.endpoint_url().is_some())
            .build();
        S3 {
            aws: aws.clone(),
            client: Client::from_conf(conf),
        }
    }

    /// Uploads `bytes` to `bucket/key` unless an object is already there
    /// (keys carry the content hash, so an existing key holds these bytes).
    /// Returns whether it uploaded.
    /// `owner` is the account the bucket must belong to (ExpectedBucketOwner):
    /// a package is never handed to a bucket someone else owns.
    pub async fn upload_once(
        &self,
        bucket: &str,
        key: &str,
        bytes: Vec<u8>,
        owner: Option<&str>,
    ) -> Result<bool> {
        match self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .set_expected_bucket_owner(owner.map(str::to_string))
            .send()
            .await
        {
            Ok(_) => return Ok(false),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => {}
            Err(err) => return Err(sdk_error(&self.aws, SERVICE, "HeadObject", err)),
        }
        self.client
            .put_object()
            .bucket(bucket)
            .key(key)
            .set_expected_bucket_owner(owner.map(str::to_string))
            .body(ByteStream::from(bytes))
            .customize()
            // As long as the code upload to Lambda: packages are up to 250 MB.
            .config_override(
                aws_sdk_s3::config::Builder::default().timeout_config(super::upload_timeouts()),
            )
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, SERVICE, "PutObject", e))?;
        Ok(true)
    }
}

/// A Lambda notification lam wants on a bucket.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LambdaNotification {
    /// Stable: `lam-<function>.<hash of the settings>`.
    pub id: String,
    pub function_arn: String,
    pub events: Vec<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

impl S3 {
    /// The bucket's notification configuration; None when there is no
    /// such bucket.
    async fn notification_configuration(
        &self,
        bucket: &str,
    ) -> Result<Option<aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput>>
    {
        match self
            .client
            .get_bucket_notification_configuration()
            .bucket(bucket)
            .send()
            .await
        {
            Ok(out) => Ok(Some(out)),
            // AWS answers a bucket without notifications with an empty
            // <NotificationConfiguration/>; moto with another root element
            // that the SDK cannot read. A 200 answer means there are none.
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 200) => Ok(Some(
                aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput::builder().build(),
            )),
            Err(e)
                if e.as_service_error().and_then(|s| {
                    aws_smithy_types::error::metadata::ProvideErrorMetadata::code(s)
                }) == Some("NoSuchBucket") =>
            {
                Ok(None)
            }
            Err(e) => Err(sdk_error(
                &self.aws,
                SERVICE,
                "GetBucketNotificationConfiguration",
                e,
            )),
        }
    }

    /// The bucket's Lambda notifications whose id starts with
    /// `owned_prefix`; None when the bucket does not exist.
    pub async fn lambda_notifications(
        &self,
        bucket: &str,
        owned_prefix: &str,
    ) -> Result<Option<Vec<LambdaNotification>>> {
        let Some(current) = self.notification_configuration(bucket).await? else {
            return Ok(None);
        };
        Ok(Some(
            current
                .lambda_function_configurations()
                .iter()
                .filter(|c| c.id().is_some_and(|id| id.starts_with(owned_prefix)))
                .map(|c| {
                    let rule = |name: &str| {
                        c.filter()
                            .and_then(|f| f.key())
                            .and_then(|k| {
                                k.filter_rules().iter().find(|r| {
                                    r.name()
                                        .is_some_and(|n| n.as_str().eq_ignore_ascii_case(name))
                                })
                            })
                            .and_then(|r| r.value())
                            .map(str::to_string)
                    };
                    LambdaNotification {
                        id: c.id().unwrap_or_default().to_string(),
                        function_arn: c.lambda_function_arn().to_string(),
                        events: c.events().iter().map(|e| e.as_str().to_string()).collect(),
                        prefix: rule("prefix"),
                        suffix: rule("suffix"),
                    }
                })
                .collect(),
        ))
    }

    /// Makes the bucket's Lambda notifications whose id starts with
    /// `owned_prefix` exactly `want`, keeping every other notification
    /// (other functions', queues', topics', EventBridge) as it is: the
    /// configuration is read again right before it is written.
    pub async fn put_notifications(
        &self,
        bucket: &str,
        owned_prefix: &str,
        want: &[LambdaNotification],
    ) -> Result<()> {
        use aws_sdk_s3::types::{
            Event, FilterRule, FilterRuleName, LambdaFunctionConfiguration,
            NotificationConfiguration, NotificationConfigurationFilter, S3KeyFilter,
        };
        // Functions deploying at once that share a bucket take turns: each
        // reads the configuration and writes it back with its own part.
        let lock = bucket_lock(bucket);
        let _turn = lock.lock().await;
        let Some(current) = self.notification_configuration(bucket).await? else {
            if want.is_empty() {
                return Ok(());
            }
            return Err(crate::error::Error::config(format!(
                "the bucket {bucket} of an s3 trigger does not exist"
            ))
            .with_hint("create it first (aws s3 mb s3://BUCKET), or fix bucket in lam.toml"));
        };
        let mut lambdas: Vec<LambdaFunctionConfiguration> = current
            .lambda_function_configurations()
            .iter()
            .filter(|c| !c.id().is_some_and(|id| id.starts_with(owned_prefix)))
            .cloned()
            .collect();
        for n in want {
            let mut rules = Vec::new();
            if let Some(p) = &n.prefix {
                rules.push(
                    FilterRule::builder()
                        .name(FilterRuleName::Prefix)
                        .value(p)
                        .build(),
                );
            }
            if let Some(s) = &n.suffix {
                rules.push(
                    FilterRule::builder()
                        .name(FilterRuleName::Suffix)
                        .value(s)
                        .build(),
                );
            }
            let filter = (!rules.is_empty()).then(|| {
                NotificationConfigurationFilter::builder()
                    .key(S3KeyFilter::builder().set_filter_rules(Some(rules)).build())
                    .build()
            });
            let config = LambdaFunctionConfiguration::builder()
                .id(&n.id)
                .lambda_function_arn(&n.function_arn)
                .set_events(Some(
                    n.events.iter().map(|e| Event::from(e.as_str())).collect(),
                ))
                .set_filter(filter)
                .build()
                .map_err(|e| crate::error::Error::local(format!("S3 notification: {e}")))?;
            lambdas.push(config);
        }
        let config = NotificationConfiguration::builder()
            .set_lambda_function_configurations(Some(lambdas))
            .set_queue_configurations(Some(current.queue_configurations().to_vec()))
            .set_topic_configurations(Some(current.topic_configurations().to_vec()))
            .set_event_bridge_configuration(current.event_bridge_configuration().cloned())
            .build();
        self.client
            .put_bucket_notification_configuration()
            .bucket(bucket)
            .notification_configuration(config)
            .send()
            .await
            .map_err(|e| {
                let unvalidated = e.as_service_error().is_some_and(|s| {
                    aws_smithy_types::error::metadata::ProvideErrorMetadata::message(s)
                        .is_some_and(|m| m.contains("Unable to validate"))
                });
                let err = sdk_error(&self.aws, SERVICE, "PutBucketNotificationConfiguration", e);
                if unvalidated {
                    err.with_hint(format!(
                        "S3 checks every destination of s3://{bucket} when its notifications are written, \
                         other people's included: one of them (a queue, topic or function) is gone or does \
                         not allow S3; fix or remove it in the bucket, then deploy again"
                    ))
                } else {
                    err
                }
            })?;
        Ok(())
    }
}

/// One lock per bucket for this process.
fn bucket_lock(bucket: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let mut locks = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    locks.entry(bucket.to_string()).or_default().clone()
}
