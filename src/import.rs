//! A spec built from a live setup: the organization (`describe-organization`,
//! `list-accounts`), the trails (`get-trail` and their selectors) and the log archive's account
//! and Region (`get-caller-identity` and `get-bucket-location` of the log-archive block), as
//! the collect script saves them.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::collect::{LOG_ARCHIVE, ORGANIZATION};
use crate::id::{AccountId, BucketName, KmsKeyRef};
use crate::live::{
    BucketEncryption, BucketLocation, CallerIdentity, ClassicSelector, LiveAccounts, LiveError,
    LiveInsights, LiveOrganization, LiveSelectors, LiveTrail, Operation, OutputRule, Outputs,
    malformed,
};
use crate::spec::{Spec, SpecError};

/// Why no spec could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// An output is missing, failed or malformed.
    #[error(transparent)]
    Live(#[from] LiveError),
    /// No `get-trail` output names a trail.
    #[error(
        "no `*.get-trail.json` names a trail: import needs the trails that deliver to the log archive"
    )]
    NoTrail,
    /// The spec built does not read back (a bug of the import).
    #[error("the imported spec does not read back: {0}")]
    Spec(#[from] SpecError),
}

/// The spec an import builds, and what it could not carry over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    spec: Spec,
    json: String,
    notes: Vec<String>,
}

impl Imported {
    /// The spec, read back.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The spec file, pretty JSON with a final newline.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// What the live setup has that the spec cannot say, one line each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

/// One live trail with its selectors.
struct Found {
    stem: String,
    trail: LiveTrail,
    selectors: Option<LiveSelectors>,
    insights: Option<LiveInsights>,
}

impl Spec {
    /// Builds a spec from a live setup's outputs:
    ///
    /// - `organization`: `describe-organization`'s id and management account, and
    ///   `list-accounts`' other active accounts as `member_accounts` (for the quota check);
    /// - the log archive: the bucket the organization trail delivers to (else the one most
    ///   trails deliver to), in the account of the log-archive block's `get-caller-identity` and
    ///   the Region of its `get-bucket-location`, with the delivering trails' `S3KeyPrefix` and
    ///   KMS key, and the bucket's S3 Bucket Key setting;
    /// - `trails`: every trail that delivers to that bucket, with its settings, classic event
    ///   selectors and Insights;
    /// - `existing_trails`: every other trail (for the quota check).
    ///
    /// Readers, break-glass principals and other choices of the policies are not in these
    /// outputs: plan the spec to see what would change.
    ///
    /// ```
    /// use cloudtrail_policy::{Outputs, Spec};
    /// let err = Spec::import(&Outputs::new()).unwrap_err();
    /// assert_eq!(err.to_string(), "no `*.get-trail.json` names a trail: import needs the trails that deliver to the log archive");
    /// ```
    ///
    /// # Errors
    /// [`ImportError`]: an output that is missing, failed or malformed, or no trail.
    pub fn import(outputs: &Outputs) -> Result<Imported, ImportError> {
        let mut notes = Vec::new();
        let trails = trails(outputs)?;
        let mut buckets: BTreeMap<&BucketName, usize> = BTreeMap::new();
        for f in &trails {
            *buckets.entry(f.trail.s3_bucket_name()).or_default() += 1;
        }
        let bucket = trails
            .iter()
            .find(|f| f.trail.is_organization_trail())
            .map(|f| f.trail.s3_bucket_name())
            .or_else(|| {
                buckets
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(b, _)| *b)
            })
            .ok_or(ImportError::NoTrail)?
            .clone();
        let delivering: Vec<&Found> = trails
            .iter()
            .filter(|f| f.trail.s3_bucket_name() == &bucket)
            .collect();
        let first = delivering
            .iter()
            .find(|f| f.trail.is_organization_trail())
            .or(delivering.first())
            .ok_or(ImportError::NoTrail)?;

        let account = required(
            outputs,
            LOG_ARCHIVE,
            Operation::GetCallerIdentity,
            CallerIdentity::parse,
        )?;
        let location = required(
            outputs,
            LOG_ARCHIVE,
            Operation::GetBucketLocation,
            BucketLocation::parse,
        )?;
        let mut la = Map::new();
        la.insert("account".into(), json!(account.account()));
        la.insert("region".into(), json!(location.region()));
        la.insert("bucket".into(), json!(bucket));
        if let Some(prefix) = first.trail.s3_key_prefix() {
            la.insert("prefix".into(), json!(prefix));
        }
        if let Some(key) = first.trail.kms_key_id() {
            la.insert("kms_key".into(), json!(key));
            if let Some(Some(enc)) = optional(
                outputs,
                LOG_ARCHIVE,
                Operation::GetBucketEncryption,
                BucketEncryption::parse,
            )? {
                la.insert("bucket_key".into(), json!(enc.bucket_key()));
            }
        }
        for f in &delivering {
            if f.trail.s3_key_prefix() != first.trail.s3_key_prefix() {
                notes.push(format!(
                    "trail `{}` writes under another prefix than `{}`: the spec has one prefix for the bucket",
                    f.trail.arn(),
                    first.trail.s3_key_prefix().map_or("", |p| p.as_str())
                ));
            }
        }

