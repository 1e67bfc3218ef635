//! `[api] kind = "rest"`: an API Gateway REST API whose root and
//! `{proxy+}` resources send ANY method to the function's alias
//! (AWS_PROXY), with CORS preflight answered by a MOCK OPTIONS method, and a
//! stage named after lam's stage. `read` gives the API as it is; the rest
//! are the changes `plan::apply` makes.

use std::collections::HashMap;

use aws_sdk_apigateway::Client;
use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, IntegrationType, Resource};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::endpoint::{ApiSpec, is_for, lam_tags, not_found};
use super::{Aws, sdk_error};
use crate::config::CorsConfig;
use crate::error::{Error, Result};

const SERVICE: &str = "apigateway";
pub const PROXY_PATH: &str = "/{proxy+}";

/// A REST API as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestState {
    pub id: String,
    pub root: Option<ResourceState>,
    pub proxy: Option<ResourceState>,
    /// Whether lam's stage exists.
    pub stage_exists: bool,
    /// The API shape lam's stage serves, as lam recorded it in the stage
    /// variable `lamShape` when it deployed the stage.
    pub stage_shape: Option<String>,
    /// The API's binaryMediaTypes.
    pub binary_media_types: Vec<String>,
}

/// The stage variable that records which API shape a stage serves.
pub const SHAPE_VARIABLE: &str = "lamShape";

/// API Gateway's account-wide quotas: CreateDeployment about once per 5 s,
/// DeleteRestApi once per 30 s. Calls from this process are spaced so that
/// several functions, or a destroy of several APIs, stay within them.
const DEPLOYMENT_SPACING: std::time::Duration = std::time::Duration::from_secs(5);
const DELETE_SPACING: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits until `spacing` has passed since this process's last call of the
/// kind `last` records; returns how long it waited.
async fn spaced(
    last: &'static std::sync::Mutex<Option<tokio::time::Instant>>,
    spacing: std::time::Duration,
) -> std::time::Duration {
    let wait = {
        let mut guard = last.lock().unwrap_or_else(|p| p.into_inner());
        let now = tokio::time::Instant::now();
        let next = guard.map(|t| t + spacing).unwrap_or(now).max(now);
        *guard = Some(next);
        next - now
    };
    tokio::time::sleep(wait).await;
    wait
}

static LAST_DEPLOYMENT: std::sync::Mutex<Option<tokio::time::Instant>> =
    std::sync::Mutex::new(None);
static LAST_DELETE: std::sync::Mutex<Option<tokio::time::Instant>> = std::sync::Mutex::new(None);

/// The root or `{proxy+}` resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceState {
    pub id: String,
    pub any_exists: bool,
    /// The integration URI of its ANY method.
    pub any_uri: Option<String>,
    pub options: Option<OptionsState>,
}

/// The OPTIONS method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsState {
    /// Answered by API Gateway itself (lam's CORS preflight).
    pub mock: bool,
    /// The 200 integration response's parameters.
    pub params: Option<HashMap<String, String>>,
}

impl ResourceState {
    fn from_sdk(r: &Resource) -> Option<ResourceState> {
        let any = method(r, "ANY");
        let options = method(r, "OPTIONS").map(|m| {
            let integration = m.method_integration();
            OptionsState {
                mock: integration.and_then(|i| i.r#type()) == Some(&IntegrationType::Mock),
                params: integration
                    .and_then(|i| i.integration_responses())
                    .and_then(|r| r.get("200"))
                    .and_then(|r| r.response_parameters())
                    .cloned(),
            }
        });
        Some(ResourceState {
            id: r.id()?.to_string(),
            any_exists: any.is_some(),
            any_uri: any
                .and_then(|m| m.method_integration())
                .and_then(|i| i.uri())
                .map(str::to_string),
            options,
        })
    }
}

pub struct RestApis {
    aws: Aws,
    client: Client,
}

impl RestApis {
    pub fn new(aws: &Aws) -> RestApis {
        let conf = aws_sdk_apigateway::config::Builder::from(&aws.config)
            .interceptor(aws.interceptor())
            .build();
        RestApis {
            aws: aws.clone(),
            client: Client::from_conf(conf),
        }
    }

    fn error<E>(&self, operation: &str, err: aws_sdk_apigateway::error::SdkError<E>) -> Error
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        sdk_error(&self.aws, SERVICE, operation, err)
    }

    pub fn url(&self, id: &str, stage: &str) -> String {
        match self.aws.config.endpoint_url() {
            // A local stand-in serves APIs under its own address.
            Some(base) => format!(
                "{}/restapis/{id}/{stage}/_user_request_/",
                base.trim_end_matches('/')
            ),
            None => format!(
                "https://{id}.execute-api.{}.{}/{stage}/",
                self.aws.region(),
                super::iam::dns_suffix(self.aws.region())
            ),
        }
    }

