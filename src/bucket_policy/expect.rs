//! The rules a bucket policy is held to by the complete proof (documented on
//! [`BucketPolicy::expectation`](super::BucketPolicy::expectation)).

use std::collections::BTreeSet;

use crate::artifact::strings;
use crate::document::{Clause, Effect, Principal, Statement};
use crate::id::{AccountId, BucketName, TrailArn, logs_root};
use crate::intent::{Intent, Layout, OrganizationWriteCondition};
use crate::proof::{Accept, Expectation, Scope};

fn rule(principal: Principal, actions: &[&str], resources: Vec<String>) -> Statement {
    Statement::new(Effect::Allow)
        .with_principal(Clause::Is(principal))
        .with_action(Clause::Is(strings(actions)))
        .with_resource(Clause::Is(resources))
}

/// The rules of `intent` for its bucket under `layout`.
pub(super) fn expectation(
    intent: &Intent,
    bucket: &BucketName,
    layout: Layout,
    scope: Scope,
) -> Expectation {
    let p = intent.partition();
    let bucket_arn = bucket.arn(p);
    let logs = bucket.logs_arn(p, intent.prefix());
    let protections = intent.protections();
    let cloudtrail = || Principal::service(p.cloudtrail_principal());
    let mut e = Expectation::default();

    if protections.deny_insecure_transport() {
        e.push(
            "requests without tls are denied",
            Accept::DENY,
            rule(
                Principal::Any,
                &["s3:*"],
                vec![bucket_arn.clone(), bucket.object_arn(p, "*")],
            )
            .with_condition("Bool", "aws:SecureTransport", ["false"]),
        );
    }
    let deletes = ["s3:DeleteObject", "s3:DeleteObjectVersion"];
    if protections.deny_delete() {
        if !protections.delete_exempt().is_empty() {
            e.push(
                "break-glass principals' deletions are left to their account",
                Accept::NEITHER,
                rule(Principal::Any, &deletes, vec![format!("{logs}*")]).with_condition(
                    "ArnEquals",
                    "aws:PrincipalArn",
                    strings(protections.delete_exempt()),
                ),
            );
        }
        e.push(
            "deleting log files is denied",
            Accept::DENY,
            rule(Principal::Any, &deletes, vec![format!("{logs}*")]),
        );
        // A lifecycle rule deletes too: the same denial, the same exemptions.
        let lifecycle = ["s3:PutLifecycleConfiguration"];
        if !protections.delete_exempt().is_empty() {
            e.push(
                "break-glass principals' lifecycle changes are left to their account",
                Accept::NEITHER,
                rule(Principal::Any, &lifecycle, vec![bucket_arn.clone()]).with_condition(
                    "ArnEquals",
                    "aws:PrincipalArn",
                    strings(protections.delete_exempt()),
                ),
            );
        }
        e.push(
            "lifecycle changes are denied",
            Accept::DENY,
            rule(Principal::Any, &lifecycle, vec![bucket_arn.clone()]),
        );
    }
    let changes = ["s3:DeleteBucketPolicy", "s3:PutBucketPolicy"];
    if let Some(admins) = protections.policy_admins() {
        e.push(
            "policy administrators' changes are left to their account",
            Accept::NEITHER,
            rule(Principal::Any, &changes, vec![bucket_arn.clone()]).with_condition(
                "ArnEquals",
                "aws:PrincipalArn",
                strings(admins),
            ),
        );
        e.push(
            "bucket-policy changes are denied",
            Accept::DENY,
            rule(Principal::Any, &changes, vec![bucket_arn.clone()]),
        );
    }

    // CloudTrail: the ACL check and the deliveries.
    let known: Vec<&TrailArn> = intent.known_trails().into_iter().collect();
    let any_trail: Vec<String> = intent
        .accounts()
        .iter()
        .map(|a| TrailArn::any_in_account(p, a))
        .collect();
    let acl = || rule(cloudtrail(), &["s3:GetBucketAcl"], vec![bucket_arn.clone()]);
    if !known.is_empty() {
        e.push(
            "cloudtrail checks the acl for a named trail",
            Accept::ALLOW,
            acl().with_condition("StringEquals", "aws:SourceArn", strings(&known)),
        );
    }
    if !any_trail.is_empty() {
        e.push(
            "cloudtrail checks the acl for a trail of a delivering account",
            Accept::ALLOW,
            acl().with_condition("ArnLike", "aws:SourceArn", any_trail.clone()),
        );
    }
    let write = |folder: String, operator: &str, sources: Vec<String>| {
        rule(
            cloudtrail(),
            &["s3:PutObject"],
            vec![format!("{logs}{folder}/*")],
        )
        .with_condition(
            "StringEquals",
            "s3:x-amz-acl",
            ["bucket-owner-full-control"],
        )
        .with_condition(operator, "aws:SourceArn", sources)
    };
    for (account, named, patterns) in writers(intent, layout) {
        if !named.is_empty() {
            e.push(
                format!(
                    "cloudtrail delivers into AWSLogs/{account}/ for a trail that may write there"
                ),
                Accept::ALLOW,
                write(account.to_string(), "StringEquals", strings(&named)),
            );
        }
        if !patterns.is_empty() {
            e.push(
                format!("cloudtrail delivers into AWSLogs/{account}/ for any trail of an account that may write there"),
                Accept::ALLOW,
                write(account.to_string(), "ArnLike", patterns),
            );
        }
    }
    if let Some(org) = intent.organization() {
        let (label, key, value) = match intent.organization_write_condition() {
            OrganizationWriteCondition::SourceArn => (
                "cloudtrail delivers into the organization folder for the organization trail",
                "aws:SourceArn",
                org.trail().to_string(),
            ),
            OrganizationWriteCondition::SourceOrgId => (
                "cloudtrail delivers into the organization folder for a trail of the organization",
                "aws:SourceOrgID",
                org.id().to_string(),
            ),
        };
        e.push(
            label,
            Accept::ALLOW,
            rule(
                cloudtrail(),
                &["s3:PutObject"],
                vec![format!("{logs}{}/*", org.id())],
            )
            .with_condition(
                "StringEquals",
                "s3:x-amz-acl",
                ["bucket-owner-full-control"],
            )
            .with_condition("StringEquals", key, [value]),
        );
    }

    // Readers.
    let readers = intent.readers();
    if !readers.is_empty() {
        let reader = || Principal::aws(strings(readers));
        e.push(
            "readers read the logs",
            Accept::ALLOW,
            rule(reader(), &["s3:GetObject"], vec![format!("{logs}*")]),
        );
        e.push(
            "readers list the log folders",
            Accept::ALLOW,
            rule(reader(), &["s3:ListBucket"], vec![bucket_arn.clone()]).with_condition(
                "StringLike",
                "s3:prefix",
                [format!("{}AWSLogs/*", logs_root(intent.prefix()))],
            ),
        );
    }
    if scope == Scope::Existing {
        none_of_its_concern(&mut e, intent, &bucket_arn, &logs);
    }
    e
}

