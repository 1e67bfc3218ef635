//! `lam test`: the project's own tests, run the way its handlers run
//! locally. A new project's tests need the function's dependencies, the SDK
//! the runtime provides and a test runner; on a fresh machine none of them
//! is installed, and `python -m pytest tests` fails. The steps:
//! 1. each function's source directory, once per language;
//! 2. Python: the interpreter local runs take, the requirements installed
//!    for it (lam's cache, as `lam invoke --local` has them), boto3 as the
//!    runtime has it, and pytest (the interpreter's own, else one lam
//!    installs into its cache); then `python -m pytest`;
//! 3. Node.js: `node --test`, with the installed dependencies and the
//!    runtime's AWS SDK on NODE_PATH;
//! 4. a failing run fails the command (exit 1), after every directory ran.
//!
//! Installs run as every lam install does: credential-free. The tests are
//! the project's own code, run because the user asked for them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::TestArgs;
use crate::commands::Context;
use crate::config::rules::Language;
use crate::config::{Function, Project};
use crate::error::{Error, Result};

/// The pytest lam installs when the interpreter has none.
pub const PYTEST_VERSION: &str = "9.2.0";

/// What `lam test --output json` prints (the runners' own reports go to
/// stderr then).
#[derive(Debug, serde::Serialize)]
struct Report {
    passed: bool,
    functions: Vec<Ran>,
}

#[derive(Debug, serde::Serialize)]
struct Ran {
    function: String,
    runner: &'static str,
    passed: bool,
}

pub fn run(ctx: &Context<'_>, args: TestArgs) -> Result<()> {
    let project = ctx.project()?;
    let functions = project.select(args.function.as_deref())?;
    let mut done: Vec<(PathBuf, Language)> = Vec::new();
    let mut failed = Vec::new();
    let mut report = Vec::new();
    let mut ran = 0;
    for function in functions {
        let source = project.root.join(&function.source);
        let language = function.language();
        if done.iter().any(|(s, l)| *s == source && *l == language) {
            continue;
        }
        done.push((source.clone(), language));
        let passed = match language {
            Language::Python => python(ctx, &project, function, &source, &args.args)?,
            Language::Node => node(ctx, &project, function, &source, &args.args)?,
            Language::Other => {
                ctx.ui.info(format!(
                    "{}: lam runs no tests for {}",
                    function.key, function.runtime
                ));
                None
            }
        };
        if let Some(ok) = passed {
            ran += 1;
            report.push(Ran {
                function: function.key.clone(),
                runner: if language == Language::Node {
                    "node --test"
                } else {
                    "pytest"
                },
                passed: ok,
            });
            if !ok {
                failed.push(function.key.clone());
            }
        }
    }
    if ctx.ui.json {
        ctx.ui.print_value(&Report {
            passed: failed.is_empty(),
            functions: report,
        });
    }
    if !failed.is_empty() {
        return Err(
            Error::function(format!("tests failed: {}", failed.join(", "))).with_hint(
                "the test runner's output above names each failure; `lam test -- -x` stops at the first",
            ),
        );
    }
    if ran == 0 {
        ctx.ui
            .info("no tests found (Python: tests/; Node.js: test/ or *.test.mjs)");
    }
    Ok(())
}

/// None when there is nothing to run.
fn python(
    ctx: &Context<'_>,
    project: &Project,
    function: &Function,
    source: &Path,
    extra: &[String],
) -> Result<Option<bool>> {
    if extra.is_empty() && !source.join("tests").is_dir() {
        return Ok(None);
    }
    let python =
        crate::interpreter::python_for(&project.root, &function.source, Some(&function.runtime))?;
    let quiet = ctx.ui.quiet || ctx.ui.json;
    let mut path = vec![source.to_path_buf()];
    path.extend(crate::local::python_deps(project, function, &python)?);
    path.extend(crate::local::sdk::python_sdk_path(
        &python,
        &function.runtime,
        quiet,
    ));
    if !crate::interpreter::python_has_module(&python, "pytest") {
        let tag =
            crate::interpreter::python_version_probed(&python).unwrap_or_else(|| "python".into());
        let dir = crate::package::tools::cache_dir()?
            .join("pytest")
            .join(format!("{PYTEST_VERSION}-py{tag}"));
        path.push(
            crate::package::tools::pip_install_into(
                &python,
                &format!("pytest=={PYTEST_VERSION}"),
                &dir,
                |d| d.join("pytest").is_dir(),
                quiet,
            )
            .map_err(|e| {
                e.with_hint(
                    "install pytest yourself in the project's environment: pip install pytest",
                )
            })?,
        );
    }
    let mut cmd = Command::new(&python);
    // No cache directory or bytecode written into the project.
    cmd.args(["-m", "pytest", "-p", "no:cacheprovider"])
        .current_dir(source)
        .env("PYTHONPATH", join(&path)?)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    if extra.is_empty() {
        cmd.arg("tests");
    } else {
        cmd.args(extra);
    }
    say_runner(ctx, function, "pytest", &python);
    run_visible(cmd, "pytest", ctx.ui.json).map(Some)
}

