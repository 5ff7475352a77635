//! A client's-eye test: only the crate root's re-exports, the way a user writes it.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use cloudtrail_policy::*;

#[test]
fn a_client_plans_a_log_archive_from_the_root_exports_alone() {
    let intent = Intent::builder(
        Partition::Aws,
        BucketName::new("acme-cloudtrail-logs").unwrap(),
    )
    .bucket_region(Region::new("us-east-1").unwrap())
    .organization_trail(
        OrganizationId::new("o-a1b2c3d4e5").unwrap(),
        TrailArn::new(
            Partition::Aws,
            Region::new("us-east-1").unwrap(),
            AccountId::new("111111111111").unwrap(),
            TrailName::new("org-trail").unwrap(),
        )
        .unwrap(),
    )
    .key(
        KmsKeyArn::new(
            "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .unwrap(),
    )
    .reader(PrincipalArn::new("arn:aws:iam::999999999999:role/SecurityAudit").unwrap())
    .build()
    .unwrap();
    let bucket = BucketPolicy::generate(&intent).unwrap();
    let key = KeyPolicy::generate(&intent).unwrap();
    assert!(probe::verify_bucket(bucket.document(), &intent, bucket.layout()).passed());
    assert!(key.verify(&intent).passed());
    let merged = merge(
        bucket.document(),
        bucket.document(),
        bucket_policy::BUCKET_POLICY_LIMIT,
    )
    .unwrap();
    assert_eq!(merged.document(), bucket.document());
    assert!(
        lint_bucket_policy(bucket.document(), &intent)
            .iter()
            .all(|f| f.severity() != Severity::Error)
    );
    let trail = TrailConfig::builder(
        TrailName::new("org-trail").unwrap(),
        AccountId::new("111111111111").unwrap(),
        Region::new("us-east-1").unwrap(),
        BucketName::new("acme-cloudtrail-logs").unwrap(),
    )
    .build()
    .unwrap();
    assert!(trail.create_trail().is_multi_region_trail());
    let inventory = TrailInventory::new().planned(TrailRecord::new(
        AccountId::new("111111111111").unwrap(),
        Region::new("us-east-1").unwrap(),
        TrailName::new("org-trail").unwrap(),
    ));
    assert!(inventory.check().is_ok());
}

#[test]
fn errors_are_send_sync_and_static() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<ParseError>();
    assert_error::<PolicyError>();
    assert_error::<MergeError>();
    assert_error::<TrailError>();
    assert_error::<spec::SpecError>();
    assert_error::<plan::PlanError>();
    assert_error::<document::DocumentError>();
    assert_error::<eval::Unsupported>();
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<plan::Plan>();
    assert_send_sync::<Intent>();
    assert_send_sync::<probe::Report>();
}
