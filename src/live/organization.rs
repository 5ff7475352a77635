//! The organization as `aws organizations describe-organization` and `list-accounts` print it
//! (<https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html>,
//! <https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html>).

use serde::Deserialize;

use crate::id::{AccountId, OrganizationId};

use super::error::OutputRule;
use super::shape::parse;

/// `describe-organization`: the organization's id and management account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveOrganization {
    id: OrganizationId,
    management_account: AccountId,
}

impl LiveOrganization {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when `Organization.Id` or `Organization.MasterAccountId` is missing or
    /// does not parse.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            organization: Org,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Org {
            id: OrganizationId,
            master_account_id: AccountId,
        }
        parse::<Out>(text).map(|o| LiveOrganization {
            id: o.organization.id,
            management_account: o.organization.master_account_id,
        })
    }

    /// `Organization.Id`.
    pub fn id(&self) -> &OrganizationId {
        &self.id
    }

    /// `Organization.MasterAccountId`: the management account.
    pub fn management_account(&self) -> &AccountId {
        &self.management_account
    }
}

/// `list-accounts`: the organization's accounts (the AWS CLI follows `NextToken` itself and
/// prints them all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveAccounts {
    accounts: Vec<(AccountId, String)>,
}

impl LiveAccounts {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when `Accounts` is missing or an `Id` is not an account id.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            accounts: Vec<Account>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Account {
            id: AccountId,
            #[serde(default)]
            status: String,
        }
        parse::<Out>(text).map(|o| LiveAccounts {
            accounts: o.accounts.into_iter().map(|a| (a.id, a.status)).collect(),
        })
    }

    /// Every account with its `Status` (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`).
    pub fn accounts(&self) -> &[(AccountId, String)] {
        &self.accounts
    }

    /// The accounts whose `Status` is `ACTIVE`.
    pub fn active(&self) -> impl Iterator<Item = &AccountId> {
        self.accounts
            .iter()
            .filter(|(_, s)| s == "ACTIVE")
            .map(|(a, _)| a)
    }
}
