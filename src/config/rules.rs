//! Lambda's own rules for what a function may be, checked before any AWS call.
//! Figures from Lambda's quotas page and API reference (runtimes, memory,
//! timeout, environment size, names).

/// Runtimes Lambda accepts for new functions.
pub const RUNTIMES: &[&str] = &[
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "nodejs20.x",
    "nodejs22.x",
    "nodejs24.x",
    "provided.al2023",
    "provided.al2",
    "java17",
    "java21",
    "java25",
    "dotnet8",
    "ruby3.3",
    "ruby3.4",
];

/// Runtimes Lambda no longer accepts for new functions.
pub const DEPRECATED_RUNTIMES: &[&str] = &[
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "nodejs",
    "nodejs4.3",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "go1.x",
    "provided",
    "java8",
    "java8.al2",
    "java11",
    "dotnetcore3.1",
    "dotnet6",
    "dotnet7",
    "ruby2.7",
    "ruby3.2",
];

pub const MEMORY_MIN: i64 = 128;
pub const MEMORY_MAX: i64 = 10_240;
pub const TIMEOUT_MIN: i64 = 1;
pub const TIMEOUT_MAX: i64 = 900;
/// All keys and values of the environment together.
pub const ENV_MAX_BYTES: usize = 4 * 1024;

/// Keys Lambda sets itself and refuses in a function's configuration.
pub const RESERVED_ENV_KEYS: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_XRAY_CONTEXT_MISSING",
    "AWS_XRAY_DAEMON_ADDRESS",
    "AWS_CONTEXT_AWS_REQUEST_ID",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// A broken rule: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub message: String,
    pub hint: String,
}

fn violation(message: impl Into<String>, hint: impl Into<String>) -> Violation {
    Violation {
        message: message.into(),
        hint: hint.into(),
    }
}

pub type Check = Result<(), Violation>;

/// The language family of a runtime, for the things lam does per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    Node,
    Other,
}

pub fn language(runtime: &str) -> Language {
    if runtime.starts_with("python") {
        Language::Python
    } else if runtime.starts_with("nodejs") {
        Language::Node
    } else {
        Language::Other
    }
}

pub fn check_runtime(runtime: &str) -> Check {
    if RUNTIMES.contains(&runtime) {
        return Ok(());
    }
    let valid = RUNTIMES.join(", ");
    if DEPRECATED_RUNTIMES.contains(&runtime) {
        Err(violation(
            format!("runtime = \"{runtime}\" is deprecated: Lambda refuses it for new functions"),
            format!("use one of: {valid}"),
        ))
    } else {
        Err(violation(
            format!("runtime = \"{runtime}\" is not a Lambda runtime"),
            format!("use one of: {valid}"),
        ))
    }
}

/// `^[a-zA-Z0-9-_]{1,64}$`, or a Lambda function ARN.
pub fn check_function_name(name: &str) -> Check {
    if name.starts_with("arn:") {
        return if name.contains(":function:") {
            Ok(())
        } else {
            Err(violation(
                format!("name = \"{name}\" is an ARN but not a Lambda function's"),
                "use arn:aws:lambda:REGION:ACCOUNT:function:NAME, or just the name",
            ))
        };
    }
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if name.is_empty() || name.len() > 64 || !valid_chars {
        return Err(violation(
            format!(
                "function name \"{name}\" is not valid: Lambda allows 1 to 64 letters, digits, '-' and '_'"
            ),
            "set `name` to a shorter name made of letters, digits, '-' and '_'",
        ));
    }
    Ok(())
}

pub fn check_memory(memory: i64) -> Check {
    if memory < MEMORY_MIN {
        Err(violation(
            format!("memory = {memory} is below Lambda's minimum of {MEMORY_MIN} MB"),
            format!("set memory between {MEMORY_MIN} and {MEMORY_MAX}"),
        ))
    } else if memory > MEMORY_MAX {
        Err(violation(
            format!("memory = {memory} is above Lambda's maximum of {MEMORY_MAX} MB"),
            format!("set memory between {MEMORY_MIN} and {MEMORY_MAX}"),
        ))
    } else {
        Ok(())
    }
}

pub fn check_timeout(timeout: i64) -> Check {
    if !(TIMEOUT_MIN..=TIMEOUT_MAX).contains(&timeout) {
        Err(violation(
            format!(
                "timeout = {timeout} is outside Lambda's range of {TIMEOUT_MIN} to {TIMEOUT_MAX} seconds"
            ),
            format!("set timeout between {TIMEOUT_MIN} and {TIMEOUT_MAX} (seconds)"),
        ))
    } else {
        Ok(())
    }
}

/// Lambda's /tmp: 512 MB to 10,240 MB (EphemeralStorage in the Lambda
/// API reference).
pub const EPHEMERAL_MIN: i64 = 512;
pub const EPHEMERAL_MAX: i64 = 10_240;

pub fn check_ephemeral_storage(mb: i64) -> Check {
    if (EPHEMERAL_MIN..=EPHEMERAL_MAX).contains(&mb) {
        Ok(())
    } else {
        Err(violation(
            format!(
                "ephemeral_storage = {mb} is outside Lambda's {EPHEMERAL_MIN} to {EPHEMERAL_MAX} MB"
            ),
            format!(
                "set ephemeral_storage (the size of /tmp, in MB) between {EPHEMERAL_MIN} and {EPHEMERAL_MAX}"
            ),
        ))
    }
}

/// `tracing = "active"` or `"passthrough"` (TracingConfig Mode); the value
/// as the Lambda API spells it.
pub fn check_tracing(mode: &str) -> Result<&'static str, Violation> {
    match mode.to_ascii_lowercase().as_str() {
        "active" => Ok("Active"),
        "passthrough" => Ok("PassThrough"),
        _ => Err(violation(
            format!("tracing = \"{mode}\" is not an X-Ray tracing mode"),
            "use \"active\" (sample and trace requests with X-Ray) or \"passthrough\" (the default)",
        )),
    }
}

