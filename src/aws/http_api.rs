//! `[api] kind = "http"`: an API Gateway HTTP API with one Lambda proxy
//! integration (payload format 2.0) to the function's alias, the routes of
//! lam.toml (`$default` unless listed), CORS from `[api.cors]`, and a
//! `$default` stage that deploys automatically.

use aws_sdk_apigatewayv2::Client;
use aws_sdk_apigatewayv2::types::{Cors, IntegrationType, ProtocolType};

use super::endpoint::{ApiSpec, is_for, lam_tags, not_found};
use super::{Aws, sdk_error};
use crate::config::CorsConfig;
use crate::error::{Error, Result};

const SERVICE: &str = "apigateway";
const STAGE: &str = "$default";

pub struct HttpApis {
    aws: Aws,
    client: Client,
}

/// An HTTP API as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpState {
    pub id: String,
    pub endpoint: Option<String>,
    pub cors: Option<CorsConfig>,
    pub integrations: Vec<Integration>,
    pub routes: Vec<Route>,
    /// Tagged by lam for this function; an API named by `[api] id` that
    /// lam did not create is not, and lam never deletes its CORS or routes.
    pub lam: bool,
    /// Whether the `$default` stage exists.
    pub default_stage: bool,
    /// Whether it deploys every change by itself.
    pub auto_deploy: bool,
}

/// An API as found, before its parts are read.
struct Found {
    id: String,
    endpoint: Option<String>,
    cors: Option<CorsConfig>,
    lam: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub id: String,
    pub uri: Option<String>,
    pub payload_format: Option<String>,
    /// AWS_PROXY.
    pub proxy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub id: String,
    pub key: String,
    pub target: Option<String>,
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

    pub fn url(&self, id: &str, endpoint: Option<&str>) -> String {
        match endpoint {
            Some(e) => format!("{}/", e.trim_end_matches('/')),
            None => format!(
                "https://{id}.execute-api.{}.{}/",
                self.aws.region(),
                super::iam::dns_suffix(self.aws.region())
            ),
        }
    }

