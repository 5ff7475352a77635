//! Witnesses: concrete callers, with a request context, that one statement's `Principal` and
//! `Condition` accept. A lint sends each witness the actions the statement covers and asks the
//! evaluator whether the whole policy lets it through; a witness that is not let through proves
//! nothing, so a witness that fails a condition the builder could not satisfy only costs a
//! finding, never invents one.
//!
//! The builder reads the statement alone and knows nothing of an intent: the caller supplies
//! stand-ins (an account nobody named, organization ids to try).

use std::collections::BTreeMap;

use crate::document::grammar::{Comparison, Operator, SetOperator};
use crate::document::{Clause, Principal, PrincipalType, Statement};
use crate::id::{AccountId, arn};

use super::identity::{Kind, parse_principal_arn};
use super::request::{Caller, ContextValue, Request};

/// What the builder may use for the parts a statement leaves open.
#[derive(Debug, Clone)]
pub(crate) struct StandIns<'a> {
    /// The partition of the resource, for made-up principal ARNs.
    pub(crate) partition: &'a str,
    /// A 12-digit account nobody named: the account of "any principal".
    pub(crate) outsider: &'a str,
    /// Whether the service takes anonymous requests (S3 does; every KMS request is signed).
    pub(crate) anonymous: bool,
    /// Organizations whose members to try (`aws:PrincipalOrgID`), besides any the statement
    /// names in its own conditions.
    pub(crate) organizations: &'a [String],
}

/// Who a witness stands for, as a finding names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Who {
    /// Anyone, anonymous callers included.
    Anyone,
    /// Any authenticated principal of any account (the witness uses an account nobody named).
    AnyPrincipal,
    /// Any principal of this account (an account id or `:root` entry, or a condition on the
    /// caller's account).
    Account(String),
    /// This user, role or session.
    Principal(String),
    /// This AWS service principal.
    Service(String),
}

/// One witness: who it stands for, the caller, and the context the statement's conditions
/// want (identity keys consistent with the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Witness {
    pub(crate) who: Who,
    /// The organization the caller belongs to (`aws:PrincipalOrgID`), if any.
    pub(crate) organization: Option<String>,
    /// The organization the resource's owner must belong to (`aws:ResourceOrgID`), if the
    /// statement requires one.
    pub(crate) resource_organization: Option<String>,
    /// The account a service acts for (`aws:SourceAccount`), for service callers, when a
    /// condition of the statement names it; `None` for a service any account can direct (a
    /// confused deputy), whose witness acts for an account nobody named.
    pub(crate) source_account: Option<String>,
    pub(crate) caller: Caller,
    context: BTreeMap<String, ContextValue>,
}

impl Witness {
    /// The caller's account, when it has one.
    pub(crate) fn account(&self) -> Option<&str> {
        match &self.caller {
            Caller::Aws(a) => arn::account_field(a),
            Caller::Anonymous | Caller::Service(_) => None,
        }
    }

    /// Whether the witness stands for exactly the principal `arn` (an account root stands for
    /// its account).
    pub(crate) fn names(&self, arn: &str) -> bool {
        match &self.who {
            Who::Principal(p) => p == arn,
            Who::Account(a) => parse_principal_arn(arn)
                .is_some_and(|id| matches!(id.kind, Kind::Root) && id.account == a),
            Who::Anyone | Who::AnyPrincipal | Who::Service(_) => false,
        }
    }

    /// The witness's request for `action` on `resource`.
    pub(crate) fn request(&self, action: &str, resource: &str) -> Request {
        let mut request = Request::new(self.caller.clone(), action, resource);
        for (key, value) in &self.context {
            request = match value {
                ContextValue::Single(v) => request.with_context(key.clone(), v.clone()),
                ContextValue::Multi(vs) => request.with_context_values(key.clone(), vs.clone()),
                ContextValue::Unknown => request.with_unknown_context(key.clone()),
                ContextValue::OneOf(alternatives) => {
                    request.with_context_one_of(key.clone(), alternatives.clone())
                }
            };
        }
        request
    }
}

/// Keys whose value is the caller's identity: set from the caller, never from a condition.
const IDENTITY: [&str; 9] = [
    "aws:principalarn",
    "aws:principalaccount",
    "kms:calleraccount",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principaltype",
    "aws:userid",
    "aws:username",
    "aws:sourceaccount",
];

