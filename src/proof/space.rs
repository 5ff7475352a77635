//! The request space of one policy, cut into atoms: per dimension (action, resource, caller,
//! each other condition key) a finite list of representative values such that every part of
//! every statement of the policy and of the expectation is constant across the values an atom
//! stands for.
//!
//! - Actions: the service's actions, grouped by which `Action`/`NotAction` patterns match them.
//! - Resources: for a bucket, the bucket itself, the cells of the `Resource` lists among its
//!   objects, and among the other S3 resources (which a statement pasted from another bucket's
//!   policy names); for a key, the key.
//! - Callers: anonymous; each service the statements name, plus one more, without a source and
//!   with each cell of the `aws:SourceArn`/`aws:SourceAccount` predicates, each with and without
//!   each cell of `aws:SourceOrgID`; the principals of each account the statements name, plus
//!   one more account: the root, each role and user named (a role with one of its sessions), one
//!   more role and user, each session named, and the cells of the `aws:PrincipalArn`
//!   predicates (a session whose role's name the statements name is tried as one of each cell of
//!   the role ARNs of that name, at any path), each with and
//!   without each cell of `aws:PrincipalOrgID`. Each caller carries the keys that follow from it
//!   (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalIsAWSService`,
//!   `aws:PrincipalServiceName`, `kms:CallerAccount`, `aws:SourceArn`, `aws:SourceAccount`), so
//!   no caller is paired with a value it cannot have. What the statements do not name behaves
//!   like the one more account, principal or service.
//! - Every other key: the cells of its predicates, and absent unless AWS always sends it.
//!
//! A cell is a combination of predicates (a condition's value list holds when any value
//! matches) that some string realizes, with a shortest such string as its witness
//! ([`cells`](super::glob::cells)).

use std::collections::{BTreeMap, BTreeSet};

use crate::document::grammar::{Comparison, Operator};
use crate::document::{Clause, Effect, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{Caller, ContextValue, Request};
use crate::id::{AccountId, Partition, arn};

use super::glob::{Colons, Pattern, Shape, TooManyStates, Union, cells};
use super::incomplete::IncompleteReason;

/// The most product states a dimension's exploration may visit.
const STATE_LIMIT: usize = 200_000;

/// What the requests of a policy kind look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Domain {
    pub(crate) partition: Partition,
    /// Every action of the service.
    pub(crate) actions: &'static [&'static str],
    /// The resources a request names.
    pub(crate) resources: Resources,
    /// Whether requests carry `kms:CallerAccount` (KMS).
    pub(crate) caller_account_key: bool,
    /// Keys every request carries, with the values they can have.
    pub(crate) always: &'static [(&'static str, &'static [&'static str])],
}

/// The resources of a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resources {
    /// A bucket: its ARN, and its objects `<arn>/<key>`.
    Bucket(String),
    /// One KMS key, by ARN.
    Key(String),
}

/// A group of actions no pattern tells apart; `name` stands for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionAtom {
    pub(crate) name: &'static str,
}

/// A caller with the keys that follow from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WhoAtom {
    pub(crate) caller: Caller,
    pub(crate) context: Vec<(String, String)>,
}

/// The values of one other condition key; `None` is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyDim {
    pub(crate) key: String,
    pub(crate) values: Vec<Option<String>>,
}

/// The atoms of every dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Space {
    pub(crate) domain: Domain,
    pub(crate) actions: Vec<ActionAtom>,
    pub(crate) resources: Vec<String>,
    pub(crate) who: Vec<WhoAtom>,
    pub(crate) keys: Vec<KeyDim>,
}

impl Domain {
    /// Why `request` is not one of the domain's requests, if it is not: an action of another
    /// service, a resource outside the bucket's service or other than the key, a key AWS always
    /// sends missing, an IAM caller that is not an IAM or STS principal of the partition.
    pub(crate) fn excludes(&self, request: &Request) -> Option<&'static str> {
        if !self
            .actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case(request.action()))
        {
            return Some("the action is not one of the service's");
        }
        let resource = request.resource();
        let inside = match &self.resources {
            Resources::Key(key) => resource == key,
            Resources::Bucket(_) => resource
                .strip_prefix(&format!("arn:{}:s3:::", self.partition.as_str()))
                .is_some_and(|rest| !rest.is_empty()),
        };
        if !inside {
            return Some("the resource is not one the policy can govern");
        }
        for (key, values) in self.always {
            let sent = match request.context(key) {
                Some(ContextValue::Single(v)) => values.contains(&v.as_str()),
                _ => false,
            };
            if !sent {
                return Some("a key AWS always sends is missing or has a value it never has");
            }
        }
        if let Caller::Aws(arn) = request.caller()
            && !is_principal(self.partition, arn)
        {
            return Some("the caller is not an iam or sts principal of the partition");
        }
        // A service acts for a resource, which `aws:SourceArn` names by its ARN.
        if let Some(ContextValue::Single(source)) = request.context("aws:SourceArn")
            && arn::split(source).is_none()
        {
            return Some("the aws:SourceArn is not an ARN");
        }
        None
    }
}

