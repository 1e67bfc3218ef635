//! The command-line surface: every command, flag and help text.
//!
//! Only definitions live here; `commands/` holds what each command does.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes: 0 ok, 1 the function returned an error, 2 usage, 3 project configuration,
4 AWS, 5 local runtime, 130 interrupted.

Start here:  lam new hello && cd hello && lam invoke --local --event events/hello.json";

/// The AWS Lambda development loop in one small binary.
#[derive(Debug, Parser)]
#[command(
    name = "lam",
    version,
    about = "The AWS Lambda development loop in one small binary",
    long_about = "lam scaffolds, builds, deploys, invokes (locally and remotely) and tails the \
logs of AWS Lambda functions written in Python or Node.js. It talks to AWS directly through \
the official SDK: no Docker, no CloudFormation.\n\nThe project is described by lam.toml in the \
current directory (or the one given with -C).",
    after_help = AFTER_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// AWS named profile to use (default: AWS_PROFILE or "default")
    #[arg(long, global = true, value_name = "NAME", help_heading = "AWS")]
    pub profile: Option<String>,

    /// AWS region (default: AWS_REGION, the profile's region, or [project] region)
    #[arg(long, global = true, value_name = "REGION", help_heading = "AWS")]
    pub region: Option<String>,

    /// Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server
    #[arg(long, global = true, value_name = "URL", help_heading = "AWS")]
    pub endpoint_url: Option<String>,

    /// Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")
    #[arg(long, global = true, value_name = "STAGE", help_heading = "Project")]
    pub stage: Option<String>,

    /// Run as if lam was started in DIR
    #[arg(
        short = 'C',
        global = true,
        value_name = "DIR",
        help_heading = "Project"
    )]
    pub directory: Option<PathBuf>,

    /// Output format: human-readable text, or exactly one JSON document on stdout
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = OutputFormat::Text,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub output: OutputFormat,

    /// Answer yes to every confirmation (required for destructive actions without a terminal)
    #[arg(short = 'y', long, global = true, help_heading = "Output")]
    pub yes: bool,

    /// Show each AWS call with its duration (-vv: also request ids and step timings)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,

    /// Print only results and errors
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Output"
    )]
    pub quiet: bool,

    /// Never use colour (also when NO_COLOR is set)
    #[arg(long, global = true, help_heading = "Output")]
    pub no_color: bool,

    /// Trust this project's lam.toml for this run: its install scripts,
    /// interpolated credentials and wildcard IAM statements take effect (see `lam trust`)
    #[arg(long, global = true, help_heading = "Project")]
    pub trust: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new function project from a template
    #[command(
        after_help = "Examples:\n  lam new hello\n  lam new orders --runtime nodejs22.x --template api --api http"
    )]
    New(NewArgs),

    /// Package the function code into a reproducible zip in .lam/build/
    Build(BuildArgs),

    /// Run the project's own tests with the function's dependencies (pytest, node --test)
    #[command(
        after_help = "Python: `python -m pytest tests` with the interpreter local runs use, the requirements\ninstalled for it, boto3 as the runtime has it, and pytest (installed into lam's cache when\nthe interpreter has none). Node.js: `node --test` with the installed dependencies and the\nruntime's AWS SDK on NODE_PATH. Arguments after -- go to the test runner.\n\nExamples:\n  lam test\n  lam test -- -k preflight -x"
    )]
    Test(TestArgs),

    /// Create or update the function on AWS so that it matches lam.toml
    Deploy(DeployArgs),

    /// Point the function's alias back at an earlier version
    #[command(
        after_help = "Examples:\n  lam rollback\n  lam rollback --to 3\n  lam rollback api --stage prod"
    )]
    Rollback(RollbackArgs),

    /// Invoke the function on AWS, or locally with --local
    #[command(
        after_help = "Examples:\n  lam invoke --local --event events/hello.json\n  echo '{}' | lam invoke --event -\n  lam invoke --stage prod --event events/hello.json"
    )]
    Invoke(InvokeArgs),

    /// Show the function's CloudWatch logs, optionally following new events
    Logs(LogsArgs),

    /// Invocations, cold starts, durations, memory and cost, from the REPORT lines
    Stats(StatsArgs),

    /// Serve the functions locally as an API Gateway and a Lambda Invoke API
    Serve(ServeArgs),

    /// Run the deployed function's real invocations on this machine until Ctrl-C
    #[command(
        after_help = "While lam dev runs, the function's alias serves a relay that sends each invocation (its\nAPI, URL and triggers) to this machine through an SQS queue in your account, runs it with\nlam's local runtime, and returns the result. Ctrl-C puts the deployed code back.\n\nExamples:\n  lam dev\n  lam dev api --stage dev\n  lam dev --stop        # put the code back after a session that was killed"
    )]
    Dev(DevArgs),

    /// Write the editor's debugger configurations for `--debug` runs
    DebugConfig(DebugConfigArgs),

    /// Show and edit the function's environment variables
    Env(EnvArgs),

    /// Manage secrets in AWS Secrets Manager without ever printing them
    Secrets(SecretsArgs),

    /// List and generate sample trigger events (API Gateway, S3, SQS, ...)
    Events(EventsArgs),

    /// Show what is deployed and whether local code differs
    Status(StatusArgs),

    /// Delete what lam created for the stage
    Destroy(DestroyArgs),

    /// Trust this lam.toml's settings that run code or widen IAM (recorded for its exact content)
    #[command(
        after_help = "A cloned project's lam.toml is the repository's, not yours: until you trust it, lam\nruns no npm install scripts it asks for, copies no credential-looking shell variables\nit names in [project] interpolate, and deploys no wildcard IAM statement it holds.\n\nExamples:\n  lam trust            # after reading lam.toml\n  lam trust --check    # exit 1 unless this content is trusted\n  lam trust --revoke"
    )]
    Trust(TrustArgs),

    /// Check this machine (and the project here) for what lam needs, with what to do
    #[command(
        after_help = "One line per finding: the interpreter each runtime's local runs use and why, uv / pip /\nnpm, debugpy, Linux namespaces; AWS credentials' source, account, region, the clock\nagainst AWS's, and whether a deploy of this project is allowed; the project's lam.toml,\nhandlers and trust. Exits non-zero only when something blocks the project's runtimes.\n\nExamples:\n  lam doctor\n  lam doctor --no-aws\n  lam doctor --output json"
    )]
    Doctor(DoctorArgs),

    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  lam completions bash > ~/.local/share/bash-completion/completions/lam\n  lam completions zsh > ~/.zfunc/_lam\n  lam completions fish > ~/.config/fish/completions/lam.fish"
    )]
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Name of the project; also the directory created
    pub name: Option<String>,

    /// Lambda runtime (python3.10..python3.14, nodejs20.x..nodejs24.x), or just python / node
    #[arg(short, long, value_name = "RUNTIME")]
    pub runtime: Option<String>,

    /// Template to start from (see --list)
    #[arg(short, long, value_name = "TEMPLATE")]
    pub template: Option<String>,

    /// HTTP endpoint to configure in lam.toml
    #[arg(long, value_enum, value_name = "KIND")]
    pub api: Option<ApiKindArg>,

    /// Bucket whose uploads invoke the function (template s3-image)
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,

    /// When the function runs: rate(...) or cron(...) (template scheduled; default rate(15 minutes))
    #[arg(long, value_name = "EXPRESSION")]
    pub schedule: Option<String>,

    /// Write into an existing non-empty directory
    #[arg(long)]
    pub force: bool,

    /// List the available templates and exit
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApiKindArg {
    /// API Gateway REST API (payload format 1.0)
    Rest,
    /// API Gateway HTTP API (payload format 2.0)
    Http,
    /// Lambda function URL
    Url,
    /// No HTTP endpoint
    None,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Build only this function (the key under [functions.<name>])
    #[arg(short, long, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// Print the files that go into the zip instead of building it
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DevArgs {
    /// The functions (their keys under [functions.<name>]); default: every function of the stage
    #[arg(value_name = "FUNCTION")]
    pub functions: Vec<String>,

    /// Put the deployed code back and remove what a session made, then exit
    #[arg(long)]
    pub stop: bool,

    /// Take over a stage marked protected all the same
    #[arg(long)]
    pub force: bool,

    /// Let you assume the function's role for the session (a statement in its trust policy,
    /// removed on stop), so the handler runs with the role's permissions; unprotected stages only
    #[arg(long)]
    pub as_role: bool,

    /// Invocations run at once on this machine (1..=64); more wait
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,

    /// Run each function under a debugger (Python: debugpy, Node.js: the inspector), one
    /// runtime per function; raise the function's timeout to stop at breakpoints on real events
    #[arg(long)]
    pub debug: bool,

    /// The first function's debugger port; the next functions take the ports after it
    #[arg(long, value_name = "PORT", requires = "debug")]
    pub debug_port: Option<u16>,

    /// With --debug: run at once instead of waiting for a debugger to attach
    #[arg(long, requires = "debug")]
    pub no_wait: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// Deploy only this function (the key under [functions.<name>])
    #[arg(short, long, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// IAM role ARN for the function (overrides `role` in lam.toml)
    #[arg(long, value_name = "ARN")]
    pub role: Option<String>,

    /// Deploy a public endpoint (function URL with auth NONE, REST or HTTP API)
    /// in front of a role that lam.toml grants wildcard IAM permissions
    #[arg(long)]
    pub allow_public_wildcard_role: bool,

    /// Show what would change without changing anything
    #[arg(long)]
    pub dry_run: bool,

    /// Bucket for packages over Lambda's 50 MB direct-upload limit (overrides [build] s3_bucket)
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,

    /// After publishing, delete older versions that no alias points at, keeping the newest N
    #[arg(long, value_name = "N")]
    pub keep_versions: Option<u32>,

    /// Take over a function of the same name that lam did not create (lam tags
    /// it and manages it from then on); without it such a function is refused
    #[arg(long)]
    pub adopt: bool,

    /// Also deploy the variables of this dotenv file (lam.toml's env wins on conflicts);
    /// .env files are never deployed otherwise
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<String>,

    /// How many functions to deploy at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=32))]
    pub concurrency: u32,

    /// After deploying, keep syncing changes until Ctrl-C: code edits update
    /// $LATEST's code, requirement edits the dependency layer, lam.toml edits
    /// run a full deploy (the alias keeps serving the last published version)
    #[arg(long, conflicts_with = "dry_run")]
    pub watch: bool,

    /// With --watch: print the functions' logs as `lam logs --follow` does
    #[arg(long, requires = "watch")]
    pub logs: bool,

    /// With --watch: sync a stage marked `protected = true` all the same
    #[arg(long, requires = "watch")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// Function to roll back: a key under [functions.<name>] (default: the only function)
    pub function: Option<String>,

    /// Version to point the alias at (default: the version before the current one)
    #[arg(long, value_name = "VERSION")]
    pub to: Option<u64>,
}

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// Function to invoke: a key under [functions.<name>] (default: the only
    /// function); outside a project, any deployed function's name or ARN
    pub function: Option<String>,

    /// Event JSON: a file path, or - for stdin (default: {})
    #[arg(short, long, value_name = "FILE")]
    pub event: Option<String>,

    /// Generate the event instead, as `lam events generate SOURCE` would (e.g. apigw-rest)
    #[arg(long, value_name = "SOURCE", conflicts_with = "event")]
    pub event_source: Option<String>,

    #[command(flatten)]
    pub event_args: EventArgs,

    /// Run the handler on this machine through lam's Lambda Runtime API emulator
    #[arg(short, long)]
    pub local: bool,

    /// With --local: run the official runtime client (awslambdaric for Python, aws-lambda-ric for Node.js) instead of lam's bootstrap
    #[arg(long, requires = "local")]
    pub ric: bool,

    /// With --local: run the handler under a debugger (Python: debugpy,
    /// Node.js: the inspector) and wait for one to attach
    #[arg(long, requires = "local", conflicts_with = "profile_init")]
    pub debug: bool,

    /// The first function's debugger port; a function listens on it plus its
    /// place in lam.toml, as under `lam serve --debug` (default: 5678 when
    /// the first function is Python, 9229 when it is Node.js)
    #[arg(long, value_name = "PORT", requires = "debug")]
    pub debug_port: Option<u16>,

    /// With --debug: run at once instead of waiting for a debugger to attach
    #[arg(long, requires = "debug")]
    pub no_wait: bool,

    /// With --local: where the cold start goes (interpreter, each import,
    /// module-level code): Python's -X importtime, compiled from source as
    /// on Lambda; Node.js: a CPU profile of the handler's import
    #[arg(long, requires = "local", conflicts_with = "ric")]
    pub profile_init: bool,

    /// Client context as a JSON object (the Invoke API's ClientContext): the
    /// handler reads it as context.client_context (Python) or
    /// context.clientContext (Node.js)
    #[arg(long, value_name = "JSON")]
    pub client_context: Option<String>,

    /// Tenant of a multi-tenant function (the Invoke API's TenantId): the
    /// handler reads it as context.tenant_id (Python) or context.tenantId (Node.js)
    #[arg(long, value_name = "ID")]
    pub tenant_id: Option<String>,

    /// Version or alias to invoke (remote only)
    #[arg(long, value_name = "QUALIFIER", conflicts_with = "local")]
    pub qualifier: Option<String>,

    /// Invoke asynchronously (InvocationType Event) and print the request id
    #[arg(long = "async", conflicts_with = "local")]
    pub asynchronous: bool,

    /// Then print the invocation's complete log from CloudWatch (not just the last 4 KB)
    #[arg(long, conflicts_with_all = ["local", "asynchronous"])]
    pub tail: bool,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Function whose logs to show (default: the only function); outside a
    /// project, any deployed function's name or ARN
    pub function: Option<String>,

    /// Keep printing new events until Ctrl-C (through a CloudWatch Live Tail
    /// session where the endpoint has one, else by polling)
    #[arg(short, long)]
    pub follow: bool,

    /// Follow by polling FilterLogEvents, not Live Tail (Live Tail sessions
    /// are billed per minute)
    #[arg(long, requires = "follow")]
    pub poll: bool,

    /// Start time: a duration ago (10m, 2h, 1d) or an ISO-8601 timestamp
    #[arg(long, value_name = "WHEN", default_value = "10m")]
    pub since: String,

    /// End time, in the same forms as --since
    #[arg(long, value_name = "WHEN", conflicts_with = "follow")]
    pub until: Option<String>,

    /// CloudWatch Logs filter pattern
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,

    /// Only events of this invocation
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,

    /// How to print each event
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<LogFormat>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Function to summarise (default: the only function); outside a
    /// project, any deployed function's name or ARN
    pub function: Option<String>,

    /// Start time: a duration ago (1h, 24h, 7d) or an ISO-8601 timestamp
    #[arg(long, value_name = "WHEN", default_value = "1h")]
    pub since: String,

    /// End time, in the same forms as --since
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Only this version, or the version this alias points to
    #[arg(long, value_name = "QUALIFIER")]
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Short,
    Json,
    Raw,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback also needs --allow-remote
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    pub host: String,

    /// Let a --host other than loopback be used: anyone who can reach the port
    /// then runs your handlers with your AWS credentials
    #[arg(long)]
    pub allow_remote: bool,

    /// Port to listen on
    #[arg(short, long, default_value_t = 3000, value_name = "PORT")]
    pub port: u16,

    /// Warm runtime processes kept per function (1..=64)
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,

    /// Restart runtime processes when project files change
    #[arg(short, long)]
    pub watch: bool,

    /// Run functions with the official runtime client (awslambdaric, aws-lambda-ric) instead of lam's bootstrap
    #[arg(long)]
    pub ric: bool,

    /// Run each function under a debugger (Python: debugpy, Node.js: the
    /// inspector), one warm runtime per function, each on its own port
    #[arg(long)]
    pub debug: bool,

    /// The first function's debugger port; the next functions take the
    /// ports after it (default: 5678 for Python, 9229 for Node.js)
    #[arg(long, value_name = "PORT", requires = "debug")]
    pub debug_port: Option<u16>,

    /// With --debug: start the runtimes at once instead of waiting for a
    /// debugger to attach
    #[arg(long, requires = "debug")]
    pub no_wait: bool,
}

