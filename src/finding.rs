//! Findings: what a check says about a plan or an existing policy, each with its consequence.

use std::fmt;

use serde::Serialize;

/// How bad a finding is. Any `Error` makes a plan fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// AWS would refuse the artifact, or delivery would stop, or access would be wider than
    /// asked for.
    Error,
    /// Works, but carries a risk or a cost the user should know about.
    Warning,
    /// A hardening or clarity improvement.
    Suggestion,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        })
    }
}

/// What a finding is about: a stable code for scripts, serialized and printed in kebab-case
/// (`missing-delivery`). Codes compare and sort by that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindingCode {
    /// A value is in another partition than the log archive.
    PartitionMismatch,
    /// CloudTrail refuses the bucket's name.
    BucketName,
    /// AWS does not document CloudTrail's service principal in the partition.
    UnconfirmedServicePrincipal,
    /// The key the log-archive stack would create cannot be named.
    CreateKmsKey,
    /// The key is not named by its ARN, so no key policy is generated.
    KeyPolicyNeedsKeyArn,
    /// AWS does not document CloudTrail delivery into an Object Lock bucket.
    ObjectLockUnconfirmed,
    /// An organization trail without the spec's organization.
    OrganizationMissing,
    /// A trail AWS would refuse, or a costly or weaker trail setting.
    Trail,
    /// A trail planned twice.
    DuplicateTrail,
    /// More than one organization trail.
    SeveralOrganizationTrails,
    /// The values of the spec do not fit together.
    Intent,
    /// Over CloudTrail's trails-per-Region quota.
    Quota,
    /// The bucket policy cannot be generated.
    BucketPolicy,
    /// The strict layout did not fit; the documented one is used.
    LayoutFallback,
    /// The key policy cannot be generated.
    KeyPolicy,
    /// A probe did not get the verdict its intent demands.
    ProbeFailed,
    /// The plan could not be built.
    PlanIncomplete,
    /// The KMS key is in another partition.
    KmsKeyPartition,
    /// The KMS key is not in the bucket's Region.
    KmsKeyRegion,
    /// The KMS key's Region cannot be checked.
    KmsKeyRegionUnchecked,
    /// The KMS key is named by an alias.
    KmsAliasArn,
    /// The CloudTrail service principal is not documented for the partition.
    CloudtrailPrincipalUnconfirmed,
    /// A reader in another account also needs an IAM policy.
    KmsCrossAccountReader,
    /// The intent names no key to check against.
    KeyPolicyNoKey,
    /// CloudTrail may not encrypt for a delivering trail.
    KeyPolicyCloudtrailEncrypt,
    /// CloudTrail may not describe the key for a delivering trail.
    KeyPolicyCloudtrailDescribe,
    /// CloudTrail may not decrypt, which an S3 Bucket Key needs.
    KeyPolicyCloudtrailDecrypt,
    /// CloudTrail may use the key without `aws:SourceArn`.
    KeyPolicyMissingSourceArn,
    /// CloudTrail may encrypt for trails the intent does not name.
    KeyPolicyForeignTrail,
    /// A reader cannot decrypt the logs.
    KeyPolicyReaderCannotDecrypt,
    /// A reader may decrypt more than the logs.
    KeyPolicyReaderDecryptsAnything,
    /// Anyone, or an unrelated account, may decrypt.
    KeyPolicyPublicDecrypt,
    /// Nobody may change the key policy.
    KeyPolicyLockout,
    /// Only named administrators manage the key.
    KeyPolicyNoRoot,
    /// The key policy is over KMS's size limit.
    KeyPolicyTooLarge,
    /// A key-policy statement the evaluator cannot decide.
    KeyPolicyUnsupported,
    /// The intent names no bucket to check against.
    BucketPolicyNoBucket,
    /// No statement allows a CloudTrail delivery.
    MissingDelivery,
    /// A deny blocks a CloudTrail delivery.
    DenyBlocksDelivery,
    /// CloudTrail may write for a trail the intent does not name.
    ConfusedDeputy,
    /// Anyone, anonymous callers included, has access.
    PublicAccess,
    /// A principal the intent does not name has access.
    CrossAccountAccess,
    /// Log files can be deleted.
    LogDeletionAllowed,
    /// The bucket policy can be changed.
    PolicyChangeAllowed,
    /// A reader cannot read the logs.
    MissingRead,
    /// A trail can write into a folder that is not its own.
    CrossFolderWrite,
    /// CloudTrail's grant is wider than its deliveries.
    DeliveryTooWide,
    /// Any trail of a delivering account can deliver.
    UnlistedTrail,
    /// A reader's grant reaches beyond the log folders.
    ReaderTooWide,
    /// Requests without TLS are not denied.
    MissingTlsDeny,
    /// Deleting log files is not denied.
    MissingDeleteDeny,
    /// Bucket-policy changes are not denied.
    MissingPolicyChangeDeny,
    /// A break-glass principal cannot delete logs.
    BreakGlassDenied,
    /// A policy administrator cannot change the policy.
    AdminLockedOut,
    /// A request the evaluator cannot decide.
    CannotProve,
    /// The bucket policy is over S3's size limit.
    BucketPolicyTooLarge,
    /// The policy is so far over AWS's size limit that it is not linted.
    PolicyTooLargeToLint,
    /// Any principal of an organization has access.
    OrganizationAccess,
    /// A principal of an account the intent does not name has access, and the intent names no
    /// bucket owner to tell whether that account is the owner's.
    UnnamedAccountAccess,
    /// An AWS service principal other than CloudTrail has access.
    ServiceAccess,
    /// A principal the intent names (break-glass, policy administrator) may do more than its
    /// role.
    PrincipalTooWide,
    /// Someone the intent does not name may administer the key: change its policy, disable or
    /// delete it, create grants.
    KeyPolicyAdministration,
    /// Someone the intent does not name may use, change or read the key.
    KeyPolicyOutsideAccess,
}

