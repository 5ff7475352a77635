//! The KMS probe matrix: the requests CloudTrail, readers, administrators and strangers send to
//! the log-archive key, each with the verdict the intent says it must get.
//!
//! Expected verdicts come from the intent alone, never from the generated policy, so a generator
//! bug shows up as a failed probe.

use crate::artifact::PolicyKind;
use crate::eval::{Caller, Request, Verdict};
use crate::id::{AccountId, BucketName, PrincipalArn, TrailArn, arn};
use crate::intent::Intent;
use crate::probe::{Probe, TrailSources, allow_if, outsiders, with_ambient_context};

use super::statements::{CLOUDTRAIL_CONTEXT_KEY, S3_CONTEXT_KEY};

/// See [`KeyPolicy::probes`](super::KeyPolicy::probes).
pub(super) fn key_probes(intent: &Intent, cloudtrail_decrypt: bool) -> Vec<Probe> {
    use Verdict::{Allow, ImplicitDeny};
    let mut probes = Vec::new();
    let Some(key) = intent.key() else {
        return probes;
    };
    let key_arn = key.as_str().to_owned();
    let p = intent.partition();
    let region = intent.bucket_region().unwrap_or_else(|| key.region());
    let cloudtrail = || Caller::Service(intent.partition().cloudtrail_principal().to_string());
    let req = |caller: Caller, action: &str| {
        let account = match &caller {
            Caller::Aws(principal) => arn::account_field(principal).map(str::to_string),
            Caller::Anonymous | Caller::Service(_) => None,
        };
        let request = Request::new(caller, action, key_arn.clone());
        match account {
            Some(a) => request.with_context("kms:CallerAccount", a),
            None => request,
        }
    };
    let sources = TrailSources::new(intent);
    let from_trail = |request: Request, trail: &str| sources.for_trail(request, trail);
    // A log file of `trail` in this bucket, and the bucket: the `aws:s3:arn` context S3 adds
    // (the object without a Bucket Key, the bucket with one).
    let bucket_arn = intent.bucket().map(|b| b.arn(p));
    let log_object = |trail: &str| {
        let account = arn::account_field(trail).unwrap_or_default();
        intent.bucket().map(|b| {
            format!(
                "{}{account}/CloudTrail/{region}/2026/11/26/{account}_CloudTrail_{region}_20261126T0000Z_probe.json.gz",
                b.logs_arn(p, intent.prefix())
            )
        })
    };
    let with_s3 = |request: Request, value: Option<String>| match value {
        Some(v) => request.with_context(S3_CONTEXT_KEY, v),
        None => request,
    };
    let mut push = |name: String, request: Request, expect: Verdict| {
        probes.push(Probe::new(
            name,
            PolicyKind::Key,
            with_ambient_context(request),
            expect,
        ));
    };
    let strangers = outsiders(intent, 2);
    let (Some(stranger), Some(intruder_account)) = (strangers.first(), strangers.get(1)) else {
        return probes;
    };

    let made_up =
        |account: &AccountId, name: &str| TrailArn::made_up(region, account, name).to_string();
    let mut delivering: Vec<String> = intent
        .known_trails()
        .iter()
        .map(ToString::to_string)
        .collect();
    for account in intent.accounts() {
        delivering.push(made_up(account, "any-trail"));
    }
    let stranger_trail = made_up(stranger, "main");
    let documented_decrypt = cloudtrail_decrypt && !intent.scope_bucket_key_decrypt();
    for trail in &delivering {
        push(
            format!("cloudtrail encrypts for {trail}"),
            with_s3(
                from_trail(req(cloudtrail(), "kms:GenerateDataKey"), trail)
                    .with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone()),
                log_object(trail),
            ),
            Allow,
        );
        push(
            format!("cloudtrail describes the key for {trail}"),
            from_trail(req(cloudtrail(), "kms:DescribeKey"), trail),
            Allow,
        );
        push(
            format!("cloudtrail decrypts for {trail} (bucket key: {cloudtrail_decrypt})"),
            from_trail(req(cloudtrail(), "kms:Decrypt"), trail),
            allow_if(cloudtrail_decrypt),
        );
        push(
            format!("cloudtrail encrypts for {trail} without the encryption context"),
            from_trail(req(cloudtrail(), "kms:GenerateDataKey"), trail),
            ImplicitDeny,
        );
        push(
            format!("cloudtrail encrypts for {trail} without aws:SourceArn"),
            req(cloudtrail(), "kms:GenerateDataKey")
                .with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone()),
            ImplicitDeny,
        );
        push(
            format!("cloudtrail encrypts for {trail} with an unlisted account's context"),
            from_trail(req(cloudtrail(), "kms:GenerateDataKey"), trail)
                .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone()),
            ImplicitDeny,
        );
        push(
            format!("another service encrypts with {trail}'s context"),
            from_trail(
                req(
                    Caller::Service(format!("s3.{}", intent.partition().dns_suffix())),
                    "kms:GenerateDataKey",
                ),
                trail,
            )
            .with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone()),
            ImplicitDeny,
        );
    }
    push(
        "cloudtrail encrypts for an unlisted account's trail".into(),
        from_trail(req(cloudtrail(), "kms:GenerateDataKey"), &stranger_trail)
            .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone()),
        ImplicitDeny,
    );
    push(
        "cloudtrail describes the key for an unlisted account's trail".into(),
        from_trail(req(cloudtrail(), "kms:DescribeKey"), &stranger_trail),
        ImplicitDeny,
    );
    // The Bucket Key decrypt: AWS documents it without a condition, so any trail's request is
    // allowed unless the intent opts into the (unverified) `aws:SourceArn` scope.
    let note = if documented_decrypt {
        " (allowed: AWS documents AllowCloudTrailDecryptTrail without a condition)"
    } else {
        ""
    };
    push(
        format!("cloudtrail decrypts without aws:SourceArn{note}"),
        req(cloudtrail(), "kms:Decrypt"),
        allow_if(documented_decrypt),
    );
    push(
        format!("cloudtrail decrypts for an unlisted account's trail{note}"),
        from_trail(req(cloudtrail(), "kms:Decrypt"), &stranger_trail),
        allow_if(documented_decrypt),
    );
    let known = intent.known_trails();
    for trail in &known {
        if intent.accounts().contains(trail.account()) {
            continue;
        }
        let other = made_up(trail.account(), "unlisted-trail");
        if known.iter().all(|t| t.as_str() != other) {
            push(
                format!("cloudtrail encrypts for {other}, not in the intent"),
                from_trail(req(cloudtrail(), "kms:GenerateDataKey"), &other)
                    .with_context(CLOUDTRAIL_CONTEXT_KEY, other.clone()),
                ImplicitDeny,
            );
        }
    }
    let log_context = delivering.first().cloned().unwrap_or_default();
    push(
        "anonymous decrypts a log".into(),
        req(Caller::Anonymous, "kms:Decrypt")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, log_context.clone()),
        ImplicitDeny,
    );

    let bucket_key = intent.bucket_key();
    let other_bucket = intent.bucket().map(|b| {
        BucketName::made_up(if b.as_str() == "probe-other-bucket" {
            "probe-another-bucket"
        } else {
            "probe-other-bucket"
        })
    });
    for reader in intent.readers() {
        let caller = || Caller::Aws(reader.to_string());
        let decrypt = || req(caller(), "kms:Decrypt");
        for trail in &delivering {
            // Documented: a log file without a Bucket Key carries the trail and the object.
            push(
                format!("reader {reader} decrypts {trail}'s log file"),
                with_s3(
                    decrypt().with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone()),
                    log_object(trail),
                ),
                Allow,
            );
            if let Some(bucket) = &bucket_arn {
                // With a Bucket Key, S3's own context is the bucket; CloudTrail's may or may
                // not still be there (undocumented). This one is with it.
                let delegated = reader.account() == key.account();
                push(
                    format!(
                        "reader {reader} decrypts {trail}'s logs under a bucket key, trail context kept (bucket key: {bucket_key})"
                    ),
                    decrypt()
                        .with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone())
                        .with_context(S3_CONTEXT_KEY, bucket.clone()),
                    allow_if(bucket_key || delegated),
                );
            }
        }
        let delegated = reader.account() == key.account();
        let note = if delegated {
            " (allowed: key account, delegated to IAM)"
        } else {
            ""
        };
        if let Some(bucket) = &bucket_arn {
            push(
                format!(
                    "reader {reader} decrypts under a bucket key with the bucket context alone (bucket key: {bucket_key}){note}"
                ),
                decrypt().with_context(S3_CONTEXT_KEY, bucket.clone()),
                allow_if(bucket_key || delegated),
            );
            push(
                format!(
                    "reader {reader} decrypts the bucket context with an unlisted account's trail{note}"
                ),
                decrypt()
                    .with_context(S3_CONTEXT_KEY, bucket.clone())
                    .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone()),
                allow_if(delegated),
            );
            let outside = intent
                .bucket()
                .map(|b| b.object_arn(p, "not-logs/secret.json"))
                .unwrap_or_default();
            push(
                format!("reader {reader} decrypts an object of the bucket outside AWSLogs/{note}"),
                decrypt().with_context(S3_CONTEXT_KEY, outside.clone()),
                allow_if(delegated),
            );
            push(
                format!(
                    "reader {reader} decrypts an object outside AWSLogs/ with a delivering trail's context{note}"
                ),
                decrypt()
                    .with_context(S3_CONTEXT_KEY, outside)
                    .with_context(CLOUDTRAIL_CONTEXT_KEY, log_context.clone()),
                allow_if(delegated),
            );
        }
        if let Some(other) = &other_bucket {
            push(
                format!("reader {reader} decrypts another bucket's bucket key{note}"),
                decrypt().with_context(S3_CONTEXT_KEY, other.arn(p)),
                allow_if(delegated),
            );
            push(
                format!(
                    "reader {reader} decrypts a delivering trail's log file in another bucket{note}"
                ),
                decrypt()
                    .with_context(CLOUDTRAIL_CONTEXT_KEY, log_context.clone())
                    .with_context(S3_CONTEXT_KEY, other.object_arn(p, "AWSLogs/probe.json.gz")),
                allow_if(delegated),
            );
        }
        push(
            format!("reader {reader} decrypts without a cloudtrail context{note}"),
            decrypt(),
            allow_if(delegated),
        );
        push(
            format!("reader {reader} decrypts an unlisted account's logs{note}"),
            with_s3(
                decrypt().with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone()),
                log_object(&stranger_trail),
            ),
            allow_if(delegated),
        );
        push(
            format!("reader {reader} encrypts{note}"),
            req(caller(), "kms:GenerateDataKey")
                .with_context(CLOUDTRAIL_CONTEXT_KEY, log_context.clone()),
            allow_if(delegated),
        );
    }
    let intruder = PrincipalArn::made_up_role(p, intruder_account, "Intruder").to_string();
    push(
        "a principal of an unrelated account decrypts a log".into(),
        req(Caller::Aws(intruder.clone()), "kms:Decrypt")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, log_context.clone()),
        ImplicitDeny,
    );
    push(
        "a principal of an unrelated account changes the key policy".into(),
        req(Caller::Aws(intruder), "kms:PutKeyPolicy"),
        ImplicitDeny,
    );
    push(
        "the key account's root changes the key policy".into(),
        req(
            Caller::Aws(PrincipalArn::root(p, key.account().clone()).to_string()),
            "kms:PutKeyPolicy",
        ),
        Allow,
    );
    for admin in intent.key_admins() {
        push(
            format!("administrator {admin} changes the key policy"),
            req(Caller::Aws(admin.to_string()), "kms:PutKeyPolicy"),
            Allow,
        );
        push(
            format!("administrator {admin} schedules the key's deletion"),
            req(Caller::Aws(admin.to_string()), "kms:ScheduleKeyDeletion"),
            Allow,
        );
    }
    push(
        "cloudtrail changes the key policy".into(),
        from_trail(req(cloudtrail(), "kms:PutKeyPolicy"), &log_context),
        ImplicitDeny,
    );
    probes
}
