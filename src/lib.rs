#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

mod access_logs;
mod artifact;
mod audit;
mod bucket_policy;
mod bucket_settings;
mod cfn;
mod collect;
mod controls;
pub mod document;
pub mod eval;
mod finding;
mod id;
mod import;
mod intent;
mod json;
mod key_policy;
mod live;
mod merge;
mod output;
mod plan;
mod probe;
pub mod proof;
mod quota;
mod spec;
pub mod trail;

pub use access_logs::{
    AccessLogs, AccessLogsError, AccessLogsPolicy, AccessLogsSource, LOGGING_PRINCIPAL,
};
pub use artifact::{PolicyKind, SID_PREFIX};
pub use audit::Audit;
pub use bucket_policy::{BucketPolicy, BucketPolicyError};
pub use bucket_settings::{
    Lifecycle, LifecycleError, ObjectLock, RetentionMode, StorageClass, Transition,
};
pub use collect::{Block, Collection, LiveCommand};
pub use controls::{Control, ControlStatus};
pub use document::{DocumentError, PolicyDocument};
pub use finding::{Finding, FindingCode, Severity};
pub use id::{
    AccountId, AccountIdRule, ArnFieldRule, BucketName, BucketNameRule, KeyPrefix, KeyPrefixRule,
    KmsAliasArn, KmsAliasName, KmsKeyArn, KmsKeyId, KmsKeyRef, KmsKeyRule, OrganizationId,
    OrganizationIdRule, ParseError, Partition, PartitionRule, PrincipalArn, PrincipalArnRule,
    PrincipalKind, Region, RegionRule, TrailArn, TrailArnRule, TrailName, TrailNameRule,
};
pub use import::{ImportError, Imported};
pub use intent::{
    Intent, IntentBuilder, IntentError, Layout, OrganizationTrail, OrganizationWriteCondition,
    PolicyKey, Protections,
};
pub use key_policy::{KeyPolicy, KeyPolicyBuilder, KeyPolicyError};
pub use live::{
    AdvancedSelector, BucketEncryption, BucketLocation, BucketLogging, BucketVersioning,
    CallerIdentity, ClassicSelector, KeyRotation, LifecycleRule, LifecycleRules, LiveAccounts,
    LiveError, LiveInsights, LiveOrganization, LiveSelectors, LiveTrail, ObjectLockState,
    Operation, OutputRule, Outputs, OwnershipControls, PublicAccessBlock, Saved, TrailStatus,
    VersioningStatus,
};
pub use merge::{
    Existing, MergeError, MergeOptions, Merged, PolicyText, cloudtrail_accounts, is_owned, merge,
    merge_with,
};
pub use output::{OutputError, OutputFile, Style};
pub use plan::{CreatedKey, KeySource, Plan, PlanError, PlannedTrail, Proofs};
pub use probe::{Probe, ProbeClass, ProbeResult, Report};
pub use proof::{Completeness, Counterexample, IncompleteReason, Kind as CounterexampleKind};
pub use quota::{
    MAX_TRAILS_PER_REGION, OrgTrailCounting, QuotaError, QuotaReport, TrailInventory, TrailRecord,
};
pub use spec::{Spec, SpecError, SpecErrorKind};
pub use trail::{TrailConfig, TrailConfigBuilder, TrailError};