impl FindingCode {
    /// Every code.
    pub const ALL: [FindingCode; 63] = [
        FindingCode::PartitionMismatch,
        FindingCode::BucketName,
        FindingCode::UnconfirmedServicePrincipal,
        FindingCode::CreateKmsKey,
        FindingCode::KeyPolicyNeedsKeyArn,
        FindingCode::ObjectLockUnconfirmed,
        FindingCode::OrganizationMissing,
        FindingCode::Trail,
        FindingCode::DuplicateTrail,
        FindingCode::SeveralOrganizationTrails,
        FindingCode::Intent,
        FindingCode::Quota,
        FindingCode::BucketPolicy,
        FindingCode::LayoutFallback,
        FindingCode::KeyPolicy,
        FindingCode::ProbeFailed,
        FindingCode::PlanIncomplete,
        FindingCode::KmsKeyPartition,
        FindingCode::KmsKeyRegion,
        FindingCode::KmsKeyRegionUnchecked,
        FindingCode::KmsAliasArn,
        FindingCode::CloudtrailPrincipalUnconfirmed,
        FindingCode::KmsCrossAccountReader,
        FindingCode::KeyPolicyNoKey,
        FindingCode::KeyPolicyCloudtrailEncrypt,
        FindingCode::KeyPolicyCloudtrailDescribe,
        FindingCode::KeyPolicyCloudtrailDecrypt,
        FindingCode::KeyPolicyMissingSourceArn,
        FindingCode::KeyPolicyForeignTrail,
        FindingCode::KeyPolicyReaderCannotDecrypt,
        FindingCode::KeyPolicyReaderDecryptsAnything,
        FindingCode::KeyPolicyPublicDecrypt,
        FindingCode::KeyPolicyLockout,
        FindingCode::KeyPolicyNoRoot,
        FindingCode::KeyPolicyTooLarge,
        FindingCode::KeyPolicyUnsupported,
        FindingCode::BucketPolicyNoBucket,
        FindingCode::MissingDelivery,
        FindingCode::DenyBlocksDelivery,
        FindingCode::ConfusedDeputy,
        FindingCode::PublicAccess,
        FindingCode::CrossAccountAccess,
        FindingCode::LogDeletionAllowed,
        FindingCode::PolicyChangeAllowed,
        FindingCode::MissingRead,
        FindingCode::CrossFolderWrite,
        FindingCode::DeliveryTooWide,
        FindingCode::UnlistedTrail,
        FindingCode::ReaderTooWide,
        FindingCode::MissingTlsDeny,
        FindingCode::MissingDeleteDeny,
        FindingCode::MissingPolicyChangeDeny,
        FindingCode::BreakGlassDenied,
        FindingCode::AdminLockedOut,
        FindingCode::CannotProve,
        FindingCode::BucketPolicyTooLarge,
        FindingCode::PolicyTooLargeToLint,
        FindingCode::OrganizationAccess,
        FindingCode::UnnamedAccountAccess,
        FindingCode::ServiceAccess,
        FindingCode::PrincipalTooWide,
        FindingCode::KeyPolicyAdministration,
        FindingCode::KeyPolicyOutsideAccess,
    ];

