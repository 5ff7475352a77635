//! `Principal` / `NotPrincipal` against the caller.
//!
//! Source for every rule here unless noted:
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>
//! and, for `NotPrincipal`,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>.

use crate::document::{Clause, Principal, PrincipalType};
use crate::id::AccountId;

use super::ctx::Ctx;
use super::identity::{AwsIdentity, Identity, Kind, parse_principal_arn};
use super::tri::Tri;

/// One value of an `AWS` principal entry, read.
enum Entry<'a> {
    /// `"*"`: every principal; for anonymous callers `"*"` and `{"AWS":"*"}` are equivalent.
    Star,
    /// A 12-digit account id, or `arn:P:iam::A:root`: "The account ARN and the shortened account
    /// ID behave the same way. Both delegate permissions to the account … does not limit
    /// permissions to only the root user".
    Account {
        partition: Option<&'a str>,
        account: &'a str,
    },
    /// A user, role, session or other principal ARN.
    Arn(AwsIdentity<'a>),
    /// A unique id (`AIDA…` user, `AROA…` role) shown when the principal was deleted: "These
    /// unique IDs are never reused", so no live caller is it.
    DeletedId,
    /// Anything else: not modelled.
    Unknown(String),
}

fn read_entry<'a>(value: &'a str, ctx: &Ctx<'_>) -> Entry<'a> {
    if value == "*" {
        return Entry::Star;
    }
    if let Some(Tri::Unknown(why)) = ctx.variable_not_allowed(value, "principal") {
        return Entry::Unknown(why);
    }
    if AccountId::is_valid(value) {
        return Entry::Account {
            partition: None,
            account: value,
        };
    }
    if value.contains(['*', '?']) {
        // "You cannot use a wildcard to match part of a principal name or ARN."
        return Entry::Unknown(format!("wildcard in principal `{value}`"));
    }
    if let Some(id) = parse_principal_arn(value) {
        return match id.kind {
            Kind::Root => Entry::Account {
                partition: Some(id.partition),
                account: id.account,
            },
            _ => Entry::Arn(id),
        };
    }
    let is_unique_id = (value.starts_with("AIDA") || value.starts_with("AROA"))
        && value.len() > 4
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if is_unique_id {
        return Entry::DeletedId;
    }
    Entry::Unknown(format!("unrecognised principal `{value}`"))
}

/// `Principal` or `NotPrincipal` against the caller. "You must use the Principal element in
/// resource-based policies": the document parser rejects a statement without; for one built in
/// code the evaluator declines.
pub(crate) fn matches(principal: Option<&Clause<Principal>>, ctx: &Ctx<'_>) -> Tri {
    match principal {
        None => Tri::Unknown("statement has neither `Principal` nor `NotPrincipal`".into()),
        Some(Clause::Is(p)) => named(p, ctx),
        Some(Clause::Not(p)) => not_principal(p, ctx),
    }
}

/// `Principal`: true if any entry names the caller (entries are ORed).
fn named(principal: &Principal, ctx: &Ctx<'_>) -> Tri {
    let map = match principal {
        // "You can use a wildcard (*) to specify all principals"; with Allow in a resource
        // policy it "grants access to all users, including anonymous users".
        Principal::Any => return Tri::True,
        Principal::Typed(map) => map,
    };
    Tri::any(map.iter().flat_map(|(kind, values)| {
        values
            .iter()
            .map(move |value| entry_names_caller(*kind, value, ctx))
    }))
}

