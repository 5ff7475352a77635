//! Lint benchmarks: `cargo bench --bench lint` (BENCHMARKS.md has the commands and the numbers).
//!
//! - `lint/bucket/N`: `BucketPolicy::lint` on the crate's policy for one trail plus N foreign
//!   statements (nine grants to roles of N/10·9 other accounts for every deny of one of them),
//!   the shape a long-merged policy takes. Linear work means N×10 costs about 10×.
//! - `lint/bucket_refused/20000`: a policy of 20,000 such statements, far over S3's 20 KB: the
//!   lint refuses it before any probe.
//! - `lint/key/N`: `KeyPolicy::lint` likewise, with `kms:Decrypt` grants.
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

use cloudtrail_policy::{BucketPolicy, Intent, KeyPolicy, Partition, PolicyDocument};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const KEY: &str = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn intent() -> Intent {
    Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse().unwrap())
        .bucket_owner("999999999999".parse().unwrap())
        .bucket_region("us-east-1".parse().unwrap())
        .key(KEY.parse().unwrap())
        .trail(
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// Statement `i` of the foreign part: a grant to a role of its own account, every tenth a deny.
fn foreign(i: usize, service: &str, resource: &str) -> String {
    let (effect, action) = match (i % 10, service) {
        (9, "s3") => ("Deny", "s3:DeleteObject"),
        (9, _) => ("Deny", "kms:ScheduleKeyDeletion"),
        (_, "s3") => ("Allow", "s3:GetObject"),
        (_, _) => ("Allow", "kms:Decrypt"),
    };
    format!(
        r#"{{"Sid":"Foreign{i}","Effect":"{effect}","Principal":{{"AWS":"arn:aws:iam::{:012}:role/Reader"}},"Action":"{action}","Resource":"{resource}"}}"#,
        200_000_000_000 + i / 10
    )
}

fn with_foreign(
    generated: &PolicyDocument,
    n: usize,
    service: &str,
    resource: &str,
) -> PolicyDocument {
    let mut text: Vec<String> = generated
        .statements()
        .iter()
        .map(|s| serde_json::to_string(s).unwrap())
        .collect();
    text.extend((0..n).map(|i| foreign(i, service, resource)));
    PolicyDocument::from_json(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        text.join(",")
    ))
    .unwrap()
}

fn lints(c: &mut Criterion) {
    let intent = intent();
    let bucket = BucketPolicy::generate(&intent).unwrap().into_document();
    let key = KeyPolicy::generate(&intent).unwrap().into_document();
    let objects = "arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*";
    let mut group = c.benchmark_group("lint");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    for n in [100, 1_000] {
        let policy = with_foreign(&bucket, n, "s3", objects);
        group.bench_with_input(BenchmarkId::new("bucket", n), &policy, |b, p| {
            b.iter(|| BucketPolicy::lint(black_box(p), &intent));
        });
        let policy = with_foreign(&key, n, "kms", "*");
        group.bench_with_input(BenchmarkId::new("key", n), &policy, |b, p| {
            b.iter(|| KeyPolicy::lint(black_box(p), &intent));
        });
    }
    let refused = with_foreign(&bucket, 20_000, "s3", objects);
    group.bench_with_input(
        BenchmarkId::new("bucket_refused", 20_000),
        &refused,
        |b, p| b.iter(|| BucketPolicy::lint(black_box(p), &intent)),
    );
    group.finish();
}

criterion_group!(benches, lints);
criterion_main!(benches);
