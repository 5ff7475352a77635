//! The `cloudtrail-policy` command-line tool: a thin layer over the library.
//!
//! JSON only on stdout; errors and notes on stderr as `error: …` with each cause on its own
//! line. Exit 0 on success, 1 when the input is valid but the plan or check fails, 2 for usage
//! errors and unreadable or malformed input. A closed stdout pipe ends quietly with 0.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cloudtrail_policy::bucket_policy::BUCKET_POLICY_LIMIT;
use cloudtrail_policy::document::PolicyDocument;
use cloudtrail_policy::key_policy::{KEY_POLICY_LIMIT, lint_key_policy};
use cloudtrail_policy::plan::{Plan, PlanError};
use cloudtrail_policy::probe::{self, Report};
use cloudtrail_policy::spec::{EXAMPLE, Spec};
use cloudtrail_policy::trail::{EventSelector, ManagementEventSource, ReadWriteType};
use cloudtrail_policy::{
    AccountId, BucketName, BucketPolicy, Finding, Intent, KeyPolicy, KeyPrefix, KmsKeyArn,
    KmsKeyRef, Layout, OrganizationId, Partition, PrincipalArn, Region, Severity, TrailArn,
    TrailConfig, TrailName,
};

/// Generate and prove AWS CloudTrail log-archive bucket policies, KMS key policies and trail
/// configurations.
#[derive(Debug, Parser)]
#[command(name = "cloudtrail-policy", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    Strict,
    Documented,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Plan the whole setup from a spec file (the built-in example without SPEC).
    Plan {
        /// The spec file (`-` for stdin).
        spec: Option<PathBuf>,
        /// Write one file per artifact into DIR instead of one JSON document on stdout.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Minified JSON.
        #[arg(long)]
        compact: bool,
    },
    /// The findings of every check; exit 1 when any is an error.
    Check {
        /// The spec file (`-` for stdin).
        spec: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The probe matrix of both policies: who can do what where.
    Verify {
        /// The spec file (`-` for stdin).
        spec: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// A bucket policy straight from flags.
    BucketPolicy {
        #[arg(long, value_parser = parse::<BucketName>)]
        bucket: BucketName,
        /// A per-account trail that delivers (repeat).
        #[arg(long = "trail-arn", value_parser = parse::<TrailArn>)]
        trail_arns: Vec<TrailArn>,
        /// An account whose trails are not known yet (repeat).
        #[arg(long = "account", value_parser = parse::<AccountId>)]
        accounts: Vec<AccountId>,
        /// The organization id; the organization trail is `--org-trail-arn`, or else the only
        /// `--trail-arn`.
        #[arg(long, value_parser = parse::<OrganizationId>)]
        org_id: Option<OrganizationId>,
        /// The organization trail (owned by the management account).
        #[arg(long, value_parser = parse::<TrailArn>, requires = "org_id")]
        org_trail_arn: Option<TrailArn>,
        /// The partition; by default the trails', else `aws`.
        #[arg(long, value_parser = parse::<Partition>)]
        partition: Option<Partition>,
        #[arg(long, value_parser = parse::<KeyPrefix>)]
        prefix: Option<KeyPrefix>,
        #[arg(long, value_enum)]
        layout: Option<LayoutArg>,
        /// A principal that may read the logs (repeat).
        #[arg(long = "reader", value_parser = parse::<PrincipalArn>)]
        readers: Vec<PrincipalArn>,
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
    },
    /// A KMS key policy straight from flags.
    KeyPolicy {
        #[arg(long, value_parser = parse::<KmsKeyArn>)]
        key_arn: KmsKeyArn,
        #[arg(long = "trail-arn", value_parser = parse::<TrailArn>)]
        trail_arns: Vec<TrailArn>,
        #[arg(long = "account", value_parser = parse::<AccountId>)]
        accounts: Vec<AccountId>,
        #[arg(long, value_parser = parse::<OrganizationId>)]
        org_id: Option<OrganizationId>,
        #[arg(long, value_parser = parse::<TrailArn>, requires = "org_id")]
        org_trail_arn: Option<TrailArn>,
        /// A principal that may decrypt the logs (repeat).
        #[arg(long = "reader", value_parser = parse::<PrincipalArn>)]
        readers: Vec<PrincipalArn>,
        /// A key administrator (repeat).
        #[arg(long = "admin", value_parser = parse::<PrincipalArn>)]
        admins: Vec<PrincipalArn>,
        /// The bucket uses an S3 Bucket Key: CloudTrail also needs kms:Decrypt.
        #[arg(long)]
        bucket_key: bool,
        #[arg(long, value_name = "FILE")]
        existing: Option<PathBuf>,
        #[arg(long)]
        compact: bool,
    },
    /// One trail's request bodies straight from flags.
    Trail {
        #[arg(long, value_parser = parse::<TrailName>)]
        name: TrailName,
        #[arg(long, value_parser = parse::<AccountId>)]
        account: AccountId,
        #[arg(long, value_parser = parse::<Region>)]
        home_region: Region,
        #[arg(long, value_parser = parse::<BucketName>)]
        bucket: BucketName,
        #[arg(long, value_parser = parse::<KeyPrefix>)]
        prefix: Option<KeyPrefix>,
        #[arg(long, value_parser = parse::<KmsKeyRef>)]
        kms_key: Option<KmsKeyRef>,
        /// An organization trail; `--account` is the management account, `--org-id` the
        /// organization.
        #[arg(long, requires = "org_id")]
        organization: bool,
        #[arg(long, value_parser = parse::<OrganizationId>)]
        org_id: Option<OrganizationId>,
        #[arg(long)]
        single_region: bool,
        /// `kms.amazonaws.com` or `rdsdata.amazonaws.com` (repeat).
        #[arg(long = "exclude-management-source", value_parser = ["kms.amazonaws.com", "rdsdata.amazonaws.com"])]
        exclude_management_sources: Vec<String>,
        #[arg(long)]
        compact: bool,
    },
    /// Findings for an existing policy against a spec.
    Lint {
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "key_policy",
            required_unless_present = "key_policy"
        )]
        bucket_policy: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        key_policy: Option<PathBuf>,
        #[arg(long, value_name = "SPEC")]
        spec: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print the built-in example spec.
    Example,
    /// Print a JSON Schema of the spec file.
    Schema,
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| e.to_string())
}

