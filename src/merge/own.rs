//! Which statements of an existing policy are the crate's own.
//!
//! A `Sid` prefix alone is a claim anybody can make by accident (`CloudTrailPolicyAnalytics`).
//! A statement is recognised as the crate's when its `Sid` is one the crate writes *and* its shape
//! is the one the crate writes under that `Sid`:
//!
//! - the `Sid` is `CloudTrailPolicy` followed by one of the names in [`SHAPES`], for the policy's
//!   kind, and for the per-account write statements optionally by a 12-digit account id;
//! - the `Effect` is that name's;
//! - the principal is of that name's kind: everyone (`"*"`), the CloudTrail service principal
//!   only (`{"Service": "cloudtrail.…"}`), or named IAM principals only (`{"AWS": …}`);
//! - every action is one that name's statements carry (a subset, since an option may drop some);
//! - no `NotPrincipal`, `NotAction` or `NotResource`, which the crate never writes.
//!
//! Resources and conditions are not compared: they carry the intent's values (bucket, prefix,
//! accounts, trails), which a merge replaces. Whether the bucket is the same is checked on its own
//! ([`super::MergeError::OtherBucket`]).
//!
//! When the generator gains a statement or an action, its shape is added here; the merge refuses
//! a generated statement it does not recognise, and the tests merge every generated shape.

use std::fmt;

use crate::artifact::{PolicyKind, SID_PREFIX};
use crate::document::{Clause, Effect, Principal, PrincipalType, Statement};
use crate::id::AccountId;
use crate::key_policy::KEY_ADMIN_EVERY_ACTION;

/// Who a shape's statements name as principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// `"Principal": "*"`.
    Everyone,
    /// `{"Service": "cloudtrail.amazonaws.com"}` (any `cloudtrail.` service name).
    CloudTrail,
    /// `{"AWS": [...]}`: accounts, roles, users.
    Named,
    /// `{"Service": "logging.s3.amazonaws.com"}`: S3 server access logging, in the access-log
    /// destination's policy.
    S3Logging,
}

/// The shape of the statements the crate writes under one `Sid` name.
struct Shape {
    kind: PolicyKind,
    /// The `Sid` after the prefix.
    name: &'static str,
    /// Whether the name may be followed by a 12-digit account id (`Write111111111111`).
    per_account: bool,
    effect: Effect,
    who: Who,
    actions: &'static [&'static str],
}

const fn shape(
    kind: PolicyKind,
    name: &'static str,
    per_account: bool,
    effect: Effect,
    who: Who,
    actions: &'static [&'static str],
) -> Shape {
    Shape {
        kind,
        name,
        per_account,
        effect,
        who,
        actions,
    }
}

use Effect::{Allow, Deny};
use PolicyKind::{Bucket, Key};

