//! `[api] kind = "http"`: an API Gateway HTTP API with one Lambda proxy
//! integration (payload format 2.0) to the function's alias, the routes of
//! lam.toml (`$default` unless listed), CORS from `[api.cors]`, and a
//! `$default` stage that deploys automatically.

use aws_sdk_apigatewayv2::Client;
use aws_sdk_apigatewayv2::types::{Cors, IntegrationType, ProtocolType};

use super::endpoint::{ApiSpec, Endpoint, FoundApi, is_lam, lam_tags, not_found};
use super::{Aws, sdk_error};
use crate::config::CorsConfig;
use crate::error::{Error, Result};

const SERVICE: &str = "apigateway";
const STAGE: &str = "$default";

pub struct HttpApis {
    aws: Aws,
    client: Client,
}

/// An HTTP API as read back.
struct Current {
    found: FoundApi,
    endpoint: Option<String>,
    cors: Option<CorsConfig>,
}

impl HttpApis {
    pub fn new(aws: &Aws) -> HttpApis {
        let conf = aws_sdk_apigatewayv2::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        HttpApis {
            aws: aws.clone(),
            client: Client::from_conf(conf),
        }
    }

    fn error<E>(&self, operation: &str, err: aws_sdk_apigatewayv2::error::SdkError<E>) -> Error
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        sdk_error(&self.aws, SERVICE, operation, err)
    }

    fn url(&self, id: &str, endpoint: Option<&str>) -> String {
        match endpoint {
            Some(e) => format!("{}/", e.trim_end_matches('/')),
            None => format!(
                "https://{id}.execute-api.{}.amazonaws.com/",
                self.aws.region()
            ),
        }
    }

    async fn read(&self, spec: &ApiSpec<'_>) -> Result<Option<Current>> {
        if let Some(id) = spec.id {
            return match self.client.get_api().api_id(id).send().await {
                Ok(api) => Ok(Some(Current {
                    found: FoundApi { id: id.to_string() },
                    endpoint: api.api_endpoint().map(str::to_string),
                    cors: api.cors_configuration().and_then(cors_from_sdk),
                })),
                Err(err) if not_found(&err) => Err(Error::config(format!(
                    "the HTTP API \"{id}\" named by [api] id does not exist in {}",
                    self.aws.region()
                ))
                .with_hint("check the id and --region, or remove `id` and let lam create the API")),
                Err(err) => Err(self.error("GetApi", err)),
            };
        }
        let mut token = None;
        loop {
            let page = self
                .client
                .get_apis()
                .max_results("500")
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.error("GetApis", e))?;
            for api in page.items() {
                let tags = api.tags();
                if is_lam(tags)
                    && tags.and_then(|t| t.get("lam:function")).map(String::as_str)
                        == Some(spec.function)
                    && let Some(id) = api.api_id()
                {
                    return Ok(Some(Current {
                        found: FoundApi { id: id.to_string() },
                        endpoint: api.api_endpoint().map(str::to_string),
                        cors: api.cors_configuration().and_then(cors_from_sdk),
                    }));
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() || page.items().is_empty() {
                return Ok(None);
            }
        }
    }

    pub async fn find(&self, spec: &ApiSpec<'_>) -> Result<Option<FoundApi>> {
        Ok(self.read(spec).await?.map(|c| c.found))
    }

    pub async fn find_url(&self, spec: &ApiSpec<'_>) -> Result<Option<String>> {
        Ok(self
            .read(spec)
            .await?
            .map(|c| self.url(&c.found.id, c.endpoint.as_deref())))
    }

    pub async fn ensure(&self, spec: &ApiSpec<'_>, apply: bool) -> Result<Endpoint> {
        let mut changes = Vec::new();
        let wanted_cors = spec.cors.cloned().filter(|c| !is_empty(c));
        let (id, endpoint) = match self.read(spec).await? {
            Some(current) => {
                if current.cors != wanted_cors {
                    changes.push(if wanted_cors.is_some() {
                        "set the API's CORS configuration".into()
                    } else {
                        "remove the API's CORS configuration".into()
                    });
                    if apply {
                        self.set_cors(&current.found.id, wanted_cors.as_ref())
                            .await?;
                    }
                }
                (current.found.id, current.endpoint)
            }
            None => {
                changes.push(format!("create HTTP API {}", spec.function));
                if !apply {
                    return Ok(Endpoint::planned(changes));
                }
                self.create(spec, wanted_cors.as_ref()).await?
            }
        };

        let integration = self
            .ensure_integration(&id, &spec.target_arn, apply, &mut changes)
            .await?;
        self.ensure_routes(
            &id,
            integration.as_deref(),
            &spec.routes,
            apply,
            &mut changes,
        )
        .await?;

        let stages = self
            .client
            .get_stages()
            .api_id(&id)
            .send()
            .await
            .map_err(|e| self.error("GetStages", e))?;
        if !stages.items().iter().any(|s| s.stage_name() == Some(STAGE)) {
            changes.push("create the $default stage (auto-deploy)".into());
            if apply {
                self.client
                    .create_stage()
                    .api_id(&id)
                    .stage_name(STAGE)
                    .auto_deploy(true)
                    .send()
                    .await
                    .map_err(|e| self.error("CreateStage", e))?;
            }
        }
        Ok(Endpoint {
            url: Some(self.url(&id, endpoint.as_deref())),
            source_arn: Some(format!(
                "arn:{}:execute-api:{}:{}:{id}/*",
                super::iam::partition(self.aws.region()),
                self.aws.region(),
                spec.account
            )),
            id: Some(id),
            changes,
        })
    }

    /// Sets the API's CORS configuration, or removes it.
    async fn set_cors(&self, id: &str, cors: Option<&CorsConfig>) -> Result<()> {
        match cors {
            Some(c) => self
                .client
                .update_api()
                .api_id(id)
                .cors_configuration(cors_to_sdk(c))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("UpdateApi", e)),
            None => self
                .client
                .delete_cors_configuration()
                .api_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("DeleteCorsConfiguration", e)),
        }
    }

    /// Creates the API; like the REST API, retried by lam (not the SDK),
    /// looking for it by its tags first, so a lost answer never makes two.
    async fn create(
        &self,
        spec: &ApiSpec<'_>,
        cors: Option<&CorsConfig>,
    ) -> Result<(String, Option<String>)> {
        let mut delay = std::time::Duration::from_millis(500);
        for attempt in 1.. {
            let result = self
                .client
                .create_api()
                .name(spec.function)
                .protocol_type(ProtocolType::Http)
                .description(format!(
                    "{} ({} stage), managed by lam",
                    spec.function, spec.stage
                ))
                .set_cors_configuration(cors.map(cors_to_sdk))
                .set_tags(Some(lam_tags(spec)))
                .customize()
                .config_override(
                    aws_sdk_apigatewayv2::config::Builder::default()
                        .retry_config(aws_smithy_types::retry::RetryConfig::disabled()),
                )
                .send()
                .await;
            match result {
                Ok(api) => {
                    let id = api
                        .api_id()
                        .ok_or_else(|| Error::aws("CreateApi answered without an id"))?;
                    return Ok((id.to_string(), api.api_endpoint().map(str::to_string)));
                }
                Err(err) if super::is_transient(&err) && attempt < super::MAX_ATTEMPTS => {
                    tokio::time::sleep(super::jitter(delay)).await;
                    delay *= 2;
                    if let Some(found) = self.read(spec).await? {
                        return Ok((found.found.id, found.endpoint));
                    }
                }
                Err(err) => return Err(self.error("CreateApi", err)),
            }
        }
        Err(Error::aws("CreateApi did not succeed"))
    }

    /// The Lambda proxy integration to the alias; returns its id (None on a
    /// dry run when it would be created).
    async fn ensure_integration(
        &self,
        id: &str,
        target: &str,
        apply: bool,
        changes: &mut Vec<String>,
    ) -> Result<Option<String>> {
        let list = self
            .client
            .get_integrations()
            .api_id(id)
            .send()
            .await
            .map_err(|e| self.error("GetIntegrations", e))?;
        if let Some(i) = list
            .items()
            .iter()
            .find(|i| i.integration_uri() == Some(target))
        {
            let iid = i.integration_id().unwrap_or_default().to_string();
            if i.payload_format_version() != Some("2.0")
                || i.integration_type() != Some(&IntegrationType::AwsProxy)
            {
                changes.push("set the integration to Lambda proxy, payload 2.0".into());
                if apply {
                    self.client
                        .update_integration()
                        .api_id(id)
                        .integration_id(&iid)
                        .integration_type(IntegrationType::AwsProxy)
                        .payload_format_version("2.0")
                        .send()
                        .await
                        .map_err(|e| self.error("UpdateIntegration", e))?;
                }
            }
            return Ok(Some(iid));
        }
        changes.push("integrate the function (payload 2.0)".into());
        if !apply {
            return Ok(None);
        }
        let created = self
            .client
            .create_integration()
            .api_id(id)
            .integration_type(IntegrationType::AwsProxy)
            .integration_uri(target)
            .integration_method("POST")
            .payload_format_version("2.0")
            .send()
            .await
            .map_err(|e| self.error("CreateIntegration", e))?;
        Ok(created.integration_id().map(str::to_string))
    }

    async fn ensure_routes(
        &self,
        id: &str,
        integration: Option<&str>,
        wanted: &[String],
        apply: bool,
        changes: &mut Vec<String>,
    ) -> Result<()> {
        let list = self
            .client
            .get_routes()
            .api_id(id)
            .send()
            .await
            .map_err(|e| self.error("GetRoutes", e))?;
        let target = integration.map(|i| format!("integrations/{i}"));
        for key in wanted {
            let current = list.items().iter().find(|r| r.route_key() == Some(key));
            match (current, &target) {
                (Some(r), Some(t)) if r.target() == Some(t.as_str()) => {}
                (Some(r), _) => {
                    changes.push(format!("point route {key} at the function"));
                    if let (true, Some(t), Some(rid)) = (apply, &target, r.route_id()) {
                        self.client
                            .update_route()
                            .api_id(id)
                            .route_id(rid)
                            .target(t)
                            .send()
                            .await
                            .map_err(|e| self.error("UpdateRoute", e))?;
                    }
                }
                (None, _) => {
                    changes.push(format!("add route {key}"));
                    if let (true, Some(t)) = (apply, &target) {
                        self.client
                            .create_route()
                            .api_id(id)
                            .route_key(key)
                            .target(t)
                            .send()
                            .await
                            .map_err(|e| self.error("CreateRoute", e))?;
                    }
                }
            }
        }
        // Routes to this function that lam.toml no longer lists.
        for r in list.items() {
            let ours = target.is_some() && r.target() == target.as_deref();
            if ours
                && r.route_key()
                    .is_some_and(|k| !wanted.iter().any(|w| w == k))
            {
                changes.push(format!(
                    "remove route {}",
                    r.route_key().unwrap_or_default()
                ));
                if let (true, Some(rid)) = (apply, r.route_id()) {
                    self.client
                        .delete_route()
                        .api_id(id)
                        .route_id(rid)
                        .send()
                        .await
                        .map_err(|e| self.error("DeleteRoute", e))?;
                }
            }
        }
        Ok(())
    }

    /// Deletes an HTTP API. Gone already counts as done.
    pub async fn delete(&self, id: &str) -> Result<()> {
        match self.client.delete_api().api_id(id).send().await {
            Ok(_) => Ok(()),
            Err(err) if not_found(&err) => Ok(()),
            Err(err) => Err(self.error("DeleteApi", err)),
        }
    }
}

fn is_empty(c: &CorsConfig) -> bool {
    c == &CorsConfig::default()
}

fn cors_to_sdk(c: &CorsConfig) -> Cors {
    Cors::builder()
        .set_allow_origins(Some(c.origins.clone()))
        .set_allow_methods(Some(c.methods.clone()))
        .set_allow_headers(Some(c.headers.clone()))
        .set_expose_headers(Some(c.expose_headers.clone()))
        .set_max_age(c.max_age.map(|a| a as i32))
        .allow_credentials(c.credentials)
        .build()
}

fn cors_from_sdk(c: &Cors) -> Option<CorsConfig> {
    let config = CorsConfig {
        origins: c.allow_origins().to_vec(),
        methods: c.allow_methods().to_vec(),
        headers: c.allow_headers().to_vec(),
        expose_headers: c.expose_headers().to_vec(),
        max_age: c.max_age().map(|a| a.max(0) as u32),
        credentials: c.allow_credentials().unwrap_or(false),
    };
    (!is_empty(&config)).then_some(config)
}
