//! The bucket policy: a snapshot of every shape, each proved by its probe matrix.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::eval::Verdict;
use cloudtrail_policy::{
    BucketPolicy, BucketPolicyError, Intent, IntentBuilder, IntentError, Layout, Partition,
    PolicyDocument, Report,
};
use proptest::prelude::*;

fn intent(partition: Partition) -> IntentBuilder {
    Intent::builder(partition)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .bucket_owner("999999999999".parse().unwrap())
}

const T1: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/main";
const T2: &str = "arn:aws:cloudtrail:eu-west-1:222222222222:trail/secondary";
const ORG_TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail";

/// Generates, proves with the probe matrix, and returns the policy.
#[track_caller]
fn proved(intent: &Intent) -> BucketPolicy {
    let policy = BucketPolicy::generate(intent).unwrap();
    let report = Report::run(
        policy.document(),
        BucketPolicy::probes(intent, policy.layout()),
    );
    let failures: Vec<String> = report
        .failures()
        .map(|f| {
            format!(
                "{}: expected {}, got {:?}",
                f.probe().name(),
                f.probe().expect(),
                f.outcome()
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "probe failures:\n{}",
        failures.join("\n")
    );
    assert!(
        report.results().len() >= 20,
        "only {} probes",
        report.results().len()
    );
    // Same intent, same bytes; and the document re-parses to itself.
    assert_eq!(
        BucketPolicy::generate(intent).unwrap().document().to_json(),
        policy.document().to_json()
    );
    assert_eq!(
        &PolicyDocument::from_json(&policy.document().to_json()).unwrap(),
        policy.document()
    );
    policy
}

#[test]
fn single_account() {
    let i = intent(Partition::Aws)
        .trail(T1.parse().unwrap())
        .build()
        .unwrap();
    let policy = proved(&i);
    assert_eq!(policy.layout(), Layout::Strict);
    insta::assert_json_snapshot!("bucket_single_account", policy);
}

#[test]
fn seed_two_accounts_strict_and_documented() {
    let builder = intent(Partition::Aws)
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap());
    let strict = proved(&builder.clone().build().unwrap());
    insta::assert_json_snapshot!("bucket_two_accounts_strict", strict);
    let documented = proved(&builder.layout(Layout::Documented).build().unwrap());
    assert_eq!(documented.layout(), Layout::Documented);
    insta::assert_json_snapshot!("bucket_two_accounts_documented", documented);
}

#[test]
fn strict_refuses_cross_folder_writes_that_documented_allows() {
    let builder = intent(Partition::Aws)
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap());
    let cross = |layout| {
        let i = builder.clone().layout(layout).build().unwrap();
        let policy = BucketPolicy::generate(&i).unwrap();
        let report = Report::run(policy.document(), BucketPolicy::probes(&i, layout));
        assert!(report.passed());
        report
            .results()
            .iter()
            .find(|r| {
                r.probe().name().contains(T1) && r.probe().name().contains("AWSLogs/222222222222/")
            })
            .unwrap()
            .verdict()
            .unwrap()
    };
    assert_eq!(cross(Layout::Strict), Verdict::ImplicitDeny);
    assert_eq!(cross(Layout::Documented), Verdict::Allow);
}

#[test]
fn organization_trail() {
    let i = intent(Partition::Aws)
        .organization_trail("o-a1b2c3d4e5".parse().unwrap(), ORG_TRAIL.parse().unwrap())
        .build()
        .unwrap();
    insta::assert_json_snapshot!("bucket_organization", proved(&i));
}

#[test]
fn organization_with_prefix_readers_and_an_extra_account() {
    let i = intent(Partition::Aws)
        .prefix("cloudtrail".parse().unwrap())
        .organization_trail("o-a1b2c3d4e5".parse().unwrap(), ORG_TRAIL.parse().unwrap())
        .account("333333333333".parse().unwrap())
        .reader(
            "arn:aws:iam::999999999999:role/SecurityAudit"
                .parse()
                .unwrap(),
        )
        .reader("arn:aws:iam::444444444444:root".parse().unwrap())
        .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
        .build()
        .unwrap();
    let policy = proved(&i);
    let json = policy.document().to_json();
    assert!(json.contains("arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/o-a1b2c3d4e5/*"));
    assert!(!json.contains("cloudtrail//"));
    insta::assert_json_snapshot!("bucket_organization_prefix_readers", policy);
}

