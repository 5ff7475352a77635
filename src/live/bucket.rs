//! The log-archive bucket's settings as `aws s3api get-bucket-…` prints them (output shapes:
//! the S3 API Reference's `GetBucket…` pages, e.g.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html>).

use serde::Deserialize;

use crate::id::Region;

use super::error::OutputRule;
use super::shape::parse;

/// `get-bucket-encryption`: the bucket's default encryption (its first rule; S3 keeps one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketEncryption {
    algorithm: String,
    kms_key: Option<String>,
    bucket_key: bool,
}

impl BucketEncryption {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when it is not `{"ServerSideEncryptionConfiguration": {"Rules": [...]}}`
    /// with at least one rule that has `ApplyServerSideEncryptionByDefault`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            server_side_encryption_configuration: Config,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Config {
            rules: Vec<Rule>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Rule {
            apply_server_side_encryption_by_default: Option<Default>,
            #[serde(default)]
            bucket_key_enabled: bool,
        }
        #[derive(Deserialize)]
        struct Default {
            #[serde(rename = "SSEAlgorithm")]
            algorithm: String,
            #[serde(rename = "KMSMasterKeyID")]
            kms_key: Option<String>,
        }
        let out: Out = parse(text)?;
        let rule = out
            .server_side_encryption_configuration
            .rules
            .into_iter()
            .find(|r| r.apply_server_side_encryption_by_default.is_some())
            .ok_or(OutputRule::Missing(
                "no rule has `ApplyServerSideEncryptionByDefault`",
            ))?;
        let bucket_key = rule.bucket_key_enabled;
        let default = rule
            .apply_server_side_encryption_by_default
            .ok_or(OutputRule::Missing("no default encryption"))?;
        Ok(BucketEncryption {
            algorithm: default.algorithm,
            kms_key: default.kms_key,
            bucket_key,
        })
    }

    /// `SSEAlgorithm`: `AES256`, `aws:kms`, `aws:kms:dsse`.
    pub fn algorithm(&self) -> &str {
        &self.algorithm
    }

    /// `KMSMasterKeyID`, as S3 keeps it (a key id, key ARN, alias name or alias ARN).
    pub fn kms_key(&self) -> Option<&str> {
        self.kms_key.as_deref()
    }

    /// `BucketKeyEnabled` (absent is off).
    pub fn bucket_key(&self) -> bool {
        self.bucket_key
    }
}

/// `get-bucket-versioning`: `Status` and `MFADelete`. "If the versioning state has never been set
/// on a bucket, it has no versioning state; a GetBucketVersioning request does not return a
/// versioning state value"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketVersioning {
    status: VersioningStatus,
    mfa_delete: bool,
}

/// A bucket's versioning state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersioningStatus {
    /// `Enabled`.
    Enabled,
    /// `Suspended`: new objects get no version, so an overwrite or delete loses the log.
    Suspended,
    /// Never set.
    Never,
}

impl BucketVersioning {
    /// Reads the output (empty when versioning was never set).
    ///
    /// # Errors
    /// [`OutputRule`] for another shape or a status other than `Enabled`/`Suspended`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        struct Out {
            #[serde(rename = "Status")]
            status: Option<String>,
            #[serde(rename = "MFADelete")]
            mfa_delete: Option<String>,
        }
        let out: Out = parse(text)?;
        let status = match out.status.as_deref() {
            None => VersioningStatus::Never,
            Some("Enabled") => VersioningStatus::Enabled,
            Some("Suspended") => VersioningStatus::Suspended,
            Some(other) => {
                return Err(OutputRule::Value {
                    member: "Status",
                    found: other.to_owned(),
                    expected: "`Enabled`, `Suspended`",
                });
            }
        };
        let mfa_delete = match out.mfa_delete.as_deref() {
            None | Some("Disabled") => false,
            Some("Enabled") => true,
            Some(other) => {
                return Err(OutputRule::Value {
                    member: "MFADelete",
                    found: other.to_owned(),
                    expected: "`Enabled`, `Disabled`",
                });
            }
        };
        Ok(BucketVersioning { status, mfa_delete })
    }

    /// The versioning state.
    pub fn status(&self) -> VersioningStatus {
        self.status
    }

    /// Whether MFA delete is on.
    pub fn mfa_delete(&self) -> bool {
        self.mfa_delete
    }
}

