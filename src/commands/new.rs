//! `lam new`: a working project from an embedded template.

use std::path::Path;

use serde::Serialize;

use crate::cli::{ApiKindArg, NewArgs};
use crate::commands::Context;
use crate::config::rules::{self, Language};
use crate::error::{Error, Result};
use crate::templates;

pub(crate) const DEFAULT_PYTHON: &str = "python3.12";
pub(crate) const DEFAULT_NODE: &str = "nodejs22.x";
const DEFAULT_SCHEDULE: &str = "rate(15 minutes)";
const DEFAULT_TEMPLATE: &str = "hello";
/// Runtimes offered by `lam new`, in the order of the prompt.
const OFFERED: &[&str] = &[
    "python3.12",
    "python3.13",
    "python3.14",
    "python3.11",
    "python3.10",
    "nodejs22.x",
    "nodejs24.x",
    "nodejs20.x",
];

/// The Python runtime of a new project: the one of this machine's Python
/// when Lambda supports it, so local runs use the interpreter Lambda will;
/// else lam's default.
fn default_python() -> String {
    let found = std::env::current_dir().ok().and_then(|dir| {
        let python = crate::interpreter::python_for(&dir, &dir, None).ok()?;
        crate::interpreter::python_version_probed(&python)
    });
    found
        .map(|version| format!("python{version}"))
        .filter(|runtime| OFFERED.contains(&runtime.as_str()))
        .unwrap_or_else(|| DEFAULT_PYTHON.to_string())
}

pub fn run(ctx: &Context, args: NewArgs) -> Result<()> {
    if args.list {
        return list(ctx);
    }
    let ui = ctx.ui;
    let name = match args.name {
        Some(n) => n,
        None => ui.input("Project name", "a NAME argument: lam new <name>")?,
    };
    check_name(&name)?;

    let runtime = match args.runtime {
        // A language name picks lam's default runtime for it.
        Some(r) if r == "python" => default_python(),
        Some(r) if r == "node" || r == "nodejs" => DEFAULT_NODE.to_string(),
        Some(r) => r,
        None if ui.interactive => {
            let items: Vec<String> = OFFERED.iter().map(|s| s.to_string()).collect();
            let python = default_python();
            let default = OFFERED.iter().position(|r| *r == python).unwrap_or(0);
            OFFERED[ui.select("Runtime", &items, default, "--runtime")?].to_string()
        }
        None => default_python(),
    };
    let language = check_runtime(&runtime)?;
    let lang_dir = match language {
        Language::Python => "python",
        _ => "node",
    };

    let catalogue = templates::catalogue();
    let offered: Vec<&templates::TemplateInfo> = catalogue
        .iter()
        .filter(|t| t.languages.iter().any(|l| l == lang_dir))
        .collect();
    let template = match args.template {
        Some(t) => t,
        None if ui.interactive && offered.len() > 1 => {
            let items: Vec<String> = offered
                .iter()
                .map(|t| format!("{:<10} {}", t.name, t.about))
                .collect();
            let default = offered
                .iter()
                .position(|t| t.name == DEFAULT_TEMPLATE)
                .unwrap_or(0);
            offered[ui.select("Template", &items, default, "--template")?]
                .name
                .clone()
        }
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let Some(info) = catalogue.iter().find(|t| t.name == template) else {
        let names: Vec<&str> = catalogue.iter().map(|t| t.name.as_str()).collect();
        return Err(
            Error::usage(format!("unknown template \"{template}\"")).with_hint(format!(
                "use one of: {} (see `lam new --list`)",
                names.join(", ")
            )),
        );
    };
    if !info.languages.iter().any(|l| l == lang_dir) {
        return Err(Error::usage(format!(
            "template \"{template}\" is not offered for {runtime}"
        ))
        .with_hint(format!("it exists for: {}", info.languages.join(", "))));
    }
    let (bucket, schedule) = trigger_settings(ui, &template, args.bucket, args.schedule)?;
    let api = api_setting(&template, args.api)?;

    let dir = ctx.resolve(&name);
    if is_non_empty_dir(&dir) && !args.force {
        let question = format!("'{name}' exists and is not empty. Write into it anyway?");
        if !ui.interactive || !ui.confirm(&question, false)? {
            return Err(
                Error::usage(format!("directory '{name}' exists and is not empty"))
                    .with_hint("choose another name, or pass --force to write into it"),
            );
        }
    } else if dir.exists() && !dir.is_dir() {
        return Err(
            Error::usage(format!("'{name}' exists and is not a directory"))
                .with_hint("choose another name"),
        );
    }

    let mut context = tera::Context::new();
    context.insert("name", &name);
    context.insert("runtime", &runtime);
    context.insert("api", api);
    context.insert("bucket", &bucket.unwrap_or_default());
    context.insert("schedule", &schedule);
    context.insert(
        "node_major",
        runtime.trim_start_matches("nodejs").trim_end_matches(".x"),
    );
    context.insert("lam_version", env!("CARGO_PKG_VERSION"));
    let files = templates::render(&template, lang_dir, &context)?;
    write_project(&dir, &files)?;

    if ui.json {
        ui.print_value(&Created {
            path: dir.display().to_string(),
            name: &name,
            runtime: &runtime,
            template: &template,
            files: files.iter().map(|(p, _)| p.clone()).collect(),
        });
    } else {
        ui.info(format!(
            "Created {name} ({runtime}, template {template}, {} files)",
            files.len()
        ));
        let first_event = files
            .iter()
            .map(|(p, _)| p.as_str())
            .find(|p| p.starts_with("events/") && p.ends_with(".json"))
            .unwrap_or("events/hello.json");
        let next = if info.name == "api" {
            format!("  cd {name} && lam serve")
        } else {
            format!("  cd {name} && lam invoke --local --event {first_event}")
        };
        ui.info(format!("Next:\n{next}"));
    }
    Ok(())
}

/// What `lam new --output json` prints.
#[derive(Debug, Serialize)]
struct Created<'a> {
    path: String,
    name: &'a str,
    runtime: &'a str,
    template: &'a str,
    files: Vec<String>,
}

