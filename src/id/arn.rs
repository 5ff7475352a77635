//! The one ARN core: splitting an ARN into its six fields, building one from its parts, and
//! [`Arn`], the parsed text with typed partition, Region and account that every typed ARN
//! ([`TrailArn`](super::trail::TrailArn), [`KmsKeyArn`](super::kms::KmsKeyArn),
//! [`KmsAliasArn`](super::kms::KmsAliasArn), [`PrincipalArn`](super::principal::PrincipalArn))
//! wraps. Nothing outside `id` formats or splits an ARN by hand.
//!
//! Format: `arn:partition:service:region:account-id:resource`, where the resource part may hold
//! further colons
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).

use super::account::AccountId;
use super::error::{ArnFieldRule, KmsKeyRule, PrincipalArnRule, TrailArnRule};
use super::partition::Partition;
use super::region::Region;

/// The colon-separated fields of `s`, at most six: the sixth keeps any further `:`. Patterns
/// (`*:*:…`) split too; the first field is not checked.
pub(crate) fn segments(s: &str) -> impl Iterator<Item = &str> {
    s.splitn(6, ':')
}

/// The six [`segments`] of `s`; `None` unless there are six.
pub(crate) fn fields(s: &str) -> Option<[&str; 6]> {
    let mut parts = segments(s);
    Some([
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ])
}

/// [`fields`] of a text that starts with `arn:`.
pub(crate) fn split(s: &str) -> Option<[&str; 6]> {
    fields(s).filter(|[arn, ..]| *arn == "arn")
}

/// The account field of an ARN (`arn:aws:iam::111122223333:role/R` → `111122223333`), as
/// written: empty for S3 buckets, possibly a wildcard in a pattern.
pub(crate) fn account_field(s: &str) -> Option<&str> {
    split(s).map(|[.., account, _]| account)
}

/// `arn:<partition>:<service>:<region>:<account>:<resource>`; `region` and `account` may be
/// empty (IAM, S3) or a wildcard (a pattern).
pub(crate) fn format(
    partition: Partition,
    service: &str,
    region: &str,
    account: &str,
    resource: &str,
) -> String {
    format!("arn:{partition}:{service}:{region}:{account}:{resource}")
}

/// Six fields joined with colons, the inverse of [`fields`]: for ARNs and ARN patterns whose
/// fields are text (a wildcard partition, a made-up account), which [`format`] cannot take.
pub(crate) fn join(fields: [&str; 6]) -> String {
    fields.join(":")
}

/// `arn:<partition>:<service>`: the service-wide form CloudTrail's data-resource selectors take
/// for "every resource of the type".
pub(crate) fn service_wide(partition: Partition, service: &str) -> String {
    format!("arn:{partition}:{service}")
}

/// Why an ARN was rejected: not of the shape its type needs, or a common field is invalid;
/// each typed ARN maps it into its own rule enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArnRule {
    /// Not six fields starting with `arn`, another service, or a Region where none belongs.
    Malformed,
    /// An invalid partition, Region or account.
    Field(ArnFieldRule),
}

impl From<ArnFieldRule> for ArnRule {
    fn from(rule: ArnFieldRule) -> Self {
        ArnRule::Field(rule)
    }
}

/// What the Region field of an ARN holds: a [`Region`] for regional resources (trails, KMS
/// keys), nothing for global ones (IAM).
pub(crate) trait RegionField: Sized {
    /// Reads the field for an ARN of `partition`.
    fn read(field: &str, partition: Partition) -> Result<Self, ArnRule>;
}

impl RegionField for Region {
    fn read(field: &str, partition: Partition) -> Result<Self, ArnRule> {
        let region = Region::parse(field).map_err(ArnFieldRule::Region)?;
        if region.partition() == partition {
            Ok(region)
        } else {
            Err(ArnFieldRule::RegionNotInPartition.into())
        }
    }
}

/// A global ARN's empty Region field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Global;

impl RegionField for Global {
    fn read(field: &str, _: Partition) -> Result<Self, ArnRule> {
        if field.is_empty() {
            Ok(Global)
        } else {
            Err(ArnRule::Malformed)
        }
    }
}

