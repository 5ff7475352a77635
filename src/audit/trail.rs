//! Each live trail against the plan's: its settings, whether it logs, its event and Insights
//! selectors.

use crate::controls::TrailFacts;
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::{KmsKeyRef, Partition};
use crate::live::{LiveError, LiveInsights, LiveSelectors, LiveTrail, TrailStatus};
use crate::plan::PlannedTrail;
use crate::trail::ReadWriteType;

use super::reader::Reader;

/// Every difference of one planned trail; the live trail's facts for the controls, if it
/// exists.
pub(crate) fn compare(
    reader: &Reader<'_>,
    trail: &PlannedTrail,
    findings: &mut Vec<Finding>,
) -> Result<Option<TrailFacts>, LiveError> {
    let stem = trail.file_stem();
    let config = trail.config();
    let arn = config.arn();
    let Some(live) = reader.live(&format!("{stem}.get-trail"), LiveTrail::parse)? else {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::LiveTrailMissing,
            format!(
                "trail `{arn}` does not exist (TrailNotFoundException): create it with {stem}.create-trail.json"
            ),
        ));
        return Ok(None);
    };
    let ct = config.create_trail();
    let mut differ = Vec::new();
    let mut check = |member: &str, live: String, planned: String| {
        if live != planned {
            differ.push(format!("`{member}` is {live}, the plan's {planned}"));
        }
    };
    let show = |v: Option<&str>| v.map_or_else(|| "absent".to_owned(), |v| format!("`{v}`"));
    check("TrailARN", format!("`{}`", live.arn()), format!("`{arn}`"));
    check(
        "S3BucketName",
        format!("`{}`", live.s3_bucket_name()),
        format!("`{}`", ct.s3_bucket_name()),
    );
    check(
        "S3KeyPrefix",
        show(live.s3_key_prefix().map(|p| p.as_str())),
        show(ct.s3_key_prefix().map(|p| p.as_str())),
    );
    check(
        "SnsTopicName",
        show(live.sns_topic_name()),
        show(ct.sns_topic_name()),
    );
    check(
        "IncludeGlobalServiceEvents",
        live.include_global_service_events().to_string(),
        ct.include_global_service_events().to_string(),
    );
    check(
        "IsMultiRegionTrail",
        live.is_multi_region_trail().to_string(),
        ct.is_multi_region_trail().to_string(),
    );
    check(
        "LogFileValidationEnabled",
        live.log_file_validation_enabled().to_string(),
        ct.enable_log_file_validation().to_string(),
    );
    check(
        "IsOrganizationTrail",
        live.is_organization_trail().to_string(),
        ct.is_organization_trail().to_string(),
    );
    check(
        "CloudWatchLogsLogGroupArn",
        show(live.cloud_watch_logs_log_group_arn()),
        show(ct.cloud_watch_logs_log_group_arn()),
    );
    check(
        "CloudWatchLogsRoleArn",
        show(live.cloud_watch_logs_role_arn()),
        show(ct.cloud_watch_logs_role_arn().map(|r| r.as_str())),
    );
    // GetTrail answers the key's ARN; a plan that names the key by an alias can only be
    // compared when it names it by ARN.
    match (live.kms_key_id(), ct.kms_key_id()) {
        (l, Some(p @ KmsKeyRef::KeyArn(_))) => check(
            "KmsKeyId",
            show(l.map(KmsKeyRef::as_str)),
            show(Some(p.as_str())),
        ),
        (None, Some(p)) => check("KmsKeyId", show(None), show(Some(p.as_str()))),
        (Some(l), None) => check("KmsKeyId", show(Some(l.as_str())), show(None)),
        _ => {}
    }
    if !differ.is_empty() {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::LiveTrailSetting,
            format!(
                "trail `{arn}`: {}: update it with the settings of {stem}.create-trail.json",
                differ.join("; ")
            ),
        ));
    }

    if let Some(status) = reader.live(&format!("{stem}.get-trail-status"), TrailStatus::parse)?
        && !status.is_logging()
    {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::LiveTrailNotLogging,
            format!(
                "trail `{arn}` is not logging: no event is delivered until `aws cloudtrail start-logging --region {} --name {arn}`",
                arn.region()
            ),
        ));
    }

    let live_selectors =
        reader.live(&format!("{stem}.get-event-selectors"), LiveSelectors::parse)?;
    let planned_selectors = serde_json::to_string(config.event_selectors())
        .ok()
        .and_then(|t| LiveSelectors::parse(&t).ok());
    if let (Some(l), Some(p)) = (&live_selectors, &planned_selectors)
        && l != p
    {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::LiveEventSelectors,
            format!("trail `{arn}` selects {l}, the plan {p}: apply {stem}.event-selectors.json"),
        ));
    }

    let live_insights = reader
        .live(
            &format!("{stem}.get-insight-selectors"),
            LiveInsights::parse,
        )?
        .unwrap_or_else(LiveInsights::none);
    let planned_insights = config
        .insight_selectors()
        .and_then(|i| serde_json::to_string(i).ok())
        .and_then(|t| LiveInsights::parse(&t).ok())
        .unwrap_or_else(LiveInsights::none);
    if live_insights != planned_insights {
        let names = |i: &LiveInsights| {
            if i.types().is_empty() {
                "none".to_owned()
            } else {
                i.types()
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::LiveInsightSelectors,
            format!(
                "trail `{arn}` logs Insights {}, the plan {}",
                names(&live_insights),
                names(&planned_insights)
            ),
        ));
    }
    Ok(Some(facts(&live, live_selectors.as_ref(), arn.partition())))
}

/// The live trail as the controls see it.
fn facts(live: &LiveTrail, selectors: Option<&LiveSelectors>, partition: Partition) -> TrailFacts {
    let (management_all, excluded, s3_all) = match selectors {
        Some(LiveSelectors::Classic(classic)) => {
            let all: Vec<_> = classic
                .iter()
                .filter(|s| {
                    s.includes_management_events() && s.read_write_type() == ReadWriteType::All
                })
                .collect();
            let excluded = all
                .iter()
                .flat_map(|s| s.excluded_sources().iter().cloned())
                .collect();
            let everything = [
                format!("arn:{partition}:s3"),
                format!("arn:{partition}:s3:::"),
            ];
            let s3 = classic
                .iter()
                .filter(|s| {
                    s.data_resources()
                        .get("AWS::S3::Object")
                        .is_some_and(|v| everything.iter().any(|e| v.contains(e)))
                })
                .fold((false, false), |(r, w), s| {
                    let rw = s.read_write_type();
                    (r || rw.has_read(), w || rw.has_write())
                });
            (!all.is_empty(), excluded, Some(s3))
        }
        Some(LiveSelectors::Advanced(advanced)) => (
            advanced.iter().any(|s| s.all_management_events()),
            Vec::new(),
            None,
        ),
        None => (false, Vec::new(), Some((false, false))),
    };
    TrailFacts {
        name: live.name().to_string(),
        multi_region: live.is_multi_region_trail(),
        management_all,
        excluded,
        kms: live.kms_key_id().is_some(),
        validation: live.log_file_validation_enabled(),
        cloudwatch: live.cloud_watch_logs_log_group_arn().is_some(),
        s3_all,
    }
}
