//! The live-state readers, the audit and the import, on outputs the real AWS CLI printed
//! against moto's server (`tests/fixtures/live/`, made by `tests/e2e/live.sh`; see the README
//! there), so that these tests need no Python.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::fs;
use std::path::{Path, PathBuf};

use cloudtrail_policy::{
    Audit, BucketEncryption, BucketLocation, BucketLogging, BucketVersioning, CallerIdentity,
    Collection, FindingCode, KeyRotation, LiveAccounts, LiveError, LiveInsights, LiveOrganization,
    LiveSelectors, LiveTrail, Operation, Outputs, OwnershipControls, Plan, PolicyText,
    PublicAccessBlock, Saved, Severity, Spec, TrailStatus, VersioningStatus,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live")
}

/// Every saved file of `dir` as the binary reads them.
fn outputs(dir: &str) -> Outputs {
    let mut outputs = Outputs::new();
    for entry in fs::read_dir(fixtures().join(dir)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        if let Some(stem) = name.strip_suffix(".json") {
            outputs.insert(stem, Saved::Output(text));
        } else if let Some(stem) = name.strip_suffix(".error") {
            outputs.insert(stem, Saved::Error(text));
        }
    }
    outputs
}

fn plan() -> Plan {
    let spec = fs::read_to_string(fixtures().join("spec.json")).unwrap();
    Plan::from_spec(&Spec::from_json(&spec).unwrap()).unwrap()
}

fn text(dir: &str, file: &str) -> String {
    fs::read_to_string(fixtures().join(dir).join(file)).unwrap()
}

#[test]
fn every_saved_output_reads_as_its_command_prints_it() {
    for dir in ["deployed", "changed"] {
        let t = |f: &str| text(dir, f);
        let enc = BucketEncryption::parse(&t("log-archive.get-bucket-encryption.json")).unwrap();
        assert_eq!(enc.algorithm(), "aws:kms");
        assert!(enc.bucket_key());
        assert!(
            PublicAccessBlock::parse(&t("log-archive.get-public-access-block.json"))
                .unwrap()
                .off()
                .is_empty()
        );
        assert_eq!(
            OwnershipControls::parse(&t("log-archive.get-bucket-ownership-controls.json"))
                .unwrap()
                .object_ownership(),
            "BucketOwnerEnforced"
        );
        // The AWS CLI prints nothing when logging is off.
        assert_eq!(t("log-archive.get-bucket-logging.json").trim(), "");
        assert_eq!(
            BucketLogging::parse(&t("log-archive.get-bucket-logging.json"))
                .unwrap()
                .target(),
            None
        );
        assert_eq!(
            BucketLocation::parse(&t("log-archive.get-bucket-location.json"))
                .unwrap()
                .region()
                .as_str(),
            "us-east-1"
        );
        assert_eq!(
            CallerIdentity::parse(&t("log-archive.get-caller-identity.json"))
                .unwrap()
                .account()
                .as_str(),
            "999999999999"
        );
        assert!(
            KeyRotation::parse(&t("log-archive.get-key-rotation-status.json"))
                .unwrap()
                .enabled()
        );
        let trail = LiveTrail::parse(&t("111111111111-org-trail.get-trail.json")).unwrap();
        assert_eq!(
            trail.arn().to_string(),
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail"
        );
        assert!(trail.is_organization_trail());
        LiveSelectors::parse(&t("111111111111-org-trail.get-event-selectors.json")).unwrap();
        assert_eq!(
            LiveInsights::parse(&t("111111111111-org-trail.get-insight-selectors.json"))
                .unwrap()
                .types()
                .len(),
            1
        );
        LiveOrganization::parse(&t("organization.describe-organization.json")).unwrap();
        assert!(
            LiveAccounts::parse(&t("organization.list-accounts.json"))
                .unwrap()
                .active()
                .count()
                >= 1
        );
        for policy in [
            "log-archive.get-bucket-policy.json",
            "log-archive.get-key-policy.json",
        ] {
            PolicyText::from_json_or_cli_output(&t(policy)).unwrap();
        }
        // Absent configurations are saved as the AWS CLI's error message.
        for (file, op) in [
            (
                "log-archive.get-bucket-lifecycle-configuration.error",
                Operation::GetBucketLifecycleConfiguration,
            ),
            (
                "log-archive.get-object-lock-configuration.error",
                Operation::GetObjectLockConfiguration,
            ),
        ] {
            assert!(
                t(file).contains(&format!("({})", op.absent_code().unwrap())),
                "{file}"
            );
        }
    }
    let deployed = TrailStatus::parse(&text(
        "deployed",
        "111111111111-org-trail.get-trail-status.json",
    ))
    .unwrap();
    let changed = TrailStatus::parse(&text(
        "changed",
        "111111111111-org-trail.get-trail-status.json",
    ))
    .unwrap();
    assert!(deployed.is_logging() && !changed.is_logging());
    let v = BucketVersioning::parse(&text("changed", "log-archive.get-bucket-versioning.json"))
        .unwrap();
    assert_eq!(v.status(), VersioningStatus::Suspended);
}