/// `get-public-access-block`: the bucket's four public access blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlock {
    #[serde(default)]
    block_public_acls: bool,
    #[serde(default)]
    ignore_public_acls: bool,
    #[serde(default)]
    block_public_policy: bool,
    #[serde(default)]
    restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when it is not `{"PublicAccessBlockConfiguration": {...}}`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            public_access_block_configuration: PublicAccessBlock,
        }
        parse::<Out>(text).map(|o| o.public_access_block_configuration)
    }

    /// The names of the blocks that are off (`BlockPublicAcls`, …), in S3's order.
    pub fn off(&self) -> Vec<&'static str> {
        [
            ("BlockPublicAcls", self.block_public_acls),
            ("IgnorePublicAcls", self.ignore_public_acls),
            ("BlockPublicPolicy", self.block_public_policy),
            ("RestrictPublicBuckets", self.restrict_public_buckets),
        ]
        .into_iter()
        .filter(|(_, on)| !on)
        .map(|(name, _)| name)
        .collect()
    }
}

/// `get-bucket-ownership-controls`: the object ownership setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipControls {
    object_ownership: String,
}

impl OwnershipControls {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when it is not `{"OwnershipControls": {"Rules": [{"ObjectOwnership": …}]}}`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            ownership_controls: Controls,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Controls {
            rules: Vec<Rule>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Rule {
            object_ownership: String,
        }
        let out: Out = parse(text)?;
        let rule = out
            .ownership_controls
            .rules
            .into_iter()
            .next()
            .ok_or(OutputRule::Missing("no ownership rule"))?;
        Ok(OwnershipControls {
            object_ownership: rule.object_ownership,
        })
    }

    /// `ObjectOwnership`: `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`.
    pub fn object_ownership(&self) -> &str {
        &self.object_ownership
    }
}

/// `get-bucket-logging`: where the bucket's server access logs go, if anywhere (the output is
/// empty without logging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketLogging {
    target: Option<(String, String)>,
}

impl BucketLogging {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] for another shape.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            logging_enabled: Option<Enabled>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Enabled {
            target_bucket: String,
            #[serde(default)]
            target_prefix: String,
        }
        let out: Out = parse(text)?;
        Ok(BucketLogging {
            target: out
                .logging_enabled
                .map(|e| (e.target_bucket, e.target_prefix)),
        })
    }

    /// `(TargetBucket, TargetPrefix)`, when logging is on.
    pub fn target(&self) -> Option<(&str, &str)> {
        self.target.as_ref().map(|(b, p)| (b.as_str(), p.as_str()))
    }
}

/// `get-bucket-lifecycle-configuration`: the bucket's lifecycle rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleRules {
    rules: Vec<LifecycleRule>,
}

/// One lifecycle rule, as far as the audit reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleRule {
    id: Option<String>,
    enabled: bool,
    prefix: Option<String>,
    other_filters: bool,
    expiration_days: Option<u32>,
    expiration_date: bool,
    noncurrent_days: Option<u32>,
    transitions: Vec<(Option<u32>, String)>,
}

