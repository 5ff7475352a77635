//! The rules a key policy is held to by the complete proof (documented on
//! [`KeyPolicy::expectation`](super::KeyPolicy::expectation)).

use crate::artifact::strings;
use crate::document::PolicyDocument;
use crate::document::{Clause, Effect, Principal, Statement};
use crate::intent::{Intent, PolicyKey};
use crate::proof::{
    self, Accept, Completeness, Domain, Expectation, IncompleteReason, KMS_ACTIONS, Resources,
    Scope,
};

use super::statements::{
    CLOUDTRAIL_CONTEXT_KEY, KEY_ADMIN_ACTIONS, KEY_ADMIN_MULTI_REGION_ACTIONS, S3_CONTEXT_KEY,
    trail_patterns,
};

fn rule(principal: Principal, actions: Vec<String>) -> Statement {
    Statement::new(Effect::Allow)
        .with_principal(Clause::Is(principal))
        .with_action(Clause::Is(actions))
        .with_resource(Clause::Is(vec!["*".to_owned()]))
}

/// The rules of `intent` for `key`; `cloudtrail_decrypt` as in [`KeyPolicy`](super::KeyPolicy).
pub(super) fn expectation(
    intent: &Intent,
    key: &PolicyKey,
    cloudtrail_decrypt: bool,
    scope: Scope,
) -> Expectation {
    let p = intent.partition();
    let mut e = Expectation::default();
    let key_account = || {
        rule(
            Principal::aws([key.account().to_string()]),
            vec!["kms:*".into()],
        )
    };
    if scope == Scope::Generated {
        e.push(
            "the key account's principals may use and manage the key, as its iam policies allow",
            Accept::ALLOW,
            key_account(),
        );
    }
    if !intent.key_admins().is_empty() {
        let mut actions = strings(KEY_ADMIN_ACTIONS);
        if key.is_multi_region() {
            actions.extend(strings(KEY_ADMIN_MULTI_REGION_ACTIONS));
        }
        e.push(
            "key administrators administer the key",
            Accept::ALLOW,
            rule(Principal::aws(strings(intent.key_admins())), actions),
        );
    }

    let known = intent.known_trails();
    let known_accounts = trail_patterns(p, known.iter().map(|t| t.account()));
    let unknown_accounts = trail_patterns(p, intent.accounts());
    let cloudtrail = || Principal::service(p.cloudtrail_principal());
    let mut scoped = vec![("kms:GenerateDataKey*", true), ("kms:DescribeKey", false)];
    if cloudtrail_decrypt && intent.scope_bucket_key_decrypt() {
        scoped.push(("kms:Decrypt", false));
    }
    for (action, with_context) in scoped {
        let bindings = [
            (
                "a named trail",
                "StringEquals",
                strings(&known),
                &known_accounts,
            ),
            (
                "any trail of an account whose trails are not known",
                "ArnLike",
                unknown_accounts.clone(),
                &unknown_accounts,
            ),
        ];
        for (whom, operator, sources, contexts) in bindings {
            if sources.is_empty() {
                continue;
            }
            let mut matcher = rule(cloudtrail(), vec![action.into()]).with_condition(
                operator,
                "aws:SourceArn",
                sources,
            );
            if with_context {
                matcher =
                    matcher.with_condition("StringLike", CLOUDTRAIL_CONTEXT_KEY, contexts.clone());
            }
            e.push(
                format!("cloudtrail calls {action} for {whom}"),
                Accept::ALLOW,
                matcher,
            );
        }
    }
    if cloudtrail_decrypt && !intent.scope_bucket_key_decrypt() {
        e.push(
            "cloudtrail decrypts with the key, which an s3 bucket key needs",
            Accept::ALLOW,
            rule(cloudtrail(), vec!["kms:Decrypt".into()]),
        );
    }

    let readers = intent.readers();
    if !readers.is_empty() {
        let reader = || rule(Principal::aws(strings(readers)), vec!["kms:Decrypt".into()]);
        let trails = trail_patterns(p, &intent.delivering_accounts());
        match intent.bucket() {
            None => e.push(
                "readers decrypt the logs of the delivering accounts' trails",
                Accept::ALLOW,
                reader().with_condition("StringLike", CLOUDTRAIL_CONTEXT_KEY, trails),
            ),
            Some(bucket) => {
                let mut objects = vec![format!("{}*", bucket.logs_arn(p, intent.prefix()))];
                if intent.bucket_key() {
                    objects.push(bucket.arn(p));
                }
                e.push(
                    "readers decrypt the log files of the delivering accounts' trails in this bucket",
                    Accept::ALLOW,
                    reader()
                        .with_condition("StringLike", CLOUDTRAIL_CONTEXT_KEY, trails)
                        .with_condition("StringLike", S3_CONTEXT_KEY, objects),
                );
                if intent.bucket_key() {
                    e.push(
                        "readers decrypt this bucket's s3 bucket key",
                        Accept::ALLOW,
                        reader()
                            .with_condition("StringEquals", S3_CONTEXT_KEY, [bucket.arn(p)])
                            .with_condition("Null", CLOUDTRAIL_CONTEXT_KEY, ["true"]),
                    );
                }
            }
        }
    }
    if matches!(scope, Scope::Existing { .. }) {
        // None of the intent's concern in an existing policy, after the rules above: the key
        // account's own principals (an existing policy may name its administrators instead of
        // the account; lint says what that risks); CloudTrail describing the key or decrypting
        // for any trail, which AWS's console policy and decrypt statement grant unconditioned
        // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html);
        // and another service encrypting its own data or describing the key. None reads a log.
        e.push(
            "the key account's own principals are left to its iam",
            Accept::ANY,
            key_account(),
        );
        e.push(
            "cloudtrail describing the key or decrypting with it, as aws's documented statements grant without a condition, reads no log",
            Accept::ANY,
            rule(
                Principal::service(p.cloudtrail_principal()),
                vec!["kms:DescribeKey".into(), "kms:Decrypt".into()],
            ),
        );
        e.push(
            "another service encrypting with the key reads no log",
            Accept::ANY,
            Statement::new(Effect::Allow)
                .with_principal(Clause::Is(Principal::Any))
                .with_action(Clause::Is(strings([
                    "kms:Encrypt",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                ])))
                .with_resource(Clause::Is(vec!["*".to_owned()]))
                .with_condition("Bool", "aws:PrincipalIsAWSService", ["true"])
                .with_condition(
                    "StringNotEquals",
                    "aws:PrincipalServiceName",
                    [p.cloudtrail_principal()],
                ),
        );
    }
    e
}

/// [`KeyPolicy::prove`](super::KeyPolicy::prove), with the rules of `scope`.
pub(super) fn prove(
    policy: &PolicyDocument,
    intent: &Intent,
    cloudtrail_decrypt: bool,
    scope: Scope,
) -> Completeness {
    let Some(key) = intent.key() else {
        return Completeness::incomplete(IncompleteReason::NoKey);
    };
    // A key yet to be created is named by its alias until then, but KMS matches a policy's
    // `Resource` against the key's ARN: a key ARN of the alias's account and Region stands in.
    let resource = match key {
        PolicyKey::Existing(arn) => arn.to_string(),
        PolicyKey::ToCreate(_) => crate::id::arn::format(
            intent.partition(),
            "kms",
            key.region().as_str(),
            key.account().as_str(),
            "key/00000000-0000-0000-0000-000000000000",
        ),
    };
    let domain = Domain {
        partition: intent.partition(),
        actions: &KMS_ACTIONS,
        resources: Resources::Key(resource),
        caller_account_key: true,
        always: &[("aws:SecureTransport", &["true", "false"])],
    };
    proof::prove(
        policy,
        &expectation(intent, key, cloudtrail_decrypt, scope),
        &domain,
    )
}
