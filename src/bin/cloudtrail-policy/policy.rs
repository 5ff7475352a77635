//! `bucket-policy` and `key-policy`: one policy straight from flags, printed or merged into an
//! existing one.

use clap::{Args, ValueEnum};
use cloudtrail_policy::{
    AccountId, BucketName, BucketPolicy, Finding, Intent, KeyPolicy, KeyPrefix, KmsKeyArn, Layout,
    MergeOptions, Partition, PolicyDocument, PolicyKind, PrincipalArn, Report,
};
use serde::Serialize;

use crate::args::{Delivery, cloudtrail_bucket, parse};
use crate::failure::{Failure, Outcome, Output, has_errors, json, proved};
use crate::merging::{MergeFlags, merge_into};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    Strict,
    Documented,
}

#[derive(Debug, Args)]
pub struct BucketPolicyArgs {
    /// The log-archive bucket (CloudTrail's naming rules: no dash next to a period).
    #[arg(long, value_parser = cloudtrail_bucket)]
    bucket: BucketName,
    #[command(flatten)]
    delivery: Delivery,
    /// The account that owns the bucket: its own principals are not reported as cross-account.
    #[arg(long, value_name = "ACCOUNT", value_parser = parse::<AccountId>)]
    owner: Option<AccountId>,
    /// The partition; by default the trails', else `aws`.
    #[arg(long, value_parser = parse::<Partition>)]
    partition: Option<Partition>,
    /// The S3KeyPrefix the trails write under (no leading or trailing `/`).
    #[arg(long, value_parser = parse::<KeyPrefix>)]
    prefix: Option<KeyPrefix>,
    /// One write statement per account folder (strict) or AWS's single statement (documented);
    /// by default strict while it fits in 20,480 bytes.
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
    #[command(flatten)]
    merge: MergeFlags,
    /// Minified JSON.
    #[arg(long)]
    compact: bool,
}

#[derive(Debug, Args)]
pub struct KeyPolicyArgs {
    /// The key's ARN, `arn:<partition>:kms:<region>:<account>:key/<key-id>`.
    #[arg(long, value_parser = key_arn)]
    key_arn: KmsKeyArn,
    #[command(flatten)]
    delivery: Delivery,
    /// The account that owns the log bucket: its own principals are not reported as
    /// cross-account.
    #[arg(long, value_name = "ACCOUNT", value_parser = parse::<AccountId>)]
    owner: Option<AccountId>,
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
    #[command(flatten)]
    merge: MergeFlags,
    /// Minified JSON.
    #[arg(long)]
    compact: bool,
}

/// A key policy is written for one key, named by its ARN: an alias or a bare key id names no
/// account and region, which the policy's root statement and region check need.
fn key_arn(s: &str) -> Result<KmsKeyArn, String> {
    match s.parse::<KmsKeyArn>() {
        Ok(arn) => Ok(arn),
        Err(_) if s.starts_with("alias/") || !s.starts_with("arn:") => Err(format!(
            "`{s}` is not a key arn: a key policy needs the key's arn, `arn:<partition>:kms:<region>:<account>:key/<key-id>` (`aws kms describe-key --key-id {s}` shows it)"
        )),
        Err(e) => Err(e.to_string()),
    }
}

pub fn bucket_policy(args: BucketPolicyArgs) -> Outcome {
    let partition = args
        .partition
        .or_else(|| args.delivery.partition())
        .unwrap_or(Partition::Aws);
    let mut b = args.delivery.add_to(
        Intent::builder(partition).bucket(args.bucket),
        "bucket-policy",
    )?;
    if let Some(owner) = args.owner {
        b = b.bucket_owner(owner);
    }
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
            "note: the strict layout is {at} bytes, over S3's {}: the documented layout is used",
            PolicyKind::Bucket.size_limit()
        );
    }
    let lint = |merged: &PolicyDocument| BucketPolicy::lint(merged, &intent);
    let generated = Generated {
        policy: &policy,
        document: policy.document(),
        report: policy.verify(&intent),
        kind: PolicyKind::Bucket,
    };
    generated.emit(lint, &args.merge, args.compact)
}

pub fn key_policy(args: KeyPolicyArgs) -> Outcome {
    let mut b = args
        .delivery
        .add_to(Intent::builder(args.key_arn.partition()), "key-policy")?
        .bucket_key(args.bucket_key)
        .key(args.key_arn);
    if let Some(owner) = args.owner {
        b = b.bucket_owner(owner);
    }
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
    generated.emit(lint, &args.merge, args.compact)
}

/// A generated policy with its proof.
struct Generated<'a, P> {
    policy: &'a P,
    document: &'a PolicyDocument,
    report: Report,
    kind: PolicyKind,
}

impl<P: Serialize> Generated<'_, P> {
    /// Fails unless the proof passed; then prints the policy, or merges it into the policy named
    /// by `--existing` and prints the merge, with `lint`'s findings on stderr.
    fn emit(
        self,
        lint: impl Fn(&PolicyDocument) -> Vec<Finding>,
        merge: &MergeFlags,
        compact: bool,
    ) -> Outcome {
        proved(&self.report)?;
        let Some(path) = merge.existing.as_deref() else {
            return Output::ok(json(self.policy, compact)?);
        };
        let options = MergeOptions::default()
            .allow_relaxing_denies(merge.allow_relaxing_denies)
            .replace_unrecognised(merge.replace_unrecognised);
        let merged = merge_into(path, self.document, self.kind, options)?;
        let findings = lint(merged.document());
        for f in &findings {
            eprintln!("{f}");
        }
        let mut stdout = if compact {
            merged.to_json()
        } else {
            merged.to_json_pretty()
        };
        stdout.push('\n');
        // Exit 1 when the merged policy fails its lint: the existing policy's own statements may
        // still be too wide.
        Ok(Output {
            stdout,
            code: u8::from(has_errors(&findings)),
        })
    }
}
