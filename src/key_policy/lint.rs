//! Linting an existing key policy against an intent. (Merging is [`crate::merge()`], shared
//! with the bucket policy.)
//!
//! Two sources of findings: requests built from the intent (CloudTrail's encrypt, describe and
//! decrypt for each delivering trail, the readers' decrypt, administration by the key account or
//! the named administrators), and exposure: for every `Allow` statement, every kind of caller it
//! names and every KMS action on a key that it covers, whether the whole policy lets that caller
//! do it. The key account's own principals are delegated to IAM and not reported; CloudTrail is
//! covered by the requests above.

use std::collections::BTreeMap;

use crate::artifact::PolicyKind;
use crate::document::{Clause, PolicyDocument, Principal, PrincipalType, Statement};
use crate::eval::{
    ActionEffect, Caller, Decision, KMS, Request, StandIns, Target, Verdict, Who, Witness,
    evaluate, exposure,
};
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::{AccountId, KmsKeyRef, PrincipalArn, TrailArn, arn};
use crate::intent::{Intent, PolicyKey};
use crate::probe::{TrailSources, by, organizations, outsiders, with_ambient_context};

use super::statements::{CLOUDTRAIL_CONTEXT_KEY, S3_CONTEXT_KEY};

/// A key policy more than this many times over KMS's size limit is refused without linting.
const LINT_CEILING: usize = 10;

/// A statement whose only principal is the key's own account (`arn:<p>:iam::<account>:root` or
/// the bare account id): it delegates to the account's IAM policies rather than granting a
/// named principal (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>).
fn is_key_account_delegation(statement: &Statement, key: &PolicyKey) -> bool {
    let root = PrincipalArn::root(key.partition(), key.account().clone()).to_string();
    match statement.principal() {
        Some(Clause::Is(Principal::Typed(map))) => {
            map.len() == 1
                && map.get(&PrincipalType::Aws).is_some_and(|values| {
                    values
                        .iter()
                        .all(|v| *v == root || v == key.account().as_str())
                })
        }
        _ => false,
    }
}

/// Why a request that must be allowed is not: the deny, or the missing allow.
fn refusal(decision: &Decision) -> String {
    match decision.verdict() {
        Verdict::Deny => format!("denied by {}", by(decision)),
        _ => "no statement allows it".to_owned(),
    }
}

