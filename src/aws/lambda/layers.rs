//! Dependency layers: published once per content, found again by the
//! content's hash: the version's description names a candidate, and the
//! hash Lambda computed of its content (GetLayerVersion) decides. Anyone
//! who may publish to the layer can write any description.

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Architecture, LayerVersionContentInput, Runtime};

use super::{Code, Lambda, found};
use crate::error::Result;

/// How long a new layer version is safe from pruning: a deploy publishes
/// a version, then attaches it to its functions, and another deploy's
/// prune must not fall between the two. `LAM_LAYER_GRACE_SECONDS` sets it
/// (the tests set 0).
pub fn layer_grace() -> std::time::Duration {
    std::env::var("LAM_LAYER_GRACE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(std::time::Duration::from_secs)
        .unwrap_or(std::time::Duration::from_secs(15 * 60))
}

fn within_grace(created: std::time::SystemTime, now: std::time::SystemTime) -> bool {
    now.duration_since(created).unwrap_or_default() < layer_grace()
}

/// What a prune of a project's dependency layers did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pruned {
    /// The versions deleted (no function uses them).
    pub deleted: Vec<String>,
    /// Unused, but published within the grace period: kept.
    pub recent: Vec<String>,
}

/// A layer version lam published.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerVersion {
    pub arn: String,
    pub version: i64,
    /// When it was published (ListLayerVersions' CreatedDate).
    pub created: Option<std::time::SystemTime>,
    /// The zip's CodeSha256, from the description lam wrote.
    pub sha256: Option<String>,
}

/// The description lam gives a dependency layer version: how it is found
/// again.
pub fn layer_description(sha256: &str) -> String {
    format!("lam dependencies, sha256 {sha256}")
}

/// The name of the layer holding the dependency tree `key` of `project`:
/// the same in every stage, so stages with the same tree share it.
pub fn layer_name(project: &str, key: &str) -> String {
    format!("{}{}", layer_prefix(project), &key[..key.len().min(16)])
}

/// What every dependency layer of `project` is named from (the project's
/// name as a layer name may hold it). A name over 40 characters is cut to
/// 31 and followed by 8 hex digits of its hash: two projects whose names
/// start alike never share a prefix, so neither prunes the other's layers.
fn layer_prefix(project: &str) -> String {
    let clean: String = project
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = if clean.len() > 40 {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(project.as_bytes());
        let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("{}-{hex}", &clean[..31])
    } else {
        clean
    };
    format!("lam-{clean}-deps-")
}

