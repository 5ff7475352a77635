//! Exposure: for every `Allow` statement of a policy, every kind of caller it names (its
//! [witnesses](super::witness)) and every action of a catalog it covers, whether the whole
//! policy lets that caller do it. The answer the probe matrix cannot give: "who else can read,
//! write, delete, change the policy or the ACLs?".
//!
//! Near-linear in the statements: an action enters a statement only through `Action` /
//! `NotAction`, so each statement's coverage of each catalog action is computed once, and for
//! each (witness, resource) the rest of the statement and of every `Deny` is evaluated once and
//! shared by all actions. Identical requests (the same anonymous caller from many statements)
//! are evaluated against the denies once.

use std::collections::HashMap;

use crate::document::{Effect, PolicyDocument};

use super::actions::{Action, Target};
use super::evaluate::{Unsupported, action_covered, applies_but_action};
use super::request::Request;
use super::witness::{StandIns, Witness, witnesses};

/// Actions a witness may take on one resource by one statement, no `Deny` stopping it.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    /// The granting statement's index.
    pub(crate) statement: usize,
    pub(crate) witness: Witness,
    pub(crate) target: Target,
    pub(crate) resource: String,
    /// The actions allowed, in catalog order.
    pub(crate) actions: Vec<&'static Action>,
}

/// A request whose verdict the evaluator could not reach.
#[derive(Debug, Clone)]
pub(crate) struct Unproved {
    pub(crate) request: Request,
    pub(crate) why: Unsupported,
}

/// Every grant of `policy` to a witness of its `Allow` statements, over the `catalog`'s
/// actions on the resources `resources` gives for each statement (by index). `keep` drops
/// witnesses the caller is not asking about; `prepare` adds the context every request carries
/// (the probes' ambient keys).
pub(crate) fn exposure(
    policy: &PolicyDocument,
    catalog: &'static [Action],
    resources: &dyn Fn(usize) -> Vec<(Target, String)>,
    stand_ins: &StandIns<'_>,
    keep: &dyn Fn(&Witness) -> bool,
    prepare: &dyn Fn(Request) -> Request,
) -> (Vec<Grant>, Vec<Unproved>) {
    let statements = policy.statements();
    let coverage = |index: usize| -> Vec<Result<bool, Unsupported>> {
        catalog
            .iter()
            .map(|a| action_covered(policy, index, a.name))
            .collect()
    };
    let denies: Vec<(usize, Vec<Result<bool, Unsupported>>)> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect() == Effect::Deny)
        .map(|(i, _)| (i, coverage(i)))
        .collect();
    // For each request (action aside), whether each deny's principal, resource and conditions
    // match it: computed on first need, since most denies cover none of a statement's actions.
    let mut deny_rest: HashMap<Request, Vec<Option<Result<bool, Unsupported>>>> = HashMap::new();
    let mut grants = Vec::new();
    let mut unproved = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        if statement.effect() != Effect::Allow {
            continue;
        }
        let covered = coverage(index);
        if covered.iter().all(|c| matches!(c, Ok(false))) {
            continue;
        }
        let statement_resources = resources(index);
        // Per target: the catalog actions this statement may cover, and the denies that cover
        // one of them (the others cannot stop any of its grants).
        let per_target = |target: Target| {
            let mine: Vec<usize> = (0..catalog.len())
                .filter(|&k| {
                    catalog.get(k).is_some_and(|a| a.target == target)
                        && !matches!(covered.get(k), Some(Ok(false)))
                })
                .collect();
            let relevant: Vec<usize> = denies
                .iter()
                .enumerate()
                .filter(|(_, (_, cover))| {
                    mine.iter()
                        .any(|&k| !matches!(cover.get(k), Some(Ok(false)) | None))
                })
                .map(|(j, _)| j)
                .collect();
            (mine, relevant)
        };
        // (target, (its catalog actions, the denies relevant to them)).
        type PerTarget = (Target, (Vec<usize>, Vec<usize>));
        let mut targets: Vec<PerTarget> = Vec::new();
        for (target, _) in &statement_resources {
            if !targets.iter().any(|(t, _)| t == target) {
                targets.push((*target, per_target(*target)));
            }
        }
        for witness in witnesses(statement, stand_ins) {
            if !keep(&witness) {
                continue;
            }
            for (target, resource) in &statement_resources {
                let Some((_, (mine, relevant))) = targets.iter().find(|(t, _)| t == target) else {
                    continue;
                };
                let Some(first) = mine.first().and_then(|&k| catalog.get(k)) else {
                    continue;
                };
                let request = prepare(witness.request(first.name, resource));
                match applies_but_action(policy, index, &request) {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(why) => {
                        unproved.push(Unproved { request, why });
                        continue;
                    }
                }
                // Whether the rest of each relevant deny matches this request.
                let rests = deny_rest
                    .entry(request.clone())
                    .or_insert_with(|| vec![None; denies.len()]);
                for &j in relevant {
                    if let (Some(slot @ None), Some((d, _))) = (rests.get_mut(j), denies.get(j)) {
                        *slot = Some(applies_but_action(policy, *d, &request));
                    }
                }
                let mut allowed = Vec::new();
                for &k in mine {
                    let Some(action) = catalog.get(k) else {
                        continue;
                    };
                    let mut blocked = Ok(false);
                    for &j in relevant {
                        let (Some((_, deny_cover)), Some(Some(rest))) =
                            (denies.get(j), rests.get(j))
                        else {
                            continue;
                        };
                        match (deny_cover.get(k), rest) {
                            (Some(Ok(true)), Ok(true)) => {
                                blocked = Ok(true);
                                break;
                            }
                            (Some(Ok(false)), _) | (_, Ok(false)) => {}
                            (Some(Err(e)), _) | (_, Err(e)) => {
                                if blocked.is_ok() {
                                    blocked = Err(e.clone());
                                }
                            }
                            (None, _) => {}
                        }
                    }
                    let grants_it = covered.get(k).cloned().unwrap_or(Ok(false));
                    match (grants_it, blocked) {
                        (Ok(false), _) | (_, Ok(true)) => {}
                        (Ok(true), Ok(false)) => allowed.push(action),
                        (Err(why), _) | (_, Err(why)) => unproved.push(Unproved {
                            request: request.clone().with_action(action.name),
                            why,
                        }),
                    }
                }
                if !allowed.is_empty() {
                    grants.push(Grant {
                        statement: index,
                        witness: witness.clone(),
                        target: *target,
                        resource: resource.clone(),
                        actions: allowed,
                    });
                }
            }
        }
    }
    (grants, unproved)
}
