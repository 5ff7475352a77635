//! Event selectors (classic and advanced) and Insights selectors, as `PutEventSelectors` and
//! `PutInsightSelectors` take them (API Reference
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutInsightSelectors.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).

use serde::{Serialize, Serializer};

use crate::id::{BucketName, Partition, arn};

use super::error::TrailError;

/// `ReadWriteType` of a classic event selector. AWS's default is `All`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReadWriteType {
    /// Read and write events.
    All,
    /// Read-only events (`GetConsoleOutput`).
    ReadOnly,
    /// Write-only events (`RunInstances`).
    WriteOnly,
}

impl ReadWriteType {
    /// Every value.
    pub const ALL: [ReadWriteType; 3] = [
        ReadWriteType::All,
        ReadWriteType::ReadOnly,
        ReadWriteType::WriteOnly,
    ];

    /// The value as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadWriteType::All => "All",
            ReadWriteType::ReadOnly => "ReadOnly",
            ReadWriteType::WriteOnly => "WriteOnly",
        }
    }

    pub(crate) fn has_write(self) -> bool {
        matches!(self, ReadWriteType::All | ReadWriteType::WriteOnly)
    }

    pub(crate) fn has_read(self) -> bool {
        matches!(self, ReadWriteType::All | ReadWriteType::ReadOnly)
    }
}

/// A management event source that a classic selector can exclude: the API allows exactly these
/// two (`ExcludeManagementEventSources`,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ManagementEventSource {
    /// `kms.amazonaws.com`.
    Kms,
    /// `rdsdata.amazonaws.com`.
    RdsData,
}

impl Serialize for ReadWriteType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl ManagementEventSource {
    /// Both sources.
    pub const ALL: [ManagementEventSource; 2] =
        [ManagementEventSource::Kms, ManagementEventSource::RdsData];

    /// The event source string.
    pub fn as_str(self) -> &'static str {
        match self {
            ManagementEventSource::Kms => "kms.amazonaws.com",
            ManagementEventSource::RdsData => "rdsdata.amazonaws.com",
        }
    }
}

impl Serialize for ManagementEventSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The resource types a classic (basic) event selector supports: "Basic selectors support only
/// `AWS::DynamoDB::Table`, `AWS::Lambda::Function`, `AWS::S3::Object`"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DataResource.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataResourceType {
    /// `AWS::S3::Object`.
    S3Object,
    /// `AWS::Lambda::Function`.
    LambdaFunction,
    /// `AWS::DynamoDB::Table`.
    DynamoDbTable,
}

impl DataResourceType {
    /// The type string.
    pub fn as_str(self) -> &'static str {
        match self {
            DataResourceType::S3Object => "AWS::S3::Object",
            DataResourceType::LambdaFunction => "AWS::Lambda::Function",
            DataResourceType::DynamoDbTable => "AWS::DynamoDB::Table",
        }
    }

    /// What an exact ARN of the type is called in errors.
    fn arn_description(self) -> &'static str {
        match self {
            DataResourceType::S3Object => "s3 object arn",
            DataResourceType::LambdaFunction => "lambda function arn",
            DataResourceType::DynamoDbTable => "dynamodb table arn",
        }
    }
}

impl Serialize for DataResourceType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One data resource value of a classic event selector: an ARN or partial ARN of its type.
///
/// The forms are those of `DataResource.Values` in the API reference
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DataResource.html>): all S3
/// objects `arn:<partition>:s3`, one bucket `arn:<partition>:s3:::<bucket>/` (the trailing slash
/// is an empty object prefix), an object prefix `arn:<partition>:s3:::<bucket>/<prefix>`, all
/// Lambda functions `arn:<partition>:lambda`, one function by exact ARN, all DynamoDB tables
/// `arn:<partition>:dynamodb`, one table by exact ARN. The older model text reads
/// `arn:aws:s3:::` for all S3 objects; the crate writes the current documented `arn:aws:s3`.
/// AWS's examples all use `aws`; writing the trail's own partition elsewhere is an inference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataResource {
    kind: DataResourceType,
    value: String,
    partition: Partition,
    all: bool,
}

impl DataResource {
    fn new(kind: DataResourceType, partition: Partition, value: String, all: bool) -> Self {
        DataResource {
            kind,
            value,
            partition,
            all,
        }
    }

    /// Every S3 object: `arn:<partition>:s3`. Not counted against the 250 data resources.
    pub fn all_s3_objects(partition: Partition) -> Self {
        Self::new(
            DataResourceType::S3Object,
            partition,
            arn::service_wide(partition, "s3"),
            true,
        )
    }

    /// Every object of one bucket: `arn:<partition>:s3:::<bucket>/`.
    pub fn s3_bucket(partition: Partition, bucket: &BucketName) -> Self {
        Self::new(
            DataResourceType::S3Object,
            partition,
            bucket.object_arn(partition, ""),
            false,
        )
    }