/// `lam-<project>-deps-` and 16 hex digits, exactly: another project whose
/// name merely starts the same is not this one.
fn is_project_layer(name: &str, project: &str) -> bool {
    name.strip_prefix(&layer_prefix(project))
        .is_some_and(|rest| rest.len() == 16 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether a layer version ARN is one of `project`'s dependency layers.
pub fn is_project_layer_version(arn: &str, project: &str) -> bool {
    // arn:aws:lambda:<region>:<account>:layer:<name>:<version>
    arn.split(':')
        .nth(6)
        .is_some_and(|name| is_project_layer(name, project))
}

/// CreatedDate as Lambda writes it: `2018-11-27T15:10:45.123+0000`.
fn parse_created(text: &str) -> Option<std::time::SystemTime> {
    let (date, zone) = text.split_at(text.len().checked_sub(5)?);
    let zone = if zone == "+0000" {
        "Z".to_string()
    } else {
        format!("{}:{}", &zone[..3], &zone[3..])
    };
    let ts: jiff::Timestamp = format!("{date}{zone}").parse().ok()?;
    let seconds = u64::try_from(ts.as_second()).ok()?;
    Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
}

fn sha_of(description: &str) -> Option<String> {
    description
        .strip_prefix("lam dependencies, sha256 ")
        .map(str::to_string)
}

impl Lambda {
    /// Every version of the layer `name`, newest first (none when the layer
    /// does not exist).
    pub async fn layer_versions(&self, name: &str) -> Result<Vec<LayerVersion>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = match found(
                self.client
                    .list_layer_versions()
                    .layer_name(name)
                    .set_marker(marker)
                    .send()
                    .await,
            )
            .map_err(|e| self.error("ListLayerVersions", e))?
            {
                Some(page) => page,
                None => break,
            };
            out.extend(page.layer_versions().iter().filter_map(|v| {
                Some(LayerVersion {
                    arn: v.layer_version_arn()?.to_string(),
                    version: v.version(),
                    created: v.created_date().and_then(parse_created),
                    sha256: v.description().and_then(sha_of),
                })
            }));
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        out.sort_by_key(|v| std::cmp::Reverse(v.version));
        Ok(out)
    }

    /// Publishes a version of `name` holding `code`; returns its ARN, its
    /// number and the CodeSha256 Lambda computed.
    pub async fn publish_layer(
        &self,
        name: &str,
        code: &Code,
        sha256: &str,
        runtime: &str,
        architecture: &str,
    ) -> Result<(String, i64, String)> {
        let content = match code {
            Code::Zip(bytes) => {
                LayerVersionContentInput::builder().zip_file(Blob::new(bytes.clone()))
            }
            Code::S3 { bucket, key } => LayerVersionContentInput::builder()
                .s3_bucket(bucket)
                .s3_key(key),
        }
        .build();
        let out = self
            .client
            .publish_layer_version()
            .layer_name(name)
            .description(layer_description(sha256))
            .content(content)
            .compatible_runtimes(Runtime::from(runtime))
            .compatible_architectures(Architecture::from(architecture))
            .send()
            .await
            .map_err(|e| self.error("PublishLayerVersion", e))?;
        let arn = out
            .layer_version_arn()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                crate::error::Error::aws(format!(
                    "PublishLayerVersion answered without the version's ARN for {name}"
                ))
                .with_hint("run `lam deploy` again")
            })?;
        Ok((
            arn.to_string(),
            out.version(),
            out.content()
                .and_then(|c| c.code_sha256())
                .unwrap_or_default()
                .to_string(),
        ))
    }

    /// The CodeSha256 Lambda computed of a layer version's content.
    pub async fn layer_version_sha256(&self, name: &str, version: i64) -> Result<Option<String>> {
        let out = found(
            self.client
                .get_layer_version()
                .layer_name(name)
                .version_number(version)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetLayerVersion", e))?;
        Ok(out
            .and_then(|o| {
                o.content()
                    .and_then(|c| c.code_sha256())
                    .map(str::to_string)
            })
            .filter(|s| !s.is_empty()))
    }

    /// The newest version of `name` whose content is the zip with
    /// CodeSha256 `sha256`: named by its description, proven by its content.
    pub async fn layer_with_content(
        &self,
        name: &str,
        sha256: &str,
    ) -> Result<Option<LayerVersion>> {
        for candidate in self
            .layer_versions(name)
            .await?
            .into_iter()
            .filter(|v| v.sha256.as_deref() == Some(sha256))
        {
            if self
                .layer_version_sha256(name, candidate.version)
                .await?
                .as_deref()
                == Some(sha256)
            {
                return Ok(Some(candidate));
            }
        }
        Ok(None)
    }

    /// The names of the layers whose names start with `prefix`.
    pub async fn layer_names(&self, prefix: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_layers()
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListLayers", e))?;
            out.extend(
                page.layers()
                    .iter()
                    .filter_map(|l| l.layer_name())
                    .filter(|n| n.starts_with(prefix))
                    .map(str::to_string),
            );
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        Ok(out)
    }

    /// Deletes the versions of `project`'s dependency layers that no
    /// function uses now; returns their ARNs. Lambda keeps a deleted
    /// version's content for function versions published with it, so a
    /// rollback to one of them still runs.
    pub async fn prune_layers(&self, project: &str) -> Result<Pruned> {
        let mut out = Pruned::default();
        let mut names = self.layer_names(&layer_prefix(project)).await?;
        names.retain(|n| is_project_layer(n, project));
        if names.is_empty() {
            return Ok(out);
        }
        let used = self.layers_in_use().await?;
        let now = std::time::SystemTime::now();
        for name in names {
            for v in self.layer_versions(&name).await? {
                if used.contains(&v.arn) {
                    continue;
                }
                // Published moments ago: another deploy (another stage, CI)
                // may be about to attach it. Kept, and said.
                if v.created.is_some_and(|c| within_grace(c, now)) {
                    out.recent.push(v.arn);
                    continue;
                }
                self.delete_layer_version(&name, v.version).await?;
                out.deleted.push(v.arn);
            }
        }
        Ok(out)
    }

    pub async fn delete_layer_version(&self, name: &str, version: i64) -> Result<()> {
        self.client
            .delete_layer_version()
            .layer_name(name)
            .version_number(version)
            .send()
            .await
            .map_err(|e| self.error("DeleteLayerVersion", e))?;
        Ok(())
    }

    /// The layer version ARNs that any function of the account and region
    /// uses in its current configuration.
    pub async fn layers_in_use(&self) -> Result<std::collections::BTreeSet<String>> {
        let mut out = std::collections::BTreeSet::new();
        let mut marker = None;
        loop {
            // Every version, not only $LATEST: a published version (and
            // an alias on it, of any stage) still runs with its layers.
            let page = self
                .client
                .list_functions()
                .function_version(aws_sdk_lambda::types::FunctionVersion::All)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListFunctions", e))?;
            for f in page.functions() {
                out.extend(
                    f.layers()
                        .iter()
                        .filter_map(|l| l.arn().map(str::to_string)),
                );
            }
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_project_names_stay_apart() {
        let a = "a-project-whose-name-runs-past-forty-characters-alpha";
        let b = "a-project-whose-name-runs-past-forty-characters-beta";
        let (la, lb) = (
            layer_name(a, "0123456789abcdef"),
            layer_name(b, "0123456789abcdef"),
        );
        assert_ne!(la, lb);
        assert!(is_project_layer(&la, a) && !is_project_layer(&la, b));
        assert!(la.len() <= 140, "{la}");
        // A name of 40 characters or fewer is as it was.
        assert_eq!(
            layer_name("shop", "0123456789abcdef"),
            "lam-shop-deps-0123456789abcdef"
        );
    }

    #[test]
    fn new_versions_are_spared_for_the_grace_period() {
        let created = parse_created("2026-12-07T10:00:00.000+0000").unwrap();
        let minutes = |m: u64| std::time::Duration::from_secs(60 * m);
        if std::env::var_os("LAM_LAYER_GRACE_SECONDS").is_none() {
            assert!(within_grace(created, created + minutes(5)));
            assert!(!within_grace(created, created + minutes(16)));
        }
        assert_eq!(
            parse_created("2026-12-07T11:00:00.000+0100"),
            Some(created),
            "offsets are honoured"
        );
    }

    #[test]
    fn layer_names_belong_to_one_project_exactly() {
        let name = layer_name("my.app", "0123456789abcdef0123");
        assert_eq!(name, "lam-my-app-deps-0123456789abcdef");
        assert!(is_project_layer(&name, "my.app"));
        assert!(!is_project_layer(
            "lam-my-app-deps-0123456789abcdef-x",
            "my.app"
        ));
        assert!(!is_project_layer(&name, "my"));
        assert!(is_project_layer_version(
            &format!("arn:aws:lambda:us-east-1:123456789012:layer:{name}:3"),
            "my.app"
        ));
    }
}
