//! Attachments: a web link, or a file copied into `<data folder>/exercises/EX-n/`
//! under a name no other attachment of the exercise uses.

use std::path::Path;

use rusqlite::{params, Transaction};

use super::act::{touch, Context, Files};
use super::read::kind_text;
use crate::error::{Error, Result};
use crate::exercise::model::AttachmentKind;
use crate::exercise::validate;
use crate::incident::chain::timestamp;

fn refused(message: String) -> Error {
    Error::Refused(message)
}

/// Checks and records one attachment; a file is copied first (and
/// `files.copied` names the copy, to take back should the write fail).
pub(super) fn attach(
    tx: &Transaction<'_>,
    c: &Context<'_>,
    kind: AttachmentKind,
    label: &str,
    target: &str,
    files: &mut Files,
) -> Result<()> {
    let ex = c.exercise;
    let label = label.trim();
    let (label, stored) = match kind {
        AttachmentKind::Link => {
            let link = validate::link(target)?;
            let label = if label.is_empty() {
                link.clone()
            } else {
                label.to_owned()
            };
            (label, link)
        }
        AttachmentKind::File => {
            let source = Path::new(target.trim());
            if target.trim().is_empty() {
                return Err(refused("choose a file to attach".to_owned()));
            }
            if !source.exists() {
                return Err(refused(format!(
                    "the file {} does not exist: choose it again",
                    source.display()
                )));
            }
            if !source.is_file() {
                return Err(refused(format!(
                    "{} is not a file: attach a file (a folder cannot be attached)",
                    source.display()
                )));
            }
            let original = source
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "attachment".to_owned());
            let taken: Vec<&str> = ex
                .attachments
                .iter()
                .filter(|a| a.kind == AttachmentKind::File)
                .map(|a| a.target.as_str())
                .collect();
            let name = free_name(c.folder, &original, &taken);
            let folder_error = |source| Error::DataFolder {
                path: c.folder.to_owned(),
                source,
            };
            std::fs::create_dir_all(c.folder).map_err(folder_error)?;
            let destination = c.folder.join(&name);
            std::fs::copy(source, &destination).map_err(folder_error)?;
            files.copied = Some(destination);
            let label = if label.is_empty() {
                original
            } else {
                label.to_owned()
            };
            (label, name)
        }
    };
    let number: u32 = tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM exercise_attachment WHERE exercise = ?1",
        [ex.id.as_str()],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO exercise_attachment (exercise, number, kind, label, target, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            ex.id.as_str(),
            number,
            kind_text(kind),
            label,
            stored,
            timestamp(c.now)
        ],
    )?;
    touch(tx, c)
}

/// `name`, or `stem (2).ext`, `stem (3).ext`, … when the folder or the
/// exercise already has a file by that name.
fn free_name(folder: &Path, name: &str, taken: &[&str]) -> String {
    let free = |candidate: &str| !taken.contains(&candidate) && !folder.join(candidate).exists();
    if free(name) {
        return name.to_owned();
    }
    let path = Path::new(name);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|candidate| free(candidate))
        .unwrap_or_else(|| name.to_owned())
}
