//! Reading the collection's outputs and the plan's own files for the audit.

use std::collections::BTreeMap;

use crate::collect::Collection;
use crate::live::{LiveError, OutputRule, Outputs, malformed};
use crate::output::{OutputFile, Style};
use crate::plan::Plan;

/// The live outputs, read by the collection's file names, and the plan's files.
pub(crate) struct Reader<'a> {
    outputs: &'a Outputs,
    collection: Collection,
    planned: BTreeMap<String, String>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(plan: &Plan, outputs: &'a Outputs) -> Self {
        let planned = plan
            .files(Style::Compact)
            .unwrap_or_default()
            .into_iter()
            .map(|f: OutputFile| (f.path().to_owned(), f.contents().to_owned()))
            .collect();
        Reader {
            outputs,
            collection: Collection::from_plan(plan),
            planned,
        }
    }

    pub(crate) fn collection(&self) -> &Collection {
        &self.collection
    }

    /// The live value saved as `file`, read by `parse`; `None` when the command answered that
    /// what it reads does not exist, or when the collection has no such file.
    pub(crate) fn live<T>(
        &self,
        file: &str,
        parse: impl FnOnce(&str) -> Result<T, OutputRule>,
    ) -> Result<Option<T>, LiveError> {
        let Some(command) = self.collection.command(file) else {
            return Ok(None);
        };
        let line = command.command_line();
        match self.outputs.read(file, command.operation(), &line)? {
            None => Ok(None),
            Some(text) => parse(text).map(Some).map_err(malformed(file, &line)),
        }
    }

    /// The plan's file at `path` (`log-archive.bucket-encryption.json`), if the plan writes it.
    pub(crate) fn planned(&self, path: &str) -> Option<&str> {
        self.planned.get(path).map(String::as_str)
    }

    /// The member `member` of the plan's request body at `path`, as JSON text: the part of a
    /// `Put…` request that has the shape of the matching `Get…` output.
    pub(crate) fn planned_member(&self, path: &str, member: &str) -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(self.planned(path)?).ok()?;
        value.get(member).map(ToString::to_string)
    }
}
