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

use super::ctx::Ctx;
use super::request::ContextValue;
use super::tri::Tri;
use super::wildcard::{arn_segments_match, eq_ignore_case, wildcard_match};

/// The whole block: every operator and every key must hold.
pub(crate) fn matches(conditions: &Conditions, ctx: &Ctx<'_>) -> Tri {
    Tri::all(conditions.iter().flat_map(|(operator, keys)| {
        let op = Operator::parse(operator);
        keys.iter()
            .map(move |(key, values)| key_matches(&op, key, values, ctx))
    }))
}

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    ForAll,
    ForAny,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Ordering, bool),
    Bool,
    Arn,
    Null,
}

/// A parsed operator name: set prefix, base comparison, negation, `IfExists`.
struct Operator<'a> {
    name: &'a str,
    set: Option<SetOp>,
    base: Result<Base, String>,
    negated: bool,
    if_exists: bool,
}

impl<'a> Operator<'a> {
    /// Operator names are matched exactly as AWS spells them; anything else is unsupported.
    fn parse(name: &'a str) -> Self {
        let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetOp::ForAll), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetOp::ForAny), rest)
        } else {
            (None, name)
        };
        let (if_exists, core) = match rest.strip_suffix("IfExists") {
            Some(core) => (true, core),
            None => (false, rest),
        };
        use Ordering::{Equal, Greater, Less};
        let (base, negated) = match core {
            "StringEquals" => (Ok(Base::StringEquals), false),
            "StringNotEquals" => (Ok(Base::StringEquals), true),
            "StringEqualsIgnoreCase" => (Ok(Base::StringEqualsIgnoreCase), false),
            "StringNotEqualsIgnoreCase" => (Ok(Base::StringEqualsIgnoreCase), true),
            "StringLike" => (Ok(Base::StringLike), false),
            "StringNotLike" => (Ok(Base::StringLike), true),
            "NumericEquals" => (Ok(Base::Numeric(Equal, true)), false),
            "NumericNotEquals" => (Ok(Base::Numeric(Equal, true)), true),
            "NumericLessThan" => (Ok(Base::Numeric(Less, false)), false),
            "NumericLessThanEquals" => (Ok(Base::Numeric(Less, true)), false),
            "NumericGreaterThan" => (Ok(Base::Numeric(Greater, false)), false),
            "NumericGreaterThanEquals" => (Ok(Base::Numeric(Greater, true)), false),
            "Bool" => (Ok(Base::Bool), false),
            // "The ArnEquals and ArnLike condition operators behave identically."
            "ArnEquals" | "ArnLike" => (Ok(Base::Arn), false),
            "ArnNotEquals" | "ArnNotLike" => (Ok(Base::Arn), true),
            // "You can add IfExists to the end of any condition operator name except the Null
            // condition"; no set operator on Null is documented either.
            "Null" if !if_exists && set.is_none() => (Ok(Base::Null), false),
            _ => (
                Err(format!("unsupported condition operator `{name}`")),
                false,
            ),
        };
        Operator {
            name,
            set,
            base,
            negated,
            if_exists,
        }
    }
}

fn key_matches(op: &Operator<'_>, key: &str, values: &[String], ctx: &Ctx<'_>) -> Tri {
    let base = match &op.base {
        Ok(base) => *base,
        Err(why) => return Tri::Unknown(why.clone()),
    };
    if let Some(unknown) = ctx.variable_in(key) {
        return unknown;
    }
    let found = ctx.request.lookup(key);
    if base == Base::Null {
        return null_matches(op.name, key, values, found);
    }
    let Some(found) = found else {
        return absent(op, key);
    };
    match (op.set, found) {
        (None, ContextValue::Single(v)) => value_matches(op, base, v, values, ctx),
        (None, ContextValue::Multi(_)) => Tri::Unknown(format!(
            "operator `{}` without `ForAllValues:` or `ForAnyValue:` on multivalued key `{key}`",
            op.name
        )),
        // A single-valued key under a set operator is a set of one.
        (Some(set), ContextValue::Single(v)) => {
            set_matches(set, op, base, std::slice::from_ref(v), values, ctx)
        }
        // "If the key values in the request resolve to an empty data set …, a condition
        // operator modified by ForAllValues returns true, and … ForAnyValue returns false."
        (Some(set), ContextValue::Multi(vs)) => set_matches(set, op, base, vs, values, ctx),
    }
}

/// The key is not in the request.
fn absent(op: &Operator<'_>, key: &str) -> Tri {
    match (op.set, op.if_exists) {
        (None, true) | (Some(SetOp::ForAll), _) => Tri::True,
        (Some(SetOp::ForAny), false) => Tri::False,
        (Some(SetOp::ForAny), true) => Tri::Unknown(format!(
            "operator `{}` on absent key `{key}`: `ForAnyValue` is false and `IfExists` true",
            op.name
        )),
        // Plain: false; negated ("such as StringNotLike or ArnNotLike"): true.
        (None, false) => Tri::from(op.negated),
    }
}

/// `ForAllValues`: every request value satisfies the operator; `ForAnyValue`: some does. Each
/// request value is tested as a single-valued key would be (values ORed, negated: NOR).
fn set_matches(
    set: SetOp,
    op: &Operator<'_>,
    base: Base,
    request_values: &[String],
    values: &[String],
    ctx: &Ctx<'_>,
) -> Tri {
    let each = request_values
        .iter()
        .map(|v| value_matches(op, base, v, values, ctx));
    match set {
        SetOp::ForAll => Tri::all(each),
        SetOp::ForAny => Tri::any(each),
    }
}

/// One request value against the policy values: ORed, or NOR-ed for a negated operator ("If a
/// single negated matching condition operator includes multiple values for a context key,
/// those values are evaluated using a logical NOR").
fn value_matches(op: &Operator<'_>, base: Base, v: &str, values: &[String], ctx: &Ctx<'_>) -> Tri {
    let any = Tri::any(
        values
            .iter()
            .map(|p| ctx.variable_in(p).unwrap_or_else(|| compare(base, p, v))),
    );
    if op.negated { any.not() } else { any }
}

/// The positive comparison of one policy value `p` with one request value `v`.
fn compare(base: Base, p: &str, v: &str) -> Tri {
    match base {
        Base::StringEquals => Tri::from(p == v),
        Base::StringEqualsIgnoreCase => Tri::from(eq_ignore_case(p, v)),
        Base::StringLike => Tri::from(wildcard_match(p, v, false)),
        Base::Numeric(want, or_equal) => match (Decimal::parse(v), Decimal::parse(p)) {
            (Some(v), Some(p)) => {
                let got = v.cmp(&p);
                Tri::from(got == want || (or_equal && got == Ordering::Equal))
            }
            _ => Tri::Unknown(format!("`{v}` or `{p}` is not a decimal number")),
        },
        Base::Bool => match (p, v) {
            ("true" | "false", "true" | "false") => Tri::from(p == v),
            _ => Tri::Unknown(format!(
                "`Bool` compares only `true` and `false`, found `{p}` and `{v}`"
            )),
        },
        // "Each of the six colon-delimited components of the ARN is checked separately."
        Base::Arn => arn_segments_match(p, v, "arn condition", true),
        Base::Null => Tri::Unknown("`Null` compared as a value".into()),
    }
}

/// `Null`: `true` means the key is absent, `false` that it is present; values ORed.
fn null_matches(name: &str, key: &str, values: &[String], found: Option<&ContextValue>) -> Tri {
    let present = match found {
        None => false,
        Some(ContextValue::Single(_)) => true,
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
