//! Deployment files from a [`Plan`]: the log-archive bucket's settings as S3 request
//! bodies for the AWS CLI's `--cli-input-json`, and CloudFormation templates for the log archive
//! and for each trail.
//!
//! Every request body uses the member names of the S3 API model (checked by the tests against a
//! trimmed copy of botocore's `s3/2006-03-01/service-2.json`,
//! `tests/fixtures/s3-api-shapes.json`); every template property was checked against the
//! CloudFormation resource schemas and by `cfn-lint` (see the README's "Deploying" section).
//!
//! [`files`] gives every file with its name, so a caller can write them without knowing them.

use std::num::NonZeroU32;

use serde::Serialize;

use crate::id::{BucketName, KmsAliasArn, KmsAliasName, KmsKeyRef};
use crate::plan::Plan;

mod cfn;

pub use cfn::{log_archive_template, trail_template};

/// The Object Lock retention mode of a bucket's default retention.
///
/// The S3 API model's `ObjectLockRetentionMode` enum: `GOVERNANCE`, `COMPLIANCE`
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html>). In governance
/// mode, users with `s3:BypassGovernanceRetention` can still delete; in compliance mode nobody can,
/// the root user included, until the retention ends
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum RetentionMode {
    /// `GOVERNANCE`.
    #[serde(rename = "GOVERNANCE")]
    Governance,
    /// `COMPLIANCE`.
    #[serde(rename = "COMPLIANCE")]
    Compliance,
}

/// A bucket's default Object Lock retention: a mode and a number of days (at least 1).
///
/// "Object Lock works only in versioned buckets"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html>): the settings
/// always enable versioning, and the README runs `put-bucket-versioning` before
/// `put-object-lock-configuration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectLock {
    mode: RetentionMode,
    days: NonZeroU32,
}

impl ObjectLock {
    /// A default retention of `days` days in `mode`.
    #[must_use]
    pub fn new(mode: RetentionMode, days: NonZeroU32) -> Self {
        ObjectLock { mode, days }
    }

    /// The retention mode.
    pub fn mode(&self) -> RetentionMode {
        self.mode
    }

    /// The retention period in days.
    pub fn days(&self) -> u32 {
        self.days.get()
    }
}

/// A KMS key that the log-archive stack creates, with an alias so that trails in other accounts
/// can name it before its key id exists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatedKey {
    alias: KmsAliasName,
    alias_arn: KmsAliasArn,
}

impl CreatedKey {
    pub(crate) fn new(alias: KmsAliasName, alias_arn: KmsAliasArn) -> Self {
        CreatedKey { alias, alias_arn }
    }

    /// The alias name, `alias/…`.
    pub fn alias(&self) -> &KmsAliasName {
        &self.alias
    }

    /// The alias ARN in the log-archive account and region; the trails' `KmsKeyId`.
    pub fn alias_arn(&self) -> &KmsAliasArn {
        &self.alias_arn
    }
}

/// `PutPublicAccessBlock`'s `PublicAccessBlockConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlockConfiguration {
    block_public_acls: bool,
    ignore_public_acls: bool,
    block_public_policy: bool,
    restrict_public_buckets: bool,
}

/// `PutPublicAccessBlock` request: all four blocks on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutPublicAccessBlockRequest {
    bucket: BucketName,
    public_access_block_configuration: PublicAccessBlockConfiguration,
}

/// `ServerSideEncryptionByDefault` (the S3 API's; CloudFormation calls the same object
/// `ServerSideEncryptionByDefault` inside a rule, while the API's rule member is
/// `ApplyServerSideEncryptionByDefault`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerSideEncryptionByDefault {
    #[serde(rename = "SSEAlgorithm")]
    sse_algorithm: &'static str,
    #[serde(rename = "KMSMasterKeyID", skip_serializing_if = "Option::is_none")]
    kms_master_key_id: Option<String>,
}

/// One `ServerSideEncryptionRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServerSideEncryptionRule {
    apply_server_side_encryption_by_default: ServerSideEncryptionByDefault,
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket_key_enabled: Option<bool>,
}

/// `ServerSideEncryptionConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServerSideEncryptionConfiguration {
    // INVARIANT: exactly one rule.
    rules: Vec<ServerSideEncryptionRule>,
}

