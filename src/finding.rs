//! Findings: what a check says about a plan or an existing policy, each with its consequence.

use std::fmt;

use serde::Serialize;

/// How bad a finding is. Any `Error` makes a plan fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// AWS would refuse the artifact, or delivery would stop, or access would be wider than
    /// asked for.
    Error,
    /// Works, but carries a risk or a cost the user should know about.
    Warning,
    /// A hardening or clarity improvement.
    Suggestion,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        })
    }
}

/// One finding: a stable code for scripts, a severity and a one-line message that names the
/// consequence (for example the AWS exception CreateTrail would raise).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Finding {
    severity: Severity,
    code: &'static str,
    message: String,
}

impl Finding {
    /// A finding with this severity, code and message.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            severity,
            code,
            message: message.into(),
        }
    }

    /// The severity.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The stable code, e.g. `missing-delivery`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}
