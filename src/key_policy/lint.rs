//! Linting an existing key policy against an intent. (Merging is [`crate::merge`], shared with
//! the bucket policy.)

use crate::document::{Clause, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{Caller, Request, Verdict, evaluate};
use crate::finding::{Finding, Severity};
use crate::id::KmsKeyArn;
use crate::intent::Intent;

use super::{CLOUDTRAIL_CONTEXT_KEY, KEY_POLICY_LIMIT};

/// A statement whose only principal is the key's own account (`arn:<p>:iam::<account>:root` or
/// the bare account id): it delegates to the account's IAM policies rather than granting a
/// named principal (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>).
fn is_key_account_delegation(statement: &Statement, key: &KmsKeyArn) -> bool {
    let root = format!("arn:{}:iam::{}:root", key.partition(), key.account());
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
/// - `key-policy-public-decrypt` (error): an anonymous caller or an unrelated account may decrypt.
/// - `key-policy-lockout` (error): neither the key account's root nor a named administrator may
///   call `kms:PutKeyPolicy`: KMS's lockout safety check refuses such a policy unless
///   `BypassPolicyLockoutSafetyCheck` is set, and then the key becomes unmanageable
///   (<https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html>).
/// - `key-policy-no-root` (warning): only named administrators manage the key: if they are all
///   deleted, only AWS Support can restore access.
/// - `key-policy-too-large` (error): over 32,768 bytes; KMS refuses it
///   (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>).
/// - `key-policy-unsupported` (error, failing closed): a statement the evaluator cannot decide, so a check
///   could not be made.
pub fn lint_key_policy(existing: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(key) = intent.key() else {
        findings.push(Finding::new(
            Severity::Error,
            "key-policy-no-key",
            "no kms key in the intent: name the key the policy is attached to",
        ));
        return findings;
    };
    let p = intent.partition().as_str();
    let key_arn = key.to_string();
    let region = intent
        .bucket_region()
        .unwrap_or_else(|| key.region())
        .to_string();
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
    if size > KEY_POLICY_LIMIT {
        findings.push(Finding::new(
            Severity::Error,
            "key-policy-too-large",
            format!(
                "key policy is {size} bytes minified, over KMS's limit of {KEY_POLICY_LIMIT} bytes: PutKeyPolicy fails"
            ),
        ));
    }

    let mut trails: Vec<String> = intent
        .known_trails()
        .iter()
        .map(ToString::to_string)
        .collect();
    for account in intent.accounts() {
        trails.push(format!("arn:{p}:cloudtrail:{region}:{account}:trail/*"));
    }
    let insufficient = "CreateTrail and UpdateTrail fail with InsufficientEncryptionPolicyException and CloudTrail cannot deliver logs";
    let mut missing_source_arn = false;
    for trail in &trails {
        // For an account whose trails are unknown, probe with a concrete trail name.
        let concrete = trail.replace("trail/*", "trail/any-trail");
        let encrypt = req(service(), "kms:GenerateDataKey")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, concrete.clone())
            .with_context("aws:SourceArn", concrete.clone());
        if refused(verdict(existing, &encrypt)) {
            findings.push(Finding::new(
                Severity::Error,
                "key-policy-cloudtrail-encrypt",
                format!("cloudtrail may not call kms:GenerateDataKey for trail `{trail}`: {insufficient}"),
            ));
        }
        let describe =
            req(service(), "kms:DescribeKey").with_context("aws:SourceArn", concrete.clone());
        if refused(verdict(existing, &describe)) {
            findings.push(Finding::new(
                Severity::Error,
                "key-policy-cloudtrail-describe",
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
                    "key-policy-cloudtrail-decrypt",
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
                "key-policy-missing-source-arn",
                "cloudtrail may use the key without an aws:SourceArn condition: any trail whose encryption context matches, in any account, can make CloudTrail encrypt with it; bind the statement to the trail arns",
            ));
        }
    }
    let stranger = format!("arn:{p}:cloudtrail:{region}:000000000000:trail/any-trail");
    let foreign = req(service(), "kms:GenerateDataKey")
        .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger.clone())
        .with_context("aws:SourceArn", stranger.clone());
    if allowed(verdict(existing, &foreign)) {
        findings.push(Finding::new(
            Severity::Warning,
            "key-policy-foreign-trail",
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
    let log_context = trails
        .first()
        .map(|t| t.replace("trail/*", "trail/any-trail"));
    for reader in intent.readers() {
        let caller = || Caller::Aws(reader.to_string());
        // KMS sets `kms:CallerAccount` on every request.
        let req = |caller: Caller, action: &str| {
            req(caller, action).with_context("kms:CallerAccount", reader.account().as_str())
        };
        if let Some(context) = &log_context {
            let read = req(caller(), "kms:Decrypt").with_context(CLOUDTRAIL_CONTEXT_KEY, context);
            if refused(verdict(existing, &read)) {
                findings.push(Finding::new(
                    Severity::Warning,
                    "key-policy-reader-cannot-decrypt",
                    format!(
                        "reader `{reader}` may not call kms:Decrypt on cloudtrail logs: reading them fails with an access-denied error from kms"
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
                "key-policy-reader-decrypts-anything",
                format!(
                    "reader `{reader}` may decrypt data that is not a delivering account's cloudtrail log, i.e. anything else encrypted with the key: add a StringLike kms:EncryptionContext:aws:cloudtrail:arn condition"
                ),
            ));
        }
    }
    let outsider = req(
        Caller::Aws(format!("arn:{p}:iam::000000000000:role/Outsider")),
        "kms:Decrypt",
    )
    .with_context("kms:CallerAccount", "000000000000");
    let public = [req(Caller::Anonymous, "kms:Decrypt"), outsider]
        .iter()
        .any(|r| allowed(verdict(existing, r)));
    if public {
        findings.push(Finding::new(
            Severity::Error,
            "key-policy-public-decrypt",
            "an anonymous caller or an unrelated account may call kms:Decrypt with the key: anyone who can fetch the logs can read them",
        ));
    }

    // Administration.
    let manage = |caller: String, account: &str| {
        req(Caller::Aws(caller), "kms:PutKeyPolicy").with_context("kms:CallerAccount", account)
    };
    let root = manage(
        format!("arn:{p}:iam::{}:root", key.account()),
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
            "key-policy-lockout",
            format!(
                "neither account `{}` nor a named administrator may call kms:PutKeyPolicy: KMS's lockout safety check refuses the policy, and with BypassPolicyLockoutSafetyCheck the key becomes unmanageable",
                key.account()
            ),
        ));
    } else if !root_manages {
        findings.push(Finding::new(
            Severity::Warning,
            "key-policy-no-root",
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
            "key-policy-unsupported",
            format!("{message}: the checks it affects cannot be proved; check them by hand"),
        ));
    }
    findings
}