fn entry_names_caller(kind: PrincipalType, value: &str, ctx: &Ctx<'_>) -> Tri {
    let caller = &ctx.caller;
    match kind {
        PrincipalType::Aws => {
            let entry = read_entry(value, ctx);
            match (caller, entry) {
                (Identity::Anonymous, Entry::Star) => Tri::True,
                (Identity::Anonymous, _) => Tri::False,
                (_, Entry::Unknown(why)) => Tri::Unknown(why),
                (Identity::Service(name), Entry::Star) => Tri::Unknown(format!(
                    "whether `{{\"AWS\": \"*\"}}` includes the service principal `{name}` is not documented"
                )),
                (Identity::Service(_), _) => Tri::False,
                (Identity::Unreadable(arn), _) => Tri::Unknown(unreadable(arn)),
                (Identity::Aws(_), Entry::Star) => Tri::True,
                (Identity::Aws(_), Entry::DeletedId) => Tri::False,
                (Identity::Aws(id), Entry::Account { partition, account }) => {
                    Tri::from(id.account == account && partition.is_none_or(|p| p == id.partition))
                }
                (Identity::Aws(id), Entry::Arn(listed)) => arn_names(&listed, id),
            }
        }
        PrincipalType::Service => match caller {
            Identity::Service(name) => service_names(value, name),
            _ => Tri::False,
        },
        // A canonical user id stands for an account and a federated provider for its sessions;
        // the evaluator cannot tie either to a caller ARN. Anonymous callers are named only
        // by `*`.
        PrincipalType::CanonicalUser | PrincipalType::Federated => match caller {
            Identity::Anonymous => Tri::False,
            _ => Tri::Unknown(format!("unsupported principal type `{}`", kind.as_str())),
        },
    }
}

/// Service principals are compared exactly. AWS does not document their case rules, so a
/// value equal to the caller's only when case is ignored is unknown.
fn service_names(value: &str, caller: &str) -> Tri {
    if value == caller {
        Tri::True
    } else if value.eq_ignore_ascii_case(caller) {
        Tri::Unknown(format!(
            "service principal `{value}` differs from `{caller}` only by case"
        ))
    } else {
        Tri::False
    }
}

fn unreadable(arn: &str) -> String {
    format!("caller `{arn}` is not an iam or sts principal arn with a 12-digit account")
}

/// A listed user, role, session or other ARN against an AWS caller.
///
/// Exact, case-sensitive comparison ("the user name part of the ARN is case sensitive"), with
/// one widening: a role entry names every session of that role (a role principal in a
/// resource-based policy grants the role's sessions, limited by their session policies).
/// A session ARN carries the role name but not its path; IAM role names are unique within an
/// account ("IAM user, group, role, and policy names must be unique within the account",
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>), so the entry
/// `arn:P:iam::A:role/some/path/R` is matched to sessions `arn:P:sts::A:assumed-role/R/…` by
/// partition, account and name, whatever its path.
///
/// Role names "are not distinguished by case" (same page: `Admin` and `admin` cannot both
/// exist), but AWS does not document whether a role entry names a caller whose role name
/// differs from it only by case, nor the case a session ARN carries: unknown.
fn arn_names(listed: &AwsIdentity<'_>, caller: &AwsIdentity<'_>) -> Tri {
    if listed.arn == caller.arn {
        return Tri::True;
    }
    let same_account = listed.partition == caller.partition && listed.account == caller.account;
    match (&listed.kind, &caller.kind) {
        (Kind::Role { name }, Kind::Session { role }) if same_account => role_name(name, role),
        (Kind::Role { name: a }, Kind::Role { name: b }) if same_account && a == b => {
            Tri::Unknown(format!(
                "role `{}` and caller `{}` share a name but not a path",
                listed.arn, caller.arn
            ))
        }
        (Kind::Role { name: a }, Kind::Role { name: b }) if same_account => role_name(a, b),
        _ => Tri::False,
    }
}

/// A role name in a policy against the role name of a caller.
fn role_name(listed: &str, caller: &str) -> Tri {
    if listed == caller {
        Tri::True
    } else if listed.eq_ignore_ascii_case(caller) {
        Tri::Unknown(format!(
            "role name `{listed}` differs from the caller's `{caller}` only by case, which AWS does not document"
        ))
    } else {
        Tri::False
    }
}