    /// The code as scripts see it, e.g. `missing-delivery`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::PartitionMismatch => "partition-mismatch",
            FindingCode::BucketName => "bucket-name",
            FindingCode::UnconfirmedServicePrincipal => "unconfirmed-service-principal",
            FindingCode::CreateKmsKey => "create-kms-key",
            FindingCode::KeyPolicyNeedsKeyArn => "key-policy-needs-key-arn",
            FindingCode::ObjectLockUnconfirmed => "object-lock-unconfirmed",
            FindingCode::OrganizationMissing => "organization-missing",
            FindingCode::Trail => "trail",
            FindingCode::DuplicateTrail => "duplicate-trail",
            FindingCode::SeveralOrganizationTrails => "several-organization-trails",
            FindingCode::Intent => "intent",
            FindingCode::Quota => "quota",
            FindingCode::BucketPolicy => "bucket-policy",
            FindingCode::LayoutFallback => "layout-fallback",
            FindingCode::KeyPolicy => "key-policy",
            FindingCode::ProbeFailed => "probe-failed",
            FindingCode::PlanIncomplete => "plan-incomplete",
            FindingCode::KmsKeyPartition => "kms-key-partition",
            FindingCode::KmsKeyRegion => "kms-key-region",
            FindingCode::KmsKeyRegionUnchecked => "kms-key-region-unchecked",
            FindingCode::KmsAliasArn => "kms-alias-arn",
            FindingCode::CloudtrailPrincipalUnconfirmed => "cloudtrail-principal-unconfirmed",
            FindingCode::KmsCrossAccountReader => "kms-cross-account-reader",
            FindingCode::KeyPolicyNoKey => "key-policy-no-key",
            FindingCode::KeyPolicyCloudtrailEncrypt => "key-policy-cloudtrail-encrypt",
            FindingCode::KeyPolicyCloudtrailDescribe => "key-policy-cloudtrail-describe",
            FindingCode::KeyPolicyCloudtrailDecrypt => "key-policy-cloudtrail-decrypt",
            FindingCode::KeyPolicyMissingSourceArn => "key-policy-missing-source-arn",
            FindingCode::KeyPolicyForeignTrail => "key-policy-foreign-trail",
            FindingCode::KeyPolicyReaderCannotDecrypt => "key-policy-reader-cannot-decrypt",
            FindingCode::KeyPolicyReaderDecryptsAnything => "key-policy-reader-decrypts-anything",
            FindingCode::KeyPolicyPublicDecrypt => "key-policy-public-decrypt",
            FindingCode::KeyPolicyLockout => "key-policy-lockout",
            FindingCode::KeyPolicyNoRoot => "key-policy-no-root",
            FindingCode::KeyPolicyTooLarge => "key-policy-too-large",
            FindingCode::KeyPolicyUnsupported => "key-policy-unsupported",
            FindingCode::BucketPolicyNoBucket => "bucket-policy-no-bucket",
            FindingCode::MissingDelivery => "missing-delivery",
            FindingCode::DenyBlocksDelivery => "deny-blocks-delivery",
            FindingCode::ConfusedDeputy => "confused-deputy",
            FindingCode::PublicAccess => "public-access",
            FindingCode::CrossAccountAccess => "cross-account-access",
            FindingCode::LogDeletionAllowed => "log-deletion-allowed",
            FindingCode::PolicyChangeAllowed => "policy-change-allowed",
            FindingCode::MissingRead => "missing-read",
            FindingCode::CrossFolderWrite => "cross-folder-write",
            FindingCode::DeliveryTooWide => "delivery-too-wide",
            FindingCode::UnlistedTrail => "unlisted-trail",
            FindingCode::ReaderTooWide => "reader-too-wide",
            FindingCode::MissingTlsDeny => "missing-tls-deny",
            FindingCode::MissingDeleteDeny => "missing-delete-deny",
            FindingCode::MissingPolicyChangeDeny => "missing-policy-change-deny",
            FindingCode::BreakGlassDenied => "break-glass-denied",
            FindingCode::AdminLockedOut => "admin-locked-out",
            FindingCode::CannotProve => "cannot-prove",
            FindingCode::BucketPolicyTooLarge => "bucket-policy-too-large",
            FindingCode::PolicyTooLargeToLint => "policy-too-large-to-lint",
            FindingCode::OrganizationAccess => "organization-access",
            FindingCode::UnnamedAccountAccess => "unnamed-account-access",
            FindingCode::ServiceAccess => "service-access",
            FindingCode::PrincipalTooWide => "principal-too-wide",
            FindingCode::KeyPolicyAdministration => "key-policy-administration",
            FindingCode::KeyPolicyOutsideAccess => "key-policy-outside-access",
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialOrd for FindingCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FindingCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// One finding: a stable code for scripts, a severity and a one-line message that names the
/// consequence (for example the AWS exception CreateTrail would raise).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Finding {
    severity: Severity,
    code: FindingCode,
    message: String,
}

impl Finding {
    /// A finding with this severity, code and message.
    pub fn new(severity: Severity, code: FindingCode, message: impl Into<String>) -> Self {
        Finding {
            severity,
            code,
            message: message.into(),
        }
    }

    /// The severity.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The stable code.
    pub fn code(&self) -> FindingCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_kebab_case_and_serialize_as_printed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in FindingCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{text}"
            );
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{text}\""));
            assert_eq!(code.to_string(), text);
        }
    }
}
