//! A trail as `aws cloudtrail get-trail`, `get-trail-status`, `get-event-selectors` and
//! `get-insight-selectors` print it
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetInsightSelectors.html>).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;

use crate::id::{BucketName, KeyPrefix, KmsKeyRef, TrailArn, TrailName};
use crate::trail::{InsightType, ReadWriteType};

use super::error::OutputRule;
use super::shape::parse;

/// `get-trail`: the trail's settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LiveTrail {
    name: TrailName,
    #[serde(rename = "TrailARN")]
    arn: TrailArn,
    s3_bucket_name: BucketName,
    s3_key_prefix: Option<KeyPrefix>,
    sns_topic_name: Option<String>,
    #[serde(default)]
    include_global_service_events: bool,
    #[serde(default)]
    is_multi_region_trail: bool,
    #[serde(default)]
    log_file_validation_enabled: bool,
    cloud_watch_logs_log_group_arn: Option<String>,
    cloud_watch_logs_role_arn: Option<String>,
    kms_key_id: Option<KmsKeyRef>,
    #[serde(default)]
    is_organization_trail: bool,
}

impl LiveTrail {
    /// Reads the output, `{"Trail": {...}}`.
    ///
    /// # Errors
    /// [`OutputRule`] when `Trail` is missing or its name, ARN, bucket, prefix or key does not
    /// parse.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            trail: LiveTrail,
        }
        parse::<Out>(text).map(|o| o.trail)
    }

    /// `Name`.
    pub fn name(&self) -> &TrailName {
        &self.name
    }

    /// `TrailARN` (its account is the owner's, its Region the home Region).
    pub fn arn(&self) -> &TrailArn {
        &self.arn
    }

    /// `S3BucketName`.
    pub fn s3_bucket_name(&self) -> &BucketName {
        &self.s3_bucket_name
    }

    /// `S3KeyPrefix`.
    pub fn s3_key_prefix(&self) -> Option<&KeyPrefix> {
        self.s3_key_prefix.as_ref()
    }

    /// `SnsTopicName`.
    pub fn sns_topic_name(&self) -> Option<&str> {
        self.sns_topic_name.as_deref()
    }

    /// `IncludeGlobalServiceEvents`.
    pub fn include_global_service_events(&self) -> bool {
        self.include_global_service_events
    }

    /// `IsMultiRegionTrail`.
    pub fn is_multi_region_trail(&self) -> bool {
        self.is_multi_region_trail
    }

    /// `LogFileValidationEnabled`.
    pub fn log_file_validation_enabled(&self) -> bool {
        self.log_file_validation_enabled
    }

    /// `CloudWatchLogsLogGroupArn`.
    pub fn cloud_watch_logs_log_group_arn(&self) -> Option<&str> {
        self.cloud_watch_logs_log_group_arn.as_deref()
    }

    /// `CloudWatchLogsRoleArn`.
    pub fn cloud_watch_logs_role_arn(&self) -> Option<&str> {
        self.cloud_watch_logs_role_arn.as_deref()
    }

    /// `KmsKeyId`: "a fully specified ARN to a KMS key" (GetTrail's `Trail` shape,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html>).
    pub fn kms_key_id(&self) -> Option<&KmsKeyRef> {
        self.kms_key_id.as_ref()
    }

    /// `IsOrganizationTrail`.
    pub fn is_organization_trail(&self) -> bool {
        self.is_organization_trail
    }
}

/// `get-trail-status`: whether the trail logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailStatus {
    is_logging: bool,
}

impl TrailStatus {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when `IsLogging` is missing or not a boolean.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            is_logging: bool,
        }
        parse::<Out>(text).map(|o| TrailStatus {
            is_logging: o.is_logging,
        })
    }

    /// `IsLogging`.
    pub fn is_logging(&self) -> bool {
        self.is_logging
    }
}

/// A trail's event selectors, in a form where two equal configurations compare equal:
/// selectors, data resources, values and excluded sources sorted, AWS's defaults filled in.
///
/// The same reader takes `get-event-selectors`' output and a `PutEventSelectors` request body
/// (the plan's `…event-selectors.json`): both carry `EventSelectors` or
/// `AdvancedEventSelectors` in the API's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveSelectors {
    /// Classic selectors (possibly none).
    Classic(Vec<ClassicSelector>),
    /// Advanced selectors.
    Advanced(Vec<AdvancedSelector>),
}

