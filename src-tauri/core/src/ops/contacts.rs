//! Contacts import: read a CSV or vCard file (refusing one over the size
//! limit unread), preview it (a CSV's columns, first rows and suggested
//! mapping; a vCard's contacts), and add its contacts to a team as one
//! revision — all or nothing, every problem located. The window's contacts
//! dialog and `muster contacts import` call these.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::count;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::export::contacts_csv::{self, ColumnMapping, CsvPreview};
use crate::export::{self, vcard, ImportedContact, Located, Team, MAX_IMPORT_BYTES};
use crate::plan::{Plan, Reach};
use crate::store::{RevisionInfo, Store};

/// The two formats a contacts file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Vcard,
}

impl Format {
    /// The format from the file's extension: `.vcf`/`.vcard` is vCard;
    /// `.csv` (and, for the window's chooser, `.txt`) is CSV.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_lowercase();
        match ext.as_str() {
            "vcf" | "vcard" => Some(Format::Vcard),
            "csv" | "txt" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// What a contacts file holds, or why it cannot be read.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactsPreview {
    pub path: String,
    /// For a CSV file: its columns, first rows and the suggested mapping.
    pub csv: Option<CsvPreview>,
    /// For a vCard file: the contacts it holds.
    pub cards: Vec<ImportedContact>,
    /// Located problems (`file:line:column: message`); any one blocks the import.
    pub errors: Vec<String>,
}

/// Contacts added (or, in a dry run, that would be).
#[derive(Debug, Clone)]
pub struct Imported {
    /// How many contacts the file held.
    pub count: usize,
    /// One line per contact added: `+ Name (id) — role; email, chat, phone`.
    pub added: String,
    /// The revision made; none in a dry run or when nothing changed.
    pub revision: Option<RevisionInfo>,
}

/// The file's bytes. A file over the size limit is refused unread, as a
/// located problem; a file that cannot be read is `Unavailable`.
pub fn read_file(path: &Path) -> Result<Result<Vec<u8>, Located>> {
    let cannot =
        |e: std::io::Error| Error::Unavailable(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > MAX_IMPORT_BYTES as u64 {
        return Ok(Err(export::too_big(len)));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_IMPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(Ok(bytes))
}

/// `problems` in `path` as one `Rejected` error: each located, then how
/// many and that nothing was imported.
pub fn rejected(path: &Path, problems: &[Located]) -> Error {
    let file = path.display().to_string();
    Error::Rejected {
        summary: format!(
            "{} in {file}: nothing was imported, the stored plan is unchanged",
            count(problems.len(), "problem")
        ),
        problems: problems.iter().map(|p| p.in_file(&file)).collect(),
    }
}

/// What the file holds, for the window's preview (the mapping to confirm).
pub fn preview(path: &Path) -> ContactsPreview {
    let mut out = ContactsPreview {
        path: path.display().to_string(),
        csv: None,
        cards: Vec::new(),
        errors: Vec::new(),
    };
    let parsed = match read_file(path) {
        Err(e) => Err(vec![Located::new(1, 1, e.to_string())]),
        Ok(Err(too_big)) => Err(vec![too_big]),
        Ok(Ok(bytes)) => match Format::of(path) {
            Some(Format::Vcard) => vcard::read(&bytes).map(|cards| out.cards = cards),
            _ => contacts_csv::preview(&bytes).map(|p| out.csv = Some(p)),
        },
    };
    if let Err(problems) = parsed {
        let file = path.display().to_string();
        out.errors = problems.iter().map(|p| p.in_file(&file)).collect();
    }
    out
}

/// The contacts in `bytes` (of `path`, in `format`); a CSV needs `mapping`.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    format: Format,
    mapping: Option<&ColumnMapping>,
) -> Result<Vec<ImportedContact>> {
    match format {
        Format::Vcard => vcard::read(bytes).map_err(|p| rejected(path, &p)),
        Format::Csv => {
            let Some(mapping) = mapping else {
                return Err(Error::Refused(
                    "a CSV file needs a column mapping: preview it first".to_owned(),
                ));
            };
            contacts_csv::read(bytes, mapping).map_err(|p| rejected(path, &p))
        }
    }
}

/// Adds `contacts` (read from `path`) to `team` as one revision, in one
/// transaction with the plan as it stands inside it, so an import made
/// meanwhile elsewhere is kept; refused, with nothing changed, on any
/// problem. With `dry_run`, says what would be added and changes nothing.
pub fn import(
    store: &mut Store,
    path: &Path,
    contacts: &[ImportedContact],
    team: Team,
    dry_run: bool,
    clock: &dyn Clock,
) -> Result<Imported> {
    let add = |plan: &Plan| -> Result<(Plan, String)> {
        let new = export::import_contacts(plan, contacts, team).map_err(|p| rejected(path, &p))?;
        let added = added(plan, &new, team);
        Ok((new, added))
    };
    if dry_run {
        let (_, added) = add(&*store.current()?)?;
        return Ok(Imported {
            count: contacts.len(),
            added,
            revision: None,
        });
    }
    let summary = format!(
        "Imported {} from {}",
        count(contacts.len(), "contact"),
        path.display()
    );
    let mut list = String::new();
    let revision = store.update_plan(clock, |plan| {
        let (new, added) = add(plan)?;
        list = added;
        Ok((new, summary))
    })?;
    Ok(Imported {
        count: contacts.len(),
        added: list,
        revision,
    })
}

/// One line per contact added: `+ Name (id) — role; email, chat, phone`.
fn added(old: &Plan, new: &Plan, team: Team) -> String {
    let rows: Vec<(&str, &str, &str, &Reach)> = match team {
        Team::Core => new.core_team[old.core_team.len().min(new.core_team.len())..]
            .iter()
            .map(|m| (m.name.as_str(), m.id.as_str(), m.role.as_str(), &m.reach))
            .collect(),
        Team::Extended => new.extended_team[old.extended_team.len().min(new.extended_team.len())..]
            .iter()
            .map(|c| (c.name.as_str(), c.id.as_str(), c.role.as_str(), &c.reach))
            .collect(),
    };
    let mut out = String::new();
    for (name, id, role, reach) in rows {
        let ways: Vec<&str> = [&reach.email, &reach.chat, &reach.phone]
            .into_iter()
            .filter_map(|v| v.as_deref())
            .collect();
        let ways = if ways.is_empty() {
            "no way to reach yet".to_owned()
        } else {
            ways.join(", ")
        };
        let role = if role.is_empty() { "no role" } else { role };
        out.push_str(&format!("+ {name} ({id}) — {role}; {ways}\n"));
    }
    out
}
