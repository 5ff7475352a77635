//! The KMS probe matrix: the requests CloudTrail, readers, administrators and strangers send to
//! the log-archive key, each with the verdict the intent says it must get.
//!
//! Expected verdicts come from the intent alone, never from the generated policy, so a generator
//! bug shows up as a failed probe.

use crate::artifact::PolicyKind;
use crate::eval::{Caller, Request, Verdict};
use crate::id::{AccountId, PrincipalArn, TrailArn, TrailName, arn};
use crate::intent::Intent;
use crate::probe::{Probe, allow_if, outsiders, with_ambient_context};

use super::statements::CLOUDTRAIL_CONTEXT_KEY;

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

    let made_up = |account: &AccountId, name: &str| {
        TrailName::new(name)
            .and_then(|name| TrailArn::new(p, region.clone(), account.clone(), name))
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let mut delivering: Vec<String> = intent
        .known_trails()
        .iter()
        .map(ToString::to_string)
        .collect();
    for account in intent.accounts() {
        delivering.push(made_up(account, "any-trail"));
    }
    let stranger_trail = made_up(stranger, "main");
    for trail in &delivering {
        push(
            format!("cloudtrail encrypts for {trail}"),
            req(cloudtrail(), "kms:GenerateDataKey")
                .with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone())
                .with_context("aws:SourceArn", trail.clone()),
            Allow,
        );
        push(
            format!("cloudtrail describes the key for {trail}"),
            req(cloudtrail(), "kms:DescribeKey").with_context("aws:SourceArn", trail.clone()),
            Allow,
        );
        push(
            format!("cloudtrail decrypts for {trail} (bucket key: {cloudtrail_decrypt})"),
            req(cloudtrail(), "kms:Decrypt").with_context("aws:SourceArn", trail.clone()),
            allow_if(cloudtrail_decrypt),
        );
        push(
            format!("cloudtrail encrypts for {trail} without the encryption context"),
            req(cloudtrail(), "kms:GenerateDataKey").with_context("aws:SourceArn", trail.clone()),
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
            req(cloudtrail(), "kms:GenerateDataKey")
                .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone())
                .with_context("aws:SourceArn", trail.clone()),
            ImplicitDeny,
        );
        push(
            format!("another service encrypts with {trail}'s context"),
            req(
                Caller::Service(format!("s3.{}", intent.partition().dns_suffix())),
                "kms:GenerateDataKey",
            )
            .with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone())
            .with_context("aws:SourceArn", trail.clone()),
            ImplicitDeny,
        );
    }
    push(
        "cloudtrail encrypts for an unlisted account's trail".into(),
        req(cloudtrail(), "kms:GenerateDataKey")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone())
            .with_context("aws:SourceArn", stranger_trail.clone()),
        ImplicitDeny,
    );
    push(
        "cloudtrail describes the key for an unlisted account's trail".into(),
        req(cloudtrail(), "kms:DescribeKey").with_context("aws:SourceArn", stranger_trail.clone()),
        ImplicitDeny,
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
                req(cloudtrail(), "kms:GenerateDataKey")
                    .with_context(CLOUDTRAIL_CONTEXT_KEY, other.clone())
                    .with_context("aws:SourceArn", other),
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

    for reader in intent.readers() {
        let caller = || Caller::Aws(reader.to_string());
        for trail in &delivering {
            push(
                format!("reader {reader} decrypts {trail}'s logs"),
                req(caller(), "kms:Decrypt").with_context(CLOUDTRAIL_CONTEXT_KEY, trail.clone()),
                Allow,
            );
        }
        let delegated = reader.account() == key.account();
        let note = if delegated {
            " (allowed: key account, delegated to IAM)"
        } else {
            ""
        };
        push(
            format!("reader {reader} decrypts without a cloudtrail context{note}"),
            req(caller(), "kms:Decrypt"),
            allow_if(delegated),
        );
        push(
            format!("reader {reader} decrypts an unlisted account's logs{note}"),
            req(caller(), "kms:Decrypt")
                .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger_trail.clone()),
            allow_if(delegated),
        );
        push(
            format!("reader {reader} encrypts{note}"),
            req(caller(), "kms:GenerateDataKey")
                .with_context(CLOUDTRAIL_CONTEXT_KEY, log_context.clone()),
            allow_if(delegated),
        );
    }
    let Ok(intruder) = PrincipalArn::role(p, intruder_account, "Intruder") else {
        return probes;
    };
    let intruder = intruder.to_string();
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
        req(cloudtrail(), "kms:PutKeyPolicy").with_context("aws:SourceArn", log_context),
        ImplicitDeny,
    );
    probes
}
