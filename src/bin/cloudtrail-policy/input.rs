//! Reading the input files: a spec or a policy, from a path or from stdin (`-`), never more than
//! a fixed size, so that `check /dev/zero` fails at once instead of filling memory.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use cloudtrail_policy::{PolicyDocument, PolicyText, Spec};

use crate::failure::Failure;

/// The largest policy read: 64 KiB (65,536 bytes). S3 refuses bucket policies over 20 KB
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html>) and KMS key
/// policies over 32 KB (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>),
/// so a larger file cannot be either, whatever its whitespace.
pub const POLICY_LIMIT: (u64, &str) = (64 * 1024, "64 KiB");

/// The largest spec read: 16 MiB (16,777,216 bytes), about a hundred times a spec of 10,000 accounts
/// each with its own trail.
pub const SPEC_LIMIT: (u64, &str) = (16 * 1024 * 1024, "16 MiB");

/// Where an input comes from, as messages name it: `` `path` ``, or `stdin` for `-`.
#[derive(Clone, Copy)]
pub struct Source<'a>(&'a Path);

impl Source<'_> {
    fn is_stdin(self) -> bool {
        self.0 == Path::new("-")
    }

    /// After a noun: "spec `path`", "spec on stdin".
    fn after_noun(self) -> String {
        if self.is_stdin() {
            "on stdin".to_owned()
        } else {
            self.to_string()
        }
    }
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_stdin() {
            f.write_str("stdin")
        } else {
            write!(f, "`{}`", self.0.display())
        }
    }
}

/// The text of `path` (stdin for `-`), refused over `limit` bytes or when not UTF-8; `what` names
/// the input in the messages (`spec`, `policy`), `shown` the limit.
pub fn read(path: &Path, (limit, shown): (u64, &str), what: &str) -> Result<String, Failure> {
    let source = Source(path);
    let named = source.after_noun();
    let cannot = |e: io::Error| Failure::input(format!("cannot read {source}")).caused_by(e);
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if source.is_stdin() {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(cannot)?)
    };
    // One byte over the limit tells "too large" from "exactly the limit".
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(Failure::input(format!(
            "{what} {named} is over {shown}, the most this tool reads{}",
            if what == "policy" {
                ": S3 bucket policies are at most 20 KB and KMS key policies 32 KB"
            } else {
                ""
            }
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure::input(format!("{what} {named} is not utf-8 text")).caused_by(format!(
            "invalid byte at offset {}",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The spec in `path` (stdin for `-`).
pub fn read_spec(path: &Path) -> Result<Spec, Failure> {
    let text = read(path, SPEC_LIMIT, "spec")?;
    Spec::from_json(&text).map_err(|e| {
        Failure::input(format!("invalid spec {}", Source(path).after_noun())).caused_by(e)
    })
}

/// The policy in `path` (stdin for `-`).
pub fn read_policy(path: &Path) -> Result<PolicyDocument, Failure> {
    read_policy_text(path).map(|p| p.document().clone())
}

/// The policy in `path` (stdin for `-`) as written, for a merge.
pub fn read_policy_text(path: &Path) -> Result<PolicyText, Failure> {
    let text = read(path, POLICY_LIMIT, "policy")?;
    PolicyText::from_json_or_cli_output(&text).map_err(|e| {
        Failure::input(format!("invalid policy {}", Source(path).after_noun())).caused_by(e)
    })
}
