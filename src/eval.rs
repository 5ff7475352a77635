//! Offline evaluation of a resource-based policy (an S3 bucket policy or a KMS key policy)
//! against one request: the proof engine behind the crate's claim that each generated policy
//! allows exactly CloudTrail's deliveries and the named readers, and denies everything else.
//!
//! # What is modelled
//!
//! One resource-based policy on its own, as AWS's evaluation logic describes it: an explicit
//! `Deny` beats any `Allow`, and a request no statement allows is implicitly denied
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//! Identity policies, SCPs, permission boundaries, session policies, ACLs and the cross-account
//! rule (the caller's own account must also allow) are outside this function: an
//! [`Verdict::Allow`] means "this policy grants it", not "AWS will let it through".
//!
//! # Never guessing
//!
//! Every sub-test of a statement is three-valued: it matches, it does not, or the evaluator does
//! not model the construct (a date condition, a policy variable, a principal form whose meaning
//! AWS does not document). Unknowns combine by Kleene logic, so a statement whose action does
//! not match is simply "no match" whatever else it holds; an unknown reaches the caller as
//! [`Unsupported`] only when it could change the verdict.
//!
//! # The request context is taken as given
//!
//! The evaluator does not derive context keys from the caller: `aws:PrincipalAccount`,
//! `kms:CallerAccount`, `aws:SecureTransport` and the rest are present only if the request says
//! so. An absent key is absent, with AWS's absent-key rules (see [`Request::with_context`]).

mod condition;
mod principal;
mod wildcard;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::document::{Clause, Effect, PolicyDocument, Statement, Version};

pub use wildcard::wildcard_match;

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
}

/// One request to evaluate: caller, action, resource and condition context.
///
/// Condition key names are case-insensitive
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>):
/// setting a key that differs from an existing one only by case replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
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

    fn insert(mut self, key: String, value: ContextValue) -> Self {
        self.context.insert(key.to_lowercase(), (key, value));
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

    /// Case-insensitive lookup that allocates only when `key` has an uppercase letter.
    fn lookup(&self, key: &str) -> Option<&ContextValue> {
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

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Verdict {
    /// A statement allows the request and none denies it.
    Allow,
    /// A statement explicitly denies the request.
    Deny,
    /// No statement allows or denies the request: denied by default.
    ImplicitDeny,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Allow => "Allow",
            Verdict::Deny => "Deny",
            Verdict::ImplicitDeny => "ImplicitDeny",
        })
    }
}

/// A statement of the evaluated policy: its position, and its `Sid` when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StatementId {
    /// Zero-based position in `Statement`.
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<String>,
}

impl StatementId {
    fn of(index: usize, statement: &Statement) -> Self {
        StatementId {
            index,
            sid: statement.sid().map(str::to_owned),
        }
    }
}

impl fmt::Display for StatementId {
    /// The `Sid`, or `#index` for a statement without one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) => f.write_str(sid),
            None => write!(f, "#{}", self.index),
        }
    }
}

/// The verdict and the statements that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    verdict: Verdict,
    deciding: Vec<StatementId>,
}

impl Decision {
    /// Allow, Deny or ImplicitDeny.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// For Deny every matching Deny statement, for Allow every matching Allow statement, in
    /// document order; empty for ImplicitDeny.
    pub fn deciding(&self) -> &[StatementId] {
        &self.deciding
    }
}

/// The policy holds a construct the evaluator does not model, in a statement that could change
/// the verdict. Returned instead of a guess.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot evaluate statement `{statement}`: {construct}")]
pub struct Unsupported {
    statement: StatementId,
    construct: String,
}

impl Unsupported {
    /// The statement holding the construct.
    pub fn statement(&self) -> &StatementId {
        &self.statement
    }

    /// What is not modelled, e.g. ``unsupported condition operator `DateLessThan` ``.
    pub fn construct(&self) -> &str {
        &self.construct
    }
}

