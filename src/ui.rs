//! Everything lam shows a person: step lines and spinners on stderr, results
//! on stdout, colour only where it belongs, prompts only on a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use console::style;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::cli::{GlobalArgs, OutputFormat};
use crate::error::{Error, Result};

/// How this run talks to the user. Built once from the global flags and
/// passed by reference to every command.
#[derive(Debug, Clone)]
pub struct Ui {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub assume_yes: bool,
    /// stderr is a terminal: spinners and colour are allowed there.
    pub stderr_tty: bool,
    /// stdout is a terminal: results may be pretty-printed.
    pub stdout_tty: bool,
    /// stdin and stderr are terminals: prompts are allowed.
    pub interactive: bool,
    /// Spinners of steps running at the same time (deploying several
    /// functions at once) share the terminal through this.
    multi: Option<MultiProgress>,
}

impl Ui {
    pub fn from_args(args: &GlobalArgs) -> Ui {
        let no_color = args.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stderr_tty = std::io::stderr().is_terminal();
        let stdout_tty = std::io::stdout().is_terminal();
        console::set_colors_enabled(stdout_tty && !no_color);
        console::set_colors_enabled_stderr(stderr_tty && !no_color);
        Ui {
            json: args.output == OutputFormat::Json,
            quiet: args.quiet,
            verbose: args.verbose,
            assume_yes: args.yes,
            stderr_tty,
            stdout_tty,
            interactive: stderr_tty && std::io::stdin().is_terminal(),
            multi: (stderr_tty && !args.quiet).then(MultiProgress::new),
        }
    }

    /// This Ui without progress output: for work done between the lines a
    /// long-running command prints (`deploy --watch`).
    pub fn quiet_like(ui: &Ui) -> Ui {
        Ui {
            quiet: true,
            multi: None,
            ..ui.clone()
        }
    }

    /// A Ui that never draws, prompts or colours; for unit tests.
    #[cfg(test)]
    pub fn plain() -> Ui {
        Ui {
            json: false,
            quiet: true,
            verbose: 0,
            assume_yes: false,
            stderr_tty: false,
            stdout_tty: false,
            interactive: false,
            multi: None,
        }
    }

    /// Starts a step: a spinner on a terminal, nothing otherwise until it ends.
    pub fn step(&self, label: impl Into<String>) -> Step {
        let label = label.into();
        let bar = self.multi.as_ref().map(|multi| {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {msg} {elapsed:.dim}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(label.clone());
            bar.enable_steady_tick(Duration::from_millis(80));
            bar
        });
        Step {
            label,
            started: Instant::now(),
            bar,
            multi: self.multi.clone(),
            quiet: self.quiet,
        }
    }

    /// A line of information on stderr (not with -q).
    pub fn info(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", crate::terminal::escape(line.as_ref()));
        }
    }

    /// A warning on stderr, shown even with -q.
    pub fn warn(&self, line: impl AsRef<str>) {
        eprintln!(
            "{} {}",
            style("warning:").yellow().bold(),
            crate::terminal::escape(line.as_ref())
        );
    }

    /// A detail shown with -v.
    pub fn debug(&self, line: impl AsRef<str>) {
        if self.verbose > 0 {
            eprintln!("{}", style(crate::terminal::escape(line.as_ref())).dim());
        }
    }

    /// Prints the JSON document that `--output json` promises, on stdout.
    pub fn print_json(&self, value: &serde_json::Value) {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }

    /// Prints a typed command result as the one JSON document of `--output json`.
    pub fn print_value<T: serde::Serialize>(&self, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => self.print_json(&v),
            Err(e) => eprintln!("error: cannot write the JSON result: {e}"),
        }
    }

    /// Asks for confirmation. `--yes` answers yes; without a terminal the
    /// question cannot be asked and the error names the flag to pass.
    pub fn confirm(&self, question: &str, default: bool) -> Result<bool> {
        if self.assume_yes {
            return Ok(true);
        }
        if !self.interactive {
            return Err(
                Error::usage(format!("cannot ask \"{question}\" without a terminal"))
                    .with_hint("pass --yes to confirm"),
            );
        }
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(default)
            .interact()
            .map_err(prompt_error)
    }

    /// Asks the user to pick one of `items`; returns the index.
    pub fn select(
        &self,
        prompt: &str,
        items: &[String],
        default: usize,
        flag: &str,
    ) -> Result<usize> {
        if !self.interactive {
            return Err(Error::usage(format!("{prompt}: no terminal to ask on"))
                .with_hint(format!("pass {flag}")));
        }
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(prompt_error)
    }

    /// Asks for a line of text.
    pub fn input(&self, prompt: &str, flag: &str) -> Result<String> {
        if !self.interactive {
            return Err(Error::usage(format!("{prompt}: no terminal to ask on"))
                .with_hint(format!("pass {flag}")));
        }
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .interact_text()
            .map_err(prompt_error)
    }
}

