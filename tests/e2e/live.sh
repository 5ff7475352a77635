#!/bin/sh
# End to end against the real AWS CLI and moto's server (an AWS emulator): deploy the example
# plan with the README's AWS CLI commands, save the live state with the script `collect`
# prints, audit it (no findings), change the live state four ways and audit again (each change
# reported), then import the saved state into a spec that plans.
#
# Run by .ci/run, which installs the pinned AWS CLI and moto into target/aws-venv and starts
# moto: AWS_ENDPOINT_URL must name it and `aws` must be on the PATH. BIN is the
# cloudtrail-policy binary. With FIXTURES=DIR, the saved outputs are copied into DIR (that is
# how tests/fixtures/live/ is made).
#
# Where moto differs from AWS, the step says so and the script checks what it can.
set -eu
: "${AWS_ENDPOINT_URL:?the moto server's address}"
: "${BIN:?the cloudtrail-policy binary}"
README=${README:-$(cd "$(dirname "$0")/../.." && pwd)/README.md}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
fail() { echo "e2e: $*" >&2; exit 1; }

# One profile per account of the example spec. moto acts as the account of the role a request's
# credentials come from, so assuming a role in 999999999999 and in 111111111111 gives each
# block of the README its own account, as in AWS.
profile() { # account, profile name
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    aws sts assume-role --role-arn "arn:aws:iam::$1:role/e2e" --role-session-name e2e \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text |
    while read -r id secret token; do
      printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n' \
        "$2" "$id" "$secret" "$token" >>"$AWS_SHARED_CREDENTIALS_FILE"
    done
}
profile 999999999999 log-archive
profile 111111111111 management
[ "$(aws --profile log-archive sts get-caller-identity --query Account --output text)" = 999999999999 ] ||
  fail "moto did not act as the log-archive account"

# What the README's deploy section takes as given: the bucket, the key and the organization.
aws --profile log-archive s3api create-bucket --bucket acme-cloudtrail-logs >/dev/null
key=$(aws --profile log-archive kms create-key --query KeyMetadata.Arn --output text)
aws --profile management organizations create-organization --feature-set ALL >/dev/null
org=$(aws --profile management organizations describe-organization --query Organization.Id --output text)

# The example spec with the ids moto chose (it cannot be told a key id or an organization id).
example_key=arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab
"$BIN" example | sed "s#$example_key#$key#; s#o-a1b2c3d4e5#$org#" >spec.json
"$BIN" plan spec.json --out deploy 2>/dev/null

# The README's AWS CLI commands, as written there: the `sh` blocks of "Deploying with the AWS
# CLI" and of the bucket settings without CloudFormation, in the order the README gives
# (settings, policies, key rotation, trail). Only the example key ARN is replaced by moto's.
# S3 and KMS commands run as the log-archive account, CloudTrail commands as the management
# account, as the README's comments say.
awk '/^```sh$/ {on=1; next} /^```$/ {on=0} on' "$README" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
  grep -E '^aws (s3api put-(public-access-block|bucket-encryption|bucket-versioning|bucket-ownership-controls|bucket-policy --bucket acme-cloudtrail-logs)|kms |cloudtrail )' |
  grep -v 'put-bucket-versioning.*MFADelete' >readme-commands
grep -q 'put-public-access-block' readme-commands || fail "the README's bucket-settings commands are gone"
grep -q 'cloudtrail start-logging' readme-commands || fail "the README's start-logging is gone"
{ grep 's3api' readme-commands; grep ' kms ' readme-commands; grep ' cloudtrail ' readme-commands; } |
while IFS= read -r line; do
  line=$(printf '%s\n' "$line" | sed "s#$example_key#$key#g")
  case $line in
    *file://deploy/*) f=${line##*file://}; f=${f%% *}; [ -f "$f" ] || continue ;; # a file this plan does not write
  esac
  case $line in
    'aws cloudtrail start-logging'*)
      # moto gap: StartLogging by ARN fails inside moto (a KeyError, HTTP 500); AWS takes
      # "the name or the CloudTrail ARN". The trail is started by its name here.
      line='aws cloudtrail start-logging --region us-east-1 --name org-trail' ;;
  esac
  case $line in
    'aws cloudtrail'*) who=management ;;
    *) who=log-archive ;;
  esac
  echo "+ $line" >&2
  eval "aws --profile $who ${line#aws }" >/dev/null
