//! The S3 and KMS actions a bucket policy or a key policy can grant on its own resource, each
//! with the resource it acts on and what it lets a caller do: the list a lint walks to ask, for
//! every statement, "who else can read, write, delete, change the policy or the ACLs?".
//!
//! The names are the Service Authorization Reference's
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>,
//! <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html>),
//! restricted to the actions whose resource type is a bucket, an object or a KMS key: the only
//! resources a bucket or key policy names. Actions on access points, jobs, Storage Lens, access
//! grants, Multi-Region Access Points and account-level settings are left out.
//!
//! The grouping into [`Effect`]s is the crate's reading of each action's description in that
//! reference. For KMS it follows AWS's default key policy, whose "key administrators" "can give
//! themselves and others AWS KMS permissions not specified in this policy" and whose key users
//! are granted the cryptographic operations
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>).

/// The resource an action acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Target {
    /// `arn:<p>:s3:::bucket`.
    Bucket,
    /// `arn:<p>:s3:::bucket/key`.
    Object,
    /// The KMS key a key policy is attached to.
    Key,
}

/// What an action lets its caller do, from worst to mildest within each service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Effect {
    /// Read object content.
    ReadObjects,
    /// Create or overwrite objects, or change how they are encrypted.
    WriteObjects,
    /// Delete objects, or make them deletable or expire: deletes, retention and legal holds,
    /// lifecycle rules, versioning, Object Lock, the bucket itself.
    DestroyObjects,
    /// Replace or delete the bucket policy.
    ChangePolicy,
    /// Change ACLs, Object Ownership or Block Public Access: access outside the policy.
    ChangeAccessControl,
    /// List object keys, versions and uploads.
    ListObjects,
    /// Read object ACLs, tags, retention, attributes, annotations, upload parts: no content.
    ReadObjectMetadata,
    /// Change object tags and annotations, restore archived objects, start their replication,
    /// abort uploads.
    ChangeObjectMetadata,
    /// Change other bucket settings: replication, logging, notifications, encryption, CORS…
    ChangeBucketSettings,
    /// Read bucket settings (ACL, policy, location…): no object content.
    ReadBucketSettings,
    /// Replace the key policy.
    ChangeKeyPolicy,
    /// Disable the key, schedule its deletion or delete its key material.
    DestroyKey,
    /// Create grants: any use of the key for anyone.
    CreateGrants,
    /// Decrypt with the key (also `ReEncryptFrom`, which decrypts first).
    Decrypt,
    /// Encrypt, generate data keys, sign or derive with the key.
    UseKey,
    /// Change the key's other settings: rotation, aliases, tags, description, Regions, grants'
    /// revocation, enabling it or cancelling its deletion.
    ChangeKeySettings,
    /// Read the key's metadata, policy, grants and tags.
    ReadKey,
}

/// One action: name, resource and effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Action {
    pub(crate) name: &'static str,
    pub(crate) target: Target,
    pub(crate) effect: Effect,
}

const fn a(name: &'static str, target: Target, effect: Effect) -> Action {
    Action {
        name,
        target,
        effect,
    }
}

use Effect::*;
use Target::{Bucket, Key, Object};