    /// The API lam.toml names by id, or the one lam's tags tie to the
    /// function: its id, endpoint and CORS configuration.
    async fn find(&self, spec: &ApiSpec) -> Result<Option<Found>> {
        if let Some(id) = &spec.id {
            return match self.client.get_api().api_id(id).send().await {
                Ok(api) => Ok(Some(Found {
                    id: id.clone(),
                    endpoint: api.api_endpoint().map(str::to_string),
                    cors: api.cors_configuration().and_then(cors_from_sdk),
                    lam: is_for(
                        api.tags(),
                        &ApiSpec {
                            id: None,
                            ..spec.clone()
                        },
                    ),
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
                if is_for(api.tags(), spec)
                    && let Some(id) = api.api_id()
                {
                    return Ok(Some(Found {
                        id: id.to_string(),
                        endpoint: api.api_endpoint().map(str::to_string),
                        cors: api.cors_configuration().and_then(cors_from_sdk),
                        lam: true,
                    }));
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() || page.items().is_empty() {
                return Ok(None);
            }
        }
    }

    /// The API with its integrations, routes and stages (every page);
    /// None when there is no such API.
    pub async fn read(&self, spec: &ApiSpec) -> Result<Option<HttpState>> {
        let Some(found) = self.find(spec).await? else {
            return Ok(None);
        };
        let id = found.id;
        let (integrations, routes, stage) = tokio::try_join!(
            self.integrations(&id),
            self.routes(&id),
            self.default_stage(&id)
        )?;
        Ok(Some(HttpState {
            id,
            endpoint: found.endpoint,
            cors: found.cors,
            lam: found.lam,
            integrations,
            routes,
            default_stage: stage.is_some(),
            auto_deploy: stage.unwrap_or(false),
        }))
    }

    async fn integrations(&self, id: &str) -> Result<Vec<Integration>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .get_integrations()
                .api_id(id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.error("GetIntegrations", e))?;
            out.extend(page.items().iter().filter_map(|i| {
                Some(Integration {
                    id: i.integration_id()?.to_string(),
                    uri: i.integration_uri().map(str::to_string),
                    payload_format: i.payload_format_version().map(str::to_string),
                    proxy: i.integration_type() == Some(&IntegrationType::AwsProxy),
                })
            }));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    async fn routes(&self, id: &str) -> Result<Vec<Route>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .get_routes()
                .api_id(id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.error("GetRoutes", e))?;
            out.extend(page.items().iter().filter_map(|r| {
                Some(Route {
                    id: r.route_id()?.to_string(),
                    key: r.route_key()?.to_string(),
                    target: r.target().map(str::to_string),
                })
            }));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// Whether the `$default` stage exists, and if so whether it deploys
    /// every change by itself.
    async fn default_stage(&self, id: &str) -> Result<Option<bool>> {
        let mut token = None;
        loop {
            let page = self
                .client
                .get_stages()
                .api_id(id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.error("GetStages", e))?;
            if let Some(stage) = page.items().iter().find(|s| s.stage_name() == Some(STAGE)) {
                return Ok(Some(stage.auto_deploy().unwrap_or(false)));
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(None);
            }
        }
    }

    /// Sets the API's CORS configuration, or removes it.
    pub async fn set_cors(&self, id: &str, cors: Option<&CorsConfig>) -> Result<()> {
        match cors.filter(|c| !is_empty(c)) {
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

    /// Creates the API; retried by lam (not the SDK), looking for it by its
    /// tags first, so a lost answer never makes two. Returns its id and endpoint.
    pub async fn create(
        &self,
        spec: &ApiSpec,
        cors: Option<&CorsConfig>,
    ) -> Result<(String, Option<String>)> {
        let mut delay = std::time::Duration::from_millis(500);
        for attempt in 1.. {
            let result = self
                .client
                .create_api()
                .name(&spec.function)
                .protocol_type(ProtocolType::Http)
                .description(format!(
                    "{} ({} stage), managed by lam",
                    spec.function, spec.stage
                ))
                .set_cors_configuration(cors.filter(|c| !is_empty(c)).map(cors_to_sdk))
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
                    if let Some(found) = self.find(spec).await? {
                        return Ok((found.id, found.endpoint));
                    }
                }
                Err(err) => return Err(self.error("CreateApi", err)),
            }
        }
        Err(Error::aws("CreateApi did not succeed"))
    }

    /// The Lambda proxy integration (payload 2.0) to `target`: `update`
    /// names one to correct, otherwise one is created. Returns its id.
    pub async fn integrate(&self, id: &str, target: &str, update: Option<&str>) -> Result<String> {
        if let Some(iid) = update {
            self.client
                .update_integration()
                .api_id(id)
                .integration_id(iid)
                .integration_type(IntegrationType::AwsProxy)
                .payload_format_version("2.0")
                .send()
                .await
                .map_err(|e| self.error("UpdateIntegration", e))?;
            return Ok(iid.to_string());
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
        created
            .integration_id()
            .map(str::to_string)
            .ok_or_else(|| Error::aws("CreateIntegration answered without an id"))
    }

    pub async fn create_route(&self, id: &str, key: &str, target: &str) -> Result<()> {
        self.client
            .create_route()
            .api_id(id)
            .route_key(key)
            .target(target)
            .send()
            .await
            .map_err(|e| self.error("CreateRoute", e))?;
        Ok(())
    }

    pub async fn point_route(&self, id: &str, route: &str, target: &str) -> Result<()> {
        self.client
            .update_route()
            .api_id(id)
            .route_id(route)
            .target(target)
            .send()
            .await
            .map_err(|e| self.error("UpdateRoute", e))?;
        Ok(())
    }

    pub async fn delete_route(&self, id: &str, route: &str) -> Result<()> {
        match self
            .client
            .delete_route()
            .api_id(id)
            .route_id(route)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if not_found(&err) => Ok(()),
            Err(err) => Err(self.error("DeleteRoute", err)),
        }
    }

    /// The `$default` stage, deploying every change by itself.
    pub async fn create_default_stage(&self, id: &str) -> Result<()> {
        self.client
            .create_stage()
            .api_id(id)
            .stage_name(STAGE)
            .auto_deploy(true)
            .send()
            .await
            .map_err(|e| self.error("CreateStage", e))?;
        Ok(())
    }

    /// Deploys the `$default` stage of an API whose stage does not deploy
    /// by itself (one lam did not create).
    pub async fn deploy_default_stage(&self, id: &str) -> Result<()> {
        self.client
            .create_deployment()
            .api_id(id)
            .stage_name(STAGE)
            .description("lam deploy")
            .send()
            .await
            .map_err(|e| self.error("CreateDeployment", e))?;
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
