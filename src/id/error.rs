//! Why an identifier was rejected.
//!
//! Every identifier parser returns [`ParseError`]. Each variant carries the input exactly as
//! given (never truncated: identifiers are short, and a caller who passes a long string wants to
//! see all of it) and a small `Copy` reason enum naming the broken rule in words.
//!
//! Messages follow the cedar style: lowercase, no trailing period, input in backticks, one line.

use thiserror::Error;

/// An identifier could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ParseError {
    /// An AWS account id.
    #[error("invalid account id `{input}`: {reason}")]
    AccountId {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: AccountIdRule,
    },
    /// An AWS Organizations organization id.
    #[error("invalid organization id `{input}`: {reason}")]
    OrganizationId {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: OrganizationIdRule,
    },
    /// An AWS partition.
    #[error("invalid partition `{input}`: {reason}")]
    Partition {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: PartitionRule,
    },
    /// An AWS Region code.
    #[error("invalid region `{input}`: {reason}")]
    Region {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: RegionRule,
    },
    /// An S3 general purpose bucket name.
    #[error("invalid bucket name `{input}`: {reason}")]
    BucketName {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: BucketNameRule,
    },
    /// A trail's S3 key prefix.
    #[error("invalid s3 key prefix `{input}`: {reason}")]
    KeyPrefix {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: KeyPrefixRule,
    },
    /// A CloudTrail trail name.
    #[error("invalid trail name `{input}`: {reason}")]
    TrailName {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: TrailNameRule,
    },
    /// A CloudTrail trail ARN.
    #[error("invalid trail arn `{input}`: {reason}")]
    TrailArn {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: TrailArnRule,
    },
    /// A KMS key reference (key id, key ARN, alias name or alias ARN).
    #[error("invalid kms key reference `{input}`: {reason}")]
    KmsKeyRef {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: KmsKeyRule,
    },
    /// An IAM principal ARN (account root, role or user).
    #[error("invalid principal arn `{input}`: {reason}")]
    PrincipalArn {
        /// The rejected input, as given.
        input: String,
        /// The broken rule.
        reason: PrincipalArnRule,
    },
}

/// Why an account id was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum AccountIdRule {
    /// Not exactly 12 ASCII digits.
    #[error("expected exactly 12 digits")]
    Not12Digits,
}

/// Why an organization id was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum OrganizationIdRule {
    /// Does not start with `o-`.
    #[error("expected the prefix `o-`")]
    MissingPrefix,
    /// Fewer than 10 or more than 32 characters after `o-`.
    #[error("expected 10 to 32 characters after `o-`")]
    Length,
    /// A character other than a lowercase letter or digit after `o-`.
    #[error("only lowercase letters and digits are allowed after `o-`")]
    InvalidCharacter,
}

/// Why a partition was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum PartitionRule {
    /// Not one of the known partition ids.
    #[error(
        "expected one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`"
    )]
    Unknown,
}

/// Why a region code was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum RegionRule {
    /// The empty string.
    #[error("region codes must not be empty")]
    Empty,
    /// An uppercase ASCII letter.
    #[error("uppercase letters are not allowed in region codes")]
    Uppercase,
    /// A character other than a lowercase letter, digit or `-`.
    #[error("only lowercase letters, digits and `-` are allowed in region codes")]
    InvalidCharacter,
    /// Well-formed characters, but no partition's region pattern matches.
    #[error(
        "expected a region code like `us-east-1` that matches the region pattern of a partition"
    )]
    NoPartitionMatches,
}

