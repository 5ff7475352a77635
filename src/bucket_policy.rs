//! The S3 bucket policy of the log archive: CloudTrail delivery for every delivering account and
//! organization, readers, and the hardening denies. Generated from an [`Intent`], proved against
//! it by its probe matrix, and the same matrix lints a policy somebody else wrote.
//!
//! Shapes come from CloudTrail's documented bucket policies
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>)
//! and, for the hardening, S3's example that denies requests without TLS
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html>). The
//! delete deny covers the three actions S3 says must be denied to keep objects from being
//! removed, `s3:DeleteObject`, `s3:DeleteObjectVersion` and `s3:PutLifecycleConfiguration`
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html>);
//! denying them to every principal, and the deny of policy changes, are the crate's own choices.
//! The crate's statements carry Sids that start with
//! [`SID_PREFIX`](crate::SID_PREFIX), so that a merge can find and replace them without touching
//! anybody else's statements.

mod expect;
mod lint;
mod probes;
mod statements;

use serde::Serialize;

use crate::artifact::PolicyKind;
use crate::document::PolicyDocument;
use crate::finding::{Finding, FindingCode};
use crate::intent::{Folders, Intent, Layout};
use crate::probe::{Probe, Report};
use crate::proof::{Completeness, Expectation, Scope};

/// A generated bucket policy: the document and how it was laid out.
///
/// It serializes as the policy document itself, ready for
/// `aws s3api put-bucket-policy --policy file://...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketPolicy {
    // INVARIANT: `document` was generated from one checked `Intent` with `layout`, and its
    // minified size is at most `PolicyKind::Bucket.size_limit()`.
    document: PolicyDocument,
    layout: Layout,
    fell_back: Option<usize>,
}

impl Serialize for BucketPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.document.serialize(s)
    }
}

/// The bucket policy cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BucketPolicyError {
    /// The intent names no bucket.
    #[error("no bucket in the intent: name the bucket the logs are delivered to")]
    NoBucket,
    /// The policy is over S3's 20 KB limit
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html>).
    #[error(
        "bucket policy is {minified} bytes minified ({pretty} pretty) with the {layout:?} layout for {accounts} accounts, over S3's limit of {limit} bytes: use an organization trail, whose deliveries need two write statements in all, however many member accounts"
    )]
    TooLarge {
        /// Minified size in bytes, the size measured against the limit.
        minified: usize,
        /// Pretty-printed size in bytes.
        pretty: usize,
        /// The limit, 20,480 bytes.
        limit: usize,
        /// How many account folders the policy names.
        accounts: usize,
        /// The layout that did not fit.
        layout: Layout,
    },
}

impl BucketPolicy {
    /// Generates the bucket policy for `intent`.
    ///
    /// Without a layout in the intent, `Strict` is used while it fits 20,480 bytes, and
    /// `Documented` after that ([`BucketPolicy::fell_back_from_strict`] says so).
    ///
    /// # Errors
    /// [`BucketPolicyError::NoBucket`] when the intent names no bucket;
    /// [`BucketPolicyError::TooLarge`] when the policy does not fit even in the layout it ends
    /// with.
    ///
    /// ```
    /// use cloudtrail_policy::{BucketPolicy, Intent, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws)
    ///     .bucket("acme-cloudtrail-logs".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .build()?;
    /// let policy = BucketPolicy::generate(&intent)?;
    /// assert!(policy.document().to_json().contains("AWSLogs/111111111111/*"));
    /// assert!(policy.verify(&intent).passed());
    /// # Ok(()) }
    /// ```
    pub fn generate(intent: &Intent) -> Result<BucketPolicy, BucketPolicyError> {
        let bucket = intent.bucket().ok_or(BucketPolicyError::NoBucket)?;
        let limit = PolicyKind::Bucket.size_limit();
        // Built once and passed down: the size bound and every layout tried share it instead of
        // building it again.
        let folders = intent.folders();
        let accounts = folders.len();
        let document = |layout| statements::document(intent, bucket, &folders, layout);
        match intent.layout() {
            Some(layout) => {
                let document = document(layout);
                check_size(&document, layout, accounts)?;
                Ok(BucketPolicy {
                    document,
                    layout,
                    fell_back: None,
                })
            }
            None => {
                // Past a few hundred accounts the strict layout cannot fit, and building it
                // only to measure it would cost megabytes (its statements per account): skip
                // it when a lower bound on its size is already over the limit.
                let logs = bucket.logs_arn(intent.partition(), intent.prefix());
                let mut strict_len = None;
                if strict_lower_bound(&logs, &folders) <= limit {
                    let strict = document(Layout::Strict);
                    let len = strict.minified_len();
                    if len <= limit {
                        return Ok(BucketPolicy {
                            document: strict,
                            layout: Layout::Strict,
                            fell_back: None,
                        });
                    }
                    strict_len = Some(len);
                }
                let documented = document(Layout::Documented);
                check_size(&documented, Layout::Documented, accounts)?;
                // The documented layout fits: report the strict size exactly, measuring it now
                // if the bound skipped it.
                let strict_len =
                    strict_len.unwrap_or_else(|| document(Layout::Strict).minified_len());
                Ok(BucketPolicy {
                    document: documented,
                    layout: Layout::Documented,
                    fell_back: Some(strict_len),
                })
            }
        }
    }

