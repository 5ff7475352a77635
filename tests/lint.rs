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
        "warning[cross-account-access]: statement `AnalyticsReports` lets `arn:aws:iam::555555555555:role/Analytics` read objects that are not CloudTrail's files (`s3:GetObject`, on `arn:aws:s3:::acme-cloudtrail-logs/reports/probe`): outside CloudTrail's log and digest folders"
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

// ---------------------------------------------------------------------------------------------
// Exposure: every grant to a caller the intent does not name, by what it lets the caller do.

fn with_codes(findings: &[Finding], code: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.code().as_str() == code)
        .map(ToString::to_string)
        .collect()
}

const ORG: &str = "o-a1b2c3d4e5";

/// Every member of an organization may delete the logs and replace the policy.
fn org_delete(condition: &str) -> PolicyDocument {
    policy(&format!(
        r#"{ACL_CHECK},{WRITE},{{"Sid":"OrgTamper","Effect":"Allow","Principal":"*",
            "Action":["s3:DeleteObject","s3:PutBucketPolicy"],
            "Resource":["arn:aws:s3:::acme-cloudtrail-logs","arn:aws:s3:::acme-cloudtrail-logs/*"],
            "Condition":{condition}}}"#
    ))
}

#[test]
fn an_organization_wide_grant_is_reported_in_and_out_of_the_owner_account() {
    // aws:PrincipalOrgID "is included in the request context only if the principal is a member
    // of an organization" and holds its id: a condition on it lets every principal of every
    // member account through
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
    let p = org_delete(&format!(
        r#"{{"StringEquals":{{"aws:PrincipalOrgID":"{ORG}"}}}}"#
    ));
    // The intent knows the organization (an organization trail).
    let i = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .organization_trail(
            ORG.parse().unwrap(),
            "arn:aws:cloudtrail:us-east-1:999999999999:trail/org"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let f = BucketPolicy::lint(&p, &i);
    let org = with_codes(&f, "organization-access");
    assert_eq!(org.len(), 2, "{}", lines(&f));
    for (line, what) in org.iter().zip([
        "delete log files or lift their retention (`s3:DeleteObject`",
        "replace or delete the bucket policy (`s3:PutBucketPolicy`",
    ]) {
        assert!(
            line.starts_with(&format!(
                "error[organization-access]: statement `OrgTamper` lets any principal of organization `{ORG}` (in accounts the intent does not name) {what}"
            )),
            "{line}"
        );
    }
    // Members in and out of the owner's account, through the probe matrix.
    let deletions = with_codes(&f, "log-deletion-allowed");
    assert!(
        deletions
            .iter()
            .any(|l| l.contains("a role of the bucket owner's account, as a member of")),
        "{}",
        lines(&f)
    );
    assert!(
        deletions
            .iter()
            .any(|l| l.contains("a role of unlisted member account")),
        "{}",
        lines(&f)
    );

    // Without an organization trail the intent knows no organization: the one the policy names
    // is tried.
    let f = BucketPolicy::lint(&p, &primary());
    assert_eq!(
        with_codes(&f, "organization-access").len(),
        2,
        "{}",
        lines(&f)
    );

    // aws:PrincipalOrgPaths (multivalued, under ForAnyValue) names the same members.
    let paths = org_delete(&format!(
        r#"{{"ForAnyValue:StringLike":{{"aws:PrincipalOrgPaths":"{ORG}/*"}}}}"#
    ));
    let f = BucketPolicy::lint(&paths, &primary());
    assert_eq!(
        with_codes(&f, "organization-access").len(),
        2,
        "{}",
        lines(&f)
    );

    // aws:ResourceOrgID tests the bucket's organization, not the caller's: every principal of
    // every account gets through while the bucket's owner is in the organization.
    let resource = org_delete(&format!(
        r#"{{"StringEquals":{{"aws:ResourceOrgID":"{ORG}"}}}}"#
    ));
    let f = BucketPolicy::lint(&resource, &primary());
    let public = with_codes(&f, "public-access");
    assert!(
        public.iter().any(|l| l.contains("lets anyone (anonymous callers included) (while the bucket's owner is in organization `o-a1b2c3d4e5`: `aws:ResourceOrgID` tests the bucket's organization, not the caller's) delete log files")),
        "{}",
        lines(&f)
    );
}

#[test]
fn every_sensitive_action_granted_to_another_account_is_considered() {
    // Not one of the probes' requests: the bucket's ACL, its lifecycle rules, its policy.
    let partner = r#"{"Sid":"PartnerAdmin","Effect":"Allow","Principal":{"AWS":"555555555555"},
        "Action":["s3:PutBucketAcl","s3:PutLifecycleConfiguration","s3:GetBucketPolicy"],
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs"}"#;
    let p = policy(&format!("{ACL_CHECK},{WRITE},{partner}"));
    let f = BucketPolicy::lint(&p, &primary());
    let partner = with_codes(&f, "cross-account-access");
    assert_eq!(
        partner,
        [
            "error[cross-account-access]: statement `PartnerAdmin` lets any principal of account 555555555555 change the bucket's ACL, Object Ownership or Block Public Access (`s3:PutBucketAcl`, on `arn:aws:s3:::acme-cloudtrail-logs`): ACLs and ownership settings can grant access this policy does not show",
            "error[cross-account-access]: statement `PartnerAdmin` lets any principal of account 555555555555 make log files expire or deletable (lifecycle rules, versioning, Object Lock) or delete the bucket (`s3:PutLifecycleConfiguration`, on `arn:aws:s3:::acme-cloudtrail-logs`): the logs can be destroyed",
            "suggestion[cross-account-access]: statement `PartnerAdmin` lets any principal of account 555555555555 read the bucket's settings (its ACL, policy, location…) (`s3:GetBucketPolicy`, on `arn:aws:s3:::acme-cloudtrail-logs`): no log content: the bucket's ACL holds only its owner and grants",
        ],
        "{}",
        lines(&f)
    );
    // A deny that covers one of them takes it out.
    let deny = r#"{"Sid":"NoLifecycle","Effect":"Deny","Principal":"*","Action":"s3:PutLifecycleConfiguration","Resource":"arn:aws:s3:::acme-cloudtrail-logs"}"#;
    let p = policy(&format!(
        "{ACL_CHECK},{WRITE},{},{deny}",
        r#"{"Sid":"PartnerAdmin","Effect":"Allow","Principal":{"AWS":"555555555555"},
        "Action":["s3:PutBucketAcl","s3:PutLifecycleConfiguration"],
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs"}"#
    ));
    let f = BucketPolicy::lint(&p, &primary());
    assert_eq!(
        with_codes(&f, "cross-account-access").len(),
        1,
        "{}",
        lines(&f)
    );
}

/// A key the intent names, and a deny that only lets SSE-KMS uploads through.
const KEY: &str = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn with_key() -> Intent {
    builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .key(KEY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap()
}

#[test]
fn a_deny_requiring_sse_kms_does_not_block_cloudtrail_when_the_intent_names_the_key() {
    // "Enabling server-side encryption encrypts the log files but not the digest files with
    // SSE-KMS. Digest files are encrypted with Amazon S3-managed encryption keys (SSE-S3)"
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html),
    // and a policy that only allows SSE-KMS stops trails with log file validation unless it
    // also allows AES256
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html).
    let deny = |values: &str| {
        format!(
            r#"{{"Sid":"DenyUnencrypted","Effect":"Deny","Principal":"*","Action":"s3:PutObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
            "Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":{values}}}}}}}"#
        )
    };
    let only_kms = policy(&format!("{ACL_CHECK},{WRITE},{}", deny(r#""aws:kms""#)));
    let f = BucketPolicy::lint(&only_kms, &with_key());
    let blocked = with_codes(&f, "deny-blocks-delivery");
    assert_eq!(blocked.len(), 1, "{}", lines(&f));
    assert!(
        blocked[0].starts_with("error[deny-blocks-delivery]: digest file from")
            && blocked[0].contains("allowing `AES256` beside `aws:kms`"),
        "{}",
        blocked[0]
    );
    // AWS's fix: no error left.
    let fixed = policy(&format!(
        "{ACL_CHECK},{WRITE},{}",
        deny(r#"["aws:kms","AES256"]"#)
    ));
    assert_eq!(BucketPolicy::lint(&fixed, &with_key()), []);
    // Requiring this very key (by ARN, as S3 documents the condition key) for SSE-KMS uploads
    // does not block the log files; requiring another key does.
    let key_deny = |key: &str| {
        format!(
            r#"{{"Sid":"DenyOtherKeys","Effect":"Deny","Principal":"*","Action":"s3:PutObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
            "Condition":{{"StringEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}},
              "StringNotEquals":{{"s3:x-amz-server-side-encryption-aws-kms-key-id":"{key}"}}}}}}"#
        )
    };
    let same = policy(&format!("{ACL_CHECK},{WRITE},{}", key_deny(KEY)));
    assert_eq!(BucketPolicy::lint(&same, &with_key()), []);
    let other = policy(&format!(
        "{ACL_CHECK},{WRITE},{}",
        key_deny("arn:aws:kms:us-east-1:999999999999:key/other")
    ));
    let f = BucketPolicy::lint(&other, &with_key());
    assert_eq!(
        with_codes(&f, "deny-blocks-delivery").len(),
        1,
        "{}",
        lines(&f)
    );
    // Without a key, CloudTrail's SSE-S3 uploads carry `AES256` or no header (AWS does not
    // say which): a deny that refuses both blocks them, one that refuses only one cannot be
    // proved either way.
    let f = BucketPolicy::lint(&only_kms, &primary());
    assert_eq!(
        with_codes(&f, "deny-blocks-delivery").len(),
        2,
        "{}",
        lines(&f)
    );
    let only_absent = policy(&format!(
        r#"{ACL_CHECK},{WRITE},{{"Sid":"DenyNoHeader","Effect":"Deny","Principal":"*","Action":"s3:PutObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
            "Condition":{{"Null":{{"s3:x-amz-server-side-encryption":"true"}}}}}}"#
    ));
    let f = BucketPolicy::lint(&only_absent, &primary());
    assert!(
        with_codes(&f, "cannot-prove")
            .iter()
            .any(|l| l.contains("depends on which of the possible values")),
        "{}",
        lines(&f)
    );
}

