//! The complete proof: every generated policy is complete; every widening or narrowing of one
//! yields a counterexample of the right kind, which replays through the evaluator as reported.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::{
    BucketPolicy, Completeness, Intent, IntentBuilder, KeyPolicy, Layout,
    OrganizationWriteCondition, Partition,
};

const T1: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/main";
const T2: &str = "arn:aws:cloudtrail:eu-west-1:222222222222:trail/secondary";
const ORG_TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail";
const KEY: &str = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn base() -> IntentBuilder {
    Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .bucket_owner("999999999999".parse().unwrap())
        .key(KEY.parse().unwrap())
}

/// Intents covering every statement the generators write.
fn intents() -> Vec<(&'static str, Intent)> {
    vec![
        ("single", base().trail(T1.parse().unwrap()).build().unwrap()),
        (
            "two accounts, readers, protections",
            base()
                .trail(T1.parse().unwrap())
                .trail(T2.parse().unwrap())
                .account("333333333333".parse().unwrap())
                .reader(
                    "arn:aws:iam::999999999999:role/team/Reader"
                        .parse()
                        .unwrap(),
                )
                .reader("arn:aws:iam::444444444444:user/auditor".parse().unwrap())
                .key_admin("arn:aws:iam::444444444444:role/KeyAdmin".parse().unwrap())
                .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
                .policy_admin("arn:aws:iam::999999999999:role/Admin".parse().unwrap())
                .build()
                .unwrap(),
        ),
        (
            "bucket key, its decrypt scoped, organization writes by organization id",
            base()
                .prefix("cloudtrail".parse().unwrap())
                .organization_trail("o-a1b2c3d4e5".parse().unwrap(), ORG_TRAIL.parse().unwrap())
                .organization_write_condition(OrganizationWriteCondition::SourceOrgId)
                .trail(T2.parse().unwrap())
                .bucket_key(true)
                .scope_bucket_key_decrypt(true)
                .reader("arn:aws:iam::444444444444:role/Reader".parse().unwrap())
                .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse().unwrap())
                .build()
                .unwrap(),
        ),
        (
            "bucket key, documented layout",
            base()
                .trail(T1.parse().unwrap())
                .account("333333333333".parse().unwrap())
                .layout(Layout::Documented)
                .bucket_key(true)
                .reader("arn:aws:iam::444444444444:role/Reader".parse().unwrap())
                .allow_insecure_transport()
                .build()
                .unwrap(),
        ),
        (
            "organization",
            base()
                .organization_trail("o-a1b2c3d4e5".parse().unwrap(), ORG_TRAIL.parse().unwrap())
                .account("222222222222".parse().unwrap())
                .build()
                .unwrap(),
        ),
    ]
}

#[track_caller]
fn assert_complete(what: &str, proof: &Completeness) {
    assert!(
        proof.is_complete(),
        "{what}: {}",
        serde_json::to_string_pretty(proof).unwrap()
    );
    assert!(proof.regions() > 0, "{what}: no regions");
}

#[test]
fn every_generated_bucket_policy_is_complete() {
    for (name, i) in intents() {
        let policy = BucketPolicy::generate(&i).unwrap();
        assert_complete(name, &policy.complete(&i));
    }
}

#[test]
fn every_generated_key_policy_is_complete() {
    for (name, i) in intents() {
        for decrypt in [false, true] {
            let policy = KeyPolicy::builder(&i)
                .cloudtrail_decrypt(decrypt)
                .build()
                .unwrap();
            assert_complete(name, &policy.complete(&i));
        }
    }
}

use cloudtrail_policy::{CounterexampleKind, IncompleteReason, PolicyDocument};
use serde_json::{Value, json};

/// An edit of a policy's JSON.
type Edit<'a> = Box<dyn Fn(&mut Value) + 'a>;

/// A policy kind under test: how to prove a document of it.
type Prover<'a> = &'a dyn Fn(&PolicyDocument) -> Completeness;

/// Applies `mutate` to statement `i` of `doc` and proves the result.
fn mutated(
    doc: &PolicyDocument,
    prove: Prover<'_>,
    mutate: impl FnOnce(&mut Value),
) -> Completeness {
    let mut v: Value = serde_json::from_str(&doc.to_json()).unwrap();
    mutate(&mut v);
    let doc = PolicyDocument::from_json(&v.to_string())
        .unwrap_or_else(|e| panic!("mutation made an invalid policy: {e}\n{v:#}"));
    prove(&doc)
}

