//! Trail configuration: the `CreateTrail`, `PutEventSelectors` and `PutInsightSelectors` request
//! bodies of one trail, built from typed values and checked against CloudTrail's limits
//! (quotas:
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>; API
//! Reference
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
//!
//! The request bodies serialize to exactly the API members (`PascalCase`, absent optionals left
//! out), so `aws cloudtrail create-trail --cli-input-json` can take them as they are.
//!
//! `PutEventSelectors` and `PutInsightSelectors` name the trail by its *name*, not its ARN: both
//! calls must run in the trail's account and home Region anyway (`InvalidHomeRegionException`
//! otherwise,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html>),
//! where the name is unambiguous.

mod advanced;
mod cloudwatch;
mod error;
mod request;
mod selectors;

use serde::Serialize;

pub use advanced::{AdvancedEventSelector, AdvancedFieldSelector, EventCategory, Field, Operator};
pub use cloudwatch::CloudWatchLogs;
pub use error::TrailError;
pub use request::{CreateTrailRequest, PutEventSelectorsRequest, PutInsightSelectorsRequest, Tag};
pub use selectors::{
    DataResource, DataResourceGroup, DataResourceType, EventSelector, InsightSelector, InsightType,
    ManagementEventSource, ReadWriteType,
};

use crate::id::{
    AccountId, BucketName, KeyPrefix, KmsKeyRef, OrganizationId, Partition, PrincipalArn, Region,
    TrailArn, TrailName,
};

/// At most 5 event selectors per trail (`InvalidEventSelectorsException`;
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>).
pub const MAX_EVENT_SELECTORS: usize = 5;
/// At most 250 data resources across all classic selectors, "all resources" forms not counted
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>).
pub const MAX_DATA_RESOURCES: usize = 250;
/// At most 500 values across all advanced selectors
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>).
pub const MAX_ADVANCED_VALUES: usize = 500;
/// At most 50 tags per trail (`TagsLimitExceededException`;
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AddTags.html>).
pub const MAX_TAGS: usize = 50;
/// `SnsTopicName`: "The maximum length is 256 characters"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
pub const MAX_SNS_TOPIC_LEN: usize = 256;

/// A warning about a configuration that AWS accepts but that costs money or weakens the trail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrailWarning {
    /// The trail logs data events, which are charged per event delivered
    /// (<https://aws.amazon.com/cloudtrail/pricing/>), unlike the first copy of management
    /// events
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html>).
    #[error(
        "trail `{trail}` logs data events, which are charged per event: check the expected volume"
    )]
    DataEventsCharged {
        /// The trail.
        trail: TrailName,
    },
    /// A single-Region trail outside `us-east-1` no longer receives global service events
    /// (IAM, STS, CloudFront) since 2021-11-22
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events>).
    #[error(
        "trail `{trail}` logs only region `{region}`: activity in other regions and, outside `us-east-1`, global service events are not logged"
    )]
    SingleRegion {
        /// The trail.
        trail: TrailName,
        /// Its home Region.
        region: Region,
    },
    /// Global service events were turned off.
    #[error("trail `{trail}` does not log global service events such as iam")]
    GlobalServiceEventsOff {
        /// The trail.
        trail: TrailName,
    },
    /// Log file integrity validation was turned off.
    #[error("trail `{trail}` does not validate log files: digest files are not delivered")]
    LogFileValidationOff {
        /// The trail.
        trail: TrailName,
    },
    /// No KMS key: the logs are encrypted with SSE-S3 only.
    #[error("trail `{trail}` has no kms key: log files are encrypted with sse-s3 only")]
    NoKmsKey {
        /// The trail.
        trail: TrailName,
    },
}

/// The organization a trail is created for, with the accounts allowed to create it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Organization {
    /// `None` when the trail was built with [`TrailConfigBuilder::organization_trail`].
    id: Option<OrganizationId>,
    management: AccountId,
    delegated_admins: Vec<AccountId>,
}

