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

/// The JSON blocks of `tests/fixtures/aws-documented-policies.md` (policies and statements
/// copied from AWS's pages, each under its page's address), each as a whole policy (bare
/// statements are wrapped).
fn documented_policies() -> Vec<(usize, String)> {
    let text = include_str!("fixtures/aws-documented-policies.md");
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
    out
}

#[test]
fn every_documented_policy_parses_and_round_trips() {
    let policies = documented_policies();
    assert_eq!(policies.len(), 16, "json blocks");
    let mut identity = 0;
    for (line, text) in policies {
        // The CloudWatch Logs role's permission and trust policies are IAM policies, not
        // resource policies: the first has no `Principal`, the second no `Resource`. The parser
        // is for bucket and key policies and refuses both.
        if text.contains("logs:CreateLogStream") || text.contains("sts:AssumeRole") {
            let e = PolicyDocument::from_json(&text).unwrap_err().to_string();
            assert!(
                e.contains("missing `Principal`") || e.contains("missing `Resource`"),
                "block at line {line}: {e}"
            );
            identity += 1;
            continue;
        }
        let doc = PolicyDocument::from_json(&text)
            .unwrap_or_else(|e| panic!("documented policy at line {line}: {e}"));
        assert!(!doc.statements().is_empty(), "block at line {line}");
        round_trips(&doc);
    }
    assert_eq!(identity, 3, "identity policies");
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
            "Resource":"*","Action":"s3:A","Principal":{"Service":"s","AWS":"x"},"Effect":"Allow","Sid":"S"}],
            "Id":"I","Version":"2012-10-17"}"#,
    );
    assert_eq!(
        doc.to_json(),
        r#"{"Version":"2012-10-17","Id":"I","Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":"x","Service":"s"},"Action":"s3:A","Resource":"*","Condition":{"Bool":{"k":"true"},"StringLike":{"a":"2","z":"1"}}}]}"#
    );
}

#[test]
fn sizes_agree_with_the_serialized_forms() {
    let doc = parse(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#,
    );
    assert_eq!(doc.minified_len(), doc.to_json().len());
    assert_eq!(doc.pretty_len(), doc.to_json_pretty().len());
    assert_eq!(
        doc.minified_len(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#.len()
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
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Sid":"B","Effect":"allow","Action":"s3:*"}]}"#,
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

/// A statement with one member replaced, for the grammar cases below.
fn one(members: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"S","Effect":"Allow",{members}}}]}}"#)
}

