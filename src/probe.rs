//! Probes: requests, each with the verdict an intent says it must get, run through the
//! evaluator into a [`Report`]. The bucket and key policies each derive their matrix from the
//! intent (`BucketPolicy::probes`, `KeyPolicy::probes`), never from a policy, so that a
//! generator bug shows up as a failed probe.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::artifact::{PolicyKind, SID_PREFIX};
use crate::document::PolicyDocument;
use crate::eval::{Caller, Decision, Request, Unsupported, Verdict, evaluate};
use crate::id::{
    AccountId, OrganizationId, Partition, PrincipalArn, PrincipalKind, Region, TrailArn, arn,
};
use crate::intent::Intent;

/// What a probe checks, so that a failed probe can be explained by a lint without reading its
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProbeClass {
    /// CloudTrail's own delivery for a trail of the intent: the ACL check, a log or digest
    /// upload. Must be allowed.
    Delivery,
    /// A delivering trail writing into another account's folder or the organization folder:
    /// allowed or not depending on the layout.
    CrossFolder,
    /// A near miss of a delivery: no or a wrong `x-amz-acl`, an object outside `AWSLogs/`.
    DeliveryNearMiss,
    /// CloudTrail acting for a trail of an account the intent does not name, or without
    /// `aws:SourceArn`: the confused deputy.
    ForeignTrail,
    /// CloudTrail acting for another trail of a delivering account (another name, home Region
    /// or partition).
    SiblingTrail,
    /// An anonymous caller.
    Anonymous,
    /// A principal the intent does not name: a role of an unlisted account, another service.
    Outsider,
    /// A request without TLS.
    Transport,
    /// Deletion of log objects.
    Deletion,
    /// Changing or deleting the bucket policy.
    PolicyChange,
    /// A reader reading or listing the logs. Must be allowed.
    Read,
    /// A reader stepping outside the log folders or writing.
    ReaderScope,
    /// Not classified: a probe built with [`Probe::new`] alone.
    Unclassified,
}

/// One request with the verdict it must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    name: String,
    kind: PolicyKind,
    class: ProbeClass,
    request: Request,
    expect: Verdict,
}

impl Probe {
    /// A probe named `name` that sends `request` to the `kind` policy and expects `expect`.
    pub fn new(
        name: impl Into<String>,
        kind: PolicyKind,
        request: Request,
        expect: Verdict,
    ) -> Self {
        Probe {
            name: name.into(),
            kind,
            class: ProbeClass::Unclassified,
            request,
            expect,
        }
    }

    /// The same probe, classified as `class`.
    #[must_use]
    pub fn with_class(mut self, class: ProbeClass) -> Self {
        self.class = class;
        self
    }

    /// What kind of check it is; [`ProbeClass::Unclassified`] unless set with
    /// [`Probe::with_class`].
    pub fn class(&self) -> ProbeClass {
        self.class
    }

    /// What the probe checks, in words.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy it is sent to.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The verdict it must get.
    pub fn expect(&self) -> Verdict {
        self.expect
    }
}

/// A probe and what the evaluator said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    probe: Probe,
    outcome: Result<Decision, Unsupported>,
}

impl ProbeResult {
    /// The probe.
    pub fn probe(&self) -> &Probe {
        &self.probe
    }

    /// The evaluator's decision, or the construct it could not evaluate.
    pub fn outcome(&self) -> &Result<Decision, Unsupported> {
        &self.outcome
    }

    /// The verdict, if the evaluator reached one.
    pub fn verdict(&self) -> Option<Verdict> {
        self.outcome.as_ref().ok().map(Decision::verdict)
    }

    /// True when the verdict is the expected one.
    pub fn passed(&self) -> bool {
        self.verdict() == Some(self.probe.expect)
    }
}

/// Every probe of a matrix with its result, in matrix order.
///
/// Serializes as `{"probes": [...]}`, each probe an object with the members `name`, `policy`,
/// `principal`, `action`, `resource`, `context`, `expect` and `verdict` (plus `deciding`, and
/// `unsupported` when the evaluator could not decide, with `verdict` null), so that other IAM
/// evaluators can be run on the same probes. A `context` value is a string, a list of strings
/// (a multivalued key), `null` (a key AWS puts in the request with a value the probe does not
/// know, such as `aws:CurrentTime`) or `{"one_of": [...]}` (one of several values, `null`
/// meaning absent, such as the encryption header of CloudTrail's SSE-S3 uploads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    results: Vec<ProbeResult>,
}

