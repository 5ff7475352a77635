//! Merging the crate's statements into an existing policy: the seed's workflow, snapshots, the
//! refusals, and the laws (idempotent, foreign statements untouched, never wider) under proptest.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::document::{Clause, Effect, Statement};
use cloudtrail_policy::eval::{Caller, Request, Verdict, evaluate};
use cloudtrail_policy::{
    BucketPolicy, Intent, IntentBuilder, Layout, MergeError, MergeOptions, Merged, Partition,
    PolicyDocument, PolicyKind, Probe, ProbeClass, Report, SID_PREFIX, cloudtrail_accounts,
    is_owned,
};
use cloudtrail_policy::{merge, merge_with};
use proptest::prelude::*;

const BUCKET: &str = "acme-cloudtrail-logs";
const T1: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/primary";
const T2: &str = "arn:aws:cloudtrail:us-east-1:222222222222:trail/secondary";
const T3: &str = "arn:aws:cloudtrail:eu-west-1:333333333333:trail/third";

fn builder() -> IntentBuilder {
    Intent::builder(Partition::Aws)
        .bucket(BUCKET.parse().unwrap())
        .bucket_owner("999999999999".parse().unwrap())
}

fn generated(intent: &Intent) -> PolicyDocument {
    BucketPolicy::generate(intent).unwrap().into_document()
}

fn doc(json: &str) -> PolicyDocument {
    PolicyDocument::from_json(json).unwrap()
}

fn statement(json: &str) -> Statement {
    doc(&format!(r#"{{"Version":"2012-10-17","Statement":{json}}}"#))
        .into_statements()
        .remove(0)
}

/// AWS's multi-account bucket policy
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>)
/// with the fixture's `amzn-s3-demo-bucket` renamed to [`BUCKET`] (the crate's `BucketName`
/// refuses the reserved `amzn-s3-demo-` prefix, <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>).
fn facts_1_3() -> PolicyDocument {
    let path = format!(
        "{}/tests/fixtures/facts/1.3-multi-account-bucket-policy.json",
        env!("CARGO_MANIFEST_DIR")
    );
    doc(&std::fs::read_to_string(path)
        .unwrap()
        .replace("amzn-s3-demo-bucket", BUCKET))
}

const ANALYTICS: &str = r#"{"Sid":"AnalyticsReadsReports","Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::444444444444:role/Analytics"},
    "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}"#;

fn accounts(m: &Merged, added: bool) -> Vec<&str> {
    let list = if added {
        m.accounts_added()
    } else {
        m.accounts_removed()
    };
    list.iter().map(|a| a.as_str()).collect()
}

#[test]
fn seed_facts_1_3_plus_a_foreign_statement_gains_a_third_account() {
    let base = facts_1_3();
    let mut statements = base.statements().to_vec();
    statements.insert(1, statement(ANALYTICS));
    let existing = base.with_statements(statements);

    let intent = builder()
        .prefix("logs".parse().unwrap())
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap())
        .trail(T3.parse().unwrap())
        .build()
        .unwrap();
    let generated = generated(&intent);
    let merged = merge(&existing, &generated, PolicyKind::Bucket).unwrap();

    // The foreign statements (AWS's two and the analytics grant) come first, untouched.
    assert_eq!(
        merged.document().statements()[..3],
        existing.statements()[..]
    );
    assert_eq!(
        merged.document().statements()[3..],
        generated.statements()[..]
    );
    // AWS's statements already delivered for 111… and 222…: only 333… is new.
    assert_eq!(accounts(&merged, true), ["333333333333"]);
    assert!(merged.accounts_removed().is_empty());
    assert_eq!(
        merged.added_statements().len(),
        generated.statements().len()
    );
    assert!(merged.removed_statements().is_empty());
    insta::assert_snapshot!("merged_seed_facts_1_3", merged.document().to_json_pretty());

    // Merging again gives the same bytes and reports nothing new.
    let again = merge(merged.document(), &generated, PolicyKind::Bucket).unwrap();
    assert_eq!(again.document().to_json(), merged.document().to_json());
    assert!(again.added_statements().is_empty());
    assert!(again.changed_statements().is_empty());
    assert!(again.accounts_added().is_empty());

    // Every delivery the intent promises is allowed by the merged policy.
    let report = Report::run(
        merged.document(),
        BucketPolicy::probes(&intent, Layout::Documented),
    );
    for r in report.results() {
        if r.probe().class() == ProbeClass::Delivery {
            assert_eq!(r.verdict(), Some(Verdict::Allow), "{}", r.probe().name());
        }
    }
}

