//! The caller of a request, read once per evaluation: anonymous, a service, or an IAM or STS
//! principal with its partition, account and kind.

use crate::id::{AccountId, arn};

use super::request::Caller;

/// The caller, parsed once per evaluation.
pub(crate) enum Identity<'a> {
    Anonymous,
    Service(&'a str),
    Aws(AwsIdentity<'a>),
    /// An `Aws` caller whose ARN is not a readable IAM/STS principal ARN.
    Unreadable(&'a str),
}

pub(crate) struct AwsIdentity<'a> {
    pub(crate) arn: &'a str,
    pub(crate) partition: &'a str,
    pub(crate) account: &'a str,
    pub(crate) kind: Kind<'a>,
}

pub(crate) enum Kind<'a> {
    /// `arn:P:iam::A:root`.
    Root,
    /// `arn:P:iam::A:user/path/name`.
    User,
    /// `arn:P:iam::A:role/path/name`.
    Role { name: &'a str },
    /// `arn:P:sts::A:assumed-role/role-name/session-name`.
    Session { role: &'a str },
    /// Any other IAM/STS principal ARN (e.g. `federated-user/…`): compared exactly.
    Other,
}

impl<'a> Identity<'a> {
    pub(crate) fn parse(caller: &'a Caller) -> Self {
        match caller {
            Caller::Anonymous => Identity::Anonymous,
            Caller::Service(name) => Identity::Service(name),
            Caller::Aws(arn) => {
                parse_principal_arn(arn).map_or(Identity::Unreadable(arn), Identity::Aws)
            }
        }
    }
}

/// Reads `arn:PARTITION:(iam|sts)::ACCOUNT:RESOURCE`.
pub(crate) fn parse_principal_arn(principal: &str) -> Option<AwsIdentity<'_>> {
    let [prefix, partition, service, region, account, resource] = arn::fields(principal)?;
    if prefix != "arn"
        || partition.is_empty()
        || !region.is_empty()
        || !AccountId::is_valid(account)
    {
        return None;
    }
    let kind = match service {
        "iam" if resource == "root" => Kind::Root,
        "iam" if resource.starts_with("user/") => Kind::User,
        "iam" if resource.starts_with("role/") => Kind::Role {
            name: resource.rsplit('/').next()?,
        },
        "sts" if resource.starts_with("assumed-role/") => {
            let mut names = resource.split('/').skip(1);
            let (role, _session) = (names.next()?, names.next()?);
            if names.next().is_some() || role.is_empty() {
                return None;
            }
            Kind::Session { role }
        }
        "iam" | "sts" => Kind::Other,
        _ => return None,
    };
    Some(AwsIdentity {
        arn: principal,
        partition,
        account,
        kind,
    })
}