/// A parsed ARN of one account's resource: the text, parsed once, with its typed partition,
/// Region field and account, and where the resource part starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Arn<R> {
    // INVARIANT: text == format(partition, service, region, account, resource) and
    // text[resource_at..] is the resource part. `text` comes first so that the derived order is
    // the textual order.
    text: String,
    partition: Partition,
    region: R,
    account: AccountId,
    resource_at: usize,
}

impl<R: RegionField> Arn<R> {
    /// Parses `s` as an ARN of `service`. Checks, in order: the shape and service, the
    /// partition, the Region (and that it belongs to the partition), the account.
    pub(crate) fn parse(s: &str, service: &str) -> Result<Self, ArnRule> {
        let [_, partition, found, region, account, resource] =
            split(s).ok_or(ArnRule::Malformed)?;
        if found != service {
            return Err(ArnRule::Malformed);
        }
        let partition = Partition::parse(partition).ok_or(ArnFieldRule::Partition)?;
        let region = R::read(region, partition)?;
        let account = AccountId::parse(account).map_err(|_| ArnFieldRule::Account)?;
        Ok(Arn {
            text: s.to_owned(),
            partition,
            region,
            account,
            resource_at: s.len() - resource.len(),
        })
    }

    /// The ARN.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The partition.
    pub(crate) fn partition(&self) -> Partition {
        self.partition
    }

    /// The Region field.
    pub(crate) fn region(&self) -> &R {
        &self.region
    }

    /// The account.
    pub(crate) fn account(&self) -> &AccountId {
        &self.account
    }

    /// The resource part, after the fifth colon.
    pub(crate) fn resource(&self) -> &str {
        self.text.get(self.resource_at..).unwrap_or_default()
    }
}

impl Arn<Region> {
    /// The ARN of `resource` of `service` in `region` and `account`.
    pub(crate) fn new(
        partition: Partition,
        service: &str,
        region: Region,
        account: AccountId,
        resource: &str,
    ) -> Result<Self, ArnRule> {
        if region.partition() != partition {
            return Err(ArnFieldRule::RegionNotInPartition.into());
        }
        Ok(Self::in_region(region, service, account, resource))
    }

    /// The ARN of `resource` of `service` in `region` (and its partition) and `account`.
    pub(crate) fn in_region(
        region: Region,
        service: &str,
        account: AccountId,
        resource: &str,
    ) -> Self {
        let partition = region.partition();
        let text = format(
            partition,
            service,
            region.as_str(),
            account.as_str(),
            resource,
        );
        Arn {
            resource_at: text.len() - resource.len(),
            text,
            partition,
            region,
            account,
        }
    }
}

impl Arn<Global> {
    /// The ARN of `resource` of the global `service` (IAM) in `account`.
    pub(crate) fn global(
        partition: Partition,
        service: &str,
        account: AccountId,
        resource: &str,
    ) -> Self {
        let text = format(partition, service, "", account.as_str(), resource);
        Arn {
            resource_at: text.len() - resource.len(),
            text,
            partition,
            region: Global,
            account,
        }
    }
}

impl From<ArnRule> for TrailArnRule {
    fn from(rule: ArnRule) -> Self {
        match rule {
            ArnRule::Malformed => TrailArnRule::Malformed,
            ArnRule::Field(f) => TrailArnRule::Field(f),
        }
    }
}

impl From<ArnRule> for KmsKeyRule {
    fn from(rule: ArnRule) -> Self {
        match rule {
            ArnRule::Malformed => KmsKeyRule::Malformed,
            ArnRule::Field(f) => KmsKeyRule::Field(f),
        }
    }
}

impl From<ArnRule> for PrincipalArnRule {
    fn from(rule: ArnRule) -> Self {
        match rule {
            // IAM ARNs have no Region: a Region field is a malformed principal.
            ArnRule::Malformed
            | ArnRule::Field(ArnFieldRule::Region(_) | ArnFieldRule::RegionNotInPartition) => {
                PrincipalArnRule::Malformed
            }
            ArnRule::Field(f) => PrincipalArnRule::Field(f),
        }
    }
}