/// The witnesses of an `Allow` statement: one per kind of caller its principal names (for
/// `"*"` an anonymous caller and a principal of an account nobody named), each also as a member
/// of every organization to try. A principal value the evaluator cannot read gives a witness
/// from an account nobody named, so that the evaluator says what it cannot decide.
pub(crate) fn witnesses(statement: &Statement, stand_ins: &StandIns<'_>) -> Vec<Witness> {
    let wanted = wanted_context(statement, stand_ins.outsider);
    let mut out = Vec::new();
    let everyone = |out: &mut Vec<Witness>| {
        if stand_ins.anonymous {
            out.push(base(Who::Anyone, Caller::Anonymous, &wanted));
        }
        out.extend(person(None, stand_ins, &wanted));
    };
    match statement.principal() {
        None => {}
        Some(Clause::Is(Principal::Any)) | Some(Clause::Not(_)) => everyone(&mut out),
        Some(Clause::Is(Principal::Typed(map))) => {
            for (kind, values) in map {
                for value in values {
                    match kind {
                        PrincipalType::Service => {
                            out.push(service(value, stand_ins, &wanted));
                        }
                        PrincipalType::Aws if value == "*" => everyone(&mut out),
                        PrincipalType::Aws => out.extend(person(Some(value), stand_ins, &wanted)),
                        PrincipalType::CanonicalUser | PrincipalType::Federated => {
                            out.extend(person(None, stand_ins, &wanted));
                        }
                    }
                }
            }
        }
    }
    // One organization variant per witness that is not already a member of one.
    let mut with_orgs = Vec::with_capacity(out.len());
    for w in out {
        let member = w.organization.is_none() && matches!(w.caller, Caller::Aws(_));
        with_orgs.push(w.clone());
        if member {
            for org in stand_ins.organizations {
                let mut m = w.clone();
                set_organization(&mut m, org);
                with_orgs.push(m);
            }
        }
    }
    with_orgs.dedup();
    with_orgs
}

/// What the statement's conditions want in the context: for each key (lowercase), the value
/// that satisfies its condition, or `None` to leave the key out. Keys of several conditions
/// take the last one's; the witness may then fail, which only costs a finding.
fn wanted_context(statement: &Statement, outsider: &str) -> BTreeMap<String, Option<ContextValue>> {
    let mut wanted = BTreeMap::new();
    for (name, keys) in statement.condition() {
        let Ok(op) = Operator::parse(name) else {
            continue;
        };
        for (key, values) in keys {
            let first = values.first().map(String::as_str).unwrap_or_default();
            let value = satisfying(op, first, outsider);
            let value = match (op.set, value) {
                (Some(SetOperator::ForAnyValue), Some(ContextValue::Single(v))) => {
                    Some(ContextValue::Multi(vec![v]))
                }
                (Some(SetOperator::ForAllValues), _) => None,
                (_, value) => value,
            };
            wanted.insert(key.to_ascii_lowercase(), value);
        }
    }
    wanted
}

/// A value that satisfies one condition whose first policy value is `p`; `None` when leaving
/// the key out does (negated operators, `IfExists`, `Null: true`).
fn satisfying(op: Operator, p: &str, outsider: &str) -> Option<ContextValue> {
    if op.negated || (op.if_exists && op.comparison != Comparison::Bool) {
        return None;
    }
    let single = |s: String| Some(ContextValue::Single(s));
    match op.comparison {
        Comparison::StringEquals | Comparison::StringEqualsIgnoreCase => single(p.to_owned()),
        Comparison::StringLike => single(fill(p, outsider)),
        Comparison::Arn => single(fill_arn(p, outsider)),
        Comparison::Bool => single(p.to_owned()),
        Comparison::Null => (p == "false").then(|| ContextValue::Single("probe".into())),
        Comparison::Numeric(ordering, or_equal) => {
            let n: i128 = p.parse().ok()?;
            let v = match (ordering, or_equal) {
                (_, true) => n,
                (std::cmp::Ordering::Less, false) => n.checked_sub(1)?,
                (_, false) => n.checked_add(1)?,
            };
            single(v.to_string())
        }
        Comparison::Date(..) | Comparison::IpAddress | Comparison::BinaryEquals => {
            Some(ContextValue::Unknown)
        }
    }
}

