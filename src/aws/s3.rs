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
    pub async fn upload_once(&self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<bool> {
        match self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
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
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| sdk_error(&self.aws, SERVICE, "PutObject", e))?;
        Ok(true)
    }
}
