//! Merging the crate's statements into an existing policy: the seed's workflow ("modify the
//! existing policy to add a line for each additional account"), made safe and explicit.
//!
//! Works for bucket and key policies alike: both use the same `Sid` prefix, [`SID_PREFIX`].
//!
//! # Which statements are the crate's
//!
//! A statement without the prefix is foreign: it is kept, in its order. A statement with the
//! prefix is the crate's when the crate writes that `Sid` with that shape (effect, kind of
//! principal, actions; `merge/own.rs` lists every shape): it is replaced by the generated
//! statements. A statement with the prefix that is not such a shape (a user's
//! `CloudTrailPolicyAnalytics`, say) is refused ([`MergeError::Unrecognised`]) unless
//! [`MergeOptions::replace_unrecognised`] says to replace it too; [`Merged::replaced_unrecognised`]
//! names those.
//!
//! # The merged document
//!
//! - The foreign statements come first, in their original order; then the generated statements,
//!   in generated order. Statement order does not change what a policy allows (an explicit deny
//!   beats any allow wherever it stands, see [`crate::eval`]), so this order is chosen for
//!   determinism: merging twice gives the same bytes as merging once.
//! - A foreign statement read from text ([`PolicyText`]) is written back exactly as written:
//!   member order, one-element arrays, numbers (a 30-digit number stays those 30 digits),
//!   booleans and strings (escapes included) are its own. Only the whitespace between tokens
//!   follows the output's layout ([`Merged::to_json`], [`Merged::to_json_pretty`]). A foreign
//!   statement of a document built in code is written as the crate writes statements.
//! - The top level is written `Version`, `Id`, `Statement` (always an array): `Version` and `Id`
//!   are the existing policy's values, unchanged (a missing `Version` stays missing). Upgrading
//!   a missing `Version` to `2012-10-17` would give `${…}` in foreign statements a meaning it did
//!   not have
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>),
//!   and the crate's statements hold no policy variable, so keeping it changes nothing for them; a
//!   generated statement that does hold one is refused ([`MergeError::VersionMismatch`]).
//!
//! # Never wider, never another bucket
//!
//! The merged policy allows a request only if the existing or the generated policy allows it,
//! provided every crate-owned `Deny` of the existing policy is also in the generated one. A
//! dropped or changed deny could let a foreign `Allow` through, so it is refused
//! ([`MergeError::WouldRemoveDeny`], [`MergeError::WouldChangeDeny`], which names what differs)
//! unless [`MergeOptions::allow_relaxing_denies`] says so. "Each policy must cover only a single
//! bucket and resources within that bucket" (S3's restrictions on bucket policies, in the older
//! developer guide,
//! <https://docs.aws.amazon.com/AmazonS3/latest/dev/AccessPolicyLanguage_SpecialInfo.html>), so
//! an existing policy whose resources name another bucket than the generated statements is refused
//! ([`MergeError::OtherBucket`]): the merge would mix two buckets. Resources with a wildcard in
//! the bucket name are not compared.

mod own;
mod text;

use std::collections::BTreeSet;

use thiserror::Error;

use crate::artifact::{PolicyKind, SID_PREFIX};
use crate::document::{
    Clause, DocumentError, Effect, PolicyDocument, Principal, PrincipalType, Statement, Version,
};
use crate::id::{AccountId, arn};

/// Options of [`merge_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct MergeOptions {
    allow_relaxing_denies: bool,
    replace_unrecognised: bool,
}

impl MergeOptions {
    /// Lets the merge drop or change a crate-owned `Deny` of the existing policy (off by
    /// default). The merged policy may then allow what neither input allowed.
    pub fn allow_relaxing_denies(mut self, on: bool) -> Self {
        self.allow_relaxing_denies = on;
        self
    }

