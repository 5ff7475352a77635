//! The landing-zone plan: one checked set of artifacts from a [`Spec`]: the bucket policy, the
//! key policy, each trail's request bodies, and the findings of every check over the whole.
//!
//! A plan is a pure function of the spec: same spec, same bytes. Any error-level finding makes
//! the plan an error ([`PlanError`]), which still carries every finding.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::bucket_policy::BucketPolicy;
use crate::deploy::{CreatedKey, ObjectLock};
use crate::finding::{Finding, Severity};
use crate::id::{AccountId, KmsAliasArn, KmsKeyArn, KmsKeyRef, Region};
use crate::intent::Intent;
use crate::key_policy::{KeyPolicy, key_findings};
use crate::probe::{self, Report};
use crate::quota::{OrgTrailCounting, TrailInventory, TrailRecord};
use crate::spec::{DataEventSpec, Spec, TrailSpec};
use crate::trail::{
    DataResource, EventSelector, InsightType, ManagementEventSource, ReadWriteType, TrailConfig,
};

/// One planned trail: where it is created and its request bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTrail {
    account: AccountId,
    config: TrailConfig,
}

impl PlannedTrail {
    /// The account the trail is created in (for an organization trail made by a delegated
    /// administrator, that account; the trail's ARN still names the management account).
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The request bodies and the trail's ARN.
    pub fn config(&self) -> &TrailConfig {
        &self.config
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
/// Serializes as `{"bucket_policy", "key_policy", "trails", "findings"}` (`key_policy` is null
/// without a KMS key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    intent: Intent,
    bucket_policy: BucketPolicy,
    key_policy: Option<KeyPolicy>,
    trails: Vec<PlannedTrail>,
    findings: Vec<Finding>,
    deploy: DeployOptions,
}

/// What the deployment files (the `deploy` module) need beyond the policies.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeployOptions {
    account: AccountId,
    region: Region,
    kms_key: Option<KmsKeyRef>,
    created_key: Option<CreatedKey>,
    object_lock: Option<ObjectLock>,
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
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("bucket_policy", &self.bucket_policy)?;
        m.serialize_entry("key_policy", &self.key_policy)?;
        m.serialize_entry("trails", &self.trails)?;
        m.serialize_entry("findings", &self.findings)?;
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
    /// use cloudtrail_policy::plan::Plan;
    /// use cloudtrail_policy::spec::Spec;
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
                        "plan-incomplete",
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

    /// The log-archive account (the bucket's owner).
    pub fn log_archive_account(&self) -> &AccountId {
        &self.deploy.account
    }

    /// The log-archive bucket's region.
    pub fn log_archive_region(&self) -> &Region {
        &self.deploy.region
    }

    /// The key the bucket and the trails encrypt with: the spec's `kms_key`, or the alias ARN of
    /// the key the log-archive stack creates; `None` for SSE-S3.
    pub fn kms_key(&self) -> Option<&KmsKeyRef> {
        self.deploy.kms_key.as_ref()
    }

    /// The key the log-archive stack creates (`log_archive.create_kms_key`), if any.
    pub fn created_key(&self) -> Option<&CreatedKey> {
        self.deploy.created_key.as_ref()
    }

    /// The bucket's default Object Lock retention (`log_archive.object_lock`), if any.
    pub fn object_lock(&self) -> Option<&ObjectLock> {
        self.deploy.object_lock.as_ref()
    }

    /// The probe matrix of both policies.
    pub fn verify(&self) -> Report {
        let mut report = probe::verify_bucket(
            self.bucket_policy.document(),
            &self.intent,
            self.bucket_policy.layout(),
        );
        if let Some(key) = &self.key_policy {
            report.extend(key.verify(&self.intent));
        }
        report
    }
}

fn error(code: &'static str, message: impl Into<String>) -> Finding {
    Finding::new(Severity::Error, code, message)
}

