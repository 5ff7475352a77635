//! The request bodies: exactly the API members, `PascalCase`, absent optionals left out.

use serde::Serialize;

use crate::id::{BucketName, KeyPrefix, KmsKeyRef, PrincipalArn, TrailArn, TrailName};

use super::advanced::AdvancedEventSelector;
use super::selectors::{EventSelector, InsightSelector};

/// One tag: `Key` 1 to 128 characters, `Value` 1 to 256 characters or absent
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Tag.html>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub(super) key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) value: Option<String>,
}

impl Tag {
    /// `Key`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// `Value`, if any.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// The `CreateTrail` request body
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTrailRequest {
    pub(super) name: TrailName,
    pub(super) s3_bucket_name: BucketName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) s3_key_prefix: Option<KeyPrefix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) sns_topic_name: Option<String>,
    pub(super) include_global_service_events: bool,
    pub(super) is_multi_region_trail: bool,
    pub(super) enable_log_file_validation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) cloud_watch_logs_log_group_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) cloud_watch_logs_role_arn: Option<PrincipalArn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) kms_key_id: Option<KmsKeyRef>,
    pub(super) is_organization_trail: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) tags_list: Vec<Tag>,
}

impl CreateTrailRequest {
    /// `Name`.
    pub fn name(&self) -> &TrailName {
        &self.name
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

    /// `EnableLogFileValidation`.
    pub fn enable_log_file_validation(&self) -> bool {
        self.enable_log_file_validation
    }

    /// `CloudWatchLogsLogGroupArn`.
    pub fn cloud_watch_logs_log_group_arn(&self) -> Option<&str> {
        self.cloud_watch_logs_log_group_arn.as_deref()
    }

    /// `CloudWatchLogsRoleArn`.
    pub fn cloud_watch_logs_role_arn(&self) -> Option<&PrincipalArn> {
        self.cloud_watch_logs_role_arn.as_ref()
    }

    /// `KmsKeyId`.
    pub fn kms_key_id(&self) -> Option<&KmsKeyRef> {
        self.kms_key_id.as_ref()
    }

    /// `IsOrganizationTrail`.
    pub fn is_organization_trail(&self) -> bool {
        self.is_organization_trail
    }

    /// `TagsList`.
    pub fn tags_list(&self) -> &[Tag] {
        &self.tags_list
    }
}

/// The `PutEventSelectors` request body: the trail and either classic or advanced selectors,
/// never both
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html>).
///
/// `TrailName` takes a name or an ARN (same page); the crate writes the ARN, which pins the
/// trail's owner account and home region. For an organization trail made by a delegated
/// administrator the trail belongs to the management account, and a bare name may not find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventSelectorsRequest {
    pub(super) trail_name: TrailArn,
    // INVARIANT: exactly one of the two is `Some`, and it is non-empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) event_selectors: Option<Vec<EventSelector>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

impl PutEventSelectorsRequest {
    /// `TrailName`: the trail's ARN.
    pub fn trail_name(&self) -> &TrailArn {
        &self.trail_name
    }

    /// `EventSelectors`, when the trail uses classic selectors.
    pub fn event_selectors(&self) -> Option<&[EventSelector]> {
        self.event_selectors.as_deref()
    }

    /// `AdvancedEventSelectors`, when the trail uses advanced selectors.
    pub fn advanced_event_selectors(&self) -> Option<&[AdvancedEventSelector]> {
        self.advanced_event_selectors.as_deref()
    }
}

/// The `PutInsightSelectors` request body
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutInsightSelectors.html>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutInsightSelectorsRequest {
    pub(super) trail_name: TrailArn,
    pub(super) insight_selectors: Vec<InsightSelector>,
}

impl PutInsightSelectorsRequest {
    /// `TrailName`: the trail's ARN.
    pub fn trail_name(&self) -> &TrailArn {
        &self.trail_name
    }

    /// `InsightSelectors`.
    pub fn insight_selectors(&self) -> &[InsightSelector] {
        &self.insight_selectors
    }
}
