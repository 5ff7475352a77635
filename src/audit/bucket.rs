//! The live bucket's settings against the plan's request bodies: each planned `Put…` body is
//! read with the reader of the matching `Get…` output, so both sides are compared as the same
//! typed value.

use crate::collect::LOG_ARCHIVE;
use crate::finding::{Finding, FindingCode, Severity};
use crate::live::{
    BucketEncryption, BucketLogging, BucketVersioning, LifecycleRule, LifecycleRules, LiveError,
    ObjectLockState, OwnershipControls, PublicAccessBlock, VersioningStatus,
};

use super::reader::Reader;

/// What the controls need from the live bucket.
#[derive(Debug, Default)]
pub(crate) struct BucketFacts {
    pub(crate) blocks_off: Vec<&'static str>,
    pub(crate) logging: Option<(String, String)>,
    pub(crate) lifecycle: bool,
    pub(crate) mfa_delete: bool,
}

fn file(op: &str) -> String {
    format!("{LOG_ARCHIVE}.{op}")
}

fn setting(severity: Severity, message: String) -> Finding {
    Finding::new(severity, FindingCode::LiveBucketSetting, message)
}

/// Every difference of the live bucket's settings; `bucket` names it in the messages and
/// `log_prefix` is where CloudTrail writes (`cloudtrail/AWSLogs/`).
pub(crate) fn compare(
    reader: &Reader<'_>,
    bucket: &str,
    log_prefix: &str,
    findings: &mut Vec<Finding>,
) -> Result<BucketFacts, LiveError> {
    let mut facts = BucketFacts::default();

    let planned = reader
        .planned("log-archive.bucket-encryption.json")
        .and_then(|t| BucketEncryption::parse(t).ok());
    match (reader.live(&file("get-bucket-encryption"), BucketEncryption::parse)?, planned) {
        (None, _) => findings.push(setting(
            Severity::Error,
            format!("bucket `{bucket}` has no default encryption: apply log-archive.bucket-encryption.json"),
        )),
        (Some(live), Some(planned)) if live != planned => findings.push(setting(
            Severity::Error,
            format!(
                "bucket `{bucket}` encrypts by default with {}, the plan with {}: apply log-archive.bucket-encryption.json",
                describe_encryption(&live),
                describe_encryption(&planned)
            ),
        )),
        _ => {}
    }

    match reader.live(&file("get-bucket-versioning"), BucketVersioning::parse)? {
        Some(v) if v.status() == VersioningStatus::Enabled => facts.mfa_delete = v.mfa_delete(),
        Some(v) => {
            facts.mfa_delete = v.mfa_delete();
            findings.push(Finding::new(
                Severity::Error,
                FindingCode::LiveVersioningNotEnabled,
                format!(
                    "bucket `{bucket}` versioning is {}: an overwritten or deleted log file is gone for good; apply log-archive.bucket-versioning.json",
                    match v.status() {
                        VersioningStatus::Suspended => "suspended",
                        _ => "not enabled",
                    }
                ),
            ));
        }
        None => {}
    }

    match reader.live(&file("get-public-access-block"), PublicAccessBlock::parse)? {
        None => {
            facts.blocks_off = vec![
                "BlockPublicAcls",
                "IgnorePublicAcls",
                "BlockPublicPolicy",
                "RestrictPublicBuckets",
            ];
            findings.push(setting(
                Severity::Error,
                format!("bucket `{bucket}` has no public access block: apply log-archive.public-access-block.json"),
            ));
        }
        Some(pab) => {
            facts.blocks_off = pab.off();
            if !facts.blocks_off.is_empty() {
                findings.push(setting(
                    Severity::Error,
                    format!(
                        "bucket `{bucket}` has {} off: apply log-archive.public-access-block.json",
                        facts.blocks_off.join(", ")
                    ),
                ));
            }
        }
    }

    let planned = reader
        .planned("log-archive.ownership-controls.json")
        .and_then(|t| OwnershipControls::parse(t).ok());
    match (
        reader.live(&file("get-bucket-ownership-controls"), OwnershipControls::parse)?,
        planned,
    ) {
        (None, _) => findings.push(setting(
            Severity::Error,
            format!("bucket `{bucket}` has no ownership controls: apply log-archive.ownership-controls.json"),
        )),
        (Some(live), Some(planned)) if live != planned => findings.push(setting(
            Severity::Error,
            format!(
                "bucket `{bucket}` object ownership is `{}`, the plan's `{}`: apply log-archive.ownership-controls.json",
                live.object_ownership(),
                planned.object_ownership()
            ),
        )),
        _ => {}
    }

    let planned = reader
        .planned_member("log-archive.bucket-logging.json", "BucketLoggingStatus")
        .and_then(|t| BucketLogging::parse(&t).ok());
    let live = reader.live(&file("get-bucket-logging"), BucketLogging::parse)?;
    let live_target = live.as_ref().and_then(BucketLogging::target);
    facts.logging = live_target.map(|(b, p)| (b.to_owned(), p.to_owned()));
    match (live_target, planned.as_ref().and_then(BucketLogging::target)) {
        (Some(l), Some(p)) if l != p => findings.push(setting(
            Severity::Error,
            format!(
                "bucket `{bucket}` logs its access into `{}` under `{}`, the plan into `{}` under `{}`: apply log-archive.bucket-logging.json",
                l.0, l.1, p.0, p.1
            ),
        )),
        (None, Some(p)) => findings.push(setting(
            Severity::Error,
            format!(
                "bucket `{bucket}` has no server access logging, the plan logs into `{}`: apply log-archive.bucket-logging.json",
                p.0
            ),
        )),
        (Some(l), None) => findings.push(setting(
            Severity::Suggestion,
            format!(
                "bucket `{bucket}` logs its access into `{}`, which the spec does not say: add `log_archive.access_logs` to keep it planned",
                l.0
            ),
        )),
        _ => {}
    }

    let planned = reader
        .planned_member("log-archive.lifecycle.json", "LifecycleConfiguration")
        .and_then(|t| LifecycleRules::parse(&t).ok());
    let planned_rules: &[LifecycleRule] = planned.as_ref().map_or(&[], LifecycleRules::rules);
    let live = reader.live(
        &file("get-bucket-lifecycle-configuration"),
        LifecycleRules::parse,
    )?;
    let live_rules: &[LifecycleRule] = live.as_ref().map_or(&[], LifecycleRules::rules);
    facts.lifecycle = !live_rules.is_empty();
    for rule in live_rules {
        if planned_rules.contains(rule) || !rule.deletes() || !covers(rule, log_prefix) {
            continue;
        }
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::LiveLifecycleDeletesLogs,
            format!(
                "bucket `{bucket}`: lifecycle rule `{}` deletes objects under `{}`{}{}, which the plan does not: log files under `{log_prefix}` are deleted",
                rule.id().unwrap_or("(no id)"),
                rule.prefix().unwrap_or(""),
                rule.expiration_days()
                    .map(|d| format!(", expiring them after {d} days"))
                    .unwrap_or_default(),
                rule.noncurrent_days()
                    .map(|d| format!(", deleting noncurrent versions after {d} days"))
                    .unwrap_or_default(),
            ),
        ));
    }
    for rule in planned_rules {
        if !live_rules.contains(rule) {
            findings.push(setting(
                Severity::Error,
                format!(
                    "bucket `{bucket}` lacks the plan's lifecycle rule `{}`: apply log-archive.lifecycle.json",
                    rule.id().unwrap_or("(no id)")
                ),
            ));
        }
    }

    let planned = reader
        .planned("log-archive.object-lock.json")
        .and_then(|t| ObjectLockState::parse(t).ok());
    let live = reader.live(
        &file("get-object-lock-configuration"),
        ObjectLockState::parse,
    )?;
    match (live, planned) {
        (Some(l), Some(p)) if l != p => findings.push(setting(
            Severity::Error,
            format!(
                "bucket `{bucket}` object lock is {}, the plan's {}: apply log-archive.object-lock.json",
                describe_lock(&l),
                describe_lock(&p)
            ),
        )),
        (None, Some(p)) => findings.push(setting(
            Severity::Error,
            format!(
                "bucket `{bucket}` has no object lock configuration, the plan's is {}: object lock can only be turned on for a bucket made with it",
                describe_lock(&p)
            ),
        )),
        (Some(l), None) if l.enabled() => findings.push(setting(
            Severity::Suggestion,
            format!(
                "bucket `{bucket}` has object lock ({}), which the spec does not say: add `log_archive.object_lock` to keep it planned",
                describe_lock(&l)
            ),
        )),
        _ => {}
    }
    Ok(facts)
}

/// Whether a rule limited to `rule.prefix()` can reach objects under `logs`.
fn covers(rule: &LifecycleRule, logs: &str) -> bool {
    let prefix = rule.prefix().unwrap_or("");
    logs.starts_with(prefix) || prefix.starts_with(logs)
}

fn describe_encryption(e: &BucketEncryption) -> String {
    format!(
        "`{}`{}{}",
        e.algorithm(),
        e.kms_key()
            .map(|k| format!(" key `{k}`"))
            .unwrap_or_default(),
        if e.bucket_key() {
            " with an S3 Bucket Key"
        } else {
            ""
        }
    )
}

fn describe_lock(l: &ObjectLockState) -> String {
    match l.retention() {
        _ if !l.enabled() => "off".to_owned(),
        None => "on without a default retention".to_owned(),
        Some((mode, days, years)) => format!(
            "{mode} for {}",
            match (days, years) {
                (Some(d), _) => format!("{d} days"),
                (None, Some(y)) => format!("{y} years"),
                (None, None) => "an unstated time".to_owned(),
            }
        ),
    }
}
