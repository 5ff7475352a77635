//! The generic IAM policy document: parses any bucket or key policy a user hands in (to merge
//! into, lint or evaluate) and serializes it deterministically.
//!
//! This type is deliberately separate from the builders of the crate's own policies: it can hold
//! any policy AWS accepts, wide ones included. The builders produce it; they never take it apart.
//!
//! Grammar: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer};

pub(crate) mod grammar;

pub use grammar::{ActionRule, OperatorRule, ResourceRule};

use crate::json::Json;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// The two policy language versions AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2012-10-17`, the current version (policy variables are supported).
    V2012_10_17,
    /// `2008-10-17`, the original version.
    V2008_10_17,
}

impl Version {
    /// The version string as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// The statement grants access.
    Allow,
    /// The statement denies access; an explicit deny beats any allow.
    Deny,
}

impl Effect {
    /// `"Allow"` or `"Deny"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A positive element (`Action`) or its negated twin (`NotAction`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Clause<T> {
    /// `Principal`, `Action`, `Resource`: applies to the listed values.
    Is(T),
    /// `NotPrincipal`, `NotAction`, `NotResource`: applies to everything but the listed values.
    Not(T),
}

impl<T> Clause<T> {
    /// The listed values, whichever form the element takes.
    pub fn value(&self) -> &T {
        match self {
            Clause::Is(v) | Clause::Not(v) => v,
        }
    }

    /// True for the `Not…` form.
    pub fn is_not(&self) -> bool {
        matches!(self, Clause::Not(_))
    }
}

/// The kinds of principal a policy can name, in the order they serialize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalType {
    /// `AWS`: account ids, account roots, roles, users, or `*`.
    Aws,
    /// `CanonicalUser`: an S3 canonical user id.
    CanonicalUser,
    /// `Federated`: a web identity or SAML provider.
    Federated,
    /// `Service`: an AWS service principal such as `cloudtrail.amazonaws.com`.
    Service,
}

impl PrincipalType {
    /// The key as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Aws => "AWS",
            PrincipalType::CanonicalUser => "CanonicalUser",
            PrincipalType::Federated => "Federated",
            PrincipalType::Service => "Service",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "AWS" => Some(PrincipalType::Aws),
            "CanonicalUser" => Some(PrincipalType::CanonicalUser),
            "Federated" => Some(PrincipalType::Federated),
            "Service" => Some(PrincipalType::Service),
            _ => None,
        }
    }
}

/// The value of `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    /// `"*"`: everyone, anonymous callers included.
    Any,
    /// A map such as `{"AWS": [...], "Service": "..."}`.
    Typed(BTreeMap<PrincipalType, Vec<String>>),
}

impl Principal {
    /// A principal block naming one kind of principal.
    pub fn of(kind: PrincipalType, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(kind, values.into_iter().map(Into::into).collect());
        Principal::Typed(map)
    }

    /// `{"Service": service}`.
    pub fn service(service: impl Into<String>) -> Self {
        Principal::of(PrincipalType::Service, [service.into()])
    }

    /// `{"AWS": [...]}`.
    pub fn aws(values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Principal::of(PrincipalType::Aws, values)
    }
}

/// `Condition`: operator → condition key → values. Several operators are ANDed, several keys
/// are ANDed, several values are ORed. Both maps are sorted, so serialization is deterministic.
pub type Conditions = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Statement {
    sid: Option<String>,
    effect: Effect,
    principal: Option<Clause<Principal>>,
    action: Option<Clause<Vec<String>>>,
    resource: Option<Clause<Vec<String>>>,
    condition: Conditions,
}

