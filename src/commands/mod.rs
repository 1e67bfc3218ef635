//! One module per command. Each reads like the steps a user would describe;
//! AWS details live in `aws/`, packaging in `package`, local runs in `local/`.

mod build;
mod completions;
mod deploy;
mod destroy;
mod env;
mod events;
mod invoke;
mod logs;
mod new;
mod rollback;
mod secrets;
mod serve;
mod stats;
mod status;

use std::path::PathBuf;

use crate::aws::Aws;
use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::ui::Ui;

/// What every command gets: the global flags, the UI, and the directory it runs in.
pub struct Context<'a> {
    pub global: &'a GlobalArgs,
    pub ui: &'a Ui,
    pub cwd: PathBuf,
}

impl Context<'_> {
    /// lam.toml of this directory (or its nearest parent), validated for the stage.
    pub fn project(&self) -> Result<Project> {
        Project::discover(&self.cwd, self.global.stage.as_deref())
    }

    /// The project with `${VAR}` in env values filled in from the shell:
    /// for commands that run or deploy the function.
    pub fn project_with_env(&self) -> Result<Project> {
        self.project()?.expand_env()
    }

    /// The AWS configuration, from the flags, the standard chain and lam.toml.
    pub async fn aws(&self, project: Option<&Project>) -> Result<Aws> {
        let region = project.and_then(|p| p.region.as_deref());
        Aws::connect(self.global, region, self.ui.verbose).await
    }

    /// How local runs are set up: region, credentials' profile, endpoint,
    /// and the project's `.env` files.
    pub async fn local_options(
        &self,
        project: &Project,
        functions: &[&crate::config::Function],
        ric: bool,
    ) -> Result<crate::local::Options> {
        let region = self
            .global
            .region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .or_else(|| project.region.clone())
            .unwrap_or_else(|| "us-east-1".into());
        let dotenv = crate::dotenv::load(&project.root, &project.stage)?;
        let secrets = self.resolve_secrets(project, functions, &dotenv).await?;
        Ok(crate::local::Options {
            ric,
            region,
            profile: self.global.profile.clone(),
            endpoint_url: self.global.endpoint_url.clone(),
            dotenv,
            secrets,
        })
    }

    /// Every `[secrets]` value the project's functions need locally, once:
    /// from `.env` when set there, else from AWS with the developer's
    /// credentials. No AWS call when there is nothing to resolve.
    async fn resolve_secrets(
        &self,
        project: &Project,
        functions: &[&crate::config::Function],
        dotenv: &std::collections::BTreeMap<String, String>,
    ) -> Result<std::collections::BTreeMap<String, crate::aws::secrets::SecretValue>> {
        use crate::aws::secrets::{SecretRef, Secrets};
        let mut wanted: Vec<&String> = functions
            .iter()
            .flat_map(|f| f.secrets.iter())
            .filter(|(name, _)| !dotenv.contains_key(*name))
            .map(|(_, reference)| reference)
            .collect();
        wanted.sort();
        wanted.dedup();
        let mut values = std::collections::BTreeMap::new();
        if wanted.is_empty() {
            return Ok(values);
        }
        let aws = self.aws(Some(project)).await?;
        let secrets = Secrets::new(&aws);
        for reference in wanted {
            let value = secrets.value(&SecretRef::parse(reference)).await?;
            values.insert(reference.clone(), value);
        }
        Ok(values)
    }

    /// A path the user gave, relative to the directory lam runs in.
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.cwd.join(path)
    }
}

pub async fn run(cli: Cli, ui: &Ui) -> Result<()> {
    let cwd = working_directory(&cli.global)?;
    // Checked before any work, not only when AWS is first reached.
    if let Some(url) = &cli.global.endpoint_url {
        crate::aws::check_endpoint_url(url)?;
    }
    let ctx = Context {
        global: &cli.global,
        ui,
        cwd,
    };
    match cli.command {
        Command::New(args) => new::run(&ctx, args),
        Command::Build(args) => build::run(&ctx, args),
        Command::Deploy(args) => deploy::run(&ctx, args).await,
        Command::Invoke(args) => invoke::run(&ctx, args).await,
        Command::Completions(args) => completions::run(args),
        Command::Logs(args) => logs::run(&ctx, args).await,
        Command::Stats(args) => stats::run(&ctx, args).await,
        Command::Serve(args) => serve::run(&ctx, args).await,
        Command::Env(args) => env::run(&ctx, args).await,
        Command::Secrets(args) => secrets::run(&ctx, args).await,
        Command::Events(args) => events::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args).await,
        Command::Destroy(args) => destroy::run(&ctx, args).await,
        Command::Rollback(args) => rollback::run(&ctx, args).await,
    }
}

fn working_directory(global: &GlobalArgs) -> Result<PathBuf> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::local(format!("cannot read the current directory: {e}")))?;
    match &global.directory {
        None => Ok(cwd),
        Some(dir) => {
            let dir = cwd.join(dir);
            if dir.is_dir() {
                Ok(dir)
            } else {
                Err(
                    Error::usage(format!("-C '{}': no such directory", dir.display()))
                        .with_hint("pass an existing project directory"),
                )
            }
        }
    }
}
