//! Project templates, embedded from templates/ at build time (see build.rs).
//!
//! Layout: `templates/<template>/<language>/<path>`, shared files in
//! `templates/_shared/<language>/`, a one-line description in
//! `templates/<template>/about`. Files ending in `.tera` are rendered with
//! Tera and lose the suffix; others are copied as they are.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

const SHARED: &str = "_shared";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplateInfo {
    pub name: String,
    pub about: String,
    /// "python", "node".
    pub languages: Vec<String>,
    /// What its sample event needs beyond this machine (`templates/<t>/needs-aws`).
    pub needs: Option<String>,
}

/// Every template, sorted by name.
pub fn catalogue() -> Vec<TemplateInfo> {
    let mut by_name: BTreeMap<&str, TemplateInfo> = BTreeMap::new();
    for (path, content) in embedded::FILES {
        let mut parts = path.splitn(3, '/');
        let (Some(name), Some(second)) = (parts.next(), parts.next()) else {
            continue;
        };
        if name == SHARED {
            continue;
        }
        let info = by_name.entry(name).or_insert_with(|| TemplateInfo {
            name: name.to_string(),
            about: String::new(),
            languages: Vec::new(),
            needs: None,
        });
        match parts.next() {
            None if second == "about" => info.about = content.trim().to_string(),
            None if second == "needs-aws" => info.needs = Some(content.trim().to_string()),
            Some(_) if !info.languages.iter().any(|l| l == second) => {
                info.languages.push(second.to_string())
            }
            _ => {}
        }
    }
    by_name.into_values().collect()
}

/// The files of `template` for `language`, rendered: (relative path, content).
pub fn render(
    template: &str,
    language: &str,
    context: &tera::Context,
) -> Result<Vec<(String, String)>> {
    let own = format!("{template}/{language}/");
    let shared = format!("{SHARED}/{language}/");
    let mut files = BTreeMap::new();
    // Shared files first, so a template can replace one of them.
    for prefix in [&shared, &own] {
        for (path, content) in embedded::FILES {
            let Some(rel) = path.strip_prefix(prefix.as_str()) else {
                continue;
            };
            let (out_path, text) = match rel.strip_suffix(".tera") {
                Some(stripped) => {
                    let rendered = tera::Tera::one_off(content, context, false).map_err(|e| {
                        Error::config(format!(
                            "template file {path} does not render: {}",
                            tera_reason(&e)
                        ))
                        .with_hint("this is a bug in lam's templates; please report it")
                    })?;
                    (stripped.to_string(), rendered)
                }
                None => (rel.to_string(), content.to_string()),
            };
            files.insert(out_path, text);
        }
    }
    if !embedded::FILES.iter().any(|(p, _)| p.starts_with(&own)) {
        return Err(Error::usage(format!(
            "template \"{template}\" has no {language} version"
        )));
    }
    Ok(files.into_iter().collect())
}

fn tera_reason(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_exists_for_python_and_node() {
        let hello = catalogue().into_iter().find(|t| t.name == "hello").unwrap();
        assert!(!hello.about.is_empty());
        assert_eq!(
            hello.languages,
            vec!["node".to_string(), "python".to_string()]
        );
    }

    #[test]
    fn rendering_fills_in_the_context_and_adds_shared_files() {
        let mut ctx = tera::Context::new();
        ctx.insert("name", "demo");
        ctx.insert("runtime", "python3.12");
        ctx.insert("api", "none");
        ctx.insert("node_major", "22");
        let files = render("hello", "python", &ctx).unwrap();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        for expected in [
            "lam.toml",
            "app.py",
            "lam_log.py",
            ".gitignore",
            "events/hello.json",
            "tests/test_app.py",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        let toml = &files.iter().find(|(p, _)| p == "lam.toml").unwrap().1;
        assert!(toml.contains("name = \"demo\""));
        assert!(!toml.contains("[api]"));
    }

    #[test]
    fn unknown_language_is_an_error() {
        let ctx = tera::Context::new();
        assert!(render("hello", "cobol", &ctx).is_err());
    }
}
