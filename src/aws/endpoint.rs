//! The HTTP endpoint in front of a function (`[api]`): what the REST API,
//! HTTP API and function URL modules share. What to change is decided by
//! `plan::diff`.

use std::collections::HashMap;

/// Statement ids lam gives the permissions it adds; a permission with one of
/// these ids and no longer wanted is removed.
pub const REST_SID: &str = "lam-rest-api";
pub const HTTP_SID: &str = "lam-http-api";
pub const URL_SID: &str = "lam-url";
/// The public URL's `lambda:InvokeFunction` (via the URL only).
pub const URL_INVOKE_SID: &str = "lam-url-invoke";
pub const SIDS: [&str; 4] = [REST_SID, HTTP_SID, URL_SID, URL_INVOKE_SID];

/// What an API is found by, and tagged with when lam creates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSpec {
    /// The function's name on AWS; also the API's name.
    pub function: String,
    pub project: String,
    pub stage: String,
    /// An existing API lam.toml names, attached to instead of one lam makes.
    pub id: Option<String>,
}

/// Tagged `managed-by = lam`: lam made it, and may change and delete it.
pub fn is_lam(tags: Option<&HashMap<String, String>>) -> bool {
    tags.and_then(|t| t.get("managed-by"))
        .is_some_and(|v| v == "lam")
}

/// Whether lam's tags tie the API to `spec`'s function, project and stage
/// (two projects' functions can share a name; their APIs stay apart).
pub fn is_for(tags: Option<&HashMap<String, String>>, spec: &ApiSpec) -> bool {
    let tag = |k: &str| tags.and_then(|t| t.get(k)).map(String::as_str);
    is_lam(tags)
        && tag("lam:function") == Some(&spec.function)
        && tag("lam:project").is_none_or(|p| p == spec.project)
        && tag("lam:stage").is_none_or(|s| s == spec.stage)
}

/// API Gateway's NotFoundException (both versions use the same code).
pub fn not_found<E, R>(err: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    err.as_service_error()
        .is_some_and(|e| e.code() == Some("NotFoundException"))
}

pub fn lam_tags(spec: &ApiSpec) -> HashMap<String, String> {
    HashMap::from([
        ("managed-by".to_string(), "lam".to_string()),
        ("lam:project".to_string(), spec.project.clone()),
        ("lam:stage".to_string(), spec.stage.clone()),
        ("lam:function".to_string(), spec.function.clone()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apis_belong_to_a_function_project_and_stage() {
        let spec = ApiSpec {
            function: "shop-prod-dev".into(),
            project: "shop-prod".into(),
            stage: "dev".into(),
            id: None,
        };
        let tags = lam_tags(&spec);
        assert!(is_for(Some(&tags), &spec));
        let other = ApiSpec {
            project: "shop".into(),
            stage: "prod-dev".into(),
            ..spec.clone()
        };
        assert!(!is_for(Some(&tags), &other));
        let mut foreign = tags.clone();
        foreign.remove("managed-by");
        assert!(!is_for(Some(&foreign), &spec));
    }
}
