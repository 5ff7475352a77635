//! `live_outputs`: any text as every AWS CLI output the crate reads. No reader panics, each is
//! deterministic, and a policy reads the same bare or wrapped the way `get-bucket-policy` and
//! `get-key-policy` print it.

use cloudtrail_policy::{
    BucketEncryption, BucketLocation, BucketLogging, BucketVersioning, CallerIdentity, KeyRotation,
    LifecycleRules, LiveAccounts, LiveInsights, LiveOrganization, LiveSelectors, LiveTrail,
    ObjectLockState, OwnershipControls, PolicyText, PublicAccessBlock, TrailStatus,
};

/// Reads `data` (as text) with every reader.
pub fn check(data: &[u8]) {
    let text = super::text(data);
    let t = text.as_ref();
    macro_rules! same_twice {
        ($($f:expr),* $(,)?) => {$(
            assert_eq!($f(t), $f(t), "a reader is not deterministic");
        )*};
    }
    same_twice!(
        BucketEncryption::parse,
        BucketLocation::parse,
        BucketLogging::parse,
        BucketVersioning::parse,
        CallerIdentity::parse,
        KeyRotation::parse,
        LifecycleRules::parse,
        LiveAccounts::parse,
        LiveInsights::parse,
        LiveOrganization::parse,
        LiveSelectors::parse,
        LiveTrail::parse,
        ObjectLockState::parse,
        OwnershipControls::parse,
        PublicAccessBlock::parse,
        TrailStatus::parse,
    );
    if let Ok(selectors) = LiveSelectors::parse(t) {
        assert!(!selectors.to_string().is_empty());
    }
    let bare = PolicyText::from_json_or_cli_output(t);
    let wrapped = serde_json::json!({ "Policy": t }).to_string();
    let keyed = serde_json::json!({ "Policy": t, "PolicyName": "default" }).to_string();
    if let Ok(policy) = PolicyText::from_json(t) {
        assert_eq!(bare.as_ref().ok(), Some(&policy));
        assert_eq!(
            PolicyText::from_json_or_cli_output(&wrapped).ok(),
            Some(policy.clone())
        );
        assert_eq!(
            PolicyText::from_json_or_cli_output(&keyed).ok(),
            Some(policy)
        );
    } else {
        assert!(PolicyText::from_json_or_cli_output(&wrapped).is_err());
    }
}
