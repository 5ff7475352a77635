//! `prove`: an arbitrary policy (the text before the first `0xFF` byte), an intent and requests
//! chosen by the bytes after it. The complete proof never panics; every counterexample it
//! reports replays through the evaluator as reported; and on every sampled request the proof's
//! region gives the evaluator's verdict and the intent's judgement, so a request that the
//! intent does not accept is never missed by a proof that says complete.

use cloudtrail_policy::document::{Clause, PolicyDocument, Principal};
use cloudtrail_policy::eval::{Caller, ContextValue, Request, evaluate};
use cloudtrail_policy::proof::{Expectation, Outside};
use cloudtrail_policy::{
    AccountId, BucketName, BucketPolicy, Completeness, Intent, KeyPolicy, Layout, Partition,
    PrincipalArn, TrailArn,
};

use super::Choices;
use super::requests::{PolicyStrings, request};

/// How many requests each input samples.
const SAMPLES: usize = 128;

/// The most counterexamples a proof reports (the regions past it have none to point at).
const REPORTED: usize = 32;

/// Checks the proof's laws on `data`.
pub fn check(data: &[u8]) {
    let (policy, choices) = super::split(data);
    let Ok(policy) = PolicyDocument::from_json(&super::text(policy)) else {
        return;
    };
    check_policy(&policy, &mut Choices::new(choices), SAMPLES);
}

/// The strings of a policy that parse as what an intent names.
struct Named {
    bucket: Option<BucketName>,
    trails: Vec<TrailArn>,
    accounts: Vec<AccountId>,
    principals: Vec<PrincipalArn>,
}

fn named(policy: &PolicyDocument) -> Named {
    let mut all: Vec<String> = Vec::new();
    for s in policy.statements() {
        all.extend(
            s.resource()
                .into_iter()
                .flat_map(|c| c.value().iter().cloned()),
        );
        if let Some(Principal::Typed(map)) = s.principal().map(Clause::value) {
            all.extend(map.values().flatten().cloned());
        }
        all.extend(
            s.condition()
                .values()
                .flat_map(|k| k.values().flatten().cloned()),
        );
    }
    let bucket = all.iter().find_map(|r| {
        let name = r.strip_prefix("arn:aws:s3:::")?;
        name.split('/').next()?.parse().ok()
    });
    Named {
        bucket,
        trails: all.iter().filter_map(|s| s.parse().ok()).collect(),
        accounts: all
            .iter()
            .filter_map(|s| s.parse().ok())
            .chain(
                ["111122223333".parse().ok(), "444455556666".parse().ok()]
                    .into_iter()
                    .flatten(),
            )
            .collect(),
        principals: all.iter().filter_map(|s| s.parse().ok()).collect(),
    }
}

/// An intent chosen by `c` from what `policy` names (so that the proof has work to do) and a
/// few fixed values.
fn intent(policy: &PolicyDocument, c: &mut Choices<'_>) -> Option<Intent> {
    let n = named(policy);
    let bucket = n.bucket.or_else(|| "amzn-s3-demo-bucket".parse().ok())?;
    let mut b = Intent::builder(Partition::Aws)
        .bucket(bucket)
        .bucket_owner("111122223333".parse().ok()?)
        .key(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse()
                .ok()?,
        );
    for t in n.trails.iter().take(4) {
        if c.bit() {
            b = b.trail(t.clone());
        }
    }
    for a in n.accounts.iter().take(4) {
        if c.byte().is_multiple_of(4) {
            b = b.account(a.clone());
        }
    }
    for p in n.principals.iter().take(4) {
        match c.byte() % 6 {
            0 => b = b.reader(p.clone()),
            1 => b = b.delete_exempt(p.clone()),
            2 => b = b.policy_admin(p.clone()),
            3 => b = b.key_admin(p.clone()),
            _ => {}
        }
    }
    if c.byte().is_multiple_of(4) {
        b = b.allow_insecure_transport();
    }
    if c.byte().is_multiple_of(4) {
        b = b.allow_delete();
    }
    if c.byte().is_multiple_of(3) {
        b = b.trail(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"
                .parse()
                .ok()?,
        );
    }
    b.build().ok()
}