    /// The API lam.toml names by id, or the one lam created for the function.
    async fn find(&self, spec: &ApiSpec) -> Result<Option<(String, Vec<String>)>> {
        if let Some(id) = &spec.id {
            return match self.client.get_rest_api().rest_api_id(id).send().await {
                Ok(api) => Ok(Some((id.clone(), api.binary_media_types().to_vec()))),
                Err(err) if not_found(&err) => Err(Error::config(format!(
                    "the REST API \"{id}\" named by [api] id does not exist in {}",
                    self.aws.region()
                ))
                .with_hint("check the id and --region, or remove `id` and let lam create the API")),
                Err(err) => Err(self.error("GetRestApi", err)),
            };
        }
        let mut position = None;
        loop {
            let page = self
                .client
                .get_rest_apis()
                .limit(500)
                .set_position(position)
                .send()
                .await
                .map_err(|e| self.error("GetRestApis", e))?;
            for api in page.items() {
                if is_for(api.tags(), spec)
                    && let Some(id) = api.id()
                {
                    return Ok(Some((id.to_string(), api.binary_media_types().to_vec())));
                }
            }
            position = page.position().map(str::to_string);
            if position.is_none() || page.items().is_empty() {
                return Ok(None);
            }
        }
    }

    /// The API with its root and `{proxy+}` resources and whether lam's
    /// stage exists; None when there is no such API.
    pub async fn read(&self, spec: &ApiSpec) -> Result<Option<RestState>> {
        let Some((id, binary_media_types)) = self.find(spec).await? else {
            return Ok(None);
        };
        let stage = async {
            match self
                .client
                .get_stage()
                .rest_api_id(&id)
                .stage_name(&spec.stage)
                .send()
                .await
            {
                Ok(out) => Ok((
                    true,
                    out.variables().and_then(|v| v.get(SHAPE_VARIABLE)).cloned(),
                )),
                Err(err) if not_found(&err) => Ok((false, None)),
                Err(err) => Err(self.error("GetStage", err)),
            }
        };
        let (resources, (stage_exists, stage_shape)) =
            tokio::try_join!(self.resources(&id), stage)?;
        let find = |path: &str| {
            resources
                .iter()
                .find(|r| r.path() == Some(path))
                .and_then(ResourceState::from_sdk)
        };
        Ok(Some(RestState {
            root: find("/"),
            proxy: find(PROXY_PATH),
            id,
            stage_exists,
            stage_shape,
            binary_media_types,
        }))
    }

    /// Creates the API. A create whose answer is lost must not be repeated
    /// blindly (that makes a second API): lam retries it itself, looking
    /// for the API by its tags before each new attempt.
    pub async fn create(
        &self,
        spec: &ApiSpec,
        binary_media_types: &[String],
    ) -> Result<(String, Option<String>)> {
        let mut delay = std::time::Duration::from_millis(500);
        for attempt in 1.. {
            let result = self
                .client
                .create_rest_api()
                .name(&spec.function)
                .description(format!(
                    "{} ({} stage), managed by lam",
                    spec.function, spec.stage
                ))
                .endpoint_configuration(
                    EndpointConfiguration::builder()
                        .types(EndpointType::Regional)
                        .build(),
                )
                .set_tags(Some(lam_tags(spec)))
                .set_binary_media_types(
                    (!binary_media_types.is_empty()).then(|| binary_media_types.to_vec()),
                )
                .customize()
                .config_override(
                    aws_sdk_apigateway::config::Builder::default()
                        .retry_config(aws_smithy_types::retry::RetryConfig::disabled()),
                )
                .send()
                .await;
            match result {
                Ok(api) => {
                    let id = api
                        .id()
                        .map(str::to_string)
                        .ok_or_else(|| Error::aws("CreateRestApi answered without an id"))?;
                    return Ok((id, api.root_resource_id().map(str::to_string)));
                }
                Err(err) if super::is_transient(&err) && attempt < super::MAX_ATTEMPTS => {
                    tokio::time::sleep(super::jitter(delay)).await;
                    delay *= 2;
                    if let Some((id, _)) = self.find(spec).await? {
                        return Ok((id, None));
                    }
                }
                Err(err) => return Err(self.error("CreateRestApi", err)),
            }
        }
        Err(Error::aws("CreateRestApi did not succeed"))
    }