/// A failure and the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
    causes: Vec<String>,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
            causes: Vec::new(),
        }
    }

    fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
            causes: Vec::new(),
        }
    }

    fn plan(err: &PlanError) -> Self {
        Failure {
            code: 1,
            message: "the plan failed its checks".into(),
            causes: err.errors().map(ToString::to_string).collect(),
        }
    }

    fn io(what: &str, path: &Path, err: &io::Error) -> Self {
        Failure {
            code: 2,
            message: format!("cannot {what} `{}`", path.display()),
            causes: vec![err.to_string()],
        }
    }
}

type Outcome = Result<Output, Failure>;

/// What a command prints on stdout, and its exit code (1 for a check that found errors).
struct Output {
    stdout: String,
    code: u8,
}

impl Output {
    fn ok(stdout: String) -> Outcome {
        Ok(Output { stdout, code: 0 })
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version on stdout (exit 0) and usage errors on stderr (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli.command) {
        Ok(out) => {
            let mut stdout = io::stdout().lock();
            match stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::from(out.code),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write to stdout\n  caused by: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(f) => {
            let mut text = format!("error: {}\n", f.message);
            for c in &f.causes {
                let _ = writeln!(text, "  caused by: {c}");
            }
            let _ = io::stderr().write_all(text.as_bytes());
            ExitCode::from(f.code)
        }
    }
}

fn json<T: serde::Serialize>(value: &T, compact: bool) -> Result<String, Failure> {
    let text = if compact {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    };
    text.map(|mut s| {
        s.push('\n');
        s
    })
    .map_err(|e| Failure::failed(format!("cannot serialize the output: {e}")))
}

fn read(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::io("read", path, &e))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| Failure::io("read", path, &e))
}

