//! Plan, serialization floor and evaluator benchmarks. Run with
//! `cargo bench --bench plan` (BENCHMARKS.md has the exact commands and the numbers).
//!
//! - `plan/per_account/N`: a spec with N accounts, each with its own trail, planned (generate,
//!   check, prove) and serialized. Past S3's 20 KB the strict layout falls back to the
//!   documented one, and past that the plan is refused: this measures the typed error path.
//! - `plan/organization/N`: one organization trail, with an inventory of existing trails in N
//!   accounts: the quota check at organization scale.
//! - `floor/.../N`: `serde_json` serializing the same output (the plan, or the refused plan's
//!   findings), so that the report can give plan / floor.
//! - `eval/one_probe_20kb` and `eval/probe_matrix_20kb`: the evaluator on the largest bucket
//!   policy that fits S3's limit.
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

use cloudtrail_policy::eval::evaluate;
use cloudtrail_policy::{BucketPolicy, Intent, Layout, Partition, Plan, PolicyKind, Report, Spec};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

const SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000 + i)
}

fn log_archive() -> Value {
    json!({
        "account": "999999999999",
        "region": "us-east-1",
        "bucket": "acme-cloudtrail-logs",
        "prefix": "cloudtrail",
        "kms_key": "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "readers": ["arn:aws:iam::999999999999:role/SecurityAudit"]
    })
}

/// N accounts, each with its own multi-region trail `main` homed in us-east-1.
fn per_account_spec(n: usize) -> String {
    let trails: Vec<Value> = (0..n)
        .map(|i| json!({"name": "main", "account": account(i), "home_region": "us-east-1"}))
        .collect();
    json!({"partition": "aws", "log_archive": log_archive(), "trails": trails}).to_string()
}

/// One organization trail; every one of N member accounts already has a trail.
fn organization_spec(n: usize) -> String {
    let existing: Vec<Value> = (0..n)
        .map(|i| json!({"account": account(i), "home_region": "us-east-1", "name": "legacy"}))
        .collect();
    json!({
        "partition": "aws",
        "log_archive": log_archive(),
        "organization": {"id": "o-a1b2c3d4e5", "management_account": "111111111111"},
        "trails": [{"name": "org-trail", "account": "111111111111", "home_region": "us-east-1",
                    "organization": true}],
        "existing_trails": existing,
    })
    .to_string()
}

/// The library's work: plan (generate, check, prove) and serialize the result; a refused plan
/// serializes its findings.
fn plan_and_serialize(spec: &Spec) -> String {
    match Plan::from_spec(spec) {
        Ok(plan) => serde_json::to_string(&plan).unwrap(),
        Err(e) => serde_json::to_string(e.findings()).unwrap(),
    }
}

fn output(spec: &Spec) -> Value {
    serde_json::from_str(&plan_and_serialize(spec)).unwrap()
}

fn plans(c: &mut Criterion) {
    for (shape, make) in [
        ("per_account", per_account_spec as fn(usize) -> String),
        ("organization", organization_spec),
    ] {
        let mut group = c.benchmark_group(format!("plan/{shape}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500));
        let mut floors = Vec::new();
        for n in SIZES {
            let spec = Spec::from_json(&make(n)).unwrap();
            floors.push((n, output(&spec)));
            group.bench_with_input(BenchmarkId::from_parameter(n), &spec, |b, spec| {
                b.iter(|| plan_and_serialize(black_box(spec)));
            });
        }
        group.finish();
        let mut group = c.benchmark_group(format!("floor/{shape}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500));
        for (n, value) in &floors {
            group.bench_with_input(BenchmarkId::from_parameter(n), value, |b, value| {
                b.iter(|| serde_json::to_string(black_box(value)).unwrap());
            });
        }
        group.finish();
    }
}

/// The largest strict-layout, per-account-trail bucket policy that fits S3's limit.
fn policy_near_limit() -> (Intent, BucketPolicy) {
    let intent = |n: usize| {
        let mut b = Intent::builder(Partition::Aws)
            .bucket("acme-cloudtrail-logs".parse().unwrap())
            .bucket_owner("999999999999".parse().unwrap())
            .prefix("cloudtrail".parse().unwrap())
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
    let intent = intent(n);
    let policy = BucketPolicy::generate(&intent).unwrap();
    assert!(policy.document().minified_len() <= PolicyKind::Bucket.size_limit());
    (intent, policy)
}

fn evaluator(c: &mut Criterion) {
    let (intent, policy) = policy_near_limit();
    let doc = policy.document();
    let probes = BucketPolicy::probes(&intent, policy.layout());
    // The last delivery probe: a match that must pass most statements first.
    let probe = probes
        .iter()
        .rev()
        .find(|p| p.expect() == cloudtrail_policy::eval::Verdict::Allow)
        .unwrap()
        .clone();
    let mut group = c.benchmark_group("eval");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500));
    group.bench_function(format!("one_probe_{}b_policy", doc.minified_len()), |b| {
        b.iter(|| evaluate(black_box(doc), black_box(probe.request())).unwrap())
    });
    group.bench_function(
        format!(
            "probe_matrix_{}_probes_{}b_policy",
            probes.len(),
            doc.minified_len()
        ),
        |b| b.iter(|| Report::run(black_box(doc), black_box(probes.clone()))),
    );
    group.finish();
}

criterion_group!(benches, plans, evaluator);
criterion_main!(benches);
