//! What the project asks for, resolved from lam.toml, the package and the
//! flags, with no AWS call.

use std::collections::BTreeMap;

use crate::aws::secrets::SecretRef;
use crate::config::{ApiKind, CorsConfig, Function, PolicyStatement, Project, Trigger};

/// The role the function runs as.
#[derive(Debug, Clone, PartialEq)]
pub enum RoleChoice {
    /// `role` in lam.toml or `--role`: used as it is, never changed.
    Named(String),
    /// lam's own role, `lam-<project>-<stage>-<key>`.
    Lam,
}

/// The code lam built.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSpec {
    /// base64 of the zip's SHA-256, as Lambda reports CodeSha256.
    pub sha256: String,
    pub size: u64,
    /// The package's unzipped size (Lambda's 250 MB counts layers too).
    pub unzipped: u64,
}

/// `[api]`, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiWanted {
    pub kind: ApiKind,
    /// An API lam.toml names: attached to, never created or deleted.
    pub id: Option<String>,
    pub cors: Option<CorsConfig>,
    /// HTTP API route keys (default `$default`).
    pub routes: Vec<String>,
    /// Function URL auth type (default NONE).
    pub auth: String,
    /// REST APIs: the types treated as binary.
    pub binary_media_types: Vec<String>,
}

/// The function as the project wants it.
#[derive(Debug, Clone, PartialEq)]
pub struct Wanted {
    pub runtime: String,
    pub handler: String,
    pub memory: u32,
    pub timeout: u32,
    pub ephemeral_storage: u32,
    pub tracing: String,
    pub reserved_concurrency: Option<u32>,
    /// On the alias.
    pub provisioned_concurrency: Option<u32>,
    pub logging: crate::config::Logging,
    pub snapstart: bool,
    pub architecture: String,
    pub description: String,
    pub layers: Vec<String>,
    /// lam's dependency layer version (last in the function's layers),
    /// or what a dry run would publish.
    pub deps_layer: Option<String>,
    /// `[env]` after interpolation and `--env-file`; `<NAME>_SECRET_ARN`
    /// is added from where each secret is found.
    pub env: BTreeMap<String, String>,
    /// The shell variables each env value was filled from.
    pub env_sources: BTreeMap<String, Vec<String>>,
    /// `[secrets]`: the environment key and the reference.
    pub secrets: Vec<(String, SecretRef)>,
    pub role: RoleChoice,
    pub policy: Vec<PolicyStatement>,
    pub code: CodeSpec,
    pub api: ApiWanted,
    pub triggers: Vec<Trigger>,
}

/// One function's desired state. `wanted: None` is the state destroy asks
/// for: nothing lam made for this function.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    pub key: String,
    pub name: String,
    pub alias: String,
    pub project: String,
    pub stage: String,
    /// The name of lam's role for this function (used or not).
    pub lam_role: String,
    pub wanted: Option<Wanted>,
    /// `deploy --keep-versions N`.
    pub keep_versions: Option<u32>,
    /// `deploy --adopt`: take over a function lam did not create.
    pub adopt: bool,
    /// `destroy --logs`.
    pub delete_logs: bool,
}

impl Desired {
    /// What deploy makes of `function` and its package.
    pub fn deploy(
        project: &Project,
        function: &Function,
        code: CodeSpec,
        role_flag: Option<&str>,
    ) -> Desired {
        let role = match role_flag.or(function.role.as_deref()) {
            Some(arn) => RoleChoice::Named(arn.to_string()),
            None => RoleChoice::Lam,
        };
        let api = function.api.as_ref();
        let wanted = Wanted {
            runtime: function.runtime.clone(),
            handler: function.handler.clone(),
            memory: function.memory,
            timeout: function.timeout,
            ephemeral_storage: function.ephemeral_storage,
            tracing: function.tracing.clone(),
            reserved_concurrency: function.reserved_concurrency,
            provisioned_concurrency: function.provisioned_concurrency,
            logging: function.logging.clone(),
            snapstart: function.snapstart,
            architecture: function.architecture.as_str().to_string(),
            description: function.description.clone(),
            layers: function.layers.clone(),
            deps_layer: None,
            env: function.env.clone(),
            env_sources: function.env_sources.clone(),
            secrets: function
                .secrets
                .iter()
                .map(|(k, r)| (k.clone(), SecretRef::parse(r)))
                .collect(),
            role,
            policy: function.policy.clone(),
            code,
            api: ApiWanted {
                kind: api.map(|a| a.kind).unwrap_or(ApiKind::None),
                id: api.and_then(|a| a.id.clone()),
                cors: api.and_then(|a| a.cors.clone()),
                routes: api
                    .and_then(|a| a.routes.clone())
                    .unwrap_or_else(|| vec!["$default".to_string()]),
                auth: api
                    .and_then(|a| a.auth.clone())
                    .unwrap_or_else(|| "NONE".to_string()),
                binary_media_types: api
                    .map(|a| a.binary_media_types.clone())
                    .unwrap_or_default(),
            },
            triggers: function.triggers.clone(),
        };
        Desired {
            wanted: Some(wanted),
            ..Desired::nothing(project, function)
        }
    }

    /// Nothing: what destroy asks for.
    pub fn nothing(project: &Project, function: &Function) -> Desired {
        Desired {
            key: function.key.clone(),
            name: function.name.clone(),
            alias: function.alias.clone(),
            project: project.name.clone(),
            stage: project.stage.clone(),
            lam_role: crate::aws::iam::role_name(&project.name, &project.stage, &function.key),
            wanted: None,
            keep_versions: None,
            adopt: false,
            delete_logs: false,
        }
    }

    /// The tags that mark the function as lam's, for this project and stage.
    pub fn tags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("managed-by".to_string(), "lam".to_string()),
            ("lam:project".to_string(), self.project.clone()),
            ("lam:stage".to_string(), self.stage.clone()),
            ("lam:function".to_string(), self.name.clone()),
            ("lam:key".to_string(), self.key.clone()),
        ])
    }

    /// Whose a resource tagged with `project` and `stage` is, when it is
    /// lam's but not this project's and stage's.
    pub fn other_owner(&self, project: &Option<String>, stage: &Option<String>) -> Option<String> {
        let differs = |tag: &Option<String>, mine: &str| tag.as_deref().is_some_and(|t| t != mine);
        (differs(project, &self.project) || differs(stage, &self.stage)).then(|| {
            format!(
                "lam project {}, stage {}",
                project.as_deref().unwrap_or("?"),
                stage.as_deref().unwrap_or("?")
            )
        })
    }

    pub fn api_kind(&self) -> ApiKind {
        self.wanted
            .as_ref()
            .map(|w| w.api.kind)
            .unwrap_or(ApiKind::None)
    }

    pub fn triggers(&self) -> &[Trigger] {
        self.wanted
            .as_ref()
            .map(|w| w.triggers.as_slice())
            .unwrap_or_default()
    }

    /// The name of the role the function runs as, when it is lam's.
    pub fn uses_lam_role(&self) -> bool {
        self.wanted
            .as_ref()
            .is_some_and(|w| w.role == RoleChoice::Lam)
    }
}
