//! Published versions and the alias lam moves between them.

use super::{Deployed, Lambda, already_exists, found};
use crate::error::{Error, Result};

impl Lambda {
    /// The version an alias points at, or None when the alias does not exist.
    pub async fn alias_version(&self, name: &str, alias: &str) -> Result<Option<String>> {
        Ok(found(
            self.client
                .get_alias()
                .function_name(name)
                .name(alias)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetAlias", e))?
        .and_then(|out| out.function_version().map(str::to_string)))
    }

    /// What an alias serves, in one call: GetFunction with the alias as
    /// qualifier answers with the configuration of the version the alias
    /// points at, whose `Version` is that version's number (for a weighted
    /// alias, its primary version). None when the alias does not exist.
    pub async fn served(&self, name: &str, alias: &str) -> Result<Option<(String, Deployed)>> {
        Ok(found(
            self.client
                .get_function()
                .function_name(name)
                .qualifier(alias)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetFunction", e))?
        .and_then(|out| {
            let c = out.configuration()?;
            Some((c.version()?.to_string(), Deployed::from_configuration(c)))
        }))
    }

    /// One published version (or alias) of the function.
    pub async fn version(&self, name: &str, qualifier: &str) -> Result<Option<Deployed>> {
        Ok(found(
            self.client
                .get_function()
                .function_name(name)
                .qualifier(qualifier)
                .send()
                .await,
        )
        .map_err(|e| self.error("GetFunction", e))?
        .and_then(|out| out.configuration().map(Deployed::from_configuration)))
    }

    /// Publishes $LATEST as a version. The CodeSha256 guard makes Lambda
    /// refuse when someone else changed the code in between.
    pub async fn publish_version(&self, name: &str, code_sha256: &str) -> Result<String> {
        let out = self
            .changing(|| {
                self.client
                    .publish_version()
                    .function_name(name)
                    .code_sha256(code_sha256)
                    .send()
            })
            .await
            .map_err(|e| self.error("PublishVersion", e))?;
        out.version()
            .map(str::to_string)
            .ok_or_else(|| Error::aws("PublishVersion answered without a version number"))
    }

    /// Waits until a published version is Active: with SnapStart a new
    /// version is Pending while its snapshot is taken, and "invocations or
    /// other API actions that operate on the function version will fail"
    /// until then; it may end Failed ("Lambda SnapStart and function
    /// states", Lambda guide). `waiting` is told once when it is Pending.
    pub async fn wait_for_version(
        &self,
        name: &str,
        version: &str,
        mut waiting: impl FnMut(),
    ) -> Result<()> {
        use aws_sdk_lambda::types::State;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15 * 60);
        let mut delay = std::time::Duration::from_millis(250);
        let mut told = false;
        loop {
            let out = self
                .client
                .get_function_configuration()
                .function_name(name)
                .qualifier(version)
                .send()
                .await
                .map_err(|e| self.error("GetFunctionConfiguration", e))?;
            match out.state() {
                Some(State::Failed) => {
                    let code = out
                        .state_reason_code()
                        .map(|c| c.as_str().to_string())
                        .unwrap_or_else(|| "no code".into());
                    let reason = out.state_reason().unwrap_or("no reason given");
                    return Err(Error::aws(format!(
                        "version {version} of {name} did not become Active: {code}: {reason}"
                    ))
                    .with_hint(
                        "the alias stays on the version it served; fix the cause (the handler's init, memory, SnapStart hooks) and run `lam deploy` again",
                    ));
                }
                Some(State::Pending) => {
                    if !told {
                        waiting();
                        told = true;
                    }
                }
                _ => return Ok(()),
            }
            if tokio::time::Instant::now() > deadline {
                return Err(Error::aws(format!(
                    "version {version} of {name} is still Pending after 15 minutes"
                ))
                .with_hint("the alias stays where it was; check the version in the console, then run `lam deploy` again"));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(std::time::Duration::from_secs(5));
        }
    }

    /// Points the alias at `version`, creating it when `exists` is false.
    pub async fn point_alias(
        &self,
        name: &str,
        alias: &str,
        version: &str,
        exists: bool,
    ) -> Result<()> {
        if !exists {
            let created = self
                .changing(|| {
                    self.client
                        .create_alias()
                        .function_name(name)
                        .name(alias)
                        .function_version(version)
                        .description("managed by lam: the version lam deploy published last")
                        .send()
                })
                .await;
            match created {
                Ok(_) => return Ok(()),
                // Created by a retry of ours whose first answer was lost: update it.
                Err(err) if already_exists(&err) => {}
                Err(err) => return Err(self.error("CreateAlias", err)),
            }
        }
        self.changing(|| {
            self.client
                .update_alias()
                .function_name(name)
                .name(alias)
                .function_version(version)
                .send()
        })
        .await
        .map_err(|e| self.error("UpdateAlias", e))?;
        Ok(())
    }

    /// Published version numbers, oldest first ($LATEST left out).
    pub async fn versions(&self, name: &str) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_versions_by_function()
                .function_name(name)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListVersionsByFunction", e))?;
            out.extend(
                page.versions()
                    .iter()
                    .filter_map(|v| v.version().and_then(|v| v.parse::<u64>().ok())),
            );
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Aliases and the version each points at.
    pub async fn aliases(&self, name: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let page = self
                .client
                .list_aliases()
                .function_name(name)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| self.error("ListAliases", e))?;
            for a in page.aliases() {
                let Some(alias) = a.name() else { continue };
                if let Some(v) = a.function_version() {
                    out.push((alias.to_string(), v.to_string()));
                }
                // A version the alias routes a share of traffic to
                // (AdditionalVersionWeights) is served too: listed under
                // another name, so nothing deletes it when the alias moves.
                for v in a
                    .routing_config()
                    .and_then(|r| r.additional_version_weights())
                    .into_iter()
                    .flat_map(|w| w.keys())
                {
                    out.push((format!("{alias} (weighted)"), v.clone()));
                }
            }
            marker = page.next_marker().map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
        Ok(out)
    }

    /// Deletes one published version. Gone already counts as done.
    pub async fn delete_version(&self, name: &str, version: u64) -> Result<()> {
        found(
            self.changing(|| {
                self.client
                    .delete_function()
                    .function_name(name)
                    .qualifier(version.to_string())
                    .send()
            })
            .await,
        )
        .map_err(|e| self.error("DeleteFunction", e))?;
        Ok(())
    }
}
