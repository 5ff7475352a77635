//! Trail quota planning: the documented counting rules, both organization-trail assumptions,
//! exact messages, and proptest against a brute-force recount.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::{BTreeMap, BTreeSet};

use cloudtrail_policy::{AccountId, Region};
use cloudtrail_policy::{
    MAX_TRAILS_PER_REGION, OrgTrailCounting, QuotaError, TrailInventory, TrailRecord,
};
use proptest::prelude::*;

const MGMT: &str = "111122223333";
const MEMBER: &str = "222233334444";

fn a(s: &str) -> AccountId {
    s.parse().unwrap()
}

fn r(s: &str) -> Region {
    s.parse().unwrap()
}

fn t(account: &str, region: &str, name: &str) -> TrailRecord {
    TrailRecord::new(a(account), r(region), name.parse().unwrap())
}

#[test]
fn the_documented_worked_example_fills_a_region() {
    // "2 single-Region + 2 multi-Region created there + 1 multi-Region created in Sydney"
    // (AWS's worked example): the Region holds five trails, so a sixth fails.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-trails-multiple-trails-per-region
    let inventory = TrailInventory::new()
        .existing(t(MEMBER, "us-east-1", "single-1"))
        .existing(t(MEMBER, "us-east-1", "single-2"))
        .existing(t(MEMBER, "us-east-1", "multi-1").multi_region())
        .existing(t(MEMBER, "us-east-1", "multi-2").multi_region())
        .existing(t(MEMBER, "ap-southeast-2", "sydney-multi").multi_region());
    let report = inventory.check().unwrap();
    assert_eq!(report.count(&a(MEMBER), &r("us-east-1")), 5);
    assert_eq!(report.count(&a(MEMBER), &r("ap-southeast-2")), 3);
    let err = inventory
        .planned(t(MEMBER, "us-east-1", "sixth"))
        .check()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "trail `sixth` cannot be created: account `222233334444` already has 5 trails in region `us-east-1` (`single-1`, `single-2`, `multi-1`, `multi-2`, `sydney-multi`) (MaximumNumberOfTrailsExceededException)"
    );
}

#[test]
fn a_multi_region_trail_is_blocked_by_any_full_region_of_its_partition() {
    let full_eu = (0..5).fold(TrailInventory::new(), |inv, i| {
        inv.existing(t(MEMBER, "eu-west-1", &format!("eu-{i}")))
    });
    // A single-Region trail elsewhere is fine; a multi-Region one would be a sixth in eu-west-1.
    assert!(
        full_eu
            .clone()
            .planned(t(MEMBER, "us-east-1", "us-single"))
            .check()
            .is_ok()
    );
    match full_eu
        .clone()
        .planned(t(MEMBER, "us-east-1", "us-multi").multi_region())
        .check()
    {
        Err(QuotaError::MaximumNumberOfTrailsExceeded { region, trails, .. }) => {
            assert_eq!(region, r("eu-west-1"));
            assert_eq!(trails.len(), 5);
        }
        other => panic!("{other:?}"),
    }
    // Another partition does not count.
    assert!(
        full_eu
            .planned(t(MEMBER, "cn-north-1", "cn-multi").multi_region())
            .check()
            .is_ok()
    );
}

fn member_with_org_trail_and_four(counting: OrgTrailCounting) -> TrailInventory {
    (1..=4).fold(
        TrailInventory::new()
            .org_trail_counting(counting)
            .organization_members([a(MEMBER)])
            .existing(
                t(MGMT, "us-east-1", "org-trail")
                    .multi_region()
                    .organization(),
            ),
        |inv, i| inv.existing(t(MEMBER, "us-east-1", &format!("own-{i}"))),
    )
}

