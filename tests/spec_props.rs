//! The property suite at scale: whole valid specs (an organization or per-account
//! trails, 1 to 2,000 accounts, prefixes, readers, keys, partitions, existing trails), planned.
//!
//! For each spec: the plan is deterministic; when it plans, every intended delivery is allowed
//! and every adversarial probe denied, and the policies are within S3's and KMS's limits by an
//! independent byte count; its errors are exactly those of an independent recount (the trail
//! quota counted here; the policy sizes from the library's generators called directly, and
//! checked against a lower bound counted here from the folders and trails the bucket policy
//! must name); and an invalid mutation (one identifier made invalid, one limit exceeded) is
//! rejected with the right error.
//!
//! 16 cases by default so that `cargo test` stays fast; `PROPTEST_CASES=256 cargo test --test
//! spec_props` for more.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;

use cloudtrail_policy::{
    BucketPolicy, BucketPolicyError, Intent, KeyPolicy, KeyPolicyError, Partition, Plan,
    PolicyKind, Severity, Spec, SpecErrorKind,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const LOG_ARCHIVE: &str = "999999999999";
const MANAGEMENT: &str = "111111111111";
const ORG: &str = "o-a1b2c3d4e5";
const BUCKET: &str = "acme-cloudtrail-logs";
/// (partition, the Region everything lives in).
const PARTITIONS: [(&str, &str); 4] = [
    ("aws", "us-east-1"),
    ("aws", "eu-west-1"),
    ("aws-cn", "cn-north-1"),
    ("aws-us-gov", "us-gov-west-1"),
];

/// What a generated spec is made of.
#[derive(Debug, Clone)]
struct Shape {
    partition: usize,
    organization: bool,
    accounts: usize,
    prefix: Option<&'static str>,
    readers: usize,
    key: bool,
    bucket_key: bool,
    /// Existing trails in the home Region of the first accounts (per-account mode) or of the
    /// management account (first entry, organization mode), 0 to 5 each.
    existing: Vec<usize>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        0..PARTITIONS.len(),
        any::<bool>(),
        prop_oneof![1..20_usize, 1..=2_000_usize],
        prop::option::of(prop::sample::select(vec![
            "cloudtrail",
            "logs/ct",
            "a.b-c_d",
        ])),
        0..3_usize,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(prop_oneof![3 => 0..4_usize, 1 => 4..=5_usize], 1..6),
    )
        .prop_map(
            |(partition, organization, accounts, prefix, readers, key, bucket_key, existing)| {
                Shape {
                    partition,
                    organization,
                    accounts,
                    prefix,
                    readers,
                    key,
                    bucket_key,
                    existing,
                }
            },
        )
}

fn account(i: usize) -> String {
    format!("{:012}", 200_000_000_000 + i)
}

