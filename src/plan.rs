//! The landing-zone plan: one checked set of artifacts from a [`Spec`]: the bucket policy, the
//! key policy, each trail's request bodies, and the findings of every check over the whole.
//!
//! A plan is a pure function of the spec: same spec, same bytes. Any error-level finding makes
//! the plan an error ([`PlanError`]), which still carries every finding.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::access_logs::{AccessLogs, AccessLogsPolicy, AccessLogsSource, LOGGING_PRINCIPAL};
use crate::bucket_policy::BucketPolicy;
use crate::bucket_settings::{Lifecycle, ObjectLock, StorageClass};
use crate::controls::{Control, Facts, KeyFact, PublicFact, TrailFacts};
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::{AccountId, BucketName, KmsAliasArn, KmsAliasName, KmsKeyRef, Region};
use crate::intent::{Intent, OrganizationWriteCondition};
use crate::key_policy::{KeyPolicy, KeyPolicyError};
use crate::probe::Report;
use crate::proof::Completeness;
use crate::quota::{OrgTrailCounting, TrailInventory, TrailRecord};
use crate::spec::{Spec, TrailSpec};
use crate::trail::{EventSelector, ReadWriteType, TrailConfig};

/// One planned trail: where it is created and its request bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTrail {
    account: AccountId,
    config: TrailConfig,
}

impl PlannedTrail {
    /// The trail `config`, created in `account` (for an organization trail made by a delegated
    /// administrator, that account): what the `trail` command plans alone.
    pub fn new(account: AccountId, config: TrailConfig) -> Self {
        PlannedTrail { account, config }
    }

    /// The account the trail is created in (for an organization trail made by a delegated
    /// administrator, that account; the trail's ARN still names the management account).
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The request bodies and the trail's ARN.
    pub fn config(&self) -> &TrailConfig {
        &self.config
    }

    /// Whether this is an organization trail created from a delegated administrator account:
    /// the trail belongs to the management account
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html>),
    /// so every call after CreateTrail must name it by its ARN (see
    /// [`Plan::from_spec`]'s `delegated-admin-start-logging` finding).
    pub fn by_delegated_administrator(&self) -> bool {
        self.config.create_trail().is_organization_trail()
            && &self.account != self.config.arn().account()
    }

    /// `<account>-<trail>`: the stem of this trail's file names.
    pub fn file_stem(&self) -> String {
        format!("{}-{}", self.account, self.config.create_trail().name())
    }
}

impl Serialize for PlannedTrail {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("account", &self.account)?;
        m.serialize_entry("name", self.config.create_trail().name())?;
        m.serialize_entry("arn", self.config.arn())?;
        m.serialize_entry("create_trail", self.config.create_trail())?;
        m.serialize_entry("event_selectors", self.config.event_selectors())?;
        m.serialize_entry("insight_selectors", &self.config.insight_selectors())?;
        m.end()
    }
}

/// A checked plan.
///
/// Serializes as `{"bucket_policy", "key_policy", "access_logs_bucket_policy", "trails",
/// "findings", "controls"}` (`key_policy` is null without a KMS key, `access_logs_bucket_policy`
/// without `log_archive.access_logs`; `controls` is [`Plan::controls`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    intent: Intent,
    bucket_policy: BucketPolicy,
    key_policy: Option<KeyPolicy>,
    access_logs_policy: Option<AccessLogsPolicy>,
    trails: Vec<PlannedTrail>,
    findings: Vec<Finding>,
    log_archive: LogArchive,
    /// [`Plan::proofs`], computed once: planning proves every policy, and the summary line,
    /// `verify` and `check` report the same proofs.
    proofs: OnceLock<Proofs>,
}

/// The log archive's own settings, beyond the policies.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LogArchive {
    bucket: BucketName,
    account: AccountId,
    region: Region,
    key: Option<KeySource>,
    object_lock: Option<ObjectLock>,
    access_logs: Option<AccessLogs>,
    lifecycle: Option<Lifecycle>,
}

/// Where the log key comes from, decided once by the plan: every consumer (the trails, the
/// bucket's encryption, the templates) asks the plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeySource {
    /// A key that exists, as the spec names it (`log_archive.kms_key`).
    Existing(KmsKeyRef),
    /// A key the log-archive stack creates (`log_archive.create_kms_key`).
    Created(CreatedKey),
}

impl KeySource {
    /// How the trails and the bucket's default encryption name the key: the spec's reference,
    /// or the alias ARN of the created key, which CreateTrail's `KmsKeyId` accepts ("a fully
    /// specified ARN to an alias",
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
    pub fn key_ref(&self) -> KmsKeyRef {
        match self {
            KeySource::Existing(key) => key.clone(),
            KeySource::Created(created) => KmsKeyRef::AliasArn(created.alias_arn.clone()),
        }
    }
}