/// A trail's full configuration: the three request bodies, the CloudWatch Logs delivery and the
/// findings.
///
/// Serializes as `{"create_trail": …, "event_selectors": …, "insight_selectors": …}`, with
/// `insight_selectors` `null` when Insights are off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailConfig {
    create_trail: CreateTrailRequest,
    event_selectors: PutEventSelectorsRequest,
    insight_selectors: Option<PutInsightSelectorsRequest>,
    #[serde(skip)]
    arn: TrailArn,
    #[serde(skip)]
    cloudwatch_logs: Option<CloudWatchLogs>,
    #[serde(skip)]
    findings: Vec<TrailWarning>,
}

impl TrailConfig {
    /// Starts a trail `name` in `account`, home Region `home_region`, delivering to `bucket`.
    ///
    /// Defaults are the secure ones: multi-Region, global service events and log file
    /// validation on, all management events logged. Turning one off is explicit.
    ///
    /// ```
    /// use cloudtrail_policy::trail::{DataResource, EventSelector, InsightType, ReadWriteType, TrailConfig};
    /// use cloudtrail_policy::{AccountId, BucketName, Partition, Region, TrailName};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let bucket: BucketName = "org-log-archive".parse()?;
    /// let config = TrailConfig::builder(
    ///     "org-trail".parse()?,
    ///     "111122223333".parse()?,
    ///     "us-east-1".parse()?,
    ///     bucket.clone(),
    /// )
    /// .kms_key("arn:aws:kms:us-east-1:111122223333:alias/cloudtrail".parse()?)
    /// .event_selector(
    ///     EventSelector::management(ReadWriteType::All)
    ///         .with_data(DataResource::s3_bucket(Partition::Aws, &bucket)),
    /// )
    /// .insight(InsightType::ApiCallRateInsight)
    /// .build()?;
    /// assert!(config.create_trail().is_multi_region_trail());
    /// assert_eq!(config.warnings().len(), 1); // data events are charged
    /// let json = serde_json::to_value(&config)?;
    /// assert_eq!(json["create_trail"]["S3BucketName"], "org-log-archive");
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(
        name: TrailName,
        account: AccountId,
        home_region: Region,
        bucket: BucketName,
    ) -> TrailConfigBuilder {
        TrailConfigBuilder {
            name,
            account,
            home_region,
            bucket,
            prefix: None,
            kms_key: None,
            organization: None,
            multi_region: true,
            global_service_events: true,
            log_file_validation: true,
            sns_topic: None,
            cloudwatch_logs: None,
            tags: Vec::new(),
            event_selectors: Vec::new(),
            advanced_selectors: Vec::new(),
            insights: Vec::new(),
        }
    }

    /// The `CreateTrail` request body.
    pub fn create_trail(&self) -> &CreateTrailRequest {
        &self.create_trail
    }

    /// The `PutEventSelectors` request body. Without selectors given, it states AWS's default
    /// explicitly: one selector with all management events.
    pub fn event_selectors(&self) -> &PutEventSelectorsRequest {
        &self.event_selectors
    }

    /// The `PutInsightSelectors` request body, if Insights are on.
    pub fn insight_selectors(&self) -> Option<&PutInsightSelectorsRequest> {
        self.insight_selectors.as_ref()
    }

    /// The trail's ARN (partition of the home Region, home Region, account, name).
    pub fn arn(&self) -> &TrailArn {
        &self.arn
    }

    /// The CloudWatch Logs delivery, with the role's policies.
    pub fn cloudwatch_logs(&self) -> Option<&CloudWatchLogs> {
        self.cloudwatch_logs.as_ref()
    }

    /// Warnings: data event cost, and every secure default turned off.
    pub fn warnings(&self) -> &[TrailWarning] {
        &self.findings
    }
}

