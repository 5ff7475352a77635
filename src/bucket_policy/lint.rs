//! Linting an existing bucket policy against an intent: every finding says who can (or cannot)
//! do what on which resource, which statement decides it, and what follows; each is backed by a
//! request sent through the evaluator, never by the policy's text alone.
//!
//! Three sources of findings:
//!
//! 1. The probe matrix of [`BucketPolicy::probes`](super::BucketPolicy::probes): each probe that
//!    does not get its expected verdict becomes a finding chosen by the probe's [`ProbeClass`].
//! 2. Exposure: for every `Allow` statement, every kind of caller it names (anyone, any
//!    principal, a member of an organization, an account, a principal, a service) and every S3
//!    action on a bucket or an object that it covers, whether the whole policy lets that caller
//!    do it; what the intent does not ask for is reported, grouped by what it lets the caller do
//!    (read, write or destroy log files, replace the policy, change ACLs, list, read settings…).
//!    The bucket owner's own principals are not reported here (the owner's IAM policies could
//!    grant the same), nor CloudTrail (the probes cover it).
//! 3. A CloudTrail grant without `aws:SourceArn`/`aws:SourceAccount`, sent a request from a trail
//!    of an unlisted account.
//!
//! # Layout
//!
//! The probes use the intent's layout, or [`Layout::Documented`] when it has none: existing
//! policies are usually in AWS's documented shape
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>),
//! where any listed trail may write into any listed folder. A cross-folder write the layout
//! forbids is a warning (`cross-folder-write`), not an error: CloudTrail still delivers.
//!
//! # Size
//!
//! A policy over S3's 20 KB limit is an error (`bucket-policy-too-large`); one more than
//! [`LINT_CEILING`] times over it is not linted at all (`policy-too-large-to-lint`): S3 would
//! refuse it anyway, and its findings would cost time for nothing.
//!
//! # Finding codes
//!
//! Stable, kebab-case: `missing-delivery`, `deny-blocks-delivery`, `confused-deputy`,
//! `public-access`, `organization-access`, `cross-account-access`, `unnamed-account-access`,
//! `service-access`, `log-deletion-allowed`, `policy-change-allowed`, `missing-read`,
//! `cross-folder-write`, `delivery-too-wide`, `unlisted-trail`, `reader-too-wide`,
//! `principal-too-wide`, `missing-tls-deny`, `missing-delete-deny`,
//! `missing-policy-change-deny`, `break-glass-denied`, `admin-locked-out`, `cannot-prove`,
//! `probe-failed`, `bucket-policy-too-large`, `policy-too-large-to-lint`.

use std::collections::{BTreeMap, BTreeSet};

