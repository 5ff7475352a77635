//! Fault injection: each call of a run fails in turn, or the run is killed at it; DIR must hold a
//! complete set after each, and a normal run afterwards must succeed and leave no leftover.

use super::*;

/// The snapshot of the aside directory beside `dir`, if there is one.
fn aside(dir: &Path) -> Option<Tree> {
    let name = dir.file_name()?;
    beside(dir)
        .iter()
        .find(|n| leftover_kind(name, n) == Some(ASIDE))
        .and_then(|n| snap(&dir.with_file_name(n)))
}

/// Writes NEW into `setup`'s DIR once per call of a run and per [`Fault`], cut short at that call.
///
/// `strict`: the setup has no leftovers, so an error must leave the whole tree as it was and come
/// from a call before the commit point, and success from a call after it. Otherwise (the setup
/// holds leftovers, whose cleaning is best effort) an error must leave DIR as it was.
fn matrix(setup: &dyn Fn(&Path) -> PathBuf, exchange: bool, strict: bool) {
    // What an uninterrupted run does.
    let reference = tmp();
    let dir = setup(reference.path());
    let old = snap(&dir);
    // A killed fallback leaves DIR absent and its set aside; the next run puts it back.
    let put_back = if old.is_none() { aside(&dir) } else { None };
    let ops = Faulty::new(None, exchange);
    write_set_with(&ops, &dir, &set(NEW)).unwrap();
    let log = ops.log.take();
    let new = snap(&dir);
    let done = snap(reference.path());

    // DIR holds exactly the previous set (an empty DIR when there was none) or the new one.
    let complete = |t: &Option<Tree>| {
        *t == old
            || *t == new
            || (put_back.is_some() && *t == put_back)
            || (old.is_none() && t.as_ref().is_some_and(is_empty_dir))
    };

    let (mut last_err, mut first_ok) = (None, None);
    let (mut killed_new, mut killed_absent) = (0, 0);
    for n in 0..=log.len() {
        for fault in [Fault::Fail, Fault::Kill] {
            let t = tmp();
            let dir = setup(t.path());
            let before = snap(t.path());
            let ops = Faulty::new(Some((n, fault)), exchange);
            let result = write_set_with(&ops, &dir, &set(NEW));
            let now = snap(&dir);
            let at = format!("{fault:?} at call {n} ({})", log.get(n).unwrap_or(&"none"));
            match (fault, &result) {
                (Fault::Fail, Err(_)) => {
                    if strict {
                        assert_eq!(snap(t.path()), before, "{at}: all as it was");
                    } else {
                        assert!(now == old || now == put_back, "{at}: DIR as it was");
                    }
                    last_err = Some(n);
                }
                (Fault::Fail, Ok(w)) => {
                    assert_eq!(now, new, "{at}: the new set");
                    assert!(w.leftovers().iter().all(|l| l.exists()), "{at}");
                    first_ok.get_or_insert(n);
                }
                (Fault::Kill, _) => {
                    let absent = !exchange && now.is_none() && {
                        let a = aside(&dir);
                        a.is_some() && complete(&a)
                    };
                    assert!(complete(&now) || absent, "{at}: DIR is a mix: {now:#?}");
                    killed_new += usize::from(now == new);
                    killed_absent += usize::from(absent);
                }
            }
            // The next run succeeds and leaves exactly what an uninterrupted one leaves.
            let w = write_set_with(&Faulty::new(None, exchange), &dir, &set(NEW)).unwrap();
            assert!(w.leftovers().is_empty(), "{at}");
            assert_eq!(snap(t.path()), done, "{at}: leftovers cleaned");
        }
    }
    // Kills before the swap left the previous set, kills after it the new one.
    assert!(killed_new > 0 && killed_new < log.len());
    if strict {
        assert_eq!(
            killed_absent > 0,
            !exchange,
            "the fallback's window, and only it"
        );
        // Errors before the commit point, success after it: the last call that can fail a run
        // is the sync of DIR's parent right after the swap.
        let last_err = last_err.unwrap();
        assert_eq!(first_ok, Some(last_err + 1));
        assert_eq!(log[last_err], "sync_dir");
        assert!(matches!(log[last_err - 1], "exchange" | "rename"));
    }
}

/// A setup: `existing`, then a run writing OTHER killed at the call `offset` after the first
/// `op`, which leaves leftovers beside DIR.
fn killed(op: &'static str, offset: usize, exchange: bool) -> impl Fn(&Path) -> PathBuf {
    let t = tmp();
    let dir = existing(t.path());
    let ops = Faulty::new(None, exchange);
    write_set_with(&ops, &dir, &set(OTHER)).unwrap();
    let n = ops.log.take().iter().position(|o| *o == op).unwrap() + offset;
    move |root| {
        let dir = existing(root);
        let ops = Faulty::new(Some((n, Fault::Kill)), exchange);
        write_set_with(&ops, &dir, &set(OTHER)).unwrap_err();
        assert!(!beside(&dir).is_empty(), "the setup leaves leftovers");
        dir
    }
}