/// Builds a [`TrailConfig`]; see [`TrailConfig::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TrailConfigBuilder {
    name: TrailName,
    account: AccountId,
    home_region: Region,
    bucket: BucketName,
    prefix: Option<KeyPrefix>,
    kms_key: Option<KmsKeyRef>,
    organization: Option<Organization>,
    multi_region: bool,
    global_service_events: bool,
    log_file_validation: bool,
    sns_topic: Option<String>,
    cloudwatch_logs: Option<(String, PrincipalArn)>,
    tags: Vec<(String, String)>,
    event_selectors: Vec<EventSelector>,
    advanced_selectors: Vec<AdvancedEventSelector>,
    insights: Vec<InsightType>,
}

impl TrailConfigBuilder {
    /// `S3KeyPrefix` (at most 200 characters, enforced by [`KeyPrefix`]).
    pub fn prefix(mut self, prefix: KeyPrefix) -> Self {
        self.prefix = Some(prefix);
        self
    }

    /// `KmsKeyId`: SSE-KMS with this key.
    pub fn kms_key(mut self, key: KmsKeyRef) -> Self {
        self.kms_key = Some(key);
        self
    }

    /// `IsOrganizationTrail`: a trail for every account of organization `id`. Only the
    /// management account or a delegated administrator may create it (the trail's account is
    /// checked against both).
    pub fn organization(
        mut self,
        id: OrganizationId,
        management: AccountId,
        delegated_admins: impl IntoIterator<Item = AccountId>,
    ) -> Self {
        self.organization = Some(Organization {
            id: Some(id),
            management,
            delegated_admins: delegated_admins.into_iter().collect(),
        });
        self
    }

    /// [`TrailConfigBuilder::organization`] without naming the organization: the request bodies
    /// never carry its id, so they need none. CloudWatch Logs delivery does (the role's policy
    /// names the organization's log streams, `<org-id>_*`): with
    /// [`TrailConfigBuilder::cloudwatch_logs`] too, [`TrailConfigBuilder::build`] fails with
    /// [`TrailError::OrganizationIdNeeded`].
    pub fn organization_trail(
        mut self,
        management: AccountId,
        delegated_admins: impl IntoIterator<Item = AccountId>,
    ) -> Self {
        self.organization = Some(Organization {
            id: None,
            management,
            delegated_admins: delegated_admins.into_iter().collect(),
        });
        self
    }

    /// `IsMultiRegionTrail: false`.
    pub fn single_region(mut self) -> Self {
        self.multi_region = false;
        self
    }

    /// `IncludeGlobalServiceEvents: false`.
    pub fn without_global_service_events(mut self) -> Self {
        self.global_service_events = false;
        self
    }

    /// `EnableLogFileValidation: false`.
    pub fn without_log_file_validation(mut self) -> Self {
        self.log_file_validation = false;
        self
    }

    /// `SnsTopicName`: a topic name or ARN, at most 256 characters.
    pub fn sns_topic(mut self, topic: impl Into<String>) -> Self {
        self.sns_topic = Some(topic.into());
        self
    }

    /// `CloudWatchLogsLogGroupArn` and `CloudWatchLogsRoleArn`: a log group (name or ARN) and the
    /// role CloudTrail assumes, both in the trail's account and home Region.
    pub fn cloudwatch_logs(mut self, log_group: impl Into<String>, role: PrincipalArn) -> Self {
        self.cloudwatch_logs = Some((log_group.into(), role));
        self
    }

    /// Adds a tag; an empty value sends the key alone.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    /// Adds a classic event selector.
    pub fn event_selector(mut self, selector: EventSelector) -> Self {
        self.event_selectors.push(selector);
        self
    }

    /// Adds an advanced event selector.
    pub fn advanced_event_selector(mut self, selector: AdvancedEventSelector) -> Self {
        self.advanced_selectors.push(selector);
        self
    }

    /// Turns on one Insights type.
    pub fn insight(mut self, insight: InsightType) -> Self {
        if !self.insights.contains(&insight) {
            self.insights.push(insight);
        }
        self
    }

