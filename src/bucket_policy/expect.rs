//! The rules a bucket policy is held to by the complete proof (documented on
//! [`BucketPolicy::expectation`](super::BucketPolicy::expectation)).

use std::collections::BTreeSet;

use crate::artifact::strings;
use crate::document::PolicyDocument;
use crate::document::{Clause, Effect, Principal, Statement};
use crate::id::{AccountId, BucketName, TrailArn, logs_root};
use crate::intent::{Intent, Layout, OrganizationWriteCondition, PolicyKey};
use crate::proof::{
    self, Accept, Completeness, Domain, Expectation, IncompleteReason, Resources, S3_ACTIONS,
    Scope, s3_unrequestable,
};

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
    for (label, matcher) in s3_unrequestable(&bucket_arn) {
        e.push(label, Accept::ANY, matcher);
    }

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
    deliveries(&mut e, intent, &logs, layout, Accept::ALLOW);

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
    if let Scope::Existing { any_layout } = scope {
        if any_layout && layout == Layout::Strict {
            // No layout named: the documented layout's cross-folder writes are allowed too.
            deliveries(&mut e, intent, &logs, Layout::Documented, Accept::ANY);
        }
        none_of_its_concern(&mut e, intent, &bucket_arn, &logs);
    }
    e
}

/// CloudTrail's uploads into each folder, for the trails `layout` lets write there, with the
/// encryption headers CloudTrail sends (see `with_encryption_headers`): each delivery as sent
/// gets `accept`; the same upload with headers CloudTrail never sends cannot happen, and is
/// none of the intent's concern.
fn deliveries(e: &mut Expectation, intent: &Intent, logs: &str, layout: Layout, accept: Accept) {
    let cloudtrail = Principal::service(intent.partition().cloudtrail_principal());
    let mut deliver = |label: String, folder: String, bind: Statement| {
        let base = |resources: Vec<String>| {
            bind.clone()
                .with_resource(Clause::Is(resources))
                .with_condition(
                    "StringEquals",
                    "s3:x-amz-acl",
                    ["bucket-owner-full-control"],
                )
        };
        let digests = vec![
            format!("{logs}{folder}/CloudTrail-Digest/*"),
            format!("{logs}{folder}/*/CloudTrail-Digest/*"),
        ];
        let files = vec![format!("{logs}{folder}/*")];
        for (what, resources, sent) in [
            ("digest files", digests, sent_headers(intent, true)),
            ("log files", files, sent_headers(intent, false)),
        ] {
            let mut as_sent = base(resources.clone());
            for (operator, key, value) in sent {
                as_sent = as_sent.with_condition(operator, key, [value]);
            }
            e.push(format!("{label}: {what}"), accept, as_sent);
            e.push(
                format!("{label}: {what} with headers cloudtrail does not send"),
                Accept::ANY,
                base(resources),
            );
        }
    };
    let put = || {
        Statement::new(Effect::Allow)
            .with_principal(Clause::Is(cloudtrail.clone()))
            .with_action(Clause::Is(strings(["s3:PutObject"])))
    };
    for (account, named, patterns) in writers(intent, layout) {
        if !named.is_empty() {
            deliver(
                format!(
                    "cloudtrail delivers into AWSLogs/{account}/ for a trail that may write there"
                ),
                account.to_string(),
                put().with_condition("StringEquals", "aws:SourceArn", strings(&named)),
            );
        }
        if !patterns.is_empty() {
            deliver(
                format!(
                    "cloudtrail delivers into AWSLogs/{account}/ for any trail of an account that may write there"
                ),
                account.to_string(),
                put().with_condition("ArnLike", "aws:SourceArn", patterns),
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
        deliver(
            label.to_owned(),
            org.id().to_string(),
            put().with_condition("StringEquals", key, [value]),
        );
    }
}

/// What an existing policy may hold beyond the intent, after every rule above (so the denies
/// and the deliveries still apply): the owner account's own principals, whom their IAM
/// governs; any request on the bucket's objects outside CloudTrail's folders
/// (`AWSLogs/<account>/CloudTrail*` for any account, and everything below an organization's
/// `AWSLogs/o-…/`: AWS Config's deliveries under `AWSLogs/<account>/Config/`, a load
/// balancer's under its own prefix, reports someone keeps there), which cannot read or change
/// a log file; another service's reads of the bucket's ACL, location and
/// listing (AWS Config's bucket checks); and CloudTrail's ACL check for any trail, which reads
/// only the ACL (lint reports an unbound one as a warning). Everything on the bucket itself
/// (its policy, ACL, lifecycle, versioning, encryption) stays the intent's concern.
fn none_of_its_concern(e: &mut Expectation, intent: &Intent, bucket_arn: &str, logs: &str) {
    /// An account folder's name: twelve characters.
    const ACCOUNT: &str = "????????????";
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
        "requests on objects outside the cloudtrail logs are none of the intent's concern",
        Accept::ANY,
        Statement::new(Effect::Allow)
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(strings(["s3:*"])))
            .with_resource(Clause::Not(vec![
                bucket_arn.to_owned(),
                format!("{logs}{ACCOUNT}/CloudTrail*"),
                format!("{logs}o-*"),
            ])),
    );
    e.push(
        "another service's reads of the bucket's acl, location and listing are none of the intent's concern",
        Accept::ANY,
        rule(
            Principal::Any,
            &["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:ListBucket"],
            vec![bucket_arn.to_owned()],
        )
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

/// [`BucketPolicy::prove`](super::BucketPolicy::prove), with the rules of `scope`.
pub(super) fn prove(
    policy: &PolicyDocument,
    intent: &Intent,
    layout: Layout,
    scope: Scope,
) -> Completeness {
    let Some(bucket) = intent.bucket() else {
        return Completeness::incomplete(IncompleteReason::NoBucket);
    };
    let p = intent.partition();
    let domain = Domain {
        partition: p,
        actions: &S3_ACTIONS,
        resources: Resources::Bucket(bucket.arn(p)),
        caller_account_key: false,
        always: &[("aws:SecureTransport", &["true", "false"])],
    };
    proof::prove(policy, &expectation(intent, bucket, layout, scope), &domain)
}

/// The encryption headers CloudTrail's upload carries, as conditions that select exactly them
/// (the facts and their sources are on `with_encryption_headers`, which the probes use): with a
/// KMS key, `aws:kms` and the key's ARN for log files (any key ARN for a key yet to be
/// created), `AES256` for digest files; without one, `AES256` or no header, which AWS does not
/// settle, so both must pass.
fn sent_headers(intent: &Intent, digest: bool) -> Vec<(&'static str, &'static str, String)> {
    const ALGORITHM: &str = "s3:x-amz-server-side-encryption";
    const KEY_ID: &str = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    match intent.key() {
        Some(_) if digest => vec![("StringEquals", ALGORITHM, "AES256".to_owned())],
        Some(PolicyKey::Existing(key)) => vec![
            ("StringEquals", ALGORITHM, "aws:kms".to_owned()),
            ("StringEquals", KEY_ID, key.to_string()),
        ],
        Some(PolicyKey::ToCreate(_)) => vec![("StringEquals", ALGORITHM, "aws:kms".to_owned())],
        None => vec![("StringEqualsIfExists", ALGORITHM, "AES256".to_owned())],
    }
}