/// ReservedConcurrentExecutions: 0 (the function is throttled: nothing
/// runs) or more; the account's limit, which AWS checks, caps it.
pub fn check_reserved_concurrency(n: i64) -> Check {
    if (0..=i64::from(i32::MAX)).contains(&n) {
        Ok(())
    } else {
        Err(violation(
            format!("reserved_concurrency = {n} is not a number of executions"),
            "set 0 or more (0 stops every invocation), or remove the key to use the account's pool",
        ))
    }
}

/// `provisioned_concurrency` (PutProvisionedConcurrencyConfig's
/// ProvisionedConcurrentExecutions, at least 1 in the Lambda API reference).
/// Provisioned concurrency is taken from the function's reserved
/// concurrency, so it cannot exceed it (Lambda guide, "Configuring
/// provisioned concurrency"), and SnapStart does not support it (Lambda
/// guide, "Improving startup performance with Lambda SnapStart":
/// "SnapStart does not support provisioned concurrency").
pub fn check_provisioned_concurrency(n: i64, reserved: Option<u32>, snapstart: bool) -> Check {
    if !(1..=i64::from(i32::MAX)).contains(&n) {
        return Err(violation(
            format!("provisioned_concurrency = {n} is not a number of execution environments"),
            "set 1 or more, or remove the key to keep none",
        ));
    }
    if snapstart {
        return Err(violation(
            "snapstart = true with provisioned_concurrency: Lambda does not support both on one function",
            "keep one: snapstart (free, restores a snapshot) or provisioned_concurrency (billed, always warm)",
        ));
    }
    if let Some(r) = reserved.filter(|r| i64::from(*r) < n) {
        return Err(violation(
            format!(
                "provisioned_concurrency = {n} is more than reserved_concurrency = {r}: provisioned environments come out of the reserved ones"
            ),
            format!("lower provisioned_concurrency to {r} or less, or raise reserved_concurrency"),
        ));
    }
    Ok(())
}

/// `[function.logging]` (LoggingConfig in the Lambda API reference): the
/// format, log levels only with the JSON format (Lambda filters by level
/// only for JSON logs), and a log group name of 1 to 512 characters from
/// `[.-_/#A-Za-z0-9]`. Returns the format and levels as the API spells them.
#[allow(clippy::type_complexity)]
pub fn check_logging<'a>(
    format: Option<&str>,
    application: Option<&'a str>,
    system: Option<&'a str>,
    log_group: Option<&str>,
) -> Result<(&'static str, Option<&'static str>, Option<&'static str>), Violation> {
    let format = match format.map(str::to_ascii_lowercase).as_deref() {
        None | Some("text") => "Text",
        Some("json") => "JSON",
        Some(_) => {
            return Err(violation(
                format!(
                    "logging format = \"{}\" is not a Lambda log format",
                    format.unwrap_or_default()
                ),
                "use \"JSON\" or \"Text\" (the default)",
            ));
        }
    };
    const APPLICATION: [&str; 6] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
    const SYSTEM: [&str; 3] = ["DEBUG", "INFO", "WARN"];
    let level = |value: Option<&str>, allowed: &'static [&'static str], key: &str| {
        let Some(v) = value else {
            return Ok(None);
        };
        if format != "JSON" {
            return Err(violation(
                format!("logging {key} is set, but Lambda filters by level only for JSON logs"),
                "add format = \"JSON\" to [function.logging], or remove the level",
            ));
        }
        let upper = v.to_ascii_uppercase();
        allowed
            .iter()
            .find(|a| **a == upper)
            .copied()
            .map(Some)
            .ok_or_else(|| {
                violation(
                    format!("logging {key} = \"{v}\" is not a level Lambda knows"),
                    format!("use one of {}", allowed.join(", ")),
                )
            })
    };
    let application = level(application, &APPLICATION, "application_log_level")?;
    let system = level(system, &SYSTEM, "system_log_level")?;
    if let Some(group) = log_group {
        let valid = !group.is_empty()
            && group.len() <= 512
            && group
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_/#".contains(c));
        if !valid {
            return Err(violation(
                format!("logging log_group = \"{group}\" is not a valid log group name"),
                "use 1 to 512 letters, digits and . - _ / #",
            ));
        }
        // "Configuring CloudWatch log groups" (Lambda guide): a custom log
        // group's name must not begin with aws/, which Lambda cannot create.
        if group.starts_with("aws/") {
            return Err(violation(
                format!(
                    "logging log_group = \"{group}\" begins with aws/, which Lambda cannot use"
                ),
                "name it e.g. /aws/lambda/<name> or /shop/functions",
            ));
        }
    }
    Ok((format, application, system))
}

/// Whether Lambda offers SnapStart for a runtime: Java 11 and later,
/// Python 3.12 and later, .NET 8 and later ("Improving startup performance
/// with Lambda SnapStart" in the Lambda guide).
pub fn snapstart_runtime(runtime: &str) -> bool {
    let version = |prefix: &str| {
        runtime.strip_prefix(prefix).and_then(|v| {
            v.split(['.', '-'])
                .map(str::parse::<u32>)
                .collect::<std::result::Result<Vec<_>, _>>()
                .ok()
        })
    };
    if let Some(v) = version("python") {
        return v.len() == 2 && v[0] == 3 && v[1] >= 12;
    }
    if let Some(v) = version("java") {
        return v.first().is_some_and(|m| *m >= 11);
    }
    if let Some(v) = version("dotnet") {
        return v.first().is_some_and(|m| *m >= 8);
    }
    false
}

/// `snapstart = true`: a runtime that has it, and /tmp of at most 512 MB
/// (SnapStart supports neither larger ephemeral storage, provisioned
/// concurrency nor EFS).
pub fn check_snapstart(runtime: &str, ephemeral_storage: i64) -> Check {
    if !snapstart_runtime(runtime) {
        return Err(violation(
            format!("snapstart = true, but Lambda has no SnapStart for {runtime}"),
            "SnapStart is for python3.12 and later, java11 and later, dotnet8 and later; remove the key",
        ));
    }
    if ephemeral_storage > EPHEMERAL_MIN {
        return Err(violation(
            format!(
                "snapstart = true with ephemeral_storage = {ephemeral_storage}: SnapStart allows at most {EPHEMERAL_MIN} MB of /tmp"
            ),
            "remove ephemeral_storage, or snapstart",
        ));
    }
    Ok(())
}