#[test]
fn adding_and_removing_accounts_reports_sids_and_accounts() {
    let two = builder()
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap())
        .build()
        .unwrap();
    let three = builder()
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap())
        .trail(T3.parse().unwrap())
        .build()
        .unwrap();
    let existing = generated(&two).with_statements(
        std::iter::once(statement(ANALYTICS))
            .chain(generated(&two).into_statements())
            .collect(),
    );

    let up = merge(&existing, &generated(&three), PolicyKind::Bucket).unwrap();
    assert_eq!(up.added_statements(), ["CloudTrailPolicyWrite333333333333"]);
    assert_eq!(up.changed_statements(), ["CloudTrailPolicyAclCheck"]);
    assert!(up.removed_statements().is_empty());
    assert_eq!(accounts(&up, true), ["333333333333"]);
    assert!(up.accounts_removed().is_empty());

    let down = merge(up.document(), &generated(&two), PolicyKind::Bucket).unwrap();
    assert_eq!(
        down.removed_statements(),
        ["CloudTrailPolicyWrite333333333333"]
    );
    assert_eq!(accounts(&down, false), ["333333333333"]);
    assert_eq!(down.document().to_json(), existing.to_json());
}

#[test]
fn dropping_or_changing_a_crate_deny_is_refused_unless_allowed() {
    let hardened = builder().trail(T1.parse().unwrap()).build().unwrap();
    let relaxed = builder()
        .trail(T1.parse().unwrap())
        .allow_delete()
        .build()
        .unwrap();
    let break_glass = builder()
        .trail(T1.parse().unwrap())
        .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
        .build()
        .unwrap();
    let existing = generated(&hardened);
    // Dropped: the relaxed intent writes no delete deny at all.
    let err = merge(&existing, &generated(&relaxed), PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err,
        MergeError::WouldRemoveDeny {
            sid: "CloudTrailPolicyDenyLogDeletion".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "the existing policy's deny `CloudTrailPolicyDenyLogDeletion` is not in the generated policy, so the merge would drop it: generate with the options that write it, or allow relaxing denies to drop it"
    );
    // Changed: a break-glass exemption is a condition the existing deny lacks; the error says so.
    let err = merge(&existing, &generated(&break_glass), PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the existing policy's deny `CloudTrailPolicyDenyLogDeletion` would change: its `Condition` is absent there and {\"ArnNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::999999999999:role/BreakGlass\"}} in the generated policy; generate with the options the existing policy was made with, or allow relaxing denies to change it"
    );
    // Another prefix changes the deny's resource: the values show the prefix.
    let prefixed = builder()
        .trail(T1.parse().unwrap())
        .prefix("cloudtrail".parse().unwrap())
        .build()
        .unwrap();
    let err = merge(&generated(&prefixed), &existing, PolicyKind::Bucket).unwrap_err();
    assert!(matches!(
        &err,
        MergeError::WouldChangeDeny { element: "Resource", existing, generated, .. }
            if existing == "\"arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/*\""
                && generated == "\"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*\""
    ));
    for generated in [generated(&relaxed), generated(&break_glass)] {
        let options = MergeOptions::default().allow_relaxing_denies(true);
        let merged = merge_with(&existing, &generated, PolicyKind::Bucket, options).unwrap();
        assert_eq!(merged.document(), &generated);
    }
    // Adding a deny is never refused.
    let merged = merge(&generated(&relaxed), &existing, PolicyKind::Bucket).unwrap();
    assert_eq!(
        merged.added_statements(),
        [
            "CloudTrailPolicyDenyLogDeletion",
            "CloudTrailPolicyDenyLifecycleChanges"
        ]
    );
}

#[test]
fn refusals_name_the_problem() {
    let intent = builder().trail(T1.parse().unwrap()).build().unwrap();
    let ours = generated(&intent);

    // Foreign statements that alone fill S3's 20,480 bytes: the merge is refused with its size.
    let big: Vec<Statement> = (0..200)
        .map(|i| {
            Statement::new(Effect::Allow)
                .with_sid(format!("Foreign{i}"))
                .with_action(Clause::Is(vec!["s3:GetObject".into()]))
                .with_resource(Clause::Is(vec![format!(
                    "arn:aws:s3:::acme-cloudtrail-logs/reports/{i:0>40}/*"
                )]))
        })
        .collect();
    let big = PolicyDocument::new(big);
    let err = merge(&big, &ours, PolicyKind::Bucket).unwrap_err();
    let mut all = big.statements().to_vec();
    all.extend(ours.statements().iter().cloned());
    let minified = big.with_statements(all).minified_len();
    assert!(minified > 20_480);
    assert_eq!(
        err,
        MergeError::TooLarge {
            minified,
            limit: 20_480
        }
    );
    assert_eq!(
        err.to_string(),
        format!("merged policy is {minified} bytes minified, over the limit of 20480 bytes")
    );

    let unowned = ours.with_statements(vec![statement(ANALYTICS)]);
    let err = merge(&ours, &unowned, PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err.to_string(),
        "generated statement 0 has no sid starting with `CloudTrailPolicy`: only the crate's own statements can be merged"
    );

    let variable = ours.with_statements(vec![statement(
        r#"{"Sid":"CloudTrailPolicyReadLogs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/R"},
            "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/${aws:username}/*"}"#,
    )]);
    let old = doc(r#"{"Statement":[]}"#);
    let err = merge(&old, &variable, PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err.to_string(),
        "generated statement `CloudTrailPolicyReadLogs` uses a policy variable, which needs `Version` 2012-10-17, but the existing policy is not 2012-10-17"
    );

    // A generated statement the merge would not recognise later is refused now.
    let unknown = ours.with_statements(vec![statement(
        r#"{"Sid":"CloudTrailPolicyX","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    )]);
    let err = merge(&old, &unknown, PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err.to_string(),
        "generated statement `CloudTrailPolicyX` is not a statement the merge recognises as the tool's (the tool writes no statement with this sid)"
    );
}

#[test]
fn version_and_id_of_the_existing_policy_are_kept() {
    let intent = builder().trail(T1.parse().unwrap()).build().unwrap();
    let existing = doc(
        r#"{"Id":"LegacyPolicy","Statement":[{"Sid":"Home","Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/home/${aws:username}/*"}]}"#,
    );
    let merged = merge(&existing, &generated(&intent), PolicyKind::Bucket).unwrap();
    assert_eq!(merged.document().version(), None);
    assert_eq!(merged.document().id(), Some("LegacyPolicy"));
    assert!(
        merged
            .document()
            .to_json()
            .starts_with(r#"{"Id":"LegacyPolicy","Statement":[{"Sid":"Home""#)
    );
}

#[test]
fn accounts_are_read_from_folders_trail_arns_and_source_accounts() {
    let policy = doc(r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
         "Resource":"arn:aws:s3:::b/p/AWSLogs/111111111111/*"},
        {"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*",
         "Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:222222222222:trail/*"}}},
        {"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",
         "Resource":"arn:aws:s3:::b","Condition":{"StringEquals":{"aws:SourceAccount":"333333333333"}}},
        {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444444444444:root"},"Action":"s3:PutObject",
         "Resource":"arn:aws:s3:::b/AWSLogs/444444444444/*"},
        {"Effect":"Deny","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
         "Resource":"arn:aws:s3:::b/AWSLogs/555555555555/*"},
        {"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
         "Resource":"arn:aws:s3:::b/AWSLogs/o-exampleorg1/*"}]}"#);
    let found: Vec<String> = cloudtrail_accounts(&policy)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(found, ["111111111111", "222222222222", "333333333333"]);
}

// ---------------------------------------------------------------------------------------------
// Laws.

/// Statements a user may already have, some wide, some denying, some with tricky Sids.
const FOREIGN: &[&str] = &[
    ANALYTICS,
    r#"{"Sid":"PublicReports","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}"#,
    r#"{"Sid":"PublicEverything","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    r#"{"Sid":"PartnerFullAccess","Effect":"Allow","Principal":{"AWS":"444444444444"},"Action":"s3:*",
        "Resource":["arn:aws:s3:::acme-cloudtrail-logs","arn:aws:s3:::acme-cloudtrail-logs/*"]}"#,
    r#"{"Sid":"AWSCloudTrailWrite20131101","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
        "Action":"s3:PutObject","Resource":["arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/111111111111/*",
        "arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/222222222222/*"],"Condition":{"StringEquals":{
        "aws:SourceArn":["arn:aws:cloudtrail:us-east-1:111111111111:trail/primary",
        "arn:aws:cloudtrail:us-east-1:222222222222:trail/secondary"],"s3:x-amz-acl":"bucket-owner-full-control"}}}"#,
    r#"{"Sid":"AnyCloudTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
        "Action":["s3:PutObject","s3:GetBucketAcl"],"Resource":["arn:aws:s3:::acme-cloudtrail-logs",
        "arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*/*"]}"#,
    r#"{"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    r#"{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*",
        "Condition":{"StringNotEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}"#,
    r#"{"Sid":"OwnerCleansUp","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},
        "Action":["s3:DeleteObject","s3:DeleteObjectVersion","s3:PutBucketPolicy"],
        "Resource":["arn:aws:s3:::acme-cloudtrail-logs","arn:aws:s3:::acme-cloudtrail-logs/*"]}"#,
    r#"{"Sid":"Dup","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:role/Admin"},
        "Action":"s3:*","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    r#"{"Sid":"Dup","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::999999999999:role/Admin"},
        "Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    r#"{"Sid":"cloudtrailpolicyLookalike","Effect":"Allow","Principal":"*","Action":"s3:ListBucket",
        "Resource":"arn:aws:s3:::acme-cloudtrail-logs"}"#,
];

