//! AWS access: one place that builds the SDK configuration from the global
//! flags and the standard credential chain, and turns SDK errors into
//! messages a person can act on.

pub mod dev;
pub mod endpoint;
pub mod http_api;
pub mod iam;
pub mod lambda;
pub mod lock;
pub mod logs;
pub mod profile;
pub mod rest_api;
pub mod s3;
pub mod secrets;
pub mod simulate;
pub mod sqs;
pub mod triggers;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};

/// How long a connection attempt may take before the endpoint counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt of a call may wait for its answer.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a call may take in all, retries included: a hung endpoint
/// fails after this, never later.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(90);
/// Calls that carry a package (up to 50 MB direct, 250 MB through S3) get
/// longer, so a slow uplink is not mistaken for a hung endpoint.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(900);
/// Attempts per call (the SDK's standard retry mode: exponential backoff
/// with full jitter on throttling, 5xx and connection errors), unless
/// AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise.
pub const MAX_ATTEMPTS: u32 = 8;

/// A loaded AWS configuration plus what lam needs to explain failures.
#[derive(Clone)]
pub struct Aws {
    pub config: SdkConfig,
    calls: Arc<CallLog>,
    /// The caller's account and ARN, asked once per run.
    account: Arc<tokio::sync::OnceCell<(String, String, String)>>,
    /// `--profile`, for what errors say.
    profile: Option<String>,
}

impl Aws {
    /// Builds the SDK configuration: flags first, then the standard chain
    /// (environment, profile, SSO, container and instance credentials).
    /// `fallback_region` is lam.toml's `[project] region`.
    pub async fn connect(
        global: &GlobalArgs,
        fallback_region: Option<&str>,
        verbose: u8,
    ) -> Result<Aws> {
        let http_client = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http_client)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .operation_timeout(OPERATION_TIMEOUT)
                    .build(),
            );
        // The AWS files, read once for what lam asks of them.
        let profiles = profile::profiles();
        if std::env::var_os("AWS_MAX_ATTEMPTS").is_none()
            && !profile_sets_attempts(global, &profiles)
        {
            loader = loader.retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
        }
        profile::check_selected(global.profile.as_deref(), &profiles)?;
        if let Some(profile) = &global.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &global.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &global.endpoint_url {
            check_endpoint_url(url)?;
            loader = loader.endpoint_url(url);
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            match fallback_region {
                Some(region) => {
                    config = config
                        .into_builder()
                        .region(Region::new(region.to_string()))
                        .build();
                }
                None => {
                    return Err(Error::aws("no AWS region is set").with_hint(
                        "pass --region, set AWS_REGION, add `region` to your AWS profile, \
                         or set region under [project] in lam.toml",
                    ));
                }
            }
        }
        Ok(Aws {
            config,
            calls: Arc::new(CallLog {
                verbose,
                count: AtomicUsize::new(0),
                names: Default::default(),
                date: Default::default(),
            }),
            account: Default::default(),
            profile: global.profile.clone(),
        })
    }

    /// A configuration for unit tests: fixed credentials, us-east-1, and
    /// `endpoint` (a local server the test runs).
    #[cfg(test)]
    pub fn for_tests(endpoint: &str) -> Aws {
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(aws_sdk_lambda::config::SharedCredentialsProvider::new(
                aws_sdk_lambda::config::Credentials::new("AKIDTEST", "secret", None, None, "test"),
            ))
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .retry_config(RetryConfig::disabled())
            .build();
        Aws {
            config,
            calls: Arc::new(CallLog {
                verbose: 0,
                count: AtomicUsize::new(0),
                names: Default::default(),
                date: Default::default(),
            }),
            account: Default::default(),
            profile: None,
        }
    }

    pub fn region(&self) -> &str {
        self.config
            .region()
            .map(|r| r.as_ref())
            .unwrap_or("us-east-1")
    }

    /// The endpoint a person would recognise, for error messages.
    pub fn endpoint(&self, service: &str) -> String {
        match self.config.endpoint_url() {
            Some(url) => url.to_string(),
            None => format!(
                "{service}.{}.{}",
                self.region(),
                iam::dns_suffix(self.region())
            ),
        }
    }

    /// The account the credentials belong to (STS GetCallerIdentity, asked
    /// once however many functions need it).
    pub async fn account(&self) -> Result<String> {
        Ok(self.caller().await?.0)
    }

    /// The account and the ARN of the credentials' principal (a user, an
    /// assumed-role session, root).
    pub async fn caller(&self) -> Result<(String, String)> {
        self.identity()
            .await
            .map(|(account, arn, _)| (account, arn))
    }

    /// The caller's unique id as IAM's `aws:userid` has it: a user's id,
    /// or `role-id:session-name` for an assumed role's session.
    pub async fn caller_user_id(&self) -> Result<String> {
        self.identity().await.map(|(_, _, id)| id)
    }

    async fn identity(&self) -> Result<(String, String, String)> {
        self.account
            .get_or_try_init(|| self.caller_identity())
            .await
            .cloned()
    }

    async fn caller_identity(&self) -> Result<(String, String, String)> {
        let conf = aws_sdk_sts::config::Builder::from(&self.config)
            .interceptor(self.interceptor())
            .build();
        let out = aws_sdk_sts::Client::from_conf(conf)
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| sdk_error(self, "sts", "GetCallerIdentity", e))?;
        let account = out
            .account()
            .map(str::to_string)
            .ok_or_else(|| Error::aws("GetCallerIdentity answered without an account"))?;
        Ok((
            account,
            out.arn().unwrap_or_default().to_string(),
            out.user_id().unwrap_or_default().to_string(),
        ))
    }

    /// How many AWS calls this run has made so far.
    pub fn call_count(&self) -> usize {
        self.calls.count.load(Ordering::Relaxed)
    }

    /// The operations called after the first `from` calls.
    pub fn calls_since(&self, from: usize) -> Vec<String> {
        self.calls
            .names
            .lock()
            .map(|n| n.iter().skip(from).cloned().collect())
            .unwrap_or_default()
    }

    /// The `Date` header of the last AWS response and the local time it
    /// was read at.
    pub fn server_date(&self) -> Option<(String, std::time::SystemTime)> {
        self.calls.date.lock().ok()?.clone()
    }

    fn interceptor(&self) -> CallLogInterceptor {
        CallLogInterceptor(self.calls.clone())
    }
}