use crate::artifact::PolicyKind;
use crate::document::{Clause, Effect, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{
    ActionEffect, Caller, Decision, Grant, Request, S3, StandIns, Target, Verdict, Who, Witness,
    exposure, statement_applies, wildcard_match,
};
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::{TrailArn, arn};
use crate::intent::{Intent, Layout};
use crate::probe::{
    Probe, ProbeClass, Report, by, organizations, outsiders, sample_region, with_ambient_context,
};

use super::probes::{bucket_probes, with_encryption_headers};

/// The consequence CreateTrail reports when the bucket policy lacks a delivery: the CloudTrail
/// API model's error for "the policy on the S3 bucket is not sufficient"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
const INSUFFICIENT: &str = "CreateTrail fails with `InsufficientS3BucketPolicyException`";

/// A policy more than this many times over S3's size limit is refused without linting.
pub(crate) const LINT_CEILING: usize = 10;

/// Codes reported once however many probes show them: the message names the first probe.
const ONCE: [FindingCode; 3] = [
    FindingCode::MissingTlsDeny,
    FindingCode::MissingDeleteDeny,
    FindingCode::MissingPolicyChangeDeny,
];

/// A finding and the statements it names, so that a probe finding and an exposure finding
/// about the same statement can be told apart from two problems.
struct Entry {
    finding: Finding,
    statements: BTreeSet<usize>,
    /// A probe finding that an exposure finding on the same statements makes redundant.
    superseded_by_exposure: bool,
}

/// Requests the evaluator could not decide: construct → (first request, count, whether any
/// had to be refused).
type Unproved = BTreeMap<String, (String, usize, bool)>;

/// See [`BucketPolicy::lint`](super::BucketPolicy::lint).
pub(super) fn lint(policy: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut push = |finding: Finding| {
        entries.push(Entry {
            finding,
            statements: BTreeSet::new(),
            superseded_by_exposure: false,
        });
    };
    if intent.bucket().is_none() {
        push(Finding::new(
            Severity::Error,
            FindingCode::BucketPolicyNoBucket,
            "no bucket in the intent: name the bucket the policy is attached to",
        ));
        return finish(entries);
    }
    let size = policy.minified_len();
    let limit = PolicyKind::Bucket.size_limit();
    if size > limit {
        push(Finding::new(
            Severity::Error,
            FindingCode::BucketPolicyTooLarge,
            format!(
                "the bucket policy is {size} bytes minified, over S3's limit of {limit} bytes: PutBucketPolicy fails"
            ),
        ));
    }
    if size > LINT_CEILING * limit {
        push(Finding::new(
            Severity::Error,
            FindingCode::PolicyTooLargeToLint,
            format!(
                "the bucket policy is more than {LINT_CEILING} times over S3's limit ({size} bytes, {} statements): not linted; S3 refuses it whatever it says",
                policy.statements().len()
            ),
        ));
        return finish(entries);
    }

    let layout = intent.layout().unwrap_or(Layout::Documented);
    let report = Report::run(policy, bucket_probes(intent, layout));
    let mut unproved = Unproved::new();
    for result in report.results() {
        match result.outcome() {
            Ok(decision) => {
                if let Some(entry) = probe_finding(result.probe(), decision, intent) {
                    entries.push(entry);
                }
            }
            Err(unsupported) => {
                let entry = unproved
                    .entry(unsupported.to_string())
                    .or_insert_with(|| (result.probe().name().to_owned(), 0, false));
                entry.1 += 1;
                entry.2 |= result.probe().expect() != Verdict::Allow;
            }
        }
    }
    entries.extend(exposure_findings(policy, intent, &mut unproved));
    entries.extend(confused_deputy(policy, intent, &mut unproved));
    for (construct, (first, count, must_deny)) in unproved {
        // A request that must be refused but cannot be proved refused fails closed: an error.
        entries.push(Entry {
            finding: Finding::new(
                if must_deny {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                FindingCode::CannotProve,
                format!(
                    "cannot prove {count} request(s), among them {first}: {construct}; check them by hand"
                ),
            ),
            statements: BTreeSet::new(),
            superseded_by_exposure: false,
        });
    }
    finish(entries)
}

/// Drops probe findings an exposure finding already explains, keeps the hardening findings
/// once each, sorts and removes duplicates.
fn finish(entries: Vec<Entry>) -> Vec<Finding> {
    let exposed: Vec<(Severity, &BTreeSet<usize>)> = entries
        .iter()
        .filter(|e| !e.superseded_by_exposure && !e.statements.is_empty())
        .map(|e| (e.finding.severity(), &e.statements))
        .collect();
    let mut findings: Vec<Finding> = entries
        .iter()
        .filter(|e| {
            !e.superseded_by_exposure
                || !exposed.iter().any(|(severity, statements)| {
                    *severity <= e.finding.severity() && e.statements.is_subset(statements)
                })
        })
        .map(|e| e.finding.clone())
        .collect();
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

/// Who sends `request`, in words.
fn caller(request: &Request) -> String {
    match request.caller() {
        Caller::Anonymous => "an anonymous caller".into(),
        Caller::Service(name) => match request.context("aws:SourceArn") {
            Some(crate::eval::ContextValue::Single(source)) => {
                format!("`{name}` for `{source}`")
            }
            _ => format!("`{name}` without `aws:SourceArn`"),
        },
        Caller::Aws(arn) => format!("`{arn}`"),
    }
}

/// `` `s3:PutObject` on `arn:…` ``.
fn what(request: &Request) -> String {
    format!("`{}` on `{}`", request.action(), request.resource())
}

/// The finding for a probe that got `decision`, if it is not the expected verdict.
fn probe_finding(probe: &Probe, decision: &Decision, intent: &Intent) -> Option<Entry> {
    use ProbeClass as C;
    use Severity::{Error, Suggestion, Warning};
    use Verdict::{Allow, Deny, ImplicitDeny};

    let (expect, got) = (probe.expect(), decision.verdict());
    if expect == got {
        return None;
    }
    let name = probe.name();
    let request = probe.request();
    let who = caller(request);
    let what = what(request);
    let can = || format!("{name}: {who} can {what}, allowed by {}", by(decision));
    let cannot = || match got {
        Deny => format!("{name}: {who} cannot {what}, denied by {}", by(decision)),
        _ => format!("{name}: no statement allows {who} to call {what}"),
    };
    let acl_check = request.action().eq_ignore_ascii_case("s3:GetBucketAcl");
    let protections = intent.protections();
    let mut superseded = false;
    let (severity, code, message) = match (probe.class(), expect, got) {
        (C::Delivery, _, Deny) => (
            Error,
            FindingCode::DenyBlocksDelivery,
            format!(
                "{}: {INSUFFICIENT} and CloudTrail stops delivering{}",
                cannot(),
                digest_note(request, intent)
            ),
        ),
        (C::Delivery, _, _) => (
            Error,
            FindingCode::MissingDelivery,
            format!("{}: {INSUFFICIENT}", cannot()),
        ),
        (C::CrossFolder, _, Allow) => (
            Warning,
            FindingCode::CrossFolderWrite,
            format!(
                "{}: a delivering trail can write into a folder that is not its own",
                can()
            ),
        ),
        (C::DeliveryNearMiss, _, Allow) => (
            Warning,
            FindingCode::DeliveryTooWide,
            format!(
                "{}: cloudtrail's grant is wider than its deliveries need (`bucket-owner-full-control` and `AWSLogs/` are what it sends)",
                can()
            ),
        ),
        (C::ForeignTrail, _, Allow) if acl_check => (
            Warning,
            FindingCode::ConfusedDeputy,
            format!(
                "{}: cloudtrail can be made to read the bucket's ACL (its owner and grants, no log content) for a trail the intent does not name; bind the ACL check with `aws:SourceArn` too",
                can()
            ),
        ),
        (C::ForeignTrail, _, Allow) => (
            Error,
            FindingCode::ConfusedDeputy,
            format!(
                "{}: cloudtrail can be made to write log files for a trail the intent does not name (confused deputy); bind the grant with `aws:SourceArn`",
                can()
            ),
        ),
        (C::SiblingTrail, _, Allow) => (
            Suggestion,
            FindingCode::UnlistedTrail,
            format!(
                "{}: any trail of the account can deliver, not only the named ones",
                can()
            ),
        ),
        (C::Anonymous, _, Allow) => {
            superseded = true;
            (
                Error,
                FindingCode::PublicAccess,
                format!("{}: the logs are public", can()),
            )
        }
        (C::Outsider, _, Allow) => {
            superseded = true;
            match request.caller() {
                Caller::Service(_) if acl_check => (
                    Suggestion,
                    FindingCode::ServiceAccess,
                    format!(
                        "{}: another AWS service can read the bucket's ACL (its owner and grants), no log content",
                        can()
                    ),
                ),
                Caller::Service(_) => (
                    Warning,
                    FindingCode::ServiceAccess,
                    format!(
                        "{}: another AWS service can write into CloudTrail's log folder",
                        can()
                    ),
                ),
                _ if request.action().eq_ignore_ascii_case("s3:ListBucket") => (
                    Warning,
                    FindingCode::CrossAccountAccess,
                    format!(
                        "{}: a principal the intent does not name can list the log files",
                        can()
                    ),
                ),
                _ => (
                    Error,
                    FindingCode::CrossAccountAccess,
                    format!(
                        "{}: a principal the intent does not name reaches the log files",
                        can()
                    ),
                ),
            }
        }
        (C::Transport, Deny, _) => (
            Warning,
            FindingCode::MissingTlsDeny,
            format!(
                "requests without tls are not denied ({name}: {who} can {what}): add a deny on `aws:SecureTransport` `false` (missing hardening)"
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
                can()
            ),
        ),
        (C::Deletion | C::PolicyChange, _, Allow) => (
            Error,
            if probe.class() == C::Deletion {
                FindingCode::LogDeletionAllowed
            } else {
                FindingCode::PolicyChangeAllowed
            },
            format!("{}: the logs can be tampered with", can()),
        ),
        (C::Deletion, Deny, _) => (
            Warning,
            FindingCode::MissingDeleteDeny,
            format!(
                "deleting log files is not denied ({name}: {who} is not refused {what}): add a deny on `s3:DeleteObject`, `s3:DeleteObjectVersion` and, on the bucket, `s3:PutLifecycleConfiguration` (missing hardening)"
            ),
        ),
        (C::Deletion, ImplicitDeny, Deny) if protections.deny_delete() => (
            Warning,
            FindingCode::BreakGlassDenied,
            format!("{}: the break-glass principal cannot delete logs", cannot()),
        ),
        (C::PolicyChange, Deny, _) => (
            Warning,
            FindingCode::MissingPolicyChangeDeny,
            format!(
                "bucket-policy changes are not denied ({name}: {who} is not refused {what}): add a deny on `s3:PutBucketPolicy` and `s3:DeleteBucketPolicy` (missing hardening)"
            ),
        ),
        (C::PolicyChange, ImplicitDeny, Deny) if protections.policy_admins().is_some() => (
            Warning,
            FindingCode::AdminLockedOut,
            format!(
                "{}: a policy administrator cannot change the policy",
                cannot()
            ),
        ),
        (C::Read, _, _) => (
            Error,
            FindingCode::MissingRead,
            format!("{}: the reader cannot read the logs", cannot()),
        ),
        (C::ReaderScope, _, Allow) => (
            Warning,
            FindingCode::ReaderTooWide,
            format!(
                "{}: the reader's grant reaches beyond reading the log folders",
                can()
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
            format!("{name}: {who} {what}: expected {expect}, got {got}"),
        ),
    };
    Some(Entry {
        finding: Finding::new(severity, code, message),
        statements: decision.deciding().iter().map(|s| s.index).collect(),
        superseded_by_exposure: superseded,
    })
}

/// For a digest file denied while the trail uses a KMS key: AWS's documented cause and fix.
fn digest_note(request: &Request, intent: &Intent) -> &'static str {
    if intent.key().is_some() && request.resource().contains("/CloudTrail-Digest/") {
        "; CloudTrail writes digest files with SSE-S3 (`AES256`, no KMS key) even when the trail uses a KMS key, so a deny that requires SSE-KMS or a KMS key stops trails with log file validation: AWS documents allowing `AES256` beside `aws:kms` (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html)"
    } else {
        ""
    }
}

/// True when the probe's caller is a principal of the bucket owner's account.
fn owners_own(probe: &Probe, intent: &Intent) -> bool {
    match (probe.request().caller(), intent.bucket_owner()) {
        (Caller::Aws(arn), Some(owner)) => arn::account_field(arn) == Some(owner.as_str()),
        _ => false,
    }
}

/// Where an exposed action acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Bucket,
    /// A CloudTrail log file.
    Logs,
    /// An object outside the log folders.
    Elsewhere,
}

/// Whom a witness stands for, from the intent's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Anyone, or any principal of any account.
    Public,
    /// Any principal of an organization.
    Organization,
    /// A principal or account other than the bucket owner's.
    OtherAccount,
    /// A principal or account, the bucket owner unknown.
    UnknownOwner,
    /// Another AWS service.
    Service,
    /// A reader the intent names.
    Reader,
    /// A break-glass principal or policy administrator the intent names.
    Named,
}

/// The exposure pass (see the module documentation).
fn exposure_findings(
    policy: &PolicyDocument,
    intent: &Intent,
    unproved: &mut Unproved,
) -> Vec<Entry> {
    let p = intent.partition();
    let (Some(bucket), Some(region)) = (intent.bucket(), sample_region(p)) else {
        return Vec::new();
    };
    let strangers = outsiders(intent, 3);
    let Some(outsider) = strangers.get(2) else {
        return Vec::new();
    };
    let bucket_arn = bucket.arn(p);
    let logs = bucket.logs_arn(p, intent.prefix());
    let account = intent
        .delivering_accounts()
        .into_iter()
        .next()
        .map_or_else(|| outsider.to_string(), |a| a.to_string());
    let log_object = format!(
        "{logs}{account}/CloudTrail/{region}/2026/11/26/{account}_CloudTrail_{region}_20261126T0000Z_exposure.json.gz"
    );
    let organizations = organizations(policy, intent);
    let stand_ins = StandIns {
        partition: p.as_str(),
        outsider: outsider.as_str(),
        anonymous: true,
        organizations: &organizations,
    };
    let owner = intent.bucket_owner().map(|o| o.as_str().to_owned());
    let cloudtrail = p.cloudtrail_principal();
    let keep = |w: &Witness| match &w.who {
        Who::Service(name) => name != cloudtrail,
        _ => owner.is_none() || w.account() != owner.as_deref(),
    };
    let object_prefix = format!("{bucket_arn}/");
    let resources = |index: usize| {
        let mut out = vec![
            (Target::Bucket, bucket_arn.clone()),
            (Target::Object, log_object.clone()),
        ];
        if let Some(Clause::Is(patterns)) =
            policy.statements().get(index).and_then(Statement::resource)
        {
            for pattern in patterns {
                let sample = pattern.replace('*', "probe").replace('?', "x");
                if sample.starts_with(&object_prefix) && !out.iter().any(|(_, r)| *r == sample) {
                    out.push((Target::Object, sample));
                }
            }
        }
        out
    };
    let prepare = |r: Request| with_ambient_context(r);
    let (grants, undecided) = exposure(policy, S3, &resources, &stand_ins, &keep, &prepare);
    for u in undecided {
        let entry = unproved
            .entry(u.why.to_string())
            .or_insert_with(|| (describe_request(&u.request), 0, true));
        entry.1 += 1;
        entry.2 = true;
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for grant in grants {
        candidates.extend(classify(&grant, intent, &logs));
    }
    reduce(candidates)
        .into_iter()
        .map(|c| c.entry(policy))
        .collect()
}

/// A request in words, for `cannot-prove`.
fn describe_request(request: &Request) -> String {
    format!("{} {}", caller(request), what(request))
}

/// One exposure finding before grouping: a statement lets a witness take these actions of one
/// effect at one place.
#[derive(Clone)]
struct Candidate {
    statement: usize,
    witness: Witness,
    kind: Kind,
    effect: ActionEffect,
    place: Place,
    resource: String,
    actions: Vec<&'static str>,
}

/// Splits a grant by effect, drops what the intent asks for, and classifies the rest.
fn classify(grant: &Grant, intent: &Intent, logs: &str) -> Vec<Candidate> {
    // A CloudTrail log or digest file: `AWSLogs/<account or o-id/account>/CloudTrail…/`.
    let cloudtrail_file = grant.resource.strip_prefix(logs).is_some_and(|rest| {
        rest.split('/')
            .take(3)
            .any(|part| part == "CloudTrail" || part == "CloudTrail-Digest")
    });
    let place = match grant.target {
        Target::Object if cloudtrail_file => Place::Logs,
        Target::Object => Place::Elsewhere,
        Target::Bucket | Target::Key => Place::Bucket,
    };
    let w = &grant.witness;
    let protections = intent.protections();
    let is = |p: &crate::id::PrincipalArn| w.names(p.as_str());
    let reader = intent.readers().iter().any(is);
    let break_glass = protections.delete_exempt().iter().any(is);
    let admin = protections.policy_admins().into_iter().flatten().any(is);
    let kind = match &w.who {
        Who::Anyone => Kind::Public,
        Who::AnyPrincipal if w.organization.is_some() => Kind::Organization,
        Who::AnyPrincipal => Kind::Public,
        Who::Service(_) => Kind::Service,
        Who::Account(_) | Who::Principal(_) if reader => Kind::Reader,
        Who::Account(_) | Who::Principal(_) if break_glass || admin => Kind::Named,
        Who::Account(_) | Who::Principal(_) if intent.bucket_owner().is_some() => {
            Kind::OtherAccount
        }
        Who::Account(_) | Who::Principal(_) => Kind::UnknownOwner,
    };
    let intended = |action: &str, effect: ActionEffect| match effect {
        // Readers read everything under `AWSLogs/` and list the bucket.
        ActionEffect::ReadObjects | ActionEffect::ListObjects => {
            reader && (place == Place::Bucket || grant.resource.starts_with(logs))
        }
        ActionEffect::DestroyObjects => {
            break_glass
                && place == Place::Logs
                && (action == "s3:DeleteObject" || action == "s3:DeleteObjectVersion")
        }
        ActionEffect::ChangePolicy => admin,
        _ => false,
    };
    let mut by_effect: BTreeMap<ActionEffect, Vec<&'static str>> = BTreeMap::new();
    for action in &grant.actions {
        if !intended(action.name, action.effect) {
            by_effect
                .entry(action.effect)
                .or_default()
                .push(action.name);
        }
    }
    by_effect
        .into_iter()
        .map(|(effect, actions)| Candidate {
            statement: grant.statement,
            witness: w.clone(),
            kind,
            effect,
            place,
            resource: grant.resource.clone(),
            actions,
        })
        .collect()
}

/// Keeps the widest caller for each statement, effect and place: a public grant makes the
/// same statement's grant to an organization or an account redundant, and an account's grant
/// makes its organization variant redundant.
fn reduce(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        (
            a.statement,
            a.effect,
            a.place,
            a.kind,
            a.witness.organization.is_some(),
        )
            .cmp(&(
                b.statement,
                b.effect,
                b.place,
                b.kind,
                b.witness.organization.is_some(),
            ))
    });
    // Kept so far, by statement, effect and place: few per group, so the scan is short.
    let mut groups: BTreeMap<(usize, ActionEffect, Place), Vec<Candidate>> = BTreeMap::new();
    for c in candidates {
        let group = groups.entry((c.statement, c.effect, c.place)).or_default();
        let covered = group.iter().any(|o| {
            o.kind == Kind::Public
                || (o.witness.who == c.witness.who && o.witness.organization.is_none())
        });
        if !covered {
            group.push(c);
        }
    }
    // Objects outside the log folders matter only where the same statement does not already
    // reach the log files the same way, and only for content and access control.
    let mut out = Vec::new();
    for ((statement, effect, place), group) in &groups {
        for c in group {
            if *place == Place::Elsewhere {
                let reaches_logs = groups
                    .get(&(*statement, *effect, Place::Logs))
                    .is_some_and(|logs| logs.iter().any(|o| o.witness == c.witness));
                if reaches_logs || c.severity() == Severity::Suggestion {
                    continue;
                }
            }
            out.push(c.clone());
        }
    }
    out
}