/// Why a bucket name was rejected. The rule numbers follow the order of the bullet list on
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>, counting
/// `sthree-configurator` (8), which only some versions of the page list separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum BucketNameRule {
    /// Rule 1: 3 to 63 characters.
    #[error("bucket names must be 3 to 63 characters long")]
    Length,
    /// Rule 2: an uppercase letter.
    #[error("uppercase letters are not allowed in bucket names")]
    Uppercase,
    /// Rule 2: a character other than a lowercase letter, digit, `.` or `-`.
    #[error("only lowercase letters, digits, `.` and `-` are allowed in bucket names")]
    InvalidCharacter,
    /// Rule 3: must begin and end with a letter or digit.
    #[error("bucket names must begin and end with a letter or digit")]
    StartOrEnd,
    /// Rule 4: two adjacent periods.
    #[error("bucket names must not contain two adjacent periods")]
    AdjacentPeriods,
    /// Rule 5: formatted as an IP address.
    #[error("bucket names must not be formatted as an ip address")]
    IpAddress,
    /// Rule 6: the reserved prefix `xn--`.
    #[error("bucket names must not start with `xn--`")]
    PrefixXn,
    /// Rules 7 and 8: the reserved prefix `sthree-` (which covers `sthree-configurator`).
    #[error("bucket names must not start with `sthree-`")]
    PrefixSthree,
    /// Rule 9: the reserved prefix `amzn-s3-demo-`.
    #[error("bucket names must not start with `amzn-s3-demo-`")]
    PrefixAmznS3Demo,
    /// Rule 10: the suffix `-s3alias`, reserved for access point aliases.
    #[error("bucket names must not end with `-s3alias`")]
    SuffixS3Alias,
    /// Rule 11: the suffix `--ol-s3`, reserved for Object Lambda Access Point aliases.
    #[error("bucket names must not end with `--ol-s3`")]
    SuffixOlS3,
    /// Rule 12: the suffix `.mrap`, reserved for Multi-Region Access Points.
    #[error("bucket names must not end with `.mrap`")]
    SuffixMrap,
    /// Rule 13: the suffix `--x-s3`, reserved for directory buckets.
    #[error("bucket names must not end with `--x-s3`")]
    SuffixXS3,
    /// Rule 14: the suffix `--table-s3`, reserved for S3 Tables buckets.
    #[error("bucket names must not end with `--table-s3`")]
    SuffixTableS3,
    /// CloudTrail's stricter rule: a dash adjacent to a period.
    #[error("cloudtrail does not accept a dash adjacent to a period in bucket names")]
    DashAdjacentToPeriod,
}

/// Why an S3 key prefix was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum KeyPrefixRule {
    /// The empty string (omit the prefix instead).
    #[error("s3 key prefixes must not be empty; omit the prefix instead")]
    Empty,
    /// More than 200 characters.
    #[error("s3 key prefixes must be at most 200 characters")]
    TooLong,
    /// Starts with `/`.
    #[error("s3 key prefixes must not start with `/`")]
    LeadingSlash,
    /// Ends with `/`.
    #[error("s3 key prefixes must not end with `/`; the `/` before `AWSLogs` is added for you")]
    TrailingSlash,
    /// Two adjacent `/`.
    #[error("s3 key prefixes must not contain an empty segment (`//`)")]
    EmptySegment,
    /// A segment equal to `AWSLogs`.
    #[error("s3 key prefixes must not contain an `AWSLogs` segment")]
    AwsLogs,
    /// An ASCII control character.
    #[error("control characters are not allowed in s3 key prefixes")]
    ControlCharacter,
    /// A character above U+00FF, which IAM policy documents cannot contain.
    #[error("characters above U+00FF are not allowed because policy documents cannot contain them")]
    OutsideLatin1,
    /// `*`, `?` or `$`, which would act as a wildcard or policy variable in a Resource ARN.
    #[error(
        "`*`, `?` and `$` are not allowed because they would act as wildcards or policy variables in the policy resource"
    )]
    Wildcard,
}

