//! `--existing FILE`: merging a generated policy into an existing one, and saying on stderr every
//! statement the merge adds, changes or removes.

use std::path::{Path, PathBuf};

use clap::Args;
use cloudtrail_policy::{MergeError, MergeOptions, Merged, PolicyDocument, PolicyKind};

use crate::failure::Failure;
use crate::input::read_policy_text;

/// The flags of a merge, shared by `bucket-policy` and `key-policy`.
#[derive(Debug, Args)]
pub struct MergeFlags {
    /// Merge into the policy in FILE (`-` for stdin) instead of printing a new one: statements
    /// whose Sid starts with CloudTrailPolicy are replaced, all others kept as written.
    #[arg(long, value_name = "FILE")]
    pub existing: Option<PathBuf>,
    /// Let the merge drop or change a deny of the tool's that the existing policy has.
    #[arg(long, requires = "existing")]
    pub allow_relaxing_denies: bool,
    /// Let the merge replace statements whose Sid starts with CloudTrailPolicy but that are not
    /// statements the tool writes.
    #[arg(long, requires = "existing")]
    pub replace_unrecognised: bool,
}

/// `generated` merged into the policy in `path`; what changed goes to stderr.
pub fn merge_into(
    path: &Path,
    generated: &PolicyDocument,
    kind: PolicyKind,
    options: MergeOptions,
) -> Result<Merged, Failure> {
    let existing = read_policy_text(path)?;
    let merged = cloudtrail_policy::merge_with(&existing, generated, kind, options)
        .map_err(|e| refusal(&e))?;
    for (sid, why) in merged.replaced_unrecognised() {
        eprintln!(
            "warning: statement `{sid}` replaced although the tool does not write it ({why})"
        );
    }
    for sid in merged.added_statements() {
        eprintln!("note: statement `{sid}` added");
    }
    for sid in merged.changed_statements() {
        eprintln!("note: statement `{sid}` changed");
    }
    for sid in merged.removed_statements() {
        eprintln!("note: statement `{sid}` removed");
    }
    for a in merged.accounts_added() {
        eprintln!("note: account {a} added");
    }
    for a in merged.accounts_removed() {
        eprintln!("note: account {a} removed");
    }
    Ok(merged)
}

/// A refused merge: exit 1, with the flag that overrides the refusal when there is one.
fn refusal(e: &MergeError) -> Failure {
    let f = Failure::failed(e.to_string());
    match e {
        MergeError::WouldRemoveDeny { .. } | MergeError::WouldChangeDeny { .. } => f
            .help("to keep the deny, generate with the flags it was made with (--prefix, --bucket, --deny-delete-exempt, --no-deny-*, --policy-admin)")
            .help("to drop or change it on purpose, add --allow-relaxing-denies"),
        MergeError::Unrecognised { .. } => f
            .help("to keep the statement, rename its Sid in the existing policy so that it does not start with CloudTrailPolicy")
            .help("to replace it, add --replace-unrecognised"),
        MergeError::OtherBucket { existing, .. } => f.help(format!(
            "to merge into this policy, generate for its bucket: --bucket {existing}"
        )),
        _ => f,
    }
}