impl Candidate {
    fn severity(&self) -> Severity {
        use ActionEffect as E;
        use Severity::{Error, Suggestion, Warning};
        let base = match (self.effect, self.place) {
            (E::ReadBucketSettings, _) => Suggestion,
            (
                E::ReadObjects | E::WriteObjects | E::DestroyObjects | E::ChangeAccessControl,
                Place::Logs,
            )
            | (E::DestroyObjects | E::ChangePolicy | E::ChangeAccessControl, Place::Bucket) => {
                Error
            }
            (
                E::ReadObjects | E::WriteObjects | E::DestroyObjects | E::ChangeAccessControl,
                Place::Elsewhere,
            ) => Warning,
            (_, Place::Elsewhere) => Suggestion,
            _ => Warning,
        };
        match (self.kind, self.effect, base) {
            (Kind::Service, E::WriteObjects, Error) => Warning,
            (Kind::Service, E::WriteObjects | E::ListObjects, _) => Suggestion,
            (Kind::Public, _, Suggestion) => Warning,
            _ => base,
        }
    }

    fn code(&self) -> FindingCode {
        match self.kind {
            Kind::Public => FindingCode::PublicAccess,
            Kind::Organization => FindingCode::OrganizationAccess,
            Kind::OtherAccount => FindingCode::CrossAccountAccess,
            Kind::UnknownOwner => FindingCode::UnnamedAccountAccess,
            Kind::Service => FindingCode::ServiceAccess,
            Kind::Reader => FindingCode::ReaderTooWide,
            Kind::Named => FindingCode::PrincipalTooWide,
        }
    }

