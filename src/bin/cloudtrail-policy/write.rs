//! `--out DIR`: a command's files written as one set (see `out_dir`), and what changed said on
//! stderr.

use std::error::Error as _;
use std::path::Path;

use cloudtrail_policy::OutputFile;

use crate::failure::Failure;
use crate::out_dir::{self, WriteError};

/// Writes `files` into `dir`, replacing the set an earlier run wrote there; on stderr, how many
/// files were written and each file of the earlier set that is gone.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<(), Failure> {
    let set: Vec<out_dir::OutputFile> = files
        .iter()
        .map(|f| out_dir::OutputFile::new(f.path(), f.contents()))
        .collect();
    let inside = holds_working_directory(dir);
    let written = out_dir::write_set(dir, &set).map_err(|e| failure(&e))?;
    eprintln!(
        "wrote {} files to {}",
        written.written().len(),
        dir.display()
    );
    for path in written.removed() {
        eprintln!("removed {path}: an earlier run wrote it and this one does not");
    }
    for path in written.leftovers() {
        eprintln!(
            "note: `{}` holds files the tool cannot prove it wrote (another program wrote into {} during a run?): left in place",
            path.display(),
            dir.display()
        );
    }
    if inside {
        eprintln!(
            "note: the working directory was inside {}, which the run replaced: `cd` into it again to see the new files",
            dir.display()
        );
    }
    Ok(())
}

/// A failed write: exit 2, the system's error as the cause.
fn failure(e: &WriteError) -> Failure {
    let f = Failure::input(e.to_string());
    match e.source() {
        Some(cause) => f.caused_by(cause),
        None => f,
    }
}

/// Whether the working directory is `dir` or inside it: the swap leaves it behind.
fn holds_working_directory(dir: &Path) -> bool {
    match (std::env::current_dir(), dir.canonicalize()) {
        (Ok(cwd), Ok(dir)) => cwd.canonicalize().is_ok_and(|cwd| cwd.starts_with(dir)),
        _ => false,
    }
}
