//! What `lam dev` does on AWS: its queues, its heartbeat, the relay's
//! permissions, and switching the function to the relay and back.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::json;

use super::lambda::{Code, Lambda};
use super::{Aws, sdk_error};
use crate::dev::Names;
use crate::error::{Error, Result};

/// The trust statement `lam dev --as-role` adds for the session.
pub const CALLER_SID: &str = "LamDevCaller";

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[derive(Clone)]
pub struct DevAws {
    aws: Aws,
    sqs: aws_sdk_sqs::Client,
    ssm: aws_sdk_ssm::Client,
    iam: aws_sdk_iam::Client,
    s3: aws_sdk_s3::Client,
    pub lambda: Lambda,
}

/// A message received from the request queue.
pub struct Received {
    pub body: String,
}

impl DevAws {
    /// Milliseconds to add to this machine's clock for AWS's, from the
    /// `Date` of the last answer (0 before any).
    pub fn clock_skew_ms(&self) -> i64 {
        self.aws
            .server_date()
            .and_then(|(date, at)| crate::clock::offset(&date, at))
            .map(|ahead| -(ahead * 1000.0) as i64)
            .unwrap_or(0)
    }

    pub fn new(aws: &Aws) -> DevAws {
        let sqs = aws_sdk_sqs::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        let ssm = aws_sdk_ssm::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        let iam = aws_sdk_iam::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        let s3 = aws_sdk_s3::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .force_path_style(aws.config.endpoint_url().is_some())
            .build();
        DevAws {
            aws: aws.clone(),
            s3: aws_sdk_s3::Client::from_conf(s3),
            sqs: aws_sdk_sqs::Client::from_conf(sqs),
            ssm: aws_sdk_ssm::Client::from_conf(ssm),
            iam: aws_sdk_iam::Client::from_conf(iam),
            lambda: Lambda::new(aws),
        }
    }