#[test]
fn organization_trails_in_member_accounts_both_ways() {
    // Counted in members: the member is full, its next trail fails and names the org trail.
    let counted = member_with_org_trail_and_four(OrgTrailCounting::InMembers);
    assert_eq!(
        counted.check().unwrap().count(&a(MEMBER), &r("eu-west-1")),
        0
    );
    let err = counted
        .clone()
        .planned(t(MEMBER, "us-east-1", "own-5"))
        .check()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "trail `own-5` cannot be created: account `222233334444` already has 5 trails in region `us-east-1` (`org-trail`, `own-1`, `own-2`, `own-3`, `own-4`) (MaximumNumberOfTrailsExceededException)"
    );
    // Not counted in members: the same plan passes.
    let owner_only = member_with_org_trail_and_four(OrgTrailCounting::OwnerOnly);
    let report = owner_only
        .clone()
        .planned(t(MEMBER, "us-east-1", "own-5"))
        .check()
        .unwrap();
    assert_eq!(report.count(&a(MEMBER), &r("us-east-1")), 5);
    assert_eq!(report.count(&a(MGMT), &r("us-east-1")), 1);
}

#[test]
fn an_organization_trail_is_created_in_full_member_accounts() {
    let full_member = (0..5).fold(
        TrailInventory::new().organization_members([a(MEMBER)]),
        |inv, i| inv.existing(t(MEMBER, "us-east-1", &format!("own-{i}"))),
    );
    let report = full_member
        .planned(
            t(MGMT, "us-east-1", "org-trail")
                .multi_region()
                .organization(),
        )
        .check()
        .unwrap();
    // Counted there (the cautious default), but creation was not blocked.
    assert_eq!(report.count(&a(MEMBER), &r("us-east-1")), 6);
}

#[test]
fn an_organization_trail_is_blocked_in_the_management_account() {
    let full_mgmt = (0..5).fold(TrailInventory::new(), |inv, i| {
        inv.existing(t(MGMT, "us-east-1", &format!("m-{i}")))
    });
    let err = full_mgmt
        .planned(
            t(MGMT, "us-east-1", "org-trail")
                .multi_region()
                .organization(),
        )
        .check()
        .unwrap_err();
    assert!(matches!(
        err,
        QuotaError::MaximumNumberOfTrailsExceeded { .. }
    ));
}

#[test]
fn a_name_twice_in_one_account_and_region_is_an_error() {
    let inv = TrailInventory::new().existing(t(MEMBER, "us-east-1", "audit"));
    assert_eq!(
        inv.clone()
            .planned(t(MEMBER, "us-east-1", "audit"))
            .check()
            .unwrap_err()
            .to_string(),
        "trail `audit` already exists in account `222233334444` and region `us-east-1` (TrailAlreadyExistsException)"
    );
    assert!(
        inv.clone()
            .planned(t(MEMBER, "eu-west-1", "audit"))
            .check()
            .is_ok()
    );
    assert!(inv.planned(t(MGMT, "us-east-1", "audit")).check().is_ok());
}

// ---- brute force ---------------------------------------------------------------------------

const ACCOUNTS: [&str; 3] = [MGMT, MEMBER, "333344445555"];
const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "ap-south-1", "cn-north-1"];

#[derive(Debug, Clone)]
struct Spec {
    account: usize,
    region: usize,
    name: usize,
    multi: bool,
    org: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..3usize,
        0..4usize,
        0..6usize,
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(account, region, name, multi, org)| Spec {
            account,
            region,
            name,
            multi,
            org,
        })
}

fn record(s: &Spec) -> TrailRecord {
    let mut rec = t(
        ACCOUNTS[s.account],
        REGIONS[s.region],
        &format!("trail-{}", s.name),
    );
    if s.multi {
        rec = rec.multi_region();
    }
    if s.org {
        rec = rec.organization();
    }
    rec
}

/// The counting rule, written out directly.
fn brute_counts(
    trails: &[TrailRecord],
    members: &BTreeSet<AccountId>,
    counting: OrgTrailCounting,
    account: &AccountId,
    region: &Region,
) -> usize {
    trails
        .iter()
        .filter(|t| {
            let reaches = t.home_region() == region
                || (t.is_multi_region() && t.home_region().partition() == region.partition());
            let owner = t.account() == account;
            let member = t.is_organization()
                && counting == OrgTrailCounting::InMembers
                && members.contains(account);
            reaches && (owner || member)
        })
        .count()
}

