//! The checks behind every fuzz target, shared with `tests/fuzz_corpus.rs` so that the committed
//! corpus replays in plain `cargo test` (no libFuzzer, stable toolchain).
//!
//! Each `check` takes the raw fuzz input, returns nothing, and panics (through `assert!`) when a
//! law is broken. Inputs the library rejects are fine; what is checked is what it accepts.
#![allow(dead_code, reason = "each fuzz target uses one check")]

pub mod document;
pub mod evaluate;
pub mod ids;
pub mod live;
pub mod merge;
pub mod prove;
pub mod requests;
pub mod spec_plan;

/// The input as text: invalid UTF-8 is replaced, so every input reaches the parsers.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Splits `data` at the first `0xFF` byte (never part of UTF-8 text): the text before it, and
/// the bytes after it (empty when there is no separator).
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (
            data.get(..at).unwrap_or_default(),
            data.get(at + 1..).unwrap_or_default(),
        ),
        None => (data, &[]),
    }
}

/// A cursor over the choice bytes: each `pick` reads one byte (zero once exhausted).
pub struct Choices<'a> {
    bytes: &'a [u8],
}

impl<'a> Choices<'a> {
    /// Reads choices from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Choices { bytes }
    }

    /// The next byte, or 0.
    pub fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => 0,
        }
    }

    /// An index below `len` (`len` must be non-zero).
    pub fn index(&mut self, len: usize) -> usize {
        usize::from(self.byte()) % len.max(1)
    }

    /// One item of a non-empty slice.
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> Option<&'t T> {
        let i = self.index(items.len());
        items.get(i)
    }

    /// A coin flip.
    pub fn bit(&mut self) -> bool {
        self.byte() & 1 == 1
    }
}
