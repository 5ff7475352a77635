//! Laws of the evaluator, checked on random policies and inputs.
#![allow(
    clippy::indexing_slicing,
    reason = "the reference matcher indexes its own table"
)]

use cloudtrail_policy::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use cloudtrail_policy::eval::{Caller, Request, Verdict, evaluate, wildcard_match};
use proptest::prelude::*;

/// A straightforward dynamic-programming matcher: `m[i][j]` is whether the first `i`
/// characters of the pattern match the first `j` of the text.
fn reference_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq =
        |a: char, b: char| a == b || (case_insensitive && a.to_lowercase().eq(b.to_lowercase()));
    let mut m = vec![vec![false; t.len() + 1]; p.len() + 1];
    m[0][0] = true;
    for i in 1..=p.len() {
        m[i][0] = m[i - 1][0] && p[i - 1] == '*';
        for j in 1..=t.len() {
            m[i][j] = match p[i - 1] {
                '*' => m[i - 1][j] || m[i][j - 1],
                '?' => m[i - 1][j - 1],
                c => m[i - 1][j - 1] && eq(c, t[j - 1]),
            };
        }
    }
    m[p.len()][t.len()]
}

fn statement() -> impl Strategy<Value = Statement> {
    let effect = prop_oneof![Just(Effect::Allow), Just(Effect::Deny)];
    let principal = prop_oneof![
        Just(Clause::Is(Principal::Any)),
        Just(Clause::Is(Principal::aws(["*"]))),
        Just(Clause::Is(Principal::aws(["111122223333"]))),
        Just(Clause::Is(Principal::aws([
            "arn:aws:iam::111122223333:user/Alice"
        ]))),
        Just(Clause::Is(Principal::aws([
            "arn:aws:iam::111122223333:role/R"
        ]))),
        Just(Clause::Is(Principal::service("cloudtrail.amazonaws.com"))),
        Just(Clause::Not(Principal::aws([
            "arn:aws:iam::444455556666:root"
        ]))),
    ];
    let action = (
        any::<bool>(),
        prop::sample::subsequence(
            vec![
                "s3:*",
                "s3:GetObject",
                "s3:PutObject",
                "*",
                "s3:Get*",
                "kms:Decrypt",
            ],
            1..3,
        ),
    )
        .prop_map(|(not, v)| {
            let v: Vec<String> = v.into_iter().map(String::from).collect();
            if not { Clause::Not(v) } else { Clause::Is(v) }
        });
    let resource = (
        any::<bool>(),
        prop::sample::subsequence(
            vec![
                "*",
                "arn:aws:s3:::b",
                "arn:aws:s3:::b/*",
                "arn:aws:s3:::b/AWSLogs/1?1122223333/*",
            ],
            1..3,
        ),
    )
        .prop_map(|(not, v)| {
            let v: Vec<String> = v.into_iter().map(String::from).collect();
            if not { Clause::Not(v) } else { Clause::Is(v) }
        });
    let condition = prop::option::of(prop_oneof![
        Just((
            "StringEquals",
            "aws:SourceArn",
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"
        )),
        Just((
            "StringNotEquals",
            "s3:x-amz-acl",
            "bucket-owner-full-control"
        )),
        Just((
            "StringLikeIfExists",
            "aws:SourceArn",
            "arn:aws:cloudtrail:*"
        )),
        Just(("Null", "aws:SourceArn", "true")),
        Just(("Bool", "aws:SecureTransport", "false")),
        Just(("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")),
    ]);
    (effect, principal, action, resource, condition).prop_map(|(e, p, a, r, c)| {
        let s = Statement::new(e)
            .with_principal(p)
            .with_action(a)
            .with_resource(r);
        match c {
            Some((op, key, value)) => s.with_condition(op, key, [value]),
            None => s,
        }
    })
}

fn request() -> impl Strategy<Value = Request> {
    let caller = prop_oneof![
        Just(Caller::Anonymous),
        Just(Caller::Service("cloudtrail.amazonaws.com".into())),
        Just(Caller::Aws("arn:aws:iam::111122223333:user/Alice".into())),
        Just(Caller::Aws(
            "arn:aws:sts::111122223333:assumed-role/R/s".into()
        )),
        Just(Caller::Aws("arn:aws:iam::444455556666:root".into())),
    ];
    let action = prop::sample::select(vec![
        "s3:GetObject",
        "s3:PutObject",
        "s3:GetBucketAcl",
        "kms:Decrypt",
    ]);
    let resource = prop::sample::select(vec![
        "arn:aws:s3:::b",
        "arn:aws:s3:::b/AWSLogs/111122223333/x",
        "arn:aws:s3:::c/x",
    ]);
    let source = prop::option::of(prop::sample::select(vec![
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
        "arn:aws:cloudtrail:us-east-1:444455556666:trail/t",
    ]));
    let acl = prop::option::of(Just("bucket-owner-full-control"));
    let tls = prop::option::of(prop::sample::select(vec!["true", "false"]));
    (caller, action, resource, source, acl, tls).prop_map(|(c, a, r, source, acl, tls)| {
        let mut req = Request::new(c, a, r);
        if let Some(v) = source {
            req = req.with_context("aws:SourceArn", v);
        }
        if let Some(v) = acl {
            req = req.with_context("s3:x-amz-acl", v);
        }
        if let Some(v) = tls {
            req = req.with_context("aws:SecureTransport", v);
        }
        req
    })
}

