//! The probe matrix: the requests CloudTrail and people really send to a log archive, each with
//! the verdict the intent says it must get, and [`verify_bucket`], which runs them through the
//! evaluator.
//!
//! Expected verdicts come from an independent model of the intent (who may write which folder
//! under each [`Layout`], which protections are on), never from the generated policy, so a
//! generator bug shows up as a failed probe.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::document::PolicyDocument;
use crate::eval::{Caller, Decision, Request, Unsupported, Verdict, evaluate};
use crate::id::{AccountId, Partition, Region, TrailArn};
use crate::intent::{Intent, Layout};

/// Which policy a probe is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    /// The S3 bucket policy.
    Bucket,
    /// The KMS key policy.
    Key,
}

/// What a probe checks, so that a failed probe can be explained (by [`crate::lint`]) without
/// reading its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProbeClass {
    /// CloudTrail's own delivery for a trail of the intent: the ACL check, a log or digest
    /// upload. Must be allowed.
    Delivery,
    /// A delivering trail writing into another account's folder or the organization folder:
    /// allowed or not depending on the layout.
    CrossFolder,
    /// A near miss of a delivery: no or a wrong `x-amz-acl`, an object outside `AWSLogs/`.
    DeliveryNearMiss,
    /// CloudTrail acting for a trail of an account the intent does not name, or without
    /// `aws:SourceArn`: the confused deputy.
    ForeignTrail,
    /// CloudTrail acting for another trail of a delivering account (another name, home Region
    /// or partition).
    SiblingTrail,
    /// An anonymous caller.
    Anonymous,
    /// A principal the intent does not name: a role of an unlisted account, another service.
    Outsider,
    /// A request without TLS.
    Transport,
    /// Deletion of log objects.
    Deletion,
    /// Changing or deleting the bucket policy.
    PolicyChange,
    /// A reader reading or listing the logs. Must be allowed.
    Read,
    /// A reader stepping outside the log folders or writing.
    ReaderScope,
    /// Not classified: a probe built with [`Probe::new`] alone.
    Unclassified,
}

/// One request with the verdict it must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    name: String,
    kind: PolicyKind,
    class: ProbeClass,
    request: Request,
    expect: Verdict,
}

impl Probe {
    /// A probe named `name` that sends `request` to the `kind` policy and expects `expect`.
    pub fn new(
        name: impl Into<String>,
        kind: PolicyKind,
        request: Request,
        expect: Verdict,
    ) -> Self {
        Probe {
            name: name.into(),
            kind,
            class: ProbeClass::Unclassified,
            request,
            expect,
        }
    }

    /// The same probe, classified as `class`.
    #[must_use]
    pub fn with_class(mut self, class: ProbeClass) -> Self {
        self.class = class;
        self
    }

    /// What kind of check it is; [`ProbeClass::Unclassified`] unless set with
    /// [`Probe::with_class`].
    pub fn class(&self) -> ProbeClass {
        self.class
    }

    /// What the probe checks, in words.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy it is sent to.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The verdict it must get.
    pub fn expect(&self) -> Verdict {
        self.expect
    }
}

/// A probe and what the evaluator said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    probe: Probe,
    outcome: Result<Decision, Unsupported>,
}

impl ProbeResult {
    /// The probe.
    pub fn probe(&self) -> &Probe {
        &self.probe
    }

    /// The evaluator's decision, or the construct it could not evaluate.
    pub fn outcome(&self) -> &Result<Decision, Unsupported> {
        &self.outcome
    }

    /// The verdict, if the evaluator reached one.
    pub fn verdict(&self) -> Option<Verdict> {
        self.outcome.as_ref().ok().map(Decision::verdict)
    }

    /// True when the verdict is the expected one.
    pub fn passed(&self) -> bool {
        self.verdict() == Some(self.probe.expect)
    }
}

/// Every probe of a matrix with its result, in matrix order.
///
/// Serializes as `{"probes": [...]}`, each probe an object with the members `name`, `policy`,
/// `principal`, `action`, `resource`, `context`, `expect` and `verdict` (plus `deciding`, and
/// `unsupported` when the evaluator could not decide, with `verdict` null), so that other IAM
/// evaluators can be run on the same probes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    results: Vec<ProbeResult>,
}

