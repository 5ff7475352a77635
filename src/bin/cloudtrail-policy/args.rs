//! Flags shared by several commands, and parsing a flag's value with the library's parser.

use clap::{Args, ValueEnum};
use cloudtrail_policy::{
    AccountId, BucketName, IntentBuilder, OrganizationId, PrincipalArn, TrailArn,
};

use crate::failure::Failure;

/// A flag's value through its type's parser, whose error names the input and the rule.
pub fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| e.to_string())
}

/// A bucket CloudTrail can deliver to: S3's naming rules and CloudTrail's stricter one (no dash
/// next to a period), which CreateTrail enforces with `InvalidS3BucketNameException`
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-s3-bucket-naming-requirements.html>).
/// Every command that takes a bucket refuses the same names.
pub fn cloudtrail_bucket(s: &str) -> Result<BucketName, String> {
    let bucket: BucketName = parse(s)?;
    bucket
        .check_cloudtrail()
        .map_err(|e| format!("{e} (CreateTrail fails with InvalidS3BucketNameException)"))?;
    Ok(bucket)
}

/// `text` or `json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Who delivers and who reads: the flags `bucket-policy` and `key-policy` share.
#[derive(Debug, Args)]
pub struct Delivery {
    /// A per-account trail that delivers (repeat).
    #[arg(long = "trail-arn", value_parser = parse::<TrailArn>)]
    trail_arns: Vec<TrailArn>,
    /// An account whose trails are not known yet (repeat).
    #[arg(long = "account", value_parser = parse::<AccountId>)]
    accounts: Vec<AccountId>,
    /// The organization id; the organization trail is `--org-trail-arn`, or else the only
    /// `--trail-arn`.
    #[arg(long, value_parser = parse::<OrganizationId>)]
    org_id: Option<OrganizationId>,
    /// The organization trail (owned by the management account).
    #[arg(long, value_parser = parse::<TrailArn>, requires = "org_id")]
    org_trail_arn: Option<TrailArn>,
    /// A principal that may read the logs (repeat).
    #[arg(long = "reader", value_parser = parse::<PrincipalArn>)]
    readers: Vec<PrincipalArn>,
}

impl Delivery {
    /// The partition of the first trail named, if any.
    pub fn partition(&self) -> Option<cloudtrail_policy::Partition> {
        self.trail_arns
            .first()
            .or(self.org_trail_arn.as_ref())
            .map(TrailArn::partition)
    }

    /// `b` with the trails, accounts, organization trail and readers; `command` names the policy
    /// in the error when nothing delivers.
    pub fn add_to(mut self, mut b: IntentBuilder, command: &str) -> Result<IntentBuilder, Failure> {
        if self.trail_arns.is_empty() && self.accounts.is_empty() && self.org_id.is_none() {
            let what = if command == "key-policy" {
                "no trail encrypts with the key"
            } else {
                "nothing delivers to the bucket"
            };
            return Err(Failure::input(format!(
                "{what}: name the trails with --trail-arn, accounts whose trails are not known with --account, or an organization trail with --org-id"
            )));
        }
        if let Some(org) = self.org_id {
            let trail = match self.org_trail_arn {
                Some(t) => t,
                None if self.trail_arns.len() == 1 => self.trail_arns.remove(0),
                None => {
                    return Err(Failure::input(
                        "--org-id needs the organization trail: give --org-trail-arn, or exactly one --trail-arn",
                    ));
                }
            };
            b = b.organization_trail(org, trail);
        }
        for t in self.trail_arns {
            b = b.trail(t);
        }
        for a in self.accounts {
            b = b.account(a);
        }
        for r in self.readers {
            b = b.reader(r);
        }
        Ok(b)
    }
}