pub fn check_architecture(arch: &str) -> Check {
    match arch {
        "x86_64" | "arm64" => Ok(()),
        other => Err(violation(
            format!("architecture = \"{other}\" is not a Lambda architecture"),
            "use \"x86_64\" or \"arm64\"",
        )),
    }
}

/// `module.function` for Python (module may be a path such as `src/app`),
/// `file.export` for Node.js.
pub fn check_handler(handler: &str, runtime: &str) -> Check {
    let lang = language(runtime);
    if lang == Language::Other {
        return if handler.is_empty() {
            Err(violation(
                "handler is empty",
                "set handler (for custom runtimes any non-empty value, e.g. \"bootstrap\")",
            ))
        } else {
            Ok(())
        };
    }
    let example = match lang {
        Language::Python => "app.lambda_handler",
        _ => "index.handler",
    };
    let Some((module, func)) = handler.rsplit_once('.') else {
        return Err(violation(
            format!("handler = \"{handler}\" has no function part"),
            format!("write it as FILE.FUNCTION, e.g. \"{example}\""),
        ));
    };
    let ident = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    // Python's module path is also dotted (`pkg.app.handler`): an empty
    // dotted part (`.etc.app`) is no module, and would name a path outside.
    let module_ok = !module.is_empty()
        && !module.starts_with('/')
        && !module
            .split('/')
            .any(|part| part.is_empty() || part == "..")
        && (lang != Language::Python || !module.split(['.', '/']).any(str::is_empty));
    if !module_ok || !ident(func) {
        return Err(violation(
            format!("handler = \"{handler}\" is not FILE.FUNCTION inside the project"),
            format!("write it as FILE.FUNCTION, e.g. \"{example}\""),
        ));
    }
    Ok(())
}

/// Parts of names whose values are secrets: masked unless asked for, kept
/// from build subprocesses, and not copied from the shell into lam.toml.
const SECRET_HINTS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "PRIVATE",
    "CREDENTIAL",
    "AUTH",
    "SIGNATURE",
    "DSN",
];

pub fn looks_secret(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    SECRET_HINTS.iter().any(|h| upper.contains(h))
        || upper
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| SECRET_WORDS.contains(&word))
}

/// Names that are secrets as whole words only (`MYSQL_PWD`, `SMTP_PASS`,
/// `GITHUB_PAT`), not inside others (`PATH`, `PASSENGERS`).
const SECRET_WORDS: &[&str] = &["PWD", "PASS", "PAT", "PASSPHRASE", "APIKEY"];

/// Whether a value holds a secret whatever its name: a URL with a
/// password in it (`postgres://app:hunter2@db/shop`, as DATABASE_URL,
/// REDIS_URL or a DSN hold one).
pub fn value_looks_secret(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.split_once(':').is_some_and(|(_, p)| !p.is_empty()))
}

/// A shell variable that holds credentials or secrets: AWS's, lam's own
/// `LAM_SECRET_*`, or one whose name looks secret.
pub fn is_credential_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.starts_with("AWS_") || upper.starts_with("LAM_SECRET_") || looks_secret(name)
}

/// Lambda's key pattern is `[a-zA-Z]([a-zA-Z0-9_])+` (API_Environment):
/// a letter, then at least one more letter, digit or '_'.
pub fn check_env_key(key: &str) -> Check {
    let mut chars = key.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        return Err(violation(
            format!("environment variable name \"{key}\" is not valid on Lambda"),
            "names start with a letter, have at least two characters, and contain only letters, digits and '_'",
        ));
    }
    if RESERVED_ENV_KEYS.contains(&key) || key.starts_with("AWS_LAMBDA_") {
        return Err(violation(
            format!("environment variable {key} is reserved: Lambda sets it itself"),
            "remove it, or use another name",
        ));
    }
    Ok(())
}

/// Lambda counts the bytes of every key and value together.
pub fn env_size<'a>(vars: impl IntoIterator<Item = (&'a String, &'a String)>) -> usize {
    vars.into_iter().map(|(k, v)| k.len() + v.len()).sum()
}

pub fn check_env_size(size: usize) -> Check {
    if size > ENV_MAX_BYTES {
        Err(violation(
            format!(
                "environment variables take {size} bytes, over Lambda's limit of {ENV_MAX_BYTES} bytes"
            ),
            "move large values to a file in the package, S3, or [secrets]",
        ))
    } else {
        Ok(())
    }
}

/// `arn:<partition>:iam::<12 digits>:role/<path/name>`.
pub fn check_role_arn(role: &str) -> Check {
    let parts: Vec<&str> = role.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5]
            .strip_prefix("role/")
            .is_some_and(|n| !n.is_empty());
    if ok {
        Ok(())
    } else {
        Err(violation(
            format!("role = \"{role}\" is not an IAM role ARN"),
            "use arn:aws:iam::ACCOUNT_ID:role/NAME",
        ))
    }
}

/// Stage and project names become part of function names.
pub fn check_identifier(what: &str, value: &str) -> Check {
    let ok = !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(violation(
            format!("{what} \"{value}\" is not valid"),
            format!("a {what} is 1 to 40 letters, digits, '-' and '_'"),
        ))
    }
}

/// Lambda alias names: 1-128 of letters, digits, '-' and '_', not all digits
/// (those are version numbers).
pub fn check_alias(alias: &str) -> Check {
    let ok = !alias.is_empty()
        && alias.len() <= 128
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !alias.chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(violation(
            format!("alias = \"{alias}\" is not a valid Lambda alias"),
            "use 1 to 128 letters, digits, '-' and '_', not only digits (e.g. \"live\")",
        ))
    }
}