/// What an existing policy may hold beyond the intent, after every rule above (so the denies
/// and the deliveries still apply): the owner account's own principals, whom their IAM
/// governs; another service's requests outside the CloudTrail logs (AWS Config's or a load
/// balancer's deliveries under their own prefixes, their ACL checks); and CloudTrail's ACL
/// check for any trail, which reads only the ACL (lint reports an unbound one as a warning).
fn none_of_its_concern(e: &mut Expectation, intent: &Intent, bucket_arn: &str, logs: &str) {
    let p = intent.partition();
    if let Some(owner) = intent.bucket_owner() {
        e.push(
            "the bucket owner's own principals are left to its iam",
            Accept::ANY,
            rule(
                Principal::aws([owner.to_string()]),
                &["s3:*"],
                vec!["*".to_owned()],
            ),
        );
    }
    e.push(
        "another service's requests outside the cloudtrail logs are none of the intent's concern",
        Accept::ANY,
        Statement::new(Effect::Allow)
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(strings(["s3:*"])))
            .with_resource(Clause::Not(vec![format!("{logs}*")]))
            .with_condition("Bool", "aws:PrincipalIsAWSService", ["true"])
            .with_condition(
                "StringNotEquals",
                "aws:PrincipalServiceName",
                [p.cloudtrail_principal()],
            ),
    );
    e.push(
        "cloudtrail's acl check for any trail reads only the acl",
        Accept::ANY,
        rule(
            Principal::service(p.cloudtrail_principal()),
            &["s3:GetBucketAcl"],
            vec![bucket_arn.to_owned()],
        ),
    );
}

/// For each account folder, the trails the layout lets write into it: named trails, and
/// `ArnLike` patterns of accounts whose trails are not known.
///
/// Strict: a folder's own named trails (the organization trail owns the management account's
/// folder too), and any trail of its own account when the account's trails are not known.
/// Documented (AWS's multi-account shape): every named trail into every folder that has named
/// trails, and any trail of any such account into every folder of an account whose trails are
/// not known.
fn writers(intent: &Intent, layout: Layout) -> Vec<(&AccountId, Vec<&TrailArn>, Vec<String>)> {
    let p = intent.partition();
    let known: BTreeSet<&TrailArn> = intent.known_trails();
    let unknown = intent.accounts();
    let mut folders: BTreeSet<&AccountId> = known.iter().map(|t| t.account()).collect();
    folders.extend(unknown);
    folders
        .into_iter()
        .map(|account| {
            let own_named: Vec<&TrailArn> = known
                .iter()
                .copied()
                .filter(|t| t.account() == account)
                .collect();
            let (named, patterns) = match layout {
                Layout::Strict => (
                    own_named,
                    unknown
                        .contains(account)
                        .then(|| TrailArn::any_in_account(p, account))
                        .into_iter()
                        .collect(),
                ),
                Layout::Documented => {
                    let named = if own_named.is_empty() {
                        Vec::new()
                    } else {
                        known.iter().copied().collect()
                    };
                    let patterns = if unknown.contains(account) {
                        unknown
                            .iter()
                            .map(|a| TrailArn::any_in_account(p, a))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    (named, patterns)
                }
            };
            (account, named, patterns)
        })
        .collect()
}