/// The role name an IAM role ARN (`role/<path><name>`) or an STS session ARN
/// (`assumed-role/<name>/<session>`) carries.
fn role_name(arn: &str) -> Option<&str> {
    let [_, _, service, _, _, resource] = arn::split(arn)?;
    let name = match service {
        "iam" => resource.strip_prefix("role/")?.rsplit('/').next(),
        "sts" => resource.strip_prefix("assumed-role/")?.split('/').next(),
        _ => None,
    }?;
    (!name.is_empty()).then_some(name)
}

/// Whether `arn` can be the ARN of an IAM or STS principal of `partition`: the callers of the
/// domain.
fn is_principal(partition: Partition, arn: &str) -> bool {
    arn::split(arn).is_some_and(|[_, p, service, region, account, _]| {
        p == partition.as_str()
            && (service == "iam" || service == "sts")
            && region.is_empty()
            && AccountId::is_valid(account)
    })
}

/// Keys that follow from the caller; compared lowercase.
const CALLER_KEYS: [&str; 9] = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:sourceorgid",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:sourcearn",
    "aws:sourceaccount",
    "kms:calleraccount",
];

/// Whether `key` follows from the caller.
pub(crate) fn is_caller_key(key: &str) -> bool {
    CALLER_KEYS.contains(&key.to_ascii_lowercase().as_str())
}

/// What a predicate compares, as far as cutting a key's values goes (negation and `IfExists`
/// do not change the cells: the evaluator applies them to the cell's witness).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OperatorKind {
    String,
    StringIgnoreCase,
    StringLike,
    Numeric,
    Bool,
    Arn,
    Null,
}

/// One predicate of a condition block: operator kind, key, values.
struct Predicate<'a> {
    kind: OperatorKind,
    key: &'a str,
    values: &'a [String],
}

/// Every predicate of the statements, or why one cannot be modelled.
fn not_modelled(what: impl Into<String>) -> IncompleteReason {
    IncompleteReason::NotModelled(what.into())
}

/// The reason for patterns (`what`) whose exploration passed the state limit.
fn states(what: impl Into<String>) -> impl Fn(TooManyStates) -> IncompleteReason {
    let what = what.into();
    move |e| IncompleteReason::TooManyStates {
        what: what.clone(),
        limit: e.0,
    }
}

fn predicates<'a>(statements: &[&'a Statement]) -> Result<Vec<Predicate<'a>>, IncompleteReason> {
    let mut out = Vec::new();
    for s in statements {
        for (operator, keys) in s.condition() {
            let Ok(op) = Operator::parse(operator) else {
                return Err(not_modelled(format!(
                    "condition operator `{operator}` is not one of AWS's"
                )));
            };
            if op.set.is_some() {
                return Err(not_modelled(format!(
                    "set operator `{operator}` (multivalued keys) is not modelled"
                )));
            }
            let kind = match op.comparison {
                Comparison::StringEquals => OperatorKind::String,
                Comparison::StringEqualsIgnoreCase => OperatorKind::StringIgnoreCase,
                Comparison::StringLike => OperatorKind::StringLike,
                Comparison::Numeric(..) => OperatorKind::Numeric,
                Comparison::Bool => OperatorKind::Bool,
                Comparison::Arn => OperatorKind::Arn,
                Comparison::Null => OperatorKind::Null,
                Comparison::Date(..) | Comparison::BinaryEquals | Comparison::IpAddress => {
                    return Err(not_modelled(format!(
                        "condition operator `{operator}` is not modelled"
                    )));
                }
            };
            for (key, values) in keys {
                out.push(Predicate { kind, key, values });
            }
        }
    }
    Ok(out)
}

