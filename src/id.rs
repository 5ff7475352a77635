//! Typed AWS identifiers.
//!
//! Every identifier is a newtype (or a closed enum) whose only way in is its parser:
//! `new`, [`FromStr`](core::str::FromStr), `TryFrom<&str>`, `TryFrom<String>` and serde
//! deserialization all run the same checks and fail with the same [`ParseError`]. Each value
//! prints ([`Display`](core::fmt::Display)) its canonical form, which parses back to the same
//! value.
//!
//! The rules come from AWS's documentation and API references (for partitions and Regions, from
//! the AWS SDKs' partitions data); each type's `# Syntax` section names the AWS page.
//!
//! [`ParseError`]: crate::ParseError

mod account;
mod bucket;
mod kms;
mod organization;
mod partition;
mod prefix;
mod principal;
mod region;
mod trail;

pub use account::AccountId;
pub use bucket::BucketName;
pub use kms::{KmsAliasArn, KmsAliasName, KmsKeyArn, KmsKeyId, KmsKeyRef};
pub use organization::OrganizationId;
pub use partition::Partition;
pub use prefix::{KeyPrefix, logs_root};
pub use principal::{PrincipalArn, PrincipalKind};
pub use region::Region;
pub use trail::{TrailArn, TrailName};

/// Implements the conversion traits shared by every identifier, on top of its
/// `fn new(&str) -> Result<Self, ParseError>` and `fn as_str(&self) -> &str`.
macro_rules! impl_string_traits {
    ($ty:ident) => {
        $crate::id::impl_string_traits!($ty, new);
    };
    ($ty:ident, $parse:ident) => {
        impl ::core::str::FromStr for $ty {
            type Err = $crate::error::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::$parse(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $crate::error::ParseError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::$parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::error::ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::$parse(&s)
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.as_str().to_owned()
            }
        }
    };
}
pub(crate) use impl_string_traits;

/// Whether `s` is a dotted quad of 1 to 3 digit groups (`192.168.5.4`).
///
/// AWS says "IP address format" without defining it
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html>,
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>); reading it as a
/// dotted-quad IPv4 address is an inference (**\[INFERRED\]**), not an AWS statement. Values
/// above 255 still count (`999.1.1.1`), which only rejects more.
pub(crate) fn is_dotted_quad(s: &str) -> bool {
    let mut groups = 0_usize;
    for group in s.split('.') {
        groups += 1;
        if group.is_empty() || group.len() > 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    groups == 4
}

/// Whether every byte of `s` is a lowercase hex digit.
pub(crate) fn is_lower_hex(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Splits an ARN `arn:<partition>:<service>:<region>:<account>:<resource>` into its six parts.
/// The resource part keeps any further `:`.
pub(crate) fn split_arn(s: &str) -> Option<[&str; 6]> {
    let mut parts = s.splitn(6, ':');
    let arn = parts.next()?;
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if arn != "arn" {
        return None;
    }
    Some([arn, partition, service, region, account, resource])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_quad() {
        assert!(is_dotted_quad("192.168.5.4"));
        assert!(is_dotted_quad("1.2.3.4"));
        assert!(!is_dotted_quad("1.2.3"));
        assert!(!is_dotted_quad("1.2.3.4.5"));
        assert!(!is_dotted_quad("1.2.3.a"));
        assert!(!is_dotted_quad("1.2..3"));
        assert!(!is_dotted_quad("1234.1.1.1"));
    }

    #[test]
    fn arn_split() {
        assert_eq!(
            split_arn("arn:aws:kms:us-east-1:111122223333:alias/a:b"),
            Some([
                "arn",
                "aws",
                "kms",
                "us-east-1",
                "111122223333",
                "alias/a:b"
            ])
        );
        assert_eq!(split_arn("arn:aws:kms"), None);
        assert_eq!(split_arn("urn:aws:kms:r:a:b"), None);
    }
}