    /// Who, in words.
    fn who(&self) -> String {
        let w = &self.witness;
        let org = |o: &str| {
            // The witness fills a condition's wildcards with `probe`, which no organization id
            // (`o-` and 10 to 32 random characters) is likely to hold.
            if o.starts_with("o-") && !o.contains("probe") {
                format!("organization `{o}`")
            } else {
                "any organization the statement's condition matches".to_owned()
            }
        };
        let mut who = match &w.who {
            Who::Anyone => "anyone (anonymous callers included)".to_owned(),
            Who::AnyPrincipal => match &w.organization {
                Some(o) => format!(
                    "any principal of {} (in accounts the intent does not name)",
                    org(o)
                ),
                None => "any AWS principal of any account".to_owned(),
            },
            Who::Account(a) => format!("any principal of account {a}"),
            Who::Principal(arn) => format!("`{arn}`"),
            Who::Service(name) => match w.source_account.as_deref() {
                Some(a) => format!("the AWS service `{name}` (acting for account {a})"),
                None => format!(
                    "the AWS service `{name}` (acting for any account: no `aws:SourceAccount` or `aws:SourceArn` binds it)"
                ),
            },
        };
        if let (Who::Account(_) | Who::Principal(_), Some(o)) = (&w.who, &w.organization) {
            who.push_str(&format!(" as a member of {}", org(o)));
        }
        if let Some(o) = &w.resource_organization {
            who.push_str(&format!(
                " (while the bucket's owner is in organization `{o}`: `aws:ResourceOrgID` tests the bucket's organization, not the caller's)"
            ));
        }
        who
    }