impl Report {
    /// The results.
    pub fn results(&self) -> &[ProbeResult] {
        &self.results
    }

    /// True when every probe got its expected verdict.
    pub fn passed(&self) -> bool {
        self.results.iter().all(ProbeResult::passed)
    }

    /// The probes that did not get their expected verdict.
    pub fn failures(&self) -> impl Iterator<Item = &ProbeResult> {
        self.results.iter().filter(|r| !r.passed())
    }

    /// Adds the results of another report (the key policy's to the bucket policy's).
    pub fn extend(&mut self, other: Report) {
        self.results.extend(other.results);
    }
}

impl Serialize for ProbeResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The request's own members (principal, action, resource, context) are flattened in.
        let request =
            serde_json::to_value(&self.probe.request).map_err(serde::ser::Error::custom)?;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.probe.name)?;
        m.serialize_entry("policy", &self.probe.kind)?;
        if let serde_json::Value::Object(members) = request {
            for (k, v) in members {
                m.serialize_entry(&k, &v)?;
            }
        }
        m.serialize_entry("expect", &self.probe.expect)?;
        match &self.outcome {
            Ok(decision) => {
                m.serialize_entry("verdict", &decision.verdict())?;
                let deciding: Vec<String> = decision
                    .deciding()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                m.serialize_entry("deciding", &deciding)?;
            }
            Err(unsupported) => {
                m.serialize_entry("verdict", &None::<Verdict>)?;
                m.serialize_entry("unsupported", &unsupported.to_string())?;
            }
        }
        m.end()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("probes", &self.results)?;
        m.end()
    }
}

/// Runs every probe against `policy`.
pub fn run(policy: &PolicyDocument, probes: Vec<Probe>) -> Report {
    let results = probes
        .into_iter()
        .map(|probe| ProbeResult {
            outcome: evaluate(policy, &probe.request),
            probe,
        })
        .collect();
    Report { results }
}

/// Proves a bucket policy against `intent`: runs [`bucket_probes`] through the evaluator.
///
/// ```
/// use cloudtrail_policy::{BucketPolicy, Intent, Partition, probe};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let intent = Intent::builder(Partition::Aws, "acme-cloudtrail-logs".parse()?)
///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
///     .build()?;
/// let policy = BucketPolicy::generate(&intent)?;
/// let report = probe::verify_bucket(policy.document(), &intent, policy.layout());
/// assert!(report.passed());
/// # Ok(()) }
/// ```
pub fn verify_bucket(policy: &PolicyDocument, intent: &Intent, layout: Layout) -> Report {
    run(policy, bucket_probes(intent, layout))
}

/// A region of `partition` to write log paths and probe trails in (from the Region lists of the
/// AWS SDK partitions data,
/// <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>).
pub fn sample_region(partition: Partition) -> Option<Region> {
    let code = match partition {
        Partition::AwsCn => "cn-north-1",
        Partition::AwsUsGov => "us-gov-west-1",
        Partition::AwsIso => "us-iso-east-1",
        Partition::AwsIsoB => "us-isob-east-1",
        Partition::AwsIsoE => "eu-isoe-west-1",
        Partition::AwsIsoF => "us-isof-south-1",
        Partition::AwsEusc => "eusc-de-east-1",
        _ => "us-west-2",
    };
    // Every code above is in the SDK partitions data's Region list for its partition (tested
    // below).
    code.parse().ok()
}

/// Accounts that appear nowhere in the intent, for adversarial probes.
pub(crate) fn outsiders(intent: &Intent, count: usize) -> Vec<AccountId> {
    let mut taken: BTreeSet<String> = intent
        .delivering_accounts()
        .into_iter()
        .map(String::from)
        .collect();
    taken.extend(intent.bucket_owner().map(ToString::to_string));
    taken.extend(intent.readers().iter().map(|r| r.account().to_string()));
    taken.extend(intent.key().map(|k| k.account().to_string()));
    if let Some(org) = intent.organization() {
        taken.insert(org.management_account().to_string());
    }
    // Named principals of any kind are not outsiders either.
    let protections = intent.protections();
    let named = intent
        .key_admins()
        .iter()
        .chain(protections.delete_exempt())
        .chain(protections.policy_admins().into_iter().flatten());
    taken.extend(named.map(|p| p.account().to_string()));
    (1u64..)
        .map(|n| format!("{:012}", 999_999_999_999 - n * 1_111))
        .filter(|s| !taken.contains(s))
        .filter_map(|s| s.parse().ok())
        .take(count)
        .collect()
}

