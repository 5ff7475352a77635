//! The `live_outputs` target; the check lives in `fuzz/common/live.rs` (replayed by `tests/fuzz_corpus.rs`).
#![no_main]

#[path = "../common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::live::check(data));
