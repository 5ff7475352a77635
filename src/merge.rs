//! Merging the crate's statements into an existing policy: the seed's workflow ("modify the
//! existing policy to add a line for each additional account"), made safe.
//!
//! The crate owns exactly the statements whose `Sid` starts with [`SID_PREFIX`]; every other
//! statement is foreign and is kept byte for byte, in its order. Works for bucket and key
//! policies alike: both use the same prefix.
//!
//! # The merged document
//!
//! - `Version` and `Id` are the existing policy's, unchanged (a missing `Version` stays missing).
//!   Upgrading a missing `Version` to `2012-10-17` would give `${…}` in foreign statements a
//!   meaning it did not have
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>),
//!   and the crate's statements hold no policy variable, so keeping it changes nothing for them; a
//!   generated statement that does hold one is refused ([`MergeError::VersionMismatch`]).
//! - The foreign statements come first, in their original order; then the generated statements,
//!   in generated order. Statement order does not change what a policy allows (an explicit deny
//!   beats any allow wherever it stands, see [`crate::eval`]), so this order is chosen for
//!   determinism: merging twice gives the same bytes as merging once.
//!
//! # Never wider
//!
//! The merged policy allows a request only if the existing or the generated policy allows it,
//! provided every crate-owned `Deny` of the existing policy is also in the generated one. A
//! dropped or changed deny could let a foreign `Allow` through, so it is refused
//! ([`MergeError::WouldRemoveDeny`]) unless [`MergeOptions::allow_relaxing_denies`] says so.

use std::collections::BTreeSet;

use thiserror::Error;

use crate::artifact::{PolicyKind, SID_PREFIX};
use crate::document::{
    Clause, Effect, PolicyDocument, Principal, PrincipalType, Statement, Version,
};
use crate::id::{AccountId, arn};

/// Options of [`merge_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct MergeOptions {
    allow_relaxing_denies: bool,
}

impl MergeOptions {
    /// Lets the merge drop or change a crate-owned `Deny` of the existing policy (off by
    /// default). The merged policy may then allow what neither input allowed.
    pub fn allow_relaxing_denies(mut self, on: bool) -> Self {
        self.allow_relaxing_denies = on;
        self
    }
}

/// The merged policy and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    // INVARIANT: the foreign statements of `document` are the existing policy's, in order,
    // followed by every generated statement in order; its minified size is within the limit.
    document: PolicyDocument,
    added_statements: Vec<String>,
    removed_statements: Vec<String>,
    changed_statements: Vec<String>,
    accounts_added: Vec<AccountId>,
    accounts_removed: Vec<AccountId>,
}

impl Merged {
    /// The merged policy.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Consumes the result, giving the merged policy.
    pub fn into_document(self) -> PolicyDocument {
        self.document
    }

    /// Sids of generated statements the existing policy did not have, in generated order.
    pub fn added_statements(&self) -> &[String] {
        &self.added_statements
    }

    /// Sids of crate statements of the existing policy that the merged one no longer has, in
    /// existing order.
    pub fn removed_statements(&self) -> &[String] {
        &self.removed_statements
    }

    /// Sids present in both whose statement changed, in generated order.
    pub fn changed_statements(&self) -> &[String] {
        &self.changed_statements
    }

    /// Accounts CloudTrail may deliver for in the merged policy but not in the existing one,
    /// sorted (see [`cloudtrail_accounts`]).
    pub fn accounts_added(&self) -> &[AccountId] {
        &self.accounts_added
    }

    /// Accounts CloudTrail could deliver for in the existing policy but not in the merged one,
    /// sorted.
    pub fn accounts_removed(&self) -> &[AccountId] {
        &self.accounts_removed
    }
}

/// Merges `generated` (a policy of the crate) into `existing`, a policy of the same `kind`,
/// refusing to relax existing denies and to go over the kind's size limit
/// ([`PolicyKind::size_limit`]).
///
/// # Errors
/// See [`merge_with`].
///
/// ```
/// use cloudtrail_policy::{BucketPolicy, Intent, Partition, PolicyDocument, PolicyKind, merge};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let existing = PolicyDocument::from_json(r#"{"Version":"2012-10-17","Statement":[{
///     "Sid":"Analytics","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/A"},
///     "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}]}"#)?;
/// let intent = Intent::builder(Partition::Aws)
///     .bucket("acme-cloudtrail-logs".parse()?)
///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
///     .build()?;
/// let generated = BucketPolicy::generate(&intent)?;
/// let merged = merge(&existing, generated.document(), PolicyKind::Bucket)?;
/// assert_eq!(merged.document().statements()[0], existing.statements()[0]);
/// assert_eq!(merged.accounts_added()[0].as_str(), "111111111111");
/// // Merging again changes nothing.
/// let again = merge(merged.document(), generated.document(), PolicyKind::Bucket)?;
/// assert_eq!(again.document().to_json(), merged.document().to_json());
/// assert!(again.added_statements().is_empty());
/// # Ok(()) }
/// ```
pub fn merge(
    existing: &PolicyDocument,
    generated: &PolicyDocument,
    kind: PolicyKind,
) -> Result<Merged, MergeError> {
    merge_with(existing, generated, kind, MergeOptions::default())
}

