//! Accept/reject tables for every identifier, built from the AWS rules each type's `# Syntax`
//! section cites, with the exact error messages; serde goes through the parser.

mod util;

use cloudtrail_policy::*;
use util::{err, ok};

#[test]
fn account_id() {
    ok::<AccountId>("111122223333");
    ok::<AccountId>("000000000001");
    for bad in [
        "",
        "12",
        "12345678901",
        "1234567890123",
        "11112222333a",
        "１１１１２２２２３３３３",
    ] {
        err::<AccountId>(
            bad,
            &format!("invalid account id `{bad}`: expected exactly 12 digits"),
        );
    }
}

#[test]
fn organization_id() {
    ok::<OrganizationId>("o-a1b2c3d4e5");
    ok::<OrganizationId>(&format!("o-{}", "a".repeat(32)));
    err::<OrganizationId>(
        "a1b2c3d4e5",
        "invalid organization id `a1b2c3d4e5`: expected the prefix `o-`",
    );
    err::<OrganizationId>(
        "o-a1b2c3d4e",
        "invalid organization id `o-a1b2c3d4e`: expected 10 to 32 characters after `o-`",
    );
    let long = format!("o-{}", "a".repeat(33));
    err::<OrganizationId>(
        &long,
        &format!("invalid organization id `{long}`: expected 10 to 32 characters after `o-`"),
    );
    err::<OrganizationId>(
        "o-A1B2C3D4E5",
        "invalid organization id `o-A1B2C3D4E5`: only lowercase letters and digits are allowed after `o-`",
    );
}

#[test]
fn partition() {
    for p in Partition::ALL {
        assert_eq!(ok::<Partition>(p.as_str()), p);
        assert_eq!(p.cloudtrail_principal(), "cloudtrail.amazonaws.com");
    }
    let confirmed: Vec<_> = Partition::ALL
        .into_iter()
        .filter(|p| p.cloudtrail_principal_confirmed())
        .collect();
    assert_eq!(confirmed, [Partition::Aws, Partition::AwsCn]);
    assert_eq!(Partition::AwsCn.dns_suffix(), "amazonaws.com.cn");
    assert_eq!(Partition::AwsEusc.dns_suffix(), "amazonaws.eu");
    for bad in ["", "AWS", "aws-gov", "aws-isob", "aws "] {
        err::<Partition>(
            bad,
            &format!(
                "invalid partition `{bad}`: expected one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`"
            ),
        );
    }
}

#[test]
fn region() {
    let cases = [
        ("us-east-1", Partition::Aws),
        ("ap-southeast-7", Partition::Aws),
        ("mx-central-1", Partition::Aws),
        ("ap-east-9", Partition::Aws),
        ("cn-northwest-1", Partition::AwsCn),
        ("us-gov-west-1", Partition::AwsUsGov),
        ("us-iso-east-1", Partition::AwsIso),
        ("us-isob-east-1", Partition::AwsIsoB),
        ("us-isob-west-1", Partition::AwsIsoB),
        ("eu-isoe-west-1", Partition::AwsIsoE),
        ("us-isof-south-1", Partition::AwsIsoF),
        ("eusc-de-east-1", Partition::AwsEusc),
    ];
    for (code, partition) in cases {
        assert_eq!(ok::<Region>(code).partition(), partition, "{code}");
    }
    assert!(ok::<Region>("us-east-1").is_known());
    assert!(!ok::<Region>("ap-east-9").is_known());

    err::<Region>("", "invalid region ``: region codes must not be empty");
    err::<Region>(
        "US-EAST-1",
        "invalid region `US-EAST-1`: uppercase letters are not allowed in region codes",
    );
    err::<Region>(
        "us-east_x-1",
        "invalid region `us-east_x-1`: only lowercase letters, digits and `-` are allowed in region codes",
    );
    for bad in [
        "us-east-x",
        "useast1",
        "us-east",
        "xx-east-1",
        "us--1",
        "us-east-1-",
        "eusc-fr-east-1",
        "us-gov-1-1-1",
        "cn-north-east-1",
    ] {
        err::<Region>(
            bad,
            &format!(
                "invalid region `{bad}`: expected a region code like `us-east-1` that matches the region pattern of a partition"
            ),
        );
    }
}

