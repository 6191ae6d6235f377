//! Exports people use outside Muster, and contacts brought in from elsewhere.
//!
//! Out: the whole plan as one Markdown binder ([`markdown`]), planned
//! exercises and open deadlines as an iCalendar file ([`ical`]), and the
//! contacts as CSV ([`contacts_csv`]) and vCard 4.0 ([`vcard`]). Every writer
//! is a pure function of the plan (and of the dates passed in), so equal
//! input gives byte-identical files; user text is escaped for each format, so
//! it can never become markup, a new property or a new column.
//!
//! In: contacts from a CSV file (with a column mapping the app previews) or a
//! vCard file, read into [`ImportedContact`]s. Every problem in the file is
//! reported at once as a [`Located`] (`FILE:line:column: message`); then
//! [`import_contacts`] appends them to a copy of the plan, which the caller
//! stores as one revision — all or nothing.
//!
//! The formats are small and written by hand here (RFC 4180, 5545, 6350)
//! rather than pulled in as crates; `docs/exports.md` documents them.

pub mod contacts_csv;
mod csv;
pub mod ical;
mod import;
mod lines;
pub mod markdown;
pub(crate) mod md_escape;
pub mod vcard;

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::plan::Reach;

pub use import::{import_contacts, slug};

/// The largest contacts file read, in bytes; a larger one is refused unread.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// A problem in an imported file, at a line and column (both 1-based, the
/// column in characters). Shown as `FILE:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Located {
    pub line: usize,
    pub column: usize,
    /// What is wrong and what to do; no trailing period.
    pub message: String,
}

impl Located {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Located {
        Located {
            line,
            column,
            message: message.into(),
        }
    }

    /// `FILE:line:column: message`, with the file as the user named it.
    pub fn in_file(&self, file: &str) -> String {
        format!("{file}:{self}")
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Which team imported contacts join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Team {
    /// Core members, owning no categories until someone assigns them.
    Core,
    /// Extended contacts.
    Extended,
}

impl Team {
    pub fn as_str(self) -> &'static str {
        match self {
            Team::Core => "core",
            Team::Extended => "extended",
        }
    }

    pub fn parse(text: &str) -> Option<Team> {
        [Team::Core, Team::Extended]
            .into_iter()
            .find(|t| t.as_str() == text)
    }

    /// "the core team", for messages.
    pub fn label(self) -> &'static str {
        match self {
            Team::Core => "the core team",
            Team::Extended => "the extended team",
        }
    }
}

/// A contact read from a file, before it has an id or a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedContact {
    pub name: String,
    /// Job title or role; empty when the file has none.
    pub role: String,
    /// The organisation, if the file names one; it is added to the role on import.
    pub organisation: String,
    pub reach: Reach,
    /// The line of the file the contact starts on (its CSV record, its `BEGIN:VCARD`).
    pub line: usize,
}

/// The problem with a file of `len` bytes, over [`MAX_IMPORT_BYTES`]; for a
/// caller that checks the size before reading the file.
pub fn too_big(len: u64) -> Located {
    Located::new(
        1,
        1,
        format!(
            "the file is {len} bytes, more than the {} MiB a contacts file may have: split it into smaller files, or check that it is the right file",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
    )
}

/// Checks an imported file's size and encoding and gives its text (without a
/// byte-order mark). A file over [`MAX_IMPORT_BYTES`] or not UTF-8 is refused
/// with the place of the fault.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, Located> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let bad = bytes.get(valid).copied().unwrap_or_default();
        Located::new(
            line,
            column,
            format!(
                "the file is not valid UTF-8 (byte 0x{bad:02X} here): save or export it as UTF-8"
            ),
        )
    })
}

/// The first of several duplicate names is kept; each later one is reported.
/// Names compare without case and surrounding space.
pub(crate) fn duplicate_names(contacts: &[ImportedContact]) -> Vec<Located> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for c in contacts {
        let key = name_key(&c.name);
        if key.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            problems.push(Located::new(
                c.line,
                1,
                format!(
                    "`{}` is in the file twice (first on line {first}): remove one, or tell them apart in the name",
                    c.name.trim()
                ),
            ));
        } else {
            seen.insert(key, c.line);
        }
    }
    problems
}

/// A name as compared for duplicates: trimmed, inner space collapsed, lowercase.
pub(crate) fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests;

/// Writes `text` to `path` so that a reader never sees half a file: into a
/// temporary file beside it, synced, then renamed over it.
pub fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::File::create(&temp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
