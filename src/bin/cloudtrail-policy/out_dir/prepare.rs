//! Steps 1 to 3: resolving DIR, locking it, reading the previous manifest and checking that
//! nothing is in the way. Nothing in DIR changes here.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::Metadata;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::error::{FsOp, Obstacle, WriteError, io_error};
use super::manifest::{self, MANIFEST, ancestors};
use super::names::{ASIDE, leftover_kind};
use super::ops::{Lock, not_a_directory};
use super::run::{ATTEMPTS, Run};

impl Run<'_> {
    /// Step 1: sets `dir`, `parent` and `name`, creating DIR's missing parents.
    pub(super) fn resolve(&mut self) -> Result<(), WriteError> {
        let shown = self.shown;
        let no_parent = || WriteError::NoParent {
            dir: shown.to_owned(),
        };
        let dir = match self.ops.metadata(shown) {
            Ok(_) => self
                .ops
                .canonicalize(shown)
                .map_err(|e| io_error(FsOp::Resolve, shown, e))?,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let (Some(parent), Some(name)) = (shown.parent(), shown.file_name()) else {
                    return Err(no_parent());
                };
                // `deploy/` has the parent ``: the working directory.
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                self.create_parents(parent)?;
                let parent = self
                    .ops
                    .canonicalize(parent)
                    .map_err(|e| io_error(FsOp::Resolve, parent, e))?;
                parent.join(name)
            }
            Err(e) => return Err(io_error(FsOp::Inspect, shown, e)),
        };
        let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
            return Err(no_parent());
        };
        self.parent = parent.to_owned();
        self.name = name.to_owned();
        self.dir = dir;
        Ok(())
    }

    /// Creates the missing directories of `parent`, outermost first, and records them.
    fn create_parents(&mut self, parent: &Path) -> Result<(), WriteError> {
        let mut missing = Vec::new();
        for a in parent.ancestors().take_while(|a| !a.as_os_str().is_empty()) {
            match self.ops.metadata(a) {
                Ok(_) => break,
                Err(e) if e.kind() == ErrorKind::NotFound => missing.push(a),
                Err(e) => return Err(io_error(FsOp::Inspect, a, e)),
            }
        }
        for a in missing.into_iter().rev() {
            match self.ops.create_dir(a) {
                Ok(()) => self.created.push(a.to_owned()),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(FsOp::CreateDirectory, a, e)),
            }
        }
        Ok(())
    }

    /// Step 2: locks DIR, creating it when missing, or first putting back the previous set that
    /// a run killed in the middle of the two-rename fallback left aside.
    pub(super) fn lock(&mut self) -> Result<Lock, WriteError> {
        for _ in 0..ATTEMPTS {
            let lock = match self.ops.lock(&self.dir) {
                Ok(lock) => lock,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Err(self.busy()),
                Err(e) if e.kind() == ErrorKind::NotFound => match self.restore_aside()? {
                    Some(lock) => lock,
                    None => {
                        match self.ops.create_dir(&self.dir) {
                            Ok(()) => self.created_dir = true,
                            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                            Err(e) => return Err(io_error(FsOp::CreateDirectory, &self.dir, e)),
                        }
                        continue;
                    }
                },
                Err(e) if not_a_directory(&e) => {
                    return Err(WriteError::NotADirectory {
                        dir: self.shown.to_owned(),
                    });
                }
                Err(e) => return Err(io_error(FsOp::Lock, &self.dir, e)),
            };
            // Between the open and the lock, another run may have swapped DIR: then try again.
            match self.ops.metadata(&self.dir) {
                Ok(m) if (m.dev(), m.ino()) == lock.id => return Ok(lock),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(FsOp::Inspect, &self.dir, e)),
            }
        }
        Err(self.busy())
    }

    /// The error for a DIR that another run holds; if this run created DIR, that run uses it now.
    fn busy(&mut self) -> WriteError {
        self.created_dir = false;
        WriteError::Busy {
            dir: self.shown.to_owned(),
        }
    }

    /// With DIR missing, renames an aside directory back to DIR and returns its lock.
    fn restore_aside(&mut self) -> Result<Option<Lock>, WriteError> {
        for name in self.leftover_names()? {
            if leftover_kind(&self.name, &name) != Some(ASIDE) {
                continue;
            }
            let aside = self.parent.join(name);
            let lock = match self.ops.lock(&aside) {
                Ok(lock) => lock,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Err(self.busy()),
                // Gone meanwhile (another run put it back): start over.
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
                // Not a directory: not ours, left alone.
                Err(e) if not_a_directory(&e) => continue,
                // Never go on without it: a new DIR would hide the previous set.
                Err(e) => return Err(io_error(FsOp::Lock, &aside, e)),
            };
            return match self.ops.rename(&aside, &self.dir) {
                Ok(()) => Ok(Some(lock)),
                // Another run created DIR meanwhile: start over.
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::AlreadyExists | ErrorKind::DirectoryNotEmpty
                    ) =>
                {
                    Ok(None)
                }
                Err(e) => Err(io_error(FsOp::Replace, &aside, e)),
            };
        }
        Ok(None)
    }

    /// The previous manifest's paths; none when DIR has no manifest.
    pub(super) fn read_manifest(&self) -> Result<BTreeSet<String>, WriteError> {
        let path = self.dir.join(MANIFEST);
        match self.ops.metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(m) => return Err(self.in_the_way(MANIFEST, Obstacle::of(&m))),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(BTreeSet::new()),
            Err(e) => return Err(io_error(FsOp::Inspect, &path, e)),
        }
        let bytes = self
            .ops
            .read(&path)
            .map_err(|e| io_error(FsOp::Read, &path, e))?;
        manifest::parse(&bytes).map_err(|line| WriteError::InvalidManifest {
            path: self.shown.join(MANIFEST),
            line,
        })
    }

    fn in_the_way(&self, path: &str, obstacle: Obstacle) -> WriteError {
        WriteError::InTheWay {
            dir: self.shown.to_owned(),
            path: path.to_owned(),
            obstacle,
        }
    }

    /// Step 3: every new path must be free or a regular file in DIR, and each of its ancestors a
    /// real directory, missing, or a file of the previous set (which a directory replaces).
    pub(super) fn check_in_the_way(&self, new: &BTreeSet<String>) -> Result<(), WriteError> {
        // Ancestors checked so far: whether their subtree exists in DIR.
        let mut known: BTreeMap<&str, bool> = BTreeMap::new();
        for path in new {
            let mut exists = true;
            for a in ancestors(path) {
                exists = match known.get(a) {
                    Some(&e) => e,
                    None => {
                        let e = match self.lookup(a)? {
                            None => false,
                            Some(m) if m.is_dir() => true,
                            Some(m) if m.is_file() && self.old.contains(a) => false,
                            Some(m) => return Err(self.in_the_way(a, Obstacle::of(&m))),
                        };
                        known.insert(a, e);
                        e
                    }
                };
                if !exists {
                    break;
                }
            }
            if exists
                && let Some(m) = self.lookup(path)?
                && !m.is_file()
            {
                return Err(self.in_the_way(path, Obstacle::of(&m)));
            }
        }
        Ok(())
    }

    /// `lstat` of `rel` in DIR; `None` when missing.
    fn lookup(&self, rel: &str) -> Result<Option<Metadata>, WriteError> {
        let path = self.dir.join(rel);
        match self.ops.metadata(&path) {
            Ok(m) => Ok(Some(m)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(FsOp::Inspect, &path, e)),
        }
    }
}