impl Report {
    /// Runs every probe against `policy`.
    pub fn run(policy: &PolicyDocument, probes: Vec<Probe>) -> Report {
        let results = probes
            .into_iter()
            .map(|probe| ProbeResult {
                outcome: evaluate(policy, &probe.request),
                probe,
            })
            .collect();
        Report { results }
    }

    /// The results.
    pub fn results(&self) -> &[ProbeResult] {
        &self.results
    }

    /// True when the report has probes and every one got its expected verdict. An empty
    /// report (a bucket matrix for an intent without a bucket, a key matrix without a key)
    /// proves nothing, so it does not pass.
    pub fn passed(&self) -> bool {
        !self.results.is_empty() && self.results.iter().all(ProbeResult::passed)
    }

    /// The probes that did not get their expected verdict.
    pub fn failures(&self) -> impl Iterator<Item = &ProbeResult> {
        self.results.iter().filter(|r| !r.passed())
    }

    /// Adds the results of another report (the key policy's to the bucket policy's).
    pub fn extend(&mut self, other: Report) {
        self.results.extend(other.results);
    }

    /// The matrix as a table for people: a legend, then for each policy one row per probe
    /// (`ok` or `FAIL`, the expected verdict, the deciding statement, what the probe checks),
    /// then the count of the probes that got their expected verdict. Trail and IAM ARNs in the
    /// probe names are shortened to `account:trail/name` and `account:role/name`; the values the
    /// probes make up (accounts named nowhere, stand-in trails and roles) are explained in the
    /// legend. Lines are wrapped at 120 characters. `verify --format json` (the serialization)
    /// has every request in full.
    ///
    /// ```
    /// use cloudtrail_policy::{Plan, Spec};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let table = Plan::from_spec(&Spec::example()?)?.verify().table();
    /// assert!(table.contains("\nok   Allow        AclCheck "));
    /// assert!(table.lines().all(|l| l.chars().count() <= 120));
    /// # Ok(()) }
    /// ```
    pub fn table(&self) -> String {
        let rows: Vec<Row> = self.results.iter().map(Row::of).collect();
        let mut s = String::new();
        wrap(
            &mut s,
            "",
            "Each probe is a request sent to a policy; it passes when the evaluator's verdict is the one the spec demands.",
        );
        s.push('\n');
        for (term, meaning) in LEGEND {
            legend_line(&mut s, term, meaning);
        }
        let text = rows
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let made_up: Vec<(String, &str)> = made_up(&self.results, &text);
        for (i, (values, meaning)) in made_up.iter().enumerate() {
            let term = if i == 0 { "made up" } else { "" };
            legend_line(&mut s, term, &format!("{values}: {meaning}"));
        }
        // One section per policy, in the order the report has them: a kind of policy and what
        // it is attached to (a report may hold two bucket policies, the log archive's and the
        // access-log destination's).
        let mut policies: Vec<(PolicyKind, &str)> = Vec::new();
        for r in &rows {
            if !policies.contains(&(r.kind, r.target)) {
                policies.push((r.kind, r.target));
            }
        }
        for (kind, target) in policies {
            let of_kind: Vec<&Row> = rows
                .iter()
                .filter(|r| r.kind == kind && r.target == target)
                .collect();
            let policy = match kind {
                PolicyKind::Bucket => "bucket policy",
                PolicyKind::Key => "key policy",
            };
            let passed = of_kind.iter().filter(|r| r.passed).count();
            let _ = writeln!(
                s,
                "\n{policy} of {target}: {passed} of {} as expected",
                of_kind.len()
            );
            let by_width = of_kind
                .iter()
                .map(|r| r.by.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(2, 28);
            let _ = writeln!(s, "{:<4} {:<12} {:<by_width$} probe", "", "expect", "by");
            for row in of_kind {
                let head = format!(
                    "{:<4} {:<12} {:<by_width$} ",
                    if row.passed { "ok" } else { "FAIL" },
                    row.expect,
                    row.by
                );
                wrap(&mut s, &head, &row.name);
            }
        }
        let passed = self.results.iter().filter(|r| r.passed()).count();
        let _ = writeln!(s, "\n{passed} of {} probes as expected", self.results.len());
        s
    }
}

/// The legend of [`Report::table`], term and meaning.
const LEGEND: [(&str, &str); 6] = [
    (
        "ok / FAIL",
        "the evaluator's verdict is / is not the expected one",
    ),
    (
        "expect",
        "Allow: must be allowed. Deny: must be refused by an explicit deny.",
    ),
    (
        "",
        "ImplicitDeny: must be refused because no statement allows it.",
    ),
    (
        "by",
        "the statement that decided, its Sid without the CloudTrailPolicy prefix (- for none); a FAIL row shows the verdict it got",
    ),
    (
        "probe",
        "what the request is; trails are written account:trail/name, IAM principals account:role/name",
    ),
    (
        "",
        "(`verify --format json` has each request's caller, action, resource and context)",
    ),
];

/// The values the probes make up, by the words they appear as in probe names, and what they
/// stand for.
const MADE_UP: [(&[&str], &str); 4] = [
    (
        &["probe-any-trail", "any-trail"],
        "some trail of an account the spec lists without naming its trails",
    ),
    (
        &["probe-unlisted", "probe-other-trail", "unlisted-trail"],
        "a trail the spec does not name",
    ),
    (
        &["Stranger", "Intruder"],
        "a role of an account the spec names nowhere",
    ),
    (&["Admin"], "a role of the bucket owner's account"),
];

/// What a probe's policy is attached to: the bucket of an S3 resource (`arn:aws:s3:::b/key` →
/// `arn:aws:s3:::b`), or the key.
pub(crate) fn policy_target(kind: PolicyKind, resource: &str) -> &str {
    match kind {
        PolicyKind::Bucket => resource.split_once('/').map_or(resource, |(b, _)| b),
        PolicyKind::Key => resource,
    }
}

/// One row of the table.
struct Row<'a> {
    kind: PolicyKind,
    /// The policy's resource: the bucket ARN (not the object key a probe asks for), or the key.
    target: &'a str,
    passed: bool,
    expect: String,
    by: String,
    name: String,
}

