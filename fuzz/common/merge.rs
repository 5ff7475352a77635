//! `merge`: an arbitrary existing policy (the text before the first `0xFF` byte) merged with a
//! generated bucket or key policy (the intent chosen by the bytes after it), through
//! `merge::merge`.
//!
//! Laws: the merge is idempotent (same text, nothing reported added, removed or changed);
//! the foreign statements (Sids not starting with `CloudTrailPolicy`) come through unchanged and
//! in order, followed by exactly the generated ones, and the merged text reads back as the merged
//! document; `Version` and `Id` are kept; a refusal names a statement or bucket that is really
//! there; and, under the evaluator, the merged policy is never wider: for each request it allows
//! only if the existing or the generated policy allows, and its verdict is exactly the union of
//! the foreign part's and the generated part's (a Deny of either wins).

use cloudtrail_policy::eval::{Request, Verdict, evaluate};
use cloudtrail_policy::{
    BucketPolicy, Intent, KeyPolicy, Layout, MergeError, Partition, PolicyDocument, PolicyKind,
    PolicyText, is_owned, merge,
};

use super::Choices;
use super::requests::{PolicyStrings, request};

/// An intent with a key, chosen by the bytes (trails, accounts, organization, readers, key
/// admins, prefix, protections, layout); `None` only if a constant here fails to parse, which
/// [`check`] treats as a bug of the harness.
pub fn intent(c: &mut Choices<'_>) -> Option<Intent> {
    // Not `amzn-s3-demo-bucket`: the bucket parser rejects that reserved prefix.
    let mut b = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().ok()?)
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
    match shape >> 6 {
        1 => b = b.prefix("cloudtrail".parse().ok()?),
        2 => b = b.prefix("logs/ct.v2".parse().ok()?),
        _ => {}
    }
    // Protections and layout, from a second byte.
    let extra = c.byte();
    if extra & 1 != 0 {
        b = b.allow_insecure_transport();
    }
    if extra & 2 != 0 {
        b = b.allow_delete();
    } else if extra & 4 != 0 {
        b = b.delete_exempt("arn:aws:iam::111122223333:role/BreakGlass".parse().ok()?);
    }
    if extra & 8 != 0 {
        b = b.policy_admin("arn:aws:iam::111122223333:role/PolicyAdmin".parse().ok()?);
    }
    match (extra >> 4) & 3 {
        1 => b = b.layout(Layout::Strict),
        2 => b = b.layout(Layout::Documented),
        _ => {}
    }
    b.build().ok()
}

