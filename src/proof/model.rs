//! The partition a proof cuts: the atoms of each dimension, the cube of every statement of the
//! policy and every rule of the expectation, and what tells the atoms apart, so that any
//! request can be placed in its region after the proof.

use std::collections::HashMap;

use crate::document::{Clause, Effect, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{Caller, ContextValue, Request, Verdict, evaluate};
use crate::id::AccountId;

use super::boxes::{Cube, Set};
use super::counterexample::Counterexample;
use super::expect::{Accept, Expectation};
use super::incomplete::{IncompleteReason, internal};
use super::space::{Part, Space, is_caller_key, part};

/// The partition: the atoms of each dimension and the cube of every statement of the policy and
/// every rule of the expectation, with what tells the atoms of a dimension apart.
#[derive(Debug)]
pub(crate) struct Model {
    pub(super) space: Space,
    /// Per dimension, the distinct parts of the statements (the policy's, then the rules'),
    /// each a one-statement policy the evaluator decides.
    pub(super) parts: Vec<Vec<PolicyDocument>>,
    /// Per statement, its cube.
    pub(super) cubes: Vec<Cube>,
    /// The effect of each of the policy's statements.
    pub(super) effects: Vec<Effect>,
    /// What each rule accepts.
    pub(super) accepts: Vec<Accept>,
    /// Each rule's label.
    pub(super) labels: Vec<String>,
    /// Per dimension, the atom of each signature (which distinct parts hold, in order).
    pub(super) atoms: Vec<HashMap<Vec<usize>, usize>>,
    /// How `{"AWS": "*"}` reads for services in this model.
    pub(super) reading: Reading,
    /// Per dimension, per distinct part naming `{"AWS": "*"}`, the part a service's request
    /// is decided by under `reading` (`None` inside: it names no service).
    read_as: Vec<Vec<Option<Option<PolicyDocument>>>>,
    /// Each reported counterexample of this model, with its region.
    pub(super) reported: Vec<(Cube, Counterexample)>,
}

/// What the parts of one dimension are tested with: one request per atom.
fn probe(space: &Space, dim: usize, atom: usize) -> Option<Request> {
    let action = space.actions.first().map_or("*", |a| a.name);
    let resource = space.resources.first().cloned().unwrap_or_default();
    match dim {
        0 => Some(Request::new(
            Caller::Anonymous,
            space.actions.get(atom)?.name,
            resource,
        )),
        1 => Some(Request::new(
            Caller::Anonymous,
            action,
            space.resources.get(atom)?.clone(),
        )),
        2 => {
            let w = space.who.get(atom)?;
            let mut req = Request::new(w.caller.clone(), action, resource);
            for (k, v) in &w.context {
                req = req.with_context(k.clone(), v.clone());
            }
            Some(req)
        }
        _ => {
            let d = space.keys.get(dim - 3)?;
            let mut req = Request::new(Caller::Anonymous, action, resource);
            if let Some(v) = d.values.get(atom)? {
                req = req.with_context(d.key.clone(), v.clone());
            }
            Some(req)
        }
    }
}

/// The projection of `request` on dimension `dim`: the request that differs from the atoms'
/// probes only in that dimension; `None` for a multivalued key.
fn projection(space: &Space, dim: usize, request: &Request) -> Option<Request> {
    let action = space.actions.first().map_or("*", |a| a.name);
    let resource = space.resources.first().cloned().unwrap_or_default();
    match dim {
        0 => Some(Request::new(Caller::Anonymous, request.action(), resource)),
        1 => Some(Request::new(Caller::Anonymous, action, request.resource())),
        2 => {
            let mut req = Request::new(request.caller().clone(), action, resource);
            for (k, v) in request.context_entries() {
                if is_caller_key(k) {
                    req = with_value(req, k, v)?;
                }
            }
            Some(req)
        }
        _ => {
            let d = space.keys.get(dim - 3)?;
            let req = Request::new(Caller::Anonymous, action, resource);
            match request.context(&d.key) {
                Some(v) => with_value(req, &d.key, v),
                None => Some(req),
            }
        }
    }
}

fn with_value(req: Request, key: &str, value: &ContextValue) -> Option<Request> {
    match value {
        ContextValue::Single(v) => Some(req.with_context(key, v.clone())),
        ContextValue::Multi(_) | ContextValue::Unknown | ContextValue::OneOf(_) => None,
    }
}

/// Which who parts a caller's request need be decided against: a part whose `Principal` names
/// only AWS accounts and principals (no wildcard, no other kind) names no caller outside those
/// accounts (an account entry names its principals, an ARN one principal of its account), and
/// no anonymous caller or service; every other part is decided for every caller. This keeps
/// the work near linear in a policy of many statements for many accounts.
struct Filter {
    /// The parts decided for every caller.
    always: Vec<usize>,
    /// For each account, the parts that name it.
    by_account: HashMap<String, Vec<usize>>,
}

impl Filter {
    fn new(parts: &[PolicyDocument]) -> Filter {
        let mut filter = Filter {
            always: Vec::new(),
            by_account: HashMap::new(),
        };
        for (i, part) in parts.iter().enumerate() {
            match part.statements().first().and_then(named_accounts) {
                Some(accounts) => {
                    for account in accounts {
                        filter.by_account.entry(account).or_default().push(i);
                    }
                }
                None => filter.always.push(i),
            }
        }
        filter
    }

    /// The parts to decide for `req`, in order.
    fn candidates(&self, req: &Request) -> Vec<usize> {
        let mut out = self.always.clone();
        if let Caller::Aws(arn) = req.caller()
            && let Some(parts) =
                crate::id::arn::account_field(arn).and_then(|a| self.by_account.get(a))
        {
            out.extend(parts);
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

/// The accounts a statement's `Principal` names, when it names only AWS accounts and
/// principals by account ID or ARN (no wildcard).
fn named_accounts(statement: &Statement) -> Option<Vec<String>> {
    let Some(Clause::Is(Principal::Typed(map))) = statement.principal() else {
        return None;
    };
    if map.keys().any(|k| *k != PrincipalType::Aws) {
        return None;
    }
    let account = AccountId::is_valid;
    map.get(&PrincipalType::Aws)?
        .iter()
        .map(|entry| {
            if entry.contains(['*', '?']) {
                return None;
            }
            if account(entry) {
                return Some(entry.clone());
            }
            crate::id::arn::account_field(entry)
                .filter(|a| account(a))
                .map(str::to_owned)
        })
        .collect()
}

/// Whether `part` holds for `req`, a service's request deciding a part that names
/// `{"AWS": "*"}` by the reading's version of it (`read`).
fn decide(
    part: &PolicyDocument,
    read: Option<&Option<PolicyDocument>>,
    req: &Request,
) -> Result<bool, String> {
    match (read, req.caller()) {
        (Some(Some(read)), Caller::Service(_)) => holds(read, req),
        (Some(None), Caller::Service(_)) => Ok(false),
        _ => holds(part, req),
    }
}

fn holds(part: &PolicyDocument, req: &Request) -> Result<bool, String> {
    match evaluate(part, req) {
        Ok(d) => Ok(d.verdict() == Verdict::Allow),
        Err(e) => Err(e.construct().to_owned()),
    }
}

/// How `{"AWS": "*"}` in a `Principal` treats a service principal's request, which AWS does not
/// document (the evaluator declines to decide it): a policy that has the entry is proved under
/// both readings, and is complete only if it is under each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// `{"AWS": "*"}` names every principal, service principals included.
    ServicesIncluded,
    /// `{"AWS": "*"}` names every AWS principal and anonymous callers, no service principal.
    ServicesExcluded,
}

impl Reading {
    /// What the reading assumes, for a counterexample that holds only under it.
    pub(crate) fn assumes(self) -> &'static str {
        match self {
            Reading::ServicesIncluded => "if `{\"AWS\": \"*\"}` names service principals",
            Reading::ServicesExcluded => "if `{\"AWS\": \"*\"}` names no service principal",
        }
    }
}

/// Whether `statement` names `{"AWS": "*"}` in its `Principal`.
pub(crate) fn names_any_aws(statement: &Statement) -> bool {
    matches!(statement.principal(), Some(Clause::Is(Principal::Typed(map)))
        if map.get(&PrincipalType::Aws).is_some_and(|v| v.iter().any(|e| e == "*")))
}

/// The who part `part` as a service principal's request sees it under `reading`, when it
/// names `{"AWS": "*"}`: every caller (included), or its other entries (excluded); `None`
/// when it names no service then.
fn for_services(part: &PolicyDocument, reading: Reading) -> Option<PolicyDocument> {
    let statement = part.statements().first()?;
    let Some(Clause::Is(Principal::Typed(map))) = statement.principal() else {
        return Some(part.clone());
    };
    let principal = match reading {
        Reading::ServicesIncluded => Principal::Any,
        Reading::ServicesExcluded => {
            let mut others = map.clone();
            others.remove(&PrincipalType::Aws);
            if others.is_empty() {
                return None;
            }
            Principal::Typed(others)
        }
    };
    Some(PolicyDocument::new(vec![
        statement.clone().with_principal(Clause::Is(principal)),
    ]))
}

impl Model {
    pub(super) fn build(
        space: Space,
        policy: &PolicyDocument,
        expectation: &Expectation,
        reading: Reading,
    ) -> Result<Model, IncompleteReason> {
        let statements: Vec<&Statement> = policy
            .statements()
            .iter()
            .chain(expectation.rules().iter().map(|r| &r.matcher))
            .collect();
        let sizes = space.sizes();
        let mut cubes: Vec<Cube> = statements
            .iter()
            .map(|_| Cube {
                dims: sizes.iter().map(|&n| Set::empty(n)).collect(),
            })
            .collect();
        let mut parts = Vec::new();
        let mut read_as = Vec::new();
        let mut atoms = Vec::new();
        for (dim, &size) in sizes.iter().enumerate() {
            let which = match dim {
                0 => Part::Action,
                1 => Part::Resource,
                2 => Part::Who,
                _ => Part::Key(
                    &space
                        .keys
                        .get(dim - 3)
                        .ok_or_else(|| internal("a missing key"))?
                        .key,
                ),
            };
            // Statements often share a part (every delivery's action): each distinct part is
            // decided once per atom.
            let mut distinct: Vec<PolicyDocument> = Vec::new();
            let mut index: HashMap<String, usize> = HashMap::new();
            let mut of_statement = Vec::with_capacity(statements.len());
            // For what the evaluator cannot decide: the first statement each part comes from.
            let mut from: Vec<String> = Vec::new();
            for (n, st) in statements.iter().enumerate() {
                let doc = PolicyDocument::new(vec![part(st, which)]);
                let next = distinct.len();
                let i = *index.entry(doc.to_json()).or_insert(next);
                if i == next {
                    distinct.push(doc);
                    from.push(match (st.sid(), n < policy.statements().len()) {
                        (Some(sid), true) => format!("statement `{sid}`"),
                        (None, true) => format!("statement #{n}"),
                        (_, false) => "a rule of the intent".to_owned(),
                    });
                }
                of_statement.push(i);
            }
            // A service's request under `{"AWS": "*"}`: the reading decides.
            let readings: Vec<Option<Option<PolicyDocument>>> = distinct
                .iter()
                .map(|doc| {
                    (dim == 2 && doc.statements().first().is_some_and(names_any_aws))
                        .then(|| for_services(doc, reading))
                })
                .collect();
            let mut columns: Vec<Set> = distinct.iter().map(|_| Set::empty(size)).collect();
            let filter = (dim == 2).then(|| Filter::new(&distinct));
            let mut signatures = HashMap::new();
            for atom in 0..size {
                let req =
                    probe(&space, dim, atom).ok_or_else(|| internal("an atom without a probe"))?;
                let candidates = match &filter {
                    Some(filter) => filter.candidates(&req),
                    None => (0..distinct.len()).collect(),
                };
                let mut signature = Vec::new();
                for i in candidates {
                    let (Some(doc), Some(read)) = (distinct.get(i), readings.get(i)) else {
                        continue;
                    };
                    let holds = decide(doc, read.as_ref(), &req).map_err(|why| {
                        let from = from.get(i).map_or("a statement", String::as_str);
                        IncompleteReason::Declined(format!("cannot evaluate {from}: {why}"))
                    })?;
                    if holds {
                        if let Some(column) = columns.get_mut(i) {
                            column.insert(atom);
                        }
                        signature.push(i);
                    }
                }
                signatures.entry(signature).or_insert(atom);
            }
            for (cube, &i) in cubes.iter_mut().zip(&of_statement) {
                if let (Some(slot), Some(column)) = (cube.dims.get_mut(dim), columns.get(i)) {
                    *slot = column.clone();
                }
            }
            parts.push(distinct);
            read_as.push(readings);
            atoms.push(signatures);
        }
        Ok(Model {
            space,
            parts,
            cubes,
            effects: policy.statements().iter().map(Statement::effect).collect(),
            accepts: expectation.rules().iter().map(|r| r.accept).collect(),
            labels: expectation
                .rules()
                .iter()
                .map(|r| r.label.clone())
                .collect(),
            atoms,
            reported: Vec::new(),
            reading,
            read_as,
        })
    }

    /// The atom of each dimension that `request` behaves like, or why it has none.
    fn locate(&self, request: &Request) -> Result<Vec<usize>, Outside> {
        if let Some(why) = self.space.domain.excludes(request) {
            return Err(Outside::Domain(why));
        }
        (0..self.atoms.len())
            .map(|dim| {
                let req = projection(&self.space, dim, request).ok_or(Outside::Multivalued)?;
                let (parts, reads) = self
                    .parts
                    .get(dim)
                    .zip(self.read_as.get(dim))
                    .ok_or(Outside::NoRegion)?;
                let mut signature = Vec::new();
                for (i, (p, read)) in parts.iter().zip(reads).enumerate() {
                    if decide(p, read.as_ref(), &req).map_err(Outside::Undecided)? {
                        signature.push(i);
                    }
                }
                self.atoms
                    .get(dim)
                    .and_then(|a| a.get(&signature))
                    .copied()
                    .ok_or(Outside::NoRegion)
            })
            .collect()
    }

    /// The proof's account of `request`: the region it falls in.
    pub(crate) fn judge(&self, request: &Request) -> Result<Region<'_>, Outside> {
        let point = self.locate(request)?;
        let at = |c: &Cube| c.contains_point(&point);
        let policy = self.effects.len();
        let mut verdict = Verdict::ImplicitDeny;
        for (cube, effect) in self.cubes.iter().zip(&self.effects) {
            if at(cube) {
                match effect {
                    Effect::Deny => verdict = Verdict::Deny,
                    Effect::Allow if verdict == Verdict::ImplicitDeny => verdict = Verdict::Allow,
                    Effect::Allow => {}
                }
            }
        }
        let rule = self
            .cubes
            .get(policy..)
            .unwrap_or_default()
            .iter()
            .position(at);
        let accept = rule
            .and_then(|r| self.accepts.get(r).copied())
            .unwrap_or(Accept::NOT_ALLOWED);
        let reported = self
            .reported
            .iter()
            .find(|(cube, _)| at(cube))
            .map(|(_, ce)| ce);
        Ok(Region {
            verdict,
            rule: rule.and_then(|r| self.labels.get(r)).map(String::as_str),
            accept,
            reported,
        })
    }
}

/// The region of a request: the policy's verdict on it, the label of the rule that judges it
/// and what that rule accepts, and its reported counterexample.
pub(crate) struct Region<'a> {
    pub(crate) verdict: Verdict,
    pub(crate) rule: Option<&'a str>,
    pub(crate) accept: Accept,
    pub(crate) reported: Option<&'a Counterexample>,
}

/// Why a proof cannot judge a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Outside {
    /// The proof was incomplete: it has no partition.
    #[error("the proof was incomplete")]
    Incomplete,
    /// The request is not one the proof covers (an action of another service, a resource
    /// the policy cannot govern, a caller that is no principal of the partition).
    #[error("the request is outside the proof's domain: {0}")]
    Domain(&'static str),
    /// A context key of the request has several values, or one not known; the proof models
    /// single known values.
    #[error("a context key has several values or an unknown one; the proof models single values")]
    Multivalued,
    /// The evaluator could not decide a part of a statement for the request.
    #[error("the evaluator could not decide the request: {0}")]
    Undecided(String),
    /// No region behaves like the request: it cannot happen (its caller and the keys that
    /// follow from the caller disagree), or the partition missed a region.
    #[error("no region of the proof behaves like the request")]
    NoRegion,
}
