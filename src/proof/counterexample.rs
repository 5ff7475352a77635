//! A counterexample: one request whose verdict the intent does not accept.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::eval::{Request, StatementId, Verdict};

use super::expect::Accept;

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
    /// What the verdict assumes where AWS is silent (how `{"AWS": "*"}` reads for a service).
    assumes: Option<&'static str>,
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
        assumes: Option<&'static str>,
    ) -> Self {
        let text = serde_json::to_string(&request).unwrap_or_default();
        Counterexample {
            assumes,
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

    /// What the verdict assumes where AWS is silent: `Some` when the policy names
    /// `{"AWS": "*"}` and the request is a service principal's, which AWS does not say that
    /// entry names; the evaluator declines such a request, and the proof holds the policy to
    /// the intent under each reading.
    pub fn assumes(&self) -> Option<&str> {
        self.assumes
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
        )?;
        match self.assumes {
            Some(assumes) => write!(f, " ({assumes})"),
            None => Ok(()),
        }
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
        if let Some(assumes) = self.assumes {
            m.serialize_entry("assumes", assumes)?;
        }
        m.end()
    }
}