fn read_spec(path: &Path) -> Result<Spec, Failure> {
    let text = read(path)?;
    Spec::from_json(&text).map_err(|e| Failure {
        code: 2,
        message: format!("invalid spec `{}`", path.display()),
        causes: vec![e.to_string()],
    })
}

fn read_policy(path: &Path) -> Result<PolicyDocument, Failure> {
    let text = read(path)?;
    PolicyDocument::from_json(&text).map_err(|e| Failure {
        code: 2,
        message: format!("invalid policy `{}`", path.display()),
        causes: vec![e.to_string()],
    })
}

fn run(command: Command) -> Outcome {
    match command {
        Command::Plan { spec, out, compact } => plan(spec.as_deref(), out.as_deref(), compact),
        Command::Check { spec, format } => check(&spec, format),
        Command::Verify { spec, format } => verify(&spec, format),
        Command::BucketPolicy {
            bucket,
            trail_arns,
            accounts,
            org_id,
            org_trail_arn,
            partition,
            prefix,
            layout,
            readers,
            deny_delete_exempt,
            no_deny_delete,
            no_deny_insecure_transport,
            policy_admins,
            existing,
            compact,
        } => {
            let partition = partition
                .or_else(|| trail_arns.first().map(TrailArn::partition))
                .or_else(|| org_trail_arn.as_ref().map(TrailArn::partition))
                .unwrap_or(Partition::Aws);
            let mut b = delivery(
                Intent::builder(partition, bucket),
                trail_arns,
                accounts,
                org_id,
                org_trail_arn,
            )?;
            if let Some(p) = prefix {
                b = b.prefix(p);
            }
            if let Some(l) = layout {
                b = b.layout(match l {
                    LayoutArg::Strict => Layout::Strict,
                    LayoutArg::Documented => Layout::Documented,
                });
            }
            for r in readers {
                b = b.reader(r);
            }
            if no_deny_delete {
                b = b.allow_delete();
            }
            for e in deny_delete_exempt {
                b = b.delete_exempt(e);
            }
            if no_deny_insecure_transport {
                b = b.allow_insecure_transport();
            }
            for a in policy_admins {
                b = b.policy_admin(a);
            }
            let intent = b.build().map_err(|e| Failure::input(e.to_string()))?;
            let policy =
                BucketPolicy::generate(&intent).map_err(|e| Failure::failed(e.to_string()))?;
            if let Some(at) = policy.fell_back_from_strict() {
                eprintln!(
                    "note: the strict layout is {at} bytes, over S3's 20,480: the documented layout is used"
                );
            }
            proved(&probe::verify_bucket(
                policy.document(),
                &intent,
                policy.layout(),
            ))?;
            match existing {
                None => Output::ok(json(&policy, compact)?),
                Some(path) => {
                    let existing = read_policy(&path)?;
                    let merged = merged(&existing, policy.document(), BUCKET_POLICY_LIMIT)?;
                    let findings = cloudtrail_policy::lint_bucket_policy(&merged, &intent);
                    linted_output(&merged, &findings, compact)
                }
            }
        }
        Command::KeyPolicy {
            key_arn,
            trail_arns,
            accounts,
            org_id,
            org_trail_arn,
            readers,
            admins,
            bucket_key,
            existing,
            compact,
        } => {
            // The key policy never names the bucket; the intent needs one, so a fixed valid name
            // stands in (the probes of the key matrix do not use it).
            let bucket =
                BucketName::new("key-policy-only").map_err(|e| Failure::failed(e.to_string()))?;
            let mut b = delivery(
                Intent::builder(key_arn.partition(), bucket),
                trail_arns,
                accounts,
                org_id,
                org_trail_arn,
            )?
            .bucket_region(key_arn.region().clone())
            .bucket_key(bucket_key)
            .key(key_arn);
            for r in readers {
                b = b.reader(r);
            }
            for a in admins {
                b = b.key_admin(a);
            }
            let intent = b.build().map_err(|e| Failure::input(e.to_string()))?;
            let policy =
                KeyPolicy::generate(&intent).map_err(|e| Failure::failed(e.to_string()))?;
            proved(&policy.verify(&intent))?;
            match existing {
                None => Output::ok(json(&policy, compact)?),
                Some(path) => {
                    let existing = read_policy(&path)?;
                    let merged = merged(&existing, policy.document(), KEY_POLICY_LIMIT)?;
                    let findings = lint_key_policy(&merged, &intent);
                    linted_output(&merged, &findings, compact)
                }
            }
        }
        Command::Trail {
            name,
            account,
            home_region,
            bucket,
            prefix,
            kms_key,
            organization,
            org_id,
            single_region,
            exclude_management_sources,
            compact,
        } => {
            let mut b = TrailConfig::builder(name, account.clone(), home_region, bucket);
            if let Some(p) = prefix {
                b = b.prefix(p);
            }
            if let Some(k) = kms_key {
                b = b.kms_key(k);
            }
            if organization && let Some(org) = org_id {
                b = b.organization(org, account, []);
            }
            if single_region {
                b = b.single_region();
            }
            if !exclude_management_sources.is_empty() {
                let mut selector = EventSelector::management(ReadWriteType::All);
                for s in &exclude_management_sources {
                    selector = selector.excluding(if s == "kms.amazonaws.com" {
                        ManagementEventSource::Kms
                    } else {
                        ManagementEventSource::RdsData
                    });
                }
                b = b.event_selector(selector);
            }
            let config = b.build().map_err(|e| Failure::input(e.to_string()))?;
            for w in config.warnings() {
                eprintln!("warning: {w}");
            }
            Output::ok(json(&config, compact)?)
        }
        Command::Lint {
            bucket_policy,
            key_policy,
            spec,
            format,
        } => {
            let spec = read_spec(&spec)?;
            let plan = Plan::from_spec(&spec).map_err(|e| Failure::plan(&e))?;
            let findings = match (bucket_policy, key_policy) {
                (Some(path), _) => {
                    let policy = read_policy(&path)?;
                    cloudtrail_policy::lint::lint_bucket_policy(&policy, plan.intent())
                }
                (None, Some(path)) => {
                    let policy = read_policy(&path)?;
                    lint_key_policy(&policy, plan.intent())
                }
                (None, None) => {
                    return Err(Failure::input(
                        "name a policy to lint with --bucket-policy or --key-policy",
                    ));
                }
            };
            findings_output(&findings, format)
        }
        Command::Example => Output::ok(EXAMPLE.to_owned()),
        Command::Schema => Output::ok(SCHEMA.to_owned()),
    }
}

