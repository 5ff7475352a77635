//! The statements of the key policy, in order (see the module documentation of
//! [`KeyPolicy`](super::KeyPolicy)), and the KMS facts they rest on.

use std::collections::BTreeSet;

use crate::artifact::{sid, strings};
use crate::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use crate::id::{AccountId, Partition, PrincipalArn, TrailArn};
use crate::intent::{Intent, PolicyKey};

/// The encryption-context key CloudTrail sets to the trail's ARN when it asks KMS for a data key
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html>,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
pub(crate) const CLOUDTRAIL_CONTEXT_KEY: &str = "kms:EncryptionContext:aws:cloudtrail:arn";

/// The actions of the KMS console's "Allow access for Key Administrators" statement for a
/// single-Region symmetric encryption key, as listed in the KMS guide's default key policy
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators>).
/// They do not include cryptographic operations themselves, but an administrator can reach
/// them indirectly: `kms:Create*` covers `kms:CreateGrant` and `kms:Put*` covers
/// `kms:PutKeyPolicy`, so an administrator can grant itself `kms:Decrypt`. Name as
/// administrators only principals you would also trust to read the logs.
pub(crate) const KEY_ADMIN_ACTIONS: [&str; 14] = [
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
pub(crate) const KEY_ADMIN_MULTI_REGION_ACTIONS: [&str; 2] =
    ["kms:ReplicateKey", "kms:UpdatePrimaryRegion"];

/// `arn:<p>:cloudtrail:*:<account>:trail/*` for each account, sorted and deduplicated.
pub(super) fn trail_patterns<'a>(
    partition: Partition,
    accounts: impl IntoIterator<Item = &'a AccountId>,
) -> Vec<String> {
    let set: BTreeSet<&AccountId> = accounts.into_iter().collect();
    set.into_iter()
        .map(|a| TrailArn::any_in_account(partition, a))
        .collect()
}

/// The statements, in a fixed order (see the module documentation).
pub(super) fn document(
    intent: &Intent,
    key: &PolicyKey,
    cloudtrail_decrypt: bool,
) -> PolicyDocument {
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
    let known_accounts = trail_patterns(intent.partition(), known.iter().map(|t| t.account()));
    let any_trail_accounts = trail_patterns(intent.partition(), intent.accounts());

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
                    trail_patterns(intent.partition(), &all_accounts),
                ),
        );
    }
    PolicyDocument::new(statements)
}