        let mut top = Map::new();
        top.insert("partition".into(), json!(first.trail.arn().partition()));
        top.insert("log_archive".into(), Value::Object(la));

        let organization = optional(
            outputs,
            ORGANIZATION,
            Operation::DescribeOrganization,
            LiveOrganization::parse,
        )?
        .flatten();
        let mut delegated: Vec<AccountId> = Vec::new();
        let mut spec_trails = Vec::new();
        for f in &delivering {
            let (trail, creator) = trail_entry(f, &mut notes);
            if let Some(creator) = creator
                && !delegated.contains(&creator)
            {
                delegated.push(creator);
            }
            spec_trails.push(trail);
        }
        if let Some(org) = &organization {
            let mut o = Map::new();
            o.insert("id".into(), json!(org.id()));
            o.insert("management_account".into(), json!(org.management_account()));
            if !delegated.is_empty() {
                o.insert("delegated_admins".into(), json!(delegated));
            }
            if let Some(Some(accounts)) = optional(
                outputs,
                ORGANIZATION,
                Operation::ListAccounts,
                LiveAccounts::parse,
            )? {
                let members: Vec<&AccountId> = accounts
                    .active()
                    .filter(|a| *a != org.management_account() && !delegated.contains(a))
                    .collect();
                if !members.is_empty() {
                    o.insert("member_accounts".into(), json!(members));
                }
            }
            top.insert("organization".into(), Value::Object(o));
        }
        top.insert("trails".into(), Value::Array(spec_trails));
        let existing: Vec<Value> = trails
            .iter()
            .filter(|f| f.trail.s3_bucket_name() != &bucket)
            .map(|f| {
                json!({
                    "account": f.trail.arn().account(),
                    "home_region": f.trail.arn().region(),
                    "name": f.trail.name(),
                    "multi_region": f.trail.is_multi_region_trail(),
                    "organization": f.trail.is_organization_trail(),
                })
            })
            .collect();
        if !existing.is_empty() {
            top.insert("existing_trails".into(), Value::Array(existing));
        }
        let mut text = serde_json::to_string_pretty(&Value::Object(top)).unwrap_or_default();
        text.push('\n');
        let spec = Spec::from_json(&text)?;
        Ok(Imported {
            spec,
            json: text,
            notes,
        })
    }
}

/// Every trail of the outputs (`<stem>.get-trail`), with its selectors when saved; trails the
/// command did not find are left out.
fn trails(outputs: &Outputs) -> Result<Vec<Found>, ImportError> {
    let mut found = Vec::new();
    for (file, _) in outputs.of(Operation::GetTrail) {
        let Some(stem) = file.strip_suffix(".get-trail") else {
            continue;
        };
        let Some(trail) = optional(outputs, stem, Operation::GetTrail, LiveTrail::parse)?.flatten()
        else {
            continue;
        };
        let selectors = optional(
            outputs,
            stem,
            Operation::GetEventSelectors,
            LiveSelectors::parse,
        )?
        .flatten();
        let insights = optional(
            outputs,
            stem,
            Operation::GetInsightSelectors,
            LiveInsights::parse,
        )?
        .map(|i| i.unwrap_or_else(LiveInsights::none));
        found.push(Found {
            stem: stem.to_owned(),
            trail,
            selectors,
            insights,
        });
    }
    if found.is_empty() {
        return Err(ImportError::NoTrail);
    }
    Ok(found)
}

/// The output `<stem>.<operation>` read by `parse`: `None` when not saved, `Some(None)` when
/// the command answered that what it reads does not exist.
fn optional<T>(
    outputs: &Outputs,
    stem: &str,
    operation: Operation,
    parse: impl FnOnce(&str) -> Result<T, OutputRule>,
) -> Result<Option<Option<T>>, LiveError> {
    let file = format!("{stem}.{}", operation.as_str());
    if !outputs.files().any(|f| f == file) {
        return Ok(None);
    }
    let command = operation.to_string();
    match outputs.read(&file, operation, &command)? {
        None => Ok(Some(None)),
        Some(text) => parse(text)
            .map(|v| Some(Some(v)))
            .map_err(malformed(&file, &command)),
    }
}

/// The output `<stem>.<operation>`, which the import needs.
fn required<T>(
    outputs: &Outputs,
    stem: &str,
    operation: Operation,
    parse: impl FnOnce(&str) -> Result<T, OutputRule>,
) -> Result<T, LiveError> {
    let file = format!("{stem}.{}", operation.as_str());
    optional(outputs, stem, operation, parse)?
        .flatten()
        .ok_or_else(|| LiveError::Missing {
            file,
            command: operation.to_string(),
        })
}