#[test]
fn bucket_name() {
    for good in [
        "abc",
        "my-log-archive",
        "logs.example.com",
        "a1",
        "1.2.3",
        "my-.bucket",
    ]
    .into_iter()
    .filter(|s| s.len() >= 3)
    {
        ok::<BucketName>(good);
    }
    ok::<BucketName>(&"a".repeat(63));
    let e =
        |s: &str, rule: &str| err::<BucketName>(s, &format!("invalid bucket name `{s}`: {rule}"));
    // Rule 1.
    e("ab", "bucket names must be 3 to 63 characters long");
    e(
        &"a".repeat(64),
        "bucket names must be 3 to 63 characters long",
    );
    // Rule 2.
    e(
        "myBucketName",
        "uppercase letters are not allowed in bucket names",
    );
    e(
        "my_bucket",
        "only lowercase letters, digits, `.` and `-` are allowed in bucket names",
    );
    e(
        "my bucket",
        "only lowercase letters, digits, `.` and `-` are allowed in bucket names",
    );
    // Rule 3.
    e(
        "-bucket",
        "bucket names must begin and end with a letter or digit",
    );
    e(
        "bucket.",
        "bucket names must begin and end with a letter or digit",
    );
    // Rule 4.
    e(
        "my..bucket",
        "bucket names must not contain two adjacent periods",
    );
    // Rule 5.
    e(
        "192.168.5.4",
        "bucket names must not be formatted as an ip address",
    );
    // Rules 6 to 9.
    e("xn--bucket", "bucket names must not start with `xn--`");
    e(
        "sthree-bucket",
        "bucket names must not start with `sthree-`",
    );
    e(
        "sthree-configurator-x",
        "bucket names must not start with `sthree-`",
    );
    e(
        "amzn-s3-demo-bucket",
        "bucket names must not start with `amzn-s3-demo-`",
    );
    // Rules 10 to 14.
    e(
        "bucket-s3alias",
        "bucket names must not end with `-s3alias`",
    );
    e("bucket--ol-s3", "bucket names must not end with `--ol-s3`");
    e("bucket.mrap", "bucket names must not end with `.mrap`");
    e("bucket--x-s3", "bucket names must not end with `--x-s3`");
    e(
        "bucket--table-s3",
        "bucket names must not end with `--table-s3`",
    );
}

#[test]
fn bucket_name_cloudtrail_rule() {
    assert!(
        ok::<BucketName>("my-bucket.logs")
            .check_cloudtrail()
            .is_ok()
    );
    for s in ["my-.bucket", "my.-bucket"] {
        let bucket = ok::<BucketName>(s);
        assert_eq!(
            bucket.check_cloudtrail().unwrap_err().to_string(),
            format!(
                "invalid bucket name `{s}`: cloudtrail does not accept a dash adjacent to a period in bucket names"
            )
        );
    }
}

#[test]
fn key_prefix() {
    for good in ["logs", "org/cloudtrail", "a.b/c-d_e", "AWSLogsArchive", "é"] {
        ok::<KeyPrefix>(good);
    }
    ok::<KeyPrefix>(&"a".repeat(200));
    let e =
        |s: &str, rule: &str| err::<KeyPrefix>(s, &format!("invalid s3 key prefix `{s}`: {rule}"));
    e(
        "",
        "s3 key prefixes must not be empty; omit the prefix instead",
    );
    e(
        &"a".repeat(201),
        "s3 key prefixes must be at most 200 characters",
    );
    e("/logs", "s3 key prefixes must not start with `/`");
    e(
        "logs/",
        "s3 key prefixes must not end with `/`; the `/` before `AWSLogs` is added for you",
    );
    e(
        "a//b",
        "s3 key prefixes must not contain an empty segment (`//`)",
    );
    e(
        "AWSLogs",
        "s3 key prefixes must not contain an `AWSLogs` segment",
    );
    e(
        "x/AWSLogs/y",
        "s3 key prefixes must not contain an `AWSLogs` segment",
    );
    e(
        "a\nb",
        "control characters are not allowed in s3 key prefixes",
    );
    e(
        "日誌",
        "characters above U+00FF are not allowed because policy documents cannot contain them",
    );
    for wild in ["a*", "a?b", "${aws:username}"] {
        e(
            wild,
            "`*`, `?` and `$` are not allowed because they would act as wildcards or policy variables in the policy resource",
        );
    }
}