#[track_caller]
fn assert_finds(what: &str, proof: &Completeness, kind: CounterexampleKind) {
    assert!(
        proof.incomplete_reason().is_none(),
        "{what}: incomplete: {:?}",
        proof.incomplete_reason()
    );
    assert!(
        proof.counterexamples().iter().any(|c| c.kind() == kind),
        "{what}: no {kind:?} counterexample in {}",
        serde_json::to_string_pretty(proof).unwrap()
    );
}

fn statements(v: &mut Value) -> &mut Vec<Value> {
    v["Statement"].as_array_mut().unwrap()
}

/// Every widening and every narrowing of each statement of `doc`, with the kind of
/// counterexample it must yield.
fn mutation_suite(doc: &PolicyDocument, prove: Prover<'_>, service: &str) {
    let n = doc.statements().len();
    let json: Value = serde_json::from_str(&doc.to_json()).unwrap();
    for i in 0..n {
        let st = json["Statement"][i].clone();
        let sid = st["Sid"].as_str().unwrap_or("?").to_owned();
        let allow = st["Effect"] == "Allow";
        // Dropping a statement: an allow refuses an intended request, a deny lets an unwanted
        // request through to the caller's account.
        let kind = if allow {
            CounterexampleKind::Refused
        } else {
            CounterexampleKind::MissingDeny
        };
        let proof = mutated(doc, prove, |v| {
            statements(v).remove(i);
        });
        assert_finds(&format!("drop {sid}"), &proof, kind);

        // Loosening each condition: an allow allows more, a deny denies more.
        let conditions: Vec<(String, String)> = st["Condition"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(op, keys)| {
                keys.as_object()
                    .into_iter()
                    .flatten()
                    .map(move |(k, _)| (op.clone(), k.clone()))
            })
            .collect();
        for (op, key) in conditions {
            let kind = if allow {
                CounterexampleKind::Unintended
            } else {
                CounterexampleKind::Overdenied
            };
            let drop = |v: &mut Value| {
                let c = statements(v)[i]["Condition"].as_object_mut().unwrap();
                let keys = c[&op].as_object_mut().unwrap();
                keys.remove(&key);
                if keys.is_empty() {
                    c.remove(&op);
                }
            };
            assert_finds(
                &format!("{sid} without {op} {key}"),
                &mutated(doc, prove, drop),
                kind,
            );
            if op.starts_with("StringEquals") || op.starts_with("ArnEquals") {
                // The same values, as patterns with a wildcard in the place of their last
                // character.
                let loosen = |v: &mut Value| {
                    let c = statements(v)[i]["Condition"].as_object_mut().unwrap();
                    let values = c.remove(&op).unwrap()[&key].clone();
                    let like = op.replace("Equals", "Like");
                    let wide: Vec<Value> = match values {
                        Value::Array(a) => a,
                        one => vec![one],
                    }
                    .into_iter()
                    .map(|x| {
                        let mut s = x.as_str().unwrap().to_owned();
                        s.pop();
                        json!(format!("{s}*"))
                    })
                    .collect();
                    c.insert(like, json!({ key.clone(): wide }));
                };
                if allow {
                    assert_finds(
                        &format!("{sid} with {op} {key} loosened"),
                        &mutated(doc, prove, loosen),
                        CounterexampleKind::Unintended,
                    );
                }
            }
        }
        if !allow {
            continue;
        }
        // Widening an allow: any principal, every action, every resource, one more account.
        let widenings: [(&str, Edit<'_>); 5] = [
            (
                "to anyone",
                Box::new(|v| statements(v)[i]["Principal"] = json!("*")),
            ),
            (
                "to every AWS principal",
                Box::new(|v| statements(v)[i]["Principal"] = json!({"AWS": "*"})),
            ),
            (
                "to every action",
                Box::new(move |v| statements(v)[i]["Action"] = json!(format!("{service}:*"))),
            ),
            (
                "to every resource",
                Box::new(|v| statements(v)[i]["Resource"] = json!("*")),
            ),
            (
                "to another account",
                Box::new(|v| {
                    let p = &mut statements(v)[i]["Principal"];
                    let mut aws = match p["AWS"].take() {
                        Value::Array(a) => a,
                        one => vec![one],
                    };
                    aws.push(json!("arn:aws:iam::555555555555:root"));
                    p["AWS"] = json!(aws);
                }),
            ),
        ];
        for (how, widen) in widenings {
            if how == "to every resource" && service == "kms" {
                continue; // A key policy's resource is always `*`, the key itself.
            }
            if how == "to every action" && st["Action"] == json!(format!("{service}:*")) {
                continue;
            }
            if how == "to another account" && st["Principal"].get("Service").is_some() {
                // Only a service's own request carries `aws:SourceArn`: another account's
                // principals can never meet a service statement's conditions.
                continue;
            }
            assert_finds(
                &format!("{sid} widened {how}"),
                &mutated(doc, prove, widen),
                CounterexampleKind::Unintended,
            );
        }
    }
}

#[test]
fn every_widening_and_narrowing_of_a_bucket_policy_is_found() {
    for (name, i) in intents() {
        let policy = BucketPolicy::generate(&i).unwrap();
        let prove = |d: &PolicyDocument| BucketPolicy::prove(d, &i, policy.layout());
        mutation_suite(policy.document(), &prove, "s3");
        // A statement of another bucket's policy, pasted in.
        let other = base()
            .bucket("other-logs".parse().unwrap())
            .trail(T1.parse().unwrap())
            .build()
            .unwrap();
        let foreign = BucketPolicy::generate(&other).unwrap();
        let write = foreign
            .document()
            .statements()
            .iter()
            .position(|s| s.sid().is_some_and(|s| s.contains("Write")))
            .unwrap();
        let foreign_json: Value = serde_json::from_str(&foreign.document().to_json()).unwrap();
        let proof = mutated(policy.document(), &prove, |v| {
            statements(v).push(foreign_json["Statement"][write].clone());
        });
        assert_finds(
            &format!("{name}: another bucket's statement"),
            &proof,
            CounterexampleKind::Unintended,
        );
    }
}

#[test]
fn every_widening_and_narrowing_of_a_key_policy_is_found() {
    for (_, i) in intents() {
        for decrypt in [false, true] {
            let policy = KeyPolicy::builder(&i)
                .cloudtrail_decrypt(decrypt)
                .build()
                .unwrap();
            let prove = |d: &PolicyDocument| KeyPolicy::prove(d, &i, decrypt);
            mutation_suite(policy.document(), &prove, "kms");
        }
    }
}

#[path = "../fuzz/common/mod.rs"]
#[allow(dead_code, clippy::all, reason = "shared with the fuzz targets")]
mod common;

/// A deterministic stream of bytes (xorshift), so the brute-force check is reproducible.
fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// `doc` with up to four random edits chosen by `c`: drop, open to anyone, every action, every
/// resource, no conditions, flipped effect, a loosened operator, or a random extra deny.
fn randomly_edited(
    doc: &PolicyDocument,
    c: &mut common::Choices<'_>,
    service: &str,
) -> PolicyDocument {
    let mut v: Value = serde_json::from_str(&doc.to_json()).unwrap();
    for _ in 0..c.byte() % 5 {
        let n = statements(&mut v).len();
        if n == 0 {
            break;
        }
        let i = c.index(n);
        let st = &mut statements(&mut v)[i];
        match c.byte() % 8 {
            0 => {
                statements(&mut v).remove(i);
            }
            1 if c.bit() => st["Principal"] = json!("*"),
            // Whether this names service principals AWS does not say: proved both ways.
            1 => st["Principal"] = json!({"AWS": "*"}),
            2 => st["Action"] = json!(format!("{service}:*")),
            3 if service == "s3" => st["Resource"] = json!("*"),
            4 => {
                st.as_object_mut().unwrap().remove("Condition");
            }
            5 => {
                let flipped = if st["Effect"] == "Allow" {
                    "Deny"
                } else {
                    "Allow"
                };
                st["Effect"] = json!(flipped);
            }
            6 => {
                if let Some(c) = st.get_mut("Condition").and_then(Value::as_object_mut) {
                    let ops: Vec<String> =
                        c.keys().filter(|k| k.contains("Equals")).cloned().collect();
                    for op in ops {
                        let keys = c.remove(&op).unwrap();
                        let like: serde_json::Map<String, Value> = keys
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(k, vals)| {
                                let wide: Vec<Value> = match vals {
                                    Value::Array(a) => a.clone(),
                                    one => vec![one.clone()],
                                }
                                .into_iter()
                                .map(|x| {
                                    let mut s = x.as_str().unwrap_or_default().to_owned();
                                    s.truncate(s.len() / 2);
                                    json!(format!("{s}*"))
                                })
                                .collect();
                                (k.clone(), json!(wide))
                            })
                            .collect();
                        c.insert(op.replace("Equals", "Like"), Value::Object(like));
                    }
                }
            }
            _ => {
                let own = common::requests::PolicyStrings::of(doc);
                let deny = common::requests::deny(c, &own);
                statements(&mut v).push(serde_json::to_value(&deny).unwrap());
            }
        }
    }
    PolicyDocument::from_json(&v.to_string()).unwrap_or_else(|_| doc.clone())
}

