//! The log-archive bucket's own settings, as S3 request bodies for the AWS CLI's
//! `--cli-input-json`: public access block, default encryption, versioning, object ownership,
//! Object Lock, server access logging and lifecycle.
//!
//! Every request body uses the member names of the S3 API model (checked by the tests against a
//! trimmed copy of botocore's `s3/2006-03-01/service-2.json`,
//! `tests/fixtures/s3-api-shapes.json`).

use std::num::NonZeroU32;

use serde::Serialize;

use crate::access_logs::AccessLogs;
use crate::id::{BucketName, KmsKeyRef};

/// The Object Lock retention mode of a bucket's default retention.
///
/// The S3 API model's `ObjectLockRetentionMode` enum: `GOVERNANCE`, `COMPLIANCE`
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html>). In governance
/// mode, users with `s3:BypassGovernanceRetention` can still delete; in compliance mode nobody can,
/// the root user included, until the retention ends
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RetentionMode {
    /// `GOVERNANCE`.
    Governance,
    /// `COMPLIANCE`.
    Compliance,
}

impl RetentionMode {
    /// Both modes.
    pub const ALL: [RetentionMode; 2] = [RetentionMode::Governance, RetentionMode::Compliance];

    /// The mode as S3 and CloudFormation write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionMode::Governance => "GOVERNANCE",
            RetentionMode::Compliance => "COMPLIANCE",
        }
    }
}

impl Serialize for RetentionMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
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

/// `PutPublicAccessBlock`'s `PublicAccessBlockConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PublicAccessBlockConfiguration {
    pub(crate) block_public_acls: bool,
    pub(crate) ignore_public_acls: bool,
    pub(crate) block_public_policy: bool,
    pub(crate) restrict_public_buckets: bool,
}

/// `PutPublicAccessBlock` request: all four blocks on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutPublicAccessBlockRequest {
    pub(crate) bucket: BucketName,
    pub(crate) public_access_block_configuration: PublicAccessBlockConfiguration,
}

/// `ServerSideEncryptionByDefault` (the S3 API's; CloudFormation calls the same object
/// `ServerSideEncryptionByDefault` inside a rule, while the API's rule member is
/// `ApplyServerSideEncryptionByDefault`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ServerSideEncryptionByDefault {
    #[serde(rename = "SSEAlgorithm")]
    pub(crate) sse_algorithm: &'static str,
    #[serde(rename = "KMSMasterKeyID", skip_serializing_if = "Option::is_none")]
    pub(crate) kms_master_key_id: Option<String>,
}

/// One `ServerSideEncryptionRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ServerSideEncryptionRule {
    pub(crate) apply_server_side_encryption_by_default: ServerSideEncryptionByDefault,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) bucket_key_enabled: Option<bool>,
}

/// `ServerSideEncryptionConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ServerSideEncryptionConfiguration {
    // INVARIANT: exactly one rule.
    pub(crate) rules: Vec<ServerSideEncryptionRule>,
}

/// `PutBucketEncryption` request: SSE-KMS with the plan's key (and the Bucket Key setting), or
/// SSE-S3 (`AES256`) without a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutBucketEncryptionRequest {
    pub(crate) bucket: BucketName,
    pub(crate) server_side_encryption_configuration: ServerSideEncryptionConfiguration,
}

/// `VersioningConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VersioningConfiguration {
    pub(crate) status: &'static str,
}

/// `PutBucketVersioning` request: `Enabled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutBucketVersioningRequest {
    pub(crate) bucket: BucketName,
    pub(crate) versioning_configuration: VersioningConfiguration,
}

/// One `OwnershipControlsRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct OwnershipControlsRule {
    pub(crate) object_ownership: &'static str,
}

/// `OwnershipControls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct OwnershipControls {
    pub(crate) rules: Vec<OwnershipControlsRule>,
}

/// `PutBucketOwnershipControls` request: `BucketOwnerEnforced`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutBucketOwnershipControlsRequest {
    pub(crate) bucket: BucketName,
    pub(crate) ownership_controls: OwnershipControls,
}

