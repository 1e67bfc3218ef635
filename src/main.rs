//! lam: the AWS Lambda development loop in one small binary.

mod aws;
mod cli;
mod clock;
mod commands;
mod config;
mod dotenv;
mod error;
mod events;
mod interpreter;
mod invocation;
mod local;
mod logview;
mod package;
mod templates;
mod ui;

use clap::Parser;

use crate::error::Error;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: lam crashed, which is a bug: {info}");
        eprintln!("hint: please report it with the command you ran and this message");
    }));
    let cli = cli::Cli::parse();
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
