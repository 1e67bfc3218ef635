//! `.env` files: variables for local runs only (never packaged or deployed).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// Reads `.env`, then `.env.<stage>` over it, from `dir`. Missing files are
/// fine; malformed lines are errors naming the file and line.
pub fn load(dir: &Path, stage: &str) -> Result<BTreeMap<String, String>> {
    let mut vars = BTreeMap::new();
    for name in [".env".to_string(), format!(".env.{stage}")] {
        let path = dir.join(&name);
        match std::fs::read_to_string(&path) {
            Ok(text) => vars.extend(parse(&text, &name)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("read", &path, e)),
        }
    }
    Ok(vars)
}

/// `KEY=VALUE` lines; `export ` prefixes, `#` comments, blank lines, and
/// single- or double-quoted values (double quotes understand \n and \").
pub fn parse(text: &str, label: &str) -> Result<BTreeMap<String, String>> {
    let mut vars = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(
                Error::config(format!("{label}:{}: expected KEY=VALUE", i + 1))
                    .with_hint("write each variable as KEY=VALUE on its own line"),
            );
        };
        let key = key.trim();
        let valid = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(Error::config(format!(
                "{label}:{}: \"{key}\" is not a variable name",
                i + 1
            ))
            .with_hint("names are letters, digits and '_', not starting with a digit"));
        }
        vars.insert(key.to_string(), unquote(value.trim()));
    }
    Ok(vars)
}

fn unquote(value: &str) -> String {
    if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
        return value[1..value.len() - 1].to_string();
    }
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        return value[1..value.len() - 1]
            .replace("\\n", "\n")
            .replace("\\\"", "\"");
    }
    // An unquoted value ends at a comment.
    match value.find(" #") {
        Some(i) => value[..i].trim_end().to_string(),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        let vars = parse(
            "# comment\n\nA=1\nexport B = two words # note\nC='single # kept'\nD=\"line\\nbreak\"\nE=\n",
            ".env",
        )
        .unwrap();
        assert_eq!(vars["A"], "1");
        assert_eq!(vars["B"], "two words");
        assert_eq!(vars["C"], "single # kept");
        assert_eq!(vars["D"], "line\nbreak");
        assert_eq!(vars["E"], "");
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = parse("A=1\nnot a pair\n", ".env").unwrap_err();
        assert!(err.to_string().contains(".env:2: expected KEY=VALUE"));
        let err = parse("1A=x\n", ".env.prod").unwrap_err();
        assert!(
            err.to_string()
                .contains(".env.prod:1: \"1A\" is not a variable name")
        );
    }

    #[test]
    fn stage_file_overrides() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "A=base\nB=base\n").unwrap();
        std::fs::write(dir.path().join(".env.prod"), "B=prod\n").unwrap();
        let vars = load(dir.path(), "prod").unwrap();
        assert_eq!((vars["A"].as_str(), vars["B"].as_str()), ("base", "prod"));
        assert_eq!(load(dir.path(), "dev").unwrap()["B"], "base");
    }
}
