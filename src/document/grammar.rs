//! The grammar rules a statement's values must follow beyond their JSON shape: what an action,
//! a resource and a condition operator look like. The parser applies them to every statement,
//! and the evaluator reads condition operators with [`Operator::parse`], so a name the parser
//! accepts is a name the evaluator understands.
//!
//! Where AWS documents a rule it is cited beside it. Where AWS documents that something is "not
//! allowed" but not what PutBucketPolicy or PutKeyPolicy answer, the parser refuses it: a policy
//! the crate cannot read with certainty is rejected rather than read one way or the other.

/// What is wrong with an `Action` or `NotAction` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActionRule {
    /// Neither `*` nor `service:name`.
    #[error("expected `*` or `service:action`, e.g. `s3:GetObject`")]
    NoServicePrefix,
    /// `*` or `?` in the service prefix.
    #[error("a wildcard in the service prefix is not allowed; wildcards belong in the action name")]
    WildcardInService,
    /// Nothing after the colon.
    #[error("empty action name")]
    EmptyName,
}

/// An action is `*` or `service:name`: "You specify a value using a service namespace as an
/// action prefix (iam, ec2, sqs, sns, s3, etc.) followed by the name of the action"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>),
/// and the grammar's `action_string` "Consists of a service namespace, a colon, and the name of
/// an action. Action names can include wildcards"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>): only
/// the name, so a wildcard in the namespace is refused. AWS does not document what S3 or KMS
/// answer to `s?:GetObject`; the crate does not guess which services it would name.
pub(crate) fn check_action(value: &str) -> Result<(), ActionRule> {
    if value == "*" {
        return Ok(());
    }
    let (service, name) = value.split_once(':').ok_or(ActionRule::NoServicePrefix)?;
    if service.is_empty() {
        return Err(ActionRule::NoServicePrefix);
    }
    if service.contains(['*', '?']) {
        return Err(ActionRule::WildcardInService);
    }
    if name.is_empty() {
        return Err(ActionRule::EmptyName);
    }
    Ok(())
}

/// What is wrong with a `Resource` or `NotResource` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResourceRule {
    /// Neither `*` nor `arn:partition:service:region:account:resource`.
    #[error("expected `*` or an arn `arn:partition:service:region:account-id:resource`")]
    NotAnArn,
    /// An empty partition or service field.
    #[error("the partition and service fields of an arn cannot be empty")]
    EmptyField,
    /// `*` or `?` in the service field.
    #[error("a wildcard in the service field is not allowed")]
    WildcardInService,
    /// `*` or `?` in the resource-type part (`key/`, `role/`, `trail/`…).
    #[error("a wildcard in the resource type (the part before `/`) is not allowed")]
    WildcardInResourceType,
}

/// A resource is `*` or a six-field ARN.
///
/// - "In most cases, [a `resource_string`] consists of an Amazon Resource Name (ARN)"
///   (grammar page above); a key policy's `"*"` "means this KMS key"
///   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html>). IAM
///   completes an ARN of fewer than six fields only "in an identity-based policy"
///   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html>), and IAM
///   Access Analyzer reports a missing field as an error ("Resource ARNs must include at least
///   … fields",
///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>),
///   so a resource policy's ARN needs all six.
/// - "You can't use a wildcard in the service segment that identifies the AWS product"
///   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
/// - "You cannot use a wildcard in the portion of the ARN that specifies the resource type, such
///   as the term `user` in an IAM ARN … `arn:aws:iam::123456789012:u*` <== not allowed"
///   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>). The resource
///   type is known here for the services of the crate's policies and their principals, see
///   [`typed_resource`]; a resource part that is exactly `*` covers every type and is allowed.
pub(crate) fn check_resource(value: &str) -> Result<(), ResourceRule> {
    if value == "*" {
        return Ok(());
    }
    let [prefix, partition, service, region, account, resource] =
        crate::id::arn::fields(value).ok_or(ResourceRule::NotAnArn)?;
    if prefix != "arn" {
        return Err(ResourceRule::NotAnArn);
    }
    if partition.is_empty() || service.is_empty() {
        return Err(ResourceRule::EmptyField);
    }
    if service.contains(['*', '?']) {
        return Err(ResourceRule::WildcardInService);
    }
    if resource != "*" && typed_resource(service, region, account) {
        let kind = resource.split(['/', ':']).next().unwrap_or(resource);
        if kind.contains(['*', '?']) {
            return Err(ResourceRule::WildcardInResourceType);
        }
    }
    Ok(())
}

