//! `lam build`: package each function into .lam/build/<function>.zip.

use serde_json::json;

use crate::cli::BuildArgs;
use crate::commands::Context;
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
    for function in functions {
        super::warn_unapplied(ctx.ui, function);
        let step = ctx.ui.step(format!("Packaged {}", function.key));
        let pkg = package::build(&project.root, function)?;
        let rel = pkg
            .path
            .strip_prefix(&project.root)
            .unwrap_or(&pkg.path)
            .display()
            .to_string();
        step.done(format!(
            "{rel}, {} files, {}",
            pkg.files,
            format_size(pkg.bytes.len() as u64)
        ));
        if !ctx.ui.json && !ctx.ui.quiet {
            ctx.ui.info(format!("  CodeSha256 {}", pkg.sha256));
        }
        built.push(json!({
            "function": function.key,
            "path": pkg.path.display().to_string(),
            "size": pkg.bytes.len(),
            "unzipped_size": pkg.unzipped_size,
            "files": pkg.files,
            "sha256": pkg.sha256,
        }));
    }
    if ctx.ui.json {
        ctx.ui.print_json(&json!({ "packages": built }));
    }
    Ok(())
}

fn list(ctx: &Context, functions: &[&crate::config::Function]) -> Result<()> {
    let mut all = Vec::new();
    for function in functions {
        let entries = package::collect(function)?;
        for e in &entries {
            if !ctx.ui.json {
                println!("{}", e.name);
            }
        }
        all.push(json!({
            "function": function.key,
            "files": entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
        }));
    }
    if ctx.ui.json {
        ctx.ui.print_json(&json!({ "packages": all }));
    }
    Ok(())
}
