//! `lam env`: the function's environment variables, shown without leaking
//! secret-looking values, compared with what is deployed, and edited in
//! lam.toml without disturbing its comments.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aws::lambda::Lambda;
use crate::cli::{EnvArgs, EnvCommand};
use crate::commands::Context;
use crate::config::{self, Project, edit};
use crate::error::{Error, Result};

pub use crate::config::rules::looks_secret;

fn shown(key: &str, value: &str, show_values: bool) -> String {
    if show_values {
        value.to_string()
    } else if looks_secret(key) {
        "********".to_string()
    } else {
        mask_userinfo(value)
    }
}

/// A URL's password hidden: `pg://app:hunter2@db/x` is shown as
/// `pg://app:********@db/x`.
fn mask_userinfo(value: &str) -> String {
    let Some(scheme_end) = value.find("://") else {
        return value.to_string();
    };
    let rest = &value[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return value.to_string();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return value.to_string();
    };
    format!(
        "{}{}:********{}",
        &value[..scheme_end + 3],
        &userinfo[..colon],
        &value[scheme_end + 3 + at..]
    )
}

/// `env set` / `env unset --output json`: what was edited where.
#[derive(Serialize)]
struct Edited<'a> {
    file: &'a str,
    table: &'a str,
    keys: &'a [String],
}

/// `env list --output json`.
#[derive(Serialize)]
struct Listing<'a> {
    stage: &'a str,
    remote: bool,
    functions: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct Listed<'a> {
    function: &'a str,
    /// `false` for a function not deployed (its env is then absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    deployed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    env: Option<BTreeMap<String, String>>,
}

/// `env diff --output json`: the environment part of the deploy plan,
/// values masked unless --show-values.
#[derive(Serialize)]
struct EnvDiffs<'a> {
    stage: &'a str,
    functions: Vec<EnvDiff>,
}

#[derive(Serialize)]
struct EnvDiff {
    function: String,
    added: BTreeMap<String, String>,
    changed: BTreeMap<String, FromTo>,
    removed: Vec<String>,
}

#[derive(Serialize)]
struct FromTo {
    from: String,
    to: String,
}

pub async fn run(ctx: &Context<'_>, args: EnvArgs) -> Result<()> {
    match args.command {
        EnvCommand::List {
            remote,
            show_values,
        } => list(ctx, remote, show_values).await,
        EnvCommand::Diff { show_values } => diff(ctx, show_values).await,
        EnvCommand::Set { pairs, plain } => {
            let mut pairs = pairs
                .iter()
                .map(|p| match p.split_once('=') {
                    Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
                    _ => Err(Error::usage(format!("\"{p}\" is not KEY=VALUE"))
                        .with_hint("write e.g. lam env set TABLE=orders")),
                })
                .collect::<Result<Vec<_>>>()?;
            // A name Lambda refuses is that, whatever it looks like.
            for (key, _) in &pairs {
                crate::config::rules::check_env_key(key)
                    .map_err(|v| Error::config(v.message).with_hint(v.hint))?;
            }
            // lam.toml is committed and deployed as plain text: secrets go
            // to Secrets Manager.
            if !plain && let Some((key, _)) = pairs.iter().find(|(k, _)| looks_secret(k)) {
                return Err(Error::usage(format!(
                    "{key} looks like a secret, and lam.toml is plain text that is committed and deployed as is"
                ))
                .with_hint(format!(
                    "store it with `lam secrets set {key}` and add it under [secrets]; pass --plain if it is not a secret"
                )));
            }
            // KEY=- takes the value from standard input (never the command line).
            let from_stdin: Vec<usize> = (0..pairs.len()).filter(|i| pairs[*i].1 == "-").collect();
            if from_stdin.len() > 1 {
                return Err(Error::usage("only one KEY=- can read standard input")
                    .with_hint("set the others in another call"));
            }
            if let Some(i) = from_stdin.first() {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .map_err(|e| Error::local(format!("cannot read standard input: {e}")))?;
                pairs[*i].1 = text.trim_end_matches(['\n', '\r']).to_string();
            }
            if !plain
                && let Some((key, _)) = pairs
                    .iter()
                    .find(|(_, v)| crate::config::rules::value_looks_secret(v))
            {
                return Err(Error::usage(format!(
                    "the value of {key} holds a password (a URL with user:password@), and lam.toml is plain text that is committed and deployed as is"
                ))
                .with_hint(format!(
                    "store it with `lam secrets set {key}` and add it under [secrets]; pass --plain if it is not a secret"
                )));
            }
            let keys: Vec<String> = pairs.iter().map(|(k, _)| k.clone()).collect();
            edit_file(ctx, "Set", &keys, |text, stage| {
                edit::set_env(text, stage, &pairs)
            })
        }
        EnvCommand::Unset { keys } => edit_file(ctx, "Removed", &keys.clone(), |text, stage| {
            edit::unset_env(text, stage, &keys)
        }),
    }
}