/// The spec's entry for a delivering trail, and the delegated administrator that created it
/// when the file's account (the stem's `<account>-` part) is not the owner.
fn trail_entry(f: &Found, notes: &mut Vec<String>) -> (Value, Option<AccountId>) {
    let t = &f.trail;
    let owner = t.arn().account();
    let creator = f
        .stem
        .split_once('-')
        .and_then(|(a, _)| a.parse::<AccountId>().ok())
        .filter(|a| a != owner && t.is_organization_trail());
    let mut e = Map::new();
    e.insert("name".into(), json!(t.name()));
    e.insert("account".into(), json!(creator.as_ref().unwrap_or(owner)));
    e.insert("home_region".into(), json!(t.arn().region()));
    if t.is_organization_trail() {
        e.insert("organization".into(), json!(true));
    }
    e.insert("multi_region".into(), json!(t.is_multi_region_trail()));
    e.insert(
        "global_service_events".into(),
        json!(t.include_global_service_events()),
    );
    e.insert(
        "log_file_validation".into(),
        json!(t.log_file_validation_enabled()),
    );
    if let Some(topic) = t.sns_topic_name() {
        e.insert("sns_topic".into(), json!(topic));
    }
    if let (Some(group), Some(role)) = (
        t.cloud_watch_logs_log_group_arn(),
        t.cloud_watch_logs_role_arn(),
    ) {
        e.insert(
            "cloudwatch_logs".into(),
            json!({"log_group": group, "role": role}),
        );
    }
    if let Some(KmsKeyRef::KeyArn(_)) | None = t.kms_key_id() {
    } else {
        notes.push(format!(
            "trail `{}` names its key other than by arn",
            t.arn()
        ));
    }
    match &f.selectors {
        Some(LiveSelectors::Classic(s)) if s.len() == 1 => {
            if let Some(s) = s.first() {
                selector_entry(s, t, &mut e, notes);
            }
        }
        Some(LiveSelectors::Classic(s)) if s.is_empty() => {}
        Some(_) => notes.push(format!(
            "trail `{}` has several or advanced event selectors, which the spec cannot say: the spec logs all management events",
            t.arn()
        )),
        None => {}
    }
    if let Some(insights) = &f.insights
        && !insights.types().is_empty()
    {
        let types: Vec<&str> = insights.types().iter().map(|i| i.as_str()).collect();
        e.insert("insights".into(), json!(types));
    }
    (Value::Object(e), creator)
}

/// One classic selector as the spec's `management_events` and `data_events`.
fn selector_entry(
    s: &ClassicSelector,
    t: &LiveTrail,
    e: &mut Map<String, Value>,
    notes: &mut Vec<String>,
) {
    if s.includes_management_events() {
        let mut m = Map::new();
        m.insert("read_write".into(), json!(s.read_write_type().as_str()));
        if !s.excluded_sources().is_empty() {
            m.insert("exclude_sources".into(), json!(s.excluded_sources()));
        }
        e.insert("management_events".into(), Value::Object(m));
    } else if s.read_write_type() != crate::trail::ReadWriteType::All {
        notes.push(format!(
            "trail `{}` logs {} data events only, which the spec cannot say: the spec logs all of them",
            t.arn(),
            s.read_write_type().as_str()
        ));
    }
    let partition = t.arn().partition();
    let mut data = Vec::new();
    for (kind, values) in s.data_resources() {
        for v in values {
            let entry = match kind.as_str() {
                "AWS::S3::Object" => {
                    let all = [
                        format!("arn:{partition}:s3"),
                        format!("arn:{partition}:s3:::"),
                    ];
                    if all.contains(v) {
                        Some(json!({"s3": "all"}))
                    } else {
                        v.strip_prefix(&format!("arn:{partition}:s3:::"))
                            .map(|rest| json!({"s3": rest.trim_end_matches('/')}))
                    }
                }
                "AWS::Lambda::Function" if *v == format!("arn:{partition}:lambda") => {
                    Some(json!({"lambda": "all"}))
                }
                "AWS::Lambda::Function" => Some(json!({"lambda": v})),
                "AWS::DynamoDB::Table" if *v == format!("arn:{partition}:dynamodb") => {
                    Some(json!({"dynamodb": "all"}))
                }
                "AWS::DynamoDB::Table" => Some(json!({"dynamodb": v})),
                _ => None,
            };
            match entry {
                Some(entry) => data.push(entry),
                None => notes.push(format!(
                    "trail `{}` logs data events of `{kind}` `{v}`, which the spec cannot say",
                    t.arn()
                )),
            }
        }
    }
    if !data.is_empty() {
        e.insert("data_events".into(), Value::Array(data));
    }
}
