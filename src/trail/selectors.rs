//! Event selectors (classic and advanced) and Insights selectors, as `PutEventSelectors` and
//! `PutInsightSelectors` take them (facts §7.2, §7.3; API Reference
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).

use serde::{Serialize, Serializer};

use crate::id::{BucketName, Partition, split_arn};

use super::TrailError;

/// `ReadWriteType` of a classic event selector. AWS's default is `All`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ReadWriteType {
    /// Read and write events.
    All,
    /// Read-only events (`GetConsoleOutput`).
    ReadOnly,
    /// Write-only events (`RunInstances`).
    WriteOnly,
}

impl ReadWriteType {
    pub(crate) fn has_write(self) -> bool {
        matches!(self, ReadWriteType::All | ReadWriteType::WriteOnly)
    }
}

/// A management event source that a classic selector can exclude: the API allows exactly these
/// two (`ExcludeManagementEventSources`, facts §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ManagementEventSource {
    /// `kms.amazonaws.com`.
    Kms,
    /// `rdsdata.amazonaws.com`.
    RdsData,
}

impl ManagementEventSource {
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
/// `AWS::DynamoDB::Table`, `AWS::Lambda::Function`, `AWS::S3::Object`" (facts §7.2).
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
}

impl Serialize for DataResourceType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One data resource value of a classic event selector: an ARN or partial ARN of its type.
///
/// The forms are those of facts §7.2 (`DataResource.Values` in the API model): all S3 objects
/// `arn:<partition>:s3`, one bucket `arn:<partition>:s3:::<bucket>/` (the trailing slash is an
/// empty object prefix), an object prefix `arn:<partition>:s3:::<bucket>/<prefix>`, all Lambda
/// functions `arn:<partition>:lambda`, one function by exact ARN, all DynamoDB tables
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
            format!("arn:{partition}:s3"),
            true,
        )
    }

    /// Every object of one bucket: `arn:<partition>:s3:::<bucket>/`.
    pub fn s3_bucket(partition: Partition, bucket: &BucketName) -> Self {
        Self::new(
            DataResourceType::S3Object,
            partition,
            format!("arn:{partition}:s3:::{bucket}/"),
            false,
        )
    }

    /// The objects of one bucket under a key prefix: `arn:<partition>:s3:::<bucket>/<prefix>`.
    ///
    /// # Errors
    ///
    /// [`TrailError::DataResource`] if the prefix is empty (use [`DataResource::s3_bucket`]),
    /// contains a control character, or `*` (selectors take no wildcards, facts §7.2).
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
            format!("arn:{partition}:s3:::{bucket}/{prefix}"),
            false,
        ))
    }

    /// Every Lambda function: `arn:<partition>:lambda`. Not counted against the 250.
    pub fn all_lambda_functions(partition: Partition) -> Self {
        Self::new(
            DataResourceType::LambdaFunction,
            partition,
            format!("arn:{partition}:lambda"),
            true,
        )
    }

    /// One Lambda function by its exact ARN,
    /// `arn:<partition>:lambda:<region>:<account>:function:<name>` (AdvancedFieldSelector
    /// documentation; "Lambda function ARNs are exact", `DataResource.Values`).
    ///
    /// # Errors
    ///
    /// [`TrailError::DataResource`] if the value is not of that shape.
    pub fn lambda_function(arn: &str) -> Result<Self, TrailError> {
        let (partition, name) =
            exact_arn(arn, "lambda", "function:").map_err(|reason| TrailError::DataResource {
                kind: "lambda function arn",
                input: arn.to_owned(),
                reason,
            })?;
        if name.contains(':') {
            // A qualified ARN (version or alias) is not the function's ARN.
            return Err(TrailError::DataResource {
                kind: "lambda function arn",
                input: arn.to_owned(),
                reason: "expected an unqualified function arn (no version or alias)",
            });
        }
        Ok(Self::new(
            DataResourceType::LambdaFunction,
            partition,
            arn.to_owned(),
            false,
        ))
    }

    /// Every DynamoDB table: `arn:<partition>:dynamodb`. Not counted against the 250.
    pub fn all_dynamodb_tables(partition: Partition) -> Self {
        Self::new(
            DataResourceType::DynamoDbTable,
            partition,
            format!("arn:{partition}:dynamodb"),
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
        let (partition, name) =
            exact_arn(arn, "dynamodb", "table/").map_err(|reason| TrailError::DataResource {
                kind: "dynamodb table arn",
                input: arn.to_owned(),
                reason,
            })?;
        if name.contains('/') {
            return Err(TrailError::DataResource {
                kind: "dynamodb table arn",
                input: arn.to_owned(),
                reason: "expected a table arn, not a stream or index arn",
            });
        }
        Ok(Self::new(
            DataResourceType::DynamoDbTable,
            partition,
            arn.to_owned(),
            false,
        ))
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
    /// does not apply if you choose to log data events on all resources", facts §4).
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
    let [_, partition, svc, region, account, resource] = split_arn(s).ok_or(SHAPE)?;
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

/// The fields an advanced field selector can filter on for a trail (facts §7.2, from the
/// `AdvancedFieldSelector` reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Field {
    /// `eventCategory`: required, `Equals` only.
    EventCategory,
    /// `eventSource`.
    EventSource,
    /// `eventName`.
    EventName,
    /// `eventType`.
    EventType,
    /// `readOnly`: `Equals` only, `true` or `false`.
    ReadOnly,
    /// `resources.type`: `Equals` only, required for data events.
    ResourcesType,
    /// `resources.ARN`.
    ResourcesArn,
    /// `sessionCredentialFromConsole`: `Equals` or `NotEquals`.
    SessionCredentialFromConsole,
    /// `userIdentity.arn`.
    UserIdentityArn,
    /// `errorCode`: network activity events only, `Equals` `VpceAccessDenied`.
    ErrorCode,
    /// `vpcEndpointId`: network activity events only.
    VpcEndpointId,
}

impl Field {
    /// The field name as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::EventCategory => "eventCategory",
            Field::EventSource => "eventSource",
            Field::EventName => "eventName",
            Field::EventType => "eventType",
            Field::ReadOnly => "readOnly",
            Field::ResourcesType => "resources.type",
            Field::ResourcesArn => "resources.ARN",
            Field::SessionCredentialFromConsole => "sessionCredentialFromConsole",
            Field::UserIdentityArn => "userIdentity.arn",
            Field::ErrorCode => "errorCode",
            Field::VpcEndpointId => "vpcEndpointId",
        }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The operators of an advanced field selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// `Equals`.
    Equals,
    /// `StartsWith`.
    StartsWith,
    /// `EndsWith`.
    EndsWith,
    /// `NotEquals`.
    NotEquals,
    /// `NotStartsWith`.
    NotStartsWith,
    /// `NotEndsWith`.
    NotEndsWith,
}

