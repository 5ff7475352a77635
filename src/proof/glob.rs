//! The cells of a set of patterns over strings: every combination of "matches / does not
//! match" that some string realizes, each with a shortest witness.
//!
//! Each pattern (`*` and `?` wildcards, or a literal) is a small nondeterministic automaton
//! whose states are positions in the pattern. The product of all of them is explored breadth
//! first over an alphabet of the characters the patterns use plus one fresh character: every
//! character outside the patterns behaves like the fresh one, so no string is missed. Each
//! product state reached gives the set of patterns that accept the string read so far; the
//! first string to reach a new set is its witness.

use std::collections::{BTreeMap, HashSet, VecDeque};

/// How a pattern's `*` and `?` treat `:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Colons {
    /// A plain glob: wildcards match any character (`StringLike`, `Action`).
    Cross,
    /// An ARN compared field by field (`ArnLike`): wildcards in the first five colon-separated
    /// fields of the pattern never match `:`; in the sixth, the resource, they do.
    ArnFields,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?`; `true` when it may match `:`.
    One(bool),
    /// `*`; `true` when it may match `:`.
    Star(bool),
}

/// One pattern, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    toks: Vec<Tok>,
    fold: bool,
}

impl Pattern {
    /// `text` with `*` and `?` as wildcards; `fold` compares letters case-insensitively.
    pub(crate) fn glob(text: &str, fold: bool, colons: Colons) -> Pattern {
        let mut fields = 1;
        let toks = text
            .chars()
            .map(|c| {
                let cross = colons == Colons::Cross || fields >= 6;
                match c {
                    '*' => Tok::Star(cross),
                    '?' => Tok::One(cross),
                    ':' => {
                        fields += 1;
                        Tok::Lit(c)
                    }
                    _ => Tok::Lit(c),
                }
            })
            .collect();
        Pattern { toks, fold }
    }

    /// `text` matched exactly (with `fold`, case-insensitively).
    pub(crate) fn literal(text: &str, fold: bool) -> Pattern {
        Pattern {
            toks: text.chars().map(Tok::Lit).collect(),
            fold,
        }
    }

    /// An ARN whose fifth field, the account, matches `inner` (which must not span a colon), and
    /// whose other fields are anything: a predicate on `aws:SourceAccount` seen on the source ARN.
    pub(crate) fn in_account_field(inner: &Pattern) -> Pattern {
        let mut toks: Vec<Tok> = "arn:".chars().map(Tok::Lit).collect();
        for _ in 0..3 {
            toks.push(Tok::Star(false));
            toks.push(Tok::Lit(':'));
        }
        toks.extend(inner.toks.iter().map(|t| match t {
            Tok::Star(_) => Tok::Star(false),
            Tok::One(_) => Tok::One(false),
            lit @ Tok::Lit(_) => *lit,
        }));
        toks.push(Tok::Lit(':'));
        toks.push(Tok::Star(true));
        Pattern {
            toks,
            fold: inner.fold,
        }
    }

    /// The characters the pattern names.
    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    /// Whether the pattern matches `text` (the automaton's own verdict, which the tests hold
    /// equal to the evaluator's).
    #[cfg(test)]
    pub(crate) fn matches(&self, text: &str) -> bool {
        let u = Union::one(self.clone());
        let a = Automaton::new(&[&u]);
        let end = text.chars().fold(a.start(), |s, c| a.step(&s, c));
        a.matched(&end).first().copied().unwrap_or(false)
    }
}

/// The patterns of one predicate, which holds when any of them matches (a condition's value
/// list, a `Resource` list): its cells are all a statement can tell apart, however many
/// patterns it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Union {
    patterns: Vec<Pattern>,
}

impl Union {
    /// A union of `patterns`.
    pub(crate) fn new(patterns: Vec<Pattern>) -> Union {
        Union { patterns }
    }

    /// A union of one pattern.
    #[cfg(test)]
    pub(crate) fn one(pattern: Pattern) -> Union {
        Union::new(vec![pattern])
    }
}

/// Every pattern of every predicate in one trie of their tokens, so that a state after a
/// prefix many patterns share is one node, not one position per pattern: a list of ARNs that
/// differ only in the account costs about what one ARN costs.
#[derive(Debug)]
struct Automaton {
    nodes: Vec<Node>,
    /// How many predicates.
    predicates: usize,
}

/// A node of the trie: the tokens read to reach it, from the root.
#[derive(Debug, Clone, Default)]
struct Node {
    /// Reached through a `*`: it reads further characters itself (`true`: `:` too).
    star: Option<bool>,
    /// The predicates a pattern of which ends here.
    ends: Vec<u32>,
    /// The next tokens (with whether their pattern folds case) and the nodes they lead to.
    children: Vec<(Tok, bool, u32)>,
    /// The predicates a pattern of which ends here or below.
    reach: Vec<u32>,
}

/// Where the automaton is: the live nodes, and the predicates that hold for every extension of
/// the string read (a pattern of theirs ended in a `*` that crosses colons).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Position {
    nodes: Vec<u32>,
    held: Vec<u64>,
}

impl Automaton {
    fn new(predicates: &[&Union]) -> Automaton {
        let mut nodes = vec![Node::default()];
        for (id, u) in predicates.iter().enumerate() {
            let id = id as u32;
            for p in &u.patterns {
                let mut at = 0usize;
                for &tok in &p.toks {
                    let found = nodes.get(at).and_then(|n| {
                        n.children
                            .iter()
                            .find(|(t, fold, _)| *t == tok && *fold == p.fold)
                            .map(|&(_, _, to)| to as usize)
                    });
                    at = match found {
                        Some(to) => to,
                        None => {
                            let to = nodes.len();
                            nodes.push(Node {
                                star: match tok {
                                    Tok::Star(cross) => Some(cross),
                                    _ => None,
                                },
                                ..Node::default()
                            });
                            if let Some(n) = nodes.get_mut(at) {
                                n.children.push((tok, p.fold, to as u32));
                            }
                            to
                        }
                    };
                }
                if let Some(n) = nodes.get_mut(at)
                    && !n.ends.contains(&id)
                {
                    n.ends.push(id);
                }
            }
        }
        // Children come after their parents: fill `reach` from the last node up.
        for at in (0..nodes.len()).rev() {
            let mut reach: Vec<u32> = nodes.get(at).map(|n| n.ends.clone()).unwrap_or_default();
            let children: Vec<u32> = nodes
                .get(at)
                .map(|n| n.children.iter().map(|&(_, _, to)| to).collect())
                .unwrap_or_default();
            for to in children {
                if let Some(c) = nodes.get(to as usize) {
                    reach.extend(&c.reach);
                }
            }
            reach.sort_unstable();
            reach.dedup();
            if let Some(n) = nodes.get_mut(at) {
                n.reach = reach;
            }
        }
        Automaton {
            nodes,
            predicates: predicates.len(),
        }
    }

    fn node(&self, at: u32) -> Option<&Node> {
        self.nodes.get(at as usize)
    }

    /// Adds `at` and the nodes a `*` below it reaches without reading.
    fn close(&self, at: u32, nodes: &mut Vec<u32>, held: &mut [u64]) {
        let Some(n) = self.node(at) else {
            return;
        };
        if n.star == Some(true) {
            for &id in &n.ends {
                set(held, id);
            }
        }
        nodes.push(at);
        for &(tok, _, to) in &n.children {
            if matches!(tok, Tok::Star(_)) {
                self.close(to, nodes, held);
            }
        }
    }

    /// Sorts the nodes, and drops those that can only decide predicates already held.
    fn finish(&self, mut nodes: Vec<u32>, held: Vec<u64>) -> Position {
        nodes.sort_unstable();
        nodes.dedup();
        nodes.retain(|&at| {
            self.node(at)
                .is_some_and(|n| n.reach.iter().any(|&id| !is_set(&held, id)))
        });
        Position { nodes, held }
    }

    fn start(&self) -> Position {
        let mut nodes = Vec::new();
        let mut held = vec![0; self.predicates.div_ceil(64)];
        self.close(0, &mut nodes, &mut held);
        self.finish(nodes, held)
    }

    fn step(&self, from: &Position, c: char) -> Position {
        let mut nodes = Vec::with_capacity(from.nodes.len() + 2);
        let mut held = from.held.clone();
        for &at in &from.nodes {
            let Some(n) = self.node(at) else {
                continue;
            };
            if n.star.is_some_and(|cross| cross || c != ':') {
                self.close(at, &mut nodes, &mut held);
            }
            for &(tok, fold, to) in &n.children {
                let reads = match tok {
                    Tok::Lit(l) => chars_equal(l, c, fold),
                    Tok::One(cross) => cross || c != ':',
                    Tok::Star(_) => false,
                };
                if reads {
                    self.close(to, &mut nodes, &mut held);
                }
            }
        }
        self.finish(nodes, held)
    }

    /// Which predicates hold for the string read.
    fn matched(&self, at: &Position) -> Vec<bool> {
        let mut out: Vec<bool> = (0..self.predicates as u32)
            .map(|id| is_set(&at.held, id))
            .collect();
        for &node in &at.nodes {
            for &id in self
                .node(node)
                .map(|n| n.ends.as_slice())
                .unwrap_or_default()
            {
                if let Some(slot) = out.get_mut(id as usize) {
                    *slot = true;
                }
            }
        }
        out
    }
}

fn set(bits: &mut [u64], id: u32) {
    if let Some(w) = bits.get_mut((id / 64) as usize) {
        *w |= 1 << (id % 64);
    }
}

fn is_set(bits: &[u64], id: u32) -> bool {
    bits.get((id / 64) as usize)
        .is_some_and(|w| w & (1 << (id % 64)) != 0)
}

fn chars_equal(a: char, b: char, fold: bool) -> bool {
    a == b || (fold && a.to_lowercase().eq(b.to_lowercase()))
}

/// Which strings count: every string, non-empty ones, or ARN-shaped ones (`arn:` then at least
/// five colons in all, so that the six fields exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Any string, the empty one included.
    Any,
    /// At least one character after the prefix.
    NonEmpty,
    /// `arn:…` with six fields, whose fifth (the account) is empty (`false`) or not (`true`).
    ArnAccount(bool),
    /// What follows `role/` or `user/` in an IAM principal's ARN: a path of printable ASCII
    /// and a name of letters, digits and `+=,.@_-`
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html>).
    IamName,
}

/// Tracks the shape of the string read so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShapeState {
    read: u8,
    colons: u8,
    arn_prefix: bool,
    /// Every character printable ASCII.
    printable: bool,
    /// Since the last `/`: nothing, a valid IAM name, or something else.
    segment: Segment,
    /// A character was read in the fifth field of an ARN (the account).
    account: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Segment {
    Empty,
    Name,
    Other,
}

impl ShapeState {
    const START: ShapeState = ShapeState {
        read: 0,
        colons: 0,
        arn_prefix: true,
        printable: true,
        segment: Segment::Empty,
        account: false,
    };

    fn step(self, c: char) -> ShapeState {
        let expected = b"arn:".get(usize::from(self.read)).copied();
        ShapeState {
            read: self.read.saturating_add(1).min(5),
            colons: self.colons.saturating_add(u8::from(c == ':')).min(5),
            arn_prefix: self.arn_prefix && expected.is_none_or(|e| u32::from(e) == u32::from(c)),
            printable: self.printable && ('!'..='~').contains(&c),
            segment: match (c, self.segment) {
                ('/', _) => Segment::Empty,
                (_, Segment::Other) => Segment::Other,
                (c, _) if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) => Segment::Name,
                _ => Segment::Other,
            },
            account: self.account || (self.colons == 4 && c != ':'),
        }
    }

    fn fits(self, shape: Shape, after_prefix: bool) -> bool {
        match shape {
            Shape::Any => true,
            Shape::NonEmpty => after_prefix,
            Shape::ArnAccount(account) => {
                self.arn_prefix && self.colons >= 5 && self.account == account
            }
            Shape::IamName => after_prefix && self.printable && self.segment == Segment::Name,
        }
    }
}

/// One cell: which patterns match, and a shortest string that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    /// `matched[i]`: predicate `i` holds for every string of the cell.
    pub(crate) matched: Vec<bool>,
    /// A string of the cell, `prefix` included.
    pub(crate) witness: String,
}

/// More product states than the limit: the patterns are too many or too entangled to explore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooManyStates(pub(crate) usize);

/// Every cell of the predicates `unions` among the strings that start with `prefix`, have
/// `shape`, and use the characters of the patterns and `extra` plus one fresh character.
///
/// Cells come sorted by their signature; each witness is a shortest string of its cell.
///
/// # Errors
/// [`TooManyStates`] when the exploration passes `limit` product states.
pub(crate) fn cells(
    patterns: &[Union],
    prefix: &str,
    extra: &str,
    shape: Shape,
    limit: usize,
) -> Result<Vec<Cell>, TooManyStates> {
    // Predicates with the same values have the same cells: explore each once.
    let mut unique: Vec<&Union> = Vec::new();
    let position: Vec<usize> = patterns
        .iter()
        .map(|u| match unique.iter().position(|v| *v == u) {
            Some(i) => i,
            None => {
                unique.push(u);
                unique.len() - 1
            }
        })
        .collect();
    let found = explore(&unique, prefix, extra, shape, limit)?;
    Ok(found
        .into_iter()
        .map(|c| Cell {
            matched: position
                .iter()
                .map(|&i| c.matched.get(i).copied().unwrap_or(false))
                .collect(),
            witness: c.witness,
        })
        .collect())
}

/// [`cells`] of distinct predicates.
fn explore(
    patterns: &[&Union],
    prefix: &str,
    extra: &str,
    shape: Shape,
    limit: usize,
) -> Result<Vec<Cell>, TooManyStates> {
    let all: Vec<&Pattern> = patterns.iter().flat_map(|u| &u.patterns).collect();
    // An ARN-shaped string must be able to spell `arn:`.
    let extra = match shape {
        Shape::ArnAccount(_) => format!("{extra}arn"),
        Shape::Any | Shape::NonEmpty | Shape::IamName => extra.to_owned(),
    };
    let alphabet = alphabet(&all, &extra);
    let automaton = Automaton::new(patterns);
    let mut shape_state = ShapeState::START;
    let mut start = automaton.start();
    for c in prefix.chars() {
        shape_state = shape_state.step(c);
        start = automaton.step(&start, c);
    }
    let mut found: BTreeMap<Vec<bool>, String> = BTreeMap::new();
    let mut seen: HashSet<(Position, ShapeState, bool)> = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert((start.clone(), shape_state, false));
    queue.push_back((start, shape_state, false, prefix.to_owned()));
    while let Some((at, shape_state, after_prefix, text)) = queue.pop_front() {
        if shape_state.fits(shape, after_prefix) {
            found
                .entry(automaton.matched(&at))
                .or_insert_with(|| text.clone());
        }
        for &c in &alphabet {
            let key = (automaton.step(&at, c), shape_state.step(c), true);
            if seen.contains(&key) {
                continue;
            }
            if seen.len() >= limit {
                return Err(TooManyStates(limit));
            }
            seen.insert(key.clone());
            let mut longer = text.clone();
            longer.push(c);
            queue.push_back((key.0, key.1, key.2, longer));
        }
    }
    Ok(found
        .into_iter()
        .map(|(matched, witness)| Cell { matched, witness })
        .collect())
}

/// The characters the patterns and `extra` name (both cases when a pattern folds case), `:`,
/// and one character none of them names.
fn alphabet(patterns: &[&Pattern], extra: &str) -> Vec<char> {
    let mut chars: Vec<char> = patterns
        .iter()
        .flat_map(|p| {
            let fold = p.fold;
            p.chars().flat_map(move |c| {
                let mut all = vec![c];
                if fold {
                    all.extend(c.to_lowercase());
                    all.extend(c.to_uppercase());
                }
                all
            })
        })
        .chain(extra.chars())
        .chain([':'])
        .collect();
    // Letters and digits first, so that of two shortest witnesses the more readable is found.
    chars.sort_unstable_by_key(|&c| (!c.is_alphanumeric(), c));
    chars.dedup();
    // A fresh character: a letter, digit or other IAM name character if one is free (witnesses
    // stay readable, and valid wherever a name may stand), else any character not named.
    let fresh = ('a'..='z')
        .chain('0'..='9')
        .chain('A'..='Z')
        .chain("_-+=,.@".chars())
        .chain(('\u{100}'..='\u{2000}').filter(|c| c.to_lowercase().eq(c.to_uppercase())))
        .find(|c| !chars.contains(c));
    chars.extend(fresh);
    chars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::wildcard_match;

    fn glob(p: &str) -> Pattern {
        Pattern::glob(p, false, Colons::Cross)
    }

    #[test]
    fn the_automaton_agrees_with_the_evaluators_glob() {
        let patterns = ["a*b", "*", "?", "a?c*", "**x", "", "ab", "*:*", "A*"];
        let texts = [
            "", "a", "ab", "axb", "abc", "a:c", "x", "A", "aXcd", "::", "ba",
        ];
        for p in patterns {
            for fold in [false, true] {
                let compiled = Pattern::glob(p, fold, Colons::Cross);
                for t in texts {
                    assert_eq!(
                        compiled.matches(t),
                        wildcard_match(p, t, fold),
                        "{p} {t} {fold}"
                    );
                }
            }
        }
    }

    #[test]
    fn arn_fields_keep_wildcards_inside_the_first_five_fields() {
        let p = Pattern::glob("arn:aws:cloudtrail:*:111:trail/*", false, Colons::ArnFields);
        assert!(p.matches("arn:aws:cloudtrail:us-east-1:111:trail/t"));
        assert!(p.matches("arn:aws:cloudtrail:us-east-1:111:trail/t:x"));
        assert!(!p.matches("arn:aws:cloudtrail:a:b:111:trail/t"));
        assert!(Pattern::glob("arn:*", false, Colons::Cross).matches("arn:a:b"));
    }

    #[test]
    fn cells_of_overlapping_patterns_have_exact_witnesses() {
        let patterns = [glob("a*"), glob("*b"), Pattern::literal("ab", false)];
        let unions: Vec<Union> = patterns.iter().cloned().map(Union::one).collect();
        let found = cells(&unions, "", "", Shape::NonEmpty, 10_000).unwrap();
        let signatures: Vec<&[bool]> = found.iter().map(|c| c.matched.as_slice()).collect();
        assert_eq!(
            signatures,
            [
                &[false, false, false][..],
                &[false, true, false],
                &[true, false, false],
                &[true, true, false],
                &[true, true, true],
            ]
        );
        for cell in &found {
            for (p, m) in patterns.iter().zip(&cell.matched) {
                assert_eq!(p.matches(&cell.witness), *m, "{cell:?}");
            }
        }
        // Shortest witnesses.
        assert_eq!(found[4].witness, "ab");
        assert_eq!(found[3].witness, "aab");
    }

    #[test]
    fn the_prefix_and_the_shape_restrict_the_strings() {
        let patterns = [Union::one(glob("arn:aws:s3:::b/logs/*"))];
        let found = cells(&patterns, "arn:aws:s3:::b/", "", Shape::NonEmpty, 10_000).unwrap();
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|c| c.witness.len() > "arn:aws:s3:::b/".len())
        );
        let arns = cells(
            &[Union::one(glob("*:x"))],
            "",
            "",
            Shape::ArnAccount(false),
            100_000,
        )
        .unwrap();
        assert!(
            arns.iter()
                .all(|c| c.witness.starts_with("arn:") && c.witness.matches(':').count() >= 5)
        );
        assert_eq!(arns.len(), 2);
    }

    #[test]
    fn a_union_of_many_wildcard_arns_stays_small() {
        let union = Union::new(
            (0..200)
                .map(|i| {
                    Pattern::glob(
                        &format!(
                            "arn:aws:cloudtrail:*:{:012}:trail/*",
                            100_000_000_000u64 + i
                        ),
                        false,
                        Colons::Cross,
                    )
                })
                .collect(),
        );
        let found = cells(&[union], "", "", Shape::Any, 20_000).unwrap();
        assert_eq!(found.len(), 2);
    }

    proptest::proptest! {
        /// Every combination of matches some short string realizes is a cell, and every
        /// cell's witness realizes its combination, by the evaluator's own glob.
        #[test]
        fn cells_are_exactly_the_combinations_strings_realize(
            lists in proptest::collection::vec(
                proptest::collection::vec("[ab:*?]{0,4}", 1..3), 1..4),
        ) {
            let unions: Vec<Union> = lists
                .iter()
                .map(|l| Union::new(l.iter().map(|p| glob(p)).collect()))
                .collect();
            let found = cells(&unions, "", "", Shape::Any, 100_000).unwrap();
            let signature = |t: &str| -> Vec<bool> {
                lists
                    .iter()
                    .map(|l| l.iter().any(|p| wildcard_match(p, t, false)))
                    .collect()
            };
            for cell in &found {
                proptest::prop_assert_eq!(&signature(&cell.witness), &cell.matched);
            }
            // All strings over the patterns' characters and one more, up to length 6.
            let mut texts = vec![String::new()];
            for _ in 0..6 {
                let longer: Vec<String> = texts
                    .iter()
                    .filter(|t| t.len() < 6)
                    .flat_map(|t| ['a', 'b', ':', 'c'].map(|c| format!("{t}{c}")))
                    .collect();
                texts.extend(longer);
                texts.sort();
                texts.dedup();
            }
            for t in &texts {
                let sig = signature(t);
                proptest::prop_assert!(
                    found.iter().any(|c| c.matched == sig),
                    "`{}` has {:?}, which no cell has", t, sig
                );
            }
        }
    }

    #[test]
    fn the_limit_is_reported() {
        let patterns: Vec<Union> = (0..8)
            .map(|i| Union::one(glob(&format!("*{i}*{i}*"))))
            .collect();
        assert_eq!(
            cells(&patterns, "", "", Shape::NonEmpty, 50),
            Err(TooManyStates(50))
        );
    }
}
