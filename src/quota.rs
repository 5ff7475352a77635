//! Trail quota planning: at most 5 trails per account per Region, and no name twice
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>).
//!
//! How trails count:
//! - a single-Region trail counts in its home Region of its account;
//! - a multi-Region trail "counts as one trail in every Region" of its partition
//!   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-trails-multiple-trails-per-region>);
//! - an organization trail counts like that in the account that owns it, and "will be created in
//!   the member accounts even if member accounts have reached the limit of trails in a Region"
//!   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html>).
//!   Whether it then counts against a member account's 5 is not documented: that is the
//!   caller's switch [`OrgTrailCounting`], defaulting to the cautious
//!   [`OrgTrailCounting::InMembers`].
//!
//! Assumptions where AWS is silent: one inventory describes one organization (every organization
//! trail applies to the accounts given to [`TrailInventory::organization_members`]); creating a
//! multi-Region trail fails when *any* Region of its partition already holds 5 trails in its
//! account (it would be a sixth there). Only the Regions that appear in the inventory are looked
//! at; that is enough, because a Region outside it holds only multi-Region trails, and each of
//! them also counts in its own home Region, which is in the inventory.

use std::collections::{BTreeMap, BTreeSet};

use thiserror::Error;

use crate::id::{AccountId, Region, TrailName};

/// At most 5 trails per account per Region; "This quota cannot be increased"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>).
pub const MAX_TRAILS_PER_REGION: usize = 5;

/// One trail of the inventory: owner account, home Region, name, and how far it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrailRecord {
    account: AccountId,
    home_region: Region,
    name: TrailName,
    multi_region: bool,
    organization: bool,
}

impl TrailRecord {
    /// A single-Region, single-account trail.
    #[must_use]
    pub fn new(account: AccountId, home_region: Region, name: TrailName) -> Self {
        TrailRecord {
            account,
            home_region,
            name,
            multi_region: false,
            organization: false,
        }
    }

    /// Makes it a multi-Region trail.
    #[must_use]
    pub fn multi_region(mut self) -> Self {
        self.multi_region = true;
        self
    }

    /// Makes it an organization trail.
    #[must_use]
    pub fn organization(mut self) -> Self {
        self.organization = true;
        self
    }

    /// The owner account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The home Region.
    pub fn home_region(&self) -> &Region {
        &self.home_region
    }

    /// The name.
    pub fn name(&self) -> &TrailName {
        &self.name
    }

    /// Whether it applies to every Region of its partition.
    pub fn is_multi_region(&self) -> bool {
        self.multi_region
    }

    /// Whether it is an organization trail.
    pub fn is_organization(&self) -> bool {
        self.organization
    }

    /// Whether the trail reaches `region` (its home Region, or any Region of the partition for a
    /// multi-Region trail).
    fn reaches(&self, region: &Region) -> bool {
        if self.multi_region {
            region.partition() == self.home_region.partition()
        } else {
            *region == self.home_region
        }
    }
}

/// Whether an organization trail counts against a member account's trail quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OrgTrailCounting {
    /// It counts in every member account it reaches (the cautious default).
    #[default]
    InMembers,
    /// It counts only in the account that owns it.
    OwnerOnly,
}

/// A quota violation or a duplicate trail.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum QuotaError {
    /// A planned trail would be a sixth trail in a Region of its account.
    #[error(
        "trail `{planned}` cannot be created: account `{account}` already has {} trails in region `{region}` ({}) (MaximumNumberOfTrailsExceededException)",
        .trails.len(),
        names(.trails)
    )]
    MaximumNumberOfTrailsExceeded {
        /// The planned trail.
        planned: TrailName,
        /// The account.
        account: AccountId,
        /// The full Region.
        region: Region,
        /// The trails that fill it.
        trails: Vec<TrailRecord>,
    },
    /// A trail name used twice in the same account and home Region.
    #[error(
        "trail `{name}` already exists in account `{account}` and region `{region}` (TrailAlreadyExistsException)"
    )]
    TrailAlreadyExists {
        /// The name.
        name: TrailName,
        /// The account.
        account: AccountId,
        /// The home Region.
        region: Region,
    },
}

