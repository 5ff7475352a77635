//! What a command prints, how it fails, and reading its input files.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use cloudtrail_policy::{Finding, PlanError, PolicyDocument, Report, Severity, Spec, Style};

/// What a command prints on stdout, and its exit code (1 for a check that found errors).
pub struct Output {
    pub stdout: String,
    pub code: u8,
}

impl Output {
    pub fn ok(stdout: String) -> Outcome {
        Ok(Output { stdout, code: 0 })
    }
}

pub type Outcome = Result<Output, Failure>;

/// A failure and the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
    causes: Vec<String>,
}

impl Failure {
    /// Unusable input: exit 2.
    pub fn input(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
            causes: Vec::new(),
        }
    }

    /// Valid input that fails a check: exit 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
            causes: Vec::new(),
        }
    }

    /// The same failure with one more cause.
    pub fn caused_by(mut self, cause: impl fmt::Display) -> Self {
        self.causes.push(cause.to_string());
        self
    }

    /// A plan with error findings: exit 1, each error a cause.
    pub fn plan(err: &PlanError) -> Self {
        err.errors().fold(
            Failure::failed("the plan failed its checks"),
            Failure::caused_by,
        )
    }

    /// A file that cannot be read or written: exit 2.
    pub fn io(what: &str, path: &Path, err: &io::Error) -> Self {
        Failure::input(format!("cannot {what} `{}`", path.display())).caused_by(err)
    }

    pub fn code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for Failure {
    /// `error: message`, then `  caused by: …` for each cause, each line ending with `\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        for cause in &self.causes {
            writeln!(f, "  caused by: {cause}")?;
        }
        Ok(())
    }
}

/// `value` as JSON, pretty or minified, with a final newline.
pub fn json<T: serde::Serialize>(value: &T, compact: bool) -> Result<String, Failure> {
    let style = if compact {
        Style::Compact
    } else {
        Style::Pretty
    };
    style
        .json(value)
        .map_err(|e| Failure::failed(e.to_string()))
}

/// The text of `path`, or of stdin for `-`.
pub fn read(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::io("read", path, &e))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| Failure::io("read", path, &e))
}

pub fn read_spec(path: &Path) -> Result<Spec, Failure> {
    let text = read(path)?;
    Spec::from_json(&text)
        .map_err(|e| Failure::input(format!("invalid spec `{}`", path.display())).caused_by(e))
}

pub fn read_policy(path: &Path) -> Result<PolicyDocument, Failure> {
    let text = read(path)?;
    PolicyDocument::from_json(&text)
        .map_err(|e| Failure::input(format!("invalid policy `{}`", path.display())).caused_by(e))
}

/// Fails when a probe of the matrix does not get its expected verdict.
pub fn proved(report: &Report) -> Result<(), Failure> {
    if report.passed() {
        return Ok(());
    }
    Err(report.failures().fold(
        Failure::failed("the generated policy failed its probe matrix"),
        |f, r| {
            f.caused_by(format!(
                "{}: expected {}",
                r.probe().name(),
                r.probe().expect()
            ))
        },
    ))
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity() == Severity::Error)
}
