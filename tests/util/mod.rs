//! `#[track_caller]` helpers shared by the integration tests.
#![allow(dead_code, reason = "each test file uses a subset")]
#![allow(
    clippy::panic,
    reason = "test helpers fail the calling test by panicking"
)]

use std::fmt::Display;
use std::str::FromStr;

/// Parses `s`, panicking with the error if it is rejected, and checks the canonical round trip.
#[track_caller]
pub fn ok<T>(s: &str) -> T
where
    T: FromStr + Display,
    T::Err: Display,
{
    match s.parse::<T>() {
        Ok(v) => {
            assert_eq!(v.to_string(), s, "canonical form of `{s}`");
            v
        }
        Err(e) => panic!("`{s}` was rejected: {e}"),
    }
}

/// Asserts that `s` is rejected with exactly `message`.
#[track_caller]
pub fn err<T>(s: &str, message: &str)
where
    T: FromStr + std::fmt::Debug,
    T::Err: Display,
{
    match s.parse::<T>() {
        Ok(v) => panic!("`{s}` was accepted as {v:?}"),
        Err(e) => assert_eq!(e.to_string(), message, "message for `{s}`"),
    }
}

pub mod botocore;
