//! Offline evaluation of a resource-based policy (an S3 bucket policy or a KMS key policy)
//! against one request: the proof engine behind the crate's claim that each generated policy
//! allows exactly CloudTrail's deliveries and the named readers, and denies everything else.
//!
//! # What is modelled
//!
//! One resource-based policy on its own, as AWS's evaluation logic describes it: an explicit
//! `Deny` beats any `Allow`, and a request no statement allows is implicitly denied
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//! Identity policies, SCPs, permission boundaries, session policies, ACLs and the cross-account
//! rule (the caller's own account must also allow) are outside this function: an
//! [`Verdict::Allow`] means "this policy grants it", not "AWS will let it through".
//!
//! # Never guessing
//!
//! Every sub-test of a statement is three-valued: it matches, it does not, or the evaluator does
//! not model the construct (a date comparison, a principal form or a wildcard reading AWS does
//! not document; README.md's "What the evaluator supports" lists each). Unknowns combine by
//! Kleene logic, so a statement whose action does not match is simply "no match" whatever else
//! it holds; an unknown reaches the caller as [`Unsupported`] only when it could change the
//! verdict.
//!
//! # The request context is taken as given
//!
//! The evaluator does not derive context keys from the caller: `aws:PrincipalAccount`,
//! `kms:CallerAccount`, `aws:SecureTransport` and the rest are present only if the request says
//! so. An absent key is absent, with AWS's absent-key rules (see [`Request::with_context`]); a
//! key can also be present with a value nobody knows ([`Request::with_unknown_context`]) or be
//! one of several values ([`Request::with_context_one_of`]), and is then decided only where
//! every value gives the same answer.

mod actions;
mod condition;
mod ctx;
mod evaluate;
mod exposure;
mod identity;
mod principal;
mod request;
mod tri;
mod variable;
mod wildcard;
mod witness;

pub(crate) use actions::{Effect as ActionEffect, KMS, S3, Target};
pub use evaluate::{Decision, StatementId, Unsupported, Verdict, evaluate, statement_applies};
pub(crate) use exposure::{Grant, exposure};
pub use request::{Caller, ContextValue, Request};
pub use wildcard::wildcard_match;
pub(crate) use witness::{StandIns, Who, Witness};
