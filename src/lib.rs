#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

pub mod bucket_policy;
pub mod deploy;
pub mod document;
pub mod error;
pub mod eval;
pub mod finding;
pub mod id;
pub mod intent;
mod json;
pub mod key_policy;
pub mod lint;
pub mod merge;
pub mod plan;
pub mod probe;
pub mod quota;
pub mod spec;
pub mod trail;

pub use bucket_policy::BucketPolicy;
pub use error::{MergeError, ParseError, PolicyError};
pub use finding::{Finding, Severity};
pub use id::{
    AccountId, BucketName, KeyPrefix, KmsAliasArn, KmsAliasName, KmsKeyArn, KmsKeyId, KmsKeyRef,
    OrganizationId, Partition, PrincipalArn, PrincipalKind, Region, TrailArn, TrailName, logs_root,
};
pub use intent::{Intent, IntentBuilder, Layout, OrganizationTrail};
pub use key_policy::KeyPolicy;
pub use lint::lint_bucket_policy;
pub use merge::{MergeOptions, Merged, merge, merge_with};
pub use quota::{TrailInventory, TrailRecord};
pub use trail::{TrailConfig, TrailConfigBuilder, TrailError};
