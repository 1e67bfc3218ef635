//! Handlers under a debugger: debugpy for Python, Node.js's inspector.
//!
//! The runtime process listens for the debugger on loopback; lam waits for
//! one to attach before the handler's module is imported (unless told not
//! to), so breakpoints set before the first event are hit during init too.
//! While a debugger is connected the function's timeout stands still: lam
//! sees the connection in the kernel's socket table, whichever debugger and
//! whichever runtime client it is.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::config::rules::Language;
use crate::error::{Error, Result};

/// The debugpy lam installs when the project's interpreter has none.
pub const DEBUGPY_VERSION: &str = "1.8.22";

/// What the handler's remaining time says while a debugger is attached.
pub const SUSPENDED_DEADLINE: Duration = Duration::from_secs(12 * 3600);

/// `--debug`: the port the runtime listens on, and whether it waits for a
/// debugger before the handler's import.
#[derive(Debug, Clone)]
pub struct Debug {
    pub port: u16,
    pub wait: bool,
    /// A debugger has been attached at some point (then waiting is over).
    ever_attached: Arc<AtomicBool>,
}

impl Debug {
    pub fn new(port: u16, wait: bool) -> Debug {
        Debug {
            port,
            wait,
            ever_attached: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The conventional port: debugpy's for Python, the inspector's for Node.js.
    pub fn default_port(language: Language) -> u16 {
        match language {
            Language::Node => 9229,
            _ => 5678,
        }
    }

    /// The same settings on another port, for the next function of `lam serve`.
    pub fn on_port(&self, port: u16) -> Debug {
        Debug::new(port, self.wait)
    }

    /// For a newly started process: it waits for a debugger of its own.
    pub fn fresh(&self) -> Debug {
        self.on_port(self.port)
    }

    /// Whether a debugger is connected now.
    pub fn attached(&self) -> bool {
        let on = connected(self.port);
        if on {
            self.ever_attached.store(true, Ordering::SeqCst);
        }
        on
    }

    /// Whether the clock runs: not while a debugger is connected, nor while
    /// the runtime waits for the first one.
    fn counting(&self) -> bool {
        let attached = self.attached();
        !(attached || (self.wait && !self.ever_attached.load(Ordering::SeqCst)))
    }

    /// Resolves once `limit` has passed on the clock that stops while a
    /// debugger is attached (or awaited).
    pub async fn expire(&self, limit: Duration) {
        const TICK: Duration = Duration::from_millis(50);
        let mut spent = Duration::ZERO;
        let mut last = tokio::time::Instant::now();
        while spent < limit {
            tokio::time::sleep(TICK.min(limit - spent)).await;
            let now = tokio::time::Instant::now();
            if self.counting() {
                spent += now - last;
            }
            last = now;
        }
    }

    /// How to attach, for the line lam prints.
    pub fn describe(&self, language: Language) -> String {
        let what = match language {
            Language::Node => "Node.js inspector",
            _ => "debugpy",
        };
        let waiting = if self.wait {
            "waiting for a debugger to attach"
        } else {
            "running without waiting"
        };
        format!(
            "{what} on 127.0.0.1:{} ({waiting}; `lam debug-config vscode` writes the editor's set-up)",
            self.port
        )
    }
}

/// An established TCP connection whose local end is `port` on this machine
/// (/proc/net/tcp and tcp6: state 01, ESTABLISHED).
pub fn connected(port: u16) -> bool {
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .any(|table| std::fs::read_to_string(table).is_ok_and(|text| established_on(&text, port)))
}

fn established_on(table: &str, port: u16) -> bool {
    table.lines().skip(1).any(|line| {
        let mut fields = line.split_whitespace();
        let local = fields.nth(1);
        let state = fields.nth(1);
        state == Some("01")
            && local
                .and_then(|l| l.rsplit_once(':'))
                .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
                == Some(port)
    })
}

/// Where `import debugpy` resolves for `python`: None when the interpreter
/// has it already; otherwise lam's cache, installed there once per
/// interpreter version (never into the project or its package).
pub fn debugpy_path(python: &Path, quiet: bool) -> Result<Option<PathBuf>> {
    let probe = Command::new(python)
        .args([
            "-I",
            "-c",
            "import sys\ntry:\n import debugpy\n print('have')\nexcept ImportError:\n print(sys.implementation.cache_tag)",
        ])
        .output()
        .map_err(|e| {
            Error::local(format!("cannot run {}: {e}", python.display()))
                .with_hint("set LAM_PYTHON to a working Python")
        })?;
    let answer = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    if answer == "have" {
        return Ok(None);
    }
    let tag = if answer.is_empty() { "python" } else { &answer };
    let dir = crate::package::tools::cache_dir()?
        .join("debugpy")
        .join(format!("{DEBUGPY_VERSION}-{tag}"));
    crate::package::tools::pip_install_into(
        python,
        &format!("debugpy=={DEBUGPY_VERSION}"),
        &dir,
        |d| d.join("debugpy").join("__init__.py").is_file(),
        quiet,
    )
    .map(Some)
    .map_err(|e| {
        e.with_hint("install it yourself in the project's environment: pip install debugpy")
    })
}

/// Python's launcher for `--debug`: debugpy listens inside the runtime's
/// own process (no separate adapter process to start, or to outlive the
/// runtime), waits for a debugger unless told not to, then runs the
/// runtime client as `python <script>` or `python -m <module>` would.
pub const PYTHON_LAUNCHER: &str = r#"# Written by lam for `lam invoke --local --debug` and `lam serve --debug`.
import os
import runpy
import sys

import debugpy

port, wait = os.environ.pop("_LAM_DEBUG").split(",")
debugpy.listen(("127.0.0.1", int(port)), in_process_debug_adapter=True)
if wait == "wait":
    debugpy.wait_for_client()
if sys.argv[1] == "-m":
    # As `python -m` does: the working directory first on the path.
    sys.path[0] = os.getcwd()
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
"#;

/// Node.js's preload for `--debug`: opens the inspector before the runtime
/// client starts, and waits for a debugger unless told not to.
pub const NODE_PRELOAD: &str = r#"// Written by lam for `lam invoke --local --debug` and `lam serve --debug`.
const inspector = require("node:inspector");
const [port, wait] = (process.env._LAM_DEBUG || "").split(",");
delete process.env._LAM_DEBUG;
inspector.open(Number(port), "127.0.0.1", false);
if (wait === "wait") inspector.waitForDebugger();
"#;

/// The debugger port of the project's `index`th function: `base` (or the
/// first function's conventional port) plus its place in lam.toml, so
/// `lam serve --debug`, `lam invoke --local --debug` and
/// `lam debug-config` agree.
pub fn port_for(project: &crate::config::Project, index: usize, base: Option<u16>) -> u16 {
    let first = project
        .functions
        .first()
        .map_or(Language::Python, |f| f.language());
    base.unwrap_or_else(|| Debug::default_port(first))
        .saturating_add(index.min(u16::MAX as usize) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:162E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:162E 0100007F:B5A2 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:B5A2 0100007F:162E 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1
";

    /// 0x162E is 5678: listening (0A) is not attached; an established
    /// connection whose local end is the port is. The client's own end
    /// (local port 0xB5A2) does not count for port 0xB5A2's listener.
    #[test]
    fn an_established_connection_on_the_port_is_an_attached_debugger() {
        assert!(established_on(TABLE, 5678));
        assert!(!established_on(TABLE, 9229));
        let listening_only: String = TABLE.lines().take(2).collect::<Vec<_>>().join("\n");
        assert!(!established_on(&listening_only, 5678));
    }

    #[tokio::test]
    async fn the_clock_stops_while_waiting_for_the_first_debugger() {
        // Nothing listens on this port: never attached.
        let waiting = Debug::new(1, true);
        let started = std::time::Instant::now();
        let expired = tokio::time::timeout(
            Duration::from_millis(300),
            waiting.expire(Duration::from_millis(100)),
        )
        .await;
        assert!(expired.is_err(), "waiting for a debugger does not count");
        let running = Debug::new(1, false);
        running.expire(Duration::from_millis(100)).await;
        assert!(started.elapsed() >= Duration::from_millis(400));
    }
}