/// Merges `generated` into `existing`: removes the existing crate statements (those whose `Sid`
/// starts with [`SID_PREFIX`]), keeps every other statement as it is, in order, and appends the
/// generated statements.
///
/// # Errors
/// - [`MergeError::UnownedStatement`] when a generated statement's `Sid` lacks the prefix.
/// - [`MergeError::VersionMismatch`] when a generated statement holds `${` and the existing
///   policy is not `2012-10-17`.
/// - [`MergeError::WouldRemoveDeny`] when a crate `Deny` of the existing policy is not among
///   the generated statements, unless `options` allow relaxing denies.
/// - [`MergeError::TooLarge`] when the merged policy's minified size is over the limit of `kind`.
pub fn merge_with(
    existing: &PolicyDocument,
    generated: &PolicyDocument,
    kind: PolicyKind,
    options: MergeOptions,
) -> Result<Merged, MergeError> {
    for (index, statement) in generated.statements().iter().enumerate() {
        let Some(sid) = statement.sid().filter(|_| is_owned(statement)) else {
            return Err(MergeError::UnownedStatement {
                index,
                prefix: SID_PREFIX,
            });
        };
        if existing.version() != Some(Version::V2012_10_17) && uses_variable(statement) {
            return Err(MergeError::VersionMismatch {
                sid: sid.to_owned(),
            });
        }
    }
    let old: Vec<&Statement> = existing
        .statements()
        .iter()
        .filter(|s| is_owned(s))
        .collect();
    if !options.allow_relaxing_denies {
        for statement in &old {
            if statement.effect() == Effect::Deny && !generated.statements().contains(statement) {
                return Err(MergeError::WouldRemoveDeny {
                    sid: statement.sid().unwrap_or_default().to_owned(),
                });
            }
        }
    }

    let statements: Vec<Statement> = existing
        .statements()
        .iter()
        .filter(|s| !is_owned(s))
        .chain(generated.statements())
        .cloned()
        .collect();
    let document = existing.with_statements(statements);
    let minified = document.minified_len();
    let limit = kind.size_limit();
    if minified > limit {
        return Err(MergeError::TooLarge { minified, limit });
    }

    let old_sids: Vec<&str> = old.iter().filter_map(|s| s.sid()).collect();
    let new_sids: Vec<&str> = generated
        .statements()
        .iter()
        .filter_map(Statement::sid)
        .collect();
    let added_statements = new_sids
        .iter()
        .filter(|sid| !old_sids.contains(sid))
        .map(|sid| (*sid).to_owned())
        .collect();
    let removed_statements = old_sids
        .iter()
        .filter(|sid| !new_sids.contains(sid))
        .map(|sid| (*sid).to_owned())
        .collect();
    let changed_statements = generated
        .statements()
        .iter()
        .filter(|new| {
            let same_sid: Vec<&&Statement> = old.iter().filter(|o| o.sid() == new.sid()).collect();
            !same_sid.is_empty() && !same_sid.iter().any(|o| **o == *new)
        })
        .filter_map(|s| s.sid().map(str::to_owned))
        .collect();

    let before = cloudtrail_accounts(existing);
    let after = cloudtrail_accounts(&document);
    Ok(Merged {
        added_statements,
        removed_statements,
        changed_statements,
        accounts_added: after.difference(&before).cloned().collect(),
        accounts_removed: before.difference(&after).cloned().collect(),
        document,
    })
}

/// True when the crate wrote (or could have written) this statement: its `Sid` starts with
/// [`SID_PREFIX`] (case-sensitive, as Sids are compared).
pub fn is_owned(statement: &Statement) -> bool {
    statement.sid().is_some_and(|s| s.starts_with(SID_PREFIX))
}

fn uses_variable(statement: &Statement) -> bool {
    serde_json::to_string(statement).is_ok_and(|json| json.contains("${"))
}

/// The accounts a policy lets CloudTrail deliver for, read from every `Allow` statement whose
/// principal names a `cloudtrail.*` service (foreign statements included, so AWS's documented
/// statements count): the `<account>` of `AWSLogs/<account>/` in `Resource`, of trail ARNs
/// (`arn:<p>:cloudtrail:<region>:<account>:trail/…`, wildcards allowed elsewhere) in condition
/// values, and 12-digit `aws:SourceAccount` values. Sorted.
///
/// This is a reading of the text, used to report what a merge changed; whether a delivery is
/// really allowed is what [`BucketPolicy::lint`](crate::BucketPolicy::lint) proves with the evaluator.
pub fn cloudtrail_accounts(policy: &PolicyDocument) -> BTreeSet<AccountId> {
    let mut accounts = BTreeSet::new();
    for statement in policy.statements() {
        if statement.effect() != Effect::Allow || !names_cloudtrail(statement) {
            continue;
        }
        if let Some(Clause::Is(resources)) = statement.resource() {
            for resource in resources {
                accounts.extend(logs_folders(resource));
            }
        }
        for (key, values) in statement.condition().values().flatten() {
            for value in values {
                if key.eq_ignore_ascii_case("aws:SourceAccount") {
                    accounts.extend(value.parse::<AccountId>().ok());
                } else {
                    accounts.extend(trail_arn_account(value));
                }
            }
        }
    }
    accounts
}

