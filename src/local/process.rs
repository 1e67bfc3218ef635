//! Starting a runtime process: which program, with which environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::process::Command;

use super::Options;
use crate::config::rules::Language;
use crate::config::{Function, Project};
use crate::error::{Error, Result};
use crate::interpreter;

const PYTHON_BOOTSTRAP: &str = include_str!("bootstrap.py");
const PYTHON_LAUNCHER: &str = include_str!("bootstrap_launcher.py");
const NODE_BOOTSTRAP: &str = include_str!("bootstrap.mjs");

/// The command that runs `function`'s runtime: lam's bootstrap for its
/// language, or the official runtime interface client with `--ric`.
pub fn command(project: &Project, function: &Function, opts: &Options) -> Result<Command> {
    match function.language() {
        Language::Python => {
            let python =
                interpreter::python_for(&project.root, &function.source, Some(&function.runtime))?;
            let mut cmd = Command::new(python);
            if opts.profile_init {
                cmd.args(["-X", "importtime"]);
            }
            if opts.debug.is_some() {
                // Frozen standard modules hide lines from the debugger
                // (debugpy warns and asks for this, Python 3.11 and later).
                cmd.args(["-X", "frozen_modules=off"]).arg(write_bootstrap(
                    &project.root,
                    "debug_launcher.py",
                    super::debug::PYTHON_LAUNCHER,
                )?);
            }
            if opts.ric {
                // Missing, the official client would fail as the handler's
                // own error: said as what it is, before anything runs.
                let program = cmd.as_std().get_program().to_os_string();
                if !has_awslambdaric(&program) {
                    return Err(Error::local(
                        "--ric needs awslambdaric, the official Python runtime client, which this interpreter does not have",
                    )
                    .with_hint(format!(
                        "install it: {} -m pip install awslambdaric (or leave --ric out to use lam's bootstrap)",
                        Path::new(&program).display()
                    )));
                }
                cmd.args(["-m", "awslambdaric", &function.handler]);
            } else {
                // The runtime is a module beside its launcher, so Python
                // caches its compiled form.
                write_bootstrap(&project.root, "_lam_runtime/__init__.py", "")?;
                write_bootstrap(&project.root, "_lam_runtime/bootstrap.py", PYTHON_BOOTSTRAP)?;
                cmd.arg(write_bootstrap(
                    &project.root,
                    "bootstrap.py",
                    PYTHON_LAUNCHER,
                )?);
            }
            Ok(cmd)
        }
        Language::Node => {
            let node = interpreter::node()?;
            warn_node_once(function, &node);
            let mut cmd = Command::new(node);
            if opts.debug.is_some() {
                // The inspector's WebSocket address (its random id) is not
                // listed over HTTP: lam's front lists it, to the same user.
                cmd.arg("--inspect-publish-uid=stderr");
                cmd.arg("--require").arg(write_bootstrap(
                    &project.root,
                    "debug.cjs",
                    super::debug::NODE_PRELOAD,
                )?);
            }
            if opts.ric {
                cmd.args([
                    node_ric(project, function)?.as_os_str(),
                    function.handler.as_ref(),
                ]);
            } else {
                cmd.arg(write_bootstrap(
                    &project.root,
                    "bootstrap.mjs",
                    NODE_BOOTSTRAP,
                )?);
            }
            Ok(cmd)
        }
        Language::Other => Err(Error::local(format!(
            "lam cannot run {} functions locally",
            function.runtime
        ))
        .with_hint("local runs support Python and Node.js runtimes")),
    }
}

/// The official Node.js runtime interface client (npm's aws-lambda-ric),
/// installed in the function's or the project's node_modules.
fn node_ric(project: &Project, function: &Function) -> Result<PathBuf> {
    // Its launcher: bin/index.mjs up to version 3, index.mjs from 4 on.
    let entries = ["bin/index.mjs", "index.mjs"];
    [&function.source, &project.root]
        .iter()
        .flat_map(|dir| entries.map(|e| dir.join("node_modules/aws-lambda-ric").join(e)))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            Error::local("--ric needs aws-lambda-ric, the official Node.js runtime client")
                .with_hint("install it in the project: npm install aws-lambda-ric (it builds native code: needs cmake, make, g++, autoconf, automake and libtool)")
        })
}

/// Writes the embedded bootstrap under `.lam/runtime/` (once per content).
fn write_bootstrap(root: &Path, name: &str, content: &str) -> Result<PathBuf> {
    let path = root.join(".lam").join("runtime").join(name);
    if std::fs::read_to_string(&path).is_ok_and(|existing| existing == content) {
        return Ok(path);
    }
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{file}.{}", std::process::id()));
    std::fs::write(&tmp, content).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))?;
    Ok(path)
}

/// Variables passed through from lam's own environment.
const PASSED_THROUGH: &[&str] = &[
    "PATH",
    "HOME",
    "TMPDIR",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "SYSTEMROOT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_CA_BUNDLE",
];