    fn phrase(&self) -> &'static str {
        use ActionEffect as E;
        match (self.effect, self.place) {
            (E::ReadObjects, Place::Elsewhere) => "read objects that are not CloudTrail's files",
            (E::ReadObjects, _) => "read log files",
            (E::WriteObjects, Place::Elsewhere) => "write objects that are not CloudTrail's files",
            (E::WriteObjects, _) => "write log files",
            (E::DestroyObjects, Place::Elsewhere) => {
                "delete objects that are not CloudTrail's files"
            }
            (E::DestroyObjects, Place::Logs) => "delete log files or lift their retention",
            (E::DestroyObjects, Place::Bucket) => {
                "make log files expire or deletable (lifecycle rules, versioning, Object Lock) or delete the bucket"
            }
            (E::ChangePolicy, _) => "replace or delete the bucket policy",
            (E::ChangeAccessControl, Place::Bucket) => {
                "change the bucket's ACL, Object Ownership or Block Public Access"
            }
            (E::ChangeAccessControl, Place::Elsewhere) => {
                "change the ACLs of objects that are not CloudTrail's files"
            }
            (E::ChangeAccessControl, _) => "change the ACLs of log files",
            (E::ListObjects, _) => "list the log files",
            (E::ReadObjectMetadata, _) => {
                "read the ACLs, tags, retention and attributes of log files"
            }
            (E::ChangeObjectMetadata, _) => {
                "change the tags of log files, restore or replicate them, or abort uploads"
            }
            (E::ChangeBucketSettings, _) => {
                "change the bucket's settings (replication, logging, notifications, encryption…)"
            }
            (E::ReadBucketSettings, _) => "read the bucket's settings (its ACL, policy, location…)",
            _ => "act on the bucket",
        }
    }

    fn consequence(&self) -> &'static str {
        use ActionEffect as E;
        match (self.effect, self.place, self.kind) {
            (_, Place::Elsewhere, _) => "outside CloudTrail's log and digest folders",
            (E::ReadObjects, _, Kind::Public) => "the logs are public",
            (E::ReadObjects, _, _) => "the logs can be read by someone the intent does not name",
            (E::WriteObjects, _, Kind::Service) => {
                "the service writes its own files, but nothing keeps them out of CloudTrail's folders"
            }
            (E::WriteObjects, _, _) => "log files can be forged or overwritten",
            (E::DestroyObjects, _, _) => "the logs can be destroyed",
            (E::ChangePolicy, _, _) => {
                "whoever can replace the policy can grant themselves anything"
            }
            (E::ChangeAccessControl, _, _) => {
                "ACLs and ownership settings can grant access this policy does not show"
            }
            (E::ListObjects, _, _) => {
                "no log content, but it shows which accounts, regions and days have logs"
            }
            (E::ChangeBucketSettings, _, _) => {
                "settings such as replication and notifications can copy or announce the logs elsewhere"
            }
            (E::ReadBucketSettings, _, _) => {
                "no log content: the bucket's ACL holds only its owner and grants"
            }
            _ => "no log content",
        }
    }

    fn entry(&self, policy: &PolicyDocument) -> Entry {
        let statement = policy.statements().get(self.statement);
        let id = statement
            .and_then(Statement::sid)
            .map_or_else(|| format!("#{}", self.statement), str::to_owned);
        let shown: Vec<String> = self
            .actions
            .iter()
            .take(4)
            .map(|a| format!("`{a}`"))
            .collect();
        let more = match self.actions.len().saturating_sub(4) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let mut message = format!(
            "statement `{id}` lets {} {} ({}{more}, on `{}`): {}",
            self.who(),
            self.phrase(),
            shown.join(", "),
            self.resource,
            self.consequence()
        );
        if self.kind == Kind::UnknownOwner
            && let Some(account) = self.witness.account()
        {
            message.push_str(&format!(
                "; the intent names no bucket owner: if account {account} owns the bucket, name it as the owner"
            ));
        }
        let unconditional = statement.is_some_and(|s| s.condition().is_empty());
        if self.witness.who == Who::Anyone && unconditional {
            message.push_str(
                " (S3 refuses such a policy while Block Public Access's BlockPublicPolicy is on)",
            );
        }
        Entry {
            finding: Finding::new(self.severity(), self.code(), message),
            statements: std::iter::once(self.statement).collect(),
            superseded_by_exposure: false,
        }
    }
}

