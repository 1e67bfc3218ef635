//! Where a Python cold start goes, from `python -X importtime`: the
//! interpreter and the runtime, the handler module's own code, and each of
//! its imports, with their share of Init Duration.
//!
//! importtime writes one line per module when its import ends, so a
//! module's nested imports come on the lines just before its own, indented
//! two spaces deeper: `import time:  self [us] | cumulative | imported package`.

use serde::Serialize;

/// One `import time:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    self_us: u64,
    cumulative_us: u64,
    depth: usize,
    name: String,
}

fn parse(line: &str) -> Option<Line> {
    let rest = line.strip_prefix("import time:")?;
    let mut parts = rest.splitn(3, '|');
    let self_us = parts.next()?.trim().parse().ok()?;
    let cumulative_us = parts.next()?.trim().parse().ok()?;
    let package = parts.next()?;
    // One space follows the bar; each level of nesting adds two.
    let package = package.strip_prefix(' ').unwrap_or(package);
    let depth = (package.len() - package.trim_start().len()) / 2;
    Some(Line {
        self_us,
        cumulative_us,
        depth,
        name: package.trim().to_string(),
    })
}

/// A part of Init Duration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub what: String,
    pub ms: f64,
    /// Of Init Duration, 0..=1.
    pub share: f64,
}

/// Init Duration, taken apart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub init_ms: f64,
    /// The handler's module, when it was found among the imports.
    pub module: Option<String>,
    /// Slowest first.
    pub parts: Vec<Part>,
    /// A Node.js handler (its parts come from a CPU profile of the import).
    #[serde(skip)]
    pub node: bool,
}

impl Profile {
    /// From the importtime lines of a runtime whose handler is `handler`
    /// (`app.lambda_handler`, `pkg.mod.fn`), with `init_ms` measured by lam.
    pub fn from_importtime(raw: &[String], handler: &str, init_ms: f64) -> Profile {
        let module = handler.rsplit_once('.').map(|(m, _)| m).unwrap_or(handler);
        // lam's bootstrap brackets the handler's import (importtime does not
        // record an importlib.import_module): the lines between are its
        // imports, at depth 0, and the end line carries its whole time.
        let start = raw
            .iter()
            .position(|l| l == "import time: lam handler start");
        let end = raw
            .iter()
            .position(|l| l.starts_with("import time: lam handler end |"));
        let mut lines: Vec<Line> = Vec::new();
        match (start, end) {
            (Some(start), Some(end)) if start < end => {
                for l in &raw[start + 1..end] {
                    if let Some(mut line) = parse(l) {
                        line.depth += 1;
                        lines.push(line);
                    }
                }
                let total: u64 = raw[end]
                    .split('|')
                    .nth(1)
                    .and_then(|t| t.trim().parse().ok())
                    .unwrap_or(0);
                let children: u64 = lines
                    .iter()
                    .filter(|l| l.depth == 1)
                    .map(|l| l.cumulative_us)
                    .sum();
                lines.push(Line {
                    self_us: total.saturating_sub(children),
                    cumulative_us: total,
                    depth: 0,
                    name: module.to_string(),
                });
            }
            _ => lines.extend(raw.iter().filter_map(|l| parse(l))),
        }
        let share = |ms: f64| {
            if init_ms > 0.0 {
                (ms / init_ms * 1000.0).round() / 1000.0
            } else {
                0.0
            }
        };
        let part = |what: String, us: u64| {
            let ms = us as f64 / 1000.0;
            Part {
                what,
                ms: (ms * 100.0).round() / 100.0,
                share: share(ms),
            }
        };
        let Some(at) = lines.iter().rposition(|l| l.name == module) else {
            return Profile {
                init_ms,
                module: None,
                parts: Vec::new(),
                node: false,
            };
        };
        let handler_line = &lines[at];
        let mut parts = Vec::new();
        // Its direct imports: the lines just before it, one level deeper.
        for l in lines[..at]
            .iter()
            .rev()
            .take_while(|l| l.depth > handler_line.depth)
            .filter(|l| l.depth == handler_line.depth + 1)
        {
            // A part that is not a module, e.g. Node.js's own loading.
            let what = if l.name.starts_with('(') {
                l.name.clone()
            } else {
                format!("import {}", l.name)
            };
            parts.push(part(what, l.cumulative_us));
        }
        parts.push(part(
            format!("module-level code of {module}"),
            handler_line.self_us,
        ));
        let rest_ms = (init_ms - handler_line.cumulative_us as f64 / 1000.0).max(0.0);
        parts.push(Part {
            what: "interpreter start and the runtime (before the handler's import)".into(),
            ms: (rest_ms * 100.0).round() / 100.0,
            share: share(rest_ms),
        });
        parts.sort_by(|a, b| b.ms.total_cmp(&a.ms));
        Profile {
            init_ms,
            module: Some(module.to_string()),
            parts,
            node: false,
        }
    }