/// A KMS key that the log-archive stack creates, with an alias so that trails in other accounts
/// can name it before its key id exists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatedKey {
    alias_arn: KmsAliasArn,
}

impl CreatedKey {
    /// The alias name, `alias/…`.
    pub fn alias(&self) -> &KmsAliasName {
        self.alias_arn.alias_name()
    }

    /// The alias ARN in the log-archive account and region.
    pub fn alias_arn(&self) -> &KmsAliasArn {
        &self.alias_arn
    }
}

/// The plan failed a check: every finding, at least one of them an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the plan has {} error(s); first: {}", self.errors().count(), self.first_error())]
pub struct PlanError {
    findings: Vec<Finding>,
}

impl PlanError {
    /// Every finding, errors first.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The error-level findings.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
    }

    fn first_error(&self) -> String {
        self.errors()
            .next()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

impl Serialize for Plan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("bucket_policy", &self.bucket_policy)?;
        m.serialize_entry("key_policy", &self.key_policy)?;
        m.serialize_entry("access_logs_bucket_policy", &self.access_logs_policy)?;
        m.serialize_entry("trails", &self.trails)?;
        m.serialize_entry("findings", &self.findings)?;
        m.serialize_entry("controls", &self.controls())?;
        m.end()
    }
}

impl Plan {
    /// Builds and checks the plan of `spec`.
    ///
    /// # Errors
    /// [`PlanError`] when any check finds an error: an inconsistent spec (an organization trail
    /// without an organization or outside its management and delegated-administrator
    /// accounts, ARNs in several partitions, a key outside the bucket's region), a trail AWS
    /// would refuse, a quota overflow, a policy over its size limit, or a probe of either
    /// policy's matrix that does not get its expected verdict.
    ///
    /// ```
    /// use cloudtrail_policy::{Plan, Spec};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = Plan::from_spec(&Spec::example()?)?;
    /// assert!(plan.verify().passed());
    /// assert!(plan.key_policy().is_some());
    /// # Ok(()) }
    /// ```
    pub fn from_spec(spec: &Spec) -> Result<Plan, PlanError> {
        let mut findings = Vec::new();
        let plan = build(spec, &mut findings);
        findings.sort();
        findings.dedup();
        let mut findings = Finding::grouped(findings);
        match plan {
            Some(mut plan) if !findings.iter().any(|f| f.severity() == Severity::Error) => {
                plan.findings = findings;
                Ok(plan)
            }
            _ => {
                if !findings.iter().any(|f| f.severity() == Severity::Error) {
                    // INVARIANT: `build` returns None only after pushing an error; this keeps
                    // the type honest if that ever changes.
                    findings.push(Finding::new(
                        Severity::Error,
                        FindingCode::PlanIncomplete,
                        "the plan could not be built",
                    ));
                }
                Err(PlanError { findings })
            }
        }
    }

    /// The intent the policies were generated from and are proved against.
    pub fn intent(&self) -> &Intent {
        &self.intent
    }

    /// The bucket policy.
    pub fn bucket_policy(&self) -> &BucketPolicy {
        &self.bucket_policy
    }

    /// The key policy, when the spec names a key by ARN or asks the log-archive stack to create
    /// one.
    pub fn key_policy(&self) -> Option<&KeyPolicy> {
        self.key_policy.as_ref()
    }

    /// The trails to create.
    pub fn trails(&self) -> &[PlannedTrail] {
        &self.trails
    }

    /// Warnings and suggestions (a plan with an error is a [`PlanError`]).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The log-archive bucket.
    pub fn log_archive_bucket(&self) -> &BucketName {
        &self.log_archive.bucket
    }

    /// The log-archive account (the bucket's owner).
    pub fn log_archive_account(&self) -> &AccountId {
        &self.log_archive.account
    }

    /// The log-archive bucket's region.
    pub fn log_archive_region(&self) -> &Region {
        &self.log_archive.region
    }

    /// The key the bucket and the trails encrypt with; `None` for SSE-S3.
    pub fn key_source(&self) -> Option<&KeySource> {
        self.log_archive.key.as_ref()
    }

    /// The bucket's default Object Lock retention (`log_archive.object_lock`), if any.
    pub fn object_lock(&self) -> Option<&ObjectLock> {
        self.log_archive.object_lock.as_ref()
    }

