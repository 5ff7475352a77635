//! A live policy against the plan's: each planned statement, by Sid, present and the same; and
//! every other statement of the live policy, with what it does.

use crate::document::{PolicyDocument, Statement};
use crate::finding::{Finding, FindingCode, Severity};

/// The differences between the plan's policy and the live one; `what` names the policy
/// (`bucket policy of acme-cloudtrail-logs`).
pub(crate) fn compare(what: &str, planned: &PolicyDocument, live: &PolicyDocument) -> Vec<Finding> {
    let mut findings = Vec::new();
    for p in planned.statements() {
        let sid = p.sid().unwrap_or_default();
        match live.statements().iter().find(|l| l.sid() == p.sid()) {
            None => findings.push(Finding::new(
                Severity::Error,
                FindingCode::LiveStatementMissing,
                format!("{what}: statement `{sid}` of the plan is not in the live policy: apply the planned policy"),
            )),
            Some(l) if l != p => findings.push(Finding::new(
                Severity::Error,
                FindingCode::LiveStatementChanged,
                format!(
                    "{what}: statement `{sid}` differs from the plan's in {}: live {}, planned {}",
                    differing(p, l).join(", "),
                    render(l),
                    render(p)
                ),
            )),
            Some(_) => {}
        }
    }
    for l in live.statements() {
        let planned_sid = l
            .sid()
            .is_some_and(|sid| planned.statements().iter().any(|p| p.sid() == Some(sid)));
        if planned_sid {
            continue;
        }
        let (severity, does) = match l.effect() {
            crate::document::Effect::Allow => (Severity::Error, "allows"),
            crate::document::Effect::Deny => (Severity::Warning, "denies"),
        };
        findings.push(Finding::new(
            severity,
            FindingCode::LiveStatementUnplanned,
            format!(
                "{what}: the live policy has a statement the plan does not have{}, which {does}: {}",
                l.sid().map(|s| format!(" (`{s}`)")).unwrap_or_default(),
                render(l)
            ),
        ));
    }
    findings
}

/// The elements of two statements with one Sid that differ.
fn differing(a: &Statement, b: &Statement) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.effect() != b.effect() {
        out.push("`Effect`");
    }
    if a.principal() != b.principal() {
        out.push("`Principal`");
    }
    if a.action() != b.action() {
        out.push("`Action`");
    }
    if a.resource() != b.resource() {
        out.push("`Resource`");
    }
    if a.condition() != b.condition() {
        out.push("`Condition`");
    }
    if out.is_empty() {
        out.push("its elements");
    }
    out
}

/// The statement as minified JSON.
fn render(s: &Statement) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
