//! Linting an existing bucket policy against an intent: every finding names its consequence and
//! is backed by a request sent through the evaluator, never by the policy's text alone.
//!
//! Two sources of findings:
//!
//! 1. The probe matrix of [`BucketPolicy::probes`](super::BucketPolicy::probes): each probe that does not get its
//!    expected verdict becomes a finding chosen by the probe's [`ProbeClass`].
//! 2. Statement checks, each confirmed by a request built from the statement itself: an `Allow`
//!    to the CloudTrail service without `aws:SourceArn`/`aws:SourceAccount` is sent a request from
//!    a trail of an unlisted account; an `Allow` to `*` without conditions is sent an anonymous
//!    request; an `Allow` to an AWS principal of another account, not named in the intent, is
//!    sent a request from that principal (a role of it, for an account). Only a statement that
//!    really grants the request is reported.
//!
//! # Layout
//!
//! The probes use the intent's layout, or [`Layout::Documented`] when it has none: existing
//! policies are usually in AWS's documented shape
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>),
//! where any listed trail may write into any listed folder. A cross-folder write the layout
//! forbids is a warning (`cross-folder-write`), not an error: CloudTrail still delivers.
//!
//! # Finding codes
//!
//! Stable, kebab-case: `missing-delivery`, `deny-blocks-delivery`, `confused-deputy`,
//! `public-access`, `cross-account-access`, `log-deletion-allowed`, `policy-change-allowed`,
//! `missing-read`, `cross-folder-write`, `delivery-too-wide`, `unlisted-trail`,
//! `reader-too-wide`, `missing-tls-deny`, `missing-delete-deny`, `missing-policy-change-deny`,
//! `break-glass-denied`, `admin-locked-out`, `cannot-prove`, `probe-failed`.

use std::collections::BTreeMap;

use crate::document::{Clause, Effect, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{Caller, Decision, Request, Verdict, evaluate, wildcard_match};
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::{AccountId, PrincipalArn, PrincipalKind, TrailArn, TrailName, arn};
use crate::intent::{Intent, Layout};
use crate::probe::{Probe, ProbeClass, Report, outsiders, sample_region};

use super::probes::bucket_probes;

/// The consequence CreateTrail reports when the bucket policy lacks a delivery: the CloudTrail
/// API model's error for "the policy on the S3 bucket is not sufficient"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
const INSUFFICIENT: &str = "CreateTrail fails with `InsufficientS3BucketPolicyException`";

/// Codes reported once however many probes show them: the message names the first probe.
const ONCE: [FindingCode; 3] = [
    FindingCode::MissingTlsDeny,
    FindingCode::MissingDeleteDeny,
    FindingCode::MissingPolicyChangeDeny,
];

/// See [`BucketPolicy::lint`](super::BucketPolicy::lint).
pub(super) fn lint(policy: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(bucket) = intent.bucket() else {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::BucketPolicyNoBucket,
            "no bucket in the intent: name the bucket the policy is attached to",
        ));
        return findings;
    };
    let logs = bucket.logs_arn(intent.partition(), intent.prefix());
    let layout = intent.layout().unwrap_or(Layout::Documented);
    let report = Report::run(policy, bucket_probes(intent, layout));
    // The construct the evaluator could not model → (first probe it blocked, how many).
    // construct -> (first probe, count, whether any of them had to be denied)
    let mut unproved: BTreeMap<String, (String, usize, bool)> = BTreeMap::new();
    for result in report.results() {
        match result.outcome() {
            Ok(decision) => findings.extend(probe_finding(result.probe(), decision, intent)),
            Err(unsupported) => {
                let entry = unproved
                    .entry(unsupported.to_string())
                    .or_insert_with(|| (result.probe().name().to_owned(), 0, false));
                entry.1 += 1;
                entry.2 |= result.probe().expect() != Verdict::Allow;
            }
        }
    }
    for (index, statement) in policy.statements().iter().enumerate() {
        findings.extend(statement_findings(
            policy,
            intent,
            &logs,
            index,
            statement,
            &mut unproved,
        ));
    }
    for (construct, (first, count, must_deny)) in unproved {
        // A request that must be refused but cannot be proved refused fails closed: an error.
        findings.push(Finding::new(
            if must_deny {
                Severity::Error
            } else {
                Severity::Warning
            },
            FindingCode::CannotProve,
            format!(
                "cannot prove {count} request(s), among them {first}: {construct}; check them by hand"
            ),
        ));
    }

    // Hardening findings once each, naming the first probe that showed them.
    let mut seen = Vec::new();
    findings.retain(|f| {
        if !ONCE.contains(&f.code()) {
            return true;
        }
        if seen.contains(&f.code()) {
            return false;
        }
        seen.push(f.code());
        true
    });
    findings.sort();
    findings.dedup();
    findings
}

