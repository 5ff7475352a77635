//! What can go wrong in a run.

use std::fmt;
use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};

use super::manifest::PathRule;

/// Why [`write_set`](super::run::write_set) failed. DIR then holds the previous set, exactly.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An output path is not a plain relative path.
    #[error("invalid output path `{path}`: {rule}")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// The rule it breaks.
        rule: PathRule,
    },
    /// Two output files have the same path.
    #[error("output path `{path}` is given twice")]
    DuplicatePath {
        /// The path.
        path: String,
    },
    /// An output path lies under another output file.
    #[error("output path `{path}` lies under output file `{file}`")]
    NestedPath {
        /// The inner path.
        path: String,
        /// The file it would need to be a directory.
        file: String,
    },
    /// DIR has no parent or no name to put a staging directory beside it (`/`, or a missing path
    /// ending in `..`).
    #[error("cannot use `{}` as the output directory: it has no parent or no name", dir.display())]
    NoParent {
        /// DIR as given.
        dir: PathBuf,
    },
    /// DIR exists and is not a directory.
    #[error("cannot write to `{}`: it is not a directory", dir.display())]
    NotADirectory {
        /// DIR as given.
        dir: PathBuf,
    },
    /// Another run holds the lock on DIR.
    #[error("another run is writing to `{}`", dir.display())]
    Busy {
        /// DIR as given.
        dir: PathBuf,
    },
    /// Something that the run must not replace or write through takes a path it needs.
    #[error("cannot write to `{}`: `{path}` is in the way: {obstacle}", dir.display())]
    InTheWay {
        /// DIR as given.
        dir: PathBuf,
        /// The path in DIR.
        path: String,
        /// What is there.
        obstacle: Obstacle,
    },
    /// DIR's manifest is not one the tool wrote.
    #[error("invalid manifest `{}`: line {line} is not valid", path.display())]
    InvalidManifest {
        /// The manifest, under DIR as given.
        path: PathBuf,
        /// The first bad line, 1-based.
        line: usize,
    },
    /// A filesystem call failed.
    #[error("cannot {op} `{}`", path.display())]
    Io {
        /// What the run was doing.
        op: FsOp,
        /// The path the call was given.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: io::Error,
    },
}

/// What takes a path that the new set needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Obstacle {
    /// A directory where a file goes.
    Directory,
    /// A symbolic link, which the run never writes through.
    Symlink,
    /// A FIFO, socket or device node.
    Special,
    /// A file of the user's where a directory goes.
    File,
}

impl Obstacle {
    /// What `meta` describes.
    pub(super) fn of(meta: &Metadata) -> Self {
        let t = meta.file_type();
        if t.is_symlink() {
            Obstacle::Symlink
        } else if t.is_dir() {
            Obstacle::Directory
        } else if t.is_file() {
            Obstacle::File
        } else {
            Obstacle::Special
        }
    }
}

impl fmt::Display for Obstacle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Obstacle::Directory => "it is a directory",
            Obstacle::Symlink => "it is a symbolic link",
            Obstacle::Special => "it is not a regular file",
            Obstacle::File => "it is a file, not a directory",
        })
    }
}

/// The filesystem operation that failed, for [`WriteError::Io`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FsOp {
    /// `lstat`.
    Inspect,
    /// Canonicalizing DIR.
    Resolve,
    /// `mkdir`.
    CreateDirectory,
    /// Listing a directory.
    ReadDirectory,
    /// Reading a file.
    Read,
    /// Opening and locking a directory.
    Lock,
    /// Creating a file.
    Create,
    /// Writing a file.
    Write,
    /// `fsync`.
    Sync,
    /// Linking a user entry into the staging directory.
    Keep,
    /// `chmod`.
    SetPermissions,
    /// Swapping or renaming DIR.
    Replace,
}

impl fmt::Display for FsOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FsOp::Inspect => "inspect",
            FsOp::Resolve => "resolve",
            FsOp::CreateDirectory => "create directory",
            FsOp::ReadDirectory => "read directory",
            FsOp::Read => "read",
            FsOp::Lock => "lock",
            FsOp::Create => "create",
            FsOp::Write => "write",
            FsOp::Sync => "sync",
            FsOp::Keep => "keep",
            FsOp::SetPermissions => "set permissions of",
            FsOp::Replace => "replace",
        })
    }
}

/// A failed filesystem call `op` on `path`.
pub fn io_error(op: FsOp, path: &Path, source: io::Error) -> WriteError {
    WriteError::Io {
        op,
        path: path.to_owned(),
        source,
    }
}
