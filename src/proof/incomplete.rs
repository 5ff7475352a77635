//! Why a proof could not decide a policy.

/// Why a proof could not decide a policy over every request. Its text (`Display`) is what the
/// JSON's `"incomplete"` member holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IncompleteReason {
    /// A bucket policy's intent names no bucket: nothing to hold the policy to.
    #[error("the intent names no bucket")]
    NoBucket,
    /// A key policy's intent names no KMS key.
    #[error("the intent names no kms key")]
    NoKey,
    /// The policy uses a construct the procedure does not cut exactly: policy variables,
    /// `NotPrincipal`, `Federated` or `CanonicalUser` principals, a set operator, an operator the
    /// evaluator declines, a wildcard in an account, a key compared as two types, a number past
    /// exact precision.
    #[error("{0}")]
    NotModelled(String),
    /// The evaluator declines a statement on one of the proof's requests.
    #[error("{0}")]
    Declined(String),
    /// The patterns on one dimension are too entangled to cut within the proof's state limit.
    #[error("{what} need more than {limit} states")]
    TooManyStates {
        /// The patterns, in words (`the resource patterns`).
        what: String,
        /// The limit passed.
        limit: usize,
    },
    /// The procedure's own consistency check failed: a bug, reported rather than a false answer.
    #[error("internal: {0}")]
    Internal(String),
}

/// A failed consistency check of the procedure.
pub(crate) fn internal(what: &str) -> IncompleteReason {
    IncompleteReason::Internal(what.to_owned())
}
