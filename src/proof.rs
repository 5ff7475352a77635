//! Proof over every request, not a sample: a decision procedure for the policy language the
//! evaluator supports.
//!
//! The request space (principal, action, resource, and every condition key the policy or the
//! intent mentions, absent included) is cut into regions on which every statement of the policy
//! and every rule of the intent is constant: the cells of the policy's own literals and
//! patterns (for wildcard patterns, the Boolean combinations some string realizes, found in a
//! product of the patterns' automata), the service's actions, and the callers each principal
//! entry tells apart. One witness request per region, evaluated with the crate's evaluator,
//! decides the whole region. The answer is complete (so many regions, every request accepted
//! by the intent), a list of counterexamples (concrete requests any IAM simulator can replay),
//! or incomplete with the construct the procedure cannot cut exactly.

mod actions;
mod boxes;
mod counterexample;
mod engine;
mod expect;
mod glob;
mod incomplete;
mod model;
mod result;
mod space;

pub(crate) use actions::{KMS_ACTIONS, S3_ACTIONS, s3_unrequestable};
pub use counterexample::{Counterexample, Kind};
pub(crate) use engine::prove;
pub(crate) use expect::Scope;
pub use expect::{Accept, Expectation, Rule};
pub use incomplete::IncompleteReason;
pub use model::Outside;
pub use result::{Completeness, Judged};
pub(crate) use space::{Domain, Resources};
