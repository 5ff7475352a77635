//! `merge`: an arbitrary existing key policy (the text before the first `0xFF` byte) merged with
//! a generated one (the intent chosen by the bytes after it), through
//! `key_policy::merge_key_policy`.
//!
//! Laws: the merge is idempotent; the foreign statements (Sids not starting with
//! `CloudTrailPolicy`) come through unchanged and in order, followed by exactly the generated
//! ones; `Version` and `Id` are kept; and, under the evaluator, the merged policy is never wider
//! than its parts: for each request, it allows iff the foreign part or the generated part
//! allows and neither denies, and it denies iff either part denies.

use cloudtrail_policy::bucket_policy::SID_PREFIX;
use cloudtrail_policy::document::{PolicyDocument, Statement};
use cloudtrail_policy::eval::{Request, Verdict, evaluate};
use cloudtrail_policy::key_policy::{key_probes, merge_key_policy};
use cloudtrail_policy::{Intent, KeyPolicy, Partition, PolicyError};

use super::Choices;
use super::requests::{PolicyStrings, request};

fn is_ours(s: &Statement) -> bool {
    s.sid().is_some_and(|sid| sid.starts_with(SID_PREFIX))
}

/// An intent with a key, chosen by the bytes.
pub fn intent(c: &mut Choices<'_>) -> Option<Intent> {
    let mut b = Intent::builder(Partition::Aws, "amzn-s3-demo-bucket".parse().ok()?)
        .bucket_owner("111122223333".parse().ok()?)
        .bucket_region("us-east-1".parse().ok()?)
        .key(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse()
                .ok()?,
        )
        .bucket_key(c.bit());
    let shape = c.byte();
    if shape & 1 != 0 {
        b = b.trail(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"
                .parse()
                .ok()?,
        );
    }
    if shape & 2 != 0 {
        b = b.account("444455556666".parse().ok()?);
    }
    if shape & 4 != 0 {
        b = b.organization_trail(
            "o-exampleorg1".parse().ok()?,
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/org"
                .parse()
                .ok()?,
        );
    }
    if shape & 7 == 0 {
        b = b.account("111122223333".parse().ok()?);
    }
    if shape & 8 != 0 {
        b = b.reader("arn:aws:iam::111122223333:role/Auditor".parse().ok()?);
    }
    if shape & 16 != 0 {
        b = b.reader("arn:aws:iam::444455556666:role/Auditor".parse().ok()?);
    }
    if shape & 32 != 0 {
        b = b.key_admin("arn:aws:iam::111122223333:role/KeyAdmin".parse().ok()?);
    }
    b.build().ok()
}

/// Checks the merge laws on `data`.
pub fn check(data: &[u8]) {
    let (policy, choices) = super::split(data);
    let Ok(existing) = PolicyDocument::from_json(&super::text(policy)) else {
        return;
    };
    let mut c = Choices::new(choices);
    let Some(intent) = intent(&mut c) else {
        return;
    };
    let generated = match KeyPolicy::generate(&intent) {
        Ok(g) => g,
        Err(e) => panic!("the generator failed on a fixed small intent: {e}"),
    };
    let merged = match merge_key_policy(&existing, &generated) {
        Ok(m) => m,
        Err(PolicyError::KeyPolicyTooLarge { minified, .. }) => {
            assert!(minified > 32_768);
            return;
        }
        Err(e) => panic!("unexpected merge error: {e}"),
    };
    assert!(merged.minified_len() <= 32_768);

    // Idempotent.
    assert_eq!(
        merge_key_policy(&merged, &generated).as_ref(),
        Ok(&merged),
        "merging twice changed the policy"
    );

    // Foreign statements untouched and in order, then exactly the generated ones.
    let foreign: Vec<Statement> = existing
        .statements()
        .iter()
        .filter(|s| !is_ours(s))
        .cloned()
        .collect();
    let n = foreign.len();
    assert_eq!(merged.statements().get(..n), Some(foreign.as_slice()));
    assert_eq!(
        merged.statements().get(n..),
        Some(generated.document().statements())
    );
    assert_eq!(merged.version(), existing.version());
    assert_eq!(merged.id(), existing.id());
    super::document::round_trip(&merged);

    // Never wider: the verdict is the union of the parts'.
    let foreign_doc = existing.with_statements(foreign);
    let own = PolicyStrings::of(&existing);
    let mut requests: Vec<Request> = key_probes(&intent)
        .iter()
        .map(|p| p.request().clone())
        .collect();
    for _ in 0..4 {
        requests.push(request(&mut c, &own));
    }
    for req in &requests {
        let (Ok(m), Ok(f), Ok(g)) = (
            evaluate(&merged, req),
            evaluate(&foreign_doc, req),
            evaluate(generated.document(), req),
        ) else {
            continue;
        };
        let (m, f, g) = (m.verdict(), f.verdict(), g.verdict());
        let deny = f == Verdict::Deny || g == Verdict::Deny;
        let allow = !deny && (f == Verdict::Allow || g == Verdict::Allow);
        let want = if deny {
            Verdict::Deny
        } else if allow {
            Verdict::Allow
        } else {
            Verdict::ImplicitDeny
        };
        assert_eq!(
            m, want,
            "foreign {f}, generated {g}, merged {m} for {req:?}"
        );
    }
}
