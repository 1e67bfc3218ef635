//! One module per command. Each reads like the steps a user would describe;
//! AWS details live in `aws/`, packaging in `package`, local runs in `local/`.

mod build;
mod completions;
mod debug_config;
mod deploy;
mod destroy;
pub mod dev;
mod doctor;
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
mod test;
mod trust;
mod watch;

use std::path::PathBuf;

use crate::aws::Aws;
use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::ui::Ui;

/// A deployed function a command works on (see [`Context::deployed`]).
pub struct Deployed {
    pub aws: Aws,
    /// The project, when the function is one of its own.
    pub project: Option<Project>,
    /// The function's name.
    pub name: String,
    /// As the Lambda API takes it: the name, or the ARN as given (with its
    /// qualifier, if any).
    pub id: String,
    /// The account it is in, when that is not the caller's.
    pub foreign_account: Option<String>,
}

/// A function named by AWS name or ARN on the command line.
#[derive(Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub id: String,
    /// An ARN's region, which wins over the configured one.
    pub region: Option<String>,
    /// The account the name or ARN names, when it names one.
    pub account: Option<String>,
}

impl Named {
    /// A function as Lambda's API takes it (the service model's
    /// `FunctionName` / `NamespacedFunctionName` patterns), checked before
    /// any AWS call:
    /// - `my-function` (1-64 letters, digits, '-' or '_'), or with a
    ///   qualifier, `my-function:live` / `my-function:3` / `my-function:$LATEST`;
    /// - `123456789012:function:my-function[:qualifier]`;
    /// - `us-east-1:123456789012:function:my-function[:qualifier]`;
    /// - `arn:<partition>:lambda:<region>:<account>:function:<name>[:qualifier]`.
    pub fn parse(text: &str) -> Result<Named> {
        let valid_name = |n: &str| {
            !n.is_empty()
                && n.len() <= 64
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let valid_qualifier =
            |q: &str| q == "$LATEST" || (!q.is_empty() && q.len() <= 128 && valid_name(q));
        let valid_account = |a: &str| a.len() == 12 && a.chars().all(|c| c.is_ascii_digit());
        let bad = || {
            Error::usage(format!("'{text}' is not a function name or ARN"))
                .with_hint("name a deployed function (my-function, my-function:live) or give its ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function), or run lam in its project")
        };
        let parts: Vec<&str> = text.split(':').collect();
        let (region, account, name, qualifier) = match parts.as_slice() {
            [name] => (None, None, *name, None),
            [name, q] => (None, None, *name, Some(*q)),
            [account, "function", name, rest @ ..] if rest.len() <= 1 => {
                (None, Some(*account), *name, rest.first().copied())
            }
            [region, account, "function", name, rest @ ..] if rest.len() <= 1 => {
                (Some(*region), Some(*account), *name, rest.first().copied())
            }
            [
                "arn",
                partition,
                "lambda",
                region,
                account,
                "function",
                name,
                rest @ ..,
            ] if partition.starts_with("aws") && rest.len() <= 1 => {
                (Some(*region), Some(*account), *name, rest.first().copied())
            }
            _ => return Err(bad()),
        };
        let ok = valid_name(name)
            && qualifier.is_none_or(valid_qualifier)
            && account.is_none_or(valid_account)
            && region.is_none_or(|r| {
                !r.is_empty()
                    && r.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            });
        if !ok {
            return Err(bad());
        }
        Ok(Named {
            name: name.to_string(),
            id: text.to_string(),
            region: region.map(str::to_string),
            account: account.map(str::to_string),
        })
    }
}

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

