//! [`BucketName`].

use super::arn;
use super::error::{BucketNameRule, ParseError};
use super::partition::Partition;
use super::prefix::{KeyPrefix, logs_root};
use super::text::{impl_string_traits, is_dotted_quad};

/// An S3 general purpose bucket name.
///
/// # Syntax
///
/// The S3 general purpose bucket naming rules of
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>, numbered
/// in the order of that page's bullet list, counting `sthree-configurator` (8), which only some
/// versions of the page list separately:
///
/// 1. 3 to 63 characters long;
/// 2. only lowercase letters, digits, `.` and `-` (uppercase letters get their own message);
/// 3. begins and ends with a letter or digit;
/// 4. no two adjacent periods;
/// 5. not formatted as an IP address — read as a dotted quad of 1 to 3 digit groups, an
///    **\[INFERRED\]** reading: AWS does not define "IP address format";
/// 6. no `xn--` prefix;
/// 7. no `sthree-` prefix (8, `sthree-configurator`, is covered by 7);
/// 9. no `amzn-s3-demo-` prefix;
/// 10. no `-s3alias` suffix;
/// 11. no `--ol-s3` suffix;
/// 12. no `.mrap` suffix;
/// 13. no `--x-s3` suffix;
/// 14. no `--table-s3` suffix.
///
/// Rule 15 (no periods for buckets used with S3 Transfer Acceleration) applies to Transfer
/// Acceleration only and is not enforced.
///
/// CloudTrail's naming page adds a stricter rule for the bucket that receives its logs: "The
/// bucket name cannot contain underscores, end with a dash, have consecutive periods, or use
/// dashes adjacent to periods"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html#cloudtrail-s3-bucket-naming-requirements>).
/// The current S3 rules above no longer have the last clause, so parsing accepts `my-.bucket`;
/// call [`BucketName::check_cloudtrail`] before using a bucket as a trail destination.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::BucketName;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let bucket: BucketName = "my-log-archive".parse()?;
/// bucket.check_cloudtrail()?;
/// assert_eq!(
///     "myBucketName".parse::<BucketName>().unwrap_err().to_string(),
///     "invalid bucket name `myBucketName`: uppercase letters are not allowed in bucket names"
/// );
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct BucketName(String);

impl BucketName {
    /// Parses a bucket name under the S3 general purpose rules.
    ///
    /// # Errors
    ///
    /// [`ParseError::BucketName`] naming the first broken rule, checked in the order listed on
    /// [`BucketName`].
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::BucketName {
            input: s.to_owned(),
            reason,
        })
    }

    /// A bucket the crate makes up for a probe: `name`, or `probe-bucket` should `name` not be a
    /// valid bucket name.
    pub(crate) fn made_up(name: &str) -> BucketName {
        Self::parse(name).unwrap_or_else(|_| BucketName("probe-bucket".to_owned()))
    }

    fn parse(s: &str) -> Result<Self, BucketNameRule> {
        if !(3..=63).contains(&s.chars().count()) {
            return Err(BucketNameRule::Length);
        }
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(BucketNameRule::Uppercase);
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            return Err(BucketNameRule::InvalidCharacter);
        }
        let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        if !alnum(s.bytes().next()) || !alnum(s.bytes().next_back()) {
            return Err(BucketNameRule::StartOrEnd);
        }
        if s.contains("..") {
            return Err(BucketNameRule::AdjacentPeriods);
        }
        if is_dotted_quad(s) {
            return Err(BucketNameRule::IpAddress);
        }
        let prefixes = [
            ("xn--", BucketNameRule::PrefixXn),
            ("sthree-", BucketNameRule::PrefixSthree),
            ("amzn-s3-demo-", BucketNameRule::PrefixAmznS3Demo),
        ];
        if let Some((_, rule)) = prefixes.into_iter().find(|(p, _)| s.starts_with(p)) {
            return Err(rule);
        }
        let suffixes = [
            ("-s3alias", BucketNameRule::SuffixS3Alias),
            ("--ol-s3", BucketNameRule::SuffixOlS3),
            (".mrap", BucketNameRule::SuffixMrap),
            ("--x-s3", BucketNameRule::SuffixXS3),
            ("--table-s3", BucketNameRule::SuffixTableS3),
        ];
        if let Some((_, rule)) = suffixes.into_iter().find(|(p, _)| s.ends_with(p)) {
            return Err(rule);
        }
        Ok(Self(s.to_owned()))
    }

    /// Checks CloudTrail's stricter rule, "The bucket name cannot … use dashes adjacent to
    /// periods", from the "Amazon S3 bucket naming requirements" section of CloudTrail's naming
    /// page
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html#cloudtrail-s3-bucket-naming-requirements>;
    /// the China Regions' rendition has the same words,
    /// <https://docs.amazonaws.cn/en_us/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html>).
    /// The page gives no example; `my-.bucket` and `my.-bucket` are the crate's (the same ones
    /// appear in the older S3 bucket restrictions that SDKs still quote). The page's other
    /// rules (lowercase letters, digits, periods and dashes; no underscores; no trailing dash; no
    /// consecutive periods; labels starting with a letter or digit; not an IP address) are S3
    /// rules that parsing already enforces.
    ///
    /// # Errors
    ///
    /// [`ParseError::BucketName`] with [`BucketNameRule::DashAdjacentToPeriod`].
    pub fn check_cloudtrail(&self) -> Result<(), ParseError> {
        if self.0.contains("-.") || self.0.contains(".-") {
            Err(ParseError::BucketName {
                input: self.0.clone(),
                reason: BucketNameRule::DashAdjacentToPeriod,
            })
        } else {
            Ok(())
        }
    }

    /// The bucket name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `arn:<partition>:s3:::<bucket>`.
    #[must_use]
    pub fn arn(&self, partition: Partition) -> String {
        arn::format(partition, "s3", "", "", &self.0)
    }

    /// `arn:<partition>:s3:::<bucket>/<key>`: an object's ARN, or with wildcards in `key`, a
    /// pattern of objects.
    #[must_use]
    pub fn object_arn(&self, partition: Partition, key: &str) -> String {
        arn::format(partition, "s3", "", "", &format!("{}/{key}", self.0))
    }

    /// `arn:<partition>:s3:::<bucket>/<prefix>/AWSLogs/`: everything CloudTrail writes for a
    /// trail with `prefix` as its `S3KeyPrefix` is below it (AWS's bucket policy writes
    /// `<bucket>/[optionalPrefix]/AWSLogs/<account>/*`,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>).
    #[must_use]
    pub fn logs_arn(&self, partition: Partition, prefix: Option<&KeyPrefix>) -> String {
        self.object_arn(partition, &format!("{}AWSLogs/", logs_root(prefix)))
    }
}

impl_string_traits!(BucketName);
