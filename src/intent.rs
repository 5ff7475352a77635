//! What a log archive must do: who delivers to it, who reads it, and which protections it has.
//!
//! An [`Intent`] is the single description from which the crate generates the bucket policy and
//! the key policy, and against which it proves any policy with the probe matrix
//! ([`crate::probe`]). Generating and proving from the same value is what makes the proof mean
//! something.

use std::collections::{BTreeMap, BTreeSet};

use crate::id::{
    AccountId, BucketName, KeyPrefix, KmsAliasArn, KmsKeyArn, OrganizationId, Partition,
    PrincipalArn, Region, TrailArn,
};

/// How the bucket policy lays out its write statements (AWS's multi-account policy,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>,
/// and the crate's own design).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Layout {
    /// One write statement per account folder, binding `AWSLogs/<account>/*` to that account's
    /// trails only: a member account that points its trail's `S3KeyPrefix` into another
    /// account's folder is refused.
    Strict,
    /// AWS's documented shape: one write statement listing every folder and every trail ARN.
    /// Any listed trail can write into any listed folder. Smaller, so it fits more accounts.
    Documented,
}

/// How the bucket policy binds the organization trail's writes into `AWSLogs/<o-id>/`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum OrganizationWriteCondition {
    /// `StringEquals aws:SourceArn <organization trail>`: AWS's organization-trail policy
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy>).
    /// Only the named trail may write into the organization folder.
    #[default]
    SourceArn,
    /// `StringEquals aws:SourceOrgID <o-id>`: AWS Control Tower's shape
    /// (<https://docs.aws.amazon.com/controltower/latest/userguide/logging-s3-audit-bucket.html>).
    /// The write statement names no trail, so renaming or replacing the organization trail does
    /// not change it, but any trail of any account of the organization may write under
    /// `AWSLogs/<o-id>/`. CloudTrail's own pages do not say that CloudTrail sends
    /// `aws:SourceOrgID` (its confused-deputy page recommends `aws:SourceArn` and
    /// `aws:SourceAccount`,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html>);
    /// the IAM reference says a service principal sends it for a resource owned by a member
    /// account
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid>).
    SourceOrgId,
}

/// An organization trail: the organization and the trail's ARN, whose account is always the
/// management account, also when a delegated administrator creates it. AWS says the
/// organization trail's ARN "uses the management account ID"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy>)
/// and that the management account owns what a delegated administrator creates
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html>);
/// that the two together give the management account's ARN is an inference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrganizationTrail {
    id: OrganizationId,
    trail: TrailArn,
}

impl OrganizationTrail {
    /// The organization trail `trail` of organization `id`. The trail ARN's account is the
    /// management account.
    pub fn new(id: OrganizationId, trail: TrailArn) -> Self {
        OrganizationTrail { id, trail }
    }

    /// The organization id.
    pub fn id(&self) -> &OrganizationId {
        &self.id
    }

    /// The trail ARN (home region, management account, name).
    pub fn trail(&self) -> &TrailArn {
        &self.trail
    }

    /// The management account, which owns the trail.
    pub fn management_account(&self) -> &AccountId {
        self.trail.account()
    }
}

/// The protections the bucket policy adds beyond delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protections {
    pub(crate) deny_insecure_transport: bool,
    pub(crate) deny_delete: bool,
    pub(crate) delete_exempt: BTreeSet<PrincipalArn>,
    pub(crate) policy_admins: Option<BTreeSet<PrincipalArn>>,
}

impl Default for Protections {
    fn default() -> Self {
        Protections {
            deny_insecure_transport: true,
            deny_delete: true,
            delete_exempt: BTreeSet::new(),
            policy_admins: None,
        }
    }
}

impl Protections {
    /// Whether requests without TLS are denied.
    pub fn deny_insecure_transport(&self) -> bool {
        self.deny_insecure_transport
    }

