//! A newcomer's first steps, in a real terminal (tmux), on a machine with
//! no Python, no Node.js and no AWS credentials: the guide's first commands
//! and `lam doctor`. Every hint lam prints must name a command that exists
//! (a lam subcommand and flags that parse, or a known tool), and following
//! the hint must make the failing command work.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{test_python, unique};

struct Shell {
    session: String,
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

impl Shell {
    /// An interactive bash in `dir` whose PATH holds only `bin`, with no
    /// AWS credentials or configuration.
    fn start(dir: &Path, bin: &Path, home: &Path) -> Shell {
        let session = unique("lam-newcomer");
        let script = format!(
            "env -i HOME={home} PATH={bin} TERM=xterm NO_COLOR=1 AWS_EC2_METADATA_DISABLED=true \
             AWS_CONFIG_FILE={home}/.aws/config AWS_SHARED_CREDENTIALS_FILE={home}/.aws/credentials \
             PS1='$ ' bash --norc --noprofile -i",
            home = home.display(),
            bin = bin.display()
        );
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "400",
                "-y",
                "100",
                "-c",
            ])
            .arg(dir)
            .arg(script)
            .status()
            .expect("tmux runs (.ci/run installs it)");
        assert!(status.success());
        Shell { session }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "capture-pane",
                "-p",
                "-J",
                "-S",
                "-2000",
                "-t",
                &self.session,
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// Types `line`, waits for the shell to print `EXIT=<code>` after it,
    /// and returns what the command printed and its exit code.
    fn run(&self, line: &str) -> (String, i32) {
        let marker = unique("done");
        Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "-l"])
            .arg(format!("{line}; echo {marker}=$?"))
            .status()
            .unwrap();
        Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "Enter"])
            .status()
            .unwrap();
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if let Some(at) = screen.rfind(&format!("{marker}=")) {
                let code: String = screen[at + marker.len() + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if !code.is_empty() {
                    let output = screen[..at].to_string();
                    // What this command printed: after its own echo line.
                    let start = output.rfind(&format!("echo {marker}")).unwrap_or(0);
                    let output = output[start..]
                        .split_once('\n')
                        .map_or("", |(_, rest)| rest)
                        .to_string();
                    return (output, code.parse().unwrap());
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "`{line}` did not finish; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A directory for PATH with lam and the few tools a shell session needs,
/// and no Python or Node.js.
fn bare_bin() -> tempfile::TempDir {
    let bin = tempfile::tempdir().unwrap();
    let lam = assert_cmd::cargo::cargo_bin("lam");
    std::os::unix::fs::symlink(&lam, bin.path().join("lam")).unwrap();
    for tool in [
        "bash", "sh", "env", "mkdir", "cat", "ls", "sleep", "git", "rm",
    ] {
        if let Some(found) = which(tool) {
            std::os::unix::fs::symlink(found, bin.path().join(tool)).unwrap();
        }
    }
    bin
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

/// The commands in backticks of every `hint:` line of `text`.
fn hinted_commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((_, hint)) = line.split_once("hint: ") else {
            continue;
        };
        let mut parts = hint.split('`');
        parts.next();
        while let (Some(code), _) = (parts.next(), parts.next()) {
            out.push(code.to_string());
        }
    }
    out
}

/// A hinted command exists: a lam subcommand whose flags parse, or a tool
/// a reader installs from the hint itself. A single word in backticks that
/// is not `lam` is a key or a value (`region`), not a command.
fn check_exists(command: &str, bin: &Path) {
    let words: Vec<&str> = command.split_whitespace().collect();
    if words.len() < 2 && words.first() != Some(&"lam") {
        return;
    }
    match words.first().copied() {
        Some("lam") => {
            // Placeholders (KEY, ...) are fine; what must parse are the
            // subcommand path and the flags.
            let mut args: Vec<&str> = words[1..]
                .iter()
                .copied()
                .take_while(|w| !w.contains("..."))
                .collect();
            args.push("--help");
            let out = Command::new(bin.join("lam")).args(&args).output().unwrap();
            assert!(
                out.status.success(),
                "the hint names `{command}`, which lam does not take: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Some(tool) => {
            let tool = if tool == "sudo" { words[1] } else { tool };
            assert!(
                [
                    "aws",
                    "pyenv",
                    "nvm",
                    "pip",
                    "npm",
                    "python3",
                    "timedatectl",
                    "rm",
                    "export"
                ]
                .contains(&tool)
                    || tool.starts_with("LAM_")
                    || tool.contains('='),
                "the hint names `{command}`: {tool} is not a command lam's hints may name"
            );
        }
        None => {}
    }
}

#[test]
fn a_newcomer_without_python_or_credentials_is_told_what_works() {
    let bin = bare_bin();
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let shell = Shell::start(work.path(), bin.path(), home.path());
    let mut hints = Vec::new();

    // The guide's first command: lam doctor, outside any project.
    let (out, code) = shell.run("lam doctor");
    assert_eq!(code, 0, "outside a project nothing blocks:\n{out}");
    assert!(
        out.contains("warn  python3.12") && out.contains("no Python interpreter found"),
        "{out}"
    );
    assert!(out.contains("warn  credentials"), "{out}");
    hints.extend(hinted_commands(&out));

    // The guide's first project: made without an interpreter (the runtime
    // named), then run, which needs one.
    let (out, code) = shell.run("lam new shop-api --template api --runtime python3.12 --api rest");
    assert_eq!(code, 0, "{out}");
    let (out, code) = shell.run("cd shop-api && lam invoke --local --event events/get-items.json");
    assert_eq!(code, 5, "{out}");
    assert!(out.contains("error: no Python interpreter found"), "{out}");
    hints.extend(hinted_commands(&out));
    let (out, code) = shell.run("lam doctor");
    assert_eq!(code, 5, "a missing interpreter blocks the project:\n{out}");
    assert!(out.contains("FAIL  python3.12"), "{out}");
    hints.extend(hinted_commands(&out));

    // On AWS with no region and no credentials: each said before any
    // change, with the way in.
    let (out, code) = shell.run("lam deploy --dry-run");
    assert_eq!(code, 4, "{out}");
    assert!(out.contains("error: no AWS region is set"), "{out}");
    hints.extend(hinted_commands(&out));
    let (out, code) = shell.run("lam deploy --dry-run --region us-east-1");
    assert_eq!(code, 4, "{out}");
    assert!(out.contains("error: no AWS credentials found"), "{out}");
    hints.extend(hinted_commands(&out));

    assert!(hints.len() >= 4, "too few hints name a command: {hints:?}");
    for command in &hints {
        check_exists(command, bin.path());
    }

    // Following the hint ("set LAM_PYTHON") makes it work.
    let (out, code) = shell.run(&format!(
        "export LAM_PYTHON={} && lam invoke --local --event events/get-items.json",
        test_python().display()
    ));
    assert_eq!(code, 0, "{out}");
    // On a terminal the answer is shown as HTTP.
    assert!(out.contains("HTTP 200"), "{out}");
    let (out, code) = shell.run("lam doctor --no-aws");
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}
