//! Turns a key path in lam.toml into `lam.toml:LINE:COL:` for error messages.

use std::ops::Range;

use toml_edit::{Document, Item};

use crate::error::{Error, Problem};

pub struct Locator<'a> {
    text: &'a str,
    label: &'a str,
    doc: Option<Document<&'a str>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str, label: &'a str) -> Self {
        Locator {
            text,
            label,
            doc: Document::parse(text).ok(),
        }
    }

    /// The span of the value at `path` (or of its key when the value has none).
    fn span(&self, path: &[String]) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let mut item: &Item = doc.as_item();
        let mut key_span = None;
        for segment in path {
            // An index into an array: the array's own position is precise enough.
            if segment.parse::<usize>().is_ok() {
                break;
            }
            let table = item.as_table_like()?;
            let (key, value) = table.get_key_value(segment)?;
            key_span = key.span();
            item = value;
        }
        match item {
            Item::Table(t) => key_span.or_else(|| t.span()),
            other => other.span().or(key_span),
        }
    }

    /// The position of the key at `path` itself: "lam.toml:LINE:COL: message".
    fn locate_key(&self, path: &[String], message: &str) -> (Option<usize>, String) {
        let key_start = (|| {
            let doc = self.doc.as_ref()?;
            let (last, parents) = path.split_last()?;
            let mut item: &Item = doc.as_item();
            for segment in parents {
                item = item.as_table_like()?.get(segment)?;
            }
            let (key, _) = item.as_table_like()?.get_key_value(last)?;
            key.span().map(|s| s.start)
        })();
        match key_start {
            Some(start) => {
                let (line, col) = line_col(self.text, start);
                (
                    Some(start),
                    format!("{}:{line}:{col}: {message}", self.label),
                )
            }
            None => self.locate(path, message),
        }
    }

    pub fn has(&self, path: &[String]) -> bool {
        self.span(path).is_some()
    }

    /// Prefixes `message` with the position of `path`; returns the byte offset
    /// too, so that several problems can be listed in file order.
    pub fn locate(&self, path: &[String], message: &str) -> (Option<usize>, String) {
        match self.span(path) {
            Some(span) => {
                let (line, col) = line_col(self.text, span.start);
                (
                    Some(span.start),
                    format!("{}:{line}:{col}: {message}", self.label),
                )
            }
            None => (None, format!("{}: {message}", self.label)),
        }
    }

    /// A TOML syntax error or a serde type / unknown-key error.
    pub fn serde_error(&self, err: &toml::de::Error) -> Error {
        let raw = err.message().trim().replace('\n', " ");
        let (message, hint) = plain_serde_message(&raw);
        let located = match err.span() {
            Some(span) => {
                let (line, col) = line_col(self.text, span.start);
                format!("{}:{line}:{col}: {message}", self.label)
            }
            None => format!("{}: {message}", self.label),
        };
        Error::many(
            crate::error::Kind::Config,
            vec![Problem {
                message: located,
                hint: Some(hint),
            }],
        )
    }
}

/// Deserializes lam.toml, reporting every key serde refuses rather than
/// the first: each refused key is taken out and the rest read again (at
/// most 20 times), every problem placed at its position in the file as
/// written. A TOML syntax error stops there (nothing after it can be read).
pub fn deserialize_all<T: serde::de::DeserializeOwned>(
    locator: &Locator<'_>,
    text: &str,
) -> Result<T, Error> {
    let mut err = match toml::from_str::<T>(text) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let first = locator.serde_error(&err).problems;
    let mut found: Vec<(Option<usize>, Problem)> = first
        .into_iter()
        .map(|p| (err.span().map(|s| s.start), p))
        .collect();
    let mut current = text.to_string();
    for _ in 0..20 {
        let Some(span) = err.span() else { break };
        let Ok(doc) = Document::parse(current.as_str()) else {
            break;
        };
        let Some(path) = path_at(doc.as_item(), span.start, &mut Vec::new()) else {
            break;
        };
        let Ok(mut edited) = current.parse::<toml_edit::DocumentMut>() else {
            break;
        };
        if !remove_path(edited.as_item_mut(), &path) {
            break;
        }
        current = edited.to_string();
        err = match toml::from_str::<T>(&current) {
            Ok(_) => break,
            Err(e) => e,
        };
        // A required key taken out: not a problem of the file's.
        if err.message().contains("missing field") {
            break;
        }
        let Some(span) = err.span() else { break };
        let Ok(doc) = Document::parse(current.as_str()) else {
            break;
        };
        let raw = err.message().trim().replace('\n', " ");
        let (message, hint) = plain_serde_message(&raw);
        // Placed where the file as written has it: an unknown key at the
        // key, anything else at its value.
        let (at, message) = match path_at(doc.as_item(), span.start, &mut Vec::new()) {
            Some(path) if message.starts_with("unknown key") => locator.locate_key(&path, &message),
            Some(path) => locator.locate(&path, &message),
            None => (None, format!("{}: {message}", locator.label)),
        };
        found.push((
            at,
            Problem {
                message,
                hint: Some(hint),
            },
        ));
    }
    // In file order.
    found.sort_by_key(|(at, _)| at.unwrap_or(usize::MAX));
    Err(Error::many(
        crate::error::Kind::Config,
        found.into_iter().map(|(_, p)| p).collect(),
    ))
}

