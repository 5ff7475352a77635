//! The controls auditors check a CloudTrail setup against: the CIS AWS Foundations Benchmark's
//! CloudTrail controls as AWS Security Hub names them, with the matching Prowler checks, and
//! whether a plan meets each and why.
//!
//! Control ids, titles and CIS numbers: Security Hub's CloudTrail, KMS and S3 control pages
//! (<https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html>,
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html>,
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html>). A CIS number is
//! listed only where Security Hub's pages state it, except for the S3 controls (MFA delete and
//! object-level logging), whose CIS numbers, like every Prowler check name, are from Prowler's
//! compliance mappings
//! (<https://github.com/prowler-cloud/prowler/tree/master/prowler/compliance/aws>,
//! `cis_1.4_aws.json`, `cis_3.0_aws.json`, `cis_5.0_aws.json` and
//! `aws_foundational_security_best_practices_aws.json`).

use std::fmt;

use serde::Serialize;

use crate::id::{BucketName, KmsKeyRef};
use crate::trail::{DataResourceType, EventSelector, ReadWriteType, TrailConfig};

/// Whether a plan meets a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ControlStatus {
    /// The generated artifacts meet it once deployed.
    Met,
    /// They do not; the reason says what to change.
    NotMet,
    /// It needs a step no artifact can take, or a fact the plan cannot see: the reason gives it.
    Manual,
    /// Nothing in the plan is subject to it.
    NotApplicable,
}

impl fmt::Display for ControlStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ControlStatus::Met => "met",
            ControlStatus::NotMet => "not-met",
            ControlStatus::Manual => "manual",
            ControlStatus::NotApplicable => "not-applicable",
        })
    }
}

/// One control and the plan's status against it.
///
/// Serializes as `{"id", "title", "cis", "prowler", "status", "reason"}`; displays as one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Control {
    id: &'static str,
    title: &'static str,
    cis: &'static [&'static str],
    prowler: &'static [&'static str],
    status: ControlStatus,
    reason: String,
}

impl Control {
    /// The Security Hub control id, e.g. `CloudTrail.1`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// What the control asks for.
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// The CIS AWS Foundations Benchmark items it maps to, e.g. `1.4.0/3.1`.
    pub fn cis(&self) -> &'static [&'static str] {
        self.cis
    }

    /// The Prowler checks that test it.
    pub fn prowler(&self) -> &'static [&'static str] {
        self.prowler
    }

    /// Whether the plan meets it.
    pub fn status(&self) -> ControlStatus {
        self.status
    }

    /// Why, or what to do.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<14} {:<12} {} (CIS {}; prowler {}): {}",
            self.status.to_string(),
            self.id,
            self.title,
            if self.cis.is_empty() {
                "-".to_owned()
            } else {
                self.cis.join(", ")
            },
            self.prowler.join(", "),
            self.reason
        )
    }
}

/// Where the key comes from, as the controls see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFact<'a> {
    /// SSE-S3, no KMS key.
    None,
    /// The log-archive stack creates it (with rotation on).
    Created,
    /// An existing key.
    Existing(&'a KmsKeyRef),
    /// A live key and whether it rotates (`get-key-rotation-status`).
    Rotation(&'a KmsKeyRef, bool),
}

/// Whether the bucket is public, as the controls see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicFact {
    /// The plan's settings: all four blocks on, the probes proved.
    Planned,
    /// The live bucket: the public access blocks that are off, and the lint's findings of
    /// public access in the live policy.
    Live {
        blocks_off: Vec<&'static str>,
        public_grants: usize,
    },
}

/// What the controls need to know of one trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrailFacts {
    pub(crate) name: String,
    pub(crate) multi_region: bool,
    /// Logs read and write management events.
    pub(crate) management_all: bool,
    /// The management event sources it excludes.
    pub(crate) excluded: Vec<String>,
    pub(crate) kms: bool,
    pub(crate) validation: bool,
    pub(crate) cloudwatch: bool,
    /// S3 data events of all buckets, (reads, writes); `None` with advanced selectors, which the
    /// report does not evaluate.
    pub(crate) s3_all: Option<(bool, bool)>,
}