#[test]
fn china_and_govcloud_partitions() {
    let cn = intent(Partition::AwsCn)
        .trail(
            "arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let cn = proved(&cn);
    assert!(
        cn.document()
            .to_json()
            .contains("arn:aws-cn:s3:::acme-cloudtrail-logs")
    );
    insta::assert_json_snapshot!("bucket_aws_cn", cn);
    let gov = intent(Partition::AwsUsGov)
        .trail(
            "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    insta::assert_json_snapshot!("bucket_aws_us_gov", proved(&gov));
}

#[test]
fn every_opt_out_and_the_opt_in() {
    let base = intent(Partition::Aws).trail(T1.parse().unwrap());
    let open = proved(
        &base
            .clone()
            .allow_insecure_transport()
            .allow_delete()
            .build()
            .unwrap(),
    );
    let json = open.document().to_json();
    assert!(!json.contains("Deny"), "{json}");
    insta::assert_json_snapshot!("bucket_no_hardening", open);
    let locked = proved(
        &base
            .policy_admin(
                "arn:aws:iam::999999999999:role/LogArchiveAdmin"
                    .parse()
                    .unwrap(),
            )
            .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
            .build()
            .unwrap(),
    );
    insta::assert_json_snapshot!("bucket_policy_admins", locked);
}

#[test]
fn accounts_whose_trails_are_unknown() {
    let i = intent(Partition::Aws)
        .account("222222222222".parse().unwrap())
        .account("333333333333".parse().unwrap())
        .trail(T1.parse().unwrap())
        .build()
        .unwrap();
    insta::assert_json_snapshot!("bucket_any_trail_accounts", proved(&i));
    proved(
        &intent(Partition::Aws)
            .account("222222222222".parse().unwrap())
            .account("333333333333".parse().unwrap())
            .layout(Layout::Documented)
            .build()
            .unwrap(),
    );
}

#[test]
fn inconsistent_intents_are_rejected() {
    let err = intent(Partition::Aws).build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "nothing delivers to the bucket: name at least one trail, account or organization trail"
    );
    let err = intent(Partition::AwsCn)
        .trail(T1.parse().unwrap())
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "trail `arn:aws:cloudtrail:us-east-1:111111111111:trail/main` is in partition `aws`, but the log archive is in `aws-cn`"
    );
    let err = intent(Partition::Aws)
        .trail(T1.parse().unwrap())
        .allow_delete()
        .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(err, IntentError::DeleteExemptWithoutDeny));
}

fn many_accounts(n: usize, layout: Option<Layout>, prefix: bool) -> Intent {
    let mut b = intent(Partition::Aws);
    if prefix {
        b = b.prefix("cloudtrail".parse().unwrap());
    }
    if let Some(l) = layout {
        b = b.layout(l);
    }
    for k in 0..n {
        let account = format!("{:012}", 100_000_000_000u64 + k as u64);
        b = b.trail(
            format!("arn:aws:cloudtrail:us-east-1:{account}:trail/org-logs")
                .parse()
                .unwrap(),
        );
    }
    b.build().unwrap()
}

#[test]
fn strict_falls_back_to_documented_then_errors_with_sizes_and_advice() {
    // Find the first count where Strict no longer fits.
    let first_overflow = (1..200)
        .find(|&n| {
            BucketPolicy::generate(&many_accounts(n, None, false))
                .unwrap()
                .layout()
                == Layout::Documented
        })
        .expect("strict overflows below 200 accounts");
    let fell = BucketPolicy::generate(&many_accounts(first_overflow, None, false)).unwrap();
    let strict_size = fell.fell_back_from_strict().unwrap();
    assert!(strict_size > 20_480);
    assert!(fell.document().minified_len() <= 20_480);
    // An explicit Strict never falls back.
    let err = BucketPolicy::generate(&many_accounts(first_overflow, Some(Layout::Strict), false))
        .unwrap_err();
    assert!(
        matches!(err, BucketPolicyError::TooLarge { layout: Layout::Strict, minified, .. } if minified == strict_size)
    );
    // Far past the budget, Documented does not fit either.
    let err = BucketPolicy::generate(&many_accounts(400, None, false)).unwrap_err();
    let BucketPolicyError::TooLarge {
        minified,
        pretty,
        limit,
        accounts,
        layout,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (*limit, *accounts, *layout),
        (20_480, 400, Layout::Documented)
    );
    assert!(minified > limit && pretty > minified);
    assert!(
        err.to_string().contains("use an organization trail"),
        "{err}"
    );
}

