//! Editing lam.toml in place (`lam env set / unset`), keeping its comments
//! and layout, and validating the result before it is written.

use std::io::Write;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Table, TableLike};

use super::Project;
use crate::error::{Error, Result, io_reason};

/// Where `lam env` edits: `[stages.<stage>.env]` with a stage, else
/// `[function.env]` for a single function, else the shared top-level `[env]`.
fn env_path(doc: &DocumentMut, stage: Option<&str>) -> Vec<String> {
    match stage {
        Some(s) => vec!["stages".into(), s.into(), "env".into()],
        None if doc.get("function").is_some() => vec!["function".into(), "env".into()],
        None => vec!["env".into()],
    }
}

fn table_at<'a>(doc: &'a mut DocumentMut, path: &[String]) -> Result<&'a mut dyn TableLike> {
    let mut current: &mut dyn TableLike = doc.as_table_mut();
    for (i, key) in path.iter().enumerate() {
        if current.get(key).is_none() {
            let mut table = Table::new();
            // Only the innermost table gets a header of its own.
            table.set_implicit(i + 1 < path.len());
            current.insert(key, Item::Table(table));
        }
        current = current
            .get_mut(key)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| {
                Error::config(format!(
                    "lam.toml: `{}` is not a table",
                    path[..=i].join(".")
                ))
                .with_hint("make it a table, e.g. [function.env]")
            })?;
    }
    Ok(current)
}

fn parse(text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>().map_err(|e| {
        Error::config(format!("lam.toml: {}", e.message())).with_hint("fix the TOML syntax first")
    })
}

/// The text with `pairs` set; returns the table it wrote to.
pub fn set_env(
    text: &str,
    stage: Option<&str>,
    pairs: &[(String, String)],
) -> Result<(String, String)> {
    let mut doc = parse(text)?;
    let path = env_path(&doc, stage);
    let table = table_at(&mut doc, &path)?;
    for (k, v) in pairs {
        match table.get_mut(k).and_then(Item::as_value_mut) {
            // Replace only the value: the key keeps its comments, the value
            // its spacing and trailing comment.
            Some(existing) => {
                let decor = existing.decor().clone();
                *existing = toml_edit::Value::from(v.as_str());
                *existing.decor_mut() = decor;
            }
            None => {
                table.insert(k, toml_edit::value(v.as_str()));
            }
        }
    }
    Ok((doc.to_string(), path.join(".")))
}

/// The text with `keys` removed; errors when a key is not there.
pub fn unset_env(text: &str, stage: Option<&str>, keys: &[String]) -> Result<(String, String)> {
    let mut doc = parse(text)?;
    let path = env_path(&doc, stage);
    let where_ = path.join(".");
    let table = table_at(&mut doc, &path)?;
    for k in keys {
        if table.remove(k).is_none() {
            return Err(Error::usage(format!("{k} is not set in [{where_}]"))
                .with_hint("`lam env list` shows the variables and where they come from"));
        }
    }
    Ok((doc.to_string(), where_))
}

/// Validates `text` as lam.toml for `stage`, then replaces the file with it
/// (through a temporary file, so the file is never half-written).
pub fn write_validated(file: &Path, label: &str, text: &str, stage: Option<&str>) -> Result<()> {
    let root = file.parent().unwrap_or(Path::new("."));
    Project::parse(text, label, root, stage).map_err(|mut e| {
        // Positions are in the edited text, which was never written: the
        // file on disk has no such line. Said as what the edit would do.
        for p in &mut e.problems {
            p.message = unwritten(label, &p.message);
        }
        e
    })?;
    // Through a link, the file it points at is replaced, with its permissions.
    let target = file
        .canonicalize()
        .map_err(|e| Error::io("read", file, e))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)
        .map_err(|e| Error::io("read", file, e))?
        .permissions();
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("write in", dir, e))?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", file, e))?;
    std::fs::set_permissions(tmp.path(), permissions).map_err(|e| Error::io("write", file, e))?;
    tmp.persist(&target).map_err(|e| {
        Error::config(format!(
            "cannot write '{}': {}",
            file.display(),
            io_reason(&e.error)
        ))
    })?;
    Ok(())
}

/// "lam.toml:15:11: env takes ..." -> "lam.toml was not changed: env takes ...".
fn unwritten(label: &str, message: &str) -> String {
    let rest = message
        .strip_prefix(label)
        .and_then(|r| r.strip_prefix(':'));
    let without_position = rest.and_then(|r| {
        let mut parts = r.splitn(3, ':');
        let (line, col, tail) = (parts.next()?, parts.next()?, parts.next()?);
        (line.parse::<u32>().is_ok() && col.parse::<u32>().is_ok()).then(|| tail.trim_start())
    });
    match without_position.or(rest.map(str::trim_start)) {
        Some(tail) => format!("{label} was not changed: {tail}"),
        None => format!("{label} was not changed: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_edit_names_no_line_the_file_does_not_have() {
        assert_eq!(
            unwritten(
                "lam.toml",
                "lam.toml:15:11: environment variables take 5058 bytes"
            ),
            "lam.toml was not changed: environment variables take 5058 bytes"
        );
        assert_eq!(
            unwritten("lam.toml", "function memory too small"),
            "lam.toml was not changed: function memory too small"
        );
    }

    const FILE: &str = "# my project\n[function]\nruntime = \"python3.12\" # the runtime\nhandler = \"app.h\"\n\n[function.env]\n# log verbosity\nLOG_LEVEL = \"INFO\"\n";

    #[test]
    fn set_keeps_comments_and_adds_keys() {
        let (text, table) = set_env(
            FILE,
            None,
            &[
                ("TABLE".into(), "orders".into()),
                ("LOG_LEVEL".into(), "DEBUG".into()),
            ],
        )
        .unwrap();
        assert_eq!(table, "function.env");
        assert!(text.contains("# my project"));
        assert!(text.contains("# the runtime"));
        assert!(
            text.contains("# log verbosity\nLOG_LEVEL = \"DEBUG\""),
            "{text}"
        );
        let (kept, _) = set_env(
            "[env]\nA = \"1\" # note\n",
            None,
            &[("A".into(), "2".into())],
        )
        .unwrap();
        assert_eq!(kept, "[env]\nA = \"2\" # note\n");
        assert!(text.contains("TABLE = \"orders\""));
    }

    #[test]
    fn stage_tables_are_created_with_one_header() {
        let (text, table) =
            set_env(FILE, Some("prod"), &[("LOG_LEVEL".into(), "WARN".into())]).unwrap();
        assert_eq!(table, "stages.prod.env");
        assert!(
            text.contains("[stages.prod.env]\nLOG_LEVEL = \"WARN\""),
            "{text}"
        );
        assert!(!text.contains("[stages]\n"), "{text}");
    }

    #[test]
    fn unset_removes_or_says_it_was_not_there() {
        let (text, _) = unset_env(FILE, None, &["LOG_LEVEL".into()]).unwrap();
        assert!(!text.contains("LOG_LEVEL"));
        assert!(text.contains("# the runtime"));
        assert!(
            unset_env(FILE, None, &["NOPE".into()])
                .unwrap_err()
                .to_string()
                .contains("NOPE is not set in [function.env]")
        );
    }

    #[test]
    fn inline_env_tables_are_edited_too() {
        let text =
            "[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nenv = { A = \"1\" }\n";
        let (out, _) = set_env(text, None, &[("B".into(), "2".into())]).unwrap();
        assert!(
            out.contains("A = \"1\"") && out.contains("B = \"2\" }"),
            "{out}"
        );
        assert!(out.parse::<DocumentMut>().is_ok());
    }
}