/// One classic selector, normalized.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClassicSelector {
    read_write: ReadWriteType,
    management: bool,
    data: BTreeMap<String, BTreeSet<String>>,
    excluded: BTreeSet<String>,
}

/// One advanced selector, normalized: its name and, per field, per operator, its values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AdvancedSelector {
    name: Option<String>,
    fields: BTreeMap<String, BTreeMap<&'static str, BTreeSet<String>>>,
}

/// The operators of an advanced field selector
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).
const OPERATORS: [&str; 6] = [
    "Equals",
    "StartsWith",
    "EndsWith",
    "NotEquals",
    "NotStartsWith",
    "NotEndsWith",
];

impl LiveSelectors {
    /// Reads `get-event-selectors`' output or a `PutEventSelectors` request body.
    ///
    /// `ReadWriteType` defaults to `All` and `IncludeManagementEvents` to true when absent:
    /// "By default, the value is All", "By default, the value is true"
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html>).
    ///
    /// # Errors
    /// [`OutputRule`] for another shape, an unknown `ReadWriteType`, or both kinds of selector.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            #[serde(default)]
            event_selectors: Vec<Classic>,
            #[serde(default)]
            advanced_event_selectors: Vec<Advanced>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Classic {
            read_write_type: Option<String>,
            include_management_events: Option<bool>,
            #[serde(default)]
            data_resources: Vec<Data>,
            #[serde(default)]
            exclude_management_event_sources: Vec<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Data {
            r#type: String,
            #[serde(default)]
            values: Vec<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Advanced {
            name: Option<String>,
            field_selectors: Vec<BTreeMap<String, serde_json::Value>>,
        }
        let out: Out = parse(text)?;
        match (
            out.event_selectors.is_empty(),
            out.advanced_event_selectors.is_empty(),
        ) {
            (false, false) => Err(OutputRule::Missing(
                "both `EventSelectors` and `AdvancedEventSelectors` are given",
            )),
            (_, true) => {
                let mut selectors = Vec::with_capacity(out.event_selectors.len());
                for s in out.event_selectors {
                    let read_write = match s.read_write_type.as_deref() {
                        None => ReadWriteType::All,
                        Some(found) => ReadWriteType::ALL
                            .into_iter()
                            .find(|t| t.as_str() == found)
                            .ok_or_else(|| OutputRule::Value {
                                member: "ReadWriteType",
                                found: found.to_owned(),
                                expected: "`All`, `ReadOnly`, `WriteOnly`",
                            })?,
                    };
                    let mut data: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                    for d in s.data_resources {
                        data.entry(d.r#type).or_default().extend(d.values);
                    }
                    selectors.push(ClassicSelector {
                        read_write,
                        management: s.include_management_events.unwrap_or(true),
                        data,
                        excluded: s.exclude_management_event_sources.into_iter().collect(),
                    });
                }
                selectors.sort();
                Ok(LiveSelectors::Classic(selectors))
            }
            (true, false) => {
                let mut selectors = Vec::with_capacity(out.advanced_event_selectors.len());
                for s in out.advanced_event_selectors {
                    let mut fields: BTreeMap<String, BTreeMap<&'static str, BTreeSet<String>>> =
                        BTreeMap::new();
                    for f in s.field_selectors {
                        let name = match f.get("Field") {
                            Some(serde_json::Value::String(n)) => n.clone(),
                            _ => {
                                return Err(OutputRule::Missing("a field selector has no `Field`"));
                            }
                        };
                        let entry = fields.entry(name).or_default();
                        for op in OPERATORS {
                            if let Some(values) = f.get(op) {
                                let values = values.as_array().ok_or(OutputRule::Missing(
                                    "a field selector's operator is not a list",
                                ))?;
                                entry.entry(op).or_default().extend(
                                    values.iter().filter_map(|v| v.as_str().map(str::to_owned)),
                                );
                            }
                        }
                    }
                    selectors.push(AdvancedSelector {
                        name: s.name,
                        fields,
                    });
                }
                selectors.sort();
                Ok(LiveSelectors::Advanced(selectors))
            }
        }
    }

    /// The classic selectors, when the trail uses them.
    pub fn classic(&self) -> Option<&[ClassicSelector]> {
        match self {
            LiveSelectors::Classic(s) => Some(s),
            LiveSelectors::Advanced(_) => None,
        }
    }
}

impl AdvancedSelector {
    /// `Name`.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether it selects every management event, read and write: `eventCategory` equals
    /// `Management` and no `readOnly` field narrows it
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).
    pub fn all_management_events(&self) -> bool {
        self.fields
            .get("eventCategory")
            .and_then(|ops| ops.get("Equals"))
            .is_some_and(|v| v.contains("Management"))
            && !self.fields.contains_key("readOnly")
    }
}

