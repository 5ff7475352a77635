//! `bucket-policy` and `key-policy`: one policy straight from flags, printed or merged into an
//! existing one.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use cloudtrail_policy::{
    BucketName, BucketPolicy, Finding, Intent, KeyPolicy, KeyPrefix, KmsKeyArn, Layout, Partition,
    PolicyDocument, PolicyKind, PrincipalArn, Report, merge,
};
use serde::Serialize;

use crate::args::{Delivery, parse};
use crate::failure::{Failure, Outcome, Output, has_errors, json, proved, read_policy};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    Strict,
    Documented,
}

#[derive(Debug, Args)]
pub struct BucketPolicyArgs {
    #[arg(long, value_parser = parse::<BucketName>)]
    bucket: BucketName,
    #[command(flatten)]
    delivery: Delivery,
    /// The partition; by default the trails', else `aws`.
    #[arg(long, value_parser = parse::<Partition>)]
    partition: Option<Partition>,
    #[arg(long, value_parser = parse::<KeyPrefix>)]
    prefix: Option<KeyPrefix>,
    #[arg(long, value_enum)]
    layout: Option<LayoutArg>,
    /// A break-glass principal exempt from the delete deny (repeat).
    #[arg(long = "deny-delete-exempt", value_parser = parse::<PrincipalArn>)]
    deny_delete_exempt: Vec<PrincipalArn>,
    /// Do not deny deleting log objects.
    #[arg(long)]
    no_deny_delete: bool,
    /// Do not deny requests without TLS.
    #[arg(long)]
    no_deny_insecure_transport: bool,
    /// Deny bucket-policy changes except to this administrator (repeat; lock-out risk).
    #[arg(long = "policy-admin", value_parser = parse::<PrincipalArn>)]
    policy_admins: Vec<PrincipalArn>,
    /// Merge into the policy in FILE instead of printing a new one.
    #[arg(long, value_name = "FILE")]
    existing: Option<PathBuf>,
    #[arg(long)]
    compact: bool,
}

#[derive(Debug, Args)]
pub struct KeyPolicyArgs {
    #[arg(long, value_parser = parse::<KmsKeyArn>)]
    key_arn: KmsKeyArn,
    #[command(flatten)]
    delivery: Delivery,
    /// A key administrator (repeat).
    #[arg(long = "admin", value_parser = parse::<PrincipalArn>)]
    admins: Vec<PrincipalArn>,
    /// The bucket uses an S3 Bucket Key: CloudTrail also needs kms:Decrypt.
    #[arg(long)]
    bucket_key: bool,
    /// The bucket the logs are in: binds the readers' decrypt to its log files (needed with
    /// `--bucket-key` and `--reader`).
    #[arg(long, value_parser = parse::<BucketName>)]
    bucket: Option<BucketName>,
    /// The trails' `S3KeyPrefix` in that bucket.
    #[arg(long, value_parser = parse::<KeyPrefix>, requires = "bucket")]
    prefix: Option<KeyPrefix>,
    #[arg(long, value_name = "FILE")]
    existing: Option<PathBuf>,
    #[arg(long)]
    compact: bool,
}

pub fn bucket_policy(args: BucketPolicyArgs) -> Outcome {
    let partition = args
        .partition
        .or_else(|| args.delivery.partition())
        .unwrap_or(Partition::Aws);
    let mut b = args
        .delivery
        .add_to(Intent::builder(partition).bucket(args.bucket))?;
    if let Some(p) = args.prefix {
        b = b.prefix(p);
    }
    if let Some(l) = args.layout {
        b = b.layout(match l {
            LayoutArg::Strict => Layout::Strict,
            LayoutArg::Documented => Layout::Documented,
        });
    }
    if args.no_deny_delete {
        b = b.allow_delete();
    }
    for e in args.deny_delete_exempt {
        b = b.delete_exempt(e);
    }
    if args.no_deny_insecure_transport {
        b = b.allow_insecure_transport();
    }
    for a in args.policy_admins {
        b = b.policy_admin(a);
    }
    let intent = b.build().map_err(|e| Failure::input(e.to_string()))?;
    let policy = BucketPolicy::generate(&intent).map_err(|e| Failure::failed(e.to_string()))?;
    if let Some(at) = policy.fell_back_from_strict() {
        eprintln!(
            "note: the strict layout is {at} bytes, over S3's 20,480: the documented layout is used"
        );
    }
    let lint = |merged: &PolicyDocument| BucketPolicy::lint(merged, &intent);
    let generated = Generated {
        policy: &policy,
        document: policy.document(),
        report: policy.verify(&intent),
        kind: PolicyKind::Bucket,
    };
    generated.emit(lint, args.existing.as_deref(), args.compact)
}

pub fn key_policy(args: KeyPolicyArgs) -> Outcome {
    let mut b = args
        .delivery
        .add_to(Intent::builder(args.key_arn.partition()))?
        .bucket_key(args.bucket_key)
        .key(args.key_arn);
    if let Some(bucket) = args.bucket {
        b = b.bucket(bucket);
    }
    if let Some(prefix) = args.prefix {
        b = b.prefix(prefix);
    }
    for a in args.admins {
        b = b.key_admin(a);
    }
    let intent = b.build().map_err(|e| Failure::input(e.to_string()))?;
    let policy = KeyPolicy::generate(&intent).map_err(|e| Failure::failed(e.to_string()))?;
    let lint = |merged: &PolicyDocument| KeyPolicy::lint(merged, &intent);
    let generated = Generated {
        policy: &policy,
        document: policy.document(),
        report: policy.verify(&intent),
        kind: PolicyKind::Key,
    };
    generated.emit(lint, args.existing.as_deref(), args.compact)
}

/// A generated policy with its proof.
struct Generated<'a, P> {
    policy: &'a P,
    document: &'a PolicyDocument,
    report: Report,
    kind: PolicyKind,
}

impl<P: Serialize> Generated<'_, P> {
    /// Fails unless the proof passed; then prints the policy, or merges it into the policy in
    /// `existing` and prints the merge, with `lint`'s findings on stderr.
    fn emit(
        self,
        lint: impl Fn(&PolicyDocument) -> Vec<Finding>,
        existing: Option<&Path>,
        compact: bool,
    ) -> Outcome {
        proved(&self.report)?;
        match existing {
            None => Output::ok(json(self.policy, compact)?),
            Some(path) => {
                let merged = merged(&read_policy(path)?, self.document, self.kind)?;
                linted_output(&merged, &lint(&merged), compact)
            }
        }
    }
}

/// The crate's statements merged into an existing policy; what changed goes to stderr.
fn merged(
    existing: &PolicyDocument,
    generated: &PolicyDocument,
    kind: PolicyKind,
) -> Result<PolicyDocument, Failure> {
    let merged = merge(existing, generated, kind).map_err(|e| Failure::failed(e.to_string()))?;
    for a in merged.accounts_added() {
        eprintln!("note: account {a} added");
    }
    for a in merged.accounts_removed() {
        eprintln!("note: account {a} removed");
    }
    Ok(merged.into_document())
}

/// A merged policy on stdout and its lint findings on stderr; exit 1 when any is an error (the
/// existing policy's own statements may still be too wide).
fn linted_output(merged: &PolicyDocument, findings: &[Finding], compact: bool) -> Outcome {
    for f in findings {
        eprintln!("{f}");
    }
    Ok(Output {
        stdout: json(merged, compact)?,
        code: u8::from(has_errors(findings)),
    })
}
