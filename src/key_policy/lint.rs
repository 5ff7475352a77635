//! Linting an existing key policy against an intent. (Merging is [`crate::merge()`], shared
//! with the bucket policy.)

use crate::artifact::PolicyKind;
use crate::document::{Clause, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{Caller, Request, Verdict, evaluate};
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::{AccountId, KmsKeyRef, PrincipalArn, TrailArn, arn};
use crate::intent::{Intent, PolicyKey};
use crate::probe::outsiders;

use super::statements::{CLOUDTRAIL_CONTEXT_KEY, S3_CONTEXT_KEY};

/// A statement whose only principal is the key's own account (`arn:<p>:iam::<account>:root` or
/// the bare account id): it delegates to the account's IAM policies rather than granting a
/// named principal (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>).
fn is_key_account_delegation(statement: &Statement, key: &PolicyKey) -> bool {
    let root = PrincipalArn::root(key.partition(), key.account().clone()).to_string();
    match statement.principal() {
        Some(Clause::Is(Principal::Typed(map))) => {
            map.len() == 1
                && map.get(&PrincipalType::Aws).is_some_and(|values| {
                    values
                        .iter()
                        .all(|v| *v == root || v == key.account().as_str())
                })
        }
        _ => false,
    }
}

/// See [`KeyPolicy::lint`](super::KeyPolicy::lint).
pub(super) fn lint(existing: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(key) = intent.key() else {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyNoKey,
            "no kms key in the intent: name the key the policy is attached to",
        ));
        return findings;
    };
    let p = intent.partition();
    let key_arn = key.as_str().to_owned();
    let region = intent.bucket_region().unwrap_or_else(|| key.region());
    let service = || Caller::Service(intent.partition().cloudtrail_principal().to_string());
    let req = |caller: Caller, action: &str| Request::new(caller, action, key_arn.clone());
    let mut unsupported = Vec::new();
    let mut verdict = |doc: &PolicyDocument, request: &Request| match evaluate(doc, request) {
        Ok(d) => Some(d.verdict()),
        Err(e) => {
            let message = e.to_string();
            if !unsupported.contains(&message) {
                unsupported.push(message);
            }
            None
        }
    };
    let allowed = |v: Option<Verdict>| v == Some(Verdict::Allow);
    let refused = |v: Option<Verdict>| v.is_some_and(|v| v != Verdict::Allow);

    let size = existing.minified_len();
    let limit = PolicyKind::Key.size_limit();
    if size > limit {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyTooLarge,
            format!(
                "key policy is {size} bytes minified, over KMS's limit of {limit} bytes: PutKeyPolicy fails"
            ),
        ));
    }

    // Each delivering trail as the messages name it, and a concrete trail to probe with: for an
    // account whose trails are unknown, a made-up trail of it in the bucket's region.
    let some_trail =
        |account: &AccountId| TrailArn::made_up(region, account, "any-trail").to_string();
    let mut trails: Vec<(String, String)> = intent
        .known_trails()
        .iter()
        .map(|t| (t.to_string(), t.to_string()))
        .collect();
    for account in intent.accounts() {
        trails.push((TrailArn::any_in(p, region, account), some_trail(account)));
    }
    let insufficient = "CreateTrail and UpdateTrail fail with InsufficientEncryptionPolicyException and CloudTrail cannot deliver logs";
    let mut missing_source_arn = false;
    for (trail, concrete) in &trails {
        let encrypt = req(service(), "kms:GenerateDataKey")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, concrete.clone())
            .with_context("aws:SourceArn", concrete.clone());
        if refused(verdict(existing, &encrypt)) {
            findings.push(Finding::new(
                Severity::Error,
                FindingCode::KeyPolicyCloudtrailEncrypt,
                format!("cloudtrail may not call kms:GenerateDataKey for trail `{trail}`: {insufficient}"),
            ));
        }
        let describe =
            req(service(), "kms:DescribeKey").with_context("aws:SourceArn", concrete.clone());
        if refused(verdict(existing, &describe)) {
            findings.push(Finding::new(
                Severity::Error,
                FindingCode::KeyPolicyCloudtrailDescribe,
                format!(
                    "cloudtrail may not call kms:DescribeKey for trail `{trail}`: {insufficient}"
                ),
            ));
        }
        if intent.bucket_key() {
            let decrypt =
                req(service(), "kms:Decrypt").with_context("aws:SourceArn", concrete.clone());
            if refused(verdict(existing, &decrypt)) {
                findings.push(Finding::new(
                    Severity::Error,
                    FindingCode::KeyPolicyCloudtrailDecrypt,
                    format!(
                        "cloudtrail may not call kms:Decrypt for trail `{trail}`, which a bucket with an S3 Bucket Key needs: {insufficient}"
                    ),
                ));
            }
        }
        let unbound = req(service(), "kms:GenerateDataKey")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, concrete.clone());
        if !missing_source_arn && allowed(verdict(existing, &unbound)) {
            missing_source_arn = true;
            findings.push(Finding::new(
                Severity::Warning,
                FindingCode::KeyPolicyMissingSourceArn,
                "cloudtrail may use the key without an aws:SourceArn condition: any trail whose encryption context matches, in any account, can make CloudTrail encrypt with it; bind the statement to the trail arns",
            ));
        }
    }
    // An account the intent does not name.
    let Some(stranger_account) = outsiders(intent, 1).into_iter().next() else {
        return findings;
    };
    let stranger = some_trail(&stranger_account);
    let foreign = req(service(), "kms:GenerateDataKey")
        .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger.clone())
        .with_context("aws:SourceArn", stranger.clone());
    if allowed(verdict(existing, &foreign)) {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::KeyPolicyForeignTrail,
            "cloudtrail may encrypt with the key for trails of accounts the intent does not name: list the delivering accounts in the encryption context and their trails in aws:SourceArn",
        ));
    }

    // Readers. The key account's own delegation statements are left out for this check: they
    // hand the decision to IAM policies instead of granting the reader.
    let without_delegation = existing.with_statements(
        existing
            .statements()
            .iter()
            .filter(|s| !is_key_account_delegation(s, key))
            .cloned()
            .collect(),
    );
    let log_context = trails.first().map(|(_, concrete)| concrete.clone());
    for reader in intent.readers() {
        let caller = || Caller::Aws(reader.to_string());
        // KMS sets `kms:CallerAccount` on every request.
        let req = |caller: Caller, action: &str| {
            req(caller, action).with_context("kms:CallerAccount", reader.account().as_str())
        };
        if let Some(context) = &log_context {
            // What a log file's context holds: the trail and, documented, the object's ARN
            // (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html>).
            let mut read =
                req(caller(), "kms:Decrypt").with_context(CLOUDTRAIL_CONTEXT_KEY, context);
            if let Some(bucket) = intent.bucket() {
                let account = arn::account_field(context).unwrap_or_default();
                read = read.with_context(
                    S3_CONTEXT_KEY,
                    format!(
                        "{}{account}/CloudTrail/{region}/2026/11/26/{account}_CloudTrail_{region}_20261126T0000Z_lint.json.gz",
                        bucket.logs_arn(p, intent.prefix())
                    ),
                );
            }
            if refused(verdict(existing, &read)) {
                findings.push(Finding::new(
                    Severity::Warning,
                    FindingCode::KeyPolicyReaderCannotDecrypt,
                    format!(
                        "reader `{reader}` may not call kms:Decrypt on cloudtrail logs: reading them fails with an access-denied error from kms"
                    ),
                ));
            }
        }
        if intent.bucket_key()
            && let Some(bucket) = intent.bucket()
        {
            // With an S3 Bucket Key the context is the bucket's ARN; whether CloudTrail's trail
            // context is still there is not documented
            // (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>).
            let bucket_only =
                req(caller(), "kms:Decrypt").with_context(S3_CONTEXT_KEY, bucket.arn(p));
            if refused(verdict(existing, &bucket_only)) {
                findings.push(Finding::new(
                    Severity::Warning,
                    FindingCode::KeyPolicyReaderCannotDecrypt,
                    format!(
                        "reader `{reader}` may not call kms:Decrypt with the bucket's context alone: under an s3 bucket key that is the documented context, and aws has not documented that cloudtrail's trail context is kept, so reading may fail with an access-denied error from kms"
                    ),
                ));
            }
        }
        let anything = req(caller(), "kms:Decrypt");
        let other_account_logs =
            req(caller(), "kms:Decrypt").with_context(CLOUDTRAIL_CONTEXT_KEY, stranger.clone());
        if allowed(verdict(&without_delegation, &anything))
            || allowed(verdict(&without_delegation, &other_account_logs))
        {
            findings.push(Finding::new(
                Severity::Warning,
                FindingCode::KeyPolicyReaderDecryptsAnything,
                format!(
                    "reader `{reader}` may decrypt data that is not a delivering account's cloudtrail log, i.e. anything else encrypted with the key: add a StringLike kms:EncryptionContext:aws:cloudtrail:arn condition"
                ),
            ));
        }
    }
    let outsider = PrincipalArn::made_up_role(p, &stranger_account, "Outsider");
    let outsider = req(Caller::Aws(outsider.to_string()), "kms:Decrypt")
        .with_context("kms:CallerAccount", stranger_account.as_str());
    let public = [req(Caller::Anonymous, "kms:Decrypt"), outsider]
        .iter()
        .any(|r| allowed(verdict(existing, r)));
    if public {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyPublicDecrypt,
            "an anonymous caller or an unrelated account may call kms:Decrypt with the key: anyone who can fetch the logs can read them",
        ));
    }

    // Administration.
    let manage = |caller: String, account: &str| {
        req(Caller::Aws(caller), "kms:PutKeyPolicy").with_context("kms:CallerAccount", account)
    };
    let root = manage(
        PrincipalArn::root(p, key.account().clone()).to_string(),
        key.account().as_str(),
    );
    let root_manages = allowed(verdict(existing, &root));
    let admin_manages = intent.key_admins().iter().any(|a| {
        allowed(verdict(
            existing,
            &manage(a.to_string(), a.account().as_str()),
        ))
    });
    if !root_manages && !admin_manages {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyLockout,
            format!(
                "neither account `{}` nor a named administrator may call kms:PutKeyPolicy: KMS's lockout safety check refuses the policy, and with BypassPolicyLockoutSafetyCheck the key becomes unmanageable",
                key.account()
            ),
        ));
    } else if !root_manages {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::KeyPolicyNoRoot,
            format!(
                "account `{}` itself may not manage the key: if every named administrator is deleted, only AWS Support can restore access",
                key.account()
            ),
        ));
    }
    for message in unsupported {
        // Fail closed: a check that cannot be decided may hide a grant that must not exist.
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyUnsupported,
            format!("{message}: the checks it affects cannot be proved; check them by hand"),
        ));
    }
    findings
}

/// See [`KeyPolicy::key_findings`](super::KeyPolicy::key_findings).
pub(super) fn key_reference(key: &KmsKeyRef, intent: &Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let unchecked = |why: String| {
        Finding::new(
            Severity::Warning,
            FindingCode::KmsKeyRegionUnchecked,
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
                        FindingCode::KmsKeyPartition,
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
                        FindingCode::KmsKeyRegion,
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
                    FindingCode::KmsAliasArn,
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
            FindingCode::CloudtrailPrincipalUnconfirmed,
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
                    FindingCode::KmsCrossAccountReader,
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