impl Statement {
    /// A statement with the given effect and nothing else yet.
    #[must_use]
    pub fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            action: None,
            resource: None,
            condition: BTreeMap::new(),
        }
    }

    /// Sets `Sid`.
    #[must_use]
    pub fn with_sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Sets `Principal` (or `NotPrincipal` with [`Clause::Not`]).
    #[must_use]
    pub fn with_principal(mut self, principal: Clause<Principal>) -> Self {
        self.principal = Some(principal);
        self
    }

    /// Sets `Action` (or `NotAction`).
    #[must_use]
    pub fn with_action(mut self, action: Clause<Vec<String>>) -> Self {
        self.action = Some(action);
        self
    }

    /// Sets `Resource` (or `NotResource`).
    #[must_use]
    pub fn with_resource(mut self, resource: Clause<Vec<String>>) -> Self {
        self.resource = Some(resource);
        self
    }

    /// Adds values under `operator` → `key`, after any values already there.
    #[must_use]
    pub fn with_condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.condition
            .entry(operator.into())
            .or_default()
            .entry(key.into())
            .or_default()
            .extend(values.into_iter().map(Into::into));
        self
    }

    /// `Sid`, if any.
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// `Effect`.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// `Principal` or `NotPrincipal`, if any.
    pub fn principal(&self) -> Option<&Clause<Principal>> {
        self.principal.as_ref()
    }

    /// `Action` or `NotAction`, if any.
    pub fn action(&self) -> Option<&Clause<Vec<String>>> {
        self.action.as_ref()
    }

    /// `Resource` or `NotResource`, if any.
    pub fn resource(&self) -> Option<&Clause<Vec<String>>> {
        self.resource.as_ref()
    }

    /// `Condition`, empty when the statement has none.
    pub fn condition(&self) -> &Conditions {
        &self.condition
    }
}

/// A whole policy document: `Version`, `Id`, `Statement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PolicyDocument {
    version: Option<Version>,
    id: Option<String>,
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// A `2012-10-17` document with these statements.
    pub fn new(statements: Vec<Statement>) -> Self {
        PolicyDocument {
            version: Some(Version::V2012_10_17),
            id: None,
            statements,
        }
    }

    /// Sets `Id`.
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Parses a policy as AWS accepts it.
    ///
    /// # Errors
    /// [`DocumentError`] for malformed JSON and for every shape AWS rejects or documents as not
    /// allowed: an unknown or duplicated element, an `Effect` other than `Allow`/`Deny`, both
    /// `Action` and `NotAction` (likewise `Resource`, `Principal`), a missing `Effect`,
    /// `Principal`, action or resource, an unknown `Version`, an action without a service
    /// prefix or with a wildcard in it ([`ActionRule`]), a resource that is neither `*` nor a
    /// six-field ARN, or has a wildcard in its service or resource type ([`ResourceRule`]), an
    /// unknown or mis-cased condition operator or `NullIfExists` ([`OperatorRule`]). Each rule
    /// and the AWS page behind it is documented on its type; where AWS documents a rule but not
    /// the error S3 or KMS return, the crate refuses the policy rather than read it one way.
    ///
    /// ```
    /// use cloudtrail_policy::document::PolicyDocument;
    /// let doc = PolicyDocument::from_json(r#"{"Version":"2012-10-17","Statement":{
    ///     "Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*",
    ///     "Condition":{"Bool":{"aws:SecureTransport":false}}}}"#)?;
    /// assert_eq!(doc.statements().len(), 1);
    /// assert_eq!(doc.to_json(), r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#);
    /// # Ok::<(), cloudtrail_policy::document::DocumentError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let tree: Json =
            serde_json::from_str(text).map_err(|e| DocumentError::Json(e.to_string()))?;
        Self::from_tree(tree)
    }

    /// `Version`, if the document states one (AWS then assumes `2008-10-17`).
    pub fn version(&self) -> Option<Version> {
        self.version
    }

    /// `Id`, if any.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Consumes the document, giving its statements.
    pub fn into_statements(self) -> Vec<Statement> {
        self.statements
    }

    /// The same document (`Version` and `Id` kept) with other statements: what a merge into an
    /// existing policy returns.
    #[must_use]
    pub fn with_statements(&self, statements: Vec<Statement>) -> Self {
        PolicyDocument {
            version: self.version,
            id: self.id.clone(),
            statements,
        }
    }

    /// The minified JSON: AWS's element order, condition maps sorted, one-element lists as
    /// plain strings.
    pub fn to_json(&self) -> String {
        // INVARIANT: serializing this type cannot fail: every map key is a string and no
        // Serialize impl here returns an error, so the default is never taken.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The pretty JSON (two-space indent), as written to files.
    pub fn to_json_pretty(&self) -> String {
        // INVARIANT: as in `to_json`.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Bytes of the minified form: what the crate measures against the 20,480-byte S3 and
    /// 32,768-byte KMS limits
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html>,
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>). AWS does
    /// not say whether whitespace counts, so the crate counts the smallest form and reports the
    /// pretty one too.
    ///
    /// Counted while serializing, without building the text (the plan measures policies of
    /// thousands of accounts several times).
    pub fn minified_len(&self) -> usize {
        let mut counter = ByteCounter(0);
        // INVARIANT: as in `to_json`; the counter's writes never fail.
        match serde_json::to_writer(&mut counter, self) {
            Ok(()) => counter.0,
            Err(_) => self.to_json().len(),
        }
    }

    /// Bytes of the pretty form, counted the same way.
    pub fn pretty_len(&self) -> usize {
        let mut counter = ByteCounter(0);
        match serde_json::to_writer_pretty(&mut counter, self) {
            Ok(()) => counter.0,
            Err(_) => self.to_json_pretty().len(),
        }
    }

    fn from_tree(tree: Json) -> Result<Self, DocumentError> {
        let Json::Object(members) = tree else {
            return Err(DocumentError::NotAnObject);
        };
        let mut version = None;
        let mut id = None;
        let mut statements = None;
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in members {
            if seen.contains(&name) {
                return Err(DocumentError::DuplicateElement { element: name });
            }
            seen.push(name.clone());
            match name.as_str() {
                "Version" => {
                    version = Some(match value {
                        Json::String(s) if s == "2012-10-17" => Version::V2012_10_17,
                        Json::String(s) if s == "2008-10-17" => Version::V2008_10_17,
                        other => {
                            return Err(DocumentError::Version {
                                found: other.describe(),
                            });
                        }
                    });
                }
                "Id" => match value {
                    Json::String(s) => id = Some(s),
                    other => {
                        return Err(DocumentError::ElementType {
                            element: "Id".into(),
                            expected: "a string",
                            found: other.describe(),
                        });
                    }
                },
                "Statement" => {
                    let items = match value {
                        Json::Array(items) => items,
                        object @ Json::Object(_) => vec![object],
                        other => {
                            return Err(DocumentError::ElementType {
                                element: "Statement".into(),
                                expected: "an object or an array of objects",
                                found: other.describe(),
                            });
                        }
                    };
                    let mut parsed = Vec::with_capacity(items.len());
                    for (index, item) in items.into_iter().enumerate() {
                        parsed.push(parse_statement(index, item)?);
                    }
                    statements = Some(parsed);
                }
                _ => return Err(DocumentError::UnknownElement { element: name }),
            }
        }
        let statements = statements.ok_or(DocumentError::MissingStatement)?;
        Ok(PolicyDocument {
            version,
            id,
            statements,
        })
    }
}

