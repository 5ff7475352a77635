//! The KMS key policy for CloudTrail log encryption (SSE-KMS): key administration, CloudTrail's
//! encrypt, describe and (with an S3 Bucket Key) decrypt permissions, and the readers' decrypt.
//!
//! Shapes come from CloudTrail's documented key-policy statements
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>),
//! the console's default policy
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>) and
//! the KMS guide's default key policy
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>). As in the
//! bucket policy, every Sid starts with [`SID_PREFIX`] so that a merge can find the crate's
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
//! 5. `CloudTrailPolicyDecrypt` / `…DecryptAnyTrail`: `kms:Decrypt` for CloudTrail, when the
//!    bucket uses an S3 Bucket Key
//!    (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
//! 6. `CloudTrailPolicyReadLogs`: `kms:Decrypt` for the named readers, only for data whose
//!    encryption context is a delivering account's trail.
//!
//! Known trails and accounts whose trails are not known get separate statements: the conditions
//! of one statement are ANDed, so an exact `StringEquals aws:SourceArn` and a wildcard
//! `ArnLike aws:SourceArn` in one statement would require a trail to match both, and the
//! unknown trails would be refused.

use serde::Serialize;

use crate::bucket_policy::SID_PREFIX;
use crate::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use crate::error::PolicyError;
use crate::finding::{Finding, Severity};
use crate::id::{AccountId, KmsKeyArn, KmsKeyRef, PrincipalArn};
use crate::intent::Intent;

mod lint;
mod probes;

pub use lint::lint_key_policy;
pub use probes::{key_probes, key_probes_with};

/// KMS refuses key policies over 32 KB, 32,768 bytes, and the quota is not adjustable
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>). Measured on
/// the minified form.
pub const KEY_POLICY_LIMIT: usize = 32_768;

/// The encryption-context key CloudTrail sets to the trail's ARN when it asks KMS for a data key
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html>,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
pub const CLOUDTRAIL_CONTEXT_KEY: &str = "kms:EncryptionContext:aws:cloudtrail:arn";

/// The actions of the KMS console's "Allow access for Key Administrators" statement for a
/// single-Region symmetric encryption key, as listed in the KMS guide's default key policy
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators>).
/// They do not include cryptographic operations themselves, but an administrator can reach
/// them indirectly: `kms:Create*` covers `kms:CreateGrant` and `kms:Put*` covers
/// `kms:PutKeyPolicy`, so an administrator can grant itself `kms:Decrypt`. Name as
/// administrators only principals you would also trust to read the logs.
pub const KEY_ADMIN_ACTIONS: [&str; 14] = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

/// Added to [`KEY_ADMIN_ACTIONS`] for multi-Region (`mrk-`) keys: the same page says the console
/// includes them "only when you create a multi-Region primary or replica key".
pub const KEY_ADMIN_MULTI_REGION_ACTIONS: [&str; 2] =
    ["kms:ReplicateKey", "kms:UpdatePrimaryRegion"];

