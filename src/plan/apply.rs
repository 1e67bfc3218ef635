//! `apply`: carries out a plan's changes in order, the only code that calls
//! the changing functions of `aws/`. Values that exist only once a change
//! has run (a new API's id, its resources, the published version) are
//! kept here as they appear.

use sha2::{Digest, Sha256};

use super::actual::{Actual, api_spec};
use super::desired::{Desired, Wanted};
use super::diff::{execution_policy, settings};
use super::{ApiRef, Change, Plan};
use crate::aws::Aws;
use crate::aws::http_api::HttpApis;
use crate::aws::iam::{BASIC_EXECUTION, Iam, RoleSpec};
use crate::aws::lambda::{Code, Lambda};
use crate::aws::logs::Logs;
use crate::aws::rest_api::{PROXY_PATH, RestApis};
use crate::aws::s3::S3;
use crate::aws::triggers::{Triggers, notification_prefix};
use crate::error::{Error, Result};
use crate::ui::{Ui, format_size};

/// The package deploy uploads, and the bucket it goes through when it is
/// too large to upload directly.
pub struct Upload<'a> {
    pub bytes: &'a [u8],
    pub bucket: Option<&'a str>,
}

/// What exists once the plan has run.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub function_arn: String,
    pub role_arn: Option<String>,
    /// The version the alias serves.
    pub version: Option<String>,
    pub api_id: Option<String>,
    pub url: Option<String>,
}

/// The values a plan's later changes take from its earlier ones.
#[derive(Default)]
struct Made {
    role_arn: Option<String>,
    api_id: Option<String>,
    root: Option<String>,
    proxy: Option<String>,
    integration: Option<String>,
    http_endpoint: Option<String>,
    version: Option<String>,
    url: Option<String>,
}

pub struct Applier<'a> {
    pub aws: &'a Aws,
    pub ui: &'a Ui,
    pub desired: &'a Desired,
    pub actual: &'a Actual,
    pub upload: Option<Upload<'a>>,
}