    /// The probe matrix for `intent` under `layout`: the requests CloudTrail and people really
    /// send to a log archive, each with the verdict the intent demands; empty without a bucket.
    ///
    /// Allowed: for every delivering trail (a synthetic one for accounts whose trails are not
    /// known) the ACL check and the log and digest uploads CloudTrail makes; for the
    /// organization trail the same into `AWSLogs/<o-id>/<member>/` and the management account's
    /// folder; reads and listings by the readers. Denied: more than twenty kinds of near miss,
    /// each named.
    ///
    /// With an organization, also: a trail of an account of the organization, of another
    /// organization and of no organization writing into the organization folder (only the
    /// first is allowed, and only when the folder is bound by `aws:SourceOrgID`); a role of an
    /// unlisted member account reading, uploading, deleting and replacing the policy, and (with a
    /// named owner) a role of the owner's account, as a member, deleting: grants conditioned on
    /// `aws:PrincipalOrgID` or `aws:PrincipalOrgPaths` would reach them.
    pub fn probes(intent: &Intent, layout: Layout) -> Vec<Probe> {
        probes::bucket_probes(intent, layout)
    }

    /// Proves `policy` over every request against `intent` under `layout`, held to the rules of
    /// [`BucketPolicy::expectation`]: complete, or counterexamples, or incomplete with the
    /// construct it cannot decide (see [`Completeness`]).
    ///
    /// ```
    /// use cloudtrail_policy::{BucketPolicy, Intent, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws)
    ///     .bucket("acme-cloudtrail-logs".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .build()?;
    /// let policy = BucketPolicy::generate(&intent)?;
    /// let proof = BucketPolicy::prove(policy.document(), &intent, policy.layout());
    /// assert!(proof.is_complete(), "{:?}", proof.counterexamples());
    /// # Ok(()) }
    /// ```
    pub fn prove(policy: &PolicyDocument, intent: &Intent, layout: Layout) -> Completeness {
        expect::prove(policy, intent, layout, Scope::Generated)
    }

