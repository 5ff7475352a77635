//! `plan`: the whole setup from a spec, as one document or as files in a directory.

use std::path::{Path, PathBuf};

use clap::Args;
use cloudtrail_policy::{Plan, Spec, Style};

use crate::failure::{Failure, Outcome, Output, json};
use crate::input::read_spec;
use crate::write::write_files;

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The spec file (`-` for stdin).
    spec: Option<PathBuf>,
    /// Write one file per artifact into DIR instead of one JSON document on stdout.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Minified JSON.
    #[arg(long)]
    compact: bool,
}

/// The plan of `spec`, or of the built-in example without one.
pub fn load_plan(spec: Option<&Path>) -> Result<Plan, Failure> {
    let spec = match spec {
        Some(path) => read_spec(path)?,
        None => {
            eprintln!(
                "note: no spec given: planning the built-in example (see `cloudtrail-policy example`)"
            );
            Spec::example().map_err(|e| Failure::failed(e.to_string()))?
        }
    };
    Plan::from_spec(&spec).map_err(|e| Failure::plan(&e))
}

pub fn run(args: PlanArgs) -> Outcome {
    let plan = load_plan(args.spec.as_deref())?;
    for f in plan.findings() {
        eprintln!("{f}");
    }
    eprintln!("{}", plan.summary());
    match args.out {
        None => Output::ok(json(&plan, args.compact)?),
        Some(dir) => {
            let style = if args.compact {
                Style::Compact
            } else {
                Style::Pretty
            };
            let files = plan
                .files(style)
                .map_err(|e| Failure::failed(e.to_string()))?;
            write_files(&dir, &files)?;
            Output::ok(String::new())
        }
    }
}
