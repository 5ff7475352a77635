//! `trail`: one trail's request bodies straight from flags.

use std::path::PathBuf;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use cloudtrail_policy::trail::{EventSelector, ManagementEventSource, ReadWriteType};
use cloudtrail_policy::{
    AccountId, BucketName, KeyPrefix, KmsKeyRef, OrganizationId, PlannedTrail, Region, Style,
    TrailConfig, TrailName,
};

use crate::args::{cloudtrail_bucket, parse};
use crate::failure::{Failure, Outcome, Output, json};
use crate::write::write_files;

#[derive(Debug, Args)]
pub struct TrailArgs {
    /// The trail's name (3 to 128 letters, digits, `.`, `_`, `-`).
    #[arg(long, value_parser = parse::<TrailName>)]
    name: TrailName,
    /// The account that creates the trail (for an organization trail, the management account or
    /// a delegated administrator).
    #[arg(long, value_parser = parse::<AccountId>)]
    account: AccountId,
    /// The Region the trail is created in, e.g. us-east-1.
    #[arg(long, value_parser = parse::<Region>)]
    home_region: Region,
    /// The log-archive bucket (CloudTrail's naming rules: no dash next to a period).
    #[arg(long, value_parser = cloudtrail_bucket)]
    bucket: BucketName,
    /// The S3KeyPrefix to write under (no leading or trailing `/`).
    #[arg(long, value_parser = parse::<KeyPrefix>)]
    prefix: Option<KeyPrefix>,
    /// The KMS key that encrypts the logs: key ARN, alias ARN, `alias/<name>` or key id.
    #[arg(long, value_parser = parse::<KmsKeyRef>)]
    kms_key: Option<KmsKeyRef>,
    /// An organization trail; `--account` is the management account (the request bodies do not
    /// need the organization id).
    #[arg(long)]
    organization: bool,
    /// The organization's id (optional: the request bodies do not carry it).
    #[arg(long, value_parser = parse::<OrganizationId>, requires = "organization")]
    org_id: Option<OrganizationId>,
    /// Log the home Region only (multi-Region is the default).
    #[arg(long)]
    single_region: bool,
    /// A management event source not to log (repeat).
    #[arg(long = "exclude-management-source", value_parser = management_sources())]
    exclude_management_sources: Vec<ManagementEventSource>,
    /// Write `<account>-<name>.create-trail.json`, `….event-selectors.json` (and
    /// `….insight-selectors.json`) into DIR, as `plan --out` names them, instead of one
    /// document on stdout.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Minified JSON.
    #[arg(long)]
    compact: bool,
}

/// The sources a selector can exclude, as the API names them (`--help` lists them).
fn management_sources() -> impl TypedValueParser<Value = ManagementEventSource> {
    PossibleValuesParser::new(ManagementEventSource::ALL.map(ManagementEventSource::as_str)).map(
        |s| {
            ManagementEventSource::ALL
                .into_iter()
                .find(|m| m.as_str() == s)
                // INVARIANT: the possible-values parser lets only these names through.
                .unwrap_or(ManagementEventSource::Kms)
        },
    )
}

pub fn run(args: TrailArgs) -> Outcome {
    let mut b = TrailConfig::builder(
        args.name,
        args.account.clone(),
        args.home_region,
        args.bucket,
    );
    if let Some(p) = args.prefix {
        b = b.prefix(p);
    }
    if let Some(k) = args.kms_key {
        b = b.kms_key(k);
    }
    if args.organization {
        b = match args.org_id {
            Some(org) => b.organization(org, args.account.clone(), []),
            None => b.organization_trail(args.account.clone(), []),
        };
    }
    if args.single_region {
        b = b.single_region();
    }
    if !args.exclude_management_sources.is_empty() {
        let selector = args.exclude_management_sources.into_iter().fold(
            EventSelector::management(ReadWriteType::All),
            |s, source| s.excluding(source),
        );
        b = b.event_selector(selector);
    }
    let config = b.build().map_err(|e| Failure::input(e.to_string()))?;
    for w in config.warnings() {
        eprintln!("warning[trail]: {w}");
    }
    let style = if args.compact {
        Style::Compact
    } else {
        Style::Pretty
    };
    match args.out {
        None => Output::ok(json(&config, args.compact)?),
        Some(dir) => {
            let files = PlannedTrail::new(args.account, config)
                .files(style)
                .map_err(|e| Failure::failed(e.to_string()))?;
            write_files(&dir, &files)?;
            Output::ok(String::new())
        }
    }
}