impl Row<'_> {
    fn of(r: &ProbeResult) -> Row<'_> {
        let by = match r.outcome() {
            Ok(d) => {
                let sids: Vec<String> = d
                    .deciding()
                    .iter()
                    .map(|id| {
                        let id = id.to_string();
                        id.strip_prefix(SID_PREFIX).map(str::to_owned).unwrap_or(id)
                    })
                    .collect();
                let sids = if sids.is_empty() {
                    "-".to_owned()
                } else {
                    sids.join(",")
                };
                if r.passed() {
                    sids
                } else {
                    format!("got {} ({sids})", d.verdict())
                }
            }
            Err(u) => format!("unsupported: {u}"),
        };
        let resource = r.probe.request.resource();
        Row {
            kind: r.probe.kind,
            target: policy_target(r.probe.kind, resource),
            passed: r.passed(),
            expect: r.probe.expect.to_string(),
            by,
            name: shorten(&r.probe.name),
        }
    }
}

/// `name` with each trail ARN written `account:trail/name` and each IAM principal ARN
/// `account:role/name` (or `account:root`, `account:user/name`).
fn shorten(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            // A word may end in `'s`, `,` or `:` after the ARN.
            let end = word
                .find("'s")
                .or_else(|| word.rfind([',', ';']))
                .filter(|&i| i > 0)
                .unwrap_or(word.len());
            let (arn, rest) = word.split_at(end);
            if let Ok(trail) = arn.parse::<TrailArn>() {
                format!("{}:trail/{}{rest}", trail.account(), trail.name())
            } else if let Ok(p) = arn.parse::<PrincipalArn>() {
                let what = match (p.kind(), p.name()) {
                    (PrincipalKind::Role, Some(n)) => format!("role/{n}"),
                    (PrincipalKind::User, Some(n)) => format!("user/{n}"),
                    _ => "root".to_owned(),
                };
                format!("{}:{what}{rest}", p.account())
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The made-up values that appear in the probes, with what they stand for: the outsider
/// accounts ([`outsiders`] counts them down from 999999998888) found in any request or name,
/// then each [`MADE_UP`] entry whose words appear in `names`.
fn made_up(results: &[ProbeResult], names: &str) -> Vec<(String, &'static str)> {
    let requests: String = results
        .iter()
        .map(|r| serde_json::to_string(r.probe.request()).unwrap_or_default())
        .collect();
    let accounts: Vec<String> = (1u64..=9)
        .map(|n| format!("{:012}", 999_999_999_999 - n * 1_111))
        .filter(|a| requests.contains(a.as_str()) || names.contains(a.as_str()))
        .collect();
    let mut out = Vec::new();
    if !accounts.is_empty() {
        out.push((accounts.join(", "), "accounts the spec names nowhere"));
    }
    for (words, meaning) in MADE_UP {
        let present: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| {
                // A whole word: `any-trail` is not in `probe-any-trail`.
                names.match_indices(w).any(|(i, _)| {
                    names
                        .get(..i)
                        .and_then(|before| before.chars().last())
                        .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-'))
                })
            })
            .collect();
        if !present.is_empty() {
            out.push((present.join(", "), meaning));
        }
    }
    out
}

/// `term` and `meaning` as one legend line (or more, wrapped at 120 characters).
fn legend_line(s: &mut String, term: &str, meaning: &str) {
    wrap(s, &format!("  {term:<12} "), meaning);
}

/// `head` then `text`, wrapped at 120 characters with continuation lines indented to `text`.
fn wrap(s: &mut String, head: &str, text: &str) {
    const WIDTH: usize = 120;
    let indent = head.chars().count();
    let mut line = head.to_owned();
    let mut used = indent;
    let mut first = true;
    for word in text.split(' ') {
        let len = word.chars().count();
        if !first && used + 1 + len > WIDTH {
            let _ = writeln!(s, "{}", line.trim_end());
            line = " ".repeat(indent);
            used = indent;
            first = true;
        }
        if !first {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += len;
        first = false;
    }
    let _ = writeln!(s, "{}", line.trim_end());
}

impl Serialize for ProbeResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The request's own members (principal, action, resource, context) are flattened in.
        let request =
            serde_json::to_value(&self.probe.request).map_err(serde::ser::Error::custom)?;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.probe.name)?;
        m.serialize_entry("policy", &self.probe.kind)?;
        if let serde_json::Value::Object(members) = request {
            for (k, v) in members {
                m.serialize_entry(&k, &v)?;
            }
        }
        m.serialize_entry("expect", &self.probe.expect)?;
        match &self.outcome {
            Ok(decision) => {
                m.serialize_entry("verdict", &decision.verdict())?;
                let deciding: Vec<String> = decision
                    .deciding()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                m.serialize_entry("deciding", &deciding)?;
            }
            Err(unsupported) => {
                m.serialize_entry("verdict", &None::<Verdict>)?;
                m.serialize_entry("unsupported", &unsupported.to_string())?;
            }
        }
        m.end()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("probes", &self.results)?;
        m.end()
    }
}