/// The statements that decided, as `` `Sid` `` or `` `#index` ``.
fn by(decision: &Decision) -> String {
    let ids: Vec<String> = decision
        .deciding()
        .iter()
        .map(|id| format!("`{id}`"))
        .collect();
    ids.join(", ")
}

/// The finding for a probe that got `decision`, if it is not the expected verdict.
fn probe_finding(probe: &Probe, decision: &Decision, intent: &Intent) -> Option<Finding> {
    use ProbeClass as C;
    use Severity::{Error, Suggestion, Warning};
    use Verdict::{Allow, Deny, ImplicitDeny};

    let (expect, got) = (probe.expect(), decision.verdict());
    if expect == got {
        return None;
    }
    let name = probe.name();
    let allowed = || format!("{name} is allowed by {}", by(decision));
    let protections = intent.protections();
    let (severity, code, message) = match (probe.class(), expect, got) {
        (C::Delivery, _, Deny) => (
            Error,
            FindingCode::DenyBlocksDelivery,
            format!(
                "{name} is denied by {}: a deny blocks delivery; {INSUFFICIENT} and CloudTrail stops delivering",
                by(decision)
            ),
        ),
        (C::Delivery, _, _) => (
            Error,
            FindingCode::MissingDelivery,
            format!("no statement allows {name}: {INSUFFICIENT}"),
        ),
        (C::CrossFolder, _, Allow) => (
            Warning,
            FindingCode::CrossFolderWrite,
            format!(
                "{}: a delivering trail can write into a folder that is not its own",
                allowed()
            ),
        ),
        (C::DeliveryNearMiss, _, Allow) => (
            Warning,
            FindingCode::DeliveryTooWide,
            format!(
                "{}: cloudtrail's grant is wider than its deliveries need (`bucket-owner-full-control` and `AWSLogs/` are what it sends)",
                allowed()
            ),
        ),
        (C::ForeignTrail, _, Allow) => (
            Error,
            FindingCode::ConfusedDeputy,
            format!(
                "{}: cloudtrail can be made to write for a trail the intent does not name (confused deputy); bind the grant with `aws:SourceArn`",
                allowed()
            ),
        ),
        (C::SiblingTrail, _, Allow) => (
            Suggestion,
            FindingCode::UnlistedTrail,
            format!(
                "{}: any trail of the account can deliver, not only the named ones",
                allowed()
            ),
        ),
        (C::Anonymous, _, Allow) => (
            Error,
            FindingCode::PublicAccess,
            format!("{}: the logs are public", allowed()),
        ),
        (C::Outsider, _, Allow) => (
            Error,
            FindingCode::CrossAccountAccess,
            format!(
                "{}: a principal the intent does not name reaches the logs",
                allowed()
            ),
        ),
        (C::Transport, Deny, _) => (
            Warning,
            FindingCode::MissingTlsDeny,
            format!(
                "requests without tls are not denied ({name}): add a deny on `aws:SecureTransport` `false` (missing hardening)"
            ),
        ),
        // The owner's own principals, when the intent does not ask for the deny: the bucket
        // policy grants what the owner's IAM policies could grant anyway, so a warning.
        (C::Deletion | C::PolicyChange, ImplicitDeny, Allow) if owners_own(probe, intent) => (
            Warning,
            if probe.class() == C::Deletion {
                FindingCode::LogDeletionAllowed
            } else {
                FindingCode::PolicyChangeAllowed
            },
            format!(
                "{}: the bucket policy itself lets the owner tamper with the logs",
                allowed()
            ),
        ),
        (C::Deletion | C::PolicyChange, _, Allow) => (
            Error,
            if probe.class() == C::Deletion {
                FindingCode::LogDeletionAllowed
            } else {
                FindingCode::PolicyChangeAllowed
            },
            format!("{}: the logs can be tampered with", allowed()),
        ),
        (C::Deletion, Deny, _) => (
            Warning,
            FindingCode::MissingDeleteDeny,
            format!(
                "deleting log files is not denied ({name}): add a deny on `s3:DeleteObject` and `s3:DeleteObjectVersion` (missing hardening)"
            ),
        ),
        (C::Deletion, ImplicitDeny, Deny) if protections.deny_delete() => (
            Warning,
            FindingCode::BreakGlassDenied,
            format!(
                "probe `{name}` fails, denied by {}: the break-glass principal cannot delete logs",
                by(decision)
            ),
        ),
        (C::PolicyChange, Deny, _) => (
            Warning,
            FindingCode::MissingPolicyChangeDeny,
            format!(
                "bucket-policy changes are not denied ({name}): add a deny on `s3:PutBucketPolicy` and `s3:DeleteBucketPolicy` (missing hardening)"
            ),
        ),
        (C::PolicyChange, ImplicitDeny, Deny) if protections.policy_admins().is_some() => (
            Warning,
            FindingCode::AdminLockedOut,
            format!(
                "probe `{name}` fails, denied by {}: a policy administrator cannot change the policy",
                by(decision)
            ),
        ),
        (C::Read, _, Deny) => (
            Error,
            FindingCode::MissingRead,
            format!(
                "{name} is denied by {}: the reader cannot read the logs",
                by(decision)
            ),
        ),
        (C::Read, _, _) => (
            Error,
            FindingCode::MissingRead,
            format!("no statement allows {name}: the reader cannot read the logs"),
        ),
        (C::ReaderScope, _, Allow) => (
            Warning,
            FindingCode::ReaderTooWide,
            format!(
                "{}: the reader's grant reaches beyond reading the log folders",
                allowed()
            ),
        ),
        // Stricter than the intent asks (a cross-folder write denied, a request without TLS
        // denied although the intent allows it): not a problem.
        (
            C::CrossFolder
            | C::DeliveryNearMiss
            | C::ForeignTrail
            | C::SiblingTrail
            | C::Anonymous
            | C::Outsider
            | C::Transport
            | C::Deletion
            | C::PolicyChange
            | C::ReaderScope,
            _,
            _,
        ) => return None,
        (_, _, _) => (
            Warning,
            FindingCode::ProbeFailed,
            format!("{name}: expected {expect}, got {got}"),
        ),
    };
    Some(Finding::new(severity, code, message))
}