/// Evaluates a resource-based policy against one request.
///
/// A statement applies when its principal, action, resource and every condition match
/// (operators ANDed, keys ANDed, values ORed, negated operators NOR-ed:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>).
/// Then: any applying `Deny` gives [`Verdict::Deny`]; otherwise any applying `Allow` gives
/// [`Verdict::Allow`]; otherwise [`Verdict::ImplicitDeny`]. Linear in the size of the policy.
///
/// # Errors
/// [`Unsupported`] when a statement holds a construct the evaluator does not model (a date, IP
/// or binary condition, a policy variable, an ambiguous principal form…) and that statement's
/// outcome could change the verdict. A statement that fails on a modelled part (say its action
/// differs) never raises it, nor does an unknown `Allow` when a `Deny` already applies.
///
/// ```
/// use cloudtrail_policy::document::PolicyDocument;
/// use cloudtrail_policy::eval::{evaluate, Caller, Request, Verdict};
/// let policy = PolicyDocument::from_json(r#"{"Version":"2012-10-17","Statement":[{
///     "Sid":"AWSCloudTrailAclCheck","Effect":"Allow",
///     "Principal":{"Service":"cloudtrail.amazonaws.com"},
///     "Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::logs",
///     "Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}}]}"#)?;
/// let request = Request::new(
///     Caller::Service("cloudtrail.amazonaws.com".into()), "s3:GetBucketAcl", "arn:aws:s3:::logs")
///     .with_context("aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t");
/// let decision = evaluate(&policy, &request)?;
/// assert_eq!(decision.verdict(), Verdict::Allow);
/// assert_eq!(decision.deciding()[0].to_string(), "AWSCloudTrailAclCheck");
///
/// let other = Request::new(
///     Caller::Service("cloudtrail.amazonaws.com".into()), "s3:GetBucketAcl", "arn:aws:s3:::logs");
/// assert_eq!(evaluate(&policy, &other)?.verdict(), Verdict::ImplicitDeny);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate(policy: &PolicyDocument, request: &Request) -> Result<Decision, Unsupported> {
    let ctx = Ctx {
        request,
        caller: principal::Identity::parse(&request.caller),
        // Variables exist only in 2012-10-17 documents; elsewhere `${…}` is literal text
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html).
        variables: policy.version() == Some(Version::V2012_10_17),
    };
    let mut denies = Vec::new();
    let mut allows = Vec::new();
    let mut unknown_deny = None;
    let mut unknown_allow = None;
    for (index, statement) in policy.statements().iter().enumerate() {
        let outcome = applies(statement, &ctx);
        let effect = statement.effect();
        match (outcome, effect) {
            (Tri::False, _) => {}
            (Tri::True, Effect::Deny) => denies.push(StatementId::of(index, statement)),
            (Tri::True, Effect::Allow) => allows.push(StatementId::of(index, statement)),
            (Tri::Unknown(why), Effect::Deny) => {
                unknown_deny.get_or_insert_with(|| unsupported(index, statement, why));
            }
            (Tri::Unknown(why), Effect::Allow) => {
                unknown_allow.get_or_insert_with(|| unsupported(index, statement, why));
            }
        }
    }
    // An unknown statement matters only where it could flip the verdict: an unknown Deny
    // against an Allow or an implicit deny, an unknown Allow against an implicit deny.
    if !denies.is_empty() {
        return Ok(Decision {
            verdict: Verdict::Deny,
            deciding: denies,
        });
    }
    if let Some(err) = unknown_deny {
        return Err(err);
    }
    if !allows.is_empty() {
        return Ok(Decision {
            verdict: Verdict::Allow,
            deciding: allows,
        });
    }
    if let Some(err) = unknown_allow {
        return Err(err);
    }
    Ok(Decision {
        verdict: Verdict::ImplicitDeny,
        deciding: Vec::new(),
    })
}

fn unsupported(index: usize, statement: &Statement, construct: String) -> Unsupported {
    Unsupported {
        statement: StatementId::of(index, statement),
        construct,
    }
}

/// What every matcher needs: the request, the parsed caller, and whether `${…}` is a variable.
struct Ctx<'a> {
    request: &'a Request,
    caller: principal::Identity<'a>,
    variables: bool,
}

impl Ctx<'_> {
    /// `Unknown` naming the first policy variable in `value`, when variables are live.
    fn variable_in(&self, value: &str) -> Option<Tri> {
        // `contains(char)` is a memchr; almost no value holds a `$`, and `find(&str)` set up a
        // substring searcher for every pattern of every probe.
        if !self.variables || !value.contains('$') {
            return None;
        }
        let start = value.find("${")?;
        let rest = value.get(start..)?;
        let name = rest
            .find('}')
            .and_then(|end| rest.get(..=end))
            .unwrap_or(rest);
        Some(Tri::Unknown(format!(
            "unsupported policy variable `{name}` in `{value}`"
        )))
    }
}

/// Whether one statement applies to the request; cheapest tests first.
fn applies(statement: &Statement, ctx: &Ctx<'_>) -> Tri {
    action_matches(statement.action(), ctx)
        .and(|| resource_matches(statement.resource(), ctx))
        .and(|| principal::matches(statement.principal(), ctx))
        .and(|| condition::matches(statement.condition(), ctx))
}