    /// The session's request queue (created, or the one left by a session
    /// that was killed), and its ARN.
    pub async fn request_queue(&self, names: &Names, session: &str) -> Result<(String, String)> {
        let out = self
            .sqs
            .create_queue()
            .queue_name(&names.request_queue)
            .attributes(QueueAttributeName::MessageRetentionPeriod, "300")
            .attributes(QueueAttributeName::VisibilityTimeout, "900")
            .tags("managed-by", "lam")
            .tags("lam:dev", session)
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, "sqs", "CreateQueue", e))?;
        let url = out.queue_url().unwrap_or_default().to_string();
        let (partition, region) = (super::iam::partition(self.aws.region()), self.aws.region());
        let account = self.aws.account().await?;
        let arn = format!(
            "arn:{partition}:sqs:{region}:{account}:{}",
            names.request_queue
        );
        Ok((url, arn))
    }

    /// Up to 10 requests, waiting up to `wait` seconds for the first. Each
    /// is deleted as it is taken: a request runs once.
    pub async fn receive(&self, url: &str, wait: i32) -> Result<Vec<Received>> {
        let out = self
            .sqs
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(10)
            .wait_time_seconds(wait)
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, "sqs", "ReceiveMessage", e))?;
        let mut got = Vec::new();
        for m in out.messages() {
            if let Some(receipt) = m.receipt_handle() {
                self.sqs
                    .delete_message()
                    .queue_url(url)
                    .receipt_handle(receipt)
                    .send()
                    .await
                    .map_err(|e| sdk_error(&self.aws, "sqs", "DeleteMessage", e))?;
            }
            got.push(Received {
                body: m.body().unwrap_or_default().to_string(),
            });
        }
        Ok(got)
    }

    pub async fn send(&self, url: &str, body: &str) -> Result<()> {
        self.sqs
            .send_message()
            .queue_url(url)
            .message_body(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error(&self.aws, "sqs", "SendMessage", e))
    }

    /// Deletes the request queue and every reply queue of the function's
    /// sessions.
    pub async fn delete_queues(&self, names: &Names) -> Result<usize> {
        let mut deleted = 0;
        let mut token = None;
        loop {
            let out = self
                .sqs
                .list_queues()
                .queue_name_prefix(&names.request_queue)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error(&self.aws, "sqs", "ListQueues", e))?;
            for url in out.queue_urls() {
                let name = url.rsplit('/').next().unwrap_or_default();
                if name == names.request_queue || name.starts_with(&names.reply_prefix) {
                    self.sqs
                        .delete_queue()
                        .queue_url(url)
                        .send()
                        .await
                        .map_err(|e| sdk_error(&self.aws, "sqs", "DeleteQueue", e))?;
                    deleted += 1;
                }
            }
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(deleted);
            }
        }
    }

    /// The account and region's spill bucket (created when missing).
    pub async fn spill_bucket(&self) -> Result<String> {
        let account = self.aws.account().await?;
        let bucket = Names::bucket(&account, self.aws.region());
        let mut create = self.s3.create_bucket().bucket(&bucket);
        if self.aws.region() != "us-east-1" {
            create = create.create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                        self.aws.region(),
                    ))
                    .build(),
            );
        }
        match create.send().await {
            Ok(_) => {
                // Tagged as lam's, as everything a session makes.
                let tagging = aws_sdk_s3::types::Tagging::builder()
                    .tag_set(
                        aws_sdk_s3::types::Tag::builder()
                            .key("managed-by")
                            .value("lam")
                            .build()
                            .map_err(|e| Error::aws(format!("cannot tag {bucket}: {e}")))?,
                    )
                    .build()
                    .map_err(|e| Error::aws(format!("cannot tag {bucket}: {e}")))?;
                self.s3
                    .put_bucket_tagging()
                    .bucket(&bucket)
                    .tagging(tagging)
                    .send()
                    .await
                    .map_err(|e| sdk_error(&self.aws, "s3", "PutBucketTagging", e))?;
            }
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_bucket_already_owned_by_you()) => {}
            Err(e) => return Err(sdk_error(&self.aws, "s3", "CreateBucket", e)),
        }
        Ok(bucket)
    }

    pub async fn put_object(&self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .expected_bucket_owner(self.aws.account().await?)
            .body(bytes.into())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error(&self.aws, "s3", "PutObject", e))
    }

    /// Reads and deletes an object.
    pub async fn take_object(&self, bucket: &str, key: &str) -> Result<Vec<u8>> {
        let out = self
            .s3
            .get_object()
            .bucket(bucket)
            .key(key)
            .expected_bucket_owner(self.aws.account().await?)
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, "s3", "GetObject", e))?;
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|e| Error::aws(format!("cannot read s3://{bucket}/{key}: {e}")))?
            .into_bytes()
            .to_vec();
        let _ = self.s3.delete_object().bucket(bucket).key(key).send().await;
        Ok(bytes)
    }

    /// Deletes what is under `prefix` in the spill bucket. The bucket
    /// stays: sessions of other functions (or machines) in the account and
    /// region may be using it, and an empty bucket costs nothing.
    pub async fn empty_spill(&self, prefix: &str) -> Result<()> {
        let account = self.aws.account().await?;
        let bucket = Names::bucket(&account, self.aws.region());
        let listed = match self
            .s3
            .list_objects_v2()
            .bucket(&bucket)
            .prefix(prefix)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_bucket()) => return Ok(()),
            Err(e) => return Err(sdk_error(&self.aws, "s3", "ListObjectsV2", e)),
        };
        for o in listed.contents() {
            if let Some(key) = o.key() {
                let _ = self
                    .s3
                    .delete_object()
                    .bucket(&bucket)
                    .key(key)
                    .send()
                    .await;
            }
        }
        Ok(())
    }

    /// Says lam dev is running: `<session> <epoch seconds>`.
    pub async fn heartbeat(&self, names: &Names, session: &str) -> Result<()> {
        self.ssm
            .put_parameter()
            .name(&names.heartbeat)
            .value(format!("{session} {}", now_secs()))
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .overwrite(true)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error(&self.aws, "ssm", "PutParameter", e))
    }

    /// The last heartbeat: its session and age in seconds.
    pub async fn last_heartbeat(&self, names: &Names) -> Result<Option<(String, u64)>> {
        match self.ssm.get_parameter().name(&names.heartbeat).send().await {
            Ok(out) => Ok(out
                .parameter()
                .and_then(|p| p.value())
                .and_then(|v| v.split_once(' '))
                .and_then(|(s, t)| {
                    Some((s.to_string(), now_secs().saturating_sub(t.parse().ok()?)))
                })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_parameter_not_found()) =>
            {
                Ok(None)
            }
            Err(e) => Err(sdk_error(&self.aws, "ssm", "GetParameter", e)),
        }
    }

    pub async fn delete_heartbeat(&self, names: &Names) -> Result<()> {
        match self
            .ssm
            .delete_parameter()
            .name(&names.heartbeat)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_parameter_not_found()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error(&self.aws, "ssm", "DeleteParameter", e)),
        }
    }

    /// Lets the function's role (`role`, a name) reach the session's
    /// queues and heartbeat, and nothing else: an inline policy of its own
    /// (`lam-dev`), removed on stop.
    pub async fn allow_relay(
        &self,
        role: &str,
        names: &Names,
        queue_arn: &str,
        spill: &str,
    ) -> Result<()> {
        let prefix = queue_arn
            .rsplit_once(':')
            .map(|(p, _)| p)
            .unwrap_or_default();
        let partition = super::iam::partition(self.aws.region());
        let region = self.aws.region();
        let account = self.aws.account().await?;
        let doc = json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "LamDevRequests", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn},
                {"Sid": "LamDevReplies", "Effect": "Allow",
                 "Action": ["sqs:CreateQueue", "sqs:TagQueue", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
                 "Resource": format!("{prefix}:{}*", names.reply_prefix)},
                {"Sid": "LamDevHeartbeat", "Effect": "Allow", "Action": "ssm:GetParameter",
                 "Resource": format!("arn:{partition}:ssm:{region}:{account}:parameter{}", names.heartbeat)},
                {"Sid": "LamDevSpill", "Effect": "Allow",
                 "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                 "Resource": format!("arn:{partition}:s3:::{spill}*")}
            ]
        });
        self.iam
            .put_role_policy()
            .role_name(role)
            .policy_name(&names.policy)
            .policy_document(doc.to_string())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error(&self.aws, "iam", "PutRolePolicy", e))
    }

    pub async fn disallow_relay(&self, role: &str, names: &Names) -> Result<()> {
        match self
            .iam
            .delete_role_policy()
            .role_name(role)
            .policy_name(&names.policy)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error(&self.aws, "iam", "DeleteRolePolicy", e)),
        }
    }

    /// The function's role's credentials for the developer, when its trust
    /// policy lets the caller assume it (None when it does not).
    pub async fn assume(
        &self,
        role_arn: &str,
        session: &str,
    ) -> Result<Option<crate::local::RoleCredentials>> {
        let conf = aws_sdk_sts::config::Builder::from(&self.aws.config)
            .interceptor(self.aws.interceptor())
            .build();
        let out = aws_sdk_sts::Client::from_conf(conf)
            .assume_role()
            .role_arn(role_arn)
            .role_session_name(format!("lam-dev-{session}"))
            .duration_seconds(3600)
            .send()
            .await;
        match out {
            Ok(out) => Ok(out.credentials().map(|c| crate::local::RoleCredentials {
                role_arn: role_arn.to_string(),
                access_key_id: c.access_key_id().to_string(),
                secret_access_key: c.secret_access_key().to_string(),
                session_token: c.session_token().to_string(),
            })),
            Err(e) => {
                let e = sdk_error(&self.aws, "sts", "AssumeRole", e);
                if e.is(crate::error::Cause::AccessDenied) {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Adds `principal` to the role's trust policy for the session
    /// (statement `LamDevCaller`), held to one `aws:userid` when given, or
    /// removes it (None).
    pub async fn trust_caller(
        &self,
        role: &str,
        principal: Option<(&str, Option<&str>)>,
    ) -> Result<()> {
        let out = self
            .iam
            .get_role()
            .role_name(role)
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, "iam", "GetRole", e))?;
        let Some(doc) = out.role().and_then(|r| r.assume_role_policy_document()) else {
            return Ok(());
        };
        // Rewritten from what IAM holds, never from nothing: a document
        // lam cannot read is not replaced (that would drop Lambda's own
        // statement and stop the function from assuming its role).
        let mut doc: serde_json::Value = serde_json::from_str(&super::iam::percent_decode(doc))
            .ok()
            .filter(serde_json::Value::is_object)
            .ok_or_else(|| {
                Error::aws(format!(
                    "the trust policy of role {role} is not a JSON object"
                ))
                .with_hint(
                    "fix the role's trust policy in IAM, or run lam deploy to let lam rewrite it",
                )
            })?;
        // IAM takes one statement as an object or several as an array.
        let statements = match &doc["Statement"] {
            serde_json::Value::Array(all) => all.clone(),
            serde_json::Value::Object(_) => vec![doc["Statement"].clone()],
            _ => Vec::new(),
        };
        let had = statements.iter().any(|s| s["Sid"] == CALLER_SID);
        let mut kept: Vec<serde_json::Value> = statements
            .into_iter()
            .filter(|s| s["Sid"] != CALLER_SID)
            .collect();
        if let Some((p, user_id)) = principal {
            let mut statement = json!({
                "Sid": CALLER_SID, "Effect": "Allow",
                "Principal": {"AWS": p}, "Action": "sts:AssumeRole"
            });
            if let Some(id) = user_id {
                statement["Condition"] = json!({"StringEquals": {"aws:userid": id}});
            }
            kept.push(statement);
        } else if !had {
            return Ok(());
        }
        doc["Statement"] = serde_json::Value::Array(kept);
        self.iam
            .update_assume_role_policy()
            .role_name(role)
            .policy_document(doc.to_string())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error(&self.aws, "iam", "UpdateAssumeRolePolicy", e))
    }

    /// Marks the function as in a dev session (or not, with None).
    pub async fn mark(&self, function_arn: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => {
                let tags = [(crate::dev::DEV_TAG.to_string(), v.to_string())]
                    .into_iter()
                    .collect();
                self.lambda.tag(function_arn, &tags).await
            }
            None => self.lambda.untag(function_arn, crate::dev::DEV_TAG).await,
        }
    }
}