/// The request as AWS could send it to a resource of the `aws` partition, or `None`: an IAM or
/// STS caller of the partition with a 12-digit account, and the caller keys AWS sets from the
/// caller: the principal's ARN (a session's role, at `/` or another path), account and
/// `kms:CallerAccount`; a service's name and, maybe, the resource it acts for.
pub fn realistic(req: &Request, c: &mut Choices<'_>) -> Option<Request> {
    const CALLER_KEYS: [&str; 9] = [
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalIsAWSService",
        "aws:PrincipalServiceName",
        "aws:SourceArn",
        "aws:SourceAccount",
        "aws:SourceOrgID",
        "kms:CallerAccount",
    ];
    let mut out = Request::new(req.caller().clone(), req.action(), req.resource());
    for (key, value) in req.context_entries() {
        if !CALLER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            out = match value {
                ContextValue::Single(v) => out.with_context(key, v.clone()),
                ContextValue::Multi(v) => out.with_context_values(key, v.clone()),
                ContextValue::Unknown | ContextValue::OneOf(_) => out,
            };
        }
    }
    // AWS always sends it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport).
    if req.context("aws:SecureTransport").is_none() {
        out = out.with_context(
            "aws:SecureTransport",
            if c.bit() { "true" } else { "false" },
        );
    }
    let org = *c.pick(&["o-exampleorg1", "o-other", ""]).unwrap_or(&"");
    match req.caller().clone() {
        Caller::Anonymous => Some(out),
        Caller::Aws(arn) => {
            let fields: Vec<&str> = arn.splitn(6, ':').collect();
            let [_, "aws", service @ ("iam" | "sts"), "", account, resource] = fields[..] else {
                return None;
            };
            if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let principal = match resource.strip_prefix("assumed-role/") {
                Some(rest) if service == "sts" => {
                    // A session's role has a path its ARN does not show.
                    let path = *c.pick(&["", "", "team/", "a/b/"]).unwrap_or(&"");
                    format!(
                        "arn:aws:iam::{account}:role/{path}{}",
                        rest.split('/').next().unwrap_or_default()
                    )
                }
                _ => arn.clone(),
            };
            out = out
                .with_context("aws:PrincipalArn", principal)
                .with_context("aws:PrincipalAccount", account)
                .with_context("aws:PrincipalIsAWSService", "false");
            if req.action().starts_with("kms:") {
                out = out.with_context("kms:CallerAccount", account);
            }
            if !org.is_empty() {
                out = out.with_context("aws:PrincipalOrgID", org);
            }
            Some(out)
        }
        Caller::Service(name) => {
            out = out
                .with_context("aws:PrincipalIsAWSService", "true")
                .with_context("aws:PrincipalServiceName", name);
            let source = req.context("aws:SourceArn").and_then(|v| match v {
                ContextValue::Single(s) => Some(s.clone()),
                _ => None,
            });
            if let Some(source) = source.filter(|_| c.bit()) {
                // A source that names its account (a trail) comes with it; one that does not
                // (a bucket) with its owner's, which may be any account.
                match source.split(':').nth(4).filter(|a| !a.is_empty()) {
                    Some(account) => out = out.with_context("aws:SourceAccount", account),
                    None => {
                        if let Some(account) =
                            c.pick(&["111122223333", "999999999999", "444455556666", ""])
                            && !account.is_empty()
                        {
                            out = out.with_context("aws:SourceAccount", *account);
                        }
                    }
                }
                out = out.with_context("aws:SourceArn", source);
                if !org.is_empty() {
                    out = out.with_context("aws:SourceOrgID", org);
                }
            }
            Some(out)
        }
    }
}

/// Proves `policy` against an intent chosen by `c` (as a bucket or as a key policy), and holds
/// the proof to the evaluator and the intent on `samples` requests chosen by `c`.
pub fn check_policy(policy: &PolicyDocument, c: &mut Choices<'_>, samples: usize) {
    let Some(intent) = intent(policy, c) else {
        return;
    };
    let (proof, expectation) = if c.bit() {
        let layout = if c.bit() {
            Layout::Strict
        } else {
            Layout::Documented
        };
        (
            BucketPolicy::prove(policy, &intent, layout),
            BucketPolicy::expectation(&intent, layout),
        )
    } else {
        let decrypt = c.bit();
        (
            KeyPolicy::prove(policy, &intent, decrypt),
            KeyPolicy::expectation(&intent, decrypt),
        )
    };
    let Some(expectation) = expectation else {
        return;
    };
    let _ = check_proof(policy, &proof, &expectation, c, samples);
}

