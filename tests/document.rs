//! The generic policy document: every shape AWS accepts parses, what AWS rejects is rejected
//! with a message naming the statement, and serialization is deterministic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::document::{Clause, Effect, PolicyDocument, Principal, PrincipalType};
use proptest::prelude::*;

#[track_caller]
fn parse(text: &str) -> PolicyDocument {
    match PolicyDocument::from_json(text) {
        Ok(doc) => doc,
        Err(e) => panic!("expected {text} to parse, got: {e}"),
    }
}

#[track_caller]
fn reject(text: &str) -> String {
    match PolicyDocument::from_json(text) {
        Ok(doc) => panic!("expected {text} to be rejected, parsed as {doc:?}"),
        Err(e) => e.to_string(),
    }
}

#[track_caller]
fn round_trips(doc: &PolicyDocument) {
    let again = parse(&doc.to_json());
    assert_eq!(&again, doc, "minified form changed the document");
    assert_eq!(
        &parse(&doc.to_json_pretty()),
        doc,
        "pretty form changed the document"
    );
    assert_eq!(
        again.to_json(),
        doc.to_json(),
        "serialization is not stable"
    );
}

/// The JSON blocks of the project's research notes on AWS (`aws-cloudtrail-facts.md`, kept
/// outside the repository; without them the test is skipped), each as a whole policy (bare
/// statements are wrapped).
fn facts_policies() -> Option<Vec<(usize, String)>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/aws-cloudtrail-facts.md"
    );
    let text = std::fs::read_to_string(path).ok()?;
    let mut out = Vec::new();
    let mut block: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        match (&mut block, line.trim()) {
            (None, "```json") => block = Some((n + 1, String::new())),
            (Some(_), "```") => {
                let (start, body) = block.take().unwrap();
                let policy = if body.contains("\"Statement\"") {
                    body
                } else {
                    format!("{{\"Version\":\"2012-10-17\",\"Statement\":{body}}}")
                };
                out.push((start, policy));
            }
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, _) => {}
        }
    }
    Some(out)
}

#[test]
fn every_policy_in_the_facts_file_parses_and_round_trips() {
    let Some(policies) = facts_policies() else {
        eprintln!(
            "shared/reference/aws-cloudtrail-facts.md not found beside the checkout: skipped"
        );
        return;
    };
    assert!(
        policies.len() >= 16,
        "found only {} json blocks",
        policies.len()
    );
    for (line, text) in policies {
        let doc = PolicyDocument::from_json(&text)
            .unwrap_or_else(|e| panic!("facts file block at line {line}: {e}"));
        assert!(!doc.statements().is_empty(), "block at line {line}");
        round_trips(&doc);
    }
}

#[test]
fn accepts_every_shape_aws_accepts() {
    let doc = parse(
        r#"{
        "Version": "2008-10-17",
        "Id": "policy-id",
        "Statement": [
            {"Sid": "S1", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111111111111:root", "222222222222"],
             "Service": "cloudtrail.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
             "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
             "NotAction": ["s3:Get*", "s3:List*"], "NotResource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
             "Condition": {"Bool": {"aws:SecureTransport": false}, "StringEquals": {"aws:SourceAccount": ["1", "2"]}}}
        ]}"#,
    );
    assert_eq!(doc.id(), Some("policy-id"));
    let [first, second] = doc.statements() else {
        panic!("two statements expected")
    };
    assert_eq!(first.sid(), Some("S1"));
    assert_eq!(first.principal(), Some(&Clause::Is(Principal::Any)));
    assert_eq!(second.effect(), Effect::Deny);
    let Some(Clause::Not(Principal::Typed(map))) = second.principal() else {
        panic!("NotPrincipal expected")
    };
    assert_eq!(map.len(), 4);
    assert_eq!(map[&PrincipalType::Aws].len(), 2);
    assert!(second.action().unwrap().is_not());
    assert!(second.resource().unwrap().is_not());
    assert_eq!(
        second.condition()["Bool"]["aws:SecureTransport"],
        vec!["false".to_string()]
    );
    round_trips(&doc);
}

