//! Typed AWS identifiers.
//!
//! Every identifier is a newtype (or a closed enum) whose only way in is its parser:
//! `new`, [`FromStr`](core::str::FromStr), `TryFrom<&str>`, `TryFrom<String>` and serde
//! deserialization all run the same checks and fail with the same [`ParseError`]. Each value
//! prints ([`Display`](core::fmt::Display)) its canonical form, which parses back to the same
//! value.
//!
//! The rules come from AWS's documentation and API references (for partitions and Regions, from
//! the AWS SDKs' partitions data); each type's `# Syntax` section names the AWS page.

mod account;
pub(crate) mod arn;
mod bucket;
mod error;
mod kms;
mod organization;
mod partition;
mod prefix;
mod principal;
mod region;
mod text;
mod trail;

pub use account::AccountId;
pub use bucket::BucketName;
pub use error::{
    AccountIdRule, ArnFieldRule, BucketNameRule, KeyPrefixRule, KmsKeyRule, OrganizationIdRule,
    ParseError, PartitionRule, PrincipalArnRule, RegionRule, TrailArnRule, TrailNameRule,
};
pub use kms::{KmsAliasArn, KmsAliasName, KmsKeyArn, KmsKeyId, KmsKeyRef};
pub use organization::OrganizationId;
pub use partition::Partition;
pub use prefix::KeyPrefix;
pub(crate) use prefix::logs_root;
pub use principal::{PrincipalArn, PrincipalKind};
pub use region::Region;
pub use trail::{TrailArn, TrailName};