/// The brute-force check: for generated policies with random edits, on many random realistic
/// requests, the region each falls in gives the evaluator's verdict and the intent's judgement;
/// a request the intent does not accept never meets a proof that says complete, and falls in a
/// reported counterexample's region; every counterexample replays as reported.
#[test]
fn the_partition_agrees_with_the_evaluator_on_random_requests() {
    let mut total = common::prove::Sampled::default();
    let mut complete = 0;
    let mut found = 0;
    let mut incomplete = 0;
    let intents = intents();
    for seed in 0..240u64 {
        let data = bytes(seed, 8192);
        let mut c = common::Choices::new(&data);
        let (_, intent) = &intents[c.index(intents.len())];
        let bucket = c.bit();
        let decrypt = c.bit();
        let generated = if bucket {
            BucketPolicy::generate(intent).unwrap().into_document()
        } else {
            KeyPolicy::builder(intent)
                .cloudtrail_decrypt(decrypt)
                .build()
                .unwrap()
                .into_document()
        };
        let policy = randomly_edited(&generated, &mut c, if bucket { "s3" } else { "kms" });
        let (proof, expectation) = if bucket {
            let layout = BucketPolicy::generate(intent).unwrap().layout();
            (
                BucketPolicy::prove(&policy, intent, layout),
                BucketPolicy::expectation(intent, layout).unwrap(),
            )
        } else {
            (
                KeyPolicy::prove(&policy, intent, decrypt),
                KeyPolicy::expectation(intent, decrypt).unwrap(),
            )
        };
        // A random edit can leave the fragment (a `Null` with a non-Boolean value, …).
        incomplete += usize::from(proof.incomplete_reason().is_some());
        complete += usize::from(proof.is_complete());
        found += usize::from(!proof.counterexamples().is_empty());
        let s = common::prove::check_proof(&policy, &proof, &expectation, &mut c, 256);
        total.judged += s.judged;
        total.unaccepted += s.unaccepted;
    }
    eprintln!(
        "{complete} complete, {found} with counterexamples, {incomplete} incomplete, {total:?}"
    );
    // The sample reaches both kinds of proof, and many requests of each kind.
    assert!(incomplete <= 24, "{incomplete} incomplete proofs");
    assert!(complete >= 20, "only {complete} complete proofs");
    assert!(found >= 60, "only {found} proofs with counterexamples");
    assert!(
        total.judged >= 7_000,
        "only {} requests judged",
        total.judged
    );
    assert!(
        total.unaccepted >= 50,
        "only {} unaccepted requests",
        total.unaccepted
    );
}

