//! What a command prints and how it fails.

use std::fmt;

use cloudtrail_policy::{Finding, PlanError, Report, Severity, Style};

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
    /// Lines printed before `error: …`: the findings of a failed plan.
    findings: Vec<String>,
    message: String,
    causes: Vec<String>,
    help: Vec<String>,
}

impl Failure {
    /// Unusable input: exit 2.
    pub fn input(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            findings: Vec::new(),
            message: message.into(),
            causes: Vec::new(),
            help: Vec::new(),
        }
    }

    /// Valid input that fails a check: exit 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            findings: Vec::new(),
            message: message.into(),
            causes: Vec::new(),
            help: Vec::new(),
        }
    }

    /// The same failure with one more cause.
    pub fn caused_by(mut self, cause: impl fmt::Display) -> Self {
        self.causes.push(cause.to_string());
        self
    }

    /// The same failure with a line saying how to proceed.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// A plan with error findings: exit 1. Every finding is printed first, one a line as
    /// `check` prints them, then how many errors there are.
    pub fn plan(err: &PlanError) -> Self {
        let errors: usize = err.errors().map(Finding::count).sum();
        let mut f = Failure::failed(format!(
            "the plan failed: {errors} error{} (listed above)",
            if errors == 1 { "" } else { "s" }
        ));
        f.findings = err.findings().iter().map(ToString::to_string).collect();
        f
    }

    pub fn code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for Failure {
    /// The findings of a failed plan, then `error: message`, then `  caused by: …` for each cause and `  help: …` for each way to
    /// proceed, each line ending with `\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        writeln!(f, "error: {}", self.message)?;
        for cause in &self.causes {
            writeln!(f, "  caused by: {cause}")?;
        }
        for help in &self.help {
            writeln!(f, "  help: {help}")?;
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
