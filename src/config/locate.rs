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