    /// Whether deleting log objects is denied.
    pub fn deny_delete(&self) -> bool {
        self.deny_delete
    }

    /// Principals exempt from the delete deny (break glass).
    pub fn delete_exempt(&self) -> &BTreeSet<PrincipalArn> {
        &self.delete_exempt
    }

    /// When bucket-policy changes are denied: the administrators who may still make them.
    pub fn policy_admins(&self) -> Option<&BTreeSet<PrincipalArn>> {
        self.policy_admins.as_ref()
    }
}

/// Who writes into each account folder, by account.
pub(crate) type Folders<'a> = BTreeMap<&'a AccountId, FolderWriters<'a>>;

/// Which trails may write into one `AWSLogs/<account>/` folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FolderWriters<'a> {
    /// Trail ARNs named exactly (`StringEquals aws:SourceArn`). Borrowed, so a set per account
    /// copies no trail ARN.
    pub(crate) trails: BTreeSet<&'a TrailArn>,
    /// Any trail of the account (`ArnLike aws:SourceArn arn:<p>:cloudtrail:*:<account>:trail/*`).
    pub(crate) any_trail: bool,
}

/// Who delivers to a log-archive bucket, who reads it, and how it is protected.
///
/// Build it with [`Intent::builder`]; every ARN in it is in one partition. The bucket policy
/// needs the bucket ([`IntentBuilder::bucket`]), the key policy the key ([`IntentBuilder::key`]);
/// an intent may name either or both.
///
/// ```
/// use cloudtrail_policy::{Intent, Partition};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let intent = Intent::builder(Partition::Aws)
///     .bucket("acme-cloudtrail-logs".parse()?)
///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
///     .account("222222222222".parse()?)
///     .build()?;
/// assert_eq!(intent.delivering_accounts().len(), 2);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    partition: Partition,
    bucket: Option<BucketName>,
    bucket_owner: Option<AccountId>,
    bucket_region: Option<Region>,
    prefix: Option<KeyPrefix>,
    trails: BTreeSet<TrailArn>,
    accounts: BTreeSet<AccountId>,
    organization: Option<OrganizationTrail>,
    readers: BTreeSet<PrincipalArn>,
    key: Option<PolicyKey>,
    bucket_key: bool,
    scope_bucket_key_decrypt: bool,
    org_write_condition: OrganizationWriteCondition,
    key_admins: BTreeSet<PrincipalArn>,
    layout: Option<Layout>,
    protections: Protections,
}

impl Intent {
    /// Starts an intent in `partition`.
    pub fn builder(partition: Partition) -> IntentBuilder {
        IntentBuilder {
            intent: Intent {
                partition,
                bucket: None,
                bucket_owner: None,
                bucket_region: None,
                prefix: None,
                trails: BTreeSet::new(),
                accounts: BTreeSet::new(),
                organization: None,
                readers: BTreeSet::new(),
                key: None,
                bucket_key: false,
                scope_bucket_key_decrypt: false,
                org_write_condition: OrganizationWriteCondition::SourceArn,
                key_admins: BTreeSet::new(),
                layout: None,
                protections: Protections::default(),
            },
        }
    }

    /// The partition of every ARN.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// The log-archive bucket, which the bucket policy needs.
    pub fn bucket(&self) -> Option<&BucketName> {
        self.bucket.as_ref()
    }

    /// The account that owns the bucket, when known.
    pub fn bucket_owner(&self) -> Option<&AccountId> {
        self.bucket_owner.as_ref()
    }

    /// The bucket's region, when known (a KMS key must be in it,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html>).
    pub fn bucket_region(&self) -> Option<&Region> {
        self.bucket_region.as_ref()
    }

    /// The key prefix every trail writes under.
    pub fn prefix(&self) -> Option<&KeyPrefix> {
        self.prefix.as_ref()
    }

    /// Per-account trails known by ARN.
    pub fn trails(&self) -> &BTreeSet<TrailArn> {
        &self.trails
    }

