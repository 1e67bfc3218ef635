//! The SDK a Lambda runtime provides beside its runtime client.
//!
//! Lambda's Python runtimes ship boto3 and botocore in `/var/runtime`,
//! behind the function's own packages ("Lambda runtimes", Runtime-included
//! SDK versions). Handlers rely on it (the seed's S3 resize imports boto3
//! without listing it), so a local run gives the handler the same: that
//! runtime's versions, installed once into lam's cache and placed after
//! the function's own packages on the path, as `/var/runtime` is. A
//! function that lists its own boto3 gets its own, as on Lambda. `lam
//! build` packages them only when the function lists them. Node.js the
//! same way for the `@aws-sdk/*` packages its code names.

use std::path::{Path, PathBuf};

/// boto3 and botocore of each Python runtime. The Lambda guide no longer
/// lists them ("Runtime-included SDK versions" says they depend on the
/// runtime version and Region, and to print them from a function; the
/// table was removed in 2024, aws/aws-sdk-js-v3#6159). The figures are
/// the last observed on python3.12 and python3.13 (1.38.36, reported in
/// terricain/aioboto3#381, August 2025), used for every Python runtime;
/// checked 2026-12-07. A function that needs a given version lists it.
pub const PYTHON_SDK: &[(&str, &str, &str)] = &[
    ("python3.9", "1.38.36", "1.38.36"),
    ("python3.10", "1.38.36", "1.38.36"),
    ("python3.11", "1.38.36", "1.38.36"),
    ("python3.12", "1.38.36", "1.38.36"),
    ("python3.13", "1.38.36", "1.38.36"),
    ("python3.14", "1.38.36", "1.38.36"),
];

/// The versions `runtime` includes, or None for a runtime lam does not know.
pub fn python_sdk(runtime: &str) -> Option<(&'static str, &'static str)> {
    PYTHON_SDK
        .iter()
        .find(|(r, _, _)| *r == runtime)
        .map(|(_, boto3, botocore)| (*boto3, *botocore))
}

/// Where the runtime's SDK is for a local run of `runtime` with `python`:
/// installed once per runtime into lam's cache. None (said once) when it
/// cannot be installed here (no network): the handler then sees only what
/// its own packages and the interpreter hold.
pub fn python_sdk_path(python: &Path, runtime: &str, quiet: bool) -> Option<PathBuf> {
    let (boto3, botocore) = python_sdk(runtime)?;
    let dir = crate::package::tools::cache_dir()
        .ok()?
        .join("runtime-sdk")
        .join(format!("{runtime}-boto3-{boto3}"));
    match crate::package::tools::pip_install_into(
        python,
        &format!("boto3=={boto3} botocore=={botocore}"),
        &dir,
        |d| d.join("boto3").join("__init__.py").is_file(),
        quiet,
    ) {
        Ok(dir) => Some(dir),
        Err(e) => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "warning: cannot install the boto3 {runtime} provides on Lambda ({}); local runs go without it",
                    e.problems.first().map_or("", |p| p.message.as_str())
                );
            });
            None
        }
    }
}

/// The AWS SDK for JavaScript v3 of the Node.js runtimes (18 and later),
/// in `/var/runtime/node_modules` behind the function's own packages. The
/// guide stopped listing the bundled version in 2024 (as for boto3); lam
/// pins one release of the v3 line for every Node.js runtime (3.726.1,
/// January 2025, published for every client). A function that needs
/// another lists it in package.json, and its own copy wins, as on Lambda.
pub const NODE_SDK: &str = "3.726.1";

/// The `@aws-sdk/*` packages the function's own code names (its files,
/// not its node_modules): the runtime provides them all; lam installs the
/// ones named. Names are checked to be package names of that scope, so a
/// crafted file can only ask for AWS's own packages.
pub fn node_sdk_packages(task_root: &Path) -> Vec<String> {
    fn walk(dir: &Path, depth: usize, out: &mut std::collections::BTreeSet<String>) {
        if depth > 8 {
            return;
        }
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name != "node_modules" && !name.starts_with('.') {
                    walk(&path, depth + 1, out);
                }
            } else if kind.is_file()
                && [".js", ".mjs", ".cjs", ".ts"]
                    .iter()
                    .any(|e| name.ends_with(e))
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                let mut rest = text.as_str();
                while let Some(i) = rest.find("@aws-sdk/") {
                    rest = &rest[i + "@aws-sdk/".len()..];
                    let pkg: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    if (2..=64).contains(&pkg.len()) {
                        out.insert(format!("@aws-sdk/{pkg}"));
                    }
                }
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(task_root, 0, &mut out);
    out.into_iter().collect()
}

