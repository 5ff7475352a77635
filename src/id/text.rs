//! What every identifier shares: the conversion traits around its parser, and small checks
//! of text.

/// Implements the conversion traits shared by every identifier, on top of its
/// `fn new(&str) -> Result<Self, ParseError>` and `fn as_str(&self) -> &str`.
macro_rules! impl_string_traits {
    ($ty:ident) => {
        $crate::id::text::impl_string_traits!($ty, new);
    };
    ($ty:ident, $parse:ident) => {
        impl ::core::str::FromStr for $ty {
            type Err = $crate::id::error::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::$parse(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $crate::id::error::ParseError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::$parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::id::error::ParseError;
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
}
