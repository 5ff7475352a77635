//! Linting existing bucket policies: AWS's documented policies lint without errors, broken ones
//! give findings that name their consequence (snapshots), and the crate's own policies lint clean.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::eval::Verdict;
use cloudtrail_policy::{
    BucketPolicy, BucketPolicyError, Finding, Intent, IntentBuilder, Layout, Partition,
    PolicyDocument, ProbeClass, Severity,
};
use proptest::prelude::*;

/// The fixtures' `amzn-s3-demo-bucket` is refused by `BucketName` (a reserved prefix,
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>), so the tests rename it.
const BUCKET: &str = "acme-cloudtrail-logs";
/// The fixtures' account and trail (tests/fixtures/facts/README.md).
const DOC_TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
const PRIMARY: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/primary";
const SECONDARY: &str = "arn:aws:cloudtrail:us-east-1:222222222222:trail/secondary";
const THIRD: &str = "arn:aws:cloudtrail:eu-west-1:333333333333:trail/third";

fn fixture(name: &str) -> PolicyDocument {
    let path = format!("{}/tests/fixtures/facts/{name}", env!("CARGO_MANIFEST_DIR"));
    PolicyDocument::from_json(
        &std::fs::read_to_string(path)
            .unwrap()
            .replace("amzn-s3-demo-bucket", BUCKET),
    )
    .unwrap()
}

fn builder() -> IntentBuilder {
    Intent::builder(Partition::Aws).bucket(BUCKET.parse().unwrap())
}

fn lines(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code().as_str()).collect()
}

#[track_caller]
fn no_errors(findings: &[Finding]) {
    assert!(
        findings.iter().all(|f| f.severity() != Severity::Error),
        "{}",
        lines(findings)
    );
}

#[test]
fn aws_documented_policies_lint_without_errors_for_their_deliveries() {
    // AWS's single-account policy, one trail, no prefix:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    let i = builder().trail(DOC_TRAIL.parse().unwrap()).build().unwrap();
    let f = BucketPolicy::lint(&fixture("1.1-bucket-policy.json"), &i);
    no_errors(&f);
    // AWS's examples carry no hardening; the intent asks for it by default.
    assert_eq!(codes(&f), ["missing-delete-deny", "missing-tls-deny"]);
    let i = builder()
        .trail(DOC_TRAIL.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    assert_eq!(
        BucketPolicy::lint(&fixture("1.1-bucket-policy.json"), &i),
        []
    );

    // Two accounts under the prefix `logs`, AWS's documented (shared) layout:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html
    let i = builder()
        .prefix("logs".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .trail(SECONDARY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    let policy = fixture("1.3-multi-account-bucket-policy.json");
    assert_eq!(BucketPolicy::lint(&policy, &i), []);
    // Asked for the strict layout, the shared write statement is a warning, not an error.
    let strict = builder()
        .prefix("logs".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .trail(SECONDARY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .layout(Layout::Strict)
        .build()
        .unwrap();
    let f = BucketPolicy::lint(&policy, &strict);
    no_errors(&f);
    assert_eq!(codes(&f), ["cross-folder-write", "cross-folder-write"]);

    // The organization trail:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
    let i = builder()
        .organization_trail("o-exampleorg1".parse().unwrap(), DOC_TRAIL.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    assert_eq!(
        BucketPolicy::lint(&fixture("1.4-organization-bucket-policy.json"), &i),
        []
    );
}

#[test]
fn a_third_account_missing_from_facts_1_3_cannot_deliver() {
    let i = builder()
        .prefix("logs".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .trail(SECONDARY.parse().unwrap())
        .trail(THIRD.parse().unwrap())
        .build()
        .unwrap();
    let f = BucketPolicy::lint(&fixture("1.3-multi-account-bucket-policy.json"), &i);
    insta::assert_snapshot!("lint_facts_1_3_missing_third_account", lines(&f));
}

fn policy(statements: &str) -> PolicyDocument {
    PolicyDocument::from_json(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#
    ))
    .unwrap()
}

const ACL_CHECK: &str = r#"{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow",
    "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",
    "Resource":"arn:aws:s3:::acme-cloudtrail-logs",
    "Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/primary"}}}"#;
const WRITE: &str = r#"{"Sid":"AWSCloudTrailWrite","Effect":"Allow",
    "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
    "Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/111111111111/*",
    "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control",
    "aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/primary"}}}"#;