    /// Accounts that deliver with trails not known yet.
    pub fn accounts(&self) -> &BTreeSet<AccountId> {
        &self.accounts
    }

    /// The organization trail, if any.
    pub fn organization(&self) -> Option<&OrganizationTrail> {
        self.organization.as_ref()
    }

    /// Principals that may read the logs.
    pub fn readers(&self) -> &BTreeSet<PrincipalArn> {
        &self.readers
    }

    /// The KMS key the logs are encrypted with, if any.
    pub fn key(&self) -> Option<&PolicyKey> {
        self.key.as_ref()
    }

    /// Whether the bucket uses an S3 Bucket Key, so CloudTrail also needs `kms:Decrypt`
    /// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
    pub fn bucket_key(&self) -> bool {
        self.bucket_key
    }

    /// Whether CloudTrail's `kms:Decrypt` (with an S3 Bucket Key) is scoped by `aws:SourceArn`,
    /// an opt-in that nobody has shown to work: AWS documents the statement without a condition
    /// (`AllowCloudTrailDecryptTrail`,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>),
    /// and no AWS page says that CloudTrail sends `aws:SourceArn` on that call.
    pub fn scope_bucket_key_decrypt(&self) -> bool {
        self.scope_bucket_key_decrypt
    }

    /// How the organization trail's writes into `AWSLogs/<o-id>/` are bound.
    pub fn organization_write_condition(&self) -> OrganizationWriteCondition {
        self.org_write_condition
    }

    /// Principals named as the key's administrators; empty means the key account's root keeps
    /// administration (AWS's default key policy,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>).
    pub fn key_admins(&self) -> &BTreeSet<PrincipalArn> {
        &self.key_admins
    }

    /// The bucket-policy layout asked for; `None` means `Strict` while it fits, else
    /// `Documented`.
    pub fn layout(&self) -> Option<Layout> {
        self.layout
    }

    /// The protections asked for.
    pub fn protections(&self) -> &Protections {
        &self.protections
    }

    /// Every account whose logs land in its own `AWSLogs/<account>/` folder, sorted.
    pub fn delivering_accounts(&self) -> BTreeSet<AccountId> {
        self.folders().into_keys().cloned().collect()
    }

    /// Every trail ARN named exactly, the organization trail included, sorted. Borrowed, so
    /// planning does not copy every trail ARN.
    pub fn known_trails(&self) -> BTreeSet<&TrailArn> {
        let mut all: BTreeSet<&TrailArn> = self.trails.iter().collect();
        if let Some(org) = &self.organization {
            all.insert(&org.trail);
        }
        all
    }

    /// Which trails may write into each account folder. The organization trail also writes
    /// into the management account's own folder (the second statement of AWS's
    /// organization-trail policy,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy>).
    pub(crate) fn folders(&self) -> Folders<'_> {
        let mut folders = Folders::new();
        for trail in &self.trails {
            folders
                .entry(trail.account())
                .or_default()
                .trails
                .insert(trail);
        }
        if let Some(org) = &self.organization {
            folders
                .entry(org.management_account())
                .or_default()
                .trails
                .insert(&org.trail);
        }
        for account in &self.accounts {
            folders.entry(account).or_default().any_trail = true;
        }
        folders
    }
}

/// Builds an [`Intent`]; [`IntentBuilder::build`] checks that it is consistent.
#[derive(Debug, Clone)]
#[must_use]
pub struct IntentBuilder {
    intent: Intent,
}

impl IntentBuilder {
    /// The log-archive bucket.
    pub fn bucket(mut self, bucket: BucketName) -> Self {
        self.intent.bucket = Some(bucket);
        self
    }

    /// The account that owns the bucket.
    pub fn bucket_owner(mut self, account: AccountId) -> Self {
        self.intent.bucket_owner = Some(account);
        self
    }

