//! The AWS CLI commands whose outputs the crate reads, with the error code each answers when
//! what it reads does not exist.

use std::fmt;

/// One AWS CLI command that reads part of the live state.
///
/// The "absent" codes are the errors AWS answers when the configuration was never set: a
/// bucket without a policy, lifecycle or Object Lock configuration, a trail without Insights,
/// an account outside any organization. They are not failures of the collection: the saved
/// error message says what is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// `aws sts get-caller-identity`: which account the credentials of a block belong to.
    GetCallerIdentity,
    /// `aws s3api get-bucket-policy`.
    GetBucketPolicy,
    /// `aws s3api get-bucket-location`.
    GetBucketLocation,
    /// `aws s3api get-bucket-encryption`.
    GetBucketEncryption,
    /// `aws s3api get-bucket-versioning`.
    GetBucketVersioning,
    /// `aws s3api get-public-access-block`.
    GetPublicAccessBlock,
    /// `aws s3api get-bucket-ownership-controls`.
    GetBucketOwnershipControls,
    /// `aws s3api get-bucket-logging`.
    GetBucketLogging,
    /// `aws s3api get-bucket-lifecycle-configuration`.
    GetBucketLifecycleConfiguration,
    /// `aws s3api get-object-lock-configuration`.
    GetObjectLockConfiguration,
    /// `aws kms get-key-policy`.
    GetKeyPolicy,
    /// `aws kms get-key-rotation-status`.
    GetKeyRotationStatus,
    /// `aws cloudtrail get-trail`.
    GetTrail,
    /// `aws cloudtrail get-trail-status`.
    GetTrailStatus,
    /// `aws cloudtrail get-event-selectors`.
    GetEventSelectors,
    /// `aws cloudtrail get-insight-selectors`.
    GetInsightSelectors,
    /// `aws organizations describe-organization`.
    DescribeOrganization,
    /// `aws organizations list-accounts`.
    ListAccounts,
}

impl Operation {
    /// Every operation, in the order a collection runs them.
    pub const ALL: [Operation; 18] = [
        Operation::GetCallerIdentity,
        Operation::GetBucketPolicy,
        Operation::GetBucketLocation,
        Operation::GetBucketEncryption,
        Operation::GetBucketVersioning,
        Operation::GetPublicAccessBlock,
        Operation::GetBucketOwnershipControls,
        Operation::GetBucketLogging,
        Operation::GetBucketLifecycleConfiguration,
        Operation::GetObjectLockConfiguration,
        Operation::GetKeyPolicy,
        Operation::GetKeyRotationStatus,
        Operation::GetTrail,
        Operation::GetTrailStatus,
        Operation::GetEventSelectors,
        Operation::GetInsightSelectors,
        Operation::DescribeOrganization,
        Operation::ListAccounts,
    ];

    /// The AWS CLI's service command: `s3api`, `kms`, `cloudtrail`, `organizations`, `sts`.
    pub fn service(self) -> &'static str {
        match self {
            Operation::GetCallerIdentity => "sts",
            Operation::GetBucketPolicy
            | Operation::GetBucketLocation
            | Operation::GetBucketEncryption
            | Operation::GetBucketVersioning
            | Operation::GetPublicAccessBlock
            | Operation::GetBucketOwnershipControls
            | Operation::GetBucketLogging
            | Operation::GetBucketLifecycleConfiguration
            | Operation::GetObjectLockConfiguration => "s3api",
            Operation::GetKeyPolicy | Operation::GetKeyRotationStatus => "kms",
            Operation::GetTrail
            | Operation::GetTrailStatus
            | Operation::GetEventSelectors
            | Operation::GetInsightSelectors => "cloudtrail",
            Operation::DescribeOrganization | Operation::ListAccounts => "organizations",
        }
    }

    /// The command name, e.g. `get-bucket-policy`: the last part of every file name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::GetCallerIdentity => "get-caller-identity",
            Operation::GetBucketPolicy => "get-bucket-policy",
            Operation::GetBucketLocation => "get-bucket-location",
            Operation::GetBucketEncryption => "get-bucket-encryption",
            Operation::GetBucketVersioning => "get-bucket-versioning",
            Operation::GetPublicAccessBlock => "get-public-access-block",
            Operation::GetBucketOwnershipControls => "get-bucket-ownership-controls",
            Operation::GetBucketLogging => "get-bucket-logging",
            Operation::GetBucketLifecycleConfiguration => "get-bucket-lifecycle-configuration",
            Operation::GetObjectLockConfiguration => "get-object-lock-configuration",
            Operation::GetKeyPolicy => "get-key-policy",
            Operation::GetKeyRotationStatus => "get-key-rotation-status",
            Operation::GetTrail => "get-trail",
            Operation::GetTrailStatus => "get-trail-status",
            Operation::GetEventSelectors => "get-event-selectors",
            Operation::GetInsightSelectors => "get-insight-selectors",
            Operation::DescribeOrganization => "describe-organization",
            Operation::ListAccounts => "list-accounts",
        }
    }

    /// The operation a command name stands for.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// The error code AWS answers when what the command reads was never set (or, for the trail
    /// commands, the trail does not exist), if it has one. `NoSuchBucketPolicy`,
    /// `NoSuchLifecycleConfiguration` and `ObjectLockConfigurationNotFoundError` are on S3's
    /// list of error codes
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>);
    /// `ServerSideEncryptionConfigurationNotFoundError`, `NoSuchPublicAccessBlockConfiguration`
    /// and `OwnershipControlsNotFoundError` are not: they are the codes moto's S3 answers (its
    /// emulation of AWS; of the absent configurations, only lifecycle and Object Lock are among
    /// the fixtures in `tests/fixtures/live/`), unconfirmed against AWS. `TrailNotFoundException` and
    /// `InsightNotEnabledException` are on CloudTrail's operation pages
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html>,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetInsightSelectors.html>),
    /// `AWSOrganizationsNotInUseException` on Organizations'
    /// (<https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html>).
    /// Any other error (`AccessDenied`, an expired token…) means the collection failed.
    pub fn absent_code(self) -> Option<&'static str> {
        match self {
            Operation::GetBucketPolicy => Some("NoSuchBucketPolicy"),
            Operation::GetBucketEncryption => {
                Some("ServerSideEncryptionConfigurationNotFoundError")
            }
            Operation::GetPublicAccessBlock => Some("NoSuchPublicAccessBlockConfiguration"),
            Operation::GetBucketOwnershipControls => Some("OwnershipControlsNotFoundError"),
            Operation::GetBucketLifecycleConfiguration => Some("NoSuchLifecycleConfiguration"),
            Operation::GetObjectLockConfiguration => Some("ObjectLockConfigurationNotFoundError"),
            Operation::GetInsightSelectors => Some("InsightNotEnabledException"),
            Operation::DescribeOrganization | Operation::ListAccounts => {
                Some("AWSOrganizationsNotInUseException")
            }
            Operation::GetTrail | Operation::GetTrailStatus | Operation::GetEventSelectors => {
                Some("TrailNotFoundException")
            }
            Operation::GetCallerIdentity
            | Operation::GetBucketLocation
            | Operation::GetBucketVersioning
            | Operation::GetBucketLogging
            | Operation::GetKeyPolicy
            | Operation::GetKeyRotationStatus => None,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "aws {} {}", self.service(), self.as_str())
    }
}
