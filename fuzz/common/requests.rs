//! Requests built from choice bytes: small tables of the callers, actions, resources and context
//! keys the crate's policies are about, plus strings taken from the policy under test (so the
//! fuzzer reaches the matching code paths without guessing ARNs).

use cloudtrail_policy::document::{Clause, Effect, PolicyDocument, Principal, Statement};
use cloudtrail_policy::eval::{Caller, Request};

use super::Choices;

const ACCOUNT_ROOT: &str = "arn:aws:iam::111122223333:root";
const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";

const SERVICES: &[&str] = &[
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "s3.amazonaws.com",
];
const ARNS: &[&str] = &[
    ACCOUNT_ROOT,
    "arn:aws:iam::111122223333:role/Auditor",
    "arn:aws:iam::111122223333:user/Alice",
    "arn:aws:sts::111122223333:assumed-role/Auditor/session",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::444455556666:role/Stranger",
    "arn:aws-cn:iam::111122223333:root",
    "111122223333",
    "not-an-arn",
];
const ACTIONS: &[&str] = &[
    "s3:PutObject",
    "s3:GetBucketAcl",
    "s3:ListBucket",
    "s3:GetObject",
    "s3:DeleteObject",
    "s3:PutBucketPolicy",
    "kms:GenerateDataKey",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::amzn-s3-demo-bucket",
    "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz",
    "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/o-exampleorg1/111122223333/x.json.gz",
    "arn:aws:s3:::amzn-s3-demo-bucket/logs/AWSLogs/111122223333/x",
    "arn:aws:s3:::other-bucket/AWSLogs/111122223333/x",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "*",
    "",
];
const CONTEXT: &[(&str, &[&str])] = &[
    (
        "aws:SourceArn",
        &[TRAIL, "arn:aws:cloudtrail:us-east-1:444455556666:trail/x"],
    ),
    ("aws:SourceAccount", &["111122223333", "444455556666"]),
    ("aws:SecureTransport", &["true", "false"]),
    ("s3:x-amz-acl", &["bucket-owner-full-control", "private"]),
    ("aws:PrincipalOrgID", &["o-exampleorg1", "o-other"]),
    ("aws:PrincipalAccount", &["111122223333", "444455556666"]),
    ("kms:CallerAccount", &["111122223333", "444455556666"]),
    (
        "kms:EncryptionContext:aws:cloudtrail:arn",
        &[TRAIL, "arn:aws:cloudtrail:*:111122223333:trail/*"],
    ),
    (
        "aws:PrincipalArn",
        &[ACCOUNT_ROOT, "arn:aws:iam::111122223333:role/Auditor"],
    ),
    ("kms:ViaService", &["s3.us-east-1.amazonaws.com"]),
];

/// The strings of a policy, by role: what the request can copy to reach its matchers.
#[derive(Default)]
pub struct PolicyStrings {
    actions: Vec<String>,
    resources: Vec<String>,
    principals: Vec<String>,
    keys: Vec<String>,
    values: Vec<String>,
}

impl PolicyStrings {
    /// Collects the strings of `policy`.
    pub fn of(policy: &PolicyDocument) -> Self {
        let mut out = PolicyStrings::default();
        for s in policy.statements() {
            if let Some(a) = s.action() {
                out.actions.extend(a.value().iter().cloned());
            }
            if let Some(r) = s.resource() {
                out.resources.extend(r.value().iter().cloned());
            }
            if let Some(Principal::Typed(map)) = s.principal().map(Clause::value) {
                for values in map.values() {
                    out.principals.extend(values.iter().cloned());
                }
            }
            for keys in s.condition().values() {
                for (key, values) in keys {
                    out.keys.push(key.clone());
                    out.values.extend(values.iter().cloned());
                }
            }
        }
        out
    }
}

/// A string from the table or (when the policy has any) from the policy's own list.
fn string(c: &mut Choices<'_>, table: &[&str], own: &[String]) -> String {
    let b = c.byte();
    if b & 0x80 != 0 && !own.is_empty() {
        own.get(usize::from(b & 0x7F) % own.len())
            .cloned()
            .unwrap_or_default()
    } else {
        table
            .get(usize::from(b) % table.len())
            .map(|s| (*s).to_owned())
            .unwrap_or_default()
    }
}

/// A request chosen by the bytes of `c`, drawing on `own` for policy-specific values.
pub fn request(c: &mut Choices<'_>, own: &PolicyStrings) -> Request {
    let caller = match c.byte() % 4 {
        0 => Caller::Anonymous,
        1 => Caller::Service(string(c, SERVICES, &own.principals)),
        _ => Caller::Aws(string(c, ARNS, &own.principals)),
    };
    let action = string(c, ACTIONS, &own.actions);
    let resource = string(c, RESOURCES, &own.resources);
    let mut request = Request::new(caller, action, resource);
    let entries = c.byte() % 5;
    for _ in 0..entries {
        let b = c.byte();
        let (key, values) = CONTEXT
            .get(usize::from(b) % CONTEXT.len())
            .copied()
            .unwrap_or(("aws:SourceArn", &[TRAIL]));
        let key = if b & 0x80 != 0 && !own.keys.is_empty() {
            string(c, &[key], &own.keys)
        } else {
            key.to_owned()
        };
        let value = string(c, values, &own.values);
        request = if c.byte().is_multiple_of(8) {
            let other = string(c, values, &own.values);
            request.with_context_values(key, [value, other])
        } else {
            request.with_context(key, value)
        };
    }
    request
}

/// A `Deny` statement chosen by the bytes of `c`: principal, action, resource and maybe one
/// condition, from the same tables and policy strings as [`request`].
pub fn deny(c: &mut Choices<'_>, own: &PolicyStrings) -> Statement {
    let mut st = Statement::new(Effect::Deny).with_sid("FuzzDeny");
    st = match c.byte() % 4 {
        0 => st,
        1 => st.with_principal(Clause::Is(Principal::Any)),
        2 => st.with_principal(Clause::Is(Principal::aws([string(
            c,
            ARNS,
            &own.principals,
        )]))),
        _ => st.with_principal(Clause::Is(Principal::service(string(
            c,
            SERVICES,
            &own.principals,
        )))),
    };
    let action = match c.byte() % 3 {
        0 => "*".to_owned(),
        _ => string(c, ACTIONS, &own.actions),
    };
    st = if c.byte().is_multiple_of(5) {
        st.with_action(Clause::Not(vec![action]))
    } else {
        st.with_action(Clause::Is(vec![action]))
    };
    st = match c.byte() % 4 {
        0 => st,
        1 => st.with_resource(Clause::Is(vec!["*".to_owned()])),
        _ => st.with_resource(Clause::Is(vec![string(c, RESOURCES, &own.resources)])),
    };
    if c.byte().is_multiple_of(3) {
        let (key, values) = CONTEXT
            .get(c.index(CONTEXT.len()))
            .copied()
            .unwrap_or(("aws:SourceArn", &[TRAIL]));
        let operator = *c
            .pick(&[
                "StringEquals",
                "StringNotEquals",
                "StringLike",
                "ArnLike",
                "Bool",
                "Null",
            ])
            .unwrap_or(&"StringEquals");
        st = st.with_condition(operator, key, [string(c, values, &own.values)]);
    }
    st
}