/// What `check` should say, by simulation with the brute-force count.
fn brute_check(
    existing: &[TrailRecord],
    planned: &[TrailRecord],
    members: &BTreeSet<AccountId>,
    counting: OrgTrailCounting,
) -> Result<(), (String, String, usize)> {
    let regions: BTreeSet<Region> = existing
        .iter()
        .chain(planned)
        .map(|t| t.home_region().clone())
        .collect();
    let mut placed: Vec<TrailRecord> = existing.to_vec();
    for p in planned {
        if placed.iter().any(|t| {
            t.account() == p.account() && t.home_region() == p.home_region() && t.name() == p.name()
        }) {
            return Err(("exists".into(), p.name().to_string(), 0));
        }
        for region in &regions {
            let reaches = region == p.home_region()
                || (p.is_multi_region() && region.partition() == p.home_region().partition());
            let n = brute_counts(&placed, members, counting, p.account(), region);
            if reaches && n >= MAX_TRAILS_PER_REGION {
                return Err(("full".into(), format!("{} {}", p.name(), region), n));
            }
        }
        placed.push(p.clone());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn counts_and_checks_agree_with_brute_force(
        existing in prop::collection::vec(spec(), 0..20),
        planned in prop::collection::vec(spec(), 0..8),
        member_mask in 0u8..8,
        in_members in any::<bool>(),
    ) {
        let counting = if in_members { OrgTrailCounting::InMembers } else { OrgTrailCounting::OwnerOnly };
        let members: BTreeSet<AccountId> = (0..3)
            .filter(|i| member_mask & (1 << i) != 0)
            .map(|i| a(ACCOUNTS[i]))
            .collect();
        let existing: Vec<TrailRecord> = existing.iter().map(record).collect();
        let planned: Vec<TrailRecord> = planned.iter().map(record).collect();
        let mut inv = TrailInventory::new()
            .org_trail_counting(counting)
            .organization_members(members.clone());
        for e in &existing {
            inv = inv.existing(e.clone());
        }
        for p in &planned {
            inv = inv.planned(p.clone());
        }

        // Per-Region counts of everything, recounted by brute force over every pair.
        let all: Vec<TrailRecord> = existing.iter().chain(&planned).cloned().collect();
        let home: BTreeSet<Region> = all.iter().map(|t| t.home_region().clone()).collect();
        let mut expected = BTreeMap::new();
        for acct in ACCOUNTS {
            for region in &home {
                let n = brute_counts(&all, &members, counting, &a(acct), region);
                if n > 0 {
                    expected.insert((a(acct), region.clone()), n);
                }
            }
        }
        let got: BTreeMap<(AccountId, Region), usize> =
            inv.counts().into_iter().map(|(k, v)| (k, v.len())).collect();
        prop_assert_eq!(&got, &expected);

        // The check agrees with a simulation using the direct count.
        match (inv.check(), brute_check(&existing, &planned, &members, counting)) {
            (Ok(report), Ok(())) => {
                let got: BTreeMap<(AccountId, Region), usize> =
                    report.counts().iter().map(|(k, v)| (k.clone(), v.len())).collect();
                prop_assert_eq!(got, expected);
            }
            (Err(QuotaError::TrailAlreadyExists { name, .. }), Err((kind, what, _))) => {
                prop_assert_eq!(kind, "exists");
                prop_assert_eq!(name.to_string(), what);
            }
            (Err(QuotaError::MaximumNumberOfTrailsExceeded { planned, region, trails, .. }), Err((kind, what, n))) => {
                prop_assert_eq!(kind, "full");
                prop_assert_eq!(format!("{planned} {region}"), what);
                prop_assert_eq!(trails.len(), n);
            }
            (got, want) => prop_assert!(false, "check: {:?}, brute force: {:?}", got, want),
        }
    }
}
