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
}

impl Lambda {
    /// The event source mappings that invoke `function_arn` (qualified).
    pub async fn mappings(&self, function_arn: &str) -> Result<Vec<Mapping>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_event_source_mappings()
                .function_name(function_arn)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListEventSourceMappings", e))?;
            out.extend(page.event_source_mappings().iter().filter_map(|m| {
                Some(Mapping {
                    uuid: m.uuid()?.to_string(),
                    source_arn: m.event_source_arn()?.to_string(),
                    batch_size: m.batch_size().unwrap_or(10).max(0) as u32,
                    report_failures: m.function_response_types().iter().any(|t| {
                        t == &aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures
                    }),
                })
            }));
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// Creates a mapping, or updates the one `uuid` names.
    pub async fn put_mapping(
        &self,
        function_arn: &str,
        source_arn: &str,
        batch_size: u32,
        report_failures: bool,
        uuid: Option<&str>,
    ) -> Result<()> {
        let types = if report_failures {
            vec![aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures]
        } else {
            Vec::new()
        };
        match uuid {
            Some(uuid) => {
                self.changing(|| {
                    self.client
                        .update_event_source_mapping()
                        .uuid(uuid)
                        .batch_size(batch_size as i32)
                        .set_function_response_types(Some(types.clone()))
                        .send()
                })
                .await
                .map_err(|e| self.error("UpdateEventSourceMapping", e))?;
            }
            None => {
                self.changing(|| {
                    self.client
                        .create_event_source_mapping()
                        .function_name(function_arn)
                        .event_source_arn(source_arn)
                        .batch_size(batch_size as i32)
                        .set_function_response_types(Some(types.clone()))
                        .enabled(true)
                        .send()
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