/// The JSON Schema of the spec file.
const SCHEMA: &str = include_str!("spec-schema.json");

fn delivery(
    mut b: cloudtrail_policy::IntentBuilder,
    mut trail_arns: Vec<TrailArn>,
    accounts: Vec<AccountId>,
    org_id: Option<OrganizationId>,
    org_trail_arn: Option<TrailArn>,
) -> Result<cloudtrail_policy::IntentBuilder, Failure> {
    if let Some(org) = org_id {
        let trail = match org_trail_arn {
            Some(t) => t,
            None if trail_arns.len() == 1 => trail_arns.remove(0),
            None => {
                return Err(Failure::input(
                    "--org-id needs the organization trail: give --org-trail-arn, or exactly one --trail-arn",
                ));
            }
        };
        b = b.organization_trail(org, trail);
    }
    for t in trail_arns {
        b = b.trail(t);
    }
    for a in accounts {
        b = b.account(a);
    }
    Ok(b)
}

/// Fails when a probe of the matrix does not get its expected verdict.
fn proved(report: &Report) -> Result<(), Failure> {
    if report.passed() {
        return Ok(());
    }
    Err(Failure {
        code: 1,
        message: "the generated policy failed its probe matrix".into(),
        causes: report
            .failures()
            .map(|f| format!("{}: expected {}", f.probe().name(), f.probe().expect()))
            .collect(),
    })
}