/// A statement of `[[function.policy]]`.
pub fn check_policy_statement(st: &super::PolicyStatement) -> Check {
    if let Some(effect) = &st.effect
        && effect != "Allow"
        && effect != "Deny"
    {
        return Err(violation(
            format!("policy effect \"{effect}\" is neither \"Allow\" nor \"Deny\""),
            "leave effect out for Allow",
        ));
    }
    if st.actions.is_empty() || st.resources.is_empty() {
        return Err(violation(
            "a policy statement needs both actions and resources",
            "e.g. { actions = [\"s3:GetObject\"], resources = [\"arn:aws:s3:::photos/*\"] }",
        ));
    }
    if let Some(bad) = st.actions.iter().find(|a| {
        *a != "*"
            && !a
                .split_once(':')
                .is_some_and(|(s, op)| !s.is_empty() && !op.is_empty())
    }) {
        return Err(violation(
            format!("policy action \"{bad}\" is not service:Operation"),
            "write actions like \"s3:GetObject\" or \"dynamodb:*\"",
        ));
    }
    if let Some(bad) = st
        .resources
        .iter()
        .find(|r| *r != "*" && !r.starts_with("arn:"))
    {
        return Err(violation(
            format!("policy resource \"{bad}\" is not an ARN"),
            "write resources as ARNs, e.g. \"arn:aws:s3:::photos/*\", or \"*\"",
        ));
    }
    Ok(())
}

/// S3 event names Lambda notifications accept.
const S3_EVENTS: [&str; 18] = [
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*",
    "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*",
    "s3:LifecycleExpiration:*",
    "s3:LifecycleTransition",
    "s3:IntelligentTiering",
    "s3:ObjectTagging:*",
];

/// A trigger, checked before any call. `env` is the function's environment:
/// with OUTPUT_PREFIX (and OUTPUT_BUCKET) lam can tell where the function
/// writes, and refuses an S3 trigger that would fire for its own output.
pub fn check_trigger(
    t: &super::Trigger,
    env: &std::collections::BTreeMap<String, String>,
) -> Check {
    use super::Trigger;
    match t {
        Trigger::S3 {
            bucket,
            events,
            prefix,
            ..
        } => {
            check_bucket_name(bucket)?;
            if events.is_empty() {
                return Err(violation(
                    "an s3 trigger needs at least one event",
                    "leave events out for [\"s3:ObjectCreated:*\"]",
                ));
            }
            if let Some(bad) = events.iter().find(|e| !S3_EVENTS.contains(&e.as_str())) {
                return Err(violation(
                    format!("\"{bad}\" is not an S3 event Lambda can receive"),
                    "use e.g. \"s3:ObjectCreated:*\", \"s3:ObjectCreated:Put\" or \"s3:ObjectRemoved:*\"",
                ));
            }
            let writes_here = env
                .get("OUTPUT_BUCKET")
                .is_none_or(|b| b.is_empty() || b == bucket);
            if let (Some(output), true) = (env.get("OUTPUT_PREFIX"), writes_here) {
                let prefix = prefix.as_deref().unwrap_or("");
                let creates = events.iter().any(|e| e.starts_with("s3:ObjectCreated"));
                if creates && format!("{output}{prefix}").starts_with(prefix) {
                    return Err(violation(
                        format!(
                            "the s3 trigger on {bucket} (prefix \"{prefix}\") would also fire for the objects this function writes under OUTPUT_PREFIX = \"{output}\": every write would invoke it again"
                        ),
                        "give the trigger a prefix the output does not start with (e.g. prefix = \"uploads/\"), or set OUTPUT_BUCKET to another bucket",
                    ));
                }
            }
            Ok(())
        }
        Trigger::Schedule { expression, input } => {
            check_schedule(expression)?;
            if input.as_ref().is_some_and(|i| i.to_string().len() > 8192) {
                return Err(violation(
                    "the schedule's input is over EventBridge's 8192 characters",
                    "make the constant event smaller",
                ));
            }
            Ok(())
        }
        Trigger::Sqs {
            queue,
            batch_size,
            batch_window,
            ..
        } => {
            check_queue_or_topic("queue", queue, "sqs")?;
            let fifo = queue.ends_with(".fifo");
            let max = if fifo { 10 } else { 10_000 };
            if *batch_size < 1 || *batch_size > max {
                return Err(violation(
                    format!(
                        "batch_size = {batch_size} is outside 1..={max}{}",
                        if fifo { " for a FIFO queue" } else { "" }
                    ),
                    format!("set batch_size between 1 and {max}"),
                ));
            }
            if batch_window.is_some_and(|w| w > 300) {
                return Err(violation(
                    "batch_window is over Lambda's 300 seconds",
                    "set batch_window between 0 and 300",
                ));
            }
            // Lambda refuses a batch over 10 without a batching window
            // (CreateEventSourceMapping: MaximumBatchingWindowInSeconds >= 1).
            if *batch_size > 10 && *batch_window == Some(0) {
                return Err(violation(
                    format!("batch_size = {batch_size} with batch_window = 0"),
                    "a batch over 10 needs batch_window of at least 1 second; leave it out for 1",
                ));
            }
            Ok(())
        }
        Trigger::Sns { topic } => check_queue_or_topic("topic", topic, "sns"),
    }
}

/// S3 bucket names: 3-63 lowercase letters, digits, '.' and '-', starting and
/// ending with a letter or digit.
pub fn check_bucket_name(bucket: &str) -> Check {
    let ok = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric())
        && !bucket.contains("..");
    if ok {
        Ok(())
    } else {
        Err(violation(
            format!("bucket = \"{bucket}\" is not a valid S3 bucket name"),
            "bucket names are 3 to 63 lowercase letters, digits, '.' and '-' (not an ARN or s3:// URL)",
        ))
    }
}

/// A queue or topic: a name (1-80 letters, digits, '-', '_', optional .fifo)
/// or an ARN of the right service.
fn check_queue_or_topic(what: &str, value: &str, service: &str) -> Check {
    if let Some(rest) = value.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.split(':').collect();
        if parts.len() == 5 && parts[1] == service && !parts[4].is_empty() {
            return Ok(());
        }
        return Err(violation(
            format!(
                "{what} = \"{value}\" is not an {} {what} ARN",
                service.to_uppercase()
            ),
            format!("use the {what}'s name, or arn:aws:{service}:REGION:ACCOUNT:NAME"),
        ));
    }
    let name = value.strip_suffix(".fifo").unwrap_or(value);
    let ok = !name.is_empty()
        && value.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(violation(
            format!(
                "{what} = \"{value}\" is not a valid {} {what} name",
                service.to_uppercase()
            ),
            "names are 1 to 80 letters, digits, '-' and '_' (FIFO ones end in .fifo)",
        ))
    }
}

