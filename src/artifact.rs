//! What the generated policies share: the two kinds with their size limits, and the `Sid`
//! prefix that marks the crate's own statements so that a merge can find and replace them
//! without touching anybody else's.

use serde::Serialize;

/// Every `Sid` the crate writes starts with this, and no other statement's should.
pub const SID_PREFIX: &str = "CloudTrailPolicy";

/// Which policy: the S3 bucket policy or the KMS key policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    /// The S3 bucket policy.
    Bucket,
    /// The KMS key policy.
    Key,
}

impl PolicyKind {
    /// The largest policy AWS accepts, in bytes, measured by the crate on the minified form:
    /// 20,480 for a bucket policy ("Bucket policies are limited to 20 KB in size",
    /// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html>) and 32,768
    /// for a key policy, not adjustable
    /// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>). Neither
    /// page says whether whitespace counts, so the crate counts the smallest form and reports the
    /// pretty one too.
    #[must_use]
    pub const fn size_limit(self) -> usize {
        match self {
            PolicyKind::Bucket => 20_480,
            PolicyKind::Key => 32_768,
        }
    }
}

/// `CloudTrailPolicy<name>`.
pub(crate) fn sid(name: &str) -> String {
    format!("{SID_PREFIX}{name}")
}

/// Each item's text, in order.
pub(crate) fn strings<I, T>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = T>,
    T: ToString,
{
    items.into_iter().map(|t| t.to_string()).collect()
}
