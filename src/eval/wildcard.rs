//! The `*`/`?` glob that `Action`, `Resource`, `StringLike` and `ArnLike` share.

use crate::id::arn;

use super::tri::Tri;

/// Whether `text` matches `pattern`, where `*` matches any run of characters (the empty run
/// included) and `?` matches exactly one character; every other character matches itself.
///
/// With `case_insensitive`, two characters match when their lowercase forms are equal (folded
/// one character at a time, so the function never allocates). AWS uses this for `Action`
/// ("the prefix and the action name are case insensitive",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>);
/// `Resource`, `StringLike` and `ArnLike` are case-sensitive.
///
/// Why iterative: policies come from users, so a pattern such as `*a*a*a*a*b` must not blow up.
/// This is the classic two-pointer matcher that backtracks only to the last `*`: O(n·m) in the
/// worst case, no recursion, no allocation, and total on any Unicode input.
///
/// ```
/// use cloudtrail_policy::eval::wildcard_match;
/// assert!(wildcard_match("s3:Get*", "s3:GetObject", false));
/// assert!(wildcard_match("S3:GET?BJECT", "s3:GetObject", true));
/// assert!(!wildcard_match("s3:Get*", "s3:PutObject", false));
/// ```
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    // Nearly every pattern and request is ASCII (ARNs, actions): match bytes there, where
    // per-character folding is ASCII folding. Proved equal to the general path by a proptest.
    if pattern.is_ascii() && text.is_ascii() {
        ascii_match(pattern.as_bytes(), text.as_bytes(), case_insensitive)
    } else {
        unicode_match(pattern, text, case_insensitive)
    }
}

/// [`wildcard_match`] on ASCII bytes: the same two-pointer matcher.
fn ascii_match(pattern: &[u8], text: &[u8], case_insensitive: bool) -> bool {
    let eq = |a: u8, b: u8| a == b || (case_insensitive && a.eq_ignore_ascii_case(&b));
    let same = |a: &[u8], b: &[u8]| {
        if case_insensitive {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let wild = |c: &u8| *c == b'*' || *c == b'?';
    // The literal head before the first wildcard matches byte for byte (a slice compare, which
    // rejects most resource patterns at once), and a literal tail after the last `*` must end
    // the text; the loop below then starts after the head.
    let Some(head) = pattern.iter().position(wild) else {
        return same(pattern, text);
    };
    match (pattern.get(..head), text.get(..head)) {
        (Some(p), Some(t)) if same(p, t) => {}
        _ => return false,
    }
    if let Some(star) = pattern.iter().rposition(|&c| c == b'*') {
        let tail = pattern.get(star + 1..).unwrap_or_default();
        if !tail.contains(&b'?') {
            let fits = text.len() >= head + tail.len();
            let ends = text.get(text.len().saturating_sub(tail.len())..);
            if !fits || !ends.is_some_and(|end| same(tail, end)) {
                return false;
            }
        }
    }
    let (mut p, mut t) = (head, head);
    let mut star: Option<(usize, usize)> = None;
    loop {
        let Some(&tc) = text.get(t) else {
            return pattern
                .get(p..)
                .is_some_and(|rest| rest.iter().all(|&c| c == b'*'));
        };
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                star = Some((p, t));
            }
            Some(&pc) if pc == b'?' || eq(pc, tc) => {
                p += 1;
                t += 1;
            }
            _ => {
                let Some((resume, run_end)) = star else {
                    return false;
                };
                star = Some((resume, run_end + 1));
                p = resume;
                t = run_end + 1;
            }
        }
    }
}

/// [`wildcard_match`] on any Unicode text.
fn unicode_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    // Byte offsets, always on char boundaries because they only move by `len_utf8`.
    let mut p = 0usize;
    let mut t = 0usize;
    // After a `*`: where the pattern resumes, and where in the text the star's run ends.
    let mut star: Option<(usize, usize)> = None;
    loop {
        let Some(tc) = char_at(text, t) else {
            // Text consumed: only `*`s may remain in the pattern.
            return pattern
                .get(p..)
                .is_some_and(|rest| rest.chars().all(|c| c == '*'));
        };
        match char_at(pattern, p) {
            Some('*') => {
                p += 1;
                star = Some((p, t));
            }
            Some(pc) if pc == '?' || chars_match(pc, tc, case_insensitive) => {
                p += pc.len_utf8();
                t += tc.len_utf8();
            }
            _ => {
                // Mismatch, or pattern consumed with text left: let the last `*` eat one more
                // character of the text and retry from just after it.
                let Some((resume, run_end)) = star else {
                    return false;
                };
                // INVARIANT: run_end <= t < text.len(), so a character starts at run_end.
                let Some(eaten) = char_at(text, run_end) else {
                    return false;
                };
                let next = run_end + eaten.len_utf8();
                star = Some((resume, next));
                p = resume;
                t = next;
            }
        }
    }
}

fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|rest| rest.chars().next())
}

/// Character equality, optionally under per-character lowercase folding.
pub(crate) fn chars_match(a: char, b: char, case_insensitive: bool) -> bool {
    a == b || (case_insensitive && a.to_lowercase().eq(b.to_lowercase()))
}

/// String equality under the same per-character folding as [`wildcard_match`].
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| chars_match(x, y, true))
}

/// One element of a pattern whose variables were resolved: a character that matches itself,
/// `*`, or `?`. A literal `*` (from `${*}` or a request value) is a `Char`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Char(char),
    Star,
    One,
}

/// The tokens of policy text, where `*` and `?` are wildcards.
pub(crate) fn pattern_tokens(text: &str, out: &mut Vec<Tok>) {
    out.extend(text.chars().map(|c| match c {
        '*' => Tok::Star,
        '?' => Tok::One,
        c => Tok::Char(c),
    }));
}

/// The tokens of literal text.
pub(crate) fn literal_tokens(text: &str, out: &mut Vec<Tok>) {
    out.extend(text.chars().map(Tok::Char));
}

/// [`wildcard_match`] on tokens: the same two-pointer matcher.
pub(crate) fn tokens_match(pattern: &[Tok], text: &str, case_insensitive: bool) -> bool {
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        let Some(&tc) = text.get(t) else {
            return pattern
                .get(p..)
                .is_some_and(|rest| rest.iter().all(|&k| k == Tok::Star));
        };
        match pattern.get(p) {
            Some(Tok::Star) => {
                p += 1;
                star = Some((p, t));
            }
            Some(Tok::One) => {
                p += 1;
                t += 1;
            }
            Some(&Tok::Char(pc)) if chars_match(pc, tc, case_insensitive) => {
                p += 1;
                t += 1;
            }
            _ => {
                let Some((resume, run_end)) = star else {
                    return false;
                };
                star = Some((resume, run_end + 1));
                p = resume;
                t = run_end + 1;
            }
        }
    }
}

/// A pattern element for segment-aware matching: wildcards that may or may not match a colon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SegTok {
    Char(char),
    /// `*` that matches any run, colons included.
    StarAny,
    /// `*` that matches a run without a colon.
    StarSeg,
    /// `?` that matches any character.
    OneAny,
    /// `?` that matches any character but a colon.
    OneSeg,
}

/// Whether `text` matches the segment-aware `pattern`: a dynamic program over pattern
/// positions, O(pattern × text), no recursion.
fn seg_match(pattern: &[SegTok], text: &[char]) -> bool {
    // reach[i]: the first i pattern elements can match the text read so far.
    let mut reach = vec![false; pattern.len() + 1];
    let close = |reach: &mut Vec<bool>| {
        // A star may match the empty run: carry reachability over stars.
        for (i, tok) in pattern.iter().enumerate() {
            if matches!(tok, SegTok::StarAny | SegTok::StarSeg)
                && reach.get(i).copied().unwrap_or(false)
                && let Some(next) = reach.get_mut(i + 1)
            {
                *next = true;
            }
        }
    };
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    close(&mut reach);
    for &c in text {
        let mut next = vec![false; pattern.len() + 1];
        for (i, tok) in pattern.iter().enumerate() {
            if !reach.get(i).copied().unwrap_or(false) {
                continue;
            }
            let colon = c == ':';
            let (stay, advance) = match *tok {
                SegTok::Char(pc) => (false, pc == c),
                SegTok::StarAny => (true, false),
                SegTok::StarSeg => (!colon, false),
                SegTok::OneAny => (false, true),
                SegTok::OneSeg => (false, !colon),
            };
            if stay && let Some(slot) = next.get_mut(i) {
                *slot = true;
            }
            if advance && let Some(slot) = next.get_mut(i + 1) {
                *slot = true;
            }
        }
        reach = next;
        close(&mut reach);
    }
    reach.last().copied().unwrap_or(false)
}

