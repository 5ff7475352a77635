//! [`TrailName`] and [`TrailArn`].

use super::account::AccountId;
use super::arn::{self, Arn, arn_accessors};
use super::error::{ParseError, TrailArnRule, TrailNameRule};
use super::partition::Partition;
use super::region::Region;
use super::text::{impl_string_traits, is_dotted_quad};

/// A CloudTrail trail name.
///
/// # Syntax
///
/// AWS source:
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html>.
/// A trail name must:
///
/// - contain only ASCII letters, digits, `.`, `_` and `-`;
/// - start and end with a letter or digit;
/// - be 3 to 128 characters long;
/// - have no adjacent periods, underscores or dashes (`my-_namespace`, `my--namespace`);
/// - not be in IP address format (`192.168.5.4`), read as a dotted quad of 1 to 3 digit groups,
///   an **\[INFERRED\]** reading: AWS does not define "IP address format".
///
/// # Example
///
/// ```
/// use cloudtrail_policy::TrailName;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let name: TrailName = "org-trail".parse()?;
/// assert_eq!(name.as_str(), "org-trail");
/// assert!("my--namespace".parse::<TrailName>().is_err());
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct TrailName(String);

impl TrailName {
    /// Parses a trail name.
    ///
    /// # Errors
    ///
    /// [`ParseError::TrailName`] naming the first broken rule, in the order listed on
    /// [`TrailName`].
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::TrailName {
            input: s.to_owned(),
            reason,
        })
    }

    pub(crate) fn parse(s: &str) -> Result<Self, TrailNameRule> {
        let punct = |b: u8| matches!(b, b'.' | b'_' | b'-');
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || punct(b)) {
            return Err(TrailNameRule::InvalidCharacter);
        }
        let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        if !alnum(s.bytes().next()) || !alnum(s.bytes().next_back()) {
            return Err(TrailNameRule::StartOrEnd);
        }
        if !(3..=128).contains(&s.len()) {
            return Err(TrailNameRule::Length);
        }
        if s.as_bytes().windows(2).any(|w| w.iter().all(|&b| punct(b))) {
            return Err(TrailNameRule::AdjacentPunctuation);
        }
        if is_dotted_quad(s) {
            return Err(TrailNameRule::IpAddress);
        }
        Ok(Self(s.to_owned()))
    }

    /// The trail name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl_string_traits!(TrailName);

/// A CloudTrail trail ARN, `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`.
///
/// # Syntax
///
/// `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME` (AWS source:
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>), with
/// the partition id of the SDK partitions data
/// (<https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>)
/// in place of `aws` (documented for `aws-cn`, inferred for the others; see [`Partition`]).
/// The region must match the partition's Region pattern ([`Region`]), the account is an
/// [`AccountId`] and the name a [`TrailName`].
///
/// # Example
///
/// ```
/// use cloudtrail_policy::{Partition, TrailArn};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let arn: TrailArn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail".parse()?;
/// assert_eq!(arn.partition(), Partition::Aws);
/// assert_eq!(arn.name().as_str(), "org-trail");
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct TrailArn {
    // INVARIANT: arn.resource() == format!("trail/{name}").
    arn: Arn<Region>,
    name: TrailName,
}

impl TrailArn {
    /// Builds the ARN of trail `name` in `account` and `region`.
    ///
    /// # Errors
    ///
    /// [`ParseError::TrailArn`] with [`ArnFieldRule::RegionNotInPartition`](crate::ArnFieldRule::RegionNotInPartition) if `region` does not
    /// belong to `partition`.
    pub fn new(
        partition: Partition,
        region: Region,
        account: AccountId,
        name: TrailName,
    ) -> Result<Self, ParseError> {
        let resource = format!("trail/{name}");
        let input = arn::format(
            partition,
            "cloudtrail",
            region.as_str(),
            account.as_str(),
            &resource,
        );
        let arn =
            Arn::new(partition, "cloudtrail", region, account, &resource).map_err(|rule| {
                ParseError::TrailArn {
                    input,
                    reason: rule.into(),
                }
            })?;
        Ok(Self { arn, name })
    }

    /// `arn:<partition>:cloudtrail:*:<account>:trail/*`: the `ArnLike` pattern of every trail of
    /// `account`, in any Region (the confused-deputy page's example,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html>).
    #[must_use]
    pub fn any_in_account(partition: Partition, account: &AccountId) -> String {
        arn::format(partition, "cloudtrail", "*", account.as_str(), "trail/*")
    }

    /// A trail the crate makes up for a probe: trail `name` (or `probe`, should `name` not be a
    /// valid trail name) of `account`, homed in `region`.
    pub(crate) fn made_up(region: &Region, account: &AccountId, name: &str) -> TrailArn {
        let name = TrailName::parse(name).unwrap_or_else(|_| TrailName("probe".to_owned()));
        let arn = Arn::in_region(
            region.clone(),
            "cloudtrail",
            account.clone(),
            &format!("trail/{name}"),
        );
        TrailArn { arn, name }
    }

    /// `arn:<partition>:cloudtrail:<region>:<account>:trail/*`: the pattern of every trail of
    /// `account` homed in `region`.
    #[must_use]
    pub(crate) fn any_in(partition: Partition, region: &Region, account: &AccountId) -> String {
        arn::format(
            partition,
            "cloudtrail",
            region.as_str(),
            account.as_str(),
            "trail/*",
        )
    }

    /// Parses a trail ARN; used by `FromStr` and `TryFrom`, whose errors are
    /// [`ParseError::TrailArn`] naming the malformed part.
    fn parse_text(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::TrailArn {
            input: s.to_owned(),
            reason,
        })
    }

    fn parse(s: &str) -> Result<Self, TrailArnRule> {
        let arn = Arn::parse(s, "cloudtrail")?;
        let name = arn
            .resource()
            .strip_prefix("trail/")
            .ok_or(TrailArnRule::Malformed)?;
        let name = TrailName::parse(name).map_err(TrailArnRule::Name)?;
        Ok(Self { arn, name })
    }

    /// The trail name.
    #[must_use]
    pub fn name(&self) -> &TrailName {
        &self.name
    }
}

arn_accessors!(TrailArn, regional);
impl_string_traits!(TrailArn, parse_text);
