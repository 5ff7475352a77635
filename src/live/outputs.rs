//! The saved outputs of a collection: for each command, what it printed or the error it
//! failed with.

use std::collections::BTreeMap;

use super::error::{LiveError, OutputRule};
use super::operation::Operation;

/// What one command left: its output (`<file>.json`) or, when it failed, its error message
/// (`<file>.error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// The command's standard output.
    Output(String),
    /// The command's error message (the AWS CLI's standard error).
    Error(String),
}

/// The outputs of a collection, by file name without extension
/// (`log-archive.get-bucket-policy`, `111111111111-org-trail.get-trail`).
///
/// ```
/// use cloudtrail_policy::{Outputs, Saved};
/// let mut outputs = Outputs::new();
/// outputs.insert("log-archive.get-bucket-versioning", Saved::Output(r#"{"Status": "Enabled"}"#.into()));
/// assert_eq!(outputs.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    files: BTreeMap<String, Saved>,
}

impl Outputs {
    /// No outputs.
    pub fn new() -> Self {
        Outputs::default()
    }

    /// Adds what the command saved as `file` left; a second insert for one file replaces the
    /// first.
    pub fn insert(&mut self, file: impl Into<String>, saved: Saved) {
        self.files.insert(file.into(), saved);
    }

    /// How many files are held.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is held.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file names (without extension), sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The outputs whose file name ends in `.<operation>`, as (file, saved).
    pub fn of(&self, operation: Operation) -> impl Iterator<Item = (&str, &Saved)> {
        let suffix = format!(".{}", operation.as_str());
        self.files
            .iter()
            .filter(move |(name, _)| name.ends_with(&suffix))
            .map(|(name, saved)| (name.as_str(), saved))
    }

    /// Reads `file`, the output of `command` (an `operation`): `Ok(Some(text))` for its output,
    /// `Ok(None)` when it failed because what it reads does not exist
    /// ([`Operation::absent_code`]).
    ///
    /// # Errors
    /// [`LiveError::Missing`] when nothing was saved, [`LiveError::Failed`] for any other
    /// failure.
    pub(crate) fn read(
        &self,
        file: &str,
        operation: Operation,
        command: &str,
    ) -> Result<Option<&str>, LiveError> {
        match self.files.get(file) {
            None => Err(LiveError::Missing {
                file: file.to_owned(),
                command: command.to_owned(),
            }),
            Some(Saved::Output(text)) => Ok(Some(text)),
            Some(Saved::Error(message)) => {
                let code = error_code(message);
                if code.is_some() && code == operation.absent_code() {
                    Ok(None)
                } else {
                    Err(LiveError::Failed {
                        file: file.to_owned(),
                        command: command.to_owned(),
                        message: first_line(message),
                    })
                }
            }
        }
    }
}

/// Turns a parse failure of `file` into the error that names it and its command.
pub(crate) fn malformed(file: &str, command: &str) -> impl FnOnce(OutputRule) -> LiveError {
    move |rule| LiveError::Malformed {
        file: file.to_owned(),
        command: command.to_owned(),
        rule,
    }
}

/// The error code of an AWS CLI error message, `An error occurred (Code) when calling the …
/// operation: …`.
fn error_code(message: &str) -> Option<&str> {
    let rest = message.split("An error occurred (").nth(1)?;
    let (code, _) = rest.split_once(')')?;
    (!code.is_empty()).then_some(code)
}

/// The first non-empty line of `message`, trimmed.
fn first_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(no message)")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_read_from_the_cli_message() {
        let m = "\nAn error occurred (NoSuchLifecycleConfiguration) when calling the GetBucketLifecycleConfiguration operation: The lifecycle configuration does not exist\n";
        assert_eq!(error_code(m), Some("NoSuchLifecycleConfiguration"));
        assert_eq!(error_code("Unable to locate credentials"), None);
        assert_eq!(error_code("An error occurred () when"), None);
        assert_eq!(
            first_line(m),
            "An error occurred (NoSuchLifecycleConfiguration) when calling the GetBucketLifecycleConfiguration operation: The lifecycle configuration does not exist"
        );
    }
}
