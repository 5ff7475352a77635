//! The `Condition` block.
//!
//! Sources:
//! - operators and absent keys:
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>
//! - AND/OR/NOR of operators, keys and values, and `ForAllValues`/`ForAnyValue`:
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>
//! - key names are case-insensitive:
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>

use std::cmp::Ordering;

use crate::document::Conditions;
use crate::document::grammar::{Comparison, Operator, OperatorRule, SetOperator};

use super::ctx::Ctx;
use super::request::ContextValue;
use super::tri::Tri;
use super::variable::{Piece, Resolved};
use super::wildcard::{
    Tok, arn_pattern_matches, arn_tokens_match, eq_ignore_case, literal_tokens, pattern_tokens,
    tokens_match, wildcard_match,
};

/// The whole block: every operator and every key must hold.
pub(crate) fn matches(conditions: &Conditions, ctx: &Ctx<'_>) -> Tri {
    Tri::all(conditions.iter().flat_map(|(name, keys)| {
        let op = Operator::parse(name);
        keys.iter()
            .map(move |(key, values)| key_matches(name, op, key, values, ctx))
    }))
}

fn key_matches(
    name: &str,
    op: Result<Operator, OperatorRule>,
    key: &str,
    values: &[String],
    ctx: &Ctx<'_>,
) -> Tri {
    // The document parser rejects these names; a document built in code may hold them.
    let op = match op {
        Ok(op) => op,
        Err(rule) => return Tri::Unknown(format!("invalid condition operator `{name}`: {rule}")),
    };
    if let Some(unknown) = ctx.variable_not_allowed(key, "condition key") {
        return unknown;
    }
    let found = ctx.request.lookup(key);
    if let Some(ContextValue::OneOf(alternatives)) = found {
        // Decided only where every alternative gives the same answer.
        let mut answers = alternatives.iter().map(|alternative| {
            let value = alternative.clone().map(ContextValue::Single);
            decide(name, op, key, values, value.as_ref(), ctx)
        });
        let Some(first) = answers.next() else {
            return Tri::Unknown(format!("no alternative value for `{key}`"));
        };
        return answers.fold(first, |acc, next| match (acc, next) {
            (Tri::Unknown(why), _) | (_, Tri::Unknown(why)) => Tri::Unknown(why),
            (a, b) if a == b => a,
            _ => Tri::Unknown(format!(
                "`{name}` on `{key}` depends on which of the possible values the request carries"
            )),
        });
    }
    decide(name, op, key, values, found, ctx)
}

/// One operator and key against the request's value of the key (`None`: absent).
fn decide(
    name: &str,
    op: Operator,
    key: &str,
    values: &[String],
    found: Option<&ContextValue>,
    ctx: &Ctx<'_>,
) -> Tri {
    if op.comparison == Comparison::Null {
        if op.set.is_some() {
            return Tri::Unknown(format!(
                "`{name}`: a set operator on `Null` is not documented"
            ));
        }
        return null_matches(name, key, values, found);
    }
    let Some(found) = found else {
        return absent(name, op, key);
    };
    match (op.set, found) {
        (_, ContextValue::Unknown) => Tri::Unknown(format!(
            "the request's value of `{key}` is not known, and `{name}` compares it"
        )),
        (_, ContextValue::OneOf(_)) => Tri::Unknown(format!("nested alternatives for `{key}`")),
        (None, ContextValue::Single(v)) => value_matches(name, op, v, values, ctx),
        (None, ContextValue::Multi(_)) => Tri::Unknown(format!(
            "operator `{name}` without `ForAllValues:` or `ForAnyValue:` on multivalued key `{key}`"
        )),
        // A single-valued key under a set operator is a set of one.
        (Some(set), ContextValue::Single(v)) => {
            set_matches(name, set, op, std::slice::from_ref(v), values, ctx)
        }
        // "If the key values in the request resolve to an empty data set …, a condition
        // operator modified by ForAllValues returns true, and … ForAnyValue returns false."
        (Some(set), ContextValue::Multi(vs)) => set_matches(name, set, op, vs, values, ctx),
    }
}

