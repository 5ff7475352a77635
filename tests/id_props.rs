//! proptest laws for the identifiers: valid values round trip through `Display`, arbitrary
//! strings never panic a parser, and whatever parses round-trips.

use cloudtrail_policy::*;
use proptest::prelude::*;
use std::fmt::Display;
use std::str::FromStr;

/// `parse(s).to_string() == s` and `parse(parse(s).to_string()) == parse(s)`.
fn round_trips<T>(s: &str) -> Result<(), TestCaseError>
where
    T: FromStr + Display + PartialEq + std::fmt::Debug,
    T::Err: Display,
{
    let value = s
        .parse::<T>()
        .map_err(|e| TestCaseError::fail(format!("`{s}` rejected: {e}")))?;
    prop_assert_eq!(value.to_string(), s);
    let again = value
        .to_string()
        .parse::<T>()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(again, value);
    Ok(())
}

/// Whatever parses prints back to its input and reparses to the same value.
fn total<T>(s: &str) -> Result<(), TestCaseError>
where
    T: FromStr + Display + PartialEq + std::fmt::Debug,
    T::Err: Display,
{
    if let Ok(value) = s.parse::<T>() {
        prop_assert_eq!(value.to_string(), s);
        let again = s
            .parse::<T>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, value);
    }
    Ok(())
}

fn region() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            "(us|eu|ap|sa|ca|me|af|il|mx)",
            "[a-z0-9]{1,10}",
            "[0-9]{1,2}"
        )
            .prop_map(|(a, w, d)| format!("{a}-{w}-{d}")),
        (
            "(cn|us-gov|us-iso|us-isob|eu-isoe|us-isof|eusc-de)",
            "[a-z0-9]{1,10}",
            "[0-9]{1,2}"
        )
            .prop_map(|(a, w, d)| format!("{a}-{w}-{d}")),
    ]
}

fn trail_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]([A-Za-z0-9]|[._-][A-Za-z0-9]){1,60}"
        .prop_filter("valid trail name", |s| s.parse::<TrailName>().is_ok())
}

proptest! {
    #[test]
    fn account_round_trip(s in "[0-9]{12}") {
        round_trips::<AccountId>(&s)?;
    }

    #[test]
    fn organization_round_trip(s in "o-[a-z0-9]{10,32}") {
        round_trips::<OrganizationId>(&s)?;
    }

    #[test]
    fn region_round_trip(s in region()) {
        round_trips::<Region>(&s)?;
    }

    #[test]
    fn bucket_round_trip(
        s in "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
            .prop_filter("valid bucket name", |s| s.parse::<BucketName>().is_ok())
    ) {
        round_trips::<BucketName>(&s)?;
    }

    #[test]
    fn trail_name_round_trip(s in trail_name()) {
        round_trips::<TrailName>(&s)?;
    }

    #[test]
    fn trail_arn_round_trip(r in region(), a in "[0-9]{12}", n in trail_name()) {
        let region: Region = r.parse().unwrap();
        let arn = TrailArn::new(region.partition(), region, a.parse().unwrap(), n.parse().unwrap())
            .unwrap();
        round_trips::<TrailArn>(arn.as_str())?;
    }

    #[test]
    fn kms_round_trip(
        r in region(),
        a in "[0-9]{12}",
        id in prop_oneof!["[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "mrk-[0-9a-f]{32}"],
        alias in "alias/[a-zA-Z0-9_-][a-zA-Z0-9/_-]{0,40}"
            .prop_filter("not reserved", |s| !s.starts_with("alias/aws/")),
    ) {
        let partition = r.parse::<Region>().unwrap().partition();
        round_trips::<KmsKeyRef>(&id)?;
        round_trips::<KmsKeyRef>(&alias)?;
        round_trips::<KmsKeyRef>(&format!("arn:{partition}:kms:{r}:{a}:key/{id}"))?;
        round_trips::<KmsKeyArn>(&format!("arn:{partition}:kms:{r}:{a}:key/{id}"))?;
        round_trips::<KmsKeyRef>(&format!("arn:{partition}:kms:{r}:{a}:{alias}"))?;
    }

    #[test]
    fn principal_round_trip(
        a in "[0-9]{12}",
        kind in "(role|user)",
        path in "([A-Za-z0-9+=,.@_-]{1,8}/){0,3}",
        name in "[A-Za-z0-9+=,.@_-]{1,64}",
    ) {
        round_trips::<PrincipalArn>(&format!("arn:aws:iam::{a}:{kind}/{path}{name}"))?;
        round_trips::<PrincipalArn>(&format!("arn:aws:iam::{a}:root"))?;
    }

    #[test]
    fn prefix_round_trip_and_paths_agree(
        s in "[a-zA-Z0-9._ -]{1,20}(/[a-zA-Z0-9._ -]{1,20}){0,5}"
            .prop_filter("valid prefix", |s| s.parse::<KeyPrefix>().is_ok())
    ) {
        round_trips::<KeyPrefix>(&s)?;
        let p: KeyPrefix = s.parse().unwrap();
        prop_assert_eq!(p.object_path(), format!("{}/", p.as_str()));
        let bucket: BucketName = "acme-cloudtrail-logs".parse().unwrap();
        prop_assert_eq!(
            bucket.logs_arn(Partition::Aws, Some(&p)),
            format!("arn:aws:s3:::acme-cloudtrail-logs/{}/AWSLogs/", p.as_str())
        );
        prop_assert_eq!(
            bucket.logs_arn(Partition::Aws, None),
            "arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/"
        );
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        total::<AccountId>(&s)?;
        total::<OrganizationId>(&s)?;
        total::<Partition>(&s)?;
        total::<Region>(&s)?;
        total::<BucketName>(&s)?;
        total::<KeyPrefix>(&s)?;
        total::<TrailName>(&s)?;
        total::<TrailArn>(&s)?;
        total::<KmsKeyRef>(&s)?;
        total::<KmsKeyArn>(&s)?;
        total::<PrincipalArn>(&s)?;
        if let Ok(b) = s.parse::<BucketName>() {
            let _ = b.check_cloudtrail();
        }
    }

    #[test]
    fn arn_shaped_strings_never_panic(
        s in "arn:[a-z-]{0,12}:(cloudtrail|kms|iam):[a-z0-9-]{0,14}:[0-9*]{0,13}:(trail|key|alias|role|user|root)?/?[a-zA-Z0-9/_.$*-]{0,20}"
    ) {
        total::<TrailArn>(&s)?;
        total::<KmsKeyRef>(&s)?;
        total::<PrincipalArn>(&s)?;
    }
}