/// A string a `StringLike` pattern matches: each `*` as `probe`, each `?` as `x`; a pattern
/// that is only wildcards and could stand for an account gets the stand-in account.
fn fill(pattern: &str, outsider: &str) -> String {
    if pattern == "*" || pattern == "????????????" {
        return outsider.to_owned();
    }
    pattern.replace('*', "probe").replace('?', "x")
}

/// An ARN an `ArnLike` pattern matches, field by field: a wildcard account field is the
/// stand-in account.
fn fill_arn(pattern: &str, outsider: &str) -> String {
    let Some([prefix, partition, service, region, account, resource]) = arn::split(pattern) else {
        return fill(pattern, outsider);
    };
    let account = if account.contains(['*', '?']) {
        outsider.to_owned()
    } else {
        account.to_owned()
    };
    let region = if region == "*" {
        "us-east-1".to_owned()
    } else {
        fill(region, outsider)
    };
    arn::join([
        prefix,
        &fill(partition, outsider),
        service,
        &region,
        &account,
        &fill(resource, outsider),
    ])
}

fn base(who: Who, caller: Caller, wanted: &BTreeMap<String, Option<ContextValue>>) -> Witness {
    let mut context = BTreeMap::new();
    for (key, value) in wanted {
        if IDENTITY.contains(&key.as_str()) || key.starts_with("aws:principalorg") {
            continue;
        }
        if let Some(value) = value {
            context.insert(key.clone(), value.clone());
        }
    }
    context
        .entry("aws:securetransport".into())
        .or_insert_with(|| ContextValue::Single("true".into()));
    let resource_organization = match wanted.get("aws:resourceorgid") {
        Some(Some(ContextValue::Single(org))) => Some(org.clone()),
        _ => None,
    };
    Witness {
        who,
        organization: None,
        resource_organization,
        source_account: None,
        caller,
        context,
    }
}

fn set_organization(w: &mut Witness, org: &str) {
    w.organization = Some(org.to_owned());
    w.context.insert(
        "aws:principalorgid".into(),
        ContextValue::Single(org.to_owned()),
    );
    w.context.insert(
        "aws:principalorgpaths".into(),
        ContextValue::Multi(vec![format!("{org}/r-probe/ou-probe/")]),
    );
}

/// A service principal acting for a resource of the account the conditions name, or of an
/// account nobody named (a confused deputy).
fn service(
    name: &str,
    stand_ins: &StandIns<'_>,
    wanted: &BTreeMap<String, Option<ContextValue>>,
) -> Witness {
    let mut w = base(
        Who::Service(name.to_owned()),
        Caller::Service(name.to_owned()),
        wanted,
    );
    let bound = match wanted.get("aws:sourceaccount") {
        Some(Some(ContextValue::Single(a))) => Some(a.clone()),
        _ => None,
    };
    let account = bound
        .clone()
        .unwrap_or_else(|| stand_ins.outsider.to_owned());
    w.context
        .insert("aws:sourceaccount".into(), ContextValue::Single(account));
    w.source_account = bound;
    w.context.insert(
        "aws:principalisawsservice".into(),
        ContextValue::Single("true".into()),
    );
    w.context.insert(
        "aws:principalservicename".into(),
        ContextValue::Single(name.to_owned()),
    );
    w
}