impl ClassicSelector {
    /// `ReadWriteType`.
    pub fn read_write_type(&self) -> ReadWriteType {
        self.read_write
    }

    /// `IncludeManagementEvents`.
    pub fn includes_management_events(&self) -> bool {
        self.management
    }

    /// `DataResources`: the values of each type.
    pub fn data_resources(&self) -> &BTreeMap<String, BTreeSet<String>> {
        &self.data
    }

    /// `ExcludeManagementEventSources`.
    pub fn excluded_sources(&self) -> &BTreeSet<String> {
        &self.excluded
    }
}

impl fmt::Display for LiveSelectors {
    /// One line: each selector's read/write type, management events, data resources and
    /// exclusions, or each advanced selector's fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = match self {
            LiveSelectors::Classic(s) if s.is_empty() => vec!["no selector".to_owned()],
            LiveSelectors::Classic(s) => s
                .iter()
                .map(|s| {
                    let mut parts = vec![format!(
                        "{} {}",
                        s.read_write.as_str(),
                        if s.management {
                            "management events"
                        } else {
                            "no management events"
                        }
                    )];
                    if !s.excluded.is_empty() {
                        parts.push(format!(
                            "excluding {}",
                            s.excluded.iter().cloned().collect::<Vec<_>>().join(", ")
                        ));
                    }
                    for (kind, values) in &s.data {
                        parts.push(format!(
                            "{kind} {}",
                            values.iter().cloned().collect::<Vec<_>>().join(", ")
                        ));
                    }
                    parts.join(", ")
                })
                .collect(),
            LiveSelectors::Advanced(s) => s
                .iter()
                .map(|s| {
                    let fields: Vec<String> = s
                        .fields
                        .iter()
                        .flat_map(|(field, ops)| {
                            ops.iter().map(move |(op, values)| {
                                format!(
                                    "{field} {op} {}",
                                    values.iter().cloned().collect::<Vec<_>>().join("|")
                                )
                            })
                        })
                        .collect();
                    format!(
                        "{}{}",
                        s.name
                            .as_deref()
                            .map(|n| format!("{n}: "))
                            .unwrap_or_default(),
                        fields.join(" and ")
                    )
                })
                .collect(),
        };
        f.write_str(&items.join("; "))
    }
}

/// `get-insight-selectors`: the Insights types the trail logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveInsights {
    types: BTreeSet<InsightType>,
}

impl LiveInsights {
    /// Reads the output or a `PutInsightSelectors` request body.
    ///
    /// # Errors
    /// [`OutputRule`] for another shape or an unknown `InsightType`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            #[serde(default)]
            insight_selectors: Vec<Selector>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Selector {
            insight_type: String,
        }
        let out: Out = parse(text)?;
        let mut types = BTreeSet::new();
        for s in out.insight_selectors {
            let t = InsightType::ALL
                .into_iter()
                .find(|t| t.as_str() == s.insight_type)
                .ok_or_else(|| OutputRule::Value {
                    member: "InsightType",
                    found: s.insight_type.clone(),
                    expected: "`ApiCallRateInsight`, `ApiErrorRateInsight`",
                })?;
            types.insert(t);
        }
        Ok(LiveInsights { types })
    }

    /// No Insights (what `InsightNotEnabledException` says).
    pub fn none() -> Self {
        LiveInsights {
            types: BTreeSet::new(),
        }
    }

    /// The Insights types.
    pub fn types(&self) -> &BTreeSet<InsightType> {
        &self.types
    }
}