/// The key is not in the request: "the values do not match and the condition is false. If
/// the policy condition requires that the key is not matched, such as StringNotLike or
/// ArnNotLike, and the right key is not present, the condition is true. This logic applies to
/// all condition operators except ...IfExists and Null check" (operators page), so it decides
/// the operators whose comparison is not modelled too.
fn absent(name: &str, op: Operator, key: &str) -> Tri {
    match (op.set, op.if_exists) {
        (None, true) | (Some(SetOperator::ForAllValues), _) => Tri::True,
        (Some(SetOperator::ForAnyValue), false) => Tri::False,
        (Some(SetOperator::ForAnyValue), true) => Tri::Unknown(format!(
            "operator `{name}` on absent key `{key}`: `ForAnyValue` is false and `IfExists` true"
        )),
        (None, false) => Tri::from(op.negated),
    }
}

/// `ForAllValues`: every request value satisfies the operator; `ForAnyValue`: some does. Each
/// request value is tested as a single-valued key would be (values ORed, negated: NOR).
fn set_matches(
    name: &str,
    set: SetOperator,
    op: Operator,
    request_values: &[String],
    values: &[String],
    ctx: &Ctx<'_>,
) -> Tri {
    let each = request_values
        .iter()
        .map(|v| value_matches(name, op, v, values, ctx));
    match set {
        SetOperator::ForAllValues => Tri::all(each),
        SetOperator::ForAnyValue => Tri::any(each),
    }
}

/// One request value against the policy values: ORed, or NOR-ed for a negated operator ("If a
/// single negated matching condition operator includes multiple values for a context key,
/// those values are evaluated using a logical NOR").
fn value_matches(name: &str, op: Operator, v: &str, values: &[String], ctx: &Ctx<'_>) -> Tri {
    let any = Tri::any(values.iter().map(|p| match ctx.resolve(p) {
        None => compare(name, op.comparison, p, v),
        Some(resolved) => compare_resolved(name, op.comparison, p, &resolved, v),
    }));
    if op.negated { any.not() } else { any }
}

/// A policy value holding variables
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>):
/// "You can use a policy variable for Condition values in any condition that involves the
/// string operators or the ARN operators … You can't use a policy variable with other
/// operators"; a variable with no value is "effectively null", so the positive comparison is
/// false ("Condition operators like StringEquals or StringLike do not match") and a negated
/// operator, which NORs it, matches ("Inverted condition operators like StringNotEquals or
/// StringNotLike do match against a null value").
fn compare_resolved(
    name: &str,
    comparison: Comparison,
    p: &str,
    resolved: &Resolved,
    v: &str,
) -> Tri {
    let wildcards = match comparison {
        Comparison::StringEquals | Comparison::StringEqualsIgnoreCase => false,
        Comparison::StringLike | Comparison::Arn => true,
        _ => {
            return Tri::Unknown(format!(
                "policy variable in `{p}` under `{name}`, which AWS does not allow"
            ));
        }
    };
    let pieces = match resolved {
        Resolved::Null { .. } => return Tri::False,
        Resolved::Unknown(why) => return Tri::Unknown(why.clone()),
        Resolved::Pieces {
            request_wildcard: true,
            ..
        } if wildcards => {
            return Tri::Unknown(format!(
                "a request value substituted into `{p}` holds `*` or `?`; whether it acts as a wildcard under `{name}` is not documented"
            ));
        }
        Resolved::Pieces { pieces, .. } => pieces,
    };
    match comparison {
        Comparison::StringEquals => Tri::from(Resolved::text(pieces) == v),
        Comparison::StringEqualsIgnoreCase => Tri::from(eq_ignore_case(&Resolved::text(pieces), v)),
        _ => {
            let mut tokens: Vec<Tok> = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Pattern(text) => pattern_tokens(text, &mut tokens),
                    Piece::Literal(text) => literal_tokens(text, &mut tokens),
                }
            }
            if comparison == Comparison::Arn {
                arn_tokens_match(&tokens, v)
            } else {
                Tri::from(tokens_match(&tokens, v, false))
            }
        }
    }
}