    /// The region the bucket is in.
    pub fn bucket_region(mut self, region: Region) -> Self {
        self.intent.bucket_region = Some(region);
        self
    }

    /// The key prefix every trail writes under.
    pub fn prefix(mut self, prefix: KeyPrefix) -> Self {
        self.intent.prefix = Some(prefix);
        self
    }

    /// A per-account trail that delivers to `AWSLogs/<its account>/`.
    pub fn trail(mut self, trail: TrailArn) -> Self {
        self.intent.trails.insert(trail);
        self
    }

    /// An account that delivers with trails not known yet: weaker than naming the trail,
    /// since any trail of the account may then write into its folder.
    pub fn account(mut self, account: AccountId) -> Self {
        self.intent.accounts.insert(account);
        self
    }

    /// The organization trail of organization `id`.
    pub fn organization_trail(mut self, id: OrganizationId, trail: TrailArn) -> Self {
        self.intent.organization = Some(OrganizationTrail::new(id, trail));
        self
    }

    /// A principal that may read (and, with a key, decrypt) the logs.
    pub fn reader(mut self, reader: PrincipalArn) -> Self {
        self.intent.readers.insert(reader);
        self
    }

    /// The KMS key that encrypts the logs.
    pub fn key(mut self, key: KmsKeyArn) -> Self {
        self.intent.key = Some(PolicyKey::Existing(key));
        self
    }

    /// The KMS key that encrypts the logs, which a stack will create with the alias `alias`:
    /// a single-Region symmetric key in the alias's account and Region.
    pub fn key_to_create(mut self, alias: KmsAliasArn) -> Self {
        self.intent.key = Some(PolicyKey::ToCreate(alias));
        self
    }

    /// The bucket uses an S3 Bucket Key.
    pub fn bucket_key(mut self, on: bool) -> Self {
        self.intent.bucket_key = on;
        self
    }

    /// Scopes CloudTrail's `kms:Decrypt` by `aws:SourceArn` (see
    /// [`Intent::scope_bucket_key_decrypt`]); off by default, AWS's documented shape.
    pub fn scope_bucket_key_decrypt(mut self, on: bool) -> Self {
        self.intent.scope_bucket_key_decrypt = on;
        self
    }

    /// How the organization trail's writes are bound (see [`OrganizationWriteCondition`]).
    pub fn organization_write_condition(mut self, condition: OrganizationWriteCondition) -> Self {
        self.intent.org_write_condition = condition;
        self
    }

    /// A key administrator (call once per administrator).
    pub fn key_admin(mut self, admin: PrincipalArn) -> Self {
        self.intent.key_admins.insert(admin);
        self
    }

