//! A checker of JSON request bodies against a trimmed botocore service model (the format of
//! `botocore/data/<service>/<version>/service-2.json`: `shapes` with `type`, `members`,
//! `required`, `member`, `enum`, `min`, `max`).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail the calling test loudly"
)]

use serde_json::Value;

/// A loaded model.
pub struct Model(Value);

impl Model {
    /// Parses the model text.
    pub fn new(text: &str) -> Self {
        Model(serde_json::from_str(text).unwrap())
    }

    /// Every violation of `body` against the input shape of `operation`, as `path: problem`.
    pub fn violations(&self, operation: &str, body: &Value) -> Vec<String> {
        let input = self.0["operations"][operation]
            .as_str()
            .unwrap_or_else(|| panic!("operation `{operation}` is not in the fixture"));
        let mut out = Vec::new();
        self.check(input, body, operation, &mut out);
        out
    }

    fn check(&self, id: &str, value: &Value, path: &str, out: &mut Vec<String>) {
        let shape = &self.0["shapes"][id];
        assert!(shape.is_object(), "shape `{id}` is not in the fixture");
        let within = |n: u64| {
            shape["min"].as_u64().is_none_or(|m| n >= m)
                && shape["max"].as_u64().is_none_or(|m| n <= m)
        };
        match shape["type"].as_str().unwrap() {
            "structure" => {
                let Some(obj) = value.as_object() else {
                    return out.push(format!("{path}: expected an object"));
                };
                let members = shape["members"].as_object().unwrap();
                for name in shape["required"].as_array().into_iter().flatten() {
                    let name = name.as_str().unwrap();
                    if !obj.contains_key(name) {
                        out.push(format!("{path}: required member `{name}` is missing"));
                    }
                }
                for (name, v) in obj {
                    match members.get(name) {
                        Some(m) => self.check(
                            m["shape"].as_str().unwrap(),
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
                if !within(items.len() as u64) {
                    out.push(format!("{path}: list length {} out of range", items.len()));
                }
                let member = shape["member"]["shape"].as_str().unwrap();
                for (i, item) in items.iter().enumerate() {
                    self.check(member, item, &format!("{path}[{i}]"), out);
                }
            }
            "string" => {
                let Some(s) = value.as_str() else {
                    return out.push(format!("{path}: expected a string"));
                };
                if !within(s.chars().count() as u64) {
                    out.push(format!("{path}: length {} out of range", s.chars().count()));
                }
                if let Some(values) = shape["enum"].as_array()
                    && !values.iter().any(|e| e == s)
                {
                    out.push(format!("{path}: `{s}` is not an enum value"));
                }
            }
            "boolean" => {
                if !value.is_boolean() {
                    out.push(format!("{path}: expected a boolean"));
                }
            }
            "integer" => match value.as_i64() {
                Some(n) if i32::try_from(n).is_ok() => {
                    if !within(n.unsigned_abs()) {
                        out.push(format!("{path}: {n} out of range"));
                    }
                }
                _ => out.push(format!("{path}: expected a 32-bit integer")),
            },
            "long" => {
                if value.as_i64().is_none() {
                    out.push(format!("{path}: expected a 64-bit integer"));
                }
            }
            // The CLI takes a timestamp as an ISO 8601 string or epoch seconds.
            "timestamp" => {
                if !(value.is_string() || value.is_number()) {
                    out.push(format!("{path}: expected a timestamp"));
                }
            }
            other => panic!("the checker does not know the shape type `{other}`"),
        }
    }
}
