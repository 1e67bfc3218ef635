//! Function URLs on the alias, with their CORS configuration.

use super::{Lambda, already_exists, found};
use crate::error::Result;

/// A function URL's settings, as compared by deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlConfig {
    pub url: String,
    pub auth: String,
    pub cors: Option<crate::config::CorsConfig>,
}

impl Lambda {
    /// The function URL of `qualifier`, if any.
    pub async fn url(&self, name: &str, qualifier: &str) -> Result<Option<UrlConfig>> {
        let out = found(
            self.client
                .get_function_url_config()
                .function_name(name)
                .qualifier(qualifier)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetFunctionUrlConfig", e))?;
        Ok(out.map(|out| UrlConfig {
            url: out.function_url().to_string(),
            auth: out.auth_type().as_str().to_string(),
            cors: out.cors().map(cors_from_sdk),
        }))
    }

    /// Creates or updates the function URL of `qualifier`; returns its URL.
    pub async fn put_url(
        &self,
        name: &str,
        qualifier: &str,
        auth: &str,
        cors: Option<&crate::config::CorsConfig>,
        exists: bool,
    ) -> Result<String> {
        let auth = aws_sdk_lambda::types::FunctionUrlAuthType::from(auth);
        let cors = cors.map(cors_to_sdk);
        if !exists {
            let created = self
                .changing(|| {
                    self.client
                        .create_function_url_config()
                        .function_name(name)
                        .qualifier(qualifier)
                        .auth_type(auth.clone())
                        .set_cors(cors.clone())
                        .send()
                })
                .await;
            match created {
                Ok(out) => return Ok(out.function_url().to_string()),
                Err(err) if already_exists(&err) => {}
                Err(err) => return Err(self.error("CreateFunctionUrlConfig", err)),
            }
        }
        let out = self
            .changing(|| {
                self.client
                    .update_function_url_config()
                    .function_name(name)
                    .qualifier(qualifier)
                    .auth_type(auth.clone())
                    .set_cors(Some(cors.clone().unwrap_or_else(|| {
                        aws_sdk_lambda::types::Cors::builder().build()
                    })))
                    .send()
            })
            .await
            .map_err(|e| self.error("UpdateFunctionUrlConfig", e))?;
        Ok(out.function_url().to_string())
    }

    pub async fn delete_url(&self, name: &str, qualifier: &str) -> Result<()> {
        found(
            self.changing(|| {
                self.client
                    .delete_function_url_config()
                    .function_name(name)
                    .qualifier(qualifier)
                    .send()
            })
            .await,
        )
        .map_err(|e| self.error("DeleteFunctionUrlConfig", e))?;
        Ok(())
    }
}

fn cors_to_sdk(c: &crate::config::CorsConfig) -> aws_sdk_lambda::types::Cors {
    aws_sdk_lambda::types::Cors::builder()
        .set_allow_origins(Some(c.origins.clone()))
        .set_allow_methods(Some(c.methods.clone()))
        .set_allow_headers(Some(c.headers.clone()))
        .set_expose_headers(Some(c.expose_headers.clone()))
        .set_max_age(c.max_age.map(|a| a as i32))
        .allow_credentials(c.credentials)
        .build()
}

fn cors_from_sdk(c: &aws_sdk_lambda::types::Cors) -> crate::config::CorsConfig {
    crate::config::CorsConfig {
        origins: c.allow_origins().to_vec(),
        methods: c.allow_methods().to_vec(),
        headers: c.allow_headers().to_vec(),
        expose_headers: c.expose_headers().to_vec(),
        max_age: c.max_age().map(|a| a.max(0) as u32),
        credentials: c.allow_credentials().unwrap_or(false),
    }
}