impl Shape {
    fn partition(&self) -> &'static str {
        PARTITIONS[self.partition].0
    }

    fn region(&self) -> &'static str {
        PARTITIONS[self.partition].1
    }

    fn key_arn(&self) -> String {
        format!(
            "arn:{}:kms:{}:{LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            self.partition(),
            self.region()
        )
    }

    fn reader(&self, i: usize) -> String {
        format!("arn:{}:iam::{LOG_ARCHIVE}:role/Reader{i}", self.partition())
    }

    fn trail_arn(&self, account: &str, name: &str) -> String {
        format!(
            "arn:{}:cloudtrail:{}:{account}:trail/{name}",
            self.partition(),
            self.region()
        )
    }

    /// The delivering accounts of the organization mode (the spec's `accounts`).
    fn org_delivering(&self) -> usize {
        self.accounts.min(3)
    }

    fn spec(&self) -> Value {
        let mut la = json!({
            "account": LOG_ARCHIVE,
            "region": self.region(),
            "bucket": BUCKET,
            "bucket_key": self.bucket_key,
            "readers": (0..self.readers).map(|i| self.reader(i)).collect::<Vec<_>>(),
        });
        if let Some(p) = self.prefix {
            la["prefix"] = json!(p);
        }
        if self.key {
            la["kms_key"] = json!(self.key_arn());
        }
        let existing = |account: &str, count: usize| -> Vec<Value> {
            (0..count)
                .map(|j| json!({"account": account, "home_region": self.region(), "name": format!("legacy-{j}")}))
                .collect()
        };
        let mut spec = json!({"partition": self.partition(), "log_archive": la});
        if self.organization {
            spec["organization"] = json!({"id": ORG, "management_account": MANAGEMENT});
            spec["trails"] = json!([{"name": "org-trail", "account": MANAGEMENT,
                "home_region": self.region(), "organization": true}]);
            spec["accounts"] = json!((0..self.org_delivering()).map(account).collect::<Vec<_>>());
            // The inventory at organization scale: one trail in every member account, and the
            // management account's own trails.
            let mut inventory: Vec<Value> = (0..self.accounts)
                .flat_map(|i| existing(&account(i), 1))
                .collect();
            inventory.extend(existing(MANAGEMENT, self.existing[0]));
            spec["existing_trails"] = json!(inventory);
        } else {
            spec["trails"] = json!(
                (0..self.accounts)
                    .map(|i| json!({"name": "main", "account": account(i), "home_region": self.region()}))
                    .collect::<Vec<_>>()
            );
            let inventory: Vec<Value> = self
                .existing
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < self.accounts)
                .flat_map(|(i, n)| existing(&account(i), *n))
                .collect();
            spec["existing_trails"] = json!(inventory);
        }
        spec
    }

    /// The intent, built straight from the shape with the library's builder.
    fn intent(&self) -> Intent {
        let partition: Partition = self.partition().parse().unwrap();
        let mut b = Intent::builder(partition)
            .bucket(BUCKET.parse().unwrap())
            .bucket_owner(LOG_ARCHIVE.parse().unwrap())
            .bucket_region(self.region().parse().unwrap())
            .bucket_key(self.bucket_key);
        if let Some(p) = self.prefix {
            b = b.prefix(p.parse().unwrap());
        }
        for i in 0..self.readers {
            b = b.reader(self.reader(i).parse().unwrap());
        }
        if self.key {
            b = b.key(self.key_arn().parse().unwrap());
        }
        if self.organization {
            b = b.organization_trail(
                ORG.parse().unwrap(),
                self.trail_arn(MANAGEMENT, "org-trail").parse().unwrap(),
            );
            for i in 0..self.org_delivering() {
                b = b.account(account(i).parse().unwrap());
            }
        } else {
            for i in 0..self.accounts {
                b = b.trail(self.trail_arn(&account(i), "main").parse().unwrap());
            }
        }
        b.build().unwrap()
    }

    /// The quota recount: a planned trail is refused when its account already has 5 trails in
    /// its home Region (every existing trail here is single-Region in that Region, and full
    /// member accounts never stop an organization trail).
    fn quota_full(&self) -> bool {
        if self.organization {
            self.existing[0] >= 5
        } else {
            self.existing.iter().take(self.accounts).any(|n| *n >= 5)
        }
    }

    /// The strings a per-account plan's bucket policy must name whatever its layout: every
    /// account folder (`Resource`, as in AWS's policies,
    /// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>
    /// and <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html>)
    /// and every trail (`aws:SourceArn`). Empty in organization mode.
    fn must_name(&self) -> Vec<String> {
        if self.organization {
            return Vec::new();
        }
        let prefix = self.prefix.map(|p| format!("{p}/")).unwrap_or_default();
        (0..self.accounts)
            .flat_map(|i| {
                let folder = format!(
                    "arn:{}:s3:::{BUCKET}/{prefix}AWSLogs/{}/*",
                    self.partition(),
                    account(i)
                );
                [folder, self.trail_arn(&account(i), "main")]
            })
            .collect()
    }

    /// A lower bound on the bucket policy's minified size, counted here and not by the
    /// generator: each string it must name is a JSON string of its own (two quotes) followed by
    /// a separator.
    fn bucket_lower_bound(&self) -> usize {
        self.must_name().iter().map(|s| s.len() + 3).sum()
    }

    /// The error codes the plan must report, recounted.
    fn expected_errors(&self) -> BTreeSet<&'static str> {
        let mut codes = BTreeSet::new();
        if self.quota_full() {
            codes.insert("quota");
        }
        if self.bucket_lower_bound() > PolicyKind::Bucket.size_limit() {
            // Independent of the generator: no layout can fit.
            codes.insert("bucket-policy");
        }
        let intent = self.intent();
        match BucketPolicy::generate(&intent) {
            Err(BucketPolicyError::TooLarge { minified, .. }) => {
                assert!(minified > PolicyKind::Bucket.size_limit());
                codes.insert("bucket-policy");
            }
            Err(e) => panic!("unexpected bucket policy error: {e}"),
            Ok(_) if self.key => {
                if let Err(e) = KeyPolicy::generate(&intent) {
                    assert!(matches!(e, KeyPolicyError::TooLarge { .. }), "{e}");
                    codes.insert("key-policy");
                }
            }
            Ok(_) => {}
        }
        codes
    }
}