/// dialoguer reports Ctrl-C at a prompt as an interrupted I/O error.
fn prompt_error(err: dialoguer::Error) -> Error {
    match err {
        dialoguer::Error::IO(e) if e.kind() == std::io::ErrorKind::Interrupted => {
            Error::interrupted("interrupted at a prompt; nothing was written")
        }
        dialoguer::Error::IO(e) => Error::local(format!("cannot read from the terminal: {e}")),
    }
}

/// One step of a longer command: `✓ label (detail) 12 ms` when it ends.
pub struct Step {
    label: String,
    started: Instant,
    bar: Option<ProgressBar>,
    multi: Option<MultiProgress>,
    quiet: bool,
}

impl Step {
    /// Ends the step successfully, with an optional detail.
    pub fn done(self, detail: impl AsRef<str>) {
        self.finish(&style("✓").green().to_string(), detail.as_ref());
    }

    /// Ends a step that had nothing to do.
    pub fn skipped(self, detail: impl AsRef<str>) {
        self.finish(&style("-").dim().to_string(), detail.as_ref());
    }

    fn finish(self, mark: &str, detail: &str) {
        let elapsed = format_duration(self.started.elapsed());
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.quiet {
            return;
        }
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", crate::terminal::escape(detail))
        };
        let line = format!(
            "{mark} {}{detail} {}",
            crate::terminal::escape(&self.label),
            style(elapsed).dim()
        );
        match &self.multi {
            // Printed above the spinners of steps still running.
            Some(multi) if multi.println(&line).is_ok() => {}
            _ => eprintln!("{line}"),
        }
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        // A step dropped without done(): its error is about to be printed,
        // and a spinner must never hide it.
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// "850 µs", "12 ms", "1.24 s".
pub fn format_duration(d: Duration) -> String {
    let micros = d.as_micros();
    if micros < 1_000 {
        format!("{micros} µs")
    } else if micros < 1_000_000 {
        format!("{} ms", micros / 1_000)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// "812 B", "4.2 KB", "13.1 MB" (powers of 1024, as Lambda's limits are).
pub fn format_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

/// Whether standard error is a terminal.
pub fn stderr_tty() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(format_duration(Duration::from_millis(12)), "12 ms");
        assert_eq!(format_duration(Duration::from_millis(1240)), "1.24 s");
    }

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(format_size(812), "812 B");
        assert_eq!(format_size(4300), "4.2 KB");
        assert_eq!(format_size(13 * 1024 * 1024 + 100 * 1024), "13.1 MB");
    }

    #[test]
    fn no_terminal_means_no_prompt() {
        let ui = Ui::plain();
        let err = ui.confirm("Delete it?", false).unwrap_err();
        assert!(err.to_string().contains("--yes"));
        let err = ui.input("Project name", "a NAME argument").unwrap_err();
        assert!(err.to_string().contains("pass a NAME argument"));
    }
}
