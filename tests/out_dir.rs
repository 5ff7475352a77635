//! `--out DIR` through the real binary: every spelling of DIR, files of an earlier plan removed
//! and named, two writers at once, a full disk, and SIGKILL at random instants. The writer's
//! fault-injection matrices (a failure and a kill at every filesystem call) are unit tests of the
//! binary, beside the writer (`src/bin/cloudtrail-policy/out_dir/tests/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_cloudtrail-policy");
const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/example-spec.json");
const PER_ACCOUNT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/specs/per-account-trails.json"
);

fn plan_out(cwd: &Path, spec: &str, dir: &str) -> Output {
    Command::new(BIN)
        .args(["plan", spec, "--out", dir])
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every regular file under `dir` with its bytes, by path relative to `dir`; `None` when `dir`
/// is missing. Symlinks and special files fail the test: the tool never makes them.
fn files(dir: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    fn walk(root: &Path, rel: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(root.join(rel)).unwrap() {
            let e = e.unwrap();
            let child = rel.join(e.file_name());
            let t = e.file_type().unwrap();
            if t.is_dir() {
                walk(root, &child, out);
            } else {
                assert!(t.is_file(), "{}", child.display());
                let bytes = std::fs::read(e.path()).unwrap();
                out.insert(child.to_str().unwrap().to_owned(), bytes);
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut out = BTreeMap::new();
    walk(dir, Path::new(""), &mut out);
    Some(out)
}

/// The names beside `dir` in its parent, `dir` left out.
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| Some(std::ffi::OsStr::new(n)) != dir.file_name())
        .collect();
    names.sort();
    names
}

/// The set `spec` writes into a fresh directory.
fn reference(spec: &str) -> BTreeMap<String, Vec<u8>> {
    let t = tempfile::tempdir().unwrap();
    let o = plan_out(t.path(), spec, "out");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    files(&t.path().join("out")).unwrap()
}

#[test]
fn every_spelling_of_dir_works_and_parents_are_created() {
    let t = tempfile::tempdir().unwrap();
    let abs = t.path().join("abs/deep/out/");
    for (dir, real) in [
        ("deploy/", t.path().join("deploy")),
        ("deploy", t.path().join("deploy")),
        ("a/b/deploy", t.path().join("a/b/deploy")),
        ("./c/deploy/", t.path().join("c/deploy")),
        (abs.to_str().unwrap(), t.path().join("abs/deep/out")),
    ] {
        let o = plan_out(t.path(), EXAMPLE, dir);
        assert_eq!(o.status.code(), Some(0), "{dir}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("wrote 12 files to {dir}\n")),
            "{dir}: {}",
            stderr(&o)
        );
        let written = files(&real).unwrap();
        assert_eq!(written.len(), 13, "{dir}: twelve files and the manifest");
        assert!(written.contains_key("cloudformation/log-archive.cfn.json"));
        assert!(
            beside(&real)
                .iter()
                .all(|n| !n.contains("cloudtrail-policy"))
        );
    }
}

#[test]
fn files_of_an_earlier_plan_are_removed_and_named_and_the_users_kept() {
    let t = tempfile::tempdir().unwrap();
    let o = plan_out(t.path(), EXAMPLE, "deploy");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = t.path().join("deploy");
    std::fs::write(dir.join("NOTES.md"), "mine\n").unwrap();
    std::fs::write(dir.join("cloudformation/params.json"), "{}\n").unwrap();

    let o = plan_out(t.path(), PER_ACCOUNT, "deploy");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    for gone in [
        "111111111111-org-trail.create-trail.json",
        "111111111111-org-trail.event-selectors.json",
        "111111111111-org-trail.insight-selectors.json",
        "cloudformation/111111111111-org-trail.cfn.json",
        "log-archive.key-policy.json",
    ] {
        assert!(
            err.contains(&format!(
                "removed {gone}: an earlier run wrote it and this one does not\n"
            )),
            "{gone}: {err}"
        );
        assert!(!dir.join(gone).exists(), "{gone}");
    }
    let mut expected = reference(PER_ACCOUNT);
    expected.insert("NOTES.md".into(), b"mine\n".to_vec());
    expected.insert("cloudformation/params.json".into(), b"{}\n".to_vec());
    assert_eq!(files(&dir).unwrap(), expected);
}

#[test]
fn two_writers_at_once_never_mix_their_sets() {
    let a = reference(EXAMPLE);
    let b = reference(PER_ACCOUNT);
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("deploy");
    let mut busy = 0;
    for round in 0..30 {
        let spawn = |spec: &str| {
            Command::new(BIN)
                .args(["plan", spec, "--out", "deploy"])
                .current_dir(t.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = if round % 2 == 0 {
            (spawn(EXAMPLE), spawn(PER_ACCOUNT))
        } else {
            (spawn(PER_ACCOUNT), spawn(EXAMPLE))
        };
        for child in [first, second] {
            let o = child.wait_with_output().unwrap();
            match o.status.code() {
                Some(0) => {}
                Some(2) => {
                    assert!(
                        stderr(&o).contains("error: another run is writing to `deploy`"),
                        "{}",
                        stderr(&o)
                    );
                    busy += 1;
                }
                other => panic!("round {round}: exit {other:?}: {}", stderr(&o)),
            }
        }
        let now = files(&dir).unwrap();
        assert!(now == a || now == b, "round {round}: a mix");
        assert!(beside(&dir).is_empty(), "round {round}: {:?}", beside(&dir));
    }
    eprintln!("rounds where the second writer found the first at work: {busy} of 30");
}

/// Unmounts a tmpfs when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A tmpfs of `kib` KiB at a fresh directory, or `None` (with a note) where mounting is not
/// allowed (it needs root).
fn tiny_tmpfs(kib: u32) -> Option<(tempfile::TempDir, Mount)> {
    let t = tempfile::tempdir().unwrap();
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
        .arg(t.path())
        .stderr(Stdio::null())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("note: cannot mount a tmpfs here (it needs root): the full-disk test is skipped");
        return None;
    }
    let mount = Mount(t.path().to_owned());
    Some((t, mount))
}

#[test]
fn a_full_disk_at_any_point_leaves_dir_as_it_was_and_nothing_beside_it() {
    let Some((t, _mount)) = tiny_tmpfs(256) else {
        return;
    };
    let dir = t.path().join("deploy");
    let o = plan_out(t.path(), PER_ACCOUNT, "deploy");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let old = files(&dir).unwrap();
    let new = reference(EXAMPLE);
    let filler = t.path().join("filler");
    // Leave less and less room: every run either fails with DIR untouched, or succeeds.
    let (mut failed, mut succeeded) = (0, 0);
    let mut free = 200 * 1024;
    while free > 0 {
        let _ = std::fs::remove_file(&filler);
        let _ = plan_out(t.path(), PER_ACCOUNT, "deploy"); // back to the old set
        assert_eq!(files(&dir).unwrap(), old);
        // Whatever does not fit is cut short: a full filler is the point.
        let _ = std::fs::write(&filler, vec![0u8; 256 * 1024 - free]);
        let o = plan_out(t.path(), EXAMPLE, "deploy");
        match o.status.code() {
            Some(0) => {
                assert_eq!(files(&dir).unwrap(), new, "{free} bytes free");
                succeeded += 1;
            }
            Some(2) => {
                assert!(
                    stderr(&o).contains("No space left on device"),
                    "{}",
                    stderr(&o)
                );
                assert!(
                    !stderr(&o).contains("cloudtrail-policy-tmp"),
                    "{}",
                    stderr(&o)
                );
                assert_eq!(files(&dir).unwrap(), old, "{free} bytes free");
                failed += 1;
            }
            other => panic!("exit {other:?}: {}", stderr(&o)),
        }
        assert_eq!(beside(&dir), ["filler"], "{free} bytes free");
        free = free.saturating_sub(8 * 1024);
    }
    eprintln!("full disk: {failed} runs failed cleanly, {succeeded} had room");
    assert!(failed > 0 && succeeded > 0);
}

/// SIGKILL at random instants: after each kill DIR holds one complete set, and at most one
/// directory is beside it, however many runs in a row were killed: a run removes the leftovers
/// of earlier ones before it makes its own staging directory, so a kill at any instant leaves
/// only that one (the writer's module documentation, "Leftovers"). The next run that completes
/// leaves none. The bound holds at every instant, so where the kills land does not matter; the
/// deterministic version, a kill at every call of several runs in a row, is a unit test of the
/// writer (`runs_killed_in_a_row_*`). Assumes that the system's temporary directory supports
/// `RENAME_EXCHANGE`: without it a kill can leave DIR briefly absent, which this test does not
/// expect. Slow (a few hundred processes), hence ignored: `.ci/run` runs it with
/// `cargo test --test out_dir -- --ignored`.
#[test]
#[ignore = "slow: spawns and kills the binary a few hundred times"]
fn sigkill_at_any_instant_leaves_one_complete_set() {
    let sets = [reference(EXAMPLE), reference(PER_ACCOUNT)];
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("deploy");
    // How long a run takes, to spread the kills over it.
    let start = std::time::Instant::now();
    let o = plan_out(t.path(), EXAMPLE, "deploy");
    assert_eq!(o.status.code(), Some(0));
    let run = start.elapsed().as_micros().max(1000) as u64;
    std::fs::write(dir.join("NOTES.md"), "mine\n").unwrap();
    let (mut seen, mut interrupted) = ([0; 2], 0);
    for i in 0..300u64 {
        let spec = [EXAMPLE, PER_ACCOUNT][(i % 2) as usize];
        let mut child = Command::new(BIN)
            .args(["plan", spec, "--out", "deploy"])
            .current_dir(t.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(i * 7919 % (run * 3 / 2)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        interrupted += usize::from(status.code().is_none());
        let mut now = files(&dir).unwrap();
        assert_eq!(now.remove("NOTES.md").as_deref(), Some(&b"mine\n"[..]));
        let which = sets.iter().position(|s| *s == now);
        let Some(which) = which else {
            panic!("kill {i}: DIR is not one complete set: {:?}", now.keys());
        };
        seen[which] += 1;
        let left = beside(&dir);
        assert!(left.len() <= 1, "kill {i}: {left:?}");
        assert!(
            left.iter()
                .all(|n| n.starts_with(".deploy.cloudtrail-policy-tmp-")),
            "kill {i}: {left:?}"
        );
    }
    eprintln!(
        "after 300 kills: example set {}, per-account set {}; {interrupted} runs killed mid-way",
        seen[0], seen[1]
    );
    assert!(interrupted > 0);
    let o = plan_out(t.path(), EXAMPLE, "deploy");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(beside(&dir).is_empty(), "{:?}", beside(&dir));
}
