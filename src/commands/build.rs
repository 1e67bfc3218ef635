//! `lam build`: package each function into .lam/build/<function>.zip.

use serde_json::{Value, json};

use crate::cli::BuildArgs;
use crate::commands::Context;
use crate::config::Function;
use crate::error::Result;
use crate::package;
use crate::ui::format_size;

pub fn run(ctx: &Context, args: BuildArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    if args.list {
        return list(ctx, &functions);
    }
    let mut built = Vec::new();
    for function in &functions {
        let step = ctx.ui.step(format!("Packaged {}", function.key));
        let pkg = package::build(&project.root, function, ctx.ui)?;
        let rel = pkg
            .path
            .strip_prefix(&project.root)
            .unwrap_or(&pkg.path)
            .display()
            .to_string();
        let deps = match pkg.dependencies {
            Some(how) => format!(", dependencies {how}"),
            None => String::new(),
        };
        step.done(format!(
            "{rel}, {} files, {}{deps}",
            pkg.files,
            format_size(pkg.bytes.len() as u64)
        ));
        if !ctx.ui.json {
            ctx.ui.info(format!("  CodeSha256 {}", pkg.sha256));
        }
        if pkg.bytes.len() as u64 > package::DIRECT_UPLOAD_LIMIT {
            ctx.ui.warn(format!(
                "{} is {}, over Lambda's 50 MB limit for direct uploads: `lam deploy` must upload it through S3",
                function.key,
                format_size(pkg.bytes.len() as u64)
            ));
        }
        built.push(json!({
            "function": function.key,
            "path": pkg.path.display().to_string(),
            "size": pkg.bytes.len(),
            "unzipped_size": pkg.unzipped_size,
            "files": pkg.files,
            "sha256": pkg.sha256,
            "dependencies": pkg.dependencies,
        }));
    }
    if ctx.ui.json {
        ctx.ui.print_json(&one_or_many(built));
    }
    Ok(())
}

/// One function: its object. Several: `{"packages": [...]}`.
fn one_or_many(mut items: Vec<Value>) -> Value {
    if items.len() == 1 {
        items.remove(0)
    } else {
        json!({ "packages": items })
    }
}

/// The files that go in on stdout; what is left out, and why, on stderr.
fn list(ctx: &Context, functions: &[&Function]) -> Result<()> {
    let mut all = Vec::new();
    for function in functions {
        let selection = package::selection(function)?;
        if !ctx.ui.json {
            for e in &selection.files {
                println!("{}", e.name);
            }
            for x in &selection.excluded {
                ctx.ui.info(format!("excluded {} ({})", x.path, x.reason));
            }
        }
        all.push(json!({
            "function": function.key,
            "files": selection.files.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
            "excluded": selection.excluded.iter().map(|x| json!({ "path": x.path, "reason": x.reason })).collect::<Vec<_>>(),
        }));
    }
    if ctx.ui.json {
        ctx.ui.print_json(&one_or_many(all));
    }
    Ok(())
}