impl Operator {
    /// Every operator, in the API model's member order.
    pub const ALL: [Operator; 6] = [
        Operator::Equals,
        Operator::StartsWith,
        Operator::EndsWith,
        Operator::NotEquals,
        Operator::NotStartsWith,
        Operator::NotEndsWith,
    ];

    /// The member name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "Equals",
            Operator::StartsWith => "StartsWith",
            Operator::EndsWith => "EndsWith",
            Operator::NotEquals => "NotEquals",
            Operator::NotStartsWith => "NotStartsWith",
            Operator::NotEndsWith => "NotEndsWith",
        }
    }
}

/// One field selector: a field and its operator lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedFieldSelector {
    field: Field,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    equals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    starts_with: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ends_with: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_equals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_starts_with: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_ends_with: Vec<String>,
}

impl AdvancedFieldSelector {
    /// A field selector with no conditions yet.
    #[must_use]
    pub fn new(field: Field) -> Self {
        AdvancedFieldSelector {
            field,
            equals: Vec::new(),
            starts_with: Vec::new(),
            ends_with: Vec::new(),
            not_equals: Vec::new(),
            not_starts_with: Vec::new(),
            not_ends_with: Vec::new(),
        }
    }

    /// Adds values to one operator.
    #[must_use]
    pub fn with(
        mut self,
        operator: Operator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.list_mut(operator)
            .extend(values.into_iter().map(Into::into));
        self
    }

    fn list_mut(&mut self, operator: Operator) -> &mut Vec<String> {
        match operator {
            Operator::Equals => &mut self.equals,
            Operator::StartsWith => &mut self.starts_with,
            Operator::EndsWith => &mut self.ends_with,
            Operator::NotEquals => &mut self.not_equals,
            Operator::NotStartsWith => &mut self.not_starts_with,
            Operator::NotEndsWith => &mut self.not_ends_with,
        }
    }

    /// The values of one operator.
    pub fn values(&self, operator: Operator) -> &[String] {
        match operator {
            Operator::Equals => &self.equals,
            Operator::StartsWith => &self.starts_with,
            Operator::EndsWith => &self.ends_with,
            Operator::NotEquals => &self.not_equals,
            Operator::NotStartsWith => &self.not_starts_with,
            Operator::NotEndsWith => &self.not_ends_with,
        }
    }

    /// The field.
    pub fn field(&self) -> Field {
        self.field
    }

    /// Every value of every operator: what the 500-value quota counts.
    pub fn value_count(&self) -> usize {
        Operator::ALL.iter().map(|op| self.values(*op).len()).sum()
    }

