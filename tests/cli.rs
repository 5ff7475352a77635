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
            ".cloudtrail-policy-manifest",
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
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 12);
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
    // The complete proof of each policy: `{"regions", "counterexamples", "incomplete"}`, in
    // that order in the text.
    let raw: String = stdout(&o).split_whitespace().collect();
    for policy in ["bucket_policy", "key_policy"] {
        let proof = &v["complete"][policy];
        let members: Vec<&str> = proof
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            members,
            ["counterexamples", "incomplete", "regions"],
            "{proof}"
        );
        assert!(
            raw.contains(&format!(
                r#""{policy}":{{"regions":{},"counterexamples":[],"incomplete":null}}"#,
                proof["regions"]
            )),
            "{policy} in {raw}"
        );
        assert!(proof["regions"].as_u64().unwrap() > 0);
        assert_eq!(proof["counterexamples"], serde_json::json!([]));
        assert_eq!(proof["incomplete"], serde_json::Value::Null);
    }
    assert_eq!(
        v["complete"]["access_logs_bucket_policy"],
        serde_json::Value::Null
    );
    let o = run(&["verify", EXAMPLE]);
    let text = stdout(&o);
    let regions = |policy: &str| v["complete"][policy]["regions"].as_u64().unwrap();
    assert!(text.ends_with(&format!(
        "{} of {} probes as expected\ncomplete: bucket policy, {} regions\ncomplete: key policy, {} regions\n",
        probes.len(),
        probes.len(),
        regions("bucket_policy"),
        regions("key_policy"),
    )), "{text}");
    assert!(text.contains(
        "\nok   Allow        Write111111111111         log file from 111111111111:trail/org-trail into AWSLogs/111111111111/\n"
    ));
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
            "`alias/logs` is not a key arn: a key policy needs the key's arn, `arn:<partition>:kms:<region>:<account>:key/<key-id>`",
        ),
        bad(
            &[
                "key-policy",
                "--key-arn",
                "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ],
            2,
            "error: no trail encrypts with the key: name the trails with --trail-arn",
        ),
        bad(
            &[
                "bucket-policy",
                "--bucket",
                "my-.bucket",
                "--account",
                "111111111111",
            ],
            2,
            "cloudtrail does not accept a dash adjacent to a period in bucket names (CreateTrail fails with InvalidS3BucketNameException)",
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
            "use an organization trail, whose deliveries need two write statements in all, however many member accounts",
        ),
        spec_case(
            "partition",
            "/trails/0/home_region",
            v("cn-north-1"),
            1,
            "error[partition-mismatch]: trails[0].home_region: region `cn-north-1` is in partition `aws-cn`, but the spec's partition is `aws`\nerror: the plan failed: 1 error (listed above)\n",
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
fn oversized_input_is_refused_at_once_without_reading_it_all() {
    // /dev/zero never ends: only a bounded reader can answer, and fast.
    let start = std::time::Instant::now();
    let o = run(&["check", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: spec `/dev/zero` is over 16 MiB, the most this tool reads\n"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    let o = run(&["lint", "--bucket-policy", "/dev/zero", "--spec", EXAMPLE]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: policy `/dev/zero` is over 64 KiB, the most this tool reads: S3 bucket policies are at most 20 KB and KMS key policies 32 KB\n"
    );
    // Exactly at the limit is read (and then found not to be a policy); one byte more is not.
    let dir = scratch("limits");
    let at = dir.join("at.json");
    std::fs::write(&at, " ".repeat(64 * 1024)).unwrap();
    let over = dir.join("over.json");
    std::fs::write(&over, " ".repeat(64 * 1024 + 1)).unwrap();
    let o = run(&[
        "lint",
        "--key-policy",
        at.to_str().unwrap(),
        "--spec",
        EXAMPLE,
    ]);
    assert!(stderr(&o).contains("invalid policy"), "{}", stderr(&o));
    let o = run(&[
        "lint",
        "--key-policy",
        over.to_str().unwrap(),
        "--spec",
        EXAMPLE,
    ]);
    assert!(stderr(&o).contains("is over 64 KiB"), "{}", stderr(&o));
    // Stdin is bounded too, and named `stdin`.
    let o = run_with_stdin(&["check", "-"], &" ".repeat(16 * 1024 * 1024 + 1));
    assert_eq!(
        stderr(&o),
        "error: spec on stdin is over 16 MiB, the most this tool reads\n"
    );
    let o = run_with_stdin(&["check", "-"], "{");
    assert!(
        stderr(&o).starts_with("error: invalid spec on stdin\n"),
        "{}",
        stderr(&o)
    );
}

/// `bucket-policy` with `args`, merging into `existing` (written to a scratch file).
fn merge_run(name: &str, existing: &str, args: &[&str]) -> Output {
    let path = scratch(name).join("existing.json");
    std::fs::write(&path, existing).unwrap();
    let mut all = vec!["bucket-policy", "--bucket", "acme-cloudtrail-logs"];
    all.extend(args);
    all.extend(["--existing", path.to_str().unwrap()]);
    run(&all)
}

#[test]
fn a_merge_says_what_differs_and_which_flag_proceeds() {
    // The README's policy: written with --prefix cloudtrail.
    let first = run(&[
        "bucket-policy",
        "--bucket",
        "acme-cloudtrail-logs",
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
        "--prefix",
        "cloudtrail",
    ]);
    let current = stdout(&first);
    // Merging without the prefix would change the delete deny: refused, the values shown.
    let o = merge_run("merge-prefix", &current, &["--account", "333333333333"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: the existing policy's deny `CloudTrailPolicyDenyLogDeletion` would change: its `Resource` is \"arn:aws:s3:::acme-cloudtrail-logs/cloudtrail/AWSLogs/*\" there and \"arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*\" in the generated policy; generate with the options the existing policy was made with, or allow relaxing denies to change it\n  \
         help: to keep the deny, generate with the flags it was made with (--prefix, --bucket, --deny-delete-exempt, --no-deny-*, --policy-admin)\n  \
         help: to drop or change it on purpose, add --allow-relaxing-denies\n"
    );
    assert!(o.stdout.is_empty());
    // With the same flags and one more account: every change listed.
    let o = merge_run(
        "merge-ok",
        &current,
        &[
            "--trail-arn",
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
            "--prefix",
            "cloudtrail",
            "--account",
            "333333333333",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "note: statement `CloudTrailPolicyAclCheckAnyTrail` added\n\
         note: statement `CloudTrailPolicyWriteAnyTrail333333333333` added\n\
         note: account 333333333333 added\n"
    );
    // Relaxing on purpose: the flag, and the change is listed.
    let o = merge_run(
        "merge-relax",
        &current,
        &["--account", "333333333333", "--allow-relaxing-denies"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for line in [
        "note: statement `CloudTrailPolicyDenyLogDeletion` changed\n",
        "note: statement `CloudTrailPolicyAclCheck` removed\n",
        "note: statement `CloudTrailPolicyWrite111111111111` removed\n",
        "note: account 111111111111 removed\n",
    ] {
        assert!(stderr(&o).contains(line), "{line}: {}", stderr(&o));
    }
}

#[test]
fn a_users_statement_with_the_prefix_needs_replace_unrecognised() {
    let existing = r#"{"Version":"2012-10-17","Statement":[{"Sid":"CloudTrailPolicyAnalytics","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/A"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cloudtrail-logs/reports/*"}]}"#;
    let o = merge_run("unrecognised", existing, &["--account", "111111111111"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: the existing policy's statement `CloudTrailPolicyAnalytics` has the tool's sid prefix `CloudTrailPolicy` but is not a statement the tool writes (the tool writes no statement with this sid)"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("help: to replace it, add --replace-unrecognised\n"));
    let o = merge_run(
        "unrecognised-replaced",
        existing,
        &["--account", "111111111111", "--replace-unrecognised"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with(
        "warning: statement `CloudTrailPolicyAnalytics` replaced although the tool does not write it (the tool writes no statement with this sid)\n"
    ));
    assert!(stderr(&o).contains("note: statement `CloudTrailPolicyAnalytics` removed\n"));
    assert!(!stdout(&o).contains("Analytics"));
}

#[test]
fn merging_into_another_buckets_policy_is_refused() {
    let existing = r#"{"Statement":[{"Sid":"Reports","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/A"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::other-logs/reports/*"}]}"#;
    let o = merge_run("other-bucket", existing, &["--account", "111111111111"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: the existing policy names bucket `other-logs`, but the generated statements are for bucket `acme-cloudtrail-logs`: a merge would mix two buckets; merge into `acme-cloudtrail-logs`'s own policy, or generate for `other-logs`\n  \
         help: to merge into this policy, generate for its bucket: --bucket other-logs\n"
    );
}

#[test]
fn foreign_statements_come_back_as_written_and_owner_roles_are_not_cross_account() {
    let existing = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "OwnerReads", "Effect": "Allow",
   "Principal": {"AWS": ["arn:aws:iam::999999999999:role/Admin"]},
   "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-cloudtrail-logs/*"},
  {"Sid": "FewKeys", "Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket",
   "Resource": "arn:aws:s3:::acme-cloudtrail-logs",
   "Condition": {"NumericGreaterThan": {"s3:max-keys": 123456789012345678901234567890},
                 "Bool": {"aws:SecureTransport": true}}}]}"#;
    // Without --owner, the owner's own role is an account the intent does not name, and lint
    // cannot tell whether it is the owner's.
    let o = merge_run("owner-missing", existing, &["--account", "111111111111"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[unnamed-account-access]")
            && stderr(&o).contains("if account 999999999999 owns the bucket, name it as the owner"),
        "{}",
        stderr(&o)
    );
    let o = merge_run(
        "owner",
        existing,
        &["--account", "111111111111", "--owner", "999999999999"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "      \"Condition\": {\n        \"NumericGreaterThan\": {\n          \"s3:max-keys\": 123456789012345678901234567890\n        },\n        \"Bool\": {\n          \"aws:SecureTransport\": true\n        }\n      }"
        ),
        "{out}"
    );
    assert!(
        out.contains("\"AWS\": [\n          \"arn:aws:iam::999999999999:role/Admin\"\n        ]")
    );
    let o = merge_run(
        "owner-compact",
        existing,
        &[
            "--account",
            "111111111111",
            "--owner",
            "999999999999",
            "--compact",
        ],
    );
    assert!(stdout(&o).starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"OwnerReads","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999999999999:role/Admin"]},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:::acme-cloudtrail-logs/*"},{"Sid":"FewKeys","Effect":"Deny","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-cloudtrail-logs","Condition":{"NumericGreaterThan":{"s3:max-keys":123456789012345678901234567890},"Bool":{"aws:SecureTransport":true}}},"#));
}

#[test]
fn trail_is_an_organization_trail_without_org_id_and_writes_plans_file_names() {
    let base = [
        "trail",
        "--name",
        "org-trail",
        "--account",
        "111111111111",
        "--home-region",
        "us-east-1",
        "--bucket",
        "acme-cloudtrail-logs",
        "--prefix",
        "cloudtrail",
        "--kms-key",
        "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "--organization",
        "--exclude-management-source",
        "kms.amazonaws.com",
        "--exclude-management-source",
        "rdsdata.amazonaws.com",
    ];
    let o = run(&base);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["create_trail"]["IsOrganizationTrail"], true);
    // --out: the plan's names and, for what the flags can say, the plan's bytes.
    let dir = scratch("trail-out");
    let mut args = base.to_vec();
    let out = dir.join("trail");
    args.extend(["--out", out.to_str().unwrap()]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("wrote 2 files to {}\n", out.display()));
    let planned = dir.join("plan");
    let o = run(&["plan", EXAMPLE, "--out", planned.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in [
        "111111111111-org-trail.create-trail.json",
        "111111111111-org-trail.event-selectors.json",
    ] {
        assert_eq!(
            std::fs::read_to_string(out.join(name)).unwrap(),
            std::fs::read_to_string(planned.join(name)).unwrap(),
            "{name}"
        );
    }
    // The same bucket names are refused here as by bucket-policy and plan.
    let mut bad = base.to_vec();
    bad[8] = "my-.bucket";
    let o = run(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("(CreateTrail fails with InvalidS3BucketNameException)"));
}

#[test]
fn lint_usage_says_which_policy_flags_replace_each_other() {
    let o = run(&["lint", "--help"]);
    assert!(
        stdout(&o).contains(
            "Usage: cloudtrail-policy lint [OPTIONS] --spec <SPEC> <--bucket-policy <FILE>|--key-policy <FILE>>"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&["lint", "--spec", EXAMPLE]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("<--bucket-policy <FILE>|--key-policy <FILE>>"));
}

#[test]
fn plan_says_what_it_proved_in_one_line() {
    let o = run(&["plan", EXAMPLE]);
    assert_eq!(o.status.code(), Some(0));
    // The region counts are the library's: the line says what the proof decided.
    let plan = cloudtrail_policy::Plan::from_spec(
        &cloudtrail_policy::Spec::from_json(&std::fs::read_to_string(EXAMPLE).unwrap()).unwrap(),
    )
    .unwrap();
    let proofs = plan.proofs();
    let regions = |p: &cloudtrail_policy::Completeness| {
        assert!(p.is_complete());
        p.regions()
    };
    assert_eq!(
        stderr(&o),
        format!(
            "proved: bucket policy 61 of 61 probes as expected, complete over {} regions, 2,950 of 20,480 bytes, strict layout; key policy 37 of 37 probes as expected, complete over {} regions, 2,300 of 32,768 bytes\n",
            regions(proofs.bucket_policy()),
            regions(proofs.key_policy().unwrap()),
        )
    );
}

#[test]
fn verify_is_a_table_with_a_legend() {
    let o = run(&["verify", EXAMPLE]);
    let text = stdout(&o);
    for part in [
        "  expect       Allow: must be allowed. Deny: must be refused by an explicit deny.\n",
        "  made up      999999998888, 999999997777: accounts the spec names nowhere\n",
        "               probe-any-trail, any-trail: some trail of an account the spec lists without naming its trails\n",
        "bucket policy of arn:aws:s3:::acme-cloudtrail-logs: 61 of 61 as expected\n",
        "     expect       by                        probe\n",
        "ok   ImplicitDeny -                         unlisted account 999999998888's trail into its own folder\n",
        "ok   Deny         DenyInsecureTransport     log file without TLS\n",
        "key policy of arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab: 37 of 37 as expected\n",
        "\n98 of 98 probes as expected\n",
    ] {
        assert!(text.contains(part), "{part:?} not in:\n{text}");
    }
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest <= 120, "{longest}");
    assert!(
        !text.contains("CloudTrail/us-west-2/"),
        "no made-up object keys"
    );
}

#[test]
fn findings_are_one_line_each_on_stdout_for_check_and_stderr_for_plan() {
    let region = spec_with("region9", "/trails/0/home_region", "us-east-9".into());
    let region = region.to_str().unwrap();
    let warning = "warning[unknown-region]: trails[0].home_region: region `us-east-9` is not in the aws sdk's list of regions: check the spelling (AWS refuses a region that does not exist); a region newer than the list can be ignored here\n";
    let o = run(&["check", region]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), warning.to_owned()));
    let o = run(&["plan", region]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).starts_with(warning), "{}", stderr(&o));
    // A failed plan: the same lines, then one error line; no chain of causes.
    let wrong = spec_with(
        "key-region-once",
        "/log_archive/kms_key",
        "arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
    );
    let o = run(&["plan", wrong.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error[kms-key-region]: kms key `arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab` is in region `eu-west-1`, but the bucket is in `us-east-1`: CreateTrail and UpdateTrail fail with KmsKeyNotFoundException; use a key in `us-east-1` (for a multi-region `mrk-` key, its replica there)\n\
         error: the plan failed: 1 error (listed above)\n"
    );
    let o = run(&["check", wrong.to_str().unwrap()]);
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "reported once: {}",
        stdout(&o)
    );
    // An organization no trail uses.
    let unused = spec_with("org-unused", "/trails/0/organization", false.into());
    let o = run(&["check", unused.to_str().unwrap()]);
    assert!(stdout(&o).contains(
        "warning[organization-unused]: organization: no trail has `\"organization\": true`, so nothing uses the organization"
    ), "{}", stdout(&o));
}

#[test]
fn two_thousand_alike_findings_are_one_grouped_finding() {
    let trails: Vec<serde_json::Value> = (0..2000)
        .map(|i| {
            serde_json::json!({"name": format!("trail-{i}"), "account": format!("{:012}", 100_000_000_000u64 + i), "home_region": "us-east-1"})
        })
        .collect();
    let spec = serde_json::json!({
        "log_archive": {"account": "999999999999", "region": "us-east-1", "bucket": "acme-cloudtrail-logs", "layout": "documented"},
        "trails": trails,
    });
    let path = scratch("grouped").join("spec.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    let o = run(&["check", path.to_str().unwrap()]);
    let out = stdout(&o);
    let warnings: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("warning[trail]"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning[trail]: trails[0]: trail `trail-0` has no kms key: log files are encrypted with sse-s3 only (and 1,999 more like it: trails[1000], trails[1001], trails[1002], …)"
        ]
    );
    let o = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let grouped = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "trail")
        .unwrap();
    assert_eq!(grouped["count"], 2000);
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

#[test]
fn the_access_log_destination_policy_is_its_own_section_and_summary_part() {
    const AUDITED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/specs/access-logs-lifecycle.json"
    );
    let o = run(&["plan", AUDITED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = stderr(&o).lines().last().unwrap().to_owned();
    assert!(
        summary.starts_with("proved: bucket policy 42 of 42 probes as expected, "),
        "{summary}"
    );
    assert!(
        summary.ends_with(
            "; access-log destination policy 11 of 11 probes as expected, complete over 8 regions, 390 of 20,480 bytes"
        ),
        "{summary}"
    );
    let o = run(&["verify", AUDITED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for part in [
        "\nbucket policy of arn:aws:s3:::acme-audited-cloudtrail-logs: 42 of 42 as expected\n",
        "\nbucket policy of arn:aws:s3:::acme-s3-access-logs: 11 of 11 as expected\n",
        "\n81 of 81 probes as expected\n",
    ] {
        assert!(text.contains(part), "{part:?} not in:\n{text}");
    }
    // Every access-log probe is in the destination's section, none in the log archive's.
    let archive = text
        .split("\nbucket policy of arn:aws:s3:::acme-s3-access-logs")
        .next()
        .unwrap();
    assert!(!archive.contains("access-log bucket:"), "{archive}");
}

const LIVE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/live");

#[test]
fn collect_audit_and_import_on_the_outputs_saved_against_moto() {
    let spec = format!("{LIVE}/spec.json");
    let collect = run(&["collect", &spec]);
    assert_eq!(collect.status.code(), Some(0), "{}", stderr(&collect));
    let script = stdout(&collect);
    assert!(script.starts_with("#!/bin/sh\n"));
    assert_eq!(script.matches("\nsave ").count(), 20);

    let clean = run(&["audit", &spec, &format!("{LIVE}/deployed")]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).starts_with("no findings\n\n"));
    let json = run(&[
        "audit",
        &spec,
        &format!("{LIVE}/deployed"),
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["findings"], serde_json::json!([]));
    assert_eq!(value["controls"].as_array().unwrap().len(), 10);

    let changed = run(&["audit", &spec, &format!("{LIVE}/changed")]);
    assert_eq!(changed.status.code(), Some(1));
    for code in [
        "live-statement-missing",
        "live-trail-not-logging",
        "live-versioning-not-enabled",
        "live-event-selectors",
    ] {
        assert!(
            stdout(&changed).contains(&format!("error[{code}]")),
            "{code}"
        );
    }

    // A missing output: exit 2, naming the file and the command that makes it.
    let dir = scratch("audit-missing");
    for entry in std::fs::read_dir(format!("{LIVE}/deployed")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::remove_file(dir.join("111111111111-org-trail.get-trail-status.json")).unwrap();
    let missing = run(&["audit", &spec, dir.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stdout(&missing).is_empty());
    assert!(
        stderr(&missing).contains("`111111111111-org-trail.get-trail-status.json` is missing: it is saved by `aws cloudtrail get-trail-status --name arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail --region us-east-1`"),
        "{}",
        stderr(&missing)
    );

    let import = run(&["import", &format!("{LIVE}/changed")]);
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    let imported = dir.join("imported.json");
    std::fs::write(&imported, stdout(&import)).unwrap();
    let plan = run(&["plan", imported.to_str().unwrap()]);
    assert_eq!(plan.status.code(), Some(0), "{}", stderr(&plan));
}

#[test]
fn lint_and_merge_take_the_aws_clis_policy_output_as_it_is() {
    let spec = format!("{LIVE}/spec.json");
    let wrapped = format!("{LIVE}/deployed/log-archive.get-bucket-policy.json");
    let lint = run(&["lint", "--bucket-policy", &wrapped, "--spec", &spec]);
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    assert_eq!(stdout(&lint), "no findings\n");
    let key = format!("{LIVE}/deployed/log-archive.get-key-policy.json");
    let lint = run(&["lint", "--key-policy", &key, "--spec", &spec]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    let merged = run(&[
        "bucket-policy",
        "--bucket",
        "acme-cloudtrail-logs",
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
        "--existing",
        &wrapped,
        "--allow-relaxing-denies",
    ]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    assert!(stdout(&merged).contains("CloudTrailPolicyDenyInsecureTransport"));
}

/// The collect script itself, with a stand-in `aws` on the PATH that prints its arguments as
/// JSON and fails the way the AWS CLI does for a bucket without a lifecycle configuration: every
/// command saves `<file>.json` or `<file>.error`, the ambient credentials are used unless
/// `CLOUDTRAIL_POLICY_PROFILE_<account>` names a profile, and the script says how many failed.
#[test]
fn the_collect_script_saves_one_file_per_command() {
    let dir = scratch("collect-script");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("aws");
    std::fs::write(
        &fake,
        "#!/bin/sh\ncase \"$*\" in\n  *get-bucket-lifecycle-configuration*) echo 'An error occurred (NoSuchLifecycleConfiguration) when calling the GetBucketLifecycleConfiguration operation: none' >&2; exit 254 ;;\nesac\nprintf '{\"args\": \"%s\"}\\n' \"$*\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = stdout(&run(&["collect", EXAMPLE]));
    let script_path = dir.join("collect.sh");
    std::fs::write(&script_path, script).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("sh")
        .arg(&script_path)
        .arg(dir.join("live"))
        .env("PATH", &path)
        .env("CLOUDTRAIL_POLICY_PROFILE_111111111111", "management")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("; 1 commands failed"));
    let live = dir.join("live");
    let mut names: Vec<String> = std::fs::read_dir(&live)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 20);
    assert!(names.contains(&"log-archive.get-bucket-lifecycle-configuration.error".to_owned()));
    let read = |f: &str| std::fs::read_to_string(live.join(f)).unwrap();
    assert_eq!(
        read("log-archive.get-bucket-policy.json"),
        "{\"args\": \"s3api get-bucket-policy --bucket acme-cloudtrail-logs --region us-east-1 --output json\"}\n"
    );
    assert_eq!(
        read("111111111111-org-trail.get-trail.json"),
        "{\"args\": \"cloudtrail get-trail --name arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail --region us-east-1 --profile management --output json\"}\n"
    );
    // The audit then reads every file: the stand-in outputs are not AWS's, so it refuses the
    // first one it cannot read, naming it.
    let audit = run(&["audit", EXAMPLE, live.to_str().unwrap()]);
    assert_eq!(audit.status.code(), Some(2));
    assert!(
        stderr(&audit).contains("`log-archive.get-caller-identity.json` is not the output of `aws sts get-caller-identity --region us-east-1`: missing field `Account`"),
        "{}",
        stderr(&audit)
    );
}
