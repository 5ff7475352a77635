//! `spec_plan`: any text as a spec. Whatever plans gives artifacts whose probe matrix passes,
//! whose policies are within S3's and KMS's size limits and re-serialize exactly, and whose
//! findings hold no error; planning is deterministic; a refused plan names at least one error.

use cloudtrail_policy::Plan;
use cloudtrail_policy::PolicyKind;
use cloudtrail_policy::Severity;
use cloudtrail_policy::Spec;

/// Reads `data` (as text) as a spec, plans it and checks the plan.
pub fn check(data: &[u8]) {
    let text = super::text(data);
    let Ok(spec) = Spec::from_json(&text) else {
        return;
    };
    assert_eq!(Spec::from_json(&text).as_ref(), Ok(&spec));
    let plan = match Plan::from_spec(&spec) {
        Ok(plan) => plan,
        Err(e) => {
            assert!(e.errors().count() > 0, "a refused plan without an error");
            assert_eq!(Plan::from_spec(&spec).err().as_ref(), Some(&e));
            return;
        }
    };
    assert!(
        plan.findings()
            .iter()
            .all(|f| f.severity() != Severity::Error),
        "an accepted plan with an error finding"
    );
    let report = plan.verify();
    if let Some(failure) = report.failures().next() {
        panic!(
            "probe `{}` failed: expected {}, got {:?}",
            failure.probe().name(),
            failure.probe().expect(),
            failure.outcome()
        );
    }
    let bucket = plan.bucket_policy().document();
    assert!(bucket.minified_len() <= PolicyKind::Bucket.size_limit());
    super::document::round_trip(bucket);
    if let Some(key) = plan.key_policy() {
        assert!(key.document().minified_len() <= PolicyKind::Key.size_limit());
        super::document::round_trip(key.document());
    }
    let json = serde_json::to_string(&plan).unwrap_or_default();
    assert!(!json.is_empty());
    let again = Plan::from_spec(&spec);
    assert_eq!(
        again.as_ref().ok(),
        Some(&plan),
        "planning is not deterministic"
    );
    assert_eq!(
        again
            .ok()
            .map(|p| serde_json::to_string(&p).unwrap_or_default()),
        Some(json)
    );
}