    /// The CIS AWS Foundations CloudTrail controls, with the matching Prowler checks, and
    /// whether this plan meets each and why: multi-Region trail (`CloudTrail.1`), KMS encryption
    /// (`CloudTrail.2`), log file validation (`CloudTrail.4`), CloudWatch Logs (`CloudTrail.5`),
    /// bucket not public (`CloudTrail.6`), bucket access logging (`CloudTrail.7`), key rotation
    /// (`KMS.4`), MFA delete (`S3.20`), S3 write and read data events (`S3.22`, `S3.23`).
    ///
    /// ```
    /// use cloudtrail_policy::{ControlStatus, Plan, Spec};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = Plan::from_spec(&Spec::example()?)?;
    /// let controls = plan.controls();
    /// let logging = controls.iter().find(|c| c.id() == "CloudTrail.7").unwrap();
    /// assert_eq!(logging.status(), ControlStatus::NotMet);
    /// assert!(logging.prowler().contains(&"cloudtrail_logs_s3_bucket_access_logging_enabled"));
    /// # Ok(()) }
    /// ```
    pub fn controls(&self) -> Vec<Control> {
        let trails: Vec<TrailFacts> = self
            .trails
            .iter()
            .map(|t| TrailFacts::planned(t.config()))
            .collect();
        let key = match &self.log_archive.key {
            None => KeyFact::None,
            Some(KeySource::Created(_)) => KeyFact::Created,
            Some(KeySource::Existing(key)) => KeyFact::Existing(key),
        };
        crate::controls::evaluate(&Facts {
            bucket: &self.log_archive.bucket,
            trails: &trails,
            key,
            access_logs: self
                .log_archive
                .access_logs
                .as_ref()
                .map(|l| (l.bucket().as_str(), l.prefix())),
            lifecycle: self.log_archive.lifecycle.is_some(),
            mfa_delete: None,
            public: PublicFact::Planned,
            live: false,
        })
    }

    /// The log-archive bucket's lifecycle (`log_archive.lifecycle`), if any.
    pub fn lifecycle(&self) -> Option<&Lifecycle> {
        self.log_archive.lifecycle.as_ref()
    }

    /// Where the log-archive bucket's server access logs go (`log_archive.access_logs`), if
    /// anywhere.
    pub fn access_logs(&self) -> Option<&AccessLogs> {
        self.log_archive.access_logs.as_ref()
    }

    /// The access-log destination bucket's policy, with `log_archive.access_logs`.
    pub fn access_logs_policy(&self) -> Option<&AccessLogsPolicy> {
        self.access_logs_policy.as_ref()
    }

    /// What the access-log destination policy is written for.
    fn access_logs_source(&self) -> Option<AccessLogsSource<'_>> {
        self.log_archive
            .access_logs
            .as_ref()
            .map(|logs| AccessLogsSource {
                partition: self.intent.partition(),
                bucket: &self.log_archive.bucket,
                account: &self.log_archive.account,
                logs,
            })
    }

    /// The complete proof of every policy: the bucket's, the key's and the access-log
    /// destination's, each against the plan's intent (see [`Completeness`]).
    pub fn proofs(&self) -> &Proofs {
        self.proofs.get_or_init(|| Proofs {
            bucket_policy: self.bucket_policy.complete(&self.intent),
            key_policy: self.key_policy.as_ref().map(|k| k.complete(&self.intent)),
            access_logs_bucket_policy: self
                .access_logs_policy
                .as_ref()
                .zip(self.access_logs_source())
                .map(|(policy, source)| policy.complete(&source)),
        })
    }

    /// The probe matrix of every policy: the bucket's, the key's and the access-log
    /// destination's.
    pub fn verify(&self) -> Report {
        let mut report = self.bucket_policy.verify(&self.intent);
        if let Some(key) = &self.key_policy {
            report.extend(key.verify(&self.intent));
        }
        if let (Some(policy), Some(source)) = (&self.access_logs_policy, self.access_logs_source())
        {
            report.extend(policy.verify(&source));
        }
        report
    }
}

/// The complete proofs of a plan's policies ([`Plan::proofs`]).
///
/// Serializes as `{"bucket_policy": {...}, "key_policy": {...} | null,
/// "access_logs_bucket_policy": {...} | null}`, each a [`Completeness`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proofs {
    bucket_policy: Completeness,
    key_policy: Option<Completeness>,
    access_logs_bucket_policy: Option<Completeness>,
}

impl Proofs {
    /// The log-archive bucket policy's proof.
    pub fn bucket_policy(&self) -> &Completeness {
        &self.bucket_policy
    }

    /// The key policy's proof, when the plan has a key policy.
    pub fn key_policy(&self) -> Option<&Completeness> {
        self.key_policy.as_ref()
    }

    /// The access-log destination policy's proof, when the plan has one.
    pub fn access_logs_bucket_policy(&self) -> Option<&Completeness> {
        self.access_logs_bucket_policy.as_ref()
    }