/// The path of the innermost key whose key or value spans `offset`.
fn path_at(item: &Item, offset: usize, path: &mut Vec<String>) -> Option<Vec<String>> {
    let table = item.as_table_like()?;
    for (key, value) in table.iter() {
        let Some((k, _)) = table.get_key_value(key) else {
            continue;
        };
        let in_key = k.span().is_some_and(|s| s.contains(&offset));
        let value_span = match value {
            Item::Table(t) => t.span(),
            other => other.span(),
        };
        let in_value = value_span.is_some_and(|s| s.contains(&offset));
        path.push(key.to_string());
        if let Some(inner) = path_at(value, offset, path) {
            return Some(inner);
        }
        if in_key || in_value {
            return Some(path.clone());
        }
        path.pop();
    }
    None
}

fn remove_path(item: &mut Item, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut item = item;
    for segment in parents {
        let Some(next) = item.as_table_like_mut().and_then(|t| t.get_mut(segment)) else {
            return false;
        };
        item = next;
    }
    item.as_table_like_mut()
        .and_then(|t| t.remove(last))
        .is_some()
}

/// serde's wording in lam.toml's terms: an unknown key with the key it
/// most likely meant (instead of all 25), a type as a person names it
/// ("a whole number", not `i64`).
fn plain_serde_message(raw: &str) -> (String, String) {
    if let Some(rest) = raw.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match closest(key, &keys) {
            Some(near) => {
                format!(
                    "did you mean `{near}`? docs/reference/lam-toml.md in lam's repository lists every key"
                )
            }
            None => format!(
                "the keys allowed here are {}; docs/reference/lam-toml.md in lam's repository describes them",
                keys.join(", ")
            ),
        };
        return (format!("unknown key `{key}`"), hint);
    }
    if raw.contains("invalid type") || raw.contains("did not match") {
        let mut message = raw.to_string();
        for (rust, plain) in [
            ("expected i64", "expected a whole number"),
            ("expected u64", "expected a whole number"),
            ("expected u32", "expected a whole number"),
            ("expected i32", "expected a whole number"),
            ("expected usize", "expected a whole number"),
            ("expected u16", "expected a whole number"),
            ("expected f64", "expected a number"),
            ("expected a boolean", "expected true or false"),
            ("expected bool", "expected true or false"),
        ] {
            message = message.replace(rust, plain);
        }
        return (
            message,
            "check the value's type (strings are quoted, numbers and true/false are not)".into(),
        );
    }
    (
        raw.to_string(),
        "fix the TOML syntax at that position".into(),
    )
}

/// The key of `keys` within a small edit distance of `key`, if any.
fn closest<'a>(key: &str, keys: &[&'a str]) -> Option<&'a str> {
    let distance = |a: &str, b: &str| -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = if ca == *cb {
                    prev
                } else {
                    1 + prev.min(row[j]).min(row[j + 1])
                };
                prev = cur;
            }
        }
        row[b.len()]
    };
    let limit = (key.chars().count() / 3).max(1);
    keys.iter()
        .map(|k| (distance(key, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod plain_tests {
    #[test]
    fn unknown_keys_get_the_likely_one_and_types_plain_names() {
        let (m, h) = super::plain_serde_message(
            "unknown field `memroy`, expected one of `name`, `runtime`, `memory`, `timeout`",
        );
        assert_eq!(m, "unknown key `memroy`");
        assert!(h.starts_with("did you mean `memory`?"), "{h}");
        let (_, h) =
            super::plain_serde_message("unknown field `zzz`, expected `name` or `runtime`");
        assert!(h.contains("name, runtime"), "{h}");
        let (m, _) = super::plain_serde_message("invalid type: string \"ten\", expected i64");
        assert_eq!(m, "invalid type: string \"ten\", expected a whole number");
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\n[function]\nmemory = 64\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.find("64").unwrap_or(0)), (3, 10));
    }

    #[test]
    fn paths_resolve_to_values() {
        let text = "[function]\nruntime = \"python3.12\"\n\n[function.env]\nA = \"x\"\n";
        let loc = Locator::new(text, "lam.toml");
        let (_, msg) = loc.locate(&["function".into(), "runtime".into()], "bad");
        assert_eq!(msg, "lam.toml:2:11: bad");
        let (_, msg) = loc.locate(&["function".into(), "env".into(), "A".into()], "bad");
        assert_eq!(msg, "lam.toml:5:5: bad");
        let (offset, msg) = loc.locate(&["nope".into()], "bad");
        assert_eq!((offset, msg.as_str()), (None, "lam.toml: bad"));
    }
}
