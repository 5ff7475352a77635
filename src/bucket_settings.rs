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
use crate::id::{BucketName, KeyPrefix, KmsKeyRef, logs_root};

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

/// A storage class a lifecycle rule can move objects to: the S3 API model's
/// `TransitionStorageClass` enum
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StorageClass {
    /// `STANDARD_IA`: S3 Standard-IA.
    StandardIa,
    /// `INTELLIGENT_TIERING`: S3 Intelligent-Tiering.
    IntelligentTiering,
    /// `ONEZONE_IA`: S3 One Zone-IA.
    OnezoneIa,
    /// `GLACIER_IR`: S3 Glacier Instant Retrieval.
    GlacierIr,
    /// `GLACIER`: S3 Glacier Flexible Retrieval.
    Glacier,
    /// `DEEP_ARCHIVE`: S3 Glacier Deep Archive.
    DeepArchive,
}

impl StorageClass {
    /// Every class, in the order of S3's transition waterfall.
    pub const ALL: [StorageClass; 6] = [
        StorageClass::StandardIa,
        StorageClass::IntelligentTiering,
        StorageClass::OnezoneIa,
        StorageClass::GlacierIr,
        StorageClass::Glacier,
        StorageClass::DeepArchive,
    ];

    /// The class as S3 and CloudFormation write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StorageClass::StandardIa => "STANDARD_IA",
            StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
            StorageClass::OnezoneIa => "ONEZONE_IA",
            StorageClass::GlacierIr => "GLACIER_IR",
            StorageClass::Glacier => "GLACIER",
            StorageClass::DeepArchive => "DEEP_ARCHIVE",
        }
    }

    /// Whether a lifecycle rule may move objects from `self` to `to`, as S3's "Supported
    /// lifecycle transitions" list them
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html>):
    /// Standard-IA to Intelligent-Tiering, One Zone-IA, Glacier Instant Retrieval, Glacier
    /// Flexible Retrieval or Deep Archive; Intelligent-Tiering to One Zone-IA, Glacier Instant
    /// Retrieval, Glacier Flexible Retrieval or Deep Archive; One Zone-IA to Glacier Flexible
    /// Retrieval or Deep Archive; Glacier Instant Retrieval to Glacier Flexible Retrieval or Deep
    /// Archive; Glacier Flexible Retrieval to Deep Archive. (S3 Standard, where objects start,
    /// goes to any class.)
    #[must_use]
    pub fn can_transition_to(self, to: StorageClass) -> bool {
        use StorageClass::{
            DeepArchive, Glacier, GlacierIr, IntelligentTiering, OnezoneIa, StandardIa,
        };
        match self {
            StandardIa => matches!(
                to,
                IntelligentTiering | OnezoneIa | GlacierIr | Glacier | DeepArchive
            ),
            IntelligentTiering => matches!(to, OnezoneIa | GlacierIr | Glacier | DeepArchive),
            OnezoneIa | GlacierIr => matches!(to, Glacier | DeepArchive),
            Glacier => to == DeepArchive,
            DeepArchive => false,
        }
    }

    /// Standard-IA and One Zone-IA: "you must store them for at least 30 days in Amazon S3"
    /// before moving objects there, and they have a 30-day minimum storage charge (same page).
    #[must_use]
    pub fn is_infrequent_access(self) -> bool {
        matches!(self, StorageClass::StandardIa | StorageClass::OnezoneIa)
    }

    /// The classes S3 does not move objects smaller than 128 KB to from S3 Standard (same page,
    /// "Objects smaller than 128 KB").
    #[must_use]
    pub fn skips_small_objects(self) -> bool {
        matches!(
            self,
            StorageClass::StandardIa
                | StorageClass::OnezoneIa
                | StorageClass::IntelligentTiering
                | StorageClass::GlacierIr
        )
    }
}