    fn operators_used(&self) -> impl Iterator<Item = Operator> + '_ {
        Operator::ALL
            .into_iter()
            .filter(|op| !self.values(*op).is_empty())
    }
}

/// The event categories a trail's advanced selector can select (facts §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventCategory {
    /// `Management`.
    Management,
    /// `Data`.
    Data,
    /// `NetworkActivity`.
    NetworkActivity,
}

impl EventCategory {
    /// The value as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EventCategory::Management => "Management",
            EventCategory::Data => "Data",
            EventCategory::NetworkActivity => "NetworkActivity",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "Management" => Some(EventCategory::Management),
            "Data" => Some(EventCategory::Data),
            "NetworkActivity" => Some(EventCategory::NetworkActivity),
            _ => None,
        }
    }

    fn allows(self, field: Field) -> bool {
        use Field as F;
        match self {
            EventCategory::Management => {
                matches!(field, F::EventCategory | F::EventSource | F::ReadOnly)
            }
            EventCategory::Data => matches!(
                field,
                F::EventCategory
                    | F::EventName
                    | F::EventSource
                    | F::EventType
                    | F::ResourcesType
                    | F::ReadOnly
                    | F::ResourcesArn
                    | F::SessionCredentialFromConsole
                    | F::UserIdentityArn
            ),
            EventCategory::NetworkActivity => matches!(
                field,
                F::EventCategory
                    | F::EventSource
                    | F::EventName
                    | F::ErrorCode
                    | F::VpcEndpointId
                    | F::UserIdentityArn
            ),
        }
    }
}

/// An advanced event selector (`AdvancedEventSelector`).
///
/// ```
/// use cloudtrail_policy::trail::{AdvancedEventSelector, Field, Operator};
/// let s3 = AdvancedEventSelector::data_events("AWS::S3::Object")
///     .with_name("one bucket")
///     .with_field(Field::ResourcesArn, Operator::StartsWith, ["arn:aws:s3:::my-bucket/"]);
/// assert_eq!(s3.value_count(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedEventSelector {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    field_selectors: Vec<AdvancedFieldSelector>,
}

impl AdvancedEventSelector {
    /// A selector with no field selectors yet.
    #[must_use]
    pub fn new() -> Self {
        AdvancedEventSelector {
            name: None,
            field_selectors: Vec::new(),
        }
    }

    /// Management events: `eventCategory Equals Management`.
    #[must_use]
    pub fn management_events() -> Self {
        Self::new().with_field(
            Field::EventCategory,
            Operator::Equals,
            [EventCategory::Management.as_str()],
        )
    }

    /// Data events of one resource type: `eventCategory Equals Data` and `resources.type Equals
    /// resource_type`.
    #[must_use]
    pub fn data_events(resource_type: &str) -> Self {
        Self::new()
            .with_field(
                Field::EventCategory,
                Operator::Equals,
                [EventCategory::Data.as_str()],
            )
            .with_field(Field::ResourcesType, Operator::Equals, [resource_type])
    }

    /// Sets `Name`.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds values to `operator` of `field`'s field selector (created if absent).
    #[must_use]
    pub fn with_field(
        mut self,
        field: Field,
        operator: Operator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        match self.field_selectors.iter_mut().find(|f| f.field == field) {
            Some(existing) => {
                existing
                    .list_mut(operator)
                    .extend(values.into_iter().map(Into::into));
            }
            None => self
                .field_selectors
                .push(AdvancedFieldSelector::new(field).with(operator, values)),
        }
        self
    }

    /// `Name`.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `FieldSelectors`.
    pub fn field_selectors(&self) -> &[AdvancedFieldSelector] {
        &self.field_selectors
    }

    /// Every value of every condition: what the 500-value quota counts.
    pub fn value_count(&self) -> usize {
        self.field_selectors
            .iter()
            .map(AdvancedFieldSelector::value_count)
            .sum()
    }

    fn field(&self, field: Field) -> Option<&AdvancedFieldSelector> {
        self.field_selectors.iter().find(|f| f.field == field)
    }

    /// The selected event category, if the selector is valid.
    pub fn category(&self) -> Option<EventCategory> {
        match self.field(Field::EventCategory)?.equals.as_slice() {
            [one] => EventCategory::parse(one),
            _ => None,
        }
    }

    /// (reads, writes): whether the selector logs read management events, and write ones.
    pub(crate) fn management_read_write(&self) -> (bool, bool) {
        if self.category() != Some(EventCategory::Management) {
            return (false, false);
        }
        match self.field(Field::ReadOnly) {
            None => (true, true),
            Some(ro) => (
                ro.equals.iter().any(|v| v == "true"),
                ro.equals.iter().any(|v| v == "false"),
            ),
        }
    }