impl TrailFacts {
    /// The facts of a planned trail.
    pub(crate) fn planned(trail: &TrailConfig) -> Self {
        let (management_all, excluded) = management(trail);
        let ct = trail.create_trail();
        TrailFacts {
            name: ct.name().to_string(),
            multi_region: ct.is_multi_region_trail(),
            management_all,
            excluded: excluded.into_iter().map(str::to_owned).collect(),
            kms: ct.kms_key_id().is_some(),
            validation: ct.enable_log_file_validation(),
            cloudwatch: ct.cloud_watch_logs_log_group_arn().is_some(),
            s3_all: s3_data_events(trail),
        }
    }
}

/// What the controls are judged on.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    pub(crate) bucket: &'a BucketName,
    pub(crate) trails: &'a [TrailFacts],
    pub(crate) key: KeyFact<'a>,
    /// Where the bucket's access logs go: (bucket, prefix).
    pub(crate) access_logs: Option<(&'a str, &'a str)>,
    pub(crate) lifecycle: bool,
    /// Whether MFA delete is on, when known (live).
    pub(crate) mfa_delete: Option<bool>,
    pub(crate) public: PublicFact,
    /// Whether the facts are of the live state (the messages then speak of the trails, not of
    /// the planned ones).
    pub(crate) live: bool,
}

/// `name` of every trail for which `pred` is false, comma-separated.
fn failing(trails: &[TrailFacts], pred: impl Fn(&TrailFacts) -> bool) -> Vec<String> {
    trails
        .iter()
        .filter(|t| !pred(t))
        .map(|t| format!("`{}`", t.name))
        .collect()
}

/// Whether a trail logs read and write management events, and which sources it excludes.
fn management(trail: &TrailConfig) -> (bool, Vec<&'static str>) {
    let selectors = trail.event_selectors();
    if let Some(classic) = selectors.event_selectors() {
        let all: Vec<&EventSelector> = classic
            .iter()
            .filter(|s| s.includes_management_events() && s.read_write_type() == ReadWriteType::All)
            .collect();
        let excluded = all
            .iter()
            .flat_map(|s| s.excluded_sources())
            .map(|s| s.as_str())
            .collect();
        (!all.is_empty(), excluded)
    } else if let Some(advanced) = selectors.advanced_event_selectors() {
        let (reads, writes) = advanced
            .iter()
            .map(crate::trail::AdvancedEventSelector::management_read_write)
            .fold((false, false), |(r, w), (sr, sw)| (r || sr, w || sw));
        (reads && writes, Vec::new())
    } else {
        (false, Vec::new())
    }
}

/// S3 data events for all buckets: (reads, writes), or `None` with advanced selectors, which
/// the report does not evaluate.
fn s3_data_events(trail: &TrailConfig) -> Option<(bool, bool)> {
    let selectors = trail.event_selectors();
    let classic = selectors.event_selectors()?;
    Some(
        classic
            .iter()
            .filter(|s| {
                s.data_values()
                    .any(|r| r.kind() == DataResourceType::S3Object && r.is_all())
            })
            .fold((false, false), |(r, w), s| {
                let rw = s.read_write_type();
                (r || rw.has_read(), w || rw.has_write())
            }),
    )
}

