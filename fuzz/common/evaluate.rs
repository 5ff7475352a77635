//! `evaluate`: an arbitrary policy (the text before the first `0xFF` byte) and a request chosen
//! by the bytes after it. The evaluator never panics; it is deterministic; a serialization round
//! trip of the policy does not change the verdict; and adding a `Deny` statement (also chosen by
//! the bytes) never yields `Allow` where there was none, keeps a `Deny`, and gives `Deny` when
//! the added statement applies on its own (always, for a Deny of everything).

use cloudtrail_policy::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use cloudtrail_policy::eval::{Verdict, evaluate};

use super::Choices;
use super::requests::{PolicyStrings, deny, request};

/// Checks the evaluator's laws on `data`.
pub fn check(data: &[u8]) {
    let (policy, choices) = super::split(data);
    let Ok(policy) = PolicyDocument::from_json(&super::text(policy)) else {
        return;
    };
    let own = PolicyStrings::of(&policy);
    let mut c = Choices::new(choices);
    let req = request(&mut c, &own);
    let before = evaluate(&policy, &req);
    assert_eq!(evaluate(&policy, &req), before, "not deterministic");
    if let Ok(reparsed) = PolicyDocument::from_json(&policy.to_json()) {
        assert_eq!(
            evaluate(&reparsed, &req),
            before,
            "round trip changed the verdict"
        );
    }
    if let Ok(d) = &before {
        // The deciding statements are those of the verdict's effect.
        match d.verdict() {
            Verdict::ImplicitDeny => assert!(d.deciding().is_empty()),
            Verdict::Allow | Verdict::Deny => {
                let want = if d.verdict() == Verdict::Allow {
                    Effect::Allow
                } else {
                    Effect::Deny
                };
                assert!(!d.deciding().is_empty());
                for id in d.deciding() {
                    let st = policy.statements().get(id.index);
                    assert_eq!(st.map(Statement::effect), Some(want));
                    assert_eq!(st.and_then(Statement::sid), id.sid.as_deref());
                }
            }
        }
    }

    // One more Deny, first or last: it never turns a refusal (or an unknown) into Allow, keeps
    // a Deny a Deny, and gives Deny whenever it applies on its own.
    let extra = deny(&mut c, &own);
    let alone = evaluate(&policy.with_statements(vec![extra.clone()]), &req);
    let mut statements = policy.statements().to_vec();
    if c.bit() {
        statements.insert(0, extra);
    } else {
        statements.push(extra);
    }
    let denied = policy.with_statements(statements.clone());
    let after = evaluate(&denied, &req);
    if let Ok(d) = &after
        && d.verdict() == Verdict::Allow
    {
        assert_eq!(
            before.as_ref().map(|d| d.verdict()),
            Ok(Verdict::Allow),
            "adding a Deny gave Allow"
        );
    }
    let was_denied = matches!(&before, Ok(d) if d.verdict() == Verdict::Deny);
    let applies = matches!(&alone, Ok(d) if d.verdict() == Verdict::Deny);
    if was_denied || applies {
        assert_eq!(
            after.as_ref().map(|d| d.verdict()),
            Ok(Verdict::Deny),
            "before {before:?}, the Deny alone {alone:?}"
        );
    }

    // A Deny of everything, for everyone: Deny, whatever else the policy holds.
    statements.push(
        Statement::new(Effect::Deny)
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(vec!["*".to_owned()]))
            .with_resource(Clause::Is(vec!["*".to_owned()])),
    );
    let total = policy.with_statements(statements);
    assert_eq!(
        evaluate(&total, &req).map(|d| d.verdict()),
        Ok(Verdict::Deny)
    );
}
