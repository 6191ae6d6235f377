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
use muster_core::folder::{self, Diagnostic, Level, ReadError};
use muster_core::plan::{Plan, Section};
use muster_core::store::{history::readable_diff, DiffEntry, DiffKind, Store};

use super::print;

pub fn export(data_dir: &Path, dir: &Path) -> Result<u8, String> {
    let plan = stored_plan(data_dir)?;
    let done = folder::export(&plan, dir).map_err(|e| e.to_string())?;
    print(&format!(
        "Exported the plan to {}: {} file(s) written, {} unchanged, {} removed\n",
        dir.display(),
        done.written.len(),
        done.unchanged.len(),
        done.removed.len()
    ))?;
    Ok(0)
}

pub fn import(data_dir: &Path, dir: &Path, dry_run: bool) -> Result<u8, String> {
    let plan = read(dir, "nothing was imported, the stored plan is unchanged")?;
    let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
    store
        .default_author(&crate::os_user_name())
        .map_err(|e| e.to_string())?;
    let current = store.plan().map_err(|e| e.to_string())?;
    print(&changes(&current, &plan))?;
    if dry_run {
        print("Dry run: nothing was changed\n")?;
        return Ok(0);
    }
    let summary = format!("Imported the plan from {}", dir.display());
    if let Some(revision) = store
        .replace_plan(&plan, &summary, &SystemClock)
        .map_err(|e| e.to_string())?
    {
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
    let compared = read(dir, "fix them to compare it with the stored plan").and_then(|plan| {
        let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
        let current = store.plan().map_err(|e| e.to_string())?;
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

fn stored_plan(data_dir: &Path) -> Result<Plan, String> {
    let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
    store.plan().map_err(|e| e.to_string())
}

/// Reads the folder; on problems prints each, located, to standard error and
/// says how many there were, then `then`.
fn read(dir: &Path, then: &str) -> Result<Plan, String> {
    match folder::read(dir) {
        Ok(plan) => Ok(plan),
        Err(ReadError::Unreadable(e)) => Err(e.to_string()),
        Err(ReadError::Invalid(diagnostics)) => {
            for d in &diagnostics {
                eprintln!("{}", d.in_folder(dir));
            }
            let problems = count(errors(&diagnostics), "problem");
            Err(format!("{problems} in {}: {then}", dir.display()))
        }
    }
}

fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count()
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

const NO_CHANGES: &str = "No changes\n";

/// What turns `old` into `new`, one line per changed field: `+` added, `-`
/// removed, `~` changed or moved.
fn changes(old: &Plan, new: &Plan) -> String {
    let entries = readable_diff(old, new);
    if entries.is_empty() {
        return NO_CHANGES.to_owned();
    }
    let mut out = String::new();
    for e in &entries {
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
