//! Every file of a plan, named and rendered: the policies, each trail's request bodies, the
//! bucket's settings, the CloudFormation templates and the findings. A caller writes them as
//! they are; the library decides names and bytes.

use serde::Serialize;

use crate::artifact::PolicyKind;
use crate::bucket_settings::BucketSettings;
use crate::cfn::{log_archive_template, trail_template};
use crate::finding::thousands;
use crate::plan::{Plan, PlannedTrail};
use crate::probe::{Report, policy_target};

/// How JSON files are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Style {
    /// Two-space indent, one member a line.
    #[default]
    Pretty,
    /// Minified.
    Compact,
}

impl Style {
    /// `value` as JSON in this style, with a final newline.
    ///
    /// # Errors
    /// [`OutputError`] when `value` cannot be serialized as JSON (never for the crate's types).
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Result<String, OutputError> {
        let text = match self {
            Style::Pretty => serde_json::to_string_pretty(value),
            Style::Compact => serde_json::to_string(value),
        };
        let mut text = text.map_err(|e| OutputError::Json(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }
}

/// A value could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// JSON serialization failed.
    #[error("cannot serialize the output as json: {0}")]
    Json(String),
}

/// One file: its path relative to the output directory (`/`-separated, possibly in a
/// subdirectory) and its contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutputFile {
    path: String,
    contents: String,
}

impl OutputFile {
    fn json<T: Serialize + ?Sized>(
        path: impl Into<String>,
        value: &T,
        style: Style,
    ) -> Result<OutputFile, OutputError> {
        Ok(OutputFile {
            path: path.into(),
            contents: style.json(value)?,
        })
    }

    /// The relative path, e.g. `cloudformation/log-archive.cfn.json`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The contents (JSON with a final newline).
    pub fn contents(&self) -> &str {
        &self.contents
    }
}

impl Plan {
    /// Every file of the plan, in a fixed order:
    ///
    /// - `log-archive.bucket-policy.json`, and `log-archive.key-policy.json` with a KMS key: for
    ///   `aws s3api put-bucket-policy --policy file://…` and `aws kms put-key-policy`;
    /// - for each trail, `<account>-<trail>.create-trail.json`, `….event-selectors.json` and,
    ///   with Insights, `….insight-selectors.json`: for `aws cloudtrail create-trail
    ///   --cli-input-json file://…` and so on;
    /// - `log-archive.public-access-block.json`, `log-archive.bucket-encryption.json`,
    ///   `log-archive.bucket-versioning.json`, `log-archive.ownership-controls.json`,
    ///   `log-archive.object-lock.json` with Object Lock, `log-archive.lifecycle.json` with a
    ///   lifecycle, and `log-archive.bucket-logging.json` with server access logging: for `aws s3api put-public-access-block
    ///   --cli-input-json file://…` and so on;
    /// - `access-logs.bucket-policy.json` with server access logging: the destination bucket's
    ///   policy for S3's logging service;
    /// - `cloudformation/log-archive.cfn.json`, the log-archive stack, and
    ///   `cloudformation/<account>-<trail>.cfn.json`, one stack per trail;
    /// - `findings.json`: `{"findings": [...]}`.
    ///
    /// # Errors
    /// [`OutputError`] when a value cannot be serialized (never for a plan).
    ///
    /// ```
    /// use cloudtrail_policy::{Plan, Spec, Style};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = Plan::from_spec(&Spec::example()?)?;
    /// let files = plan.files(Style::Pretty)?;
    /// assert_eq!(files[0].path(), "log-archive.bucket-policy.json");
    /// assert!(files.iter().any(|f| f.path() == "cloudformation/111111111111-org-trail.cfn.json"));
    /// # Ok(()) }
    /// ```
    pub fn files(&self, style: Style) -> Result<Vec<OutputFile>, OutputError> {
        let mut files = vec![OutputFile::json(
            "log-archive.bucket-policy.json",
            self.bucket_policy(),
            style,
        )?];
        if let Some(key) = self.key_policy() {
            files.push(OutputFile::json("log-archive.key-policy.json", key, style)?);
        }
        for trail in self.trails() {
            files.extend(trail.files(style)?);
        }
        let settings = self.bucket_settings();
        files.push(OutputFile::json(
            "log-archive.public-access-block.json",
            &settings.public_access_block,
            style,
        )?);
        files.push(OutputFile::json(
            "log-archive.bucket-encryption.json",
            &settings.encryption,
            style,
        )?);
        files.push(OutputFile::json(
            "log-archive.bucket-versioning.json",
            &settings.versioning,
            style,
        )?);
        files.push(OutputFile::json(
            "log-archive.ownership-controls.json",
            &settings.ownership,
            style,
        )?);
        if let Some(lock) = &settings.object_lock {
            files.push(OutputFile::json(
                "log-archive.object-lock.json",
                lock,
                style,
            )?);
        }
        if let Some(lifecycle) = &settings.lifecycle {
            files.push(OutputFile::json(
                "log-archive.lifecycle.json",
                lifecycle,
                style,
            )?);
        }
        if let Some(logging) = &settings.logging {
            files.push(OutputFile::json(
                "log-archive.bucket-logging.json",
                logging,
                style,
            )?);
        }
        if let Some(policy) = self.access_logs_policy() {
            files.push(OutputFile::json(
                "access-logs.bucket-policy.json",
                policy,
                style,
            )?);
        }
        let json = |e: serde_json::Error| OutputError::Json(e.to_string());
        files.push(OutputFile::json(
            "cloudformation/log-archive.cfn.json",
            &log_archive_template(self, &settings).map_err(json)?,
            style,
        )?);
        for trail in self.trails() {
            files.push(OutputFile::json(
                format!("cloudformation/{}.cfn.json", trail.file_stem()),
                &trail_template(self, trail).map_err(json)?,
                style,
            )?);
        }
        // Members sorted (`code`, `message`, `severity`), as `check --format json` prints them.
        let findings = serde_json::json!({ "findings": self.findings() });
        files.push(OutputFile::json("findings.json", &findings, style)?);
        Ok(files)
    }

