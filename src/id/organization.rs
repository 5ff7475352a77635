//! [`OrganizationId`].

use super::error::{OrganizationIdRule, ParseError};
use super::text::impl_string_traits;

/// An AWS Organizations organization id, such as `o-a1b2c3d4e5`.
///
/// # Syntax
///
/// `o-` followed by 10 to 32 lowercase letters or digits (API model pattern
/// `^o-[a-z0-9]{10,32}$`). AWS source: the Organizations API model,
/// <https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html>.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct OrganizationId(String);

impl OrganizationId {
    /// Parses an organization id.
    ///
    /// # Errors
    ///
    /// [`ParseError::OrganizationId`] unless `s` is `o-` followed by 10 to 32 lowercase letters
    /// or digits.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::OrganizationId {
            input: s.to_owned(),
            reason,
        })
    }

    fn parse(s: &str) -> Result<Self, OrganizationIdRule> {
        let rest = s
            .strip_prefix("o-")
            .ok_or(OrganizationIdRule::MissingPrefix)?;
        if !rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(OrganizationIdRule::InvalidCharacter);
        }
        if !(10..=32).contains(&rest.len()) {
            return Err(OrganizationIdRule::Length);
        }
        Ok(Self(s.to_owned()))
    }

    /// The id, `o-` included.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl_string_traits!(OrganizationId);