/// Where the runtime's SDK packages that `task_root`'s code names are for
/// a local Node.js run: installed once per set into lam's cache, with npm
/// run credential-free and without install scripts. None when the code
/// names none, or (said once) when they cannot be installed here.
pub fn node_sdk_path(task_root: &Path, quiet: bool) -> Option<PathBuf> {
    use sha2::Digest;
    let packages = node_sdk_packages(task_root);
    if packages.is_empty() {
        return None;
    }
    let key: String = sha2::Sha256::digest(packages.join(" ").as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    let dir = crate::package::tools::cache_dir()
        .ok()?
        .join("runtime-sdk")
        .join(format!("nodejs-aws-sdk-{NODE_SDK}-{key}"));
    let modules = dir.join("node_modules");
    if packages
        .iter()
        .all(|p| modules.join(p).join("package.json").is_file())
    {
        return Some(modules);
    }
    match npm_install_into(&dir, &packages, quiet) {
        Ok(()) => Some(modules),
        Err(e) => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "warning: cannot install the AWS SDK for JavaScript the Node.js runtime provides on Lambda ({}); local runs go without it",
                    e.problems.first().map_or("", |p| p.message.as_str())
                );
            });
            None
        }
    }
}

fn npm_install_into(dir: &Path, packages: &[String], quiet: bool) -> crate::error::Result<()> {
    use crate::error::Error;
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".install-")
        .tempdir_in(parent)
        .map_err(|e| Error::io("write in", parent, e))?;
    std::fs::write(
        staging.path().join("package.json"),
        r#"{"name": "lam-runtime-sdk", "version": "1.0.0", "private": true}"#,
    )
    .map_err(|e| Error::io("write in", staging.path(), e))?;
    if !quiet {
        eprintln!(
            "Installing {} {NODE_SDK} (the runtime's AWS SDK) into {} (once)",
            packages.join(", "),
            dir.display()
        );
    }
    let mut npm = crate::subprocess::Isolated::new(crate::interpreter::npm()?)?;
    npm.command()
        .args([
            "install",
            "--no-package-lock",
            "--ignore-scripts",
            "--no-audit",
        ])
        .args(["--no-fund", "--loglevel=error", "--omit=dev"])
        .args(packages.iter().map(|p| format!("{p}@{NODE_SDK}")))
        .current_dir(staging.path());
    let out = npm
        .output()
        .map_err(|e| Error::local(format!("cannot run npm: {}", crate::error::io_reason(&e))))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(Error::local(format!(
            "npm failed: {}",
            said.lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default()
        )));
    }
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let staged = staging.keep();
    std::fs::rename(&staged, dir).map_err(|e| Error::io("move into place", dir, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sdk_packages_a_handler_names_are_found_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join("index.js"),
            "const { S3Client } = require('@aws-sdk/client-s3');\nimport x from \"@aws-sdk/lib-dynamodb\";\n// @aws-sdk/../../evil and @aws-sdk/Client-UPPER\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.path().join("node_modules/dep")).unwrap();
        std::fs::write(
            root.path().join("node_modules/dep/index.js"),
            "require('@aws-sdk/client-sqs')",
        )
        .unwrap();
        assert_eq!(
            super::node_sdk_packages(root.path()),
            ["@aws-sdk/client-s3", "@aws-sdk/lib-dynamodb"]
        );
    }

    #[test]
    fn every_python_runtime_lam_knows_has_its_sdk() {
        for runtime in crate::config::rules::RUNTIMES
            .iter()
            .filter(|r| r.starts_with("python"))
        {
            assert!(super::python_sdk(runtime).is_some(), "{runtime}");
        }
    }
}