/// Every control, in a fixed order.
pub(crate) fn evaluate(facts: &Facts<'_>) -> Vec<Control> {
    use ControlStatus::{Manual, Met, NotApplicable, NotMet};
    let trails = facts.trails;
    let planned = if facts.live { "" } else { "planned " };
    let no_trail = || {
        let what = if facts.live {
            "no trail of the plan exists"
        } else {
            "the plan creates no trail"
        };
        (NotMet, what.to_owned())
    };
    let every = |ok: &str, missing: &str, pred: &dyn Fn(&TrailFacts) -> bool| {
        if trails.is_empty() {
            return no_trail();
        }
        let bad = failing(trails, pred);
        if bad.is_empty() {
            (Met, format!("every {planned}trail {ok}"))
        } else {
            (NotMet, format!("trail {} {missing}", bad.join(", ")))
        }
    };
    let mut out = Vec::new();
    let mut push = |id, title, cis, prowler, (status, reason): (ControlStatus, String)| {
        out.push(Control {
            id,
            title,
            cis,
            prowler,
            status,
            reason,
        });
    };

    // CloudTrail.1: "at least one multi-Region trail that includes read and write management
    // events".
    let multi_region = || {
        if trails.is_empty() {
            return no_trail();
        }
        let good: Vec<&TrailFacts> = trails
            .iter()
            .filter(|t| t.multi_region && t.management_all)
            .collect();
        match good.first() {
            None => (
                NotMet,
                format!(
                    "no {planned}trail is multi-region with read and write management events: set `multi_region` and `management_events.read_write` `All` on one"
                ),
            ),
            Some(t) if t.excluded.is_empty() => (
                Met,
                format!(
                    "trail `{}` is multi-region and logs read and write management events",
                    t.name
                ),
            ),
            Some(t) => (
                Met,
                format!(
                    "trail `{}` is multi-region and logs read and write management events, but excludes {}: Security Hub's earlier text of this control also required no excluded sources",
                    t.name,
                    t.excluded.join(", ")
                ),
            ),
        }
    };
    push(
        "CloudTrail.1",
        "multi-Region trail with read and write management events",
        &["1.2.0/2.1", "1.4.0/3.1", "3.0.0/3.1", "5.0.0/3.1"],
        &["cloudtrail_multi_region_enabled"],
        multi_region(),
    );
    push(
        "CloudTrail.2",
        "trail logs encrypted at rest with KMS",
        &["1.2.0/2.7", "1.4.0/3.7", "3.0.0/3.5"],
        &["cloudtrail_kms_encryption_enabled"],
        every(
            "has a KMS key (KmsKeyId)",
            "has no KMS key: name `log_archive.kms_key` or `create_kms_key`",
            &|t| t.kms,
        ),
    );
    push(
        "CloudTrail.4",
        "log file validation",
        &["1.2.0/2.2", "1.4.0/3.2"],
        &["cloudtrail_log_file_validation_enabled"],
        every(
            "validates its log files",
            "does not validate its log files: drop `log_file_validation: false`",
            &|t| t.validation,
        ),
    );
    push(
        "CloudTrail.5",
        "trails integrated with CloudWatch Logs",
        &["1.2.0/2.4", "1.4.0/3.4"],
        &["cloudtrail_cloudwatch_logging_enabled"],
        every(
            "sends its events to a CloudWatch Logs log group",
            "sends no events to CloudWatch Logs: give it `cloudwatch_logs`",
            &|t| t.cloudwatch,
        ),
    );
    push(
        "CloudTrail.6",
        "CloudTrail bucket not publicly accessible",
        &["1.2.0/2.3", "1.4.0/3.3"],
        &["cloudtrail_logs_s3_bucket_is_not_publicly_accessible"],
        match &facts.public {
            PublicFact::Planned => (
                Met,
                format!(
                    "bucket `{}` has all four public access blocks on, and the bucket policy's probes prove that anonymous callers and unlisted accounts are refused; Security Hub evaluates this only in the bucket's own account and Region",
                    facts.bucket
                ),
            ),
            PublicFact::Live {
                blocks_off,
                public_grants,
            } if blocks_off.is_empty() && *public_grants == 0 => (
                Met,
                format!(
                    "bucket `{}` has all four public access blocks on and its policy grants nothing to anyone",
                    facts.bucket
                ),
            ),
            PublicFact::Live {
                blocks_off,
                public_grants,
            } => (
                NotMet,
                format!(
                    "bucket `{}`: {} public access block(s) off ({}) and {public_grants} grant(s) to anyone in its policy (see the public-access findings)",
                    facts.bucket,
                    blocks_off.len(),
                    blocks_off.join(", ")
                ),
            ),
        },
    );
    push(
        "CloudTrail.7",
        "server access logging on the CloudTrail bucket",
        &["1.2.0/2.6", "1.4.0/3.6"],
        &["cloudtrail_logs_s3_bucket_access_logging_enabled"],
        match facts.access_logs {
            Some((bucket, prefix)) => (
                Met,
                format!(
                    "bucket `{}` logs its access into `{bucket}` under `{prefix}` (log-archive.bucket-logging.json, the template's LoggingConfiguration, access-logs.bucket-policy.json)",
                    facts.bucket,
                ),
            ),
            None => (
                NotMet,
                format!(
                    "bucket `{}` has no server access logging: add `log_archive.access_logs`",
                    facts.bucket
                ),
            ),
        },
    );
    // Rotation: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    push(
        "KMS.4",
        "KMS key rotation",
        &["1.2.0/2.8", "1.4.0/3.8", "3.0.0/3.6", "5.0.0/3.6"],
        &["kms_cmk_rotation_enabled"],
        match facts.key {
            KeyFact::Created => (
                Met,
                "the log-archive stack creates the key with EnableKeyRotation true".to_owned(),
            ),
            KeyFact::Existing(key) => (
                Manual,
                format!(
                    "the plan cannot see whether key `{key}` rotates: check with `aws kms get-key-rotation-status --key-id {key}` and turn it on with `aws kms enable-key-rotation --key-id {key}`"
                ),
            ),
            KeyFact::Rotation(key, true) => (
                Met,
                format!("key `{key}` rotates (get-key-rotation-status)"),
            ),
            KeyFact::Rotation(key, false) => (
                NotMet,
                format!(
                    "key `{key}` does not rotate: `aws kms enable-key-rotation --key-id {key}`"
                ),
            ),
            KeyFact::None => (
                NotApplicable,
                "no customer managed key: the logs are encrypted with SSE-S3 (see CloudTrail.2)"
                    .to_owned(),
            ),
        },
    );
    // MFA delete: only the bucket owner's root user can enable it, with the CLI or API, not the
    // console, and "You cannot use MFA delete with lifecycle configurations"
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html).
    // CloudFormation's VersioningConfiguration has only `Status`
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-versioningconfiguration.html).
    push(
        "S3.20",
        "MFA delete on the CloudTrail bucket",
        &["1.4.0/2.1.3", "3.0.0/2.1.2", "5.0.0/2.1.2"],
        &[
            "s3_bucket_no_mfa_delete",
            "cloudtrail_bucket_requires_mfa_delete",
        ],
        if facts.mfa_delete == Some(true) {
            (Met, format!("bucket `{}` has MFA delete on", facts.bucket))
        } else if facts.lifecycle {
            (
                NotMet,
                format!(
                    "{} a lifecycle configuration, and AWS says you cannot use MFA delete with lifecycle configurations: drop `log_archive.lifecycle` to enable it",
                    if facts.live {
                        "the bucket has"
                    } else {
                        "the plan gives the bucket"
                    }
                ),
            )
        } else {
            (
                Manual,
                format!(
                    "no template can set it (CloudFormation's VersioningConfiguration has only Status): the bucket owner's root user, with its MFA device, runs `aws s3api put-bucket-versioning --bucket {} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"<device serial> <code>\"`",
                    facts.bucket
                ),
            )
        },
    );
    let data_events = |want_reads: bool| {
        if trails.is_empty() {
            return no_trail();
        }
        let mut unknown = Vec::new();
        let mut found = None;
        for t in trails.iter().filter(|t| t.multi_region) {
            match t.s3_all {
                None => unknown.push(format!("`{}`", t.name)),
                Some((reads, writes)) if (want_reads && reads) || (!want_reads && writes) => {
                    found = Some(t.name.clone());
                }
                Some(_) => {}
            }
        }
        let what = if want_reads { "read" } else { "write" };
        match (found, unknown.is_empty()) {
            (Some(name), _) => (
                Met,
                format!(
                    "trail `{name}` is multi-region and logs {what} data events of all S3 buckets"
                ),
            ),
            (None, false) => (
                Manual,
                format!(
                    "trail {} uses advanced event selectors, which this report does not evaluate",
                    unknown.join(", ")
                ),
            ),
            (None, true) => (
                NotMet,
                format!(
                    "no multi-region trail logs {what} data events of all S3 buckets: add `\"data_events\": [{{\"s3\": \"all\"}}]` to one (charged per event)"
                ),
            ),
        }
    };
    push(
        "S3.22",
        "object-level write events for all S3 buckets",
        &["3.0.0/3.8", "5.0.0/3.8"],
        &["cloudtrail_s3_dataevents_write_enabled"],
        data_events(false),
    );
    push(
        "S3.23",
        "object-level read events for all S3 buckets",
        &["3.0.0/3.9"],
        &["cloudtrail_s3_dataevents_read_enabled"],
        data_events(true),
    );
    out
}
