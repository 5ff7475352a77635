//! The KMS key policy for CloudTrail log encryption (SSE-KMS): key administration, CloudTrail's
//! encrypt, describe and (with an S3 Bucket Key) decrypt permissions, and the readers' decrypt.
//!
//! Shapes come from CloudTrail's documented key-policy statements
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>),
//! the console's default policy
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>) and
//! the KMS guide's default key policy
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>). As in the
//! bucket policy, every Sid starts with [`SID_PREFIX`](crate::SID_PREFIX) so that a merge can find the crate's
//! statements and leave everybody else's alone.
//!
//! # Statements, in order
//!
//! 1. `CloudTrailPolicyEnableIamPolicies`: `kms:*` for the key account's root, always. This is
//!    the KMS default statement; without it the key can become unmanageable (see
//!    [`KeyPolicy::generate`]).
//! 2. `CloudTrailPolicyKeyAdministrators`: the console's key-administrator actions, when
//!    administrators are named.
//! 3. `CloudTrailPolicyEncrypt` / `…EncryptAnyTrail`: `kms:GenerateDataKey*` for CloudTrail,
//!    bound to the delivering trails by `aws:SourceArn` and to the delivering accounts by the
//!    encryption context.
//! 4. `CloudTrailPolicyDescribeKey` / `…DescribeKeyAnyTrail`: `kms:DescribeKey` for CloudTrail,
//!    bound by `aws:SourceArn`.
//! 5. `CloudTrailPolicyDecrypt`: `kms:Decrypt` for CloudTrail, when the bucket uses an S3 Bucket
//!    Key, without a condition as AWS documents it (`AllowCloudTrailDecryptTrail`,
//!    <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
//!    With [`IntentBuilder::scope_bucket_key_decrypt`](crate::IntentBuilder::scope_bucket_key_decrypt)
//!    (opt-in, unverified) it is `CloudTrailPolicyDecrypt` / `…DecryptAnyTrail`, bound by
//!    `aws:SourceArn` like the other CloudTrail statements.
//! 6. `CloudTrailPolicyReadLogs`: `kms:Decrypt` for the named readers, only for data whose
//!    encryption context is a delivering account's trail and one of this bucket's log objects
//!    (or, with a Bucket Key, the bucket); with a Bucket Key also
//!    `CloudTrailPolicyReadLogsBucketKey`, for the bucket's own context without any trail.
//!
//! Known trails and accounts whose trails are not known get separate statements: the conditions
//! of one statement are ANDed, so an exact `StringEquals aws:SourceArn` and a wildcard
//! `ArnLike aws:SourceArn` in one statement would require a trail to match both, and the
//! unknown trails would be refused.

mod expect;
mod lint;
mod probes;
mod statements;

pub(crate) use statements::KEY_ADMIN_EVERY_ACTION;

use serde::Serialize;

use crate::artifact::PolicyKind;
use crate::document::PolicyDocument;
use crate::finding::{Finding, FindingCode};
use crate::id::{KmsKeyRef, Region};
use crate::intent::{Intent, PolicyKey};
use crate::probe::{Probe, Report};
use crate::proof::{Completeness, Expectation, Scope};

/// A generated key policy for the intent's KMS key.
///
/// It serializes as the policy document itself, ready for
/// `aws kms put-key-policy --policy-name default --policy file://...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPolicy {
    // INVARIANT: `document` was generated from one checked `Intent` whose key is in the bucket's
    // region (when known), every Sid starts with `SID_PREFIX`, and its minified size is at most
    // `PolicyKind::Key.size_limit()`.
    document: PolicyDocument,
    cloudtrail_decrypt: bool,
}

