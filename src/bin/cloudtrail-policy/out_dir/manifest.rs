//! Output paths, and the manifest: the list of the files the tool wrote, kept inside DIR.

use std::collections::BTreeSet;
use std::fmt;

/// The manifest's name inside DIR. It is the tool's own file and never part of the output.
pub(crate) const MANIFEST: &str = ".cloudtrail-policy-manifest";

/// The manifest's first line; a later format changes the number.
const HEADER: &str = "cloudtrail-policy manifest 1";

/// The rule an output path breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathRule {
    /// The path is empty.
    Empty,
    /// The path starts with `/`.
    Absolute,
    /// The path has an empty component (`a//b`, or a trailing `/`).
    EmptyComponent,
    /// The path has a `.` or `..` component.
    DotComponent,
    /// The path holds a control character (NUL and line breaks included).
    ControlCharacter,
    /// The path is the manifest's or lies under it.
    Reserved,
}

impl fmt::Display for PathRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathRule::Empty => "it is empty",
            PathRule::Absolute => "it is absolute",
            PathRule::EmptyComponent => "it has an empty component",
            PathRule::DotComponent => "it has a `.` or `..` component",
            PathRule::ControlCharacter => "it holds a control character",
            PathRule::Reserved => "the name `.cloudtrail-policy-manifest` is reserved",
        })
    }
}

/// Checks that `path` is a plain relative path inside DIR: `/`-separated, non-empty components,
/// no `.` or `..`, no control character (so that it fits on one line of the manifest).
pub(crate) fn check_path(path: &str) -> Result<(), PathRule> {
    if path.is_empty() {
        return Err(PathRule::Empty);
    }
    if path.starts_with('/') {
        return Err(PathRule::Absolute);
    }
    if path.chars().any(char::is_control) {
        return Err(PathRule::ControlCharacter);
    }
    for (i, component) in path.split('/').enumerate() {
        match component {
            "" => return Err(PathRule::EmptyComponent),
            "." | ".." => return Err(PathRule::DotComponent),
            MANIFEST if i == 0 => return Err(PathRule::Reserved),
            _ => {}
        }
    }
    Ok(())
}

/// The proper ancestors of a checked path, outermost first: `a`, `a/b` for `a/b/c`.
pub(crate) fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .filter(|&(_, c)| c == '/')
        .filter_map(|(i, _)| path.get(..i))
}

/// The manifest listing `paths`: the header, then one path a line, each line ending in `\n`.
pub(crate) fn render<'a>(paths: impl IntoIterator<Item = &'a String>) -> Vec<u8> {
    let mut text = format!("{HEADER}\n");
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    text.into_bytes()
}

/// Parses a manifest; on error, the number of the first bad line (1-based). A manifest cut short
/// inside a line is rejected, since its last line must end in `\n`.
pub(crate) fn parse(bytes: &[u8]) -> Result<BTreeSet<String>, usize> {
    let text = std::str::from_utf8(bytes).map_err(|e| line_of(bytes, e.valid_up_to()))?;
    let Some(body) = text.strip_suffix('\n') else {
        return Err(text.lines().count().max(1));
    };
    let mut lines = body.split('\n');
    if lines.next() != Some(HEADER) {
        return Err(1);
    }
    let mut paths = BTreeSet::new();
    for (i, line) in lines.enumerate() {
        check_path(line).map_err(|_| i + 2)?;
        paths.insert(line.to_owned());
    }
    Ok(paths)
}

/// The 1-based line of byte `offset` in `bytes`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes.iter().take(offset).filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for ok in [
            "a",
            "a.json",
            "cloudformation/x.cfn.json",
            "a/b/c",
            ".hidden",
            "a b",
        ] {
            assert_eq!(check_path(ok), Ok(()), "{ok}");
        }
        for (bad, rule) in [
            ("", PathRule::Empty),
            ("/etc/passwd", PathRule::Absolute),
            ("a//b", PathRule::EmptyComponent),
            ("a/", PathRule::EmptyComponent),
            ("../x", PathRule::DotComponent),
            ("a/./b", PathRule::DotComponent),
            ("a/..", PathRule::DotComponent),
            ("a\nb", PathRule::ControlCharacter),
            ("a\0b", PathRule::ControlCharacter),
            (MANIFEST, PathRule::Reserved),
            (".cloudtrail-policy-manifest/x", PathRule::Reserved),
        ] {
            assert_eq!(check_path(bad), Err(rule), "{bad:?}");
        }
        assert_eq!(check_path("sub/.cloudtrail-policy-manifest"), Ok(()));
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(ancestors("a").count(), 0);
    }

    #[test]
    fn round_trip() {
        let paths: BTreeSet<String> = ["b", "a/c"].map(String::from).into();
        let bytes = render(&paths);
        assert_eq!(bytes, b"cloudtrail-policy manifest 1\na/c\nb\n");
        assert_eq!(parse(&bytes), Ok(paths));
        assert_eq!(
            parse(b"cloudtrail-policy manifest 1\n"),
            Ok(BTreeSet::new())
        );
    }

    #[test]
    fn rejects() {
        assert_eq!(parse(b""), Err(1));
        assert_eq!(parse(b"cloudtrail-policy manifest 1"), Err(1));
        assert_eq!(parse(b"cloudtrail-policy manifest 1\na\nb"), Err(3));
        assert_eq!(parse(b"cloudtrail-policy manifest 2\n"), Err(1));
        assert_eq!(parse(b"cloudtrail-policy manifest 1\na\n../x\n"), Err(3));
        assert_eq!(parse(b"cloudtrail-policy manifest 1\n\n"), Err(2));
        assert_eq!(parse(b"cloudtrail-policy manifest 1\na\n\xff\n"), Err(3));
    }
}
