//! The bucket-policy probe matrix: the requests CloudTrail and people really send to a log
//! archive, each with the verdict the intent says it must get.
//!
//! Expected verdicts come from an independent model of the intent (who may write which folder
//! under each [`Layout`], which protections are on), never from the generated policy, so a
//! generator bug shows up as a failed probe.

use crate::artifact::PolicyKind;
use crate::eval::{Caller, Request, Verdict};
use crate::id::{AccountId, Partition, PrincipalArn, TrailArn, arn, logs_root};
use crate::intent::{Intent, Layout, OrganizationWriteCondition, PolicyKey};
use crate::probe::{
    Probe, ProbeClass, TrailSources, allow_if, other_region, outsiders, sample_region,
    with_ambient_context,
};

/// A trail that may write a folder, as the probe model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Writer {
    arn: TrailArn,
    /// Named exactly in the intent (a per-account trail or the organization trail).
    named: bool,
}

/// Where CloudTrail writes: an account folder, or the organization folder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Folder {
    Account(AccountId),
    Organization,
}

/// The independent model of delivery: may `writer`, whose requests carry `sources`' context,
/// put objects into `folder` under `layout`?
fn may_write(
    intent: &Intent,
    sources: &TrailSources<'_>,
    layout: Layout,
    writer: &Writer,
    folder: &Folder,
) -> bool {
    let org_trail = intent.organization().map(|o| o.trail());
    match folder {
        Folder::Organization => {
            org_trail == Some(&writer.arn)
                || (intent.organization_write_condition()
                    == OrganizationWriteCondition::SourceOrgId
                    && sources.organization_of(writer.arn.account()).is_some())
        }
        Folder::Account(account) => {
            let any_trail_folder = intent.accounts().contains(account);
            let named_folder = intent.trails().iter().any(|t| t.account() == account)
                || intent
                    .organization()
                    .is_some_and(|o| o.management_account() == account);
            let pattern_match = any_trail_folder && writer.arn.account() == account;
            let named_match = match layout {
                // Strict: the folder's own named trails only. The organization trail also owns
                // the management account's folder (second statement of AWS's policy):
                // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
                Layout::Strict => {
                    writer.named
                        && (intent.trails().contains(&writer.arn) || org_trail == Some(&writer.arn))
                        && writer.arn.account() == account
                }
                // Documented: any named trail into any folder that has named trails.
                Layout::Documented => writer.named && named_folder,
            };
            let documented_pattern = layout == Layout::Documented
                && any_trail_folder
                && intent.accounts().contains(writer.arn.account());
            pattern_match || named_match || documented_pattern
        }
    }
}

/// The encryption headers of CloudTrail's upload `request` (`s3:PutObject`).
///
/// - With a KMS key, log files are SSE-KMS and digest files SSE-S3: "Enabling server-side
///   encryption encrypts the log files but not the digest files with SSE-KMS. Digest files are
///   encrypted with Amazon S3-managed encryption keys (SSE-S3)"
///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html>).
///   That the uploads carry the headers (`s3:x-amz-server-side-encryption` `aws:kms` for log
///   files, `AES256` for digest files) is read from AWS's note that a bucket policy that "only
///   allow[s] SSE-KMS encrypted files" stops trails with log file validation, fixed by allowing
///   `"StringNotEquals": {"s3:x-amz-server-side-encryption": ["aws:kms", "AES256"]}`
///   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html>):
///   log files pass that deny and digest files pass it only with `AES256` listed.
/// - The key-id header holds the key's ARN: policies must name the key by ARN for
///   `s3:x-amz-server-side-encryption-aws-kms-key-id` ("you must use a key Amazon Resource Name
///   (ARN)", <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms>)
///   and a trail's `KmsKeyId` is "a fully specified ARN to a KMS key"
///   (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html>); that
///   CloudTrail sends that ARN is an inference. For a key the stack has yet to create the ARN is
///   not known yet: unknown.
/// - Without a key AWS does not say whether the SSE-S3 uploads carry `AES256` or no header:
///   either ([`Request::with_context_one_of`]), so a condition is decided only if both agree.
pub(crate) fn with_encryption_headers(request: Request, intent: &Intent) -> Request {
    const ALGORITHM: &str = "s3:x-amz-server-side-encryption";
    const KEY_ID: &str = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    let digest = request.resource().contains("/CloudTrail-Digest/");
    match intent.key() {
        Some(_) if digest => request.with_context(ALGORITHM, "AES256"),
        Some(PolicyKey::Existing(key)) => request
            .with_context(ALGORITHM, "aws:kms")
            .with_context(KEY_ID, key.as_str()),
        Some(PolicyKey::ToCreate(_)) => request
            .with_context(ALGORITHM, "aws:kms")
            .with_unknown_context(KEY_ID),
        None => request.with_context_one_of(ALGORITHM, [None, Some("AES256".to_owned())]),
    }
}