/// The two readings of a `Resource` pattern the documentation leaves open, as segment-aware
/// patterns. Both follow the documented rules: wildcards work "within the individual segments
/// of an ARN (the parts separated by colons)", and "If the `*` wildcard is the last character
/// of a resource ARN segment, it can expand to match beyond the colon boundaries"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
/// They differ only after the fifth colon, in the resource part, which may hold colons of its
/// own: read as one segment (the sixth "component" of the ARN operators), or as several
/// colon-separated ones.
fn readings(pattern: &[Tok]) -> (Vec<SegTok>, Vec<SegTok>) {
    let mut one = Vec::with_capacity(pattern.len());
    let mut several = Vec::with_capacity(pattern.len());
    let mut colons = 0;
    for (i, tok) in pattern.iter().enumerate() {
        let ends_segment = matches!(pattern.get(i + 1), None | Some(Tok::Char(':')));
        let in_head = colons < 5;
        let star = if ends_segment {
            SegTok::StarAny
        } else {
            SegTok::StarSeg
        };
        match *tok {
            Tok::Char(c) => {
                if c == ':' {
                    colons += 1;
                }
                one.push(SegTok::Char(c));
                several.push(SegTok::Char(c));
            }
            Tok::Star => {
                one.push(if in_head { star } else { SegTok::StarAny });
                several.push(star);
            }
            Tok::One => {
                one.push(if in_head {
                    SegTok::OneSeg
                } else {
                    SegTok::OneAny
                });
                several.push(SegTok::OneSeg);
            }
        }
    }
    (one, several)
}

/// One `Resource` pattern (other than `*`), as tokens, against the resource ARN: the two
/// [`readings`]; where they disagree the answer is unknown.
pub(crate) fn resource_tokens_match(pattern: &[Tok], value: &str) -> Tri {
    if !tokens_match(pattern, value, false) {
        return Tri::False;
    }
    let text: Vec<char> = value.chars().collect();
    let (one, several) = readings(pattern);
    match (seg_match(&one, &text), seg_match(&several, &text)) {
        (a, b) if a == b => Tri::from(a),
        _ => Tri::Unknown(resource_colon(&Tok::text(pattern), value)),
    }
}

fn resource_colon(pattern: &str, value: &str) -> String {
    format!(
        "resource pattern `{pattern}` matches `{value}` only if a wildcard in the resource part matches a colon, which AWS does not document"
    )
}

impl Tok {
    /// The tokens written back as text (a literal `*` shows as `*`).
    pub(crate) fn text(tokens: &[Tok]) -> String {
        tokens
            .iter()
            .map(|t| match t {
                Tok::Char(c) => *c,
                Tok::Star => '*',
                Tok::One => '?',
            })
            .collect()
    }
}

/// One `Resource` pattern, as policy text without variables, against the resource ARN.
///
/// `"*"` matches every resource (in a key policy, the key itself). Otherwise the pattern is
/// matched by the documented rules (see [`readings`]), case-sensitively: the Resource page
/// documents case sensitivity only for the resource part ("the IAM user name is case
/// sensitive"), so a pattern that matches only when the case of the partition, service, Region
/// or account is ignored is unknown, not a no.
///
/// Fast path: when the first five fields of the pattern are literal, the glob over the whole
/// string is the first reading, and the second can differ only if the resource part of the
/// value holds a colon.
pub(crate) fn resource_pattern_matches(pattern: &str, value: &str) -> Tri {
    if pattern == "*" {
        return Tri::True;
    }
    let result = resource_plain(pattern, value);
    if result != Tri::False {
        return result;
    }
    let (pattern_head, value_head) = (head(pattern), head(value));
    let upper = |s: &str| s.bytes().any(|b| b.is_ascii_uppercase());
    if !upper(pattern_head) && !upper(value_head) {
        return Tri::False;
    }
    let lower = |s: &str, h: &str| {
        let mut out = h.to_ascii_lowercase();
        out.push_str(s.get(h.len()..).unwrap_or_default());
        out
    };
    match resource_plain(&lower(pattern, pattern_head), &lower(value, value_head)) {
        Tri::False => Tri::False,
        _ => Tri::Unknown(format!(
            "resource pattern `{pattern}` matches `{value}` only if the case of the partition, service, region or account is ignored, which AWS does not document"
        )),
    }
}

/// The text up to and including the fifth colon (the whole text when it has fewer).
fn head(s: &str) -> &str {
    let end = s
        .match_indices(':')
        .nth(4)
        .map_or(s.len(), |(at, _)| at + 1);
    s.get(..end).unwrap_or(s)
}

fn resource_plain(pattern: &str, value: &str) -> Tri {
    if !wildcard_match(pattern, value, false) {
        return Tri::False;
    }
    let wild = pattern.find(['*', '?']);
    let Some(first_wild) = wild else {
        return Tri::True;
    };
    let pattern_head = head(pattern);
    let literal_head = first_wild >= pattern_head.len() && pattern_head.ends_with(':');
    if literal_head {
        let resource_part = value.get(head(value).len()..).unwrap_or_default();
        if !resource_part.contains(':') {
            return Tri::True;
        }
    }
    let mut tokens = Vec::with_capacity(pattern.len());
    pattern_tokens(pattern, &mut tokens);
    resource_tokens_match(&tokens, value)
}

