//! [`TrailError`]: why a trail configuration cannot be built.

use thiserror::Error;

use crate::id::ParseError;
use crate::id::{AccountId, Partition, Region, TrailName};

/// A trail configuration that AWS would refuse, or that the crate refuses on purpose.
///
/// Where AWS names the exception it would throw, the message ends with it in parentheses. The
/// exception names come from the CloudTrail API model (`aws/api-models-aws`,
/// `models/cloudtrail/service/2013-11-01/cloudtrail-2013-11-01.json`, the `errors` lists of
/// `CreateTrail`, `PutEventSelectors` and `PutInsightSelectors`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TrailError {
    /// The bucket name breaks CloudTrail's stricter bucket naming rule.
    #[error("bucket `{bucket}` cannot receive cloudtrail logs (InvalidS3BucketNameException)")]
    Bucket {
        /// The bucket name.
        bucket: String,
        /// The broken rule.
        #[source]
        source: ParseError,
    },
    /// `SnsTopicName` is empty or longer than 256 characters.
    #[error(
        "sns topic `{topic}` has {len} characters: 1 to 256 are allowed (InvalidSnsTopicNameException)"
    )]
    SnsTopicLength {
        /// The topic name or ARN.
        topic: String,
        /// Its length in characters.
        len: usize,
    },
    /// `SnsTopicName` contains a character that is neither a topic-name character nor part of an
    /// ARN.
    #[error(
        "sns topic `{topic}` may contain only ascii letters, digits, `-`, `_`, `.` and `:` (InvalidSnsTopicNameException)"
    )]
    SnsTopicCharacter {
        /// The topic name or ARN.
        topic: String,
    },
    /// An organization trail is requested from an account that is neither the management account
    /// nor a delegated administrator.
    #[error(
        "account `{account}` cannot create organization trail `{trail}`: only the management account `{management}` or a delegated administrator can (NotOrganizationMasterAccountException)"
    )]
    NotOrganizationAdministrator {
        /// The trail.
        trail: TrailName,
        /// The account asked to create it.
        account: AccountId,
        /// The organization's management account.
        management: AccountId,
    },
    /// An organization trail built without its organization's id delivers to CloudWatch Logs,
    /// whose role policy must name the organization's log streams.
    #[error(
        "organization trail `{trail}` delivers to cloudwatch logs, whose role policy names the organization's log streams: name the organization id"
    )]
    OrganizationIdNeeded {
        /// The trail.
        trail: TrailName,
    },
    /// A value is in another partition than the trail's home Region.
    #[error("{what} `{value}` is in partition `{found}`, but trail `{trail}` is in `{expected}`")]
    PartitionMismatch {
        /// The trail.
        trail: TrailName,
        /// What the value is, in words.
        what: &'static str,
        /// The value.
        value: String,
        /// Its partition.
        found: Partition,
        /// The trail's partition.
        expected: Partition,
    },
    /// More than 50 tags.
    #[error(
        "trail `{trail}` has {count} tags: at most 50 are allowed (TagsLimitExceededException)"
    )]
    TooManyTags {
        /// The trail.
        trail: TrailName,
        /// The number of tags given.
        count: usize,
    },
    /// A tag key or value of the wrong length or with a character outside the tag pattern, or a
    /// duplicated key.
    #[error("invalid tag `{key}`: {reason} (InvalidTagParameterException)")]
    Tag {
        /// The tag key.
        key: String,
        /// The broken rule, in words.
        reason: &'static str,
    },
    /// A CloudWatch Logs log group name or ARN that CloudTrail would refuse.
    #[error(
        "invalid cloudwatch logs log group `{input}`: {reason} (InvalidCloudWatchLogsLogGroupArnException)"
    )]
    LogGroup {
        /// The log group name or ARN, as given.
        input: String,
        /// The broken rule, in words.
        reason: &'static str,
    },
    /// A CloudWatch Logs role that CloudTrail would refuse.
    #[error(
        "invalid cloudwatch logs role `{input}`: {reason} (InvalidCloudWatchLogsRoleArnException)"
    )]
    LogRole {
        /// The role ARN.
        input: String,
        /// The broken rule, in words.
        reason: &'static str,
    },
    /// A log group in another account or Region than the account that creates the trail (for
    /// an organization trail made by a delegated administrator, that administrator's account).
    #[error(
        "log group `{log_group}` must be in account `{account}`, which creates the trail, and in its home region `{region}` (InvalidCloudWatchLogsLogGroupArnException)"
    )]
    LogGroupLocation {
        /// The log group ARN.
        log_group: String,
        /// The account that creates the trail.
        account: AccountId,
        /// The trail's home Region.
        region: Region,
    },
    /// Both classic and advanced event selectors.
    #[error(
        "trail `{trail}` has both event selectors and advanced event selectors: use one kind (InvalidEventSelectorsException)"
    )]
    MixedSelectorKinds {
        /// The trail.
        trail: TrailName,
    },
    /// More than 5 event selectors.
    #[error(
        "trail `{trail}` has {count} event selectors: at most 5 are allowed (InvalidEventSelectorsException)"
    )]
    TooManyEventSelectors {
        /// The trail.
        trail: TrailName,
        /// The number of selectors given.
        count: usize,
    },
    /// More than 250 data resources across all event selectors.
    #[error(
        "trail `{trail}` has {count} data resources across its event selectors: at most 250 are allowed (InvalidEventSelectorsException)"
    )]
    TooManyDataResources {
        /// The trail.
        trail: TrailName,
        /// The number of counted data resources.
        count: usize,
    },
    /// An event selector that logs nothing: management events off and no data resources.
    #[error(
        "event selector {index} of trail `{trail}` logs nothing: it excludes management events and has no data resources (InvalidEventSelectorsException)"
    )]
    EmptyEventSelector {
        /// The trail.
        trail: TrailName,
        /// The selector's position, from 1.
        index: usize,
    },
    /// More than 500 values across all advanced event selectors.
    #[error(
        "trail `{trail}` has {count} values across its advanced event selectors: at most 500 are allowed (InvalidEventSelectorsException)"
    )]
    TooManyAdvancedValues {
        /// The trail.
        trail: TrailName,
        /// The number of values.
        count: usize,
    },
    /// An advanced event selector breaks a documented field rule.
    #[error(
        "advanced event selector {index} of trail `{trail}` is invalid: {reason} (InvalidEventSelectorsException)"
    )]
    AdvancedSelector {
        /// The trail.
        trail: TrailName,
        /// The selector's position, from 1.
        index: usize,
        /// The broken rule, in words.
        reason: String,
    },
    /// A data resource value that cannot be an ARN of its type.
    #[error("invalid {kind} `{input}`: {reason}")]
    DataResource {
        /// The kind of resource, in words.
        kind: &'static str,
        /// The value, as given.
        input: String,
        /// The broken rule, in words.
        reason: &'static str,
    },
    /// An Insights type whose management events the trail does not log.
    #[error("trail `{trail}` cannot log {insight}: it needs {needs}")]
    InsightWithoutManagementEvents {
        /// The trail.
        trail: TrailName,
        /// The insight type.
        insight: &'static str,
        /// What it needs, in words.
        needs: &'static str,
    },
}
