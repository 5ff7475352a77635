//! S3 server access logging of the log-archive bucket: where the access logs go, and the
//! destination bucket's policy that lets S3's logging service deliver them, proved by its own
//! probe matrix.
//!
//! Server access logging of the CloudTrail bucket is a CIS AWS Foundations control (Security Hub
//! `CloudTrail.7`, <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html>).
//! S3 delivers the logs as the logging service principal `logging.s3.amazonaws.com`, which the
//! destination bucket's policy must allow; the shape is AWS's
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>):
//!
//! ```json
//! {"Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow",
//!  "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": ["s3:PutObject"],
//!  "Resource": "arn:aws:s3:::amzn-s3-demo-destination-bucket/EXAMPLE-LOGGING-PREFIX*",
//!  "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::amzn-s3-demo-source-bucket"},
//!                "StringEquals": {"aws:SourceAccount": "SOURCE-ACCOUNT-ID"}}}
//! ```
//!
//! The same page sets what the destination must be: "in the same AWS Region and AWS account as
//! the source bucket", without S3 Object Lock or a default retention, without Requester Pays,
//! and (troubleshooting page) with SSE-S3 default encryption only
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-server-access-logging.html>).
//! So the CloudTrail bucket (SSE-KMS, maybe Object Lock) cannot be its own destination.

use serde::Serialize;

use crate::artifact::{PolicyKind, sid};
use crate::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use crate::eval::{Caller, Request, Verdict};
use crate::id::{AccountId, BucketName, Partition, PrincipalArn};
use crate::probe::{Probe, ProbeClass, Report, with_ambient_context};
use crate::proof::{
    Accept, Completeness, Domain, Expectation, Resources, S3_ACTIONS, prove, s3_unrequestable,
};

/// The service principal S3 delivers server access logs as
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>).
/// AWS documents it on the `aws` pages; the crate uses the same name in every partition.
pub const LOGGING_PRINCIPAL: &str = "logging.s3.amazonaws.com";

/// Where the log-archive bucket's server access logs go: a destination bucket and the prefix of
/// every log object's key (`TargetPrefix`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccessLogs {
    bucket: BucketName,
    prefix: String,
}

/// An access-log prefix the policy could not bind exactly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessLogsError {
    /// The prefix holds a character that is a wildcard or a policy variable in a policy's
    /// `Resource` (`*`, `?`, `$`), or a control character.
    #[error(
        "access-log prefix `{0}`: `*`, `?`, `$` and control characters are not allowed, since the prefix is written into the destination bucket policy's resource"
    )]
    PrefixCharacter(String),
    /// The prefix is longer than an S3 object key may be (1,024 bytes,
    /// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html>).
    #[error("access-log prefix `{0}` is longer than 1024 bytes, the longest s3 object key")]
    PrefixLength(String),
}

impl AccessLogs {
    /// Logs delivered to `bucket` under `prefix` (may be empty). AWS recommends ending a prefix
    /// with `/`: "if you specify the prefix value `logs`, the log object appears as follows:
    /// `logs2013-11-01-21-32-16-E568B2907131C0C0`"
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>).
    ///
    /// # Errors
    /// [`AccessLogsError`] when the prefix would be a wildcard or a variable in the policy, or is
    /// longer than an object key.
    pub fn new(bucket: BucketName, prefix: impl Into<String>) -> Result<Self, AccessLogsError> {
        let prefix = prefix.into();
        if prefix
            .chars()
            .any(|c| matches!(c, '*' | '?' | '$') || c.is_control())
        {
            return Err(AccessLogsError::PrefixCharacter(prefix));
        }
        if prefix.len() > 1024 {
            return Err(AccessLogsError::PrefixLength(prefix));
        }
        Ok(AccessLogs { bucket, prefix })
    }

    /// The destination bucket (`TargetBucket`).
    pub fn bucket(&self) -> &BucketName {
        &self.bucket
    }

    /// The prefix of every log object key (`TargetPrefix`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// The destination bucket's policy: `logging.s3.amazonaws.com` may put objects under the prefix,
/// for the log-archive bucket of its account only.
///
/// It serializes as the policy document, ready for `aws s3api put-bucket-policy`; the Sid starts
/// with [`SID_PREFIX`](crate::SID_PREFIX), so [`merge`](crate::merge) can add it to the
/// destination bucket's own policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogsPolicy {
    document: PolicyDocument,
}

impl Serialize for AccessLogsPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.document.serialize(s)
    }
}

/// What the destination policy is for: the source bucket, its account and partition, and where
/// its logs go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessLogsSource<'a> {
    /// The partition of both buckets.
    pub partition: Partition,
    /// The logged bucket (the log archive).
    pub bucket: &'a BucketName,
    /// The account that owns it (and, as S3 requires, the destination).
    pub account: &'a AccountId,
    /// Where the logs go.
    pub logs: &'a AccessLogs,
}

