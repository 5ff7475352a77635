//! Trail configuration: request bodies (snapshots and API-model validity), limits with exact
//! messages, CloudWatch Logs policies, and limit checks against a direct count.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use cloudtrail_policy::trail::{
    AdvancedEventSelector, DataResource, EventSelector, Field, InsightType, ManagementEventSource,
    Operator, ReadWriteType, TrailConfig, TrailConfigBuilder, TrailError, TrailWarning,
};
use cloudtrail_policy::{AccountId, BucketName, KeyPrefix, Partition, PrincipalArn};
use proptest::prelude::*;
use serde_json::{Value, json};

const MANAGEMENT: &str = "111122223333";
const MEMBER: &str = "222233334444";
const DELEGATED: &str = "333344445555";

fn account(s: &str) -> AccountId {
    s.parse().unwrap()
}

fn bucket() -> BucketName {
    "org-cloudtrail-archive".parse().unwrap()
}

fn builder(name: &str, acct: &str) -> TrailConfigBuilder {
    TrailConfig::builder(
        name.parse().unwrap(),
        account(acct),
        "us-east-1".parse().unwrap(),
        bucket(),
    )
}

fn org_builder(acct: &str) -> TrailConfigBuilder {
    builder("org-trail", acct).organization(
        "o-exampleorgid".parse().unwrap(),
        account(MANAGEMENT),
        [account(DELEGATED)],
    )
}

#[track_caller]
fn build_err(b: TrailConfigBuilder) -> String {
    match b.build() {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(e) => e.to_string(),
    }
}

/// The seed's option 1: one organization trail from the management account.
fn organization_trail() -> TrailConfig {
    org_builder(MANAGEMENT)
        .prefix("o-exampleorgid".parse::<KeyPrefix>().unwrap())
        .kms_key(
            "arn:aws:kms:us-east-1:111122223333:key/12345678-1234-1234-1234-123456789012"
                .parse()
                .unwrap(),
        )
        .cloudwatch_logs(
            "CloudTrail/org-trail",
            "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"
                .parse()
                .unwrap(),
        )
        .tag("owner", "security")
        .insight(InsightType::ApiCallRateInsight)
        .insight(InsightType::ApiErrorRateInsight)
        .build()
        .unwrap()
}

