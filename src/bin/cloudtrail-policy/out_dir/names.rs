//! The names of the directories a run makes beside DIR: unpredictable, and recognisable by the
//! next run as leftovers.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The two kinds of leftover directory beside DIR: a staging directory (or, after the swap, the
/// previous set), and DIR put aside by the two-rename fallback.
pub const STAGING: &str = "tmp";
pub const ASIDE: &str = "aside";

/// `PARENT/.DIRNAME.cloudtrail-policy-KIND-` and `random` as 16 hex digits.
pub fn fresh_name(parent: &Path, dir_name: &OsStr, kind: &str, random: u64) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(dir_name);
    name.push(format!(".cloudtrail-policy-{kind}-{random:016x}"));
    parent.join(name)
}

/// The kind ([`STAGING`] or [`ASIDE`]) of a leftover name of a run on `dir_name`, if `name` is one.
pub fn leftover_kind(dir_name: &OsStr, name: &OsStr) -> Option<&'static str> {
    let rest = name.as_encoded_bytes().strip_prefix(b".")?;
    let rest = rest.strip_prefix(dir_name.as_encoded_bytes())?;
    let rest = rest.strip_prefix(b".cloudtrail-policy-")?;
    let (kind, hex) = [STAGING, ASIDE]
        .into_iter()
        .find_map(|k| Some((k, rest.strip_prefix(k.as_bytes())?.strip_prefix(b"-")?)))?;
    let lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    (hex.len() == 16 && hex.iter().all(lower_hex)).then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_name_is_a_leftover_name_of_its_dir_only() {
        let name = fresh_name(Path::new("/p"), OsStr::new("out"), STAGING, 0xab);
        assert_eq!(
            name,
            Path::new("/p/.out.cloudtrail-policy-tmp-00000000000000ab")
        );
        let file = name.file_name().unwrap_or_default();
        assert_eq!(leftover_kind(OsStr::new("out"), file), Some(STAGING));
        assert_eq!(leftover_kind(OsStr::new("ou"), file), None);
    }
}
