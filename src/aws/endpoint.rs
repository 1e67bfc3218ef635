//! The HTTP endpoint in front of a function (`[api]`): what the three kinds
//! share, and the one place that makes the endpoint and the function's
//! invoke permission match lam.toml.

use std::collections::HashMap;

use super::Aws;
use super::http_api::HttpApis;
use super::lambda::{Grant, Lambda, Permission};
use super::rest_api::RestApis;
use crate::config::{ApiConfig, ApiKind, CorsConfig};
use crate::error::Result;

/// Statement ids lam gives the permissions it adds; a permission with one of
/// these ids and no longer wanted is removed.
pub const REST_SID: &str = "lam-rest-api";
pub const HTTP_SID: &str = "lam-http-api";
pub const URL_SID: &str = "lam-url";
pub const SIDS: [&str; 3] = [REST_SID, HTTP_SID, URL_SID];

/// What an endpoint is built from.
#[derive(Debug, Clone)]
pub struct ApiSpec<'a> {
    /// The function's name on AWS; also the API's name.
    pub function: &'a str,
    pub project: &'a str,
    pub stage: &'a str,
    pub account: &'a str,
    /// An existing API to attach to.
    pub id: Option<&'a str>,
    /// The alias ARN the endpoint invokes.
    pub target_arn: String,
    pub cors: Option<&'a CorsConfig>,
    /// HTTP API route keys.
    pub routes: Vec<String>,
}

/// An API found by id or by lam's tags.
#[derive(Debug, Clone)]
pub struct FoundApi {
    pub id: String,
}

/// An endpoint after `ensure` (or as planned on a dry run).
#[derive(Debug, Default)]
pub struct Endpoint {
    pub id: Option<String>,
    pub url: Option<String>,
    /// The execute-api ARN the invoke permission is scoped to.
    pub source_arn: Option<String>,
    pub changes: Vec<String>,
}

impl Endpoint {
    pub fn planned(changes: Vec<String>) -> Endpoint {
        Endpoint {
            changes,
            ..Default::default()
        }
    }
}

/// Tagged `managed-by = lam`: lam made it, and may change and delete it.
pub fn is_lam(tags: Option<&HashMap<String, String>>) -> bool {
    tags.and_then(|t| t.get("managed-by"))
        .is_some_and(|v| v == "lam")
}

/// API Gateway's NotFoundException (both versions use the same code).
pub fn not_found<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error()
        .is_some_and(|e| e.code() == Some("NotFoundException"))
}

pub fn lam_tags(spec: &ApiSpec<'_>) -> HashMap<String, String> {
    HashMap::from([
        ("managed-by".to_string(), "lam".to_string()),
        ("lam:project".to_string(), spec.project.to_string()),
        ("lam:stage".to_string(), spec.stage.to_string()),
        ("lam:function".to_string(), spec.function.to_string()),
    ])
}

