//! The real binary: fixture specs with snapshots of stdout, and bad inputs of every kind with
//! their exit code, their message, and nothing written.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cloudtrail-policy");
const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/example-spec.json");
const PER_ACCOUNT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/specs/per-account-trails.json"
);

fn run(args: &[&str]) -> Output {
    run_with_stdin(args, "")
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh scratch directory under the target dir.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The example spec with one JSON pointer replaced (or removed with `null`), written to a file.
fn spec_with(name: &str, pointer: &str, value: serde_json::Value) -> PathBuf {
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(EXAMPLE).unwrap()).unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = spec.pointer_mut(parent).unwrap();
    if value.is_null() {
        target.as_object_mut().unwrap().remove(key);
    } else if let Ok(i) = key.parse::<usize>() {
        target[i] = value;
    } else {
        target[key] = value;
    }
    let path = scratch(name).join("spec.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    path
}

#[test]
fn plan_on_the_example_and_a_per_account_spec() {
    let o = run(&["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("built-in example"));
    insta::assert_snapshot!("cli_plan_example", stdout(&o));
    let o = run(&["plan", PER_ACCOUNT]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("cli_plan_per_account", stdout(&o));
    let compact = run(&["plan", EXAMPLE, "--compact"]);
    assert_eq!(stdout(&compact).lines().count(), 1);
    let a: serde_json::Value = serde_json::from_str(&stdout(&compact)).unwrap();
    let b: serde_json::Value = serde_json::from_str(&stdout(&run(&["plan", EXAMPLE]))).unwrap();
    assert_eq!(a, b);
}

#[test]
fn plan_stdout_matches_the_library() {
    let spec = cloudtrail_policy::Spec::example().unwrap();
    let plan = cloudtrail_policy::Plan::from_spec(&spec).unwrap();
    let expected = serde_json::to_string_pretty(&plan).unwrap() + "\n";
    assert_eq!(stdout(&run(&["plan", EXAMPLE])), expected);
}

#[test]
fn plan_out_writes_every_file_usable_as_is() {
    let dir = scratch("out");
    let o = run(&["plan", EXAMPLE, "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "111111111111-org-trail.create-trail.json",
            "111111111111-org-trail.event-selectors.json",
            "111111111111-org-trail.insight-selectors.json",
            "cloudformation",
            "findings.json",
            "log-archive.bucket-encryption.json",
            "log-archive.bucket-policy.json",
            "log-archive.bucket-versioning.json",
            "log-archive.key-policy.json",
            "log-archive.ownership-controls.json",
            "log-archive.public-access-block.json",
        ]
    );
    let mut templates: Vec<String> = std::fs::read_dir(dir.join("cloudformation"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    templates.sort();
    assert_eq!(
        templates,
        ["111111111111-org-trail.cfn.json", "log-archive.cfn.json"]
    );
    // Policies parse as policies; request bodies carry the API member names.
    for policy in [
        "log-archive.bucket-policy.json",
        "log-archive.key-policy.json",
    ] {
        let text = std::fs::read_to_string(dir.join(policy)).unwrap();
        cloudtrail_policy::document::PolicyDocument::from_json(&text).unwrap();
    }
    let create: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("111111111111-org-trail.create-trail.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(create["Name"], "org-trail");
    assert_eq!(create["IsOrganizationTrail"], true);
    // Writing again over the same files succeeds and leaves no temporary files.
    let o = run(&["plan", EXAMPLE, "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 11);
    assert_eq!(
        std::fs::read_dir(dir.join("cloudformation"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn check_and_verify() {
    let o = run(&["check", EXAMPLE]);
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(0), "no findings\n")
    );
    let o = run(&["check", EXAMPLE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]));
    let o = run(&["verify", EXAMPLE, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let probes = v["probes"].as_array().unwrap();
    assert!(probes.len() >= 40);
    for p in probes {
        let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        for k in [
            "name",
            "policy",
            "principal",
            "action",
            "resource",
            "context",
            "expect",
            "verdict",
        ] {
            assert!(keys.contains(&k), "{k} missing in {p}");
        }
        assert_eq!(p["expect"], p["verdict"]);
    }
    let o = run(&["verify", EXAMPLE]);
    let text = stdout(&o);
    assert!(text.ends_with(&format!(
        "{} of {} probes as expected\n",
        probes.len(),
        probes.len()
    )));
    assert!(text.contains("by CloudTrailPolicyWrite111111111111"));
}

#[test]
fn one_artifact_from_flags() {
    let o = run(&[
        "bucket-policy",
        "--bucket",
        "acme-cloudtrail-logs",
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
        "--account",
        "222222222222",
        "--prefix",
        "cloudtrail",
        "--reader",
        "arn:aws:iam::999999999999:role/SecurityAudit",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("cli_bucket_policy_flags", stdout(&o));
    let o = run(&[
        "key-policy",
        "--key-arn",
        "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
        "--bucket-key",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("cli_key_policy_flags", stdout(&o));
    let o = run(&[
        "trail",
        "--name",
        "org-trail",
        "--account",
        "111111111111",
        "--home-region",
        "us-east-1",
        "--bucket",
        "acme-cloudtrail-logs",
        "--organization",
        "--org-id",
        "o-a1b2c3d4e5",
        "--exclude-management-source",
        "kms.amazonaws.com",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["create_trail", "event_selectors", "insight_selectors"]
    );
    insta::assert_snapshot!("cli_trail_flags", stdout(&o));
}

#[test]
fn merge_into_an_existing_policy_is_idempotent() {
    let dir = scratch("merge");
    let existing = dir.join("existing.json");
    std::fs::write(
        &existing,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Analytics","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/A"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}]}"#,
    )
    .unwrap();
    let args = |file: &Path| {
        vec![
            "bucket-policy".to_owned(),
            "--bucket".into(),
            "acme-cloudtrail-logs".into(),
            "--account".into(),
            "111111111111".into(),
            "--existing".into(),
            file.to_str().unwrap().to_owned(),
        ]
    };
    let a: Vec<String> = args(&existing);
    let once = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(once.status.code(), Some(0), "{}", stderr(&once));
    assert!(stderr(&once).contains("account 111111111111 added"));
    assert!(stdout(&once).contains("\"Sid\": \"Analytics\""));
    let merged = dir.join("merged.json");
    std::fs::write(&merged, stdout(&once)).unwrap();
    let b: Vec<String> = args(&merged);
    let twice = run(&b.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(stdout(&twice), stdout(&once));
}

#[test]
fn example_and_schema() {
    let o = run(&["example"]);
    assert_eq!(stdout(&o), std::fs::read_to_string(EXAMPLE).unwrap());
    let o = run(&["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Every top-level spec field is in the schema.
    let props = schema["properties"].as_object().unwrap();
    let example: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(EXAMPLE).unwrap()).unwrap();
    for k in example.as_object().unwrap().keys() {
        assert!(props.contains_key(k), "{k} not in the schema");
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = Command::new(BIN)
        .args(["verify", EXAMPLE])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

/// Bad input: (arguments, stdin, exit code, a fragment of stderr).
struct Bad {
    args: Vec<String>,
    code: i32,
    message: &'static str,
}

fn bad(args: &[&str], code: i32, message: &'static str) -> Bad {
    Bad {
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        code,
        message,
    }
}

fn spec_case(
    name: &str,
    pointer: &str,
    value: serde_json::Value,
    code: i32,
    message: &'static str,
) -> Bad {
    let path = spec_with(name, pointer, value);
    Bad {
        args: vec!["plan".into(), path.to_str().unwrap().into()],
        code,
        message,
    }
}

fn raw_spec(name: &str, text: &str, code: i32, message: &'static str) -> Bad {
    let path = scratch(name).join("spec.json");
    std::fs::write(&path, text).unwrap();
    Bad {
        args: vec!["plan".into(), path.to_str().unwrap().into()],
        code,
        message,
    }
}

#[test]
fn bad_inputs_fail_cleanly_and_write_nothing() {
    let v = |s: &str| serde_json::Value::String(s.to_owned());
    let many: Vec<serde_json::Value> = (0..400)
        .map(|i| v(&format!("{:012}", 200_000_000_000u64 + i)))
        .collect();
    let full: Vec<serde_json::Value> = (0..5)
        .map(|i| serde_json::json!({"account": "111111111111", "home_region": "eu-west-1", "name": format!("legacy-{i}"), "multi_region": true}))
        .collect();
    let cases = vec![
        // Usage errors (clap): exit 2.
        bad(&[], 2, "Usage"),
        bad(&["deploy"], 2, "unrecognized subcommand"),
        bad(&["check"], 2, "required"),
        bad(
            &["bucket-policy", "--account", "111111111111"],
            2,
            "--bucket",
        ),
        bad(
            &["bucket-policy", "--bucket", "myBucketName"],
            2,
            "uppercase letters are not allowed in bucket names",
        ),
        bad(
            &["bucket-policy", "--bucket", "b-logs", "--account", "12345"],
            2,
            "invalid account id `12345`: expected exactly 12 digits",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--trail-arn",
                "arn:aws:cloudtrail",
            ],
            2,
            "invalid trail arn",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--org-id",
                "o-123",
                "--account",
                "111111111111",
            ],
            2,
            "invalid organization id `o-123`",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--prefix",
                "/logs",
                "--account",
                "111111111111",
            ],
            2,
            "invalid s3 key prefix `/logs`",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--layout",
                "wide",
                "--account",
                "111111111111",
            ],
            2,
            "invalid value 'wide'",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--reader",
                "arn:aws:iam::1:role/x",
            ],
            2,
            "invalid principal arn",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--partition",
                "aws-mars",
            ],
            2,
            "invalid partition `aws-mars`",
        ),
        bad(
            &["bucket-policy", "--bucket", "b-logs"],
            2,
            "nothing delivers to the bucket",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--partition",
                "aws-cn",
                "--trail-arn",
                "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
            ],
            2,
            "is in partition `aws`, but the log archive is in `aws-cn`",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--org-id",
                "o-a1b2c3d4e5",
                "--account",
                "111111111111",
            ],
            2,
            "--org-id needs the organization trail",
        ),
        bad(
            &[
                "key-policy",
                "--key-arn",
                "alias/logs",
                "--account",
                "111111111111",
            ],
            2,
            "invalid kms key",
        ),
        bad(
            &[
                "trail",
                "--name",
                "ab",
                "--account",
                "111111111111",
                "--home-region",
                "us-east-1",
                "--bucket",
                "b-logs",
            ],
            2,
            "invalid trail name `ab`",
        ),
        bad(
            &[
                "trail",
                "--name",
                "main",
                "--account",
                "111111111111",
                "--home-region",
                "us-east-x",
                "--bucket",
                "b-logs",
            ],
            2,
            "invalid region `us-east-x`",
        ),
        bad(
            &[
                "trail",
                "--name",
                "main",
                "--account",
                "111111111111",
                "--home-region",
                "us-east-1",
                "--bucket",
                "b-logs",
                "--exclude-management-source",
                "s3.amazonaws.com",
            ],
            2,
            "invalid value 's3.amazonaws.com'",
        ),
        bad(
            &[
                "trail",
                "--name",
                "main",
                "--account",
                "111111111111",
                "--home-region",
                "us-east-1",
                "--bucket",
                "my-.logs",
            ],
            2,
            "InvalidS3BucketNameException",
        ),
        bad(
            &["check", EXAMPLE, "--format", "yaml"],
            2,
            "invalid value 'yaml'",
        ),
        bad(&["lint", "--bucket-policy", EXAMPLE], 2, "--spec"),
        bad(
            &[
                "lint",
                "--bucket-policy",
                EXAMPLE,
                "--key-policy",
                EXAMPLE,
                "--spec",
                EXAMPLE,
            ],
            2,
            "cannot be used with",
        ),
        // Unreadable and malformed input: exit 2.
        bad(
            &["plan", "/nonexistent/spec.json"],
            2,
            "cannot read `/nonexistent/spec.json`",
        ),
        bad(&["check", "/"], 2, "cannot read `/`"),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "b-logs",
                "--account",
                "111111111111",
                "--existing",
                "/nonexistent.json",
            ],
            2,
            "cannot read `/nonexistent.json`",
        ),
        bad(
            &["lint", "--bucket-policy", EXAMPLE, "--spec", EXAMPLE],
            2,
            "invalid policy",
        ),
        raw_spec("malformed", "{\"log_archive\": ", 2, "$: invalid json"),
        raw_spec(
            "not-object",
            "[]",
            2,
            "$: expected an object, found an array",
        ),
        raw_spec(
            "unknown-top",
            r#"{"log_archive":{"account":"999999999999","region":"us-east-1","bucket":"b-logs"},"trail":[]}"#,
            2,
            "$: unknown field `trail`",
        ),
        raw_spec(
            "duplicate",
            r#"{"log_archive":{"account":"999999999999","account":"999999999999","region":"us-east-1","bucket":"b-logs"}}"#,
            2,
            "log_archive: field `account` appears twice",
        ),
        spec_case(
            "missing-la",
            "/log_archive",
            serde_json::Value::Null,
            2,
            "$: missing field `log_archive`",
        ),
        spec_case(
            "missing-region",
            "/log_archive/region",
            serde_json::Value::Null,
            2,
            "log_archive: missing field `region`",
        ),
        spec_case(
            "unknown-nested",
            "/log_archive/bucket_name",
            v("x"),
            2,
            "log_archive: unknown field `bucket_name`",
        ),
        spec_case(
            "bad-account",
            "/log_archive/account",
            v("12345"),
            2,
            "log_archive.account: invalid account id `12345`: expected exactly 12 digits",
        ),
        spec_case(
            "bad-region",
            "/trails/0/home_region",
            v("us-east-x"),
            2,
            "trails[0].home_region: invalid region `us-east-x`",
        ),
        spec_case(
            "bad-bucket",
            "/log_archive/bucket",
            v("myBucketName"),
            2,
            "log_archive.bucket: invalid bucket name `myBucketName`: uppercase letters are not allowed in bucket names",
        ),
        spec_case(
            "bad-org",
            "/organization/id",
            v("o-1"),
            2,
            "organization.id: invalid organization id `o-1`",
        ),
        spec_case(
            "bad-key",
            "/log_archive/kms_key",
            v("arn:aws:kms:us-east-1:999999999999:key/not-a-key"),
            2,
            "log_archive.kms_key: invalid kms key",
        ),
        spec_case(
            "bad-type",
            "/log_archive/bucket_key",
            v("yes"),
            2,
            "log_archive.bucket_key: expected true or false, found `yes`",
        ),
        spec_case(
            "bad-trail-name",
            "/trails/0/name",
            v("my--trail"),
            2,
            "trails[0].name: invalid trail name `my--trail`",
        ),
        spec_case(
            "bad-rw",
            "/trails/0/management_events/read_write",
            v("Everything"),
            2,
            "trails[0].management_events.read_write: invalid value `Everything`",
        ),
        spec_case(
            "bad-source",
            "/trails/0/management_events/exclude_sources/0",
            v("s3.amazonaws.com"),
            2,
            "trails[0].management_events.exclude_sources[0]: invalid value `s3.amazonaws.com`",
        ),
        spec_case(
            "bad-reader",
            "/log_archive/readers/0",
            v("arn:aws:iam::999999999999:group/Admins"),
            2,
            "log_archive.readers[0]: invalid principal arn",
        ),
        spec_case(
            "bad-prefix",
            "/log_archive/prefix",
            v("logs/AWSLogs"),
            2,
            "log_archive.prefix: invalid s3 key prefix",
        ),
        spec_case(
            "bad-insight",
            "/trails/0/insights/0",
            v("ApiWhatever"),
            2,
            "trails[0].insights[0]: invalid value `ApiWhatever`, expected one of `ApiCallRateInsight`, `ApiErrorRateInsight`",
        ),
        // Valid input, failed plan: exit 1.
        spec_case(
            "no-org",
            "/organization",
            serde_json::Value::Null,
            1,
            "trails[0].organization: an organization trail needs the spec's `organization`",
        ),
        spec_case(
            "member-org-trail",
            "/trails/0/account",
            v("333333333333"),
            1,
            "NotOrganizationMasterAccountException",
        ),
        spec_case(
            "key-region",
            "/log_archive/kms_key",
            v("arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            1,
            "KmsKeyNotFoundException",
        ),
        spec_case(
            "quota",
            "/existing_trails",
            full.into(),
            1,
            "MaximumNumberOfTrailsExceededException",
        ),
        spec_case(
            "oversize",
            "/accounts",
            many.into(),
            1,
            "use an organization trail",
        ),
        spec_case(
            "partition",
            "/trails/0/home_region",
            v("cn-north-1"),
            1,
            "partition",
        ),
        spec_case(
            "dash-dot-bucket",
            "/log_archive/bucket",
            v("acme.-logs"),
            1,
            "InvalidS3BucketNameException",
        ),
    ];
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (i, case) in cases.iter().enumerate() {
        let out = scratch(&format!("bad-out-{i}")).join("out");
        let mut args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let plans = args.first() == Some(&"plan");
        if plans {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(case.code),
            "case {i} {:?}: {err}",
            case.args
        );
        assert!(
            err.contains(case.message),
            "case {i} {:?}: `{}` not in: {err}",
            case.args,
            case.message
        );
        assert!(!err.contains("panicked"), "case {i}: {err}");
        assert!(
            o.stdout.is_empty() || case.code == 2 && err.is_empty(),
            "case {i} wrote to stdout"
        );
        if plans {
            assert!(!out.exists(), "case {i} created {}", out.display());
        }
    }
}

#[test]
fn an_unwritable_out_dir_fails_and_leaves_nothing() {
    let dir = scratch("unwritable");
    let file = dir.join("a-file");
    std::fs::write(&file, "keep me").unwrap();
    let o = run(&["plan", EXAMPLE, "--out", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    // A directory in the place of an output file: refused before anything is written.
    let out = scratch("blocked");
    std::fs::create_dir(out.join("log-archive.key-policy.json")).unwrap();
    std::fs::create_dir(out.join("log-archive.key-policy.json/inner")).unwrap();
    std::fs::write(out.join("log-archive.bucket-policy.json"), "old").unwrap();
    let o = run(&["plan", EXAMPLE, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is in the way"), "{}", stderr(&o));
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "log-archive.bucket-policy.json",
            "log-archive.key-policy.json"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("log-archive.bucket-policy.json")).unwrap(),
        "old"
    );
}

#[test]
fn a_merge_into_a_public_policy_prints_it_but_fails_its_lint() {
    let dir = scratch("merge-public");
    let existing = dir.join("existing.json");
    std::fs::write(
        &existing,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Oops","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"}]}"#,
    )
    .unwrap();
    let o = run(&[
        "bucket-policy",
        "--bucket",
        "acme-cloudtrail-logs",
        "--account",
        "111111111111",
        "--existing",
        existing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[public-access]"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("\"Sid\": \"Oops\""));
}

#[test]
fn a_bucket_key_key_policy_with_readers_needs_the_bucket() {
    let args = [
        "key-policy",
        "--key-arn",
        "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
        "--reader",
        "arn:aws:iam::999999999999:role/SecurityAudit",
        "--bucket-key",
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("name the bucket"), "{}", stderr(&o));
    let mut with_bucket = args.to_vec();
    with_bucket.extend(["--bucket", "acme-cloudtrail-logs", "--prefix", "cloudtrail"]);
    let o = run(&with_bucket);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("CloudTrailPolicyReadLogsBucketKey"), "{out}");
    assert!(
        out.contains("arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/*"),
        "{out}"
    );
}

#[test]
fn check_controls_lists_each_control_as_text_or_json() {
    const AUDITED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/specs/access-logs-lifecycle.json"
    );
    let o = run(&["check", "--controls", AUDITED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 10, "{text}");
    assert!(text.lines().any(|l| l.starts_with("met ")
        && l.contains("CloudTrail.7")
        && l.contains("cloudtrail_logs_s3_bucket_access_logging_enabled")));
    assert!(
        text.lines()
            .any(|l| l.starts_with("not-met ") && l.contains("S3.20"))
    );
    let o = run(&["check", "--controls", "--format", "json", AUDITED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let controls = json["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 10);
    for c in controls {
        for member in ["id", "title", "cis", "prowler", "status", "reason"] {
            assert!(c.get(member).is_some(), "{member} missing in {c}");
        }
    }
    // Without --controls, check still prints the findings.
    let o = run(&["check", AUDITED]);
    assert!(
        stdout(&o).contains("suggestion[access-logs]"),
        "{}",
        stdout(&o)
    );
}
