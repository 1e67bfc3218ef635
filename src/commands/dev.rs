//! `lam dev`: the deployed function's alias serves lam's relay, and each
//! real invocation runs the handler here (see `crate::dev`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Context;
use crate::aws::dev::{DevAws, now_secs};
use crate::cli::DevArgs;
use crate::config::{Function, Project};
use crate::dev::{Kind, Names, Payload, Request, RestorePoint, Spilled};
use crate::error::{Error, Result};
use crate::local::serve::Pool;

pub async fn run(ctx: &Context<'_>, args: DevArgs) -> Result<()> {
    let project = ctx.project_with_env()?;
    let mut functions: Vec<Function> = Vec::new();
    if args.functions.is_empty() {
        functions.extend(project.select(None)?.into_iter().cloned());
    } else {
        for key in &args.functions {
            functions.extend(project.select(Some(key))?.into_iter().cloned());
        }
    }
    let aws = ctx.aws(Some(&project)).await?;
    let dev = DevAws::new(&aws);
    let region = aws.region().to_string();
    let account = aws.account().await?;
    let place = (account.as_str(), region.as_str());

    if args.stop {
        for function in &functions {
            stop(ctx, &dev, function, &Names::of(&function.name), place).await?;
        }
        return Ok(());
    }
    if args.debug && !cfg!(target_os = "linux") {
        return Err(Error::usage("--debug needs Linux here").with_hint(
            "lam keeps other users off the debug port by reading Linux's socket table; see SECURITY.md",
        ));
    }
    if project.protected && !args.force {
        return Err(Error::usage(format!(
            "stage {} is protected: lam dev does not take its functions over",
            project.stage
        ))
        .with_hint("use another stage, or pass --force to take it over all the same"));
    }
    if args.as_role && project.protected {
        return Err(Error::usage(format!(
            "stage {} is protected: lam dev --as-role does not change its role's trust policy",
            project.stage
        ))
        .with_hint("leave --as-role out: the handler then runs with your credentials"));
    }
    // One session a function, side by side; Ctrl-C ends them all.
    let sessions = functions
        .iter()
        .map(|function| session(ctx, &project, function, &aws, &dev, &args));
    let outcomes = futures_util::future::join_all(sessions).await;
    let mut problems = Vec::new();
    for (function, outcome) in functions.iter().zip(outcomes) {
        if let Err(e) = outcome {
            for p in e.problems {
                problems.push(crate::error::Problem {
                    message: format!("{}: {}", function.key, p.message),
                    hint: p.hint,
                });
            }
            if problems.len() == 1 && functions.len() == 1 {
                return Err(Error::many(e.kind, problems));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::many(crate::error::Kind::Aws, problems))
    }
}

/// One function's session, from taking it over to putting it back.
async fn session(
    ctx: &Context<'_>,
    project: &Project,
    function: &Function,
    aws: &crate::aws::Aws,
    dev: &DevAws,
    args: &DevArgs,
) -> Result<()> {
    let (project, function, aws, dev) =
        (project.clone(), function.clone(), aws.clone(), dev.clone());
    let names = Names::of(&function.name);
    let region = aws.region().to_string();
    let account = aws.account().await?;
    let place = (account.as_str(), region.as_str());
    // A session killed earlier on this machine is put back first; one
    // still running here (another lam dev) is left alone.
    if let Some(point) = RestorePoint::load(&account, &region, &function.name)? {
        if point.pid != std::process::id() && crate::aws::lock::alive(point.pid) {
            return Err(Error::usage(format!(
                "{} is in a lam dev session of this machine already (process {})",
                function.name, point.pid
            ))
            .with_hint("stop that one first (Ctrl-C where it runs, or lam dev --stop)"));
        }
        ctx.ui
            .warn("a lam dev session of this function did not end cleanly: putting it back first");
        stop(ctx, &dev, &function, &names, place).await?;
    }

    // 1. What is deployed, and that it is lam's to take over.
    let step = ctx.ui.step(format!("Read {}", function.name));
    let deployed = dev.lambda.get(&function.name).await?.ok_or_else(|| {
        Error::usage(format!("{} is not deployed", function.name))
            .with_hint("deploy it first: lam deploy")
    })?;
    if let Some(other) = &deployed.dev {
        return Err(Error::usage(format!(
            "{} is in a lam dev session already (lam:dev {})",
            function.name,
            crate::terminal::escape(other)
        ))
        .with_hint("stop it where it runs, or run lam deploy to put the code back"));
    }
    let Some(alias_version) = dev
        .lambda
        .alias_version(&function.name, &function.alias)
        .await?
    else {
        return Err(
            Error::usage(format!("{} has no alias {}", function.name, function.alias))
                .with_hint("deploy it first: lam deploy"),
        );
    };
    let role = deployed
        .settings
        .role
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let lam_role = crate::aws::iam::role_name(&project.name, &project.stage, &function.key);
    if role != lam_role {
        return Err(Error::usage(format!(
            "{} runs as {}, a role lam does not change; the relay needs to reach lam dev's queues",
            function.name, deployed.settings.role
        ))
        .with_hint(
            "use the role lam creates (leave role out of lam.toml) for the stage you develop on",
        ));
    }
    // The exact code to put back: this project's zip, when it is what is
    // deployed (lam's zips are reproducible).
    let pkg = crate::package::build(&project.root, &function, ctx.ui)?;
    if pkg.sha256 != deployed.code_sha256 {
        return Err(Error::usage(format!(
            "{}'s deployed code is not this project's code as it is now",
            function.name
        ))
        .with_hint(
            "run lam deploy first, so that lam dev can put that exact code back when it stops",
        ));
    }
    step.done(format!("version {alias_version} as {}", function.alias));

    // 2. The session: restore point first, then the AWS side.
    let (session, key) = crate::dev::new_session()?;
    let mut point = RestorePoint {
        function: function.name.clone(),
        account: account.clone(),
        region: region.clone(),
        session: session.clone(),
        since: now_secs(),
        alias: function.alias.clone(),
        alias_version,
        relay_version: None,
        runtime: deployed.settings.runtime.clone(),
        handler: deployed.settings.handler.clone(),
        env: deployed.settings.env.clone(),
        code_sha256: deployed.code_sha256.clone(),
        pid: std::process::id(),
    };
    // The lock first: a session refused by another deploy leaves no point.
    let lock = crate::aws::lock::acquire(&aws, &function.name, &|w| ctx.ui.warn(w)).await?;
    if let Err(e) = point.save(Some(&pkg.bytes)) {
        if let Some(lock) = lock {
            lock.release().await;
        }
        return Err(e);
    }
    // From the first change on, Ctrl-C puts the function back: a SIGINT
    // while the relay is being set up must not leave it in place, and
    // neither may any step of the setup that fails.
    let mut interrupted = Box::pin(tokio::signal::ctrl_c());
    let role_arn = deployed.settings.role.clone();
    let setup = async {
        let (queue, bucket) = start(
            &dev, &deployed, &function, &names, &session, &key, &role, &mut point,
        )
        .await
        .inspect_err(|_| ctx.ui.warn("could not start: putting the function back"))?;
        // The handler runs as the function's role when the caller may
        // assume it (--as-role lets the caller, for the session).
        let caller = aws.caller().await.map(|(_, arn)| arn).unwrap_or_default();
        let credentials = as_role(
            &aws,
            &dev,
            &role,
            &role_arn,
            &caller,
            &session,
            args.as_role,
        )
        .await?;
        let who = match &credentials {
            Some(_) => format!("as the function's role ({role_arn})"),
            None => format!(
                "with your credentials ({}), not the function's role, which does not let you assume it (lam dev --as-role lets you, for the session)",
                crate::terminal::escape(&caller)
            ),
        };
        ctx.ui.info(format!(
            "{} ({} stage): its alias {} now runs here. Invocations of the deployed function (its API, URL and triggers) run this project's handler on this machine.\n\
             The handler runs {who}. Edits apply at the next invocation. Ctrl-C puts the deployed code back.",
            function.name, project.stage, function.alias,
        ));
        let opts = ctx.local_options(&project, &[&function], false).await?;
        Ok::<_, Error>((queue, bucket, credentials, opts))
    };
    let setup = tokio::select! {
        r = setup => r,
        _ = &mut interrupted => Err(Error::interrupted("interrupted while lam dev was starting")),
    };
    let (queue, bucket, credentials, mut opts) = match setup {
        Ok(ready) => ready,
        Err(e) => {
            let _ = stop(ctx, &dev, &function, &names, place).await;
            if let Some(lock) = lock {
                lock.release().await;
            }
            return Err(e);
        }
    };

    // 3. Serve until Ctrl-C.
    opts.credentials = credentials.clone();
    let mut concurrency = args.concurrency as usize;
    if args.debug {
        // One runtime under the debugger, on the function's own port.
        let index = project
            .functions
            .iter()
            .position(|f| f.key == function.key)
            .unwrap_or(0);
        let port = crate::local::debug::port_for(&project, index, args.debug_port);
        opts.debug = Some(crate::local::debug::Debug::new(port, !args.no_wait));
        concurrency = 1;
        ctx.ui.info(format!(
            "{}: debugger on 127.0.0.1:{port} (attach as for lam serve --debug)",
            function.key
        ));
    }
    let generation = Arc::new(AtomicU64::new(0));
    let pool = Arc::new(Pool::new(
        &project,
        &function,
        &opts,
        concurrency,
        generation.clone(),
    ));
    // The role's credentials last an hour: renewed well before.
    if credentials.is_some() {
        let (pool, dev, role_arn, session, opts) = (
            pool.clone(),
            dev.clone(),
            role_arn.clone(),
            session.clone(),
            opts.clone(),
        );
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(45 * 60)).await;
                if let Ok(Some(c)) = dev.assume(&role_arn, &session).await {
                    let mut renewed = opts.clone();
                    renewed.credentials = Some(c);
                    pool.set_options(renewed);
                }
            }
        });
    }
    let served = tokio::select! {
        r = serve(ctx, &dev, &names, (&queue, &bucket), &session, &key, pool, &project, generation) => r,
        _ = &mut interrupted => Ok(()),
    };
    ctx.ui.info("Stopping: putting the deployed code back");
    let stopped = stop(ctx, &dev, &function, &names, place).await;
    if let Some(lock) = lock {
        lock.release().await;
    }
    served.and(stopped)
}

