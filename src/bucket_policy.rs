//! The S3 bucket policy of the log archive: CloudTrail delivery for every delivering account and
//! organization, readers, and the hardening denies.
//!
//! Shapes come from CloudTrail's documented bucket policies
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>)
//! and, for the hardening, S3's example that denies requests without TLS
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html>). No AWS
//! page was found with a statement that denies log deletion or policy changes: those two are the
//! crate's own. The crate's statements carry Sids that start with [`SID_PREFIX`], so that a merge
//! can find and replace them without touching anybody else's statements.

use serde::Serialize;

use crate::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use crate::error::PolicyError;
use crate::intent::{Folders, Intent, Layout};

/// Every Sid the crate writes starts with this, and no other statement's should.
pub const SID_PREFIX: &str = "CloudTrailPolicy";

/// S3 refuses bucket policies over 20 KB
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html>); measured
/// on the minified form.
pub const BUCKET_POLICY_LIMIT: usize = 20_480;

const ACL: &str = "bucket-owner-full-control";

/// A generated bucket policy: the document and how it was laid out.
///
/// It serializes as the policy document itself, ready for
/// `aws s3api put-bucket-policy --policy file://...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketPolicy {
    // INVARIANT: `document` was generated from one checked `Intent` with `layout`, and its
    // minified size is at most `BUCKET_POLICY_LIMIT`.
    document: PolicyDocument,
    layout: Layout,
    fell_back: Option<usize>,
}

impl Serialize for BucketPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.document.serialize(s)
    }
}