/// Whether the profile in use sets max_attempts (then it wins over lam's default).
fn profile_sets_attempts(
    global: &GlobalArgs,
    profiles: &std::collections::BTreeMap<String, profile::Keys>,
) -> bool {
    let (name, _) = profile::selected(global.profile.as_deref());
    profiles
        .get(&name)
        .is_some_and(|keys| keys.contains_key("max_attempts"))
}

/// Timeouts for a call that uploads a package.
pub fn upload_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(UPLOAD_TIMEOUT)
        .operation_timeout(UPLOAD_TIMEOUT * 2)
        .build()
}

/// Whether a failed call is worth trying again: throttling, a 5xx, a
/// timeout or a broken connection. (The SDK retries these itself; lam asks
/// where it drives a retry of its own.)
pub fn is_transient<E, R>(err: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(e) => {
            matches!(
                e.err().code(),
                Some(
                    "Throttling"
                        | "ThrottlingException"
                        | "TooManyRequestsException"
                        | "RequestLimitExceeded"
                        | "ServiceUnavailable"
                        | "ServiceException"
                        | "InternalFailure"
                        | "InternalServerError"
                        | "InternalError"
                )
            )
        }
        _ => false,
    }
}

/// A pause of up to `base`, chosen at random (full jitter), so that
/// retries of several concurrent deploys do not fall into step.
pub fn jitter(base: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0) as u128;
    let max = base.as_nanos().max(1);
    Duration::from_nanos(((nanos * 2_654_435_761) % max) as u64 + 1)
}

pub fn check_endpoint_url(url: &str) -> Result<()> {
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
    if ok {
        Ok(())
    } else {
        Err(
            Error::usage(format!("--endpoint-url \"{url}\" is not an http(s) URL"))
                .with_hint("write it as http://HOST:PORT or https://HOST"),
        )
    }
}

