//! `lam events`: sample trigger events, offline.

use crate::cli::{EventArgs, EventsArgs, EventsCommand};
use crate::commands::Context;
use crate::error::Result;
use crate::events::{self, Params};

pub fn run(ctx: &Context, args: EventsArgs) -> Result<()> {
    match args.command {
        EventsCommand::List => {
            if ctx.ui.json {
                #[derive(serde::Serialize)]
                struct Sources {
                    sources: &'static [events::Source],
                }
                ctx.ui.print_value(&Sources {
                    sources: events::sources(),
                });
            } else {
                for s in events::sources() {
                    println!("{:<26} {}", s.name, s.about);
                }
            }
            Ok(())
        }
        EventsCommand::Generate { source, args } => {
            let event = events::generate(&source, &params(ctx, &args)?)?;
            ctx.ui.print_json(&event);
            Ok(())
        }
    }
}

/// The flags of a generated event, checked.
pub fn params(ctx: &Context, args: &EventArgs) -> Result<Params> {
    Ok(Params {
        method: args.method.clone(),
        path: args.path.clone(),
        query: events::parse_pairs("--query", &args.query)?,
        headers: events::parse_pairs("--header", &args.header)?,
        path_params: events::parse_pairs("--path-param", &args.path_param)?,
        body: events::read_body(args.body.as_deref(), &ctx.cwd)?,
        bucket: args.bucket.clone(),
        key: args.key.clone(),
        size: args.size,
        count: args.count,
        seed: args.seed,
    })
}