/// Every statement the crate writes, by policy kind and `Sid` name.
const SHAPES: &[Shape] = &[
    shape(
        Bucket,
        "DenyInsecureTransport",
        false,
        Deny,
        Who::Everyone,
        &["s3:*"],
    ),
    shape(
        Bucket,
        "DenyLogDeletion",
        false,
        Deny,
        Who::Everyone,
        &["s3:DeleteObject", "s3:DeleteObjectVersion"],
    ),
    shape(
        Bucket,
        "DenyLifecycleChanges",
        false,
        Deny,
        Who::Everyone,
        &["s3:PutLifecycleConfiguration"],
    ),
    shape(
        Bucket,
        "DenyPolicyChanges",
        false,
        Deny,
        Who::Everyone,
        &["s3:DeleteBucketPolicy", "s3:PutBucketPolicy"],
    ),
    shape(
        Bucket,
        "AclCheck",
        false,
        Allow,
        Who::CloudTrail,
        &["s3:GetBucketAcl"],
    ),
    shape(
        Bucket,
        "AclCheckAnyTrail",
        false,
        Allow,
        Who::CloudTrail,
        &["s3:GetBucketAcl"],
    ),
    shape(
        Bucket,
        "Write",
        true,
        Allow,
        Who::CloudTrail,
        &["s3:PutObject"],
    ),
    shape(
        Bucket,
        "WriteAnyTrail",
        true,
        Allow,
        Who::CloudTrail,
        &["s3:PutObject"],
    ),
    shape(
        Bucket,
        "OrganizationWrite",
        false,
        Allow,
        Who::CloudTrail,
        &["s3:PutObject"],
    ),
    shape(
        Bucket,
        "ReadLogs",
        false,
        Allow,
        Who::Named,
        &["s3:GetObject"],
    ),
    shape(
        Bucket,
        "ListLogs",
        false,
        Allow,
        Who::Named,
        &["s3:ListBucket"],
    ),
    // The access-log destination's policy (`access-logs.bucket-policy.json`).
    shape(
        Bucket,
        "S3ServerAccessLogs",
        false,
        Allow,
        Who::S3Logging,
        &["s3:PutObject"],
    ),
    shape(
        Key,
        "EnableIamPolicies",
        false,
        Allow,
        Who::Named,
        &["kms:*"],
    ),
    shape(
        Key,
        "KeyAdministrators",
        false,
        Allow,
        Who::Named,
        &KEY_ADMIN_EVERY_ACTION,
    ),
    shape(
        Key,
        "Encrypt",
        false,
        Allow,
        Who::CloudTrail,
        &["kms:GenerateDataKey*"],
    ),
    shape(
        Key,
        "EncryptAnyTrail",
        false,
        Allow,
        Who::CloudTrail,
        &["kms:GenerateDataKey*"],
    ),
    shape(
        Key,
        "DescribeKey",
        false,
        Allow,
        Who::CloudTrail,
        &["kms:DescribeKey"],
    ),
    shape(
        Key,
        "DescribeKeyAnyTrail",
        false,
        Allow,
        Who::CloudTrail,
        &["kms:DescribeKey"],
    ),
    shape(
        Key,
        "Decrypt",
        false,
        Allow,
        Who::CloudTrail,
        &["kms:Decrypt"],
    ),
    // Written by earlier versions with an S3 Bucket Key; recognised so that a merge removes it.
    shape(
        Key,
        "DecryptAnyTrail",
        false,
        Allow,
        Who::CloudTrail,
        &["kms:Decrypt"],
    ),
    shape(Key, "ReadLogs", false, Allow, Who::Named, &["kms:Decrypt"]),
    shape(
        Key,
        "ReadLogsBucketKey",
        false,
        Allow,
        Who::Named,
        &["kms:Decrypt"],
    ),
];

/// Why a statement with the crate's `Sid` prefix is not recognised as the crate's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotOurs {
    /// The crate writes no statement with this `Sid` in this kind of policy.
    UnknownSid,
    /// The effect differs.
    Effect(Effect),
    /// The principal is not of the shape's kind.
    Principal(&'static str),
    /// An action the shape never carries.
    Action(String),
    /// A `Not…` element.
    Negated(&'static str),
}

impl fmt::Display for NotOurs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotOurs::UnknownSid => f.write_str("the tool writes no statement with this sid"),
            NotOurs::Effect(e) => write!(f, "the tool's statement of this sid is `{}`", e.as_str()),
            NotOurs::Principal(who) => {
                write!(f, "the tool's statement of this sid names {who}")
            }
            NotOurs::Action(a) => write!(f, "the tool's statement of this sid never allows `{a}`"),
            NotOurs::Negated(e) => write!(f, "the tool never writes `{e}`"),
        }
    }
}

