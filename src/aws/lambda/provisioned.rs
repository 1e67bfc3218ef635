//! Provisioned concurrency on the alias deploy moves.
//!
//! The configuration belongs to the alias, not to a version: when deploy
//! points the alias at a new version, Lambda provisions that version
//! (Lambda guide, "Configuring provisioned concurrency").

use aws_sdk_lambda::error::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::Lambda;
use crate::error::{Error, Result};

/// The alias's provisioned concurrency as Lambda reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Provisioned {
    /// No configuration (ProvisionedConcurrencyConfigNotFoundException).
    #[default]
    None,
    Configured {
        requested: u32,
        allocated: u32,
        available: u32,
        /// IN_PROGRESS, READY or FAILED.
        status: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The endpoint has no such API (an emulator such as moto answers a
    /// bare HTTP 404 without an AWS error code).
    Unsupported,
}

impl Provisioned {
    /// The number of environments asked for, when any.
    pub fn requested(&self) -> Option<u32> {
        match self {
            Provisioned::Configured { requested, .. } => Some(*requested),
            _ => None,
        }
    }
}

fn count(n: Option<i32>) -> u32 {
    n.unwrap_or(0).max(0) as u32
}

impl Lambda {
    /// The provisioned concurrency configured on `alias`.
    pub async fn provisioned(&self, name: &str, alias: &str) -> Result<Provisioned> {
        let result = self
            .client
            .get_provisioned_concurrency_config()
            .function_name(name)
            .qualifier(alias)
            .send()
            .await;
        match result {
            Ok(out) => Ok(Provisioned::Configured {
                requested: count(out.requested_provisioned_concurrent_executions()),
                allocated: count(out.allocated_provisioned_concurrent_executions()),
                available: count(out.available_provisioned_concurrent_executions()),
                status: out
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                reason: out.status_reason().map(str::to_string),
            }),
            Err(err)
                if err.as_service_error().is_some_and(|e| {
                    e.is_provisioned_concurrency_config_not_found_exception()
                        || e.code() == Some("ResourceNotFoundException")
                }) =>
            {
                Ok(Provisioned::None)
            }
            Err(err) if crate::aws::operation_missing(&err) => Ok(Provisioned::Unsupported),
            Err(err) => Err(self.error("GetProvisionedConcurrencyConfig", err)),
        }
    }

    /// Asks Lambda to keep `n` environments initialised for `alias`, or
    /// removes the configuration (None). Allocation goes on after the call
    /// returns; `lam status` shows its progress.
    pub async fn set_provisioned(&self, name: &str, alias: &str, n: Option<u32>) -> Result<()> {
        match n {
            // Right after the alias moves, AWS may still hold routing
            // weights on it and refuse ("Alias with weights can not be used
            // with Provisioned Concurrency"): asked again until they clear.
            Some(n) => self
                .propagating(alias_has_weights, || {
                    self.changing(|| {
                        self.client
                            .put_provisioned_concurrency_config()
                            .function_name(name)
                            .qualifier(alias)
                            .provisioned_concurrent_executions(n.min(i32::MAX as u32) as i32)
                            .send()
                    })
                })
                .await
                .map(|_| ())
                .map_err(|e| self.provisioned_error("PutProvisionedConcurrencyConfig", e)),
            None => self
                .changing(|| {
                    self.client
                        .delete_provisioned_concurrency_config()
                        .function_name(name)
                        .qualifier(alias)
                        .send()
                })
                .await
                .map(|_| ())
                .map_err(|e| self.provisioned_error("DeleteProvisionedConcurrencyConfig", e)),
        }
    }

    /// An endpoint without the API says so in lam's words; any other
    /// error as every Lambda error is reported.
    fn provisioned_error<E>(&self, operation: &str, err: SdkError<E>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        if !crate::aws::operation_missing(&err) {
            return self.error(operation, err);
        }
        Error::aws(format!(
            "{operation}: {} has no provisioned concurrency API (HTTP 404)",
            self.aws.endpoint(super::SERVICE)
        ))
        .with_hint("remove provisioned_concurrency from lam.toml for this endpoint; AWS itself has the API")
    }
}

/// AWS's refusal while an alias still carries routing weights.
fn alias_has_weights<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error().is_some_and(|e| {
        e.message().is_some_and(|m| {
            m.contains("Alias with weights can not be used with Provisioned Concurrency")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_lambda::operation::get_provisioned_concurrency_config::GetProvisionedConcurrencyConfigError as GetError;
    use aws_smithy_runtime_api::http::Response;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn answer(status: u16, code: Option<&str>) -> SdkError<GetError> {
        let mut meta = ErrorMetadata::builder().message("m");
        if let Some(code) = code {
            meta = meta.code(code);
        }
        SdkError::service_error(
            GetError::generic(meta.build()),
            Response::new(status.try_into().unwrap(), SdkBody::empty()),
        )
    }

    /// AWS answers a missing configuration with a 404 that names
    /// ProvisionedConcurrencyConfigNotFoundException (the Lambda API
    /// reference's errors for GetProvisionedConcurrencyConfig); only a 404
    /// naming nothing (moto's HTML page) means the API is absent.
    #[test]
    fn only_a_404_without_an_error_code_means_no_api() {
        use crate::aws::operation_missing as missing;
        assert!(missing(&answer(404, None)));
        assert!(!missing(&answer(
            404,
            Some("ProvisionedConcurrencyConfigNotFoundException")
        )));
        assert!(!missing(&answer(404, Some("ResourceNotFoundException"))));
        assert!(!missing(&answer(400, None)));
    }
}
