//! Subprocesses that build or install: uv, pip and npm, and whatever they
//! run in turn (a package's install scripts, a build backend).
//!
//! What they install comes from the project (untrusted), so none of them
//! gets the user's credentials:
//! - **environment**: no `AWS_*`, no `LAM_SECRET_*`, nothing that looks
//!   like a secret or token, no agent sockets; registries' own settings
//!   (`PIP_*`, `NPM_*`, `UV_*`, ...) stay;
//! - **home**: `HOME` is an empty directory of lam's making, holding only
//!   copies of the package tools' own configuration the user set up
//!   (pip.conf, uv.toml, .npmrc, .netrc: index URLs, certificates and
//!   proxies); caches stay where they are;
//! - **files** (Linux): in a mount namespace of its own, the user's
//!   `~/.aws`, `~/.ssh`, `~/.config`, `~/.docker`, `~/.kube`, `~/.gnupg`,
//!   `~/.azure`, git credentials and any AWS file named by
//!   `AWS_SHARED_CREDENTIALS_FILE`/`AWS_CONFIG_FILE` are empty, so not even
//!   a read by absolute path finds them. Where the kernel allows no such
//!   namespace, lam says so and runs without it.
//! - **command lines** carry no credentials: `ps` shows them to every user.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// Variables that reach no build: agent sockets and credential pointers
/// whose names do not look secret.
const WITHHELD: &[&str] = &[
    "SSH_AUTH_SOCK",
    "SSH_AGENT_PID",
    "GPG_AGENT_INFO",
    "GNUPGHOME",
    "DBUS_SESSION_BUS_ADDRESS",
    "KRB5CCNAME",
    "KUBECONFIG",
    "DOCKER_CONFIG",
    "DOCKER_HOST",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
];

/// Whether a build subprocess goes without `name`: AWS credentials and
/// settings, lam's secrets, agent sockets, and anything that looks like a
/// secret or token, except package registries' own settings (PIP_*,
/// NPM_*, npm_config_*, UV_*, ...) that an install from a private index
/// needs.
pub fn withheld(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("AWS_")
        || upper.starts_with("LAM_SECRET_")
        || upper.starts_with("AZURE_")
        || WITHHELD.contains(&upper.as_str())
    {
        return true;
    }
    let registry = ["PIP_", "NPM_", "UV_", "YARN_", "PNPM_"]
        .iter()
        .any(|p| upper.starts_with(p));
    !registry && crate::config::rules::looks_secret(name)
}

/// `cmd` without the variables lam withholds from builds, and with the AWS
/// SDKs' file and metadata lookups pointed at nothing.
pub fn scrub_environment(cmd: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if withheld(&name) {
            cmd.env_remove(&name);
        }
    }
    cmd.env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true");
}

/// A build or install command and the empty home it runs in.
pub struct Isolated {
    cmd: Command,
    _home: tempfile::TempDir,
    #[cfg(target_os = "linux")]
    hidden: Option<std::sync::Arc<Hidden>>,
}

impl Isolated {
    /// `program`, to be run credential-free.
    pub fn new(program: impl AsRef<OsStr>) -> Result<Isolated> {
        Isolated::for_home(program, std::env::home_dir())
    }

    /// As [`Isolated::new`], for a user whose home is `real`.
    fn for_home(program: impl AsRef<OsStr>, real: Option<PathBuf>) -> Result<Isolated> {
        let mut cmd = Command::new(program);
        scrub_environment(&mut cmd);
        let home = empty_home()?;
        carry_tool_settings(real.as_deref(), home.path());
        cmd.env("HOME", home.path())
            .env("USERPROFILE", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"));
        // Caches stay where they are: an empty home is no reason to
        // download every wheel and package again.
        if let Some(real) = &real {
            if std::env::var_os("XDG_CACHE_HOME").is_none() {
                cmd.env("XDG_CACHE_HOME", real.join(".cache"));
            }
            let npm_cache = std::env::var_os("npm_config_cache")
                .or_else(|| std::env::var_os("NPM_CONFIG_CACHE"))
                .is_some();
            if !npm_cache {
                cmd.env("npm_config_cache", real.join(".npm"));
            }
        }
        Ok(Isolated {
            cmd,
            _home: home,
            #[cfg(target_os = "linux")]
            hidden: real
                .as_deref()
                .and_then(Hidden::new)
                .map(std::sync::Arc::new),
        })
    }

    pub fn command(&mut self) -> &mut Command {
        &mut self.cmd
    }

    /// Runs the command to its end. Where no mount namespace can be made,
    /// it runs without one (said once).
    pub fn output(mut self) -> std::io::Result<Output> {
        #[cfg(target_os = "linux")]
        if let Some(hidden) = self.hidden.clone() {
            use std::os::unix::process::CommandExt;
            let mut masked = Command::new(self.cmd.get_program());
            copy_setup(&self.cmd, &mut masked);
            // SAFETY: only system calls on data prepared before the fork.
            unsafe {
                masked.pre_exec(move || hidden.apply());
            }
            match masked.output() {
                Err(e) if e.raw_os_error().is_some_and(no_namespace) => {
                    warn_unmasked();
                }
                other => return other,
            }
        }
        self.cmd.output()
    }
}

/// Errors unshare(2) and mount(2) give where namespaces are not allowed.
#[cfg(target_os = "linux")]
fn no_namespace(errno: i32) -> bool {
    matches!(
        errno,
        libc::EPERM | libc::EINVAL | libc::ENOSPC | libc::ENOSYS | libc::EACCES
    )
}

#[cfg(target_os = "linux")]
fn warn_unmasked() {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        eprintln!(
            "warning: this system allows no mount namespace for lam, so build tools could read ~/.aws and ~/.ssh by path (they still get no AWS variables and an empty HOME)"
        );
    });
}

