//! Writes a plan folder to disk, safely: only into a new or empty folder or
//! an existing plan folder; each file written to a temporary file beside it
//! and renamed over the old one, so an interrupted export never leaves a
//! half-written file; unchanged files left as they are; and nothing deleted
//! but the files of procedures that no longer exist.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{render, PLAN_FILE, PROCEDURES_DIR, SECTION_FILES};
use crate::plan::{validate, Id, Plan, Problem};

/// What an export did, by path inside the folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    /// Files written because they were new or different.
    pub written: Vec<String>,
    /// Files that already held exactly this text.
    pub unchanged: Vec<String>,
    /// Procedure files removed because the plan no longer has the procedure.
    pub removed: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} is not a folder: choose a folder to export into", .0.display())]
    NotAFolder(PathBuf),

    #[error("{} is not empty and is not a plan folder (it has no plan.toml): export into a new or empty folder, or into an existing plan folder", .0.display())]
    NotAPlanFolder(PathBuf),

    #[error("{} holds {file}, which is not a plan file: move it out of the folder, then export again", dir.display())]
    Stray { dir: PathBuf, file: String },

    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },

    #[error("the plan has {} problem(s) and cannot be exported; the first: {}", .0.len(), first(.0))]
    InvalidPlan(Vec<Problem>),
}

fn first(problems: &[Problem]) -> String {
    problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes `plan` as a folder at `dir` (creating it if need be). Refuses a
/// plan with structural problems: its files could not be read back.
pub fn export(plan: &Plan, dir: &Path) -> Result<Exported, ExportError> {
    let problems = validate(plan);
    if !problems.is_empty() {
        return Err(ExportError::InvalidPlan(problems));
    }
    prepare(dir)?;
    let procedures = dir.join(PROCEDURES_DIR);
    fs::create_dir_all(&procedures).map_err(io_error(&procedures))?;
    let mut done = Exported::default();
    for file in render(plan) {
        let path = dir.join(&file.path);
        if fs::read(&path).is_ok_and(|old| old == file.text.as_bytes()) {
            done.unchanged.push(file.path);
        } else {
            write_atomic(&path, file.text.as_bytes()).map_err(io_error(&path))?;
            done.written.push(file.path);
        }
    }
    let current: HashSet<&str> = plan.procedures.iter().map(|p| p.id.as_str()).collect();
    for name in procedure_files(&procedures)? {
        let stem = name.trim_end_matches(".toml");
        if !current.contains(stem) {
            let path = procedures.join(&name);
            fs::remove_file(&path).map_err(io_error(&path))?;
            done.removed.push(format!("{PROCEDURES_DIR}/{name}"));
        }
    }
    // Make the renames durable where the platform allows it.
    for d in [&procedures, &dir.to_owned()] {
        if let Ok(handle) = fs::File::open(d) {
            let _ = handle.sync_all();
        }
    }
    Ok(done)
}

/// Creates `dir`, or checks that it is empty or a plan folder with nothing
/// in it that a re-read would refuse.
fn prepare(dir: &Path) -> Result<(), ExportError> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return fs::create_dir_all(dir).map_err(io_error(dir));
        }
        Err(e) => return Err(io_error(dir)(e)),
        Ok(m) if !m.is_dir() => return Err(ExportError::NotAFolder(dir.to_owned())),
        Ok(_) => {}
    }
    let names = names_in(dir)?;
    let visible: Vec<&String> = names.iter().filter(|n| !n.starts_with('.')).collect();
    if visible.is_empty() {
        return Ok(());
    }
    if !names.iter().any(|n| n == PLAN_FILE) {
        return Err(ExportError::NotAPlanFolder(dir.to_owned()));
    }
    for name in visible {
        let known = name == PLAN_FILE
            || SECTION_FILES
                .iter()
                .any(|(file, ..)| *file == name.as_str());
        if name.ends_with(".toml") && !known {
            return Err(ExportError::Stray {
                dir: dir.to_owned(),
                file: name.clone(),
            });
        }
    }
    let procedures = dir.join(PROCEDURES_DIR);
    if procedures.is_dir() {
        for name in names_in(&procedures)? {
            let stem = name.trim_end_matches(".toml");
            if name.ends_with(".toml") && !name.starts_with('.') && Id::parse(stem).is_err() {
                return Err(ExportError::Stray {
                    dir: dir.to_owned(),
                    file: format!("{PROCEDURES_DIR}/{name}"),
                });
            }
        }
    }
    Ok(())
}

fn names_in(dir: &Path) -> Result<Vec<String>, ExportError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        out.push(entry.file_name().to_string_lossy().into_owned());
    }
    out.sort();
    Ok(out)
}

/// The procedure files in `dir`: `<id>.toml` with a well-formed id.
fn procedure_files(dir: &Path) -> Result<Vec<String>, ExportError> {
    Ok(names_in(dir)?
        .into_iter()
        .filter(|n| {
            n.strip_suffix(".toml")
                .is_some_and(|stem| !n.starts_with('.') && Id::parse(stem).is_ok())
        })
        .collect())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.muster-tmp"));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