#[test]
fn serializes_in_aws_element_order_with_sorted_conditions() {
    // Elements given in reverse order, condition operators and keys unsorted.
    let doc = parse(
        r#"{"Statement":[{"Condition":{"StringLike":{"z":"1","a":"2"},"Bool":{"k":"true"}},
            "Resource":"r","Action":"a","Principal":{"Service":"s","AWS":"x"},"Effect":"Allow","Sid":"S"}],
            "Id":"I","Version":"2012-10-17"}"#,
    );
    assert_eq!(
        doc.to_json(),
        r#"{"Version":"2012-10-17","Id":"I","Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":"x","Service":"s"},"Action":"a","Resource":"r","Condition":{"Bool":{"k":"true"},"StringLike":{"a":"2","z":"1"}}}]}"#
    );
}

#[test]
fn sizes_agree_with_the_serialized_forms() {
    let doc = parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}"#);
    assert_eq!(doc.minified_len(), doc.to_json().len());
    assert_eq!(doc.pretty_len(), doc.to_json_pretty().len());
    assert_eq!(
        doc.minified_len(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#.len()
    );
    assert!(doc.pretty_len() > doc.minified_len());
}

#[test]
fn rejects_what_aws_rejects_naming_the_statement() {
    let cases: &[(&str, &str)] = &[
        (
            "not json",
            "invalid policy json: expected ident at line 1 column 2",
        ),
        ("[]", "invalid policy: expected a json object"),
        (
            r#"{"Version":"2012-10-17"}"#,
            "invalid policy: missing `Statement`",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[],"Extra":1}"#,
            "invalid policy: unknown element `Extra`",
        ),
        (
            r#"{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}"#,
            "invalid policy: element `Version` appears twice",
        ),
        (
            r#"{"Version":"2012-10-18","Statement":[]}"#,
            "invalid policy: unsupported `Version` `2012-10-18`: expected `2012-10-17` or `2008-10-17`",
        ),
        (
            r#"{"Statement":"x"}"#,
            "invalid policy: `Statement` must be an object or an array of objects, found `x`",
        ),
        (
            r#"{"Statement":[1]}"#,
            "invalid policy: statement 0: expected a json object, found 1",
        ),
        (
            r#"{"Statement":[{"Sid":"A","Action":"s3:*"}]}"#,
            "invalid policy: statement 0 (`A`): missing `Effect`",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*"},{"Sid":"B","Effect":"allow","Action":"s3:*"}]}"#,
            "invalid policy: statement 1 (`B`): `Effect` must be `Allow` or `Deny`, found `allow`",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow"}]}"#,
            "invalid policy: statement 0: missing `Action` or `NotAction`",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","NotAction":"b"}]}"#,
            "invalid policy: statement 0: `Action` and `NotAction` cannot both appear",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Resource":"r","NotResource":"b"}]}"#,
            "invalid policy: statement 0: `Resource` and `NotResource` cannot both appear",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","NotPrincipal":"*","Principal":"*"}]}"#,
            "invalid policy: statement 0: `Principal` and `NotPrincipal` cannot both appear",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Actions":"b"}]}"#,
            "invalid policy: statement 0: unknown element `Actions`",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Action":"b"}]}"#,
            "invalid policy: statement 0: element `Action` appears twice",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Principal":{"User":"x"}}]}"#,
            "invalid policy: statement 0: unknown principal type `User`: expected `AWS`, `Service`, `Federated` or `CanonicalUser`",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Principal":"x"}]}"#,
            "invalid policy: statement 0: `Principal` must be `\"*\"` or an object, found `x`",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":["a",1]}]}"#,
            "invalid policy: statement 0: `Action` must be a string or an array of strings, found 1",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"Bool":{"k":"1","k":"2"}}}]}"#,
            "invalid policy: statement 0: element `Condition.Bool.k` appears twice",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"Bool":{"k":{"x":1}}}}]}"#,
            "invalid policy: statement 0: `Condition.Bool.k` must be a string, boolean or number, or an array of them, found an object",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"Bool":"x"}}]}"#,
            "invalid policy: statement 0: `Condition.Bool` must be an object, found `x`",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(&reject(text), message, "for {text}");
    }
}

