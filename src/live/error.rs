//! Why a saved AWS CLI output cannot be read.

use crate::document::DocumentError;

/// A saved output that is missing, failed in a way that says nothing about the live state, or
/// is not what its command prints. Each names the file and the command that makes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LiveError {
    /// Neither `<file>.json` nor `<file>.error` was saved.
    #[error("`{file}.json` is missing: it is saved by `{command}`")]
    Missing {
        /// The file's name without `.json`.
        file: String,
        /// The command that makes it.
        command: String,
    },
    /// The command failed with an error that is not an absent configuration (access denied,
    /// expired credentials, a wrong region…), saved in `<file>.error`.
    #[error("`{file}.error`: `{command}` failed: {message}")]
    Failed {
        /// The file's name without `.error`.
        file: String,
        /// The command that failed.
        command: String,
        /// The AWS CLI's message, first line.
        message: String,
    },
    /// `<file>.json` is not what the command prints.
    #[error("`{file}.json` is not the output of `{command}`: {rule}")]
    Malformed {
        /// The file's name without `.json`.
        file: String,
        /// The command that makes it.
        command: String,
        /// What is wrong with it.
        rule: OutputRule,
    },
}

/// What is wrong with one saved output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutputRule {
    /// Not JSON of the command's output shape (serde's message: the member and what it
    /// expected).
    #[error("{0}")]
    Shape(String),
    /// The `Policy` string of `get-bucket-policy` or `get-key-policy` is not a policy.
    #[error("its `Policy` is not a policy: {0}")]
    Policy(#[source] Box<DocumentError>),
    /// A value the output must have is absent or empty, e.g. no encryption rule.
    #[error("{0}")]
    Missing(&'static str),
    /// A value outside what the API returns.
    #[error("`{member}` is `{found}`, expected one of {expected}")]
    Value {
        /// The member.
        member: &'static str,
        /// The value found.
        found: String,
        /// The accepted values.
        expected: &'static str,
    },
}
