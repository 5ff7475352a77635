//! CloudWatch Logs delivery: the log group and role ARNs of `CreateTrail`, and the role's trust
//! and permissions policies.
//!
//! Sources:
//! - permissions policy:
//!   <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html>
//! - trust policy and "You cannot use an IAM role or CloudWatch Logs log group owned by a
//!   different account":
//!   <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html>
//! - for an organization trail made by a delegated administrator, the log group and role live in
//!   the delegated administrator's account, not the management account that owns the trail:
//!   "Both the CloudWatch Logs log group and log role must exist in the calling account", and
//!   the delegated administrator can configure them only with the CLI or the CreateTrail and
//!   UpdateTrail APIs
//!   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html>).
//!   The crate checks both against the account that creates the trail. An organization trail's
//!   log streams are `<org-id>_*`
//!   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html>).
//! - log group names (1 to 512 characters of `a-zA-Z0-9_-/.#`) and stream names
//!   `<account>_CloudTrail_<region>`:
//!   <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html>

use crate::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use crate::id::{AccountId, OrganizationId, Partition, PrincipalArn, PrincipalKind, Region, arn};

use super::error::TrailError;

/// The CloudWatch Logs side of a trail: where events go and the role CloudTrail assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudWatchLogs {
    partition: Partition,
    account: AccountId,
    region: Region,
    log_group: String,
    role: PrincipalArn,
    organization: Option<OrganizationId>,
}

/// Whether `c` may appear in a log group name.
fn log_group_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.' | '#')
}

impl CloudWatchLogs {
    /// Checks a log group (name or ARN) and a role for a trail created by `account` (the calling
    /// account: for an organization trail made by a delegated administrator, that account) in
    /// `region`.
    ///
    /// The log group may be given as a bare name or as
    /// `arn:<partition>:logs:<region>:<account>:log-group:<name>` (with or without the `:*`
    /// suffix that `DescribeLogGroups` returns); the request always carries the `:*` form, as the
    /// CloudTrail CLI examples do (a choice: the API model only says "log group ARN").
    pub(crate) fn new(
        partition: Partition,
        account: &AccountId,
        region: &Region,
        log_group: &str,
        role: PrincipalArn,
        organization: Option<OrganizationId>,
    ) -> Result<Self, TrailError> {
        let err = |reason| TrailError::LogGroup {
            input: log_group.to_owned(),
            reason,
        };
        let name = if log_group.starts_with("arn:") {
            let [_, p, service, r, a, resource] = arn::split(log_group).ok_or(err(
                "expected `arn:<partition>:logs:<region>:<account>:log-group:<name>`",
            ))?;
            let name = resource
                .strip_prefix("log-group:")
                .filter(|_| service == "logs")
                .ok_or(err(
                    "expected `arn:<partition>:logs:<region>:<account>:log-group:<name>`",
                ))?;
            let name = name.strip_suffix(":*").unwrap_or(name);
            if p != partition.as_str() || r != region.as_str() || a != account.as_str() {
                return Err(TrailError::LogGroupLocation {
                    log_group: log_group.to_owned(),
                    account: account.clone(),
                    region: region.clone(),
                });
            }
            name
        } else {
            log_group
        };
        let len = name.chars().count();
        if len == 0 || len > 512 {
            return Err(err("log group names must be 1 to 512 characters long"));
        }
        if !name.chars().all(log_group_char) {
            return Err(err(
                "only ascii letters, digits, `_`, `-`, `/`, `.` and `#` are allowed in log group names",
            ));
        }
        let role_err = |reason| TrailError::LogRole {
            input: role.as_str().to_owned(),
            reason,
        };
        if role.kind() != PrincipalKind::Role {
            return Err(role_err("expected an iam role arn"));
        }
        if role.account() != account {
            return Err(role_err(
                "the role must be in the account that creates the trail (for an organization trail made by a delegated administrator, that administrator's account)",
            ));
        }
        if role.partition() != partition {
            return Err(role_err("the role must be in the trail's partition"));
        }
        Ok(CloudWatchLogs {
            partition,
            account: account.clone(),
            region: region.clone(),
            log_group: name.to_owned(),
            role,
            organization,
        })
    }

    /// The log group name.
    pub fn log_group_name(&self) -> &str {
        &self.log_group
    }

    /// `CloudWatchLogsLogGroupArn`: `arn:<partition>:logs:<region>:<account>:log-group:<name>:*`.
    pub fn log_group_arn(&self) -> String {
        format!("{}:*", self.log_group_base_arn())
    }

    fn log_group_base_arn(&self) -> String {
        arn::format(
            self.partition,
            "logs",
            self.region.as_str(),
            self.account.as_str(),
            &format!("log-group:{}", self.log_group),
        )
    }

    /// `CloudWatchLogsRoleArn`.
    pub fn role_arn(&self) -> &PrincipalArn {
        &self.role
    }

    /// The log stream ARNs CloudTrail writes: `<account>_CloudTrail_<region>*`, and for an
    /// organization trail also `<org-id>_*`
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html>).
    pub fn log_stream_arns(&self) -> Vec<String> {
        let base = self.log_group_base_arn();
        let mut arns = vec![format!(
            "{base}:log-stream:{}_CloudTrail_{}*",
            self.account, self.region
        )];
        if let Some(org) = &self.organization {
            arns.push(format!("{base}:log-stream:{org}_*"));
        }
        arns
    }

    /// The role's trust policy: CloudTrail's service principal may call `sts:AssumeRole`
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html>;
    /// the documented empty `"Sid": ""` is left out).
    pub fn trust_policy(&self) -> PolicyDocument {
        PolicyDocument::new(vec![
            Statement::new(Effect::Allow)
                .with_principal(Clause::Is(Principal::service(
                    self.partition.cloudtrail_principal(),
                )))
                .with_action(Clause::Is(vec!["sts:AssumeRole".to_owned()])),
        ])
    }

    /// The role's permissions policy: `logs:CreateLogStream` and `logs:PutLogEvents` on the log
    /// streams CloudTrail writes
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html>).
    /// Both Sids end in `20141101`, as in the
    /// organization example; the single-account example's `…2014110` is a typo in the page.
    pub fn permissions_policy(&self) -> PolicyDocument {
        let streams = self.log_stream_arns();
        PolicyDocument::new(vec![
            Statement::new(Effect::Allow)
                .with_sid("AWSCloudTrailCreateLogStream20141101")
                .with_action(Clause::Is(vec!["logs:CreateLogStream".to_owned()]))
                .with_resource(Clause::Is(streams.clone())),
            Statement::new(Effect::Allow)
                .with_sid("AWSCloudTrailPutLogEvents20141101")
                .with_action(Clause::Is(vec!["logs:PutLogEvents".to_owned()]))
                .with_resource(Clause::Is(streams)),
        ])
    }
}
