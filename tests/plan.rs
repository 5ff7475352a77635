//! The plan: the built-in example plans cleanly and proves itself; inconsistent specs fail
//! with findings that name the field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::Plan;
use cloudtrail_policy::Severity;
use cloudtrail_policy::Spec;

#[test]
fn the_example_plans_cleanly_and_its_matrix_passes() {
    let plan = Plan::from_spec(&Spec::example().unwrap()).unwrap();
    let report = plan.verify();
    assert!(report.passed());
    assert!(
        report
            .results()
            .iter()
            .any(|r| r.probe().kind() == cloudtrail_policy::PolicyKind::Key)
    );
    assert!(
        plan.findings()
            .iter()
            .all(|f| f.severity() != Severity::Error)
    );
    let json = serde_json::to_string_pretty(&plan).unwrap();
    // Same spec, same bytes.
    let again =
        serde_json::to_string_pretty(&Plan::from_spec(&Spec::example().unwrap()).unwrap()).unwrap();
    assert_eq!(json, again);
    insta::assert_snapshot!("plan_example", json);
}

fn with(path: &[&str], value: serde_json::Value) -> Spec {
    let mut spec: serde_json::Value = serde_json::from_str(Spec::EXAMPLE).unwrap();
    let mut at = &mut spec;
    for (i, p) in path.iter().enumerate() {
        if i + 1 == path.len() {
            if value.is_null() {
                at.as_object_mut().unwrap().remove(*p);
            } else {
                at[*p] = value.clone();
            }
            break;
        }
        at = if let Ok(n) = p.parse::<usize>() {
            &mut at[n]
        } else {
            &mut at[*p]
        };
    }
    Spec::from_json(&spec.to_string()).unwrap()
}

#[track_caller]
fn plan_errors(spec: &Spec) -> Vec<String> {
    let err = Plan::from_spec(spec).unwrap_err();
    err.errors().map(ToString::to_string).collect()
}

#[test]
fn an_organization_trail_needs_the_organization() {
    let errors = plan_errors(&with(&["organization"], serde_json::Value::Null));
    assert_eq!(errors, vec!["error[organization-missing]: trails[0].organization: an organization trail needs the spec's `organization`".to_string()]);
}

#[test]
fn an_organization_trail_outside_the_management_account_fails() {
    let errors = plan_errors(&with(&["trails", "0", "account"], "333333333333".into()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("NotOrganizationMasterAccountException"),
        "{errors:?}"
    );
}

#[test]
fn a_key_in_another_region_fails() {
    let errors = plan_errors(&with(
        &["log_archive", "kms_key"],
        "arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
    ));
    assert!(
        errors.iter().any(|e| e.contains("KmsKeyNotFoundException")),
        "{errors:?}"
    );
}

#[test]
fn a_sixth_trail_in_a_region_fails_the_quota() {
    let existing: Vec<serde_json::Value> = (0..5)
        .map(|i| serde_json::json!({"account": "111111111111", "home_region": "eu-west-1", "name": format!("legacy-{i}"), "multi_region": true}))
        .collect();
    let errors = plan_errors(&with(&["existing_trails"], existing.into()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("MaximumNumberOfTrailsExceededException"),
        "{errors:?}"
    );
}

#[test]
fn a_trail_in_another_partition_fails() {
    let errors = plan_errors(&with(&["trails", "0", "home_region"], "cn-north-1".into()));
    assert!(!errors.is_empty());
    assert!(errors.iter().any(|e| e.contains("partition")), "{errors:?}");
}

#[test]
fn too_many_accounts_for_the_bucket_policy_fails_with_advice() {
    let accounts: Vec<serde_json::Value> = (0..400)
        .map(|i| format!("{:012}", 200_000_000_000u64 + i).into())
        .collect();
    let errors = plan_errors(&with(&["accounts"], accounts.into()));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("use an organization trail")),
        "{errors:?}"
    );
}

/// Regression: exempting the bucket owner's root from the delete deny made the owner-root
/// probes expect Deny anyway, so every such plan failed.
#[test]
fn the_owner_root_can_be_the_break_glass_principal() {
    let spec = with(
        &["log_archive", "deny_delete_exempt"],
        serde_json::json!(["arn:aws:iam::999999999999:root"]),
    );
    let plan = Plan::from_spec(&spec).unwrap();
    assert!(plan.verify().passed());
}