/// The shape of an intent, small enough for proptest to shrink.
#[derive(Debug, Clone)]
struct Spec {
    trails: Vec<bool>,
    any_trail: bool,
    reader: bool,
    protections: u8,
    documented: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(any::<bool>(), 3),
        any::<bool>(),
        any::<bool>(),
        0u8..5,
        any::<bool>(),
    )
        .prop_map(
            |(trails, any_trail, reader, protections, documented)| Spec {
                trails,
                any_trail,
                reader,
                protections,
                documented,
            },
        )
}

fn build(spec: &Spec) -> Intent {
    let mut b = builder();
    for (on, t) in spec.trails.iter().zip([T1, T2, T3]) {
        if *on {
            b = b.trail(t.parse().unwrap());
        }
    }
    if spec.any_trail || !spec.trails.contains(&true) {
        b = b.account("555555555555".parse().unwrap());
    }
    if spec.reader {
        b = b.reader("arn:aws:iam::666666666666:role/Auditor".parse().unwrap());
    }
    b = match spec.protections {
        0 => b,
        1 => b.allow_delete(),
        2 => b.allow_insecure_transport().allow_delete(),
        3 => b.delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap()),
        _ => b.policy_admin("arn:aws:iam::999999999999:role/Admin".parse().unwrap()),
    };
    if spec.documented {
        b = b.layout(Layout::Documented);
    }
    b.build().unwrap()
}

