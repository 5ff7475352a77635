//! What a proof answers: complete over so many regions, or the counterexamples, or why it
//! could not decide.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use std::sync::Arc;

use crate::eval::{Request, Verdict};

use super::counterexample::Counterexample;
use super::expect::Accept;
use super::incomplete::IncompleteReason;
use super::model::{Model, Outside};

/// The answer of a complete proof of one policy against its intent.
///
/// Serializes as `{"regions": N, "counterexamples": [...], "incomplete": null | "reason"}`.
#[derive(Debug, Clone)]
pub struct Completeness {
    regions: usize,
    counterexamples: Vec<Counterexample>,
    incomplete: Option<IncompleteReason>,
    /// The partition, to judge further requests; `None` when incomplete.
    model: Option<Arc<Model>>,
}

impl PartialEq for Completeness {
    fn eq(&self, other: &Self) -> bool {
        (self.regions, &self.counterexamples, &self.incomplete)
            == (other.regions, &other.counterexamples, &other.incomplete)
    }
}

impl Eq for Completeness {}

impl Completeness {
    pub(crate) fn new(
        regions: usize,
        counterexamples: Vec<Counterexample>,
        model: Arc<Model>,
    ) -> Self {
        Completeness {
            regions,
            counterexamples,
            incomplete: None,
            model: Some(model),
        }
    }

    /// Both proofs of a policy (under each reading of what AWS leaves open): complete only if
    /// both are; the counterexamples of both, at most `max`; the larger region count; the
    /// first's partition to judge requests with.
    pub(crate) fn and(self, other: Completeness, max: usize) -> Self {
        if self.incomplete.is_some() {
            return self;
        }
        if other.incomplete.is_some() {
            return other;
        }
        let mut counterexamples = self.counterexamples;
        counterexamples.extend(other.counterexamples);
        counterexamples.sort();
        counterexamples.dedup();
        counterexamples.truncate(max);
        Completeness {
            regions: self.regions.max(other.regions),
            counterexamples,
            incomplete: None,
            model: self.model,
        }
    }

    pub(crate) fn incomplete(why: IncompleteReason) -> Self {
        Completeness {
            regions: 0,
            counterexamples: Vec::new(),
            incomplete: Some(why),
            model: None,
        }
    }

    /// The proof's account of one request: the verdict of the region it falls in, the intent's
    /// rule for that region, and the reported counterexample of that region, if any. Every
    /// request of a region gets the same verdict from the evaluator; this is how the tests
    /// hold the partition to it on requests the proof never saw.
    ///
    /// # Errors
    /// [`Outside`] when the proof was incomplete or the request lies outside its space.
    pub fn judge(&self, request: &Request) -> Result<Judged<'_>, Outside> {
        let model = self.model.as_ref().ok_or(Outside::Incomplete)?;
        let region = model.judge(request)?;
        Ok(Judged {
            verdict: region.verdict,
            rule: region.rule,
            accept: region.accept,
            counterexample: region
                .reported
                .and_then(|ce| self.counterexamples.iter().find(|c| *c == ce)),
        })
    }

    /// True when every request of the space was decided and got a verdict its intent accepts.
    pub fn is_complete(&self) -> bool {
        self.incomplete.is_none() && self.counterexamples.is_empty()
    }

    /// How many regions the request space was cut into: on each, the policy's verdict and the
    /// intent's expectation are constant.
    pub fn regions(&self) -> usize {
        self.regions
    }

    /// Requests whose verdict the intent does not accept (at most one per region, and at most
    /// 32 in all).
    pub fn counterexamples(&self) -> &[Counterexample] {
        &self.counterexamples
    }

    /// Why the policy could not be decided over every request: a construct the procedure does
    /// not partition exactly. The probe matrix still applies.
    pub fn incomplete_reason(&self) -> Option<&IncompleteReason> {
        self.incomplete.as_ref()
    }
}

impl Serialize for Completeness {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("regions", &self.regions)?;
        m.serialize_entry("counterexamples", &self.counterexamples)?;
        m.serialize_entry(
            "incomplete",
            &self.incomplete.as_ref().map(ToString::to_string),
        )?;
        m.end()
    }
}

/// The proof's account of one request ([`Completeness::judge`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged<'a> {
    verdict: Verdict,
    rule: Option<&'a str>,
    accept: Accept,
    counterexample: Option<&'a Counterexample>,
}

impl<'a> Judged<'a> {
    /// The policy's verdict on the request's region.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// The intent's rule for the region; `None` when no rule covers it (it must not be
    /// allowed).
    pub fn rule(&self) -> Option<&'a str> {
        self.rule
    }

    /// Whether the intent accepts the verdict.
    pub fn accepted(&self) -> bool {
        self.accept.contains(self.verdict)
    }

    /// The reported counterexample of the region (`None` when the verdict is accepted, or when
    /// the region was past the report's limit).
    pub fn counterexample(&self) -> Option<&'a Counterexample> {
        self.counterexample
    }
}