fn node(
    ctx: &Context<'_>,
    project: &Project,
    function: &Function,
    source: &Path,
    extra: &[String],
) -> Result<Option<bool>> {
    let has_tests = source.join("test").is_dir()
        || source.join("tests").is_dir()
        || std::fs::read_dir(source).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.contains(".test.") || name.contains("-test.") || name.contains("_test.")
            })
        });
    if extra.is_empty() && !has_tests {
        return Ok(None);
    }
    let node = crate::interpreter::node()?;
    let quiet = ctx.ui.quiet || ctx.ui.json;
    let mut path: Vec<PathBuf> = Vec::new();
    path.extend(crate::local::node_tree(project, function)?);
    path.extend(crate::local::sdk::node_sdk_path(source, quiet));
    let mut cmd = Command::new(&node);
    cmd.arg("--test").current_dir(source);
    if !path.is_empty() {
        cmd.env("NODE_PATH", join(&path)?);
    }
    cmd.args(extra);
    say_runner(ctx, function, "node --test", &node);
    run_visible(cmd, "node --test", ctx.ui.json).map(Some)
}

/// Which runner tests `function`, and with what. The path is made of
/// project directory names: escaped.
fn say_runner(ctx: &Context<'_>, function: &Function, runner: &str, program: &Path) {
    if !ctx.ui.quiet {
        eprintln!(
            "{}: {runner} with {}",
            function.key,
            crate::terminal::escape(&program.display().to_string())
        );
    }
}

fn join(paths: &[PathBuf]) -> Result<std::ffi::OsString> {
    std::env::join_paths(paths)
        .map_err(|e| Error::local(format!("a path cannot go on a search path: {e}")))
}

/// Runs the test runner with the terminal's stdout and stderr: its report
/// is the result. With `--output json`, its report goes to stderr, and
/// stdout keeps the one JSON document.
fn run_visible(mut cmd: Command, what: &str, json: bool) -> Result<bool> {
    if json {
        cmd.stdout(crate::local::stderr_stdio());
    }
    let status = cmd
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| Error::local(format!("cannot run {what}: {e}")))?;
    outcome(status, what)
}

/// Passed, failed, or interrupted: Ctrl-C reaches the runner too, which
/// dies by SIGINT (node) or exits 2, pytest's "interrupted by the user".
/// That is exit 130, not "tests failed".
fn outcome(status: std::process::ExitStatus, what: &str) -> Result<bool> {
    use std::os::unix::process::ExitStatusExt;
    let interrupted =
        status.signal() == Some(libc::SIGINT) || (what == "pytest" && status.code() == Some(2));
    if interrupted {
        return Err(Error::interrupted(format!("{what} was interrupted")));
    }
    Ok(status.success())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn ctrl_c_is_an_interruption_not_a_failure() {
        let exited = |code: i32| std::process::ExitStatus::from_raw(code << 8);
        let killed = std::process::ExitStatus::from_raw(libc::SIGINT);
        assert!(outcome(exited(0), "pytest").unwrap());
        assert!(!outcome(exited(1), "pytest").unwrap());
        assert_eq!(
            outcome(exited(2), "pytest").unwrap_err().kind.exit_code(),
            130
        );
        assert_eq!(
            outcome(killed, "node --test").unwrap_err().kind.exit_code(),
            130
        );
        // node's own exit 2 is not pytest's.
        assert!(!outcome(exited(2), "node --test").unwrap());
    }
}