impl AccessLogsPolicy {
    /// AWS's `S3ServerAccessLogsPolicy` statement for `source`: `s3:PutObject` on
    /// `<destination>/<prefix>*`, conditioned on `aws:SourceArn` (the logged bucket, `ArnLike`
    /// as AWS writes it) and `aws:SourceAccount`.
    ///
    /// ```
    /// use cloudtrail_policy::{AccessLogs, AccessLogsPolicy, AccessLogsSource, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let logs = AccessLogs::new("acme-access-logs".parse()?, "cloudtrail-bucket/")?;
    /// let source = AccessLogsSource {
    ///     partition: Partition::Aws,
    ///     bucket: &"acme-cloudtrail-logs".parse()?,
    ///     account: &"999999999999".parse()?,
    ///     logs: &logs,
    /// };
    /// let policy = AccessLogsPolicy::generate(&source);
    /// assert!(policy.document().to_json().contains(r#""Resource":"arn:aws:s3:::acme-access-logs/cloudtrail-bucket/*""#));
    /// assert!(policy.verify(&source).passed());
    /// # Ok(()) }
    /// ```
    pub fn generate(source: &AccessLogsSource<'_>) -> AccessLogsPolicy {
        let p = source.partition;
        let statement = Statement::new(Effect::Allow)
            .with_sid(sid("S3ServerAccessLogs"))
            .with_principal(Clause::Is(Principal::service(LOGGING_PRINCIPAL)))
            .with_action(Clause::Is(vec!["s3:PutObject".to_owned()]))
            .with_resource(Clause::Is(vec![
                source
                    .logs
                    .bucket
                    .object_arn(p, &format!("{}*", source.logs.prefix)),
            ]))
            .with_condition("ArnLike", "aws:SourceArn", [source.bucket.arn(p)])
            .with_condition(
                "StringEquals",
                "aws:SourceAccount",
                [source.account.as_str()],
            );
        AccessLogsPolicy {
            document: PolicyDocument::new(vec![statement]),
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The probe matrix of the destination policy for `source`.
    ///
    /// Allowed: the logging service's upload of a log object for the logged bucket (a key in
    /// S3's `[DestinationPrefix][YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]` format,
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_TargetObjectKeyFormat.html>).
    /// Refused: the same upload for another bucket, from another account, without
    /// `aws:SourceArn` or `aws:SourceAccount`, outside the prefix (when there is one), by
    /// CloudTrail's service principal, anonymously or by a role of an unrelated account; and the
    /// logging service reading or deleting.
    pub fn probes(source: &AccessLogsSource<'_>) -> Vec<Probe> {
        let p = source.partition;
        let logs = source.logs;
        let key = |name: &str| logs.bucket.object_arn(p, &format!("{}{name}", logs.prefix));
        let object = key("2026-11-26-00-00-00-0123456789ABCDEF");
        let source_arn = source.bucket.arn(p);
        let other_bucket = BucketName::made_up(if source.bucket.as_str() == "probe-other-source" {
            "probe-another-source"
        } else {
            "probe-other-source"
        })
        .arn(p);
        let other_account = AccountId::made_up(if source.account.as_str() == "000000000001" {
            "000000000002"
        } else {
            "000000000001"
        });
        let logging = |action: &str, resource: String| {
            Request::new(
                Caller::Service(LOGGING_PRINCIPAL.to_owned()),
                action,
                resource,
            )
        };
        let from_source = |action: &str, resource: String| {
            logging(action, resource)
                .with_context("aws:SourceArn", source_arn.clone())
                .with_context("aws:SourceAccount", source.account.as_str())
        };
        let delivery = |resource: String| from_source("s3:PutObject", resource);
        let mut probes = Vec::new();
        let mut push = |class: ProbeClass, name: String, request: Request, expect: Verdict| {
            probes.push(
                Probe::new(
                    format!("access-log bucket: {name}"),
                    PolicyKind::Bucket,
                    with_ambient_context(request),
                    expect,
                )
                .with_class(class),
            );
        };
        push(
            ProbeClass::Delivery,
            format!("server access log of {} delivered", source.bucket),
            delivery(object.clone()),
            Verdict::Allow,
        );
        push(
            ProbeClass::ForeignTrail,
            "server access log of another bucket".into(),
            logging("s3:PutObject", object.clone())
                .with_context("aws:SourceArn", other_bucket)
                .with_context("aws:SourceAccount", source.account.as_str()),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::ForeignTrail,
            format!(
                "server access log of {} from another account",
                source.bucket
            ),
            logging("s3:PutObject", object.clone())
                .with_context("aws:SourceArn", source_arn.clone())
                .with_context("aws:SourceAccount", other_account.as_str()),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::ForeignTrail,
            "server access log without aws:SourceArn".into(),
            logging("s3:PutObject", object.clone())
                .with_context("aws:SourceAccount", source.account.as_str()),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::ForeignTrail,
            "server access log without aws:SourceAccount".into(),
            logging("s3:PutObject", object.clone())
                .with_context("aws:SourceArn", source_arn.clone()),
            Verdict::ImplicitDeny,
        );
        if !logs.prefix.is_empty() {
            push(
                ProbeClass::DeliveryNearMiss,
                "server access log outside the prefix".into(),
                delivery(logs.bucket.object_arn(p, "outside-the-prefix/log")),
                Verdict::ImplicitDeny,
            );
        }
        push(
            ProbeClass::Outsider,
            "cloudtrail's service principal with the logging context".into(),
            Request::new(
                Caller::Service(p.cloudtrail_principal().to_owned()),
                "s3:PutObject",
                object.clone(),
            )
            .with_context("aws:SourceArn", source_arn.clone())
            .with_context("aws:SourceAccount", source.account.as_str()),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Anonymous,
            "anonymous upload under the prefix".into(),
            Request::new(Caller::Anonymous, "s3:PutObject", object.clone()),
            Verdict::ImplicitDeny,
        );
        let stranger = PrincipalArn::made_up_role(p, &other_account, "Stranger");
        push(
            ProbeClass::Outsider,
            "a role of an unrelated account uploads under the prefix".into(),
            Request::new(
                Caller::Aws(stranger.to_string()),
                "s3:PutObject",
                object.clone(),
            )
            .with_context("aws:PrincipalArn", stranger.to_string()),
            Verdict::ImplicitDeny,
        );
        for action in ["s3:GetObject", "s3:DeleteObject"] {
            push(
                ProbeClass::ReaderScope,
                format!("the logging service calls {action}"),
                from_source(action, object.clone()),
                Verdict::ImplicitDeny,
            );
        }
        probes
    }

    /// Proves the policy against `source` with [`AccessLogsPolicy::probes`].
    pub fn verify(&self, source: &AccessLogsSource<'_>) -> Report {
        Report::run(&self.document, AccessLogsPolicy::probes(source))
    }

    /// What the destination policy is meant to do, over every request: S3's logging service
    /// puts log objects below the prefix for the logged bucket of its account (`aws:SourceArn`
    /// the logged bucket, `aws:SourceAccount` its account): allowed; everything else, by
    /// anyone: not allowed
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>).
    pub fn expectation(source: &AccessLogsSource<'_>) -> Expectation {
        let p = source.partition;
        let mut e = Expectation::default();
        for (label, matcher) in s3_unrequestable(&source.logs.bucket.arn(p)) {
            e.push(label, Accept::ANY, matcher);
        }
        e.push(
            "s3 delivers the logged bucket's access logs below the prefix",
            Accept::ALLOW,
            Statement::new(Effect::Allow)
                .with_principal(Clause::Is(Principal::service(LOGGING_PRINCIPAL)))
                .with_action(Clause::Is(vec!["s3:PutObject".to_owned()]))
                .with_resource(Clause::Is(vec![
                    source
                        .logs
                        .bucket
                        .object_arn(p, &format!("{}*", source.logs.prefix)),
                ]))
                .with_condition("StringEquals", "aws:SourceArn", [source.bucket.arn(p)])
                .with_condition(
                    "StringEquals",
                    "aws:SourceAccount",
                    [source.account.as_str()],
                ),
        );
        e
    }

