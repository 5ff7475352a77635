//! Writing a set of generated files into an output directory atomically (`--out DIR`).
//!
//! [`write_set`] builds the complete new set in a staging directory beside DIR, then swaps the two
//! directories in one step. Whatever happens to the process (an error, a full disk, a kill at any
//! instant, a second writer), DIR holds either the complete previous set or the complete new one.
//!
//! # A run
//! 1. **Resolve** DIR. An existing DIR is canonicalized, so that a symlink to a directory swaps the
//!    real directory and keeps the link. A missing DIR gets its missing parents created (and
//!    removed again on error), then is created empty: a run always has a directory to lock, and an
//!    empty DIR is the empty previous set.
//! 2. **Lock** DIR itself: a non-blocking exclusive `flock` on a descriptor of DIR, then a check that
//!    the path still names the locked directory. A second writer fails at once with
//!    ``another run is writing to `DIR` ``. The staging directory is locked as soon as it exists,
//!    so the lock follows the new set through the swap, and the kernel drops both when the process
//!    dies: no lock file, nothing stale.
//! 3. **Check** before anything changes: the manifest of the previous set
//!    (`.cloudtrail-policy-manifest` in DIR, the list of the files the tool wrote) is read, and any
//!    new path taken in DIR by a directory, a symlink or a special file, or lying under something
//!    that is not a real directory, is an error.
//! 4. **Clean** the leftovers of interrupted runs for this DIR: directories beside it named
//!    `.DIRNAME.cloudtrail-policy-{tmp,aside}-` and 16 hex digits, owned by the effective user id
//!    of the process (the owner of every directory the tool creates) and not locked by a live run
//!    (see step 9 for what is removed). A directory at such a name that another user owns is not
//!    ours: it is left alone. This comes before the run makes anything beside DIR (see
//!    [Leftovers](#leftovers)).
//! 5. **Stage** in a new directory `.DIRNAME.cloudtrail-policy-tmp-<64 random bits>` beside DIR,
//!    created exclusively (`mkdir` fails on any existing entry, a planted symlink included) with
//!    mode 0700 until it is complete, and locked.
//! 6. **Fill** the staging directory, in this order: the new manifest; hard links to every entry of
//!    DIR the previous manifest does not list (user files and symlinks keep their inode, so nothing
//!    is copied or lost; user directories are re-created with their mode); the new files, each
//!    created with `O_CREAT | O_EXCL` and `fsync`ed. Then directory modes are set (the staging
//!    directory gets DIR's) and every directory is `fsync`ed.
//! 7. **Swap** staging and DIR with `renameat2(RENAME_EXCHANGE)`, then `fsync` the parent; if that
//!    fails, the swap is undone. This is the commit point: before it every error leaves DIR as it
//!    was and removes what the run made, after it the run succeeds.
//! 8. **Remove** the previous set, now at the staging name. If that fails or the run is killed
//!    first, it stays beside DIR as a leftover for step 4 of the next run.
//! 9. Removing a staging directory or a previous set takes only what is provably the tool's or a
//!    copy: files listed in the old or the new manifest, the manifest itself, and entries that are
//!    the same inode as the entry at the same path in DIR; then the directories left empty. An
//!    entry that is none of these (a file another program wrote into DIR during the run, say) is
//!    kept, with its directory, and reported in [`Written::leftovers`].
//!
//! # Leftovers
//! Runs on one DIR never overlap (step 2). Each makes one directory beside DIR, at step 5: the
//! staging directory, which after the swap holds the previous set until step 8 removes it. The
//! fallback of step 7 makes a second one, DIR put aside, between its two renames. Step 4 removes
//! the leftovers of earlier runs before step 5 makes this run's directory, so:
//! - however many runs in a row are killed, and at whatever instants, at most one leftover
//!   directory of the tool's is beside DIR at any time; two when a fallback was killed between
//!   its renames (DIR aside, the complete new set at the staging name);
//! - the next run that gets past step 4 removes them all;
//! - except a directory holding an entry step 9 cannot prove is the tool's: it stays, every run
//!   reports it in [`Written::leftovers`], and it is beside DIR until the user deals with it;
//! - a directory at a leftover name that another user owns is never touched.
//!
//! Made the other way round (staging first, then cleaning), every run killed between the two
//! would add one more directory beside DIR: leftovers would pile up.
//!
//! # Limits
//! - Unix only. Where the exchange is unsupported (a platform other than Linux, Android or Apple's,
//!   or a filesystem that rejects the flag with `EINVAL`, such as NFS), step 7 falls back to two
//!   renames: DIR is moved to `.DIRNAME.cloudtrail-policy-aside-<random>`, then staging to DIR.
//!   In between DIR is briefly absent, never mixed; a run killed there leaves it absent, and the
//!   next run first renames the aside directory back.
//! - DIR's parent must be writable, on the same filesystem as DIR, and support hard links; DIR must
//!   not be a mount point. User files that cannot be hard-linked (`EXDEV` for a mount inside DIR,
//!   `EPERM` for another user's file under `fs.protected_hardlinks`) make the run fail cleanly.
//! - The swap replaces DIR's inode: a process whose working directory is DIR keeps the old one
//!   (the command says so), DIR ends up owned by the user who ran the tool, and DIR's ACLs,
//!   extended attributes and timestamps (and those of re-created user subdirectories) are not
//!   carried over. Permission bits are. A run costs one link per user entry, so huge user trees
//!   inside DIR make it slow.
//! - `flock` on NFS is emulated with byte-range locks, which Linux refuses on a directory opened
//!   read-only: on NFS the lock, hence the run, fails.
//! - A filesystem that gives new directories another owner than the effective user id (one
//!   mounted with a fixed `uid=`, say) makes the tool's own leftovers look like another user's:
//!   they are left alone, and not reported.
//!
//! Every filesystem call goes through [`ops::Ops`], so that the tests (`out_dir/tests.rs`) can make
//! each call of a run fail in turn, or stop the run there as a kill would, and check DIR after each.

mod discard;
mod error;
mod manifest;
mod names;
mod ops;
mod prepare;
mod run;
mod stage;
#[cfg(test)]
mod tests;

pub use error::WriteError;
pub use run::{OutputFile, write_set};
