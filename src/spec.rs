//! The spec file: a JSON description of a whole log-archive setup (log archive, organization,
//! trails, other delivering accounts, existing trails), read into typed values.
//!
//! Unknown fields are rejected and every error names the field path, e.g.
//! ``trails[1].home_region: invalid region `us-east-x`: …``. A key given twice is an error too,
//! rather than a silent "last one wins".

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::access_logs::{AccessLogs, AccessLogsError};
use crate::bucket_settings::{
    Lifecycle, LifecycleError, ObjectLock, RetentionMode, StorageClass, Transition,
};
use crate::id::{
    AccountId, BucketName, KeyPrefix, KmsAliasName, KmsKeyRef, OrganizationId, ParseError,
    Partition, PrincipalArn, Region, TrailName,
};
use crate::intent::{Layout, OrganizationWriteCondition};
use crate::json::Json;
use crate::trail::{DataResource, InsightType, ManagementEventSource, ReadWriteType, TrailError};

/// Why a spec file was rejected: the field path and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct SpecError {
    path: String,
    kind: SpecErrorKind,
}

impl SpecError {
    pub(crate) fn new(path: impl Into<String>, kind: SpecErrorKind) -> Self {
        SpecError {
            path: path.into(),
            kind,
        }
    }

    /// The field path, e.g. `trails[1].home_region`; `$` for the whole file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &SpecErrorKind {
        &self.kind
    }
}

/// What is wrong at a spec path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecErrorKind {
    /// Not JSON.
    #[error("invalid json: {0}")]
    Json(String),
    /// A field the spec does not know.
    #[error("unknown field `{field}`, expected one of {expected}")]
    UnknownField {
        /// The field as written.
        field: String,
        /// The fields allowed there, comma-separated.
        expected: String,
    },
    /// A required field is missing.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A field given twice.
    #[error("field `{0}` appears twice")]
    DuplicateField(String),
    /// The JSON type is wrong.
    #[error("expected {expected}, found {found}")]
    Type {
        /// What the field takes.
        expected: &'static str,
        /// What the file has.
        found: String,
    },
    /// An identifier that does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Two fields that exclude each other.
    #[error("`{0}` and `{1}` exclude each other: give one")]
    Conflict(&'static str, &'static str),
    /// A value outside the allowed set.
    #[error("invalid value `{found}`, expected one of {expected}")]
    Value {
        /// The value as written.
        found: String,
        /// The accepted values.
        expected: String,
    },
    /// A trail setting CloudTrail would refuse.
    #[error(transparent)]
    Trail(#[from] TrailError),
    /// An access-log destination the policy could not bind exactly.
    #[error(transparent)]
    AccessLogs(#[from] AccessLogsError),
    /// A lifecycle rule S3 or CloudFormation would refuse.
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
}

/// The log-archive account, bucket and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogArchiveSpec {
    pub(crate) account: AccountId,
    pub(crate) region: Region,
    pub(crate) bucket: BucketName,
    pub(crate) prefix: Option<KeyPrefix>,
    pub(crate) kms_key: Option<KmsKeyRef>,
    pub(crate) bucket_key: bool,
    pub(crate) scope_bucket_key_decrypt: bool,
    pub(crate) readers: Vec<PrincipalArn>,
    pub(crate) deny_delete: bool,
    pub(crate) deny_delete_exempt: Vec<PrincipalArn>,
    pub(crate) deny_insecure_transport: bool,
    pub(crate) policy_admins: Vec<PrincipalArn>,
    pub(crate) key_admins: Vec<PrincipalArn>,
    pub(crate) layout: Option<Layout>,
    pub(crate) create_kms_key: Option<KmsAliasName>,
    pub(crate) object_lock: Option<ObjectLock>,
    pub(crate) access_logs: Option<AccessLogs>,
    pub(crate) lifecycle: Option<Lifecycle>,
}

/// The AWS Organizations organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrganizationSpec {
    pub(crate) id: OrganizationId,
    pub(crate) management_account: AccountId,
    pub(crate) delegated_admins: Vec<AccountId>,
    pub(crate) member_accounts: Vec<AccountId>,
    pub(crate) write_condition: OrganizationWriteCondition,
}