/// Checks the merge laws on `data`.
pub fn check(data: &[u8]) {
    let (policy, choices) = super::split(data);
    let Ok(text) = PolicyText::from_json(&super::text(policy)) else {
        return;
    };
    let existing = text.document().clone();
    let mut c = Choices::new(choices);
    let Some(intent) = intent(&mut c) else {
        panic!("the harness's intent does not build: every choice must give a valid intent");
    };
    // A key policy or a bucket policy, with its limit and its probe requests.
    let (generated, kind, mut requests): (PolicyDocument, PolicyKind, Vec<Request>) = if c.bit() {
        let key = match KeyPolicy::generate(&intent) {
            Ok(k) => k,
            Err(e) => panic!("the key policy of a small intent failed: {e}"),
        };
        let probes = KeyPolicy::probes(&intent, intent.bucket_key())
            .iter()
            .map(|p| p.request().clone())
            .collect();
        (key.into_document(), PolicyKind::Key, probes)
    } else {
        let bucket = match BucketPolicy::generate(&intent) {
            Ok(b) => b,
            Err(e) => panic!("the bucket policy of a small intent failed: {e}"),
        };
        let probes = BucketPolicy::probes(&intent, bucket.layout())
            .iter()
            .map(|p| p.request().clone())
            .collect();
        (bucket.into_document(), PolicyKind::Bucket, probes)
    };
    let limit = kind.size_limit();
    let merged = match merge(&text, &generated, kind) {
        Ok(m) => m,
        Err(MergeError::TooLarge { minified, limit: l }) => {
            assert_eq!(l, limit);
            assert!(minified > limit);
            return;
        }
        Err(MergeError::WouldRemoveDeny { sid } | MergeError::WouldChangeDeny { sid, .. }) => {
            // Only a crate Deny the generated policy lacks is refused.
            assert!(existing.statements().iter().any(|s| is_owned(s)
                && s.sid() == Some(sid.as_str())
                && !generated.statements().contains(s)));
            return;
        }
        Err(MergeError::Unrecognised { sid, .. }) => {
            assert!(
                existing
                    .statements()
                    .iter()
                    .any(|s| is_owned(s) && s.sid() == Some(sid.as_str()))
            );
            return;
        }
        Err(MergeError::OtherBucket {
            existing: other,
            generated: ours,
        }) => {
            assert_ne!(other, ours);
            // As the policy names it, not as its JSON escapes it.
            assert!(existing.statements().iter().any(|s| {
                s.resource()
                    .is_some_and(|r| r.value().iter().any(|x| x.contains(&format!(":::{other}"))))
            }));
            return;
        }
        Err(e) => panic!("unexpected merge error: {e}"),
    };
    let doc = merged.document();
    assert!(merged.to_json().len() <= limit);
    match PolicyText::from_json(&merged.to_json()) {
        Ok(back) => assert_eq!(back.document(), doc, "the merged text reads back otherwise"),
        Err(e) => panic!("the merged text does not parse: {e}"),
    }

    // Idempotent.
    match merge(&merged, &generated, kind) {
        Ok(again) => {
            assert_eq!(
                again.to_json(),
                merged.to_json(),
                "merging twice changed the policy"
            );
            assert_eq!(again.document(), doc, "merging twice changed the policy");
            assert!(again.added_statements().is_empty());
            assert!(again.removed_statements().is_empty());
            assert!(again.changed_statements().is_empty());
            assert!(again.accounts_added().is_empty());
            assert!(again.accounts_removed().is_empty());
        }
        Err(e) => panic!("merging the merged policy again failed: {e}"),
    }

    // Foreign statements untouched and in order, then exactly the generated ones.
    let foreign: Vec<_> = existing
        .statements()
        .iter()
        .filter(|s| !is_owned(s))
        .cloned()
        .collect();
    let n = foreign.len();
    assert_eq!(doc.statements().get(..n), Some(foreign.as_slice()));
    assert_eq!(doc.statements().get(n..), Some(generated.statements()));
    assert_eq!(doc.version(), existing.version());
    assert_eq!(doc.id(), existing.id());
    super::document::round_trip(doc);

    // Never wider.
    let foreign_doc = existing.with_statements(foreign);
    let own = PolicyStrings::of(&existing);
    for _ in 0..4 {
        requests.push(request(&mut c, &own));
    }
    for req in &requests {
        let (Ok(m), Ok(f), Ok(g)) = (
            evaluate(doc, req),
            evaluate(&foreign_doc, req),
            evaluate(&generated, req),
        ) else {
            continue;
        };
        let (m, f, g) = (m.verdict(), f.verdict(), g.verdict());
        let deny = f == Verdict::Deny || g == Verdict::Deny;
        let want = if deny {
            Verdict::Deny
        } else if f == Verdict::Allow || g == Verdict::Allow {
            Verdict::Allow
        } else {
            Verdict::ImplicitDeny
        };
        assert_eq!(
            m, want,
            "foreign {f}, generated {g}, merged {m} for {req:?}"
        );
        if m == Verdict::Allow
            && let Ok(e) = evaluate(&existing, req)
        {
            assert!(
                e.verdict() == Verdict::Allow || g == Verdict::Allow,
                "merged allows what neither the existing ({}) nor the generated policy allows: {req:?}",
                e.verdict()
            );
        }
    }
}
