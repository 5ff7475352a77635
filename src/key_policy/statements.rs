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

/// The encryption-context key S3 always adds: the object's ARN, or with an S3 Bucket Key the
/// bucket's ARN. "By default, Amazon S3 uses the object or bucket Amazon Resource Name (ARN) as
/// the encryption context pair"; with a Bucket Key "the bucket ARN is used"; and "Amazon S3
/// appends the default encryption context of `aws:s3:arn` to the one that you provide"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context>).
/// CloudTrail's log files carry it with the object ARN when there is no Bucket Key
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html>).
pub(crate) const S3_CONTEXT_KEY: &str = "kms:EncryptionContext:aws:s3:arn";

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

/// Every action a key administrators' statement of the crate can carry: the two lists above.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of bounds fails the build"
)]
pub(crate) const KEY_ADMIN_EVERY_ACTION: [&str;
    KEY_ADMIN_ACTIONS.len() + KEY_ADMIN_MULTI_REGION_ACTIONS.len()] = {
    let mut all = [""; KEY_ADMIN_ACTIONS.len() + KEY_ADMIN_MULTI_REGION_ACTIONS.len()];
    let mut i = 0;
    while i < KEY_ADMIN_ACTIONS.len() {
        all[i] = KEY_ADMIN_ACTIONS[i];
        i += 1;
    }
    while i < all.len() {
        all[i] = KEY_ADMIN_MULTI_REGION_ACTIONS[i - KEY_ADMIN_ACTIONS.len()];
        i += 1;
    }
    all
};

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
    let per_binding = |name: &str, action: &str, with_context: bool| {
        let mut out = Vec::new();
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
            out.push(st);
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
            out.push(st);
        }
        out
    };
    statements.extend(per_binding("Encrypt", "kms:GenerateDataKey*", true));
    // "AllowCloudTrailAccess" of the same page: DescribeKey, scoped by `aws:SourceArn`.
    statements.extend(per_binding("DescribeKey", "kms:DescribeKey", false));
    if cloudtrail_decrypt {
        if intent.scope_bucket_key_decrypt() {
            // Opt-in, unverified: scoped by `aws:SourceArn` like the other CloudTrail
            // statements. No AWS page says that CloudTrail sends `aws:SourceArn` on this call;
            // if it does not, CreateTrail fails with InsufficientEncryptionPolicyException.
            statements.extend(per_binding("Decrypt", "kms:Decrypt", false));
        } else {
            // "AllowCloudTrailDecryptTrail" of the same page, as AWS shows it: no condition.
            // "If you are using an existing S3 bucket with an S3 Bucket Key, `kms:Decrypt`
            // permissions are required to create or update a trail with SSE-KMS encryption
            // enabled."
            statements.push(cloudtrail_statement("Decrypt", "kms:Decrypt"));
        }
    }

    statements.extend(reader_statements(intent));
    PolicyDocument::new(statements)
}

/// The readers' `kms:Decrypt`, for CloudTrail's log files of this bucket and nothing else
/// encrypted with the key.
///
/// "EnableCloudTrailLogDecryptPermissions" of CloudTrail's key-policy page names principals and
/// checks that an `aws:cloudtrail:arn` context is present (`Null` false); the console's default
/// policy uses `"AWS": "*"` with `kms:CallerAccount`, which grants *every* principal of the
/// account through the key policy alone
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>).
/// The crate names the readers, and binds the context to what CloudTrail's log files of this
/// bucket carry. `kms:Decrypt` is all S3 needs to serve an SSE-KMS object; the console
/// default's `kms:ReEncryptFrom` is not granted.
///
/// Which context a reader's `Decrypt` carries:
/// - Without an S3 Bucket Key, documented: the trail's ARN (`aws:cloudtrail:arn`) and the log
///   file's object ARN (`aws:s3:arn`)
///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html>).
/// - With an S3 Bucket Key, S3 documents that `aws:s3:arn` is the *bucket* ARN
///   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context>,
///   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>), but no AWS page
///   says whether CloudTrail's `aws:cloudtrail:arn` is still there. So both cases are granted:
///   `CloudTrailPolicyReadLogs` takes a delivering account's trail *and* this bucket's log
///   objects (or, with a Bucket Key, the bucket itself); `CloudTrailPolicyReadLogsBucketKey`
///   takes the bucket ARN *without* any `aws:cloudtrail:arn`, which is what KMS sees if S3 uses
///   its own context alone.
///
/// Neither lets a reader decrypt data of another bucket (the `aws:s3:arn` values name this
/// bucket only), an object of this bucket encrypted without a Bucket Key outside `AWSLogs/`, or
/// data whose `aws:cloudtrail:arn` names a trail of an account that does not deliver here.
/// Under a Bucket Key, KMS sees only the bucket: anything else in this bucket encrypted with this
/// key under the Bucket Key is then indistinguishable from a log file, which is why the bucket
/// policy lets only CloudTrail write and the readers read only below `AWSLogs/`.
///
/// Without a bucket in the intent (a key policy generated alone) the first statement checks the
/// trail context only, and a Bucket Key intent with readers is refused by
/// [`KeyPolicyBuilder::build`](super::KeyPolicyBuilder::build).
fn reader_statements(intent: &Intent) -> Vec<Statement> {
    let readers = intent.readers();
    if readers.is_empty() {
        return Vec::new();
    }
    let p = intent.partition();
    let principal = || Clause::Is(Principal::aws(strings(readers)));
    let read = |name: &str| {
        Statement::new(Effect::Allow)
            .with_sid(sid(name))
            .with_principal(principal())
            .with_action(Clause::Is(vec!["kms:Decrypt".into()]))
            .with_resource(Clause::Is(vec!["*".to_string()]))
    };
    let all_accounts = intent.delivering_accounts();
    let mut logs = read("ReadLogs").with_condition(
        "StringLike",
        CLOUDTRAIL_CONTEXT_KEY,
        trail_patterns(p, &all_accounts),
    );
    let mut out = Vec::new();
    if let Some(bucket) = intent.bucket() {
        let mut objects = vec![format!("{}*", bucket.logs_arn(p, intent.prefix()))];
        if intent.bucket_key() {
            objects.insert(0, bucket.arn(p));
        }
        logs = logs.with_condition("StringLike", S3_CONTEXT_KEY, objects);
        out.push(logs);
        if intent.bucket_key() {
            out.push(
                read("ReadLogsBucketKey")
                    .with_condition("StringEquals", S3_CONTEXT_KEY, [bucket.arn(p)])
                    .with_condition("Null", CLOUDTRAIL_CONTEXT_KEY, ["true"]),
            );
        }
    } else {
        out.push(logs);
    }
    out
}