    /// The objects of one bucket under a key prefix: `arn:<partition>:s3:::<bucket>/<prefix>`.
    ///
    /// # Errors
    ///
    /// [`TrailError::DataResource`] if the prefix is empty (use [`DataResource::s3_bucket`]),
    /// contains a control character, or `*` (selectors take no wildcards,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).
    pub fn s3_prefix(
        partition: Partition,
        bucket: &BucketName,
        prefix: &str,
    ) -> Result<Self, TrailError> {
        let err = |reason| TrailError::DataResource {
            kind: "s3 object prefix",
            input: prefix.to_owned(),
            reason,
        };
        if prefix.is_empty() {
            return Err(err(
                "the prefix must not be empty; log the whole bucket instead",
            ));
        }
        if prefix.chars().any(char::is_control) {
            return Err(err("control characters are not allowed"));
        }
        if prefix.contains('*') {
            return Err(err("selectors do not support wildcards like `*`"));
        }
        Ok(Self::new(
            DataResourceType::S3Object,
            partition,
            bucket.object_arn(partition, prefix),
            false,
        ))
    }

    /// Every Lambda function: `arn:<partition>:lambda`. Not counted against the 250.
    pub fn all_lambda_functions(partition: Partition) -> Self {
        Self::new(
            DataResourceType::LambdaFunction,
            partition,
            arn::service_wide(partition, "lambda"),
            true,
        )
    }

    /// One Lambda function by its exact ARN,
    /// `arn:<partition>:lambda:<region>:<account>:function:<name>` (AdvancedFieldSelector
    /// documentation; "Lambda function ARNs are exact", `DataResource.Values`). A qualified
    /// ARN (version or alias) is not the function's ARN.
    ///
    /// # Errors
    ///
    /// [`TrailError::DataResource`] if the value is not of that shape.
    pub fn lambda_function(arn: &str) -> Result<Self, TrailError> {
        Self::exact(
            DataResourceType::LambdaFunction,
            arn,
            ("lambda", "function:"),
            (
                ':',
                "expected an unqualified function arn (no version or alias)",
            ),
        )
    }

    /// Every DynamoDB table: `arn:<partition>:dynamodb`. Not counted against the 250.
    pub fn all_dynamodb_tables(partition: Partition) -> Self {
        Self::new(
            DataResourceType::DynamoDbTable,
            partition,
            arn::service_wide(partition, "dynamodb"),
            true,
        )
    }

    /// One DynamoDB table by its exact ARN,
    /// `arn:<partition>:dynamodb:<region>:<account>:table/<name>`.
    ///
    /// # Errors
    ///
    /// [`TrailError::DataResource`] if the value is not of that shape.
    pub fn dynamodb_table(arn: &str) -> Result<Self, TrailError> {
        Self::exact(
            DataResourceType::DynamoDbTable,
            arn,
            ("dynamodb", "table/"),
            ('/', "expected a table arn, not a stream or index arn"),
        )
    }

    /// One resource of `kind` by its exact ARN: `arn` of `service` with the resource
    /// `<prefix><name>`, where `name` holds no `forbidden` character (`why` says so).
    fn exact(
        kind: DataResourceType,
        arn: &str,
        (service, prefix): (&str, &str),
        (forbidden, why): (char, &'static str),
    ) -> Result<Self, TrailError> {
        let err = |reason| TrailError::DataResource {
            kind: kind.arn_description(),
            input: arn.to_owned(),
            reason,
        };
        let (partition, name) = exact_arn(arn, service, prefix).map_err(err)?;
        if name.contains(forbidden) {
            return Err(err(why));
        }
        Ok(Self::new(kind, partition, arn.to_owned(), false))
    }

    /// The resource type.
    pub fn kind(&self) -> DataResourceType {
        self.kind
    }

    /// The ARN or partial ARN, as sent.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The partition of the ARN.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// Whether this is an "all resources" form, which the 250 quota does not count ("The quota
    /// does not apply if you choose to log data events on all resources",
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>).
    pub fn is_all(&self) -> bool {
        self.all
    }
}

impl Serialize for DataResource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

/// Checks `arn:<partition>:<service>:<region>:<account>:<resource_prefix><name>` with a
/// non-empty region, a 12-digit account and a non-empty name without wildcards.
fn exact_arn<'a>(
    s: &'a str,
    service: &str,
    resource_prefix: &str,
) -> Result<(Partition, &'a str), &'static str> {
    const SHAPE: &str = "expected `arn:<partition>:<service>:<region>:<account>:<resource>`";
    let [_, partition, svc, region, account, resource] = arn::split(s).ok_or(SHAPE)?;
    if svc != service {
        return Err(SHAPE);
    }
    let partition =
        Partition::new(partition).map_err(|_| "the partition is not a known aws partition")?;
    let region = crate::id::Region::new(region).map_err(|_| "the region is invalid")?;
    if region.partition() != partition {
        return Err("the region does not belong to the partition");
    }
    crate::id::AccountId::new(account).map_err(|_| "the account id must be exactly 12 digits")?;
    let name = resource.strip_prefix(resource_prefix).ok_or(SHAPE)?;
    if name.is_empty() {
        return Err("the resource name must not be empty");
    }
    if name.contains(['*', '?']) {
        return Err("selectors do not support wildcards like `*`");
    }
    Ok((partition, name))
}

/// One `DataResources` entry: a type and its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DataResourceGroup {
    r#type: DataResourceType,
    values: Vec<DataResource>,
}

