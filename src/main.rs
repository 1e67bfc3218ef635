//! lam: the AWS Lambda development loop in one small binary.

use clap::Parser;
use clap::error::ErrorKind;

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
    // `lam serve` stops on Ctrl-C by design; every other command is interrupted.
    let stops_on_ctrl_c = match &cli.command {
        cli::Command::Serve(_) => true,
        cli::Command::Logs(args) => args.follow,
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

/// Clap's errors in lam's form: what went wrong, then what to do (clap's
/// tip, or the help to read), exit code 2. Help and version print as usual.
fn usage_error(e: clap::Error) -> ! {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let text = e.render().to_string();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let message = lines
        .iter()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or("invalid arguments");
    let command: String = lines
        .iter()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with('[') && !w.starts_with('<'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "lam".into());
    let hint = match lines.iter().find_map(|l| l.strip_prefix("tip: ")) {
        Some(tip) => format!("{tip}; `{command} --help` lists what it accepts"),
        None => format!("`{command} --help` lists what it accepts"),
    };
    fail(&Error::usage(message).with_hint(hint))
}

fn fail(err: &Error) -> ! {
    let text = err.to_string();
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