/// Whether the resource part of an ARN of `service` starts with a resource type, by the ARN
/// formats of the Service Authorization Reference
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>,
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html>,
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html>,
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html>):
/// KMS (`key/`, `alias/`), IAM (`user/`, `role/`, … and `root`), STS (`assumed-role/`,
/// `federated-user/`), CloudTrail (`trail/`, `eventdatastore/`, `channel/`), and S3 resources
/// that carry a Region or an account (`accesspoint/`, `job/`, `storage-lens/`…). An S3 bucket or
/// object (`arn:aws:s3:::bucket/key`) has no type: its first part is the bucket name, where a
/// wildcard is allowed. Other services are not checked.
fn typed_resource(service: &str, region: &str, account: &str) -> bool {
    match service {
        "kms" | "iam" | "sts" | "cloudtrail" => true,
        "s3" => !region.is_empty() || !account.is_empty(),
        _ => false,
    }
}

/// What is wrong with a condition operator's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OperatorRule {
    /// Not one of AWS's operators, as AWS spells them.
    #[error(
        "unknown condition operator (names are case-sensitive, e.g. `StringEquals`, `ArnLike`, `Bool`, `Null`)"
    )]
    Unknown,
    /// `NullIfExists` (with or without a set prefix).
    #[error("`Null` cannot take the `IfExists` suffix")]
    NullIfExists,
}

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetOperator {
    ForAllValues,
    ForAnyValue,
}

/// The comparison an operator makes, before negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    /// The wanted ordering of request value against policy value, and whether equal also
    /// holds (`NumericLessThanEquals` is `(Less, true)`, `NumericEquals` `(Equal, true)`).
    Numeric(std::cmp::Ordering, bool),
    /// As `Numeric`, on dates.
    Date(std::cmp::Ordering, bool),
    Bool,
    BinaryEquals,
    IpAddress,
    Arn,
    Null,
}

/// A condition operator's name, read: set prefix, comparison, negation, `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    pub(crate) set: Option<SetOperator>,
    pub(crate) comparison: Comparison,
    pub(crate) negated: bool,
    pub(crate) if_exists: bool,
}