#[derive(Debug, Args)]
pub struct DebugConfigArgs {
    /// The editor to configure
    #[arg(value_enum)]
    pub editor: Editor,

    /// Print the configurations instead of adding them to .vscode/launch.json
    #[arg(long)]
    pub print: bool,

    /// The debugger port of the first function, as given to --debug-port
    #[arg(long, value_name = "PORT")]
    pub debug_port: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Editor {
    /// Visual Studio Code (and editors that read .vscode/launch.json)
    Vscode,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    #[command(subcommand)]
    pub command: EnvCommand,
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Show the effective variables for the stage (secret-looking values masked)
    List {
        /// Show the variables of the deployed function instead
        #[arg(long)]
        remote: bool,
        /// Do not mask values of keys that look secret
        #[arg(long)]
        show_values: bool,
    },
    /// Compare lam.toml's variables with the deployed function's
    Diff {
        /// Do not mask values of keys that look secret
        #[arg(long)]
        show_values: bool,
    },
    /// Set variables in lam.toml, keeping its comments and layout
    Set {
        /// KEY=VALUE pairs; KEY=- reads the value from standard input
        #[arg(required = true, value_name = "KEY=VALUE")]
        pairs: Vec<String>,
        /// Set a key whose name looks secret (PASSWORD, TOKEN, KEY...) in lam.toml
        /// anyway; `lam secrets set` is the place for secrets
        #[arg(long)]
        plain: bool,
    },
    /// Remove variables from lam.toml
    Unset {
        /// Keys to remove
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct SecretsArgs {
    #[command(subcommand)]
    pub command: SecretsCommand,
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)
    Set {
        /// Secret name, stored as <project>/<stage>/<NAME>
        name: String,
        /// Read the value from this file
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
    },
    /// List secret names and when they last changed (never values)
    List,
    /// Show a secret, masked unless --reveal
    Get {
        name: String,
        /// Print the value itself
        #[arg(long)]
        reveal: bool,
    },
    /// Delete a secret (with a recovery window unless --force)
    Rm {
        name: String,
        /// Delete at once, without a recovery window
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(subcommand)]
    pub command: EventsCommand,
}

// Parsed once per run: the size of the larger variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// List the event sources lam can generate
    List,
    /// Print a sample event for SOURCE
    #[command(
        after_help = "Examples:\n  lam events generate apigw-rest --method POST --path /items --body '{\"name\":\"pen\"}'\n  lam events generate s3-put --bucket photos --key uploads/cat.jpg --size 52000\n  lam events generate sqs --count 10 --seed 1 > events/sqs.json"
    )]
    Generate {
        /// Event source, e.g. apigw-rest, apigw-http, s3-put, sqs (see `lam events list`)
        source: String,

        #[command(flatten)]
        args: EventArgs,
    },
}