#[test]
fn another_services_get_bucket_acl_is_a_suggestion_that_says_what_it_allows() {
    // AWS Config's documented statements
    // (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html) and
    // Redshift's (https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html), which
    // "requires read permissions to the Amazon S3 bucket so it can identify the bucket owner".
    let config = r#"{"Sid":"AWSConfigBucketPermissionsCheck","Effect":"Allow",
        "Principal":{"Service":"config.amazonaws.com"},"Action":"s3:GetBucketAcl",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs",
        "Condition":{"StringEquals":{"AWS:SourceAccount":"111111111111"}}},
      {"Sid":"AWSConfigBucketDelivery","Effect":"Allow",
        "Principal":{"Service":"config.amazonaws.com"},"Action":"s3:PutObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/111111111111/Config/*",
        "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","AWS:SourceAccount":"111111111111"}}}"#;
    let redshift = r#"{"Sid":"Redshift","Effect":"Allow","Principal":{"Service":"redshift.amazonaws.com"},
        "Action":["s3:PutObject","s3:GetBucketAcl"],
        "Resource":["arn:aws:s3:::acme-cloudtrail-logs","arn:aws:s3:::acme-cloudtrail-logs/*"]}"#;
    let intent = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    let f = BucketPolicy::lint(&policy(&format!("{ACL_CHECK},{WRITE},{config}")), &intent);
    assert_eq!(
        lines(&f),
        "suggestion[service-access]: statement `AWSConfigBucketPermissionsCheck` lets the AWS service `config.amazonaws.com` (acting for account 111111111111) read the bucket's settings (its ACL, policy, location…) (`s3:GetBucketAcl`, on `arn:aws:s3:::acme-cloudtrail-logs`): no log content: the bucket's ACL holds only its owner and grants"
    );
    let f = BucketPolicy::lint(&policy(&format!("{ACL_CHECK},{WRITE},{redshift}")), &intent);
    no_errors(&f);
    assert_eq!(
        codes(&f),
        ["service-access", "service-access"],
        "{}",
        lines(&f)
    );
    assert!(
        lines(&f).contains("warning[service-access]: statement `Redshift` lets the AWS service `redshift.amazonaws.com` (acting for any account: no `aws:SourceAccount` or `aws:SourceArn` binds it) write log files (`s3:PutObject`"),
        "{}",
        lines(&f)
    );
}