    /// The table lam prints, slowest first.
    pub fn render(&self) -> String {
        let mut out = format!("Init Duration {:.2} ms", self.init_ms);
        match &self.module {
            None => out.push_str(": the handler's module was not among the imports\n"),
            Some(m) => {
                out.push_str(&format!(", handler module {m}:\n"));
                for p in &self.parts {
                    out.push_str(&format!(
                        "  {:>9.2} ms {:>5.1}%  {}\n",
                        p.ms,
                        p.share * 100.0,
                        p.what
                    ));
                }
                out.push_str(if self.node {
                    "  (sampled every 100 µs; each package is charged with the code it ran, \
                     its own imports included; an import at module scope is paid at every cold start)\n"
                } else {
                    "  (compiled from source, as on Lambda when the zip holds no .pyc; an import at \
                     module scope is paid at every cold start)\n"
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn lines_parse_with_their_nesting() {
        assert_eq!(
            parse("import time:       410 |        471 |   codecs"),
            Some(Line {
                self_us: 410,
                cumulative_us: 471,
                depth: 1,
                name: "codecs".into()
            })
        );
        assert_eq!(
            parse("import time:       285 |      11313 | json")
                .unwrap()
                .depth,
            0
        );
        assert!(parse("import time: self [us] | cumulative | imported package").is_none());
        assert!(parse("hello").is_none());
    }

    #[test]
    fn the_handlers_imports_and_own_code_are_taken_apart() {
        let text = "import time: self [us] | cumulative | imported package
import time:      1000 |       1000 | json
import time:       300 |        300 |     botocore.exceptions
import time:      5000 |       5300 |   boto3
import time:       200 |        200 |   os
import time:      1500 |       7000 | app";
        let p = Profile::from_importtime(&lines(text), "app.lambda_handler", 20.0);
        assert_eq!(p.module.as_deref(), Some("app"));
        let parts: Vec<(&str, f64)> = p.parts.iter().map(|x| (x.what.as_str(), x.ms)).collect();
        assert_eq!(
            parts,
            [
                (
                    "interpreter start and the runtime (before the handler's import)",
                    13.0
                ),
                ("import boto3", 5.3),
                ("module-level code of app", 1.5),
                ("import os", 0.2),
            ]
        );
        assert_eq!(p.parts[1].share, 0.265);
        let table = p.render();
        assert!(table.contains("import boto3"), "{table}");
        assert!(
            table.starts_with("Init Duration 20.00 ms, handler module app:"),
            "{table}"
        );
    }

    #[test]
    fn the_bootstraps_brackets_mark_the_handlers_import() {
        let text = "import time:      1000 |       1000 | json
import time: lam handler start
import time:       300 |        300 |   botocore.exceptions
import time:      5000 |       5300 | boto3
import time:       200 |        200 | os
import time: lam handler end | 7000 | app";
        let p = Profile::from_importtime(&lines(text), "app.handler", 10.0);
        assert_eq!(p.module.as_deref(), Some("app"));
        let parts: Vec<(&str, f64)> = p.parts.iter().map(|x| (x.what.as_str(), x.ms)).collect();
        assert_eq!(
            parts,
            [
                ("import boto3", 5.3),
                (
                    "interpreter start and the runtime (before the handler's import)",
                    3.0
                ),
                ("module-level code of app", 1.5),
                ("import os", 0.2),
            ]
        );
    }

    #[test]
    fn a_handler_in_a_package_is_found_by_its_dotted_name() {
        let text = "import time:       100 |        100 |     requests
import time:       400 |        500 |   pkg.mod
import time:        50 |        550 | pkg";
        let p = Profile::from_importtime(&lines(text), "pkg.mod.handler", 2.0);
        assert_eq!(p.module.as_deref(), Some("pkg.mod"));
        assert!(p.parts.iter().any(|x| x.what == "import requests"));
        let none = Profile::from_importtime(&lines(text), "other.handler", 2.0);
        assert!(none.parts.is_empty());
    }
}