/// A region of `partition` to write log paths and probe trails in (from the Region lists of the
/// AWS SDK partitions data,
/// <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>).
pub fn sample_region(partition: Partition) -> Option<Region> {
    let code = match partition {
        Partition::AwsCn => "cn-north-1",
        Partition::AwsUsGov => "us-gov-west-1",
        Partition::AwsIso => "us-iso-east-1",
        Partition::AwsIsoB => "us-isob-east-1",
        Partition::AwsIsoE => "eu-isoe-west-1",
        Partition::AwsIsoF => "us-isof-south-1",
        Partition::AwsEusc => "eusc-de-east-1",
        _ => "us-west-2",
    };
    // Every code above is in the SDK partitions data's Region list for its partition (tested
    // below).
    code.parse().ok()
}

/// Accounts that appear nowhere in the intent, for adversarial probes.
pub(crate) fn outsiders(intent: &Intent, count: usize) -> Vec<AccountId> {
    let mut taken: BTreeSet<String> = intent
        .delivering_accounts()
        .into_iter()
        .map(String::from)
        .collect();
    taken.extend(intent.bucket_owner().map(ToString::to_string));
    taken.extend(intent.readers().iter().map(|r| r.account().to_string()));
    taken.extend(intent.key().map(|k| k.account().to_string()));
    if let Some(org) = intent.organization() {
        taken.insert(org.management_account().to_string());
    }
    // Named principals of any kind are not outsiders either.
    let protections = intent.protections();
    let named = intent
        .key_admins()
        .iter()
        .chain(protections.delete_exempt())
        .chain(protections.policy_admins().into_iter().flatten());
    taken.extend(named.map(|p| p.account().to_string()));
    (1u64..)
        .map(|n| format!("{:012}", 999_999_999_999 - n * 1_111))
        .filter(|s| !taken.contains(s))
        .filter_map(|s| s.parse().ok())
        .take(count)
        .collect()
}