/// The crate's statements merged into an existing policy; what changed goes to stderr.
fn merged(
    existing: &PolicyDocument,
    generated: &PolicyDocument,
    limit: usize,
) -> Result<PolicyDocument, Failure> {
    let merged = cloudtrail_policy::merge(existing, generated, limit)
        .map_err(|e| Failure::failed(e.to_string()))?;
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
    let errors = findings.iter().any(|f| f.severity() == Severity::Error);
    Ok(Output {
        stdout: json(merged, compact)?,
        code: u8::from(errors),
    })
}

fn load_plan(spec: Option<&Path>) -> Result<Plan, Failure> {
    let spec = match spec {
        Some(path) => read_spec(path)?,
        None => {
            eprintln!(
                "note: no spec given: planning the built-in example (see `cloudtrail-policy example`)"
            );
            Spec::example().map_err(|e| Failure::failed(e.to_string()))?
        }
    };
    Plan::from_spec(&spec).map_err(|e| Failure::plan(&e))
}

fn plan(spec: Option<&Path>, out: Option<&Path>, compact: bool) -> Outcome {
    let plan = load_plan(spec)?;
    for f in plan.findings() {
        eprintln!("{f}");
    }
    match out {
        None => Output::ok(json(&plan, compact)?),
        Some(dir) => {
            let mut files = vec![(
                "log-archive.bucket-policy.json".to_owned(),
                json(plan.bucket_policy(), compact)?,
            )];
            if let Some(key) = plan.key_policy() {
                files.push(("log-archive.key-policy.json".into(), json(key, compact)?));
            }
            for t in plan.trails() {
                let stem = t.file_stem();
                let c = t.config();
                files.push((
                    format!("{stem}.create-trail.json"),
                    json(c.create_trail(), compact)?,
                ));
                files.push((
                    format!("{stem}.event-selectors.json"),
                    json(c.event_selectors(), compact)?,
                ));
                if let Some(insights) = c.insight_selectors() {
                    files.push((
                        format!("{stem}.insight-selectors.json"),
                        json(insights, compact)?,
                    ));
                }
            }
            for (name, text) in cloudtrail_policy::deploy::files(&plan) {
                let text = if compact {
                    let value: serde_json::Value = serde_json::from_str(&text)
                        .map_err(|e| Failure::failed(format!("cannot re-serialize {name}: {e}")))?;
                    json(&value, true)?
                } else if text.ends_with('\n') {
                    text
                } else {
                    text + "\n"
                };
                files.push((name, text));
            }
            files.push((
                "findings.json".into(),
                json(&serde_json::json!({ "findings": plan.findings() }), compact)?,
            ));
            write_all(dir, &files)?;
            eprintln!("wrote {} files to {}", files.len(), dir.display());
            Output::ok(String::new())
        }
    }
}

/// Writes every file under a temporary name beside its target in `dir` (names may hold one
/// `sub/` directory), then renames them all; on any error removes what it wrote, restores what
/// it replaced and removes the directories it created, so `dir` is left as it was.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), Failure> {
    let tag = format!(".cloudtrail-policy-{}", std::process::id());
    let mut plan: Vec<(PathBuf, PathBuf, &str)> = Vec::new(); // (target, temp, text)
    for (name, text) in files {
        let target = dir.join(name);
        if target.exists() && !target.is_file() {
            return Err(Failure::input(format!(
                "cannot write `{}`: something that is not a file is in the way",
                target.display()
            )));
        }
        let (Some(parent), Some(file)) = (target.parent(), target.file_name()) else {
            return Err(Failure::input(format!(
                "cannot write `{}`",
                target.display()
            )));
        };
        let temp = parent.join(format!("{tag}.{}", file.to_string_lossy()));
        plan.push((target, temp, text));
    }
    // Directories to create, outermost first.
    let mut created: Vec<PathBuf> = Vec::new();
    let mut state = Written::default();
    let result = (|| {
        for (target, temp, text) in &plan {
            if let Some(parent) = target.parent() {
                let mut missing: Vec<&Path> =
                    parent.ancestors().take_while(|a| !a.exists()).collect();
                missing.reverse();
                for d in missing {
                    std::fs::create_dir(d).map_err(|e| Failure::io("create directory", d, &e))?;
                    created.push(d.to_path_buf());
                }
            }
            std::fs::write(temp, text).map_err(|e| Failure::io("write", temp, &e))?;
            state.temps.push(temp.clone());
        }
        for (target, temp, _) in &plan {
            if target.exists() {
                let backup = target.with_file_name(format!(
                    "{tag}.old.{}",
                    target
                        .file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default()
                ));
                std::fs::rename(target, &backup).map_err(|e| Failure::io("replace", target, &e))?;
                state.backups.push((target.clone(), backup));
            }
            std::fs::rename(temp, target).map_err(|e| Failure::io("write", target, &e))?;
            state.placed.push(target.clone());
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            for (_, backup) in &state.backups {
                let _ = std::fs::remove_file(backup);
            }
            Ok(())
        }
        Err(f) => {
            for p in &state.placed {
                let _ = std::fs::remove_file(p);
            }
            for (original, backup) in &state.backups {
                let _ = std::fs::rename(backup, original);
            }
            for t in &state.temps {
                let _ = std::fs::remove_file(t);
            }
            for d in created.iter().rev() {
                let _ = std::fs::remove_dir(d);
            }
            Err(f)
        }
    }
}