    /// Creates `{proxy+}` under the root. Not retried by the SDK (a lost
    /// answer would make a second one): lam looks for it before trying again.
    pub async fn create_proxy_resource(&self, id: &str, root: &str) -> Result<Resource> {
        let mut delay = std::time::Duration::from_millis(500);
        for attempt in 1.. {
            let result = self
                .client
                .create_resource()
                .rest_api_id(id)
                .parent_id(root)
                .path_part("{proxy+}")
                .customize()
                .config_override(
                    aws_sdk_apigateway::config::Builder::default()
                        .retry_config(aws_smithy_types::retry::RetryConfig::disabled()),
                )
                .send()
                .await;
            match result {
                Ok(r) => {
                    return Ok(Resource::builder()
                        .set_id(r.id().map(str::to_string))
                        .path(PROXY_PATH)
                        .build());
                }
                // Made by an attempt whose answer was lost.
                Err(err)
                    if err
                        .as_service_error()
                        .is_some_and(|e| e.code() == Some("ConflictException")) => {}
                Err(err) if super::is_transient(&err) && attempt < super::MAX_ATTEMPTS => {
                    tokio::time::sleep(super::jitter(delay)).await;
                    delay *= 2;
                }
                Err(err) => return Err(self.error("CreateResource", err)),
            }
            if let Some(found) = self
                .resources(id)
                .await?
                .into_iter()
                .find(|r| r.path() == Some(PROXY_PATH))
            {
                return Ok(found);
            }
        }
        Err(Error::aws("CreateResource did not succeed"))
    }

    /// Resources with their methods and integrations (one call per page:
    /// `embed=methods` returns the whole shape).
    pub async fn resources(&self, id: &str) -> Result<Vec<Resource>> {
        let mut out = Vec::new();
        let mut position = None;
        loop {
            let page = self
                .client
                .get_resources()
                .rest_api_id(id)
                .limit(500)
                .embed("methods")
                .set_position(position)
                .send()
                .await
                .map_err(|e| self.error("GetResources", e))?;
            out.extend(page.items().iter().cloned());
            position = page.position().map(str::to_string);
            if position.is_none() || page.items().is_empty() {
                return Ok(out);
            }
        }
    }

    /// Sends ANY on `resource` to the function (AWS_PROXY to `uri`).
    pub async fn integrate(&self, id: &str, resource: &str, uri: &str, exists: bool) -> Result<()> {
        if !exists {
            self.add_method(id, resource, "ANY").await?;
        }
        self.client
            .put_integration()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("ANY")
            .r#type(IntegrationType::AwsProxy)
            .integration_http_method("POST")
            .uri(uri)
            .send()
            .await
            .map_err(|e| self.error("PutIntegration", e))?;
        Ok(())
    }

    /// OPTIONS answered by API Gateway itself (MOCK) with the CORS headers
    /// of `[api.cors]`.
    pub async fn put_preflight(
        &self,
        id: &str,
        resource: &str,
        cors: &CorsConfig,
        exists: bool,
    ) -> Result<()> {
        if !exists {
            self.add_method(id, resource, "OPTIONS").await?;
        }
        let wanted = preflight_headers(cors);
        let declared: HashMap<String, bool> = wanted.keys().map(|k| (k.clone(), false)).collect();
        self.client
            .put_method_response()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("OPTIONS")
            .status_code("200")
            .set_response_parameters(Some(declared))
            .send()
            .await
            .map_err(|e| self.error("PutMethodResponse", e))?;
        self.client
            .put_integration()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("OPTIONS")
            .r#type(IntegrationType::Mock)
            .request_templates("application/json", "{\"statusCode\": 200}")
            .send()
            .await
            .map_err(|e| self.error("PutIntegration", e))?;
        self.client
            .put_integration_response()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("OPTIONS")
            .status_code("200")
            .set_response_parameters(Some(wanted))
            .send()
            .await
            .map_err(|e| self.error("PutIntegrationResponse", e))?;
        Ok(())
    }