/// `PutBucketEncryption` request: SSE-KMS with the plan's key (and the Bucket Key setting), or
/// SSE-S3 (`AES256`) without a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutBucketEncryptionRequest {
    bucket: BucketName,
    server_side_encryption_configuration: ServerSideEncryptionConfiguration,
}

/// `VersioningConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersioningConfiguration {
    status: &'static str,
}

/// `PutBucketVersioning` request: `Enabled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutBucketVersioningRequest {
    bucket: BucketName,
    versioning_configuration: VersioningConfiguration,
}

/// One `OwnershipControlsRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipControlsRule {
    object_ownership: &'static str,
}

/// `OwnershipControls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipControls {
    rules: Vec<OwnershipControlsRule>,
}

/// `PutBucketOwnershipControls` request: `BucketOwnerEnforced`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutBucketOwnershipControlsRequest {
    bucket: BucketName,
    ownership_controls: OwnershipControls,
}

/// `DefaultRetention`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DefaultRetention {
    mode: RetentionMode,
    days: u32,
}

/// `ObjectLockRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ObjectLockRule {
    default_retention: DefaultRetention,
}

/// `ObjectLockConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ObjectLockConfiguration {
    object_lock_enabled: &'static str,
    rule: ObjectLockRule,
}

/// `PutObjectLockConfiguration` request: `Enabled` with the default retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutObjectLockConfigurationRequest {
    bucket: BucketName,
    object_lock_configuration: ObjectLockConfiguration,
}

/// The log-archive bucket's settings, as S3 request bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSettings {
    public_access_block: PutPublicAccessBlockRequest,
    encryption: PutBucketEncryptionRequest,
    versioning: PutBucketVersioningRequest,
    ownership: PutBucketOwnershipControlsRequest,
    object_lock: Option<PutObjectLockConfigurationRequest>,
}

/// The Object Ownership setting: ACLs disabled. S3 then "accepts only PUT requests that do not
/// specify an ACL or PUT requests with bucket owner full control ACLs, such as the
/// `bucket-owner-full-control` canned ACL"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>; same
/// words in <https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html>), so
/// CloudTrail's uploads, which the bucket policy requires to carry that ACL, keep working.
pub const OBJECT_OWNERSHIP: &str = "BucketOwnerEnforced";

impl BucketSettings {
    /// The settings of `plan`'s log-archive bucket.
    ///
    /// - Public access block: all four settings on
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html>).
    /// - Encryption: `aws:kms` with [`Plan::kms_key`] as `KMSMasterKeyID` and
    ///   `BucketKeyEnabled` as the spec's `bucket_key`, or `AES256` without a key
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html>).
    /// - Versioning: `Enabled`
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html>).
    /// - Ownership: [`OBJECT_OWNERSHIP`]
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html>).
    /// - Object Lock, when [`Plan::object_lock`] is set
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html>).
    pub fn from_plan(plan: &Plan) -> BucketSettings {
        let bucket = plan.intent().bucket().clone();
        let by_default = match plan.kms_key() {
            Some(key) => ServerSideEncryptionByDefault {
                sse_algorithm: "aws:kms",
                kms_master_key_id: Some(key.as_str().to_owned()),
            },
            None => ServerSideEncryptionByDefault {
                sse_algorithm: "AES256",
                kms_master_key_id: None,
            },
        };
        BucketSettings {
            public_access_block: PutPublicAccessBlockRequest {
                bucket: bucket.clone(),
                public_access_block_configuration: PublicAccessBlockConfiguration {
                    block_public_acls: true,
                    ignore_public_acls: true,
                    block_public_policy: true,
                    restrict_public_buckets: true,
                },
            },
            encryption: PutBucketEncryptionRequest {
                bucket: bucket.clone(),
                server_side_encryption_configuration: ServerSideEncryptionConfiguration {
                    rules: vec![ServerSideEncryptionRule {
                        apply_server_side_encryption_by_default: by_default,
                        // The Bucket Key applies to SSE-KMS only.
                        bucket_key_enabled: plan.kms_key().map(|_| plan.intent().bucket_key()),
                    }],
                },
            },
            versioning: PutBucketVersioningRequest {
                bucket: bucket.clone(),
                versioning_configuration: VersioningConfiguration { status: "Enabled" },
            },
            ownership: PutBucketOwnershipControlsRequest {
                bucket: bucket.clone(),
                ownership_controls: OwnershipControls {
                    rules: vec![OwnershipControlsRule {
                        object_ownership: OBJECT_OWNERSHIP,
                    }],
                },
            },
            object_lock: plan
                .object_lock()
                .map(|lock| PutObjectLockConfigurationRequest {
                    bucket,
                    object_lock_configuration: ObjectLockConfiguration {
                        object_lock_enabled: "Enabled",
                        rule: ObjectLockRule {
                            default_retention: DefaultRetention {
                                mode: lock.mode(),
                                days: lock.days(),
                            },
                        },
                    },
                }),
        }
    }

    /// The `PutPublicAccessBlock` request.
    pub fn public_access_block(&self) -> &PutPublicAccessBlockRequest {
        &self.public_access_block
    }

    /// The `PutBucketEncryption` request.
    pub fn encryption(&self) -> &PutBucketEncryptionRequest {
        &self.encryption
    }

    /// The `PutBucketVersioning` request.
    pub fn versioning(&self) -> &PutBucketVersioningRequest {
        &self.versioning
    }

    /// The `PutBucketOwnershipControls` request.
    pub fn ownership(&self) -> &PutBucketOwnershipControlsRequest {
        &self.ownership
    }

    /// The `PutObjectLockConfiguration` request, when the spec asks for Object Lock.
    pub fn object_lock(&self) -> Option<&PutObjectLockConfigurationRequest> {
        self.object_lock.as_ref()
    }
}

