//! The audit of a live setup against its plan: every difference between what the AWS CLI says
//! is live ([`Outputs`], saved by [`Collection::script`]) and what [`Plan::from_spec`] plans is
//! a finding, together with the lint of the live policies and the controls judged on the live
//! state.

mod bucket;
mod policy;
mod reader;
mod trail;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::bucket_policy::BucketPolicy;
use crate::collect::{Collection, LOG_ARCHIVE, ORGANIZATION};
use crate::controls::{Control, Facts, KeyFact, PublicFact};
use crate::finding::{Finding, FindingCode, Severity};
use crate::id::KmsKeyRef;
use crate::key_policy::KeyPolicy;
use crate::live::{
    CallerIdentity, KeyRotation, LiveAccounts, LiveError, LiveOrganization, OutputRule, Outputs,
};
use crate::merge::PolicyText;
use crate::plan::{KeySource, Plan};

/// The findings and the controls of one audit.
///
/// Serializes as `{"findings": [...], "controls": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    findings: Vec<Finding>,
    controls: Vec<Control>,
}

impl Serialize for Audit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("findings", &self.findings)?;
        m.serialize_entry("controls", &self.controls)?;
        m.end()
    }
}

impl Audit {
    /// Compares the live state in `outputs` (saved by the script of
    /// [`Collection::from_plan`]`(plan)`) with `plan`:
    ///
    /// - each block's outputs were saved with the credentials of its account
    ///   (`live-wrong-account`);
    /// - the bucket and key policies: each planned statement present and the same
    ///   (`live-statement-missing`, `live-statement-changed`), every other statement with
    ///   what it does (`live-statement-unplanned`: an error for an `Allow`, a warning for a
    ///   `Deny`), and the lint of the live policy ([`BucketPolicy::lint`], [`KeyPolicy::lint`]);
    /// - the key rotates (`live-key-rotation-off`);
    /// - the bucket's encryption, public access block, ownership, logging, lifecycle and Object
    ///   Lock are the planned ones (`live-bucket-setting`), its versioning is enabled
    ///   (`live-versioning-not-enabled`), and no lifecycle rule the plan does not have deletes
    ///   log files (`live-lifecycle-deletes-logs`);
    /// - each trail exists (`live-trail-missing`), has the planned settings
    ///   (`live-trail-setting`), logs (`live-trail-not-logging`) and has the planned event and
    ///   Insights selectors (`live-event-selectors`, `live-insight-selectors`);
    /// - the organization is the spec's (`live-organization`).
    ///
    /// The controls are those of [`Plan::controls`], judged on the live trails, bucket and key.
    ///
    /// ```
    /// use cloudtrail_policy::{Audit, Outputs, Plan, Spec};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = Plan::from_spec(&Spec::example()?)?;
    /// let err = Audit::run(&plan, &Outputs::new()).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "`log-archive.get-caller-identity.json` is missing: it is saved by `aws sts get-caller-identity --region us-east-1`"
    /// );
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`LiveError`] when an output the collection saves is missing, failed for another reason
    /// than an absent configuration, or is malformed: the audit would be blind there.
    pub fn run(plan: &Plan, outputs: &Outputs) -> Result<Audit, LiveError> {
        let reader = reader::Reader::new(plan, outputs);
        let mut findings = Vec::new();
        check_accounts(&reader, &mut findings)?;
        let bucket = plan.log_archive_bucket();
        let intent = plan.intent();

        let mut public_grants = 0;
        let what = format!("bucket policy of `{bucket}`");
        match reader.live(&format!("{LOG_ARCHIVE}.get-bucket-policy"), policy_text)? {
            None => findings.push(Finding::new(
                Severity::Error,
                FindingCode::LiveStatementMissing,
                format!("{what}: the bucket has no policy (NoSuchBucketPolicy): apply log-archive.bucket-policy.json"),
            )),
            Some(live) => {
                findings.extend(policy::compare(
                    &what,
                    plan.bucket_policy().document(),
                    live.document(),
                ));
                let lint = BucketPolicy::lint(live.document(), intent);
                public_grants = lint
                    .iter()
                    .filter(|f| f.code() == FindingCode::PublicAccess)
                    .count();
                findings.extend(lint);
            }
        }

        let key = match plan.key_source() {
            None => KeyFact::None,
            Some(source @ KeySource::Created(_))
            | Some(
                source @ KeySource::Existing(
                    KmsKeyRef::AliasArn(_) | KmsKeyRef::AliasName(_) | KmsKeyRef::KeyId(_),
                ),
            ) => {
                findings.push(Finding::new(
                    Severity::Warning,
                    FindingCode::LiveKeyNotCollected,
                    format!(
                        "key `{}` is not named by its arn, and the collection reads a key's policy and rotation by its arn (KMS does not take an alias there): they were not read; name the key by its arn in the spec to audit them",
                        source.key_ref()
                    ),
                ));
                match source {
                    KeySource::Existing(key) => KeyFact::Existing(key),
                    KeySource::Created(_) => KeyFact::Created,
                }
            }
            Some(KeySource::Existing(key @ KmsKeyRef::KeyArn(arn))) => {
                let what = format!("key policy of `{arn}`");
                if let (Some(live), Some(planned)) = (
                    reader.live(&format!("{LOG_ARCHIVE}.get-key-policy"), policy_text)?,
                    plan.key_policy(),
                ) {
                    findings.extend(policy::compare(&what, planned.document(), live.document()));
                    findings.extend(KeyPolicy::lint(live.document(), intent));
                }
                let rotation = reader
                    .live(
                        &format!("{LOG_ARCHIVE}.get-key-rotation-status"),
                        KeyRotation::parse,
                    )?
                    .is_some_and(|r| r.enabled());
                if !rotation {
                    findings.push(Finding::new(
                        Severity::Error,
                        FindingCode::LiveKeyRotationOff,
                        format!(
                            "key `{arn}` does not rotate (KMS.4): `aws kms enable-key-rotation --key-id {arn}`"
                        ),
                    ));
                }
                KeyFact::Rotation(key, rotation)
            }
        };

        let log_prefix = match intent.prefix() {
            Some(p) => format!("{p}/AWSLogs/"),
            None => "AWSLogs/".to_owned(),
        };
        let bucket_facts = bucket::compare(&reader, bucket.as_str(), &log_prefix, &mut findings)?;

        let mut trails = Vec::new();
        for t in plan.trails() {
            if let Some(facts) = trail::compare(&reader, t, &mut findings)? {
                trails.push(facts);
            }
        }

        if let Some(org) = intent.organization() {
            match reader.live(
                &format!("{ORGANIZATION}.describe-organization"),
                LiveOrganization::parse,
            )? {
                None => findings.push(Finding::new(
                    Severity::Error,
                    FindingCode::LiveOrganization,
                    format!(
                        "account `{}` is in no organization (AWSOrganizationsNotInUseException), the spec's organization is `{}`",
                        org.management_account(),
                        org.id()
                    ),
                )),
                Some(live) if live.id() != org.id() || live.management_account() != org.management_account() => {
                    findings.push(Finding::new(
                        Severity::Error,
                        FindingCode::LiveOrganization,
                        format!(
                            "the live organization is `{}` managed by `{}`, the spec's `{}` managed by `{}`",
                            live.id(),
                            live.management_account(),
                            org.id(),
                            org.management_account()
                        ),
                    ));
                }
                Some(_) => {}
            }
            reader.live(
                &format!("{ORGANIZATION}.list-accounts"),
                LiveAccounts::parse,
            )?;
        }

        let controls = crate::controls::evaluate(&Facts {
            bucket,
            trails: &trails,
            key,
            access_logs: bucket_facts
                .logging
                .as_ref()
                .map(|(b, p)| (b.as_str(), p.as_str())),
            lifecycle: bucket_facts.lifecycle,
            mfa_delete: Some(bucket_facts.mfa_delete),
            public: PublicFact::Live {
                blocks_off: bucket_facts.blocks_off.clone(),
                public_grants,
            },
            live: true,
        });
        findings.sort();
        findings.dedup();
        Ok(Audit {
            findings: Finding::grouped(findings),
            controls,
        })
    }

    /// Every finding, errors first.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The controls, judged on the live state.
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }

    /// Whether the live state matches the plan: no error finding.
    pub fn passed(&self) -> bool {
        !self
            .findings
            .iter()
            .any(|f| f.severity() == Severity::Error)
    }
}

/// The policy saved by `get-bucket-policy` or `get-key-policy`.
fn policy_text(text: &str) -> Result<PolicyText, OutputRule> {
    PolicyText::from_json_or_cli_output(text).map_err(|e| OutputRule::Policy(Box::new(e)))
}

/// Each block's `get-caller-identity` names the block's account.
fn check_accounts(
    reader: &reader::Reader<'_>,
    findings: &mut Vec<Finding>,
) -> Result<(), LiveError> {
    let collection: &Collection = reader.collection();
    for block in collection.blocks() {
        let Some(command) = block
            .commands()
            .iter()
            .find(|c| c.operation() == crate::live::Operation::GetCallerIdentity)
        else {
            continue;
        };
        if let Some(caller) = reader.live(command.file(), CallerIdentity::parse)?
            && caller.account() != block.account()
        {
            findings.push(Finding::new(
                Severity::Error,
                FindingCode::LiveWrongAccount,
                format!(
                    "{}: saved with the credentials of account `{}`, not `{}`: what they show is another account's; collect again with `{}`'s credentials",
                    block.what(),
                    caller.account(),
                    block.account(),
                    block.account()
                ),
            ));
        }
    }
    Ok(())
}