    /// Lets the merge replace statements whose `Sid` has the crate's prefix but whose shape is not
    /// one the crate writes (off by default): they are dropped like the crate's own, and listed in
    /// [`Merged::replaced_unrecognised`]. A `Deny` among them still needs
    /// [`MergeOptions::allow_relaxing_denies`].
    pub fn replace_unrecognised(mut self, on: bool) -> Self {
        self.replace_unrecognised = on;
        self
    }
}

/// An existing policy as written: the parsed document and the text of each statement, so that a
/// merge writes the foreign statements back exactly as they were written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyText {
    // INVARIANT: one minified text per statement of `document`, in order, each the statement as
    // written.
    document: PolicyDocument,
    statements: Vec<String>,
}

impl PolicyText {
    /// Parses a policy, keeping each statement's text.
    ///
    /// # Errors
    /// As [`PolicyDocument::from_json`].
    pub fn from_json(text: &str) -> Result<PolicyText, DocumentError> {
        let document = PolicyDocument::from_json(text)?;
        let statements = text::statement_texts(text)
            .filter(|t| t.len() == document.statements().len())
            // INVARIANT: a text the policy parser accepted has its statements; if that ever
            // fails, the statements are written as the crate writes them.
            .unwrap_or_else(|| document.statements().iter().map(render).collect());
        Ok(PolicyText {
            document,
            statements,
        })
    }

    /// The parsed policy.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }
}

/// The policy a merge goes into: a [`PolicyDocument`] (its statements written as the crate writes
/// them), a [`PolicyText`] or an earlier [`Merged`] (statements written as they were written).
#[derive(Debug, Clone, Copy)]
pub struct Existing<'a> {
    document: &'a PolicyDocument,
    texts: Option<&'a [String]>,
}

impl<'a> From<&'a PolicyDocument> for Existing<'a> {
    fn from(document: &'a PolicyDocument) -> Self {
        Existing {
            document,
            texts: None,
        }
    }
}

impl<'a> From<&'a PolicyText> for Existing<'a> {
    fn from(policy: &'a PolicyText) -> Self {
        Existing {
            document: &policy.document,
            texts: Some(&policy.statements),
        }
    }
}

impl<'a> From<&'a Merged> for Existing<'a> {
    fn from(merged: &'a Merged) -> Self {
        Existing {
            document: &merged.document,
            texts: Some(&merged.statements),
        }
    }
}

/// The merged policy and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    // INVARIANT: the foreign statements of `document` are the existing policy's, in order,
    // followed by every generated statement in order; `statements` holds the minified text of
    // each; the minified size of the whole is within the limit.
    document: PolicyDocument,
    statements: Vec<String>,
    added_statements: Vec<String>,
    removed_statements: Vec<String>,
    changed_statements: Vec<String>,
    replaced_unrecognised: Vec<(String, String)>,
    accounts_added: Vec<AccountId>,
    accounts_removed: Vec<AccountId>,
}

impl Merged {
    /// The merged policy, parsed (for linting and evaluating it). Its own serialization writes
    /// every statement as the crate writes statements; [`Merged::to_json`] keeps the foreign ones
    /// as written.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Consumes the result, giving the parsed merged policy.
    pub fn into_document(self) -> PolicyDocument {
        self.document
    }