/// Requests beyond the probe matrices: the foreign statements' own territory.
fn extra_probes() -> Vec<Request> {
    let obj = "arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/111111111111/CloudTrail/x.json.gz";
    let report = "arn:aws:s3:::acme-cloudtrail-logs/reports/q1.csv";
    let bucket = "arn:aws:s3:::acme-cloudtrail-logs";
    let role = |arn: &str| Caller::Aws(arn.into());
    let mut out = Vec::new();
    for caller in [
        Caller::Anonymous,
        role("arn:aws:iam::444444444444:role/Analytics"),
        role("arn:aws:iam::999999999999:root"),
        role("arn:aws:iam::999999999999:role/Admin"),
        role("arn:aws:iam::999999999999:role/BreakGlass"),
        role("arn:aws:iam::666666666666:role/Auditor"),
        Caller::Service("cloudtrail.amazonaws.com".into()),
    ] {
        for (action, resource) in [
            ("s3:GetObject", obj),
            ("s3:GetObject", report),
            ("s3:PutObject", obj),
            ("s3:DeleteObject", obj),
            ("s3:DeleteObjectVersion", obj),
            ("s3:PutBucketPolicy", bucket),
            ("s3:ListBucket", bucket),
            ("s3:GetBucketAcl", bucket),
        ] {
            for tls in ["true", "false"] {
                let mut r = Request::new(caller.clone(), action, resource)
                    .with_context("aws:SecureTransport", tls)
                    .with_context("s3:x-amz-acl", "bucket-owner-full-control")
                    .with_context(
                        "aws:SourceArn",
                        "arn:aws:cloudtrail:us-east-1:777777777777:trail/evil",
                    );
                if let Caller::Aws(arn) = &caller {
                    let account = arn.split(':').nth(4).unwrap().to_owned();
                    r = r
                        .with_context("aws:PrincipalArn", arn.clone())
                        .with_context("aws:PrincipalAccount", account);
                }
                out.push(r);
            }
        }
    }
    out
}

