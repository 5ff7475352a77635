//! Findings: what a check says about a plan or an existing policy, each with its consequence.

use std::fmt;

use serde::Serialize;

use crate::eval::Verdict;
use crate::proof::{Completeness, Counterexample, Kind};

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
    /// A region that is not in the AWS SDK's list of regions.
    UnknownRegion,
    /// The spec's organization, which no trail uses.
    OrganizationUnused,
    /// CloudTrail's Bucket Key `kms:Decrypt` is scoped by `aws:SourceArn`, which AWS does not
    /// document.
    BucketKeyDecryptScopeUnverified,
    /// The organization write is bound by `aws:SourceOrgID`, which CloudTrail does not document
    /// sending.
    SourceOrgIdUnverified,
    /// An organization trail from a delegated administrator: start it by its ARN after
    /// deploying.
    DelegatedAdminStartLogging,
    /// Server access logging of the log-archive bucket: its destination.
    AccessLogs,
    /// The lifecycle: a transition that leaves objects behind.
    Lifecycle,
    /// Lifecycle expiration before the Object Lock retention ends.
    LifecycleExpirationBeforeRetention,
    /// Lifecycle expiration without a noncurrent-version expiration in a versioned bucket.
    LifecycleNoNoncurrentExpiration,
    /// Lifecycle changes are denied by the bucket policy.
    LifecycleChangeDenied,
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
    /// The complete proof could not decide the policy over every request.
    ProofIncomplete,
    /// The complete proof found a request the policy allows and the intent does not.
    UnintendedAllow,
    /// The complete proof found a request the intent allows and the policy does not.
    IntendedRefused,
    /// The complete proof found a request the intent denies and the policy does not.
    MissingDeny,
    /// The complete proof found a request the policy denies and the intent does not.
    Overdenied,
    /// Outputs of a block of the collection were saved with another account's credentials.
    LiveWrongAccount,
    /// A statement of the plan is not in the live policy.
    LiveStatementMissing,
    /// A statement of the plan differs in the live policy.
    LiveStatementChanged,
    /// The live policy has a statement the plan does not have.
    LiveStatementUnplanned,
    /// A setting of the live bucket differs from the plan's.
    LiveBucketSetting,
    /// The live bucket's versioning is suspended or was never enabled.
    LiveVersioningNotEnabled,
    /// A live lifecycle rule the plan does not have deletes log files.
    LiveLifecycleDeletesLogs,
    /// The live key does not rotate.
    LiveKeyRotationOff,
    /// The key is not named by its ARN, so its policy and rotation were not read.
    LiveKeyNotCollected,
    /// A planned trail does not exist.
    LiveTrailMissing,
    /// A setting of a live trail differs from the plan's.
    LiveTrailSetting,
    /// A live trail is not logging.
    LiveTrailNotLogging,
    /// A live trail's event selectors differ from the plan's.
    LiveEventSelectors,
    /// A live trail's Insights differ from the plan's.
    LiveInsightSelectors,
    /// The live organization is not the spec's.
    LiveOrganization,
}

