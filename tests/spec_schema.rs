//! `cloudtrail-policy schema` (`Spec::SCHEMA`) against the parser it describes: every object of
//! the schema lists exactly the fields the parser accepts there (read from the parser's own
//! unknown-field error), every optional field may be `null` as the parser allows, and every
//! fixture spec and the built-in example validate. The validator below implements the JSON Schema
//! keywords the schema uses; an unknown keyword fails the test rather than being skipped.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;

use cloudtrail_policy::Spec;
use serde_json::{Value, json};

fn schema() -> Value {
    serde_json::from_str(Spec::SCHEMA).unwrap()
}

// ---------------------------------------------------------------------------------------------
// A validator for the subset of JSON Schema 2020-12 the spec schema uses.

/// The errors of `instance` against `schema`, each with the instance path.
fn validate(schema: &Value, instance: &Value, path: &str, errors: &mut Vec<String>) {
    let Value::Object(keywords) = schema else {
        panic!("{path}: a schema must be an object");
    };
    let fail = |errors: &mut Vec<String>, why: String| errors.push(format!("{path}: {why}"));
    for (keyword, value) in keywords {
        match keyword.as_str() {
            // Annotations.
            "$schema" | "$id" | "title" | "description" | "default" => {}
            "type" => {
                let types: Vec<&str> = match value {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                    _ => panic!("bad type"),
                };
                if !types.iter().any(|t| has_type(instance, t)) {
                    fail(errors, format!("expected {types:?}, found {instance}"));
                }
            }
            "enum" => {
                if !value.as_array().unwrap().contains(instance) {
                    fail(errors, format!("{instance} is not one of {value}"));
                }
            }
            "pattern" => {
                if let Value::String(s) = instance {
                    let re = regex::Regex::new(value.as_str().unwrap()).unwrap();
                    if !re.is_match(s) {
                        fail(errors, format!("`{s}` does not match {value}"));
                    }
                }
            }
            "minLength" | "maxLength" => {
                if let Value::String(s) = instance {
                    let n = s.chars().count() as u64;
                    let bound = value.as_u64().unwrap();
                    if (keyword == "minLength" && n < bound)
                        || (keyword == "maxLength" && n > bound)
                    {
                        fail(errors, format!("length {n} breaks {keyword} {bound}"));
                    }
                }
            }
            "minimum" | "maximum" => {
                if let Some(n) = instance.as_f64() {
                    let bound = value.as_f64().unwrap();
                    if (keyword == "minimum" && n < bound) || (keyword == "maximum" && n > bound) {
                        fail(errors, format!("{n} breaks {keyword} {bound}"));
                    }
                }
            }
            "minProperties" | "maxProperties" => {
                if let Value::Object(m) = instance {
                    let n = m.len() as u64;
                    let bound = value.as_u64().unwrap();
                    if (keyword == "minProperties" && n < bound)
                        || (keyword == "maxProperties" && n > bound)
                    {
                        fail(errors, format!("{n} members break {keyword} {bound}"));
                    }
                }
            }
            "required" => {
                if let Value::Object(m) = instance {
                    for r in value.as_array().unwrap() {
                        if !m.contains_key(r.as_str().unwrap()) {
                            fail(errors, format!("missing {r}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Value::Object(m) = instance {
                    for (name, sub) in value.as_object().unwrap() {
                        if let Some(v) = m.get(name) {
                            validate(sub, v, &format!("{path}.{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Value::Object(m) = instance {
                    let known = keywords.get("properties").and_then(Value::as_object);
                    for (name, v) in m {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        match value {
                            Value::Bool(false) => {
                                errors.push(format!("{path}: unknown field `{name}`"))
                            }
                            Value::Bool(true) => {}
                            sub => validate(sub, v, &format!("{path}.{name}"), errors),
                        }
                    }
                }
            }
            "items" => {
                if let Value::Array(items) = instance {
                    for (i, v) in items.iter().enumerate() {
                        validate(value, v, &format!("{path}[{i}]"), errors);
                    }
                }
            }
            "oneOf" => {
                let matching = value
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|branch| {
                        let mut inner = Vec::new();
                        validate(branch, instance, path, &mut inner);
                        inner.is_empty()
                    })
                    .count();
                if matching != 1 {
                    fail(
                        errors,
                        format!("matches {matching} branches of `oneOf`, not one"),
                    );
                }
            }
            "not" => {
                let mut inner = Vec::new();
                validate(value, instance, path, &mut inner);
                if inner.is_empty() {
                    errors.push(format!("{path}: matches the schema under `not`: {value}"));
                }
            }
            other => panic!("{path}: the validator does not implement `{other}`"),
        }
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        other => panic!("unknown type {other}"),
    }
}

fn errors(instance: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(&schema(), instance, "$", &mut errors);
    errors
}

#[test]
fn the_validator_refuses_what_it_should() {
    let s = json!({"type": "object", "required": ["a"], "additionalProperties": false,
        "properties": {"a": {"type": ["string", "null"], "pattern": "^x", "maxLength": 3}},
        "not": {"required": ["b"]}});
    let check = |i: Value| {
        let mut e = Vec::new();
        validate(&s, &i, "$", &mut e);
        e
    };
    assert!(check(json!({"a": "xy"})).is_empty());
    assert!(check(json!({"a": null})).is_empty());
    assert_eq!(check(json!({})).len(), 1);
    assert_eq!(check(json!({"a": "yy"})).len(), 1);
    assert_eq!(check(json!({"a": "xyzw"})).len(), 1);
    assert_eq!(check(json!({"a": 1})).len(), 1);
    assert_eq!(check(json!({"a": "x", "c": 1})).len(), 1);
    assert_eq!(check(json!({"a": "x", "b": 1})).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// The schema against the parser.

fn fixtures() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/specs");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.display().to_string(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.push((
        "the built-in example".into(),
        serde_json::from_str(Spec::EXAMPLE).unwrap(),
    ));
    assert!(out.len() >= 4);
    out
}

#[test]
fn every_fixture_spec_and_the_example_parse_and_validate() {
    for (name, spec) in fixtures() {
        Spec::from_json(&spec.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(errors(&spec), Vec::<String>::new(), "{name}");
    }
}

/// A spec with every object the schema describes present: each path, with the JSON pointer of
/// its schema.
fn full() -> (Value, Vec<(&'static str, &'static str)>) {
    let spec = json!({
        "partition": "aws",
        "log_archive": {
            "account": "999999999999", "region": "eu-west-1", "bucket": "acme-cloudtrail-logs",
            "create_kms_key": {"alias": "alias/cloudtrail-logs"},
            "object_lock": {"mode": "GOVERNANCE", "days": 365},
            "lifecycle": {
                "transitions": [{"days": 90, "storage_class": "GLACIER"}],
                "expiration_days": 400, "noncurrent_expiration_days": 30
            },
            "access_logs": {"bucket": "acme-access-logs", "prefix": "cloudtrail-bucket/"}
        },
        "organization": {"id": "o-a1b2c3d4e5", "management_account": "111111111111",
                         "write_condition": "source-org-id"},
        "trails": [{
            "name": "main", "account": "111111111111", "home_region": "eu-west-1",
            "management_events": {"read_write": "WriteOnly"},
            "data_events": [{"s3": "all"}],
            "cloudwatch_logs": {"log_group": "CloudTrail/main", "role": "arn:aws:iam::111111111111:role/Logs"}
        }],
        "existing_trails": [{"account": "111111111111", "home_region": "eu-west-1", "name": "legacy"}]
    });
    let objects = vec![
        ("", ""),
        ("/log_archive", "/properties/log_archive"),
        (
            "/log_archive/create_kms_key",
            "/properties/log_archive/properties/create_kms_key",
        ),
        (
            "/log_archive/object_lock",
            "/properties/log_archive/properties/object_lock",
        ),
        (
            "/log_archive/lifecycle",
            "/properties/log_archive/properties/lifecycle",
        ),
        (
            "/log_archive/lifecycle/transitions/0",
            "/properties/log_archive/properties/lifecycle/properties/transitions/items",
        ),
        (
            "/log_archive/access_logs",
            "/properties/log_archive/properties/access_logs",
        ),
        ("/organization", "/properties/organization"),
        ("/trails/0", "/properties/trails/items"),
        (
            "/trails/0/management_events",
            "/properties/trails/items/properties/management_events",
        ),
        (
            "/trails/0/data_events/0",
            "/properties/trails/items/properties/data_events/items",
        ),
        (
            "/trails/0/cloudwatch_logs",
            "/properties/trails/items/properties/cloudwatch_logs",
        ),
        ("/existing_trails/0", "/properties/existing_trails/items"),
    ];
    (spec, objects)
}

#[test]
fn every_object_of_the_schema_lists_exactly_the_fields_the_parser_accepts() {
    let (spec, objects) = full();
    Spec::from_json(&spec.to_string()).unwrap();
    assert_eq!(errors(&spec), Vec::<String>::new());
    let schema = schema();
    for (at, schema_at) in objects {
        let mut probe = spec.clone();
        probe.pointer_mut(at).unwrap()["zz_unknown"] = json!(1);
        let err = Spec::from_json(&probe.to_string()).unwrap_err().to_string();
        let (_, listed) = err
            .split_once(", expected one of ")
            .unwrap_or_else(|| panic!("{at}: {err}"));
        let parser: BTreeSet<String> = listed
            .split(", ")
            .map(|f| f.trim_matches('`').to_owned())
            .collect();
        let described: BTreeSet<String> = schema
            .pointer(schema_at)
            .unwrap()
            .get("properties")
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(described, parser, "fields at `{at}`");
        assert!(
            errors(&probe)
                .iter()
                .any(|e| e.contains("unknown field `zz_unknown`")),
            "the schema refuses the unknown field at `{at}` too"
        );
    }
}

#[test]
fn parser_and_schema_agree_on_every_null_and_no_required_field_takes_one() {
    let (spec, objects) = full();
    let schema = schema();
    for (at, schema_at) in objects {
        let object = schema.pointer(schema_at).unwrap();
        let required: BTreeSet<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().map(|f| f.as_str().unwrap()).collect())
            .unwrap_or_default();
        for field in object["properties"].as_object().unwrap().keys() {
            let mut probe = spec.clone();
            probe.pointer_mut(at).unwrap()[field.as_str()] = Value::Null;
            let parsed = Spec::from_json(&probe.to_string());
            let valid = errors(&probe);
            // Parser and schema agree on every null; a required field takes none.
            assert_eq!(
                parsed.is_ok(),
                valid.is_empty(),
                "{at}.{field}: parser {:?}, schema {valid:?}",
                parsed.err()
            );
            if required.contains(field.as_str()) {
                assert!(parsed.is_err(), "{at}.{field}: the parser takes a null");
            }
        }
    }
}

#[test]
fn what_the_parser_refuses_the_schema_refuses_too() {
    let (spec, _) = full();
    let cases = [
        ("/log_archive/kms_key", json!("alias/logs")), // with create_kms_key
        ("/log_archive/object_lock/days", json!(0)),
        ("/log_archive/object_lock/mode", json!("governance")),
        ("/log_archive/create_kms_key/alias", json!("alias/aws/s3")),
        ("/log_archive/account", json!("12345")),
        ("/organization/id", json!("o-1")),
        (
            "/trails/0/management_events/read_write",
            json!("Everything"),
        ),
        ("/trails/0/data_events/0/lambda", json!("all")), // two kinds in one selector
        ("/trails/0/name", json!("ab")),
        ("/organization/write_condition", json!("SourceOrgID")),
        (
            "/log_archive/lifecycle/transitions/0/storage_class",
            json!("glacier"),
        ),
        ("/log_archive/lifecycle/expiration_days", json!(0)),
        (
            "/log_archive/lifecycle/noncurrent_expiration_days",
            json!(4_294_967_296_u64),
        ),
        ("/log_archive/access_logs/prefix", json!("logs/*")),
    ];
    for (at, value) in cases {
        let mut probe = spec.clone();
        let (parent, field) = at.rsplit_once('/').unwrap();
        probe.pointer_mut(parent).unwrap()[field] = value.clone();
        assert!(
            Spec::from_json(&probe.to_string()).is_err(),
            "{at} = {value}: the parser takes it"
        );
        assert!(
            !errors(&probe).is_empty(),
            "{at} = {value}: the schema takes it"
        );
    }
}