/// `NotPrincipal`: the statement applies to every principal except those listed.
///
/// AWS may validate a caller as each link of its chain (account, then role, then session) and
/// tells policy writers to list them all: "If the NotPrincipal element contained only Bob's
/// ARN, the effect of the policy might be to explicitly deny access to the AWS account that
/// contains the user Bob". So, conservatively: the statement does not apply when every link of
/// the caller's chain is listed, applies when none is, and is unknown for a partial listing or
/// a `*`/unmodelled entry.
fn not_principal(principal: &Principal, ctx: &Ctx<'_>) -> Tri {
    let Principal::Typed(map) = principal else {
        return Tri::Unknown("`NotPrincipal` with `*`".into());
    };
    let entries: Vec<(PrincipalType, &str)> = map
        .iter()
        .flat_map(|(kind, values)| values.iter().map(move |v| (*kind, v.as_str())))
        .collect();
    let links: Vec<Link<'_>> = match &ctx.caller {
        Identity::Anonymous => {
            // Anonymous callers cannot be listed (only `*` names them).
            for (kind, value) in &entries {
                if *kind == PrincipalType::Aws && *value == "*" {
                    return Tri::Unknown("`NotPrincipal` with `{\"AWS\": \"*\"}`".into());
                }
            }
            return Tri::True;
        }
        Identity::Unreadable(arn) => return Tri::Unknown(unreadable(arn)),
        Identity::Service(name) => vec![Link::Service(name)],
        Identity::Aws(id) => {
            let mut links = vec![Link::Account(id)];
            match id.kind {
                Kind::Root => {}
                Kind::Session { .. } => {
                    links.push(Link::Exact(id));
                    links.push(Link::Role(id));
                }
                Kind::User | Kind::Role { .. } | Kind::Other => links.push(Link::Exact(id)),
            }
            links
        }
    };
    let listed: Vec<Tri> = links
        .iter()
        .map(|link| {
            Tri::any(
                entries
                    .iter()
                    .map(|(kind, value)| link.listed_by(*kind, value, ctx)),
            )
        })
        .collect();
    if listed.iter().all(|t| *t == Tri::True) {
        Tri::False
    } else if listed.iter().all(|t| *t == Tri::False) {
        Tri::True
    } else {
        let why = listed.into_iter().find_map(|t| match t {
            Tri::Unknown(why) => Some(why),
            _ => None,
        });
        Tri::Unknown(why.unwrap_or_else(|| {
            "`NotPrincipal` lists only part of the caller's account, role and session".into()
        }))
    }
}

/// One link of the caller's chain for `NotPrincipal`.
enum Link<'a> {
    Service(&'a str),
    /// The caller's account.
    Account(&'a AwsIdentity<'a>),
    /// The caller's own ARN.
    Exact(&'a AwsIdentity<'a>),
    /// The role behind a session.
    Role(&'a AwsIdentity<'a>),
}

impl Link<'_> {
    /// Whether one `NotPrincipal` entry names exactly this link.
    fn listed_by(&self, kind: PrincipalType, value: &str, ctx: &Ctx<'_>) -> Tri {
        match kind {
            PrincipalType::Service => match self {
                Link::Service(name) => service_names(value, name),
                _ => Tri::False,
            },
            PrincipalType::CanonicalUser | PrincipalType::Federated => Tri::Unknown(format!(
                "unsupported principal type `{}` in `NotPrincipal`",
                kind.as_str()
            )),
            PrincipalType::Aws => match (read_entry(value, ctx), self) {
                (Entry::Unknown(why), _) => Tri::Unknown(why),
                (Entry::Star, _) => Tri::Unknown("`NotPrincipal` with `{\"AWS\": \"*\"}`".into()),
                (_, Link::Service(_)) | (Entry::DeletedId, _) => Tri::False,
                (Entry::Account { partition, account }, Link::Account(id)) => {
                    Tri::from(id.account == account && partition.is_none_or(|p| p == id.partition))
                }
                (Entry::Arn(listed), Link::Exact(id)) => match (&listed.kind, &id.kind) {
                    _ if listed.arn == id.arn => Tri::True,
                    (Kind::Role { name: a }, Kind::Role { name: b })
                        if listed.partition == id.partition && listed.account == id.account =>
                    {
                        // Same name, other path: not this caller. Other case: unknown.
                        match role_name(a, b) {
                            Tri::Unknown(why) => Tri::Unknown(why),
                            _ => Tri::False,
                        }
                    }
                    _ => Tri::False,
                },
                (Entry::Arn(listed), Link::Role(id)) => match (&listed.kind, &id.kind) {
                    (Kind::Role { name }, Kind::Session { role })
                        if listed.partition == id.partition && listed.account == id.account =>
                    {
                        role_name(name, role)
                    }
                    _ => Tri::False,
                },
                _ => Tri::False,
            },
        }
    }
}