fn allows(policy: &PolicyDocument, request: &Request) -> Option<bool> {
    evaluate(policy, request)
        .ok()
        .map(|d| d.verdict() == Verdict::Allow)
}

fn owned_denies(policy: &PolicyDocument) -> Vec<&Statement> {
    policy
        .statements()
        .iter()
        .filter(|s| is_owned(s) && s.effect() == Effect::Deny)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn merge_is_idempotent_keeps_foreign_statements_and_is_never_wider(
        old in spec(),
        new in spec(),
        same_protections in any::<bool>(),
        foreign in prop::sample::subsequence((0..FOREIGN.len()).collect::<Vec<_>>(), 0..=FOREIGN.len()),
        slots in prop::collection::vec(any::<bool>(), 24),
    ) {
        let mut new = new;
        if same_protections {
            new.protections = old.protections;
        }
        let (old_intent, new_intent) = (build(&old), build(&new));
        let old_generated = generated(&old_intent);
        let generated = generated(&new_intent);

        // Interleave the foreign statements with the old crate statements.
        let mut foreign_statements: Vec<Statement> =
            foreign.iter().map(|i| statement(FOREIGN[*i])).collect();
        let mut ours = old_generated.statements().to_vec();
        let mut statements = Vec::new();
        let mut slot = slots.iter().cycle();
        while !foreign_statements.is_empty() || !ours.is_empty() {
            let take_foreign = *slot.next().unwrap();
            let from = if (take_foreign && !foreign_statements.is_empty()) || ours.is_empty() {
                &mut foreign_statements
            } else {
                &mut ours
            };
            statements.push(from.remove(0));
        }
        let existing = old_generated.with_statements(statements);
        let foreign_json: Vec<String> = existing
            .statements()
            .iter()
            .filter(|s| !is_owned(s))
            .map(|s| serde_json::to_string(s).unwrap())
            .collect();

        let merged = match merge(&existing, &generated, PolicyKind::Bucket) {
            Ok(m) => m,
            Err(MergeError::WouldRemoveDeny { sid } | MergeError::WouldChangeDeny { sid, .. }) => {
                // Refused exactly when an existing crate deny is missing from the generated one.
                let missing: Vec<&Statement> = owned_denies(&existing)
                    .into_iter()
                    .filter(|d| !generated.statements().contains(d))
                    .collect();
                prop_assert!(!missing.is_empty());
                prop_assert_eq!(missing[0].sid(), Some(sid.as_str()));
                let relaxed = merge_with(
                    &existing,
                    &generated,
                    PolicyKind::Bucket,
                    MergeOptions::default().allow_relaxing_denies(true),
                );
                prop_assert!(relaxed.is_ok());
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let doc = merged.document();

        // Foreign statements: byte-identical, same order, first.
        let merged_foreign: Vec<String> = doc
            .statements()
            .iter()
            .filter(|s| !is_owned(s))
            .map(|s| serde_json::to_string(s).unwrap())
            .collect();
        prop_assert_eq!(&merged_foreign, &foreign_json);
        prop_assert_eq!(&doc.statements()[foreign_json.len()..], generated.statements());
        prop_assert!(doc.statements().iter().filter(|s| is_owned(s)).all(|s| s.sid().unwrap().starts_with(SID_PREFIX)));

        // Idempotent.
        let again = merge(doc, &generated, PolicyKind::Bucket).unwrap();
        prop_assert_eq!(again.document().to_json(), doc.to_json());

        // Never wider than both: over both intents' matrices in both layouts, and extra probes.
        let mut requests: Vec<Request> = extra_probes();
        for intent in [&old_intent, &new_intent] {
            for layout in [Layout::Strict, Layout::Documented] {
                requests.extend(BucketPolicy::probes(intent, layout).iter().map(Probe::request).cloned());
            }
        }
        for request in &requests {
            if allows(doc, request) == Some(true) {
                let before = allows(&existing, request);
                let after = allows(&generated, request);
                prop_assert!(
                    before != Some(false) || after != Some(false),
                    "merged allows {:?} that neither input allows", request
                );
            }
        }
    }
}

#[test]
fn a_statement_that_looks_like_ours_only_by_case_is_foreign() {
    let st = statement(FOREIGN[FOREIGN.len() - 1]);
    assert!(!is_owned(&st));
    assert!(matches!(st.action(), Some(Clause::Is(_))));
}

// ---------------------------------------------------------------------------------------------
// What a merge recognises, keeps and refuses.

#[test]
fn a_users_statement_with_the_prefix_needs_an_explicit_option_to_be_replaced() {
    let intent = builder().trail(T1.parse().unwrap()).build().unwrap();
    let ours = generated(&intent);
    let users = statement(
        r#"{"Sid":"CloudTrailPolicyAnalytics","Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::444444444444:role/Analytics"},
            "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}"#,
    );
    let existing = ours.with_statements(
        std::iter::once(users.clone())
            .chain(ours.statements().iter().cloned())
            .collect(),
    );
    let err = merge(&existing, &ours, PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the existing policy's statement `CloudTrailPolicyAnalytics` has the tool's sid prefix `CloudTrailPolicy` but is not a statement the tool writes (the tool writes no statement with this sid): rename its sid to keep it, or let the merge replace it"
    );
    // A statement of a known Sid with a shape the tool never writes is refused the same way.
    let widened = statement(
        r#"{"Sid":"CloudTrailPolicyReadLogs","Effect":"Allow","Principal":"*",
            "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    );
    let err = merge(
        &ours.with_statements(vec![widened]),
        &ours,
        PolicyKind::Bucket,
    )
    .unwrap_err();
    assert!(
        matches!(err, MergeError::Unrecognised { ref sid, .. } if sid == "CloudTrailPolicyReadLogs")
    );

    let options = MergeOptions::default().replace_unrecognised(true);
    let merged = merge_with(&existing, &ours, PolicyKind::Bucket, options).unwrap();
    assert_eq!(merged.document(), &ours);
    assert_eq!(merged.removed_statements(), ["CloudTrailPolicyAnalytics"]);
    assert_eq!(
        merged.replaced_unrecognised(),
        [(
            "CloudTrailPolicyAnalytics".to_owned(),
            "the tool writes no statement with this sid".to_owned()
        )]
    );
    // An unrecognised deny is still a deny: dropping it also needs relaxing denies.
    let users_deny = statement(
        r#"{"Sid":"CloudTrailPolicyNoDeletes","Effect":"Deny","Principal":"*",
            "Action":"s3:DeleteObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}"#,
    );
    let err = merge_with(
        &ours.with_statements(vec![users_deny]),
        &ours,
        PolicyKind::Bucket,
        options,
    )
    .unwrap_err();
    assert!(matches!(err, MergeError::WouldRemoveDeny { .. }));
}

#[test]
fn every_generated_shape_is_recognised_so_a_second_merge_replaces_it() {
    // Each option that adds or changes a statement, in both layouts, with a prefix.
    let t1: cloudtrail_policy::TrailArn = T1.parse().unwrap();
    let intents = [
        builder().trail(t1.clone()),
        builder()
            .trail(t1.clone())
            .account("555555555555".parse().unwrap())
            .layout(Layout::Documented),
        builder()
            .account("555555555555".parse().unwrap())
            .prefix("cloudtrail".parse().unwrap()),
        builder()
            .organization_trail("o-exampleorg1".parse().unwrap(), t1.clone())
            .reader("arn:aws:iam::666666666666:role/Auditor".parse().unwrap())
            .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
            .policy_admin("arn:aws:iam::999999999999:role/Admin".parse().unwrap()),
        builder()
            .organization_trail("o-exampleorg1".parse().unwrap(), t1.clone())
            .organization_write_condition(
                cloudtrail_policy::OrganizationWriteCondition::SourceOrgId,
            )
            .account("555555555555".parse().unwrap()),
        builder()
            .trail(t1)
            .allow_delete()
            .allow_insecure_transport(),
    ];
    for b in intents {
        let intent = b.build().unwrap();
        let ours = generated(&intent);
        let once = merge(&ours, &ours, PolicyKind::Bucket).unwrap();
        assert!(once.added_statements().is_empty());
        assert_eq!(once.document(), &ours);
    }
}

#[test]
fn merging_into_the_policy_of_another_bucket_is_refused_naming_both() {
    let intent = builder().trail(T1.parse().unwrap()).build().unwrap();
    let existing = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Reports","Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::444444444444:role/A"},"Action":"s3:GetObject",
        "Resource":["arn:aws:s3:::other-bucket/reports/*"]}]}"#,
    );
    let err = merge(&existing, &generated(&intent), PolicyKind::Bucket).unwrap_err();
    assert_eq!(
        err,
        MergeError::OtherBucket {
            existing: "other-bucket".into(),
            generated: BUCKET.into()
        }
    );
    assert_eq!(
        err.to_string(),
        "the existing policy names bucket `other-bucket`, but the generated statements are for bucket `acme-cloudtrail-logs`: a merge would mix two buckets; merge into `acme-cloudtrail-logs`'s own policy, or generate for `other-bucket`"
    );
    // A wildcard bucket cannot be compared and is not refused.
    let wild = doc(
        r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
        "Resource":"arn:aws:s3:::*"}]}"#,
    );
    merge(&wild, &generated(&intent), PolicyKind::Bucket).unwrap();
}