impl std::str::FromStr for PolicyDocument {
    type Err = DocumentError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PolicyDocument::from_json(s)
    }
}

/// Where in a document a statement error is: its index, and its `Sid` when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    /// Zero-based position in `Statement`.
    pub index: usize,
    /// `Sid`, when the statement has a readable one.
    pub sid: Option<String>,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) => write!(f, "statement {} (`{}`)", self.index, sid),
            None => write!(f, "statement {}", self.index),
        }
    }
}

/// Why a policy document was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The text is not JSON.
    #[error("invalid policy json: {0}")]
    Json(String),
    /// The top level is not an object.
    #[error("invalid policy: expected a json object")]
    NotAnObject,
    /// No `Statement` element.
    #[error("invalid policy: missing `Statement`")]
    MissingStatement,
    /// A top-level element AWS does not know.
    #[error("invalid policy: unknown element `{element}`")]
    UnknownElement {
        /// The element name as written.
        element: String,
    },
    /// A top-level element given twice.
    #[error("invalid policy: element `{element}` appears twice")]
    DuplicateElement {
        /// The element name.
        element: String,
    },
    /// `Version` is neither `2012-10-17` nor `2008-10-17`.
    #[error("invalid policy: unsupported `Version` {found}: expected `2012-10-17` or `2008-10-17`")]
    Version {
        /// What the document has instead.
        found: String,
    },
    /// A top-level element of the wrong JSON type.
    #[error("invalid policy: `{element}` must be {expected}, found {found}")]
    ElementType {
        /// The element name.
        element: String,
        /// What AWS accepts there.
        expected: &'static str,
        /// What the document has instead.
        found: String,
    },
    /// A statement is malformed.
    #[error("invalid policy: {at}: {reason}")]
    Statement {
        /// Which statement.
        at: StatementRef,
        /// What is wrong with it.
        reason: StatementRule,
    },
}