/// True when the probe's caller is a principal of the bucket owner's account.
fn owners_own(probe: &Probe, intent: &Intent) -> bool {
    match (probe.request().caller(), intent.bucket_owner()) {
        (Caller::Aws(arn), Some(owner)) => principal_account(arn) == Some(owner.as_str()),
        _ => false,
    }
}

/// The statement checks: a CloudTrail grant without a source condition, a public grant. Each
/// is reported only if a request built from the statement is allowed by it.
fn statement_findings(
    policy: &PolicyDocument,
    intent: &Intent,
    logs: &str,
    index: usize,
    statement: &Statement,
    unproved: &mut BTreeMap<String, (String, usize, bool)>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if statement.effect() != Effect::Allow {
        return findings;
    }
    let Some(Clause::Is(principal)) = statement.principal() else {
        return findings;
    };
    let (Some(action), Some(resource)) = (sample_action(statement), sample_resource(statement))
    else {
        return findings;
    };
    let id = statement
        .sid()
        .map_or_else(|| format!("#{index}"), str::to_owned);
    let (everyone, services, aws) = match principal {
        Principal::Any => (true, Vec::new(), Vec::new()),
        Principal::Typed(map) => (
            map.get(&PrincipalType::Aws)
                .is_some_and(|v| v.iter().any(|p| p == "*")),
            map.get(&PrincipalType::Service)
                .cloned()
                .unwrap_or_default(),
            map.get(&PrincipalType::Aws).cloned().unwrap_or_default(),
        ),
    };
    // Proves that `request` is granted by this very statement.
    let mut granted = |request: &Request, what: &str| match evaluate(policy, request) {
        Ok(d) => d.verdict() == Verdict::Allow && d.deciding().iter().any(|s| s.index == index),
        Err(unsupported) => {
            // These requests probe exposure: each must be refused.
            let entry = unproved
                .entry(unsupported.to_string())
                .or_insert_with(|| (what.to_owned(), 0, true));
            entry.1 += 1;
            entry.2 = true;
            false
        }
    };

    // S3 calls a policy public when it grants to `*` without a fixed principal or source
    // condition ("The meaning of public", S3 user guide; the same list is in
    // https://docs.aws.amazon.com/sdkfornet/v3/apidocs/items/S3/TPublicAccessBlockConfiguration.html).
    if everyone && statement.condition().is_empty() {
        let request = Request::new(Caller::Anonymous, action.clone(), resource.clone())
            .with_context("aws:SecureTransport", "true");
        let what = format!("an anonymous `{action}` on `{resource}`");
        if granted(&request, &what) {
            findings.push(Finding::new(
                Severity::Error,
                FindingCode::PublicAccess,
                format!(
                    "statement `{id}` allows anyone, anonymous callers included, `{action}` on `{resource}` without a condition: public access (S3 refuses such a policy when Block Public Access's BlockPublicPolicy is on)"
                ),
            ));
        }
    }

    // "add an aws:SourceArn or aws:SourceAccount condition key", on the CloudTrail bucket-policy
    // page and the cross-service confused-deputy page:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
    let service = intent.partition().cloudtrail_principal();
    let unbound = !statement.condition().values().flatten().any(|(key, _)| {
        key.eq_ignore_ascii_case("aws:SourceArn") || key.eq_ignore_ascii_case("aws:SourceAccount")
    });
    if unbound && services.iter().any(|s| s == service) {
        let outsider = outsiders(intent, 1).into_iter().next();
        let region = sample_region(intent.partition());
        let name = TrailName::new("probe-unlisted").ok();
        if let (Some(outsider), Some(region), Some(name)) = (outsider, region, name)
            && let Ok(trail) = TrailArn::new(intent.partition(), region, outsider.clone(), name)
        {
            let trail = trail.to_string();
            let request = Request::new(
                Caller::Service(service.to_owned()),
                action.clone(),
                resource.clone(),
            )
            .with_context("aws:SourceArn", trail.clone())
            .with_context("aws:SourceAccount", outsider.to_string())
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SecureTransport", "true");
            let what = format!("`{action}` on `{resource}` for trail `{trail}`");
            if granted(&request, &what) {
                findings.push(Finding::new(
                    Severity::Warning,
                    FindingCode::ConfusedDeputy,
                    format!(
                        "statement `{id}` grants `{service}` without an `aws:SourceArn` or `aws:SourceAccount` condition: `{action}` on `{resource}` for trail `{trail}` of unlisted account {outsider} is allowed (confused deputy)"
                    ),
                ));
            }
        }
    }

    // An AWS principal of another account than the bucket owner's, not named in the intent:
    // cross-account access (an Error when it reaches a log file, else a Warning).
    for named in &aws {
        let Some(account) = principal_account(named) else {
            continue;
        };
        if intent.bucket_owner().is_some_and(|o| o.as_str() == account)
            || intent_principals(intent).any(|p| p == named.as_str())
        {
            continue;
        }
        // A root or account principal names every principal of the account: probe with a role.
        let caller = match PrincipalArn::new(named) {
            Ok(p) if p.kind() != PrincipalKind::Root => p,
            _ => {
                let Ok(role) = AccountId::new(account).and_then(|a| {
                    PrincipalArn::role(intent.partition(), &a, "probe-cross-account")
                }) else {
                    continue;
                };
                role
            }
        };
        let caller = caller.to_string();
        let log_object = format!("{logs}probe/CloudTrail/probe.json.gz");
        let request = |resource: &str| {
            Request::new(Caller::Aws(caller.clone()), action.clone(), resource)
                .with_context("aws:PrincipalArn", caller.clone())
                .with_context("aws:PrincipalAccount", account)
                .with_context("s3:x-amz-acl", "bucket-owner-full-control")
                .with_context("aws:SecureTransport", "true")
        };
        let on_logs = format!("`{action}` on `{log_object}` by `{caller}`");
        let elsewhere = format!("`{action}` on `{resource}` by `{caller}`");
        let (severity, what) = if granted(&request(&log_object), &on_logs) {
            (Severity::Error, on_logs)
        } else if granted(&request(&resource), &elsewhere) {
            (Severity::Warning, elsewhere)
        } else {
            continue;
        };
        findings.push(Finding::new(
            severity,
            FindingCode::CrossAccountAccess,
            format!(
                "statement `{id}` grants `{named}` of account {account}, which the intent does not name: {what} is allowed (cross-account access)"
            ),
        ));
    }
    findings
}