/// The environment Lambda gives a function, plus the function's own
/// variables and the developer's credentials.
pub fn environment(
    project: &Project,
    function: &Function,
    opts: &Options,
    api_addr: &str,
    task_root: &Path,
) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| PASSED_THROUGH.contains(&k.as_str()) || k.starts_with("AWS_ENDPOINT_URL_"))
        .collect();
    if let Some(c) = &opts.credentials {
        // The function's role instead of the developer's credentials.
        for k in ["AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE"] {
            env.remove(k);
        }
        env.insert("AWS_ACCESS_KEY_ID".into(), c.access_key_id.clone());
        env.insert("AWS_SECRET_ACCESS_KEY".into(), c.secret_access_key.clone());
        env.insert("AWS_SESSION_TOKEN".into(), c.session_token.clone());
    }
    env.extend(opts.dotenv.clone());
    env.extend(function.env.clone());
    // Secrets reach the handler's helper through the environment, never a
    // command line: LAM_SECRET_<NAME> holds the value locally, and
    // <NAME>_SECRET_ARN the reference, as on Lambda.
    for (name, reference) in &function.secrets {
        env.insert(format!("{name}_SECRET_ARN"), reference.clone());
        let value = opts
            .dotenv
            .get(name)
            .cloned()
            .or_else(|| opts.secrets.get(reference).map(|v| v.expose().to_string()));
        if let Some(value) = value {
            env.insert(format!("LAM_SECRET_{name}"), value);
        }
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let (y, m, d) = crate::clock::civil_date(now);
    let stream_id = super::new_request_id().replace('-', "");
    let task_root = task_root.to_string_lossy().into_owned();
    let runtime_dir = project
        .root
        .join(".lam")
        .join("runtime")
        .to_string_lossy()
        .into_owned();
    // Shared libraries shipped in the package (lib/) load as on Lambda; the
    // machine's own search path comes after.
    let mut library_path = format!("{runtime_dir}:{runtime_dir}/lib:{task_root}:{task_root}/lib");
    if let Ok(host) = std::env::var("LD_LIBRARY_PATH")
        && !host.is_empty()
    {
        library_path.push(':');
        library_path.push_str(&host);
    }
    let lambda_vars = [
        ("AWS_LAMBDA_RUNTIME_API", api_addr.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", function.name.clone()),
        ("AWS_LAMBDA_FUNCTION_VERSION", super::VERSION.to_string()),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            function.memory.to_string(),
        ),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            function
                .logging
                .log_group
                .clone()
                .unwrap_or_else(|| format!("/aws/lambda/{}", function.name)),
        ),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            format!("{y:04}/{m:02}/{d:02}/[{}]{stream_id}", super::VERSION),
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_string()),
        (
            "AWS_EXECUTION_ENV",
            format!("AWS_Lambda_{}", function.runtime),
        ),
        ("AWS_REGION", opts.region.clone()),
        ("AWS_DEFAULT_REGION", opts.region.clone()),
        ("LAMBDA_TASK_ROOT", task_root.clone()),
        ("_HANDLER", function.handler.clone()),
        ("TZ", ":UTC".to_string()),
        ("LAM_LOCAL", "1".to_string()),
        ("LAM_STAGE", project.stage.clone()),
        // What Lambda sets beside the reserved variables ("Defined runtime
        // environment variables" in the Lambda developer guide), with this
        // machine's directories in place of /var/runtime and /var/task.
        ("LANG", "en_US.UTF-8".to_string()),
        ("LAMBDA_RUNTIME_DIR", runtime_dir.clone()),
        ("LD_LIBRARY_PATH", library_path),
        ("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR".to_string()),
        ("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000".to_string()),
        ("_AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129".to_string()),
        ("_AWS_XRAY_DAEMON_PORT", "2000".to_string()),
    ];
    env.extend(lambda_vars.into_iter().map(|(k, v)| (k.to_string(), v)));
    // `[function.logging] format = "JSON"`: what the runtime clients read to
    // log as JSON and filter by level (awslambdaric's bootstrap and
    // aws-lambda-ric read these two); TRACE is the API's spelling of the
    // most detailed level.
    if function.logging.format.eq_ignore_ascii_case("JSON") {
        env.insert("AWS_LAMBDA_LOG_FORMAT".into(), "JSON".into());
        env.insert(
            "AWS_LAMBDA_LOG_LEVEL".into(),
            function
                .logging
                .application_log_level
                .clone()
                .unwrap_or_else(|| "INFO".into()),
        );
    }
    if function.language() == Language::Python && opts.profile_init {
        // A profile of the cold start compiles from source, as Lambda does
        // with code whose zip holds no .pyc.
        env.insert("PYTHONDONTWRITEBYTECODE".into(), "1".into());
    } else if function.language() == Language::Python {
        // Not Lambda's: compiled code is cached outside the read-only task
        // root (Lambda compiles it at every cold start).
        env.insert(
            "PYTHONPYCACHEPREFIX".into(),
            super::task::bytecode_cache(project)
                .to_string_lossy()
                .into_owned(),
        );
    }
    if function.language() == Language::Node {
        // Lambda's NODE_PATH: layers, then the runtime's modules.
        env.insert(
            "NODE_PATH".into(),
            format!(
                "/opt/nodejs/node_modules:{runtime_dir}/node_modules:{runtime_dir}:{task_root}"
            ),
        );
    }
    if let Some(profile) = &opts.profile {
        env.insert("AWS_PROFILE".into(), profile.clone());
    }
    if let Some(url) = &opts.endpoint_url {
        env.insert("AWS_ENDPOINT_URL".into(), url.clone());
    }
    env
}