/// `text` with each wildcard of a policy pattern it was copied from replaced by text chosen by
/// `c` (nothing, a letter, a digit, a path, a colon, a name's worth), so that the requests land
/// inside the patterns' regions and next to the names they list.
fn instance(text: &str, c: &mut Choices<'_>) -> String {
    const STARS: [&str; 6] = ["", "a", "7", "x/y", ":", "Admin2"];
    const ONES: [&str; 4] = ["a", "1", ":", "Z"];
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '*' => out.push_str(c.pick(&STARS).copied().unwrap_or_default()),
            '?' => out.push_str(c.pick(&ONES).copied().unwrap_or_default()),
            other => out.push(other),
        }
    }
    // Sometimes one more character, to step just past a name the policy lists.
    if c.byte().is_multiple_of(8) {
        out.push('2');
    }
    out
}

/// `req` with its resource, its caller's name and its single context values instantiated
/// ([`instance`]).
fn instantiated(req: &Request, c: &mut Choices<'_>) -> Request {
    let caller = match req.caller() {
        Caller::Anonymous => Caller::Anonymous,
        Caller::Service(name) => Caller::Service(instance(name, c)),
        Caller::Aws(arn) => Caller::Aws(instance(arn, c)),
    };
    let mut out = Request::new(caller, req.action(), instance(req.resource(), c));
    for (key, value) in req.context_entries() {
        out = match value {
            ContextValue::Single(v) => out.with_context(key, instance(v, c)),
            ContextValue::Multi(v) => out.with_context_values(key, v.clone()),
            ContextValue::Unknown | ContextValue::OneOf(_) => out,
        };
    }
    out
}

/// How many sampled requests the proof judged, and how many of those the intent does not
/// accept.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sampled {
    pub judged: usize,
    pub unaccepted: usize,
}

/// The laws of one proof.
pub fn check_proof(
    policy: &PolicyDocument,
    proof: &Completeness,
    expectation: &Expectation,
    c: &mut Choices<'_>,
    samples: usize,
) -> Sampled {
    let mut sampled = Sampled::default();
    assert_eq!(
        proof.is_complete(),
        proof.incomplete_reason().is_none() && proof.counterexamples().is_empty()
    );
    for ce in proof.counterexamples() {
        assert_eq!(
            expectation.accepts(ce.request(), ce.verdict()),
            Ok(false),
            "counterexample {ce:?} is accepted by the intent"
        );
        if ce.assumes().is_some() {
            // A service's request under `{"AWS": "*"}`: the evaluator declines it, and the
            // counterexample says which reading it holds under.
            assert!(evaluate(policy, ce.request()).is_err(), "{ce:?}");
            continue;
        }
        let decision = evaluate(policy, ce.request()).expect("a counterexample is decidable");
        assert_eq!(decision.verdict(), ce.verdict(), "counterexample {ce:?}");
        assert_eq!(decision.deciding(), ce.deciding(), "counterexample {ce:?}");
        // Its region gets its verdict, is not accepted, and has a reported counterexample
        // (itself, or, when the policy was proved under two readings of `{"AWS": "*"}`, the
        // first reading's for the region).
        let judged = proof
            .judge(ce.request())
            .expect("a counterexample has a region");
        assert_eq!(judged.verdict(), ce.verdict(), "{ce:?}");
        assert!(!judged.accepted(), "{ce:?}");
        assert!(judged.counterexample().is_some(), "{ce:?}");
    }
    let own = PolicyStrings::of(policy);
    for _ in 0..samples {
        let Some(req) = realistic(&instantiated(&request(c, &own), c), c) else {
            continue;
        };
        let Ok(decision) = evaluate(policy, &req) else {
            continue;
        };
        let Ok(accepted) = expectation.accepts(&req, decision.verdict()) else {
            continue;
        };
        match proof.judge(&req) {
            Ok(judged) => {
                sampled.judged += 1;
                sampled.unaccepted += usize::from(!accepted);
                assert_eq!(judged.verdict(), decision.verdict(), "{req:?}");
                assert_eq!(judged.accepted(), accepted, "{req:?}");
                if !accepted {
                    assert!(
                        !proof.is_complete(),
                        "complete, but {req:?} is not accepted"
                    );
                    if proof.counterexamples().len() < REPORTED {
                        assert!(
                            judged.counterexample().is_some(),
                            "{req:?} has no counterexample"
                        );
                    }
                }
            }
            Err(Outside::Incomplete) => assert!(proof.incomplete_reason().is_some()),
            Err(Outside::Domain(_) | Outside::Multivalued | Outside::Undecided(_)) => {}
            Err(e) => panic!(
                "{e}: {req:?}\nproof: {}",
                serde_json::to_string(proof).unwrap_or_default()
            ),
        }
    }
    sampled
}