    /// The merged policy, minified, foreign statements as written.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        if let Some(v) = self.document.version() {
            out.push_str(&format!("\"Version\":\"{}\",", v.as_str()));
        }
        if let Some(id) = self.document.id() {
            // INVARIANT: serializing a string cannot fail.
            let id = serde_json::to_string(id).unwrap_or_default();
            out.push_str(&format!("\"Id\":{id},"));
        }
        out.push_str("\"Statement\":[");
        out.push_str(&self.statements.join(","));
        out.push_str("]}");
        out
    }

    /// [`Merged::to_json`] laid out as the crate's pretty files (two-space indent).
    pub fn to_json_pretty(&self) -> String {
        text::pretty(&self.to_json())
    }

    /// Sids of generated statements the existing policy did not have, in generated order.
    pub fn added_statements(&self) -> &[String] {
        &self.added_statements
    }

    /// Sids of the existing policy's statements (the crate's, and unrecognised ones replaced)
    /// that the merged one no longer has, in existing order.
    pub fn removed_statements(&self) -> &[String] {
        &self.removed_statements
    }

    /// Sids present in both whose statement changed, in generated order.
    pub fn changed_statements(&self) -> &[String] {
        &self.changed_statements
    }

    /// The statements with the crate's `Sid` prefix that are not the crate's shape and were
    /// replaced under [`MergeOptions::replace_unrecognised`]: each `Sid` with why it is not
    /// recognised, in existing order.
    pub fn replaced_unrecognised(&self) -> &[(String, String)] {
        &self.replaced_unrecognised
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
/// refusing to relax existing denies, to replace unrecognised statements with the crate's prefix,
/// and to go over the kind's size limit ([`PolicyKind::size_limit`]).
///
/// # Errors
/// See [`merge_with`].
///
/// ```
/// use cloudtrail_policy::{BucketPolicy, Intent, Partition, PolicyKind, PolicyText, merge};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let existing = PolicyText::from_json(r#"{"Version":"2012-10-17","Statement":[{
///     "Sid":"Analytics","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:role/A"]},
///     "Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}]}"#)?;
/// let intent = Intent::builder(Partition::Aws)
///     .bucket("acme-cloudtrail-logs".parse()?)
///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
///     .build()?;
/// let generated = BucketPolicy::generate(&intent)?;
/// let merged = merge(&existing, generated.document(), PolicyKind::Bucket)?;
/// // The foreign statement as written: its one-element array stays an array.
/// assert!(merged.to_json().contains(r#""AWS":["arn:aws:iam::444455556666:role/A"]"#));
/// assert_eq!(merged.accounts_added()[0].as_str(), "111111111111");
/// // Merging again changes nothing.
/// let again = merge(&merged, generated.document(), PolicyKind::Bucket)?;
/// assert_eq!(again.to_json(), merged.to_json());
/// assert!(again.added_statements().is_empty());
/// # Ok(()) }
/// ```
pub fn merge<'a>(
    existing: impl Into<Existing<'a>>,
    generated: &PolicyDocument,
    kind: PolicyKind,
) -> Result<Merged, MergeError> {
    merge_with(existing, generated, kind, MergeOptions::default())
}