    /// What a bucket policy for `intent` under `layout` is meant to do, over every request: the
    /// rules [`BucketPolicy::prove`] holds a policy to. The first rule that selects a request
    /// decides; a request no rule selects must not be allowed.
    ///
    /// 1. Without TLS (`aws:SecureTransport` false), unless the intent allows it: every request
    ///    to the bucket or its objects is denied.
    /// 2. Deleting a log object (`s3:DeleteObject`, `s3:DeleteObjectVersion` below `AWSLogs/`)
    ///    or changing the bucket's lifecycle rules (`s3:PutLifecycleConfiguration`), unless the
    ///    intent allows deletion: denied, except for the break-glass principals (by
    ///    `aws:PrincipalArn`), whose requests the policy neither allows nor denies: their own
    ///    account's IAM decides.
    /// 3. Changing or deleting the bucket policy, when the intent names policy administrators:
    ///    denied, except for them (neither allowed nor denied).
    /// 4. CloudTrail's ACL check (`s3:GetBucketAcl` on the bucket) on behalf of a delivering
    ///    trail (`aws:SourceArn` a named trail, or any trail of an account whose trails are not
    ///    known), and its deliveries (`s3:PutObject` with `s3:x-amz-acl`
    ///    `bucket-owner-full-control`) into each account folder for the trails `layout` lets
    ///    write there, and into the organization folder for the organization trail: allowed.
    ///    <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>
    /// 5. Readers: `s3:GetObject` below `AWSLogs/` and `s3:ListBucket` with an `s3:prefix` below
    ///    `AWSLogs/`: allowed.
    /// 6. Everything else, by anyone, on this bucket or any other: not allowed. The bucket
    ///    owner's own principals are not allowed by the policy either; their IAM policies
    ///    grant them access.
    pub fn expectation(intent: &Intent, layout: Layout) -> Option<Expectation> {
        intent
            .bucket()
            .map(|bucket| expect::expectation(intent, bucket, layout, Scope::Generated))
    }

    /// Proves this policy over every request against `intent`, in its own layout.
    pub fn complete(&self, intent: &Intent) -> Completeness {
        BucketPolicy::prove(&self.document, intent, self.layout)
    }

    /// Proves the policy against `intent`: runs its probe matrix (in this policy's layout)
    /// through the evaluator.
    pub fn verify(&self, intent: &Intent) -> Report {
        Report::run(&self.document, BucketPolicy::probes(intent, self.layout))
    }

