//! SQS, read only: a queue's visibility timeout, which Lambda requires to be
//! at least the function's timeout before it maps the queue.

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::QueueAttributeName;

use super::{Aws, sdk_error};
use crate::error::Result;

pub struct Queues {
    aws: Aws,
}

impl Queues {
    pub fn new(aws: &Aws) -> Queues {
        Queues { aws: aws.clone() }
    }

    /// SQS in the queue's region (from its ARN).
    fn client(&self, region: &str) -> Client {
        let mut conf = aws_sdk_sqs::config::Builder::from(&self.aws.config)
            .interceptor(self.aws.interceptor());
        if !region.is_empty() && region != self.aws.region() {
            conf = conf.region(aws_sdk_sqs::config::Region::new(region.to_string()));
        }
        Client::from_conf(conf.build())
    }

    /// The visibility timeout, in seconds, of the queue `arn`
    /// (`arn:PARTITION:sqs:REGION:ACCOUNT:NAME`); None when there is no
    /// such queue.
    pub async fn visibility_timeout(&self, arn: &str) -> Result<Option<u32>> {
        let parts: Vec<&str> = arn.split(':').collect();
        let (region, account, name) = match parts.as_slice() {
            [_, _, _, region, account, name] => (*region, *account, *name),
            _ => return Ok(None),
        };
        let client = self.client(region);
        let url = match client
            .get_queue_url()
            .queue_name(name)
            .queue_owner_aws_account_id(account)
            .send()
            .await
        {
            Ok(out) => out.queue_url().unwrap_or_default().to_string(),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_queue_does_not_exist()) =>
            {
                return Ok(None);
            }
            Err(err) => return Err(sdk_error(&self.aws, "sqs", "GetQueueUrl", err)),
        };
        let out = client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::VisibilityTimeout)
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, "sqs", "GetQueueAttributes", e))?;
        Ok(out
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::VisibilityTimeout))
            .and_then(|v| v.parse().ok())
            // SQS's default when the attribute is not reported.
            .or(Some(30)))
    }
}