/// The same program, arguments, environment and directory.
#[cfg(target_os = "linux")]
fn copy_setup(from: &Command, to: &mut Command) {
    to.args(from.get_args());
    for (k, v) in from.get_envs() {
        match v {
            Some(v) => to.env(k, v),
            None => to.env_remove(k),
        };
    }
    if let Some(dir) = from.get_current_dir() {
        to.current_dir(dir);
    }
}

fn empty_home() -> Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("lam-build-home-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir().map_err(|e| {
        Error::local(format!("cannot create a home for build tools: {e}"))
            .with_hint("check that the temporary directory (TMPDIR) is writable")
    })
}

/// Copies the package tools' own settings the user made into `home`, at
/// the same places: index URLs, certificates, proxies, registry logins.
fn carry_tool_settings(real: Option<&Path>, home: &Path) {
    let Some(real) = real else {
        return;
    };
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| real.join(".config"));
    let files = [
        (config.join("pip").join("pip.conf"), ".config/pip/pip.conf"),
        (real.join(".pip").join("pip.conf"), ".pip/pip.conf"),
        (config.join("uv").join("uv.toml"), ".config/uv/uv.toml"),
        (real.join(".npmrc"), ".npmrc"),
        (real.join(".netrc"), ".netrc"),
    ];
    for (from, to) in files {
        // Only regular files, never through a link.
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let to = home.join(to);
        if let Some(dir) = to.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::copy(&from, &to);
    }
}

/// The places in the user's home no build tool may read, hidden in a
/// mount namespace of the child's own.
#[cfg(target_os = "linux")]
struct Hidden {
    dirs: Vec<std::ffi::CString>,
    files: Vec<std::ffi::CString>,
    namespace: PrivateMounts,
}

#[cfg(target_os = "linux")]
impl Hidden {
    fn new(home: &Path) -> Option<Hidden> {
        use std::os::unix::ffi::OsStrExt;
        let mut dirs = Vec::new();
        let mut files = Vec::new();
        let mut places: Vec<PathBuf> = [
            ".aws",
            ".ssh",
            ".config",
            ".docker",
            ".kube",
            ".gnupg",
            ".azure",
            ".git-credentials",
            ".netrc",
            ".pgpass",
            ".pypirc",
        ]
        .iter()
        .map(|p| home.join(p))
        .collect();
        for var in ["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"] {
            if let Some(p) = std::env::var_os(var).map(PathBuf::from)
                && p.is_absolute()
            {
                places.push(p);
            }
        }
        for place in places {
            // A link is hidden where it points.
            let Ok(real) = std::fs::canonicalize(&place) else {
                continue;
            };
            let Ok(meta) = std::fs::metadata(&real) else {
                continue;
            };
            let c = std::ffi::CString::new(real.as_os_str().as_bytes()).ok()?;
            if meta.is_dir() {
                dirs.push(c);
            } else {
                files.push(c);
            }
        }
        Some(Hidden {
            dirs,
            files,
            namespace: PrivateMounts::new(),
        })
    }

    /// Runs in the forked child: a namespace of its own, an empty tmpfs on
    /// each directory and /dev/null on each file. Any failure stops the
    /// start (the caller then runs without, and says so).
    fn apply(&self) -> std::io::Result<()> {
        let fail = || Err(std::io::Error::last_os_error());
        // SAFETY: raw system calls between fork and exec, on strings built
        // before the fork.
        unsafe {
            if !self.namespace.enter() {
                return fail();
            }
            let none = std::ptr::null::<libc::c_char>();
            for dir in &self.dirs {
                if libc::mount(
                    c"lam-hidden".as_ptr(),
                    dir.as_ptr(),
                    c"tmpfs".as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                    c"size=16k,mode=0700".as_ptr().cast(),
                ) != 0
                {
                    return fail();
                }
            }
            for file in &self.files {
                if libc::mount(
                    c"/dev/null".as_ptr(),
                    file.as_ptr(),
                    none,
                    libc::MS_BIND,
                    std::ptr::null(),
                ) != 0
                {
                    return fail();
                }
            }
        }
        Ok(())
    }
}