impl Serialize for StorageClass {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One lifecycle transition: after `days` days, to `storage_class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transition {
    days: NonZeroU32,
    storage_class: StorageClass,
}

impl Transition {
    /// Objects move to `storage_class` `days` days after creation.
    #[must_use]
    pub fn new(days: NonZeroU32, storage_class: StorageClass) -> Self {
        Transition {
            days,
            storage_class,
        }
    }

    /// Days after creation.
    pub fn days(&self) -> u32 {
        self.days.get()
    }

    /// The target class.
    pub fn storage_class(&self) -> StorageClass {
        self.storage_class
    }
}

/// A lifecycle rule S3 or CloudFormation would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LifecycleError {
    /// No transition and no expiration: the rule would do nothing.
    #[error("the lifecycle has no transition and no expiration: give at least one")]
    Empty,
    /// A move to Standard-IA or One Zone-IA earlier than 30 days after creation
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html>).
    #[error(
        "transition to `{class}` after {days} days: s3 moves objects to {class} only after at least 30 days"
    )]
    InfrequentAccessTooSoon {
        /// The class.
        class: &'static str,
        /// The days given.
        days: u32,
    },
    /// Two transitions on the same day.
    #[error("two transitions after {days} days: give each transition its own day")]
    SameDay {
        /// The day.
        days: u32,
    },
    /// A later transition S3 does not support from the class before it (same page).
    #[error(
        "transition from `{from}` to `{to}` after {days} days: s3 does not move objects from {from} to {to}"
    )]
    Unsupported {
        /// The class objects are in.
        from: &'static str,
        /// The class asked for.
        to: &'static str,
        /// The day of the later transition.
        days: u32,
    },
    /// A Glacier Flexible Retrieval, Deep Archive (or One Zone-IA after Standard-IA) transition
    /// less than 30 days after a Standard-IA or One Zone-IA one: "you can't specify a single
    /// Lifecycle rule" for both (same page).
    #[error(
        "transition to `{to}` after {days} days is less than 30 days after the transition to `{from}` after {from_days} days: s3 refuses both in one rule"
    )]
    TooSoonAfterInfrequentAccess {
        /// The infrequent-access class.
        from: &'static str,
        /// Its day.
        from_days: u32,
        /// The later class.
        to: &'static str,
        /// Its day.
        days: u32,
    },
    /// An expiration not later than a transition: "The expiration time must also be later than
    /// the transition time"
    /// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-rule.html>).
    #[error(
        "expiration after {expiration} days is not later than the transition after {transition} days: make it later"
    )]
    ExpirationBeforeTransition {
        /// The expiration day.
        expiration: u32,
        /// The latest transition day.
        transition: u32,
    },
}

/// The log archive's lifecycle: transitions of the log objects to colder storage, their
/// expiration, and the permanent deletion of noncurrent versions.
///
/// The bucket is always versioned, so "expiration" of a current version only adds a delete
/// marker and keeps the log as a noncurrent version; S3 deletes it only with a
/// `NoncurrentVersionExpiration`
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html>,
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html>).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lifecycle {
    // INVARIANT: sorted by day, checked by `Lifecycle::new`.
    transitions: Vec<Transition>,
    expiration_days: Option<NonZeroU32>,
    noncurrent_expiration_days: Option<NonZeroU32>,
}

impl Lifecycle {
    /// A lifecycle with these transitions (in any order), expiration and noncurrent-version
    /// expiration, checked against S3's transition rules.
    ///
    /// # Errors
    /// [`LifecycleError`]: nothing to do, a move to an infrequent-access class before 30 days,
    /// two transitions on one day, a transition S3 does not support from the class before it,
    /// an archive transition less than 30 days after an infrequent-access one, or an expiration
    /// not later than every transition.
    pub fn new(
        transitions: Vec<Transition>,
        expiration_days: Option<NonZeroU32>,
        noncurrent_expiration_days: Option<NonZeroU32>,
    ) -> Result<Self, LifecycleError> {
        let mut transitions = transitions;
        transitions.sort_by_key(|t| t.days);
        if transitions.is_empty()
            && expiration_days.is_none()
            && noncurrent_expiration_days.is_none()
        {
            return Err(LifecycleError::Empty);
        }
        let mut previous: Option<Transition> = None;
        for t in &transitions {
            let class = t.storage_class;
            if class.is_infrequent_access() && t.days() < 30 {
                return Err(LifecycleError::InfrequentAccessTooSoon {
                    class: class.as_str(),
                    days: t.days(),
                });
            }
            if let Some(p) = previous {
                if p.days == t.days {
                    return Err(LifecycleError::SameDay { days: t.days() });
                }
                if !p.storage_class.can_transition_to(class) {
                    return Err(LifecycleError::Unsupported {
                        from: p.storage_class.as_str(),
                        to: class.as_str(),
                        days: t.days(),
                    });
                }
                let archive_or_one_zone =
                    matches!(class, StorageClass::Glacier | StorageClass::DeepArchive)
                        || (p.storage_class == StorageClass::StandardIa
                            && class == StorageClass::OnezoneIa);
                if p.storage_class.is_infrequent_access()
                    && archive_or_one_zone
                    && t.days() - p.days() < 30
                {
                    return Err(LifecycleError::TooSoonAfterInfrequentAccess {
                        from: p.storage_class.as_str(),
                        from_days: p.days(),
                        to: class.as_str(),
                        days: t.days(),
                    });
                }
            }
            previous = Some(*t);
        }
        if let (Some(expiration), Some(last)) = (expiration_days, transitions.last())
            && expiration <= last.days
        {
            return Err(LifecycleError::ExpirationBeforeTransition {
                expiration: expiration.get(),
                transition: last.days(),
            });
        }
        Ok(Lifecycle {
            transitions,
            expiration_days,
            noncurrent_expiration_days,
        })
    }

    /// The transitions, by day.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// Days after creation when the current version expires (a delete marker is placed).
    pub fn expiration_days(&self) -> Option<u32> {
        self.expiration_days.map(NonZeroU32::get)
    }

    /// Days after a version becomes noncurrent when S3 deletes it permanently.
    pub fn noncurrent_expiration_days(&self) -> Option<u32> {
        self.noncurrent_expiration_days.map(NonZeroU32::get)
    }
}

/// `LifecycleRuleFilter`: the rule's key prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LifecycleRuleFilter {
    pub(crate) prefix: String,
}

/// `Transition` of the API: `Days` and `StorageClass`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TransitionBody {
    pub(crate) days: u32,
    pub(crate) storage_class: StorageClass,
}

/// `LifecycleExpiration`: `Days`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LifecycleExpiration {
    pub(crate) days: u32,
}

/// `NoncurrentVersionExpiration`: `NoncurrentDays`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct NoncurrentVersionExpiration {
    pub(crate) noncurrent_days: u32,
}

/// One `LifecycleRule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LifecycleRule {
    #[serde(rename = "ID")]
    pub(crate) id: &'static str,
    pub(crate) status: &'static str,
    pub(crate) filter: LifecycleRuleFilter,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) transitions: Vec<TransitionBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expiration: Option<LifecycleExpiration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
}