#[test]
fn the_owners_own_roles_are_not_cross_account_when_the_owner_is_named() {
    let ops = r#"{"Sid":"OwnerOps","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:role/Ops"},
        "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#;
    let p = policy(&format!("{ACL_CHECK},{WRITE},{ops}"));
    let named = builder()
        .bucket_owner("999999999999".parse().unwrap())
        .trail(PRIMARY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    assert_eq!(BucketPolicy::lint(&p, &named), []);
    // Without the owner, the account cannot be told from a stranger's: the finding says so.
    let unnamed = builder()
        .trail(PRIMARY.parse().unwrap())
        .allow_delete()
        .allow_insecure_transport()
        .build()
        .unwrap();
    let f = BucketPolicy::lint(&p, &unnamed);
    assert_eq!(
        lines(&f),
        "error[unnamed-account-access]: statement `OwnerOps` lets `arn:aws:iam::999999999999:role/Ops` read log files (`s3:GetObject`, on `arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/111111111111/CloudTrail/us-west-2/2026/11/26/111111111111_CloudTrail_us-west-2_20261126T0000Z_exposure.json.gz`): the logs can be read by someone the intent does not name; the intent names no bucket owner: if account 999999999999 owns the bucket, name it as the owner"
    );
}

#[test]
fn every_finding_says_who_can_do_what_on_which_resource_and_which_statement() {
    let public = r#"{"Sid":"PublicRead","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:Get*",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#;
    let any_trail = r#"{"Sid":"AnyTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
            "Action":["s3:GetBucketAcl","s3:PutObject"],
            "Resource":["arn:aws:s3:::acme-cloudtrail-logs","arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*"]}"#;
    let deny = r#"{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:PutObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/111111111111/*"}"#;
    for statements in [
        format!("{public},{any_trail}"),
        format!("{ACL_CHECK},{WRITE},{deny}"),
        format!("{ACL_CHECK},{any_trail}"),
    ] {
        let f = BucketPolicy::lint(&policy(&statements), &primary());
        assert!(!f.is_empty());
        for finding in &f {
            let m = finding.message();
            if matches!(
                finding.code().as_str(),
                // What cannot be decided names the construct, not a grant.
                "missing-tls-deny" | "missing-delete-deny" | "cannot-prove" | "proof-incomplete"
            ) {
                continue;
            }
            assert!(m.contains("statement"), "no statement: {finding}");
            assert!(m.contains("on `arn:aws:s3:::"), "no resource: {finding}");
            assert!(
                m.contains(" can ")
                    || m.contains(" cannot ")
                    || m.contains(" lets ")
                    || m.contains("allows"),
                "no verb: {finding}"
            );
        }
        // The ACL check is a read, never "made to write".
        for finding in f
            .iter()
            .filter(|f| f.message().contains("`s3:GetBucketAcl`"))
        {
            assert!(!finding.message().contains("write"), "{finding}");
        }
    }
}