/// A mount namespace of a child's own, entered between fork and exec:
/// unprivileged, a user namespace that maps only the caller's ids (so the
/// child still sees its uid and gid); as root, the mount namespace alone.
/// Its mounts never reach the host's namespace. Build tools (here) and
/// local runs (`local::task`) both enter one.
#[cfg(target_os = "linux")]
pub(crate) struct PrivateMounts {
    root: bool,
    uid_map: String,
    gid_map: String,
}

#[cfg(target_os = "linux")]
impl PrivateMounts {
    /// Built before the fork (it allocates).
    pub(crate) fn new() -> PrivateMounts {
        // SAFETY: geteuid and getegid cannot fail.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        PrivateMounts {
            root: uid == 0,
            uid_map: format!("{uid} {uid} 1"),
            gid_map: format!("{gid} {gid} 1"),
        }
    }

    /// Enters the namespace and makes every mount private; false when the
    /// kernel allows neither (errno says why).
    ///
    /// # Safety
    /// Between fork and exec: raw system calls only.
    pub(crate) unsafe fn enter(&self) -> bool {
        // SAFETY: raw system calls on strings built before the fork.
        unsafe {
            let entered = if self.root {
                libc::unshare(libc::CLONE_NEWNS) == 0
            } else {
                libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS) == 0
                    && write_proc(c"/proc/self/setgroups", b"deny")
                    && write_proc(c"/proc/self/uid_map", self.uid_map.as_bytes())
                    && write_proc(c"/proc/self/gid_map", self.gid_map.as_bytes())
            };
            let none = std::ptr::null::<libc::c_char>();
            entered
                && libc::mount(
                    none,
                    c"/".as_ptr(),
                    none,
                    libc::MS_REC | libc::MS_PRIVATE,
                    std::ptr::null(),
                ) == 0
        }
    }
}

/// Writes `data` to a /proc file in one call (async-signal-safe).
#[cfg(target_os = "linux")]
unsafe fn write_proc(path: &std::ffi::CStr, data: &[u8]) -> bool {
    // SAFETY: the caller runs between fork and exec; these are raw syscalls.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return false;
        }
        let written = libc::write(fd, data.as_ptr().cast(), data.len());
        libc::close(fd);
        written == data.len() as isize
    }
}

/// `python -m pip install`, quiet and without prompts, isolated (-I) from
/// PYTHON* variables and the user's site-packages, credential-free.
pub fn pip_install(python: &Path) -> Result<Isolated> {
    let mut isolated = Isolated::new(python)?;
    isolated.command().args([
        "-I",
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
    ]);
    Ok(isolated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_agents_stay_behind_registry_settings_go() {
        for name in [
            "AWS_SECRET_ACCESS_KEY",
            "AWS_PROFILE",
            "LAM_SECRET_DB",
            "GITHUB_TOKEN",
            "SSH_AUTH_SOCK",
            "KUBECONFIG",
            "AZURE_CLIENT_SECRET",
        ] {
            assert!(withheld(name), "{name}");
        }
        for name in [
            "PIP_INDEX_URL",
            "UV_INDEX_URL",
            "NPM_CONFIG_REGISTRY",
            "PATH",
            "LANG",
        ] {
            assert!(!withheld(name), "{name}");
        }
    }

    /// A child reads none of the user's credential files, even by absolute
    /// path, and its HOME holds only the tools' settings.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_build_tool_finds_no_credentials() {
        let home = tempfile::tempdir().unwrap();
        let aws = home.path().join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(aws.join("credentials"), "aws_secret_access_key = SEKRIT\n").unwrap();
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        std::fs::write(home.path().join(".ssh").join("id_ed25519"), "PRIVATE KEY\n").unwrap();
        std::fs::write(
            home.path().join(".npmrc"),
            "registry=https://registry.example/\n",
        )
        .unwrap();
        let script = format!(
            "cat {0}/.aws/credentials {0}/.ssh/id_ed25519 2>&1; echo; echo home:; ls -A \"$HOME\"",
            home.path().display()
        );
        let mut isolated = Isolated::for_home("sh", Some(home.path().to_path_buf())).unwrap();
        isolated.command().args(["-c", &script]);
        let out = isolated.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("SEKRIT"), "{text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
        // The registry setting came along; nothing else did.
        let listed: Vec<&str> = text
            .split("home:")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        assert_eq!(listed, [".npmrc"], "{text}");
        // Outside the build, the files are there.
        assert!(
            std::fs::read_to_string(aws.join("credentials"))
                .unwrap()
                .contains("SEKRIT")
        );
    }
}