#[test]
fn deserializes_through_serde_with_the_same_rules() {
    let ok: PolicyDocument =
        serde_json::from_str(r#"{"Statement":{"Effect":"Deny","Action":"s3:*"}}"#).unwrap();
    assert_eq!(ok.statements().len(), 1);
    let err = serde_json::from_str::<PolicyDocument>(
        r#"{"Statement":{"Effect":"Maybe","Action":"s3:*"}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(
            "invalid policy: statement 0: `Effect` must be `Allow` or `Deny`, found `Maybe`"
        ),
        "{err}"
    );
}

fn arb_json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("\"*\"".to_string()),
        Just("\"Allow\"".to_string()),
        Just("\"Deny\"".to_string()),
        Just("true".to_string()),
        Just("12".to_string()),
        "\"[a-zA-Z:*/]{0,6}\"".prop_map(|s| s),
    ];
    let key = prop_oneof![
        Just("Version"),
        Just("Statement"),
        Just("Sid"),
        Just("Effect"),
        Just("Principal"),
        Just("NotPrincipal"),
        Just("Action"),
        Just("NotAction"),
        Just("Resource"),
        Just("NotResource"),
        Just("Condition"),
        Just("AWS"),
        Just("Service"),
        Just("StringEquals"),
        Just("aws:SourceArn"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..5).prop_map(|v| {
                let members: Vec<String> =
                    v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    /// Whatever parses re-serializes to a document that parses to an equal document, with the
    /// same bytes; nothing panics.
    #[test]
    fn anything_that_parses_round_trips(text in arb_json_text()) {
        if let Ok(doc) = PolicyDocument::from_json(&text) {
            let again = PolicyDocument::from_json(&doc.to_json()).unwrap();
            prop_assert_eq!(&again, &doc);
            prop_assert_eq!(again.to_json(), doc.to_json());
            prop_assert_eq!(doc.minified_len(), doc.to_json().len());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = PolicyDocument::from_json(&text);
    }
}

fn clause<T>(not: bool, v: T) -> Clause<T> {
    if not { Clause::Not(v) } else { Clause::Is(v) }
}

fn arb_statement() -> impl Strategy<Value = cloudtrail_policy::document::Statement> {
    use cloudtrail_policy::document::Statement;
    let words = || prop::collection::vec("[a-zA-Z0-9:*?/${}-]{0,8}", 0..4);
    let principal = prop_oneof![
        Just(None),
        Just(Some(Principal::Any)),
        (0usize..4, words()).prop_map(|(k, v)| {
            let kind = [
                PrincipalType::Aws,
                PrincipalType::Service,
                PrincipalType::Federated,
                PrincipalType::CanonicalUser,
            ][k];
            Some(Principal::of(kind, v))
        }),
    ];
    (
        any::<bool>(),
        prop::option::of("[ a-zA-Z0-9]{0,10}"),
        (principal, any::<bool>()),
        (words(), any::<bool>()),
        prop::option::of((words(), any::<bool>())),
        prop::collection::vec(("[A-Za-z:]{1,12}", "[a-z:]{1,10}", words()), 0..4),
    )
        .prop_map(|(allow, sid, (p, p_not), (a, a_not), r, conditions)| {
            let mut st = Statement::new(if allow { Effect::Allow } else { Effect::Deny })
                .with_action(clause(a_not, a));
            if let Some(sid) = sid {
                st = st.with_sid(sid);
            }
            if let Some(p) = p {
                st = st.with_principal(clause(p_not, p));
            }
            if let Some((r, r_not)) = r {
                st = st.with_resource(clause(r_not, r));
            }
            for (op, key, values) in conditions {
                st = st.with_condition(op, key, values);
            }
            st
        })
}

proptest! {
    /// Every document the model can hold serializes to JSON that parses back to it.
    #[test]
    fn built_documents_round_trip(statements in prop::collection::vec(arb_statement(), 0..5)) {
        let doc = PolicyDocument::new(statements);
        let again = PolicyDocument::from_json(&doc.to_json()).unwrap();
        prop_assert_eq!(&again, &doc);
        let pretty = PolicyDocument::from_json(&doc.to_json_pretty()).unwrap();
        prop_assert_eq!(&pretty, &doc);
        prop_assert_eq!(doc.minified_len(), doc.to_json().len());
    }
}