fn action_matches(action: Option<&Clause<Vec<String>>>, ctx: &Ctx<'_>) -> Tri {
    // The document parser rejects a statement without Action or NotAction.
    let Some(clause) = action else {
        return Tri::False;
    };
    let listed = Tri::any(clause.value().iter().map(|pattern| {
        ctx.variable_in(pattern)
            .unwrap_or_else(|| Tri::from(wildcard_match(pattern, ctx.request.action(), true)))
    }));
    if clause.is_not() {
        listed.not()
    } else {
        listed
    }
}

/// `Resource`/`NotResource`. A statement with neither does not apply: AWS requires one
/// ("Statements must include either a Resource or a NotResource element",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>),
/// so such a policy cannot be attached and there is nothing to evaluate.
fn resource_matches(resource: Option<&Clause<Vec<String>>>, ctx: &Ctx<'_>) -> Tri {
    let Some(clause) = resource else {
        return Tri::False;
    };
    let listed = Tri::any(clause.value().iter().map(|pattern| {
        ctx.variable_in(pattern)
            .unwrap_or_else(|| resource_pattern_matches(pattern, ctx.request.resource()))
    }));
    if clause.is_not() {
        listed.not()
    } else {
        listed
    }
}

/// One `Resource` pattern against the resource ARN, case-sensitively.
///
/// `"*"` matches every resource (in a key policy, the key itself). Otherwise AWS allows
/// wildcards "within any ARN segment (the parts separated by colons)"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>)
/// but does not say whether a `*` may run across a colon. Conservative choice: compute both
/// readings (whole-string glob, and each of the six segments separately as for `ArnLike`);
/// where they agree that is the answer, where they differ the result is unknown.
fn resource_pattern_matches(pattern: &str, resource: &str) -> Tri {
    if pattern == "*" {
        return Tri::True;
    }
    arn_segments_match(pattern, resource, "resource", false)
}

/// Six-segment ARN matching shared by `Resource` and `ArnLike`: a segment-wise match implies a
/// whole-string match, so a failed whole-string glob is a definite no, a segment-wise match a
/// definite yes. A value that is not a six-segment ARN is unknown. A `*` that matches only by
/// spanning a colon is a definite no when `segments_documented` (`ArnLike`, whose page says
/// so) and unknown otherwise (`Resource`, whose page does not).
pub(crate) fn arn_segments_match(
    pattern: &str,
    value: &str,
    what: &str,
    segments_documented: bool,
) -> Tri {
    if !wildcard_match(pattern, value, false) {
        return Tri::False;
    }
    let mut pattern_parts = pattern.splitn(6, ':');
    let mut value_parts = value.splitn(6, ':');
    let mut segments = 0;
    loop {
        match (pattern_parts.next(), value_parts.next()) {
            (Some(p), Some(v)) => {
                if !wildcard_match(p, v, false) {
                    if segments_documented {
                        return Tri::False;
                    }
                    return Tri::Unknown(format!(
                        "{what} pattern `{pattern}` matches `{value}` only if a wildcard spans a colon"
                    ));
                }
                segments += 1;
            }
            (None, None) if segments == 6 => return Tri::True,
            _ => {
                return Tri::Unknown(format!(
                    "{what} pattern `{pattern}` or value `{value}` is not a six-segment arn"
                ));
            }
        }
    }
}

/// Three-valued truth: matches, does not, or not modelled (with the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown(String),
}

impl From<bool> for Tri {
    fn from(b: bool) -> Self {
        if b { Tri::True } else { Tri::False }
    }
}

impl Tri {
    /// Kleene AND, evaluating `other` only when `self` is not already false.
    pub(crate) fn and(self, other: impl FnOnce() -> Tri) -> Tri {
        match self {
            Tri::False => Tri::False,
            Tri::True => other(),
            Tri::Unknown(why) => match other() {
                Tri::False => Tri::False,
                _ => Tri::Unknown(why),
            },
        }
    }

    /// Kleene NOT.
    #[allow(
        clippy::should_implement_trait,
        reason = "a three-valued not, kept by name"
    )]
    pub(crate) fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            unknown @ Tri::Unknown(_) => unknown,
        }
    }

    /// Kleene OR over many: true as soon as one is true; false only if all are false.
    pub(crate) fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut result = Tri::False;
        for item in items {
            match item {
                Tri::True => return Tri::True,
                Tri::False => {}
                Tri::Unknown(why) => {
                    if result == Tri::False {
                        result = Tri::Unknown(why);
                    }
                }
            }
        }
        result
    }

    /// Kleene AND over many: false as soon as one is false; true only if all are true.
    pub(crate) fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut result = Tri::True;
        for item in items {
            match item {
                Tri::False => return Tri::False,
                Tri::True => {}
                Tri::Unknown(why) => {
                    if result == Tri::True {
                        result = Tri::Unknown(why);
                    }
                }
            }
        }
        result
    }
}