#[test]
fn key_prefix_paths() {
    let p = ok::<KeyPrefix>("org/trail");
    assert_eq!(p.as_str(), "org/trail");
    assert_eq!(p.object_path(), "org/trail/");
    let bucket = ok::<BucketName>("acme-logs");
    assert_eq!(
        bucket.logs_arn(Partition::AwsCn, Some(&p)),
        "arn:aws-cn:s3:::acme-logs/org/trail/AWSLogs/"
    );
    assert_eq!(
        bucket.logs_arn(Partition::Aws, None),
        "arn:aws:s3:::acme-logs/AWSLogs/"
    );
    assert_eq!(bucket.arn(Partition::Aws), "arn:aws:s3:::acme-logs");
}

#[test]
fn trail_name() {
    for good in [
        "abc",
        "My_Trail.1",
        "org-trail",
        "a-b.c_d",
        &"a".repeat(128),
        "1.2.3",
    ] {
        ok::<TrailName>(good);
    }
    let e = |s: &str, rule: &str| err::<TrailName>(s, &format!("invalid trail name `{s}`: {rule}"));
    e(
        "my trail",
        "only ascii letters, digits, `.`, `_` and `-` are allowed in trail names",
    );
    e(
        "my/trail",
        "only ascii letters, digits, `.`, `_` and `-` are allowed in trail names",
    );
    e(
        "-trail",
        "trail names must start and end with a letter or digit",
    );
    e(
        "trail_",
        "trail names must start and end with a letter or digit",
    );
    e("", "trail names must start and end with a letter or digit");
    e("ab", "trail names must be 3 to 128 characters long");
    e(
        &"a".repeat(129),
        "trail names must be 3 to 128 characters long",
    );
    e(
        "my-_namespace",
        "trail names must not contain adjacent periods, underscores or dashes",
    );
    e(
        "my--namespace",
        "trail names must not contain adjacent periods, underscores or dashes",
    );
    e(
        "my..namespace",
        "trail names must not contain adjacent periods, underscores or dashes",
    );
    e(
        "192.168.5.4",
        "trail names must not be formatted as an ip address",
    );
}

#[test]
fn trail_arn() {
    let arn = ok::<TrailArn>("arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail");
    assert_eq!(arn.partition(), Partition::Aws);
    assert_eq!(arn.region().as_str(), "us-east-1");
    assert_eq!(arn.account().as_str(), "111122223333");
    assert_eq!(arn.name().as_str(), "org-trail");
    ok::<TrailArn>("arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/t01");
    ok::<TrailArn>("arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/t01");

    let built = TrailArn::new(
        Partition::Aws,
        ok("eu-west-1"),
        ok("111122223333"),
        ok("my-trail"),
    )
    .unwrap();
    assert_eq!(
        built.to_string(),
        "arn:aws:cloudtrail:eu-west-1:111122223333:trail/my-trail"
    );
    assert_eq!(built, built.to_string().parse().unwrap());
    assert_eq!(
        TrailArn::new(
            Partition::AwsCn,
            ok("eu-west-1"),
            ok("111122223333"),
            ok("my-trail")
        )
        .unwrap_err()
        .to_string(),
        "invalid trail arn `arn:aws-cn:cloudtrail:eu-west-1:111122223333:trail/my-trail`: the region does not belong to the partition"
    );

    let e = |s: &str, rule: &str| err::<TrailArn>(s, &format!("invalid trail arn `{s}`: {rule}"));
    let malformed = "expected `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`";
    e("org-trail", malformed);
    e("arn:aws:cloudtrail:us-east-1:111122223333", malformed);
    e("arn:aws:s3:us-east-1:111122223333:trail/t01", malformed);
    e("arn:aws:cloudtrail:us-east-1:111122223333:t01", malformed);
    e(
        "arn:aws-mars:cloudtrail:us-east-1:111122223333:trail/t01",
        "the partition is not a known aws partition",
    );
    e(
        "arn:aws:cloudtrail:us-east-x:111122223333:trail/t01",
        "the region is invalid: expected a region code like `us-east-1` that matches the region pattern of a partition",
    );
    e(
        "arn:aws:cloudtrail:cn-north-1:111122223333:trail/t01",
        "the region does not belong to the partition",
    );
    e(
        "arn:aws:cloudtrail:us-east-1:1111:trail/t01",
        "the account id must be exactly 12 digits",
    );
    e(
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/my--trail",
        "the trail name is invalid: trail names must not contain adjacent periods, underscores or dashes",
    );
    // Precedence: the fields every ARN has (partition, Region and its partition, account) are
    // checked first, then the resource part.
    e(
        "arn:aws:cloudtrail:cn-north-1:1:trail/x",
        "the region does not belong to the partition",
    );
    e(
        "arn:aws:cloudtrail:us-east-1:1:foo/x",
        "the account id must be exactly 12 digits",
    );
    e(
        "arn:aws:cloudtrail:cn-north-1:111122223333:trail/x--",
        "the region does not belong to the partition",
    );
    e(
        "arn:awsx:cloudtrail:us-east-1:111122223333:foo/x",
        "the partition is not a known aws partition",
    );

    assert_eq!(
        TrailArn::any_in_account(Partition::AwsCn, &ok("111122223333")),
        "arn:aws-cn:cloudtrail:*:111122223333:trail/*"
    );
}

