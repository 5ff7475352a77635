//! The `cloudtrail-policy` command-line tool: a thin layer over the library.
//!
//! stdout carries a command's product: JSON, or for `check` and `lint`, whose product is
//! findings, the findings (text or JSON) and for `verify` the probe table. stderr carries
//! everything about the run: notes, the plan's summary line, the findings of commands whose
//! product is an artifact, and `error: …` with `  caused by: …` and `  help: …` lines. A finding
//! is always one line, `severity[code]: message`, on either stream. Exit 0 on success, 1 when
//! the input is valid but the plan or check fails, 2 for usage errors and unreadable or
//! malformed input. A closed stdout pipe ends quietly with 0.

mod args;
mod check;
mod failure;
mod input;
mod live;
mod merging;
mod out_dir;
mod plan;
mod policy;
mod trail;
mod write;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cloudtrail_policy::Spec;

use failure::{Outcome, Output};

/// Generate and prove AWS CloudTrail log-archive bucket policies, KMS key policies and trail
/// configurations.
#[derive(Debug, Parser)]
#[command(name = "cloudtrail-policy", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Plan the whole setup from a spec file (the built-in example without SPEC).
    Plan(plan::PlanArgs),
    /// The findings of every check; exit 1 when any is an error. With `--controls`, the CIS
    /// controls the plan meets.
    Check(check::CheckControlsArgs),
    /// The probe matrix of both policies: who can do what where.
    Verify(check::CheckArgs),
    /// A bucket policy straight from flags.
    BucketPolicy(policy::BucketPolicyArgs),
    /// A KMS key policy straight from flags.
    KeyPolicy(policy::KeyPolicyArgs),
    /// One trail's request bodies straight from flags.
    Trail(trail::TrailArgs),
    /// Findings for an existing policy against a spec.
    Lint(check::LintArgs),
    /// Print a POSIX shell script of AWS CLI commands that save the live state of the spec's
    /// log archive, trails and organization into the directory given as its first argument.
    Collect(live::CollectArgs),
    /// Compare the live state saved by the collect script with the plan of a spec; exit 1 on
    /// any error finding, 2 when a saved output is missing or malformed.
    Audit(live::AuditArgs),
    /// Print a spec built from the organization and trail outputs saved in a directory.
    Import(live::ImportArgs),
    /// Print the built-in example spec.
    Example,
    /// Print a JSON Schema of the spec file.
    Schema,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version on stdout (exit 0) and usage errors on stderr (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli.command) {
        Ok(out) => {
            let mut stdout = io::stdout().lock();
            match stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::from(out.code),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write to stdout\n  caused by: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(failure) => {
            let _ = io::stderr().write_all(failure.to_string().as_bytes());
            ExitCode::from(failure.code())
        }
    }
}

fn run(command: Command) -> Outcome {
    match command {
        Command::Plan(args) => plan::run(args),
        Command::Check(args) => check::check(args),
        Command::Verify(args) => check::verify(args),
        Command::BucketPolicy(args) => policy::bucket_policy(args),
        Command::KeyPolicy(args) => policy::key_policy(args),
        Command::Trail(args) => trail::run(args),
        Command::Lint(args) => check::lint(args),
        Command::Collect(args) => live::collect(args),
        Command::Audit(args) => live::audit(args),
        Command::Import(args) => live::import(args),
        Command::Example => Output::ok(Spec::EXAMPLE.to_owned()),
        Command::Schema => Output::ok(Spec::SCHEMA.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use failure::Failure;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_flag_has_a_one_line_help() {
        let cli = Cli::command();
        for sub in cli.get_subcommands() {
            for arg in sub.get_arguments() {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                assert!(
                    !help.trim().is_empty() && !help.contains('\n'),
                    "`{} --{}` has no one-line help",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn the_schema_is_json() {
        let _: serde_json::Value = serde_json::from_str(Spec::SCHEMA).unwrap();
    }

    #[test]
    fn a_failure_prints_its_causes_and_maps_to_its_code() {
        let f = Failure::input("bad").caused_by("first").caused_by("second");
        assert_eq!(f.code(), 2);
        assert_eq!(
            f.to_string(),
            "error: bad\n  caused by: first\n  caused by: second\n"
        );
        let _: Result<(), Failure> = Err(Failure::failed("no"));
    }
}