fn with(statements: &[Statement], extra: Statement) -> PolicyDocument {
    let mut all = statements.to_vec();
    all.push(extra);
    PolicyDocument::new(all)
}

fn verdict(policy: &PolicyDocument, request: &Request) -> Option<Verdict> {
    evaluate(policy, request).ok().map(|d| d.verdict())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn wildcard_agrees_with_the_reference(
        pattern in "[ab*?/:A]{0,8}",
        text in "[ab/:A]{0,10}",
        ci in any::<bool>(),
    ) {
        prop_assert_eq!(wildcard_match(&pattern, &text, ci), reference_match(&pattern, &text, ci));
    }

    #[test]
    fn wildcard_is_total_on_any_unicode(pattern in any::<String>(), text in any::<String>(), ci in any::<bool>()) {
        let _ = wildcard_match(&pattern, &text, ci);
    }

    /// Adding a Deny never produces an Allow that was not there before.
    #[test]
    fn adding_a_deny_never_turns_a_decision_into_allow(
        statements in prop::collection::vec(statement(), 0..6),
        deny in statement(),
        request in request(),
    ) {
        let deny = {
            let mut d = Statement::new(Effect::Deny);
            if let Some(p) = deny.principal() { d = d.with_principal(p.clone()); }
            if let Some(a) = deny.action() { d = d.with_action(a.clone()); }
            if let Some(r) = deny.resource() { d = d.with_resource(r.clone()); }
            for (op, keys) in deny.condition() {
                for (k, v) in keys { d = d.with_condition(op.clone(), k.clone(), v.clone()); }
            }
            d
        };
        let before = verdict(&PolicyDocument::new(statements.clone()), &request);
        let after = verdict(&with(&statements, deny), &request);
        if after == Some(Verdict::Allow) {
            prop_assert_eq!(before, Some(Verdict::Allow));
        }
        if before != Some(Verdict::Allow) {
            prop_assert_ne!(after, Some(Verdict::Allow));
        }
    }

    /// Adding an Allow never lifts an explicit Deny.
    #[test]
    fn adding_an_allow_never_lifts_an_explicit_deny(
        mut statements in prop::collection::vec(statement(), 0..6),
        deny_all in any::<bool>(),
        allow in statement(),
        request in request(),
    ) {
        if deny_all {
            // Makes explicit denies common enough to test; the random ones still occur.
            statements.push(
                Statement::new(Effect::Deny)
                    .with_principal(Clause::Is(Principal::Any))
                    .with_action(Clause::Is(vec!["*".into()]))
                    .with_resource(Clause::Is(vec!["*".into()])),
            );
        }
        let before = verdict(&PolicyDocument::new(statements.clone()), &request);
        if before == Some(Verdict::Deny) {
            let after = evaluate(&with(&statements, allow), &request);
            prop_assert_eq!(after.map(|d| d.verdict()), Ok(Verdict::Deny));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A key that is one of several values is decided exactly where every value gives the same
    /// verdict, and then gives that verdict (three-valued: never a guess).
    #[test]
    fn one_of_is_decided_exactly_where_the_alternatives_agree(
        statements in prop::collection::vec(statement(), 0..6),
        request in request(),
        key in prop::sample::select(vec!["aws:SourceArn", "s3:x-amz-acl", "aws:SecureTransport"]),
        a in prop::option::of(prop::sample::select(vec![
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "bucket-owner-full-control", "true", "false",
        ])),
        b in prop::option::of(prop::sample::select(vec![
            "arn:aws:cloudtrail:us-east-1:444455556666:trail/t", "private", "true",
        ])),
    ) {
        let policy = PolicyDocument::new(statements);
        let set = |v: Option<&str>| {
            let mut r = Request::new(request.caller().clone(), request.action(), request.resource());
            for k in ["aws:SourceArn", "s3:x-amz-acl", "aws:SecureTransport"] {
                if k == key {
                    continue;
                }
                if let Some(cloudtrail_policy::eval::ContextValue::Single(x)) = request.context(k) {
                    r = r.with_context(k, x.clone());
                }
            }
            match v {
                Some(v) => r.with_context(key, v),
                None => r,
            }
        };
        let both = set(None).with_context_one_of(key, [a.map(str::to_owned), b.map(str::to_owned)]);
        let (va, vb) = (verdict(&policy, &set(a)), verdict(&policy, &set(b)));
        let v = verdict(&policy, &both);
        if v.is_some() {
            prop_assert_eq!(v, va);
            prop_assert_eq!(v, vb);
        }
    }

    /// A key present with an unknown value never decides a condition that compares it: the
    /// verdict, when there is one, is the verdict of every concrete value tried.
    #[test]
    fn an_unknown_value_decides_only_what_no_value_would_change(
        statements in prop::collection::vec(statement(), 0..6),
        request in request(),
    ) {
        let policy = PolicyDocument::new(statements);
        let base = || {
            let mut r = Request::new(request.caller().clone(), request.action(), request.resource());
            for k in ["s3:x-amz-acl", "aws:SecureTransport"] {
                if let Some(cloudtrail_policy::eval::ContextValue::Single(x)) = request.context(k) {
                    r = r.with_context(k, x.clone());
                }
            }
            r
        };
        let unknown = verdict(&policy, &base().with_unknown_context("aws:SourceArn"));
        if unknown.is_some() {
            for value in [
                "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
                "arn:aws:cloudtrail:us-east-1:444455556666:trail/t",
                "x",
            ] {
                prop_assert_eq!(unknown, verdict(&policy, &base().with_context("aws:SourceArn", value)));
            }
        }
    }
}