/// A random intent, built twice: with its trails and accounts inserted in one order and in the
/// reverse order.
fn arb_intent() -> impl Strategy<Value = (Intent, Intent)> {
    (
        // 1 to 300 per-account trails, over up to 300 accounts (three trails share an account).
        prop::collection::btree_set(0u64..900, 1..300),
        prop::collection::btree_set(5_000u64..6_000, 0..5),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            Layout::Strict,
            Layout::Documented,
        ])),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(|(trails, accounts, prefix, org, layout, (tls, delete))| {
            let id = |n: u64| format!("{:012}", 100_000_000_000 + n);
            let build = |reverse: bool| {
                let mut b = intent(Partition::Aws);
                let mut trails: Vec<u64> = trails.iter().copied().collect();
                let mut accounts: Vec<u64> = accounts.iter().copied().collect();
                if reverse {
                    trails.reverse();
                    accounts.reverse();
                }
                for n in &trails {
                    let region = if n % 2 == 0 { "us-east-1" } else { "eu-west-1" };
                    b = b.trail(
                        format!("arn:aws:cloudtrail:{region}:{}:trail/trail-{n}", id(n / 3))
                            .parse()
                            .unwrap(),
                    );
                }
                for n in &accounts {
                    b = b.account(id(*n).parse().unwrap());
                }
                if prefix {
                    b = b.prefix("logs/cloudtrail".parse().unwrap());
                }
                if org {
                    b = b.organization_trail(
                        "o-a1b2c3d4e5".parse().unwrap(),
                        format!("arn:aws:cloudtrail:us-east-1:{}:trail/org", id(7))
                            .parse()
                            .unwrap(),
                    );
                }
                if let Some(l) = layout {
                    b = b.layout(l);
                }
                if !tls {
                    b = b.allow_insecure_transport();
                }
                if !delete {
                    b = b.allow_delete();
                }
                b.build().unwrap()
            };
            (build(false), build(true))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Every intended delivery allowed, every adversarial probe denied, byte-identical output
    /// whatever the insertion order, and the size budget respected: a policy that fits is at
    /// most 20,480 bytes; one that does not is refused with its real size.
    #[test]
    fn random_intents_are_proved((i, reversed) in arb_intent()) {
        match BucketPolicy::generate(&i) {
            Ok(policy) => {
                prop_assert!(policy.document().minified_len() <= 20_480);
                if let Some(strict) = policy.fell_back_from_strict() {
                    prop_assert!(strict > 20_480);
                    prop_assert_eq!(i.layout(), None);
                }
                let report = Report::run(policy.document(), BucketPolicy::probes(&i, policy.layout()));
                let failures: Vec<String> =
                    report.failures().map(|f| f.probe().name().to_owned()).collect();
                prop_assert!(failures.is_empty(), "{:?}", failures);
                prop_assert_eq!(
                    BucketPolicy::generate(&reversed).unwrap().document().to_json(),
                    policy.document().to_json()
                );
            }
            Err(BucketPolicyError::TooLarge { minified, accounts, .. }) => {
                prop_assert!(minified > 20_480);
                prop_assert_eq!(accounts, i.delivering_accounts().len());
                prop_assert!(BucketPolicy::generate(&reversed).is_err());
            }
            Err(e) => prop_assert!(false, "unexpected error {}", e),
        }
    }
}

/// The matrix is only a proof if it fails for a wider policy: each mutation here widens the
/// generated policy in one way, and some probe must catch it.
#[test]
fn the_matrix_catches_every_widening_mutation() {
    let i = intent(Partition::Aws)
        .prefix("cloudtrail".parse().unwrap())
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap())
        .organization_trail("o-a1b2c3d4e5".parse().unwrap(), ORG_TRAIL.parse().unwrap())
        .reader(
            "arn:aws:iam::999999999999:role/SecurityAudit"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let policy = proved(&i);
    let json = policy.document().to_json();
    let mutations: &[(&str, &str, &str)] = &[
        (
            "drop the SourceArn of a write",
            r#""aws:SourceArn":"arn:aws:cloudtrail:eu-west-1:222222222222:trail/secondary","#,
            "",
        ),
        (
            "drop the ACL condition",
            r#","s3:x-amz-acl":"bucket-owner-full-control""#,
            "",
        ),
        (
            "widen a folder to the whole bucket",
            "cloudtrail/AWSLogs/222222222222/*",
            "*",
        ),
        (
            "open the delete deny",
            r#""Resource":"arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/*"}"#,
            r#""Resource":"arn:aws:s3:::acme-cloudtrail-logs/nothing"}"#,
        ),
        (
            "readers read the whole bucket",
            r#""s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/*""#,
            r#""s3:GetObject","Resource":"*""#,
        ),
        (
            "readers list everything",
            r#""s3:prefix":"cloudtrail/AWSLogs/*""#,
            r#""s3:prefix":"*""#,
        ),
        (
            "any service principal",
            r#"{"Service":"cloudtrail.amazonaws.com"}"#,
            r#""*""#,
        ),
        ("wildcard trail name", "trail/secondary", "trail/*"),
    ];
    for (what, from, to) in mutations {
        assert!(json.contains(from), "{what}: `{from}` not in {json}");
        let wider = PolicyDocument::from_json(&json.replacen(from, to, 1)).unwrap();
        let report = Report::run(&wider, BucketPolicy::probes(&i, policy.layout()));
        assert!(!report.passed(), "mutation not caught: {what}");
        assert!(
            report.failures().all(|f| f.verdict().is_some()),
            "{what}: caught only because the evaluator gave up"
        );
    }
    // Dropping a hardening statement shows up as the very request it denied getting through.
    for (sid, probe_name) in [
        (
            "CloudTrailPolicyDenyInsecureTransport",
            "log file without TLS",
        ),
        (
            "CloudTrailPolicyDenyLogDeletion",
            "s3:DeleteObject of a log file by a role of the bucket owner's account",
        ),
    ] {
        let statements = policy
            .document()
            .statements()
            .iter()
            .filter(|s| s.sid() != Some(sid))
            .cloned()
            .collect();
        let report = Report::run(
            &PolicyDocument::new(statements),
            BucketPolicy::probes(&i, policy.layout()),
        );
        let caught = report
            .failures()
            .any(|f| f.probe().name() == probe_name && f.verdict() != Some(f.probe().expect()));
        assert!(caught, "dropping {sid} not caught by `{probe_name}`");
    }
}

#[test]
fn lifecycle_rules_are_denied_like_deletes() {
    use cloudtrail_policy::eval::{Caller, Request, evaluate};
    // "If you want to block users or accounts from removing or deleting objects from your
    // bucket, you must deny them permissions for the following actions: s3:DeleteObject,
    // s3:DeleteObjectVersion, s3:PutLifecycleConfiguration"
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html).
    let break_glass = "arn:aws:iam::999999999999:role/BreakGlass";
    let i = intent(Partition::Aws)
        .trail(T1.parse().unwrap())
        .delete_exempt(break_glass.parse().unwrap())
        .build()
        .unwrap();
    let policy = proved(&i);
    let put = |who: &str| {
        let r = Request::new(
            Caller::Aws(who.into()),
            "s3:PutLifecycleConfiguration",
            "arn:aws:s3:::acme-cloudtrail-logs",
        )
        .with_context("aws:PrincipalArn", who)
        .with_context("aws:SecureTransport", "true");
        evaluate(policy.document(), &r).unwrap()
    };
    let owner = put("arn:aws:iam::999999999999:role/Admin");
    assert_eq!(owner.verdict(), Verdict::Deny);
    assert_eq!(
        owner
            .deciding()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["CloudTrailPolicyDenyLifecycleChanges"]
    );
    assert_eq!(
        put("arn:aws:iam::999999999999:root").verdict(),
        Verdict::Deny
    );
    assert_eq!(put(break_glass).verdict(), Verdict::ImplicitDeny);
    // Without the delete deny, no lifecycle deny either.
    let open = BucketPolicy::generate(
        &intent(Partition::Aws)
            .trail(T1.parse().unwrap())
            .allow_delete()
            .build()
            .unwrap(),
    )
    .unwrap();
    assert!(
        !open
            .document()
            .to_json()
            .contains("PutLifecycleConfiguration")
    );
    // A policy with only the older delete deny: the lint asks for the lifecycle deny.
    let older: Vec<_> = policy
        .document()
        .statements()
        .iter()
        .filter(|s| s.sid() != Some("CloudTrailPolicyDenyLifecycleChanges"))
        .cloned()
        .collect();
    let findings = BucketPolicy::lint(&policy.document().with_statements(older), &i);
    assert!(
        findings
            .iter()
            .any(|f| f.code().as_str() == "missing-delete-deny"
                && f.message().contains("s3:PutLifecycleConfiguration by")),
        "{findings:?}"
    );
}

