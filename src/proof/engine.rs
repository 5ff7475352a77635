//! The decision procedure: every statement of the policy and every rule of the expectation is a
//! cube of atoms; the policy's verdict regions (denied, allowed, neither) are cut by the rules,
//! and every piece whose verdict the rule does not accept gives a counterexample, replayed
//! through the evaluator.

use std::sync::Arc;

use crate::document::{Effect, PolicyDocument, Statement};
use crate::eval::{Verdict, evaluate};

use super::boxes::{Cube, Set, subtract};
use super::expect::{Accept, Expectation};
use super::model::Model;
use super::result::{Completeness, Counterexample, Kind};
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
    match Model::build(space, policy, expectation).and_then(|m| run(policy, expectation, m)) {
        Ok(done) => done,
        Err(why) => Completeness::incomplete(why),
    }
}

fn run(
    policy: &PolicyDocument,
    expectation: &Expectation,
    mut model: Model,
) -> Result<Completeness, String> {
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
                        let ce =
                            counterexample(policy, expectation, &model.space, &c, rule, verdict)?;
                        found.push((ce, c));
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    let (counterexamples, reported): (Vec<_>, Vec<_>) = found.into_iter().unzip();
    model.reported = reported;
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
    space: &Space,
    cube: &Cube,
    rule: Option<usize>,
    verdict: Verdict,
) -> Result<Counterexample, String> {
    let pick = |d: usize| cube.dims.get(d).and_then(Set::first).unwrap_or(0);
    let keys: Vec<usize> = (3..cube.dims.len()).map(pick).collect();
    let req = request(space, pick(0), pick(1), pick(2), &keys)
        .ok_or("internal: a cube names an atom that does not exist")?;
    let decision = evaluate(policy, &req).map_err(|e| e.to_string())?;
    let (first_rule, accept) = expectation.classify(&req).map_err(|e| e.to_string())?;
    if decision.verdict() != verdict || first_rule != rule || accept.contains(verdict) {
        return Err(format!(
            "internal: the request {req:?} was classified as {verdict} under rule {rule:?}, but the evaluator says {} under rule {first_rule:?}",
            decision.verdict()
        ));
    }
    let kind = match verdict {
        Verdict::Allow => Kind::Unintended,
        Verdict::Deny => Kind::Overdenied,
        Verdict::ImplicitDeny if accept.contains(Verdict::Allow) => Kind::Refused,
        Verdict::ImplicitDeny => Kind::MissingDeny,
    };
    let label = rule
        .and_then(|i| expectation.rules().get(i))
        .map(|r| r.label.clone());
    Ok(Counterexample::new(
        kind,
        req,
        verdict,
        decision.deciding().to_vec(),
        accept,
        label,
    ))
}