    /// Proves `policy` over every request against `source`, held to the rules of
    /// [`AccessLogsPolicy::expectation`] (see [`Completeness`]).
    pub fn prove(policy: &PolicyDocument, source: &AccessLogsSource<'_>) -> Completeness {
        let p = source.partition;
        let domain = Domain {
            partition: p,
            actions: &S3_ACTIONS,
            resources: Resources::Bucket(source.logs.bucket.arn(p)),
            caller_account_key: false,
            always: &[("aws:SecureTransport", &["true", "false"])],
        };
        prove(policy, &AccessLogsPolicy::expectation(source), &domain)
    }

    /// Proves this policy over every request against `source`.
    pub fn complete(&self, source: &AccessLogsSource<'_>) -> Completeness {
        AccessLogsPolicy::prove(&self.document, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_that_would_widen_the_policy_are_refused() {
        let bucket: BucketName = "acme-access-logs".parse().unwrap();
        for bad in ["logs/*", "a?b", "${aws:username}/", "a\nb"] {
            assert!(
                matches!(
                    AccessLogs::new(bucket.clone(), bad),
                    Err(AccessLogsError::PrefixCharacter(_))
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            AccessLogs::new(bucket.clone(), "x".repeat(1025)),
            Err(AccessLogsError::PrefixLength(_))
        ));
        assert_eq!(AccessLogs::new(bucket, "").unwrap().prefix(), "");
    }
}
