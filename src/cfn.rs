//! CloudFormation templates (JSON) for the log archive and each trail.
//!
//! Property names are those of the CloudFormation template reference:
//! - `AWS::S3::Bucket`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html>
//!   (`BucketName`, `PublicAccessBlockConfiguration`, `BucketEncryption` →
//!   `ServerSideEncryptionConfiguration` → [`ServerSideEncryptionByDefault` { `SSEAlgorithm`,
//!   `KMSMasterKeyID` }, `BucketKeyEnabled`], `VersioningConfiguration` { `Status` },
//!   `OwnershipControls` { `Rules`: [{ `ObjectOwnership` }] }, `ObjectLockEnabled` (boolean),
//!   `ObjectLockConfiguration` { `ObjectLockEnabled`: `Enabled`, `Rule` { `DefaultRetention`
//!   { `Mode`, `Days` } } }, `LoggingConfiguration` { `DestinationBucketName`, `LogFilePrefix` },
//!   `LifecycleConfiguration` { `Rules`: [{ `Id`, `Status`, `Prefix`, `Transitions`: [{
//!   `StorageClass`, `TransitionInDays` }], `ExpirationInDays`, `NoncurrentVersionExpiration` {
//!   `NoncurrentDays` } }] });
//! - `AWS::S3::BucketPolicy`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html>
//!   (`Bucket`, `PolicyDocument`);
//! - `AWS::KMS::Key`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html>
//!   (`Description`, `EnableKeyRotation`, `KeyPolicy`);
//!   `AWS::KMS::Alias`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-alias.html>
//!   (`AliasName`, `TargetKeyId`);
//! - `AWS::CloudTrail::Trail`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudtrail-trail.html>
//!   (`TrailName`, `S3BucketName`, `S3KeyPrefix`, `SnsTopicName`, `IsLogging` (required),
//!   `IsMultiRegionTrail`, `IncludeGlobalServiceEvents`, `EnableLogFileValidation`, `KMSKeyId`,
//!   `IsOrganizationTrail`, `CloudWatchLogsLogGroupArn`, `CloudWatchLogsRoleArn`,
//!   `EventSelectors`, `AdvancedEventSelectors`, `InsightSelectors`, `Tags` [{ `Key`, `Value` }]);
//! - `AWS::IAM::Role`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html>
//!   (`RoleName`, `Path`, `AssumeRolePolicyDocument`, `Policies` [{ `PolicyName`,
//!   `PolicyDocument` }]);
//! - `AWS::Logs::LogGroup`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html>
//!   (`LogGroupName`).
//!
//! The names were read in the resource schemas that `cfn-lint` 1.58.0 ships (the registry
//! schemas behind those pages), and every generated template passes `cfn-lint`.
//!
//! Templates have no `Parameters`: every value comes from the spec. Maps are `serde_json` maps,
//! so keys come out sorted and the bytes are deterministic.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::bucket_settings::BucketSettings;
use crate::plan::{KeySource, Plan, PlannedTrail};

const FORMAT_VERSION: &str = "2010-09-09";

/// The CloudFormation property of a value the S3 or CloudTrail API takes with the same members
/// (the templates and the request bodies are built from one typed value, so they cannot differ).
fn value<T: Serialize>(v: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(v)
}

fn obj<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Map<String, Value>>(),
    )
}