    /// Removes lam's preflight (the OPTIONS method). Gone already is fine.
    pub async fn remove_preflight(&self, id: &str, resource: &str) -> Result<()> {
        match self
            .client
            .delete_method()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("OPTIONS")
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if not_found(&err) => Ok(()),
            Err(err) => Err(self.error("DeleteMethod", err)),
        }
    }

    /// Adds and removes binary media types (UpdateRestApi patch operations;
    /// a '/' in a type is written `~1` in the path).
    pub async fn set_binary_media_types(
        &self,
        id: &str,
        add: &[String],
        remove: &[String],
    ) -> Result<()> {
        use aws_sdk_apigateway::types::{Op, PatchOperation};
        let ops: Vec<PatchOperation> = remove
            .iter()
            .map(|t| {
                PatchOperation::builder()
                    .op(Op::Remove)
                    .path(binary_type_path(t))
                    .build()
            })
            .chain(add.iter().map(|t| {
                PatchOperation::builder()
                    .op(Op::Add)
                    .path(binary_type_path(t))
                    .build()
            }))
            .collect();
        self.client
            .update_rest_api()
            .rest_api_id(id)
            .set_patch_operations(Some(ops))
            .send()
            .await
            .map_err(|e| self.error("UpdateRestApi", e))?;
        Ok(())
    }

    /// Deploys the API to lam's stage, recording the shape it serves.
    /// Returns how long it waited for API Gateway's quota.
    pub async fn deploy_stage(
        &self,
        id: &str,
        stage: &str,
        shape: &str,
    ) -> Result<std::time::Duration> {
        let waited = spaced(&LAST_DEPLOYMENT, DEPLOYMENT_SPACING).await;
        self.client
            .create_deployment()
            .rest_api_id(id)
            .stage_name(stage)
            .description(format!("lam deploy, shape {shape}"))
            .variables(SHAPE_VARIABLE, shape)
            .send()
            .await
            .map_err(|e| self.error("CreateDeployment", e))?;
        Ok(waited)
    }

    /// Adds an unauthenticated method; one that exists already (a lost
    /// answer to an earlier attempt) is fine.
    async fn add_method(&self, id: &str, resource: &str, method: &str) -> Result<()> {
        match self
            .client
            .put_method()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method(method)
            .authorization_type("NONE")
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.code() == Some("ConflictException")) =>
            {
                Ok(())
            }
            Err(err) => Err(self.error("PutMethod", err)),
        }
    }

    /// Deletes a REST API. Gone already counts as done.
    pub async fn delete(&self, id: &str) -> Result<std::time::Duration> {
        let waited = spaced(&LAST_DELETE, DELETE_SPACING).await;
        match self.client.delete_rest_api().rest_api_id(id).send().await {
            Ok(_) => Ok(waited),
            Err(err) if not_found(&err) => Ok(waited),
            Err(err) => Err(self.error("DeleteRestApi", err)),
        }
    }
}

/// The patch path of a binary media type: JSON Pointer escaping, so
/// `image/png` is `/binaryMediaTypes/image~1png` (API Gateway developer
/// guide, "Enabling binary support using the API Gateway REST API").
pub fn binary_type_path(media_type: &str) -> String {
    format!(
        "/binaryMediaTypes/{}",
        media_type.replace('~', "~0").replace('/', "~1")
    )
}

fn method<'a>(resource: &'a Resource, name: &str) -> Option<&'a aws_sdk_apigateway::types::Method> {
    resource.resource_methods().and_then(|m| m.get(name))
}

/// The integration response parameters of the OPTIONS method: header values
/// are quoted literals.
pub fn preflight_headers(cors: &CorsConfig) -> HashMap<String, String> {
    let header = |name: &str| format!("method.response.header.{name}");
    let mut out = HashMap::new();
    let origin = cors.origins.first().map(String::as_str).unwrap_or("*");
    out.insert(header("Access-Control-Allow-Origin"), format!("'{origin}'"));
    let methods = if cors.methods.is_empty() {
        "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS".to_string()
    } else {
        cors.methods.join(",")
    };
    out.insert(
        header("Access-Control-Allow-Methods"),
        format!("'{methods}'"),
    );
    let headers = if cors.headers.is_empty() {
        "Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token".to_string()
    } else {
        cors.headers.join(",")
    };
    out.insert(
        header("Access-Control-Allow-Headers"),
        format!("'{headers}'"),
    );
    if let Some(age) = cors.max_age {
        out.insert(header("Access-Control-Max-Age"), format!("'{age}'"));
    }
    if cors.credentials {
        out.insert(header("Access-Control-Allow-Credentials"), "'true'".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_types_are_patched_by_escaped_path() {
        assert_eq!(
            binary_type_path("image/png"),
            "/binaryMediaTypes/image~1png"
        );
        assert_eq!(binary_type_path("*/*"), "/binaryMediaTypes/*~1*");
    }

    #[test]
    fn preflight_headers_are_quoted_literals() {
        let cors = CorsConfig {
            origins: vec!["https://app.example.com".into()],
            max_age: Some(600),
            ..Default::default()
        };
        let h = preflight_headers(&cors);
        assert_eq!(
            h["method.response.header.Access-Control-Allow-Origin"],
            "'https://app.example.com'"
        );
        assert_eq!(h["method.response.header.Access-Control-Max-Age"], "'600'");
        assert!(!h.contains_key("method.response.header.Access-Control-Allow-Credentials"));
    }
}
