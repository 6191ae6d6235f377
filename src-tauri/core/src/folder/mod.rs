//! Plan as code: a plan as a folder of human-readable TOML files that a team
//! keeps in git or a shared folder, reviews in pull requests and checks in CI.
//!
//! The layout (documented for users in `docs/plan-format.md`):
//!
//! ```text
//! plan.toml              details, the order of procedures, the exercise policy
//! categories.toml        [[category]]
//! issues.toml            [[issue]]            section 1
//! procedures/<id>.toml   one procedure, its [[step]] tables   section 2
//! escalation.toml        [[rule]]             section 3
//! core-team.toml         [[member]]           section 4
//! extended-team.toml     [[contact]]          section 5
//! on-call.toml           [[rotation]]         (optional file)
//! communications.toml    [[rule]]             section 6
//! decisions.toml         [[decision]]         section 7
//! ```
//!
//! [`render`] and [`export`] write a plan; equal plans give byte-identical
//! files, and export → [`read`] → export is lossless. [`read`] and [`check`]
//! read a folder and report every problem they can find at once, each located
//! at a file, line and column ([`Diagnostic`]): unreadable files, TOML syntax,
//! unknown keys, bad values, missing or stray files, then the plan's
//! structural validation (and, for `check`, its gaps) mapped back to the key
//! that holds the faulty value. A file that cannot be read does not stop the
//! others; problems that only follow from it (a reference into a section that
//! did not load) are left out rather than reported as noise.

mod export;
mod format;
mod locate;
mod read;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::plan::{Plan, Section};

pub use export::{export, ExportError, Exported};

/// The version of the folder format that this Muster reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The largest plan file read, in bytes; a larger one is refused unread.
/// Room for some 250,000 issues in `issues.toml` (about 500 bytes each).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// The file with the plan's details, the order of procedures and the exercise policy.
pub const PLAN_FILE: &str = "plan.toml";

/// The folder that holds one file per procedure.
pub const PROCEDURES_DIR: &str = "procedures";

/// The section files: file name, section, the name of its tables, and whether
/// the file may be left out (meaning an empty section).
const SECTION_FILES: [(&str, Section, &str, bool); 8] = [
    ("categories.toml", Section::Categories, "category", false),
    ("issues.toml", Section::Issues, "issue", false),
    ("escalation.toml", Section::Escalation, "rule", false),
    ("core-team.toml", Section::CoreTeam, "member", false),
    (
        "extended-team.toml",
        Section::ExtendedTeam,
        "contact",
        false,
    ),
    ("on-call.toml", Section::OnCall, "rotation", true),
    (
        "communications.toml",
        Section::Communications,
        "rule",
        false,
    ),
    ("decisions.toml", Section::Decisions, "decision", false),
];

/// One file of a plan folder: its path inside the folder (`/`-separated) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFile {
    pub path: String,
    pub text: String,
}

/// How much a diagnostic matters: errors stop an import and fail a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Suggestion,
}

/// A problem found in a plan folder, at a place in one of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// The file's path inside the folder, `/`-separated (`procedures/x.toml`).
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// What is wrong and what to do; no trailing period.
    pub message: String,
}

impl Diagnostic {
    /// The diagnostic with its file shown inside `dir`, as a user passed it
    /// (`plan/issues.toml:3:12: …`).
    pub fn in_folder(&self, dir: &Path) -> String {
        let path = dir.join(&self.file);
        self.with_path(&path.display().to_string())
    }

    fn with_path(&self, path: &str) -> String {
        let level = match self.level {
            Level::Error => "",
            Level::Warning => "warning: ",
            Level::Suggestion => "suggestion: ",
        };
        format!(
            "{path}:{}:{}: {level}{}",
            self.line, self.column, self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_path(&self.file))
    }
}

/// The folder itself cannot be read: it is missing, not a folder, or not listable.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the plan folder {}: {reason}", path.display())]
pub struct Unreadable {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Unreadable(#[from] Unreadable),
    /// Every problem found, in file order; nothing was read into a plan.
    #[error("the plan folder has {} problem(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
}

/// Every file of the folder for `plan`, in layout order.
pub fn render(plan: &Plan) -> Vec<PlanFile> {
    write::render(plan)
}

/// Reads the plan in `dir`: a sound plan (one that `Store::replace_plan`
/// accepts), or every problem found.
pub fn read(dir: &Path) -> Result<Plan, ReadError> {
    let mut loaded = read::load(dir)?;
    let problems = crate::plan::validate(&loaded.plan);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(locate::problems(&loaded, &problems));
    let read::Loaded { plan, index, .. } = loaded;
    let_go(index);
    if diagnostics.is_empty() {
        Ok(plan)
    } else {
        let_go(plan);
        sort(&mut diagnostics);
        Err(ReadError::Invalid(diagnostics))
    }
}

/// Checks the plan in `dir` as of `now`: everything [`read`] would refuse,
/// plus the plan check's gaps (problems and warnings), in file order.
pub fn check(dir: &Path, now: DateTime<Utc>) -> Result<Vec<Diagnostic>, Unreadable> {
    let mut loaded = read::load(dir)?;
    let problems = crate::plan::validate(&loaded.plan);
    let gaps = crate::plan::check::check_validated(&loaded.plan, now, &problems);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(locate::gaps(&loaded, &problems, gaps));
    let_go(loaded);
    sort(&mut diagnostics);
    Ok(diagnostics)
}

/// Frees what reading a folder left (every file's text, every key's place)
/// on a thread of its own: for a plan of 100,000 procedure files that is a
/// good part of a check's time, and nothing waits for it. (Freed here when
/// no thread can be started.)
fn let_go<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("plan-folder-free".to_owned())
        .spawn(move || drop(value));
}

/// Orders diagnostics as the files are laid out, then by place in the file.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (file_rank(&a.file), &a.file, a.line, a.column).cmp(&(
            file_rank(&b.file),
            &b.file,
            b.line,
            b.column,
        ))
    });
}

fn file_rank(file: &str) -> usize {
    if file == PLAN_FILE {
        return 0;
    }
    if file.starts_with("procedures/") {
        return 3;
    }
    match SECTION_FILES.iter().position(|(name, ..)| *name == file) {
        Some(i) if i < 2 => i + 1,
        Some(i) => i + 2,
        None => SECTION_FILES.len() + 2,
    }
}

#[cfg(test)]
mod tests;
