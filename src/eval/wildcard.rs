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

/// Six-segment ARN matching shared by `Resource` and `ArnLike`: a segment-wise match implies a
/// whole-string match, so a failed whole-string glob is a definite no, a segment-wise match a
/// definite yes. A value that is not a six-segment ARN is unknown. A `*` that matches only by
/// spanning a colon is a definite no when `segments_documented` (`ArnLike`, whose page says
/// so) and unknown otherwise (`Resource`, whose page does not).
pub(crate) fn arn_segments_match(
    pattern: &str,
    value: &str,
    what: &str,
    segments_documented: bool,
) -> Tri {
    if !wildcard_match(pattern, value, false) {
        return Tri::False;
    }
    let mut pattern_parts = arn::segments(pattern);
    let mut value_parts = arn::segments(value);
    let mut segments = 0;
    loop {
        match (pattern_parts.next(), value_parts.next()) {
            (Some(p), Some(v)) => {
                if !wildcard_match(p, v, false) {
                    if segments_documented {
                        return Tri::False;
                    }
                    return Tri::Unknown(format!(
                        "{what} pattern `{pattern}` matches `{value}` only if a wildcard spans a colon"
                    ));
                }
                segments += 1;
            }
            (None, None) if segments == 6 => return Tri::True,
            _ => {
                return Tri::Unknown(format!(
                    "{what} pattern `{pattern}` or value `{value}` is not a six-segment arn"
                ));
            }
        }
    }
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
