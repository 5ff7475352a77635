//! [`KeyPrefix`] and [`logs_root`].

use super::error::{KeyPrefixRule, ParseError};
use super::text::impl_string_traits;

/// The S3 key prefix a trail writes its logs under (`S3KeyPrefix` of `CreateTrail`), in
/// canonical form: no leading or trailing `/`.
///
/// CloudTrail writes to `<bucket>/<prefix>/AWSLogs/<account>/…`; the bucket policy must name
/// the same path. [`KeyPrefix::as_str`] is the `S3KeyPrefix` value and
/// [`KeyPrefix::object_path`] and [`BucketName::logs_arn`](crate::BucketName::logs_arn) the policy path, so the two cannot disagree.
///
/// # Syntax
///
/// AWS documents only the length: "The maximum length is 200 characters." (AWS source:
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
/// The other rules are this crate's choices, to keep the trail setting and the policy path in
/// one unambiguous form and the policy no wider than intended:
///
/// - not empty (omit the prefix instead);
/// - no leading `/`, no trailing `/` and no empty segment (`a//b`): rather than guess which
///   object path was meant, ambiguous forms are rejected;
/// - no segment equal to `AWSLogs`: AWS says "unauthorized users cannot create a trail that
///   includes `AWSLogs/` as the `S3KeyPrefix`"
///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>);
///   rejecting every `AWSLogs` segment is our conservative reading;
/// - no ASCII control characters;
/// - no character above U+00FF, which IAM policy documents cannot contain
///   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>);
/// - no `*`, `?` or `$`: the prefix is placed in a policy Resource ARN, where `*` and `?` are
///   wildcards and `${…}` is a policy variable, so they would widen the policy.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::KeyPrefix;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let prefix: KeyPrefix = "org/cloudtrail".parse()?;
/// assert_eq!(prefix.object_path(), "org/cloudtrail/");
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct KeyPrefix(String);

impl KeyPrefix {
    /// Parses a key prefix.
    ///
    /// # Errors
    ///
    /// [`ParseError::KeyPrefix`] naming the broken rule listed on [`KeyPrefix`].
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::KeyPrefix {
            input: s.to_owned(),
            reason,
        })
    }

    fn parse(s: &str) -> Result<Self, KeyPrefixRule> {
        if s.is_empty() {
            return Err(KeyPrefixRule::Empty);
        }
        if s.chars().count() > 200 {
            return Err(KeyPrefixRule::TooLong);
        }
        if s.chars().any(|c| c.is_ascii_control()) {
            return Err(KeyPrefixRule::ControlCharacter);
        }
        if s.chars().any(|c| u32::from(c) > 0xFF) {
            return Err(KeyPrefixRule::OutsideLatin1);
        }
        if s.contains(['*', '?', '$']) {
            return Err(KeyPrefixRule::Wildcard);
        }
        if s.starts_with('/') {
            return Err(KeyPrefixRule::LeadingSlash);
        }
        if s.ends_with('/') {
            return Err(KeyPrefixRule::TrailingSlash);
        }
        if s.split('/').any(str::is_empty) {
            return Err(KeyPrefixRule::EmptySegment);
        }
        if s.split('/').any(|segment| segment == "AWSLogs") {
            return Err(KeyPrefixRule::AwsLogs);
        }
        Ok(Self(s.to_owned()))
    }

    /// The prefix as the trail's `S3KeyPrefix`, without a trailing `/`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The object path the prefix stands for, `"<prefix>/"`: policies write
    /// `<bucket>/<object_path>AWSLogs/…`.
    #[must_use]
    pub fn object_path(&self) -> String {
        format!("{}/", self.0)
    }
}

/// The object path under which `AWSLogs/` starts: `""` without a prefix, `"<prefix>/"` with
/// one. Callers append `AWSLogs/…`.
#[must_use]
pub(crate) fn logs_root(prefix: Option<&KeyPrefix>) -> String {
    prefix.map(KeyPrefix::object_path).unwrap_or_default()
}

impl_string_traits!(KeyPrefix);