/// Builds the plan, pushing every finding; `None` when an error stops it early.
fn build(spec: &Spec, findings: &mut Vec<Finding>) -> Option<Plan> {
    let partition = spec.partition();
    let la = &spec.log_archive;
    if la.region.partition() != partition {
        findings.push(error(
            "partition-mismatch",
            format!(
                "log_archive.region: region `{}` is in partition `{}`, but the spec's partition is `{partition}`",
                la.region,
                la.region.partition()
            ),
        ));
    }
    if let Err(e) = la.bucket.check_cloudtrail() {
        findings.push(error(
            "bucket-name",
            format!("log_archive.bucket: {e} (InvalidS3BucketNameException)"),
        ));
    }
    if !partition.cloudtrail_principal_confirmed() {
        findings.push(Finding::new(
            Severity::Warning,
            "unconfirmed-service-principal",
            format!(
                "partition `{partition}`: the policies use the service principal `{}`, which AWS documents only for aws and aws-cn",
                partition.cloudtrail_principal()
            ),
        ));
    }

    let mut builder = Intent::builder(partition, la.bucket.clone())
        .bucket_owner(la.account.clone())
        .bucket_region(la.region.clone())
        .bucket_key(la.bucket_key);
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
    let created_key = match &la.create_kms_key {
        Some(alias) => match created_key(partition, la, alias) {
            Ok(created) => Some(created),
            Err(e) => {
                findings.push(error(
                    "create-kms-key",
                    format!("log_archive.create_kms_key: {e}"),
                ));
                return None;
            }
        },
        None => None,
    };
    let kms_key = match &created_key {
        Some((created, _)) => Some(KmsKeyRef::AliasArn(created.alias_arn().clone())),
        None => la.kms_key.clone(),
    };
    if let Some((_, stand_in)) = &created_key {
        builder = builder.key(stand_in.clone());
    }
    match &la.kms_key {
        Some(KmsKeyRef::KeyArn(arn)) => builder = builder.key(arn.clone()),
        Some(other) => findings.push(Finding::new(
            Severity::Warning,
            "key-policy-needs-key-arn",
            format!(
                "log_archive.kms_key: `{other}` is not a key arn, so no key policy is generated; name the key by its arn to get one"
            ),
        )),
        None => {}
    }
    for a in &spec.accounts {
        builder = builder.account(a.clone());
    }
    if la.object_lock.is_some() {
        // Unconfirmed: AWS documents neither that CloudTrail delivers into a bucket with a
        // default Object Lock retention nor that it cannot; CloudTrail's resilience page only
        // points to S3's Object Lock:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/disaster-recovery-resiliency.html
        findings.push(Finding::new(
            Severity::Warning,
            "object-lock-unconfirmed",
            "log_archive.object_lock: AWS does not document whether CloudTrail delivers into a bucket with a default Object Lock retention; check that logs arrive after deploying",
        ));
    }

    let mut trails = Vec::with_capacity(spec.trails.len());
    for (index, t) in spec.trails.iter().enumerate() {
        // The builder is extended only for a trail that planned; it is never cloned, which
        // would make planning N trails quadratic (each clone copies every trail so far).
        if let Some(planned) = plan_trail(spec, index, t, kms_key.as_ref(), findings) {
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
            findings.push(error("intent", e.to_string()));
            return None;
        }
    };
    if let Some(key) = &la.kms_key {
        findings.extend(key_findings(key, &intent));
    }
    check_quota(spec, &trails, findings);

    let bucket_policy = match BucketPolicy::generate(&intent) {
        Ok(p) => p,
        Err(e) => {
            findings.push(error("bucket-policy", e.to_string()));
            return None;
        }
    };
    if let Some(strict) = bucket_policy.fell_back_from_strict() {
        findings.push(Finding::new(
            Severity::Warning,
            "layout-fallback",
            format!(
                "the strict bucket-policy layout is {strict} bytes, over S3's 20,480: the documented layout is used, which lets any listed trail write into any listed account's folder"
            ),
        ));
    }
    let key_policy = match intent.key() {
        Some(_) => match KeyPolicy::generate(&intent) {
            Ok(k) => Some(k),
            Err(e) => {
                findings.push(error("key-policy", e.to_string()));
                return None;
            }
        },
        None => None,
    };
    let plan = Plan {
        intent,
        bucket_policy,
        key_policy,
        trails,
        findings: Vec::new(),
        deploy: DeployOptions {
            account: la.account.clone(),
            region: la.region.clone(),
            kms_key,
            created_key: created_key.map(|(c, _)| c),
            object_lock: la.object_lock,
        },
    };
    for failure in plan.verify().failures() {
        let probe = failure.probe();
        let actual = match failure.outcome() {
            Ok(d) => d.verdict().to_string(),
            Err(u) => u.to_string(),
        };
        findings.push(error(
            "probe-failed",
            format!(
                "{:?} policy: probe `{}` expected {}, got {actual}",
                probe.kind(),
                probe.name(),
                probe.expect()
            ),
        ));
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
    let partition = spec.partition();
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
                "organization-missing",
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
        let (rw, excluded) = match &t.management_events {
            Some(m) => (
                match m.read_write.as_str() {
                    "ReadOnly" => ReadWriteType::ReadOnly,
                    "WriteOnly" => ReadWriteType::WriteOnly,
                    _ => ReadWriteType::All,
                },
                m.exclude_sources.as_slice(),
            ),
            None => (ReadWriteType::All, [].as_slice()),
        };
        let mut selector = if t.management_events.is_some() {
            EventSelector::management(rw)
        } else {
            EventSelector::data_only(rw)
        };
        for source in excluded {
            selector = selector.excluding(if source == "kms.amazonaws.com" {
                ManagementEventSource::Kms
            } else {
                ManagementEventSource::RdsData
            });
        }
        for (i, d) in t.data_events.iter().enumerate() {
            let resource = match d {
                DataEventSpec::AllS3 => Ok(DataResource::all_s3_objects(partition)),
                DataEventSpec::S3 {
                    bucket,
                    prefix: None,
                } => Ok(DataResource::s3_bucket(partition, bucket)),
                DataEventSpec::S3 {
                    bucket,
                    prefix: Some(p),
                } => DataResource::s3_prefix(partition, bucket, p),
                DataEventSpec::AllLambda => Ok(DataResource::all_lambda_functions(partition)),
                DataEventSpec::Lambda(arn) => DataResource::lambda_function(arn),
                DataEventSpec::AllDynamoDb => Ok(DataResource::all_dynamodb_tables(partition)),
                DataEventSpec::DynamoDb(arn) => DataResource::dynamodb_table(arn),
            };
            match resource {
                Ok(r) => selector = selector.with_data(r),
                Err(e) => {
                    findings.push(error("trail", format!("{path}.data_events[{i}]: {e}")));
                    return None;
                }
            }
        }
        b = b.event_selector(selector);
    }
    for insight in &t.insights {
        match insight.as_str() {
            "ApiCallRateInsight" => b = b.insight(InsightType::ApiCallRateInsight),
            "ApiErrorRateInsight" => b = b.insight(InsightType::ApiErrorRateInsight),
            other => {
                findings.push(error(
                    "trail",
                    format!(
                        "{path}.insights: unknown insight type `{other}`: expected `ApiCallRateInsight` or `ApiErrorRateInsight`"
                    ),
                ));
                return None;
            }
        }
    }
    let config = match b.build() {
        Ok(c) => c,
        Err(e) => {
            findings.push(error("trail", format!("{path}: {e}")));
            return None;
        }
    };
    for warning in config.warnings() {
        findings.push(Finding::new(
            Severity::Warning,
            "trail",
            format!("{path}: {warning}"),
        ));
    }
    if config.create_trail().s3_key_prefix() != la.prefix.as_ref() {
        findings.push(error(
            "prefix-mismatch",
            format!("{path}: the trail's S3KeyPrefix differs from the bucket policy's prefix"),
        ));
    }
    Some(PlannedTrail {
        account: t.account.clone(),
        config,
    })
}

