//! [`Partition`].

use super::error::{ParseError, PartitionRule};
use super::text::impl_string_traits;

/// An AWS partition: the first field of every ARN (`arn:aws-cn:…`).
///
/// # Syntax
///
/// One of the partition ids of the AWS partitions metadata: `aws`, `aws-cn`, `aws-us-gov`,
/// `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`. AWS source:
/// the SDK partitions data,
/// <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>.
/// That the ARN partition field equals the partition id is documented for `aws-cn` (the China
/// pages write `arn:aws-cn:`, e.g.
/// <https://docs.amazonaws.cn/en_us/awscloudtrail/latest/userguide/default-kms-key-policy.md>) and
/// only inferred for the others: no AWS page found says so.
///
/// The enum is `#[non_exhaustive]`: AWS adds partitions rarely, but it does.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::Partition;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let partition: Partition = "aws-cn".parse()?;
/// assert_eq!(partition, Partition::AwsCn);
/// assert_eq!(partition.dns_suffix(), "amazonaws.com.cn");
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
#[non_exhaustive]
pub enum Partition {
    /// `aws`, the commercial Regions.
    Aws,
    /// `aws-cn`, the China Regions.
    AwsCn,
    /// `aws-us-gov`, AWS GovCloud (US).
    AwsUsGov,
    /// `aws-iso`.
    AwsIso,
    /// `aws-iso-b`.
    AwsIsoB,
    /// `aws-iso-e`.
    AwsIsoE,
    /// `aws-iso-f`.
    AwsIsoF,
    /// `aws-eusc`, the AWS European Sovereign Cloud.
    AwsEusc,
}

impl Partition {
    /// Every partition, in declaration order.
    pub const ALL: [Partition; 8] = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    /// Parses a partition id.
    ///
    /// # Errors
    ///
    /// [`ParseError::Partition`] unless `s` is exactly one of the ids listed on [`Partition`].
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).ok_or_else(|| ParseError::Partition {
            input: s.to_owned(),
            reason: PartitionRule::Unknown,
        })
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The partition id, as written in ARNs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    /// The CloudTrail service principal used in bucket and key policies:
    /// `cloudtrail.amazonaws.com` for every partition.
    ///
    /// This is documented for `aws` and `aws-cn` only (the China pages keep
    /// `"Service": "cloudtrail.amazonaws.com"` while ARNs become `arn:aws-cn:`). For
    /// `aws-us-gov`, the ISO partitions and `aws-eusc` it is **UNCONFIRMED**: no AWS page found
    /// names CloudTrail's service principal there; check
    /// [`Partition::cloudtrail_principal_confirmed`] and warn.
    #[must_use]
    pub fn cloudtrail_principal(self) -> &'static str {
        "cloudtrail.amazonaws.com"
    }

    /// Whether [`Partition::cloudtrail_principal`] is documented by AWS for this partition:
    /// `true` for [`Partition::Aws`] and [`Partition::AwsCn`] only
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>
    /// and its China rendition,
    /// <https://docs.amazonaws.cn/en_us/awscloudtrail/latest/userguide/default-kms-key-policy.md>).
    #[must_use]
    pub fn cloudtrail_principal_confirmed(self) -> bool {
        matches!(self, Partition::Aws | Partition::AwsCn)
    }

    /// The partition's DNS suffix, from the SDK partitions data
    /// (<https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>).
    #[must_use]
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "amazonaws.com",
            Partition::AwsCn => "amazonaws.com.cn",
            Partition::AwsIso => "c2s.ic.gov",
            Partition::AwsIsoB => "sc2s.sgov.gov",
            Partition::AwsIsoE => "cloud.adc-e.uk",
            Partition::AwsIsoF => "csp.hci.ic.gov",
            Partition::AwsEusc => "amazonaws.eu",
        }
    }
}

impl_string_traits!(Partition);
