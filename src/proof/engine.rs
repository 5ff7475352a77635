//! The decision procedure: every statement of the policy and every rule of the expectation is a
//! cube of atoms; the policy's verdict regions (denied, allowed, neither) are cut by the rules,
//! and every piece whose verdict the rule does not accept gives a counterexample, replayed
//! through the evaluator.

use std::sync::Arc;

use crate::document::{Effect, PolicyDocument, Statement};
use crate::eval::{Caller, StatementId, Verdict, evaluate};

use super::boxes::{Cube, Set, subtract};
use super::counterexample::{Counterexample, Kind};
use super::expect::{Accept, Expectation};
use super::incomplete::{IncompleteReason, internal};
use super::model::{Model, Reading, names_any_aws};
use super::result::Completeness;
use super::space::{Domain, Space, request};

/// At most this many counterexamples are reported.
pub(crate) const MAX_COUNTEREXAMPLES: usize = 32;

/// Proves `policy` against `expectation` over the requests of `domain`.
pub(crate) fn prove(
    policy: &PolicyDocument,
    expectation: &Expectation,
    domain: &Domain,
) -> Completeness {
    let matchers: Vec<&Statement> = expectation.rules().iter().map(|r| &r.matcher).collect();
    let space = match Space::new(domain, policy, &matchers) {
        Ok(space) => space,
        Err(why) => return Completeness::incomplete(why),
    };
    // AWS does not say whether `{"AWS": "*"}` names service principals: a policy that has the
    // entry is proved under each reading.
    let readings: &[Reading] = if policy.statements().iter().any(names_any_aws) {
        &[Reading::ServicesIncluded, Reading::ServicesExcluded]
    } else {
        &[Reading::ServicesIncluded]
    };
    let mut proved: Option<Completeness> = None;
    for &reading in readings {
        let done = Model::build(space.clone(), policy, expectation, reading)
            .and_then(|m| run(policy, expectation, m));
        match done {
            Ok(done) => {
                proved = Some(match proved {
                    None => done,
                    Some(first) => first.and(done, MAX_COUNTEREXAMPLES),
                });
            }
            Err(why) => return Completeness::incomplete(why),
        }
    }
    proved.unwrap_or_else(|| {
        Completeness::incomplete(IncompleteReason::Internal("no reading was proved".into()))
    })
}

