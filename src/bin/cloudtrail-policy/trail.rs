//! `trail`: one trail's request bodies straight from flags.

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use cloudtrail_policy::trail::{EventSelector, ManagementEventSource, ReadWriteType};
use cloudtrail_policy::{
    AccountId, BucketName, KeyPrefix, KmsKeyRef, OrganizationId, Region, TrailConfig, TrailName,
};

use crate::args::parse;
use crate::failure::{Failure, Outcome, Output, json};

#[derive(Debug, Args)]
pub struct TrailArgs {
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
    /// A management event source not to log (repeat).
    #[arg(long = "exclude-management-source", value_parser = management_sources())]
    exclude_management_sources: Vec<ManagementEventSource>,
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
    if args.organization
        && let Some(org) = args.org_id
    {
        b = b.organization(org, args.account, []);
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
        eprintln!("warning: {w}");
    }
    Output::ok(json(&config, args.compact)?)
}
