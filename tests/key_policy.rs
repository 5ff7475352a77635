//! The KMS key policy: snapshots of every documented case, each proven by the KMS probe matrix
//! through the evaluator; AWS's own documented statements give their documented verdicts; the
//! checks name their AWS consequence; proptest over random intents.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::eval::{Caller, Request, Verdict, evaluate};
use cloudtrail_policy::{
    Intent, IntentBuilder, IntentError, KeyPolicy, KeyPolicyError, KmsKeyArn, KmsKeyRef, Partition,
    PolicyDocument, PolicyKind, Probe, Report, Severity,
};
use proptest::prelude::*;

const CONTEXT: &str = "kms:EncryptionContext:aws:cloudtrail:arn";
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";
const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

fn builder(partition: Partition, region: &str, key_account: &str) -> IntentBuilder {
    let p = partition.as_str();
    Intent::builder(partition)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .bucket_region(region.parse().unwrap())
        .key(
            format!("arn:{p}:kms:{region}:{key_account}:key/{KEY_ID}")
                .parse()
                .unwrap(),
        )
}

fn aws() -> IntentBuilder {
    builder(Partition::Aws, "us-east-1", "111111111111")
}

fn single_account() -> Intent {
    aws()
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn several_accounts() -> Intent {
    builder(Partition::Aws, "us-east-1", "999999999999")
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .trail(
            "arn:aws:cloudtrail:eu-west-1:222222222222:trail/audit"
                .parse()
                .unwrap(),
        )
        .account("333333333333".parse().unwrap())
        .key_admin("arn:aws:iam::999999999999:role/KeyAdmin".parse().unwrap())
        .build()
        .unwrap()
}

fn organization_trail() -> Intent {
    builder(Partition::Aws, "us-east-1", "999999999999")
        .organization_trail(
            "o-a1b2c3d4e5".parse().unwrap(),
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/org"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws:iam::999999999999:role/Auditor".parse().unwrap())
        .build()
        .unwrap()
}

fn cross_account_readers() -> Intent {
    aws()
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .reader(
            "arn:aws:iam::444444444444:role/SecurityAudit"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws:iam::555555555555:root".parse().unwrap())
        .reader("arn:aws:iam::111111111111:user/alice".parse().unwrap())
        .build()
        .unwrap()
}

fn bucket_key() -> Intent {
    aws()
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .account("222222222222".parse().unwrap())
        .bucket_key(true)
        .build()
        .unwrap()
}

/// A Bucket Key with readers in the key account and in another account, under a prefix: both
/// reader statements.
fn bucket_key_readers() -> IntentBuilder {
    builder(Partition::Aws, "us-east-1", "999999999999")
        .prefix("cloudtrail".parse().unwrap())
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .account("222222222222".parse().unwrap())
        .reader(
            "arn:aws:iam::444444444444:role/SecurityAudit"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws:iam::999999999999:role/Auditor".parse().unwrap())
        .bucket_key(true)
}

fn aws_cn() -> Intent {
    builder(Partition::AwsCn, "cn-north-1", "111111111111")
        .trail(
            "arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws-cn:iam::111111111111:role/Auditor".parse().unwrap())
        .key_admin(
            "arn:aws-cn:iam::111111111111:role/KeyAdmin"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn aws_us_gov() -> Intent {
    builder(Partition::AwsUsGov, "us-gov-west-1", "111111111111")
        .trail(
            "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .account("222222222222".parse().unwrap())
        .bucket_key(true)
        .build()
        .unwrap()
}

fn multi_region_key_admins() -> Intent {
    Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .bucket_region("eu-west-1".parse().unwrap())
        .key(
            "arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab"
                .parse()
                .unwrap(),
        )
        .trail(
            "arn:aws:cloudtrail:eu-west-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .key_admin("arn:aws:iam::111111111111:role/KeyAdmin".parse().unwrap())
        .key_admin(
            "arn:aws:iam::111111111111:user/break-glass"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// Every named case with its intent and its CloudTrail-decrypt setting.
fn cases() -> Vec<(&'static str, Intent, Option<bool>)> {
    vec![
        ("single_account", single_account(), None),
        ("several_accounts", several_accounts(), None),
        ("organization_trail", organization_trail(), None),
        ("cross_account_readers", cross_account_readers(), None),
        ("bucket_key_on", bucket_key(), None),
        ("bucket_key_off", bucket_key(), Some(false)),
        (
            "bucket_key_readers",
            bucket_key_readers().build().unwrap(),
            None,
        ),
        (
            "bucket_key_scoped_decrypt",
            bucket_key_readers()
                .scope_bucket_key_decrypt(true)
                .build()
                .unwrap(),
            None,
        ),
        ("aws_cn", aws_cn(), None),
        ("aws_us_gov", aws_us_gov(), None),
        ("multi_region_key_admins", multi_region_key_admins(), None),
    ]
}

/// The `Sid` of each statement, in order (every statement here has one).
fn sids(policy: &PolicyDocument) -> Vec<&str> {
    policy
        .statements()
        .iter()
        .map(|s| s.sid().unwrap())
        .collect()
}

fn generate(intent: &Intent, decrypt: Option<bool>) -> KeyPolicy {
    let mut b = KeyPolicy::builder(intent);
    if let Some(on) = decrypt {
        b = b.cloudtrail_decrypt(on);
    }
    b.build().unwrap()
}

#[track_caller]
fn assert_matrix(name: &str, document: &PolicyDocument, probes: Vec<Probe>) {
    assert!(probes.len() >= 12, "{name}: only {} probes", probes.len());
    let report = Report::run(document, probes);
    let failures: Vec<String> = report
        .failures()
        .map(|r| {
            format!(
                "{}: expected {:?}, got {:?}",
                r.probe().name(),
                r.probe().expect(),
                r.outcome()
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{name}: {} probes failed:\n{}\n{}",
        failures.len(),
        failures.join("\n"),
        document.to_json_pretty()
    );
}

fn matrix(intent: &Intent, cloudtrail_decrypt: bool) -> Vec<Probe> {
    KeyPolicy::probes(intent, cloudtrail_decrypt)
}

#[test]
fn snapshots() {
    for (name, intent, decrypt) in cases() {
        let policy = generate(&intent, decrypt);
        insta::assert_json_snapshot!(format!("key_policy_{name}"), policy);
    }
}

#[test]
fn every_snapshot_passes_its_probe_matrix() {
    for (name, intent, decrypt) in cases() {
        let policy = generate(&intent, decrypt);
        assert_eq!(
            policy.cloudtrail_decrypt(),
            decrypt.unwrap_or(intent.bucket_key())
        );
        assert_matrix(
            name,
            policy.document(),
            matrix(&intent, policy.cloudtrail_decrypt()),
        );
    }
}

#[test]
fn sids_are_stable_and_prefixed() {
    let policy = generate(&several_accounts(), Some(true));
    let first = sids(policy.document());
    assert_eq!(
        first,
        [
            "CloudTrailPolicyEnableIamPolicies",
            "CloudTrailPolicyKeyAdministrators",
            "CloudTrailPolicyEncrypt",
            "CloudTrailPolicyEncryptAnyTrail",
            "CloudTrailPolicyDescribeKey",
            "CloudTrailPolicyDescribeKeyAnyTrail",
            "CloudTrailPolicyDecrypt",
        ]
    );
    let scoped = generate(
        &bucket_key_readers()
            .scope_bucket_key_decrypt(true)
            .build()
            .unwrap(),
        None,
    );
    let scoped_sids = sids(scoped.document());
    assert_eq!(
        scoped_sids,
        [
            "CloudTrailPolicyEnableIamPolicies",
            "CloudTrailPolicyEncrypt",
            "CloudTrailPolicyEncryptAnyTrail",
            "CloudTrailPolicyDescribeKey",
            "CloudTrailPolicyDescribeKeyAnyTrail",
            "CloudTrailPolicyDecrypt",
            "CloudTrailPolicyDecryptAnyTrail",
            "CloudTrailPolicyReadLogs",
            "CloudTrailPolicyReadLogsBucketKey",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Checks.

#[test]
fn no_key_is_an_error() {
    let intent = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .account("111111111111".parse().unwrap())
        .build()
        .unwrap();
    let err = KeyPolicy::generate(&intent).unwrap_err();
    assert_eq!(err, KeyPolicyError::NoKey);
    assert_eq!(
        err.to_string(),
        "no kms key in the intent: name the key that encrypts the logs"
    );
}

#[test]
fn key_in_another_region_names_kms_key_not_found() {
    let intent = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .bucket_region("us-east-1".parse().unwrap())
        .key(
            format!("arn:aws:kms:us-west-2:111111111111:key/{KEY_ID}")
                .parse()
                .unwrap(),
        )
        .account("111111111111".parse().unwrap())
        .build()
        .unwrap();
    let err = KeyPolicy::generate(&intent).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "kms key `arn:aws:kms:us-west-2:111111111111:key/{KEY_ID}` is in region `us-west-2`, but the bucket is in `us-east-1`: CreateTrail and UpdateTrail fail with KmsKeyNotFoundException; use a key in `us-east-1` (for a multi-region `mrk-` key, its replica there)"
        )
    );
}

#[test]
fn multi_region_replica_in_the_bucket_region_passes() {
    let intent = multi_region_key_admins();
    KeyPolicy::generate(&intent).unwrap();
    // The primary, in another region than the bucket, is refused.
    let primary: KmsKeyArn =
        "arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab"
            .parse()
            .unwrap();
    let with_primary = Intent::builder(Partition::Aws)
        .bucket_region("eu-west-1".parse().unwrap())
        .trail(
            "arn:aws:cloudtrail:eu-west-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .key(primary)
        .build()
        .unwrap();
    assert!(matches!(
        KeyPolicy::generate(&with_primary),
        Err(KeyPolicyError::RegionMismatch { .. })
    ));
}

#[test]
fn key_in_another_partition_is_refused_by_the_intent() {
    let err = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .key(
            format!("arn:aws-cn:kms:cn-north-1:111111111111:key/{KEY_ID}")
                .parse()
                .unwrap(),
        )
        .account("111111111111".parse().unwrap())
        .build()
        .unwrap_err();
    assert!(
        matches!(err, IntentError::PartitionMismatch { .. }),
        "{err}"
    );
}

#[test]
fn size_budget_is_a_typed_error() {
    let mut b = aws();
    for i in 0..400u64 {
        b = b.trail(
            format!(
                "arn:aws:cloudtrail:us-east-1:{:012}:trail/a-rather-long-trail-name",
                100_000_000_000 + i
            )
            .parse()
            .unwrap(),
        );
    }
    let intent = b.build().unwrap();
    match KeyPolicy::generate(&intent).unwrap_err() {
        KeyPolicyError::TooLarge {
            minified,
            pretty,
            limit,
            accounts,
        } => {
            assert!(minified > limit && pretty > minified);
            assert_eq!(limit, PolicyKind::Key.size_limit());
            assert_eq!(accounts, 400);
        }
        other => panic!("{other}"),
    }
}

fn codes(key: &str, intent: &Intent) -> Vec<(Severity, &'static str)> {
    let key: KmsKeyRef = key.parse().unwrap();
    KeyPolicy::key_findings(&key, intent)
        .iter()
        .map(|f| (f.severity(), f.code().as_str()))
        .collect()
}

#[test]
fn key_findings_name_their_consequence() {
    let intent = cross_account_readers();
    let alias = KeyPolicy::key_findings(&"alias/cloudtrail".parse().unwrap(), &single_account());
    assert_eq!(alias.len(), 1);
    assert_eq!(
        alias[0].to_string(),
        "warning[kms-key-region-unchecked]: kms key `alias/cloudtrail` names no region, so it cannot be checked against the bucket's: if the key is not in the bucket's region, CreateTrail fails with KmsKeyNotFoundException; pass the key arn"
    );
    assert_eq!(
        codes(KEY_ID, &single_account()),
        [(Severity::Warning, "kms-key-region-unchecked")]
    );
    assert_eq!(
        codes(
            &format!("arn:aws:kms:us-west-2:111111111111:key/{KEY_ID}"),
            &single_account()
        ),
        [(Severity::Error, "kms-key-region")]
    );
    assert_eq!(
        codes(
            &format!("arn:aws-cn:kms:cn-north-1:111111111111:key/{KEY_ID}"),
            &single_account()
        ),
        [
            (Severity::Error, "kms-key-partition"),
            (Severity::Error, "kms-key-region")
        ]
    );
    assert_eq!(
        codes(
            "arn:aws:kms:us-east-1:111111111111:alias/logs",
            &single_account()
        ),
        [(Severity::Suggestion, "kms-alias-arn")]
    );
    assert_eq!(
        codes(
            &format!("arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"),
            &intent
        ),
        [
            (Severity::Suggestion, "kms-cross-account-reader"),
            (Severity::Suggestion, "kms-cross-account-reader")
        ]
    );
    assert_eq!(
        codes(
            &format!("arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/{KEY_ID}"),
            &aws_us_gov()
        ),
        [(Severity::Warning, "cloudtrail-principal-unconfirmed")]
    );
}

// ---------------------------------------------------------------------------------------------
// AWS's documented statements give their documented verdicts. Sources:
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html

fn verdict(policy: &str, request: &Request) -> Verdict {
    evaluate(&PolicyDocument::from_json(policy).unwrap(), request)
        .unwrap()
        .verdict()
}

const DOC_KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn documented_encrypt_statement() {
    // "EnableCloudTrailEncryptPermissions" of CloudTrail's key-policy page, with a real trail in
    // `aws:SourceArn`.
    let policy = r#"{"Version":"2012-10-17","Statement":[{
      "Sid": "EnableCloudTrailEncryptPermissions", "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "kms:GenerateDataKey*", "Resource": "*",
      "Condition": {
        "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": [
          "arn:aws:cloudtrail:*:111111111111:trail/*", "arn:aws:cloudtrail:*:222222222222:trail/*"]},
        "StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:222222222222:trail/t"}}}]}"#;
    let trail = "arn:aws:cloudtrail:us-east-1:222222222222:trail/t";
    let encrypt = |ctx: &str, source: &str| {
        Request::new(
            Caller::Service(CLOUDTRAIL.into()),
            "kms:GenerateDataKey",
            DOC_KEY,
        )
        .with_context(CONTEXT, ctx)
        .with_context("aws:SourceArn", source)
    };
    assert_eq!(verdict(policy, &encrypt(trail, trail)), Verdict::Allow);
    let other = "arn:aws:cloudtrail:us-east-1:333333333333:trail/t";
    assert_eq!(
        verdict(policy, &encrypt(other, other)),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(
            policy,
            &Request::new(
                Caller::Service(CLOUDTRAIL.into()),
                "kms:GenerateDataKey",
                DOC_KEY
            )
            .with_context("aws:SourceArn", trail)
        ),
        Verdict::ImplicitDeny
    );
}

#[test]
fn documented_reader_statements() {
    // "EnableCloudTrailLogDecryptPermissions" of CloudTrail's key-policy page: any CloudTrail
    // context (`Null` false).
    let named = r#"{"Version":"2012-10-17","Statement":[{
      "Sid": "EnableCloudTrailLogDecryptPermissions", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111111111111:user/username"},
      "Action": "kms:Decrypt", "Resource": "*",
      "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}}]}"#;
    let user = || Caller::Aws("arn:aws:iam::111111111111:user/username".into());
    let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/t";
    assert_eq!(
        verdict(
            named,
            &Request::new(user(), "kms:Decrypt", DOC_KEY).with_context(CONTEXT, trail)
        ),
        Verdict::Allow
    );
    assert_eq!(
        verdict(named, &Request::new(user(), "kms:Decrypt", DOC_KEY)),
        Verdict::ImplicitDeny
    );

    // "Allow principals in the account to decrypt log files" of the console's default policy:
    // every principal whose `kms:CallerAccount` is the key account, for that account's trails.
    let account = r#"{"Version":"2012-10-17","Statement":[{
      "Sid": "Allow principals in the account to decrypt log files", "Effect": "Allow",
      "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": "*",
      "Condition": {"StringEquals": {"kms:CallerAccount": "111111111111"},
        "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"}}}]}"#;
    let anyone = |arn: &str, account: &str| {
        Request::new(Caller::Aws(arn.into()), "kms:Decrypt", DOC_KEY)
            .with_context("kms:CallerAccount", account)
            .with_context(CONTEXT, trail)
    };
    assert_eq!(
        verdict(
            account,
            &anyone("arn:aws:iam::111111111111:role/Anyone", "111111111111")
        ),
        Verdict::Allow
    );
    assert_eq!(
        verdict(
            account,
            &anyone("arn:aws:iam::222222222222:role/Other", "222222222222")
        ),
        Verdict::ImplicitDeny
    );
}

#[test]
fn documented_root_statement_delegates_everything_to_the_account() {
    // "Enable IAM user permissions" of the console's default policy (root only).
    let policy = r#"{"Version":"2012-10-17","Statement":[{
      "Sid": "Enable IAM user permissions", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
    let call = |arn: &str| Request::new(Caller::Aws(arn.into()), "kms:PutKeyPolicy", DOC_KEY);
    assert_eq!(
        verdict(policy, &call("arn:aws:iam::111111111111:role/Admin")),
        Verdict::Allow
    );
    assert_eq!(
        verdict(policy, &call("arn:aws:iam::222222222222:role/Admin")),
        Verdict::ImplicitDeny
    );
}

// ---------------------------------------------------------------------------------------------
// Properties over random intents.

fn random_intent() -> impl Strategy<Value = (Intent, Option<bool>)> {
    let account = || (100_000_000_000u64..100_000_000_100).prop_map(|n| n.to_string());
    (
        prop::collection::vec((account(), "[a-z][a-z0-9-]{0,20}"), 0..12),
        prop::collection::btree_set(account(), 0..6),
        proptest::option::of(account()),
        prop::collection::btree_set((account(), "[A-Za-z][A-Za-z0-9]{0,12}"), 0..4),
        prop::collection::btree_set((account(), "[A-Za-z][A-Za-z0-9]{0,12}"), 0..3),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        account(),
    )
        .prop_filter_map(
            "something must deliver",
            |(trails, accounts, org, readers, admins, bk, decrypt, key_account)| {
                let mut b = builder(Partition::Aws, "eu-central-1", &key_account).bucket_key(bk);
                for (a, n) in trails {
                    b = b.trail(
                        format!("arn:aws:cloudtrail:us-west-2:{a}:trail/{n}")
                            .parse()
                            .ok()?,
                    );
                }
                for a in accounts {
                    b = b.account(a.parse().ok()?);
                }
                if let Some(m) = org {
                    b = b.organization_trail(
                        "o-a1b2c3d4e5".parse().ok()?,
                        format!("arn:aws:cloudtrail:eu-central-1:{m}:trail/org")
                            .parse()
                            .ok()?,
                    );
                }
                for (a, n) in readers {
                    b = b.reader(format!("arn:aws:iam::{a}:role/{n}").parse().ok()?);
                }
                for (a, n) in admins {
                    b = b.key_admin(format!("arn:aws:iam::{a}:user/{n}").parse().ok()?);
                }
                Some((b.build().ok()?, decrypt))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_intents_pass_their_matrix((intent, decrypt) in random_intent()) {
        let mut b = KeyPolicy::builder(&intent);
        if let Some(on) = decrypt {
            b = b.cloudtrail_decrypt(on);
        }
        let policy = b.clone().build().unwrap();
        // Deterministic, within budget, every Sid ours.
        prop_assert_eq!(&policy, &b.build().unwrap());
        prop_assert!(policy.document().minified_len() <= PolicyKind::Key.size_limit());
        for st in policy.document().statements() {
            prop_assert!(st.sid().unwrap().starts_with("CloudTrailPolicy"));
        }
        assert_matrix("random", policy.document(), matrix(&intent, policy.cloudtrail_decrypt()));
        let findings = KeyPolicy::lint(policy.document(), &intent);
        if intent.bucket_key() && !policy.cloudtrail_decrypt() {
            prop_assert!(findings.iter().all(|f| f.code().as_str() == "key-policy-cloudtrail-decrypt"));
        } else {
            prop_assert!(findings.is_empty(), "{:?}", findings);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lint and merge.

fn lint_codes(policy: &str, intent: &Intent) -> Vec<(Severity, &'static str)> {
    KeyPolicy::lint(&PolicyDocument::from_json(policy).unwrap(), intent)
        .iter()
        .map(|f| (f.severity(), f.code().as_str()))
        .collect()
}

#[test]
fn generated_policies_lint_clean() {
    for (name, intent, decrypt) in cases() {
        let policy = generate(&intent, decrypt);
        let findings = KeyPolicy::lint(policy.document(), &intent);
        if name == "bucket_key_off" {
            // The intent says Bucket Key, the option turned CloudTrail's decrypt off: the lint
            // says CreateTrail would fail.
            assert!(
                findings
                    .iter()
                    .all(|f| f.code().as_str() == "key-policy-cloudtrail-decrypt")
                    && findings.len() == 2,
                "{findings:?}"
            );
        } else {
            assert!(findings.is_empty(), "{name}: {findings:?}");
        }
    }
}

fn reader_intent() -> Intent {
    aws()
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws:iam::111111111111:user/alice".parse().unwrap())
        .build()
        .unwrap()
}

#[test]
fn aws_console_default_policy_lints_clean() {
    // The policy the CloudTrail console creates (its "username" replaced by alice):
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html
    let policy = r#"{"Version":"2012-10-17","Id":"Key policy created by CloudTrail","Statement":[
      {"Sid":"Enable IAM user permissions","Effect":"Allow",
       "Principal":{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::111111111111:user/alice"]},
       "Action":"kms:*","Resource":"*"},
      {"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow",
       "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",
       "Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main"},
         "StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}},
      {"Sid":"Allow CloudTrail to describe key","Effect":"Allow",
       "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*"},
      {"Sid":"Allow principals in the account to decrypt log files","Effect":"Allow",
       "Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:ReEncryptFrom"],"Resource":"*",
       "Condition":{"StringEquals":{"kms:CallerAccount":"111111111111"},
         "StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}}]}"#;
    // alice is also named in the `kms:*` statement: she may decrypt anything, as AWS's console
    // default intends for its key user.
    assert_eq!(
        lint_codes(policy, &reader_intent()),
        [(Severity::Warning, "key-policy-reader-decrypts-anything")]
    );
}

#[test]
fn lint_names_each_consequence() {
    // An old CloudTrail policy: no aws:SourceArn, a user instead of the account root, a reader
    // without the encryption-context condition.
    let policy = r#"{"Version":"2012-10-17","Statement":[
      {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/admin"},
       "Action":"kms:*","Resource":"*"},
      {"Sid":"Encrypt","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
       "Action":"kms:GenerateDataKey*","Resource":"*",
       "Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}},
      {"Sid":"Describe","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
       "Action":"kms:DescribeKey","Resource":"*"},
      {"Sid":"Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},
       "Action":"kms:Decrypt","Resource":"*"}]}"#;
    assert_eq!(
        lint_codes(policy, &reader_intent()),
        [
            (Severity::Warning, "key-policy-missing-source-arn"),
            (Severity::Warning, "key-policy-reader-decrypts-anything"),
            (Severity::Error, "key-policy-lockout"),
        ]
    );

    let root_only = r#"{"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}"#;
    let findings = KeyPolicy::lint(
        &PolicyDocument::from_json(root_only).unwrap(),
        &bucket_key(),
    );
    let codes: Vec<_> = findings.iter().map(|f| f.code().as_str()).collect();
    assert_eq!(
        codes,
        [
            "key-policy-cloudtrail-encrypt",
            "key-policy-cloudtrail-describe",
            "key-policy-cloudtrail-decrypt",
            "key-policy-cloudtrail-encrypt",
            "key-policy-cloudtrail-describe",
            "key-policy-cloudtrail-decrypt",
        ]
    );
    assert_eq!(
        findings[0].to_string(),
        "error[key-policy-cloudtrail-encrypt]: `cloudtrail.amazonaws.com` cannot call `kms:GenerateDataKey` on `arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab` for trail `arn:aws:cloudtrail:us-east-1:111111111111:trail/main`, no statement allows it: CreateTrail and UpdateTrail fail with InsufficientEncryptionPolicyException and CloudTrail cannot deliver logs"
    );

    let public = r#"{"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},
      {"Effect":"Allow","Principal":"*","Action":["kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}"#;
    let codes = lint_codes(public, &single_account());
    assert!(
        codes.contains(&(Severity::Error, "key-policy-public-decrypt")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(Severity::Warning, "key-policy-foreign-trail")),
        "{codes:?}"
    );
}

const FOREIGN: &str = r#"{"Version":"2012-10-17","Id":"existing","Statement":[
  {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},
   "Action":"kms:*","Resource":"*"},
  {"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",
   "Condition":{"StringEquals":{"kms:CallerAccount":"000000000000"}}},
  {"Sid":"CloudTrailPolicyEncrypt","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
   "Action":"kms:GenerateDataKey*","Resource":"*"},
  {"Sid":"AppUse","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::777777777777:role/App"},
   "Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}]}"#;

#[test]
fn merge_replaces_our_statements_and_keeps_foreign_ones() {
    let existing = PolicyDocument::from_json(FOREIGN).unwrap();
    let intent = several_accounts();
    let generated = KeyPolicy::generate(&intent).unwrap();
    let merged = merge_key(&existing, &generated);
    assert_eq!(merged.id(), Some("existing"));
    let sids = sids(&merged);
    assert_eq!(
        &sids[..3],
        ["Enable IAM User Permissions", "DenyOutsideOrg", "AppUse"]
    );
    assert_eq!(&merged.statements()[3..], generated.document().statements());
    // The stale, unconditioned CloudTrail statement is gone.
    let stranger = "arn:aws:cloudtrail:us-east-1:000000000001:trail/x";
    let r = Request::new(
        Caller::Service(CLOUDTRAIL.into()),
        "kms:GenerateDataKey",
        intent.key().unwrap().as_str().to_owned(),
    )
    .with_context(CONTEXT, stranger)
    .with_context("aws:SourceArn", stranger);
    assert_eq!(evaluate(&existing, &r).unwrap().verdict(), Verdict::Allow);
    assert_eq!(
        evaluate(&merged, &r).unwrap().verdict(),
        Verdict::ImplicitDeny
    );
    assert_eq!(merge_key(&merged, &generated), merged);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn merge_is_idempotent_and_never_widens((intent, decrypt) in random_intent()) {
        let mut b = KeyPolicy::builder(&intent);
        if let Some(on) = decrypt {
            b = b.cloudtrail_decrypt(on);
        }
        let generated = b.build().unwrap();
        let existing = PolicyDocument::from_json(FOREIGN).unwrap();
        let merged = merge_key(&existing, &generated);
        prop_assert_eq!(&merge_key(&merged, &generated), &merged);
        let foreign = existing.with_statements(
            existing
                .statements()
                .iter()
                .filter(|s| !s.sid().unwrap().starts_with("CloudTrailPolicy"))
                .cloned()
                .collect(),
        );
        // Every request of the matrix, and the foreign statements' own requests: the merged
        // verdict is the foreign deny, else either allow, else implicit deny.
        let mut requests: Vec<Request> = matrix(&intent, generated.cloudtrail_decrypt())
            .into_iter()
            .map(|p| p.request().clone())
            .collect();
        let key = intent.key().unwrap().as_str().to_owned();
        for (arn, account) in [
            ("arn:aws:iam::777777777777:role/App", "777777777777"),
            ("arn:aws:iam::000000000000:role/X", "000000000000"),
        ] {
            requests.push(
                Request::new(Caller::Aws(arn.into()), "kms:Decrypt", key.clone())
                    .with_context("kms:CallerAccount", account),
            );
        }
        for r in &requests {
            let f = evaluate(&foreign, r).unwrap().verdict();
            let g = evaluate(generated.document(), r).unwrap().verdict();
            let expected = if f == Verdict::Deny {
                Verdict::Deny
            } else if f == Verdict::Allow || g == Verdict::Allow {
                Verdict::Allow
            } else {
                Verdict::ImplicitDeny
            };
            prop_assert_eq!(evaluate(&merged, r).unwrap().verdict(), expected, "{:?}", r);
        }
    }
}

#[test]
fn verify_uses_the_intent_default_and_catches_a_widened_policy() {
    for (name, intent, decrypt) in cases() {
        let policy = generate(&intent, decrypt);
        let report = policy.verify(&intent);
        assert!(report.passed(), "{name}");
        if decrypt.is_none() {
            assert_eq!(
                KeyPolicy::probes(&intent, intent.bucket_key()),
                KeyPolicy::probes(&intent, intent.bucket_key())
            );
        }
    }
    // Widen: drop every condition of the encrypt statement, as old CloudTrail policies did.
    let intent = several_accounts();
    let policy = KeyPolicy::generate(&intent).unwrap();
    let widened: Vec<_> = policy
        .document()
        .statements()
        .iter()
        .map(|s| {
            if s.sid() == Some("CloudTrailPolicyEncrypt") {
                cloudtrail_policy::document::Statement::new(s.effect())
                    .with_sid("CloudTrailPolicyEncrypt")
                    .with_principal(s.principal().unwrap().clone())
                    .with_action(s.action().unwrap().clone())
                    .with_resource(s.resource().unwrap().clone())
            } else {
                s.clone()
            }
        })
        .collect();
    let report = Report::run(
        &policy.document().with_statements(widened),
        KeyPolicy::probes(&intent, intent.bucket_key()),
    );
    let failed: Vec<_> = report
        .failures()
        .map(|r| r.probe().name().to_string())
        .collect();
    assert!(
        failed.iter().any(|n| n.contains("without aws:SourceArn"))
            && failed
                .iter()
                .any(|n| n.contains("unlisted account's trail")),
        "{failed:?}"
    );
}

/// The crate's one merge, with the key policy's size limit.
fn merge_key(existing: &PolicyDocument, generated: &KeyPolicy) -> PolicyDocument {
    cloudtrail_policy::merge(existing, generated.document(), PolicyKind::Key)
        .unwrap()
        .into_document()
}

/// A key the stack creates is known by its alias until then: its policy is the one an existing
/// single-Region key of the same account gets (every statement's `Resource` is `*`), and its
/// probes pass against it.
#[test]
fn a_key_to_create_gets_the_policy_of_an_existing_key_of_its_account() {
    let base = || {
        Intent::builder(Partition::Aws)
            .bucket("acme-cloudtrail-logs".parse().unwrap())
            .bucket_region("eu-west-1".parse().unwrap())
            .trail(
                "arn:aws:cloudtrail:eu-west-1:222222222222:trail/main"
                    .parse()
                    .unwrap(),
            )
            .reader("arn:aws:iam::333333333333:role/Auditor".parse().unwrap())
    };
    let created = base()
        .key_to_create(
            "arn:aws:kms:eu-west-1:111111111111:alias/cloudtrail"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let existing = base()
        .key(
            format!("arn:aws:kms:eu-west-1:111111111111:key/{KEY_ID}")
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let policy = KeyPolicy::generate(&created).unwrap();
    assert_eq!(policy, KeyPolicy::generate(&existing).unwrap());
    let report = policy.verify(&created);
    assert!(report.passed());
    assert!(
        report
            .results()
            .iter()
            .all(|r| r.probe().request().resource()
                == "arn:aws:kms:eu-west-1:111111111111:alias/cloudtrail")
    );
}

// ---------------------------------------------------------------------------------------------
// The S3 Bucket Key: CloudTrail's decrypt as AWS documents it, and the readers' two contexts.

const S3_CONTEXT: &str = "kms:EncryptionContext:aws:s3:arn";

#[test]
fn the_bucket_key_decrypt_is_awss_documented_statement() {
    // "AllowCloudTrailDecryptTrail", verbatim from
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    let documented = PolicyDocument::from_json(
        r#"{"Version":"2012-10-17","Statement":[{
          "Sid": "AllowCloudTrailDecryptTrail", "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": "kms:Decrypt", "Resource": "*"}]}"#,
    )
    .unwrap();
    let documented = &documented.statements()[0];
    let policy = generate(&bucket_key(), None);
    let ours = policy
        .document()
        .statements()
        .iter()
        .find(|s| s.sid() == Some("CloudTrailPolicyDecrypt"))
        .unwrap();
    assert_eq!(ours.principal(), documented.principal());
    assert_eq!(ours.action(), documented.action());
    assert_eq!(ours.resource(), documented.resource());
    assert!(ours.condition().is_empty(), "{ours:?}");
    assert!(
        !policy
            .document()
            .statements()
            .iter()
            .any(|s| s.sid() == Some("CloudTrailPolicyDecryptAnyTrail"))
    );
    // Whatever CloudTrail sends with it, the call is allowed.
    let decrypt = Request::new(Caller::Service(CLOUDTRAIL.into()), "kms:Decrypt", DOC_KEY);
    assert_eq!(
        evaluate(policy.document(), &decrypt).unwrap().verdict(),
        Verdict::Allow
    );
    // The opt-in scope refuses a call without `aws:SourceArn`.
    let scoped = generate(
        &bucket_key_readers()
            .scope_bucket_key_decrypt(true)
            .build()
            .unwrap(),
        None,
    );
    assert_eq!(
        evaluate(scoped.document(), &decrypt).unwrap().verdict(),
        Verdict::ImplicitDeny
    );
}

#[test]
fn readers_decrypt_both_bucket_key_contexts_and_nothing_else() {
    let intent = bucket_key_readers().build().unwrap();
    let policy = generate(&intent, None);
    let reader = "arn:aws:iam::444444444444:role/SecurityAudit";
    let decrypt = |context: &[(&str, &str)]| {
        let mut r = Request::new(Caller::Aws(reader.into()), "kms:Decrypt", DOC_KEY)
            .with_context("kms:CallerAccount", "444444444444");
        for (k, v) in context {
            r = r.with_context(*k, *v);
        }
        evaluate(policy.document(), &r).unwrap().verdict()
    };
    let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/main";
    let any_trail = "arn:aws:cloudtrail:eu-west-1:222222222222:trail/other";
    let object = "arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/26/f.json.gz";
    let bucket = "arn:aws:s3:::acme-cloudtrail-logs";
    // Documented without a Bucket Key: the trail and the log file
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html).
    assert_eq!(
        decrypt(&[(CONTEXT, trail), (S3_CONTEXT, object)]),
        Verdict::Allow
    );
    assert_eq!(
        decrypt(&[(CONTEXT, any_trail), (S3_CONTEXT, object)]),
        Verdict::Allow
    );
    // With a Bucket Key, S3's context is the bucket
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html); with or without
    // CloudTrail's context, the reader can decrypt.
    assert_eq!(
        decrypt(&[(CONTEXT, trail), (S3_CONTEXT, bucket)]),
        Verdict::Allow
    );
    assert_eq!(decrypt(&[(S3_CONTEXT, bucket)]), Verdict::Allow);
    // Nothing else encrypted with the key.
    for refused in [
        vec![],
        vec![(CONTEXT, trail)],
        vec![(S3_CONTEXT, "arn:aws:s3:::other-bucket")],
        vec![(CONTEXT, trail), (S3_CONTEXT, "arn:aws:s3:::other-bucket")],
        vec![
            (CONTEXT, trail),
            (
                S3_CONTEXT,
                "arn:aws:s3:::other-bucket/cloudtrail/AWSLogs/x.json.gz",
            ),
        ],
        vec![(
            S3_CONTEXT,
            "arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/111111111111/x.json.gz",
        )],
        vec![(
            S3_CONTEXT,
            "arn:aws:s3:::acme-cloudtrail-logs/not-logs/secret.json",
        )],
        vec![
            (CONTEXT, trail),
            (
                S3_CONTEXT,
                "arn:aws:s3:::acme-cloudtrail-logs/not-logs/secret.json",
            ),
        ],
        vec![
            (CONTEXT, "arn:aws:cloudtrail:us-east-1:333333333333:trail/x"),
            (S3_CONTEXT, bucket),
        ],
        vec![
            (CONTEXT, "arn:aws:cloudtrail:us-east-1:333333333333:trail/x"),
            (S3_CONTEXT, object),
        ],
    ] {
        assert_eq!(decrypt(&refused), Verdict::ImplicitDeny, "{refused:?}");
    }
    // Without a Bucket Key the bucket context alone is refused: S3 never uses it then.
    let no_bucket_key = generate(
        &bucket_key_readers().bucket_key(false).build().unwrap(),
        None,
    );
    let r = Request::new(Caller::Aws(reader.into()), "kms:Decrypt", DOC_KEY)
        .with_context(S3_CONTEXT, bucket);
    assert_eq!(
        evaluate(no_bucket_key.document(), &r).unwrap().verdict(),
        Verdict::ImplicitDeny
    );
}

#[test]
fn bucket_key_readers_need_the_bucket() {
    let intent = Intent::builder(Partition::Aws)
        .key(
            format!("arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}")
                .parse()
                .unwrap(),
        )
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws:iam::222222222222:role/Auditor".parse().unwrap())
        .bucket_key(true)
        .build()
        .unwrap();
    assert_eq!(
        KeyPolicy::generate(&intent).unwrap_err(),
        KeyPolicyError::BucketKeyReadersNeedBucket
    );
    assert!(
        KeyPolicyError::BucketKeyReadersNeedBucket
            .to_string()
            .contains("name the bucket")
    );
}

/// The crate's own policy for `intent` plus `extra` statements (JSON).
fn generated_plus(intent: &Intent, extra: &str) -> PolicyDocument {
    let generated = KeyPolicy::generate(intent).unwrap().into_document();
    let mut statements = generated.statements().to_vec();
    statements.extend(
        PolicyDocument::from_json(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{extra}]}}"#
        ))
        .unwrap()
        .into_statements(),
    );
    generated.with_statements(statements)
}

fn lines_of(findings: &[cloudtrail_policy::Finding]) -> Vec<String> {
    findings.iter().map(ToString::to_string).collect()
}

#[test]
fn public_key_administration_is_an_error_naming_the_statement() {
    // Key administrators "can give themselves and others AWS KMS permissions not specified in
    // this policy" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html):
    // anyone who may replace the key policy, disable the key or schedule its deletion owns the
    // archive.
    let intent = single_account();
    let key = intent.key().unwrap().as_str().to_owned();
    let p = generated_plus(
        &intent,
        r#"{"Sid":"Anyone","Effect":"Allow","Principal":"*",
            "Action":["kms:PutKeyPolicy","kms:ScheduleKeyDeletion","kms:DisableKey"],"Resource":"*"}"#,
    );
    let findings = KeyPolicy::lint(&p, &intent);
    assert_eq!(
        lines_of(&findings),
        [
            format!(
                "error[key-policy-administration]: statement `Anyone` lets any AWS principal of any account replace the key policy (`kms:PutKeyPolicy`, on `{key}`): whoever can replace the key policy owns the archive: they can grant themselves decrypt, or lock everyone else out"
            ),
            format!(
                "error[key-policy-administration]: statement `Anyone` lets any AWS principal of any account disable the key or delete it (or its key material) (`kms:ScheduleKeyDeletion`, `kms:DisableKey`, on `{key}`): without the key no log file can be read again, and CloudTrail stops delivering"
            ),
        ]
    );

    // `kms:*` to everyone: administration as well as decryption, each an error.
    let p = generated_plus(
        &intent,
        r#"{"Sid":"Everything","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}"#,
    );
    let codes: Vec<(Severity, &str)> = KeyPolicy::lint(&p, &intent)
        .iter()
        .map(|f| (f.severity(), f.code().as_str()))
        .collect();
    for want in [
        (Severity::Error, "key-policy-administration"),
        (Severity::Error, "key-policy-public-decrypt"),
        (Severity::Warning, "key-policy-outside-access"),
    ] {
        assert!(codes.contains(&want), "{want:?} missing: {codes:?}");
    }

    // The same grant to an organization's members, and to one other account.
    let org = generated_plus(
        &intent,
        r#"{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"kms:PutKeyPolicy","Resource":"*",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
    );
    assert_eq!(
        lines_of(&KeyPolicy::lint(&org, &intent)),
        [format!(
            "error[key-policy-administration]: statement `Org` lets any principal of organization `o-a1b2c3d4e5` (in accounts the intent does not name) replace the key policy (`kms:PutKeyPolicy`, on `{key}`): whoever can replace the key policy owns the archive: they can grant themselves decrypt, or lock everyone else out"
        )]
    );
    let partner = generated_plus(
        &intent,
        r#"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:role/Ops"},
            "Action":["kms:CreateGrant","kms:Decrypt","kms:DescribeKey"],"Resource":"*"}"#,
    );
    let codes: Vec<(Severity, &str)> = KeyPolicy::lint(&partner, &intent)
        .iter()
        .map(|f| (f.severity(), f.code().as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (Severity::Error, "key-policy-administration"),
            (Severity::Error, "key-policy-outside-access"),
            (Severity::Suggestion, "key-policy-outside-access"),
        ]
    );
    // The key account's own principals and the named administrators are not reported.
    let own = generated_plus(
        &intent,
        r#"{"Sid":"Own","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/Ops"},
            "Action":"kms:*","Resource":"*"}"#,
    );
    assert_eq!(KeyPolicy::lint(&own, &intent), []);
}

#[test]
fn a_key_policy_far_over_kmss_limit_is_refused_before_linting() {
    let intent = single_account();
    let grant = |i: usize| {
        format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{:012}:role/R"}},"Action":"kms:Decrypt","Resource":"*"}}"#,
            100_000_000_000 + i
        )
    };
    let many: Vec<String> = (0..20_000).map(grant).collect();
    let p = PolicyDocument::from_json(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        many.join(",")
    ))
    .unwrap();
    let codes: Vec<&str> = KeyPolicy::lint(&p, &intent)
        .iter()
        .map(|f| f.code().as_str())
        .collect();
    assert_eq!(codes, ["key-policy-too-large", "policy-too-large-to-lint"]);
}