    /// Checks every rule and returns the configuration.
    ///
    /// # Errors
    ///
    /// A [`TrailError`] for the first broken rule, in this order: bucket name, organization
    /// account, partitions, SNS topic, tags, CloudWatch Logs, event selectors (kinds, count,
    /// empty selectors, data resources, advanced rules and values), Insights.
    pub fn build(self) -> Result<TrailConfig, TrailError> {
        let partition = self.home_region.partition();
        let trail = &self.name;
        self.bucket
            .check_cloudtrail()
            .map_err(|source| TrailError::Bucket {
                bucket: self.bucket.to_string(),
                source,
            })?;
        if let Some(org) = &self.organization
            && org.management != self.account
            && !org.delegated_admins.contains(&self.account)
        {
            return Err(TrailError::NotOrganizationAdministrator {
                trail: trail.clone(),
                account: self.account.clone(),
                management: org.management.clone(),
            });
        }
        let mismatch =
            |what: &'static str, value: &str, found: Partition| TrailError::PartitionMismatch {
                trail: trail.clone(),
                what,
                value: value.to_owned(),
                found,
                expected: partition,
            };
        if let Some(key) = &self.kms_key
            && let Some(found) = key.partition()
            && found != partition
        {
            return Err(mismatch("kms key", key.as_str(), found));
        }
        if let Some(topic) = &self.sns_topic {
            check_sns_topic(topic)?;
        }
        let tags = check_tags(trail, self.tags)?;
        let cloudwatch_logs = match self.cloudwatch_logs {
            Some(_) if self.organization.as_ref().is_some_and(|o| o.id.is_none()) => {
                return Err(TrailError::OrganizationIdNeeded {
                    trail: trail.clone(),
                });
            }
            Some((group, role)) => Some(CloudWatchLogs::new(
                partition,
                &self.account,
                &self.home_region,
                &group,
                role,
                self.organization.as_ref().and_then(|o| o.id.clone()),
            )?),
            None => None,
        };
        let selectors = check_selectors(
            trail,
            partition,
            self.event_selectors,
            self.advanced_selectors,
        )?;
        check_insights(trail, &selectors, &self.insights)?;

        let mut findings = Vec::new();
        if selectors.logs_data_events() {
            findings.push(TrailWarning::DataEventsCharged {
                trail: trail.clone(),
            });
        }
        if !self.multi_region {
            findings.push(TrailWarning::SingleRegion {
                trail: trail.clone(),
                region: self.home_region.clone(),
            });
        }
        if !self.global_service_events {
            findings.push(TrailWarning::GlobalServiceEventsOff {
                trail: trail.clone(),
            });
        }
        if !self.log_file_validation {
            findings.push(TrailWarning::LogFileValidationOff {
                trail: trail.clone(),
            });
        }
        if self.kms_key.is_none() {
            findings.push(TrailWarning::NoKmsKey {
                trail: trail.clone(),
            });
        }