/// `ArnEquals`/`ArnLike`: "Each of the six colon-delimited components of the ARN is checked
/// separately and each can include multi-character match wildcards (*) or single-character
/// match wildcards (?)"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>),
/// case-sensitively. AWS does not document what an ARN operator does with a request value or
/// a policy value that is not a six-component ARN: unknown, for the plain and the negated
/// operators alike.
pub(crate) fn arn_tokens_match(pattern: &[Tok], value: &str) -> Tri {
    let pattern_text = Tok::text(pattern);
    let is_arn = |s: &str| arn::split(s).is_some();
    if !is_arn(value) {
        return Tri::Unknown(format!(
            "`{value}` is not an arn, and what an arn operator does with it is not documented"
        ));
    }
    if !is_arn(&pattern_text) {
        return Tri::Unknown(format!(
            "arn operator value `{pattern_text}` is not an arn `arn:partition:service:region:account:resource`"
        ));
    }
    // Six components: split the pattern tokens at their first five colons.
    let mut parts: Vec<&[Tok]> = Vec::with_capacity(6);
    let mut rest = pattern;
    while parts.len() < 5 {
        let Some(at) = rest.iter().position(|t| *t == Tok::Char(':')) else {
            break;
        };
        parts.push(rest.get(..at).unwrap_or_default());
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    parts.push(rest);
    let values = arn::segments(value);
    Tri::from(
        parts.len() == 6
            && parts
                .iter()
                .zip(values)
                .all(|(p, v)| tokens_match(p, v, false)),
    )
}

/// [`arn_tokens_match`] on policy text without variables, without allocating.
pub(crate) fn arn_pattern_matches(pattern: &str, value: &str) -> Tri {
    if arn::split(value).is_none() || arn::split(pattern).is_none() {
        let mut tokens = Vec::with_capacity(pattern.len());
        pattern_tokens(pattern, &mut tokens);
        return arn_tokens_match(&tokens, value);
    }
    Tri::from(
        arn::segments(pattern)
            .zip(arn::segments(value))
            .all(|(p, v)| wildcard_match(p, v, false)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("", "", false));
        assert!(!wildcard_match("", "a", false));
        assert!(!wildcard_match("?", "", false));
        assert!(wildcard_match("a*b*c", "aXbYc", false));
        assert!(wildcard_match("a*b*c", "abc", false));
        assert!(!wildcard_match("a*b*c", "acb", false));
        assert!(wildcard_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaab", false));
        assert!(!wildcard_match(
            "*a*a*a*a*b",
            "aaaaaaaaaaaaaaaaaaaaa",
            false
        ));
        assert!(wildcard_match("é?ü*", "éßüñ", false));
        assert!(wildcard_match("ÉSSÜ", "éssü", true));
        assert!(!wildcard_match("ÉSSÜ", "éssü", false));
    }

    proptest::proptest! {
        /// The ASCII fast path agrees with the general matcher (small alphabets, so that stars,
        /// question marks and case collide often).
        #[test]
        fn ascii_path_is_the_general_path(
            pattern in "[aAb*?:]{0,10}",
            text in "[aAbB:]{0,12}",
            case_insensitive in proptest::bool::ANY,
        ) {
            proptest::prop_assert_eq!(
                ascii_match(pattern.as_bytes(), text.as_bytes(), case_insensitive),
                unicode_match(&pattern, &text, case_insensitive),
                "pattern {:?}, text {:?}", pattern, text
            );
        }
    }

    #[test]
    fn both_paths_on_the_examples() {
        for (pattern, text, ci, want) in [
            ("s3:Get*", "s3:GetObject", false, true),
            ("S3:GET?BJECT", "s3:GetObject", true, true),
            ("S3:GETOBJECT", "s3:GetObject", true, true),
            ("S3:GETOBJECT", "s3:GetObject", false, false),
            ("s3:GetObject", "s3:GetObjects", false, false),
            ("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaa", false, false),
            ("a*", "", false, false),
            ("**", "", false, true),
        ] {
            assert_eq!(
                ascii_match(pattern.as_bytes(), text.as_bytes(), ci),
                want,
                "{pattern} {text}"
            );
            assert_eq!(unicode_match(pattern, text, ci), want, "{pattern} {text}");
        }
    }

    #[test]
    fn case_folded_equality() {
        assert!(eq_ignore_case("JohnDoe", "johndoe"));
        assert!(!eq_ignore_case("JohnDoe", "johndoe1"));
    }
}