/// Lint reads CloudTrail's requests with what CloudTrail sends beside `aws:SourceArn`: its
/// account (`aws:SourceAccount`, which AWS's key-policy page offers as the alternative,
/// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html)
/// and, for an account of the organization, `aws:SourceOrgID`
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid).
#[test]
fn lint_sends_cloudtrails_source_account_and_organization() {
    let policy = |condition: &str| {
        PolicyDocument::from_json(&format!(
            r#"{{"Version":"2012-10-17","Statement":[
            {{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::999999999999:root"}},
              "Action":"kms:*","Resource":"*"}},
            {{"Sid":"Encrypt","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},
              "Action":"kms:GenerateDataKey*","Resource":"*",
              "Condition":{{"StringLike":{{"{CONTEXT}":"arn:aws:cloudtrail:*:111111111111:trail/*"}},
                            "StringEquals":{condition}}}}},
            {{"Sid":"Describe","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},
              "Action":"kms:DescribeKey","Resource":"*",
              "Condition":{{"StringEquals":{condition}}}}}]}}"#
        ))
        .unwrap()
    };
    let intent = organization_trail();
    let cloudtrail_errors = |condition: &str| -> Vec<&'static str> {
        KeyPolicy::lint(&policy(condition), &intent)
            .iter()
            .map(|f| f.code().as_str())
            .filter(|c| c.starts_with("key-policy-cloudtrail-"))
            .collect()
    };
    // The organization trail's account, and the organization.
    assert_eq!(
        cloudtrail_errors(r#"{"aws:SourceAccount":"111111111111"}"#),
        Vec::<&str>::new()
    );
    assert_eq!(
        cloudtrail_errors(r#"{"aws:SourceOrgID":"o-a1b2c3d4e5"}"#),
        Vec::<&str>::new()
    );
    // Another account or organization: CloudTrail is refused, and lint says so.
    assert_eq!(
        cloudtrail_errors(r#"{"aws:SourceAccount":"222222222222"}"#),
        [
            "key-policy-cloudtrail-encrypt",
            "key-policy-cloudtrail-describe"
        ]
    );
    assert_eq!(
        cloudtrail_errors(r#"{"aws:SourceOrgID":"o-zzzzzzzzzz"}"#),
        [
            "key-policy-cloudtrail-encrypt",
            "key-policy-cloudtrail-describe"
        ]
    );
}