/// The S3 actions on a bucket or an object.
pub(crate) const S3: &[Action] = &[
    // Object content.
    a("s3:GetObject", Object, ReadObjects),
    a("s3:GetObjectVersion", Object, ReadObjects),
    a("s3:GetObjectTorrent", Object, ReadObjects),
    a("s3:GetObjectVersionTorrent", Object, ReadObjects),
    a("s3:GetObjectVersionForReplication", Object, ReadObjects),
    a("s3:PutObject", Object, WriteObjects),
    a("s3:ReplicateObject", Object, WriteObjects),
    a("s3:UpdateObjectEncryption", Object, WriteObjects),
    a("s3:DeleteObject", Object, DestroyObjects),
    a("s3:DeleteObjectVersion", Object, DestroyObjects),
    a("s3:ReplicateDelete", Object, DestroyObjects),
    a("s3:BypassGovernanceRetention", Object, DestroyObjects),
    a("s3:PutObjectRetention", Object, DestroyObjects),
    a("s3:PutObjectLegalHold", Object, DestroyObjects),
    a("s3:PutObjectAcl", Object, ChangeAccessControl),
    a("s3:PutObjectVersionAcl", Object, ChangeAccessControl),
    a(
        "s3:ObjectOwnerOverrideToBucketOwner",
        Object,
        ChangeAccessControl,
    ),
    a("s3:GetObjectAcl", Object, ReadObjectMetadata),
    a("s3:GetObjectVersionAcl", Object, ReadObjectMetadata),
    a("s3:GetObjectAttributes", Object, ReadObjectMetadata),
    a("s3:GetObjectVersionAttributes", Object, ReadObjectMetadata),
    a("s3:GetObjectTagging", Object, ReadObjectMetadata),
    a("s3:GetObjectVersionTagging", Object, ReadObjectMetadata),
    a("s3:GetObjectRetention", Object, ReadObjectMetadata),
    a("s3:GetObjectLegalHold", Object, ReadObjectMetadata),
    a("s3:GetObjectAnnotation", Object, ReadObjectMetadata),
    a("s3:GetObjectVersionAnnotation", Object, ReadObjectMetadata),
    // The reference gives these two the `object` resource type: they list one object's
    // annotations, not the bucket's keys.
    a("s3:ListObjectAnnotations", Object, ReadObjectMetadata),
    a(
        "s3:ListObjectVersionAnnotations",
        Object,
        ReadObjectMetadata,
    ),
    a(
        "s3:GetObjectVersionAnnotationForReplication",
        Object,
        ReadObjectMetadata,
    ),
    a("s3:ListMultipartUploadParts", Object, ReadObjectMetadata),
    a("s3:PutObjectTagging", Object, ChangeObjectMetadata),
    a("s3:PutObjectVersionTagging", Object, ChangeObjectMetadata),
    a("s3:DeleteObjectTagging", Object, ChangeObjectMetadata),
    a(
        "s3:DeleteObjectVersionTagging",
        Object,
        ChangeObjectMetadata,
    ),
    a("s3:ReplicateTags", Object, ChangeObjectMetadata),
    a("s3:PutObjectAnnotation", Object, ChangeObjectMetadata),
    a(
        "s3:PutObjectVersionAnnotation",
        Object,
        ChangeObjectMetadata,
    ),
    a("s3:DeleteObjectAnnotation", Object, ChangeObjectMetadata),
    a(
        "s3:DeleteObjectVersionAnnotation",
        Object,
        ChangeObjectMetadata,
    ),
    a("s3:ReplicateObjectAnnotation", Object, ChangeObjectMetadata),
    a("s3:RestoreObject", Object, ChangeObjectMetadata),
    a("s3:AbortMultipartUpload", Object, ChangeObjectMetadata),
    a("s3:InitiateReplication", Object, ChangeObjectMetadata),
    // The bucket.
    a("s3:ListBucket", Bucket, ListObjects),
    a("s3:ListBucketVersions", Bucket, ListObjects),
    a("s3:ListBucketMultipartUploads", Bucket, ListObjects),
    a("s3:PutBucketPolicy", Bucket, ChangePolicy),
    a("s3:DeleteBucketPolicy", Bucket, ChangePolicy),
    a("s3:PutBucketAcl", Bucket, ChangeAccessControl),
    a("s3:PutBucketOwnershipControls", Bucket, ChangeAccessControl),
    a("s3:PutBucketPublicAccessBlock", Bucket, ChangeAccessControl),
    a("s3:PutLifecycleConfiguration", Bucket, DestroyObjects),
    a("s3:PutBucketVersioning", Bucket, DestroyObjects),
    a(
        "s3:PutBucketObjectLockConfiguration",
        Bucket,
        DestroyObjects,
    ),
    a("s3:DeleteBucket", Bucket, DestroyObjects),
    a(
        "s3:PutReplicationConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a("s3:PauseReplication", Bucket, ChangeBucketSettings),
    a("s3:PutBucketLogging", Bucket, ChangeBucketSettings),
    // "Grants permission to configure server access logs delivery to CloudWatch", on a bucket.
    a(
        "s3:AllowVendedLogDeliveryForResource",
        Bucket,
        ChangeBucketSettings,
    ),
    a("s3:PutBucketNotification", Bucket, ChangeBucketSettings),
    a(
        "s3:PutEncryptionConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a("s3:PutBucketCORS", Bucket, ChangeBucketSettings),
    a("s3:PutBucketWebsite", Bucket, ChangeBucketSettings),
    a("s3:DeleteBucketWebsite", Bucket, ChangeBucketSettings),
    a("s3:PutInventoryConfiguration", Bucket, ChangeBucketSettings),
    a("s3:PutAnalyticsConfiguration", Bucket, ChangeBucketSettings),
    a("s3:PutMetricsConfiguration", Bucket, ChangeBucketSettings),
    a(
        "s3:PutIntelligentTieringConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a(
        "s3:PutAccelerateConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a("s3:PutBucketRequestPayment", Bucket, ChangeBucketSettings),
    a("s3:PutBucketTagging", Bucket, ChangeBucketSettings),
    a("s3:PutBucketAbac", Bucket, ChangeBucketSettings),
    a("s3:TagResource", Bucket, ChangeBucketSettings),
    a("s3:UntagResource", Bucket, ChangeBucketSettings),
    a("s3:CreateBucket", Bucket, ChangeBucketSettings),
    a(
        "s3:CreateBucketMetadataTableConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a(
        "s3:DeleteBucketMetadataTableConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a(
        "s3:UpdateBucketMetadataAnnotationTableConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a(
        "s3:UpdateBucketMetadataInventoryTableConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a(
        "s3:UpdateBucketMetadataJournalTableConfiguration",
        Bucket,
        ChangeBucketSettings,
    ),
    a("s3:GetBucketAcl", Bucket, ReadBucketSettings),
    a("s3:GetBucketPolicy", Bucket, ReadBucketSettings),
    a("s3:GetBucketPolicyStatus", Bucket, ReadBucketSettings),
    a("s3:GetBucketLocation", Bucket, ReadBucketSettings),
    a("s3:GetBucketVersioning", Bucket, ReadBucketSettings),
    a("s3:GetBucketLogging", Bucket, ReadBucketSettings),
    a("s3:GetLifecycleConfiguration", Bucket, ReadBucketSettings),
    a("s3:GetReplicationConfiguration", Bucket, ReadBucketSettings),
    a(
        "s3:GetBucketObjectLockConfiguration",
        Bucket,
        ReadBucketSettings,
    ),
    a("s3:GetBucketOwnershipControls", Bucket, ReadBucketSettings),
    a("s3:GetBucketPublicAccessBlock", Bucket, ReadBucketSettings),
    a("s3:GetEncryptionConfiguration", Bucket, ReadBucketSettings),
    a("s3:GetBucketNotification", Bucket, ReadBucketSettings),
    a("s3:GetBucketCORS", Bucket, ReadBucketSettings),
    a("s3:GetBucketWebsite", Bucket, ReadBucketSettings),
    a("s3:GetBucketTagging", Bucket, ReadBucketSettings),
    a("s3:GetBucketRequestPayment", Bucket, ReadBucketSettings),
    a("s3:GetBucketAbac", Bucket, ReadBucketSettings),
    a("s3:GetAccelerateConfiguration", Bucket, ReadBucketSettings),
    a("s3:GetAnalyticsConfiguration", Bucket, ReadBucketSettings),
    a("s3:GetInventoryConfiguration", Bucket, ReadBucketSettings),
    a("s3:GetMetricsConfiguration", Bucket, ReadBucketSettings),
    a(
        "s3:GetIntelligentTieringConfiguration",
        Bucket,
        ReadBucketSettings,
    ),
    a(
        "s3:GetBucketMetadataTableConfiguration",
        Bucket,
        ReadBucketSettings,
    ),
    a("s3:ListTagsForResource", Bucket, ReadBucketSettings),
];

/// The KMS actions on a key (those the reference lists without the `key` resource type, such
/// as `kms:CreateKey` or `kms:ListKeys`, mean nothing in a key policy and are left out).
pub(crate) const KMS: &[Action] = &[
    a("kms:PutKeyPolicy", Key, ChangeKeyPolicy),
    a("kms:ScheduleKeyDeletion", Key, DestroyKey),
    a("kms:DisableKey", Key, DestroyKey),
    a("kms:DeleteImportedKeyMaterial", Key, DestroyKey),
    a("kms:CreateGrant", Key, CreateGrants),
    a("kms:Decrypt", Key, Decrypt),
    a("kms:ReEncryptFrom", Key, Decrypt),
    a("kms:Encrypt", Key, UseKey),
    a("kms:ReEncryptTo", Key, UseKey),
    a("kms:GenerateDataKey", Key, UseKey),
    a("kms:GenerateDataKeyPair", Key, UseKey),
    a("kms:GenerateDataKeyPairWithoutPlaintext", Key, UseKey),
    a("kms:GenerateDataKeyWithoutPlaintext", Key, UseKey),
    a("kms:GenerateMac", Key, UseKey),
    a("kms:VerifyMac", Key, UseKey),
    a("kms:Sign", Key, UseKey),
    a("kms:Verify", Key, UseKey),
    a("kms:DeriveSharedSecret", Key, UseKey),
    a("kms:EnableKey", Key, ChangeKeySettings),
    a("kms:CancelKeyDeletion", Key, ChangeKeySettings),
    a("kms:EnableKeyRotation", Key, ChangeKeySettings),
    a("kms:DisableKeyRotation", Key, ChangeKeySettings),
    a("kms:RotateKeyOnDemand", Key, ChangeKeySettings),
    a("kms:ImportKeyMaterial", Key, ChangeKeySettings),
    a("kms:RetireGrant", Key, ChangeKeySettings),
    a("kms:RevokeGrant", Key, ChangeKeySettings),
    a("kms:TagResource", Key, ChangeKeySettings),
    a("kms:UntagResource", Key, ChangeKeySettings),
    a("kms:UpdateKeyDescription", Key, ChangeKeySettings),
    a("kms:CreateAlias", Key, ChangeKeySettings),
    a("kms:DeleteAlias", Key, ChangeKeySettings),
    a("kms:UpdateAlias", Key, ChangeKeySettings),
    a("kms:UpdatePrimaryRegion", Key, ChangeKeySettings),
    a("kms:ReplicateKey", Key, ChangeKeySettings),
    a("kms:SynchronizeMultiRegionKey", Key, ChangeKeySettings),
    a("kms:DescribeKey", Key, ReadKey),
    a("kms:GetKeyPolicy", Key, ReadKey),
    a("kms:GetKeyRotationStatus", Key, ReadKey),
    a("kms:GetPublicKey", Key, ReadKey),
    a("kms:GetParametersForImport", Key, ReadKey),
    a("kms:GetKeyLastUsage", Key, ReadKey),
    a("kms:ListGrants", Key, ReadKey),
    a("kms:ListKeyPolicies", Key, ReadKey),
    a("kms:ListKeyRotations", Key, ReadKey),
    a("kms:ListResourceTags", Key, ReadKey),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name is unique, well-formed, and in the reference's list (kept beside the
    /// research notes; the test is skipped without them).
    #[test]
    fn names_are_unique_and_known() {
        let mut seen = std::collections::BTreeSet::new();
        for action in S3.iter().chain(KMS) {
            assert!(seen.insert(action.name), "{} twice", action.name);
            assert!(
                action.name.starts_with("s3:") || action.name.starts_with("kms:"),
                "{}",
                action.name
            );
        }
        for (list, prefix) in [("s3-actions.txt", "s3:"), ("kms-actions.txt", "kms:")] {
            let path = format!("{}/../notes/{list}", env!("CARGO_MANIFEST_DIR"));
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let known: std::collections::BTreeSet<&str> = text.lines().collect();
            for name in seen.iter().filter(|n| n.starts_with(prefix)) {
                assert!(known.contains(name), "{name} is not in {list}");
            }
        }
    }
}