/// `rate(1 minute)`, `rate(5 minutes)`, or `cron(...)` with six fields.
pub fn check_schedule(expr: &str) -> Check {
    let bad = |why: &str| {
        violation(
            format!("expression = \"{expr}\" is not a schedule: {why}"),
            "write rate(5 minutes), rate(1 hour), or cron(0 12 * * ? *) (minutes hours day-of-month month day-of-week year)",
        )
    };
    // split_whitespace would accept a newline between the fields, which
    // EventBridge refuses (and which could forge lines in logs).
    if expr.chars().any(|c| c.is_control()) || expr.len() > 256 {
        return Err(bad(
            "it holds a control character or is over 256 characters",
        ));
    }
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("rate needs a number and a unit"));
        };
        let n: u64 = n
            .parse()
            .map_err(|_| bad("the rate is not a whole number"))?;
        if n == 0 {
            return Err(bad("the rate must be at least 1"));
        }
        let singular = ["minute", "hour", "day"].contains(&unit);
        let plural = ["minutes", "hours", "days"].contains(&unit);
        return match (n, singular, plural) {
            (1, true, _) => Ok(()),
            (1, _, true) => Err(bad("use the singular with 1, e.g. rate(1 minute)")),
            (_, _, true) => Ok(()),
            (_, true, _) => Err(bad("use the plural, e.g. rate(5 minutes)")),
            _ => Err(bad("the unit is minute(s), hour(s) or day(s)")),
        };
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(bad(&format!("cron has 6 fields, not {}", fields.len())));
        }
        let allowed = |f: &str| {
            f.chars()
                .all(|c| c.is_ascii_alphanumeric() || ",-*?/LW#".contains(c))
        };
        if let Some(f) = fields.iter().find(|f| !allowed(f)) {
            return Err(bad(&format!("\"{f}\" is not a cron field")));
        }
        // Day-of-month and day-of-week: one of them must be '?'.
        if fields[2] != "?" && fields[4] != "?" {
            return Err(bad("one of day-of-month and day-of-week must be ?"));
        }
        return Ok(());
    }
    Err(bad("it starts with neither rate( nor cron("))
}

const HTTP_METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

/// `[api]`: what each kind accepts. Returns the field each problem is at.
pub fn check_api(api: &super::ApiConfig) -> Vec<(&'static str, Violation)> {
    use super::ApiKind;
    let mut out = Vec::new();
    let kind = match api.kind {
        ApiKind::Rest => "rest",
        ApiKind::Http => "http",
        ApiKind::Url => "url",
        ApiKind::None => "none",
    };
    if let Some(auth) = &api.auth {
        if api.kind != ApiKind::Url {
            out.push((
                "auth",
                violation(
                    format!("auth is only for kind = \"url\", not \"{kind}\""),
                    "remove auth, or use kind = \"url\"",
                ),
            ));
        } else if auth != "NONE" && auth != "AWS_IAM" {
            out.push((
                "auth",
                violation(
                    format!("auth = \"{auth}\" is neither \"NONE\" nor \"AWS_IAM\""),
                    "use \"NONE\" for a public URL or \"AWS_IAM\" for signed requests",
                ),
            ));
        }
    }
    if let Some(routes) = &api.routes {
        if api.kind != ApiKind::Http {
            out.push((
                "routes",
                violation(
                    format!("routes are only for kind = \"http\", not \"{kind}\""),
                    "a REST API and a function URL send every path to the function; remove routes",
                ),
            ));
        } else if routes.is_empty() {
            out.push((
                "routes",
                violation(
                    "routes is empty",
                    "list route keys such as \"GET /items\", or remove routes for $default",
                ),
            ));
        } else if let Some(bad) = routes.iter().find(|r| !valid_route_key(r)) {
            out.push((
                "routes",
                violation(
                    format!("route \"{bad}\" is not METHOD /path or $default"),
                    "write routes like \"GET /items\", \"POST /items/{id}\" or \"ANY /{proxy+}\"",
                ),
            ));
        }
    }
    if let Some(id) = &api.id {
        if !matches!(api.kind, ApiKind::Rest | ApiKind::Http) {
            out.push((
                "id",
                violation(
                    format!("id is only for kind = \"rest\" or \"http\", not \"{kind}\""),
                    "remove id",
                ),
            ));
        } else if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push((
                "id",
                violation(
                    format!("id = \"{id}\" is not an API Gateway id"),
                    "API ids are letters and digits, e.g. \"a1b2c3d4e5\"",
                ),
            ));
        }
    }
    if !api.binary_media_types.is_empty() && api.kind != ApiKind::Rest {
        out.push((
            "binary_media_types",
            violation(
                "binary_media_types is for kind = \"rest\"",
                "HTTP APIs and function URLs base64-encode binary bodies by themselves; remove it",
            ),
        ));
    }
    if let Some(bad) = api.binary_media_types.iter().find(|t| {
        t.split_once('/')
            .is_none_or(|(a, b)| a.is_empty() || b.is_empty())
            || t.len() > 255
    }) {
        out.push((
            "binary_media_types",
            violation(
                format!("\"{bad}\" is not a media type"),
                "write TYPE/SUBTYPE, e.g. \"image/png\", \"image/*\" or \"*/*\"",
            ),
        ));
    }
    if let Some(cors) = &api.cors {
        if api.kind == ApiKind::None {
            out.push((
                "cors",
                violation(
                    "[api.cors] with kind = \"none\"",
                    "remove [api.cors], or choose an API kind",
                ),
            ));
        }
        if let Some(bad) = cors
            .methods
            .iter()
            .find(|m| *m != "*" && !HTTP_METHODS.contains(&m.as_str()))
        {
            out.push((
                "cors",
                violation(
                    format!("CORS method \"{bad}\" is not an HTTP method"),
                    "use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or \"*\"",
                ),
            ));
        }
        if cors.credentials && cors.origins.iter().any(|o| o == "*") {
            out.push(("cors", violation(
                "CORS credentials = true with origin \"*\": browsers refuse it and API Gateway rejects it",
                "list the exact origins, e.g. origins = [\"https://app.example.com\"]",
            )));
        }
        if api.kind == ApiKind::Rest && cors.origins.len() > 1 {
            out.push(("cors", violation(
                "a REST API answers CORS preflight with one origin, and [api.cors] lists several",
                "list one origin (or \"*\"), or use kind = \"http\", which matches each request's origin",
            )));
        }
        // Lambda's model for a function URL's Cors: at most 6 methods of at
        // most 6 characters (OPTIONS is answered by the URL itself), at most
        // 100 origins of 1..253 characters and 100 headers of up to 1024.
        if api.kind == ApiKind::Url {
            if cors.methods.len() > 6 || cors.methods.iter().any(|m| m.len() > 6) {
                out.push(("cors", violation(
                    "a function URL takes at most 6 CORS methods of at most 6 characters (not OPTIONS)",
                    "list some of GET, POST, PUT, PATCH, DELETE, HEAD, or \"*\"; the URL answers OPTIONS itself",
                )));
            }
            if cors.origins.len() > 100
                || cors.origins.iter().any(|o| o.is_empty() || o.len() > 253)
            {
                out.push((
                    "cors",
                    violation(
                        "a function URL takes at most 100 CORS origins of 1 to 253 characters",
                        "list fewer origins, or \"*\"",
                    ),
                ));
            }
            let headers = [&cors.headers, &cors.expose_headers];
            if headers
                .iter()
                .any(|h| h.len() > 100 || h.iter().any(|x| x.len() > 1024))
            {
                out.push((
                    "cors",
                    violation(
                        "a function URL takes at most 100 CORS headers of up to 1024 characters",
                        "list fewer headers, or \"*\"",
                    ),
                ));
            }
        }
        if cors.max_age.is_some_and(|a| a > 86_400) {
            out.push((
                "cors",
                violation(
                    "CORS max_age is over 86400 seconds",
                    "browsers cap it at a day or less; use at most 86400",
                ),
            ));
        }
    }
    out
}

