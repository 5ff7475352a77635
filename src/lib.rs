//! Typed, offline generation and proof of the artifacts that centralise AWS CloudTrail logs in
//! one log-archive S3 bucket: the bucket policy, the KMS key policy and the trail configuration.
//!
//! The library is side-effect free: no network, no clock, no environment. Same input, same bytes
//! out.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bucket_policy;
pub mod document;
pub mod error;
pub mod eval;
pub mod finding;
pub mod id;
pub mod intent;
pub mod lint;
pub mod merge;
pub mod probe;

pub use bucket_policy::BucketPolicy;
pub use error::{MergeError, ParseError, PolicyError};
pub use finding::{Finding, Severity};
pub use id::{
    AccountId, BucketName, KeyPrefix, KmsAliasArn, KmsAliasName, KmsKeyArn, KmsKeyId, KmsKeyRef,
    OrganizationId, Partition, PrincipalArn, PrincipalKind, Region, TrailArn, TrailName, logs_root,
};
pub use intent::{Intent, IntentBuilder, Layout, OrganizationTrail};
pub use lint::lint_bucket_policy;
pub use merge::{MergeOptions, Merged, merge, merge_with};
