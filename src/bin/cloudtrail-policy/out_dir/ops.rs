//! Every filesystem call of a run goes through [`Ops`], so that tests can make any one of them
//! fail, or stop the run there as a kill would.

use std::collections::hash_map::RandomState;
use std::ffi::OsString;
use std::fs::{self, DirBuilder, File, Metadata, OpenOptions, Permissions};
use std::hash::BuildHasher;
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{FlockOperation, Mode, OFlags};
use rustix::io::Errno;

/// An exclusive `flock` on a directory, held until this value is dropped; the kernel also
/// releases it when the process dies, so a killed run never leaves a stale lock.
pub struct Lock {
    _file: File,
    /// Device and inode of the locked directory, to tell whether a path still names it.
    pub id: (u64, u64),
    /// The directory's permission bits.
    pub mode: u32,
    /// The directory's owner.
    pub uid: u32,
}

/// The filesystem calls of a run. Each method is one call with at most one visible effect.
pub trait Ops {
    /// `lstat`: describes a symlink itself, never its target.
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;
    /// `realpath`.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The entry names of a directory, sorted so that runs are reproducible.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<OsString>>;
    /// The contents of a regular file, never read through a symlink.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// `mkdir` with the default mode (the umask applies); fails if anything exists at `path`, a
    /// symlink included.
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// [`Ops::create_dir`] with mode 0700: only the owner can look inside.
    fn create_private_dir(&self, path: &Path) -> io::Result<()>;
    /// Opens a directory (not through a symlink) and locks it exclusively without waiting; an
    /// error of kind [`io::ErrorKind::WouldBlock`] tells that another process holds the lock.
    fn lock(&self, path: &Path) -> io::Result<Lock>;
    /// Creates a file for writing, exclusively (`O_CREAT | O_EXCL`): fails if anything exists at
    /// `path`, a symlink included, so it never writes through one.
    fn create_file(&self, path: &Path) -> io::Result<File>;
    /// Writes all of `bytes`.
    fn write(&self, file: &mut File, bytes: &[u8]) -> io::Result<()>;
    /// `fsync` of a file.
    fn sync(&self, file: &File) -> io::Result<()>;
    /// `fsync` of a directory, which makes its entries durable.
    fn sync_dir(&self, path: &Path) -> io::Result<()>;
    /// `link`: a new name for the inode at `original`; a symlink is linked, not followed.
    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()>;
    /// `chmod`.
    fn set_mode(&self, path: &Path, mode: u32) -> io::Result<()>;
    /// Swaps two directories in one step (`renameat2(RENAME_EXCHANGE)`, `renameatx_np(RENAME_SWAP)`
    /// on Apple systems). Where that is unsupported, fails with `EINVAL`, `ENOSYS`, `EOPNOTSUPP`
    /// or an [`io::ErrorKind::Unsupported`] error.
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()>;
    /// `rename`.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// `unlink`.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// `rmdir`: only an empty directory.
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
    /// The effective user id of the process: the owner of what it creates, so the owner of every
    /// leftover of the tool's. Not a filesystem call: it is here so that tests can run as if
    /// another user ran them.
    fn user(&self) -> u32;
    /// 64 bits nobody else can predict, for a temporary name. Not a filesystem call: it is here so
    /// that tests can force name collisions.
    fn random(&self) -> u64;
}

/// The real filesystem.
pub struct RealFs;

/// `O_RDONLY | O_NOFOLLOW | O_CLOEXEC`, plus `extra`.
fn open(path: &Path, extra: OFlags) -> io::Result<File> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | extra;
    Ok(File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

impl Ops for RealFs {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        fs::symlink_metadata(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        fs::canonicalize(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<OsString>> {
        let mut names = fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.file_name()))
            .collect::<io::Result<Vec<_>>>()?;
        names.sort();
        Ok(names)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        open(path, OFlags::empty())?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }

    fn create_private_dir(&self, path: &Path) -> io::Result<()> {
        DirBuilder::new().mode(0o700).create(path)
    }

    fn lock(&self, path: &Path) -> io::Result<Lock> {
        let file = open(path, OFlags::DIRECTORY)?;
        rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive)?;
        let meta = file.metadata()?;
        Ok(Lock {
            id: (meta.dev(), meta.ino()),
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            _file: file,
        })
    }

    fn create_file(&self, path: &Path) -> io::Result<File> {
        OpenOptions::new().write(true).create_new(true).open(path)
    }

    fn write(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)
    }

    fn sync(&self, file: &File) -> io::Result<()> {
        file.sync_all()
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        Ok(rustix::fs::fsync(open(path, OFlags::DIRECTORY)?)?)
    }

    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()> {
        fs::hard_link(original, link)
    }

    fn set_mode(&self, path: &Path, mode: u32) -> io::Result<()> {
        fs::set_permissions(path, Permissions::from_mode(mode))
    }

    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()> {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        Ok(renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?)
    }

    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    fn exchange(&self, _: &Path, _: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }

    fn user(&self) -> u32 {
        rustix::process::geteuid().as_raw()
    }

    fn random(&self) -> u64 {
        // SipHash keyed with the secret random keys of a fresh `RandomState` (drawn from the OS
        // once per thread, then stepped): unpredictable without a dependency.
        static CALLS: AtomicU64 = AtomicU64::new(0);
        RandomState::new().hash_one((CALLS.fetch_add(1, Ordering::Relaxed), std::process::id()))
    }
}

/// Whether opening a directory failed because the path names something else (`ELOOP` for a
/// symlink, under `O_NOFOLLOW`).
pub fn not_a_directory(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotADirectory || e.raw_os_error() == Some(Errno::LOOP.raw_os_error())
}

/// Whether `rename` with `RENAME_EXCHANGE` failed for want of support, not for a real error.
pub fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
        || [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP]
            .iter()
            .any(|n| e.raw_os_error() == Some(n.raw_os_error()))
}
