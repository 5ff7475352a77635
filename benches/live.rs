//! Audit and import benchmarks: `cargo bench --no-default-features --bench live`
//! (BENCHMARKS.md has the numbers).
//!
//! - `live/audit/N`: `Audit::run` on the outputs the AWS CLI saved against moto
//!   (`tests/fixtures/live/deployed/`) with an organization of N member accounts: the spec lists
//!   them (`organization.member_accounts`) with one existing trail each, for the quota check,
//!   and `list-accounts` names them all. The plan is made once, outside the measurement.
//! - `live/import/N`: `Spec::import` on the same outputs plus, for each member account, the
//!   four outputs of its own trail (delivering to another bucket: an existing trail).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    reason = "a benchmark fails loudly"
)]

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use cloudtrail_policy::{Audit, Outputs, Plan, Saved, Spec};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/live"))
}

fn account(i: usize) -> String {
    format!("{:012}", 200_000_000_000 + i)
}

/// The deployed outputs, with `list-accounts` naming `n` more accounts and, with `trails`, each
/// account's own trail.
fn outputs(n: usize, trails: bool) -> Outputs {
    let mut outputs = Outputs::new();
    for entry in fs::read_dir(fixtures().join("deployed")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        match name.rsplit_once('.') {
            Some((stem, "json")) => outputs.insert(stem, Saved::Output(text)),
            Some((stem, "error")) => outputs.insert(stem, Saved::Error(text)),
            _ => {}
        }
    }
    let listed: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("deployed/organization.list-accounts.json")).unwrap(),
    )
    .unwrap();
    let mut accounts = listed["Accounts"].as_array().unwrap().clone();
    for i in 0..n {
        let id = account(i);
        accounts.push(serde_json::json!({
            "Id": id, "Arn": format!("arn:aws:organizations::111111111111:account/o-x/{id}"),
            "Email": format!("{id}@example.com"), "Name": id, "Status": "ACTIVE", "State": "ACTIVE",
            "JoinedMethod": "CREATED", "JoinedTimestamp": 1_795_897_290.2
        }));
        if trails {
            let stem = format!("{id}-local");
            let arn = format!("arn:aws:cloudtrail:eu-west-1:{id}:trail/local");
            outputs.insert(format!("{stem}.get-trail"), Saved::Output(serde_json::json!({"Trail": {
                "Name": "local", "S3BucketName": format!("local-logs-{id}"), "IncludeGlobalServiceEvents": true,
                "IsMultiRegionTrail": false, "TrailARN": arn, "LogFileValidationEnabled": true,
                "IsOrganizationTrail": false}}).to_string()));
            outputs.insert(
                format!("{stem}.get-trail-status"),
                Saved::Output(r#"{"IsLogging": true}"#.into()),
            );
            outputs.insert(format!("{stem}.get-event-selectors"), Saved::Output(serde_json::json!({
                "TrailARN": arn, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]}).to_string()));
            outputs.insert(format!("{stem}.get-insight-selectors"), Saved::Error(
                "\nAn error occurred (InsightNotEnabledException) when calling the GetInsightSelectors operation: x\n".into()));
        }
    }
    outputs.insert(
        "organization.list-accounts",
        Saved::Output(serde_json::json!({ "Accounts": accounts }).to_string()),
    );
    outputs
}

/// The fixture spec with `n` member accounts, each with an existing trail.
fn plan(n: usize) -> Plan {
    let mut spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(fixtures().join("spec.json")).unwrap()).unwrap();
    spec["organization"]["member_accounts"] = (0..n).map(account).collect();
    spec["existing_trails"] = (0..n)
        .map(|i| serde_json::json!({"account": account(i), "home_region": "eu-west-1", "name": "local"}))
        .collect();
    Plan::from_spec(&Spec::from_json(&spec.to_string()).unwrap()).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("live");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    for n in [10, 1_000] {
        let plan = plan(n);
        let audited = outputs(n, false);
        let audit = Audit::run(&plan, &audited).unwrap();
        assert!(audit.passed(), "{:#?}", audit.findings());
        group.bench_with_input(BenchmarkId::new("audit", n), &n, |b, _| {
            b.iter(|| Audit::run(black_box(&plan), black_box(&audited)).unwrap());
        });
        let imported = outputs(n, true);
        let spec = Spec::import(&imported).unwrap();
        assert!(spec.json().contains(&account(n - 1)));
        group.bench_with_input(BenchmarkId::new("import", n), &n, |b, _| {
            b.iter(|| Spec::import(black_box(&imported)).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
