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
        let message = err.message().trim().replace('\n', " ");
        let hint = if message.contains("unknown field") {
            "check the spelling; README.md lists every lam.toml key"
        } else if message.contains("invalid type") || message.contains("did not match") {
            "check the value's type (strings are quoted, numbers are not)"
        } else {
            "fix the TOML syntax at that position"
        };
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
                hint: Some(hint.into()),
            }],
        )
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