fn s(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

fn get_att(resource: &str, attribute: &str) -> Value {
    obj([("Fn::GetAtt", Value::Array(vec![s(resource), s(attribute)]))])
}

fn reference(resource: &str) -> Value {
    obj([("Ref", s(resource))])
}

/// Retained on stack deletion and replacement: a log archive outlives its stack.
fn retained(kind: &str, properties: Value) -> Value {
    obj([
        ("Type", s(kind)),
        ("DeletionPolicy", s("Retain")),
        ("UpdateReplacePolicy", s("Retain")),
        ("Properties", properties),
    ])
}

/// The log-archive stack: the bucket with its settings, its bucket policy, and the KMS key (with
/// its alias) when the spec asks the stack to create it.
///
/// Deploy it first, in the log-archive account and region its `Description` names. Its outputs
/// are the bucket ARN and, with a created key, the key ARN.
pub(crate) fn log_archive_template(
    plan: &Plan,
    settings: &BucketSettings,
) -> Result<Value, serde_json::Error> {
    let bucket = plan.log_archive_bucket();
    let created = match plan.key_source() {
        Some(KeySource::Created(created)) => Some(created),
        _ => None,
    };

    let mut by_default = Map::new();
    let encryption = &settings.encryption.server_side_encryption_configuration;
    let mut rules = Vec::new();
    for rule in &encryption.rules {
        let d = &rule.apply_server_side_encryption_by_default;
        by_default.insert("SSEAlgorithm".into(), s(d.sse_algorithm));
        match (created, &d.kms_master_key_id) {
            (Some(_), _) => {
                by_default.insert("KMSMasterKeyID".into(), get_att("LogArchiveKey", "Arn"));
            }
            (None, Some(id)) => {
                by_default.insert("KMSMasterKeyID".into(), s(id.clone()));
            }
            (None, None) => {}
        }
        let mut r = Map::new();
        r.insert(
            "ServerSideEncryptionByDefault".into(),
            Value::Object(by_default.clone()),
        );
        if let Some(on) = rule.bucket_key_enabled {
            r.insert("BucketKeyEnabled".into(), Value::Bool(on));
        }
        rules.push(Value::Object(r));
    }

    let mut properties = Map::new();
    properties.insert("BucketName".into(), s(bucket.as_str()));
    properties.insert(
        "PublicAccessBlockConfiguration".into(),
        value(
            &settings
                .public_access_block
                .public_access_block_configuration,
        )?,
    );
    properties.insert(
        "BucketEncryption".into(),
        obj([("ServerSideEncryptionConfiguration", Value::Array(rules))]),
    );
    properties.insert(
        "VersioningConfiguration".into(),
        value(&settings.versioning.versioning_configuration)?,
    );
    properties.insert(
        "OwnershipControls".into(),
        value(&settings.ownership.ownership_controls)?,
    );
    if let Some(logging) = &settings.logging {
        // `LoggingConfiguration` { `DestinationBucketName`, `LogFilePrefix` }:
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-loggingconfiguration.html
        // CloudFormation does not add the destination's bucket policy; the plan writes it
        // (access-logs.bucket-policy.json).
        let enabled = &logging.bucket_logging_status.logging_enabled;
        let mut config = Map::new();
        config.insert(
            "DestinationBucketName".into(),
            s(enabled.target_bucket.as_str()),
        );
        if !enabled.target_prefix.is_empty() {
            config.insert("LogFilePrefix".into(), s(enabled.target_prefix.clone()));
        }
        properties.insert("LoggingConfiguration".into(), Value::Object(config));
    }
    if let Some(lifecycle) = &settings.lifecycle {
        // `LifecycleConfiguration` { `Rules`: [`Rule`] }; CloudFormation's rule has a flat
        // `Prefix`, `TransitionInDays` and `ExpirationInDays` where the API has `Filter`, `Days`
        // and `Expiration` { `Days` }:
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-rule.html
        let rules = lifecycle
            .lifecycle_configuration
            .rules
            .iter()
            .map(|rule| {
                let mut r = Map::new();
                r.insert("Id".into(), s(rule.id));
                r.insert("Status".into(), s(rule.status));
                r.insert("Prefix".into(), s(rule.filter.prefix.clone()));
                if !rule.transitions.is_empty() {
                    r.insert(
                        "Transitions".into(),
                        Value::Array(
                            rule.transitions
                                .iter()
                                .map(|t| {
                                    obj([
                                        ("StorageClass", s(t.storage_class.as_str())),
                                        ("TransitionInDays", Value::from(t.days)),
                                    ])
                                })
                                .collect(),
                        ),
                    );
                }
                if let Some(expiration) = &rule.expiration {
                    r.insert("ExpirationInDays".into(), Value::from(expiration.days));
                }
                if let Some(noncurrent) = &rule.noncurrent_version_expiration {
                    r.insert(
                        "NoncurrentVersionExpiration".into(),
                        obj([("NoncurrentDays", Value::from(noncurrent.noncurrent_days))]),
                    );
                }
                Value::Object(r)
            })
            .collect();
        properties.insert(
            "LifecycleConfiguration".into(),
            obj([("Rules", Value::Array(rules))]),
        );
    }
    if let Some(lock) = &settings.object_lock {
        properties.insert("ObjectLockEnabled".into(), Value::Bool(true));
        properties.insert(
            "ObjectLockConfiguration".into(),
            value(&lock.object_lock_configuration)?,
        );
    }

    let mut resources = Map::new();
    resources.insert(
        "LogArchiveBucket".into(),
        retained("AWS::S3::Bucket", Value::Object(properties)),
    );
    resources.insert(
        "LogArchiveBucketPolicy".into(),
        obj([
            ("Type", s("AWS::S3::BucketPolicy")),
            (
                "Properties",
                obj([
                    ("Bucket", reference("LogArchiveBucket")),
                    ("PolicyDocument", value(plan.bucket_policy().document())?),
                ]),
            ),
        ]),
    );
    let mut outputs = Map::new();
    outputs.insert(
        "BucketArn".into(),
        obj([
            ("Description", s("The log-archive bucket")),
            ("Value", get_att("LogArchiveBucket", "Arn")),
        ]),
    );
    if let (Some(created), Some(key_policy)) = (created, plan.key_policy()) {
        resources.insert(
            "LogArchiveKey".into(),
            retained(
                "AWS::KMS::Key",
                obj([
                    (
                        "Description",
                        s(format!("CloudTrail log encryption for bucket {bucket}")),
                    ),
                    ("EnableKeyRotation", Value::Bool(true)),
                    ("KeyPolicy", value(key_policy.document())?),
                ]),
            ),
        );
        resources.insert(
            "LogArchiveKeyAlias".into(),
            obj([
                ("Type", s("AWS::KMS::Alias")),
                (
                    "Properties",
                    obj([
                        ("AliasName", s(created.alias().as_str())),
                        ("TargetKeyId", reference("LogArchiveKey")),
                    ]),
                ),
            ]),
        );
        outputs.insert(
            "KeyArn".into(),
            obj([
                (
                    "Description",
                    s(format!(
                        "The log key; the trails name it by its alias ARN {}",
                        created.alias_arn()
                    )),
                ),
                ("Value", get_att("LogArchiveKey", "Arn")),
            ]),
        );
    }

    Ok(obj([
        ("AWSTemplateFormatVersion", s(FORMAT_VERSION)),
        (
            "Description",
            s(format!(
                "CloudTrail log archive: bucket {bucket}. Deploy in account {} in region {}, before the trail stacks.",
                plan.log_archive_account(),
                plan.log_archive_region()
            )),
        ),
        ("Resources", Value::Object(resources)),
        ("Outputs", Value::Object(outputs)),
    ]))
}

/// The stack of one trail: the `AWS::CloudTrail::Trail` with its request bodies' settings and
/// `IsLogging: true` (for an organization trail created from a delegated administrator,
/// `IsLogging: false` and no selectors: see [`PlannedTrail::by_delegated_administrator`]), plus, when the trail sends events to CloudWatch Logs, the log group and the
/// role CloudTrail assumes (named as in the spec, with the generated trust and permissions
/// policies).
///
/// Deploy it after the log-archive stack, in the account and home region its `Description`
/// names.
pub(crate) fn trail_template(
    plan: &Plan,
    trail: &PlannedTrail,
) -> Result<Value, serde_json::Error> {
    let config = trail.config();
    let ct = config.create_trail();
    let mut p = Map::new();
    p.insert("TrailName".into(), s(ct.name().as_str()));
    p.insert("S3BucketName".into(), s(ct.s3_bucket_name().as_str()));
    if let Some(prefix) = ct.s3_key_prefix() {
        p.insert("S3KeyPrefix".into(), s(prefix.as_str()));
    }
    if let Some(topic) = ct.sns_topic_name() {
        p.insert("SnsTopicName".into(), s(topic));
    }
    // From a delegated administrator, CloudFormation's StartLogging by name fails
    // (`PlannedTrail::by_delegated_administrator` has the sources): the trail is created
    // stopped and without selectors, and the plan's finding gives the commands that name it by
    // its ARN.
    let delegated = trail.by_delegated_administrator();
    p.insert("IsLogging".into(), Value::Bool(!delegated));
    p.insert(
        "IsMultiRegionTrail".into(),
        Value::Bool(ct.is_multi_region_trail()),
    );
    p.insert(
        "IncludeGlobalServiceEvents".into(),
        Value::Bool(ct.include_global_service_events()),
    );
    p.insert(
        "EnableLogFileValidation".into(),
        Value::Bool(ct.enable_log_file_validation()),
    );
    p.insert(
        "IsOrganizationTrail".into(),
        Value::Bool(ct.is_organization_trail()),
    );
    if let Some(key) = ct.kms_key_id() {
        p.insert("KMSKeyId".into(), s(key.as_str()));
    }
    let selectors = config.event_selectors();
    if let (false, Some(list)) = (delegated, selectors.event_selectors()) {
        p.insert("EventSelectors".into(), value(&list)?);
    }
    if let (false, Some(list)) = (delegated, selectors.advanced_event_selectors()) {
        p.insert("AdvancedEventSelectors".into(), value(&list)?);
    }
    if let (false, Some(insights)) = (delegated, config.insight_selectors()) {
        p.insert(
            "InsightSelectors".into(),
            value(&insights.insight_selectors())?,
        );
    }
    let tags: Vec<Value> = ct
        .tags_list()
        .iter()
        .map(|t| {
            obj([
                ("Key", s(t.key())),
                // CloudFormation requires a Value; CloudTrail's is optional. The spec always
                // gives one.
                ("Value", s(t.value().unwrap_or_default())),
            ])
        })
        .collect();
    if !tags.is_empty() {
        p.insert("Tags".into(), Value::Array(tags));
    }

    let mut resources = Map::new();
    let mut depends_on = Vec::new();
    if let Some(cw) = config.cloudwatch_logs() {
        // The role and log group are named as in the spec, so the ARNs in the trail's request
        // bodies are the ones CloudFormation creates; the trail waits for both.
        p.insert("CloudWatchLogsLogGroupArn".into(), s(cw.log_group_arn()));
        p.insert("CloudWatchLogsRoleArn".into(), s(cw.role_arn().as_str()));
        let role = cw.role_arn();
        let (path, name) = (
            role.path().unwrap_or_else(|| "/".to_owned()),
            role.name().unwrap_or_default(),
        );
        resources.insert(
            "CloudWatchLogsGroup".into(),
            retained(
                "AWS::Logs::LogGroup",
                obj([("LogGroupName", s(cw.log_group_name()))]),
            ),
        );
        resources.insert(
            "CloudWatchLogsRole".into(),
            obj([
                ("Type", s("AWS::IAM::Role")),
                (
                    "Properties",
                    obj([
                        ("RoleName", s(name)),
                        ("Path", s(path)),
                        ("AssumeRolePolicyDocument", value(&cw.trust_policy())?),
                        (
                            "Policies",
                            Value::Array(vec![obj([
                                ("PolicyName", s("CloudTrailCloudWatchLogs")),
                                ("PolicyDocument", value(&cw.permissions_policy())?),
                            ])]),
                        ),
                    ]),
                ),
            ]),
        );
        depends_on.push(s("CloudWatchLogsGroup"));
        depends_on.push(s("CloudWatchLogsRole"));
    }
    let mut trail_resource = Map::new();
    trail_resource.insert("Type".into(), s("AWS::CloudTrail::Trail"));
    if !depends_on.is_empty() {
        trail_resource.insert("DependsOn".into(), Value::Array(depends_on));
    }
    trail_resource.insert("Properties".into(), Value::Object(p));
    resources.insert("Trail".into(), Value::Object(trail_resource));

    let key_note = match plan.key_source() {
        Some(KeySource::Created(_)) => {
            " The log-archive stack creates the KMS key it names by alias."
        }
        _ => "",
    };
    let start_note = if delegated {
        format!(
            " Created from a delegated administrator: it is created stopped, without selectors; then run put-event-selectors and start-logging --name {} (see findings.json).",
            config.arn()
        )
    } else {
        String::new()
    };
    Ok(obj([
        ("AWSTemplateFormatVersion", s(FORMAT_VERSION)),
        (
            "Description",
            s(format!(
                "CloudTrail trail {}: deploy in account {} in region {}, after the log-archive stack (bucket {}).{key_note}{start_note}",
                ct.name(),
                trail.account(),
                config.arn().region(),
                ct.s3_bucket_name()
            )),
        ),
        ("Resources", Value::Object(resources)),
        (
            "Outputs",
            obj([(
                "TrailArn",
                obj([
                    ("Description", s("The trail")),
                    ("Value", get_att("Trail", "Arn")),
                ]),
            )]),
        ),
    ]))
}