fn run(
    policy: &PolicyDocument,
    expectation: &Expectation,
    mut model: Model,
) -> Result<Completeness, IncompleteReason> {
    let universe = Cube {
        dims: model.space.sizes().iter().map(|&n| Set::full(n)).collect(),
    };
    let (statement_cubes, rule_cubes) = model.cubes.split_at(model.effects.len());
    let mut denies = Vec::new();
    let mut allows = Vec::new();
    for (cube, effect) in statement_cubes.iter().zip(&model.effects) {
        if cube.is_empty() {
            continue;
        }
        match effect {
            Effect::Deny => denies.push(cube.clone()),
            Effect::Allow => allows.push(cube.clone()),
        }
    }
    // The policy's verdict regions, each a list of disjoint cubes.
    let denied = disjoint(denies);
    let allowed = subtract(disjoint(allows), &denied);
    let decided: Vec<Cube> = denied.iter().chain(&allowed).cloned().collect();

    let mut regions = 0;
    let mut found: Vec<(Counterexample, Cube)> = Vec::new();
    let mut taken: Vec<Cube> = Vec::new();
    let default = (universe, Accept::NOT_ALLOWED, None);
    let rules = rule_cubes
        .iter()
        .zip(&model.accepts)
        .enumerate()
        .map(|(i, (c, a))| (c.clone(), *a, Some(i)));
    for (cube, accept, rule) in rules.chain([default]) {
        let pieces = subtract(vec![cube.clone()], &taken);
        taken.push(cube);
        for piece in pieces {
            let parts = [
                (Verdict::Deny, intersect_all(&piece, &denied)),
                (Verdict::Allow, intersect_all(&piece, &allowed)),
                (
                    Verdict::ImplicitDeny,
                    subtract(vec![piece.clone()], &decided),
                ),
            ];
            for (verdict, cubes) in parts {
                regions += cubes.len();
                if accept.contains(verdict) {
                    continue;
                }
                for c in cubes {
                    if found.len() < MAX_COUNTEREXAMPLES {
                        let ce = counterexample(policy, expectation, &model, &c, rule, verdict)?;
                        found.push((ce, c));
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    let counterexamples = found.iter().map(|(ce, _)| ce.clone()).collect();
    model.reported = found.into_iter().map(|(ce, cube)| (cube, ce)).collect();
    Ok(Completeness::new(regions, counterexamples, Arc::new(model)))
}

/// `cubes` as disjoint cubes covering the same points.
fn disjoint(cubes: Vec<Cube>) -> Vec<Cube> {
    let mut out: Vec<Cube> = Vec::new();
    for c in cubes {
        let pieces = subtract(vec![c], &out);
        out.extend(pieces);
    }
    out
}

fn intersect_all(piece: &Cube, cubes: &[Cube]) -> Vec<Cube> {
    cubes
        .iter()
        .map(|c| piece.intersect(c))
        .filter(|c| !c.is_empty())
        .collect()
}

/// A concrete request of `cube`, replayed through the evaluator: it must get `verdict`, and the
/// expectation must not accept it, or the procedure has a bug and says so.
fn counterexample(
    policy: &PolicyDocument,
    expectation: &Expectation,
    model: &Model,
    cube: &Cube,
    rule: Option<usize>,
    verdict: Verdict,
) -> Result<Counterexample, IncompleteReason> {
    let space = &model.space;
    let pick = |d: usize| cube.dims.get(d).and_then(Set::first).unwrap_or(0);
    // A key the region does not constrain is left out of the request (absent), which is how
    // a reader expects an irrelevant key; otherwise its first value.
    let keys: Vec<usize> = (3..cube.dims.len())
        .map(|d| {
            let absent = space
                .keys
                .get(d - 3)
                .and_then(|k| k.values.iter().position(Option::is_none));
            match (absent, cube.dims.get(d)) {
                (Some(a), Some(set)) if set.contains(a) => a,
                _ => pick(d),
            }
        })
        .collect();
    let req = request(space, pick(0), pick(1), pick(2), &keys)
        .ok_or_else(|| internal("a cube names an atom that does not exist"))?;
    let point: Vec<usize> = [pick(0), pick(1), pick(2)]
        .into_iter()
        .chain(keys.iter().copied())
        .collect();
    let (first_rule, accept) = expectation
        .classify(&req)
        .map_err(|e| internal(&format!("the intent's rules: {e}")))?;
    // A service's request under `{"AWS": "*"}`: the evaluator declines, the model's reading
    // decides (the statements of the verdict's effect whose regions hold the request).
    let (got, deciding, assumes) = match evaluate(policy, &req) {
        Ok(d) => (d.verdict(), d.deciding().to_vec(), None),
        Err(_)
            if matches!(req.caller(), Caller::Service(_))
                && policy.statements().iter().any(names_any_aws) =>
        {
            let effect = match verdict {
                Verdict::Allow => Some(Effect::Allow),
                Verdict::Deny => Some(Effect::Deny),
                Verdict::ImplicitDeny => None,
            };
            let deciding = policy
                .statements()
                .iter()
                .enumerate()
                .filter(|(i, st)| {
                    Some(st.effect()) == effect
                        && model
                            .cubes
                            .get(*i)
                            .is_some_and(|c| c.contains_point(&point))
                })
                .map(|(index, st)| StatementId {
                    index,
                    sid: st.sid().map(str::to_owned),
                })
                .collect();
            (verdict, deciding, Some(model.reading.assumes()))
        }
        Err(e) => return Err(IncompleteReason::Declined(e.to_string())),
    };
    if got != verdict || first_rule != rule || accept.contains(verdict) {
        return Err(internal(&format!(
            "the request {req:?} was classified as {verdict} under rule {rule:?}, but the evaluator says {got} under rule {first_rule:?}"
        )));
    }
    let kind = match verdict {
        // A hardening rule (the intent wants the request denied, as a request without TLS): its
        // deny is missing, whether or not the request is also allowed.
        _ if accept == Accept::DENY => Kind::MissingDeny,
        Verdict::Allow => Kind::Unintended,
        Verdict::Deny => Kind::Overdenied,
        Verdict::ImplicitDeny if accept.contains(Verdict::Allow) => Kind::Refused,
        Verdict::ImplicitDeny => Kind::MissingDeny,
    };
    let label = rule
        .and_then(|i| expectation.rules().get(i))
        .map(|r| r.label.clone());
    Ok(Counterexample::new(
        kind, req, verdict, deciding, accept, label, assumes,
    ))
}