/// What `write_all` has done so far, to undo it.
#[derive(Default)]
struct Written {
    temps: Vec<PathBuf>,
    backups: Vec<(PathBuf, PathBuf)>,
    placed: Vec<PathBuf>,
}

fn findings_output(findings: &[Finding], format: Format) -> Outcome {
    let errors = findings.iter().any(|f| f.severity() == Severity::Error);
    let stdout = match format {
        Format::Json => json(&serde_json::json!({ "findings": findings }), false)?,
        Format::Text => {
            let mut s = String::new();
            for f in findings {
                let _ = writeln!(s, "{f}");
            }
            if findings.is_empty() {
                s.push_str("no findings\n");
            }
            s
        }
    };
    Ok(Output {
        stdout,
        code: u8::from(errors),
    })
}

fn check(spec: &Path, format: Format) -> Outcome {
    let spec = read_spec(spec)?;
    let findings = match Plan::from_spec(&spec) {
        Ok(plan) => plan.findings().to_vec(),
        Err(e) => e.findings().to_vec(),
    };
    findings_output(&findings, format)
}

fn verify(spec: &Path, format: Format) -> Outcome {
    let plan = load_plan(Some(spec))?;
    let report = plan.verify();
    let code = u8::from(!report.passed());
    let stdout = match format {
        Format::Json => json(&report, false)?,
        Format::Text => matrix_text(&report),
    };
    Ok(Output { stdout, code })
}

/// One line per probe: verdict, policy, caller, action, resource, deciding statements, name.
fn matrix_text(report: &Report) -> String {
    let mut s = String::new();
    for r in report.results() {
        let p = r.probe();
        let request = p.request();
        let caller = match request.caller() {
            cloudtrail_policy::eval::Caller::Anonymous => "anonymous".to_owned(),
            cloudtrail_policy::eval::Caller::Service(s)
            | cloudtrail_policy::eval::Caller::Aws(s) => s.clone(),
        };
        let (verdict, by) = match r.outcome() {
            Ok(d) => (
                d.verdict().to_string(),
                d.deciding()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Err(u) => ("Unsupported".to_owned(), u.to_string()),
        };
        let mark = if r.passed() { "ok  " } else { "FAIL" };
        let _ = writeln!(
            s,
            "{mark} {verdict:<12} {:<6} {caller} {} {}{} | {}",
            format!("{:?}", p.kind()).to_lowercase(),
            request.action(),
            request.resource(),
            if by.is_empty() {
                String::new()
            } else {
                format!(" by {by}")
            },
            p.name(),
        );
    }
    let passed = report.results().iter().filter(|r| r.passed()).count();
    let _ = writeln!(
        s,
        "{passed} of {} probes as expected",
        report.results().len()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_schema_is_json() {
        let _: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    }
}