#[test]
fn a_policy_far_over_s3s_limit_is_refused_before_linting() {
    // 20,000 statements: S3's limit is 20 KB ("Bucket policies are limited to 20 KB in size",
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html).
    let grant = |i: usize| {
        format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{:012}:role/R"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*"}}"#,
            100_000_000_000 + i
        )
    };
    let many: Vec<String> = (0..20_000).map(grant).collect();
    let p = policy(&many.join(","));
    let started = std::time::Instant::now();
    let f = BucketPolicy::lint(&p, &primary());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        codes(&f),
        ["bucket-policy-too-large", "policy-too-large-to-lint"]
    );
    // Just over the limit: an error, and the policy is still linted.
    let some: Vec<String> = (0..200).map(grant).collect();
    let p = policy(&format!("{ACL_CHECK},{WRITE},{}", some.join(",")));
    assert!(p.minified_len() > 20_480);
    let f = BucketPolicy::lint(&p, &primary());
    let c = codes(&f);
    assert!(c.contains(&"bucket-policy-too-large"), "{c:?}");
    assert!(c.contains(&"cross-account-access"), "{c:?}");
    assert!(!c.contains(&"policy-too-large-to-lint"), "{c:?}");
}

#[test]
fn a_grant_to_any_organization_is_reported_as_such() {
    let p = org_delete(r#"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#);
    let f = BucketPolicy::lint(&p, &primary());
    let org = with_codes(&f, "organization-access");
    assert_eq!(org.len(), 2, "{}", lines(&f));
    assert!(
        org[0].contains("any principal of any organization the statement's condition matches (in accounts the intent does not name)"),
        "{}",
        org[0]
    );
}
