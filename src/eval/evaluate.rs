//! [`evaluate`]: one resource-based policy against one request.

use std::fmt;

use serde::Serialize;

use crate::document::{Clause, Effect, PolicyDocument, Statement, Version};

use super::ctx::Ctx;
use super::identity::Identity;
use super::request::Request;
use super::tri::Tri;
use super::variable::{Piece, Resolved};
use super::wildcard::{
    Tok, literal_tokens, pattern_tokens, resource_pattern_matches, resource_tokens_match,
    wildcard_match,
};
use super::{condition, principal};

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
    let ctx = context(policy, request);
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

/// Whether statement `index` of `policy` applies to `request` on its own: its principal,
/// action, resource and every condition match. `Ok(false)` for an index past the end.
///
/// This is one statement's part of [`evaluate`]: a request is allowed when some `Allow`
/// statement applies and no `Deny` does, so a caller can say which statement grants a request
/// and which deny would stop it.
///
/// # Errors
/// [`Unsupported`] when the statement holds a construct the evaluator does not model and its
/// other parts do not already fail.
///
/// ```
/// use cloudtrail_policy::document::PolicyDocument;
/// use cloudtrail_policy::eval::{statement_applies, Caller, Request};
/// let policy = PolicyDocument::from_json(r#"{"Version":"2012-10-17","Statement":[
///     {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
///     {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/secret/*"}]}"#)?;
/// let read = Request::new(Caller::Anonymous, "s3:GetObject", "arn:aws:s3:::b/secret/x");
/// assert!(statement_applies(&policy, 0, &read)?);
/// assert!(statement_applies(&policy, 1, &read)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn statement_applies(
    policy: &PolicyDocument,
    index: usize,
    request: &Request,
) -> Result<bool, Unsupported> {
    let Some(statement) = policy.statements().get(index) else {
        return Ok(false);
    };
    let ctx = context(policy, request);
    decided(index, statement, applies(statement, &ctx))
}

/// [`statement_applies`] without the `Action` test: whether the statement's principal,
/// resource and conditions match. The action enters a statement only through `Action` /
/// `NotAction`, so a caller that tests many actions against the same caller, resource and
/// context evaluates the rest once and each action with [`action_covered`].
pub(crate) fn applies_but_action(
    policy: &PolicyDocument,
    index: usize,
    request: &Request,
) -> Result<bool, Unsupported> {
    let Some(statement) = policy.statements().get(index) else {
        return Ok(false);
    };
    let ctx = context(policy, request);
    let rest = resource_matches(statement.resource(), &ctx)
        .and(|| principal::matches(statement.principal(), &ctx))
        .and(|| condition::matches(statement.condition(), &ctx));
    decided(index, statement, rest)
}

/// Whether statement `index`'s `Action`/`NotAction` covers `action`.
pub(crate) fn action_covered(
    policy: &PolicyDocument,
    index: usize,
    action: &str,
) -> Result<bool, Unsupported> {
    let Some(statement) = policy.statements().get(index) else {
        return Ok(false);
    };
    let request = Request::new(super::request::Caller::Anonymous, action, "*");
    let ctx = context(policy, &request);
    decided(index, statement, action_matches(statement.action(), &ctx))
}

fn context<'a>(policy: &PolicyDocument, request: &'a Request) -> Ctx<'a> {
    Ctx {
        request,
        caller: Identity::parse(request.caller()),
        // Variables exist only in 2012-10-17 documents; elsewhere `${…}` is literal text
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html).
        variables: policy.version() == Some(Version::V2012_10_17),
    }
}

fn decided(index: usize, statement: &Statement, tri: Tri) -> Result<bool, Unsupported> {
    match tri {
        Tri::True => Ok(true),
        Tri::False => Ok(false),
        Tri::Unknown(why) => Err(unsupported(index, statement, why)),
    }
}

fn unsupported(index: usize, statement: &Statement, construct: String) -> Unsupported {
    Unsupported {
        statement: StatementId::of(index, statement),
        construct,
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
    // The document parser rejects a statement without Action or NotAction; one built in code
    // says nothing the evaluator can read.
    let Some(clause) = action else {
        return Tri::Unknown("statement has neither `Action` nor `NotAction`".into());
    };
    let listed = Tri::any(clause.value().iter().map(|pattern| {
        ctx.variable_not_allowed(pattern, "action")
            .unwrap_or_else(|| Tri::from(wildcard_match(pattern, ctx.request.action(), true)))
    }));
    if clause.is_not() {
        listed.not()
    } else {
        listed
    }
}

/// `Resource`/`NotResource`. AWS requires one ("Statements must include either a Resource or a
/// NotResource element",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>)
/// and the document parser rejects a statement without; for one built in code the evaluator
/// declines rather than read "applies to nothing" (which would silently drop a Deny).
fn resource_matches(resource: Option<&Clause<Vec<String>>>, ctx: &Ctx<'_>) -> Tri {
    let Some(clause) = resource else {
        return Tri::Unknown("statement has neither `Resource` nor `NotResource`".into());
    };
    let value = ctx.request.resource();
    let listed = Tri::any(
        clause
            .value()
            .iter()
            .map(|pattern| match ctx.resolve(pattern) {
                None => resource_pattern_matches(pattern, value),
                Some(resolved) => resolved_resource_matches(pattern, &resolved, value),
            }),
    );
    if clause.is_not() {
        listed.not()
    } else {
        listed
    }
}

/// A `Resource` pattern holding policy variables
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>):
/// allowed "only in the resource portion of the ARN … after the fifth colon"; a variable with
/// no value means "the resource that includes a policy variable with no value will not match
/// any resource".
fn resolved_resource_matches(pattern: &str, resolved: &Resolved, value: &str) -> Tri {
    let head_has_variable = pattern
        .match_indices(':')
        .nth(4)
        .is_none_or(|(fifth, _)| pattern.get(..fifth).is_some_and(|h| h.contains("${")));
    if head_has_variable {
        return Tri::Unknown(format!(
            "policy variable before the fifth colon of resource `{pattern}`, where AWS does not allow one"
        ));
    }
    match resolved {
        Resolved::Null { .. } => Tri::False,
        Resolved::Unknown(why) => Tri::Unknown(why.clone()),
        Resolved::Pieces {
            request_wildcard: true,
            ..
        } => Tri::Unknown(format!(
            "a request value substituted into resource `{pattern}` holds `*` or `?`; whether it acts as a wildcard is not documented"
        )),
        Resolved::Pieces { pieces, .. } => {
            let mut tokens = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Pattern(text) => pattern_tokens(text, &mut tokens),
                    Piece::Literal(text) => literal_tokens(text, &mut tokens),
                }
            }
            if tokens == [Tok::Star] {
                return Tri::True;
            }
            resource_tokens_match(&tokens, value)
        }
    }
}