fn valid_route_key(key: &str) -> bool {
    if key == "$default" {
        return true;
    }
    let Some((method, path)) = key.split_once(' ') else {
        return false;
    };
    HTTP_METHODS.contains(&method) && path.starts_with('/') && !path.contains(' ')
}

#[cfg(test)]
mod tests {

    #[test]
    fn logging_levels_need_json_and_names_are_checked() {
        assert_eq!(
            check_logging(None, None, None, None).unwrap(),
            ("Text", None, None)
        );
        assert_eq!(
            check_logging(
                Some("json"),
                Some("debug"),
                Some("warn"),
                Some("/shop/orders#1")
            )
            .unwrap(),
            ("JSON", Some("DEBUG"), Some("WARN"))
        );
        assert!(check_logging(Some("xml"), None, None, None).is_err());
        assert!(check_logging(Some("Text"), Some("INFO"), None, None).is_err());
        assert!(check_logging(Some("JSON"), None, Some("TRACE"), None).is_err());
        assert!(check_logging(None, None, None, Some("bad group")).is_err());
        assert!(check_logging(None, None, None, Some(&"g".repeat(513))).is_err());
        assert!(check_tracing("ACTIVE").is_ok() && check_tracing("on").is_err());
        assert!(check_ephemeral_storage(512).is_ok() && check_ephemeral_storage(10_241).is_err());
        assert!(check_reserved_concurrency(0).is_ok() && check_reserved_concurrency(-1).is_err());
        assert!(check_provisioned_concurrency(1, None, false).is_ok());
        assert!(check_provisioned_concurrency(5, Some(5), false).is_ok());
        assert!(check_provisioned_concurrency(0, None, false).is_err());
        let over = check_provisioned_concurrency(6, Some(5), false).unwrap_err();
        assert!(
            over.message.contains("more than reserved_concurrency = 5"),
            "{over:?}"
        );
        let snap = check_provisioned_concurrency(2, None, true).unwrap_err();
        assert!(snap.message.contains("snapstart"), "{snap:?}");
        for (runtime, has) in [
            ("python3.12", true),
            ("python3.14", true),
            ("python3.11", false),
            ("java11", true),
            ("java8.al2", false),
            ("dotnet8", true),
            ("nodejs24.x", false),
            ("provided.al2023", false),
        ] {
            assert_eq!(snapstart_runtime(runtime), has, "{runtime}");
        }
        assert!(check_snapstart("python3.12", 512).is_ok());
        assert!(check_snapstart("python3.12", 1024).is_err());
        assert!(check_snapstart("nodejs22.x", 512).is_err());
    }

    use super::*;

    #[test]
    fn schedules_with_control_characters_are_refused() {
        assert!(check_schedule("rate(5 minutes)").is_ok());
        assert!(check_schedule("rate(5\nminutes)").is_err());
        assert!(check_schedule("cron(0 12 * * ? *)\n").is_err());
    }

    #[test]
    fn function_keys_are_identifiers() {
        assert!(check_identifier("function key", "api").is_ok());
        assert!(check_identifier("function key", "../up").is_err());
        assert!(check_identifier("function key", "a/b").is_err());
        assert!(check_identifier("function key", "café").is_err());
    }

    #[test]
    fn current_runtimes_are_accepted() {
        for rt in [
            "python3.10",
            "python3.12",
            "python3.14",
            "nodejs20.x",
            "nodejs24.x",
            "provided.al2023",
        ] {
            assert_eq!(check_runtime(rt), Ok(()), "{rt}");
        }
    }

    #[test]
    fn deprecated_and_unknown_runtimes_are_refused_with_the_list() {
        let dep = check_runtime("python3.9").unwrap_err();
        assert!(dep.message.contains("deprecated"), "{}", dep.message);
        assert!(dep.hint.contains("python3.12"));
        let unknown = check_runtime("python4").unwrap_err();
        assert!(unknown.message.contains("not a Lambda runtime"));
        assert!(unknown.hint.contains("nodejs22.x"));
        assert!(
            check_runtime("nodejs18.x")
                .unwrap_err()
                .message
                .contains("deprecated")
        );
    }