    /// The bucket-policy layout; without it, `Strict` while it fits the size budget.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.intent.layout = Some(layout);
        self
    }

    /// Drops the deny of requests without TLS (on by default).
    pub fn allow_insecure_transport(mut self) -> Self {
        self.intent.protections.deny_insecure_transport = false;
        self
    }

    /// Drops the deny of log deletion (on by default).
    pub fn allow_delete(mut self) -> Self {
        self.intent.protections.deny_delete = false;
        self
    }

    /// A break-glass principal exempt from the delete deny.
    pub fn delete_exempt(mut self, principal: PrincipalArn) -> Self {
        self.intent.protections.delete_exempt.insert(principal);
        self
    }

    /// Denies bucket-policy changes to everyone but `admin` (call once per administrator).
    /// Lock-out risk: if every administrator is lost, only the account root user can still
    /// delete the policy
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html>).
    pub fn policy_admin(mut self, admin: PrincipalArn) -> Self {
        self.intent
            .protections
            .policy_admins
            .get_or_insert_with(BTreeSet::new)
            .insert(admin);
        self
    }

    /// Checks the intent and returns it.
    ///
    /// # Errors
    /// [`IntentError::NoDelivery`] when nothing delivers; [`IntentError::PartitionMismatch`]
    /// when an ARN is in another partition; [`IntentError::DeleteExemptWithoutDeny`] when
    /// break-glass principals are named but deletion is not denied.
    pub fn build(self) -> Result<Intent, IntentError> {
        let intent = self.intent;
        if intent.trails.is_empty() && intent.accounts.is_empty() && intent.organization.is_none() {
            return Err(IntentError::NoDelivery);
        }
        let partition = intent.partition;
        let mismatch = |what: String, found: Partition| IntentError::PartitionMismatch {
            what,
            found,
            expected: partition,
        };
        for trail in intent.known_trails() {
            if trail.partition() != partition {
                return Err(mismatch(format!("trail `{trail}`"), trail.partition()));
            }
        }
        let principals = intent
            .readers
            .iter()
            .chain(&intent.protections.delete_exempt)
            .chain(&intent.key_admins)
            .chain(intent.protections.policy_admins.iter().flatten());
        for p in principals {
            if p.partition() != partition {
                return Err(mismatch(format!("principal `{p}`"), p.partition()));
            }
        }
        if let Some(region) = &intent.bucket_region
            && region.partition() != partition
        {
            return Err(mismatch(
                format!("bucket region `{region}`"),
                region.partition(),
            ));
        }
        if let Some(key) = &intent.key
            && key.partition() != partition
        {
            return Err(mismatch(format!("key `{}`", key.as_str()), key.partition()));
        }
        if !intent.protections.deny_delete && !intent.protections.delete_exempt.is_empty() {
            return Err(IntentError::DeleteExemptWithoutDeny);
        }
        Ok(intent)
    }
}

/// The KMS key a key policy is written for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PolicyKey {
    /// A key that exists, by its ARN.
    Existing(KmsKeyArn),
    /// A key a stack will create, known until then by the ARN of the alias it will carry: a
    /// single-Region key in the alias's account and Region.
    ToCreate(KmsAliasArn),
}

impl PolicyKey {
    /// The key ARN, or the alias ARN of a key to create: what KMS requests name.
    pub fn as_str(&self) -> &str {
        match self {
            PolicyKey::Existing(key) => key.as_str(),
            PolicyKey::ToCreate(alias) => alias.as_str(),
        }
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        match self {
            PolicyKey::Existing(key) => key.partition(),
            PolicyKey::ToCreate(alias) => alias.partition(),
        }
    }

    /// The key's Region.
    pub fn region(&self) -> &Region {
        match self {
            PolicyKey::Existing(key) => key.region(),
            PolicyKey::ToCreate(alias) => alias.region(),
        }
    }

    /// The account that owns the key.
    pub fn account(&self) -> &AccountId {
        match self {
            PolicyKey::Existing(key) => key.account(),
            PolicyKey::ToCreate(alias) => alias.account(),
        }
    }

    /// Whether the key is a multi-Region key (an `mrk-` key id); a key to create is not.
    pub fn is_multi_region(&self) -> bool {
        match self {
            PolicyKey::Existing(key) => key.is_multi_region(),
            PolicyKey::ToCreate(_) => false,
        }
    }
}

/// The values of an intent do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntentError {
    /// Nothing delivers to the bucket: no trail, no account, no organization trail.
    #[error(
        "nothing delivers to the bucket: name at least one trail, account or organization trail"
    )]
    NoDelivery,
    /// An ARN is in another partition than the rest.
    #[error("{what} is in partition `{found}`, but the log archive is in `{expected}`")]
    PartitionMismatch {
        /// The value, described with its text.
        what: String,
        /// Its partition.
        found: Partition,
        /// The log archive's partition.
        expected: Partition,
    },
    /// Break-glass principals were named, but log deletion is not denied.
    #[error(
        "delete-exempt principals are named, but log deletion is not denied: drop them or keep the deny"
    )]
    DeleteExemptWithoutDeny,
}