/// Lint holds an existing policy to the intent over every request: each unintended grant and
/// each refused delivery is a finding that carries a request showing it.
#[test]
fn lint_reports_each_unintended_allow_and_refusal_with_a_counterexample() {
    // Deletion allowed, so that a grant to delete is not overridden by the crate's deny.
    let intent = base()
        .trail(T1.parse().unwrap())
        .trail(T2.parse().unwrap())
        .layout(Layout::Strict)
        .allow_delete()
        .build()
        .unwrap();
    let generated = BucketPolicy::generate(&intent).unwrap();
    let with = |extra: &str| {
        let mut v: Value = serde_json::from_str(&generated.document().to_json()).unwrap();
        statements(&mut v).push(serde_json::from_str(extra).unwrap());
        PolicyDocument::from_json(&v.to_string()).unwrap()
    };
    let shows =
        |policy: &PolicyDocument, action: &str| {
            let findings = BucketPolicy::lint(policy, &intent);
            let shown: Vec<&cloudtrail_policy::Counterexample> =
                findings.iter().filter_map(|f| f.counterexample()).collect();
            assert!(
                shown.iter().any(|c| c.request().action() == action
                    && c.kind() == CounterexampleKind::Unintended),
                "no counterexample for {action} in:\n{}",
                findings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            // In JSON, the finding carries the request in the members the probes use.
            let json = serde_json::to_value(&findings).unwrap();
            assert!(json.as_array().unwrap().iter().any(|f| {
                f["counterexample"]["action"] == action
                    && f["counterexample"]["principal"].is_object()
                    && f["counterexample"]["resource"].is_string()
            }));
        };
    // An organization-wide read of the logs.
    shows(
        &with(
            r#"{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
        ),
        "s3:GetObject",
    );
    // A trail writing into another account's folder.
    shows(
        &with(&format!(
            r#"{{"Sid":"Cross","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},
            "Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/222222222222/*",
            "Condition":{{"StringEquals":{{"aws:SourceArn":"{T1}"}}}}}}"#
        )),
        "s3:PutObject",
    );
    // Deletes and policy changes by another account.
    shows(
        &with(
            r#"{"Sid":"Delete","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},
            "Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*"}"#,
        ),
        "s3:DeleteObjectVersion",
    );
    shows(
        &with(
            r#"{"Sid":"Policy","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},
            "Action":"s3:PutBucketPolicy","Resource":"arn:aws:s3:::acme-cloudtrail-logs"}"#,
        ),
        "s3:PutBucketPolicy",
    );
    // A delivery the policy refuses: its statement dropped.
    let mut v: Value = serde_json::from_str(&generated.document().to_json()).unwrap();
    statements(&mut v).retain(|s| s["Sid"] != "CloudTrailPolicyWrite222222222222");
    let refusing = PolicyDocument::from_json(&v.to_string()).unwrap();
    let findings = BucketPolicy::lint(&refusing, &intent);
    assert!(
        findings.iter().any(|f| f
            .counterexample()
            .is_some_and(|c| c.kind() == CounterexampleKind::Refused
                && c.request().resource().contains("/AWSLogs/222222222222/"))),
        "{findings:?}"
    );

    // Public key administration: `kms:PutKeyPolicy` for anyone.
    let key = KeyPolicy::generate(&intent).unwrap();
    let mut v: Value = serde_json::from_str(&key.document().to_json()).unwrap();
    statements(&mut v).push(
        json!({"Sid":"Anyone","Effect":"Allow","Principal":{"AWS":"*"},
        "Action":"kms:PutKeyPolicy","Resource":"*"}),
    );
    let findings = KeyPolicy::lint(&PolicyDocument::from_json(&v.to_string()).unwrap(), &intent);
    assert!(
        findings.iter().any(|f| f
            .counterexample()
            .is_some_and(|c| c.request().action() == "kms:PutKeyPolicy"
                && c.kind() == CounterexampleKind::Unintended)),
        "{findings:?}"
    );
}