/// Parameters of generated events (`lam events generate`, `lam invoke --event-source`).
#[derive(Debug, Clone, Default, Args)]
pub struct EventArgs {
    /// HTTP method of HTTP events
    #[arg(long, value_name = "METHOD", help_heading = "Event")]
    pub method: Option<String>,
    /// Request path of HTTP events
    #[arg(long, value_name = "PATH", help_heading = "Event")]
    pub path: Option<String>,
    /// Query parameter (repeatable)
    #[arg(long = "query", value_name = "KEY=VALUE", help_heading = "Event")]
    pub query: Vec<String>,
    /// Header (repeatable)
    #[arg(long = "header", value_name = "KEY=VALUE", help_heading = "Event")]
    pub header: Vec<String>,
    /// Path parameter (repeatable)
    #[arg(long = "path-param", value_name = "KEY=VALUE", help_heading = "Event")]
    pub path_param: Vec<String>,
    /// Body or message: text, or @FILE
    #[arg(long, value_name = "TEXT|@FILE", help_heading = "Event")]
    pub body: Option<String>,
    /// S3 bucket of S3 events
    #[arg(long, value_name = "BUCKET", help_heading = "Event")]
    pub bucket: Option<String>,
    /// S3 object key of S3 events
    #[arg(long, value_name = "KEY", help_heading = "Event")]
    pub key: Option<String>,
    /// S3 object size in bytes
    #[arg(long, value_name = "BYTES", help_heading = "Event")]
    pub size: Option<u64>,
    /// Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)
    #[arg(long, value_name = "N", help_heading = "Event")]
    pub count: Option<usize>,
    /// Make ids and timestamps reproducible
    #[arg(long, value_name = "N", help_heading = "Event")]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only this function
    pub function: Option<String>,

    /// Exit with code 1 when local code or configuration differs from what is deployed
    #[arg(long)]
    pub check: bool,

    /// Compare as `lam deploy --env-file FILE` would deploy
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<String>,

    /// Compare as `lam deploy --role ARN` would deploy
    #[arg(long, value_name = "ARN")]
    pub role: Option<String>,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// Only this function (default: every function of the stage)
    #[arg(short, long, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// Also delete the functions' CloudWatch log groups
    #[arg(long)]
    pub logs: bool,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Forget the trust given to this lam.toml
    #[arg(long, conflicts_with = "check")]
    pub revoke: bool,

    /// Only say whether this content is trusted (exit 1 when not)
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test only this function's directory (the key under [functions.<name>])
    #[arg(short, long, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// Arguments for the test runner (after --)
    #[arg(last = true, value_name = "ARGS")]
    pub args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Skip the AWS checks (no network)
    #[arg(long)]
    pub no_aws: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_help_text() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            assert!(
                sub.get_about().is_some(),
                "`lam {}` has no help text",
                sub.get_name()
            );
            for arg in sub.get_arguments() {
                assert!(
                    arg.get_help().is_some() || arg.is_hide_set() || arg.get_id() == "help",
                    "`lam {} --{}` has no help text",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }
}