/// Pretty JSON with a final newline. The bodies and templates are plain data (strings, bools,
/// numbers and maps with string keys), which `serde_json` always serializes.
fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Every deployment file of `plan`, as `(relative path, contents)`, in a fixed order:
///
/// - `log-archive.public-access-block.json`, `log-archive.bucket-encryption.json`,
///   `log-archive.bucket-versioning.json`, `log-archive.ownership-controls.json`, and
///   `log-archive.object-lock.json` when the spec asks for Object Lock: request bodies for
///   `aws s3api put-public-access-block --cli-input-json file://…` and so on;
/// - `cloudformation/log-archive.cfn.json`: the log-archive stack;
/// - `cloudformation/<account>-<trail>.cfn.json`: one stack per trail.
///
/// ```
/// use cloudtrail_policy::{deploy, plan::Plan, spec::Spec};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let plan = Plan::from_spec(&Spec::example()?)?;
/// let names: Vec<String> = deploy::files(&plan).into_iter().map(|(name, _)| name).collect();
/// assert_eq!(names.last().map(String::as_str), Some("cloudformation/111111111111-org-trail.cfn.json"));
/// # Ok(()) }
/// ```
pub fn files(plan: &Plan) -> Vec<(String, String)> {
    let settings = BucketSettings::from_plan(plan);
    let mut out = vec![
        (
            "log-archive.public-access-block.json".to_owned(),
            pretty(settings.public_access_block()),
        ),
        (
            "log-archive.bucket-encryption.json".to_owned(),
            pretty(settings.encryption()),
        ),
        (
            "log-archive.bucket-versioning.json".to_owned(),
            pretty(settings.versioning()),
        ),
        (
            "log-archive.ownership-controls.json".to_owned(),
            pretty(settings.ownership()),
        ),
    ];
    if let Some(lock) = settings.object_lock() {
        out.push(("log-archive.object-lock.json".to_owned(), pretty(lock)));
    }
    out.push((
        "cloudformation/log-archive.cfn.json".to_owned(),
        pretty(&log_archive_template(plan)),
    ));
    for trail in plan.trails() {
        out.push((
            format!("cloudformation/{}.cfn.json", trail.file_stem()),
            pretty(&trail_template(plan, trail)),
        ));
    }
    out
}

/// The key reference a template gives CloudFormation: the key ARN, alias ARN, alias name or
/// key id as the spec or plan names it.
fn key_string(key: &KmsKeyRef) -> String {
    key.as_str().to_owned()
}