/// The principals the intent names: readers, break-glass principals, policy administrators.
fn intent_principals(intent: &Intent) -> impl Iterator<Item = &str> {
    let protections = intent.protections();
    intent
        .readers()
        .iter()
        .chain(protections.delete_exempt())
        .chain(protections.policy_admins().into_iter().flatten())
        .map(|p| p.as_str())
}

/// The account of an `AWS` principal value: a bare 12-digit id, or the account field of an
/// `arn:<p>:iam::<account>:…` or `arn:<p>:sts::<account>:…` ARN; none for `*` and other forms.
fn principal_account(value: &str) -> Option<&str> {
    let account = if value.starts_with("arn:") {
        let [_, _, service, _, account, _] = arn::split(value)?;
        if service != "iam" && service != "sts" {
            return None;
        }
        account
    } else {
        value
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Actions a wildcard is most likely meant for, tried in order.
const SAMPLE_ACTIONS: [&str; 6] = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:GetBucketAcl",
    "s3:ListBucket",
    "s3:DeleteObject",
    "s3:PutBucketPolicy",
];

/// One concrete action the statement's `Action` (or `NotAction`) covers.
fn sample_action(statement: &Statement) -> Option<String> {
    match statement.action()? {
        Clause::Is(actions) => {
            let first = actions.first()?;
            if !first.contains(['*', '?']) {
                return Some(first.clone());
            }
            SAMPLE_ACTIONS
                .iter()
                .find(|a| wildcard_match(first, a, true))
                .map(|a| (*a).to_owned())
                .or_else(|| Some(first.replace('*', "Probe").replace('?', "X")))
        }
        Clause::Not(excluded) => SAMPLE_ACTIONS
            .iter()
            .find(|a| !excluded.iter().any(|e| wildcard_match(e, a, true)))
            .map(|a| (*a).to_owned()),
    }
}

/// One concrete resource the statement's `Resource` covers (wildcards filled in); none for
/// `NotResource` or a missing `Resource`.
fn sample_resource(statement: &Statement) -> Option<String> {
    match statement.resource()? {
        Clause::Is(resources) => resources
            .first()
            .map(|r| r.replace('*', "probe").replace('?', "x")),
        Clause::Not(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_account_reads_ids_and_iam_or_sts_arns_only() {
        assert_eq!(principal_account("111122223333"), Some("111122223333"));
        assert_eq!(
            principal_account("arn:aws:iam::111122223333:role/R"),
            Some("111122223333")
        );
        assert_eq!(
            principal_account("arn:aws-cn:sts::111122223333:assumed-role/R/s"),
            Some("111122223333")
        );
        assert_eq!(principal_account("*"), None);
        assert_eq!(principal_account("arn:aws:s3:::111122223333"), None);
        assert_eq!(principal_account("11112222333"), None);
        assert_eq!(principal_account("arn:aws:iam"), None);
    }

    fn st(json: &str) -> Statement {
        PolicyDocument::from_json(&format!(r#"{{"Statement":{json}}}"#))
            .unwrap()
            .into_statements()
            .remove(0)
    }

    #[test]
    fn sample_action_and_resource_fill_wildcards() {
        let s = st(
            r#"{"Effect":"Allow","Principal":"*","Action":["s3:Put*"],"Resource":"arn:aws:s3:::b/*/x?"}"#,
        );
        assert_eq!(sample_action(&s).as_deref(), Some("s3:PutObject"));
        assert_eq!(
            sample_resource(&s).as_deref(),
            Some("arn:aws:s3:::b/probe/xx")
        );
        let s = st(
            r#"{"Effect":"Allow","Principal":"*","NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b"}"#,
        );
        assert_eq!(sample_action(&s).as_deref(), Some("s3:PutObject"));
        assert_eq!(sample_resource(&s), None);
        let s = st(r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}"#);
        assert_eq!(sample_action(&s).as_deref(), Some("kms:Probe"));
    }
}