        // An organization trail's ARN always carries the management account, also when a
        // delegated administrator creates it: the management account owns it. An inference from
        // the organization-trail policy, whose trail ARN "uses the management account ID", and
        // from the delegated-administrator page (the management account owns what it creates):
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
        let owner = match &self.organization {
            Some(org) => org.management.clone(),
            None => self.account.clone(),
        };
        let arn = TrailArn::new(
            partition,
            self.home_region.clone(),
            owner,
            self.name.clone(),
        )
        .map_err(|_| mismatch("home region", self.home_region.as_str(), partition))?;
        let create_trail = CreateTrailRequest {
            name: self.name.clone(),
            s3_bucket_name: self.bucket,
            s3_key_prefix: self.prefix,
            sns_topic_name: self.sns_topic,
            include_global_service_events: self.global_service_events,
            is_multi_region_trail: self.multi_region,
            enable_log_file_validation: self.log_file_validation,
            cloud_watch_logs_log_group_arn: cloudwatch_logs
                .as_ref()
                .map(CloudWatchLogs::log_group_arn),
            cloud_watch_logs_role_arn: cloudwatch_logs.as_ref().map(|c| c.role_arn().clone()),
            kms_key_id: self.kms_key,
            is_organization_trail: self.organization.is_some(),
            tags_list: tags,
        };
        let event_selectors = match selectors {
            Selectors::Classic(s) => PutEventSelectorsRequest {
                trail_name: arn.clone(),
                event_selectors: Some(s),
                advanced_event_selectors: None,
            },
            Selectors::Advanced(s) => PutEventSelectorsRequest {
                trail_name: arn.clone(),
                event_selectors: None,
                advanced_event_selectors: Some(s),
            },
        };
        let insight_selectors = if self.insights.is_empty() {
            None
        } else {
            Some(PutInsightSelectorsRequest {
                trail_name: arn.clone(),
                insight_selectors: self
                    .insights
                    .into_iter()
                    .map(InsightSelector::new)
                    .collect(),
            })
        };
        Ok(TrailConfig {
            create_trail,
            event_selectors,
            insight_selectors,
            arn,
            cloudwatch_logs,
            findings,
        })
    }
}

/// Checks `SnsTopicName`: 1 to 256 characters
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>). The
/// character rule is the crate's choice, covering topic names (letters, digits, `-`, `_`, and
/// `.fifo`) and topic ARNs (`:`).
fn check_sns_topic(topic: &str) -> Result<(), TrailError> {
    let len = topic.chars().count();
    if len == 0 || len > MAX_SNS_TOPIC_LEN {
        return Err(TrailError::SnsTopicLength {
            topic: topic.to_owned(),
            len,
        });
    }
    if !topic
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        return Err(TrailError::SnsTopicCharacter {
            topic: topic.to_owned(),
        });
    }
    Ok(())
}

/// Whether `c` matches the tag pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`
/// (`InvalidTagParameterException`, boto/botocore `botocore/data/cloudtrail/2013-11-01/service-2.json`).
/// `\p{L}` and `\p{N}` are approximated by Rust's alphabetic and numeric classes, `\p{Z}` by
/// non-control whitespace.
fn tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

/// Checks the tags: at most 50, keys 1 to 128 characters, values at most 256, unique keys.
fn check_tags(trail: &TrailName, tags: Vec<(String, String)>) -> Result<Vec<Tag>, TrailError> {
    if tags.len() > MAX_TAGS {
        return Err(TrailError::TooManyTags {
            trail: trail.clone(),
            count: tags.len(),
        });
    }
    let mut out: Vec<Tag> = Vec::with_capacity(tags.len());
    for (key, value) in tags {
        let err = |reason| TrailError::Tag {
            key: key.clone(),
            reason,
        };
        let key_len = key.chars().count();
        if key_len == 0 || key_len > 128 {
            return Err(err("tag keys must be 1 to 128 characters long"));
        }
        if value.chars().count() > 256 {
            return Err(err("tag values must be at most 256 characters long"));
        }
        if !key.chars().chain(value.chars()).all(tag_char) {
            return Err(err(
                "tag keys and values may contain only letters, digits, spaces and `_.:/=+-@`",
            ));
        }
        if out.iter().any(|t| t.key == key) {
            return Err(err("tag keys must be unique"));
        }
        out.push(Tag {
            value: (!value.is_empty()).then_some(value),
            key,
        });
    }
    Ok(out)
}

/// The selectors of a trail after the checks.
enum Selectors {
    Classic(Vec<EventSelector>),
    Advanced(Vec<AdvancedEventSelector>),
}

impl Selectors {
    fn logs_data_events(&self) -> bool {
        match self {
            Selectors::Classic(s) => s.iter().any(|s| s.data_values().next().is_some()),
            Selectors::Advanced(s) => s.iter().any(|s| s.category() == Some(EventCategory::Data)),
        }
    }