fn edit_file(
    ctx: &Context,
    verb: &str,
    keys: &[String],
    change: impl FnOnce(&str, Option<&str>) -> Result<(String, String)>,
) -> Result<()> {
    let file = config::find_file(&ctx.cwd)?;
    let text = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
    let stage = ctx.global.stage.as_deref();
    let (new_text, table) = change(&text, stage)?;
    let label = config::display_path(&file, &ctx.cwd);
    edit::write_validated(&file, &label, &new_text, stage)?;
    if ctx.ui.json {
        ctx.ui.print_value(&Edited {
            file: &label,
            table: &table,
            keys,
        });
    } else {
        ctx.ui.info(format!(
            "{verb} {} in [{table}] of {label}",
            keys.join(", ")
        ));
    }
    Ok(())
}

async fn deployed_env(
    ctx: &Context<'_>,
    project: &Project,
) -> Result<Vec<Option<BTreeMap<String, String>>>> {
    let aws = ctx.aws(Some(project)).await?;
    let lambda = Lambda::new(&aws);
    let mut out = Vec::new();
    for f in &project.functions {
        out.push(lambda.get(&f.name).await?.map(|d| d.settings.env));
    }
    Ok(out)
}

async fn list(ctx: &Context<'_>, remote: bool, show_values: bool) -> Result<()> {
    let project = ctx.project()?;
    let sets: Vec<Option<BTreeMap<String, String>>> = if remote {
        deployed_env(ctx, &project).await?
    } else {
        project
            .functions
            .iter()
            .map(|f| Some(listed_env(ctx, f)))
            .collect()
    };
    let several = project.functions.len() > 1;
    let mut doc = Vec::new();
    for (f, env) in project.functions.iter().zip(sets) {
        let Some(env) = env else {
            if !ctx.ui.json {
                crate::terminal::print(format!("# {} is not deployed", f.name));
            }
            doc.push(Listed {
                function: &f.key,
                deployed: Some(false),
                env: None,
            });
            continue;
        };
        let masked: BTreeMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.clone(), shown(k, v, show_values)))
            .collect();
        if !ctx.ui.json {
            if several {
                crate::terminal::print(format!("# {}", f.key));
            }
            for (k, v) in &masked {
                crate::terminal::print(format!("{k}={v}"));
            }
        }
        doc.push(Listed {
            function: &f.key,
            deployed: None,
            env: Some(masked),
        });
    }
    if ctx.ui.json {
        ctx.ui.print_value(&Listing {
            stage: &project.stage,
            remote,
            functions: doc,
        });
    }
    Ok(())
}