/// Management events of a trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ManagementEventsSpec {
    pub(crate) read_write: ReadWriteType,
    pub(crate) exclude_sources: Vec<ManagementEventSource>,
}

/// A trail to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrailSpec {
    pub(crate) name: TrailName,
    pub(crate) account: AccountId,
    pub(crate) home_region: Region,
    pub(crate) organization: bool,
    pub(crate) multi_region: bool,
    pub(crate) global_service_events: bool,
    pub(crate) log_file_validation: bool,
    pub(crate) management_events: Option<ManagementEventsSpec>,
    pub(crate) data_events: Vec<DataResource>,
    pub(crate) insights: Vec<InsightType>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) sns_topic: Option<String>,
    pub(crate) cloudwatch_logs: Option<(String, PrincipalArn)>,
}

/// A trail that exists already, for the quota check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExistingTrailSpec {
    pub(crate) account: AccountId,
    pub(crate) home_region: Region,
    pub(crate) name: TrailName,
    pub(crate) multi_region: bool,
    pub(crate) organization: bool,
}

/// A whole spec file, read and typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub(crate) partition: Option<Partition>,
    pub(crate) log_archive: LogArchiveSpec,
    pub(crate) organization: Option<OrganizationSpec>,
    pub(crate) trails: Vec<TrailSpec>,
    pub(crate) accounts: Vec<AccountId>,
    pub(crate) existing_trails: Vec<ExistingTrailSpec>,
    pub(crate) org_trail_counts_in_members: bool,
}

impl Spec {
    /// The built-in example: an organization trail, a log-archive account with a KMS key, one
    /// extra account.
    pub const EXAMPLE: &'static str = include_str!("example-spec.json");

    /// A JSON Schema (2020-12) of the spec file: every field the parser accepts, `null` wherever
    /// the parser takes it for "absent". `tests/spec_schema.rs` checks it against the parser
    /// (each object's fields, each null, refusals) and against every fixture spec.
    pub const SCHEMA: &'static str = include_str!("spec-schema.json");

    /// Reads a spec file.
    ///
    /// # Errors
    /// [`SpecError`] naming the field path: malformed JSON, an unknown, missing or duplicated
    /// field, a wrong type, an identifier that does not parse.
    ///
    /// ```
    /// use cloudtrail_policy::Spec;
    /// let err = Spec::from_json(r#"{"log_archive": {"account": "12345"}}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "log_archive.account: invalid account id `12345`: expected exactly 12 digits");
    /// ```
    pub fn from_json(text: &str) -> Result<Spec, SpecError> {
        let tree: Json = serde_json::from_str(text)
            .map_err(|e| SpecError::new("$", SpecErrorKind::Json(e.to_string())))?;
        let mut top = Fields::new(
            "",
            tree,
            &[
                "partition",
                "log_archive",
                "organization",
                "trails",
                "accounts",
                "existing_trails",
                "assume_org_trail_counts_in_member_accounts",
            ],
        )?;
        let partition = top.optional("partition", parsed)?;
        let log_archive: LogArchiveSpec = top.required("log_archive", log_archive)?;
        let organization = top.optional("organization", organization)?;
        // Data-event selectors name resources in the spec's partition.
        let data_partition = partition.unwrap_or_else(|| log_archive.region.partition());
        let trails = top
            .optional("trails", |p, v| {
                list(p, v, |p, v| trail(p, v, data_partition))
            })?
            .unwrap_or_default();
        let accounts = top
            .optional("accounts", |p, v| list(p, v, parsed))?
            .unwrap_or_default();
        let existing_trails = top
            .optional("existing_trails", |p, v| list(p, v, existing_trail))?
            .unwrap_or_default();
        let org_trail_counts_in_members = top
            .optional("assume_org_trail_counts_in_member_accounts", boolean)?
            .unwrap_or(true);
        Ok(Spec {
            partition,
            log_archive,
            organization,
            trails,
            accounts,
            existing_trails,
            org_trail_counts_in_members,
        })
    }

