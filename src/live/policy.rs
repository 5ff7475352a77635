//! A policy as the AWS CLI prints it: `get-bucket-policy` and `get-key-policy` wrap the policy
//! document in a JSON string under `Policy` (`get-key-policy` adds `PolicyName`)
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html>,
//! <https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html>).

use serde::Deserialize;

use crate::document::DocumentError;
use crate::merge::PolicyText;

/// The output of `get-bucket-policy` or `get-key-policy`: nothing but the policy string and,
/// for a key, its name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    #[serde(rename = "Policy")]
    policy: String,
    #[serde(rename = "PolicyName")]
    #[allow(
        dead_code,
        reason = "read to accept get-key-policy's output; the name is always `default`"
    )]
    policy_name: Option<String>,
}

/// The policy inside `text` when `text` is the AWS CLI's output of `get-bucket-policy` or
/// `get-key-policy`; `None` for anything else. A policy document itself never has this shape:
/// it needs a `Statement`.
fn unwrap(text: &str) -> Option<String> {
    serde_json::from_str::<Wrapped>(text).ok().map(|w| w.policy)
}

impl PolicyText {
    /// Parses a policy written as a policy document, or as the AWS CLI prints it:
    /// `aws s3api get-bucket-policy` and `aws kms get-key-policy` print
    /// `{"Policy": "<the policy as a JSON string>"}` (the key's adds `"PolicyName"`), which is
    /// read as the policy inside.
    ///
    /// ```
    /// use cloudtrail_policy::PolicyText;
    /// let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}"#;
    /// let output = serde_json::json!({ "Policy": policy }).to_string();
    /// let a = PolicyText::from_json_or_cli_output(&output)?;
    /// let b = PolicyText::from_json_or_cli_output(policy)?;
    /// assert_eq!(a, b);
    /// # Ok::<(), cloudtrail_policy::DocumentError>(())
    /// ```
    ///
    /// # Errors
    /// As [`PolicyText::from_json`], for the policy inside.
    pub fn from_json_or_cli_output(text: &str) -> Result<PolicyText, DocumentError> {
        match unwrap(text) {
            Some(inner) => PolicyText::from_json(&inner),
            None => PolicyText::from_json(text),
        }
    }
}
