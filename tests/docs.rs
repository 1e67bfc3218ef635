//! The documentation as a newcomer uses it: the lam.toml reference deploys
//! as written (its placeholders made to exist first), and every link
//! between the Markdown files leads somewhere.

use crate::common::*;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced blocks of `info` (```toml, ```sh ...) in a Markdown file, in
/// order, each with the line it starts on.
pub(crate) fn fenced(text: &str, info: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut current {
            None => {
                if let Some(rest) = line.strip_prefix("```")
                    && rest.trim() == info
                {
                    current = Some((i + 1, String::new()));
                }
            }
            Some((_, body)) => {
                if line.starts_with("```") {
                    out.push(current.take().unwrap());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    out
}

/// The placeholders docs/reference/lam-toml.md lists, made to exist in
/// moto as a reader makes them in their account.
fn make_placeholders() {
    let sm = aws_sdk_secretsmanager::Client::new(&sdk_config());
    let _ = block_on(
        sm.create_secret()
            .name("shop/dev/DB_PASSWORD")
            .secret_string("placeholder")
            .send(),
    );
    let _ = block_on(s3().create_bucket().bucket("photos").send());
    create_queue("orders");
    let sns = aws_sdk_sns::Client::new(&sdk_config());
    block_on(sns.create_topic().name("alerts").send()).unwrap();
}

#[test]
fn the_lam_toml_reference_deploys_as_written() {
    let text = std::fs::read_to_string(repo().join("docs/reference/lam-toml.md")).unwrap();
    let blocks = fenced(&text, "toml");
    assert_eq!(blocks.len(), 2, "the reference's toml blocks changed");
    make_placeholders();
    let app = "def lambda_handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n";

    // One function: every key, deployed. moto has no provisioned
    // concurrency API (moto-server.md): the validating proxy checks the
    // request against Lambda's model and answers as Lambda does (202).
    stub(&serde_json::json!({
        "method": "PUT",
        "path": "/2019-09-30/functions/shop-api/provisioned-concurrency",
        "status": 202,
        "body": {"RequestedProvisionedConcurrentExecutions": 5, "Status": "IN_PROGRESS",
                 "LastModified": "2026-12-07T23:00:00.000+0000"}
    }));
    let (line, single) = &blocks[0];
    let dir = project(single, &[("app.py", app)]);
    let out = lam(dir.path())
        .env("DB_HOST", "db.internal")
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "--yes"])
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docs/reference/lam-toml.md:{line}: the block does not deploy:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = function_configuration("shop-api");
    assert_eq!(config.memory_size(), Some(256));
    assert_eq!(config.timeout(), Some(30));
    assert_eq!(
        config.environment().unwrap().variables().unwrap()["DB_URL"],
        "pg://db.internal:5432/shop"
    );
    // The placeholders' note says it: DB_HOST unset is an error, before
    // any call.
    let unset = lam(dir.path())
        .env("LAM_PYTHON", test_python())
        .args(["deploy", "--yes", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(3), "{unset:?}");
    assert!(
        String::from_utf8_lossy(&unset.stderr).contains("DB_HOST"),
        "{unset:?}"
    );
    // It is removed as the page says (provisioned concurrency is billed).
    lam(dir.path())
        .env("DB_HOST", "db.internal")
        .args(["destroy", "--yes"])
        .assert()
        .success();

    // Several functions, with a stage's per-function override.
    let (line, several) = &blocks[1];
    let dir = project(several, &[("app.py", app)]);
    for stage in ["dev", "prod"] {
        let out = lam(dir.path())
            .env("LAM_PYTHON", test_python())
            .args(["deploy", "--yes", "--stage", stage])
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docs/reference/lam-toml.md:{line} (--stage {stage}): the block does not deploy:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        function_configuration("shop-prod-worker").timeout(),
        Some(300)
    );
    assert_eq!(
        function_configuration("shop-prod-api").memory_size(),
        Some(1024)
    );
    assert_eq!(
        function_configuration("shop-dev-worker").timeout(),
        Some(30)
    );
    for stage in ["dev", "prod"] {
        lam(dir.path())
            .args(["destroy", "--yes", "--stage", stage])
            .assert()
            .success();
    }
}

/// GitHub's anchor for a heading: lower-cased, punctuation but '-' and
/// '_' dropped, spaces made '-'.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn every_link_between_the_docs_leads_somewhere() {
    let root = repo();
    let mut files = vec![root.join("README.md"), root.join("SECURITY.md")];
    markdown_files(&root.join("docs"), &mut files);
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut in_fence = false;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with("```") {
                in_fence = !in_fence;
            }
            if in_fence {
                continue;
            }
            for cap in link.captures_iter(line) {
                let target = &cap[1];
                if target.starts_with("http://") || target.starts_with("https://") {
                    continue;
                }
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target, None),
                };
                let dest = if path.is_empty() {
                    file.clone()
                } else {
                    file.parent().unwrap().join(path)
                };
                let shown = format!(
                    "{}:{}: {target}",
                    file.strip_prefix(&root).unwrap().display(),
                    n + 1
                );
                if !dest.exists() {
                    broken.push(format!("{shown} (no such file)"));
                    continue;
                }
                if let Some(anchor) = anchor
                    && dest.extension().is_some_and(|e| e == "md")
                    && !anchors(&std::fs::read_to_string(&dest).unwrap())
                        .iter()
                        .any(|a| a == anchor)
                {
                    broken.push(format!("{shown} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The README stays a landing page.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.lines().count() <= 160,
        "README.md has {} lines: move reference material into docs/",
        readme.lines().count()
    );
}