    /// The built-in example spec.
    ///
    /// # Errors
    /// Never in practice: the example is a tested constant.
    pub fn example() -> Result<Spec, SpecError> {
        Spec::from_json(Spec::EXAMPLE)
    }

    /// The partition: as given, or else the log archive region's.
    pub fn partition(&self) -> Partition {
        self.partition
            .unwrap_or_else(|| self.log_archive.region.partition())
    }
}

fn log_archive(path: &str, value: Json) -> Result<LogArchiveSpec, SpecError> {
    let mut f = Fields::new(
        path,
        value,
        &[
            "account",
            "region",
            "bucket",
            "prefix",
            "kms_key",
            "bucket_key",
            "scope_bucket_key_decrypt",
            "readers",
            "deny_delete",
            "deny_delete_exempt",
            "deny_insecure_transport",
            "policy_admins",
            "key_admins",
            "layout",
            "create_kms_key",
            "object_lock",
            "access_logs",
            "lifecycle",
        ],
    )?;
    let kms_key: Option<KmsKeyRef> = f.optional("kms_key", parsed)?;
    let create_kms_key = f.optional("create_kms_key", |p, v| {
        let mut c = Fields::new(p, v, &["alias"])?;
        c.required("alias", parsed)
    })?;
    if kms_key.is_some() && create_kms_key.is_some() {
        return Err(SpecError::new(
            display_path(path),
            SpecErrorKind::Conflict("kms_key", "create_kms_key"),
        ));
    }
    Ok(LogArchiveSpec {
        account: f.required("account", parsed)?,
        region: f.required("region", parsed)?,
        bucket: f.required("bucket", parsed)?,
        prefix: f.optional("prefix", parsed)?,
        kms_key,
        bucket_key: f.optional("bucket_key", boolean)?.unwrap_or(false),
        scope_bucket_key_decrypt: f
            .optional("scope_bucket_key_decrypt", boolean)?
            .unwrap_or(false),
        readers: f
            .optional("readers", |p, v| list(p, v, parsed))?
            .unwrap_or_default(),
        deny_delete: f.optional("deny_delete", boolean)?.unwrap_or(true),
        deny_delete_exempt: f
            .optional("deny_delete_exempt", |p, v| list(p, v, parsed))?
            .unwrap_or_default(),
        deny_insecure_transport: f
            .optional("deny_insecure_transport", boolean)?
            .unwrap_or(true),
        policy_admins: f
            .optional("policy_admins", |p, v| list(p, v, parsed))?
            .unwrap_or_default(),
        key_admins: f
            .optional("key_admins", |p, v| list(p, v, parsed))?
            .unwrap_or_default(),
        layout: f.optional("layout", |p, v| {
            choice(p, v, "`strict`, `documented`", |s| match s {
                "strict" => Some(Layout::Strict),
                "documented" => Some(Layout::Documented),
                _ => None,
            })
        })?,
        create_kms_key,
        object_lock: f.optional("object_lock", object_lock)?,
        access_logs: f.optional("access_logs", access_logs)?,
        lifecycle: f.optional("lifecycle", lifecycle)?,
    })
}

/// `{"mode": "GOVERNANCE" | "COMPLIANCE", "days": N}`, N ≥ 1.
fn object_lock(path: &str, value: Json) -> Result<ObjectLock, SpecError> {
    let mut f = Fields::new(path, value, &["mode", "days"])?;
    let mode = f.required("mode", |p, v| {
        keyword(p, v, RetentionMode::ALL, RetentionMode::as_str)
    })?;
    let days = f.required("days", |p, v| match v {
        Json::Number(n) => n
            .parse::<u32>()
            .ok()
            .and_then(std::num::NonZeroU32::new)
            .ok_or_else(|| type_error(p, "a whole number of days, at least 1", &Json::Number(n))),
        other => Err(type_error(p, "a whole number of days, at least 1", &other)),
    })?;
    Ok(ObjectLock::new(mode, days))
}

/// A whole number of days, at least 1.
fn days(path: &str, value: Json) -> Result<std::num::NonZeroU32, SpecError> {
    match value {
        Json::Number(n) => n
            .parse::<u32>()
            .ok()
            .and_then(std::num::NonZeroU32::new)
            .ok_or_else(|| {
                type_error(path, "a whole number of days, at least 1", &Json::Number(n))
            }),
        other => Err(type_error(
            path,
            "a whole number of days, at least 1",
            &other,
        )),
    }
}