#[test]
fn arn_constructors_from_parts() {
    let alias = KmsAliasArn::from_parts(
        Partition::Aws,
        ok("eu-west-1"),
        ok("111122223333"),
        ok("alias/cloudtrail"),
    )
    .unwrap();
    assert_eq!(
        alias.as_str(),
        "arn:aws:kms:eu-west-1:111122223333:alias/cloudtrail"
    );
    assert_eq!(alias, alias.as_str().parse().unwrap());
    assert_eq!(
        KmsAliasArn::from_parts(
            Partition::AwsCn,
            ok("eu-west-1"),
            ok("111122223333"),
            ok("alias/x")
        )
        .unwrap_err()
        .to_string(),
        "invalid kms key reference `arn:aws-cn:kms:eu-west-1:111122223333:alias/x`: the region does not belong to the partition"
    );
    let role = PrincipalArn::role(Partition::Aws, &ok("111122223333"), "team/Reader").unwrap();
    assert_eq!(role.as_str(), "arn:aws:iam::111122223333:role/team/Reader");
    assert_eq!(role.path().as_deref(), Some("/team/"));
    assert_eq!(role.name(), Some("Reader"));
    assert_eq!(
        role.session("s1").as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/Reader/s1")
    );
    let plain = PrincipalArn::role(Partition::Aws, &ok("111122223333"), "Reader").unwrap();
    assert_eq!(plain.path().as_deref(), Some("/"));
    assert!(PrincipalArn::role(Partition::Aws, &ok("111122223333"), "a*b").is_err());
    let root = PrincipalArn::root(Partition::Aws, ok("111122223333"));
    assert_eq!(root.path(), None);
    assert_eq!(root.session("s"), None);
    let bucket = ok::<BucketName>("acme-logs");
    assert_eq!(
        bucket.object_arn(Partition::Aws, "a/b"),
        "arn:aws:s3:::acme-logs/a/b"
    );
}

const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
const MRK_ID: &str = "mrk-1234abcd12ab34cd56ef1234567890ab";

#[test]
fn kms_key_ref_accepts() {
    let key = ok::<KmsKeyRef>(&format!("arn:aws:kms:us-west-2:111122223333:key/{KEY_ID}"));
    let KmsKeyRef::KeyArn(arn) = &key else {
        panic!("{key:?}")
    };
    assert!(!arn.is_multi_region());
    assert_eq!(arn.key_id().as_str(), KEY_ID);
    assert_eq!(key.partition(), Some(Partition::Aws));
    assert_eq!(key.region().map(Region::as_str), Some("us-west-2"));
    assert_eq!(key.account().map(AccountId::as_str), Some("111122223333"));

    let mrk = ok::<KmsKeyArn>(&format!("arn:aws:kms:us-west-2:111122223333:key/{MRK_ID}"));
    assert!(mrk.is_multi_region());

    let alias = ok::<KmsKeyRef>("arn:aws-cn:kms:cn-north-1:123456789012:alias/MyAliasName");
    let KmsKeyRef::AliasArn(arn) = &alias else {
        panic!("{alias:?}")
    };
    assert_eq!(arn.alias_name().as_str(), "alias/MyAliasName");
    assert_eq!(arn.partition(), Partition::AwsCn);

    assert!(matches!(ok::<KmsKeyRef>(KEY_ID), KmsKeyRef::KeyId(_)));
    assert!(matches!(ok::<KmsKeyRef>(MRK_ID), KmsKeyRef::KeyId(_)));
    let name = ok::<KmsKeyRef>("alias/cloud_trail/logs-1");
    assert!(matches!(name, KmsKeyRef::AliasName(_)));
    assert_eq!(name.partition(), None);
    assert_eq!(name.account(), None);
    ok::<KmsKeyRef>("alias/aws");
    ok::<KmsKeyRef>(&format!("alias/{}", "a".repeat(250)));
}

