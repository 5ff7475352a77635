//! KMS key references: [`KmsKeyRef`] and its parts.

use super::account::AccountId;
use super::arn::{Arn, arn_accessors};
use super::error::{KmsKeyRule, ParseError};
use super::partition::Partition;
use super::region::Region;
use super::text::{impl_string_traits, is_lower_hex};

fn kms_err(input: &str) -> impl FnOnce(KmsKeyRule) -> ParseError + '_ {
    move |reason| ParseError::KmsKeyRef {
        input: input.to_owned(),
        reason,
    }
}

/// A KMS key id: a UUID such as `1234abcd-12ab-34cd-56ef-1234567890ab`, or a multi-Region key
/// id such as `mrk-1234abcd12ab34cd56ef1234567890ab`.
///
/// # Syntax
///
/// AWS source:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>. A key id is a
/// UUID, 8-4-4-4-12 hex digits; multi-Region key ids "begin with the `mrk-` prefix", followed by
/// 32 hex digits in AWS's examples.
///
/// Our choice: only lowercase hex is accepted. AWS prints key ids in lowercase, and the id ends
/// up in ARNs that policies compare textually, so an uppercase id would produce an ARN that
/// never matches. The 32-digit length after `mrk-` is taken from AWS's examples.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct KmsKeyId(String);

impl KmsKeyId {
    /// Parses a key id.
    ///
    /// # Errors
    ///
    /// [`ParseError::KmsKeyRef`] with [`KmsKeyRule::KeyId`].
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(kms_err(s))
    }

    fn parse(s: &str) -> Result<Self, KmsKeyRule> {
        let ok = match s.strip_prefix("mrk-") {
            Some(hex) => hex.len() == 32 && is_lower_hex(hex),
            None => {
                let groups: Vec<&str> = s.split('-').collect();
                groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                    && groups.iter().all(|g| is_lower_hex(g))
            }
        };
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(KmsKeyRule::KeyId)
        }
    }

    /// Whether this is a multi-Region key id (`mrk-…`).
    #[must_use]
    pub fn is_multi_region(&self) -> bool {
        self.0.starts_with("mrk-")
    }

    /// The key id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl_string_traits!(KmsKeyId);

/// A KMS alias name, `alias/` included, such as `alias/cloudtrail`.
///
/// # Syntax
///
/// AWS source: the KMS `CreateAlias` API reference,
/// <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html>. The name begins with
/// `alias/`, at most 256 characters in total, "can contain only alphanumeric characters,
/// forward slashes (/), underscores (_), and dashes (-)", and "cannot begin with `alias/aws/`".
/// The API model's `AliasNameType` pattern also allows `:`; we follow the narrower `CreateAlias`
/// text, since a `:` would also make alias ARNs ambiguous. At least one character must follow
/// `alias/`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct KmsAliasName(String);

impl KmsAliasName {
    /// Parses an alias name.
    ///
    /// # Errors
    ///
    /// [`ParseError::KmsKeyRef`] naming the broken rule.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(kms_err(s))
    }

    fn parse(s: &str) -> Result<Self, KmsKeyRule> {
        let rest = s.strip_prefix("alias/").ok_or(KmsKeyRule::Malformed)?;
        if rest.is_empty() {
            return Err(KmsKeyRule::AliasEmpty);
        }
        if !rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-'))
        {
            return Err(KmsKeyRule::AliasCharacter);
        }
        // All ASCII from here, so bytes are characters.
        if s.len() > 256 {
            return Err(KmsKeyRule::AliasTooLong);
        }
        if s.starts_with("alias/aws/") {
            return Err(KmsKeyRule::AliasReserved);
        }
        Ok(Self(s.to_owned()))
    }

    /// The alias name, `alias/` included.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl_string_traits!(KmsAliasName);

/// A KMS key ARN, `arn:<partition>:kms:<region>:<account>:key/<key-id>`.
///
/// # Syntax
///
/// AWS source:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>. The region must
/// belong to the partition; the key id is a [`KmsKeyId`].
///
/// # Example
///
/// ```
/// use cloudtrail_policy::KmsKeyArn;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let arn: KmsKeyArn =
///     "arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab".parse()?;
/// assert!(arn.is_multi_region());
/// assert_eq!(arn.region().as_str(), "us-west-2");
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct KmsKeyArn {
    // INVARIANT: arn.resource() == format!("key/{key_id}").
    arn: Arn<Region>,
    key_id: KmsKeyId,
}

impl KmsKeyArn {
    /// Parses a key ARN.
    ///
    /// # Errors
    ///
    /// [`ParseError::KmsKeyRef`] naming the malformed part.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(kms_err(s))
    }

    fn parse(s: &str) -> Result<Self, KmsKeyRule> {
        let arn = Arn::parse(s, "kms")?;
        let key_id = arn
            .resource()
            .strip_prefix("key/")
            .ok_or(KmsKeyRule::Malformed)?;
        let key_id = KmsKeyId::parse(key_id)?;
        Ok(Self { arn, key_id })
    }

    /// The key id.
    #[must_use]
    pub fn key_id(&self) -> &KmsKeyId {
        &self.key_id
    }

    /// Whether the key is a multi-Region key (`mrk-…` id).
    #[must_use]
    pub fn is_multi_region(&self) -> bool {
        self.key_id.is_multi_region()
    }
}

arn_accessors!(KmsKeyArn, regional);
impl_string_traits!(KmsKeyArn);