/// `request` with the context keys AWS puts in every request of its kind, where the probe has
/// not set them: known values where the caller decides them, [`Request::with_unknown_context`]
/// where AWS fills in a value the probe cannot know. Without them a key the probe leaves out
/// reads as absent, and a condition on it (`NotIpAddress` on `aws:SourceIp`, a date on
/// `aws:CurrentTime`) would be decided by a request AWS never sends.
///
/// From the availability notes of
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>:
/// `aws:CurrentTime`, `aws:EpochTime`, `aws:RequestedRegion`, `aws:UserAgent`,
/// `aws:ViaAWSService` are "always included"; `aws:SourceIp` is included "except when the
/// requester uses a VPC endpoint"; `aws:PrincipalType` and `aws:userid` for "all requests,
/// including anonymous requests", which carry `Anonymous` and `anonymous`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>);
/// `aws:PrincipalAccount` for all requests, `anonymous` for anonymous ones;
/// `aws:PrincipalIsAWSService` for "all signed API requests", true exactly when a service
/// principal calls directly; `aws:PrincipalServiceName` only then, holding its name.
pub(crate) fn with_ambient_context(request: Request) -> Request {
    let mut r = request;
    let unknown = [
        "aws:CurrentTime",
        "aws:EpochTime",
        "aws:RequestedRegion",
        "aws:UserAgent",
        "aws:ViaAWSService",
        "aws:SourceIp",
    ];
    for key in unknown {
        if r.context(key).is_none() {
            r = r.with_unknown_context(key);
        }
    }
    let set = |r: Request, key: &str, value: Option<String>| {
        if r.context(key).is_some() {
            return r;
        }
        match value {
            Some(v) => r.with_context(key, v),
            None => r.with_unknown_context(key),
        }
    };
    match r.caller().clone() {
        Caller::Anonymous => {
            r = set(r, "aws:PrincipalType", Some("Anonymous".into()));
            r = set(r, "aws:userid", Some("anonymous".into()));
            r = set(r, "aws:PrincipalAccount", Some("anonymous".into()));
        }
        Caller::Service(name) => {
            r = set(r, "aws:PrincipalIsAWSService", Some("true".into()));
            r = set(r, "aws:PrincipalServiceName", Some(name));
            r = set(r, "aws:PrincipalType", None);
            r = set(r, "aws:userid", None);
            r = set(r, "aws:PrincipalAccount", None);
        }
        Caller::Aws(arn) => {
            r = set(r, "aws:PrincipalIsAWSService", Some("false".into()));
            r = set(r, "aws:PrincipalType", None);
            r = set(r, "aws:userid", None);
            let account = crate::id::arn::account_field(&arn).map(str::to_owned);
            r = set(r, "aws:PrincipalAccount", account);
        }
    }
    r
}

/// What CloudTrail sends with its requests for a trail: the trail's ARN (`aws:SourceArn`), its
/// account (`aws:SourceAccount`) and, for an account of the intent's organization, the
/// organization's id (`aws:SourceOrgID`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid>).
///
/// An account is taken for one of the organization's when the intent names an organization and
/// the account delivers logs (the management account, an account with a named trail, one of the
/// intent's accounts): the landing zone the crate plans for.
pub(crate) struct TrailSources<'a> {
    organization: Option<&'a OrganizationId>,
    members: BTreeSet<AccountId>,
}

impl<'a> TrailSources<'a> {
    pub(crate) fn new(intent: &'a Intent) -> Self {
        let organization = intent.organization().map(|o| o.id());
        let members = if organization.is_some() {
            intent.delivering_accounts()
        } else {
            BTreeSet::new()
        };
        TrailSources {
            organization,
            members,
        }
    }