#[test]
fn kms_key_ref_rejects() {
    let e = |s: &str, rule: &str| {
        err::<KmsKeyRef>(s, &format!("invalid kms key reference `{s}`: {rule}"));
    };
    let key_id = "the key id must be a lowercase uuid (8-4-4-4-12 hex digits) or `mrk-` followed by 32 lowercase hex digits";
    e("", key_id);
    e("1234ABCD-12ab-34cd-56ef-1234567890ab", key_id);
    e("1234abcd-12ab-34cd-56ef-1234567890a", key_id);
    e("1234abcd12ab34cd56ef1234567890ab", key_id);
    e("mrk-1234abcd12ab34cd56ef1234567890a", key_id);
    e("mrk-1234abcd-12ab-34cd-56ef-1234567890ab", key_id);
    e(
        &format!(
            "arn:aws:kms:us-west-2:111122223333:key/{}",
            KEY_ID.to_uppercase()
        ),
        key_id,
    );
    e("alias/", "the alias name must not be empty after `alias/`");
    e(
        &format!("alias/{}", "a".repeat(251)),
        "alias names must be at most 256 characters",
    );
    e(
        "alias/my alias",
        "only letters, digits, `/`, `_` and `-` are allowed in alias names",
    );
    e(
        "alias/my:alias",
        "only letters, digits, `/`, `_` and `-` are allowed in alias names",
    );
    e(
        "alias/aws/cloudtrail",
        "alias names must not begin with `alias/aws/`, which is reserved for aws managed keys",
    );
    let malformed = "expected a key id, `alias/<name>`, `arn:<partition>:kms:<region>:<account>:key/<key-id>` or `arn:<partition>:kms:<region>:<account>:alias/<name>`";
    e("arn:aws:kms:us-west-2:111122223333", malformed);
    e(
        &format!("arn:aws:s3:us-west-2:111122223333:key/{KEY_ID}"),
        malformed,
    );
    e(
        &format!("arn:aws:kms:us-west-2:111122223333:keys/{KEY_ID}"),
        malformed,
    );
    e(
        &format!("arn:aws-mars:kms:us-west-2:111122223333:key/{KEY_ID}"),
        "the partition is not a known aws partition",
    );
    e(
        &format!("arn:aws:kms:US-WEST-2:111122223333:key/{KEY_ID}"),
        "the region is invalid: uppercase letters are not allowed in region codes",
    );
    e(
        &format!("arn:aws:kms:us-gov-west-1:111122223333:key/{KEY_ID}"),
        "the region does not belong to the partition",
    );
    e(
        &format!("arn:aws:kms:us-west-2:11112222333:key/{KEY_ID}"),
        "the account id must be exactly 12 digits",
    );
    err::<KmsKeyArn>(
        "arn:aws:kms:us-west-2:111122223333:alias/x",
        &format!(
            "invalid kms key reference `arn:aws:kms:us-west-2:111122223333:alias/x`: {malformed}"
        ),
    );
}

