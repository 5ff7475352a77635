//! [`PrincipalArn`].

use super::account::AccountId;
use super::arn::{self, Arn, Global, arn_accessors};
use super::error::{ParseError, PrincipalArnRule};
use super::partition::Partition;
use super::text::impl_string_traits;

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
    // INVARIANT: an `iam` ARN whose resource is `root` for Root, or `role/`/`user/`, an optional
    // path and a non-empty name otherwise.
    arn: Arn<Global>,
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
        let arn = Arn::parse(s, "iam")?;
        let resource = arn.resource();
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
        Ok(Self { arn, kind })
    }

    /// The root principal of `account`, `arn:<partition>:iam::<account>:root`.
    #[must_use]
    pub fn root(partition: Partition, account: AccountId) -> Self {
        Self {
            arn: Arn::global(partition, "iam", account, "root"),
            kind: PrincipalKind::Root,
        }
    }

    /// A role the crate makes up for a probe: `name` (or `Probe`, should `name` not be a valid
    /// role name), at path `/`, in `account`.
    pub(crate) fn made_up_role(partition: Partition, account: &AccountId, name: &str) -> Self {
        let valid = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
        let name = if (1..=64).contains(&name.len()) && name.bytes().all(valid) {
            name
        } else {
            "Probe"
        };
        Self {
            arn: Arn::global(partition, "iam", account.clone(), &format!("role/{name}")),
            kind: PrincipalKind::Role,
        }
    }

    /// The role `name` of `account`, `arn:<partition>:iam::<account>:role/<name>`; `name` may
    /// carry a path (`team/Reader`).
    ///
    /// # Errors
    ///
    /// [`ParseError::PrincipalArn`] when `name` is not a valid role name.
    pub fn role(partition: Partition, account: &AccountId, name: &str) -> Result<Self, ParseError> {
        Self::new(&arn::format(
            partition,
            "iam",
            "",
            account.as_str(),
            &format!("role/{name}"),
        ))
    }

    /// For a role, the ARN of its session `session` (used as given),
    /// `arn:<partition>:sts::<account>:assumed-role/<role name>/<session>`: what a caller that
    /// assumed the role is
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-role-session>).
    /// `None` for users and the root.
    #[must_use]
    pub fn session(&self, session: &str) -> Option<String> {
        let name = self.name().filter(|_| self.kind == PrincipalKind::Role)?;
        Some(arn::format(
            self.partition(),
            "sts",
            "",
            self.account().as_str(),
            &format!("assumed-role/{name}/{session}"),
        ))
    }

    /// For a role or user, its path with the surrounding slashes (`/` when it has none,
    /// `/admin/` for `role/admin/Auditor`); `None` for the root.
    #[must_use]
    pub fn path(&self) -> Option<String> {
        let rest = self.arn.resource().split_once('/')?.1;
        Some(match rest.rsplit_once('/') {
            Some((path, _)) => format!("/{path}/"),
            None => "/".to_owned(),
        })
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
            PrincipalKind::Role | PrincipalKind::User => self.arn.resource().rsplit('/').next(),
        }
    }
}

arn_accessors!(PrincipalArn);
impl_string_traits!(PrincipalArn);
