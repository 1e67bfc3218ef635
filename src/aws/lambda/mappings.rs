//! Event source mappings (SQS triggers).

use super::{Lambda, found};
use crate::error::Result;

/// An event source mapping, as deploy compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub uuid: String,
    pub source_arn: String,
    pub batch_size: u32,
    pub report_failures: bool,
    /// MaximumBatchingWindowInSeconds.
    pub batch_window: u32,
}

/// What a mapping should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingSpec<'a> {
    pub function_arn: &'a str,
    pub source_arn: &'a str,
    pub batch_size: u32,
    pub report_failures: bool,
    pub batch_window: u32,
}

impl Lambda {
    /// The event source mappings that invoke `function_arn` (qualified).
    pub async fn mappings(&self, function_arn: &str) -> Result<Vec<Mapping>> {
        Ok(self
            .list_mappings(Some(function_arn))
            .await?
            .into_iter()
            .map(|(_, m)| m)
            .collect())
    }

    /// Every event source mapping of the region, with the function ARN
    /// each invokes: one listing for a deploy of many functions, where
    /// one per function would cost a call each.
    pub async fn all_mappings(&self) -> Result<Vec<(String, Mapping)>> {
        self.list_mappings(None).await
    }

    async fn list_mappings(&self, function_arn: Option<&str>) -> Result<Vec<(String, Mapping)>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_event_source_mappings()
                .set_function_name(function_arn.map(str::to_string))
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListEventSourceMappings", e))?;
            out.extend(page.event_source_mappings().iter().filter_map(|m| {
                Some((
                    m.function_arn().unwrap_or_default().to_string(),
                    Mapping {
                        uuid: m.uuid()?.to_string(),
                        source_arn: m.event_source_arn()?.to_string(),
                        batch_size: m.batch_size().unwrap_or(10).max(0) as u32,
                        batch_window: m.maximum_batching_window_in_seconds().unwrap_or(0).max(0)
                            as u32,
                        report_failures: m.function_response_types().iter().any(|t| {
                            t == &aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures
                        }),
                    },
                ))
            }));
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// Creates a mapping, or updates the one `uuid` names. A role that
    /// was granted the queue moments ago may not be usable yet: that
    /// refusal is retried for up to a minute, as for a new role.
    pub async fn put_mapping(&self, spec: &MappingSpec<'_>, uuid: Option<&str>) -> Result<()> {
        let types = if spec.report_failures {
            vec![aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures]
        } else {
            Vec::new()
        };
        let window = spec.batch_window as i32;
        match uuid {
            Some(uuid) => {
                self.changing(|| {
                    self.client
                        .update_event_source_mapping()
                        .uuid(uuid)
                        .batch_size(spec.batch_size as i32)
                        .maximum_batching_window_in_seconds(window)
                        .set_function_response_types(Some(types.clone()))
                        .send()
                })
                .await
                .map_err(|e| self.error("UpdateEventSourceMapping", e))?;
            }
            None => {
                self.propagating(grant_not_ready, || {
                    self.changing(|| {
                        self.client
                            .create_event_source_mapping()
                            .function_name(spec.function_arn)
                            .event_source_arn(spec.source_arn)
                            .batch_size(spec.batch_size as i32)
                            .maximum_batching_window_in_seconds(window)
                            .set_function_response_types(Some(types.clone()))
                            .enabled(true)
                            .send()
                    })
                })
                .await
                .map_err(|e| self.error("CreateEventSourceMapping", e))?;
            }
        }
        Ok(())
    }

    pub async fn delete_mapping(&self, uuid: &str) -> Result<()> {
        found(
            self.changing(|| self.client.delete_event_source_mapping().uuid(uuid).send())
                .await,
        )
        .map_err(|e| self.error("DeleteEventSourceMapping", e))?;
        Ok(())
    }
}

/// Lambda's refusal while the role's new permission on the queue has not
/// reached it yet ("The provided execution role does not have permissions
/// to call ReceiveMessage on SQS").
fn grant_not_ready<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error().is_some_and(|e| {
        e.code() == Some("InvalidParameterValueException")
            && e.message()
                .is_some_and(|m| m.contains("execution role does not have permissions"))
    })
}