/// `lam new --list --output json`.
#[derive(Serialize)]
struct Catalogue<'a> {
    templates: &'a [templates::TemplateInfo],
}

fn list(ctx: &Context) -> Result<()> {
    let catalogue = templates::catalogue();
    if ctx.ui.json {
        ctx.ui.print_value(&Catalogue {
            templates: &catalogue,
        });
    } else {
        for t in &catalogue {
            println!("{:<10} {:<13} {}", t.name, t.languages.join(", "), t.about);
        }
    }
    Ok(())
}

/// A project name becomes a directory and part of function names.
fn check_name(name: &str) -> Result<()> {
    if name.contains('/') || name.contains('\\') || name == ".." || name == "." {
        return Err(
            Error::usage(format!("project name \"{name}\" is a path, not a name")).with_hint(
                "give a plain name such as `hello`; run lam new from the parent directory",
            ),
        );
    }
    rules::check_identifier("project name", name)
        .map_err(|v| Error::usage(v.message).with_hint(v.hint))
}

/// The trigger settings of the templates that have one: the bucket of
/// s3-image and the schedule of scheduled, from flags or prompts.
/// The templates whose lam.toml writes `[api]` from `--api`.
const API_TEMPLATES: &[&str] = &["api", "hello"];

/// What `--api` writes: honoured by the templates that have an endpoint,
/// refused (not ignored) by the others; the api template serves HTTP, so
/// `--api none` is refused there and its default is a REST API.
fn api_setting(template: &str, api: Option<ApiKindArg>) -> Result<&'static str> {
    let kind = |a: ApiKindArg| match a {
        ApiKindArg::Rest => "rest",
        ApiKindArg::Http => "http",
        ApiKindArg::Url => "url",
        ApiKindArg::None => "none",
    };
    match (template, api) {
        ("api", None) => Ok("rest"),
        ("api", Some(ApiKindArg::None)) => Err(Error::usage(
            "the api template is an HTTP API: --api none leaves it without one",
        )
        .with_hint("pass --api rest, http or url, or choose another --template")),
        (t, Some(a)) if !API_TEMPLATES.contains(&t) && a != ApiKindArg::None => Err(Error::usage(
            format!("--api is for the api and hello templates, not {t}"),
        )
        .with_hint(format!(
            "leave --api out, and add [api] kind = \"{}\" to lam.toml later if {t} needs an endpoint",
            kind(a)
        ))),
        (_, a) => Ok(kind(a.unwrap_or(ApiKindArg::None))),
    }
}

