//! The `spec_plan` target; the check lives in `fuzz/common/spec_plan.rs` (replayed by `tests/fuzz_corpus.rs`).
#![no_main]

#[path = "../common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::spec_plan::check(data));