/// The pattern a predicate value stands for, in the string space of its key.
fn pattern(kind: OperatorKind, value: &str) -> Option<Pattern> {
    match kind {
        OperatorKind::String => Some(Pattern::literal(value, false)),
        OperatorKind::StringIgnoreCase => Some(Pattern::literal(value, true)),
        OperatorKind::StringLike => Some(Pattern::glob(value, false, Colons::Cross)),
        OperatorKind::Arn => Some(Pattern::glob(value, false, Colons::ArnFields)),
        OperatorKind::Numeric | OperatorKind::Bool | OperatorKind::Null => None,
    }
}

/// The predicate as one union of the patterns of its values: it holds when any matches.
fn union(q: &Predicate<'_>) -> Union {
    Union::new(q.values.iter().filter_map(|v| pattern(q.kind, v)).collect())
}

impl Space {
    /// Cuts the request space of `domain` for the statements of `policy` and `expectation`.
    ///
    /// # Errors
    /// Why the space cannot be cut exactly: a construct outside the modelled fragment (policy
    /// variables, `NotPrincipal`, a set operator, an operator the evaluator does not model, a
    /// key compared both as a number and as a string), or too many cells.
    pub(crate) fn new(
        domain: &Domain,
        policy: &PolicyDocument,
        expectation: &[&Statement],
    ) -> Result<Space, IncompleteReason> {
        let statements: Vec<&Statement> = policy
            .statements()
            .iter()
            .chain(expectation.iter().copied())
            .collect();
        // Whatever the version: a part is decided as a 2012-10-17 policy, where `${…}` is a
        // variable, while in an older one it is literal text.
        if statements
            .iter()
            .any(|s| serde_json::to_string(s).is_ok_and(|j| j.contains("${")))
        {
            return Err(not_modelled("policy variables (`${…}`) are not modelled"));
        }
        for s in &statements {
            match s.principal() {
                Some(Clause::Not(_)) => return Err(not_modelled("`NotPrincipal` is not modelled")),
                Some(Clause::Is(Principal::Typed(map)))
                    if map.contains_key(&PrincipalType::Federated)
                        || map.contains_key(&PrincipalType::CanonicalUser) =>
                {
                    return Err(not_modelled(
                        "`Federated` and `CanonicalUser` principals are not modelled",
                    ));
                }
                _ => {}
            }
        }
        let preds = predicates(&statements)?;
        Ok(Space {
            domain: domain.clone(),
            actions: actions(domain, &statements),
            resources: resources(domain, &statements, colon_sensitive(policy))?,
            who: who(domain, &statements, &preds)?,
            keys: keys(domain, &preds)?,
        })
    }

    /// How many atoms each dimension has, in order: actions, resources, callers, then keys.
    pub(crate) fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![self.actions.len(), self.resources.len(), self.who.len()];
        sizes.extend(self.keys.iter().map(|k| k.values.len()));
        sizes
    }
}

/// The service's actions grouped by the patterns that match them.
fn actions(domain: &Domain, statements: &[&Statement]) -> Vec<ActionAtom> {
    let patterns: BTreeSet<&str> = statements
        .iter()
        .filter_map(|s| s.action())
        .flat_map(|c| c.value().iter().map(String::as_str))
        .collect();
    let mut groups: Vec<(Vec<bool>, ActionAtom)> = Vec::new();
    for &action in domain.actions {
        let signature: Vec<bool> = patterns
            .iter()
            .map(|p| crate::eval::wildcard_match(p, action, true))
            .collect();
        if !groups.iter().any(|(s, _)| *s == signature) {
            groups.push((signature, ActionAtom { name: action }));
        }
    }
    groups.into_iter().map(|(_, a)| a).collect()
}

/// Whether a `Resource` pattern of the policy has a wildcard before the end of its resource
/// part: the evaluator decides it for an object key holding a colon only where AWS's two
/// readings agree
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>),
/// so the proof must try such keys. A wildcard only at the end reads the same either way.
fn colon_sensitive(policy: &PolicyDocument) -> bool {
    policy
        .statements()
        .iter()
        .filter_map(Statement::resource)
        .flat_map(|c| c.value())
        .any(|pattern| {
            let resource_part = pattern.splitn(6, ':').nth(5).unwrap_or_default();
            let body = resource_part.trim_end_matches('*');
            body.contains(['*', '?'])
        })
}

