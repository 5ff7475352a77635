//! [`PrincipalArn`].

use crate::error::{ParseError, PrincipalArnRule};
use crate::id::{AccountId, Partition, impl_string_traits, split_arn};

/// What an IAM [`PrincipalArn`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    /// The account root, `arn:<partition>:iam::<account>:root`.
    Root,
    /// An IAM role, `arn:<partition>:iam::<account>:role/<path/>name`.
    Role,
    /// An IAM user, `arn:<partition>:iam::<account>:user/<path/>name`.
    User,
}

/// An IAM principal ARN: an account root, a role or a user.
///
/// # Syntax
///
/// `arn:<partition>:iam::<account>:root`, `arn:<partition>:iam::<account>:role/<path/>name` or
/// `arn:<partition>:iam::<account>:user/<path/>name`. The partition is a [`Partition`] and the
/// account an [`AccountId`] (their `# Syntax` sections name the AWS sources). The name rules come
/// from the IAM documentation:
///
/// - role and user names are 1 to 64 characters of `[A-Za-z0-9+=,.@_-]` (`RoleName`: "Length
///   Constraints: Minimum length of 1. Maximum length of 64. Pattern: `[\w+=,.@-]+`",
///   <https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyRole.html>; names "must be
///   alphanumeric, including the following common characters: plus (+), equal (=), comma (,),
///   period (.), at (@), underscore (_), and hyphen (-)",
///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>);
/// - path segments use the same characters. This is narrower than IAM, whose paths may contain
///   any ASCII character from `!` to DEL; a narrower path keeps the ARN free of characters with
///   a meaning in policies.
///
/// `*`, `?` and `$` are rejected anywhere: in a policy they would act as wildcards or policy
/// variables and widen the principal.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::{PrincipalArn, PrincipalKind};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let role: PrincipalArn = "arn:aws:iam::111122223333:role/admin/Auditor".parse()?;
/// assert_eq!(role.kind(), PrincipalKind::Role);
/// assert_eq!(role.name(), Some("Auditor"));
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct PrincipalArn {
    // INVARIANT: arn starts with format!("arn:{partition}:iam::{account}:"), followed by `root`
    // for Root, or `role/`/`user/`, an optional path and a non-empty name otherwise.
    arn: String,
    partition: Partition,
    account: AccountId,
    kind: PrincipalKind,
}

impl PrincipalArn {
    /// Parses a principal ARN.
    ///
    /// # Errors
    ///
    /// [`ParseError::PrincipalArn`] naming the broken rule.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|reason| ParseError::PrincipalArn {
            input: s.to_owned(),
            reason,
        })
    }

    fn parse(s: &str) -> Result<Self, PrincipalArnRule> {
        if s.contains(['*', '?', '$']) {
            return Err(PrincipalArnRule::Wildcard);
        }
        let [_, partition, service, region, account, resource] =
            split_arn(s).ok_or(PrincipalArnRule::Malformed)?;
        if service != "iam" || !region.is_empty() {
            return Err(PrincipalArnRule::Malformed);
        }
        let partition = Partition::parse(partition).ok_or(PrincipalArnRule::Partition)?;
        let account = AccountId::parse(account).map_err(|_| PrincipalArnRule::Account)?;
        let (kind, rest) = if resource == "root" {
            (PrincipalKind::Root, None)
        } else if let Some(rest) = resource.strip_prefix("role/") {
            (PrincipalKind::Role, Some(rest))
        } else if let Some(rest) = resource.strip_prefix("user/") {
            (PrincipalKind::User, Some(rest))
        } else {
            return Err(PrincipalArnRule::Malformed);
        };
        if let Some(rest) = rest {
            let valid = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
            if !rest.bytes().all(|b| valid(b) || b == b'/') {
                return Err(PrincipalArnRule::InvalidCharacter);
            }
            let mut segments = rest.rsplit('/');
            let name = segments.next().unwrap_or_default();
            if !(1..=64).contains(&name.len()) {
                return Err(PrincipalArnRule::NameLength);
            }
            if segments.any(str::is_empty) {
                return Err(PrincipalArnRule::EmptyPathSegment);
            }
        }
        Ok(Self {
            arn: s.to_owned(),
            partition,
            account,
            kind,
        })
    }

    /// The root principal of `account`, `arn:<partition>:iam::<account>:root`.
    #[must_use]
    pub fn root(partition: Partition, account: AccountId) -> Self {
        Self {
            arn: format!("arn:{partition}:iam::{account}:root"),
            partition,
            account,
            kind: PrincipalKind::Root,
        }
    }

    /// The ARN.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.arn
    }

    /// The partition.
    #[must_use]
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// The account.
    #[must_use]
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// Root, role or user.
    #[must_use]
    pub fn kind(&self) -> PrincipalKind {
        self.kind
    }

    /// The role or user name (without its path); `None` for the account root.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        match self.kind {
            PrincipalKind::Root => None,
            PrincipalKind::Role | PrincipalKind::User => self.arn.rsplit('/').next(),
        }
    }
}

impl_string_traits!(PrincipalArn);