#[test]
fn over_an_existing_dir() {
    matrix(&existing, true, true);
}

#[test]
fn over_a_missing_dir() {
    matrix(&missing, true, true);
}

#[test]
fn over_an_existing_dir_without_exchange() {
    matrix(&existing, false, true);
}

#[test]
fn over_a_missing_dir_without_exchange() {
    matrix(&missing, false, true);
}

#[test]
fn over_the_leftovers_of_a_run_killed_while_staging() {
    matrix(&killed("hard_link", 0, true), true, false);
}

#[test]
fn over_the_leftovers_of_a_run_killed_after_the_swap() {
    matrix(&killed("exchange", 1, true), true, false);
}

#[test]
fn over_the_leftovers_of_a_run_killed_between_the_two_renames() {
    // DIR is absent, its set aside, and the complete staging directory beside it.
    matrix(&killed("rename", 1, false), false, false);
}

#[test]
fn every_call_is_counted() {
    // A run over the fixture makes each kind of call, so the matrices above reach all of them.
    let log = calls(existing, true);
    for op in [
        "metadata",
        "canonicalize",
        "read_dir",
        "read",
        "lock",
        "create_dir",
        "create_private_dir",
        "create_file",
        "write",
        "sync",
        "sync_dir",
        "hard_link",
        "set_mode",
        "exchange",
        "remove_file",
        "remove_dir",
    ] {
        assert!(log.contains(&op), "{op}");
    }
    assert!(calls(existing, false).contains(&"rename"));
}

/// Runs killed one after another at the same call, for every call: each must leave DIR complete
/// (or, in the fallback's window, absent with a complete set aside), and at most `bound`
/// directories beside it however many runs were killed, and exactly `bound` after some kill; a
/// normal run then removes them all.
/// `after_swap` first kills a run right after its swap, so that a previous set waits beside DIR.
fn killed_in_a_row(exchange: bool, after_swap: bool, bound: usize) {
    // The reference sets: the fixture, and each of NEW and OTHER written over it.
    let sets: Vec<Option<Tree>> = [None, Some(NEW), Some(OTHER)]
        .into_iter()
        .map(|files| {
            let t = tmp();
            let dir = existing(t.path());
            if let Some(files) = files {
                write_set_with(&Faulty::new(None, exchange), &dir, &set(files)).unwrap();
            }
            snap(&dir)
        })
        .collect();
    let complete = |t: &Option<Tree>| sets.contains(t);
    // The longest run: one that also cleans the leftovers of a killed one.
    let longest = {
        let t = tmp();
        let dir = killed("exchange", 1, exchange)(t.path());
        let ops = Faulty::new(None, exchange);
        write_set_with(&ops, &dir, &set(NEW)).unwrap();
        ops.log.take().len()
    };
    let done = sets[1].clone();
    let mut most = 0;
    for n in 0..=longest {
        let t = tmp();
        let dir = existing(t.path());
        let mut runs = Vec::new();
        if after_swap {
            let log = calls(existing, exchange);
            let swap = log.iter().position(|op| *op == "exchange").unwrap();
            runs.push((swap + if exchange { 1 } else { 3 }, OTHER));
        }
        runs.extend([(n, NEW), (n, OTHER), (n, NEW), (n, OTHER)]);
        for (i, (at, files)) in runs.into_iter().enumerate() {
            let ops = Faulty::new(Some((at, Fault::Kill)), exchange);
            let _ = write_set_with(&ops, &dir, &set(files));
            let now = snap(&dir);
            let absent = !exchange && now.is_none() && {
                let a = aside(&dir);
                a.is_some() && complete(&a)
            };
            let at = format!("run {i} killed at call {at}");
            assert!(complete(&now) || absent, "{at}: DIR is a mix: {now:#?}");
            let left = beside(&dir);
            assert!(left.len() <= bound, "{at}: {left:?}");
            most = most.max(left.len());
        }
        let w = write_set_with(&Faulty::new(None, exchange), &dir, &set(NEW)).unwrap();
        assert!(w.leftovers().is_empty(), "call {n}");
        assert!(beside(&dir).is_empty(), "call {n}: {:?}", beside(&dir));
        assert_eq!(snap(&dir), done, "call {n}");
    }
    assert_eq!(most, bound, "the bound is reached");
}

#[test]
fn runs_killed_in_a_row_leave_at_most_one_directory_beside_dir() {
    killed_in_a_row(true, false, 1);
    killed_in_a_row(true, true, 1);
}

#[test]
fn runs_killed_in_a_row_without_exchange_leave_at_most_two() {
    killed_in_a_row(false, false, 2);
    killed_in_a_row(false, true, 2);
}
