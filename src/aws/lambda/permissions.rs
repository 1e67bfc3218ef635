//! The alias's resource policy: the statements that let API Gateway, a
//! public URL and the triggers invoke it.

use std::time::Duration;

use super::{Lambda, already_exists, found};
use crate::error::Result;

/// One statement of a function's resource policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    pub sid: String,
    pub principal: String,
    pub action: String,
    pub source_arn: Option<String>,
    /// `AWS:SourceAccount`, where the statement has one.
    pub source_account: Option<String>,
}

/// A permission lam wants in a function's resource policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub sid: String,
    pub principal: String,
    pub action: String,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    /// For `lambda:InvokeFunctionUrl`: the URL's auth type.
    pub url_auth: Option<String>,
    /// `lambda:InvokeFunction` only through the function URL
    /// (condition `lambda:InvokedViaFunctionUrl`).
    pub via_url: bool,
}

impl Lambda {
    /// The statements of the resource policy of `qualifier`.
    pub async fn permissions(&self, name: &str, qualifier: &str) -> Result<Vec<Permission>> {
        let Some(out) = found(
            self.client
                .get_policy()
                .function_name(name)
                .qualifier(qualifier)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetPolicy", e))?
        else {
            return Ok(Vec::new());
        };
        let doc: serde_json::Value = out
            .policy()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let statements = match doc.get("Statement") {
            Some(serde_json::Value::Array(list)) => list.clone(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        };
        Ok(statements
            .iter()
            .map(|st| {
                let text = |v: Option<&serde_json::Value>| match v {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Object(o)) => o
                        .values()
                        .next()
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    _ => String::new(),
                };
                Permission {
                    sid: text(st.get("Sid")),
                    principal: text(st.get("Principal")),
                    action: text(st.get("Action")),
                    source_arn: st
                        .pointer("/Condition/ArnLike/AWS:SourceArn")
                        .and_then(|v| v.as_str())
                        .map(str::to_string),
                    source_account: st
                        .pointer("/Condition/StringEquals/AWS:SourceAccount")
                        .and_then(|v| v.as_str())
                        .map(str::to_string),
                }
            })
            .collect())
    }

    /// Adds a permission. Lambda refuses a statement id twice, but not every
    /// stand-in does; so a call whose answer was lost is not repeated by the
    /// SDK: lam reads the policy and only tries again when the statement is
    /// still missing.
    pub async fn add_permission(&self, name: &str, qualifier: &str, grant: &Grant) -> Result<()> {
        let mut call = self
            .client
            .add_permission()
            .function_name(name)
            .qualifier(qualifier)
            .statement_id(&grant.sid)
            .principal(&grant.principal)
            .action(&grant.action)
            .set_source_arn(grant.source_arn.clone())
            .set_source_account(grant.source_account.clone());
        if grant.via_url {
            call = call.invoked_via_function_url(true);
        }
        if let Some(auth) = &grant.url_auth {
            call = call.function_url_auth_type(aws_sdk_lambda::types::FunctionUrlAuthType::from(
                auth.as_str(),
            ));
        }
        let mut delay = Duration::from_millis(500);
        for attempt in 1.. {
            let result = self
                .changing(|| {
                    call.clone()
                        .customize()
                        .config_override(
                            aws_sdk_lambda::config::Builder::default()
                                .retry_config(aws_smithy_types::retry::RetryConfig::disabled()),
                        )
                        .send()
                })
                .await;
            match result {
                Ok(_) => return Ok(()),
                // Added by an interrupted run after we read the policy.
                Err(err) if already_exists(&err) => return Ok(()),
                Err(err)
                    if crate::aws::is_transient(&err) && attempt < crate::aws::MAX_ATTEMPTS =>
                {
                    tokio::time::sleep(crate::aws::jitter(delay)).await;
                    delay *= 2;
                    let present = self
                        .permissions(name, qualifier)
                        .await?
                        .iter()
                        .any(|p| p.sid == grant.sid);
                    if present {
                        return Ok(());
                    }
                }
                Err(err) => return Err(self.error("AddPermission", err)),
            }
        }
        Ok(())
    }

    pub async fn remove_permission(&self, name: &str, qualifier: &str, sid: &str) -> Result<()> {
        found(
            self.changing(|| {
                self.client
                    .remove_permission()
                    .function_name(name)
                    .qualifier(qualifier)
                    .statement_id(sid)
                    .send()
            })
            .await,
        )
        .map_err(|e| self.error("RemovePermission", e))?;
        Ok(())
    }
}
