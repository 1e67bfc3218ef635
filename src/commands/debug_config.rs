//! `lam debug-config vscode`: the editor's attach configurations for
//! `--debug` runs, added to .vscode/launch.json beside what is there.

use std::path::Path;

use serde_json::{Value, json};

use crate::cli::{DebugConfigArgs, Editor};
use crate::commands::Context;
use crate::config::rules::Language;
use crate::error::{Error, Result};
use crate::local::debug::port_for;

pub fn run(ctx: &Context<'_>, args: DebugConfigArgs) -> Result<()> {
    let project = ctx.project()?;
    let Editor::Vscode = args.editor;
    let configs = configurations(&project, args.debug_port);
    if configs.is_empty() {
        return Err(Error::usage("no function here runs under a debugger")
            .with_hint("--debug supports Python and Node.js functions"));
    }
    if args.print {
        ctx.ui
            .print_value(&json!({ "version": "0.2.0", "configurations": configs }));
        return Ok(());
    }
    let file = project.root.join(".vscode").join("launch.json");
    let added = add_to_launch_json(&file, &configs)?;
    if !ctx.ui.quiet {
        if added.is_empty() {
            eprintln!("{} has lam's configurations already", file.display());
        } else {
            for name in &added {
                eprintln!("added \"{name}\" to {}", file.display());
            }
        }
    }
    Ok(())
}

/// One attach configuration per function that can run under a debugger.
/// The code runs from `.lam/task/<function>/`, a read-only copy of what the
/// package holds: the mappings send breakpoints set in the project there.
fn configurations(project: &crate::config::Project, base: Option<u16>) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, function) in project.functions.iter().enumerate() {
        let port = port_for(project, i, base);
        let remote = project
            .root
            .join(".lam")
            .join("task")
            .join(&function.name)
            .to_string_lossy()
            .into_owned();
        let local = match function.source.strip_prefix(&project.root) {
            Ok(rel) if rel.as_os_str().is_empty() => "${workspaceFolder}".to_string(),
            Ok(rel) => format!("${{workspaceFolder}}/{}", rel.to_string_lossy()),
            Err(_) => function.source.to_string_lossy().into_owned(),
        };
        match function.language() {
            Language::Python => out.push(json!({
                "name": format!("lam: attach to {} (Python)", function.key),
                "type": "debugpy",
                "request": "attach",
                "connect": { "host": "127.0.0.1", "port": port },
                "pathMappings": [{ "localRoot": local, "remoteRoot": remote }],
                "justMyCode": false,
            })),
            Language::Node => out.push(json!({
                "name": format!("lam: attach to {} (Node.js)", function.key),
                "type": "node",
                "request": "attach",
                "address": "127.0.0.1",
                "port": port,
                "localRoot": local,
                "remoteRoot": remote,
                "skipFiles": ["<node_internals>/**"],
            })),
            Language::Other => {}
        }
    }
    out
}

/// Adds the configurations whose names launch.json does not have yet,
/// inserted as text at the start of its `configurations` array so the
/// file's comments and layout stay as they are. Returns the names added.
fn add_to_launch_json(file: &Path, configs: &[Value]) -> Result<Vec<String>> {
    let existing = match std::fs::read_to_string(file) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("read", file, e)),
    };
    let Some(text) = existing else {
        let doc = json!({ "version": "0.2.0", "configurations": configs });
        let dir = file.parent().unwrap_or(file);
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        let body = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        std::fs::write(file, body).map_err(|e| Error::io("write", file, e))?;
        return Ok(names(configs));
    };
    let unreadable = || {
        Error::config(format!(
            "{} is not a launch configuration lam can read",
            file.display()
        ))
        .with_hint("run `lam debug-config vscode --print` and add what it prints yourself")
    };
    let doc: Value = serde_json::from_str(&without_comments(&text)).map_err(|_| unreadable())?;
    let have: Vec<&str> = doc["configurations"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    let new: Vec<&Value> = configs
        .iter()
        .filter(|c| !have.contains(&c["name"].as_str().unwrap_or_default()))
        .collect();
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let at = array_start(&text, "configurations").ok_or_else(unreadable)?;
    let empty = text[at..].trim_start().starts_with(']');
    let mut insert = String::new();
    for (i, config) in new.iter().enumerate() {
        let pretty = serde_json::to_string_pretty(config).unwrap_or_default();
        insert.push_str("\n    ");
        insert.push_str(&pretty.replace('\n', "\n    "));
        if i + 1 < new.len() || !empty {
            insert.push(',');
        }
    }
    let mut out = text.clone();
    out.insert_str(at, &insert);
    std::fs::write(file, out).map_err(|e| Error::io("write", file, e))?;
    Ok(new
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect())
}