/// The seed's option 2: one trail per account, each in its own account, same bucket.
fn account_trail() -> TrailConfig {
    builder("account-trail", MEMBER)
        .kms_key(
            "arn:aws:kms:us-east-1:111122223333:alias/cloudtrail"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn selector_forms() -> Vec<(&'static str, TrailConfig)> {
    let p = Partition::Aws;
    let b = bucket();
    let cfg = |s: EventSelector| {
        builder("selectors", MEMBER)
            .event_selector(s)
            .build()
            .unwrap()
    };
    let adv = |s: Vec<AdvancedEventSelector>| {
        s.into_iter()
            .fold(
                builder("advanced", MEMBER),
                TrailConfigBuilder::advanced_event_selector,
            )
            .build()
            .unwrap()
    };
    vec![
        (
            "selector_management_write_only_excluding_kms_rdsdata",
            cfg(EventSelector::management(ReadWriteType::WriteOnly)
                .excluding(ManagementEventSource::Kms)
                .excluding(ManagementEventSource::RdsData)),
        ),
        (
            "selector_s3_all_objects",
            cfg(EventSelector::data_only(ReadWriteType::All)
                .with_data(DataResource::all_s3_objects(p))),
        ),
        (
            "selector_s3_bucket_and_prefix",
            cfg(EventSelector::management(ReadWriteType::ReadOnly)
                .with_data(DataResource::s3_bucket(p, &b))
                .with_data(DataResource::s3_prefix(p, &b, "example-images").unwrap())),
        ),
        (
            "selector_lambda",
            cfg(EventSelector::data_only(ReadWriteType::All)
                .with_data(DataResource::all_lambda_functions(p))
                .with_data(
                    DataResource::lambda_function(
                        "arn:aws:lambda:us-west-2:111111111111:function:helloworld",
                    )
                    .unwrap(),
                )),
        ),
        (
            "selector_dynamodb",
            cfg(EventSelector::data_only(ReadWriteType::WriteOnly)
                .with_data(DataResource::all_dynamodb_tables(p))
                .with_data(
                    DataResource::dynamodb_table(
                        "arn:aws:dynamodb:us-east-1:222233334444:table/orders",
                    )
                    .unwrap(),
                )),
        ),
        (
            "selector_advanced",
            adv(vec![
                AdvancedEventSelector::management_events()
                    .with_name("management events without kms")
                    .with_field(
                        Field::EventSource,
                        Operator::NotEquals,
                        ["kms.amazonaws.com"],
                    ),
                AdvancedEventSelector::data_events("AWS::S3::Object")
                    .with_name("writes to one bucket")
                    .with_field(Field::ReadOnly, Operator::Equals, ["false"])
                    .with_field(
                        Field::ResourcesArn,
                        Operator::StartsWith,
                        ["arn:aws:s3:::org-cloudtrail-archive/"],
                    ),
                AdvancedEventSelector::data_events("AWS::Lambda::Function").with_field(
                    Field::ResourcesArn,
                    Operator::NotEndsWith,
                    ["-test"],
                ),
            ]),
        ),
    ]
}

#[test]
fn snapshots_of_the_two_trail_options() {
    insta::assert_json_snapshot!("organization_trail", organization_trail());
    insta::assert_json_snapshot!("account_trail", account_trail());
}

#[test]
fn snapshots_of_each_selector_form() {
    for (name, config) in selector_forms() {
        insta::assert_json_snapshot!(name, config.event_selectors());
    }
}

#[test]
fn snapshots_of_cloudwatch_policies() {
    let org = organization_trail();
    let cw = org.cloudwatch_logs().unwrap();
    insta::assert_json_snapshot!("cloudwatch_trust_policy", cw.trust_policy());
    insta::assert_json_snapshot!("cloudwatch_org_permissions_policy", cw.permissions_policy());
    let single = builder("account-trail", MEMBER)
        .cloudwatch_logs(
            "arn:aws:logs:us-east-1:222233334444:log-group:CloudTrail/logs:*",
            "arn:aws:iam::222233334444:role/CloudTrailLogs"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let cw = single.cloudwatch_logs().unwrap();
    assert_eq!(
        cw.log_group_arn(),
        "arn:aws:logs:us-east-1:222233334444:log-group:CloudTrail/logs:*"
    );
    insta::assert_json_snapshot!("cloudwatch_permissions_policy", cw.permissions_policy());
}

// ---- validity against the API model -------------------------------------------------------

struct Model(Value);

impl Model {
    fn load() -> Self {
        let text = include_str!("fixtures/cloudtrail-api-shapes.json");
        Model(serde_json::from_str(text).unwrap())
    }

    fn shape(&self, id: &str) -> &Value {
        let shape = &self.0["shapes"][id];
        assert!(shape.is_object(), "shape `{id}` is not in the fixture");
        shape
    }

    /// Every violation of `value` against shape `id`, as `path: problem`.
    fn check(&self, id: &str, value: &Value, path: &str, out: &mut Vec<String>) {
        let shape = self.shape(id);
        let traits = &shape["traits"];
        let length = &traits["smithy.api#length"];
        let within = |n: usize| {
            length["min"].as_u64().is_none_or(|m| n as u64 >= m)
                && length["max"].as_u64().is_none_or(|m| n as u64 <= m)
        };
        match shape["type"].as_str().unwrap() {
            "structure" => {
                let Some(obj) = value.as_object() else {
                    return out.push(format!("{path}: expected an object"));
                };
                let members = shape["members"].as_object().unwrap();
                for (name, member) in members {
                    if member["traits"]["smithy.api#required"].is_object()
                        && !obj.contains_key(name)
                    {
                        out.push(format!("{path}: required member `{name}` is missing"));
                    }
                }
                for (name, v) in obj {
                    match members.get(name) {
                        Some(m) => self.check(
                            m["target"].as_str().unwrap(),
                            v,
                            &format!("{path}.{name}"),
                            out,
                        ),
                        None => out.push(format!("{path}: unknown member `{name}`")),
                    }
                }
            }
            "list" => {
                let Some(items) = value.as_array() else {
                    return out.push(format!("{path}: expected a list"));
                };
                if !within(items.len()) {
                    out.push(format!("{path}: list length {} out of range", items.len()));
                }
                let member = shape["member"]["target"].as_str().unwrap();
                for (i, item) in items.iter().enumerate() {
                    self.check(member, item, &format!("{path}[{i}]"), out);
                }
            }
            "string" => {
                let Some(s) = value.as_str() else {
                    return out.push(format!("{path}: expected a string"));
                };
                if !within(s.chars().count()) {
                    out.push(format!("{path}: length {} out of range", s.chars().count()));
                }
                if let Some(values) = traits["smithy.api#enum"].as_array()
                    && !values.iter().any(|e| e["value"] == s)
                {
                    out.push(format!("{path}: `{s}` is not an enum value"));
                }
                if let Some(pattern) = traits["smithy.api#pattern"].as_str() {
                    let ok = match pattern {
                        ".*" => !s.contains('\n'),
                        "^.+$" => !s.is_empty() && !s.contains('\n'),
                        r"^[\w|\d|\.|_]+$" => {
                            !s.is_empty()
                                && s.chars()
                                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '|' | '.'))
                        }
                        other => panic!("the checker does not know the pattern `{other}`"),
                    };
                    if !ok {
                        out.push(format!("{path}: `{s}` does not match `{pattern}`"));
                    }
                }
            }
            "boolean" => {
                if !value.is_boolean() {
                    out.push(format!("{path}: expected a boolean"));
                }
            }
            other => panic!("the checker does not know the shape type `{other}`"),
        }
    }

    fn violations(&self, request: &str, value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.check(
            &format!("com.amazonaws.cloudtrail#{request}"),
            value,
            request,
            &mut out,
        );
        out
    }
}

fn all_configs() -> Vec<TrailConfig> {
    let mut configs = vec![organization_trail(), account_trail()];
    configs.extend(selector_forms().into_iter().map(|(_, c)| c));
    configs.push(
        builder("opt-outs", MEMBER)
            .single_region()
            .without_global_service_events()
            .without_log_file_validation()
            .sns_topic("arn:aws:sns:us-east-1:222233334444:trail-notifications")
            .tag("empty-value", "")
            .build()
            .unwrap(),
    );
    configs
}

#[test]
fn every_request_body_is_valid_against_the_api_model() {
    let model = Model::load();
    for config in all_configs() {
        let body = serde_json::to_value(&config).unwrap();
        let mut v = model.violations("CreateTrailRequest", &body["create_trail"]);
        v.extend(model.violations("PutEventSelectorsRequest", &body["event_selectors"]));
        if !body["insight_selectors"].is_null() {
            v.extend(model.violations("PutInsightSelectorsRequest", &body["insight_selectors"]));
        }
        assert!(v.is_empty(), "{}: {v:#?}", config.create_trail().name());
    }
}

#[test]
fn the_model_checker_rejects_what_it_should() {
    let model = Model::load();
    let bad = json!({
        "TrailName": "t1x",
        "EventSelectors": [{"ReadWriteType": "read-only", "Bogus": true}],
        "AdvancedEventSelectors": [{"FieldSelectors": []}]
    });
    let v = model.violations("PutEventSelectorsRequest", &bad);
    assert_eq!(
        v,
        [
            "PutEventSelectorsRequest.AdvancedEventSelectors[0].FieldSelectors: list length 0 out of range",
            "PutEventSelectorsRequest.EventSelectors[0]: unknown member `Bogus`",
            "PutEventSelectorsRequest.EventSelectors[0].ReadWriteType: `read-only` is not an enum value",
        ]
    );
    let v = model.violations(
        "CreateTrailRequest",
        &json!({"Name": "x", "IsMultiRegionTrail": "yes"}),
    );
    assert_eq!(
        v,
        [
            "CreateTrailRequest: required member `S3BucketName` is missing",
            "CreateTrailRequest.IsMultiRegionTrail: expected a boolean",
        ]
    );
}

// ---- defaults and findings ----------------------------------------------------------------

#[test]
fn defaults_are_secure_and_explicit() {
    let c = account_trail();
    let body = serde_json::to_value(&c).unwrap();
    assert_eq!(body["create_trail"]["IsMultiRegionTrail"], true);
    assert_eq!(body["create_trail"]["IncludeGlobalServiceEvents"], true);
    assert_eq!(body["create_trail"]["EnableLogFileValidation"], true);
    assert_eq!(body["create_trail"]["IsOrganizationTrail"], false);
    assert_eq!(
        body["event_selectors"],
        json!({"TrailName": "arn:aws:cloudtrail:us-east-1:222233334444:trail/account-trail", "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]})
    );
    assert!(body["insight_selectors"].is_null());
    assert!(c.warnings().is_empty());
    assert_eq!(
        c.arn().as_str(),
        "arn:aws:cloudtrail:us-east-1:222233334444:trail/account-trail"
    );
}

#[test]
fn opt_outs_and_data_events_are_findings() {
    let c = builder("opt-outs", MEMBER)
        .single_region()
        .without_global_service_events()
        .without_log_file_validation()
        .event_selector(
            EventSelector::management(ReadWriteType::All)
                .with_data(DataResource::all_s3_objects(Partition::Aws)),
        )
        .build()
        .unwrap();
    let messages: Vec<String> = c.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "trail `opt-outs` logs data events, which are charged per event: check the expected volume",
            "trail `opt-outs` logs only region `us-east-1`: activity in other regions and, outside `us-east-1`, global service events are not logged",
            "trail `opt-outs` does not log global service events such as iam",
            "trail `opt-outs` does not validate log files: digest files are not delivered",
            "trail `opt-outs` has no kms key: log files are encrypted with sse-s3 only",
        ]
    );
    let advanced = builder("adv", MEMBER)
        .advanced_event_selector(AdvancedEventSelector::data_events("AWS::DynamoDB::Table"))
        .build()
        .unwrap();
    assert!(matches!(
        advanced.warnings()[0],
        TrailWarning::DataEventsCharged { .. }
    ));
}

// ---- limits and invalid combinations ------------------------------------------------------

fn n_buckets(n: usize, tag: &str) -> Vec<DataResource> {
    (0..n)
        .map(|i| DataResource::s3_bucket(Partition::Aws, &format!("b-{tag}-{i}").parse().unwrap()))
        .collect()
}

fn with_resources(sel: EventSelector, rs: Vec<DataResource>) -> EventSelector {
    rs.into_iter().fold(sel, EventSelector::with_data)
}

#[test]
fn five_event_selectors_pass_and_a_sixth_fails() {
    let five = (0..5).fold(builder("five-sel", MEMBER), |b, _| {
        b.event_selector(EventSelector::management(ReadWriteType::All))
    });
    assert!(five.clone().build().is_ok());
    assert_eq!(
        build_err(five.event_selector(EventSelector::management(ReadWriteType::All))),
        "trail `five-sel` has 6 event selectors: at most 5 are allowed (InvalidEventSelectorsException)"
    );
}

#[test]
fn data_resources_count_across_selectors() {
    // 100 + 100 + 50 = 250 passes; 100 + 100 + 51 fails, although no selector has 250.
    let make = |last: usize| {
        builder("res-trail", MEMBER)
            .event_selector(with_resources(
                EventSelector::data_only(ReadWriteType::All),
                n_buckets(100, "a"),
            ))
            .event_selector(with_resources(
                EventSelector::data_only(ReadWriteType::All),
                n_buckets(100, "b"),
            ))
            .event_selector(with_resources(
                EventSelector::data_only(ReadWriteType::All),
                n_buckets(last, "c"),
            ))
    };
    assert!(make(50).build().is_ok());
    assert_eq!(
        build_err(make(51)),
        "trail `res-trail` has 251 data resources across its event selectors: at most 250 are allowed (InvalidEventSelectorsException)"
    );
    // The "all resources" forms do not count.
    let all_forms = make(50).event_selector(
        EventSelector::data_only(ReadWriteType::All)
            .with_data(DataResource::all_s3_objects(Partition::Aws))
            .with_data(DataResource::all_lambda_functions(Partition::Aws))
            .with_data(DataResource::all_dynamodb_tables(Partition::Aws)),
    );
    assert!(all_forms.build().is_ok());
}

#[test]
fn advanced_values_are_limited_to_500() {
    let values = |n: usize| {
        (0..n)
            .map(|i| format!("arn:aws:s3:::b{i}/"))
            .collect::<Vec<_>>()
    };
    // Each selector has 2 fixed values (eventCategory, resources.type).
    let make = |n: usize| {
        builder("adv-trail", MEMBER)
            .advanced_event_selector(
                AdvancedEventSelector::data_events("AWS::S3::Object").with_field(
                    Field::ResourcesArn,
                    Operator::StartsWith,
                    values(248),
                ),
            )
            .advanced_event_selector(
                AdvancedEventSelector::data_events("AWS::S3::Object").with_field(
                    Field::ResourcesArn,
                    Operator::StartsWith,
                    values(n),
                ),
            )
    };
    assert!(make(248).build().is_ok());
    assert_eq!(
        build_err(make(249)),
        "trail `adv-trail` has 501 values across its advanced event selectors: at most 500 are allowed (InvalidEventSelectorsException)"
    );
}

#[test]
fn tags_are_limited_to_50() {
    let make = |n: usize| {
        (0..n).fold(builder("tag-trail", MEMBER), |b, i| {
            b.tag(format!("k{i}"), "v")
        })
    };
    assert!(make(50).build().is_ok());
    assert_eq!(
        build_err(make(51)),
        "trail `tag-trail` has 51 tags: at most 50 are allowed (TagsLimitExceededException)"
    );
    assert_eq!(
        build_err(builder("tag-trail", MEMBER).tag("a", "1").tag("a", "2")),
        "invalid tag `a`: tag keys must be unique (InvalidTagParameterException)"
    );
    assert_eq!(
        build_err(builder("tag-trail", MEMBER).tag("x".repeat(129), "1")),
        format!(
            "invalid tag `{}`: tag keys must be 1 to 128 characters long (InvalidTagParameterException)",
            "x".repeat(129)
        )
    );
    assert_eq!(
        build_err(builder("tag-trail", MEMBER).tag("a", "v".repeat(257))),
        "invalid tag `a`: tag values must be at most 256 characters long (InvalidTagParameterException)"
    );
    assert_eq!(
        build_err(builder("tag-trail", MEMBER).tag("a*", "1")),
        "invalid tag `a*`: tag keys and values may contain only letters, digits, spaces and `_.:/=+-@` (InvalidTagParameterException)"
    );
}

#[test]
fn key_prefix_and_sns_topic_lengths() {
    assert!("p".repeat(200).parse::<KeyPrefix>().is_ok());
    assert!("p".repeat(201).parse::<KeyPrefix>().is_err());
    assert!(
        builder("sns-trail", MEMBER)
            .sns_topic("t".repeat(256))
            .build()
            .is_ok()
    );
    assert_eq!(
        build_err(builder("sns-trail", MEMBER).sns_topic("t".repeat(257))),
        format!(
            "sns topic `{}` has 257 characters: 1 to 256 are allowed (InvalidSnsTopicNameException)",
            "t".repeat(257)
        )
    );
    assert_eq!(
        build_err(builder("sns-trail", MEMBER).sns_topic("my topic")),
        "sns topic `my topic` may contain only ascii letters, digits, `-`, `_`, `.` and `:` (InvalidSnsTopicNameException)"
    );
}

#[test]
fn a_selector_without_management_events_needs_data_resources() {
    assert_eq!(
        build_err(
            builder("empty-sel", MEMBER)
                .event_selector(EventSelector::management(ReadWriteType::All))
                .event_selector(EventSelector::data_only(ReadWriteType::All))
        ),
        "event selector 2 of trail `empty-sel` logs nothing: it excludes management events and has no data resources (InvalidEventSelectorsException)"
    );
}

#[test]
fn classic_and_advanced_selectors_do_not_mix() {
    assert_eq!(
        build_err(
            builder("mixed", MEMBER)
                .event_selector(EventSelector::management(ReadWriteType::All))
                .advanced_event_selector(AdvancedEventSelector::management_events())
        ),
        "trail `mixed` has both event selectors and advanced event selectors: use one kind (InvalidEventSelectorsException)"
    );
}

#[test]
fn organization_trails_only_from_management_or_delegated_admin() {
    assert!(org_builder(MANAGEMENT).build().is_ok());
    // Created by a delegated administrator, the trail is still the management account's: its
    // ARN carries the management account id. An inference from the organization-trail policy
    // (its trail ARN "uses the management account ID") and the delegated-administrator page:
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
    let delegated = org_builder(DELEGATED).build().unwrap();
    assert_eq!(delegated.arn().account().as_str(), MANAGEMENT);
    assert_eq!(
        build_err(org_builder(MEMBER)),
        "account `222233334444` cannot create organization trail `org-trail`: only the management account `111122223333` or a delegated administrator can (NotOrganizationMasterAccountException)"
    );
}

#[test]
fn the_bucket_must_pass_cloudtrail_naming() {
    let b = TrailConfig::builder(
        "t-trail".parse().unwrap(),
        account(MEMBER),
        "us-east-1".parse().unwrap(),
        "my-.bucket".parse().unwrap(),
    );
    let err = b.build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "bucket `my-.bucket` cannot receive cloudtrail logs (InvalidS3BucketNameException)"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn insights_need_the_management_events_they_analyse() {
    let read_only = builder("ins-trail", MEMBER)
        .event_selector(EventSelector::management(ReadWriteType::ReadOnly));
    assert!(
        read_only
            .clone()
            .insight(InsightType::ApiErrorRateInsight)
            .build()
            .is_ok()
    );
    assert_eq!(
        build_err(read_only.insight(InsightType::ApiCallRateInsight)),
        "trail `ins-trail` cannot log ApiCallRateInsight: it needs write management events"
    );
    let data_only = builder("ins-trail", MEMBER).event_selector(
        EventSelector::data_only(ReadWriteType::All)
            .with_data(DataResource::all_s3_objects(Partition::Aws)),
    );
    assert_eq!(
        build_err(data_only.insight(InsightType::ApiErrorRateInsight)),
        "trail `ins-trail` cannot log ApiErrorRateInsight: it needs read or write management events"
    );
    let advanced_reads = builder("ins-trail", MEMBER).advanced_event_selector(
        AdvancedEventSelector::management_events().with_field(
            Field::ReadOnly,
            Operator::Equals,
            ["true"],
        ),
    );
    assert!(
        advanced_reads
            .clone()
            .insight(InsightType::ApiErrorRateInsight)
            .build()
            .is_ok()
    );
    assert!(
        advanced_reads
            .insight(InsightType::ApiCallRateInsight)
            .build()
            .is_err()
    );
}

#[test]
fn advanced_selector_field_rules() {
    let err = |s: AdvancedEventSelector| {
        build_err(builder("adv-rules", MEMBER).advanced_event_selector(s))
    };
    let prefix = "advanced event selector 1 of trail `adv-rules` is invalid: ";
    let suffix = " (InvalidEventSelectorsException)";
    let cases: Vec<(AdvancedEventSelector, &str)> = vec![
        (AdvancedEventSelector::new(), "it has no field selectors"),
        (
            AdvancedEventSelector::new().with_field(Field::ReadOnly, Operator::Equals, ["true"]),
            "the field `eventCategory` is required",
        ),
        (
            AdvancedEventSelector::new().with_field(
                Field::EventCategory,
                Operator::StartsWith,
                ["Data"],
            ),
            "`eventCategory` allows only `Equals`",
        ),
        (
            AdvancedEventSelector::new().with_field(
                Field::EventCategory,
                Operator::Equals,
                ["Insight"],
            ),
            "`eventCategory` must equal exactly one of `Management`, `Data`, `NetworkActivity`",
        ),
        (
            AdvancedEventSelector::management_events().with_field(
                Field::EventName,
                Operator::Equals,
                ["PutObject"],
            ),
            "field `eventName` is not allowed for `Management` events",
        ),
        (
            AdvancedEventSelector::management_events().with_field(
                Field::EventSource,
                Operator::NotEquals,
                ["s3.amazonaws.com"],
            ),
            "for management events `eventSource` may only exclude `kms.amazonaws.com` or `rdsdata.amazonaws.com`",
        ),
        (
            AdvancedEventSelector::management_events().with_field(
                Field::EventSource,
                Operator::Equals,
                ["kms.amazonaws.com"],
            ),
            "field `eventSource` does not allow the operator `Equals`",
        ),
        (
            AdvancedEventSelector::management_events().with_field(
                Field::ReadOnly,
                Operator::Equals,
                ["yes"],
            ),
            "`readOnly` must equal `true` or `false`",
        ),
        (
            AdvancedEventSelector::new().with_field(
                Field::EventCategory,
                Operator::Equals,
                ["Data"],
            ),
            "data events need the field `resources.type`",
        ),
        (
            AdvancedEventSelector::data_events("AWS::S3::Object").with_field(
                Field::ResourcesType,
                Operator::Equals,
                ["AWS::Lambda::Function"],
            ),
            "`resources.type` must equal exactly one type",
        ),
        (
            AdvancedEventSelector::data_events("AWS::S3::Object").with_field(
                Field::ResourcesArn,
                Operator::StartsWith,
                ["arn:aws:s3:::*"],
            ),
            "value `arn:aws:s3:::*` of field `resources.ARN`: selectors do not support wildcards like `*`",
        ),
        (
            AdvancedEventSelector::data_events("AWS::S3::Object").with_field(
                Field::SessionCredentialFromConsole,
                Operator::StartsWith,
                ["t"],
            ),
            "field `sessionCredentialFromConsole` does not allow the operator `StartsWith`",
        ),
        (
            AdvancedEventSelector::new().with_field(
                Field::EventCategory,
                Operator::Equals,
                ["NetworkActivity"],
            ),
            "network activity events need the field `eventSource`",
        ),
        (
            AdvancedEventSelector::new()
                .with_field(Field::EventCategory, Operator::Equals, ["NetworkActivity"])
                .with_field(Field::EventSource, Operator::Equals, ["s3.amazonaws.com"])
                .with_field(Field::ErrorCode, Operator::Equals, ["AccessDenied"]),
            "`errorCode` must equal `VpceAccessDenied`",
        ),
    ];
    for (selector, reason) in cases {
        assert_eq!(err(selector), format!("{prefix}{reason}{suffix}"));
    }
}

#[test]
fn data_resource_values_are_checked() {
    let e = |r: Result<DataResource, TrailError>| r.unwrap_err().to_string();
    assert_eq!(
        e(DataResource::lambda_function(
            "arn:aws:lambda:us-west-2:111111111111:function:f:PROD"
        )),
        "invalid lambda function arn `arn:aws:lambda:us-west-2:111111111111:function:f:PROD`: expected an unqualified function arn (no version or alias)"
    );
    assert_eq!(
        e(DataResource::dynamodb_table(
            "arn:aws:dynamodb:us-east-1:12:table/t"
        )),
        "invalid dynamodb table arn `arn:aws:dynamodb:us-east-1:12:table/t`: the account id must be exactly 12 digits"
    );
    assert_eq!(
        e(DataResource::s3_prefix(Partition::Aws, &bucket(), "")),
        "invalid s3 object prefix ``: the prefix must not be empty; log the whole bucket instead"
    );
    // A data resource of another partition than the trail is refused.
    assert_eq!(
        build_err(
            builder("part-trail", MEMBER).event_selector(
                EventSelector::data_only(ReadWriteType::All)
                    .with_data(DataResource::all_s3_objects(Partition::AwsCn))
            )
        ),
        "data resource `arn:aws-cn:s3` is in partition `aws-cn`, but trail `part-trail` is in `aws`"
    );
}

#[test]
fn cloudwatch_logs_must_be_in_the_trails_account_and_region() {
    let role: PrincipalArn = "arn:aws:iam::222233334444:role/CloudTrailLogs"
        .parse()
        .unwrap();
    let cw = |group: &str, role: PrincipalArn| {
        build_err(builder("cw-trail", MEMBER).cloudwatch_logs(group, role))
    };
    assert_eq!(
        cw(
            "arn:aws:logs:us-west-2:222233334444:log-group:g:*",
            role.clone()
        ),
        "log group `arn:aws:logs:us-west-2:222233334444:log-group:g:*` must be in account `222233334444`, which creates the trail, and in its home region `us-east-1` (InvalidCloudWatchLogsLogGroupArnException)"
    );
    assert_eq!(
        cw(
            "arn:aws:logs:us-east-1:111122223333:log-group:g",
            role.clone()
        ),
        "log group `arn:aws:logs:us-east-1:111122223333:log-group:g` must be in account `222233334444`, which creates the trail, and in its home region `us-east-1` (InvalidCloudWatchLogsLogGroupArnException)"
    );
    assert_eq!(
        cw("bad name!", role.clone()),
        "invalid cloudwatch logs log group `bad name!`: only ascii letters, digits, `_`, `-`, `/`, `.` and `#` are allowed in log group names (InvalidCloudWatchLogsLogGroupArnException)"
    );
    assert_eq!(
        cw(&"g".repeat(513), role),
        format!(
            "invalid cloudwatch logs log group `{}`: log group names must be 1 to 512 characters long (InvalidCloudWatchLogsLogGroupArnException)",
            "g".repeat(513)
        )
    );
    assert_eq!(
        cw(
            "g",
            "arn:aws:iam::111122223333:role/CloudTrailLogs"
                .parse()
                .unwrap()
        ),
        "invalid cloudwatch logs role `arn:aws:iam::111122223333:role/CloudTrailLogs`: the role must be in the account that creates the trail (for an organization trail made by a delegated administrator, that administrator's account) (InvalidCloudWatchLogsRoleArnException)"
    );
    assert_eq!(
        cw(
            "g",
            "arn:aws:iam::222233334444:user/someone".parse().unwrap()
        ),
        "invalid cloudwatch logs role `arn:aws:iam::222233334444:user/someone`: expected an iam role arn (InvalidCloudWatchLogsRoleArnException)"
    );
}

#[test]
fn a_kms_key_of_another_partition_is_refused() {
    assert_eq!(
        build_err(
            builder("kms-trail", MEMBER).kms_key(
                "arn:aws-cn:kms:cn-north-1:111122223333:alias/ct"
                    .parse()
                    .unwrap()
            )
        ),
        "kms key `arn:aws-cn:kms:cn-north-1:111122223333:alias/ct` is in partition `aws-cn`, but trail `kms-trail` is in `aws`"
    );
}

// ---- limit checks agree with a direct count -----------------------------------------------

#[derive(Debug, Clone)]
enum Res {
    AllS3,
    Bucket(u16),
    Lambda(u16),
}

fn selector_strategy() -> impl Strategy<Value = (bool, Vec<Res>)> {
    let res = prop_oneof![
        1 => Just(Res::AllS3),
        6 => (0u16..400).prop_map(Res::Bucket),
        3 => (0u16..400).prop_map(Res::Lambda),
    ];
    (any::<bool>(), prop::collection::vec(res, 0..120))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn selector_limits_agree_with_a_direct_count(
        selectors in prop::collection::vec(selector_strategy(), 1..8)
    ) {
        let mut b = builder("prop-trail", MEMBER);
        let mut counted = 0usize;
        let mut empty = None;
        for (i, (mgmt, resources)) in selectors.iter().enumerate() {
            let mut s = if *mgmt {
                EventSelector::management(ReadWriteType::All)
            } else {
                EventSelector::data_only(ReadWriteType::All)
            };
            let mut distinct = std::collections::BTreeSet::new();
            for r in resources {
                let d = match r {
                    Res::AllS3 => DataResource::all_s3_objects(Partition::Aws),
                    Res::Bucket(n) => DataResource::s3_bucket(Partition::Aws, &format!("bucket-{n}").parse().unwrap()),
                    Res::Lambda(n) => DataResource::lambda_function(&format!("arn:aws:lambda:us-east-1:222233334444:function:f{n}")).unwrap(),
                };
                if !d.is_all() && distinct.insert(d.as_str().to_owned()) {
                    counted += 1;
                }
                s = s.with_data(d);
            }
            if !*mgmt && resources.is_empty() && empty.is_none() {
                empty = Some(i + 1);
            }
            b = b.event_selector(s);
        }
        let result = b.build();
        if selectors.len() > 5 {
            let ok = matches!(result, Err(TrailError::TooManyEventSelectors { count, .. }) if count == selectors.len());
            prop_assert!(ok, "{:?}", result);
        } else if let Some(index) = empty {
            let ok = matches!(result, Err(TrailError::EmptyEventSelector { index: i, .. }) if i == index);
            prop_assert!(ok, "{:?}", result);
        } else if counted > 250 {
            let ok = matches!(result, Err(TrailError::TooManyDataResources { count, .. }) if count == counted);
            prop_assert!(ok, "{:?}", result);
        } else {
            let config = result.unwrap();
            let total: usize = config.event_selectors().event_selectors().unwrap().iter().map(EventSelector::counted_data_resources).sum();
            prop_assert_eq!(total, counted);
        }
    }
}

#[test]
fn outputs_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<TrailConfig>();
    assert_send_sync::<TrailConfigBuilder>();
    assert_send_sync::<TrailError>();
    assert_send_sync::<cloudtrail_policy::TrailInventory>();
    assert_send_sync::<cloudtrail_policy::QuotaError>();
}

#[test]
fn an_organization_trail_needs_no_organization_id_unless_it_delivers_to_cloudwatch() {
    let unnamed = builder("org-trail", MANAGEMENT)
        .organization_trail(account(MANAGEMENT), [account(DELEGATED)])
        .build()
        .unwrap();
    let named = org_builder(MANAGEMENT).build().unwrap();
    // The request bodies never carry the organization id.
    assert_eq!(
        serde_json::to_value(&unnamed).unwrap(),
        serde_json::to_value(&named).unwrap()
    );
    assert!(unnamed.create_trail().is_organization_trail());
    // The accounts that may create it are still checked.
    assert!(
        build_err(builder("org-trail", "444455556666").organization_trail(account(MANAGEMENT), []))
            .contains("NotOrganizationMasterAccountException")
    );
    let err = build_err(
        builder("org-trail", MANAGEMENT)
            .organization_trail(account(MANAGEMENT), [])
            .cloudwatch_logs(
                "CloudTrail/org-trail",
                "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"
                    .parse()
                    .unwrap(),
            ),
    );
    assert_eq!(
        err,
        "organization trail `org-trail` delivers to cloudwatch logs, whose role policy names the organization's log streams: name the organization id"
    );
}