done

# Save the live state with the collect script, one profile per account.
"$BIN" collect spec.json >collect.sh
export CLOUDTRAIL_POLICY_PROFILE_999999999999=log-archive CLOUDTRAIL_POLICY_PROFILE_111111111111=management
sh collect.sh live 2>/dev/null
"$BIN" audit spec.json live >audit.txt || { cat audit.txt; fail "the deployed plan does not audit clean"; }
head -1 audit.txt | grep -qx 'no findings' || { cat audit.txt; fail "findings on the deployed plan"; }
"$BIN" audit spec.json live --format json | grep -q '"findings": \[\]' || fail "json findings not empty"

# Change the live state through the AWS CLI.
python3 - <<'PY'
import json
p = json.load(open("deploy/log-archive.bucket-policy.json"))
p["Statement"] = [s for s in p["Statement"] if s.get("Sid") != "CloudTrailPolicyDenyInsecureTransport"]
json.dump(p, open("without-tls-deny.json", "w"))
PY
trail=arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail
aws --profile log-archive s3api put-bucket-policy --bucket acme-cloudtrail-logs --policy file://without-tls-deny.json
# moto gap: StopLogging by ARN fails as StartLogging does; by name here.
aws --profile management cloudtrail stop-logging --name org-trail
aws --profile log-archive s3api put-bucket-versioning --bucket acme-cloudtrail-logs \
  --versioning-configuration Status=Suspended
aws --profile management cloudtrail put-event-selectors --trail-name "$trail" \
  --event-selectors '[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]' >/dev/null
sh collect.sh changed 2>/dev/null
status=0
"$BIN" audit spec.json changed >audit.txt || status=$?
[ "$status" = 1 ] || { cat audit.txt; fail "audit of the changed state exited $status, not 1"; }
for expected in \
  'error\[live-statement-missing\]: .*`CloudTrailPolicyDenyInsecureTransport`' \
  'warning\[missing-tls-deny\]' \
  "error\\[live-trail-not-logging\\]: trail \`$trail\`" \
  'error\[live-versioning-not-enabled\]: .* suspended' \
  'error\[live-event-selectors\]: .* selects WriteOnly management events'; do
  grep -q "$expected" audit.txt || { cat audit.txt; fail "not reported: $expected"; }
done

# A spec from the saved state, which plans.
"$BIN" import changed >imported.json
"$BIN" plan imported.json >/dev/null 2>plan.err || { cat plan.err; fail "the imported spec does not plan"; }
grep -q "\"id\": \"$org\"" imported.json || fail "the imported spec lacks the organization"

# A missing output: exit 2, naming the file and its command.
cp -R changed missing
rm missing/log-archive.get-bucket-versioning.json
status=0
"$BIN" audit spec.json missing >/dev/null 2>audit.err || status=$?
[ "$status" = 2 ] && grep -q 'get-bucket-versioning.json` is missing: it is saved by `aws s3api get-bucket-versioning' audit.err ||
  { cat audit.err; fail "a missing output is not exit 2 with its file and command"; }

if [ -n "${FIXTURES:-}" ]; then
  mkdir -p "$FIXTURES/deployed" "$FIXTURES/changed"
  cp live/* "$FIXTURES/deployed/"
  cp changed/* "$FIXTURES/changed/"
  cp spec.json "$FIXTURES/spec.json"
fi
echo "e2e: ok (the deployed plan audits clean, the four changes are reported, the import plans, a missing output is refused)"