    /// Lints an existing bucket policy against `intent`; findings sorted by severity, then code,
    /// then message, without duplicates. Each says who can (or cannot) do what on which
    /// resource and which statement decides it: the probe matrix's requests, and every grant of
    /// an S3 action on the bucket or its objects to a caller the intent does not name (the codes
    /// are [`FindingCode`](crate::FindingCode)'s). A policy more than 10 times over S3's 20 KB
    /// limit is refused without linting (`policy-too-large-to-lint`).
    ///
    /// ```
    /// use cloudtrail_policy::{BucketPolicy, FindingCode, Intent, Partition, PolicyDocument, Severity};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // AWS's documented single-account policy, for trail `main` of 111111111111:
    /// // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    /// let policy = PolicyDocument::from_json(r#"{"Version":"2012-10-17","Statement":[
    ///   {"Sid":"AWSCloudTrailAclCheck20150319","Effect":"Allow",
    ///    "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",
    ///    "Resource":"arn:aws:s3:::acme-logs",
    ///    "Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main"}}},
    ///   {"Sid":"AWSCloudTrailWrite20150319","Effect":"Allow",
    ///    "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
    ///    "Resource":"arn:aws:s3:::acme-logs/AWSLogs/111111111111/*",
    ///    "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control",
    ///      "aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main"}}}]}"#)?;
    /// let intent = Intent::builder(Partition::Aws).bucket("acme-logs".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .build()?;
    /// let findings = BucketPolicy::lint(&policy, &intent);
    /// assert!(findings.iter().all(|f| f.severity() != Severity::Error));
    /// // The intent asks for the TLS and delete denies, which AWS's example lacks.
    /// let codes: Vec<FindingCode> = findings.iter().map(|f| f.code()).collect();
    /// assert_eq!(codes, [FindingCode::MissingDeleteDeny, FindingCode::MissingTlsDeny]);
    ///
    /// // A second trail that the policy does not know about cannot deliver.
    /// let wider = Intent::builder(Partition::Aws).bucket("acme-logs".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:222222222222:trail/other".parse()?)
    ///     .build()?;
    /// let findings = BucketPolicy::lint(&policy, &wider);
    /// assert!(findings.iter().any(|f| f.code() == FindingCode::MissingDelivery
    ///     && f.message().contains("InsufficientS3BucketPolicyException")));
    /// # Ok(()) }
    /// ```
    pub fn lint(policy: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
        let mut findings = lint::lint(policy, intent);
        let unlinted = [
            FindingCode::BucketPolicyNoBucket,
            FindingCode::PolicyTooLargeToLint,
        ];
        if !findings.iter().any(|f| unlinted.contains(&f.code())) {
            // The complete proof: every request the intent does not accept, beyond the checks'.
            // Without a layout, the strict one's deliveries must pass and the documented one's
            // may: either shape serves the intent.
            let scope = Scope::Existing {
                any_layout: intent.layout().is_none(),
            };
            let layout = intent.layout().unwrap_or(Layout::Strict);
            let proof = expect::prove(policy, intent, layout, scope);
            Finding::merge_proof(
                &mut findings,
                Finding::from_proof("the bucket policy", &proof, false),
            );
        }
        findings
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Consumes the policy, giving its document.
    pub fn into_document(self) -> PolicyDocument {
        self.document
    }

    /// The layout the policy ended with.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// When `Strict` did not fit and the policy fell back to `Documented`: the minified size
    /// `Strict` would have had.
    pub fn fell_back_from_strict(&self) -> Option<usize> {
        self.fell_back
    }
}

/// A lower bound on the minified size of the strict layout: it has at least one statement per
/// account folder, each naming the folder's `Resource` (`"<logs><account>/*"`), and JSON
/// escaping never shortens a string.
fn strict_lower_bound(logs: &str, folders: &Folders<'_>) -> usize {
    folders
        .keys()
        .map(|account| logs.len() + account.as_str().len() + "/*\"\"".len())
        .sum()
}

fn check_size(
    document: &PolicyDocument,
    layout: Layout,
    accounts: usize,
) -> Result<(), BucketPolicyError> {
    let minified = document.minified_len();
    let limit = PolicyKind::Bucket.size_limit();
    if minified > limit {
        return Err(BucketPolicyError::TooLarge {
            minified,
            pretty: document.pretty_len(),
            limit,
            accounts,
            layout,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{BucketName, Partition};

    fn bucket() -> BucketName {
        "acme-cloudtrail-logs".parse().unwrap()
    }

    fn intent(trails: usize, any_trail: usize, prefix: bool) -> Intent {
        let mut b = Intent::builder(Partition::Aws).bucket(bucket());
        if prefix {
            b = b.prefix("cloudtrail".parse().unwrap());
        }
        for i in 0..trails {
            let arn = format!(
                "arn:aws:cloudtrail:us-east-1:{:012}:trail/main",
                100_000 + i
            );
            b = b.trail(arn.parse().unwrap());
        }
        for i in 0..any_trail {
            b = b.account(format!("{:012}", 900_000 + i).parse().unwrap());
        }
        b.build().unwrap()
    }

    fn logs(intent: &Intent) -> String {
        bucket().logs_arn(intent.partition(), intent.prefix())
    }

    #[test]
    fn the_strict_lower_bound_never_exceeds_the_strict_size() {
        for (trails, any, prefix) in [(1, 0, false), (0, 1, true), (40, 40, true), (300, 0, false)]
        {
            let intent = intent(trails, any, prefix);
            let actual =
                statements::document(&intent, &bucket(), &intent.folders(), Layout::Strict)
                    .minified_len();
            assert!(
                strict_lower_bound(&logs(&intent), &intent.folders()) <= actual,
                "{trails} {any} {prefix}"
            );
        }
    }

    #[test]
    fn skipping_the_strict_layout_changes_nothing_observable() {
        // 1,000 accounts: over the bound, and the documented layout is refused with the same
        // error as when the strict one was measured first.
        let intent = intent(1_000, 0, true);
        let limit = PolicyKind::Bucket.size_limit();
        assert!(strict_lower_bound(&logs(&intent), &intent.folders()) > limit);
        let documented =
            statements::document(&intent, &bucket(), &intent.folders(), Layout::Documented);
        match BucketPolicy::generate(&intent) {
            Err(BucketPolicyError::TooLarge {
                minified, layout, ..
            }) => {
                assert_eq!(minified, documented.minified_len());
                assert_eq!(layout, Layout::Documented);
            }
            other => panic!("expected too large, got {other:?}"),
        }
    }
}
