//! Tests of the shell's shape: reads never wait behind a write, every write
//! is published, and the modules import each other without a circle (the
//! command line reaching no IPC module), and core starts no program.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;
use tauri::Manager;

use crate::state::AppState;
use crate::test_ui::Ui;

#[test]
fn reads_complete_while_a_long_write_holds_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let ui = Ui::open(dir.path());
    let (held, release) = (mpsc::channel::<()>(), mpsc::channel::<()>());
    let handle = ui.app().handle().clone();
    let writer = std::thread::spawn(move || {
        let state = handle.state::<AppState>();
        state
            .write_now(|store| {
                store.with_tx(|tx| {
                    tx.execute(
                        "INSERT INTO setting (key, value) VALUES ('test.long-write', 'done')",
                        [],
                    )?;
                    let _ = held.0.send(());
                    // Holds the writer, and SQLite's write lock, until told.
                    let _ = release.1.recv_timeout(Duration::from_secs(30));
                    Ok(())
                })
            })
            .unwrap();
    });
    held.1.recv_timeout(Duration::from_secs(10)).unwrap();

    // While the write is open: the plan view, search, the incident list,
    // the plan check and the history all answer, with what was committed.
    ui.ok("get_plan", json!({}));
    let hits = ui.ok("search_plan", json!({ "query": "oracle", "limit": 5 }));
    assert!(!hits.as_array().unwrap().is_empty(), "{hits}");
    ui.ok("list_incidents", json!({}));
    ui.ok("plan_check", json!({}));
    ui.ok("list_revisions", json!({}));
    assert!(
        !writer.is_finished(),
        "the write was still open during the reads"
    );

    release.0.send(()).unwrap();
    writer.join().unwrap();
    let state = ui.app().state::<AppState>();
    let written = state.read_now(|store| store.setting("test.long-write"));
    assert_eq!(written.unwrap().as_deref(), Some("done"));
}

#[test]
fn every_write_publishes_its_topics_once_and_a_read_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ui = Ui::open(dir.path());
    let names = [
        crate::events::PLAN_CHANGED,
        crate::events::INCIDENTS_CHANGED,
        crate::events::DECISIONS_CHANGED,
        crate::events::EXERCISES_CHANGED,
    ];
    let seen: Vec<_> = names.iter().map(|n| ui.events(n)).collect();
    let counts = || -> Vec<usize> { seen.iter().map(|s| s.lock().unwrap().len()).collect() };

    ui.ok("get_plan", json!({}));
    ui.ok("list_incidents", json!({}));
    assert_eq!(counts(), [0, 0, 0, 0], "reads publish nothing");

    let mut plan = ui.ok("get_plan", json!({}));
    plan["meta"]["name"] = json!("Renamed");
    ui.ok(
        "apply_edit",
        json!({ "edit": { "kind": "saveMeta", "meta": plan["meta"] } }),
    );
    assert_eq!(counts(), [1, 0, 0, 0]);

    ui.ok(
        "declare_incident",
        json!({ "declaration": {
            "issue": "oracle-failure", "category": null, "title": null,
            "severity": "S2", "description": "", "exercise": false,
            "lead": null, "scribe": null, "communications": null,
        }}),
    );
    assert_eq!(counts()[..2], [1, 1]);
}

/// The `crate::…` modules each top-level shell module imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // Tests may reach anywhere; they are not part of the shape.
            if !rel.ends_with(".rs") || rel.contains("tests") || rel == "test_ui.rs" {
                continue;
            }
            let module = rel.split(['/', '.']).next().unwrap().to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let used = graph.entry(module.clone()).or_default();
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    used.insert(name);
                }
            }
            // `use crate::{a, b::c};`
            for (at, _) in code.match_indices("crate::{") {
                let list = &code[at + 8..];
                let list = &list[..list.find('}').unwrap_or(0)];
                for item in list.split(',') {
                    let name = item.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() && name != module {
                        used.insert(name.to_owned());
                    }
                }
            }
        }
    }
    graph
}

#[test]
fn the_shell_modules_import_each_other_without_a_circle() {
    let graph = imports();
    // Depth-first search for a back edge.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("import circle: {} → {node}", path[at..].join(" → "));
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
    assert!(graph.len() > 15, "{graph:?}");
}

#[test]
fn the_command_line_imports_no_ipc_module() {
    let ipc = [
        "commands",
        "incidents",
        "decisions",
        "exercises",
        "contacts",
        "plan_folder",
        "state",
        "publish",
        "scheduler",
        "tray",
        "team_link",
        "alert_link",
        "updates",
    ];
    let graph = imports();
    let cli = &graph["cli"];
    let reached: Vec<&String> = cli.iter().filter(|m| ipc.contains(&m.as_str())).collect();
    assert!(reached.is_empty(), "the CLI imports {reached:?}");
}

/// Core is pure: it starts no program, in its code or its unit tests. What
/// another program makes of Muster's files (`ssh-keygen`, Python's
/// icalendar) is checked by the app's integration tests (`interop`).
#[test]
fn core_starts_no_external_program() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core/src");
    let mut stack = vec![root];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("process::Command") || text.contains("Command::new") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    assert!(found.is_empty(), "core starts programs in {found:?}");
}

/// `unsafe` is denied in every crate of the workspace; the one exception is
/// the allocator's trim (`memory::give_back`). A second would have to be
/// reviewed and named here.
#[test]
fn the_one_unsafe_call_is_the_allocators_trim() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack: Vec<_> = ["src-tauri", "tests", "bench", "fuzz"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    // Spelled apart so that this file does not count itself: an unsafe
    // block, function, impl, trait or extern block, and the attributes that
    // let one past the workspace's `deny`.
    let kinds = [" {", " fn", " impl", " trait", " extern"].map(|k| ["unsafe", k].concat());
    let allows = ["allow(", "expect("].map(|a| [a, "unsafe_code)"].concat());
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let blocks: usize = kinds.iter().map(|k| text.matches(k.as_str()).count()).sum();
                let allowed: usize = allows
                    .iter()
                    .map(|a| text.matches(a.as_str()).count())
                    .sum();
                if blocks + allowed > 0 {
                    found.push((
                        path.strip_prefix(root).unwrap().display().to_string(),
                        blocks,
                        allowed,
                    ));
                }
            }
        }
    }
    assert_eq!(
        found,
        vec![("src-tauri/src/memory.rs".to_owned(), 1, 1)],
        "unsafe code outside the allocator's trim"
    );
    // And the workspace denies it everywhere else.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let rust_lints = manifest
        .split("[workspace.lints.rust]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [workspace.lints.rust] table");
    assert!(
        rust_lints
            .lines()
            .any(|l| l.trim() == r#"unsafe_code = "deny""#),
        "the workspace's unsafe_code lint is not deny: {rust_lints}"
    );
}