/// The key policy cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyPolicyError {
    /// The intent names no KMS key.
    #[error("no kms key in the intent: name the key that encrypts the logs")]
    NoKey,
    /// The key is not in the bucket's region: CloudTrail refuses it
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html>).
    #[error(
        "kms key `{}` is in region `{key_region}`, but the bucket is in `{bucket_region}`: CreateTrail and UpdateTrail fail with KmsKeyNotFoundException; use a key in `{bucket_region}` (for a multi-region `mrk-` key, its replica there)",
        key.as_str()
    )]
    RegionMismatch {
        /// The key.
        key: Box<PolicyKey>,
        /// The key's region.
        key_region: Region,
        /// The bucket's region.
        bucket_region: Region,
    },
    /// Readers decrypt under an S3 Bucket Key, whose encryption context is the bucket's ARN
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>), but the intent
    /// names no bucket: their statement cannot be written without granting every bucket.
    #[error(
        "readers decrypt logs of a bucket with an s3 bucket key, whose encryption context is the bucket's arn, but no bucket is named: name the bucket"
    )]
    BucketKeyReadersNeedBucket,
    /// The key policy is over KMS's 32 KB limit
    /// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>).
    #[error(
        "key policy is {minified} bytes minified ({pretty} pretty) for {accounts} accounts, over KMS's limit of {limit} bytes: name accounts instead of single trails, or use an organization trail"
    )]
    TooLarge {
        /// Minified size in bytes, the size measured against the limit.
        minified: usize,
        /// Pretty-printed size in bytes.
        pretty: usize,
        /// The limit, 32,768 bytes.
        limit: usize,
        /// How many delivering accounts the policy names.
        accounts: usize,
    },
}

impl Serialize for KeyPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.document.serialize(s)
    }
}

impl KeyPolicy {
    /// Generates the key policy for the intent's key, with CloudTrail's decrypt permission when
    /// the intent says the bucket uses an S3 Bucket Key.
    ///
    /// The key account's root keeps `kms:*` ("Enable IAM policies") also when administrators are
    /// named. KMS key policies give nobody access implicitly, not even the key's own account; the
    /// root statement lets the account's IAM policies grant access and, because the root user
    /// cannot be deleted, keeps the key manageable if every named administrator is deleted —
    /// otherwise only AWS Support can restore access
    /// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>).
    ///
    /// Use [`KeyPolicy::builder`] to override the CloudTrail decrypt option.
    ///
    /// # Errors
    /// [`KeyPolicyError::NoKey`] when the intent names no key;
    /// [`KeyPolicyError::RegionMismatch`] when the key is not in the bucket's region;
    /// [`KeyPolicyError::BucketKeyReadersNeedBucket`] when readers decrypt under an S3 Bucket Key
    /// and the intent names no bucket;
    /// [`KeyPolicyError::TooLarge`] when the policy is over 32,768 bytes.
    ///
    /// ```
    /// use cloudtrail_policy::{Intent, KeyPolicy, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws)
    ///     .bucket_region("us-east-1".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .key("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?)
    ///     .build()?;
    /// let policy = KeyPolicy::generate(&intent)?;
    /// let json = policy.document().to_json();
    /// assert!(json.contains(r#""aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main""#));
    /// assert!(json.contains(r#""kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*""#));
    /// # Ok(()) }
    /// ```
    pub fn generate(intent: &Intent) -> Result<KeyPolicy, KeyPolicyError> {
        KeyPolicy::builder(intent).build()
    }