/// What is wrong with one statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatementRule {
    /// The statement is not a JSON object.
    #[error("expected a json object, found {found}")]
    NotAnObject {
        /// What the document has instead.
        found: String,
    },
    /// An element AWS does not know.
    #[error("unknown element `{element}`")]
    UnknownElement {
        /// The element name as written.
        element: String,
    },
    /// An element given twice.
    #[error("element `{element}` appears twice")]
    DuplicateElement {
        /// The element name.
        element: String,
    },
    /// No `Effect`.
    #[error("missing `Effect`")]
    MissingEffect,
    /// `Effect` is not `Allow` or `Deny` (case-sensitive).
    #[error("`Effect` must be `Allow` or `Deny`, found {found}")]
    Effect {
        /// What the statement has instead.
        found: String,
    },
    /// Neither `Action` nor `NotAction`.
    #[error("missing `Action` or `NotAction`")]
    MissingAction,
    /// Neither `Principal` nor `NotPrincipal`: "You must use the Principal element in
    /// resource-based policies"
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).
    #[error(
        "missing `Principal` or `NotPrincipal`: a bucket or key policy names who it applies to"
    )]
    MissingPrincipal,
    /// Neither `Resource` nor `NotResource`: "Statements must include either a Resource or a
    /// NotResource element"
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
    /// KMS accepts such a key-policy statement and ignores it; the crate rejects it there too.
    #[error(
        "missing `Resource` or `NotResource` (in a key policy, `\"Resource\": \"*\"` means the key)"
    )]
    MissingResource,
    /// An `Action`/`NotAction` value AWS does not accept.
    #[error("invalid action `{value}`: {rule}")]
    Action {
        /// The value as written.
        value: String,
        /// The rule it breaks.
        rule: ActionRule,
    },
    /// A `Resource`/`NotResource` value AWS does not accept.
    #[error("invalid resource `{value}`: {rule}")]
    Resource {
        /// The value as written.
        value: String,
        /// The rule it breaks.
        rule: ResourceRule,
    },
    /// A condition operator AWS does not accept.
    #[error("invalid condition operator `{name}`: {rule}")]
    Operator {
        /// The operator as written.
        name: String,
        /// The rule it breaks.
        rule: OperatorRule,
    },
    /// Both forms of an element, e.g. `Action` and `NotAction`.
    #[error("`{element}` and `Not{element}` cannot both appear")]
    Both {
        /// `Principal`, `Action` or `Resource`.
        element: &'static str,
    },
    /// An element of the wrong JSON type.
    #[error("`{element}` must be {expected}, found {found}")]
    ElementType {
        /// The element (or condition path) name.
        element: String,
        /// What AWS accepts there.
        expected: &'static str,
        /// What the statement has instead.
        found: String,
    },
    /// A principal map key other than `AWS`, `Service`, `Federated`, `CanonicalUser`.
    #[error(
        "unknown principal type `{found}`: expected `AWS`, `Service`, `Federated` or `CanonicalUser`"
    )]
    PrincipalType {
        /// The key as written.
        found: String,
    },
}

fn parse_statement(index: usize, item: Json) -> Result<Statement, DocumentError> {
    let Json::Object(members) = item else {
        return Err(DocumentError::Statement {
            at: StatementRef { index, sid: None },
            reason: StatementRule::NotAnObject {
                found: item.describe(),
            },
        });
    };
    // The Sid names the statement in every later error, so find it first.
    let sid = members.iter().find_map(|(k, v)| match (k.as_str(), v) {
        ("Sid", Json::String(s)) => Some(s.clone()),
        _ => None,
    });
    let at = StatementRef { index, sid };
    let fail = |reason: StatementRule| DocumentError::Statement {
        at: at.clone(),
        reason,
    };

    let mut seen: Vec<String> = Vec::new();
    let mut sid = None;
    let mut effect = None;
    let mut principal = None;
    let mut action = None;
    let mut resource = None;
    let mut condition = BTreeMap::new();
    for (name, value) in members {
        if seen.contains(&name) {
            return Err(fail(StatementRule::DuplicateElement { element: name }));
        }
        seen.push(name.clone());
        match name.as_str() {
            "Sid" => match value {
                Json::String(s) => sid = Some(s),
                other => {
                    return Err(fail(StatementRule::ElementType {
                        element: name,
                        expected: "a string",
                        found: other.describe(),
                    }));
                }
            },
            "Effect" => match value {
                Json::String(s) if s == "Allow" => effect = Some(Effect::Allow),
                Json::String(s) if s == "Deny" => effect = Some(Effect::Deny),
                other => {
                    return Err(fail(StatementRule::Effect {
                        found: other.describe(),
                    }));
                }
            },
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    return Err(fail(StatementRule::Both {
                        element: "Principal",
                    }));
                }
                let p = parse_principal(&name, value).map_err(&fail)?;
                principal = Some(if name == "Principal" {
                    Clause::Is(p)
                } else {
                    Clause::Not(p)
                });
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    return Err(fail(StatementRule::Both { element: "Action" }));
                }
                let v = string_list(&name, value).map_err(&fail)?;
                action = Some(if name == "Action" {
                    Clause::Is(v)
                } else {
                    Clause::Not(v)
                });
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    return Err(fail(StatementRule::Both {
                        element: "Resource",
                    }));
                }
                let v = string_list(&name, value).map_err(&fail)?;
                resource = Some(if name == "Resource" {
                    Clause::Is(v)
                } else {
                    Clause::Not(v)
                });
            }
            "Condition" => condition = parse_condition(value).map_err(&fail)?,
            _ => return Err(fail(StatementRule::UnknownElement { element: name })),
        }
    }
    let effect = effect.ok_or_else(|| fail(StatementRule::MissingEffect))?;
    if action.is_none() {
        return Err(fail(StatementRule::MissingAction));
    }
    let statement = Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        condition,
    };
    check_grammar(&statement).map_err(fail)?;
    Ok(statement)
}