/// `BucketLifecycleConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct BucketLifecycleConfiguration {
    // INVARIANT: exactly one rule.
    pub(crate) rules: Vec<LifecycleRule>,
}

/// `PutBucketLifecycleConfiguration` request
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutBucketLifecycleConfigurationRequest {
    pub(crate) bucket: BucketName,
    pub(crate) lifecycle_configuration: BucketLifecycleConfiguration,
}

/// The ID of the one lifecycle rule the crate writes.
pub(crate) const LIFECYCLE_RULE_ID: &str = "cloudtrail-logs";

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
    pub(crate) lifecycle: Option<PutBucketLifecycleConfigurationRequest>,
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
    /// - Lifecycle, with `lifecycle`: one rule, `cloudtrail-logs`, for the objects under
    ///   `<prefix>/AWSLogs/` (what CloudTrail writes), with the transitions, the expiration and
    ///   the noncurrent-version expiration asked for
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html>).
    pub(crate) fn new(
        bucket: &BucketName,
        key: Option<&KmsKeyRef>,
        bucket_key: bool,
        object_lock: Option<&ObjectLock>,
        access_logs: Option<&AccessLogs>,
        lifecycle: Option<(&Lifecycle, Option<&KeyPrefix>)>,
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
            lifecycle: lifecycle.map(|(lifecycle, prefix)| {
                PutBucketLifecycleConfigurationRequest {
                    bucket: bucket.clone(),
                    lifecycle_configuration: BucketLifecycleConfiguration {
                        rules: vec![LifecycleRule {
                            id: LIFECYCLE_RULE_ID,
                            status: "Enabled",
                            filter: LifecycleRuleFilter {
                                prefix: format!("{}AWSLogs/", logs_root(prefix)),
                            },
                            transitions: lifecycle
                                .transitions()
                                .iter()
                                .map(|t| TransitionBody {
                                    days: t.days(),
                                    storage_class: t.storage_class(),
                                })
                                .collect(),
                            expiration: lifecycle
                                .expiration_days()
                                .map(|days| LifecycleExpiration { days }),
                            noncurrent_version_expiration: lifecycle
                                .noncurrent_expiration_days()
                                .map(|noncurrent_days| NoncurrentVersionExpiration {
                                    noncurrent_days,
                                }),
                        }],
                    },
                }
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