fn plan(spec: &Value) -> Result<Plan, cloudtrail_policy::PlanError> {
    Plan::from_spec(&Spec::from_json(&spec.to_string()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(16),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_valid_spec_plans_as_recounted(shape in shape()) {
        let spec = shape.spec();
        let expected = shape.expected_errors();
        let result = plan(&spec);
        // Deterministic, to the byte.
        let again = plan(&spec);
        prop_assert_eq!(&result, &again);
        match result {
            Ok(plan) => {
                prop_assert!(expected.is_empty(), "planned, but the recount expects {:?}", expected);
                prop_assert!(plan.findings().iter().all(|f| f.severity() != Severity::Error));
                let report = plan.verify();
                prop_assert!(report.passed(), "a probe failed: {:?}",
                    report.failures().map(|f| f.probe().name().to_owned()).collect::<Vec<_>>());
                // Independent byte counts of what would be uploaded.
                let bucket = serde_json::to_string(plan.bucket_policy()).unwrap();
                prop_assert!(bucket.len() <= PolicyKind::Bucket.size_limit());
                prop_assert_eq!(bucket.len(), plan.bucket_policy().document().minified_len());
                for name in shape.must_name() {
                    prop_assert!(bucket.contains(&format!("\"{name}\"")), "the policy does not name {}", name);
                }
                prop_assert!(bucket.len() >= shape.bucket_lower_bound());
                prop_assert_eq!(plan.key_policy().is_some(), shape.key);
                if let Some(key) = plan.key_policy() {
                    let text = serde_json::to_string(key.document()).unwrap();
                    prop_assert!(text.len() <= PolicyKind::Key.size_limit());
                }
                let trails = if shape.organization { 1 } else { shape.accounts };
                prop_assert_eq!(plan.trails().len(), trails);
                prop_assert_eq!(
                    serde_json::to_string(&plan).unwrap(),
                    serde_json::to_string(&again.unwrap()).unwrap()
                );
            }
            Err(e) => {
                let codes: BTreeSet<&str> = e.errors().map(|f| f.code().as_str()).collect();
                prop_assert_eq!(codes, expected);
            }
        }
    }

    #[test]
    fn an_invalid_mutation_is_rejected_with_the_right_error(shape in shape(), which in 0..5_usize) {
        let mut spec = shape.spec();
        let (path, message): (&str, &str) = match which {
            0 => {
                spec["log_archive"]["account"] = json!("12345");
                ("log_archive.account", "invalid account id `12345`: expected exactly 12 digits")
            }
            1 => {
                spec["trails"][0]["home_region"] = json!("us-east-x");
                ("trails[0].home_region", "invalid region `us-east-x`")
            }
            2 => {
                spec["log_archive"]["bucket"] = json!("Bad_Bucket");
                ("log_archive.bucket", "invalid bucket name `Bad_Bucket`")
            }
            3 => {
                let name = "t".repeat(129);
                spec["trails"][0]["name"] = json!(name);
                ("trails[0].name", "invalid trail name")
            }
            _ => {
                // One limit exceeded: the first trail's account gets a sixth trail in its Region.
                let owner = if shape.organization { MANAGEMENT.to_owned() } else { account(0) };
                let list = spec["existing_trails"].as_array_mut().unwrap();
                for j in 0..5 {
                    list.push(json!({"account": owner, "home_region": shape.region(),
                        "name": format!("full-{j}")}));
                }
                let err = plan(&spec).unwrap_err();
                prop_assert!(err.errors().any(|f| f.code().as_str() == "quota"), "{err}");
                return Ok(());
            }
        };
        let err = Spec::from_json(&spec.to_string()).unwrap_err();
        prop_assert_eq!(err.path(), path);
        prop_assert!(matches!(err.kind(), SpecErrorKind::Parse(_)), "{:?}", err.kind());
        prop_assert!(err.to_string().starts_with(&format!("{path}: {message}")), "{}", err);
    }
}