/// A function's env as a local run would have it: `${VAR}` filled in from
/// the shell, except that a value whose variable is not set, or looks like
/// a credential, is shown as lam.toml writes it (with a note), instead of
/// failing the listing.
fn listed_env(ctx: &Context<'_>, function: &crate::config::Function) -> BTreeMap<String, String> {
    use crate::config::interpolate;
    let lookup = |name: &str| std::env::var(name).ok();
    let mut out = BTreeMap::new();
    for (key, value) in &function.env {
        let one = BTreeMap::from([(key.clone(), value.clone())]);
        let vars = interpolate::references(&one)
            .remove(key)
            .unwrap_or_default();
        if let Some(var) = vars
            .iter()
            .find(|v| crate::config::rules::is_credential_variable(v))
        {
            ctx.ui.info(format!(
                "note: {key} is shown as lam.toml writes it: lam does not read ${{{var}}}, which looks like a credential, from the shell into a listing"
            ));
            out.insert(key.clone(), value.clone());
            continue;
        }
        match interpolate::expand_all(&one, &lookup) {
            Ok(mut expanded) => {
                out.insert(key.clone(), expanded.remove(key).unwrap_or_default());
            }
            Err(unset) => {
                let var = unset.first().map(|u| u.var.clone()).unwrap_or_default();
                ctx.ui.info(format!(
                    "note: {key} is shown as lam.toml writes it: ${{{var}}} is not set in this shell (deploys and local runs need it)"
                ));
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// The environment part of the deploy plan: the keys a deploy would add,
/// change and remove (with `[secrets]` as their `<NAME>_SECRET_ARN`).
async fn diff(ctx: &Context<'_>, show_values: bool) -> Result<()> {
    use crate::plan::actual::{Actual, Scope, full_env};
    use crate::plan::desired::{CodeSpec, Desired};

    let project = ctx.project_with_env()?;
    let aws = ctx.aws(Some(&project)).await?;
    let reads = project.functions.iter().map(|f| {
        // The code is not compared here.
        let code = CodeSpec {
            sha256: String::new(),
            size: 0,
            unzipped: 0,
        };
        let desired = Desired::deploy(&project, f, code, None);
        let aws = &aws;
        async move {
            let actual = Actual::read(aws, &desired, Scope::Function).await?;
            Ok::<_, Error>((desired, actual))
        }
    });
    let states = crate::plan::actual::read_each(reads)
        .await
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    let mut doc = Vec::new();
    for (f, (desired, actual)) in project.functions.iter().zip(states) {
        let local = full_env(&f.env, &actual.secrets);
        let remote = actual
            .function
            .as_ref()
            .map(|d| d.settings.env.clone())
            .unwrap_or_default();
        let plan = crate::plan::diff::diff(&desired, &actual);
        let change = match &actual.function {
            Some(_) => plan.env_change().cloned(),
            None => crate::plan::diff::env_change(&remote, &local),
        };
        let (added, changed, removed) = change
            .map(|c| (c.added, c.changed, c.removed))
            .unwrap_or_default();
        let added: BTreeMap<&String, String> = added
            .iter()
            .filter_map(|k| local.get_key_value(k))
            .map(|(k, v)| (k, shown(k, v, show_values)))
            .collect();
        let changed: BTreeMap<&String, FromTo> = changed
            .iter()
            .filter_map(|k| {
                let (key, new) = local.get_key_value(k)?;
                let old = remote.get(k)?;
                Some((
                    key,
                    FromTo {
                        from: shown(k, old, show_values),
                        to: shown(k, new, show_values),
                    },
                ))
            })
            .collect();
        if !ctx.ui.json {
            if project.functions.len() > 1 {
                crate::terminal::print(format!("# {}", f.key));
            }
            for (k, v) in &added {
                crate::terminal::print(format!("+ {k}={v}"));
            }
            for (k, v) in &changed {
                crate::terminal::print(format!("~ {k}: {} -> {}", v.from, v.to));
            }
            for k in &removed {
                crate::terminal::print(format!("- {k}"));
            }
            if added.is_empty() && changed.is_empty() && removed.is_empty() {
                ctx.ui.info(format!("{}: no difference", f.name));
            }
        }
        doc.push(EnvDiff {
            function: f.key.clone(),
            added: added.into_iter().map(|(k, v)| (k.clone(), v)).collect(),
            changed: changed.into_iter().map(|(k, v)| (k.clone(), v)).collect(),
            removed,
        });
    }
    if ctx.ui.json {
        ctx.ui.print_value(&EnvDiffs {
            stage: &project.stage,
            functions: doc,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_keys_are_masked() {
        assert!(looks_secret("DB_PASSWORD"));
        assert!(looks_secret("stripe_api_key"));
        assert!(looks_secret("GITHUB_TOKEN"));
        assert!(!looks_secret("TABLE_NAME"));
        // Whole words, not parts of others.
        for secret in [
            "MYSQL_PWD",
            "SMTP_PASS",
            "GITHUB_PAT",
            "STRIPE_APIKEY",
            "gpg-passphrase",
        ] {
            assert!(looks_secret(secret), "{secret}");
        }
        for plain in ["PATH", "PASSENGER_COUNT", "PATTERN", "PWDLESS_MODE_X"] {
            assert!(!looks_secret(plain), "{plain}");
        }
        use crate::config::rules::value_looks_secret;
        assert!(value_looks_secret("postgres://app:hunter2@db:5432/shop"));
        assert!(value_looks_secret("redis://:s3cret@cache:6379/0"));
        assert!(!value_looks_secret("postgres://app@db/shop"));
        assert!(!value_looks_secret("https://example.com/a:b@c"));
        assert!(!value_looks_secret("orders"));
        assert_eq!(shown("DB_PASSWORD", "x", false), "********");
        assert_eq!(shown("DB_PASSWORD", "x", true), "x");
        assert_eq!(shown("TABLE", "orders", false), "orders");
        assert_eq!(
            shown("DATABASE_URL", "pg://app:hunter2@db:5432/x", false),
            "pg://app:********@db:5432/x"
        );
        assert_eq!(
            shown("SITE", "https://example.com/a@b", false),
            "https://example.com/a@b"
        );
        assert_eq!(
            shown("SITE", "https://user@example.com/", false),
            "https://user@example.com/"
        );
    }
}