/// Regression: the probes' "unrelated" accounts could be an administrator's account, whose
/// legitimate access then looked like a leak.
#[test]
fn administrators_are_never_taken_for_outsiders() {
    let admins = serde_json::json!([
        "arn:aws:iam::999999997777:root",
        "arn:aws:iam::999999998888:role/Admin"
    ]);
    let spec = with(&["log_archive", "key_admins"], admins.clone());
    assert!(Plan::from_spec(&spec).unwrap().verify().passed());
    let spec = with(&["log_archive", "policy_admins"], admins);
    assert!(Plan::from_spec(&spec).unwrap().verify().passed());
}

#[test]
fn a_failed_probe_shows_in_the_table_with_the_verdict_it_got() {
    use cloudtrail_policy::{BucketPolicy, Intent, Layout, Partition, PolicyDocument, Report};
    let intent = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    // A policy that allows nothing: every delivery fails, every refusal holds.
    let empty = PolicyDocument::from_json(r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    let report = Report::run(&empty, BucketPolicy::probes(&intent, Layout::Strict));
    let table = report.table();
    assert!(
        table.contains(
            "\nFAIL Allow        got ImplicitDeny (-) acl check by 111111111111:trail/main\n"
        ),
        "{table}"
    );
    let failed = report.failures().count();
    assert!(failed > 0);
    assert!(table.ends_with(&format!(
        "\n{} of {} probes as expected\n",
        report.results().len() - failed,
        report.results().len()
    )));
    // No key probes, no key section.
    assert!(!table.contains("key policy of"));
}

#[test]
fn the_summary_names_the_fallback_layout() {
    // 60 accounts whose trails are named do not fit the strict layout: the summary says which
    // layout was used and what the strict one would have weighed.
    let trails: Vec<serde_json::Value> = (0..60)
        .map(|i| serde_json::json!({"name": format!("trail-{i}"), "account": format!("{:012}", 100_000_000_000u64 + i), "home_region": "us-east-1", "multi_region": true}))
        .collect();
    let spec = serde_json::json!({
        "log_archive": {"account": "999999999999", "region": "us-east-1", "bucket": "acme-cloudtrail-logs",
                        "kms_key": "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
        "trails": trails,
    });
    let plan = Plan::from_spec(&Spec::from_json(&spec.to_string()).unwrap()).unwrap();
    let summary = plan.summary();
    assert!(
        summary.contains(", documented layout (strict would be "),
        "{summary}"
    );
    assert!(summary.contains("; key policy "), "{summary}");
}

fn codes(plan: &Plan) -> Vec<&'static str> {
    plan.findings().iter().map(|f| f.code().as_str()).collect()
}

#[test]
fn the_bucket_key_decrypt_scope_is_opt_in_and_flagged_unverified() {
    // The example has a Bucket Key: the documented, unconditioned decrypt, no finding.
    let plan = Plan::from_spec(&Spec::example().unwrap()).unwrap();
    assert!(!codes(&plan).contains(&"bucket-key-decrypt-scope-unverified"));
    let key = plan.key_policy().unwrap().document().to_json();
    assert!(key.contains(r#"{"Sid":"CloudTrailPolicyDecrypt","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}"#), "{key}");

    let scoped = Plan::from_spec(&with(
        &["log_archive", "scope_bucket_key_decrypt"],
        serde_json::json!(true),
    ))
    .unwrap();
    let finding = scoped
        .findings()
        .iter()
        .find(|f| f.code().as_str() == "bucket-key-decrypt-scope-unverified")
        .unwrap();
    assert_eq!(finding.severity(), Severity::Warning);
    assert!(
        finding
            .message()
            .contains("InsufficientEncryptionPolicyException")
    );
    let key = scoped.key_policy().unwrap().document().to_json();
    assert!(key.contains(r#""Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail"}}"#), "{key}");
    assert!(scoped.verify().passed());
}

#[test]
fn the_organization_write_condition_is_source_arn_unless_asked() {
    let plan = Plan::from_spec(&Spec::example().unwrap()).unwrap();
    let policy = plan.bucket_policy().document().to_json();
    assert!(!policy.contains("aws:SourceOrgID"), "{policy}");
    assert!(!codes(&plan).contains(&"source-org-id-unverified"));

    let by_org = Plan::from_spec(&with(
        &["organization", "write_condition"],
        serde_json::json!("source-org-id"),
    ))
    .unwrap();
    let policy = by_org.bucket_policy().document().to_json();
    assert!(
        policy.contains(r#""Condition":{"StringEquals":{"aws:SourceOrgID":"o-a1b2c3d4e5","s3:x-amz-acl":"bucket-owner-full-control"}}"#),
        "{policy}"
    );
    assert!(codes(&by_org).contains(&"source-org-id-unverified"));
    assert!(by_org.verify().passed());
    assert!(by_org.verify().results().iter().any(|r| {
        r.probe()
            .name()
            .starts_with("a trail of another organization")
    }));

    let mut spec: serde_json::Value = serde_json::from_str(Spec::EXAMPLE).unwrap();
    spec["organization"]["write_condition"] = serde_json::json!("SourceOrgID");
    assert_eq!(
        Spec::from_json(&spec.to_string()).unwrap_err().to_string(),
        "organization.write_condition: invalid value `SourceOrgID`, expected one of `source-arn`, `source-org-id`"
    );
}

#[test]
fn the_controls_report_says_what_the_plan_meets_and_why() {
    use cloudtrail_policy::ControlStatus::{Manual, Met, NotMet};
    let status = |plan: &Plan| -> Vec<(&'static str, cloudtrail_policy::ControlStatus)> {
        plan.controls()
            .iter()
            .map(|c| (c.id(), c.status()))
            .collect()
    };
    let example = Plan::from_spec(&Spec::example().unwrap()).unwrap();
    assert_eq!(
        status(&example),
        [
            ("CloudTrail.1", Met),
            ("CloudTrail.2", Met),
            ("CloudTrail.4", Met),
            ("CloudTrail.5", NotMet),
            ("CloudTrail.6", Met),
            ("CloudTrail.7", NotMet),
            ("KMS.4", Manual),
            ("S3.20", Manual),
            ("S3.22", NotMet),
            ("S3.23", NotMet),
        ]
    );
    let controls = example.controls();
    let mfa = controls.iter().find(|c| c.id() == "S3.20").unwrap();
    assert!(mfa.reason().contains("put-bucket-versioning --bucket acme-cloudtrail-logs --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa"), "{}", mfa.reason());
    assert!(
        controls
            .iter()
            .all(|c| !c.prowler().is_empty() && !c.reason().is_empty())
    );
    let rotation = controls.iter().find(|c| c.id() == "KMS.4").unwrap();
    assert!(
        rotation
            .reason()
            .contains("aws kms get-key-rotation-status")
    );
    // The plan's JSON carries them.
    let json = serde_json::to_value(&example).unwrap();
    assert_eq!(json["controls"][0]["id"], "CloudTrail.1");
    assert_eq!(json["controls"][0]["status"], "met");
    assert_eq!(
        json["controls"][0]["prowler"],
        serde_json::json!(["cloudtrail_multi_region_enabled"])
    );
    insta::assert_json_snapshot!("controls_example", controls);

    // A fuller spec: access logging, a created key, CloudWatch Logs, S3 data events; its
    // lifecycle rules out MFA delete.
    let audited = Plan::from_spec(
        &Spec::from_json(include_str!("fixtures/specs/access-logs-lifecycle.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        status(&audited),
        [
            ("CloudTrail.1", Met),
            ("CloudTrail.2", Met),
            ("CloudTrail.4", Met),
            ("CloudTrail.5", Met),
            ("CloudTrail.6", Met),
            ("CloudTrail.7", Met),
            ("KMS.4", Met),
            ("S3.20", NotMet),
            ("S3.22", Met),
            ("S3.23", Met),
        ]
    );
    let controls = audited.controls();
    let mfa = controls.iter().find(|c| c.id() == "S3.20").unwrap();
    assert!(
        mfa.reason()
            .contains("cannot use MFA delete with lifecycle configurations")
    );
    // A write-only data selector meets S3.22 and not S3.23; no trail meets neither.
    let mut spec: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/specs/access-logs-lifecycle.json")).unwrap();
    spec["trails"][0]["management_events"]["read_write"] = serde_json::json!("WriteOnly");
    let write_only = Plan::from_spec(&Spec::from_json(&spec.to_string()).unwrap()).unwrap();
    let s = status(&write_only);
    assert!(s.contains(&("CloudTrail.1", NotMet)));
    assert!(
        s.contains(&("S3.22", Met)) && s.contains(&("S3.23", NotMet)),
        "{s:?}"
    );
}