/// `{"transitions": [{"days": N, "storage_class": "GLACIER"}], "expiration_days": N,
/// "noncurrent_expiration_days": N}`, each optional but not all.
fn lifecycle(path: &str, value: Json) -> Result<Lifecycle, SpecError> {
    let mut f = Fields::new(
        path,
        value,
        &[
            "transitions",
            "expiration_days",
            "noncurrent_expiration_days",
        ],
    )?;
    let transitions = f
        .optional("transitions", |p, v| {
            list(p, v, |p, v| {
                let mut t = Fields::new(p, v, &["days", "storage_class"])?;
                let days = t.required("days", days)?;
                let class = t.required("storage_class", |p, v| {
                    keyword(p, v, StorageClass::ALL, StorageClass::as_str)
                })?;
                Ok(Transition::new(days, class))
            })
        })?
        .unwrap_or_default();
    let expiration = f.optional("expiration_days", days)?;
    let noncurrent = f.optional("noncurrent_expiration_days", days)?;
    Lifecycle::new(transitions, expiration, noncurrent)
        .map_err(|e| SpecError::new(display_path(path), e.into()))
}

/// `{"bucket": "B", "prefix": "P"}`; the prefix defaults to none (`""`).
fn access_logs(path: &str, value: Json) -> Result<AccessLogs, SpecError> {
    let mut f = Fields::new(path, value, &["bucket", "prefix"])?;
    let bucket = f.required("bucket", parsed)?;
    let prefix_path = format!("{path}.prefix");
    let prefix = f.optional("prefix", string)?.unwrap_or_default();
    AccessLogs::new(bucket, prefix).map_err(|e| SpecError::new(prefix_path, e.into()))
}

fn organization(path: &str, value: Json) -> Result<OrganizationSpec, SpecError> {
    let mut f = Fields::new(
        path,
        value,
        &[
            "id",
            "management_account",
            "delegated_admins",
            "member_accounts",
            "write_condition",
        ],
    )?;
    Ok(OrganizationSpec {
        id: f.required("id", parsed)?,
        management_account: f.required("management_account", parsed)?,
        delegated_admins: f
            .optional("delegated_admins", |p, v| list(p, v, parsed))?
            .unwrap_or_default(),
        member_accounts: f
            .optional("member_accounts", |p, v| list(p, v, parsed))?
            .unwrap_or_default(),
        write_condition: f
            .optional("write_condition", |p, v| {
                choice(p, v, "`source-arn`, `source-org-id`", |s| match s {
                    "source-arn" => Some(OrganizationWriteCondition::SourceArn),
                    "source-org-id" => Some(OrganizationWriteCondition::SourceOrgId),
                    _ => None,
                })
            })?
            .unwrap_or_default(),
    })
}

fn trail(path: &str, value: Json, partition: Partition) -> Result<TrailSpec, SpecError> {
    let mut f = Fields::new(
        path,
        value,
        &[
            "name",
            "account",
            "home_region",
            "organization",
            "multi_region",
            "global_service_events",
            "log_file_validation",
            "management_events",
            "data_events",
            "insights",
            "tags",
            "sns_topic",
            "cloudwatch_logs",
        ],
    )?;
    Ok(TrailSpec {
        name: f.required("name", parsed)?,
        account: f.required("account", parsed)?,
        home_region: f.required("home_region", parsed)?,
        organization: f.optional("organization", boolean)?.unwrap_or(false),
        multi_region: f.optional("multi_region", boolean)?.unwrap_or(true),
        global_service_events: f
            .optional("global_service_events", boolean)?
            .unwrap_or(true),
        log_file_validation: f.optional("log_file_validation", boolean)?.unwrap_or(true),
        management_events: f.optional("management_events", management_events)?,
        data_events: f
            .optional("data_events", |p, v| {
                list(p, v, |p, v| data_event(p, v, partition))
            })?
            .unwrap_or_default(),
        insights: f
            .optional("insights", |p, v| {
                list(p, v, |p, v| {
                    keyword(p, v, InsightType::ALL, InsightType::as_str)
                })
            })?
            .unwrap_or_default(),
        tags: f.optional("tags", string_map)?.unwrap_or_default(),
        sns_topic: f.optional("sns_topic", string)?,
        cloudwatch_logs: f.optional("cloudwatch_logs", |p, v| {
            let mut c = Fields::new(p, v, &["log_group", "role"])?;
            Ok((
                c.required("log_group", string)?,
                c.required("role", parsed)?,
            ))
        })?,
    })
}

