//! Every `console` block of README.md runs against the real binary, so that the README cannot
//! drift from the tool.
//!
//! A block is a transcript: each line starting with `$ ` is a command (a line ending in `\`
//! continues on the next), run with `sh -c` in one scratch directory shared by all blocks, in
//! order, with `cloudtrail-policy` on the `PATH`; the lines up to the next command are its
//! expected output, stdout and stderr merged as a terminal shows them. A line `...` in the
//! expected output stands for any number of lines. A command exits 0 unless its text says
//! `# exit N`.
//!
//! Also: every `file://deploy/…` path of the deploy blocks names a file `plan --out deploy`
//! writes, for the example spec, the Object Lock fixture or the access-logs and lifecycle
//! fixture.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../README.md");
const BIN: &str = env!("CARGO_BIN_EXE_cloudtrail-policy");

/// One command of a transcript and what it must print.
#[derive(Debug)]
struct Step {
    command: String,
    expected: Vec<String>,
    exit: i32,
}

/// The `console` blocks of `markdown`, each as its steps.
fn transcripts(markdown: &str) -> Vec<Vec<Step>> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let mut steps: Vec<Step> = Vec::new();
        let mut continued = false;
        for line in lines.by_ref() {
            if line.trim() == "```" {
                break;
            }
            if continued {
                let step = steps.last_mut().unwrap();
                step.command.push('\n');
                step.command.push_str(line);
                continued = line.ends_with('\\');
            } else if let Some(command) = line.strip_prefix("$ ") {
                steps.push(Step {
                    command: command.to_owned(),
                    expected: Vec::new(),
                    exit: 0,
                });
                continued = command.ends_with('\\');
            } else {
                let step = steps
                    .last_mut()
                    .unwrap_or_else(|| panic!("output before any command: {line}"));
                step.expected.push(line.to_owned());
            }
        }
        for step in &mut steps {
            if let Some((_, rest)) = step.command.split_once("# exit ") {
                step.exit = rest[..1].parse().unwrap();
            }
        }
        blocks.push(steps);
    }
    blocks
}

/// Whether `actual` matches `expected`, where a `...` line stands for any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line == first && matches(rest, more)),
    }
}

#[test]
fn the_matcher_elides_with_dots() {
    let e = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(matches(&e(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&e(&["a", "..."]), &["a"]));
    assert!(!matches(&e(&["a", "...", "d"]), &["a", "b", "c"]));
    assert!(!matches(&e(&["a"]), &["a", "b"]));
}

#[test]
fn every_console_example_of_the_readme_runs_as_shown() {
    let blocks = transcripts(README);
    assert!(blocks.len() >= 2, "the README's console blocks");
    let dir = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for steps in blocks {
        for step in steps {
            let output = Command::new("sh")
                .arg("-c")
                .arg(format!("{{ {}\n}} 2>&1", step.command))
                .current_dir(dir.path())
                .env("PATH", &path)
                .output()
                .unwrap();
            let text = String::from_utf8(output.stdout).unwrap();
            let actual: Vec<&str> = text.lines().collect();
            assert!(
                matches(&step.expected, &actual),
                "`$ {}` printed:\n{text}\nthe README shows:\n{}",
                step.command,
                step.expected.join("\n")
            );
            assert_eq!(
                output.status.code(),
                Some(step.exit),
                "`$ {}` exit code",
                step.command
            );
            ran += 1;
        }
    }
    assert!(ran >= 12, "{ran} commands");
}

#[test]
fn every_file_the_deploy_blocks_name_is_one_plan_writes() {
    use cloudtrail_policy::{Plan, Spec, Style};
    let fixture = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/specs/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let mut written = Vec::new();
    for text in [
        Spec::EXAMPLE.to_owned(),
        fixture("created-key-object-lock.json"),
        fixture("access-logs-lifecycle.json"),
    ] {
        let plan = Plan::from_spec(&Spec::from_json(&text).unwrap()).unwrap();
        written.extend(
            plan.files(Style::Pretty)
                .unwrap()
                .iter()
                .map(|f| f.path().to_owned()),
        );
    }
    let mut named = 0;
    for (_, rest) in README
        .match_indices("file://")
        .map(|(i, _)| README.split_at(i))
    {
        let path: String = rest["file://".len()..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '`')
            .collect();
        let Some(file) = path.strip_prefix("deploy/") else {
            panic!("`file://{path}`: the deploy blocks read the files of `plan --out deploy/`");
        };
        assert!(
            written.iter().any(|w| w == file),
            "`file://{path}` is not a file plan writes"
        );
        named += 1;
    }
    assert!(named >= 10, "{named} file:// paths");
}
