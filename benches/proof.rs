//! The complete proof. Run with `cargo bench --bench proof` (BENCHMARKS.md has the exact
//! commands and the numbers).
//!
//! - `proof/strict_limit_…`: the complete proof of the largest strict-layout bucket policy that
//!   fits S3's limit (one trail in each of about 150 accounts), and of its key policy.
//! - `proof/organization/N`: an organization trail's bucket and key policies, planned from a
//!   spec with an inventory of N member accounts: the proof's cost must not grow with N.
//! - `proof/example` and `probes/example`: the complete proofs of the built-in example's
//!   policies, and their probe matrices, for the ratio of the two.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    reason = "a benchmark fails loudly"
)]

use std::hint::black_box;
use std::time::Duration;

use cloudtrail_policy::{
    BucketPolicy, Intent, KeyPolicy, Layout, Partition, Plan, PolicyKind, Spec,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000 + i)
}

const KEY: &str = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The largest strict-layout, per-account-trail bucket policy that fits S3's limit.
fn intent_near_limit() -> Intent {
    let intent = |n: usize| {
        let mut b = Intent::builder(Partition::Aws)
            .bucket("acme-cloudtrail-logs".parse().unwrap())
            .bucket_owner("999999999999".parse().unwrap())
            .prefix("cloudtrail".parse().unwrap())
            .key(KEY.parse().unwrap())
            .layout(Layout::Strict)
            .reader(
                "arn:aws:iam::999999999999:role/SecurityAudit"
                    .parse()
                    .unwrap(),
            );
        for i in 0..n {
            b = b.trail(
                format!("arn:aws:cloudtrail:us-east-1:{}:trail/main", account(i))
                    .parse()
                    .unwrap(),
            );
        }
        b.build().unwrap()
    };
    let mut n = 1;
    while BucketPolicy::generate(&intent(n + 1)).is_ok() {
        n += 1;
    }
    intent(n)
}

/// One organization trail; every one of N member accounts already has a trail.
fn organization_plan(n: usize) -> Plan {
    let existing: Vec<Value> = (0..n)
        .map(|i| json!({"account": account(i), "home_region": "us-east-1", "name": "legacy"}))
        .collect();
    let spec = json!({
        "partition": "aws",
        "log_archive": {
            "account": "999999999999",
            "region": "us-east-1",
            "bucket": "acme-cloudtrail-logs",
            "kms_key": KEY,
            "readers": ["arn:aws:iam::999999999999:role/SecurityAudit"]
        },
        "organization": {"id": "o-a1b2c3d4e5", "management_account": "111111111111"},
        "trails": [{"name": "org-trail", "account": "111111111111", "home_region": "us-east-1",
                    "organization": true}],
        "existing_trails": existing,
    });
    Plan::from_spec(&Spec::from_json(&spec.to_string()).unwrap()).unwrap()
}

fn prove_plan(plan: &Plan) -> usize {
    let bucket = plan.bucket_policy().complete(plan.intent());
    assert!(bucket.is_complete());
    let key = plan.key_policy().map(|k| k.complete(plan.intent()));
    assert!(key.as_ref().is_none_or(|k| k.is_complete()));
    bucket.regions() + key.map_or(0, |k| k.regions())
}

fn proofs(c: &mut Criterion) {
    let intent = intent_near_limit();
    let bucket = BucketPolicy::generate(&intent).unwrap();
    assert_eq!(bucket.layout(), Layout::Strict);
    let size = bucket.document().minified_len();
    assert!(size <= PolicyKind::Bucket.size_limit());
    assert!(bucket.complete(&intent).is_complete());
    let key = KeyPolicy::generate(&intent).unwrap();
    let mut group = c.benchmark_group("proof");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    group.bench_function(format!("strict_limit_bucket_{size}b"), |b| {
        b.iter(|| black_box(&bucket).complete(black_box(&intent)))
    });
    group.bench_function(
        format!("strict_limit_key_{}b", key.document().minified_len()),
        |b| b.iter(|| black_box(&key).complete(black_box(&intent))),
    );
    for n in [1, 100, 10_000] {
        let plan = organization_plan(n);
        group.bench_with_input(BenchmarkId::new("organization", n), &plan, |b, plan| {
            b.iter(|| prove_plan(black_box(plan)))
        });
    }
    let example = Plan::from_spec(&Spec::from_json(Spec::EXAMPLE).unwrap()).unwrap();
    group.bench_function("example", |b| b.iter(|| prove_plan(black_box(&example))));
    group.finish();

    let mut group = c.benchmark_group("probes");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    group.bench_function("example", |b| b.iter(|| black_box(&example).verify()));
    group.finish();
}

criterion_group!(benches, proofs);
criterion_main!(benches);
