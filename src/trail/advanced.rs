//! Advanced event selectors (API Reference
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>;
//! field rules read in the CloudFormation reference
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudtrail-trail-advancedfieldselector.html>).

use serde::{Serialize, Serializer};

use super::selectors::ManagementEventSource;

/// The fields an advanced field selector can filter on for a trail (from the
/// `AdvancedFieldSelector` reference,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).
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

/// The event categories a trail's advanced selector can select
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).
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

    /// Checks the documented field rules
    /// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudtrail-trail-advancedfieldselector.html>).
    /// The choices where AWS is silent:
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