    /// Each proof with the name of its policy.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Completeness)> {
        [
            ("bucket policy", Some(&self.bucket_policy)),
            ("key policy", self.key_policy.as_ref()),
            (
                "access-log destination policy",
                self.access_logs_bucket_policy.as_ref(),
            ),
        ]
        .into_iter()
        .filter_map(|(name, proof)| proof.map(|p| (name, p)))
    }

    /// True when every policy was proved complete.
    pub fn complete(&self) -> bool {
        self.iter().all(|(_, p)| p.is_complete())
    }

    /// One line for each policy: `complete: <policy>, N regions`, or what is wrong.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for (name, proof) in self.iter() {
            let line = match proof.incomplete_reason() {
                Some(why) => format!("incomplete: {name}: {why}\n"),
                None if proof.is_complete() => {
                    format!("complete: {name}, {} regions\n", proof.regions())
                }
                None => format!(
                    "counterexamples: {name}, {} in {} regions\n",
                    proof.counterexamples().len(),
                    proof.regions()
                ),
            };
            out.push_str(&line);
        }
        out
    }
}

fn error(code: FindingCode, message: impl Into<String>) -> Finding {
    Finding::new(Severity::Error, code, message)
}

/// Builds the plan, pushing every finding; `None` when an error stops it early.
fn build(spec: &Spec, findings: &mut Vec<Finding>) -> Option<Plan> {
    let partition = spec.partition();
    let la = &spec.log_archive;
    if la.region.partition() != partition {
        findings.push(error(
            FindingCode::PartitionMismatch,
            format!(
                "log_archive.region: region `{}` is in partition `{}`, but the spec's partition is `{partition}`",
                la.region,
                la.region.partition()
            ),
        ));
    }
    check_regions(spec, findings);
    if spec.organization.is_some() && !spec.trails.iter().any(|t| t.organization) {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::OrganizationUnused,
            "organization: no trail has `\"organization\": true`, so nothing uses the organization: mark the organization trail, or leave the block out",
        ));
    }
    if let Err(e) = la.bucket.check_cloudtrail() {
        findings.push(error(
            FindingCode::BucketName,
            format!("log_archive.bucket: {e} (InvalidS3BucketNameException)"),
        ));
    }
    if !partition.cloudtrail_principal_confirmed() {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::UnconfirmedServicePrincipal,
            format!(
                "partition `{partition}`: the policies use the service principal `{}`, which AWS documents only for aws and aws-cn",
                partition.cloudtrail_principal()
            ),
        ));
    }

    let mut builder = Intent::builder(partition)
        .bucket(la.bucket.clone())
        .bucket_owner(la.account.clone())
        .bucket_region(la.region.clone())
        .bucket_key(la.bucket_key)
        .scope_bucket_key_decrypt(la.scope_bucket_key_decrypt);
    if let Some(prefix) = &la.prefix {
        builder = builder.prefix(prefix.clone());
    }
    for r in &la.readers {
        builder = builder.reader(r.clone());
    }
    if !la.deny_delete {
        builder = builder.allow_delete();
    }
    for e in &la.deny_delete_exempt {
        builder = builder.delete_exempt(e.clone());
    }
    if !la.deny_insecure_transport {
        builder = builder.allow_insecure_transport();
    }
    for a in &la.policy_admins {
        builder = builder.policy_admin(a.clone());
    }
    for a in &la.key_admins {
        builder = builder.key_admin(a.clone());
    }
    if let Some(layout) = la.layout {
        builder = builder.layout(layout);
    }
    let key = match (&la.create_kms_key, &la.kms_key) {
        (Some(alias), _) => match created_key(partition, la, alias) {
            Ok(created) => Some(KeySource::Created(created)),
            Err(e) => {
                findings.push(error(
                    FindingCode::CreateKmsKey,
                    format!("log_archive.create_kms_key: {e}"),
                ));
                return None;
            }
        },
        (None, key) => key.clone().map(KeySource::Existing),
    };
    match &key {
        Some(KeySource::Created(created)) => {
            builder = builder.key_to_create(created.alias_arn.clone());
        }
        Some(KeySource::Existing(KmsKeyRef::KeyArn(arn))) => builder = builder.key(arn.clone()),
        Some(KeySource::Existing(other)) => findings.push(Finding::new(
            Severity::Warning,
            FindingCode::KeyPolicyNeedsKeyArn,
            format!(
                "log_archive.kms_key: `{other}` is not a key arn, so no key policy is generated; name the key by its arn to get one"
            ),
        )),
        None => {}
    }
    if let Some(org) = &spec.organization {
        builder = builder.organization_write_condition(org.write_condition);
        if org.write_condition == OrganizationWriteCondition::SourceOrgId {
            // AWS Control Tower relies on it
            // (https://docs.aws.amazon.com/controltower/latest/userguide/logging-s3-audit-bucket.html);
            // CloudTrail's own pages recommend only aws:SourceArn and aws:SourceAccount
            // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html).
            findings.push(Finding::new(
                Severity::Warning,
                FindingCode::SourceOrgIdUnverified,
                format!(
                    "organization.write_condition: the organization folder's write is bound by aws:SourceOrgID `{}`, so any trail of any account of the organization may write under AWSLogs/{}/; aws control tower uses this condition, but cloudtrail's own pages do not say that cloudtrail sends aws:SourceOrgID: check that logs arrive after deploying",
                    org.id, org.id
                ),
            ));
        }
    }
    let trail_key = key.as_ref().map(KeySource::key_ref);
    for a in &spec.accounts {
        builder = builder.account(a.clone());
    }
    if la.scope_bucket_key_decrypt {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::BucketKeyDecryptScopeUnverified,
            if la.bucket_key {
                "log_archive.scope_bucket_key_decrypt: cloudtrail's kms:Decrypt is scoped by aws:SourceArn, which no aws page shows to work: aws documents the statement without a condition (AllowCloudTrailDecryptTrail), and if cloudtrail does not send aws:SourceArn on that call, CreateTrail fails with InsufficientEncryptionPolicyException"
            } else {
                "log_archive.scope_bucket_key_decrypt: has no effect without `bucket_key`: cloudtrail gets no kms:Decrypt"
            },
        ));
    }
    if la.object_lock.is_some() {
        // Unconfirmed: AWS documents neither that CloudTrail delivers into a bucket with a
        // default Object Lock retention nor that it cannot; CloudTrail's resilience page only
        // points to S3's Object Lock:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/disaster-recovery-resiliency.html
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::ObjectLockUnconfirmed,
            "log_archive.object_lock: AWS does not document whether CloudTrail delivers into a bucket with a default Object Lock retention; check that logs arrive after deploying",
        ));
    }

    let mut trails = Vec::with_capacity(spec.trails.len());
    for (index, t) in spec.trails.iter().enumerate() {
        // The builder is extended only for a trail that planned; it is never cloned, which
        // would make planning N trails quadratic (each clone copies every trail so far).
        if let Some(planned) = plan_trail(spec, index, t, trail_key.as_ref(), findings) {
            let arn = planned.config.arn().clone();
            builder = match (&spec.organization, t.organization) {
                (Some(org), true) => builder.organization_trail(org.id.clone(), arn),
                (None, true) => builder,
                (_, false) => builder.trail(arn),
            };
            trails.push(planned);
        }
    }
    check_trail_names(&trails, findings);

    let intent = match builder.build() {
        Ok(intent) => intent,
        Err(e) => {
            findings.push(error(FindingCode::Intent, e.to_string()));
            return None;
        }
    };
    match &key {
        Some(KeySource::Existing(key)) => findings.extend(KeyPolicy::key_findings(key, &intent)),
        // The alias is how the stack names the key it creates, not a choice to suggest against.
        Some(KeySource::Created(created)) => findings.extend(
            KeyPolicy::key_findings(&KmsKeyRef::AliasArn(created.alias_arn.clone()), &intent)
                .into_iter()
                .filter(|f| f.code() != FindingCode::KmsAliasArn),
        ),
        None => {}
    }
    check_quota(spec, &trails, findings);

    let bucket_policy = match BucketPolicy::generate(&intent) {
        Ok(p) => p,
        Err(e) => {
            findings.push(error(FindingCode::BucketPolicy, e.to_string()));
            return None;
        }
    };
    if let Some(strict) = bucket_policy.fell_back_from_strict() {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::LayoutFallback,
            format!(
                "the strict bucket-policy layout is {strict} bytes, over S3's 20,480: the documented layout is used, which lets any listed trail write into any listed account's folder"
            ),
        ));
    }
    let key_policy = match intent.key() {
        Some(_) => match KeyPolicy::generate(&intent) {
            Ok(k) => Some(k),
            Err(e @ KeyPolicyError::RegionMismatch { .. }) => {
                // One finding for a key in the wrong region: this one, which says what to use
                // instead, under the code of the key check that found it first.
                findings.retain(|f| f.code() != FindingCode::KmsKeyRegion);
                findings.push(error(FindingCode::KmsKeyRegion, e.to_string()));
                return None;
            }
            Err(e) => {
                findings.push(error(FindingCode::KeyPolicy, e.to_string()));
                return None;
            }
        },
        None => None,
    };
    if let Some(logs) = &la.access_logs {
        findings.extend(access_logs_findings(la, partition, logs));
    }
    if let Some(lifecycle) = &la.lifecycle {
        findings.extend(lifecycle_findings(la, lifecycle));
    }
    let mut plan = Plan {
        intent,
        bucket_policy,
        key_policy,
        access_logs_policy: None,
        trails,
        findings: Vec::new(),
        proofs: OnceLock::new(),
        log_archive: LogArchive {
            bucket: la.bucket.clone(),
            account: la.account.clone(),
            region: la.region.clone(),
            key,
            object_lock: la.object_lock,
            access_logs: la.access_logs.clone(),
            lifecycle: la.lifecycle.clone(),
        },
    };
    plan.access_logs_policy = plan
        .access_logs_source()
        .map(|source| AccessLogsPolicy::generate(&source));
    for failure in plan.verify().failures() {
        let probe = failure.probe();
        let actual = match failure.outcome() {
            Ok(d) => d.verdict().to_string(),
            Err(u) => u.to_string(),
        };
        findings.push(error(
            FindingCode::ProbeFailed,
            format!(
                "{:?} policy: probe `{}` expected {}, got {actual}",
                probe.kind(),
                probe.name(),
                probe.expect()
            ),
        ));
    }
    // Every generated policy proved over every request, not only the probes'.
    for (name, proof) in plan.proofs().iter() {
        findings.extend(Finding::from_proof(name, proof, true));
    }
    Some(plan)
}