/// Why a trail name was rejected. The rules are those of
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum TrailNameRule {
    /// A character other than an ASCII letter, digit, `.`, `_` or `-`.
    #[error("only ascii letters, digits, `.`, `_` and `-` are allowed in trail names")]
    InvalidCharacter,
    /// Does not start and end with a letter or digit.
    #[error("trail names must start and end with a letter or digit")]
    StartOrEnd,
    /// Fewer than 3 or more than 128 characters.
    #[error("trail names must be 3 to 128 characters long")]
    Length,
    /// Two adjacent characters from `.`, `_` and `-`.
    #[error("trail names must not contain adjacent periods, underscores or dashes")]
    AdjacentPunctuation,
    /// Formatted as an IP address.
    #[error("trail names must not be formatted as an ip address")]
    IpAddress,
}

/// Why a field that every ARN has (partition, Region, account) was rejected
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum ArnFieldRule {
    /// The partition part is not a known partition.
    #[error("the partition is not a known aws partition")]
    Partition,
    /// The region part is invalid.
    #[error("the region is invalid: {0}")]
    Region(RegionRule),
    /// The region does not belong to the partition.
    #[error("the region does not belong to the partition")]
    RegionNotInPartition,
    /// The account part is invalid.
    #[error("the account id must be exactly 12 digits")]
    Account,
}

/// Why a trail ARN was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum TrailArnRule {
    /// Not of the shape `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`.
    #[error("expected `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`")]
    Malformed,
    /// A field every ARN has is invalid.
    #[error(transparent)]
    Field(ArnFieldRule),
    /// The trail name part is invalid.
    #[error("the trail name is invalid: {0}")]
    Name(TrailNameRule),
}

/// Why a KMS key reference was rejected. The formats are those of
/// <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id> and, for alias
/// names, of the KMS `CreateAlias` API reference,
/// <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum KmsKeyRule {
    /// Not a key id, a key ARN, an alias ARN or `alias/<name>`.
    #[error(
        "expected a key id, `alias/<name>`, `arn:<partition>:kms:<region>:<account>:key/<key-id>` or `arn:<partition>:kms:<region>:<account>:alias/<name>`"
    )]
    Malformed,
    /// The key id is not a lowercase UUID or `mrk-` followed by 32 lowercase hex digits.
    #[error(
        "the key id must be a lowercase uuid (8-4-4-4-12 hex digits) or `mrk-` followed by 32 lowercase hex digits"
    )]
    KeyId,
    /// Nothing after `alias/`.
    #[error("the alias name must not be empty after `alias/`")]
    AliasEmpty,
    /// More than 256 characters.
    #[error("alias names must be at most 256 characters")]
    AliasTooLong,
    /// A character other than a letter, digit, `/`, `_` or `-`.
    #[error("only letters, digits, `/`, `_` and `-` are allowed in alias names")]
    AliasCharacter,
    /// Starts with the reserved `alias/aws/`.
    #[error("alias names must not begin with `alias/aws/`, which is reserved for aws managed keys")]
    AliasReserved,
    /// A field every ARN has is invalid.
    #[error(transparent)]
    Field(ArnFieldRule),
}

/// Why an IAM principal ARN was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum PrincipalArnRule {
    /// Not of the shape `arn:<partition>:iam::<account>:root|role/…|user/…`.
    #[error(
        "expected `arn:<partition>:iam::<account>:root`, `arn:<partition>:iam::<account>:role/<name>` or `arn:<partition>:iam::<account>:user/<name>`"
    )]
    Malformed,
    /// `*`, `?` or `$` anywhere.
    #[error(
        "`*`, `?` and `$` are not allowed because they would act as wildcards or policy variables"
    )]
    Wildcard,
    /// A field every ARN has is invalid.
    #[error(transparent)]
    Field(ArnFieldRule),
    /// A role or user name of 0 or more than 64 characters.
    #[error("role and user names must be 1 to 64 characters long")]
    NameLength,
    /// A character outside `[A-Za-z0-9+=,.@_-]` in the name or path.
    #[error(
        "only ascii letters, digits and `+=,.@_-` are allowed in role and user names and paths"
    )]
    InvalidCharacter,
    /// An empty path segment (`//`).
    #[error("the path must not contain an empty segment")]
    EmptyPathSegment,
}