/// The rules beyond the JSON shape, in element order (see [`grammar`]).
fn check_grammar(statement: &Statement) -> Result<(), StatementRule> {
    // "You must use the Principal element in resource-based policies"
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).
    if statement.principal.is_none() {
        return Err(StatementRule::MissingPrincipal);
    }
    if let Some(action) = &statement.action {
        for value in action.value() {
            grammar::check_action(value).map_err(|rule| StatementRule::Action {
                value: value.clone(),
                rule,
            })?;
        }
    }
    // "Statements must include either a Resource or a NotResource element"
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
    // KMS documents the one exception: PutKeyPolicy accepts a key-policy statement without
    // `Resource` and ignores it ("the policy statement has no effect … the KMS console correctly
    // reports an error", <https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html>).
    // The crate rejects it in both policies: the statement says nothing, and reading it as
    // "applies to nothing" is what silently dropped a Deny.
    let Some(resource) = &statement.resource else {
        return Err(StatementRule::MissingResource);
    };
    for value in resource.value() {
        grammar::check_resource(value).map_err(|rule| StatementRule::Resource {
            value: value.clone(),
            rule,
        })?;
    }
    for operator in statement.condition.keys() {
        grammar::Operator::parse(operator).map_err(|rule| StatementRule::Operator {
            name: operator.clone(),
            rule,
        })?;
    }
    Ok(())
}

fn parse_principal(element: &str, value: Json) -> Result<Principal, StatementRule> {
    match value {
        Json::String(s) if s == "*" => Ok(Principal::Any),
        Json::Object(members) => {
            let mut map = BTreeMap::new();
            for (key, v) in members {
                let kind = PrincipalType::parse(&key)
                    .ok_or_else(|| StatementRule::PrincipalType { found: key.clone() })?;
                let path = format!("{element}.{key}");
                if map.insert(kind, string_list(&path, v)?).is_some() {
                    return Err(StatementRule::DuplicateElement { element: path });
                }
            }
            Ok(Principal::Typed(map))
        }
        other => Err(StatementRule::ElementType {
            element: element.into(),
            expected: "`\"*\"` or an object",
            found: other.describe(),
        }),
    }
}

fn parse_condition(value: Json) -> Result<Conditions, StatementRule> {
    let Json::Object(operators) = value else {
        return Err(StatementRule::ElementType {
            element: "Condition".into(),
            expected: "an object",
            found: value.describe(),
        });
    };
    let mut out: Conditions = BTreeMap::new();
    for (operator, keys) in operators {
        let path = format!("Condition.{operator}");
        let Json::Object(keys) = keys else {
            return Err(StatementRule::ElementType {
                element: path,
                expected: "an object",
                found: keys.describe(),
            });
        };
        if out.contains_key(&operator) {
            return Err(StatementRule::DuplicateElement { element: path });
        }
        let mut block = BTreeMap::new();
        for (key, values) in keys {
            let key_path = format!("{path}.{key}");
            let values = condition_values(&key_path, values)?;
            if block.insert(key, values).is_some() {
                return Err(StatementRule::DuplicateElement { element: key_path });
            }
        }
        out.insert(operator, block);
    }
    Ok(out)
}

