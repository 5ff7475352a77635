//! `plan`: the whole setup from a spec, as one document or as files in a directory.

use std::path::{Path, PathBuf};

use clap::Args;
use cloudtrail_policy::{OutputFile, Plan, Spec, Style};

use crate::failure::{Failure, Outcome, Output, json, read_spec};

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
            write_all(&dir, &files)?;
            eprintln!("wrote {} files to {}", files.len(), dir.display());
            Output::ok(String::new())
        }
    }
}

/// Writes every file under a temporary name beside its target in `dir` (names may hold one
/// `sub/` directory), then renames them all; on any error removes what it wrote, restores what
/// it replaced and removes the directories it created, so `dir` is left as it was.
fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), Failure> {
    let tag = format!(".cloudtrail-policy-{}", std::process::id());
    let mut plan: Vec<(PathBuf, PathBuf, &str)> = Vec::new(); // (target, temp, text)
    for file in files {
        let target = dir.join(file.path());
        if target.exists() && !target.is_file() {
            return Err(Failure::input(format!(
                "cannot write `{}`: something that is not a file is in the way",
                target.display()
            )));
        }
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(Failure::input(format!(
                "cannot write `{}`",
                target.display()
            )));
        };
        let temp = parent.join(format!("{tag}.{}", name.to_string_lossy()));
        plan.push((target, temp, file.contents()));
    }
    // Directories to create, outermost first.
    let mut created: Vec<PathBuf> = Vec::new();
    let mut state = Written::default();
    let result = (|| {
        for (target, temp, text) in &plan {
            if let Some(parent) = target.parent() {
                let mut missing: Vec<&Path> =
                    parent.ancestors().take_while(|a| !a.exists()).collect();
                missing.reverse();
                for d in missing {
                    std::fs::create_dir(d).map_err(|e| Failure::io("create directory", d, &e))?;
                    created.push(d.to_path_buf());
                }
            }
            std::fs::write(temp, text).map_err(|e| Failure::io("write", temp, &e))?;
            state.temps.push(temp.clone());
        }
        for (target, temp, _) in &plan {
            if target.exists() {
                let backup = target.with_file_name(format!(
                    "{tag}.old.{}",
                    target
                        .file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default()
                ));
                std::fs::rename(target, &backup).map_err(|e| Failure::io("replace", target, &e))?;
                state.backups.push((target.clone(), backup));
            }
            std::fs::rename(temp, target).map_err(|e| Failure::io("write", target, &e))?;
            state.placed.push(target.clone());
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            for (_, backup) in &state.backups {
                let _ = std::fs::remove_file(backup);
            }
            Ok(())
        }
        Err(f) => {
            for p in &state.placed {
                let _ = std::fs::remove_file(p);
            }
            for (original, backup) in &state.backups {
                let _ = std::fs::rename(backup, original);
            }
            for t in &state.temps {
                let _ = std::fs::remove_file(t);
            }
            for d in created.iter().rev() {
                let _ = std::fs::remove_dir(d);
            }
            Err(f)
        }
    }
}

/// What `write_all` has done so far, to undo it.
#[derive(Default)]
struct Written {
    temps: Vec<PathBuf>,
    backups: Vec<(PathBuf, PathBuf)>,
    placed: Vec<PathBuf>,
}