/// See [`KeyPolicy::lint`](super::KeyPolicy::lint).
pub(super) fn lint(existing: &PolicyDocument, intent: &Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(key) = intent.key() else {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyNoKey,
            "no kms key in the intent: name the key the policy is attached to",
        ));
        return findings;
    };
    let size = existing.minified_len();
    let limit = PolicyKind::Key.size_limit();
    if size > limit {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyTooLarge,
            format!(
                "key policy is {size} bytes minified, over KMS's limit of {limit} bytes: PutKeyPolicy fails"
            ),
        ));
    }
    if size > LINT_CEILING * limit {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::PolicyTooLargeToLint,
            format!(
                "the key policy is more than {LINT_CEILING} times over KMS's limit ({size} bytes, {} statements): not linted; KMS refuses it whatever it says",
                existing.statements().len()
            ),
        ));
        return findings;
    }
    let p = intent.partition();
    let key_arn = key.as_str().to_owned();
    let region = intent.bucket_region().unwrap_or_else(|| key.region());
    let cloudtrail = p.cloudtrail_principal();
    let service = || Caller::Service(cloudtrail.to_string());
    // KMS sets `kms:CallerAccount` on every request of an IAM principal.
    let req = |caller: Caller, action: &str| {
        let account = match &caller {
            Caller::Aws(a) => crate::id::arn::account_field(a).map(str::to_owned),
            Caller::Anonymous | Caller::Service(_) => None,
        };
        let r = Request::new(caller, action, key_arn.clone());
        match account {
            Some(a) => r.with_context("kms:CallerAccount", a),
            None => r,
        }
    };
    let mut unsupported = Vec::new();
    let mut decide = |doc: &PolicyDocument, request: Request| match evaluate(
        doc,
        &with_ambient_context(request),
    ) {
        Ok(d) => Some(d),
        Err(e) => {
            let message = e.to_string();
            if !unsupported.contains(&message) {
                unsupported.push(message);
            }
            None
        }
    };
    let allowed = |d: &Option<Decision>| d.as_ref().is_some_and(|d| d.verdict() == Verdict::Allow);

    // Each delivering trail as the messages name it, and a concrete trail to probe with: for an
    // account whose trails are unknown, a made-up trail of it in the bucket's region.
    let some_trail =
        |account: &AccountId| TrailArn::made_up(region, account, "any-trail").to_string();
    let mut trails: Vec<(String, String)> = intent
        .known_trails()
        .iter()
        .map(|t| (t.to_string(), t.to_string()))
        .collect();
    for account in intent.accounts() {
        trails.push((TrailArn::any_in(p, region, account), some_trail(account)));
    }
    // What CloudTrail sends with a request for `trail`, as the probes do, so that a statement
    // bound by `aws:SourceAccount` or `aws:SourceOrgID` is read as AWS reads it.
    let sources = TrailSources::new(intent);
    let from_trail = |request: Request, trail: &str| sources.for_trail(request, trail);
    let insufficient = "CreateTrail and UpdateTrail fail with InsufficientEncryptionPolicyException and CloudTrail cannot deliver logs";
    let mut missing_source_arn = false;
    for (trail, concrete) in &trails {
        let mut must = |code: FindingCode, action: &str, request: Request, why: &str| {
            if let Some(d) = decide(existing, request)
                && d.verdict() != Verdict::Allow
            {
                findings.push(Finding::new(
                    Severity::Error,
                    code,
                    format!(
                        "`{cloudtrail}` cannot call `{action}` on `{key_arn}` for trail `{trail}`{why}, {}: {insufficient}",
                        refusal(&d)
                    ),
                ));
            }
        };
        must(
            FindingCode::KeyPolicyCloudtrailEncrypt,
            "kms:GenerateDataKey",
            from_trail(req(service(), "kms:GenerateDataKey"), concrete)
                .with_context(CLOUDTRAIL_CONTEXT_KEY, concrete.clone()),
            "",
        );
        must(
            FindingCode::KeyPolicyCloudtrailDescribe,
            "kms:DescribeKey",
            from_trail(req(service(), "kms:DescribeKey"), concrete),
            "",
        );
        if intent.bucket_key() {
            must(
                FindingCode::KeyPolicyCloudtrailDecrypt,
                "kms:Decrypt",
                from_trail(req(service(), "kms:Decrypt"), concrete),
                " (a bucket with an S3 Bucket Key needs it)",
            );
        }
        let unbound = req(service(), "kms:GenerateDataKey")
            .with_context(CLOUDTRAIL_CONTEXT_KEY, concrete.clone());
        if !missing_source_arn
            && let Some(d) = decide(existing, unbound)
            && d.verdict() == Verdict::Allow
        {
            missing_source_arn = true;
            findings.push(Finding::new(
                Severity::Warning,
                FindingCode::KeyPolicyMissingSourceArn,
                format!(
                    "`{cloudtrail}` can call `kms:GenerateDataKey` on `{key_arn}` without an `aws:SourceArn`, allowed by {}: any trail whose encryption context matches, in any account, can make CloudTrail encrypt with the key; bind the statement to the trail arns",
                    by(&d)
                ),
            ));
        }
    }
    // An account the intent does not name.
    let Some(stranger_account) = outsiders(intent, 1).into_iter().next() else {
        return findings;
    };
    let stranger = some_trail(&stranger_account);
    let foreign = from_trail(req(service(), "kms:GenerateDataKey"), &stranger)
        .with_context(CLOUDTRAIL_CONTEXT_KEY, stranger.clone());
    if let Some(d) = decide(existing, foreign)
        && d.verdict() == Verdict::Allow
    {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::KeyPolicyForeignTrail,
            format!(
                "`{cloudtrail}` can call `kms:GenerateDataKey` on `{key_arn}` for trail `{stranger}` of an account the intent does not name, allowed by {}: list the delivering accounts in the encryption context and their trails in aws:SourceArn",
                by(&d)
            ),
        ));
    }

    // Readers. The key account's own delegation statements are left out for this check: they
    // hand the decision to IAM policies instead of granting the reader.
    let without_delegation = existing.with_statements(
        existing
            .statements()
            .iter()
            .filter(|s| !is_key_account_delegation(s, key))
            .cloned()
            .collect(),
    );
    let log_context = trails.first().map(|(_, concrete)| concrete.clone());
    for reader in intent.readers() {
        let caller = || Caller::Aws(reader.to_string());
        if let Some(context) = &log_context {
            // What a log file's context holds: the trail and, documented, the object's ARN
            // (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html>).
            let mut read =
                req(caller(), "kms:Decrypt").with_context(CLOUDTRAIL_CONTEXT_KEY, context);
            if let Some(bucket) = intent.bucket() {
                let account = arn::account_field(context).unwrap_or_default();
                read = read.with_context(
                    S3_CONTEXT_KEY,
                    format!(
                        "{}{account}/CloudTrail/{region}/2026/11/26/{account}_CloudTrail_{region}_20261126T0000Z_lint.json.gz",
                        bucket.logs_arn(p, intent.prefix())
                    ),
                );
            }
            if let Some(d) = decide(existing, read)
                && d.verdict() != Verdict::Allow
            {
                findings.push(Finding::new(
                    Severity::Warning,
                    FindingCode::KeyPolicyReaderCannotDecrypt,
                    format!(
                        "reader `{reader}` cannot call `kms:Decrypt` on `{key_arn}` for cloudtrail logs, {}: reading them fails with an access-denied error from kms",
                        refusal(&d)
                    ),
                ));
            }
        }
        if intent.bucket_key()
            && let Some(bucket) = intent.bucket()
        {
            // With an S3 Bucket Key the context is the bucket's ARN; whether CloudTrail's trail
            // context is still there is not documented
            // (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>).
            let bucket_only =
                req(caller(), "kms:Decrypt").with_context(S3_CONTEXT_KEY, bucket.arn(p));
            if let Some(d) = decide(existing, bucket_only)
                && d.verdict() != Verdict::Allow
            {
                findings.push(Finding::new(
                    Severity::Warning,
                    FindingCode::KeyPolicyReaderCannotDecrypt,
                    format!(
                        "reader `{reader}` cannot call `kms:Decrypt` on `{key_arn}` with the bucket's context alone, {}: under an s3 bucket key that is the documented context, and aws has not documented that cloudtrail's trail context is kept, so reading may fail with an access-denied error from kms",
                        refusal(&d)
                    ),
                ));
            }
        }
        let anything = req(caller(), "kms:Decrypt");
        let other_account_logs =
            req(caller(), "kms:Decrypt").with_context(CLOUDTRAIL_CONTEXT_KEY, stranger.clone());
        let wide = [anything, other_account_logs]
            .into_iter()
            .find_map(|r| decide(&without_delegation, r).filter(|d| d.verdict() == Verdict::Allow));
        if let Some(d) = wide {
            findings.push(Finding::new(
                Severity::Warning,
                FindingCode::KeyPolicyReaderDecryptsAnything,
                format!(
                    "reader `{reader}` can call `kms:Decrypt` on `{key_arn}` for data that is not a delivering account's cloudtrail log, i.e. anything else encrypted with the key, allowed by {}: add a StringLike kms:EncryptionContext:aws:cloudtrail:arn condition",
                    by(&d)
                ),
            ));
        }
    }

    // Administration by the key account or a named administrator.
    let manage = |caller: String| req(Caller::Aws(caller), "kms:PutKeyPolicy");
    let root = PrincipalArn::root(p, key.account().clone()).to_string();
    let root_manages = allowed(&decide(existing, manage(root)));
    let admin_manages = intent
        .key_admins()
        .iter()
        .any(|a| allowed(&decide(existing, manage(a.to_string()))));
    if !root_manages && !admin_manages {
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyLockout,
            format!(
                "neither account `{}` nor a named administrator can call `kms:PutKeyPolicy` on `{key_arn}`: KMS's lockout safety check refuses the policy, and with BypassPolicyLockoutSafetyCheck the key becomes unmanageable",
                key.account()
            ),
        ));
    } else if !root_manages {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::KeyPolicyNoRoot,
            format!(
                "account `{}` itself cannot manage `{key_arn}` (`kms:PutKeyPolicy`): if every named administrator is deleted, only AWS Support can restore access",
                key.account()
            ),
        ));
    }
    findings.extend(exposure_findings(existing, intent, key, &mut unsupported));
    for message in unsupported {
        // Fail closed: a check that cannot be decided may hide a grant that must not exist.
        findings.push(Finding::new(
            Severity::Error,
            FindingCode::KeyPolicyUnsupported,
            format!("{message}: the checks it affects cannot be proved; check them by hand"),
        ));
    }
    findings
}