/// A KMS alias ARN, `arn:<partition>:kms:<region>:<account>:alias/<alias-name>`.
///
/// # Syntax
///
/// AWS source:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>. The region must
/// belong to the partition; the resource part is a [`KmsAliasName`].
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct KmsAliasArn {
    // INVARIANT: arn.resource() == alias_name.
    arn: Arn<Region>,
    alias_name: KmsAliasName,
}

impl KmsAliasArn {
    /// Parses an alias ARN.
    ///
    /// # Errors
    ///
    /// [`ParseError::KmsKeyRef`] naming the malformed part.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(kms_err(s))
    }

    fn parse(s: &str) -> Result<Self, KmsKeyRule> {
        let arn = Arn::parse(s, "kms")?;
        let alias_name = KmsAliasName::parse(arn.resource())?;
        Ok(Self { arn, alias_name })
    }

    /// The ARN of alias `alias_name` in `account` and `region`.
    ///
    /// # Errors
    ///
    /// [`ParseError::KmsKeyRef`] with [`ArnFieldRule::RegionNotInPartition`](crate::ArnFieldRule::RegionNotInPartition) if `region` does not
    /// belong to `partition`.
    pub fn from_parts(
        partition: Partition,
        region: Region,
        account: AccountId,
        alias_name: KmsAliasName,
    ) -> Result<Self, ParseError> {
        let input = super::arn::format(
            partition,
            "kms",
            region.as_str(),
            account.as_str(),
            alias_name.as_str(),
        );
        match Arn::new(partition, "kms", region, account, alias_name.as_str()) {
            Ok(arn) => Ok(Self { arn, alias_name }),
            Err(rule) => Err(kms_err(&input)(rule.into())),
        }
    }

    /// The alias name, `alias/` included.
    #[must_use]
    pub fn alias_name(&self) -> &KmsAliasName {
        &self.alias_name
    }
}

arn_accessors!(KmsAliasArn, regional);
impl_string_traits!(KmsAliasArn);

/// A reference to a KMS key, in any of the four forms CloudTrail's `KmsKeyId` accepts.
///
/// # Syntax
///
/// The CreateTrail API reference,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>, accepts
/// "an alias name prefixed by alias/, a fully specified ARN to an alias, a fully specified ARN to
/// a key, or a globally unique identifier". Text starting with `arn:` is parsed as a key or alias
/// ARN, text starting with `alias/` as an alias name, anything else as a key id.
///
/// # Example
///
/// ```
/// use cloudtrail_policy::KmsKeyRef;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key: KmsKeyRef = "arn:aws:kms:us-east-2:123456789012:alias/MyAliasName".parse()?;
/// assert!(matches!(key, KmsKeyRef::AliasArn(_)));
/// assert_eq!(key.account().map(|a| a.as_str()), Some("123456789012"));
/// let key: KmsKeyRef = "alias/MyAliasName".parse()?;
/// assert_eq!(key.region(), None);
/// # Ok(())
/// # }
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub enum KmsKeyRef {
    /// `arn:<partition>:kms:<region>:<account>:key/<key-id>`.
    KeyArn(KmsKeyArn),
    /// `arn:<partition>:kms:<region>:<account>:alias/<alias-name>`.
    AliasArn(KmsAliasArn),
    /// A bare key id.
    KeyId(KmsKeyId),
    /// `alias/<alias-name>`.
    AliasName(KmsAliasName),
}

impl KmsKeyRef {
    /// Parses a key reference.
    ///
    /// # Errors
    ///
    /// [`ParseError::KmsKeyRef`] naming the broken rule.
    pub fn new(s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(kms_err(s))
    }

    fn parse(s: &str) -> Result<Self, KmsKeyRule> {
        if s.starts_with("arn:") {
            let arn: Arn<Region> = Arn::parse(s, "kms")?;
            let resource = arn.resource();
            if resource.starts_with("key/") {
                KmsKeyArn::parse(s).map(Self::KeyArn)
            } else if resource.starts_with("alias/") {
                KmsAliasArn::parse(s).map(Self::AliasArn)
            } else {
                Err(KmsKeyRule::Malformed)
            }
        } else if s.starts_with("alias/") {
            KmsAliasName::parse(s).map(Self::AliasName)
        } else {
            KmsKeyId::parse(s).map(Self::KeyId)
        }
    }

    /// The reference as given, in canonical form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::KeyArn(k) => k.as_str(),
            Self::AliasArn(a) => a.as_str(),
            Self::KeyId(k) => k.as_str(),
            Self::AliasName(a) => a.as_str(),
        }
    }

    /// The partition, for the ARN forms.
    #[must_use]
    pub fn partition(&self) -> Option<Partition> {
        match self {
            Self::KeyArn(k) => Some(k.partition()),
            Self::AliasArn(a) => Some(a.partition()),
            Self::KeyId(_) | Self::AliasName(_) => None,
        }
    }

    /// The Region, for the ARN forms.
    #[must_use]
    pub fn region(&self) -> Option<&Region> {
        match self {
            Self::KeyArn(k) => Some(k.region()),
            Self::AliasArn(a) => Some(a.region()),
            Self::KeyId(_) | Self::AliasName(_) => None,
        }
    }

    /// The account, for the ARN forms.
    #[must_use]
    pub fn account(&self) -> Option<&AccountId> {
        match self {
            Self::KeyArn(k) => Some(k.account()),
            Self::AliasArn(a) => Some(a.account()),
            Self::KeyId(_) | Self::AliasName(_) => None,
        }
    }
}

impl_string_traits!(KmsKeyRef);