#[test]
fn rejects_what_aws_documents_as_not_allowed() {
    let cases: &[(&str, &str)] = &[
        // "You must use the Principal element in resource-based policies"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
        (
            r#""Action":"s3:GetObject","Resource":"*""#,
            "missing `Principal` or `NotPrincipal`: a bucket or key policy names who it applies to",
        ),
        // "Statements must include either a Resource or a NotResource element"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
        // KMS accepts such a statement and ignores it
        // (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html); the
        // crate refuses it in both policies.
        (
            r#""Principal":"*","Action":"s3:GetObject""#,
            "missing `Resource` or `NotResource` (in a key policy, `\"Resource\": \"*\"` means the key)",
        ),
        // "a service namespace as an action prefix … followed by the name of the action"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
        (
            r#""Principal":"*","Action":"GetObject","Resource":"*""#,
            "invalid action `GetObject`: expected `*` or `service:action`, e.g. `s3:GetObject`",
        ),
        // The grammar allows wildcards in the action name only: "Action names can include
        // wildcards" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
        (
            r#""Principal":"*","Action":["s3:GetObject","s?:GetObject"],"Resource":"*""#,
            "invalid action `s?:GetObject`: a wildcard in the service prefix is not allowed; wildcards belong in the action name",
        ),
        (
            r#""Principal":"*","NotAction":"*:GetObject","Resource":"*""#,
            "invalid action `*:GetObject`: a wildcard in the service prefix is not allowed; wildcards belong in the action name",
        ),
        (
            r#""Principal":"*","Action":"s3:","Resource":"*""#,
            "invalid action `s3:`: empty action name",
        ),
        // A resource is `*` or a six-field ARN (grammar page; Access Analyzer's "Missing ARN
        // field" error, https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
        (
            r#""Principal":"*","Action":"s3:GetObject","Resource":"amzn-s3-demo-bucket/*""#,
            "invalid resource `amzn-s3-demo-bucket/*`: expected `*` or an arn `arn:partition:service:region:account-id:resource`",
        ),
        (
            r#""Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3""#,
            "invalid resource `arn:aws:s3`: expected `*` or an arn `arn:partition:service:region:account-id:resource`",
        ),
        // "You can't use a wildcard in the service segment" (Resource page).
        (
            r#""Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s*:::b/*""#,
            "invalid resource `arn:aws:s*:::b/*`: a wildcard in the service field is not allowed",
        ),
        // "You cannot use a wildcard in the portion of the ARN that specifies the resource type
        // … arn:aws:iam::123456789012:u* <== not allowed"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
        (
            r#""Principal":"*","Action":"kms:*","Resource":"arn:aws:kms:us-east-1:111122223333:k?y/*""#,
            "invalid resource `arn:aws:kms:us-east-1:111122223333:k?y/*`: a wildcard in the resource type (the part before `/`) is not allowed",
        ),
        (
            r#""Principal":"*","Action":"iam:*","Resource":"arn:aws:iam::123456789012:u*""#,
            "invalid resource `arn:aws:iam::123456789012:u*`: a wildcard in the resource type (the part before `/`) is not allowed",
        ),
        // Unknown and mis-cased operators: Access Analyzer's "Invalid condition operator"
        // error; IAM refuses `stringEquals` ("Invalid Condition type").
        (
            r#""Principal":"*","Action":"s3:*","Resource":"*","Condition":{"stringEquals":{"k":"v"}}"#,
            "invalid condition operator `stringEquals`: unknown condition operator (names are case-sensitive, e.g. `StringEquals`, `ArnLike`, `Bool`, `Null`)",
        ),
        (
            r#""Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringLikeIgnoreCase":{"k":"v"}}"#,
            "invalid condition operator `StringLikeIgnoreCase`: unknown condition operator (names are case-sensitive, e.g. `StringEquals`, `ArnLike`, `Bool`, `Null`)",
        ),
        // "You can add IfExists to the end of any condition operator name except the Null
        // condition"; Access Analyzer: "The Null condition operator cannot be used with the
        // IfExists suffix"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
        (
            r#""Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"k":"true"}}"#,
            "invalid condition operator `NullIfExists`: `Null` cannot take the `IfExists` suffix",
        ),
    ];
    for (members, message) in cases {
        assert_eq!(
            reject(&one(members)),
            format!("invalid policy: statement 0 (`S`): {message}"),
            "for {members}"
        );
    }
    // What AWS documents as valid still parses: a key policy's `"*"`, wildcards in the bucket
    // name and key, in the Region and account, a resource part that is exactly `*`, a policy
    // variable, every operator with `IfExists` and the set prefixes.
    for members in [
        r#""Principal":"*","Action":"kms:*","Resource":"*""#,
        r#""Principal":"*","Action":"S3:get*","Resource":["arn:aws:s3:::acme-*/AWSLogs/*","arn:aws:s3:::b?"]"#,
        r#""Principal":"*","Action":"kms:Decrypt","Resource":["arn:aws:kms:*:*:key/*","arn:aws:kms:us-east-1:111122223333:*"]"#,
        r#""Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*""#,
        r#""Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringNotLikeIfExists":{"k":"v"},"DateLessThanEquals":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NotIpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"},"BinaryEquals":{"k":"QmluYXJ5"},"ArnNotEqualsIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}"#,
    ] {
        parse(&one(members));
    }
}

#[test]
fn deserializes_through_serde_with_the_same_rules() {
    let ok: PolicyDocument = serde_json::from_str(
        r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}"#,
    )
    .unwrap();
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
    let words = || {
        prop::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9:*?/${}-]{0,8}",
                Just("*".to_owned()),
                "s3:[A-Za-z*?]{1,6}",
                "arn:aws:s3:::[a-z*?]{1,4}(/[a-z*?$]{0,4})?",
            ],
            0..4,
        )
    };
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
        prop::collection::vec(
            (
                prop_oneof![
                    "[A-Za-z:]{1,12}",
                    Just("StringEquals".to_owned()),
                    Just("ForAnyValue:StringLike".to_owned()),
                    Just("NullIfExists".to_owned()),
                ],
                "[a-z:]{1,10}",
                words(),
            ),
            0..4,
        ),
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
    /// Every document the model can hold serializes to JSON that parses back to it, unless a
    /// statement breaks a grammar rule (the model holds any strings; the parser checks them).
    #[test]
    fn built_documents_round_trip(statements in prop::collection::vec(arb_statement(), 0..5)) {
        use cloudtrail_policy::document::StatementRule as R;
        let doc = PolicyDocument::new(statements);
        prop_assert_eq!(doc.minified_len(), doc.to_json().len());
        match PolicyDocument::from_json(&doc.to_json()) {
            Ok(again) => {
                prop_assert_eq!(&again, &doc);
                let pretty = PolicyDocument::from_json(&doc.to_json_pretty()).unwrap();
                prop_assert_eq!(&pretty, &doc);
            }
            Err(cloudtrail_policy::DocumentError::Statement { reason, .. }) => prop_assert!(
                matches!(
                    reason,
                    R::MissingPrincipal
                        | R::MissingResource
                        | R::Action { .. }
                        | R::Resource { .. }
                        | R::Operator { .. }
                ),
                "{reason}"
            ),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
