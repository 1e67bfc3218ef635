//! `lam new` in a real terminal (tmux): it asks for what is missing, confirms
//! before writing into a non-empty directory, and Ctrl-C leaves nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{default_python_runtime, unique};

struct Pane {
    session: String,
}

impl Pane {
    /// Runs lam with `args` in a fresh tmux session in `dir`; the pane stays
    /// open afterwards and shows `EXIT=<code>`.
    fn start(dir: &Path, args: &str) -> Pane {
        let available = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            available,
            "tmux is required for the terminal tests (apt-get install tmux); .ci/run installs it"
        );
        let session = unique("lam-prompt");
        let lam = assert_cmd::cargo::cargo_bin("lam");
        let script = format!(
            "env NO_COLOR=1 {} {args}; echo EXIT=$?; sleep 60",
            lam.display()
        );
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "160",
                "-y",
                "40",
                "-c",
            ])
            .arg(dir)
            .arg(script)
            .status()
            .unwrap();
        assert!(status.success());
        Pane { session }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "never saw {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keys(&self, keys: &[&str]) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap();
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[test]
fn new_asks_for_name_runtime_and_template() {
    let dir = tempfile::tempdir().unwrap();
    let pane = Pane::start(dir.path(), "new");
    pane.wait_for("Project name");
    pane.keys(&["demo", "Enter"]);
    // The machine's Python is the default; the runtime below it is chosen.
    let default = default_python_runtime();
    pane.wait_for(&format!("> {default}"));
    let offered = [
        "python3.12",
        "python3.13",
        "python3.14",
        "python3.11",
        "python3.10",
        "nodejs22.x",
    ];
    let below = offered[offered.iter().position(|r| *r == default).unwrap() + 1];
    pane.keys(&["Down", "Enter"]);
    let screen = pane.wait_for("Template");
    assert!(
        screen.contains("> hello"),
        "hello is the default:\n{screen}"
    );
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.contains(&format!("Created demo ({below}, template hello")),
        "{screen}"
    );
    let toml = std::fs::read_to_string(dir.path().join("demo/lam.toml")).unwrap();
    assert!(toml.contains(&format!("runtime = \"{below}\"")), "{toml}");
}

#[test]
fn writing_into_a_non_empty_directory_is_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/notes.txt"), "mine").unwrap();
    let pane = Pane::start(
        dir.path(),
        "new taken --runtime python3.12 --template hello",
    );
    pane.wait_for("exists and is not empty. Write into it anyway?");
    pane.keys(&["n"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=2"), "{screen}");
    assert!(!dir.path().join("taken/app.py").exists());
}

#[test]
fn ctrl_c_at_a_prompt_exits_130_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pane = Pane::start(dir.path(), "new");
    pane.wait_for("Project name");
    pane.keys(&["C-c"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn trigger_templates_ask_for_their_bucket_and_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let pane = Pane::start(
        dir.path(),
        "new pics --runtime python3.12 --template s3-image",
    );
    pane.wait_for("Bucket whose uploads/ invoke the function");
    pane.keys(&["my-photos", "Enter"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    let toml = std::fs::read_to_string(dir.path().join("pics/lam.toml")).unwrap();
    assert!(toml.contains("bucket = \"my-photos\""), "{toml}");

    let pane = Pane::start(
        dir.path(),
        "new job --runtime python3.12 --template scheduled",
    );
    pane.wait_for("Schedule");
    pane.keys(&["rate(1 hour)", "Enter"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    let toml = std::fs::read_to_string(dir.path().join("job/lam.toml")).unwrap();
    assert!(toml.contains("expression = \"rate(1 hour)\""), "{toml}");
}

#[test]
fn a_handler_cannot_drive_the_terminal_through_lam() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lam.toml"),
        "[project]\nname = \"esc\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.lambda_handler\"\n",
    )
    .unwrap();
    // It prints "clear the screen" and "set the window title", and returns
    // a colour escape.
    std::fs::write(
        dir.path().join("app.py"),
        "def lambda_handler(event, context):\n    print('\\x1b[2J\\x1b]0;owned\\x07logged')\n    return '\\x1b[31mreturned'\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("e.json"), "{}").unwrap();
    let pane = Pane::start(dir.path(), "invoke --local --event e.json");
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    // Shown as text, not obeyed.
    assert!(
        screen.contains("\\x1b[2J\\x1b]0;owned\\x07logged"),
        "{screen}"
    );
    // The result is JSON: its control characters are \u escapes already.
    assert!(screen.contains("\\u001b[31mreturned"), "{screen}");
}