/// The accessors every typed ARN shares, delegated to its `arn: Arn<_>` field: `as_str`,
/// `partition`, `account`, and `region` for regional ARNs.
macro_rules! arn_accessors {
    ($ty:ident) => {
        impl $ty {
            /// The ARN.
            #[must_use]
            pub fn as_str(&self) -> &str {
                self.arn.as_str()
            }

            /// The partition.
            #[must_use]
            pub fn partition(&self) -> $crate::id::partition::Partition {
                self.arn.partition()
            }

            /// The account that owns the resource.
            #[must_use]
            pub fn account(&self) -> &$crate::id::account::AccountId {
                self.arn.account()
            }
        }
    };
    ($ty:ident, regional) => {
        $crate::id::arn::arn_accessors!($ty);

        impl $ty {
            /// The Region of the resource.
            #[must_use]
            pub fn region(&self) -> &$crate::id::region::Region {
                self.arn.region()
            }
        }
    };
}
pub(crate) use arn_accessors;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::error::RegionRule;

    #[test]
    fn fields_and_split() {
        assert_eq!(
            split("arn:aws:kms:us-east-1:111122223333:alias/a:b"),
            Some([
                "arn",
                "aws",
                "kms",
                "us-east-1",
                "111122223333",
                "alias/a:b"
            ])
        );
        assert_eq!(split("arn:aws:kms"), None);
        assert_eq!(split("urn:aws:kms:r:a:b"), None);
        assert_eq!(fields("*:*:*:*:*:*"), Some(["*"; 6]));
        assert_eq!(
            account_field("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(account_field("arn:aws:s3:::bucket"), Some(""));
    }

    #[test]
    fn parse_and_build_agree() {
        let region = Region::parse("eu-west-1").unwrap();
        let account = AccountId::parse("111122223333").unwrap();
        let built = Arn::new(Partition::Aws, "cloudtrail", region, account, "trail/t:x").unwrap();
        let parsed: Arn<Region> = Arn::parse(built.as_str(), "cloudtrail").unwrap();
        assert_eq!(built, parsed);
        assert_eq!(parsed.resource(), "trail/t:x");
        assert_eq!(
            parsed.as_str(),
            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t:x"
        );
        let global: Arn<Global> = Arn::parse("arn:aws-cn:iam::111122223333:root", "iam").unwrap();
        assert_eq!(global.resource(), "root");
        assert_eq!(global.partition(), Partition::AwsCn);
    }

    #[test]
    fn each_field_is_checked() {
        let err = |s: &str| Arn::<Region>::parse(s, "kms").unwrap_err();
        assert_eq!(
            err("arn:aws:s3:us-east-1:111122223333:key/k"),
            ArnRule::Malformed
        );
        let field = ArnRule::Field;
        assert_eq!(
            err("arn:awsx:kms:us-east-1:111122223333:key/k"),
            field(ArnFieldRule::Partition)
        );
        assert_eq!(
            err("arn:aws:kms::111122223333:key/k"),
            field(ArnFieldRule::Region(RegionRule::Empty))
        );
        assert_eq!(
            err("arn:aws-cn:kms:us-east-1:111122223333:key/k"),
            field(ArnFieldRule::RegionNotInPartition)
        );
        assert_eq!(
            err("arn:aws:kms:us-east-1:1111:key/k"),
            field(ArnFieldRule::Account)
        );
        assert_eq!(
            Arn::<Global>::parse("arn:aws:iam:us-east-1:111122223333:root", "iam"),
            Err(ArnRule::Malformed)
        );
        let region = Region::parse("cn-north-1").unwrap();
        let account = AccountId::parse("111122223333").unwrap();
        assert_eq!(
            Arn::new(Partition::Aws, "kms", region, account, "key/k"),
            Err(ArnRule::Field(ArnFieldRule::RegionNotInPartition))
        );
    }
}
