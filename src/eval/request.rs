//! The request an evaluation answers: caller, action, resource and condition context.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// An unauthenticated caller. Only `"Principal": "*"` and `{"AWS": "*"}` name it.
    Anonymous,
    /// An AWS service principal, e.g. `cloudtrail.amazonaws.com`.
    Service(String),
    /// An IAM or STS ARN: a user, a role, an account root (`arn:aws:iam::123456789012:root`) or
    /// an assumed-role session (`arn:aws:sts::123456789012:assumed-role/Role/Session`). The
    /// account is read from the ARN; an ARN the evaluator cannot read matches only `*`.
    Aws(String),
}

/// The value of one condition key in the request context.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ContextValue {
    /// A single-valued key such as `aws:SourceArn`.
    Single(String),
    /// A multivalued key such as `aws:TagKeys`, tested only through `ForAllValues:` /
    /// `ForAnyValue:`.
    Multi(Vec<String>),
    /// A key the request carries with a value the caller does not know, such as
    /// `aws:CurrentTime` or `aws:SourceIp` in a probe: `Null` sees it present, every comparison
    /// of its value is unknown.
    Unknown,
    /// A single-valued key whose value is one of these, `None` standing for "absent": each
    /// condition on it is evaluated for every alternative, and decided only where all agree.
    /// For a request whose exact form AWS does not document, such as the encryption header of
    /// CloudTrail's SSE-S3 deliveries (absent or `AES256`).
    OneOf(Vec<Option<String>>),
}

/// One request to evaluate: caller, action, resource and condition context.
///
/// Condition key names are case-insensitive
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>):
/// setting a key that differs from an existing one only by case replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[must_use]
pub struct Request {
    caller: Caller,
    action: String,
    resource: String,
    // INVARIANT: each map key is the lowercase form of the key name stored beside the value.
    context: BTreeMap<String, (String, ContextValue)>,
}

impl Request {
    /// A request with an empty context. For a KMS key policy the resource is the key ARN (a
    /// key policy's `"Resource": "*"` means that key).
    pub fn new(caller: Caller, action: impl Into<String>, resource: impl Into<String>) -> Self {
        Request {
            caller,
            action: action.into(),
            resource: resource.into(),
            context: BTreeMap::new(),
        }
    }

    /// Sets a single-valued condition key.
    ///
    /// A key left out is absent, and AWS's rules for absent keys apply
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>):
    /// a plain operator is false, a negated one (`StringNotEquals`, `ArnNotLike`, …) is true,
    /// `…IfExists` is true, `Null: true` is true.
    pub fn with_context(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(key.into(), ContextValue::Single(value.into()))
    }

    /// Sets a multivalued condition key. An empty list is "an empty data set": `ForAllValues`
    /// is then true and `ForAnyValue` false.
    pub fn with_context_values(
        self,
        key: impl Into<String>,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let values = values.into_iter().map(Into::into).collect();
        self.insert(key.into(), ContextValue::Multi(values))
    }

    /// Marks a key as present with a value the caller does not know (see
    /// [`ContextValue::Unknown`]): a condition that compares it cannot be decided, one that
    /// only asks whether it exists can.
    pub fn with_unknown_context(self, key: impl Into<String>) -> Self {
        self.insert(key.into(), ContextValue::Unknown)
    }

    /// Sets a single-valued key to one of `alternatives`, `None` meaning absent (see
    /// [`ContextValue::OneOf`]).
    pub fn with_context_one_of(
        self,
        key: impl Into<String>,
        alternatives: impl IntoIterator<Item = Option<String>>,
    ) -> Self {
        let alternatives = alternatives.into_iter().collect();
        self.insert(key.into(), ContextValue::OneOf(alternatives))
    }

    fn insert(mut self, key: String, value: ContextValue) -> Self {
        self.context.insert(key.to_lowercase(), (key, value));
        self
    }

    /// The same request for another action.
    pub(crate) fn with_action(mut self, action: &str) -> Self {
        action.clone_into(&mut self.action);
        self
    }

    /// The caller.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The action, e.g. `s3:PutObject`.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The resource ARN.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The value of a condition key, looked up case-insensitively.
    pub fn context(&self, key: &str) -> Option<&ContextValue> {
        self.lookup(key)
    }

    /// Every context entry, by its key name as set, in the order of the lowercase names.
    pub fn context_entries(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.context.values().map(|(k, v)| (k.as_str(), v))
    }

    /// Case-insensitive lookup that allocates only when `key` has an uppercase letter.
    pub(crate) fn lookup(&self, key: &str) -> Option<&ContextValue> {
        let found = if key.chars().any(char::is_uppercase) {
            self.context.get(&key.to_lowercase())
        } else {
            self.context.get(key)
        };
        found.map(|(_, value)| value)
    }
}

impl Serialize for Request {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct CallerSer<'a>(&'a Caller);
        impl Serialize for CallerSer<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    Caller::Anonymous => s.serialize_str("anonymous"),
                    Caller::Service(name) => {
                        let mut m = s.serialize_map(Some(1))?;
                        m.serialize_entry("Service", name)?;
                        m.end()
                    }
                    Caller::Aws(arn) => {
                        let mut m = s.serialize_map(Some(1))?;
                        m.serialize_entry("AWS", arn)?;
                        m.end()
                    }
                }
            }
        }
        struct ContextSer<'a>(&'a BTreeMap<String, (String, ContextValue)>);
        impl Serialize for ContextSer<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (key, value) in self.0.values() {
                    match value {
                        ContextValue::Single(v) => m.serialize_entry(key, v)?,
                        ContextValue::Multi(vs) => m.serialize_entry(key, vs)?,
                        ContextValue::Unknown => m.serialize_entry(key, &None::<String>)?,
                        ContextValue::OneOf(alternatives) => {
                            let mut one_of = serde_json::Map::new();
                            one_of.insert("one_of".into(), serde_json::json!(alternatives));
                            m.serialize_entry(key, &one_of)?;
                        }
                    }
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("principal", &CallerSer(&self.caller))?;
        m.serialize_entry("action", &self.action)?;
        m.serialize_entry("resource", &self.resource)?;
        m.serialize_entry("context", &ContextSer(&self.context))?;
        m.end()
    }
}