    #[test]
    fn function_names_follow_lambdas_pattern() {
        assert!(check_function_name("hello-dev_2").is_ok());
        assert!(check_function_name(&"a".repeat(64)).is_ok());
        assert!(check_function_name(&"a".repeat(65)).is_err());
        assert!(check_function_name("").is_err());
        assert!(check_function_name("has space").is_err());
        assert!(check_function_name("dot.name").is_err());
        assert!(check_function_name("arn:aws:lambda:us-east-1:123456789012:function:x").is_ok());
        assert!(check_function_name("arn:aws:s3:::bucket").is_err());
    }

    #[test]
    fn memory_bounds() {
        assert!(check_memory(128).is_ok());
        assert!(check_memory(10_240).is_ok());
        let low = check_memory(64).unwrap_err();
        assert_eq!(
            low.message,
            "memory = 64 is below Lambda's minimum of 128 MB"
        );
        assert!(
            check_memory(10_241)
                .unwrap_err()
                .message
                .contains("maximum")
        );
        assert!(check_memory(-1).is_err());
    }

    #[test]
    fn timeout_bounds() {
        assert!(check_timeout(1).is_ok());
        assert!(check_timeout(900).is_ok());
        assert!(check_timeout(0).is_err());
        assert!(check_timeout(901).is_err());
    }

    #[test]
    fn architectures() {
        assert!(check_architecture("x86_64").is_ok());
        assert!(check_architecture("arm64").is_ok());
        assert!(
            check_architecture("aarch64")
                .unwrap_err()
                .hint
                .contains("arm64")
        );
    }

    #[test]
    fn handlers() {
        assert!(check_handler("app.lambda_handler", "python3.12").is_ok());
        assert!(check_handler("src/api/app.handler", "python3.12").is_ok());
        assert!(check_handler("index.handler", "nodejs22.x").is_ok());
        assert!(
            check_handler("app", "python3.12")
                .unwrap_err()
                .message
                .contains("no function part")
        );
        assert!(check_handler("../app.handler", "python3.12").is_err());
        assert!(check_handler("/abs/app.handler", "python3.12").is_err());
        assert!(check_handler("app.", "python3.12").is_err());
        assert!(check_handler("app.1x", "python3.12").is_err());
        // A dotted Python module with an empty part names no module (and
        // read as a path, `/etc/x`).
        assert!(check_handler(".etc.x.handler", "python3.12").is_err());
        assert!(check_handler("pkg..app.handler", "python3.12").is_err());
        assert!(check_handler("pkg.app.handler", "python3.12").is_ok());
        assert!(check_handler("bootstrap", "provided.al2023").is_ok());
        assert!(check_handler("", "provided.al2023").is_err());
    }

    #[test]
    fn env_keys() {
        assert!(check_env_key("TABLE_NAME").is_ok());
        assert!(check_env_key("a1_b").is_ok());
        assert!(
            check_env_key("1ABC")
                .unwrap_err()
                .message
                .contains("not valid")
        );
        assert!(check_env_key("MY-KEY").is_err());
        assert!(check_env_key("").is_err());
        // Lambda refuses one-character keys (pattern [a-zA-Z]([a-zA-Z0-9_])+).
        assert!(check_env_key("A").is_err());
        assert!(check_env_key("A1").is_ok());
        assert!(
            check_env_key("AWS_REGION")
                .unwrap_err()
                .message
                .contains("reserved")
        );
        assert!(
            check_env_key("AWS_LAMBDA_FUNCTION_NAME")
                .unwrap_err()
                .message
                .contains("reserved")
        );
        assert!(check_env_key("_HANDLER").is_err());
    }

    #[test]
    fn env_size_counts_keys_and_values() {
        let a = ("A".to_string(), "xyz".to_string());
        assert_eq!(env_size([(&a.0, &a.1)]), 4);
        assert!(check_env_size(4096).is_ok());
        assert!(
            check_env_size(4097)
                .unwrap_err()
                .message
                .contains("4097 bytes")
        );
    }