/// The function's role's credentials for local runs: with `add`, the
/// caller is first let into the role's trust policy (IAM takes a few
/// seconds to apply it, so the first refusals are retried).
async fn as_role(
    aws: &crate::aws::Aws,
    dev: &DevAws,
    role: &str,
    role_arn: &str,
    caller: &str,
    session: &str,
    add: bool,
) -> Result<Option<crate::local::RoleCredentials>> {
    if !add {
        return dev.assume(role_arn, session).await;
    }
    let principal = crate::aws::simulate::principal(&crate::aws::iam::Iam::new(aws), caller)
        .await
        .map_err(|why| {
            Error::usage(format!("cannot let this caller assume the role: {why}"))
                .with_hint("leave --as-role out: the handler then runs with your credentials")
        })?;
    // A session of a role (SSO, a CI role) is named by its role, which
    // would let every session of that role in: the statement is held to
    // this session's aws:userid (`role-id:session-name`, available in
    // every signed request's context:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-userid).
    let only = if principal != caller {
        Some(aws.caller_user_id().await?)
    } else {
        None
    };
    dev.trust_caller(role, Some((&principal, only.as_deref())))
        .await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(c) = dev.assume(role_arn, session).await? {
            return Ok(Some(c));
        }
        if Instant::now() > deadline {
            return Err(Error::aws(format!(
                "{principal} still may not assume {role_arn} 30 s after its trust policy let it"
            ))
            .with_hint("check the caller's own policy allows sts:AssumeRole on the role"));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// The AWS side of a session: queue, the relay's permissions, heartbeat,
/// the function's mark, and the switch to the relay. Returns the queue URL
/// and the spill bucket.
#[allow(clippy::too_many_arguments)]
async fn start(
    dev: &DevAws,
    deployed: &crate::aws::lambda::Deployed,
    function: &Function,
    names: &Names,
    session: &str,
    key: &str,
    role: &str,
    point: &mut RestorePoint,
) -> Result<(String, String)> {
    let (url, arn) = dev.request_queue(names, session).await?;
    let bucket = dev.spill_bucket().await?;
    let prefix = names.spill_prefix(session);
    dev.allow_relay(role, names, &arn, &format!("{bucket}/{prefix}"))
        .await?;
    dev.heartbeat(names, session).await?;
    dev.mark(&deployed.arn, Some(&format!("{session} {}", point.since)))
        .await?;
    let env: HashMap<String, String> = [
        ("LAM_DEV_QUEUE", url.clone()),
        ("LAM_DEV_KEY", key.to_string()),
        ("LAM_DEV_SESSION", session.to_string()),
        ("LAM_DEV_HEARTBEAT", names.heartbeat.clone()),
        ("LAM_DEV_REPLY_PREFIX", names.reply_prefix.clone()),
        ("LAM_DEV_BUCKET", bucket.clone()),
        ("LAM_DEV_SPILL_PREFIX", prefix),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let version =
        crate::aws::dev::switch_to_relay(&dev.lambda, deployed, &function.alias, &env).await?;
    point.relay_version = Some(version);
    point.save(None)?;
    Ok((url, bucket))
}

/// Takes requests off the queue and answers each, concurrently up to the
/// pool's bound; writes the heartbeat; starts fresh runtimes after edits.
#[allow(clippy::too_many_arguments)]
async fn serve(
    ctx: &Context<'_>,
    dev: &DevAws,
    names: &Names,
    (queue, bucket): (&str, &str),
    session: &str,
    key: &str,
    pool: Arc<Pool>,
    project: &Project,
    generation: Arc<AtomicU64>,
) -> Result<()> {
    let root = project.root.clone();
    tokio::spawn(async move {
        let mut last = crate::local::serve::fingerprint(&root);
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = crate::local::serve::fingerprint(&root);
            if now != last {
                last = now;
                generation.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let mut beat = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    let mut seen = Seen::default();
    loop {
        if beat.elapsed() >= Duration::from_secs(crate::dev::HEARTBEAT_EVERY_SECS) {
            dev.heartbeat(names, session).await?;
            beat = Instant::now();
        }
        let wait = crate::dev::HEARTBEAT_EVERY_SECS as i32;
        for received in dev.receive(queue, wait).await? {
            let request = match Request::open(&received.body, session, key) {
                Ok(r) => r,
                Err(why) => {
                    ctx.ui.warn(format!(
                        "dropped a message on {}: {why}",
                        names.request_queue
                    ));
                    continue;
                }
            };
            if !request
                .reply
                .rsplit('/')
                .next()
                .is_some_and(|q| q.starts_with(&names.reply_prefix))
            {
                ctx.ui
                    .warn("dropped a request whose reply queue is not the relay's");
                continue;
            }
            // The relay's deadline is on AWS's clock: this machine's,
            // corrected by the Date of AWS's last answer (whole seconds, so
            // a second's grace before a request counts as given up).
            let skew_ms = dev.clock_skew_ms();
            match admit(&mut seen, &request, crate::clock::now_ms() + skew_ms) {
                Admit::Run => {}
                Admit::Expired => {
                    ctx.ui.warn(format!(
                        "dropped invocation {}: its caller stopped waiting before it arrived",
                        crate::terminal::escape(&request.id)
                    ));
                    continue;
                }
                Admit::Again => {
                    ctx.ui.warn(format!(
                        "dropped invocation {}: it ran already in this session",
                        crate::terminal::escape(&request.id)
                    ));
                    continue;
                }
            }
            let deadline = std::time::UNIX_EPOCH
                + Duration::from_millis((request.deadline_ms as i64 - skew_ms).max(0) as u64);
            let pool = pool.clone();
            let (session, key) = (session.to_string(), key.to_string());
            let sqs = dev.clone();
            let json = ctx.ui.json;
            let (bucket, prefix) = (bucket.to_string(), names.spill_prefix(&session));
            running.spawn(async move {
                let started = Instant::now();
                let event = match request.event() {
                    Ok(Payload::Inline(bytes)) => Ok(bytes),
                    Ok(Payload::Spilled(s)) if s.key.starts_with(&prefix) => {
                        match sqs.take_object(&bucket, &s.key).await {
                            Ok(bytes) if s.holds(&bytes) => Ok(bytes),
                            Ok(_) => {
                                Err("the event in S3 is not the one the relay signed".to_string())
                            }
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    Ok(Payload::Spilled(_)) => {
                        Err("an event outside the session's prefix".to_string())
                    }
                    Err(why) => Err(why),
                };
                let (kind, payload) = match event {
                    Err(why) => (Kind::Error, error_payload("LamDev.BadEvent", &why)),
                    Ok(event) => match pool
                        .invoke(
                            crate::local::Input {
                                payload: bytes::Bytes::from(event),
                                deadline: Some(deadline),
                                ..Default::default()
                            },
                            false,
                        )
                        .await
                    {
                        Ok(served) => {
                            let o = served.outcome;
                            let kind = match o.function_error {
                                None => Kind::Ok,
                                Some(_) if is_timeout(&o.payload) => Kind::Timeout,
                                Some(_) => Kind::Error,
                            };
                            (kind, o.payload)
                        }
                        Err(e) => (
                            Kind::Error,
                            error_payload("LamDev.LocalRuntime", &e.to_string()),
                        ),
                    },
                };
                // Above SQS's limit, the answer goes through the bucket.
                let mut field = crate::dev::inline(&payload);
                let mut spilled = Ok(());
                if field.len() > crate::dev::MESSAGE_LIMIT {
                    let object = Spilled::of(format!("{prefix}{}.answer", request.id), &payload);
                    spilled = sqs.put_object(&bucket, &object.key, payload).await;
                    field = object.field();
                }
                let answer = crate::dev::answer(&session, &key, &request.id, kind, &field);
                let sent = match spilled {
                    Ok(()) => sqs.send(&request.reply, &answer).await,
                    Err(e) => Err(e),
                };
                if !json {
                    eprintln!(
                        "{}",
                        invocation_line(&request.id, kind, started.elapsed().as_millis(), &sent)
                    );
                }
            });
        }
        while running.try_join_next().is_some() {}
    }
}

/// The request ids of a session's invocations, most recent last: a
/// message SQS delivers twice, or one sent again by whoever can write to
/// the queue, runs once.
#[derive(Default)]
struct Seen {
    ids: std::collections::HashSet<String>,
    order: std::collections::VecDeque<String>,
}

impl Seen {
    /// How many ids are remembered.
    const KEPT: usize = 10_000;

    /// Whether `id` is new (and remembers it).
    fn first(&mut self, id: &str) -> bool {
        if self.ids.contains(id) {
            return false;
        }
        self.ids.insert(id.to_string());
        self.order.push_back(id.to_string());
        if self.order.len() > Self::KEPT
            && let Some(old) = self.order.pop_front()
        {
            self.ids.remove(&old);
        }
        true
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Admit {
    Run,
    /// The relay had given up by the time it arrived.
    Expired,
    /// Its id ran already in this session.
    Again,
}

/// Whether a signed request runs: not after its deadline (`aws_now_ms` is
/// AWS's time, to the second), and once per id.
fn admit(seen: &mut Seen, request: &Request, aws_now_ms: i64) -> Admit {
    if aws_now_ms > request.deadline_ms as i64 + 1000 {
        return Admit::Expired;
    }
    if !seen.first(&request.id) {
        return Admit::Again;
    }
    Admit::Run
}

/// One invocation's line on the terminal. The request id and AWS's error
/// text are remote, so the whole line is escaped.
fn invocation_line(id: &str, kind: Kind, ms: u128, sent: &Result<()>) -> String {
    let line = format!(
        "invocation {id}: {} in {ms} ms{}",
        match kind {
            Kind::Ok => "ok",
            Kind::Error => "error",
            Kind::Timeout => "timed out",
        },
        match sent {
            Ok(()) => String::new(),
            Err(e) => format!(" (the answer could not be sent: {e})"),
        }
    );
    crate::terminal::escape(&line).into_owned()
}

fn is_timeout(payload: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(payload)
        .ok()
        .is_some_and(|v| v["errorType"] == "Sandbox.Timedout")
}

fn error_payload(kind: &str, message: &str) -> Vec<u8> {
    serde_json::json!({"errorType": kind, "errorMessage": message})
        .to_string()
        .into_bytes()
}

/// Puts back what the session on this machine changed, and removes what
/// it made. Without a restore point here, only what it made is removed.
async fn stop(
    ctx: &Context<'_>,
    dev: &DevAws,
    function: &Function,
    names: &Names,
    (account, region): (&str, &str),
) -> Result<()> {
    let step = ctx.ui.step(format!("Put {} back", function.name));
    let point = RestorePoint::load(account, region, &function.name)?;
    let deployed = dev.lambda.get(&function.name).await?;
    // The session the function is in now, by its lam:dev mark.
    let marked = deployed
        .as_ref()
        .and_then(|d| d.dev.as_deref())
        .and_then(|mark| mark.split_whitespace().next());
    let done = match (&point, marked) {
        (Some(point), Some(session)) if session == point.session => {
            let zip = std::fs::read(RestorePoint::zip_path(account, region, &function.name)?)
                .map_err(|e| Error::io("read", std::path::Path::new("the saved code"), e))?;
            crate::aws::dev::restore(&dev.lambda, point, zip).await?;
            format!("version {} as {} again", point.alias_version, point.alias)
        }
        // This machine's point is not the function's session any more: a
        // deploy put it back (and perhaps changed it since), or another
        // session took it over. Putting the saved code back would undo
        // that; only the point goes, and another's session is left alone.
        (Some(_), Some(_)) => {
            RestorePoint::remove(account, region, &function.name);
            step.done("now in another lam dev session: left as it is");
            return Ok(());
        }
        (Some(_), None) => "not in this session any more: nothing to put back".to_string(),
        (None, Some(_)) => {
            return Err(Error::usage(format!(
                "{} is in a lam dev session started elsewhere",
                function.name
            ))
            .with_hint(
                "stop it where it runs, or run lam deploy to put the code back from lam.toml",
            ));
        }
        (None, None) => "nothing to put back".to_string(),
    };
    cleanup(dev, names, deployed.as_ref()).await?;
    RestorePoint::remove(account, region, &function.name);
    step.done(done);
    Ok(())
}

/// Removes what a session made: queues, heartbeat, the relay's policy and
/// the function's mark. Also what `lam deploy` runs when it finds a
/// session that was killed.
pub async fn cleanup(
    dev: &DevAws,
    names: &Names,
    deployed: Option<&crate::aws::lambda::Deployed>,
) -> Result<()> {
    dev.delete_queues(names).await?;
    dev.delete_heartbeat(names).await?;
    if let Some(session) = deployed
        .and_then(|d| d.dev.as_deref())
        .and_then(|mark| mark.split_whitespace().next())
    {
        dev.empty_spill(&names.spill_prefix(session)).await?;
    }
    if let Some(d) = deployed {
        let role = d.settings.role.rsplit('/').next().unwrap_or_default();
        dev.disallow_relay(role, names).await?;
        dev.trust_caller(role, None).await?;
        if d.dev.is_some() {
            dev.mark(&d.arn, None).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: &str, deadline_ms: u64) -> Request {
        Request {
            v: 1,
            session: "s".into(),
            id: id.into(),
            reply: "r".into(),
            deadline_ms,
            event: String::new(),
            mac: String::new(),
        }
    }

    #[test]
    fn a_request_runs_once_and_only_while_its_caller_waits() {
        let mut seen = Seen::default();
        let now = 1_700_000_000_000_i64;
        assert_eq!(
            admit(&mut seen, &request("a", now as u64 + 5000), now),
            Admit::Run
        );
        assert_eq!(
            admit(&mut seen, &request("a", now as u64 + 5000), now),
            Admit::Again
        );
        // The Date header's second of grace, then given up.
        assert_eq!(
            admit(&mut seen, &request("b", now as u64 - 900), now),
            Admit::Run
        );
        assert_eq!(
            admit(&mut seen, &request("c", now as u64 - 1500), now),
            Admit::Expired
        );
        // An expired request is not remembered as run.
        assert_eq!(
            admit(&mut seen, &request("c", now as u64 + 5000), now),
            Admit::Run
        );
    }

    #[test]
    fn the_ids_remembered_are_bounded() {
        let mut seen = Seen::default();
        for i in 0..=Seen::KEPT {
            assert!(seen.first(&i.to_string()));
        }
        assert_eq!(seen.ids.len(), Seen::KEPT);
        assert!(seen.first("0"), "the oldest was forgotten");
        assert!(!seen.first(&Seen::KEPT.to_string()));
    }

    #[test]
    fn an_invocation_line_carries_no_remote_control_characters() {
        let sent: Result<()> = Err(Error::aws(
            "QueueDoesNotExist: \u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J gone",
        ));
        let line = invocation_line("id-\u{1b}[31mred", Kind::Error, 12, &sent);
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        assert!(line.starts_with("invocation id-"), "{line}");
        assert!(line.contains("the answer could not be sent"), "{line}");
        assert_eq!(
            invocation_line("abc", Kind::Ok, 3, &Ok(())),
            "invocation abc: ok in 3 ms"
        );
    }
}