/// Whom a witness stands for, from the intent's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Public,
    Organization,
    OtherAccount,
    Service,
    Reader,
    Admin,
}

/// Every grant of a KMS action on the key to a caller the intent does not ask for.
fn exposure_findings(
    policy: &PolicyDocument,
    intent: &Intent,
    key: &PolicyKey,
    unsupported: &mut Vec<String>,
) -> Vec<Finding> {
    let strangers = outsiders(intent, 3);
    let Some(outsider) = strangers.get(2) else {
        return Vec::new();
    };
    let organizations = organizations(policy, intent);
    let p = intent.partition();
    let stand_ins = StandIns {
        partition: p.as_str(),
        outsider: outsider.as_str(),
        // Every KMS request is signed: no anonymous callers.
        anonymous: false,
        organizations: &organizations,
    };
    let key_account = key.account().as_str().to_owned();
    let cloudtrail = p.cloudtrail_principal();
    let keep = |w: &Witness| match &w.who {
        Who::Service(name) => name != cloudtrail,
        _ => w.account() != Some(key_account.as_str()),
    };
    let key_arn = key.as_str().to_owned();
    let resources = |_: usize| vec![(Target::Key, key_arn.clone())];
    let prepare = |r: Request| with_ambient_context(r);
    let (grants, undecided) = exposure(policy, KMS, &resources, &stand_ins, &keep, &prepare);
    for u in undecided {
        let message = u.why.to_string();
        if !unsupported.contains(&message) {
            unsupported.push(message);
        }
    }
    // Per statement and effect: the callers reported (kind, organization, who).
    type Seen = Vec<(Kind, Option<String>, String)>;
    let mut reported: BTreeMap<(usize, ActionEffect), Seen> = BTreeMap::new();
    let mut findings = Vec::new();
    for grant in grants {
        let w = &grant.witness;
        let reader = intent.readers().iter().any(|r| w.names(r.as_str()));
        let admin = intent.key_admins().iter().any(|a| w.names(a.as_str()));
        let kind = match &w.who {
            Who::Anyone | Who::AnyPrincipal if w.organization.is_some() => Kind::Organization,
            Who::Anyone | Who::AnyPrincipal => Kind::Public,
            Who::Service(_) => Kind::Service,
            Who::Account(_) | Who::Principal(_) if reader => Kind::Reader,
            Who::Account(_) | Who::Principal(_) if admin => Kind::Admin,
            Who::Account(_) | Who::Principal(_) => Kind::OtherAccount,
        };
        let mut by_effect: BTreeMap<ActionEffect, Vec<&'static str>> = BTreeMap::new();
        for action in &grant.actions {
            let intended = match action.effect {
                ActionEffect::Decrypt => reader && action.name == "kms:Decrypt",
                ActionEffect::ChangeKeyPolicy
                | ActionEffect::DestroyKey
                | ActionEffect::CreateGrants
                | ActionEffect::ChangeKeySettings
                | ActionEffect::ReadKey => admin,
                _ => false,
            };
            if !intended {
                by_effect
                    .entry(action.effect)
                    .or_default()
                    .push(action.name);
            }
        }
        let statement = policy.statements().get(grant.statement);
        let id = statement
            .and_then(Statement::sid)
            .map_or_else(|| format!("#{}", grant.statement), str::to_owned);
        for (effect, actions) in by_effect {
            // The widest caller only: a public grant makes the same statement's grant to an
            // organization or account redundant, an account's its organization variant.
            let seen = reported.entry((grant.statement, effect)).or_default();
            let who_key = format!("{:?}", w.who);
            if seen
                .iter()
                .any(|(k, org, who)| *k == Kind::Public || (*who == who_key && org.is_none()))
            {
                continue;
            }
            seen.push((kind, w.organization.clone(), who_key));
            findings.push(key_finding(&id, w, kind, effect, &actions, &grant.resource));
        }
    }
    findings
}

