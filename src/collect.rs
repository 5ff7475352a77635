//! What to collect from a live setup, and the POSIX shell script that collects it: for each
//! account, the AWS CLI commands that read the live state of the plan's log archive, trails and
//! organization, each saving its output in a file named after it.

use std::fmt::Write as _;

use crate::id::{AccountId, KmsKeyArn, KmsKeyRef};
use crate::live::Operation;
use crate::plan::Plan;

/// One command of a collection: the file it saves and its AWS CLI arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveCommand {
    file: String,
    operation: Operation,
    args: Vec<String>,
}

impl LiveCommand {
    fn new(stem: &str, operation: Operation, args: &[(&'static str, String)]) -> Self {
        LiveCommand {
            file: format!("{stem}.{}", operation.as_str()),
            operation,
            args: args
                .iter()
                .flat_map(|(flag, value)| [(*flag).to_owned(), value.clone()])
                .collect(),
        }
    }

    /// The file name without extension, e.g. `log-archive.get-bucket-policy`: the output is
    /// saved as `<file>.json`, an error message as `<file>.error`.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// What the command reads.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The command as one line, e.g. `aws s3api get-bucket-policy --bucket b --region
    /// us-east-1`.
    pub fn command_line(&self) -> String {
        let mut line = self.operation.to_string();
        for a in &self.args {
            line.push(' ');
            line.push_str(&quote(a));
        }
        line
    }
}

/// The commands that need the credentials of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    what: String,
    account: AccountId,
    commands: Vec<LiveCommand>,
}

impl Block {
    /// What the block reads, e.g. `log archive: bucket acme-cloudtrail-logs in us-east-1`.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The account whose credentials the block needs.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The commands.
    pub fn commands(&self) -> &[LiveCommand] {
        &self.commands
    }
}

/// Every command that reads the live state of a plan, grouped by the account it runs in.
///
/// ```
/// use cloudtrail_policy::{Collection, Plan, Spec};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let plan = Plan::from_spec(&Spec::example()?)?;
/// let collection = Collection::from_plan(&plan);
/// let policy = collection.command("log-archive.get-bucket-policy").unwrap();
/// assert_eq!(policy.command_line(), "aws s3api get-bucket-policy --bucket acme-cloudtrail-logs --region us-east-1");
/// assert!(collection.script().starts_with("#!/bin/sh\n"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    blocks: Vec<Block>,
}

/// The stem of the log-archive files, as in [`Plan::files`]' `log-archive.bucket-policy.json`.
pub(crate) const LOG_ARCHIVE: &str = "log-archive";
/// The stem of the organization's files.
pub(crate) const ORGANIZATION: &str = "organization";

