//! `lam trust`: the user says this lam.toml's settings that run code or
//! widen IAM may take effect (see `crate::trust`).

use serde::Serialize;

use crate::cli::TrustArgs;
use crate::commands::Context;
use crate::config::{Project, find_file};
use crate::error::{Error, Result};
use crate::trust::{self, Grant};

/// What `lam trust --output json` prints.
#[derive(Debug, Serialize)]
struct Trusted {
    lam_toml: String,
    trusted: bool,
    grants: Vec<Grant>,
}

pub fn run(ctx: &Context<'_>, args: TrustArgs) -> Result<()> {
    let file = find_file(&ctx.cwd)?;
    trust::check_ownership(&file)?;
    let shown = file.display().to_string();
    if args.revoke {
        let had = trust::revoke(&file)?;
        ctx.ui.info(if had {
            format!("{shown} is no longer trusted")
        } else {
            format!("{shown} was not trusted")
        });
        return report(ctx, &shown, false, Vec::new());
    }
    let text = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
    let root = file.parent().unwrap_or(&ctx.cwd);
    let project = Project::parse(&text, &shown, root, ctx.global.stage.as_deref())?;
    let grants = project.needs_trust();
    if args.check {
        let trusted = trust::recorded(&file, &text);
        report(ctx, &shown, trusted, grants)?;
        return if trusted {
            Ok(())
        } else {
            Err(
                Error::function(format!("{shown} is not trusted in this content"))
                    .with_hint(trust::HOW_TO_TRUST),
            )
        };
    }
    trust::allow(&file, &text)?;
    if grants.is_empty() {
        ctx.ui.info(format!(
            "Trusted {shown} (it asks for nothing that needs trust now; a changed file asks again)"
        ));
    } else {
        ctx.ui.info(format!(
            "Trusted {shown} as it is now (a changed file asks again). It may:"
        ));
        for grant in &grants {
            ctx.ui.info(format!("  {grant}"));
        }
    }
    report(ctx, &shown, true, grants)
}

fn report(ctx: &Context<'_>, shown: &str, trusted: bool, grants: Vec<Grant>) -> Result<()> {
    if ctx.ui.json {
        ctx.ui.print_value(&Trusted {
            lam_toml: shown.to_string(),
            trusted,
            grants,
        });
    }
    Ok(())
}