fn names(configs: &[Value]) -> Vec<String> {
    configs
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect()
}

/// JSON with comments (as VS Code writes launch.json) made JSON: `//` and
/// `/* */` comments outside strings removed, and commas before `]` or `}`.
fn without_comments(text: &str) -> String {
    let code = scan(text).into_iter().map(|(c, _)| c).collect::<String>();
    let mut out = String::with_capacity(code.len());
    let chars: Vec<char> = code.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some(']' | '}')) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

/// Each character that is not inside a comment, with its byte offset.
fn scan(text: &str) -> Vec<(char, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut in_string = false;
    while let Some((at, c)) = chars.next() {
        if in_string {
            out.push((c, at));
            if c == '\\' {
                if let Some((at, escaped)) = chars.next() {
                    out.push((escaped, at));
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek().map(|(_, n)| *n)) {
            ('"', _) => {
                in_string = true;
                out.push((c, at));
            }
            ('/', Some('/')) => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        out.push(('\n', at));
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for (_, c) in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            _ => out.push((c, at)),
        }
    }
    out
}

/// The byte offset just after the `[` that opens the array under `key` in
/// the top-level object (not a `configurations` inside `compounds`),
/// outside comments and strings.
fn array_start(text: &str, key: &str) -> Option<usize> {
    let code = scan(text);
    let mut depth = 0usize;
    let mut i = 0;
    while i < code.len() {
        let (c, _) = code[i];
        match c {
            '"' => {
                // A string: read it whole.
                let begin = i + 1;
                let mut j = begin;
                while j < code.len() && code[j].0 != '"' {
                    j += if code[j].0 == '\\' { 2 } else { 1 };
                }
                let word: String = code[begin..j.min(code.len())]
                    .iter()
                    .map(|(c, _)| *c)
                    .collect();
                i = j + 1;
                let mut next = code[i.min(code.len())..]
                    .iter()
                    .filter(|(c, _)| !c.is_whitespace());
                if depth == 1 && word == key && matches!(next.next(), Some((':', _))) {
                    // The key's value must be an array.
                    return match next.next() {
                        Some(('[', at)) => Some(at + 1),
                        _ => None,
                    };
                }
                continue;
            }
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const VSCODE_DEFAULT: &str = r#"{
    // Use IntelliSense to learn about possible attributes.
    // Hover to view descriptions of existing attributes.
    "version": "0.2.0",
    "configurations": [
        {
            "name": "Python: Current File", // mine
            "type": "debugpy",
            "request": "launch",
            "program": "${file}",
        },
    ]
}
"#;

    #[test]
    fn comments_and_trailing_commas_are_read_and_kept() {
        let doc: Value = serde_json::from_str(&without_comments(VSCODE_DEFAULT)).unwrap();
        assert_eq!(doc["configurations"][0]["name"], "Python: Current File");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("launch.json");
        std::fs::write(&file, VSCODE_DEFAULT).unwrap();
        let config = json!({"name": "lam: attach to function (Python)", "type": "debugpy"});
        let added = add_to_launch_json(&file, std::slice::from_ref(&config)).unwrap();
        assert_eq!(added, ["lam: attach to function (Python)"]);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("// Use IntelliSense") && text.contains("// mine"),
            "{text}"
        );
        let doc: Value = serde_json::from_str(&without_comments(&text)).unwrap();
        let names: Vec<&str> = doc["configurations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["lam: attach to function (Python)", "Python: Current File"]
        );
        // A second run adds nothing and leaves the file as it is.
        assert!(add_to_launch_json(&file, &[config]).unwrap().is_empty());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    }

    /// Only the top-level `configurations` takes lam's entries, not a
    /// compound's list of names.
    #[test]
    fn compounds_are_left_alone() {
        let text = r#"{"compounds": [{"name": "both", "configurations": ["a", "b"]}],
  "version": "0.2.0", "configurations": [{"name": "a"}]}"#;
        let at = array_start(text, "configurations").unwrap();
        assert!(
            text[..at].ends_with(r#""version": "0.2.0", "configurations": ["#),
            "{}",
            &text[..at]
        );
        assert_eq!(
            array_start(r#"{"name": "configurations"}"#, "configurations"),
            None
        );
    }

    #[test]
    fn an_empty_array_gets_no_trailing_comma() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("launch.json");
        std::fs::write(&file, "{\"version\": \"0.2.0\", \"configurations\": []}").unwrap();
        add_to_launch_json(&file, &[json!({"name": "a"}), json!({"name": "b"})]).unwrap();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["configurations"].as_array().unwrap().len(), 2);
    }
}