#[test]
fn the_deployed_plan_audits_clean_and_every_change_is_reported() {
    let plan = plan();
    let audit = Audit::run(&plan, &outputs("deployed")).unwrap();
    assert_eq!(audit.findings(), &[], "{:#?}", audit.findings());
    assert!(audit.passed());
    let audit = Audit::run(&plan, &outputs("changed")).unwrap();
    assert!(!audit.passed());
    let codes: Vec<(Severity, FindingCode)> = audit
        .findings()
        .iter()
        .map(|f| (f.severity(), f.code()))
        .collect();
    for code in [
        FindingCode::LiveStatementMissing,
        FindingCode::LiveTrailNotLogging,
        FindingCode::LiveVersioningNotEnabled,
        FindingCode::LiveEventSelectors,
    ] {
        assert!(
            codes.contains(&(Severity::Error, code)),
            "{code} in {codes:?}"
        );
    }
    // The lint of the live policy says the same as the diff.
    assert!(codes.contains(&(Severity::Warning, FindingCode::MissingTlsDeny)));
    let missing = audit
        .findings()
        .iter()
        .find(|f| f.code() == FindingCode::LiveStatementMissing)
        .unwrap();
    assert_eq!(
        missing.message(),
        "bucket policy of `acme-cloudtrail-logs`: statement `CloudTrailPolicyDenyInsecureTransport` of the plan is not in the live policy: apply the planned policy"
    );
    let controls = audit.controls();
    let rotation = controls.iter().find(|c| c.id() == "KMS.4").unwrap();
    assert_eq!(rotation.status().to_string(), "met");
}

#[test]
fn a_missing_failed_or_malformed_output_names_its_file_and_command() {
    let plan = plan();
    let mut outputs = outputs("deployed");
    outputs.insert(
        "log-archive.get-bucket-versioning",
        Saved::Error("\nAn error occurred (AccessDenied) when calling the GetBucketVersioning operation: Access Denied\n".into()),
    );
    let err = Audit::run(&plan, &outputs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`log-archive.get-bucket-versioning.error`: `aws s3api get-bucket-versioning --bucket acme-cloudtrail-logs --region us-east-1` failed: An error occurred (AccessDenied) when calling the GetBucketVersioning operation: Access Denied"
    );
    outputs.insert(
        "log-archive.get-bucket-versioning",
        Saved::Output(r#"{"Status": "On"}"#.into()),
    );
    let err = Audit::run(&plan, &outputs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`log-archive.get-bucket-versioning.json` is not the output of `aws s3api get-bucket-versioning --bucket acme-cloudtrail-logs --region us-east-1`: `Status` is `On`, expected one of `Enabled`, `Suspended`"
    );
    outputs.insert(
        "111111111111-org-trail.get-trail",
        Saved::Output("{}".into()),
    );
    outputs.insert(
        "log-archive.get-bucket-versioning",
        Saved::Output(String::new()),
    );
    let err = Audit::run(&plan, &outputs).unwrap_err();
    assert!(matches!(err, LiveError::Malformed { .. }), "{err}");
    assert!(err.to_string().contains("missing field `Trail`"), "{err}");
}

#[test]
fn a_bucket_never_versioned_and_a_lifecycle_that_deletes_logs_are_findings() {
    let plan = plan();
    let mut outputs = outputs("deployed");
    outputs.insert(
        "log-archive.get-bucket-versioning",
        Saved::Output(String::new()),
    );
    outputs.insert(
        "log-archive.get-bucket-lifecycle-configuration",
        Saved::Output(r#"{"Rules": [{"ID": "tidy", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}},
                                   {"ID": "other", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]}"#.into()),
    );
    let audit = Audit::run(&plan, &outputs).unwrap();
    let messages: Vec<String> = audit.findings().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "error[live-lifecycle-deletes-logs]: bucket `acme-cloudtrail-logs`: lifecycle rule `tidy` deletes objects under ``, expiring them after 30 days, which the plan does not: log files under `cloudtrail/AWSLogs/` are deleted",
            "error[live-versioning-not-enabled]: bucket `acme-cloudtrail-logs` versioning is not enabled: an overwritten or deleted log file is gone for good; apply log-archive.bucket-versioning.json",
        ]
    );
}