fn trigger_settings(
    ui: &crate::ui::Ui,
    template: &str,
    bucket: Option<String>,
    schedule: Option<String>,
) -> Result<(Option<String>, String)> {
    if bucket.is_some() && template != "s3-image" {
        return Err(Error::usage("--bucket is for the s3-image template")
            .with_hint("pass --template s3-image, or leave --bucket out"));
    }
    if schedule.is_some() && template != "scheduled" {
        return Err(Error::usage("--schedule is for the scheduled template")
            .with_hint("pass --template scheduled, or leave --schedule out"));
    }
    let bucket = match bucket {
        Some(b) => Some(b),
        None if template == "s3-image" && ui.interactive => {
            let b = ui.input(
                "Bucket whose uploads/ invoke the function (empty: decide later)",
                "--bucket",
            )?;
            (!b.trim().is_empty()).then(|| b.trim().to_string())
        }
        None => None,
    };
    if let Some(b) = &bucket {
        rules::check_bucket_name(b)
            .map_err(|v| Error::usage(format!("--bucket: {}", v.message)).with_hint(v.hint))?;
    }
    let schedule = match schedule {
        Some(s) => s,
        None if template == "scheduled" && ui.interactive => {
            let s = ui.input("Schedule (empty: rate(15 minutes))", "--schedule")?;
            if s.trim().is_empty() {
                DEFAULT_SCHEDULE.to_string()
            } else {
                s.trim().to_string()
            }
        }
        None => DEFAULT_SCHEDULE.to_string(),
    };
    rules::check_schedule(&schedule)
        .map_err(|v| Error::usage(format!("--schedule: {}", v.message)).with_hint(v.hint))?;
    Ok((bucket, schedule))
}

fn check_runtime(runtime: &str) -> Result<Language> {
    rules::check_runtime(runtime).map_err(|v| Error::usage(v.message).with_hint(v.hint))?;
    match rules::language(runtime) {
        Language::Other => Err(
            Error::usage(format!("lam new has no templates for {runtime}")).with_hint(format!(
                "use a Python or Node.js runtime, e.g. {DEFAULT_PYTHON} or {DEFAULT_NODE}"
            )),
        ),
        lang => Ok(lang),
    }
}

fn is_non_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// Writes every file, or nothing: a new project is assembled in a temporary
/// directory beside its destination and renamed into place.
fn write_project(dir: &Path, files: &[(String, String)]) -> Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let fresh = !dir.exists();
    let staging = if fresh {
        Some(
            tempfile::Builder::new()
                .prefix(".lam-new-")
                .tempdir_in(parent)
                .map_err(|e| Error::io("write in", parent, e))?,
        )
    } else {
        None
    };
    let target = staging.as_ref().map(|t| t.path()).unwrap_or(dir);
    for (rel, content) in files {
        let path = target.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io("create", p, e))?;
        }
        std::fs::write(&path, content).map_err(|e| Error::io("write", &path, e))?;
    }
    if let Some(staging) = staging {
        let tmp = staging.keep();
        std::fs::rename(&tmp, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            Error::io("create", dir, e)
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_not_be_paths() {
        assert!(check_name("hello").is_ok());
        assert!(
            check_name("a/b")
                .unwrap_err()
                .to_string()
                .contains("is a path")
        );
        assert!(check_name("..").is_err());
        assert!(check_name("has space").is_err());
    }

    #[test]
    fn runtimes_without_templates_are_refused() {
        assert_eq!(check_runtime("python3.12").unwrap(), Language::Python);
        assert_eq!(check_runtime("nodejs22.x").unwrap(), Language::Node);
        assert!(
            check_runtime("java21")
                .unwrap_err()
                .to_string()
                .contains("no templates")
        );
        assert!(check_runtime("python2.7").is_err());
    }
}