/// The dependencies `lam build` installs for Lambda, when this machine can
/// run them (Linux on the function's architecture); elsewhere the project's
/// own environment provides them.
///
/// When the interpreter that runs is another Python than the runtime's
/// (python3.11 running a python3.12 function), wheels built for the runtime
/// would not load (`cannot import name '_imaging' from 'PIL'`): local runs
/// then use the same requirements installed for the interpreter's version,
/// in a cache entry of their own, and lam says so once. `lam build` keeps
/// packaging for the runtime.
/// `python` is the interpreter [`command`] chose (not looked up again).
pub fn python_deps(
    project: &Project,
    function: &Function,
    python: &Path,
) -> Result<Option<PathBuf>> {
    let host_matches = cfg!(target_os = "linux")
        && match function.architecture {
            crate::config::Architecture::X86_64 => cfg!(target_arch = "x86_64"),
            crate::config::Architecture::Arm64 => cfg!(target_arch = "aarch64"),
        };
    if function.language() != Language::Python || !host_matches {
        return Ok(None);
    }
    let wanted = function.runtime.trim_start_matches("python");
    let running = interpreter::python_version(python);
    let mut target = function.clone();
    if let Some(version) = running.as_deref().filter(|v| *v != wanted) {
        warn_interpreter_once(function, python, version);
        target.runtime = format!("python{version}");
    }
    Ok(crate::package::deps::prepare(&project.root, &target, false)?.map(|d| d.dir))
}

/// Says once per lam run that Node.js here is not the runtime's major
/// version (nodejs22.x on Node 20), as for Python.
fn warn_node_once(function: &Function, node: &Path) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let Some(wanted) = function
        .runtime
        .strip_prefix("nodejs")
        .and_then(|r| r.strip_suffix(".x"))
    else {
        return;
    };
    // Asked once per lam run (each runtime start would pay a process).
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let version = VERSION.get_or_init(|| interpreter::node_version(node).unwrap_or_default());
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .unwrap_or_default();
    if major == wanted || major.is_empty() || WARNED.swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        return;
    }
    eprintln!(
        "warning: {} runs on Node.js {version} here ({}), not the Node.js {wanted} of {}; install Node.js {wanted} (or set LAM_NODE to one) to run as Lambda does.",
        function.name,
        node.display(),
        function.runtime,
    );
}

/// Whether `python` can import awslambdaric: asked once per interpreter
/// and lam run, not at every runtime start.
fn has_awslambdaric(python: &std::ffi::OsStr) -> bool {
    static FOUND: std::sync::Mutex<Vec<std::ffi::OsString>> = std::sync::Mutex::new(Vec::new());
    let mut found = FOUND.lock().unwrap_or_else(|p| p.into_inner());
    if found.iter().any(|p| p == python) {
        return true;
    }
    let ok = interpreter::python_has_module(Path::new(python), "awslambdaric");
    if ok {
        found.push(python.to_os_string());
    }
    ok
}

/// Says once per lam run that the interpreter is not the runtime's.
fn warn_interpreter_once(function: &Function, python: &Path, version: &str) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if WARNED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let runtime = &function.runtime;
    let wanted = runtime.trim_start_matches("python");
    eprintln!(
        "warning: {} runs on Python {version} here ({}), not the {runtime} Lambda uses; local runs \
         use dependencies installed for Python {version}, and `lam build` still packages for \
         {runtime}. Install python{wanted} (or pyenv install {wanted}) to run as Lambda does.",
        function.name,
        python.display(),
    );
}

/// The child's stdout joins lam's stderr: a handler's prints are logs, not
/// the result.
#[cfg(unix)]
pub fn stderr_stdio() -> Stdio {
    use std::os::fd::AsFd;
    match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::inherit(),
    }
}

#[cfg(not(unix))]
pub fn stderr_stdio() -> Stdio {
    Stdio::inherit()
}

/// Peak resident memory of a process, from /proc (Linux).
pub fn max_memory_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.div_ceil(1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_memory_is_readable() {
        assert!(max_memory_mb(std::process::id()).is_some_and(|m| m > 0));
    }
}