#[test]
fn an_unplanned_statement_says_what_it_allows_and_credentials_of_another_account_are_named() {
    let plan = plan();
    let mut outputs = outputs("deployed");
    let policy = text("deployed", "log-archive.get-bucket-policy.json");
    let mut value: serde_json::Value = serde_json::from_str(&policy).unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_str(value["Policy"].as_str().unwrap()).unwrap();
    doc["Statement"].as_array_mut().unwrap().push(serde_json::json!({
        "Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::777777777777:root"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-cloudtrail-logs/*"
    }));
    value["Policy"] = serde_json::Value::String(doc.to_string());
    outputs.insert(
        "log-archive.get-bucket-policy",
        Saved::Output(value.to_string()),
    );
    outputs.insert(
        "organization.get-caller-identity",
        Saved::Output(r#"{"UserId": "x", "Account": "222222222222", "Arn": "arn:aws:sts::222222222222:assumed-role/r/s"}"#.into()),
    );
    let audit = Audit::run(&plan, &outputs).unwrap();
    let messages: Vec<String> = audit.findings().iter().map(ToString::to_string).collect();
    assert!(messages.contains(&"error[live-statement-unplanned]: bucket policy of `acme-cloudtrail-logs`: the live policy has a statement the plan does not have (`Partner`), which allows: {\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::777777777777:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-cloudtrail-logs/*\"}".to_owned()), "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("error[cross-account-access]")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("error[live-wrong-account]: organization ")),
        "{messages:#?}"
    );
}

#[test]
fn import_gives_a_spec_that_plans() {
    let imported = Spec::import(&outputs("changed")).unwrap();
    let plan = Plan::from_spec(imported.spec()).unwrap();
    assert_eq!(plan.log_archive_bucket().as_str(), "acme-cloudtrail-logs");
    assert_eq!(plan.log_archive_account().as_str(), "999999999999");
    let json: serde_json::Value = serde_json::from_str(imported.json()).unwrap();
    assert_eq!(json["trails"][0]["name"], "org-trail");
    assert_eq!(
        json["trails"][0]["management_events"]["read_write"],
        "WriteOnly"
    );
    assert_eq!(json["organization"]["management_account"], "111111111111");
    assert_eq!(Spec::from_json(imported.json()).unwrap(), *imported.spec());
}

#[test]
fn import_needs_the_log_archive_account() {
    let mut outputs = Outputs::new();
    outputs.insert(
        "111111111111-org-trail.get-trail",
        Saved::Output(text("deployed", "111111111111-org-trail.get-trail.json")),
    );
    let err = Spec::import(&outputs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`log-archive.get-caller-identity.json` is missing: it is saved by `aws sts get-caller-identity`"
    );
}

#[test]
fn the_collection_names_every_file_the_fixtures_hold() {
    let collection = Collection::from_plan(&plan());
    let mut files: Vec<&str> = collection.commands().map(|c| c.file()).collect();
    files.sort_unstable();
    let mut saved: Vec<String> = fs::read_dir(fixtures().join("deployed"))
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.rsplit_once('.').unwrap().0.to_owned()
        })
        .collect();
    saved.sort_unstable();
    assert_eq!(files, saved);
    for block in collection.blocks() {
        assert!(
            block
                .commands()
                .iter()
                .any(|c| c.operation() == Operation::GetCallerIdentity)
        );
    }
}

#[test]
fn a_policy_reads_the_same_wrapped_or_not() {
    let wrapped = text("deployed", "log-archive.get-key-policy.json");
    let value: serde_json::Value = serde_json::from_str(&wrapped).unwrap();
    let inner = value["Policy"].as_str().unwrap();
    assert_eq!(
        PolicyText::from_json_or_cli_output(&wrapped).unwrap(),
        PolicyText::from_json_or_cli_output(inner).unwrap()
    );
    // A policy document is never read as a wrapper, and a wrapper with more members is not one.
    assert!(PolicyText::from_json_or_cli_output(r#"{"Policy": "{}", "Other": 1}"#).is_err());
}

#[test]
fn a_key_named_by_alias_is_not_collected_and_the_audit_says_so() {
    let mut spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(fixtures().join("spec.json")).unwrap()).unwrap();
    spec["log_archive"]["kms_key"] = serde_json::json!("alias/cloudtrail");
    let plan = Plan::from_spec(&Spec::from_json(&spec.to_string()).unwrap()).unwrap();
    let collection = Collection::from_plan(&plan);
    assert!(collection.command("log-archive.get-key-policy").is_none());
    assert!(
        collection
            .command("log-archive.get-key-rotation-status")
            .is_none()
    );
    let audit = Audit::run(&plan, &outputs("deployed")).unwrap();
    let warning = audit
        .findings()
        .iter()
        .find(|f| f.code() == FindingCode::LiveKeyNotCollected)
        .unwrap();
    assert_eq!(warning.severity(), Severity::Warning);
    assert!(
        warning
            .message()
            .starts_with("key `alias/cloudtrail` is not named by its arn")
    );
    let rotation = audit.controls().iter().find(|c| c.id() == "KMS.4").unwrap();
    assert_eq!(rotation.status().to_string(), "manual");
}
