//! `lam serve`: the project's functions behind a local API Gateway and
//! Lambda Invoke API, until Ctrl-C.

use crate::cli::ServeArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::local::serve::{ServeOptions, serve};

pub async fn run(ctx: &Context<'_>, args: ServeArgs) -> Result<()> {
    let project = ctx.project_with_env()?;
    if !is_loopback(&args.host) && !args.allow_remote {
        return Err(Error::usage(format!(
            "--host {} makes lam serve reachable from other machines: anyone who reaches the port runs your handlers with your AWS credentials",
            args.host
        ))
        .with_hint("keep the default (127.0.0.1), or pass --allow-remote as well if that is what you want"));
    }
    let all: Vec<_> = project.functions.iter().collect();
    let mut opts = ctx.local_options(&project, &all, args.ric).await?;
    if args.debug && !cfg!(target_os = "linux") {
        return Err(Error::usage("--debug needs Linux here").with_hint(
            "lam keeps other users off the debug port by reading Linux's socket table; see SECURITY.md",
        ));
    }
    if args.debug {
        let port = crate::local::debug::port_for(&project, 0, args.debug_port);
        opts.debug = Some(crate::local::debug::Debug::new(port, !args.no_wait));
    }
    let credentials = crate::aws::resolve_credentials(ctx.global.profile.as_deref()).await;
    serve(
        project,
        opts,
        ServeOptions {
            host: args.host,
            port: args.port,
            concurrency: args.concurrency as usize,
            watch: args.watch,
            credentials,
        },
    )
    .await
}

/// 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
