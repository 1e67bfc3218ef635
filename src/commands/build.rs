//! `lam build`: package each function into .lam/build/<function>.zip.

use serde::Serialize;

use crate::cli::BuildArgs;
use crate::commands::Context;
use crate::config::Function;
use crate::error::Result;
use crate::package;
use crate::ui::format_size;

/// One package, as `--output json` reports it.
#[derive(Debug, Serialize)]
struct Built {
    function: String,
    path: String,
    size: usize,
    unzipped_size: u64,
    files: usize,
    sha256: String,
    dependencies: Option<&'static str>,
    /// What installed them (`uv (PATH)`, `pip`, `npm`...).
    installer: Option<String>,
    /// The dependencies' own layer zip, when they are not in the package.
    layer: Option<BuiltLayer>,
}

#[derive(Debug, Serialize)]
struct BuiltLayer {
    path: String,
    size: u64,
    unzipped_size: u64,
    sha256: String,
}

/// `build --list --output json`: what goes in, and what is left out and why.
#[derive(Debug, Serialize)]
struct Listed {
    function: String,
    files: Vec<String>,
    excluded: Vec<ListedOut>,
    /// What the runtime provides and the zip therefore leaves out.
    runtime_provides: Vec<String>,
    /// The installed dependencies the package holds (from lam's cache);
    /// null without dependency files.
    dependencies: Option<package::DependencyFiles>,
    /// Dependency files are declared but not installed yet.
    dependencies_not_installed: bool,
}

#[derive(Debug, Serialize)]
struct ListedOut {
    path: String,
    reason: String,
}

/// One function: its object. Several: `{"packages": [...]}`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many { packages: Vec<T> },
}

impl<T> OneOrMany<T> {
    fn of(mut items: Vec<T>) -> Self {
        if items.len() == 1 {
            OneOrMany::One(items.remove(0))
        } else {
            OneOrMany::Many { packages: items }
        }
    }
}

pub fn run(ctx: &Context, args: BuildArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    if args.list {
        return list(ctx, &project.root, &functions);
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
        let deps = match (pkg.dependencies, &pkg.installer) {
            (Some(how), Some(by)) => format!(", dependencies {how} by {by}"),
            (Some(how), None) => format!(", dependencies {how}"),
            _ => String::new(),
        };
        step.done(format!(
            "{rel}, {} files, {}{deps}",
            pkg.files,
            format_size(pkg.bytes.len() as u64)
        ));
        if !ctx.ui.json {
            ctx.ui.info(format!("  CodeSha256 {}", pkg.sha256));
            if let Some(layer) = &pkg.layer {
                ctx.ui.info(format!(
                    "  dependencies in a layer: {}, {} ({} unzipped)",
                    layer
                        .path
                        .strip_prefix(&project.root)
                        .unwrap_or(&layer.path)
                        .display(),
                    format_size(layer.size),
                    format_size(layer.unzipped_size)
                ));
            }
        }
        if pkg.bytes.len() as u64 > package::DIRECT_UPLOAD_LIMIT {
            ctx.ui.warn(format!(
                "{} is {}, over Lambda's 50 MB limit for direct uploads: `lam deploy` must upload it through S3",
                function.key,
                format_size(pkg.bytes.len() as u64)
            ));
        }
        built.push(Built {
            function: function.key.clone(),
            path: pkg.path.display().to_string(),
            size: pkg.bytes.len(),
            unzipped_size: pkg.unzipped_size,
            files: pkg.files,
            sha256: pkg.sha256.clone(),
            dependencies: pkg.dependencies,
            installer: pkg.installer.clone(),
            layer: pkg.layer.as_ref().map(|l| BuiltLayer {
                path: l.path.display().to_string(),
                size: l.size,
                unzipped_size: l.unzipped_size,
                sha256: l.sha256.clone(),
            }),
        });
    }
    if ctx.ui.json {
        ctx.ui.print_value(&OneOrMany::of(built));
    }
    Ok(())
}

/// The files that go in on stdout; what is left out, and why, on stderr.
/// The SDK the function's runtime provides that its dependencies do not
/// list: Python runtimes ship boto3 and botocore, Node.js 18 and later the
/// AWS SDK for JavaScript v3 (`@aws-sdk/*`).
fn runtime_provides(function: &Function) -> Vec<String> {
    let read = |name: &str| std::fs::read_to_string(function.source.join(name)).unwrap_or_default();
    match function.language() {
        crate::config::rules::Language::Python => {
            let listed = read("requirements.txt").to_ascii_lowercase()
                + &read("pyproject.toml").to_ascii_lowercase();
            ["boto3", "botocore"]
                .iter()
                .filter(|p| {
                    !listed
                        .lines()
                        .any(|l| l.trim_start().trim_start_matches('"').starts_with(*p))
                })
                .map(|p| p.to_string())
                .collect()
        }
        crate::config::rules::Language::Node => {
            let listed = read("package.json");
            if listed.contains("\"@aws-sdk/") {
                Vec::new()
            } else {
                vec!["@aws-sdk/* (AWS SDK for JavaScript v3)".to_string()]
            }
        }
        crate::config::rules::Language::Other => Vec::new(),
    }
}

fn list(ctx: &Context, root: &std::path::Path, functions: &[&Function]) -> Result<()> {
    let mut all = Vec::new();
    for function in functions {
        let selection = package::selection(function)?;
        // What the dependency install put in the package: from the cache,
        // nothing is installed to list it.
        let (dependencies, not_installed) = match package::dependency_files(root, function) {
            Ok(d) => (d, false),
            Err(e) if e.is(crate::error::Cause::NotFound) => (None, true),
            Err(e) => return Err(e),
        };
        if !ctx.ui.json {
            for e in &selection.files {
                println!("{}", e.name);
            }
            if let Some(d) = &dependencies {
                // Names from a package index: escaped before a terminal.
                for f in &d.files {
                    crate::terminal::print(f);
                }
                ctx.ui.info(format!(
                    "{} dependency files (installed with {}){}",
                    d.files.len(),
                    d.installer,
                    if d.in_layer {
                        ", in the dependency layer, not the function's zip"
                    } else {
                        ", in the zip"
                    }
                ));
            }
            if not_installed {
                ctx.ui.info(format!(
                    "{}'s dependencies are not installed yet: `lam build` installs them, then --list shows their files",
                    function.key
                ));
            }
            for x in &selection.excluded {
                ctx.ui.info(format!("excluded {} ({})", x.path, x.reason));
            }
        }
        let provided = runtime_provides(function);
        if !ctx.ui.json && !provided.is_empty() {
            ctx.ui.info(format!(
                "not packaged: {}, which the {} runtime provides (list it among the dependencies to pin a version of your own)",
                provided.join(", "),
                function.runtime
            ));
        }
        all.push(Listed {
            dependencies,
            dependencies_not_installed: not_installed,
            runtime_provides: provided,
            function: function.key.clone(),
            files: selection.files.iter().map(|e| e.name.clone()).collect(),
            excluded: selection
                .excluded
                .iter()
                .map(|x| ListedOut {
                    path: x.path.clone(),
                    reason: x.reason.clone(),
                })
                .collect(),
        });
    }
    if ctx.ui.json {
        ctx.ui.print_value(&OneOrMany::of(all));
    }
    Ok(())
}