    /// (writes, reads) of management events.
    fn management_read_write(&self) -> (bool, bool) {
        match self {
            Selectors::Classic(s) => s.iter().filter(|s| s.includes_management_events()).fold(
                (false, false),
                |(w, r), s| {
                    let rw = s.read_write_type();
                    (w || rw.has_write(), r || rw != ReadWriteType::WriteOnly)
                },
            ),
            Selectors::Advanced(s) => s
                .iter()
                .map(AdvancedEventSelector::management_read_write)
                .fold((false, false), |(w, r), (sr, sw)| (w || sw, r || sr)),
        }
    }
}

fn check_selectors(
    trail: &TrailName,
    partition: Partition,
    classic: Vec<EventSelector>,
    advanced: Vec<AdvancedEventSelector>,
) -> Result<Selectors, TrailError> {
    match (classic.is_empty(), advanced.is_empty()) {
        (false, false) => Err(TrailError::MixedSelectorKinds {
            trail: trail.clone(),
        }),
        (true, true) => Ok(Selectors::Classic(vec![EventSelector::management(
            ReadWriteType::All,
        )])),
        (false, true) => {
            // Count the selectors as given, after every one is added (the peer's bug was to
            // check before adding the last).
            if classic.len() > MAX_EVENT_SELECTORS {
                return Err(TrailError::TooManyEventSelectors {
                    trail: trail.clone(),
                    count: classic.len(),
                });
            }
            for (i, s) in classic.iter().enumerate() {
                if !s.includes_management_events() && s.data_values().next().is_none() {
                    return Err(TrailError::EmptyEventSelector {
                        trail: trail.clone(),
                        index: i + 1,
                    });
                }
                if let Some(r) = s.data_values().find(|r| r.partition() != partition) {
                    return Err(TrailError::PartitionMismatch {
                        trail: trail.clone(),
                        what: "data resource",
                        value: r.as_str().to_owned(),
                        found: r.partition(),
                        expected: partition,
                    });
                }
            }
            // Across all selectors, not per selector:
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
            let count: usize = classic
                .iter()
                .map(EventSelector::counted_data_resources)
                .sum();
            if count > MAX_DATA_RESOURCES {
                return Err(TrailError::TooManyDataResources {
                    trail: trail.clone(),
                    count,
                });
            }
            Ok(Selectors::Classic(classic))
        }
        (true, false) => {
            for (i, s) in advanced.iter().enumerate() {
                s.validate()
                    .map_err(|reason| TrailError::AdvancedSelector {
                        trail: trail.clone(),
                        index: i + 1,
                        reason,
                    })?;
            }
            let count: usize = advanced
                .iter()
                .map(AdvancedEventSelector::value_count)
                .sum();
            if count > MAX_ADVANCED_VALUES {
                return Err(TrailError::TooManyAdvancedValues {
                    trail: trail.clone(),
                    count,
                });
            }
            Ok(Selectors::Advanced(advanced))
        }
    }
}

/// "To log CloudTrail Insights events on API call volume, the trail … must log write management
/// events. To log CloudTrail Insights events on API error rate, the trail … must log read or
/// write management events."
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutInsightSelectors.html>).
/// AWS does not name the exception in that text.
fn check_insights(
    trail: &TrailName,
    selectors: &Selectors,
    insights: &[InsightType],
) -> Result<(), TrailError> {
    let (writes, reads) = selectors.management_read_write();
    for insight in insights {
        match insight {
            InsightType::ApiCallRateInsight if !writes => {
                return Err(TrailError::InsightWithoutManagementEvents {
                    trail: trail.clone(),
                    insight: insight.as_str(),
                    needs: "write management events",
                });
            }
            InsightType::ApiErrorRateInsight if !writes && !reads => {
                return Err(TrailError::InsightWithoutManagementEvents {
                    trail: trail.clone(),
                    insight: insight.as_str(),
                    needs: "read or write management events",
                });
            }
            _ => {}
        }
    }
    Ok(())
}