/// Whether `statement`, whose `Sid` starts with the crate's prefix, is one the crate writes in a
/// `kind` policy; the module documentation says how that is decided.
pub(crate) fn recognise(statement: &Statement, kind: PolicyKind) -> Result<(), NotOurs> {
    let name = statement
        .sid()
        .and_then(|s| s.strip_prefix(SID_PREFIX))
        .ok_or(NotOurs::UnknownSid)?;
    let shape = SHAPES
        .iter()
        .filter(|s| s.kind == kind)
        .find(|s| {
            name == s.name
                || (s.per_account && name.strip_prefix(s.name).is_some_and(AccountId::is_valid))
        })
        .ok_or(NotOurs::UnknownSid)?;
    if statement.effect() != shape.effect {
        return Err(NotOurs::Effect(shape.effect));
    }
    let principal = match statement.principal() {
        Some(Clause::Is(p)) => p,
        Some(Clause::Not(_)) => return Err(NotOurs::Negated("NotPrincipal")),
        None => return Err(NotOurs::Principal(who_text(shape.who))),
    };
    let who_fits = match (shape.who, principal) {
        (Who::Everyone, Principal::Any) => true,
        (Who::CloudTrail, Principal::Typed(map)) => {
            map.len() == 1
                && map.get(&PrincipalType::Service).is_some_and(|services| {
                    !services.is_empty() && services.iter().all(|s| s.starts_with("cloudtrail."))
                })
        }
        (Who::Named, Principal::Typed(map)) => {
            map.len() == 1 && map.contains_key(&PrincipalType::Aws)
        }
        (Who::S3Logging, Principal::Typed(map)) => {
            map.len() == 1
                && map.get(&PrincipalType::Service).is_some_and(|services| {
                    !services.is_empty() && services.iter().all(|s| s.starts_with("logging.s3."))
                })
        }
        _ => false,
    };
    if !who_fits {
        return Err(NotOurs::Principal(who_text(shape.who)));
    }
    let actions = match statement.action() {
        Some(Clause::Is(actions)) => actions,
        Some(Clause::Not(_)) => return Err(NotOurs::Negated("NotAction")),
        None => return Err(NotOurs::Action(String::new())),
    };
    if let Some(other) = actions
        .iter()
        .find(|a| !shape.actions.contains(&a.as_str()))
    {
        return Err(NotOurs::Action(other.clone()));
    }
    if statement.resource().is_some_and(Clause::is_not) {
        return Err(NotOurs::Negated("NotResource"));
    }
    Ok(())
}

/// [`Who`] as the message says it (a `&'static str`, so that [`NotOurs`] stays simple).
fn who_text(who: Who) -> &'static str {
    match who {
        Who::Everyone => "everyone (`\"*\"`)",
        Who::CloudTrail => "the cloudtrail service principal only",
        Who::Named => "iam principals (`\"AWS\"`) only",
        Who::S3Logging => "the s3 server access logging service principal only",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::PolicyDocument;

    fn statement(json: &str) -> Statement {
        PolicyDocument::from_json(&format!(r#"{{"Statement":{json}}}"#))
            .unwrap()
            .into_statements()
            .remove(0)
    }

    #[test]
    fn a_prefix_is_not_enough() {
        let cases = [
            (
                r#"{"Sid":"CloudTrailPolicyAnalytics","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444444444444:role/A"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                NotOurs::UnknownSid,
            ),
            (
                r#"{"Sid":"CloudTrailPolicyWrite12345","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}"#,
                NotOurs::UnknownSid,
            ),
            (
                r#"{"Sid":"CloudTrailPolicyReadLogs","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                NotOurs::Principal(who_text(Who::Named)),
            ),
            (
                r#"{"Sid":"CloudTrailPolicyReadLogs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444444444444:role/A"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}"#,
                NotOurs::Action("s3:PutObject".into()),
            ),
            (
                r#"{"Sid":"CloudTrailPolicyDenyLogDeletion","Effect":"Allow","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}"#,
                NotOurs::Effect(Deny),
            ),
            (
                r#"{"Sid":"CloudTrailPolicyWrite","Effect":"Allow","Principal":{"Service":["cloudtrail.amazonaws.com","config.amazonaws.com"]},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}"#,
                NotOurs::Principal(who_text(Who::CloudTrail)),
            ),
            (
                r#"{"Sid":"CloudTrailPolicyAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","NotResource":"arn:aws:s3:::b"}"#,
                NotOurs::Negated("NotResource"),
            ),
        ];
        for (json, why) in cases {
            assert_eq!(recognise(&statement(json), Bucket), Err(why), "{json}");
        }
        // The bucket's `ReadLogs` is not the key's.
        let read = statement(
            r#"{"Sid":"CloudTrailPolicyReadLogs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/A"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
        );
        assert_eq!(recognise(&read, Bucket), Ok(()));
        assert_eq!(
            recognise(&read, Key),
            Err(NotOurs::Action("s3:GetObject".into()))
        );
    }
}