fn primary() -> Intent {
    builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .build()
        .unwrap()
}

#[test]
fn an_unbound_cloudtrail_grant_and_a_public_read() {
    // Any trail of any account may write anywhere under AWSLogs/, and everyone may read.
    let p = policy(
        r#"{"Sid":"AnyTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
            "Action":["s3:GetBucketAcl","s3:PutObject"],
            "Resource":["arn:aws:s3:::acme-cloudtrail-logs","arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*"]},
           {"Sid":"PublicRead","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:Get*",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    );
    let f = BucketPolicy::lint(&p, &primary());
    let c = codes(&f);
    for code in ["confused-deputy", "public-access", "delivery-too-wide"] {
        assert!(c.contains(&code), "{code} missing:\n{}", lines(&f));
    }
    assert!(!c.contains(&"missing-delivery"));
    insta::assert_snapshot!("lint_unbound_grant_and_public_read", lines(&f));
}

#[test]
fn a_deny_that_forces_sse_kms_blocks_delivery() {
    // A policy that only allows SSE-KMS uploads breaks CloudTrail:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
    let deny = r#"{"Sid":"DenyUnencrypted","Effect":"Deny","Principal":"*","Action":"s3:PutObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
        "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}"#;
    let p = policy(&format!("{ACL_CHECK},{WRITE},{deny}"));
    let f = BucketPolicy::lint(&p, &primary());
    assert!(codes(&f).contains(&"deny-blocks-delivery"), "{}", lines(&f));
    insta::assert_snapshot!("lint_deny_blocks_delivery", lines(&f));
}

#[test]
fn a_construct_the_evaluator_does_not_model_cannot_be_proved() {
    let deny = r#"{"Sid":"OfficeOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
        "Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#;
    let p = policy(&format!("{ACL_CHECK},{WRITE},{deny}"));
    let f = BucketPolicy::lint(&p, &primary());
    assert!(codes(&f).contains(&"cannot-prove"), "{}", lines(&f));
    insta::assert_snapshot!("lint_cannot_prove", lines(&f));
}

#[test]
fn a_hardened_policy_with_a_wide_owner_grant() {
    let i = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .reader("arn:aws:iam::444444444444:role/Auditor".parse().unwrap())
        .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
        .build()
        .unwrap();
    // The crate's policy for a narrower intent (no exemption, no reader), plus an owner grant.
    let narrower = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .build()
        .unwrap();
    let mut statements = BucketPolicy::generate(&narrower)
        .unwrap()
        .into_document()
        .into_statements();
    statements.extend(
        policy(
            r#"{"Sid":"PartnerEverything","Effect":"Allow","Principal":{"AWS":"555555555555"},
                "Action":"s3:*","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
        )
        .into_statements(),
    );
    let p = PolicyDocument::new(statements);
    let f = BucketPolicy::lint(&p, &i);
    let c = codes(&f);
    for code in ["missing-read", "break-glass-denied"] {
        assert!(c.contains(&code), "{code} missing:\n{}", lines(&f));
    }
    insta::assert_snapshot!("lint_hardened_but_wrong_people", lines(&f));
}