    /// A builder for the key policy of `intent`, to set options before generating.
    pub fn builder(intent: &Intent) -> KeyPolicyBuilder<'_> {
        KeyPolicyBuilder {
            intent,
            cloudtrail_decrypt: intent.bucket_key(),
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Consumes the policy, giving its document.
    pub fn into_document(self) -> PolicyDocument {
        self.document
    }

    /// Whether CloudTrail may call `kms:Decrypt` (needed with an S3 Bucket Key).
    pub fn cloudtrail_decrypt(&self) -> bool {
        self.cloudtrail_decrypt
    }

    /// The key-policy probe matrix for `intent`, with CloudTrail's `kms:Decrypt` expected iff
    /// `cloudtrail_decrypt`; empty when the intent has no key.
    ///
    /// CloudTrail's requests carry what CloudTrail sends: `aws:SourceArn`, `aws:SourceAccount`
    /// and, for a trail of an organization's account, `aws:SourceOrgID`.
    ///
    /// Allowed, for every delivering trail (a made-up trail of each account whose trails are not
    /// known): `kms:GenerateDataKey` with the trail's own encryption context and `aws:SourceArn`,
    /// `kms:DescribeKey`, and `kms:Decrypt` when `cloudtrail_decrypt` (also without
    /// `aws:SourceArn` and for any trail, as AWS documents it, unless
    /// [`Intent::scope_bucket_key_decrypt`]); every reader's `kms:Decrypt` of each delivering
    /// trail's logs, with the context of a log file without a Bucket Key (trail and object ARN)
    /// and, with a Bucket Key, both contexts it may have (trail and bucket ARN, or the bucket ARN
    /// alone); `kms:PutKeyPolicy` by the key account's root and by each administrator, and
    /// `kms:ScheduleKeyDeletion` by each administrator.
    ///
    /// Refused (`ImplicitDeny`): an unlisted account's trail; another trail of an account whose
    /// trails are all named; a listed trail without the encryption context, without
    /// `aws:SourceArn`, or with another account's context; another service principal; anonymous
    /// decrypt; a reader's decrypt without a CloudTrail context, of an unlisted account's logs,
    /// of another bucket's objects or Bucket Key, of an object of this bucket outside `AWSLogs/`,
    /// of the bucket's context with an unlisted account's trail, or of the bucket's context
    /// alone without a Bucket Key; a reader's encrypt; a stranger's decrypt and
    /// `kms:PutKeyPolicy`; CloudTrail's `kms:PutKeyPolicy`.
    ///
    /// Principals of the key's own account are delegated to IAM by the root statement (`kms:*`,
    /// which the crate always keeps), so the key policy alone allows them anything: for a reader
    /// of the key account the "refused" reader probes expect `Allow`, and the probe name says so.
    pub fn probes(intent: &Intent, cloudtrail_decrypt: bool) -> Vec<Probe> {
        probes::key_probes(intent, cloudtrail_decrypt)
    }

    /// Lints an existing key policy against the intent: each finding names what would go wrong.
    ///
    /// Findings (codes):
    /// - `key-policy-no-key` (error): the intent names no key, so there is nothing to check against.
    /// - `key-policy-cloudtrail-encrypt`, `key-policy-cloudtrail-describe`,
    ///   `key-policy-cloudtrail-decrypt` (errors): CloudTrail is not allowed `kms:GenerateDataKey*`,
    ///   `kms:DescribeKey`, or (with an S3 Bucket Key) `kms:Decrypt` for a delivering trail:
    ///   CreateTrail and UpdateTrail fail with `InsufficientEncryptionPolicyException`, thrown "when
    ///   the policy on the S3 bucket or KMS key does not have sufficient permissions"
    ///   (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>), and
    ///   an existing trail stops delivering
    ///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
    /// - `key-policy-missing-source-arn` (warning): CloudTrail may use the key without
    ///   `aws:SourceArn`, which AWS recommends "as a security best practice"
    ///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
    /// - `key-policy-foreign-trail` (warning): CloudTrail may encrypt for trails of accounts the
    ///   intent does not name.
    /// - `key-policy-reader-cannot-decrypt` (warning): a reader cannot decrypt the logs, so it
    ///   cannot read them.
    /// - `key-policy-reader-decrypts-anything` (warning): a reader may decrypt data that is not a
    ///   CloudTrail log of a delivering account, i.e. anything else encrypted with the key. Grants
    ///   to the key's own account root (delegation to IAM) are not counted.
    /// - `key-policy-public-decrypt` (error): any principal of any account may decrypt.
    /// - `key-policy-administration` (error): someone the intent does not name (anyone, the
    ///   members of an organization, another account, another service) may replace the key
    ///   policy, disable the key, schedule its deletion, delete its key material or create
    ///   grants; the finding names the statement. Key administrators "can give themselves and
    ///   others AWS KMS permissions not specified in this policy"
    ///   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>).
    /// - `key-policy-outside-access` (error for decrypt, warning for other uses and settings,
    ///   suggestion for reads): someone the intent does not name may use, change or read the key.
    ///   The key account's own principals (delegated to IAM), the named administrators for
    ///   administration and the readers for `kms:Decrypt` are not reported.
    /// - `key-policy-lockout` (error): neither the key account's root nor a named administrator may
    ///   call `kms:PutKeyPolicy`: KMS's lockout safety check refuses such a policy unless
    ///   `BypassPolicyLockoutSafetyCheck` is set, and then the key becomes unmanageable
    ///   (<https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html>).
    /// - `key-policy-no-root` (warning): only named administrators manage the key: if they are all
    ///   deleted, only AWS Support can restore access.
    /// - `key-policy-too-large` (error): over 32,768 bytes; KMS refuses it
    ///   (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>).
    /// - `policy-too-large-to-lint` (error): more than 10 times over that limit; nothing else is
    ///   checked.
    /// - `key-policy-unsupported` (error, failing closed): a statement the evaluator cannot decide, so a check
    ///   could not be made.
    pub fn lint(policy: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
        let mut findings = lint::lint(policy, intent);
        let unlinted = [
            FindingCode::KeyPolicyNoKey,
            FindingCode::PolicyTooLargeToLint,
        ];
        if !findings.iter().any(|f| unlinted.contains(&f.code())) {
            // The complete proof: every request the intent does not accept, beyond the checks'.
            let scope = Scope::Existing { any_layout: false };
            let proof = expect::prove(policy, intent, intent.bucket_key(), scope);
            Finding::merge_proof(
                &mut findings,
                Finding::from_proof("the key policy", &proof, false),
            );
        }
        findings
    }

    /// Checks a key reference as a user would pass it to CloudTrail's `KmsKeyId`, against the intent.
    ///
    /// Findings (codes):
    /// - `kms-key-partition` (error): the key's partition is not the log archive's.
    /// - `kms-key-region` (error): the key is not in the bucket's region; CloudTrail answers
    ///   `KmsKeyNotFoundException`
    ///   (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
    /// - `kms-key-region-unchecked` (warning): an alias name or bare key id names no region, or the
    ///   bucket's region is unknown, so the region cannot be checked.
    /// - `kms-alias-arn` (suggestion): an alias can be pointed at another key later; the key ARN
    ///   pins the key the policy was written for.
    /// - `cloudtrail-principal-unconfirmed` (warning): AWS documents `cloudtrail.amazonaws.com` only
    ///   for `aws` and `aws-cn`
    ///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>
    ///   and its China rendition,
    ///   <https://docs.amazonaws.cn/en_us/awscloudtrail/latest/userguide/default-kms-key-policy.md>).
    /// - `kms-cross-account-reader` (suggestion): a reader in another account than the key's also
    ///   needs an IAM policy in its own account allowing `kms:Decrypt` on the key
    ///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
    ///
    /// Whether the key is symmetric cannot be seen in its ARN: CloudTrail and S3 support only
    /// symmetric encryption keys
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html>);
    /// checking it needs `kms:DescribeKey`, which is I/O and out of this crate's scope.
    pub fn key_findings(key: &KmsKeyRef, intent: &Intent) -> Vec<Finding> {
        lint::key_reference(key, intent)
    }

