//! Reading one output into its shape.

use serde::de::DeserializeOwned;

use super::error::OutputRule;

/// `text` read as `T`. The AWS CLI prints nothing at all for an empty response (seen with
/// `get-bucket-logging` without logging and `get-bucket-versioning` on a bucket never
/// versioned), which is read as `{}`.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, OutputRule> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_json::from_str(text).map_err(|e| OutputRule::Shape(e.to_string()))
}
