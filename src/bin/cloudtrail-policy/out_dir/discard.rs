//! Steps 4, 8 and 9: removing leftovers, the previous set after the swap, and this run's staging
//! directory after an error, taking only what is provably the tool's or a copy.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::Metadata;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::error::{FsOp, WriteError, io_error};
use super::manifest::{self, MANIFEST};
use super::names::leftover_kind;
use super::ops::not_a_directory;
use super::run::Run;

impl Run<'_> {
    /// The names of DIR's parent that look like leftovers of a run on DIR.
    pub(super) fn leftover_names(&self) -> Result<Vec<OsString>, WriteError> {
        let mut names = self
            .ops
            .read_dir(&self.parent)
            .map_err(|e| io_error(FsOp::ReadDirectory, &self.parent, e))?;
        names.retain(|n| leftover_kind(&self.name, n).is_some());
        Ok(names)
    }

    /// Step 4: removes what earlier runs on DIR left beside it; returns those it could not empty.
    /// Anything at such a name that is not a directory (a planted symlink, say) or that another
    /// user owns is not a leftover of ours, and is left alone.
    ///
    /// It runs before this run makes anything beside DIR, so that a run killed at any instant
    /// leaves at most its own directory there (see "Leftovers" in the module documentation).
    /// "Ours" is therefore told by the effective user id, the owner of every directory the tool
    /// creates, not by the owner of a directory this run made.
    pub(super) fn clean_leftovers(&self) -> Result<Vec<PathBuf>, WriteError> {
        let us = self.ops.user();
        let mut kept = Vec::new();
        for name in self.leftover_names()? {
            let path = self.parent.join(name);
            let lock = match self.ops.lock(&path) {
                Ok(lock) if lock.uid == us => lock,
                Ok(_) => continue,
                // A live run on another path owns it (it cannot be one on DIR: we hold DIR).
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                Err(e) if e.kind() == ErrorKind::NotFound || not_a_directory(&e) => continue,
                Err(_) => {
                    kept.push(path);
                    continue;
                }
            };
            // Its own manifest (unreadable when the run was killed while writing it) and DIR's.
            let mut listed = self
                .ops
                .read(&path.join(MANIFEST))
                .ok()
                .and_then(|bytes| manifest::parse(&bytes).ok())
                .unwrap_or_default();
            listed.extend(self.old.iter().cloned());
            let gone = self.discard(&path, &listed);
            drop(lock);
            if !gone {
                kept.push(path);
            }
        }
        Ok(kept)
    }

    /// Removes `tree`, a staging directory or a previous set, as far as step 9 allows: `listed`
    /// holds the paths of the manifests involved. Returns whether `tree` is gone.
    pub(super) fn discard(&self, tree: &Path, listed: &BTreeSet<String>) -> bool {
        match self.ops.metadata(tree) {
            Ok(m) if m.is_dir() => {
                self.empty(tree, Path::new(""), &m, listed) && self.ops.remove_dir(tree).is_ok()
            }
            _ => false,
        }
    }

    /// Removes what is provably the tool's or a copy from directory `rel` of `tree`; returns
    /// whether it is now empty.
    fn empty(&self, tree: &Path, rel: &Path, meta: &Metadata, listed: &BTreeSet<String>) -> bool {
        let here = tree.join(rel);
        // A directory copied with mode 0555, say, must be writable to be emptied.
        if meta.mode() & 0o700 != 0o700 {
            let _ = self.ops.set_mode(&here, meta.mode() & 0o7777 | 0o700);
        }
        let Ok(mut names) = self.ops.read_dir(&here) else {
            return false;
        };
        // A tree's own manifest goes last, and only once all else is gone: until then, a later
        // run can still tell the tree's files.
        if rel.as_os_str().is_empty() {
            names.sort_by_key(|n| n == MANIFEST);
        }
        let mut empty = true;
        for name in names {
            let child = rel.join(name);
            if !empty && child == Path::new(MANIFEST) {
                break;
            }
            let path = tree.join(&child);
            let gone = match self.ops.metadata(&path) {
                Ok(m) if m.is_dir() => {
                    self.empty(tree, &child, &m, listed) && self.ops.remove_dir(&path).is_ok()
                }
                Ok(m) if self.provably_ours(&child, &m, listed) => {
                    self.ops.remove_file(&path).is_ok()
                }
                _ => false,
            };
            empty &= gone;
        }
        empty
    }

    /// Whether a non-directory at `rel` in a tree being removed is the tool's or a copy: the
    /// manifest, a regular file at a `listed` path, or the same inode as DIR's entry at `rel`.
    fn provably_ours(&self, rel: &Path, meta: &Metadata, listed: &BTreeSet<String>) -> bool {
        rel == Path::new(MANIFEST)
            || (meta.is_file() && rel.to_str().is_some_and(|k| listed.contains(k)))
            || self
                .ops
                .metadata(&self.dir.join(rel))
                .is_ok_and(|m| (m.dev(), m.ino()) == (meta.dev(), meta.ino()))
    }
}
