//! Three-valued logic: every sub-test of a statement matches, does not, or is not modelled.

/// Three-valued truth: matches, does not, or not modelled (with the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown(String),
}

impl From<bool> for Tri {
    fn from(b: bool) -> Self {
        if b { Tri::True } else { Tri::False }
    }
}

impl Tri {
    /// Kleene AND, evaluating `other` only when `self` is not already false.
    pub(crate) fn and(self, other: impl FnOnce() -> Tri) -> Tri {
        match self {
            Tri::False => Tri::False,
            Tri::True => other(),
            Tri::Unknown(why) => match other() {
                Tri::False => Tri::False,
                _ => Tri::Unknown(why),
            },
        }
    }

    /// Kleene NOT.
    #[allow(
        clippy::should_implement_trait,
        reason = "a three-valued not, kept by name"
    )]
    pub(crate) fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            unknown @ Tri::Unknown(_) => unknown,
        }
    }

    /// Kleene OR over many: true as soon as one is true; false only if all are false.
    pub(crate) fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut result = Tri::False;
        for item in items {
            match item {
                Tri::True => return Tri::True,
                Tri::False => {}
                Tri::Unknown(why) => {
                    if result == Tri::False {
                        result = Tri::Unknown(why);
                    }
                }
            }
        }
        result
    }

    /// Kleene AND over many: false as soon as one is false; true only if all are true.
    pub(crate) fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut result = Tri::True;
        for item in items {
            match item {
                Tri::False => return Tri::False,
                Tri::True => {}
                Tri::Unknown(why) => {
                    if result == Tri::True {
                        result = Tri::Unknown(why);
                    }
                }
            }
        }
        result
    }
}