fn names_cloudtrail(statement: &Statement) -> bool {
    match statement.principal() {
        Some(Clause::Is(Principal::Typed(map))) => map
            .get(&PrincipalType::Service)
            .is_some_and(|services| services.iter().any(|s| s.starts_with("cloudtrail."))),
        _ => false,
    }
}

/// Every `<account>` in `…AWSLogs/<12 digits>/…`.
fn logs_folders(resource: &str) -> impl Iterator<Item = AccountId> + '_ {
    resource
        .match_indices("AWSLogs/")
        .filter_map(move |(at, marker)| resource.get(at + marker.len()..))
        .filter_map(|rest| rest.split_once('/'))
        .filter_map(|(account, _)| account.parse().ok())
}

/// The account of `arn:<p>:cloudtrail:<region>:<account>:trail/<name>` (any segment but the
/// account may be a wildcard).
fn trail_arn_account(value: &str) -> Option<AccountId> {
    let [_, _, service, _, account, resource] = arn::split(value)?;
    if service != "cloudtrail" || !resource.starts_with("trail/") {
        return None;
    }
    account.parse().ok()
}

/// A generated policy could not be merged into an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MergeError {
    /// The existing policy has a crate-owned `Deny` that the generated policy drops or changes.
    /// Replacing it could let one of the existing policy's own `Allow`s through where the old
    /// deny blocked it.
    #[error(
        "the existing policy's deny `{sid}` would be removed or changed: if you mean it, delete that statement from the existing policy by hand (or allow relaxing denies) and merge again"
    )]
    WouldRemoveDeny {
        /// The `Sid` of the existing deny.
        sid: String,
    },
    /// A statement of the generated policy has no `Sid` starting with the crate's prefix, so a
    /// second merge could not recognise it.
    #[error(
        "generated statement {index} has no sid starting with `{prefix}`: only the crate's own statements can be merged"
    )]
    UnownedStatement {
        /// Zero-based position in the generated policy.
        index: usize,
        /// The prefix every crate `Sid` starts with.
        prefix: &'static str,
    },
    /// A generated statement uses a policy variable, but the existing policy's `Version` (kept
    /// by the merge) gives `${…}` no meaning.
    #[error(
        "generated statement `{sid}` uses a policy variable, which needs `Version` 2012-10-17, but the existing policy is not 2012-10-17"
    )]
    VersionMismatch {
        /// The `Sid` of the generated statement.
        sid: String,
    },
    /// The merged policy is over the size limit.
    #[error("merged policy is {minified} bytes minified, over the limit of {limit} bytes")]
    TooLarge {
        /// Minified size in bytes.
        minified: usize,
        /// The limit it was measured against.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts<I: Iterator<Item = AccountId>>(it: I) -> Vec<String> {
        it.map(|a| a.to_string()).collect()
    }

    #[test]
    fn logs_folders_reads_every_twelve_digit_folder_after_awslogs() {
        assert_eq!(
            accounts(logs_folders("arn:aws:s3:::b/p/AWSLogs/111111111111/*")),
            ["111111111111"]
        );
        assert_eq!(
            accounts(logs_folders(
                "arn:aws:s3:::b/AWSLogs/o-exampleorg1/222222222222/*"
            )),
            Vec::<String>::new()
        );
        assert!(accounts(logs_folders("arn:aws:s3:::b/AWSLogs/*/*")).is_empty());
        assert!(accounts(logs_folders("arn:aws:s3:::b/AWSLogs/111111111111")).is_empty());
        assert!(accounts(logs_folders("")).is_empty());
    }

    #[test]
    fn trail_arn_account_needs_a_cloudtrail_trail_arn() {
        let acct = |s| trail_arn_account(s).map(|a| a.to_string());
        assert_eq!(
            acct("arn:aws:cloudtrail:*:222222222222:trail/*").as_deref(),
            Some("222222222222")
        );
        assert_eq!(acct("arn:aws:cloudtrail:us-east-1:*:trail/x"), None);
        assert_eq!(acct("arn:aws:iam::222222222222:root"), None);
        assert_eq!(
            acct("arn:aws:cloudtrail:us-east-1:222222222222:eventdatastore/x"),
            None
        );
        assert_eq!(acct("arn:aws:cloudtrail"), None);
    }
}
