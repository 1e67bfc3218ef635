//! `lam serve`: the project's functions behind a local API Gateway and
//! Lambda Invoke API, until Ctrl-C.

use crate::cli::ServeArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::local::serve::{ServeOptions, serve};

pub async fn run(ctx: &Context<'_>, args: ServeArgs) -> Result<()> {
    let project = ctx.project_with_env()?;
    if args.concurrency == 0 {
        return Err(
            Error::usage("--concurrency must be at least 1").with_hint("pass --concurrency 4")
        );
    }
    let all: Vec<_> = project.functions.iter().collect();
    let opts = ctx.local_options(&project, &all, args.ric).await?;
    serve(
        project,
        opts,
        ServeOptions {
            host: args.host,
            port: args.port,
            concurrency: args.concurrency,
            watch: args.watch,
        },
    )
    .await
}