/// Makes the endpoint of `[api]` and the permission that lets it invoke the
/// alias match lam.toml (`permissions`: the alias's resource policy as read,
/// None when the alias does not exist); removes lam's function URL and permissions that are
/// no longer wanted. Returns None when `[api]` asks for no endpoint and
/// nothing had to be removed.
pub async fn ensure(
    aws: &Aws,
    lambda: &Lambda,
    api: Option<&ApiConfig>,
    spec: &ApiSpec<'_>,
    alias: &str,
    permissions: Option<&[Permission]>,
    apply: bool,
) -> Result<Endpoint> {
    // No permissions read: the alias does not exist yet (a dry run of a
    // first deploy), so there is no URL or permission to read either.
    let alias_exists = permissions.is_some();
    let kind = api.map(|a| a.kind).unwrap_or(ApiKind::None);
    let auth = api
        .and_then(|a| a.auth.clone())
        .unwrap_or_else(|| "NONE".to_string());
    let mut endpoint = match kind {
        ApiKind::Rest => RestApis::new(aws).ensure(spec, apply).await?,
        ApiKind::Http => HttpApis::new(aws).ensure(spec, apply).await?,
        ApiKind::Url | ApiKind::None => Endpoint::default(),
    };

    // The function URL lives on the alias.
    let url = if alias_exists {
        lambda.url(spec.function, alias).await?
    } else {
        None
    };
    if kind == ApiKind::Url {
        let wanted_cors = spec.cors.cloned();
        match &url {
            Some(u) if u.auth == auth && u.cors == wanted_cors => {
                endpoint.url = Some(u.url.clone());
            }
            _ => {
                endpoint.changes.push(if url.is_some() {
                    "update the function URL".into()
                } else {
                    format!("create a function URL ({auth})")
                });
                if apply {
                    endpoint.url = Some(
                        lambda
                            .put_url(spec.function, alias, &auth, spec.cors, url.is_some())
                            .await?,
                    );
                }
            }
        }
    } else if url.is_some() {
        endpoint.changes.push("remove the function URL".into());
        if apply {
            lambda.delete_url(spec.function, alias).await?;
        }
    }

    // Permissions: exactly the one the endpoint needs.
    let wanted: Vec<Grant> = match kind {
        ApiKind::Rest | ApiKind::Http => endpoint
            .source_arn
            .iter()
            .map(|arn| Grant {
                sid: if kind == ApiKind::Rest {
                    REST_SID
                } else {
                    HTTP_SID
                }
                .to_string(),
                principal: "apigateway.amazonaws.com".into(),
                action: "lambda:InvokeFunction".into(),
                source_arn: Some(arn.clone()),
                url_auth: None,
            })
            .collect(),
        ApiKind::Url if auth == "NONE" => vec![Grant {
            sid: URL_SID.into(),
            principal: "*".into(),
            action: "lambda:InvokeFunctionUrl".into(),
            source_arn: None,
            url_auth: Some("NONE".into()),
        }],
        _ => Vec::new(),
    };
    let current = permissions.unwrap_or_default();
    for p in current {
        let stale = SIDS.contains(&p.sid.as_str())
            && !wanted
                .iter()
                .any(|g| g.sid == p.sid && g.source_arn == p.source_arn && g.action == p.action);
        if stale {
            endpoint
                .changes
                .push(format!("remove permission {}", p.sid));
            if apply {
                lambda
                    .remove_permission(spec.function, alias, &p.sid)
                    .await?;
            }
        }
    }
    for g in &wanted {
        let present = current
            .iter()
            .any(|p| p.sid == g.sid && p.source_arn == g.source_arn && p.action == g.action);
        if !present {
            endpoint.changes.push(format!(
                "allow {} to invoke {alias}",
                if g.principal == "*" {
                    "the public URL"
                } else {
                    "API Gateway"
                }
            ));
            if apply {
                lambda.add_permission(spec.function, alias, g).await?;
            }
        }
    }
    Ok(endpoint)
}

/// Checks that an API lam.toml names by id exists (read calls only), so
/// that a wrong id stops the deploy before anything changes.
pub async fn check_named_api(aws: &Aws, api: Option<&ApiConfig>, spec: &ApiSpec<'_>) -> Result<()> {
    match api {
        Some(a) if a.id.is_some() && a.kind == ApiKind::Rest => {
            RestApis::new(aws).find(spec).await.map(|_| ())
        }
        Some(a) if a.id.is_some() && a.kind == ApiKind::Http => {
            HttpApis::new(aws).find(spec).await.map(|_| ())
        }
        _ => Ok(()),
    }
}

/// The endpoint URL as deployed now, for `lam status` (read calls only).
pub async fn current_url(
    aws: &Aws,
    lambda: &Lambda,
    api: Option<&ApiConfig>,
    spec: &ApiSpec<'_>,
    alias: &str,
) -> Result<Option<String>> {
    match api.map(|a| a.kind).unwrap_or(ApiKind::None) {
        ApiKind::Rest => {
            let apis = RestApis::new(aws);
            Ok(apis.find(spec).await?.map(|f| apis.url(&f.id, spec.stage)))
        }
        ApiKind::Http => HttpApis::new(aws).find_url(spec).await,
        ApiKind::Url => Ok(lambda.url(spec.function, alias).await?.map(|u| u.url)),
        ApiKind::None => Ok(None),
    }
}
