//! What a proof answers: complete over so many regions, or the counterexamples, or why it
//! could not decide.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use std::sync::Arc;

use crate::eval::{Request, StatementId, Verdict};

use super::expect::Accept;
use super::model::{Model, Outside};

/// The answer of a complete proof of one policy against its intent.
///
/// Serializes as `{"regions": N, "counterexamples": [...], "incomplete": null | "reason"}`.
#[derive(Debug, Clone)]
pub struct Completeness {
    regions: usize,
    counterexamples: Vec<Counterexample>,
    incomplete: Option<String>,
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

    pub(crate) fn incomplete(why: impl Into<String>) -> Self {
        Completeness {
            regions: 0,
            counterexamples: Vec::new(),
            incomplete: Some(why.into()),
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
            counterexample: region.reported.and_then(|i| self.counterexamples.get(i)),
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
    pub fn incomplete_reason(&self) -> Option<&str> {
        self.incomplete.as_deref()
    }
}

impl Serialize for Completeness {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("regions", &self.regions)?;
        m.serialize_entry("counterexamples", &self.counterexamples)?;
        m.serialize_entry("incomplete", &self.incomplete)?;
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

/// What is wrong with a counterexample's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Kind {
    /// Allowed, but the intent does not allow it.
    Unintended,
    /// The intent allows it, the policy does not.
    Refused,
    /// The intent denies it explicitly, the policy does not.
    MissingDeny,
    /// The policy denies it explicitly, the intent does not.
    Overdenied,
}

/// One request whose verdict the intent does not accept, in the members the probes use, so
/// that another IAM evaluator can replay it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Counterexample {
    kind: Kind,
    verdict: Verdict,
    deciding: Vec<StatementId>,
    rule: Option<String>,
    accept: Accept,
    request: RequestKey,
}

/// A request ordered by its JSON text, for sorting and deduplication.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RequestKey(String, Request);

impl std::hash::Hash for RequestKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialOrd for RequestKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RequestKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl Counterexample {
    pub(crate) fn new(
        kind: Kind,
        request: Request,
        verdict: Verdict,
        deciding: Vec<StatementId>,
        accept: Accept,
        rule: Option<String>,
    ) -> Self {
        let text = serde_json::to_string(&request).unwrap_or_default();
        Counterexample {
            kind,
            verdict,
            deciding,
            rule,
            accept,
            request: RequestKey(text, request),
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request.1
    }

    /// The policy's verdict.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// The statements that decided it (empty for an implicit deny).
    pub fn deciding(&self) -> &[StatementId] {
        &self.deciding
    }

    /// The verdicts the intent accepts for it.
    pub fn expected(&self) -> Vec<Verdict> {
        self.accept.verdicts()
    }

    /// The intent's rule that covers the request; `None` when no rule does (it must not be
    /// allowed).
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }
}

impl std::fmt::Display for Counterexample {
    /// One line: who does what on which resource, what the policy answers and by which
    /// statements, and what the intent wanted.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let req = self.request();
        let who = match req.caller() {
            crate::eval::Caller::Anonymous => "an anonymous caller".to_owned(),
            crate::eval::Caller::Service(name) => format!("service `{name}`"),
            crate::eval::Caller::Aws(arn) => format!("`{arn}`"),
        };
        let by = if self.deciding.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = self.deciding.iter().map(|d| format!("`{d}`")).collect();
            format!(" by {}", ids.join(", "))
        };
        let wanted = match &self.rule {
            Some(rule) => format!("the intent ({rule}) accepts only"),
            None => "no rule of the intent covers it, so it must be".to_owned(),
        };
        let accepted: Vec<String> = self.expected().iter().map(ToString::to_string).collect();
        write!(f, "{who} `{}` on `{}`", req.action(), req.resource())?;
        let context: Vec<String> = req
            .context_entries()
            .map(|(k, v)| match v {
                crate::eval::ContextValue::Single(v) => format!("{k}={v}"),
                crate::eval::ContextValue::Multi(v) => format!("{k}=[{}]", v.join(",")),
                crate::eval::ContextValue::Unknown => format!("{k}=?"),
                crate::eval::ContextValue::OneOf(v) => {
                    let v: Vec<&str> = v
                        .iter()
                        .map(|x| x.as_deref().unwrap_or("(absent)"))
                        .collect();
                    format!("{k}=one of [{}]", v.join(","))
                }
            })
            .collect();
        if !context.is_empty() {
            write!(f, " with {}", context.join(", "))?;
        }
        write!(
            f,
            ": {}{by}; {wanted} {}",
            self.verdict,
            accepted.join(" or ")
        )
    }
}

impl Serialize for Counterexample {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let request = serde_json::to_value(&self.request.1).map_err(serde::ser::Error::custom)?;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", &self.kind)?;
        if let serde_json::Value::Object(members) = request {
            for (k, v) in members {
                m.serialize_entry(&k, &v)?;
            }
        }
        m.serialize_entry("verdict", &self.verdict)?;
        let deciding: Vec<String> = self.deciding.iter().map(ToString::to_string).collect();
        m.serialize_entry("deciding", &deciding)?;
        m.serialize_entry("expected", &self.expected())?;
        m.serialize_entry("rule", &self.rule)?;
        m.end()
    }
}