/// Turns an SDK error into lam's error: the service's code and message,
/// plus the hint lam knows.
pub fn sdk_error<E, R>(aws: &Aws, service: &str, operation: &str, err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let endpoint = aws.endpoint(service);
    if let SdkError::ServiceError(service_err) = &err {
        let e = service_err.err();
        let code = e.code().unwrap_or("UnknownError");
        let message = e.message().unwrap_or("no message");
        let error =
            Error::aws(format!("{operation}: {code}: {message}")).with_hint(hint_for_code(code));
        return match cause_of(code) {
            Some(cause) => error.with_cause(cause),
            None => error,
        };
    }
    let chain = DisplayErrorContext(&err).to_string();
    if mentions_credentials(&chain) {
        return no_credentials(aws.profile.as_deref());
    }
    match &err {
        SdkError::TimeoutError(_) => Error::aws(format!(
            "{operation}: {endpoint} did not answer ({} s per attempt, {} s in all)",
            ATTEMPT_TIMEOUT.as_secs(),
            OPERATION_TIMEOUT.as_secs()
        ))
        .with_hint(
            "check --endpoint-url / AWS_ENDPOINT_URL and your network; the service may be down",
        ),
        SdkError::DispatchFailure(df) if df.is_io() || df.is_timeout() => {
            Error::aws(format!("{operation}: cannot reach {endpoint}"))
                .with_hint("check --endpoint-url / AWS_ENDPOINT_URL, the region and your network")
        }
        SdkError::ResponseError(_) => Error::aws(format!(
            "{operation}: {endpoint} sent an answer lam cannot read: {chain}"
        ))
        .with_hint("is --endpoint-url pointing at an AWS-compatible service?"),
        _ => Error::aws(format!("{operation} failed: {chain}"))
            .with_hint("run again with -v to see each AWS call"),
    }
}

/// The endpoint does not have this operation at all: an emulator that
/// lacks it answers a bare 404/405/501 naming no AWS error (moto's HTML
/// "Not Found"), or names an unknown action. AWS's own "not found" errors
/// (a 404 with ResourceNotFoundException and the like) are not this.
pub fn operation_missing<E: ProvideErrorMetadata>(
    err: &SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> bool {
    let code = err.as_service_error().and_then(|e| e.code());
    matches!(
        code,
        Some("UnknownOperationException" | "InvalidAction" | "NotImplemented")
    ) || (code.is_none()
        && err
            .raw_response()
            .is_some_and(|r| matches!(r.status().as_u16(), 404 | 405 | 501)))
}

/// The credentials the standard chain gives this user (with `profile`), for
/// `lam serve` to verify the Invoke API's signatures; None when there are
/// none, or they take longer than three seconds to find.
pub async fn resolve_credentials(
    profile: Option<&str>,
) -> Option<crate::local::sigv4::Credentials> {
    use aws_sdk_lambda::config::ProvideCredentials;
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http_client);
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    let config = loader.load().await;
    let provider = config.credentials_provider()?;
    let creds = tokio::time::timeout(Duration::from_secs(3), provider.provide_credentials())
        .await
        .ok()?
        .ok()?;
    Some(crate::local::sigv4::Credentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().map(str::to_string),
    })
}

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary (names are cut to AWS's limits; a multibyte
/// character must not be split).
pub fn prefix_chars(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The typed cause behind a service's error code.
fn cause_of(code: &str) -> Option<crate::error::Cause> {
    use crate::error::Cause;
    match code {
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "AuthorizationError" => Some(Cause::AccessDenied),
        "ResourceNotFoundException"
        | "NotFoundException"
        | "NoSuchEntity"
        | "NoSuchBucket"
        | "NoSuchKey"
        | "NotFound" => Some(Cause::NotFound),
        "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "RequestLimitExceeded" => Some(Cause::Throttled),
        _ => None,
    }
}

fn mentions_credentials(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("no credentials")
        || lower.contains("credentials provider")
        || lower.contains("identity resolver")
        || lower.contains("failed to load credentials")
        || lower.contains("credentialsnotloaded")
}

fn no_credentials(flag: Option<&str>) -> Error {
    let (profile, _) = profile::selected(flag);
    Error::aws("no AWS credentials found").with_hint(format!(
        "lam tried AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, the profile \"{profile}\" in \
         ~/.aws/credentials and ~/.aws/config (SSO, credential_process), web identity, and \
         container / instance metadata; run `aws configure` or `aws sso login`, or pass --profile"
    ))
}

fn hint_for_code(code: &str) -> String {
    match code {
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
            "your credentials lack a permission for this call; the message names it".into()
        }
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch" => {
            "the credentials are not valid for this account or region (or this machine's clock is off: `lam doctor` measures it); check --profile and the keys"
                .into()
        }
        "RequestTimeTooSkewed" => {
            "this machine's clock is more than 5 minutes off AWS's, and SigV4 refuses that: set the time (timedatectl set-ntp true); `lam doctor` shows the offset".into()
        }
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
            "your session has expired: run `aws sso login` or refresh the credentials".into()
        }
        "ResourceNotFoundException" => "check the name, --stage and --region".into(),
        "TooManyRequestsException" | "ThrottlingException" => {
            "AWS is throttling calls; lam retried already, wait a moment and run again".into()
        }
        _ => "run again with -v to see each AWS call".into(),
    }
}

