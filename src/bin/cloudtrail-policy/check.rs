//! `check`, `verify` and `lint`: findings and proofs, as text or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{ArgGroup, Args};
use cloudtrail_policy::{BucketPolicy, Finding, KeyPolicy, Plan};

use crate::args::Format;
use crate::failure::{Failure, Outcome, Output, has_errors, json};
use crate::input::{read_policy, read_spec};
use crate::plan::load_plan;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The spec file (`-` for stdin; at most 16 MiB).
    spec: PathBuf,
    /// `text`, or `json` for scripts.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct CheckControlsArgs {
    #[command(flatten)]
    check: CheckArgs,
    /// List the CIS AWS Foundations CloudTrail controls and the matching Prowler checks, each
    /// with whether the plan meets it and why, instead of the findings.
    #[arg(long)]
    controls: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("policy").required(true).args(["bucket_policy", "key_policy"])))]
pub struct LintArgs {
    /// The existing bucket policy to lint (`-` for stdin; at most 64 KiB).
    #[arg(long, value_name = "FILE")]
    bucket_policy: Option<PathBuf>,
    /// The existing key policy to lint, instead of a bucket policy.
    #[arg(long, value_name = "FILE")]
    key_policy: Option<PathBuf>,
    /// The spec the policy must serve: who delivers, who reads, which protections.
    #[arg(long, value_name = "SPEC")]
    spec: PathBuf,
    /// `text`, or `json` for scripts.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn check(args: CheckControlsArgs) -> Outcome {
    let CheckControlsArgs {
        check: args,
        controls,
    } = args;
    if controls {
        let plan = load_plan(Some(&args.spec))?;
        let controls = plan.controls();
        let stdout = match args.format {
            Format::Json => json(&serde_json::json!({ "controls": controls }), false)?,
            Format::Text => controls.iter().map(|c| format!("{c}\n")).collect(),
        };
        return Output::ok(stdout);
    }
    let spec = read_spec(&args.spec)?;
    let findings = match Plan::from_spec(&spec) {
        Ok(plan) => plan.findings().to_vec(),
        Err(e) => e.findings().to_vec(),
    };
    findings_output(&findings, args.format)
}

pub fn verify(args: CheckArgs) -> Outcome {
    let plan = load_plan(Some(&args.spec))?;
    let report = plan.verify();
    let proofs = plan.proofs();
    let stdout = match args.format {
        Format::Json => {
            /// `{"probes": [...], "complete": {...}}`, in that order.
            #[derive(serde::Serialize)]
            struct Verified<'a> {
                probes: &'a [cloudtrail_policy::ProbeResult],
                complete: &'a cloudtrail_policy::Proofs,
            }
            json(
                &Verified {
                    probes: report.results(),
                    complete: proofs,
                },
                false,
            )?
        }
        Format::Text => format!("{}{}", report.table(), proofs.summary()),
    };
    Ok(Output {
        stdout,
        code: u8::from(!report.passed() || !proofs.complete()),
    })
}

pub fn lint(args: LintArgs) -> Outcome {
    let spec = read_spec(&args.spec)?;
    let plan = Plan::from_spec(&spec).map_err(|e| Failure::plan(&e))?;
    let findings = match (args.bucket_policy, args.key_policy) {
        (Some(path), _) => BucketPolicy::lint(&read_policy(&path)?, plan.intent()),
        (None, Some(path)) => KeyPolicy::lint(&read_policy(&path)?, plan.intent()),
        (None, None) => {
            return Err(Failure::input(
                "name a policy to lint with --bucket-policy or --key-policy",
            ));
        }
    };
    findings_output(&findings, args.format)
}

/// The findings on stdout, one a line (or `no findings`) or as `{"findings": [...]}`; exit 1
/// when any is an error.
fn findings_output(findings: &[Finding], format: Format) -> Outcome {
    let findings = Finding::grouped(findings.to_vec());
    let findings = findings.as_slice();
    let stdout = match format {
        Format::Json => json(&serde_json::json!({ "findings": findings }), false)?,
        Format::Text => {
            let mut s = String::new();
            for f in findings {
                let _ = writeln!(s, "{f}");
            }
            if findings.is_empty() {
                s.push_str("no findings\n");
            }
            s
        }
    };
    Ok(Output {
        stdout,
        code: u8::from(has_errors(findings)),
    })
}