    /// What a command that reads or invokes a deployed function works on:
    /// the project's function, or any deployed function named by its AWS
    /// name (outside a project) or ARN (anywhere), as `aws lambda invoke`
    /// takes it; so lam is useful for functions it did not deploy.
    pub async fn deployed(&self, function: Option<&str>) -> Result<Deployed> {
        let named = match function {
            Some(f) if f.contains(':') => Some(Named::parse(f)?),
            Some(f) if crate::config::find_file(&self.cwd).is_err() => Some(Named::parse(f)?),
            _ => None,
        };
        if let Some(named) = named {
            let aws = Aws::connect(self.global, named.region.as_deref(), self.ui.verbose).await?;
            // Named in another account: used as given (never a same-named
            // function of the caller's), and said.
            let mut foreign = None;
            if let Some(account) = &named.account {
                let caller = aws.account().await?;
                if &caller != account {
                    self.ui.warn(format!(
                        "{} is in account {account}; you are signed in to account {caller}: lam reads it through its ARN (its logs need CloudWatch cross-account observability)",
                        named.name
                    ));
                    foreign = Some(account.clone());
                }
            }
            // `123456789012:function:f` and `us-east-1:123456789012:function:f`
            // are the same function as its full ARN, which every API takes.
            let id = match (&named.account, named.id.starts_with("arn:")) {
                (Some(account), false) => {
                    let region = named.region.as_deref().unwrap_or(aws.region());
                    let partition = if region.starts_with("cn-") {
                        "aws-cn"
                    } else if region.starts_with("us-gov-") {
                        "aws-us-gov"
                    } else {
                        "aws"
                    };
                    let rest = named
                        .id
                        .split_once(":function:")
                        .map_or(named.name.as_str(), |(_, r)| r);
                    format!("arn:{partition}:lambda:{region}:{account}:function:{rest}")
                }
                _ => named.id,
            };
            return Ok(Deployed {
                aws,
                project: None,
                name: named.name,
                id,
                foreign_account: foreign,
            });
        }
        let project = self.project()?;
        let function = project.one(function)?;
        let aws = self.aws(Some(&project)).await?;
        Ok(Deployed {
            aws,
            name: function.name.clone(),
            id: function.name.clone(),
            project: Some(project),
            foreign_account: None,
        })
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
            profile_init: false,
            debug: None,
            region,
            profile: self.global.profile.clone(),
            endpoint_url: self.global.endpoint_url.clone(),
            dotenv,
            secrets,
            credentials: None,
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
            let parsed = SecretRef::parse(reference);
            let value = secrets.value(&parsed).await.map_err(|e| {
                if !e.is(crate::error::Cause::NotFound) {
                    return e;
                }
                // Said as deploy says it, with the key lam.toml gives it.
                let key = functions
                    .iter()
                    .flat_map(|f| f.secrets.iter())
                    .find(|(_, r)| *r == reference)
                    .map(|(k, _)| k.as_str())
                    .unwrap_or_default();
                let message = e
                    .problems
                    .first()
                    .map(|p| p.message.clone())
                    .unwrap_or_default();
                Error::aws(message)
                    .with_hint(format!(
                        "{}, or set {key} in .env for local runs",
                        crate::aws::secrets::create_hint(
                            key,
                            &parsed,
                            &project.name,
                            &project.stage
                        )
                    ))
                    .with_cause(crate::error::Cause::NotFound)
            })?;
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
    crate::trust::set_flag(cli.global.trust);
    let ctx = Context {
        global: &cli.global,
        ui,
        cwd,
    };
    match cli.command {
        Command::New(args) => new::run(&ctx, args),
        Command::Build(args) => build::run(&ctx, args),
        Command::Deploy(args) if args.watch => watch::run(&ctx, args).await,
        Command::Deploy(args) => deploy::run(&ctx, args).await,
        Command::Invoke(args) => invoke::run(&ctx, args).await,
        Command::Completions(args) => completions::run(args),
        Command::Logs(args) => logs::run(&ctx, args).await,
        Command::Stats(args) => stats::run(&ctx, args).await,
        Command::Serve(args) => serve::run(&ctx, args).await,
        Command::Dev(args) => dev::run(&ctx, args).await,
        Command::DebugConfig(args) => debug_config::run(&ctx, args),
        Command::Env(args) => env::run(&ctx, args).await,
        Command::Secrets(args) => secrets::run(&ctx, args).await,
        Command::Events(args) => events::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args).await,
        Command::Destroy(args) => destroy::run(&ctx, args).await,
        Command::Rollback(args) => rollback::run(&ctx, args).await,
        Command::Trust(args) => trust::run(&ctx, args),
        Command::Doctor(args) => doctor::run(&ctx, args).await,
        Command::Test(args) => test::run(&ctx, args),
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

#[cfg(test)]
mod named_tests {
    use super::Named;

    #[test]
    fn names_and_arns_are_checked_before_any_call() {
        assert_eq!(
            Named::parse("orders-api_2").unwrap(),
            Named {
                name: "orders-api_2".into(),
                id: "orders-api_2".into(),
                region: None,
                account: None,
            }
        );
        let arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders:live";
        let named = Named::parse(arn).unwrap();
        assert_eq!(named.name, "orders");
        assert_eq!(named.id, arn);
        assert_eq!(named.region.as_deref(), Some("eu-west-1"));
        assert!(Named::parse("arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST").is_ok());
        // The other forms the service model's FunctionName pattern takes.
        let aliased = Named::parse("my-fn:live").unwrap();
        assert_eq!(
            (aliased.name.as_str(), aliased.id.as_str()),
            ("my-fn", "my-fn:live")
        );
        let partial = Named::parse("123456789012:function:my-fn").unwrap();
        assert_eq!(partial.name, "my-fn");
        assert_eq!(partial.account.as_deref(), Some("123456789012"));
        assert_eq!(partial.region, None);
        let regional = Named::parse("us-east-1:123456789012:function:my-fn:3").unwrap();
        assert_eq!(regional.region.as_deref(), Some("us-east-1"));
        assert_eq!(regional.id, "us-east-1:123456789012:function:my-fn:3");
        for bad in [
            "my-fn:",
            "my-fn:a:b",
            "1234:function:my-fn",
            "us-east-1:123456789012:layer:my-fn",
            "",
            "has space",
            "semi;colon",
            &"x".repeat(65),
            "arn:aws:lambda:eu-west-1:1234:function:f",
            "arn:aws:s3:::bucket",
            "arn:aws:lambda:eu-west-1:123456789012:function:f:a:b",
        ] {
            assert!(Named::parse(bad).is_err(), "{bad}");
        }
    }
}