/// `$LATEST` with the relay's code, runtime and handler, and the session's
/// variables beside the function's own; then published, and the alias
/// moved to that version. Returns the relay's version.
pub async fn switch_to_relay(
    lambda: &Lambda,
    function: &super::lambda::Deployed,
    alias: &str,
    relay_env: &HashMap<String, String>,
) -> Result<String> {
    let name = function_name(function);
    let zip = crate::dev::relay_zip()?;
    let sha = lambda
        .update_code(&name, &Code::Zip(zip), &function.settings.architecture)
        .await?;
    let mut settings = function.settings.clone();
    settings.runtime = crate::dev::RELAY_RUNTIME.to_string();
    settings.handler = crate::dev::RELAY_HANDLER.to_string();
    for (k, v) in relay_env {
        settings.env.insert(k.clone(), v.clone());
    }
    lambda.update_configuration(&name, &settings).await?;
    let version = lambda.publish_version(&name, &sha).await?;
    lambda.wait_for_version(&name, &version, || {}).await?;
    lambda.point_alias(&name, alias, &version, true).await?;
    Ok(version)
}

/// The function's name, from its ARN.
pub fn function_name(function: &super::lambda::Deployed) -> String {
    function
        .arn
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Puts back what `point` saved: the alias first (callers are served the
/// real code again at once), then `$LATEST`'s code and configuration, then
/// the relay's version is deleted.
pub async fn restore(
    lambda: &Lambda,
    point: &crate::dev::RestorePoint,
    zip: Vec<u8>,
) -> Result<()> {
    let name = point.function.as_str();
    lambda
        .point_alias(name, &point.alias, &point.alias_version, true)
        .await?;
    let now = lambda
        .get(name)
        .await?
        .ok_or_else(|| Error::aws(format!("{name} no longer exists")))?;
    if now.code_sha256 != point.code_sha256 {
        let sha = lambda
            .update_code(name, &Code::Zip(zip), &now.settings.architecture)
            .await?;
        if sha != point.code_sha256 {
            return Err(Error::aws(format!(
                "{name}'s code was put back as {sha}, not {}",
                point.code_sha256
            ))
            .with_hint("run lam deploy to put the function back from lam.toml"));
        }
    }
    let mut settings = now.settings.clone();
    settings.runtime = point.runtime.clone();
    settings.handler = point.handler.clone();
    settings.env = point.env.clone();
    if settings != now.settings {
        lambda.update_configuration(name, &settings).await?;
    }
    if let Some(v) = point.relay_version.as_deref().and_then(|v| v.parse().ok()) {
        lambda.delete_version(name, v).await?;
    }
    Ok(())
}
