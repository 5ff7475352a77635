//! Steps 5, 6 and 7: the staging directory, building the new set in it, and the swap.

use std::collections::{BTreeMap, BTreeSet};
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::error::{FsOp, WriteError, io_error};
use super::manifest::{self, MANIFEST};
use super::names::{ASIDE, STAGING, fresh_name};
use super::ops::exchange_unsupported;
use super::run::{ATTEMPTS, OutputFile, Run};

/// What the staging directory holds so far.
struct Stage {
    root: PathBuf,
    /// Directories made in it, relative.
    made: BTreeSet<PathBuf>,
    /// Permission bits of DIR's subdirectories, relative, for their copies.
    modes: BTreeMap<PathBuf, u32>,
}

impl Run<'_> {
    /// A fresh name of `kind` beside DIR (see [`fresh_name`]).
    pub(super) fn fresh_name(&self, kind: &str) -> PathBuf {
        fresh_name(&self.parent, &self.name, kind, self.ops.random())
    }

    /// Step 5: the staging directory, created exclusively, private until it is complete (its
    /// files are not for everyone's eyes if DIR is not), and locked.
    pub(super) fn create_staging(&mut self) -> Result<PathBuf, WriteError> {
        for _ in 0..ATTEMPTS {
            let path = self.fresh_name(STAGING);
            match self.ops.create_private_dir(&path) {
                Ok(()) => {
                    self.staging = Some(path.clone());
                    let lock = self
                        .ops
                        .lock(&path)
                        .map_err(|e| io_error(FsOp::Lock, &path, e))?;
                    self.locks.push(lock);
                    return Ok(path);
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(FsOp::CreateDirectory, &path, e)),
            }
        }
        Err(io_error(
            FsOp::CreateDirectory,
            &self.parent,
            ErrorKind::AlreadyExists.into(),
        ))
    }

    /// Step 6: fills the staging directory; returns the paths of the previous set left out.
    pub(super) fn stage(
        &self,
        staging: &Path,
        files: &[OutputFile],
        new: &BTreeSet<String>,
        mode: u32,
    ) -> Result<Vec<String>, WriteError> {
        let mut stage = Stage {
            root: staging.to_owned(),
            made: BTreeSet::new(),
            modes: BTreeMap::new(),
        };
        // The manifest first: whatever a killed run left in here is then listed in it or a link.
        self.write_file(&staging.join(MANIFEST), &manifest::render(new))?;
        let mut removed = Vec::new();
        self.carry(&mut stage, Path::new(""), new, &mut removed)?;
        for f in files {
            let rel = Path::new(&f.path);
            self.make_parent(&mut stage, rel)?;
            self.write_file(&staging.join(rel), &f.contents)?;
        }
        // Children sort after their parent: in reverse, each directory is final before its parent.
        for rel in stage.made.iter().rev() {
            let path = staging.join(rel);
            if let Some(&m) = stage.modes.get(rel) {
                self.set_mode(&path, m)?;
            }
            self.sync_dir(&path)?;
        }
        self.set_mode(staging, mode)?;
        self.sync_dir(staging)?;
        Ok(removed)
    }

    /// Links into the staging directory every entry under `rel` in DIR that the tool did not write
    /// and the new set does not replace; collects the previous set's files left out. Returns
    /// whether anything went into `rel`.
    fn carry(
        &self,
        stage: &mut Stage,
        rel: &Path,
        new: &BTreeSet<String>,
        removed: &mut Vec<String>,
    ) -> Result<bool, WriteError> {
        let from = self.dir.join(rel);
        let names = self
            .ops
            .read_dir(&from)
            .map_err(|e| io_error(FsOp::ReadDirectory, &from, e))?;
        let mut placed = false;
        for name in names {
            let child = rel.join(&name);
            if child == Path::new(MANIFEST) {
                continue;
            }
            let source = self.dir.join(&child);
            let meta = self
                .ops
                .metadata(&source)
                .map_err(|e| io_error(FsOp::Inspect, &source, e))?;
            // Output paths are UTF-8: a name that is not is the user's.
            let key = child.to_str();
            if meta.is_dir() {
                stage.modes.insert(child.clone(), meta.mode() & 0o7777);
                if self.carry(stage, &child, new, removed)? {
                    placed = true;
                } else if !key.is_some_and(|k| self.old_dirs.contains(k)) {
                    // An empty directory of the user's; one the previous set made goes with it.
                    self.make_dir(stage, &child)?;
                    placed = true;
                }
            } else if let Some(k) = key
                && meta.is_file()
                && (new.contains(k) || self.old.contains(k))
            {
                if !new.contains(k) {
                    removed.push(k.to_owned());
                }
            } else {
                self.make_parent(stage, &child)?;
                self.ops
                    .hard_link(&source, &stage.root.join(&child))
                    .map_err(|e| io_error(FsOp::Keep, &source, e))?;
                placed = true;
            }
        }
        Ok(placed)
    }

    fn make_parent(&self, stage: &mut Stage, rel: &Path) -> Result<(), WriteError> {
        match rel.parent() {
            Some(p) if !p.as_os_str().is_empty() => self.make_dir(stage, p),
            _ => Ok(()),
        }
    }

    /// Creates `rel` and its missing ancestors in the staging directory.
    fn make_dir(&self, stage: &mut Stage, rel: &Path) -> Result<(), WriteError> {
        if stage.made.contains(rel) {
            return Ok(());
        }
        self.make_parent(stage, rel)?;
        let path = stage.root.join(rel);
        self.ops
            .create_dir(&path)
            .map_err(|e| io_error(FsOp::CreateDirectory, &path, e))?;
        stage.made.insert(rel.to_owned());
        Ok(())
    }

    /// Creates `path` exclusively, writes `bytes` and syncs.
    fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        let mut file = self
            .ops
            .create_file(path)
            .map_err(|e| io_error(FsOp::Create, path, e))?;
        self.ops
            .write(&mut file, bytes)
            .map_err(|e| io_error(FsOp::Write, path, e))?;
        self.ops
            .sync(&file)
            .map_err(|e| io_error(FsOp::Sync, path, e))
    }

    fn set_mode(&self, path: &Path, mode: u32) -> Result<(), WriteError> {
        self.ops
            .set_mode(path, mode)
            .map_err(|e| io_error(FsOp::SetPermissions, path, e))
    }

    fn sync_dir(&self, path: &Path) -> Result<(), WriteError> {
        self.ops
            .sync_dir(path)
            .map_err(|e| io_error(FsOp::Sync, path, e))
    }

    /// Step 7: puts the staging directory at DIR; returns where the previous set now is.
    pub(super) fn swap(&self, staging: &Path) -> Result<PathBuf, WriteError> {
        match self.ops.exchange(staging, &self.dir) {
            Ok(()) => {
                if let Err(e) = self.ops.sync_dir(&self.parent) {
                    let _ = self.ops.exchange(staging, &self.dir);
                    return Err(io_error(FsOp::Sync, &self.parent, e));
                }
                Ok(staging.to_owned())
            }
            Err(e) if exchange_unsupported(&e) => self.swap_by_renames(staging),
            Err(e) => Err(io_error(FsOp::Replace, &self.dir, e)),
        }
    }

    /// The fallback of [`Run::swap`]: DIR aside, then staging to DIR. DIR is briefly absent.
    fn swap_by_renames(&self, staging: &Path) -> Result<PathBuf, WriteError> {
        let aside = self.fresh_name(ASIDE);
        self.ops
            .rename(&self.dir, &aside)
            .map_err(|e| io_error(FsOp::Replace, &self.dir, e))?;
        if let Err(e) = self.ops.rename(staging, &self.dir) {
            let _ = self.ops.rename(&aside, &self.dir);
            return Err(io_error(FsOp::Replace, &self.dir, e));
        }
        if let Err(e) = self.ops.sync_dir(&self.parent) {
            if self.ops.rename(&self.dir, staging).is_ok() {
                let _ = self.ops.rename(&aside, &self.dir);
            }
            return Err(io_error(FsOp::Sync, &self.parent, e));
        }
        Ok(aside)
    }
}
