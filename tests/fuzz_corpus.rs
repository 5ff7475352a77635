//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/*`) through the same checks the fuzz
//! targets run (`fuzz/common/`), on stable and without libFuzzer, so every seed and every past
//! finding is a regression test of plain `cargo test`.
//!
//! The seed corpus is written by `cargo test --test fuzz_corpus -- --ignored write_seed_corpus`
//! from the AWS-documented policies (`tests/fixtures/facts/`), the snapshot policies, the example
//! spec and spec variants.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "../fuzz/common/mod.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

/// Runs `check` on every file of the target's corpus, naming the file that fails.
fn replay(target: &str, check: fn(&[u8])) {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus(target))
        .unwrap_or_else(|e| panic!("fuzz/corpus/{target}: {e}"))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "fuzz/corpus/{target} is empty");
    let mut failed = Vec::new();
    for file in &files {
        let data = fs::read(file).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: failing inputs: {failed:#?}");
}

#[test]
fn parse_ids_corpus() {
    replay("parse_ids", common::ids::check);
}

#[test]
fn policy_document_corpus() {
    replay("policy_document", common::document::check);
}

#[test]
fn spec_plan_corpus() {
    replay("spec_plan", common::spec_plan::check);
}

/// Every intent the `merge` harness can choose builds, and both of its policies generate (the
/// harness treats a failure there as its own bug and panics): all 2 × 256 × 64 choices of the
/// bucket-key bit, the shape byte and the protections byte.
#[test]
fn merge_harness_builds_every_intent() {
    for bucket_key in 0..2u8 {
        for shape in 0..=255u8 {
            for extra in 0..64u8 {
                let bytes = [bucket_key, shape, extra];
                let mut choices = common::Choices::new(&bytes);
                let intent = common::merge::intent(&mut choices)
                    .unwrap_or_else(|| panic!("choices {bytes:?} give no intent"));
                cloudtrail_policy::BucketPolicy::generate(&intent).unwrap();
                cloudtrail_policy::KeyPolicy::generate(&intent).unwrap();
            }
        }
    }
}

#[test]
fn merge_corpus() {
    replay("merge", common::merge::check);
}

#[test]
fn live_outputs_corpus() {
    replay("live_outputs", common::live::check);
}

#[test]
fn evaluate_corpus() {
    replay("evaluate", common::evaluate::check);
}

#[test]
fn prove_corpus() {
    replay("prove", common::prove::check);
}

/// The policies seeds are made of: the AWS-documented ones (`tests/fixtures/facts/`) and the
/// snapshots of the crate's own bucket and key policies.
fn seed_policies() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut facts: Vec<PathBuf> = fs::read_dir(root.join("tests/fixtures/facts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    facts.sort();
    for p in facts {
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((format!("facts-{name}"), fs::read_to_string(&p).unwrap()));
    }
    let mut snaps: Vec<PathBuf> = fs::read_dir(root.join("tests/snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("bucket_policy__") || n.starts_with("key_policy__")
        })
        .collect();
    snaps.sort();
    for p in snaps {
        let text = fs::read_to_string(&p).unwrap();
        // Skip insta's `---` header.
        let body = text.splitn(3, "---\n").nth(2).unwrap().to_owned();
        let name = p.file_stem().unwrap().to_string_lossy().replace("__", "-");
        out.push((format!("snap-{name}"), body));
    }
    out
}

fn spec_variants() -> Vec<(String, String)> {
    use serde_json::{Value, json};
    let example: Value = serde_json::from_str(cloudtrail_policy::Spec::EXAMPLE).unwrap();
    let mut out = vec![(
        "example".to_owned(),
        serde_json::to_string_pretty(&example).unwrap(),
    )];
    let mut variant = |name: &str, edit: &dyn Fn(&mut Value)| {
        let mut v = example.clone();
        edit(&mut v);
        out.push((name.to_owned(), serde_json::to_string_pretty(&v).unwrap()));
    };
    variant("per-account-trails", &|v| {
        v.as_object_mut().unwrap().remove("organization");
        v["trails"] = json!([
            {"name": "main", "account": "111111111111", "home_region": "us-east-1"},
            {"name": "main", "account": "222222222222", "home_region": "eu-west-1",
             "multi_region": false, "data_events": [{"s3": "all"}, {"lambda": "all"}]}
        ]);
    });
    variant("no-key-no-prefix", &|v| {
        let la = v["log_archive"].as_object_mut().unwrap();
        la.remove("kms_key");
        la.remove("prefix");
        la.insert("deny_insecure_transport".into(), json!(false));
    });
    variant("alias-key-documented", &|v| {
        v["log_archive"]["kms_key"] = json!("alias/cloudtrail");
        v["log_archive"]["layout"] = json!("documented");
    });
    variant("delegated-admin", &|v| {
        v["organization"]["delegated_admins"] = json!(["222222222222"]);
        v["trails"][0]["account"] = json!("222222222222");
        v["log_archive"]["key_admins"] = json!(["arn:aws:iam::999999999999:role/KeyAdmin"]);
        v["log_archive"]["policy_admins"] = json!(["arn:aws:iam::999999999999:role/Admin"]);
    });
    variant("aws-cn", &|v| {
        v["partition"] = json!("aws-cn");
        v["log_archive"]["region"] = json!("cn-north-1");
        v["log_archive"]["kms_key"] = json!(
            "arn:aws-cn:kms:cn-north-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        );
        v["log_archive"]["readers"] = json!([]);
        v["log_archive"]["deny_delete_exempt"] = json!([]);
        v["trails"][0]["home_region"] = json!("cn-north-1");
        v["existing_trails"] = json!([]);
    });
    variant("quota-full", &|v| {
        v["existing_trails"] = json!([
            {"account": "111111111111", "home_region": "us-east-1", "name": "old-a"},
            {"account": "111111111111", "home_region": "us-east-1", "name": "old-b"},
            {"account": "111111111111", "home_region": "us-east-1", "name": "old-c"},
            {"account": "111111111111", "home_region": "us-east-1", "name": "old-d"},
            {"account": "111111111111", "home_region": "us-east-1", "name": "old-e"}
        ]);
    });
    variant("org-trail-without-org", &|v| {
        v.as_object_mut().unwrap().remove("organization");
    });
    variant("no-deny-delete", &|v| {
        v["log_archive"]["deny_delete"] = json!(false);
        v["log_archive"]["deny_delete_exempt"] = json!([]);
        v["trails"][0]["tags"] = json!({"team": "security"});
        v["trails"][0]["sns_topic"] = json!("arn:aws:sns:us-east-1:111111111111:t");
    });
    out
}

const ID_SEEDS: &[&str] = &[
    "111122223333",
    "acme-cloudtrail-logs",
    "my.bucket.name",
    "cloudtrail",
    "a/b/c",
    "arn:aws:kms:us-east-1:111122223333:alias/cloudtrail",
    "alias/cloudtrail",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "o-a1b2c3d4e5",
    "aws-us-gov",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:role/admin/Auditor",
    "arn:aws-cn:iam::111122223333:user/Alice",
    "us-east-1",
    "cn-north-1",
    "us-gov-west-1",
    "eusc-de-east-1",
    "management-events",
    "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events",
    "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/t_1.x",
];

/// Choice bytes after the `0xFF` separator of the `evaluate` and `merge` seeds.
const CHOICES: &[&[u8]] = &[
    &[],
    &[2, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0],
    &[
        1, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 1, 0x81, 0x81, 1, 2, 0x80, 0, 0, 1,
    ],
    &[
        3, 0x81, 0x82, 0x83, 4, 7, 0x84, 1, 2, 0x85, 1, 3, 0, 2, 0x86, 0, 5, 1,
    ],
];

/// Rewrites the seed corpus. Run after changing fixtures or the choice encoding:
/// `cargo test --test fuzz_corpus -- --ignored write_seed_corpus`.
#[test]
#[ignore = "writes files; run by hand to regenerate the seeds"]
fn write_seed_corpus() {
    let write = |target: &str, name: &str, data: &[u8]| {
        let dir = corpus(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("seed-{name}")), data).unwrap();
    };
    for (i, id) in ID_SEEDS.iter().enumerate() {
        write("parse_ids", &format!("{i:02}"), id.as_bytes());
    }
    for (name, policy) in seed_policies() {
        write("policy_document", &name, policy.as_bytes());
        // Every choice set for the AWS-documented policies, two for the snapshots'.
        let skip = if name.starts_with("facts-") { 0 } else { 2 };
        for (i, choices) in CHOICES.iter().enumerate().skip(skip) {
            let mut data = policy.clone().into_bytes();
            data.push(0xFF);
            data.extend_from_slice(choices);
            write("evaluate", &format!("{name}-{i}"), &data);
            write("merge", &format!("{name}-{i}"), &data);
        }
        // The proof samples many requests: long choice strings, bucket and key alike.
        for (i, seed) in [7u32, 11, 101, 211].into_iter().enumerate() {
            let mut data = policy.clone().into_bytes();
            data.push(0xFF);
            data.extend((0..1024u32).map(|k| ((k * seed + seed * seed) % 251) as u8));
            write("prove", &format!("{name}-{i}"), &data);
        }
    }
    for (name, spec) in spec_variants() {
        write("spec_plan", &name, spec.as_bytes());
    }
    // Every output the AWS CLI saved against moto (tests/fixtures/live/).
    for dir in ["deployed", "changed"] {
        let live = root().join("tests/fixtures/live").join(dir);
        let mut files: Vec<PathBuf> = fs::read_dir(&live)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for p in files {
            let name = p.file_name().unwrap().to_string_lossy().replace('.', "-");
            write(
                "live_outputs",
                &format!("{dir}-{name}"),
                &fs::read(&p).unwrap(),
            );
        }
    }
}