    /// Proves `policy` over every request against `intent`, held to the rules of
    /// [`KeyPolicy::expectation`]: complete, or counterexamples, or incomplete with the
    /// construct it cannot decide (see [`Completeness`]).
    ///
    /// ```
    /// use cloudtrail_policy::{Intent, KeyPolicy, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .key("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?)
    ///     .build()?;
    /// let policy = KeyPolicy::generate(&intent)?;
    /// let proof = KeyPolicy::prove(policy.document(), &intent, policy.cloudtrail_decrypt());
    /// assert!(proof.is_complete());
    /// # Ok(()) }
    /// ```
    pub fn prove(
        policy: &PolicyDocument,
        intent: &Intent,
        cloudtrail_decrypt: bool,
    ) -> Completeness {
        expect::prove(policy, intent, cloudtrail_decrypt, Scope::Generated)
    }

    /// What a key policy for `intent` is meant to do, for a bucket that does
    /// (`cloudtrail_decrypt`) or does not use an S3 Bucket Key: the rules [`KeyPolicy::prove`]
    /// holds a policy to. The first rule that selects a request decides; a request no rule
    /// selects must not be allowed.
    ///
    /// 1. The key account's own principals: every KMS action is allowed by the key policy and
    ///    left to the account's IAM policies (the KMS default statement,
    ///    <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>).
    /// 2. The named key administrators: the console's administrator actions are allowed
    ///    (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators>).
    /// 3. CloudTrail, on behalf of a delivering trail (`aws:SourceArn` a named trail, or any
    ///    trail of an account whose trails are not known): `kms:GenerateDataKey*` for logs whose
    ///    encryption context names a trail of those accounts, and `kms:DescribeKey`: allowed
    ///    (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
    ///    With an S3 Bucket Key, `kms:Decrypt` too: bound the same way with
    ///    [`Intent::scope_bucket_key_decrypt`], else for CloudTrail whatever the request, as
    ///    AWS's `AllowCloudTrailDecryptTrail` shows it.
    /// 4. Readers: `kms:Decrypt` of a log file, whose encryption context names a trail of a
    ///    delivering account and (when the intent names the bucket) an object below this
    ///    bucket's `AWSLogs/` (or, with a Bucket Key, the bucket); with a Bucket Key, also the
    ///    bucket's own context alone: allowed.
    /// 5. Everything else: not allowed.
    pub fn expectation(intent: &Intent, cloudtrail_decrypt: bool) -> Option<Expectation> {
        intent
            .key()
            .map(|key| expect::expectation(intent, key, cloudtrail_decrypt, Scope::Generated))
    }