/// A generated key policy for the intent's KMS key.
///
/// It serializes as the policy document itself, ready for
/// `aws kms put-key-policy --policy-name default --policy file://...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPolicy {
    // INVARIANT: `document` was generated from one checked `Intent` whose key is in the bucket's
    // region (when known), every Sid starts with `SID_PREFIX`, and its minified size is at most
    // `KEY_POLICY_LIMIT`.
    document: PolicyDocument,
    cloudtrail_decrypt: bool,
    accounts: usize,
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
    /// [`PolicyError::MissingKey`] when the intent names no key;
    /// [`PolicyError::KeyRegionMismatch`] when the key is not in the bucket's region;
    /// [`PolicyError::KeyPolicyTooLarge`] when the policy is over 32,768 bytes.
    ///
    /// ```
    /// use cloudtrail_policy::{Intent, KeyPolicy, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws, "acme-cloudtrail-logs".parse()?)
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
    pub fn generate(intent: &Intent) -> Result<KeyPolicy, PolicyError> {
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

    /// Proves the policy against `intent`: runs [`key_probes_with`] (with this policy's
    /// CloudTrail-decrypt setting) through the evaluator.
    ///
    /// ```
    /// use cloudtrail_policy::{Intent, KeyPolicy, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws, "acme-cloudtrail-logs".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .reader("arn:aws:iam::222222222222:role/Auditor".parse()?)
    ///     .key("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?)
    ///     .build()?;
    /// let report = KeyPolicy::generate(&intent)?.verify(&intent);
    /// assert!(report.passed());
    /// assert!(report.results().len() >= 12);
    /// # Ok(()) }
    /// ```
    pub fn verify(&self, intent: &Intent) -> crate::probe::Report {
        crate::probe::run(
            &self.document,
            key_probes_with(intent, self.cloudtrail_decrypt),
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
    /// Whether CloudTrail gets `kms:Decrypt`, scoped by `aws:SourceArn`. Defaults to
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
    pub fn build(self) -> Result<KeyPolicy, PolicyError> {
        let intent = self.intent;
        let key = intent.key().ok_or(PolicyError::MissingKey)?;
        check_key_region(key, intent)?;
        // The key's partition was checked against the intent's (and so against every trail's
        // and principal's) by `IntentBuilder::build`.
        let document = document(intent, key, self.cloudtrail_decrypt);
        let minified = document.minified_len();
        let accounts = intent.delivering_accounts().len();
        if minified > KEY_POLICY_LIMIT {
            return Err(PolicyError::KeyPolicyTooLarge {
                minified,
                pretty: document.pretty_len(),
                limit: KEY_POLICY_LIMIT,
                accounts,
            });
        }
        Ok(KeyPolicy {
            document,
            cloudtrail_decrypt: self.cloudtrail_decrypt,
            accounts,
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
/// [`PolicyError::KeyRegionMismatch`].
pub fn check_key_region(key: &KmsKeyArn, intent: &Intent) -> Result<(), PolicyError> {
    match intent.bucket_region() {
        Some(bucket_region) if bucket_region != key.region() => {
            Err(PolicyError::KeyRegionMismatch {
                key: Box::new(key.clone()),
                key_region: key.region().clone(),
                bucket_region: bucket_region.clone(),
            })
        }
        _ => Ok(()),
    }
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
    let mut findings = Vec::new();
    let unchecked = |why: String| {
        Finding::new(
            Severity::Warning,
            "kms-key-region-unchecked",
            format!(
                "{why}: if the key is not in the bucket's region, CreateTrail fails with KmsKeyNotFoundException; pass the key arn"
            ),
        )
    };
    match key {
        KmsKeyRef::AliasName(_) | KmsKeyRef::KeyId(_) => findings.push(unchecked(format!(
            "kms key `{key}` names no region, so it cannot be checked against the bucket's"
        ))),
        KmsKeyRef::KeyArn(_) | KmsKeyRef::AliasArn(_) => {
            if let Some(partition) = key.partition()
                && partition != intent.partition()
            {
                findings.push(Finding::new(
                        Severity::Error,
                        "kms-key-partition",
                        format!(
                            "kms key `{key}` is in partition `{partition}`, but the log archive is in `{}`: CloudTrail cannot use a key of another partition",
                            intent.partition()
                        ),
                    ));
            }
            match (key.region(), intent.bucket_region()) {
                (Some(key_region), Some(bucket_region)) if key_region != bucket_region => {
                    findings.push(Finding::new(
                        Severity::Error,
                        "kms-key-region",
                        format!(
                            "kms key `{key}` is in region `{key_region}`, but the bucket is in `{bucket_region}`: CreateTrail and UpdateTrail fail with KmsKeyNotFoundException"
                        ),
                    ));
                }
                (Some(_), None) => findings.push(unchecked(format!(
                    "the bucket's region is unknown, so kms key `{key}` cannot be checked against it"
                ))),
                _ => {}
            }
            if matches!(key, KmsKeyRef::AliasArn(_)) {
                findings.push(Finding::new(
                    Severity::Suggestion,
                    "kms-alias-arn",
                    format!(
                        "kms key `{key}` is an alias, which can later point at a key whose policy does not allow CloudTrail: prefer the key arn"
                    ),
                ));
            }
        }
    }
    if !intent.partition().cloudtrail_principal_confirmed() {
        findings.push(Finding::new(
            Severity::Warning,
            "cloudtrail-principal-unconfirmed",
            format!(
                "the cloudtrail service principal `{}` is not documented by AWS for partition `{}`: if it differs there, CloudTrail cannot use the key",
                intent.partition().cloudtrail_principal(),
                intent.partition()
            ),
        ));
    }
    if let Some(key_account) = key.account() {
        for reader in intent.readers() {
            if reader.account() != key_account {
                findings.push(Finding::new(
                    Severity::Suggestion,
                    "kms-cross-account-reader",
                    format!(
                        "reader `{reader}` is in another account than kms key `{key}`: it also needs an iam policy in account `{}` allowing kms:Decrypt on the key, or it cannot read the logs",
                        reader.account()
                    ),
                ));
            }
        }
    }
    findings
}

fn sid(name: &str) -> String {
    format!("{SID_PREFIX}{name}")
}

fn strings<I, T>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = T>,
    T: ToString,
{
    items.into_iter().map(|t| t.to_string()).collect()
}

/// `arn:<p>:cloudtrail:*:<account>:trail/*` for each account, sorted and deduplicated.
fn trail_patterns<'a>(
    intent: &Intent,
    accounts: impl IntoIterator<Item = &'a AccountId>,
) -> Vec<String> {
    let set: std::collections::BTreeSet<&AccountId> = accounts.into_iter().collect();
    set.into_iter()
        .map(|a| intent.any_trail_pattern(a))
        .collect()
}

/// The statements, in a fixed order (see the module documentation).
fn document(intent: &Intent, key: &KmsKeyArn, cloudtrail_decrypt: bool) -> PolicyDocument {
    let mut statements = Vec::new();
    let any = || Clause::Is(vec!["*".to_string()]);
    let cloudtrail = || {
        Clause::Is(Principal::service(
            intent.partition().cloudtrail_principal(),
        ))
    };

    // The console's default policy and the KMS default key policy: the key account's root,
    // `kms:*`.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html
    let root = PrincipalArn::root(intent.partition(), key.account().clone());
    statements.push(
        Statement::new(Effect::Allow)
            .with_sid(sid("EnableIamPolicies"))
            .with_principal(Clause::Is(Principal::aws([root.to_string()])))
            .with_action(Clause::Is(vec!["kms:*".into()]))
            .with_resource(any()),
    );
    if !intent.key_admins().is_empty() {
        let mut actions = strings(KEY_ADMIN_ACTIONS);
        if key.is_multi_region() {
            actions.extend(strings(KEY_ADMIN_MULTI_REGION_ACTIONS));
        }
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("KeyAdministrators"))
                .with_principal(Clause::Is(Principal::aws(strings(intent.key_admins()))))
                .with_action(Clause::Is(actions))
                .with_resource(any()),
        );
    }

    let known = intent.known_trails();
    let known_accounts = trail_patterns(intent, known.iter().map(|t| t.account()));
    let any_trail_accounts = trail_patterns(intent, intent.accounts());

    // "AllowCloudTrailEncryptLogs" / "EnableCloudTrailEncryptPermissions" of the page below: the
    // context lists the accounts whose trails encrypt, `aws:SourceArn` the trails themselves.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    // Two inferences, not AWS statements: that `aws:SourceArn` lists every trail (the page's
    // example has one placeholder, and says the value "is always the trail ARN (or array of trail
    // ARNs) that is using the KMS key"); and that an organization trail's statement is the
    // single-account one with the management account, since the trail's ARN uses the management
    // account ID and is the encryption context:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html
    // https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html
    let cloudtrail_statement = |name: &str, action: &str| {
        Statement::new(Effect::Allow)
            .with_sid(sid(name))
            .with_principal(cloudtrail())
            .with_action(Clause::Is(vec![action.to_string()]))
            .with_resource(any())
    };
    let mut per_binding = |name: &str, action: &str, with_context: bool| {
        if !known.is_empty() {
            let mut st = cloudtrail_statement(name, action).with_condition(
                "StringEquals",
                "aws:SourceArn",
                strings(&known),
            );
            if with_context {
                st =
                    st.with_condition("StringLike", CLOUDTRAIL_CONTEXT_KEY, known_accounts.clone());
            }
            statements.push(st);
        }
        if !any_trail_accounts.is_empty() {
            // Trails not known yet: `aws:SourceArn` can only be bound to the account, with a
            // wildcard ARN and so an `ArnLike` operator, the same pattern as
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
            let mut st = cloudtrail_statement(&format!("{name}AnyTrail"), action).with_condition(
                "ArnLike",
                "aws:SourceArn",
                any_trail_accounts.clone(),
            );
            if with_context {
                st = st.with_condition(
                    "StringLike",
                    CLOUDTRAIL_CONTEXT_KEY,
                    any_trail_accounts.clone(),
                );
            }
            statements.push(st);
        }
    };
    per_binding("Encrypt", "kms:GenerateDataKey*", true);
    // "AllowCloudTrailAccess" of the same page: DescribeKey, scoped by `aws:SourceArn`.
    per_binding("DescribeKey", "kms:DescribeKey", false);
    if cloudtrail_decrypt {
        // "AllowCloudTrailDecryptTrail" of the same page: AWS shows it without a condition. The
        // crate scopes it by `aws:SourceArn` like the other CloudTrail statements, since AWS
        // says the key policy's `aws:SourceArn` "is always the trail ARN (or array of trail
        // ARNs) that is using the KMS key" [INFERRED: that CloudTrail sends it on this call too].
        per_binding("Decrypt", "kms:Decrypt", false);
    }

    let readers = intent.readers();
    if !readers.is_empty() {
        // "EnableCloudTrailLogDecryptPermissions" of the same page names principals; the console's
        // default policy uses `"AWS": "*"` with `kms:CallerAccount`, which grants *every*
        // principal of the account through the key policy alone. The crate names the readers
        // (narrower) and binds the context to the delivering accounts' trails (narrower than AWS's
        // `Null` check, which accepts any CloudTrail context), so a reader can decrypt these logs
        // and nothing else encrypted with the key. `kms:Decrypt` is all S3 needs to serve an
        // SSE-KMS object; the console default's `kms:ReEncryptFrom` is not granted. Console
        // default policy:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html
        let all_accounts = intent.delivering_accounts();
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("ReadLogs"))
                .with_principal(Clause::Is(Principal::aws(strings(readers))))
                .with_action(Clause::Is(vec!["kms:Decrypt".into()]))
                .with_resource(any())
                .with_condition(
                    "StringLike",
                    CLOUDTRAIL_CONTEXT_KEY,
                    trail_patterns(intent, &all_accounts),
                ),
        );
    }
    PolicyDocument::new(statements)
}