/// The bucket-policy probe matrix for `intent` under `layout`.
///
/// Allowed: for every delivering trail (a synthetic one for accounts whose trails are not
/// known) the ACL check and the log and digest uploads CloudTrail makes; for the organization
/// trail the same into `AWSLogs/<o-id>/<member>/` and the management account's folder; reads
/// and listings by the readers. Denied: more than twenty kinds of near miss, each named. See
/// [`BucketPolicy::probes`](super::BucketPolicy::probes) for the organization's probes.
pub(crate) fn bucket_probes(intent: &Intent, layout: Layout) -> Vec<Probe> {
    let mut probes = Vec::new();
    let p = intent.partition();
    let service = p.cloudtrail_principal();
    let (Some(region), Some(second_region), Some(bucket_name)) =
        (sample_region(p), other_region(p), intent.bucket())
    else {
        return probes;
    };
    let bucket = bucket_name.arn(p);
    let root = bucket_name.logs_arn(p, intent.prefix());
    let protections = intent.protections();
    let tls_deny = protections.deny_insecure_transport();
    let outsider_accounts = outsiders(intent, 2);
    let (Some(outsider), Some(outsider2)) = (outsider_accounts.first(), outsider_accounts.get(1))
    else {
        return probes;
    };
    let date = "2026/11/26";
    let log_key = |folder: &str, account: &AccountId| {
        format!(
            "{root}{folder}CloudTrail/{region}/{date}/{account}_CloudTrail_{region}_20261126T0000Z_probe.json.gz"
        )
    };
    let digest_key = |folder: &str, account: &AccountId| {
        format!(
            "{root}{folder}CloudTrail-Digest/{region}/{date}/{account}_CloudTrail-Digest_{region}_probe_{region}_20261126T000000Z.json.gz"
        )
    };
    let sources = TrailSources::new(intent);
    let from_trail = |request: Request, source: &TrailArn| {
        sources
            .for_trail(request, source.as_str())
            .with_context("aws:SecureTransport", "true")
    };
    let put = |source: &TrailArn, object: String| {
        let request = from_trail(
            Request::new(Caller::Service(service.into()), "s3:PutObject", object)
                .with_context("s3:x-amz-acl", "bucket-owner-full-control"),
            source,
        );
        with_encryption_headers(request, intent)
    };
    let acl = |source: &TrailArn| {
        from_trail(
            Request::new(
                Caller::Service(service.into()),
                "s3:GetBucketAcl",
                bucket.clone(),
            ),
            source,
        )
    };
    let person = |principal: String, action: &str, resource: String| {
        let account = arn::account_field(&principal)
            .unwrap_or_default()
            .to_owned();
        Request::new(Caller::Aws(principal.clone()), action, resource)
            .with_context("aws:PrincipalArn", principal)
            .with_context("aws:PrincipalAccount", account)
            .with_context("aws:SecureTransport", "true")
    };
    let mut push = |class: ProbeClass, name: String, request: Request, expect: Verdict| {
        let request = with_ambient_context(request);
        probes.push(Probe::new(name, PolicyKind::Bucket, request, expect).with_class(class));
    };

    // Every writer the intent names, and a synthetic trail for each any-trail account.
    let mut writers: Vec<Writer> = intent
        .known_trails()
        .into_iter()
        .map(|arn| Writer {
            arn: arn.clone(),
            named: true,
        })
        .collect();
    for account in intent.accounts() {
        let arn = TrailArn::made_up(&region, account, "probe-any-trail");
        writers.push(Writer { arn, named: false });
    }
    let org = intent.organization();

    // Must be allowed: each writer into its own folder.
    for w in &writers {
        let is_org = org.is_some_and(|o| o.trail() == &w.arn);
        let own = w.arn.account();
        push(
            ProbeClass::Delivery,
            format!("acl check by {}", w.arn),
            acl(&w.arn),
            Verdict::Allow,
        );
        push(
            ProbeClass::Delivery,
            format!("log file from {} into AWSLogs/{own}/", w.arn),
            put(&w.arn, log_key(&format!("{own}/"), own)),
            Verdict::Allow,
        );
        push(
            ProbeClass::Delivery,
            format!("digest file from {} into AWSLogs/{own}/", w.arn),
            put(&w.arn, digest_key(&format!("{own}/"), own)),
            Verdict::Allow,
        );
        // Near misses of this writer's own delivery: no ACL, a wrong ACL, no SourceArn.
        let object = log_key(&format!("{own}/"), own);
        let no_acl = from_trail(
            Request::new(
                Caller::Service(service.into()),
                "s3:PutObject",
                object.clone(),
            ),
            &w.arn,
        );
        push(
            ProbeClass::DeliveryNearMiss,
            format!("log file from {} without x-amz-acl", w.arn),
            no_acl.clone(),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::DeliveryNearMiss,
            format!("log file from {} with x-amz-acl private", w.arn),
            no_acl.with_context("s3:x-amz-acl", "private"),
            Verdict::ImplicitDeny,
        );
        let mut no_source = Request::new(Caller::Service(service.into()), "s3:PutObject", object)
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SourceAccount", own.to_string())
            .with_context("aws:SecureTransport", "true");
        if let Some(org) = sources.organization_of(w.arn.account()) {
            no_source = no_source.with_context("aws:SourceOrgID", org.as_str());
        }
        push(
            ProbeClass::ForeignTrail,
            format!("log file into AWSLogs/{own}/ without aws:SourceArn"),
            no_source,
            Verdict::ImplicitDeny,
        );
        if is_org && let Some(o) = org {
            let member = intent
                .delivering_accounts()
                .into_iter()
                .find(|a| a != o.management_account())
                .unwrap_or_else(|| outsider.clone());
            let folder = format!("{}/{member}/", o.id());
            push(
                ProbeClass::Delivery,
                format!("organization log file for member {member}"),
                put(&w.arn, log_key(&folder, &member)),
                Verdict::Allow,
            );
            push(
                ProbeClass::Delivery,
                format!("organization digest file for member {member}"),
                put(&w.arn, digest_key(&folder, &member)),
                Verdict::Allow,
            );
        }
    }

    // Cross-folder writes, with the verdict the layout promises: with a few folders, each writer
    // into every other folder; with many, each writer into the next two folders in sorted order
    // (so every folder is probed from two foreign writers, and the matrix stays linear).
    let folders: Vec<AccountId> = intent.delivering_accounts().into_iter().collect();
    for w in &writers {
        let own = folders
            .iter()
            .position(|f| f == w.arn.account())
            .unwrap_or(0);
        let others: Vec<&AccountId> = if folders.len() <= 9 {
            folders.iter().filter(|f| *f != w.arn.account()).collect()
        } else {
            (1..=2)
                .filter_map(|k| folders.get((own + k) % folders.len()))
                .filter(|f| *f != w.arn.account())
                .collect()
        };
        for f in others {
            let expect = allow_if(may_write(
                intent,
                &sources,
                layout,
                w,
                &Folder::Account(f.clone()),
            ));
            push(
                ProbeClass::CrossFolder,
                format!(
                    "{} writes into another account's folder AWSLogs/{f}/",
                    w.arn
                ),
                put(&w.arn, log_key(&format!("{f}/"), f)),
                expect,
            );
        }
        if let Some(o) = org
            && o.trail() != &w.arn
        {
            let member = w.arn.account();
            push(
                ProbeClass::CrossFolder,
                format!("{} writes into the organization folder", w.arn),
                put(&w.arn, log_key(&format!("{}/{member}/", o.id()), member)),
                allow_if(may_write(
                    intent,
                    &sources,
                    layout,
                    w,
                    &Folder::Organization,
                )),
            );
        }
    }

    // The organization folder from trails the intent does not name: an account of this
    // organization (allowed only when the write is bound by `aws:SourceOrgID`, the documented
    // trade-off), of another organization, and of no organization.
    if let Some(o) = org {
        let t = TrailArn::made_up(&region, outsider, "probe-member-trail");
        let folder = format!("{}/{outsider}/", o.id());
        let by_org_id =
            intent.organization_write_condition() == OrganizationWriteCondition::SourceOrgId;
        let bare = |org_id: Option<&str>| {
            let r = Request::new(
                Caller::Service(service.into()),
                "s3:PutObject",
                log_key(&folder, outsider),
            )
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SourceArn", t.to_string())
            .with_context("aws:SourceAccount", outsider.to_string())
            .with_context("aws:SecureTransport", "true");
            let r = with_encryption_headers(r, intent);
            match org_id {
                Some(id) => r.with_context("aws:SourceOrgID", id),
                None => r,
            }
        };
        push(
            ProbeClass::CrossFolder,
            format!(
                "a trail of account {outsider} of organization {} writes into the organization folder",
                o.id()
            ),
            bare(Some(o.id().as_str())),
            allow_if(by_org_id),
        );
        let other_org = if o.id().as_str() == "o-probeother1" {
            "o-probeother2"
        } else {
            "o-probeother1"
        };
        push(
            ProbeClass::ForeignTrail,
            format!(
                "a trail of another organization {other_org} writes into the organization folder"
            ),
            bare(Some(other_org)),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::ForeignTrail,
            "a trail of an account in no organization writes into the organization folder".into(),
            bare(None),
            Verdict::ImplicitDeny,
        );
    }

    // Near misses of the first writer.
    if let Some(w) = writers.first() {
        let own = w.arn.account();
        let folder = format!("{own}/");
        let object = log_key(&folder, own);
        let name = w.arn.name().as_str();
        {
            let t = TrailArn::made_up(&region, outsider, "probe-unlisted");
            let outsider_writer = Writer {
                arn: t.clone(),
                named: false,
            };
            push(
                ProbeClass::ForeignTrail,
                format!("unlisted account {outsider}'s trail into its own folder"),
                put(&t, log_key(&format!("{outsider}/"), outsider)),
                Verdict::ImplicitDeny,
            );
            push(
                ProbeClass::ForeignTrail,
                format!("unlisted account {outsider}'s trail into AWSLogs/{own}/"),
                put(&t, object.clone()),
                allow_if(may_write(
                    intent,
                    &sources,
                    layout,
                    &outsider_writer,
                    &Folder::Account(own.clone()),
                )),
            );
            push(
                ProbeClass::ForeignTrail,
                format!("acl check by unlisted account {outsider}'s trail"),
                acl(&t),
                Verdict::ImplicitDeny,
            );
        }
        {
            let t = TrailArn::made_up(w.arn.region(), outsider, name);
            push(
                ProbeClass::ForeignTrail,
                format!("a trail named `{name}` in unlisted account {outsider}"),
                put(&t, object.clone()),
                Verdict::ImplicitDeny,
            );
        }
        if w.named && !intent.accounts().contains(own) {
            {
                let t = TrailArn::made_up(w.arn.region(), own, "probe-other-trail");
                push(
                    ProbeClass::SiblingTrail,
                    format!("another trail of account {own}"),
                    put(&t, object.clone()),
                    Verdict::ImplicitDeny,
                );
            }
            let other_region = if w.arn.region() == &region {
                second_region.clone()
            } else {
                region.clone()
            };
            let t = TrailArn::made_up(&other_region, own, name);
            if t != w.arn {
                push(
                    ProbeClass::SiblingTrail,
                    format!("trail `{name}` of account {own} homed in {other_region}"),
                    put(&t, object.clone()),
                    Verdict::ImplicitDeny,
                );
            }
        }
        let other_partition = if p == Partition::Aws {
            Partition::AwsCn
        } else {
            Partition::Aws
        };
        if let Some(r) = sample_region(other_partition) {
            let t = TrailArn::made_up(&r, own, name);
            push(
                ProbeClass::SiblingTrail,
                format!("trail `{name}` of account {own} in partition {other_partition}"),
                put(&t, object.clone()),
                Verdict::ImplicitDeny,
            );
        }
        push(
            ProbeClass::Transport,
            "log file without TLS".into(),
            put(&w.arn, object.clone()).with_context("aws:SecureTransport", "false"),
            if tls_deny {
                Verdict::Deny
            } else {
                Verdict::Allow
            },
        );
        let acl_no_source = Request::new(
            Caller::Service(service.into()),
            "s3:GetBucketAcl",
            bucket.clone(),
        )
        .with_context("aws:SecureTransport", "true");
        push(
            ProbeClass::ForeignTrail,
            "acl check without aws:SourceArn".into(),
            acl_no_source,
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Outsider,
            "another service principal with the trail's context".into(),
            Request::new(
                Caller::Service("config.amazonaws.com".into()),
                "s3:PutObject",
                object.clone(),
            )
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SourceArn", w.arn.to_string())
            .with_context("aws:SecureTransport", "true"),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Outsider,
            "another service principal checks the bucket acl with the trail's context".into(),
            Request::new(
                Caller::Service("config.amazonaws.com".into()),
                "s3:GetBucketAcl",
                bucket.clone(),
            )
            .with_context("aws:SourceArn", w.arn.to_string())
            .with_context("aws:SecureTransport", "true"),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Anonymous,
            "anonymous upload into the log folder".into(),
            Request::new(Caller::Anonymous, "s3:PutObject", object.clone())
                .with_context("s3:x-amz-acl", "bucket-owner-full-control")
                .with_context("aws:SecureTransport", "true"),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Anonymous,
            "anonymous read of a log file".into(),
            Request::new(Caller::Anonymous, "s3:GetObject", object.clone())
                .with_context("aws:SecureTransport", "true"),
            Verdict::ImplicitDeny,
        );
        let stranger = PrincipalArn::made_up_role(p, outsider2, "Stranger").to_string();
        push(
            ProbeClass::Outsider,
            "a role of an unlisted account uploads into the log folder".into(),
            person(stranger.clone(), "s3:PutObject", object.clone())
                .with_context("s3:x-amz-acl", "bucket-owner-full-control"),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Outsider,
            "a role of an unlisted account reads a log file".into(),
            person(stranger.clone(), "s3:GetObject", object.clone()),
            Verdict::ImplicitDeny,
        );
        push(
            ProbeClass::Outsider,
            "a role of an unlisted account lists the logs".into(),
            person(stranger.clone(), "s3:ListBucket", bucket.clone()).with_context(
                "s3:prefix",
                format!("{}AWSLogs/", logs_root(intent.prefix())),
            ),
            Verdict::ImplicitDeny,
        );
        let outside = bucket_name.object_arn(
            p,
            &format!(
                "{}outside-awslogs/probe.json.gz",
                logs_root(intent.prefix())
            ),
        );
        push(
            ProbeClass::DeliveryNearMiss,
            "log file outside AWSLogs/".into(),
            put(&w.arn, outside),
            Verdict::ImplicitDeny,
        );

        // Deletion, by the bucket owner, by a reader, by a delivering account.
        let delete_verdict = if protections.deny_delete() {
            Verdict::Deny
        } else {
            Verdict::ImplicitDeny
        };
        let owner = intent.bucket_owner().unwrap_or(outsider);
        // Without a named owner, an unlisted account stands in for it.
        let (owner_root_name, owner_account_name) = if intent.bucket_owner().is_some() {
            (
                "the bucket owner's root".to_owned(),
                "the bucket owner's account".to_owned(),
            )
        } else {
            let stand_in = "standing in for the bucket owner, who is not named";
            (
                format!("the root of account {owner} ({stand_in})"),
                format!("account {owner} ({stand_in})"),
            )
        };
        let owner_root = PrincipalArn::root(p, owner.clone()).to_string();
        let root_exempt = protections
            .delete_exempt()
            .iter()
            .any(|e| e.as_str() == owner_root);
        for action in ["s3:DeleteObject", "s3:DeleteObjectVersion"] {
            push(
                ProbeClass::Deletion,
                format!("{action} of a log file by {owner_root_name}"),
                person(owner_root.clone(), action, object.clone()),
                if root_exempt {
                    Verdict::ImplicitDeny
                } else {
                    delete_verdict
                },
            );
        }
        let owner_role = PrincipalArn::made_up_role(p, owner, "Admin").to_string();
        if !protections
            .delete_exempt()
            .iter()
            .any(|e| e.as_str() == owner_role)
        {
            push(
                ProbeClass::Deletion,
                format!("s3:DeleteObject of a log file by a role of {owner_account_name}"),
                person(owner_role.clone(), "s3:DeleteObject", object.clone()),
                delete_verdict,
            );
        }
        // Lifecycle rules expire objects: the same deny, on the bucket.
        for (who, principal) in [
            (owner_root_name.clone(), owner_root.clone()),
            (
                format!("a role of {owner_account_name}"),
                owner_role.clone(),
            ),
            ("a role of an unlisted account".to_owned(), stranger.clone()),
        ] {
            let exempt = protections
                .delete_exempt()
                .iter()
                .any(|e| e.as_str() == principal);
            push(
                ProbeClass::Deletion,
                format!("s3:PutLifecycleConfiguration by {who}"),
                person(principal, "s3:PutLifecycleConfiguration", bucket.clone()),
                if exempt {
                    Verdict::ImplicitDeny
                } else {
                    delete_verdict
                },
            );
        }
        for exempt in protections.delete_exempt() {
            push(
                ProbeClass::Deletion,
                format!(
                    "s3:PutLifecycleConfiguration by break-glass {exempt} is not denied by the policy"
                ),
                person(
                    exempt.to_string(),
                    "s3:PutLifecycleConfiguration",
                    bucket.clone(),
                ),
                Verdict::ImplicitDeny,
            );
        }
        push(
            ProbeClass::Deletion,
            "s3:DeleteObject of a log file by anonymous".into(),
            Request::new(Caller::Anonymous, "s3:DeleteObject", object.clone())
                .with_context("aws:SecureTransport", "true"),
            delete_verdict,
        );
        for exempt in protections.delete_exempt() {
            push(
                ProbeClass::Deletion,
                format!("s3:DeleteObject by break-glass {exempt} is not denied by the policy"),
                person(exempt.to_string(), "s3:DeleteObject", object.clone()),
                Verdict::ImplicitDeny,
            );
            if let Some(session) = exempt.session("probe") {
                let req = Request::new(Caller::Aws(session), "s3:DeleteObject", object.clone())
                    .with_context("aws:PrincipalArn", exempt.to_string())
                    .with_context("aws:PrincipalAccount", exempt.account().to_string())
                    .with_context("aws:SecureTransport", "true");
                push(
                    ProbeClass::Deletion,
                    format!("s3:DeleteObject by a session of break-glass {exempt} is not denied"),
                    req,
                    Verdict::ImplicitDeny,
                );
            }
        }

        // Policy changes.
        let change_verdict = if protections.policy_admins().is_some() {
            Verdict::Deny
        } else {
            Verdict::ImplicitDeny
        };
        push(
            ProbeClass::PolicyChange,
            format!("s3:PutBucketPolicy by a role of {owner_account_name}"),
            person(owner_role.clone(), "s3:PutBucketPolicy", bucket.clone()),
            if protections
                .policy_admins()
                .is_some_and(|a| a.iter().any(|x| x.as_str() == owner_role))
            {
                Verdict::ImplicitDeny
            } else {
                change_verdict
            },
        );
        push(
            ProbeClass::PolicyChange,
            "s3:DeleteBucketPolicy by a role of an unlisted account".into(),
            person(stranger.clone(), "s3:DeleteBucketPolicy", bucket.clone()),
            change_verdict,
        );
        for admin in protections.policy_admins().into_iter().flatten() {
            push(
                ProbeClass::PolicyChange,
                format!("s3:PutBucketPolicy by administrator {admin} is not denied by the policy"),
                person(admin.to_string(), "s3:PutBucketPolicy", bucket.clone()),
                Verdict::ImplicitDeny,
            );
        }

        // Members of the organization: grants conditioned on `aws:PrincipalOrgID` or
        // `aws:PrincipalOrgPaths` reach every principal of every member account
        // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>),
        // in the owner's account and out of it.
        if let Some(o) = org {
            let member = |principal: String, action: &str, resource: String| {
                person(principal, action, resource)
                    .with_context("aws:PrincipalOrgID", o.id().to_string())
                    .with_context_values(
                        "aws:PrincipalOrgPaths",
                        [format!("{}/r-probe/ou-probe/", o.id())],
                    )
            };
            let id = o.id();
            let member_role = PrincipalArn::made_up_role(p, outsider2, "OrgMember").to_string();
            push(
                ProbeClass::Outsider,
                format!("a role of unlisted member account {outsider2} of {id} reads a log file"),
                member(member_role.clone(), "s3:GetObject", object.clone()),
                Verdict::ImplicitDeny,
            );
            push(
                ProbeClass::Outsider,
                format!(
                    "a role of unlisted member account {outsider2} of {id} uploads into the log folder"
                ),
                member(member_role.clone(), "s3:PutObject", object.clone())
                    .with_context("s3:x-amz-acl", "bucket-owner-full-control"),
                Verdict::ImplicitDeny,
            );
            push(
                ProbeClass::Deletion,
                format!("a role of unlisted member account {outsider2} of {id} deletes a log file"),
                member(member_role.clone(), "s3:DeleteObject", object.clone()),
                delete_verdict,
            );
            push(
                ProbeClass::PolicyChange,
                format!(
                    "a role of unlisted member account {outsider2} of {id} replaces the bucket policy"
                ),
                member(member_role, "s3:PutBucketPolicy", bucket.clone()),
                change_verdict,
            );
            if intent.bucket_owner().is_some() {
                let owner_member = PrincipalArn::made_up_role(p, owner, "OrgMember");
                push(
                    ProbeClass::Deletion,
                    format!(
                        "a role of the bucket owner's account, as a member of {id}, deletes a log file"
                    ),
                    member(owner_member.to_string(), "s3:DeleteObject", object.clone()),
                    delete_verdict,
                );
            }
        }

        // Readers.
        let list_prefix = format!("{}AWSLogs/", logs_root(intent.prefix()));
        for reader in intent.readers() {
            push(
                ProbeClass::Read,
                format!("{reader} reads a log file"),
                person(reader.to_string(), "s3:GetObject", object.clone()),
                Verdict::Allow,
            );
            push(
                ProbeClass::Read,
                format!("{reader} lists the log folders"),
                person(reader.to_string(), "s3:ListBucket", bucket.clone())
                    .with_context("s3:prefix", list_prefix.clone()),
                Verdict::Allow,
            );
            push(
                ProbeClass::ReaderScope,
                format!("{reader} reads an object outside the log folders"),
                person(
                    reader.to_string(),
                    "s3:GetObject",
                    bucket_name.object_arn(p, "not-logs/secret.txt"),
                ),
                Verdict::ImplicitDeny,
            );
            push(
                ProbeClass::ReaderScope,
                format!("{reader} lists outside the log folders"),
                person(reader.to_string(), "s3:ListBucket", bucket.clone())
                    .with_context("s3:prefix", ""),
                Verdict::ImplicitDeny,
            );
            push(
                ProbeClass::Transport,
                format!("{reader} reads a log file without TLS"),
                person(reader.to_string(), "s3:GetObject", object.clone())
                    .with_context("aws:SecureTransport", "false"),
                if tls_deny {
                    Verdict::Deny
                } else {
                    Verdict::Allow
                },
            );
            push(
                ProbeClass::ReaderScope,
                format!("{reader} uploads into the log folder"),
                person(reader.to_string(), "s3:PutObject", object.clone())
                    .with_context("s3:x-amz-acl", "bucket-owner-full-control"),
                Verdict::ImplicitDeny,
            );
            push(
                ProbeClass::Deletion,
                format!("{reader} deletes a log file"),
                person(reader.to_string(), "s3:DeleteObject", object.clone()),
                if protections.delete_exempt().contains(reader) {
                    Verdict::ImplicitDeny
                } else {
                    delete_verdict
                },
            );
        }
    }
    probes
}
