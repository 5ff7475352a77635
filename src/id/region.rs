//! [`Region`].

use super::error::{ParseError, RegionRule};
use super::partition::Partition;
use super::text::impl_string_traits;

/// A well-formed AWS Region code, such as `us-east-1`, and the partition it belongs to.
///
/// # Syntax
///
/// A Region code is accepted when it matches the `regionRegex` of one partition in the AWS
/// partitions metadata (AWS source:
/// <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>):
///
/// | Partition | Pattern |
/// | --- | --- |
/// | `aws` | `^(us\|eu\|ap\|sa\|ca\|me\|af\|il\|mx)-\w+-\d+$` |
/// | `aws-cn` | `^cn-\w+-\d+$` |
/// | `aws-us-gov` | `^us-gov-\w+-\d+$` |
/// | `aws-iso` | `^us-iso-\w+-\d+$` |
/// | `aws-iso-b` | `^us-isob-\w+-\d+$` |
/// | `aws-iso-e` | `^eu-isoe-\w+-\d+$` |
/// | `aws-iso-f` | `^us-isof-\w+-\d+$` |
/// | `aws-eusc` | `^eusc-(de)-\w+-\d+$` |
///
/// Deliberate narrowing: `\w` also matches uppercase letters and `_`, but no real Region code
/// contains them, and the code is compared textually in ARNs and policy conditions, so a code
/// like `US-EAST-1` or `us-east_x-1` is rejected rather than carried into a policy that would
/// never match.
///
/// Since `\w` does not match `-`, the patterns never overlap once `_` and uppercase are
/// excluded (`us-gov-west-1` has one dash too many for the `aws` pattern); the more specific
/// partitions are still tried first.
///
/// A well-formed but unlisted Region (`ap-east-9`) is accepted, so new Regions need no release;
/// [`Region::is_known`] tells whether it is in the SDK snapshot's list.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::{Partition, Region};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let region: Region = "us-gov-west-1".parse()?;
/// assert_eq!(region.partition(), Partition::AwsUsGov);
/// assert!("us-east-x".parse::<Region>().is_err());
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Region {
    code: String,
    partition: Partition,
}

/// The Regions listed in a snapshot (commit `685ff5d0`) of the AWS SDK partitions data,
/// <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>.
const KNOWN: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "eusc-de-east-1",
];

/// The area prefixes of the `aws` partition pattern.
const AWS_AREAS: &[&str] = &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"];

impl Region {
    /// Parses a Region code.
    ///
    /// # Errors
    ///
    /// [`ParseError::Region`] if `s` is empty, contains anything but lowercase letters, digits
    /// and `-`, or matches no partition's pattern.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::Region {
            input: s.to_owned(),
            reason,
        })
    }

    pub(crate) fn parse(s: &str) -> Result<Self, RegionRule> {
        if s.is_empty() {
            return Err(RegionRule::Empty);
        }
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(RegionRule::Uppercase);
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(RegionRule::InvalidCharacter);
        }
        let partition = partition_of(s).ok_or(RegionRule::NoPartitionMatches)?;
        Ok(Self {
            code: s.to_owned(),
            partition,
        })
    }

    /// The Region code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The partition whose Region pattern this code matches.
    #[must_use]
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// Whether the code is one of the Regions listed in a snapshot (commit `685ff5d0`) of the AWS
    /// SDK partitions data,
    /// <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>
    /// (which lags new Regions).
    #[must_use]
    pub fn is_known(&self) -> bool {
        KNOWN.contains(&self.code.as_str())
    }
}

/// `\w+` restricted to lowercase letters and digits (see the type docs), non-empty.
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `\d+`.
fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The partition whose pattern `s` matches, most specific first. `s` holds only lowercase
/// letters, digits and `-`.
fn partition_of(s: &str) -> Option<Partition> {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        ["us", "gov", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsUsGov),
        ["us", "iso", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsIso),
        ["us", "isob", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsIsoB),
        ["eu", "isoe", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsIsoE),
        ["us", "isof", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsIsoF),
        ["eusc", "de", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsEusc),
        ["cn", w, d] if is_word(w) && is_number(d) => Some(Partition::AwsCn),
        [area, w, d] if AWS_AREAS.contains(area) && is_word(w) && is_number(d) => {
            Some(Partition::Aws)
        }
        _ => None,
    }
}

impl_string_traits!(Region);
