//! Two writers on one DIR: the first pauses at each of its calls in turn while the second runs.

use std::sync::mpsc::channel;
use std::thread;
use std::time::Duration;

use super::*;

/// Runs `f` on a thread and returns its result, failing the test if it takes over 10 seconds
/// (a run that waited for a lock would).
fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    thread::spawn(move || tx.send(f()));
    rx.recv_timeout(Duration::from_secs(10)).unwrap()
}

fn matrix(setup: fn(&Path) -> PathBuf, exchange: bool) {
    let log = calls(setup, exchange);
    let done = {
        let t = tmp();
        let dir = setup(t.path());
        write_set_with(&Faulty::new(None, exchange), &dir, &set(NEW)).unwrap();
        snap(t.path())
    };
    // The first writer holds DIR once the lock that the identity check follows is taken.
    let locked = log
        .windows(2)
        .position(|w| w == ["lock", "metadata"])
        .unwrap();
    for (n, call) in log.iter().enumerate() {
        let t = tmp();
        let dir = setup(t.path());
        let (first, second) = while_paused(&dir, exchange, n, || {
            let dir = dir.clone();
            within(move || write_set_with(&Faulty::fast(), &dir, &set(OTHER)))
        });
        let at = format!("first paused at call {n} ({call})");
        assert!(first.is_ok(), "{at}: {first:?}");
        if n > locked {
            let message = format!("another run is writing to `{}`", dir.display());
            assert_eq!(second.unwrap_err().to_string(), message, "{at}");
        } else {
            assert!(second.is_ok(), "{at}: {second:?}");
        }
        // The first writer ran last: its set, whole, and no leftovers of either.
        assert_eq!(snap(t.path()), done, "{at}");
    }
}

#[test]
fn second_writer_over_an_existing_dir() {
    matrix(existing, true);
}

#[test]
fn second_writer_over_a_missing_dir() {
    matrix(missing, true);
}

#[test]
fn second_writer_during_the_two_rename_fallback() {
    matrix(existing, false);
}