/// An incomplete proof says why as a kind a program can match and as words for the JSON.
#[test]
fn an_incomplete_proof_says_why_by_kind_and_in_words() {
    let (_, intent) = intents().into_iter().nth(1).unwrap();
    let generated = BucketPolicy::generate(&intent).unwrap();
    let mut v: Value = serde_json::from_str(&generated.document().to_json()).unwrap();
    statements(&mut v).push(json!({
        "Sid": "AllButRoot",
        "Effect": "Deny",
        "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": "s3:PutBucketPolicy",
        "Resource": "arn:aws:s3:::acme-cloudtrail-logs"
    }));
    let policy = PolicyDocument::from_json(&v.to_string()).unwrap();
    let proof = BucketPolicy::prove(&policy, &intent, Layout::Strict);
    let why = proof
        .incomplete_reason()
        .expect("NotPrincipal is outside the fragment");
    assert!(
        matches!(why, IncompleteReason::NotModelled(what) if what.contains("NotPrincipal")),
        "{why:?}"
    );
    assert!(!proof.is_complete());
    let json = serde_json::to_value(&proof).unwrap();
    assert_eq!(json["incomplete"], json!("`NotPrincipal` is not modelled"));
    assert_eq!(json["regions"], json!(0));
}

/// Policies a review constructed to slip past an earlier version of the proof: each allows a
/// request the intent does not accept (or uses a construct the proof cannot cut exactly), so
/// the proof must never call it complete.
#[test]
fn the_reviewed_blind_spots_are_never_called_complete() {
    let (_, intent) = intents().into_iter().nth(1).unwrap();
    let generated = BucketPolicy::generate(&intent).unwrap();
    let with = |extra: &[&str], version: Option<&str>| {
        let mut v: Value = serde_json::from_str(&generated.document().to_json()).unwrap();
        for e in extra {
            statements(&mut v).push(serde_json::from_str(e).unwrap());
        }
        match version {
            Some(version) => v["Version"] = json!(version),
            None => {
                v.as_object_mut().unwrap().remove("Version");
            }
        }
        PolicyDocument::from_json(&v.to_string()).unwrap()
    };
    let logs = "arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*";
    let cases: Vec<(&str, PolicyDocument, Option<&str>)> = vec![
        (
            "a PrincipalArn pattern whose shortest match is a named reader",
            with(
                &[&format!(
                    r#"{{"Sid":"AuditRead","Effect":"Allow","Principal":{{"AWS":"444444444444"}},"Action":"s3:GetObject","Resource":"{logs}","Condition":{{"ArnLike":{{"aws:PrincipalArn":"arn:aws:iam::444444444444:user/auditor*"}}}}}}"#
                )],
                Some("2012-10-17"),
            ),
            Some("arn:aws:iam::444444444444:user/auditor"),
        ),
        (
            // (Not the account's root: naming it names every principal of the account.)
            "a deny of the very names an earlier proof made up",
            with(
                &[
                    &format!(
                        r#"{{"Sid":"Open","Effect":"Allow","Principal":{{"AWS":"555555555555"}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                    ),
                    &format!(
                        r#"{{"Sid":"Shut","Effect":"Deny","Principal":{{"AWS":["arn:aws:iam::555555555555:role/Probe","arn:aws:iam::555555555555:user/probe"]}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                    ),
                ],
                Some("2012-10-17"),
            ),
            Some("arn:aws:"),
        ),
        (
            "a session named as principal, of a role at a path a deny does not name",
            with(
                &[
                    &format!(
                        r#"{{"Sid":"Session","Effect":"Allow","Principal":{{"AWS":"arn:aws:sts::555555555555:assumed-role/Reader/alice"}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                    ),
                    &format!(
                        r#"{{"Sid":"NotTheRole","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"{logs}","Condition":{{"ArnEquals":{{"aws:PrincipalArn":"arn:aws:iam::555555555555:role/Reader"}}}}}}"#
                    ),
                ],
                Some("2012-10-17"),
            ),
            Some("/Reader\""),
        ),
        (
            "a session of a named role, at a path a deny does not name",
            with(
                &[
                    &format!(
                        r#"{{"Sid":"Role","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::555555555555:role/Auditor"}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                    ),
                    &format!(
                        r#"{{"Sid":"NotTheRole","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"{logs}","Condition":{{"ArnEquals":{{"aws:PrincipalArn":"arn:aws:iam::555555555555:role/Auditor"}}}}}}"#
                    ),
                ],
                Some("2012-10-17"),
            ),
            Some("/Auditor\""),
        ),
        (
            "a named session whose name the proof gave the role's other sessions",
            with(
                &[
                    &format!(
                        r#"{{"Sid":"Role","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::555555555555:role/Auditor"}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                    ),
                    &format!(
                        r#"{{"Sid":"NotThatSession","Effect":"Deny","Principal":{{"AWS":"arn:aws:sts::555555555555:assumed-role/Auditor/probe"}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                    ),
                    &format!(
                        r#"{{"Sid":"NotTheRole","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"{logs}","Condition":{{"ArnEquals":{{"aws:PrincipalArn":"arn:aws:iam::555555555555:role/Auditor"}}}}}}"#
                    ),
                ],
                Some("2012-10-17"),
            ),
            Some("assumed-role/Auditor/probe1"),
        ),
        (
            "a session named with a wildcard in its role's name",
            with(
                &[&format!(
                    r#"{{"Sid":"Sessions","Effect":"Allow","Principal":{{"AWS":"arn:aws:sts::555555555555:assumed-role/Read*/alice"}},"Action":"s3:GetObject","Resource":"{logs}"}}"#
                )],
                Some("2012-10-17"),
            ),
            None,
        ),
        (
            "a pattern on the service's name",
            with(
                &[&format!(
                    r#"{{"Sid":"Svc","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"{logs}","Condition":{{"StringLike":{{"aws:PrincipalServiceName":"delivery.logs.*"}}}}}}"#
                )],
                Some("2012-10-17"),
            ),
            None,
        ),
        (
            "a partly wildcarded account",
            with(
                &[&format!(
                    r#"{{"Sid":"Some","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"{logs}","Condition":{{"ArnLike":{{"aws:PrincipalArn":"arn:aws:iam::12345678901?:role/*"}}}}}}"#
                )],
                Some("2012-10-17"),
            ),
            None,
        ),
        (
            "a federated user",
            with(
                &[&format!(
                    r#"{{"Sid":"Fed","Effect":"Allow","Principal":{{"AWS":"555555555555"}},"Action":"s3:GetObject","Resource":"{logs}","Condition":{{"ArnLike":{{"aws:PrincipalArn":"arn:aws:sts::555555555555:federated-user/*"}}}}}}"#
                )],
                Some("2012-10-17"),
            ),
            Some("federated-user/"),
        ),
        (
            "a variable-looking value in a policy without a version",
            with(
                &[&format!(
                    r#"{{"Sid":"Var","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"{logs}","Condition":{{"StringEquals":{{"aws:UserAgent":"${{aws:username}}"}}}}}}"#
                )],
                None,
            ),
            None,
        ),
        (
            "a number past f64's precision",
            with(
                &[
                    r#"{"Sid":"Num","Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-cloudtrail-logs","Condition":{"NumericGreaterThan":{"s3:max-keys":"10000000000000000"}}}"#,
                ],
                Some("2012-10-17"),
            ),
            None,
        ),
        (
            "an ARN operator on a key that takes any string",
            with(
                &[
                    &format!(
                        r#"{{"Sid":"Ref","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"{logs}","Condition":{{"Null":{{"aws:Referer":"false"}},"StringNotLike":{{"aws:Referer":"arn:*"}}}}}}"#
                    ),
                    r#"{"Sid":"Tag","Effect":"Deny","Principal":"*","Action":"s3:PutObjectTagging","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*","Condition":{"ArnLike":{"aws:Referer":"arn:aws:iam::*:role/x"}}}"#,
                ],
                Some("2012-10-17"),
            ),
            None,
        ),
    ];
    for (what, policy, caller_hint) in cases {
        let proof = BucketPolicy::prove(&policy, &intent, Layout::Strict);
        assert!(!proof.is_complete(), "{what}: called complete");
        if let Some(hint) = caller_hint {
            // Where the proof decides, it shows the request.
            assert!(
                proof.counterexamples().iter().any(|c| {
                    c.kind() == CounterexampleKind::Unintended
                        && serde_json::to_string(c.request()).unwrap().contains(hint)
                }),
                "{what}: {}",
                serde_json::to_string_pretty(&proof).unwrap()
            );
        }
    }

    // A key the stack will create: KMS matches a policy's Resource against the key's ARN.
    let intent = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .trail(T1.parse().unwrap())
        .key_to_create(
            "arn:aws:kms:us-east-1:999999999999:alias/cloudtrail"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let key = KeyPolicy::generate(&intent).unwrap();
    let mut v: Value = serde_json::from_str(&key.document().to_json()).unwrap();
    statements(&mut v).push(
        json!({"Sid":"AnyKey","Effect":"Allow","Principal":{"AWS":"*"},
        "Action":"kms:*","Resource":"arn:aws:kms:us-east-1:999999999999:key/*"}),
    );
    let proof = KeyPolicy::prove(
        &PolicyDocument::from_json(&v.to_string()).unwrap(),
        &intent,
        false,
    );
    assert!(
        !proof.is_complete(),
        "{}",
        serde_json::to_string_pretty(&proof).unwrap()
    );
}