/// An IAM principal: the one `value` names (an account's made-up role for an account entry),
/// or, for "any principal", the one the conditions pin (`aws:PrincipalArn`,
/// `aws:PrincipalAccount`, `kms:CallerAccount`) or a role of an account nobody named.
fn person(
    value: Option<&str>,
    stand_ins: &StandIns<'_>,
    wanted: &BTreeMap<String, Option<ContextValue>>,
) -> Option<Witness> {
    let single = |key: &str| match wanted.get(key) {
        Some(Some(ContextValue::Single(v))) => Some(v.as_str()),
        _ => None,
    };
    let role_of = |account: &str| {
        arn::join([
            "arn",
            stand_ins.partition,
            "iam",
            "",
            account,
            "role/probe-principal",
        ])
    };
    let (who, caller) = match value {
        Some(v) if AccountId::is_valid(v) => (Who::Account(v.to_owned()), role_of(v)),
        Some(v) => match parse_principal_arn(v) {
            Some(id) if matches!(id.kind, Kind::Root) => {
                (Who::Account(id.account.to_owned()), role_of(id.account))
            }
            Some(_) => (Who::Principal(v.to_owned()), v.to_owned()),
            None => (Who::AnyPrincipal, role_of(stand_ins.outsider)),
        },
        None => {
            let pinned_arn = single("aws:principalarn")
                .and_then(|p| parse_principal_arn(p).map(|_| p.to_owned()));
            let pinned_account = single("aws:principalaccount")
                .or_else(|| single("kms:calleraccount"))
                .filter(|a| AccountId::is_valid(a));
            match (pinned_arn, pinned_account) {
                (Some(arn), _) => (Who::Principal(arn.clone()), arn),
                (None, Some(account)) => (Who::Account(account.to_owned()), role_of(account)),
                (None, None) => (Who::AnyPrincipal, role_of(stand_ins.outsider)),
            }
        }
    };
    let id = parse_principal_arn(&caller)?;
    let account = id.account.to_owned();
    // `aws:PrincipalArn` of a session is its role's ARN.
    let principal_arn = match id.kind {
        Kind::Session { role } => arn::join([
            "arn",
            id.partition,
            "iam",
            "",
            id.account,
            &format!("role/{role}"),
        ]),
        _ => caller.clone(),
    };
    let mut w = base(who, Caller::Aws(caller), wanted);
    for (key, value) in [
        ("aws:principalarn", principal_arn),
        ("aws:principalaccount", account.clone()),
        ("kms:calleraccount", account),
        ("aws:principalisawsservice", "false".to_owned()),
    ] {
        w.context.insert(key.into(), ContextValue::Single(value));
    }
    let org = match wanted.get("aws:principalorgid") {
        Some(Some(ContextValue::Single(org))) => Some(org.clone()),
        _ => match wanted.get("aws:principalorgpaths") {
            Some(Some(ContextValue::Multi(paths))) => paths
                .first()
                .and_then(|p| p.split('/').next())
                .map(str::to_owned),
            _ => None,
        },
    };
    if let Some(org) = org {
        set_organization(&mut w, &org);
        if let Some(Some(paths @ ContextValue::Multi(_))) = wanted.get("aws:principalorgpaths") {
            w.context
                .insert("aws:principalorgpaths".into(), paths.clone());
        }
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::PolicyDocument;

    fn statement(json: &str) -> Statement {
        PolicyDocument::from_json(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{json}]}}"#
        ))
        .unwrap()
        .into_statements()
        .remove(0)
    }

    const STAND_INS: StandIns<'static> = StandIns {
        partition: "aws",
        outsider: "999999998888",
        anonymous: true,
        organizations: &[],
    };

    #[test]
    fn everyone_gives_an_anonymous_caller_and_a_stranger() {
        let s = statement(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#);
        let w = witnesses(&s, &STAND_INS);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].caller, Caller::Anonymous);
        assert_eq!(w[1].who, Who::AnyPrincipal);
        assert_eq!(
            w[1].caller,
            Caller::Aws("arn:aws:iam::999999998888:role/probe-principal".into())
        );
    }

    #[test]
    fn conditions_pin_the_caller_and_the_organization() {
        let s = statement(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",
                "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},
                             "ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Deploy*"}}}"#,
        );
        let w = witnesses(&s, &STAND_INS);
        let person = w.iter().find(|w| w.who != Who::Anyone).unwrap();
        assert_eq!(
            person.who,
            Who::Principal("arn:aws:iam::999999998888:role/Deployprobe".into())
        );
        assert_eq!(person.organization.as_deref(), Some("o-a1b2c3d4e5"));
        let r = person.request("s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(
            r.context("aws:PrincipalOrgID"),
            Some(&ContextValue::Single("o-a1b2c3d4e5".into()))
        );
    }

    #[test]
    fn services_act_for_the_named_account_or_a_stranger() {
        let s = statement(
            r#"{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"*",
                "Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"}}}"#,
        );
        let w = witnesses(&s, &STAND_INS);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].source_account.as_deref(), Some("111122223333"));
        let t = statement(
            r#"{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"*"}"#,
        );
        let unbound = &witnesses(&t, &STAND_INS)[0];
        assert_eq!(unbound.source_account, None);
        assert_eq!(
            unbound
                .request("s3:GetBucketAcl", "arn:aws:s3:::b")
                .context("aws:SourceAccount"),
            Some(&ContextValue::Single("999999998888".into()))
        );
    }
}