// ---------------------------------------------------------------------------
// -v: one line per AWS call.

#[derive(Debug)]
struct CallLog {
    verbose: u8,
    count: AtomicUsize,
    /// The operations called, in order (`deploy --watch` says which).
    names: std::sync::Mutex<Vec<String>>,
    /// The `Date` header of the last response, and when it came: the
    /// clock AWS signs against (`lam doctor`).
    date: std::sync::Mutex<Option<(String, std::time::SystemTime)>>,
}

#[derive(Debug, Clone)]
struct CallStarted(Instant);

impl Storable for CallStarted {
    type Storer = StoreReplace<Self>;
}

#[derive(Debug)]
struct CallLogInterceptor(Arc<CallLog>);

impl Intercept for CallLogInterceptor {
    fn name(&self) -> &'static str {
        "LamCallLog"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state()
            .store_put(CallStarted(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.count.fetch_add(1, Ordering::Relaxed);
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_default();
        if let Ok(mut names) = self.0.names.lock() {
            names.push(operation.clone());
        }
        if let Some(date) = context
            .response()
            .and_then(|r| r.headers().get("date"))
            .map(str::to_string)
            && let Ok(mut last) = self.0.date.lock()
        {
            *last = Some((date, std::time::SystemTime::now()));
        }
        if self.0.verbose == 0 {
            return Ok(());
        }
        let elapsed = cfg
            .load::<CallStarted>()
            .map(|s| crate::ui::format_duration(s.0.elapsed()))
            .unwrap_or_default();
        let status = match context.response() {
            Some(r) => r.status().as_u16().to_string(),
            None => "no response".into(),
        };
        let mut line = format!("aws: {service}.{operation} {status} {elapsed}");
        if self.0.verbose > 1
            && let Some(id) = context.response().and_then(|r| {
                r.headers()
                    .get("x-amzn-requestid")
                    .or_else(|| r.headers().get("x-amz-request-id"))
            })
        {
            line.push_str(&format!(" request-id={id}"));
        }
        eprintln!("{}", console::style(line).dim());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls_are_checked() {
        assert!(check_endpoint_url("http://127.0.0.1:5000").is_ok());
        assert!(check_endpoint_url("https://lambda.example.com").is_ok());
        assert!(check_endpoint_url("127.0.0.1:5000").is_err());
        assert!(check_endpoint_url("http://").is_err());
    }

    #[test]
    fn credential_failures_are_recognised() {
        assert!(mentions_credentials(
            "failed to construct request: No credentials in the chain"
        ));
        assert!(!mentions_credentials("connection refused"));
    }

    #[test]
    fn hints_name_the_fix() {
        assert!(hint_for_code("ExpiredTokenException").contains("sso login"));
        assert!(hint_for_code("AccessDeniedException").contains("permission"));
    }
}