#[test]
fn organization_writes_bound_by_source_org_id() {
    use cloudtrail_policy::OrganizationWriteCondition;
    use cloudtrail_policy::eval::{Caller, Request, evaluate};
    let build = |condition| {
        intent(Partition::Aws)
            .organization_trail("o-a1b2c3d4e5".parse().unwrap(), ORG_TRAIL.parse().unwrap())
            .trail(T2.parse().unwrap())
            .organization_write_condition(condition)
            .build()
            .unwrap()
    };
    let by_org = build(OrganizationWriteCondition::SourceOrgId);
    let policy = proved(&by_org);
    insta::assert_json_snapshot!("bucket_organization_source_org_id", policy);

    // What CloudTrail sends for a trail: SourceArn, SourceAccount and SourceOrgID
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid).
    let put = |trail: &str, account: &str, org: Option<&str>| {
        let r = Request::new(
            Caller::Service("cloudtrail.amazonaws.com".into()),
            "s3:PutObject",
            format!("arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/o-a1b2c3d4e5/{account}/CloudTrail/us-east-1/2026/11/26/{account}_CloudTrail_us-east-1_x.json.gz"),
        )
        .with_context("s3:x-amz-acl", "bucket-owner-full-control")
        .with_context("aws:SourceArn", trail)
        .with_context("aws:SourceAccount", account)
        .with_context("aws:SecureTransport", "true");
        match org {
            Some(o) => r.with_context("aws:SourceOrgID", o),
            None => r,
        }
    };
    let verdict = |p: &BucketPolicy, r: &Request| evaluate(p.document(), r).unwrap().verdict();
    let member = "arn:aws:cloudtrail:us-east-1:555555555555:trail/renamed-org-trail";
    let foreign = "arn:aws:cloudtrail:us-east-1:666666666666:trail/org-trail";
    // The organization trail, and a trail of this organization that the policy never named.
    for (trail, account) in [(ORG_TRAIL, "111111111111"), (member, "555555555555")] {
        assert_eq!(
            verdict(&policy, &put(trail, account, Some("o-a1b2c3d4e5"))),
            Verdict::Allow
        );
    }
    // A trail of another organization, and one outside any organization.
    assert_eq!(
        verdict(&policy, &put(foreign, "666666666666", Some("o-zzzzzzzzzz"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&policy, &put(foreign, "666666666666", None)),
        Verdict::ImplicitDeny
    );
    // The default binds the organization folder to the named trail only.
    let by_arn = BucketPolicy::generate(&build(OrganizationWriteCondition::SourceArn)).unwrap();
    assert_eq!(
        verdict(&by_arn, &put(member, "555555555555", Some("o-a1b2c3d4e5"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(
            &by_arn,
            &put(ORG_TRAIL, "111111111111", Some("o-a1b2c3d4e5"))
        ),
        Verdict::Allow
    );
    // Each policy fails the other's matrix: the probes tell the two conditions apart.
    let crossed = Report::run(
        by_arn.document(),
        BucketPolicy::probes(&by_org, by_arn.layout()),
    );
    let failed: Vec<_> = crossed
        .failures()
        .map(|f| f.probe().name().to_owned())
        .collect();
    assert!(
        failed
            .iter()
            .any(|n| n.contains("of organization o-a1b2c3d4e5 writes into the organization folder")),
        "{failed:?}"
    );
    let crossed = Report::run(
        policy.document(),
        BucketPolicy::probes(
            &build(OrganizationWriteCondition::SourceArn),
            policy.layout(),
        ),
    );
    assert!(!crossed.passed());
    // The ACL check still names the trails: Control Tower puts the condition on writes only.
    let json = policy.document().to_json();
    assert!(json.contains(r#""Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::acme-cloudtrail-logs","Condition":{"StringEquals":{"aws:SourceArn":["#), "{json}");
}