#[test]
fn principal_arn() {
    let root = ok::<PrincipalArn>("arn:aws:iam::111122223333:root");
    assert_eq!(root.kind(), PrincipalKind::Root);
    assert_eq!(root.name(), None);
    assert_eq!(root, PrincipalArn::root(Partition::Aws, ok("111122223333")));
    let role =
        ok::<PrincipalArn>("arn:aws-us-gov:iam::111122223333:role/service-role/a+b=c,d.e@f_g-h");
    assert_eq!(role.kind(), PrincipalKind::Role);
    assert_eq!(role.name(), Some("a+b=c,d.e@f_g-h"));
    assert_eq!(role.partition(), Partition::AwsUsGov);
    assert_eq!(role.account().as_str(), "111122223333");
    let user = ok::<PrincipalArn>("arn:aws:iam::111122223333:user/Alice");
    assert_eq!(user.kind(), PrincipalKind::User);
    ok::<PrincipalArn>(&format!(
        "arn:aws:iam::111122223333:role/{}",
        "r".repeat(64)
    ));

    let e = |s: &str, rule: &str| {
        err::<PrincipalArn>(s, &format!("invalid principal arn `{s}`: {rule}"))
    };
    let malformed = "expected `arn:<partition>:iam::<account>:root`, `arn:<partition>:iam::<account>:role/<name>` or `arn:<partition>:iam::<account>:user/<name>`";
    e("111122223333", malformed);
    e("arn:aws:iam:us-east-1:111122223333:root", malformed);
    e("arn:aws:sts::111122223333:root", malformed);
    e("arn:aws:iam::111122223333:group/admins", malformed);
    e("arn:aws:iam::111122223333:role", malformed);
    let wildcard =
        "`*`, `?` and `$` are not allowed because they would act as wildcards or policy variables";
    e("arn:aws:iam::111122223333:role/*", wildcard);
    e("arn:aws:iam::*:root", wildcard);
    e("arn:aws:iam::111122223333:user/${aws:username}", wildcard);
    e("arn:aws:iam::111122223333:role/a?", wildcard);
    e(
        "arn:aws-mars:iam::111122223333:root",
        "the partition is not a known aws partition",
    );
    e(
        "arn:aws:iam::1111:root",
        "the account id must be exactly 12 digits",
    );
    e(
        "arn:aws:iam::111122223333:role/",
        "role and user names must be 1 to 64 characters long",
    );
    e(
        &format!("arn:aws:iam::111122223333:user/{}", "u".repeat(65)),
        "role and user names must be 1 to 64 characters long",
    );
    e(
        "arn:aws:iam::111122223333:role/my role",
        "only ascii letters, digits and `+=,.@_-` are allowed in role and user names and paths",
    );
    e(
        "arn:aws:iam::111122223333:role/a//b",
        "the path must not contain an empty segment",
    );
}

#[test]
fn serde_goes_through_the_parser() {
    let e = serde_json::from_str::<AccountId>("\"12\"").unwrap_err();
    assert!(
        e.to_string()
            .contains("invalid account id `12`: expected exactly 12 digits"),
        "{e}"
    );
    let e = serde_json::from_str::<BucketName>("\"myBucketName\"").unwrap_err();
    assert!(
        e.to_string()
            .contains("uppercase letters are not allowed in bucket names"),
        "{e}"
    );
    assert!(serde_json::from_str::<Partition>("\"aws-mars\"").is_err());
    assert!(serde_json::from_str::<KmsKeyRef>("\"alias/aws/s3\"").is_err());

    fn round_trip<T>(s: &str)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(s).unwrap();
        let value: T = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
    }
    round_trip::<AccountId>("111122223333");
    round_trip::<OrganizationId>("o-a1b2c3d4e5");
    round_trip::<Partition>("aws-us-gov");
    round_trip::<Region>("eu-west-1");
    round_trip::<BucketName>("my-log-archive");
    round_trip::<KeyPrefix>("org/cloudtrail");
    round_trip::<TrailName>("org-trail");
    round_trip::<TrailArn>("arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail");
    round_trip::<KmsKeyRef>("alias/cloudtrail");
    round_trip::<KmsKeyArn>(&format!("arn:aws:kms:us-west-2:111122223333:key/{KEY_ID}"));
    round_trip::<PrincipalArn>("arn:aws:iam::111122223333:role/Auditor");
}

#[test]
fn autotraits() {
    fn assert_send_sync<T: Send + Sync + Unpin + std::panic::UnwindSafe>() {}
    assert_send_sync::<AccountId>();
    assert_send_sync::<OrganizationId>();
    assert_send_sync::<Partition>();
    assert_send_sync::<Region>();
    assert_send_sync::<BucketName>();
    assert_send_sync::<KeyPrefix>();
    assert_send_sync::<TrailName>();
    assert_send_sync::<TrailArn>();
    assert_send_sync::<KmsKeyRef>();
    assert_send_sync::<KmsKeyArn>();
    assert_send_sync::<KmsAliasArn>();
    assert_send_sync::<KmsKeyId>();
    assert_send_sync::<KmsAliasName>();
    assert_send_sync::<PrincipalArn>();
    assert_send_sync::<PrincipalKind>();
    assert_send_sync::<ParseError>();
}
