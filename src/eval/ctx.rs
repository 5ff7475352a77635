//! What every matcher needs during one evaluation.

use super::identity::Identity;
use super::request::Request;
use super::tri::Tri;

/// What every matcher needs: the request, the parsed caller, and whether `${…}` is a variable.
pub(crate) struct Ctx<'a> {
    pub(crate) request: &'a Request,
    pub(crate) caller: Identity<'a>,
    pub(crate) variables: bool,
}

impl Ctx<'_> {
    /// `Unknown` naming the first policy variable in `value`, when variables are live.
    pub(crate) fn variable_in(&self, value: &str) -> Option<Tri> {
        // `contains(char)` is a memchr; almost no value holds a `$`, and `find(&str)` set up a
        // substring searcher for every pattern of every probe.
        if !self.variables || !value.contains('$') {
            return None;
        }
        let start = value.find("${")?;
        let rest = value.get(start..)?;
        let name = rest
            .find('}')
            .and_then(|end| rest.get(..=end))
            .unwrap_or(rest);
        Some(Tri::Unknown(format!(
            "unsupported policy variable `{name}` in `{value}`"
        )))
    }
}