fn trail_arn(
    partition: Partition,
    region: &Region,
    account: &AccountId,
    name: &str,
) -> Option<TrailArn> {
    format!(
        "arn:{}:cloudtrail:{}:{}:trail/{}",
        partition.as_str(),
        region,
        account,
        name
    )
    .parse()
    .ok()
}

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

/// The independent model of delivery: may `writer` put objects into `folder` under `layout`?
fn may_write(intent: &Intent, layout: Layout, writer: &Writer, folder: &Folder) -> bool {
    let org_trail = intent.organization().map(|o| o.trail());
    match folder {
        Folder::Organization => org_trail == Some(&writer.arn),
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

fn allow_if(cond: bool) -> Verdict {
    if cond {
        Verdict::Allow
    } else {
        Verdict::ImplicitDeny
    }
}

/// The bucket-policy probe matrix for `intent` under `layout`.
///
/// Allowed: for every delivering trail (a synthetic one for accounts whose trails are not
/// known) the ACL check and the log and digest uploads CloudTrail makes; for the organization
/// trail the same into `AWSLogs/<o-id>/<member>/` and the management account's folder; reads
/// and listings by the readers. Denied: more than twenty kinds of near miss, each named.
pub fn bucket_probes(intent: &Intent, layout: Layout) -> Vec<Probe> {
    let mut probes = Vec::new();
    let p = intent.partition();
    let service = p.cloudtrail_principal();
    let (Some(region), Some(second_region)) = (sample_region(p), other_region(p)) else {
        return probes;
    };
    let bucket = intent.bucket_arn();
    let root = intent.logs_arn_root();
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
    let put = |source: &TrailArn, object: String| {
        Request::new(Caller::Service(service.into()), "s3:PutObject", object)
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SourceArn", source.to_string())
            .with_context("aws:SourceAccount", source.account().to_string())
            .with_context("aws:SecureTransport", "true")
    };
    let acl = |source: &TrailArn| {
        Request::new(
            Caller::Service(service.into()),
            "s3:GetBucketAcl",
            bucket.clone(),
        )
        .with_context("aws:SourceArn", source.to_string())
        .with_context("aws:SourceAccount", source.account().to_string())
        .with_context("aws:SecureTransport", "true")
    };
    let person = |arn: String, action: &str, resource: String| {
        let account = arn.split(':').nth(4).unwrap_or_default().to_owned();
        Request::new(Caller::Aws(arn.clone()), action, resource)
            .with_context("aws:PrincipalArn", arn)
            .with_context("aws:PrincipalAccount", account)
            .with_context("aws:SecureTransport", "true")
    };
    let mut push = |class: ProbeClass, name: String, request: Request, expect: Verdict| {
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
        if let Some(arn) = trail_arn(p, &region, account, "probe-any-trail") {
            writers.push(Writer { arn, named: false });
        }
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
        let no_acl = Request::new(
            Caller::Service(service.into()),
            "s3:PutObject",
            object.clone(),
        )
        .with_context("aws:SourceArn", w.arn.to_string())
        .with_context("aws:SourceAccount", own.to_string())
        .with_context("aws:SecureTransport", "true");
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
        let no_source = Request::new(Caller::Service(service.into()), "s3:PutObject", object)
            .with_context("s3:x-amz-acl", "bucket-owner-full-control")
            .with_context("aws:SourceAccount", own.to_string())
            .with_context("aws:SecureTransport", "true");
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
            let expect = allow_if(may_write(intent, layout, w, &Folder::Account(f.clone())));
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
                allow_if(may_write(intent, layout, w, &Folder::Organization)),
            );
        }
    }

    // Near misses of the first writer.
    if let Some(w) = writers.first() {
        let own = w.arn.account();
        let folder = format!("{own}/");
        let object = log_key(&folder, own);
        let name = w.arn.name().as_str();
        if let Some(t) = trail_arn(p, &region, outsider, "probe-unlisted") {
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
        if let Some(t) = trail_arn(p, w.arn.region(), outsider, name) {
            push(
                ProbeClass::ForeignTrail,
                format!("a trail named `{name}` in unlisted account {outsider}"),
                put(&t, object.clone()),
                Verdict::ImplicitDeny,
            );
        }
        if w.named && !intent.accounts().contains(own) {
            if let Some(t) = trail_arn(p, w.arn.region(), own, "probe-other-trail") {
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
            if let Some(t) = trail_arn(p, &other_region, own, name)
                && t != w.arn
            {
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
        let foreign =
            sample_region(other_partition).and_then(|r| trail_arn(other_partition, &r, own, name));
        if let Some(t) = foreign {
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
        let stranger = format!("arn:{}:iam::{outsider2}:role/Stranger", p.as_str());
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
                format!("{}AWSLogs/", crate::id::logs_root(intent.prefix())),
            ),
            Verdict::ImplicitDeny,
        );
        let outside = format!(
            "{}/{}outside-awslogs/probe.json.gz",
            bucket,
            crate::id::logs_root(intent.prefix())
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
        let owner_root = format!("arn:{}:iam::{owner}:root", p.as_str());
        let root_exempt = protections
            .delete_exempt()
            .iter()
            .any(|e| e.as_str() == owner_root);
        for action in ["s3:DeleteObject", "s3:DeleteObjectVersion"] {
            push(
                ProbeClass::Deletion,
                format!("{action} of a log file by the bucket owner's root"),
                person(owner_root.clone(), action, object.clone()),
                if root_exempt {
                    Verdict::ImplicitDeny
                } else {
                    delete_verdict
                },
            );
        }
        let owner_role = format!("arn:{}:iam::{owner}:role/Admin", p.as_str());
        if !protections
            .delete_exempt()
            .iter()
            .any(|e| e.as_str() == owner_role)
        {
            push(
                ProbeClass::Deletion,
                "s3:DeleteObject of a log file by a role of the bucket owner".into(),
                person(owner_role.clone(), "s3:DeleteObject", object.clone()),
                delete_verdict,
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
            let session = match exempt.kind() {
                crate::id::PrincipalKind::Role => exempt.name().map(|n| {
                    format!(
                        "arn:{}:sts::{}:assumed-role/{n}/probe",
                        p.as_str(),
                        exempt.account()
                    )
                }),
                _ => None,
            };
            if let Some(session) = session {
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
            "s3:PutBucketPolicy by a role of the bucket owner".into(),
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

        // Readers.
        let list_prefix = format!("{}AWSLogs/", crate::id::logs_root(intent.prefix()));
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
                    format!("{bucket}/not-logs/secret.txt"),
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

/// A second region of `partition`, different from [`sample_region`]. Where the AWS SDK
/// partitions data
/// (<https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>)
/// lists only one region (aws-iso-b, aws-iso-e, aws-eusc) the code is a synthetic, well-formed one:
/// probes need a region that differs, not one that exists.
pub(crate) fn other_region(partition: Partition) -> Option<Region> {
    let code = match partition {
        Partition::AwsCn => "cn-northwest-1",
        Partition::AwsUsGov => "us-gov-east-1",
        Partition::AwsIso => "us-iso-west-1",
        Partition::AwsIsoB => "us-isob-west-1",
        Partition::AwsIsoE => "eu-isoe-west-2",
        Partition::AwsIsoF => "us-isof-east-1",
        Partition::AwsEusc => "eusc-de-east-2",
        _ => "eu-west-1",
    };
    code.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_regions_belong_to_their_partition() {
        for p in Partition::ALL {
            let (a, b) = (sample_region(p).unwrap(), other_region(p).unwrap());
            assert_eq!(a.partition(), p);
            assert_eq!(b.partition(), p);
            assert_ne!(a, b);
        }
    }
}