impl FindingCode {
    /// Every code.
    pub const ALL: [FindingCode; 93] = [
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
        FindingCode::UnknownRegion,
        FindingCode::OrganizationUnused,
        FindingCode::BucketKeyDecryptScopeUnverified,
        FindingCode::SourceOrgIdUnverified,
        FindingCode::DelegatedAdminStartLogging,
        FindingCode::AccessLogs,
        FindingCode::Lifecycle,
        FindingCode::LifecycleExpirationBeforeRetention,
        FindingCode::LifecycleNoNoncurrentExpiration,
        FindingCode::LifecycleChangeDenied,
        FindingCode::BucketPolicyTooLarge,
        FindingCode::PolicyTooLargeToLint,
        FindingCode::OrganizationAccess,
        FindingCode::UnnamedAccountAccess,
        FindingCode::ServiceAccess,
        FindingCode::PrincipalTooWide,
        FindingCode::KeyPolicyAdministration,
        FindingCode::KeyPolicyOutsideAccess,
        FindingCode::ProofIncomplete,
        FindingCode::UnintendedAllow,
        FindingCode::IntendedRefused,
        FindingCode::MissingDeny,
        FindingCode::Overdenied,
        FindingCode::LiveWrongAccount,
        FindingCode::LiveStatementMissing,
        FindingCode::LiveStatementChanged,
        FindingCode::LiveStatementUnplanned,
        FindingCode::LiveBucketSetting,
        FindingCode::LiveVersioningNotEnabled,
        FindingCode::LiveLifecycleDeletesLogs,
        FindingCode::LiveKeyRotationOff,
        FindingCode::LiveKeyNotCollected,
        FindingCode::LiveTrailMissing,
        FindingCode::LiveTrailSetting,
        FindingCode::LiveTrailNotLogging,
        FindingCode::LiveEventSelectors,
        FindingCode::LiveInsightSelectors,
        FindingCode::LiveOrganization,
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
            FindingCode::UnknownRegion => "unknown-region",
            FindingCode::OrganizationUnused => "organization-unused",
            FindingCode::BucketKeyDecryptScopeUnverified => "bucket-key-decrypt-scope-unverified",
            FindingCode::SourceOrgIdUnverified => "source-org-id-unverified",
            FindingCode::DelegatedAdminStartLogging => "delegated-admin-start-logging",
            FindingCode::AccessLogs => "access-logs",
            FindingCode::Lifecycle => "lifecycle",
            FindingCode::LifecycleExpirationBeforeRetention => {
                "lifecycle-expiration-before-retention"
            }
            FindingCode::LifecycleNoNoncurrentExpiration => "lifecycle-no-noncurrent-expiration",
            FindingCode::LifecycleChangeDenied => "lifecycle-change-denied",
            FindingCode::BucketPolicyTooLarge => "bucket-policy-too-large",
            FindingCode::PolicyTooLargeToLint => "policy-too-large-to-lint",
            FindingCode::OrganizationAccess => "organization-access",
            FindingCode::UnnamedAccountAccess => "unnamed-account-access",
            FindingCode::ServiceAccess => "service-access",
            FindingCode::PrincipalTooWide => "principal-too-wide",
            FindingCode::KeyPolicyAdministration => "key-policy-administration",
            FindingCode::KeyPolicyOutsideAccess => "key-policy-outside-access",
            FindingCode::ProofIncomplete => "proof-incomplete",
            FindingCode::UnintendedAllow => "unintended-allow",
            FindingCode::IntendedRefused => "intended-refused",
            FindingCode::MissingDeny => "missing-deny",
            FindingCode::Overdenied => "overdenied",
            FindingCode::LiveWrongAccount => "live-wrong-account",
            FindingCode::LiveStatementMissing => "live-statement-missing",
            FindingCode::LiveStatementChanged => "live-statement-changed",
            FindingCode::LiveStatementUnplanned => "live-statement-unplanned",
            FindingCode::LiveBucketSetting => "live-bucket-setting",
            FindingCode::LiveVersioningNotEnabled => "live-versioning-not-enabled",
            FindingCode::LiveLifecycleDeletesLogs => "live-lifecycle-deletes-logs",
            FindingCode::LiveKeyRotationOff => "live-key-rotation-off",
            FindingCode::LiveKeyNotCollected => "live-key-not-collected",
            FindingCode::LiveTrailMissing => "live-trail-missing",
            FindingCode::LiveTrailSetting => "live-trail-setting",
            FindingCode::LiveTrailNotLogging => "live-trail-not-logging",
            FindingCode::LiveEventSelectors => "live-event-selectors",
            FindingCode::LiveInsightSelectors => "live-insight-selectors",
            FindingCode::LiveOrganization => "live-organization",
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
///
/// Serializes as `{"severity", "code", "message"}`, plus `"count"` for a finding that stands for
/// several alike ([`Finding::grouped`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Finding {
    severity: Severity,
    code: FindingCode,
    message: String,
    #[serde(skip_serializing_if = "is_one")]
    count: usize,
    /// A request that shows it, from the complete proof.
    #[serde(skip_serializing_if = "Option::is_none")]
    counterexample: Option<Box<Counterexample>>,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_one(n: &usize) -> bool {
    *n == 1
}

impl Finding {
    /// A finding with this severity, code and message.
    pub fn new(severity: Severity, code: FindingCode, message: impl Into<String>) -> Self {
        Finding {
            severity,
            code,
            message: message.into(),
            count: 1,
            counterexample: None,
        }
    }

    /// The findings of a complete proof of the policy called `what`: one for each
    /// counterexample (carrying it), or one that it was incomplete. `strict` (a plan's own
    /// policies) makes every one an error; otherwise (lint of an existing policy) a missing
    /// deny, an overdenial of a request left to its account, and an incomplete proof are
    /// warnings.
    pub(crate) fn from_proof(what: &str, proof: &Completeness, strict: bool) -> Vec<Finding> {
        let severity = |error: bool| {
            if error || strict {
                Severity::Error
            } else {
                Severity::Warning
            }
        };
        if let Some(why) = proof.incomplete_reason() {
            return vec![Finding::new(
                severity(false),
                FindingCode::ProofIncomplete,
                format!(
                    "{what}: the complete proof cannot decide it over every request ({why}); only the probe matrix vouches for it"
                ),
            )];
        }
        proof
            .counterexamples()
            .iter()
            .map(|ce| {
                let (code, error, what_happens) = match ce.kind() {
                    Kind::Unintended => (
                        FindingCode::UnintendedAllow,
                        true,
                        "allows a request the intent does not",
                    ),
                    Kind::Refused => (
                        FindingCode::IntendedRefused,
                        true,
                        "refuses a request the intent allows",
                    ),
                    Kind::MissingDeny => (
                        FindingCode::MissingDeny,
                        false,
                        "does not deny a request the intent denies",
                    ),
                    Kind::Overdenied => (
                        FindingCode::Overdenied,
                        ce.expected().contains(&Verdict::Allow),
                        "denies a request the intent does not",
                    ),
                };
                let mut f = Finding::new(
                    severity(error),
                    code,
                    format!("{what} {what_happens}: {ce}"),
                );
                f.counterexample = Some(Box::new(ce.clone()));
                f
            })
            .collect()
    }

    /// The request that shows the finding, when the complete proof found it.
    pub fn counterexample(&self) -> Option<&Counterexample> {
        self.counterexample.as_deref()
    }

    /// Adds the findings of a complete proof (`proof`, from [`Finding::from_proof`]) to a
    /// lint's `findings`, saying each fault once: a counterexample whose fault a lint finding
    /// already reports (an allow of the action or at least as severe by the statement it names,
    /// a refused delivery or read, a missing hardening deny, a deny that blocks what must pass)
    /// becomes the counterexample of the first such finding that has none yet, or is dropped;
    /// the others are findings of their own.
    pub(crate) fn merge_proof(findings: &mut Vec<Finding>, proof: Vec<Finding>) {
        use FindingCode as C;
        const REFUSALS: [FindingCode; 7] = [
            C::MissingDelivery,
            C::MissingRead,
            C::KeyPolicyCloudtrailEncrypt,
            C::KeyPolicyCloudtrailDescribe,
            C::KeyPolicyCloudtrailDecrypt,
            C::KeyPolicyReaderCannotDecrypt,
            C::KeyPolicyLockout,
        ];
        const MISSING_DENIES: [FindingCode; 3] = [
            C::MissingTlsDeny,
            C::MissingDeleteDeny,
            C::MissingPolicyChangeDeny,
        ];
        const OVERDENIALS: [FindingCode; 3] = [
            C::DenyBlocksDelivery,
            C::BreakGlassDenied,
            C::AdminLockedOut,
        ];
        let own = findings.len();
        for p in proof {
            let Some(ce) = p.counterexample() else {
                findings.push(p);
                continue;
            };
            let sids: Vec<String> = ce
                .deciding()
                .iter()
                .filter_map(|d| d.sid.as_ref().map(|sid| format!("`{sid}`")))
                .collect();
            // A lint finding that says the same fault: for an allow, one on the statement
            // that names the action (lint's severity stands: it weighs what the action
            // exposes) or says the statement at least as severely; otherwise one of the same
            // kind, at least as severe where severities differ by kind. It takes the request
            // if it has none yet; either way the fault is said once.
            let action = format!("`{}`", ce.request().action());
            let says_it = |f: &Finding| match p.code {
                C::UnintendedAllow => {
                    sids.iter().any(|s| f.message.contains(s))
                        && (f.message.contains(&action) || f.severity <= p.severity)
                }
                C::IntendedRefused => REFUSALS.contains(&f.code) && f.severity <= p.severity,
                C::MissingDeny => MISSING_DENIES.contains(&f.code),
                C::Overdenied => OVERDENIALS.contains(&f.code) && f.severity <= p.severity,
                _ => false,
            };
            let hosts = || findings.iter().take(own).filter(|f| says_it(f));
            if hosts().next().is_none() {
                findings.push(p);
                continue;
            }
            let empty = findings
                .iter_mut()
                .take(own)
                .find(|f| says_it(f) && f.counterexample.is_none());
            if let Some(host) = empty {
                host.counterexample.clone_from(&p.counterexample);
            }
        }
    }

    /// How many findings this one stands for: 1, or more for a group ([`Finding::grouped`]).
    pub fn count(&self) -> usize {
        self.count
    }

    /// `findings` with every run of four or more alike (same severity and code, messages that
    /// differ only in words holding a digit or a backtick, such as ``trails[7]`` or
    /// `` `trail-7` ``) replaced by one finding: the first message, then the count and the first
    /// few of the words that differ, e.g. ``… (and 1,999 more like it: trails[1], trails[2],
    /// trails[3], …)``. Order is kept; a group stands where its first finding stood.
    ///
    /// ```
    /// use cloudtrail_policy::{Finding, FindingCode, Severity};
    /// let many: Vec<Finding> = (0..2000)
    ///     .map(|i| Finding::new(Severity::Warning, FindingCode::Trail, format!("trails[{i}]: trail `t-{i}` has no kms key")))
    ///     .collect();
    /// let grouped = Finding::grouped(many);
    /// assert_eq!(grouped.len(), 1);
    /// assert_eq!(grouped[0].count(), 2000);
    /// assert_eq!(
    ///     grouped[0].message(),
    ///     "trails[0]: trail `t-0` has no kms key (and 1,999 more like it: trails[1], trails[2], trails[3], …)"
    /// );
    /// ```
    #[must_use]
    pub fn grouped(findings: Vec<Finding>) -> Vec<Finding> {
        const AT_LEAST: usize = 4;
        const SHOWN: usize = 3;
        let mut groups: Vec<Vec<Finding>> = Vec::new();
        let mut index: std::collections::HashMap<(Severity, FindingCode, String), usize> =
            std::collections::HashMap::new();
        for f in findings {
            let key = (f.severity, f.code, template(&f.message));
            match index.get(&key) {
                Some(&i) => {
                    if let Some(group) = groups.get_mut(i) {
                        group.push(f);
                    }
                }
                None => {
                    index.insert(key, groups.len());
                    groups.push(vec![f]);
                }
            }
        }
        let mut out = Vec::new();
        for group in groups {
            if group.len() < AT_LEAST {
                out.extend(group);
                continue;
            }
            let mut members = group.into_iter();
            let Some(first) = members.next() else {
                continue;
            };
            let rest: Vec<Finding> = members.collect();
            let examples: Vec<String> = rest
                .iter()
                .take(SHOWN)
                .map(|f| difference(&first.message, &f.message))
                .collect();
            let count = 1 + rest.iter().map(|f| f.count).sum::<usize>();
            out.push(Finding {
                message: format!(
                    "{} (and {} more like it: {}, …)",
                    first.message,
                    thousands(count - 1),
                    examples.join(", ")
                ),
                count,
                ..first
            });
        }
        out
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

/// A message with every word holding a digit or a backtick replaced by `#`: the shape findings
/// that differ only in their subject share.
fn template(message: &str) -> String {
    message
        .split(' ')
        .map(|w| {
            if w.bytes().any(|b| b.is_ascii_digit() || b == b'`') {
                "#"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first word of `other` that differs from `first`'s, without trailing punctuation.
fn difference(first: &str, other: &str) -> String {
    first
        .split(' ')
        .zip(other.split(' '))
        .find(|(a, b)| a != b)
        .map(|(_, b)| b.trim_end_matches([':', ',', ';', '.']))
        .unwrap_or(other)
        .to_owned()
}

/// `1999` → `1,999`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    /// The codes are a contract: scripts match on these strings.
    #[test]
    fn the_codes_are_exactly_these_strings() {
        let mut codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(
            codes,
            [
                "access-logs",
                "admin-locked-out",
                "break-glass-denied",
                "bucket-key-decrypt-scope-unverified",
                "bucket-name",
                "bucket-policy",
                "bucket-policy-no-bucket",
                "bucket-policy-too-large",
                "cannot-prove",
                "cloudtrail-principal-unconfirmed",
                "confused-deputy",
                "create-kms-key",
                "cross-account-access",
                "cross-folder-write",
                "delegated-admin-start-logging",
                "delivery-too-wide",
                "deny-blocks-delivery",
                "duplicate-trail",
                "intended-refused",
                "intent",
                "key-policy",
                "key-policy-administration",
                "key-policy-cloudtrail-decrypt",
                "key-policy-cloudtrail-describe",
                "key-policy-cloudtrail-encrypt",
                "key-policy-foreign-trail",
                "key-policy-lockout",
                "key-policy-missing-source-arn",
                "key-policy-needs-key-arn",
                "key-policy-no-key",
                "key-policy-no-root",
                "key-policy-outside-access",
                "key-policy-public-decrypt",
                "key-policy-reader-cannot-decrypt",
                "key-policy-reader-decrypts-anything",
                "key-policy-too-large",
                "key-policy-unsupported",
                "kms-alias-arn",
                "kms-cross-account-reader",
                "kms-key-partition",
                "kms-key-region",
                "kms-key-region-unchecked",
                "layout-fallback",
                "lifecycle",
                "lifecycle-change-denied",
                "lifecycle-expiration-before-retention",
                "lifecycle-no-noncurrent-expiration",
                "live-bucket-setting",
                "live-event-selectors",
                "live-insight-selectors",
                "live-key-not-collected",
                "live-key-rotation-off",
                "live-lifecycle-deletes-logs",
                "live-organization",
                "live-statement-changed",
                "live-statement-missing",
                "live-statement-unplanned",
                "live-trail-missing",
                "live-trail-not-logging",
                "live-trail-setting",
                "live-versioning-not-enabled",
                "live-wrong-account",
                "log-deletion-allowed",
                "missing-delete-deny",
                "missing-delivery",
                "missing-deny",
                "missing-policy-change-deny",
                "missing-read",
                "missing-tls-deny",
                "object-lock-unconfirmed",
                "organization-access",
                "organization-missing",
                "organization-unused",
                "overdenied",
                "partition-mismatch",
                "plan-incomplete",
                "policy-change-allowed",
                "policy-too-large-to-lint",
                "principal-too-wide",
                "probe-failed",
                "proof-incomplete",
                "public-access",
                "quota",
                "reader-too-wide",
                "service-access",
                "several-organization-trails",
                "source-org-id-unverified",
                "trail",
                "unconfirmed-service-principal",
                "unintended-allow",
                "unknown-region",
                "unlisted-trail",
                "unnamed-account-access",
            ]
        );
    }

    /// Every variant is in `ALL`: adding a variant breaks this match until it is listed here,
    /// and the count then fails until `ALL` has it too.
    #[test]
    fn all_has_every_variant() {
        fn listed(c: FindingCode) -> bool {
            match c {
                FindingCode::PartitionMismatch
                | FindingCode::BucketName
                | FindingCode::UnconfirmedServicePrincipal
                | FindingCode::CreateKmsKey
                | FindingCode::KeyPolicyNeedsKeyArn
                | FindingCode::ObjectLockUnconfirmed
                | FindingCode::OrganizationMissing
                | FindingCode::Trail
                | FindingCode::DuplicateTrail
                | FindingCode::SeveralOrganizationTrails
                | FindingCode::Intent
                | FindingCode::Quota
                | FindingCode::BucketPolicy
                | FindingCode::LayoutFallback
                | FindingCode::KeyPolicy
                | FindingCode::ProbeFailed
                | FindingCode::PlanIncomplete
                | FindingCode::KmsKeyPartition
                | FindingCode::KmsKeyRegion
                | FindingCode::KmsKeyRegionUnchecked
                | FindingCode::KmsAliasArn
                | FindingCode::CloudtrailPrincipalUnconfirmed
                | FindingCode::KmsCrossAccountReader
                | FindingCode::KeyPolicyNoKey
                | FindingCode::KeyPolicyCloudtrailEncrypt
                | FindingCode::KeyPolicyCloudtrailDescribe
                | FindingCode::KeyPolicyCloudtrailDecrypt
                | FindingCode::KeyPolicyMissingSourceArn
                | FindingCode::KeyPolicyForeignTrail
                | FindingCode::KeyPolicyReaderCannotDecrypt
                | FindingCode::KeyPolicyReaderDecryptsAnything
                | FindingCode::KeyPolicyPublicDecrypt
                | FindingCode::KeyPolicyLockout
                | FindingCode::KeyPolicyNoRoot
                | FindingCode::KeyPolicyTooLarge
                | FindingCode::KeyPolicyUnsupported
                | FindingCode::BucketPolicyNoBucket
                | FindingCode::MissingDelivery
                | FindingCode::DenyBlocksDelivery
                | FindingCode::ConfusedDeputy
                | FindingCode::PublicAccess
                | FindingCode::CrossAccountAccess
                | FindingCode::LogDeletionAllowed
                | FindingCode::PolicyChangeAllowed
                | FindingCode::MissingRead
                | FindingCode::CrossFolderWrite
                | FindingCode::DeliveryTooWide
                | FindingCode::UnlistedTrail
                | FindingCode::ReaderTooWide
                | FindingCode::MissingTlsDeny
                | FindingCode::MissingDeleteDeny
                | FindingCode::MissingPolicyChangeDeny
                | FindingCode::BreakGlassDenied
                | FindingCode::AdminLockedOut
                | FindingCode::CannotProve
                | FindingCode::UnknownRegion
                | FindingCode::OrganizationUnused
                | FindingCode::BucketKeyDecryptScopeUnverified
                | FindingCode::SourceOrgIdUnverified
                | FindingCode::DelegatedAdminStartLogging
                | FindingCode::AccessLogs
                | FindingCode::Lifecycle
                | FindingCode::LifecycleExpirationBeforeRetention
                | FindingCode::LifecycleNoNoncurrentExpiration
                | FindingCode::LifecycleChangeDenied
                | FindingCode::BucketPolicyTooLarge
                | FindingCode::PolicyTooLargeToLint
                | FindingCode::OrganizationAccess
                | FindingCode::UnnamedAccountAccess
                | FindingCode::ServiceAccess
                | FindingCode::PrincipalTooWide
                | FindingCode::KeyPolicyAdministration
                | FindingCode::KeyPolicyOutsideAccess
                | FindingCode::ProofIncomplete
                | FindingCode::UnintendedAllow
                | FindingCode::IntendedRefused
                | FindingCode::MissingDeny
                | FindingCode::Overdenied
                | FindingCode::LiveWrongAccount
                | FindingCode::LiveStatementMissing
                | FindingCode::LiveStatementChanged
                | FindingCode::LiveStatementUnplanned
                | FindingCode::LiveBucketSetting
                | FindingCode::LiveVersioningNotEnabled
                | FindingCode::LiveLifecycleDeletesLogs
                | FindingCode::LiveKeyRotationOff
                | FindingCode::LiveKeyNotCollected
                | FindingCode::LiveTrailMissing
                | FindingCode::LiveTrailSetting
                | FindingCode::LiveTrailNotLogging
                | FindingCode::LiveEventSelectors
                | FindingCode::LiveInsightSelectors
                | FindingCode::LiveOrganization => true,
            }
        }
        assert!(FindingCode::ALL.into_iter().all(listed));
        assert_eq!(FindingCode::ALL.len(), 93);
    }

    #[test]
    fn only_runs_of_four_alike_are_grouped_and_grouping_is_idempotent() {
        let f = |code, message: &str| Finding::new(Severity::Warning, code, message);
        let three: Vec<Finding> = (0..3)
            .map(|i| f(FindingCode::Trail, &format!("trails[{i}]: no key")))
            .collect();
        assert_eq!(Finding::grouped(three.clone()), three);
        let mut mixed: Vec<Finding> = (0..5)
            .map(|i| f(FindingCode::Trail, &format!("trails[{i}]: no key")))
            .collect();
        mixed.insert(2, f(FindingCode::Quota, "trails[9]: no key"));
        mixed.push(f(FindingCode::Trail, "trails[7]: something else"));
        let grouped = Finding::grouped(mixed);
        let messages: Vec<&str> = grouped.iter().map(Finding::message).collect();
        assert_eq!(
            messages,
            [
                "trails[0]: no key (and 4 more like it: trails[1], trails[2], trails[3], …)",
                "trails[9]: no key",
                "trails[7]: something else",
            ]
        );
        assert_eq!(grouped.first().map(Finding::count), Some(5));
        assert_eq!(Finding::grouped(grouped.clone()), grouped);
        let json = serde_json::to_value(&grouped).unwrap();
        assert_eq!(json[0]["count"], 5);
        assert!(json[1].get("count").is_none());
    }
}
