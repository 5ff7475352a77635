//! A client's-eye test: only the crate root's re-exports, the way a user writes it.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use cloudtrail_policy::*;

#[test]
fn a_client_plans_a_log_archive_from_the_root_exports_alone() {
    let intent = Intent::builder(Partition::Aws)
        .bucket(BucketName::new("acme-cloudtrail-logs").unwrap())
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
    // Both policies have the same shape: generate, probes, verify, lint.
    assert!(bucket.verify(&intent).passed());
    assert!(key.verify(&intent).passed());
    let probes = BucketPolicy::probes(&intent, bucket.layout());
    assert_eq!(
        Report::run(bucket.document(), probes),
        bucket.verify(&intent)
    );
    assert!(
        BucketPolicy::lint(bucket.document(), &intent)
            .iter()
            .all(|f| f.severity() != Severity::Error)
    );
    assert!(
        KeyPolicy::lint(key.document(), &intent)
            .iter()
            .all(|f| f.severity() != Severity::Error)
    );
    let merged = merge(bucket.document(), bucket.document(), PolicyKind::Bucket).unwrap();
    assert_eq!(merged.document(), bucket.document());
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
fn a_client_plans_a_spec_and_gets_every_file() {
    let plan = Plan::from_spec(&Spec::from_json(Spec::EXAMPLE).unwrap()).unwrap();
    assert!(plan.verify().passed());
    let files = plan.files(Style::Compact).unwrap();
    assert!(files.iter().all(|f| f.contents().ends_with('\n')));
    assert!(matches!(plan.key_source(), Some(KeySource::Existing(_))));
    let _: &[Finding] = plan.findings();
    assert!(FindingCode::ALL.contains(&FindingCode::MissingDelivery));
}

#[test]
fn a_client_collects_audits_and_imports_from_the_root_exports_alone() {
    let plan = Plan::from_spec(&Spec::example().unwrap()).unwrap();
    let collection = Collection::from_plan(&plan);
    let mut outputs = Outputs::new();
    for command in collection.commands() {
        if command.operation() == Operation::GetCallerIdentity {
            outputs.insert(
                command.file(),
                Saved::Output(r#"{"Account": "999999999999"}"#.into()),
            );
        }
    }
    // The first output the audit needs and does not have is named with its command.
    match Audit::run(&plan, &outputs) {
        Err(LiveError::Missing { file, command }) => {
            assert_eq!(file, "log-archive.get-bucket-policy");
            assert_eq!(
                command,
                "aws s3api get-bucket-policy --bucket acme-cloudtrail-logs --region us-east-1"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(Spec::import(&outputs), Err(ImportError::NoTrail)));
}

#[test]
fn errors_are_send_sync_and_static() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<ParseError>();
    assert_error::<IntentError>();
    assert_error::<BucketPolicyError>();
    assert_error::<KeyPolicyError>();
    assert_error::<MergeError>();
    assert_error::<TrailError>();
    assert_error::<SpecError>();
    assert_error::<PlanError>();
    assert_error::<DocumentError>();
    assert_error::<QuotaError>();
    assert_error::<OutputError>();
    assert_error::<eval::Unsupported>();
    assert_error::<LiveError>();
    assert_error::<OutputRule>();
    assert_error::<ImportError>();
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Plan>();
    assert_send_sync::<Collection>();
    assert_send_sync::<Outputs>();
    assert_send_sync::<Audit>();
    assert_send_sync::<Imported>();
    assert_send_sync::<Intent>();
    assert_send_sync::<Report>();
}