/// `DefaultRetention`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DefaultRetention {
    pub(crate) mode: RetentionMode,
    pub(crate) days: u32,
}

/// `ObjectLockRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ObjectLockRule {
    pub(crate) default_retention: DefaultRetention,
}

/// `ObjectLockConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ObjectLockConfiguration {
    pub(crate) object_lock_enabled: &'static str,
    pub(crate) rule: ObjectLockRule,
}

/// `PutObjectLockConfiguration` request: `Enabled` with the default retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutObjectLockConfigurationRequest {
    pub(crate) bucket: BucketName,
    pub(crate) object_lock_configuration: ObjectLockConfiguration,
}

/// `LoggingEnabled`: the destination bucket and the key prefix of every log object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LoggingEnabled {
    pub(crate) target_bucket: BucketName,
    pub(crate) target_prefix: String,
}

/// `BucketLoggingStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct BucketLoggingStatus {
    pub(crate) logging_enabled: LoggingEnabled,
}

/// `PutBucketLogging` request: server access logs of the bucket into the destination
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html>). No
/// `TargetGrants`: "Buckets that use the bucket owner enforced setting for Object Ownership don't
/// support target grants"; the destination bucket's policy grants the logging service instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutBucketLoggingRequest {
    pub(crate) bucket: BucketName,
    pub(crate) bucket_logging_status: BucketLoggingStatus,
}

/// The log-archive bucket's settings, as S3 request bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BucketSettings {
    pub(crate) public_access_block: PutPublicAccessBlockRequest,
    pub(crate) encryption: PutBucketEncryptionRequest,
    pub(crate) versioning: PutBucketVersioningRequest,
    pub(crate) ownership: PutBucketOwnershipControlsRequest,
    pub(crate) object_lock: Option<PutObjectLockConfigurationRequest>,
    pub(crate) logging: Option<PutBucketLoggingRequest>,
}

/// The Object Ownership setting: ACLs disabled. S3 then "accepts only PUT requests that do not
/// specify an ACL or PUT requests with bucket owner full control ACLs, such as the
/// `bucket-owner-full-control` canned ACL"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>; same
/// words in <https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html>), so
/// CloudTrail's uploads, which the bucket policy requires to carry that ACL, keep working.
pub(crate) const OBJECT_OWNERSHIP: &str = "BucketOwnerEnforced";

impl BucketSettings {
    /// The settings of `bucket`, encrypted with `key` (SSE-KMS, with `bucket_key` as its S3
    /// Bucket Key setting) or SSE-S3 without one, with an Object Lock default retention when
    /// `object_lock` is set.
    ///
    /// - Public access block: all four settings on
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html>).
    /// - Encryption: `aws:kms` with the key as `KMSMasterKeyID` and `BucketKeyEnabled`, or
    ///   `AES256` without a key
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html>).
    /// - Versioning: `Enabled`
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html>).
    /// - Ownership: [`OBJECT_OWNERSHIP`]
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html>).
    /// - Object Lock
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html>).
    /// - Server access logging, when `access_logs` names a destination
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html>).
    pub(crate) fn new(
        bucket: &BucketName,
        key: Option<&KmsKeyRef>,
        bucket_key: bool,
        object_lock: Option<&ObjectLock>,
        access_logs: Option<&AccessLogs>,
    ) -> BucketSettings {
        let by_default = match key {
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
                        bucket_key_enabled: key.map(|_| bucket_key),
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
            object_lock: object_lock.map(|lock| PutObjectLockConfigurationRequest {
                bucket: bucket.clone(),
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
            logging: access_logs.map(|logs| PutBucketLoggingRequest {
                bucket: bucket.clone(),
                bucket_logging_status: BucketLoggingStatus {
                    logging_enabled: LoggingEnabled {
                        target_bucket: logs.bucket().clone(),
                        target_prefix: logs.prefix().to_owned(),
                    },
                },
            }),
        }
    }
}