/// The bucket and the cells of its objects (with `colons`, also telling apart object keys
/// that hold a colon), and other S3 resources; or the key.
fn resources(
    domain: &Domain,
    statements: &[&Statement],
    colons: bool,
) -> Result<Vec<String>, IncompleteReason> {
    match &domain.resources {
        Resources::Key(key) => Ok(vec![key.clone()]),
        Resources::Bucket(bucket) => {
            let lists: BTreeSet<&Vec<String>> = statements
                .iter()
                .filter_map(|s| s.resource())
                .map(|c| c.value())
                .collect();
            let patterns: Vec<Union> = lists
                .iter()
                .map(|list| {
                    Union::new(
                        list.iter()
                            .map(|v| Pattern::glob(v, false, Colons::Cross))
                            .collect(),
                    )
                })
                .collect();
            let too_many = states("the resource patterns");
            let mut patterns = patterns;
            if colons {
                patterns.push(Union::new(vec![Pattern::glob(
                    &format!("{bucket}/*:*"),
                    false,
                    Colons::Cross,
                )]));
            }
            let objects = cells(
                &patterns,
                &format!("{bucket}/"),
                "",
                Shape::NonEmpty,
                STATE_LIMIT,
            )
            .map_err(&too_many)?;
            // Other S3 resources, which a policy of this bucket should not name (S3 refuses
            // such a policy), but which a statement copied from another bucket's policy does.
            let mut others = patterns.clone();
            others.push(Union::new(vec![Pattern::literal(bucket, false)]));
            others.push(Union::new(vec![Pattern::glob(
                &format!("{bucket}/*"),
                false,
                Colons::Cross,
            )]));
            let service = format!("arn:{}:s3:::", domain.partition.as_str());
            let elsewhere = cells(&others, &service, "", Shape::NonEmpty, STATE_LIMIT)
                .map_err(&too_many)?
                .into_iter()
                .filter(|c| !c.matched.iter().rev().take(2).any(|&m| m));
            let mut out = vec![bucket.clone()];
            out.extend(objects.into_iter().map(|c| c.witness));
            out.extend(elsewhere.map(|c| c.witness));
            Ok(out)
        }
    }
}

