//! Builds the bucket policy of a small log archive (an organization trail plus one account
//! whose own trail is not known yet), proves it with the probe matrix, and prints it.
//!
//! Run with `cargo run --example log_archive`.

use cloudtrail_policy::{BucketPolicy, Intent, Partition};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let intent = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse()?)
        .bucket_owner("999999999999".parse()?)
        .bucket_region("us-east-1".parse()?)
        .prefix("cloudtrail".parse()?)
        .organization_trail(
            "o-a1b2c3d4e5".parse()?,
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail".parse()?,
        )
        .account("333333333333".parse()?)
        .reader("arn:aws:iam::999999999999:role/SecurityAudit".parse()?)
        .delete_exempt("arn:aws:iam::999999999999:role/BreakGlass".parse()?)
        .build()?;
    let policy = BucketPolicy::generate(&intent)?;
    let report = policy.verify(&intent);
    eprintln!(
        "bucket policy: {:?} layout, {} bytes minified; probe matrix: {} of {} probes as expected",
        policy.layout(),
        policy.document().minified_len(),
        report.results().iter().filter(|r| r.passed()).count(),
        report.results().len(),
    );
    println!("{}", policy.document().to_json_pretty());
    if report.passed() {
        Ok(())
    } else {
        Err("the probe matrix failed".into())
    }
}
