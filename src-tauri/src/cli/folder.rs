//! `muster plan export|import|check|diff`: the plan as a folder of TOML files
//! (plan as code). Each command calls one `muster_core::folder` function and
//! prints its result; located problems are printed as `path:line:column:
//! message`, with the path inside the folder as the user named it.
//!
//! Exit codes: export and import exit 0 on success and 1 on any error (an
//! import with problems changes nothing). `check` exits 0 when the folder has
//! no problems (warnings are printed but allowed), 1 when it has problems, 2
//! when the folder cannot be read. `diff` exits 0 when the folder equals the
//! stored plan, 1 when they differ, 2 on errors — like `diff`.

use std::path::Path;

use muster_core::clock::{Clock, SystemClock};
use muster_core::folder::{self, Level};
use muster_core::ops::{count, folder as folder_ops};
use muster_core::plan::{Plan, Section};
use muster_core::store::{history::readable_diff, DiffEntry, DiffKind};

use super::{open, print, publish, rejected, PlanCommand};

pub fn export(data_dir: &Path, dir: &Path) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let plan = store.current().map_err(|e| e.to_string())?;
    let done = folder_ops::export(&plan, dir).map_err(|e| e.to_string())?;
    print(&format!("{done}\n"))?;
    Ok(0)
}

/// `plan generate`: writes a generated plan of the size asked as a plan folder.
pub fn generate(command: PlanCommand) -> Result<u8, String> {
    let PlanCommand::Generate {
        dir,
        issues,
        procedures,
        steps,
        contacts,
        seed,
    } = command
    else {
        return Err("not a `plan generate` command".to_owned());
    };
    let size = muster_core::generate::Size {
        issues,
        procedures,
        steps_per_procedure: steps,
        contacts,
    };
    let plan = muster_core::generate::plan(size, seed);
    let done = folder_ops::export(&plan, &dir).map_err(|e| e.to_string())?;
    print(&format!("{done}\n"))?;
    Ok(0)
}

pub fn import(data_dir: &Path, dir: &Path, dry_run: bool) -> Result<u8, String> {
    let mut store = open(data_dir)?;
    let imported = folder_ops::import(&mut store, dir, dry_run, &SystemClock).map_err(rejected)?;
    print(&lines(&imported.changes))?;
    if dry_run {
        print("Dry run: nothing was changed\n")?;
        return Ok(0);
    }
    publish(data_dir, &store);
    if let Some(revision) = imported.revision {
        print(&format!("Imported as revision {}\n", revision.id))?;
    }
    Ok(0)
}

pub fn check(dir: &Path) -> u8 {
    let diagnostics = match folder::check(dir, SystemClock.now()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("muster: {e}");
            return 2;
        }
    };
    let text: String = diagnostics
        .iter()
        .map(|d| format!("{}\n", d.in_folder(dir)))
        .collect();
    if let Err(e) = print(&text) {
        eprintln!("muster: {e}");
        return 2;
    }
    let problems = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let warnings = diagnostics.len() - problems;
    eprintln!(
        "{}: {}, {}",
        dir.display(),
        count(problems, "problem"),
        count(warnings, "warning")
    );
    u8::from(problems > 0)
}

pub fn diff(data_dir: &Path, dir: &Path) -> u8 {
    let compared = folder_ops::read(dir, "fix them to compare it with the stored plan")
        .map_err(rejected)
        .and_then(|plan| {
            let mut store = open(data_dir)?;
            let current = store.current().map_err(|e| e.to_string())?;
            let text = changes(&current, &plan);
            print(&text)?;
            Ok(text != NO_CHANGES)
        });
    match compared {
        Ok(differ) => u8::from(differ),
        Err(message) => {
            eprintln!("muster: {message}");
            2
        }
    }
}

const NO_CHANGES: &str = "No changes\n";

/// What turns `old` into `new`, one line per changed field: `+` added, `-`
/// removed, `~` changed or moved.
fn changes(old: &Plan, new: &Plan) -> String {
    lines(&readable_diff(old, new))
}

/// One line per changed field of `entries` (see [`changes`]).
fn lines(entries: &[DiffEntry]) -> String {
    if entries.is_empty() {
        return NO_CHANGES.to_owned();
    }
    let mut out = String::new();
    for e in entries {
        let what = describe(e);
        match e.kind {
            DiffKind::Added => out.push_str(&format!("+ {what}\n")),
            DiffKind::Removed => out.push_str(&format!("- {what}\n")),
            DiffKind::Moved => {
                for f in &e.fields {
                    let section = e.section.as_str();
                    out.push_str(&format!(
                        "~ order of {section}: {} → {}\n",
                        f.before, f.after
                    ));
                }
            }
            DiffKind::Changed => {
                for f in &e.fields {
                    out.push_str(&format!(
                        "~ {what} {}: {} → {}\n",
                        kebab(&f.field),
                        shown(&f.before),
                        shown(&f.after)
                    ));
                }
            }
        }
    }
    out
}

/// A value in a diff line: numbers bare, text quoted (with escapes, so that
/// spaces and line breaks show).
fn shown(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value.to_owned()
    } else {
        format!("{value:?}")
    }
}

/// `issue “Oracle failure” (oracle-failure)`; `plan details` for a singleton.
fn describe(e: &DiffEntry) -> String {
    let noun = e.section.noun();
    if matches!(e.section, Section::Meta | Section::ExercisePolicy) {
        return noun.to_owned();
    }
    let title = e.title.trim();
    if title.is_empty() || title == e.key {
        format!("{noun} `{}`", e.key)
    } else {
        format!("{noun} “{title}” ({})", e.key)
    }
}

/// A diff's field path in the plan files' spelling: `expectedMinutes` → `expected-minutes`.
fn kebab(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
