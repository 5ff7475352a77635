//! What every matcher needs during one evaluation.

use super::identity::Identity;
use super::request::Request;
use super::tri::Tri;
use super::variable::{Resolved, resolve};

/// What every matcher needs: the request, the parsed caller, and whether `${…}` is a variable.
pub(crate) struct Ctx<'a> {
    pub(crate) request: &'a Request,
    pub(crate) caller: Identity<'a>,
    pub(crate) variables: bool,
}

impl Ctx<'_> {
    /// Whether `value` holds a policy variable (only in a `2012-10-17` document).
    pub(crate) fn has_variable(&self, value: &str) -> bool {
        // `contains(char)` is a memchr; almost no value holds a `$`.
        self.variables && value.contains('$') && value.contains("${")
    }

    /// `value` with its variables resolved, or `None` when it holds none.
    pub(crate) fn resolve(&self, value: &str) -> Option<Resolved> {
        self.has_variable(value)
            .then(|| resolve(value, self.request))
    }

    /// `Unknown` for a variable in an element where AWS does not allow one (an action, a
    /// principal, a condition key): "You can use a policy variable in the Resource element …
    /// [and] for Condition values in any condition that involves the string operators or the
    /// ARN operators"
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>).
    /// What AWS does with one elsewhere is not documented.
    pub(crate) fn variable_not_allowed(&self, value: &str, element: &str) -> Option<Tri> {
        self.has_variable(value).then(|| {
            Tri::Unknown(format!(
                "policy variable in {element} `{value}`, where AWS documents none"
            ))
        })
    }
}