    /// One line that says what was proved: for each policy the probes that got their expected
    /// verdict out of all, its minified size against AWS's limit, and the bucket policy's layout.
    ///
    /// ```
    /// use cloudtrail_policy::{Plan, Spec};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = Plan::from_spec(&Spec::example()?)?;
    /// let summary = plan.summary();
    /// assert!(summary.starts_with("proved: bucket policy "));
    /// assert!(summary.contains(" of 20,480 bytes, strict layout; key policy "));
    /// # Ok(()) }
    /// ```
    pub fn summary(&self) -> String {
        let report = self.verify();
        let bucket = self.bucket_policy();
        let layout = match bucket.fell_back_from_strict() {
            Some(strict) => format!(
                "documented layout (strict would be {} bytes)",
                thousands(strict)
            ),
            None => format!("{:?} layout", bucket.layout()).to_lowercase(),
        };
        let p = self.intent().partition();
        let archive = self.log_archive_bucket().arn(p);
        let proofs = self.proofs();
        let mut line = format!(
            "proved: bucket policy {}, {}, {}, {layout}",
            probes(&report, PolicyKind::Bucket, Some(&archive)),
            complete(Some(proofs.bucket_policy())),
            size(bucket.document().minified_len(), PolicyKind::Bucket)
        );
        if let Some(key) = self.key_policy() {
            line.push_str(&format!(
                "; key policy {}, {}, {}",
                probes(&report, PolicyKind::Key, None),
                complete(proofs.key_policy()),
                size(key.document().minified_len(), PolicyKind::Key)
            ));
        }
        if let (Some(policy), Some(logs)) = (self.access_logs_policy(), self.access_logs()) {
            line.push_str(&format!(
                "; access-log destination policy {}, {}, {}",
                probes(&report, PolicyKind::Bucket, Some(&logs.bucket().arn(p))),
                complete(proofs.access_logs_bucket_policy()),
                size(policy.document().minified_len(), PolicyKind::Bucket)
            ));
        }
        line
    }

    /// The log-archive bucket's settings.
    fn bucket_settings(&self) -> BucketSettings {
        BucketSettings::new(
            self.log_archive_bucket(),
            self.key_source().map(|k| k.key_ref()).as_ref(),
            self.intent().bucket_key(),
            self.object_lock(),
            self.access_logs(),
            self.lifecycle().map(|l| (l, self.intent().prefix())),
        )
    }
}

impl PlannedTrail {
    /// The trail's request bodies as files, named after [`PlannedTrail::file_stem`]:
    /// `<stem>.create-trail.json`, `<stem>.event-selectors.json` and, with Insights,
    /// `<stem>.insight-selectors.json`, for `aws cloudtrail create-trail --cli-input-json
    /// file://…` and so on. [`Plan::files`] has them for every trail.
    ///
    /// # Errors
    /// [`OutputError`] when a value cannot be serialized (never for a trail).
    pub fn files(&self, style: Style) -> Result<Vec<OutputFile>, OutputError> {
        let stem = self.file_stem();
        let config = self.config();
        let mut files = vec![
            OutputFile::json(
                format!("{stem}.create-trail.json"),
                config.create_trail(),
                style,
            )?,
            OutputFile::json(
                format!("{stem}.event-selectors.json"),
                config.event_selectors(),
                style,
            )?,
        ];
        if let Some(insights) = config.insight_selectors() {
            files.push(OutputFile::json(
                format!("{stem}.insight-selectors.json"),
                insights,
                style,
            )?);
        }
        Ok(files)
    }
}

/// `passed of total probes as expected` for the probes sent to `kind` (and, given `target`, to
/// the policy of that bucket).
fn probes(report: &Report, kind: PolicyKind, target: Option<&str>) -> String {
    let of_kind = || {
        report.results().iter().filter(|r| {
            let probe = r.probe();
            probe.kind() == kind
                && target.is_none_or(|t| policy_target(kind, probe.request().resource()) == t)
        })
    };
    let passed = of_kind().filter(|r| r.passed()).count();
    format!("{passed} of {} probes as expected", of_kind().count())
}

/// `complete over N regions`, or what kept the proof from it.
fn complete(proof: Option<&crate::proof::Completeness>) -> String {
    match proof {
        Some(p) if p.is_complete() => format!("complete over {} regions", thousands(p.regions())),
        Some(p) => match p.incomplete_reason() {
            Some(_) => "not proved complete".to_owned(),
            None => format!("{} counterexamples", p.counterexamples().len()),
        },
        None => "not proved".to_owned(),
    }
}

/// `size of limit bytes`, with thousands separators.
fn size(minified: usize, kind: PolicyKind) -> String {
    format!(
        "{} of {} bytes",
        thousands(minified),
        thousands(kind.size_limit())
    )
}