fn key_finding(
    id: &str,
    w: &Witness,
    kind: Kind,
    effect: ActionEffect,
    actions: &[&str],
    key: &str,
) -> Finding {
    use ActionEffect as E;
    use Severity::{Error, Suggestion, Warning};
    let (phrase, consequence) = match effect {
        E::ChangeKeyPolicy => (
            "replace the key policy",
            "whoever can replace the key policy owns the archive: they can grant themselves decrypt, or lock everyone else out",
        ),
        E::DestroyKey => (
            "disable the key or delete it (or its key material)",
            "without the key no log file can be read again, and CloudTrail stops delivering",
        ),
        E::CreateGrants => (
            "create grants",
            "a grant can give any use of the key, decrypt included, to anyone",
        ),
        E::Decrypt => (
            "decrypt with the key",
            "anyone who can also fetch the log files can read them",
        ),
        E::UseKey => (
            "encrypt, generate data keys or sign with the key",
            "data can be encrypted under the archive's key",
        ),
        E::ChangeKeySettings => (
            "change the key's settings (rotation, aliases, tags, grants' revocation, Regions…)",
            "settings outside this policy's control",
        ),
        _ => (
            "read the key's metadata, policy and grants",
            "no log content",
        ),
    };
    let (severity, code) = match (effect, kind) {
        (E::ChangeKeyPolicy | E::DestroyKey | E::CreateGrants, _) => {
            (Error, FindingCode::KeyPolicyAdministration)
        }
        (E::Decrypt, Kind::Public) => (Error, FindingCode::KeyPolicyPublicDecrypt),
        (E::Decrypt, Kind::Service) => (Warning, FindingCode::KeyPolicyOutsideAccess),
        (E::Decrypt, _) => (Error, FindingCode::KeyPolicyOutsideAccess),
        (E::ReadKey, Kind::Public) => (Warning, FindingCode::KeyPolicyOutsideAccess),
        (E::ReadKey, _) => (Suggestion, FindingCode::KeyPolicyOutsideAccess),
        _ => (Warning, FindingCode::KeyPolicyOutsideAccess),
    };
    let org = |o: &str| {
        // The witness fills a condition's wildcards with `probe`, which no organization id
        // (`o-` and 10 to 32 random characters) is likely to hold.
        if o.starts_with("o-") && !o.contains("probe") {
            format!("organization `{o}`")
        } else {
            "any organization the statement's condition matches".to_owned()
        }
    };
    let mut who = match (&w.who, kind) {
        (_, Kind::Public) => "any AWS principal of any account".to_owned(),
        (_, Kind::Organization) => format!(
            "any principal of {} (in accounts the intent does not name)",
            w.organization.as_deref().map(org).unwrap_or_default()
        ),
        (Who::Account(a), _) => format!("any principal of account {a}"),
        (Who::Principal(arn), _) => format!("`{arn}`"),
        (Who::Service(name), _) => match w.source_account.as_deref() {
            Some(a) => format!("the AWS service `{name}` (acting for account {a})"),
            None => format!(
                "the AWS service `{name}` (acting for any account: no `aws:SourceAccount` or `aws:SourceArn` binds it)"
            ),
        },
        (Who::Anyone | Who::AnyPrincipal, _) => "any AWS principal of any account".to_owned(),
    };
    if let (Kind::OtherAccount | Kind::Reader | Kind::Admin, Some(o)) = (kind, &w.organization) {
        who.push_str(&format!(" as a member of {}", org(o)));
    }
    let shown: Vec<String> = actions.iter().take(4).map(|a| format!("`{a}`")).collect();
    let more = match actions.len().saturating_sub(4) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Finding::new(
        severity,
        code,
        format!(
            "statement `{id}` lets {who} {phrase} ({}{more}, on `{key}`): {consequence}",
            shown.join(", ")
        ),
    )
}

