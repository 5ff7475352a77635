//! One run of [`write_set`]: its state, the order of its steps, and undoing them on error.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::error::WriteError;
use super::manifest::{self, ancestors};
use super::ops::{Lock, Ops, RealFs};

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes, relative to DIR: `/`-separated, one or more components, none empty,
    /// `.` or `..`, no control character, not starting with `/`. Subdirectories are created.
    pub path: String,
    /// The file's bytes.
    pub contents: Vec<u8>,
}

impl OutputFile {
    /// A file at `path` (relative to DIR) holding `contents`.
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// What [`write_set`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub(super) written: Vec<String>,
    pub(super) removed: Vec<String>,
    pub(super) leftovers: Vec<PathBuf>,
}

impl Written {
    /// The paths of the files written, in the order given; the manifest is not among them.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// The files of the previous set that the new set lacks, now gone from DIR, sorted.
    pub fn removed(&self) -> &[String] {
        &self.removed
    }

    /// Leftover directories beside DIR that this run could not remove completely: an operation
    /// failed, or they hold entries the tool cannot prove are its own or copies of what DIR holds
    /// (a file another program wrote into DIR during a run, say). They are never taken for output,
    /// and every run tries again; what remains after that is the user's to look at.
    pub fn leftovers(&self) -> &[PathBuf] {
        &self.leftovers
    }
}

/// Writes `files` into `dir` as one set, replacing the set an earlier run wrote there.
///
/// `dir` may be relative or absolute, end in `/` or not, and not exist yet (its parents are
/// created). Files in `dir` the tool did not write are kept, in subdirectories too; files of the
/// previous set that `files` lacks are removed and listed in [`Written::removed`]. The module
/// documentation tells how, and the limits.
///
/// # Errors
/// A [`WriteError`] for a bad output path, a `dir` that cannot hold the set, another run writing
/// to `dir`, or a failed filesystem call. `dir` then holds the previous set, exactly, and the
/// directories this call created are removed again.
pub fn write_set(dir: &Path, files: &[OutputFile]) -> Result<Written, WriteError> {
    write_set_with(&RealFs, dir, files)
}

/// [`write_set`] through `ops`.
pub(super) fn write_set_with(
    ops: &dyn Ops,
    dir: &Path,
    files: &[OutputFile],
) -> Result<Written, WriteError> {
    let new = check_files(files)?;
    let mut run = Run::new(ops, dir);
    run.resolve()
        .and_then(|()| run.write(files, &new))
        .map_err(|e| {
            let e = run.as_given(e);
            run.undo();
            e
        })
}

/// The set of output paths, once each is checked and none is given twice or under another.
fn check_files(files: &[OutputFile]) -> Result<BTreeSet<String>, WriteError> {
    let mut set = BTreeSet::new();
    for f in files {
        manifest::check_path(&f.path).map_err(|rule| WriteError::InvalidPath {
            path: f.path.clone(),
            rule,
        })?;
        if !set.insert(f.path.clone()) {
            return Err(WriteError::DuplicatePath {
                path: f.path.clone(),
            });
        }
    }
    for path in &set {
        if let Some(file) = ancestors(path).find(|a| set.contains(*a)) {
            return Err(WriteError::NestedPath {
                path: path.clone(),
                file: file.to_owned(),
            });
        }
    }
    Ok(set)
}

/// How many fresh names to try when one is taken, and how often to retry a lock on a DIR that
/// another run keeps swapping.
pub(super) const ATTEMPTS: usize = 8;

/// The state of one run, so that an error can undo what it made.
pub(super) struct Run<'a> {
    pub(super) ops: &'a dyn Ops,
    /// DIR as the caller spelled it, for messages.
    pub(super) shown: &'a Path,
    /// DIR, absolute, its parent canonical.
    pub(super) dir: PathBuf,
    pub(super) parent: PathBuf,
    pub(super) name: OsString,
    /// Missing parents of DIR this run created, outermost first.
    pub(super) created: Vec<PathBuf>,
    /// Whether this run created DIR (empty).
    pub(super) created_dir: bool,
    /// DIR's lock, then the staging directory's.
    pub(super) locks: Vec<Lock>,
    /// The staging directory, until the swap.
    pub(super) staging: Option<PathBuf>,
    /// The paths of the previous manifest, and their proper ancestors.
    pub(super) old: BTreeSet<String>,
    pub(super) old_dirs: BTreeSet<String>,
    /// Old and new paths: the files of either set, which a removal may take.
    pub(super) ours: BTreeSet<String>,
}

impl<'a> Run<'a> {
    fn new(ops: &'a dyn Ops, shown: &'a Path) -> Self {
        Run {
            ops,
            shown,
            dir: PathBuf::new(),
            parent: PathBuf::new(),
            name: OsString::new(),
            created: Vec::new(),
            created_dir: false,
            locks: Vec::new(),
            staging: None,
            old: BTreeSet::new(),
            old_dirs: BTreeSet::new(),
            ours: BTreeSet::new(),
        }
    }

    /// Steps 2 to 8 of the module documentation (step 1 is [`Run::resolve`]).
    fn write(
        &mut self,
        files: &[OutputFile],
        new: &BTreeSet<String>,
    ) -> Result<Written, WriteError> {
        let lock = self.lock()?;
        let mode = lock.mode;
        self.locks.push(lock);
        self.old = self.read_manifest()?;
        self.old_dirs = self
            .old
            .iter()
            .flat_map(|p| ancestors(p))
            .map(str::to_owned)
            .collect();
        self.ours = self.old.union(new).cloned().collect();
        self.check_in_the_way(new)?;
        // Leftovers first: a run killed at any instant then adds at most its own directory to
        // what is beside DIR, never one more each time.
        let mut leftovers = self.clean_leftovers()?;
        let staging = self.create_staging()?;
        let mut removed = self.stage(&staging, files, new, mode)?;
        removed.sort();
        let retired = self.swap(&staging)?;
        self.staging = None;
        if !self.discard(&retired, &self.ours) {
            leftovers.push(retired);
        }
        Ok(Written {
            written: files.iter().map(|f| f.path.clone()).collect(),
            removed,
            leftovers,
        })
    }

    /// `e` with a path in the staging directory or in DIR named as under DIR as the caller gave
    /// it: a message never shows a temporary name, and `deploy/x.json` stays relative.
    fn as_given(&self, e: WriteError) -> WriteError {
        match e {
            WriteError::Io { op, path, source } => {
                let under = |root: &Path| path.strip_prefix(root).ok().map(Path::to_owned);
                let rel = self
                    .staging
                    .as_deref()
                    .and_then(under)
                    .or_else(|| under(&self.dir).filter(|_| !self.dir.as_os_str().is_empty()));
                let path = match rel {
                    Some(rel) if rel.as_os_str().is_empty() => self.shown.to_owned(),
                    Some(rel) => self.shown.join(rel),
                    None => path,
                };
                WriteError::Io { op, path, source }
            }
            other => other,
        }
    }

    /// After an error before the swap: removes the staging directory, then DIR and its parents
    /// if this run created them (`rmdir` only takes them while empty). Best effort: whatever stays
    /// is a leftover for the next run.
    fn undo(&mut self) {
        if let Some(staging) = self.staging.take() {
            self.discard(&staging, &self.ours);
        }
        if self.created_dir {
            let _ = self.ops.remove_dir(&self.dir);
        }
        for d in self.created.iter().rev() {
            let _ = self.ops.remove_dir(d);
        }
    }
}
