//! Prints the account counts at which each bucket-policy layout overflows S3's 20 KB limit,
//! with and without a key prefix (per-account trails, one named trail each).
//!
//! Run with `cargo run --release --example size_budget`.

use cloudtrail_policy::{BucketPolicy, BucketPolicyError, Intent, Layout, Partition};

fn intent(
    accounts: usize,
    layout: Layout,
    prefix: bool,
) -> Result<Intent, Box<dyn std::error::Error>> {
    let mut b = Intent::builder(Partition::Aws)
        .bucket("acme-cloudtrail-logs".parse()?)
        .layout(layout);
    if prefix {
        b = b.prefix("cloudtrail".parse()?);
    }
    for k in 0..accounts {
        let account = format!("{:012}", 100_000_000_000u64 + k as u64);
        b = b.trail(format!("arn:aws:cloudtrail:us-east-1:{account}:trail/org-logs").parse()?);
    }
    Ok(b.build()?)
}

/// The largest account count that still fits.
fn last_fit(layout: Layout, prefix: bool) -> Result<usize, Box<dyn std::error::Error>> {
    let mut n = 1;
    loop {
        match BucketPolicy::generate(&intent(n + 1, layout, prefix)?) {
            Ok(_) => n += 1,
            Err(BucketPolicyError::TooLarge { .. }) => return Ok(n),
            Err(e) => return Err(e.into()),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("| layout | prefix | accounts that fit |");
    println!("| --- | --- | --- |");
    for layout in [Layout::Strict, Layout::Documented] {
        for prefix in [false, true] {
            let p = if prefix { "`cloudtrail`" } else { "none" };
            println!("| {layout:?} | {p} | {} |", last_fit(layout, prefix)?);
        }
    }
    Ok(())
}