fn management_events(path: &str, value: Json) -> Result<ManagementEventsSpec, SpecError> {
    let mut f = Fields::new(path, value, &["read_write", "exclude_sources"])?;
    Ok(ManagementEventsSpec {
        read_write: f
            .optional("read_write", |p, v| {
                keyword(p, v, ReadWriteType::ALL, ReadWriteType::as_str)
            })?
            .unwrap_or(ReadWriteType::All),
        exclude_sources: f
            .optional("exclude_sources", |p, v| {
                list(p, v, |p, v| {
                    keyword(
                        p,
                        v,
                        ManagementEventSource::ALL,
                        ManagementEventSource::as_str,
                    )
                })
            })?
            .unwrap_or_default(),
    })
}

/// `{"s3": "all" | "bucket" | "bucket/prefix"}`, `{"lambda": "all" | "<function arn>"}` or
/// `{"dynamodb": "all" | "<table arn>"}`.
fn data_event(path: &str, value: Json, partition: Partition) -> Result<DataResource, SpecError> {
    let mut f = Fields::new(path, value, &["s3", "lambda", "dynamodb"])?;
    let s3 = f.optional("s3", string)?;
    let lambda = f.optional("lambda", string)?;
    let dynamodb = f.optional("dynamodb", string)?;
    let resource = match (s3, lambda, dynamodb) {
        (Some(s), None, None) if s == "all" => Ok(DataResource::all_s3_objects(partition)),
        (Some(s), None, None) => {
            let (bucket, prefix) = match s.split_once('/') {
                Some((b, p)) => (b, Some(p)),
                None => (s.as_str(), None),
            };
            let bucket = BucketName::from_str(bucket)
                .map_err(|e| SpecError::new(format!("{path}.s3"), e.into()))?;
            match prefix {
                Some(prefix) => DataResource::s3_prefix(partition, &bucket, prefix),
                None => Ok(DataResource::s3_bucket(partition, &bucket)),
            }
        }
        (None, Some(l), None) if l == "all" => Ok(DataResource::all_lambda_functions(partition)),
        (None, Some(l), None) => DataResource::lambda_function(&l),
        (None, None, Some(d)) if d == "all" => Ok(DataResource::all_dynamodb_tables(partition)),
        (None, None, Some(d)) => DataResource::dynamodb_table(&d),
        _ => {
            return Err(SpecError::new(
                path,
                SpecErrorKind::Type {
                    expected: "an object with exactly one of `s3`, `lambda`, `dynamodb`",
                    found: "another shape".into(),
                },
            ));
        }
    };
    resource.map_err(|e| SpecError::new(path, e.into()))
}

fn existing_trail(path: &str, value: Json) -> Result<ExistingTrailSpec, SpecError> {
    let mut f = Fields::new(
        path,
        value,
        &[
            "account",
            "home_region",
            "name",
            "multi_region",
            "organization",
        ],
    )?;
    Ok(ExistingTrailSpec {
        account: f.required("account", parsed)?,
        home_region: f.required("home_region", parsed)?,
        name: f.required("name", parsed)?,
        multi_region: f.optional("multi_region", boolean)?.unwrap_or(false),
        organization: f.optional("organization", boolean)?.unwrap_or(false),
    })
}

/// The members of one JSON object, checked against the fields allowed there.
struct Fields {
    path: String,
    members: Vec<(String, Json)>,
}