    #[test]
    fn schedules() {
        for ok in [
            "rate(1 minute)",
            "rate(15 minutes)",
            "rate(2 days)",
            "cron(0 12 * * ? *)",
            "cron(0/15 8-17 ? * MON-FRI *)",
        ] {
            assert!(check_schedule(ok).is_ok(), "{ok}");
        }
        for bad in [
            "rate(5 minute)",
            "rate(1 minutes)",
            "rate(0 hours)",
            "rate(five minutes)",
            "cron(0 12 * * *)",
            "cron(0 12 * * 1 *)",
            "every 5 minutes",
            "rate(5 weeks)",
        ] {
            assert!(check_schedule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn triggers_are_checked_and_recursion_refused() {
        use crate::config::Trigger;
        use std::collections::BTreeMap;
        let s3 = |prefix: Option<&str>| Trigger::S3 {
            bucket: "photos".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: prefix.map(str::to_string),
            suffix: None,
        };
        let none = BTreeMap::new();
        assert!(check_trigger(&s3(None), &none).is_ok());
        let writes = BTreeMap::from([("OUTPUT_PREFIX".to_string(), "thumbnails/".to_string())]);
        assert!(
            check_trigger(&s3(None), &writes).is_err(),
            "everything includes the output"
        );
        assert!(check_trigger(&s3(Some("thumb")), &writes).is_err());
        assert!(check_trigger(&s3(Some("uploads/")), &writes).is_ok());
        let elsewhere = BTreeMap::from([
            ("OUTPUT_PREFIX".to_string(), "thumbnails/".to_string()),
            ("OUTPUT_BUCKET".to_string(), "other-bucket".to_string()),
        ]);
        assert!(check_trigger(&s3(None), &elsewhere).is_ok());
        let bad_event = Trigger::S3 {
            bucket: "photos".into(),
            events: vec!["ObjectCreated".into()],
            prefix: None,
            suffix: None,
        };
        assert!(check_trigger(&bad_event, &none).is_err());
        let bad_bucket = Trigger::S3 {
            bucket: "s3://photos".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: None,
            suffix: None,
        };
        assert!(check_trigger(&bad_bucket, &none).is_err());
        let sqs = |queue: &str, batch_size| Trigger::Sqs {
            queue: queue.into(),
            batch_size,
            report_batch_item_failures: false,
            batch_window: None,
        };
        let windowed = |batch_size, batch_window| Trigger::Sqs {
            queue: "orders".into(),
            batch_size,
            report_batch_item_failures: false,
            batch_window: Some(batch_window),
        };
        assert!(check_trigger(&windowed(100, 0), &none).is_err());
        assert!(check_trigger(&windowed(100, 5), &none).is_ok());
        assert!(check_trigger(&windowed(5, 301), &none).is_err());
        assert_eq!(sqs("orders", 100).batch_window(), 1);
        assert_eq!(sqs("orders", 10).batch_window(), 0);
        assert!(check_trigger(&sqs("orders", 10), &none).is_ok());
        assert!(check_trigger(&sqs("orders", 0), &none).is_err());
        assert!(check_trigger(&sqs("orders.fifo", 100), &none).is_err());
        assert!(
            check_trigger(
                &sqs("arn:aws:sqs:us-east-1:123456789012:orders", 10_000),
                &none
            )
            .is_ok()
        );
        assert!(
            check_trigger(&sqs("arn:aws:sns:us-east-1:123456789012:orders", 10), &none).is_err()
        );
        assert!(
            check_trigger(
                &Trigger::Sns {
                    topic: "alerts".into()
                },
                &none
            )
            .is_ok()
        );
        assert!(
            check_trigger(
                &Trigger::Sns {
                    topic: "bad topic".into()
                },
                &none
            )
            .is_err()
        );
    }

    #[test]
    fn aliases() {
        assert!(check_alias("live").is_ok());
        assert!(check_alias("prod_2").is_ok());
        assert!(check_alias("12").is_err());
        assert!(check_alias("").is_err());
        assert!(check_alias("a b").is_err());
    }

    #[test]
    fn api_tables_are_checked_per_kind() {
        use crate::config::{ApiConfig, ApiKind, CorsConfig};
        let mut api = ApiConfig {
            binary_media_types: Vec::new(),
            kind: ApiKind::Http,
            auth: None,
            routes: Some(vec!["GET /items".into(), "$default".into()]),
            id: None,
            cors: None,
        };
        assert!(check_api(&api).is_empty());
        api.routes = Some(vec!["GET items".into()]);
        assert_eq!(check_api(&api)[0].0, "routes");
        api.routes = None;
        api.auth = Some("NONE".into());
        assert_eq!(check_api(&api)[0].0, "auth");
        api.kind = ApiKind::Url;
        assert!(check_api(&api).is_empty());
        api.auth = Some("IAM".into());
        assert_eq!(check_api(&api)[0].0, "auth");
        api.auth = None;
        api.cors = Some(CorsConfig {
            origins: vec!["*".into()],
            credentials: true,
            ..Default::default()
        });
        assert_eq!(check_api(&api)[0].0, "cors");
        api.kind = ApiKind::Rest;
        api.cors = None;
        api.binary_media_types = vec!["image/png".into(), "*/*".into()];
        assert!(check_api(&api).is_empty());
        api.binary_media_types = vec!["png".into()];
        assert_eq!(check_api(&api)[0].0, "binary_media_types");
        api.kind = ApiKind::Http;
        api.binary_media_types = vec!["image/png".into()];
        assert!(
            check_api(&api)
                .iter()
                .any(|(k, _)| *k == "binary_media_types")
        );
        api.kind = ApiKind::Rest;
        api.binary_media_types = Vec::new();
        // A function URL's CORS follows Lambda's model (no OPTIONS, at most 6 methods).
        api.kind = ApiKind::Url;
        api.cors = Some(CorsConfig {
            methods: vec!["OPTIONS".into()],
            ..Default::default()
        });
        assert!(
            check_api(&api)
                .iter()
                .any(|(k, v)| *k == "cors" && v.message.contains("at most 6"))
        );
        api.cors = Some(CorsConfig {
            methods: vec!["GET".into(), "POST".into(), "*".into()],
            ..Default::default()
        });
        assert!(check_api(&api).is_empty(), "{:?}", check_api(&api));
        api.kind = ApiKind::Rest;
        api.cors = None;
        api.id = Some("abc-1".into());
        assert_eq!(check_api(&api)[0].0, "id");
    }

    #[test]
    fn policy_statements() {
        use crate::config::PolicyStatement;
        let ok = PolicyStatement {
            effect: None,
            actions: vec!["s3:GetObject".into()],
            resources: vec!["arn:aws:s3:::b/*".into()],
        };
        assert!(check_policy_statement(&ok).is_ok());
        let mut bad = ok.clone();
        bad.actions = vec!["GetObject".into()];
        assert!(check_policy_statement(&bad).is_err());
        let mut bad = ok.clone();
        bad.resources = vec!["photos".into()];
        assert!(check_policy_statement(&bad).is_err());
        let mut bad = ok;
        bad.effect = Some("allow".into());
        assert!(check_policy_statement(&bad).is_err());
    }

    #[test]
    fn role_arns() {
        assert!(check_role_arn("arn:aws:iam::123456789012:role/lambda-role").is_ok());
        assert!(check_role_arn("arn:aws:iam::123456789012:role/path/to/r").is_ok());
        assert!(check_role_arn("arn:aws:iam::12345:role/r").is_err());
        assert!(check_role_arn("lambda-role").is_err());
        assert!(check_role_arn("arn:aws:iam::123456789012:user/bob").is_err());
    }

    #[test]
    fn identifiers() {
        assert!(check_identifier("stage", "prod").is_ok());
        assert!(check_identifier("stage", "pr-12_x").is_ok());
        assert!(check_identifier("stage", "").is_err());
        assert!(check_identifier("stage", "a/b").is_err());
    }
}
