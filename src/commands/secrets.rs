//! `lam secrets`: values in Secrets Manager under <project>/<stage>/<NAME>,
//! read from a hidden prompt, a file or stdin, never from the command line,
//! and never printed unless asked for with --reveal.

use std::io::{IsTerminal, Read};

use serde::Serialize;

use crate::aws::secrets::{SecretRef, SecretValue, Secrets};
use crate::cli::{SecretsArgs, SecretsCommand};
use crate::commands::Context;
use crate::config::{Project, rules};
use crate::error::{Error, Result};

/// `secrets set --output json`: which secret, and whether it was created.
#[derive(Serialize)]
struct Stored<'a> {
    name: &'a str,
    created: bool,
    /// It was scheduled for deletion and is restored.
    restored: bool,
}

/// `secrets list --output json`: names and last change, never values.
#[derive(Serialize)]
struct Listing<'a> {
    secrets: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    last_changed: &'a str,
}

/// `secrets get --output json`: the value masked unless --reveal.
#[derive(Serialize)]
struct Shown<'a> {
    name: &'a str,
    value: &'a str,
}

pub async fn run(ctx: &Context<'_>, args: SecretsArgs) -> Result<()> {
    let project = ctx.project()?;
    let prefix = format!("{}/{}/", project.name, project.stage);
    match args.command {
        SecretsCommand::Set { name, from_file } => {
            check_name(&name)?;
            let value = read_value(ctx, &name, from_file.as_deref())?;
            let secrets = client(ctx, &project).await?;
            let full = format!("{prefix}{name}");
            let put = secrets.put(&full, &value).await?;
            use crate::aws::secrets::Put;
            if ctx.ui.json {
                ctx.ui.print_value(&Stored {
                    name: &full,
                    created: put == Put::Created,
                    restored: put == Put::Restored,
                });
            } else {
                ctx.ui.info(match put {
                    Put::Created => format!("Created {full}"),
                    Put::Updated => format!("Stored a new version of {full}"),
                    Put::Restored => format!(
                        "Restored {full}, which was scheduled for deletion, with the new value"
                    ),
                });
                ctx.ui.info(format!(
                    "Use it with [secrets] {name} = \"{full}\" in lam.toml"
                ));
            }
            Ok(())
        }
        SecretsCommand::List => {
            let secrets = client(ctx, &project).await?;
            let names = secrets.list(&prefix).await?;
            if ctx.ui.json {
                ctx.ui.print_value(&Listing {
                    secrets: names
                        .iter()
                        .map(|(n, c)| Listed {
                            name: n,
                            last_changed: c,
                        })
                        .collect(),
                });
            } else if names.is_empty() {
                ctx.ui.info(format!("no secrets under {prefix}"));
            } else {
                for (n, changed) in names {
                    println!("{n}  {changed}");
                }
            }
            Ok(())
        }
        SecretsCommand::Get { name, reveal } => {
            check_name(&name)?;
            let secrets = client(ctx, &project).await?;
            let full = format!("{prefix}{name}");
            let reference = SecretRef::parse(&full);
            // Without --reveal the value is not even read: only whether the
            // secret exists (DescribeSecret), so no GetSecretValue is logged.
            let shown = if reveal {
                secrets.value(&reference).await?.expose().to_string()
            } else {
                if secrets.locate(&reference).await?.is_none() {
                    return Err(Error::aws(format!("secret {full} does not exist"))
                        .with_hint(format!("create it with `lam secrets set {name}`")));
                }
                "********".to_string()
            };
            if ctx.ui.json {
                ctx.ui.print_value(&Shown {
                    name: &full,
                    value: &shown,
                });
            } else if reveal && !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                // A pipe gets the exact bytes; a terminal sees them escaped.
                println!("{shown}");
            } else {
                crate::terminal::print(&shown);
                if !reveal {
                    ctx.ui.info("(masked: pass --reveal to print the value)");
                }
            }
            Ok(())
        }
        SecretsCommand::Rm { name, force } => {
            check_name(&name)?;
            let full = format!("{prefix}{name}");
            let how = if force {
                "at once, without recovery"
            } else {
                "with a 30-day recovery window"
            };
            if !ctx.ui.confirm(&format!("Delete {full} {how}?"), false)? {
                return Err(Error::interrupted("nothing was deleted"));
            }
            client(ctx, &project).await?.delete(&full, force).await?;
            ctx.ui.info(format!("Deleted {full} ({how})"));
            Ok(())
        }
    }
}

async fn client(ctx: &Context<'_>, project: &Project) -> Result<Secrets> {
    Ok(Secrets::new(&ctx.aws(Some(project)).await?))
}

/// Secret names are used as environment variable names by the handler.
fn check_name(name: &str) -> Result<()> {
    rules::check_env_key(name)
        .map_err(|v| Error::usage(format!("secret name: {}", v.message)).with_hint(v.hint))
}

/// From --from-file, a hidden prompt asked twice, or stdin; never an argument.
fn read_value(ctx: &Context, name: &str, file: Option<&std::path::Path>) -> Result<SecretValue> {
    let value = if let Some(path) = file {
        let path = ctx.cwd.join(path);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
        text.strip_suffix('\n').map(str::to_string).unwrap_or(text)
    } else if ctx.ui.interactive {
        dialoguer::Password::new()
            .with_prompt(format!("Value of {name}"))
            .with_confirmation("Again", "the two values differ")
            .interact()
            .map_err(|e| Error::interrupted(format!("no value read: {e}")))?
    } else if !std::io::stdin().is_terminal() {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::local(format!("cannot read the value from stdin: {e}")))?;
        text.strip_suffix('\n').map(str::to_string).unwrap_or(text)
    } else {
        String::new()
    };
    if value.is_empty() {
        return Err(Error::usage(format!("no value for {name}"))
            .with_hint("type it at the prompt, pipe it on stdin, or pass --from-file FILE"));
    }
    Ok(SecretValue::new(value))
}
