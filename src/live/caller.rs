//! `aws sts get-caller-identity`: the account whose credentials ran a block
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>).

use serde::Deserialize;

use crate::id::AccountId;

use super::error::OutputRule;
use super::shape::parse;

/// The caller's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    account: AccountId,
}

impl CallerIdentity {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when `Account` is missing or not an account id.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            account: AccountId,
        }
        parse::<Out>(text).map(|o| CallerIdentity { account: o.account })
    }

    /// `Account`.
    pub fn account(&self) -> &AccountId {
        &self.account
    }
}