/// Every caller, with the keys that follow from it.
fn who(
    domain: &Domain,
    statements: &[&Statement],
    preds: &[Predicate<'_>],
) -> Result<Vec<WhoAtom>, IncompleteReason> {
    let p = domain.partition;
    let on = |key: &'static str| {
        preds
            .iter()
            .filter(move |q| q.key.eq_ignore_ascii_case(key))
    };
    let principals = statements.iter().filter_map(|s| match s.principal() {
        Some(Clause::Is(Principal::Typed(map))) => Some(map),
        _ => None,
    });
    // Only what the statements name tells callers apart: every other service, account or
    // principal behaves like the fresh one each dimension adds.
    let mut services: BTreeSet<String> = BTreeSet::new();
    let mut arns: BTreeSet<String> = BTreeSet::new();
    let mut accounts: BTreeSet<String> = BTreeSet::new();
    for map in principals {
        services.extend(
            map.get(&PrincipalType::Service)
                .into_iter()
                .flatten()
                .cloned(),
        );
        for value in map.get(&PrincipalType::Aws).into_iter().flatten() {
            if AccountId::is_valid(value) {
                accounts.insert(value.clone());
            } else if let Some(account) =
                arn::account_field(value).filter(|a| AccountId::is_valid(a))
            {
                accounts.insert(account.to_owned());
                arns.insert(value.clone());
            }
        }
    }
    // Services: the cells of the named services and the `aws:PrincipalServiceName`
    // predicates, the one that matches none of them included.
    let mut service_predicates: Vec<Union> = services
        .iter()
        .map(|s| Union::new(vec![Pattern::literal(s, false)]))
        .collect();
    service_predicates.extend(on("aws:principalservicename").map(union));
    let services: BTreeSet<String> =
        cells(&service_predicates, "", "", Shape::NonEmpty, STATE_LIMIT)
            .map_err(states("the service names"))?
            .into_iter()
            .map(|c| c.witness)
            .chain(services)
            .collect();
    for key in ["aws:principalaccount", "kms:calleraccount"] {
        for q in on(key) {
            for v in q.values {
                if v.contains(['*', '?']) && q.kind == OperatorKind::StringLike {
                    return Err(not_modelled(format!(
                        "wildcard account patterns on `{}` are not modelled",
                        q.key
                    )));
                }
                if AccountId::is_valid(v) {
                    accounts.insert(v.clone());
                }
            }
        }
    }
    let arn_patterns: Vec<Union> = on("aws:principalarn").map(union).collect();
    for q in on("aws:principalarn") {
        for v in q.values {
            // An account field only partly wildcarded (`12345678901?`) names accounts the
            // proof does not cut.
            if let Some(field) = v.split(':').nth(4)
                && field.contains(['*', '?'])
                && field != "*"
            {
                return Err(not_modelled(format!(
                    "an `aws:PrincipalArn` pattern with a partly wildcarded account (`{v}`) is not modelled"
                )));
            }
            if let Some(account) = arn::account_field(v).filter(|a| AccountId::is_valid(a)) {
                accounts.insert(account.to_owned());
                if !v.contains(['*', '?']) {
                    arns.insert(v.clone());
                }
            }
        }
    }
    accounts.insert(fresh_account(&accounts));

    let principal_orgs = optional_cells(preds, "aws:principalorgid")?;
    let source_orgs = optional_cells(preds, "aws:sourceorgid")?;
    // An anonymous request's `aws:PrincipalAccount` is `anonymous`
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount>).
    let mut out = vec![WhoAtom {
        caller: Caller::Anonymous,
        context: vec![("aws:PrincipalAccount".to_owned(), "anonymous".to_owned())],
    }];
    // AWS principals of each account: the root, and for roles, users and federated users the
    // cells of the `aws:PrincipalArn` predicates together with each principal the statements
    // name there (as a literal), so that "matches a pattern but is not the named principal"
    // and "matches nothing named" each have a witness.
    let mut principal_arns: BTreeSet<String> = BTreeSet::new();
    // A session's ARN gives its role's name only, and `aws:PrincipalArn` is the role's ARN
    // with its path
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn>);
    // a role entry names the sessions of every role of its name. So for each role name the
    // statements name (in a role or a session ARN), per account, each cell of the role ARNs of
    // that name, whatever the path.
    let mut roles_named: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for account in &accounts {
        principal_arns.insert(arn::format(p, "iam", "", account, "root"));
        let mut predicates = arn_patterns.clone();
        predicates.extend(
            arns.iter()
                .filter(|a| arn::account_field(a) == Some(account.as_str()))
                .map(|a| Union::new(vec![Pattern::literal(a, false)])),
        );
        for (service, kind) in [
            ("iam", "role/"),
            ("iam", "user/"),
            ("sts", "federated-user/"),
        ] {
            let prefix = arn::format(p, service, "", account, kind);
            let found = cells(&predicates, &prefix, "", Shape::IamName, STATE_LIMIT)
                .map_err(states("the aws:PrincipalArn patterns"))?;
            principal_arns.extend(found.into_iter().map(|c| c.witness));
        }
        let role_prefix = arn::format(p, "iam", "", account, "role/");
        let names: BTreeSet<&str> = arns
            .iter()
            .filter(|a| arn::account_field(a) == Some(account.as_str()) && is_principal(p, a))
            .filter_map(|a| role_name(a))
            .collect();
        for name in names {
            let mut named = predicates.clone();
            named.push(Union::new(vec![
                Pattern::literal(&format!("{role_prefix}{name}"), false),
                Pattern::glob(&format!("{role_prefix}?*/{name}"), false, Colons::Cross),
            ]));
            let roles: Vec<String> = cells(&named, &role_prefix, "", Shape::IamName, STATE_LIMIT)
                .map_err(states(format!("the roles named `{name}`")))?
                .into_iter()
                .filter(|c| c.matched.last() == Some(&true))
                .map(|c| c.witness)
                .collect();
            if roles.is_empty() {
                return Err(not_modelled(format!(
                    "no role ARN fits the role name `{name}`"
                )));
            }
            roles_named.insert((account.as_str(), name), roles);
        }
    }
    // A named ARN no principal can have (another partition or service) names no caller.
    principal_arns.extend(arns.iter().filter(|a| is_principal(p, a)).cloned());
    let mut sessions_paired: BTreeSet<(&str, &str)> = BTreeSet::new();
    for principal in &principal_arns {
        let Some([_, _, service, _, account, _]) = arn::split(principal) else {
            continue;
        };
        // A role or user is its own `aws:PrincipalArn`, and so is a federated user; a session
        // has its role's, at any path when the statements name its role's name.
        let mut callers = vec![];
        match (service, role_name(principal)) {
            ("iam", Some(name)) => {
                callers.push((principal.clone(), principal.clone()));
                // A session the statements do not name, standing for every such session.
                let session = (0u32..)
                    .map(|n| {
                        let id = if n == 0 {
                            "probe".to_owned()
                        } else {
                            format!("probe{n}")
                        };
                        arn::format(p, "sts", "", account, &format!("assumed-role/{name}/{id}"))
                    })
                    .find(|s| !arns.contains(s))
                    .unwrap_or_default();
                match roles_named.get(&(account, name)) {
                    Some(roles) => {
                        if sessions_paired.insert((account, name)) {
                            callers.extend(roles.iter().map(|r| (session.clone(), r.clone())));
                        }
                    }
                    None => callers.push((session, principal.clone())),
                }
            }
            ("sts", Some(name)) => match roles_named.get(&(account, name)) {
                Some(roles) => callers.extend(roles.iter().map(|r| (principal.clone(), r.clone()))),
                None => callers.push((
                    principal.clone(),
                    arn::format(p, "iam", "", account, &format!("role/{name}")),
                )),
            },
            _ => callers.push((principal.clone(), principal.clone())),
        }
        for (caller, principal_arn) in callers {
            let mut context = vec![
                ("aws:PrincipalArn".to_owned(), principal_arn),
                ("aws:PrincipalAccount".to_owned(), account.to_owned()),
                ("aws:PrincipalIsAWSService".to_owned(), "false".to_owned()),
            ];
            if domain.caller_account_key {
                context.push(("kms:CallerAccount".to_owned(), account.to_owned()));
            }
            for org in &principal_orgs {
                out.push(WhoAtom {
                    caller: Caller::Aws(caller.clone()),
                    context: with_optional(&context, "aws:PrincipalOrgID", org.as_ref()),
                });
            }
        }
    }
    // Services (the fresh one among the cells above), each without a source and with each
    // source cell.
    let sources = sources(preds)?;
    // What a service's `aws:PrincipalAccount` holds AWS does not say: absent, or any account.
    let mut service_accounts: Vec<Option<&String>> = vec![None];
    if on("aws:principalaccount").next().is_some() {
        service_accounts.extend(accounts.iter().map(Some));
    }
    for service in services {
        let base = vec![
            ("aws:PrincipalIsAWSService".to_owned(), "true".to_owned()),
            ("aws:PrincipalServiceName".to_owned(), service.clone()),
        ];
        let mut contexts = vec![base.clone()];
        for (source, account) in &sources {
            let mut context = base.clone();
            context.push(("aws:SourceArn".to_owned(), source.clone()));
            if let Some(account) = account {
                context.push(("aws:SourceAccount".to_owned(), account.clone()));
            }
            // The organization of the source's account, if any: the proof does not know which
            // accounts are members, so every source may be in any organization, or in none.
            for org in &source_orgs {
                contexts.push(with_optional(&context, "aws:SourceOrgID", org.as_ref()));
            }
        }
        for context in contexts {
            for account in &service_accounts {
                out.push(WhoAtom {
                    caller: Caller::Service(service.clone()),
                    context: with_optional(&context, "aws:PrincipalAccount", *account),
                });
            }
        }
    }
    Ok(out)
}