/// See [`KeyPolicy::key_findings`](super::KeyPolicy::key_findings).
pub(super) fn key_reference(key: &KmsKeyRef, intent: &Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let unchecked = |why: String| {
        Finding::new(
            Severity::Warning,
            FindingCode::KmsKeyRegionUnchecked,
            format!(
                "{why}: if the key is not in the bucket's region, CreateTrail fails with KmsKeyNotFoundException; pass the key arn"
            ),
        )
    };
    match key {
        KmsKeyRef::AliasName(_) | KmsKeyRef::KeyId(_) => findings.push(unchecked(format!(
            "kms key `{key}` names no region, so it cannot be checked against the bucket's"
        ))),
        KmsKeyRef::KeyArn(_) | KmsKeyRef::AliasArn(_) => {
            if let Some(partition) = key.partition()
                && partition != intent.partition()
            {
                findings.push(Finding::new(
                        Severity::Error,
                        FindingCode::KmsKeyPartition,
                        format!(
                            "kms key `{key}` is in partition `{partition}`, but the log archive is in `{}`: CloudTrail cannot use a key of another partition",
                            intent.partition()
                        ),
                    ));
            }
            match (key.region(), intent.bucket_region()) {
                (Some(key_region), Some(bucket_region)) if key_region != bucket_region => {
                    findings.push(Finding::new(
                        Severity::Error,
                        FindingCode::KmsKeyRegion,
                        format!(
                            "kms key `{key}` is in region `{key_region}`, but the bucket is in `{bucket_region}`: CreateTrail and UpdateTrail fail with KmsKeyNotFoundException"
                        ),
                    ));
                }
                (Some(_), None) => findings.push(unchecked(format!(
                    "the bucket's region is unknown, so kms key `{key}` cannot be checked against it"
                ))),
                _ => {}
            }
            if matches!(key, KmsKeyRef::AliasArn(_)) {
                findings.push(Finding::new(
                    Severity::Suggestion,
                    FindingCode::KmsAliasArn,
                    format!(
                        "kms key `{key}` is an alias, which can later point at a key whose policy does not allow CloudTrail: prefer the key arn"
                    ),
                ));
            }
        }
    }
    if !intent.partition().cloudtrail_principal_confirmed() {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::CloudtrailPrincipalUnconfirmed,
            format!(
                "the cloudtrail service principal `{}` is not documented by AWS for partition `{}`: if it differs there, CloudTrail cannot use the key",
                intent.partition().cloudtrail_principal(),
                intent.partition()
            ),
        ));
    }
    if let Some(key_account) = key.account() {
        for reader in intent.readers() {
            if reader.account() != key_account {
                findings.push(Finding::new(
                    Severity::Suggestion,
                    FindingCode::KmsCrossAccountReader,
                    format!(
                        "reader `{reader}` is in another account than kms key `{key}`: it also needs an iam policy in account `{}` allowing kms:Decrypt on the key, or it cannot read the logs",
                        reader.account()
                    ),
                ));
            }
        }
    }
    findings
}