/// Builds one trail's configuration; `None` (with an error finding) when it cannot be built.
fn plan_trail(
    spec: &Spec,
    index: usize,
    t: &TrailSpec,
    kms_key: Option<&KmsKeyRef>,
    findings: &mut Vec<Finding>,
) -> Option<PlannedTrail> {
    let la = &spec.log_archive;
    let path = format!("trails[{index}]");
    // Checked before the trail is built, which would blame the first value of the spec's
    // partition it meets (the key, say) for the trail's region.
    let found = t.home_region.partition();
    if found != spec.partition() {
        findings.push(error(
            FindingCode::PartitionMismatch,
            format!(
                "{path}.home_region: region `{}` is in partition `{found}`, but the spec's partition is `{}`",
                t.home_region,
                spec.partition()
            ),
        ));
        return None;
    }
    let mut b = TrailConfig::builder(
        t.name.clone(),
        t.account.clone(),
        t.home_region.clone(),
        la.bucket.clone(),
    );
    if let Some(prefix) = &la.prefix {
        b = b.prefix(prefix.clone());
    }
    if let Some(key) = kms_key {
        b = b.kms_key(key.clone());
    }
    if t.organization {
        let Some(org) = &spec.organization else {
            findings.push(error(
                FindingCode::OrganizationMissing,
                format!(
                    "{path}.organization: an organization trail needs the spec's `organization`"
                ),
            ));
            return None;
        };
        b = b.organization(
            org.id.clone(),
            org.management_account.clone(),
            org.delegated_admins.iter().cloned(),
        );
    }
    if !t.multi_region {
        b = b.single_region();
    }
    if !t.global_service_events {
        b = b.without_global_service_events();
    }
    if !t.log_file_validation {
        b = b.without_log_file_validation();
    }
    if let Some(topic) = &t.sns_topic {
        b = b.sns_topic(topic.clone());
    }
    if let Some((group, role)) = &t.cloudwatch_logs {
        b = b.cloudwatch_logs(group.clone(), role.clone());
    }
    for (k, v) in &t.tags {
        b = b.tag(k.clone(), v.clone());
    }
    if t.management_events.is_some() || !t.data_events.is_empty() {
        let mut selector = match &t.management_events {
            Some(m) => m
                .exclude_sources
                .iter()
                .fold(EventSelector::management(m.read_write), |s, source| {
                    s.excluding(*source)
                }),
            None => EventSelector::data_only(ReadWriteType::All),
        };
        for resource in &t.data_events {
            selector = selector.with_data(resource.clone());
        }
        b = b.event_selector(selector);
    }
    for insight in &t.insights {
        b = b.insight(*insight);
    }
    let config = match b.build() {
        Ok(c) => c,
        Err(e) => {
            findings.push(error(FindingCode::Trail, format!("{path}: {e}")));
            return None;
        }
    };
    for warning in config.warnings() {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::Trail,
            format!("{path}: {warning}"),
        ));
    }
    let planned = PlannedTrail {
        account: t.account.clone(),
        config,
    };
    if planned.by_delegated_administrator() {
        findings.push(delegated_admin_steps(&path, &planned));
    }
    Some(planned)
}