/// `context` with `key` set to `value`, or as it is when `value` is `None`.
fn with_optional(
    context: &[(String, String)],
    key: &str,
    value: Option<&String>,
) -> Vec<(String, String)> {
    let mut out = context.to_vec();
    out.extend(value.map(|v| (key.to_owned(), v.clone())));
    out
}

/// The cells of the string predicates on `key` (lowercase), and absent.
fn optional_cells(
    preds: &[Predicate<'_>],
    key: &str,
) -> Result<Vec<Option<String>>, IncompleteReason> {
    let on: Vec<&Predicate<'_>> = preds
        .iter()
        .filter(|q| q.key.eq_ignore_ascii_case(key))
        .collect();
    let patterns: Vec<Union> = on.iter().map(|q| union(q)).collect();
    let mut out = vec![None];
    if !on.is_empty() {
        let found = cells(&patterns, "", "", Shape::NonEmpty, STATE_LIMIT)
            .map_err(states(format!("the patterns of `{key}`")))?;
        out.extend(found.into_iter().map(|c| Some(c.witness)));
    }
    Ok(out)
}

/// The `aws:SourceArn` and `aws:SourceAccount` a service's request can carry, as cells of
/// their predicates. A source ARN that names an account (a trail's) comes with that account as
/// `aws:SourceAccount` (the owner of the resource the service acts for); one that names none (a
/// bucket's) with any account, or none.
fn sources(preds: &[Predicate<'_>]) -> Result<Vec<(String, Option<String>)>, IncompleteReason> {
    let too_many = states("the aws:SourceArn patterns");
    let mut arns = Vec::new();
    let mut in_field = Vec::new();
    let mut accounts = Vec::new();
    for q in preds {
        match q.key.to_ascii_lowercase().as_str() {
            "aws:sourcearn" => arns.push(union(q)),
            "aws:sourceaccount" => {
                accounts.push(union(q));
                in_field.push(Union::new(
                    q.values
                        .iter()
                        .filter_map(|v| pattern(q.kind, v))
                        .map(|inner| Pattern::in_account_field(&inner))
                        .collect(),
                ));
            }
            _ => {}
        }
    }
    let extra = "0123456789";
    let mut out = Vec::new();
    let mut with_account = arns.clone();
    with_account.extend(in_field);
    for c in cells(
        &with_account,
        "",
        extra,
        Shape::ArnAccount(true),
        STATE_LIMIT,
    )
    .map_err(&too_many)?
    {
        let account = arn::account_field(&c.witness).map(str::to_owned);
        out.push((c.witness, account));
    }
    let mut account_values: Vec<Option<String>> = vec![None];
    if !accounts.is_empty() {
        account_values.extend(
            cells(&accounts, "", extra, Shape::NonEmpty, STATE_LIMIT)
                .map_err(&too_many)?
                .into_iter()
                .map(|c| Some(c.witness)),
        );
    }
    for c in cells(&arns, "", extra, Shape::ArnAccount(false), STATE_LIMIT).map_err(&too_many)? {
        for account in &account_values {
            out.push((c.witness.clone(), account.clone()));
        }
    }
    Ok(out)
}

/// The values of every other key: the cells of its predicates, and absent unless always sent.
fn keys(domain: &Domain, preds: &[Predicate<'_>]) -> Result<Vec<KeyDim>, IncompleteReason> {
    let mut names: Vec<String> = preds
        .iter()
        .filter(|q| !is_caller_key(q.key))
        .map(|q| q.key.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let on: Vec<&Predicate<'_>> = preds
            .iter()
            .filter(|q| q.key.to_ascii_lowercase() == name)
            .collect();
        let key = on.first().map_or(name.clone(), |q| q.key.to_owned());
        let kinds: BTreeSet<u8> = on
            .iter()
            .filter(|q| q.kind != OperatorKind::Null)
            .map(|q| match q.kind {
                OperatorKind::Numeric => 1,
                OperatorKind::Bool => 2,
                _ => 0,
            })
            .collect();
        if kinds.len() > 1 {
            return Err(not_modelled(format!(
                "key `{key}` is compared as more than one type"
            )));
        }
        let always = domain
            .always
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&name));
        let mut values: Vec<Option<String>> = match (always, kinds.first()) {
            (Some((_, values)), _) => values.iter().map(|v| Some((*v).to_owned())).collect(),
            (None, Some(1)) => numbers(&on)?.into_iter().map(Some).collect(),
            (None, Some(2)) => vec![Some("true".into()), Some("false".into())],
            (None, _) => {
                // Any string, ARN-shaped or not: an ARN operator on a value that is not an ARN
                // is something the evaluator declines, and then so does the proof.
                let patterns: Vec<Union> = on.iter().map(|q| union(q)).collect();
                let shape = Shape::Any;
                let found = cells(&patterns, "", "0", shape, STATE_LIMIT)
                    .map_err(states(format!("the patterns of `{key}`")))?;
                found.into_iter().map(|c| Some(c.witness)).collect()
            }
        };
        if always.is_none() {
            values.push(None);
        }
        out.push(KeyDim { key, values });
    }
    Ok(out)
}

/// Numbers on both sides of every constant of the numeric predicates, and the constants.
fn numbers(on: &[&Predicate<'_>]) -> Result<Vec<String>, IncompleteReason> {
    let mut constants: Vec<f64> = Vec::new();
    for q in on {
        for v in q.values {
            // The cuts are made in f64, exact for decimals of at most 15 significant digits
            // (and their neighbours one apart); the evaluator compares exact decimals.
            let digits = v
                .bytes()
                .filter(u8::is_ascii_digit)
                .skip_while(|&b| b == b'0')
                .count();
            let plain = v
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
            let n = v
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && n.abs() < 1e15);
            let (Some(n), true, true) = (n, plain, digits <= 15) else {
                return Err(not_modelled(format!(
                    "`{v}` is not a number the proof can cut exactly"
                )));
            };
            constants.push(n);
        }
    }
    constants.sort_by(f64::total_cmp);
    constants.dedup();
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (constants.first(), constants.last()) else {
        return Ok(vec!["0".into()]);
    };
    out.push(first - 1.0);
    for pair in constants.windows(2) {
        if let [a, b] = pair {
            out.push(*a);
            out.push((a + b) / 2.0);
        }
    }
    out.push(*last);
    out.push(last + 1.0);
    Ok(out.into_iter().map(|n| format!("{n}")).collect())
}

/// A 12-digit account none of `taken` is.
fn fresh_account(taken: &BTreeSet<String>) -> String {
    (1u64..)
        .map(|n| format!("{:012}", 999_999_999_999 - n * 7_919))
        .find(|a| !taken.contains(a))
        .unwrap_or_default()
}

/// The synthetic statement that tests one part of `statement`, so that the evaluator decides
/// it alone: everything else is `*` and unconditioned.
pub(crate) fn part(statement: &Statement, which: Part<'_>) -> Statement {
    let any = || Clause::Is(vec!["*".to_owned()]);
    // The tested element as the statement has it, absent included (the evaluator matches
    // nothing then); the others match everything.
    let (principal, action, resource) = match which {
        Part::Action => (
            Some(Clause::Is(Principal::Any)),
            statement.action().cloned(),
            Some(any()),
        ),
        Part::Resource => (
            Some(Clause::Is(Principal::Any)),
            Some(any()),
            statement.resource().cloned(),
        ),
        Part::Who => (statement.principal().cloned(), Some(any()), Some(any())),
        Part::Key(_) => (Some(Clause::Is(Principal::Any)), Some(any()), Some(any())),
    };
    let mut s = Statement::new(Effect::Allow);
    if let Some(p) = principal {
        s = s.with_principal(p);
    }
    if let Some(a) = action {
        s = s.with_action(a);
    }
    if let Some(r) = resource {
        s = s.with_resource(r);
    }
    match which {
        Part::Who => with_conditions(s, statement, is_caller_key),
        Part::Key(key) => with_conditions(s, statement, |k| k.eq_ignore_ascii_case(key)),
        Part::Action | Part::Resource => s,
    }
}

/// Which part of a statement [`part`] keeps.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    Action,
    Resource,
    /// The principal and the conditions on keys that follow from the caller.
    Who,
    /// The conditions on one other key.
    Key(&'a str),
}

fn with_conditions(mut s: Statement, from: &Statement, keep: impl Fn(&str) -> bool) -> Statement {
    for (operator, keys) in from.condition() {
        for (key, values) in keys {
            if keep(key) {
                s = s.with_condition(operator.clone(), key.clone(), values.iter().cloned());
            }
        }
    }
    s
}

/// The request for one atom of each dimension.
pub(crate) fn request(
    space: &Space,
    action: usize,
    resource: usize,
    who: usize,
    keys: &[usize],
) -> Option<Request> {
    let w = space.who.get(who)?;
    let mut r = Request::new(
        w.caller.clone(),
        space.actions.get(action)?.name,
        space.resources.get(resource)?.clone(),
    );
    for (k, v) in &w.context {
        r = r.with_context(k.clone(), v.clone());
    }
    for (dim, &i) in space.keys.iter().zip(keys) {
        if let Some(Some(v)) = dim.values.get(i) {
            r = r.with_context(dim.key.clone(), v.clone());
        }
    }
    // Keys AWS always sends that no statement names: any of their values will do.
    for (key, values) in space.domain.always {
        if r.context(key).is_none()
            && let Some(v) = values.first()
        {
            r = r.with_context(*key, *v);
        }
    }
    Some(r)
}