impl BucketPolicy {
    /// Generates the bucket policy for `intent`.
    ///
    /// Without a layout in the intent, `Strict` is used while it fits 20,480 bytes, and
    /// `Documented` after that ([`BucketPolicy::fell_back_from_strict`] says so).
    ///
    /// # Errors
    /// [`PolicyError::BucketPolicyTooLarge`] when the policy does not fit even in the
    /// layout it ends with.
    ///
    /// ```
    /// use cloudtrail_policy::{BucketPolicy, Intent, Partition};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let intent = Intent::builder(Partition::Aws, "acme-cloudtrail-logs".parse()?)
    ///     .trail("arn:aws:cloudtrail:us-east-1:111111111111:trail/main".parse()?)
    ///     .build()?;
    /// let policy = BucketPolicy::generate(&intent)?;
    /// assert!(policy.document().to_json().contains("AWSLogs/111111111111/*"));
    /// # Ok(()) }
    /// ```
    pub fn generate(intent: &Intent) -> Result<BucketPolicy, PolicyError> {
        // Built once and passed down: the size bound and every layout tried share it instead of
        // building it again.
        let folders = intent.folders();
        let accounts = folders.len();
        match intent.layout() {
            Some(layout) => {
                let document = document(intent, &folders, layout);
                check_size(&document, layout, accounts)?;
                Ok(BucketPolicy {
                    document,
                    layout,
                    fell_back: None,
                })
            }
            None => {
                // Past a few hundred accounts the strict layout cannot fit, and building it
                // only to measure it would cost megabytes (its statements per account): skip
                // it when a lower bound on its size is already over the limit.
                let mut strict_len = None;
                if strict_lower_bound(intent, &folders) <= BUCKET_POLICY_LIMIT {
                    let strict = document(intent, &folders, Layout::Strict);
                    let len = strict.minified_len();
                    if len <= BUCKET_POLICY_LIMIT {
                        return Ok(BucketPolicy {
                            document: strict,
                            layout: Layout::Strict,
                            fell_back: None,
                        });
                    }
                    strict_len = Some(len);
                }
                let documented = document(intent, &folders, Layout::Documented);
                check_size(&documented, Layout::Documented, accounts)?;
                // The documented layout fits: report the strict size exactly, measuring it now
                // if the bound skipped it.
                let strict_len = strict_len
                    .unwrap_or_else(|| document(intent, &folders, Layout::Strict).minified_len());
                Ok(BucketPolicy {
                    document: documented,
                    layout: Layout::Documented,
                    fell_back: Some(strict_len),
                })
            }
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Consumes the policy, giving its document.
    pub fn into_document(self) -> PolicyDocument {
        self.document
    }

    /// The layout the policy ended with.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// When `Strict` did not fit and the policy fell back to `Documented`: the minified size
    /// `Strict` would have had.
    pub fn fell_back_from_strict(&self) -> Option<usize> {
        self.fell_back
    }
}

/// A lower bound on the minified size of the strict layout: it has at least one statement per
/// account folder, each naming the folder's `Resource` (`"<logs><account>/*"`), and JSON
/// escaping never shortens a string.
fn strict_lower_bound(intent: &Intent, folders: &Folders<'_>) -> usize {
    let logs = intent.logs_arn_root().len();
    folders
        .keys()
        .map(|account| logs + account.as_str().len() + "/*\"\"".len())
        .sum()
}

fn check_size(
    document: &PolicyDocument,
    layout: Layout,
    accounts: usize,
) -> Result<(), PolicyError> {
    let minified = document.minified_len();
    if minified > BUCKET_POLICY_LIMIT {
        return Err(PolicyError::BucketPolicyTooLarge {
            minified,
            pretty: document.pretty_len(),
            limit: BUCKET_POLICY_LIMIT,
            accounts,
            layout,
        });
    }
    Ok(())
}

fn strings<I, T>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = T>,
    T: ToString,
{
    items.into_iter().map(|t| t.to_string()).collect()
}

fn cloudtrail(intent: &Intent) -> Clause<Principal> {
    Clause::Is(Principal::service(
        intent.partition().cloudtrail_principal(),
    ))
}

fn sid(name: &str) -> String {
    format!("{SID_PREFIX}{name}")
}

/// The statements, in a fixed order: hardening denies, ACL checks, writes, readers.
fn document(intent: &Intent, folders: &Folders<'_>, layout: Layout) -> PolicyDocument {
    let mut statements = Vec::new();
    let bucket = intent.bucket_arn();
    let logs = intent.logs_arn_root();
    let protections = intent.protections();

    if protections.deny_insecure_transport() {
        // AWS's own "RestrictToTLSRequestsOnly" statement:
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
        statements.push(
            Statement::new(Effect::Deny)
                .with_sid(sid("DenyInsecureTransport"))
                .with_principal(Clause::Is(Principal::Any))
                .with_action(Clause::Is(vec!["s3:*".into()]))
                .with_resource(Clause::Is(vec![bucket.clone(), format!("{bucket}/*")]))
                .with_condition("Bool", "aws:SecureTransport", ["false"]),
        );
    }
    if protections.deny_delete() {
        // The crate's own, unconfirmed shape: no AWS CloudTrail or S3 page was found with such a
        // statement. CloudTrail's best practices recommend MFA Delete and least privilege but
        // show no deny:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
        // This one denies
        // deletion of log objects to every principal, the bucket owner included. Break-glass
        // principals are exempted by `aws:PrincipalArn`, which for a role session is the role's
        // ARN: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
        let mut st = Statement::new(Effect::Deny)
            .with_sid(sid("DenyLogDeletion"))
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(strings([
                "s3:DeleteObject",
                "s3:DeleteObjectVersion",
            ])))
            .with_resource(Clause::Is(vec![format!("{logs}*")]));
        if !protections.delete_exempt().is_empty() {
            st = st.with_condition(
                "ArnNotEquals",
                "aws:PrincipalArn",
                strings(protections.delete_exempt()),
            );
        }
        statements.push(st);
    }
    if let Some(admins) = protections.policy_admins() {
        // Opt-in. Lock-out risk: only these principals, and the account root user, whom S3
        // always lets delete a bucket policy, can change the policy:
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
        statements.push(
            Statement::new(Effect::Deny)
                .with_sid(sid("DenyPolicyChanges"))
                .with_principal(Clause::Is(Principal::Any))
                .with_action(Clause::Is(strings([
                    "s3:DeleteBucketPolicy",
                    "s3:PutBucketPolicy",
                ])))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("ArnNotEquals", "aws:PrincipalArn", strings(admins)),
        );
    }

    let known = intent.known_trails();
    let any_trail_accounts: Vec<_> = folders
        .iter()
        .filter(|(_, w)| w.any_trail)
        .map(|(a, _)| intent.any_trail_pattern(a))
        .collect();

    // The ACL check of AWS's documented policies (single account and organization, then several
    // accounts), bound to the delivering trails:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html
    if !known.is_empty() {
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("AclCheck"))
                .with_principal(cloudtrail(intent))
                .with_action(Clause::Is(vec!["s3:GetBucketAcl".into()]))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("StringEquals", "aws:SourceArn", strings(&known)),
        );
    }
    if !any_trail_accounts.is_empty() {
        // A wildcard SourceArn needs a *Like operator:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("AclCheckAnyTrail"))
                .with_principal(cloudtrail(intent))
                .with_action(Clause::Is(vec!["s3:GetBucketAcl".into()]))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("ArnLike", "aws:SourceArn", any_trail_accounts.clone()),
        );
    }

    let write = |name: String, resources: Vec<String>, op: &str, arns: Vec<String>| {
        Statement::new(Effect::Allow)
            .with_sid(sid(&name))
            .with_principal(cloudtrail(intent))
            .with_action(Clause::Is(vec!["s3:PutObject".into()]))
            .with_resource(Clause::Is(resources))
            .with_condition("StringEquals", "s3:x-amz-acl", [ACL])
            .with_condition(op, "aws:SourceArn", arns)
    };
    match layout {
        Layout::Strict => {
            for (account, writers) in folders {
                let folder = vec![format!("{logs}{account}/*")];
                if !writers.trails.is_empty() {
                    statements.push(write(
                        format!("Write{account}"),
                        folder.clone(),
                        "StringEquals",
                        strings(&writers.trails),
                    ));
                }
                if writers.any_trail {
                    statements.push(write(
                        format!("WriteAnyTrail{account}"),
                        folder,
                        "ArnLike",
                        vec![intent.any_trail_pattern(account)],
                    ));
                }
            }
        }
        Layout::Documented => {
            let named: Vec<String> = folders
                .iter()
                .filter(|(_, w)| !w.trails.is_empty())
                .map(|(a, _)| format!("{logs}{a}/*"))
                .collect();
            if !named.is_empty() {
                statements.push(write(
                    "Write".into(),
                    named,
                    "StringEquals",
                    strings(&known),
                ));
            }
            let any: Vec<String> = folders
                .iter()
                .filter(|(_, w)| w.any_trail)
                .map(|(a, _)| format!("{logs}{a}/*"))
                .collect();
            if !any.is_empty() {
                statements.push(write(
                    "WriteAnyTrail".into(),
                    any,
                    "ArnLike",
                    any_trail_accounts,
                ));
            }
        }
    }
    if let Some(org) = intent.organization() {
        // The third statement of AWS's organization-trail policy: the organization folder,
        // written by the org trail only:
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
        statements.push(write(
            "OrganizationWrite".into(),
            vec![format!("{logs}{}/*", org.id())],
            "StringEquals",
            vec![org.trail().to_string()],
        ));
    }

    let readers = intent.readers();
    if !readers.is_empty() {
        let principal = Clause::Is(Principal::aws(strings(readers)));
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("ReadLogs"))
                .with_principal(principal.clone())
                .with_action(Clause::Is(vec!["s3:GetObject".into()]))
                .with_resource(Clause::Is(vec![format!("{logs}*")])),
        );
        // ListBucket is a bucket action; `s3:prefix` keeps the listing to the log folders.
        let list_prefix = format!("{}AWSLogs/*", crate::id::logs_root(intent.prefix()));
        statements.push(
            Statement::new(Effect::Allow)
                .with_sid(sid("ListLogs"))
                .with_principal(principal)
                .with_action(Clause::Is(vec!["s3:ListBucket".into()]))
                .with_resource(Clause::Is(vec![bucket.clone()]))
                .with_condition("StringLike", "s3:prefix", [list_prefix]),
        );
    }
    PolicyDocument::new(statements)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Partition;

    fn intent(trails: usize, any_trail: usize, prefix: bool) -> Intent {
        let mut b = Intent::builder(Partition::Aws, "acme-cloudtrail-logs".parse().unwrap());
        if prefix {
            b = b.prefix("cloudtrail".parse().unwrap());
        }
        for i in 0..trails {
            let arn = format!(
                "arn:aws:cloudtrail:us-east-1:{:012}:trail/main",
                100_000 + i
            );
            b = b.trail(arn.parse().unwrap());
        }
        for i in 0..any_trail {
            b = b.account(format!("{:012}", 900_000 + i).parse().unwrap());
        }
        b.build().unwrap()
    }

    #[test]
    fn the_strict_lower_bound_never_exceeds_the_strict_size() {
        for (trails, any, prefix) in [(1, 0, false), (0, 1, true), (40, 40, true), (300, 0, false)]
        {
            let intent = intent(trails, any, prefix);
            let actual = document(&intent, &intent.folders(), Layout::Strict).minified_len();
            assert!(
                strict_lower_bound(&intent, &intent.folders()) <= actual,
                "{trails} {any} {prefix}"
            );
        }
    }

    #[test]
    fn skipping_the_strict_layout_changes_nothing_observable() {
        // 1,000 accounts: over the bound, and the documented layout is refused with the same
        // error as when the strict one was measured first.
        let intent = intent(1_000, 0, true);
        assert!(strict_lower_bound(&intent, &intent.folders()) > BUCKET_POLICY_LIMIT);
        let documented = document(&intent, &intent.folders(), Layout::Documented);
        match BucketPolicy::generate(&intent) {
            Err(PolicyError::BucketPolicyTooLarge {
                minified, layout, ..
            }) => {
                assert_eq!(minified, documented.minified_len());
                assert_eq!(layout, Layout::Documented);
            }
            other => panic!("expected too large, got {other:?}"),
        }
    }
}
