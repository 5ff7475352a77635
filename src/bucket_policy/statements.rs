//! The statements of the bucket policy, in order: the hardening denies, CloudTrail's ACL checks
//! and writes, the readers'.

use crate::artifact::{sid, strings};
use crate::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use crate::id::{BucketName, TrailArn, logs_root};
use crate::intent::{Folders, Intent, Layout, OrganizationWriteCondition};

const ACL: &str = "bucket-owner-full-control";

fn cloudtrail(intent: &Intent) -> Clause<Principal> {
    Clause::Is(Principal::service(
        intent.partition().cloudtrail_principal(),
    ))
}

/// The statements, in a fixed order: hardening denies, ACL checks, writes, readers.
pub(super) fn document(
    intent: &Intent,
    bucket_name: &BucketName,
    folders: &Folders<'_>,
    layout: Layout,
) -> PolicyDocument {
    let mut statements = Vec::new();
    let p = intent.partition();
    let bucket = bucket_name.arn(p);
    let logs = bucket_name.logs_arn(p, intent.prefix());
    let protections = intent.protections();

    if protections.deny_insecure_transport() {
        // AWS's own "RestrictToTLSRequestsOnly" statement:
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
        statements.push(
            Statement::new(Effect::Deny)
                .with_sid(sid("DenyInsecureTransport"))
                .with_principal(Clause::Is(Principal::Any))
                .with_action(Clause::Is(vec!["s3:*".into()]))
                .with_resource(Clause::Is(vec![
                    bucket.clone(),
                    bucket_name.object_arn(p, "*"),
                ]))
                .with_condition("Bool", "aws:SecureTransport", ["false"]),
        );
    }
    if protections.deny_delete() {
        // What to deny comes from S3: "If you want to block users or accounts from removing or
        // deleting objects from your bucket, you must deny them permissions for the following
        // actions: `s3:DeleteObject`, `s3:DeleteObjectVersion`, `s3:PutLifecycleConfiguration`"
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html);
        // the S3 user guide's example denies the three to one user. Denying them to every
        // principal, the bucket owner included, is the crate's choice; CloudTrail's best
        // practices recommend MFA Delete and least privilege but show no deny:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
        // Break-glass principals are exempted by `aws:PrincipalArn`, which for a role session is
        // the role's ARN: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
        // What a bucket-policy deny cannot stop: the bucket owner's root user can always replace
        // or delete the bucket policy itself
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html), and so
        // remove the deny; only Object Lock keeps versions from being deleted whatever the policy
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
        let exempt = |st: Statement| {
            let exempt = protections.delete_exempt();
            if exempt.is_empty() {
                st
            } else {
                st.with_condition("ArnNotEquals", "aws:PrincipalArn", strings(exempt))
            }
        };
        let st = Statement::new(Effect::Deny)
            .with_sid(sid("DenyLogDeletion"))
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(strings([
                "s3:DeleteObject",
                "s3:DeleteObjectVersion",
            ])))
            .with_resource(Clause::Is(vec![format!("{logs}*")]));
        statements.push(exempt(st));
        // A lifecycle rule deletes too. "If you want to block users or accounts from removing or
        // deleting objects from your bucket, you must deny them permissions for the following
        // actions: `s3:DeleteObject`, `s3:DeleteObjectVersion`, `s3:PutLifecycleConfiguration`"
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html).
        // It is a bucket action (resource type `bucket`,
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
        // and DeleteBucketLifecycle needs it too
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html),
        // so one statement on the bucket ARN, with the same break-glass exemption, denies setting,
        // replacing and removing lifecycle rules. A separate statement, so that a merge into a
        // policy with the older delete deny adds it instead of changing that deny.
        let st = Statement::new(Effect::Deny)
            .with_sid(sid("DenyLifecycleChanges"))
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(strings(["s3:PutLifecycleConfiguration"])))
            .with_resource(Clause::Is(vec![bucket.clone()]));
        statements.push(exempt(st));
    }
    if let Some(admins) = protections.policy_admins() {
        // Opt-in. Lock-out risk: only these principals, and the account root user, whom S3
        // always lets delete a bucket policy, can change the policy:
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
        statements.push(
            Statement::new(Effect::Deny)
                .with_sid(sid("DenyPolicyChanges"))
                .with_principal(Clause::Is(Principal::Any))
                .with_action(Clause::Is(strings([
                    "s3:DeleteBucketPolicy",
                    "s3:PutBucketPolicy",
                ])))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("ArnNotEquals", "aws:PrincipalArn", strings(admins)),
        );
    }

    let known = intent.known_trails();
    let any_trail_accounts: Vec<_> = folders
        .iter()
        .filter(|(_, w)| w.any_trail)
        .map(|(a, _)| TrailArn::any_in_account(p, a))
        .collect();

    // The ACL check of AWS's documented policies (single account and organization, then several
    // accounts), bound to the delivering trails:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html
    if !known.is_empty() {
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("AclCheck"))
                .with_principal(cloudtrail(intent))
                .with_action(Clause::Is(vec!["s3:GetBucketAcl".into()]))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("StringEquals", "aws:SourceArn", strings(&known)),
        );
    }
    if !any_trail_accounts.is_empty() {
        // A wildcard SourceArn needs a *Like operator:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("AclCheckAnyTrail"))
                .with_principal(cloudtrail(intent))
                .with_action(Clause::Is(vec!["s3:GetBucketAcl".into()]))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("ArnLike", "aws:SourceArn", any_trail_accounts.clone()),
        );
    }

    let write = |name: String, resources: Vec<String>, op: &str, arns: Vec<String>| {
        Statement::new(Effect::Allow)
            .with_sid(sid(&name))
            .with_principal(cloudtrail(intent))
            .with_action(Clause::Is(vec!["s3:PutObject".into()]))
            .with_resource(Clause::Is(resources))
            .with_condition("StringEquals", "s3:x-amz-acl", [ACL])
            .with_condition(op, "aws:SourceArn", arns)
    };
    match layout {
        Layout::Strict => {
            for (account, writers) in folders {
                let folder = vec![format!("{logs}{account}/*")];
                if !writers.trails.is_empty() {
                    statements.push(write(
                        format!("Write{account}"),
                        folder.clone(),
                        "StringEquals",
                        strings(&writers.trails),
                    ));
                }
                if writers.any_trail {
                    statements.push(write(
                        format!("WriteAnyTrail{account}"),
                        folder,
                        "ArnLike",
                        vec![TrailArn::any_in_account(p, account)],
                    ));
                }
            }
        }
        Layout::Documented => {
            let named: Vec<String> = folders
                .iter()
                .filter(|(_, w)| !w.trails.is_empty())
                .map(|(a, _)| format!("{logs}{a}/*"))
                .collect();
            if !named.is_empty() {
                statements.push(write(
                    "Write".into(),
                    named,
                    "StringEquals",
                    strings(&known),
                ));
            }
            let any: Vec<String> = folders
                .iter()
                .filter(|(_, w)| w.any_trail)
                .map(|(a, _)| format!("{logs}{a}/*"))
                .collect();
            if !any.is_empty() {
                statements.push(write(
                    "WriteAnyTrail".into(),
                    any,
                    "ArnLike",
                    any_trail_accounts,
                ));
            }
        }
    }
    if let Some(org) = intent.organization() {
        let folder = vec![format!("{logs}{}/*", org.id())];
        match intent.organization_write_condition() {
            // The third statement of AWS's organization-trail policy: the organization folder,
            // written by the org trail only:
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
            OrganizationWriteCondition::SourceArn => statements.push(write(
                "OrganizationWrite".into(),
                folder,
                "StringEquals",
                vec![org.trail().to_string()],
            )),
            // AWS Control Tower's `AWSBucketDeliveryForOrganizationTrail`: the write bound to the
            // organization by `aws:SourceOrgID`, no trail named. Control Tower puts the condition
            // on the writes only ("An `aws:SourceOrgID` condition must be met for any write
            // permissions"), so the ACL check keeps its `aws:SourceArn`:
            // https://docs.aws.amazon.com/controltower/latest/userguide/logging-s3-audit-bucket.html
            OrganizationWriteCondition::SourceOrgId => statements.push(
                Statement::new(Effect::Allow)
                    .with_sid(sid("OrganizationWrite"))
                    .with_principal(cloudtrail(intent))
                    .with_action(Clause::Is(vec!["s3:PutObject".into()]))
                    .with_resource(Clause::Is(folder))
                    .with_condition("StringEquals", "s3:x-amz-acl", [ACL])
                    .with_condition("StringEquals", "aws:SourceOrgID", [org.id().to_string()]),
            ),
        }
    }

    let readers = intent.readers();
    if !readers.is_empty() {
        let principal = Clause::Is(Principal::aws(strings(readers)));
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("ReadLogs"))
                .with_principal(principal.clone())
                .with_action(Clause::Is(vec!["s3:GetObject".into()]))
                .with_resource(Clause::Is(vec![format!("{logs}*")])),
        );
        // ListBucket is a bucket action; `s3:prefix` keeps the listing to the log folders.
        let list_prefix = format!("{}AWSLogs/*", logs_root(intent.prefix()));
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("ListLogs"))
                .with_principal(principal)
                .with_action(Clause::Is(vec!["s3:ListBucket".into()]))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("StringLike", "s3:prefix", [list_prefix]),
        );
    }
    PolicyDocument::new(statements)
}