impl DataResourceGroup {
    /// The resource type.
    pub fn resource_type(&self) -> DataResourceType {
        self.r#type
    }

    /// The values, in the order given.
    pub fn values(&self) -> &[DataResource] {
        &self.values
    }
}

/// A classic event selector (`EventSelector`).
///
/// ```
/// use cloudtrail_policy::trail::{DataResource, EventSelector, ManagementEventSource, ReadWriteType};
/// use cloudtrail_policy::Partition;
/// let selector = EventSelector::management(ReadWriteType::All)
///     .excluding(ManagementEventSource::Kms)
///     .with_data(DataResource::all_lambda_functions(Partition::Aws));
/// assert!(selector.includes_management_events());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventSelector {
    read_write_type: ReadWriteType,
    include_management_events: bool,
    // INVARIANT: one group per type, in order of first use; no group is empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data_resources: Vec<DataResourceGroup>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    exclude_management_event_sources: Vec<ManagementEventSource>,
}

impl EventSelector {
    /// A selector that logs management events of `read_write` (and any data resources added).
    #[must_use]
    pub fn management(read_write: ReadWriteType) -> Self {
        EventSelector {
            read_write_type: read_write,
            include_management_events: true,
            data_resources: Vec::new(),
            exclude_management_event_sources: Vec::new(),
        }
    }

    /// A selector for data events only (`IncludeManagementEvents: false`). It must get at least
    /// one data resource, or the trail fails to build.
    #[must_use]
    pub fn data_only(read_write: ReadWriteType) -> Self {
        EventSelector {
            include_management_events: false,
            ..Self::management(read_write)
        }
    }

    /// Adds a data resource; values of the same type share one `DataResources` entry.
    #[must_use]
    pub fn with_data(mut self, resource: DataResource) -> Self {
        match self
            .data_resources
            .iter_mut()
            .find(|g| g.r#type == resource.kind)
        {
            Some(group) => {
                if !group.values.contains(&resource) {
                    group.values.push(resource);
                }
            }
            None => self.data_resources.push(DataResourceGroup {
                r#type: resource.kind,
                values: vec![resource],
            }),
        }
        self
    }

    /// Excludes a management event source (listed once, however often it is given).
    #[must_use]
    pub fn excluding(mut self, source: ManagementEventSource) -> Self {
        if !self.exclude_management_event_sources.contains(&source) {
            self.exclude_management_event_sources.push(source);
        }
        self
    }

    /// `ReadWriteType`.
    pub fn read_write_type(&self) -> ReadWriteType {
        self.read_write_type
    }

    /// `IncludeManagementEvents`.
    pub fn includes_management_events(&self) -> bool {
        self.include_management_events
    }

    /// `DataResources`, grouped by type.
    pub fn data_resources(&self) -> &[DataResourceGroup] {
        &self.data_resources
    }

    /// Every data resource value.
    pub fn data_values(&self) -> impl Iterator<Item = &DataResource> {
        self.data_resources.iter().flat_map(|g| g.values.iter())
    }

    /// The data resources that count against the 250-resource quota: every value except the
    /// "all resources" forms.
    pub fn counted_data_resources(&self) -> usize {
        self.data_values().filter(|r| !r.is_all()).count()
    }

    /// `ExcludeManagementEventSources`.
    pub fn excluded_sources(&self) -> &[ManagementEventSource] {
        &self.exclude_management_event_sources
    }
}

/// A CloudTrail Insights type (`InsightType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InsightType {
    /// `ApiCallRateInsight`: needs write management events.
    ApiCallRateInsight,
    /// `ApiErrorRateInsight`: needs read or write management events.
    ApiErrorRateInsight,
}

impl InsightType {
    /// Both types.
    pub const ALL: [InsightType; 2] = [
        InsightType::ApiCallRateInsight,
        InsightType::ApiErrorRateInsight,
    ];

    /// The type name.
    pub fn as_str(self) -> &'static str {
        match self {
            InsightType::ApiCallRateInsight => "ApiCallRateInsight",
            InsightType::ApiErrorRateInsight => "ApiErrorRateInsight",
        }
    }
}

impl Serialize for InsightType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One `InsightSelectors` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InsightSelector {
    insight_type: InsightType,
}

impl InsightSelector {
    pub(crate) fn new(insight_type: InsightType) -> Self {
        InsightSelector { insight_type }
    }

    /// `InsightType`.
    pub fn insight_type(&self) -> InsightType {
        self.insight_type
    }
}
