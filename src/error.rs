//! Errors of the crate.