/// The key the log-archive stack creates, and the stand-in key ARN the key policy is generated
/// and proved with.
///
/// KMS picks a new key's id, so its ARN is unknown until the stack exists. The trails name the
/// key by its alias ARN, which `CreateTrail`'s `KmsKeyId` accepts ("a fully specified ARN to an
/// alias", <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
/// The key policy does not contain the key ARN (every statement's `Resource` is `"*"`, which in a
/// key policy means the key itself: an inference from the KMS guide's key policies, which all use
/// `*`, e.g. <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>): it
/// depends on the key's account and on whether it is multi-Region only, so a stand-in ARN of the
/// same account and region, single-Region, gives the same document.
fn created_key(
    partition: crate::id::Partition,
    la: &crate::spec::LogArchiveSpec,
    alias: &crate::id::KmsAliasName,
) -> Result<(CreatedKey, KmsKeyArn), crate::error::ParseError> {
    let alias_arn = KmsAliasArn::new(&format!(
        "arn:{partition}:kms:{}:{}:{alias}",
        la.region, la.account
    ))?;
    // INVARIANT: the stand-in never reaches an output file: only the key policy's probes see it
    // (as the request's resource), and the key policy's statements all use `"*"`.
    let stand_in = KmsKeyArn::new(&format!(
        "arn:{partition}:kms:{}:{}:key/00000000-0000-0000-0000-000000000000",
        la.region, la.account
    ))?;
    Ok((CreatedKey::new(alias.clone(), alias_arn), stand_in))
}

/// Two trails with one file stem would overwrite each other's files, and two organization
/// trails cannot share one bucket policy's organization statement.
fn check_trail_names(trails: &[PlannedTrail], findings: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for t in trails {
        let key = (t.account.clone(), t.config.create_trail().name().clone());
        if !seen.insert(key) {
            findings.push(error(
                "duplicate-trail",
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
            "several-organization-trails",
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
        findings.push(error("quota", e.to_string()));
    }
}