impl Operator {
    /// Reads an operator name exactly as AWS spells it, from the operator tables of
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>.
    ///
    /// - "You can add IfExists to the end of any condition operator name except the Null
    ///   condition" (same page), and IAM Access Analyzer reports `NullIfExists` as an error ("The
    ///   Null condition operator cannot be used with the IfExists suffix",
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>).
    /// - Unknown names are an error in IAM Access Analyzer ("The condition operator … is not
    ///   valid", same page). AWS does not document whether names are case-sensitive; IAM has
    ///   been seen refusing `stringEquals` ("Invalid Condition type"), so a name that differs
    ///   from AWS's spelling only by case is refused too.
    /// - The set prefixes are `ForAllValues:` and `ForAnyValue:`
    ///   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>).
    pub(crate) fn parse(name: &str) -> Result<Operator, OperatorRule> {
        use Comparison as C;
        use std::cmp::Ordering::{Equal, Greater, Less};
        let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetOperator::ForAllValues), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetOperator::ForAnyValue), rest)
        } else {
            (None, name)
        };
        let (if_exists, core) = match rest.strip_suffix("IfExists") {
            Some(core) => (true, core),
            None => (false, rest),
        };
        let (comparison, negated) = match core {
            "StringEquals" => (C::StringEquals, false),
            "StringNotEquals" => (C::StringEquals, true),
            "StringEqualsIgnoreCase" => (C::StringEqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (C::StringEqualsIgnoreCase, true),
            "StringLike" => (C::StringLike, false),
            "StringNotLike" => (C::StringLike, true),
            "NumericEquals" => (C::Numeric(Equal, true), false),
            "NumericNotEquals" => (C::Numeric(Equal, true), true),
            "NumericLessThan" => (C::Numeric(Less, false), false),
            "NumericLessThanEquals" => (C::Numeric(Less, true), false),
            "NumericGreaterThan" => (C::Numeric(Greater, false), false),
            "NumericGreaterThanEquals" => (C::Numeric(Greater, true), false),
            "DateEquals" => (C::Date(Equal, true), false),
            "DateNotEquals" => (C::Date(Equal, true), true),
            "DateLessThan" => (C::Date(Less, false), false),
            "DateLessThanEquals" => (C::Date(Less, true), false),
            "DateGreaterThan" => (C::Date(Greater, false), false),
            "DateGreaterThanEquals" => (C::Date(Greater, true), false),
            "Bool" => (C::Bool, false),
            "BinaryEquals" => (C::BinaryEquals, false),
            "IpAddress" => (C::IpAddress, false),
            "NotIpAddress" => (C::IpAddress, true),
            "ArnEquals" | "ArnLike" => (C::Arn, false),
            "ArnNotEquals" | "ArnNotLike" => (C::Arn, true),
            "Null" if if_exists => return Err(OperatorRule::NullIfExists),
            "Null" => (C::Null, false),
            _ => return Err(OperatorRule::Unknown),
        };
        Ok(Operator {
            set,
            comparison,
            negated,
            if_exists,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_exactly() {
        let op = Operator::parse("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert_eq!(op.set, Some(SetOperator::ForAnyValue));
        assert_eq!(op.comparison, Comparison::StringLike);
        assert!(op.negated && op.if_exists);
        assert_eq!(
            Operator::parse("NullIfExists"),
            Err(OperatorRule::NullIfExists)
        );
        for bad in [
            "stringEquals",
            "StringEqualsIfExist",
            "forallvalues:StringLike",
            "StringLikeIgnoreCase",
            "",
            "IfExists",
        ] {
            assert_eq!(Operator::parse(bad), Err(OperatorRule::Unknown), "{bad}");
        }
    }

    #[test]
    fn actions_and_resources() {
        assert_eq!(check_action("*"), Ok(()));
        assert_eq!(check_action("S3:get*"), Ok(()));
        assert_eq!(check_action("GetObject"), Err(ActionRule::NoServicePrefix));
        assert_eq!(check_action(":GetObject"), Err(ActionRule::NoServicePrefix));
        assert_eq!(
            check_action("s?:GetObject"),
            Err(ActionRule::WildcardInService)
        );
        assert_eq!(check_action("s3:"), Err(ActionRule::EmptyName));
        assert_eq!(check_resource("arn:aws:s3:::b*/x"), Ok(()));
        assert_eq!(check_resource("arn:aws:kms:*:*:*"), Ok(()));
        assert_eq!(
            check_resource("arn:aws:kms:us-east-1:111122223333:key/*"),
            Ok(())
        );
        assert_eq!(
            check_resource("arn:aws:kms:us-east-1:111122223333:k*"),
            Err(ResourceRule::WildcardInResourceType)
        );
        assert_eq!(
            check_resource("arn:aws:s3:us-east-1:111122223333:*point/x"),
            Err(ResourceRule::WildcardInResourceType)
        );
        assert_eq!(check_resource("arn:aws:s3"), Err(ResourceRule::NotAnArn));
        assert_eq!(check_resource("bucket/*"), Err(ResourceRule::NotAnArn));
        assert_eq!(check_resource("arn::s3:::b"), Err(ResourceRule::EmptyField));
        assert_eq!(
            check_resource("arn:aws:s*:::b"),
            Err(ResourceRule::WildcardInService)
        );
    }
}
