//! Table tests of the evaluator. Each group cites the AWS page whose rule or example it checks.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use cloudtrail_policy::document::PolicyDocument;
use cloudtrail_policy::eval::{Caller, Request, Verdict, evaluate};

const BUCKET: &str = "arn:aws:s3:::amzn-s3-demo-bucket";
const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn cloudtrail() -> Caller {
    Caller::Service("cloudtrail.amazonaws.com".into())
}

fn aws(arn: &str) -> Caller {
    Caller::Aws(arn.into())
}

fn policy(json: &str) -> PolicyDocument {
    PolicyDocument::from_json(json).unwrap()
}

/// A one-statement 2012-10-17 policy from the statement's JSON members.
fn statement(members: &str) -> PolicyDocument {
    policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{{members}}}]}}"#
    ))
}

#[track_caller]
fn verdict(policy: &PolicyDocument, request: &Request) -> Verdict {
    match evaluate(policy, request) {
        Ok(d) => d.verdict(),
        Err(e) => panic!("unexpected unsupported: {e}"),
    }
}

#[track_caller]
fn unsupported(policy: &PolicyDocument, request: &Request) -> String {
    match evaluate(policy, request) {
        Ok(d) => panic!("expected unsupported, got {}", d.verdict()),
        Err(e) => e.to_string(),
    }
}

fn get(caller: Caller) -> Request {
    Request::new(caller, "s3:GetObject", format!("{BUCKET}/a/b.txt"))
}

const ALICE: &str = "arn:aws:iam::111122223333:user/Alice";

// ---------------------------------------------------------------------------------------------
// Evaluation logic:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
// ("If policies that apply to a request include an Allow statement and a Deny statement, the
// Deny statement trumps the Allow statement"; "An implicit denial occurs when there is no
// applicable Deny statement but also no applicable Allow statement".)

