//! The SDK a Lambda runtime provides beside its runtime client.
//!
//! Lambda's Python runtimes ship boto3 and botocore in `/var/runtime`,
//! behind the function's own packages ("Lambda runtimes", Runtime-included
//! SDK versions). Handlers rely on it (the seed's S3 resize imports boto3
//! without listing it), so a local run gives the handler the same: that
//! runtime's versions, installed once into lam's cache and placed after
//! the function's own packages on the path, as `/var/runtime` is. A
//! function that lists its own boto3 gets its own, as on Lambda. `lam
//! build` packages them only when the function lists them.

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

#[cfg(test)]
mod tests {
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