#[test]
fn foreign_statements_are_written_back_exactly_as_written() {
    let intent = builder().trail(T1.parse().unwrap()).build().unwrap();
    let ours = generated(&intent);
    // Condition keys out of order, one-element arrays, a 30-digit number, a boolean, an escape.
    let foreign = r#"{"Sid": "Keep", "Effect": "Deny", "Principal": {"AWS": ["arn:aws:iam::444444444444:root"]},
        "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acme-cloudtrail-logs/r\u00e9ports/*"],
        "Condition": {"StringEquals": {"s3:x": ["b"], "aws:a": "a"},
                      "NumericGreaterThan": {"s3:max-keys": 123456789012345678901234567890},
                      "Bool": {"aws:SecureTransport": false}}}"#;
    let text = format!(r#"{{"Statement": [{foreign}], "Version": "2012-10-17", "Id": "Mine"}}"#);
    let existing = cloudtrail_policy::PolicyText::from_json(&text).unwrap();
    let merged = merge(&existing, &ours, PolicyKind::Bucket).unwrap();
    let minified: String = {
        // The statement without the whitespace between tokens, and nothing else changed.
        let v: Vec<&str> = foreign.split('\n').map(str::trim).collect();
        v.join("")
            .replace("\": ", "\":")
            .replace(", \"", ",\"")
            .replace(": {", ":{")
            .replace(": [", ":[")
            .replace(": 1", ":1")
            .replace(": false", ":false")
    };
    let json = merged.to_json();
    assert!(
        json.starts_with(&format!(
            r#"{{"Version":"2012-10-17","Id":"Mine","Statement":[{minified},"#
        )),
        "{json}"
    );
    assert!(json.contains("123456789012345678901234567890"));
    assert!(!json.contains("e+29"));
    // The pretty form is the same tokens, and reads back to the same statements.
    let pretty = merged.to_json_pretty();
    assert!(pretty.contains("\"s3:max-keys\": 123456789012345678901234567890"));
    assert!(pretty.contains("\"AWS\": [\n"));
    let back = cloudtrail_policy::PolicyText::from_json(&pretty).unwrap();
    assert_eq!(back.document(), merged.document());
    // Merging the merged text again gives the same bytes.
    let again = merge(&back, &ours, PolicyKind::Bucket).unwrap();
    assert_eq!(again.to_json(), json);
    assert_eq!(
        merge(&merged, &ours, PolicyKind::Bucket).unwrap().to_json(),
        json
    );
}