impl Collection {
    /// The commands for `plan`:
    ///
    /// - in the log-archive account: `sts get-caller-identity` and the bucket's policy,
    ///   location, encryption, versioning, public access block, ownership controls, logging,
    ///   lifecycle and Object Lock configuration; with a key named by its ARN, the key's policy
    ///   and rotation status (KMS reads a key by its id or ARN, not by an alias:
    ///   <https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html>);
    /// - for each trail, in the account that creates it and its home Region, named by its ARN:
    ///   `get-trail`, `get-trail-status`, `get-event-selectors`, `get-insight-selectors`;
    /// - with an organization trail, in the management account: `describe-organization` and
    ///   `list-accounts` (which only the management account or a delegated administrator may
    ///   call, <https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html>).
    ///
    /// Files are named `<stem>.<command>`: `log-archive`, the trail's
    /// [`PlannedTrail::file_stem`](crate::PlannedTrail::file_stem), `organization`.
    pub fn from_plan(plan: &Plan) -> Collection {
        let mut blocks = Vec::new();
        let bucket = plan.log_archive_bucket().to_string();
        let region = plan.log_archive_region();
        let at = |flags: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
            flags
                .iter()
                .cloned()
                .chain(std::iter::once(("--region", region.to_string())))
                .collect()
        };
        let on_bucket = at(&[("--bucket", bucket.clone())]);
        let mut commands = vec![LiveCommand::new(
            LOG_ARCHIVE,
            Operation::GetCallerIdentity,
            &at(&[]),
        )];
        for op in Operation::ALL
            .into_iter()
            .filter(|o| o.service() == "s3api")
        {
            commands.push(LiveCommand::new(LOG_ARCHIVE, op, &on_bucket));
        }
        if let Some(key) = key_arn(plan) {
            let key_region = key.region().to_string();
            let key = key.to_string();
            commands.push(LiveCommand::new(
                LOG_ARCHIVE,
                Operation::GetKeyPolicy,
                &[
                    ("--key-id", key.clone()),
                    ("--policy-name", "default".to_owned()),
                    ("--region", key_region.clone()),
                ],
            ));
            commands.push(LiveCommand::new(
                LOG_ARCHIVE,
                Operation::GetKeyRotationStatus,
                &[("--key-id", key), ("--region", key_region)],
            ));
        }
        blocks.push(Block {
            what: format!("log archive: bucket {bucket} in {region}"),
            account: plan.log_archive_account().clone(),
            commands,
        });
        for trail in plan.trails() {
            let arn = trail.config().arn();
            let stem = trail.file_stem();
            let home = ("--region", arn.region().to_string());
            let commands = vec![
                LiveCommand::new(
                    &stem,
                    Operation::GetCallerIdentity,
                    std::slice::from_ref(&home),
                ),
                LiveCommand::new(
                    &stem,
                    Operation::GetTrail,
                    &[("--name", arn.to_string()), home.clone()],
                ),
                LiveCommand::new(
                    &stem,
                    Operation::GetTrailStatus,
                    &[("--name", arn.to_string()), home.clone()],
                ),
                LiveCommand::new(
                    &stem,
                    Operation::GetEventSelectors,
                    &[("--trail-name", arn.to_string()), home.clone()],
                ),
                LiveCommand::new(
                    &stem,
                    Operation::GetInsightSelectors,
                    &[("--trail-name", arn.to_string()), home],
                ),
            ];
            blocks.push(Block {
                what: format!("trail {arn}, home region {}", arn.region()),
                account: trail.account().clone(),
                commands,
            });
        }
        if let Some(org) = plan.intent().organization() {
            let region = ("--region", org.trail().region().to_string());
            blocks.push(Block {
                what: format!("organization {}", org.id()),
                account: org.management_account().clone(),
                commands: vec![
                    LiveCommand::new(
                        ORGANIZATION,
                        Operation::GetCallerIdentity,
                        std::slice::from_ref(&region),
                    ),
                    LiveCommand::new(
                        ORGANIZATION,
                        Operation::DescribeOrganization,
                        std::slice::from_ref(&region),
                    ),
                    LiveCommand::new(ORGANIZATION, Operation::ListAccounts, &[region]),
                ],
            });
        }
        Collection { blocks }
    }

    /// The blocks, one per account and purpose, in the order the script runs them.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Every command.
    pub fn commands(&self) -> impl Iterator<Item = &LiveCommand> {
        self.blocks.iter().flat_map(|b| b.commands.iter())
    }

    /// The command that saves `file` (without extension).
    pub fn command(&self, file: &str) -> Option<&LiveCommand> {
        self.commands().find(|c| c.file == file)
    }

    /// A POSIX shell script that runs every command and saves its output into the directory
    /// given as its first argument: `<file>.json` when the command succeeds, `<file>.error` with
    /// the AWS CLI's message when it fails (a bucket without a lifecycle configuration, say).
    /// Each block says which account's credentials it needs; the script uses the credentials the
    /// AWS CLI finds, which is enough where one set reaches every account, and a block uses the
    /// profile named by `CLOUDTRAIL_POLICY_PROFILE_<account>` when that variable is set. It ends
    /// with the count of failed commands on stderr, and exits 0 once every command ran (the
    /// audit decides what an error file means) or 2 when the directory cannot be made.
    pub fn script(&self) -> String {
        let mut s = String::from(SCRIPT_HEAD);
        for block in &self.blocks {
            let ops: Vec<String> = block
                .commands
                .iter()
                .map(|c| format!("{} {}", c.operation.service(), c.operation.as_str()))
                .collect();
            let _ = writeln!(
                s,
                "\n# {}\n# Credentials of account {} that may run: {}.\naccount {}",
                block.what,
                block.account,
                ops.join(", "),
                block.account
            );
            for c in &block.commands {
                let _ = writeln!(s, "save {} {}", quote(&c.file), c.command_line());
            }
        }
        s.push_str(SCRIPT_TAIL);
        s
    }
}

const SCRIPT_HEAD: &str = r#"#!/bin/sh
# Saves the live state of a CloudTrail log archive for `cloudtrail-policy audit SPEC DIR`.
# Usage: sh collect.sh DIR
# Each command's output goes to DIR/<file>.json; when it fails, the AWS CLI's message goes to
# DIR/<file>.error instead (a bucket without a lifecycle configuration fails that way).
# Each block runs with the credentials the AWS CLI finds (AWS_PROFILE, the environment, ...),
# which is enough where one set of credentials reaches every account; set
# CLOUDTRAIL_POLICY_PROFILE_<account> to run that account's block with another profile.
set -u
dir=${1:?usage: sh collect.sh DIR}
mkdir -p "$dir" || exit 2
failed=0
profile=
account() {
  eval "profile=\${CLOUDTRAIL_POLICY_PROFILE_$1:-}"
}
save() {
  file=$1
  shift
  rm -f "$dir/$file.json" "$dir/$file.error"
  if [ -n "$profile" ]; then
    set -- "$@" --profile "$profile"
  fi
  if "$@" --output json >"$dir/$file.json" 2>"$dir/$file.error"; then
    rm -f "$dir/$file.error"
  else
    rm -f "$dir/$file.json"
    failed=$((failed + 1))
  fi
}
"#;

const SCRIPT_TAIL: &str = r#"
echo "saved the live state in $dir; $failed commands failed (their messages are in $dir/*.error)" >&2
"#;

/// `s` as one shell word: as it is when it holds only characters no shell treats specially,
/// else in single quotes.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | '@' | ',')
        });
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The key ARN of the plan's key, when the spec names it by ARN.
pub(crate) fn key_arn(plan: &Plan) -> Option<KmsKeyArn> {
    match plan.key_source()?.key_ref() {
        KmsKeyRef::KeyArn(arn) => Some(arn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(
            quote("arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"
        );
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