/// The checks of `log_archive.access_logs`
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>).
fn access_logs_findings(
    la: &crate::spec::LogArchiveSpec,
    partition: crate::id::Partition,
    logs: &AccessLogs,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if logs.bucket() == &la.bucket {
        // "delivering logs to the source bucket will cause an infinite loop of logs and is not
        // recommended"; and a destination cannot use SSE-KMS default encryption or Object Lock,
        // which a CloudTrail bucket may.
        findings.push(error(
            FindingCode::AccessLogs,
            format!(
                "log_archive.access_logs.bucket: `{}` is the log-archive bucket itself: its access logs would log their own delivery in an endless loop, and s3 does not deliver access logs into a bucket with sse-kms default encryption or object lock; name a separate bucket",
                logs.bucket()
            ),
        ));
    }
    findings.push(Finding::new(
        Severity::Suggestion,
        FindingCode::AccessLogs,
        format!(
            "log_archive.access_logs: s3 delivers access logs only to a bucket in account `{}` and region `{}` (the log archive's), with sse-s3 default encryption, no object lock and no requester pays; apply access-logs.bucket-policy.json to `{}` before enabling logging",
            la.account,
            la.region,
            logs.bucket()
        ),
    ));
    if !logs.prefix().is_empty() && !logs.prefix().ends_with('/') {
        findings.push(Finding::new(
            Severity::Suggestion,
            FindingCode::AccessLogs,
            format!(
                "log_archive.access_logs.prefix: `{}` does not end with `/`, so log objects are named `{}2026-11-26-…`; aws recommends a trailing `/`",
                logs.prefix(),
                logs.prefix()
            ),
        ));
    }
    if partition != crate::id::Partition::Aws {
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::UnconfirmedServicePrincipal,
            format!(
                "partition `{partition}`: the access-log bucket policy uses the service principal `{LOGGING_PRINCIPAL}`, which aws documents on its aws pages only"
            ),
        ));
    }
    findings
}