    /// The organization whose member `account` is taken to be, if any.
    pub(crate) fn organization_of(&self, account: &AccountId) -> Option<&'a OrganizationId> {
        self.organization.filter(|_| self.members.contains(account))
    }

    /// `request` as CloudTrail sends it for `trail`: a trail ARN, or a pattern whose account
    /// field is an account id.
    pub(crate) fn for_trail(&self, request: Request, trail: &str) -> Request {
        let account = arn::account_field(trail).unwrap_or_default();
        let org = account
            .parse::<AccountId>()
            .ok()
            .and_then(|a| self.organization_of(&a));
        let request = request
            .with_context("aws:SourceArn", trail)
            .with_context("aws:SourceAccount", account);
        match org {
            Some(o) => request.with_context("aws:SourceOrgID", o.as_str()),
            None => request,
        }
    }
}

/// Organization ids to try for members: the intent's, and every literal one the policy names
/// in `aws:PrincipalOrgID` or `aws:PrincipalOrgPaths`.
pub(crate) fn organizations(policy: &PolicyDocument, intent: &Intent) -> Vec<String> {
    let mut out: BTreeSet<String> = intent
        .organization()
        .map(|o| o.id().to_string())
        .into_iter()
        .collect();
    for statement in policy.statements() {
        for keys in statement.condition().values() {
            for (key, values) in keys {
                let org_key = key.eq_ignore_ascii_case("aws:PrincipalOrgID")
                    || key.eq_ignore_ascii_case("aws:PrincipalOrgPaths");
                if !org_key {
                    continue;
                }
                for value in values {
                    let id = value.split('/').next().unwrap_or_default();
                    if id.starts_with("o-") && !id.contains(['*', '?', '$']) {
                        out.insert(id.to_owned());
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// The statements that decided, in words: "statement `A`" or "statements `A`, `B`".
pub(crate) fn by(decision: &Decision) -> String {
    let ids: Vec<String> = decision
        .deciding()
        .iter()
        .map(|id| format!("`{id}`"))
        .collect();
    match ids.as_slice() {
        [one] => format!("statement {one}"),
        _ => format!("statements {}", ids.join(", ")),
    }
}

pub(crate) fn allow_if(cond: bool) -> Verdict {
    if cond {
        Verdict::Allow
    } else {
        Verdict::ImplicitDeny
    }
}

/// A second region of `partition`, different from [`sample_region`]. Where the AWS SDK
/// partitions data
/// (<https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>)
/// lists only one region (aws-iso-b, aws-iso-e, aws-eusc) the code is a synthetic, well-formed one:
/// probes need a region that differs, not one that exists.
pub(crate) fn other_region(partition: Partition) -> Option<Region> {
    let code = match partition {
        Partition::AwsCn => "cn-northwest-1",
        Partition::AwsUsGov => "us-gov-east-1",
        Partition::AwsIso => "us-iso-west-1",
        Partition::AwsIsoB => "us-isob-west-1",
        Partition::AwsIsoE => "eu-isoe-west-2",
        Partition::AwsIsoF => "us-isof-east-1",
        Partition::AwsEusc => "eusc-de-east-2",
        _ => "eu-west-1",
    };
    code.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The made-up ids of the probes never fail: a name that does not parse becomes a fixed one.
    #[test]
    fn made_up_ids_are_infallible() {
        use crate::id::BucketName;
        assert_eq!(
            BucketName::made_up("probe-other-bucket").as_str(),
            "probe-other-bucket"
        );
        assert_eq!(BucketName::made_up("Not A Bucket").as_str(), "probe-bucket");
        assert_eq!(AccountId::made_up("000000000001").as_str(), "000000000001");
        assert_eq!(AccountId::made_up("1").as_str(), "000000000000");
        let region = Region::new("eu-west-1").unwrap();
        let account = AccountId::made_up("000000000001");
        assert_eq!(
            TrailArn::made_up(&region, &account, "no spaces allowed").to_string(),
            "arn:aws:cloudtrail:eu-west-1:000000000001:trail/probe"
        );
        assert_eq!(
            PrincipalArn::made_up_role(Partition::Aws, &account, "Stranger").to_string(),
            "arn:aws:iam::000000000001:role/Stranger"
        );
    }

    #[test]
    fn sample_regions_belong_to_their_partition() {
        for p in Partition::ALL {
            let (a, b) = (sample_region(p).unwrap(), other_region(p).unwrap());
            assert_eq!(a.partition(), p);
            assert_eq!(b.partition(), p);
            assert_ne!(a, b);
        }
    }
}