impl Fields {
    fn new(path: &str, value: Json, allowed: &[&str]) -> Result<Fields, SpecError> {
        let Json::Object(members) = value else {
            return Err(SpecError::new(
                display_path(path),
                SpecErrorKind::Type {
                    expected: "an object",
                    found: value.describe(),
                },
            ));
        };
        for (index, (name, _)) in members.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(SpecError::new(
                    display_path(path),
                    SpecErrorKind::UnknownField {
                        field: name.clone(),
                        expected: allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                ));
            }
            if members.iter().take(index).any(|(n, _)| n == name) {
                return Err(SpecError::new(
                    display_path(path),
                    SpecErrorKind::DuplicateField(name.clone()),
                ));
            }
        }
        Ok(Fields {
            path: path.to_owned(),
            members,
        })
    }

    fn child(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    fn take(&mut self, name: &str) -> Option<Json> {
        let index = self.members.iter().position(|(n, _)| n == name)?;
        Some(self.members.swap_remove(index).1)
    }

    fn optional<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&str, Json) -> Result<T, SpecError>,
    ) -> Result<Option<T>, SpecError> {
        match self.take(name) {
            None | Some(Json::Null) => Ok(None),
            Some(value) => read(&self.child(name), value).map(Some),
        }
    }

    fn required<T>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&str, Json) -> Result<T, SpecError>,
    ) -> Result<T, SpecError> {
        let path = display_path(&self.path);
        self.optional(name, read)?
            .ok_or_else(|| SpecError::new(path, SpecErrorKind::MissingField(name)))
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "$".into()
    } else {
        path.into()
    }
}

fn type_error(path: &str, expected: &'static str, value: &Json) -> SpecError {
    SpecError::new(
        path,
        SpecErrorKind::Type {
            expected,
            found: value.describe(),
        },
    )
}

fn string(path: &str, value: Json) -> Result<String, SpecError> {
    match value {
        Json::String(s) => Ok(s),
        other => Err(type_error(path, "a string", &other)),
    }
}

fn boolean(path: &str, value: Json) -> Result<bool, SpecError> {
    match value {
        Json::Bool(b) => Ok(b),
        other => Err(type_error(path, "true or false", &other)),
    }
}

fn parsed<T: FromStr<Err = ParseError>>(path: &str, value: Json) -> Result<T, SpecError> {
    let s = string(path, value)?;
    s.parse()
        .map_err(|e: ParseError| SpecError::new(path, e.into()))
}

fn choice<T>(
    path: &str,
    value: Json,
    expected: &'static str,
    pick: impl FnOnce(&str) -> Option<T>,
) -> Result<T, SpecError> {
    let s = string(path, value)?;
    pick(&s).ok_or_else(|| {
        SpecError::new(
            path,
            SpecErrorKind::Value {
                found: s,
                expected: expected.to_owned(),
            },
        )
    })
}

/// One of the `names` of `options`, written exactly.
fn keyword<T: Copy>(
    path: &str,
    value: Json,
    options: impl IntoIterator<Item = T> + Clone,
    name: impl Fn(T) -> &'static str,
) -> Result<T, SpecError> {
    let s = string(path, value)?;
    options
        .clone()
        .into_iter()
        .find(|o| name(*o) == s)
        .ok_or_else(|| {
            let expected = options
                .into_iter()
                .map(|o| format!("`{}`", name(o)))
                .collect::<Vec<_>>()
                .join(", ");
            SpecError::new(path, SpecErrorKind::Value { found: s, expected })
        })
}

fn list<T>(
    path: &str,
    value: Json,
    mut item: impl FnMut(&str, Json) -> Result<T, SpecError>,
) -> Result<Vec<T>, SpecError> {
    match value {
        Json::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| item(&format!("{path}[{i}]"), v))
            .collect(),
        other => Err(type_error(path, "an array", &other)),
    }
}

fn string_map(path: &str, value: Json) -> Result<BTreeMap<String, String>, SpecError> {
    let Json::Object(members) = value else {
        return Err(type_error(path, "an object of strings", &value));
    };
    let mut out = BTreeMap::new();
    for (k, v) in members {
        let p = format!("{path}.{k}");
        let v = string(&p, v)?;
        if out.insert(k.clone(), v).is_some() {
            return Err(SpecError::new(path, SpecErrorKind::DuplicateField(k)));
        }
    }
    Ok(out)
}