#[test]
fn bucket_probes_are_all_classified_and_their_classes_agree_with_their_verdicts() {
    let i = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .account("222222222222".parse().unwrap())
        .organization_trail("o-exampleorg1".parse().unwrap(), THIRD.parse().unwrap())
        .reader("arn:aws:iam::444444444444:role/Auditor".parse().unwrap())
        .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
        .policy_admin("arn:aws:iam::999999999999:role/Admin".parse().unwrap())
        .build()
        .unwrap();
    for layout in [Layout::Strict, Layout::Documented] {
        for p in BucketPolicy::probes(&i, layout) {
            let ok = match p.class() {
                ProbeClass::Delivery | ProbeClass::Read => p.expect() == Verdict::Allow,
                ProbeClass::CrossFolder | ProbeClass::Transport => true,
                ProbeClass::Unclassified => false,
                _ => p.expect() != Verdict::Allow,
            };
            assert!(ok, "{:?} {} expects {}", p.class(), p.name(), p.expect());
        }
    }
}

fn intent_strategy() -> impl Strategy<Value = Intent> {
    (
        prop::collection::vec(any::<bool>(), 3),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0u8..5,
        prop::option::of(prop_oneof![Just(Layout::Strict), Just(Layout::Documented)]),
    )
        .prop_map(|(trails, account, org, reader, protections, layout)| {
            let mut b = builder()
                .bucket_owner("999999999999".parse().unwrap())
                .prefix("audit".parse().unwrap());
            for (on, t) in trails.iter().zip([PRIMARY, SECONDARY, THIRD]) {
                if *on {
                    b = b.trail(t.parse().unwrap());
                }
            }
            if account || !(trails.contains(&true) || org) {
                b = b.account("555555555555".parse().unwrap());
            }
            if org {
                b = b.organization_trail(
                    "o-exampleorg1".parse().unwrap(),
                    "arn:aws:cloudtrail:us-east-1:999999999999:trail/org"
                        .parse()
                        .unwrap(),
                );
            }
            if reader {
                b = b.reader("arn:aws:iam::444444444444:role/Auditor".parse().unwrap());
            }
            b = match protections {
                0 => b,
                1 => b.allow_delete(),
                2 => b.allow_insecure_transport(),
                3 => b.delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap()),
                _ => b.policy_admin("arn:aws:iam::999999999999:role/Admin".parse().unwrap()),
            };
            if let Some(layout) = layout {
                b = b.layout(layout);
            }
            b.build().unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The crate's own policy, linted against the intent it was generated from, has no findings.
    #[test]
    fn generated_policies_lint_clean(intent in intent_strategy()) {
        let policy = BucketPolicy::generate(&intent).unwrap();
        let findings = BucketPolicy::lint(policy.document(), &intent);
        prop_assert!(findings.is_empty(), "{}", lines(&findings));
    }
}

#[test]
fn a_grant_to_another_account_is_an_error_on_the_logs_and_a_warning_elsewhere() {
    let reports = r#"{"Sid":"AnalyticsReports","Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::555555555555:role/Analytics"},"Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}"#;
    let owner = r#"{"Sid":"OwnerAdmin","Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:*",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#;
    let intent = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    let p = policy(&format!("{ACL_CHECK},{WRITE},{reports},{owner}"));
    let f = BucketPolicy::lint(&p, &intent);
    // The owner's own account is not cross-account, but its grant lets it delete logs (a
    // warning, as the intent does not ask for the delete deny); the analytics role outside
    // AWSLogs/ is a warning.
    insta::assert_snapshot!("lint_owner_and_partner_grants", lines(&f));
    assert_eq!(
        lines(&f).lines().next().unwrap(),
        "warning[cross-account-access]: statement `AnalyticsReports` grants `arn:aws:iam::555555555555:role/Analytics` of account 555555555555, which the intent does not name: `s3:GetObject` on `arn:aws:s3:::acme-cloudtrail-logs/reports/probe` by `arn:aws:iam::555555555555:role/Analytics` is allowed (cross-account access)"
    );
}

/// Regression: a role whose path holds characters IAM allows but `PrincipalArn` does not
/// (`~`) is probed as itself, not as a made-up role that its statement does not name.
#[test]
fn a_grant_to_a_role_with_any_iam_path_is_still_cross_account() {
    let reader = r#"{"Sid":"TeamReader","Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::555555555555:role/team~1/Reader"},"Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*"}"#;
    let intent = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .build()
        .unwrap();
    let f = BucketPolicy::lint(&policy(&format!("{ACL_CHECK},{WRITE},{reader}")), &intent);
    assert!(
        f.iter().any(|f| f.severity() == Severity::Error
            && f.code().as_str() == "cross-account-access"
            && f.message().contains("role/team~1/Reader")),
        "{}",
        lines(&f)
    );
}

/// A bucket policy needs the intent's bucket: without one it is not generated, its probe
/// matrix is empty and does not pass, and the lint says so.
#[test]
fn without_a_bucket_nothing_is_proved() {
    let bucketless = Intent::builder(Partition::Aws)
        .trail(PRIMARY.parse().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        BucketPolicy::generate(&bucketless),
        Err(BucketPolicyError::NoBucket)
    );
    let with_bucket = builder().trail(PRIMARY.parse().unwrap()).build().unwrap();
    let generated = BucketPolicy::generate(&with_bucket).unwrap();
    assert!(generated.verify(&with_bucket).passed());
    let empty = generated.verify(&bucketless);
    assert!(empty.results().is_empty());
    assert!(!empty.passed());
    let f = BucketPolicy::lint(generated.document(), &bucketless);
    assert_eq!(codes(&f), ["bucket-policy-no-bucket"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Every statement of the crate's policy is needed: dropping any one of them is reported,
    /// and a dropped Allow of CloudTrail's is an error.
    #[test]
    fn dropping_any_statement_of_the_crates_policy_is_reported(
        intent in intent_strategy(),
        pick in any::<prop::sample::Index>(),
    ) {
        let policy = BucketPolicy::generate(&intent).unwrap().into_document();
        let mut statements = policy.statements().to_vec();
        let dropped = statements.remove(pick.index(statements.len()));
        let findings = BucketPolicy::lint(&policy.with_statements(statements), &intent);
        prop_assert!(!findings.is_empty(), "dropping {:?} went unnoticed", dropped.sid());
        let cloudtrail_allow = dropped.effect() == cloudtrail_policy::document::Effect::Allow
            && serde_json::to_string(&dropped).unwrap().contains("cloudtrail.amazonaws.com");
        if cloudtrail_allow {
            prop_assert!(
                findings.iter().any(|f| f.code().as_str() == "missing-delivery"),
                "dropping {:?}: {}", dropped.sid(), lines(&findings)
            );
        }
    }
}

#[test]
fn the_merged_seed_policy_lints_without_errors() {
    let existing = fixture("1.3-multi-account-bucket-policy.json");
    let intent = builder()
        .prefix("logs".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .trail(SECONDARY.parse().unwrap())
        .trail(THIRD.parse().unwrap())
        .build()
        .unwrap();
    let generated = BucketPolicy::generate(&intent).unwrap();
    let merged = cloudtrail_policy::merge(
        &existing,
        generated.document(),
        cloudtrail_policy::PolicyKind::Bucket,
    )
    .unwrap();
    let findings = BucketPolicy::lint(merged.document(), &intent);
    assert_eq!(findings, [], "{}", lines(&findings));
}

/// Regression: a public grant hidden behind a condition the evaluator cannot decide was only a
/// warning, so `lint` passed a policy that may make the logs public. It fails closed now.
#[test]
fn an_unprovable_public_grant_is_an_error() {
    let public = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
        "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}"#;
    let p = policy(&format!("{ACL_CHECK},{WRITE},{public}"));
    let f = BucketPolicy::lint(&p, &primary());
    assert!(
        f.iter()
            .any(|f| f.code().as_str() == "cannot-prove" && f.severity() == Severity::Error),
        "{}",
        lines(&f)
    );
}