/// The checks of `log_archive.lifecycle` against the rest of the log archive.
fn lifecycle_findings(la: &crate::spec::LogArchiveSpec, lifecycle: &Lifecycle) -> Vec<Finding> {
    let mut findings = Vec::new();
    let path = "log_archive.lifecycle";
    if let (Some(expiration), Some(lock)) = (lifecycle.expiration_days(), &la.object_lock)
        && expiration < lock.days()
    {
        // "protected object versions remain safe from being deleted or overwritten by a
        // lifecycle configuration"; delete markers are still placed
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html).
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::LifecycleExpirationBeforeRetention,
            format!(
                "{path}.expiration_days: logs expire after {expiration} days, before the object lock retention of {} days ends: s3 only places delete markers until then, and the locked versions stay (and are billed) until their retention ends",
                lock.days()
            ),
        ));
    }
    if lifecycle.expiration_days().is_some() && lifecycle.noncurrent_expiration_days().is_none() {
        // "When an object is set to be expired in a versioning-enabled bucket, the object isn't
        // completely deleted from the bucket. Instead, a delete marker is created"
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-lifecycle.html).
        findings.push(Finding::new(
            Severity::Warning,
            FindingCode::LifecycleNoNoncurrentExpiration,
            format!(
                "{path}: the bucket is versioned, so expiration only adds delete markers and every log stays as a noncurrent version, billed forever: add `noncurrent_expiration_days` to delete them"
            ),
        ));
    }
    if la.deny_delete {
        findings.push(Finding::new(
            Severity::Suggestion,
            FindingCode::LifecycleChangeDenied,
            format!(
                "{path}: the bucket policy denies s3:PutLifecycleConfiguration to everyone but `deny_delete_exempt`: apply log-archive.lifecycle.json before the bucket policy (the log-archive stack sets it before attaching the policy), and change it later only as an exempt principal"
            ),
        ));
    }
    let small: Vec<&str> = lifecycle
        .transitions()
        .iter()
        .map(|t| t.storage_class())
        .filter(|c| c.skips_small_objects())
        .map(StorageClass::as_str)
        .collect();
    if !small.is_empty() {
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
        findings.push(Finding::new(
            Severity::Suggestion,
            FindingCode::Lifecycle,
            format!(
                "{path}.transitions: s3 does not move objects smaller than 128 KB from s3 standard to {}; small cloudtrail log files stay where they are",
                small.join(", ")
            ),
        ));
    }
    findings
}

/// What to run after deploying an organization trail from a delegated administrator.
///
/// CloudFormation's `AWS::CloudTrail::Trail` calls StartLogging with the trail's *name* after
/// CreateTrail, which fails from a delegated administrator with `TrailNotFoundException` and
/// rolls the stack back (reported in
/// <https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1932>; the
/// Terraform provider fixed the same failure by calling with the ARN,
/// <https://github.com/hashicorp/terraform-provider-aws/pull/30758>). `IsLogging` is required
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudtrail-trail.html#cfn-cloudtrail-trail-islogging>),
/// so the template sets it `false` and leaves the selectors out, and these commands name the
/// trail by its ARN, which StartLogging, PutEventSelectors and PutInsightSelectors' request
/// files take (StartLogging: "the name or the CloudTrail ARN of the trail",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html>). Both
/// StartLogging and PutEventSelectors must be called in the trail's home Region.
fn delegated_admin_steps(path: &str, trail: &PlannedTrail) -> Finding {
    let config = trail.config();
    let arn = config.arn();
    let region = arn.region();
    let stem = trail.file_stem();
    let mut steps = vec![format!(
        "aws cloudtrail put-event-selectors --region {region} --cli-input-json file://{stem}.event-selectors.json"
    )];
    if config.insight_selectors().is_some() {
        steps.push(format!(
            "aws cloudtrail put-insight-selectors --region {region} --cli-input-json file://{stem}.insight-selectors.json"
        ));
    }
    steps.push(format!(
        "aws cloudtrail start-logging --region {region} --name {arn}"
    ));
    Finding::new(
        Severity::Warning,
        FindingCode::DelegatedAdminStartLogging,
        format!(
            "{path}: organization trail `{}` is created from delegated administrator account `{}`, where cloudformation's StartLogging by the trail's name fails with TrailNotFoundException: its template sets IsLogging false and leaves the selectors out, so the trail does not log until you run, in account `{}`: {}",
            config.create_trail().name(),
            trail.account(),
            trail.account(),
            steps.join(" && ")
        ),
    )
}