    /// Checks the documented field rules (facts §7.2). The choices where AWS is silent:
    /// `eventCategory` must have exactly one value; a field appears in one field selector only;
    /// `resources.type` values must start with `AWS::`.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.name.as_ref().is_some_and(|n| n.chars().count() > 1000) {
            return Err("the name must be at most 1000 characters".to_owned());
        }
        if self.field_selectors.is_empty() {
            return Err("it has no field selectors".to_owned());
        }
        for (i, f) in self.field_selectors.iter().enumerate() {
            let name = f.field.as_str();
            if self
                .field_selectors
                .iter()
                .skip(i + 1)
                .any(|g| g.field == f.field)
            {
                return Err(format!("field `{name}` appears twice"));
            }
            if f.value_count() == 0 {
                return Err(format!("field `{name}` has no condition"));
            }
            for op in f.operators_used() {
                for v in f.values(op) {
                    let len = v.chars().count();
                    if len == 0 || len > 2048 {
                        return Err(format!(
                            "a value of field `{name}` has {len} characters: 1 to 2048 are allowed"
                        ));
                    }
                    if v.contains('*') {
                        return Err(format!(
                            "value `{v}` of field `{name}`: selectors do not support wildcards like `*`"
                        ));
                    }
                }
            }
        }
        let category_field = self
            .field(Field::EventCategory)
            .ok_or("the field `eventCategory` is required")?;
        if category_field
            .operators_used()
            .any(|op| op != Operator::Equals)
        {
            return Err("`eventCategory` allows only `Equals`".to_owned());
        }
        let category = self.category().ok_or(
            "`eventCategory` must equal exactly one of `Management`, `Data`, `NetworkActivity`",
        )?;
        for f in &self.field_selectors {
            let name = f.field.as_str();
            if !category.allows(f.field) {
                return Err(format!(
                    "field `{name}` is not allowed for `{}` events",
                    category.as_str()
                ));
            }
            let only = |allowed: &[Operator]| -> Result<(), String> {
                match f.operators_used().find(|op| !allowed.contains(op)) {
                    Some(op) => Err(format!(
                        "field `{name}` does not allow the operator `{}`",
                        op.as_str()
                    )),
                    None => Ok(()),
                }
            };
            match f.field {
                Field::ReadOnly => {
                    only(&[Operator::Equals])?;
                    if f.equals.iter().any(|v| v != "true" && v != "false") {
                        return Err("`readOnly` must equal `true` or `false`".to_owned());
                    }
                }
                Field::ResourcesType => {
                    only(&[Operator::Equals])?;
                    if f.equals.len() != 1 {
                        return Err("`resources.type` must equal exactly one type".to_owned());
                    }
                    if f.equals.iter().any(|v| !v.starts_with("AWS::")) {
                        return Err(
                            "`resources.type` values look like `AWS::S3::Object`".to_owned()
                        );
                    }
                }
                Field::EventSource if category == EventCategory::Management => {
                    only(&[Operator::NotEquals])?;
                    if f.not_equals.iter().any(|v| {
                        v != ManagementEventSource::Kms.as_str()
                            && v != ManagementEventSource::RdsData.as_str()
                    }) {
                        return Err("for management events `eventSource` may only exclude `kms.amazonaws.com` or `rdsdata.amazonaws.com`".to_owned());
                    }
                }
                Field::EventSource if category == EventCategory::NetworkActivity => {
                    only(&[Operator::Equals])?;
                }
                Field::ErrorCode => {
                    only(&[Operator::Equals])?;
                    if f.equals.iter().any(|v| v != "VpceAccessDenied") {
                        return Err("`errorCode` must equal `VpceAccessDenied`".to_owned());
                    }
                }
                Field::SessionCredentialFromConsole => {
                    only(&[Operator::Equals, Operator::NotEquals])?;
                }
                _ => {}
            }
        }
        if category == EventCategory::Data && self.field(Field::ResourcesType).is_none() {
            return Err("data events need the field `resources.type`".to_owned());
        }
        if category == EventCategory::NetworkActivity && self.field(Field::EventSource).is_none() {
            return Err("network activity events need the field `eventSource`".to_owned());
        }
        Ok(())
    }
}

impl Default for AdvancedEventSelector {
    fn default() -> Self {
        Self::new()
    }
}

/// A CloudTrail Insights type (`InsightType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum InsightType {
    /// `ApiCallRateInsight`: needs write management events.
    ApiCallRateInsight,
    /// `ApiErrorRateInsight`: needs read or write management events.
    ApiErrorRateInsight,
}

impl InsightType {
    /// The type name.
    pub fn as_str(self) -> &'static str {
        match self {
            InsightType::ApiCallRateInsight => "ApiCallRateInsight",
            InsightType::ApiErrorRateInsight => "ApiErrorRateInsight",
        }
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
