//! A secret value never leaks: not in lam's output at any verbosity (errors
//! included), not in lam.toml, the zip or `.lam/`, not in the command lines
//! of lam's processes, not in the deployed configuration. And yet the
//! handler reads it, locally through lam and on Lambda by reference.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use crate::common::*;

const HELPER: &str = include_str!("../templates/_shared/python/lam_secrets.py");
/// Proves it has the value without printing it: returns its SHA-256.
const APP: &str = "import hashlib\nfrom lam_secrets import get\n\ndef handler(event, context):\n    value = get('DB_PASSWORD')\n    return {'sha256': hashlib.sha256(value.encode()).hexdigest()}\n";
const SECRET: &str = "Leak-Canary-7f3a9c-Secret";

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every command line on this machine, while lam serve runs.
fn all_command_lines() -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(bytes) = std::fs::read(e.path().join("cmdline")) {
            out.push(String::from_utf8_lossy(&bytes).replace('\0', " "));
        }
    }
    out
}

#[test]
fn a_secret_never_leaks_and_still_reaches_the_handler() {
    let project_name = unique("leak");
    let toml = format!(
        "[project]\nname = \"{project_name}\"\n\n# the database\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\n\n[function.env]\nDB_HOST = \"${{LEAK_DB_HOST:-localhost}}\"\n\n[function.secrets]\nDB_PASSWORD = \"{project_name}/dev/DB_PASSWORD\"\n\n[function.api]\nkind = \"url\"\n"
    );
    let dir = project(&toml, &[("app.py", APP), ("lam_secrets.py", HELPER)]);
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut run = |label: &str, args: &[&str], stdin: Option<&str>, ok: bool| {
        let mut cmd = lam(dir.path());
        cmd.args(args).env("LAM_PYTHON", test_python());
        if let Some(input) = stdin {
            cmd.write_stdin(input.to_string());
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.success(),
            ok,
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut all = out.stdout.clone();
        all.extend(&out.stderr);
        outputs.push((label.to_string(), all));
        out.stdout
    };

    run(
        "secrets set",
        &["secrets", "set", "DB_PASSWORD", "-vv"],
        Some(&format!("{SECRET}\n")),
        true,
    );
    run(
        "secrets get",
        &["secrets", "get", "DB_PASSWORD", "-vv"],
        None,
        true,
    );
    run(
        "secrets list",
        &["secrets", "list", "-vv", "--output", "json"],
        None,
        true,
    );
    run("build", &["build", "-vv"], None, true);
    let local = run("invoke --local", &["invoke", "--local", "-vv"], None, true);
    let local: serde_json::Value = serde_json::from_slice(&local).unwrap();
    assert_eq!(
        local["sha256"],
        sha256_hex(SECRET),
        "the handler got the value"
    );
    run(
        "deploy --dry-run",
        &["deploy", "--dry-run", "-vv"],
        None,
        true,
    );
    let deployed = run("deploy", &["deploy", "-vv", "--output", "json"], None, true);
    run("deploy again", &["deploy", "-vv"], None, true);
    run("status", &["status", "-vv", "--output", "json"], None, true);
    run(
        "env list",
        &["env", "list", "--show-values", "-vv"],
        None,
        true,
    );
    run(
        "env list --remote",
        &["env", "list", "--remote", "--show-values", "-vv"],
        None,
        true,
    );
    run(
        "env diff",
        &["env", "diff", "--show-values", "-vv"],
        None,
        true,
    );
    run("invoke remote", &["invoke", "-vv"], None, true);
    // Error paths.
    run(
        "get missing",
        &["secrets", "get", "NOPE", "-vv"],
        None,
        false,
    );
    run(
        "set from a missing file",
        &[
            "secrets",
            "set",
            "DB_PASSWORD",
            "--from-file",
            "nope.txt",
            "-vv",
        ],
        None,
        false,
    );
    run(
        "deploy unknown stage",
        &["deploy", "--stage", "nope", "-vv"],
        None,
        false,
    );

    for (label, out) in &outputs {
        let text = String::from_utf8_lossy(out);
        assert!(
            !text.contains(SECRET),
            "{label} printed the secret:\n{text}"
        );
    }

    // lam.toml and everything lam wrote, zip entries decompressed.
    assert!(
        !std::fs::read_to_string(dir.path().join("lam.toml"))
            .unwrap()
            .contains(SECRET)
    );
    let files = files_under(&dir.path().join(".lam"));
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{}",
            file.display()
        );
        if file.extension().is_some_and(|e| e == "zip") {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).unwrap();
                let mut content = Vec::new();
                entry.read_to_end(&mut content).unwrap();
                assert!(
                    !String::from_utf8_lossy(&content).contains(SECRET),
                    "{:?} in {}",
                    entry.name(),
                    file.display()
                );
            }
        }
    }

    // The deployed configuration holds the reference, not the value.
    let doc: serde_json::Value = serde_json::from_slice(&deployed).unwrap();
    let name = doc["functions"][0]["name"].as_str().unwrap().to_string();
    let conf = block_on(
        lambda_client()
            .get_function_configuration()
            .function_name(&name)
            .send(),
    )
    .unwrap();
    assert!(!format!("{conf:?}").contains(SECRET));
    let vars = conf.environment().unwrap().variables().unwrap();
    assert!(vars["DB_PASSWORD_SECRET_ARN"].contains(&format!("{project_name}/dev/DB_PASSWORD")));
    assert_eq!(vars["DB_HOST"], "localhost", "${{VAR:-default}} filled in");
    let url = block_on(
        lambda_client()
            .get_function_url_config()
            .function_name(&name)
            .qualifier("live")
            .send(),
    )
    .unwrap();
    assert!(!format!("{url:?}").contains(SECRET));

    // Command lines of lam serve and its warm runtime, after a request.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lam"))
        .current_dir(dir.path())
        .args(["serve", "--port", "0", "-vv"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("lam-test-home"))
        .env("NO_COLOR", "1")
        .env("LAM_PYTHON", test_python())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", moto())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let mut seen = String::new();
    for _ in 0..50 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("Listening on http://") {
            port = rest.rsplit(':').next().and_then(|p| p.parse::<u16>().ok());
            break;
        }
    }
    let port = port.unwrap_or_else(|| panic!("lam serve did not start:\n{seen}"));
    let drain = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        rest
    });
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.contains(&sha256_hex(SECRET)), "{response}");
    let lines = all_command_lines();
    assert!(
        lines.iter().any(|l| l.contains("serve")),
        "lam serve is among the processes"
    );
    for line in &lines {
        assert!(
            !line.contains(SECRET),
            "a command line holds the secret: {line}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    let served = drain.join().unwrap();
    assert!(!served.contains(SECRET), "lam serve printed the secret");
}