#[test]
fn deny_beats_allow_and_lists_every_matching_deny() {
    let p = policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[
        {{"Sid":"AllowAll","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"{BUCKET}/*"}},
        {{"Effect":"Deny","Principal":"*","Action":"s3:Get*","Resource":"{BUCKET}/*"}},
        {{"Sid":"DenyA","Effect":"Deny","Principal":{{"AWS":"111122223333"}},"Action":"*","Resource":"*"}},
        {{"Sid":"DenyPut","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}}]}}"#
    ));
    let d = evaluate(&p, &get(aws(ALICE))).unwrap();
    assert_eq!(d.verdict(), Verdict::Deny);
    let ids: Vec<String> = d.deciding().iter().map(ToString::to_string).collect();
    assert_eq!(ids, ["#1", "DenyA"]);

    let d = evaluate(&p, &get(aws("arn:aws:iam::444455556666:user/Bob"))).unwrap();
    assert_eq!(d.verdict(), Verdict::Deny);
    assert_eq!(d.deciding()[0].index, 1);

    let bob = "arn:aws:iam::444455556666:user/Bob";
    let list = Request::new(aws(bob), "s3:ListBucket", BUCKET);
    assert_eq!(
        verdict(&p, &list),
        Verdict::ImplicitDeny,
        "AllowAll covers objects only"
    );
    let put = Request::new(aws(bob), "s3:PutObject", format!("{BUCKET}/k"));
    let d = evaluate(&p, &put).unwrap();
    assert_eq!(d.deciding()[0].to_string(), "DenyPut");
}

#[test]
fn allow_lists_every_matching_allow_and_implicit_deny_lists_none() {
    let p = policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[
        {{"Sid":"One","Effect":"Allow","Principal":{{"AWS":"{ALICE}"}},"Action":"s3:GetObject","Resource":"{BUCKET}/*"}},
        {{"Sid":"Two","Effect":"Allow","Principal":{{"AWS":"111122223333"}},"Action":"s3:*","Resource":"*"}}]}}"#
    ));
    let d = evaluate(&p, &get(aws(ALICE))).unwrap();
    assert_eq!(d.verdict(), Verdict::Allow);
    assert_eq!(d.deciding().len(), 2);
    assert_eq!(d.deciding()[1].sid.as_deref(), Some("Two"));
    let d = evaluate(&p, &get(Caller::Anonymous)).unwrap();
    assert_eq!(d.verdict(), Verdict::ImplicitDeny);
    assert!(d.deciding().is_empty());
    assert_eq!(Verdict::ImplicitDeny.to_string(), "ImplicitDeny");
    assert_eq!(
        serde_json::to_string(&Verdict::Allow).unwrap(),
        r#""Allow""#
    );
}

#[test]
fn the_iam_interplay_example_allow_get_list_deny_reports() {
    // The AllowGetList / DenyReports example of the interplay page, as a resource policy.
    let p = policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[
        {{"Sid":"AllowGetList","Effect":"Allow","Principal":{{"AWS":"{ALICE}"}},"Action":["iam:Get*","iam:List*"],"Resource":"*"}},
        {{"Sid":"DenyReports","Effect":"Deny","Principal":{{"AWS":"{ALICE}"}},"Action":"iam:*Report","Resource":"*"}}]}}"#
    ));
    let req = |action: &str| Request::new(aws(ALICE), action, "*");
    assert_eq!(verdict(&p, &req("iam:GetUser")), Verdict::Allow);
    assert_eq!(verdict(&p, &req("iam:CreatePolicy")), Verdict::ImplicitDeny);
    assert_eq!(
        verdict(&p, &req("iam:GetOrganizationsAccessReport")),
        Verdict::Deny
    );
    assert_eq!(
        verdict(&p, &req("iam:GenerateCredentialReport")),
        Verdict::Deny
    );
}

// ---------------------------------------------------------------------------------------------
// Action / NotAction, case-insensitive with wildcards:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// ("iam:ListAccessKeys is the same as IAM:listaccesskeys"; "iam:*AccessKey*").

#[test]
fn actions_are_case_insensitive_globs() {
    let p =
        statement(r#""Effect":"Allow","Principal":"*","Action":"iam:*AccessKey*","Resource":"*""#);
    for (action, want) in [
        ("iam:CreateAccessKey", Verdict::Allow),
        ("IAM:listaccesskeys", Verdict::Allow),
        ("iam:UpdateAccessKey", Verdict::Allow),
        ("iam:GetUser", Verdict::ImplicitDeny),
        ("s3:CreateAccessKey", Verdict::ImplicitDeny),
    ] {
        assert_eq!(
            verdict(&p, &Request::new(aws(ALICE), action, "*")),
            want,
            "{action}"
        );
    }
    let q = statement(r#""Effect":"Allow","Principal":"*","Action":"s3:Get?bject","Resource":"*""#);
    assert_eq!(
        verdict(&q, &Request::new(aws(ALICE), "S3:GETOBJECT", "*")),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&q, &Request::new(aws(ALICE), "s3:GetObjects", "*")),
        Verdict::ImplicitDeny
    );
}

#[test]
fn not_action_applies_to_every_other_action() {
    let p = statement(&format!(
        r#""Effect":"Deny","Principal":"*","NotAction":["s3:GetObject","s3:List*"],"Resource":"{BUCKET}/*""#
    ));
    let req = |action: &str| Request::new(aws(ALICE), action, format!("{BUCKET}/k"));
    assert_eq!(verdict(&p, &req("s3:PutObject")), Verdict::Deny);
    assert_eq!(verdict(&p, &req("s3:getobject")), Verdict::ImplicitDeny);
    assert_eq!(verdict(&p, &req("s3:ListBucket")), Verdict::ImplicitDeny);
}

// ---------------------------------------------------------------------------------------------
// Resource / NotResource, case-sensitive with wildcards:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html

#[test]
fn resources_are_case_sensitive_globs() {
    let p = statement(&format!(
        r#""Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"{BUCKET}/home/??/*""#
    ));
    let req = |r: &str| Request::new(aws(ALICE), "s3:GetObject", r);
    assert_eq!(
        verdict(&p, &req(&format!("{BUCKET}/home/ab/x"))),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&p, &req(&format!("{BUCKET}/home/ab/x:y"))),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&p, &req(&format!("{BUCKET}/home/abc/x"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&p, &req(&format!("{BUCKET}/HOME/ab/x"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&p, &req("arn:aws:s3:::other/home/ab/x")),
        Verdict::ImplicitDeny
    );
}

#[test]
fn star_resource_is_everything_and_key_policies_name_the_key() {
    let p = statement(
        r#""Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*""#,
    );
    assert_eq!(
        verdict(&p, &Request::new(aws(ALICE), "kms:Decrypt", KEY)),
        Verdict::Allow
    );
}

#[test]
fn not_resource_applies_to_every_other_resource() {
    let p = statement(&format!(
        r#""Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":["{BUCKET}","{BUCKET}/*"]"#
    ));
    let req = |r: &str| Request::new(aws(ALICE), "s3:GetObject", r);
    assert_eq!(verdict(&p, &req("arn:aws:s3:::elsewhere/k")), Verdict::Deny);
    assert_eq!(
        verdict(&p, &req(&format!("{BUCKET}/k"))),
        Verdict::ImplicitDeny
    );
}

#[test]
fn a_star_ending_an_arn_segment_matches_beyond_the_colon() {
    // "If the `*` wildcard is the last character of a resource ARN segment, it can expand to
    // match beyond the colon boundaries" (Resource page). Only a trailing star: a star inside
    // a segment stays in it.
    let key = |pattern: &str| {
        statement(&format!(
            r#""Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"{pattern}""#
        ))
    };
    let req = |r: &str| Request::new(aws(ALICE), "kms:Decrypt", r);
    let odd = "arn:aws:kms:us-east-1:111122223333:alias/x:key/k";
    assert_eq!(
        verdict(&key("arn:aws:kms:us-east-1:1111*:key/k"), &req(odd)),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&key("arn:aws:kms:us-east-1:1111*3333:key/k"), &req(odd)),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&key("arn:aws:kms:*:111122223333:key/*"), &req(KEY)),
        Verdict::Allow
    );
    // `?` matches one character of its segment, never the colon.
    assert_eq!(
        verdict(
            &key("arn:aws:kms:us-east-?:111122223333:key/*"),
            &req("arn:aws:kms:us-east-:111122223333:key/k")
        ),
        Verdict::ImplicitDeny
    );
}

#[test]
fn a_wildcard_inside_the_resource_part_that_must_match_a_colon_is_unsupported() {
    // The Resource page calls the segments "the parts separated by colons"; the ARN operators'
    // page counts the resource part as one of "six colon-delimited components". An S3 key may
    // hold colons: where the two readings disagree, the evaluator declines.
    let p = statement(&format!(
        r#""Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["{BUCKET}/a*b","{BUCKET}/c?d","{BUCKET}/e*"]"#
    ));
    let req = |k: &str| Request::new(aws(ALICE), "s3:GetObject", format!("{BUCKET}/{k}"));
    assert_eq!(
        unsupported(&p, &req("a:x:b")),
        "cannot evaluate statement `#0`: resource pattern `arn:aws:s3:::amzn-s3-demo-bucket/a*b` matches `arn:aws:s3:::amzn-s3-demo-bucket/a:x:b` only if a wildcard in the resource part matches a colon, which AWS does not document"
    );
    assert!(unsupported(&p, &req("c:d")).contains("`arn:aws:s3:::amzn-s3-demo-bucket/c?d`"));
    // A trailing star may run over colons in both readings; no colon, no question.
    assert_eq!(verdict(&p, &req("e:x:y")), Verdict::Allow);
    assert_eq!(verdict(&p, &req("aXb")), Verdict::Allow);
    assert_eq!(verdict(&p, &req("a:x")), Verdict::ImplicitDeny);
}

#[test]
fn upper_case_in_the_arn_fields_is_unsupported_and_in_the_resource_part_a_no() {
    // The Resource page documents case sensitivity for the resource part only ("the IAM user
    // name is case sensitive"); for the partition, service, Region and account it says nothing.
    let p = statement(
        r#""Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"arn:AWS:kms:US-EAST-1:111122223333:key/*""#,
    );
    let req = |r: &str| Request::new(aws(ALICE), "kms:Decrypt", r);
    assert!(unsupported(&p, &req(KEY)).contains("only if the case of the partition"));
    assert_eq!(
        verdict(&p, &req("arn:aws:kms:us-west-2:111122223333:key/k")),
        Verdict::ImplicitDeny
    );
    let q = statement(&format!(
        r#""Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"{BUCKET}/Logs/*""#
    ));
    assert_eq!(
        verdict(
            &q,
            &Request::new(aws(ALICE), "s3:GetObject", format!("{BUCKET}/logs/x"))
        ),
        Verdict::ImplicitDeny
    );
}

#[test]
fn statements_built_without_resource_or_principal_are_unsupported() {
    // The parser rejects them (tests/document.rs); a statement built in code that lacks either
    // element is declined, not read as "applies to nothing", which hid a Deny.
    use cloudtrail_policy::document::{Clause, Effect, Principal, Statement};
    let no_resource = Statement::new(Effect::Deny)
        .with_principal(Clause::Is(Principal::Any))
        .with_action(Clause::Is(vec!["*".into()]));
    let p = PolicyDocument::new(vec![no_resource]);
    assert_eq!(
        unsupported(&p, &get(aws(ALICE))),
        "cannot evaluate statement `#0`: statement has neither `Resource` nor `NotResource`"
    );
    let no_principal = Statement::new(Effect::Deny)
        .with_action(Clause::Is(vec!["*".into()]))
        .with_resource(Clause::Is(vec!["*".into()]));
    let q = PolicyDocument::new(vec![no_principal]);
    assert!(unsupported(&q, &get(aws(ALICE))).contains("neither `Principal`"));
    // A statement whose action already fails needs neither.
    let other = Request::new(aws(ALICE), "kms:Decrypt", KEY);
    let r = PolicyDocument::new(vec![
        Statement::new(Effect::Deny)
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(vec!["s3:*".into()])),
    ]);
    assert_eq!(verdict(&r, &other), Verdict::ImplicitDeny);
}

// ---------------------------------------------------------------------------------------------
// Principal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html

fn principal(p: &str) -> PolicyDocument {
    statement(&format!(
        r#""Effect":"Allow","Principal":{p},"Action":"s3:GetObject","Resource":"*""#
    ))
}

#[test]
fn star_and_aws_star_both_include_anonymous_callers() {
    // "For anonymous users, the following elements are equivalent".
    assert_eq!(
        verdict(&principal(r#""*""#), &get(Caller::Anonymous)),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&principal(r#"{"AWS":"*"}"#), &get(Caller::Anonymous)),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&principal(r#"{"AWS":"*"}"#), &get(aws(ALICE))),
        Verdict::Allow
    );
    assert_eq!(
        verdict(&principal(r#""*""#), &get(cloudtrail())),
        Verdict::Allow
    );
    for other in [
        r#"{"AWS":"111122223333"}"#,
        r#"{"Service":"cloudtrail.amazonaws.com"}"#,
    ] {
        assert_eq!(
            verdict(&principal(other), &get(Caller::Anonymous)),
            Verdict::ImplicitDeny
        );
    }
}

#[test]
fn aws_star_against_a_service_principal_is_unsupported() {
    assert_eq!(
        unsupported(&principal(r#"{"AWS":"*"}"#), &get(cloudtrail())),
        "cannot evaluate statement `#0`: whether `{\"AWS\": \"*\"}` includes the service principal `cloudtrail.amazonaws.com` is not documented"
    );
}

#[test]
fn account_ids_and_account_roots_name_every_principal_of_the_account() {
    // "The account ARN and the shortened account ID behave the same way … does not limit
    // permissions to only the root user of the account."
    for p in [
        r#"{"AWS":"111122223333"}"#,
        r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    ] {
        let p = principal(p);
        for caller in [
            "arn:aws:iam::111122223333:root",
            ALICE,
            "arn:aws:iam::111122223333:role/path/Reader",
            "arn:aws:sts::111122223333:assumed-role/Reader/session-1",
        ] {
            assert_eq!(verdict(&p, &get(aws(caller))), Verdict::Allow, "{caller}");
        }
        assert_eq!(
            verdict(&p, &get(aws("arn:aws:iam::444455556666:root"))),
            Verdict::ImplicitDeny
        );
        assert_eq!(verdict(&p, &get(cloudtrail())), Verdict::ImplicitDeny);
        assert_eq!(verdict(&p, &get(Caller::Anonymous)), Verdict::ImplicitDeny);
    }
    let cn = principal(r#"{"AWS":"arn:aws-cn:iam::111122223333:root"}"#);
    assert_eq!(
        verdict(&cn, &get(aws(ALICE))),
        Verdict::ImplicitDeny,
        "other partition"
    );
}

#[test]
fn users_roles_and_sessions_match_exactly_and_roles_cover_their_sessions() {
    let user = principal(&format!(r#"{{"AWS":"{ALICE}"}}"#));
    assert_eq!(verdict(&user, &get(aws(ALICE))), Verdict::Allow);
    // "the user name part of the ARN is case sensitive"
    assert_eq!(
        verdict(&user, &get(aws("arn:aws:iam::111122223333:user/alice"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&user, &get(aws("arn:aws:iam::111122223333:root"))),
        Verdict::ImplicitDeny
    );

    let role = principal(r#"{"AWS":"arn:aws:iam::111122223333:role/ops/Reader"}"#);
    for (caller, want) in [
        ("arn:aws:iam::111122223333:role/ops/Reader", Verdict::Allow),
        (
            "arn:aws:sts::111122223333:assumed-role/Reader/s1",
            Verdict::Allow,
        ),
        (
            "arn:aws:sts::111122223333:assumed-role/Writer/s1",
            Verdict::ImplicitDeny,
        ),
        (
            "arn:aws:sts::444455556666:assumed-role/Reader/s1",
            Verdict::ImplicitDeny,
        ),
        ("arn:aws:iam::111122223333:root", Verdict::ImplicitDeny),
    ] {
        assert_eq!(verdict(&role, &get(aws(caller))), want, "{caller}");
    }

    let session = principal(r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/Reader/s1"}"#);
    assert_eq!(
        verdict(
            &session,
            &get(aws("arn:aws:sts::111122223333:assumed-role/Reader/s1"))
        ),
        Verdict::Allow
    );
    assert_eq!(
        verdict(
            &session,
            &get(aws("arn:aws:sts::111122223333:assumed-role/Reader/s2"))
        ),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&session, &get(aws("arn:aws:iam::111122223333:role/Reader"))),
        Verdict::ImplicitDeny
    );
}

#[test]
fn service_principals_match_exactly() {
    let p = principal(r#"{"Service":["ecs.amazonaws.com","cloudtrail.amazonaws.com"]}"#);
    assert_eq!(verdict(&p, &get(cloudtrail())), Verdict::Allow);
    assert_eq!(
        verdict(&p, &get(Caller::Service("config.amazonaws.com".into()))),
        Verdict::ImplicitDeny
    );
    assert_eq!(verdict(&p, &get(aws(ALICE))), Verdict::ImplicitDeny);
    assert!(
        unsupported(&p, &get(Caller::Service("CloudTrail.amazonaws.com".into())))
            .contains("only by case")
    );
}

#[test]
fn unmodelled_principals_are_unsupported_only_when_they_matter() {
    let p = principal(r#"{"AWS":"arn:aws:iam::*:root"}"#);
    assert_eq!(
        unsupported(&p, &get(aws(ALICE))),
        "cannot evaluate statement `#0`: wildcard in principal `arn:aws:iam::*:root`"
    );
    let canonical = principal(
        r#"{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
    );
    assert!(unsupported(&canonical, &get(aws(ALICE))).contains("`CanonicalUser`"));
    assert_eq!(
        verdict(&canonical, &get(Caller::Anonymous)),
        Verdict::ImplicitDeny
    );
    // The action does not match: nothing to decide, no error.
    let other_action = Request::new(aws(ALICE), "s3:PutObject", "*");
    assert_eq!(verdict(&p, &other_action), Verdict::ImplicitDeny);
    // A deleted principal's unique id never matches a live caller.
    let deleted = principal(r#"{"AWS":"AIDAJQABLZS4A3QDU576Q"}"#);
    assert_eq!(verdict(&deleted, &get(aws(ALICE))), Verdict::ImplicitDeny);
    // A caller ARN the evaluator cannot read matches only `*`.
    assert_eq!(
        verdict(&principal(r#""*""#), &get(aws("not-an-arn"))),
        Verdict::Allow
    );
    assert!(
        unsupported(
            &principal(r#"{"AWS":"111122223333"}"#),
            &get(aws("not-an-arn"))
        )
        .contains("`not-an-arn`")
    );
}

#[test]
fn a_principal_of_another_partition_names_no_caller_of_this_one() {
    // "You cannot delegate access between accounts in different partitions"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html); "a
    // credential issued in one partition isn't valid in another"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_cross_partition.html).
    for entry in [
        "arn:aws-us-gov:iam::111122223333:root",
        "arn:aws-us-gov:iam::111122223333:user/Alice",
        "arn:aws-us-gov:iam::111122223333:role/Reader",
    ] {
        let p = principal(&format!(r#"{{"AWS":"{entry}"}}"#));
        for caller in [
            ALICE,
            "arn:aws:iam::111122223333:role/Reader",
            "arn:aws:sts::111122223333:assumed-role/Reader/s",
        ] {
            assert_eq!(
                verdict(&p, &get(aws(caller))),
                Verdict::ImplicitDeny,
                "{entry} {caller}"
            );
        }
    }
}

#[test]
fn a_role_name_that_differs_only_by_case_is_unsupported() {
    // Role names "are not distinguished by case" (you cannot create both `Admin` and `admin`,
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), but whether
    // `role/Admin` in a policy names the sessions `assumed-role/admin/…` is not documented.
    let p = principal(r#"{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#);
    let msg = unsupported(
        &p,
        &get(aws("arn:aws:sts::111122223333:assumed-role/admin/s1")),
    );
    assert_eq!(
        msg,
        "cannot evaluate statement `#0`: role name `Admin` differs from the caller's `admin` only by case, which AWS does not document"
    );
    assert!(
        unsupported(&p, &get(aws("arn:aws:iam::111122223333:role/ADMIN"))).contains("only by case")
    );
    // A user name is documented as case-sensitive.
    let u = principal(r#"{"AWS":"arn:aws:iam::111122223333:user/Admin"}"#);
    assert_eq!(
        verdict(&u, &get(aws("arn:aws:iam::111122223333:user/admin"))),
        Verdict::ImplicitDeny
    );
    // In `NotPrincipal` too.
    let n = statement(&format!(
        r#""Effect":"Allow","NotPrincipal":{{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/Admin","arn:aws:sts::111122223333:assumed-role/admin/s1"]}},"Action":"s3:*","Resource":"{BUCKET}/*""#
    ));
    assert!(
        unsupported(
            &n,
            &get(aws("arn:aws:sts::111122223333:assumed-role/admin/s1"))
        )
        .contains("only by case")
    );
}

// NotPrincipal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html

#[test]
fn not_principal_with_deny_spares_a_fully_listed_chain() {
    // The page's "IAM user in the same or a different account" example.
    let p = statement(&format!(
        r#""Effect":"Deny","NotPrincipal":{{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]}},"Action":"s3:*","Resource":["{BUCKET}","{BUCKET}/*"]"#
    ));
    assert_eq!(
        verdict(&p, &get(aws("arn:aws:iam::444455556666:user/Bob"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(
        verdict(&p, &get(aws("arn:aws:iam::444455556666:root"))),
        Verdict::ImplicitDeny
    );
    assert_eq!(verdict(&p, &get(aws(ALICE))), Verdict::Deny);
    assert_eq!(verdict(&p, &get(Caller::Anonymous)), Verdict::Deny);
    assert_eq!(verdict(&p, &get(cloudtrail())), Verdict::Deny);
    // Another user of Bob's account: its account is listed, itself is not.
    assert!(
        unsupported(&p, &get(aws("arn:aws:iam::444455556666:user/Carol"))).contains("only part")
    );

    // The page's "IAM role" example: session, role and account all listed.
    let q = statement(&format!(
        r#""Effect":"Deny","NotPrincipal":{{"AWS":[
            "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app",
            "arn:aws:iam::444455556666:role/cross-account-read-only-role",
            "arn:aws:iam::444455556666:root"]}},"Action":"s3:*","Resource":["{BUCKET}","{BUCKET}/*"]"#
    ));
    let app = "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app";
    assert_eq!(verdict(&q, &get(aws(app))), Verdict::ImplicitDeny);
    assert_eq!(verdict(&q, &get(aws(ALICE))), Verdict::Deny);
}

#[test]
fn not_principal_with_allow_grants_everyone_else_anonymous_included() {
    // "you might grant access to anonymous (unauthenticated) users"
    let p = statement(
        r#""Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"*""#,
    );
    assert_eq!(verdict(&p, &get(Caller::Anonymous)), Verdict::Allow);
    assert_eq!(verdict(&p, &get(aws(ALICE))), Verdict::Allow);
    assert_eq!(
        verdict(&p, &get(aws("arn:aws:iam::444455556666:root"))),
        Verdict::ImplicitDeny
    );
}

// ---------------------------------------------------------------------------------------------
// Conditions.
// Operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// AND/OR/NOR: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html

fn cond(condition: &str) -> PolicyDocument {
    statement(&format!(
        r#""Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{condition}"#
    ))
}

fn with(pairs: &[(&str, &str)]) -> Request {
    pairs
        .iter()
        .fold(get(aws(ALICE)), |r, (k, v)| r.with_context(*k, *v))
}

#[track_caller]
fn check(condition: &str, cases: &[(&[(&str, &str)], Verdict)]) {
    let p = cond(condition);
    for (ctx, want) in cases {
        assert_eq!(verdict(&p, &with(ctx)), *want, "{condition} with {ctx:?}");
    }
}

use Verdict::{Allow, ImplicitDeny};

#[test]
fn string_operators() {
    // The page's `aws:username` examples: "A user named JohnDoe is denied access".
    check(
        r#"{"StringEquals":{"aws:username":"johndoe"}}"#,
        &[
            (&[("aws:username", "johndoe")], Allow),
            (&[("aws:username", "JohnDoe")], ImplicitDeny),
            (&[], ImplicitDeny),
        ],
    );
    check(
        r#"{"StringEqualsIgnoreCase":{"aws:username":"johndoe"}}"#,
        &[
            (&[("aws:username", "JohnDoe")], Allow),
            (&[("aws:username", "john")], ImplicitDeny),
        ],
    );
    check(
        r#"{"StringNotEquals":{"aws:username":["a","b"]}}"#,
        &[
            (&[("aws:username", "c")], Allow),
            (&[("aws:username", "a")], ImplicitDeny),
            (&[("aws:username", "b")], ImplicitDeny),
            (&[], Allow),
        ],
    );
    check(
        r#"{"StringNotEqualsIgnoreCase":{"aws:username":"A"}}"#,
        &[
            (&[("aws:username", "a")], ImplicitDeny),
            (&[("aws:username", "b")], Allow),
        ],
    );
    check(
        r#"{"StringLike":{"s3:prefix":["","home/","home/*/"]}}"#,
        &[
            (&[("s3:prefix", "")], Allow),
            (&[("s3:prefix", "home/bob/")], Allow),
            (&[("s3:prefix", "Home/bob/")], ImplicitDeny),
            (&[("s3:prefix", "home/bob")], ImplicitDeny),
        ],
    );
    check(
        r#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#,
        &[
            (&[("s3:prefix", "secret/x")], ImplicitDeny),
            (&[("s3:prefix", "public/x")], Allow),
            (&[], Allow),
        ],
    );
}

#[test]
fn condition_key_names_are_case_insensitive_values_follow_the_operator() {
    // "Context key names are not case-sensitive … aws:SourceIP … is equivalent to AWS:SourceIp".
    check(
        r#"{"StringEquals":{"AWS:SourceIP":"203.0.113.1"}}"#,
        &[
            (&[("aws:sourceip", "203.0.113.1")], Allow),
            (&[("Aws:SourceIp", "203.0.113.1")], Allow),
        ],
    );
    let r = get(aws(ALICE))
        .with_context("aws:SourceArn", "x")
        .with_context("AWS:SOURCEARN", "y");
    assert_eq!(
        r.context("aws:sourcearn"),
        Some(&cloudtrail_policy::eval::ContextValue::Single("y".into()))
    );
}

#[test]
fn several_operators_and_keys_are_anded_values_ored() {
    let c = r#"{"StringEquals":{"aws:SourceAccount":"111122223333","s3:x-amz-acl":["bucket-owner-full-control","private"]},
               "Bool":{"aws:SecureTransport":"true"}}"#;
    check(
        c,
        &[
            (
                &[
                    ("aws:SourceAccount", "111122223333"),
                    ("s3:x-amz-acl", "private"),
                    ("aws:SecureTransport", "true"),
                ],
                Allow,
            ),
            (
                &[
                    ("aws:SourceAccount", "111122223333"),
                    ("s3:x-amz-acl", "private"),
                    ("aws:SecureTransport", "false"),
                ],
                ImplicitDeny,
            ),
            (
                &[
                    ("aws:SourceAccount", "111122223333"),
                    ("aws:SecureTransport", "true"),
                ],
                ImplicitDeny,
            ),
            (
                &[
                    ("aws:SourceAccount", "444455556666"),
                    ("s3:x-amz-acl", "private"),
                    ("aws:SecureTransport", "true"),
                ],
                ImplicitDeny,
            ),
        ],
    );
}

#[test]
fn numeric_operators() {
    // The page's `s3:max-keys` example.
    check(
        r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
        &[
            (&[("s3:max-keys", "10")], Allow),
            (&[("s3:max-keys", "9.99")], Allow),
            (&[("s3:max-keys", "11")], ImplicitDeny),
            (&[], ImplicitDeny),
        ],
    );
    check(
        r#"{"NumericEquals":{"n":"10"}}"#,
        &[(&[("n", "10.0")], Allow), (&[("n", "1")], ImplicitDeny)],
    );
    check(
        r#"{"NumericNotEquals":{"n":["1","2"]}}"#,
        &[
            (&[("n", "3")], Allow),
            (&[("n", "2")], ImplicitDeny),
            (&[], Allow),
        ],
    );
    check(
        r#"{"NumericLessThan":{"n":"-1.5"}}"#,
        &[(&[("n", "-2")], Allow), (&[("n", "-1.5")], ImplicitDeny)],
    );
    check(
        r#"{"NumericGreaterThan":{"n":"100"}}"#,
        &[(&[("n", "101")], Allow), (&[("n", "100")], ImplicitDeny)],
    );
    check(
        r#"{"NumericGreaterThanEquals":{"n":"100"}}"#,
        &[(&[("n", "100")], Allow), (&[("n", "99")], ImplicitDeny)],
    );
    let p = cond(r#"{"NumericEquals":{"n":"10"}}"#);
    assert!(unsupported(&p, &with(&[("n", "ten")])).contains("not a decimal number"));
}

#[test]
fn bool_and_null_operators() {
    // The page's aws:SecureTransport example, as an Allow.
    check(
        r#"{"Bool":{"aws:SecureTransport":false}}"#,
        &[
            (&[("aws:SecureTransport", "false")], Allow),
            (&[("aws:SecureTransport", "true")], ImplicitDeny),
            (&[], ImplicitDeny),
        ],
    );
    // The page's aws:TokenIssueTime example: "true (the key doesn't exist …)".
    check(
        r#"{"Null":{"aws:TokenIssueTime":"true"}}"#,
        &[
            (&[], Allow),
            (
                &[("aws:TokenIssueTime", "2026-01-01T00:00:00Z")],
                ImplicitDeny,
            ),
        ],
    );
    check(
        r#"{"Null":{"aws:TokenIssueTime":"false"}}"#,
        &[
            (&[], ImplicitDeny),
            (&[("aws:TokenIssueTime", "2026-01-01T00:00:00Z")], Allow),
        ],
    );
    // `NullIfExists` is refused by the parser (tests/document.rs); built in code, declined.
    use cloudtrail_policy::document::{Clause, Effect, Principal, Statement};
    let built = PolicyDocument::new(vec![
        Statement::new(Effect::Allow)
            .with_principal(Clause::Is(Principal::Any))
            .with_action(Clause::Is(vec!["s3:GetObject".into()]))
            .with_resource(Clause::Is(vec!["*".into()]))
            .with_condition("NullIfExists", "k", ["true"]),
    ]);
    assert_eq!(
        unsupported(&built, &with(&[])),
        "cannot evaluate statement `#0`: invalid condition operator `NullIfExists`: `Null` cannot take the `IfExists` suffix"
    );
}

#[test]
fn arn_operators_match_each_of_six_segments() {
    // The page's example: StringLike matches across colons, ArnLike does not.
    let value =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    let pattern = "arn:aws:someservice:*:111122223333:finance/*";
    check(
        &format!(r#"{{"StringLike":{{"aws:SourceArn":"{pattern}"}}}}"#),
        &[(&[("aws:SourceArn", value)], Allow)],
    );
    check(
        &format!(r#"{{"ArnLike":{{"aws:SourceArn":"{pattern}"}}}}"#),
        &[(&[("aws:SourceArn", value)], ImplicitDeny)],
    );
    // ArnEquals behaves like ArnLike, wildcards included; case-sensitive.
    for op in ["ArnEquals", "ArnLike"] {
        check(
            &format!(
                r#"{{"{op}":{{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}}"#
            ),
            &[
                (&[("aws:SourceArn", TRAIL)], Allow),
                (
                    &[(
                        "aws:SourceArn",
                        "arn:aws:cloudtrail:us-east-1:444455556666:trail/t",
                    )],
                    ImplicitDeny,
                ),
                (
                    &[(
                        "aws:SourceArn",
                        "arn:aws:CloudTrail:us-east-1:111122223333:trail/t",
                    )],
                    ImplicitDeny,
                ),
                (&[], ImplicitDeny),
            ],
        );
    }
    for op in ["ArnNotEquals", "ArnNotLike"] {
        check(
            &format!(r#"{{"{op}":{{"aws:SourceArn":"{TRAIL}"}}}}"#),
            &[
                (&[("aws:SourceArn", TRAIL)], ImplicitDeny),
                (
                    &[(
                        "aws:SourceArn",
                        "arn:aws:cloudtrail:us-east-1:111122223333:trail/other",
                    )],
                    Allow,
                ),
                (&[], Allow),
            ],
        );
    }
}

#[test]
fn arn_operators_against_a_value_that_is_not_an_arn_are_unsupported() {
    // The operators page defines ARN matching by the "six colon-delimited components of the
    // ARN" and says nothing of a value that has none; neither answer is safe (ArnNotLike in an
    // Allow would grant), so both the plain and the negated operators decline.
    for op in ["ArnLike", "ArnEquals", "ArnNotLike", "ArnNotEquals"] {
        let p = cond(&format!(
            r#"{{"{op}":{{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}}"#
        ));
        assert_eq!(
            unsupported(&p, &with(&[("aws:SourceArn", "not-an-arn")])),
            "cannot evaluate statement `#0`: `not-an-arn` is not an arn, and what an arn operator does with it is not documented",
            "{op}"
        );
    }
    let short = cond(r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:cloudtrail:*"}}"#);
    assert!(unsupported(&short, &with(&[("aws:SourceArn", TRAIL)])).contains("is not an arn"));
}

#[test]
fn if_exists_is_true_on_absent_keys_and_tests_present_ones() {
    // The page's StringLikeIfExists / ec2:InstanceType example.
    check(
        r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
        &[
            (&[], Allow),
            (&[("ec2:InstanceType", "t2.micro")], Allow),
            (&[("ec2:InstanceType", "c5.large")], ImplicitDeny),
        ],
    );
    check(
        r#"{"StringNotEqualsIfExists":{"k":"v"}}"#,
        &[(&[], Allow), (&[("k", "v")], ImplicitDeny)],
    );
    check(
        r#"{"NumericLessThanIfExists":{"n":"5"}}"#,
        &[(&[], Allow), (&[("n", "7")], ImplicitDeny)],
    );
    check(
        r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#,
        &[
            (&[], Allow),
            (&[("aws:MultiFactorAuthPresent", "true")], ImplicitDeny),
        ],
    );
    check(
        r#"{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}"#,
        &[(&[], Allow)],
    );
}

#[test]
fn for_all_values_and_for_any_value() {
    // The multi-value page's DynamoDB examples.
    let all = cond(
        r#"{"ForAllValues:StringLike":{"dynamodb:requestedAttributes":["PostDateTime","Message","Tags"]}}"#,
    );
    let any = cond(
        r#"{"ForAnyValue:StringLike":{"dynamodb:requestedAttributes":["ID","PostDateTime"]}}"#,
    );
    let attrs = |vs: &[&str]| {
        get(aws(ALICE)).with_context_values("dynamodb:requestedAttributes", vs.iter().copied())
    };
    assert_eq!(verdict(&all, &attrs(&["PostDateTime", "Message"])), Allow);
    assert_eq!(
        verdict(&all, &attrs(&["PostDateTime", "UserName"])),
        ImplicitDeny
    );
    assert_eq!(
        verdict(&any, &attrs(&["UserName", "Message", "PostDateTime"])),
        Allow
    );
    assert_eq!(verdict(&any, &attrs(&["UserName"])), ImplicitDeny);
    // "If the key values in the request resolve to an empty data set …, ForAllValues returns
    // true, and … ForAnyValue returns false"; an absent key likewise.
    assert_eq!(verdict(&all, &attrs(&[])), Allow);
    assert_eq!(verdict(&any, &attrs(&[])), ImplicitDeny);
    assert_eq!(verdict(&all, &get(aws(ALICE))), Allow);
    assert_eq!(verdict(&any, &get(aws(ALICE))), ImplicitDeny);
    // A single-valued key under a set operator is a set of one.
    assert_eq!(
        verdict(
            &any,
            &get(aws(ALICE)).with_context("dynamodb:requestedAttributes", "ID")
        ),
        Allow
    );
    // Negated under a set operator: each request value NOR-ed against the policy values.
    let none = cond(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret","owner"]}}"#);
    let tags = |vs: &[&str]| get(aws(ALICE)).with_context_values("aws:TagKeys", vs.iter().copied());
    assert_eq!(verdict(&none, &tags(&["env", "team"])), Allow);
    assert_eq!(verdict(&none, &tags(&["env", "owner"])), ImplicitDeny);
    // A plain operator on a multivalued key is not modelled.
    let plain = cond(r#"{"StringEquals":{"aws:TagKeys":"env"}}"#);
    assert!(unsupported(&plain, &tags(&["env"])).contains("multivalued key"));
}

#[test]
fn date_ip_and_binary_operators_decide_absent_keys_and_decline_present_ones() {
    // The absent-key rule "applies to all condition operators except ...IfExists and Null
    // check" (operators page): it decides these operators even though their comparisons are
    // not modelled.
    for (op, absent) in [
        ("DateLessThan", ImplicitDeny),
        ("DateNotEquals", Allow),
        ("IpAddress", ImplicitDeny),
        ("NotIpAddress", Allow),
        ("BinaryEquals", ImplicitDeny),
        ("DateGreaterThanIfExists", Allow),
    ] {
        let p = statement(&format!(
            r#""Sid":"S1","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{{"{op}":{{"k":"v"}}}}"#
        ));
        assert_eq!(verdict(&p, &with(&[])), absent, "{op}");
        assert_eq!(
            unsupported(&p, &with(&[("k", "v")])),
            format!(
                "cannot evaluate statement `S1`: condition operator `{op}` on a present key is not modelled"
            )
        );
    }
    // A key present with a value the request does not know: `Null` sees it, comparisons cannot.
    let unknown = get(aws(ALICE)).with_unknown_context("aws:SourceIp");
    assert_eq!(
        verdict(&cond(r#"{"Null":{"aws:SourceIp":"false"}}"#), &unknown),
        Allow
    );
    assert!(
        unsupported(&cond(r#"{"StringEquals":{"aws:SourceIp":"x"}}"#), &unknown)
            .contains("value of `aws:SourceIp` is not known")
    );
    // Irrelevant when another condition already fails.
    let p = cond(
        r#"{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"StringEquals":{"k":"v"}}"#,
    );
    assert_eq!(
        verdict(
            &p,
            &with(&[("k", "w"), ("aws:CurrentTime", "2026-01-01T00:00:00Z")])
        ),
        ImplicitDeny
    );
}

#[test]
fn unsupported_is_raised_only_when_it_could_change_the_verdict() {
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Allow","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
        {"Sid":"MaybeAllow","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}},
        {"Sid":"MaybeDeny","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
        {"Sid":"Deny","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}"#,
    );
    let req = |a: &str| {
        Request::new(aws(ALICE), a, format!("{BUCKET}/k"))
            .with_unknown_context("aws:CurrentTime")
            .with_context("aws:SourceIp", "203.0.113.7")
    };
    // An unknown Allow beside a known Allow: still Allow.
    assert_eq!(verdict(&p, &req("s3:GetObject")), Allow);
    // An unknown Deny beside an Allow: could flip it.
    assert_eq!(
        unsupported(&p, &req("s3:PutObject")),
        "cannot evaluate statement `MaybeDeny`: condition operator `IpAddress` on a present key is not modelled"
    );
    // A known Deny decides whatever the unknowns say.
    assert_eq!(verdict(&p, &req("s3:DeleteObject")), Verdict::Deny);
    // Only an unknown Allow: implicit deny or allow, cannot tell.
    let e = evaluate(&p, &req("s3:ListBucket")).unwrap_err();
    assert_eq!(e.statement().sid.as_deref(), Some("MaybeAllow"));
    assert_eq!(
        e.construct(),
        "the request's value of `aws:CurrentTime` is not known, and `DateLessThan` compares it"
    );
}

// Policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

#[test]
fn policy_variables_take_the_request_value_in_2012_documents_and_are_literal_before() {
    // "If you don't include the Version element and set it to an appropriate version date,
    // variables like ${aws:username} are treated as literal strings in the policy."
    let body = format!(
        r#""Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"{BUCKET}/home/${{aws:username}}/*""#
    );
    let current = statement(&body);
    let old = policy(&format!(
        r#"{{"Version":"2008-10-17","Statement":[{{{body}}}]}}"#
    ));
    let none = policy(&format!(r#"{{"Statement":[{{{body}}}]}}"#));
    let req = |key: &str| {
        Request::new(aws(ALICE), "s3:GetObject", format!("{BUCKET}/home/{key}/x"))
            .with_context("aws:username", "Alice")
    };
    assert_eq!(verdict(&current, &req("Alice")), Allow);
    assert_eq!(verdict(&current, &req("Bob")), ImplicitDeny);
    assert_eq!(verdict(&current, &req("${aws:username}")), ImplicitDeny);
    assert_eq!(verdict(&old, &req("Alice")), ImplicitDeny);
    assert_eq!(verdict(&old, &req("${aws:username}")), Allow);
    assert_eq!(verdict(&none, &req("${aws:username}")), Allow);
    // In a condition, under a string operator.
    check(
        r#"{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}"#,
        &[
            (
                &[("s3:prefix", "home/Alice/x"), ("aws:username", "Alice")],
                Allow,
            ),
            (
                &[("s3:prefix", "home/Bob/x"), ("aws:username", "Alice")],
                ImplicitDeny,
            ),
        ],
    );
}

#[test]
fn a_policy_variable_with_no_value_does_not_match_and_negated_operators_do() {
    // "When you use a variable with no value in the condition element …, condition operators
    // like StringEquals or StringLike do not match … Inverted condition operators like
    // StringNotEquals or StringNotLike do match against a null value."
    check(
        r#"{"StringEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}"#,
        &[
            (&[("s3:ExistingObjectTag/Team", "")], ImplicitDeny),
            (&[("s3:ExistingObjectTag/Team", "red")], ImplicitDeny),
            (
                &[
                    ("s3:ExistingObjectTag/Team", "red"),
                    ("aws:PrincipalTag/Team", "red"),
                ],
                Allow,
            ),
        ],
    );
    // The page's example: the Deny applies when the principal has no Team tag.
    let deny = statement(
        r#""Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}"#,
    );
    assert_eq!(
        verdict(&deny, &with(&[("s3:ExistingObjectTag/Team", "red")])),
        Verdict::Deny
    );
    assert_eq!(
        verdict(
            &deny,
            &with(&[
                ("s3:ExistingObjectTag/Team", "red"),
                ("aws:PrincipalTag/Team", "red")
            ])
        ),
        ImplicitDeny
    );
    // "If a variable that has no value … is used as part of the Resource or NotResource
    // element …, the resource that includes a policy variable with no value will not match any
    // resource."
    let p = statement(&format!(
        r#""Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"{BUCKET}/${{aws:PrincipalTag/team}}*""#
    ));
    assert_eq!(verdict(&p, &get(aws(ALICE))), ImplicitDeny);
    let q = statement(&format!(
        r#""Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"{BUCKET}/${{aws:PrincipalTag/team}}/*""#
    ));
    assert_eq!(verdict(&q, &get(aws(ALICE))), Verdict::Deny);
}

#[test]
fn policy_variable_defaults_and_special_characters() {
    // "To add a default value to a variable, surround the default value with single quotes
    // (' '), and separate the variable text and the default value with a comma and space"; the
    // page's example.
    let p = statement(
        r#""Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}/*""#,
    );
    let req = |bucket: &str| Request::new(aws(ALICE), "s3:GetObject", format!("{bucket}/k"));
    assert_eq!(
        verdict(&p, &req("arn:aws:s3:::amzn-s3-demo-bucket-company-wide")),
        Allow
    );
    assert_eq!(
        verdict(
            &p,
            &req("arn:aws:s3:::amzn-s3-demo-bucket-red")
                .with_context("aws:PrincipalTag/team", "red")
        ),
        Allow
    );
    // "${*} - use where you need an * (asterisk) character": a literal star.
    check(
        r#"{"StringLike":{"s3:prefix":"a${*}b*"}}"#,
        &[
            (&[("s3:prefix", "a*bcd")], Allow),
            (&[("s3:prefix", "axbcd")], ImplicitDeny),
        ],
    );
    // Forms the page does not define, multivalued keys ("You can't use a multivalued condition
    // key as a variable") and variables where none is allowed are declined.
    let c = cond(r#"{"StringEquals":{"s3:prefix":"${aws:TagKeys}"}}"#);
    let tags = get(aws(ALICE))
        .with_context("s3:prefix", "x")
        .with_context_values("aws:TagKeys", ["x"]);
    assert!(unsupported(&c, &tags).contains("multivalued"));
    let n = cond(r#"{"NumericEquals":{"s3:max-keys":"${aws:username}"}}"#);
    assert!(unsupported(&n, &with(&[("s3:max-keys", "1")])).contains("which AWS does not allow"));
    let head = statement(
        r#""Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:${aws:RequestedRegion}:111122223333:accesspoint/*""#,
    );
    let ap = Request::new(
        aws(ALICE),
        "s3:GetObject",
        "arn:aws:s3:us-east-1:111122223333:accesspoint/x",
    )
    .with_context("aws:RequestedRegion", "us-east-1");
    assert!(unsupported(&head, &ap).contains("before the fifth colon"));
}

#[test]
fn request_serializes_deterministically() {
    let r = Request::new(cloudtrail(), "s3:PutObject", format!("{BUCKET}/k"))
        .with_context("s3:x-amz-acl", "bucket-owner-full-control")
        .with_context("aws:SourceArn", TRAIL)
        .with_context_values("aws:TagKeys", ["a", "b"]);
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        format!(
            r#"{{"principal":{{"Service":"cloudtrail.amazonaws.com"}},"action":"s3:PutObject","resource":"{BUCKET}/k","context":{{"aws:SourceArn":"{TRAIL}","aws:TagKeys":["a","b"],"s3:x-amz-acl":"bucket-owner-full-control"}}}}"#
        )
    );
    let anon = Request::new(Caller::Anonymous, "s3:GetObject", "*");
    assert_eq!(
        serde_json::to_string(&anon).unwrap(),
        r#"{"principal":"anonymous","action":"s3:GetObject","resource":"*","context":{}}"#
    );
    let a = Request::new(aws(ALICE), "kms:Decrypt", KEY);
    assert!(
        serde_json::to_string(&a)
            .unwrap()
            .starts_with(&format!(r#"{{"principal":{{"AWS":"{ALICE}"}}"#))
    );
    assert_eq!(a.caller(), &aws(ALICE));
    assert_eq!(a.action(), "kms:Decrypt");
    assert_eq!(a.resource(), KEY);
}

// ---------------------------------------------------------------------------------------------
// The AWS-documented CloudTrail policies, as fixtures under tests/fixtures/facts/ (its README.md
// names each one's AWS page and lists the placeholders replaced: bucket `amzn-s3-demo-bucket`,
// region `us-east-1`, account `111122223333`, trail `management-events`, org `o-exampleorg1`, no
// prefix except the multi-account policy's `logs/`).

fn fixture(name: &str) -> PolicyDocument {
    let path = format!("{}/tests/fixtures/facts/{name}", env!("CARGO_MANIFEST_DIR"));
    policy(&std::fs::read_to_string(path).unwrap())
}

const LOG: &str = "CloudTrail/us-east-1/2026/11/26/x.json.gz";

/// CloudTrail's log delivery: PutObject with the ACL and the trail as source.
fn delivery(object: &str, trail: &str) -> Request {
    Request::new(cloudtrail(), "s3:PutObject", format!("{BUCKET}/{object}"))
        .with_context("s3:x-amz-acl", "bucket-owner-full-control")
        .with_context("aws:SourceArn", trail)
}

fn acl_check(trail: &str) -> Request {
    Request::new(cloudtrail(), "s3:GetBucketAcl", BUCKET).with_context("aws:SourceArn", trail)
}

#[track_caller]
fn deciding(policy: &PolicyDocument, request: &Request) -> Vec<String> {
    let d = evaluate(policy, request).unwrap();
    assert_eq!(d.verdict(), Allow);
    d.deciding().iter().map(ToString::to_string).collect()
}

#[test]
fn facts_1_1_single_account_bucket_policy() {
    let p = fixture("1.1-bucket-policy.json");
    let object = format!("AWSLogs/111122223333/{LOG}");
    assert_eq!(
        deciding(&p, &delivery(&object, TRAIL)),
        ["AWSCloudTrailWrite20150319"]
    );
    assert_eq!(
        deciding(&p, &acl_check(TRAIL)),
        ["AWSCloudTrailAclCheck20150319"]
    );
    // Near misses.
    let other_trail = "arn:aws:cloudtrail:us-east-1:111122223333:trail/other";
    assert_eq!(verdict(&p, &delivery(&object, other_trail)), ImplicitDeny);
    assert_eq!(verdict(&p, &acl_check(other_trail)), ImplicitDeny);
    let no_acl = Request::new(cloudtrail(), "s3:PutObject", format!("{BUCKET}/{object}"))
        .with_context("aws:SourceArn", TRAIL);
    assert_eq!(verdict(&p, &no_acl), ImplicitDeny);
    let wrong_acl = no_acl.clone().with_context("s3:x-amz-acl", "public-read");
    assert_eq!(verdict(&p, &wrong_acl), ImplicitDeny);
    assert_eq!(
        verdict(&p, &delivery(&format!("AWSLogs/444455556666/{LOG}"), TRAIL)),
        ImplicitDeny
    );
    assert_eq!(
        verdict(
            &p,
            &delivery(&format!("logs/AWSLogs/111122223333/{LOG}"), TRAIL)
        ),
        ImplicitDeny
    );
    let no_source = Request::new(cloudtrail(), "s3:GetBucketAcl", BUCKET);
    assert_eq!(verdict(&p, &no_source), ImplicitDeny);
    // Other callers and actions.
    let anon = Request::new(
        Caller::Anonymous,
        "s3:PutObject",
        format!("{BUCKET}/{object}"),
    )
    .with_context("s3:x-amz-acl", "bucket-owner-full-control")
    .with_context("aws:SourceArn", TRAIL);
    assert_eq!(verdict(&p, &anon), ImplicitDeny);
    let root = Request::new(
        aws("arn:aws:iam::111122223333:root"),
        "s3:GetObject",
        format!("{BUCKET}/{object}"),
    );
    assert_eq!(verdict(&p, &root), ImplicitDeny);
    let delete = Request::new(
        cloudtrail(),
        "s3:DeleteObject",
        format!("{BUCKET}/{object}"),
    )
    .with_context("aws:SourceArn", TRAIL);
    assert_eq!(verdict(&p, &delete), ImplicitDeny);
    let config = Request::new(
        Caller::Service("config.amazonaws.com".into()),
        "s3:GetBucketAcl",
        BUCKET,
    )
    .with_context("aws:SourceArn", TRAIL);
    assert_eq!(verdict(&p, &config), ImplicitDeny);
}

#[test]
fn facts_1_3_multi_account_bucket_policy() {
    let p = fixture("1.3-multi-account-bucket-policy.json");
    let primary = "arn:aws:cloudtrail:us-east-1:111111111111:trail/primary";
    let secondary = "arn:aws:cloudtrail:us-east-1:222222222222:trail/secondary";
    for (account, trail) in [("111111111111", primary), ("222222222222", secondary)] {
        let object = format!("logs/AWSLogs/{account}/{LOG}");
        assert_eq!(
            deciding(&p, &delivery(&object, trail)),
            ["AWSCloudTrailWrite20131101"]
        );
        assert_eq!(
            deciding(&p, &acl_check(trail)),
            ["AWSCloudTrailAclCheck20131101"]
        );
    }
    // The policy does not tie a trail to its own account's folder: both are allowed.
    assert_eq!(
        verdict(
            &p,
            &delivery(&format!("logs/AWSLogs/222222222222/{LOG}"), primary)
        ),
        Allow
    );
    // Near misses.
    assert_eq!(
        verdict(
            &p,
            &delivery(&format!("logs/AWSLogs/333333333333/{LOG}"), primary)
        ),
        ImplicitDeny
    );
    let third = "arn:aws:cloudtrail:us-east-1:333333333333:trail/third";
    assert_eq!(
        verdict(
            &p,
            &delivery(&format!("logs/AWSLogs/111111111111/{LOG}"), third)
        ),
        ImplicitDeny
    );
    assert_eq!(verdict(&p, &acl_check(third)), ImplicitDeny);
    assert_eq!(
        verdict(
            &p,
            &delivery(&format!("AWSLogs/111111111111/{LOG}"), primary)
        ),
        ImplicitDeny
    );
}

#[test]
fn facts_1_4_organization_trail_bucket_policy() {
    let p = fixture("1.4-organization-bucket-policy.json");
    let member = format!("AWSLogs/o-exampleorg1/444455556666/{LOG}");
    assert_eq!(
        deciding(&p, &delivery(&member, TRAIL)),
        ["AWSCloudTrailOrganizationWrite20150319"]
    );
    let own = format!("AWSLogs/111122223333/{LOG}");
    assert_eq!(
        deciding(&p, &delivery(&own, TRAIL)),
        ["AWSCloudTrailWrite20150319"]
    );
    assert_eq!(
        deciding(&p, &acl_check(TRAIL)),
        ["AWSCloudTrailAclCheck20150319"]
    );
    // Near misses: a member account's own trail, another org, a member's folder outside the org.
    let member_trail = "arn:aws:cloudtrail:us-east-1:444455556666:trail/management-events";
    assert_eq!(verdict(&p, &delivery(&member, member_trail)), ImplicitDeny);
    assert_eq!(
        verdict(
            &p,
            &delivery(&format!("AWSLogs/o-otherorg22/444455556666/{LOG}"), TRAIL)
        ),
        ImplicitDeny
    );
    assert_eq!(
        verdict(&p, &delivery(&format!("AWSLogs/444455556666/{LOG}"), TRAIL)),
        ImplicitDeny
    );
    let no_acl = Request::new(cloudtrail(), "s3:PutObject", format!("{BUCKET}/{member}"))
        .with_context("aws:SourceArn", TRAIL);
    assert_eq!(verdict(&p, &no_acl), ImplicitDeny);
}

/// CloudTrail's GenerateDataKey for a log file of `trail`.
fn generate_data_key(trail: &str) -> Request {
    Request::new(cloudtrail(), "kms:GenerateDataKey", KEY)
        .with_context("aws:SourceArn", trail)
        .with_context("kms:EncryptionContext:aws:cloudtrail:arn", trail)
}

#[test]
fn facts_2_2_key_policy_statements() {
    let p = fixture("2.2-key-policy.json");
    assert_eq!(
        deciding(&p, &generate_data_key(TRAIL)),
        ["AllowCloudTrailEncryptLogs"]
    );
    let describe =
        Request::new(cloudtrail(), "kms:DescribeKey", KEY).with_context("aws:SourceArn", TRAIL);
    assert_eq!(deciding(&p, &describe), ["AllowCloudTrailAccess"]);
    assert_eq!(
        deciding(&p, &Request::new(cloudtrail(), "kms:Decrypt", KEY)),
        ["AllowCloudTrailDecryptTrail"]
    );
    let decrypt = |caller: &str| {
        Request::new(aws(caller), "kms:Decrypt", KEY)
            .with_context("kms:EncryptionContext:aws:cloudtrail:arn", TRAIL)
    };
    assert_eq!(
        deciding(&p, &decrypt(ALICE)),
        ["EnableCloudTrailLogDecryptPermissions"]
    );
    let reader = "arn:aws:sts::222222222222:assumed-role/LogReader/s1";
    assert_eq!(
        deciding(&p, &decrypt(reader)),
        ["EnableEncryptedCloudTrailLogReadAccess"]
    );
    // Near misses.
    let other = "arn:aws:cloudtrail:us-east-1:444455556666:trail/t";
    assert_eq!(verdict(&p, &generate_data_key(other)), ImplicitDeny);
    let mixed = Request::new(cloudtrail(), "kms:GenerateDataKey", KEY)
        .with_context("aws:SourceArn", TRAIL)
        .with_context("kms:EncryptionContext:aws:cloudtrail:arn", other);
    assert_eq!(verdict(&p, &mixed), ImplicitDeny);
    let no_context =
        Request::new(cloudtrail(), "kms:GenerateDataKey", KEY).with_context("aws:SourceArn", TRAIL);
    assert_eq!(verdict(&p, &no_context), ImplicitDeny);
    assert_eq!(
        verdict(&p, &Request::new(aws(ALICE), "kms:Decrypt", KEY)),
        ImplicitDeny,
        "Null: false"
    );
    assert_eq!(
        verdict(&p, &decrypt("arn:aws:iam::444455556666:user/Mallory")),
        ImplicitDeny
    );
    assert_eq!(
        verdict(&p, &Request::new(cloudtrail(), "kms:DescribeKey", KEY)),
        ImplicitDeny
    );
    assert_eq!(
        verdict(
            &p,
            &Request::new(aws(ALICE), "kms:ScheduleKeyDeletion", KEY)
        ),
        ImplicitDeny
    );
}

#[test]
fn facts_2_3_console_default_key_policy() {
    let p = fixture("2.3-default-key-policy.json");
    let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/trail-name";
    assert_eq!(
        deciding(&p, &generate_data_key(trail)),
        ["Allow CloudTrail to encrypt logs"]
    );
    let describe = Request::new(cloudtrail(), "kms:DescribeKey", KEY);
    assert_eq!(
        deciding(&p, &describe),
        ["Allow CloudTrail to describe key"]
    );
    // Any principal of 111111111111 reading logs: the account statement plus both decrypt ones.
    let read = |caller: &str, account: &str| {
        Request::new(aws(caller), "kms:Decrypt", KEY)
            .with_context("kms:CallerAccount", account)
            .with_context("kms:EncryptionContext:aws:cloudtrail:arn", trail)
    };
    assert_eq!(
        deciding(
            &p,
            &read("arn:aws:iam::111111111111:role/Auditor", "111111111111")
        ),
        [
            "Enable IAM user permissions",
            "Allow principals in the account to decrypt log files",
            "Enable cross account log decryption"
        ]
    );
    // Near misses: another account, another trail's logs, CloudTrail decrypting (no statement
    // names it: the `{"AWS":"*"}` ones need kms:CallerAccount, which it does not send here).
    assert_eq!(
        verdict(
            &p,
            &read("arn:aws:iam::333333333333:user/Eve", "333333333333")
        ),
        ImplicitDeny
    );
    let other_trail = Request::new(
        aws("arn:aws:iam::333333333333:user/Eve"),
        "kms:Decrypt",
        KEY,
    )
    .with_context("kms:CallerAccount", "111111111111")
    .with_context(
        "kms:EncryptionContext:aws:cloudtrail:arn",
        "arn:aws:cloudtrail:us-east-1:333333333333:trail/t",
    );
    assert_eq!(verdict(&p, &other_trail), ImplicitDeny);
    assert_eq!(
        verdict(&p, &Request::new(cloudtrail(), "kms:Decrypt", KEY)),
        ImplicitDeny
    );
    assert_eq!(
        verdict(
            &p,
            &generate_data_key("arn:aws:cloudtrail:us-east-1:111111111111:trail/other")
        ),
        ImplicitDeny
    );
}