/// The positive comparison of one policy value `p` with one request value `v`.
fn compare(name: &str, comparison: Comparison, p: &str, v: &str) -> Tri {
    match comparison {
        Comparison::StringEquals => Tri::from(p == v),
        Comparison::StringEqualsIgnoreCase => Tri::from(eq_ignore_case(p, v)),
        Comparison::StringLike => Tri::from(wildcard_match(p, v, false)),
        Comparison::Numeric(want, or_equal) => match (Decimal::parse(v), Decimal::parse(p)) {
            (Some(v), Some(p)) => {
                let got = v.cmp(&p);
                Tri::from(got == want || (or_equal && got == Ordering::Equal))
            }
            _ => Tri::Unknown(format!("`{v}` or `{p}` is not a decimal number")),
        },
        Comparison::Bool => match (p, v) {
            ("true" | "false", "true" | "false") => Tri::from(p == v),
            _ => Tri::Unknown(format!(
                "`Bool` compares only `true` and `false`, found `{p}` and `{v}`"
            )),
        },
        Comparison::Arn => arn_pattern_matches(p, v),
        Comparison::Date(..) | Comparison::BinaryEquals | Comparison::IpAddress => Tri::Unknown(
            format!("condition operator `{name}` on a present key is not modelled"),
        ),
        Comparison::Null => Tri::Unknown("`Null` compared as a value".into()),
    }
}

/// `Null`: `true` means the key is absent, `false` that it is present; values ORed.
fn null_matches(name: &str, key: &str, values: &[String], found: Option<&ContextValue>) -> Tri {
    let present = match found {
        None => false,
        Some(ContextValue::Single(_) | ContextValue::Unknown | ContextValue::OneOf(_)) => true,
        Some(ContextValue::Multi(vs)) if !vs.is_empty() => true,
        Some(ContextValue::Multi(_)) => {
            return Tri::Unknown(format!(
                "`{name}` on key `{key}` with an empty list of values"
            ));
        }
    };
    Tri::any(values.iter().map(|p| match p.as_str() {
        "true" => Tri::from(!present),
        "false" => Tri::from(present),
        other => Tri::Unknown(format!("`Null` expects `true` or `false`, found `{other}`")),
    }))
}

/// An exact decimal (`-12.50`), compared without floating point so that large integers and
/// long fractions keep their order. AWS says numeric operators take "an integer or decimal
/// value"; exponents, `NaN` and the like are not parsed (unknown).
#[derive(Debug, PartialEq, Eq)]
struct Decimal<'a> {
    negative: bool,
    /// Integer digits without leading zeros.
    int: &'a str,
    /// Fraction digits without trailing zeros.
    frac: &'a str,
}

impl<'a> Decimal<'a> {
    fn parse(s: &'a str) -> Option<Self> {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = match digits.split_once('.') {
            Some((int, frac)) => (int, frac),
            None => (digits, ""),
        };
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        // Zero has no sign.
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Some(Decimal {
            negative,
            int,
            frac,
        })
    }

    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(other.int))
            // Without trailing zeros, byte order of the fractions is numeric order.
            .then_with(|| self.frac.cmp(other.frac))
    }
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal<'_> {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn decimals_compare_exactly() {
        assert_eq!(d("10").cmp(&d("10.0")), Ordering::Equal);
        assert_eq!(d("-0").cmp(&d("0")), Ordering::Equal);
        assert_eq!(d("9").cmp(&d("10")), Ordering::Less);
        assert_eq!(d("2.5").cmp(&d("2.45")), Ordering::Greater);
        assert_eq!(d("-2.5").cmp(&d("-2.45")), Ordering::Less);
        assert_eq!(d(".5").cmp(&d("0.5")), Ordering::Equal);
        assert_eq!(
            d("9007199254740993").cmp(&d("9007199254740992")),
            Ordering::Greater
        );
        for bad in ["", ".", "-", "1e3", "NaN", "1.2.3", " 1"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }
}
