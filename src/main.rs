//! lam: the AWS Lambda development loop in one small binary.

use clap::Parser;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use lam::error::Error;
use lam::{cli, commands, ui};

fn main() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: lam crashed, which is a bug: {info}");
        eprintln!("hint: please report it with the command you ran and this message");
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    let ui = ui::Ui::from_args(&cli.global);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => fail(&Error::local(format!(
            "cannot start the async runtime: {e}"
        ))),
    };
    // `lam serve`, `logs --follow` and `deploy --watch` stop on Ctrl-C by
    // design (a sync under way finishes first); every other command is
    // interrupted.
    let stops_on_ctrl_c = match &cli.command {
        cli::Command::Serve(_) | cli::Command::Dev(_) => true,
        cli::Command::Logs(args) => args.follow,
        cli::Command::Deploy(args) => args.watch,
        _ => false,
    };
    let result = runtime.block_on(async {
        if stops_on_ctrl_c {
            return commands::run(cli, &ui).await;
        }
        tokio::select! {
            result = commands::run(cli, &ui) => result,
            _ = tokio::signal::ctrl_c() => Err(Error::interrupted(
                "interrupted; steps shown as done were completed, the rest was not",
            )),
        }
    });
    // Dropping the runtime kills child processes (kill_on_drop) before exit.
    drop(runtime);
    if let Err(err) = result {
        fail(&err);
    }
}

/// Clap's errors in lam's form: what went wrong (from the error's kind and
/// context), then what to do (a suggestion, the accepted values, or the
/// help to read), exit code 2. Help and version print as usual.
fn usage_error(e: clap::Error) -> ! {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let (message, hint) = describe_usage_error(&e);
    fail(&Error::usage(message).with_hint(hint))
}

/// The message and hint of a clap error.
fn describe_usage_error(e: &clap::Error) -> (String, String) {
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(list)) => Some(list.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(list)) => Some(
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let reason = std::error::Error::source(e)
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("a value is required for '{arg}' but none was supplied")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("invalid value '{value}' for '{arg}'{reason}")
        }
        ErrorKind::UnknownArgument => format!("unexpected argument '{arg}'"),
        ErrorKind::InvalidSubcommand => format!(
            "unrecognized subcommand '{}'",
            text(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("the following required arguments were not provided: {arg}")
        }
        ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
            Some(prior) if prior != arg => {
                format!("the argument '{arg}' cannot be used with '{prior}'")
            }
            _ => format!("the argument '{arg}' cannot be used more than once"),
        },
        ErrorKind::MissingSubcommand => format!(
            "'{}' requires a subcommand",
            text(ContextKind::InvalidSubcommand).unwrap_or_else(|| "lam".into())
        ),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("wrong number of values for '{arg}'")
        }
        ErrorKind::NoEquals => format!("'{arg}' needs '=' before its value"),
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_string(),
        other => other.as_str().unwrap_or("invalid arguments").to_string(),
    };
    let command = command_path(std::env::args().skip(1));
    let help = format!("`{command} --help` lists what it accepts");
    let hint = if let Some(suggested) = text(ContextKind::SuggestedArg)
        .or_else(|| text(ContextKind::SuggestedSubcommand))
        .or_else(|| text(ContextKind::SuggestedValue))
    {
        format!("did you mean '{suggested}'? {help}")
    } else if let Some(valid) = text(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        format!("possible values: {valid}; {help}")
    } else {
        help
    };
    (message, hint)
}

/// `lam` and the subcommands named in `args` (`lam env set`), found by
/// walking clap's command tree, for the hint that points at `--help`.
fn command_path(args: impl Iterator<Item = String>) -> String {
    use clap::CommandFactory;
    let mut command = lam::cli::Cli::command();
    let mut path = vec!["lam".to_string()];
    for arg in args {
        let Some(sub) = command.find_subcommand(&arg).cloned() else {
            continue;
        };
        path.push(sub.get_name().to_string());
        command = sub;
    }
    path.join(" ")
}

fn fail(err: &Error) -> ! {
    // Errors quote AWS's messages and names read back from it.
    let text = err.to_string();
    let text = lam::terminal::escape(&text);
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("error:") {
            eprintln!("{}{rest}", console::style("error:").red().bold());
        } else if let Some(rest) = line.strip_prefix("hint:") {
            eprintln!("{}{rest}", console::style("hint:").cyan());
        } else {
            eprintln!("{line}");
        }
    }
    std::process::exit(err.kind.exit_code());
}