/// Merges `generated` into `existing`: replaces the existing crate statements (see the module
/// documentation for how they are recognised), keeps every other statement as it is, in order,
/// and appends the generated statements.
///
/// # Errors
/// - [`MergeError::UnownedStatement`] when a generated statement's `Sid` lacks the prefix, and
///   [`MergeError::UnknownGenerated`] when it is not a shape the merge recognises.
/// - [`MergeError::VersionMismatch`] when a generated statement holds `${` and the existing
///   policy is not `2012-10-17`.
/// - [`MergeError::OtherBucket`] when the existing policy names another bucket than the
///   generated one.
/// - [`MergeError::Unrecognised`] when an existing statement has the crate's prefix but not a
///   shape the crate writes, unless `options` allow replacing it.
/// - [`MergeError::WouldRemoveDeny`] and [`MergeError::WouldChangeDeny`] when a crate `Deny` of
///   the existing policy is not among the generated statements, unless `options` allow relaxing
///   denies.
/// - [`MergeError::TooLarge`] when the merged policy's minified size is over the limit of `kind`.
pub fn merge_with<'a>(
    existing: impl Into<Existing<'a>>,
    generated: &PolicyDocument,
    kind: PolicyKind,
    options: MergeOptions,
) -> Result<Merged, MergeError> {
    let Existing {
        document: existing,
        texts,
    } = existing.into();
    for (index, statement) in generated.statements().iter().enumerate() {
        let Some(sid) = statement.sid().filter(|_| is_owned(statement)) else {
            return Err(MergeError::UnownedStatement {
                index,
                prefix: SID_PREFIX,
            });
        };
        if let Err(why) = own::recognise(statement, kind) {
            return Err(MergeError::UnknownGenerated {
                sid: sid.to_owned(),
                reason: why.to_string(),
            });
        }
        if existing.version() != Some(Version::V2012_10_17) && uses_variable(statement) {
            return Err(MergeError::VersionMismatch {
                sid: sid.to_owned(),
            });
        }
    }
    if kind == PolicyKind::Bucket {
        check_same_bucket(existing, generated)?;
    }

    // The existing policy's statements, each kept (foreign) or replaced (the crate's).
    let mut kept: Vec<(&Statement, String)> = Vec::new();
    let mut old: Vec<&Statement> = Vec::new();
    let mut replaced_unrecognised = Vec::new();
    for (index, statement) in existing.statements().iter().enumerate() {
        if !is_owned(statement) {
            let text = texts
                .and_then(|t| t.get(index).cloned())
                .unwrap_or_else(|| render(statement));
            kept.push((statement, text));
            continue;
        }
        if let Err(why) = own::recognise(statement, kind) {
            let sid = statement.sid().unwrap_or_default().to_owned();
            if !options.replace_unrecognised {
                return Err(MergeError::Unrecognised {
                    sid,
                    reason: why.to_string(),
                });
            }
            replaced_unrecognised.push((sid, why.to_string()));
        }
        old.push(statement);
    }
    if !options.allow_relaxing_denies {
        for statement in &old {
            if statement.effect() == Effect::Deny && !generated.statements().contains(statement) {
                return Err(deny_error(statement, generated));
            }
        }
    }

    let statements: Vec<Statement> = kept
        .iter()
        .map(|(s, _)| (*s).clone())
        .chain(generated.statements().iter().cloned())
        .collect();
    let document = existing.with_statements(statements);
    let texts: Vec<String> = kept
        .into_iter()
        .map(|(_, text)| text)
        .chain(generated.statements().iter().map(render))
        .collect();
    let merged = Merged {
        document,
        statements: texts,
        added_statements: Vec::new(),
        removed_statements: Vec::new(),
        changed_statements: Vec::new(),
        replaced_unrecognised,
        accounts_added: Vec::new(),
        accounts_removed: Vec::new(),
    };
    let minified = merged.to_json().len();
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
    let after = cloudtrail_accounts(&merged.document);
    Ok(Merged {
        added_statements,
        removed_statements,
        changed_statements,
        accounts_added: after.difference(&before).cloned().collect(),
        accounts_removed: before.difference(&after).cloned().collect(),
        ..merged
    })
}

/// A statement as the crate writes it, minified.
fn render(statement: &Statement) -> String {
    // INVARIANT: serializing a statement cannot fail (see `PolicyDocument::to_json`).
    serde_json::to_string(statement).unwrap_or_default()
}

/// The bucket of an S3 ARN (`arn:<p>:s3:::<bucket>` or `…:::<bucket>/<key>`), unless it holds a
/// wildcard.
fn bucket_of(resource: &str) -> Option<&str> {
    let [_, _, service, region, account, rest] = arn::split(resource)?;
    if service != "s3" || !region.is_empty() || !account.is_empty() {
        return None;
    }
    let bucket = rest.split_once('/').map_or(rest, |(b, _)| b);
    (!bucket.is_empty() && !bucket.contains(['*', '?', '$'])).then_some(bucket)
}

/// Every bucket the resources of `policy` name, in order of appearance.
fn buckets(policy: &PolicyDocument) -> impl Iterator<Item = &str> {
    policy
        .statements()
        .iter()
        .filter_map(Statement::resource)
        .flat_map(|r| r.value())
        .filter_map(|r| bucket_of(r))
}