/// A CloudTrail grant without `aws:SourceArn` or `aws:SourceAccount` ("add an aws:SourceArn or
/// aws:SourceAccount condition key", on the CloudTrail bucket-policy page and the cross-service
/// confused-deputy page:
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html>),
/// reported only if a request for a trail of an unlisted account is really allowed by it.
fn confused_deputy(
    policy: &PolicyDocument,
    intent: &Intent,
    unproved: &mut Unproved,
) -> Vec<Entry> {
    let mut out = Vec::new();
    let service = intent.partition().cloudtrail_principal();
    let denies: Vec<usize> = policy
        .statements()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect() == Effect::Deny)
        .map(|(i, _)| i)
        .collect();
    let outsider = outsiders(intent, 1).into_iter().next();
    let region = sample_region(intent.partition());
    let (Some(outsider), Some(region)) = (outsider, region) else {
        return out;
    };
    let trail = TrailArn::made_up(&region, &outsider, "probe-unlisted").to_string();
    for (index, statement) in policy.statements().iter().enumerate() {
        if statement.effect() != Effect::Allow {
            continue;
        }
        let names_cloudtrail = match statement.principal() {
            Some(Clause::Is(Principal::Typed(map))) => map
                .get(&PrincipalType::Service)
                .is_some_and(|v| v.iter().any(|s| s == service)),
            _ => false,
        };
        let unbound = !statement.condition().values().flatten().any(|(key, _)| {
            key.eq_ignore_ascii_case("aws:SourceArn")
                || key.eq_ignore_ascii_case("aws:SourceAccount")
        });
        if !names_cloudtrail || !unbound {
            continue;
        }
        let (Some(action), Some(resource)) = (sample_action(statement), sample_resource(statement))
        else {
            continue;
        };
        let request = with_ambient_context(with_encryption_headers(
            Request::new(
                Caller::Service(service.to_owned()),
                action.clone(),
                resource.clone(),
            )
            .with_context("aws:SourceArn", trail.clone())
            .with_context("aws:SourceAccount", outsider.to_string())
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SecureTransport", "true"),
            intent,
        ));
        let allowed = statement_applies(policy, index, &request).and_then(|applies| {
            if !applies {
                return Ok(false);
            }
            for &d in &denies {
                if statement_applies(policy, d, &request)? {
                    return Ok(false);
                }
            }
            Ok(true)
        });
        let id = statement
            .sid()
            .map_or_else(|| format!("#{index}"), str::to_owned);
        match allowed {
            Ok(true) => out.push(Entry {
                finding: Finding::new(
                    Severity::Warning,
                    FindingCode::ConfusedDeputy,
                    format!(
                        "statement `{id}` grants `{service}` without an `aws:SourceArn` or `aws:SourceAccount` condition: `{service}` for trail `{trail}` of unlisted account {outsider} can `{action}` on `{resource}` (confused deputy)"
                    ),
                ),
                statements: std::iter::once(index).collect(),
                superseded_by_exposure: false,
            }),
            Ok(false) => {}
            Err(e) => {
                let entry = unproved.entry(e.to_string()).or_insert_with(|| {
                    (
                        format!("`{action}` on `{resource}` for trail `{trail}`"),
                        0,
                        true,
                    )
                });
                entry.1 += 1;
                entry.2 = true;
            }
        }
    }
    out
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