#[test]
fn every_generated_key_policy_shape_is_recognised() {
    use cloudtrail_policy::KeyPolicy;
    let key = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let mrk = "arn:aws:kms:us-east-1:999999999999:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    // Without and with a Bucket Key (readers then decrypt under both of its contexts), and
    // with the opt-in scoped Bucket Key decrypt.
    for (key, bucket_key, scoped) in [(key, false, false), (mrk, true, false), (key, true, true)] {
        let intent = Intent::builder(Partition::Aws)
            .bucket(BUCKET.parse().unwrap())
            .trail(T1.parse().unwrap())
            .account("555555555555".parse().unwrap())
            .reader("arn:aws:iam::666666666666:role/Auditor".parse().unwrap())
            .key_admin("arn:aws:iam::999999999999:role/KeyAdmin".parse().unwrap())
            .key(key.parse().unwrap())
            .bucket_key(bucket_key)
            .scope_bucket_key_decrypt(scoped)
            .build()
            .unwrap();
        let ours = KeyPolicy::generate(&intent).unwrap().into_document();
        let once = merge(&ours, &ours, PolicyKind::Key).unwrap();
        assert_eq!(once.document(), &ours);
        assert!(once.added_statements().is_empty());
    }
}

/// A key policy of an earlier version, with the scoped `CloudTrailPolicyDecryptAnyTrail`, is the
/// tool's: a merge of today's policy replaces it.
#[test]
fn an_earlier_versions_bucket_key_decrypt_is_recognised_and_replaced() {
    use cloudtrail_policy::KeyPolicy;
    let key = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let intent = Intent::builder(Partition::Aws)
        .trail(T1.parse().unwrap())
        .account("555555555555".parse().unwrap())
        .key(key.parse().unwrap())
        .bucket_key(true)
        .build()
        .unwrap();
    let ours = KeyPolicy::generate(&intent).unwrap().into_document();
    let earlier = ours.with_statements(
        ours.statements()
            .iter()
            .cloned()
            .chain([statement(
                r#"{"Sid":"CloudTrailPolicyDecryptAnyTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:555555555555:trail/*"}}}"#,
            )])
            .collect(),
    );
    let merged = merge(&earlier, &ours, PolicyKind::Key).unwrap();
    assert_eq!(
        merged.removed_statements(),
        ["CloudTrailPolicyDecryptAnyTrail"]
    );
    assert_eq!(merged.document(), &ours);
}

/// The access-log destination's policy merges into the destination bucket's own policy, and a
/// second merge recognises it.
#[test]
fn the_access_log_destination_policy_merges_into_the_destinations_policy() {
    use cloudtrail_policy::{AccessLogs, AccessLogsPolicy, AccessLogsSource};
    let logs = AccessLogs::new("acme-access-logs".parse().unwrap(), "cloudtrail-bucket/").unwrap();
    let source = AccessLogsSource {
        partition: Partition::Aws,
        bucket: &BUCKET.parse().unwrap(),
        account: &"999999999999".parse().unwrap(),
        logs: &logs,
    };
    let ours = AccessLogsPolicy::generate(&source).document().clone();
    let existing = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Readers","Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::444444444444:role/A"},"Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::acme-access-logs/*"}]}"#,
    );
    let merged = merge(&existing, &ours, PolicyKind::Bucket).unwrap();
    assert_eq!(
        merged.added_statements(),
        ["CloudTrailPolicyS3ServerAccessLogs"]
    );
    assert_eq!(merged.document().statements().len(), 2);
    let again = merge(merged.document(), &ours, PolicyKind::Bucket).unwrap();
    assert!(again.added_statements().is_empty());
    assert_eq!(again.document(), merged.document());
}
