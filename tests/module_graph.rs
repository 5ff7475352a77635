//! The crate's module graph has no cycle: no module imports, directly or through others, a
//! module that imports it back. Data flows one way (ids → policy document → evaluator →
//! artifacts → plan → renderings → command line), and a façade module (`id.rs`, `eval.rs`, …)
//! only re-exports its children, which import each other, never the façade.
//!
//! The check reads `src/` as text, one module per file, from `lib.rs` and `main.rs` down their
//! `mod` declarations. An import is any path that starts with `crate::`, `$crate::`, `super::`,
//! `self::` or a child module's name, in a `use` tree or in code; it points at the deepest
//! module the path names. Comments, string literals and `#[cfg(test)]` items are left out:
//! unit tests import their parent by design.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module: its path from the crate root (`["id", "arn"]`), empty for the root.
type ModPath = Vec<String>;

/// Every module of one crate with its source, and the imports between them.
#[derive(Debug, Default)]
struct Graph {
    /// module → (file name, source without comments, strings and test items)
    modules: BTreeMap<ModPath, (String, String)>,
    /// module → imported module → the first path that imports it
    edges: BTreeMap<ModPath, BTreeMap<ModPath, String>>,
}

/// Reads one crate from its root file, following `mod name;` declarations through `read`.
fn load(root: &str, read: &dyn Fn(&str) -> Option<String>) -> Graph {
    let mut graph = Graph::default();
    let mut todo = vec![(Vec::<String>::new(), root.to_owned())];
    while let Some((path, file)) = todo.pop() {
        let Some(text) = read(&file) else {
            panic!("module file `{file}` not found");
        };
        let code = strip(&text);
        let dir = module_dir(&file);
        for child in child_modules(&code) {
            let flat = format!("{dir}{child}.rs");
            let nested = format!("{dir}{child}/mod.rs");
            let child_file = if read(&flat).is_some() { flat } else { nested };
            let mut child_path = path.clone();
            child_path.push(child);
            todo.push((child_path, child_file));
        }
        graph.modules.insert(path, (file, code));
    }
    let imports: Vec<(ModPath, ModPath, String)> = graph
        .modules
        .iter()
        .flat_map(|(from, (_, code))| {
            let children = child_modules(code);
            paths(code)
                .into_iter()
                .filter_map(|p| {
                    resolve(&graph, from, &children, &p).map(|to| (from.clone(), to, p))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (from, to, path) in imports {
        if from != to {
            graph
                .edges
                .entry(from)
                .or_default()
                .entry(to)
                .or_insert(path);
        }
    }
    graph
}

/// `src/id.rs` and `src/id/mod.rs` keep their children in `src/id/`; `src/lib.rs` in `src/`.
fn module_dir(file: &str) -> String {
    let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
    let stem = name.trim_end_matches(".rs");
    if matches!(stem, "lib" | "main" | "mod") {
        format!("{dir}/")
    } else {
        format!("{dir}/{stem}/")
    }
}

/// The names of `mod name;` declarations (file modules; inline test modules are stripped).
fn child_modules(code: &str) -> Vec<String> {
    let tokens = tokens(code);
    tokens
        .windows(3)
        .filter(|w| w[0] == "mod" && w[2] == ";")
        .map(|w| w[1].clone())
        .collect()
}

/// The module a path points at, if it names one of this crate's modules.
fn resolve(graph: &Graph, from: &ModPath, children: &[String], path: &str) -> Option<ModPath> {
    let mut segments = path.split("::");
    let first = segments.next()?;
    let mut absolute: ModPath = match first {
        "crate" | "$crate" => Vec::new(),
        "self" => from.clone(),
        "super" => from.get(..from.len().checked_sub(1)?)?.to_vec(),
        child if children.iter().any(|c| c == child) => {
            let mut p = from.clone();
            p.push(child.to_owned());
            p
        }
        _ => return None,
    };
    for segment in segments {
        if segment == "super" {
            absolute.pop();
        } else {
            absolute.push(segment.to_owned());
        }
    }
    (0..=absolute.len())
        .rev()
        .map(|n| absolute[..n].to_vec())
        .find(|m| graph.modules.contains_key(m))
}

/// Every path: those of `use` trees, expanded, and those in code of two or more segments, with
/// a name a `use` brought in (`use crate::id; … id::arn::f()`, `use crate as c`) replaced by
/// the path it stands for. A `pub(in crate::x)` visibility is not an import.
fn paths(code: &str) -> Vec<String> {
    let tokens = tokens(code);
    let mut uses = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "use" {
            let end = tokens[i..]
                .iter()
                .position(|t| t == ";")
                .map_or(tokens.len(), |e| i + e);
            expand_use(&tokens[i + 1..end], "", &mut uses);
            i = end;
        }
        i += 1;
    }
    let aliases: BTreeMap<&str, &str> = uses
        .iter()
        .map(|(path, alias)| (alias.as_str(), path.as_str()))
        .collect();
    let mut out: Vec<String> = uses.iter().map(|(path, _)| path.clone()).collect();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "use" {
            i = tokens[i..]
                .iter()
                .position(|t| t == ";")
                .map_or(tokens.len(), |e| i + e);
            continue;
        }
        let mut j = i;
        let mut path = tokens[i].clone();
        while j + 2 < tokens.len() && tokens[j + 1] == "::" && is_ident(&tokens[j + 2]) {
            path.push_str("::");
            path.push_str(&tokens[j + 2]);
            j += 2;
        }
        let continues = i > 0 && tokens[i - 1] == "::";
        let visibility =
            i >= 3 && tokens[i - 1] == "in" && tokens[i - 2] == "(" && tokens[i - 3] == "pub";
        if j > i && !continues && !visibility {
            let (first, rest) = path.split_once("::").unwrap_or((&path, ""));
            match aliases.get(first) {
                Some(full) if !matches!(first, "crate" | "$crate" | "self" | "super") => {
                    out.push(format!("{full}::{rest}"));
                }
                _ => out.push(path.clone()),
            }
        }
        i = j + 1;
    }
    out
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e` (a `self` leaf means the
/// prefix itself), each with the name it brings into scope (its last segment, or its `as`).
fn expand_use(tree: &[String], prefix: &str, out: &mut Vec<(String, String)>) {
    let mut start = 0;
    let mut depth = 0;
    let mut parts = Vec::new();
    for (k, t) in tree.iter().enumerate() {
        match t.as_str() {
            "{" => depth += 1,
            "}" => depth -= 1,
            "," if depth == 0 => {
                parts.push(&tree[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&tree[start..]);
    for part in parts {
        let mut path = prefix.to_owned();
        let mut alias = None;
        let mut k = 0;
        while k < part.len() {
            match part[k].as_str() {
                "::" | "pub" | "(" | ")" => {}
                "as" => {
                    alias = part.get(k + 1).cloned();
                    break;
                }
                "{" => {
                    let inner = &part[k + 1..part.len() - 1];
                    expand_use(inner, &path, out);
                    path.clear();
                    break;
                }
                "self" if !path.is_empty() => {}
                name => {
                    if !path.is_empty() {
                        path.push_str("::");
                    }
                    path.push_str(name);
                }
            }
            k += 1;
        }
        if !path.is_empty() && path != "*" {
            let last = path.rsplit("::").next().unwrap_or(&path).to_owned();
            out.push((path, alias.unwrap_or(last)));
        }
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
}

/// Identifiers (with a leading `$` kept), `::` and single punctuation characters.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// The source without comments, string and char literals (emptied), and `#[cfg(test)]` items.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i..].starts_with(&['/', '*']) {
                    depth += 1;
                    i += 2;
                } else if chars[i..].starts_with(&['*', '/']) {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(rest) {
            // r"…", r#"…"#, br#"…"#: skip to the quote followed by as many `#`.
            i += hashes.1;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes.0))
                .collect();
            while i < chars.len() && !chars[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if chars[i] == '\'' {
            // A char literal ('a', '\n', '\''), or a lifetime ('a) kept as text.
            if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push('\'');
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    drop_test_items(&out)
}

/// `Some((hashes, prefix length))` when `rest` starts a raw string literal.
fn raw_string_start(rest: &[char]) -> Option<(usize, usize)> {
    let after_b = usize::from(rest.first() == Some(&'b'));
    if rest.get(after_b) != Some(&'r') {
        return None;
    }
    let hashes = rest[after_b + 1..]
        .iter()
        .take_while(|c| **c == '#')
        .count();
    (rest.get(after_b + 1 + hashes) == Some(&'"')).then_some((hashes, after_b + 2 + hashes))
}

/// Removes every item behind `#[cfg(test)]`: up to its `;` or its balanced `{…}`.
fn drop_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let mut depth = 0;
        let mut end = item.len();
        for (k, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every cycle's modules, each as one strongly connected component of two or more modules.
fn cycles(graph: &Graph) -> Vec<Vec<ModPath>> {
    // Kosaraju: finish order on the graph, then components on the reversed graph.
    let nodes: Vec<&ModPath> = graph.modules.keys().collect();
    let empty = BTreeMap::new();
    let next = |m: &ModPath| {
        graph
            .edges
            .get(m)
            .unwrap_or(&empty)
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    for start in &nodes {
        if !seen.insert((*start).clone()) {
            continue;
        }
        let mut stack = vec![((*start).clone(), next(start), 0)];
        while let Some((node, succ, k)) = stack.last_mut() {
            if let Some(s) = succ.get(*k).cloned() {
                *k += 1;
                if seen.insert(s.clone()) {
                    let succ = next(&s);
                    stack.push((s, succ, 0));
                }
            } else {
                order.push(node.clone());
                stack.pop();
            }
        }
    }
    let mut reverse: BTreeMap<ModPath, Vec<ModPath>> = BTreeMap::new();
    for (from, tos) in &graph.edges {
        for to in tos.keys() {
            reverse.entry(to.clone()).or_default().push(from.clone());
        }
    }
    let mut assigned = BTreeSet::new();
    let mut components = Vec::new();
    for start in order.into_iter().rev() {
        if !assigned.insert(start.clone()) {
            continue;
        }
        let mut component = vec![start.clone()];
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for prev in reverse.get(&node).into_iter().flatten() {
                if assigned.insert(prev.clone()) {
                    component.push(prev.clone());
                    stack.push(prev.clone());
                }
            }
        }
        if component.len() > 1 {
            component.sort();
            components.push(component);
        }
    }
    components
}

fn name(m: &ModPath) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// One line per import inside each cycle, naming the file and the path that imports.
fn report(graph: &Graph, components: &[Vec<ModPath>]) -> String {
    let mut text = String::new();
    for component in components {
        text.push_str(&format!(
            "cycle among {}:\n",
            component.iter().map(name).collect::<Vec<_>>().join(", ")
        ));
        for from in component {
            for (to, path) in graph.edges.get(from).into_iter().flatten() {
                if component.contains(to) {
                    let file = &graph.modules[from].0;
                    text.push_str(&format!(
                        "  {} → {} (`{path}` in {file})\n",
                        name(from),
                        name(to)
                    ));
                }
            }
        }
    }
    text
}

fn read_src(root: &Path) -> impl Fn(&str) -> Option<String> + '_ {
    move |file| std::fs::read_to_string(root.join(file)).ok()
}

#[test]
fn the_library_and_the_binary_have_no_import_cycle() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for crate_root in ["src/lib.rs", "src/bin/cloudtrail-policy/main.rs"] {
        let graph = load(crate_root, &read_src(&root));
        assert!(graph.modules.len() > 1);
        let found = cycles(&graph);
        assert!(
            found.is_empty(),
            "{crate_root}:\n{}",
            report(&graph, &found)
        );
    }
}

/// The checker itself: a tree with a cycle through a façade, and a clean one.
#[test]
fn the_checker_finds_a_cycle_through_a_facade_and_nothing_else() {
    let files = |with_cycle: bool| {
        let mut map = BTreeMap::new();
        map.insert(
            "src/lib.rs",
            "mod id; mod plan; pub use id::Account;".to_owned(),
        );
        map.insert(
            "src/id.rs",
            "mod account; mod text; pub use account::Account;".to_owned(),
        );
        let (account, text) = if with_cycle {
            (
                "use crate::id::text::helper;\nuse super::Thing;",
                "pub(crate) fn helper() { $crate::id::account::f(); }",
            )
        } else {
            (
                "use super::text::{self, helper}; // `use super::Account` in a comment\nconst S: &str = \"crate::plan::X\";",
                "pub(crate) fn helper() {}",
            )
        };
        map.insert("src/id/account.rs", account.to_owned());
        map.insert("src/id/text.rs", text.to_owned());
        map.insert(
            "src/plan.rs",
            "use crate::id::{Account, text::helper};\n#[cfg(test)]\nmod tests { use super::*; use crate::plan::x; }".to_owned(),
        );
        map
    };
    let module = |s: &str| -> ModPath {
        s.split("::")
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    };

    let cyclic = files(true);
    let graph = load("src/lib.rs", &|f: &str| cyclic.get(f).cloned());
    let found = cycles(&graph);
    let names: Vec<Vec<String>> = found.iter().map(|c| c.iter().map(name).collect()).collect();
    assert_eq!(
        names,
        [["id", "id::account", "id::text"]],
        "{}",
        report(&graph, &found)
    );

    let clean = files(false);
    let graph = load("src/lib.rs", &|f: &str| clean.get(f).cloned());
    let found = cycles(&graph);
    assert!(found.is_empty(), "{}", report(&graph, &found));
    let edges = |from: &str| -> Vec<String> {
        graph
            .edges
            .get(&module(from))
            .into_iter()
            .flatten()
            .map(|(to, _)| name(to))
            .collect()
    };
    // The façade's re-export is an import; a path in a comment or a string is not, and a test
    // module's imports are left out.
    assert_eq!(edges(""), ["id"]);
    assert_eq!(edges("id"), ["id::account"]);
    assert_eq!(edges("id::account"), ["id::text"]);
    assert!(edges("id::text").is_empty());
    assert_eq!(edges("plan"), ["id", "id::text"]);

    // A module brought in by name and used through it, a crate alias, and a visibility path.
    let mut aliased = clean.clone();
    aliased.insert(
        "src/plan.rs",
        "use crate::id; use crate as c; pub(in crate::id) fn f() { id::text::helper(); c::id::account::g(); }".to_owned(),
    );
    let graph = load("src/lib.rs", &|f: &str| aliased.get(f).cloned());
    let edges = |from: &str| -> Vec<String> {
        graph
            .edges
            .get(&module(from))
            .into_iter()
            .flatten()
            .map(|(to, _)| name(to))
            .collect()
    };
    assert_eq!(edges("plan"), ["crate", "id", "id::account", "id::text"]);
}
