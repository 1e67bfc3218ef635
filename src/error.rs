//! lam's error type: what went wrong, what to do about it, and the exit code.
//!
//! Every failure a user can cause ends up here, so that `main` prints it the
//! same way everywhere: `error: <what>` then `hint: <what to do>`.

use std::fmt;

/// Which family of failure this is; decides the process exit code
/// (the table in docs/reference/exit-codes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The function ran and returned an error.
    Function,
    /// Bad flags or arguments, or a command that is not built yet.
    Usage,
    /// lam.toml, templates, event files, project layout.
    Config,
    /// Credentials, permissions, service errors after retries, unreachable endpoint.
    Aws,
    /// Interpreter missing, port in use, runtime crashed.
    Local,
    /// Ctrl-C.
    Interrupted,
}

impl Kind {
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Function => 1,
            Kind::Usage => 2,
            Kind::Config => 3,
            Kind::Aws => 4,
            Kind::Local => 5,
            Kind::Interrupted => 130,
        }
    }
}

/// One thing that went wrong, with an optional hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: Option<String>,
}

/// Why an AWS call failed, for code that branches on it (never on the
/// rendered message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The credentials may not make the call (AccessDenied and kin).
    AccessDenied,
    /// The resource the call names does not exist.
    NotFound,
    /// Throttled after every retry.
    Throttled,
}

/// An error lam reports to the user. Usually one problem; configuration
/// validation reports every problem it finds at once.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub problems: Vec<Problem>,
    /// The typed cause, where one is known.
    pub cause: Option<Cause>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            problems: vec![Problem {
                message: message.into(),
                hint: None,
            }],
            cause: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config, message)
    }

    pub fn aws(message: impl Into<String>) -> Self {
        Self::new(Kind::Aws, message)
    }

    pub fn local(message: impl Into<String>) -> Self {
        Self::new(Kind::Local, message)
    }

    pub fn function(message: impl Into<String>) -> Self {
        Self::new(Kind::Function, message)
    }

    pub fn interrupted(message: impl Into<String>) -> Self {
        Self::new(Kind::Interrupted, message)
    }

    /// Several problems of one kind (for example every broken rule in lam.toml).
    pub fn many(kind: Kind, problems: Vec<Problem>) -> Self {
        Error {
            kind,
            problems,
            cause: None,
        }
    }

    /// Sets the hint of the last problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        if let Some(last) = self.problems.last_mut() {
            last.hint = Some(hint.into());
        }
        self
    }

    pub fn with_cause(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }

    pub fn is(&self, cause: Cause) -> bool {
        self.cause == Some(cause)
    }

    /// An I/O error on `path`, as a configuration error.
    pub fn io(action: &str, path: &std::path::Path, err: std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; relative paths start from the current directory"
            }
            std::io::ErrorKind::PermissionDenied => {
                "check the permissions of the file and its directory"
            }
            std::io::ErrorKind::IsADirectory => "give the path of a file, not a directory",
            _ => "check the path and the disk, then try again",
        };
        Self::config(format!(
            "cannot {action} '{}': {}",
            path.display(),
            io_reason(&err)
        ))
        .with_hint(hint)
    }
}

/// The OS message without Rust's " (os error N)" suffix.
pub fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {}", p.message)?;
            if let Some(hint) = &p.hint {
                write!(f, "\nhint: {hint}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_error_and_hint_lines() {
        let e = Error::config("lam.toml not found").with_hint("run `lam new`");
        assert_eq!(
            e.to_string(),
            "error: lam.toml not found\nhint: run `lam new`"
        );
        assert_eq!(e.kind.exit_code(), 3);
    }

    #[test]
    fn exit_codes_follow_the_conventions() {
        assert_eq!(Kind::Function.exit_code(), 1);
        assert_eq!(Kind::Usage.exit_code(), 2);
        assert_eq!(Kind::Aws.exit_code(), 4);
        assert_eq!(Kind::Local.exit_code(), 5);
        assert_eq!(Kind::Interrupted.exit_code(), 130);
    }

    #[test]
    fn io_reason_drops_os_error_suffix() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&e), "No such file or directory");
    }
}
