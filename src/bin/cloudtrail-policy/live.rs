//! `collect`, `audit` and `import`: the live state, saved by the AWS CLI into a directory, read
//! back and compared with a plan, or turned into a spec.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use cloudtrail_policy::{Audit, Collection, LiveError, Outputs, Saved, Severity, Spec};

use crate::args::Format;
use crate::failure::{Failure, Outcome, Output, json};
use crate::input::{SPEC_LIMIT, read};
use crate::plan::load_plan;

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The spec file (`-` for stdin).
    spec: PathBuf,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The spec file (`-` for stdin).
    spec: PathBuf,
    /// The directory the collect script saved the live state into.
    dir: PathBuf,
    /// `text`, or `json` for scripts.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The directory the collect script saved the live state into.
    dir: PathBuf,
}

pub fn collect(args: CollectArgs) -> Outcome {
    let plan = load_plan(Some(&args.spec))?;
    Output::ok(Collection::from_plan(&plan).script())
}

pub fn audit(args: AuditArgs) -> Outcome {
    let plan = load_plan(Some(&args.spec))?;
    let collection = Collection::from_plan(&plan);
    let mut outputs = Outputs::new();
    for command in collection.commands() {
        if let Some(saved) = read_saved(&args.dir, command.file())? {
            outputs.insert(command.file(), saved);
        }
    }
    let audit = Audit::run(&plan, &outputs).map_err(|e| unreadable(&e, &args))?;
    let stdout = match args.format {
        Format::Json => json(&audit, false)?,
        Format::Text => {
            let mut s = String::new();
            for f in audit.findings() {
                let _ = writeln!(s, "{f}");
            }
            if audit.findings().is_empty() {
                s.push_str("no findings\n");
            }
            s.push('\n');
            for c in audit.controls() {
                let _ = writeln!(s, "{c}");
            }
            s
        }
    };
    let errors = audit
        .findings()
        .iter()
        .any(|f| f.severity() == Severity::Error);
    Ok(Output {
        stdout,
        code: u8::from(errors),
    })
}

pub fn import(args: ImportArgs) -> Outcome {
    let mut outputs = Outputs::new();
    let entries = std::fs::read_dir(&args.dir).map_err(|e| {
        Failure::input(format!("cannot read `{}`", args.dir.display())).caused_by(e)
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            Failure::input(format!("cannot read `{}`", args.dir.display())).caused_by(e)
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name
            .strip_suffix(".json")
            .or_else(|| name.strip_suffix(".error"))
        {
            names.push(stem.to_owned());
        }
    }
    names.sort();
    names.dedup();
    for stem in names {
        if let Some(saved) = read_saved(&args.dir, &stem)? {
            outputs.insert(stem, saved);
        }
    }
    let imported = Spec::import(&outputs).map_err(|e| {
        Failure::input(format!("cannot import `{}`: {e}", args.dir.display()))
            .help("save the organization's and the trails' outputs with the script `cloudtrail-policy collect SPEC` prints")
    })?;
    for note in imported.notes() {
        eprintln!("note: {note}");
    }
    Output::ok(imported.json().to_owned())
}

/// What the command saving `file` left in `dir`: `<file>.json`, else `<file>.error`.
fn read_saved(dir: &Path, file: &str) -> Result<Option<Saved>, Failure> {
    let json = dir.join(format!("{file}.json"));
    if json.exists() {
        return read_text(&json).map(|t| Some(Saved::Output(t)));
    }
    let error = dir.join(format!("{file}.error"));
    if error.exists() {
        return read_text(&error).map(|t| Some(Saved::Error(t)));
    }
    Ok(None)
}

/// A saved file's text, refused over 16 MiB.
fn read_text(path: &Path) -> Result<String, Failure> {
    read(path, SPEC_LIMIT, "output")
}

/// A missing, failed or malformed output: exit 2, naming the file and its command.
fn unreadable(e: &LiveError, args: &AuditArgs) -> Failure {
    Failure::input(format!("cannot audit `{}`: {e}", args.dir.display())).help(format!(
        "save the live state with the script `cloudtrail-policy collect {}` prints: sh collect.sh {}",
        args.spec.display(),
        args.dir.display()
    ))
}
