//! [`AccountId`].

use super::error::{AccountIdRule, ParseError};
use super::text::impl_string_traits;

/// An AWS account id: exactly 12 ASCII digits, leading zeros included.
///
/// # Syntax
///
/// "An AWS account ID is a twelve-digit number, including leading zeros." The Organizations API
/// model pattern is `^\d{12}$`. AWS source:
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::AccountId;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let account: AccountId = "012345678901".parse()?;
/// assert_eq!(account.as_str(), "012345678901");
/// assert_eq!(
///     "12345".parse::<AccountId>().unwrap_err().to_string(),
///     "invalid account id `12345`: expected exactly 12 digits"
/// );
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);

impl AccountId {
    /// Parses an account id.
    ///
    /// # Errors
    ///
    /// [`ParseError::AccountId`] unless `s` is exactly 12 ASCII digits.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::AccountId {
            input: s.to_owned(),
            reason,
        })
    }

    /// An account the crate makes up for a probe: `digits`, or `000000000000` should `digits`
    /// not be 12 digits.
    pub(crate) fn made_up(digits: &str) -> AccountId {
        Self::parse(digits).unwrap_or_else(|_| AccountId("000000000000".to_owned()))
    }

    /// Whether `s` is an account id, without making one.
    pub(crate) fn is_valid(s: &str) -> bool {
        s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
    }

    pub(crate) fn parse(s: &str) -> Result<Self, AccountIdRule> {
        if Self::is_valid(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(AccountIdRule::Not12Digits)
        }
    }

    /// The 12 digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl_string_traits!(AccountId);
