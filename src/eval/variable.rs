//! Policy variables: `${key}` replaced by the request's value of `key`.
//!
//! Source for every rule here:
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.
//!
//! - Variables exist only in `2012-10-17` documents: "If you don't include the Version element
//!   and set it to an appropriate version date, variables like `${aws:username}` are treated as
//!   literal strings in the policy" (also
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>).
//! - "When policy variables reference a condition context key that has no value or is not
//!   present in an authorization context for a request, the value is effectively null. There is
//!   no equal or like value." Such a variable is [`Resolved::Null`]; the callers apply the rest
//!   of that section (a positive operator does not match it, a negated one does; a resource
//!   holding it "will not match any resource").
//! - A default: "surround the default value with single quotes (' '), and separate the
//!   variable text and the default value with a comma and space", as in
//!   `${aws:PrincipalTag/team, 'company-wide'}`. Only that exact form is read; any other
//!   spacing, an unclosed brace or quote is not modelled (AWS does not document it).
//! - `${*}`, `${?}` and `${$}` stand for the characters `*`, `?` and `$` ("use where you need an
//!   * (asterisk) character"): literal characters, never wildcards.
//! - "You can use any single-valued condition key as a variable. You can't use a multivalued
//!   condition key as a variable": a multivalued request value is not modelled.
//! - A value that came from the request is matched as literal text where it holds no wildcard
//!   character. Whether a `*` or `?` in a request value acts as a wildcard is not documented, so
//!   such a value is not modelled in a wildcard match.

use super::request::{ContextValue, Request};

/// A piece of a value after substitution: policy text (where `*` and `?` are wildcards) or a
/// literal (a special character or a request value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Pattern(String),
    Literal(String),
}

/// A policy value with its variables resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// The value holds a variable whose key has no value and no default.
    Null {
        /// The variable as written, `${…}`.
        variable: String,
    },
    /// The pieces, in order.
    Pieces {
        pieces: Vec<Piece>,
        /// A request value substituted into the text holds `*` or `?`.
        request_wildcard: bool,
    },
    /// A construct the evaluator does not model, with the reason.
    Unknown(String),
}

impl Resolved {
    /// The text with every piece concatenated (wildcards and literals alike).
    pub(crate) fn text(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Pattern(s) | Piece::Literal(s) => s.as_str(),
            })
            .collect()
    }
}

/// Resolves every `${…}` of `value` against `request`. Called only on values that hold `${`
/// in a `2012-10-17` document.
pub(crate) fn resolve(value: &str, request: &Request) -> Resolved {
    let mut pieces = Vec::new();
    let mut request_wildcard = false;
    let mut null = None;
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        if !before.is_empty() {
            pieces.push(Piece::Pattern(before.to_owned()));
        }
        let body = after.get(2..).unwrap_or_default();
        let Some(end) = body.find('}') else {
            return Resolved::Unknown(format!("unclosed policy variable in `{value}`"));
        };
        let inner = body.get(..end).unwrap_or_default();
        let written = format!("${{{inner}}}");
        rest = body.get(end + 1..).unwrap_or_default();
        match inner {
            "*" | "?" | "$" => {
                pieces.push(Piece::Literal(inner.to_owned()));
                continue;
            }
            _ => {}
        }
        let (key, default) = match inner.split_once(", '") {
            Some((key, quoted)) => match quoted.strip_suffix('\'') {
                Some(default) if !default.contains('\'') => (key, Some(default)),
                _ => {
                    return Resolved::Unknown(format!(
                        "policy variable `{written}`: a default must be written `, 'value'`"
                    ));
                }
            },
            None => (inner, None),
        };
        if key.is_empty() || key.contains([',', '\'', ' ', '$', '{']) {
            return Resolved::Unknown(format!("unsupported policy variable `{written}`"));
        }
        match (request.lookup(key), default) {
            (Some(ContextValue::Single(v)), _) => {
                request_wildcard |= v.contains(['*', '?']);
                pieces.push(Piece::Literal(v.clone()));
            }
            (Some(ContextValue::Unknown | ContextValue::OneOf(_)), _) => {
                return Resolved::Unknown(format!(
                    "policy variable `{written}`: the request's value of `{key}` is not known"
                ));
            }
            (Some(ContextValue::Multi(_)), _) => {
                return Resolved::Unknown(format!(
                    "policy variable `{written}` names a multivalued key, which AWS does not allow as a variable"
                ));
            }
            (None, Some(default)) => pieces.push(Piece::Literal(default.to_owned())),
            (None, None) => {
                null.get_or_insert(written);
            }
        }
    }
    if let Some(variable) = null {
        return Resolved::Null { variable };
    }
    if !rest.is_empty() {
        pieces.push(Piece::Pattern(rest.to_owned()));
    }
    Resolved::Pieces {
        pieces,
        request_wildcard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::request::Caller;

    fn req() -> Request {
        Request::new(Caller::Anonymous, "s3:GetObject", "arn:aws:s3:::b/k")
            .with_context("aws:username", "Alice")
            .with_context("s3:prefix", "a*")
            .with_context_values("aws:TagKeys", ["a"])
    }

    #[test]
    fn substitutes_defaults_specials_and_nulls() {
        let r = req();
        assert_eq!(
            resolve("home/${AWS:UserName}/*", &r),
            Resolved::Pieces {
                pieces: vec![
                    Piece::Pattern("home/".into()),
                    Piece::Literal("Alice".into()),
                    Piece::Pattern("/*".into())
                ],
                request_wildcard: false
            }
        );
        assert_eq!(
            resolve("${aws:PrincipalTag/team, 'company-wide'}", &r),
            Resolved::Pieces {
                pieces: vec![Piece::Literal("company-wide".into())],
                request_wildcard: false
            }
        );
        assert_eq!(
            resolve("a${*}b", &r),
            Resolved::Pieces {
                pieces: vec![
                    Piece::Pattern("a".into()),
                    Piece::Literal("*".into()),
                    Piece::Pattern("b".into())
                ],
                request_wildcard: false
            }
        );
        assert_eq!(
            resolve("x/${aws:PrincipalTag/team}/${aws:username}", &r),
            Resolved::Null {
                variable: "${aws:PrincipalTag/team}".into()
            }
        );
        assert!(matches!(
            resolve("${s3:prefix}", &r),
            Resolved::Pieces {
                request_wildcard: true,
                ..
            }
        ));
        for unknown in [
            "${aws:username",
            "${aws:TagKeys}",
            "${}",
            "${aws:x,'d'}",
            "${aws:x, 'd}",
        ] {
            assert!(
                matches!(resolve(unknown, &r), Resolved::Unknown(_)),
                "{unknown}"
            );
        }
    }
}