fn names(trails: &[TrailRecord]) -> String {
    trails
        .iter()
        .map(|t| format!("`{}`", t.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The trails counted in each account and Region once every planned trail exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaReport {
    counts: BTreeMap<(AccountId, Region), Vec<TrailRecord>>,
}

impl QuotaReport {
    /// The trails counted per account and Region (pairs with none are left out).
    pub fn counts(&self) -> &BTreeMap<(AccountId, Region), Vec<TrailRecord>> {
        &self.counts
    }

    /// How many trails count in `account` and `region`.
    pub fn count(&self, account: &AccountId, region: &Region) -> usize {
        self.counts
            .get(&(account.clone(), region.clone()))
            .map_or(0, Vec::len)
    }
}

/// Existing and planned trails, checked against the per-Region quota.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct TrailInventory {
    existing: Vec<TrailRecord>,
    planned: Vec<TrailRecord>,
    members: BTreeSet<AccountId>,
    regions: BTreeSet<Region>,
    counting: OrgTrailCounting,
}

impl TrailInventory {
    /// An empty inventory, counting organization trails in member accounts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a trail that exists.
    pub fn existing(mut self, trail: TrailRecord) -> Self {
        self.existing.push(trail);
        self
    }

    /// Adds a trail to create; planned trails are created in the order given.
    pub fn planned(mut self, trail: TrailRecord) -> Self {
        self.planned.push(trail);
        self
    }

    /// The accounts of the organization that organization trails apply to.
    pub fn organization_members(mut self, accounts: impl IntoIterator<Item = AccountId>) -> Self {
        // Collect, then merge: a bulk build from sorted input and a linear merge, where
        // `extend` would insert one account at a time.
        let mut accounts: BTreeSet<AccountId> = accounts.into_iter().collect();
        self.members.append(&mut accounts);
        self
    }

    /// Also reports counts for `region` (counts always cover every home Region).
    pub fn region(mut self, region: Region) -> Self {
        self.regions.insert(region);
        self
    }

    /// Whether organization trails count against member accounts' quota.
    pub fn org_trail_counting(mut self, counting: OrgTrailCounting) -> Self {
        self.counting = counting;
        self
    }

    fn all_regions(&self) -> BTreeSet<Region> {
        let mut regions = self.regions.clone();
        regions.extend(
            self.existing
                .iter()
                .chain(&self.planned)
                .map(|t| t.home_region.clone()),
        );
        regions
    }

    /// Adds `trail` to `counts` under every (account, Region) pair of `regions` it counts in,
    /// after the trails already there: its own account, and with
    /// [`OrgTrailCounting::InMembers`] every member for an organization trail (a trail counts
    /// in a Region it reaches). With `watched`, only the pairs in it are counted. Linear in the
    /// pairs it is added to: no accounts × Regions × trails scan. Keys and trails are borrowed;
    /// only a report clones them.
    fn add<'a>(
        &'a self,
        counts: &mut Counts<'a>,
        trail: &'a TrailRecord,
        regions: &'a BTreeSet<Region>,
        watched: Option<&Watched<'a>>,
    ) {
        let members = trail.organization && self.counting == OrgTrailCounting::InMembers;
        for region in regions.iter().filter(|r| trail.reaches(r)) {
            let mut count = |account: &'a AccountId| {
                counts.entry((account, region)).or_default().push(trail);
            };
            match watched {
                None => {
                    count(&trail.account);
                    if members {
                        for member in self.members.iter().filter(|m| **m != trail.account) {
                            count(member);
                        }
                    }
                }
                Some(watched) => {
                    let Some(accounts) = watched.get(region) else {
                        continue;
                    };
                    if accounts.contains(&trail.account) {
                        count(&trail.account);
                    }
                    if members {
                        // Walk the smaller side: an organization of 10,000 members with one
                        // planned trail costs one step, and so do 10,000 planned trails
                        // against an organization trail of a small organization.
                        if accounts.len() <= self.members.len() {
                            for &a in accounts {
                                if *a != trail.account && self.members.contains(a) {
                                    count(a);
                                }
                            }
                        } else {
                            for m in &self.members {
                                if *m != trail.account && accounts.contains(m) {
                                    count(m);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn tally<'a>(
        &'a self,
        trails: impl Iterator<Item = &'a TrailRecord>,
        regions: &'a BTreeSet<Region>,
    ) -> BTreeMap<(AccountId, Region), Vec<TrailRecord>> {
        let mut counts = BTreeMap::new();
        for trail in trails {
            self.add(&mut counts, trail, regions, None);
        }
        owned(counts)
    }

    /// Creates the planned trails in order, against the existing ones.
    ///
    /// # Errors
    ///
    /// The first [`QuotaError`]: a name already used in the same account and home Region
    /// (`TrailAlreadyExistsException`), or a Region of the trail's account that already holds 5
    /// trails (`MaximumNumberOfTrailsExceededException`). Full member accounts never stop an
    /// organization trail.
    ///
    /// ```
    /// use cloudtrail_policy::{OrgTrailCounting, TrailInventory, TrailRecord};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let member = "222233334444".parse()?;
    /// let us_east_1 = "us-east-1".parse()?;
    /// let mut inventory = TrailInventory::new()
    ///     .organization_members([member])
    ///     .existing(TrailRecord::new("111122223333".parse()?, "us-east-1".parse()?, "org".parse()?)
    ///         .multi_region()
    ///         .organization());
    /// for name in ["app1", "app2", "app3", "app4"] {
    ///     inventory = inventory.planned(TrailRecord::new("222233334444".parse()?, "us-east-1".parse()?, name.parse()?));
    /// }
    /// let report = inventory.clone().check()?;
    /// assert_eq!(report.count(&"222233334444".parse()?, &us_east_1), 5);
    /// let full = inventory.clone().planned(TrailRecord::new("222233334444".parse()?, "us-east-1".parse()?, "app5".parse()?));
    /// assert!(full.check().is_err());
    /// let lenient = inventory
    ///     .org_trail_counting(OrgTrailCounting::OwnerOnly)
    ///     .planned(TrailRecord::new("222233334444".parse()?, "us-east-1".parse()?, "app5".parse()?));
    /// assert!(lenient.check().is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn check(&self) -> Result<QuotaReport, QuotaError> {
        let regions = self.all_regions();
        let counts = self.place(&regions, None)?;
        Ok(QuotaReport {
            counts: owned(counts),
        })
    }

    /// [`Self::check`] without building the report, for callers that only need the error.
    ///
    /// Only the pairs where a planned trail is checked can refuse it, so only they are counted:
    /// an organization trail planned over an inventory of N member accounts then costs N
    /// look-ups, not N × Regions insertions. Same error as `check`, by construction: a pair's
    /// trails and their order do not depend on which other pairs are counted (and a unit
    /// proptest below compares the two).
    pub(crate) fn first_error(&self) -> Option<QuotaError> {
        let regions = self.all_regions();
        let mut watched = Watched::new();
        for trail in &self.planned {
            for region in regions.iter().filter(|r| trail.reaches(r)) {
                watched.entry(region).or_default().insert(&trail.account);
            }
        }
        self.place(&regions, Some(&watched)).err()
    }

    /// Places the existing trails, then the planned ones in order, stopping at the first
    /// refusal; with `watched`, counting only the pairs in it.
    fn place<'a>(
        &'a self,
        regions: &'a BTreeSet<Region>,
        watched: Option<&Watched<'a>>,
    ) -> Result<Counts<'a>, QuotaError> {
        // Indexed, so that N planned trails cost N look-ups, not N scans of every placed trail.
        let mut names: BTreeSet<(&AccountId, &Region, &TrailName)> = BTreeSet::new();
        let mut counts = BTreeMap::new();
        for trail in &self.existing {
            // With `watched`, a name can clash only where a planned trail is homed, which is
            // a watched pair: the names elsewhere are not indexed.
            let named_here = watched.is_none_or(|w| {
                w.get(&trail.home_region)
                    .is_some_and(|accounts| accounts.contains(&trail.account))
            });
            if named_here {
                names.insert((&trail.account, &trail.home_region, &trail.name));
            }
            self.add(&mut counts, trail, regions, watched);
        }
        for trail in &self.planned {
            if !names.insert((&trail.account, &trail.home_region, &trail.name)) {
                return Err(QuotaError::TrailAlreadyExists {
                    name: trail.name.clone(),
                    account: trail.account.clone(),
                    region: trail.home_region.clone(),
                });
            }
            for region in regions.iter().filter(|r| trail.reaches(r)) {
                let filling = counts
                    .get(&(&trail.account, region))
                    .map_or(&[][..], Vec::as_slice);
                if filling.len() >= MAX_TRAILS_PER_REGION {
                    return Err(QuotaError::MaximumNumberOfTrailsExceeded {
                        planned: trail.name.clone(),
                        account: trail.account.clone(),
                        region: region.clone(),
                        trails: filling.iter().map(|t| (*t).clone()).collect(),
                    });
                }
            }
            self.add(&mut counts, trail, regions, watched);
        }
        Ok(counts)
    }

    /// The trails counted per account and Region if every existing and planned trail exists,
    /// without checking anything.
    pub fn counts(&self) -> BTreeMap<(AccountId, Region), Vec<TrailRecord>> {
        self.tally(
            self.existing.iter().chain(&self.planned),
            &self.all_regions(),
        )
    }
}

/// The trails counted per (account, Region), borrowed from an inventory.
type Counts<'a> = BTreeMap<(&'a AccountId, &'a Region), Vec<&'a TrailRecord>>;

/// The accounts to count, per Region.
type Watched<'a> = BTreeMap<&'a Region, BTreeSet<&'a AccountId>>;

fn owned(counts: Counts<'_>) -> BTreeMap<(AccountId, Region), Vec<TrailRecord>> {
    counts
        .into_iter()
        .map(|((account, region), trails)| {
            (
                (account.clone(), region.clone()),
                trails.into_iter().cloned().collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn record() -> impl Strategy<Value = TrailRecord> {
        let accounts = ["111111111111", "222222222222", "333333333333"];
        let regions = ["us-east-1", "us-west-2", "eu-west-1", "cn-north-1"];
        let names = ["audit", "main", "legacy"];
        (
            0..3usize,
            0..4usize,
            0..3usize,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(move |(a, r, n, multi, org)| {
                let mut t = TrailRecord::new(
                    accounts[a].parse().expect("account"),
                    regions[r].parse().expect("region"),
                    names[n].parse().expect("name"),
                );
                if multi {
                    t = t.multi_region();
                }
                if org {
                    t = t.organization();
                }
                t
            })
    }

    #[test]
    fn first_error_sees_an_existing_name() {
        let t = || {
            TrailRecord::new(
                "111111111111".parse().expect("account"),
                "us-east-1".parse().expect("region"),
                "main".parse().expect("name"),
            )
        };
        let inventory = TrailInventory::new().existing(t()).planned(t());
        assert!(matches!(
            inventory.first_error(),
            Some(QuotaError::TrailAlreadyExists { .. })
        ));
    }

    proptest! {
        /// The restricted count of `first_error` refuses exactly what the full `check` refuses,
        /// with the same error (same pair, same trails in the same order).
        #[test]
        fn first_error_is_checks_error(
            existing in proptest::collection::vec(record(), 0..14),
            planned in proptest::collection::vec(record(), 0..6),
            members in proptest::collection::vec(0..3usize, 0..3),
            owner_only in any::<bool>(),
        ) {
            let accounts = ["111111111111", "222222222222", "333333333333"];
            let mut inventory = TrailInventory::new()
                .organization_members(members.iter().filter_map(|&m| accounts[m].parse().ok()))
                .org_trail_counting(if owner_only {
                    OrgTrailCounting::OwnerOnly
                } else {
                    OrgTrailCounting::InMembers
                });
            for t in existing {
                inventory = inventory.existing(t);
            }
            for t in planned {
                inventory = inventory.planned(t);
            }
            prop_assert_eq!(inventory.first_error(), inventory.check().err());
        }
    }
}