    /// Proves this policy over every request against `intent` (see [`KeyPolicy::prove`]).
    pub fn complete(&self, intent: &Intent) -> Completeness {
        KeyPolicy::prove(&self.document, intent, self.cloudtrail_decrypt)
    }

    /// Proves the policy against `intent`: runs [`KeyPolicy::probes`] (with this policy's
    /// CloudTrail-decrypt setting) through the evaluator.
    ///
    /// ```
    /// use cloudtrail_policy::{Intent, KeyPolicy, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .reader("arn:aws:iam::222222222222:role/Auditor".parse()?)
    ///     .key("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?)
    ///     .build()?;
    /// let report = KeyPolicy::generate(&intent)?.verify(&intent);
    /// assert!(report.passed());
    /// assert!(report.results().len() >= 12);
    /// # Ok(()) }
    /// ```
    pub fn verify(&self, intent: &Intent) -> Report {
        Report::run(
            &self.document,
            KeyPolicy::probes(intent, self.cloudtrail_decrypt),
        )
    }
}

/// Options for a [`KeyPolicy`]; [`KeyPolicyBuilder::build`] generates it.
#[derive(Debug, Clone)]
#[must_use]
pub struct KeyPolicyBuilder<'a> {
    intent: &'a Intent,
    cloudtrail_decrypt: bool,
}

impl KeyPolicyBuilder<'_> {
    /// Whether CloudTrail gets `kms:Decrypt` (unconditioned as AWS documents it, or scoped by
    /// `aws:SourceArn` with [`Intent::scope_bucket_key_decrypt`]). Defaults to
    /// [`Intent::bucket_key`]: "If you are using an existing S3 bucket with an S3 Bucket Key,
    /// `kms:Decrypt` permissions are required to create or update a trail with SSE-KMS
    /// encryption enabled"
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
    pub fn cloudtrail_decrypt(mut self, on: bool) -> Self {
        self.cloudtrail_decrypt = on;
        self
    }

    /// Generates the key policy.
    ///
    /// # Errors
    /// As [`KeyPolicy::generate`].
    pub fn build(self) -> Result<KeyPolicy, KeyPolicyError> {
        let intent = self.intent;
        let key = intent.key().ok_or(KeyPolicyError::NoKey)?;
        check_key_region(key, intent)?;
        if intent.bucket_key() && !intent.readers().is_empty() && intent.bucket().is_none() {
            return Err(KeyPolicyError::BucketKeyReadersNeedBucket);
        }
        // The key's partition was checked against the intent's (and so against every trail's
        // and principal's) by `IntentBuilder::build`.
        let document = statements::document(intent, key, self.cloudtrail_decrypt);
        let minified = document.minified_len();
        let limit = PolicyKind::Key.size_limit();
        if minified > limit {
            return Err(KeyPolicyError::TooLarge {
                minified,
                pretty: document.pretty_len(),
                limit,
                accounts: intent.delivering_accounts().len(),
            });
        }
        Ok(KeyPolicy {
            document,
            cloudtrail_decrypt: self.cloudtrail_decrypt,
        })
    }
}

/// Checks that `key` is in the bucket's region, when the intent knows that region.
///
/// "The KMS key that you choose must be created in the same AWS Region as the Amazon S3 bucket
/// that receives your log files"; CloudTrail throws `KmsKeyNotFoundException` "when the S3
/// bucket and the KMS key are not in the same Region"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html>,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>). A
/// multi-Region key passes when the ARN is its replica in the bucket's region: a replica's ARN
/// carries the replica's region and the shared `mrk-` id.
///
/// # Errors
/// [`KeyPolicyError::RegionMismatch`].
fn check_key_region(key: &PolicyKey, intent: &Intent) -> Result<(), KeyPolicyError> {
    match intent.bucket_region() {
        Some(bucket_region) if bucket_region != key.region() => {
            Err(KeyPolicyError::RegionMismatch {
                key: Box::new(key.clone()),
                key_region: key.region().clone(),
                bucket_region: bucket_region.clone(),
            })
        }
        _ => Ok(()),
    }
}