/// Refuses an existing bucket policy that names another bucket than the generated one.
fn check_same_bucket(
    existing: &PolicyDocument,
    generated: &PolicyDocument,
) -> Result<(), MergeError> {
    let Some(ours) = buckets(generated).next() else {
        return Ok(());
    };
    match buckets(existing).find(|b| *b != ours) {
        Some(other) => Err(MergeError::OtherBucket {
            existing: other.to_owned(),
            generated: ours.to_owned(),
        }),
        None => Ok(()),
    }
}

/// The refusal to drop or change the existing deny `old`: what differs from the generated
/// statement of the same `Sid`, if there is one.
fn deny_error(old: &Statement, generated: &PolicyDocument) -> MergeError {
    let sid = old.sid().unwrap_or_default().to_owned();
    let Some(new) = generated.statements().iter().find(|s| s.sid() == old.sid()) else {
        return MergeError::WouldRemoveDeny { sid };
    };
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return MergeError::WouldRemoveDeny { sid };
    };
    let shown =
        |v: Option<&serde_json::Value>| v.map_or_else(|| "absent".to_owned(), ToString::to_string);
    let element = [
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    ]
    .into_iter()
    .find(|k| a.get(*k) != b.get(*k));
    match element {
        Some(element) => MergeError::WouldChangeDeny {
            sid,
            element,
            existing: shown(a.get(element)),
            generated: shown(b.get(element)),
        },
        None => MergeError::WouldRemoveDeny { sid },
    }
}

/// True when the statement claims to be the crate's: its `Sid` starts with [`SID_PREFIX`]
/// (case-sensitive, as Sids are compared). A merge also checks its shape before replacing it
/// (see the module documentation).
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
    /// The existing policy has a crate-owned `Deny` that the generated policy does not have.
    /// Dropping it could let one of the existing policy's own `Allow`s through where the deny
    /// blocked it.
    #[error(
        "the existing policy's deny `{sid}` is not in the generated policy, so the merge would drop it: generate with the options that write it, or allow relaxing denies to drop it"
    )]
    WouldRemoveDeny {
        /// The `Sid` of the existing deny.
        sid: String,
    },
    /// The existing policy has a crate-owned `Deny` that the generated policy changes.
    #[error(
        "the existing policy's deny `{sid}` would change: its `{element}` is {existing} there and {generated} in the generated policy; generate with the options the existing policy was made with, or allow relaxing denies to change it"
    )]
    WouldChangeDeny {
        /// The `Sid` of the deny.
        sid: String,
        /// The first element that differs: `Effect`, `Principal`, `Action`, `Resource`,
        /// `Condition` or a `Not…` twin.
        element: &'static str,
        /// Its value in the existing policy, as JSON (`absent` when missing).
        existing: String,
        /// Its value in the generated policy, as JSON (`absent` when missing).
        generated: String,
    },
    /// An existing statement has the crate's `Sid` prefix but is not a statement the crate writes.
    #[error(
        "the existing policy's statement `{sid}` has the tool's sid prefix `CloudTrailPolicy` but is not a statement the tool writes ({reason}): rename its sid to keep it, or let the merge replace it"
    )]
    Unrecognised {
        /// The statement's `Sid`.
        sid: String,
        /// Why it is not recognised.
        reason: String,
    },
    /// The existing policy names another bucket than the generated statements.
    #[error(
        "the existing policy names bucket `{existing}`, but the generated statements are for bucket `{generated}`: a merge would mix two buckets; merge into `{generated}`'s own policy, or generate for `{existing}`"
    )]
    OtherBucket {
        /// The other bucket, as the existing policy names it.
        existing: String,
        /// The generated policy's bucket.
        generated: String,
    },
    /// A generated statement has the prefix but is not a shape the merge recognises, so a second
    /// merge could not recognise it either.
    #[error(
        "generated statement `{sid}` is not a statement the merge recognises as the tool's ({reason})"
    )]
    UnknownGenerated {
        /// The statement's `Sid`.
        sid: String,
        /// Why it is not recognised.
        reason: String,
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