impl LifecycleRules {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when it is not `{"Rules": [...]}` or a rule's `Status` is neither
    /// `Enabled` nor `Disabled`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            rules: Vec<Rule>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Rule {
            #[serde(rename = "ID")]
            id: Option<String>,
            status: String,
            prefix: Option<String>,
            filter: Option<Filter>,
            expiration: Option<Expiration>,
            noncurrent_version_expiration: Option<Noncurrent>,
            #[serde(default)]
            transitions: Vec<RuleTransition>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Filter {
            prefix: Option<String>,
            and: Option<And>,
            tag: Option<serde::de::IgnoredAny>,
            object_size_greater_than: Option<serde::de::IgnoredAny>,
            object_size_less_than: Option<serde::de::IgnoredAny>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct And {
            prefix: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Expiration {
            days: Option<u32>,
            date: Option<serde::de::IgnoredAny>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Noncurrent {
            noncurrent_days: Option<u32>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct RuleTransition {
            days: Option<u32>,
            storage_class: String,
        }
        let out: Out = parse(text)?;
        let mut rules = Vec::with_capacity(out.rules.len());
        for r in out.rules {
            let enabled = match r.status.as_str() {
                "Enabled" => true,
                "Disabled" => false,
                other => {
                    return Err(OutputRule::Value {
                        member: "Rules[].Status",
                        found: other.to_owned(),
                        expected: "`Enabled`, `Disabled`",
                    });
                }
            };
            let (prefix, other_filters) = match r.filter {
                None => (r.prefix, false),
                Some(f) => {
                    let others = f.tag.is_some()
                        || f.object_size_greater_than.is_some()
                        || f.object_size_less_than.is_some()
                        || f.and.is_some();
                    (
                        f.prefix.or(f.and.and_then(|a| a.prefix)).or(r.prefix),
                        others,
                    )
                }
            };
            rules.push(LifecycleRule {
                id: r.id,
                enabled,
                prefix,
                other_filters,
                expiration_days: r.expiration.as_ref().and_then(|e| e.days),
                expiration_date: r.expiration.is_some_and(|e| e.date.is_some()),
                noncurrent_days: r
                    .noncurrent_version_expiration
                    .and_then(|n| n.noncurrent_days),
                transitions: r
                    .transitions
                    .into_iter()
                    .map(|t| (t.days, t.storage_class))
                    .collect(),
            });
        }
        Ok(LifecycleRules { rules })
    }

    /// The rules, in the output's order.
    pub fn rules(&self) -> &[LifecycleRule] {
        &self.rules
    }
}

impl LifecycleRule {
    /// `ID`.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `Status` is `Enabled`.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The key prefix the rule is limited to (`Filter.Prefix`, `Filter.And.Prefix` or the
    /// older top-level `Prefix`); `None` or empty for the whole bucket.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// Whether the rule also filters by tag or object size, which the audit does not narrow
    /// further.
    pub fn other_filters(&self) -> bool {
        self.other_filters
    }

    /// `Expiration.Days`.
    pub fn expiration_days(&self) -> Option<u32> {
        self.expiration_days
    }

    /// Whether it has `Expiration.Date`.
    pub fn expiration_date(&self) -> bool {
        self.expiration_date
    }

    /// `NoncurrentVersionExpiration.NoncurrentDays`.
    pub fn noncurrent_days(&self) -> Option<u32> {
        self.noncurrent_days
    }

    /// `Transitions` as (`Days`, `StorageClass`).
    pub fn transitions(&self) -> &[(Option<u32>, String)] {
        &self.transitions
    }

    /// Whether the rule deletes objects: it is enabled and has an expiration or a
    /// noncurrent-version expiration. In a versioned bucket an expiration places a delete
    /// marker and keeps the object as a noncurrent version
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-lifecycle.html>),
    /// so the log is gone from the current view and a noncurrent expiration then deletes it;
    /// both count.
    pub fn deletes(&self) -> bool {
        self.enabled
            && (self.expiration_days.is_some()
                || self.expiration_date
                || self.noncurrent_days.is_some())
    }
}

/// `get-object-lock-configuration`: whether Object Lock is on and its default retention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectLockState {
    enabled: bool,
    retention: Option<(String, Option<u32>, Option<u32>)>,
}

impl ObjectLockState {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when it is not `{"ObjectLockConfiguration": {...}}`.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            object_lock_configuration: Config,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Config {
            object_lock_enabled: Option<String>,
            rule: Option<Rule>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Rule {
            default_retention: Option<Retention>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Retention {
            mode: String,
            days: Option<u32>,
            years: Option<u32>,
        }
        let out: Out = parse(text)?;
        let c = out.object_lock_configuration;
        Ok(ObjectLockState {
            enabled: c.object_lock_enabled.as_deref() == Some("Enabled"),
            retention: c
                .rule
                .and_then(|r| r.default_retention)
                .map(|r| (r.mode, r.days, r.years)),
        })
    }

    /// `ObjectLockEnabled` is `Enabled`.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The default retention: (`Mode`, `Days`, `Years`).
    pub fn retention(&self) -> Option<(&str, Option<u32>, Option<u32>)> {
        self.retention
            .as_ref()
            .map(|(m, d, y)| (m.as_str(), *d, *y))
    }
}

/// `get-bucket-location`: the bucket's Region. "Buckets in Region `us-east-1` have a
/// LocationConstraint of `null`", and `EU` stands for `eu-west-1`
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketLocation {
    region: Region,
}

impl BucketLocation {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when `LocationConstraint` is not a Region, `EU`, null or empty.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            location_constraint: Option<String>,
        }
        let out: Out = parse(text)?;
        let name = match out.location_constraint.as_deref() {
            None | Some("") => "us-east-1",
            Some("EU") => "eu-west-1",
            Some(other) => other,
        };
        let region = name.parse().map_err(|_| OutputRule::Value {
            member: "LocationConstraint",
            found: name.to_owned(),
            expected: "a region, `EU` or null",
        })?;
        Ok(BucketLocation { region })
    }

    /// The bucket's Region.
    pub fn region(&self) -> &Region {
        &self.region
    }
}