impl Applier<'_> {
    /// Runs every change of `plan`, in order. A plan with a blocked change
    /// changes nothing.
    pub async fn apply(&self, plan: &Plan) -> Result<Applied> {
        if let Some(err) = plan.blocked_error() {
            return Err(err);
        }
        let lambda = Lambda::new(self.aws);
        let mut made = Made {
            api_id: self
                .actual
                .rest
                .as_ref()
                .map(|r| r.id.clone())
                .or_else(|| self.actual.http.as_ref().map(|h| h.id.clone())),
            root: self
                .actual
                .rest
                .as_ref()
                .and_then(|r| r.root.as_ref().map(|x| x.id.clone())),
            proxy: self
                .actual
                .rest
                .as_ref()
                .and_then(|r| r.proxy.as_ref().map(|x| x.id.clone())),
            integration: self.existing_integration(),
            http_endpoint: self.actual.http.as_ref().and_then(|h| h.endpoint.clone()),
            version: self.actual.alias_version.clone(),
            url: self.actual.url.as_ref().map(|u| u.url.clone()),
            ..Made::default()
        };
        for change in &plan.changes {
            let step = self.ui.step(capitalise(&change.to_string()));
            let detail = self.run(&lambda, change, &mut made).await?;
            step.done(detail);
        }
        let wanted_url = self.endpoint_url(&lambda, &made).await?;
        Ok(Applied {
            function_arn: self.actual.function_arn(self.desired),
            role_arn: made.role_arn.or_else(|| {
                self.wanted()
                    .ok()
                    .map(|w| settings(self.desired, w, self.actual).role)
            }),
            version: made.version,
            api_id: made.api_id,
            url: wanted_url,
        })
    }

    fn wanted(&self) -> Result<&Wanted> {
        self.desired
            .wanted
            .as_ref()
            .ok_or_else(|| Error::local("internal: a deploy change in a destroy plan"))
    }

    fn existing_integration(&self) -> Option<String> {
        let alias_arn = self.actual.alias_arn(self.desired);
        self.actual.http.as_ref().and_then(|h| {
            h.integrations
                .iter()
                .find(|i| i.uri.as_deref() == Some(alias_arn.as_str()))
                .map(|i| i.id.clone())
        })
    }

    fn api_id(&self, api: &ApiRef, made: &Made) -> Result<String> {
        match api {
            ApiRef::Existing(id) => Ok(id.clone()),
            ApiRef::New => made
                .api_id
                .clone()
                .ok_or_else(|| Error::aws("the API this deploy creates has no id yet")),
        }
    }

    /// The endpoint's URL once the plan has run.
    async fn endpoint_url(&self, lambda: &Lambda, made: &Made) -> Result<Option<String>> {
        use crate::config::ApiKind;
        let Some(wanted) = self.desired.wanted.as_ref() else {
            return Ok(None);
        };
        Ok(match (wanted.api.kind, &made.api_id) {
            (ApiKind::Rest, Some(id)) => Some(RestApis::new(self.aws).url(id, &self.desired.stage)),
            (ApiKind::Http, Some(id)) => {
                Some(HttpApis::new(self.aws).url(id, made.http_endpoint.as_deref()))
            }
            (ApiKind::Url, _) => match &made.url {
                Some(u) => Some(u.clone()),
                None => lambda
                    .url(&self.desired.name, &self.desired.alias)
                    .await?
                    .map(|u| u.url),
            },
            _ => None,
        })
    }

    /// The code to send: the zip itself, or an S3 object uploaded first.
    async fn code(&self) -> Result<Code> {
        let upload = self
            .upload
            .as_ref()
            .ok_or_else(|| Error::local("internal: code change without a package"))?;
        let Some(bucket) = upload.bucket else {
            return Ok(Code::Zip(upload.bytes.to_vec()));
        };
        let hex: String = Sha256::digest(upload.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let key = format!("lam/{}/{hex}.zip", self.desired.name);
        let step = self
            .ui
            .step(format!("Uploaded package to s3://{bucket}/{key}"));
        let uploaded = S3::new(self.aws)
            .upload_once(
                bucket,
                &key,
                upload.bytes.to_vec(),
                Some(self.actual.account.as_str()),
            )
            .await?;
        if uploaded {
            step.done(format_size(upload.bytes.len() as u64));
        } else {
            step.skipped("already there");
        }
        Ok(Code::S3 {
            bucket: bucket.to_string(),
            key,
        })
    }

    async fn rest_resource(
        &self,
        rest: &RestApis,
        id: &str,
        path: &str,
        made: &mut Made,
    ) -> Result<String> {
        let known = if path == PROXY_PATH {
            &made.proxy
        } else {
            &made.root
        };
        if let Some(r) = known {
            return Ok(r.clone());
        }
        let found = rest
            .resources(id)
            .await?
            .into_iter()
            .find(|r| r.path() == Some(path))
            .and_then(|r| r.id().map(str::to_string))
            .ok_or_else(|| Error::aws(format!("REST API {id} has no resource {path}")))?;
        if path == PROXY_PATH {
            made.proxy = Some(found.clone());
        } else {
            made.root = Some(found.clone());
        }
        Ok(found)
    }

    /// Whether the plan found the method already there (a new API has none).
    fn rest_method_exists(&self, api: &ApiRef, path: &str, method: &str) -> bool {
        if api == &ApiRef::New {
            return false;
        }
        let Some(rest) = &self.actual.rest else {
            return false;
        };
        let resource = if path == PROXY_PATH {
            rest.proxy.as_ref()
        } else {
            rest.root.as_ref()
        };
        resource.is_some_and(|r| match method {
            "ANY" => r.any_exists,
            _ => r.options.is_some(),
        })
    }

    async fn run(&self, lambda: &Lambda, change: &Change, made: &mut Made) -> Result<String> {
        let desired = self.desired;
        let name = desired.name.as_str();
        let alias = desired.alias.as_str();
        let iam = || Iam::new(self.aws);
        let rest = || RestApis::new(self.aws);
        let http = || HttpApis::new(self.aws);
        let spec = || {
            api_spec(
                desired,
                self.desired.wanted.as_ref().and_then(|w| w.api.id.clone()),
            )
        };
        match change {
            Change::CreateRole { role } => {
                let arn = iam()
                    .create(&RoleSpec {
                        name: role.clone(),
                        project: desired.project.clone(),
                        stage: desired.stage.clone(),
                        function: desired.name.clone(),
                        region: self.actual.region.clone(),
                    })
                    .await?;
                made.role_arn = Some(arn);
            }
            Change::AttachBasicExecution { role } => {
                let arn = format!("arn:{}:iam::aws:{BASIC_EXECUTION}", self.actual.partition());
                iam().attach(role, &arn).await?;
            }
            Change::PutRolePolicy { role, .. } => {
                let wanted = self.wanted()?;
                if let Some(doc) = execution_policy(self.actual, &self.actual.secrets, wanted) {
                    iam().put_inline(role, &doc).await?;
                }
            }
            Change::DeleteRolePolicy { role } => iam().delete_inline(role).await?,
            Change::TagRoleRegions { role, regions } => {
                let before = self
                    .actual
                    .role
                    .as_ref()
                    .map(|r| r.regions.clone())
                    .unwrap_or_default();
                iam().set_regions(role, regions, &before).await?
            }
            Change::TagFunction { tags, .. } => {
                lambda.tag(&self.actual.function_arn(desired), tags).await?;
            }
            Change::CreateFunction { .. } => {
                let wanted = self.wanted()?;
                let mut s = settings(desired, wanted, self.actual);
                if let Some(arn) = &made.role_arn {
                    s.role = arn.clone();
                }
                let code = self.code().await?;
                let created = lambda.create(name, &s, &code, &desired.tags()).await?;
                if created.code_sha256 != wanted.code.sha256 {
                    return Err(Error::aws(format!(
                        "Lambda took code with CodeSha256 {}, not the package's {}",
                        created.code_sha256, wanted.code.sha256
                    ))
                    .with_hint(
                        "the uploaded object may have been replaced; run `lam deploy` again",
                    ));
                }
                return Ok(format_size(wanted.code.size));
            }
            Change::UploadCode { size, .. } => {
                let wanted = self.wanted()?;
                let code = self.code().await?;
                let sha = lambda
                    .update_code(name, &code, &wanted.architecture)
                    .await?;
                // From S3 especially, Lambda must have taken these bytes.
                if sha != wanted.code.sha256 {
                    return Err(Error::aws(format!(
                        "Lambda took code with CodeSha256 {sha}, not the package's {}",
                        wanted.code.sha256
                    ))
                    .with_hint(
                        "the uploaded object may have been replaced; run `lam deploy` again",
                    ));
                }
                return Ok(format_size(*size));
            }
            Change::UpdateConfiguration { .. } => {
                let wanted = self.wanted()?;
                let mut s = settings(desired, wanted, self.actual);
                if let Some(arn) = &made.role_arn {
                    s.role = arn.clone();
                }
                lambda.update_configuration(name, &s).await?;
            }
            Change::Publish { from, .. } => {
                let wanted = self.wanted()?;
                let v = lambda.publish_version(name, &wanted.code.sha256).await?;
                // A SnapStart version serves nothing until its snapshot is
                // taken: the alias moves only once it is Active.
                if wanted.snapstart {
                    let ui = self.ui;
                    lambda
                        .wait_for_version(name, &v, || {
                            ui.info(format!(
                                "Waiting for SnapStart to snapshot version {v} of {name} before {alias} moves to it"
                            ))
                        })
                        .await?;
                }
                lambda.point_alias(name, alias, &v, from.is_some()).await?;
                let detail = format!("version {v}, alias {alias}");
                made.version = Some(v);
                return Ok(detail);
            }
            Change::SetReservedConcurrency { to, .. } => {
                lambda.set_reserved_concurrency(name, *to).await?;
            }
            Change::SetProvisionedConcurrency { alias, to, .. } => {
                lambda.set_provisioned(name, alias, *to).await?;
            }
            Change::DeleteVersions { versions, .. } => {
                // Never the version the alias serves, whatever was planned.
                let serving = made.version.as_deref().and_then(|v| v.parse::<u64>().ok());
                for v in versions.iter().filter(|v| Some(**v) != serving) {
                    lambda.delete_version(name, *v).await?;
                }
            }
            Change::CreateRestApi { .. } => {
                let binary = self.wanted()?.api.binary_media_types.clone();
                let (id, root) = rest().create(&spec(), &binary).await?;
                made.api_id = Some(id.clone());
                made.root = root;
                return Ok(id);
            }
            Change::SetBinaryMediaTypes { api, add, remove } => {
                let id = self.api_id(api, made)?;
                rest().set_binary_media_types(&id, add, remove).await?;
            }
            Change::AddProxyResource { api } => {
                let rest = rest();
                let id = self.api_id(api, made)?;
                let root = self.rest_resource(&rest, &id, "/", made).await?;
                let proxy = rest.create_proxy_resource(&id, &root).await?;
                made.proxy = proxy.id().map(str::to_string);
            }
            Change::IntegrateRestMethod { api, path } => {
                let rest = rest();
                let id = self.api_id(api, made)?;
                let resource = self.rest_resource(&rest, &id, path, made).await?;
                let uri = format!(
                    "arn:{}:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations",
                    self.actual.partition(),
                    self.actual.region,
                    self.actual.alias_arn(desired)
                );
                let exists = self.rest_method_exists(api, path, "ANY");
                rest.integrate(&id, &resource, &uri, exists).await?;
            }
            Change::PutRestPreflight { api, path } => {
                let rest = rest();
                let id = self.api_id(api, made)?;
                let resource = self.rest_resource(&rest, &id, path, made).await?;
                let cors = self
                    .wanted()?
                    .api
                    .cors
                    .clone()
                    .ok_or_else(|| Error::local("internal: a preflight without [api.cors]"))?;
                let exists = self.rest_method_exists(api, path, "OPTIONS");
                rest.put_preflight(&id, &resource, &cors, exists).await?;
            }
            Change::RemoveRestPreflight { api, path } => {
                let rest = rest();
                let id = self.api_id(api, made)?;
                let resource = self.rest_resource(&rest, &id, path, made).await?;
                rest.remove_preflight(&id, &resource).await?;
            }
            Change::DeployRestStage { api, stage, shape } => {
                let id = self.api_id(api, made)?;
                let waited = rest().deploy_stage(&id, stage, shape).await?;
                if !waited.is_zero() {
                    return Ok(format!(
                        "waited {} s for API Gateway's CreateDeployment quota",
                        waited.as_secs()
                    ));
                }
            }
            Change::CreateHttpApi { .. } => {
                let cors = self.wanted()?.api.cors.clone();
                let (id, endpoint) = http().create(&spec(), cors.as_ref()).await?;
                made.api_id = Some(id.clone());
                made.http_endpoint = endpoint;
                return Ok(id);
            }
            Change::SetHttpCors { api } => {
                let id = self.api_id(api, made)?;
                let cors = self.wanted()?.api.cors.clone();
                http().set_cors(&id, cors.as_ref()).await?;
            }
            Change::RemoveHttpCors { api } => {
                let id = self.api_id(api, made)?;
                http().set_cors(&id, None).await?;
            }
            Change::IntegrateHttpApi { api, update } => {
                let id = self.api_id(api, made)?;
                let target = self.actual.alias_arn(desired);
                made.integration = Some(http().integrate(&id, &target, update.as_deref()).await?);
            }
            Change::AddRoute { api, route } => {
                let id = self.api_id(api, made)?;
                let target = self.integration_target(made)?;
                http().create_route(&id, route, &target).await?;
            }
            Change::PointRoute { api, route_id, .. } => {
                let id = self.api_id(api, made)?;
                let target = self.integration_target(made)?;
                http().point_route(&id, route_id, &target).await?;
            }
            Change::RemoveRoute { api, route_id, .. } => {
                let id = self.api_id(api, made)?;
                http().delete_route(&id, route_id).await?;
            }
            Change::DeployHttpStage { api } => {
                let id = self.api_id(api, made)?;
                http().deploy_default_stage(&id).await?;
            }
            Change::CreateHttpStage { api } => {
                let id = self.api_id(api, made)?;
                http().create_default_stage(&id).await?;
            }
            Change::PutUrl { auth, exists, .. } => {
                let cors = self.wanted()?.api.cors.clone();
                let url = lambda
                    .put_url(name, alias, auth, cors.as_ref(), *exists)
                    .await?;
                made.url = Some(url.clone());
                return Ok(url);
            }
            Change::RemoveUrl { .. } => {
                lambda.delete_url(name, alias).await?;
                made.url = None;
            }
            Change::AddPermission { grant, .. } => {
                let source_arn = match (&grant.source_arn, &grant.source_api) {
                    (Some(arn), _) => Some(arn.clone()),
                    (None, Some(api)) => {
                        let id = self.api_id(api, made)?;
                        Some(format!(
                            "arn:{}:execute-api:{}:{}:{id}/*",
                            self.actual.partition(),
                            self.actual.region,
                            self.actual.account
                        ))
                    }
                    (None, None) => None,
                };
                let g = crate::aws::lambda::Grant {
                    sid: grant.sid.clone(),
                    principal: grant.principal.clone(),
                    action: grant.action.clone(),
                    source_arn,
                    source_account: grant.source_account.clone(),
                    url_auth: grant.url_auth.clone(),
                    via_url: grant.via_url,
                };
                lambda.add_permission(name, alias, &g).await?;
            }
            Change::RemovePermission { sid, .. } => {
                lambda.remove_permission(name, alias, sid).await?;
            }
            Change::PutS3Notifications {
                bucket,
                notifications,
            } => {
                S3::new(self.aws)
                    .put_notifications(bucket, &notification_prefix(name), notifications)
                    .await?;
            }
            Change::PutScheduleRule { rule, expression } => {
                Triggers::new(self.aws)
                    .put_rule(
                        rule,
                        expression,
                        &format!("invokes {name}:{alias} (managed by lam)"),
                    )
                    .await?;
            }
            Change::PutScheduleTarget {
                rule,
                target,
                input,
            } => {
                Triggers::new(self.aws)
                    .put_target(rule, target, input.clone())
                    .await?;
            }
            Change::RemoveSchedule { rule } => Triggers::new(self.aws).remove_rule(rule).await?,
            Change::PutMapping {
                function_arn,
                queue_arn,
                batch_size,
                report_failures,
                batch_window,
                uuid,
            } => {
                let spec = crate::aws::lambda::MappingSpec {
                    function_arn,
                    source_arn: queue_arn,
                    batch_size: *batch_size,
                    report_failures: *report_failures,
                    batch_window: *batch_window,
                };
                lambda.put_mapping(&spec, uuid.as_deref()).await?;
            }
            Change::DeleteMapping { uuid, .. } => lambda.delete_mapping(uuid).await?,
            Change::Subscribe {
                topic_arn,
                endpoint,
            } => {
                Triggers::new(self.aws)
                    .subscribe(topic_arn, endpoint)
                    .await?
            }
            Change::Unsubscribe { subscriptions, .. } => {
                let t = Triggers::new(self.aws);
                for s in subscriptions {
                    t.unsubscribe(s).await?;
                }
            }
            Change::DeleteRestApi { id } => {
                let waited = rest().delete(id).await?;
                if !waited.is_zero() {
                    return Ok(format!(
                        "waited {} s for API Gateway's DeleteRestApi quota",
                        waited.as_secs()
                    ));
                }
            }
            Change::DeleteHttpApi { id } => http().delete(id).await?,
            Change::DeleteFunction { function } => lambda.delete(function).await?,
            Change::DeleteRole { role } => iam().delete(role).await?,
            Change::DeleteLogGroup { group } => {
                if !Logs::new(self.aws).delete_group(group).await? {
                    return Ok("there was none".into());
                }
            }
            Change::Blocked { .. } => {}
        }
        Ok(String::new())
    }

    fn integration_target(&self, made: &Made) -> Result<String> {
        made.integration
            .as_ref()
            .map(|i| format!("integrations/{i}"))
            .ok_or_else(|| Error::aws("the HTTP API's integration has no id yet"))
    }
}

pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
