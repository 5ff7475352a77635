//! The log key as `aws kms get-key-rotation-status` prints it
//! (<https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html>).

use serde::Deserialize;

use super::error::OutputRule;
use super::shape::parse;

/// `get-key-rotation-status`: whether automatic rotation is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRotation {
    enabled: bool,
}

impl KeyRotation {
    /// Reads the output.
    ///
    /// # Errors
    /// [`OutputRule`] when `KeyRotationEnabled` is missing or not a boolean.
    pub fn parse(text: &str) -> Result<Self, OutputRule> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out {
            key_rotation_enabled: bool,
        }
        parse::<Out>(text).map(|o| KeyRotation {
            enabled: o.key_rotation_enabled,
        })
    }

    /// `KeyRotationEnabled`.
    pub fn enabled(&self) -> bool {
        self.enabled
    }
}