/// The key the log-archive stack creates, named by its alias in the log-archive account and
/// region.
///
/// KMS picks a new key's id, so its ARN is unknown until the stack exists. The trails name the
/// key by its alias ARN, and the key policy is written for the key to create
/// ([`IntentBuilder::key_to_create`](crate::IntentBuilder::key_to_create)): its statements all
/// use `"Resource": "*"`, which in a key policy means the key itself
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html>), so the
/// document depends only on the key's account and on its being single-Region.
fn created_key(
    partition: crate::id::Partition,
    la: &crate::spec::LogArchiveSpec,
    alias: &KmsAliasName,
) -> Result<CreatedKey, crate::id::ParseError> {
    let alias_arn = KmsAliasArn::from_parts(
        partition,
        la.region.clone(),
        la.account.clone(),
        alias.clone(),
    )?;
    Ok(CreatedKey { alias_arn })
}

/// A warning for each region of the spec that is not in the AWS SDK's list of regions
/// ([`Region::is_known`]): a typo such as `us-east-9` parses, and only AWS would refuse it. A region
/// newer than the list is not refused.
fn check_regions(spec: &Spec, findings: &mut Vec<Finding>) {
    let la = std::iter::once(("log_archive.region".to_owned(), &spec.log_archive.region));
    let trails = spec
        .trails
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("trails[{i}].home_region"), &t.home_region));
    let existing = spec
        .existing_trails
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("existing_trails[{i}].home_region"), &t.home_region));
    for (path, region) in la.chain(trails).chain(existing) {
        if !region.is_known() {
            findings.push(Finding::new(
                Severity::Warning,
                FindingCode::UnknownRegion,
                format!(
                    "{path}: region `{region}` is not in the aws sdk's list of regions: check the spelling (AWS refuses a region that does not exist); a region newer than the list can be ignored here"
                ),
            ));
        }
    }
}

/// Two trails with one file stem would overwrite each other's files, and two organization
/// trails cannot share one bucket policy's organization statement.
fn check_trail_names(trails: &[PlannedTrail], findings: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for t in trails {
        let key = (t.account.clone(), t.config.create_trail().name().clone());
        if !seen.insert(key) {
            findings.push(error(
                FindingCode::DuplicateTrail,
                format!(
                    "trail `{}` is planned twice in account `{}`",
                    t.config.create_trail().name(),
                    t.account
                ),
            ));
        }
    }
    let orgs = trails
        .iter()
        .filter(|t| t.config.create_trail().is_organization_trail())
        .count();
    if orgs > 1 {
        findings.push(error(
            FindingCode::SeveralOrganizationTrails,
            format!(
                "{orgs} organization trails are planned: the plan supports one per log archive"
            ),
        ));
    }
}

fn check_quota(spec: &Spec, trails: &[PlannedTrail], findings: &mut Vec<Finding>) {
    let mut inventory =
        TrailInventory::new().org_trail_counting(if spec.org_trail_counts_in_members {
            OrgTrailCounting::InMembers
        } else {
            OrgTrailCounting::OwnerOnly
        });
    let mut members: BTreeSet<AccountId> = spec.accounts.iter().cloned().collect();
    if let Some(org) = &spec.organization {
        members.insert(org.management_account.clone());
        members.extend(org.delegated_admins.iter().cloned());
        members.extend(org.member_accounts.iter().cloned());
    }
    for e in &spec.existing_trails {
        members.insert(e.account.clone());
        let mut record = TrailRecord::new(e.account.clone(), e.home_region.clone(), e.name.clone());
        if e.multi_region {
            record = record.multi_region();
        }
        if e.organization {
            record = record.organization();
        }
        inventory = inventory.existing(record);
    }
    for t in trails {
        let ct = t.config.create_trail();
        members.insert(t.account.clone());
        let mut record = TrailRecord::new(
            t.config.arn().account().clone(),
            t.config.arn().region().clone(),
            ct.name().clone(),
        );
        if ct.is_multi_region_trail() {
            record = record.multi_region();
        }
        if ct.is_organization_trail() {
            record = record.organization();
        }
        inventory = inventory.planned(record);
    }
    inventory = inventory.organization_members(members);
    // Only the refusal matters here: the report of every (account, Region) is not built.
    if let Some(e) = inventory.first_error() {
        findings.push(error(FindingCode::Quota, e.to_string()));
    }
}