/// A string or an array of strings (`Action`, `Resource`, principal values).
fn string_list(element: &str, value: Json) -> Result<Vec<String>, StatementRule> {
    let bad = |found: &Json| StatementRule::ElementType {
        element: element.into(),
        expected: "a string or an array of strings",
        found: found.describe(),
    };
    match value {
        Json::String(s) => Ok(vec![s]),
        Json::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Json::String(s) => Ok(s),
                other => Err(bad(&other)),
            })
            .collect(),
        other => Err(bad(&other)),
    }
}

/// Condition values: strings, and also the booleans and numbers AWS accepts there, kept as text.
fn condition_values(element: &str, value: Json) -> Result<Vec<String>, StatementRule> {
    let scalar = |v: Json| match v {
        Json::String(s) => Ok(s),
        Json::Bool(b) => Ok(b.to_string()),
        Json::Number(n) => Ok(n),
        other => Err(StatementRule::ElementType {
            element: element.into(),
            expected: "a string, boolean or number, or an array of them",
            found: other.describe(),
        }),
    };
    match value {
        Json::Array(items) => items.into_iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

/// An `io::Write` that only counts the bytes written to it.
struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One value or a list, written as AWS writes it: a plain string when there is exactly one.
struct OneOrMany<'a>(&'a [String]);

impl Serialize for OneOrMany<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            [one] => s.serialize_str(one),
            many => s.collect_seq(many),
        }
    }
}

struct PrincipalSer<'a>(&'a Principal);

impl Serialize for PrincipalSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Principal::Any => s.serialize_str("*"),
            Principal::Typed(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (kind, values) in map {
                    m.serialize_entry(kind.as_str(), &OneOrMany(values))?;
                }
                m.end()
            }
        }
    }
}

struct ConditionSer<'a>(&'a Conditions);

impl Serialize for ConditionSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (operator, keys) in self.0 {
            let block: BTreeMap<&str, OneOrMany<'_>> = keys
                .iter()
                .map(|(k, v)| (k.as_str(), OneOrMany(v)))
                .collect();
            m.serialize_entry(operator, &block)?;
        }
        m.end()
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(sid) = &self.sid {
            m.serialize_entry("Sid", sid)?;
        }
        m.serialize_entry("Effect", self.effect.as_str())?;
        match &self.principal {
            Some(Clause::Is(p)) => m.serialize_entry("Principal", &PrincipalSer(p))?,
            Some(Clause::Not(p)) => m.serialize_entry("NotPrincipal", &PrincipalSer(p))?,
            None => {}
        }
        match &self.action {
            Some(Clause::Is(v)) => m.serialize_entry("Action", &OneOrMany(v))?,
            Some(Clause::Not(v)) => m.serialize_entry("NotAction", &OneOrMany(v))?,
            None => {}
        }
        match &self.resource {
            Some(Clause::Is(v)) => m.serialize_entry("Resource", &OneOrMany(v))?,
            Some(Clause::Not(v)) => m.serialize_entry("NotResource", &OneOrMany(v))?,
            None => {}
        }
        if !self.condition.is_empty() {
            m.serialize_entry("Condition", &ConditionSer(&self.condition))?;
        }
        m.end()
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(v) = self.version {
            m.serialize_entry("Version", v.as_str())?;
        }
        if let Some(id) = &self.id {
            m.serialize_entry("Id", id)?;
        }
        m.serialize_entry("Statement", &self.statements)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tree = Json::deserialize(d)?;
        PolicyDocument::from_tree(tree).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_values_serialize_as_strings_and_lists_as_arrays() {
        let st = Statement::new(Effect::Allow)
            .with_principal(Clause::Is(Principal::service("cloudtrail.amazonaws.com")))
            .with_action(Clause::Is(vec!["s3:PutObject".into()]))
            .with_resource(Clause::Is(vec!["a".into(), "b".into()]));
        let doc = PolicyDocument::new(vec![st]);
        assert_eq!(
            doc.to_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":["a","b"]}]}"#
        );
    }

    #[test]
    fn json_numbers_in_conditions_keep_their_text() {
        let doc = PolicyDocument::from_json(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":[10, 2.5]}}}}"#,
        )
        .unwrap();
        let values = &doc.statements()[0].condition()["NumericLessThan"]["s3:max-keys"];
        assert_eq!(values, &vec!["10".to_string(), "2.5".to_string()]);
        assert_eq!(doc.version(), None);
    }
}
