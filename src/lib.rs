//! Typed, offline generation and proof of the artifacts that centralise AWS CloudTrail logs in
//! one log-archive S3 bucket: the bucket policy, the KMS key policy and the trail configuration.
//!
//! The library is side-effect free: no network, no clock, no environment. Same input, same bytes
//! out.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod document;
pub mod error;
pub mod eval;
pub mod id;
